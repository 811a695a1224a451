/* test_check.c — the consistency checks (`fow check`) of the taxonomy and
 * of the observatory's employment table: a clean import passes every check
 * and is left unchanged; a database corrupted with raw
 * SQL (foreign keys off, as a careless tool would) fails the check that
 * owns the broken rule, with a message naming the table and the row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#include "base/fow_check.h"
#include "observatory/fow_observatory_check.h"
#include "service/fow_checks.h"
#include "taxonomy/fow_taxonomy_check.h"

#define OCC(slug) "urn:test:occupation:" slug

static const char *const check_names[] = {"taxonomy.relations", "taxonomy.parents",   "taxonomy.groups",
                                          "taxonomy.labels",    "taxonomy.values",    "taxonomy.sources",
                                          "taxonomy.inherited", "taxonomy.search_index"};
#define N_CHECKS (sizeof check_names / sizeof *check_names)

/* A database with the small bundle, risk (inherited by nested
 * occupations), attributes, crosswalks and Frey & Osborne by SOC code. */
static int setup_db(void **state) {
    ts_db *d = malloc(sizeof *d);
    if (!d) return -1;
    ts_db_fresh(d);
    ts_import_bundle_fixture(d->db, "bundle-small", NULL);
    ts_import_fixture_file(d->db, "risk", "risk-small.csv", "mcc", NULL);
    ts_import_fixture_file(d->db, "attributes", "attributes-small.csv", NULL, NULL);
    ts_import_fixture_file(d->db, "crosswalk", "crosswalk-isco-soc-small.csv", NULL, NULL);
    ts_import_fixture_file(d->db, "crosswalk", "crosswalk-esco-onet-small.csv", NULL, NULL);
    ts_import_fixture_file(d->db, "risk", "soc-risk-small.csv", "frey-osborne", NULL);
    *state = d;
    return 0;
}

static int teardown_db(void **state) {
    ts_db *d = *state;
    ts_db_free(d);
    free(d);
    return 0;
}

/* Raw SQL, foreign keys off: the corruption a check must find. It must
 * change some row, or the test would prove nothing. */
static void corrupt(ts_db *d, const char *sql) {
    char *message = NULL;
    long long before = sqlite3_total_changes(d->db->sql);
    if (sqlite3_exec(d->db->sql, "PRAGMA foreign_keys = OFF", NULL, NULL, &message) != SQLITE_OK ||
        sqlite3_exec(d->db->sql, sql, NULL, NULL, &message) != SQLITE_OK ||
        sqlite3_exec(d->db->sql, "PRAGMA foreign_keys = ON", NULL, NULL, &message) != SQLITE_OK)
        fail_msg("corrupting with %s: %s", sql, message ? message : "?");
    if (sqlite3_total_changes(d->db->sql) == before) fail_msg("%s changed no row", sql);
}

static void run(ts_db *d, fow_check_report *report) {
    fow_check_report_init(report);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_taxonomy_check(d->db, report, &err), &err);
    assert_int_equal(report->n_results, N_CHECKS);
    for (size_t i = 0; i < N_CHECKS; i++) assert_string_equal(report->results[i].name, check_names[i]);
}

static const fow_check_result *result(const fow_check_report *report, const char *name) {
    for (size_t i = 0; i < report->n_results; i++)
        if (strcmp(report->results[i].name, name) == 0) return &report->results[i];
    fail_msg("no check %s", name);
    return NULL;
}

/* Runs the checks and asserts that check `name` failed with an example
 * containing each of the NULL-terminated needles, and that every check in
 * the NULL-terminated list also_ok passed. */
