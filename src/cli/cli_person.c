/* cli_person.c — `fow person ...`: the people a programme serves, their
 * consents, skills profiles, export, erasure and the audit log
 * (src/people/fow_people.h, docs/people.md). The command line runs on the
 * server's machine with its database and key file: it acts as an
 * administrator named "cli:LOGIN" (every organisation; every read is
 * audited under that name). */
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "people/fow_people.h"
#include "service/fow_result.h"
#include "service/fow_world.h"

static const char person_help[] =
    "Usage: fow person add [--name TEXT] [--contact TEXT] [--birth-year YYYY] [--sex S] [--area AREA]\n"
    "                      [--occupation OCCUPATION] [--employment-status S] --organisation ORG\n"
    "       fow person update ID [--name TEXT] [--contact TEXT] [--birth-year YYYY] [--sex S] [--area AREA]\n"
    "                        [--occupation OCCUPATION] [--employment-status S]\n"
    "       fow person list\n"
    "       fow person show ID --reason TEXT [--lang ro|en]\n"
    "       fow person find (--name TEXT | --contact TEXT) --reason TEXT\n"
    "       fow person consent ID PURPOSE --text-version V\n"
    "       fow person withdraw ID PURPOSE\n"
    "       fow person export ID --reason TEXT [--out FILE]\n"
    "       fow person erase ID --reason TEXT\n"
    "       fow person audit [--person ID] [--limit N]\n"
    "       fow person counts\n"
    "       fow person skills ID [--reason TEXT] [--lang ro|en]\n"
    "       fow person skills add ID SKILL [--provenance P] [--detail TEXT]\n"
    "       fow person skills remove ID SKILL [--provenance P]\n"
    "       fow person skills infer ID\n"
    "       fow person moves ID [--limit N] [--safe] [--desirable] [--model M]\n"
    "       fow person plan new|list|show|move|module|milestone|status ... (fow person plan --help)\n"
    "\n"
    "The people the programme serves, with privacy by design (docs/people.md). A person is known\n"
    "by a random id (p + 26 letters and digits). Name and contact are optional and stored only\n"
    "encrypted, with the key in the file DB.key next to the database (made on first use, mode\n"
    "0600: back it up apart from the database). Every read and change is written to an audit log.\n"
    "The command line acts as an administrator named cli:LOGIN.\n"
    "\n"
    "  add       adds a person; prints their id. OCCUPATION: their current or last occupation\n"
    "            (URI, ESCO code or label). S: employed, self-employed, unemployed, inactive,\n"
    "            student or unknown (default).\n"
    "  update    changes the fields given (rectification; '' clears one, the others stay); the\n"
    "            audit log names the fields changed, not their values. The organisation stays.\n"
    "  list      the people (ids, area, occupation, status, consents; no names).\n"
    "  show      one person's record with name, contact and consent history (audited: --reason).\n"
    "  find      the ids of the people with exactly this name or contact (case and accents\n"
    "            ignored; audited).\n"
    "  consent   records the person's consent to PURPOSE (counselling, training, vouchers,\n"
    "            statistics) under version V of the consent text.\n"
    "  withdraw  withdraws it: from now on nothing is done for that purpose (the skills profile\n"
    "            and moves need counselling).\n"
    "  export    everything stored about the person, as JSON (to --out FILE or standard output).\n"
    "  erase     erases the person: personal fields, consents and skills are removed and\n"
    "            overwritten; a de-identified stub keeps the counts right; the accounts linked\n"
    "            to the person (role person) are disabled: sessions and API tokens end, no password\n"
    "            logs in, a password reset is refused.\n"
    "  audit     the audit log, newest first: when, who, what, which person, why.\n"
    "  counts    people served, erased and consenting, per organisation.\n"
    "  skills    the skills profile, each skill with its provenance; add, remove, or infer the\n"
    "            essential skills of the person's occupation. P: declared (default), counsellor,\n"
    "            occupation, assessment or credential.\n"
    "  moves     the transitions from the person's skills profile, judged for pay and risk as\n"
    "            their occupation (as fow transitions --skills).\n"
    "\n"
    "Options:\n"
    "  --reason TEXT         why the record is read (written to the audit log)\n"
    "  --lang ro|en          show, skills: the occupation's and the skills' labels in that language\n"
    "                        where the taxonomy has one; a label it has only in another language is\n"
    "                        followed by that language, as [en]. --json adds label_local (null when\n"
    "                        none) and then label_lang, as the API's ?lang= does\n"
    "  --sex S               add: female, male or other; not given: not stated (kept only for the\n"
    "                        indicators by sex, docs/indicators.md)\n"
    "  --out FILE            export: write the JSON to FILE (mode 0600) instead of standard output\n"
    "  --limit N             audit: at most N entries (default 100); moves: at most N (default 20)\n"
    "  --model M             moves: mcc (default) or frey-osborne\n"
    "  --safe, --desirable   moves: only safe / desirable destinations\n"
    "  --db PATH  --json  --help\n";

