/* bench_redeem_http.c — voucher redemptions per second over HTTP under
 * contention (issue 14's second benchmark), with the exactness check,
 * against the same redemptions done in process through the library in the
 * same run (and against a pool of open connections). Run by bench/bench_redeem_http.sh, which prepares the database
 * (demo catalogue, the people with their consents), an administrator's API
 * token and `fow serve`, and runs `fow check` on the ledger afterwards.
 *
 *   bench_redeem_http --db DB --port PORT --token TOKEN --people FILE
 *                     [--rounds R] [--cover K] [--hot N] [--module CODE] [--pool-threads T]
 *
 * FILE: people ids, one a line; the last is the beneficiary of the "hot"
 * voucher, the others (P) of the "spread" vouchers. Each round, one run
 * after the other so that the ratios compare runs made under the same load
 * of the machine, for each of "http" and "library":
 *  - a budget line's vouchers are issued (in process, not measured): P
 *    vouchers worth K redemptions each (K x 100 lei) and one hot voucher
 *    worth 3 redemptions; max(K + 1, N) new cohorts of CODE are added;
 *  - "spread": P x (K + 1) requests at once, voucher i asking to be redeemed
 *    (100 lei) for its beneficiary's enrolment in each of K + 1 cohorts: one
 *    thread and one connection (HTTP/1.1, Connection: close) per request,
 *    released together by a barrier. Exact when every voucher has exactly K
 *    successes (201) and one refusal (409, field amount), nothing else;
 *  - "hot": N requests at once for the one hot voucher, each for another
 *    cohort. Exact when exactly 3 succeed and N - 3 are refused;
 *  - "library" (peer) does the same requests with the same threads, each
 *    opening its database connection and the people records and calling
 *    fow_voucher_redeem (one BEGIN IMMEDIATE transaction), without HTTP;
 *  - "pool" (peer) does them on T threads (--pool-threads, default the
 *    cores) that opened their connections beforehand and take the requests
 *    in turn: the redemption transactions alone, as a lower bound.
 * Then every voucher's balance is read back from the ledger: 0 for every
 * voucher (all K, or 3, redemptions taken, none more). Prints each run's
 * requests per second (N / the time from the first request sent to the
 * last answer), successes per second and the p50 / p99 latency; the medians
 * and the ratios http / library and http / pool. Exits 1 when an exactness check fails.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "accounts/fow_accounts.h"
#include "bench_util.h"
#include "people/fow_people.h"
#include "training/fow_cohort.h"
#include "training/fow_training.h"
#include "vouchers/fow_vouchers.h"

#define MAX_PEOPLE 500
#define MAX_ROUNDS 50
#define MAX_REQUESTS 2000
#define RESPONSE_MAX 16384
#define AMOUNT_MINOR 10000 /* 100 lei a redemption */
#define HOT_COVER 3

static int g_port;
static const char *g_token;
static const char *g_db_path;
static char g_key_path[4096];
static const fow_training_catalogue *g_catalogue;

/* One HTTP/1.1 request on a new connection as the token's user
 * (bench_http_bearer): the status (0 on a socket error) and up to cap-1
 * bytes of the body into body. */
static int http(const char *method, const char *path, const char *json, char *body, size_t cap) {
    static __thread char response[RESPONSE_MAX];
    return bench_http_bearer(g_port, g_token, method, path, json, response, sizeof response, body, cap);
}

/* ---- a burst of requests, one thread each ------------------------------------------ */

typedef enum { SUCCESS, REFUSED, OTHER } outcome;

typedef struct request {
    const char *code; /* the voucher's code */
    int voucher;      /* its index in the burst's vouchers */
    int64_t cohort;
    char key[64];
    long long start_ns, end_ns;
    outcome result;
    char what[320]; /* for OTHER: the status and message */
} request;

typedef enum { RUN_HTTP, RUN_LIBRARY, RUN_POOL } run_kind;
static const char *const run_names[] = {"http", "library", "pool"};
static int g_pool_threads = 2;

