/* test_voucher_lab_payments.c — lab charges paid in payment batches
 * (src/vouchers, fow_payment_batch_build; docs/vouchers.md "Lab time"):
 * a lab charge (a CREIC lab booking paid by a lab_time voucher) is payable
 * to the lab's operator once its slot has ended, a batch build gathers it
 * once (a build retried with its key returns the same batch), the approval
 * pays it by one ledger transfer payable -> paid keyed
 * "lab-charge:ID:pay", a refunded charge is never paid, a batched or paid
 * one is never refunded, the ledger stays balanced and checks, the reports
 * show lab time charged, paid and outstanding; 8 threads building batches
 * at once and 4 approving them put each charge in exactly one batch and pay
 * it exactly once. The charges are made as src/labs makes them
 * (fow_voucher_lab_charge_in_transaction in the caller's transaction), with
 * made-up booking ids: the vouchers module does not read the bookings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/fow_accounts.h"
#include "base/fow_check.h"
#include "people/fow_people.h"
#include "test_support.h"
#include "training/fow_cohort.h"
#include "training/fow_training.h"
#include "vouchers/fow_ledger.h"
#include "vouchers/fow_voucher_reports.h"
#include "vouchers/fow_vouchers.h"

#define NOW 1796000000LL /* 2026-11-29 */
#define HOUR 3600LL

static const fow_cohort_actor ADMIN = {.staff = {.name = "office", .organisation = "", .all_organisations = true},
                                       .role = FOW_ROLE_ADMIN};

typedef struct fixture {
    ts_db d;
    char key_path[TS_PATH_MAX + 8];
    fow_people *people;
    fow_training_catalogue catalogue;
    int64_t fund, line, provider;
    char person[FOW_PERSON_ID_CHARS + 1];
    fow_voucher voucher;
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    ts_programme_open(&f->d, f->key_path, sizeof f->key_path, &f->people, &f->catalogue);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_voucher_fund_create(f->d.db, "CEV", "RON", NULL, "office", NOW, &f->fund, &err), &err);
    assert_fow_ok(fow_budget_line_add(f->d.db, f->fund, "lab_time", 2027, 10000000, NULL, "office", NOW, &f->line,
                                      &err),
                  &err);
    fow_person_input in = {.area = "Cluj-Napoca", .organisation = "AJOFM Cluj"};
    assert_fow_ok(fow_people_add(f->people, &ADMIN.staff, NULL, &in, NOW, f->person, &err), &err);
    assert_fow_ok(fow_people_consent_give(f->people, &ADMIN.staff, f->person, FOW_PURPOSE_VOUCHERS, "v1", NOW, &err),
                  &err);
    /* the lab's operator: a provider of the catalogue (any will do: the charge names it) */
    const fow_training_module *m = fow_training_module_by_code(&f->catalogue, "W40-DATA");
    assert_non_null(m);
    f->provider = m->provider_id;
    fow_voucher_issue_in v = {.line_id = f->line, .person = f->person, .value_minor = 1000000,
                              .valid_from = "2026-11-01", .valid_until = "2027-06-30",
                              .min_attendance_percent = -1, .key = "lab-voucher", .active = true};
    assert_fow_ok(fow_voucher_issue(f->d.db, f->people, &ADMIN.staff, NULL, &v, "office", NOW, &f->voucher, &err),
                  &err);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    ts_programme_close(&f->d, f->people, &f->catalogue);
    free(f);
    return 0;
}

/* Charges the fixture's voucher amount for booking, payable from
 * payable_from, as src/labs does at booking time; the charge's id. */
static int64_t charge(fixture *f, fow_db *db, int64_t booking, int64_t amount, int64_t payable_from) {
    fow_error err;
    fow_error_clear(&err);
    char key[64];
    snprintf(key, sizeof key, "booking:test-%lld", (long long)booking);
    fow_voucher_lab_charge_in in = {.code = f->voucher.code, .person = f->person, .booking_id = booking,
                                    .provider_id = f->provider, .amount_minor = amount, .currency = "RON",
                                    .key = key, .payable_from = payable_from};
    int64_t id = 0;
    assert_fow_ok(fow_db_begin(db, &err), &err);
    assert_fow_ok(fow_voucher_lab_charge_in_transaction(db, &in, "lab-staff", NOW - 48 * HOUR, &id, NULL, &err),
                  &err);
    assert_fow_ok(fow_db_commit(db, &err), &err);
    return id;
}

/* Refunds booking's charge keeping keep, as a cancellation does; its code
 * (the transaction is committed on success, rolled back otherwise). */
