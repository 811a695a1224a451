/* eval_infer — how well fow's probable skills (fow_infer.h) recover
 * essential skills hidden from the taxonomy, and what inferring them for
 * every occupation costs (docs/transitions.md, "Probable skills").
 *
 * Validation: in every occupation with at least 5 essential skills, 20% of
 * them (at least 1) are hidden by a reproducible draw; the model and the
 * similarity index are rebuilt without those links, so neither the
 * neighbours nor the co-occurrence can see them. The inference then ranks
 * the skills each occupation does not list, and the program prints
 * precision and recall at k = 5, 10, 20 (hidden skills found in the top k,
 * over k and over the hidden ones; micro-averaged over occupations),
 * for fow's default and for baselines:
 *   popularity  the skills essential for the most occupations
 *   related     relatedness only (related_weight 1)
 *   neighbours  neighbours only (related_weight 0)
 * and, with --sweep, each parameter varied around its default. Then, at
 * the default threshold min_score, the number of probable skills per
 * occupation and the precision and recall of that set.
 *
 * Cost: probable skills of every occupation of the full model (no skill
 * hidden) with the defaults, timed over 5 rounds (median), and the peak
 * resident memory of the process before and after.
 *
 * Usage: eval_infer [DATA_DIR] [--db DB] [--sweep] [--seeds N]
 *   Imports DATA_DIR (default ../shared/data) into a temporary database, or
 *   reads DB when given. --seeds N repeats the draw with N seeds (default 1)
 *   and prints each figure's range over them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "store/fow_db.h"
#include "taxonomy/fow_model.h"
#include "transitions/fow_infer.h"
#include "transitions/fow_similarity.h"

#define SHARE 0.2
#define MIN_ESSENTIAL 5
#define N_K 3
static const uint32_t KS[N_K] = {5, 10, 20};

typedef struct result {
    double hits[N_K];      /* hidden skills found in the top k, summed */
    double shown[N_K];     /* skills ranked in the top k, summed (k, or fewer when fewer were scored) */
    double hidden;         /* hidden skills, summed */
    double probable, probable_hits; /* at the default threshold */
    uint32_t queries;
} result;

static void die(const char *what, const fow_error *err) {
    fprintf(stderr, "eval_infer: %s: %s\n", what, err ? err->message : "out of memory");
    exit(2);
}

static int is_hidden(const fow_infer_holdout *h, uint32_t o, uint32_t s) {
    for (uint32_t i = h->hidden_offsets[o]; i < h->hidden_offsets[o + 1]; i++)
        if (h->hidden[i] == s) return 1;
    return 0;
}

static void count(const fow_infer_holdout *h, uint32_t o, const uint32_t *ranked, uint32_t n, result *r) {
    uint32_t n_hidden = h->hidden_offsets[o + 1] - h->hidden_offsets[o];
    r->hidden += n_hidden;
    r->queries++;
    for (int k = 0; k < N_K; k++) {
        uint32_t top = n < KS[k] ? n : KS[k], hits = 0;
        for (uint32_t i = 0; i < top; i++) hits += (uint32_t)is_hidden(h, o, ranked[i]);
        r->hits[k] += hits;
        r->shown[k] += KS[k]; /* precision over k slots: an empty slot is a miss */
    }
}

/* The viability rule's "strongly related" (docs/transitions.md, "Viable"):
 * over the holdout, every skill an occupation does not list but a skill it
 * lists is related to (the similarity workspace's related cover), by the
 * relatedness r = cover / related_credit: how often it is one of the
 * occupation's hidden essential skills. Precision and recall (of the hidden
 * skills) for the skills with r at least each threshold, beside the
 * probable skills' precision at the default (the precision a skill counted
 * as held for viability has). */
