/* fow_transitions.h — safe and desirable moves, their skill gaps, and the
 * skills that open the most new moves.
 *
 * A transition is a move from an origin (an occupation, or a person known by
 * skills) to a destination occupation. It is judged on three counts, each
 * documented in docs/transitions.md:
 *   viable     similarity >= params.viable and at most
 *              params.viable_missing_share of the destination's essential
 *              skills to learn (fow_essential_skill_status: neither held,
 *              nor probably held, nor covered by a strongly related held
 *              skill) ("highly viable" also needs
 *              similarity >= params.highly_viable);
 *   desirable  the destination keeps at least 75% of the origin's earnings
 *              and its job zone differs by at most 1 (Nesta MCC's rule);
 *              unknown when an attribute of either side is unknown;
 *   safe       the destination is not at high risk and at a meaningfully
 *              lower risk than the origin, under the chosen risk model
 *              (MCC: category not "High risk" and a risk score lower by at
 *              least FOW_SAFE_MARGIN_MCC; Frey & Osborne: probability below
 *              0.7 and lower by at least FOW_SAFE_MARGIN_FREY_OSBORNE); the
 *              rule FOW_SAFE_RULE_LOWER (MCC's own) takes any lower
 *              risk; strictly safe also needs a
 *              higher prevalence of bottleneck tasks (MCC's prevalence);
 *              unknown when a value is unknown.
 * Unknown is never read as yes or no: filters keep only a certain yes.
 *
 * Every function here reads the model and the similarity index only, and
 * writes to the caller's workspace: threads with their own workspaces may
 * run them at once.
 */
#ifndef FOW_TRANSITIONS_H
#define FOW_TRANSITIONS_H

#include <stdint.h>

#include "transitions/fow_similarity.h"

#define FOW_DESIRABLE_EARNINGS_RATIO 0.75f
#define FOW_DESIRABLE_JOB_ZONE_DIFFERENCE 1.0f
#define FOW_FREY_OSBORNE_HIGH_RISK 0.7f
typedef enum fow_tristate { FOW_UNKNOWN = -1, FOW_NO = 0, FOW_YES = 1 } fow_tristate;

typedef enum fow_risk_model { FOW_RISK_MODEL_MCC = 0, FOW_RISK_MODEL_FREY_OSBORNE = 1 } fow_risk_model;

/* The models' resolution (docs/transitions.md, "Safe"): MCC, the median
 * difference between its two published estimates of one occupation (with
 * and without physical tasks); Frey & Osborne, the median difference
 * between two US occupations that the BLS crosswalk puts in one ISCO-08
 * unit group (through which it reaches ESCO). */
#define FOW_SAFE_MARGIN_MCC 0.09f
#define FOW_SAFE_MARGIN_FREY_OSBORNE 0.16f

/* How much lower a safe destination's risk must be. */
typedef enum fow_safe_rule {
    FOW_SAFE_RULE_MARGIN = 0, /* lower by at least the model's margin (default) */
    FOW_SAFE_RULE_LOWER = 1   /* any lower risk (MCC's own rule) */
} fow_safe_rule;

/* "margin" or "lower". */
const char *fow_safe_rule_name(fow_safe_rule rule);

/* Parses "margin" or "lower" into *out. Returns 0, or -1 for anything else. */
int fow_safe_rule_parse(const char *text, fow_safe_rule *out);

/* The margin a safe move's risk must drop by under model and rule (0 for
 * FOW_SAFE_RULE_LOWER). Can't fail. */
float fow_safe_margin(fow_risk_model model, fow_safe_rule rule);

/* "yes", "no" or "unknown". */
const char *fow_tristate_name(fow_tristate t);

/* "mcc" or "frey-osborne". */
const char *fow_risk_model_name(fow_risk_model model);

/* Parses "mcc" or "frey-osborne" into *out. Returns 0, or -1 for anything else. */
int fow_risk_model_parse(const char *text, fow_risk_model *out);

