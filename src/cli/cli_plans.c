/* cli_plans.c — `fow person plan ...`: the worker's plan (src/plans,
 * docs/plans.md). Like `fow person`, the command line acts as an
 * administrator named "cli:LOGIN". */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "plans/fow_plans.h"
#include "service/fow_result.h"
#include "service/fow_world.h"
#include "training/fow_match.h"
#include "training/fow_training.h"
#include "transitions/fow_resolve.h"

static const char plan_help[] =
    "Usage: fow person plan new PERSON --title TEXT\n"
    "       fow person plan list PERSON [--lang CODE]\n"
    "       fow person plan show PLAN [--lang CODE]\n"
    "       fow person plan move PLAN OCCUPATION\n"
    "       fow person plan unmove PLAN MOVE\n"
    "       fow person plan module PLAN MOVE MODULE [--cohort ID]\n"
    "       fow person plan cohort PLAN MOVE MODULE --cohort ID|none\n"
    "       fow person plan drop PLAN MOVE MODULE\n"
    "       fow person plan milestone PLAN --title TEXT --due YYYY-MM-DD\n"
    "       fow person plan milestone PLAN MILESTONE --status S [--due YYYY-MM-DD]\n"
    "       fow person plan status PLAN STATUS\n"
    "\n"
    "The worker's plan that a counsellor makes with a person (docs/plans.md): target moves, the\n"
    "gap from the person's skills profile kept as it was (with its date and the data version),\n"
    "the modules and cohorts chosen, their hours and cost, milestones, the plan's status and the\n"
    "history of every change. Changes need the person's counselling consent. The person's\n"
    "export (fow person export) includes their plans; their erasure removes them.\n"
    "\n"
    "  new        makes an empty plan (status draft); prints its id.\n"
    "  list       the person's plans, newest first.\n"
    "  show       the whole plan (with --json: the document of the API and the export).\n"
    "  move       adds the move to OCCUPATION (URI, ESCO code or label): computes the gap from the\n"
    "             profile now and adds the modules that close it at least cost (as fow plan\n"
    "             --skills), each with its next open cohort.\n"
    "  unmove     removes move MOVE (its id in show) and its modules.\n"
    "  module     adds MODULE (its code) to move MOVE, with cohort ID if given.\n"
    "  cohort     chooses the cohort of MODULE in move MOVE (none: no cohort).\n"
    "  drop       removes MODULE from move MOVE.\n"
    "  milestone  adds a milestone (status planned), or with MILESTONE sets its status S:\n"
    "             planned, in_progress, done or dropped.\n"
    "  status     sets the plan's STATUS: draft, active, completed or cancelled (a completed or\n"
    "             cancelled plan changes no more until set active again).\n"
    "\n"
    "Options:\n"
    "  --title TEXT   the plan's or milestone's title (up to 200 bytes)\n"
    "  --due DATE     a milestone's due date, YYYY-MM-DD\n"
    "  --status S     a milestone's status\n"
    "  --cohort ID    a cohort of the module (fow cohort list MODULE)\n"
    "  --lang CODE    show and list: occupations, skills and module titles in language CODE (ro,\n"
    "                 en) as the taxonomy names them now; a label it has only in another language\n"
    "                 is the stored one, marked with its language, e.g. [en] (with --json:\n"
    "                 label_local, and label_lang when there is none)\n"
    "  --db PATH  --json  --help\n";

typedef struct plan_env {
    fow_db *db;
    fow_people *people;
    fow_world *world;
    fow_people_staff staff;
    char actor[FOW_PERSON_ACTOR_MAX + 1];
    fow_plans_ctx c;
} plan_env;

static void env_close(plan_env *e) {
    fow_people_close(e->people);
    fow_db_close(e->db);
    fow_world_release(e->world);
}

static int env_open(cli_context *ctx, plan_env *e, bool with_world) {
    memset(e, 0, sizeof *e);
    fow_error err;
    fow_error_clear(&err);
    int rc = cli_open_people(ctx, e->actor, &e->staff, &e->db, &e->people);
    if (rc) return rc;
    if (with_world && fow_world_open(ctx->db_path, &(fow_world_options){.quick = true}, &e->world, &err)) {
        env_close(e);
        return cli_fail(ctx, &err);
    }
    e->c = (fow_plans_ctx){.db = e->db, .people = e->people, .staff = &e->staff, .now = (long long)time(NULL)};
    return 0;
}

/* A positive id given as positional name. */
static int parse_id(cli_context *ctx, const char *name, const char *text, long long *out) {
    long v;
    int rc = cli_parse_size(ctx, name, text, 1, 2000000000L, &v);
    if (!rc) *out = v;
    return rc;
}

