/* fow_importers.h — the registry of import kinds: the one list the command
 * line (`fow import KIND`), the API (POST /api/v1/imports, GET
 * /api/v1/import-kinds), the admin page and the tests read.
 *
 * Each kind has a name, a one-line description, whether it reads a folder
 * or one file, its options (with neutral names such as model, area, year:
 * never a command-line flag), the permission a user needs to run it and its
 * function. Every kind reports a fow_import_report, written as JSON by
 * fow_import_report_json in one shape for every front end.
 *
 * A front end fills a fow_import_settings from what its user gave (option
 * names and values as text), checks it, and runs it. Every error names the
 * option in fow_error.field ("model", "area", ...); each front end words the
 * field for its users (the CLI as its flag, the API as the JSON field).
 *
 * Adding a kind: its function (with the fow_import_fn signature) in its
 * subject's folder, one entry in the table of fow_importers.c, its options
 * from the table there (or a new one, with its place in fow_import_options),
 * and its name in tests/unit/test_importers.c's list of expected kinds.
 */
#ifndef FOW_IMPORTERS_H
#define FOW_IMPORTERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "accounts/fow_accounts.h"
#include "base/fow_error.h"
#include "store/fow_db.h"
#include "taxonomy/fow_import.h"

/* What a kind reads. */
typedef enum fow_import_input {
    FOW_IMPORT_FOLDER, /* a folder of CSV files (bundle, esco) */
    FOW_IMPORT_FILE    /* one CSV file */
} fow_import_input;

/* The type of an option's value. Values are given as text to
 * fow_import_settings_set; a front end with typed input (JSON) checks the
 * type first. */
typedef enum fow_import_option_type {
    FOW_OPTION_TEXT,    /* any text of min..max bytes, no control characters */
    FOW_OPTION_CHOICE,  /* one of choices */
    FOW_OPTION_INTEGER, /* a whole number from min to max */
    FOW_OPTION_BOOLEAN  /* "true" or "false"; a flag on the command line */
} fow_import_option_type;

typedef struct fow_import_option {
    const char *name;           /* neutral: "model", "skip_unknown" */
    fow_import_option_type type;
    const char *value_name;     /* a word for the value in usage lines ("NAME"); NULL for booleans */
    const char *description;    /* one line */
    const char *const *choices; /* FOW_OPTION_CHOICE: NULL-terminated; else NULL */
    long min, max;              /* INTEGER: the range; TEXT: the length in bytes */
    size_t offset;              /* where the value goes in fow_import_options */
} fow_import_option;

/* An option of one kind, and whether that kind requires it. */
typedef struct fow_import_kind_option {
    const fow_import_option *option;
    bool required;
} fow_import_kind_option;

/* Imports from path (a folder or a file, as the kind says) into db. */
typedef fow_code (*fow_import_fn)(fow_db *db, const char *path, const fow_import_options *opt,
                                  fow_import_report *report, fow_error *err);

#define FOW_IMPORT_MAX_OPTIONS 12

typedef struct fow_importer {
    const char *name;        /* "bundle", "esco", "risk", ... */
    const char *description; /* one line */
    fow_import_input input;
    fow_permission permission;                  /* who may run it (through the API) */
    const fow_import_kind_option *options;      /* n_options of them, at most FOW_IMPORT_MAX_OPTIONS */
    size_t n_options;
    fow_import_fn run;
} fow_importer;

/* The kinds, in the order they are listed to users. Never NULL; *n is set
 * to their number. Can't fail. */
const fow_importer *fow_importers(size_t *n);

/* The kind named name, or NULL. name may be NULL (then NULL). */
const fow_importer *fow_importer_find(const char *name);

/* The option named name of kind (with *required set when required is not
 * NULL), or NULL when the kind takes no such option. */
const fow_import_option *fow_importer_option(const fow_importer *kind, const char *name, bool *required);

/* "bundle, esco, risk, attributes, crosswalk or employment" into buf of n
 * bytes (truncated if needed). Returns buf. */
