/* fow_model.h — the taxonomy in memory, read-only, shared by all threads.
 *
 * Built once from the database (fow_model_load), never changed afterwards:
 * any number of threads may read one model at the same time without locks.
 * Occupations and skills are dense arrays (index = position); the
 * occupation x skill relations are compressed sparse rows in both
 * directions (skills of an occupation, occupations of a skill), each entry
 * marked essential or optional. The search index (fow_search.h) lives here
 * too. All strings belong to the model's arena.
 */
#ifndef FOW_MODEL_H
#define FOW_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/fow_arena.h"
#include "base/fow_error.h"
#include "base/fow_snapfile.h"
#include "store/fow_db.h"

#define FOW_NO_INDEX UINT32_MAX

typedef struct fow_model_occupation {
    int64_t id;             /* database id */
    const char *uri;
    const char *code;       /* ESCO code, may be "" */
    const char *isco_group; /* 4-digit ISCO-08, may be "" */
    const char *label;      /* preferred label in the taxonomy's language */
    float risk_mcc;         /* NAN when unknown; 1 (minimal) .. 5 (maximal) */
    float risk_frey_osborne;/* NAN when unknown; probability 0..1 */
    uint32_t parent;        /* index of the parent occupation or FOW_NO_INDEX */
    uint8_t mcc_category;   /* fow_risk_category of the MCC estimate */
    float prevalence_mcc;   /* NAN when unknown; share of bottleneck tasks 0..1 */
    float job_zone;         /* NAN when unknown; O*NET job zone 1..5 */
    float earnings;         /* NAN when unknown; indicative annual earnings (use ratios) */
    const char *skills_sector; /* skills-based sector, "" when unknown */
    /* work context, NAN when unknown (MCC attributes, from O*NET): education
     * level 1..12, related work experience 1..11, on-the-job training 1..9,
     * remote work index 0..1, physical proximity 0..1 */
    float education, experience, training, remote_work, physical_proximity;
} fow_model_occupation;

/* Nesta MCC's risk categories; FOW_RISK_UNKNOWN when there is no estimate. */
typedef enum fow_risk_category {
    FOW_RISK_UNKNOWN = 0,
    FOW_RISK_LOW = 1,   /* "Low risk" */
    FOW_RISK_OTHER = 2, /* "Other" */
    FOW_RISK_HIGH = 3   /* "High risk" */
} fow_risk_category;

typedef struct fow_model_skill {
    int64_t id;
    const char *uri;        /* may be "" */
    const char *label;
    uint8_t is_knowledge;   /* skill_type knowledge (else skill/competence or unknown) */
    uint8_t flags;          /* FOW_SKILL_GREEN | ... */
} fow_model_skill;

enum { FOW_SKILL_GREEN = 1, FOW_SKILL_DIGITAL = 2, FOW_SKILL_TRANSVERSAL = 4, FOW_SKILL_LANGUAGE = 8 };

/* One entry of a sparse row: the other side's index, essential or not, in
 * 4 bytes (the links are most of the model: 1.24 M of each direction at
 * ten times ESCO). Indexes are below FOW_MODEL_MAX_ENTITIES. */
typedef struct fow_model_link {
    uint32_t index : 31;
    uint32_t essential : 1; /* 1 essential, 0 optional */
} fow_model_link;

/* More occupations or skills than a link can name: fow_model_load refuses them. */
#define FOW_MODEL_MAX_ENTITIES ((uint32_t)1 << 31)

/* A label in the search index. */
typedef struct fow_model_term {
    uint32_t folded;   /* offset of the folded text in model->text */
    uint32_t label;    /* offset of the original label in model->text */
    uint32_t entity;   /* index into occupations or skills */
    uint16_t folded_len;
    uint8_t kind;      /* 0 occupation, 1 skill */
    uint8_t preferred; /* 1 preferred label, 0 alternative */
    char lang[8];
} fow_model_term;

/* A word inside a term that is not its first: the search's word matches. */
typedef struct fow_model_word {
    uint32_t term;   /* index into terms */
    uint32_t offset; /* byte offset of the word in the term's folded text */
} fow_model_word;

