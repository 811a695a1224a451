/* voucher_reports.c — the voucher office's reports, summed from the
 * ledger's transfers (fow_voucher_reports.h, docs/vouchers.md "Reports"). */
#include "vouchers/fow_voucher_reports.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "credentials/fow_credentials.h"
#include "training/fow_cohort.h"
#include "vouchers/fow_vouchers.h"
#include "vouchers/reports_store.h"

static const char *const by_names[FOW_VREPORT_BY_COUNT] = {"fund", "line", "call", "provider", "month"};
static const char *const column_names[FOW_VR_COLUMNS] = {
    "allocated", "issued", "committed", "redeemed", "paid", "expired", "available", "lab_charged", "lab_paid",
    "lab_outstanding"};

const char *fow_voucher_report_by_name(fow_voucher_report_by by) {
    return (unsigned)by < FOW_VREPORT_BY_COUNT ? by_names[by] : "?";
}

int fow_voucher_report_by_parse(const char *text, fow_voucher_report_by *out) {
    for (int i = 0; text && i < FOW_VREPORT_BY_COUNT; i++)
        if (strcmp(text, by_names[i]) == 0) {
            *out = (fow_voucher_report_by)i;
            return 0;
        }
    return -1;
}

const char *fow_voucher_report_column_name(fow_voucher_report_column c) {
    return (unsigned)c < FOW_VR_COLUMNS ? column_names[c] : "?";
}

/* ---- lookups by id (every array of vrs_data is by id, id first) ---- */

static int cmp_id(const void *key, const void *item) {
    int64_t a = *(const int64_t *)key, b = *(const int64_t *)item;
    return (a > b) - (a < b);
}

static const void *by_id(const void *base, size_t n, size_t size, int64_t id) {
    return n ? bsearch(&id, base, n, size, cmp_id) : NULL;
}

#define FIND(d, what, id) ((const vrs_##what *)by_id((d)->what##s, (d)->n_##what##s, sizeof *(d)->what##s, (id)))

static const vrs_voucher *find_voucher(const vrs_data *d, int64_t id) { return FIND(d, voucher, id); }
static const vrs_line *find_line(const vrs_data *d, int64_t id) { return FIND(d, line, id); }
static const vrs_fund *find_fund(const vrs_data *d, int64_t id) { return FIND(d, fund, id); }
static const vrs_call *find_call(const vrs_data *d, int64_t id) { return FIND(d, call, id); }
static const vrs_redemption *find_redemption(const vrs_data *d, int64_t id) { return FIND(d, redemption, id); }
static const vrs_account *find_account(const vrs_data *d, int64_t id) { return FIND(d, account, id); }
static const vrs_lab_charge *find_lab_charge(const vrs_data *d, int64_t id) { return FIND(d, lab_charge, id); }

/* The source: the transfers summed, and every account's cached balance
 * compared with the sum of its transfers (derived, by account index). */
static fow_code source_of(const vrs_data *d, fow_voucher_report_source *src, int64_t **derived_out, fow_error *err) {
    memset(src, 0, sizeof *src);
    int64_t *derived = calloc(d->n_accounts ? d->n_accounts : 1, sizeof *derived);
    if (!derived) return fow_error_set(err, FOW_ENOMEM, "out of memory summing the ledger");
    for (size_t i = 0; i < d->n_transfers; i++) {
        const vrs_transfer *t = &d->transfers[i];
        const vrs_account *from = find_account(d, t->from_account), *to = find_account(d, t->to_account);
        if (from) derived[from - d->accounts] -= t->amount_minor;
        if (to) derived[to - d->accounts] += t->amount_minor;
    }
    for (size_t i = 0; i < d->n_accounts; i++)
        if (derived[i] != d->accounts[i].cached_balance_minor) src->mismatched++;
    src->transfers = (int64_t)d->n_transfers;
    src->last_transfer = d->n_transfers ? d->transfers[d->n_transfers - 1].id : 0;
    snprintf(src->last_hash, sizeof src->last_hash, "%s", d->last_hash);
    src->accounts = (int64_t)d->n_accounts;
    if (derived_out) *derived_out = derived;
    else free(derived);
    return FOW_OK;
}

static void month_of(int64_t at, char out[8]) {
    time_t t = (time_t)at;
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 8, "%04u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)(tm.tm_mon + 1) % 100u);
}

/* ---- the report by dimension ---- */

typedef struct row_set {
    fow_voucher_report_row *rows;
    size_t n, cap;
    bool failed;
} row_set;

