/* bench_query_rate.c — the in-process rate of the query behind
 * GET /api/v1/occupations/{id}/transitions?limit=20, on N threads: the peer
 * bench/bench_http.sh measures `fow serve --no-cache` against.
 *
 *   bench_query_rate DB [--threads N] [--seconds S] [--runs R] [--document] KEY...
 *
 * Opens the world of DB (fow_world.h: the model and its similarity index,
 * built from the database, not mapped from a snapshot), resolves each
 * KEY (an id, code, URI or label, as the route's {id}), then runs R timed
 * runs of S seconds: N threads, each with its own workspace, cycling through
 * the keys from its own start, each query resolving the key and ranking the
 * top 20 destinations with the route's default filters (viable moves,
 * risk model MCC) and, when none passes, computing the nearest moves and the
 * upskilling route (fow_transitions_fallback), exactly as the route does
 * before writing its answer.
 * Prints the queries per second of each run and their median, the median
 * time of one query on one thread, and the queries per CPU second (user and
 * system time of the process): on a machine shared with other work, the
 * wall-clock rate depends on how much of the cores the run gets, the rate
 * per CPU second much less. With --document, the same runs again with the
 * route's answer written after each query (fow_result_transitions into a
 * writer each thread reuses, as fow serve does): what writing the JSON costs;
 * then the answers of every key written in turn, 20,000 of them, alone on
 * one thread, 5 times over: the median microseconds of CPU an answer.
 */
#include <pthread.h>
#include <sys/resource.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "service/fow_result.h"
#include "service/fow_world.h"
#include "transitions/fow_resolve.h"
#include "transitions/fow_similarity.h"
#include "transitions/fow_transitions.h"
#include "taxonomy/fow_model.h"

#define MAX_THREADS 64
#define MAX_KEYS 256

typedef struct shared {
    const fow_model *model;
    const fow_similarity_index *index;
    const char *const *keys;
    int n_keys;
    bool document;               /* write the answer after each query */
    fow_result_context ctx;      /* for the answer */
    size_t bytes;                /* of the first answer written (for the report) */
    double seconds;
    atomic_int go;
    atomic_llong fallbacks; /* queries where no move passed and the fallback ran */
} shared;

typedef struct worker {
    shared *s;
    int start;
    long long queries;
    pthread_t thread;
} worker;

static void *work(void *arg) {
    worker *w = arg;
    shared *s = w->s;
    fow_similarity_workspace *ws = fow_similarity_workspace_new(s->index);
    if (!ws) {
        fprintf(stderr, "bench_query_rate: out of memory\n");
        exit(1);
    }
    fow_transition t[20];
    fow_jw out;
    fow_jw_init(&out, 0);
    while (!atomic_load(&s->go)) {
    }
    double end = bench_now_ms() + s->seconds * 1000.0;
    long long n = 0;
    int i = w->start;
    do {
        for (int k = 0; k < 16; k++) { /* read the clock every 16 queries */
            fow_error err;
            uint32_t origin, count, matching;
            if (fow_resolve_occupation(s->model, s->keys[i], &origin, &err)) {
                fprintf(stderr, "bench_query_rate: %s: %s\n", s->keys[i], err.message);
                exit(1);
            }
            fow_transition_query q;
            fow_transition_query_default(s->index, &q);
            q.limit = 20;
            fow_transitions_from_occupation(ws, origin, &q, t, 20, &count, &matching);
            /* as the route: when no move passes, the nearest moves and the
             * upskilling route that would open one */
            fow_transition_fallback fallback;
            if (!matching) {
                if (fow_transitions_fallback(ws, origin, origin, origin, &q, &fallback, &err)) {
                    fprintf(stderr, "bench_query_rate: %s: %s\n", s->keys[i], err.message);
                    exit(1);
                }
                atomic_fetch_add(&s->fallbacks, 1);
            }
            if (s->document) {
                fow_result_page page = {matching, 0, 20};
                fow_jw_reset(&out);
                fow_result_transitions(&out, &s->ctx, origin, &q, t, count, &page, matching ? NULL : &fallback);
                if (fow_jw_failed(&out)) {
                    fprintf(stderr, "bench_query_rate: out of memory writing an answer\n");
                    exit(1);
                }
                if (out.len > s->bytes) s->bytes = out.len; /* a benign race: a figure for the report */
            }
            i = (i + 1) % s->n_keys;
            n++;
        }
    } while (bench_now_ms() < end);
    w->queries = n;
    fow_jw_free(&out);
    fow_similarity_workspace_free(ws);
    return NULL;
}

