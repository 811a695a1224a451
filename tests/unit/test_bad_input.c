/* test_bad_input.c — malformed input is refused with an exact location
 * (file, line, column, field), a message that names the problem, and the
 * database left exactly as it was.
 *
 * Every test starts from a database that already holds the small bundle,
 * its risk, attributes, crosswalks and Frey & Osborne values; it copies the
 * fixture it needs into a temporary directory, breaks one file, imports it
 * and compares the database's content digest before and after. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/fow_importers.h"
#include "test_support.h"

#include "taxonomy/fow_import.h"

typedef struct bad_state {
    ts_db d;
    ts_tmp t;
    ts_digest before;
    char dir[TS_PATH_MAX]; /* the copy of the bundle, when made */
} bad_state;

static int setup(void **state) {
    bad_state *s = calloc(1, sizeof *s);
    if (!s) return -1;
    ts_db_fresh(&s->d);
    fow_db *db = s->d.db;
    ts_import_bundle_fixture(db, "bundle-small", NULL);
    ts_import_fixture_file(db, "risk", "risk-small.csv", "mcc", NULL);
    ts_import_fixture_file(db, "risk", "isco-risk-small.csv", "mcc", NULL);
    ts_import_fixture_file(db, "attributes", "attributes-small.csv", NULL, NULL);
    ts_import_fixture_file(db, "crosswalk", "crosswalk-isco-soc-small.csv", NULL, NULL);
    ts_import_fixture_file(db, "crosswalk", "crosswalk-esco-onet-small.csv", NULL, NULL);
    ts_import_fixture_file(db, "risk", "soc-risk-small.csv", "frey-osborne", NULL);
    ts_tmp_make(&s->t);
    s->before = db_snapshot(s->d.path);
    *state = s;
    return 0;
}

static int teardown(void **state) {
    bad_state *s = *state;
    ts_tmp_remove(&s->t);
    ts_db_free(&s->d);
    free(s);
    return 0;
}

/* Copies the small bundle and returns the path of `file` in the copy. */
static char *bundle_file(bad_state *s, const char *file, char *out, size_t n) {
    ts_copy_fixture_dir("bundle-small", &s->t, "bad-bundle", s->dir, sizeof s->dir);
    return ts_join(out, n, s->dir, file);
}

/* Copies a fixture file into the temporary directory. */
static char *fixture_copy(bad_state *s, const char *fixture, char *out, size_t n) {
    char src[TS_PATH_MAX];
    ts_copy_file(ts_fixture(src, sizeof src, fixture), s->t.dir, fixture, out, n);
    return out;
}

/* The checks every bad input must pass. field may be NULL (not checked);
 * m2 may be NULL. */
static void expect_refused(bad_state *s, fow_code rc, const fow_error *err, const char *file, long line, long column,
                           const char *field, const char *m1, const char *m2) {
    char formatted[1400];
    fow_error_format(err, formatted, sizeof formatted);
    if (rc != FOW_EINPUT) fail_msg("expected FOW_EINPUT, got %s: %s", fow_code_name(rc), formatted);
    assert_int_equal(err->code, FOW_EINPUT);
    char suffix[256];
    snprintf(suffix, sizeof suffix, "/%s", file);
    if (!ts_ends_with(err->file, suffix)) fail_msg("expected the error in %s, got '%s'", file, err->file);
    if (err->line != line || err->column != column)
        fail_msg("expected %s:%ld:%ld, got %ld:%ld (%s)", file, line, column, err->line, err->column, err->message);
    if (field && strcmp(err->field, field) != 0)
        fail_msg("expected field '%s', got '%s' (%s)", field, err->field, err->message);
    assert_contains(err->message, m1);
    if (m2) assert_contains(err->message, m2);
    /* "file:line:column: message" */
    char where[64];
    snprintf(where, sizeof where, ":%ld:%ld: ", line, column);
    assert_contains(formatted, where);
    /* nothing was written, and no transaction was left open */
    assert_int_equal(sqlite3_get_autocommit(s->d.db->sql), 1);
    assert_digest_equal(db_snapshot_conn(s->d.db->sql), s->before);
    assert_digest_equal(db_snapshot(s->d.path), s->before);
}

static void import_bad_bundle(bad_state *s, const char *file, long line, long column, const char *field,
                              const char *m1, const char *m2) {
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = fow_import_bundle(s->d.db, s->dir, NULL, &r, &err);
    expect_refused(s, rc, &err, file, line, column, field, m1, m2);
}

static void import_bad_file(bad_state *s, const char *kind, const char *path, const char *model, const char *file,
                            long line, long column, const char *field, const char *m1, const char *m2) {
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    fow_import_settings settings;
    assert_fow_ok(fow_import_settings_init(&settings, kind, &err), &err);
    if (model) assert_fow_ok(fow_import_settings_set(&settings, "model", model, &err), &err);
    fow_code rc = fow_import_run(s->d.db, &settings, path, NULL, NULL, &r, &err);
    expect_refused(s, rc, &err, file, line, column, field, m1, m2);
}

