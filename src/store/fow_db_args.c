/* fow_db_args.c — one statement in one call, and a row's columns into a
 * struct (fow_db_args.h). */
#include "store/fow_db_args.h"

#include <stdio.h>

void fow_db_bind_args(sqlite3_stmt *st, const fow_db_arg *args, size_t n) {
    for (size_t k = 0; k < n; k++) {
        int i = (int)k + 1;
        const fow_db_arg *a = &args[k];
        if (a->kind == FOW_DB_ARG_INT) sqlite3_bind_int64(st, i, a->i);
        else if (a->s && (a->kind == FOW_DB_ARG_TEXT || a->s[0])) sqlite3_bind_text(st, i, a->s, -1, SQLITE_STATIC);
        else sqlite3_bind_null(st, i);
    }
}

static fow_code prepared(fow_db *db, const char *sql, bool cached, const fow_db_arg *args, size_t n,
                         sqlite3_stmt **st, fow_error *err) {
    fow_code rc = cached ? fow_db_prepare_cached(db, sql, st, err) : fow_db_prepare(db, sql, st, err);
    if (!rc) fow_db_bind_args(*st, args, n);
    return rc;
}

static void release(sqlite3_stmt *st, bool cached) {
    if (cached) sqlite3_reset(st);
    else sqlite3_finalize(st);
}

static fow_code run(fow_db *db, const char *sql, bool cached, const fow_db_arg *args, size_t n, const char *what,
                    fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = prepared(db, sql, cached, args, n, &st, err);
    if (rc) return rc;
    int r = sqlite3_step(st);
    if (r != SQLITE_DONE && r != SQLITE_ROW) rc = fow_db_error(db, err, what);
    release(st, cached);
    return rc;
}

fow_code fow_db_run(fow_db *db, const char *sql, const fow_db_arg *args, size_t n, const char *what,
                    fow_error *err) {
    return run(db, sql, false, args, n, what, err);
}

fow_code fow_db_run_cached(fow_db *db, const char *sql, const fow_db_arg *args, size_t n, const char *what,
                           fow_error *err) {
    return run(db, sql, true, args, n, what, err);
}

fow_code fow_db_insert(fow_db *db, const char *sql, const fow_db_arg *args, size_t n, const char *what, int64_t *id,
                       fow_error *err) {
    fow_code rc = run(db, sql, false, args, n, what, err);
    if (!rc) *id = fow_db_last_insert_id(db);
    return rc;
}

static fow_code row(fow_db *db, const char *sql, bool cached, const fow_db_arg *args, size_t n,
                    void (*read)(sqlite3_stmt *, void *), void *out, bool *found, const char *what,
                    fow_error *err) {
    *found = false;
    sqlite3_stmt *st;
    fow_code rc = prepared(db, sql, cached, args, n, &st, err);
    if (rc) return rc;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        if (read) read(st, out);
        *found = true;
    } else if (r != SQLITE_DONE) {
        rc = fow_db_error(db, err, what);
    }
    release(st, cached);
    return rc;
}

fow_code fow_db_row(fow_db *db, const char *sql, const fow_db_arg *args, size_t n,
                    void (*read)(sqlite3_stmt *st, void *out), void *out, bool *found, const char *what,
                    fow_error *err) {
    return row(db, sql, false, args, n, read, out, found, what, err);
}

fow_code fow_db_row_cached(fow_db *db, const char *sql, const fow_db_arg *args, size_t n,
                           void (*read)(sqlite3_stmt *st, void *out), void *out, bool *found, const char *what,
                           fow_error *err) {
    return row(db, sql, true, args, n, read, out, found, what, err);
}

fow_code fow_db_rows(fow_db *db, const char *sql, const fow_db_arg *args, size_t n,
                     void (*read)(sqlite3_stmt *st, void *item), void **items, size_t *count, size_t item,
                     const char *what, fow_error *err) {
    *items = NULL;
    *count = 0;
    sqlite3_stmt *st;
    fow_code rc = prepared(db, sql, false, args, n, &st, err);
    if (rc) return rc;
    return fow_db_collect(db, st, items, count, item, read, what, err);
}

static void read_int(sqlite3_stmt *st, void *out) { *(int64_t *)out = sqlite3_column_int64(st, 0); }

fow_code fow_db_int(fow_db *db, const char *sql, const fow_db_arg *args, size_t n, int64_t fallback,
                    int64_t *value, const char *what, fow_error *err) {
    bool found;
    *value = fallback;
    return row(db, sql, false, args, n, read_int, value, &found, what, err);
}

void fow_db_read_columns(sqlite3_stmt *st, const fow_db_column *columns, size_t n, void *item) {
    for (size_t i = 0; i < n; i++) {
        const fow_db_column *c = &columns[i];
        void *at = (char *)item + c->offset;
        int col = (int)i;
        switch (c->kind) {
        case FOW_DB_COLUMN_SKIP: break;
        case FOW_DB_COLUMN_INT: *(int *)at = sqlite3_column_int(st, col); break;
        case FOW_DB_COLUMN_LONG: *(long *)at = (long)sqlite3_column_int64(st, col); break;
        case FOW_DB_COLUMN_LLONG: *(long long *)at = sqlite3_column_int64(st, col); break;
        case FOW_DB_COLUMN_BOOL: *(bool *)at = sqlite3_column_int(st, col) != 0; break;
        case FOW_DB_COLUMN_TEXT: snprintf(at, c->size, "%s", fow_db_column_text(st, col)); break;
        }
    }
}
