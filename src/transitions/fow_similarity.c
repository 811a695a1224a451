#include "transitions/fow_similarity.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "base/fow_strmap.h"
#include "base/fow_text.h"
#include "base/fow_vec.h"
#include "transitions/fow_infer.h"

#define OOM(err) fow_error_set(err, FOW_ENOMEM, "out of memory building the similarity index")

/* The relatedness from which a held skill counts for an essential skill in
 * the viability rule (docs/transitions.md, "Viable"; measured with
 * bench/eval_infer.c). */
#define VIABLE_RELATED_MIN_DEFAULT 0.0f
/* a skill broader than a held skill (docs/transitions.md, "The skill
 * hierarchy"): 0, not counted as held; measured below the bar */
#define VIABLE_HIERARCHY_DEFAULT 0

void fow_similarity_params_default(fow_similarity_params *p) {
    /* calibrated in docs/transitions.md ("Choosing the values") */
    p->idf = 1;
    p->optional_weight = 0.5f;
    p->origin_optional_credit = 1.0f;
    p->related_credit = 0.25f;
    p->related_cooccurrence = 1;
    p->related_words = 1;
    p->related_max = 4;
    p->related_min = 0.5f;
    p->reverse_weight = 0.4f;
    p->context_weight = 0.15f;
    p->isco_weight = 0.10f;
    p->context_scale = 0.5f;
    p->viable = 0.30f;
    p->highly_viable = 0.50f;
    p->viable_missing_share = 0.5f;
    p->viable_probable = 1;
    p->viable_related_min = VIABLE_RELATED_MIN_DEFAULT;
    p->viable_hierarchy = VIABLE_HIERARCHY_DEFAULT;
}

static int in_unit(float x) { return x >= 0.0f && x <= 1.0f; }

static fow_code check_params(const fow_similarity_params *p, fow_error *err) {
    if (!in_unit(p->optional_weight))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "optional_weight",
                                "optional_weight must be in 0..1");
    if (!in_unit(p->origin_optional_credit))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "origin_optional_credit",
                                "origin_optional_credit must be in 0..1");
    if (!in_unit(p->related_credit))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "related_credit",
                                "related_credit must be in 0..1");
    if (!in_unit(p->related_min))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "related_min", "related_min must be in 0..1");
    if (!in_unit(p->reverse_weight) || p->reverse_weight > 0.5f)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "reverse_weight",
                                "reverse_weight must be in 0..0.5");
    if (!in_unit(p->context_weight) || !in_unit(p->isco_weight) || p->context_weight + p->isco_weight > 0.9f)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "context_weight",
                                "context_weight and isco_weight must be in 0..1 and add up to at most 0.9");
    if (!(p->context_scale > 0.0f && p->context_scale <= 1.0f))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "context_scale", "context_scale must be in (0, 1]");
    if (!in_unit(p->viable_missing_share))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "viable_missing_share",
                                "viable_missing_share must be in 0..1");
    if (!in_unit(p->viable_related_min))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "viable_related_min",
                                "viable_related_min must be in 0..1");
    if (p->viable_hierarchy != 0 && p->viable_hierarchy != 1)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "viable_hierarchy", "viable_hierarchy must be 0 or 1");
    if (p->viable_probable != 0 && p->viable_probable != 1)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "viable_probable", "viable_probable must be 0 or 1");
    if (p->related_max > 64)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "related_max", "related_max must be at most 64");
    if (!in_unit(p->viable) || !in_unit(p->highly_viable) || p->viable > p->highly_viable)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "viable",
                                "thresholds must be in 0..1 with viable <= highly_viable");
    return FOW_OK;
}

/* ---- words of skill labels ------------------------------------------- */

/* Function words that carry no meaning of their own in skill labels. */
static const char *const stop_words[] = {"a",    "an",   "and",  "as",   "at",   "by",   "for",
                                         "from", "in",   "into", "of",   "on",   "or",   "other",
                                         "the",  "their","to",   "with", "within", "its"};

static int is_stop_word(const char *w, size_t n) {
    if (n < 2) return 1;
    for (size_t i = 0; i < sizeof stop_words / sizeof *stop_words; i++)
        if (strlen(stop_words[i]) == n && memcmp(stop_words[i], w, n) == 0) return 1;
    return 0;
}

typedef struct word_table {
    uint32_t *skill_offsets; /* words of skill j: skill_words[skill_offsets[j] ..] */
    uint32_t *skill_words;
    uint32_t n_words;
    uint32_t *word_offsets;  /* skills of word w: word_skills[word_offsets[w] ..] */
    uint32_t *word_skills;
    float *idf;              /* per word */
    float *skill_length;     /* per skill: sum of idf of its words */
} word_table;

static void word_table_free(word_table *t) {
    free(t->skill_offsets);
    free(t->skill_words);
    free(t->word_offsets);
    free(t->word_skills);
    free(t->idf);
    free(t->skill_length);
    memset(t, 0, sizeof *t);
}

/* Splits each skill's folded label into distinct content words; a plural
 * "s" is dropped so that "system" and "systems" meet. */
static fow_code word_table_build(const fow_model *m, word_table *t, fow_error *err) {
    fow_strmap ids;
    fow_strmap_init(&ids);
    size_t n_entries = 0, cap = 0;
    uint32_t *entries = NULL;
    t->skill_offsets = malloc((m->n_skills + 1) * sizeof *t->skill_offsets);
    if (!t->skill_offsets) goto oom;
    char folded[1024];
    for (uint32_t j = 0; j < m->n_skills; j++) {
        t->skill_offsets[j] = (uint32_t)n_entries;
        const char *label = m->skills[j].label;
        long len = fow_text_fold_into(label, strlen(label), folded, sizeof folded, NULL);
        if (len < 0) continue; /* a label too long to fold: no word relatedness */
        size_t first = n_entries;
        for (long i = 0; i < len;) {
            if (!fow_text_is_word_start(folded, (size_t)i)) {
                i++;
                continue;
            }
            long e = i;
            while (e < len && ((unsigned char)folded[e] >= 0x80 || (folded[e] >= 'a' && folded[e] <= 'z') ||
                               (folded[e] >= '0' && folded[e] <= '9')))
                e++;
            if (e == i) e = i + 1;
            size_t n = (size_t)(e - i);
            if (n > 4 && folded[i + (long)n - 1] == 's' && folded[i + (long)n - 2] != 's') n--;
            if (!is_stop_word(folded + i, n)) {
                int64_t id;
                if (!fow_strmap_get(&ids, folded + i, n, &id)) {
                    id = (int64_t)ids.count;
                    if (fow_strmap_put(&ids, folded + i, n, id) != 0) goto oom;
                }
                int seen = 0;
                for (size_t k = first; k < n_entries; k++)
                    if (entries[k] == (uint32_t)id) seen = 1;
                if (!seen && FOW_VEC_PUSH(entries, n_entries, cap, (uint32_t)id) != 0) goto oom;
            }
            i = e;
        }
    }
    t->skill_offsets[m->n_skills] = (uint32_t)n_entries;
    t->skill_words = entries;
    entries = NULL;
    t->n_words = (uint32_t)ids.count;
    fow_strmap_free(&ids);

    t->word_offsets = calloc(t->n_words + 1, sizeof *t->word_offsets);
    t->word_skills = malloc((n_entries + 1) * sizeof *t->word_skills);
    t->idf = malloc((t->n_words + 1) * sizeof *t->idf);
    t->skill_length = calloc(m->n_skills + 1, sizeof *t->skill_length);
    if (!t->word_offsets || !t->word_skills || !t->idf || !t->skill_length) return OOM(err);
    for (size_t k = 0; k < n_entries; k++) t->word_offsets[t->skill_words[k] + 1]++;
    for (uint32_t w = 0; w < t->n_words; w++) t->word_offsets[w + 1] += t->word_offsets[w];
    uint32_t *fill = malloc((t->n_words + 1) * sizeof *fill);
    if (!fill) return OOM(err);
    memcpy(fill, t->word_offsets, t->n_words * sizeof *fill);
    for (uint32_t j = 0; j < m->n_skills; j++)
        for (uint32_t k = t->skill_offsets[j]; k < t->skill_offsets[j + 1]; k++)
            t->word_skills[fill[t->skill_words[k]]++] = j;
    free(fill);
    for (uint32_t w = 0; w < t->n_words; w++) {
        uint32_t df = t->word_offsets[w + 1] - t->word_offsets[w];
        t->idf[w] = logf((float)(m->n_skills + 1) / (float)(df + 1));
    }
    for (uint32_t j = 0; j < m->n_skills; j++)
        for (uint32_t k = t->skill_offsets[j]; k < t->skill_offsets[j + 1]; k++)
            t->skill_length[j] += t->idf[t->skill_words[k]];
    return FOW_OK;
oom:
    free(entries);
    fow_strmap_free(&ids);
    return OOM(err);
}

