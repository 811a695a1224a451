/* fow_infer.h — skills an occupation very likely involves though the
 * taxonomy does not list them ("probable skills").
 *
 * ESCO lists, per occupation, essential and optional skills; it leaves out
 * many that the work plainly needs (a call centre agent "communicates with
 * customers", yet ESCO lists that only for occupations next to it). fow
 * infers such skills from two kinds of evidence, both read from the model
 * and its similarity index only (docs/transitions.md, "Probable skills"):
 *
 *   neighbours  the occupations most similar to this one (the similarity
 *               index, both directions averaged), its ESCO parent and the
 *               occupations nested below it: a skill essential for most
 *               of them, weighted by their similarity, is probably part of
 *               this one too (collaborative filtering over the taxonomy);
 *   related     how strongly the skill is related (co-occurrence across
 *               occupations, shared words in labels) to a skill the
 *               occupation lists (fow_similarity.h's related skills).
 *
 *     score(s) = (1 - related_weight) * neighbour_share(s)
 *              + related_weight * relatedness(s)
 *
 * in 0..1, over the skills the occupation does not list (neither essential
 * nor optional). A skill is "probable" when its score is at least
 * params.min_score. The values and their validation (hide a share of each
 * occupation's essential skills, rebuild the model without them, and count
 * how many the inference puts back: precision and recall at k) are in
 * docs/transitions.md and bench/eval_infer.c.
 *
 * Everything reads the model and the index only and writes to the caller's
 * workspace and buffers: threads with their own workspaces may run it at once.
 */
#ifndef FOW_INFER_H
#define FOW_INFER_H

#include <stdint.h>

#include "base/fow_error.h"
#include "taxonomy/fow_model.h"
#include "transitions/fow_similarity.h"
#include "transitions/fow_transitions.h"

/* Most probable skills an occupation gets (the size callers' buffers need). */
#define FOW_INFER_MAX 50

typedef struct fow_infer_params {
    uint32_t neighbours;  /* most similar occupations consulted, 1..200 */
    float hierarchy_weight; /* weight of the ESCO parent and nested occupations, as a similarity 0..1 */
    float related_weight; /* share of the score from relatedness, 0..1 */
    float min_score;      /* a skill is probable from this score, 0..1 */
    uint32_t limit;       /* most probable skills per occupation, 1..FOW_INFER_MAX */
} fow_infer_params;

/* Fills p with fow's validated defaults (docs/transitions.md). Can't fail. */
void fow_infer_params_default(fow_infer_params *p);

/* Checks p; FOW_EINPUT naming the field out of range. */
fow_code fow_infer_params_check(const fow_infer_params *p, fow_error *err);

typedef struct fow_probable_skill {
    uint32_t skill;        /* index into model->skills */
    float score;           /* 0..1 */
    float neighbour_share; /* similarity-weighted share of the neighbours that list it essential, 0..1 */
    float relatedness;     /* strongest relatedness to a skill the occupation lists, 0..1 */
    uint32_t neighbours_listing; /* neighbours that list it essential */
    uint32_t example;      /* the most similar neighbour listing it essential, or FOW_NO_INDEX */
    uint32_t via;          /* the listed skill it is most related to, or FOW_NO_INDEX */
} fow_probable_skill;

/* The probable skills of occupation (an index into the model of ws's
 * index), most probable first (ties to the lower skill index): at most
 * min(params->limit, cap) with score >= params->min_score into out,
 * their number into *n_out. Uses ws (its origin is left set to the
 * occupation). params NULL: the defaults. Fails with FOW_ENOMEM, or
 * FOW_EINPUT when params are out of range. */
fow_code fow_infer_occupation(fow_similarity_workspace *ws, const fow_infer_params *params, uint32_t occupation,
                              fow_probable_skill *out, uint32_t cap, uint32_t *n_out, fow_error *err);

/* Fills index->probable_offsets and index->probable with every
 * occupation's probable skills under the default parameters (at most
 * their limit each), for the viability rule and the gaps
 * (fow_essential_skill_status). Called by fow_similarity_index_build once
 * the rest of the index is ready. Fails only with FOW_ENOMEM. */
fow_code fow_infer_index_build(fow_similarity_index *index, fow_error *err);

/* fow_infer_index_build under params (NULL: the defaults), replacing the
 * probable skills index holds: for the evaluation of looser or stricter
 * inferences (bench/eval_similarity.c --bound). index must have been built
 * by fow_similarity_index_build (not read from a snapshot) and must not be
 * in use by another thread. Fails with FOW_ENOMEM (index unchanged) or
 * FOW_EINPUT naming the parameter out of range. */
fow_code fow_infer_index_build_with(fow_similarity_index *index, const fow_infer_params *params, fow_error *err);

/* ---- validation ---------------------------------------------------------- */

/* A copy of a model with some occupation-skill links removed, for the
 * validation: shares the original's strings, search index and occupations
 * (which must outlive it), owns its new link arrays. */
typedef struct fow_infer_holdout {
    fow_model model;     /* usable wherever a model is read (not with fow_model_free) */
    uint32_t *hidden_offsets; /* hidden skills of occupation o: hidden[hidden_offsets[o] .. [o+1]) */
    uint32_t *hidden;
    uint32_t n_hidden;
    uint32_t n_queries;  /* occupations with at least one hidden skill */
} fow_infer_holdout;

/* Hides, in every occupation with at least min_essential essential skills,
 * round(share * its essential skills) of them (at least 1), chosen by a
 * reproducible pseudo-random draw from seed, and builds the model without
 * those links. share in (0, 1), min_essential >= 2. On success *out owns
 * the copy (free with fow_infer_holdout_free). Fails with FOW_ENOMEM or
 * FOW_EINPUT (share or min_essential out of range). */
fow_code fow_infer_holdout_build(const fow_model *model, double share, uint32_t min_essential, uint64_t seed,
                                 fow_infer_holdout **out, fow_error *err);

/* Frees the copy. NULL is allowed. */
void fow_infer_holdout_free(fow_infer_holdout *holdout);

#endif
