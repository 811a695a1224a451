/* test_vouchers.c — Cluj Experimentation Vouchers (src/vouchers): funds and
 * budget lines, the ledger's transfers (idempotency, the hash chain, the
 * cached balances, accounts that must not go negative, append-only);
 * voucher codes and their check character; issue (consent, idempotency,
 * never beyond the line), activation, redemption at enrolment (both or
 * neither), claims settled on completion by attendance, payment batches,
 * expiry, cancellation and refunds; 200 redemptions of one voucher worth 3
 * from 4 processes x 50 threads (exactly 3); 40 issues against a line worth
 * 4 (exactly 4); SIGKILL during batches of transfers (the ledger checks,
 * whole batches only). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "accounts/fow_accounts.h"
#include "base/fow_check.h"
#include "people/fow_people.h"
#include "taxonomy/fow_import.h"
#include "store/fow_schema.h"
#include "test_support.h"
#include "training/fow_cohort.h"
#include "training/fow_training.h"
#include "vouchers/fow_ledger.h"
#include "vouchers/fow_vouchers.h"

#define NOW 1796000000LL /* 2026-11-29 */

static void test_funds_and_lines(void **state) {
    ts_db *d = *state;
    fow_error err;
    fow_error_clear(&err);
    int64_t fund, line;
    assert_fow_ok(fow_voucher_fund_create(d->db, "CEV 2027", "RON", "Cluj Experimentation Vouchers", "office", NOW,
                                          &fund, &err),
                  &err);
    assert_fow_ok(fow_budget_line_add(d->db, fund, "learning_module", 2027, 5000000, "Modules 2027", "office", NOW,
                                      &line, &err),
                  &err);
    fow_budget_line l;
    assert_fow_ok(fow_budget_line_get(d->db, line, &l, &err), &err);
    assert_string_equal(l.purpose, "learning_module");
    assert_int_equal(l.year, 2027);
    assert_string_equal(l.currency, "RON");
    assert_string_equal(l.fund_name, "CEV 2027");
    assert_int_equal(l.allocated_minor, 5000000);
    assert_int_equal(l.available_minor, 5000000);
    assert_int_equal(l.committed_minor, 0);

    /* a top-up, retried with the same key: counted once */
    assert_fow_ok(fow_budget_line_top_up(d->db, line, 250, "topup-1", "office", NOW, &err), &err);
    assert_fow_ok(fow_budget_line_top_up(d->db, line, 250, "topup-1", "office", NOW, &err), &err);
    assert_int_equal(fow_budget_line_top_up(d->db, line, 300, "topup-1", "office", NOW, &err), FOW_EINPUT);
    assert_string_equal(err.field, "key");
    assert_fow_ok(fow_budget_line_get(d->db, line, &l, &err), &err);
    assert_int_equal(l.available_minor, 5000250);

    fow_voucher_fund f;
    assert_fow_ok(fow_voucher_fund_get(d->db, fund, &f, &err), &err);
    assert_int_equal(f.allocated_minor, 5000250);

    /* a zero line has no transfer; a second line of the same purpose and year is refused */
    int64_t lab;
    assert_fow_ok(fow_budget_line_add(d->db, fund, "lab_time", 2027, 0, NULL, "office", NOW, &lab, &err), &err);
    assert_int_equal(fow_budget_line_add(d->db, fund, "lab_time", 2027, 10, NULL, "office", NOW, &lab, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "purpose");
    fow_budget_line *lines;
    size_t n;
    assert_fow_ok(fow_budget_lines_list(d->db, fund, &lines, &n, &err), &err);
    assert_int_equal(n, 2);
    free(lines);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM voucher_transfers"), 2);
}

static void test_fund_bad_input(void **state) {
    ts_db *d = *state;
    fow_error err;
    int64_t fund, line;
    assert_int_equal(fow_voucher_fund_create(d->db, "", "RON", NULL, "office", NOW, &fund, &err), FOW_EINPUT);
    assert_string_equal(err.field, "name");
    assert_int_equal(fow_voucher_fund_create(d->db, "F", "ron", NULL, "office", NOW, &fund, &err), FOW_EINPUT);
    assert_string_equal(err.field, "currency");
    assert_fow_ok(fow_voucher_fund_create(d->db, "F", "RON", NULL, "office", NOW, &fund, &err), &err);
    assert_int_equal(fow_voucher_fund_create(d->db, "F", "EUR", NULL, "office", NOW, &fund, &err), FOW_EINPUT);
    assert_string_equal(err.field, "name");
    assert_int_equal(fow_budget_line_add(d->db, fund, "haircuts", 2027, 1, NULL, "office", NOW, &line, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "purpose");
    assert_int_equal(fow_budget_line_add(d->db, fund, "lab_time", 1999, 1, NULL, "office", NOW, &line, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "year");
    assert_int_equal(fow_budget_line_add(d->db, fund, "lab_time", 2027, -1, NULL, "office", NOW, &line, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "amount");
    assert_int_equal(fow_budget_line_add(d->db, 99, "lab_time", 2027, 1, NULL, "office", NOW, &line, &err),
                     FOW_ENOTFOUND);
    assert_string_equal(err.field, "fund");
    fow_budget_line l;
    assert_int_equal(fow_budget_line_get(d->db, 42, &l, &err), FOW_ENOTFOUND);
    assert_string_equal(err.field, "line");
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM voucher_budget_lines"), 0);
}

static void test_transfers(void **state) {
    ts_db *d = *state;
    fow_error err;
    fow_error_clear(&err);
    int64_t fund, line, a_fund, a_line, a_voucher;
    assert_fow_ok(fow_voucher_fund_create(d->db, "F", "RON", NULL, "office", NOW, &fund, &err), &err);
    assert_fow_ok(fow_budget_line_add(d->db, fund, "lab_time", 2027, 1000, NULL, "office", NOW, &line, &err), &err);
    assert_fow_ok(fow_db_begin(d->db, &err), &err);
    assert_fow_ok(fow_ledger_account_ensure(d->db, FOW_ACCOUNT_FUND, fund, "RON", &a_fund, &err), &err);
    assert_fow_ok(fow_ledger_account_ensure(d->db, FOW_ACCOUNT_AVAILABLE, line, "RON", &a_line, &err), &err);
    assert_fow_ok(fow_ledger_account_ensure(d->db, FOW_ACCOUNT_VOUCHER, 7, "RON", &a_voucher, &err), &err);
    assert_int_equal(fow_ledger_account_ensure(d->db, FOW_ACCOUNT_VOUCHER, 7, "EUR", &a_voucher, &err), FOW_EINPUT);
    assert_fow_ok(fow_db_commit(d->db, &err), &err);

    fow_ledger_transfer_in in = {.key = "k1", .kind = "issue", .from_account = a_line, .to_account = a_voucher,
                                 .amount_minor = 600, .actor = "office", .reason = "test", .at = NOW};
    int64_t id1, id2;
    bool replayed;
    assert_fow_ok(fow_ledger_transfer_commit(d->db, &in, &id1, &replayed, &err), &err);
    assert_false(replayed);
    assert_fow_ok(fow_ledger_transfer_commit(d->db, &in, &id2, &replayed, &err), &err);
    assert_true(replayed);
    assert_int_equal(id1, id2);
    /* the line holds 400 now: 600 more would make it negative */
    in.key = "k2";
    assert_int_equal(fow_ledger_transfer_commit(d->db, &in, NULL, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "amount");
    /* the fund may go negative */
    in = (fow_ledger_transfer_in){.key = "k3", .kind = "allocate", .from_account = a_fund, .to_account = a_line,
                                  .amount_minor = 5, .actor = "office", .at = NOW};
    assert_fow_ok(fow_ledger_transfer_commit(d->db, &in, NULL, NULL, &err), &err);
    fow_ledger_account acc;
    assert_fow_ok(fow_ledger_account_get(d->db, a_fund, &acc, &err), &err);
    assert_int_equal(acc.balance_minor, -1005);
    assert_true(acc.may_go_negative);
    assert_fow_ok(fow_ledger_account_get(d->db, a_line, &acc, &err), &err);
    assert_int_equal(acc.balance_minor, 405);
    /* bad input, each by field */
    in.key = "";
    assert_int_equal(fow_ledger_transfer_commit(d->db, &in, NULL, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "key");
    in.key = "k4";
    in.amount_minor = 0;
    assert_int_equal(fow_ledger_transfer_commit(d->db, &in, NULL, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "amount");
    in.amount_minor = 1;
    in.kind = "Bad Kind";
    assert_int_equal(fow_ledger_transfer_commit(d->db, &in, NULL, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "kind");
    in.kind = "issue";
    in.to_account = 999;
    assert_int_equal(fow_ledger_transfer_commit(d->db, &in, NULL, NULL, &err), FOW_ENOTFOUND);
    assert_string_equal(err.field, "account");
    in.to_account = a_fund;
    assert_int_equal(fow_ledger_transfer_commit(d->db, &in, NULL, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "account");

    /* the chain: each transfer's prev_hash is the hash before it, its hash recomputes */
    fow_ledger_transfer t1, t2;
    assert_fow_ok(fow_ledger_transfer_get(d->db, 1, &t1, &err), &err);
    assert_fow_ok(fow_ledger_transfer_get(d->db, 2, &t2, &err), &err);
    assert_string_equal(t1.prev_hash, "0000000000000000000000000000000000000000000000000000000000000000");
    assert_string_equal(t2.prev_hash, t1.hash);
    char hex[FOW_LEDGER_HASH_HEX];
    fow_ledger_hash(&t2, hex);
    assert_string_equal(hex, t2.hash);
    t2.amount_minor++;
    fow_ledger_hash(&t2, hex);
    assert_string_not_equal(hex, t2.hash);

    /* append-only: the database refuses to change or remove a transfer */
    assert_int_not_equal(fow_db_exec(d->db, "UPDATE voucher_transfers SET amount_minor = 1 WHERE id = 1", &err),
                         FOW_OK);
    assert_int_not_equal(fow_db_exec(d->db, "DELETE FROM voucher_transfers WHERE id = 1", &err), FOW_OK);
    /* and a cached balance of an account that must not go negative cannot be made negative */
    assert_int_not_equal(
        fow_db_exec(d->db, "UPDATE voucher_balances SET balance_minor = -1 WHERE may_go_negative = 0", &err), FOW_OK);
}


/* ---- vouchers on the demo catalogue ---------------------------------------- */

static const fow_cohort_actor ADMIN = {.staff = {.name = "office", .organisation = "", .all_organisations = true},
                                       .role = FOW_ROLE_ADMIN};

typedef struct fixture {
    ts_db d;
    char key_path[TS_PATH_MAX + 8];
    fow_people *people;
    fow_training_catalogue catalogue;
    int64_t fund, line;
    char person[FOW_PERSON_ID_CHARS + 1];
} fixture;

/* A person with training and (when asked) vouchers consent. */
static void add_person(fixture *f, bool vouchers, char *id) {
    fow_error err;
    fow_error_clear(&err);
    fow_person_input in = {.area = "Cluj-Napoca", .organisation = "AJOFM Cluj"};
    assert_fow_ok(fow_people_add(f->people, &ADMIN.staff, NULL, &in, NOW, id, &err), &err);
    assert_fow_ok(fow_people_consent_give(f->people, &ADMIN.staff, id, FOW_PURPOSE_TRAINING, "v1", NOW, &err), &err);
    if (vouchers)
        assert_fow_ok(fow_people_consent_give(f->people, &ADMIN.staff, id, FOW_PURPOSE_VOUCHERS, "v1", NOW, &err), &err);
}

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    ts_programme_open(&f->d, f->key_path, sizeof f->key_path, &f->people, &f->catalogue);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_voucher_fund_create(f->d.db, "CEV", "RON", NULL, "office", NOW, &f->fund, &err), &err);
    assert_fow_ok(fow_budget_line_add(f->d.db, f->fund, "learning_module", 2027, 10000000, NULL, "office", NOW,
                                      &f->line, &err),
                  &err);
    add_person(f, true, f->person);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    ts_programme_close(&f->d, f->people, &f->catalogue);
    free(f);
    return 0;
}

/* A cohort of module with two sessions, open. */
static int64_t add_cohort(fixture *f, fow_db *db, const char *module, long capacity) {
    fow_cohort_session sessions[2];
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_cohort_session_parse("2027-03-01 09:00-13:00", &sessions[0], &err), &err);
    assert_fow_ok(fow_cohort_session_parse("2027-03-02 09:00-13:00", &sessions[1], &err), &err);
    fow_cohort_input in = {.module = module, .starts_on = "2027-03-01", .ends_on = "2027-03-31",
                           .capacity = capacity, .sessions = sessions, .n_sessions = 2};
    int64_t id = 0;
    assert_fow_ok(fow_cohort_add(db, &ADMIN, &f->catalogue, &in, NOW, &id, &err), &err);
    return id;
}

static void issue(fixture *f, int64_t value, bool active, const char *key, fow_voucher *v) {
    fow_error err;
    fow_error_clear(&err);
    fow_voucher_issue_in in = {.line_id = f->line, .person = f->person, .value_minor = value,
                               .valid_from = "2026-11-01", .valid_until = "2027-06-30",
                               .min_attendance_percent = -1, .key = key, .active = active};
    assert_fow_ok(fow_voucher_issue(f->d.db, f->people, &ADMIN.staff, &f->catalogue, &in, "office", NOW, v, &err),
                  &err);
}

static void assert_ledger_ok(fow_db *db) {
    fow_check_report report;
    fow_check_report_init(&report);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_vouchers_check(db, &report, &err), &err);
    for (size_t i = 0; i < report.n_results; i++)
        if (report.results[i].problems)
            fail_msg("%s: %s", report.results[i].name, report.results[i].n_examples ? report.results[i].examples[0] : "");
    assert_int_equal(report.n_results, 5);
    fow_check_report_free(&report);
}

static void test_codes(void **state) {
    (void)state;
    assert_int_equal(sodium_init() >= 0, 1);
    char code[FOW_VOUCHER_CODE_CHARS + 1], again[FOW_VOUCHER_CODE_CHARS + 1];
    /* a well-formed code, typed in lower case without hyphens, and with O for 0 */
    assert_int_equal(fow_voucher_code_normalise("CEV-0000-0000-0000-0000", code), 0);
    assert_string_equal(code, "CEV-0000-0000-0000-0000");
    assert_int_equal(fow_voucher_code_normalise("cev oooo oooo oooo oooo", again), 0);
    assert_string_equal(again, code);
    /* every single changed character is caught by the check character */
    assert_int_equal(fow_voucher_code_normalise("CEV-ABCD-EFGH-JKMN-PQR", code), -1); /* too short */
    int checked = 0;
    for (int k = 0; k < 32; k++) {
        char typed[32];
        snprintf(typed, sizeof typed, "CEV-7K3M-9QXR-T2WZ-BH4%c", "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[k]);
        checked += fow_voucher_code_normalise(typed, code) == 0;
    }
    assert_int_equal(checked, 1); /* exactly one check character fits */
}

static void test_issue(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_voucher v, again;
    issue(f, 30000, false, "award-1", &v);
    assert_string_equal(v.status, "issued");
    assert_int_equal(v.balance_minor, 30000);
    assert_string_equal(v.purpose, "learning_module");
    assert_string_equal(v.currency, "RON");
    assert_int_equal(strlen(v.code), FOW_VOUCHER_CODE_CHARS);
    char code[FOW_VOUCHER_CODE_CHARS + 1];
    assert_int_equal(fow_voucher_code_normalise(v.code, code), 0);
    /* the same key again: the same voucher, no second transfer */
    issue(f, 30000, false, "award-1", &again);
    assert_int_equal(again.id, v.id);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM vouchers"), 1);
    fow_voucher_issue_in in = {.line_id = f->line, .person = f->person, .value_minor = 1, .valid_from = "2026-11-01",
                               .valid_until = "2027-06-30", .min_attendance_percent = -1, .key = "award-1"};
    assert_int_equal(fow_voucher_issue(f->d.db, f->people, &ADMIN.staff, &f->catalogue, &in, "office", NOW, &again, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "key");
    /* by code, typed loosely */
    char typed[FOW_VOUCHER_CODE_CHARS + 1];
    memcpy(typed, v.code + 4, sizeof typed - 4);
    for (char *p = typed; *p; p++) *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    assert_fow_ok(fow_voucher_by_code(f->d.db, typed, &again, &err), &err);
    assert_int_equal(again.id, v.id);
    /* the line: committed 300.00, available the rest */
    fow_budget_line l;
    assert_fow_ok(fow_budget_line_get(f->d.db, f->line, &l, &err), &err);
    assert_int_equal(l.committed_minor, 30000);
    assert_int_equal(l.available_minor, 10000000 - 30000);
    /* never beyond what is available */
    in.key = NULL;
    in.value_minor = l.available_minor + 1;
    assert_int_equal(fow_voucher_issue(f->d.db, f->people, &ADMIN.staff, &f->catalogue, &in, "office", NOW, &again, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "value");
    /* the vouchers consent */
    char other[FOW_PERSON_ID_CHARS + 1];
    add_person(f, false, other);
    in.value_minor = 100;
    in.person = other;
    assert_int_equal(fow_voucher_issue(f->d.db, f->people, &ADMIN.staff, &f->catalogue, &in, "office", NOW, &again, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "consent");
    /* bad input, by field */
    in.person = f->person;
    in.valid_until = "2026-10-01";
    assert_int_equal(fow_voucher_issue(f->d.db, f->people, &ADMIN.staff, &f->catalogue, &in, "office", NOW, &again, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "valid_until");
    in.valid_until = "2027-02-30";
    assert_int_equal(fow_voucher_issue(f->d.db, f->people, &ADMIN.staff, &f->catalogue, &in, "office", NOW, &again, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "valid_until");
    in.valid_until = "2027-06-30";
    const char *nope[] = {"NOPE"};
    in.modules = nope;
    in.n_modules = 1;
    assert_int_equal(fow_voucher_issue(f->d.db, f->people, &ADMIN.staff, &f->catalogue, &in, "office", NOW, &again, &err),
                     FOW_ENOTFOUND);
    assert_string_equal(err.field, "modules");
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM vouchers"), 1);
    /* activation */
    assert_fow_ok(fow_voucher_activate(f->d.db, v.id, "office", NOW, &err), &err);
    assert_fow_ok(fow_voucher_get(f->d.db, v.id, &again, &err), &err);
    assert_string_equal(again.status, "active");
    fow_voucher *list;
    size_t n;
    assert_fow_ok(fow_vouchers_list(f->d.db, f->person, 0, "active", &list, &n, &err), &err);
    assert_int_equal(n, 1);
    free(list);
    assert_ledger_ok(f->d.db);
}

static void test_redeem_claim_pay(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    const fow_training_module *data = fow_training_module_by_code(&f->catalogue, "W40-DATA");
    assert_non_null(data);
    assert_true(data->cost_minor > 0);
    fow_voucher v;
    issue(f, data->cost_minor + 10000, false, NULL, &v);
    int64_t cohort = add_cohort(f, f->d.db, "W40-DATA", 10);
    int64_t biz = add_cohort(f, f->d.db, "CP-BIZ", 10);
    fow_redemption r;
    bool replayed;
    fow_redeem_in in = {.code = v.code, .cohort_id = cohort, .key = "req-1"};
    /* not active yet: nothing happens, not even the enrolment */
    assert_int_equal(fow_voucher_redeem(f->d.db, f->people, &ADMIN, &f->catalogue, &in, NOW, &r, &replayed, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "voucher");
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM training_enrolments"), 0);
    assert_fow_ok(fow_voucher_activate(f->d.db, v.id, "office", NOW, &err), &err);
    /* the wrong provider */
    in.provider_id = data->provider_id + 1000;
    assert_int_equal(fow_voucher_redeem(f->d.db, f->people, &ADMIN, &f->catalogue, &in, NOW, &r, &replayed, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "provider");
    in.provider_id = data->provider_id;
    /* more than the module costs */
    in.amount_minor = data->cost_minor + 1;
    assert_int_equal(fow_voucher_redeem(f->d.db, f->people, &ADMIN, &f->catalogue, &in, NOW, &r, &replayed, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "amount");
    in.amount_minor = 0;
    assert_fow_ok(fow_voucher_redeem(f->d.db, f->people, &ADMIN, &f->catalogue, &in, NOW, &r, &replayed, &err), &err);
    assert_false(replayed);
    assert_int_equal(r.amount_minor, data->cost_minor);
    assert_string_equal(r.status, "redeemed");
    assert_true(r.enrolment_id > 0);
    /* the retry returns the same redemption */
    fow_redemption again;
    assert_fow_ok(fow_voucher_redeem(f->d.db, f->people, &ADMIN, &f->catalogue, &in, NOW, &again, &replayed, &err),
                  &err);
    assert_true(replayed);
    assert_int_equal(again.id, r.id);
    assert_fow_ok(fow_voucher_get(f->d.db, v.id, &v, &err), &err);
    assert_int_equal(v.balance_minor, 10000);
    /* a cohort whose module states no cost needs an amount; 150.00 is more than the voucher holds:
     * refused, and the enrolment made in the same transaction is gone too */
    fow_redeem_in b = {.code = v.code, .cohort_id = biz, .key = "req-2"};
    assert_int_equal(fow_voucher_redeem(f->d.db, f->people, &ADMIN, &f->catalogue, &b, NOW, &again, &replayed, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "amount");
    b.amount_minor = 15000;
    assert_int_equal(fow_voucher_redeem(f->d.db, f->people, &ADMIN, &f->catalogue, &b, NOW, &again, &replayed, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "amount");
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM training_enrolments WHERE cohort_id = %lld", (long long)biz),
                     0);
    /* a partial redemption of the rest */
    b.amount_minor = 10000;
    assert_fow_ok(fow_voucher_redeem(f->d.db, f->people, &ADMIN, &f->catalogue, &b, NOW, &again, &replayed, &err),
                  &err);
    assert_fow_ok(fow_voucher_get(f->d.db, v.id, &v, &err), &err);
    assert_int_equal(v.balance_minor, 0);
    assert_int_equal(v.redeemed_minor, data->cost_minor + 10000);

    /* completion: attended 2 of 2 in W40-DATA (payable), 1 of 2 in CP-BIZ (50% < 80%: refunded) */
    assert_fow_ok(fow_cohort_attend(f->d.db, f->people, &ADMIN, cohort, f->person, 1, true, NOW, &err), &err);
    assert_fow_ok(fow_cohort_attend(f->d.db, f->people, &ADMIN, cohort, f->person, 2, true, NOW, &err), &err);
    assert_fow_ok(fow_cohort_attend(f->d.db, f->people, &ADMIN, biz, f->person, 1, true, NOW, &err), &err);
    assert_fow_ok(fow_cohort_attend(f->d.db, f->people, &ADMIN, biz, f->person, 2, false, NOW, &err), &err);
    size_t payable, refunded;
    assert_fow_ok(fow_voucher_claims_settle(f->d.db, &ADMIN, "office", NOW, &payable, &refunded, &err), &err);
    assert_int_equal(payable + refunded, 0); /* nobody completed yet */
    assert_fow_ok(fow_cohort_complete(f->d.db, f->people, &ADMIN, NULL, &f->catalogue, cohort, f->person, true, false, 0,
                                      "2027-03-31", NOW, NULL, NULL, &err),
                  &err);
    assert_fow_ok(fow_cohort_complete(f->d.db, f->people, &ADMIN, NULL, &f->catalogue, biz, f->person, false, false, 0,
                                      "2027-03-31", NOW, NULL, NULL, &err),
                  &err);
    assert_fow_ok(fow_voucher_claims_settle(f->d.db, &ADMIN, "office", NOW, &payable, &refunded, &err), &err);
    assert_int_equal(payable, 1);
    assert_int_equal(refunded, 1);
    assert_fow_ok(fow_redemption_get(f->d.db, r.id, &r, &err), &err);
    assert_string_equal(r.status, "payable");
    assert_int_equal(r.attendance_percent, 100);
    assert_fow_ok(fow_redemption_get(f->d.db, again.id, &again, &err), &err);
    assert_string_equal(again.status, "refunded");
    assert_int_equal(again.attendance_percent, 50);
    assert_fow_ok(fow_voucher_get(f->d.db, v.id, &v, &err), &err);
    assert_int_equal(v.balance_minor, 10000); /* back on the voucher */

    /* a batch of the payable claims, approved: paid */
    int64_t batch;
    assert_fow_ok(fow_payment_batch_create(f->d.db, "RON", "office", NOW, &batch, &err), &err);
    assert_int_equal(fow_payment_batch_create(f->d.db, "RON", "office", NOW, &batch, &err), FOW_EINPUT);
    assert_string_equal(err.field, "claims");
    batch = 1;
    assert_fow_ok(fow_payment_batch_approve(f->d.db, batch, "office", NOW, &err), &err);
    assert_int_equal(fow_payment_batch_approve(f->d.db, batch, "office", NOW, &err), FOW_EINPUT);
    assert_string_equal(err.field, "batch");
    fow_payment_batch pb;
    assert_fow_ok(fow_payment_batch_get(f->d.db, batch, &pb, &err), &err);
    assert_string_equal(pb.status, "paid");
    assert_int_equal(pb.total_minor, data->cost_minor);
    assert_fow_ok(fow_redemption_get(f->d.db, r.id, &r, &err), &err);
    assert_string_equal(r.status, "paid");
    fow_ledger_account paid;
    bool found;
    assert_fow_ok(fow_ledger_account_find(f->d.db, FOW_ACCOUNT_PAID, data->provider_id, &paid, &found, &err), &err);
    assert_true(found);
    assert_int_equal(paid.balance_minor, data->cost_minor);
    char *csv = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&csv, &len);
    assert_fow_ok(fow_payment_batch_export(f->d.db, batch, out, &err), &err);
    fclose(out);
    char expect[256];
    char amount[32];
    snprintf(expect, sizeof expect, "1,%lld,", (long long)data->provider_id);
    assert_non_null(strstr(csv, expect));
    snprintf(expect, sizeof expect, ",1,%lld,%s,RON,paid,", (long long)data->cost_minor,
             fow_money_format(data->cost_minor, amount, sizeof amount));
    assert_non_null(strstr(csv, expect));
    free(csv);
    fow_budget_line l;
    assert_fow_ok(fow_budget_line_get(f->d.db, f->line, &l, &err), &err);
    assert_int_equal(l.redeemed_minor, data->cost_minor);
    assert_int_equal(l.committed_minor, 10000);
    assert_ledger_ok(f->d.db);
}

static void test_expire_cancel_refund(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_voucher a, b;
    issue(f, 20000, true, "a", &a);
    issue(f, 5000, true, "b", &b);
    int64_t biz = add_cohort(f, f->d.db, "CP-BIZ", 10);
    fow_redemption r;
    fow_redeem_in in = {.code = a.code, .cohort_id = biz, .amount_minor = 7000, .key = "r-a"};
    assert_fow_ok(fow_voucher_redeem(f->d.db, f->people, &ADMIN, &f->catalogue, &in, NOW, &r, NULL, &err), &err);
    /* cancel b: its 50.00 back to the line */
    assert_int_equal(fow_voucher_cancel(f->d.db, b.id, "", "office", NOW, &err), FOW_EINPUT);
    assert_string_equal(err.field, "reason");
    assert_fow_ok(fow_voucher_cancel(f->d.db, b.id, "awarded by mistake", "office", NOW, &err), &err);
    assert_int_equal(fow_voucher_cancel(f->d.db, b.id, "again", "office", NOW, &err), FOW_EINPUT);
    /* expire as of 2027-07-01: a (valid until 2027-06-30) expires, its 130.00 go back */
    size_t expired;
    int64_t returned;
    assert_int_equal(fow_vouchers_expire(f->d.db, "2027-7-1", "office", NOW, &expired, &returned, &err), FOW_EINPUT);
    assert_string_equal(err.field, "as_of");
    assert_fow_ok(fow_vouchers_expire(f->d.db, "2027-06-30", "office", NOW, &expired, &returned, &err), &err);
    assert_int_equal(expired, 0);
    assert_fow_ok(fow_vouchers_expire(f->d.db, "2027-07-01", "office", NOW, &expired, &returned, &err), &err);
    assert_int_equal(expired, 1);
    assert_int_equal(returned, 13000);
    assert_fow_ok(fow_vouchers_expire(f->d.db, "2027-07-01", "office", NOW, &expired, &returned, &err), &err);
    assert_int_equal(expired, 0);
    assert_fow_ok(fow_voucher_get(f->d.db, a.id, &a, &err), &err);
    assert_string_equal(a.status, "expired");
    assert_int_equal(a.balance_minor, 0);
    /* the redemption refunded after expiry: through the voucher back to the line */
    assert_fow_ok(fow_redemption_refund(f->d.db, r.id, "the person withdrew", "office", NOW, &err), &err);
    assert_int_equal(fow_redemption_refund(f->d.db, r.id, "again", "office", NOW, &err), FOW_EINPUT);
    assert_string_equal(err.field, "redemption");
    fow_budget_line l;
    assert_fow_ok(fow_budget_line_get(f->d.db, f->line, &l, &err), &err);
    assert_int_equal(l.available_minor, 10000000);
    assert_int_equal(l.committed_minor, 0);
    assert_int_equal(l.redeemed_minor, 0);
    assert_int_equal(l.returned_minor, 25000);
    /* an expired voucher is not redeemed */
    in.key = "r-a2";
    assert_int_equal(fow_voucher_redeem(f->d.db, f->people, &ADMIN, &f->catalogue, &in, NOW, &r, NULL, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "voucher");
    assert_ledger_ok(f->d.db);
}

/* ---- concurrency and faults --------------------------------------------------- */

#define RACERS 200
#define PROCESSES 4

typedef struct racer {
    const char *db_path, *key_path;
    const fow_training_catalogue *catalogue;
    const char *code;
    int64_t cohort;
    char key[32];
    pthread_barrier_t *start;
    fow_code rc;
    char field[128];
    char message[512];
} racer;

static void *redeem_racer(void *arg) {
    racer *r = arg;
    fow_error err;
    fow_error_clear(&err);
    fow_db *db = NULL;
    fow_people *people = NULL;
    r->rc = fow_db_open(&db, r->db_path, false, &err);
    if (!r->rc) r->rc = fow_people_open(db, r->key_path, &people, &err);
    pthread_barrier_wait(r->start);
    fow_redeem_in in = {.code = r->code, .cohort_id = r->cohort, .amount_minor = 10000, .key = r->key};
    fow_redemption out;
    /* a database busy past its timeout is retried with the same key, as a client would */
    for (int attempt = 0; !r->rc && attempt < 20; attempt++) {
        r->rc = fow_voucher_redeem(db, people, &ADMIN, r->catalogue, &in, NOW, &out, NULL, &err);
        if (r->rc != FOW_EDB) break;
    }
    snprintf(r->field, sizeof r->field, "%s", err.field);
    snprintf(r->message, sizeof r->message, "%s", err.message);
    fow_people_close(people);
    fow_db_close(db);
    return NULL;
}

/* Runs racers [from, to) on threads; returns how many succeeded, fails on
 * an error other than "the voucher holds too little". */
static int run_racers(racer *racers, int from, int to) {
    int n = to - from, ok = 0;
    pthread_t *threads = calloc((size_t)n, sizeof *threads);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)n);
    for (int i = 0; i < n; i++) {
        racers[from + i].start = &start;
        if (pthread_create(&threads[i], NULL, redeem_racer, &racers[from + i]) != 0) return -1;
    }
    int bad = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(threads[i], NULL);
        racer *r = &racers[from + i];
        if (r->rc == FOW_OK) ok++;
        else if (!(r->rc == FOW_EINPUT && strcmp(r->field, "amount") == 0)) {
            fprintf(stderr, "racer %d: %s (%s)\n", from + i, r->message, r->field);
            bad++;
        }
    }
    pthread_barrier_destroy(&start);
    free(threads);
    return bad ? -1 : ok;
}

/* 200 redemptions of one voucher worth three of them, each for its own
 * cohort, from 4 processes of 50 threads, each on its own connection:
 * exactly 3 succeed, exactly 3 enrolments exist, the ledger checks. */
static void test_two_hundred_redemptions(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_voucher v;
    issue(f, 30000, true, NULL, &v);
    racer *racers = calloc(RACERS, sizeof *racers);
    for (int i = 0; i < RACERS; i++) {
        racers[i] = (racer){.db_path = f->d.path, .key_path = f->key_path, .catalogue = &f->catalogue,
                            .code = v.code, .cohort = add_cohort(f, f->d.db, "CP-BIZ", 5)};
        snprintf(racers[i].key, sizeof racers[i].key, "race-%d", i);
    }
    pid_t children[PROCESSES];
    int per = RACERS / PROCESSES;
    for (int p = 0; p < PROCESSES; p++) {
        children[p] = fork();
        assert_true(children[p] >= 0);
        if (children[p] == 0) {
            int ok = run_racers(racers, p * per, (p + 1) * per);
            _exit(ok < 0 ? 255 : ok);
        }
    }
    int successes = 0;
    for (int p = 0; p < PROCESSES; p++) {
        int status;
        assert_int_equal(waitpid(children[p], &status, 0), children[p]);
        assert_true(WIFEXITED(status));
        assert_int_not_equal(WEXITSTATUS(status), 255);
        successes += WEXITSTATUS(status);
    }
    assert_int_equal(successes, 3);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM voucher_redemptions"), 3);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM training_enrolments"), 3);
    assert_fow_ok(fow_voucher_get(f->d.db, v.id, &v, &err), &err);
    assert_int_equal(v.balance_minor, 0);
    assert_int_equal(v.redeemed_minor, 30000);
    assert_ledger_ok(f->d.db);
    free(racers);
}

typedef struct issuer {
    const char *db_path, *key_path, *person;
    int64_t line;
    pthread_barrier_t *start;
    fow_code rc;
    char field[128];
} issuer;

static void *issue_racer(void *arg) {
    issuer *s = arg;
    fow_error err;
    fow_error_clear(&err);
    fow_db *db = NULL;
    fow_people *people = NULL;
    s->rc = fow_db_open(&db, s->db_path, false, &err);
    if (!s->rc) s->rc = fow_people_open(db, s->key_path, &people, &err);
    pthread_barrier_wait(s->start);
    fow_voucher_issue_in in = {.line_id = s->line, .person = s->person, .value_minor = 25000,
                               .valid_from = "2027-01-01", .valid_until = "2027-12-31", .min_attendance_percent = -1};
    fow_voucher v;
    for (int attempt = 0; !s->rc && attempt < 20; attempt++) {
        s->rc = fow_voucher_issue(db, people, &ADMIN.staff, NULL, &in, "office", NOW, &v, &err);
        if (s->rc != FOW_EDB) break;
    }
    snprintf(s->field, sizeof s->field, "%s", err.field);
    fow_people_close(people);
    fow_db_close(db);
    return NULL;
}

/* A line holding 4 vouchers' worth, 40 threads issuing at once: exactly 4. */
static void test_only_k_of_n_issued(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    int64_t line;
    assert_fow_ok(fow_budget_line_add(f->d.db, f->fund, "lab_time", 2027, 100000, NULL, "office", NOW, &line, &err),
                  &err);
    enum { N = 40 };
    issuer s[N];
    pthread_t threads[N];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, N);
    for (int i = 0; i < N; i++) {
        s[i] = (issuer){.db_path = f->d.path, .key_path = f->key_path, .person = f->person, .line = line,
                        .start = &start};
        assert_int_equal(pthread_create(&threads[i], NULL, issue_racer, &s[i]), 0);
    }
    int ok = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(threads[i], NULL);
        if (s[i].rc == FOW_OK) ok++;
        else if (!(s[i].rc == FOW_EINPUT && strcmp(s[i].field, "value") == 0))
            fail_msg("issuer %d: %s (%s)", i, fow_code_name(s[i].rc), s[i].field);
    }
    pthread_barrier_destroy(&start);
    assert_int_equal(ok, 4);
    fow_budget_line l;
    assert_fow_ok(fow_budget_line_get(f->d.db, line, &l, &err), &err);
    assert_int_equal(l.available_minor, 0);
    assert_int_equal(l.committed_minor, 100000);
    assert_ledger_ok(f->d.db);
}

/* A child process appending transfers as fast as it can is killed with
 * SIGKILL mid-way, several times: each time the ledger passes its checks,
 * and each transfer is whole (its balance moved with it) or absent. */
static void test_kill_during_transfers(void **state) {
    ts_db *d = *state;
    fow_error err;
    fow_error_clear(&err);
    int64_t fund, line, a, b;
    assert_fow_ok(fow_voucher_fund_create(d->db, "F", "RON", NULL, "office", NOW, &fund, &err), &err);
    assert_fow_ok(fow_budget_line_add(d->db, fund, "lab_time", 2027, 1000000000, NULL, "office", NOW, &line, &err),
                  &err);
    assert_fow_ok(fow_db_begin(d->db, &err), &err);
    assert_fow_ok(fow_ledger_account_ensure(d->db, FOW_ACCOUNT_AVAILABLE, line, "RON", &a, &err), &err);
    assert_fow_ok(fow_ledger_account_ensure(d->db, FOW_ACCOUNT_VOUCHER, 1, "RON", &b, &err), &err);
    assert_fow_ok(fow_db_commit(d->db, &err), &err);
    long long before = ts_int(d->db, "SELECT count(*) FROM voucher_transfers");
    for (int round = 0; round < 3; round++) {
        pid_t child = fork();
        assert_true(child >= 0);
        if (child == 0) {
            fow_db *db;
            fow_error e;
            if (fow_db_open(&db, d->path, false, &e)) _exit(2);
            for (int i = 0;; i++) {
                char key[48];
                snprintf(key, sizeof key, "kill-%d-%d", round, i);
                /* batches of 50 transfers in one transaction, alternating direction */
                if (fow_db_begin(db, &e)) _exit(3);
                for (int k = 0; k < 50; k++) {
                    snprintf(key, sizeof key, "kill-%d-%d-%d", round, i, k);
                    fow_ledger_transfer_in in = {.key = key, .kind = k % 2 ? "refund" : "issue",
                                                 .from_account = k % 2 ? b : a, .to_account = k % 2 ? a : b,
                                                 .amount_minor = 100 + k, .actor = "killer", .at = NOW};
                    if (k % 2) in.amount_minor = 100 + k - 1;
                    if (fow_ledger_post(db, &in, NULL, NULL, &e)) _exit(4);
                }
                if (fow_db_commit(db, &e)) _exit(5);
            }
        }
        struct timespec pause = {.tv_sec = 0, .tv_nsec = (150 + 100 * round) * 1000000L};
        nanosleep(&pause, NULL);
        assert_int_equal(kill(child, SIGKILL), 0);
        int status;
        assert_int_equal(waitpid(child, &status, 0), child);
        assert_true(WIFSIGNALED(status));
        assert_ledger_ok(d->db);
        /* whole batches only: the transfers added are a multiple of 50 */
        long long now_count = ts_int(d->db, "SELECT count(*) FROM voucher_transfers");
        assert_int_equal((now_count - before) % 50, 0);
        before = now_count;
    }
    assert_true(before > 1); /* the child did write */
}
/* The problems of each check of `fow check`, by name, after raw SQL edits. */
static uint64_t problems_of(fow_db *db, const char *name) {
    fow_check_report report;
    fow_check_report_init(&report);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_vouchers_check(db, &report, &err), &err);
    uint64_t n = UINT64_MAX;
    for (size_t i = 0; i < report.n_results; i++)
        if (strcmp(report.results[i].name, name) == 0) n = report.results[i].problems;
    fow_check_report_free(&report);
    assert_true(n != UINT64_MAX);
    return n;
}

static void test_check_finds_tampering(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_voucher v;
    issue(f, 20000, true, NULL, &v);
    int64_t biz = add_cohort(f, f->d.db, "CP-BIZ", 10);
    fow_redemption r;
    fow_redeem_in in = {.code = v.code, .cohort_id = biz, .amount_minor = 5000, .key = "t"};
    assert_fow_ok(fow_voucher_redeem(f->d.db, f->people, &ADMIN, &f->catalogue, &in, NOW, &r, NULL, &err), &err);
    assert_ledger_ok(f->d.db);
    /* a voucher marked cancelled without its money going back */
    assert_fow_ok(fow_db_exec(f->d.db, "UPDATE vouchers SET status = 'cancelled'", &err), &err);
    assert_int_equal(problems_of(f->d.db, "vouchers.rows"), 1);
    assert_fow_ok(fow_db_exec(f->d.db, "UPDATE vouchers SET status = 'active'", &err), &err);
    /* a claim marked payable without its transfer */
    assert_fow_ok(fow_db_exec(f->d.db, "UPDATE voucher_redemptions SET status = 'payable'", &err), &err);
    assert_int_equal(problems_of(f->d.db, "vouchers.rows"), 1);
    assert_fow_ok(fow_db_exec(f->d.db, "UPDATE voucher_redemptions SET status = 'redeemed'", &err), &err);
    assert_int_equal(problems_of(f->d.db, "vouchers.rows"), 0);
    /* a cached balance edited (money moved between two caches, the sum still zero) */
    assert_fow_ok(fow_db_exec(f->d.db,
                              "UPDATE voucher_balances SET balance_minor = balance_minor + 1 WHERE account_id = 2;"
                              "UPDATE voucher_balances SET balance_minor = balance_minor - 1 WHERE account_id = 3",
                              &err),
                  &err);
    assert_int_equal(problems_of(f->d.db, "vouchers.balances"), 2);
    assert_int_equal(problems_of(f->d.db, "vouchers.chain"), 0);
    /* a transfer removed behind the triggers' back: the chain breaks after it */
    assert_fow_ok(fow_db_exec(f->d.db,
                              "DROP TRIGGER voucher_transfers_no_delete; DELETE FROM voucher_transfers WHERE id = 2",
                              &err),
                  &err);
    assert_int_equal(problems_of(f->d.db, "vouchers.chain"), 2); /* id 3 follows 1, and its prev_hash is 2's */
}

/* Migration 16 on vouchers that version 15 made: every voucher, allowed
 * provider and module, redemption and award stays (with its id), vouchers
 * become persons' (beneficiary_kind), foreign keys still hold, and a call
 * gets the default voucher terms. */
static void test_migration_16(void **state) {
    (void)state;
    ts_tmp tmp;
    ts_tmp_make(&tmp);
    char path[TS_PATH_MAX];
    ts_join(path, sizeof path, tmp.dir, "v15.db");
    ts_db_at_version(path, 15,
                     "INSERT INTO voucher_funds VALUES (1, 'CEV', 'RON', '', 1, 'o');"
                     "INSERT INTO voucher_budget_lines VALUES (1, 1, 'learning_module', 2026, '', 1, 'o');"
                     "INSERT INTO vouchers (id, code, line_id, person_id, value_minor, currency, purpose, valid_from,"
                     " valid_until, status, issue_key, issued_at, issued_by, changed_at, changed_by) VALUES"
                     " (7, 'CEV-AAAA-AAAA-AAAA-AAAA', 1, 'p1', 1000, 'RON', 'learning_module', '2026-01-01',"
                     " '2026-12-31', 'active', 'issue:k', 1, 'o', 1, 'o');"
                     "INSERT INTO voucher_allowed_providers VALUES (7, 3);"
                     "INSERT INTO voucher_allowed_modules VALUES (7, 'M1');"
                     "INSERT INTO voucher_redemptions (id, voucher_id, provider_id, enrolment_id, cohort_id, module_code,"
                     " amount_minor, currency, status, idempotency_key, redeemed_at, redeemed_by, changed_at,"
                     " changed_by) VALUES (5, 7, 3, 9, 2, 'M1', 400, 'RON', 'redeemed', 'r1', 1, 'o', 1, 'o');"
                     "INSERT INTO voucher_calls (id, budget_line_id, title_en, title_ro, opens_on, closes_on,"
                     " created_at, created_by) VALUES (1, 1, 'T', 'T', '2026-01-01', '2026-12-31', 1, 'o');"
                     "INSERT INTO voucher_applications (id, call_id, applicant_kind, person_id, requested_minor,"
                     " proposal, status, eligibility, submitted_at, submitted_by, updated_at) VALUES (1, 1, 'person',"
                     " 'p1', 1000, 'x', 'awarded', '{}', 1, 'o', 1);"
                     "INSERT INTO voucher_awards (id, application_id, call_id, decision, value_minor, currency, reason,"
                     " rank_position, weighted_score_micro, decided_at, decided_by, voucher_id) VALUES"
                     " (4, 1, 1, 'awarded', 1000, 'RON', 'r', 1, 1, 1, 'o', 7);");
    fow_db *db = NULL;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_db_open(&db, path, false, &err), &err);
    assert_int_equal(fow_db_schema_version(db), FOW_SCHEMA_VERSION);
    char kind[16];
    assert_string_equal(ts_text(db, kind, sizeof kind, "SELECT beneficiary_kind FROM vouchers WHERE id = 7"), "person");
    assert_int_equal(ts_int(db, "SELECT count(*) FROM vouchers WHERE person_id = 'p1' AND enterprise_code IS NULL"), 1);
    assert_int_equal(ts_int(db, "SELECT provider_id FROM voucher_allowed_providers WHERE voucher_id = 7"), 3);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM voucher_allowed_modules WHERE voucher_id = 7"), 1);
    assert_int_equal(ts_int(db, "SELECT voucher_id FROM voucher_redemptions WHERE id = 5"), 7);
    assert_int_equal(ts_int(db, "SELECT voucher_id FROM voucher_awards WHERE id = 4"), 7);
    assert_int_equal(ts_int(db, "SELECT voucher_valid_months * 1000 + voucher_active * 100 + voucher_min_attendance "
                                "FROM voucher_calls WHERE id = 1"),
                     12180);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    /* the references still point at vouchers: a redemption of a voucher that does not exist is refused */
    assert_int_not_equal(ts_exec(db, "UPDATE voucher_redemptions SET voucher_id = 99 WHERE id = 5"), FOW_OK);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM sqlite_temp_master"), 0);
    fow_db_close(db);
    ts_tmp_remove(&tmp);
}

/* IBANs (ISO 13616, mod 97) and BICs (ISO 9362): normalised, checked,
 * errors naming the field. */
static void test_iban_bic(void **state) {
    (void)state;
    fow_error err;
    fow_error_clear(&err);
    char iban[FOW_IBAN_MAX + 1], bic[FOW_BIC_MAX + 1];
    assert_int_equal(fow_iban_check("ro49 aaaa 1b31 0075 9384 0000", "iban", iban, &err), FOW_OK);
    assert_string_equal(iban, "RO49AAAA1B31007593840000");
    assert_int_equal(fow_iban_check("DE89370400440532013000", "iban", iban, &err), FOW_OK);
    assert_int_equal(fow_iban_check("GB82WEST12345698765432", "iban", iban, &err), FOW_OK);
    static const char *const bad[] = {"RO49AAAA1B31007593840001", /* one digit changed */
                                      "DE89370400440532013001", "GB82WEST12345698765423", /* two swapped */
                                      "RO49", "4949AAAA1B31007593840000", "RO49AAAA-1B31007593840000",
                                      "RO49AAAA1B310075938400001234567890123", "", NULL};
    for (size_t i = 0; bad[i]; i++) {
        fow_error_clear(&err);
        assert_int_equal(fow_iban_check(bad[i], "debtor_iban", iban, &err), FOW_EINPUT);
        assert_string_equal(err.field, "debtor_iban");
    }
    assert_int_equal(fow_iban_check(NULL, "iban", iban, &err), FOW_EINPUT);
    assert_int_equal(fow_bic_check("btrlro22", "bic", bic, &err), FOW_OK);
    assert_string_equal(bic, "BTRLRO22");
    assert_int_equal(fow_bic_check("BTRLRO22XXX", "bic", bic, &err), FOW_OK);
    static const char *const bad_bic[] = {"BTRL", "BTRLRO2", "B1RLRO22", "BTRLRO22XX", "BTRLRO-2", NULL};
    for (size_t i = 0; bad_bic[i]; i++) {
        fow_error_clear(&err);
        assert_int_equal(fow_bic_check(bad_bic[i], "bic", bic, &err), FOW_EINPUT);
        assert_string_equal(err.field, "bic");
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migration_16),
        cmocka_unit_test(test_iban_bic),
        cmocka_unit_test_setup_teardown(test_funds_and_lines, ts_setup_db, ts_teardown_db),
        cmocka_unit_test_setup_teardown(test_fund_bad_input, ts_setup_db, ts_teardown_db),
        cmocka_unit_test_setup_teardown(test_transfers, ts_setup_db, ts_teardown_db),
        cmocka_unit_test(test_codes),
        cmocka_unit_test_setup_teardown(test_issue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_redeem_claim_pay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expire_cancel_refund, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_finds_tampering, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_hundred_redemptions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_k_of_n_issued, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill_during_transfers, ts_setup_db, ts_teardown_db),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