static fow_code refund(fow_db *db, int64_t booking, int64_t keep, fow_error *err) {
    fow_code rc = fow_db_begin(db, err);
    if (!rc) rc = fow_voucher_lab_refund_in_transaction(db, booking, keep, "cancelled", "lab-staff", NOW, err);
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) fow_db_rollback(db);
    return rc;
}

static fow_voucher_lab_charge charge_get(fow_db *db, int64_t id) {
    fow_voucher_lab_charge *list = NULL, found = {0};
    size_t n = 0;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_voucher_lab_charges_list(db, 0, 0, NULL, NOW, &list, &n, &err), &err);
    for (size_t i = 0; i < n; i++)
        if (list[i].id == id) found = list[i];
    free(list);
    assert_int_equal(found.id, id);
    return found;
}

static int64_t balance(fow_db *db, fow_ledger_account_kind kind, int64_t owner) {
    fow_ledger_account a;
    bool found = false;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_ledger_account_find(db, kind, owner, &a, &found, &err), &err);
    return found ? a.balance_minor : 0;
}

/* fow check's vouchers checks: no problem in any; and the ledger balanced
 * (double entry: every account's balance sums to zero). */
static void assert_ledger_ok(fow_db *db) {
    fow_check_report report;
    fow_check_report_init(&report);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_vouchers_check(db, &report, &err), &err);
    assert_true(report.n_results >= 5);
    for (size_t i = 0; i < report.n_results; i++)
        if (report.results[i].problems)
            fail_msg("%s: %s", report.results[i].name, report.results[i].n_examples ? report.results[i].examples[0] : "");
    fow_check_report_free(&report);
    assert_int_equal(ts_int(db, "SELECT coalesce(sum(balance_minor), 0) FROM voucher_balances"), 0);
}

static uint64_t rows_problems(fow_db *db) {
    fow_check_report report;
    fow_check_report_init(&report);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_vouchers_check(db, &report, &err), &err);
    uint64_t n = UINT64_MAX;
    for (size_t i = 0; i < report.n_results; i++)
        if (strcmp(report.results[i].name, "vouchers.rows") == 0) n = report.results[i].problems;
    fow_check_report_free(&report);
    assert_true(n != UINT64_MAX);
    return n;
}