static fow_voucher_report_row *row_get(row_set *s, const char *key, const char *currency) {
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->rows[i].key, key) == 0 && strcmp(s->rows[i].currency, currency) == 0) return &s->rows[i];
    if (s->failed) return NULL;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        fow_voucher_report_row *more = realloc(s->rows, cap * sizeof *more);
        if (!more) {
            s->failed = true;
            return NULL;
        }
        s->rows = more;
        s->cap = cap;
    }
    fow_voucher_report_row *r = &s->rows[s->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->key, sizeof r->key, "%s", key);
    snprintf(r->currency, sizeof r->currency, "%s", currency);
    return r;
}

static void line_label(const vrs_data *d, const vrs_line *l, char *out, size_t n) {
    const vrs_fund *f = find_fund(d, l->fund_id);
    snprintf(out, n, "%s · %s %d%s%s%s", f ? f->name : "?", l->purpose, l->year, l->name[0] ? " (" : "", l->name,
             l->name[0] ? ")" : "");
}

/* Which figures a dimension gives. */
static bool applies(fow_voucher_report_by by, int c) {
    switch (by) {
    case FOW_VREPORT_CALL: return c != FOW_VR_ALLOCATED && c != FOW_VR_AVAILABLE;
    case FOW_VREPORT_PROVIDER:
        return c == FOW_VR_REDEEMED || c == FOW_VR_PAID || c == FOW_VR_LAB_CHARGED || c == FOW_VR_LAB_PAID ||
               c == FOW_VR_LAB_OUTSTANDING;
    default: return true;
    }
}

/* What transfer t changes in each column. */
static void transfer_changes(const vrs_transfer *t, int64_t change[FOW_VR_COLUMNS]) {
    memset(change, 0, FOW_VR_COLUMNS * sizeof *change);
    int64_t a = t->amount_minor;
    if (strcmp(t->kind, "allocate") == 0) change[FOW_VR_ALLOCATED] += a;
    if (strcmp(t->kind, "issue") == 0) change[FOW_VR_ISSUED] += a;
    if (strcmp(t->kind, "expire") == 0 || strcmp(t->kind, "cancel") == 0) change[FOW_VR_EXPIRED] += a;
    if (strcmp(t->to_kind, "voucher") == 0) change[FOW_VR_COMMITTED] += a;
    if (strcmp(t->from_kind, "voucher") == 0) change[FOW_VR_COMMITTED] -= a;
    if (strcmp(t->to_kind, "available") == 0) change[FOW_VR_AVAILABLE] += a;
    if (strcmp(t->from_kind, "available") == 0) change[FOW_VR_AVAILABLE] -= a;
    if (strcmp(t->from_kind, "voucher") == 0 && strcmp(t->to_kind, "claim") == 0) change[FOW_VR_REDEEMED] += a;
    if (strcmp(t->from_kind, "claim") == 0 && strcmp(t->to_kind, "voucher") == 0) change[FOW_VR_REDEEMED] -= a;
    /* lab time: from a voucher straight to the lab operator's payable account, refunds back */
    if (strcmp(t->from_kind, "voucher") == 0 && strcmp(t->to_kind, "payable") == 0) {
        change[FOW_VR_REDEEMED] += a;
        change[FOW_VR_LAB_CHARGED] += a;
        change[FOW_VR_LAB_OUTSTANDING] += a;
    }
    if (strcmp(t->from_kind, "payable") == 0 && strcmp(t->to_kind, "voucher") == 0) {
        change[FOW_VR_REDEEMED] -= a;
        change[FOW_VR_LAB_CHARGED] -= a;
        change[FOW_VR_LAB_OUTSTANDING] -= a;
    }
    if (strcmp(t->to_kind, "paid") == 0) change[FOW_VR_PAID] += a;
    if (strcmp(t->to_kind, "paid") == 0 && t->key_lab_charge) {
        change[FOW_VR_LAB_PAID] += a;
        change[FOW_VR_LAB_OUTSTANDING] -= a;
    }
}

/* The redemption a transfer is about: a claim account's owner, or the id
 * in the key of a payment ("redemption:ID:pay"). */
static const vrs_redemption *transfer_redemption(const vrs_data *d, const vrs_transfer *t) {
    if (strcmp(t->from_kind, "claim") == 0) return find_redemption(d, t->from_owner);
    if (strcmp(t->to_kind, "claim") == 0) return find_redemption(d, t->to_owner);
    return t->key_redemption ? find_redemption(d, t->key_redemption) : NULL;
}

/* The group key of transfer t in dimension by, or false when t belongs to
 * no group of it. */
