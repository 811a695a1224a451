#include "transitions/fow_transitions.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OOM(err) fow_error_set(err, FOW_ENOMEM, "out of memory computing transitions")

const char *fow_tristate_name(fow_tristate t) {
    return t == FOW_YES ? "yes" : t == FOW_NO ? "no" : "unknown";
}

const char *fow_risk_model_name(fow_risk_model model) {
    return model == FOW_RISK_MODEL_FREY_OSBORNE ? "frey-osborne" : "mcc";
}

int fow_risk_model_parse(const char *text, fow_risk_model *out) {
    if (strcmp(text, "mcc") == 0) *out = FOW_RISK_MODEL_MCC;
    else if (strcmp(text, "frey-osborne") == 0) *out = FOW_RISK_MODEL_FREY_OSBORNE;
    else return -1;
    return 0;
}

const char *fow_safe_rule_name(fow_safe_rule rule) { return rule == FOW_SAFE_RULE_LOWER ? "lower" : "margin"; }

int fow_safe_rule_parse(const char *text, fow_safe_rule *out) {
    if (strcmp(text, "margin") == 0) *out = FOW_SAFE_RULE_MARGIN;
    else if (strcmp(text, "lower") == 0) *out = FOW_SAFE_RULE_LOWER;
    else return -1;
    return 0;
}

float fow_safe_margin(fow_risk_model model, fow_safe_rule rule) {
    if (rule == FOW_SAFE_RULE_LOWER) return 0.0f;
    return model == FOW_RISK_MODEL_FREY_OSBORNE ? FOW_SAFE_MARGIN_FREY_OSBORNE : FOW_SAFE_MARGIN_MCC;
}

void fow_transition_query_default(const fow_similarity_index *x, fow_transition_query *q) {
    q->model = FOW_RISK_MODEL_MCC;
    q->safe_rule = FOW_SAFE_RULE_MARGIN;
    q->viable_only = 1;
    q->safe = 0;
    q->desirable = 0;
    q->min_similarity = x->params.viable;
    q->limit = 20;
}

/* ---- judging one move ------------------------------------------------- */

static float risk_under(const fow_model_occupation *o, fow_risk_model model) {
    return model == FOW_RISK_MODEL_FREY_OSBORNE ? o->risk_frey_osborne : o->risk_mcc;
}

static fow_tristate judge_safe(const fow_model_occupation *o, const fow_model_occupation *d, fow_risk_model model,
                               fow_safe_rule rule) {
    float ro = risk_under(o, model), rd = risk_under(d, model);
    if (model == FOW_RISK_MODEL_MCC) {
        if (d->mcc_category == FOW_RISK_HIGH) return FOW_NO;
        if (isnan(ro) || isnan(rd) || d->mcc_category == FOW_RISK_UNKNOWN) return FOW_UNKNOWN;
    } else {
        if (!isnan(rd) && rd >= FOW_FREY_OSBORNE_HIGH_RISK) return FOW_NO;
        if (isnan(ro) || isnan(rd)) return FOW_UNKNOWN;
    }
    if (rule == FOW_SAFE_RULE_LOWER) return rd < ro ? FOW_YES : FOW_NO;
    /* the margin, compared with a little slack for float rounding */
    return ro - rd >= fow_safe_margin(model, rule) - 1e-6f ? FOW_YES : FOW_NO;
}

fow_skill_status fow_essential_skill_status(const fow_similarity_workspace *ws, uint32_t s) {
    assert(s < ws->index->model->n_skills);
    return fow_similarity_skill_status(ws, s);
}

void fow_essential_counts(const fow_similarity_workspace *ws, uint32_t destination, uint32_t *total,
                          uint32_t *missing) {
    const fow_model *m = ws->index->model;
    assert(destination < m->n_occupations);
    uint32_t n = 0, lacking = 0;
    for (uint32_t a = m->occ_offsets[destination]; a < m->occ_offsets[destination + 1]; a++) {
        const fow_model_link *l = &m->occ_links[a];
        if (!l->essential) continue;
        n++;
        if (!ws->held[l->index] && fow_similarity_skill_status(ws, l->index) == FOW_SKILL_TO_LEARN) lacking++;
    }
    *total = n;
    *missing = lacking;
}

