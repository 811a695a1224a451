/* bench_match.c — from a gap to modules over a generated catalogue of 5,000
 * modules built from the real ESCO skills, the exact solver against the
 * greedy in the same run.
 *
 *   bench_match [DATA_DIR] [--db PATH] [--modules N] [--pairs N] [--rounds R] [--seed S]
 *
 * Without --db the full data (ESCO 1.2.0 bundle, MCC risk, MCC attributes)
 * is first imported into a temporary database (by a child process). Then:
 *
 * 1. The catalogue (never written to disk): N modules (default 5,000), each
 *    teaching 2 to 6 skills of one ESCO occupation drawn at random (so that
 *    a module's skills belong together, as a course's do), 4 to 80 hours,
 *    a price of 0 to 4,000.00 RON, taught in ro (70%), en (25%) or hu
 *    (5%); 8% need an earlier module first and 8% a skill of their
 *    occupation that they do not teach. splitmix64, seed 20261202 unless
 *    --seed.
 * 2. The pairs: origins drawn at random; each goes to one of its 5 most
 *    similar viable destinations (fow_transitions_from_occupation, the
 *    defaults), drawn at random: the gaps a counsellor would look at. The
 *    needs (essential skills to learn and optional ones not covered) and
 *    the held skills come from fow_match_plan_compute, once, untimed.
 * 3. Timing: R rounds (default 5); in each, every pair is solved with the
 *    automatic solver (exact up to 20 useful candidates), the greedy alone
 *    and the exact solver alone (it gives up beyond 24 candidates or 2
 *    million nodes and keeps the greedy's plan), in an order that rotates
 *    from pair to pair, each call timed on its own; and the whole plan
 *    (gap and match, fow_match_plan_compute) once. Per-match p50 and p99
 *    over all rounds and pairs; the ratio exact / greedy of the medians
 *    over the pairs the exact solver solved.
 *    Goal: p99 <= 5 ms for the automatic solver.
 * 4. Quality: over the pairs the exact solver solved, how often the greedy
 *    found the optimum, and its worst ratio to it (against its bound H(d)).
 */
#include <stdint.h>

#include "bench_util.h"
#include "taxonomy/fow_model.h"
#include "training/fow_match.h"
#include "transitions/fow_similarity.h"
#include "transitions/fow_transitions.h"

#define GOAL_P99_MS 5.0
#define MAX_TEACH 6

static void usage(const char *argv0) {
    fprintf(stderr, "usage: %s [DATA_DIR] [--db PATH] [--modules N] [--pairs N] [--rounds R] [--seed S]\n", argv0);
    exit(2);
}

static long parse_count(const char *text, long lo, long hi, const char *argv0) {
    long v;
    if (bench_parse_count(text, lo, hi, &v) != 0) usage(argv0);
    return v;
}

static uint32_t draw(uint64_t *state, uint32_t n) { return (uint32_t)(bench_splitmix64(state) % n); }

/* ---- the generated catalogue ---------------------------------------------- */

typedef struct generated {
    fow_training_catalogue c;
    char *codes; /* 24 bytes per module */
} generated;

