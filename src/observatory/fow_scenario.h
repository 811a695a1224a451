/* fow_scenario.h — transitions at scale and future-of-work scenarios for
 * an area's employment (a fow_observation). docs/scenarios.md explains the
 * model and its limits.
 *
 * From employment to ESCO occupations. Employment known at an ISCO code is
 * spread evenly over the ESCO occupations inside the code (the table does
 * not say how many work in each): for transitions at scale over those of
 * the code's occupations in the high-risk category (all of them when none
 * is), for scenarios over those with an estimate (all when none has).
 *
 * Move profiles. Each ESCO occupation's safe and desirable moves under a
 * risk model (fow_transitions: safe, desirable, similarity >= viable),
 * the best moves_per_worker of them with the essential skills each
 * destination requires that the origin does not hold. A worker who must
 * move is spread evenly over the best moves of the occupation: each move
 * takes 1/k of the worker, and each missing skill of the move 1/k of a
 * learner.
 *
 * Capacity (transitions at scale). A destination occupation takes in at
 * most capacity_share of its own employment in the area per year, over
 * capacity_years years. Its employment is the area's, spread as above over
 * the ESCO occupations of each row's code. Workers are placed in rounds:
 * each origin's remaining workers are spread evenly over its moves whose
 * destinations still have room; a destination asked for more than its room
 * takes the same fraction of every inflow and is then full. What no move
 * can take stays unplaced, so placed + unplaced = the workers who move.
 *
 * Scenarios. Adoption of automation follows a logistic curve in years t
 * after the start:
 *     L(t) = 1 / (1 + exp(-speed * (t - midpoint)))
 *     A(t) = ceiling * (L(t) - L(0)) / (1 - L(0))        (A(0) = 0)
 * An occupation's exposure x is the share of its work that automation can
 * take over (fow_exposure): Frey & Osborne's probability; under MCC the
 * exposure level of its category (the mean share of tasks that are not
 * bottlenecks, 1 - prevalence, over the occupations of that category; a
 * split of categories gives the weighted mean of the levels). The band of
 * every figure is the envelope of the row's exposure ranges under both
 * models (fow_exposure_range: MCC's category quartiles, Frey & Osborne's
 * probability), so it covers the two models and the spread of MCC's
 * categories. Displaced jobs in year t of a unit of employment E with
 * exposure x:  E * x * (A(t) - A(t-1)). So never more than
 * E * x * ceiling <= E are displaced. A share of the displaced retrain;
 * each learner of a missing skill needs hours_per_skill hours; the voucher
 * budget is hours x cost_per_hour.
 */
#ifndef FOW_SCENARIO_H
#define FOW_SCENARIO_H

#include <stdint.h>

#include "observatory/fow_observe.h"
#include "transitions/fow_similarity.h"
#include "transitions/fow_transitions.h"

/* ---- move profiles ---------------------------------------------------- */

typedef struct fow_profile_move {
    uint32_t destination; /* index into the model */
    float similarity;
    uint32_t gap_first;   /* the missing essential skills: skills[gap_first .. gap_first + n_gap) */
    uint32_t n_gap;
} fow_profile_move;

typedef struct fow_move_profiles {
    const fow_similarity_index *index; /* not owned */
    fow_risk_model model;
    uint32_t moves_per_worker;  /* k */
    uint32_t n_occupations;
    uint8_t *computed;          /* per occupation: 1 when its profile is here */
    uint32_t *n_matching;       /* per occupation: all its safe and desirable moves */
    uint32_t *first;            /* per occupation: moves[first[o] .. first[o] + n_moves[o]) */
    uint8_t *n_moves;
    fow_profile_move *moves;
    uint32_t n_moves_total;
    uint32_t *skills;           /* skill indexes of the gaps */
    uint32_t n_skills_total;
} fow_move_profiles;

/* Computes the profiles of the n_origins occupations origins (NULL: all
 * occupations of the model; no occupation twice) under model, with k =
 * moves_per_worker (1..50)
 * best moves each, on `threads` threads (0: the machine's cores, at most
 * 8). *out owns the result (fow_move_profiles_free, also after a failure).
 * Fails with FOW_EINPUT (k out of range) or FOW_ENOMEM. */
fow_code fow_move_profiles_build(const fow_similarity_index *index, fow_risk_model model, const uint32_t *origins,
                                 uint32_t n_origins, uint32_t moves_per_worker, uint32_t threads,
                                 fow_move_profiles **out, fow_error *err);

void fow_move_profiles_free(fow_move_profiles *p);

/* The ESCO occupations the workers of the observation's units go to:
 * high_risk_only 1 for transitions at scale, 0 for scenarios. *out is
 * malloc'd (caller frees), without repeats, in index order. Fails only with
 * FOW_ENOMEM. */
fow_code fow_observation_origins(const fow_risk_estimates *est, const fow_observation *obs, int high_risk_only,
                                 uint32_t **out, uint32_t *n, fow_error *err);

/* ---- weighted counts ----------------------------------------------------- */