/* ---- related skills --------------------------------------------------- */

/* The strongest related skills of every skill, kept while pairs are found:
 * k slots per skill, strongest first, ties to the lower index. */
typedef struct related_lists {
    fow_related_skill *slots; /* n_skills * k */
    uint8_t *count;           /* per skill */
    uint32_t k;
} related_lists;

static int related_before(float strength, uint32_t skill, const fow_related_skill *other) {
    return strength > other->strength || (strength == other->strength && skill < other->skill);
}

static void related_offer(related_lists *l, uint32_t s, uint32_t t, float strength, uint32_t sources) {
    fow_related_skill *list = &l->slots[(size_t)s * l->k];
    uint32_t n = l->count[s];
    assert(n <= l->k && s != t && strength >= 0.0f && strength <= 1.0f);
    if (n == l->k && !related_before(strength, t, &list[n - 1])) return;
    uint32_t i = n < l->k ? n : n - 1;
    while (i > 0 && related_before(strength, t, &list[i - 1])) list[i] = list[i - 1], i--;
    list[i] = (fow_related_skill){t, strength, sources};
    if (n < l->k) l->count[s] = (uint8_t)(n + 1);
}

/* A word shared by more skills than this is too common to relate them. */
#define WORD_MAX_SKILLS 400u

/* Relatedness is symmetric, so each pair is measured once, from its lower
 * index s towards every t > s, and offered to both skills' lists. The
 * occupation rows and the word lists are sorted by skill index, so the
 * t > s part of each is its tail. */
static fow_code related_build(fow_similarity_index *x, fow_error *err) {
    const fow_model *m = x->model;
    const fow_similarity_params *p = &x->params;
    fow_code rc = FOW_OK;
    word_table words = {0};
    uint16_t *cooc = calloc(m->n_skills + 1, sizeof *cooc);
    float *shared = calloc(m->n_skills + 1, sizeof *shared);
    uint32_t *touched = malloc((m->n_skills + 1) * sizeof *touched);
    uint8_t *is_touched = calloc(m->n_skills + 1, 1);
    related_lists lists = {NULL, calloc(m->n_skills + 1, 1), p->related_max};
    if (p->related_max) lists.slots = malloc(((size_t)m->n_skills * p->related_max + 1) * sizeof *lists.slots);
    x->related_offsets = calloc(m->n_skills + 1, sizeof *x->related_offsets);
    if (!cooc || !shared || !touched || !is_touched || !lists.count || (p->related_max && !lists.slots) ||
        !x->related_offsets) {
        rc = OOM(err);
        goto done;
    }
    if (p->related_max == 0) goto write;
    if (p->related_words && (rc = word_table_build(m, &words, err)) != FOW_OK) goto done;

    for (uint32_t s = 0; s < m->n_skills; s++) {
        uint32_t n_touched = 0;
        if (p->related_cooccurrence) {
            for (uint32_t a = m->skill_offsets[s]; a < m->skill_offsets[s + 1]; a++) {
                uint32_t o = m->skill_links[a].index;
                for (uint32_t b = m->occ_offsets[o + 1]; b-- > m->occ_offsets[o];) {
                    uint32_t t = m->occ_links[b].index;
                    if (t <= s) break;
                    if (!is_touched[t]) is_touched[t] = 1, touched[n_touched++] = t;
                    if (cooc[t] < UINT16_MAX) cooc[t]++;
                }
            }
        }
        if (p->related_words) {
            for (uint32_t a = words.skill_offsets[s]; a < words.skill_offsets[s + 1]; a++) {
                uint32_t w = words.skill_words[a];
                if (words.word_offsets[w + 1] - words.word_offsets[w] > WORD_MAX_SKILLS) continue;
                for (uint32_t b = words.word_offsets[w + 1]; b-- > words.word_offsets[w];) {
                    uint32_t t = words.word_skills[b];
                    if (t <= s) break;
                    if (!is_touched[t]) is_touched[t] = 1, touched[n_touched++] = t;
                    shared[t] += words.idf[w];
                }
            }
        }
        for (uint32_t k = 0; k < n_touched; k++) {
            uint32_t t = touched[k];
            float strength = 0.0f;
            uint32_t sources = 0;
            /* co-occurrence: cosine of the two skills' occupation sets, counted
             * only when they meet in at least two occupations */
            if (cooc[t] >= 2) {
                float c = (float)cooc[t] / sqrtf((float)x->skill_occupations[s] * (float)x->skill_occupations[t]);
                if (c > 1.0f) c = 1.0f;
                if (c >= p->related_min) strength = c, sources |= FOW_RELATED_COOCCURRENCE;
            }
            /* words: weighted Jaccard of the labels' content words */
            if (shared[t] > 0.0f) {
                float u = words.skill_length[s] + words.skill_length[t] - shared[t];
                float wj = u > 0.0f ? shared[t] / u : 0.0f;
                if (wj >= p->related_min) {
                    sources |= FOW_RELATED_WORDS;
                    if (wj > strength) strength = wj;
                }
            }
            if (sources) {
                related_offer(&lists, s, t, strength, sources);
                related_offer(&lists, t, s, strength, sources);
            }
            cooc[t] = 0;
            shared[t] = 0.0f;
            is_touched[t] = 0;
        }
    }
write:;
    size_t total = 0;
    for (uint32_t s = 0; s < m->n_skills; s++) total += lists.count[s];
    x->related = malloc((total + 1) * sizeof *x->related);
    if (!x->related) {
        rc = OOM(err);
        goto done;
    }
    uint32_t n_related = 0;
    for (uint32_t s = 0; s < m->n_skills; s++) {
        x->related_offsets[s] = n_related;
        for (uint32_t i = 0; i < lists.count[s]; i++) x->related[n_related++] = lists.slots[(size_t)s * lists.k + i];
    }
    x->related_offsets[m->n_skills] = n_related;
done:
    word_table_free(&words);
    free(cooc);
    free(shared);
    free(touched);
    free(is_touched);
    free(lists.slots);
    free(lists.count);
    return rc;
}

/* ---- the index -------------------------------------------------------- */

static fow_code origin_terms_build(fow_similarity_index *x, fow_error *err);

/* ---- work context and ISCO -------------------------------------------- */

#define CONTEXT_STRIDE 8 /* FOW_CONTEXT_ATTRIBUTES, padded */
#define PART_EXTRA_MASK 0x3FFFu
#define PART_EXTRA_SCALE 16383.0f

/* The seven attributes of o, earnings on a log scale (they are compared as ratios). */
static void context_raw(const fow_model_occupation *o, float v[FOW_CONTEXT_ATTRIBUTES]) {
    v[0] = o->job_zone;
    v[1] = o->education;
    v[2] = o->experience;
    v[3] = o->training;
    v[4] = o->remote_work;
    v[5] = o->physical_proximity;
    v[6] = o->earnings > 0.0f ? logf(o->earnings) : NAN;
}

/* Leading ISCO-08 digits a and b share, / 4; NAN when either is unknown. */
static float isco_part(const char *a, const char *b) {
    if (!a[0] || !b[0]) return NAN;
    int k = 0;
    while (k < 4 && a[k] && a[k] == b[k]) k++;
    return (float)k / 4.0f;
}

/* context(o, d) from the scaled attributes; NAN when either has none. */
static float context_part(const fow_similarity_index *x, uint32_t o, uint32_t d) {
    if (!(x->occupation_parts[o] & 1) || !(x->occupation_parts[d] & 1)) return NAN;
    const float *a = &x->occupation_context[(size_t)o * CONTEXT_STRIDE];
    const float *b = &x->occupation_context[(size_t)d * CONTEXT_STRIDE];
    float sum = 0.0f;
    int n = 0;
    for (int k = 0; k < FOW_CONTEXT_ATTRIBUTES; k++)
        if (!isnan(a[k]) && !isnan(b[k])) sum += fabsf(a[k] - b[k]), n++;
    if (!n) return NAN;
    float c = 1.0f - sum / (float)n / x->params.context_scale;
    return c > 0.0f ? c : 0.0f;
}

static void skill_factors(fow_similarity_index *x) {
    const float b = x->params.context_weight, c = x->params.isco_weight, a = 1.0f - b - c;
    for (int f = 0; f < 4; f++) x->skill_factor[f] = a / (a + ((f & 1) ? b : 0.0f) + ((f & 2) ? c : 0.0f));
}

/* The scaled attributes, the parts each occupation has, and the
 * precomputed combination of every pair. */
