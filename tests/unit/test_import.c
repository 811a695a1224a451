/* test_import.c — the importers (src/taxonomy/fow_import.h) on small
 * hand-written fixtures: tests/fixtures/bundle-small (fow's bundle format),
 * tests/fixtures/esco-small (the ESCO portal's layout, en and ro), and the
 * risk, attribute and crosswalk files next to them. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#include "taxonomy/fow_import.h"
#include "taxonomy/import_internal.h"
#include "base/fow_snapfile.h"
#include "taxonomy/fow_model.h"
#include "transitions/fow_similarity.h"
#include "transitions/fow_transitions.h"

#define OCC(slug) "urn:test:occupation:" slug
#define ESCO(x) "urn:test:esco:" x

static int setup_db(void **state) {
    ts_db *d = malloc(sizeof *d);
    if (!d) return -1;
    ts_db_fresh(d);
    *state = d;
    return 0;
}

static int teardown_db(void **state) {
    ts_db *d = *state;
    ts_db_free(d);
    free(d);
    return 0;
}

static void assert_file_counts(const fow_import_report *r, const char *name, long read, long imported,
                               long rejected) {
    const fow_import_file_report *f = ts_report_file(r, name);
    if (!f) fail_msg("no report section for %s", name);
    if (f->rows_read != read || f->rows_imported != imported || f->rows_rejected != rejected)
        fail_msg("%s: expected read/imported/rejected %ld/%ld/%ld, got %ld/%ld/%ld", name, read, imported, rejected,
                 f->rows_read, f->rows_imported, f->rows_rejected);
}

/* The risk row of one occupation under one model: method ("" when none). */
typedef struct risk_row {
    char method[32];
    double risk;
    long long from; /* from_occupation_id, 0 when NULL */
    char detail[300];
} risk_row;

static risk_row get_risk(fow_db *db, const char *uri, const char *model) {
    risk_row r;
    long long id = ts_occupation_id(db, uri);
    ts_text(db, r.method, sizeof r.method,
            "SELECT method FROM occupation_risk WHERE occupation_id = %lld AND model = '%s'", id, model);
    r.risk = ts_double(db, "SELECT risk FROM occupation_risk WHERE occupation_id = %lld AND model = '%s'", id, model);
    r.from = ts_int(db, "SELECT coalesce(from_occupation_id, 0) FROM occupation_risk WHERE occupation_id = %lld "
                        "AND model = '%s'",
                    id, model);
    ts_text(db, r.detail, sizeof r.detail,
            "SELECT detail FROM occupation_risk WHERE occupation_id = %lld AND model = '%s'", id, model);
    return r;
}

static void assert_risk(fow_db *db, const char *uri, const char *model, const char *method, double risk,
                        const char *from_uri) {
    risk_row r = get_risk(db, uri, model);
    if (strcmp(r.method, method) != 0)
        fail_msg("%s %s: expected method '%s', got '%s'", uri, model, method, r.method);
    if (!*method) return;
    assert_near(r.risk, risk, 1e-9);
    long long from = from_uri ? ts_occupation_id(db, from_uri) : 0;
    if (r.from != from) fail_msg("%s %s: expected from_occupation_id %lld, got %lld", uri, model, from, r.from);
}

/* Imports everything the small bundle has: taxonomy, MCC risk, attributes,
 * crosswalks and Frey & Osborne by SOC code. */
static void import_all_small(fow_db *db) {
    ts_import_bundle_fixture(db, "bundle-small", NULL);
    ts_import_fixture_file(db, "risk", "risk-small.csv", "mcc", NULL);
    ts_import_fixture_file(db, "attributes", "attributes-small.csv", NULL, NULL);
    ts_import_fixture_file(db, "crosswalk", "crosswalk-isco-soc-small.csv", NULL, NULL);
    ts_import_fixture_file(db, "crosswalk", "crosswalk-esco-onet-small.csv", NULL, NULL);
    ts_import_fixture_file(db, "risk", "soc-risk-small.csv", "frey-osborne", NULL);
}

/* ---- the bundle ----------------------------------------------------------- */

static void test_bundle_counts_and_report(void **state) {
    ts_db *d = *state;
    fow_import_report r;
    ts_import_bundle_fixture(d->db, "bundle-small", &r);
    assert_false(r.unchanged);
    assert_false(r.replaced);
    assert_string_equal(r.dataset, "taxonomy:fow test bundle");
    assert_string_equal(r.source_name, "fow test bundle");
    assert_string_equal(r.version, "1.0");
    assert_int_equal(r.n_files, 7);
    assert_file_counts(&r, "occupations.csv", 7, 7, 0);
    assert_file_counts(&r, "skills.csv", 14, 14, 0);
    assert_file_counts(&r, "occupation_skills.csv", 24, 24, 0);
    assert_file_counts(&r, "isco_groups.csv", 16, 16, 0);
    assert_file_counts(&r, "occupation_parents.csv", 2, 2, 0);
    assert_file_counts(&r, "occupation_labels.csv", 10, 10, 0);
    assert_file_counts(&r, "skill_labels.csv", 7, 7, 0);
    assert_int_equal(r.n_notes, 0);

    fow_db *db = d->db;
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupations"), 7);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM skills"), 14);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_skills"), 24);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_skills WHERE essential = 1"), 15);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM isco_groups"), 16);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_parents"), 2);
    /* English: 7 preferred + 11 alternative; Romanian: 10 */
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_labels WHERE lang = 'en'"), 18);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_labels WHERE lang = 'en' AND preferred = 1"), 7);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_labels WHERE lang = 'ro'"), 10);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_labels WHERE lang = 'ro' AND preferred = 0"), 3);
    /* skills: 14 preferred + 4 alternative in English; 7 Romanian */
    assert_int_equal(ts_int(db, "SELECT count(*) FROM skill_labels WHERE lang = 'en'"), 18);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM skill_labels WHERE lang = 'ro'"), 7);
    /* the search index holds every label */
    assert_int_equal(ts_int(db, "SELECT count(*) FROM search_terms"), 18 + 10 + 18 + 7);
    /* no risk or attributes yet */
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_risk"), 0);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM sources"), 1);
}

static void test_bundle_values(void **state) {
    ts_db *d = *state;
    fow_db *db = d->db;
    ts_import_bundle_fixture(db, "bundle-small", NULL);
    char buf[300];
    long long taxi = ts_occupation_id(db, OCC("taxi-driver"));
    assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT code FROM occupations WHERE id = %lld", taxi), "8322.1.1");
    assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT isco_group FROM occupations WHERE id = %lld", taxi),
                        "8322");
    assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT label FROM occupations WHERE id = %lld", taxi),
                        "taxi driver");
    assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT lang FROM occupations WHERE id = %lld", taxi), "en");
    /* an alternative label with a comma inside a quoted field, split at | only */
    assert_int_equal(ts_int(db,
                            "SELECT count(*) FROM occupation_labels l JOIN occupations o ON o.id = l.occupation_id "
                            "WHERE o.uri = '%s' AND l.label = 'developer, web' AND l.preferred = 0",
                            OCC("web-developer")),
                     1);
    /* Romanian labels keep their letters */
    assert_int_equal(ts_int(db,
                            "SELECT count(*) FROM occupation_labels l JOIN occupations o ON o.id = l.occupation_id "
                            "WHERE o.uri = '%s' AND l.lang = 'ro' AND l.label = 'șofer' AND l.preferred = 1",
                            OCC("driver")),
                     1);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM skill_labels WHERE label = 'legislația rutieră'"), 1);
    /* the nesting */
    assert_int_equal(ts_int(db, "SELECT parent_id FROM occupation_parents WHERE occupation_id = %lld", taxi),
                     ts_occupation_id(db, OCC("driver")));
    /* skills: type, flags, a missing URI stored as NULL, the typographic apostrophe kept */
    assert_string_equal(
        ts_text(db, buf, sizeof buf, "SELECT skill_type FROM skills WHERE label = 'road traffic laws'"), "knowledge");
    assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT uri FROM skills WHERE label = 'cut wood'"), "<NULL>");
    assert_int_equal(ts_int(db, "SELECT green FROM skills WHERE label = 'recycle materials'"), 1);
    assert_int_equal(ts_int(db, "SELECT digital + 2 * green FROM skills WHERE label = 'computer programming'"), 1);
    assert_int_equal(ts_int(db, "SELECT transversal + language FROM skills WHERE label = 'speak Romanian'"), 2);
    assert_int_equal(ts_int(db, "SELECT green + digital + transversal + language FROM skills WHERE label = 'cut wood'"),
                     0);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM skills WHERE label = 'adapt designers’ work to the venue'"), 1);
    /* a skill listed both essential and optional keeps both rows */
    assert_int_equal(ts_int(db,
                            "SELECT count(*) FROM occupation_skills r JOIN skills s ON s.id = r.skill_id "
                            "WHERE r.occupation_id = %lld AND s.label = 'teamwork principles'",
                            ts_occupation_id(db, OCC("stage-designer"))),
                     2);
    assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT label FROM isco_groups WHERE code = '832'"),
                        "Test car, van and taxi drivers");
}

