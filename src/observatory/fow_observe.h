/* fow_observe.h — the local economy observatory: how much of an area's
 * employment is vulnerable to automation, by group, over time and against
 * other places. docs/observatory.md explains every rule stated here.
 *
 * Three steps, each a separate object:
 *   fow_risk_estimates  every risk model's estimate for every ISCO-08 code
 *                       (1 to 4 digits) and ESCO occupation, with how it was
 *                       obtained; loaded once from the database, read-only.
 *   fow_employment      one area's employment table for one year.
 *   fow_observation     the measures: employment-weighted shares by risk
 *                       category, mean risk, distribution, breakdowns.
 *
 * Estimates for an ISCO code. A risk model may publish its own estimates
 * for ISCO groups (MCC publishes 3- and 4-digit ones): those are used as
 * they are. Where it has none for a code, the estimate is aggregated from
 * the ESCO occupations inside the code that carry the model's own estimate
 * (not one inherited from a parent occupation), each weighing the same —
 * the rule MCC used for its own ISCO tables. The aggregated category is
 * not a category but a split: the share of those occupations in each
 * category.
 *
 * Employment rows. Rows of a table may nest (a 2-digit total and 3-digit
 * groups inside it, an ISCO-4 group and ESCO occupations inside it): within
 * one breakdown (sector, sex, age group, education) each person is counted
 * once. A row counts only what its nearest nested rows with a known count
 * do not cover (its remainder, never below 0); masked rows are unknown and
 * their people stay in the remainder of the row around them, if any.
 * A table may also give a dimension both as totals (an empty value) and
 * broken down (sex F and M beside the totals): a view then uses one layer
 * only, the breakdown when the view breaks down by that dimension, the
 * totals otherwise, so that nobody is counted twice.
 *
 * Everything here is plain computation on in-memory data: any number of
 * threads may read one fow_risk_estimates and one fow_employment at once.
 */
#ifndef FOW_OBSERVE_H
#define FOW_OBSERVE_H

#include <stdint.h>

#include "base/fow_arena.h"
#include "base/fow_error.h"
#include "transitions/fow_transitions.h"
#include "store/fow_db.h"
#include "taxonomy/fow_model.h"

/* Risk categories, the same three positions for every model:
 * MCC: "Low risk", "Other", "High risk";
 * Frey & Osborne: low (< 0.3), medium (0.3 to 0.7), high (>= 0.7), their bands. */
enum { FOW_CAT_LOW = 0, FOW_CAT_MIDDLE = 1, FOW_CAT_HIGH = 2, FOW_N_CATS = 3 };
#define FOW_FREY_OSBORNE_LOW_RISK 0.3f

/* The bins of the risk distribution: FOW_RISK_BINS bins of equal width
 * from fow_risk_bin_low(model) to fow_risk_bin_high(model). */
#define FOW_RISK_BINS 20
double fow_risk_bin_low(fow_risk_model model);
double fow_risk_bin_high(fow_risk_model model);

/* The name of category c (FOW_CAT_*) under model: "Low risk", "Other",
 * "High risk" (MCC) or "low", "medium", "high" (Frey & Osborne). */
const char *fow_risk_category_label(fow_risk_model model, int c);

/* How an estimate was obtained. */
typedef enum fow_estimate_method {
    FOW_EST_NONE = 0,       /* no estimate */
    FOW_EST_OCCUPATION = 1, /* an ESCO occupation's own (or inherited) estimate */
    FOW_EST_ISCO_OWN = 2,   /* the model's own estimate for the ISCO code */
    FOW_EST_AGGREGATED = 3  /* mean of the ESCO occupations inside the code */
} fow_estimate_method;

/* "none", "occupation", "isco-own", "aggregated". */
const char *fow_estimate_method_name(fow_estimate_method m);

typedef struct fow_code_estimate {
    double risk;              /* the model's value (MCC 1..5, F&O 0..1); NAN when none */
    double share[FOW_N_CATS]; /* split over the categories, sums to 1; all 0 when none */
    double bins[FOW_RISK_BINS]; /* split over the distribution's bins, sums to 1 */
    uint32_t n_occupations;   /* ESCO occupations aggregated (FOW_EST_AGGREGATED), else 0 */
    uint8_t method;           /* fow_estimate_method */
} fow_code_estimate;

typedef struct fow_risk_estimates fow_risk_estimates;

/* Reads the ISCO-08 groups and both models' estimates (occupation_risk,
 * isco_risk) from db and prepares the estimate of every ISCO code and
 * occupation of model (which must outlive the result). On success *out
 * owns it (fow_risk_estimates_free). Fails with FOW_EDB or FOW_ENOMEM. */
