/* fow_infer.c — probable skills of an occupation (fow_infer.h). */
#include "transitions/fow_infer.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OOM(err) fow_error_set(err, FOW_ENOMEM, "out of memory inferring probable skills")

/* The weight of an optional listed skill when it brings related skills
 * (an essential one brings them at full strength). */
#define OPTIONAL_RELATED_FACTOR 0.5f

void fow_infer_params_default(fow_infer_params *p) {
    /* chosen with bench/eval_infer.c on ESCO 1.2.0 (docs/transitions.md) */
    p->neighbours = 8;
    p->hierarchy_weight = 0.5f;
    p->related_weight = 0.15f;
    p->min_score = 0.4f;
    p->limit = 20;
}

fow_code fow_infer_params_check(const fow_infer_params *p, fow_error *err) {
    if (p->neighbours < 1 || p->neighbours > 200)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "neighbours", "neighbours must be in 1..200, not %u",
                                p->neighbours);
    if (!(p->hierarchy_weight >= 0.0f && p->hierarchy_weight <= 1.0f))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "hierarchy_weight", "hierarchy_weight must be in 0..1");
    if (!(p->related_weight >= 0.0f && p->related_weight <= 1.0f))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "related_weight", "related_weight must be in 0..1");
    if (!(p->min_score >= 0.0f && p->min_score <= 1.0f))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "min_score", "min_score must be in 0..1");
    if (p->limit < 1 || p->limit > FOW_INFER_MAX)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "limit", "limit must be in 1..%d, not %u", FOW_INFER_MAX,
                                p->limit);
    return FOW_OK;
}

/* ---- neighbours ---------------------------------------------------------- */

typedef struct neighbour {
    uint32_t occupation;
    float weight;
} neighbour;

/* Inserts (d, w) into the list best[0..*n) kept sorted by weight (heavier
 * first, ties to the lower index), at most k long. */
static void keep_neighbour(neighbour *best, uint32_t *n, uint32_t k, uint32_t d, float w) {
    if (*n == k && !(w > best[k - 1].weight)) return;
    uint32_t i = *n < k ? (*n)++ : k - 1;
    while (i > 0 && w > best[i - 1].weight) {
        best[i] = best[i - 1];
        i--;
    }
    best[i] = (neighbour){d, w};
}

/* The neighbours of o: its k most similar occupations (sim(o -> d) > 0),
 * then its ESCO parent and nested occupations weighted at least
 * hierarchy_weight. Returns their number (at most k + the nested ones). */
static uint32_t find_neighbours(fow_similarity_workspace *ws, uint32_t o, const fow_infer_params *p,
                                neighbour *out, uint32_t cap) {
    const fow_model *m = ws->index->model;
    const float *scores = fow_similarity_scores(ws);
    uint32_t n = 0, k = p->neighbours < cap ? p->neighbours : cap;
    for (uint32_t d = 0; d < m->n_occupations; d++)
        if (d != o && scores[d] > 0.0f) keep_neighbour(out, &n, k, d, scores[d]);
    if (p->hierarchy_weight <= 0.0f) return n;
    for (uint32_t d = 0; d < m->n_occupations; d++) {
        if (d == o || !(d == m->occupations[o].parent || m->occupations[d].parent == o)) continue;
        uint32_t i = 0;
        while (i < n && out[i].occupation != d) i++;
        if (i < n) {
            if (out[i].weight < p->hierarchy_weight) out[i].weight = p->hierarchy_weight;
        } else if (n < cap) {
            out[n++] = (neighbour){d, p->hierarchy_weight > scores[d] ? p->hierarchy_weight : scores[d]};
        }
    }
    return n;
}

/* ---- scoring ------------------------------------------------------------- */

typedef struct candidate {
    float share;     /* summed neighbour weight, then the share */
    float related;
    uint32_t listing;
    uint32_t example;
    float example_weight;
    uint32_t via;
} candidate;

static int probable_first(const void *a, const void *b) {
    const fow_probable_skill *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return x->skill < y->skill ? -1 : x->skill > y->skill;
}

/* Scratch of one inference, reused across occupations: cand[] is all
 * zero between calls (only the touched entries are written, and cleared). */
typedef struct infer_scratch {
    neighbour *near;
    uint32_t near_cap;
    candidate *cand;
    uint32_t *touched;
    fow_probable_skill *found;
} infer_scratch;

static void scratch_free(infer_scratch *sc) { free(sc->near), free(sc->cand), free(sc->touched), free(sc->found); }

static int scratch_init(infer_scratch *sc, const fow_model *m, const fow_infer_params *p) {
    sc->near_cap = p->neighbours + 64;
    sc->near = malloc(sc->near_cap * sizeof *sc->near);
    sc->cand = calloc(m->n_skills + 1, sizeof *sc->cand);
    sc->touched = malloc((m->n_skills + 1) * sizeof *sc->touched);
    sc->found = malloc((m->n_skills + 1) * sizeof *sc->found);
    if (sc->near && sc->cand && sc->touched && sc->found) return 0;
    scratch_free(sc);
    return -1;
}

