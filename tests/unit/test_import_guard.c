/* test_import_guard.c — what keeps an import from replacing good data with
 * less (issue 11, finding 3) and what an import of the same data under a
 * new version does (finding 10): a file that ends inside a row is refused
 * with its position; an import that would take away more than
 * FOW_IMPORT_MAX_SHRINK_PERCENT of a data set's rows in a table (a
 * header-only relations file, a header-only parents file that takes the
 * inherited values with it, an employment file with a fraction of the
 * area's rows) is refused naming allow_shrink, with the database exactly as
 * it was, and goes through with allow_shrink; the same data under a new
 * version rewrites the source's description and nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#include "observatory/fow_observatory_check.h"
#include "taxonomy/fow_import.h"

/* The small bundle with MCC risk and attributes, which nested occupations
 * inherit through occupation_parents.csv. */
static void import_small_with_values(fow_db *db) {
    ts_import_bundle_fixture(db, "bundle-small", NULL);
    ts_import_fixture_file(db, "risk", "risk-small.csv", "mcc", NULL);
    ts_import_fixture_file(db, "attributes", "attributes-small.csv", NULL, NULL);
}

/* Imports the bundle in dir with allow_shrink as given; returns the code
 * (err filled). */
static fow_code import_bundle_dir(fow_db *db, const char *dir, bool allow_shrink, fow_import_report *r,
                                  fow_error *err) {
    fow_import_options opt = {0};
    opt.allow_shrink = allow_shrink;
    fow_error_clear(err);
    return fow_import_bundle(db, dir, &opt, r, err);
}

/* Asserts the shrink refusal: FOW_EINPUT, field allow_shrink, and the
 * message naming what and the counts. */
static void assert_shrink_error(fow_code rc, const fow_error *err, const char *what) {
    assert_int_equal(rc, FOW_EINPUT);
    assert_string_equal(err->field, "allow_shrink");
    assert_contains(err->message, "refused: this import would leave");
    assert_contains(err->message, what);
    assert_contains(err->message, "import again with allow_shrink");
}

/* A copy of the small bundle in dir (n bytes), in the new temporary
 * folder t, with file cut to its header line. */
static void bundle_with_header_only(ts_tmp *t, const char *file, char *dir, size_t n) {
    ts_tmp_make(t);
    ts_copy_fixture_dir("bundle-small", t, "cut", dir, n);
    char p[TS_PATH_MAX];
    size_t len;
    char *text = ts_read_file(ts_join(p, sizeof p, dir, file), &len);
    char *nl = strchr(text, '\n');
    assert_non_null(nl);
    nl[1] = '\0';
    ts_write_string(dir, file, text, p, sizeof p);
    free(text);
}

/* Imports the bundle in dir into d, which must be refused as a shrink
 * naming what, with the database exactly as it was, seen from this
 * connection and from another, and no transaction or temporary table
 * left. Returns the error. */
static fow_error assert_bundle_refused(ts_db *d, const char *dir, const char *what) {
    ts_digest before = db_snapshot(d->path);
    fow_import_report r;
    fow_error err;
    assert_shrink_error(import_bundle_dir(d->db, dir, false, &r, &err), &err, what);
    assert_digest_equal(db_snapshot(d->path), before);
    assert_digest_equal(db_snapshot_conn(d->db->sql), before);
    assert_int_equal(sqlite3_get_autocommit(d->db->sql), 1);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM temp.sqlite_master"), 0);
    return err;
}

/* A header-only occupation_skills.csv would remove every relation. */
static void test_header_only_relations_refused(void **state) {
    ts_db *d = *state;
    import_small_with_values(d->db);
    long long relations = ts_int(d->db, "SELECT count(*) FROM occupation_skills");
    assert_true(relations > 0);
    ts_tmp t;
    char dir[TS_PATH_MAX], want[200];
    bundle_with_header_only(&t, "occupation_skills.csv", dir, sizeof dir);
    snprintf(want, sizeof want, "with 0 of its %lld rows in occupation_skills (none left)", relations);
    fow_error err = assert_bundle_refused(d, dir, want);
    assert_contains(err.message, "taxonomy:fow test bundle");

    /* asked for, it goes through */
    fow_import_report r;
    assert_fow_ok(import_bundle_dir(d->db, dir, true, &r, &err), &err);
    assert_true(r.replaced);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM occupation_skills"), 0);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM temp.sqlite_master"), 0);
    ts_tmp_remove(&t);
}

/* A header-only occupation_parents.csv takes the inherited risk and
 * attributes with it: the parents table and the values both shrink. */
