/* reports_store.h — the reads of the voucher reports (fow_voucher_reports.h,
 * issue 14 point 8): every transfer of the ledger with the kinds and owners
 * of its two accounts, every account with its cached balance, and the rows
 * the transfers are attributed with (funds, budget lines, calls, vouchers
 * with the call that awarded them, redemptions). A second store file of the
 * vouchers module: it reads the tables of vouchers_store.c and
 * calls_store.c and writes none (tests/e2e/sql_owners.py, STORE_PARTS).
 * For src/vouchers' own files only. */
#ifndef REPORTS_STORE_H
#define REPORTS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "store/fow_db.h"

typedef struct vrs_transfer {
    int64_t id;
    char kind[16];
    int64_t key_redemption; /* the redemption its idempotency key names ("redemption:ID:..."), else 0 */
    int64_t key_lab_charge; /* the lab charge its idempotency key names ("lab-charge:ID:pay"), else 0 */
    int64_t amount_minor;
    char currency[4];
    int64_t at;
    int64_t from_account, to_account;
    char from_kind[16], to_kind[16];
    int64_t from_owner, to_owner;
} vrs_transfer;

typedef struct vrs_account {
    int64_t id;
    char kind[16];
    int64_t owner_id;
    char currency[4];
    int64_t cached_balance_minor;
} vrs_account;

typedef struct vrs_fund {
    int64_t id;
    char name[129];
    char currency[4];
} vrs_fund;

typedef struct vrs_line {
    int64_t id, fund_id;
    char name[129];
    char purpose[32];
    int year;
    char currency[4];
} vrs_line;

typedef struct vrs_call {
    int64_t id, line_id;
    char title_en[201], title_ro[201];
} vrs_call;

typedef struct vrs_voucher {
    int64_t id, line_id;
    int64_t call_id; /* the call whose award issued it; 0: none */
    char person[65];
    int64_t value_minor;
    char currency[4];
    char valid_until[11];
    char status[12];
    int64_t issued_at;
} vrs_voucher;

typedef struct vrs_redemption {
    int64_t id, voucher_id, provider_id, enrolment_id, cohort_id;
    char module[65];
    char person[65];
    int64_t amount_minor;
    char currency[4];
    char status[12];
} vrs_redemption;

typedef struct vrs_lab_charge {
    int64_t id, voucher_id, provider_id;
} vrs_lab_charge;

/* Everything a report reads, each array by id. */
typedef struct vrs_data {
    vrs_transfer *transfers;
    size_t n_transfers;
    char last_hash[65]; /* the hash of the last transfer, "" when none */
    vrs_account *accounts;
    size_t n_accounts;
    vrs_fund *funds;
    size_t n_funds;
    vrs_line *lines;
    size_t n_lines;
    vrs_call *calls;
    size_t n_calls;
    vrs_voucher *vouchers;
    size_t n_vouchers;
    vrs_redemption *redemptions;
    size_t n_redemptions;
    vrs_lab_charge *lab_charges;
    size_t n_lab_charges;
} vrs_data;

/* Reads all of it in one snapshot into *out (free with vrs_free, also
 * after a failure). FOW_EDB / FOW_ENOMEM. */
fow_code vrs_load(fow_db *db, vrs_data *out, fow_error *err);

void vrs_free(vrs_data *d);

#endif
