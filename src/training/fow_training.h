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
    int64_t provider_id;
    const char *status;        /* "draft", "submitted", "approved" or "rejected" (fow_module_statuses) */
    const char *review_reason; /* why a programme manager rejected it; "" none */
    const char *reviewed_by;   /* "" never reviewed */
    long long reviewed_at;     /* unix seconds; 0 never */
    const char *written_by;    /* "" imported by an admin (approved as imported); else the account that wrote it */
    long long updated_at;      /* unix seconds of the last write in fow; 0 imported */
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

/* Reads the public catalogue of db into *out: the approved modules only
 * (free with fow_training_free, also after a failure). An empty catalogue
 * is not an error. A module's prerequisite may name a module that is not
 * approved (its id and code only). */
fow_code fow_training_load(fow_db *db, fow_training_catalogue *out, fow_error *err);

/* As fow_training_load, with every module whatever its status when
 * every_status (for providers' and programme managers' pages; choose with
 * fow_training_select), else approved ones only. */
fow_code fow_training_load_any(fow_db *db, bool every_status, fow_training_catalogue *out, fow_error *err);

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

/* The indexes of the modules of c with status (NULL or "": any) and of
 * provider provider_id (0: any), in catalogue order, into a new array *out
 * (free() it; NULL when none) of *n. FOW_ENOMEM only. */
fow_code fow_training_select(const fow_training_catalogue *c, const char *status, int64_t provider_id, size_t **out,
                             size_t *n, fow_error *err);

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

/* ---- modules written in fow, and their review (training_edit.c) ----------
 * A provider's staff write modules in the web app or the API; they belong
 * to the data set "modules:written in fow" (a source of their own, so an
 * import never replaces them). A new or changed module is a draft; its
 * provider submits it; a programme manager approves it or rejects it with
 * a reason; only approved modules are in the public catalogue. Imported
 * modules come from an administrator's trusted file: approved as they are
 * imported, and changed only by importing the file again. Who may touch
 * which module is fow_access_provider's rule (fow_accounts.h): the caller
 * checks it with the owner that fow_training_module_owner gives. */

/* The statuses, NULL-terminated: "draft", "submitted", "approved", "rejected". */
extern const char *const fow_module_statuses[];

/* What a module written in fow holds. Texts: NULL is "" (optional ones). */
typedef struct fow_module_input {
    int64_t provider_id;           /* the training provider it belongs to (required, must exist) */
    const char *code;              /* 1..60 bytes, letters, digits, '.', '_', '-'; unique; set at creation only */
    const char *title_ro, *title_en;             /* required, up to 300 bytes */
    const char *description_ro, *description_en; /* up to 4000 bytes */
    double hours;                  /* more than 0, at most 10000 */
    const char *mode;              /* "in_person", "online" or "blended" */
    const char *language;          /* 2 or 3 small letters */
    const char *place;             /* up to 300 bytes */
    long long cost_minor;          /* per participant, minor units, 0 up */
    const char *currency;          /* ISO 4217: 3 capital letters */
    const char *eligibility;       /* up to 2000 bytes */
    const char *const *skills;     /* what it teaches: skill URIs, short ids (ESCO's UUID) or labels; 1..64 */
    size_t n_skills;
    const char *const *prerequisite_skills; /* the same keys, 0..64 */
    size_t n_prerequisite_skills;
    const int64_t *prerequisite_modules;    /* module ids (approved, or of the same provider), 0..64 */
    size_t n_prerequisite_modules;
} fow_module_input;

/* Checks in and writes it as a new draft of in->provider_id, written by
 * actor (an account name) at now; its id into *id. FOW_EINPUT with the
 * field ("code", "title_ro", "hours", "skills", ...) and what is wrong;
 * FOW_ENOTFOUND (field "provider_id") for an unknown provider. One
 * transaction. */
fow_code fow_training_module_create(fow_db *db, const fow_module_input *in, const char *actor, long long now,
                                    int64_t *id, fow_error *err);

/* Rewrites module id (written in fow) from in (its code and provider
 * stay; in->code and in->provider_id are ignored) and makes it a draft
 * again, out of the public catalogue until approved anew. FOW_ENOTFOUND
 * (field "id") for no such module; FOW_EINPUT (field "id") for an
 * imported one; else as fow_training_module_create. */
