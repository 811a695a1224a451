/* fow_match.c — the modules that close a skill gap (fow_match.h): the
 * catalogue's index, candidate bundles with their prerequisites, the greedy
 * and the exact solver of the prize-collecting set cover, and the supply of
 * the skills an area's at-risk workforce lacks. */
#include "training/fow_match.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "observatory/fow_scenario.h"

#define OOM(err) fow_error_set(err, FOW_ENOMEM, "out of memory")

/* A cost above this (minor units) is taken as this, so that sums of a few
 * hundred never overflow. */
#define COST_CAP 10000000000000LL
/* Prerequisites are followed this deep at most. */
#define MAX_DEPTH 8

typedef struct skill_module {
    int64_t skill;
    uint32_t module;
} skill_module;

typedef struct id_module {
    int64_t id;
    uint32_t module;
} id_module;

struct fow_match_index {
    const fow_training_catalogue *c;
    skill_module *teach; /* sorted by skill, then module */
    size_t n_teach;
    id_module *by_id;    /* sorted by id */
    char currency[8];
};

static int cmp_skill_module(const void *a, const void *b) {
    const skill_module *x = a, *y = b;
    if (x->skill != y->skill) return x->skill < y->skill ? -1 : 1;
    return (x->module > y->module) - (x->module < y->module);
}

static int cmp_id_module(const void *a, const void *b) {
    const id_module *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

static int cmp_int64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

fow_code fow_match_index_build(const fow_training_catalogue *c, fow_match_index **out, fow_error *err) {
    *out = NULL;
    fow_match_index *x = calloc(1, sizeof *x);
    if (!x) return OOM(err);
    x->c = c;
    size_t n_teach = 0;
    for (size_t i = 0; i < c->n_links; i++)
        if (c->links[i].kind == FOW_TRAINING_TEACHES && c->links[i].skill_id) n_teach++;
    x->teach = malloc((n_teach + 1) * sizeof *x->teach);
    x->by_id = malloc((c->n_modules + 1) * sizeof *x->by_id);
    if (!x->teach || !x->by_id) {
        fow_match_index_free(x);
        return OOM(err);
    }
    for (size_t m = 0; m < c->n_modules; m++) {
        const fow_training_module *mod = &c->modules[m];
        x->by_id[m] = (id_module){mod->id, (uint32_t)m};
        for (size_t k = 0; k < mod->n_links; k++)
            if (mod->links[k].kind == FOW_TRAINING_TEACHES && mod->links[k].skill_id)
                x->teach[x->n_teach++] = (skill_module){mod->links[k].skill_id, (uint32_t)m};
    }
    assert(x->n_teach == n_teach);
    qsort(x->teach, x->n_teach, sizeof *x->teach, cmp_skill_module);
    qsort(x->by_id, c->n_modules, sizeof *x->by_id, cmp_id_module);
    /* the most common currency, ties to the first met */
    size_t best = 0;
    for (size_t m = 0; m < c->n_modules; m++) {
        size_t count = 0;
        for (size_t k = 0; k < c->n_modules; k++) count += strcmp(c->modules[k].currency, c->modules[m].currency) == 0;
        if (count > best) {
            best = count;
            snprintf(x->currency, sizeof x->currency, "%s", c->modules[m].currency);
        }
        if (best * 2 > c->n_modules) break;
    }
    *out = x;
    return FOW_OK;
}

void fow_match_index_free(fow_match_index *x) {
    if (!x) return;
    free(x->teach);
    free(x->by_id);
    free(x);
}

const fow_training_catalogue *fow_match_index_catalogue(const fow_match_index *x) { return x->c; }

const char *fow_match_index_currency(const fow_match_index *x) { return x->currency; }

/* The modules teaching skill: x->teach[*first .. *first + return). */
static size_t teaching(const fow_match_index *x, int64_t skill, size_t *first) {
    size_t lo = 0, hi = x->n_teach;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->teach[mid].skill < skill) lo = mid + 1;
        else hi = mid;
    }
    *first = lo;
    size_t end = lo;
    while (end < x->n_teach && x->teach[end].skill == skill) end++;
    return end - lo;
}

/* The index of the module of id, or -1. */
static long module_of_id(const fow_match_index *x, int64_t id) {
    size_t lo = 0, hi = x->c->n_modules;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->by_id[mid].id < id) lo = mid + 1;
        else hi = mid;
    }
    return lo < x->c->n_modules && x->by_id[lo].id == id ? (long)x->by_id[lo].module : -1;
}

/* ---- names and parameters --------------------------------------------------- */

const char *fow_match_solver_name(fow_match_solver s) {
    return s == FOW_MATCH_SOLVER_GREEDY ? "greedy" : s == FOW_MATCH_SOLVER_EXACT ? "exact" : "auto";
}

int fow_match_solver_parse(const char *text, fow_match_solver *out) {
    static const fow_match_solver all[] = {FOW_MATCH_SOLVER_AUTO, FOW_MATCH_SOLVER_GREEDY, FOW_MATCH_SOLVER_EXACT};
    for (size_t i = 0; i < 3; i++)
        if (text && strcmp(text, fow_match_solver_name(all[i])) == 0) {
            *out = all[i];
            return 0;
        }
    return -1;
}

const char *fow_match_status_name(fow_match_status s) {
    switch (s) {
    case FOW_MATCH_COVERED: return "covered";
    case FOW_MATCH_NOT_TAUGHT: return "not_taught";
    case FOW_MATCH_ONLY_EXCLUDED: return "only_excluded";
    case FOW_MATCH_NOT_WORTH: return "not_worth";
    }
    return "covered";
}

const char *fow_match_exclusion_name(fow_match_exclusion_reason r) {
    switch (r) {
    case FOW_MATCH_EXCLUDED_LANGUAGE: return "language";
    case FOW_MATCH_EXCLUDED_CURRENCY: return "currency";
    case FOW_MATCH_EXCLUDED_PREREQUISITE_SKILL: return "prerequisite_skill";
    case FOW_MATCH_EXCLUDED_PREREQUISITE_MODULE: return "prerequisite_module";
    case FOW_MATCH_EXCLUDED_NO_COHORT: return "no_cohort";
    }
    return "language";
}

void fow_match_params_default(fow_match_params *p) {
    memset(p, 0, sizeof *p);
    p->hour_value = 2000;
    p->skill_value = 100000;
    p->essential_weight = 3;
    p->optional_weight = 1;
    p->exact_max = 20;
    p->solver = FOW_MATCH_SOLVER_AUTO;
}

