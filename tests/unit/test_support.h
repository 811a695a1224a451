/* test_support.h — helpers shared by the cmocka tests (unit and e2e).
 *
 * Paths: fixtures are found through $FOW_FIXTURES (set by ctest), the demo
 * through $FOW_DEMO and the reference data through $FOW_SHARED_DATA; when a
 * variable is unset (a test binary run by hand) a few usual places relative
 * to the current directory are tried.
 *
 * Temporary files: every test that writes makes its own directory under
 * /tmp (ts_tmp_make) and removes it, with everything in it, at teardown
 * (ts_tmp_remove), so tests never share state and can run in parallel.
 *
 * Database snapshots: db_snapshot digests the whole content of a database
 * (schema, user_version, every row of every table, in a defined order), so
 * a test can assert that a failed import left it exactly as it was.
 *
 * Helpers that can fail call cmocka's fail_msg, so tests need no error
 * checks around them.
 */
#ifndef FOW_TEST_SUPPORT_H
#define FOW_TEST_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "base/fow_error.h"
#include "store/fow_db.h"
#include "people/fow_people.h"
#include "taxonomy/fow_import.h"
#include "training/fow_training.h"

#define TS_PATH_MAX 1024

/* ---- paths ---------------------------------------------------------------- */

/* The fixtures directory (never NULL; fails the test when not found). */
const char *ts_fixtures_dir(void);

/* "<fixtures>/<rel>" into buf (size n). Returns buf. */
char *ts_fixture(char *buf, size_t n, const char *rel);

/* The shared reference data directory ($FOW_SHARED_DATA when set, else
 * ../shared/data and the like), or NULL when it does not exist. */
const char *ts_shared_data_dir(void);

/* "dir/name" into buf. Returns buf. */
char *ts_join(char *buf, size_t n, const char *dir, const char *name);

/* 1 when s ends with suffix. */
int ts_ends_with(const char *s, const char *suffix);

/* 1 when path exists (file or directory). */
int ts_exists(const char *path);

/* ---- temporary directories and files -------------------------------------- */

typedef struct ts_tmp {
    char dir[256];
} ts_tmp;

/* Makes a fresh directory /tmp/fow-test-XXXXXX. */
void ts_tmp_make(ts_tmp *t);

/* Removes the directory and everything below it. Safe to call twice. */
void ts_tmp_remove(ts_tmp *t);

/* Writes len bytes of data to dir/name (creating or truncating it); the
 * full path goes to out (size n) when out is not NULL. */
void ts_write_bytes(const char *dir, const char *name, const void *data, size_t len, char *out,
                    size_t n);

/* ts_write_bytes of a NUL-terminated string. */
void ts_write_string(const char *dir, const char *name, const char *text, char *out, size_t n);

/* Reads a whole file; returns a malloc'd NUL-terminated buffer (free it),
 * its length in *len when len is not NULL. */
char *ts_read_file(const char *path, size_t *len);

/* Copies every regular file of directory src into a new directory
 * t->dir/sub; the new directory's path goes to out (size n). */
void ts_copy_dir(const char *src, ts_tmp *t, const char *sub, char *out, size_t n);

/* Copies fixture bundle `fixture` (a directory under the fixtures) into
 * t->dir/sub: ts_copy_dir of the fixture. */
void ts_copy_fixture_dir(const char *fixture, ts_tmp *t, const char *sub, char *out, size_t n);

/* Copies one file into dir under name; the new path goes to out. */
void ts_copy_file(const char *src, const char *dir, const char *name, char *out, size_t n);

/* Line editing of a text file (lines are 1-based, LF-separated):
 * replaces line `line` with text (NULL deletes it). */
void ts_replace_line(const char *path, int line, const char *text);

/* Inserts text as a new line before line `line` (line = count + 1 appends). */
void ts_insert_line(const char *path, int line, const char *text);

/* Appends text as a new last line (adds the missing final LF first). */
void ts_append_line(const char *path, const char *text);

/* Deletes every line that contains needle; returns how many. */
int ts_delete_lines_containing(const char *path, const char *needle);

/* Replaces the first occurrence of from with to; fails when absent. */
void ts_replace_text(const char *path, const char *from, const char *to);

/* Number of lines (LF count, plus one for an unterminated last line). */
int ts_count_lines(const char *path);

/* ---- databases ------------------------------------------------------------ */

/* A fresh database in its own temporary directory. */
typedef struct ts_db {
    ts_tmp tmp;
    char path[TS_PATH_MAX];
    fow_db *db;
} ts_db;

/* Creates a temporary directory and opens a new database in it. */
void ts_db_fresh(ts_db *d);

/* Interleaves a write with a change made between its early checks and its
 * write transaction, deterministically: holds the write lock of the
 * database at db_path on a connection of its own, runs body(arg, db) on a
 * new thread with a connection of its own (db), and when that thread first
 * waits for the write lock (its busy handler), releases the lock, runs
 * between(arg) on the calling thread, then lets the thread go on. Returns
 * when the thread has ended. A body that never waits for the lock runs to
 * its end before between() is called. */
void ts_interleave(const char *db_path, void (*body)(void *arg, fow_db *db), void (*between)(void *arg), void *arg);

/* Closes the database (if open) and removes the directory. */
void ts_db_free(ts_db *d);