int fow_transition_viable(const fow_similarity_index *x, float similarity, uint32_t essential_total,
                          uint32_t essential_missing) {
    return similarity >= x->params.viable &&
           (float)essential_missing <= x->params.viable_missing_share * (float)essential_total + 1e-6f;
}

void fow_transition_assess(const fow_similarity_workspace *ws, uint32_t origin, uint32_t destination,
                           float similarity, fow_risk_model model, fow_safe_rule rule, fow_transition *t) {
    const fow_similarity_index *x = ws->index;
    const fow_model *m = x->model;
    assert(destination < m->n_occupations && (origin == FOW_NO_INDEX || origin < m->n_occupations));
    assert(similarity >= 0.0f && similarity <= 1.0f);
    const fow_model_occupation *d = &m->occupations[destination];
    memset(t, 0, sizeof *t);
    t->destination = destination;
    t->similarity = similarity;
    /* the skill part and the essential counts in one pass over the destination's skills */
    fow_similarity_parts_and_essentials(ws, destination, &t->parts, &t->essential_total, &t->essential_missing);
    t->viable = (uint8_t)fow_transition_viable(x, similarity, t->essential_total, t->essential_missing);
    t->highly_viable = t->viable && similarity >= x->params.highly_viable;
    t->destination_risk = risk_under(d, model);
    t->earnings_ratio = NAN;
    t->job_zone_difference = NAN;
    t->origin_risk = NAN;
    t->desirable = t->safe = t->safe_strict = FOW_UNKNOWN;
    if (origin == FOW_NO_INDEX) {
        if (model == FOW_RISK_MODEL_MCC && d->mcc_category == FOW_RISK_HIGH) t->safe = t->safe_strict = FOW_NO;
        if (model == FOW_RISK_MODEL_FREY_OSBORNE && t->destination_risk >= FOW_FREY_OSBORNE_HIGH_RISK)
            t->safe = t->safe_strict = FOW_NO;
        return;
    }
    const fow_model_occupation *o = &m->occupations[origin];
    t->origin_risk = risk_under(o, model);
    if (!isnan(o->earnings) && !isnan(d->earnings) && o->earnings > 0.0f)
        t->earnings_ratio = d->earnings / o->earnings;
    if (!isnan(o->job_zone) && !isnan(d->job_zone)) t->job_zone_difference = d->job_zone - o->job_zone;
    int pay_ok = isnan(t->earnings_ratio) ? -1 : t->earnings_ratio >= FOW_DESIRABLE_EARNINGS_RATIO;
    int zone_ok = isnan(t->job_zone_difference) ? -1 : fabsf(t->job_zone_difference) <= FOW_DESIRABLE_JOB_ZONE_DIFFERENCE;
    if (pay_ok == 0 || zone_ok == 0) t->desirable = FOW_NO;
    else if (pay_ok == 1 && zone_ok == 1) t->desirable = FOW_YES;
    t->safe = judge_safe(o, d, model, rule);
    if (t->safe == FOW_NO) t->safe_strict = FOW_NO;
    else if (t->safe == FOW_YES && !isnan(o->prevalence_mcc) && !isnan(d->prevalence_mcc))
        t->safe_strict = d->prevalence_mcc > o->prevalence_mcc ? FOW_YES : FOW_NO;
}

/* The same decision as fow_transition_assess + passes, computing only what
 * the query's filters need: the ranking runs it for every destination. */
static int quick_passes(const fow_model *m, uint32_t origin, uint32_t destination, const fow_transition_query *q) {
    if (!q->safe && !q->desirable) return 1;
    if (origin == FOW_NO_INDEX) return 0;
    const fow_model_occupation *o = &m->occupations[origin], *d = &m->occupations[destination];
    if (q->desirable) {
        if (isnan(o->earnings) || isnan(d->earnings) || !(o->earnings > 0.0f) || isnan(o->job_zone) ||
            isnan(d->job_zone))
            return 0;
        if (!(d->earnings / o->earnings >= FOW_DESIRABLE_EARNINGS_RATIO)) return 0;
        if (!(fabsf(d->job_zone - o->job_zone) <= FOW_DESIRABLE_JOB_ZONE_DIFFERENCE)) return 0;
    }
    if (q->safe) {
        if (judge_safe(o, d, q->model, q->safe_rule) != FOW_YES) return 0;
        if (q->safe >= 2 && !(d->prevalence_mcc > o->prevalence_mcc)) return 0; /* false for NAN too */
    }
    return 1;
}

