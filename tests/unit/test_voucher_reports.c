/* test_voucher_reports.c — the voucher office's reports
 * (src/vouchers/fow_voucher_reports.h): a ledger built here (two funds in
 * two currencies, three budget lines, three vouchers; a redemption completed
 * and paid, one refunded, one waiting; an expiry and a cancellation, in two
 * months), then every figure per fund, line, call, provider and month, the
 * totals against the ledger's own account balances, the costs per
 * completion, the outstanding vouchers by month of expiry, the CSV, the
 * per-person figures; and a cached balance changed behind the ledger's back:
 * the report does not follow it (its figures come from the transfers) and
 * counts the mismatch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "accounts/fow_accounts.h"
#include "indicators/fow_indicators.h"
#include "people/fow_people.h"
#include "taxonomy/fow_import.h"
#include "test_support.h"
#include "training/fow_cohort.h"
#include "training/fow_training.h"
#include "vouchers/fow_ledger.h"
#include "vouchers/fow_voucher_reports.h"
#include "vouchers/fow_vouchers.h"

#define NOW 1796000000LL                /* 2026-11-30 01:33 UTC */
#define LATER (NOW + 40LL * 86400)      /* 2027-01-08 */
#define MUCH_LATER 1830297600LL         /* 2028-01-01 */

static const fow_cohort_actor ADMIN = {.staff = {.name = "office", .organisation = "", .all_organisations = true},
                                       .role = FOW_ROLE_ADMIN};

typedef struct fixture {
    ts_db d;
    char key_path[TS_PATH_MAX + 8];
    fow_people *people;
    fow_training_catalogue catalogue;
    int64_t fund, eur_fund, line_a, line_b, line_eur;
    char p1[FOW_PERSON_ID_CHARS + 1], p2[FOW_PERSON_ID_CHARS + 1], p3[FOW_PERSON_ID_CHARS + 1];
    int64_t module_cost;   /* W40-DATA's */
    int64_t data_provider, biz_provider;
    fow_voucher v1, v2, v3;
} fixture;

static const char *demo_dir(void) {
    const char *d = getenv("FOW_DEMO");
    return d && *d ? d : "data/demo";
}

static void add_person(fixture *f, char *id) {
    fow_error err;
    fow_error_clear(&err);
    fow_person_input in = {.area = "Cluj-Napoca", .organisation = "AJOFM Cluj"};
    assert_fow_ok(fow_people_add(f->people, &ADMIN.staff, NULL, &in, NOW, id, &err), &err);
    assert_fow_ok(fow_people_consent_give(f->people, &ADMIN.staff, id, FOW_PURPOSE_TRAINING, "v1", NOW, &err), &err);
    assert_fow_ok(fow_people_consent_give(f->people, &ADMIN.staff, id, FOW_PURPOSE_VOUCHERS, "v1", NOW, &err), &err);
}

static int64_t add_cohort(fixture *f, const char *module) {
    fow_cohort_session sessions[2];
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_cohort_session_parse("2027-03-01 09:00-13:00", &sessions[0], &err), &err);
    assert_fow_ok(fow_cohort_session_parse("2027-03-02 09:00-13:00", &sessions[1], &err), &err);
    fow_cohort_input in = {.module = module, .starts_on = "2027-03-01", .ends_on = "2027-03-31", .capacity = 10,
                           .sessions = sessions, .n_sessions = 2};
    int64_t id = 0;
    assert_fow_ok(fow_cohort_add(f->d.db, &ADMIN, &f->catalogue, &in, NOW, &id, &err), &err);
    return id;
}

static void issue(fixture *f, int64_t line, const char *person, int64_t value, const char *until, const char *key,
                  fow_voucher *v) {
    fow_error err;
    fow_error_clear(&err);
    fow_voucher_issue_in in = {.line_id = line, .person = person, .value_minor = value, .valid_from = "2026-11-01",
                               .valid_until = until, .min_attendance_percent = -1, .key = key, .active = true};
    assert_fow_ok(fow_voucher_issue(f->d.db, f->people, &ADMIN.staff, &f->catalogue, &in, "office", NOW, v, &err),
                  &err);
}