/* ---- malformed CSV -------------------------------------------------------- */

static void test_unterminated_quote(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_append_line(bundle_file(s, "occupations.csv", p, sizeof p), "urn:test:occupation:baker,7512.1,7512,\"baker,bread maker");
    /* reported where the quote opens */
    import_bad_bundle(s, "occupations.csv", 9, 39, NULL, "unterminated", NULL);
}

static void test_too_many_columns(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_replace_line(bundle_file(s, "skills.csv", p, sizeof p), 4,
                    "navigate city streets,urn:test:skill:navigate-city-streets,skill/competence,occupation-specific,"
                    "0,0,0,0,,extra");
    /* at the first field too many */
    import_bad_bundle(s, "skills.csv", 4, 106, NULL, "expected 9 fields", "found 10");
}

static void test_too_few_columns(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_replace_line(bundle_file(s, "occupation_skills.csv", p, sizeof p), 5, "urn:test:occupation:driver,optional");
    /* where the record ends, naming the missing column */
    import_bad_bundle(s, "occupation_skills.csv", 5, 36, "skill_label", "expected 3 fields", "skill_label");
}

static void test_invalid_utf8(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_replace_line(bundle_file(s, "occupation_labels.csv", p, sizeof p), 3,
                    "urn:test:occupation:driver,ro,șo\xC3\x28" "er,alt");
    /* ș is one character: the bad byte is character 33 */
    import_bad_bundle(s, "occupation_labels.csv", 3, 33, NULL, "UTF-8", "0xC3");
}

static void test_nul_byte(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    bundle_file(s, "skills.csv", p, sizeof p);
    size_t len;
    char *data = ts_read_file(p, &len);
    char *at = strstr(data, "road traffic laws");
    assert_non_null(at);
    at[4] = '\0'; /* line 3, character 5 */
    ts_write_bytes(s->dir, "skills.csv", data, len, NULL, 0);
    free(data);
    import_bad_bundle(s, "skills.csv", 3, 5, NULL, "NUL", NULL);
}

static void test_quote_inside_field(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_replace_line(bundle_file(s, "isco_groups.csv", p, sizeof p), 3, "21,Test \"science\" professionals");
    import_bad_bundle(s, "isco_groups.csv", 3, 9, NULL, "quote", NULL);
}

static void test_missing_required_column(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_replace_line(bundle_file(s, "occupations.csv", p, sizeof p), 1, "uri,code,isco_group,name,alt_labels");
    import_bad_bundle(s, "occupations.csv", 1, 1, "label", "missing required column 'label'", NULL);
}

static void test_risk_missing_required_column(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    fixture_copy(s, "risk-small.csv", p, sizeof p);
    ts_replace_line(p, 1, "occupation_uri,value,prevalence,risk_category,risk_nonphysical,prevalence_nonphysical,onet_code");
    import_bad_file(s, "risk", p, "mcc", "risk-small.csv", 1, 1, "risk", "missing required column 'risk'", NULL);
}

static void test_empty_required_value(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_replace_line(bundle_file(s, "occupations.csv", p, sizeof p), 7, "urn:test:occupation:carpenter,7115.1,7115,,joiner");
    import_bad_bundle(s, "occupations.csv", 7, 43, "label", "'label' is empty", NULL);
}

/* ---- references and keys -------------------------------------------------- */

static void test_relation_to_unknown_occupation(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_insert_line(bundle_file(s, "occupation_skills.csv", p, sizeof p), 2,
                   "urn:test:occupation:nobody,essential,drive vehicles");
    import_bad_bundle(s, "occupation_skills.csv", 2, 1, "occupation_uri", "unknown occupation",
                      "'urn:test:occupation:nobody'");
}

static void test_relation_to_unknown_skill(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_append_line(bundle_file(s, "occupation_skills.csv", p, sizeof p), "urn:test:occupation:driver,optional,juggle knives");
    import_bad_bundle(s, "occupation_skills.csv", 26, 37, "skill_label", "unknown skill", "'juggle knives'");
}

static void test_parent_unknown(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_append_line(bundle_file(s, "occupation_parents.csv", p, sizeof p),
                   "urn:test:occupation:carpenter,urn:test:occupation:master-carpenter");
    import_bad_bundle(s, "occupation_parents.csv", 4, 31, "parent_uri", "unknown occupation", "master-carpenter");
}

