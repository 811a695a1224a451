/* search_index.c — the folded labels the search runs over. */
#include <stdlib.h>

#include "base/fow_text.h"
#include "taxonomy/fow_import.h"

fow_code fow_search_index_rebuild(fow_db *db, fow_error *err) {
    fow_code rc = fow_db_exec(db, "DELETE FROM search_terms", err);
    if (rc) return rc;
    sqlite3_stmt *sel, *ins;
    rc = fow_db_prepare(db,
                        "SELECT 0, occupation_id, lang, preferred, label FROM occupation_labels "
                        "UNION ALL SELECT 1, skill_id, lang, preferred, label FROM skill_labels",
                        &sel, err);
    if (rc) return rc;
    rc = fow_db_prepare(db,
                        "INSERT INTO search_terms(folded, kind, entity_id, lang, preferred, label) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        &ins, err);
    if (rc) {
        sqlite3_finalize(sel);
        return rc;
    }
    int r;
    while ((r = sqlite3_step(sel)) == SQLITE_ROW) {
        const char *label = (const char *)sqlite3_column_text(sel, 4);
        size_t len = (size_t)sqlite3_column_bytes(sel, 4);
        size_t folded_len;
        char *folded = fow_text_fold(label, len, &folded_len, err);
        if (!folded) {
            rc = err ? err->code : FOW_EINPUT;
            break;
        }
        sqlite3_bind_text(ins, 1, folded, (int)folded_len, free);
        sqlite3_bind_int(ins, 2, sqlite3_column_int(sel, 0));
        sqlite3_bind_int64(ins, 3, sqlite3_column_int64(sel, 1));
        sqlite3_bind_value(ins, 4, sqlite3_column_value(sel, 2));
        sqlite3_bind_int(ins, 5, sqlite3_column_int(sel, 3));
        sqlite3_bind_text(ins, 6, label, (int)len, SQLITE_TRANSIENT);
        int s = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (s != SQLITE_DONE) {
            rc = fow_db_error(db, err, "writing the search index");
            break;
        }
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading labels");
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    return rc;
}