static bool group_of(const vrs_data *d, fow_voucher_report_by by, const vrs_transfer *t, char key[32]) {
    const vrs_redemption *r = transfer_redemption(d, t);
    const vrs_voucher *v = NULL;
    if (strcmp(t->from_kind, "voucher") == 0) v = find_voucher(d, t->from_owner);
    else if (strcmp(t->to_kind, "voucher") == 0) v = find_voucher(d, t->to_owner);
    else if (r) v = find_voucher(d, r->voucher_id);
    else if (t->key_lab_charge) {
        const vrs_lab_charge *c = find_lab_charge(d, t->key_lab_charge);
        if (c) v = find_voucher(d, c->voucher_id);
    }
    const vrs_line *l = v ? find_line(d, v->line_id) : NULL;
    if (!l && strcmp(t->to_kind, "available") == 0) l = find_line(d, t->to_owner);
    if (!l && strcmp(t->from_kind, "available") == 0) l = find_line(d, t->from_owner);
    switch (by) {
    case FOW_VREPORT_FUND:
        if (!l && strcmp(t->from_kind, "fund") == 0) {
            snprintf(key, 32, "%" PRId64, t->from_owner);
            return true;
        }
        if (!l) return false;
        snprintf(key, 32, "%" PRId64, l->fund_id);
        return true;
    case FOW_VREPORT_LINE:
        if (!l) return false;
        snprintf(key, 32, "%" PRId64, l->id);
        return true;
    case FOW_VREPORT_CALL:
        if (!v) return false;
        if (v->call_id) snprintf(key, 32, "%" PRId64, v->call_id);
        else snprintf(key, 32, "none");
        return true;
    case FOW_VREPORT_PROVIDER:
        if (r) snprintf(key, 32, "%" PRId64, r->provider_id);
        else if (strcmp(t->to_kind, "payable") == 0 || strcmp(t->to_kind, "paid") == 0)
            snprintf(key, 32, "%" PRId64, t->to_owner);
        else if (strcmp(t->from_kind, "payable") == 0) /* a lab charge refunded */
            snprintf(key, 32, "%" PRId64, t->from_owner);
        else return false;
        return true;
    case FOW_VREPORT_MONTH: month_of(t->at, key); return true;
    default: return false;
    }
}

static void label_rows(fow_db *db, const vrs_data *d, fow_voucher_report_by by, row_set *s) {
    for (size_t i = 0; i < s->n; i++) {
        fow_voucher_report_row *r = &s->rows[i];
        long long id = strtoll(r->key, NULL, 10);
        snprintf(r->label, sizeof r->label, "%s", r->key);
        if (by == FOW_VREPORT_FUND) {
            const vrs_fund *f = find_fund(d, id);
            if (f) snprintf(r->label, sizeof r->label, "%s", f->name);
        } else if (by == FOW_VREPORT_LINE) {
            const vrs_line *l = find_line(d, id);
            if (l) line_label(d, l, r->label, sizeof r->label);
        } else if (by == FOW_VREPORT_CALL) {
            const vrs_call *c = id ? find_call(d, id) : NULL;
            if (c) {
                snprintf(r->label, sizeof r->label, "%s", c->title_en);
                snprintf(r->label_ro, sizeof r->label_ro, "%s", c->title_ro);
            } else if (strcmp(r->key, "none") == 0) {
                snprintf(r->label, sizeof r->label, "issued without a call");
                snprintf(r->label_ro, sizeof r->label_ro, "emise fără apel");
            }
        } else if (by == FOW_VREPORT_PROVIDER) {
            char name[256];
            fow_error err;
            fow_error_clear(&err);
            if (fow_training_provider_name(db, (int64_t)id, name, sizeof name, &err) == FOW_OK)
                snprintf(r->label, sizeof r->label, "%s", name);
            else snprintf(r->label, sizeof r->label, "provider %lld", id);
        }
        if (!r->label_ro[0]) snprintf(r->label_ro, sizeof r->label_ro, "%s", r->label);
    }
}

