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

/* Gives the last note added its message code (a static string such as
 * "import.note.optional_missing"; the web app words it as msg.<code>).
 * Does nothing when no note was added (the report was full). */
void import_note_code(fow_import_report *report, const char *code);

/* Adds the string parameter name (static) to the last note's message, its
 * value formatted as printf does (cut at 199 bytes). At most
 * FOW_IMPORT_NOTE_PARAMS; more are ignored, as is a note without a code. */
void import_note_param(fow_import_report *report, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

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
    const char *census_except; /* a table the shrink check leaves to the importer (NULL: none) */
} import_source;

/* Inside an open transaction: records (or updates) the source row. When the
 * same data set was already imported with the same fingerprint, sets
 * *unchanged and writes no data; when its name, version, licence or url
 * differ from the recorded ones, it rewrites those (and only those), sets
 * report->description_updated and notes it (finish with
 * import_unchanged_end). Otherwise *source_id is the row to own the
 * imported data and report->replaced tells whether an older import existed.
 * Either way it first takes the census of every data set
 * (fow_sources_census_save) for import_commit's shrink check. */
fow_code import_source_begin(fow_db *db, const import_source *src, fow_import_report *report,
                             int64_t *source_id, bool *unchanged, fow_error *err);

/* The error for a file that imported no row: every row rejected (naming
 * how many were read), or no data rows at all. Returns FOW_EINPUT. */
fow_code import_nothing_error(const fow_import_file_report *section, const char *path, fow_error *err);

/* Sets the source's row count. */
fow_code import_source_rows(fow_db *db, int64_t source_id, long long rows, fow_error *err);

/* Recomputes derived values (and the search index when search is true),
 * checks that no data set lost too many rows (import_shrink_check) and
 * commits; on failure rolls back, leaving the database as it was. */
fow_code import_commit(fow_db *db, bool search, bool allow_shrink, fow_error *err);

/* Inside the transaction of an import_source_begin that took the census:
 * FOW_EINPUT with field "allow_shrink" when a table's rows of some data set
 * fell by more than FOW_IMPORT_MAX_SHRINK_PERCENT (emptying it is the
 * extreme case), naming the data set, the table and the counts; FOW_OK when
 * none did or allow_shrink is true. */
fow_code import_shrink_check(fow_db *db, bool allow_shrink, fow_error *err);

/* True when going from before to after rows takes away more than
 * FOW_IMPORT_MAX_SHRINK_PERCENT of them. */
bool import_shrinks_too_much(long long before, long long after);

/* The error of an import that would shrink what (a data set, an area) in
 * table from before to after rows; more is appended ("" for nothing).
 * FOW_EINPUT with field "allow_shrink". */
fow_code import_shrink_error(fow_error *err, const char *what, const char *table, long long before, long long after,
                             const char *more);

/* Ends the transaction of an import that found its data unchanged: commits
 * (a new data version, so that servers reload) when import_source_begin
 * updated the source's description, else rolls back. On failure rolls back. */
fow_code import_unchanged_end(fow_db *db, const fow_import_report *report, fow_error *err);

/* Calls the progress callback for csv (at most every 64 KiB). */
void import_progress(const fow_import_options *opt, fow_csv *csv, size_t *last);

/* "dir/name" into buf. */
void import_join_path(char *buf, size_t n, const char *dir, const char *name);

/* 1 when path names a readable regular file. */
int import_file_exists(const char *path);

/* ESCO: the namespace of its URIs, its licence (as the European Commission
 * states it for every version) and where it is published. */
#define ESCO_URI_PREFIX "http://data.europa.eu/esco/"
#define ESCO_LICENCE "© European Union, reuse authorised under Commission Decision 2011/833/EU"
#define ESCO_URL "https://esco.ec.europa.eu/en/use-esco/download"

/* Copies v, or fallback when v is NULL or empty. */
const char *import_or(const char *v, const char *fallback);

/* A field (version, licence, url) of the source: given when the user gave
 * it; else known (the built-in description of the published data set)
 * unless the user named a source of their own (opt->source_name), whose
 * version, licence or address fow cannot know: then unknown. */
const char *import_describe(const fow_import_options *opt, const char *given, const char *known, const char *unknown);

/* The version number in the last component of path ("esco-1.2.0",
 * "ESCO dataset - v1.2.0 - classification", "v1.2"): the first run of digits
 * and dots with at least one dot, after the start, a 'v' or a non-letter, copied into
 * out (cap bytes). false (out "") when there is none. */
bool import_version_in_path(const char *path, char *out, size_t cap);

/* A fingerprint of the taxonomies imported so far: data keyed by occupation
 * folds it into its own fingerprint, so that the same file imported again
 * after the taxonomy changed is matched again rather than skipped. */
fow_code import_taxonomy_state(fow_db *db, uint64_t *out, fow_error *err);

#endif