/* ---- ranking ---------------------------------------------------------- */

typedef struct scored {
    float score;
    uint32_t index;
} scored;

static int scored_before(const scored *a, const scored *b) {
    return a->score > b->score || (a->score == b->score && a->index < b->index);
}

static int scored_best_first(const void *a, const void *b) {
    const scored *x = a, *y = b;
    return scored_before(x, y) ? -1 : scored_before(y, x) ? 1 : 0;
}

/* Moves the k best of items[0..n) to the front, best first. */
static void keep_best(scored *items, uint32_t n, uint32_t k) {
    if (k >= n) {
        qsort(items, n, sizeof *items, scored_best_first);
        return;
    }
    /* a min-heap (worst at the root) over items[0..k) */
    for (uint32_t i = k / 2; i-- > 0;) {
        uint32_t j = i;
        for (;;) {
            uint32_t l = 2 * j + 1, r = l + 1, w = j;
            if (l < k && scored_before(&items[w], &items[l])) w = l;
            if (r < k && scored_before(&items[w], &items[r])) w = r;
            if (w == j) break;
            scored tmp = items[j];
            items[j] = items[w], items[w] = tmp;
            j = w;
        }
    }
    for (uint32_t i = k; i < n; i++) {
        if (!scored_before(&items[i], &items[0])) continue;
        items[0] = items[i];
        uint32_t j = 0;
        for (;;) {
            uint32_t l = 2 * j + 1, r = l + 1, w = j;
            if (l < k && scored_before(&items[w], &items[l])) w = l;
            if (r < k && scored_before(&items[w], &items[r])) w = r;
            if (w == j) break;
            scored tmp = items[j];
            items[j] = items[w], items[w] = tmp;
            j = w;
        }
    }
    qsort(items, k, sizeof *items, scored_best_first);
}

void fow_transitions_rank(fow_similarity_workspace *ws, uint32_t judge_as, uint32_t exclude,
                          const fow_transition_query *q, fow_transition *out, uint32_t cap, uint32_t *n_out,
                          uint32_t *n_matching) {
    const fow_similarity_index *x = ws->index;
    const fow_model *m = x->model;
    const float *scores = fow_similarity_scores(ws);
    scored *items = (scored *)ws->ranked;
    uint32_t n = 0;
    const float floor = q->viable_only && x->params.viable > q->min_similarity ? x->params.viable : q->min_similarity;
    for (uint32_t d = 0; d < m->n_occupations; d++) {
        if (d == exclude || scores[d] < floor) continue;
        if (!quick_passes(m, judge_as, d, q)) continue;
        if (q->viable_only) {
            uint32_t total, missing;
            fow_essential_counts(ws, d, &total, &missing);
            if (!fow_transition_viable(x, scores[d], total, missing)) continue;
        }
        items[n++] = (scored){scores[d], d};
    }
    if (n_matching) *n_matching = n;
    uint32_t k = q->limit < cap ? q->limit : cap;
    if (k > n) k = n;
    keep_best(items, n, k);
    assert(n <= m->n_occupations);
    for (uint32_t i = 0; i < k; i++) {
        assert(items[i].index < m->n_occupations && (i == 0 || !scored_before(&items[i], &items[i - 1])));
        fow_transition_assess(ws, judge_as, items[i].index, items[i].score, q->model, q->safe_rule, &out[i]);
    }
    *n_out = k;
}

void fow_transitions_from_occupation(fow_similarity_workspace *ws, uint32_t origin, const fow_transition_query *q,
                                     fow_transition *out, uint32_t cap, uint32_t *n_out, uint32_t *n_matching) {
    fow_similarity_origin_occupation(ws, origin);
    fow_transitions_rank(ws, origin, origin, q, out, cap, n_out, n_matching);
}

/* ---- gaps ------------------------------------------------------------- */

static int gap_skill_more_important(const void *a, const void *b) {
    const fow_gap_skill *x = a, *y = b;
    if (x->held != y->held) return x->held ? -1 : 1;
    if (x->importance != y->importance) return x->importance > y->importance ? -1 : 1;
    return x->skill < y->skill ? -1 : x->skill > y->skill;
}