fow_code fow_match_params_check(const fow_match_params *p, fow_error *err) {
#define BAD(field, ...) fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, __VA_ARGS__)
    if (p->n_languages > FOW_MATCH_MAX_LANGUAGES)
        return BAD("languages", "at most %d languages may be asked for", FOW_MATCH_MAX_LANGUAGES);
    for (size_t i = 0; i < p->n_languages; i++)
        if (!p->languages[i] || !*p->languages[i]) return BAD("languages", "a language is empty");
    if (p->currency && strlen(p->currency) > 7) return BAD("currency", "currency must be an ISO 4217 code such as RON");
    if (p->hour_value < 0 || p->hour_value > 1000000)
        return BAD("hour_value", "hour_value must be 0 to 1000000 minor units, not %lld", p->hour_value);
    if (p->skill_value < 1 || p->skill_value > 10000000000LL)
        return BAD("skill_value", "skill_value must be 1 to 10000000000 minor units, not %lld", p->skill_value);
    if (p->essential_weight < 1 || p->essential_weight > 100)
        return BAD("essential_weight", "essential_weight must be 1 to 100, not %u", p->essential_weight);
    if (p->optional_weight < 1 || p->optional_weight > p->essential_weight)
        return BAD("optional_weight", "optional_weight must be 1 to essential_weight (%u), not %u",
                   p->essential_weight, p->optional_weight);
    if (p->exact_max > FOW_MATCH_EXACT_LIMIT)
        return BAD("exact_max", "exact_max must be 0 to %d, not %u", FOW_MATCH_EXACT_LIMIT, p->exact_max);
    if (p->solver != FOW_MATCH_SOLVER_AUTO && p->solver != FOW_MATCH_SOLVER_GREEDY &&
        p->solver != FOW_MATCH_SOLVER_EXACT)
        return BAD("solver", "solver must be auto, greedy or exact");
    return FOW_OK;
#undef BAD
}

fow_code fow_match_params_languages(fow_match_params *p, const char *text, char *buf, size_t cap, fow_error *err) {
    p->n_languages = 0;
    if (!text) return FOW_OK;
    size_t len = strlen(text);
    if (len >= cap)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "languages", "languages is too long ('%.40s...')",
                                text);
    memcpy(buf, text, len + 1);
    char *save = NULL;
    for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        size_t n = strlen(t);
        bool ok = n >= 2 && n <= 8;
        for (size_t i = 0; ok && i < n; i++) ok = t[i] >= 'a' && t[i] <= 'z';
        if (!ok)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "languages",
                                    "languages must be language codes such as 'ro,en' (2 to 8 letters a-z each), "
                                    "not '%.40s'",
                                    t);
        if (p->n_languages == FOW_MATCH_MAX_LANGUAGES)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "languages",
                                    "at most %d languages may be asked for", FOW_MATCH_MAX_LANGUAGES);
        p->languages[p->n_languages++] = t;
    }
    return FOW_OK;
}

double fow_match_harmonic(uint32_t d) {
    double h = 0.0;
    for (uint32_t i = 1; i <= d; i++) h += 1.0 / i;
    return h;
}

/* ---- bitsets over the needed skills ------------------------------------------- */

static size_t popcount_words(const uint64_t *a, size_t words) {
    size_t n = 0;
    for (size_t i = 0; i < words; i++) n += (size_t)__builtin_popcountll(a[i]);
    return n;
}

/* |a & b| */
static size_t popcount_and(const uint64_t *a, const uint64_t *b, size_t words) {
    size_t n = 0;
    for (size_t i = 0; i < words; i++) n += (size_t)__builtin_popcountll(a[i] & b[i]);
    return n;
}

#define BIT_SET(a, i) ((a)[(i) >> 6] |= 1ULL << ((i)&63))
#define BIT_GET(a, i) (((a)[(i) >> 6] >> ((i)&63)) & 1ULL)

/* ---- the state of one match ------------------------------------------------------ */

enum { M_UNSEEN = 0, M_VISITING, M_OK, M_EXCLUDED };

typedef struct module_state {
    uint8_t state;
    uint8_t reason;     /* fow_match_exclusion_reason when M_EXCLUDED */
    const char *detail;
    uint32_t first, n;  /* its bundle: pool[first .. first + n), itself first */
    long long bundle_cost;
} module_state;

typedef struct match {
    const fow_match_index *x;
    const fow_match_params *p;
    const char *currency;
    const fow_match_need *needs;
    size_t n_needs, words;
    int32_t *slots;        /* need_of's table */
    size_t n_slots;
    int64_t *held;
    size_t n_held;
    module_state *ms;      /* per catalogue module */
    uint32_t *pool;
    size_t n_pool, cap_pool;
    uint32_t *touched;     /* modules whose state is not M_UNSEEN */
    size_t n_touched;
    long long *value;      /* per need */
    /* candidates */
    uint32_t *cand;        /* module whose bundle the candidate is */
    uint64_t *cand_cover;  /* per candidate: words */
    size_t n_cand;
    uint64_t *coverable;   /* words */
    uint8_t *in_set;       /* per catalogue module: chosen */
} match;

static bool holds(const match *mt, int64_t skill) {
    return skill && bsearch(&skill, mt->held, mt->n_held, sizeof *mt->held, cmp_int64) != NULL;
}

/* The need of skill, or -1: an open-addressing table of the needs' skill
 * ids (at least twice as many slots as needs). */
static long need_of(const match *mt, int64_t skill) {
    size_t mask = mt->n_slots - 1, i = (size_t)(((uint64_t)skill * 0x9E3779B97F4A7C15ULL) >> 20) & mask;
    for (;;) {
        int32_t need = mt->slots[i];
        if (need < 0) return -1;
        if (mt->needs[need].skill_id == skill) return need;
        i = (i + 1) & mask;
    }
}

/* Fills the table of need_of; false when a skill is given twice (*twice
 * gets the second need). */
static bool needs_table(match *mt, size_t *twice) {
    for (size_t i = 0; i < mt->n_slots; i++) mt->slots[i] = -1;
    size_t mask = mt->n_slots - 1;
    for (size_t e = 0; e < mt->n_needs; e++) {
        int64_t skill = mt->needs[e].skill_id;
        size_t i = (size_t)(((uint64_t)skill * 0x9E3779B97F4A7C15ULL) >> 20) & mask;
        while (mt->slots[i] >= 0) {
            if (mt->needs[mt->slots[i]].skill_id == skill) {
                *twice = e;
                return false;
            }
            i = (i + 1) & mask;
        }
        mt->slots[i] = (int32_t)e;
    }
    return true;
}

static long long module_cost(const match *mt, const fow_training_module *m) {
    double hours = m->hours > 0 ? m->hours : 0;
    double c = (double)m->cost_minor + (double)mt->p->hour_value * hours;
    if (!(c < (double)COST_CAP)) return COST_CAP;
    return llround(c);
}

