/* vouchers_store.h — every SQL statement of the voucher tables
 * (voucher_funds, voucher_budget_lines, voucher_accounts, voucher_balances,
 * voucher_transfers, vouchers, voucher_allowed_providers,
 * voucher_allowed_modules, voucher_redemptions, voucher_payment_batches),
 * for src/vouchers' own files only. Functions return FOW_EDB (naming what
 * they did) when SQLite fails; "found" outputs say whether a row exists. */
#ifndef VOUCHERS_STORE_H
#define VOUCHERS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "vouchers/fow_ledger.h"
#include "vouchers/fow_vouchers.h"

/* ---- funds and lines ---- */
fow_code vstore_fund_insert(fow_db *db, const char *name, const char *currency, const char *description,
                            const char *actor, int64_t now, int64_t *id, fow_error *err);
fow_code vstore_fund_by_name(fow_db *db, const char *name, bool *found, fow_error *err);
fow_code vstore_fund_get(fow_db *db, int64_t id, fow_voucher_fund *out, bool *found, fow_error *err);
fow_code vstore_funds_list(fow_db *db, fow_voucher_fund **out, size_t *n, fow_error *err);

fow_code vstore_line_insert(fow_db *db, int64_t fund_id, const char *purpose, int year, const char *name,
                            const char *actor, int64_t now, int64_t *id, fow_error *err);
fow_code vstore_line_exists(fow_db *db, int64_t fund_id, const char *purpose, int year, bool *found,
                            fow_error *err);
/* The line with its fund's name and currency and its amounts from the ledger. */
fow_code vstore_line_get(fow_db *db, int64_t id, fow_budget_line *out, bool *found, fow_error *err);
fow_code vstore_lines_list(fow_db *db, int64_t fund_id, fow_budget_line **out, size_t *n, fow_error *err);

/* ---- ledger ---- */
fow_code vstore_account_find(fow_db *db, const char *kind, int64_t owner_id, fow_ledger_account *out, bool *found,
                             fow_error *err);
fow_code vstore_account_get(fow_db *db, int64_t id, fow_ledger_account *out, bool *found, fow_error *err);
/* Inserts the account and its zero balance row. */
fow_code vstore_account_insert(fow_db *db, const char *kind, int64_t owner_id, const char *currency,
                               bool may_go_negative, int64_t now, int64_t *id, fow_error *err);
fow_code vstore_transfer_by_key(fow_db *db, const char *key, fow_ledger_transfer *out, bool *found,
                                fow_error *err);
fow_code vstore_transfer_get(fow_db *db, int64_t id, fow_ledger_transfer *out, bool *found, fow_error *err);
/* The id and hash of the last transfer; *id = 0 and hash "" when none. */
fow_code vstore_transfer_last(fow_db *db, int64_t *id, char hash[FOW_LEDGER_HASH_HEX], fow_error *err);
/* Inserts t with its id, prev_hash and hash as given. */
fow_code vstore_transfer_insert(fow_db *db, const fow_ledger_transfer *t, fow_error *err);
/* Adds delta to the cached balance of account (and counts one transfer). */
fow_code vstore_balance_add(fow_db *db, int64_t account, int64_t delta, fow_error *err);
/* Calls each for every transfer in id order (stops at a non-zero return,
 * which is returned as FOW_EINTERNAL unless each set err itself). */
fow_code vstore_transfers_each(fow_db *db, int (*each)(const fow_ledger_transfer *t, void *ctx), void *ctx,
                               fow_error *err);
/* Calls each for every account with its cached balance, in id order. */
fow_code vstore_accounts_each(fow_db *db, int (*each)(const fow_ledger_account *a, void *ctx), void *ctx,
                              fow_error *err);
fow_code vstore_count_transfers(fow_db *db, int64_t *n, fow_error *err);

#endif

/* ---- vouchers ---- */
fow_code vstore_voucher_insert(fow_db *db, const fow_voucher *v, const char *issue_key, int64_t *id, fow_error *err);
fow_code vstore_voucher_allow_provider(fow_db *db, int64_t voucher_id, int64_t provider_id, fow_error *err);
fow_code vstore_voucher_allow_module(fow_db *db, int64_t voucher_id, const char *code, fow_error *err);
/* The voucher with its balance, redeemed and returned amounts and allowed lists. */
fow_code vstore_voucher_get(fow_db *db, int64_t id, fow_voucher *out, bool *found, fow_error *err);
fow_code vstore_voucher_id_by_code(fow_db *db, const char *code, int64_t *id, fow_error *err);
fow_code vstore_voucher_id_by_issue_key(fow_db *db, const char *key, int64_t *id, fow_error *err);
/* How many vouchers name award_ref (e.g. "award:12"). */
fow_code vstore_vouchers_with_award_ref(fow_db *db, const char *award_ref, int64_t *n, fow_error *err);
/* The balance of account from the transfers with an id below before_id
 * and a time at or before until_at (INT64_MAX: no limit). */
fow_code vstore_balance_before(fow_db *db, int64_t account, int64_t before_id, int64_t until_at, int64_t *balance,
                               fow_error *err);
