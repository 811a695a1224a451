/* fow_observe.c — risk estimates by ISCO code, employment tables, measures. */
#include "observatory/fow_observe.h"

#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fow_strmap.h"
#include "observatory/employment_store.h"
#include "store/fow_sources.h"
#include "taxonomy/taxonomy_store.h"

#define N_MODELS 2
/* dense slots for ISCO codes: 1 digit 0..9, 2 digits 10..109, 3 digits
 * 110..1109, 4 digits 1110..11109 */
#define N_SLOTS 11110

struct fow_risk_estimates {
    const fow_model *model;
    const char *labels[N_SLOTS];        /* ISCO labels (arena) or NULL */
    fow_code_estimate *isco[N_MODELS];  /* N_SLOTS each */
    fow_code_estimate *occupation[N_MODELS]; /* n_occupations each */
    char source[N_MODELS][800];
    uint32_t *by_group;                 /* occupation indexes sorted by ISCO unit group */
    fow_arena arena;
    bool mapped;                        /* isco, occupation, by_group point into a snapshot */
};

static const fow_code_estimate no_estimate = {NAN, {0, 0, 0}, {0}, 0, FOW_EST_NONE};

double fow_risk_bin_low(fow_risk_model model) { return model == FOW_RISK_MODEL_MCC ? 2.5 : 0.0; }
double fow_risk_bin_high(fow_risk_model model) { return model == FOW_RISK_MODEL_MCC ? 4.0 : 1.0; }

const char *fow_risk_category_label(fow_risk_model model, int c) {
    static const char *mcc[] = {"Low risk", "Other", "High risk"};
    static const char *fo[] = {"low", "medium", "high"};
    if (c < 0 || c >= FOW_N_CATS) return "";
    return model == FOW_RISK_MODEL_MCC ? mcc[c] : fo[c];
}

const char *fow_estimate_method_name(fow_estimate_method m) {
    switch (m) {
    case FOW_EST_OCCUPATION: return "occupation";
    case FOW_EST_ISCO_OWN: return "isco-own";
    case FOW_EST_AGGREGATED: return "aggregated";
    default: return "none";
    }
}

/* The slot of an ISCO code of 1 to 4 digits, or -1. */
static int isco_slot(const char *code) {
    static const int base[5] = {0, 0, 10, 110, 1110};
    int value = 0, n = 0;
    for (; code[n]; n++) {
        if (n == 4 || code[n] < '0' || code[n] > '9') return -1;
        value = value * 10 + (code[n] - '0');
    }
    return n == 0 ? -1 : base[n] + value;
}

static int bin_of(fow_risk_model model, double risk) {
    double lo = fow_risk_bin_low(model), hi = fow_risk_bin_high(model);
    int b = (int)floor((risk - lo) / (hi - lo) * FOW_RISK_BINS);
    return b < 0 ? 0 : b >= FOW_RISK_BINS ? FOW_RISK_BINS - 1 : b;
}

/* The category of a value under Frey & Osborne's bands. */
static int fo_category(double p) {
    /* compared in float, as the transitions engine compares the model's
     * float values: a probability of exactly 0.3 is medium (0.3 < 0.3f in
     * double), 0.7 high */
    float f = (float)p;
    return f >= FOW_FREY_OSBORNE_HIGH_RISK ? FOW_CAT_HIGH : f >= FOW_FREY_OSBORNE_LOW_RISK ? FOW_CAT_MIDDLE : FOW_CAT_LOW;
}

static int mcc_category(const char *text) {
    if (!text) return -1;
    if (strcmp(text, "High risk") == 0) return FOW_CAT_HIGH;
    if (strcmp(text, "Low risk") == 0) return FOW_CAT_LOW;
    if (strcmp(text, "Other") == 0) return FOW_CAT_MIDDLE;
    return -1;
}

/* A single value as an estimate: its category and bin get everything. */
static void estimate_single(fow_code_estimate *e, fow_risk_model model, double risk, int category, uint8_t method) {
    *e = no_estimate;
    e->risk = risk;
    e->method = method;
    assert(category < FOW_N_CATS && !isnan(risk));
    /* on the model's scale (what the risk import accepts) */
    assert(model == FOW_RISK_MODEL_MCC ? risk >= 1.0 && risk <= 5.0 : risk >= 0.0 && risk <= 1.0);
    if (category >= 0) e->share[category] = 1;
    e->bins[bin_of(model, risk)] = 1;
}

static _Thread_local const fow_model *sort_model;

static int by_group_cmp(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    int c = strcmp(sort_model->occupations[x].isco_group, sort_model->occupations[y].isco_group);
    return c ? c : (x > y) - (x < y);
}

static int model_of(const char *name, fow_risk_model *m) { return fow_risk_model_parse(name, m); }

/* The state of fow_risk_estimates_load while it reads the stored values. */
typedef struct estimates_loading {
    fow_risk_estimates *est;
    const fow_model *model;
    double *sum;     /* the running sums of the aggregation, per model and slot */
    uint32_t *count;
} estimates_loading;

static fow_code load_isco_label(void *ctx, const char *code, const char *label, fow_error *err) {
    estimates_loading *L = ctx;
    int s = isco_slot(code);
    if (s >= 0) L->est->labels[s] = fow_arena_strdup(&L->est->arena, label);
    (void)err;
    return FOW_OK;
}