typedef struct fow_model {
    fow_model_occupation *occupations;
    uint32_t n_occupations;
    fow_model_skill *skills;
    uint32_t n_skills;
    /* skills of occupation i: links[occ_offsets[i] .. occ_offsets[i+1]) */
    uint32_t *occ_offsets;
    fow_model_link *occ_links;
    /* occupations of skill j: skill_links[skill_offsets[j] .. skill_offsets[j+1]) */
    uint32_t *skill_offsets;
    fow_model_link *skill_links;
    uint32_t n_links;
    /* search index: terms sorted by folded text (byte order); words sorted
     * by the folded text from their offset on */
    fow_model_term *terms;
    uint32_t n_terms;
    fow_model_word *words;
    uint32_t n_words;
    /* preferred labels in every language, sorted by (kind, entity, lang):
     * indexes into terms */
    uint32_t *preferred;
    uint32_t n_preferred;
    /* the search's vocabulary and spelling variants (fow_search_index_build):
     * every distinct folded word of the terms, sorted by bytes, each
     * NUL-terminated in vocab_text at the offset vocab[i]; and the variant
     * pairs found in the labels, variants[2k] -> variants[2k + 1] (vocabulary
     * indexes, both directions present), sorted by (from, to) */
    uint32_t *vocab;
    uint32_t n_vocab;
    char *vocab_text;
    size_t vocab_text_len;
    uint32_t *variants;
    uint32_t n_variants; /* pairs */
    /* ESCO's skill hierarchy (fow import skill_hierarchy; empty when not
     * imported): the broader concepts of skill j are
     * skill_parents[skill_parent_offsets[j] .. [j+1]), ascending; an entry
     * below n_skills is a broader skill's index, any other stands for the
     * skill group entry - n_skills (groups numbered 0.. in the database's
     * order; fow_model_skill_group_of) */
    uint32_t *skill_parent_offsets;
    uint32_t *skill_parents;
    uint32_t n_skill_parents;
    char *text; /* all folded texts and labels, NUL-separated (a label that is its own folded text shares its offset) */
    size_t text_len;
    fow_arena arena;
    /* occupations by key, for fow_model_occupation_by_key: open-addressing
     * tables of entries (occupation index << 1 | which key: 0 the URI or the
     * code, 1 the URI's last segment), UINT32_MAX when empty; built when the
     * model is loaded or mapped, owned by the model (malloc) */
    uint32_t *uri_slots;   /* keyed by URI */
    uint32_t *short_slots; /* keyed by code and by the URI's last segment */
    uint32_t key_slots_mask; /* both tables have mask + 1 slots */
    /* skills by key, for fow_model_skill_by_key: entries skill index << 1 |
     * which key (0 the URI, 1 the URI's last segment), UINT32_MAX when
     * empty; and labels by folded text, for fow_model_term_by_folded: the
     * first term of each run of terms with the same folded text. Built like
     * the occupations' tables, owned by the model (malloc) */
    uint32_t *skill_key_slots;
    uint32_t skill_key_mask;
    uint32_t skill_empty_segment; /* the first skill whose URI ends in '/' or ':', or FOW_NO_INDEX */
    uint32_t *label_slots;
    uint32_t label_mask;
    /* true when the arrays other than occupations and skills point into a
     * mapped snapshot (fow_model_snapshot_read), which the model does not own */
    bool mapped;
} fow_model;

/* Builds the model from the database, in one read transaction (the
 * caller's when one is open on db, else its own). On success *out owns it
 * (free with fow_model_free). Fails with FOW_EDB on database errors, FOW_ENOMEM, or
 * FOW_EINPUT when the taxonomy is larger than the model's 32-bit indexes. */
fow_code fow_model_load(fow_db *db, fow_model **out, fow_error *err);

/* Writes model into the snapshot being written (sections tagged 'M...'):
 * its arrays as they are, and occupations and skills with their strings as
 * offsets into a pool. Returns the writer's first error (fow_snap_put). */
fow_code fow_model_snapshot_write(const fow_model *model, fow_snap_writer *w);

/* A model read from a snapshot written by fow_model_snapshot_write: the
 * arrays are used in place (snap must stay mapped until fow_model_free);
 * only occupations and skills are rebuilt, with pointers into the mapping.
 * Checks the sizes, offsets and string references it relies on. Fails with
 * FOW_EINPUT when a section is missing or inconsistent, or FOW_ENOMEM. */
fow_code fow_model_snapshot_read(const fow_snap *snap, fow_model **out, fow_error *err);

/* Frees the model. NULL is allowed. No thread may still be reading it. */
void fow_model_free(fow_model *model);

/* Index of the occupation whose URI is key (by_uri true), or else whose ESCO
 * code or URI's last segment (after the last '/' or ':') is key; when
 * several have it, the one with the lowest index. key is len bytes, not
 * necessarily NUL-terminated. FOW_NO_INDEX when none. O(1) expected. */
uint32_t fow_model_occupation_by_key(const fow_model *model, bool by_uri, const char *key, size_t len);

/* Index of the skill whose URI is key or whose URI's last segment (after
 * its last '/' or ':', when it has one) is key; when several have it, the
 * one with the lowest index (as a scan of the skills in order finds it).
 * key is len bytes, not necessarily NUL-terminated; skills without a URI
 * have no key. FOW_NO_INDEX when none. O(1) expected. */
uint32_t fow_model_skill_by_key(const fow_model *model, const char *key, size_t len);

/* The first term (index into model->terms) whose folded text is exactly
 * folded[0..len); the other terms with that text follow it (terms are
 * sorted by folded text). FOW_NO_INDEX when no term has it. O(1) expected. */
uint32_t fow_model_term_by_folded(const fow_model *model, const char *folded, size_t len);

/* The part of an occupation's URI after its last '/' or ':' (the whole URI
 * when it has neither). */
const char *fow_model_uri_last_segment(const char *uri);

/* Index of the occupation with this database id, or FOW_NO_INDEX. O(log n). */
uint32_t fow_model_occupation_by_id(const fow_model *model, int64_t id);

/* Index of the skill with this database id, or FOW_NO_INDEX. O(log n). */
uint32_t fow_model_skill_by_id(const fow_model *model, int64_t id);

/* The preferred label of occupation (kind 0) or skill (kind 1) entity in
 * language lang ("ro"), or NULL when the taxonomy has none in it. O(log n). */
const char *fow_model_label_in(const fow_model *model, int kind, uint32_t entity, const char *lang);

/* The language in which text is a preferred label of occupation (kind 0)
 * or skill (kind 1) entity (the first such language, in byte order), or
 * NULL when it is none of its preferred labels. O(log n + labels of the
 * entity). */
const char *fow_model_label_lang(const fow_model *model, int kind, uint32_t entity, const char *text);

/* The broader skill an entry of model->skill_parents names, or
 * FOW_NO_INDEX when it names a skill group. */
static inline uint32_t fow_model_broader_skill(const fow_model *model, uint32_t entry) {
    return entry < model->n_skills ? entry : FOW_NO_INDEX;
}

/* Text of a term (folded or original label). */
static inline const char *fow_model_text(const fow_model *model, uint32_t offset) {
    return model->text + offset;
}

#endif