static bool language_ok(const match *mt, const fow_training_module *m) {
    if (!mt->p->n_languages) return true;
    for (size_t i = 0; i < mt->p->n_languages; i++)
        if (strcmp(mt->p->languages[i], m->language) == 0) return true;
    return false;
}

static fow_code pool_push(match *mt, uint32_t v, fow_error *err) {
    if (mt->n_pool == mt->cap_pool) {
        size_t ncap = mt->cap_pool ? mt->cap_pool * 2 : 256;
        uint32_t *grown = realloc(mt->pool, ncap * sizeof *grown);
        if (!grown) return OOM(err);
        mt->pool = grown;
        mt->cap_pool = ncap;
    }
    mt->pool[mt->n_pool++] = v;
    return FOW_OK;
}

/* Appends the bundle of module r (resolved) to the bundle being built from
 * pool[start ..), without repeats. */
static fow_code bundle_add(match *mt, size_t start, uint32_t r, fow_error *err) {
    const module_state *rs = &mt->ms[r];
    for (uint32_t k = 0; k < rs->n; k++) {
        uint32_t v = mt->pool[rs->first + k];
        bool seen = false;
        for (size_t j = start; j < mt->n_pool && !seen; j++) seen = mt->pool[j] == v;
        if (!seen) {
            fow_code rc = pool_push(mt, v, err);
            if (rc) return rc;
        }
    }
    return FOW_OK;
}

static void set_state(match *mt, uint32_t m, uint8_t state) {
    if (mt->ms[m].state == M_UNSEEN) mt->touched[mt->n_touched++] = m;
    mt->ms[m].state = state;
}

static void exclude(match *mt, uint32_t m, fow_match_exclusion_reason reason, const char *detail) {
    set_state(mt, m, M_EXCLUDED);
    mt->ms[m].reason = (uint8_t)reason;
    mt->ms[m].detail = detail;
}

/* Whether the person counts as having done module r: they hold every skill
 * it teaches (and it teaches some). */
static bool done_already(const match *mt, const fow_training_module *r) {
    bool any = false;
    for (size_t k = 0; k < r->n_links; k++) {
        const fow_training_link *l = &r->links[k];
        if (l->kind != FOW_TRAINING_TEACHES) continue;
        if (!holds(mt, l->skill_id)) return false;
        any = true;
    }
    return any;
}

static fow_code resolve(match *mt, uint32_t m, int depth, fow_error *err);

/* The pool's bundle (from start) of a module resolved as usable. */
static void bundle_close(match *mt, uint32_t m, size_t start) {
    module_state *s = &mt->ms[m];
    set_state(mt, m, M_OK);
    s->first = (uint32_t)start;
    s->n = (uint32_t)(mt->n_pool - start);
    long long cost = 0;
    for (uint32_t k = 0; k < s->n; k++) cost += module_cost(mt, &mt->x->c->modules[mt->pool[start + k]]);
    s->bundle_cost = cost;
}

/* Resolves module m: usable with its bundle, or excluded with the reason.
 * A module met again while it is being resolved (a cycle of
 * prerequisites) counts as not usable on that path. */
static fow_code resolve(match *mt, uint32_t m, int depth, fow_error *err) {
    if (mt->ms[m].state != M_UNSEEN) return FOW_OK;
    const fow_training_module *mod = &mt->x->c->modules[m];
    if (!language_ok(mt, mod)) {
        exclude(mt, m, FOW_MATCH_EXCLUDED_LANGUAGE, mod->language);
        return FOW_OK;
    }
    if (strcmp(mod->currency, mt->currency) != 0) {
        exclude(mt, m, FOW_MATCH_EXCLUDED_CURRENCY, mod->currency);
        return FOW_OK;
    }
    if (mt->p->has_cohort && !mt->p->has_cohort[m]) {
        exclude(mt, m, FOW_MATCH_EXCLUDED_NO_COHORT, mt->p->starts_after ? mt->p->starts_after : "");
        return FOW_OK;
    }
    set_state(mt, m, M_VISITING);
    /* prerequisites first, each resolved before this bundle is built */
    uint32_t pre[64];
    size_t n_pre = 0;
    for (size_t k = 0; k < mod->n_links; k++) {
        const fow_training_link *l = &mod->links[k];
        if (l->kind == FOW_TRAINING_NEEDS_MODULE) {
            long r = module_of_id(mt->x, l->module_id);
            if (r < 0 || depth >= MAX_DEPTH) {
                exclude(mt, m, FOW_MATCH_EXCLUDED_PREREQUISITE_MODULE, l->label);
                return FOW_OK;
            }
            if (done_already(mt, &mt->x->c->modules[r])) continue;
            fow_code rc = resolve(mt, (uint32_t)r, depth + 1, err);
            if (rc) return rc;
            if (mt->ms[r].state != M_OK) {
                exclude(mt, m, FOW_MATCH_EXCLUDED_PREREQUISITE_MODULE, l->label);
                return FOW_OK;
            }
            if (n_pre < 64) pre[n_pre++] = (uint32_t)r;
        } else if (l->kind == FOW_TRAINING_NEEDS_SKILL) {
            if (holds(mt, l->skill_id)) continue;
            /* the cheapest usable bundle teaching it */
            long best = -1;
            size_t first = 0, n = l->skill_id && depth < MAX_DEPTH ? teaching(mt->x, l->skill_id, &first) : 0;
            for (size_t j = 0; j < n; j++) {
                uint32_t r = mt->x->teach[first + j].module;
                if (r == m) continue;
                fow_code rc = resolve(mt, r, depth + 1, err);
                if (rc) return rc;
                if (mt->ms[r].state == M_OK && (best < 0 || mt->ms[r].bundle_cost < mt->ms[best].bundle_cost))
                    best = (long)r;
            }
            if (best < 0) {
                exclude(mt, m, FOW_MATCH_EXCLUDED_PREREQUISITE_SKILL, l->label);
                return FOW_OK;
            }
            if (n_pre < 64) pre[n_pre++] = (uint32_t)best;
        }
    }
    size_t start = mt->n_pool;
    fow_code rc = pool_push(mt, m, err);
    for (size_t i = 0; !rc && i < n_pre; i++) rc = bundle_add(mt, start, pre[i], err);
    if (rc) return rc;
    bundle_close(mt, m, start);
    return FOW_OK;
}

