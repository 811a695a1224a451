/* vouchers_store.c — every SQL statement of the voucher tables
 * (vouchers_store.h). */
#include "vouchers/vouchers_store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fow_vec.h"
#include "store/fow_db_args.h"
#include "store/fow_db_check.h"

static void copy_text(sqlite3_stmt *st, int col, char *dst, size_t n) {
    snprintf(dst, n, "%s", fow_db_column_text(st, col));
}

/* ---- funds ---------------------------------------------------------- */

#define FUND_COLUMNS                                                                                               \
    "f.id, f.name, f.currency, f.description, f.created_at, f.created_by, "                                        \
    "coalesce((SELECT -b.balance_minor FROM voucher_accounts a JOIN voucher_balances b ON b.account_id = a.id "    \
    "WHERE a.kind = 'fund' AND a.owner_id = f.id), 0)"

static void read_fund(sqlite3_stmt *st, void *item) {
    fow_voucher_fund *f = item;
    memset(f, 0, sizeof *f);
    f->id = sqlite3_column_int64(st, 0);
    copy_text(st, 1, f->name, sizeof f->name);
    copy_text(st, 2, f->currency, sizeof f->currency);
    copy_text(st, 3, f->description, sizeof f->description);
    f->created_at = sqlite3_column_int64(st, 4);
    copy_text(st, 5, f->created_by, sizeof f->created_by);
    f->allocated_minor = sqlite3_column_int64(st, 6);
}

fow_code vstore_fund_insert(fow_db *db, const char *name, const char *currency, const char *description,
                            const char *actor, int64_t now, int64_t *id, fow_error *err) {
    return fow_db_insert(db,
                         "INSERT INTO voucher_funds (name, currency, description, created_at, created_by) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)",
                         FOW_DB_ARGS(FOW_ARG_TEXT(name), FOW_ARG_TEXT(currency), FOW_ARG_TEXT(description),
                                     FOW_ARG_INT(now), FOW_ARG_TEXT(actor)),
                         "adding a fund", id, err);
}

fow_code vstore_fund_by_name(fow_db *db, const char *name, bool *found, fow_error *err) {
    return fow_db_row(db, "SELECT id FROM voucher_funds WHERE name = ?1", FOW_DB_ARGS(FOW_ARG_TEXT(name)), NULL, NULL,
                      found, "finding a fund", err);
}

fow_code vstore_fund_get(fow_db *db, int64_t id, fow_voucher_fund *out, bool *found, fow_error *err) {
    return fow_db_row(db, "SELECT " FUND_COLUMNS " FROM voucher_funds f WHERE f.id = ?1", FOW_DB_ARGS(FOW_ARG_INT(id)),
                      read_fund, out, found, "reading a fund", err);
}

fow_code vstore_funds_list(fow_db *db, fow_voucher_fund **out, size_t *n, fow_error *err) {
    return fow_db_rows(db, "SELECT " FUND_COLUMNS " FROM voucher_funds f ORDER BY f.id", NULL, 0, read_fund,
                       (void **)out, n, sizeof **out, "listing funds", err);
}

/* ---- budget lines --------------------------------------------------- */

/* The line's amounts, from the ledger: allocated (allocations in, net of
 * none going back), available (its account's balance), committed (its
 * vouchers' balances), redeemed (redemptions from its vouchers net of
 * refunds), returned (expiries and cancellations of its vouchers). */
#define LINE_COLUMNS                                                                                               \
    "l.id, l.fund_id, f.name, l.purpose, l.year, l.name, f.currency, l.created_at, l.created_by, "                 \
    "coalesce((SELECT sum(t.amount_minor) FROM voucher_accounts a JOIN voucher_transfers t ON t.to_account = a.id " \
    "  WHERE a.kind = 'available' AND a.owner_id = l.id AND t.kind = 'allocate'), 0), "                            \
    "coalesce((SELECT b.balance_minor FROM voucher_accounts a JOIN voucher_balances b ON b.account_id = a.id "     \
    "  WHERE a.kind = 'available' AND a.owner_id = l.id), 0), "                                                     \
    "coalesce((SELECT sum(b.balance_minor) FROM vouchers v JOIN voucher_accounts a ON a.kind = 'voucher' AND "     \
    "  a.owner_id = v.id JOIN voucher_balances b ON b.account_id = a.id WHERE v.line_id = l.id), 0), "            \
    "coalesce((SELECT sum(CASE WHEN t.kind = 'redeem' THEN t.amount_minor ELSE 0 END) - "                          \
    "  sum(CASE WHEN t.kind = 'refund' THEN t.amount_minor ELSE 0 END) FROM vouchers v JOIN voucher_accounts a "  \
    "  ON a.kind = 'voucher' AND a.owner_id = v.id JOIN voucher_transfers t ON (t.from_account = a.id AND "       \
    "  t.kind = 'redeem') OR (t.to_account = a.id AND t.kind = 'refund') WHERE v.line_id = l.id), 0), "           \
    "coalesce((SELECT sum(t.amount_minor) FROM vouchers v JOIN voucher_accounts a ON a.kind = 'voucher' AND "     \
    "  a.owner_id = v.id JOIN voucher_transfers t ON t.from_account = a.id WHERE v.line_id = l.id AND "           \
    "  t.kind IN ('expire', 'cancel')), 0)"

static void read_line(sqlite3_stmt *st, void *item) {
    fow_budget_line *l = item;
    memset(l, 0, sizeof *l);
    l->id = sqlite3_column_int64(st, 0);
    l->fund_id = sqlite3_column_int64(st, 1);
    copy_text(st, 2, l->fund_name, sizeof l->fund_name);
    copy_text(st, 3, l->purpose, sizeof l->purpose);
    l->year = sqlite3_column_int(st, 4);
    copy_text(st, 5, l->name, sizeof l->name);
    copy_text(st, 6, l->currency, sizeof l->currency);
    l->created_at = sqlite3_column_int64(st, 7);
    copy_text(st, 8, l->created_by, sizeof l->created_by);
    l->allocated_minor = sqlite3_column_int64(st, 9);
    l->available_minor = sqlite3_column_int64(st, 10);
    l->committed_minor = sqlite3_column_int64(st, 11);
    l->redeemed_minor = sqlite3_column_int64(st, 12);
    l->returned_minor = sqlite3_column_int64(st, 13);
}

fow_code vstore_line_insert(fow_db *db, int64_t fund_id, const char *purpose, int year, const char *name,
                            const char *actor, int64_t now, int64_t *id, fow_error *err) {
    return fow_db_insert(db,
                         "INSERT INTO voucher_budget_lines (fund_id, purpose, year, name, created_at, "
                         "created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                         FOW_DB_ARGS(FOW_ARG_INT(fund_id), FOW_ARG_TEXT(purpose), FOW_ARG_INT(year), FOW_ARG_TEXT(name),
                                     FOW_ARG_INT(now), FOW_ARG_TEXT(actor)),
                         "adding a budget line", id, err);
}

