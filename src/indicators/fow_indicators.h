/* fow_indicators.h — the programme's first indicators (docs/indicators.md),
 * computed from the records every time, never typed in: people served,
 * enrolled, completed, passed, the completion rate and the skills gained,
 * in total and by programme, cohort, sex or age group.
 *
 * Reads through src/people (fow_people_list: who, their sex, year of birth
 * and consents) and src/training (the catalogue, fow_cohorts_list and
 * fow_cohort_enrolments); owns no table.
 *
 * Counted: only people whose statistics consent is in force when the
 * indicators are computed; everyone else is left out of every cell (their
 * number is reported, itself suppressed when under 10). Erased people are
 * not counted (src/people lists them no more).
 *
 * Definitions (a person counts once per group however many enrolments):
 *   served     by sex and age: every counted person on record; by programme
 *              and cohort: every counted person who asked for a place in it
 *              (enrolled, waiting, cancelled or completed)
 *   enrolled   held a seat (enrolled or completed)
 *   completed  has a completion recorded (passed or failed)
 *   passed     has a passed completion
 *   completion_rate  completed / enrolled, in percent (one decimal)
 *   skills_gained    distinct (person, skill) pairs taught by the modules
 *              of passed completions: the skills assessed (and credentialed)
 * Age group: the age reached in the year of `now` (year - birth year):
 *   under 15, 15-24, 25-34, 35-44, 45-54, 55-64, 65+, unknown.
 *
 * Suppression (k = FOW_INDICATORS_K = 10 people): a cell counting 1 to 9
 * people is suppressed, never shown as a number (a true 0 names nobody and
 * is shown);
 * skills_gained counts skills, and is suppressed with passed (the people it
 * comes from); the rate is suppressed when completed or enrolled is, and
 * has no value (JSON null, CSV empty) when nobody is enrolled.
 * Complementary: in each column, when the total is shown and exactly one
 * group's cell is suppressed, the smallest shown non-zero cell of another
 * group is suppressed too (so that the total minus the others does not
 * give it back; a 0 would not hide anything); when the total is
 * suppressed, every non-zero cell of the column is.
 */
#ifndef FOW_INDICATORS_H
#define FOW_INDICATORS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/fow_error.h"
#include "base/fow_jw.h"
#include "base/fow_suppress.h"
#include "people/fow_people.h"
#include "store/fow_db.h"
#include "training/fow_cohort.h"
#include "training/fow_training.h"

#define FOW_INDICATORS_K FOW_SUPPRESS_K

typedef enum fow_indicators_by {
    FOW_INDICATORS_TOTAL = 0,
    FOW_INDICATORS_BY_PROGRAMME,
    FOW_INDICATORS_BY_COHORT,
    FOW_INDICATORS_BY_SEX,
    FOW_INDICATORS_BY_AGE
} fow_indicators_by;

/* "total", "programme", "cohort", "sex", "age"; "?" out of range. */
const char *fow_indicators_by_name(fow_indicators_by by);

/* Parses a breakdown name into *out: 0, or -1 for anything else. */
int fow_indicators_by_parse(const char *text, fow_indicators_by *out);

/* The columns of a row, in this order in JSON and CSV. */
typedef enum fow_indicator_column {
    FOW_IND_SERVED = 0,
    FOW_IND_ENROLLED,
    FOW_IND_COMPLETED,
    FOW_IND_PASSED,
    FOW_IND_SKILLS_GAINED,
    FOW_IND_COLUMNS
} fow_indicator_column;

/* "served", "enrolled", "completed", "passed", "skills_gained". */
const char *fow_indicator_column_name(fow_indicator_column c);

typedef struct fow_indicator_row {
    char group[48];     /* the programme's name, the cohort's id, female/male/other/not_stated, 15-24 ... */
    char label[160];    /* for display: the programme, "CODE from YYYY-MM-DD", the same as group otherwise */
    long value[FOW_IND_COLUMNS];
    bool suppressed[FOW_IND_COLUMNS];
    bool complementary[FOW_IND_COLUMNS]; /* suppressed only so that another cell cannot be recovered */
    double completion_rate;              /* percent; meaningful when !rate_suppressed and enrolled > 0 */
    bool rate_suppressed;
} fow_indicator_row;

