/* taxonomy_store.h — the SQL of the taxonomy module, the owner of the tables
 * isco_groups, occupations, skills, occupation_labels, skill_labels,
 * occupation_skills, occupation_parents, occupation_risk, isco_risk,
 * soc_risk, occupation_attributes, crosswalk_isco_soc, crosswalk_esco_onet,
 * search_terms, skill_groups and skill_broader. Other modules read those tables only through the
 * fow_taxonomy_ functions below (docs/architecture.md, "One owner per
 * table"). Texts handed to a callback are valid only during the call. */
#ifndef FOW_TAXONOMY_STORE_H
#define FOW_TAXONOMY_STORE_H

#include <stdbool.h>
#include <stddef.h>
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

/* ---- inside the taxonomy module: what the model loads ----
 * The walks below read in one order, stated for each; the caller opens the
 * read transaction (fow_db_read_begin) so that they see one snapshot. */

/* The tables the model counts before it allocates. */
typedef enum taxonomy_counted {
    TAXONOMY_COUNT_OCCUPATIONS,
    TAXONOMY_COUNT_SKILLS,
    TAXONOMY_COUNT_REQUIREMENTS,
    TAXONOMY_COUNT_SEARCH_TERMS
} taxonomy_counted;

/* The number of rows of a table. */
fow_code taxonomy_store_count(fow_db *db, taxonomy_counted what, long long *n, fow_error *err);

/* An occupation as the model keeps it: texts never NULL ("" for none),
 * numbers NAN when unknown; mcc_category NULL when there is none. */
typedef struct taxonomy_model_occupation {
    int64_t id;
    const char *uri, *code, *isco_group, *label;
    double risk_mcc, risk_frey_osborne;
    const char *mcc_category;
    double prevalence_mcc, job_zone, earnings;
    const char *skills_sector;
    /* work context (MCC attributes): education 1..12, related work
     * experience 1..11, on-the-job training 1..9, remote work 0..1,
     * physical proximity 0..1 */
    double education, experience, training, remote_work, physical_proximity;
} taxonomy_model_occupation;

/* Calls visit with every occupation, by id. */
fow_code taxonomy_store_each_model_occupation(
    fow_db *db, fow_code (*visit)(void *ctx, const taxonomy_model_occupation *o, fow_error *err), void *ctx,
    fow_error *err);

/* Calls visit with every (occupation, parent) pair (in no set order). */
fow_code taxonomy_store_each_parent(fow_db *db,
                                    fow_code (*visit)(void *ctx, int64_t occupation_id, int64_t parent_id,
                                                      fow_error *err),
                                    void *ctx, fow_error *err);

/* A skill as the model keeps it (texts never NULL). */
typedef struct taxonomy_model_skill {
    int64_t id;
    const char *uri, *label;
    bool is_knowledge, green, digital, transversal, language;
} taxonomy_model_skill;

/* Calls visit with every skill, by id. */
fow_code taxonomy_store_each_model_skill(fow_db *db,
                                         fow_code (*visit)(void *ctx, const taxonomy_model_skill *s, fow_error *err),
                                         void *ctx, fow_error *err);

/* Calls visit with every occupation-skill row, ordered by occupation, skill,
 * then essential (a skill listed both optional and essential comes twice in
 * a row, optional first). */
fow_code taxonomy_store_each_requirement(fow_db *db,
                                         fow_code (*visit)(void *ctx, int64_t occupation_id, int64_t skill_id,
                                                           bool essential, fow_error *err),
                                         void *ctx, fow_error *err);

/* A row of the search index (texts never NULL; lang "" when none). kind:
 * 0 occupation, 1 skill. */
typedef struct taxonomy_search_term {
    const char *folded;
    size_t folded_len;
    const char *label;
    size_t label_len;
    int kind;
    int64_t entity_id;
    const char *lang;
    bool preferred;
} taxonomy_search_term;

