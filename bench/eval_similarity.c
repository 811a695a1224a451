/* eval_similarity — how well a similarity measure finds related occupations
 * when what relates them is hidden from it (docs/transitions.md,
 * "Validation"). No hand labels: the evidence is three independent
 * groupings the measure never sees:
 *   isco4   occupations of the same ISCO-08 unit group (4 digits);
 *   sector  occupations of the same skills-based sector (Nesta MCC
 *           attributes; only occupations that have one);
 *   subsector occupations of the same skills-based subsector (Nesta MCC
 *           attributes, 54 clusters of ESCO skill profiles; nested
 *           occupations inherit their parent's): independent of ISCO,
 *           which the combined measure reads, and of the O*NET work
 *           context, which it reads too;
 *   parent  an occupation nested below another in ESCO: where does the
 *           parent rank among the child's destinations?
 * ISCO-4 and parent agreement are no longer held out from the combined
 * measure (it reads the ISCO hierarchy, and nested occupations inherit
 * their parent's attributes): they are printed, but only sector and
 * subsector judge it (docs/transitions.md).
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

#include "base/fow_csv.h"
#include "transitions/fow_similarity.h"
#include "transitions/fow_infer.h"
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

/* per occupation: its skills-based subsector (MCC attributes, inherited
 * through ESCO nesting), NULL when unknown; read by main */
static const char **subsector_of;

static int same_subsector(const fow_model *m, uint32_t q, uint32_t d) {
    (void)m;
    return subsector_of[q] && subsector_of[d] && strcmp(subsector_of[q], subsector_of[d]) == 0;
}

/* Reads the subsectors from DATA/occupations/mcc_attributes.csv. */
static void load_subsectors(const fow_model *m, const char *data) {
    subsector_of = calloc(m->n_occupations + 1, sizeof *subsector_of);
    char path[4200];
    snprintf(path, sizeof path, "%s/occupations/mcc_attributes.csv", data);
    fow_csv *csv;
    fow_error err;
    if (!subsector_of || fow_csv_open(&csv, path, &err)) {
        fprintf(stderr, "%s: %s\n", path, err.message);
        exit(2);
    }
    int r, header = 1;
    size_t col_uri = 0, col_sub = 0;
    while ((r = fow_csv_next(csv, &err)) == 1) {
        size_t n = fow_csv_field_count(csv);
        if (header) {
            for (size_t i = 0; i < n; i++) {
                if (strcmp(fow_csv_field(csv, i, NULL), "occupation_uri") == 0) col_uri = i;
                if (strcmp(fow_csv_field(csv, i, NULL), "skills_subsector") == 0) col_sub = i;
            }
            header = 0;
            continue;
        }
        size_t len;
        const char *uri = fow_csv_field(csv, col_uri, &len);
        uint32_t o = fow_model_occupation_by_key(m, true, uri, len);
        const char *sub = fow_csv_field(csv, col_sub, NULL);
        if (o != FOW_NO_INDEX && sub[0]) subsector_of[o] = strdup(sub);
    }
    if (r < 0) {
        fprintf(stderr, "%s: %s\n", path, err.message);
        exit(2);
    }
    fow_csv_close(csv);
    /* nested occupations inherit their parent's, as the attributes do */
    for (int pass = 0; pass < 4; pass++)
        for (uint32_t o = 0; o < m->n_occupations; o++)
            if (!subsector_of[o] && m->occupations[o].parent != FOW_NO_INDEX)
                subsector_of[o] = subsector_of[m->occupations[o].parent];
}

typedef struct metrics {
    double isco_map, isco_p10, sector_map, sector_p10, parent_mrr;
    double subsector_map, subsector_p10;
    unsigned n_subsector;
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
        score_ranking(m, q, r, n, same_subsector, &ap, &p10, &has);
        if (has) out->subsector_map += ap, out->subsector_p10 += p10, out->n_subsector++;
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
    if (out->n_subsector) out->subsector_map /= out->n_subsector, out->subsector_p10 /= out->n_subsector;
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
    printf("| measure | sector MAP | sector P@10 | subsector MAP | subsector P@10 | ISCO-4 MAP | ISCO-4 P@10 | parent MRR | >= Jaccard | worst major group MAP |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|\n");
}