/* The probable skills of o (params checked), all of them with score >=
 * min_score, most probable first, into sc->found; returns their number. */
static uint32_t infer_one(fow_similarity_workspace *ws, const fow_infer_params *params, uint32_t o,
                          infer_scratch *sc) {
    const fow_similarity_index *x = ws->index;
    const fow_model *m = x->model;
    assert(o < m->n_occupations);
    candidate *cand = sc->cand;
    fow_similarity_origin_occupation(ws, o);
    uint32_t n_near = find_neighbours(ws, o, params, sc->near, sc->near_cap);
    uint32_t n_touched = 0;
    double total = 0.0;
    for (uint32_t i = 0; i < n_near; i++) {
        uint32_t d = sc->near[i].occupation;
        float w = sc->near[i].weight;
        total += w;
        for (uint32_t a = m->occ_offsets[d]; a < m->occ_offsets[d + 1]; a++) {
            const fow_model_link *l = &m->occ_links[a];
            if (!l->essential || ws->held[l->index]) continue;
            candidate *c = &cand[l->index];
            if (c->listing == 0 && c->related == 0.0f) sc->touched[n_touched++] = l->index;
            c->share += w;
            c->listing++;
            if (w > c->example_weight) c->example_weight = w, c->example = d;
        }
    }
    /* related skills of what the occupation lists */
    for (uint32_t a = m->occ_offsets[o]; a < m->occ_offsets[o + 1]; a++) {
        const fow_model_link *l = &m->occ_links[a];
        float factor = l->essential ? 1.0f : OPTIONAL_RELATED_FACTOR;
        for (uint32_t r = x->related_offsets[l->index]; r < x->related_offsets[l->index + 1]; r++) {
            const fow_related_skill *rs = &x->related[r];
            if (ws->held[rs->skill]) continue;
            candidate *c = &cand[rs->skill];
            float strength = rs->strength * factor;
            if (c->listing == 0 && c->related == 0.0f) {
                sc->touched[n_touched++] = rs->skill;
                c->example = FOW_NO_INDEX;
            }
            if (strength > c->related) c->related = strength, c->via = l->index;
        }
    }
    uint32_t n = 0;
    for (uint32_t k = 0; k < n_touched; k++) {
        uint32_t s = sc->touched[k];
        candidate *c = &cand[s];
        float share = total > 0.0 ? (float)(c->share / total) : 0.0f;
        if (share > 1.0f) share = 1.0f;
        float score = (1.0f - params->related_weight) * share + params->related_weight * c->related;
        if (score >= params->min_score && score > 0.0f)
            sc->found[n++] = (fow_probable_skill){s, score, share, c->related, c->listing,
                                                  c->listing ? c->example : FOW_NO_INDEX,
                                                  c->related > 0.0f ? c->via : FOW_NO_INDEX};
        *c = (candidate){0};
    }
    qsort(sc->found, n, sizeof *sc->found, probable_first);
    return n;
}

fow_code fow_infer_occupation(fow_similarity_workspace *ws, const fow_infer_params *params, uint32_t o,
                              fow_probable_skill *out, uint32_t cap, uint32_t *n_out, fow_error *err) {
    fow_infer_params defaults;
    if (!params) fow_infer_params_default(&defaults), params = &defaults;
    *n_out = 0;
    fow_code rc = fow_infer_params_check(params, err);
    if (rc) return rc;
    infer_scratch sc;
    if (scratch_init(&sc, ws->index->model, params)) return OOM(err);
    uint32_t n = infer_one(ws, params, o, &sc);
    uint32_t keep = params->limit < cap ? params->limit : cap;
    if (keep > n) keep = n;
    memcpy(out, sc.found, keep * sizeof *out);
    *n_out = keep;
    scratch_free(&sc);
    return FOW_OK;
}

fow_code fow_infer_index_build(fow_similarity_index *x, fow_error *err) {
    return fow_infer_index_build_with(x, NULL, err);
}

fow_code fow_infer_index_build_with(fow_similarity_index *x, const fow_infer_params *params, fow_error *err) {
    assert(!x->mapped);
    const fow_model *m = x->model;
    fow_infer_params p;
    if (params) {
        fow_code rc = fow_infer_params_check(params, err);
        if (rc) return rc;
        p = *params;
    } else {
        fow_infer_params_default(&p);
    }
    uint32_t *offsets = malloc((m->n_occupations + 1) * sizeof *offsets);
    fow_probable_entry *entries = malloc(((size_t)m->n_occupations * p.limit + 1) * sizeof *entries);
    fow_similarity_workspace *ws = fow_similarity_workspace_new(x);
    infer_scratch sc;
    int scratch_ok = scratch_init(&sc, m, &p) == 0;
    if (!offsets || !entries || !ws || !scratch_ok) {
        free(offsets), free(entries), fow_similarity_workspace_free(ws);
        if (scratch_ok) scratch_free(&sc);
        return OOM(err);
    }
    uint32_t n = 0;
    for (uint32_t o = 0; o < m->n_occupations; o++) {
        offsets[o] = n;
        uint32_t found = infer_one(ws, &p, o, &sc);
        for (uint32_t k = 0; k < found && k < p.limit; k++)
            entries[n++] = (fow_probable_entry){sc.found[k].skill, sc.found[k].score};
    }
    offsets[m->n_occupations] = n;
    scratch_free(&sc);
    fow_similarity_workspace_free(ws);
    free(x->probable_offsets); /* a rebuild replaces the probable skills of the defaults */
    free(x->probable);
    x->probable_offsets = offsets;
    x->probable = entries;
    return FOW_OK;
}