/* occupations: own and inherited estimates; only own ones aggregate */
static fow_code load_occupation_risk(void *ctx, const fow_stored_risk *row, fow_error *err) {
    estimates_loading *L = ctx;
    fow_risk_estimates *est = L->est;
    const fow_model *model = L->model;
    (void)err;
    fow_risk_model m;
    if (model_of(row->model, &m) != 0) return FOW_OK;
    uint32_t o = fow_model_occupation_by_id(model, row->occupation_id);
    if (o == FOW_NO_INDEX) return FOW_OK;
    double risk = row->risk;
    int cat = m == FOW_RISK_MODEL_MCC ? mcc_category(row->category) : fo_category(risk);
    estimate_single(&est->occupation[m][o], m, risk, cat, FOW_EST_OCCUPATION);
    if (row->method && strcmp(row->method, "inherited") == 0) return FOW_OK;
    /* add to every ISCO level that contains the occupation */
    const char *group = model->occupations[o].isco_group;
    char prefix[5];
    for (size_t len = 1; len <= 4 && len <= strlen(group); len++) {
        memcpy(prefix, group, len);
        prefix[len] = 0;
        int s = isco_slot(prefix);
        if (s < 0) break;
        fow_code_estimate *e = &est->isco[m][s];
        size_t k = (size_t)m * N_SLOTS + (size_t)s;
        L->sum[k] += risk;
        L->count[k]++;
        if (cat >= 0) e->share[cat] += 1;
        e->bins[bin_of(m, risk)] += 1;
    }
    return FOW_OK;
}

/* the models' own ISCO estimates replace the aggregates */
static fow_code load_isco_risk(void *ctx, const fow_stored_risk *row, fow_error *err) {
    estimates_loading *L = ctx;
    (void)err;
    fow_risk_model m;
    if (model_of(row->model, &m) != 0) return FOW_OK;
    int s = isco_slot(row->isco_code);
    if (s < 0) return FOW_OK;
    double risk = row->risk;
    int cat = m == FOW_RISK_MODEL_MCC ? mcc_category(row->category) : fo_category(risk);
    estimate_single(&L->est->isco[m][s], m, risk, cat, FOW_EST_ISCO_OWN);
    return FOW_OK;
}

/* where the estimates come from: the sources of the risk data sets
 * ("risk:MODEL:..."), in the order of their data set keys */
static fow_code load_risk_source(void *ctx, const fow_source_row *row, fow_error *err) {
    estimates_loading *L = ctx;
    (void)err;
    if (strncmp(row->dataset, "risk:", 5) != 0) return FOW_OK;
    fow_risk_model m;
    char name[64];
    snprintf(name, sizeof name, "%s", row->dataset + 5);
    char *colon = strchr(name, ':');
    if (colon) *colon = 0;
    if (model_of(name, &m) != 0) return FOW_OK;
    char *source = L->est->source[m];
    size_t used = strlen(source);
    snprintf(source + used, sizeof L->est->source[m] - used, "%s%s %s", used ? "; " : "", row->name, row->version);
    return FOW_OK;
}

fow_code fow_risk_estimates_load(fow_db *db, const fow_model *model, fow_risk_estimates **out, fow_error *err) {
    *out = NULL;
    fow_risk_estimates *est = calloc(1, sizeof *est);
    if (!est) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    est->model = model;
    fow_arena_init(&est->arena, 64 * 1024);
    fow_code rc = FOW_OK;
    /* the running sums of the aggregation, per model and slot */
    double *sum = calloc((size_t)N_MODELS * N_SLOTS, sizeof *sum);
    uint32_t *count = calloc((size_t)N_MODELS * N_SLOTS, sizeof *count);
    for (int m = 0; m < N_MODELS; m++) {
        est->isco[m] = calloc(N_SLOTS, sizeof *est->isco[m]);
        est->occupation[m] = calloc(model->n_occupations ? model->n_occupations : 1, sizeof *est->occupation[m]);
        if (!est->isco[m] || !est->occupation[m]) rc = FOW_ENOMEM;
    }
    if (!sum || !count || rc) {
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        goto done;
    }
    for (int m = 0; m < N_MODELS; m++) {
        for (int s = 0; s < N_SLOTS; s++) est->isco[m][s] = no_estimate;
        for (uint32_t o = 0; o < model->n_occupations; o++) est->occupation[m][o] = no_estimate;
    }
    estimates_loading loading = {est, model, sum, count};
    rc = fow_taxonomy_each_isco_group(db, load_isco_label, &loading, err);
    if (!rc) rc = fow_taxonomy_each_occupation_risk(db, load_occupation_risk, &loading, err);
    if (rc) goto done;
    for (int m = 0; m < N_MODELS; m++)
        for (int s = 0; s < N_SLOTS; s++) {
            size_t k = (size_t)m * N_SLOTS + (size_t)s;
            fow_code_estimate *e = &est->isco[m][s];
            if (!count[k]) continue;
            e->method = FOW_EST_AGGREGATED;
            e->n_occupations = count[k];
            e->risk = sum[k] / count[k];
            double cats = e->share[0] + e->share[1] + e->share[2];
            for (int c = 0; c < FOW_N_CATS; c++) e->share[c] = cats > 0 ? e->share[c] / cats : 0;
            for (int b = 0; b < FOW_RISK_BINS; b++) e->bins[b] /= count[k];
        }
    rc = fow_taxonomy_each_isco_risk(db, load_isco_risk, &loading, err);
    if (!rc) rc = fow_sources_each(db, NULL, load_risk_source, &loading, err);
    if (!rc) {
        est->by_group = malloc((model->n_occupations ? model->n_occupations : 1) * sizeof *est->by_group);
        if (!est->by_group) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        else {
            for (uint32_t o = 0; o < model->n_occupations; o++) est->by_group[o] = o;
            sort_model = model;
            qsort(est->by_group, model->n_occupations, sizeof *est->by_group, by_group_cmp);
        }
    }
done:
    free(sum);
    free(count);
    if (rc) {
        fow_risk_estimates_free(est);
        return rc;
    }
    *out = est;
    return FOW_OK;
}

void fow_risk_estimates_free(fow_risk_estimates *est) {
    if (!est) return;
    if (est->mapped) {
        fow_arena_free(&est->arena);
        free(est);
        return;
    }
    free(est->by_group);
    for (int m = 0; m < N_MODELS; m++) {
        free(est->isco[m]);
        free(est->occupation[m]);
    }
    fow_arena_free(&est->arena);
    free(est);
}

