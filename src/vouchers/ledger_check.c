/* ledger_check.c — the ledger's checks for `fow check` and its export for
 * verification by another program (fow_ledger.h). */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/fow_vec.h"
#include "vouchers/fow_ledger.h"
#include "vouchers/vouchers_store.h"

/* Every account with its cached balance and what the transfers sum to. */
typedef struct account_sum {
    fow_ledger_account account;
    int64_t computed; /* received minus given, from the transfers */
    int64_t moved;    /* transfers that moved it */
    bool overflow;
} account_sum;

typedef struct check_state {
    account_sum *accounts;
    size_t n_accounts, cap;
    fow_check_result *chain, *transfers;
    int64_t last_id;
    char last_hash[FOW_LEDGER_HASH_HEX];
} check_state;

static int collect_account(const fow_ledger_account *a, void *ctx) {
    check_state *s = ctx;
    account_sum item = {.account = *a};
    return FOW_VEC_PUSH(s->accounts, s->n_accounts, s->cap, item);
}

/* The account with id (accounts are read in id order), or NULL. */
static account_sum *find_account(check_state *s, int64_t id) {
    size_t lo = 0, hi = s->n_accounts;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->accounts[mid].account.id < id) lo = mid + 1;
        else hi = mid;
    }
    return lo < s->n_accounts && s->accounts[lo].account.id == id ? &s->accounts[lo] : NULL;
}

static void add_to(account_sum *a, int64_t delta) {
    if ((delta > 0 && a->computed > INT64_MAX - delta) || (delta < 0 && a->computed < INT64_MIN - delta))
        a->overflow = true;
    else
        a->computed += delta;
    a->moved++;
}

static int check_transfer(const fow_ledger_transfer *t, void *ctx) {
    check_state *s = ctx;
    s->chain->checked++;
    s->transfers->checked++;
    if (t->id != s->last_id + 1)
        fow_check_problem(s->chain, "voucher_transfers (id %" PRId64 "): follows transfer %" PRId64
                                    ": a transfer is missing or out of order",
                          t->id, s->last_id);
    const char *expected_prev =
        s->last_id == 0 ? "0000000000000000000000000000000000000000000000000000000000000000" : s->last_hash;
    if (strcmp(t->prev_hash, expected_prev) != 0)
        fow_check_problem(s->chain, "voucher_transfers (id %" PRId64 "): prev_hash %.16s... is not the hash before it "
                                    "(%.16s...)",
                          t->id, t->prev_hash, expected_prev);
    char hash[FOW_LEDGER_HASH_HEX];
    fow_ledger_hash(t, hash);
    if (strcmp(hash, t->hash) != 0)
        fow_check_problem(s->chain, "voucher_transfers (id %" PRId64 "): hash %.16s... is not the hash of its content "
                                    "(%.16s...): the transfer was changed",
                          t->id, t->hash, hash);
    s->last_id = t->id;
    snprintf(s->last_hash, sizeof s->last_hash, "%s", t->hash);

    account_sum *from = find_account(s, t->from_account), *to = find_account(s, t->to_account);
    if (t->amount_minor <= 0)
        fow_check_problem(s->transfers, "voucher_transfers (id %" PRId64 "): amount %" PRId64 " is not positive",
                          t->id, t->amount_minor);
    if (t->from_account == t->to_account)
        fow_check_problem(s->transfers, "voucher_transfers (id %" PRId64 "): from and to the same account %" PRId64,
                          t->id, t->from_account);
    if (!from || !to)
        fow_check_problem(s->transfers, "voucher_transfers (id %" PRId64 "): account %" PRId64 " does not exist", t->id,
                          from ? t->to_account : t->from_account);
    else if (strcmp(from->account.currency, t->currency) != 0 || strcmp(to->account.currency, t->currency) != 0)
        fow_check_problem(s->transfers, "voucher_transfers (id %" PRId64 "): in %s between accounts of %s and %s",
                          t->id, t->currency, from->account.currency, to->account.currency);
    if (from) add_to(from, -t->amount_minor);
    if (to) add_to(to, t->amount_minor);
    return 0;
}