/* The voucher figures joined to the indicators (issue 14, point 8; from
 * src/vouchers, fow_voucher_people_figures), over the same counted people
 * (statistics consent in force), in total:
 *   beneficiaries        counted people issued a voucher
 *   vouchers_issued      their vouchers (suppressed with beneficiaries: it
 *                        comes from them)
 *   redeemed             counted people with a redemption not refunded
 *   completed_after      counted people whose redeemed enrolment was
 *                        completed with its claim payable or paid
 *   cost_per_completion  the money paid or payable for those completions
 *                        over their number (minor units, rounded half up),
 *                        suppressed with completed_after; none when nobody
 *                        completed or the money is in several currencies.
 * A people count of 1 to 9 is suppressed as the other cells are. */
typedef enum fow_indicator_voucher_cell {
    FOW_IND_V_BENEFICIARIES = 0,
    FOW_IND_V_VOUCHERS,
    FOW_IND_V_REDEEMED,
    FOW_IND_V_COMPLETED_AFTER,
    FOW_IND_V_CELLS
} fow_indicator_voucher_cell;

typedef struct fow_indicator_vouchers {
    long value[FOW_IND_V_CELLS];
    bool suppressed[FOW_IND_V_CELLS];
    long long completion_minor, completions;   /* of the counted people */
    long long cost_per_completion_minor;        /* meaningful when has_cost */
    bool has_cost, cost_suppressed;
    char currency[4];                           /* of the cost ("" when none) */
} fow_indicator_vouchers;

/* The labs' figures joined to the indicators (issue 15, point 6; from
 * src/labs, fow_lab_people_figures_of), over the same counted people, in
 * total:
 *   lab_users      counted people with a lab booking not cancelled
 *   used_a_lab     counted people checked in to a booking
 *   with_project   counted people with a project recorded in a lab
 *   hours_used     their checked-in to checked-out hours (suppressed with
 *                  used_a_lab: it comes from them)
 * A people count of 1 to 9 is suppressed as the other cells are. */
typedef enum fow_indicator_lab_cell {
    FOW_IND_L_USERS = 0,
    FOW_IND_L_USED,
    FOW_IND_L_PROJECTS,
    FOW_IND_L_CELLS
} fow_indicator_lab_cell;

typedef struct fow_indicator_labs {
    long value[FOW_IND_L_CELLS];
    bool suppressed[FOW_IND_L_CELLS];
    long long minutes_used;   /* shown as hours, suppressed with FOW_IND_L_USED */
} fow_indicator_labs;

typedef struct fow_indicators {
    fow_indicators_by by;
    int year;                  /* of the computation: ages are reached in it */
    long long computed_at;
    fow_indicator_row total;   /* every counted person */
    fow_indicator_row *rows;   /* the groups, in a stable order */
    size_t n_rows;
    long without_consent;      /* people on record left out: no statistics consent */
    bool without_consent_suppressed;
    long suppressed_cells, complementary_cells;
    fow_indicator_vouchers vouchers; /* in total, whatever the breakdown */
    fow_indicator_labs labs;         /* in total, whatever the breakdown */
} fow_indicators;

/* Computes the indicators by `by` into *out (free with
 * fow_indicators_free, also after a failure) from the people who and the
 * cohorts who may see (an administrator: everyone), at time now. Reads the
 * people list (audited by src/people as one "list"). Needs
 * FOW_COHORT_SEE_PEOPLE (else FOW_EINPUT, field "role"). */
fow_code fow_indicators_compute(fow_db *db, fow_people *people, const fow_cohort_actor *who,
                                const fow_training_catalogue *catalogue, fow_indicators_by by, long long now,
                                fow_indicators *out, fow_error *err);

void fow_indicators_free(fow_indicators *ind);

/* {by, year, computed_at, threshold, method, counted_people: cell,
 * without_statistics_consent: cell, suppressed_cells,
 * complementary_cells, columns: [...], total: row, rows: [row...]} where a
 * row is {group, label, served: cell, enrolled: cell, completed: cell,
 * passed: cell, skills_gained: cell, completion_rate: number or null,
 * completion_rate_suppressed} and a cell {value: n or null, suppressed,
 * complementary}, and vouchers: {beneficiaries: cell, vouchers_issued:
 * cell, redeemed: cell, completed_after_redemption: cell,
 * cost_per_completion: {value_minor: n or null, currency, suppressed},
 * method}, and labs: {lab_users: cell, used_a_lab: cell, with_project:
 * cell, hours_used: {value: hours or null, suppressed}, method}. The same
 * document for the command line and the API. */
void fow_indicators_write(fow_jw *w, const fow_indicators *ind);

/* The same table as CSV (RFC 4180, header row; the total last, group
 * "total"); a suppressed cell is the word "suppressed". A malloc'd string
 * (free it), NULL when out of memory. */
char *fow_indicators_csv(const fow_indicators *ind);

#endif
