/* fow_scenario.c — move profiles, transitions at scale, scenarios. */
#define _POSIX_C_SOURCE 200809L
#include "observatory/fow_scenario.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_MOVES_PER_WORKER 50
#define MAX_THREADS 8

/* ---- move profiles ---------------------------------------------------- */

typedef struct profile_job {
    const fow_similarity_index *index;
    fow_risk_model model;
    uint32_t k;
    const uint32_t *origins; /* NULL: all */
    uint32_t n_origins, part, parts;
    fow_move_profiles *out;  /* per-occupation arrays are shared: each origin belongs to one job */
    fow_profile_move *moves; /* n_occupations * k slots, shared likewise */
    uint32_t *skills;        /* this job's gap skills */
    uint32_t n_skills, cap_skills;
    int failed;
} profile_job;

static void *profile_worker(void *arg) {
    profile_job *job = arg;
    const fow_model *m = job->index->model;
    fow_similarity_workspace *ws = fow_similarity_workspace_new(job->index);
    uint32_t *held = calloc(m->n_skills ? m->n_skills : 1, sizeof *held);
    fow_transition *ranked = malloc(job->k * sizeof *ranked);
    if (!ws || !held || !ranked) {
        job->failed = 1;
        goto done;
    }
    fow_transition_query q;
    fow_transition_query_default(job->index, &q);
    q.model = job->model;
    q.safe = 1;
    q.desirable = 1;
    q.limit = job->k;
    for (uint32_t i = job->part; i < job->n_origins; i += job->parts) {
        uint32_t o = job->origins ? job->origins[i] : i;
        if (o >= m->n_occupations || job->out->computed[o]) continue;
        uint32_t n_out = 0, n_matching = 0;
        fow_transitions_from_occupation(ws, o, &q, ranked, job->k, &n_out, &n_matching);
        /* the origin's skills, marked with a stamp of o + 1 */
        for (uint32_t l = m->occ_offsets[o]; l < m->occ_offsets[o + 1]; l++) held[m->occ_links[l].index] = o + 1;
        for (uint32_t r = 0; r < n_out; r++) {
            uint32_t d = ranked[r].destination;
            fow_profile_move *mv = &job->moves[(size_t)o * job->k + r];
            mv->destination = d;
            mv->similarity = ranked[r].similarity;
            mv->gap_first = job->n_skills;
            mv->n_gap = 0;
            for (uint32_t l = m->occ_offsets[d]; l < m->occ_offsets[d + 1]; l++) {
                const fow_model_link *link = &m->occ_links[l];
                if (!link->essential || held[link->index] == o + 1) continue;
                if (job->n_skills == job->cap_skills) {
                    uint32_t ncap = job->cap_skills ? job->cap_skills * 2 : 4096;
                    uint32_t *ns = realloc(job->skills, ncap * sizeof *ns);
                    if (!ns) {
                        job->failed = 1;
                        goto done;
                    }
                    job->skills = ns;
                    job->cap_skills = ncap;
                }
                job->skills[job->n_skills++] = link->index;
                mv->n_gap++;
            }
        }
        job->out->n_matching[o] = n_matching;
        job->out->n_moves[o] = (uint8_t)n_out;
        job->out->computed[o] = 1;
    }
done:
    fow_similarity_workspace_free(ws);
    free(held);
    free(ranked);
    return NULL;
}

void fow_move_profiles_free(fow_move_profiles *p) {
    if (!p) return;
    free(p->computed);
    free(p->n_matching);
    free(p->first);
    free(p->n_moves);
    free(p->moves);
    free(p->skills);
    free(p);
}

