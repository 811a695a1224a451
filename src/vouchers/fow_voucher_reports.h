/* fow_voucher_reports.h — the voucher office's reports (issue 14, point 8;
 * docs/vouchers.md "Reports"): what is allocated, issued, committed,
 * redeemed, paid, expired and available per fund, budget line, call,
 * provider and month; what a completed module and a credential cost; the
 * vouchers still outstanding and when they expire.
 *
 * Every amount is derived here from the ledger's transfers (read in one
 * snapshot through reports_store.c), never from the cached balances alone:
 * the cached balances are only compared with the sums (source.mismatched
 * counts the accounts whose cached balance differs from its transfers).
 * Amounts are integer minor units (bani) of the row's currency; money of two
 * currencies is never added (rows and totals are per currency).
 *
 * Definitions (the transfer kinds of docs/vouchers.md):
 *   allocated  allocate transfers into budget lines
 *   issued     issue transfers into vouchers (committed when issued)
 *   committed  what vouchers hold now: issued - redeemed + refunded -
 *              expired - cancelled (month: at the end of the month)
 *   redeemed   spent: redeem transfers out of vouchers less refund
 *              transfers back (claims waiting, payable and paid)
 *   paid       pay transfers (to the providers' paid accounts), part of
 *              redeemed
 *   expired    returned to the line: expire and cancel transfers
 *   available  what budget lines hold (month: at the end of the month)
 *   lab_charged  the part of redeemed spent on lab time: redeem transfers
 *              from vouchers to a lab operator's payable account less
 *              refund transfers back (src/labs' bookings paid by voucher)
 *   lab_paid   the part of paid that pays lab charges (pay transfers keyed
 *              "lab-charge:ID:pay")
 *   lab_outstanding  lab_charged - lab_paid: owed to the labs' operators,
 *              not yet paid (month: at the end of the month)
 * so that allocated = available + committed + redeemed for a fund, a line
 * and the total. A figure that does not apply to a dimension (a call holds
 * no allocation; a provider has no voucher before it redeems one) is not
 * given (JSON null, CSV empty).
 * Dimensions: a voucher belongs to its budget line, its line's fund, and
 * the call whose award issued it ("none" for a voucher issued directly); a
 * redemption to its voucher's and to its provider; the paying transfer
 * names its redemption by its key ("redemption:ID:pay"); a lab charge to
 * its voucher's and to the lab's operator (its provider), its paying
 * transfer naming it by its key ("lab-charge:ID:pay"). Months are those
 * of the transfers' times (UTC). */
#ifndef FOW_VOUCHER_REPORTS_H
#define FOW_VOUCHER_REPORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "store/fow_db.h"
#include "training/fow_training.h"

typedef enum fow_voucher_report_by {
    FOW_VREPORT_FUND = 0,
    FOW_VREPORT_LINE,
    FOW_VREPORT_CALL,
    FOW_VREPORT_PROVIDER,
    FOW_VREPORT_MONTH,
    FOW_VREPORT_BY_COUNT
} fow_voucher_report_by;

/* "fund", "line", "call", "provider", "month"; "?" out of range. */
const char *fow_voucher_report_by_name(fow_voucher_report_by by);

/* Parses a dimension's name into *out: 0, or -1 for anything else. */
int fow_voucher_report_by_parse(const char *text, fow_voucher_report_by *out);

typedef enum fow_voucher_report_column {
    FOW_VR_ALLOCATED = 0,
    FOW_VR_ISSUED,
    FOW_VR_COMMITTED,
    FOW_VR_REDEEMED,
    FOW_VR_PAID,
    FOW_VR_EXPIRED,
    FOW_VR_AVAILABLE,
    FOW_VR_LAB_CHARGED,     /* lab time: part of redeemed */
    FOW_VR_LAB_PAID,        /* lab time: part of paid */
    FOW_VR_LAB_OUTSTANDING, /* lab time: charged, not yet paid */
    FOW_VR_COLUMNS
} fow_voucher_report_column;

