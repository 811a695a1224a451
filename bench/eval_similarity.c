/* eval_similarity — how well a similarity measure finds related occupations
 * when what relates them is hidden from it (docs/transitions.md,
 * "Validation"). No hand labels: the evidence is three independent
 * groupings the measure never sees:
 *   isco4   occupations of the same ISCO-08 unit group (4 digits);
 *   sector  occupations of the same skills-based sector (Nesta MCC
 *           attributes; only occupations that have one);
 *   parent  an occupation nested below another in ESCO: where does the
 *           parent rank among the child's destinations?
 * For each query occupation all others are ranked by sim(query -> other);
 * the program prints the mean average precision (MAP) and precision at 10
 * for isco4 and sector, the mean reciprocal rank for parent, the share of
 * queries where the measure beats or ties plain Jaccard on isco4 AP, and
 * MAP by ISCO major group (so that no part of the taxonomy is sacrificed).
 *
 * Usage: eval_similarity [DATA_DIR] [--db DB] [--sweep]
 *   Imports DATA_DIR (default ../shared/data: ESCO, MCC risk, MCC
 *   attributes) into a temporary database, or reads DB when given.
 *   --sweep also varies each parameter around its default.
 *   `make evaluate` runs it with --sweep.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transitions/fow_similarity.h"
#include "transitions/fow_transitions.h"
#include "store/fow_db.h"
#include "taxonomy/fow_model.h"
#include "bench_util.h"

typedef struct ranked {
    float score;
    uint32_t index;
} ranked;

static int ranked_best_first(const void *a, const void *b) {
    const ranked *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

typedef int (*relevant_fn)(const fow_model *m, uint32_t q, uint32_t d);

static int same_isco4(const fow_model *m, uint32_t q, uint32_t d) {
    return m->occupations[q].isco_group[0] && strcmp(m->occupations[q].isco_group, m->occupations[d].isco_group) == 0;
}

static int same_sector(const fow_model *m, uint32_t q, uint32_t d) {
    return m->occupations[q].skills_sector[0] &&
           strcmp(m->occupations[q].skills_sector, m->occupations[d].skills_sector) == 0;
}

typedef struct metrics {
    double isco_map, isco_p10, sector_map, sector_p10, parent_mrr;
    double major_map[10];
    unsigned major_n[10];
    unsigned n_isco, n_sector, n_parent;
    double *isco_ap; /* per occupation, NAN when not a query */
} metrics;

/* average precision and precision at 10 of one ranking */
static void score_ranking(const fow_model *m, uint32_t q, const ranked *r, uint32_t n, relevant_fn rel,
                          double *ap, double *p10, int *has) {
    uint32_t total = 0;
    for (uint32_t i = 0; i < n; i++) total += (uint32_t)rel(m, q, r[i].index);
    *has = total > 0;
    if (!total) return;
    double sum = 0.0;
    uint32_t hits = 0, top = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (rel(m, q, r[i].index)) {
            hits++;
            sum += (double)hits / (double)(i + 1);
            if (i < 10) top++;
        }
    }
    *ap = sum / total;
    *p10 = top / 10.0;
}

/* scores: fills row with sim(q -> d) for all d */
typedef void (*scores_fn)(void *ctx, uint32_t q, float *row);