static void expect_failure(ts_db *d, const char *name, const char *const *needles, const char *const *also_ok) {
    fow_check_report report;
    run(d, &report);
    assert_false(fow_check_report_ok(&report));
    const fow_check_result *c = result(&report, name);
    if (c->problems == 0) fail_msg("%s found nothing", name);
    assert_true(c->n_examples >= 1);
    bool found = false;
    for (size_t k = 0; k < c->n_examples && !found; k++) {
        bool all = true;
        for (size_t i = 0; needles[i]; i++) all = all && strstr(c->examples[k], needles[i]);
        found = all;
    }
    if (!found) {
        fprintf(stderr, "examples of %s:\n", name);
        for (size_t k = 0; k < c->n_examples; k++) fprintf(stderr, "  %s\n", c->examples[k]);
        fail_msg("no example of %s contains every expected part (first: %s)", name, needles[0]);
    }
    for (size_t i = 0; also_ok && also_ok[i]; i++)
        if (result(&report, also_ok[i])->problems) fail_msg("%s failed too: %s", also_ok[i], result(&report, also_ok[i])->examples[0]);
    fow_check_report_free(&report);
}

static void test_clean_database_passes_and_is_unchanged(void **state) {
    ts_db *d = *state;
    ts_digest before = db_snapshot_conn(d->db->sql);
    fow_check_report report;
    run(d, &report);
    for (size_t i = 0; i < report.n_results; i++) {
        const fow_check_result *c = &report.results[i];
        if (c->problems) fail_msg("%s: %s", c->name, c->examples[0]);
        if (c->checked == 0) fail_msg("%s looked at nothing", c->name);
        assert_true(c->what[0] != '\0');
    }
    assert_true(fow_check_report_ok(&report));
    fow_check_report_free(&report);
    assert_digest_equal(before, db_snapshot_conn(d->db->sql));
    /* and nothing of the check is left in the connection */
    assert_int_equal(sqlite3_get_autocommit(d->db->sql), 1);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM temp.sqlite_master"), 0);
}

static void test_empty_database_passes(void **state) {
    (void)state;
    ts_db d;
    ts_db_fresh(&d);
    fow_check_report report;
    run(&d, &report);
    assert_true(fow_check_report_ok(&report));
    for (size_t i = 0; i < report.n_results; i++) assert_int_equal(report.results[i].checked, 0);
    fow_check_report_free(&report);
    ts_db_free(&d);
}

static void test_relation_to_missing_skill(void **state) {
    ts_db *d = *state;
    long long occ = ts_occupation_id(d->db, OCC("carpenter"));
    char sql[200], row[80];
    snprintf(sql, sizeof sql, "INSERT INTO occupation_skills VALUES (%lld, 99999, 1, 1)", occ);
    corrupt(d, sql);
    snprintf(row, sizeof row, "occupation_skills (occupation_id %lld, skill_id 99999, essential 1)", occ);
    expect_failure(d, "taxonomy.relations", (const char *[]){row, "skill_id 99999 is not in skills", NULL},
                   (const char *[]){"taxonomy.parents", "taxonomy.inherited", "taxonomy.search_index", NULL});
}

static void test_relation_of_deleted_occupation(void **state) {
    ts_db *d = *state;
    long long occ = ts_occupation_id(d->db, OCC("carpenter"));
    char sql[200], part[80];
    snprintf(sql, sizeof sql, "DELETE FROM occupations WHERE id = %lld", occ);
    corrupt(d, sql);
    snprintf(part, sizeof part, "occupation_id %lld is not in occupations", occ);
    expect_failure(d, "taxonomy.relations", (const char *[]){"occupation_skills (occupation_id", part, NULL}, NULL);
}

static void test_parent_missing_and_cycle(void **state) {
    ts_db *d = *state;
    long long driver = ts_occupation_id(d->db, OCC("driver"));
    long long taxi = ts_occupation_id(d->db, OCC("taxi-driver"));
    char sql[200], row[80];
    snprintf(sql, sizeof sql, "INSERT INTO occupation_parents VALUES (%lld, 424242, 1)", driver);
    corrupt(d, sql);
    expect_failure(d, "taxonomy.parents", (const char *[]){"occupation_parents (occupation_id", "parent_id 424242",
                                                           "parent_id 424242 is not in occupations", NULL},
                   (const char *[]){"taxonomy.relations", NULL});
    /* driver under taxi driver, which is under driver: a cycle */
    snprintf(sql, sizeof sql, "DELETE FROM occupation_parents WHERE parent_id = 424242; "
                              "INSERT INTO occupation_parents VALUES (%lld, %lld, 1)", driver, taxi);
    corrupt(d, sql);
    snprintf(row, sizeof row, "occupation %lld is its own ancestor", driver);
    expect_failure(d, "taxonomy.parents", (const char *[]){"occupation_parents (occupation_id", row, NULL}, NULL);
}