/* Insertion sort: gap lists are short (tens of skills), where it beats qsort. */
static void sort_gap_skills(fow_gap_skill *v, uint32_t n) {
    if (n > 64) {
        qsort(v, n, sizeof *v, gap_skill_more_important);
        return;
    }
    for (uint32_t i = 1; i < n; i++) {
        fow_gap_skill g = v[i];
        uint32_t j = i;
        while (j > 0 && gap_skill_more_important(&g, &v[j - 1]) < 0) v[j] = v[j - 1], j--;
        v[j] = g;
    }
}

fow_code fow_gap_compute(fow_similarity_workspace *ws, uint32_t destination, fow_gap *out, fow_error *err) {
    const fow_similarity_index *x = ws->index;
    const fow_model *m = x->model;
    memset(out, 0, sizeof *out);
    out->destination = destination;
    out->similarity = fow_similarity_to(ws, destination);
    uint32_t n = m->occ_offsets[destination + 1] - m->occ_offsets[destination];
    out->missing = malloc((n + 1) * sizeof *out->missing);
    out->probable = malloc((n + 1) * sizeof *out->probable);
    out->transfers = malloc((n + 1) * sizeof *out->transfers);
    if (!out->missing || !out->probable || !out->transfers) return OOM(err);
    for (uint32_t a = m->occ_offsets[destination]; a < m->occ_offsets[destination + 1]; a++) {
        const fow_model_link *l = &m->occ_links[a];
        uint32_t s = l->index;
        float share = x->link_share[a]; /* q(s, d) */
        fow_gap_skill g = {s, (uint8_t)l->essential, ws->held[s], ws->cover[s], ws->cover_via[s], 0.0f, 0,
                           FOW_SKILL_HELD, 0.0f, ws->held[s] ? FOW_NO_INDEX : ws->narrower[s]};
        if (g.held) g.via = FOW_NO_INDEX;
        if (g.cover > 0.0f) {
            g.importance = share * g.cover; /* what it brings */
            out->transfers[out->n_transfers++] = g;
            if (g.held) out->n_transfer_exact++;
        }
        if (!g.held) {
            g.importance = share * (1.0f - g.cover); /* what learning it adds */
            if (l->essential) {
                g.status = (uint8_t)fow_essential_skill_status(ws, s);
                if (g.status == FOW_SKILL_TO_LEARN) {
                    out->missing[out->n_missing++] = g;
                } else {
                    g.probably_held = 1;
                    g.probability = g.status == FOW_SKILL_PROBABLE   ? ws->probable[s]
                                    : g.status == FOW_SKILL_NARROWER ? 1.0f
                                    : g.cover / (x->params.related_credit > 0.0f ? x->params.related_credit : 1.0f);
                    if (g.probability > 1.0f) g.probability = 1.0f;
                    out->probable[out->n_probably_held++] = g;
                }
            } else if (g.cover == 0.0f) {
                out->n_optional_missing++;
            }
        }
    }
    sort_gap_skills(out->missing, out->n_missing);
    sort_gap_skills(out->probable, out->n_probably_held);
    sort_gap_skills(out->transfers, out->n_transfers);
    return FOW_OK;
}

void fow_gap_free(fow_gap *gap) {
    if (!gap) return;
    free(gap->missing);
    free(gap->probable);
    free(gap->transfers);
    gap->missing = gap->probable = gap->transfers = NULL;
    gap->n_missing = gap->n_probably_held = gap->n_transfers = 0;
}

/* ---- upskilling ------------------------------------------------------- */

/* How much one learned skill can raise a similarity at most: candidates
 * come from destinations at least this close to the threshold. */
#define UPSKILL_REACH 0.25f

typedef struct upskill_state {
    float *base;        /* per occupation: similarity before learning */
    uint32_t *eligible_list; /* the occupations that pass the filters and are not yet viable, ascending */
    float *potential;   /* per skill */
    uint32_t *touched;  /* skills with potential */
    scored *cands;
    uint32_t *sum_new;  /* per skill, over origins */
    uint32_t *n_origins;/* per skill */
    uint32_t *example;  /* per skill */
    float *example_sim; /* per skill */
} upskill_state;

static void upskill_state_free(upskill_state *st) {
    free(st->base), free(st->eligible_list), free(st->potential), free(st->touched), free(st->cands);
    free(st->sum_new), free(st->n_origins), free(st->example), free(st->example_sim);
}