/* The labels' context of --lang (NULL without it, or without a world). */
static const fow_result_context *labels_of(plan_env *e, const char *lang, fow_result_context *rc) {
    if (!lang || !e->world) return NULL;
    *rc = (fow_result_context){fow_world_model(e->world), NULL, {NULL, NULL}, NULL, lang, NULL};
    return rc;
}

/* The label of item {label, label_local?, label_lang?} as the text shows
 * it: label_local when there is one, else the stored label, marked with
 * its language when --lang asked for another (written into buf). */
static const char *shown_label(const json_t *item, const char *lang, char *buf, size_t cap) {
    const char *local = json_string_value(json_object_get(item, "label_local"));
    const char *label = json_string_value(json_object_get(item, "label"));
    const char *in = json_string_value(json_object_get(item, "label_lang"));
    if (local) return local;
    if (!label) label = json_string_value(json_object_get(item, "uri"));
    if (!lang || !label) return label ? label : "";
    snprintf(buf, cap, "%s [%s]", label, in ? in : "?");
    return buf;
}

/* A module's title {en, ro} in lang (en when it has none in lang). */
static const char *module_title(const json_t *title, const char *lang) {
    const char *t = lang ? json_string_value(json_object_get(title, lang)) : NULL;
    if (!t || !t[0]) t = json_string_value(json_object_get(title, "en"));
    return t ? t : "";
}

static int print_plan(cli_context *ctx, plan_env *e, long long plan_id, const char *lang) {
    fow_error err;
    fow_error_clear(&err);
    fow_jw w;
    cli_writer_init(&w);
    fow_result_context rctx;
    if (fow_result_worker_plan(&w, labels_of(e, lang, &rctx), &e->c, plan_id, &err)) {
        fow_jw_free(&w);
        return cli_fail(ctx, &err);
    }
    if (ctx->json) return cli_print_written(&w);
    json_error_t jerr;
    json_t *doc = json_loads(fow_jw_text(&w, NULL), 0, &jerr);
    fow_jw_free(&w);
    if (!doc) return CLI_EXIT_INTERNAL;
    printf("Plan %lld: %s (%s) for %s, %s\n", (long long)json_integer_value(json_object_get(doc, "id")),
           json_string_value(json_object_get(doc, "title")), json_string_value(json_object_get(doc, "status")),
           json_string_value(json_object_get(doc, "person")), json_string_value(json_object_get(doc, "organisation")));
    size_t i, k;
    json_t *mv, *m;
    json_array_foreach(json_object_get(doc, "moves"), i, mv) {
        json_t *gap = json_object_get(mv, "gap");
        char buf[600];
        printf("\nMove %lld to %s\n", (long long)json_integer_value(json_object_get(mv, "id")),
               shown_label(json_object_get(mv, "occupation"), lang, buf, sizeof buf));
        printf("  gap as of %s (data version %lld): %lld skills to learn, %lld covered by the modules\n",
               json_string_value(json_object_get(mv, "gap_at")),
               (long long)json_integer_value(json_object_get(json_object_get(mv, "data_version"), "generation")),
               (long long)json_integer_value(json_object_get(gap, "to_learn_count")),
               (long long)json_integer_value(json_object_get(gap, "covered")));
        json_t *skill;
        json_array_foreach(json_object_get(gap, "to_learn"), k, skill) {
            const char *by = json_string_value(json_object_get(skill, "covered_by"));
            printf("    - %s%s%s%s\n", shown_label(skill, lang, buf, sizeof buf), by ? " (" : "", by ? by : "",
                   by ? ")" : "");
        }
        json_array_foreach(json_object_get(mv, "modules"), k, m) {
            json_t *cost = json_object_get(m, "cost");
            const char *starts = json_string_value(json_object_get(m, "starts_on"));
            printf("  %-12s %g h  %lld.%02lld %s  %s%s%s\n", json_string_value(json_object_get(m, "code")),
                   json_number_value(json_object_get(m, "hours")),
                   (long long)json_integer_value(json_object_get(cost, "minor_units")) / 100,
                   (long long)json_integer_value(json_object_get(cost, "minor_units")) % 100,
                   json_string_value(json_object_get(cost, "currency")),
                   module_title(json_object_get(m, "title"), lang), starts ? ", starts " : "",
                   starts ? starts : "");
        }
    }
    json_t *totals = json_object_get(doc, "totals");
    long long n_modules = (long long)json_integer_value(json_object_get(totals, "modules"));
    printf("\nTotals: %lld module%s, %g hours", n_modules, n_modules == 1 ? "" : "s",
           json_number_value(json_object_get(totals, "hours")));
    json_array_foreach(json_object_get(totals, "cost"), i, m)
        printf(", %lld.%02lld %s", (long long)json_integer_value(json_object_get(m, "minor_units")) / 100,
               (long long)json_integer_value(json_object_get(m, "minor_units")) % 100,
               json_string_value(json_object_get(m, "currency")));
    printf(" (prices of the catalogue when chosen)\n");
    json_t *ms = json_object_get(doc, "milestones");
    if (json_array_size(ms)) printf("\nMilestones:\n");
    json_array_foreach(ms, i, m)
        printf("  %lld  %s  %-11s %s\n", (long long)json_integer_value(json_object_get(m, "id")),
               json_string_value(json_object_get(m, "due")), json_string_value(json_object_get(m, "status")),
               json_string_value(json_object_get(m, "title")));
    printf("\nHistory:\n");
    json_array_foreach(json_object_get(doc, "history"), i, m)
        printf("  %s  %s  %s: %s\n", json_string_value(json_object_get(m, "at")),
               json_string_value(json_object_get(m, "actor")), json_string_value(json_object_get(m, "action")),
               json_string_value(json_object_get(m, "detail")));
    json_decref(doc);
    return 0;
}

