/* fow_data_version.c — the generation and stamp every import writes. */
#include "store/fow_data_version.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

fow_code fow_data_version_read(fow_db *db, fow_data_version *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT generation, stamp FROM data_version WHERE id = 1", &st, err);
    if (rc) return rc;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        out->generation = sqlite3_column_int64(st, 0);
        const unsigned char *stamp = sqlite3_column_text(st, 1);
        snprintf(out->stamp, sizeof out->stamp, "%s", stamp ? (const char *)stamp : "");
    } else if (r != SQLITE_DONE) {
        rc = fow_db_error(db, err, "reading the data version");
    }
    sqlite3_finalize(st);
    return rc;
}

fow_code fow_data_version_bump(fow_db *db, fow_error *err) {
    unsigned char random[16];
    char stamp[33];
    if (sodium_init() < 0) return fow_error_set(err, FOW_EINTERNAL, "libsodium could not be initialised");
    randombytes_buf(random, sizeof random);
    sodium_bin2hex(stamp, sizeof stamp, random, sizeof random);
    sqlite3_stmt *st;
    fow_code rc =
        fow_db_prepare(db, "UPDATE data_version SET generation = generation + 1, stamp = ? WHERE id = 1", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, stamp, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE) rc = fow_db_error(db, err, "recording the data version");
    else if (sqlite3_changes(db->sql) != 1)
        rc = fow_error_set(err, FOW_EDB, "recording the data version: its row is missing");
    sqlite3_finalize(st);
    return rc;
}

bool fow_data_version_same(const fow_data_version *a, const fow_data_version *b) {
    return a->stamp[0] && strcmp(a->stamp, b->stamp) == 0 && a->generation == b->generation;
}