typedef struct fow_weighted {
    uint32_t index;   /* an occupation or a skill of the model */
    double workers;   /* workers (or learners), fractional */
    uint32_t origins; /* origin occupations contributing */
    double low, high; /* scenarios: the band of workers (see "the band" above) */
    double wanted;    /* scenario destinations: workers who would go there without a limit */
    double capacity;  /* scenario destinations: its room over the horizon */
} fow_weighted;

/* A figure's band (low <= figure <= high). */
typedef struct fow_range {
    double low, high;
} fow_range;

/* ---- transitions at scale ---------------------------------------------- */

typedef struct fow_scale_origin {
    uint32_t occupation;
    double workers;      /* high-risk workers assigned to it */
    uint32_t moves;      /* its safe and desirable moves (all) */
    double placed;       /* of its workers, placed in a destination with room */
} fow_scale_origin;

/* The limit on what destinations take in. */
typedef struct fow_capacity {
    double share; /* of a destination's employment in the area, per year: 0..1 */
    int years;    /* the years over which workers move: 1..50 */
} fow_capacity;

#define FOW_CAPACITY_SHARE_DEFAULT 0.05
#define FOW_CAPACITY_YEARS_DEFAULT 10

/* Fills c with the defaults above. */
void fow_capacity_default(fow_capacity *c);

/* Checks c; FOW_EINPUT naming capacity_share or capacity_years. */
fow_code fow_capacity_check(const fow_capacity *c, fow_error *err);

typedef struct fow_scale_destination {
    uint32_t occupation;
    double wanted;       /* workers who would go there without a limit (spread evenly over the best moves) */
    double placed;       /* workers placed there */
    double employment;   /* its employment in the area (spread from the rows' codes) */
    double capacity;     /* share x employment x years */
    uint32_t origins;    /* origin occupations with a move there */
} fow_scale_destination;

typedef struct fow_scale_result {
    uint32_t min_moves;          /* N */
    fow_capacity capacity;
    double high_risk_workers;    /* workers in the high-risk category */
    double with_min_moves;       /* of them, in occupations with at least N moves */
    double without_moves;        /* in occupations with none (unplaced) */
    double no_occupation;        /* in units with no ESCO occupation to go to (unplaced) */
    double no_room;              /* with moves, but every destination of them full (unplaced) */
    double placed;               /* placed: placed + unplaced = high_risk_workers */
    double unplaced;             /* without_moves + no_occupation + no_room */
    uint32_t full_destinations;  /* destinations that took in their whole capacity */
    fow_scale_origin *origins;   /* most workers first */
    uint32_t n_origins;
    fow_scale_destination *destinations; /* most placed first, then most wanted */
    uint32_t n_destinations;
    fow_weighted *skills;        /* learners among the placed workers, most first */
    uint32_t n_skills;
} fow_scale_result;

/* Transitions at scale for the high-risk workers of obs, from profiles
 * that cover fow_observation_origins(.., 1, ..) (occupations without a
 * computed profile count as having no moves), with destinations limited by
 * capacity (NULL: the defaults). *out owns its arrays
 * (fow_scale_result_free, also after a failure). Fails with FOW_EINPUT
 * (fow_capacity_check) or FOW_ENOMEM. */
fow_code fow_transitions_at_scale(const fow_risk_estimates *est, const fow_observation *obs,
                                  const fow_move_profiles *profiles, uint32_t min_moves,
                                  const fow_capacity *capacity, fow_scale_result *out, fow_error *err);

void fow_scale_result_free(fow_scale_result *r);

/* ---- scenarios ---------------------------------------------------------- */

typedef struct fow_scenario_params {
    char adoption[16];      /* "slow", "medium", "fast" or "custom" */
    double ceiling;         /* share of exposed work automated in the end, 0..1 */
    double speed;           /* steepness of the logistic curve, per year, > 0 */
    double midpoint;        /* years from the start to the curve's midpoint, >= 0 */
    int years;              /* horizon, 1..100 */
    double retrain_share;   /* share of displaced workers who retrain, 0..1 */
    double hours_per_skill; /* training hours per missing essential skill, > 0 */
    double cost_per_hour;   /* voucher cost of one training hour (EUR), >= 0 */
    double capacity_share;  /* of a destination's employment it takes in per year, 0..1 (FOW_CAPACITY_SHARE_DEFAULT) */
} fow_scenario_params;

/* Fills p with the preset adoption ("slow", "medium", "fast") and the
 * defaults of the other parameters (20 years, retrain_share 1,
 * hours_per_skill 40, cost_per_hour 10, capacity_share 0.05). Returns 0, or -1 for an unknown
 * name (p is left with the medium preset). */
int fow_scenario_preset(const char *adoption, fow_scenario_params *p);

/* Checks p; FOW_EINPUT naming the parameter that is out of range. */
fow_code fow_scenario_params_check(const fow_scenario_params *p, fow_error *err);

/* A(t) of p for t years after the start (0 at t = 0). */
double fow_scenario_adoption(const fow_scenario_params *p, double t);