fow_code fow_move_profiles_build(const fow_similarity_index *index, fow_risk_model model, const uint32_t *origins,
                                 uint32_t n_origins, uint32_t moves_per_worker, uint32_t threads,
                                 fow_move_profiles **out, fow_error *err) {
    *out = NULL;
    if (moves_per_worker < 1 || moves_per_worker > MAX_MOVES_PER_WORKER)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "moves_per_worker", "moves per worker must be 1..%d",
                                MAX_MOVES_PER_WORKER);
    const fow_model *m = index->model;
    uint32_t n = m->n_occupations, k = moves_per_worker;
    if (!origins) n_origins = n;
    if (threads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cores < 1 ? 1 : (uint32_t)cores;
    }
    if (threads > MAX_THREADS) threads = MAX_THREADS;
    if (threads > n_origins / 64 + 1) threads = n_origins / 64 + 1; /* small jobs stay on one thread */
    fow_move_profiles *p = calloc(1, sizeof *p);
    fow_profile_move *slots = NULL;
    profile_job jobs[MAX_THREADS];
    memset(jobs, 0, sizeof jobs);
    fow_code rc = FOW_OK;
    if (!p) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    p->index = index;
    p->model = model;
    p->moves_per_worker = k;
    p->n_occupations = n;
    size_t nn = n ? n : 1;
    p->computed = calloc(nn, 1);
    p->n_matching = calloc(nn, sizeof *p->n_matching);
    p->first = calloc(nn, sizeof *p->first);
    p->n_moves = calloc(nn, 1);
    slots = calloc(nn * k, sizeof *slots);
    if (!p->computed || !p->n_matching || !p->first || !p->n_moves || !slots) {
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        goto done;
    }
    pthread_t ids[MAX_THREADS];
    uint32_t started = 0;
    for (uint32_t t = 0; t < threads; t++) {
        jobs[t] = (profile_job){index, model, k, origins, n_origins, t, threads, p, slots, NULL, 0, 0, 0};
        if (t + 1 == threads) break;
        if (pthread_create(&ids[t], NULL, profile_worker, &jobs[t]) != 0) break;
        started++;
    }
    /* the last share (and any share whose thread did not start) runs here */
    for (uint32_t t = started; t < threads; t++) profile_worker(&jobs[t]);
    for (uint32_t t = 0; t < started; t++) pthread_join(ids[t], NULL);
    int failed = 0;
    for (uint32_t t = 0; t < threads; t++) failed |= jobs[t].failed;
    if (failed) {
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        goto done;
    }
    /* compact: moves in occupation order, skills concatenated per job */
    uint32_t total_moves = 0, total_skills = 0;
    uint32_t skill_base[MAX_THREADS];
    for (uint32_t t = 0; t < threads; t++) {
        skill_base[t] = total_skills;
        total_skills += jobs[t].n_skills;
    }
    for (uint32_t o = 0; o < n; o++) total_moves += p->n_moves[o];
    p->moves = malloc((total_moves ? total_moves : 1) * sizeof *p->moves);
    p->skills = malloc((total_skills ? total_skills : 1) * sizeof *p->skills);
    if (!p->moves || !p->skills) {
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        goto done;
    }
    for (uint32_t t = 0; t < threads; t++)
        if (jobs[t].n_skills) memcpy(p->skills + skill_base[t], jobs[t].skills, jobs[t].n_skills * sizeof *p->skills);
    /* which job computed each origin: the one whose share holds its position */
    uint32_t at = 0;
    for (uint32_t i = 0; i < n_origins; i++) {
        uint32_t o = origins ? origins[i] : i;
        if (o >= n || p->first[o] || !p->n_moves[o]) continue;
        /* an origin listed twice keeps its first position's job; all moves of o
         * were written by the job of the first i with this o */
        uint32_t job = i % threads;
        p->first[o] = at + 1; /* +1 marks done; fixed below */
        for (uint32_t r = 0; r < p->n_moves[o]; r++) {
            fow_profile_move mv = slots[(size_t)o * k + r];
            mv.gap_first += skill_base[job];
            p->moves[at++] = mv;
        }
    }
    for (uint32_t o = 0; o < n; o++)
        if (p->first[o]) p->first[o]--;
    p->n_moves_total = at;
    p->n_skills_total = total_skills;
done:
    for (uint32_t t = 0; t < threads; t++) free(jobs[t].skills);
    free(slots);
    if (rc) {
        fow_move_profiles_free(p);
        return rc;
    }
    *out = p;
    return FOW_OK;
}

/* ---- from units to occupations ------------------------------------------ */

/* The occupations a unit's workers go to, written to buf (room for the
 * model's occupations); returns how many. */
static uint32_t unit_occupations(const fow_risk_estimates *est, fow_risk_model model, const fow_observe_unit *unit,
                                 int high_risk_only, uint32_t *buf) {
    if (unit->row->occupation != FOW_NO_INDEX) {
        buf[0] = unit->row->occupation;
        return 1;
    }
    const uint32_t *in;
    uint32_t n = fow_risk_estimates_occupations_in(est, unit->row->isco, &in), kept = 0;
    for (uint32_t i = 0; i < n; i++) {
        const fow_code_estimate *e = fow_risk_estimate_occupation(est, model, in[i]);
        bool keep = high_risk_only ? e->share[FOW_CAT_HIGH] >= 1 : e->method != FOW_EST_NONE;
        if (keep) buf[kept++] = in[i];
    }
    if (kept) return kept;
    memcpy(buf, in, n * sizeof *buf);
    return n;
}

/* The workers of a unit who are concerned: the high-risk ones, or all. */
static double unit_workers(const fow_observe_unit *unit, int high_risk_only) {
    if (unit->estimate->method == FOW_EST_NONE) return 0;
    return high_risk_only ? unit->counted * unit->estimate->share[FOW_CAT_HIGH] : unit->counted;
}

fow_code fow_observation_origins(const fow_risk_estimates *est, const fow_observation *obs, int high_risk_only,
                                 uint32_t **out, uint32_t *n, fow_error *err) {
    const fow_model *m = fow_risk_estimates_model(est);
    *out = NULL;
    *n = 0;
    uint8_t *mark = calloc(m->n_occupations ? m->n_occupations : 1, 1);
    uint32_t *buf = malloc((m->n_occupations ? m->n_occupations : 1) * sizeof *buf);
    if (!mark || !buf) {
        free(mark);
        free(buf);
        return fow_error_set(err, FOW_ENOMEM, "out of memory");
    }
    for (uint32_t u = 0; u < obs->n_units; u++) {
        if (unit_workers(&obs->units[u], high_risk_only) <= 0) continue;
        uint32_t k = unit_occupations(est, obs->model, &obs->units[u], high_risk_only, buf);
        for (uint32_t i = 0; i < k; i++) mark[buf[i]] = 1;
    }
    uint32_t count = 0;
    for (uint32_t o = 0; o < m->n_occupations; o++) count += mark[o];
    uint32_t *list = buf; /* reuse: count <= n_occupations */
    uint32_t at = 0;
    for (uint32_t o = 0; o < m->n_occupations; o++)
        if (mark[o]) list[at++] = o;
    free(mark);
    *out = list;
    *n = count;
    return FOW_OK;
}

/* ---- weighted accumulation ----------------------------------------------- */

typedef struct accumulator {
    double *dest, *skill;
    double *dest_low, *dest_high, *skill_low, *skill_high; /* the bands */
    uint32_t *dest_origins, *skill_origins;
    uint32_t *skill_stamp;
} accumulator;