typedef struct person_args {
    const char *name, *contact, *birth_year, *sex, *area, *occupation, *employment_status, *organisation, *reason,
        *text_version, *out, *person, *limit, *provenance, *detail, *model, *lang;
    bool safe, desirable;
    const char *pos[3];
    int n_pos;
} person_args;

/* The database, the people records and (when asked) the world. */
typedef struct person_env {
    fow_db *db;
    fow_people *people;
    fow_world *world;
    fow_people_staff staff;
    char actor[FOW_PERSON_ACTOR_MAX + 1];
} person_env;

static void env_close(person_env *e) {
    fow_people_close(e->people);
    fow_db_close(e->db);
    fow_world_release(e->world);
}

/* with_world: 0 none, 1 required, 2 when there is one (labels). */
static int env_open(cli_context *ctx, person_env *e, int with_world) {
    memset(e, 0, sizeof *e);
    fow_error err;
    fow_error_clear(&err);
    int rc = cli_open_people(ctx, e->actor, &e->staff, &e->db, &e->people);
    if (rc) return rc;
    if (with_world && fow_world_open(ctx->db_path, &(fow_world_options){.quick = true}, &e->world, &err)) {
        if (with_world == 2) {
            e->world = NULL; /* no taxonomy: the labels are left out */
            return 0;
        }
        env_close(e);
        return cli_fail(ctx, &err);
    }
    return 0;
}

static const fow_model *env_model(const person_env *e) { return e->world ? fow_world_model(e->world) : NULL; }

/* Checks --lang: NULL (not given), ro or en; else a usage error naming it. */
static int check_lang(cli_context *ctx, const char *lang) {
    if (!lang || strcmp(lang, "ro") == 0 || strcmp(lang, "en") == 0) return 0;
    return cli_usage_error(ctx, "--lang must be ro or en (the languages of fow's texts), not '%s'", lang);
}

/* Prints the label of occupation (kind 0) or skill (kind 1) index of model
 * in lang (NULL: label as it is), as a cell of width (0: as it is): the
 * taxonomy's preferred label in lang, else label followed by its own
 * language in brackets ("[en]"; "[?]" when unknown). */
static void print_label(const fow_model *model, int kind, uint32_t index, const char *label, const char *lang,
                        int width) {
    char text[512];
    const char *local = lang ? fow_model_label_in(model, kind, index, lang) : NULL;
    if (local || !lang) {
        snprintf(text, sizeof text, "%s", local ? local : label);
    } else {
        const char *own = fow_model_label_lang(model, kind, index, label);
        snprintf(text, sizeof text, "%s [%s]", label, own ? own : "?");
    }
    if (width > 0) cli_print_cell(stdout, text, width);
    else fputs(text, stdout);
}

static char *time_text(long long t, char *buf, size_t n) {
    if (t <= 0) return strcpy(buf, "-");
    time_t tt = (time_t)t;
    struct tm tm;
    strftime(buf, n, "%Y-%m-%d %H:%M", gmtime_r(&tt, &tm));
    return buf;
}

static int print_writer(fow_jw *w) { return cli_print_written(w); }

/* ---- records ---------------------------------------------------------------- */

static int person_add(cli_context *ctx, person_args *a, person_env *e) {
    long year = 0;
    int rc = 0;
    if (a->birth_year && (rc = cli_parse_size(ctx, "--birth-year", a->birth_year, 1, 9999, &year))) return rc;
    fow_person_input in = {.name = a->name, .contact = a->contact, .birth_year = (int)year, .sex = a->sex,
                           .area = a->area,
                           .occupation = a->occupation, .employment_status = a->employment_status,
                           .organisation = a->organisation};
    char id[FOW_PERSON_ID_CHARS + 1];
    fow_error err;
    fow_error_clear(&err);
    if (fow_people_add(e->people, &e->staff, env_model(e), &in, (long long)time(NULL), id, &err)) rc = cli_fail(ctx, &err);
    else if (ctx->json) rc = cli_print_json(json_pack("{s:s}", "id", id));
    else printf("Added person %s.\n", id);
    return rc;
}

/* fow person update ID: the options given change (an empty value clears
 * the field), the others stay. */
static int person_update(cli_context *ctx, person_args *a, person_env *e) {
    long year = 0;
    int rc = 0;
    if (a->birth_year && a->birth_year[0] && (rc = cli_parse_size(ctx, "--birth-year", a->birth_year, 1, 9999, &year)))
        return rc;
    fow_person_update u = {.name = a->name != NULL,
                           .contact = a->contact != NULL,
                           .birth_year = a->birth_year != NULL,
                           .sex = a->sex != NULL,
                           .area = a->area != NULL,
                           .occupation = a->occupation != NULL,
                           .employment_status = a->employment_status != NULL,
                           .values = {.name = a->name, .contact = a->contact, .birth_year = (int)year, .sex = a->sex,
                                      .area = a->area, .occupation = a->occupation,
                                      .employment_status = a->employment_status}};
    if (!(u.name || u.contact || u.birth_year || u.sex || u.area || u.occupation || u.employment_status))
        return cli_usage_error(ctx, "update needs a field to change: --name, --contact, --birth-year, --sex, --area, "
                                    "--occupation or --employment-status");
    fow_error err;
    fow_error_clear(&err);
    if (fow_people_update(e->people, &e->staff, env_model(e), a->pos[0], &u, (long long)time(NULL), &err))
        rc = cli_fail(ctx, &err);
    else if (ctx->json) rc = cli_print_json(json_pack("{s:s, s:b}", "id", a->pos[0], "changed", 1));
    else printf("Changed person %s.\n", a->pos[0]);
    return rc;
}

