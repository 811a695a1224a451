/* bench_enrol.c — enrolment under contention (issue 13's benchmark), with
 * the exactness check, against two peers in the same run. Run by
 * bench/bench_enrol.sh, which prepares the database, the people, a
 * counsellor's API token and `fow serve`.
 *
 *   bench_enrol --db DB --port PORT --token TOKEN --people FILE [--rounds R] [--seats S]
 *
 * Each round, one after the other so that the ratios compare runs made
 * under the same load of the machine:
 *  1. "http enrol": a new cohort of S seats (POST /api/v1/cohorts), then
 *     every person of FILE (N, one id a line) asks for a seat at once: N
 *     threads, each its own connection (HTTP/1.1, Connection: close),
 *     released together by a barrier, POST /api/v1/cohorts/{id}/enrolments.
 *     Exactness: every answer 201, exactly S "enrolled" and N - S
 *     "waiting", N distinct people; then the same N requests again: every
 *     answer 200 with created false, and the cohort's public counts still S
 *     enrolled and N - S waiting.
 *  2. "http read" (peer): the same N threads and connections asking
 *     GET /api/v1/cohorts/{id} (a plain public read of the same cohort).
 *  3. "library enrol" (peer): a new cohort, and the same N enrolments in
 *     process: N threads each opening its connection and the people records
 *     and calling fow_cohort_enrol (the count and insert in one BEGIN
 *     IMMEDIATE transaction), as the server does per request, without HTTP.
 * Reports per run the requests per second of the burst (N / the time from
 * the first request sent to the last answer) and the p50 / p99 latency;
 * then the medians and the ratios http enrol / http read and http enrol /
 * library enrol. Exits 1 when an exactness check fails.
 */
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

#define MAX_PEOPLE 1000
#define MAX_ROUNDS 50
#define RESPONSE_MAX 65536

static int g_port;
static const char *g_token;

/* One HTTP/1.1 request on a new connection as the token's user
 * (bench_http_bearer): the status (0 on a socket error) and up to cap-1
 * bytes of the body into body. */
static int http(const char *method, const char *path, const char *json, char *body, size_t cap) {
    static __thread char response[RESPONSE_MAX];
    return bench_http_bearer(g_port, g_token, method, path, json, response, sizeof response, body, cap);
}

/* The integer after "key": in json (the first one), or -1. */
static long long json_int(const char *json, const char *key) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(json, pat);
    return p ? atoll(p + strlen(pat)) : -1;
}

/* ---- a burst of N threads -------------------------------------------------------- */

typedef enum { BURST_HTTP_ENROL, BURST_HTTP_READ, BURST_LIBRARY_ENROL } burst_kind;

typedef struct burst burst;
typedef struct shot {
    burst *b;
    int i;
    long long start_ns, end_ns;
    int status;
    bool enrolled, waiting, created;
} shot;

struct burst {
    burst_kind kind;
    int64_t cohort;
    char (*people)[FOW_PERSON_ID_CHARS + 1];
    int n;
    pthread_barrier_t start;
    shot *shots;
    const char *db_path, *key_path;
};

static void *fire(void *arg) {
    shot *s = arg;
    burst *b = s->b;
    char body[4096];
    pthread_barrier_wait(&b->start);
    s->start_ns = bench_now_ns();
    if (b->kind == BURST_HTTP_ENROL) {
        char path[96], json[96];
        snprintf(path, sizeof path, "/api/v1/cohorts/%lld/enrolments", (long long)b->cohort);
        snprintf(json, sizeof json, "{\"person\":\"%s\"}", b->people[s->i]);
        s->status = http("POST", path, json, body, sizeof body);
        s->enrolled = strstr(body, "\"status\":\"enrolled\"") != NULL;
        s->waiting = strstr(body, "\"status\":\"waiting\"") != NULL;
        s->created = strstr(body, "\"created\":true") != NULL;
    } else if (b->kind == BURST_HTTP_READ) {
        char path[64];
        snprintf(path, sizeof path, "/api/v1/cohorts/%lld", (long long)b->cohort);
        s->status = http("GET", path, NULL, body, sizeof body);
    } else {
        fow_error err;
        fow_error_clear(&err);
        fow_db *db = NULL;
        fow_people *people = NULL;
        fow_cohort_actor who = {.staff = {.name = "bench", .organisation = "Bench"}, .role = FOW_ROLE_COUNSELLOR};
        fow_enrolment e;
        bool created = false;
        fow_code rc = fow_db_open(&db, b->db_path, false, &err);
        if (!rc) rc = fow_people_open(db, b->key_path, &people, &err);
        if (!rc) rc = fow_cohort_enrol(db, people, &who, b->cohort, b->people[s->i], (long long)time(NULL), &e, &created, &err);
        if (rc) fprintf(stderr, "library enrol: %s\n", err.message);
        s->status = rc ? 500 : 201;
        s->enrolled = !rc && e.status == FOW_ENROLMENT_ENROLLED;
        s->waiting = !rc && e.status == FOW_ENROLMENT_WAITING;
        s->created = created;
        fow_people_close(people);
        fow_db_close(db);
    }
    s->end_ns = bench_now_ns();
    return NULL;
}

