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