static int acc_init(accumulator *a, const fow_model *m) {
    size_t no = m->n_occupations ? m->n_occupations : 1, ns = m->n_skills ? m->n_skills : 1;
    a->dest = calloc(no, sizeof *a->dest);
    a->dest_low = calloc(no, sizeof *a->dest_low);
    a->dest_high = calloc(no, sizeof *a->dest_high);
    a->skill = calloc(ns, sizeof *a->skill);
    a->skill_low = calloc(ns, sizeof *a->skill_low);
    a->skill_high = calloc(ns, sizeof *a->skill_high);
    a->dest_origins = calloc(no, sizeof *a->dest_origins);
    a->skill_origins = calloc(ns, sizeof *a->skill_origins);
    a->skill_stamp = calloc(ns, sizeof *a->skill_stamp);
    return a->dest && a->dest_low && a->dest_high && a->skill && a->skill_low && a->skill_high && a->dest_origins &&
                   a->skill_origins && a->skill_stamp
               ? 0
               : -1;
}

static void acc_free(accumulator *a) {
    free(a->dest);
    free(a->dest_low);
    free(a->dest_high);
    free(a->skill);
    free(a->skill_low);
    free(a->skill_high);
    free(a->dest_origins);
    free(a->skill_origins);
    free(a->skill_stamp);
}

/* Spreads w workers of occupation o over its best moves (and the band's
 * w_low and w_high likewise); returns 0 when it has none (nothing added). */
static int spread(const fow_move_profiles *p, uint32_t o, double w, double w_low, double w_high, accumulator *a) {
    if (!p->computed[o] || !p->n_moves[o]) return 0;
    uint32_t k = p->n_moves[o];
    for (uint32_t r = 0; r < k; r++) {
        const fow_profile_move *mv = &p->moves[p->first[o] + r];
        a->dest[mv->destination] += w / k;
        a->dest_low[mv->destination] += w_low / k;
        a->dest_high[mv->destination] += w_high / k;
        a->dest_origins[mv->destination]++;
        for (uint32_t g = 0; g < mv->n_gap; g++) {
            uint32_t s = p->skills[mv->gap_first + g];
            a->skill[s] += w / k;
            a->skill_low[s] += w_low / k;
            a->skill_high[s] += w_high / k;
            if (a->skill_stamp[s] != o + 1) {
                a->skill_stamp[s] = o + 1;
                a->skill_origins[s]++;
            }
        }
    }
    return 1;
}

static int weighted_cmp(const void *x, const void *y) {
    const fow_weighted *a = x, *b = y;
    if (a->workers != b->workers) return a->workers > b->workers ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* The non-zero entries of values, most first, with their bands (low and
 * high may be NULL: the band is the value). */
static fow_weighted *collect(const double *values, const double *low, const double *high, const uint32_t *origins,
                             uint32_t n, uint32_t *n_out) {
    uint32_t count = 0;
    for (uint32_t i = 0; i < n; i++) count += values[i] > 0 || (high && high[i] > 0);
    fow_weighted *list = malloc((count ? count : 1) * sizeof *list);
    if (!list) return NULL;
    uint32_t at = 0;
    for (uint32_t i = 0; i < n; i++)
        if (values[i] > 0 || (high && high[i] > 0))
            list[at++] = (fow_weighted){i, values[i], origins[i], low ? low[i] : values[i], high ? high[i] : values[i], 0, 0};
    qsort(list, at, sizeof *list, weighted_cmp);
    *n_out = at;
    return list;
}

/* ---- transitions at scale ---------------------------------------------- */

static int scale_origin_cmp(const void *x, const void *y) {
    const fow_scale_origin *a = x, *b = y;
    if (a->workers != b->workers) return a->workers > b->workers ? -1 : 1;
    return (a->occupation > b->occupation) - (a->occupation < b->occupation);
}

static int scale_destination_cmp(const void *x, const void *y) {
    const fow_scale_destination *a = x, *b = y;
    if (a->placed != b->placed) return a->placed > b->placed ? -1 : 1;
    if (a->wanted != b->wanted) return a->wanted > b->wanted ? -1 : 1;
    return (a->occupation > b->occupation) - (a->occupation < b->occupation);
}

void fow_capacity_default(fow_capacity *c) {
    c->share = FOW_CAPACITY_SHARE_DEFAULT;
    c->years = FOW_CAPACITY_YEARS_DEFAULT;
}

fow_code fow_capacity_check(const fow_capacity *c, fow_error *err) {
    if (!(c->share >= 0 && c->share <= 1))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "capacity_share",
                                "capacity_share must be 0..1 (a share of the destination's employment per year)");
    if (c->years < 1 || c->years > 50)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "capacity_years", "capacity_years must be 1..50");
    return FOW_OK;
}

void fow_scale_result_free(fow_scale_result *r) {
    if (!r) return;
    free(r->origins);
    free(r->destinations);
    free(r->skills);
    r->origins = NULL;
    r->destinations = NULL;
    r->skills = NULL;
}

/* The employment of every occupation in the area (into emp, zeroed by the
 * caller): a row of an ESCO occupation counts for it, a row of an ISCO
 * code is spread evenly over the code's occupations. */
static void occupation_employment(const fow_risk_estimates *est, const fow_observation *obs, double *emp) {
    for (uint32_t u = 0; u < obs->n_units; u++) {
        const fow_observe_unit *unit = &obs->units[u];
        if (unit->row->occupation != FOW_NO_INDEX) {
            emp[unit->row->occupation] += unit->counted;
            continue;
        }
        const uint32_t *in;
        uint32_t n = fow_risk_estimates_occupations_in(est, unit->row->isco, &in);
        for (uint32_t i = 0; i < n; i++) emp[in[i]] += unit->counted / n;
    }
}