static void test_bundle_twice_is_unchanged(void **state) {
    ts_db *d = *state;
    fow_import_report r;
    import_all_small(d->db);
    ts_digest before = db_snapshot(d->path);
    ts_import_bundle_fixture(d->db, "bundle-small", &r);
    assert_true(r.unchanged);
    assert_false(r.replaced);
    assert_digest_equal(db_snapshot(d->path), before);
    assert_digest_equal(db_snapshot_conn(d->db->sql), before);
    assert_int_equal(sqlite3_get_autocommit(d->db->sql), 1);

    /* risk, attributes and crosswalks too */
    ts_import_fixture_file(d->db, "risk", "risk-small.csv", "mcc", &r);
    assert_true(r.unchanged);
    assert_int_equal(ts_report_file(&r, "risk-small.csv")->rows_imported, 0);
    ts_import_fixture_file(d->db, "attributes", "attributes-small.csv", NULL, &r);
    assert_true(r.unchanged);
    ts_import_fixture_file(d->db, "crosswalk", "crosswalk-esco-onet-small.csv", NULL, &r);
    assert_true(r.unchanged);
    ts_import_fixture_file(d->db, "risk", "soc-risk-small.csv", "frey-osborne", &r);
    assert_true(r.unchanged);
    assert_digest_equal(db_snapshot(d->path), before);
}

/* Frey & Osborne values keyed by occupation: their own data set, column probability. */
static void test_frey_osborne_own_values(void **state) {
    ts_db *d = *state;
    ts_import_bundle_fixture(d->db, "bundle-small", NULL);
    ts_tmp t;
    ts_tmp_make(&t);
    char path[TS_PATH_MAX];
    ts_write_string(t.dir, "p.csv", "occupation_uri,probability\n" OCC("carpenter") ",0.5\n", path, sizeof path);
    fow_import_options opt = {0};
    opt.model = "frey-osborne";
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_risk(d->db, path, &opt, &r, &err), &err);
    assert_false(r.unchanged);
    assert_string_equal(r.dataset, "risk:frey-osborne:occupation");
    assert_risk(d->db, OCC("carpenter"), "frey-osborne", "own", 0.5, NULL);
    ts_tmp_remove(&t);
}

static void test_bundle_newer_version_replaces(void **state) {
    ts_db *d = *state;
    fow_db *db = d->db;
    import_all_small(db);
    long long driver = ts_occupation_id(db, OCC("driver"));
    long long web = ts_occupation_id(db, OCC("web-developer"));
    long long stage = ts_occupation_id(db, OCC("stage-designer"));
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_risk WHERE occupation_id = %lld", stage), 1);

    /* version 1.1: web developer renamed, stage designer dropped */
    ts_tmp t;
    ts_tmp_make(&t);
    char dir[TS_PATH_MAX], p[TS_PATH_MAX];
    ts_copy_fixture_dir("bundle-small", &t, "bundle-v2", dir, sizeof dir);
    ts_replace_text(ts_join(p, sizeof p, dir, "source.csv"), ",1.0,", ",1.1,");
    ts_replace_text(ts_join(p, sizeof p, dir, "occupations.csv"), ",web developer,", ",web application developer,");
    assert_int_equal(ts_delete_lines_containing(ts_join(p, sizeof p, dir, "occupations.csv"), "stage-designer"), 1);
    assert_int_equal(ts_delete_lines_containing(ts_join(p, sizeof p, dir, "occupation_skills.csv"), "stage-designer"),
                     4);
    assert_int_equal(ts_delete_lines_containing(ts_join(p, sizeof p, dir, "occupation_labels.csv"), "stage-designer"),
                     2);

    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_bundle(db, dir, NULL, &r, &err), &err);
    assert_false(r.unchanged);
    assert_true(r.replaced);
    assert_string_equal(r.version, "1.1");
    assert_true(ts_report_has_note(&r, "removed"));

    /* one taxonomy source, now 1.1 */
    assert_int_equal(ts_int(db, "SELECT count(*) FROM sources WHERE kind = 'taxonomy'"), 1);
    char buf[300];
    assert_string_equal(
        ts_text(db, buf, sizeof buf, "SELECT version FROM sources WHERE dataset = 'taxonomy:fow test bundle'"), "1.1");

    /* the dropped occupation is gone, with everything that hung on it */
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupations"), 6);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupations WHERE uri = '%s'", OCC("stage-designer")), 0);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_skills WHERE occupation_id = %lld", stage), 0);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_skills"), 20);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_labels WHERE occupation_id = %lld", stage), 0);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_risk WHERE occupation_id = %lld", stage), 0);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM search_terms WHERE kind = 0 AND entity_id = %lld", stage), 0);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM search_terms WHERE folded = 'scenograf'"), 0);
    /* skills are all still there */
    assert_int_equal(ts_int(db, "SELECT count(*) FROM skills"), 14);

    /* the renamed one keeps its id, so its risk and attributes stay */
    assert_int_equal(ts_occupation_id(db, OCC("web-developer")), web);
    assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT label FROM occupations WHERE id = %lld", web),
                        "web application developer");
    assert_int_equal(ts_int(db,
                            "SELECT count(*) FROM occupation_labels WHERE occupation_id = %lld AND lang = 'en' AND "
                            "preferred = 1 AND label = 'web application developer'",
                            web),
                     1);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_labels WHERE label = 'web developer'"), 0);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM search_terms WHERE folded = 'web application developer'"), 1);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM search_terms WHERE folded = 'web developer'"), 0);
    assert_risk(db, OCC("web-developer"), "mcc", "own", 2.4, NULL);
    assert_int_equal(ts_occupation_id(db, OCC("driver")), driver);
    assert_risk(db, OCC("driver"), "mcc", "own", 3.9, NULL);
    assert_risk(db, OCC("taxi-driver"), "mcc", "inherited", 3.9, OCC("driver"));
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_attributes WHERE occupation_id = %lld", web), 1);

    /* and importing 1.1 again changes nothing */
    ts_digest after = db_snapshot(d->path);
    assert_fow_ok(fow_import_bundle(db, dir, NULL, &r, &err), &err);
    assert_true(r.unchanged);
    assert_digest_equal(db_snapshot(d->path), after);
    ts_tmp_remove(&t);
}

/* Derived values are recomputed whole: a nesting that goes away takes its
 * inherited values with it. */
static void test_derived_values_follow_the_taxonomy(void **state) {
    ts_db *d = *state;
    fow_db *db = d->db;
    import_all_small(db);
    assert_risk(db, OCC("night-taxi-driver"), "mcc", "inherited", 3.9, OCC("driver"));
    assert_risk(db, OCC("night-taxi-driver"), "frey-osborne", "inherited", 0.81, OCC("driver"));

    ts_tmp t;
    ts_tmp_make(&t);
    char dir[TS_PATH_MAX], p[TS_PATH_MAX];
    ts_copy_fixture_dir("bundle-small", &t, "b", dir, sizeof dir);
    assert_int_equal(ts_delete_lines_containing(ts_join(p, sizeof p, dir, "occupation_parents.csv"), "night-taxi"), 1);
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_bundle(db, dir, NULL, &r, &err), &err);
    assert_true(r.replaced);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_parents"), 1);
    /* no MCC value any more; Frey & Osborne now through its ISCO group 8322 */
    assert_risk(db, OCC("night-taxi-driver"), "mcc", "", 0, NULL);
    assert_risk(db, OCC("night-taxi-driver"), "frey-osborne", "crosswalk-isco", 0.81, NULL);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_attributes WHERE occupation_id = %lld",
                            ts_occupation_id(db, OCC("night-taxi-driver"))),
                     0);
    /* the other nesting is untouched */
    assert_risk(db, OCC("taxi-driver"), "mcc", "inherited", 3.9, OCC("driver"));
    ts_tmp_remove(&t);
}

static void test_bundle_name_defaults_to_the_folder(void **state) {
    ts_db *d = *state;
    ts_tmp t;
    ts_tmp_make(&t);
    char dir[TS_PATH_MAX], p[TS_PATH_MAX];
    ts_copy_fixture_dir("bundle-small", &t, "my-bundle", dir, sizeof dir);
    assert_int_equal(remove(ts_join(p, sizeof p, dir, "source.csv")), 0);
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_bundle(d->db, dir, NULL, &r, &err), &err);
    assert_string_equal(r.dataset, "taxonomy:my-bundle");
    char buf[300];
    assert_string_equal(ts_text(d->db, buf, sizeof buf, "SELECT version FROM sources"), "unversioned");
    assert_string_equal(ts_text(d->db, buf, sizeof buf, "SELECT licence FROM sources"), "not stated");
    assert_string_equal(ts_text(d->db, buf, sizeof buf, "SELECT name FROM sources"), "my-bundle");
    ts_tmp_remove(&t);
}

/* A URI belongs to the source that first imported it. */
static void test_uri_belongs_to_one_source(void **state) {
    ts_db *d = *state;
    ts_import_bundle_fixture(d->db, "bundle-small", NULL);
    ts_digest before = db_snapshot(d->path);
    char dir[TS_PATH_MAX];
    fow_import_options opt = {0};
    opt.source_name = "another taxonomy";
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_import_bundle(d->db, ts_fixture(dir, sizeof dir, "bundle-small"), &opt, &r, &err),
                     FOW_EINPUT);
    assert_true(ts_ends_with(err.file, "/occupations.csv"));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 1);
    assert_contains(err.message, OCC("driver"));
    assert_contains(err.message, "another source");
    assert_digest_equal(db_snapshot(d->path), before);
}