static bool all_digits(const char *s) {
    if (!*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

/* By currency, then key: ids as numbers, months (YYYY-MM) as text, "none" last. */
static int cmp_rows(const void *pa, const void *pb) {
    const fow_voucher_report_row *a = pa, *b = pb;
    int c = strcmp(a->currency, b->currency);
    if (c) return c;
    bool na = strcmp(a->key, "none") == 0, nb = strcmp(b->key, "none") == 0;
    if (na != nb) return na ? 1 : -1;
    if (all_digits(a->key) && all_digits(b->key)) {
        long long x = strtoll(a->key, NULL, 10), y = strtoll(b->key, NULL, 10);
        return (x > y) - (x < y);
    }
    return strcmp(a->key, b->key);
}

fow_code fow_voucher_report_compute(fow_db *db, fow_voucher_report_by by, int64_t now, fow_voucher_report *out,
                                    fow_error *err) {
    memset(out, 0, sizeof *out);
    if ((unsigned)by >= FOW_VREPORT_BY_COUNT)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "by", "a report is by fund, line, call, provider or month");
    out->by = by;
    out->computed_at = now;
    vrs_data d;
    fow_code rc = vrs_load(db, &d, err);
    if (!rc) rc = source_of(&d, &out->source, NULL, err);
    if (rc) {
        vrs_free(&d);
        return rc;
    }
    row_set rows = {0}, totals = {0};
    /* every fund, line and call has its row, with or without money */
    if (by == FOW_VREPORT_FUND)
        for (size_t i = 0; i < d.n_funds; i++) {
            char key[32];
            snprintf(key, sizeof key, "%" PRId64, d.funds[i].id);
            row_get(&rows, key, d.funds[i].currency);
        }
    if (by == FOW_VREPORT_LINE)
        for (size_t i = 0; i < d.n_lines; i++) {
            char key[32];
            snprintf(key, sizeof key, "%" PRId64, d.lines[i].id);
            row_get(&rows, key, d.lines[i].currency);
        }
    if (by == FOW_VREPORT_CALL)
        for (size_t i = 0; i < d.n_calls; i++) {
            const vrs_line *l = find_line(&d, d.calls[i].line_id);
            char key[32];
            snprintf(key, sizeof key, "%" PRId64, d.calls[i].id);
            if (l) row_get(&rows, key, l->currency);
        }
    for (size_t i = 0; i < d.n_transfers; i++) {
        const vrs_transfer *t = &d.transfers[i];
        int64_t change[FOW_VR_COLUMNS];
        transfer_changes(t, change);
        const vrs_redemption *r = strcmp(t->kind, "redeem") == 0 ? transfer_redemption(&d, t) : NULL;
        bool issued = strcmp(t->kind, "issue") == 0, redeemed = r && strcmp(r->status, "refunded") != 0;
        fow_voucher_report_row *total = row_get(&totals, "total", t->currency);
        char key[32];
        fow_voucher_report_row *row = group_of(&d, by, t, key) ? row_get(&rows, key, t->currency) : NULL;
        for (int c = 0; c < FOW_VR_COLUMNS; c++) {
            if (total) total->amount[c] += change[c];
            if (row) row->amount[c] += change[c];
        }
        if (total) total->vouchers += issued, total->redemptions += redeemed;
        if (row) row->vouchers += issued, row->redemptions += redeemed;
    }
    if (rows.failed || totals.failed) {
        free(rows.rows);
        free(totals.rows);
        vrs_free(&d);
        return fow_error_set(err, FOW_ENOMEM, "out of memory building the voucher report");
    }
    if (rows.n) qsort(rows.rows, rows.n, sizeof *rows.rows, cmp_rows);
    if (by == FOW_VREPORT_MONTH) /* committed and available: what was held at the end of each month */
        for (size_t i = 1; i < rows.n; i++)
            if (strcmp(rows.rows[i].currency, rows.rows[i - 1].currency) == 0) {
                rows.rows[i].amount[FOW_VR_COMMITTED] += rows.rows[i - 1].amount[FOW_VR_COMMITTED];
                rows.rows[i].amount[FOW_VR_AVAILABLE] += rows.rows[i - 1].amount[FOW_VR_AVAILABLE];
                rows.rows[i].amount[FOW_VR_LAB_OUTSTANDING] += rows.rows[i - 1].amount[FOW_VR_LAB_OUTSTANDING];
            }
    for (size_t i = 0; i < rows.n; i++)
        for (int c = 0; c < FOW_VR_COLUMNS; c++) {
            rows.rows[i].applies[c] = applies(by, c);
            if (!rows.rows[i].applies[c]) rows.rows[i].amount[c] = 0;
        }
    if (by == FOW_VREPORT_PROVIDER)
        for (size_t i = 0; i < rows.n; i++) rows.rows[i].vouchers = -1; /* not a provider's */
    for (size_t i = 0; i < totals.n; i++)
        for (int c = 0; c < FOW_VR_COLUMNS; c++) totals.rows[i].applies[c] = true;
    if (totals.n) qsort(totals.rows, totals.n, sizeof *totals.rows, cmp_rows);
    label_rows(db, &d, by, &rows);
    for (size_t i = 0; i < totals.n; i++) {
        snprintf(totals.rows[i].label, sizeof totals.rows[i].label, "total");
        snprintf(totals.rows[i].label_ro, sizeof totals.rows[i].label_ro, "total");
    }
    out->rows = rows.rows;
    out->n_rows = rows.n;
    out->totals = totals.rows;
    out->n_totals = totals.n;
    vrs_free(&d);
    return FOW_OK;
}

void fow_voucher_report_free(fow_voucher_report *r) {
    free(r->rows);
    free(r->totals);
    memset(r, 0, sizeof *r);
}

/* ---- CSV ---- */

typedef struct text_buf {
    char *s;
    size_t n, cap;
    bool failed;
} text_buf;

static void put(text_buf *b, const char *fmt, ...) {
    if (b->failed) return;
    va_list ap;
    va_start(ap, fmt);
    char tmp[1024];
    int len = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (len < 0 || (size_t)len >= sizeof tmp) {
        b->failed = true;
        return;
    }
    if (b->n + (size_t)len + 1 > b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 1024;
        while (cap < b->n + (size_t)len + 1) cap *= 2;
        char *more = realloc(b->s, cap);
        if (!more) {
            b->failed = true;
            return;
        }
        b->s = more;
        b->cap = cap;
    }
    memcpy(b->s + b->n, tmp, (size_t)len + 1);
    b->n += (size_t)len;
}

/* A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line
 * break, with quotes doubled. */
static void put_field(text_buf *b, const char *text) {
    if (!strpbrk(text, ",\"\r\n")) {
        put(b, "%s", text);
        return;
    }
    put(b, "\"");
    for (const char *p = text; *p; p++) put(b, *p == '"' ? "\"\"" : "%c", *p);
    put(b, "\"");
}

static void put_money(text_buf *b, int64_t minor) {
    char m[32];
    put(b, ",%" PRId64 ",%s", minor, fow_money_format(minor, m, sizeof m));
}

static char *finish(text_buf *b) {
    if (b->failed) {
        free(b->s);
        return NULL;
    }
    return b->s;
}

static void put_report_row(text_buf *b, const char *by, const fow_voucher_report_row *r) {
    put_field(b, by);
    put(b, ",");
    put_field(b, r->key);
    put(b, ",");
    put_field(b, r->label);
    put(b, ",%s,", r->currency);
    if (r->vouchers >= 0) put(b, "%" PRId64, r->vouchers);
    put(b, ",%" PRId64, r->redemptions);
    for (int c = 0; c < FOW_VR_COLUMNS; c++) {
        if (r->applies[c]) put_money(b, r->amount[c]);
        else put(b, ",,");
    }
    put(b, "\r\n");
}

char *fow_voucher_report_csv(const fow_voucher_report *r) {
    text_buf b = {0};
    put(&b, "by,key,label,currency,vouchers,redemptions");
    for (int c = 0; c < FOW_VR_COLUMNS; c++) put(&b, ",%s_minor,%s", column_names[c], column_names[c]);
    put(&b, "\r\n");
    for (size_t i = 0; i < r->n_rows; i++) put_report_row(&b, fow_voucher_report_by_name(r->by), &r->rows[i]);
    for (size_t i = 0; i < r->n_totals; i++) put_report_row(&b, fow_voucher_report_by_name(r->by), &r->totals[i]);
    if (!b.s && !b.failed) put(&b, "%s", "");
    return finish(&b);
}

/* ---- costs ---- */

static int cmp_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The completion ids of every credential issued, sorted, into *ids (*n;
 * free each and the array). false when they could not be read. */
static bool credential_completions(fow_db *db, char ***ids, size_t *n) {
    *ids = NULL;
    *n = 0;
    fow_error err;
    fow_error_clear(&err);
    fow_credentials *c = NULL;
    if (fow_credentials_open(db, NULL, false, &c, &err)) return false;
    fow_credential_row *rows = NULL;
    size_t count = 0;
    fow_code rc = fow_credential_list(c, NULL, &rows, &count, &err);
    fow_credentials_close(c);
    if (rc) return false;
    char **out = calloc(count ? count : 1, sizeof *out);
    bool ok = out != NULL;
    for (size_t i = 0; ok && i < count; i++) ok = (out[i] = strdup(rows[i].completion_id)) != NULL;
    free(rows);
    if (!ok) {
        for (size_t i = 0; out && i < count; i++) free(out[i]);
        free(out);
        return false;
    }
    if (count) qsort(out, count, sizeof *out, cmp_text);
    *ids = out;
    *n = count;
    return true;
}

/* What each redemption's completion brought: the money of its "complete"
 * transfers (by redemption index). */
static int64_t *completed_money(const vrs_data *d) {
    int64_t *money = calloc(d->n_redemptions ? d->n_redemptions : 1, sizeof *money);
    if (!money) return NULL;
    for (size_t i = 0; i < d->n_transfers; i++) {
        const vrs_transfer *t = &d->transfers[i];
        if (strcmp(t->kind, "complete") != 0 || strcmp(t->from_kind, "claim") != 0) continue;
        const vrs_redemption *r = find_redemption(d, t->from_owner);
        if (r) money[r - d->redemptions] += t->amount_minor;
    }
    return money;
}

typedef struct cost_set {
    fow_voucher_cost_row *rows;
    size_t n, cap;
    bool failed;
} cost_set;

static fow_voucher_cost_row *cost_get(cost_set *s, const char *module, const char *currency) {
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->rows[i].module, module) == 0 && strcmp(s->rows[i].currency, currency) == 0) return &s->rows[i];
    if (s->failed) return NULL;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        fow_voucher_cost_row *more = realloc(s->rows, cap * sizeof *more);
        if (!more) {
            s->failed = true;
            return NULL;
        }
        s->rows = more;
        s->cap = cap;
    }
    fow_voucher_cost_row *r = &s->rows[s->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->module, sizeof r->module, "%s", module);
    snprintf(r->currency, sizeof r->currency, "%s", currency);
    return r;
}

