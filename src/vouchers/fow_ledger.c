/* fow_ledger.c — appending transfers to the hash-chained, double-entry
 * ledger (fow_ledger.h); the checks and the export are in ledger_check.c. */
#include "vouchers/fow_ledger.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "vouchers/vouchers_store.h"

static const char *const account_kinds[FOW_ACCOUNT_KIND_COUNT] = {"fund",  "available", "voucher",
                                                                  "claim", "payable",   "paid"};

const char *fow_ledger_account_kind_name(fow_ledger_account_kind kind) {
    return (unsigned)kind < FOW_ACCOUNT_KIND_COUNT ? account_kinds[kind] : "unknown";
}

bool fow_ledger_account_may_go_negative(fow_ledger_account_kind kind) { return kind == FOW_ACCOUNT_FUND; }

fow_code fow_ledger_account_ensure(fow_db *db, fow_ledger_account_kind kind, int64_t owner_id, const char *currency,
                                   int64_t *id, fow_error *err) {
    if ((unsigned)kind >= FOW_ACCOUNT_KIND_COUNT)
        return fow_error_set_at(err, FOW_EINTERNAL, NULL, 0, 0, "account", "unknown account kind %d", (int)kind);
    if (!fow_db_in_transaction(db))
        return fow_error_set(err, FOW_EINTERNAL, "an account is made inside a write transaction");
    fow_ledger_account a;
    bool found;
    fow_code rc = vstore_account_find(db, account_kinds[kind], owner_id, &a, &found, err);
    if (rc) return rc;
    if (found) {
        if (strcmp(a.currency, currency) != 0)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "currency",
                                    "account %s %" PRId64 " holds %s, not %s", a.kind, owner_id, a.currency,
                                    currency);
        *id = a.id;
        return FOW_OK;
    }
    return vstore_account_insert(db, account_kinds[kind], owner_id, currency, fow_ledger_account_may_go_negative(kind),
                                 0, id, err);
}

fow_code fow_ledger_account_get(fow_db *db, int64_t id, fow_ledger_account *out, fow_error *err) {
    bool found;
    fow_code rc = vstore_account_get(db, id, out, &found, err);
    if (!rc && !found)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "account", "no account %" PRId64, id);
    return rc;
}

fow_code fow_ledger_account_find(fow_db *db, fow_ledger_account_kind kind, int64_t owner_id, fow_ledger_account *out,
                                 bool *found, fow_error *err) {
    memset(out, 0, sizeof *out);
    if ((unsigned)kind >= FOW_ACCOUNT_KIND_COUNT)
        return fow_error_set_at(err, FOW_EINTERNAL, NULL, 0, 0, "account", "unknown account kind %d", (int)kind);
    fow_code rc = vstore_account_find(db, account_kinds[kind], owner_id, out, found, err);
    if (!rc && !*found) memset(out, 0, sizeof *out);
    return rc;
}

/* ---- the canonical encoding and its hash ---- */

/* Appends one field as "<byte length>:<bytes>\n" to the hash state. */
static void hash_field(crypto_hash_sha256_state *s, const char *text) {
    char len[24];
    size_t n = strlen(text);
    int k = snprintf(len, sizeof len, "%zu:", n);
    crypto_hash_sha256_update(s, (const unsigned char *)len, (unsigned long long)k);
    crypto_hash_sha256_update(s, (const unsigned char *)text, (unsigned long long)n);
    crypto_hash_sha256_update(s, (const unsigned char *)"\n", 1);
}

static void hash_int(crypto_hash_sha256_state *s, int64_t v) {
    char text[24];
    snprintf(text, sizeof text, "%" PRId64, v);
    hash_field(s, text);
}

void fow_ledger_hash(const fow_ledger_transfer *t, char hex[FOW_LEDGER_HASH_HEX]) {
    crypto_hash_sha256_state s;
    crypto_hash_sha256_init(&s);
    hash_field(&s, "fow-ledger-1");
    hash_int(&s, t->id);
    hash_field(&s, t->key);
    hash_field(&s, t->kind);
    hash_int(&s, t->from_account);
    hash_int(&s, t->to_account);
    hash_int(&s, t->amount_minor);
    hash_field(&s, t->currency);
    hash_field(&s, t->actor);
    hash_int(&s, t->at);
    hash_field(&s, t->reason);
    hash_field(&s, t->prev_hash);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&s, h);
    sodium_bin2hex(hex, FOW_LEDGER_HASH_HEX, h, sizeof h);
}

/* ---- posting ---- */

/* Valid UTF-8 without control characters (so that every export format
 * carries it unchanged). */
static bool printable_line(const char *s) {
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(s);
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, left, &cp);
        if (k <= 0 || cp < 0x20 || cp == 0x7f) return false;
        p += k;
        left -= k;
    }
    return true;
}

static fow_code check_input(const fow_ledger_transfer_in *in, fow_error *err) {
    if (!in->key || !*in->key || strlen(in->key) > FOW_LEDGER_KEY_MAX || !printable_line(in->key))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "key",
                                "an idempotency key is 1 to %d bytes of UTF-8 without control characters", FOW_LEDGER_KEY_MAX);
    size_t kind_len = in->kind ? strlen(in->kind) : 0;
    if (kind_len == 0 || kind_len > 15 || strspn(in->kind, "abcdefghijklmnopqrstuvwxyz_") != kind_len)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "kind",
                                "a transfer's kind is 1 to 15 lower-case letters or '_', not '%s'",
                                in->kind ? in->kind : "");
    if (in->amount_minor <= 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "amount",
                                "a transfer moves a positive amount (minor units), not %" PRId64, in->amount_minor);
    if (!in->actor || !*in->actor || strlen(in->actor) > FOW_LEDGER_ACTOR_MAX || !printable_line(in->actor))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "actor", "who makes a transfer is 1 to %d bytes of UTF-8 without control characters",
                                FOW_LEDGER_ACTOR_MAX);
    if (in->reason && (strlen(in->reason) > FOW_LEDGER_REASON_MAX || !printable_line(in->reason)))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "reason",
                                "a reason is at most %d bytes of UTF-8 without control characters",
                                FOW_LEDGER_REASON_MAX);
    if (in->from_account == in->to_account)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "account",
                                "a transfer moves money between two different accounts, not %" PRId64 " to itself",
                                in->from_account);
    return FOW_OK;
}

