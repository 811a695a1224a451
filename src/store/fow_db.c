#include "store/fow_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/fow_schema.h"

fow_code fow_db_error(fow_db *db, fow_error *err, const char *what) {
    return fow_error_set(err, FOW_EDB, "%s: %s", what, sqlite3_errmsg(db->sql));
}

fow_code fow_db_step_done(fow_db *db, sqlite3_stmt *st, const char *what, fow_error *err) {
    int r = sqlite3_step(st);
    fow_code rc = r == SQLITE_DONE || r == SQLITE_ROW ? FOW_OK : fow_db_error(db, err, what);
    sqlite3_finalize(st);
    return rc;
}

const char *fow_db_column_text(sqlite3_stmt *st, int col) {
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? (const char *)t : "";
}

fow_code fow_db_collect(fow_db *db, sqlite3_stmt *st, void **items, size_t *n, size_t item,
                        void (*read)(sqlite3_stmt *st, void *item), const char *what, fow_error *err) {
    size_t cap = *n;
    fow_code rc = FOW_OK;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t bigger = cap ? cap * 2 : 16;
            void *grown = realloc(*items, bigger * item);
            if (!grown) {
                rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
                break;
            }
            *items = grown;
            cap = bigger;
        }
        char *slot = (char *)*items + *n * item;
        memset(slot, 0, item);
        read(st, slot);
        (*n)++;
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, what);
    sqlite3_finalize(st);
    return rc;
}

fow_code fow_db_exec(fow_db *db, const char *sql, fow_error *err) {
    char *msg = NULL;
    if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fow_error_set(err, FOW_EDB, "database: %s", msg ? msg : "unknown error");
        sqlite3_free(msg);
        return FOW_EDB;
    }
    return FOW_OK;
}

fow_code fow_db_prepare(fow_db *db, const char *sql, sqlite3_stmt **out, fow_error *err) {
    if (sqlite3_prepare_v2(db->sql, sql, -1, out, NULL) != SQLITE_OK) {
        *out = NULL;
        return fow_db_error(db, err, "preparing a statement");
    }
    return FOW_OK;
}

fow_code fow_db_prepare_cached(fow_db *db, const char *sql, sqlite3_stmt **out, fow_error *err) {
    for (int i = 0; i < db->n_cached; i++)
        if (db->cached[i].sql == sql) {
            *out = db->cached[i].st;
            sqlite3_reset(*out);
            sqlite3_clear_bindings(*out);
            return FOW_OK;
        }
    fow_code rc = fow_db_prepare(db, sql, out, err);
    if (rc) return rc;
    if (db->n_cached == FOW_DB_CACHED_STATEMENTS) {
        sqlite3_finalize(db->cached[0].st);
        memmove(&db->cached[0], &db->cached[1], (FOW_DB_CACHED_STATEMENTS - 1) * sizeof db->cached[0]);
        db->n_cached--;
    }
    db->cached[db->n_cached].sql = sql;
    db->cached[db->n_cached].st = *out;
    db->n_cached++;
    return FOW_OK;
}

fow_code fow_db_begin(fow_db *db, fow_error *err) { return fow_db_exec(db, "BEGIN IMMEDIATE", err); }
fow_code fow_db_commit(fow_db *db, fow_error *err) { return fow_db_exec(db, "COMMIT", err); }

void fow_db_rollback(fow_db *db) {
    if (!sqlite3_get_autocommit(db->sql)) sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
}

fow_code fow_db_read_begin(fow_db *db, fow_error *err) { return fow_db_exec(db, "BEGIN", err); }

void fow_db_read_end(fow_db *db) { fow_db_exec(db, "COMMIT", NULL); }

bool fow_db_in_transaction(fow_db *db) { return sqlite3_get_autocommit(db->sql) == 0; }

fow_code fow_db_cache_limit(fow_db *db, long kib, fow_error *err) {
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%ld", kib > 0 ? kib : 65536L);
    return fow_db_exec(db, sql, err);
}

void fow_db_release_memory(fow_db *db) { sqlite3_db_release_memory(db->sql); }

long long fow_db_changes(fow_db *db) { return sqlite3_changes(db->sql); }

long long fow_db_last_insert_id(fow_db *db) { return sqlite3_last_insert_rowid(db->sql); }