static void test_bundle_missing_required_file(void **state) {
    ts_db *d = *state;
    ts_import_bundle_fixture(d->db, "bundle-small", NULL);
    ts_digest before = db_snapshot(d->path);
    ts_tmp t;
    ts_tmp_make(&t);
    char dir[TS_PATH_MAX], p[TS_PATH_MAX];
    ts_copy_fixture_dir("bundle-small", &t, "b", dir, sizeof dir);
    assert_int_equal(remove(ts_join(p, sizeof p, dir, "occupations.csv")), 0);
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_import_bundle(d->db, dir, NULL, &r, &err), FOW_EIO);
    assert_true(ts_ends_with(err.file, "/occupations.csv"));
    assert_contains(err.message, "not found");
    assert_digest_equal(db_snapshot(d->path), before);

    /* an optional file missing is a note, not an error */
    ts_copy_fixture_dir("bundle-small", &t, "c", dir, sizeof dir);
    assert_int_equal(remove(ts_join(p, sizeof p, dir, "skill_labels.csv")), 0);
    fow_error_clear(&err);
    assert_fow_ok(fow_import_bundle(d->db, dir, NULL, &r, &err), &err);
    assert_true(ts_report_has_note(&r, "skill_labels.csv not found"));
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM skill_labels WHERE lang = 'ro'"), 0);
    ts_tmp_remove(&t);
}

/* ---- risk, attributes, crosswalks ----------------------------------------- */

static void test_risk_import_and_rejection(void **state) {
    ts_db *d = *state;
    fow_db *db = d->db;
    ts_import_bundle_fixture(db, "bundle-small", NULL);
    fow_import_report r;
    ts_import_fixture_file(db, "risk", "risk-small.csv", "mcc", &r);
    assert_string_equal(r.dataset, "risk:mcc:occupation");
    assert_false(r.unchanged);
    assert_int_equal(r.n_files, 1);
    assert_file_counts(&r, "risk-small.csv", 5, 4, 1);
    const fow_import_file_report *f = ts_report_file(&r, "risk-small.csv");
    assert_int_equal(f->n_reasons, 1);
    assert_contains(f->reasons[0].text, "not in the imported taxonomy");
    assert_int_equal(f->reasons[0].count, 1);
    /* the note says which row */
    assert_true(ts_report_has_note(&r, "risk-small.csv:3:"));
    assert_true(ts_report_has_note(&r, OCC("nobody")));

    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_risk WHERE model = 'mcc' AND method = 'own'"), 4);
    long long driver = ts_occupation_id(db, OCC("driver"));
    assert_near(ts_double(db, "SELECT prevalence FROM occupation_risk WHERE occupation_id = %lld", driver), 0.2, 1e-12);
    assert_near(ts_double(db, "SELECT risk_nonphysical FROM occupation_risk WHERE occupation_id = %lld", driver), 3.5,
                1e-12);
    assert_near(ts_double(db, "SELECT prevalence_nonphysical FROM occupation_risk WHERE occupation_id = %lld", driver),
                0.1, 1e-12);
    char buf[100];
    assert_string_equal(
        ts_text(db, buf, sizeof buf, "SELECT category FROM occupation_risk WHERE occupation_id = %lld", driver),
        "High risk");
    assert_string_equal(
        ts_text(db, buf, sizeof buf, "SELECT onet_code FROM occupation_risk WHERE occupation_id = %lld", driver),
        "53-3041.00");
    /* empty optional numbers are NULL */
    assert_true(isnan(ts_double(db, "SELECT risk_nonphysical FROM occupation_risk WHERE occupation_id = %lld",
                                ts_occupation_id(db, OCC("web-developer")))));
    assert_int_equal(ts_int(db, "SELECT rows FROM sources WHERE dataset = 'risk:mcc:occupation'"), 4);
}

static void test_risk_inheritance(void **state) {
    ts_db *d = *state;
    fow_db *db = d->db;
    ts_import_bundle_fixture(db, "bundle-small", NULL);
    ts_import_fixture_file(db, "risk", "risk-small.csv", "mcc", NULL);
    assert_risk(db, OCC("driver"), "mcc", "own", 3.9, NULL);
    assert_risk(db, OCC("taxi-driver"), "mcc", "inherited", 3.9, OCC("driver"));
    /* two levels down: still from the occupation that has its own value */
    assert_risk(db, OCC("night-taxi-driver"), "mcc", "inherited", 3.9, OCC("driver"));
    /* no parent, no value */
    assert_risk(db, OCC("stage-designer"), "mcc", "", 0, NULL);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_risk WHERE method = 'inherited'"), 2);
    long long taxi = ts_occupation_id(db, OCC("taxi-driver"));
    assert_near(ts_double(db, "SELECT prevalence FROM occupation_risk WHERE occupation_id = %lld", taxi), 0.2, 1e-12);
    char buf[100];
    assert_string_equal(
        ts_text(db, buf, sizeof buf, "SELECT category FROM occupation_risk WHERE occupation_id = %lld", taxi),
        "High risk");
}

/* An occupation's own value wins over its parent's. */
static void test_own_value_beats_inherited(void **state) {
    ts_db *d = *state;
    fow_db *db = d->db;
    ts_import_bundle_fixture(db, "bundle-small", NULL);
    ts_tmp t;
    ts_tmp_make(&t);
    char path[TS_PATH_MAX];
    ts_write_string(t.dir, "risk.csv",
                    "occupation_uri,risk\n" OCC("driver") ",4.0\n" OCC("taxi-driver") ",2.0\n", path, sizeof path);
    fow_import_options opt = {0};
    opt.model = "mcc";
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_risk(db, path, &opt, &r, &err), &err);
    assert_risk(db, OCC("taxi-driver"), "mcc", "own", 2.0, NULL);
    /* the grandchild takes its nearest ancestor's value */
    assert_risk(db, OCC("night-taxi-driver"), "mcc", "inherited", 2.0, OCC("taxi-driver"));
    ts_tmp_remove(&t);
}

static void test_isco_risk(void **state) {
    ts_db *d = *state;
    fow_db *db = d->db;
    ts_import_bundle_fixture(db, "bundle-small", NULL);
    fow_import_report r;
    ts_import_fixture_file(db, "risk", "isco-risk-small.csv", "mcc", &r);
    assert_string_equal(r.dataset, "risk:mcc:isco4");
    assert_file_counts(&r, "isco-risk-small.csv", 5, 5, 0);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM isco_risk"), 5);
    assert_near(ts_double(db, "SELECT risk FROM isco_risk WHERE isco_code = '8322' AND model = 'mcc'"), 3.7, 1e-12);
    /* kept as ISCO estimates: not copied onto occupations */
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_risk"), 0);

    /* a 3-digit file is another data set next to it */
    ts_tmp t;
    ts_tmp_make(&t);
    char path[TS_PATH_MAX];
    ts_write_string(t.dir, "isco3.csv", "isco_code,risk,prevalence,risk_category\n832,3.1,0.3,High risk\n", path,
                    sizeof path);
    fow_import_options opt = {0};
    opt.model = "mcc";
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_risk(db, path, &opt, &r, &err), &err);
    assert_string_equal(r.dataset, "risk:mcc:isco3");
    assert_int_equal(ts_int(db, "SELECT count(*) FROM isco_risk"), 6);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM sources WHERE kind = 'risk'"), 2);
    ts_tmp_remove(&t);
}

static void test_attributes_and_inheritance(void **state) {
    ts_db *d = *state;
    fow_db *db = d->db;
    ts_import_bundle_fixture(db, "bundle-small", NULL);
    fow_import_report r;
    ts_import_fixture_file(db, "attributes", "attributes-small.csv", NULL, &r);
    assert_string_equal(r.dataset, "attributes:occupation");
    assert_file_counts(&r, "attributes-small.csv", 5, 4, 1);
    assert_true(ts_report_has_note(&r, OCC("ghost")));
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_attributes WHERE method = 'own'"), 4);

    long long web = ts_occupation_id(db, OCC("web-developer"));
    assert_true(isnan(ts_double(db, "SELECT education_level FROM occupation_attributes WHERE occupation_id = %lld", web)));
    assert_near(ts_double(db, "SELECT annual_earnings_gbp FROM occupation_attributes WHERE occupation_id = %lld", web),
                33000, 1e-9);
    char buf[100];
    assert_string_equal(ts_text(db, buf, sizeof buf,
                                "SELECT skills_subsector FROM occupation_attributes WHERE occupation_id = %lld",
                                ts_occupation_id(db, OCC("carpenter"))),
                        "woodwork, joinery");

    long long driver = ts_occupation_id(db, OCC("driver"));
    long long taxi = ts_occupation_id(db, OCC("taxi-driver"));
    long long night = ts_occupation_id(db, OCC("night-taxi-driver"));
    assert_string_equal(
        ts_text(db, buf, sizeof buf, "SELECT method FROM occupation_attributes WHERE occupation_id = %lld", taxi),
        "inherited");
    assert_int_equal(ts_int(db, "SELECT from_occupation_id FROM occupation_attributes WHERE occupation_id = %lld", taxi),
                     driver);
    assert_int_equal(
        ts_int(db, "SELECT from_occupation_id FROM occupation_attributes WHERE occupation_id = %lld", night), driver);
    assert_near(ts_double(db, "SELECT job_zone FROM occupation_attributes WHERE occupation_id = %lld", night), 2, 1e-12);
    assert_near(ts_double(db, "SELECT annual_earnings_gbp FROM occupation_attributes WHERE occupation_id = %lld", taxi),
                21000, 1e-9);
    assert_string_equal(
        ts_text(db, buf, sizeof buf, "SELECT skills_sector FROM occupation_attributes WHERE occupation_id = %lld", taxi),
        "transport");
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_attributes WHERE method = 'inherited'"), 2);
}