static void test_isco_code_not_digits(void **state) {
    ts_db *d = *state;
    long long occ = ts_occupation_id(d->db, OCC("web-developer"));
    char sql[200], row[120];
    snprintf(sql, sizeof sql, "UPDATE occupations SET isco_group = '25x3' WHERE id = %lld", occ);
    corrupt(d, sql);
    snprintf(row, sizeof row, "occupations (id %lld, uri " OCC("web-developer") ")", occ);
    expect_failure(d, "taxonomy.groups", (const char *[]){row, "ISCO-08 code '25x3' is not 1 to 4 digits", NULL},
                   (const char *[]){"taxonomy.relations", "taxonomy.search_index", NULL});
}

static void test_label_of_missing_skill(void **state) {
    ts_db *d = *state;
    corrupt(d, "INSERT INTO skill_labels VALUES (31337, 'en', 'orphan skill', 1, 1)");
    expect_failure(d, "taxonomy.labels",
                   (const char *[]){"skill_labels (skill_id 31337, lang en, label orphan skill)",
                                    "skill_id 31337 is not in skills", NULL},
                   (const char *[]){"taxonomy.relations", NULL});
}

static void test_risk_off_its_scale(void **state) {
    ts_db *d = *state;
    long long occ = ts_occupation_id(d->db, OCC("carpenter"));
    char sql[200], row[80];
    snprintf(sql, sizeof sql, "UPDATE occupation_risk SET risk = 7.5 WHERE occupation_id = %lld AND model = 'mcc'",
             occ);
    corrupt(d, sql);
    snprintf(row, sizeof row, "occupation_risk (occupation_id %lld, model mcc)", occ);
    expect_failure(d, "taxonomy.values", (const char *[]){row, "risk 7.5 is not on the scale of its model", NULL},
                   (const char *[]){"taxonomy.relations", "taxonomy.sources", NULL});
}

static void test_row_of_a_missing_source(void **state) {
    ts_db *d = *state;
    long long skill = ts_int(d->db, "SELECT min(id) FROM skills");
    char sql[200], row[60];
    snprintf(sql, sizeof sql, "UPDATE skills SET source_id = 999 WHERE id = %lld", skill);
    corrupt(d, sql);
    snprintf(row, sizeof row, "skills (id %lld, label ", skill);
    expect_failure(d, "taxonomy.sources", (const char *[]){row, "source_id 999 is not in sources", NULL},
                   (const char *[]){"taxonomy.relations", "taxonomy.inherited", "taxonomy.search_index", NULL});
}

static void test_inherited_value_edited_or_lost(void **state) {
    ts_db *d = *state;
    long long night = ts_occupation_id(d->db, OCC("night-taxi-driver"));
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM occupation_risk WHERE occupation_id = %lld AND model = "
                                   "'mcc' AND method = 'inherited'",
                            night),
                     1);
    char sql[200], row[80];
    snprintf(sql, sizeof sql, "UPDATE occupation_risk SET risk = 1.25 WHERE occupation_id = %lld AND model = 'mcc'",
             night);
    corrupt(d, sql);
    snprintf(row, sizeof row, "occupation_risk (occupation_id %lld, model mcc)", night);
    expect_failure(d, "taxonomy.inherited",
                   (const char *[]){row, "stored risk 1.25 (inherited from occupation_id",
                                    "but a fresh derivation gives risk", NULL},
                   (const char *[]){"taxonomy.values", "taxonomy.search_index", NULL});
    snprintf(sql, sizeof sql, "DELETE FROM occupation_risk WHERE occupation_id = %lld AND model = 'mcc'", night);
    corrupt(d, sql);
    expect_failure(d, "taxonomy.inherited", (const char *[]){row, "missing; a fresh derivation gives risk", NULL},
                   NULL);
}