fow_code vstore_line_exists(fow_db *db, int64_t fund_id, const char *purpose, int year, bool *found,
                            fow_error *err) {
    return fow_db_row(db, "SELECT id FROM voucher_budget_lines WHERE fund_id = ?1 AND purpose = ?2 AND year = ?3",
                      FOW_DB_ARGS(FOW_ARG_INT(fund_id), FOW_ARG_TEXT(purpose), FOW_ARG_INT(year)), NULL, NULL, found,
                      "finding a budget line", err);
}

fow_code vstore_line_get(fow_db *db, int64_t id, fow_budget_line *out, bool *found, fow_error *err) {
    return fow_db_row(db,
                      "SELECT " LINE_COLUMNS " FROM voucher_budget_lines l JOIN voucher_funds f "
                      "ON f.id = l.fund_id WHERE l.id = ?1",
                      FOW_DB_ARGS(FOW_ARG_INT(id)), read_line, out, found, "reading a budget line", err);
}

fow_code vstore_lines_list(fow_db *db, int64_t fund_id, fow_budget_line **out, size_t *n, fow_error *err) {
    return fow_db_rows(db,
                       "SELECT " LINE_COLUMNS " FROM voucher_budget_lines l JOIN voucher_funds f "
                       "ON f.id = l.fund_id WHERE ?1 = 0 OR l.fund_id = ?1 "
                       "ORDER BY l.fund_id, l.year, l.purpose",
                       FOW_DB_ARGS(FOW_ARG_INT(fund_id)), read_line, (void **)out, n, sizeof **out,
                       "listing budget lines", err);
}

/* ---- ledger ---------------------------------------------------------- */

#define ACCOUNT_COLUMNS                                                                                            \
    "a.id, a.kind, a.owner_id, a.currency, a.may_go_negative, b.balance_minor, b.transfers"

static void read_account(sqlite3_stmt *st, void *item) {
    fow_ledger_account *a = item;
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    copy_text(st, 1, a->kind, sizeof a->kind);
    a->owner_id = sqlite3_column_int64(st, 2);
    copy_text(st, 3, a->currency, sizeof a->currency);
    a->may_go_negative = sqlite3_column_int(st, 4) != 0;
    a->balance_minor = sqlite3_column_int64(st, 5);
    a->transfers = sqlite3_column_int64(st, 6);
}

fow_code vstore_account_find(fow_db *db, const char *kind, int64_t owner_id, fow_ledger_account *out, bool *found,
                             fow_error *err) {
    return fow_db_row(db,
                      "SELECT " ACCOUNT_COLUMNS " FROM voucher_accounts a JOIN voucher_balances b ON "
                      "b.account_id = a.id WHERE a.kind = ?1 AND a.owner_id = ?2",
                      FOW_DB_ARGS(FOW_ARG_TEXT(kind), FOW_ARG_INT(owner_id)), read_account, out, found,
                      "finding an account", err);
}

fow_code vstore_account_get(fow_db *db, int64_t id, fow_ledger_account *out, bool *found, fow_error *err) {
    static const char sql[] = "SELECT " ACCOUNT_COLUMNS " FROM voucher_accounts a JOIN voucher_balances b ON "
                              "b.account_id = a.id WHERE a.id = ?1";
    return fow_db_row_cached(db, sql, FOW_DB_ARGS(FOW_ARG_INT(id)), read_account, out, found, "reading an account",
                             err);
}

fow_code vstore_account_insert(fow_db *db, const char *kind, int64_t owner_id, const char *currency,
                               bool may_go_negative, int64_t now, int64_t *id, fow_error *err) {
    fow_code rc = fow_db_insert(db,
                                "INSERT INTO voucher_accounts (kind, owner_id, currency, may_go_negative, "
                                "created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                                FOW_DB_ARGS(FOW_ARG_TEXT(kind), FOW_ARG_INT(owner_id), FOW_ARG_TEXT(currency),
                                            FOW_ARG_INT(may_go_negative ? 1 : 0), FOW_ARG_INT(now)),
                                "adding an account", id, err);
    if (rc) return rc;
    return fow_db_run(db,
                      "INSERT INTO voucher_balances (account_id, balance_minor, may_go_negative, transfers) "
                      "VALUES (?1, 0, ?2, 0)",
                      FOW_DB_ARGS(FOW_ARG_INT(*id), FOW_ARG_INT(may_go_negative ? 1 : 0)),
                      "adding an account's balance", err);
}

#define TRANSFER_COLUMNS                                                                                           \
    "id, idempotency_key, kind, from_account, to_account, amount_minor, currency, actor, at, reason, prev_hash, "  \
    "hash"

static void read_transfer(sqlite3_stmt *st, void *item) {
    fow_ledger_transfer *t = item;
    memset(t, 0, sizeof *t);
    t->id = sqlite3_column_int64(st, 0);
    copy_text(st, 1, t->key, sizeof t->key);
    copy_text(st, 2, t->kind, sizeof t->kind);
    t->from_account = sqlite3_column_int64(st, 3);
    t->to_account = sqlite3_column_int64(st, 4);
    t->amount_minor = sqlite3_column_int64(st, 5);
    copy_text(st, 6, t->currency, sizeof t->currency);
    copy_text(st, 7, t->actor, sizeof t->actor);
    t->at = sqlite3_column_int64(st, 8);
    copy_text(st, 9, t->reason, sizeof t->reason);
    copy_text(st, 10, t->prev_hash, sizeof t->prev_hash);
    copy_text(st, 11, t->hash, sizeof t->hash);
}

fow_code vstore_transfer_by_key(fow_db *db, const char *key, fow_ledger_transfer *out, bool *found,
                                fow_error *err) {
    static const char sql[] = "SELECT " TRANSFER_COLUMNS " FROM voucher_transfers WHERE idempotency_key = ?1";
    return fow_db_row_cached(db, sql, FOW_DB_ARGS(FOW_ARG_TEXT(key)), read_transfer, out, found,
                             "finding a transfer by its key", err);
}

fow_code vstore_transfer_get(fow_db *db, int64_t id, fow_ledger_transfer *out, bool *found, fow_error *err) {
    return fow_db_row(db, "SELECT " TRANSFER_COLUMNS " FROM voucher_transfers WHERE id = ?1",
                      FOW_DB_ARGS(FOW_ARG_INT(id)), read_transfer, out, found, "reading a transfer", err);
}

fow_code vstore_transfer_last(fow_db *db, int64_t *id, char hash[FOW_LEDGER_HASH_HEX], fow_error *err) {
    *id = 0;
    hash[0] = '\0';
    static const char sql[] = "SELECT id, hash FROM voucher_transfers ORDER BY id DESC LIMIT 1";
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare_cached(db, sql, &st, err);
    if (rc) return rc;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        snprintf(hash, FOW_LEDGER_HASH_HEX, "%s", fow_db_column_text(st, 1));
    } else if (r != SQLITE_DONE) {
        rc = fow_db_error(db, err, "reading the last transfer");
    }
    sqlite3_reset(st);
    return rc;
}

