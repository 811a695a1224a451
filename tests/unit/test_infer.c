/* test_infer.c — probable skills (src/transitions/fow_infer.c) on the
 * hand-made taxonomy tests/fixtures/transitions-small (its table is in
 * test_transitions.c; indexes are file order).
 *
 * With the "simple" similarity (no IDF, no related skills, no reverse
 * part) the hydraulic mechanic (essential repair, drawings, tools; optional
 * weld) reaches: fitter .571429, lift .5, welder .5, supervisor .2,
 * forklift .2, and no other occupation. The skills it does not list, and
 * the neighbours listing them as essential:
 *   inspect   fitter, lift, welder
 *   plan      lift, supervisor
 *   maintain, budgets  supervisor;  trucks  forklift (essential);  vans  forklift
 * No occupation of the fixture is nested below another.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#include "transitions/fow_infer.h"
#include "transitions/fow_similarity.h"
#include "transitions/fow_transitions.h"
#include "taxonomy/fow_model.h"

enum { MECHANIC, LIFT, FITTER, WELDER, SUPERVISOR, PLANNER, FORKLIFT, DELIVERY, N_OCC };
enum { REPAIR, MAINTAIN, DRAWINGS, TOOLS, WELD, TRUCKS, INSPECT, PLC, PLAN, BUDGETS, CUSTOMERS, VANS, N_SKILL };

typedef struct infer_state {
    ts_db d;
    fow_db *ro;
    fow_model *m;
    fow_similarity_index *simple;
} infer_state;

static void simple_params(fow_similarity_params *p) {
    fow_similarity_params_default(p);
    p->idf = 0;
    p->optional_weight = 0.5f;
    p->origin_optional_credit = 0.5f;
    p->related_cooccurrence = 0;
    p->related_words = 0;
    p->reverse_weight = 0.0f;
    p->context_weight = 0.0f; /* the skill similarity alone: the hand computations below use it */
    p->isco_weight = 0.0f;
}

static int setup(void **state) {
    infer_state *s = calloc(1, sizeof *s);
    if (!s) return -1;
    *state = s;
    ts_db_fresh(&s->d);
    ts_import_bundle_fixture(s->d.db, "transitions-small", NULL);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_db_open(&s->ro, s->d.path, true, &err), &err);
    assert_fow_ok(fow_model_load(s->ro, &s->m, &err), &err);
    if (s->m->n_occupations != N_OCC || s->m->n_skills != N_SKILL) return -1;
    if (strcmp(s->m->skills[INSPECT].label, "inspect safety equipment") != 0) return -1;
    fow_similarity_params p;
    simple_params(&p);
    assert_fow_ok(fow_similarity_index_build(s->m, &p, &s->simple, &err), &err);
    return 0;
}

static int teardown(void **state) {
    infer_state *s = *state;
    if (!s) return 0;
    fow_similarity_index_free(s->simple);
    fow_model_free(s->m);
    fow_db_close(s->ro);
    ts_db_free(&s->d);
    free(s);
    return 0;
}

/* The three nearest (fitter, lift, welder) all list inspect: share 1;
 * plan only lift: .5 / 1.571429 = .318182; nothing else. */
