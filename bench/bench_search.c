/* bench_search.c — per-query latency of fow_search, against SQLite FTS5.
 *
 *   bench_search [DATA] [--queries N] [--seed S] [--db PATH]
 *
 * Without --db the full data (ESCO 1.2.0 bundle, MCC risk, MCC attributes)
 * is first imported into a temporary database (by a child process). The
 * full model is loaded, then N queries (default 10,000) are built: a
 * prefix of 1 to 6 characters of the original label of a term of the model,
 * term and length chosen by a fixed-seed pseudo-random generator. Queries
 * without any ASCII letter or digit are skipped (and replaced) for both
 * engines, since FTS5 has no token to match for them.
 *
 * fow: fow_search(model, query, FOW_KIND_ANY, hits, 10).
 * Peer: an in-memory SQLite database, CREATE VIRTUAL TABLE t USING
 * fts5(label) filled with the same labels (every term of the model), and
 * SELECT rowid FROM t WHERE t MATCH ? LIMIT 10 with the query as one quoted
 * prefix token ("abc"*), stepped to the end. If FTS5 is not available, the
 * peer is label LIKE ?||'%' LIMIT 10 on an indexed table (and says so).
 *
 * Each engine first runs all queries once untimed (warm-up), then again
 * with each query timed on its own (clock_gettime around the call).
 * Goal: fow p99 <= 200 µs.
 */
#include <sqlite3.h>
#include <stdint.h>

#include "bench_util.h"
#include "taxonomy/fow_model.h"
#include "taxonomy/fow_search.h"

#define GOAL_P99_US 200.0
#define LIMIT 10

static void usage(const char *argv0) {
    fprintf(stderr, "usage: %s [DATA_DIR] [--queries N] [--seed S] [--db PATH]\n", argv0);
    exit(2);
}

static int has_ascii_alnum(const char *s) {
    for (; *s; s++)
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')) return 1;
    return 0;
}

/* Copies the first n UTF-8 characters of s (or all of s) into out. */
static void utf8_prefix(const char *s, size_t n, char *out, size_t cap) {
    size_t i = 0, chars = 0;
    while (s[i] && chars < n) {
        size_t j = i + 1;
        while (s[j] && ((unsigned char)s[j] & 0xC0) == 0x80) j++;
        if (j >= cap) break;
        i = j;
        chars++;
    }
    memcpy(out, s, i);
    out[i] = '\0';
}

typedef struct latency_stats {
    double p50, p90, p99, max, mean;
} latency_stats;

static latency_stats stats_of(double *us, size_t n) {
    latency_stats s = {0};
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += us[i];
    bench_sort(us, n);
    s.p50 = bench_percentile_sorted(us, n, 50);
    s.p90 = bench_percentile_sorted(us, n, 90);
    s.p99 = bench_percentile_sorted(us, n, 99);
    s.max = us[n - 1];
    s.mean = sum / (double)n;
    return s;
}

/* The peer database: every term's label, FTS5 or (fallback) LIKE. */
typedef struct peer {
    sqlite3 *db;
    sqlite3_stmt *query;
    int fts5;
} peer;

static void peer_die(peer *p, const char *what) {
    fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(p->db));
    exit(1);
}