const fow_code_estimate *fow_risk_estimate_isco(const fow_risk_estimates *est, fow_risk_model model, const char *code) {
    int s = isco_slot(code);
    if (s < 0 || (int)model < 0 || model >= N_MODELS) return &no_estimate;
    return &est->isco[model][s];
}

const fow_code_estimate *fow_risk_estimate_occupation(const fow_risk_estimates *est, fow_risk_model model,
                                                      uint32_t occupation) {
    if (occupation >= est->model->n_occupations || (int)model < 0 || model >= N_MODELS) return &no_estimate;
    return &est->occupation[model][occupation];
}

uint32_t fow_risk_estimates_occupations_in(const fow_risk_estimates *est, const char *code, const uint32_t **first) {
    *first = est->by_group;
    size_t n = strlen(code);
    if (isco_slot(code) < 0) return 0;
    const fow_model *m = est->model;
    /* lower bound of the codes starting with code */
    uint32_t lo = 0, hi = m->n_occupations;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strncmp(m->occupations[est->by_group[mid]].isco_group, code, n) < 0) lo = mid + 1;
        else hi = mid;
    }
    uint32_t start = lo;
    hi = m->n_occupations;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strncmp(m->occupations[est->by_group[mid]].isco_group, code, n) <= 0) lo = mid + 1;
        else hi = mid;
    }
    *first = est->by_group + start;
    return lo - start;
}

const char *fow_isco_label(const fow_risk_estimates *est, const char *code) {
    int s = isco_slot(code);
    return s >= 0 && est->labels[s] ? est->labels[s] : "";
}

const fow_model *fow_risk_estimates_model(const fow_risk_estimates *est) { return est->model; }

const char *fow_risk_estimates_source(const fow_risk_estimates *est, fow_risk_model model) {
    return (int)model >= 0 && model < N_MODELS ? est->source[model] : "";
}

/* ---- snapshots ---------------------------------------------------------- */

#define TAG_ISCO FOW_SNAP_TAG('R', 'I', 'S', 'C')
#define TAG_OCCUPATION FOW_SNAP_TAG('R', 'O', 'C', 'C')
#define TAG_BY_GROUP FOW_SNAP_TAG('R', 'G', 'R', 'P')
#define TAG_LABEL_OFFSETS FOW_SNAP_TAG('R', 'L', 'B', 'O')
#define TAG_LABEL_TEXT FOW_SNAP_TAG('R', 'L', 'B', 'T')
#define TAG_SOURCES FOW_SNAP_TAG('R', 'S', 'R', 'C')
#define NO_LABEL UINT32_MAX

fow_code fow_risk_estimates_snapshot_write(const fow_risk_estimates *est, fow_snap_writer *w) {
    uint64_t n_occ = est->model->n_occupations;
    fow_code_estimate *isco = malloc((size_t)N_MODELS * N_SLOTS * sizeof *isco);
    fow_code_estimate *occ = malloc((size_t)N_MODELS * (n_occ ? n_occ : 1) * sizeof *occ);
    uint32_t *label_offsets = malloc(N_SLOTS * sizeof *label_offsets);
    size_t text_len = 0;
    for (int s = 0; s < N_SLOTS; s++)
        if (est->labels[s]) text_len += strlen(est->labels[s]) + 1;
    char *text = malloc(text_len + 1);
    fow_code rc;
    if (!isco || !occ || !label_offsets || !text || text_len >= UINT32_MAX) {
        rc = fow_snap_writer_fail(w, FOW_ENOMEM, "out of memory writing the risk estimates");
        goto done;
    }
    /* whole structs copied field by field, so that padding is written as 0 */
    memset(isco, 0, (size_t)N_MODELS * N_SLOTS * sizeof *isco);
    memset(occ, 0, (size_t)N_MODELS * (n_occ ? n_occ : 1) * sizeof *occ);
    for (int m = 0; m < N_MODELS; m++) {
        for (int s = 0; s < N_SLOTS; s++) {
            fow_code_estimate *e = &isco[(size_t)m * N_SLOTS + s];
            const fow_code_estimate *from = &est->isco[m][s];
            e->risk = from->risk, e->n_occupations = from->n_occupations, e->method = from->method;
            memcpy(e->share, from->share, sizeof e->share);
            memcpy(e->bins, from->bins, sizeof e->bins);
        }
        for (uint64_t o = 0; o < n_occ; o++) {
            fow_code_estimate *e = &occ[(size_t)m * n_occ + o];
            const fow_code_estimate *from = &est->occupation[m][o];
            e->risk = from->risk, e->n_occupations = from->n_occupations, e->method = from->method;
            memcpy(e->share, from->share, sizeof e->share);
            memcpy(e->bins, from->bins, sizeof e->bins);
        }
    }
    size_t used = 0;
    for (int s = 0; s < N_SLOTS; s++) {
        if (!est->labels[s]) {
            label_offsets[s] = NO_LABEL;
            continue;
        }
        size_t n = strlen(est->labels[s]) + 1;
        memcpy(text + used, est->labels[s], n);
        label_offsets[s] = (uint32_t)used;
        used += n;
    }
    fow_snap_put(w, TAG_ISCO, isco, (uint64_t)N_MODELS * N_SLOTS * sizeof *isco, (uint64_t)N_MODELS * N_SLOTS);
    fow_snap_put(w, TAG_OCCUPATION, occ, N_MODELS * n_occ * sizeof *occ, N_MODELS * n_occ);
    fow_snap_put(w, TAG_BY_GROUP, est->by_group, n_occ * sizeof *est->by_group, n_occ);
    fow_snap_put(w, TAG_LABEL_OFFSETS, label_offsets, N_SLOTS * sizeof *label_offsets, N_SLOTS);
    fow_snap_put(w, TAG_LABEL_TEXT, text, text_len, text_len);
    rc = fow_snap_put(w, TAG_SOURCES, est->source, sizeof est->source, N_MODELS);
done:
    free(isco);
    free(occ);
    free(label_offsets);
    free(text);
    return rc;
}