static void redeem(fixture *f, const fow_voucher *v, int64_t cohort, int64_t amount, const char *key,
                   fow_redemption *r) {
    fow_error err;
    fow_error_clear(&err);
    fow_redeem_in in = {.code = v->code, .cohort_id = cohort, .amount_minor = amount, .key = key};
    assert_fow_ok(fow_voucher_redeem(f->d.db, f->people, &ADMIN, &f->catalogue, &in, LATER, r, NULL, &err), &err);
}

/* The ledger of the whole file: see the comment at the top. */
static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    ts_db_fresh(&f->d);
    fow_error err;
    fow_error_clear(&err);
    fow_import_report rep;
    assert_fow_ok(fow_import_bundle(f->d.db, demo_dir(), NULL, &rep, &err), &err);
    char path[TS_PATH_MAX];
    ts_join(path, sizeof path, demo_dir(), "modules.csv");
    assert_fow_ok(fow_import_modules(f->d.db, path, NULL, &rep, &err), &err);
    assert_fow_ok(fow_training_load(f->d.db, &f->catalogue, &err), &err);
    assert_fow_ok(fow_people_key_path(f->d.path, f->key_path, sizeof f->key_path, &err), &err);
    assert_fow_ok(fow_people_open(f->d.db, f->key_path, &f->people, &err), &err);
    const fow_training_module *data = fow_training_module_by_code(&f->catalogue, "W40-DATA");
    const fow_training_module *biz = fow_training_module_by_code(&f->catalogue, "CP-BIZ");
    assert_non_null(data);
    assert_non_null(biz);
    f->module_cost = data->cost_minor;
    f->data_provider = data->provider_id;
    f->biz_provider = biz->provider_id;
    assert_true(f->module_cost > 0 && f->module_cost < 150000);
    assert_true(f->data_provider != f->biz_provider);

    assert_fow_ok(fow_voucher_fund_create(f->d.db, "CEV", "RON", NULL, "office", NOW, &f->fund, &err), &err);
    assert_fow_ok(fow_voucher_fund_create(f->d.db, "Euro fund", "EUR", NULL, "office", NOW, &f->eur_fund, &err), &err);
    assert_fow_ok(fow_budget_line_add(f->d.db, f->fund, "learning_module", 2027, 10000000, "Modules", "office", NOW,
                                      &f->line_a, &err),
                  &err);
    assert_fow_ok(fow_budget_line_add(f->d.db, f->fund, "lab_time", 2027, 500000, NULL, "office", NOW, &f->line_b,
                                      &err),
                  &err);
    assert_fow_ok(fow_budget_line_add(f->d.db, f->eur_fund, "business_support", 2027, 10000, NULL, "office", NOW,
                                      &f->line_eur, &err),
                  &err);
    add_person(f, f->p1);
    add_person(f, f->p2);
    add_person(f, f->p3);
    issue(f, f->line_a, f->p1, 200000, "2027-06-30", "k1", &f->v1);
    issue(f, f->line_a, f->p2, 50000, "2027-12-31", "k2", &f->v2);
    issue(f, f->line_b, f->p3, 100000, "2027-12-31", "k3", &f->v3);

    /* in January: p1 completes W40-DATA (paid) and withdraws from CP-BIZ (refunded); p2 waits in CP-BIZ */
    int64_t data_cohort = add_cohort(f, "W40-DATA"), biz_cohort = add_cohort(f, "CP-BIZ");
    fow_redemption r1, r2, r3;
    redeem(f, &f->v1, data_cohort, 0, "r1", &r1);
    redeem(f, &f->v1, biz_cohort, 30000, "r2", &r2);
    redeem(f, &f->v2, biz_cohort, 20000, "r3", &r3);
    assert_fow_ok(fow_redemption_refund(f->d.db, r2.id, "withdrew", "office", LATER, &err), &err);
    assert_fow_ok(fow_cohort_attend(f->d.db, f->people, &ADMIN, data_cohort, f->p1, 1, true, LATER, &err), &err);
    assert_fow_ok(fow_cohort_attend(f->d.db, f->people, &ADMIN, data_cohort, f->p1, 2, true, LATER, &err), &err);
    assert_fow_ok(fow_cohort_complete(f->d.db, f->people, &ADMIN, NULL, &f->catalogue, data_cohort, f->p1, true,
                                      false, 0, "2027-01-08", LATER, NULL, NULL, &err),
                  &err);
    size_t payable = 0, refunded = 0;
    assert_fow_ok(fow_voucher_claims_settle(f->d.db, &ADMIN, "office", LATER, &payable, &refunded, &err), &err);
    assert_int_equal(payable, 1);
    int64_t batch;
    assert_fow_ok(fow_payment_batch_create(f->d.db, "RON", "office", LATER, &batch, &err), &err);
    assert_fow_ok(fow_payment_batch_approve(f->d.db, batch, "office", LATER, &err), &err);
    /* v1 expires (its last day 2027-06-30), v3 is cancelled */
    size_t expired = 0;
    assert_fow_ok(fow_vouchers_expire(f->d.db, "2027-07-01", "office", LATER, &expired, NULL, &err), &err);
    assert_int_equal(expired, 1);
    assert_fow_ok(fow_voucher_cancel(f->d.db, f->v3.id, "moved away", "office", LATER, &err), &err);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    fow_people_close(f->people);
    fow_training_free(&f->catalogue);
    ts_db_free(&f->d);
    free(f);
    return 0;
}