static void test_three_neighbours_by_hand(void **state) {
    infer_state *s = *state;
    fow_similarity_workspace *ws = fow_similarity_workspace_new(s->simple);
    assert_non_null(ws);
    fow_infer_params p;
    fow_infer_params_default(&p);
    p.neighbours = 3, p.related_weight = 0.0f, p.min_score = 0.0f, p.hierarchy_weight = 0.0f;
    fow_probable_skill out[FOW_INFER_MAX];
    uint32_t n = 99;
    fow_error err;
    assert_fow_ok(fow_infer_occupation(ws, &p, MECHANIC, out, FOW_INFER_MAX, &n, &err), &err);
    assert_int_equal(n, 2);
    assert_int_equal(out[0].skill, INSPECT);
    assert_float_equal(out[0].score, 1.0f, 1e-5f);
    assert_int_equal(out[0].neighbours_listing, 3);
    assert_int_equal(out[0].example, FITTER); /* the most similar that lists it */
    assert_int_equal(out[1].skill, PLAN);
    assert_float_equal(out[1].score, 0.5f / (4.0f / 7.0f + 1.0f), 1e-5f);
    assert_int_equal(out[1].example, LIFT);
    /* the threshold keeps only inspect; limit cuts the list */
    p.min_score = 0.4f;
    assert_fow_ok(fow_infer_occupation(ws, &p, MECHANIC, out, FOW_INFER_MAX, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].skill, INSPECT);
    p.min_score = 0.0f, p.limit = 1;
    assert_fow_ok(fow_infer_occupation(ws, &p, MECHANIC, out, FOW_INFER_MAX, &n, &err), &err);
    assert_int_equal(n, 1);
    /* listed skills (essential or optional) are never probable */
    p.limit = FOW_INFER_MAX, p.neighbours = 8;
    assert_fow_ok(fow_infer_occupation(ws, &p, MECHANIC, out, FOW_INFER_MAX, &n, &err), &err);
    for (uint32_t i = 0; i < n; i++) {
        assert_true(out[i].skill != REPAIR && out[i].skill != DRAWINGS && out[i].skill != TOOLS);
        assert_true(out[i].skill != WELD);
        assert_true(out[i].score >= 0.0f && out[i].score <= 1.0f);
        if (i) assert_true(out[i].score <= out[i - 1].score);
    }
    fow_similarity_workspace_free(ws);
}

/* Relatedness alone: with related skills by co-occurrence, a skill that
 * always goes with one the occupation lists is found without neighbours'
 * votes weighing anything. */
static void test_related_only(void **state) {
    infer_state *s = *state;
    fow_similarity_params sp;
    simple_params(&sp);
    sp.related_cooccurrence = 1;
    sp.related_min = 0.5f;
    fow_similarity_index *x;
    fow_error err;
    assert_fow_ok(fow_similarity_index_build(s->m, &sp, &x, &err), &err);
    fow_similarity_workspace *ws = fow_similarity_workspace_new(x);
    assert_non_null(ws);
    fow_infer_params p;
    fow_infer_params_default(&p);
    p.related_weight = 1.0f, p.min_score = 0.0f;
    fow_probable_skill out[FOW_INFER_MAX];
    uint32_t n = 0;
    assert_fow_ok(fow_infer_occupation(ws, &p, MECHANIC, out, FOW_INFER_MAX, &n, &err), &err);
    assert_true(n >= 1);
    for (uint32_t i = 0; i < n; i++) {
        assert_true(out[i].relatedness > 0.0f);
        assert_float_equal(out[i].score, out[i].relatedness, 1e-6f);
        assert_true(out[i].via == REPAIR || out[i].via == DRAWINGS || out[i].via == TOOLS || out[i].via == WELD);
    }
    fow_similarity_workspace_free(ws);
    fow_similarity_index_free(x);
}

/* A gap from the mechanic to the lift technician lacks inspect and plan;
 * with the defaults (8 neighbours: all 5 that are reached, total weight
 * 1.971429) inspect scores .85 * 1.571429 / 1.971429 = .6775 (probable:
 * probably held, not to learn), plan .85 * .7 / 1.971429 = .3018 (to
 * learn). The transition's essential_missing is the gap's to-learn count;
 * with viable_probable 0 both count inspect as to learn again. */