fow_code fow_risk_estimates_snapshot_read(const fow_snap *snap, const fow_model *model, fow_risk_estimates **out,
                                          fow_error *err) {
    *out = NULL;
    uint64_t n_isco, n_occ, n_group, n_lo, n_text, n_src;
    const fow_code_estimate *isco = fow_snap_section(snap, TAG_ISCO, sizeof *isco, &n_isco);
    const fow_code_estimate *occ = fow_snap_section(snap, TAG_OCCUPATION, sizeof *occ, &n_occ);
    const uint32_t *by_group = fow_snap_section(snap, TAG_BY_GROUP, sizeof *by_group, &n_group);
    const uint32_t *label_offsets = fow_snap_section(snap, TAG_LABEL_OFFSETS, sizeof *label_offsets, &n_lo);
    const char *text = fow_snap_section(snap, TAG_LABEL_TEXT, 1, &n_text);
    const char *sources = fow_snap_section(snap, TAG_SOURCES, sizeof((fow_risk_estimates *)0)->source[0], &n_src);
    uint64_t n = model->n_occupations;
    const char *why = NULL;
    if (!isco || !occ || !by_group || !label_offsets || !text || !sources)
        why = "a section of the risk estimates is missing";
    else if (n_isco != (uint64_t)N_MODELS * N_SLOTS || n_occ != N_MODELS * n || n_group != n || n_lo != N_SLOTS ||
             n_src != N_MODELS || (n_text && text[n_text - 1] != '\0'))
        why = "the risk estimates do not match the model";
    for (uint64_t i = 0; !why && i < n; i++)
        if (by_group[i] >= n) why = "the risk estimates refer outside the model";
    for (int s = 0; !why && s < N_SLOTS; s++)
        if (label_offsets[s] != NO_LABEL && label_offsets[s] >= n_text) why = "an ISCO label lies outside the text";
    if (why) return fow_error_set(err, FOW_EINPUT, "snapshot: %s", why);
    fow_risk_estimates *est = calloc(1, sizeof *est);
    if (!est) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    fow_arena_init(&est->arena, 1024);
    est->model = model;
    est->mapped = true;
    for (int m = 0; m < N_MODELS; m++) {
        est->isco[m] = (fow_code_estimate *)isco + (size_t)m * N_SLOTS;
        est->occupation[m] = (fow_code_estimate *)occ + (size_t)m * n;
        memcpy(est->source[m], sources + (size_t)m * sizeof est->source[m], sizeof est->source[m]);
        est->source[m][sizeof est->source[m] - 1] = '\0';
    }
    est->by_group = (uint32_t *)by_group;
    for (int s = 0; s < N_SLOTS; s++) est->labels[s] = label_offsets[s] == NO_LABEL ? NULL : text + label_offsets[s];
    *out = est;
    return FOW_OK;
}

/* ---- employment ------------------------------------------------------ */

/* A row's place in the nesting: its code, and for an ESCO occupation its
 * unit group followed by '~', its index and '~' (after every digit; the
 * closing '~' keeps occupation 1 from containing occupation 12). */
typedef struct row_path {
    uint32_t row;
    uint32_t breakdown; /* the rank of its sector|sex|age|education among the table's */
    char path[24];
} row_path;

static int row_path_cmp(const void *a, const void *b) {
    const row_path *x = a, *y = b;
    if (x->breakdown != y->breakdown) return x->breakdown < y->breakdown ? -1 : 1;
    return strcmp(x->path, y->path);
}

static bool path_contains(const row_path *outer, const row_path *inner) {
    size_t n = strlen(outer->path);
    return outer->breakdown == inner->breakdown && n < strlen(inner->path) && strncmp(outer->path, inner->path, n) == 0;
}

