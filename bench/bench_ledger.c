/* bench_ledger.c — the voucher ledger's transfers per second and the time of
 * its checks on a ledger of 1,000,000 transfers, against the same transfers
 * done with plain SQL in the same run.
 *
 *   bench_ledger [--rounds R] [--n N] [--total T]
 *
 * Two databases in a temporary folder, both SQLite in WAL mode with
 * synchronous=NORMAL (fow_db_open's settings), one writer each:
 *   fow     fow's database: fow_ledger_transfer_commit, one transfer per
 *           transaction (BEGIN IMMEDIATE, idempotency look-up, both accounts
 *           read, the previous hash read, SHA-256 of the canonical encoding,
 *           the INSERT, two balance UPDATEs, COMMIT), statements prepared
 *           per call as fow does
 *   plain   a table of transfers (id, key UNIQUE, from, to, amount) and a
 *           table of balances: per transfer one INSERT and two UPDATEs in
 *           one transaction, statements prepared once and reused; no hash,
 *           no idempotency look-up, no check of the balance
 * Measured, R interleaved rounds of N transfers each between 64 accounts
 * (medians printed): transfers per second of each.
 * Then both ledgers are filled to T transfers (default 1,000,000; in
 * batches of 1,000 per transaction, not timed) and checked, 3 interleaved
 * times each (medians): fow_vouchers_check (the chain recomputed, every
 * transfer's accounts and currency, every cached balance against the sum of
 * its transfers, the negatives) against the plain check (the balances
 * recomputed in one pass, a GROUP BY over both sides of every transfer,
 * and compared with the table: no chain, no per-transfer checks). */
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"
#include "vouchers/fow_ledger.h"
#include "vouchers/fow_vouchers.h"

#define ACCOUNTS 64

static void die(const char *what, const fow_error *err) {
    char buf[800];
    fprintf(stderr, "bench_ledger: %s: %s\n", what, err ? fow_error_format(err, buf, sizeof buf) : "");
    exit(1);
}

static void plain_exec(sqlite3 *db, const char *sql) {
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "bench_ledger: plain SQL: %s\n", msg ? msg : "?");
        exit(1);
    }
}

typedef struct plain {
    sqlite3 *db;
    sqlite3_stmt *insert, *debit, *credit;
} plain;

static void plain_open(plain *p, const char *path) {
    if (sqlite3_open(path, &p->db) != SQLITE_OK) exit(1);
    plain_exec(p->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;"
                      "CREATE TABLE transfers (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, "
                      "from_account INTEGER NOT NULL, to_account INTEGER NOT NULL, amount INTEGER NOT NULL);"
                      "CREATE TABLE balances (account INTEGER PRIMARY KEY, balance INTEGER NOT NULL);");
    for (int a = 1; a <= ACCOUNTS; a++) {
        char sql[96];
        snprintf(sql, sizeof sql, "INSERT INTO balances VALUES (%d, 0)", a);
        plain_exec(p->db, sql);
    }
    if (sqlite3_prepare_v2(p->db, "INSERT INTO transfers (key, from_account, to_account, amount) VALUES (?1, ?2, ?3, ?4)",
                           -1, &p->insert, NULL) ||
        sqlite3_prepare_v2(p->db, "UPDATE balances SET balance = balance - ?2 WHERE account = ?1", -1, &p->debit,
                           NULL) ||
        sqlite3_prepare_v2(p->db, "UPDATE balances SET balance = balance + ?2 WHERE account = ?1", -1, &p->credit,
                           NULL)) {
        fprintf(stderr, "bench_ledger: %s\n", sqlite3_errmsg(p->db));
        exit(1);
    }
}

static void plain_step(plain *p, sqlite3_stmt *st) {
    if (sqlite3_step(st) != SQLITE_DONE) {
        fprintf(stderr, "bench_ledger: plain SQL: %s\n", sqlite3_errmsg(p->db));
        exit(1);
    }
    sqlite3_reset(st);
}

static void plain_transfer(plain *p, const char *key, int64_t from, int64_t to, int64_t amount) {
    sqlite3_bind_text(p->insert, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(p->insert, 2, from);
    sqlite3_bind_int64(p->insert, 3, to);
    sqlite3_bind_int64(p->insert, 4, amount);
    plain_step(p, p->insert);
    sqlite3_bind_int64(p->debit, 1, from);
    sqlite3_bind_int64(p->debit, 2, amount);
    plain_step(p, p->debit);
    sqlite3_bind_int64(p->credit, 1, to);
    sqlite3_bind_int64(p->credit, 2, amount);
    plain_step(p, p->credit);
}

/* The plain check: balances recomputed from the transfers, compared. */
static long long plain_check(plain *p) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(p->db,
                           "WITH sums AS (SELECT account, sum(delta) AS total FROM ("
                           "  SELECT to_account AS account, amount AS delta FROM transfers UNION ALL "
                           "  SELECT from_account, -amount FROM transfers) GROUP BY account) "
                           "SELECT count(*) FROM balances b LEFT JOIN sums s ON s.account = b.account "
                           "WHERE b.balance <> coalesce(s.total, 0)",
                           -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_ledger: %s\n", sqlite3_errmsg(p->db));
        exit(1);
    }
    long long wrong = -1;
    if (sqlite3_step(st) == SQLITE_ROW) wrong = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return wrong;
}