/* Places workers[o] of every origin over its moves in rounds, no
 * destination taking more than room[d] (which is used up). placed[slot]
 * receives the workers placed through each move of the profiles (zeroed
 * by the caller). Every round either places all that is left of the origins
 * still placing or fills a destination, so at most (destinations + 1)
 * rounds are needed; each round looks only at the origins still placing.
 * Scratch: left and demand (n_occupations doubles), active
 * (n_occupations indexes). */
static void allocate(const fow_move_profiles *p, const double *workers, double *room, double *placed, double *left,
                     double *demand, uint32_t *active) {
    uint32_t n = p->n_occupations, n_active = 0;
    double total = 0;
    for (uint32_t o = 0; o < n; o++) {
        left[o] = p->computed[o] && p->n_moves[o] ? workers[o] : 0;
        if (left[o] > 0) {
            total += left[o];
            active[n_active++] = o;
        }
    }
    for (uint32_t d = 0; d < n; d++) demand[d] = 0;
    for (uint32_t round = 0; round <= n + 1 && n_active; round++) {
        /* the origins with a destination that still has room ask for their workers, spread evenly */
        uint32_t kept = 0;
        for (uint32_t i = 0; i < n_active; i++) {
            uint32_t o = active[i], open = 0;
            for (uint32_t r = 0; r < p->n_moves[o]; r++) open += room[p->moves[p->first[o] + r].destination] > 0;
            if (!open) continue; /* rooms only shrink: it cannot place anyone any more */
            for (uint32_t r = 0; r < p->n_moves[o]; r++) {
                uint32_t d = p->moves[p->first[o] + r].destination;
                if (room[d] > 0) demand[d] += left[o] / open;
            }
            active[kept++] = o;
        }
        n_active = kept;
        if (!n_active) break;
        /* each origin takes what its destinations grant: the same fraction of every inflow */
        double moved = 0;
        for (uint32_t i = 0; i < n_active; i++) {
            uint32_t o = active[i], open = 0;
            for (uint32_t r = 0; r < p->n_moves[o]; r++) open += room[p->moves[p->first[o] + r].destination] > 0;
            double ask = left[o] / open, took = 0;
            for (uint32_t r = 0; r < p->n_moves[o]; r++) {
                uint32_t slot = p->first[o] + r, d = p->moves[slot].destination;
                if (!(room[d] > 0)) continue;
                double grant = demand[d] <= room[d] ? ask : ask * (room[d] / demand[d]);
                placed[slot] += grant;
                took += grant;
            }
            left[o] = took >= left[o] ? 0 : left[o] - took;
            moved += took;
        }
        /* the rooms used up (once per destination); a destination asked for more than its room is full */
        kept = 0;
        for (uint32_t i = 0; i < n_active; i++) {
            uint32_t o = active[i];
            for (uint32_t r = 0; r < p->n_moves[o]; r++) {
                uint32_t d = p->moves[p->first[o] + r].destination;
                if (demand[d] <= 0) continue;
                room[d] = demand[d] >= room[d] ? 0 : room[d] - demand[d];
                demand[d] = 0;
            }
            if (left[o] > 0) active[kept++] = o;
        }
        n_active = kept;
        if (moved <= total * 1e-12) break;
    }
}