/* a / b rounded half up (a, b >= 0); 0 when b is 0. */
static int64_t per(int64_t a, int64_t b) { return b > 0 ? (a + b / 2) / b : 0; }

static int cmp_costs(const void *pa, const void *pb) {
    const fow_voucher_cost_row *a = pa, *b = pb;
    int c = strcmp(a->currency, b->currency);
    return c ? c : strcmp(a->module, b->module);
}

/* Whether redemption r's enrolment was completed, and whether a credential
 * was issued for it (ids: sorted completion ids of the credentials). */
static bool completion_of(fow_db *db, const vrs_redemption *r, char **ids, size_t n_ids, bool *credential) {
    fow_completion done;
    fow_error err;
    fow_error_clear(&err);
    *credential = false;
    if (fow_cohort_completion(db, r->cohort_id, r->person, &done, &err) != FOW_OK) return false;
    char id[96];
    snprintf(id, sizeof id, "cohort:%" PRId64 ":enrolment:%" PRId64, r->cohort_id, r->enrolment_id);
    const char *key = id;
    *credential = n_ids && bsearch(&key, ids, n_ids, sizeof *ids, cmp_text) != NULL;
    return true;
}

fow_code fow_voucher_costs_compute(fow_db *db, const fow_training_catalogue *catalogue, int64_t now,
                                   fow_voucher_costs *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    out->computed_at = now;
    vrs_data d;
    fow_code rc = vrs_load(db, &d, err);
    if (!rc) rc = source_of(&d, &out->source, NULL, err);
    int64_t *money = rc ? NULL : completed_money(&d);
    if (!rc && !money) rc = fow_error_set(err, FOW_ENOMEM, "out of memory summing the completions");
    if (rc) {
        vrs_free(&d);
        return rc;
    }
    char **ids = NULL;
    size_t n_ids = 0;
    out->credentials_read = credential_completions(db, &ids, &n_ids);
    cost_set rows = {0}, totals = {0};
    for (size_t i = 0; i < d.n_redemptions; i++) {
        const vrs_redemption *r = &d.redemptions[i];
        if (strcmp(r->status, "refunded") == 0) continue;
        fow_voucher_cost_row *row = cost_get(&rows, r->module, r->currency);
        fow_voucher_cost_row *total = cost_get(&totals, "total", r->currency);
        if (!row || !total) break;
        bool credential = false;
        if (money[i] > 0 && completion_of(db, r, ids, n_ids, &credential)) {
            fow_voucher_cost_row *both[2] = {row, total};
            for (int k = 0; k < 2; k++) {
                both[k]->completions++;
                both[k]->completion_minor += money[i];
                if (credential) {
                    both[k]->credentials++;
                    both[k]->credential_minor += money[i];
                }
            }
        } else if (money[i] == 0) {
            row->waiting++;
            row->waiting_minor += r->amount_minor;
            total->waiting++;
            total->waiting_minor += r->amount_minor;
        }
    }
    for (size_t i = 0; i < n_ids; i++) free(ids[i]);
    free(ids);
    free(money);
    vrs_free(&d);
    if (rows.failed || totals.failed) {
        free(rows.rows);
        free(totals.rows);
        return fow_error_set(err, FOW_ENOMEM, "out of memory building the costs");
    }
    cost_set *sets[2] = {&rows, &totals};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < sets[k]->n; i++) {
            fow_voucher_cost_row *r = &sets[k]->rows[i];
            r->cost_per_completion_minor = per(r->completion_minor, r->completions);
            r->cost_per_credential_minor = per(r->credential_minor, r->credentials);
            const fow_training_module *m = catalogue && k == 0 ? fow_training_module_by_code(catalogue, r->module) : NULL;
            snprintf(r->title_en, sizeof r->title_en, "%s", m ? m->title_en : r->module);
            snprintf(r->title_ro, sizeof r->title_ro, "%s", m ? m->title_ro : r->module);
        }
    if (rows.n) qsort(rows.rows, rows.n, sizeof *rows.rows, cmp_costs);
    if (totals.n) qsort(totals.rows, totals.n, sizeof *totals.rows, cmp_costs);
    out->rows = rows.rows;
    out->n_rows = rows.n;
    out->totals = totals.rows;
    out->n_totals = totals.n;
    return FOW_OK;
}