static void test_gap_marks_probable(void **state) {
    infer_state *s = *state;
    fow_similarity_workspace *ws = fow_similarity_workspace_new(s->simple);
    assert_non_null(ws);
    fow_similarity_origin_occupation(ws, MECHANIC);
    fow_gap g;
    fow_error err;
    assert_fow_ok(fow_gap_compute(ws, LIFT, &g, &err), &err);
    assert_int_equal(g.n_missing, 1);
    assert_int_equal(g.missing[0].skill, PLAN);
    assert_false(g.missing[0].probably_held);
    assert_int_equal(g.missing[0].status, FOW_SKILL_TO_LEARN);
    assert_float_equal(g.missing[0].probability, 0.0f, 0.0f);
    assert_int_equal(g.n_probably_held, 1);
    assert_int_equal(g.probable[0].skill, INSPECT);
    assert_true(g.probable[0].probably_held);
    assert_int_equal(g.probable[0].status, FOW_SKILL_PROBABLE);
    assert_float_equal(g.probable[0].probability, 0.85f * (1.0f + 4.0f / 7.0f) / (1.4f + 4.0f / 7.0f), 1e-4f);
    assert_int_equal(fow_essential_skill_status(ws, INSPECT), FOW_SKILL_PROBABLE);
    /* the transition's count agrees: essential skills of lift to learn */
    fow_transition_query q;
    fow_transition_query_default(s->simple, &q);
    q.min_similarity = 0.0f, q.limit = 10, q.viable_only = 0;
    fow_transition t[10];
    uint32_t n = 0;
    fow_transitions_from_occupation(ws, MECHANIC, &q, t, 10, &n, NULL);
    int seen = 0;
    for (uint32_t i = 0; i < n; i++)
        if (t[i].destination == LIFT) {
            assert_int_equal(t[i].essential_missing, g.n_missing);
            assert_int_equal(t[i].essential_missing, 1);
            seen = 1;
        }
    assert_true(seen);
    fow_gap_free(&g);
    fow_similarity_workspace_free(ws);
    /* the probable skills not counted: inspect is to learn again, in both */
    fow_similarity_params sp;
    simple_params(&sp);
    sp.viable_probable = 0;
    fow_similarity_index *x;
    assert_fow_ok(fow_similarity_index_build(s->m, &sp, &x, &err), &err);
    ws = fow_similarity_workspace_new(x);
    assert_non_null(ws);
    fow_similarity_origin_occupation(ws, MECHANIC);
    assert_fow_ok(fow_gap_compute(ws, LIFT, &g, &err), &err);
    assert_int_equal(g.n_missing, 2);
    assert_int_equal(g.n_probably_held, 0);
    uint32_t total, missing;
    fow_essential_counts(ws, LIFT, &total, &missing);
    assert_int_equal(missing, 2);
    fow_gap_free(&g);
    fow_similarity_workspace_free(ws);
    fow_similarity_index_free(x);
}

/* Hiding essential skills and inferring them back: the holdout model has
 * exactly the hidden links removed, in both directions, and the inference
 * on it puts some of them back. */
static void test_holdout_recovers_hidden(void **state) {
    infer_state *s = *state;
    fow_infer_holdout *h;
    fow_error err;
    assert_fow_ok(fow_infer_holdout_build(s->m, 0.34, 3, 7, &h, &err), &err);
    /* occupations with >= 3 essential: mechanic, lift, fitter, welder, supervisor: one hidden each */
    assert_int_equal(h->n_queries, 5);
    assert_int_equal(h->n_hidden, 5);
    assert_int_equal(h->model.n_links, s->m->n_links - 5);
    uint32_t back = 0;
    for (uint32_t o = 0; o < N_OCC; o++) {
        for (uint32_t i = h->hidden_offsets[o]; i < h->hidden_offsets[o + 1]; i++) {
            uint32_t hidden = h->hidden[i];
            for (uint32_t a = h->model.occ_offsets[o]; a < h->model.occ_offsets[o + 1]; a++)
                assert_int_not_equal(h->model.occ_links[a].index, hidden);
            for (uint32_t a = h->model.skill_offsets[hidden]; a < h->model.skill_offsets[hidden + 1]; a++)
                assert_int_not_equal(h->model.skill_links[a].index, o);
        }
    }
    for (uint32_t j = 0; j < N_SKILL; j++) back += h->model.skill_offsets[j + 1] - h->model.skill_offsets[j];
    assert_int_equal(back, h->model.n_links);
    /* the same seed draws the same skills */
    fow_infer_holdout *again;
    assert_fow_ok(fow_infer_holdout_build(s->m, 0.34, 3, 7, &again, &err), &err);
    assert_memory_equal(again->hidden, h->hidden, h->n_hidden * sizeof *h->hidden);
    fow_infer_holdout_free(again);

    fow_similarity_params sp;
    simple_params(&sp);
    fow_similarity_index *x;
    assert_fow_ok(fow_similarity_index_build(&h->model, &sp, &x, &err), &err);
    fow_similarity_workspace *ws = fow_similarity_workspace_new(x);
    assert_non_null(ws);
    fow_infer_params p;
    fow_infer_params_default(&p);
    p.min_score = 0.0f, p.limit = 3;
    uint32_t found = 0;
    for (uint32_t o = 0; o < N_OCC; o++) {
        fow_probable_skill out[FOW_INFER_MAX];
        uint32_t n = 0;
        assert_fow_ok(fow_infer_occupation(ws, &p, o, out, FOW_INFER_MAX, &n, &err), &err);
        for (uint32_t i = 0; i < n; i++)
            for (uint32_t k = h->hidden_offsets[o]; k < h->hidden_offsets[o + 1]; k++) found += out[i].skill == h->hidden[k];
    }
    printf("# hidden skills recovered in the top 3: %u of %u\n", found, h->n_hidden);
    assert_true(found >= 2);
    fow_similarity_workspace_free(ws);
    fow_similarity_index_free(x);
    fow_infer_holdout_free(h);
}