static fow_code parts_build(fow_similarity_index *x, fow_error *err) {
    const fow_model *m = x->model;
    const uint32_t n = m->n_occupations;
    skill_factors(x);
    x->occupation_parts = calloc(n + 1, 1);
    x->occupation_context = malloc(((size_t)n * CONTEXT_STRIDE + 1) * sizeof *x->occupation_context);
    if (!x->occupation_parts || !x->occupation_context) return OOM(err);
    float lo[FOW_CONTEXT_ATTRIBUTES], hi[FOW_CONTEXT_ATTRIBUTES], v[FOW_CONTEXT_ATTRIBUTES];
    for (int k = 0; k < FOW_CONTEXT_ATTRIBUTES; k++) lo[k] = INFINITY, hi[k] = -INFINITY;
    for (uint32_t o = 0; o < n; o++) {
        context_raw(&m->occupations[o], v);
        for (int k = 0; k < FOW_CONTEXT_ATTRIBUTES; k++)
            if (!isnan(v[k])) lo[k] = v[k] < lo[k] ? v[k] : lo[k], hi[k] = v[k] > hi[k] ? v[k] : hi[k];
    }
    for (uint32_t o = 0; o < n; o++) {
        context_raw(&m->occupations[o], v);
        float *row = &x->occupation_context[(size_t)o * CONTEXT_STRIDE];
        int known = 0;
        for (int k = 0; k < FOW_CONTEXT_ATTRIBUTES; k++) {
            /* an attribute that does not vary says nothing */
            row[k] = isnan(v[k]) || !(hi[k] > lo[k]) ? NAN : (v[k] - lo[k]) / (hi[k] - lo[k]);
            known += !isnan(row[k]);
        }
        row[CONTEXT_STRIDE - 1] = NAN;
        x->occupation_parts[o] = (uint8_t)((known ? 1 : 0) | (m->occupations[o].isco_group[0] ? 2 : 0));
    }
    if (x->params.context_weight == 0.0f && x->params.isco_weight == 0.0f) return FOW_OK;
    x->pair_parts = malloc(((size_t)n * n + 1) * sizeof *x->pair_parts);
    if (!x->pair_parts) return OOM(err);
    const float b = x->params.context_weight, c = x->params.isco_weight, a = 1.0f - b - c;
    /* the same values as context_part and isco_part, without their branches:
     * unknown attributes as 0 with a known mask of 0, ISCO groups of four
     * digits as numbers (others through isco_part) */
    float *value = malloc(((size_t)n * CONTEXT_STRIDE + 1) * sizeof *value);
    float *known = malloc(((size_t)n * CONTEXT_STRIDE + 1) * sizeof *known);
    int *code = malloc((n + 1) * sizeof *code);
    if (!value || !known || !code) {
        free(value), free(known), free(code);
        return OOM(err);
    }
    for (uint32_t o = 0; o < n; o++) {
        const float *scaled = &x->occupation_context[(size_t)o * CONTEXT_STRIDE];
        for (int k = 0; k < CONTEXT_STRIDE; k++) {
            int ok = k < FOW_CONTEXT_ATTRIBUTES && !isnan(scaled[k]);
            value[(size_t)o * CONTEXT_STRIDE + k] = ok ? scaled[k] : 0.0f;
            known[(size_t)o * CONTEXT_STRIDE + k] = ok ? 1.0f : 0.0f;
        }
        const char *g = m->occupations[o].isco_group;
        code[o] = strlen(g) == 4 && strspn(g, "0123456789") == 4 ? atoi(g) : -1;
    }
    const float inv_scale = 1.0f / x->params.context_scale;
    /* every part is symmetric: each pair is computed once, from its lower index */
    for (uint32_t o = 0; o < n; o++) {
        uint16_t *row = &x->pair_parts[(size_t)o * n];
        const float *vo = &value[(size_t)o * CONTEXT_STRIDE], *ko = &known[(size_t)o * CONTEXT_STRIDE];
        const int has_o = x->occupation_parts[o] & 1;
#ifdef __SSE2__
        const __m128 vo0 = _mm_loadu_ps(vo), vo1 = _mm_loadu_ps(vo + 4);
        const __m128 ko0 = _mm_loadu_ps(ko), ko1 = _mm_loadu_ps(ko + 4);
        const __m128 sign = _mm_set1_ps(-0.0f);
#endif
        for (uint32_t d = o; d < n; d++) {
            const float *vd = &value[(size_t)d * CONTEXT_STRIDE], *kd = &known[(size_t)d * CONTEXT_STRIDE];
            float sum, cnt;
#ifdef __SSE2__
            __m128 both0 = _mm_mul_ps(ko0, _mm_loadu_ps(kd)), both1 = _mm_mul_ps(ko1, _mm_loadu_ps(kd + 4));
            __m128 diff0 = _mm_andnot_ps(sign, _mm_sub_ps(vo0, _mm_loadu_ps(vd)));
            __m128 diff1 = _mm_andnot_ps(sign, _mm_sub_ps(vo1, _mm_loadu_ps(vd + 4)));
            __m128 sums = _mm_add_ps(_mm_mul_ps(both0, diff0), _mm_mul_ps(both1, diff1));
            __m128 cnts = _mm_add_ps(both0, both1);
            /* horizontal sums: sums in lanes 0..3 of one vector, counts of the other */
            __m128 low = _mm_unpacklo_ps(sums, cnts), high = _mm_unpackhi_ps(sums, cnts);
            __m128 pair = _mm_add_ps(low, high); /* s0+s2, c0+c2, s1+s3, c1+c3 */
            pair = _mm_add_ps(pair, _mm_movehl_ps(pair, pair));
            sum = _mm_cvtss_f32(pair);
            cnt = _mm_cvtss_f32(_mm_shuffle_ps(pair, pair, _MM_SHUFFLE(1, 1, 1, 1)));
#else
            sum = 0.0f, cnt = 0.0f;
            for (int k = 0; k < CONTEXT_STRIDE; k++) {
                float both = ko[k] * kd[k];
                sum += both * fabsf(vo[k] - vd[k]);
                cnt += both;
            }
#endif
            float ctx = NAN;
            if (has_o && (x->occupation_parts[d] & 1) && cnt > 0.0f) {
                ctx = 1.0f - sum / cnt * inv_scale;
                if (ctx < 0.0f) ctx = 0.0f;
            }
            float isco;
            if (code[o] >= 0 && code[d] >= 0) {
                int a4 = code[o], b4 = code[d];
                isco = a4 == b4 ? 1.0f : a4 / 10 == b4 / 10 ? 0.75f : a4 / 100 == b4 / 100 ? 0.5f
                     : a4 / 1000 == b4 / 1000 ? 0.25f : 0.0f;
            } else {
                isco = isco_part(m->occupations[o].isco_group, m->occupations[d].isco_group);
            }
            unsigned f = (isnan(ctx) ? 0u : 1u) | (isnan(isco) ? 0u : 2u);
            float den = a + ((f & 1) ? b : 0.0f) + ((f & 2) ? c : 0.0f);
            float extra = (((f & 1) ? b * ctx : 0.0f) + ((f & 2) ? c * isco : 0.0f)) / den;
            assert(extra >= 0.0f && extra <= 1.0f + 1e-6f);
            /* rounded up, so that an occupation is exactly as similar to itself as before (1) */
            unsigned q = (unsigned)ceilf(extra * PART_EXTRA_SCALE - 1e-3f);
            row[d] = (uint16_t)((q > PART_EXTRA_MASK ? PART_EXTRA_MASK : q) | (f << 14));
        }
    }
    /* the lower triangle from the upper one, in tiles that stay in cache */
    enum { TILE = 64 };
    for (uint32_t ob = 0; ob < n; ob += TILE)
        for (uint32_t db = 0; db <= ob; db += TILE)
            for (uint32_t o = ob; o < ob + TILE && o < n; o++)
                for (uint32_t d = db; d < db + TILE && d < o; d++)
                    x->pair_parts[(size_t)o * n + d] = x->pair_parts[(size_t)d * n + o];
    free(value), free(known), free(code);
    return FOW_OK;
}

/* Turns the skill similarities skill[0..n) of an origin with the context
 * of occupation context_of (a valid index) into combined scores acc[0..n)
 * (skill == acc allowed: in place), each skill similarity first clamped
 * to 1. */