fow_code fow_ledger_post(fow_db *db, const fow_ledger_transfer_in *in, int64_t *id, bool *replayed, fow_error *err) {
    if (replayed) *replayed = false;
    if (!fow_db_in_transaction(db))
        return fow_error_set(err, FOW_EINTERNAL, "a transfer is posted inside a write transaction");
    if (sodium_init() < 0) return fow_error_set(err, FOW_EINTERNAL, "libsodium could not be initialised");
    fow_code rc = check_input(in, err);
    if (rc) return rc;
    fow_ledger_transfer t;
    bool found;
    if ((rc = vstore_transfer_by_key(db, in->key, &t, &found, err))) return rc;
    if (found) {
        if (strcmp(t.kind, in->kind) != 0 || t.from_account != in->from_account || t.to_account != in->to_account ||
            t.amount_minor != in->amount_minor)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "key",
                                    "idempotency key '%s' was used by transfer %" PRId64 " (%s of %" PRId64
                                    " from account %" PRId64 " to %" PRId64 "), not for this one",
                                    in->key, t.id, t.kind, t.amount_minor, t.from_account, t.to_account);
        if (id) *id = t.id;
        if (replayed) *replayed = true;
        return FOW_OK;
    }
    fow_ledger_account from, to;
    bool from_found, to_found;
    if ((rc = vstore_account_get(db, in->from_account, &from, &from_found, err))) return rc;
    if ((rc = vstore_account_get(db, in->to_account, &to, &to_found, err))) return rc;
    if (!from_found || !to_found)
        return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "account", "no account %" PRId64,
                                from_found ? in->to_account : in->from_account);
    if (strcmp(from.currency, to.currency) != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "account",
                                "account %" PRId64 " holds %s and account %" PRId64 " holds %s: a transfer "
                                "stays in one currency",
                                from.id, from.currency, to.id, to.currency);
    if (!from.may_go_negative && from.balance_minor < in->amount_minor)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "amount",
                                "account %" PRId64 " (%s %" PRId64 ") holds %" PRId64 " %s, less than %" PRId64,
                                from.id, from.kind, from.owner_id, from.balance_minor, from.currency,
                                in->amount_minor);
    if (to.balance_minor > INT64_MAX - in->amount_minor || from.balance_minor < INT64_MIN + in->amount_minor)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "amount", "amount %" PRId64 " is too large",
                                in->amount_minor);
    memset(&t, 0, sizeof t);
    int64_t last_id;
    if ((rc = vstore_transfer_last(db, &last_id, t.prev_hash, err))) return rc;
    if (last_id == 0) memset(t.prev_hash, '0', FOW_LEDGER_HASH_HEX - 1), t.prev_hash[FOW_LEDGER_HASH_HEX - 1] = '\0';
    t.id = last_id + 1;
    snprintf(t.key, sizeof t.key, "%s", in->key);
    snprintf(t.kind, sizeof t.kind, "%s", in->kind);
    t.from_account = in->from_account;
    t.to_account = in->to_account;
    t.amount_minor = in->amount_minor;
    snprintf(t.currency, sizeof t.currency, "%s", from.currency);
    snprintf(t.actor, sizeof t.actor, "%s", in->actor);
    t.at = in->at;
    snprintf(t.reason, sizeof t.reason, "%s", in->reason ? in->reason : "");
    fow_ledger_hash(&t, t.hash);
    if ((rc = vstore_transfer_insert(db, &t, err))) return rc;
    if ((rc = vstore_balance_add(db, t.from_account, -t.amount_minor, err))) return rc;
    if ((rc = vstore_balance_add(db, t.to_account, t.amount_minor, err))) return rc;
    if (id) *id = t.id;
    return FOW_OK;
}

fow_code fow_ledger_transfer_commit(fow_db *db, const fow_ledger_transfer_in *in, int64_t *id, bool *replayed,
                             fow_error *err) {
    fow_code rc = fow_db_begin(db, err);
    if (rc) return rc;
    rc = fow_ledger_post(db, in, id, replayed, err);
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) fow_db_rollback(db);
    return rc;
}

fow_code fow_ledger_transfer_get(fow_db *db, int64_t id, fow_ledger_transfer *out, fow_error *err) {
    bool found;
    fow_code rc = vstore_transfer_get(db, id, out, &found, err);
    if (!rc && !found)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "transfer", "no transfer %" PRId64, id);
    return rc;
}

fow_code fow_ledger_accounts_each(fow_db *db, int (*each)(const fow_ledger_account *a, void *ctx), void *ctx,
                                  fow_error *err) {
    bool own_snapshot = !fow_db_in_transaction(db);
    fow_code rc = own_snapshot ? fow_db_read_begin(db, err) : FOW_OK;
    if (!rc) rc = vstore_accounts_each(db, each, ctx, err);
    if (own_snapshot) fow_db_read_end(db);
    return rc;
}
