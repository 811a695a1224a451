/* taxonomy_store.c — the SQL of the taxonomy module (see taxonomy_store.h). */
#include "taxonomy/taxonomy_store.h"

#include <stddef.h>

/* Adds the rows of "SELECT key, value ..." to map (rows with a NULL key are
 * skipped). */
static fow_code load_map(fow_db *db, const char *sql, fow_strmap *map, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, sql, &st, err);
    if (rc) return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(st, 0);
        if (!key) continue;
        if (fow_strmap_put(map, key, (size_t)sqlite3_column_bytes(st, 0), sqlite3_column_int64(st, 1)) != 0) {
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
            break;
        }
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading the database");
    sqlite3_finalize(st);
    return rc;
}

fow_code fow_taxonomy_occupation_ids(fow_db *db, fow_strmap *map, fow_error *err) {
    return load_map(db, "SELECT uri, id FROM occupations", map, err);
}

fow_code fow_taxonomy_isco_codes(fow_db *db, fow_strmap *map, fow_error *err) {
    return load_map(db, "SELECT code, 1 FROM isco_groups", map, err);
}

fow_code fow_taxonomy_each_isco_group(fow_db *db,
                                      fow_code (*visit)(void *ctx, const char *code, const char *label, fow_error *err),
                                      void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT code, label FROM isco_groups", &st, err);
    if (rc) return rc;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = visit(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                        err)) != FOW_OK)
            break;
    if (!rc && step != SQLITE_DONE) rc = fow_db_error(db, err, "reading ISCO groups");
    sqlite3_finalize(st);
    return rc;
}

fow_code fow_taxonomy_each_occupation_risk(fow_db *db,
                                           fow_code (*visit)(void *ctx, const fow_stored_risk *row, fow_error *err),
                                           void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc =
        fow_db_prepare(db, "SELECT occupation_id, model, risk, category, method FROM occupation_risk", &st, err);
    if (rc) return rc;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        fow_stored_risk row = {sqlite3_column_int64(st, 0),
                               NULL,
                               (const char *)sqlite3_column_text(st, 1),
                               sqlite3_column_double(st, 2),
                               (const char *)sqlite3_column_text(st, 3),
                               (const char *)sqlite3_column_text(st, 4)};
        if ((rc = visit(ctx, &row, err)) != FOW_OK) break;
    }
    if (!rc && step != SQLITE_DONE) rc = fow_db_error(db, err, "reading occupation risk");
    sqlite3_finalize(st);
    return rc;
}

fow_code fow_taxonomy_each_isco_risk(fow_db *db,
                                     fow_code (*visit)(void *ctx, const fow_stored_risk *row, fow_error *err),
                                     void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT isco_code, model, risk, category FROM isco_risk", &st, err);
    if (rc) return rc;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        fow_stored_risk row = {0,
                               (const char *)sqlite3_column_text(st, 0),
                               (const char *)sqlite3_column_text(st, 1),
                               sqlite3_column_double(st, 2),
                               (const char *)sqlite3_column_text(st, 3),
                               NULL};
        if ((rc = visit(ctx, &row, err)) != FOW_OK) break;
    }
    if (!rc && step != SQLITE_DONE) rc = fow_db_error(db, err, "reading ISCO risk");
    sqlite3_finalize(st);
    return rc;
}