static void evaluate(const fow_model *m, scores_fn scores, void *ctx, metrics *out) {
    memset(out, 0, sizeof *out);
    out->isco_ap = malloc(m->n_occupations * sizeof *out->isco_ap);
    float *row = malloc(m->n_occupations * sizeof *row);
    ranked *r = malloc(m->n_occupations * sizeof *r);
    if (!out->isco_ap || !row || !r) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    for (uint32_t q = 0; q < m->n_occupations; q++) {
        out->isco_ap[q] = NAN;
        scores(ctx, q, row);
        uint32_t n = 0;
        for (uint32_t d = 0; d < m->n_occupations; d++)
            if (d != q) r[n++] = (ranked){row[d], d};
        qsort(r, n, sizeof *r, ranked_best_first);
        double ap, p10;
        int has;
        score_ranking(m, q, r, n, same_isco4, &ap, &p10, &has);
        if (has) {
            out->isco_map += ap, out->isco_p10 += p10, out->n_isco++;
            out->isco_ap[q] = ap;
            int major = m->occupations[q].isco_group[0] - '0';
            if (major >= 0 && major <= 9) out->major_map[major] += ap, out->major_n[major]++;
        }
        score_ranking(m, q, r, n, same_sector, &ap, &p10, &has);
        if (has) out->sector_map += ap, out->sector_p10 += p10, out->n_sector++;
        uint32_t parent = m->occupations[q].parent;
        if (parent != FOW_NO_INDEX) {
            for (uint32_t i = 0; i < n; i++)
                if (r[i].index == parent) {
                    out->parent_mrr += 1.0 / (i + 1);
                    break;
                }
            out->n_parent++;
        }
    }
    if (out->n_isco) out->isco_map /= out->n_isco, out->isco_p10 /= out->n_isco;
    if (out->n_sector) out->sector_map /= out->n_sector, out->sector_p10 /= out->n_sector;
    if (out->n_parent) out->parent_mrr /= out->n_parent;
    for (int g = 0; g < 10; g++)
        if (out->major_n[g]) out->major_map[g] /= out->major_n[g];
    free(row);
    free(r);
}

static void jaccard_scores(void *ctx, uint32_t q, float *row) {
    const fow_model *m = ctx;
    for (uint32_t d = 0; d < m->n_occupations; d++) row[d] = fow_similarity_jaccard(m, q, d);
}

static void fow_scores(void *ctx, uint32_t q, float *row) {
    fow_similarity_workspace *ws = ctx;
    fow_similarity_origin_occupation(ws, q);
    const float *s = fow_similarity_scores(ws);
    memcpy(row, s, ws->index->model->n_occupations * sizeof *row);
}

static double beats(const metrics *a, const metrics *base, uint32_t n) {
    unsigned better = 0, total = 0;
    for (uint32_t q = 0; q < n; q++) {
        if (isnan(a->isco_ap[q])) continue;
        total++;
        if (a->isco_ap[q] >= base->isco_ap[q] - 1e-9) better++;
    }
    return total ? (double)better / total : 0.0;
}

static double worst_major(const metrics *x) {
    double worst = 1.0;
    for (int g = 0; g < 10; g++)
        if (x->major_n[g] && x->major_map[g] < worst) worst = x->major_map[g];
    return worst;
}

static void print_header(void) {
    printf("| measure | ISCO-4 MAP | ISCO-4 P@10 | sector MAP | sector P@10 | parent MRR | >= Jaccard | worst major group MAP |\n");
    printf("|---|---|---|---|---|---|---|---|\n");
}

static void print_row(const char *name, const metrics *x, const metrics *base, uint32_t n) {
    printf("| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.1f%% | %.3f |\n", name, x->isco_map, x->isco_p10,
           x->sector_map, x->sector_p10, x->parent_mrr, 100.0 * beats(x, base, n), worst_major(x));
    fflush(stdout);
}

static void run_variant(const fow_model *m, const char *name, const fow_similarity_params *p, const metrics *base,
                        metrics *out) {
    fow_error err;
    fow_similarity_index *x;
    if (fow_similarity_index_build(m, p, &x, &err)) {
        fprintf(stderr, "%s: %s\n", name, err.message);
        exit(2);
    }
    fow_similarity_workspace *ws = fow_similarity_workspace_new(x);
    if (!ws) exit(2);
    evaluate(m, fow_scores, ws, out);
    print_row(name, out, base, m->n_occupations);
    fow_similarity_workspace_free(ws);
    fow_similarity_index_free(x);
}

