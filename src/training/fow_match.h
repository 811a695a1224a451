/* fow_match.h — from a skill gap to the modules that close it, and from the
 * gaps of an area's at-risk workforce to the courses to commission.
 *
 * The match is a prize-collecting weighted set cover (docs/training.md,
 * "From a gap to modules"):
 *
 *   minimise   sum over chosen modules m of cost(m)
 *            + sum over needed skills s left uncovered of value(s)
 *
 *   cost(m)  = its cost per participant (minor units)
 *            + hour_value x its hours          (the learner's time)
 *   value(s) = weight(s) x skill_value, weight essential_weight (3) for
 *              an essential skill of the destination, optional_weight (1)
 *              for an optional one
 *
 * so every skill worth more than the cheapest way of teaching it is
 * covered, essential ones first. Adding, per skill, a set "leave it
 * uncovered" of cost value(s) makes it a plain weighted set cover: the
 * greedy (cheapest cost per newly covered skill, then redundant modules
 * dropped) costs at most H(d) <= 1 + ln d times the optimum, d the most
 * skills one choice covers; with at most exact_max useful candidates the
 * solver is exact (branch and bound, seeded with the greedy's plan, bounded
 * by each skill's cheapest share of a module's cost).
 *
 * Prerequisites: a module's prerequisite modules come with it (a candidate
 * is a bundle: the module, its prerequisite modules, and for each
 * prerequisite skill the person lacks the cheapest bundle teaching it),
 * unless the person holds every skill the prerequisite module teaches. A
 * module whose prerequisite cannot be met is excluded with the reason, as
 * is a module in a language not asked for or in another currency.
 *
 * Every function reads the catalogue and the index only: threads may share
 * them. */
#ifndef FOW_MATCH_H
#define FOW_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "training/fow_training.h"
#include "store/fow_db.h"
#include "transitions/fow_transitions.h"

/* Most needed skills one match takes (the rest is an input error). */
#define FOW_MATCH_MAX_NEEDS 512
/* Most languages a match may ask for. */
#define FOW_MATCH_MAX_LANGUAGES 8
/* Useful candidates the exact solver accepts at most (exact_max's bound). */
#define FOW_MATCH_EXACT_LIMIT 24
/* Branch-and-bound nodes after which the exact search gives up (the plan
 * is then the greedy's, and says so). */
#define FOW_MATCH_NODE_LIMIT 2000000

/* The catalogue indexed for matching: modules by the skills they teach,
 * modules by id. Read-only once built. */
typedef struct fow_match_index fow_match_index;

/* Builds the index of catalogue c (which must outlive it) into *out (free
 * with fow_match_index_free, also after a failure). Fails only with
 * FOW_ENOMEM. */
fow_code fow_match_index_build(const fow_training_catalogue *c, fow_match_index **out, fow_error *err);

/* Frees an index; NULL is allowed. */
void fow_match_index_free(fow_match_index *x);

/* The catalogue the index was built on. Can't fail. */
const fow_training_catalogue *fow_match_index_catalogue(const fow_match_index *x);

/* The currency of the most modules (ties: the first in catalogue order),
 * "" for an empty catalogue. Can't fail. */
const char *fow_match_index_currency(const fow_match_index *x);

/* Which solver: the exact one when the candidates allow, else the greedy;
 * or one of them whatever the size (exact still gives up beyond
 * FOW_MATCH_EXACT_LIMIT candidates or FOW_MATCH_NODE_LIMIT nodes). */
typedef enum fow_match_solver {
    FOW_MATCH_SOLVER_AUTO = 0,
    FOW_MATCH_SOLVER_GREEDY = 1,
    FOW_MATCH_SOLVER_EXACT = 2
} fow_match_solver;

/* "auto", "greedy", "exact". */
const char *fow_match_solver_name(fow_match_solver s);

/* Parses the names above into *out; 0, or -1 for anything else. */
int fow_match_solver_parse(const char *text, fow_match_solver *out);

