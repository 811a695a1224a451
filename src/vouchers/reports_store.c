/* reports_store.c — the reads of the voucher reports (reports_store.h):
 * SQL on the tables of vouchers_store.c and calls_store.c, read only. */
#include "vouchers/reports_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_text(sqlite3_stmt *st, int col, char *dst, size_t n) {
    snprintf(dst, n, "%s", fow_db_column_text(st, col));
}

static void read_transfer(sqlite3_stmt *st, void *item) {
    vrs_transfer *t = item;
    t->id = sqlite3_column_int64(st, 0);
    copy_text(st, 1, t->kind, sizeof t->kind);
    long long redemption = 0;
    char tail[16];
    if (sscanf(fow_db_column_text(st, 2), "redemption:%lld:%15s", &redemption, tail) == 2 && redemption > 0)
        t->key_redemption = (int64_t)redemption;
    long long charge = 0;
    if (sscanf(fow_db_column_text(st, 2), "lab-charge:%lld:%15s", &charge, tail) == 2 && charge > 0)
        t->key_lab_charge = (int64_t)charge;
    t->amount_minor = sqlite3_column_int64(st, 3);
    copy_text(st, 4, t->currency, sizeof t->currency);
    t->at = sqlite3_column_int64(st, 5);
    t->from_account = sqlite3_column_int64(st, 6);
    t->to_account = sqlite3_column_int64(st, 7);
    copy_text(st, 8, t->from_kind, sizeof t->from_kind);
    t->from_owner = sqlite3_column_int64(st, 9);
    copy_text(st, 10, t->to_kind, sizeof t->to_kind);
    t->to_owner = sqlite3_column_int64(st, 11);
}

static void read_account(sqlite3_stmt *st, void *item) {
    vrs_account *a = item;
    a->id = sqlite3_column_int64(st, 0);
    copy_text(st, 1, a->kind, sizeof a->kind);
    a->owner_id = sqlite3_column_int64(st, 2);
    copy_text(st, 3, a->currency, sizeof a->currency);
    a->cached_balance_minor = sqlite3_column_int64(st, 4);
}

static void read_fund(sqlite3_stmt *st, void *item) {
    vrs_fund *f = item;
    f->id = sqlite3_column_int64(st, 0);
    copy_text(st, 1, f->name, sizeof f->name);
    copy_text(st, 2, f->currency, sizeof f->currency);
}

static void read_line(sqlite3_stmt *st, void *item) {
    vrs_line *l = item;
    l->id = sqlite3_column_int64(st, 0);
    l->fund_id = sqlite3_column_int64(st, 1);
    copy_text(st, 2, l->name, sizeof l->name);
    copy_text(st, 3, l->purpose, sizeof l->purpose);
    l->year = sqlite3_column_int(st, 4);
    copy_text(st, 5, l->currency, sizeof l->currency);
}

static void read_call(sqlite3_stmt *st, void *item) {
    vrs_call *c = item;
    c->id = sqlite3_column_int64(st, 0);
    c->line_id = sqlite3_column_int64(st, 1);
    copy_text(st, 2, c->title_en, sizeof c->title_en);
    copy_text(st, 3, c->title_ro, sizeof c->title_ro);
}

static void read_voucher(sqlite3_stmt *st, void *item) {
    vrs_voucher *v = item;
    v->id = sqlite3_column_int64(st, 0);
    v->line_id = sqlite3_column_int64(st, 1);
    v->call_id = sqlite3_column_int64(st, 2);
    copy_text(st, 3, v->person, sizeof v->person);
    v->value_minor = sqlite3_column_int64(st, 4);
    copy_text(st, 5, v->currency, sizeof v->currency);
    copy_text(st, 6, v->valid_until, sizeof v->valid_until);
    copy_text(st, 7, v->status, sizeof v->status);
    v->issued_at = sqlite3_column_int64(st, 8);
}

static void read_redemption(sqlite3_stmt *st, void *item) {
    vrs_redemption *r = item;
    r->id = sqlite3_column_int64(st, 0);
    r->voucher_id = sqlite3_column_int64(st, 1);
    r->provider_id = sqlite3_column_int64(st, 2);
    r->enrolment_id = sqlite3_column_int64(st, 3);
    r->cohort_id = sqlite3_column_int64(st, 4);
    copy_text(st, 5, r->module, sizeof r->module);
    copy_text(st, 6, r->person, sizeof r->person);
    r->amount_minor = sqlite3_column_int64(st, 7);
    copy_text(st, 8, r->currency, sizeof r->currency);
    copy_text(st, 9, r->status, sizeof r->status);
}

static void read_lab_charge(sqlite3_stmt *st, void *item) {
    vrs_lab_charge *c = item;
    c->id = sqlite3_column_int64(st, 0);
    c->voucher_id = sqlite3_column_int64(st, 1);
    c->provider_id = sqlite3_column_int64(st, 2);
}