/* Whether each occupation is a viable move (similarity at least min and
 * the essential skills rule) from the origin last set in ws. */
static void viable_row(const fow_similarity_index *index, fow_similarity_workspace *ws, float min, int *out) {
    const float *scores = fow_similarity_scores(ws);
    for (uint32_t d = 0; d < N_OCC; d++) {
        uint32_t total, missing;
        fow_essential_counts(ws, d, &total, &missing);
        out[d] = scores[d] >= min && fow_transition_viable(index, scores[d], total, missing);
    }
}

/* Upskilling a worker known by skills: each option's count of new moves is
 * what adding the skill to the person's skills does to the similarity row;
 * the occupation judged against is never a destination; without it nothing
 * is safe. */
static void test_upskill_skills(void **state) {
    infer_state *s = *state;
    fow_similarity_workspace *ws = fow_similarity_workspace_new(s->simple);
    assert_non_null(ws);
    const uint32_t skills[] = {REPAIR, DRAWINGS, TOOLS};
    fow_transition_query q;
    fow_transition_query_default(s->simple, &q);
    q.limit = 20;
    fow_upskill_result r;
    fow_error err;
    assert_fow_ok(fow_upskill_skills(ws, skills, 3, MECHANIC, &q, 100, &r, &err), &err);
    assert_int_equal(r.origins, 1);
    assert_true(r.n_options >= 1);
    /* the oracle: viable as the engine defines it (similarity and the
     * essential skills rule), from the scores of each skill set */
    int base[N_OCC];
    fow_similarity_origin_skills(ws, skills, 3);
    viable_row(s->simple, ws, q.min_similarity, base);
    uint32_t current = 0;
    for (uint32_t d = 0; d < N_OCC; d++) current += d != MECHANIC && base[d];
    assert_int_equal(r.current, current);
    for (uint32_t i = 0; i < r.n_options; i++) {
        const fow_upskill_option *o = &r.options[i];
        assert_true(o->skill != REPAIR && o->skill != DRAWINGS && o->skill != TOOLS);
        assert_int_not_equal(o->example, MECHANIC);
        const uint32_t plus[] = {REPAIR, DRAWINGS, TOOLS, o->skill};
        fow_similarity_origin_skills(ws, plus, 4);
        int after[N_OCC];
        viable_row(s->simple, ws, q.min_similarity, after);
        uint32_t gained = 0;
        for (uint32_t d = 0; d < N_OCC; d++) gained += d != MECHANIC && !base[d] && after[d];
        assert_int_equal(o->new_transitions, gained);
        if (i) assert_true(o->new_transitions <= r.options[i - 1].new_transitions);
    }
    fow_upskill_result_free(&r);
    /* safe and desirable moves need an occupation to judge against */
    q.safe = 1, q.desirable = 1;
    assert_fow_ok(fow_upskill_skills(ws, skills, 3, FOW_NO_INDEX, &q, 100, &r, &err), &err);
    assert_int_equal(r.n_options, 0);
    assert_int_equal(r.current, 0);
    fow_upskill_result_free(&r);
    assert_int_equal(fow_upskill_skills(ws, skills, 3, MECHANIC, &q, 0, &r, &err), FOW_EINPUT);
    assert_string_equal(err.field, "candidates");
    fow_similarity_workspace_free(ws);
}

