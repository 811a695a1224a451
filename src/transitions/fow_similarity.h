/* fow_similarity.h — how far an origin's skills carry into a destination.
 *
 * The similarity of an origin (an occupation, or a person known by a list of
 * skills) to a destination occupation is asymmetric and lies in 0..1: the
 * share of the destination's requirements that the origin already covers,
 *
 *     sim(o -> d) = sum over skills s of d:  q(s, d) * cover_o(s)
 *     q(s, d)     = w(s) * k(s, d) / sum over skills t of d: w(t) * k(t, d)
 *
 * where w(s) is how informative the skill is (inverse document frequency
 * over occupations: a skill required by 300 occupations says less than one
 * required by 5), k is 1 for an essential and optional_weight for an
 * optional requirement, and cover_o(s) is 1 when the origin holds s (an
 * occupation's optional skill counts origin_optional_credit), otherwise
 * related_credit times the strongest relatedness between s and a skill the
 * origin holds, otherwise 0. Relatedness comes from skill co-occurrence
 * across occupations and from shared words in skill labels; each skill keeps
 * its related_max strongest related skills. docs/transitions.md gives the
 * reasons and the measurements behind every choice and value.
 *
 * This skill similarity is then combined with the work context and the
 * ISCO-08 hierarchy (as Nesta MCC combined measures of its own):
 *
 *     combined(o -> d) = (a * sim + b * context(o, d) + c * isco(o, d)) / (a + b + c)
 *
 * with a = 1 - context_weight - isco_weight, b = context_weight, c =
 * isco_weight; context(o, d) = max(0, 1 - mean |x_o - x_d| / context_scale)
 * over the seven attributes of both (job zone, education, experience,
 * training, remote work, physical proximity, log earnings), each scaled to
 * 0..1 by its range over the model; isco(o, d) = the number of leading ISCO
 * digits the two share / 4. A part unknown for a pair (an occupation without
 * attributes or ISCO group, a person without an occupation) drops out: its
 * weight leaves the denominator. The combination is precomputed for every
 * pair of occupations (2 bytes a pair).
 *
 * A fow_similarity_index is built once from a model and then read-only: any
 * number of threads may use one index at the same time, each with its own
 * fow_similarity_workspace.
 */
#ifndef FOW_SIMILARITY_H
#define FOW_SIMILARITY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "base/fow_snapfile.h"
#include "taxonomy/fow_model.h"

typedef struct fow_similarity_params {
    int idf;                      /* 1: weight skills by informativeness; 0: all weigh 1 */
    float optional_weight;        /* weight of an optional requirement (essential = 1) */
    float origin_optional_credit; /* coverage from an origin occupation's optional skill */
    float related_credit;         /* coverage from a related skill = this * relatedness */
    int related_cooccurrence;     /* 1: relatedness from co-occurrence across occupations */
    int related_words;            /* 1: relatedness from shared words in labels */
    uint32_t related_max;         /* related skills kept per skill */
    float related_min;            /* weakest relatedness kept */
    float reverse_weight;         /* share of the score from the reverse coverage (below) */
    float context_weight;         /* share of the combined score from the work context */
    float isco_weight;            /* share of the combined score from the ISCO hierarchy */
    float context_scale;          /* mean attribute difference at which context reaches 0 */
    float viable;                 /* similarity from which a move is viable */
    float highly_viable;          /* similarity from which a move is highly viable */
    float viable_missing_share;   /* most of a destination's essential skills a viable move may lack */
    /* what counts as held for that rule besides the origin's own skills
     * (fow_essential_skill_status, docs/transitions.md "Viable"): */
    int viable_probable;          /* 1: an origin occupation's probable skills (fow_infer defaults) */
    float viable_related_min;     /* a skill related at least this strongly (0..1) to a held skill; 0: none */
    int viable_hierarchy;         /* 1: a skill broader (ESCO's skill hierarchy) than a held skill; 0: not */
} fow_similarity_params;

/* Fills p with fow's calibrated defaults (docs/transitions.md). Can't fail. */
void fow_similarity_params_default(fow_similarity_params *p);

/* The work context attributes compared (fow_similarity_index). */
#define FOW_CONTEXT_ATTRIBUTES 7

