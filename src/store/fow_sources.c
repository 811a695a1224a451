/* fow_sources.c — the recorded data sources. */
#include <stdio.h>
#include <stdlib.h>

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
