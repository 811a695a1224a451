/* match_gap.c — a move's gap as the skills a match needs (fow_match.h,
 * fow_match_plan_compute). */
#include <stdlib.h>
#include <string.h>

#include "training/fow_match.h"
#include "transitions/fow_infer.h"

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
    fow_code rc = fow_gap_compute(ws, destination, &out->gap, err);
    if (!rc && origin != FOW_NO_INDEX) rc = fow_infer_mark_gap(ws, NULL, origin, &out->gap, err);
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
        if (g->probably_held) continue;
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
