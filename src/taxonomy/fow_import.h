/* fow_import.h — importing public data sets into the fow database.
 *
 * Every import is one transaction: it happens whole or not at all, so a
 * malformed file leaves the database exactly as it was. Every data set's
 * source, version and licence is recorded in the sources table. Importing
 * the same files again writes no data (the files' fingerprint is compared;
 * when only the name, version, licence or address given differ, those are
 * updated in the sources table and the report says so); importing a newer
 * version of a data set replaces the older one. A file that ends inside a
 * row is refused (a cut copy), and so is an import that would take away
 * more than FOW_IMPORT_MAX_SHRINK_PERCENT of a data set's rows in any
 * table, unless the options allow it (allow_shrink).
 *
 * After each import the derived values are recomputed in the same
 * transaction: risk and attributes inherited by nested occupations, Frey &
 * Osborne probabilities reached through crosswalks, and the search index.
 */
#ifndef FOW_IMPORT_H
#define FOW_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/fow_error.h"
#include "store/fow_db.h"
#include "store/fow_sources.h"

/* Called now and then during an import: stage names the file being read,
 * done and total are bytes (or rows) of that stage. */
typedef void (*fow_progress_fn)(void *ctx, const char *stage, size_t done, size_t total);

typedef struct fow_import_options {
    const char *lang;        /* ESCO: the language suffix of the files (default "en") */
    const char *model;       /* risk: "mcc" or "frey-osborne" */
    const char *source_name; /* overrides the data set's name (NULL: default) */
    const char *version;     /* overrides the version (NULL: default) */
    const char *licence;     /* overrides the licence (NULL: default) */
    const char *url;         /* overrides the source address (NULL: default) */
    fow_progress_fn progress;
    void *progress_ctx;
    const char *area;        /* employment: the area the counts describe, e.g. "Cluj-Napoca" */
    int year;                /* employment: the year when the file has no year column (0: none) */
    bool skip_unknown;       /* employment: import the other rows when some codes are unknown */
    bool illustrative;       /* employment: the counts are invented for a demonstration, not measured */
    bool allow_shrink;       /* any kind: let this import take away more than FOW_IMPORT_MAX_SHRINK_PERCENT
                              * of a data set's rows in a table (or all of them) */
} fow_import_options;

/* An import that would leave any data set (the rows pointing at one
 * source) with fewer than 100 - this percent of the rows it had in any
 * table is refused, and the database left as it was, unless
 * fow_import_options.allow_shrink: a header-only or cut file in a bundle
 * must not silently wipe a relation table or the values derived from it. */
#define FOW_IMPORT_MAX_SHRINK_PERCENT 50

#define FOW_IMPORT_MAX_FILES 16
#define FOW_IMPORT_MAX_REASONS 6
#define FOW_IMPORT_MAX_NOTES 16

typedef struct fow_import_reason {
    char text[200];
    long count;
} fow_import_reason;

/* What happened to the rows of one file. */
typedef struct fow_import_file_report {
    char file[512];
    long rows_read;
    long rows_imported;
    long rows_rejected; /* valid rows deliberately not imported; see reasons */
    fow_import_reason reasons[FOW_IMPORT_MAX_REASONS];
    size_t n_reasons;
} fow_import_file_report;

/* The message of a note (service/fow_msg.h) for the web app, which words it
 * in the page's language: its code (NULL when the note has none) and up to
 * FOW_IMPORT_NOTE_PARAMS string parameters (names are static strings). */
#define FOW_IMPORT_NOTE_PARAMS 3
typedef struct fow_import_note_message {
    const char *code;
    const char *names[FOW_IMPORT_NOTE_PARAMS];
    char values[FOW_IMPORT_NOTE_PARAMS][200];
    size_t n;
} fow_import_note_message;

typedef struct fow_import_report {
    char dataset[160];  /* the key a newer version replaces, e.g. "taxonomy:ESCO" */
    char source_name[200];
    char version[64];
    bool unchanged;     /* the same files were already imported: nothing was written */
    bool replaced;      /* an older import of the same data set was replaced */
    bool description_updated; /* unchanged data, but its name, version, licence or url were rewritten */
    char previous_version[64]; /* the version recorded before this import ("" when none) */
    fow_import_file_report files[FOW_IMPORT_MAX_FILES];
    size_t n_files;
    char notes[FOW_IMPORT_MAX_NOTES][300]; /* e.g. a missing optional file */
    fow_import_note_message note_messages[FOW_IMPORT_MAX_NOTES]; /* notes[i] as a message */
    size_t n_notes;
} fow_import_report;

