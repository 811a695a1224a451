/* taxonomy_batch.h — a taxonomy read from files, before it is written.
 *
 * The ESCO and bundle readers parse their own layouts into this one batch;
 * taxonomy_batch_write resolves references, checks keys and writes the
 * batch in the caller's transaction. Every item remembers where in which
 * file it came from, so a bad reference is reported as file:line:column.
 * Strings point into the CSV readers the batch keeps open, or into its arena.
 */
#ifndef FOW_TAXONOMY_BATCH_H
#define FOW_TAXONOMY_BATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "base/fow_arena.h"
#include "base/fow_csv.h"
#include "taxonomy/fow_import.h"

typedef struct tx_loc {
    const char *file;
    long line, column;
    const char *field;
} tx_loc;

typedef struct tx_occupation {
    const char *uri, *code, *isco_group, *label, *description;
    const char **alt_labels;
    size_t n_alt;
    tx_loc loc;
    long row;
} tx_occupation;

typedef struct tx_skill {
    const char *label, *uri, *skill_type, *reuse_level, *description;
    int green, digital, transversal, language;
    const char **alt_labels;
    size_t n_alt;
    tx_loc loc;
    long row;
} tx_skill;

typedef struct tx_relation {
    const char *occupation_uri;
    const char *skill_key; /* a skill URI (by_uri) or preferred label */
    bool skill_by_uri;
    bool essential;
    tx_loc occupation_loc, skill_loc;
} tx_relation;

typedef struct tx_parent {
    const char *child_uri, *parent_uri;
    tx_loc child_loc, parent_loc;
} tx_parent;

typedef struct tx_group {
    const char *code, *label;
    tx_loc loc;
} tx_group;

/* A translated or extra label for an occupation (by URI) or a skill (by
 * label or URI). */
typedef struct tx_label {
    bool is_skill;
    const char *key;
    const char *lang, *label;
    bool preferred;
    tx_loc key_loc;
} tx_label;

/* A skill collection membership (ESCO's green, digital, transversal and
 * language collections): sets one flag on a skill by URI. */
typedef enum tx_flag_kind { TX_FLAG_GREEN, TX_FLAG_DIGITAL, TX_FLAG_TRANSVERSAL, TX_FLAG_LANGUAGE } tx_flag_kind;
typedef struct tx_flag {
    const char *skill_uri;
    tx_flag_kind kind;
    fow_import_file_report *report; /* the file it came from */
} tx_flag;

typedef struct taxonomy_batch {
    fow_arena arena;
    fow_csv *readers[24]; /* kept open: item strings point into them */
    size_t n_readers;
    const char *lang;     /* language of the labels */
    const fow_import_options *opt; /* for progress reports while writing; may be NULL */

    bool has_occupations, has_skills, has_relations, has_parents, has_groups;
    tx_occupation *occupations; size_t n_occupations, cap_occupations;
    tx_skill *skills;           size_t n_skills, cap_skills;
    tx_relation *relations;     size_t n_relations, cap_relations;
    tx_parent *parents;         size_t n_parents, cap_parents;
    tx_group *groups;           size_t n_groups, cap_groups;
    tx_label *labels;           size_t n_labels, cap_labels;
    tx_flag *flags;             size_t n_flags, cap_flags;

    /* report sections, filled by readers (rows read) and the writer */
    fow_import_file_report *occupations_report, *skills_report, *relations_report,
        *parents_report, *groups_report, *labels_report, *skill_labels_report;
    uint64_t fingerprint;
} taxonomy_batch;

void taxonomy_batch_init(taxonomy_batch *b, const char *lang);
void taxonomy_batch_free(taxonomy_batch *b);

/* Opens path with a CSV reader owned by the batch and folds its fingerprint
 * into the batch's. */
fow_code taxonomy_batch_open(taxonomy_batch *b, const char *path, fow_csv **out, fow_error *err);

/* Location of field i of the current record of csv. */
tx_loc taxonomy_loc(taxonomy_batch *b, fow_csv *csv, int i, const char *field);

/* Splits s at sep (each piece trimmed, empty pieces dropped) into an array
 * in the batch's arena. */
fow_code taxonomy_split(taxonomy_batch *b, const char *s, char sep, const char ***out, size_t *n,
                        fow_error *err);

/* Writes the batch in the caller's transaction as data of source_id.
 * primary: the batch defines occupations and skills (labels in b->lang),
 * replacing what an older version of the same source defined; otherwise it
 * only adds its labels, as translations, to occupations and skills that
 * already exist. */
fow_code taxonomy_batch_write(fow_db *db, taxonomy_batch *b, int64_t source_id, bool primary,
                              fow_import_report *report, fow_error *err);

/* The language the named taxonomy source defined its entities in, into
 * lang (size n); "" when that source has not been imported. */
fow_code taxonomy_primary_lang(fow_db *db, const char *dataset, char *lang, size_t n, fow_error *err);

/* Shared driver: begins a transaction, records the source, writes the
 * batch, derives values, rebuilds the search index and commits. */
fow_code taxonomy_import_batch(fow_db *db, taxonomy_batch *b, const char *dataset_base,
                               const char *name, const char *version, const char *licence,
                               const char *url, const char *path, fow_import_report *report,
                               fow_error *err);

#endif
