/* cli_journeys.c — `fow journeys FILE`: loads people with their consents,
 * and optionally one enrolment each with attendance and a result, through
 * the functions of src/people, src/training and src/credentials (never SQL):
 * the demo's people (data/demo/journeys.csv, documented in
 * data/demo/README.md). Acts as an administrator named "cli:LOGIN". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "accounts/fow_accounts.h"
#include "base/fow_csv.h"
#include "cli/cli.h"
#include "credentials/fow_credentials.h"
#include "people/fow_people.h"
#include "service/fow_world.h"
#include "training/fow_cohort.h"
#include "training/fow_training.h"

static const char journeys_help[] =
    "Usage: fow journeys FILE\n"
    "\n"
    "Adds the people of a CSV file, each with their consents, and when the row names a cohort\n"
    "(module and start date) enrols them, records their attendance and their result; a pass\n"
    "adds the module's skills to their profile and issues its credential, as fow cohort complete\n"
    "does. With counselling consent and an occupation, the occupation's essential skills are\n"
    "put in the profile (fow person skills ID infer). A cohort of the file whose end date has\n"
    "passed is then marked finished. Columns (data/demo/README.md): name, sex, birth_year, area,\n"
    "occupation, employment_status, organisation, consents (';'-separated purposes), module,\n"
    "starts_on, attended (sessions present, from the first), result (passed, failed or empty:\n"
    "still enrolled), score. Stops at the first bad row, naming its line; rows before it stay.\n"
    "\n"
    "Options:\n"
    "  --db PATH  --json  --help\n";

enum { C_NAME, C_SEX, C_BIRTH, C_AREA, C_OCC, C_STATUS, C_ORG, C_CONSENTS, C_MODULE, C_STARTS, C_ATTENDED,
       C_RESULT, C_SCORE, C_COUNT };

int cli_journeys(cli_context *ctx, int argc, char **argv) {
    ctx->command = "journeys";
    const cli_option options[] = {{NULL, NULL, NULL}};
    const char *pos[1];
    int n_pos = 0;
    int rc = cli_parse(ctx, argc, argv, options, pos, 1, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(journeys_help, stdout);
        return 0;
    }
    if (n_pos != 1) return cli_usage_error(ctx, "give the CSV file of people to load");
    char actor[FOW_PERSON_ACTOR_MAX + 1];
    cli_actor_name(actor, sizeof actor);
    fow_cohort_actor who = {.staff = {.name = actor, .organisation = "", .all_organisations = true},
                            .role = FOW_ROLE_ADMIN};
    static const fow_csv_column columns[C_COUNT] = {
        {"name", true},      {"sex", false},        {"birth_year", false}, {"area", false},
        {"occupation", false}, {"employment_status", false}, {"organisation", true}, {"consents", false},
        {"module", false},   {"starts_on", false},  {"attended", false},   {"result", false},
        {"score", false}};
    int col[C_COUNT];
    fow_db *db = NULL;
    if ((rc = cli_open_db(ctx, false, &db))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_training_catalogue catalogue;
    fow_people *people = NULL;
    fow_world *world = NULL;
    fow_csv *csv = NULL;
    fow_cohort *cohorts = NULL;
    size_t n_cohorts = 0, added = 0, enrolled = 0, passed = 0, credentials = 0, finished = 0;
    bool *touched = NULL;
    char key_path[4096];
    long long now = (long long)time(NULL);
    fow_code code = fow_training_load(db, &catalogue, &err);
    if (!code) code = fow_people_key_path(ctx->db_path, key_path, sizeof key_path, &err);
    if (!code) code = fow_people_open(db, key_path, &people, &err);
    if (!code) code = fow_world_open(ctx->db_path, &(fow_world_options){.quick = true}, &world, &err);
    if (!code) code = fow_cohorts_list(db, NULL, &cohorts, &n_cohorts, &err);
    if (!code && !(touched = calloc(n_cohorts + 1, sizeof *touched))) code = fow_error_set(&err, FOW_ENOMEM, "out of memory");
    if (!code) code = fow_csv_open(&csv, pos[0], &err);
    if (!code) code = fow_csv_bind_header(csv, columns, C_COUNT, col, &err);
    const fow_model *model = world ? fow_world_model(world) : NULL;
    int r;
    while (!code && (r = fow_csv_next(csv, &err)) == 1) {
        const char *f[C_COUNT];
        for (int i = 0; i < C_COUNT; i++) f[i] = col[i] >= 0 ? fow_csv_field(csv, (size_t)col[i], NULL) : "";
        long year = f[C_BIRTH][0] ? strtol(f[C_BIRTH], NULL, 10) : 0;
        fow_person_input in = {.name = f[C_NAME], .sex = f[C_SEX], .birth_year = (int)year, .area = f[C_AREA],
                               .occupation = f[C_OCC], .employment_status = f[C_STATUS],
                               .organisation = f[C_ORG]};
        char id[FOW_PERSON_ID_CHARS + 1];
        if ((code = fow_people_add(people, &who.staff, model, &in, now, id, &err))) break;
        added++;
        bool counselling = false;
        char consents[256];
        snprintf(consents, sizeof consents, "%s", f[C_CONSENTS]);
        for (char *save = NULL, *tok = strtok_r(consents, ";", &save); tok && !code; tok = strtok_r(NULL, ";", &save)) {
            while (*tok == ' ') tok++;
            fow_purpose purpose;
            if (fow_purpose_parse(tok, &purpose)) {
                code = fow_csv_error_at(csv, (size_t)col[C_CONSENTS], &err, "unknown purpose '%.40s'", tok);
                break;
            }
            code = fow_people_consent_give(people, &who.staff, id, purpose, "demo-1", now, &err);
            counselling |= purpose == FOW_PURPOSE_COUNSELLING;
        }
        if (!code && counselling && f[C_OCC][0]) code = fow_people_skills_infer(people, &who.staff, model, id, now, NULL, &err);
        if (code || !f[C_MODULE][0]) continue;
        size_t c = 0;
        while (c < n_cohorts && !(strcmp(cohorts[c].module, f[C_MODULE]) == 0 &&
                                  (!f[C_STARTS][0] || strcmp(cohorts[c].starts_on, f[C_STARTS]) == 0)))
            c++;
        if (c == n_cohorts) {
            code = fow_csv_error_at(csv, (size_t)col[C_MODULE], &err, "no cohort of module '%.40s' starts on '%.12s'",
                                    f[C_MODULE], f[C_STARTS]);
            break;
        }
        touched[c] = true;
        fow_enrolment e;
        bool created = false;
        if ((code = fow_cohort_enrol(db, people, &who, cohorts[c].id, id, now, &e, &created, &err))) break;
        enrolled++;
        long attended = f[C_ATTENDED][0] ? strtol(f[C_ATTENDED], NULL, 10) : 0;
        for (size_t s = 0; s < cohorts[c].n_sessions && !code; s++)
            code = fow_cohort_attend(db, people, &who, cohorts[c].id, id, (int)s + 1, (long)s < attended, now, &err);
        if (code || !f[C_RESULT][0]) continue;
        bool pass = strcmp(f[C_RESULT], "passed") == 0;
        if (!pass && strcmp(f[C_RESULT], "failed") != 0) {
            code = fow_csv_error_at(csv, (size_t)col[C_RESULT], &err, "result must be passed, failed or empty");
            break;
        }
        fow_completion done;
        bool has_score = f[C_SCORE][0] != '\0';
        code = fow_cohort_complete(db, people, &who, model, &catalogue, cohorts[c].id, id, pass, has_score,
                                   has_score ? strtod(f[C_SCORE], NULL) : 0, cohorts[c].ends_on, now, &done, NULL,
                                   &err);
        if (code || !pass) continue;
        passed++;
        fow_completion_credential credential = {0};
        fow_error cred_err;
        fow_error_clear(&cred_err);
        if (!fow_credential_issue_completion(ctx->db_path, &done, actor, now, &credential, &cred_err)) credentials++;
    }
    if (!code && fow_csv_bytes_total(csv) == 0) code = fow_error_set(&err, FOW_EINPUT, "the file is empty");
    char today[11];
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    for (size_t c = 0; c < n_cohorts && !code; c++)
        if (touched[c] && strcmp(cohorts[c].ends_on, today) < 0) {
            code = fow_cohort_set_status(db, &who, cohorts[c].id, FOW_COHORT_FINISHED, &err);
            finished++;
        }
    if (code) rc = cli_fail(ctx, &err);
    else if (ctx->json)
        printf("{\"people\": %zu, \"enrolled\": %zu, \"passed\": %zu, \"credentials\": %zu, \"cohorts_finished\": %zu}\n",
               added, enrolled, passed, credentials, finished);
    else
        printf("Added %zu people; %zu enrolled, %zu passed, %zu credentials issued; %zu cohorts marked finished.\n",
               added, enrolled, passed, credentials, finished);
    fow_csv_close(csv);
    free(touched);
    free(cohorts);
    fow_world_release(world);
    fow_people_close(people);
    fow_training_free(&catalogue);
    fow_db_close(db);
    return rc;
}