fow_code fow_risk_estimates_load(fow_db *db, const fow_model *model, fow_risk_estimates **out, fow_error *err);

/* Frees. NULL is allowed. */
void fow_risk_estimates_free(fow_risk_estimates *est);

/* Writes est into the snapshot being written (sections tagged 'R...').
 * Returns the writer's first error (FOW_ENOMEM included). */
fow_code fow_risk_estimates_snapshot_write(const fow_risk_estimates *est, fow_snap_writer *w);

/* Estimates for model read from a snapshot written by
 * fow_risk_estimates_snapshot_write for the same model: the tables are used
 * in place (snap must stay mapped until fow_risk_estimates_free). Fails with
 * FOW_EINPUT when a section is missing or does not match the model, or
 * FOW_ENOMEM. */
fow_code fow_risk_estimates_snapshot_read(const fow_snap *snap, const fow_model *model, fow_risk_estimates **out,
                                          fow_error *err);

/* The estimate for ISCO code (1 to 4 digits) under model; method
 * FOW_EST_NONE for an unknown code or one without any estimate. */
const fow_code_estimate *fow_risk_estimate_isco(const fow_risk_estimates *est, fow_risk_model model, const char *code);

/* The estimate for occupation (an index into the model) under model. */
const fow_code_estimate *fow_risk_estimate_occupation(const fow_risk_estimates *est, fow_risk_model model,
                                                      uint32_t occupation);

/* The occupations of the model whose ISCO-08 unit group starts with code
 * (1 to 4 digits): *first points at their indexes (in ISCO order, then
 * index order); returns how many. 0 for none or an invalid code. */
uint32_t fow_risk_estimates_occupations_in(const fow_risk_estimates *est, const char *code, const uint32_t **first);

/* The label of ISCO code, or "" when the taxonomy has none. */
const char *fow_isco_label(const fow_risk_estimates *est, const char *code);

/* The model the estimates belong to. */
const fow_model *fow_risk_estimates_model(const fow_risk_estimates *est);

/* The source of model's estimates ("name version"), or "" when none is imported. */
const char *fow_risk_estimates_source(const fow_risk_estimates *est, fow_risk_model model);

/* ---- employment ------------------------------------------------------ */

typedef struct fow_employment_row {
    char isco[5];          /* 1 to 4 digits, or "" for an ESCO occupation */
    uint32_t occupation;   /* index into the model, or FOW_NO_INDEX */
    const char *sector, *sex, *age_group, *education; /* "" = all */
    double employed;       /* persons as given; NAN when masked */
    double counted;        /* persons counted for this row in the default view (totals where a
                              dimension has both layers): its remainder; 0 when masked or left out */
    const char *breakdown; /* "sector|sex|age|education" */
    double median_wage;    /* NAN when not given */
    long line;             /* line in the imported file */
} fow_employment_row;

typedef struct fow_employment {
    char area[101];
    int year;
    fow_employment_row *rows;
    uint32_t n_rows;
    uint32_t n_masked;     /* rows whose count is masked */
    uint8_t layered[4];    /* sector, sex, age, education: 1 when given both as totals and broken down */
    double given;          /* sum of the rows' known counts as given (nested rows counted twice) */
    double counted;        /* sum of counted: every person once */
    char source[300];      /* the import's source: "name, version" */
    int illustrative;      /* 1 when the source is marked illustrative */
    fow_arena arena;
} fow_employment;

/* Loads the employment of area in year from db, with occupation indexes
 * of model, and works out each row's counted persons. *out owns the rows
 * (fow_employment_free, also after a failure). Fails with FOW_ENOTFOUND
 * when there are no rows: the error's field is "year" (the message lists
 * the area's years) or "area" (it lists the areas there are); FOW_EDB,
 * FOW_ENOMEM. */
fow_code fow_employment_load(fow_db *db, const fow_model *model, const char *area, int year, fow_employment *out,
                             fow_error *err);

void fow_employment_free(fow_employment *emp);

/* The latest year with employment for area into *year, 0 when the area
 * has none. Fails only with FOW_EDB. */
fow_code fow_employment_latest_year(fow_db *db, const char *area, int *year, fow_error *err);

/* The areas with employment, as a JSON array of {area, years: [..], rows,
 * source, illustrative}, sorted by area. NULL with err set on failure. */
struct json_t;
struct json_t *fow_employment_areas_json(fow_db *db, fow_error *err);

/* ---- occupation groups ------------------------------------------------ */