static void test_search_index_edited_or_lost(void **state) {
    ts_db *d = *state;
    long long occ = ts_occupation_id(d->db, OCC("carpenter"));
    char sql[300], row[120];
    snprintf(sql, sizeof sql,
             "UPDATE search_terms SET folded = 'xylophone' WHERE kind = 0 AND entity_id = %lld AND label = 'carpenter'",
             occ);
    corrupt(d, sql);
    snprintf(row, sizeof row, "search_terms (occupation_id %lld, lang en, label carpenter)", occ);
    expect_failure(d, "taxonomy.search_index",
                   (const char *[]){row, "stored folded 'xylophone'", "fresh derivation gives folded 'carpenter'",
                                    NULL},
                   (const char *[]){"taxonomy.labels", "taxonomy.inherited", NULL});
    snprintf(sql, sizeof sql, "DELETE FROM search_terms WHERE kind = 0 AND entity_id = %lld AND label = 'carpenter'",
             occ);
    corrupt(d, sql);
    expect_failure(d, "taxonomy.search_index", (const char *[]){row, "missing; a fresh derivation gives folded", NULL},
                   NULL);
}

static void test_many_problems_are_counted_and_a_few_shown(void **state) {
    ts_db *d = *state;
    corrupt(d, "INSERT INTO occupation_skills SELECT id, 777777, 1, 1 FROM occupations");
    long long n = ts_int(d->db, "SELECT count(*) FROM occupations");
    assert_true(n > FOW_CHECK_EXAMPLES);
    fow_check_report report;
    run(d, &report);
    const fow_check_result *c = result(&report, "taxonomy.relations");
    assert_int_equal(c->problems, (uint64_t)n);
    assert_int_equal(c->n_examples, FOW_CHECK_EXAMPLES);
    /* the JSON says the same */
    json_t *json = fow_checks_json(&report);
    assert_non_null(json);
    assert_true(json_is_false(json_object_get(json, "ok")));
    json_t *checks = json_object_get(json, "checks");
    assert_int_equal(json_array_size(checks), N_CHECKS);
    json_t *first = json_array_get(checks, 0);
    assert_string_equal(json_string_value(json_object_get(first, "name")), "taxonomy.relations");
    assert_true(json_is_false(json_object_get(first, "ok")));
    assert_int_equal(json_integer_value(json_object_get(first, "problems")), n);
    assert_int_equal(json_array_size(json_object_get(first, "examples")), FOW_CHECK_EXAMPLES);
    assert_true(json_is_true(json_object_get(json_array_get(checks, 1), "ok")));
    json_decref(json);
    fow_check_report_free(&report);
}

/* A long example is cut before a UTF-8 sequence that would be broken, so
 * the JSON of the report can always be written. */
static void test_long_example_stays_utf8(void **state) {
    (void)state;
    fow_check_report report;
    fow_check_report_init(&report);
    fow_check_result *c = fow_check_begin(&report, "test.utf8", "examples are valid UTF-8");
    assert_non_null(c);
    char text[1000] = "";
    for (int i = 0; i < 200; i++) strcat(text, "ș"); /* 2 bytes each */
    for (int shift = 0; shift < 3; shift++) {
        fow_check_problem(c, "%.*s%s", shift, "xx", text);
        json_t *s = json_string(c->examples[c->n_examples - 1]);
        if (!s) fail_msg("example %d is not valid UTF-8", shift);
        json_decref(s);
    }
    assert_int_equal(c->problems, 3);
    json_t *json = fow_checks_json(&report);
    assert_non_null(json);
    json_decref(json);
    fow_check_report_free(&report);
}

/* ---- the observatory's employment table ---------------------------------------- */

/* The small bundle with an area's employment: two ISCO groups (one masked)
 * and one occupation, from lines 2 to 4 of the file. */
static int setup_employment(void **state) {
    setup_db(state);
    ts_db *d = *state;
    char path[TS_PATH_MAX];
    ts_write_string(d->tmp.dir, "employment.csv",
                    "isco_code,occupation_uri,employed\n"
                    "8322,,1200\n"
                    "2512,,x\n"
                    "," OCC("carpenter") ",300\n",
                    path, sizeof path);
    fow_import_options opt = {0};
    opt.area = "Testville";
    opt.year = 2024;
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_employment(d->db, path, &opt, &r, &err), &err);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM employment"), 3);
    return 0;
}