static void generate(const fow_model *m, size_t n, uint64_t *rng, generated *g) {
    memset(g, 0, sizeof *g);
    g->c.modules = bench_xmalloc((n + 1) * sizeof *g->c.modules);
    g->c.links = bench_xmalloc((n * (MAX_TEACH + 2) + 1) * sizeof *g->c.links);
    g->codes = bench_xmalloc(n * 24);
    static const char *const languages[] = {"ro", "ro", "ro", "ro", "ro", "ro", "ro", "ro", "ro", "ro", "ro",
                                            "ro", "ro", "ro", "en", "en", "en", "en", "en", "hu"};
    for (size_t i = 0; i < n; i++) {
        fow_training_module *mod = &g->c.modules[i];
        memset(mod, 0, sizeof *mod);
        char *code = g->codes + 24 * i;
        snprintf(code, 24, "G%05u", (unsigned)(i % 100000000u));
        mod->id = (int64_t)i + 1;
        mod->code = code;
        mod->provider = "generated provider";
        mod->accreditation = mod->accreditation_valid_until = mod->programme = "";
        mod->title_ro = mod->title_en = code;
        mod->description_ro = mod->description_en = mod->place = mod->eligibility = "";
        mod->mode = "online";
        mod->hours = 4 + draw(rng, 77);
        mod->cost_minor = (long long)draw(rng, 801) * 500;
        mod->currency = "RON";
        mod->language = languages[draw(rng, 20)];
        mod->links = &g->c.links[g->c.n_links];
        uint32_t o;
        do o = draw(rng, m->n_occupations);
        while (m->occ_offsets[o + 1] - m->occ_offsets[o] < 3);
        uint32_t first = m->occ_offsets[o], count = m->occ_offsets[o + 1] - first;
        uint32_t want = 2 + draw(rng, MAX_TEACH - 1), taught[MAX_TEACH], n_taught = 0;
        for (uint32_t tries = 0; n_taught < want && tries < 40; tries++) {
            uint32_t s = m->occ_links[first + draw(rng, count)].index;
            bool dup = false;
            for (uint32_t k = 0; k < n_taught; k++) dup |= taught[k] == s;
            if (dup) continue;
            taught[n_taught++] = s;
            fow_training_link *l = &g->c.links[g->c.n_links++];
            *l = (fow_training_link){FOW_TRAINING_TEACHES, m->skills[s].id, m->skills[s].uri, m->skills[s].label, 0};
            mod->n_links++;
        }
        if (i > 0 && draw(rng, 100) < 8) {
            size_t r = draw(rng, (uint32_t)i);
            fow_training_link *l = &g->c.links[g->c.n_links++];
            *l = (fow_training_link){FOW_TRAINING_NEEDS_MODULE, 0, "", g->codes + 24 * r, (int64_t)r + 1};
            mod->n_links++;
        }
        if (draw(rng, 100) < 8) {
            uint32_t s = m->occ_links[first + draw(rng, count)].index;
            bool own = false;
            for (uint32_t k = 0; k < n_taught; k++) own |= taught[k] == s;
            if (!own) {
                fow_training_link *l = &g->c.links[g->c.n_links++];
                *l = (fow_training_link){FOW_TRAINING_NEEDS_SKILL, m->skills[s].id, m->skills[s].uri,
                                         m->skills[s].label, 0};
                mod->n_links++;
            }
        }
        g->c.n_modules++;
    }
}

/* ---- the pairs -------------------------------------------------------------- */

typedef struct pair {
    uint32_t origin, destination;
    fow_match_need *needs;
    size_t n_needs;
    int64_t *held;
    size_t n_held;
} pair;

typedef struct latency_stats {
    double p50, p99, max;
} latency_stats;

static latency_stats stats_of(double *v, size_t n) {
    latency_stats s = {0, 0, 0};
    if (!n) return s;
    bench_sort(v, n);
    s.p50 = bench_percentile_sorted(v, n, 50);
    s.p99 = bench_percentile_sorted(v, n, 99);
    s.max = v[n - 1];
    return s;
}

enum { S_AUTO, S_GREEDY, S_EXACT, S_N };