static void print_consents_short(const fow_person *p) {
    bool any = false;
    for (int i = 0; i < FOW_PURPOSE_COUNT; i++)
        if (p->consent[i]) {
            printf("%s%s", any ? "," : "", fow_purpose_name((fow_purpose)i));
            any = true;
        }
    if (!any) printf("none");
}

static int person_list(cli_context *ctx, person_args *a, person_env *e) {
    (void)a; /* takes no option */
    int rc = 0;
    fow_error err;
    fow_error_clear(&err);
    fow_person *list = NULL;
    size_t n = 0;
    if (fow_people_list(e->people, &e->staff, (long long)time(NULL), &list, &n, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_jw_object(&w);
        fow_jw_key(&w, "people");
        fow_jw_array(&w);
        for (size_t i = 0; i < n; i++) fow_people_write_person(&w, &list[i], env_model(e), NULL, false);
        fow_jw_array_end(&w);
        fow_jw_kint(&w, "total", (long long)n);
        fow_jw_object_end(&w);
        rc = print_writer(&w);
    } else if (n == 0) {
        printf("No people yet. Add one with: fow person add --organisation ORG\n");
    } else {
        printf("%-27s %-16s %-14s %-5s %-30s %s\n", "ID", "ORGANISATION", "STATUS", "BORN", "CONSENT", "AREA");
        for (size_t i = 0; i < n; i++) {
            printf("%-27s ", list[i].id);
            cli_print_cell(stdout, list[i].organisation, 16);
            printf(" %-14s ", list[i].employment_status);
            if (list[i].birth_year) printf("%-5d ", list[i].birth_year);
            else printf("%-5s ", "-");
            char consents[128];
            consents[0] = '\0';
            for (int k = 0; k < FOW_PURPOSE_COUNT; k++)
                if (list[i].consent[k])
                    snprintf(consents + strlen(consents), sizeof consents - strlen(consents), "%s%s",
                             consents[0] ? "," : "", fow_purpose_name((fow_purpose)k));
            cli_print_cell(stdout, consents[0] ? consents : "none", 30);
            printf(" %s\n", list[i].area[0] ? list[i].area : "-");
        }
        printf("\n%zu %s. Names are shown only by 'fow person show ID --reason TEXT' (audited).\n", n,
               n == 1 ? "person" : "people");
    }
    free(list);
    return rc;
}

static int person_show(cli_context *ctx, person_args *a, person_env *e) {
    int rc = 0;
    fow_error err;
    fow_error_clear(&err);
    fow_person *p = calloc(1, sizeof *p);
    fow_consent *c = NULL;
    size_t n = 0;
    if (!p) {
        rc = cli_usage_error(ctx, "out of memory");
    } else if (fow_people_get(e->people, &e->staff, a->pos[0], a->reason, (long long)time(NULL), p, &err) ||
               fow_people_consents(e->people, &e->staff, a->pos[0], &c, &n, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_jw_object(&w);
        fow_jw_key(&w, "person");
        fow_people_write_person(&w, p, env_model(e), a->lang, true);
        fow_jw_key(&w, "consents");
        fow_people_write_consents(&w, c, n);
        fow_jw_object_end(&w);
        rc = print_writer(&w);
    } else {
        char t[32];
        printf("Person %s\n", p->id);
        printf("  name               %s\n", p->name[0] ? p->name : "-");
        printf("  contact            %s\n", p->contact[0] ? p->contact : "-");
        if (p->birth_year) printf("  year of birth      %d\n", p->birth_year);
        else printf("  year of birth      -\n");
        printf("  sex                %s\n", p->sex[0] ? p->sex : "not stated");
        printf("  area               %s\n", p->area[0] ? p->area : "-");
        uint32_t occ = env_model(e) && p->occupation_uri[0]
                           ? fow_model_occupation_by_key(env_model(e), true, p->occupation_uri, strlen(p->occupation_uri))
                           : FOW_NO_INDEX;
        printf("  occupation         ");
        if (occ != FOW_NO_INDEX) print_label(env_model(e), 0, occ, env_model(e)->occupations[occ].label, a->lang, 0);
        printf("%s%s%s\n", occ != FOW_NO_INDEX ? " (" : "", p->occupation_uri[0] ? p->occupation_uri : "-",
               occ != FOW_NO_INDEX ? ")" : "");
        printf("  employment status  %s\n", p->employment_status);
        printf("  organisation       %s\n", p->organisation);
        printf("  added              %s UTC by %s\n", time_text(p->created_at, t, sizeof t), p->created_by);
        printf("  consent in force   ");
        print_consents_short(p);
        printf("\n");
        if (n) printf("\nConsent history:\n");
        for (size_t i = 0; i < n; i++) {
            char w2[32];
            printf("  %-12s text %-10s given %s UTC by %s", fow_purpose_name(c[i].purpose), c[i].text_version,
                   time_text(c[i].given_at, t, sizeof t), c[i].given_by);
            if (c[i].withdrawn_at) printf(", withdrawn %s UTC by %s", time_text(c[i].withdrawn_at, w2, sizeof w2), c[i].withdrawn_by);
            printf("\n");
        }
        printf("\nThis read was written to the audit log.\n");
    }
    if (p) sodium_memzero(p, sizeof *p);
    free(p);
    free(c);
    return rc;
}

static int person_find(cli_context *ctx, person_args *a, person_env *e) {
    if ((a->name != NULL) == (a->contact != NULL)) return cli_usage_error(ctx, "give exactly one of --name and --contact");
    int rc = 0;
    fow_error err;
    fow_error_clear(&err);
    char ids[100][FOW_PERSON_ID_CHARS + 1];
    size_t n = 0;
    if (fow_people_find(e->people, &e->staff, a->name ? 0 : 1, a->name ? a->name : a->contact, a->reason,
                        (long long)time(NULL), ids, 100, &n, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) json_array_append_new(arr, json_string(ids[i]));
        rc = cli_print_json(json_pack("{s:o}", "ids", arr));
    } else {
        if (n == 0) printf("Nobody has exactly this %s.\n", a->name ? "name" : "contact");
        for (size_t i = 0; i < n; i++) printf("%s\n", ids[i]);
    }
    return rc;
}

/* ---- consent ------------------------------------------------------------------ */

static int parse_purpose(cli_context *ctx, const char *text, fow_purpose *out) {
    if (fow_purpose_parse(text, out) != 0)
        return cli_usage_error(ctx, "PURPOSE must be counselling, training, vouchers or statistics, not '%s'", text);
    return 0;
}

static int person_consent_run(cli_context *ctx, person_args *a, person_env *e, bool give) {
    if (give && !a->text_version) return cli_usage_error(ctx, "needs --text-version V: the version of the consent text agreed to");
    fow_purpose purpose;
    int rc = parse_purpose(ctx, a->pos[1], &purpose);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    long long now = (long long)time(NULL);
    fow_code code = give ? fow_people_consent_give(e->people, &e->staff, a->pos[0], purpose, a->text_version, now, &err)
                         : fow_people_consent_withdraw(e->people, &e->staff, a->pos[0], purpose, now, &err);
    if (code) rc = cli_fail(ctx, &err);
    else if (ctx->json)
        rc = cli_print_json(json_pack("{s:s, s:s, s:b}", "person", a->pos[0], "purpose", fow_purpose_name(purpose),
                                      "in_force", give));
    else if (give) printf("Recorded %s's consent to %s (text %s).\n", a->pos[0], fow_purpose_name(purpose), a->text_version);
    else printf("Withdrew %s's consent to %s: nothing more is done for that purpose.\n", a->pos[0], fow_purpose_name(purpose));
    return rc;
}

static int person_consent(cli_context *ctx, person_args *a, person_env *e) { return person_consent_run(ctx, a, e, true); }

static int person_withdraw(cli_context *ctx, person_args *a, person_env *e) {
    return person_consent_run(ctx, a, e, false);
}

/* ---- export and erasure ----------------------------------------------------------- */

/* Opens path for writing, readable by its owner only (an export is
 * personal data). */
static int open_private(const char *path) { return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600); }

static int person_export(cli_context *ctx, person_args *a, person_env *e) {
    int rc = 0;
    fow_error err;
    fow_error_clear(&err);
    fow_jw w;
    cli_writer_init(&w);
    if (fow_people_export(e->people, &e->staff, a->pos[0], a->reason, (long long)time(NULL), &w, &err)) {
        fow_jw_free(&w);
        rc = cli_fail(ctx, &err);
    } else if (a->out) {
        size_t len = 0;
        const char *text = fow_jw_text(&w, &len);
        FILE *f = NULL;
        int fd = open_private(a->out);
        if (fd >= 0) f = fdopen(fd, "w");
        if (!f || fwrite(text, 1, len, f) != len || fputc('\n', f) == EOF) rc = cli_usage_error(ctx, "cannot write %s", a->out);
        if (f && fclose(f) != 0 && !rc) rc = cli_usage_error(ctx, "cannot write %s", a->out);
        if (!f && fd >= 0) close(fd);
        sodium_memzero((void *)text, len);
        fow_jw_free(&w);
        if (!rc && !ctx->json) printf("Exported %s to %s.\n", a->pos[0], a->out);
        else if (!rc) rc = cli_print_json(json_pack("{s:s, s:s}", "person", a->pos[0], "out", a->out));
    } else {
        rc = print_writer(&w);
    }
    return rc;
}

static int person_erase(cli_context *ctx, person_args *a, person_env *e) {
    int rc = 0;
    fow_error err;
    fow_error_clear(&err);
    fow_erasure result;
    if (fow_people_erase(e->people, &e->staff, a->pos[0], a->reason, (long long)time(NULL), &result, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        rc = cli_print_json(json_pack("{s:s, s:b, s:I, s:I, s:I, s:b}", "person", a->pos[0], "erased", 1, "consents_removed",
                                      (json_int_t)result.consents, "skills_removed", (json_int_t)result.skills,
                                      "accounts_disabled", (json_int_t)result.accounts_disabled, "wal_cleared",
                                      result.wal_cleared));
    } else {
        printf("Erased %s: personal fields, %zu consent records and %zu skills removed; a de-identified stub "
               "keeps the counts; %zu linked account(s) disabled.\n",
               a->pos[0], result.consents, result.skills, result.accounts_disabled);
        if (!result.wal_cleared)
            printf("The WAL is still in use by another connection (fow serve?): its old pages go at the next "
                   "checkpoint.\n");
    }
    return rc;
}

static int person_audit(cli_context *ctx, person_args *a, person_env *e) {
    long limit = 100;
    int rc = 0;
    if (a->limit && (rc = cli_parse_size(ctx, "--limit", a->limit, 1, 1000000, &limit))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_audit_entry *entries = NULL;
    size_t n = 0;
    if (fow_people_audit(e->people, &e->staff, a->person, (size_t)limit, &entries, &n, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_jw_object(&w);
        fow_jw_key(&w, "entries");
        fow_people_write_audit(&w, entries, n);
        fow_jw_object_end(&w);
        rc = print_writer(&w);
    } else {
        if (n == 0) printf("The audit log is empty.\n");
        else printf("%-16s %-20s %-12s %-27s %s\n", "WHEN (UTC)", "WHO", "WHAT", "PERSON", "WHY");
        for (size_t i = 0; i < n; i++) {
            char t[32];
            printf("%-16s ", time_text(entries[i].at, t, sizeof t));
            cli_print_cell(stdout, entries[i].actor, 20);
            printf(" %-12s %-27s %s\n", entries[i].action, entries[i].person[0] ? entries[i].person : "(all)",
                   entries[i].reason);
        }
    }
    free(entries);
    return rc;
}

static int person_counts(cli_context *ctx, person_args *a, person_env *e) {
    (void)a; /* takes no option */
    int rc = 0;
    fow_error err;
    fow_error_clear(&err);
    fow_people_count *c = NULL;
    size_t n = 0;
    if (fow_people_counts(e->people, &e->staff, &c, &n, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_jw_object(&w);
        fow_jw_key(&w, "organisations");
        fow_people_write_counts(&w, c, n);
        fow_jw_object_end(&w);
        rc = print_writer(&w);
    } else {
        printf("%-24s %7s %7s %7s   consenting: %s\n", "ORGANISATION", "SERVED", "ERASED", "ACTIVE",
               "counselling/training/vouchers/statistics");
        for (size_t i = 0; i < n; i++) {
            cli_print_cell(stdout, c[i].organisation, 24);
            printf(" %7lld %7lld %7lld   %lld/%lld/%lld/%lld\n", c[i].served, c[i].erased, c[i].served - c[i].erased,
                   c[i].consenting[0], c[i].consenting[1], c[i].consenting[2], c[i].consenting[3]);
        }
        printf("\nCounted from the records; erased people stay counted as served (a de-identified stub).\n");
    }
    free(c);
    return rc;
}

/* ---- skills and moves ------------------------------------------------------------------ */

static int parse_provenance(cli_context *ctx, const char *text, fow_skill_provenance def, fow_skill_provenance *out) {
    *out = def;
    if (text && fow_skill_provenance_parse(text, out) != 0)
        return cli_usage_error(ctx, "--provenance must be declared, counsellor, occupation, assessment or credential, not '%s'",
                               text);
    return 0;
}

static int person_skills(cli_context *ctx, person_args *a, person_env *e) {
    const char *verb = a->n_pos > 0 ? a->pos[0] : "";
    bool add = strcmp(verb, "add") == 0, remove = strcmp(verb, "remove") == 0, infer = strcmp(verb, "infer") == 0;
    int want = add || remove ? 3 : infer ? 2 : 1;
    if (a->n_pos != want)
        return cli_usage_error(ctx, add || remove ? "needs the person's ID and the SKILL"
                                                  : "needs the person's ID (or add|remove|infer ID ...)");
    const char *id = want == 1 ? a->pos[0] : a->pos[1];
    if (a->lang && want != 1) return cli_usage_error(ctx, "--lang goes with 'fow person skills ID' (the profile), not with %s", verb);
    fow_skill_provenance provenance;
    int rc = parse_provenance(ctx, a->provenance, add ? FOW_SKILL_DECLARED : FOW_SKILL_PROVENANCE_COUNT, &provenance);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    long long now = (long long)time(NULL);
    const fow_model *model = env_model(e);
    if (add || remove) {
        fow_code code = add ? fow_people_skill_add(e->people, &e->staff, model, id, a->pos[2], provenance, a->detail, now, &err)
                            : fow_people_skill_remove(e->people, &e->staff, model, id, a->pos[2], provenance, now, &err);
        if (code) rc = cli_fail(ctx, &err);
        else if (ctx->json) rc = cli_print_json(json_pack("{s:s, s:s, s:b}", "person", id, "skill", a->pos[2], add ? "added" : "removed", 1));
        else printf("%s %s's profile: %s%s%s\n", add ? "Added to" : "Removed from", id, a->pos[2],
                    provenance < FOW_SKILL_PROVENANCE_COUNT ? " as " : "",
                    provenance < FOW_SKILL_PROVENANCE_COUNT ? fow_skill_provenance_name(provenance) : "");
    } else if (infer) {
        size_t added = 0;
        if (fow_people_skills_infer(e->people, &e->staff, model, id, now, &added, &err)) rc = cli_fail(ctx, &err);
        else if (ctx->json) rc = cli_print_json(json_pack("{s:s, s:I}", "person", id, "added", (json_int_t)added));
        else printf("Added %zu skill%s inferred from %s's occupation.\n", added, added == 1 ? "" : "s", id);
    } else {
        fow_person_skill *skills = NULL;
        size_t n = 0;
        if (fow_people_skills(e->people, &e->staff, model, id, a->reason, now, &skills, &n, &err)) {
            rc = cli_fail(ctx, &err);
        } else if (ctx->json) {
            fow_jw w;
            cli_writer_init(&w);
            fow_jw_object(&w);
            fow_jw_kstring(&w, "person", id);
            fow_jw_key(&w, "skills");
            fow_people_write_skills(&w, skills, n, model, a->lang);
            fow_jw_object_end(&w);
            rc = print_writer(&w);
        } else {
            if (n == 0) printf("%s's skills profile is empty: fow person skills add|infer ...\n", id);
            for (size_t i = 0; i < n; i++) {
                if (skills[i].index != FOW_NO_INDEX)
                    print_label(model, 1, skills[i].index, model->skills[skills[i].index].label, a->lang, 50);
                else
                    cli_print_cell(stdout, skills[i].skill, 50);
                printf(" %-11s %s\n", fow_skill_provenance_name(skills[i].provenance), skills[i].detail);
            }
        }
        free(skills);
    }
    return rc;
}

static int person_moves(cli_context *ctx, person_args *a, person_env *e) {
    long limit = 20;
    int rc = 0;
    if (a->limit && (rc = cli_parse_size(ctx, "--limit", a->limit, 1, 1000, &limit))) return rc;
    const fow_similarity_index *index = fow_world_index(e->world);
    fow_transition_query q;
    fow_transition_query_default(index, &q);
    q.limit = (uint32_t)limit, q.safe = a->safe, q.desirable = a->desirable;
    if (a->model && fow_risk_model_parse(a->model, &q.model) != 0)
        return cli_usage_error(ctx, "--model must be mcc or frey-osborne, not '%s'", a->model);
    fow_error err;
    fow_error_clear(&err);
    long long now = (long long)time(NULL);
    fow_person *p = calloc(1, sizeof *p);
    fow_person_skill *skills = NULL;
    size_t n = 0;
    fow_transition *t = calloc(q.limit, sizeof *t);
    fow_similarity_workspace *ws = fow_world_workspace_borrow(e->world);
    uint32_t n_out = 0, matching = 0, judge_as = FOW_NO_INDEX, used = 0;
    const fow_model *model = env_model(e);
    if (!p || !t || !ws) {
        rc = cli_usage_error(ctx, "out of memory");
    } else if (fow_people_get(e->people, &e->staff, a->pos[0], "moves from the skills profile", now, p, &err) ||
               fow_people_skills(e->people, &e->staff, model, a->pos[0], "moves from the skills profile", now, &skills,
                                 &n, &err) ||
               fow_people_transitions(ws, p->occupation_uri, skills, n, &q, t, q.limit, &n_out, &matching, &judge_as,
                                      &used, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        const char **inputs = calloc(n ? n : 1, sizeof *inputs);
        fow_skill_resolution *res = calloc(n ? n : 1, sizeof *res);
        if (!inputs || !res) {
            rc = cli_usage_error(ctx, "out of memory");
        } else {
            for (size_t i = 0; i < n; i++) inputs[i] = skills[i].skill, res[i].skill = skills[i].index;
            const fow_world_sources *sources = fow_world_sources_of(e->world);
            fow_result_context rctx = {model, index, {sources->risk[0], sources->risk[1]}, sources->attributes, NULL,
                                       NULL};
            fow_result_person person = {.inputs = inputs, .resolutions = res, .n = (uint32_t)n};
            fow_result_page page = {(long)matching, 0, (long)q.limit};
            fow_jw w;
            cli_writer_init(&w);
            fow_result_person_transitions(&w, &rctx, &person, NULL, 0, judge_as, &q, t, n_out, &page, NULL);
            rc = print_writer(&w);
        }
        free(inputs);
        free(res);
    } else {
        printf("Moves from %s's skills profile (%u skills of the taxonomy), judged for pay and risk as ", a->pos[0], used);
        if (judge_as != FOW_NO_INDEX) printf("%s\n\n", model->occupations[judge_as].label);
        else printf("no occupation (unknown)\n\n");
        printf("%3s  %-50s %6s %-9s %-7s %s\n", "#", "destination", "sim", "desirable", "safe", "to learn");
        for (uint32_t i = 0; i < n_out; i++) {
            printf("%3u  ", i + 1);
            cli_print_cell(stdout, model->occupations[t[i].destination].label, 50);
            printf(" %6.2f %-9s %-7s %u/%u\n", (double)t[i].similarity, fow_tristate_name((fow_tristate)t[i].desirable),
                   fow_tristate_name((fow_tristate)t[i].safe), t[i].essential_missing, t[i].essential_total);
        }
        printf("\n%u destinations pass the filters; similarity as in docs/transitions.md.\n", matching);
    }
    if (ws) fow_world_workspace_return(e->world, ws);
    if (p) sodium_memzero(p, sizeof *p);
    free(p);
    free(skills);
    free(t);
    return rc;
}

/* The options of fow person, in this order: a subcommand's row of subs
 * names those it takes as bits of this list (OPT(name)). */
enum {
    O_NAME, O_CONTACT, O_BIRTH_YEAR, O_SEX, O_AREA, O_OCCUPATION, O_EMPLOYMENT_STATUS, O_ORGANISATION, O_REASON,
    O_TEXT_VERSION, O_OUT, O_PERSON, O_LIMIT, O_PROVENANCE, O_DETAIL, O_MODEL, O_SAFE, O_DESIRABLE, O_LANG, O_COUNT
};
#define OPT(o) (1u << (o))

/* What the subcommand needs of the world: nothing, its labels when there
 * is one, or the whole of it. */
enum { WORLD_NONE, WORLD_REQUIRED, WORLD_LABELS, WORLD_IF_OCCUPATION, WORLD_LABELS_IF_JSON };

typedef struct person_sub {
    const char *name, *command;
    int min_pos, max_pos;    /* the words after the subcommand */
    const char *pos_error;   /* what to say when there are fewer or more */
    int world;
    unsigned options;        /* the options it takes */
    int (*run)(cli_context *ctx, person_args *a, person_env *e);
} person_sub;

static const person_sub subs[] = {
    {"add", "person add", 0, 0, "takes no ID: the id is made and printed", WORLD_IF_OCCUPATION,
     OPT(O_NAME) | OPT(O_CONTACT) | OPT(O_BIRTH_YEAR) | OPT(O_SEX) | OPT(O_AREA) | OPT(O_OCCUPATION) | OPT(O_EMPLOYMENT_STATUS) |
         OPT(O_ORGANISATION),
     person_add},
    {"update", "person update", 1, 1, "needs the person's ID", WORLD_IF_OCCUPATION,
     OPT(O_NAME) | OPT(O_CONTACT) | OPT(O_BIRTH_YEAR) | OPT(O_SEX) | OPT(O_AREA) | OPT(O_OCCUPATION) | OPT(O_EMPLOYMENT_STATUS),
     person_update},
    {"list", "person list", 0, 0, "takes no ID", WORLD_LABELS_IF_JSON, 0, person_list},
    {"show", "person show", 1, 1, "needs the person's ID", WORLD_LABELS, OPT(O_REASON) | OPT(O_LANG), person_show},
    {"find", "person find", 0, 0, "takes no ID: give --name or --contact", WORLD_NONE,
     OPT(O_NAME) | OPT(O_CONTACT) | OPT(O_REASON), person_find},
    {"consent", "person consent", 2, 2, "needs the person's ID and the PURPOSE", WORLD_NONE, OPT(O_TEXT_VERSION),
     person_consent},
    {"withdraw", "person withdraw", 2, 2, "needs the person's ID and the PURPOSE", WORLD_NONE, 0, person_withdraw},
    {"export", "person export", 1, 1, "needs the person's ID", WORLD_NONE, OPT(O_REASON) | OPT(O_OUT), person_export},
    {"erase", "person erase", 1, 1, "needs the person's ID", WORLD_NONE, OPT(O_REASON), person_erase},
    {"audit", "person audit", 0, 0, "takes no ID (use --person ID)", WORLD_NONE, OPT(O_PERSON) | OPT(O_LIMIT),
     person_audit},
    {"counts", "person counts", 0, 0, "takes no ID", WORLD_NONE, 0, person_counts},
    {"skills", "person skills", 1, 3, "needs the person's ID (or add|remove|infer ID ...)", WORLD_REQUIRED,
     OPT(O_REASON) | OPT(O_PROVENANCE) | OPT(O_DETAIL) | OPT(O_LANG), person_skills},
    {"moves", "person moves", 1, 1, "needs the person's ID", WORLD_REQUIRED,
     OPT(O_LIMIT) | OPT(O_MODEL) | OPT(O_SAFE) | OPT(O_DESIRABLE), person_moves},
};

/* Refuses an option given to a subcommand that does not take it, naming
 * the ones it takes. */
static int refuse_other_options(cli_context *ctx, const person_sub *sub, const cli_option *options) {
    for (int o = 0; o < O_COUNT; o++) {
        bool given = options[o].value ? *options[o].value != NULL : *options[o].flag;
        if (!given || (sub->options & OPT(o))) continue;
        char takes[300] = "";
        for (int k = 0; k < O_COUNT; k++)
            if (sub->options & OPT(k))
                snprintf(takes + strlen(takes), sizeof takes - strlen(takes), "%s%s", takes[0] ? ", " : "",
                         options[k].name);
        return cli_usage_error(ctx, "%s does not go with 'fow %s' (%s%s)", options[o].name, sub->command,
                               takes[0] ? "it takes " : "it takes no option but --db, --json and --help", takes);
    }
    return 0;
}

int cli_person(cli_context *ctx, int argc, char **argv) {
    ctx->command = "person";
    if (argc == 0 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        fputs(person_help, argc == 0 ? stderr : stdout);
        return argc == 0 ? CLI_EXIT_USER : 0;
    }
    if (strcmp(argv[0], "plan") == 0) return cli_person_plan(ctx, argc - 1, argv + 1);
    const person_sub *sub = NULL;
    for (size_t k = 0; k < sizeof subs / sizeof subs[0]; k++)
        if (strcmp(argv[0], subs[k].name) == 0) sub = &subs[k];
    if (!sub)
        return cli_usage_error(ctx, "unknown subcommand '%s': use add, list, show, find, consent, withdraw, export, "
                                    "erase, audit, counts, skills, moves or plan",
                               argv[0]);
    ctx->command = sub->command;
    person_args a = {0};
    const cli_option options[O_COUNT + 1] = {
        [O_NAME] = {"--name", &a.name, NULL},
        [O_CONTACT] = {"--contact", &a.contact, NULL},
        [O_BIRTH_YEAR] = {"--birth-year", &a.birth_year, NULL},
        [O_SEX] = {"--sex", &a.sex, NULL},
        [O_AREA] = {"--area", &a.area, NULL},
        [O_OCCUPATION] = {"--occupation", &a.occupation, NULL},
        [O_EMPLOYMENT_STATUS] = {"--employment-status", &a.employment_status, NULL},
        [O_ORGANISATION] = {"--organisation", &a.organisation, NULL},
        [O_REASON] = {"--reason", &a.reason, NULL},
        [O_TEXT_VERSION] = {"--text-version", &a.text_version, NULL},
        [O_OUT] = {"--out", &a.out, NULL},
        [O_PERSON] = {"--person", &a.person, NULL},
        [O_LIMIT] = {"--limit", &a.limit, NULL},
        [O_PROVENANCE] = {"--provenance", &a.provenance, NULL},
        [O_DETAIL] = {"--detail", &a.detail, NULL},
        [O_MODEL] = {"--model", &a.model, NULL},
        [O_SAFE] = {"--safe", NULL, &a.safe},
        [O_DESIRABLE] = {"--desirable", NULL, &a.desirable},
        [O_LANG] = {"--lang", &a.lang, NULL},
        [O_COUNT] = {NULL, NULL, NULL}};
    /* every word up to a.pos's size is taken here, so that a word too many
     * is answered with what the subcommand wants (sub->pos_error) */
    int rc = cli_parse(ctx, argc - 1, argv + 1, options, a.pos, (int)(sizeof a.pos / sizeof *a.pos), &a.n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(person_help, stdout);
        return 0;
    }
    if ((rc = refuse_other_options(ctx, sub, options)) || (rc = check_lang(ctx, a.lang))) return rc;
    if (a.n_pos > sub->max_pos && sub->run == person_find && !a.name && !a.contact)
        return cli_usage_error(ctx, "takes the name as an option: to look for '%s', give --name '%s' (or --contact)",
                               a.pos[0], a.pos[0]);
    if (a.n_pos < sub->min_pos || a.n_pos > sub->max_pos) return cli_usage_error(ctx, "%s", sub->pos_error);
    int world = sub->world == WORLD_IF_OCCUPATION    ? (a.occupation ? WORLD_REQUIRED : WORLD_NONE)
                : sub->world == WORLD_LABELS_IF_JSON ? (ctx->json ? WORLD_LABELS : WORLD_NONE)
                                                     : sub->world;
    person_env e;
    if ((rc = env_open(ctx, &e, world))) return rc;
    rc = sub->run(ctx, &a, &e);
    env_close(&e);
    return rc;
}