static const fow_voucher_report_row *row_of(const fow_voucher_report *r, const char *key, const char *currency) {
    for (size_t i = 0; i < r->n_rows; i++)
        if (strcmp(r->rows[i].key, key) == 0 && strcmp(r->rows[i].currency, currency) == 0) return &r->rows[i];
    fail_msg("no row %s %s", key, currency);
    return NULL;
}

static const fow_voucher_report_row *total_of(const fow_voucher_report *r, const char *currency) {
    for (size_t i = 0; i < r->n_totals; i++)
        if (strcmp(r->totals[i].currency, currency) == 0) return &r->totals[i];
    fail_msg("no total in %s", currency);
    return NULL;
}

static void compute(fixture *f, fow_voucher_report_by by, fow_voucher_report *r) {
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_voucher_report_compute(f->d.db, by, MUCH_LATER, r, &err), &err);
}

static void assert_amounts(const fow_voucher_report_row *row, int64_t allocated, int64_t issued, int64_t committed,
                           int64_t redeemed, int64_t paid, int64_t expired, int64_t available) {
    const int64_t want[FOW_VR_COLUMNS] = {allocated, issued, committed, redeemed, paid, expired, available};
    for (int c = 0; c < FOW_VR_COLUMNS; c++) {
        if (want[c] < 0) {
            assert_false(row->applies[c]);
            continue;
        }
        assert_true(row->applies[c]);
        if (row->amount[c] != want[c])
            fail_msg("%s %s: %s is %lld, not %lld", row->key, row->currency,
                     fow_voucher_report_column_name((fow_voucher_report_column)c), (long long)row->amount[c],
                     (long long)want[c]);
    }
}

static void test_by_fund_and_line(void **state) {
    fixture *f = *state;
    int64_t c = f->module_cost;
    fow_voucher_report r;
    compute(f, FOW_VREPORT_FUND, &r);
    assert_int_equal(r.source.mismatched, 0);
    assert_int_equal(r.source.transfers, 14); /* 3 allocate, 3 issue, 3 redeem, refund, complete, pay, expire, cancel */
    assert_int_equal(strlen(r.source.last_hash), 64);
    /* expired: v1's rest (its refunded 300.00 came back first) and the whole of v3 */
    assert_amounts(row_of(&r, "1", "RON"), 10500000, 350000, 30000, c + 20000, c, 200000 - c + 100000,
                   10500000 - 350000 + 300000 - c);
    assert_amounts(row_of(&r, "2", "EUR"), 10000, 0, 0, 0, 0, 0, 10000);
    assert_int_equal(row_of(&r, "1", "RON")->vouchers, 3);
    assert_int_equal(row_of(&r, "1", "RON")->redemptions, 2); /* the refunded one is not counted */
    assert_int_equal(r.n_totals, 2);
    fow_voucher_report_free(&r);

    compute(f, FOW_VREPORT_LINE, &r);
    char a[32], b[32];
    snprintf(a, sizeof a, "%lld", (long long)f->line_a);
    snprintf(b, sizeof b, "%lld", (long long)f->line_b);
    assert_amounts(row_of(&r, a, "RON"), 10000000, 250000, 30000, c + 20000, c, 200000 - c,
                   10000000 - 250000 + 200000 - c);
    assert_amounts(row_of(&r, b, "RON"), 500000, 100000, 0, 0, 0, 100000, 500000);
    assert_non_null(strstr(row_of(&r, a, "RON")->label, "CEV · learning_module 2027 (Modules)"));
    assert_int_equal(r.n_rows, 3);
    fow_voucher_report_free(&r);
}