static void test_frey_osborne_through_crosswalks(void **state) {
    ts_db *d = *state;
    fow_db *db = d->db;
    import_all_small(db);
    /* through the occupation's own O*NET code; the most confident mapping wins */
    assert_risk(db, OCC("driver"), "frey-osborne", "crosswalk-onet", 0.81, NULL);
    assert_risk(db, OCC("software-developer"), "frey-osborne", "crosswalk-onet", 0.05, NULL);
    assert_risk(db, OCC("carpenter"), "frey-osborne", "crosswalk-onet", 0.65, NULL);
    risk_row r = get_risk(db, OCC("software-developer"), "frey-osborne");
    assert_contains(r.detail, "15-1132.00");
    assert_contains(r.detail, "Test developers, applications");
    /* nested occupations inherit before the ISCO mean is tried */
    assert_risk(db, OCC("taxi-driver"), "frey-osborne", "inherited", 0.81, OCC("driver"));
    assert_risk(db, OCC("night-taxi-driver"), "frey-osborne", "inherited", 0.81, OCC("driver"));
    /* the mean of the SOC codes of the ISCO unit group (2513: 0.25 and 0.05) */
    assert_risk(db, OCC("web-developer"), "frey-osborne", "crosswalk-isco", 0.15, NULL);
    r = get_risk(db, OCC("web-developer"), "frey-osborne");
    assert_contains(r.detail, "2513");
    assert_contains(r.detail, "2 SOC");
    /* or of the minor group when the unit group is not in the crosswalk (216: 0.40 and 0.10) */
    assert_risk(db, OCC("stage-designer"), "frey-osborne", "crosswalk-isco", 0.25, NULL);
    r = get_risk(db, OCC("stage-designer"), "frey-osborne");
    assert_contains(r.detail, "216");
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_risk WHERE model = 'frey-osborne'"), 7);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM soc_risk"), 6);
    /* the MCC values are untouched */
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_risk WHERE model = 'mcc'"), 6);
}

/* The derived values do not depend on the order of the imports. */
static void test_import_order_does_not_matter(void **state) {
    ts_db *d = *state;
    import_all_small(d->db);
    ts_db other;
    ts_db_fresh(&other);
    ts_import_fixture_file(other.db, "risk", "soc-risk-small.csv", "frey-osborne", NULL);
    ts_import_fixture_file(other.db, "crosswalk", "crosswalk-esco-onet-small.csv", NULL, NULL);
    ts_import_bundle_fixture(other.db, "bundle-small", NULL);
    ts_import_fixture_file(other.db, "attributes", "attributes-small.csv", NULL, NULL);
    ts_import_fixture_file(other.db, "crosswalk", "crosswalk-isco-soc-small.csv", NULL, NULL);
    ts_import_fixture_file(other.db, "risk", "risk-small.csv", "mcc", NULL);
    static const char q[] =
        "SELECT group_concat(x, ';') FROM (SELECT o.uri || ' ' || r.model || ' ' || r.method || ' ' || r.risk || ' ' "
        "|| coalesce((SELECT uri FROM occupations WHERE id = r.from_occupation_id), '-') || ' ' || "
        "coalesce(r.detail, '-') AS x FROM occupation_risk r JOIN occupations o ON o.id = r.occupation_id "
        "ORDER BY x)";
    char a[4096], b[4096];
    ts_text(d->db, a, sizeof a, q);
    ts_text(other.db, b, sizeof b, q);
    assert_true(strlen(a) > 100);
    assert_string_equal(a, b);
    ts_db_free(&other);
}

static void test_sources_list(void **state) {
    ts_db *d = *state;
    fow_db *db = d->db;
    import_all_small(db);
    ts_import_fixture_file(db, "risk", "isco-risk-small.csv", "mcc", NULL);
    fow_source_info *s = NULL;
    size_t n = 0;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_sources_list(db, &s, &n, &err), &err);
    assert_int_equal(n, 7);
    static const struct {
        const char *dataset, *kind, *file, *version, *licence;
        long long rows;
    } expected[] = {
        {"attributes:occupation", "attributes", "attributes-small.csv", "2020", "MIT (O*NET: CC BY 4.0)", 4},
        {"crosswalk:esco-onet", "crosswalk", "crosswalk-esco-onet-small.csv", "2020", "MIT", 5},
        {"crosswalk:isco08-soc2010", "crosswalk", "crosswalk-isco-soc-small.csv", "2012", "public domain", 5},
        {"risk:frey-osborne:soc2010", "risk", "soc-risk-small.csv", "2013/2017", "published research results", 6},
        {"risk:mcc:isco4", "risk", "isco-risk-small.csv", "2020", "MIT", 5},
        {"risk:mcc:occupation", "risk", "risk-small.csv", "2020", "MIT", 4},
        {"taxonomy:fow test bundle", "taxonomy", "bundle-small", "1.0", "CC0-1.0", -1},
    };
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(s[i].dataset, expected[i].dataset);
        assert_string_equal(s[i].kind, expected[i].kind);
        assert_true(ts_ends_with(s[i].path, expected[i].file));
        assert_string_equal(s[i].version, expected[i].version);
        assert_string_equal(s[i].licence, expected[i].licence);
        assert_true(strlen(s[i].name) > 5);
        assert_true(s[i].id > 0);
        if (expected[i].rows >= 0) assert_int_equal(s[i].rows, expected[i].rows);
        else assert_true(s[i].rows > 0);
        /* 16 hex digits; an ISO 8601 UTC time */
        assert_int_equal(strlen(s[i].fingerprint), 16);
        for (size_t k = 0; k < 16; k++) assert_true(isxdigit((unsigned char)s[i].fingerprint[k]));
        assert_int_equal(strlen(s[i].imported_at), 20);
        assert_int_equal(s[i].imported_at[10], 'T');
        assert_int_equal(s[i].imported_at[19], 'Z');
    }
    assert_string_equal(s[6].name, "fow test bundle");
    assert_string_equal(s[6].url, "https://example.test/fow-test-bundle");
    assert_contains(s[5].name, "Mapping Career Causeways");
    assert_contains(s[3].name, "Frey");
    free(s);
}

static void test_options_override_the_source(void **state) {
    ts_db *d = *state;
    ts_import_bundle_fixture(d->db, "bundle-small", NULL);
    char path[TS_PATH_MAX];
    fow_import_options opt = {0};
    opt.model = "mcc";
    opt.source_name = "Test risk";
    opt.version = "v9";
    opt.licence = "CC-BY-4.0";
    opt.url = "https://example.test/risk";
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_risk(d->db, ts_fixture(path, sizeof path, "risk-small.csv"), &opt, &r, &err), &err);
    assert_string_equal(r.source_name, "Test risk");
    assert_string_equal(r.version, "v9");
    char buf[200];
    assert_string_equal(
        ts_text(d->db, buf, sizeof buf, "SELECT name || '|' || version || '|' || licence || '|' || url FROM sources "
                                        "WHERE kind = 'risk'"),
        "Test risk|v9|CC-BY-4.0|https://example.test/risk");
}

static void test_risk_needs_a_model(void **state) {
    ts_db *d = *state;
    ts_import_bundle_fixture(d->db, "bundle-small", NULL);
    ts_digest before = db_snapshot(d->path);
    char path[TS_PATH_MAX];
    ts_fixture(path, sizeof path, "risk-small.csv");
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_import_risk(d->db, path, NULL, &r, &err), FOW_EINPUT);
    assert_string_equal(err.field, "model");
    assert_contains(err.message, "model must be 'mcc' or 'frey-osborne'");
    fow_import_options opt = {0};
    opt.model = "bogus";
    fow_error_clear(&err);
    assert_int_equal(fow_import_risk(d->db, path, &opt, &r, &err), FOW_EINPUT);
    assert_contains(err.message, "bogus");
    assert_digest_equal(db_snapshot(d->path), before);
}

/* Estimates for a taxonomy that is not there: nothing to import. */
static void test_risk_without_taxonomy(void **state) {
    ts_db *d = *state;
    ts_digest before = db_snapshot(d->path);
    char path[TS_PATH_MAX];
    fow_import_options opt = {0};
    opt.model = "mcc";
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_import_risk(d->db, ts_fixture(path, sizeof path, "risk-small.csv"), &opt, &r, &err),
                     FOW_EINPUT);
    assert_contains(err.message, "none of the 5 rows");
    assert_digest_equal(db_snapshot(d->path), before);
    assert_int_equal(sqlite3_get_autocommit(d->db->sql), 1);
}

typedef struct progress_log {
    int calls;
    int bad;
    char seen[16][64];
    int n_seen;
} progress_log;

static void on_progress(void *ctx, const char *stage, size_t done, size_t total) {
    progress_log *log = ctx;
    log->calls++;
    if (done > total || !stage) log->bad++;
    if (done != total || log->n_seen >= 16) return;
    const char *base = strrchr(stage, '/');
    snprintf(log->seen[log->n_seen++], sizeof log->seen[0], "%s", base ? base + 1 : stage);
}

static int progress_saw(const progress_log *log, const char *name) {
    for (int i = 0; i < log->n_seen; i++)
        if (strcmp(log->seen[i], name) == 0) return 1;
    return 0;
}