static void test_label_for_unknown_occupation(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_insert_line(bundle_file(s, "occupation_labels.csv", p, sizeof p), 4, "urn:test:occupation:pilot,ro,pilot,preferred");
    import_bad_bundle(s, "occupation_labels.csv", 4, 1, "occupation_uri", "unknown occupation", "pilot");
}

static void test_duplicate_occupation(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_append_line(bundle_file(s, "occupations.csv", p, sizeof p), "urn:test:occupation:carpenter,7115.2,7115,joiner again,");
    import_bad_bundle(s, "occupations.csv", 9, 1, "uri", "duplicate occupation 'urn:test:occupation:carpenter'",
                      "first on line 7");
}

static void test_duplicate_skill(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_append_line(bundle_file(s, "skills.csv", p, sizeof p), "cut wood,urn:test:skill:cut-wood-2,skill/competence,,0,0,0,0,");
    import_bad_bundle(s, "skills.csv", 16, 1, "label", "duplicate skill 'cut wood'", "first on line 11");
}

static void test_duplicate_skill_uri(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_append_line(bundle_file(s, "skills.csv", p, sizeof p), "saw wood,urn:test:skill:carpenter-tools,knowledge,,0,0,0,0,");
    import_bad_bundle(s, "skills.csv", 16, 1, "label", "duplicate skill URI", "first on line 10");
}

static void test_duplicate_relation(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_append_line(bundle_file(s, "occupation_skills.csv", p, sizeof p), "urn:test:occupation:carpenter,essential,cut wood");
    import_bad_bundle(s, "occupation_skills.csv", 26, 41, "skill_label", "duplicate relation", "cut wood");
}

/* ---- values --------------------------------------------------------------- */

static void test_risk_not_a_number(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    fixture_copy(s, "risk-small.csv", p, sizeof p);
    /* the last row: the rows before it were already written in the transaction */
    ts_replace_line(p, 6, "urn:test:occupation:carpenter,high,0.7,Other,,,47-2031.01");
    import_bad_file(s, "risk", p, "mcc", "risk-small.csv", 6, 31, "risk", "'high' is not a number", NULL);
}

static void test_risk_out_of_range(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    fixture_copy(s, "risk-small.csv", p, sizeof p);
    ts_replace_line(p, 2, "urn:test:occupation:driver,7.5,0.2,High risk,3.5,0.1,53-3041.00");
    import_bad_file(s, "risk", p, "mcc", "risk-small.csv", 2, 28, "risk", "7.5", "outside 1..5");
}

static void test_isco_risk_mixed_levels(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    fixture_copy(s, "isco-risk-small.csv", p, sizeof p);
    ts_replace_line(p, 4, "251,2.3,0.5,Low risk");
    import_bad_file(s, "risk", p, "mcc", "isco-risk-small.csv", 4, 1, "isco_code", "one level per file", NULL);
}

static void test_risk_duplicate_key(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    fixture_copy(s, "risk-small.csv", p, sizeof p);
    ts_append_line(p, "urn:test:occupation:driver,3.0,0.2,High risk,,,");
    import_bad_file(s, "risk", p, "mcc", "risk-small.csv", 7, 1, "occupation_uri", "duplicate key", "first on line 2");
}

static void test_attribute_not_a_number(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    fixture_copy(s, "attributes-small.csv", p, sizeof p);
    ts_replace_line(p, 2, "urn:test:occupation:driver,two,3.5,2.0,3.0,21000,0.05,0.6,transport,road transport");
    import_bad_file(s, "attributes", p, NULL, "attributes-small.csv", 2, 28, "job_zone", "'two' is not a number", NULL);
}

static void test_crosswalk_bad_values(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    fixture_copy(s, "crosswalk-esco-onet-small.csv", p, sizeof p);
    ts_replace_line(p, 3, "urn:test:occupation:software-developer,15-1134.00,sure");
    import_bad_file(s, "crosswalk", p, NULL, "crosswalk-esco-onet-small.csv", 3, 51, "confidence", "'sure' is not a number",
                    NULL);

    fixture_copy(s, "crosswalk-isco-soc-small.csv", p, sizeof p);
    ts_replace_line(p, 5, "216,27.1025");
    import_bad_file(s, "crosswalk", p, NULL, "crosswalk-isco-soc-small.csv", 5, 5, "soc2010", "'27.1025'",
                    "not a SOC 2010 code");
}

static void test_bad_relation_type(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_replace_line(bundle_file(s, "occupation_skills.csv", p, sizeof p), 2,
                    "urn:test:occupation:driver,sometimes,drive vehicles");
    import_bad_bundle(s, "occupation_skills.csv", 2, 28, "relation", "'sometimes'", "essential");
}

static void test_bad_flag(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_replace_line(bundle_file(s, "skills.csv", p, sizeof p), 13,
                    "recycle materials,urn:test:skill:recycle-materials,skill/competence,cross-sector,yes,0,0,0,");
    import_bad_bundle(s, "skills.csv", 13, 82, "green", "must be 0 or 1", "'yes'");
}