/* The needs taught by the modules of candidate's bundle, into cover. */
static void bundle_cover(const match *mt, uint32_t m, uint64_t *cover) {
    const module_state *s = &mt->ms[m];
    memset(cover, 0, mt->words * sizeof *cover);
    for (uint32_t k = 0; k < s->n; k++) {
        const fow_training_module *mod = &mt->x->c->modules[mt->pool[s->first + k]];
        for (size_t j = 0; j < mod->n_links; j++) {
            if (mod->links[j].kind != FOW_TRAINING_TEACHES || !mod->links[j].skill_id) continue;
            long need = need_of(mt, mod->links[j].skill_id);
            if (need >= 0) BIT_SET(cover, (size_t)need);
        }
    }
}

/* The objective of the modules in mt->in_set (listed in mods[0..n)): their
 * costs and the values of the needs they leave uncovered; covered gets the
 * needs they cover. */
static long long objective_of(const match *mt, const uint32_t *mods, size_t n, uint64_t *covered) {
    long long total = 0;
    memset(covered, 0, mt->words * sizeof *covered);
    for (size_t i = 0; i < n; i++) {
        const fow_training_module *mod = &mt->x->c->modules[mods[i]];
        total += module_cost(mt, mod);
        for (size_t j = 0; j < mod->n_links; j++) {
            if (mod->links[j].kind != FOW_TRAINING_TEACHES || !mod->links[j].skill_id) continue;
            long need = need_of(mt, mod->links[j].skill_id);
            if (need >= 0) BIT_SET(covered, (size_t)need);
        }
    }
    for (size_t e = 0; e < mt->n_needs; e++)
        if (!BIT_GET(covered, e)) total += mt->value[e];
    return total;
}

/* ---- the greedy ------------------------------------------------------------------ */

/* The modules of the taken candidates, without repeats, into mods; their
 * number. */
static size_t union_of(match *mt, const uint8_t *taken, uint32_t *mods) {
    size_t n = 0;
    for (size_t c = 0; c < mt->n_cand; c++) {
        if (!taken[c]) continue;
        const module_state *s = &mt->ms[mt->cand[c]];
        for (uint32_t k = 0; k < s->n; k++) {
            uint32_t v = mt->pool[s->first + k];
            if (!mt->in_set[v]) {
                mt->in_set[v] = 1;
                mods[n++] = v;
            }
        }
    }
    for (size_t i = 0; i < n; i++) mt->in_set[mods[i]] = 0;
    return n;
}

/* The objective of the taken candidates: the costs of their modules (each
 * once) and the values of the needs their covers leave out; covered gets
 * the union of their covers. (objective_of gives the same from the
 * modules; this reads the candidates' covers, computed once.) */
static long long taken_objective(match *mt, const uint8_t *taken, uint32_t *mods, uint64_t *covered) {
    size_t n = union_of(mt, taken, mods);
    long long total = 0;
    for (size_t i = 0; i < n; i++) total += module_cost(mt, &mt->x->c->modules[mods[i]]);
    memset(covered, 0, mt->words * sizeof *covered);
    for (size_t c = 0; c < mt->n_cand; c++)
        if (taken[c])
            for (size_t w = 0; w < mt->words; w++) covered[w] |= mt->cand_cover[c * mt->words + w];
    for (size_t e = 0; e < mt->n_needs; e++)
        if (!BIT_GET(covered, e)) total += mt->value[e];
    return total;
}

/* The greedy of the reduction: at each step the cheapest cost per newly
 * covered need, among the candidates (their modules not yet taken) and
 * "leave this need uncovered" (its value, for one need). Then candidates
 * whose removal does not raise the objective are dropped, last taken
 * first. taken (per candidate) gets the plan; returns its objective. */
static long long greedy(match *mt, uint8_t *taken, uint32_t *mods, uint64_t *scratch, uint32_t *max_set,
                        fow_error *err) {
    (void)err;
    size_t words = mt->words;
    uint64_t *remaining = scratch, *covered = scratch + words;
    memcpy(remaining, mt->coverable, words * sizeof *remaining);
    memset(taken, 0, mt->n_cand);
    *max_set = 1;
    for (size_t c = 0; c < mt->n_cand; c++) {
        size_t k = popcount_words(mt->cand_cover + c * words, words);
        if (k > *max_set) *max_set = (uint32_t)k;
    }
    for (;;) {
        long best = -1;
        long long best_cost = 0;
        size_t best_new = 0;
        for (size_t c = 0; c < mt->n_cand; c++) {
            if (taken[c]) continue;
            size_t fresh = popcount_and(mt->cand_cover + c * words, remaining, words);
            if (!fresh) continue;
            const module_state *s = &mt->ms[mt->cand[c]];
            long long cost = 0;
            for (uint32_t k = 0; k < s->n; k++) {
                uint32_t v = mt->pool[s->first + k];
                if (!mt->in_set[v]) cost += module_cost(mt, &mt->x->c->modules[v]);
            }
            /* cost / fresh < best_cost / best_new, ties to more covered */
            if (best < 0 || cost * (long long)best_new < best_cost * (long long)fresh ||
                (cost * (long long)best_new == best_cost * (long long)fresh && fresh > best_new))
                best = (long)c, best_cost = cost, best_new = fresh;
        }
        /* the cheapest "leave uncovered" */
        long leave = -1;
        for (size_t e = 0; e < mt->n_needs; e++)
            if (BIT_GET(remaining, e) && (leave < 0 || mt->value[e] < mt->value[leave])) leave = (long)e;
        if (leave < 0) break;
        if (best >= 0 && best_cost * 1 <= mt->value[leave] * (long long)best_new) {
            taken[best] = 1;
            const module_state *s = &mt->ms[mt->cand[best]];
            for (uint32_t k = 0; k < s->n; k++) mt->in_set[mt->pool[s->first + k]] = 1;
            for (size_t w = 0; w < words; w++) remaining[w] &= ~mt->cand_cover[(size_t)best * words + w];
        } else {
            remaining[(size_t)leave >> 6] &= ~(1ULL << ((size_t)leave & 63));
        }
    }
    for (size_t c = 0; c < mt->n_cand; c++) /* in_set back to all 0 */
        if (taken[c])
            for (uint32_t k = 0; k < mt->ms[mt->cand[c]].n; k++) mt->in_set[mt->pool[mt->ms[mt->cand[c]].first + k]] = 0;
    long long objective = taken_objective(mt, taken, mods, covered);
    for (size_t c = mt->n_cand; c-- > 0;) {
        if (!taken[c]) continue;
        taken[c] = 0;
        long long without = taken_objective(mt, taken, mods, covered);
        if (without <= objective) objective = without;
        else taken[c] = 1;
    }
    return objective;
}

/* ---- the exact solver -------------------------------------------------------------- */