fow_code fow_vouchers_check(fow_db *db, fow_check_report *report, fow_error *err) {
    check_state s = {0};
    bool own_snapshot = !fow_db_in_transaction(db);
    fow_code rc = own_snapshot ? fow_db_read_begin(db, err) : FOW_OK;
    if (rc) return rc;
    s.chain = fow_check_begin(report, "vouchers.chain",
                              "each transfer follows the one before it, names its hash, and hashes to its own hash");
    s.transfers = s.chain ? fow_check_begin(report, "vouchers.transfers",
                                            "each transfer moves a positive amount between two existing, different "
                                            "accounts of its currency")
                          : NULL;
    fow_check_result *balances =
        s.transfers ? fow_check_begin(report, "vouchers.balances",
                                      "each cached balance equals the sum of its transfers; balances sum to zero per "
                                      "currency")
                    : NULL;
    fow_check_result *negative =
        balances ? fow_check_begin(report, "vouchers.negative",
                                   "no account that must not go negative (all but funds) is below zero")
                 : NULL;
    /* each fow_check_begin may move the results: take them again */
    fow_check_result *rows =
        negative ? fow_check_begin(report, "vouchers.rows",
                                   "vouchers, claims and providers' accounts agree with the ledger: a voucher's "
                                   "value was issued to it, an ended voucher holds nothing, a claim's account holds "
                                   "its amount until settled, payable and paid accounts equal their claims")
                 : NULL;
    if (!rows) {
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        goto done;
    }
    s.chain = &report->results[report->n_results - 5];
    s.transfers = &report->results[report->n_results - 4];
    balances = &report->results[report->n_results - 3];
    negative = &report->results[report->n_results - 2];
    if ((rc = vstore_check_rows(db, rows, err))) goto done;
    if ((rc = vstore_accounts_each(db, collect_account, &s, err))) goto done;
    if ((rc = vstore_transfers_each(db, check_transfer, &s, err))) goto done;

    /* balances per currency: at most a few currencies, kept in a small list */
    struct {
        char currency[4];
        int64_t sum;
        bool overflow;
    } totals[16];
    size_t n_totals = 0;
    for (size_t i = 0; i < s.n_accounts; i++) {
        account_sum *a = &s.accounts[i];
        balances->checked++;
        negative->checked++;
        if (a->overflow)
            fow_check_problem(balances, "voucher_balances (account %" PRId64 "): the sum of its transfers overflows",
                              a->account.id);
        else if (a->computed != a->account.balance_minor || a->moved != a->account.transfers)
            fow_check_problem(balances,
                              "voucher_balances (account %" PRId64 ", %s %" PRId64 "): cached %" PRId64 " after %" PRId64
                              " transfers, the transfers sum to %" PRId64 " in %" PRId64,
                              a->account.id, a->account.kind, a->account.owner_id, a->account.balance_minor,
                              a->account.transfers, a->computed, a->moved);
        bool must_not = strcmp(a->account.kind, "fund") != 0;
        if (must_not == a->account.may_go_negative)
            fow_check_problem(negative, "voucher_accounts (id %" PRId64 "): a %s account %s go negative", a->account.id,
                              a->account.kind, must_not ? "must not" : "may");
        if (must_not && (a->account.balance_minor < 0 || a->computed < 0))
            fow_check_problem(negative, "voucher_balances (account %" PRId64 ", %s %" PRId64 "): balance %" PRId64,
                              a->account.id, a->account.kind, a->account.owner_id,
                              a->account.balance_minor < 0 ? a->account.balance_minor : a->computed);
        size_t k = 0;
        while (k < n_totals && strcmp(totals[k].currency, a->account.currency) != 0) k++;
        if (k == n_totals) {
            if (n_totals == sizeof totals / sizeof totals[0]) {
                fow_check_problem(balances, "voucher_accounts: more than %zu currencies", n_totals);
                continue;
            }
            snprintf(totals[k].currency, sizeof totals[k].currency, "%s", a->account.currency);
            totals[k].sum = 0;
            totals[k].overflow = false;
            n_totals++;
        }
        if (!a->overflow) {
            int64_t v = a->computed;
            if ((v > 0 && totals[k].sum > INT64_MAX - v) || (v < 0 && totals[k].sum < INT64_MIN - v))
                totals[k].overflow = true;
            else
                totals[k].sum += v;
        }
    }
    for (size_t k = 0; k < n_totals; k++)
        if (totals[k].sum != 0 || totals[k].overflow)
            fow_check_problem(balances, "voucher_balances (%s): the balances sum to %" PRId64 ", not zero",
                              totals[k].currency, totals[k].sum);
done:
    if (own_snapshot) fow_db_read_end(db);
    free(s.accounts);
    return rc;
}

