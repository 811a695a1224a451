/* test_support.c — see test_support.h. */
#include "test_support.h"

#include "service/fow_importers.h"
#include "store/fow_schema.h"

#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- paths ---------------------------------------------------------------- */

int ts_exists(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0;
}

static int is_dir(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

const char *ts_fixtures_dir(void) {
    static char found[TS_PATH_MAX];
    if (found[0]) return found;
    const char *env = getenv("FOW_FIXTURES");
    const char *candidates[] = {env, "tests/fixtures", "../tests/fixtures", "../../tests/fixtures"};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        if (candidates[i] && *candidates[i] && is_dir(candidates[i])) {
            snprintf(found, sizeof found, "%s", candidates[i]);
            return found;
        }
    }
    fail_msg("fixtures not found: set FOW_FIXTURES (ctest does) or run from the project root");
    return NULL;
}

char *ts_join(char *buf, size_t n, const char *dir, const char *name) {
    size_t len = strlen(dir);
    int w = (len && dir[len - 1] == '/') ? snprintf(buf, n, "%s%s", dir, name)
                                         : snprintf(buf, n, "%s/%s", dir, name);
    if (w < 0 || (size_t)w >= n) fail_msg("path too long: %s/%s", dir, name);
    return buf;
}

char *ts_fixture(char *buf, size_t n, const char *rel) { return ts_join(buf, n, ts_fixtures_dir(), rel); }

const char *ts_shared_data_dir(void) {
    static char found[TS_PATH_MAX];
    const char *env = getenv("FOW_SHARED_DATA");
    if (env && *env) {
        /* when set, it alone decides */
        if (!is_dir(env)) return NULL;
        snprintf(found, sizeof found, "%s", env);
        return found;
    }
    const char *candidates[] = {"../shared/data", "../../shared/data", "../../../shared/data"};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        if (candidates[i] && *candidates[i] && is_dir(candidates[i])) {
            snprintf(found, sizeof found, "%s", candidates[i]);
            return found;
        }
    }
    return NULL;
}

int ts_ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

/* ---- temporary directories and files -------------------------------------- */

/* Directories made and not yet removed: a failing test jumps past its own
 * clean-up, so whatever is left is removed when the program exits. */
#define MAX_LIVE_TMP 64
static char live_tmp[MAX_LIVE_TMP][256];

static void remove_tree(const char *path);

static void remove_leftovers(void) {
    for (int i = 0; i < MAX_LIVE_TMP; i++)
        if (live_tmp[i][0]) {
            remove_tree(live_tmp[i]);
            live_tmp[i][0] = '\0';
        }
}

void ts_tmp_make(ts_tmp *t) {
    static int registered;
    if (!registered) {
        atexit(remove_leftovers);
        registered = 1;
    }
    snprintf(t->dir, sizeof t->dir, "/tmp/fow-test-XXXXXX");
    if (!mkdtemp(t->dir)) fail_msg("mkdtemp failed: %s", strerror(errno));
    for (int i = 0; i < MAX_LIVE_TMP; i++)
        if (!live_tmp[i][0]) {
            snprintf(live_tmp[i], sizeof live_tmp[i], "%s", t->dir);
            break;
        }
}

static void remove_tree(const char *path) {
    struct stat sb;
    if (lstat(path, &sb) != 0) return;
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
                char child[TS_PATH_MAX];
                snprintf(child, sizeof child, "%s/%s", path, e->d_name);
                remove_tree(child);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

void ts_tmp_remove(ts_tmp *t) {
    /* only ever our own directories */
    if (strncmp(t->dir, "/tmp/fow-test-", 14) == 0) remove_tree(t->dir);
    for (int i = 0; i < MAX_LIVE_TMP; i++)
        if (t->dir[0] && strcmp(live_tmp[i], t->dir) == 0) live_tmp[i][0] = '\0';
    t->dir[0] = '\0';
}

void ts_write_bytes(const char *dir, const char *name, const void *data, size_t len, char *out, size_t n) {
    char path[TS_PATH_MAX];
    ts_join(path, sizeof path, dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) fail_msg("cannot write %s: %s", path, strerror(errno));
    if (len && fwrite(data, 1, len, f) != len) {
        fclose(f);
        fail_msg("short write to %s", path);
    }
    if (fclose(f) != 0) fail_msg("cannot close %s", path);
    if (out) snprintf(out, n, "%s", path);
}

void ts_write_string(const char *dir, const char *name, const char *text, char *out, size_t n) {
    ts_write_bytes(dir, name, text, strlen(text), out, n);
}

char *ts_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot read %s: %s", path, strerror(errno));
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    if (!buf) fail_msg("out of memory");
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            char *b = realloc(buf, cap);
            if (!b) {
                free(buf);
                fclose(f);
                fail_msg("out of memory");
            }
            buf = b;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        fail_msg("read error on %s", path);
    }
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