static void combine_parts(const fow_similarity_index *x, uint32_t context_of, const float *skill, float *acc) {
    assert(x->pair_parts && context_of != FOW_NO_INDEX);
    const uint32_t n = x->model->n_occupations;
    const uint16_t *restrict row = &x->pair_parts[(size_t)context_of * n];
    uint32_t d = 0;
#ifdef __SSE2__
    const __m128 scale = _mm_set1_ps(1.0f / PART_EXTRA_SCALE);
    const __m128i mask = _mm_set1_epi32((int)PART_EXTRA_MASK), zero = _mm_setzero_si128();
    const __m128i bit_context = _mm_set1_epi32(1 << 14), bit_isco = _mm_set1_epi32(1 << 15);
    const __m128 f0 = _mm_set1_ps(x->skill_factor[0]), f1 = _mm_set1_ps(x->skill_factor[1]);
    const __m128 f2 = _mm_set1_ps(x->skill_factor[2]), f3 = _mm_set1_ps(x->skill_factor[3]);
    for (; d + 8 <= n; d += 8) {
        __m128i raw = _mm_loadu_si128((const __m128i *)(row + d));
        __m128i halves[2] = {_mm_unpacklo_epi16(raw, zero), _mm_unpackhi_epi16(raw, zero)};
        for (int h = 0; h < 2; h++) {
            __m128i v = halves[h];
            __m128 extra = _mm_mul_ps(_mm_cvtepi32_ps(_mm_and_si128(v, mask)), scale);
            __m128 has_c = _mm_castsi128_ps(_mm_cmpeq_epi32(_mm_and_si128(v, bit_context), bit_context));
            __m128 has_i = _mm_castsi128_ps(_mm_cmpeq_epi32(_mm_and_si128(v, bit_isco), bit_isco));
            __m128 lo = _mm_or_ps(_mm_and_ps(has_c, f1), _mm_andnot_ps(has_c, f0));
            __m128 hi = _mm_or_ps(_mm_and_ps(has_c, f3), _mm_andnot_ps(has_c, f2));
            __m128 factor = _mm_or_ps(_mm_and_ps(has_i, hi), _mm_andnot_ps(has_i, lo));
            /* the skill part at most 1 (its sums can pass 1 by rounding) */
            __m128 part = _mm_min_ps(_mm_loadu_ps(skill + d + 4 * h), _mm_set1_ps(1.0f));
            _mm_storeu_ps(acc + d + 4 * h, _mm_add_ps(_mm_mul_ps(part, factor), extra));
        }
    }
#endif
    for (; d < n; d++)
        acc[d] = (skill[d] > 1.0f ? 1.0f : skill[d]) * x->skill_factor[row[d] >> 14] +
                 (float)(row[d] & PART_EXTRA_MASK) * (1.0f / PART_EXTRA_SCALE);
}

/* combined(o -> d) from the skill similarity s, as combine_parts does. */
static float combine_one(const fow_similarity_index *x, uint32_t context_of, uint32_t d, float s) {
    if (!x->pair_parts || context_of == FOW_NO_INDEX) return s;
    uint16_t v = x->pair_parts[(size_t)context_of * x->model->n_occupations + d];
    return s * x->skill_factor[v >> 14] + (float)(v & PART_EXTRA_MASK) * (1.0f / PART_EXTRA_SCALE);
}

fow_code fow_similarity_index_build(const fow_model *m, const fow_similarity_params *params,
                                    fow_similarity_index **out, fow_error *err) {
    *out = NULL;
    fow_similarity_params p;
    if (params) p = *params;
    else fow_similarity_params_default(&p);
    fow_code rc = check_params(&p, err);
    if (rc) return rc;
    fow_similarity_index *x = calloc(1, sizeof *x);
    if (!x) return OOM(err);
    x->model = m;
    x->params = p;
    x->skill_weight = malloc((m->n_skills + 1) * sizeof *x->skill_weight);
    x->skill_occupations = malloc((m->n_skills + 1) * sizeof *x->skill_occupations);
    x->requirements = malloc((m->n_links + 1) * sizeof *x->requirements);
    x->occupation_weight = calloc(m->n_occupations + 1, sizeof *x->occupation_weight);
    if (!x->skill_weight || !x->skill_occupations || !x->requirements || !x->occupation_weight) {
        fow_similarity_index_free(x);
        return OOM(err);
    }
    /* w(s) = ln((N + 1) / (n_s + 1)) + 1: a skill of every occupation still
     * weighs a little, one of a single occupation weighs most */
    float n_occ = (float)m->n_occupations;
    for (uint32_t s = 0; s < m->n_skills; s++) {
        uint32_t n = m->skill_offsets[s + 1] - m->skill_offsets[s];
        x->skill_occupations[s] = n;
        x->skill_weight[s] = p.idf ? logf((n_occ + 1.0f) / ((float)n + 1.0f)) + 1.0f : 1.0f;
    }
    for (uint32_t o = 0; o < m->n_occupations; o++) {
        double total = 0.0;
        for (uint32_t a = m->occ_offsets[o]; a < m->occ_offsets[o + 1]; a++) {
            const fow_model_link *l = &m->occ_links[a];
            total += x->skill_weight[l->index] * (l->essential ? 1.0f : p.optional_weight);
        }
        x->occupation_weight[o] = (float)total;
    }
    x->link_share = malloc((m->n_links + 1) * sizeof *x->link_share);
    if (!x->link_share) {
        fow_similarity_index_free(x);
        return OOM(err);
    }
    for (uint32_t o = 0; o < m->n_occupations; o++) {
        float total = x->occupation_weight[o];
        for (uint32_t a = m->occ_offsets[o]; a < m->occ_offsets[o + 1]; a++) {
            const fow_model_link *l = &m->occ_links[a];
            /* the same expression as requirements' share below, bit for bit */
            float w = x->skill_weight[l->index] * (l->essential ? 1.0f : p.optional_weight);
            x->link_share[a] = total > 0.0f ? w / total : 0.0f;
        }
    }
    for (uint32_t s = 0; s < m->n_skills; s++) {
        for (uint32_t a = m->skill_offsets[s]; a < m->skill_offsets[s + 1]; a++) {
            const fow_model_link *l = &m->skill_links[a];
            float total = x->occupation_weight[l->index];
            float w = x->skill_weight[s] * (l->essential ? 1.0f : p.optional_weight);
            x->requirements[a] = (fow_requirement){l->index, total > 0.0f ? w / total : 0.0f};
        }
    }
    rc = related_build(x, err);
    if (!rc) rc = origin_terms_build(x, err);
    if (!rc) rc = parts_build(x, err);
    if (!rc) rc = fow_infer_index_build(x, err);
    if (rc) {
        fow_similarity_index_free(x);
        return rc;
    }
    *out = x;
    return FOW_OK;
}

void fow_similarity_index_free(fow_similarity_index *x) {
    if (!x) return;
    if (x->mapped) {
        free(x);
        return;
    }
    free(x->skill_weight);
    free(x->skill_occupations);
    free(x->related_offsets);
    free(x->related);
    free(x->requirements);
    free(x->occupation_weight);
    free(x->link_share);
    free(x->origin_offsets);
    free(x->origin_terms);
    free(x->pair_parts);
    free(x->occupation_parts);
    free(x->occupation_context);
    free(x->probable_offsets);
    free(x->probable);
    free(x);
}

/* ---- workspaces and origins ------------------------------------------- */

fow_similarity_workspace *fow_similarity_workspace_new(const fow_similarity_index *x) {
    fow_similarity_workspace *ws = calloc(1, sizeof *ws);
    if (!ws) return NULL;
    uint32_t ns = x->model->n_skills + 1, no = x->model->n_occupations + 1;
    ws->index = x;
    ws->cover = calloc(ns, sizeof *ws->cover);
    ws->origin_share = calloc(ns, sizeof *ws->origin_share);
    ws->reverse = calloc(no, sizeof *ws->reverse);
    ws->ranked = malloc(no * 8);
    ws->cover_via = malloc(ns * sizeof *ws->cover_via);
    ws->held = calloc(ns, 1);
    ws->touched = malloc(ns * sizeof *ws->touched);
    ws->scores = calloc(no, sizeof *ws->scores);
    ws->skill_scores = calloc(no, sizeof *ws->skill_scores);
    ws->probable = calloc(ns, sizeof *ws->probable);
    ws->narrower = malloc(ns * sizeof *ws->narrower);
    ws->broadened = malloc(ns * sizeof *ws->broadened);
    if (!ws->cover || !ws->origin_share || !ws->reverse || !ws->ranked || !ws->cover_via || !ws->held || !ws->touched ||
        !ws->scores || !ws->skill_scores || !ws->probable || !ws->narrower || !ws->broadened) {
        fow_similarity_workspace_free(ws);
        return NULL;
    }
    for (uint32_t s = 0; s < ns; s++) ws->cover_via[s] = ws->narrower[s] = FOW_NO_INDEX;
    ws->context_of = FOW_NO_INDEX;
    ws->probable_of = FOW_NO_INDEX;
    return ws;
}

void fow_similarity_workspace_free(fow_similarity_workspace *ws) {
    if (!ws) return;
    free(ws->cover);
    free(ws->origin_share);
    free(ws->reverse);
    free(ws->ranked);
    free(ws->cover_via);
    free(ws->held);
    free(ws->touched);
    free(ws->scores);
    free(ws->skill_scores);
    free(ws->probable);
    free(ws->narrower);
    free(ws->broadened);
    free(ws);
}