static void test_by_call_provider_month(void **state) {
    fixture *f = *state;
    int64_t c = f->module_cost;
    fow_voucher_report r;
    compute(f, FOW_VREPORT_CALL, &r);
    assert_int_equal(r.n_rows, 1); /* every voucher was issued without a call */
    assert_amounts(row_of(&r, "none", "RON"), -1, 350000, 30000, c + 20000, c, 300000 - c, -1);
    assert_string_equal(row_of(&r, "none", "RON")->label_ro, "emise fără apel");
    fow_voucher_report_free(&r);

    compute(f, FOW_VREPORT_PROVIDER, &r);
    char data[32], biz[32];
    snprintf(data, sizeof data, "%lld", (long long)f->data_provider);
    snprintf(biz, sizeof biz, "%lld", (long long)f->biz_provider);
    assert_amounts(row_of(&r, data, "RON"), -1, -1, -1, c, c, -1, -1);
    assert_amounts(row_of(&r, biz, "RON"), -1, -1, -1, 20000, 0, -1, -1); /* 300.00 + 200.00 - 300.00 refunded */
    assert_int_equal(row_of(&r, biz, "RON")->vouchers, -1);
    assert_int_equal(row_of(&r, biz, "RON")->redemptions, 1);
    fow_voucher_report_free(&r);

    compute(f, FOW_VREPORT_MONTH, &r);
    assert_int_equal(r.n_rows, 3); /* 2026-11 in EUR and RON, 2027-01 in RON */
    /* November: allocations and issues; committed and available at the end of the month */
    assert_amounts(row_of(&r, "2026-11", "RON"), 10500000, 350000, 350000, 0, 0, 0, 10150000);
    /* January: what moved, and what was held at its end (the totals' now) */
    assert_amounts(row_of(&r, "2027-01", "RON"), 0, 0, 30000, c + 20000, c, 300000 - c, 10450000 - c);
    fow_voucher_report_free(&r);
}

/* The totals are the ledger's account balances, summed by kind. */
typedef struct kind_sums {
    int64_t by_kind[FOW_ACCOUNT_KIND_COUNT];
} kind_sums;

static int sum_account(const fow_ledger_account *a, void *ctx) {
    kind_sums *s = ctx;
    if (strcmp(a->currency, "RON") != 0) return 0;
    for (int k = 0; k < FOW_ACCOUNT_KIND_COUNT; k++)
        if (strcmp(a->kind, fow_ledger_account_kind_name((fow_ledger_account_kind)k)) == 0)
            s->by_kind[k] += a->balance_minor;
    return 0;
}