char *fow_importer_names(char *buf, size_t n);

/* Every option of every kind once, in first-seen order, into out (at most
 * max of them). Returns their number. Can't fail. */
size_t fow_import_all_options(const fow_import_option **out, size_t max);

/* True when an upload of kind (files sent to the server, which cannot tell
 * where they come from) must give option name although the command line
 * need not: source, version and licence for the kinds that read one file
 * (their built-in defaults describe the published data sets, which an
 * uploaded file need not be). Can't fail. */
bool fow_importer_upload_requires(const fow_importer *kind, const char *name);

/* ---- settings: one import as a user asked for it ------------------------ */

#define FOW_IMPORT_VALUE_MAX 256

/* A kind and the values of its options, copied in (so a settings object may
 * outlive the text it was filled from, e.g. in a background job). */
typedef struct fow_import_settings {
    const fow_importer *kind;
    bool given[FOW_IMPORT_MAX_OPTIONS];                 /* by the option's index in kind->options */
    char value[FOW_IMPORT_MAX_OPTIONS][FOW_IMPORT_VALUE_MAX];
} fow_import_settings;

/* Starts settings for the kind named name, with no option given. Fails
 * with FOW_EINPUT and field "kind" naming the known kinds. */
fow_code fow_import_settings_init(fow_import_settings *s, const char *name, fow_error *err);

/* Gives option name the value text (booleans: "true" or "false"; integers:
 * decimal digits). Fails with FOW_EINPUT and field name when the kind takes
 * no such option, when it was already given, or when the value is not one
 * the option accepts; the message says what would be. */
fow_code fow_import_settings_set(fow_import_settings *s, const char *name, const char *text, fow_error *err);

/* FOW_OK when every required option is given; else FOW_EINPUT with field
 * the first missing option. */
fow_code fow_import_settings_check(const fow_import_settings *s, fow_error *err);

/* fow_import_settings_check, and then the options an upload must give
 * (fow_importer_upload_requires): FOW_EINPUT naming the first missing one
 * in err->field ("source"). */
fow_code fow_import_settings_check_upload(const fow_import_settings *s, fow_error *err);

/* The value of option name as given, or NULL when not given. */
const char *fow_import_settings_get(const fow_import_settings *s, const char *name);

/* Every option of the kind as a JSON object, in the kind's order: the
 * value given (integers as numbers, booleans as true/false, the rest as
 * strings), or null when not given (false for a boolean). NULL when out of
 * memory. */
json_t *fow_import_settings_json(const fow_import_settings *s);

/* Runs the import s describes on path (checked with
 * fow_import_settings_check first), calling progress (may be NULL) as it
 * goes. Same contract as the kind's function: the database is unchanged on
 * failure. */
fow_code fow_import_run(fow_db *db, const fow_import_settings *s, const char *path, fow_progress_fn progress,
                        void *progress_ctx, fow_import_report *report, fow_error *err);

/* ---- the report --------------------------------------------------------- */

/* The report of an import of kind as JSON, the same for every front end:
 * {"kind", "dataset", "source", "version", "unchanged", "description_updated", "replaced",
 *  "files": [{"file", "rows_read", "rows_imported", "rows_rejected",
 *             "rejected_because": [{"reason", "rows"}]}],
 *  "notes": [...]}.
 * When folder is not NULL, file names and notes that start with it (and a
 * '/') are shown without it (the API hides its upload folder). NULL when out
 * of memory. */
json_t *fow_import_report_json(const char *kind, const fow_import_report *report, const char *folder);

/* The registry as JSON, for the list endpoint and tools: {"kinds": [{"name",
 * "description", "input": "folder"|"file", "options": [{"name", "type":
 * "text"|"choice"|"integer"|"boolean", "required", "description", and
 * "choices", "min"/"max" or "min_length"/"max_length" when they apply}]}]}.
 * NULL when out of memory. */
json_t *fow_importers_json(void);

#endif