fow_code vstore_transfer_insert(fow_db *db, const fow_ledger_transfer *t, fow_error *err) {
    static const char sql[] = "INSERT INTO voucher_transfers (" TRANSFER_COLUMNS
                              ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
    return fow_db_run_cached(db, sql,
                             FOW_DB_ARGS(FOW_ARG_INT(t->id), FOW_ARG_TEXT(t->key), FOW_ARG_TEXT(t->kind),
                                         FOW_ARG_INT(t->from_account), FOW_ARG_INT(t->to_account),
                                         FOW_ARG_INT(t->amount_minor), FOW_ARG_TEXT(t->currency),
                                         FOW_ARG_TEXT(t->actor), FOW_ARG_INT(t->at), FOW_ARG_TEXT(t->reason),
                                         FOW_ARG_TEXT(t->prev_hash), FOW_ARG_TEXT(t->hash)),
                             "appending a transfer", err);
}

fow_code vstore_balance_add(fow_db *db, int64_t account, int64_t delta, fow_error *err) {
    static const char sql[] = "UPDATE voucher_balances SET balance_minor = balance_minor + ?2, "
                              "transfers = transfers + 1 WHERE account_id = ?1";
    fow_code rc = fow_db_run_cached(db, sql, FOW_DB_ARGS(FOW_ARG_INT(account), FOW_ARG_INT(delta)),
                                    "updating a balance", err);
    if (rc) return rc;
    if (fow_db_changes(db) != 1)
        return fow_error_set(err, FOW_EINTERNAL, "account %lld has no balance row", (long long)account);
    return FOW_OK;
}

/* Steps sql's rows, reading each into item (read) and handing it to
 * each(item, ctx) until that returns non-zero (then err's code, or
 * FOW_EINTERNAL naming what stopped). */
static fow_code rows_each(fow_db *db, const char *sql, void (*read)(sqlite3_stmt *, void *), void *item,
                          int (*each)(const void *item, void *ctx), void *ctx, const char *what, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, sql, &st, err);
    if (rc) return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        read(st, item);
        if (each(item, ctx) != 0) {
            sqlite3_finalize(st);
            return err && err->code ? err->code : fow_error_set(err, FOW_EINTERNAL, "stopped %s", what);
        }
    }
    if (r != SQLITE_DONE) rc = fow_db_error(db, err, what);
    sqlite3_finalize(st);
    return rc;
}

typedef struct typed_each {
    int (*transfer)(const fow_ledger_transfer *t, void *ctx);
    int (*account)(const fow_ledger_account *a, void *ctx);
    void *ctx;
} typed_each;

static int each_transfer(const void *item, void *ctx) {
    const typed_each *e = ctx;
    return e->transfer(item, e->ctx);
}

static int each_account(const void *item, void *ctx) {
    const typed_each *e = ctx;
    return e->account(item, e->ctx);
}

fow_code vstore_transfers_each(fow_db *db, int (*each)(const fow_ledger_transfer *t, void *ctx), void *ctx,
                               fow_error *err) {
    fow_ledger_transfer t;
    typed_each e = {.transfer = each, .ctx = ctx};
    return rows_each(db, "SELECT " TRANSFER_COLUMNS " FROM voucher_transfers ORDER BY id", read_transfer, &t,
                     each_transfer, &e, "reading the transfers", err);
}

fow_code vstore_accounts_each(fow_db *db, int (*each)(const fow_ledger_account *a, void *ctx), void *ctx,
                              fow_error *err) {
    fow_ledger_account a;
    typed_each e = {.account = each, .ctx = ctx};
    return rows_each(db,
                     "SELECT " ACCOUNT_COLUMNS " FROM voucher_accounts a LEFT JOIN voucher_balances b "
                     "ON b.account_id = a.id ORDER BY a.id",
                     read_account, &a, each_account, &e, "reading the accounts", err);
}

fow_code vstore_count_transfers(fow_db *db, int64_t *n, fow_error *err) {
    long long v = 0;
    fow_code rc = fow_db_query_int(db, "SELECT count(*) FROM voucher_transfers", &v, err);
    *n = v;
    return rc;
}

/* ---- vouchers -------------------------------------------------------- */

#define VOUCHER_COLUMNS                                                                                            \
    "v.id, v.code, v.line_id, v.purpose, v.person_id, v.value_minor, v.currency, v.valid_from, v.valid_until, "    \
    "v.status, v.min_attendance_percent, v.award_ref, v.issued_at, v.issued_by, v.changed_at, v.changed_by, "      \
    "v.note, "                                                                                                     \
    "coalesce((SELECT b.balance_minor FROM voucher_accounts a JOIN voucher_balances b ON b.account_id = a.id "     \
    "  WHERE a.kind = 'voucher' AND a.owner_id = v.id), 0), "                                                       \
    "coalesce((SELECT sum(CASE WHEN t.kind = 'redeem' THEN t.amount_minor ELSE 0 END) - "                          \
    "  sum(CASE WHEN t.kind = 'refund' THEN t.amount_minor ELSE 0 END) FROM voucher_accounts a JOIN "             \
    "  voucher_transfers t ON (t.from_account = a.id AND t.kind = 'redeem') OR (t.to_account = a.id AND "         \
    "  t.kind = 'refund') WHERE a.kind = 'voucher' AND a.owner_id = v.id), 0), "                                  \
    "coalesce((SELECT sum(t.amount_minor) FROM voucher_accounts a JOIN voucher_transfers t ON "                   \
    "  t.from_account = a.id WHERE a.kind = 'voucher' AND a.owner_id = v.id AND t.kind IN ('expire', "            \
    "  'cancel')), 0), "  \
    "v.beneficiary_kind, v.enterprise_code, v.enterprise_name"

static void read_voucher(sqlite3_stmt *st, void *item) {
    fow_voucher *v = item;
    memset(v, 0, sizeof *v);
    v->id = sqlite3_column_int64(st, 0);
    copy_text(st, 1, v->code, sizeof v->code);
    v->line_id = sqlite3_column_int64(st, 2);
    copy_text(st, 3, v->purpose, sizeof v->purpose);
    copy_text(st, 4, v->person, sizeof v->person);
    v->value_minor = sqlite3_column_int64(st, 5);
    copy_text(st, 6, v->currency, sizeof v->currency);
    copy_text(st, 7, v->valid_from, sizeof v->valid_from);
    copy_text(st, 8, v->valid_until, sizeof v->valid_until);
    copy_text(st, 9, v->status, sizeof v->status);
    v->min_attendance_percent = sqlite3_column_int(st, 10);
    copy_text(st, 11, v->award_ref, sizeof v->award_ref);
    v->issued_at = sqlite3_column_int64(st, 12);
    copy_text(st, 13, v->issued_by, sizeof v->issued_by);
    v->changed_at = sqlite3_column_int64(st, 14);
    copy_text(st, 15, v->changed_by, sizeof v->changed_by);
    copy_text(st, 16, v->note, sizeof v->note);
    v->balance_minor = sqlite3_column_int64(st, 17);
    v->redeemed_minor = sqlite3_column_int64(st, 18);
    v->returned_minor = sqlite3_column_int64(st, 19);
    copy_text(st, 20, v->beneficiary_kind, sizeof v->beneficiary_kind);
    copy_text(st, 21, v->enterprise_code, sizeof v->enterprise_code);
    copy_text(st, 22, v->enterprise_name, sizeof v->enterprise_name);
}