void fow_voucher_costs_free(fow_voucher_costs *c) {
    free(c->rows);
    free(c->totals);
    memset(c, 0, sizeof *c);
}

static void put_cost_row(text_buf *b, const fow_voucher_cost_row *r) {
    put_field(b, r->module);
    put(b, ",");
    put_field(b, r->title_en);
    put(b, ",%s,%" PRId64 ",%" PRId64, r->currency, r->completions, r->completion_minor);
    put_money(b, r->cost_per_completion_minor);
    put(b, ",%" PRId64 ",%" PRId64, r->credentials, r->credential_minor);
    put_money(b, r->cost_per_credential_minor);
    put(b, ",%" PRId64 ",%" PRId64 "\r\n", r->waiting, r->waiting_minor);
}

char *fow_voucher_costs_csv(const fow_voucher_costs *c) {
    text_buf b = {0};
    put(&b, "module,title,currency,completions,completion_minor,cost_per_completion_minor,cost_per_completion,"
            "credentials,credential_minor,cost_per_credential_minor,cost_per_credential,waiting,waiting_minor\r\n");
    for (size_t i = 0; i < c->n_rows; i++) put_cost_row(&b, &c->rows[i]);
    for (size_t i = 0; i < c->n_totals; i++) put_cost_row(&b, &c->totals[i]);
    return finish(&b);
}