/* fow_observatory_check's results, and that check `name` found a problem
 * whose text holds every needle (NULL-terminated); the other check passed. */
static void expect_employment_problem(ts_db *d, const char *name, const char *const *needles) {
    fow_check_report report;
    fow_check_report_init(&report);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_observatory_check(d->db, &report, &err), &err);
    assert_int_equal(report.n_results, 2);
    assert_string_equal(report.results[0].name, "observatory.references");
    assert_string_equal(report.results[1].name, "observatory.employment");
    bool found = false;
    for (size_t i = 0; i < report.n_results; i++) {
        const fow_check_result *c = &report.results[i];
        if (strcmp(c->name, name) != 0) {
            if (c->problems) fail_msg("%s failed too: %s", c->name, c->examples[0]);
            continue;
        }
        for (size_t k = 0; k < c->n_examples && !found; k++) {
            bool all = true;
            for (size_t n = 0; needles[n]; n++) all = all && strstr(c->examples[k], needles[n]);
            found = all;
        }
        if (!found) fail_msg("%s: no example holds '%s' (first: %s)", name, needles[0],
                             c->n_examples ? c->examples[0] : "none");
    }
    fow_check_report_free(&report);
}

static void test_employment_clean_passes(void **state) {
    ts_db *d = *state;
    fow_check_report report;
    fow_check_report_init(&report);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_checks_run(d->db, &report, &err), &err);
    assert_int_equal(report.n_results, N_CHECKS + 2 + 5 + 4); /* the observatory's 2, the vouchers' 5, the calls' 4 */
    assert_true(fow_check_report_ok(&report));
    const fow_check_result *rows = result(&report, "observatory.employment");
    assert_int_equal(rows->checked, 3);
    /* three sources and one occupation named, and the source of the one
     * area and year's summary */
    assert_int_equal(result(&report, "observatory.references")->checked, 5);
    fow_check_report_free(&report);
}

static void test_employment_broken_rows(void **state) {
    ts_db *d = *state;
    /* the whole area-year moves, so that its summary (employment_years)
     * still matches its rows */
    corrupt(d, "UPDATE employment SET source_id = 4242; UPDATE employment_years SET source = 4242");
    expect_employment_problem(d, "observatory.references",
                              (const char *[]){"employment (area Testville, year 2024, line 2)",
                                               "source_id 4242 is not in sources", NULL});
    expect_employment_problem(d, "observatory.references",
                              (const char *[]){"employment_years (area Testville, year 2024)",
                                               "source 4242 is not in sources", NULL});
    corrupt(d, "UPDATE employment SET source_id = (SELECT min(id) FROM sources);"
               "UPDATE employment_years SET source = (SELECT min(id) FROM sources);"
               "UPDATE employment SET occupation_id = 999999 WHERE line = 4");
    expect_employment_problem(d, "observatory.references",
                              (const char *[]){"employment (area Testville, year 2024, line 4)",
                                               "occupation_id 999999 is not in occupations", NULL});
}

static void test_employment_counts(void **state) {
    ts_db *d = *state;
    corrupt(d, "UPDATE employment SET employed = -5 WHERE line = 2");
    expect_employment_problem(d, "observatory.employment",
                              (const char *[]){"employment (area Testville, year 2024, line 2)",
                                               "a count of employed people cannot be negative (-5.0)", NULL});
    corrupt(d, "UPDATE employment SET employed = 1200 WHERE line = 2; UPDATE employment SET employed = 7 WHERE line = 3");
    expect_employment_problem(d, "observatory.employment",
                              (const char *[]){"(area Testville, year 2024, line 3)", "a masked cell, yet it has a count (7.0)",
                                               NULL});
    corrupt(d, "UPDATE employment SET employed = NULL WHERE line = 3; UPDATE employment SET employed = NULL WHERE line = 4");
    expect_employment_problem(d, "observatory.employment",
                              (const char *[]){"(area Testville, year 2024, line 4)", "no count, yet not a masked cell", NULL});
}