void ts_copy_file(const char *src, const char *dir, const char *name, char *out, size_t n) {
    size_t len;
    char *data = ts_read_file(src, &len);
    ts_write_bytes(dir, name, data, len, out, n);
    free(data);
}

void ts_copy_dir(const char *src, ts_tmp *t, const char *sub, char *out, size_t n) {
    char dst[TS_PATH_MAX];
    ts_join(dst, sizeof dst, t->dir, sub);
    if (mkdir(dst, 0700) != 0 && errno != EEXIST) fail_msg("mkdir %s: %s", dst, strerror(errno));
    DIR *d = opendir(src);
    if (!d) fail_msg("cannot open directory %s: %s", src, strerror(errno));
    struct dirent *e;
    int copied = 0;
    while ((e = readdir(d)) != NULL) {
        char from[TS_PATH_MAX];
        ts_join(from, sizeof from, src, e->d_name);
        struct stat sb;
        if (stat(from, &sb) != 0 || !S_ISREG(sb.st_mode)) continue;
        ts_copy_file(from, dst, e->d_name, NULL, 0);
        copied++;
    }
    closedir(d);
    if (copied == 0) fail_msg("no files in %s", src);
    if (out) snprintf(out, n, "%s", dst);
}

void ts_copy_fixture_dir(const char *fixture, ts_tmp *t, const char *sub, char *out, size_t n) {
    char src[TS_PATH_MAX];
    ts_copy_dir(ts_fixture(src, sizeof src, fixture), t, sub, out, n);
}

/* Splits a file into lines (without their LF). *count receives the number. */
static char **read_lines(const char *path, int *count, char **data_out) {
    size_t len;
    char *data = ts_read_file(path, &len);
    int lines = 0;
    for (size_t i = 0; i < len; i++)
        if (data[i] == '\n') lines++;
    if (len && data[len - 1] != '\n') lines++;
    char **arr = calloc((size_t)lines + 2, sizeof *arr);
    if (!arr) fail_msg("out of memory");
    int k = 0;
    char *p = data;
    while (k < lines) {
        arr[k++] = p;
        char *nl = strchr(p, '\n');
        if (!nl) break;
        *nl = '\0';
        p = nl + 1;
    }
    *count = lines;
    *data_out = data;
    return arr;
}

static void write_lines(const char *path, char **lines, int count) {
    FILE *f = fopen(path, "wb");
    if (!f) fail_msg("cannot write %s: %s", path, strerror(errno));
    for (int i = 0; i < count; i++)
        if (lines[i]) fprintf(f, "%s\n", lines[i]);
    if (fclose(f) != 0) fail_msg("cannot close %s", path);
}

void ts_replace_line(const char *path, int line, const char *text) {
    int count;
    char *data;
    char **lines = read_lines(path, &count, &data);
    if (line < 1 || line > count) fail_msg("%s has no line %d", path, line);
    lines[line - 1] = (char *)text;
    write_lines(path, lines, count);
    free(lines);
    free(data);
}

void ts_insert_line(const char *path, int line, const char *text) {
    int count;
    char *data;
    char **lines = read_lines(path, &count, &data);
    if (line < 1 || line > count + 1) fail_msg("%s: cannot insert before line %d", path, line);
    memmove(&lines[line], &lines[line - 1], (size_t)(count - line + 1) * sizeof *lines);
    lines[line - 1] = (char *)text;
    write_lines(path, lines, count + 1);
    free(lines);
    free(data);
}

void ts_append_line(const char *path, const char *text) {
    ts_insert_line(path, ts_count_lines(path) + 1, text);
}