/* ---- outstanding ---- */

static int cmp_items(const void *pa, const void *pb) {
    const fow_voucher_outstanding_item *a = pa, *b = pb;
    int c = strcmp(a->valid_until, b->valid_until);
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

static int cmp_months(const void *pa, const void *pb) {
    const fow_voucher_expiry_month *a = pa, *b = pb;
    int c = strcmp(a->currency, b->currency);
    return c ? c : strcmp(a->month, b->month);
}

static fow_voucher_expiry_month *month_get(fow_voucher_expiry_month **arr, size_t *n, const char *month,
                                           const char *currency) {
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*arr)[i].month, month) == 0 && strcmp((*arr)[i].currency, currency) == 0) return &(*arr)[i];
    fow_voucher_expiry_month *more = realloc(*arr, (*n + 1) * sizeof *more);
    if (!more) return NULL;
    *arr = more;
    fow_voucher_expiry_month *m = &more[(*n)++];
    memset(m, 0, sizeof *m);
    snprintf(m->month, sizeof m->month, "%s", month);
    snprintf(m->currency, sizeof m->currency, "%s", currency);
    return m;
}

fow_code fow_voucher_outstanding_compute(fow_db *db, int64_t now, fow_voucher_outstanding *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    out->computed_at = now;
    time_t tt = (time_t)now;
    struct tm tm;
    gmtime_r(&tt, &tm);
    snprintf(out->today, sizeof out->today, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
             (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
    vrs_data d;
    int64_t *derived = NULL;
    fow_code rc = vrs_load(db, &d, err);
    if (!rc) rc = source_of(&d, &out->source, &derived, err);
    if (rc) {
        vrs_free(&d);
        return rc;
    }
    /* each voucher's balance: the sum of its account's transfers */
    int64_t *balance = calloc(d.n_vouchers ? d.n_vouchers : 1, sizeof *balance);
    if (!balance) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < d.n_accounts; i++) {
        if (strcmp(d.accounts[i].kind, "voucher") != 0) continue;
        const vrs_voucher *v = find_voucher(&d, d.accounts[i].owner_id);
        if (v) balance[v - d.vouchers] += derived[i];
    }
    for (size_t i = 0; !rc && i < d.n_vouchers; i++) {
        const vrs_voucher *v = &d.vouchers[i];
        if (balance[i] <= 0 || (strcmp(v->status, "issued") != 0 && strcmp(v->status, "active") != 0)) continue;
        fow_voucher_outstanding_item *more = realloc(out->items, (out->n_items + 1) * sizeof *more);
        if (!more) {
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
            break;
        }
        out->items = more;
        fow_voucher_outstanding_item *it = &more[out->n_items++];
        memset(it, 0, sizeof *it);
        it->id = v->id;
        it->line_id = v->line_id;
        const vrs_line *l = find_line(&d, v->line_id);
        if (l) line_label(&d, l, it->line_label, sizeof it->line_label);
        it->call_id = v->call_id;
        snprintf(it->status, sizeof it->status, "%s", v->status);
        snprintf(it->valid_until, sizeof it->valid_until, "%s", v->valid_until);
        it->value_minor = v->value_minor;
        it->balance_minor = balance[i];
        snprintf(it->currency, sizeof it->currency, "%s", v->currency);
        it->past_last_day = strcmp(v->valid_until, out->today) < 0;
        char month[8];
        snprintf(month, sizeof month, "%.7s", v->valid_until);
        fow_voucher_expiry_month *m = month_get(&out->months, &out->n_months, month, v->currency);
        fow_voucher_expiry_month *t = m ? month_get(&out->totals, &out->n_totals, "total", v->currency) : NULL;
        if (!m || !t) {
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
            break;
        }
        fow_voucher_expiry_month *both[2] = {m, t};
        for (int k = 0; k < 2; k++) {
            both[k]->vouchers++;
            both[k]->amount_minor += balance[i];
            both[k]->past_last_day += it->past_last_day;
        }
    }
    free(balance);
    free(derived);
    vrs_free(&d);
    if (rc) return rc;
    if (out->n_items) qsort(out->items, out->n_items, sizeof *out->items, cmp_items);
    if (out->n_months) qsort(out->months, out->n_months, sizeof *out->months, cmp_months);
    if (out->n_totals) qsort(out->totals, out->n_totals, sizeof *out->totals, cmp_months);
    return FOW_OK;
}

void fow_voucher_outstanding_free(fow_voucher_outstanding *o) {
    free(o->months);
    free(o->totals);
    free(o->items);
    memset(o, 0, sizeof *o);
}

char *fow_voucher_outstanding_csv(const fow_voucher_outstanding *o) {
    text_buf b = {0};
    put(&b, "month,currency,vouchers,amount_minor,amount,past_last_day\r\n");
    const fow_voucher_expiry_month *sets[2] = {o->months, o->totals};
    size_t ns[2] = {o->n_months, o->n_totals};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < ns[k]; i++) {
            const fow_voucher_expiry_month *m = &sets[k][i];
            put(&b, "%s,%s,%" PRId64, m->month, m->currency, m->vouchers);
            put_money(&b, m->amount_minor);
            put(&b, ",%" PRId64 "\r\n", m->past_last_day);
        }
    return finish(&b);
}

