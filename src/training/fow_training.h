/* fow_training.h — the learning catalogue: training providers (with their
 * accreditation), programmes, and the modules they offer, each with the
 * skills it teaches (resolved through the taxonomy), its hours, mode,
 * language, place, cost per participant, prerequisites and eligibility.
 *
 * The catalogue comes from a CSV file, one module a row (docs/training.md),
 * imported through the importer registry as the kind "modules"; it is read
 * back whole (fow_training_load), searched (fow_training_find) and written
 * as JSON once for every front end (fow_training_result_*). */
#ifndef FOW_TRAINING_H
#define FOW_TRAINING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fow_arena.h"
#include "base/fow_error.h"
#include "base/fow_jw.h"
#include "store/fow_db.h"
#include "taxonomy/fow_import.h"

/* Imports the modules of the CSV file path (docs/training.md) as one data
 * set ("modules:" and the source's name, or the file's name), replacing an
 * earlier import of the same data set. Every skill must be in the taxonomy
 * (by URI or label) and every prerequisite module in the same file. On bad
 * input FOW_EINPUT with the file, line, column and the column's name in err,
 * and the database unchanged (one transaction). */
fow_code fow_import_modules(fow_db *db, const char *path, const fow_import_options *opt, fow_import_report *report,
                            fow_error *err);

/* What a module links to: a skill it teaches, or a prerequisite. */
typedef enum fow_training_link_kind {
    FOW_TRAINING_TEACHES,        /* a skill the module teaches */
    FOW_TRAINING_NEEDS_SKILL,    /* a skill a participant needs first */
    FOW_TRAINING_NEEDS_MODULE    /* a module a participant completes first */
} fow_training_link_kind;

typedef struct fow_training_link {
    fow_training_link_kind kind;
    int64_t skill_id;    /* 0 when the skill is no longer in the taxonomy, or for a module */
    const char *uri;     /* the skill's URI ("" for a module) */
    const char *label;   /* the skill's label, or the required module's code */
    int64_t module_id;   /* the required module (FOW_TRAINING_NEEDS_MODULE) */
} fow_training_link;

typedef struct fow_training_module {
    int64_t id;
    const char *code;
    const char *provider, *accreditation, *accreditation_valid_until; /* "" when not stated */
    const char *programme;                                             /* "" for none */
    const char *title_ro, *title_en, *description_ro, *description_en;
    double hours;
    const char *mode; /* "in_person", "online" or "blended" */
    const char *language, *place;
    long long cost_minor; /* per participant, in minor units (bani for RON) */
    const char *currency; /* ISO 4217, e.g. "RON" */
    const char *eligibility;
    long line;            /* its row in the imported file */
    int64_t source_id;
    const fow_training_link *links; /* taught skills first, then prerequisites, each in file order */
    size_t n_links;
} fow_training_module;

/* The whole catalogue, in listing order (by programme, then as imported). */
typedef struct fow_training_catalogue {
    fow_training_module *modules;
    size_t n_modules;
    fow_training_link *links;
    size_t n_links;
    fow_arena text;
} fow_training_catalogue;

/* Reads the catalogue of db into *out (free with fow_training_free, also
 * after a failure). An empty catalogue is not an error. */
fow_code fow_training_load(fow_db *db, fow_training_catalogue *out, fow_error *err);

/* Frees what fow_training_load made. */
void fow_training_free(fow_training_catalogue *c);

/* The module of id, or NULL. */
const fow_training_module *fow_training_module_by_id(const fow_training_catalogue *c, int64_t id);

/* The module of code (exact), or NULL; the first in listing order when
 * two data sets hold the same code. */
const fow_training_module *fow_training_module_by_code(const fow_training_catalogue *c, const char *code);

/* A search of the catalogue. Both are optional (NULL or ""). */
typedef struct fow_training_query {
    const char *skill; /* modules teaching this skill: its URI, or its label (any case) */
    const char *text;  /* words found in a module's code, titles, provider or programme (any case, any accents) */
} fow_training_query;

/* The indexes of the modules matching q, in catalogue order, into a new
 * array *out (free() it; NULL when none) of *n. FOW_EINPUT with field
 * "skill" when q->skill is given and no module teaches a skill of that URI
 * or label and the catalogue holds none by that name, naming it. */
fow_code fow_training_find(const fow_training_catalogue *c, const fow_training_query *q, size_t **out, size_t *n,
                           fow_error *err);

/* {"modules": [module...], "count", "query": {"skill", "text"}, "source"}
 * for the modules of indexes idx (n of them); every module as
 * fow_training_result_module writes it. */
void fow_training_result_modules(fow_jw *w, const fow_training_catalogue *c, const size_t *idx, size_t n,
                                 const fow_training_query *q);

/* One module: {"id", "code", "title": {"ro", "en"}, "description": {"ro",
 * "en"}, "provider": {"name", "accreditation", "accreditation_valid_until"},
 * "programme", "skills": [{"uri", "label", "in_taxonomy"}], "hours", "mode",
 * "language", "place", "cost": {"minor_units", "currency", "amount"},
 * "prerequisites": {"skills": [...], "modules": [{"id", "code"}]},
 * "eligibility", "source": {"source_id", "line"}}. */
void fow_training_result_module(fow_jw *w, const fow_training_catalogue *c, const fow_training_module *m);

#endif
