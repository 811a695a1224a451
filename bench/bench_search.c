/* bench_search.c — per-query latency of fow_search, against SQLite FTS5,
 * and against an earlier build of this benchmark (fow before a change).
 *
 *   bench_search [DATA] [--queries N] [--seed S] [--db PATH] [--rounds R]
 *                [--repeat K] [--before PATH]
 *
 * Without --db the full data (ESCO 1.2.0 bundle, MCC risk, MCC attributes)
 * is first imported into a temporary database (by a child process). The
 * full model is loaded, then two query sets are built:
 *
 * - prefix: N queries (default 10,000), a prefix of 1 to 6 characters of
 *   the original label of a term of the model, term and length chosen by a
 *   fixed-seed pseudo-random generator. Queries without any ASCII letter or
 *   digit are skipped (and replaced) for both engines, since FTS5 has no
 *   token to match for them.
 * - words: a fixed list of queries whose words are out of label order
 *   ("agent call center", "call agent", "center call") and of queries with a
 *   typo ("agnet call centre", "recepcionist"), each timed K times a round
 *   (default 200); the any-order and the typo ones are reported apart.
 *
 * fow: fow_search(model, query, FOW_KIND_ANY, hits, 10).
 * Peer: an in-memory SQLite database, CREATE VIRTUAL TABLE t USING
 * fts5(label) filled with the same labels (every term of the model), and
 * SELECT rowid FROM t WHERE t MATCH ? LIMIT 10, stepped to the end, with a
 * prefix query as one quoted prefix token ("abc"*), and a query of the
 * words set as one quoted prefix token per word ("agent"* "call"*
 * "center"*: every word, any order; FTS5 has no typos or variants). If FTS5
 * is not available, the peer is label LIKE ?||'%' LIMIT 10 on an indexed
 * table (and says so).
 *
 * Each engine first runs all queries once untimed (warm-up), then R rounds
 * (default 1; 5 with --before), each timing every query on its own
 * (clock_gettime around the call). With --before PATH (bench_search of an
 * earlier build, e.g. main before a change), each round also runs
 * `PATH --db DB --queries N --seed S` (the same prefix queries on the same
 * database, or on its own import when it refuses this database's schema)
 * and reads its fow_search and peer percentiles; which of the two goes
 * first alternates between rounds. Reported: the median over the rounds of
 * each round's p50 and p99. Goal: fow p99 <= 200 µs.
 */
#include <ctype.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_util.h"
#include "taxonomy/fow_model.h"
#include "taxonomy/fow_search.h"

#define GOAL_P99_US 200.0
#define LIMIT 10