static void related_precision(const fow_infer_holdout *h, const fow_similarity_index *x) {
    static const float thresholds[] = {0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 0.95f, 1.0f};
    enum { N_T = sizeof thresholds / sizeof thresholds[0] };
    double shown[N_T] = {0}, hits[N_T] = {0}, hidden = 0, queries = 0;
    fow_similarity_workspace *ws = fow_similarity_workspace_new(x);
    if (!ws) die("workspace", NULL);
    const float credit = x->params.related_credit;
    for (uint32_t o = 0; o < h->model.n_occupations; o++) {
        if (h->hidden_offsets[o + 1] == h->hidden_offsets[o]) continue;
        hidden += h->hidden_offsets[o + 1] - h->hidden_offsets[o];
        queries++;
        fow_similarity_origin_occupation(ws, o);
        for (uint32_t k = 0; k < ws->n_touched; k++) {
            uint32_t s = ws->touched[k];
            if (ws->held[s] || ws->cover_via[s] == FOW_NO_INDEX || credit <= 0.0f) continue;
            float r = ws->cover[s] / credit;
            int hit = is_hidden(h, o, s);
            for (int t = 0; t < N_T; t++)
                if (r >= thresholds[t] - 1e-6f) shown[t]++, hits[t] += hit;
        }
    }
    fow_similarity_workspace_free(ws);
    printf("\nSkills not listed but related to a listed skill, by relatedness (the viability rule's\n"
           "\"strongly related\"): how many are hidden essential skills.\n\n");
    printf("| relatedness at least | per occupation | precision | recall |\n|---|---|---|---|\n");
    for (int t = 0; t < N_T; t++)
        printf("| %.2f | %.2f | %.3f | %.3f |\n", thresholds[t], queries ? shown[t] / queries : 0.0,
               shown[t] ? hits[t] / shown[t] : 0.0, hidden ? hits[t] / hidden : 0.0);
}

/* ESCO's skill hierarchy as evidence that an occupation involves a skill it
 * does not list (docs/transitions.md, "The skill hierarchy"): over the
 * holdout, for each rule, the skills an occupation does not list that the
 * rule infers from the skills it lists, and how many of them are its hidden
 * essential skills (precision; recall over all hidden skills, and over the
 * hidden skills the hierarchy can reach at all: those with a broader
 * concept in the imported hierarchy). Rules:
 *   broader   a skill directly broader than a listed skill (the viability
 *             rule's FOW_SKILL_NARROWER)
 *   narrower  a skill directly narrower than a listed skill
 *   sibling (skill)  another skill below the same broader skill
 *   sibling (group)  another skill of the same skill group
 *   sibling (group of at most 10)  the same, groups of at most 10 skills */
static void hierarchy_precision(const fow_infer_holdout *h) {
    const fow_model *m = &h->model;
    if (!m->n_skill_parents) {
        printf("\nNo skill hierarchy in this database (fow import skill_hierarchy): its rules are not measured.\n");
        return;
    }
    uint32_t ns = m->n_skills, top = ns;
    for (uint32_t i = 0; i < m->n_skill_parents; i++)
        if (m->skill_parents[i] + 1 > top) top = m->skill_parents[i] + 1;
    /* children of every entry (skill or group), compressed rows */
    uint32_t *coff = calloc((size_t)top + 2, sizeof *coff), *child = malloc((m->n_skill_parents + 1) * sizeof *child);
    uint32_t *fill = calloc((size_t)top + 1, sizeof *fill), *stamp = calloc(ns + 1, sizeof *stamp);
    uint8_t *listed = calloc(ns + 1, 1);
    if (!coff || !child || !fill || !stamp || !listed) die("hierarchy", NULL);
    for (uint32_t s = 0; s < ns; s++)
        for (uint32_t e = m->skill_parent_offsets[s]; e < m->skill_parent_offsets[s + 1]; e++) coff[m->skill_parents[e] + 1]++;
    for (uint32_t e = 0; e < top; e++) coff[e + 1] += coff[e];
    for (uint32_t s = 0; s < ns; s++)
        for (uint32_t e = m->skill_parent_offsets[s]; e < m->skill_parent_offsets[s + 1]; e++) {
            uint32_t p = m->skill_parents[e];
            child[coff[p] + fill[p]++] = s;
        }
    static const char *const names[] = {"broader than a listed skill (the viability rule)",
                                        "narrower than a listed skill", "sibling below the same broader skill",
                                        "sibling in the same skill group", "sibling in the same group of at most 10"};
    enum { N_RULES = 5 };
    double shown[N_RULES] = {0}, hits[N_RULES] = {0}, hidden = 0, reachable = 0, queries = 0;
    uint32_t round = 0;
    for (uint32_t o = 0; o < m->n_occupations; o++) {
        if (h->hidden_offsets[o + 1] == h->hidden_offsets[o]) continue;
        queries++;
        for (uint32_t i = h->hidden_offsets[o]; i < h->hidden_offsets[o + 1]; i++) {
            uint32_t s = h->hidden[i];
            hidden++;
            reachable += m->skill_parent_offsets[s + 1] > m->skill_parent_offsets[s];
        }
        for (uint32_t a = m->occ_offsets[o]; a < m->occ_offsets[o + 1]; a++) listed[m->occ_links[a].index] = 1;
        for (int rule = 0; rule < N_RULES; rule++) {
            round++;
            for (uint32_t a = m->occ_offsets[o]; a < m->occ_offsets[o + 1]; a++) {
                uint32_t t = m->occ_links[a].index;
                /* the candidates of t under this rule: a range of child[] or one skill */
                for (uint32_t e = m->skill_parent_offsets[t]; e < m->skill_parent_offsets[t + 1] || rule == 1; e++) {
                    const uint32_t *cand;
                    uint32_t n_cand, one;
                    if (rule == 1) {
                        cand = child + coff[t], n_cand = coff[t + 1] - coff[t];
                    } else {
                        uint32_t p = m->skill_parents[e];
                        if (rule == 0) {
                            if (p >= ns) continue;
                            one = p, cand = &one, n_cand = 1;
                        } else {
                            if ((rule == 2) != (p < ns)) continue;
                            n_cand = coff[p + 1] - coff[p];
                            if (rule == 4 && n_cand > 10) continue;
                            cand = child + coff[p];
                        }
                    }
                    for (uint32_t c = 0; c < n_cand; c++) {
                        uint32_t s = cand[c];
                        if (listed[s] || stamp[s] == round) continue;
                        stamp[s] = round;
                        shown[rule]++;
                        hits[rule] += is_hidden(h, o, s);
                    }
                    if (rule == 1) break;
                }
            }
        }
        for (uint32_t a = m->occ_offsets[o]; a < m->occ_offsets[o + 1]; a++) listed[m->occ_links[a].index] = 0;
    }
    printf("\nESCO's skill hierarchy: skills not listed that a rule infers from the listed ones; how many are\n"
           "hidden essential skills (%.0f hidden, %.0f of them with a broader concept in the hierarchy).\n\n",
           hidden, reachable);
    printf("| rule | per occupation | precision | recall | recall of the reachable |\n|---|---|---|---|---|\n");
    for (int rule = 0; rule < N_RULES; rule++)
        printf("| %s | %.2f | %.3f | %.4f | %.4f |\n", names[rule], queries ? shown[rule] / queries : 0.0,
               shown[rule] ? hits[rule] / shown[rule] : 0.0, hidden ? hits[rule] / hidden : 0.0,
               reachable ? hits[rule] / reachable : 0.0);
    free(coff), free(child), free(fill), free(stamp), free(listed);
}