static fow_code upskill_state_init(const fow_model *m, upskill_state *st, fow_error *err) {
    memset(st, 0, sizeof *st);
    uint32_t no = m->n_occupations + 1, ns = m->n_skills + 1;
    st->base = malloc(no * sizeof *st->base);
    st->eligible_list = malloc(no * sizeof *st->eligible_list);
    st->potential = calloc(ns, sizeof *st->potential);
    st->touched = malloc(ns * sizeof *st->touched);
    st->cands = malloc(ns * sizeof *st->cands);
    st->sum_new = calloc(ns, sizeof *st->sum_new);
    st->n_origins = calloc(ns, sizeof *st->n_origins);
    st->example = malloc(ns * sizeof *st->example);
    st->example_sim = calloc(ns, sizeof *st->example_sim);
    if (!st->base || !st->eligible_list || !st->potential || !st->touched || !st->cands || !st->sum_new ||
        !st->n_origins || !st->example || !st->example_sim) {
        upskill_state_free(st);
        return OOM(err);
    }
    for (uint32_t s = 0; s < ns; s++) st->example[s] = FOW_NO_INDEX;
    return FOW_OK;
}

static float upskill_threshold(const fow_similarity_index *x, const fow_transition_query *q) {
    return q->min_similarity > x->params.viable ? q->min_similarity : x->params.viable;
}

/* An origin of upskilling: an occupation, or a person's skills judged as
 * occupation judge_as (FOW_NO_INDEX: unknown). */
typedef struct upskill_origin {
    uint32_t occupation;   /* FOW_NO_INDEX for a person */
    const uint32_t *skills;
    uint32_t n_skills;
    uint32_t judge_as;     /* the occupation itself, or the person's */
    uint32_t *scratch;     /* n_skills + 1 entries, for a person */
} upskill_origin;

/* Sets ws's origin to o, holding skill extra too unless it is FOW_NO_INDEX. */
static void upskill_set_origin(fow_similarity_workspace *ws, const upskill_origin *o, uint32_t extra) {
    if (o->occupation != FOW_NO_INDEX) {
        fow_similarity_origin_occupation_plus(ws, o->occupation, &extra, extra == FOW_NO_INDEX ? 0 : 1);
        return;
    }
    memcpy(o->scratch, o->skills, o->n_skills * sizeof *o->skills);
    uint32_t n = o->n_skills;
    if (extra != FOW_NO_INDEX) o->scratch[n++] = extra;
    fow_similarity_origin_skills(ws, o->scratch, n);
}