typedef struct fow_match_params {
    const char *languages[FOW_MATCH_MAX_LANGUAGES]; /* teaching languages accepted; none given: any */
    size_t n_languages;
    const char *currency;     /* the plan's currency; NULL or "": fow_match_index_currency */
    long long hour_value;     /* minor units an hour of the learner's time counts for, 0.. 1,000,000 */
    long long skill_value;    /* minor units a skill of weight 1 is worth, 1 .. 10^10 */
    uint32_t essential_weight, optional_weight; /* 1..100 each; essential >= optional */
    uint32_t exact_max;       /* exact when the useful candidates are at most this, 0..FOW_MATCH_EXACT_LIMIT */
    fow_match_solver solver;
    /* dates: per catalogue module (by index), 1 when an open cohort of it
     * starts on or after starts_after (fow_match_cohort_flags); a module
     * with 0 is excluded (FOW_MATCH_EXCLUDED_NO_COHORT). NULL: dates are
     * not considered. */
    const uint8_t *has_cohort;
    const char *starts_after; /* YYYY-MM-DD, with has_cohort */
} fow_match_params;

/* fow's defaults: any language, the catalogue's currency, an hour worth
 * 2000 minor units (20.00 RON), a skill of weight 1 worth 100000 (1,000.00
 * RON), essential 3 and optional 1, exact up to 20 useful candidates, auto.
 * Can't fail. */
void fow_match_params_default(fow_match_params *p);

/* Checks p; FOW_EINPUT naming the field (languages, currency, hour_value,
 * skill_value, essential_weight, optional_weight, exact_max) out of range. */
fow_code fow_match_params_check(const fow_match_params *p, fow_error *err);

/* Splits text ("ro,en"; commas or spaces) into p's languages, each 2 to 8
 * letters a..z. FOW_EINPUT (field "languages") naming the bad item, or
 * when there are more than FOW_MATCH_MAX_LANGUAGES. text is copied into
 * buf (cap bytes), which p's languages then point into. */
fow_code fow_match_params_languages(fow_match_params *p, const char *text, char *buf, size_t cap, fow_error *err);

/* A skill to learn. */
typedef struct fow_match_need {
    int64_t skill_id;  /* the taxonomy's id (fow_model_skill.id) */
    const char *label; /* borrowed */
    const char *uri;   /* borrowed; may be "" */
    uint8_t essential; /* for the destination */
    uint32_t model_index; /* the caller's own reference (e.g. the model's skill index) */
} fow_match_need;

/* What became of a needed skill. */
typedef enum fow_match_status {
    FOW_MATCH_COVERED = 0,      /* a chosen module teaches it */
    FOW_MATCH_NOT_TAUGHT,       /* no module of the catalogue teaches it */
    FOW_MATCH_ONLY_EXCLUDED,    /* only excluded modules teach it (language, currency, prerequisites) */
    FOW_MATCH_NOT_WORTH         /* teaching it costs more than it is worth (value < cheapest cost) */
} fow_match_status;

/* "covered", "not_taught", "only_excluded", "not_worth". */
const char *fow_match_status_name(fow_match_status s);

typedef struct fow_match_need_result {
    fow_match_status status;
    uint32_t weight;
    long long value;      /* weight x skill_value */
    int32_t covered_by;   /* index into result->chosen of the first chosen module teaching it; -1 */
    uint32_t teaching;    /* modules of the catalogue teaching it (usable or not) */
} fow_match_need_result;

/* Why a module teaching a needed skill cannot be taken. */
typedef enum fow_match_exclusion_reason {
    FOW_MATCH_EXCLUDED_LANGUAGE = 0,     /* taught in a language not asked for */
    FOW_MATCH_EXCLUDED_CURRENCY,         /* priced in another currency than the plan's */
    FOW_MATCH_EXCLUDED_PREREQUISITE_SKILL,  /* needs a skill the person lacks that no usable module teaches */
    FOW_MATCH_EXCLUDED_PREREQUISITE_MODULE, /* needs a module that cannot be taken itself */
    FOW_MATCH_EXCLUDED_NO_COHORT            /* no open cohort starts on or after the date asked for */
} fow_match_exclusion_reason;

/* "language", "currency", "prerequisite_skill", "prerequisite_module", "no_cohort". */
const char *fow_match_exclusion_name(fow_match_exclusion_reason r);