static void test_totals_are_the_account_balances(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    kind_sums s = {0};
    assert_fow_ok(fow_ledger_accounts_each(f->d.db, sum_account, &s, &err), &err);
    for (int by = 0; by < FOW_VREPORT_BY_COUNT; by++) {
        fow_voucher_report r;
        compute(f, (fow_voucher_report_by)by, &r);
        const fow_voucher_report_row *t = total_of(&r, "RON");
        assert_int_equal(t->amount[FOW_VR_ALLOCATED], -s.by_kind[FOW_ACCOUNT_FUND]);
        assert_int_equal(t->amount[FOW_VR_AVAILABLE], s.by_kind[FOW_ACCOUNT_AVAILABLE]);
        assert_int_equal(t->amount[FOW_VR_COMMITTED], s.by_kind[FOW_ACCOUNT_VOUCHER]);
        assert_int_equal(t->amount[FOW_VR_REDEEMED],
                         s.by_kind[FOW_ACCOUNT_CLAIM] + s.by_kind[FOW_ACCOUNT_PAYABLE] + s.by_kind[FOW_ACCOUNT_PAID]);
        assert_int_equal(t->amount[FOW_VR_PAID], s.by_kind[FOW_ACCOUNT_PAID]);
        assert_int_equal(t->amount[FOW_VR_ALLOCATED],
                         t->amount[FOW_VR_AVAILABLE] + t->amount[FOW_VR_COMMITTED] + t->amount[FOW_VR_REDEEMED]);
        /* the rows of a dimension that holds every figure add up to the total */
        if (by == FOW_VREPORT_FUND || by == FOW_VREPORT_LINE || by == FOW_VREPORT_MONTH)
            for (int c = 0; c < FOW_VR_COLUMNS; c++) {
                int64_t sum = 0;
                for (size_t i = 0; i < r.n_rows; i++)
                    if (strcmp(r.rows[i].currency, "RON") == 0 &&
                        (by != FOW_VREPORT_MONTH || (c != FOW_VR_COMMITTED && c != FOW_VR_AVAILABLE)))
                        sum += r.rows[i].amount[c];
                if (by != FOW_VREPORT_MONTH || (c != FOW_VR_COMMITTED && c != FOW_VR_AVAILABLE))
                    assert_int_equal(sum, t->amount[c]);
            }
        fow_voucher_report_free(&r);
    }
}

static void test_cached_balance_changed(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_ledger_account acc;
    bool found;
    assert_fow_ok(fow_ledger_account_find(f->d.db, FOW_ACCOUNT_VOUCHER, f->v2.id, &acc, &found, &err), &err);
    assert_true(found);
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE voucher_balances SET balance_minor = balance_minor + 700 WHERE account_id = %lld",
             (long long)acc.id);
    assert_fow_ok(fow_db_exec(f->d.db, sql, &err), &err);
    fow_voucher_report r;
    compute(f, FOW_VREPORT_FUND, &r);
    assert_int_equal(r.source.mismatched, 1);
    assert_int_equal(total_of(&r, "RON")->amount[FOW_VR_COMMITTED], 30000); /* from the transfers, not 30700 */
    fow_voucher_report_free(&r);
    fow_voucher_outstanding o;
    assert_fow_ok(fow_voucher_outstanding_compute(f->d.db, NOW, &o, &err), &err);
    assert_int_equal(o.items[0].balance_minor, 30000);
    fow_voucher_outstanding_free(&o);
}

static void test_costs(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_voucher_costs c;
    assert_fow_ok(fow_voucher_costs_compute(f->d.db, &f->catalogue, MUCH_LATER, &c, &err), &err);
    assert_int_equal(c.n_totals, 1);
    assert_int_equal(c.totals[0].completions, 1);
    assert_int_equal(c.totals[0].completion_minor, f->module_cost);
    assert_int_equal(c.totals[0].cost_per_completion_minor, f->module_cost);
    assert_int_equal(c.totals[0].credentials, 0); /* completed here without a credential */
    assert_int_equal(c.totals[0].waiting, 1);
    assert_int_equal(c.totals[0].waiting_minor, 20000);
    assert_int_equal(c.n_rows, 2);
    assert_string_equal(c.rows[0].module, "CP-BIZ");
    assert_int_equal(c.rows[0].completions, 0);
    assert_string_equal(c.rows[1].module, "W40-DATA");
    assert_int_equal(c.rows[1].completions, 1);
    char *csv = fow_voucher_costs_csv(&c);
    assert_non_null(csv);
    assert_non_null(strstr(csv, "module,title,currency,completions,"));
    assert_non_null(strstr(csv, "\r\nW40-DATA,"));
    free(csv);
    fow_voucher_costs_free(&c);
}