/* CPU seconds (user and system) of the process so far. */
static double cpu_seconds(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec / 1e6 + (double)u.ru_stime.tv_sec +
           (double)u.ru_stime.tv_usec / 1e6;
}

/* Queries per second of one run of s->seconds on n threads; *per_cpu: the
 * queries per CPU second of the run. */
static double run(shared *s, int n, double *per_cpu) {
    worker w[MAX_THREADS];
    atomic_store(&s->go, 0);
    for (int i = 0; i < n; i++) {
        w[i].s = s, w[i].start = i % s->n_keys, w[i].queries = 0;
        if (pthread_create(&w[i].thread, NULL, work, &w[i])) {
            fprintf(stderr, "bench_query_rate: cannot start a thread\n");
            exit(1);
        }
    }
    double t0 = bench_now_ms(), c0 = cpu_seconds();
    atomic_store(&s->go, 1);
    long long total = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(w[i].thread, NULL);
        total += w[i].queries;
    }
    *per_cpu = (double)total / (cpu_seconds() - c0);
    return (double)total / ((bench_now_ms() - t0) / 1000.0);
}

int main(int argc, char **argv) {
    const char *db_path = NULL, *keys[MAX_KEYS];
    long threads = 2, runs = 3, seconds = 5;
    int n_keys = 0;
    bool document = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 1, MAX_THREADS, &threads)) goto usage;
        } else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 1, 100, &runs)) goto usage;
        } else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 1, 3600, &seconds)) goto usage;
        } else if (strcmp(argv[i], "--document") == 0) {
            document = true;
        } else if (argv[i][0] == '-') {
            goto usage;
        } else if (!db_path) {
            db_path = argv[i];
        } else if (n_keys < MAX_KEYS) {
            keys[n_keys++] = argv[i];
        }
    }
    if (!db_path || n_keys == 0) goto usage;
    fow_error err;
    fow_error_clear(&err);
    fow_world *world = NULL; /* built from the database, as fow serve builds its own */
    if (fow_world_open(db_path, &(fow_world_options){.snapshot = FOW_WORLD_SNAPSHOT_IGNORE}, &world, &err)) goto fail;
    const fow_model *model = fow_world_model(world);
    const fow_similarity_index *index = fow_world_index(world);
    const fow_world_sources *labels = fow_world_sources_of(world);
    shared s = {.model = model, .index = index, .keys = keys, .n_keys = n_keys, .seconds = (double)seconds};
    s.ctx = (fow_result_context){model, index, {labels->risk[0], labels->risk[1]}, labels->attributes, NULL, NULL};
    double rates[100], per_cpu[100];
    printf("bench_query_rate: the query of GET /api/v1/occupations/{id}/transitions?limit=20 in process, "
           "%ld threads, %d keys, %ld runs of %ld s\n", threads, n_keys, runs, seconds);
    for (long r = 0; r < runs; r++) {
        rates[r] = run(&s, (int)threads, &per_cpu[r]);
        printf("  run %ld: %.1f queries/s, %.1f queries per CPU second\n", r + 1, rates[r], per_cpu[r]);
    }
    long long total_fallbacks = atomic_load(&s.fallbacks);
    if (total_fallbacks)
        printf("  of these, %lld queries found no move that passes and ran the fallback (the keys of no passing move:",
               total_fallbacks);
    for (int k = 0; total_fallbacks && k < n_keys; k++) {
        fow_similarity_workspace *ws = fow_similarity_workspace_new(index);
        fow_transition t[20];
        uint32_t origin, count, matching;
        fow_transition_query q;
        fow_transition_query_default(index, &q);
        q.limit = 20;
        if (!ws || fow_resolve_occupation(model, keys[k], &origin, &err)) goto fail;
        fow_transitions_from_occupation(ws, origin, &q, t, 20, &count, &matching);
        fow_similarity_workspace_free(ws);
        if (!matching) printf(" %s", keys[k]);
        if (k == n_keys - 1) printf(")\n");
    }
    double median = bench_median(rates, (size_t)runs);
    printf("median %.1f queries/s on %ld threads (%.1f us per query per thread)\n", median, threads,
           1e6 * (double)threads / median);
    printf("cpu median %.1f queries per CPU second\n", bench_median(per_cpu, (size_t)runs));
    if (document) {
        double doc_rates[100], doc_cpu[100];
        s.document = true;
        for (long r = 0; r < runs; r++) {
            doc_rates[r] = run(&s, (int)threads, &doc_cpu[r]);
            printf("  run %ld with the answer written: %.1f queries/s, %.1f per CPU second\n", r + 1, doc_rates[r],
                   doc_cpu[r]);
        }
        double dm = bench_median(doc_rates, (size_t)runs), dc = bench_median(doc_cpu, (size_t)runs);
        /* the writing alone, on one thread: the answers of every key in
         * turn, 20,000 answers, 5 times over */
        typedef struct written {
            uint32_t origin, count, matching;
            fow_transition t[20];
            fow_transition_fallback fallback;
        } written;
        static written answers[MAX_KEYS];
        fow_similarity_workspace *ws = fow_similarity_workspace_new(index);
        fow_transition_query q;
        fow_transition_query_default(index, &q);
        q.limit = 20;
        if (!ws) goto fail;
        for (int k = 0; k < n_keys; k++) {
            written *a = &answers[k];
            if (fow_resolve_occupation(model, keys[k], &a->origin, &err)) goto fail;
            fow_transitions_from_occupation(ws, a->origin, &q, a->t, 20, &a->count, &a->matching);
            if (!a->matching &&
                fow_transitions_fallback(ws, a->origin, a->origin, a->origin, &q, &a->fallback, &err))
                goto fail;
        }
        fow_similarity_workspace_free(ws);
        fow_jw out;
        fow_jw_init(&out, 0);
        double per_answer[5];
        size_t bytes = 0;
        for (int r = 0; r < 5; r++) {
            struct timespec c0, c1; /* the thread's CPU time: other work on the machine does not count */
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
            bytes = 0;
            for (int k = 0; k < 20000; k++) {
                const written *a = &answers[k % n_keys];
                fow_result_page page = {a->matching, 0, 20};
                fow_jw_reset(&out);
                fow_result_transitions(&out, &s.ctx, a->origin, &q, a->t, a->count, &page,
                                       a->matching ? NULL : &a->fallback);
                bytes += out.len;
            }
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
            per_answer[r] = ((double)(c1.tv_sec - c0.tv_sec) * 1e9 + (double)(c1.tv_nsec - c0.tv_nsec)) / 20000.0 / 1000.0;
        }
        printf("writing the answers of the %d keys in turn alone (mean %zu bytes): median %.2f us of CPU an answer\n",
               n_keys, bytes / 20000, bench_median(per_answer, 5));
        fow_jw_free(&out);
        printf("document median %.1f queries/s, %.1f per CPU second, answers up to %zu bytes; the writing costs "
               "%.2f us of CPU per answer\n", dm, dc, s.bytes,
               1e6 / dc - 1e6 / bench_median(per_cpu, (size_t)runs));
    }
    fow_world_release(world);
    return 0;
fail:
    fprintf(stderr, "bench_query_rate: %s\n", err.message);
    fow_world_release(world);
    return 1;
usage:
    fprintf(stderr, "usage: bench_query_rate DB [--threads N] [--seconds S] [--runs R] [--document] KEY...\n");
    return 1;
}