/* Where a relatedness comes from. */
enum { FOW_RELATED_COOCCURRENCE = 1, FOW_RELATED_WORDS = 2 };

typedef struct fow_related_skill {
    uint32_t skill;   /* index into model->skills */
    float strength;   /* relatedness 0..1 */
    uint32_t sources; /* FOW_RELATED_COOCCURRENCE | FOW_RELATED_WORDS */
} fow_related_skill;

/* One requirement of a destination, seen from its skill. */
typedef struct fow_requirement {
    uint32_t occupation; /* index of the destination */
    float share;         /* q(s, d): its share of the destination's total weight */
} fow_requirement;

typedef struct fow_similarity_index {
    const fow_model *model; /* not owned; must outlive the index */
    fow_similarity_params params;
    float *skill_weight;        /* w(s), per skill */
    uint32_t *skill_occupations;/* occupations requiring the skill, per skill */
    /* related skills of skill j: related[related_offsets[j] .. related_offsets[j+1]),
     * strongest first */
    uint32_t *related_offsets;
    fow_related_skill *related;
    /* requirements of skill j: requirements[model->skill_offsets[j] .. [j+1]),
     * in the order of model->skill_links */
    fow_requirement *requirements;
    float *occupation_weight;   /* sum of w * k over each occupation's skills */
    /* per occupation-skill link, in the order of model->occ_links: q(s, d),
     * the link's share of its occupation's total weight (0 when that is 0) */
    float *link_share;
    /* every occupation as an origin, ready to score: the skills it covers
     * with what each adds per requirement share (cover * (1 - reverse_weight))
     * and per requirement (reverse_weight * its own share, 0 unless held):
     * origin_terms[origin_offsets[o] .. origin_offsets[o+1]) */
    uint32_t *origin_offsets;
    struct fow_origin_term *origin_terms;
    /* the combination (file comment): for occupations o, d,
     * pair_parts[o * n + d] holds in its low 14 bits round(extra * 16383),
     * extra = (b * context + c * isco) / den, and in bit 14 whether the
     * context is known for both, in bit 15 whether ISCO is; the skill part
     * is then multiplied by skill_factor[bits >> 14] = a / den. NULL when
     * both weights are 0 (the skill similarity alone). */
    uint16_t *pair_parts;
    uint8_t *occupation_parts; /* per occupation: 1 has work context, 2 has an ISCO group */
    /* per occupation: its FOW_CONTEXT_ATTRIBUTES attributes scaled to 0..1
     * by their range (NAN when unknown), at occupation_context[o * 8 ..] */
    float *occupation_context;
    float skill_factor[4];
    /* every occupation's probable skills (fow_infer.h, its default
     * parameters), most probable first: probable[probable_offsets[o] ..
     * probable_offsets[o+1]); built with the index (fow_infer_index_build) */
    uint32_t *probable_offsets;
    struct fow_probable_entry *probable;
    /* true when the arrays point into a mapped snapshot
     * (fow_similarity_index_snapshot_read), which the index does not own */
    bool mapped;
} fow_similarity_index;

typedef struct fow_probable_entry {
    uint32_t skill; /* index into model->skills */
    float score;    /* the inference's score, 0..1 */
} fow_probable_entry;

typedef struct fow_origin_term {
    uint32_t skill;
    float forward;
    float reverse;
} fow_origin_term;

/* Builds the index for model with params (NULL: the defaults). On success
 * *out owns it (free with fow_similarity_index_free). Fails with FOW_ENOMEM,
 * or FOW_EINPUT when a parameter is out of range (weights and credits must
 * be in 0..1, thresholds in 0..1 with viable <= highly_viable). */
fow_code fow_similarity_index_build(const fow_model *model, const fow_similarity_params *params,
                                    fow_similarity_index **out, fow_error *err);

/* Writes index into the snapshot being written (sections tagged 'S...'),
 * its parameters included. Returns the writer's first error. */
fow_code fow_similarity_index_snapshot_write(const fow_similarity_index *index, fow_snap_writer *w);

