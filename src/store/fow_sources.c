/* fow_sources.c — the recorded data sources. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fow_vec.h"
#include "store/fow_sources.h"

static void copy_column(char *dst, size_t n, sqlite3_stmt *st, int i) {
    const unsigned char *s = sqlite3_column_text(st, i);
    snprintf(dst, n, "%s", s ? (const char *)s : "");
}

fow_code fow_sources_list(fow_db *db, fow_source_info **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT id, dataset, kind, name, version, licence, url, path, fingerprint, rows, "
                                 "imported_at FROM sources ORDER BY dataset",
                                 &st, err);
    if (rc) return rc;
    fow_source_info *items = NULL;
    size_t count = 0, cap = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        fow_source_info s;
        s.id = sqlite3_column_int64(st, 0);
        copy_column(s.dataset, sizeof s.dataset, st, 1);
        copy_column(s.kind, sizeof s.kind, st, 2);
        copy_column(s.name, sizeof s.name, st, 3);
        copy_column(s.version, sizeof s.version, st, 4);
        copy_column(s.licence, sizeof s.licence, st, 5);
        copy_column(s.url, sizeof s.url, st, 6);
        copy_column(s.path, sizeof s.path, st, 7);
        copy_column(s.fingerprint, sizeof s.fingerprint, st, 8);
        s.rows = sqlite3_column_int64(st, 9);
        copy_column(s.imported_at, sizeof s.imported_at, st, 10);
        if (FOW_VEC_PUSH(items, count, cap, s) != 0) {
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
            break;
        }
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading sources");
    sqlite3_finalize(st);
    if (rc) {
        free(items);
        return rc;
    }
    *out = items;
    *n = count;
    return FOW_OK;
}

static const char *text_at(sqlite3_stmt *st, int i) {
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

fow_code fow_sources_each(fow_db *db, const char *kind,
                          fow_code (*visit)(void *ctx, const fow_source_row *row, fow_error *err), void *ctx,
                          fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 kind ? "SELECT id, dataset, kind, name, version, licence, fingerprint, rows FROM sources "
                                        "WHERE kind = ? ORDER BY dataset"
                                      : "SELECT id, dataset, kind, name, version, licence, fingerprint, rows FROM sources "
                                        "ORDER BY dataset",
                                 &st, err);
    if (rc) return rc;
    if (kind) sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        fow_source_row row = {sqlite3_column_int64(st, 0), text_at(st, 1), text_at(st, 2), text_at(st, 3),
                              text_at(st, 4), text_at(st, 5), text_at(st, 6), sqlite3_column_int64(st, 7)};
        if ((rc = visit(ctx, &row, err)) != FOW_OK) break;
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading sources");
    sqlite3_finalize(st);
    return rc;
}

fow_code fow_source_get(fow_db *db, long long id, fow_arena *arena, fow_source_text *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    fow_code rc =
        fow_db_prepare(db, "SELECT dataset, kind, name, version, licence, rows FROM sources WHERE id = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        out->id = id;
        out->dataset = fow_arena_strdup(arena, text_at(st, 0));
        out->kind = fow_arena_strdup(arena, text_at(st, 1));
        out->name = fow_arena_strdup(arena, text_at(st, 2));
        out->version = fow_arena_strdup(arena, text_at(st, 3));
        out->licence = fow_arena_strdup(arena, text_at(st, 4));
        out->rows = sqlite3_column_int64(st, 5);
        if (!out->dataset || !out->kind || !out->name || !out->version || !out->licence)
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    } else if (r == SQLITE_DONE) {
        rc = fow_error_set(err, FOW_ENOTFOUND, "no source with id %lld", id);
    } else {
        rc = fow_db_error(db, err, "reading sources");
    }
    sqlite3_finalize(st);
    return rc;
}

fow_code fow_source_find(fow_db *db, const char *dataset, const char *fingerprint, long long *id, bool *same,
                         fow_error *err) {
    *id = 0;
    *same = false;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT id, fingerprint FROM sources WHERE dataset = ?", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, dataset, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        const char *old = (const char *)sqlite3_column_text(st, 1);
        *same = old && fingerprint && strcmp(old, fingerprint) == 0;
    } else if (r != SQLITE_DONE) {
        rc = fow_db_error(db, err, "reading sources");
    }
    sqlite3_finalize(st);
    return rc;
}

fow_code fow_source_write(fow_db *db, long long existing, const fow_source_record *rec, long long *id,
                          fow_error *err) {
    *id = 0;
    const char *sql = existing
        ? "UPDATE sources SET kind=?1, name=?2, version=?3, licence=?4, url=?5, path=?6, "
          "fingerprint=?7, rows=0, imported_at=?8 WHERE id=?9"
        : "INSERT INTO sources(kind, name, version, licence, url, path, fingerprint, rows, "
          "imported_at, dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?10)";
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, sql, &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, rec->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, rec->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, rec->version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, rec->licence, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, rec->url ? rec->url : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, rec->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, rec->fingerprint, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, rec->imported_at, -1, SQLITE_STATIC);
    if (existing) sqlite3_bind_int64(st, 9, existing);
    else sqlite3_bind_text(st, 10, rec->dataset, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_DONE) *id = existing ? existing : fow_db_last_insert_id(db);
    else rc = fow_db_error(db, err, "recording the source");
    sqlite3_finalize(st);
    return rc;
}

/* Runs a statement with two integer parameters and no result. */
static fow_code exec_ids(fow_db *db, const char *sql, long long a, long long b, int n, const char *what,
                         fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, sql, &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, a);
    if (n > 1) sqlite3_bind_int64(st, 2, b);
    if (sqlite3_step(st) != SQLITE_DONE) rc = fow_db_error(db, err, what);
    sqlite3_finalize(st);
    return rc;
}