fow_code fow_training_module_update(fow_db *db, int64_t id, const fow_module_input *in, const char *actor,
                                    long long now, fow_error *err);

/* Deletes module id (written in fow; FOW_EINPUT field "id" for an imported
 * one, FOW_ENOTFOUND when there is none). */
fow_code fow_training_module_delete(fow_db *db, int64_t id, fow_error *err);

/* The owner of module id: *provider_id, and whether it was written in fow
 * (*written; false: imported). FOW_ENOTFOUND (field "id") when there is
 * none. Either output may be NULL. */
fow_code fow_training_module_owner(fow_db *db, int64_t id, int64_t *provider_id, bool *written, fow_error *err);

/* A draft or rejected module goes to review (status "submitted"), by actor
 * at now. FOW_EINPUT (field "status": a front end answers "conflict") from any other status, naming it;
 * FOW_ENOTFOUND (field "id"). */
fow_code fow_training_module_submit(fow_db *db, int64_t id, const char *actor, long long now, fow_error *err);

/* A submitted module is approved, or rejected with reason (1..1000 bytes,
 * required to reject: field "reason"), by actor at now. FOW_EINPUT
 * (field "status") when it is not submitted; FOW_ENOTFOUND (field "id"). */
fow_code fow_training_module_review(fow_db *db, int64_t id, bool approve, const char *reason, const char *actor,
                                    long long now, fow_error *err);

/* The one training provider of the modules with code (a cohort or a
 * credential names its module by code) into *provider_id: 0 when no module
 * has the code, or when modules of two providers share it (then no provider
 * owns it alone). */
fow_code fow_training_provider_of_code(fow_db *db, const char *code, int64_t *provider_id, fow_error *err);

/* The name of provider id into name (cap bytes). FOW_ENOTFOUND (field
 * "provider_id") when there is none. */
fow_code fow_training_provider_name(fow_db *db, int64_t id, char *name, size_t cap, fow_error *err);

/* ---- a provider's bank account (the payments of voucher claims) ---------- */

#define FOW_IBAN_MAX 34 /* characters of an IBAN, without spaces */
#define FOW_BIC_MAX 11

typedef struct fow_provider_bank {
    int64_t provider_id;
    char name[201];               /* the provider's name */
    char iban[FOW_IBAN_MAX + 1];  /* "" when none is recorded */
    char bic[FOW_BIC_MAX + 1];    /* "" when none is recorded */
} fow_provider_bank;

/* Normalises a typed IBAN (spaces removed, letters upper case) into out and
 * checks it: two letters (the country), two check digits, 11..30 letters
 * and digits, and the ISO 13616 check (the number, its first four
 * characters moved to the end and letters read as 10..35, is 1 modulo 97).
 * FOW_OK, or FOW_EINPUT (field field) saying what is wrong. */
fow_code fow_iban_check(const char *typed, const char *field, char out[FOW_IBAN_MAX + 1], fow_error *err);

/* Normalises and checks a BIC (ISO 9362: 4 letters of the bank, 2 of the
 * country, 2 letters or digits of the place, optionally 3 of the branch;
 * upper-cased) into out. FOW_EINPUT (field field) otherwise. */
fow_code fow_bic_check(const char *typed, const char *field, char out[FOW_BIC_MAX + 1], fow_error *err);

/* Records the bank account of training provider provider_id: iban
 * (fow_iban_check, field "iban") and bic (fow_bic_check, field "bic"; may
 * be NULL or "" when the payment is domestic and the bank is found from the
 * IBAN). Kept when the catalogue is imported again. FOW_ENOTFOUND (field
 * "provider_id"); FOW_EDB. */
fow_code fow_training_provider_set_bank(fow_db *db, int64_t provider_id, const char *iban, const char *bic,
                                        fow_error *err);

/* The bank account of training provider provider_id into *out (iban and
 * bic "" when none is recorded). FOW_ENOTFOUND (field "provider_id"). */
fow_code fow_training_provider_bank(fow_db *db, int64_t provider_id, fow_provider_bank *out, fow_error *err);

#endif