/* ---- export ---- */

typedef struct export_state {
    FILE *out;
    bool csv, first;
} export_state;

static void csv_field(FILE *out, const char *text) {
    if (strpbrk(text, ",\"\r\n") == NULL) {
        fputs(text, out);
        return;
    }
    fputc('"', out);
    for (const char *p = text; *p; p++) {
        if (*p == '"') fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

static int export_account(const fow_ledger_account *a, void *ctx) {
    export_state *s = ctx;
    if (s->csv) {
        fprintf(s->out, "account,%" PRId64 ",%s,%" PRId64 ",%s,%d,%" PRId64 ",%" PRId64 ",,,,,,,,,\r\n", a->id, a->kind,
                a->owner_id, a->currency, a->may_go_negative ? 1 : 0, a->balance_minor, a->transfers);
        return 0;
    }
    json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:b, s:I, s:I}", "id", (json_int_t)a->id, "kind", a->kind, "owner_id",
                          (json_int_t)a->owner_id, "currency", a->currency, "may_go_negative", a->may_go_negative,
                          "balance_minor", (json_int_t)a->balance_minor, "transfers", (json_int_t)a->transfers);
    if (!o) return -1;
    fputs(s->first ? "\n  " : ",\n  ", s->out);
    s->first = false;
    int r = json_dumpf(o, s->out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    json_decref(o);
    return r;
}

static int export_transfer(const fow_ledger_transfer *t, void *ctx) {
    export_state *s = ctx;
    if (s->csv) {
        fprintf(s->out, "transfer,%" PRId64 ",%s,,%s,,,,", t->id, t->kind, t->currency);
        csv_field(s->out, t->key);
        fprintf(s->out, ",%" PRId64 ",%" PRId64 ",%" PRId64 ",", t->from_account, t->to_account, t->amount_minor);
        csv_field(s->out, t->actor);
        fprintf(s->out, ",%" PRId64 ",", t->at);
        csv_field(s->out, t->reason);
        fprintf(s->out, ",%s,%s\r\n", t->prev_hash, t->hash);
        return 0;
    }
    json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:s}", "id", (json_int_t)t->id,
                          "key", t->key, "kind", t->kind, "from_account", (json_int_t)t->from_account, "to_account",
                          (json_int_t)t->to_account, "amount_minor", (json_int_t)t->amount_minor, "currency",
                          t->currency, "actor", t->actor, "at", (json_int_t)t->at, "reason", t->reason, "prev_hash",
                          t->prev_hash, "hash", t->hash);
    if (!o) return -1;
    fputs(s->first ? "\n  " : ",\n  ", s->out);
    s->first = false;
    int r = json_dumpf(o, s->out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    json_decref(o);
    return r;
}

fow_code fow_ledger_export(fow_db *db, bool csv, FILE *out, fow_error *err) {
    bool own_snapshot = !fow_db_in_transaction(db);
    fow_code rc = own_snapshot ? fow_db_read_begin(db, err) : FOW_OK;
    if (rc) return rc;
    export_state s = {.out = out, .csv = csv, .first = true};
    if (csv)
        fputs("record,id,kind,owner_id,currency,may_go_negative,balance_minor,transfers,key,from_account,to_account,"
              "amount_minor,actor,at,reason,prev_hash,hash\r\n",
              out);
    else
        fputs("{\"format\": \"fow-ledger-1\", \"hash\": \"sha256\", \"accounts\": [", out);
    rc = vstore_accounts_each(db, export_account, &s, err);
    if (!rc && !csv) {
        fputs("\n], \"transfers\": [", out);
        s.first = true;
    }
    if (!rc) rc = vstore_transfers_each(db, export_transfer, &s, err);
    if (!rc && !csv) fputs("\n]}\n", out);
    if (own_snapshot) fow_db_read_end(db);
    if (!rc && (fflush(out) != 0 || ferror(out))) rc = fow_error_set(err, FOW_EIO, "could not write the ledger export");
    return rc;
}