static void origin_clear(fow_similarity_workspace *ws) {
    for (uint32_t k = 0; k < ws->n_touched; k++) {
        uint32_t s = ws->touched[k];
        ws->cover[s] = 0.0f;
        ws->origin_share[s] = 0.0f;
        ws->cover_via[s] = FOW_NO_INDEX;
        ws->held[s] = 0;
    }
    ws->n_touched = 0;
    for (uint32_t k = 0; k < ws->n_broadened; k++) ws->narrower[ws->broadened[k]] = FOW_NO_INDEX;
    ws->n_broadened = 0;
    ws->skill_scores_ready = 0;
    const fow_similarity_index *x = ws->index;
    if (ws->probable_of != FOW_NO_INDEX)
        for (uint32_t k = x->probable_offsets[ws->probable_of]; k < x->probable_offsets[ws->probable_of + 1]; k++)
            ws->probable[x->probable[k].skill] = 0.0f;
    ws->probable_of = FOW_NO_INDEX;
}

static void origin_hold(fow_similarity_workspace *ws, uint32_t s, float credit, float weight) {
    assert(s < ws->index->model->n_skills && credit >= 0.0f && credit <= 1.0f && weight >= 0.0f);
    if (ws->cover[s] == 0.0f && !ws->held[s]) ws->touched[ws->n_touched++] = s;
    else if (ws->held[s]) return; /* a repeated skill counts once */
    ws->held[s] = 1;
    ws->origin_share[s] = weight;
    ws->cover_via[s] = FOW_NO_INDEX;
    if (credit > ws->cover[s]) ws->cover[s] = credit;
}

/* Marks every skill directly broader (ESCO's skill hierarchy) than one of
 * the first n_held touched skills (the held ones) and not held itself with
 * the held skill that is narrower than it (the first in the order held). */
static void origin_broaden(fow_similarity_workspace *ws, uint32_t n_held) {
    const fow_model *m = ws->index->model;
    if (!m->n_skill_parents) return;
    for (uint32_t k = 0; k < n_held; k++) {
        uint32_t t = ws->touched[k];
        for (uint32_t e = m->skill_parent_offsets[t]; e < m->skill_parent_offsets[t + 1]; e++) {
            uint32_t b = fow_model_broader_skill(m, m->skill_parents[e]);
            if (b == FOW_NO_INDEX || ws->held[b] || ws->narrower[b] != FOW_NO_INDEX) continue;
            ws->narrower[b] = t;
            ws->broadened[ws->n_broadened++] = b;
        }
    }
    assert(ws->n_broadened <= m->n_skills);
}

/* Adds related credit from every held skill; held skills keep their own. */
static void origin_spread(fow_similarity_workspace *ws) {
    const fow_similarity_index *x = ws->index;
    uint32_t n_held = ws->n_touched;
    origin_broaden(ws, n_held);
    for (uint32_t k = 0; k < n_held; k++) {
        uint32_t t = ws->touched[k];
        float from = ws->cover[t];
        for (uint32_t r = x->related_offsets[t]; r < x->related_offsets[t + 1]; r++) {
            uint32_t s = x->related[r].skill;
            float credit = x->params.related_credit * x->related[r].strength * from;
            if (ws->held[s] || credit <= ws->cover[s]) continue;
            assert(s < x->model->n_skills && credit <= 1.0f);
            if (ws->cover[s] == 0.0f) ws->touched[ws->n_touched++] = s;
            ws->cover[s] = credit;
            ws->cover_via[s] = t;
        }
    }
}

void fow_similarity_origin_occupation_plus(fow_similarity_workspace *ws, uint32_t origin, const uint32_t *extra,
                                           uint32_t n_extra) {
    const fow_model *m = ws->index->model;
    const fow_similarity_index *x = ws->index;
    assert(origin < m->n_occupations && (n_extra == 0 || extra != NULL));
    origin_clear(ws);
    float total = x->occupation_weight[origin];
    for (uint32_t k = 0; k < n_extra; k++) {
        int repeated = 0;
        for (uint32_t j = 0; j < k; j++) repeated |= extra[j] == extra[k];
        if (repeated) continue; /* a repeated skill counts once */
        /* a skill the origin lists as optional weighs as essential once learned */
        int listed = -1; /* -1 not listed, else its essential flag */
        for (uint32_t a = m->occ_offsets[origin]; a < m->occ_offsets[origin + 1]; a++)
            if (m->occ_links[a].index == extra[k]) listed = (int)m->occ_links[a].essential;
        if (listed < 0) total += x->skill_weight[extra[k]];
        else if (listed == 0) total += x->skill_weight[extra[k]] * (1.0f - x->params.optional_weight);
    }
    for (uint32_t a = m->occ_offsets[origin]; a < m->occ_offsets[origin + 1]; a++) {
        const fow_model_link *l = &m->occ_links[a];
        float w = x->skill_weight[l->index] * (l->essential ? 1.0f : x->params.optional_weight);
        origin_hold(ws, l->index, l->essential ? 1.0f : x->params.origin_optional_credit,
                    total > 0.0f ? w / total : 0.0f);
    }
    for (uint32_t k = 0; k < n_extra; k++) {
        uint32_t s = extra[k];
        if (ws->held[s]) { /* an optional skill learned becomes fully held and essential */
            ws->cover[s] = 1.0f;
            ws->origin_share[s] = total > 0.0f ? x->skill_weight[s] / total : 0.0f;
            continue;
        }
        origin_hold(ws, s, 1.0f, total > 0.0f ? x->skill_weight[s] / total : 0.0f);
    }
    origin_spread(ws);
    ws->context_of = origin;
    if (x->probable_offsets) { /* absent only while the index is being built */
        for (uint32_t k = x->probable_offsets[origin]; k < x->probable_offsets[origin + 1]; k++)
            ws->probable[x->probable[k].skill] = x->probable[k].score;
        ws->probable_of = origin;
    }
    assert(ws->n_touched <= m->n_skills);
}

void fow_similarity_origin_occupation(fow_similarity_workspace *ws, uint32_t origin) {
    fow_similarity_origin_occupation_plus(ws, origin, NULL, 0);
}

void fow_similarity_origin_skills(fow_similarity_workspace *ws, const uint32_t *skills, uint32_t n) {
    const fow_similarity_index *x = ws->index;
    origin_clear(ws);
    assert(n == 0 || skills != NULL);
    for (uint32_t k = 0; k < n; k++) origin_hold(ws, skills[k], 1.0f, 0.0f);
    /* a person's skills all count as essential to them */
    double total = 0.0;
    for (uint32_t k = 0; k < ws->n_touched; k++) total += x->skill_weight[ws->touched[k]];
    for (uint32_t k = 0; k < ws->n_touched; k++)
        ws->origin_share[ws->touched[k]] = total > 0.0 ? (float)(x->skill_weight[ws->touched[k]] / total) : 0.0f;
    origin_spread(ws);
    ws->context_of = FOW_NO_INDEX;
}

void fow_similarity_origin_context(fow_similarity_workspace *ws, uint32_t occupation) {
    assert(occupation == FOW_NO_INDEX || occupation < ws->index->model->n_occupations);
    ws->context_of = occupation;
}

/* Clamps scores[0..n) to at most 1: sums of shares can pass 1 by rounding. */
static void clamp_to_one(float *scores, uint32_t n) {
    uint32_t d = 0;
#ifdef __SSE2__
    const __m128 one = _mm_set1_ps(1.0f);
    for (; d + 4 <= n; d += 4) _mm_storeu_ps(scores + d, _mm_min_ps(_mm_loadu_ps(scores + d), one));
#endif
    for (; d < n; d++) scores[d] = scores[d] > 1.0f ? 1.0f : scores[d];
}

/* Every occupation as an origin, set once with the workspace code so that
 * the batch scores exactly as the single queries do. */
static fow_code origin_terms_build(fow_similarity_index *x, fow_error *err) {
    const fow_model *m = x->model;
    fow_similarity_workspace *ws = fow_similarity_workspace_new(x);
    x->origin_offsets = malloc((m->n_occupations + 1) * sizeof *x->origin_offsets);
    size_t n = 0, cap = 0;
    if (!ws || !x->origin_offsets) goto oom;
    const float lambda = x->params.reverse_weight;
    for (uint32_t o = 0; o < m->n_occupations; o++) {
        x->origin_offsets[o] = (uint32_t)n;
        fow_similarity_origin_occupation(ws, o);
        for (uint32_t k = 0; k < ws->n_touched; k++) {
            uint32_t s = ws->touched[k];
            fow_origin_term t = {s, ws->cover[s] * (1.0f - lambda), ws->held[s] ? lambda * ws->origin_share[s] : 0.0f};
            if (FOW_VEC_PUSH(x->origin_terms, n, cap, t) != 0) goto oom;
        }
    }
    x->origin_offsets[m->n_occupations] = (uint32_t)n;
    fow_similarity_workspace_free(ws);
    return FOW_OK;
oom:
    fow_similarity_workspace_free(ws);
    return OOM(err);
}

/* Scores of occupation origin from its prepared terms into acc: the same
 * sums as fow_similarity_scores, for origin_optional_credit 1, but not
 * clamped to 1 (select_top does that for what it keeps). */