static void test_outstanding(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_voucher_outstanding o;
    assert_fow_ok(fow_voucher_outstanding_compute(f->d.db, NOW, &o, &err), &err);
    assert_string_equal(o.today, "2026-11-30");
    assert_int_equal(o.n_items, 1); /* v2: v1 expired, v3 cancelled */
    assert_int_equal(o.items[0].id, f->v2.id);
    assert_int_equal(o.items[0].balance_minor, 30000);
    assert_false(o.items[0].past_last_day);
    assert_int_equal(o.n_months, 1);
    assert_string_equal(o.months[0].month, "2027-12");
    assert_int_equal(o.months[0].vouchers, 1);
    assert_int_equal(o.months[0].amount_minor, 30000);
    fow_voucher_outstanding_free(&o);
    /* in 2028 its last day is past: it waits for the expiry run */
    assert_fow_ok(fow_voucher_outstanding_compute(f->d.db, MUCH_LATER, &o, &err), &err);
    assert_true(o.items[0].past_last_day);
    assert_int_equal(o.totals[0].past_last_day, 1);
    char *csv = fow_voucher_outstanding_csv(&o);
    assert_non_null(csv);
    assert_string_equal(csv, "month,currency,vouchers,amount_minor,amount,past_last_day\r\n"
                             "2027-12,RON,1,30000,300.00,1\r\ntotal,RON,1,30000,300.00,1\r\n");
    free(csv);
    fow_voucher_outstanding_free(&o);
}

static void test_csv_and_names(void **state) {
    fixture *f = *state;
    fow_voucher_report r;
    compute(f, FOW_VREPORT_LINE, &r);
    char *csv = fow_voucher_report_csv(&r);
    assert_non_null(csv);
    static const char head[] = "by,key,label,currency,vouchers,redemptions,allocated_minor,allocated,";
    assert_true(strncmp(csv, head, sizeof head - 1) == 0);
    char want[128];
    snprintf(want, sizeof want, "\r\nline,%lld,CEV · lab_time 2027,RON,1,0,500000,5000.00,100000,1000.00,",
             (long long)f->line_b);
    assert_non_null(strstr(csv, want));
    assert_non_null(strstr(csv, "\r\nline,total,total,RON,3,2,10500000,105000.00,"));
    free(csv);
    fow_voucher_report_free(&r);
    fow_voucher_report_by by;
    assert_int_equal(fow_voucher_report_by_parse("provider", &by), 0);
    assert_int_equal(by, FOW_VREPORT_PROVIDER);
    assert_int_equal(fow_voucher_report_by_parse("week", &by), -1);
    fow_error err;
    assert_int_equal(fow_voucher_report_compute(f->d.db, FOW_VREPORT_BY_COUNT, NOW, &r, &err), FOW_EINPUT);
    assert_string_equal(err.field, "by");
}

static void test_people_figures(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_voucher_person_figures *p;
    size_t n;
    assert_fow_ok(fow_voucher_people_figures(f->d.db, &p, &n, &err), &err);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(p[i].person, f->p1) == 0) {
            assert_true(p[i].redeemed && p[i].completed_after);
            assert_int_equal(p[i].completion_minor, f->module_cost);
        } else if (strcmp(p[i].person, f->p2) == 0) {
            assert_true(p[i].redeemed && !p[i].completed_after);
        } else {
            assert_string_equal(p[i].person, f->p3);
            assert_false(p[i].redeemed);
        }
        assert_int_equal(p[i].vouchers, 1);
    }
    free(p);
}

static void indicators(fixture *f, fow_indicators *ind) {
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_indicators_compute(f->d.db, f->people, &ADMIN, &f->catalogue, FOW_INDICATORS_BY_SEX, LATER, ind,
                                         &err),
                  &err);
}

/* The voucher figures joined to the programme indicators: only people with statistics consent, cells of 1 to
 * 9 people suppressed (and what comes from them), shown from 10. */