/* Calls visit with every search term, ordered by the folded text's bytes. */
fow_code taxonomy_store_each_search_term(fow_db *db,
                                         fow_code (*visit)(void *ctx, const taxonomy_search_term *t, fow_error *err),
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
    TAXONOMY_CROSSWALK_ESCO_ONET,
    /* what a taxonomy import writes (taxonomy_batch.c) */
    TAXONOMY_ISCO_GROUPS,
    TAXONOMY_OCCUPATIONS,
    TAXONOMY_SKILLS,
    TAXONOMY_OCCUPATION_LABELS,
    TAXONOMY_SKILL_LABELS,
    TAXONOMY_OCCUPATION_SKILLS,
    TAXONOMY_OCCUPATION_PARENTS
} taxonomy_fact_table;

/* Deletes the rows of table that point at source_id (a newer import of the
 * same data set replaces them). Not for TAXONOMY_OCCUPATIONS and
 * TAXONOMY_SKILLS, whose rows go one by one (taxonomy_store_delete_rows). */
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

/* ---- inside the taxonomy module: what a taxonomy import writes ---- */

/* Loads the keys a taxonomy import of source_id resolves references with:
 * occupation URI and skill label to the id when source_id owns the row, to
 * minus the id when another source does; skill URI to id. */
fow_code taxonomy_store_load_keys(fow_db *db, int64_t source_id, fow_strmap *occupation_ids, fow_strmap *skill_ids,
                                  fow_strmap *skill_uris, fow_error *err);

/* Calls visit with the id and key (URI of an occupation, label of a skill)
 * of every row of table (TAXONOMY_OCCUPATIONS or TAXONOMY_SKILLS) that
 * points at source_id. */
fow_code taxonomy_store_each_key_of_source(fow_db *db, taxonomy_fact_table table, int64_t source_id,
                                           fow_code (*visit)(void *ctx, int64_t id, const char *key, size_t key_len,
                                                             fow_error *err),
                                           void *ctx, fow_error *err);

/* Deletes the rows of table (TAXONOMY_OCCUPATIONS or TAXONOMY_SKILLS) with
 * the given ids (what points at them goes with them). */
fow_code taxonomy_store_delete_rows(fow_db *db, taxonomy_fact_table table, const int64_t *ids, size_t n,
                                    fow_error *err);

/* The language of the occupations of a source, into lang (of size n); ""
 * when the source has none. */
fow_code taxonomy_store_source_lang(fow_db *db, int64_t source_id, char *lang, size_t n, fow_error *err);

/* Writes an ISCO-08 group, replacing the label and source of an existing one
 * (writer of TAXONOMY_ISCO_GROUPS). */
fow_code taxonomy_writer_add_group(taxonomy_writer *w, const char *code, const char *label, int64_t source_id,
                                   fow_error *err);

/* What an occupation or a skill is written with (texts may be NULL or "" for
 * none, except the key: uri of an occupation, label of a skill). */
typedef struct taxonomy_entity_row {
    const char *uri;
    const char *label;
    const char *lang;
    const char *description;
    const char *code;        /* occupations */
    const char *isco_group;  /* occupations */
    const char *skill_type;  /* skills */
    const char *reuse_level; /* skills */
    bool green, digital, transversal, language; /* skills */
    int64_t source_id;       /* of a new row; an existing row keeps its own */
} taxonomy_entity_row;

/* Writes an occupation (writer of TAXONOMY_OCCUPATIONS): updates the row
 * with id existing when it is not 0, else inserts one; *id is its id. */
fow_code taxonomy_writer_put_occupation(taxonomy_writer *w, int64_t existing, const taxonomy_entity_row *row,
                                        int64_t *id, fow_error *err);

/* Writes a skill (writer of TAXONOMY_SKILLS) as above. When the row would
 * give a second skill the same label or URI, *clash is set, nothing is
 * written and FOW_OK returned. */
fow_code taxonomy_writer_put_skill(taxonomy_writer *w, int64_t existing, const taxonomy_entity_row *row,
                                   int64_t *id, bool *clash, fow_error *err);