static void test_lab_charges_paid_once(void **state) {
    fixture *f = *state;
    fow_db *db = f->d.db;
    fow_error err;
    fow_error_clear(&err);
    int64_t later = charge(f, db, 1, 3000, NOW + HOUR);   /* its slot ends in an hour */
    int64_t ended = charge(f, db, 2, 2000, NOW - HOUR);   /* its slot has ended */
    int64_t cancelled = charge(f, db, 3, 1500, NOW - 2 * HOUR);
    int64_t late = charge(f, db, 4, 4000, NOW - 3 * HOUR);
    /* a free cancellation refunds the whole charge; a late one keeps the fee (1000 of 4000) */
    assert_fow_ok(refund(db, 3, 0, &err), &err);
    assert_fow_ok(refund(db, 4, 1000, &err), &err);
    fow_voucher_lab_charge c = charge_get(db, later);
    assert_string_equal(fow_voucher_lab_charge_state(&c, NOW), "pending");
    c = charge_get(db, ended);
    assert_string_equal(fow_voucher_lab_charge_state(&c, NOW), "payable");
    c = charge_get(db, cancelled);
    assert_string_equal(fow_voucher_lab_charge_state(&c, NOW), "refunded");
    c = charge_get(db, late);
    assert_string_equal(fow_voucher_lab_charge_state(&c, NOW), "payable");
    assert_int_equal(c.amount_minor, 1000);
    assert_int_equal(balance(db, FOW_ACCOUNT_PAYABLE, f->provider), 3000 + 2000 + 1000);
    assert_ledger_ok(db);

    /* the build: the ended charge and the late fee, not the refunded one nor the one not yet ended */
    int64_t batch = 0, again = 0;
    bool replayed = true;
    assert_fow_ok(fow_payment_batch_build(db, "RON", "build-1", "office", NOW, &batch, &replayed, &err), &err);
    assert_false(replayed);
    fow_payment_batch b;
    assert_fow_ok(fow_payment_batch_get(db, batch, &b, &err), &err);
    assert_int_equal(b.lab_charges, 2);
    assert_int_equal(b.claims, 0);
    assert_int_equal(b.total_minor, 3000);
    assert_string_equal(b.key, "build-1");
    /* the same build again: the same batch, nothing more gathered */
    assert_fow_ok(fow_payment_batch_build(db, "RON", "build-1", "office", NOW + 2 * HOUR, &again, &replayed, &err),
                  &err);
    assert_true(replayed);
    assert_int_equal(again, batch);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM voucher_payment_batches"), 1);
    c = charge_get(db, later);
    assert_int_equal(c.batch_id, 0);
    /* its key in another currency: refused; a build without a key finds nothing payable now */
    assert_int_equal(fow_payment_batch_build(db, "EUR", "build-1", "office", NOW, &again, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "key");
    assert_int_equal(fow_payment_batch_create(db, "RON", "office", NOW, &again, &err), FOW_EINPUT);
    assert_string_equal(err.field, "claims");
    assert_non_null(strstr(err.message, "1 lab charge is pending: payable once the booked time is over"));

    /* a batched charge is not refunded, nor moved: a clear error, nothing changed */
    assert_int_equal(refund(db, 2, 0, &err), FOW_EINPUT);
    assert_string_equal(err.field, "lab_charge");
    assert_non_null(strstr(err.message, "payment batch"));
    assert_non_null(strstr(err.message, "is being paid"));
    assert_fow_ok(fow_db_begin(db, &err), &err);
    assert_int_equal(fow_voucher_lab_charge_reschedule_in_transaction(db, 2, NOW + 9 * HOUR, "lab", NOW, &err),
                     FOW_EINPUT);
    fow_db_rollback(db);
    assert_string_equal(err.field, "lab_charge");

    /* the approval pays each by one transfer payable -> paid; a second approval is refused */
    assert_fow_ok(fow_payment_batch_approve(db, batch, "office", NOW, &err), &err);
    assert_int_equal(fow_payment_batch_approve(db, batch, "office", NOW, &err), FOW_EINPUT);
    assert_string_equal(err.field, "batch");
    c = charge_get(db, ended);
    assert_string_equal(fow_voucher_lab_charge_state(&c, NOW), "paid");
    assert_int_equal(c.paid_at, NOW);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM voucher_transfers WHERE idempotency_key = 'lab-charge:%lld:pay'",
                            (long long)ended),
                     1);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM voucher_transfers WHERE idempotency_key LIKE 'lab-charge:%%'"),
                     2);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM voucher_transfers WHERE idempotency_key = 'lab-charge:%lld:pay'",
                            (long long)cancelled),
                     0);
    assert_int_equal(balance(db, FOW_ACCOUNT_PAID, f->provider), 3000);
    assert_int_equal(balance(db, FOW_ACCOUNT_PAYABLE, f->provider), 3000);
    /* a paid charge cannot be refunded either */
    assert_int_equal(refund(db, 2, 0, &err), FOW_EINPUT);
    assert_string_equal(err.field, "lab_charge");
    assert_non_null(strstr(err.message, "has been paid"));
    assert_ledger_ok(db);

    /* the csv: one row for the operator, two lab charges, 30.00 */
    char *csv = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&csv, &len);
    assert_fow_ok(fow_payment_batch_export(db, batch, out, &err), &err);
    fclose(out);
    assert_non_null(strstr(csv, "approved_at,lab_charges,lab_minor\r\n"));
    char expect[128];
    snprintf(expect, sizeof expect, ",0,3000,30.00,RON,paid,%lld,2,3000\r\n", (long long)NOW);
    assert_non_null(strstr(csv, expect));
    free(csv);

    /* the SEPA file pays the operator the batch's lab charges, named in the remittance text */
    assert_fow_ok(fow_training_provider_set_bank(db, f->provider, "RO49 AAAA 1B31 0075 9384 0000", NULL, &err), &err);
    char *xml = NULL;
    out = open_memstream(&xml, &len);
    fow_sepa_debtor debtor = {.name = "Municipiul Cluj-Napoca", .iban = "RO66BACX0000001234567890"};
    assert_fow_ok(fow_payment_batch_export_sepa(db, batch, &debtor, NOW, out, &err), &err);
    fclose(out);
    assert_non_null(strstr(xml, "<NbOfTxs>1</NbOfTxs>"));
    assert_non_null(strstr(xml, "<CtrlSum>30.00</CtrlSum>"));
    snprintf(expect, sizeof expect, "fow payment batch %lld, lab charges %lld %lld</Ustrd>", (long long)batch,
             (long long)ended, (long long)late);
    assert_non_null(strstr(xml, expect));
    free(xml);

    /* once its slot has ended, the other charge goes into the next batch */
    assert_fow_ok(fow_payment_batch_build(db, "RON", NULL, "office", NOW + 2 * HOUR, &again, NULL, &err), &err);
    assert_int_not_equal(again, batch);
    assert_fow_ok(fow_payment_batch_approve(db, again, "office", NOW + 2 * HOUR, &err), &err);
    assert_int_equal(balance(db, FOW_ACCOUNT_PAID, f->provider), 6000);
    assert_int_equal(balance(db, FOW_ACCOUNT_PAYABLE, f->provider), 0);
    assert_ledger_ok(db);

    /* the lists by state */
    fow_voucher_lab_charge *list = NULL;
    size_t n = 0;
    assert_fow_ok(fow_voucher_lab_charges_list(db, 0, 0, "paid", NOW + 3 * HOUR, &list, &n, &err), &err);
    assert_int_equal(n, 3);
    free(list);
    assert_fow_ok(fow_voucher_lab_charges_list(db, f->provider, batch, NULL, NOW, &list, &n, &err), &err);
    assert_int_equal(n, 2);
    free(list);
    assert_int_equal(fow_voucher_lab_charges_list(db, 0, 0, "owed", NOW, &list, &n, &err), FOW_EINPUT);
    assert_string_equal(err.field, "state");

    /* the reports: by provider (the operator) and by call (issued without one), lab time charged 6000
     * (3000 + 2000 + the 1000 fee; the refunded 1500 not), all of it paid, part of redeemed and paid */
    fow_voucher_report_by dims[] = {FOW_VREPORT_PROVIDER, FOW_VREPORT_CALL, FOW_VREPORT_LINE};
    for (size_t d = 0; d < sizeof dims / sizeof dims[0]; d++) {
        fow_voucher_report r;
        assert_fow_ok(fow_voucher_report_compute(db, dims[d], NOW + 3 * HOUR, &r, &err), &err);
        assert_int_equal(r.n_rows, 1);
        const fow_voucher_report_row *row = &r.rows[0];
        assert_int_equal(row->amount[FOW_VR_LAB_CHARGED], 6000);
        assert_int_equal(row->amount[FOW_VR_LAB_PAID], 6000);
        assert_int_equal(row->amount[FOW_VR_LAB_OUTSTANDING], 0);
        assert_int_equal(row->amount[FOW_VR_REDEEMED], 6000);
        assert_int_equal(row->amount[FOW_VR_PAID], 6000);
        if (dims[d] == FOW_VREPORT_CALL) assert_string_equal(row->key, "none");
        fow_voucher_report_free(&r);
    }
    /* the identity allocated = available + committed + redeemed holds with lab time in it */
    fow_voucher_report r;
    assert_fow_ok(fow_voucher_report_compute(db, FOW_VREPORT_LINE, NOW + 3 * HOUR, &r, &err), &err);
    assert_int_equal(r.rows[0].amount[FOW_VR_ALLOCATED], r.rows[0].amount[FOW_VR_AVAILABLE] +
                                                             r.rows[0].amount[FOW_VR_COMMITTED] +
                                                             r.rows[0].amount[FOW_VR_REDEEMED]);
    fow_voucher_report_free(&r);
    char *report_csv = NULL;
    assert_fow_ok(fow_voucher_report_compute(db, FOW_VREPORT_PROVIDER, NOW + 3 * HOUR, &r, &err), &err);
    report_csv = fow_voucher_report_csv(&r);
    assert_non_null(report_csv);
    assert_non_null(strstr(report_csv, "lab_charged_minor,lab_charged,lab_paid_minor,lab_paid,lab_outstanding_minor"));
    free(report_csv);
    fow_voucher_report_free(&r);
}

