/* fow_db.h — the SQLite database that holds everything fow knows.
 *
 * One file (default ./fow.db), WAL journal, foreign keys on, schema
 * migrations numbered by PRAGMA user_version and applied in order, each in
 * its own transaction, when the database is opened for writing.
 */
#ifndef FOW_DB_H
#define FOW_DB_H

#include <sqlite3.h>
#include <stdbool.h>

#include "base/fow_error.h"

/* The schema version this build of fow writes and expects. */
#define FOW_SCHEMA_VERSION 20

/* How many statements one connection keeps prepared (fow_db_prepare_cached). */
#define FOW_DB_CACHED_STATEMENTS 16

typedef struct fow_db {
    sqlite3 *sql;
    char *path;
    bool read_only;
    struct {
        const char *sql; /* the caller's constant text, compared by address */
        sqlite3_stmt *st;
    } cached[FOW_DB_CACHED_STATEMENTS];
    int n_cached;
} fow_db;

/* Opens (creating if needed, unless read_only) the database at path and
 * brings its schema up to FOW_SCHEMA_VERSION. A read-only open of a missing
 * file fails with FOW_ENOTFOUND; a database written by a newer fow fails with
 * FOW_EDB. On success *out is a handle to free with fow_db_close. */
fow_code fow_db_open(fow_db **out, const char *path, bool read_only, fow_error *err);

/* Closes the database. NULL is allowed. */
void fow_db_close(fow_db *db);

/* Runs sql (one or more statements, no results). FOW_EDB on failure. */
fow_code fow_db_exec(fow_db *db, const char *sql, fow_error *err);

/* Prepares one statement; FOW_EDB with SQLite's message on failure. */
fow_code fow_db_prepare(fow_db *db, const char *sql, sqlite3_stmt **out, fow_error *err);

/* Like fow_db_prepare for a statement run often (a ledger transfer's):
 * sql must be a string constant of the caller (it is remembered by its
 * address); the first call prepares it and keeps it with the connection,
 * later calls return it reset, with its bindings cleared. The caller
 * never finalizes it; it calls sqlite3_reset when done (so that no read
 * stays open). Past FOW_DB_CACHED_STATEMENTS statements the oldest kept
 * is finalized. fow_db_close finalizes them. FOW_EDB on failure. */
fow_code fow_db_prepare_cached(fow_db *db, const char *sql, sqlite3_stmt **out, fow_error *err);

/* Fills err with FOW_EDB and SQLite's current message, prefixed by what.
 * Returns FOW_EDB. */
fow_code fow_db_error(fow_db *db, fow_error *err, const char *what);

/* Steps st, a prepared and bound statement run for its effect (a row it
 * returns is ignored), and finalizes it whatever happens. FOW_EDB naming
 * what when the step fails. For the store files of every subject. */
fow_code fow_db_step_done(fow_db *db, sqlite3_stmt *st, const char *what, fow_error *err);

/* The text of column col of st's current row, "" for NULL; valid until
 * the next step or the finalize. Can't fail. */
const char *fow_db_column_text(sqlite3_stmt *st, int col);

/* Steps st (prepared and bound) to its end, growing the malloc'd array
 * *items (of item bytes each; *n of them, free() it) by one zeroed item per
 * row, which read fills from the row; finalizes st. On failure (FOW_EDB
 * naming what, or FOW_ENOMEM) *items keeps what was read so far, for the
 * caller to free. */
fow_code fow_db_collect(fow_db *db, sqlite3_stmt *st, void **items, size_t *n, size_t item,
                        void (*read)(sqlite3_stmt *st, void *item), const char *what, fow_error *err);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. rollback can't fail (it ignores a
 * transaction that is not open). */
fow_code fow_db_begin(fow_db *db, fow_error *err);
fow_code fow_db_commit(fow_db *db, fow_error *err);
void fow_db_rollback(fow_db *db);

/* BEGIN / COMMIT of a read transaction: what is read between them is one
 * consistent snapshot, even while another connection imports. The end can't
 * fail (a snapshot read nothing that a commit could lose). */
fow_code fow_db_read_begin(fow_db *db, fow_error *err);
void fow_db_read_end(fow_db *db);

/* True when a transaction is open on the connection (a caller's read
 * snapshot, say, that a loader joins rather than opens its own). */
bool fow_db_in_transaction(fow_db *db);

/* Limits the connection's page cache to kib KiB from now on (0: back to
 * fow's default, 64 MiB), e.g. while a loader reads whole tables once,
 * where caching their pages saves nothing; pages beyond the limit are
 * freed when no statement holds them. Fails with FOW_EDB. */
fow_code fow_db_cache_limit(fow_db *db, long kib, fow_error *err);

/* Frees what the connection's page cache holds and no statement uses
 * (sqlite3_db_release_memory). Can't fail. */
void fow_db_release_memory(fow_db *db);

/* The number of rows the last INSERT, UPDATE or DELETE changed. */
long long fow_db_changes(fow_db *db);

/* The id (INTEGER PRIMARY KEY) of the row the last successful INSERT on this
 * connection added (SQLite's last_insert_rowid; a PostgreSQL driver reads
 * lastval()). Cheaper than INSERT ... RETURNING id, which SQLite runs
 * through a temporary table, where rows are inserted one by one. */
long long fow_db_last_insert_id(fow_db *db);

/* Runs a query that returns one integer (first column of first row);
 * *out = 0 when there is no row. */
fow_code fow_db_query_int(fow_db *db, const char *sql, long long *out, fow_error *err);

/* Turns SQLite's secure_delete on (or off) for this connection: deleted
 * content is overwritten with zeros, so that erased personal data is not
 * left in free pages. FOW_EDB on failure. */
fow_code fow_db_set_secure_delete(fow_db *db, bool on, fow_error *err);

/* Checkpoints the WAL into the database file and truncates it to zero
 * bytes (wal_checkpoint(TRUNCATE)). *complete (may be NULL) is false when
 * another connection's reader kept a part of it (then the WAL still holds
 * old pages until a later checkpoint). FOW_EDB on failure. */
fow_code fow_db_checkpoint_truncate(fow_db *db, bool *complete, fow_error *err);

/* The schema version stored in the database. */
int fow_db_schema_version(fow_db *db);

#endif
