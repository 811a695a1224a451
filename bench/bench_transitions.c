/* bench_transitions.c — similarity, transitions, gaps and upskilling on the
 * full data, against a pandas/SciPy Jaccard peer.
 *
 *   bench_transitions [DATA_DIR] [--db PATH] [--runs N] [--origins N]
 *                     [--upskill-origins N] [--seed S] [--peer-repeat R]
 *                     [--peer PATH] [--no-peer]
 *
 * Without --db the full data (ESCO 1.2.0 bundle, MCC risk, MCC attributes)
 * is first imported into a temporary database (by a child process). The
 * model is loaded once, then:
 *
 * 1. All pairs. fow_similarity_index_build with the default parameters
 *    (median of N runs, the free not timed), and fow_similarity_top_all
 *    with k = 20 on 1 and on 2 threads: one untimed warm-up each, then N
 *    timed runs (default 11) alternating the two. The peer is
 *    bench/peers/jaccard_peer.py (plain Jaccard over all occupation pairs,
 *    top 20 of each, with pandas/NumPy/SciPy), started once as a
 *    subprocess with --json --repeat R (default 5) on DATA_DIR/esco-1.2.0;
 *    its compute-phase median is compared with fow's top_all median. The
 *    interpreter is $FOW_PYTHON, else /usr/bin/python3; the script is
 *    --peer PATH, else $FOW_JACCARD_PEER, else ../bench/peers/ next to this
 *    executable, else bench/peers/ under the current directory.
 *    Goals: top_all <= 15 ms and >= 10x faster than the peer.
 *
 * 2. Transition queries. A fixed pseudo-random sample of distinct origins
 *    (default 1,000; splitmix64, seed 20240601 unless --seed);
 *    fow_transitions_from_occupation with safe = 1, desirable = 1, MCC,
 *    min_similarity 0, limit 50, plus fow_gap_compute (and fow_gap_free)
 *    for each destination returned: per-query latency. Also the same
 *    without the gaps, with the default min_similarity (params.viable), and
 *    without filters (so that every query computes 50 gaps). All origins
 *    run once untimed first (with consistency checks); then each variant
 *    runs once with every query timed on its own.
 *    Goals: p50 <= 200 µs, p99 <= 1 ms (safe, desirable, min 0, gaps).
 *
 * 3. Upskilling. fow_upskill_occupation(ws, origin, q, 100, ...) with
 *    safe = 1, desirable = 1, the default min_similarity, limit 10, for the
 *    first 200 origins of the same sample (20 untimed first): wall clock,
 *    and the thread's CPU time (which other work on the machine moves less).
 *    Goal: p99 <= 20 ms.
 */
#include <stdint.h>

#include "bench_util.h"
#include "transitions/fow_similarity.h"
#include "transitions/fow_transitions.h"
#include "taxonomy/fow_model.h"

#define TOP_K 20
#define QUERY_LIMIT 50
#define UPSKILL_LIMIT 10
#define UPSKILL_CANDIDATES 100
#define UPSKILL_WARMUP 20

#define GOAL_TOP_ALL_MS 15.0
#define GOAL_TOP_ALL_SPEEDUP 10.0
#define GOAL_QUERY_P50_US 200.0
#define GOAL_QUERY_P99_US 1000.0
#define GOAL_UPSKILL_MS 20.0

static void usage(const char *argv0) {
    fprintf(stderr,
            "usage: %s [DATA_DIR] [--db PATH] [--runs N] [--origins N] [--upskill-origins N] [--seed S]\n"
            "          [--peer-repeat R] [--peer PATH] [--no-peer]\n",
            argv0);
    exit(2);
}

static long parse_count(const char *text, long lo, long hi, const char *argv0) {
    long v;
    if (bench_parse_count(text, lo, hi, &v) != 0) usage(argv0);
    return v;
}

/* The calling thread's CPU time in ms: on a machine that other work
 * shares, it moves less than the wall clock. */
static double thread_cpu_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- latency statistics ------------------------------------------------ */

typedef struct latency_stats {
    double p50, p90, p99, max, mean;
} latency_stats;

/* Sorts v. */
static latency_stats stats_of(double *v, size_t n) {
    latency_stats s = {0};
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += v[i];
    bench_sort(v, n);
    s.p50 = bench_percentile_sorted(v, n, 50);
    s.p90 = bench_percentile_sorted(v, n, 90);
    s.p99 = bench_percentile_sorted(v, n, 99);
    s.max = v[n - 1];
    s.mean = sum / (double)n;
    return s;
}