/* cmocka set-up and tear-down of a test that gets a fresh database as its
 * state (a malloc'd ts_db): cmocka_unit_test_setup_teardown(test,
 * ts_setup_db, ts_teardown_db). */
int ts_setup_db(void **state);
int ts_teardown_db(void **state);

/* Makes a database at path as schema version `version` left it
 * (fow_schema_migrations[0..version), user_version set, foreign keys on),
 * then runs sql (its rows, may be NULL), for the tests of a migration:
 * fow_db_open then migrates it. Fails the test on error. */
void ts_db_at_version(const char *path, int version, const char *sql);

/* ---- a programme database: the demo, its modules, people ------------------ */

/* The demo bundle's directory ($FOW_DEMO, else data/demo). */
const char *ts_demo_dir(void);

/* The fixture shared by the tests of people, cohorts, vouchers and calls:
 * a fresh database (d) with the demo bundle imported, then, when catalogue
 * is not NULL, the demo's modules imported and loaded into *catalogue; the
 * people register opened into *people with its key file next to the
 * database (its path into key_path, size key_n). Fails the test on error. */
void ts_programme_open(ts_db *d, char *key_path, size_t key_n, fow_people **people,
                       fow_training_catalogue *catalogue);

/* Closes what ts_programme_open opened (catalogue may be NULL) and removes
 * the database's directory. */
void ts_programme_close(ts_db *d, fow_people *people, fow_training_catalogue *catalogue);

/* A 128-bit digest of a database's content. */
typedef struct ts_digest {
    uint64_t h[2];
    long long rows; /* rows of all tables together */
    int tables;
} ts_digest;

/* Digest of the database at path, read through a new read-only connection
 * (what another process would see). */
ts_digest db_snapshot(const char *path);

/* Digest through an open connection (sees that connection's own
 * uncommitted changes, so a transaction left open shows up). */
ts_digest db_snapshot_conn(sqlite3 *sql);

/* Digest of only the named tables (a NULL-terminated list), through sql. */
ts_digest db_snapshot_tables(sqlite3 *sql, const char *const *tables);

/* Equality of two digests. */
int ts_digest_equal(ts_digest a, ts_digest b);

/* Fails the test when the digests differ. */
#define assert_digest_equal(a, b)                                                          \
    do {                                                                                   \
        ts_digest a_ = (a), b_ = (b);                                                      \
        if (!ts_digest_equal(a_, b_))                                                      \
            fail_msg("database content changed: %d tables/%lld rows before, %d/%lld after", \
                     a_.tables, a_.rows, b_.tables, b_.rows);                              \
    } while (0)

/* Runs a query that returns one integer and returns it (fails the test on
 * SQL errors; 0 when there is no row). printf-style. */
long long ts_int(fow_db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Runs SQL (printf-style; one or more statements, no results) and
 * returns FOW_OK, or the error code when it fails (without failing the
 * test): for tests that corrupt a copy of a database, or that see a
 * constraint refuse a change. */
fow_code ts_exec(fow_db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Like ts_int for a REAL; NAN when there is no row or the value is NULL. */
double ts_double(fow_db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Like ts_int for TEXT, copied into buf (size n); "" for no row, "<NULL>"
 * for NULL. Returns buf. */
char *ts_text(fow_db *db, char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The id of the occupation with this URI (fails when absent). */
long long ts_occupation_id(fow_db *db, const char *uri);

/* ---- imports -------------------------------------------------------------- */

/* Fails with the formatted error when rc is not FOW_OK. */
#define assert_fow_ok(rc, err)                                                             \
    do {                                                                                   \
        fow_code rc_ = (rc);                                                               \
        if (rc_ != FOW_OK) {                                                               \
            char b_[1400];                                                                 \
            fail_msg("expected FOW_OK, got %s: %s", fow_code_name(rc_),                    \
                     fow_error_format((err), b_, sizeof b_));                              \
        }                                                                                  \
    } while (0)

/* Imports the fixture bundle `fixture` (e.g. "bundle-small"); asserts OK. */
void ts_import_bundle_fixture(fow_db *db, const char *fixture, fow_import_report *report);

/* Imports a fixture file (a path under the fixtures) as the import kind
 * named kind in the registry ("risk", with model; "attributes",
 * "crosswalk", ...); asserts OK. */
void ts_import_fixture_file(fow_db *db, const char *kind, const char *fixture, const char *model,
                            fow_import_report *report);

/* The report section of the file whose path ends with name, or NULL. */
const fow_import_file_report *ts_report_file(const fow_import_report *report, const char *name);

/* 1 when some note of the report contains needle. */
int ts_report_has_note(const fow_import_report *report, const char *needle);

/* Asserts that haystack contains needle (with both in the message). */
#define assert_contains(haystack, needle)                                                  \
    do {                                                                                   \
        const char *h_ = (haystack), *n_ = (needle);                                       \
        if (!strstr(h_, n_)) fail_msg("expected \"%s\" to contain \"%s\"", h_, n_);        \
    } while (0)

/* Asserts |a - b| <= eps. */
#define assert_near(a, b, eps)                                                             \
    do {                                                                                   \
        double a_ = (a), b_ = (b);                                                         \
        if (!(fabs(a_ - b_) <= (eps))) fail_msg("expected %.9g, got %.9g", b_, a_);       \
    } while (0)

#endif