typedef struct burst {
    run_kind kind;
    int n;
    request *requests;
    pthread_barrier_t start;
} burst;

typedef struct shot {
    burst *b;
    int i;
} shot;

/* Redeems request q through the library on db, as the server does for one request. */
static void redeem_in_process(fow_db *db, fow_people *people, request *q) {
    fow_error err;
    fow_error_clear(&err);
    fow_cohort_actor who = {.staff = {.name = "bench", .organisation = "", .all_organisations = true},
                            .role = FOW_ROLE_ADMIN};
    fow_redeem_in in = {.code = q->code, .cohort_id = q->cohort, .amount_minor = AMOUNT_MINOR, .key = q->key};
    fow_redemption r;
    bool replayed = false;
    fow_code rc = fow_voucher_redeem(db, people, &who, g_catalogue, &in, (int64_t)time(NULL), &r, &replayed, &err);
    q->result = !rc && !replayed                                       ? SUCCESS
                : rc == FOW_EINPUT && strcmp(err.field, "amount") == 0 ? REFUSED
                                                                       : OTHER;
    if (q->result == OTHER)
        snprintf(q->what, sizeof q->what, "code %d, field %s: %.100s", (int)rc, err.field, err.message);
}

static void *fire(void *arg) {
    shot *s = arg;
    request *q = &s->b->requests[s->i];
    fow_db *db = NULL;
    fow_people *people = NULL;
    pthread_barrier_wait(&s->b->start);
    q->start_ns = bench_now_ns();
    if (s->b->kind == RUN_HTTP) {
        char path[96], json[192], body[2048];
        snprintf(path, sizeof path, "/api/v1/vouchers/%s/redemptions", q->code);
        snprintf(json, sizeof json, "{\"cohort_id\":%" PRId64 ",\"amount_minor\":%d,\"key\":\"%s\"}", q->cohort,
                 AMOUNT_MINOR, q->key);
        int status = http("POST", path, json, body, sizeof body);
        q->result = status == 201                                           ? SUCCESS
                    : status == 409 && strstr(body, "\"field\":\"amount\"") ? REFUSED
                                                                            : OTHER;
        if (q->result == OTHER) snprintf(q->what, sizeof q->what, "HTTP %d: %.120s", status, body);
    } else {
        fow_error err;
        fow_error_clear(&err);
        if (fow_db_open(&db, g_db_path, false, &err) || fow_people_open(db, g_key_path, &people, &err)) {
            q->result = OTHER;
            snprintf(q->what, sizeof q->what, "open: %.200s", err.message);
        } else {
            redeem_in_process(db, people, q);
        }
        fow_people_close(people);
        fow_db_close(db);
    }
    q->end_ns = bench_now_ns();
    return NULL;
}

/* ---- the pooled library peer: T threads, each with its connection open -------------- */

typedef struct pool {
    burst *b;
    int next; /* the next request to take (__atomic) */
    long long start_ns;
    pthread_barrier_t ready;
} pool;

static void *pool_worker(void *arg) {
    pool *p = arg;
    fow_db *db = NULL;
    fow_people *people = NULL;
    fow_error err;
    fow_error_clear(&err);
    if (fow_db_open(&db, g_db_path, false, &err) || fow_people_open(db, g_key_path, &people, &err)) {
        fprintf(stderr, "bench_redeem_http: pool: %s\n", err.message);
        exit(2);
    }
    pthread_barrier_wait(&p->ready);
    for (;;) {
        int i = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);
        if (i >= p->b->n) break;
        request *q = &p->b->requests[i];
        q->start_ns = p->start_ns; /* every request arrived at once, at the start: latency includes the queue */
        redeem_in_process(db, people, q);
        q->end_ns = bench_now_ns();
    }
    fow_people_close(people);
    fow_db_close(db);
    return NULL;
}

typedef struct burst_result {
    double per_second, successes_per_second, p50_ms, p99_ms;
    int successes, refused, other;
} burst_result;