int main(int argc, char **argv) {
    const char *data_arg = NULL, *db_arg = NULL;
    long n_modules = 5000, n_pairs = 1000, rounds = 5;
    uint64_t seed = 20261202;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) db_arg = argv[++i];
        else if (strcmp(argv[i], "--modules") == 0 && i + 1 < argc) n_modules = parse_count(argv[++i], 1, 1000000, argv[0]);
        else if (strcmp(argv[i], "--pairs") == 0 && i + 1 < argc) n_pairs = parse_count(argv[++i], 1, 1000000, argv[0]);
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) rounds = parse_count(argv[++i], 1, 1000, argv[0]);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
        else if (argv[i][0] == '-') usage(argv[0]);
        else if (!data_arg) data_arg = argv[i];
        else usage(argv[0]);
    }
    char dir[4096], db_path[4200];
    bench_prepare_db(db_arg, data_arg, "fow-bench-match", dir, sizeof dir, db_path, sizeof db_path);
    fow_error err;
    fow_error_clear(&err);
    fow_db *db = NULL;
    if (fow_db_open(&db, db_path, true, &err) != FOW_OK) bench_die("fow_db_open", &err);
    fow_model *m = NULL;
    if (fow_model_load(db, &m, &err) != FOW_OK) bench_die("fow_model_load", &err);
    fow_db_close(db);
    fow_similarity_index *index = NULL;
    if (fow_similarity_index_build(m, NULL, &index, &err) != FOW_OK) bench_die("fow_similarity_index_build", &err);
    fow_similarity_workspace *ws = fow_similarity_workspace_new(index);
    if (!ws) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }

    uint64_t rng = seed;
    generated g;
    generate(m, (size_t)n_modules, &rng, &g);
    fow_match_index *x = NULL;
    double t0 = bench_now_ms();
    if (fow_match_index_build(&g.c, &x, &err) != FOW_OK) bench_die("fow_match_index_build", &err);
    double index_ms = bench_now_ms() - t0;

    printf("bench_match: from a gap to modules, %ld generated modules over the ESCO skills of %s\n", n_modules,
           db_arg ? db_path : "the full data");
    printf("catalogue: %zu modules, %zu links (skills taught and prerequisites); index built in %.2f ms\n",
           g.c.n_modules, g.c.n_links, index_ms);

    /* the pairs, their needs computed once */
    pair *pairs = bench_xmalloc((size_t)n_pairs * sizeof *pairs);
    fow_transition_query q;
    fow_transition_query_default(index, &q);
    q.limit = 5;
    fow_transition moves[5];
    size_t total_needs = 0;
    for (long i = 0; i < n_pairs; i++) {
        pair *p = &pairs[i];
        p->origin = draw(&rng, m->n_occupations);
        uint32_t n = 0;
        fow_similarity_origin_occupation(ws, p->origin);
        fow_transitions_from_occupation(ws, p->origin, &q, moves, 5, &n, NULL);
        do p->destination = n ? moves[draw(&rng, n)].destination : draw(&rng, m->n_occupations);
        while (p->destination == p->origin);
        fow_match_plan plan;
        if (fow_match_plan_compute(ws, x, p->origin, NULL, 0, FOW_NO_INDEX, p->destination, 1, NULL, &plan, &err))
            bench_die("fow_match_plan_compute", &err);
        p->n_needs = plan.n_needs;
        p->needs = bench_xmalloc((plan.n_needs + 1) * sizeof *p->needs);
        memcpy(p->needs, plan.needs, plan.n_needs * sizeof *p->needs);
        uint32_t a = m->occ_offsets[p->origin], b = m->occ_offsets[p->origin + 1];
        p->n_held = b - a;
        p->held = bench_xmalloc((p->n_held + 1) * sizeof *p->held);
        for (uint32_t k = a; k < b; k++) p->held[k - a] = m->skills[m->occ_links[k].index].id;
        total_needs += p->n_needs;
        fow_match_plan_free(&plan);
    }
    printf("pairs: %ld (origin drawn at random, destination one of its 5 most similar viable moves); "
           "%.1f skills to learn on average\n",
           n_pairs, (double)total_needs / (double)n_pairs);

    /* timing */
    size_t n_samples = (size_t)n_pairs * (size_t)rounds;
    double *lat[S_N], *plan_lat = bench_xmalloc(n_samples * sizeof *plan_lat);
    double *exact_solved[2]; /* greedy and exact latencies over the pairs the exact solver solved */
    for (int s = 0; s < S_N; s++) lat[s] = bench_xmalloc(n_samples * sizeof *lat[s]);
    for (int s = 0; s < 2; s++) exact_solved[s] = bench_xmalloc(n_samples * sizeof *exact_solved[s]);
    size_t n_lat = 0, n_solved = 0, n_plan = 0;
    long long *greedy_obj = bench_xmalloc((size_t)n_pairs * sizeof *greedy_obj);
    long long *exact_obj = bench_xmalloc((size_t)n_pairs * sizeof *exact_obj);
    uint32_t *max_set = bench_xmalloc((size_t)n_pairs * sizeof *max_set);
    double *candidates = bench_xmalloc((size_t)n_pairs * sizeof *candidates);
    int *exact_ok = bench_xmalloc((size_t)n_pairs * sizeof *exact_ok);
    long auto_exact = 0, covered = 0, coverable = 0, needed = 0;
    fow_match_params params[S_N];
    for (int s = 0; s < S_N; s++) fow_match_params_default(&params[s]);
    params[S_GREEDY].solver = FOW_MATCH_SOLVER_GREEDY;
    params[S_EXACT].solver = FOW_MATCH_SOLVER_EXACT;
    for (long r = 0; r < rounds; r++) {
        for (long i = 0; i < n_pairs; i++) {
            pair *p = &pairs[i];
            double t[S_N];
            for (int k = 0; k < S_N; k++) {
                int s = (int)((i + r + k) % S_N);
                fow_match_result res;
                long long a = bench_now_ns();
                fow_code rc = fow_match_solve(x, p->needs, p->n_needs, p->held, p->n_held, &params[s], &res, &err);
                long long b = bench_now_ns();
                if (rc) bench_die("fow_match_solve", &err);
                t[s] = (double)(b - a) / 1e6;
                if (r == 0) {
                    if (s == S_GREEDY) greedy_obj[i] = res.objective, max_set[i] = res.max_set;
                    if (s == S_EXACT) {
                        exact_obj[i] = res.objective;
                        exact_ok[i] = res.solver_used == FOW_MATCH_SOLVER_EXACT;
                        candidates[i] = res.candidates;
                    }
                    if (s == S_AUTO) {
                        auto_exact += res.solver_used == FOW_MATCH_SOLVER_EXACT;
                        covered += res.covered;
                        coverable += res.coverable;
                        needed += (long)res.n_needs;
                    }
                }
                fow_match_result_free(&res);
            }
            for (int s = 0; s < S_N; s++) lat[s][n_lat] = t[s];
            n_lat++;
            if (exact_ok[i]) {
                exact_solved[0][n_solved] = t[S_GREEDY];
                exact_solved[1][n_solved] = t[S_EXACT];
                n_solved++;
            }
            fow_match_plan plan;
            long long a = bench_now_ns();
            if (fow_match_plan_compute(ws, x, p->origin, NULL, 0, FOW_NO_INDEX, p->destination, 1, NULL, &plan, &err))
                bench_die("fow_match_plan_compute", &err);
            plan_lat[n_plan++] = (double)(bench_now_ns() - a) / 1e6;
            fow_match_plan_free(&plan);
        }
    }
    static const char *const names[S_N] = {"auto (exact <= 20 candidates)", "greedy", "exact (<= 24 candidates)"};
    latency_stats st[S_N];
    printf("\nper match (fow_match_solve), %zu calls each, %ld rounds:\n", n_lat, rounds);
    for (int s = 0; s < S_N; s++) {
        st[s] = stats_of(lat[s], n_lat);
        printf("  %-30s p50 %8.3f ms   p99 %8.3f ms   max %8.3f ms\n", names[s], st[s].p50, st[s].p99, st[s].max);
    }
    latency_stats ps = stats_of(plan_lat, n_plan);
    printf("  %-30s p50 %8.3f ms   p99 %8.3f ms   max %8.3f ms\n", "whole plan (gap + auto match)", ps.p50, ps.p99,
           ps.max);
    latency_stats sg = stats_of(exact_solved[0], n_solved), se = stats_of(exact_solved[1], n_solved);
    printf("\nover the %zu calls whose pair the exact solver solved: greedy p50 %.3f ms, exact p50 %.3f ms: "
           "exact / greedy = %.2f (p99 %.2f)\n",
           n_solved, sg.p50, se.p50, sg.p50 > 0 ? se.p50 / sg.p50 : 0.0, sg.p99 > 0 ? se.p99 / sg.p99 : 0.0);
    printf("auto / greedy (medians, all pairs) = %.2f\n", st[S_GREEDY].p50 > 0 ? st[S_AUTO].p50 / st[S_GREEDY].p50 : 0.0);

    /* quality */
    long solved = 0, optimal = 0;
    double worst = 1.0, worst_bound = 0.0;
    for (long i = 0; i < n_pairs; i++) {
        if (!exact_ok[i]) continue;
        solved++;
        if (greedy_obj[i] == exact_obj[i]) optimal++;
        if (greedy_obj[i] < exact_obj[i]) {
            fprintf(stderr, "pair %ld: the greedy (%lld) beat the exact solver (%lld)\n", i, greedy_obj[i], exact_obj[i]);
            return 1;
        }
        double ratio = exact_obj[i] > 0 ? (double)greedy_obj[i] / (double)exact_obj[i] : 1.0;
        if (ratio > worst) worst = ratio, worst_bound = fow_match_harmonic(max_set[i]);
    }
    bench_sort(candidates, (size_t)n_pairs);
    printf("\nquality: the exact solver solved %ld of %ld pairs (candidates p50 %.0f, p99 %.0f, max %.0f); the "
           "automatic solver used it for %ld.\n",
           solved, n_pairs, bench_percentile_sorted(candidates, (size_t)n_pairs, 50),
           bench_percentile_sorted(candidates, (size_t)n_pairs, 99), candidates[n_pairs - 1], auto_exact);
    printf("the greedy found the optimum in %ld of %ld (%.1f%%); worst greedy / optimum %.4f (its bound H(d) there "
           "%.2f)\n",
           optimal, solved, solved ? 100.0 * (double)optimal / (double)solved : 0.0, worst, worst_bound);
    printf("coverage (auto): %ld of %ld skills to learn covered, %ld coverable by a usable module\n", covered, needed,
           coverable);
    printf("\ngoal p99 <= %.0f ms per match (auto): %s\n", GOAL_P99_MS, bench_met(st[S_AUTO].p99 <= GOAL_P99_MS));

    for (long i = 0; i < n_pairs; i++) free(pairs[i].needs), free(pairs[i].held);
    free(pairs);
    for (int s = 0; s < S_N; s++) free(lat[s]);
    free(exact_solved[0]), free(exact_solved[1]), free(plan_lat);
    free(greedy_obj), free(exact_obj), free(max_set), free(candidates), free(exact_ok);
    fow_match_index_free(x);
    free(g.c.modules), free(g.c.links), free(g.codes);
    fow_similarity_workspace_free(ws);
    fow_similarity_index_free(index);
    fow_model_free(m);
    if (!db_arg) {
        bench_remove_db(db_path);
        rmdir(dir);
    }
    return 0;
}