/* Outstanding: a charge payable but not batched, and one batched not paid,
 * show as outstanding in the reports; fow check finds a paid_at set by
 * hand without its transfer. */
static void test_outstanding_and_tampering(void **state) {
    fixture *f = *state;
    fow_db *db = f->d.db;
    fow_error err;
    fow_error_clear(&err);
    charge(f, db, 11, 2500, NOW - HOUR);
    int64_t batch = 0;
    assert_fow_ok(fow_payment_batch_build(db, "RON", NULL, "office", NOW, &batch, NULL, &err), &err);
    int64_t waiting = charge(f, db, 12, 700, NOW - HOUR);
    fow_voucher_report r;
    assert_fow_ok(fow_voucher_report_compute(db, FOW_VREPORT_PROVIDER, NOW, &r, &err), &err);
    assert_int_equal(r.n_rows, 1);
    assert_int_equal(r.rows[0].amount[FOW_VR_LAB_CHARGED], 3200);
    assert_int_equal(r.rows[0].amount[FOW_VR_LAB_PAID], 0);
    assert_int_equal(r.rows[0].amount[FOW_VR_LAB_OUTSTANDING], 3200);
    fow_voucher_report_free(&r);
    assert_int_equal(rows_problems(db), 0);
    /* a charge marked paid without its pay transfer */
    assert_int_equal(ts_exec(db, "UPDATE voucher_lab_charges SET paid_at = 1, batch_id = %lld WHERE id = %lld",
                             (long long)batch, (long long)waiting),
                     FOW_OK);
    assert_true(rows_problems(db) > 0);
}