/* What a query keeps. */
typedef struct fow_transition_query {
    fow_risk_model model;
    fow_safe_rule safe_rule;
    int viable_only;      /* 1: only viable moves (the essential skills rule too) */
    int safe;             /* 0 any, 1 safe only, 2 strictly safe only */
    int desirable;        /* 1 desirable only */
    float min_similarity; /* keep destinations at least this similar */
    uint32_t limit;       /* most destinations returned */
} fow_transition_query;

/* Defaults: MCC, the margin rule, no safety or desirability filter,
 * viable moves only, min_similarity = index->params.viable, limit 20.
 * Can't fail. */
void fow_transition_query_default(const fow_similarity_index *index, fow_transition_query *q);

typedef struct fow_transition {
    uint32_t destination;      /* index into model->occupations */
    float similarity;          /* 0..1 */
    uint8_t viable, highly_viable;
    int8_t desirable;          /* fow_tristate */
    int8_t safe;               /* fow_tristate */
    int8_t safe_strict;        /* fow_tristate */
    float earnings_ratio;      /* destination / origin; NAN when unknown */
    float job_zone_difference; /* destination - origin; NAN when unknown */
    float origin_risk;         /* under the query's model; NAN when unknown */
    float destination_risk;    /* NAN when unknown */
    uint32_t essential_missing; /* the destination's essential skills the origin has to learn
                                   (fow_gap_compute's missing list has exactly these) */
    uint32_t essential_total;   /* the destination's essential skills */
    fow_similarity_parts parts; /* the parts of the combined similarity */
} fow_transition;

/* Judges the move origin -> destination at the given similarity under
 * model and rule, for the origin last set in ws (its held skills give the
 * essential counts, on which viability depends); origin (the occupation
 * desirability and safety are judged against) may be FOW_NO_INDEX (then
 * they are unknown). Can't fail. */
void fow_transition_assess(const fow_similarity_workspace *ws, uint32_t origin, uint32_t destination,
                           float similarity, fow_risk_model model, fow_safe_rule rule, fow_transition *out);

/* The status of skill for the origin last set in ws (fow_skill_status in
 * fow_similarity.h): the one definition the essential skills rule and the
 * gap share. Can't fail. */
fow_skill_status fow_essential_skill_status(const fow_similarity_workspace *ws, uint32_t skill);

/* The destination's essential skills, and those of them the origin last
 * set in ws has to learn (FOW_SKILL_TO_LEARN): the counts the transitions
 * list and the gap share. Can't fail. */
void fow_essential_counts(const fow_similarity_workspace *ws, uint32_t destination, uint32_t *total,
                          uint32_t *missing);

/* Whether a move at this similarity with these essential counts is
 * viable under index's parameters. Can't fail. */
int fow_transition_viable(const fow_similarity_index *index, float similarity, uint32_t essential_total,
                          uint32_t essential_missing);

/* Ranks destinations for the origin last set in ws (fow_similarity_origin_*),
 * whose desirability and safety are judged against occupation judge_as
 * (FOW_NO_INDEX: unknown). exclude (FOW_NO_INDEX: none) is never a
 * destination. Writes at most min(q->limit, cap) transitions to out, most
 * similar first (ties to the lower index), each with its gap counts;
 * *n_out gets their number and *n_matching (may be NULL) the number of
 * destinations that pass the filters. Can't fail. */
void fow_transitions_rank(fow_similarity_workspace *ws, uint32_t judge_as, uint32_t exclude,
                          const fow_transition_query *q, fow_transition *out, uint32_t cap, uint32_t *n_out,
                          uint32_t *n_matching);

/* fow_transitions_rank from occupation origin (judged as itself). */
void fow_transitions_from_occupation(fow_similarity_workspace *ws, uint32_t origin, const fow_transition_query *q,
                                     fow_transition *out, uint32_t cap, uint32_t *n_out, uint32_t *n_matching);

/* ---- skill gaps ------------------------------------------------------- */

