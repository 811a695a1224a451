/* fow_sources.h — the recorded data sources (the sources table, owned by
 * the store: every imported data set has one row, and every stored value
 * points at its source). */
#ifndef FOW_SOURCES_H
#define FOW_SOURCES_H

#include <stdbool.h>
#include <stddef.h>

#include "base/fow_arena.h"
#include "base/fow_error.h"
#include "store/fow_db.h"

/* One recorded data source. */
typedef struct fow_source_info {
    long long id;
    char dataset[160];
    char kind[32];
    char name[200];
    char version[64];
    char licence[200];
    char url[300];
    char path[512];
    char fingerprint[32];
    long long rows;
    char imported_at[32];
} fow_source_info;

/* One source's texts, each allocated in the arena given to fow_source_get. */
typedef struct fow_source_text {
    long long id;
    const char *dataset;
    const char *kind;
    const char *name;
    const char *version;
    const char *licence;
    long long rows;
} fow_source_text;

/* Lists the recorded sources, ordered by dataset. On success *out is a
 * malloc'd array (free it) of *n entries. */
fow_code fow_sources_list(fow_db *db, fow_source_info **out, size_t *n, fow_error *err);

/* One source as the store reads it: the texts are SQLite's, whole (never
 * truncated), valid only during the callback that receives them. */
typedef struct fow_source_row {
    long long id;
    const char *dataset;
    const char *kind;
    const char *name;
    const char *version;
    const char *licence;
    const char *fingerprint;
    long long rows;
} fow_source_row;

/* Calls visit for every source, ordered by dataset (bytewise); when kind is
 * not NULL only for the sources of that kind. A code other than FOW_OK from
 * visit (which fills err) stops the walk and is returned. FOW_EDB when the
 * database fails. */
fow_code fow_sources_each(fow_db *db, const char *kind,
                          fow_code (*visit)(void *ctx, const fow_source_row *row, fow_error *err), void *ctx,
                          fow_error *err);

/* Reads the source with the given id into *out (texts copied into arena,
 * which owns them). FOW_ENOTFOUND when there is none. */
fow_code fow_source_get(fow_db *db, long long id, fow_arena *arena, fow_source_text *out, fow_error *err);

/* Finds the source of a dataset: *id is its id (0 when the dataset has no
 * source) and *same tells whether its recorded fingerprint equals
 * fingerprint (false when there is no source). */
fow_code fow_source_find(fow_db *db, const char *dataset, const char *fingerprint, long long *id, bool *same,
                         fow_error *err);

/* What an import records about its data set (texts not NULL; url may be ""). */
typedef struct fow_source_record {
    const char *dataset;
    const char *kind;
    const char *name;
    const char *version;
    const char *licence;
    const char *url;
    const char *path;
    const char *fingerprint;
    const char *imported_at;
} fow_source_record;

/* Inside an open transaction: writes the source of rec->dataset with a row
 * count of 0, updating the row with id existing when it is not 0 (its id is
 * kept), else inserting a new one. *id is the row's id. */
fow_code fow_source_write(fow_db *db, long long existing, const fow_source_record *rec, long long *id,
                          fow_error *err);

/* Sets the row count of a source. */
fow_code fow_source_set_rows(fow_db *db, long long id, long long rows, fow_error *err);

/* Deletes a source (the rows pointing at it with ON DELETE CASCADE go with
 * it). Deleting an id that does not exist is not an error. */
fow_code fow_source_delete(fow_db *db, long long id, fow_error *err);

/* The number of recorded sources. */
fow_code fow_sources_count(fow_db *db, long long *out, fow_error *err);

/* ---- the census: the rows each source owns, before and after an import ----
 * Every stored row points at its source (a source_id column), so the rows a
 * data set holds in each table can be counted without a list of tables: the
 * census finds every table of the database with a source_id column. */

/* Inside an open write transaction: counts, for every table with a
 * source_id column (but except_table, when not NULL: a table whose rows
 * pass from one source to another by design counts its own way), the rows
 * of each source, into a temporary table of the connection (replacing an
 * earlier census; rolled back with the transaction). FOW_EDB when the
 * database fails. */
fow_code fow_sources_census_save(fow_db *db, const char *except_table, fow_error *err);

/* Drops the census of fow_sources_census_save before a commit, so that the
 * connection keeps nothing of it (a rollback drops it too). */
fow_code fow_sources_census_drop(fow_db *db, fow_error *err);

/* A table in which a source holds fewer rows than at the census. */
typedef struct fow_source_shrink {
    const char *table;
    long long source_id;
    const char *dataset; /* as it was at the census ("" when unknown) */
    long long before;
    long long after; /* 0 when the source itself is gone */
} fow_source_shrink;

/* Inside the transaction of fow_sources_census_save: calls visit for every
 * (table, source) whose row count fell since the census, by table name and
 * then dataset. The texts of shrink are valid only during the call. A code
 * other than FOW_OK from visit (which fills err) stops the walk and is
 * returned; FOW_EDB when the database fails (also when no census was
 * saved on this connection). */
fow_code fow_sources_census_compare(fow_db *db,
                                    fow_code (*visit)(void *ctx, const fow_source_shrink *shrink, fow_error *err),
                                    void *ctx, fow_error *err);

/* Compares what describes the source with the given id (name, version,
 * licence, url) with the given texts: *same is true when all are equal;
 * its recorded version is copied into previous_version (n bytes). */
fow_code fow_source_same_description(fow_db *db, long long id, const char *name, const char *version,
                                     const char *licence, const char *url, bool *same, char *previous_version,
                                     size_t n, fow_error *err);

/* Rewrites what describes a source (name, version, licence, url; none NULL)
 * and nothing else: its data, fingerprint, row count and import time stay.
 * For the same data imported again under a new version. */
fow_code fow_source_update_description(fow_db *db, long long id, const char *name, const char *version,
                                       const char *licence, const char *url, fow_error *err);

#endif