static void scores_of_origin(const fow_similarity_index *x, uint32_t origin, float *restrict acc) {
    const fow_model *m = x->model;
    assert(origin < m->n_occupations && x->origin_offsets[origin] <= x->origin_offsets[origin + 1]);
    memset(acc, 0, m->n_occupations * sizeof *acc);
    const fow_origin_term *t = &x->origin_terms[x->origin_offsets[origin]];
    const fow_origin_term *t_end = &x->origin_terms[x->origin_offsets[origin + 1]];
    for (; t < t_end; t++) {
        const fow_requirement *restrict r = &x->requirements[m->skill_offsets[t->skill]];
        const fow_requirement *end = &x->requirements[m->skill_offsets[t->skill + 1]];
        const float c = t->forward, b = t->reverse;
        /* the rows lie far apart in a 1 MB array: fetch a later one early */
        if (t + 4 < t_end) __builtin_prefetch(&x->requirements[m->skill_offsets[t[4].skill]]);
        if (b == 0.0f) {
            for (; r < end; r++) acc[r->occupation] += c * r->share;
        } else {
            for (; r < end; r++) acc[r->occupation] += c * r->share + b;
        }
    }
    if (x->pair_parts) combine_parts(x, origin, acc, acc); /* clamps the skill part to 1 first */
    /* not clamped after combining: select_top clamps what it keeps */
}

void fow_similarity_skill_scores(fow_similarity_workspace *ws) {
    const fow_similarity_index *x = ws->index;
    const fow_model *m = x->model;
    /* the skill part, kept apart for the moves' similarity_parts */
    float *restrict acc = ws->skill_scores;
    memset(acc, 0, m->n_occupations * sizeof *acc);
    /* score(d) = (1 - lambda) * forward + lambda * reverse, both summed in
     * one pass over the touched skills' requirement rows: a held skill s adds
     * lambda * origin_share(s) * credit to every destination requiring it.
     * This scatter is the engine's inner loop (about 3,400 adds per origin
     * on the full ESCO data). */
    const float lambda = x->params.reverse_weight, forward = 1.0f - lambda;
    const float optional_credit = x->params.origin_optional_credit;
    for (uint32_t k = 0; k < ws->n_touched; k++) {
        uint32_t s = ws->touched[k];
        const float c = ws->cover[s] * forward;
        const fow_requirement *restrict r = &x->requirements[m->skill_offsets[s]];
        const fow_requirement *end = &x->requirements[m->skill_offsets[s + 1]];
        const float b = ws->held[s] ? lambda * ws->origin_share[s] : 0.0f;
        if (b == 0.0f) {
            for (; r < end; r++) acc[r->occupation] += c * r->share;
        } else if (optional_credit == 1.0f) {
            for (; r < end; r++) acc[r->occupation] += c * r->share + b;
        } else {
            const fow_model_link *l = &m->skill_links[m->skill_offsets[s]];
            for (; r < end; r++, l++) acc[r->occupation] += c * r->share + b * (l->essential ? 1.0f : optional_credit);
        }
    }
    ws->skill_scores_ready = 1;
}

float fow_similarity_score_at(const fow_similarity_workspace *ws, uint32_t d) {
    const fow_similarity_index *x = ws->index;
    assert(ws->skill_scores_ready && d < x->model->n_occupations);
    float s = ws->skill_scores[d];
    if (x->pair_parts && ws->context_of != FOW_NO_INDEX) {
        /* combine_parts's sum for one destination: the same operations, in the same order */
        uint16_t v = x->pair_parts[(size_t)ws->context_of * x->model->n_occupations + d];
        s = (s > 1.0f ? 1.0f : s) * x->skill_factor[v >> 14] + (float)(v & PART_EXTRA_MASK) * (1.0f / PART_EXTRA_SCALE);
    }
    return s > 1.0f ? 1.0f : s; /* clamp_to_one */
}

const float *fow_similarity_scores(fow_similarity_workspace *ws) {
    const fow_similarity_index *x = ws->index;
    const fow_model *m = x->model;
    fow_similarity_skill_scores(ws);
    float *restrict acc = ws->skill_scores;
    if (x->pair_parts && ws->context_of != FOW_NO_INDEX)
        combine_parts(x, ws->context_of, acc, ws->scores); /* clamps the skill part to 1 first */
    else
        memcpy(ws->scores, acc, m->n_occupations * sizeof *acc);
    clamp_to_one(ws->scores, m->n_occupations);
    return ws->scores;
}

/* The skill similarity alone (the file comment of fow_similarity.h), and
 * with count non-zero the destination's essential skills and those to
 * learn, in one pass over its skills. */
static inline float skill_similarity_counting(const fow_similarity_workspace *ws, uint32_t d, int count,
                                              uint32_t *essential_total, uint32_t *essential_to_learn) {
    if (count && ws->skill_scores_ready) {
        /* the skill part the scores combined: only the counts to make */
        const fow_model *m = ws->index->model;
        uint32_t n_essential = 0, to_learn = 0;
        for (uint32_t a = m->occ_offsets[d]; a < m->occ_offsets[d + 1]; a++) {
            const fow_model_link *l = &m->occ_links[a];
            if (!l->essential) continue;
            n_essential++;
            to_learn += fow_similarity_skill_status(ws, l->index) == FOW_SKILL_TO_LEARN;
        }
        *essential_total = n_essential, *essential_to_learn = to_learn;
        return ws->skill_scores[d] > 1.0f ? 1.0f : ws->skill_scores[d];
    }
    const fow_similarity_index *x = ws->index;
    const fow_model *m = x->model;
    assert(d < m->n_occupations);
    const float optional_credit = x->params.origin_optional_credit;
    double sum = 0.0, rev = 0.0;
    uint32_t n_essential = 0, to_learn = 0;
    for (uint32_t a = m->occ_offsets[d]; a < m->occ_offsets[d + 1]; a++) {
        const fow_model_link *l = &m->occ_links[a];
        const uint32_t s = l->index;
        float c = ws->cover[s];
        if (c > 0.0f) sum += c * x->link_share[a];
        if (ws->held[s]) {
            rev += ws->origin_share[s] * (l->essential ? 1.0f : optional_credit);
            n_essential += l->essential;
        } else if (count && l->essential) {
            n_essential++;
            to_learn += fow_similarity_skill_status(ws, s) == FOW_SKILL_TO_LEARN;
        }
    }
    if (count) *essential_total = n_essential, *essential_to_learn = to_learn;
    float lambda = x->params.reverse_weight;
    if (lambda > 0.0f) sum = (1.0f - lambda) * (float)sum + lambda * (float)rev;
    assert(sum >= 0.0); /* at most 1 but for rounding: clamped */
    return sum > 1.0 ? 1.0f : (float)sum;
}

static float skill_similarity_to(const fow_similarity_workspace *ws, uint32_t d) {
    return skill_similarity_counting(ws, d, 0, NULL, NULL);
}

float fow_similarity_to(const fow_similarity_workspace *ws, uint32_t d) {
    float s = combine_one(ws->index, ws->context_of, d, skill_similarity_to(ws, d));
    return s > 1.0f ? 1.0f : s;
}

/* The context and ISCO parts of the origin last set to d. */
static void other_parts(const fow_similarity_workspace *ws, uint32_t d, fow_similarity_parts *out) {
    const fow_similarity_index *x = ws->index;
    out->context = out->isco = NAN;
    if (ws->context_of == FOW_NO_INDEX) return;
    out->context = context_part(x, ws->context_of, d);
    out->isco = isco_part(x->model->occupations[ws->context_of].isco_group, x->model->occupations[d].isco_group);
}

void fow_similarity_parts_to(const fow_similarity_workspace *ws, uint32_t d, fow_similarity_parts *out) {
    out->skills = skill_similarity_to(ws, d);
    other_parts(ws, d, out);
}

void fow_similarity_parts_and_essentials(const fow_similarity_workspace *ws, uint32_t d, fow_similarity_parts *out,
                                         uint32_t *essential_total, uint32_t *essential_to_learn) {
    out->skills = skill_similarity_counting(ws, d, 1, essential_total, essential_to_learn);
    other_parts(ws, d, out);
}

/* ---- top k of every occupation ---------------------------------------- */


typedef struct ranked_entry {
    float score;
    uint32_t index;
} ranked_entry;