static void test_bad_params(void **state) {
    infer_state *s = *state;
    fow_similarity_workspace *ws = fow_similarity_workspace_new(s->simple);
    assert_non_null(ws);
    fow_infer_params p;
    fow_probable_skill out[FOW_INFER_MAX];
    uint32_t n = 7;
    fow_error err;
    fow_infer_params_default(&p);
    p.neighbours = 0;
    assert_int_equal(fow_infer_occupation(ws, &p, MECHANIC, out, FOW_INFER_MAX, &n, &err), FOW_EINPUT);
    assert_string_equal(err.field, "neighbours");
    assert_int_equal(n, 0);
    fow_infer_params_default(&p);
    p.limit = FOW_INFER_MAX + 1;
    assert_int_equal(fow_infer_occupation(ws, &p, MECHANIC, out, FOW_INFER_MAX, &n, &err), FOW_EINPUT);
    assert_string_equal(err.field, "limit");
    fow_infer_params_default(&p);
    p.min_score = NAN;
    assert_int_equal(fow_infer_params_check(&p, &err), FOW_EINPUT);
    assert_string_equal(err.field, "min_score");
    fow_infer_holdout *h = NULL;
    assert_int_equal(fow_infer_holdout_build(s->m, 1.0, 3, 1, &h, &err), FOW_EINPUT);
    assert_null(h);
    assert_int_equal(fow_infer_holdout_build(s->m, 0.2, 1, 1, &h, &err), FOW_EINPUT);
    fow_similarity_workspace_free(ws);
}

static int probable_in_index(const fow_similarity_index *x, uint32_t occupation, uint32_t skill) {
    for (uint32_t k = x->probable_offsets[occupation]; k < x->probable_offsets[occupation + 1]; k++)
        if (x->probable[k].skill == skill) return 1;
    return 0;
}

/* fow_infer_index_build_with: the defaults give the index's own probable
 * skills back, entry for entry; a lower min_score adds plan to the
 * mechanic's (lift and supervisor list it: share .318 of the neighbours);
 * bad parameters leave the index as it was. */
static void test_index_rebuild(void **state) {
    infer_state *s = *state;
    fow_similarity_params sp;
    simple_params(&sp);
    fow_similarity_index *x;
    fow_error err;
    assert_fow_ok(fow_similarity_index_build(s->m, &sp, &x, &err), &err);
    uint32_t n = x->probable_offsets[N_OCC];
    fow_probable_entry *before = malloc((n + 1) * sizeof *before);
    assert_non_null(before);
    memcpy(before, x->probable, n * sizeof *before);
    assert_true(probable_in_index(x, MECHANIC, INSPECT));
    assert_false(probable_in_index(x, MECHANIC, PLAN));

    assert_fow_ok(fow_infer_index_build_with(x, NULL, &err), &err);
    assert_int_equal(x->probable_offsets[N_OCC], n);
    assert_memory_equal(x->probable, before, n * sizeof *before);

    fow_infer_params p;
    fow_infer_params_default(&p);
    p.min_score = 0.2f;
    assert_fow_ok(fow_infer_index_build_with(x, &p, &err), &err);
    assert_true(probable_in_index(x, MECHANIC, INSPECT));
    assert_true(probable_in_index(x, MECHANIC, PLAN));
    assert_true(x->probable_offsets[N_OCC] > n);

    const fow_probable_entry *kept = x->probable;
    p.min_score = NAN;
    assert_int_equal(fow_infer_index_build_with(x, &p, &err), FOW_EINPUT);
    assert_string_equal(err.field, "min_score");
    assert_ptr_equal(x->probable, kept);
    free(before);
    fow_similarity_index_free(x);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_neighbours_by_hand),
        cmocka_unit_test(test_related_only),
        cmocka_unit_test(test_gap_marks_probable),
        cmocka_unit_test(test_holdout_recovers_hidden),
        cmocka_unit_test(test_upskill_skills),
        cmocka_unit_test(test_bad_params),
        cmocka_unit_test(test_index_rebuild),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