int ts_delete_lines_containing(const char *path, const char *needle) {
    int count, deleted = 0;
    char *data;
    char **lines = read_lines(path, &count, &data);
    for (int i = 0; i < count; i++)
        if (lines[i] && strstr(lines[i], needle)) {
            lines[i] = NULL;
            deleted++;
        }
    write_lines(path, lines, count);
    free(lines);
    free(data);
    return deleted;
}

void ts_replace_text(const char *path, const char *from, const char *to) {
    size_t len;
    char *data = ts_read_file(path, &len);
    char *at = strstr(data, from);
    if (!at) {
        free(data);
        fail_msg("'%s' not found in %s", from, path);
    }
    size_t head = (size_t)(at - data), fl = strlen(from), tl = strlen(to);
    char *out = malloc(len - fl + tl + 1);
    if (!out) fail_msg("out of memory");
    memcpy(out, data, head);
    memcpy(out + head, to, tl);
    memcpy(out + head + tl, at + fl, len - head - fl + 1);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(out, 1, len - fl + tl, f) != len - fl + tl) fail_msg("cannot write %s", path);
    fclose(f);
    free(out);
    free(data);
}

int ts_count_lines(const char *path) {
    int count;
    char *data;
    char **lines = read_lines(path, &count, &data);
    free(lines);
    free(data);
    return count;
}

/* ---- databases ------------------------------------------------------------ */

void ts_db_fresh(ts_db *d) {
    memset(d, 0, sizeof *d);
    ts_tmp_make(&d->tmp);
    ts_join(d->path, sizeof d->path, d->tmp.dir, "test.db");
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_db_open(&d->db, d->path, false, &err), &err);
    assert_non_null(d->db);
}

void ts_db_free(ts_db *d) {
    fow_db_close(d->db);
    d->db = NULL;
    ts_tmp_remove(&d->tmp);
}

int ts_setup_db(void **state) {
    ts_db *d = malloc(sizeof *d);
    if (!d) return -1;
    ts_db_fresh(d);
    *state = d;
    return 0;
}

int ts_teardown_db(void **state) {
    ts_db *d = *state;
    ts_db_free(d);
    free(d);
    return 0;
}

/* Two independent 64-bit FNV-1a streams (different offset bases) make a
 * 128-bit digest; every value is tagged with its type and length so that
 * ("ab","c") and ("a","bc") differ. */
typedef struct hasher {
    uint64_t h[2];
} hasher;

static void hash_bytes(hasher *s, const void *data, size_t len) {
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        s->h[0] = (s->h[0] ^ p[i]) * 1099511628211ULL;
        s->h[1] = (s->h[1] ^ p[i]) * 0x100000001b3ULL;
        s->h[1] ^= s->h[1] >> 29;
    }
}

static void hash_tag(hasher *s, char tag, size_t len) {
    unsigned char b[9];
    b[0] = (unsigned char)tag;
    for (int i = 0; i < 8; i++) b[1 + i] = (unsigned char)(len >> (8 * i));
    hash_bytes(s, b, sizeof b);
}

static void hash_text(hasher *s, const char *t) {
    size_t n = t ? strlen(t) : 0;
    hash_tag(s, t ? 'S' : 'N', n);
    if (n) hash_bytes(s, t, n);
}

static void hash_value(hasher *s, sqlite3_stmt *st, int i) {
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        hash_tag(s, 'N', 0);
        break;
    case SQLITE_INTEGER: {
        long long v = sqlite3_column_int64(st, i);
        hash_tag(s, 'I', sizeof v);
        hash_bytes(s, &v, sizeof v);
        break;
    }
    case SQLITE_FLOAT: {
        double v = sqlite3_column_double(st, i);
        hash_tag(s, 'F', sizeof v);
        hash_bytes(s, &v, sizeof v);
        break;
    }
    case SQLITE_TEXT: {
        int n = sqlite3_column_bytes(st, i);
        const unsigned char *t = sqlite3_column_text(st, i);
        hash_tag(s, 'T', (size_t)n);
        hash_bytes(s, t, (size_t)n);
        break;
    }
    default: {
        int n = sqlite3_column_bytes(st, i);
        const void *b = sqlite3_column_blob(st, i);
        hash_tag(s, 'B', (size_t)n);
        if (n) hash_bytes(s, b, (size_t)n);
        break;
    }
    }
}

