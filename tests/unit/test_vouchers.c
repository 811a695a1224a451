/* test_vouchers.c — Cluj Experimentation Vouchers (src/vouchers): funds and
 * budget lines, the ledger's transfers (idempotency, the hash chain, the
 * cached balances, accounts that must not go negative, append-only). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "test_support.h"
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_funds_and_lines, ts_setup_db, ts_teardown_db),
        cmocka_unit_test_setup_teardown(test_fund_bad_input, ts_setup_db, ts_teardown_db),
        cmocka_unit_test_setup_teardown(test_transfers, ts_setup_db, ts_teardown_db),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