static burst_result summarise(const burst *b) {
    burst_result r = {0};
    long long first = 0, last = 0;
    double *lat = bench_xmalloc((size_t)b->n * sizeof *lat);
    for (int i = 0; i < b->n; i++) {
        const request *q = &b->requests[i];
        if (!first || q->start_ns < first) first = q->start_ns;
        if (q->end_ns > last) last = q->end_ns;
        lat[i] = (double)(q->end_ns - q->start_ns) / 1e6;
        r.successes += q->result == SUCCESS;
        r.refused += q->result == REFUSED;
        if (q->result == OTHER && r.other++ < 3) fprintf(stderr, "  unexpected answer: %s\n", q->what);
    }
    bench_sort(lat, (size_t)b->n);
    double seconds = (double)(last - first) / 1e9;
    r.per_second = (double)b->n / seconds;
    r.successes_per_second = (double)r.successes / seconds;
    r.p50_ms = bench_percentile_sorted(lat, (size_t)b->n, 50);
    r.p99_ms = bench_percentile_sorted(lat, (size_t)b->n, 99);
    free(lat);
    return r;
}

static burst_result run_burst(burst *b) {
    if (b->kind == RUN_POOL) {
        pool p = {.b = b};
        pthread_t threads[64];
        pthread_barrier_init(&p.ready, NULL, (unsigned)g_pool_threads + 1);
        for (int i = 0; i < g_pool_threads; i++)
            if (pthread_create(&threads[i], NULL, pool_worker, &p) != 0) {
                fprintf(stderr, "bench_redeem_http: cannot start thread %d\n", i);
                exit(2);
            }
        p.start_ns = bench_now_ns();
        pthread_barrier_wait(&p.ready);
        for (int i = 0; i < g_pool_threads; i++) pthread_join(threads[i], NULL);
        pthread_barrier_destroy(&p.ready);
        return summarise(b);
    }
    pthread_t *threads = bench_xmalloc((size_t)b->n * sizeof *threads);
    shot *shots = bench_xmalloc((size_t)b->n * sizeof *shots);
    pthread_barrier_init(&b->start, NULL, (unsigned)b->n);
    for (int i = 0; i < b->n; i++) {
        shots[i] = (shot){.b = b, .i = i};
        if (pthread_create(&threads[i], NULL, fire, &shots[i]) != 0) {
            fprintf(stderr, "bench_redeem_http: cannot start thread %d\n", i);
            exit(2);
        }
    }
    for (int i = 0; i < b->n; i++) pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&b->start);
    free(shots);
    free(threads);
    return summarise(b);
}

/* ---- set-up of a run (not measured) ------------------------------------------------ */

typedef struct bench {
    fow_db *db;
    fow_people *people;
    int64_t line;
    const char *module;
    char (*ids)[FOW_PERSON_ID_CHARS + 1];
    int n_spread; /* P */
    int cover;    /* K */
    int hot;      /* N */
} bench;

static void die(const char *what, const fow_error *err) {
    fprintf(stderr, "bench_redeem_http: %s: %s\n", what, err->message);
    exit(2);
}

static void issue(bench *bx, const char *person, int64_t value, char code[FOW_VOUCHER_CODE_CHARS + 1]) {
    fow_error err;
    fow_error_clear(&err);
    fow_people_staff staff = {.name = "bench", .organisation = "", .all_organisations = true};
    fow_voucher_issue_in in = {.line_id = bx->line, .person = person, .value_minor = value, .valid_from = "2000-01-01",
                               .valid_until = "2100-12-31", .min_attendance_percent = -1, .active = true};
    fow_voucher v;
    if (fow_voucher_issue(bx->db, bx->people, &staff, NULL, &in, "bench", (int64_t)time(NULL), &v, &err))
        die("issue a voucher", &err);
    snprintf(code, FOW_VOUCHER_CODE_CHARS + 1, "%s", v.code);
}