fow_code fow_transitions_at_scale(const fow_risk_estimates *est, const fow_observation *obs,
                                  const fow_move_profiles *profiles, uint32_t min_moves,
                                  const fow_capacity *capacity, fow_scale_result *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    out->min_moves = min_moves;
    if (capacity) out->capacity = *capacity;
    else fow_capacity_default(&out->capacity);
    fow_code rc = fow_capacity_check(&out->capacity, err);
    if (rc) return rc;
    const fow_model *m = fow_risk_estimates_model(est);
    uint32_t n = m->n_occupations;
    size_t nn = n ? n : 1;
    double *workers = calloc(nn, sizeof *workers), *employment = calloc(nn, sizeof *employment);
    double *room = calloc(nn, sizeof *room), *left = calloc(nn, sizeof *left), *demand = calloc(nn, sizeof *demand);
    double *wanted = calloc(nn, sizeof *wanted), *placed_at = calloc(nn, sizeof *placed_at);
    double *learners = calloc(m->n_skills ? m->n_skills : 1, sizeof *learners);
    uint32_t *origins_at = calloc(nn, sizeof *origins_at), *skill_origins = calloc(m->n_skills ? m->n_skills : 1, sizeof *skill_origins);
    uint32_t *skill_stamp = calloc(m->n_skills ? m->n_skills : 1, sizeof *skill_stamp);
    double *placed = calloc(profiles->n_moves_total ? profiles->n_moves_total : 1, sizeof *placed);
    uint32_t *buf = malloc(nn * sizeof *buf);
    if (!workers || !employment || !room || !left || !demand || !wanted || !placed_at || !learners || !origins_at ||
        !skill_origins || !skill_stamp || !placed || !buf || profiles->n_occupations != n) {
        rc = profiles->n_occupations != n ? fow_error_set(err, FOW_EINTERNAL, "move profiles of another model")
                                          : fow_error_set(err, FOW_ENOMEM, "out of memory");
        goto done;
    }
    for (uint32_t u = 0; u < obs->n_units; u++) {
        double hr = unit_workers(&obs->units[u], 1);
        if (hr <= 0) continue;
        out->high_risk_workers += hr;
        uint32_t k = unit_occupations(est, obs->model, &obs->units[u], 1, buf);
        if (!k) {
            out->no_occupation += hr;
            continue;
        }
        for (uint32_t i = 0; i < k; i++) workers[buf[i]] += hr / k;
    }
    occupation_employment(est, obs, employment);
    double per_worker = out->capacity.share * out->capacity.years;
    for (uint32_t d = 0; d < n; d++) room[d] = employment[d] * per_worker;
    allocate(profiles, workers, room, placed, left, demand, buf);

    uint32_t n_origins = 0;
    for (uint32_t o = 0; o < n; o++) n_origins += workers[o] > 0;
    out->origins = malloc((n_origins ? n_origins : 1) * sizeof *out->origins);
    if (!out->origins) {
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        goto done;
    }
    for (uint32_t o = 0; o < n; o++) {
        if (workers[o] <= 0) continue;
        uint32_t moves = profiles->computed[o] ? profiles->n_matching[o] : 0;
        double placed_o = 0;
        uint32_t k = profiles->computed[o] ? profiles->n_moves[o] : 0;
        for (uint32_t r = 0; r < k; r++) {
            uint32_t slot = profiles->first[o] + r;
            const fow_profile_move *mv = &profiles->moves[slot];
            wanted[mv->destination] += workers[o] / k;
            placed_at[mv->destination] += placed[slot];
            origins_at[mv->destination]++;
            placed_o += placed[slot];
            for (uint32_t g = 0; g < mv->n_gap; g++) {
                uint32_t sk = profiles->skills[mv->gap_first + g];
                learners[sk] += placed[slot];
                if (placed[slot] > 0 && skill_stamp[sk] != o + 1) {
                    skill_stamp[sk] = o + 1;
                    skill_origins[sk]++;
                }
            }
        }
        out->origins[out->n_origins++] = (fow_scale_origin){o, workers[o], moves, placed_o};
        if (moves >= min_moves) out->with_min_moves += workers[o];
        if (k == 0) out->without_moves += workers[o];
        else out->no_room += workers[o] - placed_o;
        out->placed += placed_o;
    }
    out->unplaced = out->without_moves + out->no_occupation + out->no_room;
    qsort(out->origins, out->n_origins, sizeof *out->origins, scale_origin_cmp);
    uint32_t n_dest = 0;
    for (uint32_t d = 0; d < n; d++) n_dest += wanted[d] > 0;
    out->destinations = malloc((n_dest ? n_dest : 1) * sizeof *out->destinations);
    if (!out->destinations) {
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        goto done;
    }
    for (uint32_t d = 0; d < n; d++) {
        if (!(wanted[d] > 0)) continue;
        double cap = employment[d] * per_worker;
        out->destinations[out->n_destinations++] =
            (fow_scale_destination){d, wanted[d], placed_at[d], employment[d], cap, origins_at[d]};
        if (placed_at[d] >= cap * (1 - 1e-9) && wanted[d] > placed_at[d] * (1 + 1e-9)) out->full_destinations++;
    }
    qsort(out->destinations, out->n_destinations, sizeof *out->destinations, scale_destination_cmp);
    out->skills = collect(learners, NULL, NULL, skill_origins, m->n_skills, &out->n_skills);
    if (!out->skills) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
done:
    free(workers);
    free(employment);
    free(room);
    free(left);
    free(demand);
    free(wanted);
    free(placed_at);
    free(learners);
    free(origins_at);
    free(skill_origins);
    free(skill_stamp);
    free(placed);
    free(buf);
    if (rc) fow_scale_result_free(out);
    return rc;
}

/* ---- scenarios ---------------------------------------------------------- */

int fow_scenario_preset(const char *adoption, fow_scenario_params *p) {
    static const struct {
        const char *name;
        double ceiling, speed, midpoint;
    } presets[] = {{"slow", 0.15, 0.2, 20}, {"medium", 0.3, 0.3, 12}, {"fast", 0.5, 0.45, 7}};
    memset(p, 0, sizeof *p);
    p->years = 20;
    p->retrain_share = 1;
    p->hours_per_skill = 40;
    p->cost_per_hour = 10;
    p->capacity_share = FOW_CAPACITY_SHARE_DEFAULT;
    int found = -1;
    for (int i = 0; i < 3; i++)
        if (adoption && strcmp(adoption, presets[i].name) == 0) found = i;
    int use = found >= 0 ? found : 1;
    snprintf(p->adoption, sizeof p->adoption, "%s", presets[use].name);
    p->ceiling = presets[use].ceiling;
    p->speed = presets[use].speed;
    p->midpoint = presets[use].midpoint;
    return found >= 0 ? 0 : -1;
}

fow_code fow_scenario_params_check(const fow_scenario_params *p, fow_error *err) {
    const char *field = NULL, *why = NULL;
    if (!(p->ceiling >= 0 && p->ceiling <= 1)) field = "ceiling", why = "must be 0..1";
    else if (!(p->speed > 0 && p->speed <= 10)) field = "speed", why = "must be more than 0 and at most 10 (per year)";
    else if (!(p->midpoint >= 0 && p->midpoint <= 200)) field = "midpoint", why = "must be 0..200 (years)";
    else if (p->years < 1 || p->years > 100) field = "years", why = "must be 1..100";
    else if (!(p->retrain_share >= 0 && p->retrain_share <= 1)) field = "retrain_share", why = "must be 0..1";
    else if (!(p->hours_per_skill > 0 && p->hours_per_skill <= 10000)) field = "hours_per_skill", why = "must be more than 0 and at most 10000";
    else if (!(p->cost_per_hour >= 0 && p->cost_per_hour <= 1e6)) field = "cost_per_hour", why = "must be 0..1000000";
    else if (!(p->capacity_share >= 0 && p->capacity_share <= 1))
        field = "capacity_share", why = "must be 0..1 (a share of the destination's employment per year)";
    if (!field) return FOW_OK;
    return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s %s", field, why);
}