/* ---- two builds racing --------------------------------------------------------- */

#define BUILDERS 8
#define APPROVERS 4
#define CHARGES 40

typedef struct builder {
    const char *db_path;
    int index;
    bool approve;
    int64_t batch; /* approve: the batch; build: what it built (0: none) */
    pthread_barrier_t *start;
    fow_code rc;
    char field[128], message[512];
} builder;

static void *build_racer(void *arg) {
    builder *b = arg;
    fow_error err;
    fow_error_clear(&err);
    fow_db *db = NULL;
    b->rc = fow_db_open(&db, b->db_path, false, &err);
    pthread_barrier_wait(b->start);
    char actor[32];
    snprintf(actor, sizeof actor, "office-%d", b->index);
    /* a database busy past its timeout is retried, as a client would */
    for (int attempt = 0; !b->rc && attempt < 20; attempt++) {
        if (b->approve) b->rc = fow_payment_batch_approve(db, b->batch, actor, NOW, &err);
        else b->rc = fow_payment_batch_build(db, "RON", NULL, actor, NOW, &b->batch, NULL, &err);
        if (b->rc != FOW_EDB) break;
    }
    snprintf(b->field, sizeof b->field, "%s", err.field);
    snprintf(b->message, sizeof b->message, "%s", err.message);
    fow_db_close(db);
    return NULL;
}

static void race(builder *b, int n) {
    pthread_t threads[BUILDERS];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)n);
    for (int i = 0; i < n; i++) {
        b[i].start = &start;
        assert_int_equal(pthread_create(&threads[i], NULL, build_racer, &b[i]), 0);
    }
    for (int i = 0; i < n; i++) pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&start);
}

static void test_builds_race(void **state) {
    fixture *f = *state;
    fow_db *db = f->d.db;
    int64_t total = 0;
    for (int i = 0; i < CHARGES; i++) {
        charge(f, db, 100 + i, 100 + i, NOW - HOUR);
        total += 100 + i;
    }
    builder b[BUILDERS] = {0};
    for (int i = 0; i < BUILDERS; i++) b[i] = (builder){.db_path = f->d.path, .index = i};
    race(b, BUILDERS);
    int built = 0;
    int64_t batch = 0;
    for (int i = 0; i < BUILDERS; i++) {
        if (b[i].rc == FOW_OK) {
            built++;
            batch = b[i].batch;
        } else if (!(b[i].rc == FOW_EINPUT && strcmp(b[i].field, "claims") == 0)) {
            fail_msg("builder %d: %s (%s)", i, b[i].message, b[i].field);
        }
    }
    /* every charge in exactly one batch: the first build took them all, the others found nothing */
    assert_int_equal(built, 1);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM voucher_lab_charges WHERE batch_id = %lld", (long long)batch),
                     CHARGES);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM voucher_payment_batches"), 1);
    assert_int_equal(ts_int(db, "SELECT sum(lab_charges) FROM voucher_payment_batches"), CHARGES);
    assert_int_equal(ts_int(db, "SELECT sum(total_minor) FROM voucher_payment_batches"), total);
    /* four approvals of it at once: one pays, each charge once */
    builder a[APPROVERS] = {0};
    for (int i = 0; i < APPROVERS; i++) a[i] = (builder){.db_path = f->d.path, .index = i, .approve = true, .batch = batch};
    race(a, APPROVERS);
    int approved = 0;
    for (int i = 0; i < APPROVERS; i++) {
        if (a[i].rc == FOW_OK) approved++;
        else if (!(a[i].rc == FOW_EINPUT && strcmp(a[i].field, "batch") == 0))
            fail_msg("approver %d: %s (%s)", i, a[i].message, a[i].field);
    }
    assert_int_equal(approved, 1);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM voucher_transfers WHERE kind = 'pay'"), CHARGES);
    assert_int_equal(ts_int(db, "SELECT count(DISTINCT idempotency_key) FROM voucher_transfers WHERE kind = 'pay'"),
                     CHARGES);
    assert_int_equal(balance(db, FOW_ACCOUNT_PAID, f->provider), total);
    assert_int_equal(balance(db, FOW_ACCOUNT_PAYABLE, f->provider), 0);
    assert_ledger_ok(db);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lab_charges_paid_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outstanding_and_tampering, setup, teardown),
        cmocka_unit_test_setup_teardown(test_builds_race, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