/* Prints the plan after a change (JSON), or "done" text. */
static int changed(cli_context *ctx, plan_env *e, long long plan_id, const char *what) {
    if (ctx->json) return print_plan(ctx, e, plan_id, NULL);
    printf("%s\n", what);
    return 0;
}

int cli_person_plan(cli_context *ctx, int argc, char **argv) {
    ctx->command = "person plan";
    if (argc == 0 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        fputs(plan_help, argc == 0 ? stderr : stdout);
        return argc == 0 ? CLI_EXIT_USER : 0;
    }
    static const char *const subs[] = {"new", "list", "show", "move", "unmove", "module",
                                       "cohort", "drop", "milestone", "status", NULL};
    int sub = -1;
    for (int s = 0; subs[s]; s++)
        if (strcmp(argv[0], subs[s]) == 0) sub = s;
    if (sub < 0)
        return cli_usage_error(ctx, "unknown subcommand '%s': use new, list, show, move, unmove, module, cohort, "
                                    "drop, milestone or status",
                               argv[0]);
    const char *title = NULL, *due = NULL, *status = NULL, *cohort = NULL, *lang = NULL, *pos[3];
    int n_pos = 0;
    const cli_option options[] = {{"--title", &title, NULL},   {"--due", &due, NULL},
                                  {"--status", &status, NULL}, {"--cohort", &cohort, NULL},
                                  {"--lang", &lang, NULL},     {NULL, NULL, NULL}};
    int rc = cli_parse(ctx, argc - 1, argv + 1, options, pos, 3, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(plan_help, stdout);
        return 0;
    }
    static const int needed[] = {1, 1, 1, 2, 2, 3, 3, 3, -1, 2};
    if (needed[sub] >= 0 && n_pos != needed[sub])
        return cli_usage_error(ctx, "%s needs %d argument%s (see fow person plan --help)", subs[sub], needed[sub],
                               needed[sub] == 1 ? "" : "s");
    long long plan_id = 0, move_id = 0, milestone_id = 0;
    int64_t cohort_id = 0;
    if (sub >= 2 && (rc = parse_id(ctx, "PLAN", pos[0], &plan_id))) return rc;
    if ((sub == 4 || sub == 5 || sub == 6 || sub == 7) && (rc = parse_id(ctx, "MOVE", pos[1], &move_id))) return rc;
    if (sub == 8) {
        if (n_pos < 1 || n_pos > 2) return cli_usage_error(ctx, "milestone needs PLAN, and MILESTONE to change one");
        if (n_pos == 2 && (rc = parse_id(ctx, "MILESTONE", pos[1], &milestone_id))) return rc;
        if (n_pos == 1 && (!title || !due)) return cli_usage_error(ctx, "a new milestone needs --title and --due");
        if (n_pos == 2 && !status) return cli_usage_error(ctx, "a milestone's change needs --status");
    }
    if (sub == 6 && !cohort) return cli_usage_error(ctx, "cohort needs --cohort ID or --cohort none");
    if (cohort && strcmp(cohort, "none") != 0) {
        long long v;
        if ((rc = parse_id(ctx, "--cohort", cohort, &v))) return rc;
        cohort_id = v;
    }
    if (sub == 0 && !title) return cli_usage_error(ctx, "new needs --title");
    if (lang && sub != 1 && sub != 2) return cli_usage_error(ctx, "--lang goes with show and list only");
    if (lang && (strlen(lang) < 2 || strlen(lang) > 7 || strspn(lang, "abcdefghijklmnopqrstuvwxyz-") != strlen(lang)))
        return cli_usage_error(ctx, "--lang must be a language code such as ro or en, not '%s'", lang);
    fow_milestone_status ms = FOW_MILESTONE_PLANNED;
    if (status && fow_milestone_status_parse(status, &ms) != 0)
        return cli_usage_error(ctx, "--status must be planned, in_progress, done or dropped, not '%s'", status);
    fow_plan_status ps = FOW_PLAN_DRAFT;
    if (sub == 9 && fow_plan_status_parse(pos[1], &ps) != 0)
        return cli_usage_error(ctx, "STATUS must be draft, active, completed or cancelled, not '%s'", pos[1]);

    plan_env e;
    if ((rc = env_open(ctx, &e, sub == 3 || lang != NULL))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_code code = FOW_OK;
    char what[128];
    switch (sub) {
    case 0: {
        long long id = 0;
        if (!(code = fow_plans_create(&e.c, pos[0], title, &id, &err))) {
            snprintf(what, sizeof what, "%lld", id);
            rc = changed(ctx, &e, id, what);
        }
        break;
    }
    case 1: {
        fow_jw w;
        cli_writer_init(&w);
        fow_result_context rctx;
        if (!(code = fow_result_worker_plans(&w, labels_of(&e, lang, &rctx), &e.c, pos[0], &err))) {
            if (ctx->json) {
                rc = cli_print_written(&w);
                break;
            }
            json_error_t jerr;
            json_t *doc = json_loads(fow_jw_text(&w, NULL), 0, &jerr);
            size_t i;
            json_t *p;
            json_array_foreach(json_object_get(doc, "plans"), i, p) {
                printf("%lld  %-10s %s  %s (moves: %zu)\n", (long long)json_integer_value(json_object_get(p, "id")),
                       json_string_value(json_object_get(p, "status")),
                       json_string_value(json_object_get(p, "updated_at")),
                       json_string_value(json_object_get(p, "title")), json_array_size(json_object_get(p, "moves")));
                size_t k;
                json_t *target;
                char buf[600];
                json_array_foreach(json_object_get(p, "targets"), k, target)
                    printf("      to %s\n", shown_label(target, lang, buf, sizeof buf));
            }
            if (!json_array_size(json_object_get(doc, "plans"))) printf("no plans\n");
            json_decref(doc);
        }
        fow_jw_free(&w);
        break;
    }
    case 2: rc = print_plan(ctx, &e, plan_id, lang); break;
    case 3: {
        const fow_model *model = fow_world_model(e.world);
        uint32_t dest;
        fow_training_catalogue cat;
        memset(&cat, 0, sizeof cat);
        fow_match_index *x = NULL;
        fow_similarity_workspace *ws = NULL;
        code = fow_resolve_occupation(model, pos[1], &dest, &err);
        if (!code) code = fow_training_load(e.db, &cat, &err);
        if (!code) code = fow_match_index_build(&cat, &x, &err);
        if (!code && !(ws = fow_world_workspace_borrow(e.world))) code = fow_error_set(&err, FOW_ENOMEM, "out of memory");
        long long id = 0;
        if (!code) code = fow_plans_add_move(&e.c, plan_id, ws, x, dest, &id, &err);
        if (ws) fow_world_workspace_return(e.world, ws);
        fow_match_index_free(x);
        fow_training_free(&cat);
        if (!code) {
            snprintf(what, sizeof what, "move %lld added", id);
            rc = print_plan(ctx, &e, plan_id, NULL);
        }
        break;
    }
    case 4:
        if (!(code = fow_plans_remove_move(&e.c, plan_id, move_id, &err))) rc = changed(ctx, &e, plan_id, "removed");
        break;
    case 5: {
        fow_training_catalogue cat;
        memset(&cat, 0, sizeof cat);
        code = fow_training_load(e.db, &cat, &err);
        if (!code) code = fow_plans_add_module(&e.c, plan_id, move_id, &cat, pos[2], cohort_id, &err);
        fow_training_free(&cat);
        if (!code) rc = changed(ctx, &e, plan_id, "added");
        break;
    }
    case 6:
        if (!(code = fow_plans_set_cohort(&e.c, plan_id, move_id, pos[2], cohort_id, &err)))
            rc = changed(ctx, &e, plan_id, "cohort set");
        break;
    case 7:
        if (!(code = fow_plans_remove_module(&e.c, plan_id, move_id, pos[2], &err)))
            rc = changed(ctx, &e, plan_id, "removed");
        break;
    case 8:
        if (n_pos == 1) {
            long long id = 0;
            if (!(code = fow_plans_add_milestone(&e.c, plan_id, title, due, &id, &err))) {
                snprintf(what, sizeof what, "milestone %lld", id);
                rc = changed(ctx, &e, plan_id, what);
            }
        } else if (!(code = fow_plans_set_milestone(&e.c, plan_id, milestone_id, ms, due, &err))) {
            rc = changed(ctx, &e, plan_id, "milestone updated");
        }
        break;
    default:
        if (!(code = fow_plans_set_status(&e.c, plan_id, ps, &err))) rc = changed(ctx, &e, plan_id, pos[1]);
        break;
    }
    if (code) rc = cli_fail(ctx, &err);
    env_close(&e);
    return rc;
}