static void print_row(const char *name, const metrics *x, const metrics *base, uint32_t n) {
    printf("| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.1f%% | %.3f |\n", name, x->sector_map,
           x->sector_p10, x->subsector_map, x->subsector_p10, x->isco_map, x->isco_p10, x->parent_mrr,
           100.0 * beats(x, base, n), worst_major(x));
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
static void options_row(const char *setting, const char *name, const fow_model *m, fow_similarity_workspace *ws,
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
        printf("| %s | %s | %s | %u | %.1f%% | %.1f%% | %u | %u | %u | %.1f |\n", setting, name, fow_risk_model_name(q->model), n,
               100.0 * none / n, 100.0 * few / n, counts[n / 4], counts[n / 2], counts[n * 3 / 4], sum / n);
    free(counts);
    free(out);
}

/* For the occupations of a group with no safe and desirable viable move:
 * what fow_transitions_fallback offers them (a nearest move, how many
 * essential skills it lacks, a single skill that opens a move). */
static void fallback_row(const char *name, const fow_model *m, fow_similarity_workspace *ws,
                         const fow_transition_query *q, int (*member)(const fow_model_occupation *)) {
    uint32_t *lack = malloc((m->n_occupations + 1) * sizeof *lack), n = 0, with_nearest = 0, with_route = 0;
    fow_transition out[4];
    if (!lack) exit(2);
    for (uint32_t o = 0; o < m->n_occupations; o++) {
        if (!member(&m->occupations[o])) continue;
        uint32_t got, matching;
        fow_transitions_from_occupation(ws, o, q, out, 4, &got, &matching);
        if (matching) continue;
        fow_transition_fallback fb;
        fow_error err;
        if (fow_transitions_fallback(ws, o, o, o, q, &fb, &err)) exit(2);
        if (fb.n_nearest) lack[with_nearest++] = fb.nearest[0].essential_missing;
        with_route += (uint32_t)fb.has_route;
        n++;
    }
    qsort(lack, with_nearest, sizeof *lack, cmp_u32);
    if (n)
        printf("| %s | %s | %u | %.1f%% | %u | %.1f%% |\n", name, fow_risk_model_name(q->model), n,
               100.0 * with_nearest / n, with_nearest ? lack[with_nearest / 2] : 0, 100.0 * with_route / n);
    free(lack);
}

static int any_occupation(const fow_model_occupation *o) { (void)o; return 1; }
static int mcc_high(const fow_model_occupation *o) { return o->mcc_category == FOW_RISK_HIGH; }
static int fo_high(const fow_model_occupation *o) { return o->risk_frey_osborne >= FOW_FREY_OSBORNE_HIGH_RISK; }

/* The distribution of the count of safe and desirable viable moves, for
 * all occupations, MCC "High risk" ones and Frey & Osborne >= 0.7 ones,
 * each judged under its own model, with the viability thresholds of p and
 * the safety rule given. */
static void options_at(const fow_model *m, const fow_similarity_params *p, fow_safe_rule rule, const char *setting) {
    fow_error err;
    fow_similarity_index *x;
    if (fow_similarity_index_build(m, p, &x, &err)) exit(2);
    fow_similarity_workspace *ws = fow_similarity_workspace_new(x);
    if (!ws) exit(2);
    fow_transition_query q;
    fow_transition_query_default(x, &q);
    q.safe = 1, q.desirable = 1, q.safe_rule = rule;
    options_row(setting, "all", m, ws, &q, any_occupation);
    options_row(setting, "MCC \"High risk\"", m, ws, &q, mcc_high);
    q.model = FOW_RISK_MODEL_FREY_OSBORNE;
    options_row(setting, "all", m, ws, &q, any_occupation);
    options_row(setting, "Frey & Osborne >= 0.7", m, ws, &q, fo_high);
    fow_similarity_workspace_free(ws);
    fow_similarity_index_free(x);
}

/* The essential skills rule on moves that a counsellor would call viable
 * by construction (an ESCO occupation and the occupations nested below it,
 * both ways; pairs of one ISCO unit group at the viable similarity or
 * more): the share of the destination's essential skills to learn, under
 * the held definition of p (docs/transitions.md, "Viable"). */
static void essential_rule_row(const fow_model *m, const fow_similarity_params *p, const char *setting) {
    fow_error err;
    fow_similarity_index *x;
    if (fow_similarity_index_build(m, p, &x, &err)) exit(2);
    fow_similarity_workspace *ws = fow_similarity_workspace_new(x);
    if (!ws) exit(2);
    static const float shares[] = {1.0f / 3.0f, 0.5f, 2.0f / 3.0f};
    double nested_n = 0, nested_pass[3] = {0}, unit_n = 0, unit_pass[3] = {0};
    for (uint32_t o = 0; o < m->n_occupations; o++) {
        fow_similarity_origin_occupation(ws, o);
        const float *sc = fow_similarity_scores(ws);
        for (uint32_t d = 0; d < m->n_occupations; d++) {
            if (d == o) continue;
            int nested = m->occupations[d].parent == o || m->occupations[o].parent == d;
            int unit = m->occupations[o].isco_group[0] &&
                       strcmp(m->occupations[o].isco_group, m->occupations[d].isco_group) == 0 &&
                       sc[d] >= x->params.viable;
            if (!nested && !unit) continue;
            uint32_t total, missing;
            fow_essential_counts(ws, d, &total, &missing);
            if (!total) continue;
            for (int k = 0; k < 3; k++) {
                int pass = (float)missing <= shares[k] * (float)total + 1e-6f;
                if (nested) nested_pass[k] += pass;
                if (unit) unit_pass[k] += pass;
            }
            nested_n += nested, unit_n += unit;
        }
    }
    printf("| %s | %.0f | %.1f%% / %.1f%% / %.1f%% | %.0f | %.1f%% / %.1f%% / %.1f%% |\n", setting, nested_n,
           100 * nested_pass[0] / nested_n, 100 * nested_pass[1] / nested_n, 100 * nested_pass[2] / nested_n, unit_n,
           100 * unit_pass[0] / unit_n, 100 * unit_pass[1] / unit_n, 100 * unit_pass[2] / unit_n);
    fow_similarity_workspace_free(ws);
    fow_similarity_index_free(x);
}

/* --options: the count before (the held definition of main before this
 * version: listed skills only) and after (the defaults), in one run; the
 * calibration of the essential skills rule; then (--sweep) around them. */
static void options(const fow_model *m, int sweep) {
    fow_similarity_params d, p, before;
    fow_similarity_params_default(&d);
    before = d, before.viable_probable = 0, before.viable_related_min = 0.0f, before.viable_hierarchy = 0;
    char name[200];
    printf("\nThe essential skills rule on moves viable by construction: the share that pass with at most a third /\n"
           "half / two thirds of the essential skills to learn\n\n");
    printf("| held means | ESCO parent and nested, both ways | pass | one ISCO unit group, similarity >= %.2f | pass |\n"
           "|---|---|---|---|---|\n", d.viable);
    essential_rule_row(m, &before, "listed skills only (before)");
    p = d, p.viable_related_min = 0.0f;
    essential_rule_row(m, &p, "listed + probable (default)");
    p = d, p.viable_related_min = 0.8f;
    essential_rule_row(m, &p, "listed + probable + related >= 0.80");
    p = d, p.viable_hierarchy = 1;
    essential_rule_row(m, &p, "listed + probable + broader than a held skill (hierarchy)");

    printf("\nSafe and desirable viable moves per occupation:\n\n");
    printf("| setting | occupations | risk model | n | none | fewer than 3 | 25%% | median | 75%% | mean |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|\n");
    snprintf(name, sizeof name, "**before**: held = listed, viable %.2f, missing <= %.2f, margin rule", d.viable,
             d.viable_missing_share);
    options_at(m, &before, FOW_SAFE_RULE_MARGIN, name);
    snprintf(name, sizeof name, "**after** (default): held = listed + probable, viable %.2f, missing <= %.2f, margin rule",
             d.viable, d.viable_missing_share);
    options_at(m, &d, FOW_SAFE_RULE_MARGIN, name);
    {
        fow_error err;
        fow_similarity_index *x;
        if (fow_similarity_index_build(m, &d, &x, &err)) exit(2);
        fow_similarity_workspace *ws = fow_similarity_workspace_new(x);
        if (!ws) exit(2);
        fow_transition_query q;
        fow_transition_query_default(x, &q);
        q.safe = 1, q.desirable = 1;
        printf("\nWhat the occupations with none are offered instead (defaults):\n\n");
        printf("| occupations with no move | risk model | n | with a nearest safe and desirable move | "
               "its essential skills to learn (median) | a single skill opens a move |\n|---|---|---|---|---|---|\n");
        fallback_row("MCC \"High risk\"", m, ws, &q, mcc_high);
        q.model = FOW_RISK_MODEL_FREY_OSBORNE;
        fallback_row("Frey & Osborne >= 0.7", m, ws, &q, fo_high);
        fow_similarity_workspace_free(ws);
        fow_similarity_index_free(x);
        printf("\n| setting | occupations | risk model | n | none | fewer than 3 | 25%% | median | 75%% | mean |\n");
        printf("|---|---|---|---|---|---|---|---|---|---|\n");
    }
    options_at(m, &before, FOW_SAFE_RULE_LOWER, "before, MCC's rule (any lower risk)");
    options_at(m, &d, FOW_SAFE_RULE_LOWER, "after, MCC's rule (any lower risk)");
    const float related[] = {0.7f, 0.8f, 0.9f};
    for (size_t i = 0; i < 3; i++) {
        p = d, p.viable_related_min = related[i];
        snprintf(name, sizeof name, "after + related >= %.2f counted as held, margin rule", related[i]);
        options_at(m, &p, FOW_SAFE_RULE_MARGIN, name);
    }
    p = d, p.viable_hierarchy = 1;
    options_at(m, &p, FOW_SAFE_RULE_MARGIN, "after + a skill broader than a held one counted as held (hierarchy)");
    options_at(m, &p, FOW_SAFE_RULE_LOWER, "after + hierarchy, MCC's rule (any lower risk)");
    p = d, p.context_weight = 0, p.isco_weight = 0, p.viable_missing_share = 1, p.viable_probable = 0;
    options_at(m, &p, FOW_SAFE_RULE_LOWER, "the skill similarity at 0.30, no essential rule, any lower risk (issue 12)");
    if (!sweep) return;
    const float viable[] = {0.2f, 0.25f, 0.3f, 0.35f}, share[] = {0.34f, 0.5f, 0.67f};
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 3; j++) {
            p = d, p.viable = viable[i], p.viable_missing_share = share[j];
            snprintf(name, sizeof name, "after: viable %.2f, missing <= %.2f, margin rule", viable[i], share[j]);
            options_at(m, &p, FOW_SAFE_RULE_MARGIN, name);
        }
}