static int text_cmp(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* The rank of each kept row's breakdown among the distinct breakdowns of
 * the table (in strcmp order) into paths[k].breakdown, so that the sort
 * compares integers instead of texts. Returns 0, or -1 when out of memory. */
static int rank_breakdowns(const fow_employment *emp, row_path *paths, uint32_t m) {
    fow_strmap ids;
    fow_strmap_init(&ids);
    const char **distinct = NULL;
    uint32_t n_distinct = 0, cap = 0;
    uint32_t *rank = NULL;
    int rc = 0;
    for (uint32_t k = 0; k < m && !rc; k++) {
        const char *b = emp->rows[paths[k].row].breakdown;
        int64_t id;
        if (!fow_strmap_get(&ids, b, strlen(b), &id)) {
            if (n_distinct == cap) {
                uint32_t ncap = cap ? cap * 2 : 64;
                const char **nd = realloc(distinct, ncap * sizeof *nd);
                if (!nd) {
                    rc = -1;
                    break;
                }
                distinct = nd;
                cap = ncap;
            }
            id = n_distinct;
            distinct[n_distinct++] = b;
            if (fow_strmap_put(&ids, b, strlen(b), id) != 0) rc = -1;
        }
        paths[k].breakdown = (uint32_t)id; /* its id for now, its rank below */
    }
    if (!rc && n_distinct) {
        qsort(distinct, n_distinct, sizeof *distinct, text_cmp);
        rank = malloc(n_distinct * sizeof *rank);
        if (!rank) rc = -1;
        for (uint32_t r = 0; !rc && r < n_distinct; r++) {
            int64_t id = 0;
            fow_strmap_get(&ids, distinct[r], strlen(distinct[r]), &id);
            rank[id] = r;
        }
        for (uint32_t k = 0; !rc && k < m; k++) paths[k].breakdown = rank[paths[k].breakdown];
    }
    free(rank);
    free(distinct);
    fow_strmap_free(&ids);
    return rc;
}

/* The counted persons of the rows kept (kept NULL: all; the others get 0):
 * a row's count less its nearest nested kept rows' known counts (a masked
 * nested row passes on what its own nested rows know). */
static fow_code count_rows(const fow_model *model, const fow_employment *emp, const uint8_t *kept, double *counted,
                           fow_error *err) {
    uint32_t n = emp->n_rows, m = 0;
    for (uint32_t i = 0; i < n; i++) counted[i] = 0;
    if (!n) return FOW_OK;
    row_path *paths = calloc(n, sizeof *paths);
    uint32_t *parent = malloc(n * sizeof *parent);
    uint32_t *stack = malloc(n * sizeof *stack);
    double *inner = calloc(n, sizeof *inner);
    fow_code rc = FOW_OK;
    if (!paths || !parent || !stack || !inner) {
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        goto done;
    }
    /* a row can hold another only at a coarser level: when every kept row
     * names an ISCO code of the same length, none nests and each counts
     * its own persons (a national table of unit groups by sector, sex and
     * age: no sort needed) */
    size_t level = SIZE_MAX;
    bool one_level = true;
    for (uint32_t i = 0; i < n; i++) {
        if (kept && !kept[i]) continue;
        const fow_employment_row *r = &emp->rows[i];
        size_t len = r->occupation != FOW_NO_INDEX ? 0 : strlen(r->isco);
        if (level == SIZE_MAX) level = len;
        if (len != level || len == 0) one_level = false;
        paths[m].row = i;
        if (r->occupation != FOW_NO_INDEX)
            snprintf(paths[m].path, sizeof paths[m].path, "%.4s~%u~", model->occupations[r->occupation].isco_group,
                     r->occupation);
        else
            memcpy(paths[m].path, r->isco, len + 1); /* at most 4 digits */
        m++;
    }
    if (one_level) {
        for (uint32_t k = 0; k < m; k++) {
            const fow_employment_row *r = &emp->rows[paths[k].row];
            counted[paths[k].row] = isnan(r->employed) ? 0 : fmax(0, r->employed);
        }
        goto done;
    }
    if (rank_breakdowns(emp, paths, m) != 0) {
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        goto done;
    }
    qsort(paths, m, sizeof *paths, row_path_cmp);
    uint32_t depth = 0;
    for (uint32_t k = 0; k < m; k++) {
        while (depth && !path_contains(&paths[stack[depth - 1]], &paths[k])) depth--;
        parent[k] = depth ? stack[depth - 1] : UINT32_MAX;
        stack[depth++] = k;
    }
    /* children come after their parents: walk backwards */
    for (uint32_t k = m; k-- > 0;) {
        if (parent[k] == UINT32_MAX) continue;
        const fow_employment_row *r = &emp->rows[paths[k].row];
        inner[parent[k]] += isnan(r->employed) ? inner[k] : r->employed;
    }
    for (uint32_t k = 0; k < m; k++) {
        const fow_employment_row *r = &emp->rows[paths[k].row];
        counted[paths[k].row] = isnan(r->employed) ? 0 : fmax(0, r->employed - inner[k]);
    }
done:
    free(paths);
    free(parent);
    free(stack);
    free(inner);
    return rc;
}

/* The value of a row in breakdown dimension d (0 sector, 1 sex, 2 age, 3 education). */
static const char *row_dimension(const fow_employment_row *r, int d) {
    return d == 0 ? r->sector : d == 1 ? r->sex : d == 2 ? r->age_group : r->education;
}

/* Which rows a view keeps: in a dimension the table gives both as totals
 * and broken down, the breakdown when it is the view's dimension (detail,
 * -1 for none), else the totals. kept has a byte per row; returns how many
 * rows are left out. */
static uint32_t select_rows(const fow_employment *emp, int detail, uint8_t *kept) {
    uint32_t left_out = 0;
    for (uint32_t i = 0; i < emp->n_rows; i++) {
        kept[i] = 1;
        for (int d = 0; d < 4 && kept[i]; d++) {
            if (!emp->layered[d]) continue;
            bool total = !*row_dimension(&emp->rows[i], d);
            kept[i] = d == detail ? !total : total;
        }
        left_out += !kept[i];
    }
    return left_out;
}

/* FOW_ENOTFOUND for an area or year without rows, naming what there is. */
static fow_code employment_not_found(fow_db *db, const char *area, int year, fow_error *err) {
    char have[400] = "";
    fow_error ignored;
    fow_error_clear(&ignored);
    if (employment_store_years_text(db, area, have, sizeof have, &ignored) == FOW_OK && *have)
        return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "year", "no employment for '%s' in %d; it has the years %s",
                                area, year, have);
    if (employment_store_areas_text(db, have, sizeof have, &ignored) != FOW_OK) have[0] = 0;
    if (*have)
        return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "area", "no employment for the area '%s'; the areas are: %s",
                                area, have);
    return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "area",
                            "no employment is imported: import an area's employment counts first (import kind "
                            "employment)");
}

fow_code fow_employment_latest_year(fow_db *db, const char *area, int *year, fow_error *err) {
    return employment_store_latest_year(db, area, year, err);
}

/* The state of fow_employment_load while it reads the stored rows. */
typedef struct employment_loading {
    fow_db *db;
    const fow_model *model;
    fow_employment *out;
    uint32_t cap;
} employment_loading;