static void test_progress_callback(void **state) {
    ts_db *d = *state;
    progress_log log;
    memset(&log, 0, sizeof log);
    fow_import_options opt = {0};
    opt.progress = on_progress;
    opt.progress_ctx = &log;
    char dir[TS_PATH_MAX];
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_bundle(d->db, ts_fixture(dir, sizeof dir, "bundle-small"), &opt, &r, &err), &err);
    assert_true(log.calls >= 7);
    assert_int_equal(log.bad, 0);
    static const char *const files[] = {"occupations.csv",        "skills.csv",           "occupation_skills.csv",
                                        "isco_groups.csv",        "occupation_parents.csv", "occupation_labels.csv",
                                        "skill_labels.csv"};
    for (size_t i = 0; i < 7; i++)
        if (!progress_saw(&log, files[i])) fail_msg("no final progress report for %s", files[i]);
}

/* ---- the ESCO portal layout ----------------------------------------------- */

static void import_esco_small(fow_db *db, const char *lang, fow_import_report *r) {
    char dir[TS_PATH_MAX];
    fow_import_options opt = {0};
    opt.lang = lang;
    opt.version = "test-1";
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_esco(db, ts_fixture(dir, sizeof dir, "esco-small"), &opt, r, &err), &err);
}

static void test_esco_import(void **state) {
    ts_db *d = *state;
    fow_db *db = d->db;
    fow_import_report r;
    import_esco_small(db, NULL, &r);
    assert_string_equal(r.dataset, "taxonomy:ESCO");
    assert_string_equal(r.source_name, "ESCO");
    assert_string_equal(r.version, "test-1");
    assert_file_counts(&r, "occupations_en.csv", 4, 4, 0);
    assert_file_counts(&r, "skills_en.csv", 9, 9, 0);
    assert_file_counts(&r, "occupationSkillRelations_en.csv", 11, 11, 0);
    assert_file_counts(&r, "ISCOGroups_en.csv", 6, 6, 0);
    /* ISCO rows of the hierarchy are not occupation nesting */
    assert_file_counts(&r, "broaderRelationsOccPillar_en.csv", 6, 1, 5);
    assert_int_equal(ts_report_file(&r, "broaderRelationsOccPillar_en.csv")->n_reasons, 2);
    assert_file_counts(&r, "greenSkillsCollection_en.csv", 2, 1, 1);
    /* the missing optional files are reported */
    assert_true(ts_report_has_note(&r, "digitalSkillsCollection_en.csv not found"));
    assert_true(ts_report_has_note(&r, "transversalSkillsCollection_en.csv not found"));
    assert_true(ts_report_has_note(&r, "languageSkillsCollection_en.csv not found"));
    assert_int_equal(r.n_notes, 3);

    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupations"), 4);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM skills"), 9);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_skills"), 11);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_skills WHERE essential = 1"), 9);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM isco_groups"), 6);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_parents"), 1);
    assert_int_equal(ts_int(db, "SELECT parent_id FROM occupation_parents"), ts_occupation_id(db, ESCO("occupation:baker")));

    /* alternative labels: one per line of the quoted field */
    long long baker = ts_occupation_id(db, ESCO("occupation:baker"));
    long long artisan = ts_occupation_id(db, ESCO("occupation:artisan-baker"));
    long long analyst = ts_occupation_id(db, ESCO("occupation:data-analyst"));
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_labels WHERE occupation_id = %lld", baker), 3);
    assert_int_equal(ts_int(db,
                            "SELECT count(*) FROM occupation_labels WHERE occupation_id = %lld AND preferred = 0 AND "
                            "label IN ('bread maker', 'pastry baker')",
                            baker),
                     2);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_labels WHERE occupation_id = %lld", artisan), 4);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_labels WHERE occupation_id = %lld", analyst), 2);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_labels WHERE label LIKE '%%' || char(10) || '%%'"), 0);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_labels"), 10);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM skill_labels"), 16);

    char buf[300];
    assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT code || ' ' || isco_group FROM occupations WHERE id = %lld",
                                artisan),
                        "7512.1.1 7512");
    assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT description FROM occupations WHERE id = %lld", baker),
                        "Bakers make bread, cakes and \"fine\" pastries.");
    assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT description FROM occupations WHERE id = %lld", artisan),
                        "Artisan bakers knead by hand.\nThey bake small batches.");
    assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT coalesce(reuse_level, '<none>') || ' ' || skill_type "
                                                     "FROM skills WHERE label = 'statistics'"),
                        "<none> knowledge");
    assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT uri FROM skills WHERE label = 'knead dough'"),
                        ESCO("skill:knead-dough"));
    /* the green collection */
    assert_int_equal(ts_int(db, "SELECT green FROM skills WHERE label = 'reduce food waste'"), 1);
    assert_int_equal(ts_int(db, "SELECT sum(green) FROM skills"), 1);
    /* the source */
    assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT kind || ' ' || version FROM sources"), "taxonomy test-1");
    assert_contains(ts_text(db, buf, sizeof buf, "SELECT licence FROM sources"), "European Union");
}

static void test_esco_twice_is_unchanged(void **state) {
    ts_db *d = *state;
    fow_import_report r;
    import_esco_small(d->db, "en", &r);
    ts_digest before = db_snapshot(d->path);
    import_esco_small(d->db, "en", &r);
    assert_true(r.unchanged);
    assert_digest_equal(db_snapshot(d->path), before);
}

static void test_esco_translation(void **state) {
    ts_db *d = *state;
    fow_db *db = d->db;
    fow_import_report r;
    import_esco_small(db, "en", &r);
    static const char *const core[] = {"occupations", "skills",           "occupation_skills",
                                       "isco_groups", "occupation_parents", NULL};
    ts_digest core_before = db_snapshot_tables(db->sql, core);
    long long en_labels = ts_int(db, "SELECT count(*) FROM occupation_labels WHERE lang = 'en'");

    import_esco_small(db, "ro", &r);
    assert_false(r.unchanged);
    assert_string_equal(r.dataset, "labels:taxonomy:ESCO:ro");
    assert_true(ts_report_has_note(&r, "translated labels only"));
    assert_file_counts(&r, "occupations_ro.csv", 5, 4, 1);
    assert_file_counts(&r, "skills_ro.csv", 3, 3, 0);
    assert_true(ts_report_has_note(&r, "occupationSkillRelations_ro.csv not found"));

    /* only labels were added: the taxonomy itself is as it was */
    assert_digest_equal(db_snapshot_tables(db->sql, core), core_before);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_labels WHERE lang = 'en'"), en_labels);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_labels WHERE lang = 'ro'"), 7);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_labels WHERE lang = 'ro' AND preferred = 1"), 4);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM skill_labels WHERE lang = 'ro'"), 4);
    long long baker = ts_occupation_id(db, ESCO("occupation:baker"));
    char buf[200];
    assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT label FROM occupations WHERE id = %lld", baker), "baker");
    assert_string_equal(ts_text(db, buf, sizeof buf,
                                "SELECT label FROM occupation_labels WHERE occupation_id = %lld AND lang = 'ro' "
                                "AND preferred = 1",
                                baker),
                        "brutar");
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_labels WHERE label = 'ocupație necunoscută'"), 0);
    /* the search index has them, folded */
    assert_int_equal(ts_int(db, "SELECT count(*) FROM search_terms WHERE folded = 'brutareasa' AND entity_id = %lld",
                            baker),
                     1);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM search_terms WHERE folded = 'framantarea aluatului'"), 1);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM sources"), 2);
    assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT kind FROM sources WHERE dataset LIKE 'labels:%%'"),
                        "labels");

    /* again: unchanged; and the English import again keeps the Romanian labels */
    ts_digest all = db_snapshot(d->path);
    import_esco_small(db, "ro", &r);
    assert_true(r.unchanged);
    import_esco_small(db, "en", &r);
    assert_true(r.unchanged);
    assert_digest_equal(db_snapshot(d->path), all);
}

/* ---- ESCO's skill hierarchy ------------------------------------------------ */

static void import_hierarchy_from(fow_db *db, const char *dir, fow_import_report *r) {
    fow_import_options opt = {0};
    opt.version = "test-1";
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_skill_hierarchy(db, dir, &opt, r, &err), &err);
}

/* The groups, the broader relations (a skill the taxonomy lacks skipped
 * with its reason) and the level file checked; the model reads them. */