static void usage(const char *argv0) {
    fprintf(stderr,
            "usage: %s [DATA_DIR] [--queries N] [--seed S] [--db PATH] [--rounds R] [--repeat K] [--before PATH]\n",
            argv0);
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

/* "agent call" -> "\"agent\"* \"call\"*" for FTS5: every word of q (a run of
 * letters and digits, bytes >= 0x80 included) as a quoted prefix token,
 * which FTS5 ANDs in any order; as is for LIKE. */
static void peer_words_query_text(const peer *p, const char *q, char *out, size_t cap) {
    if (!p->fts5) {
        snprintf(out, cap, "%s", q);
        return;
    }
    size_t w = 0;
    const unsigned char *s = (const unsigned char *)q;
    while (*s && w + 6 < cap) {
        while (*s && !(isalnum(*s) || *s >= 0x80)) s++;
        if (!*s) break;
        if (w) out[w++] = ' ';
        out[w++] = '"';
        while (*s && (isalnum(*s) || *s >= 0x80) && w + 4 < cap) out[w++] = (char)*s++;
        out[w++] = '"';
        out[w++] = '*';
    }
    out[w] = '\0';
}

#define QMAX 64

/* The words set: word order other than the labels', and typos. */
typedef enum word_query_class { WORDS_ANY_ORDER = 0, WORDS_TYPO = 1, N_WORD_CLASSES = 2 } word_query_class;

static const struct {
    const char *text;
    word_query_class cls;
} WORD_QUERIES[] = {
    {"agent call center", WORDS_ANY_ORDER},  {"call agent", WORDS_ANY_ORDER},
    {"center call", WORDS_ANY_ORDER},        {"agent call centre", WORDS_ANY_ORDER},
    {"developer software", WORDS_ANY_ORDER}, {"driver taxi", WORDS_ANY_ORDER},
    {"operator machine", WORDS_ANY_ORDER},   {"assistant shop", WORDS_ANY_ORDER},
    {"agnet call centre", WORDS_TYPO},       {"recepcionist", WORDS_TYPO},
    {"sofware developer", WORDS_TYPO},       {"acountant", WORDS_TYPO},
    {"electrican", WORDS_TYPO},              {"taxi drivre", WORDS_TYPO},
};
#define N_WORD_QUERIES (sizeof WORD_QUERIES / sizeof *WORD_QUERIES)
static const char *const WORD_CLASS_NAME[N_WORD_CLASSES] = {"any order", "typo"};

#define MAX_ROUNDS 99

/* One round's p50 and p99 of one series. */
typedef struct round_pct {
    double p50[MAX_ROUNDS], p99[MAX_ROUNDS];
    int n;
} round_pct;

static void round_add(round_pct *r, latency_stats s) {
    r->p50[r->n] = s.p50;
    r->p99[r->n] = s.p99;
    r->n++;
}

/* The median over the rounds of the p50s (which = 50) or the p99s. */
static double round_median(const round_pct *r, int which) {
    double v[MAX_ROUNDS];
    for (int i = 0; i < r->n; i++) v[i] = which == 50 ? r->p50[i] : r->p99[i];
    return bench_median(v, (size_t)r->n);
}

/* Runs argv with its stdout into out (cap bytes, NUL-terminated; stderr
 * passes through); true when it exited with 0. */
static bool run_capture(char *const argv[], char *out, size_t cap) {
    int fd[2];
    out[0] = '\0';
    if (pipe(fd) != 0) {
        perror("pipe");
        return false;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        close(fd[0]);
        close(fd[1]);
        return false;
    }
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execv(argv[0], argv);
        perror(argv[0]);
        _exit(127);
    }
    close(fd[1]);
    size_t w = 0;
    for (;;) {
        char discard[4096];
        ssize_t r = w + 1 < cap ? read(fd[0], out + w, cap - 1 - w) : read(fd[0], discard, sizeof discard);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        if (w + 1 < cap) w += (size_t)r;
    }
    out[w] = '\0';
    close(fd[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Reads "LABEL  p50 p90 p99 max mean" from the line of out that starts with
 * label (the earlier bench_search's table: the label padded to 40
 * characters, the numbers after it). true when found. */
static bool parse_row(const char *out, const char *label, latency_stats *s) {
    size_t n = strlen(label);
    for (const char *line = out; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, label, n) != 0) continue;
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len <= 40) continue;
        if (sscanf(line + 40, "%lf %lf %lf %lf %lf", &s->p50, &s->p90, &s->p99, &s->max, &s->mean) == 5) return true;
    }
    return false;
}

/* One round of the earlier build: its fow_search and peer rows. Without
 * db_path (or when it refuses the database) it imports its own. */
static bool before_round(const char *before, const char *db_path, const char *data, long n_queries, uint64_t seed,
                         bool *use_db, latency_stats *fow, latency_stats *peer_stats) {
    static char out[65536];
    char nq[32], sd[32];
    snprintf(nq, sizeof nq, "%ld", n_queries);
    snprintf(sd, sizeof sd, "%llu", (unsigned long long)seed);
    if (*use_db) {
        char *argv[] = {(char *)before, "--db", (char *)db_path, "--queries", nq, "--seed", sd, NULL};
        if (run_capture(argv, out, sizeof out) && parse_row(out, "fow_search ", fow) &&
            parse_row(out, "SQLite ", peer_stats))
            return true;
        fprintf(stderr, "%s on %s failed: it imports its own database from now on\n", before, db_path);
        *use_db = false;
    }
    if (!data) return false;
    char *argv[] = {(char *)before, (char *)data, "--queries", nq, "--seed", sd, NULL};
    return run_capture(argv, out, sizeof out) && parse_row(out, "fow_search ", fow) &&
           parse_row(out, "SQLite ", peer_stats);
}