/* An index for model read from a snapshot written by
 * fow_similarity_index_snapshot_write for the same model: the arrays are
 * used in place (snap must stay mapped until fow_similarity_index_free).
 * Fails with FOW_EINPUT when a section is missing, does not match the
 * model, or was built with parameters other than params (NULL: the
 * defaults), or FOW_ENOMEM. */
fow_code fow_similarity_index_snapshot_read(const fow_snap *snap, const fow_model *model,
                                            const fow_similarity_params *params, fow_similarity_index **out,
                                            fow_error *err);

/* Frees the index. NULL is allowed. */
void fow_similarity_index_free(fow_similarity_index *index);

/* Per-thread scratch space: the origin's coverage and the scores. */
typedef struct fow_similarity_workspace {
    const fow_similarity_index *index;
    float *cover;        /* per skill: cover_o(s), 0 when not touched */
    float *origin_share; /* per held skill: its share of the origin's own weight */
    uint32_t *cover_via; /* per skill: the held skill that gives related credit, or FOW_NO_INDEX */
    uint8_t *held;       /* per skill: 1 when the origin holds the skill itself */
    uint32_t *touched;   /* skills with cover > 0 */
    uint32_t n_touched;
    float *scores;       /* per occupation, after fow_similarity_scores */
    float *skill_scores; /* per occupation, after fow_similarity_scores: the skill part of scores
                            before the combination (clamp to 1 to use); valid while skill_scores_ready */
    int skill_scores_ready; /* 1 from fow_similarity_scores until the origin is set again */
    float *reverse;      /* per occupation: the reverse coverage, scratch */
    void *ranked;        /* per occupation: 8 bytes of scratch for rankings */
    uint32_t context_of; /* the occupation whose work context and ISCO group the origin has, or FOW_NO_INDEX */
    float *probable;     /* per skill: its probable-skill score when the origin is an occupation that
                            probably has it (index->probable), else 0 */
    uint32_t probable_of;/* the occupation whose probable skills are marked, or FOW_NO_INDEX */
    uint32_t *narrower;  /* per skill not held: a held skill directly narrower than it in ESCO's skill
                            hierarchy (model->skill_parents), else FOW_NO_INDEX */
    uint32_t *broadened; /* the skills whose narrower is set, n_broadened of them */
    uint32_t n_broadened;
} fow_similarity_workspace;

/* Allocates a workspace for index. Returns NULL when out of memory. Free
 * with fow_similarity_workspace_free (NULL allowed). */
fow_similarity_workspace *fow_similarity_workspace_new(const fow_similarity_index *index);
void fow_similarity_workspace_free(fow_similarity_workspace *ws);

/* Sets the workspace's origin to occupation origin (an index into
 * model->occupations, which must be valid), with its probable skills
 * marked in ws->probable. Can't fail. */
void fow_similarity_origin_occupation(fow_similarity_workspace *ws, uint32_t origin);

/* Like fow_similarity_origin_occupation, with n_extra more skills held as
 * if they were essential to the origin (an occupation after learning
 * them). Can't fail. */
void fow_similarity_origin_occupation_plus(fow_similarity_workspace *ws, uint32_t origin, const uint32_t *extra,
                                           uint32_t n_extra);

/* Sets the workspace's origin to a person holding the n given skills
 * (indexes into model->skills; repeats are allowed), with no probable
 * skills (a person's skills are what they confirmed) and no work context
 * (the skill similarity alone) until fow_similarity_origin_context. Can't
 * fail. */
void fow_similarity_origin_skills(fow_similarity_workspace *ws, const uint32_t *skills, uint32_t n);

/* Gives the origin last set the work context and ISCO group of occupation
 * (the person's current occupation), or none with FOW_NO_INDEX. Can't fail. */
void fow_similarity_origin_context(fow_similarity_workspace *ws, uint32_t occupation);

/* The parts of the combined similarity from the origin last set to
 * destination: the skill similarity, the work context and ISCO parts (each
 * 0..1, NAN when unknown for the pair). Can't fail. */
typedef struct fow_similarity_parts {
    float skills, context, isco;
} fow_similarity_parts;
void fow_similarity_parts_to(const fow_similarity_workspace *ws, uint32_t destination, fow_similarity_parts *out);