fow_code fow_source_set_rows(fow_db *db, long long id, long long rows, fow_error *err) {
    return exec_ids(db, "UPDATE sources SET rows = ? WHERE id = ?", rows, id, 2, "recording the source", err);
}

fow_code fow_source_delete(fow_db *db, long long id, fow_error *err) {
    return exec_ids(db, "DELETE FROM sources WHERE id = ?", id, 0, 1, "deleting a source", err);
}

fow_code fow_sources_count(fow_db *db, long long *out, fow_error *err) {
    return fow_db_query_int(db, "SELECT count(*) FROM sources", out, err);
}

/* ---- the census: how many rows of each table point at each source -------- */

/* Calls visit for every table of the main database with a source_id column,
 * in name order. */
static fow_code each_sourced_table(fow_db *db, fow_code (*visit)(fow_db *db, const char *table, void *ctx, fow_error *err),
                                   void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT m.name FROM main.sqlite_master m WHERE m.type = 'table' AND EXISTS "
                                 "(SELECT 1 FROM pragma_table_info(m.name, 'main') c WHERE c.name = 'source_id') "
                                 "ORDER BY m.name",
                                 &st, err);
    if (rc) return rc;
    int r;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) rc = visit(db, (const char *)sqlite3_column_text(st, 0), ctx, err);
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "listing the tables");
    sqlite3_finalize(st);
    return rc;
}

/* A table name as an SQL identifier in double quotes ("" for a quote);
 * FOW_EINTERNAL when it does not fit. */
static fow_code quote_table(const char *table, char *buf, size_t n, fow_error *err) {
    size_t w = 0;
    if (n < 3) return fow_error_set(err, FOW_EINTERNAL, "table name too long");
    buf[w++] = '"';
    for (const char *p = table; *p; p++) {
        if (w + (*p == '"' ? 2 : 1) + 2 > n) return fow_error_set(err, FOW_EINTERNAL, "table name too long: %s", table);
        if (*p == '"') buf[w++] = '"';
        buf[w++] = *p;
    }
    buf[w++] = '"';
    buf[w] = '\0';
    return FOW_OK;
}

static fow_code census_save_table(fow_db *db, const char *table, void *ctx, fow_error *err) {
    const char *except = ctx;
    if (except && strcmp(table, except) == 0) return FOW_OK;
    char quoted[200], sql[600];
    fow_code rc = quote_table(table, quoted, sizeof quoted, err);
    if (rc) return rc;
    snprintf(sql, sizeof sql,
             "INSERT INTO temp.source_census(tbl, source_id, dataset, rows) "
             "SELECT ?1, t.source_id, coalesce(s.dataset, ''), count(*) FROM main.%s t "
             "LEFT JOIN main.sources s ON s.id = t.source_id GROUP BY t.source_id",
             quoted);
    sqlite3_stmt *st;
    rc = fow_db_prepare(db, sql, &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE) rc = fow_db_error(db, err, "counting the rows of each source");
    sqlite3_finalize(st);
    return rc;
}