/* How MCC's categories map to exposure: the level of each category
 * (FOW_CAT_*), the mean of 1 - prevalence of bottleneck tasks over the
 * occupations of the category that carry MCC's own values (those not
 * nested below another occupation), its lower and upper quartile over the
 * same occupations (linear interpolation between the order statistics at
 * (n - 1) / 4 and 3 (n - 1) / 4), and how many there were. A category
 * without such occupations keeps the values of MCC's published data
 * (FOW_EXPOSURE_LEVEL_*; n 0). */
typedef struct fow_exposure_levels {
    double level[FOW_N_CATS];
    double low[FOW_N_CATS], high[FOW_N_CATS]; /* the quartiles */
    uint32_t n[FOW_N_CATS];
} fow_exposure_levels;

/* The levels of Nesta's MCC data (2020) on ESCO v1.2.0, measured over its
 * 180 Low risk, 1,228 Other and 216 High risk occupations that are not
 * nested below another (docs/scenarios.md): mean, lower and upper quartile. */
#define FOW_EXPOSURE_LEVEL_LOW 0.091
#define FOW_EXPOSURE_LEVEL_MIDDLE 0.364
#define FOW_EXPOSURE_LEVEL_HIGH 0.679
#define FOW_EXPOSURE_QUARTILES_LOW 0.043, 0.137
#define FOW_EXPOSURE_QUARTILES_MIDDLE 0.234, 0.475
#define FOW_EXPOSURE_QUARTILES_HIGH 0.584, 0.747

/* Works out the levels from the model's occupations (a scratch array of
 * the model's size is allocated). Fails only with FOW_ENOMEM. */
fow_code fow_exposure_levels_calibrate(const fow_model *m, fow_exposure_levels *out, fow_error *err);

/* The 0..1 exposure of an estimate under model (levels: MCC's, from
 * fow_exposure_levels_calibrate); NAN when there is no estimate. */
double fow_exposure(fow_risk_model model, const fow_exposure_levels *levels, const fow_code_estimate *e);

/* The range of an estimate's exposure under model: MCC's category
 * quartiles (weighted by the estimate's split, as the level is), or Frey &
 * Osborne's probability itself. NAN in both when there is no estimate. */
fow_range fow_exposure_range(fow_risk_model model, const fow_exposure_levels *levels, const fow_code_estimate *e);

typedef struct fow_scenario_year {
    int year;            /* calendar year (the employment's year + t) */
    double adoption;     /* A(t) */
    double displaced;    /* jobs displaced in the year */
    double cumulative;   /* since the start */
    double retraining;   /* workers who retrain in the year (= training places) */
    double hours;        /* training hours */
    double budget;       /* hours x cost_per_hour */
    fow_range displaced_band, cumulative_band, retraining_band, hours_band, budget_band;
} fow_scenario_year;

typedef struct fow_scenario_unit {
    uint32_t unit;       /* index into obs->units */
    double exposure;     /* NAN when the unit has no estimate (then nothing is displaced) */
    double displaced;    /* over the horizon */
    double other_exposure; /* under the other model; NAN when it has none */
    fow_range exposure_band, displaced_band;
} fow_scenario_unit;

typedef struct fow_scenario_result {
    fow_scenario_params params;
    int start_year;
    double employed;          /* persons counted */
    double exposed;           /* persons with an estimate */
    double mean_exposure;     /* employment-weighted, over those with an estimate */
    fow_exposure_levels levels; /* MCC's categories to exposure */
    double both_models;       /* persons with an estimate under both models */
    fow_range mean_exposure_band, displaced_band, retraining_band, hours_band, budget_band, without_moves_band;
    fow_scenario_year *years; /* params.years entries, t = 1.. */
    uint32_t n_years;
    double displaced, retraining, hours, budget; /* totals over the horizon */
    double without_moves;     /* retraining workers whose occupation has no safe and desirable move */
    double placed;            /* retraining workers placed in destinations with room (over the horizon:
                                 capacity_share x the destination's employment x years) */
    double no_room;           /* retraining workers with moves whose destinations are full:
                                 placed + no_room + without_moves = retraining */
    fow_range placed_band, no_room_band;
    fow_weighted *destinations; /* placed retraining workers by destination, most first (wanted and
                                   capacity filled) */
    uint32_t n_destinations;
    fow_weighted *skills;       /* learners by missing skill, most first */
    uint32_t n_skills;
    fow_scenario_unit *units;   /* per unit of obs, most displaced first */
    uint32_t n_units;
} fow_scenario_result;

/* Runs scenario p on obs with profiles covering
 * fow_observation_origins(.., 0, ..). The same inputs always give the same
 * result. *out owns its arrays (fow_scenario_result_free, also after a
 * failure). Fails with FOW_EINPUT (fow_scenario_params_check) or
 * FOW_ENOMEM. */
fow_code fow_scenario_run(const fow_risk_estimates *est, const fow_observation *obs, const fow_move_profiles *profiles,
                          const fow_scenario_params *p, fow_scenario_result *out, fow_error *err);

void fow_scenario_result_free(fow_scenario_result *r);

#endif