/* One origin: adds its new transitions per candidate skill into st. */
static void upskill_one(fow_similarity_workspace *ws, const upskill_origin *from, const fow_transition_query *q,
                        uint32_t max_candidates, upskill_state *st, fow_upskill_result *res) {
    const fow_similarity_index *x = ws->index;
    const fow_model *m = x->model;
    float thr = upskill_threshold(x, q);
    uint32_t origin = from->judge_as;
    upskill_set_origin(ws, from, FOW_NO_INDEX);
    memcpy(st->base, fow_similarity_scores(ws), m->n_occupations * sizeof *st->base);
    uint32_t n_touched = 0, n_eligible = 0;
    for (uint32_t d = 0; d < m->n_occupations; d++) {
        if (d == origin || !quick_passes(m, origin, d, q)) continue;
        if (st->base[d] >= thr) {
            uint32_t total, missing;
            fow_essential_counts(ws, d, &total, &missing);
            if (fow_transition_viable(x, st->base[d], total, missing)) {
                res->current++;
                continue;
            }
        }
        st->eligible_list[n_eligible++] = d;
        if (st->base[d] < thr - UPSKILL_REACH) continue;
        /* one essential skill short of the essential skills rule: each of its
         * missing essential skills can open it, so each is a candidate */
        uint32_t n_essential, n_missing;
        fow_essential_counts(ws, d, &n_essential, &n_missing);
        const float one_short = n_missing > 0 && fow_transition_viable(x, thr, n_essential, n_missing - 1) ? 1.0f : 0.0f;
        float total = x->occupation_weight[d];
        for (uint32_t a = m->occ_offsets[d]; a < m->occ_offsets[d + 1]; a++) {
            const fow_model_link *l = &m->occ_links[a];
            uint32_t s = l->index;
            if (ws->held[s] || total <= 0.0f) continue;
            float share = x->skill_weight[s] * (l->essential ? 1.0f : x->params.optional_weight) / total;
            if (st->potential[s] == 0.0f) st->touched[n_touched++] = s;
            st->potential[s] += share * (1.0f - ws->cover[s]) + (l->essential ? one_short : 0.0f) + 1e-9f;
        }
    }
    for (uint32_t k = 0; k < n_touched; k++) {
        st->cands[k] = (scored){st->potential[st->touched[k]], st->touched[k]};
        st->potential[st->touched[k]] = 0.0f;
    }
    uint32_t n_cands = n_touched < max_candidates ? n_touched : max_candidates;
    keep_best(st->cands, n_touched, n_cands);
    res->candidates += n_cands;
    for (uint32_t c = 0; c < n_cands; c++) {
        uint32_t skill = st->cands[c].index;
        upskill_set_origin(ws, from, skill);
        /* only the eligible destinations' similarities are needed: the skill
         * part of all (a scatter over the rows of the origin's skills), then
         * the combined score of each eligible one, as fow_similarity_scores
         * would give it, instead of combining all of them */
        fow_similarity_skill_scores(ws);
        uint32_t gained = 0, example = FOW_NO_INDEX;
        float example_sim = -1.0f;
        for (uint32_t e = 0; e < n_eligible; e++) {
            uint32_t d = st->eligible_list[e];
            float after = fow_similarity_score_at(ws, d);
            if (after < thr) continue;
            uint32_t total, missing;
            fow_essential_counts(ws, d, &total, &missing);
            if (!fow_transition_viable(x, after, total, missing)) continue;
            gained++;
            if (after > example_sim) example_sim = after, example = d;
        }
        if (!gained) continue;
        st->sum_new[skill] += gained;
        st->n_origins[skill]++;
        if (example_sim > st->example_sim[skill]) st->example_sim[skill] = example_sim, st->example[skill] = example;
    }
    res->origins++;
}

static int option_better_first(const void *a, const void *b) {
    const fow_upskill_option *x = a, *y = b;
    if (x->new_transitions != y->new_transitions) return x->new_transitions > y->new_transitions ? -1 : 1;
    if (x->origins != y->origins) return x->origins > y->origins ? -1 : 1;
    if (x->example_similarity != y->example_similarity) return x->example_similarity > y->example_similarity ? -1 : 1;
    return x->skill < y->skill ? -1 : x->skill > y->skill;
}

static fow_code upskill_finish(const fow_model *m, const fow_transition_query *q, upskill_state *st,
                               fow_upskill_result *out, fow_error *err);

fow_code fow_upskill_occupations(fow_similarity_workspace *ws, const uint32_t *origins, uint32_t n_origins,
                                 const fow_transition_query *q, uint32_t max_candidates, fow_upskill_result *out,
                                 fow_error *err) {
    memset(out, 0, sizeof *out);
    if (max_candidates < 1 || max_candidates > 10000)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "candidates", "candidates must be in 1..10000");
    const fow_model *m = ws->index->model;
    upskill_state st;
    fow_code rc = upskill_state_init(m, &st, err);
    if (rc) return rc;
    for (uint32_t i = 0; i < n_origins; i++) {
        upskill_origin from = {origins[i], NULL, 0, origins[i], NULL};
        upskill_one(ws, &from, q, max_candidates, &st, out);
    }
    return upskill_finish(m, q, &st, out, err);
}

/* Turns the sums of st into out's options (best first, at most q->limit)
 * and frees st. */
static fow_code upskill_finish(const fow_model *m, const fow_transition_query *q, upskill_state *st_in,
                               fow_upskill_result *out, fow_error *err) {
    upskill_state st = *st_in;
    uint32_t n = 0;
    for (uint32_t s = 0; s < m->n_skills; s++)
        if (st.sum_new[s]) n++;
    out->options = malloc((n + 1) * sizeof *out->options);
    if (!out->options) {
        upskill_state_free(&st);
        return OOM(err);
    }
    for (uint32_t s = 0; s < m->n_skills; s++)
        if (st.sum_new[s])
            out->options[out->n_options++] = (fow_upskill_option){s, st.sum_new[s], st.n_origins[s], st.example[s],
                                                                   st.example_sim[s]};
    qsort(out->options, out->n_options, sizeof *out->options, option_better_first);
    if (out->n_options > q->limit) out->n_options = q->limit;
    upskill_state_free(&st);
    return FOW_OK;
}