typedef struct fow_match_exclusion {
    size_t module;                      /* index into the catalogue's modules */
    fow_match_exclusion_reason reason;
    const char *detail; /* the language, currency, skill label or module code (borrowed from the catalogue) */
} fow_match_exclusion;

typedef struct fow_match_choice {
    size_t module;        /* index into the catalogue's modules */
    int32_t required_by;  /* index into chosen of the module it is a prerequisite for, -1 when chosen for its skills */
    uint32_t n_covers;    /* needed skills it teaches that no earlier chosen module teaches */
    uint32_t weight_covered; /* their weights summed */
    long long cost;       /* cost(m) above: price + hour_value x hours, minor units */
} fow_match_choice;

typedef struct fow_match_result {
    fow_match_choice *chosen;     /* in the order to take them: prerequisites first */
    size_t n_chosen;
    fow_match_need_result *needs; /* one per needed skill, in the order given */
    size_t n_needs;
    fow_match_exclusion *excluded; /* modules teaching a needed skill that cannot be taken, catalogue order */
    size_t n_excluded;
    char currency[8];
    long long price_minor;        /* the chosen modules' prices summed */
    double hours;                 /* their hours summed */
    long long objective;          /* cost of the chosen + value of the skills left uncovered */
    long long greedy_objective;   /* the greedy's objective (equal to objective when the greedy decided) */
    uint32_t candidates;          /* useful candidates (bundles left after dominated ones are dropped) */
    uint32_t weight_needed, weight_covered;
    uint32_t covered, coverable;  /* skills covered; skills some usable module teaches */
    fow_match_solver solver_used; /* FOW_MATCH_SOLVER_EXACT or FOW_MATCH_SOLVER_GREEDY */
    int exact_gave_up;            /* the exact search was asked for or allowed, and stopped (size or nodes) */
    unsigned long long nodes;     /* branch-and-bound nodes visited (0 for the greedy) */
    uint32_t max_set;             /* d of the greedy's bound H(d) */
} fow_match_result;

/* Chooses the modules of x for needs[0..n_needs) (no skill twice), for a
 * person holding the skills held[0..n_held) (taxonomy ids, any order; used
 * for prerequisites) under params p (NULL: the defaults). *out owns its
 * arrays (fow_match_result_free, also after a failure). FOW_EINPUT for
 * bad params, more than FOW_MATCH_MAX_NEEDS needs or a skill given twice
 * (field "skills"); FOW_ENOMEM. */
fow_code fow_match_solve(const fow_match_index *x, const fow_match_need *needs, size_t n_needs, const int64_t *held,
                         size_t n_held, const fow_match_params *p, fow_match_result *out, fow_error *err);

void fow_match_result_free(fow_match_result *r);

/* H(d) = 1 + 1/2 + ... + 1/d, the greedy's guarantee. Can't fail. */
double fow_match_harmonic(uint32_t d);

/* ---- courses to commission ------------------------------------------------ */

/* A skill the at-risk workforce of an area lacks, with its demand. */
typedef struct fow_match_demand {
    int64_t skill_id;
    double learners;   /* workers who must learn it (fractional) */
    uint32_t origins;  /* origin occupations whose moves need it */
    uint32_t model_index; /* the caller's own reference */
} fow_match_demand;

typedef struct fow_match_supply {
    uint32_t modules;  /* usable modules teaching the skill */
    size_t first;      /* one of them (index into the catalogue's modules), when modules > 0: the cheapest */
} fow_match_supply;

/* The demand of an area's at-risk workforce (the skills of a
 * fow_scale_result, learners among the placed workers) against the
 * catalogue's supply. */
typedef struct fow_match_commission {
    fow_match_demand *demand; /* as the scale result ranks them: most learners first */
    fow_match_supply *supply; /* per demand */
    size_t n;
    double learners;          /* summed over the skills (a worker counts once per skill to learn) */
    double learners_covered;  /* of them, for skills some usable module teaches */
    size_t skills_covered;
} fow_match_commission;

struct fow_scale_result;

