/* fow_ledger.h — the double-entry ledger of the voucher programme
 * (src/vouchers; issue 14, point 6; docs/vouchers.md).
 *
 * Every movement of money is one transfer of a positive amount (integer
 * minor units) from one account (debited) to another (credited) of the
 * same currency, in the append-only table voucher_transfers: database
 * triggers refuse any UPDATE or DELETE of it. Each transfer carries an
 * idempotency key (a retry with the same key and the same content returns
 * the first transfer, with other content is refused), who made it, when,
 * why, and the SHA-256 hash of its canonical encoding, which includes the
 * hash of the transfer before it: changing, removing or reordering any
 * transfer breaks every hash after it. An account's balance is the sum of
 * what it received minus what it gave; it is cached in voucher_balances,
 * written only in the transaction that appends the transfer. The sum of
 * all balances is always zero (every transfer takes from one account what
 * it gives to another).
 *
 * Accounts (kind, and what owner_id names):
 *   fund       a fund (voucher_funds): the source of the grant; may go
 *              negative (it is minus what was allocated to its lines).
 *   available  a budget line (voucher_budget_lines): money not yet
 *              committed; never negative.
 *   voucher    a voucher (vouchers): committed to its beneficiary, not yet
 *              redeemed; never negative.
 *   claim      a redemption (voucher_redemptions): redeemed for an
 *              enrolment, waiting for completion; never negative.
 *   payable    a training provider: completed claims owed to it; never
 *              negative.
 *   paid       a training provider: what it was paid (payment batches);
 *              never negative.
 * Expiry, cancellation and refunds return money to where it came from (a
 * voucher's rest to its budget line's available account, a refunded claim
 * to its voucher); the transfer's kind says why.
 */
#ifndef FOW_LEDGER_H
#define FOW_LEDGER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/fow_check.h"
#include "base/fow_error.h"
#include "store/fow_db.h"

/* Longest idempotency key, actor, reason (bytes). */
#define FOW_LEDGER_KEY_MAX 128
#define FOW_LEDGER_ACTOR_MAX 64
#define FOW_LEDGER_REASON_MAX 256
/* A SHA-256 hash in lower-case hex, and its terminating NUL. */
#define FOW_LEDGER_HASH_HEX 65

typedef enum fow_ledger_account_kind {
    FOW_ACCOUNT_FUND,
    FOW_ACCOUNT_AVAILABLE,
    FOW_ACCOUNT_VOUCHER,
    FOW_ACCOUNT_CLAIM,
    FOW_ACCOUNT_PAYABLE,
    FOW_ACCOUNT_PAID,
    FOW_ACCOUNT_KIND_COUNT
} fow_ledger_account_kind;

/* "fund", "available", ... Never NULL (for a valid kind). */
const char *fow_ledger_account_kind_name(fow_ledger_account_kind kind);

/* True for the kinds whose balance may go below zero (fund only). */
bool fow_ledger_account_may_go_negative(fow_ledger_account_kind kind);

typedef struct fow_ledger_account {
    int64_t id;
    char kind[16];
    int64_t owner_id;
    char currency[4];
    bool may_go_negative;
    int64_t balance_minor; /* the cached balance */
    int64_t transfers;     /* how many transfers moved it */
} fow_ledger_account;

/* The id of the account of kind for owner_id in currency, created (with a
 * zero balance) when missing, in *id. Must run inside the caller's write
 * transaction (fow_db_begin). An existing account of another currency:
 * FOW_EINPUT (field "currency"). FOW_EDB on failure. */
fow_code fow_ledger_account_ensure(fow_db *db, fow_ledger_account_kind kind, int64_t owner_id, const char *currency,
                                   int64_t *id, fow_error *err);

/* Account id with its cached balance into *out. FOW_ENOTFOUND (field
 * "account") when there is none. */
fow_code fow_ledger_account_get(fow_db *db, int64_t id, fow_ledger_account *out, fow_error *err);

/* The account of kind for owner_id into *out; *found false (and *out
 * zeroed) when it does not exist yet (a balance of zero). */
fow_code fow_ledger_account_find(fow_db *db, fow_ledger_account_kind kind, int64_t owner_id, fow_ledger_account *out,
                                 bool *found, fow_error *err);