/* Writes a label of an occupation or a skill (writer of
 * TAXONOMY_OCCUPATION_LABELS or TAXONOMY_SKILL_LABELS); the same label again
 * keeps the preferred mark if either has it. */
fow_code taxonomy_writer_add_label(taxonomy_writer *w, int64_t entity_id, const char *lang, const char *label,
                                   bool preferred, int64_t source_id, fow_error *err);

/* Writes a pair (writer of TAXONOMY_OCCUPATION_SKILLS: occupation, skill,
 * essential; or TAXONOMY_OCCUPATION_PARENTS: occupation, parent, essential
 * unused). When the pair is already there, *clash is set, nothing is
 * written and FOW_OK returned. */
fow_code taxonomy_writer_add_pair(taxonomy_writer *w, int64_t first, int64_t second, bool essential,
                                  int64_t source_id, bool *clash, fow_error *err);

/* Calls visit with the URI of one occupation that is, through its parents,
 * nested below itself, when there is one (at most one call). */
fow_code taxonomy_store_find_parent_cycle(fow_db *db,
                                          fow_code (*visit)(void *ctx, const char *uri, fow_error *err), void *ctx,
                                          fow_error *err);

/* The skill collections (green, digital, transversal, language: in this
 * order, as tx_flag_kind). */
enum { TAXONOMY_N_SKILL_FLAGS = 4 };

/* Clears a collection flag on the skills that point at source_id. */
fow_code taxonomy_store_clear_skill_flag(fow_db *db, int flag, int64_t source_id, fow_error *err);

/* Prepares a writer that sets a collection flag on skills. */
fow_code taxonomy_writer_open_skill_flag(fow_db *db, int flag, taxonomy_writer **out, fow_error *err);

/* Sets the writer's flag on a skill. */
fow_code taxonomy_writer_set_skill_flag(taxonomy_writer *w, int64_t skill_id, fow_error *err);

/* ---- inside the taxonomy module: the skill hierarchy (migration 15) ---- */

/* Adds every skill's URI (skills that have one) with its id to map. */
fow_code taxonomy_store_skill_uris(fow_db *db, fow_strmap *map, fow_error *err);

/* Removes the skill groups and broader relations of source_id (a new
 * import of the hierarchy replaces them). */
fow_code taxonomy_store_hierarchy_clear(fow_db *db, int64_t source_id, fow_error *err);

/* Prepared writes of skill groups and broader relations, inside the
 * caller's transaction. Close with taxonomy_hierarchy_writer_close (NULL
 * allowed). */
typedef struct taxonomy_hierarchy_writer taxonomy_hierarchy_writer;
fow_code taxonomy_hierarchy_writer_open(fow_db *db, taxonomy_hierarchy_writer **out, fow_error *err);
void taxonomy_hierarchy_writer_close(taxonomy_hierarchy_writer *w);

/* Writes a skill group (code may be NULL or ""); *id gets its row id. */
fow_code taxonomy_hierarchy_add_group(taxonomy_hierarchy_writer *w, const char *uri, const char *code,
                                      const char *label, int64_t source_id, int64_t *id, fow_error *err);

/* Puts group group_id below group broader_id. */
fow_code taxonomy_hierarchy_set_group_broader(taxonomy_hierarchy_writer *w, int64_t group_id, int64_t broader_id,
                                              fow_error *err);

/* Writes that skill skill_id is narrower than skill broader_skill_id or
 * belongs to group broader_group_id (exactly one of them non-zero). */
fow_code taxonomy_hierarchy_add_broader(taxonomy_hierarchy_writer *w, int64_t skill_id, int64_t broader_skill_id,
                                        int64_t broader_group_id, int64_t source_id, fow_error *err);

/* Calls visit with every broader relation of a skill: its id and either the
 * broader skill's id or the group's id (the other 0), ordered by skill id. */
fow_code taxonomy_store_each_skill_broader(fow_db *db,
                                           fow_code (*visit)(void *ctx, int64_t skill_id, int64_t broader_skill_id,
                                                             int64_t broader_group_id, fow_error *err),
                                           void *ctx, fow_error *err);

#endif
