/* cli_cohort.c — `fow cohort ...`: cohorts of the catalogue's modules,
 * enrolment with a waiting list, attendance and completion
 * (src/training/fow_cohort.h, docs/training.md). Like `fow person`, the
 * command line runs on the server's machine with its database and people
 * key file, and acts as an administrator named "cli:LOGIN". */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "accounts/fow_accounts.h"
#include "cli/cli.h"
#include "credentials/fow_credentials.h"
#include "people/fow_people.h"
#include "service/fow_world.h"
#include "training/fow_cohort.h"
#include "training/fow_training.h"

static const char cohort_help[] =
    "Usage: fow cohort add MODULE --starts-on DATE --ends-on DATE --capacity N [--place TEXT]\n"
    "                      [--language L] [--status S] [--sessions \"DATE HH:MM-HH:MM[ @ PLACE]; ...\"]\n"
    "       fow cohort load FILE\n"
    "       fow cohort list [--module MODULE]\n"
    "       fow cohort show ID\n"
    "       fow cohort status ID STATUS\n"
    "       fow cohort enrol ID PERSON\n"
    "       fow cohort cancel ID PERSON\n"
    "       fow cohort attend ID PERSON SESSION [--absent]\n"
    "       fow cohort complete ID PERSON (--passed | --failed) [--score N] [--completed-on DATE]\n"
    "\n"
    "Cohorts are runs of a module of the learning catalogue (fow modules), with their dates,\n"
    "sessions, place, capacity and language (docs/training.md). People are enrolled while seats\n"
    "are left, then wait, first come first served; a cancelled seat goes at once to the first\n"
    "person waiting. Enrolling a person twice keeps the one enrolment. Enrolment, attendance and\n"
    "completion need the person's training consent (fow person consent ID training ...).\n"
    "The command line acts as an administrator named cli:LOGIN (in fow serve, a provider's\n"
    "account runs only its own modules' cohorts and enrols nobody: docs/roles.md).\n"
    "\n"
    "  add       adds a cohort of MODULE (its code); prints its id. Place and language default to\n"
    "            the module's. S: planned, open (default), closed, finished or cancelled.\n"
    "  load      adds the cohorts of a CSV file (columns module, starts_on, ends_on, place,\n"
    "            language, capacity, status, sessions; docs/training.md), all or none.\n"
    "  list      the cohorts (of one module), by start date: status, seats, enrolled, waiting.\n"
    "  show      one cohort: its sessions, and everyone enrolled, waiting, cancelled or completed\n"
    "            with attendance per session (people by their ids).\n"
    "  status    changes the cohort's status; only an open cohort takes enrolments.\n"
    "  enrol     enrols PERSON (an id of fow person list): a seat, or the waiting list.\n"
    "  cancel    cancels PERSON's enrolment; their seat goes to the first person waiting.\n"
    "  attend    records that PERSON was at session number SESSION (or --absent).\n"
    "  complete  records PERSON's assessment: passed or failed, score 0 to 100. A pass adds the\n"
    "            skills the module teaches to their skills profile, with provenance assessment\n"
    "            (when they gave counselling consent).\n"
    "\n"
    "Options:\n"
    "  --starts-on, --ends-on DATE   the cohort's first and last day, YYYY-MM-DD\n"
    "  --capacity N                  seats (1 to 10000)\n"
    "  --sessions TEXT               the sessions, separated by ';', each 'YYYY-MM-DD HH:MM-HH:MM'\n"
    "                                with ' @ PLACE' when not at the cohort's place\n"
    "  --module MODULE               list: only this module's cohorts\n"
    "  --db PATH  --json  --help\n";

typedef struct cohort_args {
    const char *starts_on, *ends_on, *capacity, *place, *language, *status, *sessions, *module, *score,
        *completed_on;
    bool absent, passed, failed;
    const char *pos[3];
    int n_pos;
} cohort_args;

/* What a command needs: the database, the catalogue, and the people
 * records and the world when asked. */