/* The demand of r (fow_transitions_at_scale; skills as indexes of model,
 * whose skill ids must be those of the catalogue's taxonomy) and its
 * supply in x under p (languages and currency; NULL: any). *out owns its
 * arrays (fow_match_commission_free, also after a failure). Fails only
 * with FOW_ENOMEM. */
fow_code fow_match_commission_compute(const fow_match_index *x, const fow_model *model,
                                      const struct fow_scale_result *r, const fow_match_params *p,
                                      fow_match_commission *out, fow_error *err);

void fow_match_commission_free(fow_match_commission *cm);

/* For each demand[i], the usable modules of x that teach it (usable: the
 * languages and currency of p; NULL: any language, any currency) into
 * supply[i] (n of them, caller's array). Can't fail. */
void fow_match_supply_of(const fow_match_index *x, const fow_match_demand *demand, size_t n,
                         const fow_match_params *p, fow_match_supply *supply);


/* ---- from a move's gap ------------------------------------------------------ */

/* A match for one move: its gap, the move judged, the skills to learn and
 * the plan. */
typedef struct fow_match_plan {
    uint32_t origin;    /* the occupation, or FOW_NO_INDEX for a person known by skills */
    uint32_t judged_as; /* the occupation the move is judged against (origin, or the person's), FOW_NO_INDEX */
    uint32_t destination;
    int with_optional;  /* the destination's optional skills not covered at all are needs too */
    fow_gap gap;
    fow_transition move;
    fow_match_need *needs; /* the essential skills to learn (the gap's missing; those probably held are not),
                              then the optional ones, each as the gap orders them */
    size_t n_needs;
    size_t n_held;
    fow_match_result result;
} fow_match_plan;

/* The plan for the move from origin (an occupation; or FOW_NO_INDEX and
 * the person holding skills[0..n_skills), model indexes, judged as
 * judge_as, FOW_NO_INDEX when unknown) to destination: sets ws's origin,
 * computes the gap (fow_gap_compute: its skills to learn, the probably
 * held ones apart), the needs, the held skills (the origin's) and
 * fow_match_solve's plan under p (NULL: the defaults). The model is ws's,
 * whose skill ids must be those of the catalogue's taxonomy. *out owns
 * everything (fow_match_plan_free, also after a failure). Fails as
 * fow_gap_compute and fow_match_solve do. */
fow_code fow_match_plan_compute(fow_similarity_workspace *ws, const fow_match_index *x, uint32_t origin,
                                const uint32_t *skills, uint32_t n_skills, uint32_t judge_as, uint32_t destination,
                                int with_optional, const fow_match_params *p, fow_match_plan *out, fow_error *err);

void fow_match_plan_free(fow_match_plan *plan);

/* ---- cohorts ------------------------------------------------------------------ */

/* Per module of c (by index), 1 when an open cohort of it starts on or
 * after date (YYYY-MM-DD), read from db's cohorts: a malloc'd array
 * *out of c->n_modules bytes (free it). FOW_EINPUT (field "starts_after")
 * for a date not written YYYY-MM-DD; FOW_EDB. */
fow_code fow_match_cohort_flags(fow_db *db, const fow_training_catalogue *c, const char *date, uint8_t **out,
                                fow_error *err);

/* When a chosen module can next be started. */
typedef struct fow_match_start {
    int found;              /* 0: no open cohort from the date on */
    char next_start[11];    /* YYYY-MM-DD */
    long seats_left;        /* 0: only its waiting list */
    int64_t cohort_id;
} fow_match_start;

/* For each chosen module of r (catalogue c), its next open cohort from
 * date (YYYY-MM-DD) on, as fow_cohort_next_open chooses it, into
 * starts[i] (r->n_chosen of them, caller's array). FOW_EINPUT for a bad
 * date; FOW_EDB; FOW_ENOMEM. */
fow_code fow_match_starts(fow_db *db, const fow_training_catalogue *c, const fow_match_result *r, const char *date,
                          fow_match_start *starts, fow_error *err);

/* Today's date (UTC) as YYYY-MM-DD into buf (11 bytes). Can't fail. */
void fow_match_today(char buf[11]);

#endif