fow_code vstore_voucher_insert(fow_db *db, const fow_voucher *v, const char *issue_key, int64_t *id, fow_error *err) {
    return fow_db_insert(db,
                         "INSERT INTO vouchers (code, line_id, person_id, value_minor, currency, purpose, "
                         "valid_from, valid_until, status, award_ref, min_attendance_percent, issue_key, "
                         "issued_at, issued_by, changed_at, changed_by, note, beneficiary_kind, enterprise_code, "
                         "enterprise_name) VALUES (?1, ?2, ?3, ?4, ?5, "
                         "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?13, ?14, ?15, ?16, ?17, ?18)",
                         FOW_DB_ARGS(FOW_ARG_TEXT(v->code), FOW_ARG_INT(v->line_id), FOW_ARG_TEXT_OR_NULL(v->person),
                                     FOW_ARG_INT(v->value_minor), FOW_ARG_TEXT(v->currency), FOW_ARG_TEXT(v->purpose),
                                     FOW_ARG_TEXT(v->valid_from), FOW_ARG_TEXT(v->valid_until),
                                     FOW_ARG_TEXT(v->status), FOW_ARG_TEXT(v->award_ref),
                                     FOW_ARG_INT(v->min_attendance_percent), FOW_ARG_TEXT(issue_key),
                                     FOW_ARG_INT(v->issued_at), FOW_ARG_TEXT(v->issued_by), FOW_ARG_TEXT(v->note),
                                     FOW_ARG_TEXT(v->beneficiary_kind), FOW_ARG_TEXT_OR_NULL(v->enterprise_code),
                                     FOW_ARG_TEXT_OR_NULL(v->enterprise_name)),
                         "adding a voucher", id, err);
}

fow_code vstore_voucher_allow_provider(fow_db *db, int64_t voucher_id, int64_t provider_id, fow_error *err) {
    return fow_db_run(db,
                      "INSERT INTO voucher_allowed_providers (voucher_id, provider_id) VALUES (?1, ?2) "
                      "ON CONFLICT DO NOTHING",
                      FOW_DB_ARGS(FOW_ARG_INT(voucher_id), FOW_ARG_INT(provider_id)), "allowing a provider", err);
}

fow_code vstore_voucher_allow_module(fow_db *db, int64_t voucher_id, const char *code, fow_error *err) {
    return fow_db_run(db,
                      "INSERT INTO voucher_allowed_modules (voucher_id, module_code) VALUES (?1, ?2) "
                      "ON CONFLICT DO NOTHING",
                      FOW_DB_ARGS(FOW_ARG_INT(voucher_id), FOW_ARG_TEXT(code)), "allowing a module", err);
}

/* Fills v's allowed providers and modules. */
static fow_code read_allowed(fow_db *db, fow_voucher *v, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(
        db, "SELECT provider_id FROM voucher_allowed_providers WHERE voucher_id = ?1 ORDER BY provider_id", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, v->id);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW && v->n_providers < FOW_VOUCHER_MAX_ALLOWED)
        v->providers[v->n_providers++] = sqlite3_column_int64(st, 0);
    if (r != SQLITE_DONE && r != SQLITE_ROW) rc = fow_db_error(db, err, "reading a voucher's providers");
    sqlite3_finalize(st);
    if (rc) return rc;
    if ((rc = fow_db_prepare(
             db, "SELECT module_code FROM voucher_allowed_modules WHERE voucher_id = ?1 ORDER BY module_code", &st,
             err)))
        return rc;
    sqlite3_bind_int64(st, 1, v->id);
    while ((r = sqlite3_step(st)) == SQLITE_ROW && v->n_modules < FOW_VOUCHER_MAX_ALLOWED)
        copy_text(st, 0, v->modules[v->n_modules++], sizeof v->modules[0]);
    if (r != SQLITE_DONE && r != SQLITE_ROW) rc = fow_db_error(db, err, "reading a voucher's modules");
    sqlite3_finalize(st);
    return rc;
}

fow_code vstore_voucher_get(fow_db *db, int64_t id, fow_voucher *out, bool *found, fow_error *err) {
    fow_code rc = fow_db_row(db, "SELECT " VOUCHER_COLUMNS " FROM vouchers v WHERE v.id = ?1",
                             FOW_DB_ARGS(FOW_ARG_INT(id)), read_voucher, out, found, "reading a voucher", err);
    if (rc || !*found) return rc;
    return read_allowed(db, out, err);
}

static fow_code id_by_text(fow_db *db, const char *sql, const char *text, int64_t *id, const char *what,
                           fow_error *err) {
    return fow_db_int(db, sql, FOW_DB_ARGS(FOW_ARG_TEXT(text)), 0, id, what, err);
}

fow_code vstore_voucher_id_by_code(fow_db *db, const char *code, int64_t *id, fow_error *err) {
    return id_by_text(db, "SELECT id FROM vouchers WHERE code = ?1", code, id, "finding a voucher", err);
}

fow_code vstore_voucher_id_by_issue_key(fow_db *db, const char *key, int64_t *id, fow_error *err) {
    return id_by_text(db, "SELECT id FROM vouchers WHERE issue_key = ?1", key, id, "finding a voucher", err);
}

fow_code vstore_vouchers_with_award_ref(fow_db *db, const char *award_ref, int64_t *n, fow_error *err) {
    return fow_db_int(db, "SELECT count(*) FROM vouchers WHERE award_ref = ?1", FOW_DB_ARGS(FOW_ARG_TEXT(award_ref)), 0,
                      n, "counting an award's vouchers", err);
}

fow_code vstore_balance_before(fow_db *db, int64_t account, int64_t before_id, int64_t until_at, int64_t *balance,
                               fow_error *err) {
    return fow_db_int(db,
                      "SELECT coalesce(sum(CASE WHEN to_account = ?1 THEN amount_minor ELSE -amount_minor END), 0) "
                      "FROM voucher_transfers WHERE (from_account = ?1 OR to_account = ?1) AND id < ?2 AND at <= ?3",
                      FOW_DB_ARGS(FOW_ARG_INT(account), FOW_ARG_INT(before_id), FOW_ARG_INT(until_at)), 0, balance,
                      "reading a balance at a time", err);
}

fow_code vstore_code_exists(fow_db *db, const char *code, bool *found, fow_error *err) {
    int64_t id;
    fow_code rc = vstore_voucher_id_by_code(db, code, &id, err);
    *found = id != 0;
    return rc;
}