typedef struct cohort_env {
    fow_db *db;
    fow_people *people;
    fow_world *world;
    fow_training_catalogue catalogue;
    bool has_catalogue;
    fow_cohort_actor who;
    char actor[FOW_PERSON_ACTOR_MAX + 1];
} cohort_env;

static void env_close(cohort_env *e) {
    if (e->has_catalogue) fow_training_free(&e->catalogue);
    fow_people_close(e->people);
    fow_db_close(e->db);
    fow_world_release(e->world);
}

static int env_open(cli_context *ctx, cohort_env *e, bool people, bool world) {
    memset(e, 0, sizeof *e);
    fow_error err;
    fow_error_clear(&err);
    cli_actor_name(e->actor, sizeof e->actor);
    e->who = (fow_cohort_actor){.staff = {.name = e->actor, .organisation = "", .all_organisations = true},
                                .role = FOW_ROLE_ADMIN};
    int rc = cli_open_db(ctx, false, &e->db);
    if (rc) return rc;
    char key_path[4096];
    fow_code code = fow_training_load(e->db, &e->catalogue, &err);
    e->has_catalogue = true;
    if (!code && people) {
        code = fow_people_key_path(ctx->db_path, key_path, sizeof key_path, &err);
        if (!code) code = fow_people_open(e->db, key_path, &e->people, &err);
    }
    if (!code && world && fow_world_open(ctx->db_path, &(fow_world_options){.quick = true}, &e->world, &err)) {
        e->world = NULL; /* no taxonomy: no skill can be added; the completion is still recorded */
        fow_error_clear(&err);
    }
    if (code) {
        env_close(e);
        return cli_fail(ctx, &err);
    }
    return 0;
}

/* Parses positional i as a cohort id. */
static int cohort_id(cli_context *ctx, const cohort_args *a, int i, int64_t *id) {
    long v = 0;
    *id = 0;
    if (a->n_pos <= i) return cli_usage_error(ctx, "the cohort's id is missing (fow cohort list shows them)");
    int rc = cli_parse_size(ctx, "ID", a->pos[i], 1, 2000000000L, &v);
    *id = v;
    return rc;
}

static int need_person(cli_context *ctx, const cohort_args *a) {
    return a->n_pos < 2 ? cli_usage_error(ctx, "the person's id is missing (fow person list shows them)") : 0;
}

static const char *title_of(const cohort_env *e, const char *code) {
    const fow_training_module *m = fow_training_module_by_code(&e->catalogue, code);
    return m ? m->title_en : "(no longer in the catalogue)";
}

static void print_cohort_line(const cohort_env *e, const fow_cohort *c) {
    printf("%5lld  %-11s ", (long long)c->id, c->module);
    cli_print_cell(stdout, title_of(e, c->module), 28);
    printf(" %s..%s  %-9s %4ld %8ld %7ld %4ld  %s\n", c->starts_on, c->ends_on, fow_cohort_status_name(c->status),
           c->capacity, c->enrolled + c->completed, c->waiting, c->seats_left, c->language);
}

static const char list_head[] = "   id  module      title                        dates                   status    "
                                "seats enrolled waiting left  lang\n";

/* ---- subcommands ---------------------------------------------------------------- */