/* Hashes every row of one table, ordered by all its columns. */
static void hash_table(hasher *s, sqlite3 *sql, const char *table, ts_digest *d) {
    char q[512];
    snprintf(q, sizeof q, "SELECT * FROM \"%s\"", table);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(sql, q, -1, &st, NULL) != SQLITE_OK)
        fail_msg("snapshot of %s: %s", table, sqlite3_errmsg(sql));
    int cols = sqlite3_column_count(st);
    sqlite3_finalize(st);
    size_t w = (size_t)snprintf(q, sizeof q, "SELECT * FROM \"%s\" ORDER BY ", table);
    for (int c = 1; c <= cols && w < sizeof q; c++)
        w += (size_t)snprintf(q + w, sizeof q - w, "%s%d", c > 1 ? "," : "", c);
    if (w >= sizeof q) fail_msg("snapshot query too long for %s", table);
    if (sqlite3_prepare_v2(sql, q, -1, &st, NULL) != SQLITE_OK)
        fail_msg("snapshot of %s: %s", table, sqlite3_errmsg(sql));
    hash_text(s, table);
    int r;
    long long rows = 0;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        hash_tag(s, 'R', (size_t)cols);
        for (int c = 0; c < cols; c++) hash_value(s, st, c);
        rows++;
    }
    if (r != SQLITE_DONE) fail_msg("snapshot of %s: %s", table, sqlite3_errmsg(sql));
    sqlite3_finalize(st);
    hash_tag(s, 'E', (size_t)rows);
    d->rows += rows;
    d->tables++;
}

static ts_digest digest_init(hasher *s) {
    s->h[0] = 1469598103934665603ULL;
    s->h[1] = 0x6c62272e07bb0142ULL;
    ts_digest d = {{0, 0}, 0, 0};
    return d;
}

ts_digest db_snapshot_tables(sqlite3 *sql, const char *const *tables) {
    hasher s;
    ts_digest d = digest_init(&s);
    for (size_t i = 0; tables[i]; i++) hash_table(&s, sql, tables[i], &d);
    d.h[0] = s.h[0];
    d.h[1] = s.h[1];
    return d;
}

ts_digest db_snapshot_conn(sqlite3 *sql) {
    hasher s;
    ts_digest d = digest_init(&s);
    sqlite3_stmt *st;
    /* the schema itself, and its version */
    if (sqlite3_prepare_v2(sql, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        fail_msg("snapshot: %s", sqlite3_errmsg(sql));
    while (sqlite3_step(st) == SQLITE_ROW) hash_value(&s, st, 0);
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(sql, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name", -1,
                           &st, NULL) != SQLITE_OK)
        fail_msg("snapshot: %s", sqlite3_errmsg(sql));
    char **tables = NULL;
    size_t n = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < 4; c++) hash_value(&s, st, c);
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        if (type && name && strcmp(type, "table") == 0) {
            char **t = realloc(tables, (n + 2) * sizeof *tables);
            if (!t) fail_msg("out of memory");
            tables = t;
            tables[n++] = strdup(name);
            tables[n] = NULL;
        }
    }
    if (r != SQLITE_DONE) fail_msg("snapshot: %s", sqlite3_errmsg(sql));
    sqlite3_finalize(st);
    for (size_t i = 0; i < n; i++) hash_table(&s, sql, tables[i], &d);
    for (size_t i = 0; i < n; i++) free(tables[i]);
    free(tables);
    d.h[0] = s.h[0];
    d.h[1] = s.h[1];
    return d;
}