static void read_hash(sqlite3_stmt *st, void *item) {
    char *hash = item;
    snprintf(hash, 65, "%s", fow_db_column_text(st, 0));
}

/* Runs sql (no parameters) and collects its rows into *items. */
static fow_code collect(fow_db *db, const char *sql, void **items, size_t *n, size_t item,
                        void (*read)(sqlite3_stmt *, void *), const char *what, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, sql, &st, err);
    if (rc) return rc;
    return fow_db_collect(db, st, items, n, item, read, what, err);
}

fow_code vrs_load(fow_db *db, vrs_data *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    fow_code rc = fow_db_read_begin(db, err);
    if (rc) return rc;
    rc = collect(db,
                 "SELECT t.id, t.kind, t.idempotency_key, t.amount_minor, t.currency, t.at, t.from_account, "
                 "t.to_account, fa.kind, fa.owner_id, ta.kind, ta.owner_id FROM voucher_transfers t "
                 "JOIN voucher_accounts fa ON fa.id = t.from_account JOIN voucher_accounts ta ON ta.id = t.to_account "
                 "ORDER BY t.id",
                 (void **)&out->transfers, &out->n_transfers, sizeof *out->transfers, read_transfer,
                 "read the ledger's transfers", err);
    if (!rc) {
        char *hashes = NULL;
        size_t n = 0;
        rc = collect(db, "SELECT hash FROM voucher_transfers ORDER BY id DESC LIMIT 1", (void **)&hashes, &n, 65,
                     read_hash, "read the last transfer's hash", err);
        if (!rc && n == 1) snprintf(out->last_hash, sizeof out->last_hash, "%s", hashes);
        free(hashes);
    }
    if (!rc)
        rc = collect(db,
                     "SELECT a.id, a.kind, a.owner_id, a.currency, coalesce(b.balance_minor, 0) FROM voucher_accounts a "
                     "LEFT JOIN voucher_balances b ON b.account_id = a.id ORDER BY a.id",
                     (void **)&out->accounts, &out->n_accounts, sizeof *out->accounts, read_account,
                     "read the ledger's accounts", err);
    if (!rc)
        rc = collect(db, "SELECT id, name, currency FROM voucher_funds ORDER BY id", (void **)&out->funds,
                     &out->n_funds, sizeof *out->funds, read_fund, "read the funds", err);
    if (!rc)
        rc = collect(db,
                     "SELECT l.id, l.fund_id, l.name, l.purpose, l.year, f.currency FROM voucher_budget_lines l "
                     "JOIN voucher_funds f ON f.id = l.fund_id ORDER BY l.id",
                     (void **)&out->lines, &out->n_lines, sizeof *out->lines, read_line, "read the budget lines", err);
    if (!rc)
        rc = collect(db, "SELECT id, budget_line_id, title_en, title_ro FROM voucher_calls ORDER BY id",
                     (void **)&out->calls, &out->n_calls, sizeof *out->calls, read_call, "read the calls", err);
    if (!rc)
        rc = collect(db,
                     "SELECT v.id, v.line_id, coalesce((SELECT a.call_id FROM voucher_awards a WHERE a.voucher_id = v.id "
                     "ORDER BY a.id LIMIT 1), 0), v.person_id, v.value_minor, v.currency, v.valid_until, v.status, "
                     "v.issued_at FROM vouchers v ORDER BY v.id",
                     (void **)&out->vouchers, &out->n_vouchers, sizeof *out->vouchers, read_voucher,
                     "read the vouchers", err);
    if (!rc)
        rc = collect(db,
                     "SELECT r.id, r.voucher_id, r.provider_id, r.enrolment_id, r.cohort_id, r.module_code, v.person_id, "
                     "r.amount_minor, r.currency, r.status FROM voucher_redemptions r JOIN vouchers v ON v.id = "
                     "r.voucher_id ORDER BY r.id",
                     (void **)&out->redemptions, &out->n_redemptions, sizeof *out->redemptions, read_redemption,
                     "read the redemptions", err);
    if (!rc)
        rc = collect(db, "SELECT id, voucher_id, provider_id FROM voucher_lab_charges ORDER BY id",
                     (void **)&out->lab_charges, &out->n_lab_charges, sizeof *out->lab_charges, read_lab_charge,
                     "read the lab charges", err);
    fow_db_read_end(db);
    return rc;
}

void vrs_free(vrs_data *d) {
    free(d->transfers);
    free(d->accounts);
    free(d->funds);
    free(d->lines);
    free(d->calls);
    free(d->vouchers);
    free(d->redemptions);
    free(d->lab_charges);
    memset(d, 0, sizeof *d);
}