double fow_scenario_adoption(const fow_scenario_params *p, double t) {
    if (t <= 0 || p->ceiling <= 0) return 0;
    double l0 = 1 / (1 + exp(p->speed * p->midpoint));
    double lt = 1 / (1 + exp(-p->speed * (t - p->midpoint)));
    double a = p->ceiling * (lt - l0) / (1 - l0);
    return a < 0 ? 0 : a > p->ceiling ? p->ceiling : a;
}

static int double_cmp(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* The q-quantile of the n sorted values v (linear between order statistics). */
static double quantile(const double *v, uint32_t n, double q) {
    double at = q * (n - 1);
    uint32_t i = (uint32_t)at;
    if (i + 1 >= n) return v[n - 1];
    return v[i] + (at - i) * (v[i + 1] - v[i]);
}

fow_code fow_exposure_levels_calibrate(const fow_model *m, fow_exposure_levels *out, fow_error *err) {
    static const double published[FOW_N_CATS][3] = {
        {FOW_EXPOSURE_LEVEL_LOW, FOW_EXPOSURE_QUARTILES_LOW},
        {FOW_EXPOSURE_LEVEL_MIDDLE, FOW_EXPOSURE_QUARTILES_MIDDLE},
        {FOW_EXPOSURE_LEVEL_HIGH, FOW_EXPOSURE_QUARTILES_HIGH}};
    memset(out, 0, sizeof *out);
    /* the values of each category, one after the other: first count, then place */
    double *values = malloc((m->n_occupations ? m->n_occupations : 1) * sizeof *values);
    if (!values) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    uint32_t start[FOW_N_CATS + 1] = {0}, at[FOW_N_CATS];
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            for (int c = 0; c < FOW_N_CATS; c++) start[c + 1] = start[c] + out->n[c];
            memcpy(at, start, sizeof at);
        }
        for (uint32_t o = 0; o < m->n_occupations; o++) {
            const fow_model_occupation *occ = &m->occupations[o];
            /* MCC's own values only: a nested occupation inherits its parent's */
            if (occ->parent != FOW_NO_INDEX || occ->mcc_category == FOW_RISK_UNKNOWN || isnan(occ->prevalence_mcc))
                continue;
            int c = occ->mcc_category == FOW_RISK_LOW    ? FOW_CAT_LOW
                    : occ->mcc_category == FOW_RISK_HIGH ? FOW_CAT_HIGH
                                                         : FOW_CAT_MIDDLE;
            if (pass == 0) {
                out->n[c]++;
                continue;
            }
            double p = occ->prevalence_mcc;
            values[at[c]++] = 1 - (p < 0 ? 0 : p > 1 ? 1 : p);
        }
    }
    for (int c = 0; c < FOW_N_CATS; c++) {
        uint32_t n = out->n[c];
        if (!n) {
            out->level[c] = published[c][0];
            out->low[c] = published[c][1];
            out->high[c] = published[c][2];
            continue;
        }
        double *v = values + start[c], sum = 0;
        for (uint32_t i = 0; i < n; i++) sum += v[i]; /* in model order, before sorting */
        out->level[c] = sum / n;
        qsort(v, n, sizeof *v, double_cmp);
        out->low[c] = quantile(v, n, 0.25);
        out->high[c] = quantile(v, n, 0.75);
    }
    free(values);
    return FOW_OK;
}

fow_range fow_exposure_range(fow_risk_model model, const fow_exposure_levels *levels, const fow_code_estimate *e) {
    if (e->method == FOW_EST_NONE || isnan(e->risk)) return (fow_range){NAN, NAN};
    if (model != FOW_RISK_MODEL_MCC) {
        double x = e->risk < 0 ? 0 : e->risk > 1 ? 1 : e->risk;
        return (fow_range){x, x};
    }
    fow_range r = {0, 0};
    for (int c = 0; c < FOW_N_CATS; c++) {
        r.low += e->share[c] * levels->low[c];
        r.high += e->share[c] * levels->high[c];
    }
    return r;
}