static void test_skill_hierarchy_import(void **state) {
    ts_db *d = *state;
    fow_import_report r;
    import_esco_small(d->db, NULL, &r);
    char dir[TS_PATH_MAX];
    import_hierarchy_from(d->db, ts_fixture(dir, sizeof dir, "esco-small-hierarchy"), &r);
    assert_string_equal(r.dataset, "skill-hierarchy:ESCO");
    assert_file_counts(&r, "skillGroups_en.csv", 3, 3, 0);
    assert_file_counts(&r, "broaderRelationsSkillPillar_en.csv", 6, 5, 1);
    assert_file_counts(&r, "skillsHierarchy_en.csv", 3, 0, 3);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM skill_groups"), 3);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM skill_groups WHERE broader_id IS NOT NULL"), 2);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM skill_broader"), 3);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM skill_broader WHERE broader_skill_id IS NOT NULL"), 1);
    /* the same files again: nothing written */
    import_hierarchy_from(d->db, dir, &r);
    assert_true(r.unchanged);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM skill_broader"), 3);

    fow_model *m;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_model_load(d->db, &m, &err), &err);
    assert_int_equal(m->n_skill_parents, 3);
    uint32_t sourdough = FOW_NO_INDEX, oven = FOW_NO_INDEX;
    for (uint32_t s = 0; s < m->n_skills; s++) {
        if (strcmp(m->skills[s].label, "sourdough fermentation") == 0) sourdough = s;
        if (strcmp(m->skills[s].label, "operate an oven") == 0) oven = s;
    }
    assert_true(sourdough != FOW_NO_INDEX && oven != FOW_NO_INDEX);
    assert_int_equal(m->skill_parent_offsets[sourdough + 1] - m->skill_parent_offsets[sourdough], 1);
    assert_int_equal(fow_model_broader_skill(m, m->skill_parents[m->skill_parent_offsets[sourdough]]), oven);
    /* the hierarchy survives a snapshot (what fow serve maps) */
    {
        ts_tmp t;
        ts_tmp_make(&t);
        char path[TS_PATH_MAX];
        ts_join(path, sizeof path, t.dir, "m.snap");
        fow_snap_writer *w;
        assert_fow_ok(fow_snap_writer_open(path, 1, &w, &err), &err);
        assert_fow_ok(fow_model_snapshot_write(m, w), &err);
        assert_fow_ok(fow_snap_writer_commit(w, &err), &err);
        fow_snap *snap;
        assert_fow_ok(fow_snap_map(path, 1, &snap, &err), &err);
        fow_model *mapped;
        assert_fow_ok(fow_model_snapshot_read(snap, &mapped, &err), &err);
        assert_int_equal(mapped->n_skill_parents, m->n_skill_parents);
        assert_memory_equal(mapped->skill_parent_offsets, m->skill_parent_offsets,
                            (m->n_skills + 1) * sizeof *m->skill_parent_offsets);
        assert_memory_equal(mapped->skill_parents, m->skill_parents, m->n_skill_parents * sizeof *m->skill_parents);
        fow_model_free(mapped);
        fow_snap_unmap(snap);
        ts_tmp_remove(&t);
    }

    /* the viability rule and the gap: artisan baker (holds sourdough
     * fermentation) to baker (requires operate an oven) */
    uint32_t artisan = fow_model_occupation_by_key(m, true, ESCO("occupation:artisan-baker"),
                                                   strlen(ESCO("occupation:artisan-baker")));
    uint32_t baker = fow_model_occupation_by_key(m, true, ESCO("occupation:baker"), strlen(ESCO("occupation:baker")));
    assert_true(artisan != FOW_NO_INDEX && baker != FOW_NO_INDEX);
    for (int on = 0; on < 2; on++) {
        fow_similarity_params p;
        fow_similarity_params_default(&p);
        p.viable_hierarchy = on;
        p.viable_probable = 0; /* the oven is also a probable skill of the artisan baker (its parent lists it) */
        fow_similarity_index *x;
        assert_fow_ok(fow_similarity_index_build(m, &p, &x, &err), &err);
        fow_similarity_workspace *ws = fow_similarity_workspace_new(x);
        assert_non_null(ws);
        fow_similarity_origin_occupation(ws, artisan);
        assert_int_equal(ws->narrower[oven], sourdough);
        assert_int_equal(fow_essential_skill_status(ws, oven), on ? FOW_SKILL_NARROWER : FOW_SKILL_TO_LEARN);
        uint32_t total, missing;
        fow_essential_counts(ws, baker, &total, &missing);
        fow_gap gap;
        assert_fow_ok(fow_gap_compute(ws, baker, &gap, &err), &err);
        assert_int_equal(gap.n_missing, missing);
        const fow_gap_skill *g = NULL;
        for (uint32_t i = 0; i < gap.n_missing; i++)
            if (gap.missing[i].skill == oven) g = &gap.missing[i];
        for (uint32_t i = 0; i < gap.n_probably_held; i++)
            if (gap.probable[i].skill == oven) g = &gap.probable[i];
        assert_non_null(g);
        assert_int_equal(g->narrower, sourdough);
        assert_int_equal(g->probably_held, on);
        /* a person holding it gets the same */
        fow_similarity_origin_skills(ws, &sourdough, 1);
        assert_int_equal(fow_essential_skill_status(ws, oven), on ? FOW_SKILL_NARROWER : FOW_SKILL_TO_LEARN);
        fow_similarity_origin_skills(ws, &oven, 1);
        assert_int_equal(ws->narrower[oven], FOW_NO_INDEX); /* held itself; and cleared from the last origin */
        fow_gap_free(&gap);
        fow_similarity_workspace_free(ws);
        fow_similarity_index_free(x);
    }
    fow_model_free(m);
}

/* Bad hierarchy files are refused with the file, line and column, and the
 * database is left as it was. */
static void test_skill_hierarchy_bad_input(void **state) {
    ts_db *d = *state;
    fow_import_report r;
    import_esco_small(d->db, NULL, &r);
    ts_tmp t;
    ts_tmp_make(&t);
    char dir[TS_PATH_MAX], path[TS_PATH_MAX];
    ts_copy_fixture_dir("esco-small-hierarchy", &t, "h", dir, sizeof dir);
    fow_error err;
    /* a type that is neither */
    ts_write_string(dir, "broaderRelationsSkillPillar_en.csv",
                    "conceptType,conceptUri,broaderType,broaderUri\n"
                    "KnowledgeSkillCompetence," ESCO("skill:sourdough") ",Skill,urn:test:esco:group:food\n",
                    path, sizeof path);
    fow_error_clear(&err);
    assert_int_equal(fow_import_skill_hierarchy(d->db, dir, NULL, &r, &err), FOW_EINPUT);
    assert_true(ts_ends_with(err.file, "/broaderRelationsSkillPillar_en.csv"));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, (int)strlen("KnowledgeSkillCompetence," ESCO("skill:sourdough") ",") + 1);
    assert_non_null(strstr(err.message, "'Skill'"));
    /* a group the groups file does not have */
    ts_write_string(dir, "broaderRelationsSkillPillar_en.csv",
                    "conceptType,conceptUri,broaderType,broaderUri\n"
                    "KnowledgeSkillCompetence," ESCO("skill:weld-metal") ",SkillGroup,urn:test:esco:group:metal\n"
                    "KnowledgeSkillCompetence," ESCO("skill:sourdough") ",SkillGroup,urn:test:esco:group:bread\n",
                    path, sizeof path);
    fow_error_clear(&err);
    assert_int_equal(fow_import_skill_hierarchy(d->db, dir, NULL, &r, &err), FOW_EINPUT);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, (int)strlen("KnowledgeSkillCompetence," ESCO("skill:sourdough") ",SkillGroup,") + 1);
    assert_non_null(strstr(err.message, "urn:test:esco:group:bread is not in the groups file"));
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM skill_groups"), 0);
    /* the levels file naming an unknown group */
    char dir2[TS_PATH_MAX];
    ts_copy_fixture_dir("esco-small-hierarchy", &t, "h2", dir2, sizeof dir2);
    ts_write_string(dir2, "skillsHierarchy_en.csv",
                    "Level 0 URI,Level 0 preferred term,Level 1 URI,Level 1 preferred term,Level 2 URI,Level 3 URI\n"
                    "urn:test:esco:group:skills,skills,urn:test:esco:group:bread,bread\n",
                    path, sizeof path);
    fow_error_clear(&err);
    assert_int_equal(fow_import_skill_hierarchy(d->db, dir2, NULL, &r, &err), FOW_EINPUT);
    assert_true(ts_ends_with(err.file, "/skillsHierarchy_en.csv"));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, (int)strlen("urn:test:esco:group:skills,skills,") + 1);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM skill_broader"), 0);
    /* a required file missing */
    char missing[TS_PATH_MAX];
    remove(ts_join(missing, sizeof missing, dir2, "skillGroups_en.csv"));
    fow_error_clear(&err);
    assert_int_equal(fow_import_skill_hierarchy(d->db, dir2, NULL, &r, &err), FOW_EIO);
    assert_true(ts_ends_with(err.file, "/skillGroups_en.csv"));
    ts_tmp_remove(&t);
}

/* Without the taxonomy, nothing to attach the hierarchy to. */
static void test_skill_hierarchy_needs_the_taxonomy(void **state) {
    ts_db *d = *state;
    char dir[TS_PATH_MAX];
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_import_skill_hierarchy(d->db, ts_fixture(dir, sizeof dir, "esco-small-hierarchy"), NULL, &r,
                                                &err),
                     FOW_EINPUT);
    assert_non_null(strstr(err.message, "import the ESCO taxonomy first"));
}

/* Each collection file's report counts its own rows. */
static void test_esco_collection_reports_per_file(void **state) {
    ts_db *d = *state;
    ts_tmp t;
    ts_tmp_make(&t);
    char dir[TS_PATH_MAX];
    ts_copy_fixture_dir("esco-small", &t, "esco", dir, sizeof dir);
    ts_write_string(dir, "digitalSkillsCollection_en.csv",
                    "conceptType,conceptUri,preferredLabel\n"
                    "KnowledgeSkillCompetence," ESCO("skill:analyse-data") ",analyse data\n"
                    "KnowledgeSkillCompetence," ESCO("skill:statistics") ",statistics\n",
                    NULL, 0);
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_esco(d->db, dir, NULL, &r, &err), &err);
    assert_int_equal(ts_int(d->db, "SELECT sum(digital) FROM skills"), 2);
    assert_int_equal(ts_int(d->db, "SELECT sum(green) FROM skills"), 1);
    assert_false(ts_report_has_note(&r, "digitalSkillsCollection_en.csv not found"));
    assert_file_counts(&r, "digitalSkillsCollection_en.csv", 2, 2, 0);
    assert_file_counts(&r, "greenSkillsCollection_en.csv", 2, 1, 1);
    ts_tmp_remove(&t);
}