/* What a transfer moves. Texts are borrowed for the call. */
typedef struct fow_ledger_transfer_in {
    const char *key;      /* idempotency key, 1..FOW_LEDGER_KEY_MAX bytes, printable, no line break */
    const char *kind;     /* allocate, issue, redeem, complete, pay, expire, cancel, refund (any [a-z_]{1,15}) */
    int64_t from_account; /* debited */
    int64_t to_account;   /* credited */
    int64_t amount_minor; /* > 0 */
    const char *actor;    /* who made it, 1..FOW_LEDGER_ACTOR_MAX bytes */
    const char *reason;   /* why, may be "" or NULL, at most FOW_LEDGER_REASON_MAX bytes */
    int64_t at;           /* Unix seconds */
} fow_ledger_transfer_in;

typedef struct fow_ledger_transfer {
    int64_t id;
    char key[FOW_LEDGER_KEY_MAX + 1];
    char kind[16];
    int64_t from_account, to_account;
    int64_t amount_minor;
    char currency[4];
    char actor[FOW_LEDGER_ACTOR_MAX + 1];
    int64_t at;
    char reason[FOW_LEDGER_REASON_MAX + 1];
    char prev_hash[FOW_LEDGER_HASH_HEX];
    char hash[FOW_LEDGER_HASH_HEX];
} fow_ledger_transfer;

/* Appends the transfer in to the ledger inside the caller's write
 * transaction (fow_db_begin; FOW_EINTERNAL when none is open), updating
 * both cached balances; the transfer's id into *id (may be NULL).
 * *replayed (may be NULL) is true when a transfer with the same key and the
 * same kind, accounts and amount already existed: nothing is written and
 * *id is that transfer's. Errors (nothing written; the caller rolls back):
 * FOW_EINPUT naming the field ("key", "kind", "amount", "actor",
 * "reason", "account") for a bad value, a key already used for other
 * content, accounts of different currencies, or a debit that would take
 * an account that must not go negative below zero ("amount", naming the
 * account and its balance); FOW_ENOTFOUND ("account") for an unknown
 * account; FOW_EDB. */
fow_code fow_ledger_post(fow_db *db, const fow_ledger_transfer_in *in, int64_t *id, bool *replayed, fow_error *err);

/* fow_ledger_post in its own write transaction (committed on success,
 * rolled back on failure). */
fow_code fow_ledger_transfer_commit(fow_db *db, const fow_ledger_transfer_in *in, int64_t *id, bool *replayed,
                             fow_error *err);

/* Calls each for every account, in id order, with its cached balance, in
 * one snapshot; each returns 0 to go on (non-zero stops: FOW_EINTERNAL). */
fow_code fow_ledger_accounts_each(fow_db *db, int (*each)(const fow_ledger_account *a, void *ctx), void *ctx,
                                  fow_error *err);

/* Transfer id into *out. FOW_ENOTFOUND (field "transfer"). */
fow_code fow_ledger_transfer_get(fow_db *db, int64_t id, fow_ledger_transfer *out, fow_error *err);

/* The SHA-256 of transfer t's canonical encoding (docs/vouchers.md), in
 * lower-case hex, into hex; t->prev_hash must be set. Pure; can't fail. */
void fow_ledger_hash(const fow_ledger_transfer *t, char hex[FOW_LEDGER_HASH_HEX]);

/* The ledger's checks (`fow check`), each added to report: "vouchers.chain"
 * (every transfer's prev_hash is the hash before it and its hash is the hash
 * of its content), "vouchers.transfers" (amount > 0, two different accounts
 * of the transfer's currency), "vouchers.balances" (every cached balance is
 * the sum of its transfers, and all balances sum to zero per currency),
 * "vouchers.negative" (no account that must not go negative is below
 * zero), "vouchers.rows" (the voucher tables agree with the ledger: each
 * voucher's value was issued to it, an expired or cancelled voucher holds
 * nothing, a claim's account holds its amount while "redeemed" and nothing
 * after, each provider's payable and paid accounts equal the sums of its
 * payable-or-batched and paid claims, the payable account with its live lab
 * charges too, and each lab charge's transfers net its amount while charged,
 * nothing once refunded). Reads in one snapshot. FOW_EDB / FOW_ENOMEM on failure (a problem
 * found is not a failure). */
fow_code fow_vouchers_check(fow_db *db, fow_check_report *report, fow_error *err);

/* Writes the whole ledger to out, in one snapshot: as JSON
 * ({"format": "fow-ledger-1", "accounts": [...], "transfers": [...]}) or as
 * CSV (a header, then one row per transfer; accounts as rows with kind
 * "account"), as docs/vouchers.md describes, for verification by another
 * program (tests/e2e/verify_ledger.py). FOW_EIO when writing fails. */
fow_code fow_ledger_export(fow_db *db, bool csv, FILE *out, fow_error *err);

#endif