/* ---- validation ---------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void fow_infer_holdout_free(fow_infer_holdout *h) {
    if (!h) return;
    free(h->model.occ_offsets), free(h->model.occ_links);
    free(h->model.skill_offsets), free(h->model.skill_links);
    free(h->hidden_offsets), free(h->hidden);
    free(h);
}

fow_code fow_infer_holdout_build(const fow_model *m, double share, uint32_t min_essential, uint64_t seed,
                                 fow_infer_holdout **out, fow_error *err) {
    *out = NULL;
    if (!(share > 0.0 && share < 1.0))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "share", "share must be between 0 and 1");
    if (min_essential < 2)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "min_essential", "min_essential must be at least 2");
    fow_infer_holdout *h = calloc(1, sizeof *h);
    if (!h) return OOM(err);
    h->model = *m;
    h->model.occ_offsets = NULL, h->model.occ_links = NULL;
    h->model.skill_offsets = NULL, h->model.skill_links = NULL;
    uint32_t no = m->n_occupations, ns = m->n_skills;
    uint8_t *hide = calloc(m->n_links + 1, 1);
    uint32_t *picks = malloc((m->n_links + 1) * sizeof *picks);
    h->hidden_offsets = calloc(no + 1, sizeof *h->hidden_offsets);
    h->hidden = malloc((m->n_links + 1) * sizeof *h->hidden);
    h->model.occ_offsets = calloc(no + 1, sizeof *h->model.occ_offsets);
    h->model.occ_links = malloc((m->n_links + 1) * sizeof *h->model.occ_links);
    h->model.skill_offsets = calloc(ns + 2, sizeof *h->model.skill_offsets);
    h->model.skill_links = malloc((m->n_links + 1) * sizeof *h->model.skill_links);
    if (!hide || !picks || !h->hidden_offsets || !h->hidden || !h->model.occ_offsets || !h->model.occ_links ||
        !h->model.skill_offsets || !h->model.skill_links) {
        free(hide), free(picks);
        fow_infer_holdout_free(h);
        return OOM(err);
    }
    uint64_t state = seed;
    for (uint32_t o = 0; o < no; o++) {
        h->hidden_offsets[o] = h->n_hidden;
        uint32_t n_ess = 0;
        for (uint32_t a = m->occ_offsets[o]; a < m->occ_offsets[o + 1]; a++)
            if (m->occ_links[a].essential) picks[n_ess++] = a;
        if (n_ess < min_essential) continue;
        uint32_t k = (uint32_t)(share * n_ess + 0.5);
        if (k < 1) k = 1;
        /* a partial Fisher-Yates shuffle draws k of the essential links */
        for (uint32_t i = 0; i < k; i++) {
            uint32_t j = i + (uint32_t)(splitmix64(&state) % (n_ess - i));
            uint32_t tmp = picks[i];
            picks[i] = picks[j], picks[j] = tmp;
            hide[picks[i]] = 1;
            h->hidden[h->n_hidden++] = m->occ_links[picks[i]].index;
        }
        h->n_queries++;
    }
    h->hidden_offsets[no] = h->n_hidden;
    uint32_t n = 0;
    for (uint32_t o = 0; o < no; o++) {
        h->model.occ_offsets[o] = n;
        for (uint32_t a = m->occ_offsets[o]; a < m->occ_offsets[o + 1]; a++)
            if (!hide[a]) {
                h->model.occ_links[n++] = m->occ_links[a];
                h->model.skill_offsets[m->occ_links[a].index + 1]++;
            }
    }
    h->model.occ_offsets[no] = n;
    h->model.n_links = n;
    for (uint32_t s = 0; s < ns; s++) h->model.skill_offsets[s + 1] += h->model.skill_offsets[s];
    /* the transposed rows, occupations in index order */
    uint32_t *fill = picks; /* reused: ns + 1 <= n_links + 1 is not guaranteed, so check */
    if (ns + 1 > m->n_links + 1) {
        fill = malloc((ns + 1) * sizeof *fill);
        free(picks);
        picks = fill;
        if (!fill) {
            free(hide);
            fow_infer_holdout_free(h);
            return OOM(err);
        }
    }
    memcpy(fill, h->model.skill_offsets, (ns + 1) * sizeof *fill);
    for (uint32_t o = 0; o < no; o++)
        for (uint32_t a = h->model.occ_offsets[o]; a < h->model.occ_offsets[o + 1]; a++) {
            const fow_model_link *l = &h->model.occ_links[a];
            h->model.skill_links[fill[l->index]++] = (fow_model_link){o, l->essential};
        }
    free(hide), free(picks);
    *out = h;
    return FOW_OK;
}