fow_code fow_db_query_int(fow_db *db, const char *sql, long long *out, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, sql, &st, err);
    if (rc) return rc;
    *out = 0;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) *out = sqlite3_column_int64(st, 0);
    else if (r != SQLITE_DONE) rc = fow_db_error(db, err, "query");
    sqlite3_finalize(st);
    return rc;
}

int fow_db_schema_version(fow_db *db) {
    long long v = 0;
    if (fow_db_query_int(db, "PRAGMA user_version", &v, NULL) != FOW_OK) return -1;
    return (int)v;
}

static fow_code migrate(fow_db *db, fow_error *err) {
    int version = fow_db_schema_version(db);
    if (version < 0) return fow_db_error(db, err, "reading the schema version");
    if (version > FOW_SCHEMA_VERSION)
        return fow_error_set(err, FOW_EDB,
                             "%s has schema version %d, newer than this fow understands (%d); "
                             "upgrade fow",
                             db->path, version, FOW_SCHEMA_VERSION);
    for (int v = version; v < FOW_SCHEMA_VERSION; v++) {
        if (db->read_only)
            return fow_error_set(err, FOW_EDB,
                                 "%s needs a schema upgrade (version %d to %d); open it for writing once "
                                 "(any fow import does)",
                                 db->path, version, FOW_SCHEMA_VERSION);
        fow_code rc = fow_db_begin(db, err);
        if (rc) return rc;
        rc = fow_db_exec(db, fow_schema_migrations[v], err);
        if (!rc) {
            char sql[64];
            snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
            rc = fow_db_exec(db, sql, err);
        }
        if (!rc) rc = fow_db_commit(db, err);
        if (rc) {
            fow_db_rollback(db);
            return rc;
        }
    }
    return FOW_OK;
}

fow_code fow_db_open(fow_db **out, const char *path, bool read_only, fow_error *err) {
    *out = NULL;
    if (read_only && access(path, F_OK) != 0)
        return fow_error_set(err, FOW_ENOTFOUND,
                             "no database at %s: import data first (fow import ..., or make run for the demo)",
                             path);
    fow_db *db = calloc(1, sizeof *db);
    if (!db) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    db->path = strdup(path);
    db->read_only = read_only;
    int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    flags |= SQLITE_OPEN_NOMUTEX;
    if (!db->path || sqlite3_open_v2(path, &db->sql, flags, NULL) != SQLITE_OK) {
        fow_code rc = fow_error_set(err, FOW_EDB, "cannot open database %s: %s", path,
                                    db->sql ? sqlite3_errmsg(db->sql) : "out of memory");
        fow_db_close(db);
        return rc;
    }
    sqlite3_busy_timeout(db->sql, 5000);
    fow_code rc = fow_db_exec(db,
                              "PRAGMA foreign_keys = ON;"
                              "PRAGMA cache_size = -65536;"
                              "PRAGMA temp_store = MEMORY;",
                              err);
    if (!rc && !read_only)
        rc = fow_db_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", err);
    if (!rc) {
        /* A file that is not a database shows up here. */
        long long n;
        rc = fow_db_query_int(db, "SELECT count(*) FROM sqlite_master", &n, err);
        if (rc && err) {
            char why[sizeof err->message];
            snprintf(why, sizeof why, "%s", err->message);
            fow_error_set(err, FOW_EDB, "%s is not a usable fow database (%s)", path, why);
        }
    }
    if (!rc) rc = migrate(db, err);
    if (rc) {
        fow_db_close(db);
        return rc;
    }
    *out = db;
    return FOW_OK;
}

void fow_db_close(fow_db *db) {
    if (!db) return;
    for (int i = 0; i < db->n_cached; i++) sqlite3_finalize(db->cached[i].st);
    if (db->sql) sqlite3_close(db->sql);
    free(db->path);
    free(db);
}

fow_code fow_db_set_secure_delete(fow_db *db, bool on, fow_error *err) {
    return fow_db_exec(db, on ? "PRAGMA secure_delete = ON" : "PRAGMA secure_delete = OFF", err);
}

fow_code fow_db_checkpoint_truncate(fow_db *db, bool *complete, fow_error *err) {
    if (complete) *complete = false;
    int log_frames = 0, checkpointed = 0;
    int r = sqlite3_wal_checkpoint_v2(db->sql, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log_frames, &checkpointed);
    if (r == SQLITE_BUSY) return FOW_OK; /* a reader or writer of another connection: not complete */
    if (r != SQLITE_OK) return fow_db_error(db, err, "checkpointing the WAL");
    if (complete) *complete = true;
    return FOW_OK;
}