fow_code vstore_vouchers_list(fow_db *db, const char *person, int64_t line_id, const char *status, fow_voucher **out,
                              size_t *n, fow_error *err) {
    fow_code rc = fow_db_rows(db,
                              "SELECT " VOUCHER_COLUMNS " FROM vouchers v WHERE (?1 IS NULL OR v.person_id = ?1) "
                              "AND (?2 = 0 OR v.line_id = ?2) AND (?3 IS NULL OR v.status = ?3) "
                              "ORDER BY v.id DESC",
                              FOW_DB_ARGS(FOW_ARG_TEXT(person), FOW_ARG_INT(line_id), FOW_ARG_TEXT(status)),
                              read_voucher, (void **)out, n, sizeof **out, "listing vouchers", err);
    for (size_t i = 0; !rc && i < *n; i++) rc = read_allowed(db, &(*out)[i], err);
    return rc;
}

fow_code vstore_voucher_set_status(fow_db *db, int64_t id, const char *status, const char *actor, int64_t now,
                                   fow_error *err) {
    return fow_db_run(db, "UPDATE vouchers SET status = ?2, changed_at = ?3, changed_by = ?4 WHERE id = ?1",
                      FOW_DB_ARGS(FOW_ARG_INT(id), FOW_ARG_TEXT(status), FOW_ARG_INT(now), FOW_ARG_TEXT(actor)),
                      "changing a voucher's status", err);
}

fow_code vstore_vouchers_expiring(fow_db *db, const char *as_of, int64_t **ids, size_t *n, fow_error *err) {
    *ids = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT id FROM vouchers WHERE status IN ('issued', 'active') AND valid_until < ?1 "
                                 "ORDER BY id",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, as_of, -1, SQLITE_STATIC);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (FOW_VEC_PUSH(*ids, *n, cap, id) != 0) {
            sqlite3_finalize(st);
            return fow_error_set(err, FOW_ENOMEM, "out of memory");
        }
    }
    if (r != SQLITE_DONE) rc = fow_db_error(db, err, "finding vouchers to expire");
    sqlite3_finalize(st);
    return rc;
}

/* ---- redemptions ------------------------------------------------------ */

#define REDEMPTION_COLUMNS                                                                                         \
    "r.id, r.voucher_id, v.code, v.person_id, r.provider_id, r.enrolment_id, r.cohort_id, r.module_code, "         \
    "r.amount_minor, r.currency, r.status, r.idempotency_key, r.redeemed_at, r.redeemed_by, "                      \
    "r.attendance_percent, r.payable_at, r.note, coalesce(r.batch_id, 0), r.changed_at, r.changed_by"

static void read_redemption(sqlite3_stmt *st, void *item) {
    fow_redemption *r = item;
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    r->voucher_id = sqlite3_column_int64(st, 1);
    copy_text(st, 2, r->voucher_code, sizeof r->voucher_code);
    copy_text(st, 3, r->person, sizeof r->person);
    r->provider_id = sqlite3_column_int64(st, 4);
    r->enrolment_id = sqlite3_column_int64(st, 5);
    r->cohort_id = sqlite3_column_int64(st, 6);
    copy_text(st, 7, r->module, sizeof r->module);
    r->amount_minor = sqlite3_column_int64(st, 8);
    copy_text(st, 9, r->currency, sizeof r->currency);
    copy_text(st, 10, r->status, sizeof r->status);
    copy_text(st, 11, r->key, sizeof r->key);
    r->redeemed_at = sqlite3_column_int64(st, 12);
    copy_text(st, 13, r->redeemed_by, sizeof r->redeemed_by);
    r->attendance_percent = sqlite3_column_int(st, 14);
    r->payable_at = sqlite3_column_int64(st, 15);
    copy_text(st, 16, r->note, sizeof r->note);
    r->batch_id = sqlite3_column_int64(st, 17);
    r->changed_at = sqlite3_column_int64(st, 18);
    copy_text(st, 19, r->changed_by, sizeof r->changed_by);
}

fow_code vstore_redemption_insert(fow_db *db, const fow_redemption *r, int64_t *id, fow_error *err) {
    return fow_db_insert(db,
                         "INSERT INTO voucher_redemptions (voucher_id, provider_id, enrolment_id, cohort_id, "
                         "module_code, amount_minor, currency, status, idempotency_key, redeemed_at, "
                         "redeemed_by, changed_at, changed_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                         "?10, ?11, ?10, ?11)",
                         FOW_DB_ARGS(FOW_ARG_INT(r->voucher_id), FOW_ARG_INT(r->provider_id),
                                     FOW_ARG_INT(r->enrolment_id), FOW_ARG_INT(r->cohort_id), FOW_ARG_TEXT(r->module),
                                     FOW_ARG_INT(r->amount_minor), FOW_ARG_TEXT(r->currency), FOW_ARG_TEXT(r->status),
                                     FOW_ARG_TEXT(r->key), FOW_ARG_INT(r->redeemed_at), FOW_ARG_TEXT(r->redeemed_by)),
                         "adding a redemption", id, err);
}

fow_code vstore_redemption_get(fow_db *db, int64_t id, fow_redemption *out, bool *found, fow_error *err) {
    return fow_db_row(db,
                      "SELECT " REDEMPTION_COLUMNS " FROM voucher_redemptions r JOIN vouchers v ON "
                      "v.id = r.voucher_id WHERE r.id = ?1",
                      FOW_DB_ARGS(FOW_ARG_INT(id)), read_redemption, out, found, "reading a redemption", err);
}

fow_code vstore_redemption_id_by_key(fow_db *db, const char *key, int64_t *id, fow_error *err) {
    return id_by_text(db, "SELECT id FROM voucher_redemptions WHERE idempotency_key = ?1", key, id,
                      "finding a redemption", err);
}

fow_code vstore_redemption_id_by_enrolment(fow_db *db, int64_t enrolment_id, int64_t *id, fow_error *err) {
    return fow_db_int(db, "SELECT id FROM voucher_redemptions WHERE enrolment_id = ?1 AND status <> 'refunded'",
                      FOW_DB_ARGS(FOW_ARG_INT(enrolment_id)), 0, id, "finding an enrolment's redemption", err);
}

fow_code vstore_redemptions_list(fow_db *db, int64_t provider_id, const char *status, int64_t batch_id,
                                 fow_redemption **out, size_t *n, fow_error *err) {
    return fow_db_rows(db,
                       "SELECT " REDEMPTION_COLUMNS " FROM voucher_redemptions r JOIN vouchers v ON "
                       "v.id = r.voucher_id WHERE (?1 = 0 OR r.provider_id = ?1) AND (?2 IS NULL OR "
                       "r.status = ?2) AND (?3 = 0 OR r.batch_id = ?3) ORDER BY r.id",
                       FOW_DB_ARGS(FOW_ARG_INT(provider_id), FOW_ARG_TEXT(status), FOW_ARG_INT(batch_id)),
                       read_redemption, (void **)out, n, sizeof **out, "listing redemptions", err);
}