/* ---- the peer ------------------------------------------------------------ */

typedef struct peer_result {
    int ok;
    char why[10000];
    double load_ms, compute_median_ms, first_ms, min_ms, max_ms, wall_ms;
    double occupations, skills, pairs_nonzero;
    int n_runs;
} peer_result;

/* The number after "key": in a flat JSON object; 0 when found. */
static int json_number(const char *json, const char *key, double *out) {
    char pat[80];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(json, pat);
    if (!p) return -1;
    p += strlen(pat);
    char *end;
    double v = strtod(p, &end);
    if (end == p) return -1;
    *out = v;
    return 0;
}

/* First, min and max of the "compute_ms_runs" array. */
static int json_runs(const char *json, peer_result *r) {
    const char *p = strstr(json, "\"compute_ms_runs\":");
    if (!p) return -1;
    p = strchr(p, '[');
    if (!p) return -1;
    p++;
    r->n_runs = 0;
    for (;;) {
        while (*p == ' ' || *p == ',') p++;
        if (*p == ']') break;
        char *end;
        double v = strtod(p, &end);
        if (end == p) return -1;
        if (r->n_runs == 0) r->first_ms = r->min_ms = r->max_ms = v;
        if (v < r->min_ms) r->min_ms = v;
        if (v > r->max_ms) r->max_ms = v;
        r->n_runs++;
        p = end;
    }
    return r->n_runs > 0 ? 0 : -1;
}

/* The peer script: --peer > $FOW_JACCARD_PEER > next to the executable >
 * under the current directory. NULL when none exists. */
static const char *peer_script(const char *arg, char *buf, size_t cap) {
    if (arg) return arg;
    const char *env = getenv("FOW_JACCARD_PEER");
    if (env && *env) return env;
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            int w = snprintf(buf, cap, "%s/../bench/peers/jaccard_peer.py", exe);
            if (w > 0 && (size_t)w < cap && bench_file_exists(buf)) return buf;
        }
    }
    snprintf(buf, cap, "bench/peers/jaccard_peer.py");
    return bench_file_exists(buf) ? buf : NULL;
}

/* Runs `python script esco_dir --json --repeat R`, reads its JSON. */
static void peer_run(const char *python, const char *script, const char *esco_dir, int repeat, peer_result *r) {
    memset(r, 0, sizeof *r);
    int fd[2];
    if (pipe(fd) != 0) {
        snprintf(r->why, sizeof r->why, "pipe: %s", strerror(errno));
        return;
    }
    char rep[32];
    snprintf(rep, sizeof rep, "%d", repeat);
    fflush(NULL);
    double t0 = bench_now_ms();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(r->why, sizeof r->why, "fork: %s", strerror(errno));
        close(fd[0]);
        close(fd[1]);
        return;
    }
    if (pid == 0) {
        dup2(fd[1], STDOUT_FILENO);
        close(fd[0]);
        close(fd[1]);
        execlp(python, python, script, esco_dir, "--json", "--repeat", rep, (char *)NULL);
        fprintf(stderr, "cannot run %s: %s\n", python, strerror(errno));
        _exit(127);
    }
    close(fd[1]);
    size_t len = 0, cap = 4096;
    char *out = bench_xmalloc(cap);
    for (;;) {
        if (len + 1 >= cap) {
            char *bigger = realloc(out, cap * 2);
            if (!bigger) {
                fprintf(stderr, "out of memory\n");
                exit(1);
            }
            out = bigger;
            cap *= 2;
        }
        ssize_t got = read(fd[0], out + len, cap - len - 1);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        len += (size_t)got;
    }
    out[len] = '\0';
    close(fd[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(r->why, sizeof r->why, "waitpid: %s", strerror(errno));
            free(out);
            return;
        }
    }
    r->wall_ms = bench_now_ms() - t0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(r->why, sizeof r->why, "%s %s exited with status %d (see its message above)", python, script,
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    } else if (json_number(out, "compute_ms_median", &r->compute_median_ms) != 0 ||
               json_number(out, "load_ms", &r->load_ms) != 0 || json_runs(out, r) != 0) {
        snprintf(r->why, sizeof r->why, "unexpected output from %s: %.200s", script, out);
    } else {
        (void)json_number(out, "occupations", &r->occupations);
        (void)json_number(out, "skills", &r->skills);
        (void)json_number(out, "pairs_nonzero", &r->pairs_nonzero);
        r->ok = 1;
    }
    free(out);
}

