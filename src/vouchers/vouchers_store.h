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