typedef struct fow_gap_skill {
    uint32_t skill;    /* index into model->skills */
    uint8_t essential; /* for the destination */
    uint8_t held;      /* the origin holds the skill itself */
    float cover;       /* 0..1: how far the origin covers it (1 held, less through a related skill) */
    uint32_t via;      /* the origin's related skill that covers it, or FOW_NO_INDEX */
    float importance;  /* its share of the destination's requirements still uncovered */
    uint8_t probably_held; /* FOW_SKILL_PROBABLE, _NARROWER or _RELATED: counted as held by the
                              essential skills rule, shown as "probably held - confirm" */
    uint8_t status;    /* fow_skill_status */
    float probability; /* probably_held: the inference's score (FOW_SKILL_PROBABLE) or the
                          relatedness to the held skill via (FOW_SKILL_RELATED), 0..1; 1 for
                          FOW_SKILL_NARROWER; else 0 */
    uint32_t narrower; /* not held: a held skill directly narrower than it in ESCO's skill hierarchy
                          (the reason of FOW_SKILL_NARROWER; shown also when that is not counted), or
                          FOW_NO_INDEX */
} fow_gap_skill;

typedef struct fow_gap {
    uint32_t destination;
    float similarity;
    fow_gap_skill *missing;   /* essential skills to learn (FOW_SKILL_TO_LEARN), most important first:
                                 n_missing is the move's essential_missing */
    uint32_t n_missing;
    fow_gap_skill *probable;  /* essential skills not held but probably held (FOW_SKILL_PROBABLE or
                                 FOW_SKILL_RELATED), most important first */
    uint32_t n_probably_held;
    fow_gap_skill *transfers; /* the destination's skills the origin covers, held first, then by importance */
    uint32_t n_transfers;
    uint32_t n_transfer_exact;   /* transfers the origin holds itself */
    uint32_t n_optional_missing; /* optional skills of the destination not covered at all */
} fow_gap;

/* The gap from the origin last set in ws to destination: its essential
 * skills not held split by fow_essential_skill_status into to learn
 * (missing) and probably held (probable), and what the origin covers
 * (transfers). On success *out owns three arrays (free with fow_gap_free,
 * also after a failure). Fails only with FOW_ENOMEM. */
fow_code fow_gap_compute(fow_similarity_workspace *ws, uint32_t destination, fow_gap *out, fow_error *err);

void fow_gap_free(fow_gap *gap);

/* ---- upskilling ------------------------------------------------------- */

typedef struct fow_upskill_option {
    uint32_t skill;           /* index into model->skills */
    uint32_t new_transitions; /* moves that become viable once the skill is learned */
    uint32_t origins;         /* origins that gain at least one (1 for one occupation) */
    uint32_t example;         /* one destination it opens (the most similar), or FOW_NO_INDEX */
    float example_similarity; /* the example's similarity once the skill is learned */
} fow_upskill_option;

typedef struct fow_upskill_result {
    fow_upskill_option *options; /* most new transitions first (ties: more origins, then the higher
                                    example similarity, then the lower skill index) */
    uint32_t n_options;
    uint32_t origins;            /* occupations considered */
    uint32_t current;            /* transitions that pass the query before any learning (summed) */
    uint32_t candidates;         /* skills evaluated (summed over origins) */
} fow_upskill_result;

/* Which single skill, once learned by occupation origin, makes the most new
 * transitions pass q (its safety and desirability filters; similarity at
 * least max(q->min_similarity, viable)). Candidates are the skills of the
 * eligible but not yet viable destinations that the origin lacks, the
 * max_candidates (1..10000) with the most potential; each is evaluated
 * exactly. Keeps the q->limit best options with at least one new transition.
 * Free with fow_upskill_result_free (also after a failure). Fails with
 * FOW_ENOMEM or FOW_EINPUT (max_candidates out of range). */
fow_code fow_upskill_occupation(fow_similarity_workspace *ws, uint32_t origin, const fow_transition_query *q,
                                uint32_t max_candidates, fow_upskill_result *out, fow_error *err);