fow_code vstore_redemptions_of_voucher(fow_db *db, int64_t voucher_id, fow_redemption **out, size_t *n,
                                       fow_error *err) {
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT " REDEMPTION_COLUMNS " FROM voucher_redemptions r JOIN vouchers v ON "
                                 "v.id = r.voucher_id WHERE r.voucher_id = ?1 ORDER BY r.id",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, voucher_id);
    return fow_db_collect(db, st, (void **)out, n, sizeof **out, read_redemption, "listing a voucher's redemptions",
                          err);
}

fow_code vstore_redemption_update(fow_db *db, int64_t id, const char *status, const char *note, int attendance,
                                  int64_t payable_at, int64_t batch_id, const char *actor, int64_t now,
                                  fow_error *err) {
    return fow_db_run(
        db,
        "UPDATE voucher_redemptions SET status = ?2, note = CASE WHEN ?3 IS NULL THEN note ELSE ?3 END, "
        "attendance_percent = CASE WHEN ?4 < 0 THEN attendance_percent ELSE ?4 END, "
        "payable_at = CASE WHEN ?5 = 0 THEN payable_at ELSE ?5 END, "
        "batch_id = CASE WHEN ?6 < 0 THEN batch_id ELSE ?6 END, changed_at = ?7, changed_by = ?8 WHERE id = ?1",
        FOW_DB_ARGS(FOW_ARG_INT(id), FOW_ARG_TEXT(status), FOW_ARG_TEXT(note), FOW_ARG_INT(attendance),
                    FOW_ARG_INT(payable_at), FOW_ARG_INT(batch_id), FOW_ARG_INT(now), FOW_ARG_TEXT(actor)),
        "changing a redemption", err);
}

/* ---- payment batches -------------------------------------------------- */

#define BATCH_COLUMNS                                                                                              \
    "id, currency, total_minor, claims, status, created_at, created_by, approved_at, approved_by, lab_charges, "   \
    "coalesce(idempotency_key, '')"

static void read_batch(sqlite3_stmt *st, void *item) {
    fow_payment_batch *b = item;
    memset(b, 0, sizeof *b);
    b->id = sqlite3_column_int64(st, 0);
    copy_text(st, 1, b->currency, sizeof b->currency);
    b->total_minor = sqlite3_column_int64(st, 2);
    b->claims = sqlite3_column_int64(st, 3);
    copy_text(st, 4, b->status, sizeof b->status);
    b->created_at = sqlite3_column_int64(st, 5);
    copy_text(st, 6, b->created_by, sizeof b->created_by);
    b->approved_at = sqlite3_column_int64(st, 7);
    copy_text(st, 8, b->approved_by, sizeof b->approved_by);
    b->lab_charges = sqlite3_column_int64(st, 9);
    copy_text(st, 10, b->key, sizeof b->key);
}

fow_code vstore_batch_insert(fow_db *db, const fow_payment_batch *b, int64_t *id, fow_error *err) {
    return fow_db_insert(db,
                         "INSERT INTO voucher_payment_batches (currency, total_minor, claims, status, "
                         "created_at, created_by, lab_charges, idempotency_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                         "CASE WHEN ?8 = '' THEN NULL ELSE ?8 END)",
                         FOW_DB_ARGS(FOW_ARG_TEXT(b->currency), FOW_ARG_INT(b->total_minor), FOW_ARG_INT(b->claims),
                                     FOW_ARG_TEXT(b->status), FOW_ARG_INT(b->created_at), FOW_ARG_TEXT(b->created_by),
                                     FOW_ARG_INT(b->lab_charges), FOW_ARG_TEXT(b->key)),
                         "adding a payment batch", id, err);
}

fow_code vstore_batch_by_key(fow_db *db, const char *key, fow_payment_batch *out, bool *found, fow_error *err) {
    return fow_db_row(db, "SELECT " BATCH_COLUMNS " FROM voucher_payment_batches WHERE idempotency_key = ?1",
                      FOW_DB_ARGS(FOW_ARG_TEXT(key)), read_batch, out, found, "finding a payment batch by its key",
                      err);
}

fow_code vstore_batch_approve(fow_db *db, int64_t id, const char *actor, int64_t now, fow_error *err) {
    return fow_db_run(db,
                      "UPDATE voucher_payment_batches SET status = 'paid', approved_at = ?2, "
                      "approved_by = ?3 WHERE id = ?1",
                      FOW_DB_ARGS(FOW_ARG_INT(id), FOW_ARG_INT(now), FOW_ARG_TEXT(actor)),
                      "approving a payment batch", err);
}

fow_code vstore_batch_get(fow_db *db, int64_t id, fow_payment_batch *out, bool *found, fow_error *err) {
    return fow_db_row(db, "SELECT " BATCH_COLUMNS " FROM voucher_payment_batches WHERE id = ?1",
                      FOW_DB_ARGS(FOW_ARG_INT(id)), read_batch, out, found, "reading a payment batch", err);
}

fow_code vstore_batches_list(fow_db *db, fow_payment_batch **out, size_t *n, fow_error *err) {
    return fow_db_rows(db, "SELECT " BATCH_COLUMNS " FROM voucher_payment_batches ORDER BY id DESC", NULL, 0,
                       read_batch, (void **)out, n, sizeof **out, "listing payment batches", err);
}

/* ---- the voucher rows against the ledger ------------------------------ */

/* ---- lab charges ---------------------------------------------------- */

static void read_lab_charge(sqlite3_stmt *st, void *item) {
    vstore_lab_charge *c = item;
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    c->voucher_id = sqlite3_column_int64(st, 1);
    c->booking_id = sqlite3_column_int64(st, 2);
    c->provider_id = sqlite3_column_int64(st, 3);
    c->amount_minor = sqlite3_column_int64(st, 4);
    copy_text(st, 5, c->currency, sizeof c->currency);
    copy_text(st, 6, c->status, sizeof c->status);
    copy_text(st, 7, c->key, sizeof c->key);
    c->payable_from = sqlite3_column_int64(st, 8);
    c->batch_id = sqlite3_column_int64(st, 9);
    c->paid_at = sqlite3_column_int64(st, 10);
    c->charged_at = sqlite3_column_int64(st, 11);
    copy_text(st, 12, c->charged_by, sizeof c->charged_by);
    c->changed_at = sqlite3_column_int64(st, 13);
    copy_text(st, 14, c->note, sizeof c->note);
    copy_text(st, 15, c->voucher_code, sizeof c->voucher_code);
}

#define LAB_CHARGE_COLUMNS                                                                                         \
    "c.id, c.voucher_id, c.booking_id, c.provider_id, c.amount_minor, c.currency, c.status, c.idempotency_key, "   \
    "c.payable_from, coalesce(c.batch_id, 0), c.paid_at, c.charged_at, c.charged_by, c.changed_at, c.note, "       \
    "coalesce((SELECT v.code FROM vouchers v WHERE v.id = c.voucher_id), '')"