static int cohort_add(cli_context *ctx, cohort_args *a) {
    if (a->n_pos < 1) return cli_usage_error(ctx, "the module's code is missing (fow modules lists them)");
    long capacity = 0;
    int rc = 0;
    if (!a->capacity) return cli_usage_error(ctx, "--capacity N (seats) is required");
    if ((rc = cli_parse_size(ctx, "--capacity", a->capacity, 1, FOW_COHORT_CAPACITY_MAX, &capacity))) return rc;
    fow_cohort_session sessions[FOW_COHORT_SESSIONS_MAX];
    size_t n_sessions = 0;
    fow_error err;
    fow_error_clear(&err);
    if (a->sessions) {
        char *copy = strdup(a->sessions), *save = NULL;
        if (!copy) return cli_usage_error(ctx, "out of memory");
        for (char *part = strtok_r(copy, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
            while (*part == ' ') part++;
            size_t len = strlen(part);
            while (len && part[len - 1] == ' ') part[--len] = '\0';
            if (!*part) continue;
            if (n_sessions == FOW_COHORT_SESSIONS_MAX) {
                free(copy);
                return cli_usage_error(ctx, "at most %d sessions (--sessions)", FOW_COHORT_SESSIONS_MAX);
            }
            if (fow_cohort_session_parse(part, &sessions[n_sessions++], &err)) {
                free(copy);
                return cli_fail(ctx, &err);
            }
        }
        free(copy);
    }
    cohort_env e;
    if ((rc = env_open(ctx, &e, false, false))) return rc;
    fow_cohort_input in = {.module = a->pos[0], .starts_on = a->starts_on, .ends_on = a->ends_on, .place = a->place,
                           .language = a->language, .capacity = capacity, .status = a->status,
                           .sessions = sessions, .n_sessions = n_sessions};
    int64_t id = 0;
    fow_cohort *c = calloc(1, sizeof *c);
    if (!c) rc = cli_usage_error(ctx, "out of memory");
    else if (fow_cohort_add(e.db, &e.who, &e.catalogue, &in, (long long)time(NULL), &id, &err) ||
             fow_cohort_get(e.db, id, c, &err))
        rc = cli_fail(ctx, &err);
    else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_cohort_write(&w, c, &e.catalogue);
        rc = cli_print_written(&w);
    } else {
        printf("%lld\n", (long long)id);
    }
    free(c);
    env_close(&e);
    return rc;
}

static int cohort_load(cli_context *ctx, cohort_args *a) {
    if (a->n_pos < 1) return cli_usage_error(ctx, "the CSV file of cohorts is missing");
    cohort_env e;
    int rc = env_open(ctx, &e, false, false);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    size_t added = 0;
    if (fow_cohorts_add_file(e.db, &e.who, &e.catalogue, a->pos[0], (long long)time(NULL), &added, &err))
        rc = cli_fail(ctx, &err);
    else if (ctx->json)
        printf("{\n  \"added\": %zu\n}\n", added);
    else
        printf("Added %zu cohort%s from %s.\n", added, added == 1 ? "" : "s", a->pos[0]);
    env_close(&e);
    return rc;
}