static fow_code load_employment_row(void *ctx, const employment_stored_row *row, fow_error *err) {
    employment_loading *L = ctx;
    fow_employment *out = L->out;
    if (out->n_rows == L->cap) {
        uint32_t ncap = L->cap ? L->cap * 2 : 256;
        fow_employment_row *nr = realloc(out->rows, ncap * sizeof *nr);
        if (!nr) return fow_error_set(err, FOW_ENOMEM, "out of memory");
        out->rows = nr;
        L->cap = ncap;
    }
    fow_employment_row *r = &out->rows[out->n_rows];
    memset(r, 0, sizeof *r);
    size_t code_len = strnlen(row->isco_code, sizeof r->isco - 1); /* at most 4 digits */
    memcpy(r->isco, row->isco_code, code_len);
    r->isco[code_len] = '\0';
    r->occupation = row->occupation_id ? fow_model_occupation_by_id(L->model, row->occupation_id) : FOW_NO_INDEX;
    const char **dims[4] = {&r->sector, &r->sex, &r->age_group, &r->education};
    for (int d = 0; d < 4; d++) {
        const char *t = row->dims[d];
        *dims[d] = *t ? fow_arena_strdup(&out->arena, t) : "";
        if (!*dims[d] && *t) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    }
    bool masked = row->masked || !row->employed_known;
    r->employed = masked ? NAN : row->employed;
    r->median_wage = row->wage_known ? row->median_wage : NAN;
    r->line = row->line;
    if (masked) out->n_masked++;
    else out->given += r->employed;
    if (!out->n_rows) {
        /* the source of the table: its first row's */
        fow_arena scratch;
        fow_arena_init(&scratch, 1024);
        fow_source_text source;
        fow_code rc = fow_source_get(L->db, row->source_id, &scratch, &source, err);
        if (!rc) {
            snprintf(out->source, sizeof out->source, "%s, %s", source.name, source.version);
            out->illustrative = strcmp(source.kind, "employment-illustrative") == 0;
        }
        fow_arena_free(&scratch);
        if (rc) return rc;
    }
    out->n_rows++;
    return FOW_OK;
}

fow_code fow_employment_load(fow_db *db, const fow_model *model, const char *area, int year, fow_employment *out,
                             fow_error *err) {
    memset(out, 0, sizeof *out);
    fow_arena_init(&out->arena, 64 * 1024);
    snprintf(out->area, sizeof out->area, "%s", area);
    out->year = year;
    employment_loading loading = {db, model, out, 0};
    fow_code rc = employment_store_each_row(db, area, year, load_employment_row, &loading, err);
    if (!rc && out->n_rows == 0) rc = employment_not_found(db, area, year, err);
    /* the breakdown of each row, and the dimensions given both as totals and broken down */
    bool has_total[4] = {false, false, false, false}, has_value[4] = {false, false, false, false};
    for (uint32_t i = 0; !rc && i < out->n_rows; i++) {
        fow_employment_row *r = &out->rows[i];
        /* sector|sex|age|education, copied part by part (a printf per row
         * was a tenth of the load of a large table) */
        const char *parts[4] = {r->sector, r->sex, r->age_group, r->education};
        size_t lens[4], total = 4;
        for (int d = 0; d < 4; d++) total += lens[d] = strlen(parts[d]);
        char *b = fow_arena_alloc(&out->arena, total);
        if (!b) {
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
            break;
        }
        char *w = b;
        for (int d = 0; d < 4; d++) {
            memcpy(w, parts[d], lens[d]);
            w += lens[d];
            *w++ = d < 3 ? '|' : '\0';
        }
        r->breakdown = b;
        for (int d = 0; d < 4; d++) {
            if (*row_dimension(r, d)) has_value[d] = true;
            else has_total[d] = true;
        }
    }
    for (int d = 0; d < 4; d++) out->layered[d] = has_total[d] && has_value[d];
    /* the counts of the default view: totals where the table has them */
    uint8_t *kept = rc ? NULL : malloc(out->n_rows);
    double *counted = rc ? NULL : malloc(out->n_rows * sizeof *counted);
    if (!rc && (!kept || !counted)) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    if (!rc) {
        select_rows(out, -1, kept);
        rc = count_rows(model, out, kept, counted, err);
    }
    if (!rc) {
        out->counted = 0;
        for (uint32_t i = 0; i < out->n_rows; i++) {
            out->rows[i].counted = counted[i];
            out->counted += counted[i];
        }
    }
    free(kept);
    free(counted);
    return rc;
}

void fow_employment_free(fow_employment *emp) {
    if (!emp) return;
    free(emp->rows);
    emp->rows = NULL;
    emp->n_rows = 0;
    fow_arena_free(&emp->arena);
}

/* The state of fow_employment_areas_json while it reads the years. */
typedef struct areas_listing {
    fow_db *db;
    json_t *areas;
    json_t *current;
} areas_listing;

static fow_code list_area_year(void *ctx, const employment_year_summary *y, fow_error *err) {
    areas_listing *L = ctx;
    if (!L->current || strcmp(json_string_value(json_object_get(L->current, "area")), y->area) != 0) {
        fow_arena scratch;
        fow_arena_init(&scratch, 1024);
        fow_source_text source;
        fow_code rc = fow_source_get(L->db, y->source_id, &scratch, &source, err);
        if (!rc) {
            L->current = json_pack("{s:s, s:[], s:s, s:b}", "area", y->area, "years", "source", source.name,
                                   "illustrative", strcmp(source.kind, "employment-illustrative") == 0);
            if (!L->current || json_array_append_new(L->areas, L->current))
                rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        }
        fow_arena_free(&scratch);
        if (rc) return rc;
    }
    json_array_append_new(json_object_get(L->current, "years"),
                          json_pack("{s:i, s:I, s:I, s:f}", "year", y->year, "rows", (json_int_t)y->rows, "masked",
                                    (json_int_t)y->masked, "employed_given", y->employed_given));
    return FOW_OK;
}

json_t *fow_employment_areas_json(fow_db *db, fow_error *err) {
    areas_listing listing = {db, json_array(), NULL};
    if (!listing.areas) {
        fow_error_set(err, FOW_ENOMEM, "out of memory");
        return NULL;
    }
    if (employment_store_each_year(db, list_area_year, &listing, err) != FOW_OK) {
        json_decref(listing.areas);
        return NULL;
    }
    return listing.areas;
}

/* ---- occupation groups ------------------------------------------------ */

