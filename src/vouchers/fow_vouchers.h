/* fow_vouchers.h — Cluj Experimentation Vouchers (issue 14; docs/vouchers.md):
 * funds and their budget lines, vouchers, redemptions at enrolment, the
 * providers' claims and payment batches. Every movement of money is a
 * transfer of the ledger (fow_ledger.h); amounts are integer minor units
 * (bani for RON) with the currency stated, never floating point.
 *
 * Every writing function takes who acts (actor) and the time (now, Unix
 * seconds), so tests simulate time. Errors name the field that is wrong.
 */
#ifndef FOW_VOUCHERS_H
#define FOW_VOUCHERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "store/fow_db.h"

/* ---- money ----------------------------------------------------------- */

/* Parses an amount written in major units with at most two decimals
 * ("1500", "1500.5", "1500.50"; no sign, no thousands separator) into
 * minor units (150050), with whole numbers only, no floating point.
 * FOW_EINPUT (field field) otherwise or above 10^15 minor units. */
fow_code fow_money_parse(const char *text, const char *field, int64_t *minor, fow_error *err);

/* Writes minor units as major units with two decimals ("1500.50",
 * "-0.05") into buf (at least 32 bytes); returns buf. */
char *fow_money_format(int64_t minor, char *buf, size_t n);

/* ---- purposes -------------------------------------------------------- */

typedef enum fow_voucher_purpose {
    FOW_VOUCHER_LEARNING_MODULE,
    FOW_VOUCHER_LAB_TIME,
    FOW_VOUCHER_COMMUNITY_FACILITATION,
    FOW_VOUCHER_BUSINESS_SUPPORT,
    FOW_VOUCHER_PURPOSE_COUNT
} fow_voucher_purpose;

/* "learning_module", "lab_time", "community_facilitation",
 * "business_support". Never NULL for a valid purpose. */
const char *fow_voucher_purpose_name(fow_voucher_purpose purpose);

/* Parses a purpose name into *out: 0, or -1 for anything else. */
int fow_voucher_purpose_parse(const char *text, fow_voucher_purpose *out);

/* ---- funds ----------------------------------------------------------- */

typedef struct fow_voucher_fund {
    int64_t id;
    char name[129];
    char currency[4];      /* ISO 4217, upper case, e.g. RON */
    char description[513];
    int64_t created_at;
    char created_by[65];
    int64_t allocated_minor; /* given to its budget lines, net of what came back */
} fow_voucher_fund;

/* Creates a fund named name (1..128 bytes, unique) holding money in
 * currency (three upper-case letters), with a description (may be NULL,
 * at most 512 bytes); its id into *id. FOW_EINPUT naming the field
 * ("name", "currency", "description") for a bad or duplicate value;
 * FOW_EDB. */
fow_code fow_voucher_fund_create(fow_db *db, const char *name, const char *currency, const char *description,
                                 const char *actor, int64_t now, int64_t *id, fow_error *err);

/* Fund id into *out. FOW_ENOTFOUND (field "fund"). */
fow_code fow_voucher_fund_get(fow_db *db, int64_t id, fow_voucher_fund *out, fow_error *err);

/* Every fund, by id, into a new array *out (*n of them; free() it). */
fow_code fow_voucher_funds_list(fow_db *db, fow_voucher_fund **out, size_t *n, fow_error *err);

/* ---- budget lines ---------------------------------------------------- */

typedef struct fow_budget_line {
    int64_t id;
    int64_t fund_id;
    char fund_name[129];
    char purpose[32];        /* fow_voucher_purpose_name */
    int year;
    char name[129];
    char currency[4];        /* the fund's */
    int64_t created_at;
    char created_by[65];
    int64_t allocated_minor; /* given to it by its fund (allocations) */
    int64_t available_minor; /* not committed: what new vouchers can take */
    int64_t committed_minor; /* in its vouchers, not yet redeemed */
    int64_t redeemed_minor;  /* redeemed from its vouchers (claims, payable, paid), net of refunds */
    int64_t returned_minor;  /* came back from its vouchers (expired, cancelled) */
} fow_budget_line;

/* Adds to fund fund_id the budget line for purpose (a purpose name) and
 * year (2000..2100), named name (may be NULL or "", at most 128 bytes), and
 * allocates amount_minor (>= 0) from the fund to it: one ledger transfer
 * "allocate" (none for 0) with the idempotency key "line:<id>:allocate".
 * Its id into *id. One transaction. FOW_EINPUT naming the field
 * ("purpose", "year", "amount", "name"; "purpose" also when the fund
 * already has a line for that purpose and year); FOW_ENOTFOUND ("fund");
 * FOW_EDB. */
fow_code fow_budget_line_add(fow_db *db, int64_t fund_id, const char *purpose, int year, int64_t amount_minor,
                             const char *name, const char *actor, int64_t now, int64_t *id, fow_error *err);

/* Allocates amount_minor (> 0) more from line id's fund to the line: one
 * ledger transfer "allocate" under the idempotency key key (1..128 bytes;
 * a retry with the same key and amount does nothing more). FOW_EINPUT
 * ("amount", "key"); FOW_ENOTFOUND ("line"); FOW_EDB. */
fow_code fow_budget_line_top_up(fow_db *db, int64_t id, int64_t amount_minor, const char *key, const char *actor,
                                int64_t now, fow_error *err);

/* Budget line id, with its fund's name and currency and its amounts from
 * the ledger, into *out. FOW_ENOTFOUND (field "line"). */
fow_code fow_budget_line_get(fow_db *db, int64_t id, fow_budget_line *out, fow_error *err);

/* The budget lines of fund fund_id (0: of every fund), by fund, year and
 * purpose, into a new array *out (*n; free() it). */
fow_code fow_budget_lines_list(fow_db *db, int64_t fund_id, fow_budget_line **out, size_t *n, fow_error *err);

/* ---- JSON (the same documents for the command line and the API) ---- */

#include "base/fow_jw.h"

/* {id, name, currency, description, created_at, created_by,
 * allocated_minor} */
void fow_voucher_fund_write(fow_jw *w, const fow_voucher_fund *f);

/* {id, fund: {id, name}, purpose, year, name, currency, created_at,
 * created_by, amounts: {allocated_minor, available_minor,
 * committed_minor, redeemed_minor, returned_minor}, source: how the
 * amounts are computed} */
void fow_budget_line_write(fow_jw *w, const fow_budget_line *l);

#endif