/* ---- 2. transition queries ------------------------------------------------ */

typedef struct query_totals {
    unsigned long long returned, matching, gaps, missing;
    unsigned long long gap_count_mismatches; /* n_missing != essential_missing */
    double max_similarity_difference;        /* |gap.similarity - transition.similarity| */
    unsigned long long top_all_mismatches;   /* ranks that differ from fow_similarity_top_all's */
    unsigned long long top_all_compared;
    uint32_t short_of_limit;                 /* queries returning fewer than the limit */
} query_totals;

/* Runs the query for every origin; us[i] (may be NULL) gets the latency of
 * origin i in µs. Without us, also checks the gaps against the transitions
 * and, when top (fow_similarity_top_all's rows of TOP_K) is given, the
 * first TOP_K destinations against it. */
static void run_queries(fow_similarity_workspace *ws, const uint32_t *origins, size_t n,
                        const fow_transition_query *q, int gaps, const uint32_t *top, double *us,
                        query_totals *tot) {
    fow_transition out[QUERY_LIMIT];
    fow_error err;
    fow_error_clear(&err);
    memset(tot, 0, sizeof *tot);
    for (size_t i = 0; i < n; i++) {
        uint32_t n_out = 0, n_matching = 0;
        fow_gap gap;
        long long t0 = bench_now_ns();
        fow_transitions_from_occupation(ws, origins[i], q, out, QUERY_LIMIT, &n_out, &n_matching);
        if (gaps) {
            for (uint32_t k = 0; k < n_out; k++) {
                if (fow_gap_compute(ws, out[k].destination, &gap, &err) != FOW_OK) bench_die("fow_gap_compute", &err);
                tot->missing += gap.n_missing;
                if (!us) { /* the untimed pass also checks */
                    if (gap.n_missing != out[k].essential_missing) tot->gap_count_mismatches++;
                    double dsim = (double)gap.similarity - (double)out[k].similarity;
                    if (dsim < 0) dsim = -dsim;
                    if (dsim > tot->max_similarity_difference) tot->max_similarity_difference = dsim;
                }
                fow_gap_free(&gap);
            }
            tot->gaps += n_out;
        }
        long long t1 = bench_now_ns();
        if (us) us[i] = (double)(t1 - t0) / 1000.0;
        if (!us && top) {
            for (uint32_t k = 0; k < TOP_K; k++)
                if ((k < n_out ? out[k].destination : FOW_NO_INDEX) != top[(size_t)origins[i] * TOP_K + k])
                    tot->top_all_mismatches++;
            tot->top_all_compared += TOP_K;
        }
        tot->returned += n_out;
        tot->matching += n_matching;
        if (n_out < q->limit) tot->short_of_limit++;
    }
}

typedef struct query_variant {
    const char *name;
    int safe, desirable, gaps;
    int default_min; /* 1: params.viable, 0: 0 */
} query_variant;

/* ---- main ------------------------------------------------------------------ */