/* Windows line ends and a byte-order mark in every file change nothing. */
static void test_crlf_and_bom_bundle(void **state) {
    ts_db *d = *state;
    ts_import_bundle_fixture(d->db, "bundle-small", NULL);
    static const char q[] =
        "SELECT (SELECT group_concat(x, ';') FROM (SELECT uri || code || isco_group || label AS x FROM occupations "
        "ORDER BY 1)) || (SELECT group_concat(x, ';') FROM (SELECT o.uri || s.label || r.essential AS x FROM "
        "occupation_skills r JOIN occupations o ON o.id = r.occupation_id JOIN skills s ON s.id = r.skill_id "
        "ORDER BY 1)) || (SELECT group_concat(x, ';') FROM (SELECT lang || label || preferred AS x FROM "
        "occupation_labels UNION ALL SELECT lang || label || preferred FROM skill_labels ORDER BY 1))";
    static char lf[16384], crlf[16384];
    ts_text(d->db, lf, sizeof lf, q);
    assert_true(strlen(lf) > 1000);

    ts_db other;
    ts_db_fresh(&other);
    ts_tmp t;
    ts_tmp_make(&t);
    char dir[TS_PATH_MAX], p[TS_PATH_MAX];
    ts_copy_fixture_dir("bundle-small", &t, "crlf", dir, sizeof dir);
    static const char *const files[] = {"source.csv", "occupations.csv", "skills.csv", "occupation_skills.csv",
                                        "isco_groups.csv", "occupation_parents.csv", "occupation_labels.csv",
                                        "skill_labels.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        size_t len;
        char *data = ts_read_file(ts_join(p, sizeof p, dir, files[i]), &len);
        char *out = malloc(2 * len + 4);
        assert_non_null(out);
        size_t w = 0;
        memcpy(out, "\xEF\xBB\xBF", 3);
        w = 3;
        for (size_t k = 0; k < len; k++) {
            if (data[k] == '\n') out[w++] = '\r';
            out[w++] = data[k];
        }
        ts_write_bytes(dir, files[i], out, w, NULL, 0);
        free(out);
        free(data);
    }
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_bundle(other.db, dir, NULL, &r, &err), &err);
    assert_string_equal(r.dataset, "taxonomy:fow test bundle");
    assert_file_counts(&r, "occupations.csv", 7, 7, 0);
    ts_text(other.db, crlf, sizeof crlf, q);
    assert_string_equal(crlf, lf);
    assert_int_equal(ts_int(other.db, "SELECT count(*) FROM occupation_labels WHERE instr(label, char(13)) > 0"), 0);
    ts_tmp_remove(&t);
    ts_db_free(&other);
}

/* A newer version may rename a skill: found by its URI, it keeps its id. */
static void test_skill_renamed_keeps_its_id(void **state) {
    ts_db *d = *state;
    fow_db *db = d->db;
    ts_import_bundle_fixture(db, "bundle-small", NULL);
    long long id = ts_int(db, "SELECT id FROM skills WHERE label = 'web design'");
    assert_true(id > 0);
    ts_tmp t;
    ts_tmp_make(&t);
    char dir[TS_PATH_MAX], p[TS_PATH_MAX];
    ts_copy_fixture_dir("bundle-small", &t, "v2", dir, sizeof dir);
    ts_replace_text(ts_join(p, sizeof p, dir, "skills.csv"), "web design,urn:test:skill:web-design",
                    "web page design,urn:test:skill:web-design");
    ts_replace_text(ts_join(p, sizeof p, dir, "occupation_skills.csv"), "web-developer,essential,web design",
                    "web-developer,essential,web page design");
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_bundle(db, dir, NULL, &r, &err), &err);
    assert_true(r.replaced);
    assert_int_equal(ts_int(db, "SELECT id FROM skills WHERE label = 'web page design'"), id);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM skills"), 14);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM skill_labels WHERE label = 'web design'"), 0);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM skill_labels WHERE skill_id = %lld AND preferred = 1", id), 1);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_skills WHERE skill_id = %lld", id), 1);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_skills"), 24);
    ts_tmp_remove(&t);
}

/* Risk estimates for an occupation the taxonomy did not have yet: once a
 * newer taxonomy has it, importing the same estimates again imports it. */
static void test_reimport_after_the_taxonomy_grew(void **state) {
    ts_db *d = *state;
    fow_db *db = d->db;
    ts_import_bundle_fixture(db, "bundle-small", NULL);
    fow_import_report r;
    ts_import_fixture_file(db, "risk", "risk-small.csv", "mcc", &r);
    assert_file_counts(&r, "risk-small.csv", 5, 4, 1); /* urn:test:occupation:nobody is unknown */

    ts_tmp t;
    ts_tmp_make(&t);
    char dir[TS_PATH_MAX], p[TS_PATH_MAX];
    ts_copy_fixture_dir("bundle-small", &t, "v2", dir, sizeof dir);
    ts_replace_text(ts_join(p, sizeof p, dir, "source.csv"), ",1.0,", ",1.1,");
    ts_append_line(ts_join(p, sizeof p, dir, "occupations.csv"), OCC("nobody") ",9629.1,9629,nobody in particular,");
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_bundle(db, dir, NULL, &r, &err), &err);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupations"), 8);

    ts_import_fixture_file(db, "risk", "risk-small.csv", "mcc", &r);
    assert_risk(db, OCC("nobody"), "mcc", "own", 3.0, NULL);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_risk WHERE model = 'mcc' AND method = 'own'"), 5);
    ts_tmp_remove(&t);
}

static void test_esco_language_codes(void **state) {
    ts_db *d = *state;
    ts_digest before = db_snapshot(d->path);
    char dir[TS_PATH_MAX];
    ts_fixture(dir, sizeof dir, "esco-small");
    static const char *const bad[] = {"EN", "e n", "../en", "en_GB", "abcdefghijkl"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fow_import_options opt = {0};
        opt.lang = bad[i];
        fow_import_report r;
        fow_error err;
        fow_error_clear(&err);
        fow_code rc = fow_import_esco(d->db, dir, &opt, &r, &err);
        if (rc != FOW_EINPUT) fail_msg("lang '%s': expected FOW_EINPUT, got %s", bad[i], fow_code_name(rc));
        assert_string_equal(err.field, "lang");
        assert_contains(err.message, bad[i]);
    }
    /* a language without files: the required occupations file is missing */
    fow_import_options opt = {0};
    opt.lang = "de";
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_import_esco(d->db, dir, &opt, &r, &err), FOW_EIO);
    assert_true(ts_ends_with(err.file, "/occupations_de.csv"));
    assert_digest_equal(db_snapshot(d->path), before);
}

/* ---- provenance without source.csv: the version from the folder's name,
 * ESCO recognised by its URIs ------------------------------------------------ */

static void assert_version_in_path(const char *path, const char *expected) {
    char out[64];
    bool found = import_version_in_path(path, out, sizeof out);
    if (expected && (!found || strcmp(out, expected) != 0))
        fail_msg("'%s': expected version '%s', got %s '%s'", path, expected, found ? "found" : "none", out);
    if (!expected && (found || out[0]))
        fail_msg("'%s': expected no version, got '%s'", path, out);
}

static void test_version_in_path(void **state) {
    (void)state;
    /* the data's folder and the ESCO portal's download names */
    assert_version_in_path("../shared/data/esco-1.2.0", "1.2.0");
    assert_version_in_path("/data/esco-1.2.0/", "1.2.0");
    assert_version_in_path("/data/esco-1.2.0//", "1.2.0");
    assert_version_in_path("/data/esco-1.2.0-official", "1.2.0");
    assert_version_in_path("/d/ESCO dataset - v1.2.0 - classification - en - csv", "1.2.0");
    assert_version_in_path("v1.2", "1.2");
    assert_version_in_path("V1.1.1", "1.1.1");
    assert_version_in_path("1.2.0", "1.2.0");
    assert_version_in_path("esco_1.2.0.", "1.2.0");
    assert_version_in_path("/x/esco (1.0.8) en", "1.0.8");
    /* the first of two */
    assert_version_in_path("/x/esco-1.1-to-1.2", "1.1");
    /* only the last component counts */
    assert_version_in_path("/data/v1.2/esco", NULL);
    assert_version_in_path("/data/esco-1.2.0/occupations", NULL);
    /* a number without a dot is no version (a year, a copy number) */
    assert_version_in_path("/data/esco_2024", NULL);
    assert_version_in_path("/data/esco 2", NULL);
    /* digits glued to a word are part of the word; 'v' only on its own */
    assert_version_in_path("/data/abc1.2", NULL);
    assert_version_in_path("/data/dev1.2", NULL);
    assert_version_in_path("/data/release.1.2", NULL);
    assert_version_in_path("/data/esco", NULL);
    assert_version_in_path("", NULL);
    assert_version_in_path("/", NULL);
    /* too long for out: not cut, not found */
    char small[5];
    assert_false(import_version_in_path("esco-1.2.0", small, sizeof small));
    assert_string_equal(small, "");
    char exact[6];
    assert_true(import_version_in_path("esco-1.2.0", exact, sizeof exact));
    assert_string_equal(exact, "1.2.0");
}

