#include "test_support.h"
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* test_support_self.c — the test helpers' own tests: they check that the helpers the other tests rely on can
 * tell what they claim to tell (a snapshot that never changed would make every
 * "database unchanged" assertion pass). */

static void self_snapshot_sees_every_change(void **state) {
    (void)state;
    ts_db d;
    ts_db_fresh(&d);
    fow_error err;
    fow_error_clear(&err);
    ts_digest empty = db_snapshot(d.path);
    assert_true(empty.tables > 5);
    /* a fresh database holds only the rows its schema seeds (the roles, the
     * data version) */
    long long seeded = ts_int(d.db, "SELECT (SELECT count(*) FROM roles) + (SELECT count(*) FROM data_version)");
    assert_int_equal(empty.rows, seeded);
    assert_digest_equal(db_snapshot(d.path), empty);
    assert_digest_equal(db_snapshot_conn(d.db->sql), empty);

    assert_fow_ok(fow_db_exec(d.db,
                              "INSERT INTO sources(dataset, kind, name, version, licence, path, fingerprint, rows, "
                              "imported_at) VALUES ('d', 'k', 'n', 'v', 'l', 'p', 'f', 0, 't')",
                              &err),
                  &err);
    ts_digest one = db_snapshot(d.path);
    assert_false(ts_digest_equal(one, empty));
    assert_int_equal(one.rows, seeded + 1);

    /* one changed value, same row count */
    assert_fow_ok(fow_db_exec(d.db, "UPDATE sources SET version = 'w'", &err), &err);
    ts_digest changed = db_snapshot(d.path);
    assert_false(ts_digest_equal(changed, one));
    assert_int_equal(changed.rows, seeded + 1);

    /* a value moved between columns */
    assert_fow_ok(fow_db_exec(d.db, "UPDATE sources SET version = 'v', name = 'n'", &err), &err);
    assert_digest_equal(db_snapshot(d.path), one);
    assert_fow_ok(fow_db_exec(d.db, "UPDATE sources SET version = 'n', name = 'v'", &err), &err);
    assert_false(ts_digest_equal(db_snapshot(d.path), one));
    assert_fow_ok(fow_db_exec(d.db, "UPDATE sources SET version = 'v', name = 'n'", &err), &err);

    /* the same text with another type: 1 vs '1' (in a column without affinity) */
    assert_fow_ok(fow_db_exec(d.db, "CREATE TABLE extra(x); INSERT INTO extra VALUES (1)", &err), &err);
    ts_digest int_x = db_snapshot(d.path);
    assert_fow_ok(fow_db_exec(d.db, "UPDATE extra SET x = '1'", &err), &err);
    assert_false(ts_digest_equal(db_snapshot(d.path), int_x));
    assert_fow_ok(fow_db_exec(d.db, "DROP TABLE extra", &err), &err);

    /* the schema counts too */
    assert_digest_equal(db_snapshot(d.path), one);
    assert_fow_ok(fow_db_exec(d.db, "CREATE INDEX extra ON sources(name)", &err), &err);
    assert_false(ts_digest_equal(db_snapshot(d.path), one));
    assert_fow_ok(fow_db_exec(d.db, "DROP INDEX extra", &err), &err);
    assert_digest_equal(db_snapshot(d.path), one);

    /* an open transaction: seen through the connection, not from outside */
    assert_fow_ok(fow_db_exec(d.db, "BEGIN; DELETE FROM sources;", &err), &err);
    assert_digest_equal(db_snapshot(d.path), one);
    assert_digest_equal(db_snapshot_conn(d.db->sql), empty);
    fow_db_rollback(d.db);
    assert_digest_equal(db_snapshot_conn(d.db->sql), one);

    /* only some tables: blind to the others */
    static const char *const only[] = {"occupations", NULL};
    ts_digest occ = db_snapshot_tables(d.db->sql, only);
    assert_int_equal(occ.tables, 1);
    assert_fow_ok(fow_db_exec(d.db, "UPDATE sources SET version = 'x'", &err), &err);
    assert_digest_equal(db_snapshot_tables(d.db->sql, only), occ);
    assert_fow_ok(fow_db_exec(d.db,
                              "INSERT INTO occupations(uri, label, lang, source_id) "
                              "SELECT 'urn:x', 'x', 'en', id FROM sources",
                              &err),
                  &err);
    assert_false(ts_digest_equal(db_snapshot_tables(d.db->sql, only), occ));
    ts_db_free(&d);
    assert_false(ts_exists(d.tmp.dir));
}

static void self_line_editing(void **state) {
    (void)state;
    ts_tmp t;
    ts_tmp_make(&t);
    char path[TS_PATH_MAX];
    ts_write_string(t.dir, "f.csv", "one\ntwo\nthree\n", path, sizeof path);
    assert_int_equal(ts_count_lines(path), 3);
    ts_replace_line(path, 2, "TWO");
    ts_insert_line(path, 1, "zero");
    ts_append_line(path, "four");
    char *s = ts_read_file(path, NULL);
    assert_string_equal(s, "zero\none\nTWO\nthree\nfour\n");
    free(s);
    assert_int_equal(ts_delete_lines_containing(path, "o"), 3);
    s = ts_read_file(path, NULL);
    assert_string_equal(s, "TWO\nthree\n");
    free(s);
    ts_replace_text(path, "hre", "HRE");
    s = ts_read_file(path, NULL);
    assert_string_equal(s, "TWO\ntHREe\n");
    free(s);
    ts_write_string(t.dir, "g.csv", "no final newline", path, sizeof path);
    assert_int_equal(ts_count_lines(path), 1);
    ts_append_line(path, "x");
    s = ts_read_file(path, NULL);
    assert_string_equal(s, "no final newline\nx\n");
    free(s);

    ts_tmp copy;
    ts_tmp_make(&copy);
    char dir[TS_PATH_MAX], file[TS_PATH_MAX];
    ts_copy_dir(t.dir, &copy, "sub", dir, sizeof dir);
    s = ts_read_file(ts_join(file, sizeof file, dir, "f.csv"), NULL);
    assert_string_equal(s, "TWO\ntHREe\n");
    free(s);
    ts_tmp_remove(&copy);
    ts_tmp_remove(&t);
    assert_int_equal(ts_ends_with("/a/b/occupations.csv", "occupations.csv"), 1);
    assert_int_equal(ts_ends_with("csv", "occupations.csv"), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(self_snapshot_sees_every_change),
        cmocka_unit_test(self_line_editing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