typedef struct exact {
    size_t n_el, n_mod, n_cand;
    uint64_t all;                 /* every element */
    long long value[64];
    long long mod_cost[64];
    uint64_t mod_teach[64];       /* elements each local module teaches */
    uint64_t cand_mods[FOW_MATCH_EXACT_LIMIT];  /* local modules of each candidate */
    uint64_t cand_cover[FOW_MATCH_EXACT_LIMIT];
    long long cand_cost[FOW_MATCH_EXACT_LIMIT];
    long long best;
    uint64_t best_mods;
    unsigned long long nodes;
    int gave_up;
} exact;

static long long mods_cost(const exact *ex, uint64_t mods) {
    long long c = 0;
    for (size_t i = 0; i < ex->n_mod; i++)
        if (mods >> i & 1ULL) c += ex->mod_cost[i];
    return c;
}

static uint64_t mods_cover(const exact *ex, uint64_t mods) {
    uint64_t c = 0;
    for (size_t i = 0; i < ex->n_mod; i++)
        if (mods >> i & 1ULL) c |= ex->mod_teach[i];
    return c;
}

/* A lower bound of what covering or leaving the elements of remaining
 * still costs: each pays the least of its value and its cheapest share
 * of a module not yet chosen that teaches it (a module's cost shared by
 * the remaining elements it teaches; any plan pays at least that). */
static long long lower_bound(const exact *ex, uint64_t remaining, uint64_t chosen) {
    long long lb = 0;
    for (size_t e = 0; e < ex->n_el; e++) {
        if (!(remaining >> e & 1ULL)) continue;
        long long least = ex->value[e];
        for (size_t m = 0; m < ex->n_mod; m++) {
            if ((chosen >> m & 1ULL) || !(ex->mod_teach[m] >> e & 1ULL)) continue;
            long long share = ex->mod_cost[m] / __builtin_popcountll(ex->mod_teach[m] & remaining);
            if (share < least) least = share;
        }
        lb += least;
    }
    return lb;
}

static void search(exact *ex, uint64_t covered, uint64_t left, uint64_t chosen, long long cost) {
    if (ex->gave_up) return;
    if (++ex->nodes > FOW_MATCH_NODE_LIMIT) {
        ex->gave_up = 1;
        return;
    }
    uint64_t remaining = ex->all & ~covered & ~left;
    if (!remaining) {
        long long total = cost;
        for (size_t e = 0; e < ex->n_el; e++)
            if (!(covered >> e & 1ULL)) total += ex->value[e];
        if (total < ex->best) ex->best = total, ex->best_mods = chosen;
        return;
    }
    long long paid_left = 0;
    for (size_t e = 0; e < ex->n_el; e++)
        if ((left >> e & 1ULL) && !(covered >> e & 1ULL)) paid_left += ex->value[e];
    if (cost + paid_left + lower_bound(ex, remaining, chosen) >= ex->best) return;
    /* the remaining element with the fewest candidates */
    size_t pick = 64, fewest = SIZE_MAX;
    for (size_t e = 0; e < ex->n_el; e++) {
        if (!(remaining >> e & 1ULL)) continue;
        size_t k = 0;
        for (size_t c = 0; c < ex->n_cand; c++) k += ex->cand_cover[c] >> e & 1ULL;
        if (k < fewest) fewest = k, pick = e;
    }
    assert(pick < 64);
    /* cover it with each candidate, cheapest first (candidates are sorted) */
    for (size_t c = 0; c < ex->n_cand; c++) {
        if (!(ex->cand_cover[c] >> pick & 1ULL)) continue;
        uint64_t mods = chosen | ex->cand_mods[c];
        search(ex, covered | ex->cand_cover[c], left, mods, cost + mods_cost(ex, ex->cand_mods[c] & ~chosen));
    }
    /* or leave it */
    search(ex, covered, left | 1ULL << pick, chosen, cost);
}

/* Solves the candidates exactly when they fit (<= FOW_MATCH_EXACT_LIMIT
 * candidates, <= 64 coverable needs and modules). Returns 1 with the plan
 * in taken_mods (catalogue indexes, *n_taken), 0 when it gave up. */