/* fow_infer with params (min_score 0, limit 20: a ranking) over the holdout. */
static void run_infer(const fow_infer_holdout *h, const fow_similarity_index *x, const fow_infer_params *params,
                      result *r) {
    memset(r, 0, sizeof *r);
    fow_similarity_workspace *ws = fow_similarity_workspace_new(x);
    if (!ws) die("workspace", NULL);
    fow_infer_params rank = *params;
    rank.min_score = 0.0f;
    rank.limit = 20;
    fow_probable_skill found[FOW_INFER_MAX];
    uint32_t ranked[FOW_INFER_MAX];
    fow_error err;
    for (uint32_t o = 0; o < h->model.n_occupations; o++) {
        if (h->hidden_offsets[o + 1] == h->hidden_offsets[o]) continue;
        uint32_t n;
        if (fow_infer_occupation(ws, &rank, o, found, FOW_INFER_MAX, &n, &err)) die("infer", &err);
        for (uint32_t i = 0; i < n; i++) ranked[i] = found[i].skill;
        count(h, o, ranked, n, r);
        if (fow_infer_occupation(ws, params, o, found, FOW_INFER_MAX, &n, &err)) die("infer", &err);
        r->probable += n;
        for (uint32_t i = 0; i < n; i++) r->probable_hits += is_hidden(h, o, found[i].skill);
    }
    fow_similarity_workspace_free(ws);
}

static const uint32_t *popularity_freq; /* for more_frequent_first */