ts_digest db_snapshot(const char *path) {
    sqlite3 *sql = NULL;
    if (sqlite3_open_v2(path, &sql, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        const char *msg = sql ? sqlite3_errmsg(sql) : "out of memory";
        fail_msg("snapshot: cannot open %s: %s", path, msg);
    }
    /* one read transaction: a consistent view */
    sqlite3_exec(sql, "BEGIN", NULL, NULL, NULL);
    ts_digest d = db_snapshot_conn(sql);
    sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(sql);
    return d;
}

int ts_digest_equal(ts_digest a, ts_digest b) {
    return a.h[0] == b.h[0] && a.h[1] == b.h[1] && a.rows == b.rows && a.tables == b.tables;
}

static sqlite3_stmt *prepare_v(fow_db *db, const char *fmt, va_list ap) {
    char q[4096];
    int w = vsnprintf(q, sizeof q, fmt, ap);
    if (w < 0 || (size_t)w >= sizeof q) fail_msg("query too long");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->sql, q, -1, &st, NULL) != SQLITE_OK)
        fail_msg("SQL error in \"%s\": %s", q, sqlite3_errmsg(db->sql));
    return st;
}

static int step_one(fow_db *db, sqlite3_stmt *st) {
    int r = sqlite3_step(st);
    if (r != SQLITE_ROW && r != SQLITE_DONE) {
        const char *q = sqlite3_sql(st);
        fail_msg("SQL error in \"%s\": %s", q ? q : "?", sqlite3_errmsg(db->sql));
    }
    return r == SQLITE_ROW;
}

long long ts_int(fow_db *db, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sqlite3_stmt *st = prepare_v(db, fmt, ap);
    va_end(ap);
    long long v = step_one(db, st) ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return v;
}

fow_code ts_exec(fow_db *db, const char *fmt, ...) {
    char sql[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof sql) fail_msg("ts_exec: the statement is longer than %zu bytes", sizeof sql);
    fow_error err;
    fow_error_clear(&err);
    return fow_db_exec(db, sql, &err);
}

double ts_double(fow_db *db, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sqlite3_stmt *st = prepare_v(db, fmt, ap);
    va_end(ap);
    double v = NAN;
    if (step_one(db, st) && sqlite3_column_type(st, 0) != SQLITE_NULL) v = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    return v;
}

char *ts_text(fow_db *db, char *buf, size_t n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sqlite3_stmt *st = prepare_v(db, fmt, ap);
    va_end(ap);
    buf[0] = '\0';
    if (step_one(db, st)) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(buf, n, "%s", t ? (const char *)t : "<NULL>");
    }
    sqlite3_finalize(st);
    return buf;
}

long long ts_occupation_id(fow_db *db, const char *uri) {
    long long id = ts_int(db, "SELECT id FROM occupations WHERE uri = '%s'", uri);
    if (id <= 0) fail_msg("occupation %s not in the database", uri);
    return id;
}

/* ---- imports -------------------------------------------------------------- */

void ts_import_bundle_fixture(fow_db *db, const char *fixture, fow_import_report *report) {
    char dir[TS_PATH_MAX];
    fow_error err;
    fow_error_clear(&err);
    fow_import_report local;
    assert_fow_ok(fow_import_bundle(db, ts_fixture(dir, sizeof dir, fixture), NULL, report ? report : &local, &err),
                  &err);
}

void ts_import_fixture_file(fow_db *db, const char *kind, const char *fixture, const char *model,
                            fow_import_report *report) {
    char path[TS_PATH_MAX];
    ts_fixture(path, sizeof path, fixture);
    fow_error err;
    fow_error_clear(&err);
    fow_import_report local;
    if (!report) report = &local;
    fow_import_settings settings;
    assert_fow_ok(fow_import_settings_init(&settings, kind, &err), &err);
    if (model) assert_fow_ok(fow_import_settings_set(&settings, "model", model, &err), &err);
    assert_fow_ok(fow_import_run(db, &settings, path, NULL, NULL, report, &err), &err);
}

const fow_import_file_report *ts_report_file(const fow_import_report *report, const char *name) {
    for (size_t i = 0; i < report->n_files; i++) {
        const char *f = report->files[i].file;
        size_t a = strlen(f), b = strlen(name);
        if (a >= b && strcmp(f + a - b, name) == 0 && (a == b || f[a - b - 1] == '/')) return &report->files[i];
    }
    return NULL;
}

int ts_report_has_note(const fow_import_report *report, const char *needle) {
    for (size_t i = 0; i < report->n_notes; i++)
        if (strstr(report->notes[i], needle)) return 1;
    return 0;
}

/* ---- interleaving a write with a change ------------------------------------ */

typedef struct interleave {
    const char *db_path;
    void (*body)(void *arg, fow_db *db);
    void *arg;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    bool waiting, released;
} interleave;