static int solve_exact(match *mt, long long upper, const uint32_t *upper_mods, size_t n_upper, uint32_t *taken_mods,
                       size_t *n_taken, unsigned long long *nodes) {
    *nodes = 0;
    if (mt->n_cand > FOW_MATCH_EXACT_LIMIT) return 0;
    exact *ex = calloc(1, sizeof *ex);
    if (!ex) return 0;
    int ok = 0;
    uint32_t el_need[64], mod_of[64];
    /* elements: the coverable needs */
    for (size_t e = 0; e < mt->n_needs; e++) {
        if (!BIT_GET(mt->coverable, e)) continue;
        if (ex->n_el == 64) goto done;
        el_need[ex->n_el] = (uint32_t)e;
        ex->value[ex->n_el++] = mt->value[e];
    }
    ex->all = ex->n_el == 64 ? ~0ULL : (1ULL << ex->n_el) - 1;
    /* local modules: those of the candidates' bundles */
    for (size_t c = 0; c < mt->n_cand; c++) {
        const module_state *s = &mt->ms[mt->cand[c]];
        for (uint32_t k = 0; k < s->n; k++) {
            uint32_t v = mt->pool[s->first + k];
            size_t i = 0;
            while (i < ex->n_mod && mod_of[i] != v) i++;
            if (i == ex->n_mod) {
                if (ex->n_mod == 64) goto done;
                mod_of[ex->n_mod++] = v;
            }
            ex->cand_mods[c] |= 1ULL << i;
        }
    }
    for (size_t i = 0; i < ex->n_mod; i++) {
        const fow_training_module *mod = &mt->x->c->modules[mod_of[i]];
        ex->mod_cost[i] = module_cost(mt, mod);
        for (size_t j = 0; j < mod->n_links; j++) {
            if (mod->links[j].kind != FOW_TRAINING_TEACHES || !mod->links[j].skill_id) continue;
            long need = need_of(mt, mod->links[j].skill_id);
            for (size_t e = 0; need >= 0 && e < ex->n_el; e++)
                if (el_need[e] == (uint32_t)need) ex->mod_teach[i] |= 1ULL << e;
        }
    }
    /* candidates, cheapest first */
    size_t order[FOW_MATCH_EXACT_LIMIT];
    for (size_t c = 0; c < mt->n_cand; c++) order[c] = c;
    for (size_t c = 0; c < mt->n_cand; c++) ex->cand_cost[c] = mods_cost(ex, ex->cand_mods[c]);
    for (size_t i = 1; i < mt->n_cand; i++)
        for (size_t j = i; j > 0 && ex->cand_cost[order[j]] < ex->cand_cost[order[j - 1]]; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    uint64_t sorted_mods[FOW_MATCH_EXACT_LIMIT];
    long long sorted_cost[FOW_MATCH_EXACT_LIMIT];
    for (size_t c = 0; c < mt->n_cand; c++) sorted_mods[c] = ex->cand_mods[order[c]], sorted_cost[c] = ex->cand_cost[order[c]];
    for (size_t c = 0; c < mt->n_cand; c++) {
        ex->cand_mods[c] = sorted_mods[c];
        ex->cand_cost[c] = sorted_cost[c];
        ex->cand_cover[c] = mods_cover(ex, sorted_mods[c]);
    }
    ex->n_cand = mt->n_cand;
    /* the needs no usable module teaches are paid whatever the plan */
    long long fixed = 0;
    for (size_t e = 0; e < mt->n_needs; e++)
        if (!BIT_GET(mt->coverable, e)) fixed += mt->value[e];
    /* seeded with the greedy's plan (as local modules) */
    ex->best = upper - fixed;
    ex->best_mods = 0;
    for (size_t i = 0; i < n_upper; i++)
        for (size_t k = 0; k < ex->n_mod; k++)
            if (mod_of[k] == upper_mods[i]) ex->best_mods |= 1ULL << k;
    search(ex, 0, 0, 0, 0);
    *nodes = ex->nodes;
    if (ex->gave_up) goto done;
    *n_taken = 0;
    for (size_t k = 0; k < ex->n_mod; k++)
        if (ex->best_mods >> k & 1ULL) taken_mods[(*n_taken)++] = mod_of[k];
    ok = 1;
done:
    free(ex);
    return ok;
}

/* ---- the plan's order --------------------------------------------------------------- */

/* Whether chosen module a is in the bundle of chosen module b (a prerequisite of b). */
static bool in_bundle(const match *mt, uint32_t a, uint32_t b) {
    const module_state *s = &mt->ms[b];
    if (s->state != M_OK) return false;
    for (uint32_t k = 1; k < s->n; k++)
        if (mt->pool[s->first + k] == a) return true;
    return false;
}

/* Orders mods[0..n) into out->chosen: a module after the modules of its
 * bundle; among those free to come, the one teaching the most weight of
 * needs not yet covered (then the cheaper, then catalogue order). */
static fow_code order_plan(match *mt, const uint32_t *mods, size_t n, fow_match_result *out, fow_error *err) {
    out->chosen = calloc(n + 1, sizeof *out->chosen);
    uint8_t *placed = calloc(n + 1, 1);
    uint64_t *covered = calloc(mt->words, sizeof *covered);
    if (!out->chosen || !placed || !covered) {
        free(placed), free(covered);
        return OOM(err);
    }
    for (size_t step = 0; step < n; step++) {
        long best = -1;
        uint32_t best_weight = 0;
        long long best_cost = 0;
        for (size_t i = 0; i < n; i++) {
            if (placed[i]) continue;
            bool ready = true;
            for (size_t j = 0; j < n && ready; j++)
                if (!placed[j] && j != i && in_bundle(mt, mods[j], mods[i])) ready = false;
            if (!ready) continue;
            const fow_training_module *mod = &mt->x->c->modules[mods[i]];
            uint32_t weight = 0;
            for (size_t k = 0; k < mod->n_links; k++) {
                if (mod->links[k].kind != FOW_TRAINING_TEACHES || !mod->links[k].skill_id) continue;
                long need = need_of(mt, mod->links[k].skill_id);
                if (need >= 0 && !BIT_GET(covered, (size_t)need)) weight += out->needs[need].weight;
            }
            long long cost = module_cost(mt, mod);
            if (best < 0 || weight > best_weight || (weight == best_weight && cost < best_cost) ||
                (weight == best_weight && cost == best_cost && mods[i] < mods[best]))
                best = (long)i, best_weight = weight, best_cost = cost;
        }
        assert(best >= 0); /* bundles are acyclic */
        if (best < 0) best = 0;
        placed[best] = 1;
        fow_match_choice *ch = &out->chosen[out->n_chosen++];
        ch->module = mods[best];
        ch->required_by = -1;
        ch->cost = best_cost;
        const fow_training_module *mod = &mt->x->c->modules[mods[best]];
        out->price_minor += mod->cost_minor;
        out->hours += mod->hours;
        for (size_t k = 0; k < mod->n_links; k++) {
            if (mod->links[k].kind != FOW_TRAINING_TEACHES || !mod->links[k].skill_id) continue;
            long need = need_of(mt, mod->links[k].skill_id);
            if (need < 0 || BIT_GET(covered, (size_t)need)) continue;
            BIT_SET(covered, (size_t)need);
            ch->n_covers++;
            ch->weight_covered += out->needs[need].weight;
            out->needs[need].status = FOW_MATCH_COVERED;
            out->needs[need].covered_by = (int32_t)(out->n_chosen - 1);
        }
    }
    /* prerequisites: the first later module whose bundle holds it */
    for (size_t i = 0; i < out->n_chosen; i++)
        for (size_t j = i + 1; j < out->n_chosen && out->chosen[i].required_by < 0; j++)
            if (in_bundle(mt, (uint32_t)out->chosen[i].module, (uint32_t)out->chosen[j].module))
                out->chosen[i].required_by = (int32_t)j;
    free(placed);
    free(covered);
    return FOW_OK;
}

/* ---- solve ---------------------------------------------------------------------------- */

static void match_free(match *mt) {
    free(mt->slots), free(mt->held), free(mt->ms), free(mt->pool), free(mt->touched), free(mt->value);
    free(mt->cand), free(mt->cand_cover), free(mt->coverable), free(mt->in_set);
}

void fow_match_result_free(fow_match_result *r) {
    if (!r) return;
    free(r->chosen);
    free(r->needs);
    free(r->excluded);
    memset(r, 0, sizeof *r);
}

fow_code fow_match_solve(const fow_match_index *x, const fow_match_need *needs, size_t n_needs, const int64_t *held,
                         size_t n_held, const fow_match_params *params, fow_match_result *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    fow_match_params defaults;
    if (!params) {
        fow_match_params_default(&defaults);
        params = &defaults;
    }
    fow_code rc = fow_match_params_check(params, err);
    if (rc) return rc;
    if (n_needs > FOW_MATCH_MAX_NEEDS)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "skills", "at most %d skills to learn, not %zu",
                                FOW_MATCH_MAX_NEEDS, n_needs);
    const fow_training_catalogue *c = x->c;
    match mt;
    memset(&mt, 0, sizeof mt);
    mt.x = x;
    mt.p = params;
    mt.currency = params->currency && *params->currency ? params->currency : x->currency;
    snprintf(out->currency, sizeof out->currency, "%s", mt.currency);
    mt.needs = needs;
    mt.n_needs = n_needs;
    mt.words = (n_needs + 63) / 64 + 1;
    size_t n_mod = c->n_modules;
    mt.n_slots = 16;
    while (mt.n_slots < 2 * n_needs + 2) mt.n_slots *= 2;
    mt.slots = malloc(mt.n_slots * sizeof *mt.slots);
    mt.held = malloc((n_held + 1) * sizeof *mt.held);
    mt.ms = calloc(n_mod + 1, sizeof *mt.ms);
    mt.touched = malloc((n_mod + 1) * sizeof *mt.touched);
    mt.value = malloc((n_needs + 1) * sizeof *mt.value);
    mt.coverable = calloc(mt.words, sizeof *mt.coverable);
    mt.in_set = calloc(n_mod + 1, 1);
    out->needs = calloc(n_needs + 1, sizeof *out->needs);
    out->n_needs = n_needs;
    uint8_t *taken = NULL;
    uint32_t *mods = NULL, *exact_mods = NULL;
    uint64_t *scratch = NULL;
    if (!mt.slots || !mt.held || !mt.ms || !mt.touched || !mt.value || !mt.coverable || !mt.in_set ||
        !out->needs) {
        rc = OOM(err);
        goto done;
    }
    size_t twice = 0;
    if (!needs_table(&mt, &twice)) {
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "skills", "the skill '%.100s' is given twice",
                              needs[twice].label ? needs[twice].label : "?");
        goto done;
    }
    if (n_held) memcpy(mt.held, held, n_held * sizeof *held);
    qsort(mt.held, n_held, sizeof *mt.held, cmp_int64);
    mt.n_held = n_held;
    /* values, and the candidates: usable modules teaching a need */
    size_t cap_cand = 16;
    mt.cand = malloc(cap_cand * sizeof *mt.cand);
    if (!mt.cand) {
        rc = OOM(err);
        goto done;
    }
    for (size_t e = 0; e < n_needs; e++) {
        fow_match_need_result *nr = &out->needs[e];
        nr->weight = needs[e].essential ? params->essential_weight : params->optional_weight;
        nr->value = (long long)nr->weight * params->skill_value;
        nr->covered_by = -1;
        mt.value[e] = nr->value;
        out->weight_needed += nr->weight;
        size_t first = 0, n = needs[e].skill_id ? teaching(x, needs[e].skill_id, &first) : 0;
        nr->teaching = (uint32_t)n;
        nr->status = n ? FOW_MATCH_ONLY_EXCLUDED : FOW_MATCH_NOT_TAUGHT;
        for (size_t j = 0; j < n; j++) {
            uint32_t m = x->teach[first + j].module;
            bool seen = mt.ms[m].state != M_UNSEEN;
            if ((rc = resolve(&mt, m, 0, err))) goto done;
            if (mt.ms[m].state != M_OK) continue;
            nr->status = FOW_MATCH_NOT_WORTH; /* coverable; covered when chosen */
            BIT_SET(mt.coverable, e);
            bool listed = false;
            for (size_t k = 0; seen && k < mt.n_cand && !listed; k++) listed = mt.cand[k] == m;
            if (listed) continue;
            if (mt.n_cand == cap_cand) {
                uint32_t *grown = realloc(mt.cand, cap_cand * 2 * sizeof *grown);
                if (!grown) {
                    rc = OOM(err);
                    goto done;
                }
                mt.cand = grown;
                cap_cand *= 2;
            }
            mt.cand[mt.n_cand++] = m;
        }
    }
    out->coverable = (uint32_t)popcount_words(mt.coverable, mt.words);
    /* the modules teaching a need that cannot be taken */
    for (size_t i = 0; i < mt.n_touched; i++) {
        uint32_t m = mt.touched[i];
        if (mt.ms[m].state != M_EXCLUDED) continue;
        const fow_training_module *mod = &c->modules[m];
        bool teaches_need = false;
        for (size_t k = 0; k < mod->n_links && !teaches_need; k++)
            teaches_need = mod->links[k].kind == FOW_TRAINING_TEACHES && mod->links[k].skill_id &&
                           need_of(&mt, mod->links[k].skill_id) >= 0;
        if (!teaches_need) continue;
        fow_match_exclusion *grown = realloc(out->excluded, (out->n_excluded + 1) * sizeof *grown);
        if (!grown) {
            rc = OOM(err);
            goto done;
        }
        out->excluded = grown;
        out->excluded[out->n_excluded++] =
            (fow_match_exclusion){m, (fow_match_exclusion_reason)mt.ms[m].reason, mt.ms[m].detail};
    }
    for (size_t i = 1; i < out->n_excluded; i++) /* catalogue order */
        for (size_t j = i; j > 0 && out->excluded[j].module < out->excluded[j - 1].module; j--) {
            fow_match_exclusion t = out->excluded[j];
            out->excluded[j] = out->excluded[j - 1];
            out->excluded[j - 1] = t;
        }
    /* covers; dominated single modules dropped */
    mt.cand_cover = calloc(mt.n_cand * mt.words + 1, sizeof *mt.cand_cover);
    if (!mt.cand_cover) {
        rc = OOM(err);
        goto done;
    }
    for (size_t k = 0; k < mt.n_cand; k++) bundle_cover(&mt, mt.cand[k], mt.cand_cover + k * mt.words);
    {
        uint8_t *dominated = calloc(mt.n_cand + 1, 1);
        if (!dominated) {
            rc = OOM(err);
            goto done;
        }
        /* the candidates covering each need (a dominating candidate covers
         * every need of the dominated one, its first among them) */
        size_t *start = calloc(mt.words * 64 + 2, sizeof *start), *by_need = NULL;
        size_t total = 0;
        if (!start) {
            free(dominated);
            rc = OOM(err);
            goto done;
        }
        for (size_t a = 0; a < mt.n_cand; a++)
            for (size_t w = 0; w < mt.words; w++)
                for (uint64_t bits = mt.cand_cover[a * mt.words + w]; bits; bits &= bits - 1)
                    start[w * 64 + (size_t)__builtin_ctzll(bits) + 1]++, total++;
        for (size_t e = 0; e < n_needs; e++) start[e + 1] += start[e];
        by_need = malloc((total + 1) * sizeof *by_need);
        size_t *fill = calloc(mt.words * 64 + 1, sizeof *fill);
        if (!by_need || !fill) {
            free(dominated), free(start), free(by_need), free(fill);
            rc = OOM(err);
            goto done;
        }
        for (size_t a = 0; a < mt.n_cand; a++)
            for (size_t w = 0; w < mt.words; w++)
                for (uint64_t bits = mt.cand_cover[a * mt.words + w]; bits; bits &= bits - 1) {
                    size_t e = w * 64 + (size_t)__builtin_ctzll(bits);
                    by_need[start[e] + fill[e]++] = a;
                }
        free(fill);
        for (size_t a = 0; a < mt.n_cand; a++) {
            const module_state *sa = &mt.ms[mt.cand[a]];
            const uint64_t *ca = mt.cand_cover + a * mt.words;
            if (sa->n != 1) continue;
            size_t lowest = 0;
            while (lowest < n_needs && !BIT_GET(ca, lowest)) lowest++;
            if (lowest == n_needs) continue;
            for (size_t k = start[lowest]; k < start[lowest + 1] && !dominated[a]; k++) {
                size_t b = by_need[k];
                if (b == a) continue;
                const module_state *sb = &mt.ms[mt.cand[b]];
                if (sb->bundle_cost > sa->bundle_cost) continue;
                const uint64_t *cb = mt.cand_cover + b * mt.words;
                bool subset = true, equal = true;
                for (size_t w = 0; w < mt.words; w++) {
                    if (ca[w] & ~cb[w]) subset = false;
                    if (ca[w] != cb[w]) equal = false;
                }
                if (!subset) continue;
                /* equal cover and cost: a single module is kept over a
                 * bundle, the earlier over the later */
                if (equal && sb->bundle_cost == sa->bundle_cost && (sb->n != 1 || b > a)) continue;
                dominated[a] = 1;
            }
        }
        free(start);
        free(by_need);
        size_t kept = 0;
        for (size_t a = 0; a < mt.n_cand; a++) {
            if (dominated[a]) continue;
            if (kept != a) memmove(mt.cand_cover + kept * mt.words, mt.cand_cover + a * mt.words, mt.words * sizeof *mt.cand_cover);
            mt.cand[kept++] = mt.cand[a];
        }
        mt.n_cand = kept;
        free(dominated);
    }
    out->candidates = (uint32_t)mt.n_cand;
    size_t cap_mods = 0;
    for (size_t k = 0; k < mt.n_cand; k++) cap_mods += mt.ms[mt.cand[k]].n;
    taken = calloc(mt.n_cand + 1, 1);
    mods = malloc((cap_mods + 1) * sizeof *mods);
    exact_mods = malloc(65 * sizeof *exact_mods);
    scratch = calloc(2 * mt.words, sizeof *scratch);
    if (!taken || !mods || !exact_mods || !scratch) {
        rc = OOM(err);
        goto done;
    }
    long long objective = greedy(&mt, taken, mods, scratch, &out->max_set, err);
    size_t n_plan = union_of(&mt, taken, mods);
    out->greedy_objective = objective;
    out->solver_used = FOW_MATCH_SOLVER_GREEDY;
    bool try_exact = params->solver == FOW_MATCH_SOLVER_EXACT ||
                     (params->solver == FOW_MATCH_SOLVER_AUTO && mt.n_cand <= params->exact_max);
    if (try_exact && mt.n_cand) {
        size_t n_exact = 0;
        if (solve_exact(&mt, objective, mods, n_plan, exact_mods, &n_exact, &out->nodes)) {
            out->solver_used = FOW_MATCH_SOLVER_EXACT;
            memcpy(mods, exact_mods, n_exact * sizeof *mods);
            n_plan = n_exact;
        } else {
            out->exact_gave_up = 1;
        }
    } else if (try_exact) {
        out->solver_used = FOW_MATCH_SOLVER_EXACT; /* nothing to choose from: the empty plan is exact */
    }
    out->objective = objective_of(&mt, mods, n_plan, scratch);
    assert(out->solver_used != FOW_MATCH_SOLVER_EXACT || out->objective <= out->greedy_objective);
    if ((rc = order_plan(&mt, mods, n_plan, out, err))) goto done;
    for (size_t e = 0; e < n_needs; e++)
        if (out->needs[e].status == FOW_MATCH_COVERED) out->covered++, out->weight_covered += out->needs[e].weight;