fow_code vstore_code_exists(fow_db *db, const char *code, bool *found, fow_error *err);
fow_code vstore_vouchers_list(fow_db *db, const char *person, int64_t line_id, const char *status, fow_voucher **out,
                              size_t *n, fow_error *err);
fow_code vstore_voucher_set_status(fow_db *db, int64_t id, const char *status, const char *actor, int64_t now,
                                   fow_error *err);
/* Ids of the vouchers issued or active whose valid_until < as_of. */
fow_code vstore_vouchers_expiring(fow_db *db, const char *as_of, int64_t **ids, size_t *n, fow_error *err);

/* ---- redemptions and batches ---- */
fow_code vstore_redemption_insert(fow_db *db, const fow_redemption *r, int64_t *id, fow_error *err);
fow_code vstore_redemption_get(fow_db *db, int64_t id, fow_redemption *out, bool *found, fow_error *err);
fow_code vstore_redemption_id_by_key(fow_db *db, const char *key, int64_t *id, fow_error *err);
/* The redemption not refunded of enrolment, *id 0 when none. */
fow_code vstore_redemption_id_by_enrolment(fow_db *db, int64_t enrolment_id, int64_t *id, fow_error *err);
fow_code vstore_redemptions_list(fow_db *db, int64_t provider_id, const char *status, int64_t batch_id,
                                 fow_redemption **out, size_t *n, fow_error *err);
/* Sets status, note (NULL keeps), attendance (<0 keeps), payable_at (0 keeps), batch (<0 keeps). */
/* The redemptions of voucher_id, by id. */
fow_code vstore_redemptions_of_voucher(fow_db *db, int64_t voucher_id, fow_redemption **out, size_t *n,
                                       fow_error *err);
fow_code vstore_redemption_update(fow_db *db, int64_t id, const char *status, const char *note, int attendance,
                                  int64_t payable_at, int64_t batch_id, const char *actor, int64_t now,
                                  fow_error *err);
fow_code vstore_batch_insert(fow_db *db, const fow_payment_batch *b, int64_t *id, fow_error *err);
fow_code vstore_batch_approve(fow_db *db, int64_t id, const char *actor, int64_t now, fow_error *err);
fow_code vstore_batch_get(fow_db *db, int64_t id, fow_payment_batch *out, bool *found, fow_error *err);
fow_code vstore_batch_by_key(fow_db *db, const char *key, fow_payment_batch *out, bool *found, fow_error *err);
fow_code vstore_batches_list(fow_db *db, fow_payment_batch **out, size_t *n, fow_error *err);

/* ---- lab charges (voucher_lab_charges; src/labs' bookings paid by voucher) ---- */
typedef fow_voucher_lab_charge vstore_lab_charge;
fow_code vstore_lab_charge_insert(fow_db *db, const vstore_lab_charge *c, const char *actor, int64_t now, int64_t *id,
                                  fow_error *err);
fow_code vstore_lab_charge_by_key(fow_db *db, const char *key, vstore_lab_charge *out, bool *found, fow_error *err);
/* The charge of booking_id with status "charged". */
fow_code vstore_lab_charge_live(fow_db *db, int64_t booking_id, vstore_lab_charge *out, bool *found, fow_error *err);
/* Sets status and amount (> 0) and appends note. */
fow_code vstore_lab_charge_update(fow_db *db, int64_t id, const char *status, int64_t amount_minor, const char *note,
                                  const char *actor, int64_t now, fow_error *err);
/* The charges of provider_id (0 any) and batch_id (0 any) in state (a
 * fow_voucher_lab_charge_state name at now, NULL any), by id. */
fow_code vstore_lab_charges_list(fow_db *db, int64_t provider_id, int64_t batch_id, const char *state, int64_t now,
                                 vstore_lab_charge **out, size_t *n, fow_error *err);
/* Puts charge id into batch_id (0: out of any batch). */
fow_code vstore_lab_charge_set_batch(fow_db *db, int64_t id, int64_t batch_id, const char *actor, int64_t now,
                                     fow_error *err);
/* Sets the time charge id is payable from. */
fow_code vstore_lab_charge_set_payable_from(fow_db *db, int64_t id, int64_t payable_from, const char *actor,
                                            int64_t now, fow_error *err);
/* Marks charge id paid at now. */
fow_code vstore_lab_charge_set_paid(fow_db *db, int64_t id, const char *actor, int64_t now, fow_error *err);
/* How many refunds of charge id there were (ledger transfers keyed "lab-refund:<id>:"). */
fow_code vstore_lab_charge_refunds(fow_db *db, int64_t id, int64_t *n, fow_error *err);

/* ---- the voucher rows against the ledger (fow check) ---- */
#include "base/fow_check.h"
/* Adds to check every voucher, redemption and provider account whose
 * rows and ledger disagree (see fow_vouchers_check), and counts what it
 * looked at. */
fow_code vstore_check_rows(fow_db *db, fow_check_result *check, fow_error *err);
