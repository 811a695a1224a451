/* fow_world.h — everything a query reads, opened one way from a database.
 *
 * A fow_world holds the in-memory model (fow_model.h), its similarity index
 * (fow_similarity.h), the risk estimates of every ISCO code and occupation
 * (fow_observe.h), the provenance labels shown next to figures, the
 * database's counts (fow_db_stats), and the data
 * version (fow_data_version.h) they all come from: all read in one read
 * transaction, so they describe one state of the database even while an
 * import commits. The command line and the server both open worlds here and
 * nowhere else; the data set keys that decide which source is which live
 * only in fow_world.c.
 *
 * Snapshot. Building the index takes most of an open (0.25 s on ESCO, ~3 s
 * on a taxonomy ten times its size), so a world is saved beside the
 * database, in "<database>.world" (fow_snapfile.h), and the next open maps
 * that file instead of building: the model's arrays, the index and the
 * estimates are used in place, only occupations and skills are rebuilt with
 * pointers into the mapping. The snapshot is used only when it carries the
 * data version the database holds now (read in the same transaction); a
 * snapshot that is missing, of another version, of another format, damaged
 * (any section's checksum) or truncated is ignored and rebuilt, never read
 * past. A database whose data version is unknown (no import since schema
 * version 4) is always built, never snapshotted. fow_world_refresh rebuilds
 * the snapshot after an import; an open rebuilds it too when it is stale.
 *
 * Sharing. A world is read-only once opened, apart from two things built on
 * demand under its own locks: the pool of similarity workspaces (one per
 * thread at a time, borrowed and returned) and the move profiles of the
 * observatory. It is reference counted: fow_world_open gives one reference,
 * fow_world_retain adds one, and the last fow_world_release frees it (and
 * unmaps its snapshot), so a server can swap in a new world while requests
 * still read the old one.
 */
#ifndef FOW_WORLD_H
#define FOW_WORLD_H

#include <stdbool.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "observatory/fow_observe.h"
#include "observatory/fow_scenario.h"
#include "store/fow_data_version.h"
#include "taxonomy/fow_model.h"
#include "taxonomy/fow_occupation.h"
#include "transitions/fow_similarity.h"

/* The moves per worker of the shared move profiles (fow_world_move_profiles). */
#define FOW_WORLD_SHARED_MOVES_PER_WORKER 5

/* Where figures come from: "name (version)" of the imported source, or ""
 * when none is imported. */
typedef struct fow_world_sources {
    char taxonomy[300];
    char risk[2][300]; /* per fow_risk_model: MCC, Frey & Osborne */
    char attributes[300];
} fow_world_sources;

typedef enum fow_world_snapshot {
    FOW_WORLD_SNAPSHOT_USE = 0, /* map a current snapshot, else build and save one (a failure to save is ignored) */
    FOW_WORLD_SNAPSHOT_IGNORE,  /* build from the database; neither read nor write a snapshot */
} fow_world_snapshot;

typedef struct fow_world_options {
    fow_world_snapshot snapshot;
    /* false (the default): a snapshot is used only when every section's
     * checksum holds, which reads the whole file (~50 ms for 170 MB).
     * true: only its header, its table of sections and the structure the
     * world relies on (sizes, offsets, string references) are checked, so a
     * one-shot command touches only the pages it reads. A file cut short,
     * foreign, of another version or half written is refused either way; a
     * file damaged inside a data section after it was written is not seen
     * by a quick open, and is by the next full one (fow serve), which
     * rebuilds it. */
    bool quick;
} fow_world_options;

typedef struct fow_world fow_world;

/* Opens the world of the database at db_path (opened read-only; it must
 * exist). options may be NULL (FOW_WORLD_SNAPSHOT_USE). A database without
 * a taxonomy gives a world with no occupations (callers decide whether that
 * is an error). On success *out holds one reference. Fails with
 * FOW_ENOTFOUND (no database), FOW_EDB, FOW_EINPUT (a taxonomy too large
 * for the model) or FOW_ENOMEM; a bad snapshot is never an error. */
fow_code fow_world_open(const char *db_path, const fow_world_options *options, fow_world **out, fow_error *err);

/* Brings the snapshot of db_path up to date with the database: does
 * nothing when it is current, else builds the world and saves it. Call after
 * an import commits. Fails like fow_world_open, and with FOW_EIO when the
 * snapshot cannot be written (the database is untouched either way). */
fow_code fow_world_refresh(const char *db_path, fow_error *err);

/* The snapshot path of db_path ("<db_path>.world") into buf of size n;
 * false when it does not fit. */
bool fow_world_snapshot_path(const char *db_path, char *buf, size_t n);

/* Adds a reference and returns world. */
fow_world *fow_world_retain(fow_world *world);

/* Drops a reference; the last one frees the world. NULL is allowed. */
void fow_world_release(fow_world *world);

/* The parts of the world; valid while a reference is held. */
const fow_model *fow_world_model(const fow_world *world);
const fow_similarity_index *fow_world_index(const fow_world *world);
const fow_risk_estimates *fow_world_estimates(const fow_world *world);
const fow_world_sources *fow_world_sources_of(const fow_world *world);
/* What the database held (fow_db_stats_load), read with the rest. */
const fow_db_stats *fow_world_counts(const fow_world *world);

/* The data version the world was read at (generation 0 and stamp "" when
 * unknown). */
const fow_data_version *fow_world_data_version(const fow_world *world);

/* The order in which this process's opens read their databases: 1, 2, ...
 * drawn under one lock together with the open's first read, which fixes
 * the state its read transaction sees. So a world of a higher order saw the
 * database at the same moment or later than one of a lower order: the same
 * state or a newer one (fow_world_holder.h relies on it). */
uint64_t fow_world_read_order(const fow_world *world);

/* True when the world was mapped from a snapshot rather than built. */
bool fow_world_from_snapshot(const fow_world *world);

/* A similarity workspace for this world, reused from the pool or new;
 * NULL when out of memory. Give it back with fow_world_workspace_return
 * (from any thread); never use it with another world. */
fow_similarity_workspace *fow_world_workspace_borrow(fow_world *world);

/* Returns ws to the pool (NULL allowed); freed if the pool cannot grow. */
void fow_world_workspace_return(fow_world *world, fow_similarity_workspace *ws);

/* The move profiles of every occupation under model with k =
 * FOW_WORLD_SHARED_MOVES_PER_WORKER: built on the first call (under the
 * world's lock, so at most once; other callers wait), then the same
 * read-only object until the world is freed. *out is owned by the world.
 * Fails with FOW_ENOMEM (a later call tries again). */
fow_code fow_world_move_profiles(fow_world *world, fow_risk_model model, const fow_move_profiles **out,
                                 fow_error *err);

/* Workspaces in the pool now (for tests). */
int fow_world_pool_size(fow_world *world);

/* Worlds of this process not yet freed: opened, or still held by a reader
 * after a swap (for tests and the server's reload message). */
int fow_world_live(void);

/* References held now (for tests). */
int fow_world_references(const fow_world *world);

#endif