/* Eurostat's cultural occupations (ISCO-08 unit groups), as used for its
 * cultural employment statistics (cult_emp, after the ESSnet-Culture final
 * report, 2012). A minor group (3 digits) stands for all its unit groups
 * when every one of them is on the list, so that 3-digit tables reach them. */
static const char *const cultural_codes[] = {
    "2161", "2162", "2163", "2166", "2354", "2355", "262", /* 2621, 2622 */
    "264",  /* 2641 to 2643 */ "265", /* 2651 to 2656, 2659 */ "3431", "3432", "3433", "3435",
    "4411", "7312", "7313", "7314", "7315", "7316", "7317", "7318", "7319", NULL};

/* fow's working definition of shared-service and business-process
 * (SSC/BPO) back-office work: finance and accounting, payroll and
 * personnel administration, data entry and records, contact centres and
 * first-line ICT support. */
static const char *const back_office_codes[] = {
    "3311", "3313", "3341", "3343", "3512", "411", /* 4110 */ "412", /* 4120 */ "413", /* 4131, 4132 */
    "4222", "4223", "4227", "431", /* 4311 to 4313 */ "4415", "4416", "5244", NULL};

const fow_occupation_group fow_occupation_groups[] = {
    {"cultural", "Cultural and creative occupations",
     "Eurostat, cultural employment (cult_emp): the ISCO-08 unit groups of cultural occupations (ESSnet-Culture, 2012)",
     cultural_codes},
    {"back-office", "Shared-service and business-process (SSC/BPO) back-office work",
     "fow's working definition (docs/observatory.md): finance and accounting, payroll and personnel, data entry and "
     "records, contact centres, first-line ICT support",
     back_office_codes},
};
const uint32_t fow_n_occupation_groups = sizeof fow_occupation_groups / sizeof fow_occupation_groups[0];

const fow_occupation_group *fow_occupation_group_find(const char *name) {
    for (uint32_t g = 0; g < fow_n_occupation_groups; g++)
        if (strcmp(fow_occupation_groups[g].name, name) == 0) return &fow_occupation_groups[g];
    return NULL;
}

/* ---- measures --------------------------------------------------------- */

/* The sections of NACE Rev. 2 (Eurostat), for sector keys of one letter. */
static const char *nace_section(const char *key) {
    static const char *const sections[21] = {
        "Agriculture, forestry and fishing", "Mining and quarrying", "Manufacturing",
        "Electricity, gas, steam and air conditioning supply",
        "Water supply, sewerage, waste management and remediation", "Construction",
        "Wholesale and retail trade; repair of motor vehicles", "Transportation and storage",
        "Accommodation and food service activities", "Information and communication",
        "Financial and insurance activities", "Real estate activities",
        "Professional, scientific and technical activities", "Administrative and support service activities",
        "Public administration and defence; social security", "Education",
        "Human health and social work activities", "Arts, entertainment and recreation", "Other service activities",
        "Activities of households as employers", "Activities of extraterritorial organisations"};
    if (key[0] >= 'A' && key[0] <= 'U' && key[1] == 0) return sections[key[0] - 'A'];
    return "";
}

static const char *const by_names[] = {"none", "major", "submajor", "sector", "sex", "age", "education", "group"};

const char *fow_observe_by_name(fow_observe_by by) {
    return (unsigned)by < sizeof by_names / sizeof by_names[0] ? by_names[by] : "none";
}

int fow_observe_by_parse(const char *text, fow_observe_by *out) {
    for (unsigned i = 0; i < sizeof by_names / sizeof by_names[0]; i++)
        if (strcmp(text, by_names[i]) == 0) {
            *out = (fow_observe_by)i;
            return 0;
        }
    return -1;
}

double fow_observe_share(const fow_observe_cell *cell, int c) {
    return cell->with_estimate > 0 && c >= 0 && c < FOW_N_CATS ? cell->category[c] / cell->with_estimate : NAN;
}

double fow_observe_mean(const fow_observe_cell *cell) {
    return cell->with_estimate > 0 ? cell->risk_sum / cell->with_estimate : NAN;
}

static void cell_add(fow_observe_cell *cell, const fow_employment_row *row, double n, const fow_code_estimate *e) {
    assert(isnan(row->employed) || n >= 0.0);
    cell->rows++;
    if (isnan(row->employed)) {
        cell->masked++;
        return;
    }
    cell->employed += n;
    if (e->method == FOW_EST_NONE) return;
    cell->with_estimate += n;
    assert(cell->with_estimate <= cell->employed * (1.0 + 1e-9) + 1e-9);
    cell->risk_sum += n * e->risk;
    for (int c = 0; c < FOW_N_CATS; c++) cell->category[c] += n * e->share[c];
    for (int b = 0; b < FOW_RISK_BINS; b++) cell->bins[b] += n * e->bins[b];
}

/* The ISCO code a row is known at: its own, or its occupation's unit group. */
static const char *row_code(const fow_model *model, const fow_employment_row *row) {
    return row->occupation != FOW_NO_INDEX ? model->occupations[row->occupation].isco_group : row->isco;
}

/* The cell for key, added when new. */
static fow_observe_cell *cell_for(fow_observation *obs, uint32_t *cap, const char *key, const char *label) {
    for (uint32_t i = 0; i < obs->n_cells; i++)
        if (strcmp(obs->cells[i].key, key) == 0) return &obs->cells[i];
    if (obs->n_cells == *cap) {
        uint32_t ncap = *cap ? *cap * 2 : 16;
        fow_observe_cell *nc = realloc(obs->cells, ncap * sizeof *nc);
        if (!nc) return NULL;
        obs->cells = nc;
        *cap = ncap;
    }
    fow_observe_cell *c = &obs->cells[obs->n_cells++];
    memset(c, 0, sizeof *c);
    snprintf(c->key, sizeof c->key, "%s", key);
    c->label = label;
    return c;
}