static int cmp_float(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

static void print_quantiles(const char *name, float *v, size_t n) {
    if (!n) return;
    qsort(v, n, sizeof *v, cmp_float);
    printf("| %s | %zu | %.3f | %.3f | %.3f | %.3f | %.3f |\n", name, n, v[n / 10], v[n / 4], v[n / 2], v[n * 3 / 4],
           v[n * 9 / 10]);
}

/* Distribution of the default measure over kinds of pairs: the evidence
 * for the viable and highly viable thresholds. */
static void calibrate(const fow_model *m) {
    fow_error err;
    fow_similarity_index *x;
    if (fow_similarity_index_build(m, NULL, &x, &err)) exit(2);
    fow_similarity_workspace *ws = fow_similarity_workspace_new(x);
    size_t n = m->n_occupations, cap = n * n;
    float *all = malloc(cap / 7 * sizeof *all + 16), *unit = malloc(cap * sizeof *unit / 50 + 1024);
    float *minor = malloc(cap * sizeof *minor / 10 + 1024), *nested = malloc(4 * n * sizeof *nested);
    float *top1 = malloc(n * sizeof *top1), *top10 = malloc(n * sizeof *top10);
    size_t n_all = 0, n_unit = 0, n_minor = 0, n_nested = 0, n_top = 0;
    float best[10];
    for (uint32_t o = 0; o < n; o++) {
        fow_similarity_origin_occupation(ws, o);
        const float *s = fow_similarity_scores(ws);
        for (int i = 0; i < 10; i++) best[i] = 0;
        for (uint32_t d = 0; d < n; d++) {
            if (d == o) continue;
            if ((o * 7 + d) % 7 == 0 && n_all < cap / 7) all[n_all++] = s[d];
            const char *a = m->occupations[o].isco_group, *b = m->occupations[d].isco_group;
            if (a[0] && strcmp(a, b) == 0) unit[n_unit++] = s[d];
            else if (a[0] && strncmp(a, b, 3) == 0 && n_minor < cap / 10) minor[n_minor++] = s[d];
            if (m->occupations[o].parent == d || m->occupations[d].parent == o) nested[n_nested++] = s[d];
            if (s[d] > best[9]) {
                int i = 9;
                while (i > 0 && best[i - 1] < s[d]) best[i] = best[i - 1], i--;
                best[i] = s[d];
            }
        }
        top1[n_top] = best[0], top10[n_top++] = best[9];
    }
    printf("\nSimilarity of the default measure over kinds of pairs (quantiles):\n\n");
    printf("| pairs | n | 10%% | 25%% | median | 75%% | 90%% |\n|---|---|---|---|---|---|---|\n");
    print_quantiles("any two occupations (every 7th pair)", all, n_all);
    print_quantiles("same ISCO minor group (3 digits), other unit group", minor, n_minor);
    print_quantiles("same ISCO unit group (4 digits)", unit, n_unit);
    print_quantiles("ESCO parent and nested occupation, both ways", nested, n_nested);
    print_quantiles("an occupation's nearest other occupation", top1, n_top);
    print_quantiles("an occupation's 10th nearest", top10, n_top);
    free(all), free(unit), free(minor), free(nested), free(top1), free(top10);
    fow_similarity_workspace_free(ws);
    fow_similarity_index_free(x);
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The number of safe and desirable viable moves of the occupations of one
 * group (docs/transitions.md, "Options for a worker at risk"): how many
 * have none, fewer than three, and the median. */
static void options_row(const char *name, const fow_model *m, fow_similarity_workspace *ws,
                        const fow_transition_query *q, int (*member)(const fow_model_occupation *)) {
    uint32_t *counts = malloc((m->n_occupations + 1) * sizeof *counts), n = 0;
    fow_transition *out = malloc(sizeof *out * 4);
    if (!counts || !out) exit(2);
    for (uint32_t o = 0; o < m->n_occupations; o++) {
        if (!member(&m->occupations[o])) continue;
        uint32_t got, matching;
        fow_transitions_from_occupation(ws, o, q, out, 4, &got, &matching);
        counts[n++] = matching;
    }
    qsort(counts, n, sizeof *counts, cmp_u32);
    uint32_t none = 0, few = 0;
    double sum = 0;
    for (uint32_t i = 0; i < n; i++) none += counts[i] == 0, few += counts[i] < 3, sum += counts[i];
    if (n)
        printf("| %s | %s | %u | %.1f%% | %.1f%% | %u | %u | %u | %.1f |\n", name, fow_risk_model_name(q->model), n,
               100.0 * none / n, 100.0 * few / n, counts[n / 4], counts[n / 2], counts[n * 3 / 4], sum / n);
    free(counts);
    free(out);
}

static int any_occupation(const fow_model_occupation *o) { (void)o; return 1; }
static int mcc_high(const fow_model_occupation *o) { return o->mcc_category == FOW_RISK_HIGH; }
static int fo_high(const fow_model_occupation *o) { return o->risk_frey_osborne >= FOW_FREY_OSBORNE_HIGH_RISK; }

/* --options: the distribution of the count of safe and desirable viable
 * moves, for all occupations, MCC "High risk" ones and Frey & Osborne >= 0.7
 * ones, each judged under its own model. */
static void options(const fow_model *m) {
    fow_error err;
    fow_similarity_index *x;
    if (fow_similarity_index_build(m, NULL, &x, &err)) exit(2);
    fow_similarity_workspace *ws = fow_similarity_workspace_new(x);
    if (!ws) exit(2);
    printf("\nSafe and desirable viable moves per occupation (default thresholds and rules):\n\n");
    printf("| occupations | risk model | n | none | fewer than 3 | 25%% | median | 75%% | mean |\n");
    printf("|---|---|---|---|---|---|---|---|---|\n");
    fow_transition_query q;
    fow_transition_query_default(x, &q);
    q.safe = 1, q.desirable = 1;
    options_row("all", m, ws, &q, any_occupation);
    options_row("MCC \"High risk\"", m, ws, &q, mcc_high);
    q.model = FOW_RISK_MODEL_FREY_OSBORNE;
    options_row("all", m, ws, &q, any_occupation);
    options_row("Frey & Osborne >= 0.7", m, ws, &q, fo_high);
    fow_similarity_workspace_free(ws);
    fow_similarity_index_free(x);
}

int main(int argc, char **argv) {
    const char *db_arg = NULL, *data_arg = NULL;
    int sweep = 0, options_only = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--sweep") == 0) sweep = 1;
        else if (strcmp(argv[i], "--options") == 0) options_only = 1;
        else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) db_arg = argv[++i];
        else if (argv[i][0] != '-' && !data_arg) data_arg = argv[i];
        else {
            fprintf(stderr, "usage: eval_similarity [DATA_DIR] [--db DB] [--sweep] [--options]\n");
            return strcmp(argv[i], "--help") == 0 ? 0 : 1;
        }
    }
    char dir[4096], db_path[4200];
    bench_prepare_db(db_arg, data_arg, "fow-eval-similarity", dir, sizeof dir, db_path, sizeof db_path);
    fow_error err;
    fow_db *db;
    if (fow_db_open(&db, db_path, true, &err)) {
        fprintf(stderr, "%s: %s\n", db_path, err.message);
        return 1;
    }
    fow_model *m;
    if (fow_model_load(db, &m, &err)) {
        fprintf(stderr, "%s: %s\n", db_path, err.message);
        return 1;
    }
    fow_db_close(db);
    printf("%u occupations, %u skills\n\n", m->n_occupations, m->n_skills);
    if (options_only) {
        options(m);
        fow_model_free(m);
        return 0;
    }
    print_header();
    metrics base, x;
    evaluate(m, jaccard_scores, (void *)m, &base);
    print_row("Jaccard of skill sets (baseline)", &base, &base, m->n_occupations);

    fow_similarity_params d, p;
    fow_similarity_params_default(&d);
    p = d;
    p.idf = 0, p.related_cooccurrence = 0, p.related_words = 0, p.optional_weight = 1, p.reverse_weight = 0;
    run_variant(m, "coverage only (no weights, related skills or reverse part)", &p, &base, &x);
    free(x.isco_ap);
    p.reverse_weight = d.reverse_weight;
    run_variant(m, "coverage + reverse 0.4, no weights", &p, &base, &x);
    free(x.isco_ap);
    p = d;
    p.related_cooccurrence = 0, p.related_words = 0;
    run_variant(m, "+ IDF weights, optional 0.5", &p, &base, &x);
    free(x.isco_ap);
    p = d;
    p.related_words = 0;
    run_variant(m, "+ related by co-occurrence", &p, &base, &x);
    free(x.isco_ap);
    p = d;
    p.related_cooccurrence = 0;
    run_variant(m, "+ related by shared words", &p, &base, &x);
    free(x.isco_ap);
    metrics def;
    run_variant(m, "fow default (both kinds of related skills)", &d, &base, &def);
    free(def.isco_ap);
    if (sweep) {
        char name[128];
        const float ow[] = {0.25f, 0.75f, 1.0f};
        for (size_t i = 0; i < 3; i++) {
            p = d, p.optional_weight = ow[i];
            snprintf(name, sizeof name, "default, optional_weight %.2f", ow[i]);
            run_variant(m, name, &p, &base, &x), free(x.isco_ap);
        }
        const float rw[] = {0.1f, 0.25f, 0.4f, 0.5f};
        for (size_t i = 0; i < 4; i++) {
            p = d, p.reverse_weight = rw[i];
            snprintf(name, sizeof name, "default, reverse_weight %.2f", rw[i]);
            run_variant(m, name, &p, &base, &x), free(x.isco_ap);
        }
        const float oc[] = {0.5f, 0.75f};
        for (size_t i = 0; i < 2; i++) {
            p = d, p.origin_optional_credit = oc[i];
            snprintf(name, sizeof name, "default, origin_optional_credit %.2f", oc[i]);
            run_variant(m, name, &p, &base, &x), free(x.isco_ap);
        }
        const float rc[] = {0.5f, 0.75f, 1.0f};
        for (size_t i = 0; i < 3; i++) {
            p = d, p.related_credit = rc[i];
            snprintf(name, sizeof name, "default, related_credit %.2f", rc[i]);
            run_variant(m, name, &p, &base, &x), free(x.isco_ap);
        }
        const uint32_t rm[] = {2, 8, 16};
        for (size_t i = 0; i < 3; i++) {
            p = d, p.related_max = rm[i];
            snprintf(name, sizeof name, "default, related_max %u", rm[i]);
            run_variant(m, name, &p, &base, &x), free(x.isco_ap);
        }
        const float mn[] = {0.3f, 0.7f};
        for (size_t i = 0; i < 2; i++) {
            p = d, p.related_min = mn[i];
            snprintf(name, sizeof name, "default, related_min %.2f", mn[i]);
            run_variant(m, name, &p, &base, &x), free(x.isco_ap);
        }
    }
    printf("\nISCO-4 MAP by ISCO major group:\n\n| major group | queries | Jaccard | fow default |\n|---|---|---|---|\n");
    for (int g = 0; g < 10; g++)
        if (def.major_n[g])
            printf("| %d | %u | %.3f | %.3f |\n", g, def.major_n[g], base.major_map[g], def.major_map[g]);
    free(base.isco_ap);
    calibrate(m);
    fow_model_free(m);
    if (dir[0]) {
        bench_remove_db(db_path);
        rmdir(dir);
    }
    return 0;
}