/* Where the origin last set in a workspace stands on a skill, for the
 * essential skills rule of viability and the gap (docs/transitions.md,
 * "Viable"; fow_essential_skill_status in fow_transitions.h). */
typedef enum fow_skill_status {
    FOW_SKILL_HELD = 0,     /* the origin holds it (an occupation: lists it, essential or optional) */
    FOW_SKILL_PROBABLE = 1, /* not held, but one of the origin occupation's probable skills
                               (params.viable_probable) */
    FOW_SKILL_RELATED = 2,  /* not held, but a held skill is related to it at least
                               params.viable_related_min strongly (ws->cover_via names it) */
    FOW_SKILL_TO_LEARN = 3, /* none of these */
    FOW_SKILL_NARROWER = 4  /* not held, but the origin holds a skill directly narrower than it in ESCO's
                               skill hierarchy (params.viable_hierarchy; ws->narrower names it) */
} fow_skill_status;

/* The status of skill s for the origin last set in ws. Can't fail. */
static inline fow_skill_status fow_similarity_skill_status(const fow_similarity_workspace *ws, uint32_t s) {
    const fow_similarity_params *p = &ws->index->params;
    if (ws->held[s]) return FOW_SKILL_HELD;
    if (p->viable_probable && ws->probable[s] > 0.0f) return FOW_SKILL_PROBABLE;
    if (p->viable_hierarchy && ws->narrower[s] != FOW_NO_INDEX) return FOW_SKILL_NARROWER;
    /* cover = related_credit * relatedness * the held skill's own credit */
    if (p->viable_related_min > 0.0f && ws->cover_via[s] != FOW_NO_INDEX &&
        ws->cover[s] >= p->related_credit * p->viable_related_min - 1e-6f)
        return FOW_SKILL_RELATED;
    return FOW_SKILL_TO_LEARN;
}

/* fow_similarity_parts_to, and in the same pass over the destination's
 * skills its essential skills (*essential_total) and those of them to
 * learn (*essential_to_learn: status FOW_SKILL_TO_LEARN). Can't fail. */
void fow_similarity_parts_and_essentials(const fow_similarity_workspace *ws, uint32_t destination,
                                         fow_similarity_parts *out, uint32_t *essential_total,
                                         uint32_t *essential_to_learn);

/* Computes ws->scores[d] = sim(origin -> d) for every occupation d, from the
 * origin last set. Returns ws->scores. Can't fail. */
const float *fow_similarity_scores(fow_similarity_workspace *ws);

/* The first half of fow_similarity_scores: the skill part of every
 * occupation's similarity (ws->skill_scores) from the origin last set,
 * without combining it with work context and ISCO for all of them; then
 * fow_similarity_score_at gives the similarity of the destinations one
 * needs. For a caller that needs a few destinations' scores of many
 * origins (upskilling: one origin per candidate skill). Can't fail. */
void fow_similarity_skill_scores(fow_similarity_workspace *ws);

/* sim(origin -> d) after fow_similarity_skill_scores (or
 * fow_similarity_scores) for the same origin: the value
 * fow_similarity_scores gives d, to the bit. Can't fail. */
float fow_similarity_score_at(const fow_similarity_workspace *ws, uint32_t d);

/* sim(origin -> destination) for the origin last set, without computing the
 * other scores. Can't fail. */
float fow_similarity_to(const fow_similarity_workspace *ws, uint32_t destination);

/* The k most similar destinations of every occupation (itself excluded),
 * most similar first; ties go to the lower index. Writes
 * model->n_occupations * k entries to destinations and similarities (row
 * origin at origin * k; rows with fewer than k destinations are padded with
 * FOW_NO_INDEX and 0). Uses threads worker threads (1..64); the results do
 * not depend on it. Fails with FOW_ENOMEM or FOW_EINPUT (k or threads out
 * of range). */
fow_code fow_similarity_top_all(const fow_similarity_index *index, uint32_t k, unsigned threads,
                                uint32_t *destinations, float *similarities, fow_error *err);

/* Plain Jaccard overlap of two occupations' skill sets (essential and
 * optional alike), 0..1: the baseline docs/transitions.md compares with. */
float fow_similarity_jaccard(const fow_model *model, uint32_t a, uint32_t b);

#endif