/* Largest of scores[i .. i+8). */
static float block_max(const float *scores, uint32_t i) {
#ifdef __SSE2__
    __m128 m = _mm_max_ps(_mm_loadu_ps(scores + i), _mm_loadu_ps(scores + i + 4));
    m = _mm_max_ps(m, _mm_shuffle_ps(m, m, _MM_SHUFFLE(1, 0, 3, 2)));
    m = _mm_max_ps(m, _mm_shuffle_ps(m, m, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm_cvtss_f32(m);
#else
    float v = scores[i];
    for (uint32_t j = 1; j < 8; j++) v = scores[i + j] > v ? scores[i + j] : v;
    return v;
#endif
}

/* Writes the k best of scores[0..n) (skipping exclude, whose score the
 * caller has set below 0) into dest/sim, best first; zero scores count, by
 * index, only when fewer than k are above 0. Returns how many it wrote.
 *
 * The k-th largest of the blocks' maxima (blocks of 8) is a lower bound of
 * the k-th largest score, since those maxima are k distinct scores; the
 * lower edge of its histogram step is a lower bound too. Only the scores at
 * or above it are collected and kept sorted: a few dozen, where a heap over
 * all of them costs a mispredicted branch per replacement.
 * cand must hold n entries, block_maxima n / 8. */
static uint32_t select_top(const float *scores, uint32_t n, uint32_t k, uint32_t *dest, float *sim,
                           ranked_entry *cand, float *block_maxima) {
    if (k == 0) return 0;
    /* 1. a histogram of the block maxima in 64 steps of 1/64: the step
     * holding the k-th largest gives the bound (its lower edge) */
    uint32_t hist[66] = {0}, full_blocks = n / 8, counted = 0;
    for (uint32_t b = 0; b < full_blocks + (n - full_blocks * 8); b++) {
        /* the last scores, fewer than 8, count one by one */
        float v = b < full_blocks ? block_max(scores, b * 8) : scores[full_blocks * 8 + (b - full_blocks)];
        if (b < full_blocks) block_maxima[b] = v;
        if (v <= 0.0f) continue;
        hist[v >= 1.0f ? 64 : (uint32_t)(v * 64.0f)]++;
        counted++;
    }
    float bound = 0.0f;
    if (counted >= k) {
        uint32_t above = 0, step = 64;
        for (;; step--) {
            above += hist[step];
            if (above >= k || step == 0) break;
        }
        bound = (float)step / 64.0f;
    }
    /* 2. the candidates: scores at or above the bound (above 0 when it is 0) */
    uint32_t n_cand = 0;
    for (uint32_t b = 0; b < full_blocks; b++) {
        if (block_maxima[b] < bound) continue;
        for (uint32_t d = b * 8; d < b * 8 + 8; d++)
            if (scores[d] >= bound && scores[d] > 0.0f)
                cand[n_cand++] = (ranked_entry){scores[d] > 1.0f ? 1.0f : scores[d], d};
    }
    for (uint32_t d = full_blocks * 8; d < n; d++)
        if (scores[d] >= bound && scores[d] > 0.0f)
            cand[n_cand++] = (ranked_entry){scores[d] > 1.0f ? 1.0f : scores[d], d};
    /* 3. the best k of them, kept sorted by insertion (candidates come in
     * index order, so one that only ties the last kept ranks after it) */
    uint32_t got = 0;
    for (uint32_t c = 0; c < n_cand; c++) {
        float v = cand[c].score;
        uint32_t d = cand[c].index;
        if (got == k && v <= sim[k - 1]) continue;
        uint32_t i = got < k ? got++ : k - 1;
        while (i > 0 && v > sim[i - 1]) dest[i] = dest[i - 1], sim[i] = sim[i - 1], i--;
        dest[i] = d, sim[i] = v;
    }
    /* 4. fewer than k above 0: zero scores follow, by index */
    for (uint32_t d = 0; d < n && got < k; d++)
        if (scores[d] == 0.0f) dest[got] = d, sim[got] = 0.0f, got++;
    assert(got <= k && n_cand <= n);
    for (uint32_t i = 0; i < got; i++) /* similarities 0..1, best first */
        assert(dest[i] < n && sim[i] >= 0.0f && sim[i] <= 1.0f && (i == 0 || sim[i - 1] >= sim[i]));
    return got;
}

typedef struct top_job {
    const fow_similarity_index *index;
    uint32_t k, first, step;
    uint32_t *destinations;
    float *similarities;
    int failed;
} top_job;

static void *top_worker(void *arg) {
    top_job *job = arg;
    fow_similarity_workspace *ws = fow_similarity_workspace_new(job->index);
    if (!ws) {
        job->failed = 1;
        return NULL;
    }
    uint32_t n = job->index->model->n_occupations;
    const int prepared = job->index->params.origin_optional_credit == 1.0f;
    for (uint32_t o = job->first; o < n; o += job->step) {
        const float *scores;
        if (prepared) {
            scores_of_origin(job->index, o, ws->scores);
            scores = ws->scores;
        } else {
            fow_similarity_origin_occupation(ws, o);
            scores = fow_similarity_scores(ws);
        }
        uint32_t *dest = job->destinations + (size_t)o * job->k;
        float *sim = job->similarities + (size_t)o * job->k;
        ws->scores[o] = -1.0f; /* never its own destination */
        uint32_t got = select_top(scores, n, job->k, dest, sim, (ranked_entry *)ws->ranked, ws->reverse);
        for (uint32_t i = got; i < job->k; i++) dest[i] = FOW_NO_INDEX, sim[i] = 0.0f;
    }
    fow_similarity_workspace_free(ws);
    return NULL;
}

fow_code fow_similarity_top_all(const fow_similarity_index *x, uint32_t k, unsigned threads,
                                uint32_t *destinations, float *similarities, fow_error *err) {
    if (k == 0 || k > 100000)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "limit", "the number of destinations must be in 1..100000");
    if (threads < 1 || threads > 64)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "threads", "threads must be in 1..64");
    top_job jobs[64];
    pthread_t ids[64];
    unsigned started = 0;
    for (unsigned t = 0; t < threads; t++) {
        jobs[t] = (top_job){x, k, t, threads, destinations, similarities, 0};
        if (t + 1 == threads) break; /* the last share runs on this thread */
        if (pthread_create(&ids[t], NULL, top_worker, &jobs[t]) != 0) {
            jobs[t].failed = 1;
            break;
        }
        started++;
    }
    int failed = 0;
    if (started == threads - 1) top_worker(&jobs[threads - 1]);
    else failed = 1;
    for (unsigned t = 0; t < started; t++) pthread_join(ids[t], NULL);
    for (unsigned t = 0; t < threads; t++) failed |= jobs[t].failed;
    if (failed) return fow_error_set(err, FOW_ENOMEM, "could not start the similarity workers");
    return FOW_OK;
}

float fow_similarity_jaccard(const fow_model *m, uint32_t a, uint32_t b) {
    /* both rows are sorted by skill index (the model loads them in key order) */
    assert(a < m->n_occupations && b < m->n_occupations);
    uint32_t i = m->occ_offsets[a], ie = m->occ_offsets[a + 1];
    uint32_t j = m->occ_offsets[b], je = m->occ_offsets[b + 1];
    uint32_t common = 0, na = ie - i, nb = je - j;
    while (i < ie && j < je) {
        uint32_t si = m->occ_links[i].index, sj = m->occ_links[j].index;
        if (si == sj) common++, i++, j++;
        else if (si < sj) i++;
        else j++;
    }
    uint32_t uni = na + nb - common;
    assert(common <= na && common <= nb);
    return uni ? (float)common / (float)uni : 0.0f;
}

/* ---- snapshots ----------------------------------------------------------- */

#define TAG_PARAMS FOW_SNAP_TAG('S', 'P', 'A', 'R')
#define TAG_SKILL_WEIGHT FOW_SNAP_TAG('S', 'S', 'K', 'W')
#define TAG_SKILL_OCCUPATIONS FOW_SNAP_TAG('S', 'S', 'K', 'O')
#define TAG_RELATED_OFFSETS FOW_SNAP_TAG('S', 'R', 'O', 'F')
#define TAG_RELATED FOW_SNAP_TAG('S', 'R', 'E', 'L')
#define TAG_REQUIREMENTS FOW_SNAP_TAG('S', 'R', 'E', 'Q')
#define TAG_OCCUPATION_WEIGHT FOW_SNAP_TAG('S', 'O', 'C', 'W')
#define TAG_ORIGIN_OFFSETS FOW_SNAP_TAG('S', 'O', 'O', 'F')
#define TAG_ORIGIN_TERMS FOW_SNAP_TAG('S', 'O', 'T', 'M')
#define TAG_OCCUPATION_PARTS FOW_SNAP_TAG('S', 'O', 'P', 'T')
#define TAG_OCCUPATION_CONTEXT FOW_SNAP_TAG('S', 'O', 'C', 'X')
#define TAG_PAIR_PARTS FOW_SNAP_TAG('S', 'P', 'P', 'T')
#define TAG_PROBABLE_PARAMS FOW_SNAP_TAG('S', 'P', 'B', 'P')
#define TAG_PROBABLE_OFFSETS FOW_SNAP_TAG('S', 'P', 'B', 'O')
#define TAG_PROBABLE FOW_SNAP_TAG('S', 'P', 'B', 'S')
#define TAG_LINK_SHARE FOW_SNAP_TAG('S', 'L', 'S', 'H')

