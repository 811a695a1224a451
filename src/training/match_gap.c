/* match_gap.c — a move's gap as the skills a match needs (fow_match.h,
 * fow_match_plan_compute). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "training/fow_cohort.h"
#include "training/fow_match.h"

#define OOM(err) fow_error_set(err, FOW_ENOMEM, "out of memory")

void fow_match_plan_free(fow_match_plan *plan) {
    if (!plan) return;
    fow_gap_free(&plan->gap);
    free(plan->needs);
    fow_match_result_free(&plan->result);
    plan->needs = NULL;
    plan->n_needs = 0;
}

fow_code fow_match_plan_compute(fow_similarity_workspace *ws, const fow_match_index *x, uint32_t origin,
                                const uint32_t *skills, uint32_t n_skills, uint32_t judge_as, uint32_t destination,
                                int with_optional, const fow_match_params *p, fow_match_plan *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    const fow_model *m = ws->index->model;
    out->origin = origin;
    out->judged_as = origin != FOW_NO_INDEX ? origin : judge_as;
    out->destination = destination;
    out->with_optional = with_optional;
    if (origin != FOW_NO_INDEX) {
        fow_similarity_origin_occupation(ws, origin);
    } else {
        fow_similarity_origin_skills(ws, skills, n_skills);
        if (judge_as != FOW_NO_INDEX) fow_similarity_origin_context(ws, judge_as);
    }
    /* the gap's missing list is what is to learn: probably held skills are apart */
    fow_code rc = fow_gap_compute(ws, destination, &out->gap, err);
    if (rc) return rc;
    fow_transition_assess(ws, out->judged_as, destination, out->gap.similarity, FOW_RISK_MODEL_MCC,
                          FOW_SAFE_RULE_MARGIN, &out->move);
    uint32_t n_dest = m->occ_offsets[destination + 1] - m->occ_offsets[destination];
    out->needs = malloc((n_dest + 1) * sizeof *out->needs);
    uint32_t n_origin = origin != FOW_NO_INDEX ? m->occ_offsets[origin + 1] - m->occ_offsets[origin] : n_skills;
    int64_t *held = malloc((n_origin + 1) * sizeof *held);
    if (!out->needs || !held) {
        free(held);
        return OOM(err);
    }
    for (uint32_t i = 0; i < out->gap.n_missing; i++) {
        const fow_gap_skill *g = &out->gap.missing[i];
        const fow_model_skill *s = &m->skills[g->skill];
        out->needs[out->n_needs++] = (fow_match_need){s->id, s->label, s->uri, 1, g->skill};
    }
    if (with_optional) {
        /* the destination's optional skills the origin covers not at all:
         * neither held nor in the gap's transfers */
        for (uint32_t a = m->occ_offsets[destination]; a < m->occ_offsets[destination + 1]; a++) {
            const fow_model_link *l = &m->occ_links[a];
            if (l->essential || ws->held[l->index] || ws->cover[l->index] > 0.0f) continue;
            const fow_model_skill *s = &m->skills[l->index];
            out->needs[out->n_needs++] = (fow_match_need){s->id, s->label, s->uri, 0, l->index};
        }
    }
    if (origin != FOW_NO_INDEX)
        for (uint32_t a = m->occ_offsets[origin]; a < m->occ_offsets[origin + 1]; a++)
            held[out->n_held++] = m->skills[m->occ_links[a].index].id;
    else
        for (uint32_t i = 0; i < n_skills; i++) held[out->n_held++] = m->skills[skills[i]].id;
    rc = fow_match_solve(x, out->needs, out->n_needs, held, out->n_held, p, &out->result, err);
    free(held);
    return rc;
}

/* ---- cohorts ------------------------------------------------------------------ */

static bool is_date(const char *s) {
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

static fow_code bad_date(const char *date, fow_error *err) {
    return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "starts_after",
                            "starts_after must be a date written YYYY-MM-DD, not '%.40s'", date ? date : "");
}

fow_code fow_match_cohort_flags(fow_db *db, const fow_training_catalogue *c, const char *date, uint8_t **out,
                                fow_error *err) {
    *out = NULL;
    if (!is_date(date)) return bad_date(date, err);
    fow_cohort *list = NULL;
    size_t n = 0;
    fow_code rc = fow_cohorts_list(db, NULL, &list, &n, err);
    if (rc) return rc;
    uint8_t *flags = calloc(c->n_modules + 1, 1);
    if (!flags) {
        free(list);
        return OOM(err);
    }
    for (size_t i = 0; i < n; i++) {
        if (list[i].status != FOW_COHORT_OPEN || strcmp(list[i].starts_on, date) < 0) continue;
        for (size_t m = 0; m < c->n_modules; m++)
            if (strcmp(c->modules[m].code, list[i].module) == 0) flags[m] = 1;
    }
    free(list);
    *out = flags;
    return FOW_OK;
}

fow_code fow_match_starts(fow_db *db, const fow_training_catalogue *c, const fow_match_result *r, const char *date,
                          fow_match_start *starts, fow_error *err) {
    if (!is_date(date)) return bad_date(date, err);
    fow_cohort *next = malloc(sizeof *next);
    if (!next) return OOM(err);
    fow_code rc = FOW_OK;
    for (size_t i = 0; i < r->n_chosen && !rc; i++) {
        bool found = false;
        memset(&starts[i], 0, sizeof starts[i]);
        rc = fow_cohort_next_open(db, c->modules[r->chosen[i].module].code, date, next, &found, err);
        if (rc || !found) continue;
        starts[i].found = 1;
        snprintf(starts[i].next_start, sizeof starts[i].next_start, "%s", next->starts_on);
        starts[i].seats_left = next->seats_left;
        starts[i].cohort_id = next->id;
    }
    free(next);
    return rc;
}

void fow_match_today(char buf[11]) {
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    if (strftime(buf, 11, "%Y-%m-%d", &tm) != 10) snprintf(buf, 11, "1970-01-01");
}