fow_code fow_upskill_skills(fow_similarity_workspace *ws, const uint32_t *skills, uint32_t n_skills, uint32_t judge_as,
                            const fow_transition_query *q, uint32_t max_candidates, fow_upskill_result *out,
                            fow_error *err) {
    memset(out, 0, sizeof *out);
    if (max_candidates < 1 || max_candidates > 10000)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "candidates", "candidates must be in 1..10000");
    const fow_model *m = ws->index->model;
    assert(judge_as == FOW_NO_INDEX || judge_as < m->n_occupations);
    uint32_t *scratch = malloc((n_skills + 1) * sizeof *scratch);
    if (!scratch) return OOM(err);
    upskill_state st;
    fow_code rc = upskill_state_init(m, &st, err);
    if (rc) {
        free(scratch);
        return rc;
    }
    upskill_origin from = {FOW_NO_INDEX, skills, n_skills, judge_as, scratch};
    upskill_one(ws, &from, q, max_candidates, &st, out);
    free(scratch);
    return upskill_finish(m, q, &st, out, err);
}

fow_code fow_upskill_occupation(fow_similarity_workspace *ws, uint32_t origin, const fow_transition_query *q,
                                uint32_t max_candidates, fow_upskill_result *out, fow_error *err) {
    return fow_upskill_occupations(ws, &origin, 1, q, max_candidates, out, err);
}

void fow_upskill_result_free(fow_upskill_result *result) {
    if (!result) return;
    free(result->options);
    result->options = NULL;
    result->n_options = 0;
}

/* ---- when nothing passes ------------------------------------------------ */

fow_code fow_transitions_fallback(fow_similarity_workspace *ws, uint32_t judge_as, uint32_t exclude,
                                  uint32_t origin_occupation, const fow_transition_query *q,
                                  fow_transition_fallback *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    out->route.skill = FOW_NO_INDEX;
    out->route.example = FOW_NO_INDEX;
    fow_transition_query near = *q;
    near.viable_only = 0;
    near.min_similarity = 0.0f;
    near.limit = (uint32_t)(sizeof out->nearest / sizeof *out->nearest);
    if (q->limit < near.limit) near.limit = q->limit;
    fow_transitions_rank(ws, judge_as, exclude, &near, out->nearest, near.limit, &out->n_nearest, NULL);
    /* the essential skills the nearest moves lack, counted over them: the
     * one most of them lack (then the most important) brings most closer */
    uint32_t common[5 * 64], common_count[5 * 64], n_common = 0;
    float common_importance[5 * 64];
    for (uint32_t i = 0; i < out->n_nearest; i++) {
        fow_gap gap;
        fow_code rc = fow_gap_compute(ws, out->nearest[i].destination, &gap, err);
        if (rc) {
            fow_gap_free(&gap);
            return rc;
        }
        assert(gap.n_missing == out->nearest[i].essential_missing);
        for (uint32_t k = 0; k < gap.n_missing && k < 5; k++) out->lacking[i][out->n_lacking[i]++] = gap.missing[k].skill;
        for (uint32_t k = 0; k < gap.n_missing && k < 64; k++) {
            uint32_t j = 0;
            while (j < n_common && common[j] != gap.missing[k].skill) j++;
            if (j == n_common) common[n_common] = gap.missing[k].skill, common_count[n_common] = 0,
                               common_importance[n_common] = 0.0f, n_common++;
            common_count[j]++;
            common_importance[j] += gap.missing[k].importance;
        }
        fow_gap_free(&gap);
    }
    out->common_gap = FOW_NO_INDEX;
    for (uint32_t j = 0; j < n_common; j++)
        if (out->common_gap == FOW_NO_INDEX || common_count[j] > out->common_gap_count ||
            (common_count[j] == out->common_gap_count && common_importance[j] > out->common_gap_importance))
            out->common_gap = common[j], out->common_gap_count = common_count[j],
            out->common_gap_importance = common_importance[j];
    if (origin_occupation == FOW_NO_INDEX) return FOW_OK;
    fow_transition_query route = *q;
    route.limit = 1;
    fow_upskill_result res;
    fow_code rc = fow_upskill_occupation(ws, origin_occupation, &route, 100, &res, err);
    if (rc == FOW_OK && res.n_options) out->route = res.options[0], out->has_route = 1;
    fow_upskill_result_free(&res);
    fow_similarity_origin_occupation(ws, origin_occupation); /* as the caller left it */
    return rc;
}

