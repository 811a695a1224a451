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

/* ---- inside the taxonomy module: what its importers write ----
 * Writers run inside the import's transaction. A NAN number or an empty
 * text is stored as NULL. */

/* The tables of occupation facts, each row pointing at its source. */
typedef enum taxonomy_fact_table {
    TAXONOMY_OCCUPATION_RISK,
    TAXONOMY_ISCO_RISK,
    TAXONOMY_SOC_RISK,
    TAXONOMY_ATTRIBUTES,
    TAXONOMY_CROSSWALK_ISCO_SOC,
    TAXONOMY_CROSSWALK_ESCO_ONET
} taxonomy_fact_table;

/* Deletes the rows of table that point at source_id (a newer import of the
 * same data set replaces them). */
fow_code taxonomy_store_clear_source(fow_db *db, taxonomy_fact_table table, int64_t source_id, fow_error *err);

typedef struct taxonomy_writer taxonomy_writer;

/* Prepares a writer of rows of table. On success *out is to be closed with
 * taxonomy_writer_close. */
fow_code taxonomy_writer_open(fow_db *db, taxonomy_fact_table table, taxonomy_writer **out, fow_error *err);

/* Finalizes the writer. NULL is allowed. */
void taxonomy_writer_close(taxonomy_writer *w);

/* One risk value: of an occupation (occupation_id, with the method 'own'),
 * an ISCO-08 code or a SOC 2010 code (code). The non-physical values and
 * onet_code are stored for occupations only, title for SOC codes only. */
typedef struct taxonomy_risk_row {
    int64_t occupation_id;
    const char *code;
    const char *model;
    double risk;
    double prevalence;
    const char *category;
    double risk_nonphysical;
    double prevalence_nonphysical;
    const char *onet_code;
    const char *title;
    int64_t source_id;
} taxonomy_risk_row;

/* Writes a risk value with a writer of TAXONOMY_OCCUPATION_RISK,
 * TAXONOMY_ISCO_RISK or TAXONOMY_SOC_RISK. */
fow_code taxonomy_writer_add_risk(taxonomy_writer *w, const taxonomy_risk_row *row, fow_error *err);

/* The numbers of an occupation's attributes, in the order of the table. */
enum { TAXONOMY_N_ATTRIBUTE_VALUES = 7 };

/* Writes an occupation's own attributes (method 'own'): values[] are
 * job zone, education level, related work experience, on-the-job training,
 * annual earnings (GBP), remote labour index, physical proximity. */
fow_code taxonomy_writer_add_attributes(taxonomy_writer *w, int64_t occupation_id,
                                        const double values[TAXONOMY_N_ATTRIBUTE_VALUES], const char *sector,
                                        const char *subsector, int64_t source_id, fow_error *err);

/* Writes a crosswalk pair: an ISCO-08 code and a SOC 2010 code, or an ESCO
 * occupation URI and an O*NET-SOC code with its confidence (NAN: none). */
fow_code taxonomy_writer_add_crosswalk(taxonomy_writer *w, const char *from, const char *to, double confidence,
                                       int64_t source_id, fow_error *err);

#endif
