/* taxonomy_store.h — the SQL of the taxonomy module, the owner of the tables
 * isco_groups, occupations, skills, occupation_labels, skill_labels,
 * occupation_skills, occupation_parents, occupation_risk, isco_risk,
 * soc_risk, occupation_attributes, crosswalk_isco_soc, crosswalk_esco_onet
 * and search_terms. Other modules read those tables only through the
 * fow_taxonomy_ functions below (docs/architecture.md, "One owner per
 * table"). Texts handed to a callback are valid only during the call. */
#ifndef FOW_TAXONOMY_STORE_H
#define FOW_TAXONOMY_STORE_H

#include <stdint.h>

#include "base/fow_error.h"
#include "base/fow_strmap.h"
#include "store/fow_db.h"

/* Adds every occupation's URI with its id to map. FOW_ENOMEM, FOW_EDB. */
fow_code fow_taxonomy_occupation_ids(fow_db *db, fow_strmap *map, fow_error *err);

/* Adds every ISCO-08 group code (1 to 4 digits) to map, with the value 1. */
fow_code fow_taxonomy_isco_codes(fow_db *db, fow_strmap *map, fow_error *err);

/* Calls visit with every ISCO-08 group's code and label (in no set order).
 * A code other than FOW_OK from visit stops the walk and is returned. */
fow_code fow_taxonomy_each_isco_group(fow_db *db,
                                      fow_code (*visit)(void *ctx, const char *code, const char *label, fow_error *err),
                                      void *ctx, fow_error *err);

/* One stored risk value: of an occupation (occupation_risk; isco_code NULL)
 * or of an ISCO-08 code (isco_risk; occupation_id 0, method NULL).
 * category and method may be NULL. */
typedef struct fow_stored_risk {
    int64_t occupation_id;
    const char *isco_code;
    const char *model;
    double risk;
    const char *category;
    const char *method;
} fow_stored_risk;

/* Calls visit with every occupation's risk value under every model (own,
 * inherited and crosswalked ones; in no set order). */
fow_code fow_taxonomy_each_occupation_risk(fow_db *db,
                                           fow_code (*visit)(void *ctx, const fow_stored_risk *row, fow_error *err),
                                           void *ctx, fow_error *err);

/* Calls visit with every risk value a model publishes for an ISCO-08 code
 * (in no set order). */
fow_code fow_taxonomy_each_isco_risk(fow_db *db,
                                     fow_code (*visit)(void *ctx, const fow_stored_risk *row, fow_error *err),
                                     void *ctx, fow_error *err);

#endif