/* ---- --bound: what no threshold can change ------------------------------ */

enum { BOUND_SD, BOUND_SD_030, BOUND_SD_020, BOUND_SD_HALF, BOUND_SD_VIABLE, BOUND_SAFE_VIABLE, BOUND_VIABLE,
       BOUND_FILTERS };

static const char *const bound_names[BOUND_FILTERS] = {
    "safe and desirable, any similarity",
    "safe and desirable, similarity >= 0.30, no essential skills rule",
    "safe and desirable, similarity >= 0.20, no essential skills rule",
    "safe and desirable, at most half of the essential skills to learn, **any similarity**",
    "safe and desirable and viable (similarity >= 0.30 and the half rule: the default)",
    "safe and viable, whatever the pay and job zone",
    "viable, whatever the risk, pay and job zone",
};

/* counts[f][i]: the destinations of the i-th member of the group that pass
 * filter f, judged under model and rule with the index's held definition. */
static uint32_t bound_counts(const fow_similarity_index *x, fow_risk_model model, fow_safe_rule rule,
                             int (*member)(const fow_model_occupation *), uint32_t *counts[BOUND_FILTERS]) {
    const fow_model *m = x->model;
    fow_similarity_workspace *ws = fow_similarity_workspace_new(x);
    if (!ws) exit(2);
    uint32_t n = 0;
    for (uint32_t o = 0; o < m->n_occupations; o++) {
        if (!member(&m->occupations[o])) continue;
        fow_similarity_origin_occupation(ws, o);
        const float *score = fow_similarity_scores(ws);
        for (int f = 0; f < BOUND_FILTERS; f++) counts[f][n] = 0;
        for (uint32_t d = 0; d < m->n_occupations; d++) {
            if (d == o) continue;
            fow_transition t;
            fow_transition_assess(ws, o, d, score[d], model, rule, &t);
            int sd = t.safe == FOW_YES && t.desirable == FOW_YES;
            int half = t.essential_total > 0 && (double)t.essential_missing <=
                                                    x->params.viable_missing_share * t.essential_total + 1e-9;
            counts[BOUND_SD][n] += sd;
            counts[BOUND_SD_030][n] += sd && t.similarity >= 0.30f;
            counts[BOUND_SD_020][n] += sd && t.similarity >= 0.20f;
            counts[BOUND_SD_HALF][n] += sd && half;
            counts[BOUND_SD_VIABLE][n] += sd && t.viable;
            counts[BOUND_SAFE_VIABLE][n] += t.safe == FOW_YES && t.viable;
            counts[BOUND_VIABLE][n] += t.viable;
        }
        n++;
    }
    fow_similarity_workspace_free(ws);
    return n;
}