int main(int argc, char **argv) {
    const char *data_arg = NULL, *db_arg = NULL, *peer_arg = NULL;
    long runs = 11, n_origins_arg = 1000, n_upskill_arg = 200, peer_repeat = 5;
    int no_peer = 0;
    uint64_t seed = 20240601;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) db_arg = argv[++i];
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = parse_count(argv[++i], 1, 100000, argv[0]);
        else if (strcmp(argv[i], "--origins") == 0 && i + 1 < argc)
            n_origins_arg = parse_count(argv[++i], 1, 10000000, argv[0]);
        else if (strcmp(argv[i], "--upskill-origins") == 0 && i + 1 < argc)
            n_upskill_arg = parse_count(argv[++i], 1, 10000000, argv[0]);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--peer-repeat") == 0 && i + 1 < argc)
            peer_repeat = parse_count(argv[++i], 1, 1000, argv[0]);
        else if (strcmp(argv[i], "--peer") == 0 && i + 1 < argc) peer_arg = argv[++i];
        else if (strcmp(argv[i], "--no-peer") == 0) no_peer = 1;
        else if (argv[i][0] == '-') usage(argv[0]);
        else if (!data_arg) data_arg = argv[i];
        else usage(argv[0]);
    }

    char dir[4096], db_path[4200];
    const char *data =
        bench_prepare_db(db_arg, data_arg, "fow-bench-transitions", dir, sizeof dir, db_path, sizeof db_path);
    const char *peer_data = data ? data : bench_data_dir(data_arg); /* with --db, the peer still needs the CSVs */

    fow_error err;
    fow_error_clear(&err);
    fow_db *db = NULL;
    if (fow_db_open(&db, db_path, true, &err) != FOW_OK) bench_die("fow_db_open", &err);
    fow_model *m = NULL;
    double t0 = bench_now_ms();
    if (fow_model_load(db, &m, &err) != FOW_OK) bench_die("fow_model_load", &err);
    double model_ms = bench_now_ms() - t0;
    fow_db_close(db);
    uint32_t n_occ = m->n_occupations;
    if (n_occ < 2) {
        fprintf(stderr, "the model has fewer than 2 occupations\n");
        return 1;
    }

    char script_buf[4200], esco_dir[4200];
    const char *python = getenv("FOW_PYTHON");
    if (!python || !*python) python = "/usr/bin/python3";
    const char *script = peer_script(peer_arg, script_buf, sizeof script_buf);
    bench_join(esco_dir, sizeof esco_dir, peer_data, "esco-1.2.0");

    long cores_online = sysconf(_SC_NPROCESSORS_ONLN), cores_conf = sysconf(_SC_NPROCESSORS_CONF);
    printf("bench_transitions: similarity, transitions, gaps and upskilling on the full data\n");
    printf("database: %s%s\n", db_path, db_arg ? "" : " (imported from the data by a child process)");
    if (data) printf("data:     %s\n", data);
    printf("machine:  %ld cores online (%ld configured)\n", cores_online, cores_conf);
    if (script && !no_peer)
        printf("peer:     %s %s %s --json --repeat %ld\n", python, script, esco_dir, peer_repeat);
    printf("model:    %u occupations, %u skills, %u occupation-skill links (loaded in %.0f ms)\n\n", n_occ,
           m->n_skills, m->n_links, model_ms);

    /* ---- 1. all pairs --------------------------------------------------- */
    size_t nr = (size_t)runs;
    double *build_ms = bench_xmalloc(nr * sizeof *build_ms);
    double *top1_ms = bench_xmalloc(nr * sizeof *top1_ms);
    double *top2_ms = bench_xmalloc(nr * sizeof *top2_ms);
    fow_similarity_index *x = NULL;
    if (fow_similarity_index_build(m, NULL, &x, &err) != FOW_OK) bench_die("fow_similarity_index_build", &err);
    fow_similarity_index_free(x); /* warm-up */
    for (size_t r = 0; r < nr; r++) {
        double b0 = bench_now_ms();
        if (fow_similarity_index_build(m, NULL, &x, &err) != FOW_OK) bench_die("fow_similarity_index_build", &err);
        build_ms[r] = bench_now_ms() - b0;
        fow_similarity_index_free(x);
    }
    if (fow_similarity_index_build(m, NULL, &x, &err) != FOW_OK) bench_die("fow_similarity_index_build", &err);

    size_t cells = (size_t)n_occ * TOP_K;
    uint32_t *dest1 = bench_xmalloc(cells * sizeof *dest1), *dest2 = bench_xmalloc(cells * sizeof *dest2);
    float *sim1 = bench_xmalloc(cells * sizeof *sim1), *sim2 = bench_xmalloc(cells * sizeof *sim2);
    if (fow_similarity_top_all(x, TOP_K, 1, dest1, sim1, &err) != FOW_OK) bench_die("fow_similarity_top_all", &err);
    if (fow_similarity_top_all(x, TOP_K, 2, dest2, sim2, &err) != FOW_OK) bench_die("fow_similarity_top_all", &err);
    int same_results = memcmp(dest1, dest2, cells * sizeof *dest1) == 0 && memcmp(sim1, sim2, cells * sizeof *sim1) == 0;
    for (size_t r = 0; r < nr; r++) {
        double a0 = bench_now_ms();
        if (fow_similarity_top_all(x, TOP_K, 1, dest1, sim1, &err) != FOW_OK)
            bench_die("fow_similarity_top_all", &err);
        double a1 = bench_now_ms();
        if (fow_similarity_top_all(x, TOP_K, 2, dest2, sim2, &err) != FOW_OK)
            bench_die("fow_similarity_top_all", &err);
        double a2 = bench_now_ms();
        top1_ms[r] = a1 - a0;
        top2_ms[r] = a2 - a1;
    }
    size_t padded = 0;
    for (size_t c = 0; c < cells; c++) padded += dest1[c] == FOW_NO_INDEX;

    peer_result peer = {0};
    if (no_peer) snprintf(peer.why, sizeof peer.why, "not run (--no-peer)");
    else if (!script) snprintf(peer.why, sizeof peer.why, "jaccard_peer.py not found (give --peer PATH)");
    else peer_run(python, script, esco_dir, (int)peer_repeat, &peer);

    double build_med = bench_median(build_ms, nr);
    double med1 = bench_median(top1_ms, nr), med2 = bench_median(top2_ms, nr);
    printf("1. all pairs, top %d of every occupation (median of %ld runs after a warm-up)\n", TOP_K, runs);
    printf("   %-58s %9s %9s %9s\n", "(ms)", "median", "min", "max");
    printf("   %-58s %9.2f %9.2f %9.2f\n", "fow_similarity_index_build (default parameters)", build_med,
           bench_min(build_ms, nr), bench_max(build_ms, nr));
    printf("   %-58s %9.2f %9.2f %9.2f\n", "fow_similarity_top_all, default measure, 1 thread", med1,
           bench_min(top1_ms, nr), bench_max(top1_ms, nr));
    printf("   %-58s %9.2f %9.2f %9.2f\n", "fow_similarity_top_all, default measure, 2 threads", med2,
           bench_min(top2_ms, nr), bench_max(top2_ms, nr));
    if (peer.ok) {
        char name[128];
        snprintf(name, sizeof name, "peer: pandas/SciPy Jaccard, compute phase (%d runs)", peer.n_runs);
        printf("   %-58s %9.2f %9.2f %9.2f\n", name, peer.compute_median_ms, peer.min_ms, peer.max_ms);
        printf("   peer: %.0f occupations, %.0f skills, %.0f pairs sharing a skill; load phase %.0f ms; first compute "
               "run %.0f ms (memory warm-up, one of the %d in the median); whole process %.0f ms\n",
               peer.occupations, peer.skills, peer.pairs_nonzero, peer.load_ms, peer.first_ms, peer.n_runs,
               peer.wall_ms);
        if ((uint32_t)peer.occupations != n_occ)
            printf("   WARNING: the peer has %.0f occupations, fow %u\n", peer.occupations, n_occ);
        printf("   speed-up peer/fow (medians): 1 thread %.1fx, 2 threads %.1fx; counting the index build too: "
               "%.1fx, %.1fx\n",
               peer.compute_median_ms / med1, peer.compute_median_ms / med2,
               peer.compute_median_ms / (med1 + build_med), peer.compute_median_ms / (med2 + build_med));
    } else {
        printf("   peer: %s\n", peer.why);
    }
    printf("   results: 1 and 2 threads %s; %zu of %zu top-%d slots padded\n",
           same_results ? "identical" : "DIFFER", padded, cells, TOP_K);
    printf("   (the peer computes plain Jaccard; fow its default measure: IDF weights, related skills, reverse "
           "coverage)\n\n");

    /* ---- 2. transition queries ------------------------------------------ */
    uint32_t *perm = bench_xmalloc((size_t)n_occ * sizeof *perm);
    for (uint32_t i = 0; i < n_occ; i++) perm[i] = i;
    uint64_t state = seed;
    for (uint32_t i = n_occ - 1; i > 0; i--) {
        uint32_t j = (uint32_t)(bench_splitmix64(&state) % ((uint64_t)i + 1));
        uint32_t tmp = perm[i];
        perm[i] = perm[j], perm[j] = tmp;
    }
    size_t n_origins = (size_t)n_origins_arg < n_occ ? (size_t)n_origins_arg : n_occ;
    size_t n_upskill = (size_t)n_upskill_arg < n_occ ? (size_t)n_upskill_arg : n_occ;

    fow_similarity_workspace *ws = fow_similarity_workspace_new(x);
    if (!ws) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    static const query_variant variants[] = {
        {"safe, desirable, min 0, + gaps", 1, 1, 1, 0},
        {"safe, desirable, min 0, no gaps", 1, 1, 0, 0},
        {"safe, desirable, min viable, + gaps", 1, 1, 1, 1},
        {"safe, desirable, min viable, no gaps", 1, 1, 0, 1},
        {"no filters, min 0, + gaps", 0, 0, 1, 0},
        {"no filters, min 0, no gaps", 0, 0, 0, 0},
    };
    enum { N_VARIANTS = sizeof variants / sizeof variants[0] };
    double *us = bench_xmalloc(n_origins * sizeof *us);
    latency_stats vs[N_VARIANTS];
    query_totals vt[N_VARIANTS], checks[N_VARIANTS];
    for (size_t v = 0; v < N_VARIANTS; v++) {
        fow_transition_query q;
        fow_transition_query_default(x, &q);
        q.safe = variants[v].safe;
        q.desirable = variants[v].desirable;
        q.min_similarity = variants[v].default_min ? x->params.viable : 0.0f;
        q.viable_only = variants[v].default_min; /* min 0: every destination, viable or not */
        q.limit = QUERY_LIMIT;
        /* an untimed pass (warm-up and checks), then the timed one */
        const uint32_t *top = !q.safe && !q.desirable && q.min_similarity == 0.0f ? dest1 : NULL;
        run_queries(ws, perm, n_origins, &q, variants[v].gaps, top, NULL, &checks[v]);
        run_queries(ws, perm, n_origins, &q, variants[v].gaps, NULL, us, &vt[v]);
        vs[v] = stats_of(us, n_origins);
    }
    printf("2. transitions from one occupation, limit %d, MCC risk (%zu origins, seed %llu; one untimed pass, "
           "then each query timed)\n",
           QUERY_LIMIT, n_origins, (unsigned long long)seed);
    printf("   %-38s %8s %8s %8s %8s %8s %9s %9s %7s\n", "(µs per query)", "p50", "p90", "p99", "max", "mean",
           "matching", "returned", "gaps");
    for (size_t v = 0; v < N_VARIANTS; v++)
        printf("   %-38s %8.1f %8.1f %8.1f %8.1f %8.1f %9.1f %9.1f %7.1f\n", variants[v].name, vs[v].p50, vs[v].p90,
               vs[v].p99, vs[v].max, vs[v].mean, (double)vt[v].matching / (double)n_origins,
               (double)vt[v].returned / (double)n_origins, (double)vt[v].gaps / (double)n_origins);
    printf("   (matching, returned, gaps: means per query; queries returning fewer than %d: %u with the filters "
           "and min 0, %u without filters)\n",
           QUERY_LIMIT, vt[0].short_of_limit, vt[4].short_of_limit);
    unsigned long long mismatches = 0, top_mismatches = 0, top_compared = 0;
    double max_diff = 0;
    for (size_t v = 0; v < N_VARIANTS; v++) {
        mismatches += checks[v].gap_count_mismatches;
        top_mismatches += checks[v].top_all_mismatches;
        top_compared += checks[v].top_all_compared;
        if (checks[v].max_similarity_difference > max_diff) max_diff = checks[v].max_similarity_difference;
    }
    printf("   checks: gap n_missing != transition essential_missing: %llu; largest |gap.similarity - "
           "transition.similarity|: %.2g;\n           first %d without filters != top_all's row: %llu of %llu "
           "ranks\n\n",
           mismatches, max_diff, TOP_K, top_mismatches, top_compared);

    /* ---- 3. upskilling -------------------------------------------------- */
    fow_transition_query uq;
    fow_transition_query_default(x, &uq);
    uq.safe = 1;
    uq.desirable = 1;
    uq.limit = UPSKILL_LIMIT;
    double *up_ms = bench_xmalloc(n_upskill * sizeof *up_ms);
    double *up_cpu_ms = bench_xmalloc(n_upskill * sizeof *up_cpu_ms);
    unsigned long long up_candidates = 0, up_current = 0, up_options = 0, up_empty = 0;
    fow_upskill_result res;
    for (size_t i = 0; i < n_upskill && i < UPSKILL_WARMUP; i++) {
        if (fow_upskill_occupation(ws, perm[i], &uq, UPSKILL_CANDIDATES, &res, &err) != FOW_OK)
            bench_die("fow_upskill_occupation", &err);
        fow_upskill_result_free(&res);
    }
    for (size_t i = 0; i < n_upskill; i++) {
        double u0 = bench_now_ms(), c0 = thread_cpu_ms();
        fow_code rc = fow_upskill_occupation(ws, perm[i], &uq, UPSKILL_CANDIDATES, &res, &err);
        up_ms[i] = bench_now_ms() - u0;
        up_cpu_ms[i] = thread_cpu_ms() - c0;
        if (rc != FOW_OK) bench_die("fow_upskill_occupation", &err);
        up_candidates += res.candidates;
        up_current += res.current;
        up_options += res.n_options;
        up_empty += res.n_options == 0;
        fow_upskill_result_free(&res);
    }
    latency_stats us_up = stats_of(up_ms, n_upskill), cpu_up = stats_of(up_cpu_ms, n_upskill);
    printf("3. upskilling one occupation: %d candidate skills at most, safe, desirable, min viable (%.2f), limit %d "
           "(%zu origins)\n",
           UPSKILL_CANDIDATES, (double)x->params.viable, UPSKILL_LIMIT, n_upskill);
    printf("   %-38s %8s %8s %8s %8s %8s\n", "(ms per origin)", "p50", "p90", "p99", "max", "mean");
    printf("   %-38s %8.2f %8.2f %8.2f %8.2f %8.2f\n", "fow_upskill_occupation", us_up.p50, us_up.p90, us_up.p99,
           us_up.max, us_up.mean);
    printf("   %-38s %8.2f %8.2f %8.2f %8.2f %8.2f\n", "  the same, the thread's CPU time", cpu_up.p50, cpu_up.p90,
           cpu_up.p99, cpu_up.max, cpu_up.mean);
    printf("   per origin: %.1f candidates evaluated, %.1f transitions already passing, %.1f options (%llu origins "
           "with none)\n\n",
           (double)up_candidates / (double)n_upskill, (double)up_current / (double)n_upskill,
           (double)up_options / (double)n_upskill, up_empty);

    /* ---- goals ------------------------------------------------------------ */
    printf("goals\n");
    printf("   top_all <= %.0f ms:                    1 thread %s (%.2f ms), 2 threads %s (%.2f ms)\n",
           GOAL_TOP_ALL_MS, bench_met(med1 <= GOAL_TOP_ALL_MS), med1, bench_met(med2 <= GOAL_TOP_ALL_MS), med2);
    if (peer.ok)
        printf("   top_all >= %.0fx faster than the peer:  1 thread %s (%.1fx), 2 threads %s (%.1fx)\n",
               GOAL_TOP_ALL_SPEEDUP, bench_met(peer.compute_median_ms / med1 >= GOAL_TOP_ALL_SPEEDUP),
               peer.compute_median_ms / med1, bench_met(peer.compute_median_ms / med2 >= GOAL_TOP_ALL_SPEEDUP),
               peer.compute_median_ms / med2);
    else
        printf("   top_all >= %.0fx faster than the peer:  not measured (%s)\n", GOAL_TOP_ALL_SPEEDUP, peer.why);
    printf("   query + gaps p50 <= %.0f µs:            %s (%.1f µs)\n", GOAL_QUERY_P50_US,
           bench_met(vs[0].p50 <= GOAL_QUERY_P50_US), vs[0].p50);
    printf("   query + gaps p99 <= %.0f µs:           %s (%.1f µs)\n", GOAL_QUERY_P99_US,
           bench_met(vs[0].p99 <= GOAL_QUERY_P99_US), vs[0].p99);
    printf("   upskill p99 <= %.0f ms:                  %s (%.2f ms; p50 %.2f ms)\n", GOAL_UPSKILL_MS,
           bench_met(us_up.p99 <= GOAL_UPSKILL_MS), us_up.p99, us_up.p50);

    free(up_ms);
    free(up_cpu_ms);
    free(us);
    fow_similarity_workspace_free(ws);
    free(perm);
    free(dest1), free(dest2), free(sim1), free(sim2);
    free(build_ms), free(top1_ms), free(top2_ms);
    fow_similarity_index_free(x);
    fow_model_free(m);
    if (!db_arg) {
        bench_remove_db(db_path);
        rmdir(dir);
    }
    return 0;
}