/* Replaces every occurrence of from in the file at path by to. */
static void replace_all(const char *path, const char *from, const char *to) {
    size_t len;
    char *text = ts_read_file(path, &len);
    size_t nf = strlen(from), nt = strlen(to), count = 0;
    for (const char *p = strstr(text, from); p; p = strstr(p + nf, from)) count++;
    char *out = malloc(len + count * nt + 1);
    assert_non_null(out);
    size_t w = 0;
    const char *r = text;
    for (const char *p = strstr(r, from); p; p = strstr(r, from)) {
        memcpy(out + w, r, (size_t)(p - r));
        w += (size_t)(p - r);
        memcpy(out + w, to, nt);
        w += nt;
        r = p + nf;
    }
    size_t rest = len - (size_t)(r - text);
    memcpy(out + w, r, rest);
    w += rest;
    char dir[TS_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    assert_non_null(slash);
    *slash = '\0';
    ts_write_bytes(dir, slash + 1, out, w, NULL, 0);
    free(out);
    free(text);
}

/* The small bundle copied into t->dir/sub without its source.csv, its
 * occupations' URIs moved into ESCO's namespace. */
static void copy_bundle_as_esco(ts_tmp *t, const char *sub, char *dir, size_t n) {
    static const char *const files[] = {"occupations.csv", "occupation_labels.csv", "occupation_parents.csv",
                                        "occupation_skills.csv"};
    char p[TS_PATH_MAX];
    ts_copy_fixture_dir("bundle-small", t, sub, dir, n);
    assert_int_equal(remove(ts_join(p, sizeof p, dir, "source.csv")), 0);
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        replace_all(ts_join(p, sizeof p, dir, files[i]), "urn:test:occupation:", ESCO_URI_PREFIX "occupation/");
}

/* The name, version, licence and url of the only source, '|'-separated. */
static char *only_source(fow_db *db, char *buf, size_t n) {
    assert_int_equal(ts_int(db, "SELECT count(*) FROM sources"), 1);
    return ts_text(db, buf, n, "SELECT name || '|' || version || '|' || licence || '|' || url FROM sources");
}

static void test_bundle_of_esco_uris_is_esco(void **state) {
    ts_db *d = *state;
    ts_tmp t;
    ts_tmp_make(&t);
    char dir[TS_PATH_MAX];
    copy_bundle_as_esco(&t, "esco-1.2.0", dir, sizeof dir);
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_bundle(d->db, dir, NULL, &r, &err), &err);
    assert_string_equal(r.dataset, "taxonomy:ESCO");
    assert_string_equal(r.source_name, "ESCO");
    assert_string_equal(r.version, "1.2.0");
    char buf[400];
    assert_string_equal(only_source(d->db, buf, sizeof buf), "ESCO|1.2.0|" ESCO_LICENCE "|" ESCO_URL);
    ts_tmp_remove(&t);
}

/* One occupation of another publisher among ESCO's: the bundle is not
 * ESCO's, and gets neither its name nor its licence. */
static void test_bundle_with_one_other_uri_is_not_esco(void **state) {
    ts_db *d = *state;
    ts_tmp t;
    ts_tmp_make(&t);
    char dir[TS_PATH_MAX], p[TS_PATH_MAX];
    copy_bundle_as_esco(&t, "esco-1.2.0", dir, sizeof dir);
    const char *esco_carpenter = ESCO_URI_PREFIX "occupation/carpenter";
    const char *files[] = {"occupations.csv", "occupation_labels.csv", "occupation_skills.csv"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        replace_all(ts_join(p, sizeof p, dir, files[i]), esco_carpenter, "https://example.test/occupation/carpenter");
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_bundle(d->db, dir, NULL, &r, &err), &err);
    assert_string_equal(r.dataset, "taxonomy:esco-1.2.0");
    char buf[400];
    /* the folder's name still gives the version */
    assert_string_equal(only_source(d->db, buf, sizeof buf), "esco-1.2.0|1.2.0|not stated|");
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM occupations WHERE uri = "
                                   "'https://example.test/occupation/carpenter'"),
                     1);
    ts_tmp_remove(&t);
}

/* A source named by the user is not ESCO's published data set: its
 * version, licence and address are not guessed. */
static void test_own_source_is_not_credited_to_esco(void **state) {
    ts_db *d = *state;
    ts_tmp t;
    ts_tmp_make(&t);
    char dir[TS_PATH_MAX];
    copy_bundle_as_esco(&t, "esco-1.2.0", dir, sizeof dir);
    fow_import_options opt = {0};
    opt.source_name = "our edit of ESCO";
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_bundle(d->db, dir, &opt, &r, &err), &err);
    char buf[400];
    assert_string_equal(only_source(d->db, buf, sizeof buf), "our edit of ESCO|unversioned|not stated|");
    ts_tmp_remove(&t);
}

/* The version option beats the folder's name; source.csv beats both the
 * URIs and the folder. */
static void test_bundle_version_option_and_source_file_win(void **state) {
    ts_db *d = *state;
    ts_tmp t;
    ts_tmp_make(&t);
    char dir[TS_PATH_MAX], p[TS_PATH_MAX];
    copy_bundle_as_esco(&t, "esco-1.2.0", dir, sizeof dir);
    fow_import_options opt = {0};
    opt.version = "1.2.0-rc1";
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_bundle(d->db, dir, &opt, &r, &err), &err);
    char buf[400];
    assert_string_equal(only_source(d->db, buf, sizeof buf), "ESCO|1.2.0-rc1|" ESCO_LICENCE "|" ESCO_URL);

    ts_db other;
    ts_db_fresh(&other);
    char dir2[TS_PATH_MAX];
    copy_bundle_as_esco(&t, "esco-9.9", dir2, sizeof dir2);
    ts_copy_file(ts_fixture(p, sizeof p, "bundle-small/source.csv"), dir2, "source.csv", NULL, 0);
    fow_error_clear(&err);
    assert_fow_ok(fow_import_bundle(other.db, dir2, NULL, &r, &err), &err);
    assert_string_equal(only_source(other.db, buf, sizeof buf),
                        "fow test bundle|1.0|CC0-1.0|https://example.test/fow-test-bundle");
    ts_db_free(&other);
    ts_tmp_remove(&t);
}

/* fow import esco: the portal's files carry no version, the folder's name
 * may; --version beats it; none of them: unversioned. */
static void test_esco_version_from_the_folder(void **state) {
    ts_db *d = *state;
    ts_tmp t;
    ts_tmp_make(&t);
    char dir[TS_PATH_MAX], buf[400];
    ts_copy_fixture_dir("esco-small", &t, "ESCO dataset - v1.2.0 - classification - en - csv", dir, sizeof dir);
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_esco(d->db, dir, NULL, &r, &err), &err);
    assert_string_equal(r.version, "1.2.0");
    assert_string_equal(only_source(d->db, buf, sizeof buf), "ESCO|1.2.0|" ESCO_LICENCE "|" ESCO_URL);

    ts_db other;
    ts_db_fresh(&other);
    fow_import_options opt = {0};
    opt.version = "1.2.1";
    fow_error_clear(&err);
    assert_fow_ok(fow_import_esco(other.db, dir, &opt, &r, &err), &err);
    assert_string_equal(r.version, "1.2.1");
    ts_db_free(&other);

    ts_db_fresh(&other);
    char plain[TS_PATH_MAX];
    ts_copy_fixture_dir("esco-small", &t, "esco", plain, sizeof plain);
    fow_error_clear(&err);
    assert_fow_ok(fow_import_esco(other.db, plain, NULL, &r, &err), &err);
    assert_string_equal(r.version, "unversioned");
    assert_string_equal(only_source(other.db, buf, sizeof buf), "ESCO|unversioned|" ESCO_LICENCE "|" ESCO_URL);
    ts_db_free(&other);
    ts_tmp_remove(&t);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup_db, teardown_db)
    const struct CMUnitTest tests[] = {
        T(test_bundle_counts_and_report),
        T(test_bundle_values),
        T(test_bundle_twice_is_unchanged),
        T(test_frey_osborne_own_values),
        T(test_bundle_newer_version_replaces),
        T(test_derived_values_follow_the_taxonomy),
        T(test_bundle_name_defaults_to_the_folder),
        T(test_uri_belongs_to_one_source),
        T(test_bundle_missing_required_file),
        T(test_risk_import_and_rejection),
        T(test_risk_inheritance),
        T(test_own_value_beats_inherited),
        T(test_isco_risk),
        T(test_attributes_and_inheritance),
        T(test_frey_osborne_through_crosswalks),
        T(test_import_order_does_not_matter),
        T(test_sources_list),
        T(test_options_override_the_source),
        T(test_risk_needs_a_model),
        T(test_risk_without_taxonomy),
        T(test_progress_callback),
        T(test_esco_import),
        T(test_skill_hierarchy_import),
        T(test_skill_hierarchy_bad_input),
        T(test_skill_hierarchy_needs_the_taxonomy),
        T(test_esco_twice_is_unchanged),
        T(test_esco_translation),
        T(test_esco_collection_reports_per_file),
        T(test_crlf_and_bom_bundle),
        T(test_skill_renamed_keeps_its_id),
        T(test_reimport_after_the_taxonomy_grew),
        T(test_esco_language_codes),
        T(test_version_in_path),
        T(test_bundle_of_esco_uris_is_esco),
        T(test_bundle_with_one_other_uri_is_not_esco),
        T(test_own_source_is_not_credited_to_esco),
        T(test_bundle_version_option_and_source_file_win),
        T(test_esco_version_from_the_folder),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