fow_code vstore_lab_charge_insert(fow_db *db, const vstore_lab_charge *c, const char *actor, int64_t now, int64_t *id,
                                  fow_error *err) {
    return fow_db_insert(db,
                         "INSERT INTO voucher_lab_charges (voucher_id, booking_id, provider_id, amount_minor, currency, "
                         "status, idempotency_key, charged_at, charged_by, changed_at, changed_by, payable_from) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, 'charged', ?6, ?7, ?8, ?7, ?8, ?9)",
                         FOW_DB_ARGS(FOW_ARG_INT(c->voucher_id), FOW_ARG_INT(c->booking_id),
                                     FOW_ARG_INT(c->provider_id), FOW_ARG_INT(c->amount_minor),
                                     FOW_ARG_TEXT(c->currency), FOW_ARG_TEXT(c->key), FOW_ARG_INT(now),
                                     FOW_ARG_TEXT(actor), FOW_ARG_INT(c->payable_from)),
                         "recording a lab charge", id, err);
}

fow_code vstore_lab_charge_by_key(fow_db *db, const char *key, vstore_lab_charge *out, bool *found, fow_error *err) {
    return fow_db_row(db, "SELECT " LAB_CHARGE_COLUMNS " FROM voucher_lab_charges c WHERE c.idempotency_key = ?1",
                      FOW_DB_ARGS(FOW_ARG_TEXT(key)), read_lab_charge, out, found, "reading a lab charge", err);
}

fow_code vstore_lab_charge_live(fow_db *db, int64_t booking_id, vstore_lab_charge *out, bool *found, fow_error *err) {
    return fow_db_row(db,
                      "SELECT " LAB_CHARGE_COLUMNS " FROM voucher_lab_charges c WHERE c.booking_id = ?1 AND "
                      "c.status = 'charged'",
                      FOW_DB_ARGS(FOW_ARG_INT(booking_id)), read_lab_charge, out, found, "reading a lab charge", err);
}

fow_code vstore_lab_charge_update(fow_db *db, int64_t id, const char *status, int64_t amount_minor, const char *note,
                                  const char *actor, int64_t now, fow_error *err) {
    return fow_db_run(db,
                      "UPDATE voucher_lab_charges SET status = ?2, amount_minor = ?3, note = CASE WHEN note = '' THEN "
                      "?4 ELSE note || '; ' || ?4 END, changed_at = ?5, changed_by = ?6 WHERE id = ?1",
                      FOW_DB_ARGS(FOW_ARG_INT(id), FOW_ARG_TEXT(status), FOW_ARG_INT(amount_minor),
                                  FOW_ARG_TEXT(note), FOW_ARG_INT(now), FOW_ARG_TEXT(actor)),
                      "changing a lab charge", err);
}

/* The states of fow_voucher_lab_charge_state as SQL over c at ?4 (now). */
#define LAB_STATE_SQL                                                                                              \
    "(?3 IS NULL OR (?3 = 'refunded' AND c.status = 'refunded') OR (c.status = 'charged' AND ("                    \
    "(?3 = 'pending' AND c.batch_id IS NULL AND c.payable_from > ?4) OR "                                          \
    "(?3 = 'payable' AND c.batch_id IS NULL AND c.payable_from <= ?4) OR "                                         \
    "(?3 = 'batched' AND c.batch_id IS NOT NULL AND c.paid_at = 0) OR (?3 = 'paid' AND c.paid_at > 0))))"

fow_code vstore_lab_charges_list(fow_db *db, int64_t provider_id, int64_t batch_id, const char *state, int64_t now,
                                 vstore_lab_charge **out, size_t *n, fow_error *err) {
    return fow_db_rows(db,
                       "SELECT " LAB_CHARGE_COLUMNS " FROM voucher_lab_charges c WHERE (?1 = 0 OR c.provider_id = ?1) "
                       "AND (?2 = 0 OR c.batch_id = ?2) AND " LAB_STATE_SQL " ORDER BY c.id",
                       FOW_DB_ARGS(FOW_ARG_INT(provider_id), FOW_ARG_INT(batch_id), FOW_ARG_TEXT(state),
                                   FOW_ARG_INT(now)),
                       read_lab_charge, (void **)out, n, sizeof **out, "listing lab charges", err);
}

fow_code vstore_lab_charge_set_batch(fow_db *db, int64_t id, int64_t batch_id, const char *actor, int64_t now,
                                     fow_error *err) {
    return fow_db_run(db,
                      "UPDATE voucher_lab_charges SET batch_id = CASE WHEN ?2 = 0 THEN NULL ELSE ?2 END, "
                      "changed_at = ?3, changed_by = ?4 WHERE id = ?1",
                      FOW_DB_ARGS(FOW_ARG_INT(id), FOW_ARG_INT(batch_id), FOW_ARG_INT(now), FOW_ARG_TEXT(actor)),
                      "putting a lab charge in a payment batch", err);
}

fow_code vstore_lab_charge_set_payable_from(fow_db *db, int64_t id, int64_t payable_from, const char *actor,
                                            int64_t now, fow_error *err) {
    return fow_db_run(db,
                      "UPDATE voucher_lab_charges SET payable_from = ?2, changed_at = ?3, changed_by = ?4 WHERE id = ?1",
                      FOW_DB_ARGS(FOW_ARG_INT(id), FOW_ARG_INT(payable_from), FOW_ARG_INT(now), FOW_ARG_TEXT(actor)),
                      "moving a lab charge's payable time", err);
}

fow_code vstore_lab_charge_set_paid(fow_db *db, int64_t id, const char *actor, int64_t now, fow_error *err) {
    return fow_db_run(db, "UPDATE voucher_lab_charges SET paid_at = ?2, changed_at = ?2, changed_by = ?3 WHERE id = ?1",
                      FOW_DB_ARGS(FOW_ARG_INT(id), FOW_ARG_INT(now), FOW_ARG_TEXT(actor)), "paying a lab charge",
                      err);
}

fow_code vstore_lab_charge_refunds(fow_db *db, int64_t id, int64_t *n, fow_error *err) {
    char prefix[64];
    snprintf(prefix, sizeof prefix, "lab-refund:%" PRId64 ":", id);
    return fow_db_int(db, "SELECT count(*) FROM voucher_transfers WHERE substr(idempotency_key, 1, ?2) = ?1",
                      FOW_DB_ARGS(FOW_ARG_TEXT(prefix), FOW_ARG_INT((int64_t)strlen(prefix))), 0, n,
                      "counting a lab charge's refunds", err);
}

