/* taxonomy_batch.h — a taxonomy read from files, before it is written.
 *
 * The ESCO and bundle readers parse their own layouts into this one batch;
 * taxonomy_batch_write resolves references, checks keys and writes the
 * batch in the caller's transaction. Every item remembers where in which
 * file it came from, so a bad reference is reported as file:line:column.
 *
 * The files are read as streams (fow_csv_open_stream), so the batch holds
 * its own copies of what it keeps, compactly: strings in its arena, keys
 * (URIs, skill labels, ISCO codes, small vocabularies) once each in its
 * string table, relations as two key numbers and two 12-byte locations.
 */
#ifndef FOW_TAXONOMY_BATCH_H
#define FOW_TAXONOMY_BATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "base/fow_arena.h"
#include "base/fow_csv.h"
#include "base/fow_strmap.h"
#include "taxonomy/fow_import.h"

/* Where a value came from: line and column of file number file (the
 * batch's readers[file]), in the column named field_names[field]. */
typedef struct tx_loc {
    uint32_t line, column;
    uint16_t file, field;
} tx_loc;

typedef struct tx_occupation {
    const char *uri, *code, *isco_group, *label, *description;
    const char **alt_labels;
    size_t n_alt;
    tx_loc loc;
} tx_occupation;

typedef struct tx_skill {
    const char *label, *uri, *skill_type, *reuse_level, *description;
    int green, digital, transversal, language;
    const char **alt_labels;
    size_t n_alt;
    tx_loc loc;
} tx_skill;

/* keys[occupation] is the occupation's URI; keys[skill] a skill URI
 * (skill_by_uri) or preferred label. */
typedef struct tx_relation {
    uint32_t occupation, skill;
    bool skill_by_uri;
    bool essential;
    tx_loc occupation_loc, skill_loc;
} tx_relation;

/* keys[child] and keys[parent] are occupation URIs. */
typedef struct tx_parent {
    uint32_t child, parent;
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
    fow_csv *readers[24]; /* kept open for their names (their buffers go at their end) */
    size_t n_readers;
    const char *field_names[48]; /* tx_loc.field: the column names the readers gave */
    size_t n_field_names;
    fow_strmap strings;   /* string -> its number in keys */
    const char **keys;    size_t n_keys, cap_keys;
    bool out_of_memory;   /* a taxonomy_keep or taxonomy_key failed */
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

/* Frees what the batch read (items, strings, keys; b->lang too, which may
 * point into them), keeping only its readers (file names) and report
 * sections. taxonomy_batch_free is still needed afterwards. */
void taxonomy_batch_release(taxonomy_batch *b);

/* Opens path with a streaming CSV reader (fow_csv_open_stream) owned by the
 * batch and folds its fingerprint into the batch's. Field strings last until
 * the next record: keep them with taxonomy_keep or taxonomy_key. */
fow_code taxonomy_batch_open(taxonomy_batch *b, const char *path, fow_csv **out, fow_error *err);

/* Location of field i of the current record of csv (a reader of the batch)
 * in the column called field (a string that outlives the batch). */
tx_loc taxonomy_loc(taxonomy_batch *b, fow_csv *csv, int i, const char *field);

/* The file, line, column and column name of loc, as fow_error_set_at takes them. */
typedef struct tx_where {
    const char *file;
    long line, column;
    const char *field;
} tx_where;
tx_where taxonomy_where(const taxonomy_batch *b, tx_loc loc);

/* A copy of s in the batch's arena (NULL stays NULL). Out of memory: NULL,
 * and b->out_of_memory is set (readers check it once per row). */
const char *taxonomy_keep(taxonomy_batch *b, const char *s);

/* s entered once in the batch's string table, for URIs, labels that
 * relations name, and small vocabularies: returns the kept copy, and *key
 * (may be NULL) receives its number (b->keys[*key] is that copy). NULL
 * stays NULL (*key untouched). Out of memory: NULL, b->out_of_memory set. */
const char *taxonomy_key(taxonomy_batch *b, const char *s, uint32_t *key);

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
 * batch, derives values, checks that no data set shrank by more than
 * allowed (unless allow_shrink), rebuilds the search index and commits. */
fow_code taxonomy_import_batch(fow_db *db, taxonomy_batch *b, const char *dataset_base,
                               const char *name, const char *version, const char *licence,
                               const char *url, const char *path, bool allow_shrink,
                               fow_import_report *report, fow_error *err);

#endif