typedef struct burst_result {
    double per_second, p50_ms, p99_ms;
    int status_ok, enrolled, waiting, created;
} burst_result;

static burst_result run_burst(burst *b, int want_status) {
    pthread_t *threads = bench_xmalloc((size_t)b->n * sizeof *threads);
    b->shots = calloc((size_t)b->n, sizeof *b->shots);
    pthread_barrier_init(&b->start, NULL, (unsigned)b->n);
    for (int i = 0; i < b->n; i++) {
        b->shots[i] = (shot){.b = b, .i = i};
        if (pthread_create(&threads[i], NULL, fire, &b->shots[i]) != 0) {
            fprintf(stderr, "cannot start thread %d\n", i);
            exit(2);
        }
    }
    burst_result r = {0};
    long long first = 0, last = 0;
    double *lat = bench_xmalloc((size_t)b->n * sizeof *lat);
    for (int i = 0; i < b->n; i++) {
        pthread_join(threads[i], NULL);
        shot *s = &b->shots[i];
        if (!first || s->start_ns < first) first = s->start_ns;
        if (s->end_ns > last) last = s->end_ns;
        lat[i] = (double)(s->end_ns - s->start_ns) / 1e6;
        r.status_ok += s->status == want_status;
        r.enrolled += s->enrolled;
        r.waiting += s->waiting;
        r.created += s->created;
    }
    bench_sort(lat, (size_t)b->n);
    r.per_second = (double)b->n / ((double)(last - first) / 1e9);
    r.p50_ms = bench_percentile_sorted(lat, (size_t)b->n, 50);
    r.p99_ms = bench_percentile_sorted(lat, (size_t)b->n, 99);
    pthread_barrier_destroy(&b->start);
    free(lat);
    free(threads);
    free(b->shots);
    return r;
}

static int failures;

static void expect(bool ok, const char *what, int round) {
    if (!ok) {
        fprintf(stderr, "round %d: NOT exact: %s\n", round, what);
        failures++;
    }
}