typedef struct bound_summary {
    double none; /* share with no move, 0..1 */
    uint32_t q25, median, q75;
} bound_summary;

/* Sorts v[0..n) and summarises it. */
static bound_summary bound_summarise(uint32_t *v, uint32_t n) {
    bound_summary b = {0};
    if (!n) return b;
    qsort(v, n, sizeof *v, cmp_u32);
    uint32_t none = 0;
    for (uint32_t i = 0; i < n; i++) none += v[i] == 0;
    b.none = (double)none / n, b.q25 = v[n / 4], b.median = v[n / 2], b.q75 = v[n * 3 / 4];
    return b;
}

/* The hold-out precision and recall of the probable skills under ip: 20% of
 * the essential skills of every occupation with at least 5 hidden (seed 1),
 * the index rebuilt on what is left, the probable skills compared with what
 * was hidden. */
static void bound_holdout(const fow_model *m, const fow_similarity_params *p, const fow_infer_params *ip,
                          double *precision, double *recall) {
    fow_error err;
    fow_infer_holdout *h;
    fow_similarity_index *x;
    if (fow_infer_holdout_build(m, 0.2, 5, 1, &h, &err) || fow_similarity_index_build(&h->model, p, &x, &err) ||
        fow_infer_index_build_with(x, ip, &err)) {
        fprintf(stderr, "eval_similarity: %s\n", err.message);
        exit(2);
    }
    uint64_t found = 0, hits = 0;
    for (uint32_t o = 0; o < m->n_occupations; o++)
        for (uint32_t k = x->probable_offsets[o]; k < x->probable_offsets[o + 1]; k++) {
            found++;
            for (uint32_t j = h->hidden_offsets[o]; j < h->hidden_offsets[o + 1]; j++)
                if (h->hidden[j] == x->probable[k].skill) {
                    hits++;
                    break;
                }
        }
    *precision = found ? (double)hits / (double)found : 0.0;
    *recall = h->n_hidden ? (double)hits / h->n_hidden : 0.0;
    fow_similarity_index_free(x);
    fow_infer_holdout_free(h);
}