static void test_header_only_parents_refused(void **state) {
    ts_db *d = *state;
    import_small_with_values(d->db);
    long long inherited = ts_int(d->db, "SELECT count(*) FROM occupation_risk WHERE method = 'inherited'");
    assert_true(inherited > 0);
    ts_tmp t;
    char dir[TS_PATH_MAX];
    bundle_with_header_only(&t, "occupation_parents.csv", dir, sizeof dir);
    fow_error err = assert_bundle_refused(d, dir, "with 0 of its 2 rows in occupation_parents (none left)");
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM occupation_risk WHERE method = 'inherited'"), inherited);

    fow_import_report r;
    assert_fow_ok(import_bundle_dir(d->db, dir, true, &r, &err), &err);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM occupation_parents"), 0);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM occupation_risk WHERE method = 'inherited'"), 0);
    ts_tmp_remove(&t);
}

/* Imports of single files one after the other into the small bundle's
 * database, each file written from a text: what the shrink tests share. */
typedef fow_code (*file_importer)(fow_db *db, const char *path, const fow_import_options *opt, fow_import_report *r,
                                  fow_error *err);

typedef struct file_imports {
    ts_db *d;
    file_importer import;
    fow_import_options opt;
    fow_import_report r;
    fow_error err;
    ts_tmp t;
    char path[TS_PATH_MAX];
} file_imports;

/* Imports the small bundle into d and starts f for import (options all
 * 0: set f->opt's fields after). End with ts_tmp_remove(&f->t). */
static void file_imports_begin(file_imports *f, ts_db *d, file_importer import) {
    memset(f, 0, sizeof *f);
    f->d = d;
    f->import = import;
    ts_import_bundle_fixture(d->db, "bundle-small", NULL);
    ts_tmp_make(&f->t);
    fow_error_clear(&f->err);
}

/* Writes csv to the file name and imports it, which must succeed. */
static void import_text(file_imports *f, const char *name, const char *csv) {
    ts_write_string(f->t.dir, name, csv, f->path, sizeof f->path);
    assert_fow_ok(f->import(f->d->db, f->path, &f->opt, &f->r, &f->err), &f->err);
}

/* Writes csv to the file name, whose import must be refused as a shrink
 * naming what, with the database exactly as it was; then imports it with
 * allow_shrink, which must succeed. */
static void import_text_shrinking(file_imports *f, const char *name, const char *csv, const char *what) {
    ts_digest before = db_snapshot(f->d->path);
    ts_write_string(f->t.dir, name, csv, f->path, sizeof f->path);
    assert_shrink_error(f->import(f->d->db, f->path, &f->opt, &f->r, &f->err), &f->err, what);
    assert_digest_equal(db_snapshot(f->d->path), before);
    f->opt.allow_shrink = true;
    assert_fow_ok(f->import(f->d->db, f->path, &f->opt, &f->r, &f->err), &f->err);
    f->opt.allow_shrink = false;
}

/* Taking away half of a data set's rows is allowed; more is not. */
static void test_shrink_threshold(void **state) {
    ts_db *d = *state;
    file_imports f;
    file_imports_begin(&f, d, fow_import_crosswalk);
    import_text(&f, "x.csv", "isco08,soc2010\n1111,11-1011\n1112,11-1011\n1113,11-1021\n1114,11-1031\n");
    /* 4 -> 2: half, allowed */
    import_text(&f, "x.csv", "isco08,soc2010\n1111,11-1011\n1112,11-1011\n");
    assert_true(f.r.replaced);
    /* 2 -> 1: half again, allowed */
    import_text(&f, "x.csv", "isco08,soc2010\n1111,11-1011\n");
    /* 3 rows, then 1: two thirds gone, refused */
    import_text(&f, "x.csv", "isco08,soc2010\n1111,11-1011\n1112,11-1011\n1113,11-1021\n");
    import_text_shrinking(&f, "x.csv", "isco08,soc2010\n1114,11-1031\n",
                          "would leave crosswalk:isco08-soc2010 with 1 of its 3 rows in crosswalk_isco_soc");
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM crosswalk_isco_soc"), 1);
    ts_tmp_remove(&f.t);
}

/* Employment: an area's rows for a year pass from one file to the next, so
 * they are counted by area and year. */