static int cohort_list(cli_context *ctx, cohort_args *a) {
    cohort_env e;
    int rc = env_open(ctx, &e, false, false);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_cohort *list = NULL;
    size_t n = 0;
    if (fow_cohorts_list(e.db, a->module, &list, &n, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_cohort_result_list(&w, list, n, a->module, &e.catalogue);
        rc = cli_print_written(&w);
    } else if (n == 0) {
        printf("No cohorts%s%s yet: add one with fow cohort add MODULE ...\n", a->module ? " of " : "",
               a->module ? a->module : "");
    } else {
        fputs(list_head, stdout);
        for (size_t i = 0; i < n; i++) print_cohort_line(&e, &list[i]);
        printf("\nenrolled counts completions too; left = seats - enrolled, from the enrolment records.\n");
    }
    free(list);
    env_close(&e);
    return rc;
}

static int cohort_show(cli_context *ctx, cohort_args *a) {
    int64_t id = 0;
    int rc = cohort_id(ctx, a, 0, &id);
    cohort_env e;
    if (rc || (rc = env_open(ctx, &e, false, false))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_enrolment *list = NULL;
    size_t n = 0;
    fow_cohort *c = calloc(1, sizeof *c);
    if (!c) rc = cli_usage_error(ctx, "out of memory");
    else if (fow_cohort_get(e.db, id, c, &err) || fow_cohort_enrolments(e.db, &e.who, id, &list, &n, &err))
        rc = cli_fail(ctx, &err);
    else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_cohort_result_show(&w, c, list, n, true, &e.catalogue);
        rc = cli_print_written(&w);
    } else {
        printf("Cohort %lld of %s, %s\n", (long long)c->id, c->module, title_of(&e, c->module));
        printf("  %s to %s, %s, language %s, %s\n", c->starts_on, c->ends_on, c->place[0] ? c->place : "(no place)",
               c->language, fow_cohort_status_name(c->status));
        printf("  seats %ld: %ld enrolled, %ld completed (%ld passed), %ld left; %ld waiting, %ld cancelled\n",
               c->capacity, c->enrolled, c->completed, c->passed, c->seats_left, c->waiting, c->cancelled);
        for (size_t i = 0; i < c->n_sessions; i++)
            printf("  session %zu: %s %s-%s%s%s\n", i + 1, c->sessions[i].date, c->sessions[i].starts_at,
                   c->sessions[i].ends_at, c->sessions[i].place[0] ? " " : "", c->sessions[i].place);
        if (n) printf("\n  %-27s %-10s %-8s %-10s %s\n", "person", "status", "position", "result", "attendance");
        for (size_t i = 0; i < n; i++) {
            char position[16] = "", result[32] = "", attendance[FOW_COHORT_SESSIONS_MAX + 1] = "";
            if (list[i].status == FOW_ENROLMENT_WAITING) snprintf(position, sizeof position, "%ld", list[i].position);
            if (list[i].status == FOW_ENROLMENT_COMPLETED) {
                if (list[i].has_score)
                    snprintf(result, sizeof result, "%s %.1f", list[i].passed ? "passed" : "failed", list[i].score);
                else snprintf(result, sizeof result, "%s", list[i].passed ? "passed" : "failed");
            }
            for (size_t s = 0; s < list[i].n_sessions; s++)
                attendance[s] = list[i].attendance[s] < 0 ? '.' : list[i].attendance[s] ? 'x' : '-';
            attendance[list[i].n_sessions] = '\0';
            printf("  %-27s %-10s %-8s %-10s %s\n", list[i].person, fow_enrolment_status_name(list[i].status), position,
                   result, attendance);
        }
        if (n) printf("\n  attendance per session: x present, - absent, . not recorded\n");
    }
    free(c);
    free(list);
    env_close(&e);
    return rc;
}

static int cohort_status(cli_context *ctx, cohort_args *a) {
    int64_t id = 0;
    int rc = cohort_id(ctx, a, 0, &id);
    if (rc) return rc;
    fow_cohort_status status;
    if (a->n_pos < 2 || fow_cohort_status_parse(a->pos[1], &status) != 0)
        return cli_usage_error(ctx, "STATUS must be planned, open, closed, finished or cancelled");
    cohort_env e;
    if ((rc = env_open(ctx, &e, false, false))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_cohort *c = calloc(1, sizeof *c);
    if (!c) rc = cli_usage_error(ctx, "out of memory");
    else if (fow_cohort_set_status(e.db, &e.who, id, status, &err) || fow_cohort_get(e.db, id, c, &err))
        rc = cli_fail(ctx, &err);
    else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_cohort_write(&w, c, &e.catalogue);
        rc = cli_print_written(&w);
    } else {
        printf("Cohort %lld is %s.\n", (long long)id, fow_cohort_status_name(status));
    }
    free(c);
    env_close(&e);
    return rc;
}

static int cohort_enrol(cli_context *ctx, cohort_args *a) {
    int64_t id = 0;
    int rc = cohort_id(ctx, a, 0, &id);
    if (!rc) rc = need_person(ctx, a);
    cohort_env e;
    if (rc || (rc = env_open(ctx, &e, true, false))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_enrolment en;
    bool created;
    if (fow_cohort_enrol(e.db, e.people, &e.who, id, a->pos[1], (long long)time(NULL), &en, &created, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_cohort_result_enrol(&w, &en, created);
        rc = cli_print_written(&w);
    } else if (en.status == FOW_ENROLMENT_WAITING) {
        printf("%s %s on the waiting list of cohort %lld, number %ld.\n", en.person, created ? "is now" : "was already",
               (long long)id, en.position);
    } else {
        printf("%s %s in cohort %lld.\n", en.person,
               created ? "is enrolled" : en.status == FOW_ENROLMENT_COMPLETED ? "already completed" : "was already enrolled",
               (long long)id);
    }
    env_close(&e);
    return rc;
}

static int cohort_cancel(cli_context *ctx, cohort_args *a) {
    int64_t id = 0;
    int rc = cohort_id(ctx, a, 0, &id);
    if (!rc) rc = need_person(ctx, a);
    cohort_env e;
    if (rc || (rc = env_open(ctx, &e, true, false))) return rc;
    fow_error err;
    fow_error_clear(&err);
    char promoted[FOW_PERSON_ID_CHARS + 1];
    if (fow_cohort_cancel(e.db, e.people, &e.who, id, a->pos[1], (long long)time(NULL), promoted, &err))
        rc = cli_fail(ctx, &err);
    else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_cohort_result_cancel(&w, a->pos[1], promoted);
        rc = cli_print_written(&w);
    } else if (promoted[0])
        printf("Cancelled. %s, first on the waiting list, takes the seat.\n", promoted);
    else
        printf("Cancelled.\n");
    env_close(&e);
    return rc;
}

static int cohort_attend(cli_context *ctx, cohort_args *a) {
    int64_t id = 0;
    long session = 0;
    int rc = cohort_id(ctx, a, 0, &id);
    if (!rc) rc = need_person(ctx, a);
    if (!rc && a->n_pos < 3) rc = cli_usage_error(ctx, "the session's number is missing (fow cohort show ID lists them)");
    if (!rc) rc = cli_parse_size(ctx, "SESSION", a->pos[2], 1, FOW_COHORT_SESSIONS_MAX, &session);
    cohort_env e;
    if (rc || (rc = env_open(ctx, &e, true, false))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_enrolment en;
    if (fow_cohort_attend(e.db, e.people, &e.who, id, a->pos[1], (int)session, !a->absent, (long long)time(NULL), &err) ||
        fow_cohort_enrolment(e.db, e.people, &e.who, id, a->pos[1], &en, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_cohort_result_attendance(&w, &en);
        rc = cli_print_written(&w);
    } else {
        printf("%s was %s at session %ld of cohort %lld.\n", a->pos[1], a->absent ? "absent" : "present", session,
               (long long)id);
    }
    env_close(&e);
    return rc;
}

/* The completion in words: the result and the skills it added. */
static void print_completion(const fow_completion *done, const fow_completion_skills *skills) {
    printf("%s %s cohort %lld (%s) on %s.\n", done->person, done->passed ? "passed" : "failed",
           (long long)done->cohort_id, done->module, done->completed_on);
    if (done->passed) {
        printf("Skills added to the profile with provenance assessment: %zu of the %zu the module teaches.\n",
               skills->added, skills->taught);
        if (skills->no_counselling_consent)
            printf("None could be added: the skills profile needs the person's counselling consent.\n");
        if (skills->not_in_taxonomy) printf("%zu are not in the imported taxonomy.\n", skills->not_in_taxonomy);
    }
}

static int cohort_complete(cli_context *ctx, cohort_args *a) {
    int64_t id = 0;
    int rc = cohort_id(ctx, a, 0, &id);
    if (!rc) rc = need_person(ctx, a);
    if (!rc && a->passed == a->failed) rc = cli_usage_error(ctx, "give the result: --passed or --failed");
    double score = 0;
    if (!rc && a->score) {
        char *end = NULL;
        score = strtod(a->score, &end);
        if (!*a->score || *end || !(score >= 0 && score <= 100))
            rc = cli_usage_error(ctx, "--score must be a number from 0 to 100, not '%s'", a->score);
    }
    cohort_env e;
    if (rc || (rc = env_open(ctx, &e, true, true))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_completion done;
    fow_completion_skills skills;
    if (fow_cohort_complete(e.db, e.people, &e.who, e.world ? fow_world_model(e.world) : NULL, &e.catalogue, id,
                            a->pos[1], a->passed, a->score != NULL, score, a->completed_on, (long long)time(NULL),
                            &done, &skills, &err)) {
        rc = cli_fail(ctx, &err);
    } else {
        /* a passed completion earns a credential (docs/credentials.md); the completion stays
         * recorded when it cannot be issued, and says why */
        fow_completion_credential credential = {0};
        fow_error cred_err;
        fow_error_clear(&cred_err);
        if (done.passed)
            fow_credential_issue_completion(ctx->db_path, &done, e.who.staff.name, (long long)time(NULL), &credential,
                                            &cred_err);
        if (ctx->json) {
            fow_jw w;
            cli_writer_init(&w);
            fow_cohort_result_completion(&w, &done, &skills, done.passed ? &credential : NULL);
            rc = cli_print_written(&w);
        } else {
            print_completion(&done, &skills);
            if (credential.issued)
                printf("Credential %s issued (fow credential show %s; verify at %s).\n", credential.id,
                       credential.id, credential.verify_url);
            else if (done.passed)
                printf("No credential was issued: %s (fow credential issue can issue it later).\n",
                       credential.message);
        }
    }
    env_close(&e);
    return rc;
}

int cli_cohort(cli_context *ctx, int argc, char **argv) {
    static const struct {
        const char *name, *command;
        int max_pos;
    } subs[] = {
        {"add", "cohort add", 1},       {"list", "cohort list", 0},       {"show", "cohort show", 1},
        {"status", "cohort status", 2}, {"enrol", "cohort enrol", 2},     {"cancel", "cohort cancel", 2},
        {"attend", "cohort attend", 3}, {"complete", "cohort complete", 2}, {"load", "cohort load", 1},
    };
    ctx->command = "cohort";
    if (argc == 0 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        fputs(cohort_help, argc == 0 ? stderr : stdout);
        return argc == 0 ? CLI_EXIT_USER : 0;
    }
    int sub = -1;
    for (int s = 0; s < (int)(sizeof subs / sizeof subs[0]); s++)
        if (strcmp(argv[0], subs[s].name) == 0) sub = s;
    if (sub < 0)
        return cli_usage_error(ctx, "unknown subcommand '%s': use add, load, list, show, status, enrol, cancel, attend "
                                    "or complete",
                               argv[0]);
    ctx->command = subs[sub].command;
    cohort_args a = {0};
    const cli_option options[] = {{"--starts-on", &a.starts_on, NULL},
                                  {"--ends-on", &a.ends_on, NULL},
                                  {"--capacity", &a.capacity, NULL},
                                  {"--place", &a.place, NULL},
                                  {"--language", &a.language, NULL},
                                  {"--status", &a.status, NULL},
                                  {"--sessions", &a.sessions, NULL},
                                  {"--module", &a.module, NULL},
                                  {"--score", &a.score, NULL},
                                  {"--completed-on", &a.completed_on, NULL},
                                  {"--absent", NULL, &a.absent},
                                  {"--passed", NULL, &a.passed},
                                  {"--failed", NULL, &a.failed},
                                  {NULL, NULL, NULL}};
    int rc = cli_parse(ctx, argc - 1, argv + 1, options, a.pos, subs[sub].max_pos, &a.n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(cohort_help, stdout);
        return 0;
    }
    switch (sub) {
    case 0: return cohort_add(ctx, &a);
    case 1: return cohort_list(ctx, &a);
    case 2: return cohort_show(ctx, &a);
    case 3: return cohort_status(ctx, &a);
    case 4: return cohort_enrol(ctx, &a);
    case 5: return cohort_cancel(ctx, &a);
    case 6: return cohort_attend(ctx, &a);
    case 7: return cohort_complete(ctx, &a);
    default: return cohort_load(ctx, &a);
    }
}