/* The same summed over n_origins occupations (e.g. an ISCO group): new
 * transitions summed, origins counted. */
fow_code fow_upskill_occupations(fow_similarity_workspace *ws, const uint32_t *origins, uint32_t n_origins,
                                 const fow_transition_query *q, uint32_t max_candidates, fow_upskill_result *out,
                                 fow_error *err);

/* The same for a person holding the n_skills given skills (indexes into
 * model->skills; repeats allowed), whose moves are judged (safety,
 * desirability) against occupation judge_as (FOW_NO_INDEX: unknown, so
 * only q without safety or desirability filters finds options); judge_as
 * is never a destination. origins is 1. Free with
 * fow_upskill_result_free (also after a failure). Fails with FOW_ENOMEM
 * or FOW_EINPUT (max_candidates out of range). */
fow_code fow_upskill_skills(fow_similarity_workspace *ws, const uint32_t *skills, uint32_t n_skills, uint32_t judge_as,
                            const fow_transition_query *q, uint32_t max_candidates, fow_upskill_result *out,
                            fow_error *err);

void fow_upskill_result_free(fow_upskill_result *result);

/* When no destination passes q: the nearest moves that pass its safety and
 * desirability filters whatever their similarity and essential skills
 * (most similar first, at most min(limit, cap), with their gap counts), and
 * the single skill that opens the most such moves for the origin, and the
 * essential skill the most of the nearest moves lack
 * (fow_upskill_occupation with q, from origin_occupation; none when it is
 * FOW_NO_INDEX). The origin is the one last set in ws; judge_as and
 * exclude as for fow_transitions_rank. The workspace's origin is set again
 * to what it was before returning. Fails with FOW_ENOMEM. */
typedef struct fow_transition_fallback {
    fow_transition nearest[5];
    uint32_t n_nearest;
    uint32_t lacking[5][5];   /* per nearest move: its most important essential skills not held */
    uint32_t n_lacking[5];
    fow_upskill_option route; /* route.skill FOW_NO_INDEX when none was found */
    int has_route;
    /* the essential skill the most nearest moves lack (then the largest
     * summed importance), FOW_NO_INDEX when they lack none: the first step
     * when no single skill opens a move */
    uint32_t common_gap;
    uint32_t common_gap_count; /* nearest moves that lack it */
    float common_gap_importance;
} fow_transition_fallback;

fow_code fow_transitions_fallback(fow_similarity_workspace *ws, uint32_t judge_as, uint32_t exclude,
                                  uint32_t origin_occupation, const fow_transition_query *q,
                                  fow_transition_fallback *out, fow_error *err);

/* ---- groups ----------------------------------------------------------- */

/* The occupations whose ISCO-08 unit group starts with code (1 to 4
 * digits), in index order. On success *out is malloc'd (caller frees) and
 * *n its length; FOW_EINPUT when code is not 1 to 4 digits, FOW_ENOTFOUND
 * when no occupation belongs to it, FOW_ENOMEM. */
fow_code fow_occupations_in_group(const fow_model *model, const char *code, uint32_t **out, uint32_t *n,
                                  fow_error *err);

typedef struct fow_group_destination {
    uint32_t destination;
    uint32_t origins;        /* origins of the group that reach it under the query */
    float mean_similarity;   /* over those origins */
    uint8_t in_group;        /* the destination belongs to the group too */
} fow_group_destination;

/* The destinations reached from the most of the n_origins occupations
 * under q (each origin's own filters; its own transitions are not capped by
 * q->limit), most origins first, then higher mean similarity, then lower
 * index. Origins are never their own destinations. Writes at most
 * min(q->limit, cap) to out, *n_out their number, *n_reached (may be NULL)
 * all destinations reached. Fails only with FOW_ENOMEM. */
fow_code fow_transitions_group(fow_similarity_workspace *ws, const uint32_t *origins, uint32_t n_origins,
                               const fow_transition_query *q, fow_group_destination *out, uint32_t cap,
                               uint32_t *n_out, uint32_t *n_reached, fow_error *err);

#endif