/* ---- groups ----------------------------------------------------------- */

fow_code fow_occupations_in_group(const fow_model *m, const char *code, uint32_t **out, uint32_t *n,
                                  fow_error *err) {
    *out = NULL;
    *n = 0;
    size_t len = strlen(code);
    if (len < 1 || len > 4 || strspn(code, "0123456789") != len)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "group",
                                "an ISCO-08 group code has 1 to 4 digits, not '%s'", code);
    uint32_t count = 0;
    for (uint32_t o = 0; o < m->n_occupations; o++)
        if (strncmp(m->occupations[o].isco_group, code, len) == 0) count++;
    if (!count)
        return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "group", "no occupation belongs to ISCO group %s",
                                code);
    *out = malloc(count * sizeof **out);
    if (!*out) return OOM(err);
    for (uint32_t o = 0; o < m->n_occupations; o++)
        if (strncmp(m->occupations[o].isco_group, code, len) == 0) (*out)[(*n)++] = o;
    return FOW_OK;
}

static int group_destination_first(const void *a, const void *b) {
    const fow_group_destination *x = a, *y = b;
    if (x->origins != y->origins) return x->origins > y->origins ? -1 : 1;
    if (x->mean_similarity != y->mean_similarity) return x->mean_similarity > y->mean_similarity ? -1 : 1;
    return x->destination < y->destination ? -1 : x->destination > y->destination;
}

fow_code fow_transitions_group(fow_similarity_workspace *ws, const uint32_t *origins, uint32_t n_origins,
                               const fow_transition_query *q, fow_group_destination *out, uint32_t cap,
                               uint32_t *n_out, uint32_t *n_reached, fow_error *err) {
    const fow_similarity_index *x = ws->index;
    const fow_model *m = x->model;
    *n_out = 0;
    uint32_t *counts = calloc(m->n_occupations + 1, sizeof *counts);
    double *sums = calloc(m->n_occupations + 1, sizeof *sums);
    uint8_t *member = calloc(m->n_occupations + 1, 1);
    fow_group_destination *all = NULL;
    if (!counts || !sums || !member) goto oom;
    for (uint32_t i = 0; i < n_origins; i++) member[origins[i]] = 1;
    const float floor = q->viable_only && x->params.viable > q->min_similarity ? x->params.viable : q->min_similarity;
    for (uint32_t i = 0; i < n_origins; i++) {
        uint32_t o = origins[i];
        fow_similarity_origin_occupation(ws, o);
        const float *scores = fow_similarity_scores(ws);
        for (uint32_t d = 0; d < m->n_occupations; d++) {
            if (d == o || scores[d] < floor || !quick_passes(m, o, d, q)) continue;
            if (q->viable_only) {
                uint32_t total, missing;
                fow_essential_counts(ws, d, &total, &missing);
                if (!fow_transition_viable(x, scores[d], total, missing)) continue;
            }
            counts[d]++;
            sums[d] += scores[d];
        }
    }
    uint32_t reached = 0;
    for (uint32_t d = 0; d < m->n_occupations; d++) reached += counts[d] > 0;
    all = malloc((reached + 1) * sizeof *all);
    if (!all) goto oom;
    uint32_t k = 0;
    for (uint32_t d = 0; d < m->n_occupations; d++)
        if (counts[d]) all[k++] = (fow_group_destination){d, counts[d], (float)(sums[d] / counts[d]), member[d]};
    qsort(all, k, sizeof *all, group_destination_first);
    uint32_t keep = q->limit < cap ? q->limit : cap;
    if (keep > k) keep = k;
    memcpy(out, all, keep * sizeof *out);
    *n_out = keep;
    if (n_reached) *n_reached = reached;
    free(counts), free(sums), free(member), free(all);
    return FOW_OK;
oom:
    free(counts), free(sums), free(member), free(all);
    return OOM(err);
}