static void add_cohorts(bench *bx, int64_t *cohorts, int n) {
    fow_error err;
    fow_error_clear(&err);
    fow_cohort_actor admin = {.staff = {.name = "bench", .organisation = "", .all_organisations = true},
                              .role = FOW_ROLE_ADMIN};
    fow_cohort_input in = {.module = bx->module, .starts_on = "2027-05-03", .ends_on = "2027-06-30", .capacity = 1000};
    for (int i = 0; i < n; i++)
        if (fow_cohort_add(bx->db, &admin, g_catalogue, &in, (long long)time(NULL), &cohorts[i], &err))
            die("add a cohort", &err);
}

static int64_t balance_of(bench *bx, const char *code) {
    fow_error err;
    fow_error_clear(&err);
    fow_voucher v;
    if (fow_voucher_by_code(bx->db, code, &v, &err)) die("read a voucher", &err);
    return v.balance_minor;
}

static int failures;

static void expect(bool ok, const char *what, int round, const char *run) {
    if (!ok) {
        fprintf(stderr, "round %d, %s: NOT exact: %s\n", round, run, what);
        failures++;
    }
}

typedef struct run_result {
    burst_result spread, hot;
} run_result;

static run_result one_run(bench *bx, run_kind kind, int round) {
    const char *run = run_names[kind];
    int n_cohorts = bx->cover + 1 > bx->hot ? bx->cover + 1 : bx->hot;
    int64_t *cohorts = bench_xmalloc((size_t)n_cohorts * sizeof *cohorts);
    add_cohorts(bx, cohorts, n_cohorts);
    char (*codes)[FOW_VOUCHER_CODE_CHARS + 1] = bench_xmalloc((size_t)(bx->n_spread + 1) * sizeof *codes);
    for (int i = 0; i < bx->n_spread; i++) issue(bx, bx->ids[i], (int64_t)bx->cover * AMOUNT_MINOR, codes[i]);
    issue(bx, bx->ids[bx->n_spread], HOT_COVER * AMOUNT_MINOR, codes[bx->n_spread]);

    run_result out;
    /* spread: each voucher asked for K + 1 cohorts, interleaved so that a voucher's requests are apart */
    burst s = {.kind = kind, .n = bx->n_spread * (bx->cover + 1)};
    s.requests = calloc((size_t)s.n, sizeof *s.requests);
    for (int j = 0, k = 0; j <= bx->cover; j++)
        for (int i = 0; i < bx->n_spread; i++, k++) {
            request *q = &s.requests[k];
            q->code = codes[i];
            q->voucher = i;
            q->cohort = cohorts[j];
            snprintf(q->key, sizeof q->key, "bench-%s-%d-s-%d-%d", run, round, i, j);
        }
    out.spread = run_burst(&s);
    int *per_voucher = calloc((size_t)bx->n_spread, sizeof *per_voucher);
    for (int k = 0; k < s.n; k++) per_voucher[s.requests[k].voucher] += s.requests[k].result == SUCCESS;
    bool each_k = true;
    for (int i = 0; i < bx->n_spread; i++) each_k = each_k && per_voucher[i] == bx->cover;
    expect(each_k, "every spread voucher redeemed exactly K times", round, run);
    expect(out.spread.refused == bx->n_spread && out.spread.other == 0, "one refusal (amount) a voucher, nothing else",
           round, run);
    bool empty = true;
    for (int i = 0; i < bx->n_spread; i++) empty = empty && balance_of(bx, codes[i]) == 0;
    expect(empty, "every spread voucher's ledger balance 0", round, run);
    free(per_voucher);
    free(s.requests);

    /* hot: N requests for one voucher worth 3 */
    burst h = {.kind = kind, .n = bx->hot};
    h.requests = calloc((size_t)h.n, sizeof *h.requests);
    for (int i = 0; i < h.n; i++) {
        request *q = &h.requests[i];
        q->code = codes[bx->n_spread];
        q->cohort = cohorts[i];
        snprintf(q->key, sizeof q->key, "bench-%s-%d-h-%d", run, round, i);
    }
    out.hot = run_burst(&h);
    expect(out.hot.successes == HOT_COVER, "exactly 3 successes on the hot voucher", round, run);
    expect(out.hot.refused == bx->hot - HOT_COVER && out.hot.other == 0, "the rest refused (amount)", round, run);
    expect(balance_of(bx, codes[bx->n_spread]) == 0, "the hot voucher's ledger balance 0", round, run);
    free(h.requests);
    free(codes);
    free(cohorts);
    printf("%5d  %-8s %-7s %6d %9.0f %10.0f %8.1f %8.1f  %d ok, %d refused\n", round, run, "spread", s.n,
           out.spread.per_second, out.spread.successes_per_second, out.spread.p50_ms, out.spread.p99_ms,
           out.spread.successes, out.spread.refused);
    printf("%5d  %-8s %-7s %6d %9.0f %10.0f %8.1f %8.1f  %d ok, %d refused\n", round, run, "hot", h.n, out.hot.per_second,
           out.hot.successes_per_second, out.hot.p50_ms, out.hot.p99_ms, out.hot.successes, out.hot.refused);
    fflush(stdout);
    return out;
}