int main(int argc, char **argv) {
    const char *db_path = NULL, *people_file = NULL;
    long rounds = 5, seats = 20;
    for (int i = 1; i < argc; i += 2) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            fprintf(stderr, "bench_enrol: %s needs a value\n", argv[i]);
            return 2;
        }
        if (strcmp(argv[i], "--db") == 0) db_path = v;
        else if (strcmp(argv[i], "--port") == 0) g_port = atoi(v);
        else if (strcmp(argv[i], "--token") == 0) g_token = v;
        else if (strcmp(argv[i], "--people") == 0) people_file = v;
        else if (strcmp(argv[i], "--rounds") == 0 && bench_parse_count(v, 1, MAX_ROUNDS, &rounds) == 0) {}
        else if (strcmp(argv[i], "--seats") == 0 && bench_parse_count(v, 1, 1000, &seats) == 0) {}
        else {
            fprintf(stderr, "bench_enrol: unknown or bad option %s\n", argv[i]);
            return 2;
        }
    }
    if (!db_path || !g_port || !g_token || !people_file) {
        fprintf(stderr, "usage: bench_enrol --db DB --port PORT --token TOKEN --people FILE [--rounds R] [--seats S]\n");
        return 2;
    }
    static char people[MAX_PEOPLE][FOW_PERSON_ID_CHARS + 1];
    int n = 0;
    FILE *f = fopen(people_file, "r");
    char line[128];
    while (f && n < MAX_PEOPLE && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strlen(line) == FOW_PERSON_ID_CHARS) snprintf(people[n++], sizeof people[0], "%s", line);
    }
    if (f) fclose(f);
    if (n <= seats) {
        fprintf(stderr, "bench_enrol: %d people in %s, need more than the %ld seats\n", n, people_file, seats);
        return 2;
    }
    char key_path[4096];
    fow_error err;
    fow_error_clear(&err);
    fow_db *db = NULL;
    fow_training_catalogue catalogue;
    memset(&catalogue, 0, sizeof catalogue);
    if (fow_people_key_path(db_path, key_path, sizeof key_path, &err) || fow_db_open(&db, db_path, false, &err) ||
        fow_training_load(db, &catalogue, &err)) {
        fprintf(stderr, "bench_enrol: %s\n", err.message);
        return 2;
    }
    printf("Enrolment under contention: %d people ask at once for %ld seats, each request on its own connection;\n"
           "%ld rounds of: http enrol, http read (peer: GET of the same cohort), library enrol (peer: in process).\n\n",
           n, seats, rounds);
    printf("%5s  %-14s %10s %9s %9s  %s\n", "round", "run", "req/s", "p50 ms", "p99 ms", "check");
    double enrol[MAX_ROUNDS], read_[MAX_ROUNDS], lib[MAX_ROUNDS];
    for (int round = 1; round <= rounds; round++) {
        char body[4096], json[256];
        snprintf(json, sizeof json,
                 "{\"module\":\"W40-DATA\",\"starts_on\":\"2027-05-03\",\"ends_on\":\"2027-06-30\",\"capacity\":%ld}",
                 seats);
        int status = http("POST", "/api/v1/cohorts", json, body, sizeof body);
        long long cohort = json_int(body, "id");
        if (status != 201 || cohort < 1) {
            fprintf(stderr, "bench_enrol: could not add a cohort (HTTP %d): %.300s\n", status, body);
            return 2;
        }
        burst b = {.kind = BURST_HTTP_ENROL, .cohort = cohort, .people = people, .n = n};
        burst_result r = run_burst(&b, 201);
        expect(r.status_ok == n, "every first request answered 201", round);
        expect(r.enrolled == seats, "exactly the seats enrolled", round);
        expect(r.waiting == n - seats, "everyone else waiting", round);
        expect(r.created == n, "each person created once", round);
        burst again = b;
        burst_result rep = run_burst(&again, 200);
        expect(rep.status_ok == n && rep.created == 0, "the repeats answered 200, created false", round);
        char path[64];
        snprintf(path, sizeof path, "/api/v1/cohorts/%lld", cohort);
        status = http("GET", path, NULL, body, sizeof body);
        expect(status == 200 && json_int(body, "enrolled") == seats && json_int(body, "waiting") == n - seats,
               "the cohort's counts after the repeats", round);
        printf("%5d  %-14s %10.0f %9.1f %9.1f  %d enrolled, %d waiting, %d repeats idempotent\n", round, "http enrol",
               r.per_second, r.p50_ms, r.p99_ms, r.enrolled, r.waiting, rep.status_ok);
        enrol[round - 1] = r.per_second;

        burst rd = {.kind = BURST_HTTP_READ, .cohort = cohort, .people = people, .n = n};
        burst_result rr = run_burst(&rd, 200);
        expect(rr.status_ok == n, "every read answered 200", round);
        printf("%5d  %-14s %10.0f %9.1f %9.1f  %d answers 200\n", round, "http read", rr.per_second, rr.p50_ms, rr.p99_ms,
               rr.status_ok);
        read_[round - 1] = rr.per_second;

        fow_cohort_actor admin = {.staff = {.name = "bench", .organisation = "", .all_organisations = true},
                                  .role = FOW_ROLE_ADMIN};
        fow_cohort_input in = {.module = "W40-DATA", .starts_on = "2027-05-03", .ends_on = "2027-06-30", .capacity = seats};
        int64_t lib_cohort;
        if (fow_cohort_add(db, &admin, &catalogue, &in, (long long)time(NULL), &lib_cohort, &err)) {
            fprintf(stderr, "bench_enrol: %s\n", err.message);
            return 2;
        }
        burst lb = {.kind = BURST_LIBRARY_ENROL, .cohort = lib_cohort, .people = people, .n = n, .db_path = db_path,
                    .key_path = key_path};
        burst_result lr = run_burst(&lb, 201);
        expect(lr.status_ok == n && lr.enrolled == seats && lr.waiting == n - seats, "library: exact", round);
        printf("%5d  %-14s %10.0f %9.1f %9.1f  %d enrolled, %d waiting\n", round, "library enrol", lr.per_second, lr.p50_ms,
               lr.p99_ms, lr.enrolled, lr.waiting);
        lib[round - 1] = lr.per_second;
    }
    double me = bench_median(enrol, (size_t)rounds), mr = bench_median(read_, (size_t)rounds),
           ml = bench_median(lib, (size_t)rounds);
    printf("\nmedians of %ld rounds: http enrol %.0f req/s, http read %.0f req/s, library enrol %.0f enrolments/s\n",
           rounds, me, mr, ml);
    printf("ratio http enrol / http read:     %.2f (what enrolling costs over a plain read of the cohort)\n", me / mr);
    printf("ratio http enrol / library enrol: %.2f (what HTTP, the token check and the JSON cost over the\n"
           "                                  same count and insert in process)\n",
           me / ml);
    printf("exactness: %s\n", failures ? "FAILED" : "every round exact (seats, waiting list, idempotent repeats)");
    fow_training_free(&catalogue);
    fow_db_close(db);
    return failures ? 1 : 0;
}