done:
    free(taken);
    free(mods);
    free(exact_mods);
    free(scratch);
    match_free(&mt);
    return rc;
}

/* ---- courses to commission ------------------------------------------------------------ */

void fow_match_supply_of(const fow_match_index *x, const fow_match_demand *demand, size_t n,
                         const fow_match_params *p, fow_match_supply *supply) {
    for (size_t i = 0; i < n; i++) {
        supply[i].modules = 0;
        supply[i].first = 0;
        size_t first = 0, k = demand[i].skill_id ? teaching(x, demand[i].skill_id, &first) : 0;
        long long cheapest = 0;
        for (size_t j = 0; j < k; j++) {
            const fow_training_module *m = &x->c->modules[x->teach[first + j].module];
            bool ok = !p || !p->n_languages;
            for (size_t l = 0; p && !ok && l < p->n_languages; l++) ok = strcmp(p->languages[l], m->language) == 0;
            if (ok && p && p->currency && *p->currency && strcmp(p->currency, m->currency) != 0) ok = false;
            if (!ok) continue;
            if (!supply[i].modules || m->cost_minor < cheapest) {
                supply[i].first = x->teach[first + j].module;
                cheapest = m->cost_minor;
            }
            supply[i].modules++;
        }
    }
}

fow_code fow_match_commission_compute(const fow_match_index *x, const fow_model *model,
                                      const struct fow_scale_result *r, const fow_match_params *p,
                                      fow_match_commission *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    out->demand = calloc(r->n_skills + 1, sizeof *out->demand);
    out->supply = calloc(r->n_skills + 1, sizeof *out->supply);
    if (!out->demand || !out->supply) return OOM(err);
    for (uint32_t i = 0; i < r->n_skills; i++) {
        const fow_weighted *s = &r->skills[i];
        out->demand[i] = (fow_match_demand){model->skills[s->index].id, s->workers, s->origins, s->index};
    }
    out->n = r->n_skills;
    fow_match_supply_of(x, out->demand, out->n, p, out->supply);
    for (size_t i = 0; i < out->n; i++) {
        out->learners += out->demand[i].learners;
        if (out->supply[i].modules) {
            out->learners_covered += out->demand[i].learners;
            out->skills_covered++;
        }
    }
    return FOW_OK;
}

void fow_match_commission_free(fow_match_commission *cm) {
    if (!cm) return;
    free(cm->demand);
    free(cm->supply);
    memset(cm, 0, sizeof *cm);
}