fow_code fow_similarity_index_snapshot_write(const fow_similarity_index *x, fow_snap_writer *w) {
    const fow_model *m = x->model;
    uint64_t n_sk = m->n_skills, n_occ = m->n_occupations;
    uint64_t n_related = x->related_offsets[n_sk], n_terms = x->origin_offsets[n_occ];
    fow_snap_put(w, TAG_PARAMS, &x->params, sizeof x->params, 1);
    fow_snap_put(w, TAG_SKILL_WEIGHT, x->skill_weight, n_sk * sizeof *x->skill_weight, n_sk);
    fow_snap_put(w, TAG_SKILL_OCCUPATIONS, x->skill_occupations, n_sk * sizeof *x->skill_occupations, n_sk);
    fow_snap_put(w, TAG_RELATED_OFFSETS, x->related_offsets, (n_sk + 1) * sizeof *x->related_offsets, n_sk + 1);
    fow_snap_put(w, TAG_RELATED, x->related, n_related * sizeof *x->related, n_related);
    fow_snap_put(w, TAG_REQUIREMENTS, x->requirements, (uint64_t)m->n_links * sizeof *x->requirements, m->n_links);
    fow_snap_put(w, TAG_OCCUPATION_WEIGHT, x->occupation_weight, n_occ * sizeof *x->occupation_weight, n_occ);
    fow_snap_put(w, TAG_LINK_SHARE, x->link_share, (uint64_t)m->n_links * sizeof *x->link_share, m->n_links);
    fow_snap_put(w, TAG_ORIGIN_OFFSETS, x->origin_offsets, (n_occ + 1) * sizeof *x->origin_offsets, n_occ + 1);
    fow_snap_put(w, TAG_OCCUPATION_PARTS, x->occupation_parts, n_occ, n_occ);
    fow_snap_put(w, TAG_OCCUPATION_CONTEXT, x->occupation_context, n_occ * CONTEXT_STRIDE * sizeof(float),
                 n_occ * CONTEXT_STRIDE);
    fow_infer_params infer;
    fow_infer_params_default(&infer);
    uint64_t n_probable = x->probable_offsets[n_occ];
    fow_snap_put(w, TAG_PROBABLE_PARAMS, &infer, sizeof infer, 1);
    fow_snap_put(w, TAG_PROBABLE_OFFSETS, x->probable_offsets, (n_occ + 1) * sizeof *x->probable_offsets, n_occ + 1);
    fow_snap_put(w, TAG_PROBABLE, x->probable, n_probable * sizeof *x->probable, n_probable);
    if (x->pair_parts)
        fow_snap_put(w, TAG_PAIR_PARTS, x->pair_parts, n_occ * n_occ * sizeof *x->pair_parts, n_occ * n_occ);
    return fow_snap_put(w, TAG_ORIGIN_TERMS, x->origin_terms, n_terms * sizeof *x->origin_terms, n_terms);
}

/* True when offsets (n + 1) start at 0, never decrease and end at total. */
static bool offsets_valid(const uint32_t *offsets, uint64_t n, uint64_t total) {
    if (offsets[0] != 0 || offsets[n] != total) return false;
    for (uint64_t i = 0; i < n; i++)
        if (offsets[i] > offsets[i + 1]) return false;
    return true;
}

fow_code fow_similarity_index_snapshot_read(const fow_snap *snap, const fow_model *m,
                                            const fow_similarity_params *params, fow_similarity_index **out,
                                            fow_error *err) {
    *out = NULL;
    fow_similarity_params want;
    if (params) want = *params;
    else fow_similarity_params_default(&want);
    uint64_t n_par, n_sw, n_so, n_rof, n_rel, n_req, n_ow, n_oof, n_ot;
    const fow_similarity_params *saved = fow_snap_section(snap, TAG_PARAMS, sizeof *saved, &n_par);
    const float *skill_weight = fow_snap_section(snap, TAG_SKILL_WEIGHT, sizeof *skill_weight, &n_sw);
    const uint32_t *skill_occupations = fow_snap_section(snap, TAG_SKILL_OCCUPATIONS, sizeof(uint32_t), &n_so);
    const uint32_t *related_offsets = fow_snap_section(snap, TAG_RELATED_OFFSETS, sizeof(uint32_t), &n_rof);
    const fow_related_skill *related = fow_snap_section(snap, TAG_RELATED, sizeof *related, &n_rel);
    const fow_requirement *requirements = fow_snap_section(snap, TAG_REQUIREMENTS, sizeof *requirements, &n_req);
    const float *occupation_weight = fow_snap_section(snap, TAG_OCCUPATION_WEIGHT, sizeof(float), &n_ow);
    const uint32_t *origin_offsets = fow_snap_section(snap, TAG_ORIGIN_OFFSETS, sizeof(uint32_t), &n_oof);
    const fow_origin_term *origin_terms = fow_snap_section(snap, TAG_ORIGIN_TERMS, sizeof *origin_terms, &n_ot);
    uint64_t n_opt = 0, n_ocx = 0, n_ppt = 0;
    const uint8_t *occupation_parts = fow_snap_section(snap, TAG_OCCUPATION_PARTS, 1, &n_opt);
    const float *occupation_context = fow_snap_section(snap, TAG_OCCUPATION_CONTEXT, sizeof(float), &n_ocx);
    const uint16_t *pair_parts = fow_snap_section(snap, TAG_PAIR_PARTS, sizeof(uint16_t), &n_ppt);
    uint64_t n_pbp = 0, n_pbo = 0, n_pbs = 0, n_lsh = 0;
    const float *link_share = fow_snap_section(snap, TAG_LINK_SHARE, sizeof(float), &n_lsh);
    const fow_infer_params *infer_saved = fow_snap_section(snap, TAG_PROBABLE_PARAMS, sizeof *infer_saved, &n_pbp);
    const uint32_t *probable_offsets = fow_snap_section(snap, TAG_PROBABLE_OFFSETS, sizeof(uint32_t), &n_pbo);
    const fow_probable_entry *probable = fow_snap_section(snap, TAG_PROBABLE, sizeof *probable, &n_pbs);
    fow_infer_params infer_want;
    fow_infer_params_default(&infer_want);
    const uint64_t n_sk = m->n_skills, n_occ = m->n_occupations;
    const bool combined = want.context_weight > 0.0f || want.isco_weight > 0.0f;
    const char *why = NULL;
    if (!saved || !skill_weight || !skill_occupations || !related_offsets || !related || !requirements ||
        !occupation_weight || !origin_offsets || !origin_terms || n_par != 1 || !occupation_parts ||
        !occupation_context || (combined && !pair_parts) || !link_share || !infer_saved || n_pbp != 1 || !probable_offsets ||
        (!probable && n_pbs))
        why = "a section of the similarity index is missing";
    else if (memcmp(saved, &want, sizeof want) != 0 || memcmp(infer_saved, &infer_want, sizeof infer_want) != 0)
        why = "the similarity index was built with other parameters";
    else if (n_sw != n_sk || n_so != n_sk || n_rof != n_sk + 1 || n_req != m->n_links || n_ow != n_occ ||
             n_oof != n_occ + 1 || n_opt != n_occ || n_ocx != n_occ * CONTEXT_STRIDE ||
             (combined && n_ppt != n_occ * n_occ) || n_pbo != n_occ + 1 ||
             n_lsh != m->n_links)
        why = "the similarity index does not match the model";
    else if (!offsets_valid(related_offsets, n_sk, n_rel) || !offsets_valid(origin_offsets, n_occ, n_ot) ||
             !offsets_valid(probable_offsets, n_occ, n_pbs))
        why = "the similarity index's offsets are inconsistent";
    if (why) return fow_error_set(err, FOW_EINPUT, "snapshot: %s", why);
    fow_similarity_index *x = calloc(1, sizeof *x);
    if (!x) return OOM(err);
    x->model = m;
    x->params = want;
    x->mapped = true;
    /* used in place: the index never writes to them */
    x->skill_weight = (float *)skill_weight;
    x->skill_occupations = (uint32_t *)skill_occupations;
    x->related_offsets = (uint32_t *)related_offsets;
    x->related = (fow_related_skill *)related;
    x->requirements = (fow_requirement *)requirements;
    x->occupation_weight = (float *)occupation_weight;
    x->link_share = (float *)link_share;
    x->origin_offsets = (uint32_t *)origin_offsets;
    x->origin_terms = (fow_origin_term *)origin_terms;
    x->occupation_parts = (uint8_t *)occupation_parts;
    x->occupation_context = (float *)occupation_context;
    x->pair_parts = combined ? (uint16_t *)pair_parts : NULL;
    x->probable_offsets = (uint32_t *)probable_offsets;
    x->probable = (fow_probable_entry *)probable;
    for (uint64_t k = 0; k < n_pbs; k++)
        if (probable[k].skill >= n_sk) {
            free(x);
            return fow_error_set(err, FOW_EINPUT, "snapshot: the similarity index's probable skills are inconsistent");
        }
    skill_factors(x);
    *out = x;
    return FOW_OK;
}