/* "allocated", "issued", "committed", "redeemed", "paid", "expired",
 * "available", "lab_charged", "lab_paid", "lab_outstanding"; "?" out of
 * range. */
const char *fow_voucher_report_column_name(fow_voucher_report_column c);

/* Where the figures come from: the ledger as it was read. */
typedef struct fow_voucher_report_source {
    int64_t transfers;          /* how many transfers were summed */
    int64_t last_transfer;      /* the id of the last one (0: none) */
    char last_hash[65];         /* its hash: the chain the figures were read from */
    int64_t accounts;           /* accounts of the ledger */
    int64_t mismatched;         /* accounts whose cached balance is not the sum of their transfers (0) */
} fow_voucher_report_source;

typedef struct fow_voucher_report_row {
    char key[32];               /* the fund's, line's, call's, provider's id ("none": no call), or YYYY-MM */
    char label[300];            /* for display (a call's English title) */
    char label_ro[300];         /* a call's Romanian title; the same as label otherwise */
    char currency[4];
    int64_t amount[FOW_VR_COLUMNS];
    bool applies[FOW_VR_COLUMNS];
    int64_t vouchers;           /* vouchers issued in the group (month: issued in the month) */
    int64_t redemptions;        /* redemptions not refunded (month: made in the month) */
} fow_voucher_report_row;

typedef struct fow_voucher_report {
    fow_voucher_report_by by;
    int64_t computed_at;
    fow_voucher_report_row *rows;   /* by currency, then key */
    size_t n_rows;
    fow_voucher_report_row *totals; /* one per currency, every column */
    size_t n_totals;
    fow_voucher_report_source source;
} fow_voucher_report;

/* Computes the report by `by` at time now into *out (free with
 * fow_voucher_report_free, also after a failure). FOW_EINPUT (field "by")
 * for a dimension out of range; FOW_EDB / FOW_ENOMEM. */
fow_code fow_voucher_report_compute(fow_db *db, fow_voucher_report_by by, int64_t now, fow_voucher_report *out,
                                    fow_error *err);
void fow_voucher_report_free(fow_voucher_report *r);

/* The rows and the totals as CSV (RFC 4180, CRLF, a header row): by, key,
 * label, currency, vouchers, redemptions, then each column in minor units
 * (empty when it does not apply) and in major units with two decimals; the
 * totals last, key "total". A malloc'd string, NULL when out of memory. */
char *fow_voucher_report_csv(const fow_voucher_report *r);

/* ---- costs ---------------------------------------------------------------- */

/* What completions and credentials cost, per module and currency. */
typedef struct fow_voucher_cost_row {
    char module[65];                 /* the module's code ("total" in totals) */
    char title_en[201], title_ro[201];
    char currency[4];
    int64_t completions;             /* redemptions whose enrolment was completed and whose claim is payable or paid */
    int64_t completion_minor;        /* the money paid or payable for them (complete transfers) */
    int64_t cost_per_completion_minor; /* completion_minor / completions, rounded half up; 0 when none */
    int64_t credentials;             /* of those completions, the ones a credential was issued for */
    int64_t credential_minor;        /* the money paid or payable for those */
    int64_t cost_per_credential_minor;
    int64_t waiting;                 /* redeemed, enrolment not completed (or claim not yet settled) */
    int64_t waiting_minor;
} fow_voucher_cost_row;

typedef struct fow_voucher_costs {
    int64_t computed_at;
    fow_voucher_cost_row *rows;      /* by currency, then module code */
    size_t n_rows;
    fow_voucher_cost_row *totals;    /* one per currency */
    size_t n_totals;
    bool credentials_read;           /* false: the credentials could not be read (none counted) */
    fow_voucher_report_source source;
} fow_voucher_costs;