/* Account ids (1-based index into ids) of transfer i: the fund (index 0)
 * feeds the others, which then pass small amounts around, never below zero
 * (each non-fund account receives 1,000,000 first). */
static void pick(uint64_t *state, int64_t i, int *from, int *to, int64_t *amount) {
    if (i < ACCOUNTS - 1) {
        *from = 0;
        *to = (int)i + 1;
        *amount = 1000000000;
        return;
    }
    *from = 1 + (int)(bench_splitmix64(state) % (ACCOUNTS - 1));
    do *to = 1 + (int)(bench_splitmix64(state) % (ACCOUNTS - 1));
    while (*to == *from);
    *amount = 1 + (int64_t)(bench_splitmix64(state) % 100);
}

int main(int argc, char **argv) {
    long rounds = 5, n = 5000, total = 1000000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 1, 1000, &rounds)) return fprintf(stderr, "bad --rounds\n"), 2;
        } else if (strcmp(argv[i], "--n") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 100, 10000000, &n)) return fprintf(stderr, "bad --n\n"), 2;
        } else if (strcmp(argv[i], "--total") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 1000, 100000000, &total)) return fprintf(stderr, "bad --total\n"), 2;
        } else {
            fprintf(stderr, "usage: bench_ledger [--rounds R] [--n N] [--total T]\n");
            return 2;
        }
    }
    char dir[256], fow_path[320], plain_path[320];
    bench_mkdtemp(dir, sizeof dir, "fow-bench-ledger");
    snprintf(fow_path, sizeof fow_path, "%s/fow.db", dir);
    snprintf(plain_path, sizeof plain_path, "%s/plain.db", dir);

    fow_error err;
    fow_error_clear(&err);
    fow_db *db;
    if (fow_db_open(&db, fow_path, false, &err)) die("open", &err);
    int64_t fund, line, ids[ACCOUNTS];
    if (fow_voucher_fund_create(db, "Bench", "RON", NULL, "bench", 0, &fund, &err)) die("fund", &err);
    if (fow_budget_line_add(db, fund, "lab_time", 2027, 0, NULL, "bench", 0, &line, &err)) die("line", &err);
    if (fow_db_begin(db, &err)) die("begin", &err);
    if (fow_ledger_account_ensure(db, FOW_ACCOUNT_FUND, fund, "RON", &ids[0], &err)) die("account", &err);
    for (int a = 1; a < ACCOUNTS; a++)
        if (fow_ledger_account_ensure(db, FOW_ACCOUNT_VOUCHER, a, "RON", &ids[a], &err)) die("account", &err);
    if (fow_db_commit(db, &err)) die("commit", &err);
    plain p;
    plain_open(&p, plain_path);

    uint64_t fow_state = 42, plain_state = 42;
    int64_t fow_done = 0, plain_done = 0;
    double *fow_rate = bench_xmalloc((size_t)rounds * sizeof *fow_rate);
    double *plain_rate = bench_xmalloc((size_t)rounds * sizeof *plain_rate);
    char key[64];
    for (long r = 0; r < rounds; r++) {
        double t0 = bench_now_ms();
        for (long i = 0; i < n; i++, fow_done++) {
            int from, to;
            int64_t amount;
            pick(&fow_state, fow_done, &from, &to, &amount);
            snprintf(key, sizeof key, "t%" PRId64, fow_done);
            fow_ledger_transfer_in in = {.key = key, .kind = from == 0 ? "allocate" : "redeem",
                                         .from_account = ids[from], .to_account = ids[to], .amount_minor = amount,
                                         .actor = "bench", .reason = "bench", .at = 1796000000 + fow_done};
            if (fow_ledger_transfer_commit(db, &in, NULL, NULL, &err)) die("transfer", &err);
        }
        double t1 = bench_now_ms();
        for (long i = 0; i < n; i++, plain_done++) {
            int from, to;
            int64_t amount;
            pick(&plain_state, plain_done, &from, &to, &amount);
            snprintf(key, sizeof key, "t%" PRId64, plain_done);
            plain_exec(p.db, "BEGIN IMMEDIATE");
            plain_transfer(&p, key, from + 1, to + 1, amount);
            plain_exec(p.db, "COMMIT");
        }
        double t2 = bench_now_ms();
        fow_rate[r] = n / ((t1 - t0) / 1000.0);
        plain_rate[r] = n / ((t2 - t1) / 1000.0);
        printf("round %ld: fow %.0f transfers/s, plain SQL %.0f transfers/s\n", r + 1, fow_rate[r], plain_rate[r]);
        fflush(stdout);
    }
    double fr = bench_median(fow_rate, (size_t)rounds), pr = bench_median(plain_rate, (size_t)rounds);
    printf("\ntransfers per second, one per transaction, single writer, WAL (median of %ld rounds of %ld):\n",
           rounds, n);
    printf("  fow ledger  %10.0f\n  plain SQL   %10.0f\n  ratio fow / plain %.3f\n", fr, pr, fr / pr);

    /* fill both to total, in batches of 1,000 per transaction (not timed) */
    double fill0 = bench_now_ms();
    while (fow_done < total) {
        if (fow_db_begin(db, &err)) die("begin", &err);
        for (int k = 0; k < 1000 && fow_done < total; k++, fow_done++) {
            int from, to;
            int64_t amount;
            pick(&fow_state, fow_done, &from, &to, &amount);
            snprintf(key, sizeof key, "t%" PRId64, fow_done);
            fow_ledger_transfer_in in = {.key = key, .kind = from == 0 ? "allocate" : "redeem",
                                         .from_account = ids[from], .to_account = ids[to], .amount_minor = amount,
                                         .actor = "bench", .reason = "bench", .at = 1796000000 + fow_done};
            if (fow_ledger_post(db, &in, NULL, NULL, &err)) die("transfer", &err);
        }
        if (fow_db_commit(db, &err)) die("commit", &err);
    }
    double fill1 = bench_now_ms();
    while (plain_done < total) {
        plain_exec(p.db, "BEGIN IMMEDIATE");
        for (int k = 0; k < 1000 && plain_done < total; k++, plain_done++) {
            int from, to;
            int64_t amount;
            pick(&plain_state, plain_done, &from, &to, &amount);
            snprintf(key, sizeof key, "t%" PRId64, plain_done);
            plain_transfer(&p, key, from + 1, to + 1, amount);
        }
        plain_exec(p.db, "COMMIT");
    }
    double fill2 = bench_now_ms();
    printf("\nfilled to %ld transfers each (batches of 1,000 per transaction): fow %.1f s (%.0f/s), plain SQL %.1f s "
           "(%.0f/s)\n",
           total, (fill1 - fill0) / 1000, (total - rounds * n) / ((fill1 - fill0) / 1000), (fill2 - fill1) / 1000,
           (total - rounds * n) / ((fill2 - fill1) / 1000));
    fflush(stdout);

    enum { CHECKS = 3 };
    double fow_check[CHECKS], plain_check_ms[CHECKS];
    for (int c = 0; c < CHECKS; c++) {
        fow_check_report report;
        fow_check_report_init(&report);
        double t0 = bench_now_ms();
        if (fow_vouchers_check(db, &report, &err)) die("check", &err);
        double t1 = bench_now_ms();
        long long wrong = plain_check(&p);
        double t2 = bench_now_ms();
        if (!fow_check_report_ok(&report) || wrong != 0) {
            fprintf(stderr, "bench_ledger: a check failed (plain: %lld wrong balances)\n", wrong);
            return 1;
        }
        fow_check_report_free(&report);
        fow_check[c] = t1 - t0;
        plain_check_ms[c] = t2 - t1;
        printf("check %d: fow %.0f ms, plain SQL %.0f ms\n", c + 1, fow_check[c], plain_check_ms[c]);
        fflush(stdout);
    }
    double fc = bench_median(fow_check, CHECKS), pc = bench_median(plain_check_ms, CHECKS);
    printf("\nchecks of a ledger of %ld transfers (median of %d):\n", total, CHECKS);
    printf("  fow check (chain, transfers, balances, negatives)  %8.0f ms\n", fc);
    printf("  plain SQL (balances against sums)                  %8.0f ms\n", pc);
    printf("  ratio fow / plain %.2f\n", fc / pc);

    sqlite3_finalize(p.insert);
    sqlite3_finalize(p.debit);
    sqlite3_finalize(p.credit);
    sqlite3_close(p.db);
    fow_db_close(db);
    bench_remove_db(fow_path);
    bench_remove_db(plain_path);
    rmdir(dir);
    free(fow_rate);
    free(plain_rate);
    return 0;
}