double fow_exposure(fow_risk_model model, const fow_exposure_levels *levels, const fow_code_estimate *e) {
    if (e->method == FOW_EST_NONE || isnan(e->risk)) return NAN;
    double x;
    if (model == FOW_RISK_MODEL_MCC) {
        x = 0;
        for (int c = 0; c < FOW_N_CATS; c++) x += e->share[c] * levels->level[c];
    } else {
        x = e->risk;
    }
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* The estimate of a unit's row under model. */
static const fow_code_estimate *row_estimate(const fow_risk_estimates *est, fow_risk_model model,
                                             const fow_employment_row *row) {
    return row->occupation != FOW_NO_INDEX ? fow_risk_estimate_occupation(est, model, row->occupation)
                                           : fow_risk_estimate_isco(est, model, row->isco);
}

/* Scenario destinations: most placed first, then most wanted. */
static int placed_cmp(const void *x, const void *y) {
    const fow_weighted *a = x, *b = y;
    if (a->workers != b->workers) return a->workers > b->workers ? -1 : 1;
    if (a->wanted != b->wanted) return a->wanted > b->wanted ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

static int scenario_unit_cmp(const void *x, const void *y) {
    const fow_scenario_unit *a = x, *b = y;
    double da = isnan(a->exposure) ? -1 : a->displaced, db = isnan(b->exposure) ? -1 : b->displaced;
    if (da != db) return da > db ? -1 : 1;
    return (a->unit > b->unit) - (a->unit < b->unit);
}

void fow_scenario_result_free(fow_scenario_result *r) {
    if (!r) return;
    free(r->years);
    free(r->destinations);
    free(r->skills);
    free(r->units);
    r->years = NULL;
    r->destinations = r->skills = NULL;
    r->units = NULL;
}

fow_code fow_scenario_run(const fow_risk_estimates *est, const fow_observation *obs, const fow_move_profiles *profiles,
                          const fow_scenario_params *p, fow_scenario_result *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    fow_code rc = fow_scenario_params_check(p, err);
    if (rc) return rc;
    out->params = *p;
    out->start_year = obs->employment->year;
    const fow_model *m = fow_risk_estimates_model(est);
    rc = fow_exposure_levels_calibrate(m, &out->levels, err);
    if (rc) return rc;
    fow_risk_model other = obs->model == FOW_RISK_MODEL_MCC ? FOW_RISK_MODEL_FREY_OSBORNE : FOW_RISK_MODEL_MCC;
    uint32_t n = m->n_occupations;
    size_t nn = n ? n : 1;
    uint32_t *buf = malloc(nn * sizeof *buf);
    /* retraining workers by origin occupation (the figure, its band's ends) and the placement's scratch */
    double *origin_w[3] = {calloc(nn, sizeof(double)), calloc(nn, sizeof(double)), calloc(nn, sizeof(double))};
    double *employment = calloc(nn, sizeof *employment), *room = calloc(nn, sizeof *room);
    double *left = calloc(nn, sizeof *left), *demand = calloc(nn, sizeof *demand);
    double *placed_at[3] = {calloc(nn, sizeof(double)), calloc(nn, sizeof(double)), calloc(nn, sizeof(double))};
    double *slots = calloc(profiles->n_moves_total ? profiles->n_moves_total : 1, sizeof *slots);
    accumulator acc = {0};
    out->years = calloc((size_t)p->years, sizeof *out->years);
    out->units = calloc(obs->n_units ? obs->n_units : 1, sizeof *out->units);
    bool scratch = origin_w[0] && origin_w[1] && origin_w[2] && employment && room && left && demand && placed_at[0] &&
                   placed_at[1] && placed_at[2] && slots;
    if (!buf || !scratch || !out->years || !out->units || acc_init(&acc, m) != 0) {
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        goto done;
    }
    double final = fow_scenario_adoption(p, p->years);
    /* exposed jobs and missing skills x exposed jobs: the figure, its band's low and high end */
    double exposed_jobs = 0, gap_skills = 0, weighted_exposure = 0;
    double jobs_low = 0, jobs_high = 0, gaps_low = 0, gaps_high = 0;
    for (uint32_t u = 0; u < obs->n_units; u++) {
        const fow_observe_unit *unit = &obs->units[u];
        double e = unit->counted;
        out->employed += e;
        double x = fow_exposure(obs->model, &out->levels, unit->estimate);
        const fow_code_estimate *other_estimate = row_estimate(est, other, unit->row);
        double x_other = fow_exposure(other, &out->levels, other_estimate);
        fow_scenario_unit *su = &out->units[out->n_units++];
        *su = (fow_scenario_unit){u, x, isnan(x) ? 0 : e * x * final, x_other, {NAN, NAN}, {0, 0}};
        if (isnan(x)) continue;
        /* the band: the envelope of both models' ranges */
        fow_range own = fow_exposure_range(obs->model, &out->levels, unit->estimate);
        double lo = fmin(x, own.low), hi = fmax(x, own.high);
        if (!isnan(x_other)) {
            fow_range theirs = fow_exposure_range(other, &out->levels, other_estimate);
            lo = fmin(lo, fmin(x_other, theirs.low));
            hi = fmax(hi, fmax(x_other, theirs.high));
            out->both_models += e;
        }
        su->exposure_band = (fow_range){lo, hi};
        su->displaced_band = (fow_range){e * lo * final, e * hi * final};
        out->exposed += e;
        weighted_exposure += e * x;
        out->mean_exposure_band.low += e * lo;
        out->mean_exposure_band.high += e * hi;
        double y = e * x; /* exposed jobs */
        exposed_jobs += y;
        jobs_low += e * lo;
        jobs_high += e * hi;
        /* the unit's retraining workers over the horizon, spread over its occupations */
        double retrain = y * final * p->retrain_share, share = final * p->retrain_share;
        uint32_t k = unit_occupations(est, obs->model, unit, 0, buf);
        if (!k) {
            out->without_moves += retrain;
            out->without_moves_band.low += e * lo * share;
            out->without_moves_band.high += e * hi * share;
            continue;
        }
        double gaps = 0; /* missing skills per worker of the unit */
        for (uint32_t i = 0; i < k; i++) {
            uint32_t o = buf[i];
            if (o >= profiles->n_occupations ||
                !spread(profiles, o, retrain / k, e * lo * share / k, e * hi * share / k, &acc)) {
                out->without_moves += retrain / k;
                out->without_moves_band.low += e * lo * share / k;
                out->without_moves_band.high += e * hi * share / k;
                continue;
            }
            origin_w[0][o] += retrain / k;
            origin_w[1][o] += e * lo * share / k;
            origin_w[2][o] += e * hi * share / k;
            uint32_t moves = profiles->n_moves[o], sum = 0;
            for (uint32_t r = 0; r < moves; r++) sum += profiles->moves[profiles->first[o] + r].n_gap;
            gaps += (double)sum / moves / k;
        }
        gap_skills += y * gaps;
        gaps_low += e * lo * gaps;
        gaps_high += e * hi * gaps;
    }
    out->mean_exposure = out->exposed > 0 ? weighted_exposure / out->exposed : NAN;
    out->mean_exposure_band.low = out->exposed > 0 ? out->mean_exposure_band.low / out->exposed : NAN;
    out->mean_exposure_band.high = out->exposed > 0 ? out->mean_exposure_band.high / out->exposed : NAN;
    double previous = 0, hours_per = p->retrain_share * p->hours_per_skill;
    for (int t = 1; t <= p->years; t++) {
        double a = fow_scenario_adoption(p, t), delta = a - previous;
        previous = a;
        fow_scenario_year *y = &out->years[out->n_years++];
        y->year = out->start_year + t;
        y->adoption = a;
        y->displaced = exposed_jobs * delta;
        y->cumulative = exposed_jobs * a;
        y->retraining = y->displaced * p->retrain_share;
        y->hours = gap_skills * delta * hours_per;
        y->budget = y->hours * p->cost_per_hour;
        y->displaced_band = (fow_range){jobs_low * delta, jobs_high * delta};
        y->cumulative_band = (fow_range){jobs_low * a, jobs_high * a};
        y->retraining_band = (fow_range){jobs_low * delta * p->retrain_share, jobs_high * delta * p->retrain_share};
        y->hours_band = (fow_range){gaps_low * delta * hours_per, gaps_high * delta * hours_per};
        y->budget_band = (fow_range){y->hours_band.low * p->cost_per_hour, y->hours_band.high * p->cost_per_hour};
        out->displaced += y->displaced;
        out->retraining += y->retraining;
        out->hours += y->hours;
        out->budget += y->budget;
        out->displaced_band.low += y->displaced_band.low;
        out->displaced_band.high += y->displaced_band.high;
        out->retraining_band.low += y->retraining_band.low;
        out->retraining_band.high += y->retraining_band.high;
        out->hours_band.low += y->hours_band.low;
        out->hours_band.high += y->hours_band.high;
        out->budget_band.low += y->budget_band.low;
        out->budget_band.high += y->budget_band.high;
    }
    qsort(out->units, out->n_units, sizeof *out->units, scenario_unit_cmp);
    /* placement: the retraining workers over the horizon, each destination taking in at most
     * capacity_share of its employment a year for the scenario's years; the figure and both ends
     * of its band placed apart */
    occupation_employment(est, obs, employment);
    double per_worker = p->capacity_share * p->years;
    double placed[3] = {0, 0, 0};
    for (int v = 0; v < 3 && n == profiles->n_occupations; v++) {
        for (uint32_t d = 0; d < n; d++) room[d] = employment[d] * per_worker;
        memset(slots, 0, (profiles->n_moves_total ? profiles->n_moves_total : 1) * sizeof *slots);
        allocate(profiles, origin_w[v], room, slots, left, demand, buf);
        for (uint32_t o = 0; o < n; o++)
            for (uint32_t r = 0; profiles->computed[o] && r < profiles->n_moves[o]; r++) {
                uint32_t slot = profiles->first[o] + r;
                placed_at[v][profiles->moves[slot].destination] += slots[slot];
                placed[v] += slots[slot];
            }
    }
    out->placed = placed[0];
    out->no_room = out->retraining - out->without_moves - placed[0];
    if (out->no_room < 0) out->no_room = 0; /* rounding */
    out->placed_band = (fow_range){fmin(placed[0], fmin(placed[1], placed[2])), fmax(placed[0], fmax(placed[1], placed[2]))};
    double no_room_low = out->retraining_band.low - out->without_moves_band.low - placed[1];
    double no_room_high = out->retraining_band.high - out->without_moves_band.high - placed[2];
    out->no_room_band = (fow_range){fmax(0, fmin(out->no_room, fmin(no_room_low, no_room_high))),
                                    fmax(out->no_room, fmax(no_room_low, no_room_high))};
    uint32_t n_dest = 0;
    for (uint32_t d = 0; d < n; d++) n_dest += acc.dest[d] > 0 || acc.dest_high[d] > 0;
    out->destinations = malloc((n_dest ? n_dest : 1) * sizeof *out->destinations);
    if (out->destinations) {
        for (uint32_t d = 0; d < n; d++) {
            if (!(acc.dest[d] > 0 || acc.dest_high[d] > 0)) continue;
            double c = placed_at[0][d], l = placed_at[1][d], h = placed_at[2][d];
            out->destinations[out->n_destinations++] = (fow_weighted){
                d, c, acc.dest_origins[d], fmin(c, fmin(l, h)), fmax(c, fmax(l, h)), acc.dest[d], employment[d] * per_worker};
        }
        qsort(out->destinations, out->n_destinations, sizeof *out->destinations, placed_cmp);
    }
    out->skills = collect(acc.skill, acc.skill_low, acc.skill_high, acc.skill_origins, m->n_skills, &out->n_skills);
    if (!out->destinations || !out->skills) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
done:
    free(buf);
    for (int v = 0; v < 3; v++) {
        free(origin_w[v]);
        free(placed_at[v]);
    }
    free(employment);
    free(room);
    free(left);
    free(demand);
    free(slots);
    acc_free(&acc);
    if (rc) fow_scenario_result_free(out);
    return rc;
}