/* Computes the costs at now into *out (free with fow_voucher_costs_free,
 * also after a failure): for each redemption not refunded, the money of its
 * "complete" transfer (paid or payable), whether its enrolment has a
 * completion (src/training, fow_cohort_completion) and whether a credential
 * was issued for that completion (src/credentials, whose completion id is
 * "cohort:C:enrolment:E"; revoked ones count as issued). catalogue (may be
 * NULL) gives the modules' titles. FOW_EDB / FOW_ENOMEM. */
fow_code fow_voucher_costs_compute(fow_db *db, const fow_training_catalogue *catalogue, int64_t now,
                                   fow_voucher_costs *out, fow_error *err);
void fow_voucher_costs_free(fow_voucher_costs *c);

/* CSV (RFC 4180, CRLF): module, title, currency, completions,
 * completion_minor, cost_per_completion_minor, cost_per_completion,
 * credentials, credential_minor, cost_per_credential_minor,
 * cost_per_credential, waiting, waiting_minor; totals last. malloc'd. */
char *fow_voucher_costs_csv(const fow_voucher_costs *c);

/* ---- outstanding vouchers ----------------------------------------------- */

typedef struct fow_voucher_expiry_month {
    char month[8];               /* YYYY-MM of the vouchers' last day */
    char currency[4];
    int64_t vouchers;
    int64_t amount_minor;        /* what they still hold */
    int64_t past_last_day;       /* of them, already past their last day (waiting for expiry) */
} fow_voucher_expiry_month;

typedef struct fow_voucher_outstanding_item {
    int64_t id;
    int64_t line_id;
    char line_label[300];
    int64_t call_id;             /* 0: none */
    char status[12];             /* issued or active */
    char valid_until[11];
    int64_t value_minor;
    int64_t balance_minor;       /* from its transfers */
    char currency[4];
    bool past_last_day;
} fow_voucher_outstanding_item;

typedef struct fow_voucher_outstanding {
    int64_t computed_at;
    char today[11];                       /* the date of computed_at, UTC */
    fow_voucher_expiry_month *months;     /* by currency, then month */
    size_t n_months;
    fow_voucher_expiry_month *totals;     /* one per currency (month "total") */
    size_t n_totals;
    fow_voucher_outstanding_item *items;  /* by last day, then id */
    size_t n_items;
    fow_voucher_report_source source;
} fow_voucher_outstanding;

/* The vouchers still outstanding at now (issued or active, holding money by
 * their transfers) into *out (free with fow_voucher_outstanding_free, also
 * after a failure): counts and amounts by month of their last day, and the
 * list. FOW_EDB / FOW_ENOMEM. */
fow_code fow_voucher_outstanding_compute(fow_db *db, int64_t now, fow_voucher_outstanding *out, fow_error *err);
void fow_voucher_outstanding_free(fow_voucher_outstanding *o);

/* CSV (RFC 4180, CRLF): month, currency, vouchers, amount_minor, amount,
 * past_last_day; totals last. malloc'd. */
char *fow_voucher_outstanding_csv(const fow_voucher_outstanding *o);

/* ---- per person, for the programme indicators ---------------------------- */

/* One beneficiary's voucher figures (pseudonymous id). */
typedef struct fow_voucher_person_figures {
    char person[65];
    int64_t vouchers;              /* issued to them */
    bool redeemed;                 /* a redemption not refunded */
    bool completed_after;          /* a redeemed enrolment was completed */
    int64_t completion_minor;      /* paid or payable for their completed enrolments */
    int64_t completions;           /* their completed, paid or payable enrolments */
    char currency[4];              /* of completion_minor ("" when none) */
} fow_voucher_person_figures;

/* Every person who was issued a voucher, by id, into a new array *out (*n;
 * free() it). Completion as in fow_voucher_costs_compute. FOW_EDB /
 * FOW_ENOMEM. */
fow_code fow_voucher_people_figures(fow_db *db, fow_voucher_person_figures **out, size_t *n, fow_error *err);

#endif