static void bound(const fow_model *m) {
    fow_error err;
    fow_similarity_params d;
    fow_similarity_params_default(&d);
    fow_similarity_index *x;
    if (fow_similarity_index_build(m, &d, &x, &err)) exit(2);
    uint32_t *counts[BOUND_FILTERS];
    for (int f = 0; f < BOUND_FILTERS; f++)
        if (!(counts[f] = malloc((m->n_occupations + 1) * sizeof *counts[f]))) exit(2);
    static const struct {
        const char *group;
        int (*member)(const fow_model_occupation *);
        fow_risk_model model;
        fow_safe_rule rule;
        const char *rule_name;
    } groups[] = {
        {"MCC \"High risk\"", mcc_high, FOW_RISK_MODEL_MCC, FOW_SAFE_RULE_MARGIN, "margin (default)"},
        {"MCC \"High risk\"", mcc_high, FOW_RISK_MODEL_MCC, FOW_SAFE_RULE_LOWER, "any lower risk"},
        {"Frey & Osborne >= 0.7", fo_high, FOW_RISK_MODEL_FREY_OSBORNE, FOW_SAFE_RULE_MARGIN, "margin (default)"},
        {"Frey & Osborne >= 0.7", fo_high, FOW_RISK_MODEL_FREY_OSBORNE, FOW_SAFE_RULE_LOWER, "any lower risk"},
    };
    printf("\nMoves per occupation that pass each filter (defaults; held = listed + probable):\n\n");
    printf("| occupations | safe rule | filter | n | none | 25%% | median | 75%% |\n|---|---|---|---|---|---|---|---|\n");
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        uint32_t n = bound_counts(x, groups[g].model, groups[g].rule, groups[g].member, counts);
        for (int f = 0; f < BOUND_FILTERS; f++) {
            bound_summary b = bound_summarise(counts[f], n);
            printf("| %s | %s | %s | %u | %.1f%% | %u | %u | %u |\n", groups[g].group, groups[g].rule_name,
                   bound_names[f], n, 100.0 * b.none, b.q25, b.median, b.q75);
        }
    }
    static const fow_infer_params looser[] = {
        {8, 0.5f, 0.15f, 0.40f, 20}, /* the defaults (fow_infer_params_default) */
        {8, 0.5f, 0.15f, 0.30f, 30},
        {8, 0.5f, 0.15f, 0.25f, 40},
        {8, 0.5f, 0.15f, 0.20f, 50},
        {30, 0.5f, 0.15f, 0.20f, 50},
    };
    printf("\nLooser inferences of the probable skills (MCC \"High risk\", margin rule): what they would allow, and how\n"
           "often what they infer is right (hold-out of 20%% of the essential skills)\n\n");
    printf("| neighbours | min score | at most | hold-out precision | recall | half rule, any similarity: none / median | "
           "viable: none / median |\n|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < sizeof looser / sizeof looser[0]; i++) {
        if (fow_infer_index_build_with(x, &looser[i], &err)) {
            fprintf(stderr, "eval_similarity: %s\n", err.message);
            exit(2);
        }
        uint32_t n = bound_counts(x, FOW_RISK_MODEL_MCC, FOW_SAFE_RULE_MARGIN, mcc_high, counts);
        double precision, recall;
        bound_holdout(m, &d, &looser[i], &precision, &recall);
        bound_summary half = bound_summarise(counts[BOUND_SD_HALF], n);
        bound_summary viable = bound_summarise(counts[BOUND_SD_VIABLE], n);
        printf("| %u | %.2f | %u | %.3f | %.3f | %.1f%% / %u | %.1f%% / %u |\n", looser[i].neighbours,
               (double)looser[i].min_score, looser[i].limit, precision, recall, 100.0 * half.none, half.median,
               100.0 * viable.none, viable.median);
    }
    for (int f = 0; f < BOUND_FILTERS; f++) free(counts[f]);
    fow_similarity_index_free(x);
}