static void test_bad_isco_code(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_append_line(bundle_file(s, "isco_groups.csv", p, sizeof p), "12345,Too long");
    import_bad_bundle(s, "isco_groups.csv", 18, 1, "code", "'12345'", "ISCO-08");
}

static void test_bad_label_kind(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_replace_line(bundle_file(s, "occupation_labels.csv", p, sizeof p), 2, "urn:test:occupation:driver,ro,șofer,favourite");
    /* ș counts as one character */
    import_bad_bundle(s, "occupation_labels.csv", 2, 37, "kind", "'favourite'", NULL);
}

static void test_source_with_two_rows(void **state) {
    bad_state *s = *state;
    char p[TS_PATH_MAX];
    ts_append_line(bundle_file(s, "source.csv", p, sizeof p), "another,2.0,,,en");
    import_bad_bundle(s, "source.csv", 3, 1, NULL, "exactly one data row", NULL);
}

/* ---- the ESCO portal layout: lines counted across multi-line fields ------- */

static void test_esco_duplicate_after_multiline_records(void **state) {
    bad_state *s = *state;
    char dir[TS_PATH_MAX], p[TS_PATH_MAX];
    ts_copy_fixture_dir("esco-small", &s->t, "esco", dir, sizeof dir);
    /* occupations_en.csv has 10 lines: its records span lines 2-3, 4-7, 8, 9-10 */
    ts_append_line(ts_join(p, sizeof p, dir, "occupations_en.csv"),
                   "Occupation,urn:test:esco:occupation:welder,7212,welder again,,,released,2021,,,,s,,7212.9");
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = fow_import_esco(s->d.db, dir, NULL, &r, &err);
    expect_refused(s, rc, &err, "occupations_en.csv", 11, 12, "conceptUri", "duplicate occupation", "first on line 8");
}

static void test_esco_relation_to_unknown_skill(void **state) {
    bad_state *s = *state;
    char dir[TS_PATH_MAX], p[TS_PATH_MAX];
    ts_copy_fixture_dir("esco-small", &s->t, "esco", dir, sizeof dir);
    ts_insert_line(ts_join(p, sizeof p, dir, "occupationSkillRelations_en.csv"), 5,
                   "urn:test:esco:occupation:welder,essential,skill/competence,urn:test:esco:skill:juggling");
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = fow_import_esco(s->d.db, dir, NULL, &r, &err);
    expect_refused(s, rc, &err, "occupationSkillRelations_en.csv", 5, 60, "skillUri", "unknown skill",
                   "urn:test:esco:skill:juggling");
}

static void test_esco_quote_closed_too_late(void **state) {
    bad_state *s = *state;
    char dir[TS_PATH_MAX], p[TS_PATH_MAX];
    ts_copy_fixture_dir("esco-small", &s->t, "esco", dir, sizeof dir);
    /* the welder's quote (line 8) closes at the next quote, on line 9,
     * where text follows it */
    ts_replace_line(ts_join(p, sizeof p, dir, "occupations_en.csv"), 8,
                    "Occupation,urn:test:esco:occupation:welder,7212,welder,\"metal joiner,,released");
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = fow_import_esco(s->d.db, dir, NULL, &r, &err);
    /* line 9 is `Occupation,urn:...:data-analyst,2511,data analyst,"data specialist`:
     * the quote is character 68, the text after it starts at 69 */
    expect_refused(s, rc, &err, "occupations_en.csv", 9, 69, NULL, "closing quote", NULL);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_unterminated_quote),
        T(test_too_many_columns),
        T(test_too_few_columns),
        T(test_invalid_utf8),
        T(test_nul_byte),
        T(test_quote_inside_field),
        T(test_missing_required_column),
        T(test_risk_missing_required_column),
        T(test_empty_required_value),
        T(test_relation_to_unknown_occupation),
        T(test_relation_to_unknown_skill),
        T(test_parent_unknown),
        T(test_label_for_unknown_occupation),
        T(test_duplicate_occupation),
        T(test_duplicate_skill),
        T(test_duplicate_skill_uri),
        T(test_duplicate_relation),
        T(test_risk_not_a_number),
        T(test_risk_out_of_range),
        T(test_isco_risk_mixed_levels),
        T(test_risk_duplicate_key),
        T(test_attribute_not_a_number),
        T(test_crosswalk_bad_values),
        T(test_bad_relation_type),
        T(test_bad_flag),
        T(test_bad_isco_code),
        T(test_bad_label_kind),
        T(test_source_with_two_rows),
        T(test_esco_duplicate_after_multiline_records),
        T(test_esco_relation_to_unknown_skill),
        T(test_esco_quote_closed_too_late),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