static void test_employment_shrink_by_area_and_year(void **state) {
    ts_db *d = *state;
    file_imports f;
    file_imports_begin(&f, d, fow_import_employment);
    f.opt.area = "Testville";
    import_text(&f, "a.csv", "isco_code,year,employed\n8322,2023,10\n2512,2023,20\n2166,2023,30\n8322,2024,11\n");
    /* another file for 2023 with 2 of its 3 rows: a third gone, allowed */
    import_text(&f, "b.csv", "isco_code,year,employed\n8322,2023,12\n2512,2023,21\n");
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM employment WHERE year = 2023"), 2);
    /* a file of 2024 only leaves 2023 as it is */
    import_text(&f, "c.csv", "isco_code,year,employed\n8322,2024,13\n");
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM employment WHERE area = 'Testville'"), 3);
    /* 2023 back to 3 rows, then a file with 1 of them: two thirds gone, refused */
    import_text(&f, "d.csv", "isco_code,year,employed\n8322,2023,1\n2512,2023,2\n2166,2023,3\n");
    import_text_shrinking(&f, "e.csv", "isco_code,year,employed\n8322,2023,1\n",
                          "would leave the area 'Testville' in 2023 with 1 of its 3 rows in employment");
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM employment WHERE year = 2023"), 1);
    ts_tmp_remove(&f.t);
}

/* The bookkeeping of issue 16: each area and year's summary
 * (employment_years) and each employment source's row count are kept by
 * the import, not counted over the table afterwards. After every step they
 * must be what counting the table gives, and fow check must pass. */
static void assert_employment_counts_true(fow_db *db) {
    /* every source's rows are the rows pointing at it; no source is left without rows */
    assert_int_equal(ts_int(db, "SELECT count(*) FROM sources s WHERE s.kind LIKE 'employment%%' AND "
                                "s.rows <> (SELECT count(*) FROM employment e WHERE e.source_id = s.id)"),
                     0);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM sources WHERE kind LIKE 'employment%%' AND rows = 0"), 0);
    /* one summary per area and year with rows, each matching them */
    assert_int_equal(ts_int(db, "SELECT count(*) FROM employment_years"),
                     ts_int(db, "SELECT count(*) FROM (SELECT DISTINCT area, year FROM employment)"));
    assert_int_equal(ts_int(db, "SELECT count(*) FROM employment_years y WHERE "
                                "y.rows <> (SELECT count(*) FROM employment e WHERE e.area = y.area AND e.year = y.year) "
                                "OR y.masked <> (SELECT count(*) FROM employment e WHERE e.area = y.area "
                                "  AND e.year = y.year AND e.masked = 1) "
                                "OR abs(y.employed_given - (SELECT coalesce(sum(e.employed), 0) FROM employment e "
                                "  WHERE e.area = y.area AND e.year = y.year)) > 1e-9 "
                                "OR EXISTS (SELECT 1 FROM employment e WHERE e.area = y.area AND e.year = y.year "
                                "  AND e.source_id <> y.source)"),
                     0);
    fow_check_report report;
    fow_check_report_init(&report);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_observatory_check(db, &report, &err), &err);
    for (size_t i = 0; i < report.n_results; i++)
        if (report.results[i].problems) fail_msg("%s: %s", report.results[i].name, report.results[i].examples[0]);
    fow_check_report_free(&report);
}

static long long source_rows(fow_db *db, const char *dataset) {
    return ts_int(db, "SELECT coalesce((SELECT rows FROM sources WHERE dataset = '%s'), -1)", dataset);
}

