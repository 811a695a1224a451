/* training_store.h — the SQL of the learning catalogue: the only code that
 * reads or writes the training_ tables (providers, programmes, modules, the
 * skills they teach and their prerequisites). The importer and the loader of
 * fow_training.c call these functions; other modules call fow_training.h.
 * Writers run inside the caller's transaction. */
#ifndef FOW_TRAINING_STORE_H
#define FOW_TRAINING_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "store/fow_db.h"

/* A module as stored, with its provider and programme (texts never NULL,
 * "" for none; valid only during the callback that receives them). */
typedef struct training_module_row {
    int64_t id;
    const char *code;
    int64_t provider_id;
    const char *provider, *accreditation, *accreditation_valid_until;
    int64_t programme_id; /* 0: none */
    const char *programme;
    const char *title_ro, *title_en, *description_ro, *description_en;
    double hours;
    const char *mode, *language, *place;
    long long cost_minor;
    const char *currency, *eligibility;
    long line;
    int64_t source_id;
    const char *status;        /* "draft", "submitted", "approved", "rejected"; NULL on writing: "approved" */
    const char *review_reason; /* why it was rejected ("" none) */
    const char *reviewed_by;   /* "" never reviewed */
    long long reviewed_at;     /* 0 never */
    const char *written_by;    /* "" imported; else the account that wrote it in fow */
    long long updated_at;      /* when it was last written in fow; 0 imported */
} training_module_row;

/* A skill a module teaches, or a prerequisite (kind "skill" or "module").
 * skill_id is 0 when the skill is no longer in the taxonomy;
 * required_module_id is set for a module prerequisite. */
typedef struct training_link_row {
    int64_t module_id;
    const char *kind;  /* "teaches", "skill" or "module" */
    int64_t skill_id;
    const char *skill_uri;
    const char *label; /* the skill's label, or the required module's code */
    int64_t required_module_id;
} training_link_row;

/* ---- writing (inside the import's transaction) ---- */

/* Deletes every module, programme and link that source_id brought (an
 * import replaces them). Its providers stay, with their ids (accounts and
 * modules written in fow point at them): training_store_add_provider finds
 * them again and training_store_prune_providers removes those left over. */
fow_code training_store_clear_source(fow_db *db, int64_t source_id, fow_error *err);

/* Deletes the providers of source_id that no module names any more. */
fow_code training_store_prune_providers(fow_db *db, int64_t source_id, fow_error *err);

/* Adds the provider name of source_id, or updates its accreditation when the
 * source has it already; *id is its id (kept from one import to the next). */
fow_code training_store_add_provider(fow_db *db, int64_t source_id, const char *name, const char *accreditation,
                                     const char *valid_until, int64_t *id, fow_error *err);

/* Adds a programme of source_id; *id is its new id. */
fow_code training_store_add_programme(fow_db *db, int64_t source_id, const char *name, int64_t *id, fow_error *err);

/* Adds a module (every field of row but id, provider, accreditation and
 * programme texts, which are ignored); *id is its new id. */
fow_code training_store_add_module(fow_db *db, const training_module_row *row, int64_t *id, fow_error *err);

/* Adds link number position of a module: a skill it teaches (kind
 * "teaches") or a prerequisite ("skill" or "module"). skill_id and
 * required_module_id are stored as NULL when 0. */
fow_code training_store_add_link(fow_db *db, int64_t source_id, int position, const training_link_row *link,
                                 fow_error *err);

/* ---- modules written in fow (each in its own transaction, the caller's) ---- */

/* Rewrites module id from row (every field of training_module_add's but
 * code, line, source_id and provider_id, which stay) and removes its links
 * (the caller adds them again). */
fow_code training_store_update_module(fow_db *db, int64_t id, const training_module_row *row, fow_error *err);

/* Deletes module id with its links (FOW_OK when there is none). */
fow_code training_store_delete_module(fow_db *db, int64_t id, fow_error *err);

/* Sets the status of module id to status, with reason, by and at, when
 * its status now is one of from (NULL-terminated); *changed says whether
 * it was. */
fow_code training_store_set_status(fow_db *db, int64_t id, const char *const *from, const char *status,
                                   const char *reason, const char *by, long long at, bool *changed, fow_error *err);

/* Who owns module id: its provider, status (into status, cap bytes) and
 * whether it was written in fow (not imported); *found false when there is
 * no such module. */
fow_code training_store_module_owner(fow_db *db, int64_t id, int64_t *provider_id, char *status, size_t cap,
                                     bool *written, bool *found, fow_error *err);

/* The code of module id into code (cap bytes; "" when there is none). */
fow_code training_store_module_code(fow_db *db, int64_t id, char *code, size_t cap, fow_error *err);

/* The one provider of the modules with code (a cohort names its module by
 * code) into *provider_id: 0 when no module has the code, or when modules
 * of two providers share it (then no provider owns it alone). */
fow_code training_store_provider_of_code(fow_db *db, const char *code, int64_t *provider_id, fow_error *err);

/* Whether provider id exists (*found), with its name into name (cap bytes). */
fow_code training_store_provider_name(fow_db *db, int64_t id, char *name, size_t cap, bool *found, fow_error *err);

/* The bank account of provider id (iban, bic: "" when none) and its name;
 * *found false when there is no such provider. */
fow_code training_store_provider_bank(fow_db *db, int64_t id, char *name, size_t name_cap, char *iban,
                                      size_t iban_cap, char *bic, size_t bic_cap, bool *found, fow_error *err);

/* Sets the bank account of provider id (bic "" for none); *found false
 * when there is no such provider. */
fow_code training_store_set_provider_bank(fow_db *db, int64_t id, const char *iban, const char *bic, bool *found,
                                          fow_error *err);

/* The number of modules of source_id into *n. */
fow_code training_store_count_modules(fow_db *db, int64_t source_id, long long *n, fow_error *err);

/* ---- reading ---- */

/* Calls visit with every module, ordered by programme name (modules of no
 * programme last), then file line, then id. A code other than FOW_OK from
 * visit stops the walk and is returned. */
fow_code training_store_each_module(fow_db *db,
                                    fow_code (*visit)(void *ctx, const training_module_row *row, fow_error *err),
                                    void *ctx, fow_error *err);

/* Calls visit with every skill taught and every prerequisite, ordered by
 * module id, then taught skills before prerequisites, then position. */
fow_code training_store_each_link(fow_db *db,
                                  fow_code (*visit)(void *ctx, const training_link_row *link, fow_error *err),
                                  void *ctx, fow_error *err);

#endif