/* ---- per person ---- */

static int cmp_person(const void *pa, const void *pb) {
    const fow_voucher_person_figures *a = pa, *b = pb;
    return strcmp(a->person, b->person);
}

fow_code fow_voucher_people_figures(fow_db *db, fow_voucher_person_figures **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    vrs_data d;
    fow_code rc = vrs_load(db, &d, err);
    int64_t *money = rc ? NULL : completed_money(&d);
    if (!rc && !money) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    fow_voucher_person_figures *people = NULL;
    size_t count = 0;
    if (!rc) {
        people = calloc(d.n_vouchers ? d.n_vouchers : 1, sizeof *people);
        if (!people) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    }
    /* one entry per person: vouchers sorted by person through a copy */
    for (size_t i = 0; !rc && i < d.n_vouchers; i++) {
        snprintf(people[i].person, sizeof people[i].person, "%s", d.vouchers[i].person);
        people[i].vouchers = 1;
    }
    if (!rc && d.n_vouchers) {
        qsort(people, d.n_vouchers, sizeof *people, cmp_person);
        for (size_t i = 0; i < d.n_vouchers; i++) {
            if (count && strcmp(people[count - 1].person, people[i].person) == 0) people[count - 1].vouchers++;
            else people[count++] = people[i];
        }
    }
    for (size_t i = 0; !rc && i < d.n_redemptions; i++) {
        const vrs_redemption *r = &d.redemptions[i];
        if (strcmp(r->status, "refunded") == 0) continue;
        fow_voucher_person_figures key;
        snprintf(key.person, sizeof key.person, "%s", r->person);
        fow_voucher_person_figures *p = count ? bsearch(&key, people, count, sizeof *people, cmp_person) : NULL;
        if (!p) continue;
        p->redeemed = true;
        bool credential;
        if (money[i] > 0 && completion_of(db, r, NULL, 0, &credential)) {
            p->completed_after = true;
            p->completions++;
            p->completion_minor += money[i];
            snprintf(p->currency, sizeof p->currency, "%s", r->currency);
        }
    }
    free(money);
    vrs_free(&d);
    if (rc) {
        free(people);
        return rc;
    }
    *out = people;
    *n = count;
    return FOW_OK;
}