static void test_employment_counts_follow_replacements(void **state) {
    ts_db *d = *state;
    file_imports f;
    file_imports_begin(&f, d, fow_import_employment);
    f.opt.area = "Testville";
    /* a file of two years, one cell masked */
    import_text(&f, "a.csv", "isco_code,year,employed\n8322,2023,10\n2512,2023,x\n2166,2023,30\n8322,2024,11\n");
    assert_employment_counts_true(d->db);
    assert_int_equal(source_rows(d->db, "employment:Testville:a.csv"), 4);
    assert_int_equal(ts_int(d->db, "SELECT rows * 10 + masked FROM employment_years WHERE year = 2023"), 31);
    assert_true(ts_double(d->db, "SELECT employed_given FROM employment_years WHERE year = 2023") == 40);
    /* another area: its own years, the first area's unchanged */
    f.opt.area = "Otherton";
    import_text(&f, "a.csv", "isco_code,year,employed\n8322,2023,5\n");
    assert_employment_counts_true(d->db);
    assert_int_equal(source_rows(d->db, "employment:Otherton:a.csv"), 1);
    assert_int_equal(source_rows(d->db, "employment:Testville:a.csv"), 4);
    /* 2023 of Testville replaced by another file: a.csv keeps 2024 only */
    f.opt.area = "Testville";
    import_text(&f, "b.csv", "isco_code,year,employed\n8322,2023,12\n2512,2023,21\n");
    assert_employment_counts_true(d->db);
    assert_int_equal(source_rows(d->db, "employment:Testville:a.csv"), 1);
    assert_int_equal(source_rows(d->db, "employment:Testville:b.csv"), 2);
    /* the same file again changes nothing */
    import_text(&f, "b.csv", "isco_code,year,employed\n8322,2023,12\n2512,2023,21\n");
    assert_true(f.r.unchanged);
    assert_employment_counts_true(d->db);
    /* 2024 replaced too: a.csv holds nothing and goes */
    import_text(&f, "c.csv", "isco_code,year,employed\n8322,2024,13\n2512,2024,x\n");
    assert_employment_counts_true(d->db);
    assert_int_equal(source_rows(d->db, "employment:Testville:a.csv"), -1);
    assert_int_equal(source_rows(d->db, "employment:Testville:c.csv"), 2);
    /* a new version of b.csv (the same data set) with one more row */
    import_text(&f, "b.csv", "isco_code,year,employed\n8322,2023,12\n2512,2023,21\n2166,2023,x\n");
    assert_false(f.r.unchanged);
    assert_employment_counts_true(d->db);
    assert_int_equal(source_rows(d->db, "employment:Testville:b.csv"), 3);
    /* a refused import (a shrink) leaves the counts as they were */
    import_text_shrinking(&f, "b.csv", "isco_code,year,employed\n8322,2023,1\n",
                          "would leave the area 'Testville' in 2023 with 1 of its 3 rows in employment");
    assert_employment_counts_true(d->db);
    assert_int_equal(source_rows(d->db, "employment:Testville:b.csv"), 1);
    /* rows naming an ESCO occupation that a newer taxonomy drops go with it,
     * and their area and year's summary and source's count follow (a
     * trigger) */
    import_text(&f, "d.csv", "occupation_uri,year,employed\nurn:test:occupation:driver,2020,7\n"
                             "urn:test:occupation:software-developer,2020,x\n"
                             "urn:test:occupation:taxi-driver,2021,4\n");
    assert_employment_counts_true(d->db);
    assert_int_equal(ts_exec(d->db, "DELETE FROM occupations WHERE uri IN ('urn:test:occupation:driver', "
                                    "'urn:test:occupation:taxi-driver')"),
                     FOW_OK);
    assert_employment_counts_true(d->db);
    assert_int_equal(source_rows(d->db, "employment:Testville:d.csv"), 1);
    assert_int_equal(ts_int(d->db, "SELECT rows * 10 + masked FROM employment_years WHERE year = 2020"), 11);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM employment_years WHERE year = 2021"), 0);
    assert_true(ts_double(d->db, "SELECT employed_given FROM employment_years WHERE year = 2020") == 0);
    import_text(&f, "e.csv", "isco_code,year,employed\n8322,2019,1\n");
    assert_employment_counts_true(d->db);
    assert_int_equal(source_rows(d->db, "employment:Testville:d.csv"), 1);
    ts_tmp_remove(&f.t);
}

/* A cut file in a bundle: refused at the position where it ends. */
static void test_truncated_bundle_file(void **state) {
    ts_db *d = *state;
    ts_import_bundle_fixture(d->db, "bundle-small", NULL);
    ts_tmp t;
    ts_tmp_make(&t);
    char dir[TS_PATH_MAX], p[TS_PATH_MAX];
    ts_copy_fixture_dir("bundle-small", &t, "cut", dir, sizeof dir);
    size_t len;
    char *text = ts_read_file(ts_join(p, sizeof p, dir, "occupation_skills.csv"), &len);
    /* cut 5 bytes before the end: inside the last row */
    assert_true(len > 10);
    ts_write_bytes(dir, "occupation_skills.csv", text, len - 5, p, sizeof p);
    int lines = 1;
    for (size_t i = 0; i < len - 5; i++) lines += text[i] == '\n';
    free(text);
    ts_digest before = db_snapshot(d->path);
    fow_import_report r;
    fow_error err;
    assert_int_equal(import_bundle_dir(d->db, dir, false, &r, &err), FOW_EINPUT);
    assert_true(ts_ends_with(err.file, "/occupation_skills.csv"));
    assert_int_equal(err.line, lines);
    assert_contains(err.message, "file ends inside a row: truncated?");
    assert_digest_equal(db_snapshot(d->path), before);
    /* allow_shrink does not let a cut file in */
    assert_int_equal(import_bundle_dir(d->db, dir, true, &r, &err), FOW_EINPUT);
    assert_contains(err.message, "file ends inside a row: truncated?");
    assert_digest_equal(db_snapshot(d->path), before);
    ts_tmp_remove(&t);
}