int main(int argc, char **argv) {
    const char *people_file = NULL;
    long rounds = 5, cover = 3, hot = 200, pool_threads = sysconf(_SC_NPROCESSORS_ONLN);
    bench bx = {.module = "CP-BIZ"};
    for (int i = 1; i < argc; i += 2) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            fprintf(stderr, "bench_redeem_http: %s needs a value\n", argv[i]);
            return 2;
        }
        if (strcmp(argv[i], "--db") == 0) g_db_path = v;
        else if (strcmp(argv[i], "--port") == 0) g_port = atoi(v);
        else if (strcmp(argv[i], "--token") == 0) g_token = v;
        else if (strcmp(argv[i], "--people") == 0) people_file = v;
        else if (strcmp(argv[i], "--module") == 0) bx.module = v;
        else if (strcmp(argv[i], "--pool-threads") == 0 && bench_parse_count(v, 1, 64, &pool_threads) == 0) {}
        else if (strcmp(argv[i], "--rounds") == 0 && bench_parse_count(v, 1, MAX_ROUNDS, &rounds) == 0) {}
        else if (strcmp(argv[i], "--cover") == 0 && bench_parse_count(v, 1, 50, &cover) == 0) {}
        else if (strcmp(argv[i], "--hot") == 0 && bench_parse_count(v, HOT_COVER + 1, MAX_REQUESTS, &hot) == 0) {}
        else {
            fprintf(stderr, "bench_redeem_http: unknown or bad option %s\n", argv[i]);
            return 2;
        }
    }
    if (!g_db_path || !g_port || !g_token || !people_file) {
        fprintf(stderr, "usage: bench_redeem_http --db DB --port PORT --token TOKEN --people FILE [--rounds R] "
                        "[--cover K] [--hot N] [--module CODE]\n");
        return 2;
    }
    static char ids[MAX_PEOPLE][FOW_PERSON_ID_CHARS + 1];
    int n = 0;
    FILE *f = fopen(people_file, "r");
    char line[128];
    while (f && n < MAX_PEOPLE && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strlen(line) == FOW_PERSON_ID_CHARS) snprintf(ids[n++], sizeof ids[0], "%s", line);
    }
    if (f) fclose(f);
    if (n < 2 || (long)(n - 1) * (cover + 1) > MAX_REQUESTS) {
        fprintf(stderr, "bench_redeem_http: %d people in %s: need 2 or more, and (people - 1) x (K + 1) at most %d\n", n,
                people_file, MAX_REQUESTS);
        return 2;
    }
    g_pool_threads = pool_threads < 1 ? 1 : pool_threads > 64 ? 64 : (int)pool_threads;
    bx.ids = ids;
    bx.n_spread = n - 1;
    bx.cover = (int)cover;
    bx.hot = (int)hot;
    fow_error err;
    fow_error_clear(&err);
    fow_training_catalogue catalogue;
    memset(&catalogue, 0, sizeof catalogue);
    if (fow_people_key_path(g_db_path, g_key_path, sizeof g_key_path, &err) ||
        fow_db_open(&bx.db, g_db_path, false, &err) || fow_people_open(bx.db, g_key_path, &bx.people, &err) ||
        fow_training_load(bx.db, &catalogue, &err))
        die("open the database", &err);
    g_catalogue = &catalogue;
    if (!fow_training_module_by_code(&catalogue, bx.module)) {
        fprintf(stderr, "bench_redeem_http: module %s is not in the catalogue\n", bx.module);
        return 2;
    }
    /* a fund and a line large enough for every voucher of every round */
    int64_t per_run = ((int64_t)bx.n_spread * bx.cover + HOT_COVER) * AMOUNT_MINOR;
    int64_t fund;
    char name[64];
    snprintf(name, sizeof name, "bench fund %lld", (long long)time(NULL));
    if (fow_voucher_fund_create(bx.db, name, "RON", "bench_redeem_http", "bench", (int64_t)time(NULL), &fund, &err) ||
        fow_budget_line_add(bx.db, fund, "learning_module", 2027, per_run * 3 * rounds, NULL, "bench", (int64_t)time(NULL),
                            &bx.line, &err))
        die("add the fund and its line", &err);

    printf("Voucher redemptions under contention, each request on its own connection and thread:\n"
           "  spread: %d vouchers worth %d redemptions each, each asked for %d cohorts at once (%d requests);\n"
           "  hot:    one voucher worth %d redemptions asked for %d cohorts at once.\n"
           "%ld rounds of: http (POST /api/v1/vouchers/{code}/redemptions), library (fow_voucher_redeem in process, a\n"
           "thread and a connection per request), pool (fow_voucher_redeem on %d threads with open connections).\n\n",
           bx.n_spread, bx.cover, bx.cover + 1, bx.n_spread * (bx.cover + 1), HOT_COVER, bx.hot, rounds, g_pool_threads);
    printf("%5s  %-8s %-7s %6s %9s %10s %8s %8s  %s\n", "round", "run", "burst", "reqs", "req/s", "success/s", "p50 ms",
           "p99 ms", "outcome");
    double spread[3][MAX_ROUNDS], hot_rate[3][MAX_ROUNDS], made[3][MAX_ROUNDS];
    for (int round = 1; round <= rounds; round++)
        for (int k = RUN_HTTP; k <= RUN_POOL; k++) {
            run_result x = one_run(&bx, (run_kind)k, round);
            spread[k][round - 1] = x.spread.per_second;
            made[k][round - 1] = x.spread.successes_per_second;
            hot_rate[k][round - 1] = x.hot.per_second;
        }
    size_t r = (size_t)rounds;
    double ms[3], mm[3], mh[3];
    for (int k = 0; k < 3; k++) {
        ms[k] = bench_median(spread[k], r);
        mm[k] = bench_median(made[k], r);
        mh[k] = bench_median(hot_rate[k], r);
    }
    printf("\nmedians of %ld rounds (requests answered per second; redemptions/s: the successes):\n", rounds);
    for (int k = 0; k < 3; k++)
        printf("  %-8s spread %6.0f req/s (%5.0f redemptions/s)   hot %6.0f req/s\n", run_names[k], ms[k], mm[k], mh[k]);
    printf("ratio http / library: spread %.2f, hot %.2f (library: a thread, a database connection and the\n"
           "                      people records opened per request, all at once, as the burst's clients)\n",
           ms[RUN_HTTP] / ms[RUN_LIBRARY], mh[RUN_HTTP] / mh[RUN_LIBRARY]);
    printf("ratio http / pool:    spread %.2f, hot %.2f (pool: %d threads with their connections open, taking\n"
           "                      the requests in turn: the redemption transactions alone, no HTTP)\n",
           ms[RUN_HTTP] / ms[RUN_POOL], mh[RUN_HTTP] / mh[RUN_POOL], g_pool_threads);
    printf("exactness: %s\n", failures ? "FAILED" : "every round exact (K per spread voucher, 3 on the hot voucher, "
                                                    "every other request refused for its amount, balances 0)");
    fow_training_free(&catalogue);
    fow_people_close(bx.people);
    fow_db_close(bx.db);
    return failures ? 1 : 0;
}