static int cell_cmp(const void *a, const void *b) {
    const fow_observe_cell *x = a, *y = b;
    bool xo = strcmp(x->key, "other") == 0, yo = strcmp(y->key, "other") == 0;
    if (xo != yo) return xo ? 1 : -1;
    return strcmp(x->key, y->key);
}

/* 1 when code is inside the group, 2 when it is coarser and contains a
 * code of the group, 0 otherwise. */
static int group_membership(const fow_occupation_group *g, const char *code) {
    size_t n = strlen(code);
    int partial = 0;
    for (const char *const *c = g->codes; *c; c++) {
        size_t m = strlen(*c);
        if (n >= m && strncmp(code, *c, m) == 0) return 1;
        if (n > 0 && n < m && strncmp(code, *c, n) == 0) partial = 2;
    }
    return partial;
}

fow_code fow_observe(const fow_risk_estimates *est, const fow_employment *emp, fow_risk_model model,
                     fow_observe_by by, fow_observation *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    out->model = model;
    out->by = by;
    out->employment = emp;
    const fow_model *m = est->model;
    size_t n_rows = emp->n_rows ? emp->n_rows : 1;
    out->units = malloc(n_rows * sizeof *out->units);
    uint8_t *kept = malloc(n_rows);
    double *counted = malloc(n_rows * sizeof *counted);
    if (!out->units || !kept || !counted) goto oom;
    /* the view: which layer of a dimension given twice, then each row's remainder */
    int detail = by == FOW_BY_SECTOR ? 0 : by == FOW_BY_SEX ? 1 : by == FOW_BY_AGE ? 2 : by == FOW_BY_EDUCATION ? 3 : -1;
    out->left_out = select_rows(emp, detail, kept);
    if (count_rows(m, emp, kept, counted, err)) {
        free(kept);
        free(counted);
        fow_observation_free(out);
        return err->code;
    }
    uint32_t cap = 0;
    for (uint32_t i = 0; i < emp->n_rows; i++) {
        if (!kept[i]) continue;
        const fow_employment_row *row = &emp->rows[i];
        double n = counted[i];
        const fow_code_estimate *e = row->occupation != FOW_NO_INDEX
                                         ? fow_risk_estimate_occupation(est, model, row->occupation)
                                         : fow_risk_estimate_isco(est, model, row->isco);
        cell_add(&out->total, row, n, e);
        if (!isnan(row->employed) && n > 0) {
            out->units[out->n_units++] = (fow_observe_unit){row, n, e};
            out->by_method[e->method] += n;
            out->by_level[row->occupation != FOW_NO_INDEX ? 0 : strlen(row->isco)] += n;
        }
        const char *code = row_code(m, row);
        char key[64];
        const char *label = "";
        switch (by) {
        case FOW_BY_NONE: continue;
        case FOW_BY_MAJOR:
        case FOW_BY_SUBMAJOR: {
            size_t digits = strnlen(code, by == FOW_BY_MAJOR ? 1 : 2);
            memcpy(key, code, digits);
            key[digits] = '\0';
            label = *key ? fow_isco_label(est, key) : "no ISCO code";
            break;
        }
        case FOW_BY_SECTOR:
            snprintf(key, sizeof key, "%s", row->sector);
            label = nace_section(key);
            break;
        case FOW_BY_SEX:
            snprintf(key, sizeof key, "%s", row->sex);
            /* Eurostat's codes */
            label = strcmp(key, "F") == 0 ? "women" : strcmp(key, "M") == 0 ? "men" : strcmp(key, "T") == 0 ? "total" : "";
            break;
        case FOW_BY_AGE: snprintf(key, sizeof key, "%s", row->age_group); break;
        case FOW_BY_EDUCATION: snprintf(key, sizeof key, "%s", row->education); break;
        case FOW_BY_GROUP: {
            bool in_any = false;
            for (uint32_t g = 0; g < fow_n_occupation_groups; g++) {
                const fow_occupation_group *grp = &fow_occupation_groups[g];
                int member = group_membership(grp, code);
                fow_observe_cell *c = cell_for(out, &cap, grp->name, grp->title);
                if (!c) goto oom;
                if (member == 1) {
                    cell_add(c, row, n, e);
                    in_any = true;
                } else if (member == 2 && !isnan(row->employed)) {
                    c->partial += n;
                }
            }
            if (!in_any) {
                fow_observe_cell *c = cell_for(out, &cap, "other", "all other occupations");
                if (!c) goto oom;
                cell_add(c, row, n, e);
            }
            continue;
        }
        }
        if (by >= FOW_BY_SECTOR && !*key) label = "not given";
        fow_observe_cell *c = cell_for(out, &cap, key, label);
        if (!c) goto oom;
        cell_add(c, row, n, e);
    }
    if (out->n_cells > 1) qsort(out->cells, out->n_cells, sizeof *out->cells, cell_cmp);
    free(kept);
    free(counted);
    return FOW_OK;
oom:
    free(kept);
    free(counted);
    fow_observation_free(out);
    return fow_error_set(err, FOW_ENOMEM, "out of memory");
}

void fow_observation_free(fow_observation *obs) {
    if (!obs) return;
    free(obs->cells);
    free(obs->units);
    obs->cells = NULL;
    obs->units = NULL;
    obs->n_cells = obs->n_units = 0;
}

fow_code fow_area_view_load(fow_db *db, const fow_risk_estimates *est, const char *area, int year,
                            fow_risk_model model, fow_observe_by by, fow_area_view *view, fow_error *err) {
    memset(view, 0, sizeof *view);
    fow_code rc = fow_employment_load(db, est->model, area, year, &view->emp, err);
    if (!rc) rc = fow_observe(est, &view->emp, model, by, &view->obs, err);
    return rc;
}

void fow_area_view_free(fow_area_view *view) {
    if (!view) return;
    fow_observation_free(&view->obs);
    fow_employment_free(&view->emp);
}