fow_code fow_sources_census_save(fow_db *db, const char *except_table, fow_error *err) {
    fow_code rc = fow_db_exec(db,
                              "CREATE TEMP TABLE IF NOT EXISTS source_census(tbl TEXT NOT NULL, "
                              "source_id INTEGER NOT NULL, dataset TEXT NOT NULL, rows INTEGER NOT NULL, "
                              "PRIMARY KEY (tbl, source_id));"
                              "DELETE FROM temp.source_census;",
                              err);
    if (!rc) rc = each_sourced_table(db, census_save_table, (void *)except_table, err);
    return rc;
}

fow_code fow_sources_census_drop(fow_db *db, fow_error *err) {
    return fow_db_exec(db, "DROP TABLE IF EXISTS temp.source_census", err);
}

typedef struct census_walk {
    fow_code (*visit)(void *ctx, const fow_source_shrink *shrink, fow_error *err);
    void *ctx;
} census_walk;

static fow_code census_compare_table(fow_db *db, const char *table, void *ctx, fow_error *err) {
    census_walk *walk = ctx;
    char quoted[200], sql[800];
    fow_code rc = quote_table(table, quoted, sizeof quoted, err);
    if (rc) return rc;
    /* a table left out of the census (the import's own, counted its own
     * way) is not counted again: that would scan it whole */
    sqlite3_stmt *counted;
    rc = fow_db_prepare(db, "SELECT 1 FROM temp.source_census WHERE tbl = ?1 LIMIT 1", &counted, err);
    if (rc) return rc;
    sqlite3_bind_text(counted, 1, table, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(counted);
    sqlite3_finalize(counted);
    if (step == SQLITE_DONE) return FOW_OK;
    if (step != SQLITE_ROW) return fow_db_error(db, err, "comparing the rows of each source");
    snprintf(sql, sizeof sql,
             "SELECT c.source_id, c.dataset, c.rows, coalesce(a.n, 0) FROM temp.source_census c "
             "LEFT JOIN (SELECT source_id, count(*) AS n FROM main.%s GROUP BY source_id) a "
             "ON a.source_id = c.source_id WHERE c.tbl = ?1 AND coalesce(a.n, 0) < c.rows ORDER BY c.dataset",
             quoted);
    sqlite3_stmt *st;
    rc = fow_db_prepare(db, sql, &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_TRANSIENT);
    int r;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        fow_source_shrink s = {table, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
                               sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3)};
        rc = walk->visit(walk->ctx, &s, err);
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "comparing the rows of each source");
    sqlite3_finalize(st);
    return rc;
}

fow_code fow_sources_census_compare(fow_db *db, fow_code (*visit)(void *ctx, const fow_source_shrink *shrink, fow_error *err),
                                    void *ctx, fow_error *err) {
    census_walk walk = {visit, ctx};
    return each_sourced_table(db, census_compare_table, &walk, err);
}

fow_code fow_source_update_description(fow_db *db, long long id, const char *name, const char *version,
                                       const char *licence, const char *url, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "UPDATE sources SET name = ?1, version = ?2, licence = ?3, url = ?4 WHERE id = ?5",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, licence, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, url, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, id);
    if (sqlite3_step(st) != SQLITE_DONE) rc = fow_db_error(db, err, "recording the source");
    sqlite3_finalize(st);
    return rc;
}

fow_code fow_source_same_description(fow_db *db, long long id, const char *name, const char *version,
                                     const char *licence, const char *url, bool *same, char *previous_version,
                                     size_t n, fow_error *err) {
    *same = true;
    if (n) previous_version[0] = '\0';
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT name, version, licence, url FROM sources WHERE id = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        const char *now[4] = {name, version, licence, url};
        for (int i = 0; i < 4; i++) {
            const char *was = (const char *)sqlite3_column_text(st, i);
            if (strcmp(was ? was : "", now[i]) != 0) *same = false;
        }
        const char *was_version = (const char *)sqlite3_column_text(st, 1);
        if (n) snprintf(previous_version, n, "%s", was_version ? was_version : "");
    } else if (r != SQLITE_DONE) {
        rc = fow_db_error(db, err, "reading sources");
    }
    sqlite3_finalize(st);
    return rc;
}