static void test_employment_codes_and_duplicates(void **state) {
    ts_db *d = *state;
    corrupt(d, "UPDATE employment SET isco_code = '83a2' WHERE line = 2");
    expect_employment_problem(d, "observatory.employment",
                              (const char *[]){"(area Testville, year 2024, line 2)",
                                               "ISCO-08 code '83a2' is not 1 to 4 digits", NULL});
    corrupt(d, "UPDATE employment SET isco_code = '8322' WHERE line = 2; UPDATE employment SET isco_code = '7115' WHERE line = 4");
    expect_employment_problem(d, "observatory.employment",
                              (const char *[]){"(area Testville, year 2024, line 4)",
                                               "counted at ISCO-08 code '7115' and at an occupation, or at neither", NULL});
    corrupt(d, "UPDATE employment SET isco_code = '' WHERE line = 4;"
               "INSERT INTO employment SELECT area, year, isco_code, occupation_id, sector, sex, age_group, education, "
               "employed, masked, median_wage, 9, source_id FROM employment WHERE line = 2");
    expect_employment_problem(d, "observatory.employment",
                              (const char *[]){"employment (area Testville, year 2024, lines 2 and 9)",
                                               "2 rows for the same occupation and breakdown", NULL});
}

/* The summaries an import writes with the rows (employment_years): a
 * count, a masked cell, a sum or a source that no longer matches the rows,
 * or a summary of rows that are gone, is a problem. */
static void test_employment_summary_out_of_step(void **state) {
    ts_db *d = *state;
    corrupt(d, "UPDATE employment_years SET rows = rows + 1");
    expect_employment_problem(d, "observatory.employment",
                              (const char *[]){"employment (area Testville, year 2024)",
                                               "the summary in employment_years does not match the rows: 3 rows "
                                               "(1 masked, from source",
                                               "summary: 4 rows", NULL});
    corrupt(d, "UPDATE employment_years SET rows = rows - 1, employed_given = employed_given + 1");
    expect_employment_problem(d, "observatory.employment",
                              (const char *[]){"(area Testville, year 2024)", "does not match the rows", NULL});
    corrupt(d, "UPDATE employment_years SET employed_given = employed_given - 1; UPDATE employment SET masked = 0, "
               "employed = 0 WHERE line = 3");
    expect_employment_problem(d, "observatory.employment",
                              (const char *[]){"(area Testville, year 2024)", "3 rows (0 masked", "summary: 3 rows (1 masked",
                                               NULL});
    corrupt(d, "UPDATE employment SET masked = 1, employed = NULL WHERE line = 3;"
               "INSERT INTO employment_years(area, year, source, rows, masked, employed_given) "
               "SELECT area, 2019, source, 5, 0, 10 FROM employment_years");
    expect_employment_problem(d, "observatory.employment",
                              (const char *[]){"(area Testville, year 2019)",
                                               "a summary in employment_years of 5 rows, yet no rows in employment",
                                               NULL});
    corrupt(d, "DELETE FROM employment_years WHERE year = 2024");
    expect_employment_problem(d, "observatory.employment",
                              (const char *[]){"(area Testville, year 2024)", "summary: none", NULL});
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_clean_database_passes_and_is_unchanged, setup_db, teardown_db),
        cmocka_unit_test(test_empty_database_passes),
        cmocka_unit_test_setup_teardown(test_relation_to_missing_skill, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_relation_of_deleted_occupation, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_parent_missing_and_cycle, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_isco_code_not_digits, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_label_of_missing_skill, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_risk_off_its_scale, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_row_of_a_missing_source, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_inherited_value_edited_or_lost, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_search_index_edited_or_lost, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_many_problems_are_counted_and_a_few_shown, setup_db, teardown_db),
        cmocka_unit_test(test_long_example_stays_utf8),
        cmocka_unit_test_setup_teardown(test_employment_clean_passes, setup_employment, teardown_db),
        cmocka_unit_test_setup_teardown(test_employment_broken_rows, setup_employment, teardown_db),
        cmocka_unit_test_setup_teardown(test_employment_counts, setup_employment, teardown_db),
        cmocka_unit_test_setup_teardown(test_employment_codes_and_duplicates, setup_employment, teardown_db),
        cmocka_unit_test_setup_teardown(test_employment_summary_out_of_step, setup_employment, teardown_db),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