static void test_indicators_join(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_indicators ind;
    indicators(f, &ind);
    assert_int_equal(ind.vouchers.value[FOW_IND_V_BENEFICIARIES], 0); /* nobody gave statistics consent yet */
    assert_false(ind.vouchers.suppressed[FOW_IND_V_BENEFICIARIES]);
    fow_indicators_free(&ind);
    const char *three[] = {f->p1, f->p2, f->p3};
    for (int i = 0; i < 3; i++)
        assert_fow_ok(fow_people_consent_give(f->people, &ADMIN.staff, three[i], FOW_PURPOSE_STATISTICS, "v1", NOW, &err),
                      &err);
    indicators(f, &ind);
    /* 3 beneficiaries, 2 redeemed, 1 completed: all under 10, suppressed, and so are what comes from them */
    assert_int_equal(ind.vouchers.value[FOW_IND_V_BENEFICIARIES], 3);
    for (int c = 0; c < FOW_IND_V_CELLS; c++) assert_true(ind.vouchers.suppressed[c]);
    assert_true(ind.vouchers.cost_suppressed);
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_indicators_write(&w, &ind);
    size_t len;
    const char *json = fow_jw_text(&w, &len);
    assert_non_null(strstr(json, "\"beneficiaries\":{\"value\":null,\"suppressed\":true"));
    assert_non_null(strstr(json, "\"cost_per_completion\":{\"value_minor\":null,\"currency\":\"RON\",\"suppressed\":true}"));
    fow_jw_free(&w);
    fow_indicators_free(&ind);

    /* ten more, each with a voucher redeemed for W40-DATA and completed: 13 beneficiaries, 12 redeemed, 11
     * completed, all shown, with the cost per completion */
    int64_t cohort = add_cohort(f, "W40-DATA");
    for (int i = 0; i < 10; i++) {
        char id[FOW_PERSON_ID_CHARS + 1], key[16];
        add_person(f, id);
        assert_fow_ok(fow_people_consent_give(f->people, &ADMIN.staff, id, FOW_PURPOSE_STATISTICS, "v1", NOW, &err),
                      &err);
        fow_voucher v;
        snprintf(key, sizeof key, "more-%d", i);
        issue(f, f->line_a, id, 100000, "2027-12-31", key, &v);
        fow_redemption r;
        redeem(f, &v, cohort, 0, key, &r);
        assert_fow_ok(fow_cohort_attend(f->d.db, f->people, &ADMIN, cohort, id, 1, true, LATER, &err), &err);
        assert_fow_ok(fow_cohort_attend(f->d.db, f->people, &ADMIN, cohort, id, 2, true, LATER, &err), &err);
        assert_fow_ok(fow_cohort_complete(f->d.db, f->people, &ADMIN, NULL, &f->catalogue, cohort, id, true, false, 0,
                                          "2027-01-08", LATER, NULL, NULL, &err),
                      &err);
    }
    size_t payable = 0;
    assert_fow_ok(fow_voucher_claims_settle(f->d.db, &ADMIN, "office", LATER, &payable, NULL, &err), &err);
    assert_int_equal(payable, 10);
    indicators(f, &ind);
    assert_int_equal(ind.vouchers.value[FOW_IND_V_BENEFICIARIES], 13);
    assert_int_equal(ind.vouchers.value[FOW_IND_V_VOUCHERS], 13);
    assert_int_equal(ind.vouchers.value[FOW_IND_V_REDEEMED], 12);
    assert_int_equal(ind.vouchers.value[FOW_IND_V_COMPLETED_AFTER], 11);
    for (int c = 0; c < FOW_IND_V_CELLS; c++) assert_false(ind.vouchers.suppressed[c]);
    assert_true(ind.vouchers.has_cost && !ind.vouchers.cost_suppressed);
    assert_int_equal(ind.vouchers.cost_per_completion_minor, f->module_cost);
    assert_string_equal(ind.vouchers.currency, "RON");
    fow_indicators_free(&ind);
    /* a withdrawal of statistics consent takes the person out at once: 12 beneficiaries */
    assert_fow_ok(fow_people_consent_withdraw(f->people, &ADMIN.staff, f->p3, FOW_PURPOSE_STATISTICS, LATER, &err),
                  &err);
    indicators(f, &ind);
    assert_int_equal(ind.vouchers.value[FOW_IND_V_BENEFICIARIES], 12);
    fow_indicators_free(&ind);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_by_fund_and_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_by_call_provider_month, setup, teardown),
        cmocka_unit_test_setup_teardown(test_totals_are_the_account_balances, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cached_balance_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_costs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outstanding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_and_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_people_figures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_indicators_join, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