/* Imports the ESCO portal's CSV layout from dir for one language
 * (occupations_XX.csv required; skills_XX.csv, occupationSkillRelations_XX.csv,
 * ISCOGroups_XX.csv, broaderRelationsOccPillar_XX.csv and the skill
 * collections optional, each reported when missing). The first language
 * imported for a taxonomy defines its occupations and skills; another
 * language adds translated labels to them. Returns FOW_OK and fills report,
 * or an error (located when about input) with the database unchanged. */
fow_code fow_import_esco(fow_db *db, const char *dir, const fow_import_options *opt,
                         fow_import_report *report, fow_error *err);

/* Imports fow's own CSV bundle format from dir (docs/data-formats.md):
 * occupations.csv required; skills.csv, occupation_skills.csv,
 * isco_groups.csv, occupation_parents.csv, occupation_labels.csv,
 * skill_labels.csv and source.csv optional. Same contract as
 * fow_import_esco. */
fow_code fow_import_bundle(fow_db *db, const char *dir, const fow_import_options *opt,
                           fow_import_report *report, fow_error *err);

/* Imports automation risk estimates from path for opt->model ("mcc" or
 * "frey-osborne"). The key column decides what the values describe:
 * occupation_uri (ESCO occupations, which must exist), isco_code (the
 * model's own ISCO group estimates, kept as such) or soc2010 (US SOC 2010
 * codes, reaching ESCO through the crosswalks). */
fow_code fow_import_risk(fow_db *db, const char *path, const fow_import_options *opt,
                         fow_import_report *report, fow_error *err);

/* Imports ESCO's skill hierarchy from dir, the portal's files of one
 * language: skillGroups_XX.csv and broaderRelationsSkillPillar_XX.csv
 * required, skillsHierarchy_XX.csv optional (its groups are checked against
 * the groups file). Skills are matched by URI to the imported taxonomy (so
 * import the taxonomy first); a relation naming a skill it does not have is
 * counted as rejected with its reason. A newer import replaces the older.
 * Same contract as fow_import_esco. */
fow_code fow_import_skill_hierarchy(fow_db *db, const char *dir, const fow_import_options *opt,
                                    fow_import_report *report, fow_error *err);

/* Imports occupation attributes (job zone, education, earnings, ...) keyed
 * by occupation_uri; the occupations must exist. */
fow_code fow_import_attributes(fow_db *db, const char *path, const fow_import_options *opt,
                               fow_import_report *report, fow_error *err);

/* Imports a crosswalk: ISCO-08 to SOC 2010 (columns isco08, soc2010) or
 * ESCO occupation to O*NET-SOC (occupation_uri, onet_code, confidence). */
fow_code fow_import_crosswalk(fow_db *db, const char *path, const fow_import_options *opt,
                              fow_import_report *report, fow_error *err);

/* Imports employment counts for opt->area from path: a row per occupation
 * (isco_code, 1 to 4 digits of ISCO-08, or occupation_uri of an ESCO
 * occupation), with year (or opt->year for every row), employed (persons)
 * or employed_thousands, and optional sector (NACE Rev. 2), sex, age_group,
 * education and median_wage columns. Masked cells ("x", ":" or empty) are
 * kept as unknown, never read as zero, and counted in the report. Codes
 * that are not in the imported taxonomy are listed with their lines and
 * nothing is imported, unless opt->skip_unknown (then they are reported and
 * skipped). The file replaces what the area had for the years it holds. */
fow_code fow_import_employment(fow_db *db, const char *path, const fow_import_options *opt,
                               fow_import_report *report, fow_error *err);

/* Recomputes every derived value (inherited risk and attributes, Frey &
 * Osborne through crosswalks) inside the caller's transaction. */
fow_code fow_derive_values(fow_db *db, fow_error *err);

/* Rebuilds the search index from the labels inside the caller's
 * transaction. */
fow_code fow_search_index_rebuild(fow_db *db, fow_error *err);

#endif