fow_code vstore_check_rows(fow_db *db, fow_check_result *check, fow_error *err) {
    long long vouchers = 0, claims = 0;
    long long lab_charges = 0;
    fow_code rc = fow_db_query_int(db, "SELECT count(*) FROM vouchers", &vouchers, err);
    if (!rc) rc = fow_db_query_int(db, "SELECT count(*) FROM voucher_redemptions", &claims, err);
    if (!rc) rc = fow_db_query_int(db, "SELECT count(*) FROM voucher_lab_charges", &lab_charges, err);
    if (rc) return rc;
    check->checked += (uint64_t)(vouchers + claims + lab_charges);
    static const struct {
        const char *table, *format, *sql;
    } rules[] = {
        {"vouchers", "value %s",
         "SELECT 'id ' || v.id, v.value_minor || ' but issue transfers of ' || coalesce((SELECT sum(t.amount_minor) "
         "FROM voucher_accounts a JOIN voucher_transfers t ON t.to_account = a.id AND t.kind = 'issue' WHERE a.kind = "
         "'voucher' AND a.owner_id = v.id), 0) FROM vouchers v WHERE v.value_minor <> coalesce((SELECT "
         "sum(t.amount_minor) FROM voucher_accounts a JOIN voucher_transfers t ON t.to_account = a.id AND t.kind = "
         "'issue' WHERE a.kind = 'voucher' AND a.owner_id = v.id), 0)"},
        {"vouchers", "%s: an ended voucher keeps no money",
         "SELECT 'id ' || v.id, v.status || ' with ' || b.balance_minor || ' left' FROM vouchers v JOIN "
         "voucher_accounts a ON a.kind = 'voucher' AND a.owner_id = v.id JOIN voucher_balances b ON b.account_id = "
         "a.id WHERE v.status IN ('expired', 'cancelled') AND b.balance_minor <> 0"},
        {"voucher_redemptions", "%s",
         "SELECT 'id ' || r.id, r.status || ' claim of ' || r.amount_minor || ' whose account holds ' || "
         "coalesce(b.balance_minor, 0) FROM voucher_redemptions r LEFT JOIN voucher_accounts a ON a.kind = 'claim' "
         "AND a.owner_id = r.id LEFT JOIN voucher_balances b ON b.account_id = a.id WHERE coalesce(b.balance_minor, 0) "
         "<> CASE WHEN r.status = 'redeemed' THEN r.amount_minor ELSE 0 END"},
        {"voucher_balances", "%s",
         "SELECT 'payable of provider ' || a.owner_id, 'holds ' || b.balance_minor || ', its payable and batched "
         "claims ' || coalesce((SELECT sum(r.amount_minor) FROM voucher_redemptions r WHERE r.provider_id = "
         "a.owner_id AND r.status IN ('payable', 'batched')), 0) || ' and lab charges ' || coalesce((SELECT "
         "sum(c.amount_minor) FROM voucher_lab_charges c WHERE c.provider_id = a.owner_id AND c.status = "
         "'charged' AND c.paid_at = 0), 0) FROM voucher_accounts a JOIN voucher_balances b ON b.account_id = a.id "
         "WHERE a.kind = 'payable' AND b.balance_minor <> coalesce((SELECT sum(r.amount_minor) FROM "
         "voucher_redemptions r WHERE r.provider_id = a.owner_id AND r.status IN ('payable', 'batched')), 0) + "
         "coalesce((SELECT sum(c.amount_minor) FROM voucher_lab_charges c WHERE c.provider_id = a.owner_id AND "
         "c.status = 'charged' AND c.paid_at = 0), 0)"},
        /* a lab charge is paid by one transfer of its amount keyed lab-charge:<id>:pay, and only once paid;
         * a refunded charge was never in a batch */
        {"voucher_lab_charges", "%s",
         "SELECT 'id ' || c.id, c.status || ' charge of ' || c.amount_minor || CASE WHEN c.paid_at > 0 THEN ' paid' "
         "ELSE ' not paid' END || ' in batch ' || coalesce(c.batch_id, 'none') || ' with pay transfers of ' || "
         "coalesce((SELECT sum(t.amount_minor) FROM voucher_transfers t WHERE t.idempotency_key = 'lab-charge:' || "
         "c.id || ':pay'), 0) FROM voucher_lab_charges c WHERE coalesce((SELECT sum(t.amount_minor) FROM "
         "voucher_transfers t WHERE t.idempotency_key = 'lab-charge:' || c.id || ':pay'), 0) <> CASE WHEN "
         "c.paid_at > 0 THEN c.amount_minor ELSE 0 END OR (c.paid_at > 0 AND (c.batch_id IS NULL OR c.status <> "
         "'charged')) OR (c.status = 'refunded' AND c.batch_id IS NOT NULL)"},
        /* a lab charge: what went from its voucher (key lab:<key>) less what came back (lab-refund:<id>:) is
         * its amount while charged, nothing once refunded */
        {"voucher_lab_charges", "%s",
         "SELECT 'id ' || c.id, c.status || ' charge of ' || c.amount_minor || ' whose transfers net ' || "
         "(coalesce((SELECT sum(t.amount_minor) FROM voucher_transfers t WHERE t.idempotency_key = 'lab:' || "
         "c.idempotency_key), 0) - coalesce((SELECT sum(t.amount_minor) FROM voucher_transfers t WHERE "
         "substr(t.idempotency_key, 1, length('lab-refund:' || c.id || ':')) = 'lab-refund:' || c.id || ':' AND t.kind = "
         "'refund'), 0)) FROM voucher_lab_charges c WHERE coalesce((SELECT sum(t.amount_minor) FROM "
         "voucher_transfers t WHERE t.idempotency_key = 'lab:' || c.idempotency_key), 0) - coalesce((SELECT "
         "sum(t.amount_minor) FROM voucher_transfers t WHERE substr(t.idempotency_key, 1, length('lab-refund:' || c.id || "
         "':')) = 'lab-refund:' || c.id || ':' AND t.kind = 'refund'), 0) <> CASE WHEN c.status = 'charged' THEN "
         "c.amount_minor ELSE 0 END"},
        {"voucher_balances", "%s",
         "SELECT 'paid of provider ' || a.owner_id, 'holds ' || b.balance_minor || ', its paid claims ' || "
         "coalesce((SELECT sum(r.amount_minor) FROM voucher_redemptions r WHERE r.provider_id = a.owner_id AND "
         "r.status = 'paid'), 0) || ' and paid lab charges ' || coalesce((SELECT sum(c.amount_minor) FROM "
         "voucher_lab_charges c WHERE c.provider_id = a.owner_id AND c.paid_at > 0), 0) FROM voucher_accounts a "
         "JOIN voucher_balances b ON b.account_id = a.id WHERE a.kind = 'paid' AND b.balance_minor <> "
         "coalesce((SELECT sum(r.amount_minor) FROM voucher_redemptions r WHERE r.provider_id = a.owner_id AND "
         "r.status = 'paid'), 0) + coalesce((SELECT sum(c.amount_minor) FROM voucher_lab_charges c WHERE "
         "c.provider_id = a.owner_id AND c.paid_at > 0), 0)"},
    };
    for (size_t i = 0; !rc && i < sizeof rules / sizeof rules[0]; i++)
        rc = fow_db_check_rows(db, check, rules[i].sql, rules[i].table, rules[i].format, err);
    return rc;
}