/* The same data under a new version: the source's description follows,
 * the data is not written again, and the report says so. */
static void test_same_data_new_version(void **state) {
    ts_db *d = *state;
    import_small_with_values(d->db);
    static const char *const data_tables[] = {"occupations", "skills", "occupation_skills", "occupation_labels",
                                              "occupation_parents", "occupation_risk", "occupation_attributes",
                                              "search_terms", NULL};
    ts_digest data_before = db_snapshot_tables(d->db->sql, data_tables);
    long long generation = ts_int(d->db, "SELECT generation FROM data_version");
    char buf[300], imported_at[64];
    ts_text(d->db, imported_at, sizeof imported_at,
            "SELECT imported_at FROM sources WHERE dataset = 'risk:mcc:occupation'");
    char path[TS_PATH_MAX];
    ts_fixture(path, sizeof path, "risk-small.csv");
    fow_import_options opt = {0};
    opt.model = "mcc";
    opt.version = "2021";
    opt.licence = "CC BY 4.0";
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_risk(d->db, path, &opt, &r, &err), &err);
    assert_true(r.unchanged);
    assert_true(r.description_updated);
    assert_false(r.replaced);
    assert_string_equal(r.version, "2021");
    assert_string_equal(r.previous_version, "2020");
    assert_true(ts_report_has_note(&r, "only the source's description was updated (version '2020' is now '2021')"));
    assert_string_equal(
        ts_text(d->db, buf, sizeof buf, "SELECT version || ' ' || licence FROM sources WHERE dataset = 'risk:mcc:occupation'"),
        "2021 CC BY 4.0");
    /* the data, the fingerprint's import time and the row count stay */
    assert_digest_equal(db_snapshot_tables(d->db->sql, data_tables), data_before);
    assert_string_equal(
        ts_text(d->db, buf, sizeof buf, "SELECT imported_at FROM sources WHERE dataset = 'risk:mcc:occupation'"),
        imported_at);
    /* a new data version, so that a server reloads what it shows */
    assert_int_equal(ts_int(d->db, "SELECT generation FROM data_version"), generation + 1);

    /* the same again: nothing at all changes */
    ts_digest all = db_snapshot(d->path);
    assert_fow_ok(fow_import_risk(d->db, path, &opt, &r, &err), &err);
    assert_true(r.unchanged);
    assert_false(r.description_updated);
    assert_int_equal(r.n_notes, 0);
    assert_digest_equal(db_snapshot(d->path), all);

    /* a bundle: its version from the options */
    fow_import_options bopt = {0};
    bopt.version = "1.0.1";
    char dir[TS_PATH_MAX];
    ts_fixture(dir, sizeof dir, "bundle-small");
    assert_fow_ok(fow_import_bundle(d->db, dir, &bopt, &r, &err), &err);
    assert_true(r.unchanged && r.description_updated);
    assert_string_equal(r.previous_version, "1.0");
    assert_string_equal(
        ts_text(d->db, buf, sizeof buf, "SELECT version FROM sources WHERE dataset = 'taxonomy:fow test bundle'"),
        "1.0.1");
    assert_digest_equal(db_snapshot_tables(d->db->sql, data_tables), data_before);

    /* employment: the same file, a new version */
    ts_tmp t;
    ts_tmp_make(&t);
    ts_write_string(t.dir, "e.csv", "isco_code,year,employed\n8322,2023,10\n", path, sizeof path);
    fow_import_options eopt = {0};
    eopt.area = "Testville";
    assert_fow_ok(fow_import_employment(d->db, path, &eopt, &r, &err), &err);
    eopt.version = "v2";
    assert_fow_ok(fow_import_employment(d->db, path, &eopt, &r, &err), &err);
    assert_true(r.unchanged && r.description_updated);
    assert_string_equal(ts_text(d->db, buf, sizeof buf,
                                "SELECT version || ' ' || rows FROM sources WHERE dataset LIKE 'employment:Testville:%%'"),
                        "v2 1");
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM employment"), 1);
    ts_tmp_remove(&t);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, ts_setup_db, ts_teardown_db)
    const struct CMUnitTest tests[] = {
        T(test_header_only_relations_refused),
        T(test_header_only_parents_refused),
        T(test_shrink_threshold),
        T(test_employment_shrink_by_area_and_year),
        T(test_employment_counts_follow_replacements),
        T(test_truncated_bundle_file),
        T(test_same_data_new_version),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
