/* import_internal.h — shared machinery of the importers (not exported). */
#ifndef FOW_IMPORT_INTERNAL_H
#define FOW_IMPORT_INTERNAL_H

#include <stdint.h>

#include "base/fow_arena.h"
#include "base/fow_csv.h"
#include "base/fow_strmap.h"
#include "taxonomy/fow_import.h"

/* Clears the report. */
void import_report_init(fow_import_report *report);

/* Adds a per-file section to the report (NULL when the report is full). */
fow_import_file_report *import_report_file(fow_import_report *report, const char *path);

/* Counts one rejected row under reason (rows with the same reason share a line). */
void import_reject(fow_import_file_report *file, const char *reason);

/* Adds a note (a missing optional file, a skipped part) to the report. */
void import_note(fow_import_report *report, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Metadata of the data set being imported. */
typedef struct import_source {
    const char *dataset;
    const char *kind;
    const char *name;
    const char *version;
    const char *licence;
    const char *url;
    const char *path;
    uint64_t fingerprint;
} import_source;

/* Inside an open transaction: records (or updates) the source row. When the
 * same data set was already imported with the same fingerprint, sets
 * *unchanged and writes nothing. Otherwise *source_id is the row to own the
 * imported data and report->replaced tells whether an older import existed. */
fow_code import_source_begin(fow_db *db, const import_source *src, fow_import_report *report,
                             int64_t *source_id, bool *unchanged, fow_error *err);

/* The error for a file that imported no row: every row rejected (naming
 * how many were read), or no data rows at all. Returns FOW_EINPUT. */
fow_code import_nothing_error(const fow_import_file_report *section, const char *path, fow_error *err);

/* Sets the source's row count. */
fow_code import_source_rows(fow_db *db, int64_t source_id, long long rows, fow_error *err);

/* Recomputes derived values (and the search index when search is true) and
 * commits; on failure rolls back. */
fow_code import_commit(fow_db *db, bool search, fow_error *err);

/* Calls the progress callback for csv (at most every 64 KiB). */
void import_progress(const fow_import_options *opt, fow_csv *csv, size_t *last);

/* "dir/name" into buf. */
void import_join_path(char *buf, size_t n, const char *dir, const char *name);

/* 1 when path names a readable regular file. */
int import_file_exists(const char *path);

/* Copies v, or fallback when v is NULL or empty. */
const char *import_or(const char *v, const char *fallback);

/* A fingerprint of the taxonomies imported so far: data keyed by occupation
 * folds it into its own fingerprint, so that the same file imported again
 * after the taxonomy changed is matched again rather than skipped. */
fow_code import_taxonomy_state(fow_db *db, uint64_t *out, fow_error *err);

#endif
