/* fow_db_check.c — SQL building blocks of the consistency checks. */
#include "store/fow_db_check.h"

#include <assert.h>
#include <stdio.h>

fow_code fow_db_check_rows(fow_db *db, fow_check_result *c, const char *sql, const char *table, const char *format,
                           fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, sql, &st, err);
    if (rc) return rc;
    assert(sqlite3_column_count(st) >= 2);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *row = (const char *)sqlite3_column_text(st, 0);
        const char *value = (const char *)sqlite3_column_text(st, 1);
        char message[200];
        snprintf(message, sizeof message, format, value ? value : "NULL");
        fow_check_problem(c, "%s (%s): %s", table, row ? row : "?", message);
    }
    if (r != SQLITE_DONE) rc = fow_db_error(db, err, table);
    sqlite3_finalize(st);
    return rc;
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