static int more_frequent_first(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (popularity_freq[x] != popularity_freq[y]) return popularity_freq[x] > popularity_freq[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* The skills essential for the most occupations, not listed by o. */
static void run_popularity(const fow_infer_holdout *h, result *r) {
    memset(r, 0, sizeof *r);
    const fow_model *m = &h->model;
    uint32_t *order = bench_xmalloc(m->n_skills * sizeof *order);
    uint32_t *freq = calloc(m->n_skills + 1, sizeof *freq);
    uint8_t *listed = calloc(m->n_skills + 1, 1);
    if (!freq || !listed) die("popularity", NULL);
    for (uint32_t a = 0; a < m->n_links; a++)
        if (m->occ_links[a].essential) freq[m->occ_links[a].index]++;
    for (uint32_t s = 0; s < m->n_skills; s++) order[s] = s;
    popularity_freq = freq;
    qsort(order, m->n_skills, sizeof *order, more_frequent_first);
    uint32_t n_top = m->n_skills;
    uint32_t ranked[20];
    for (uint32_t o = 0; o < m->n_occupations; o++) {
        if (h->hidden_offsets[o + 1] == h->hidden_offsets[o]) continue;
        for (uint32_t a = m->occ_offsets[o]; a < m->occ_offsets[o + 1]; a++) listed[m->occ_links[a].index] = 1;
        uint32_t n = 0;
        for (uint32_t i = 0; i < n_top && n < 20; i++)
            if (!listed[order[i]]) ranked[n++] = order[i];
        for (uint32_t a = m->occ_offsets[o]; a < m->occ_offsets[o + 1]; a++) listed[m->occ_links[a].index] = 0;
        count(h, o, ranked, n, r);
    }
    free(order), free(freq), free(listed);
}

static void print_header(void) {
    printf("| method | P@5 | R@5 | P@10 | R@10 | P@20 | R@20 | probable per occ. | P(probable) | R(probable) |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|\n");
}

static void print_row(const char *name, const result *r, int has_threshold) {
    printf("| %s ", name);
    for (int k = 0; k < N_K; k++) printf("| %.3f | %.3f ", r->hits[k] / r->shown[k], r->hits[k] / r->hidden);
    if (has_threshold)
        printf("| %.1f | %.3f | %.3f |\n", r->probable / r->queries,
               r->probable > 0 ? r->probable_hits / r->probable : 0.0, r->probable_hits / r->hidden);
    else
        printf("| – | – | – |\n");
}

static void variant(const fow_infer_holdout *h, const fow_similarity_index *x, const char *name,
                    const fow_infer_params *p) {
    result r;
    run_infer(h, x, p, &r);
    print_row(name, &r, 1);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static long peak_rss_kb(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

/* The cost of the defaults over every occupation of the full model. */
static void cost(const fow_model *m) {
    fow_error err;
    long rss_model = peak_rss_kb();
    double t0 = bench_now_ms();
    fow_similarity_index *x;
    if (fow_similarity_index_build(m, NULL, &x, &err)) die("index", &err);
    double build_ms = bench_now_ms() - t0;
    long rss_index = peak_rss_kb();
    fow_similarity_workspace *ws = fow_similarity_workspace_new(x);
    if (!ws) die("workspace", NULL);
    fow_probable_skill found[FOW_INFER_MAX];
    double rounds[5];
    uint64_t total = 0, with_any = 0;
    double *per = bench_xmalloc(m->n_occupations * sizeof *per);
    for (int round = 0; round < 5; round++) {
        double r0 = bench_now_ms();
        total = 0, with_any = 0;
        for (uint32_t o = 0; o < m->n_occupations; o++) {
            uint32_t n;
            double o0 = round == 0 ? bench_now_ms() : 0.0;
            if (fow_infer_occupation(ws, NULL, o, found, FOW_INFER_MAX, &n, &err)) die("infer", &err);
            if (round == 0) per[o] = bench_now_ms() - o0;
            total += n;
            with_any += n > 0;
        }
        rounds[round] = bench_now_ms() - r0;
    }
    qsort(rounds, 5, sizeof *rounds, cmp_double);
    qsort(per, m->n_occupations, sizeof *per, cmp_double);
    long rss_end = peak_rss_kb();
    printf("\nCost on the full model (defaults, one thread, no skill hidden):\n\n");
    printf("| measure | value |\n|---|---|\n");
    printf("| occupations | %u |\n", m->n_occupations);
    printf("| probable skills in all (mean per occupation) | %llu (%.1f) |\n", (unsigned long long)total,
           (double)total / m->n_occupations);
    printf("| occupations with at least one | %llu (%.0f%%) |\n", (unsigned long long)with_any,
           100.0 * (double)with_any / m->n_occupations);
    printf("| all occupations, median of 5 rounds | %.1f ms |\n", rounds[2]);
    printf("| one occupation: median / p99 / max | %.3f / %.3f / %.3f ms |\n", per[m->n_occupations / 2],
           per[(size_t)(m->n_occupations * 0.99)], per[m->n_occupations - 1]);
    printf("| similarity index build, for comparison | %.1f ms |\n", build_ms);
    printf("| peak RSS: model loaded / + index / + inference of all | %.1f / %.1f / %.1f MB |\n", rss_model / 1024.0,
           rss_index / 1024.0, rss_end / 1024.0);
    printf("| scratch per call (heap, freed) | %.0f kB |\n",
           (double)(m->n_skills + 1) * (sizeof(uint32_t) * 5 + sizeof(float) * 3 + sizeof(uint32_t)) / 1024.0);
    free(per);
    fow_similarity_workspace_free(ws);
    fow_similarity_index_free(x);
}

int main(int argc, char **argv) {
    const char *db_arg = NULL, *data_arg = NULL;
    int sweep = 0;
    long seeds = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--sweep") == 0) sweep = 1;
        else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) db_arg = argv[++i];
        else if (strcmp(argv[i], "--seeds") == 0 && i + 1 < argc && bench_parse_count(argv[i + 1], 1, 20, &seeds) == 0)
            i++;
        else if (argv[i][0] != '-' && !data_arg) data_arg = argv[i];
        else {
            fprintf(stderr, "usage: eval_infer [DATA_DIR] [--db DB] [--sweep] [--seeds N]\n");
            return strcmp(argv[i], "--help") == 0 ? 0 : 1;
        }
    }
    char dir[4096], db_path[4200];
    bench_prepare_db(db_arg, data_arg, "fow-eval-infer", dir, sizeof dir, db_path, sizeof db_path);
    fow_error err;
    fow_db *db;
    if (fow_db_open(&db, db_path, true, &err)) die(db_path, &err);
    fow_model *m;
    if (fow_model_load(db, &m, &err)) die(db_path, &err);
    fow_db_close(db);
    printf("%u occupations, %u skills, %u occupation-skill links\n", m->n_occupations, m->n_skills, m->n_links);
    cost(m); /* first, so that its peak memory is not the validation's */
    for (long seed = 1; seed <= seeds; seed++) {
        fow_infer_holdout *h;
        if (fow_infer_holdout_build(m, SHARE, MIN_ESSENTIAL, (uint64_t)seed, &h, &err)) die("holdout", &err);
        printf("\nSeed %ld: %u occupations with >= %d essential skills, %u essential skills hidden (%.0f%% of each)\n\n",
               seed, h->n_queries, MIN_ESSENTIAL, h->n_hidden, SHARE * 100);
        fow_similarity_index *x;
        if (fow_similarity_index_build(&h->model, NULL, &x, &err)) die("index", &err);
        print_header();
        result r;
        run_popularity(h, &r);
        print_row("popularity (most frequent essential skills)", &r, 0);
        fow_infer_params d, p;
        fow_infer_params_default(&d);
        p = d, p.related_weight = 1.0f;
        variant(h, x, "related skills only (related_weight 1)", &p);
        p = d, p.related_weight = 0.0f;
        variant(h, x, "neighbours only (related_weight 0)", &p);
        p = d, p.hierarchy_weight = 0.0f;
        variant(h, x, "default without the ESCO hierarchy", &p);
        variant(h, x, "**fow default**", &d);
        related_precision(h, x);
        hierarchy_precision(h);
        if (sweep) {
            char name[128];
            const uint32_t nb[] = {5, 10, 40, 80};
            for (size_t i = 0; i < 4; i++) {
                p = d, p.neighbours = nb[i];
                snprintf(name, sizeof name, "default, neighbours %u", nb[i]);
                variant(h, x, name, &p);
            }
            const float rw[] = {0.1f, 0.2f, 0.4f, 0.5f};
            for (size_t i = 0; i < 4; i++) {
                p = d, p.related_weight = rw[i];
                snprintf(name, sizeof name, "default, related_weight %.1f", rw[i]);
                variant(h, x, name, &p);
            }
            const float hw[] = {0.25f, 1.0f};
            for (size_t i = 0; i < 2; i++) {
                p = d, p.hierarchy_weight = hw[i];
                snprintf(name, sizeof name, "default, hierarchy_weight %.2f", hw[i]);
                variant(h, x, name, &p);
            }
            const float ms[] = {0.2f, 0.3f, 0.5f, 0.6f};
            for (size_t i = 0; i < 4; i++) {
                p = d, p.min_score = ms[i];
                snprintf(name, sizeof name, "default, min_score %.1f", ms[i]);
                variant(h, x, name, &p);
            }
        }
        fow_similarity_index_free(x);
        fow_infer_holdout_free(h);
    }
    fow_model_free(m);
    if (dir[0]) {
        bench_remove_db(db_path);
        rmdir(dir);
    }
    return 0;
}