int main(int argc, char **argv) {
    const char *db_arg = NULL, *data_arg = NULL;
    int sweep = 0, options_only = 0, bound_only = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--sweep") == 0) sweep = 1;
        else if (strcmp(argv[i], "--options") == 0) options_only = 1;
        else if (strcmp(argv[i], "--bound") == 0) bound_only = 1;
        else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) db_arg = argv[++i];
        else if (argv[i][0] != '-' && !data_arg) data_arg = argv[i];
        else {
            fprintf(stderr, "usage: eval_similarity [DATA_DIR] [--db DB] [--sweep] [--options] [--bound]\n");
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
    if (bound_only) {
        bound(m);
        fow_model_free(m);
        return 0;
    }
    if (options_only) {
        options(m, sweep);
        fow_model_free(m);
        return 0;
    }
    print_header();
    load_subsectors(m, bench_data_dir(data_arg));
    char name[160];
    metrics base, x;
    evaluate(m, jaccard_scores, (void *)m, &base);
    print_row("Jaccard of skill sets (baseline)", &base, &base, m->n_occupations);

    fow_similarity_params d, p, skill;
    fow_similarity_params_default(&d);
    skill = d; /* the skill similarity alone: fow's measure before the combination */
    skill.context_weight = 0.0f, skill.isco_weight = 0.0f;
    p = skill;
    p.idf = 0, p.related_cooccurrence = 0, p.related_words = 0, p.optional_weight = 1, p.reverse_weight = 0;
    run_variant(m, "skills: coverage only (no weights, related skills or reverse part)", &p, &base, &x);
    free(x.isco_ap);
    p.reverse_weight = d.reverse_weight;
    run_variant(m, "skills: coverage + reverse 0.4, no weights", &p, &base, &x);
    free(x.isco_ap);
    p = skill;
    p.related_cooccurrence = 0, p.related_words = 0;
    run_variant(m, "skills: + IDF weights, optional 0.5", &p, &base, &x);
    free(x.isco_ap);
    metrics skill_only;
    run_variant(m, "skills: + related skills (the skill similarity, fow's measure before)", &skill, &base, &skill_only);
    free(skill_only.isco_ap);
    p = d, p.isco_weight = 0.0f;
    snprintf(name, sizeof name, "skills + work context %.2f", d.context_weight);
    run_variant(m, name, &p, &base, &x);
    free(x.isco_ap);
    p = d, p.context_weight = 0.0f;
    snprintf(name, sizeof name, "skills + ISCO %.2f", d.isco_weight);
    run_variant(m, name, &p, &base, &x);
    free(x.isco_ap);
    metrics def;
    snprintf(name, sizeof name, "**fow default**: skills %.2f + work context %.2f + ISCO %.2f",
             1.0f - d.context_weight - d.isco_weight, d.context_weight, d.isco_weight);
    run_variant(m, name, &d, &base, &def);
    free(def.isco_ap);
    if (sweep) {
        printf("\nSweep of the combination (skills get 1 - context - ISCO):\n\n");
        print_header();
        const float cw[] = {0.0f, 0.1f, 0.15f, 0.2f, 0.3f}, iw[] = {0.0f, 0.1f, 0.15f, 0.2f, 0.3f};
        for (size_t i = 0; i < 5; i++)
            for (size_t j = 0; j < 5; j++) {
                p = d, p.context_weight = cw[i], p.isco_weight = iw[j];
                snprintf(name, sizeof name, "context %.2f, ISCO %.2f", cw[i], iw[j]);
                run_variant(m, name, &p, &base, &x), free(x.isco_ap);
            }
        const float cs[] = {0.25f, 1.0f};
        for (size_t i = 0; i < 2; i++) {
            p = d, p.context_scale = cs[i];
            snprintf(name, sizeof name, "default, context_scale %.2f", cs[i]);
            run_variant(m, name, &p, &base, &x), free(x.isco_ap);
        }
        printf("\nSweep of the skill similarity's parameters (within the default combination):\n\n");
        print_header();
        const float ow[] = {0.25f, 0.75f, 1.0f};
        for (size_t i = 0; i < 3; i++) {
            p = d, p.optional_weight = ow[i];
            snprintf(name, sizeof name, "default, optional_weight %.2f", ow[i]);
            run_variant(m, name, &p, &base, &x), free(x.isco_ap);
        }
        const float rw[] = {0.1f, 0.25f, 0.5f};
        for (size_t i = 0; i < 3; i++) {
            p = d, p.reverse_weight = rw[i];
            snprintf(name, sizeof name, "default, reverse_weight %.2f", rw[i]);
            run_variant(m, name, &p, &base, &x), free(x.isco_ap);
        }
        const float rc[] = {0.5f, 1.0f};
        for (size_t i = 0; i < 2; i++) {
            p = d, p.related_credit = rc[i];
            snprintf(name, sizeof name, "default, related_credit %.2f", rc[i]);
            run_variant(m, name, &p, &base, &x), free(x.isco_ap);
        }
    }
    printf("\nISCO-4 MAP by ISCO major group:\n\n| major group | queries | Jaccard | skill similarity | fow default |\n|---|---|---|---|---|\n");
    for (int g = 0; g < 10; g++)
        if (def.major_n[g])
            printf("| %d | %u | %.3f | %.3f | %.3f |\n", g, def.major_n[g], base.major_map[g], skill_only.major_map[g],
                   def.major_map[g]);
    free(base.isco_ap);
    calibrate(m);
    fow_model_free(m);
    if (dir[0]) {
        bench_remove_db(db_path);
        rmdir(dir);
    }
    return 0;
}
