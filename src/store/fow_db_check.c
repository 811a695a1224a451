/* fow_db_check.c — SQL building blocks of the consistency checks. */
#include "store/fow_db_check.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* Runs sql, which returns (row name, value), and calls visit with each
 * row's two texts (row name "?" and value NULL when they are NULL). Fails
 * with FOW_EDB, naming table. */
static fow_code each_named_value(fow_db *db, const char *sql, const char *table,
                                 void (*visit)(void *ctx, const char *row, const char *value), void *ctx,
                                 fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, sql, &st, err);
    if (rc) return rc;
    assert(sqlite3_column_count(st) >= 2);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *row = (const char *)sqlite3_column_text(st, 0);
        visit(ctx, row ? row : "?", (const char *)sqlite3_column_text(st, 1));
    }
    if (r != SQLITE_DONE) rc = fow_db_error(db, err, table);
    sqlite3_finalize(st);
    return rc;
}

typedef struct rows_check {
    fow_check_result *c;
    const char *table, *format;
} rows_check;

static void problem_row(void *ctx, const char *row, const char *value) {
    const rows_check *k = ctx;
    char message[200];
    snprintf(message, sizeof message, k->format, value ? value : "NULL");
    fow_check_problem(k->c, "%s (%s): %s", k->table, row, message);
}

fow_code fow_db_check_rows(fow_db *db, fow_check_result *c, const char *sql, const char *table, const char *format,
                           fow_error *err) {
    rows_check k = {c, table, format};
    return each_named_value(db, sql, table, problem_row, &k, err);
}

fow_code fow_db_check_reference(fow_db *db, fow_check_result *c, const fow_db_reference *ref, fow_error *err) {
    char sql[700];
    long long n = 0;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s x WHERE x.%s IS NOT NULL", ref->table, ref->column);
    fow_code rc = fow_db_query_int(db, sql, &n, err);
    if (rc) return rc;
    assert(n >= 0);
    c->checked += (uint64_t)n;
    snprintf(sql, sizeof sql,
             "SELECT %s, x.%s FROM %s x WHERE x.%s IS NOT NULL "
             "AND NOT EXISTS (SELECT 1 FROM %s t WHERE t.%s = x.%s)",
             ref->row, ref->column, ref->table, ref->column, ref->target, ref->key, ref->column);
    char format[160];
    snprintf(format, sizeof format, "%s %%s is not in %s", ref->column, ref->target);
    return fow_db_check_rows(db, c, sql, ref->table, format, err);
}

/* An ISCO-08 code: 1 to 4 digits. */
static bool is_isco_code(const char *s) {
    size_t n = strlen(s);
    if (n < 1 || n > 4) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

typedef struct isco_check {
    fow_check_result *c;
    const char *table;
    bool count_rows;
} isco_check;

static void check_isco_row(void *ctx, const char *row, const char *code) {
    const isco_check *k = ctx;
    if (k->count_rows) k->c->checked++;
    if (!code || !is_isco_code(code))
        fow_check_problem(k->c, "%s (%s): ISCO-08 code '%s' is not 1 to 4 digits", k->table, row, code ? code : "NULL");
}

fow_code fow_db_check_isco_codes(fow_db *db, fow_check_result *c, const char *sql, const char *table, bool count_rows,
                                 fow_error *err) {
    isco_check k = {c, table, count_rows};
    return each_named_value(db, sql, table, check_isco_row, &k, err);
}