static void peer_open(peer *p, const fow_model *m) {
    if (sqlite3_open(":memory:", &p->db) != SQLITE_OK) peer_die(p, "sqlite3_open");
    p->fts5 = sqlite3_exec(p->db, "CREATE VIRTUAL TABLE t USING fts5(label)", NULL, NULL, NULL) == SQLITE_OK;
    if (!p->fts5 &&
        sqlite3_exec(p->db, "CREATE TABLE t(label TEXT NOT NULL)", NULL, NULL, NULL) != SQLITE_OK)
        peer_die(p, "create table");
    sqlite3_exec(p->db, "BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *ins;
    if (sqlite3_prepare_v2(p->db, "INSERT INTO t(label) VALUES (?)", -1, &ins, NULL) != SQLITE_OK)
        peer_die(p, "prepare insert");
    for (uint32_t i = 0; i < m->n_terms; i++) {
        sqlite3_bind_text(ins, 1, fow_model_text(m, m->terms[i].label), -1, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE) peer_die(p, "insert");
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    if (!p->fts5 && sqlite3_exec(p->db, "CREATE INDEX t_label ON t(label COLLATE NOCASE)", NULL, NULL, NULL) !=
                        SQLITE_OK)
        peer_die(p, "create index");
    sqlite3_exec(p->db, "COMMIT", NULL, NULL, NULL);
    const char *sql = p->fts5 ? "SELECT rowid FROM t WHERE t MATCH ? LIMIT 10"
                              : "SELECT rowid FROM t WHERE label LIKE ?||'%' LIMIT 10";
    if (sqlite3_prepare_v2(p->db, sql, -1, &p->query, NULL) != SQLITE_OK) peer_die(p, "prepare query");
}

/* Runs one peer query (already in peer syntax); returns the rows. */
static int peer_run(peer *p, const char *q) {
    sqlite3_bind_text(p->query, 1, q, -1, SQLITE_STATIC);
    int rows = 0, r;
    while ((r = sqlite3_step(p->query)) == SQLITE_ROW) rows++;
    if (r != SQLITE_DONE) peer_die(p, "query");
    sqlite3_reset(p->query);
    return rows;
}

/* "abc" -> "\"abc\"*" for FTS5 (inner quotes doubled); as is for LIKE. */
static void peer_query_text(const peer *p, const char *q, char *out, size_t cap) {
    if (!p->fts5) {
        snprintf(out, cap, "%s", q);
        return;
    }
    size_t w = 0;
    out[w++] = '"';
    for (const char *s = q; *s && w + 4 < cap; s++) {
        if (*s == '"') out[w++] = '"';
        out[w++] = *s;
    }
    out[w++] = '"';
    out[w++] = '*';
    out[w] = '\0';
}

#define QMAX 64

int main(int argc, char **argv) {
    const char *data_arg = NULL, *db_arg = NULL;
    long n_queries = 10000;
    uint64_t seed = 20240601;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--queries") == 0 && i + 1 < argc) {
            n_queries = strtol(argv[++i], NULL, 10);
            if (n_queries < 1 || n_queries > 10000000) usage(argv[0]);
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            seed = strtoull(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db_arg = argv[++i];
        } else if (argv[i][0] == '-') {
            usage(argv[0]);
        } else if (!data_arg) {
            data_arg = argv[i];
        } else {
            usage(argv[0]);
        }
    }

    char dir[4096], db_path[4200];
    const char *data = bench_prepare_db(db_arg, data_arg, "fow-bench-search", dir, sizeof dir, db_path, sizeof db_path);

    fow_error err;
    fow_error_clear(&err);
    fow_db *db = NULL;
    if (fow_db_open(&db, db_path, true, &err) != FOW_OK) bench_die("fow_db_open", &err);
    fow_model *m = NULL;
    if (fow_model_load(db, &m, &err) != FOW_OK) bench_die("fow_model_load", &err);
    fow_db_close(db);
    if (m->n_terms == 0) {
        fprintf(stderr, "the model has no search terms\n");
        return 1;
    }

    /* the queries */
    size_t nq = (size_t)n_queries;
    char(*queries)[QMAX] = malloc(nq * sizeof *queries);
    char(*peer_queries)[QMAX * 2 + 4] = malloc(nq * sizeof *peer_queries);
    double *fow_us = malloc(nq * sizeof *fow_us);
    double *peer_us = malloc(nq * sizeof *peer_us);
    if (!queries || !peer_queries || !fow_us || !peer_us) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    uint64_t state = seed;
    size_t skipped = 0, by_len[7] = {0};
    for (size_t i = 0; i < nq;) {
        uint32_t term = (uint32_t)(bench_splitmix64(&state) % m->n_terms);
        size_t len = 1 + (size_t)(bench_splitmix64(&state) % 6);
        utf8_prefix(fow_model_text(m, m->terms[term].label), len, queries[i], QMAX);
        if (!has_ascii_alnum(queries[i])) {
            skipped++;
            continue;
        }
        by_len[len]++;
        i++;
    }

    peer p = {0};
    peer_open(&p, m);
    for (size_t i = 0; i < nq; i++) peer_query_text(&p, queries[i], peer_queries[i], sizeof peer_queries[i]);

    /* warm-up, untimed */
    fow_search_hit hits[LIMIT];
    for (size_t i = 0; i < nq; i++) (void)fow_search(m, queries[i], FOW_KIND_ANY, hits, LIMIT, &err);
    for (size_t i = 0; i < nq; i++) (void)peer_run(&p, peer_queries[i]);

    /* timed */
    size_t fow_errors = 0, fow_empty = 0, peer_empty = 0;
    long long fow_hits = 0, peer_hits = 0;
    char first_error[600] = "";
    for (size_t i = 0; i < nq; i++) {
        long long t0 = bench_now_ns();
        long n = fow_search(m, queries[i], FOW_KIND_ANY, hits, LIMIT, &err);
        long long t1 = bench_now_ns();
        fow_us[i] = (double)(t1 - t0) / 1000.0;
        if (n < 0) {
            if (!fow_errors++) snprintf(first_error, sizeof first_error, "'%s': %s", queries[i], err.message);
        } else {
            fow_hits += n;
            if (n == 0) fow_empty++;
        }
    }
    for (size_t i = 0; i < nq; i++) {
        long long t0 = bench_now_ns();
        int n = peer_run(&p, peer_queries[i]);
        long long t1 = bench_now_ns();
        peer_us[i] = (double)(t1 - t0) / 1000.0;
        peer_hits += n;
        if (n == 0) peer_empty++;
    }

    latency_stats fs = stats_of(fow_us, nq), ps = stats_of(peer_us, nq);
    const char *peer_name = p.fts5 ? "SQLite FTS5 \"q\"* LIMIT 10" : "SQLite LIKE q||'%' LIMIT 10 (no FTS5)";

    printf("bench_search: fow_search vs %s\n", p.fts5 ? "SQLite FTS5 prefix queries" : "SQLite LIKE prefix queries");
    printf("database: %s%s\n", db_path, db_arg ? "" : " (imported from the data by a child process)");
    if (data) printf("data:     %s\n", data);
    printf("sqlite:   %s, FTS5 %s\n", sqlite3_libversion(),
           p.fts5 ? "available" : "NOT available: the peer is label LIKE ?||'%' on an indexed table");
    printf("model:    %u terms (labels) indexed by both, %u word entries in fow\n", m->n_terms, m->n_words);
    printf("queries:  %zu (seed %llu; prefix length 1..6 chars: %zu/%zu/%zu/%zu/%zu/%zu; %zu candidates "
           "without an ASCII letter or digit skipped)\n",
           nq, (unsigned long long)seed, by_len[1], by_len[2], by_len[3], by_len[4], by_len[5], by_len[6],
           skipped);
    printf("          each engine: one untimed warm-up pass, then one timed pass, kind any, limit %d\n\n", LIMIT);

    printf("%-41s %9s %9s %9s %9s %9s\n", "latency per query (µs)", "p50", "p90", "p99", "max", "mean");
    printf("%-40s %9.2f %9.2f %9.2f %9.2f %9.2f\n", "fow_search", fs.p50, fs.p90, fs.p99, fs.max, fs.mean);
    printf("%-40s %9.2f %9.2f %9.2f %9.2f %9.2f\n", peer_name, ps.p50, ps.p90, ps.p99, ps.max, ps.mean);
    printf("\nhits: fow %lld (%zu queries with none, %zu errors), peer %lld (%zu queries with none)\n", fow_hits,
           fow_empty, fow_errors, peer_hits, peer_empty);
    if (fow_errors) printf("first fow_search error: %s\n", first_error);
    printf("ratio fow/peer: p50 %.2f, p99 %.2f\n", fs.p50 / ps.p50, fs.p99 / ps.p99);
    printf("goal fow p99 <= %.0f µs: %s (%.2f µs)\n", GOAL_P99_US, fs.p99 <= GOAL_P99_US ? "met" : "NOT met",
           fs.p99);

    sqlite3_finalize(p.query);
    sqlite3_close(p.db);
    fow_model_free(m);
    free(queries);
    free(peer_queries);
    free(fow_us);
    free(peer_us);
    if (!db_arg) {
        bench_remove_db(db_path);
        rmdir(dir);
    }
    return 0;
}