/* A group of occupations defined by ISCO-08 codes: a row belongs to it
 * when its code starts with one of them (an ESCO occupation by its unit
 * group); a row at a coarser code that contains one of them belongs only
 * in part and is reported as "partial", not counted. */
typedef struct fow_occupation_group {
    const char *name;   /* "cultural", "back-office" */
    const char *title;
    const char *source; /* where the definition comes from */
    const char *const *codes; /* NULL-terminated */
} fow_occupation_group;

extern const fow_occupation_group fow_occupation_groups[];
extern const uint32_t fow_n_occupation_groups;

/* The group called name, or NULL. */
const fow_occupation_group *fow_occupation_group_find(const char *name);

/* ---- measures --------------------------------------------------------- */

typedef enum fow_observe_by {
    FOW_BY_NONE = 0,
    FOW_BY_MAJOR,     /* ISCO major group (1 digit) */
    FOW_BY_SUBMAJOR,  /* 2 digits */
    FOW_BY_SECTOR,    /* NACE section or code as given */
    FOW_BY_SEX,
    FOW_BY_AGE,
    FOW_BY_EDUCATION,
    FOW_BY_GROUP      /* the occupation groups: each group, and everyone else */
} fow_observe_by;

/* "none", "major", "submajor", "sector", "sex", "age", "education", "group". */
const char *fow_observe_by_name(fow_observe_by by);
/* Parses the names above; 0, or -1 for anything else. */
int fow_observe_by_parse(const char *text, fow_observe_by *out);

/* The measures of one set of people. */
typedef struct fow_observe_cell {
    char key[64];             /* "2" (major group), "C" (sector), "cultural", "" for the total */
    const char *label;        /* readable name ("" when none) */
    double employed;          /* persons counted (known) */
    double with_estimate;     /* of them, with an estimate under the model */
    double category[FOW_N_CATS]; /* persons in each category */
    double risk_sum;          /* sum of persons x risk (mean = risk_sum / with_estimate) */
    double bins[FOW_RISK_BINS]; /* persons per bin of the distribution */
    double partial;           /* groups: persons in coarser rows only partly inside */
    uint32_t rows;            /* rows counted */
    uint32_t masked;          /* masked rows */
} fow_observe_cell;

/* A unit: a row with its counted persons in the observation's view and
 * its estimate. */
typedef struct fow_observe_unit {
    const fow_employment_row *row;
    double counted;
    const fow_code_estimate *estimate;
} fow_observe_unit;

typedef struct fow_observation {
    fow_risk_model model;
    fow_observe_by by;
    const fow_employment *employment; /* not owned */
    fow_observe_cell total;
    fow_observe_cell *cells;  /* the breakdown, in key order ("other" last for groups) */
    uint32_t n_cells;
    fow_observe_unit *units;  /* rows with counted persons > 0, in row order */
    uint32_t n_units;
    uint32_t left_out;        /* rows of the other layer of a dimension given twice (see above) */
    double by_method[4];      /* persons counted, by fow_estimate_method */
    double by_level[5];       /* persons counted by the code's digits (0 = ESCO occupation) */
} fow_observation;

/* Measures emp under model, with the breakdown by. The result refers to
 * emp and est (both must outlive it). *out owns its arrays
 * (fow_observation_free, also after a failure). Fails only with
 * FOW_ENOMEM. O(rows x log) plus, for groups, rows x group codes. */
fow_code fow_observe(const fow_risk_estimates *est, const fow_employment *emp, fow_risk_model model,
                     fow_observe_by by, fow_observation *out, fow_error *err);

void fow_observation_free(fow_observation *obs);

/* An area's employment in one year and its observation. */
typedef struct fow_area_view {
    fow_employment emp;
    fow_observation obs;
} fow_area_view;

/* Loads area's employment in year from db (fow_employment_load) and
 * observes it under model with the breakdown by (fow_observe). view owns
 * both (fow_area_view_free, also after a failure). Fails as those two do. */
fow_code fow_area_view_load(fow_db *db, const fow_risk_estimates *est, const char *area, int year,
                            fow_risk_model model, fow_observe_by by, fow_area_view *view, fow_error *err);

/* Frees a view's observation and employment; a zeroed view is allowed. */
void fow_area_view_free(fow_area_view *view);

/* Helpers on a cell: the share of its persons with an estimate in category
 * c (0..1), and the mean risk; NAN when no person has an estimate. */
double fow_observe_share(const fow_observe_cell *cell, int c);
double fow_observe_mean(const fow_observe_cell *cell);

#endif