/* The busy handler of the body's connection: says it waits, then waits
 * until the test released it, and retries (the lock is free by then). */
static int interleave_busy(void *ctx, int tries) {
    (void)tries;
    interleave *x = ctx;
    pthread_mutex_lock(&x->lock);
    x->waiting = true;
    pthread_cond_broadcast(&x->changed);
    while (!x->released) pthread_cond_wait(&x->changed, &x->lock);
    pthread_mutex_unlock(&x->lock);
    return 1;
}

static void *interleave_thread(void *ctx) {
    interleave *x = ctx;
    fow_db *db = NULL;
    fow_error err;
    fow_error_clear(&err);
    if (fow_db_open(&db, x->db_path, false, &err) == FOW_OK) {
        sqlite3_busy_handler(db->sql, interleave_busy, x);
        x->body(x->arg, db);
        fow_db_close(db);
    } else {
        fprintf(stderr, "ts_interleave: %s\n", err.message);
    }
    pthread_mutex_lock(&x->lock); /* never leave the test waiting */
    x->waiting = true;
    pthread_cond_broadcast(&x->changed);
    pthread_mutex_unlock(&x->lock);
    return NULL;
}

void ts_interleave(const char *db_path, void (*body)(void *arg, fow_db *db), void (*between)(void *arg), void *arg) {
    fow_error err;
    fow_error_clear(&err);
    fow_db *holder = NULL;
    assert_fow_ok(fow_db_open(&holder, db_path, false, &err), &err);
    assert_fow_ok(fow_db_begin(holder, &err), &err);
    interleave x = {.db_path = db_path, .body = body, .arg = arg};
    pthread_mutex_init(&x.lock, NULL);
    pthread_cond_init(&x.changed, NULL);
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, interleave_thread, &x), 0);
    pthread_mutex_lock(&x.lock);
    while (!x.waiting) pthread_cond_wait(&x.changed, &x.lock);
    pthread_mutex_unlock(&x.lock);
    fow_db_rollback(holder);
    fow_db_close(holder);
    between(arg);
    pthread_mutex_lock(&x.lock);
    x.released = true;
    pthread_cond_broadcast(&x.changed);
    pthread_mutex_unlock(&x.lock);
    pthread_join(thread, NULL);
    pthread_cond_destroy(&x.changed);
    pthread_mutex_destroy(&x.lock);
}

/* ---- a programme database --------------------------------------------------- */

const char *ts_demo_dir(void) {
    const char *d = getenv("FOW_DEMO");
    return d && *d ? d : "data/demo";
}

void ts_programme_open(ts_db *d, char *key_path, size_t key_n, fow_people **people,
                       fow_training_catalogue *catalogue) {
    ts_db_fresh(d);
    fow_error err;
    fow_error_clear(&err);
    fow_import_report r;
    if (fow_import_bundle(d->db, ts_demo_dir(), NULL, &r, &err)) fail_msg("importing the demo: %s", err.message);
    if (catalogue) {
        char path[TS_PATH_MAX];
        ts_join(path, sizeof path, ts_demo_dir(), "modules.csv");
        if (fow_import_modules(d->db, path, NULL, &r, &err) || fow_training_load(d->db, catalogue, &err))
            fail_msg("importing the demo's modules: %s", err.message);
    }
    if (fow_people_key_path(d->path, key_path, key_n, &err) || fow_people_open(d->db, key_path, people, &err))
        fail_msg("opening the people register: %s", err.message);
}

void ts_programme_close(ts_db *d, fow_people *people, fow_training_catalogue *catalogue) {
    fow_people_close(people);
    if (catalogue) fow_training_free(catalogue);
    ts_db_free(d);
}

void ts_db_at_version(const char *path, int version, const char *sql) {
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        fail_msg("cannot create %s", path);
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", version);
    int rc = sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    for (int v = 0; rc == SQLITE_OK && v < version; v++) rc = sqlite3_exec(db, fow_schema_migrations[v], NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, pragma, NULL, NULL, NULL);
    if (rc == SQLITE_OK && sql) rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK) fail_msg("making a database of schema version %d: %s", version, sqlite3_errmsg(db));
    sqlite3_close(db);
}
