/* fow_data_version.h — the version of the data a database holds.
 *
 * One row (table data_version, schema version 4): a generation that counts
 * the imports committed, and a stamp of 32 random hex digits drawn anew by
 * each of them. Every import writes it in its own transaction, just before
 * it commits (import_commit), so a reader that reads the row in the same
 * read transaction as the data knows exactly which state it saw. The stamp,
 * not the generation, tells states apart: two databases that each had three
 * imports have the same generation but different stamps, so a snapshot of
 * one (fow_world) is never taken for the other, even at the same path. The
 * migration that creates the row draws a first stamp with generation 0, so
 * a database no import has written yet (or one just upgraded) names its
 * state too; an empty stamp is still read as unknown, never matched.
 *
 * Writes that do not change what the world shows (accounts, sessions) do
 * not touch the row.
 */
#ifndef FOW_DATA_VERSION_H
#define FOW_DATA_VERSION_H

#include <stdbool.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "store/fow_db.h"

typedef struct fow_data_version {
    int64_t generation; /* imports committed (0: none since schema version 4) */
    char stamp[33];     /* 32 hex digits, new at creation and with every import */
} fow_data_version;

/* Reads the data version of db (inside the caller's transaction, if any).
 * Fails with FOW_EDB. */
fow_code fow_data_version_read(fow_db *db, fow_data_version *out, fow_error *err);

/* Counts one more import and draws a new stamp. Call inside the import's
 * write transaction, before it commits. Fails with FOW_EDB. */
fow_code fow_data_version_bump(fow_db *db, fow_error *err);

/* True when a and b name the same known state (equal stamps, not ""). */
bool fow_data_version_same(const fow_data_version *a, const fow_data_version *b);

#endif