int main(int argc, char **argv) {
    const char *data_arg = NULL, *db_arg = NULL, *before = NULL;
    long n_queries = 10000, rounds = 0, repeat = 200;
    uint64_t seed = 20240601;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--queries") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 1, 10000000, &n_queries) != 0) usage(argv[0]);
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            seed = strtoull(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db_arg = argv[++i];
        } else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 1, MAX_ROUNDS, &rounds) != 0) usage(argv[0]);
        } else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 1, 100000, &repeat) != 0) usage(argv[0]);
        } else if (strcmp(argv[i], "--before") == 0 && i + 1 < argc) {
            before = argv[++i];
        } else if (argv[i][0] == '-') {
            usage(argv[0]);
        } else if (!data_arg) {
            data_arg = argv[i];
        } else {
            usage(argv[0]);
        }
    }
    if (!rounds) rounds = before ? 5 : 1;
    if (before && access(before, X_OK) != 0) {
        fprintf(stderr, "--before %s: not an executable file\n", before);
        return 2;
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

    /* the prefix queries */
    size_t nq = (size_t)n_queries;
    char(*queries)[QMAX] = malloc(nq * sizeof *queries);
    char(*peer_queries)[QMAX * 2 + 4] = malloc(nq * sizeof *peer_queries);
    double *fow_us = malloc(nq * sizeof *fow_us);
    double *peer_us = malloc(nq * sizeof *peer_us);
    size_t n_word_timings = N_WORD_QUERIES * (size_t)repeat;
    double *word_us[2][N_WORD_CLASSES]; /* [fow / peer][class] */
    for (int e = 0; e < 2; e++)
        for (int c = 0; c < N_WORD_CLASSES; c++) word_us[e][c] = malloc(n_word_timings * sizeof(double));
    double *one_query_us = malloc((size_t)repeat * sizeof(double));
    if (!queries || !peer_queries || !fow_us || !peer_us || !one_query_us || !word_us[0][0] || !word_us[0][1] ||
        !word_us[1][0] || !word_us[1][1]) {
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
    char word_peer_queries[N_WORD_QUERIES][QMAX * 2 + 16];
    for (size_t i = 0; i < N_WORD_QUERIES; i++)
        peer_words_query_text(&p, WORD_QUERIES[i].text, word_peer_queries[i], sizeof word_peer_queries[i]);

    /* warm-up, untimed; the words set's answers, for the record */
    fow_search_hit hits[LIMIT];
    for (size_t i = 0; i < nq; i++) (void)fow_search(m, queries[i], FOW_KIND_ANY, hits, LIMIT, &err);
    for (size_t i = 0; i < nq; i++) (void)peer_run(&p, peer_queries[i]);
    long word_hits[N_WORD_QUERIES];
    int word_peer_hits[N_WORD_QUERIES];
    char word_first[N_WORD_QUERIES][160];
    for (size_t i = 0; i < N_WORD_QUERIES; i++) {
        word_hits[i] = fow_search(m, WORD_QUERIES[i].text, FOW_KIND_ANY, hits, LIMIT, &err);
        if (word_hits[i] > 0)
            snprintf(word_first[i], sizeof word_first[i], "%s (%s)", fow_model_text(m, m->terms[hits[0].term].label),
                     fow_match_name(hits[0].match));
        else
            snprintf(word_first[i], sizeof word_first[i], "%.150s", word_hits[i] < 0 ? err.message : "-");
        word_peer_hits[i] = peer_run(&p, word_peer_queries[i]);
    }
    double word_median_us[N_WORD_QUERIES] = {0};

    /* the rounds */
    round_pct r_fow = {0}, r_peer = {0}, r_before = {0}, r_before_peer = {0};
    round_pct r_words[2][N_WORD_CLASSES];
    memset(r_words, 0, sizeof r_words);
    size_t fow_errors = 0, fow_empty = 0, peer_empty = 0;
    long long fow_hits = 0, peer_hits = 0;
    char first_error[600] = "";
    bool before_uses_db = true, before_failed = false;
    for (long round = 0; round < rounds; round++) {
        bool before_first = before && round % 2 == 1;
        for (int turn = 0; turn < 2; turn++) {
            bool run_before = (turn == 0) == before_first;
            if (run_before) {
                if (!before || before_failed) continue;
                latency_stats bf, bp;
                if (before_round(before, db_path, data, n_queries, seed, &before_uses_db, &bf, &bp)) {
                    round_add(&r_before, bf);
                    round_add(&r_before_peer, bp);
                } else {
                    fprintf(stderr, "%s: no figures read from it; left out\n", before);
                    before_failed = true;
                }
                continue;
            }
            /* this build: the prefix queries, then the words set */
            if (round == 0) fow_errors = fow_empty = peer_empty = 0, fow_hits = peer_hits = 0;
            for (size_t i = 0; i < nq; i++) {
                long long t0 = bench_now_ns();
                long n = fow_search(m, queries[i], FOW_KIND_ANY, hits, LIMIT, &err);
                long long t1 = bench_now_ns();
                fow_us[i] = (double)(t1 - t0) / 1000.0;
                if (round) continue;
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
                if (round) continue;
                peer_hits += n;
                if (n == 0) peer_empty++;
            }
            round_add(&r_fow, stats_of(fow_us, nq));
            round_add(&r_peer, stats_of(peer_us, nq));
            size_t filled[2][N_WORD_CLASSES] = {{0}};
            for (size_t q = 0; q < N_WORD_QUERIES; q++) {
                word_query_class c = WORD_QUERIES[q].cls;
                for (long k = 0; k < repeat; k++) {
                    long long t0 = bench_now_ns();
                    (void)fow_search(m, WORD_QUERIES[q].text, FOW_KIND_ANY, hits, LIMIT, &err);
                    long long t1 = bench_now_ns();
                    one_query_us[k] = (double)(t1 - t0) / 1000.0;
                    word_us[0][c][filled[0][c]++] = one_query_us[k];
                }
                if (round == 0) word_median_us[q] = bench_median(one_query_us, (size_t)repeat);
                for (long k = 0; k < repeat; k++) {
                    long long t0 = bench_now_ns();
                    (void)peer_run(&p, word_peer_queries[q]);
                    long long t1 = bench_now_ns();
                    word_us[1][c][filled[1][c]++] = (double)(t1 - t0) / 1000.0;
                }
            }
            for (int e = 0; e < 2; e++)
                for (int c = 0; c < N_WORD_CLASSES; c++) round_add(&r_words[e][c], stats_of(word_us[e][c], filled[e][c]));
        }
    }

    const char *peer_name = p.fts5 ? "SQLite FTS5 \"q\"* LIMIT 10" : "SQLite LIKE q||'%' LIMIT 10 (no FTS5)";
    size_t n_class[N_WORD_CLASSES] = {0};
    for (size_t q = 0; q < N_WORD_QUERIES; q++) n_class[WORD_QUERIES[q].cls]++;

    printf("bench_search: fow_search vs %s%s\n", p.fts5 ? "SQLite FTS5 prefix queries" : "SQLite LIKE prefix queries",
           before ? ", and vs the fow_search of an earlier build" : "");
    printf("database: %s%s\n", db_path, db_arg ? "" : " (imported from the data by a child process)");
    if (data) printf("data:     %s\n", data);
    printf("sqlite:   %s, FTS5 %s\n", sqlite3_libversion(),
           p.fts5 ? "available" : "NOT available: the peer is label LIKE ?||'%' on an indexed table");
    printf("model:    %u terms (labels) indexed by both, %u word entries in fow\n", m->n_terms, m->n_words);
    printf("queries:  %zu prefix queries (seed %llu; prefix length 1..6 chars: %zu/%zu/%zu/%zu/%zu/%zu; %zu candidates "
           "without an ASCII letter or digit skipped)\n",
           nq, (unsigned long long)seed, by_len[1], by_len[2], by_len[3], by_len[4], by_len[5], by_len[6],
           skipped);
    printf("          %zu words queries (%zu any order, %zu typo), each timed %ld times a round\n", N_WORD_QUERIES,
           n_class[WORDS_ANY_ORDER], n_class[WORDS_TYPO], repeat);
    printf("          each engine: one untimed warm-up pass, then %ld timed round%s, kind any, limit %d\n", rounds,
           rounds == 1 ? "" : "s", LIMIT);
    if (before)
        printf("before:   %s --db DB --queries %zu --seed %llu, %s, one run per round, turns alternating%s\n",
               before, nq, (unsigned long long)seed,
               before_uses_db ? "on the same database" : "on its own import (it refused this database)",
               before_failed ? " (FAILED: see stderr)" : "");
    printf("\n");

    printf("%-52s %9s %9s\n", rounds > 1 ? "latency per query (µs), median of the rounds'" : "latency per query (µs)",
           "p50", "p99");
    printf("prefix queries\n");
    printf("  %-50s %9.2f %9.2f\n", "fow_search", round_median(&r_fow, 50), round_median(&r_fow, 99));
    if (r_before.n)
        printf("  %-50s %9.2f %9.2f\n", "fow_search, earlier build (--before)", round_median(&r_before, 50),
               round_median(&r_before, 99));
    printf("  %-50s %9.2f %9.2f\n", peer_name, round_median(&r_peer, 50), round_median(&r_peer, 99));
    if (r_before_peer.n)
        printf("  %-50s %9.2f %9.2f\n", "the same, in the earlier build's run", round_median(&r_before_peer, 50),
               round_median(&r_before_peer, 99));
    for (int c = 0; c < N_WORD_CLASSES; c++) {
        printf("%s queries\n", WORD_CLASS_NAME[c]);
        printf("  %-50s %9.2f %9.2f\n", "fow_search", round_median(&r_words[0][c], 50), round_median(&r_words[0][c], 99));
        printf("  %-50s %9.2f %9.2f\n", p.fts5 ? "SQLite FTS5 \"w1\"* \"w2\"* ... LIMIT 10" : peer_name,
               round_median(&r_words[1][c], 50), round_median(&r_words[1][c], 99));
    }

    printf("\nhits of the prefix queries: fow %lld (%zu queries with none, %zu errors), peer %lld (%zu queries with "
           "none)\n",
           fow_hits, fow_empty, fow_errors, peer_hits, peer_empty);
    if (fow_errors) printf("first fow_search error: %s\n", first_error);
    printf("\n%-20s %-10s %7s %10s  %-44s %5s\n", "words query", "class", "fow µs", "fow hits", "fow's first hit (match)",
           "peer");
    for (size_t q = 0; q < N_WORD_QUERIES; q++)
        printf("%-20s %-10s %7.2f %10ld  %-44s %5d\n", WORD_QUERIES[q].text, WORD_CLASS_NAME[WORD_QUERIES[q].cls],
               word_median_us[q], word_hits[q], word_first[q], word_peer_hits[q]);
    printf("(fow µs: the median of the query's %ld timings in the first round; hits: at most %d)\n\n", repeat, LIMIT);

    double fp50 = round_median(&r_fow, 50), fp99 = round_median(&r_fow, 99);
    printf("ratio fow/peer, prefix queries: p50 %.2f, p99 %.2f\n", fp50 / round_median(&r_peer, 50),
           fp99 / round_median(&r_peer, 99));
    if (r_before.n)
        printf("ratio this build/earlier build, prefix queries: p50 %.2f, p99 %.2f\n",
               fp50 / round_median(&r_before, 50), fp99 / round_median(&r_before, 99));
    double worst_p99 = fp99;
    for (int c = 0; c < N_WORD_CLASSES; c++)
        if (round_median(&r_words[0][c], 99) > worst_p99) worst_p99 = round_median(&r_words[0][c], 99);
    printf("goal fow p99 <= %.0f µs: prefix queries %s (%.2f µs); every set %s (worst p99 %.2f µs)\n", GOAL_P99_US,
           bench_met(fp99 <= GOAL_P99_US), fp99, bench_met(worst_p99 <= GOAL_P99_US), worst_p99);

    sqlite3_finalize(p.query);
    sqlite3_close(p.db);
    fow_model_free(m);
    free(queries);
    free(peer_queries);
    free(fow_us);
    free(peer_us);
    free(one_query_us);
    for (int e = 0; e < 2; e++)
        for (int c = 0; c < N_WORD_CLASSES; c++) free(word_us[e][c]);
    if (!db_arg) {
        bench_remove_db(db_path);
        rmdir(dir);
    }
    return 0;
}
