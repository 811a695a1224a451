/* test_transitions.c — the similarity engine, transitions, skill gaps,
 * upskilling, ISCO groups and name resolution (src/transitions/) on the
 * hand-made taxonomy tests/fixtures/transitions-small, small enough that
 * every expected value is worked out by hand in the comment next to it.
 *
 * The fixture (model index = file order, checked by test_fixture_shape):
 *
 *   occupation     ISCO  essential skills                   optional       MCC risk/prev/category  F&O   zone  earnings
 *   0 mechanic     7233  repair, drawings, tools            weld           3.5 / 0.30 / Other      0.50  2     30000
 *   1 lift         7412  repair, drawings, inspect, plan    -              2.5 / 0.50 / Low risk   0.30  3     33000
 *   2 fitter       7233  drawings, tools, inspect           trucks         3.0 / 0.20 / Other      0.70  2     22500
 *   3 welder       7212  tools, weld, inspect               -              4.0 / 0.10 / High risk  0.80  2     28000
 *   4 supervisor   3122  maintain, drawings, plan, budgets  plc, customers 2.0 / 0.60 / Low risk   0.10  4     -
 *   5 planner      4322  plan, budgets                      -              - / - / -               -     3     32000
 *   6 forklift     8344  trucks, vans                       tools          3.2 / 0.30 / Other      0.69  -     -
 *   7 delivery     8322  vans, customers                    trucks         3.8 / 0.15 / -          0.45  1     21000
 *
 * '-' is unknown: planner has no risk rows, forklift no attributes row,
 * supervisor an empty earnings cell, delivery an empty risk_category.
 *
 * Skills 0..11: repair ("repair hydraulic systems"), maintain ("maintain
 * the hydraulic system"), drawings, tools, weld, trucks, inspect, plc, plan,
 * budgets, customers, vans. No other two labels share a word.
 * n_s, the occupations requiring s: repair 2, maintain 1, drawings 4,
 * tools 4, weld 2, trucks 3, inspect 3, plc 1, plan 3, budgets 2,
 * customers 2, vans 2 (29 links).
 *
 * Most tests use the "simple" parameters (simple_params): idf off (every
 * skill weighs 1), optional_weight 0.5, origin_optional_credit 0.5, no
 * related skills, no reverse part, viable 0.58, highly_viable 0.75. Then
 *   sim(o -> d) = sum over d's skills of k(s, d) * cover_o(s) / W(d),
 * k = 1 essential / 0.5 optional, cover_o = 1 for o's essential skills and
 * 0.5 for o's optional ones, and W(d) = essentials + 0.5 * optionals:
 *   mechanic 3.5, lift 4, fitter 3.5, welder 3, supervisor 5, planner 2,
 *   forklift 2.5, delivery 2.5.
 * The whole matrix (row = origin; pairs not listed are 0):
 *   mechanic   -> lift 2/4 = .5, fitter 2/3.5 = .571429, welder (1 + .5)/3 = .5,
 *                 supervisor 1/5 = .2, forklift tools .5*1/2.5 = .2, planner 0, delivery 0
 *   lift       -> mechanic 2/3.5, fitter 2/3.5, welder 1/3, supervisor 2/5, planner 1/2
 *   fitter     -> mechanic 2/3.5, lift 2/4, welder 2/3, supervisor 1/5,
 *                 forklift (trucks 1*.5 + tools .5*1)/2.5 = .4, delivery trucks .5*.5/2.5 = .1
 *   welder     -> mechanic (1 + .5*1)/3.5 = .428571, lift 1/4, fitter 2/3.5, forklift .5/2.5 = .2
 *   supervisor -> mechanic 1/3.5, lift 2/4, fitter 1/3.5, planner 2/2 = 1,
 *                 delivery customers 1*.5/2.5 = .2
 *   planner    -> lift 1/4, supervisor 2/5 = .4
 *   forklift   -> mechanic tools 1*.5/3.5 = .142857, fitter (.5 + .5)/3.5 = .285714,
 *                 welder .5/3 = .166667, delivery (1 + .5*1)/2.5 = .6
 *   delivery   -> fitter .5*.5/3.5 = .071429, supervisor .5/5 = .1, forklift (1 + 1*.5)/2.5 = .6
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#include "transitions/fow_resolve.h"
#include "transitions/fow_similarity.h"
#include "transitions/fow_transitions.h"
#include "taxonomy/fow_model.h"

#define EPS 1e-5f
/* assert_float_equal of cmocka 1.1.5 casts its arguments unparenthesised */
#define assert_sim(actual, expected) assert_float_equal((actual), (expected), EPS)

#define TR_OCC "urn:test:tr:occupation:"
#define TR_SKILL "urn:test:tr:skill:"

enum { MECHANIC, LIFT, FITTER, WELDER, SUPERVISOR, PLANNER, FORKLIFT, DELIVERY, N_OCC };
enum { REPAIR, MAINTAIN, DRAWINGS, TOOLS, WELD, TRUCKS, INSPECT, PLC, PLAN, BUDGETS, CUSTOMERS, VANS, N_SKILL };

static const char *const occupation_slugs[N_OCC] = {
    "hydraulic-mechanic",     "lift-technician",     "plant-fitter",    "welder",
    "maintenance-supervisor", "maintenance-planner", "forklift-driver", "delivery-driver"};

static const char *const skill_labels[N_SKILL] = {
    "repair hydraulic systems",   "maintain the hydraulic system", "read technical drawings",
    "use hand tools",             "weld metal parts",           "operate forklift trucks",
    "inspect safety equipment",   "programme logic controllers", "plan maintenance schedules",
    "manage budgets",             "serve customers",            "drive delivery vans"};

typedef struct tr_state {
    ts_db d;
    fow_db *ro;
    fow_model *m;
    fow_similarity_index *simple;   /* simple_params */
    fow_similarity_index *idf;      /* simple, idf on */
    fow_similarity_index *reverse;  /* simple, reverse_weight 0.4 */
    fow_similarity_index *words;    /* simple, related by label words (related_min 0.4) */
    fow_similarity_index *cooc;     /* simple, related by co-occurrence (related_min 0.5) */
    fow_similarity_index *defaults; /* fow's calibrated defaults */
} tr_state;

static void simple_params(fow_similarity_params *p) {
    p->idf = 0;
    p->optional_weight = 0.5f;
    p->origin_optional_credit = 0.5f;
    p->related_credit = 0.5f;
    p->related_cooccurrence = 0;
    p->related_words = 0;
    p->related_max = 4;
    p->related_min = 0.4f;
    p->reverse_weight = 0.0f;
    p->context_weight = 0.0f; /* the skill similarity alone: the combination has its own tests */
    p->isco_weight = 0.0f;
    p->context_scale = 0.5f;
    p->viable = 0.58f;
    p->highly_viable = 0.75f;
    p->viable_missing_share = 1.0f; /* no essential skills rule: it has its own tests */
    p->viable_probable = 0; /* held means listed: probable skills have their own tests (test_infer) */
    p->viable_related_min = 0.0f;
    p->viable_hierarchy = 0;
}

static fow_similarity_index *build_index(const fow_model *m, const fow_similarity_params *p) {
    fow_similarity_index *x = NULL;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_similarity_index_build(m, p, &x, &err), &err);
    assert_non_null(x);
    return x;
}

static int setup(void **state) {
    tr_state *s = calloc(1, sizeof *s);
    if (!s) return -1;
    *state = s; /* teardown frees whatever was made, also after a failure */
    ts_db_fresh(&s->d);
    fow_db *db = s->d.db;
    ts_import_bundle_fixture(db, "transitions-small", NULL);
    ts_import_fixture_file(db, "risk", "transitions-small/risk-mcc.csv", "mcc", NULL);
    ts_import_fixture_file(db, "risk", "transitions-small/risk-frey-osborne.csv", "frey-osborne", NULL);
    ts_import_fixture_file(db, "attributes", "transitions-small/attributes.csv", NULL, NULL);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_db_open(&s->ro, s->d.path, true, &err), &err);
    assert_fow_ok(fow_model_load(s->ro, &s->m, &err), &err);
    /* every test names occupations and skills by their file position */
    if (s->m->n_occupations != N_OCC || s->m->n_skills != N_SKILL) {
        fprintf(stderr, "transitions-small: %u occupations, %u skills\n", s->m->n_occupations, s->m->n_skills);
        return -1;
    }
    for (uint32_t o = 0; o < N_OCC; o++) {
        char uri[200];
        snprintf(uri, sizeof uri, TR_OCC "%s", occupation_slugs[o]);
        if (strcmp(s->m->occupations[o].uri, uri) != 0) {
            fprintf(stderr, "occupation %u is %s, expected %s\n", o, s->m->occupations[o].uri, uri);
            return -1;
        }
    }
    for (uint32_t k = 0; k < N_SKILL; k++)
        if (strcmp(s->m->skills[k].label, skill_labels[k]) != 0) {
            fprintf(stderr, "skill %u is '%s', expected '%s'\n", k, s->m->skills[k].label, skill_labels[k]);
            return -1;
        }
    fow_similarity_params p;
    simple_params(&p);
    s->simple = build_index(s->m, &p);
    p.idf = 1;
    s->idf = build_index(s->m, &p);
    simple_params(&p);
    p.reverse_weight = 0.4f;
    s->reverse = build_index(s->m, &p);
    simple_params(&p);
    p.related_words = 1;
    s->words = build_index(s->m, &p);
    simple_params(&p);
    p.related_cooccurrence = 1;
    p.related_min = 0.5f;
    s->cooc = build_index(s->m, &p);
    s->defaults = build_index(s->m, NULL);
    return 0;
}

static int teardown(void **state) {
    tr_state *s = *state;
    if (!s) return 0;
    fow_similarity_index_free(s->simple);
    fow_similarity_index_free(s->idf);
    fow_similarity_index_free(s->reverse);
    fow_similarity_index_free(s->words);
    fow_similarity_index_free(s->cooc);
    fow_similarity_index_free(s->defaults);
    fow_model_free(s->m);
    fow_db_close(s->ro);
    ts_db_free(&s->d);
    free(s);
    return 0;
}

/* ---- helpers -------------------------------------------------------------- */

static fow_similarity_workspace *new_workspace(const fow_similarity_index *x) {
    fow_similarity_workspace *ws = fow_similarity_workspace_new(x);
    assert_non_null(ws);
    return ws;
}

/* sim(origin -> destination) under x, read both ways (all scores and the
 * single score), which must agree. */
static float sim(const fow_similarity_index *x, uint32_t origin, uint32_t destination) {
    fow_similarity_workspace *ws = new_workspace(x);
    fow_similarity_origin_occupation(ws, origin);
    float one = fow_similarity_to(ws, destination);
    float all = fow_similarity_scores(ws)[destination];
    fow_similarity_workspace_free(ws);
    assert_float_equal(one, all, 1e-6f);
    return all;
}

/* The same for a person holding n skills. */
static float person_sim(const fow_similarity_index *x, const uint32_t *skills, uint32_t n, uint32_t destination) {
    fow_similarity_workspace *ws = new_workspace(x);
    fow_similarity_origin_skills(ws, skills, n);
    float one = fow_similarity_to(ws, destination);
    float all = fow_similarity_scores(ws)[destination];
    fow_similarity_workspace_free(ws);
    assert_float_equal(one, all, 1e-6f);
    return all;
}

/* The same for occupation origin after learning one more skill. */
static float sim_plus(const fow_similarity_index *x, uint32_t origin, uint32_t skill, uint32_t destination) {
    fow_similarity_workspace *ws = new_workspace(x);
    fow_similarity_origin_occupation_plus(ws, origin, &skill, 1);
    float one = fow_similarity_to(ws, destination);
    float all = fow_similarity_scores(ws)[destination];
    fow_similarity_workspace_free(ws);
    assert_float_equal(one, all, 1e-6f);
    return all;
}

static fow_transition assess(const fow_similarity_index *x, uint32_t origin, uint32_t destination,
                             fow_risk_model model) {
    fow_transition t;
    fow_similarity_workspace *ws = new_workspace(x);
    if (origin != FOW_NO_INDEX) fow_similarity_origin_occupation(ws, origin);
    fow_transition_assess(ws, origin, destination, 0.5f, model, FOW_SAFE_RULE_LOWER, &t);
    fow_similarity_workspace_free(ws);
    assert_int_equal(t.destination, destination);
    return t;
}

/* Asserts the desirability, safety and strict safety of one move. */
static void assert_judged(const fow_similarity_index *x, uint32_t origin, uint32_t destination, fow_risk_model model,
                          fow_tristate desirable, fow_tristate safe, fow_tristate safe_strict) {
    fow_transition t = assess(x, origin, destination, model);
    if (t.desirable != desirable || t.safe != safe || t.safe_strict != safe_strict)
        fail_msg("%u -> %u (%s): expected desirable/safe/strict %s/%s/%s, got %s/%s/%s", origin, destination,
                 fow_risk_model_name(model), fow_tristate_name(desirable), fow_tristate_name(safe),
                 fow_tristate_name(safe_strict), fow_tristate_name((fow_tristate)t.desirable),
                 fow_tristate_name((fow_tristate)t.safe), fow_tristate_name((fow_tristate)t.safe_strict));
}

static fow_transition_query query(const fow_similarity_index *x, int safe, int desirable, float min_similarity) {
    fow_transition_query q;
    fow_transition_query_default(x, &q);
    q.safe = safe;
    q.desirable = desirable;
    q.min_similarity = min_similarity;
    q.viable_only = min_similarity >= x->params.viable; /* as the front ends read a lower floor */
    q.safe_rule = FOW_SAFE_RULE_LOWER;                   /* the fixture's risks differ by less than the margins */
    return q;
}

/* Ranks the destinations of occupation origin and checks them against
 * expected (n_expected destinations, in order) and n_matching. */
static void assert_ranked(const fow_similarity_index *x, uint32_t origin, const fow_transition_query *q,
                          const uint32_t *expected, uint32_t n_expected, uint32_t matching, fow_transition *out) {
    fow_similarity_workspace *ws = new_workspace(x);
    uint32_t n_out = 99, n_matching = 99;
    fow_transitions_from_occupation(ws, origin, q, out, N_OCC, &n_out, &n_matching);
    fow_similarity_workspace_free(ws);
    assert_int_equal(n_matching, matching);
    assert_int_equal(n_out, n_expected);
    for (uint32_t i = 0; i < n_expected; i++)
        if (out[i].destination != expected[i])
            fail_msg("rank %u: expected destination %u, got %u", i, expected[i], out[i].destination);
}

static void assert_gap_skill(const fow_gap_skill *g, uint32_t skill, int held, float cover, float importance) {
    if (g->skill != skill || g->held != held)
        fail_msg("expected skill %u (held %d), got skill %u (held %d)", skill, held, g->skill, g->held);
    assert_sim(g->cover, cover);
    assert_sim(g->importance, importance);
}

static const fow_upskill_option *find_option(const fow_upskill_result *r, uint32_t skill) {
    for (uint32_t i = 0; i < r->n_options; i++)
        if (r->options[i].skill == skill) return &r->options[i];
    return NULL;
}

static void assert_option(const fow_upskill_option *o, uint32_t skill, uint32_t new_transitions, uint32_t origins,
                          uint32_t example, float example_similarity) {
    if (o->skill != skill || o->new_transitions != new_transitions || o->origins != origins || o->example != example)
        fail_msg("expected skill %u: %u new, %u origins, example %u; got skill %u: %u new, %u origins, example %u",
                 skill, new_transitions, origins, example, o->skill, o->new_transitions, o->origins, o->example);
    assert_sim(o->example_similarity, example_similarity);
}

/* ---- the fixture ---------------------------------------------------------- */

static void test_fixture_shape(void **state) {
    tr_state *s = *state;
    const fow_model *m = s->m;
    assert_int_equal(m->n_occupations, N_OCC);
    assert_int_equal(m->n_skills, N_SKILL);
    assert_int_equal(m->n_links, 29);
    /* the values the hand computations rely on */
    assert_sim(m->occupations[MECHANIC].risk_mcc, 3.5f);
    assert_int_equal(m->occupations[WELDER].mcc_category, FOW_RISK_HIGH);
    assert_int_equal(m->occupations[LIFT].mcc_category, FOW_RISK_LOW);
    assert_int_equal(m->occupations[FITTER].mcc_category, FOW_RISK_OTHER);
    assert_int_equal(m->occupations[DELIVERY].mcc_category, FOW_RISK_UNKNOWN); /* empty risk_category */
    assert_sim(m->occupations[DELIVERY].risk_mcc, 3.8f);
    assert_true(isnan(m->occupations[PLANNER].risk_mcc));
    assert_true(isnan(m->occupations[PLANNER].risk_frey_osborne));
    assert_true(isnan(m->occupations[PLANNER].prevalence_mcc));
    assert_sim(m->occupations[FITTER].risk_frey_osborne, 0.7f);
    assert_sim(m->occupations[LIFT].prevalence_mcc, 0.5f);
    assert_true(isnan(m->occupations[FORKLIFT].job_zone));
    assert_true(isnan(m->occupations[FORKLIFT].earnings));
    assert_true(isnan(m->occupations[SUPERVISOR].earnings));
    assert_sim(m->occupations[SUPERVISOR].job_zone, 4.0f);
    assert_sim(m->occupations[FITTER].earnings, 22500.0f);
    assert_string_equal(m->occupations[FITTER].isco_group, "7233");
}

/* ---- similarity ----------------------------------------------------------- */

static void test_similarity_simple(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->simple;
    /* every skill weighs 1; W(d) as in the header */
    for (uint32_t k = 0; k < N_SKILL; k++) assert_sim(x->skill_weight[k], 1.0f);
    assert_sim(x->occupation_weight[MECHANIC], 3.5f);  /* 3 essential + 0.5 * 1 optional */
    assert_sim(x->occupation_weight[SUPERVISOR], 5.0f); /* 4 + 0.5 * 2 */
    assert_int_equal(x->skill_occupations[DRAWINGS], 4);
    assert_int_equal(x->skill_occupations[MAINTAIN], 1);
    /* mechanic covers lift's repair and drawings: 2 of 4 */
    assert_sim(sim(x, MECHANIC, LIFT), 0.5f);
    /* mechanic covers fitter's drawings and tools, not inspect (1) nor trucks (0.5): 2 / 3.5 */
    assert_sim(sim(x, MECHANIC, FITTER), 0.571429f);
    /* welder needs tools, weld, inspect; mechanic holds tools (1) and weld only
     * optionally (origin_optional_credit 0.5): (1 + 0.5) / 3 */
    assert_sim(sim(x, MECHANIC, WELDER), 0.5f);
    /* the optional weight on the destination side: forklift needs tools
     * optionally (0.5), which mechanic holds: 0.5 * 1 / 2.5 */
    assert_sim(sim(x, MECHANIC, FORKLIFT), 0.2f);
    /* both at once: fitter's optional trucks, held optionally by delivery: 0.5 * 0.5 / 3.5 */
    assert_sim(sim(x, DELIVERY, FITTER), 0.071429f);
    /* fitter -> forklift: trucks essential for forklift, optional for fitter
     * (1 * 0.5) + tools optional for forklift, essential for fitter (0.5 * 1): 1 / 2.5 */
    assert_sim(sim(x, FITTER, FORKLIFT), 0.4f);
    /* nothing in common */
    assert_sim(sim(x, MECHANIC, PLANNER), 0.0f);
    assert_sim(sim(x, PLANNER, MECHANIC), 0.0f);
    /* asymmetry: planner's skills (plan, budgets) are a subset of supervisor's */
    assert_sim(sim(x, SUPERVISOR, PLANNER), 1.0f); /* 2 of 2 */
    assert_sim(sim(x, PLANNER, SUPERVISOR), 0.4f); /* 2 of 5 */
    /* self: lift has no optional skills, 4 / 4 */
    assert_sim(sim(x, LIFT, LIFT), 1.0f);
    /* self with origin_optional_credit 0.5 < 1: mechanic's own optional weld
     * counts 0.5 toward itself, (3 + 0.5 * 0.5) / 3.5 (only the default
     * credit of 1 makes every self-similarity 1; see test_similarity_defaults) */
    assert_sim(sim(x, MECHANIC, MECHANIC), 0.928571f);
}

static void test_similarity_idf(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->idf;
    /* w(s) = ln((N + 1) / (n_s + 1)) + 1 with N = 8 occupations:
     *   n_s = 1: ln(9/2) + 1 = 2.504077   n_s = 2: ln(9/3) + 1 = 2.098612
     *   n_s = 3: ln(9/4) + 1 = 1.810930   n_s = 4: ln(9/5) + 1 = 1.587787 */
    assert_sim(x->skill_weight[MAINTAIN], 2.504077f);
    assert_sim(x->skill_weight[PLC], 2.504077f);
    assert_sim(x->skill_weight[REPAIR], 2.098612f);
    assert_sim(x->skill_weight[BUDGETS], 2.098612f);
    assert_sim(x->skill_weight[PLAN], 1.810930f);
    assert_sim(x->skill_weight[INSPECT], 1.810930f);
    assert_sim(x->skill_weight[DRAWINGS], 1.587787f);
    assert_sim(x->skill_weight[TOOLS], 1.587787f);
    /* W(supervisor) = maintain 2.504077 + drawings 1.587787 + plan 1.810930
     * + budgets 2.098612 + 0.5 * (plc 2.504077 + customers 2.098612) = 10.302751 */
    assert_sim(x->occupation_weight[SUPERVISOR], 10.302751f);
    /* planner -> supervisor: (plan 1.810930 + budgets 2.098612) / 10.302751 = 3.909542 / 10.302751 */
    assert_sim(sim(x, PLANNER, SUPERVISOR), 0.379466f);
    assert_sim(sim(x, SUPERVISOR, PLANNER), 1.0f);
    /* mechanic -> lift: (repair 2.098612 + drawings 1.587787)
     *   / (repair 2.098612 + drawings 1.587787 + inspect 1.810930 + plan 1.810930) = 3.686399 / 7.308259 */
    assert_sim(sim(x, MECHANIC, LIFT), 0.504415f);
    /* mechanic -> welder: (tools 1.587787 + 0.5 * weld 2.098612) / (1.587787 + 2.098612 + 1.810930)
     *   = 2.637093 / 5.497329 */
    assert_sim(sim(x, MECHANIC, WELDER), 0.479704f);
    /* with idf off the same move is 0.5: the rare skill weld weighs more */
    assert_sim(sim(s->simple, MECHANIC, WELDER), 0.5f);
}

static void test_similarity_reverse(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->reverse; /* simple, lambda = 0.4 */
    /* score = 0.6 * forward + 0.4 * reverse, reverse = share of the origin's
     * own weight that the destination requires. Mechanic's shares (W 3.5):
     * repair, drawings, tools 1/3.5 each, weld 0.5/3.5. */
    /* mechanic -> welder: forward 0.5 (above); welder requires tools and weld:
     * reverse (1 + 0.5) / 3.5 = 0.428571; 0.6 * 0.5 + 0.4 * 0.428571 = 0.3 + 0.171429 */
    assert_sim(sim(x, MECHANIC, WELDER), 0.471429f);
    /* mechanic -> forklift: forward 0.2; forklift requires tools only
     * optionally, which counts origin_optional_credit: reverse 1/3.5 * 0.5 = 0.142857;
     * 0.6 * 0.2 + 0.4 * 0.142857 = 0.12 + 0.057143 */
    assert_sim(sim(x, MECHANIC, FORKLIFT), 0.177143f);
    /* supervisor -> planner: forward 1; planner requires plan and budgets,
     * 2 of supervisor's 5: reverse 0.4; 0.6 + 0.16 */
    assert_sim(sim(x, SUPERVISOR, PLANNER), 0.76f);
    /* planner -> supervisor: forward 0.4; supervisor requires all of
     * planner's skills: reverse 1; 0.24 + 0.4 */
    assert_sim(sim(x, PLANNER, SUPERVISOR), 0.64f);
    /* mechanic -> planner: nothing either way */
    assert_sim(sim(x, MECHANIC, PLANNER), 0.0f);
    /* a person holding plan and budgets (repeated: counted once), shares 1/2 each */
    uint32_t person[] = {PLAN, BUDGETS, PLAN};
    assert_sim(person_sim(x, person, 3, SUPERVISOR), 0.64f);
    assert_sim(person_sim(x, person, 3, PLANNER), 1.0f); /* 0.6 * 1 + 0.4 * 1 */
    /* self: forward (3 + 0.5 * 0.5) / 3.5; reverse 3/3.5 + 0.5/3.5 * 0.5 (weld
     * is optional for mechanic): both 3.25 / 3.5 */
    assert_sim(sim(x, MECHANIC, MECHANIC), 0.928571f);
    /* mechanic after learning inspect: shares over 3.5 + 1 = 4.5;
     * -> lift: forward (repair, drawings, inspect) 3/4 = 0.75, reverse 3/4.5;
     * 0.6 * 0.75 + 0.4 * 0.666667 = 0.45 + 0.266667 */
    assert_sim(sim_plus(x, MECHANIC, INSPECT, LIFT), 0.716667f);
    /* learning weld, which mechanic lists as optional: it is then held fully
     * and weighs as essential, so mechanic's weight is 4 (1/4 per skill);
     * -> welder: forward (tools 1 + weld 1)/3 = 0.666667, reverse tools 1/4 +
     * weld 1/4 = 0.5: 0.4 + 0.2 = 0.6 (0.471429 before learning) */
    assert_sim(sim_plus(x, MECHANIC, WELD, WELDER), 0.6f);
    /* -> mechanic itself: forward 3.5/3.5 = 1, reverse 3/4 + 1/4 * 0.5 (weld is
     * optional for the destination mechanic): 0.6 + 0.4 * 0.875 = 0.95 */
    assert_sim(sim_plus(x, MECHANIC, WELD, MECHANIC), 0.95f);
    /* without the reverse part: (1 + 1)/3 */
    assert_sim(sim_plus(s->simple, MECHANIC, WELD, WELDER), 0.666667f);
}

static void test_similarity_defaults(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->defaults;
    fow_similarity_params d;
    fow_similarity_params_default(&d);
    assert_memory_equal(&x->params, &d, sizeof d);
    fow_similarity_workspace *ws = new_workspace(x);
    for (uint32_t o = 0; o < N_OCC; o++) {
        fow_similarity_origin_occupation(ws, o);
        const float *scores = fow_similarity_scores(ws);
        /* with origin_optional_credit 1 an occupation covers itself fully, and
         * its reverse coverage of itself is the whole of its weight; its work
         * context and ISCO group are its own (the combination is stored at a
         * resolution of 1/16383) */
        assert_float_equal(scores[o], 1.0f, 1e-6f);
        for (uint32_t dst = 0; dst < N_OCC; dst++) {
            if (!(scores[dst] >= 0.0f && scores[dst] <= 1.0f)) fail_msg("sim(%u -> %u) = %g", o, dst, scores[dst]);
            if (dst != o && scores[dst] >= 1.0f) fail_msg("sim(%u -> %u) = 1 between different skill sets", o, dst);
        }
    }
    /* asymmetry survives the related skills and the reverse part */
    fow_similarity_origin_occupation(ws, SUPERVISOR);
    float down = fow_similarity_to(ws, PLANNER);
    fow_similarity_origin_occupation(ws, PLANNER);
    float up = fow_similarity_to(ws, SUPERVISOR);
    assert_true(up < down);
    fow_similarity_workspace_free(ws);
}

/* fow_similarity_to == fow_similarity_scores[d] for every pair under every
 * index, and a reused workspace gives what a fresh one gives. */
static void test_similarity_to_matches_scores(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *indexes[] = {s->simple, s->idf, s->reverse, s->words, s->cooc, s->defaults};
    for (size_t i = 0; i < sizeof indexes / sizeof *indexes; i++) {
        const fow_similarity_index *x = indexes[i];
        fow_similarity_workspace *reused = new_workspace(x);
        for (uint32_t o = 0; o < N_OCC; o++) {
            fow_similarity_origin_occupation(reused, (o * 3) % N_OCC); /* something else first */
            (void)fow_similarity_scores(reused);
            fow_similarity_origin_occupation(reused, o);
            const float *scores = fow_similarity_scores(reused);
            for (uint32_t d = 0; d < N_OCC; d++) {
                float one = fow_similarity_to(reused, d);
                if (fabsf(one - scores[d]) > 1e-6f)
                    fail_msg("index %zu: sim(%u -> %u): to %.9g, scores %.9g", i, o, d, one, scores[d]);
                float fresh = sim(x, o, d);
                if (fabsf(fresh - scores[d]) > 1e-6f)
                    fail_msg("index %zu: sim(%u -> %u): reused %.9g, fresh %.9g", i, o, d, scores[d], fresh);
            }
        }
        /* and for a person */
        uint32_t skills[] = {REPAIR, DRAWINGS, TOOLS, WELD};
        fow_similarity_origin_skills(reused, skills, 4);
        const float *scores = fow_similarity_scores(reused);
        for (uint32_t d = 0; d < N_OCC; d++) assert_float_equal(fow_similarity_to(reused, d), scores[d], 1e-6f);
        fow_similarity_workspace_free(reused);
    }
    uint32_t skills[] = {REPAIR, DRAWINGS, TOOLS, WELD};
    /* welder: tools, weld fully, not inspect: 2/3 (the occupation mechanic gets 0.5) */
    assert_sim(person_sim(s->simple, skills, 4, WELDER), 0.666667f);
}

static void test_jaccard(void **state) {
    tr_state *s = *state;
    /* supervisor {maintain, drawings, plan, budgets, plc, customers} and planner {plan, budgets}: 2 / 6 */
    assert_sim(fow_similarity_jaccard(s->m, SUPERVISOR, PLANNER), 0.333333f);
    assert_sim(fow_similarity_jaccard(s->m, PLANNER, SUPERVISOR), 0.333333f);
    /* mechanic and fitter share drawings and tools; union of 4 + 4 - 2 = 6 */
    assert_sim(fow_similarity_jaccard(s->m, MECHANIC, FITTER), 0.333333f);
    assert_sim(fow_similarity_jaccard(s->m, MECHANIC, PLANNER), 0.0f);
    assert_sim(fow_similarity_jaccard(s->m, WELDER, WELDER), 1.0f);
}

/* ---- related skills ------------------------------------------------------- */

static void test_related_by_words(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->words;
    /* Content words: repair {repair, hydraulic, system} ("systems" loses its
     * plural s), maintain {maintain, hydraulic, system} ("the" is a stop
     * word); every other word is in one label only. Word idf over the 12 skills: ln(13 / (df + 1)):
     * hydraulic, system ln(13/3) = 1.466337; repair, maintain ln(13/2) = 1.871802.
     * Weighted Jaccard = shared / (len_a + len_b - shared)
     *   = 2 * 1.466337 / (2 * 1.871802 + 2 * 1.466337) = 1.466337 / 3.338139 = 0.439268 */
    const float strength = 0.439268f;
    assert_int_equal(x->related_offsets[REPAIR + 1] - x->related_offsets[REPAIR], 1);
    const fow_related_skill *r = &x->related[x->related_offsets[REPAIR]];
    assert_int_equal(r->skill, MAINTAIN);
    assert_sim(r->strength, strength);
    assert_int_equal(r->sources, FOW_RELATED_WORDS);
    assert_int_equal(x->related_offsets[MAINTAIN + 1] - x->related_offsets[MAINTAIN], 1);
    assert_int_equal(x->related[x->related_offsets[MAINTAIN]].skill, REPAIR);
    /* no other skill has a related skill */
    for (uint32_t k = 0; k < N_SKILL; k++)
        if (k != REPAIR && k != MAINTAIN) assert_int_equal(x->related_offsets[k + 1] - x->related_offsets[k], 0);
    /* related_min above the strength keeps nothing */
    fow_similarity_params p = x->params;
    p.related_min = 0.45f;
    fow_similarity_index *strict = build_index(s->m, &p);
    assert_int_equal(strict->related_offsets[N_SKILL], 0);
    fow_similarity_index_free(strict);

    /* partial credit: mechanic holds repair, so supervisor's maintain is
     * covered related_credit * strength = 0.5 * 0.439268 = 0.219634.
     * mechanic -> supervisor: (drawings 1 + maintain 0.219634) / 5 = 0.243927 */
    const float cover = 0.219634f;
    assert_sim(sim(x, MECHANIC, SUPERVISOR), 0.243927f);
    assert_sim(sim(s->simple, MECHANIC, SUPERVISOR), 0.2f); /* without related skills */
    /* and the other way: supervisor's maintain covers mechanic's repair:
     * (drawings 1 + repair 0.219634) / 3.5 = 0.348467 */
    assert_sim(sim(x, SUPERVISOR, MECHANIC), 0.348467f);

    /* the gap shows it as a transfer via repair and as still missing */
    fow_similarity_workspace *ws = new_workspace(x);
    fow_similarity_origin_occupation(ws, MECHANIC);
    assert_sim(ws->cover[MAINTAIN], cover);
    assert_int_equal(ws->cover_via[MAINTAIN], REPAIR);
    assert_int_equal(ws->held[MAINTAIN], 0);
    fow_gap g;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_gap_compute(ws, SUPERVISOR, &g, &err), &err);
    assert_sim(g.similarity, 0.243927f);
    /* transfers: drawings held (share 1/5, importance 0.2), then maintain
     * (importance 0.2 * 0.219634 = 0.043927) */
    assert_int_equal(g.n_transfers, 2);
    assert_int_equal(g.n_transfer_exact, 1);
    assert_int_equal(g.transfers[0].skill, DRAWINGS);
    assert_int_equal(g.transfers[0].held, 1);
    assert_int_equal(g.transfers[0].via, FOW_NO_INDEX);
    assert_sim(g.transfers[0].cover, 1.0f);
    assert_sim(g.transfers[0].importance, 0.2f);
    assert_int_equal(g.transfers[1].skill, MAINTAIN);
    assert_int_equal(g.transfers[1].held, 0);
    assert_int_equal(g.transfers[1].essential, 1);
    assert_int_equal(g.transfers[1].via, REPAIR);
    assert_sim(g.transfers[1].cover, cover);
    assert_sim(g.transfers[1].importance, 0.043927f);
    /* missing essentials: plan and budgets (0.2 each, tie to the lower
     * index), then maintain, 0.2 * (1 - 0.219634) = 0.156073 */
    assert_int_equal(g.n_missing, 3);
    assert_int_equal(g.missing[0].skill, PLAN);
    assert_sim(g.missing[0].importance, 0.2f);
    assert_sim(g.missing[0].cover, 0.0f);
    assert_int_equal(g.missing[1].skill, BUDGETS);
    assert_int_equal(g.missing[2].skill, MAINTAIN);
    assert_sim(g.missing[2].cover, cover);
    assert_true(g.missing[2].cover < 1.0f);
    assert_int_equal(g.missing[2].via, REPAIR);
    assert_sim(g.missing[2].importance, 0.156073f);
    /* supervisor's optional plc and customers: not covered at all */
    assert_int_equal(g.n_optional_missing, 2);
    fow_gap_free(&g);
    fow_similarity_workspace_free(ws);

    /* Exact transfers come first even when a related one brings more. idf
     * on, related_credit 1; a person holding repair and customers, to
     * supervisor (W 10.302751, as in test_similarity_idf):
     *   customers, exact but optional: 0.5 * 2.098612 / W = 0.101847
     *   maintain via repair: 2.504077 / W * 0.439268 = 0.243049 * 0.439268 = 0.106764
     * missing: budgets 0.203694, plan 0.175772, drawings 0.154113,
     * maintain 0.243049 * (1 - 0.439268) = 0.136286 */
    fow_similarity_params rich_params = s->words->params;
    rich_params.idf = 1;
    rich_params.related_credit = 1.0f;
    fow_similarity_index *rich = build_index(s->m, &rich_params);
    ws = new_workspace(rich);
    uint32_t person[] = {REPAIR, CUSTOMERS};
    fow_similarity_origin_skills(ws, person, 2);
    assert_fow_ok(fow_gap_compute(ws, SUPERVISOR, &g, &err), &err);
    assert_sim(g.similarity, 0.208611f); /* 0.101847 + 0.106764 */
    assert_int_equal(g.n_transfers, 2);
    assert_int_equal(g.n_transfer_exact, 1);
    assert_gap_skill(&g.transfers[0], CUSTOMERS, 1, 1.0f, 0.101847f);
    assert_int_equal(g.transfers[0].essential, 0);
    assert_gap_skill(&g.transfers[1], MAINTAIN, 0, 0.439268f, 0.106764f);
    assert_int_equal(g.transfers[1].via, REPAIR);
    assert_int_equal(g.n_missing, 4);
    assert_gap_skill(&g.missing[0], BUDGETS, 0, 0.0f, 0.203694f);
    assert_gap_skill(&g.missing[1], PLAN, 0, 0.0f, 0.175772f);
    assert_gap_skill(&g.missing[2], DRAWINGS, 0, 0.0f, 0.154113f);
    assert_gap_skill(&g.missing[3], MAINTAIN, 0, 0.439268f, 0.136286f);
    assert_int_equal(g.n_optional_missing, 1); /* plc */
    fow_gap_free(&g);
    fow_similarity_workspace_free(ws);
    fow_similarity_index_free(rich);
}

static void test_related_by_cooccurrence(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->cooc;
    /* cosine of the occupation sets, when they meet in at least 2:
     * plan {lift, supervisor, planner}, budgets {supervisor, planner}: 2 / sqrt(3 * 2) = 0.816497;
     * plan and drawings {mechanic, lift, fitter, supervisor} meet in lift and supervisor: 2 / sqrt(3 * 4) = 0.577350;
     * plan meets repair, inspect, maintain, plc, customers once only: not related */
    uint32_t a = x->related_offsets[PLAN], n = x->related_offsets[PLAN + 1] - a;
    assert_int_equal(n, 2);
    assert_int_equal(x->related[a].skill, BUDGETS); /* strongest first */
    assert_sim(x->related[a].strength, 0.816497f);
    assert_int_equal(x->related[a].sources, FOW_RELATED_COOCCURRENCE);
    assert_int_equal(x->related[a + 1].skill, DRAWINGS);
    assert_sim(x->related[a + 1].strength, 0.577350f);
    a = x->related_offsets[BUDGETS];
    assert_int_equal(x->related_offsets[BUDGETS + 1] - a, 1);
    assert_int_equal(x->related[a].skill, PLAN);
    /* maintain (supervisor only) meets nothing twice */
    assert_int_equal(x->related_offsets[MAINTAIN + 1] - x->related_offsets[MAINTAIN], 0);
    /* related_max 1 keeps the strongest only */
    fow_similarity_params p = x->params;
    p.related_max = 1;
    fow_similarity_index *one = build_index(s->m, &p);
    a = one->related_offsets[PLAN];
    assert_int_equal(one->related_offsets[PLAN + 1] - a, 1);
    assert_int_equal(one->related[a].skill, BUDGETS);
    fow_similarity_index_free(one);
    /* planner -> lift: plan 1, drawings through plan 0.5 * 0.577350 = 0.288675,
     * (1 + 0.288675) / 4 = 0.322169 */
    assert_sim(sim(x, PLANNER, LIFT), 0.322169f);
}

/* ---- judging one move ----------------------------------------------------- */

/* The combined similarity is the documented weighted mean of its parts,
 * each part unknown drops out, and a person without an occupation is
 * scored on skills alone (docs/transitions.md, "The combination"). */
static void test_combined_similarity(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->defaults;
    const float b = x->params.context_weight, c = x->params.isco_weight, a = 1.0f - b - c;
    assert_true(b > 0.0f && c > 0.0f);
    fow_similarity_workspace *ws = new_workspace(x);
    uint32_t combined_parts = 0;
    for (uint32_t o = 0; o < N_OCC; o++) {
        fow_similarity_origin_occupation(ws, o);
        const float *scores = fow_similarity_scores(ws);
        for (uint32_t d = 0; d < N_OCC; d++) {
            fow_similarity_parts p;
            fow_similarity_parts_to(ws, d, &p);
            float num = a * p.skills, den = a;
            if (!isnan(p.context)) num += b * p.context, den += b, combined_parts++;
            if (!isnan(p.isco)) num += c * p.isco, den += c;
            float want = num / den > 1.0f ? 1.0f : num / den;
            if (fabsf(scores[d] - want) > 2e-4f)
                fail_msg("%u -> %u: combined %g, parts give %g (skills %g, context %g, isco %g)", o, d, scores[d],
                         want, p.skills, p.context, p.isco);
            assert_float_equal(fow_similarity_to(ws, d), scores[d], 1e-5f);
            /* ISCO: the shared leading digits / 4 */
            const char *go = s->m->occupations[o].isco_group, *gd = s->m->occupations[d].isco_group;
            if (go[0] && gd[0]) {
                int k = 0;
                while (k < 4 && go[k] && go[k] == gd[k]) k++;
                assert_float_equal(p.isco, k / 4.0f, 1e-6f);
            }
        }
    }
    assert_true(combined_parts > 0); /* the fixture has work context */
    /* a person without an occupation: the skill similarity alone */
    uint32_t skills[] = {REPAIR, DRAWINGS, TOOLS};
    fow_similarity_origin_skills(ws, skills, 3);
    const float *scores = fow_similarity_scores(ws);
    for (uint32_t d = 0; d < N_OCC; d++) {
        fow_similarity_parts p;
        fow_similarity_parts_to(ws, d, &p);
        assert_true(isnan(p.context) && isnan(p.isco));
        assert_float_equal(scores[d], p.skills, 1e-6f);
    }
    /* the same person as a mechanic: the mechanic's context and ISCO group count */
    fow_similarity_origin_context(ws, MECHANIC);
    scores = fow_similarity_scores(ws);
    fow_similarity_parts p;
    fow_similarity_parts_to(ws, FITTER, &p);
    assert_false(isnan(p.isco));
    assert_true(fabsf(scores[FITTER] - p.skills) > 1e-4f);
    fow_similarity_workspace_free(ws);
}

static void test_assess_viability(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->simple; /* viable 0.58, highly viable 0.75, no essential rule */
    fow_similarity_workspace *ws = new_workspace(x);
    fow_similarity_origin_occupation(ws, MECHANIC);
    fow_transition t;
    fow_transition_assess(ws, MECHANIC, LIFT, 0.57f, FOW_RISK_MODEL_MCC, FOW_SAFE_RULE_MARGIN, &t);
    assert_int_equal(t.viable, 0);
    assert_int_equal(t.highly_viable, 0);
    assert_sim(t.similarity, 0.57f);
    fow_transition_assess(ws, MECHANIC, LIFT, 0.58f, FOW_RISK_MODEL_MCC, FOW_SAFE_RULE_MARGIN, &t); /* at the threshold */
    assert_int_equal(t.viable, 1);
    assert_int_equal(t.highly_viable, 0);
    fow_transition_assess(ws, MECHANIC, LIFT, 0.7499f, FOW_RISK_MODEL_MCC, FOW_SAFE_RULE_MARGIN, &t);
    assert_int_equal(t.viable, 1);
    assert_int_equal(t.highly_viable, 0);
    fow_transition_assess(ws, MECHANIC, LIFT, 0.75f, FOW_RISK_MODEL_MCC, FOW_SAFE_RULE_MARGIN, &t);
    assert_int_equal(t.viable, 1);
    assert_int_equal(t.highly_viable, 1);
    /* the essential counts are the gap's */
    uint32_t total, missing;
    fow_essential_counts(ws, LIFT, &total, &missing);
    assert_int_equal(t.essential_total, total);
    assert_int_equal(t.essential_missing, missing);
    fow_similarity_workspace_free(ws);
    /* defaults: 0.30 and 0.50 */
    ws = new_workspace(s->defaults);
    fow_similarity_origin_occupation(ws, MECHANIC);
    fow_transition_assess(ws, MECHANIC, LIFT, 0.3f, FOW_RISK_MODEL_MCC, FOW_SAFE_RULE_MARGIN, &t);
    assert_int_equal(t.viable, t.essential_missing * 2 <= t.essential_total);
    assert_int_equal(t.highly_viable, 0);
    fow_transition_assess(ws, MECHANIC, LIFT, 0.29f, FOW_RISK_MODEL_MCC, FOW_SAFE_RULE_MARGIN, &t);
    assert_int_equal(t.viable, 0);
    fow_similarity_workspace_free(ws);
}

/* A move with more than half of the destination's essential skills missing
 * is not viable whatever its similarity; at most half is. */
static void test_viable_needs_essential_skills(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->defaults;
    assert_true(fow_transition_viable(x, 0.9f, 4, 2));
    assert_false(fow_transition_viable(x, 0.9f, 4, 3));
    assert_false(fow_transition_viable(x, 1.0f, 9, 9));
    assert_true(fow_transition_viable(x, 0.3f, 0, 0));
    assert_false(fow_transition_viable(x, 0.29f, 4, 0));
    /* every listed move of every origin: viable, and its counts are the gap's */
    fow_similarity_workspace *ws = new_workspace(x);
    fow_transition_query q;
    fow_transition_query_default(x, &q);
    fow_transition out[N_OCC];
    for (uint32_t o = 0; o < N_OCC; o++) {
        uint32_t n, matching;
        fow_transitions_from_occupation(ws, o, &q, out, N_OCC, &n, &matching);
        for (uint32_t i = 0; i < n; i++) {
            assert_true(out[i].viable);
            assert_true(out[i].essential_missing * 2 <= out[i].essential_total);
        }
        /* without the viability filter, non-viable moves are listed and labelled so */
        q.viable_only = 0, q.min_similarity = 0.0f;
        fow_transitions_from_occupation(ws, o, &q, out, N_OCC, &n, &matching);
        for (uint32_t i = 0; i < n; i++) {
            fow_gap gap;
            fow_error err;
            fow_error_clear(&err);
            assert_fow_ok(fow_gap_compute(ws, out[i].destination, &gap, &err), &err);
            assert_int_equal(gap.n_missing, out[i].essential_missing);
            assert_int_equal(out[i].viable, fow_transition_viable(x, out[i].similarity, out[i].essential_total,
                                                                   out[i].essential_missing));
            fow_gap_free(&gap);
        }
        q.viable_only = 1, q.min_similarity = x->params.viable;
    }
    fow_similarity_workspace_free(ws);
}

/* The margin rule needs a drop of at least the model's margin; MCC's own
 * rule any drop. */
static void test_safe_margin(void **state) {
    (void)state;
    assert_float_equal(fow_safe_margin(FOW_RISK_MODEL_MCC, FOW_SAFE_RULE_MARGIN), FOW_SAFE_MARGIN_MCC, 0);
    assert_float_equal(fow_safe_margin(FOW_RISK_MODEL_FREY_OSBORNE, FOW_SAFE_RULE_MARGIN),
                       FOW_SAFE_MARGIN_FREY_OSBORNE, 0);
    assert_float_equal(fow_safe_margin(FOW_RISK_MODEL_MCC, FOW_SAFE_RULE_LOWER), 0.0f, 0);
    fow_safe_rule r;
    assert_int_equal(fow_safe_rule_parse("lower", &r), 0);
    assert_int_equal(r, FOW_SAFE_RULE_LOWER);
    assert_int_equal(fow_safe_rule_parse("margin", &r), 0);
    assert_int_equal(r, FOW_SAFE_RULE_MARGIN);
    assert_int_equal(fow_safe_rule_parse("any", &r), -1);
}

static void test_assess_desirable(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->simple;
    /* mechanic earns 30000 at job zone 2; desirable: ratio >= 0.75 and |zone difference| <= 1 */
    fow_transition t = assess(x, MECHANIC, LIFT, FOW_RISK_MODEL_MCC);
    assert_sim(t.earnings_ratio, 1.1f); /* 33000 / 30000 */
    assert_sim(t.job_zone_difference, 1.0f); /* 3 - 2, at the limit */
    assert_int_equal(t.desirable, FOW_YES);
    t = assess(x, MECHANIC, FITTER, FOW_RISK_MODEL_MCC);
    assert_sim(t.earnings_ratio, 0.75f); /* 22500 / 30000, at the limit */
    assert_sim(t.job_zone_difference, 0.0f);
    assert_int_equal(t.desirable, FOW_YES);
    t = assess(x, MECHANIC, DELIVERY, FOW_RISK_MODEL_MCC);
    assert_sim(t.earnings_ratio, 0.7f); /* 21000 / 30000 < 0.75 */
    assert_sim(t.job_zone_difference, -1.0f);
    assert_int_equal(t.desirable, FOW_NO);
    /* supervisor's earnings are unknown, but its job zone 4 is 2 above: a known part fails */
    t = assess(x, MECHANIC, SUPERVISOR, FOW_RISK_MODEL_MCC);
    assert_true(isnan(t.earnings_ratio));
    assert_sim(t.job_zone_difference, 2.0f);
    assert_int_equal(t.desirable, FOW_NO);
    /* lift -> supervisor: zone 4 - 3 = 1 passes, earnings unknown: unknown */
    t = assess(x, LIFT, SUPERVISOR, FOW_RISK_MODEL_MCC);
    assert_int_equal(t.desirable, FOW_UNKNOWN);
    /* forklift has no attributes at all: unknown in both directions */
    t = assess(x, MECHANIC, FORKLIFT, FOW_RISK_MODEL_MCC);
    assert_true(isnan(t.earnings_ratio));
    assert_true(isnan(t.job_zone_difference));
    assert_int_equal(t.desirable, FOW_UNKNOWN);
    assert_int_equal(assess(x, FORKLIFT, MECHANIC, FOW_RISK_MODEL_MCC).desirable, FOW_UNKNOWN);
    /* fitter -> delivery: 21000 / 22500 = 0.933, zone 1 - 2 = -1 */
    assert_int_equal(assess(x, FITTER, DELIVERY, FOW_RISK_MODEL_MCC).desirable, FOW_YES);
    /* the model does not matter for desirability */
    assert_int_equal(assess(x, MECHANIC, DELIVERY, FOW_RISK_MODEL_FREY_OSBORNE).desirable, FOW_NO);
    /* no origin occupation: unknown */
    t = assess(x, FOW_NO_INDEX, LIFT, FOW_RISK_MODEL_MCC);
    assert_int_equal(t.desirable, FOW_UNKNOWN);
    assert_true(isnan(t.earnings_ratio));
    assert_true(isnan(t.origin_risk));
}

static void test_assess_safe_mcc(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->simple;
    const fow_risk_model mcc = FOW_RISK_MODEL_MCC;
    /* from mechanic: risk 3.5, Other, prevalence 0.30 */
    fow_transition t = assess(x, MECHANIC, LIFT, mcc);
    assert_sim(t.origin_risk, 3.5f);
    assert_sim(t.destination_risk, 2.5f);
    /* lift: Low risk, 2.5 < 3.5: safe; prevalence 0.50 > 0.30: strictly safe */
    assert_judged(x, MECHANIC, LIFT, mcc, FOW_YES, FOW_YES, FOW_YES);
    /* fitter: Other, 3.0 < 3.5: safe; prevalence 0.20 < 0.30: not strictly */
    assert_judged(x, MECHANIC, FITTER, mcc, FOW_YES, FOW_YES, FOW_NO);
    /* welder: High risk */
    assert_judged(x, MECHANIC, WELDER, mcc, FOW_YES, FOW_NO, FOW_NO);
    /* supervisor: Low risk 2.0, prevalence 0.60 */
    assert_judged(x, MECHANIC, SUPERVISOR, mcc, FOW_NO, FOW_YES, FOW_YES);
    /* planner: no risk estimate */
    assert_judged(x, MECHANIC, PLANNER, mcc, FOW_YES, FOW_UNKNOWN, FOW_UNKNOWN);
    t = assess(x, MECHANIC, PLANNER, mcc);
    assert_true(isnan(t.destination_risk));
    /* forklift: Other 3.2 < 3.5: safe; prevalence 0.30, not above mechanic's 0.30 */
    assert_judged(x, MECHANIC, FORKLIFT, mcc, FOW_UNKNOWN, FOW_YES, FOW_NO);
    /* delivery: a score (3.8) but no category: it might be high risk */
    assert_judged(x, MECHANIC, DELIVERY, mcc, FOW_NO, FOW_UNKNOWN, FOW_UNKNOWN);
    /* a higher risk that is not "High risk": lift 2.5 -> mechanic 3.5 */
    assert_judged(x, LIFT, MECHANIC, mcc, FOW_YES, FOW_NO, FOW_NO);
    /* the same risk is not lower */
    assert_judged(x, MECHANIC, MECHANIC, mcc, FOW_YES, FOW_NO, FOW_NO);
    /* an origin without risk: high risk is still no, the rest unknown */
    assert_judged(x, PLANNER, WELDER, mcc, FOW_YES, FOW_NO, FOW_NO); /* zone 2 - 3, 28000 / 32000 = 0.875 */
    assert_judged(x, PLANNER, LIFT, mcc, FOW_YES, FOW_UNKNOWN, FOW_UNKNOWN);
    /* no origin occupation at all */
    assert_judged(x, FOW_NO_INDEX, WELDER, mcc, FOW_UNKNOWN, FOW_NO, FOW_NO);
    assert_judged(x, FOW_NO_INDEX, LIFT, mcc, FOW_UNKNOWN, FOW_UNKNOWN, FOW_UNKNOWN);
    /* welder (High risk) -> fitter: 3.0 < 4.0 and fitter is not high risk;
     * prevalence 0.20 > 0.10 */
    assert_judged(x, WELDER, FITTER, mcc, FOW_YES, FOW_YES, FOW_YES);
}

static void test_assess_safe_frey_osborne(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->simple;
    const fow_risk_model fo = FOW_RISK_MODEL_FREY_OSBORNE;
    /* from mechanic: probability 0.50 (prevalence 0.30 for the strict test) */
    fow_transition t = assess(x, MECHANIC, FITTER, fo);
    assert_sim(t.origin_risk, 0.5f);
    assert_sim(t.destination_risk, 0.7f);
    assert_judged(x, MECHANIC, LIFT, fo, FOW_YES, FOW_YES, FOW_YES);         /* 0.30 < 0.50; prevalence 0.5 > 0.3 */
    assert_judged(x, MECHANIC, FITTER, fo, FOW_YES, FOW_NO, FOW_NO);         /* 0.70 >= 0.7: high risk */
    /* ... even from an origin at higher risk: welder 0.80 -> fitter 0.70
     * (22500 / 28000 = 0.80, same zone) */
    assert_judged(x, WELDER, FITTER, fo, FOW_YES, FOW_NO, FOW_NO);
    assert_judged(x, MECHANIC, WELDER, fo, FOW_YES, FOW_NO, FOW_NO);         /* 0.80 */
    assert_judged(x, MECHANIC, SUPERVISOR, fo, FOW_NO, FOW_YES, FOW_YES);    /* 0.10; prevalence 0.6 */
    assert_judged(x, MECHANIC, PLANNER, fo, FOW_YES, FOW_UNKNOWN, FOW_UNKNOWN);
    assert_judged(x, MECHANIC, FORKLIFT, fo, FOW_UNKNOWN, FOW_NO, FOW_NO);   /* 0.69 < 0.7 but above 0.50 */
    /* delivery has no MCC category, which Frey & Osborne does not need:
     * 0.45 < 0.50 is safe; prevalence 0.15 < 0.30 is not strictly safe */
    assert_judged(x, MECHANIC, DELIVERY, fo, FOW_NO, FOW_YES, FOW_NO);
    /* unknown origin probability */
    assert_judged(x, PLANNER, WELDER, fo, FOW_YES, FOW_NO, FOW_NO); /* 0.80 >= 0.7 */
    assert_judged(x, PLANNER, LIFT, fo, FOW_YES, FOW_UNKNOWN, FOW_UNKNOWN);
    assert_judged(x, FOW_NO_INDEX, FITTER, fo, FOW_UNKNOWN, FOW_NO, FOW_NO);
    assert_judged(x, FOW_NO_INDEX, LIFT, fo, FOW_UNKNOWN, FOW_UNKNOWN, FOW_UNKNOWN);
}

static void test_names(void **state) {
    (void)state;
    assert_string_equal(fow_tristate_name(FOW_YES), "yes");
    assert_string_equal(fow_tristate_name(FOW_NO), "no");
    assert_string_equal(fow_tristate_name(FOW_UNKNOWN), "unknown");
    fow_risk_model model = FOW_RISK_MODEL_MCC;
    assert_int_equal(fow_risk_model_parse("frey-osborne", &model), 0);
    assert_int_equal(model, FOW_RISK_MODEL_FREY_OSBORNE);
    assert_string_equal(fow_risk_model_name(model), "frey-osborne");
    assert_int_equal(fow_risk_model_parse("mcc", &model), 0);
    assert_int_equal(model, FOW_RISK_MODEL_MCC);
    assert_string_equal(fow_risk_model_name(model), "mcc");
    assert_int_equal(fow_risk_model_parse("MCC", &model), -1);
    assert_int_equal(fow_risk_model_parse("", &model), -1);
}

/* ---- ranking transitions -------------------------------------------------- */

static void test_transitions_from_occupation(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->simple;
    fow_transition out[N_OCC];
    fow_transition_query q;
    fow_transition_query_default(x, &q);
    assert_int_equal(q.model, FOW_RISK_MODEL_MCC);
    assert_int_equal(q.safe, 0);
    assert_int_equal(q.desirable, 0);
    assert_sim(q.min_similarity, 0.58f);
    assert_int_equal(q.limit, 20);

    /* from mechanic, at least 0.3: fitter .571429, then lift .5 and welder .5
     * (a tie: lower index first) */
    q = query(x, 0, 0, 0.3f);
    assert_ranked(x, MECHANIC, &q, (uint32_t[]){FITTER, LIFT, WELDER}, 3, 3, out);
    assert_sim(out[0].similarity, 0.571429f);
    assert_int_equal(out[0].viable, 0); /* below 0.58 */
    assert_int_equal(out[0].desirable, FOW_YES);
    assert_int_equal(out[0].safe, FOW_YES);
    assert_int_equal(out[0].safe_strict, FOW_NO);
    assert_sim(out[0].earnings_ratio, 0.75f);
    assert_sim(out[0].origin_risk, 3.5f);
    assert_sim(out[0].destination_risk, 3.0f);
    /* gap counts: fitter needs drawings, tools, inspect; mechanic lacks inspect */
    assert_int_equal(out[0].essential_total, 3);
    assert_int_equal(out[0].essential_missing, 1);
    assert_sim(out[1].similarity, 0.5f);
    assert_sim(out[2].similarity, 0.5f);
    /* lift: repair, drawings, inspect, plan; lacks inspect, plan */
    assert_int_equal(out[1].essential_total, 4);
    assert_int_equal(out[1].essential_missing, 2);
    /* welder: tools, weld (held optionally: held), inspect */
    assert_int_equal(out[2].essential_total, 3);
    assert_int_equal(out[2].essential_missing, 1);
    assert_int_equal(out[2].safe, FOW_NO);

    /* the limit and the caller's capacity cut the list, not the count */
    q.limit = 2;
    assert_ranked(x, MECHANIC, &q, (uint32_t[]){FITTER, LIFT}, 2, 3, out);
    q.limit = 0;
    assert_ranked(x, MECHANIC, &q, NULL, 0, 3, out);
    q.limit = 20;
    fow_similarity_workspace *ws = new_workspace(x);
    uint32_t n_out = 0, n_matching = 0;
    fow_transitions_from_occupation(ws, MECHANIC, &q, out, 1, &n_out, &n_matching);
    assert_int_equal(n_out, 1);
    assert_int_equal(n_matching, 3);
    assert_int_equal(out[0].destination, FITTER);
    fow_transitions_from_occupation(ws, MECHANIC, &q, out, 1, &n_out, NULL); /* n_matching may be NULL */
    assert_int_equal(n_out, 1);
    fow_similarity_workspace_free(ws);

    /* min_similarity 0: every other occupation, never mechanic itself;
     * supervisor and forklift tie at 0.2, planner and delivery at 0 */
    q = query(x, 0, 0, 0.0f);
    assert_ranked(x, MECHANIC, &q,
                  (uint32_t[]){FITTER, LIFT, WELDER, SUPERVISOR, FORKLIFT, PLANNER, DELIVERY}, 7, 7, out);
    /* supervisor: maintain, drawings, plan, budgets; mechanic holds drawings */
    assert_int_equal(out[3].essential_total, 4);
    assert_int_equal(out[3].essential_missing, 3);
    assert_int_equal(out[4].essential_total, 2); /* forklift: trucks, vans */
    assert_int_equal(out[4].essential_missing, 2);

    /* safe (MCC): fitter, lift, supervisor, forklift; not welder (High risk),
     * planner (no risk), delivery (no category) */
    q = query(x, 1, 0, 0.0f);
    assert_ranked(x, MECHANIC, &q, (uint32_t[]){FITTER, LIFT, SUPERVISOR, FORKLIFT}, 4, 4, out);
    /* desirable: fitter, lift, welder, planner; not supervisor (zone +2),
     * forklift (unknown), delivery (0.7 of the pay) */
    q = query(x, 0, 1, 0.0f);
    assert_ranked(x, MECHANIC, &q, (uint32_t[]){FITTER, LIFT, WELDER, PLANNER}, 4, 4, out);
    /* both */
    q = query(x, 1, 1, 0.0f);
    assert_ranked(x, MECHANIC, &q, (uint32_t[]){FITTER, LIFT}, 2, 2, out);
    /* strictly safe: lift (prevalence 0.5) and supervisor (0.6) above mechanic's 0.3 */
    q = query(x, 2, 0, 0.0f);
    assert_ranked(x, MECHANIC, &q, (uint32_t[]){LIFT, SUPERVISOR}, 2, 2, out);
    assert_int_equal(out[0].safe_strict, FOW_YES);
    /* safe under Frey & Osborne (mechanic 0.50): lift 0.30, supervisor 0.10, delivery 0.45 */
    q = query(x, 1, 0, 0.0f);
    q.model = FOW_RISK_MODEL_FREY_OSBORNE;
    assert_ranked(x, MECHANIC, &q, (uint32_t[]){LIFT, SUPERVISOR, DELIVERY}, 3, 3, out);
    assert_sim(out[2].destination_risk, 0.45f);
    /* a higher min_similarity */
    q = query(x, 0, 0, 0.55f);
    assert_ranked(x, MECHANIC, &q, (uint32_t[]){FITTER}, 1, 1, out);
    /* the default query (min 0.58): nothing from mechanic; from fitter, welder 2/3 */
    fow_transition_query_default(x, &q);
    assert_ranked(x, MECHANIC, &q, NULL, 0, 0, out);
    assert_ranked(x, FITTER, &q, (uint32_t[]){WELDER}, 1, 1, out);
    assert_sim(out[0].similarity, 0.666667f);
    assert_int_equal(out[0].viable, 1);
    assert_int_equal(out[0].highly_viable, 0);
    assert_int_equal(out[0].essential_missing, 1); /* fitter lacks weld */
    /* from forklift: delivery (1 + 0.5) / 2.5 = 0.6 >= 0.58 */
    assert_ranked(x, FORKLIFT, &q, (uint32_t[]){DELIVERY}, 1, 1, out);
    assert_sim(out[0].similarity, 0.6f);
}

static void test_transitions_of_a_person(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->simple;
    fow_similarity_workspace *ws = new_workspace(x);
    /* a person with mechanic's essential skills, judged as nobody */
    uint32_t skills[] = {REPAIR, DRAWINGS, TOOLS};
    fow_similarity_origin_skills(ws, skills, 3);
    fow_transition_query q = query(x, 0, 0, 0.3f);
    fow_transition out[N_OCC];
    uint32_t n_out = 0, n_matching = 0;
    fow_transitions_rank(ws, FOW_NO_INDEX, FOW_NO_INDEX, &q, out, N_OCC, &n_out, &n_matching);
    /* mechanic 3/3.5 = 0.857143 (not excluded), fitter 2/3.5, lift 2/4, welder tools 1/3 */
    assert_int_equal(n_matching, 4);
    assert_int_equal(n_out, 4);
    assert_int_equal(out[0].destination, MECHANIC);
    assert_sim(out[0].similarity, 0.857143f);
    assert_int_equal(out[1].destination, FITTER);
    assert_int_equal(out[2].destination, LIFT);
    assert_int_equal(out[3].destination, WELDER);
    assert_sim(out[3].similarity, 0.333333f);
    assert_int_equal(out[1].desirable, FOW_UNKNOWN);
    assert_int_equal(out[1].safe, FOW_UNKNOWN);
    assert_int_equal(out[3].safe, FOW_NO); /* High risk needs no origin */
    /* gap counts from the person's skills: mechanic lacks nothing essential */
    assert_int_equal(out[0].essential_missing, 0);
    assert_int_equal(out[0].essential_total, 3);
    /* exclude works for people too; unknown safety never passes a filter */
    fow_transitions_rank(ws, FOW_NO_INDEX, MECHANIC, &q, out, N_OCC, &n_out, &n_matching);
    assert_int_equal(n_matching, 3);
    assert_int_equal(out[0].destination, FITTER);
    q.safe = 1;
    fow_transitions_rank(ws, FOW_NO_INDEX, FOW_NO_INDEX, &q, out, N_OCC, &n_out, &n_matching);
    assert_int_equal(n_matching, 0);
    assert_int_equal(n_out, 0);
    /* judged as mechanic: fitter and lift are safe */
    fow_transitions_rank(ws, MECHANIC, MECHANIC, &q, out, N_OCC, &n_out, &n_matching);
    assert_int_equal(n_matching, 2);
    assert_int_equal(out[0].destination, FITTER);
    assert_int_equal(out[1].destination, LIFT);
    fow_similarity_workspace_free(ws);
}

/* The ranking's filters keep exactly the destinations that
 * fow_transition_assess judges a certain yes, for every origin, filter and
 * risk model. */
static void test_rank_filters_match_assess(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->simple;
    fow_similarity_workspace *ws = new_workspace(x);
    fow_transition out[N_OCC];
    uint32_t kept = 0, dropped = 0; /* by the filters */
    for (int model = 0; model <= 1; model++)
        for (int safe = 0; safe <= 2; safe++)
            for (int desirable = 0; desirable <= 1; desirable++)
                for (uint32_t o = 0; o < N_OCC; o++) {
                    fow_transition_query q = query(x, safe, desirable, 0.0f);
                    q.model = (fow_risk_model)model;
                    uint32_t expected = 0;
                    for (uint32_t d = 0; d < N_OCC; d++) {
                        if (d == o) continue;
                        fow_transition t = assess(x, o, d, q.model);
                        int keep = (safe != 1 || t.safe == FOW_YES) && (safe != 2 || t.safe_strict == FOW_YES) &&
                                   (!desirable || t.desirable == FOW_YES);
                        expected += (uint32_t)keep;
                    }
                    uint32_t n_out = 0, n_matching = 0;
                    fow_transitions_from_occupation(ws, o, &q, out, N_OCC, &n_out, &n_matching);
                    if (n_matching != expected)
                        fail_msg("origin %u, model %d, safe %d, desirable %d: %u kept, assess says %u", o, model,
                                 safe, desirable, n_matching, expected);
                    for (uint32_t i = 0; i < n_out; i++) {
                        if (safe == 1) assert_int_equal(out[i].safe, FOW_YES);
                        if (safe == 2) assert_int_equal(out[i].safe_strict, FOW_YES);
                        if (desirable) assert_int_equal(out[i].desirable, FOW_YES);
                    }
                    if (safe || desirable) kept += n_matching, dropped += N_OCC - 1 - n_matching;
                }
    /* the filters both keep and drop: the comparison is not vacuous (from
     * mechanic alone, under MCC, they keep 4, 4, 2 and 2: see
     * test_transitions_from_occupation) */
    assert_true(kept >= 12);
    assert_true(dropped >= 12);
    fow_similarity_workspace_free(ws);
}

/* ---- gaps ----------------------------------------------------------------- */

static void test_gap(void **state) {
    tr_state *s = *state;
    fow_similarity_workspace *ws = new_workspace(s->simple);
    fow_error err;
    fow_error_clear(&err);
    fow_gap g;
    fow_similarity_origin_occupation(ws, MECHANIC);

    /* mechanic -> lift (W 4, every skill 0.25): holds repair, drawings; lacks inspect, plan */
    assert_fow_ok(fow_gap_compute(ws, LIFT, &g, &err), &err);
    assert_int_equal(g.destination, LIFT);
    assert_sim(g.similarity, 0.5f);
    assert_int_equal(g.n_missing, 2);
    assert_gap_skill(&g.missing[0], INSPECT, 0, 0.0f, 0.25f); /* tie: lower index first */
    assert_gap_skill(&g.missing[1], PLAN, 0, 0.0f, 0.25f);
    assert_int_equal(g.missing[0].essential, 1);
    assert_int_equal(g.missing[0].via, FOW_NO_INDEX);
    assert_int_equal(g.n_transfers, 2);
    assert_int_equal(g.n_transfer_exact, 2);
    assert_gap_skill(&g.transfers[0], REPAIR, 1, 1.0f, 0.25f);
    assert_gap_skill(&g.transfers[1], DRAWINGS, 1, 1.0f, 0.25f);
    assert_int_equal(g.n_optional_missing, 0);
    fow_gap_free(&g);
    assert_null(g.missing);
    assert_null(g.transfers);

    /* mechanic -> welder (W 3): tools held (1/3), weld held optionally
     * (cover 0.5, importance 1/3 * 0.5 = 0.166667), inspect missing (1/3) */
    assert_fow_ok(fow_gap_compute(ws, WELDER, &g, &err), &err);
    assert_sim(g.similarity, 0.5f);
    assert_int_equal(g.n_transfers, 2);
    assert_int_equal(g.n_transfer_exact, 2);
    assert_gap_skill(&g.transfers[0], TOOLS, 1, 1.0f, 0.333333f);
    assert_gap_skill(&g.transfers[1], WELD, 1, 0.5f, 0.166667f);
    assert_int_equal(g.n_missing, 1); /* weld is held, if only optionally */
    assert_gap_skill(&g.missing[0], INSPECT, 0, 0.0f, 0.333333f);
    fow_gap_free(&g);

    /* mechanic -> fitter (W 3.5): trucks, optional, is not covered */
    assert_fow_ok(fow_gap_compute(ws, FITTER, &g, &err), &err);
    assert_int_equal(g.n_missing, 1);
    assert_gap_skill(&g.missing[0], INSPECT, 0, 0.0f, 0.285714f); /* 1/3.5 */
    assert_int_equal(g.n_transfers, 2);
    assert_int_equal(g.n_optional_missing, 1);
    fow_gap_free(&g);

    /* mechanic -> planner: nothing transfers */
    assert_fow_ok(fow_gap_compute(ws, PLANNER, &g, &err), &err);
    assert_sim(g.similarity, 0.0f);
    assert_int_equal(g.n_transfers, 0);
    assert_int_equal(g.n_missing, 2);
    fow_gap_free(&g);
    fow_similarity_workspace_free(ws);

    /* with idf the missing skills sort by weight, not by index:
     * mechanic -> supervisor, W 10.302751: maintain 2.504077 / W = 0.243049,
     * budgets 2.098612 / W = 0.203694, plan 1.810930 / W = 0.175772;
     * drawings 1.587787 / W = 0.154113 transfers */
    ws = new_workspace(s->idf);
    fow_similarity_origin_occupation(ws, MECHANIC);
    assert_fow_ok(fow_gap_compute(ws, SUPERVISOR, &g, &err), &err);
    assert_sim(g.similarity, 0.154113f);
    assert_int_equal(g.n_missing, 3);
    assert_gap_skill(&g.missing[0], MAINTAIN, 0, 0.0f, 0.243049f);
    assert_gap_skill(&g.missing[1], BUDGETS, 0, 0.0f, 0.203694f);
    assert_gap_skill(&g.missing[2], PLAN, 0, 0.0f, 0.175772f);
    assert_int_equal(g.n_transfers, 1);
    assert_gap_skill(&g.transfers[0], DRAWINGS, 1, 1.0f, 0.154113f);
    assert_int_equal(g.n_optional_missing, 2); /* plc, customers */
    fow_gap_free(&g);
    fow_gap_free(&g); /* twice is harmless */
    fow_similarity_workspace_free(ws);
}

/* ---- upskilling ----------------------------------------------------------- */

static void test_upskill_occupation(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->simple;
    fow_similarity_workspace *ws = new_workspace(x);
    fow_error err;
    fow_error_clear(&err);
    fow_upskill_result r;

    /* Mechanic, safe and desirable moves only, threshold 0.58. Safe and
     * desirable from mechanic: lift (0.5) and fitter (0.571429), both below
     * 0.58: eligible; nothing passes yet (current 0). Candidates, the skills
     * of lift and fitter that mechanic lacks: inspect, plan, trucks (3).
     * Learning inspect: lift 3/4 = 0.75, fitter 3/3.5 = 0.857143 (and welder
     * (1 + 0.5 + 1)/3 = 0.833333, but welder is High risk): 2 new, example fitter.
     * Learning plan: lift 0.75: 1 new. Learning trucks (optional for fitter):
     * fitter (2 + 0.5)/3.5 = 0.714286: 1 new. plan and trucks tie on new
     * moves and origins: the higher example similarity (0.75) first. */
    assert_sim(sim_plus(x, MECHANIC, INSPECT, LIFT), 0.75f);
    assert_sim(sim_plus(x, MECHANIC, INSPECT, FITTER), 0.857143f);
    assert_sim(sim_plus(x, MECHANIC, INSPECT, WELDER), 0.833333f);
    assert_sim(sim_plus(x, MECHANIC, TRUCKS, FITTER), 0.714286f);
    fow_transition_query q;
    fow_transition_query_default(x, &q);
    q.safe = 1;
    q.desirable = 1;
    assert_fow_ok(fow_upskill_occupation(ws, MECHANIC, &q, 100, &r, &err), &err);
    assert_int_equal(r.origins, 1);
    assert_int_equal(r.current, 0);
    assert_int_equal(r.candidates, 3);
    assert_int_equal(r.n_options, 3);
    assert_option(&r.options[0], INSPECT, 2, 1, FITTER, 0.857143f);
    assert_option(&r.options[1], PLAN, 1, 1, LIFT, 0.75f);
    assert_option(&r.options[2], TRUCKS, 1, 1, FITTER, 0.714286f);
    fow_upskill_result_free(&r);
    assert_null(r.options);

    /* one candidate: the one with the most potential, inspect
     * (lift 1/4 + fitter 1/3.5 = 0.535714 against plan 0.25, trucks 0.142857) */
    assert_fow_ok(fow_upskill_occupation(ws, MECHANIC, &q, 1, &r, &err), &err);
    assert_int_equal(r.candidates, 1);
    assert_int_equal(r.n_options, 1);
    assert_option(&r.options[0], INSPECT, 2, 1, FITTER, 0.857143f);
    fow_upskill_result_free(&r);

    /* limit 1 keeps the best option, after evaluating all candidates */
    q.limit = 1;
    assert_fow_ok(fow_upskill_occupation(ws, MECHANIC, &q, 100, &r, &err), &err);
    assert_int_equal(r.candidates, 3);
    assert_int_equal(r.n_options, 1);
    assert_int_equal(r.options[0].skill, INSPECT);
    fow_upskill_result_free(&r);

    /* without filters: every other occupation is eligible (all below 0.58);
     * candidates come from those within reach (lift, fitter, welder):
     * inspect opens lift, fitter and welder (3); trucks opens fitter and
     * forklift (tools 0.5 * 1 + trucks 1) / 2.5 = 0.6 (2); plan opens lift
     * (supervisor (1 + 1)/5 = 0.4 and planner 1/2 stay below) (1) */
    q = query(x, 0, 0, 0.58f);
    assert_sim(sim_plus(x, MECHANIC, TRUCKS, FORKLIFT), 0.6f);
    assert_fow_ok(fow_upskill_occupation(ws, MECHANIC, &q, 100, &r, &err), &err);
    assert_int_equal(r.current, 0);
    assert_int_equal(r.candidates, 3);
    assert_int_equal(r.n_options, 3);
    assert_option(&r.options[0], INSPECT, 3, 1, FITTER, 0.857143f);
    assert_option(&r.options[1], TRUCKS, 2, 1, FITTER, 0.714286f);
    assert_option(&r.options[2], PLAN, 1, 1, LIFT, 0.75f);
    fow_upskill_result_free(&r);

    /* a min_similarity above viable raises the threshold: at 0.8 only
     * inspect -> fitter (0.857143) and -> welder (0.833333) qualify, welder
     * is unsafe: 1 new */
    q = query(x, 1, 1, 0.8f);
    assert_fow_ok(fow_upskill_occupation(ws, MECHANIC, &q, 100, &r, &err), &err);
    assert_int_equal(r.n_options, 1);
    assert_option(&r.options[0], INSPECT, 1, 1, FITTER, 0.857143f);
    fow_upskill_result_free(&r);

    /* delivery, safe moves only: forklift (Other 3.2 < 3.8) is already at
     * 0.6 (current 1); the other safe destinations (mechanic 0, lift 0,
     * fitter 0.071429, supervisor 0.1) are out of reach: no candidate */
    q = query(x, 1, 0, 0.58f);
    assert_fow_ok(fow_upskill_occupation(ws, DELIVERY, &q, 100, &r, &err), &err);
    assert_int_equal(r.origins, 1);
    assert_int_equal(r.current, 1);
    assert_int_equal(r.candidates, 0);
    assert_int_equal(r.n_options, 0);
    fow_upskill_result_free(&r);

    /* max_candidates must be in 1..10000 */
    assert_int_equal(fow_upskill_occupation(ws, MECHANIC, &q, 0, &r, &err), FOW_EINPUT);
    assert_string_equal(err.field, "candidates");
    assert_null(r.options);
    fow_upskill_result_free(&r);
    fow_error_clear(&err);
    assert_int_equal(fow_upskill_occupation(ws, MECHANIC, &q, 10001, &r, &err), FOW_EINPUT);
    fow_upskill_result_free(&r);
    fow_similarity_workspace_free(ws);
}

static void test_upskill_group(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->simple;
    fow_error err;
    fow_error_clear(&err);
    uint32_t *origins = NULL, n = 0;
    assert_fow_ok(fow_occupations_in_group(s->m, "7233", &origins, &n, &err), &err);
    assert_int_equal(n, 2);
    assert_int_equal(origins[0], MECHANIC);
    assert_int_equal(origins[1], FITTER);
    fow_transition_query q = query(x, 1, 1, 0.58f);
    /* mechanic alone (test_upskill_occupation): inspect 2, plan 1, trucks 1.
     * fitter (3.0, Other, zone 2, 22500): safe and desirable only lift
     * (Low 2.5; 33000/22500 = 1.47, zone +1) at 2/4 = 0.5; lift's skills
     * fitter lacks: repair, plan, each giving lift 3/4 = 0.75: 1 new each.
     * Summed: plan 1 + 1 = 2 new from 2 origins; inspect 2 from 1; repair
     * and trucks 1 from 1, repair first by its example (0.75 > 0.714286).
     * Candidates 3 + 2 = 5. */
    assert_sim(sim_plus(x, FITTER, REPAIR, LIFT), 0.75f);
    assert_sim(sim_plus(x, FITTER, PLAN, LIFT), 0.75f);
    fow_similarity_workspace *ws = new_workspace(x);
    fow_upskill_result r;
    assert_fow_ok(fow_upskill_occupations(ws, origins, n, &q, 100, &r, &err), &err);
    assert_int_equal(r.origins, 2);
    assert_int_equal(r.current, 0);
    assert_int_equal(r.candidates, 5);
    assert_int_equal(r.n_options, 4);
    assert_option(&r.options[0], PLAN, 2, 2, LIFT, 0.75f);
    assert_option(&r.options[1], INSPECT, 2, 1, FITTER, 0.857143f);
    assert_option(&r.options[2], REPAIR, 1, 1, LIFT, 0.75f);
    assert_option(&r.options[3], TRUCKS, 1, 1, FITTER, 0.714286f);
    /* each sum is the sum of the single-origin results */
    for (uint32_t i = 0; i < r.n_options; i++) {
        uint32_t total = 0, gaining = 0;
        for (uint32_t k = 0; k < n; k++) {
            fow_upskill_result one;
            assert_fow_ok(fow_upskill_occupation(ws, origins[k], &q, 100, &one, &err), &err);
            const fow_upskill_option *o = find_option(&one, r.options[i].skill);
            if (o) total += o->new_transitions, gaining++;
            fow_upskill_result_free(&one);
        }
        assert_int_equal(r.options[i].new_transitions, total);
        assert_int_equal(r.options[i].origins, gaining);
    }
    fow_upskill_result_free(&r);
    /* no origins: nothing */
    assert_fow_ok(fow_upskill_occupations(ws, origins, 0, &q, 100, &r, &err), &err);
    assert_int_equal(r.origins, 0);
    assert_int_equal(r.n_options, 0);
    fow_upskill_result_free(&r);
    fow_similarity_workspace_free(ws);
    free(origins);
}

/* ---- groups --------------------------------------------------------------- */

static void assert_group(const fow_model *m, const char *code, const uint32_t *expected, uint32_t n_expected) {
    fow_error err;
    fow_error_clear(&err);
    uint32_t *got = NULL, n = 0;
    assert_fow_ok(fow_occupations_in_group(m, code, &got, &n, &err), &err);
    if (n != n_expected) fail_msg("group %s: expected %u occupations, got %u", code, n_expected, n);
    for (uint32_t i = 0; i < n; i++) assert_int_equal(got[i], expected[i]);
    free(got);
}

static void assert_group_fails(const fow_model *m, const char *code, fow_code expected) {
    fow_error err;
    fow_error_clear(&err);
    static uint32_t sentinel;
    uint32_t *got = &sentinel, n = 7; /* both must be reset */
    assert_int_equal(fow_occupations_in_group(m, code, &got, &n, &err), expected);
    assert_int_equal(err.code, expected);
    assert_string_equal(err.field, "group");
    assert_null(got);
    assert_int_equal(n, 0);
}

static void test_occupations_in_group(void **state) {
    tr_state *s = *state;
    const fow_model *m = s->m;
    assert_group(m, "7233", (uint32_t[]){MECHANIC, FITTER}, 2);
    assert_group(m, "723", (uint32_t[]){MECHANIC, FITTER}, 2);
    assert_group(m, "72", (uint32_t[]){MECHANIC, FITTER, WELDER}, 3);
    assert_group(m, "7", (uint32_t[]){MECHANIC, LIFT, FITTER, WELDER}, 4);
    assert_group(m, "8", (uint32_t[]){FORKLIFT, DELIVERY}, 2);
    assert_group(m, "3122", (uint32_t[]){SUPERVISOR}, 1);
    assert_group_fails(m, "12345", FOW_EINPUT);
    assert_group_fails(m, "ab", FOW_EINPUT);
    assert_group_fails(m, "7a", FOW_EINPUT);
    assert_group_fails(m, "", FOW_EINPUT);
    assert_group_fails(m, "9", FOW_ENOTFOUND);
    assert_group_fails(m, "7234", FOW_ENOTFOUND);
}

static void test_transitions_group(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->simple;
    fow_error err;
    fow_error_clear(&err);
    const uint32_t origins[] = {MECHANIC, LIFT, FITTER, WELDER}; /* ISCO group 7 */
    fow_similarity_workspace *ws = new_workspace(x);
    fow_group_destination out[N_OCC];
    uint32_t n_out = 0, n_reached = 0;
    /* at least 0.45, no filter; each origin's destinations (matrix above):
     *   mechanic -> lift .5, fitter .571429, welder .5
     *   lift     -> mechanic .571429, fitter .571429, planner .5
     *   fitter   -> mechanic .571429, lift .5, welder .666667
     *   welder   -> fitter .571429 (mechanic .428571 is below)
     * fitter is reached 3 times (mean .571429); welder twice (mean (.5 + .666667)/2
     * = .583333), mechanic twice (.571429), lift twice (.5); planner once. */
    fow_transition_query q = query(x, 0, 0, 0.45f);
    assert_fow_ok(fow_transitions_group(ws, origins, 4, &q, out, N_OCC, &n_out, &n_reached, &err), &err);
    assert_int_equal(n_reached, 5);
    assert_int_equal(n_out, 5);
    const uint32_t dest[] = {FITTER, WELDER, MECHANIC, LIFT, PLANNER};
    const uint32_t count[] = {3, 2, 2, 2, 1};
    const float mean[] = {0.571429f, 0.583333f, 0.571429f, 0.5f, 0.5f};
    for (uint32_t i = 0; i < 5; i++) {
        if (out[i].destination != dest[i] || out[i].origins != count[i])
            fail_msg("rank %u: expected destination %u from %u origins, got %u from %u", i, dest[i], count[i],
                     out[i].destination, out[i].origins);
        assert_sim(out[i].mean_similarity, mean[i]);
        assert_int_equal(out[i].in_group, dest[i] != PLANNER);
    }
    /* the limit cuts the list, not the count */
    q.limit = 2;
    assert_fow_ok(fow_transitions_group(ws, origins, 4, &q, out, N_OCC, &n_out, &n_reached, &err), &err);
    assert_int_equal(n_out, 2);
    assert_int_equal(n_reached, 5);
    assert_int_equal(out[1].destination, WELDER);
    q.limit = 20;
    assert_fow_ok(fow_transitions_group(ws, origins, 4, &q, out, 1, &n_out, NULL, &err), &err);
    assert_int_equal(n_out, 1);
    assert_int_equal(out[0].destination, FITTER);
    /* safe only (MCC): mechanic (3.5) -> lift (2.5), fitter (3.0); lift (2.5)
     * -> nothing lower among its destinations (planner unknown); fitter (3.0)
     * -> lift; welder (4.0) -> fitter. lift: 2 origins, mean .5; fitter: 2,
     * mean (.571429 + .571429)/2 */
    q = query(x, 1, 0, 0.45f);
    assert_fow_ok(fow_transitions_group(ws, origins, 4, &q, out, N_OCC, &n_out, &n_reached, &err), &err);
    assert_int_equal(n_reached, 2);
    assert_int_equal(n_out, 2);
    assert_int_equal(out[0].destination, FITTER);
    assert_int_equal(out[0].origins, 2);
    assert_sim(out[0].mean_similarity, 0.571429f);
    assert_int_equal(out[1].destination, LIFT);
    assert_int_equal(out[1].origins, 2);
    assert_sim(out[1].mean_similarity, 0.5f);
    fow_similarity_workspace_free(ws);
}

/* ---- the k most similar of every occupation -------------------------------- */

/* The expected top-k row of origin o: all others by score (then index). */
static void expected_row(const fow_similarity_index *x, uint32_t o, uint32_t k, uint32_t *dest, float *simv) {
    fow_similarity_workspace *ws = new_workspace(x);
    fow_similarity_origin_occupation(ws, o);
    const float *scores = fow_similarity_scores(ws);
    uint32_t order[N_OCC], n = 0;
    for (uint32_t d = 0; d < N_OCC; d++) {
        if (d == o) continue;
        uint32_t i = n++;
        while (i > 0 && (scores[d] > scores[order[i - 1]])) order[i] = order[i - 1], i--;
        order[i] = d; /* equal scores keep index order */
    }
    uint32_t ranked = k < n ? k : n; /* the row holds the n others, then empty slots */
    for (uint32_t i = 0; i < ranked; i++) {
        dest[i] = order[i];
        simv[i] = scores[order[i]];
    }
    for (uint32_t i = ranked; i < k; i++) {
        dest[i] = FOW_NO_INDEX;
        simv[i] = 0.0f;
    }
    fow_similarity_workspace_free(ws);
}

static void check_top_all(const fow_similarity_index *x, uint32_t k) {
    uint32_t dest[3][N_OCC * 10];
    float simv[3][N_OCC * 10];
    assert_true(k <= 10);
    fow_error err;
    fow_error_clear(&err);
    for (unsigned threads = 1; threads <= 3; threads++)
        assert_fow_ok(fow_similarity_top_all(x, k, threads, dest[threads - 1], simv[threads - 1], &err), &err);
    for (unsigned t = 1; t < 3; t++) {
        assert_memory_equal(dest[0], dest[t], N_OCC * k * sizeof dest[0][0]);
        assert_memory_equal(simv[0], simv[t], N_OCC * k * sizeof simv[0][0]);
    }
    for (uint32_t o = 0; o < N_OCC; o++) {
        uint32_t want_d[10];
        float want_s[10];
        expected_row(x, o, k, want_d, want_s);
        for (uint32_t i = 0; i < k; i++) {
            uint32_t got = dest[0][o * k + i];
            if (got != want_d[i]) fail_msg("row %u, column %u: expected %u, got %u", o, i, want_d[i], got);
            assert_float_equal(simv[0][o * k + i], want_s[i], 1e-6f);
            assert_true(got != o);
        }
    }
}

static void test_top_all(void **state) {
    tr_state *s = *state;
    const fow_similarity_index *x = s->simple;
    uint32_t dest[N_OCC * 3];
    float simv[N_OCC * 3];
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_similarity_top_all(x, 3, 2, dest, simv, &err), &err);
    /* supervisor: planner 1, lift 2/4, then mechanic and fitter tie at 1/3.5: mechanic (lower index) */
    assert_int_equal(dest[SUPERVISOR * 3 + 0], PLANNER);
    assert_sim(simv[SUPERVISOR * 3 + 0], 1.0f);
    assert_int_equal(dest[SUPERVISOR * 3 + 1], LIFT);
    assert_sim(simv[SUPERVISOR * 3 + 1], 0.5f);
    assert_int_equal(dest[SUPERVISOR * 3 + 2], MECHANIC);
    assert_sim(simv[SUPERVISOR * 3 + 2], 0.285714f);
    /* mechanic: fitter .571429, lift .5, welder .5 (itself, .928571, excluded) */
    assert_int_equal(dest[MECHANIC * 3 + 0], FITTER);
    assert_int_equal(dest[MECHANIC * 3 + 1], LIFT);
    assert_int_equal(dest[MECHANIC * 3 + 2], WELDER);
    /* planner: supervisor .4, lift .25, then the first zero: mechanic */
    assert_int_equal(dest[PLANNER * 3 + 0], SUPERVISOR);
    assert_sim(simv[PLANNER * 3 + 0], 0.4f);
    assert_int_equal(dest[PLANNER * 3 + 1], LIFT);
    assert_int_equal(dest[PLANNER * 3 + 2], MECHANIC);
    assert_sim(simv[PLANNER * 3 + 2], 0.0f);

    /* k = 8 > 7 other occupations: the last column is padding */
    uint32_t wide[N_OCC * 8];
    float wide_s[N_OCC * 8];
    assert_fow_ok(fow_similarity_top_all(x, 8, 3, wide, wide_s, &err), &err);
    for (uint32_t o = 0; o < N_OCC; o++) {
        assert_int_equal(wide[o * 8 + 7], FOW_NO_INDEX);
        assert_sim(wide_s[o * 8 + 7], 0.0f);
        uint32_t seen = 0;
        for (uint32_t i = 0; i < 7; i++) {
            uint32_t d = wide[o * 8 + i];
            assert_true(d < N_OCC && d != o);
            seen |= 1u << d;
            if (i > 0) {
                float prev = wide_s[o * 8 + i - 1], cur = wide_s[o * 8 + i];
                assert_true(prev > cur || (prev == cur && wide[o * 8 + i - 1] < d));
            }
        }
        assert_int_equal(seen, 0xffu & ~(1u << o)); /* every other occupation once */
    }
    /* the same results with 1, 2 and 3 threads, and as a brute-force ranking */
    check_top_all(x, 1);
    check_top_all(x, 3);
    check_top_all(x, 7);
    check_top_all(x, 10);
    check_top_all(s->defaults, 3);
    check_top_all(s->words, 8);

    /* bad k or threads */
    assert_int_equal(fow_similarity_top_all(x, 0, 1, dest, simv, &err), FOW_EINPUT);
    assert_string_equal(err.field, "limit");
    assert_int_equal(fow_similarity_top_all(x, 100001, 1, dest, simv, &err), FOW_EINPUT);
    assert_int_equal(fow_similarity_top_all(x, 3, 0, dest, simv, &err), FOW_EINPUT);
    assert_string_equal(err.field, "threads");
    assert_int_equal(fow_similarity_top_all(x, 3, 65, dest, simv, &err), FOW_EINPUT);
    assert_string_equal(err.field, "threads");
    /* 64 threads, more than occupations, is fine */
    uint32_t many[N_OCC * 3];
    float many_s[N_OCC * 3];
    assert_fow_ok(fow_similarity_top_all(x, 3, 64, many, many_s, &err), &err);
    assert_memory_equal(many, dest, sizeof many);
}

/* Zero weights: with optional_weight 0 an optional requirement adds 0 to a
 * score, and with origin_optional_credit 0 an optional skill covers
 * nothing. Every row still lists each other occupation once, in order.
 * (fitter -> forklift is a case: forklift's optional tools adds 0, then its
 * essential trucks 0.5 * 1/2.) */
static void test_top_all_zero_weights(void **state) {
    tr_state *s = *state;
    fow_similarity_params p;
    simple_params(&p);
    p.optional_weight = 0.0f;
    fow_similarity_index *x = build_index(s->m, &p);
    assert_sim(sim(x, FITTER, FORKLIFT), 0.25f);
    assert_sim(sim(x, FITTER, DELIVERY), 0.0f); /* delivery needs trucks only optionally */
    check_top_all(x, 7);
    check_top_all(x, 3);
    fow_similarity_index_free(x);
    p.origin_optional_credit = 0.0f;
    p.reverse_weight = 0.5f;
    x = build_index(s->m, &p);
    check_top_all(x, 7);
    fow_similarity_index_free(x);
    simple_params(&p);
    p.origin_optional_credit = 0.0f;
    p.related_words = 1;
    x = build_index(s->m, &p);
    check_top_all(x, 7);
    /* mechanic's optional weld now covers nothing: welder (tools 1 + weld 0) / 3 */
    assert_sim(sim(x, MECHANIC, WELDER), 0.333333f);
    fow_similarity_index_free(x);
}

/* ---- resolution ----------------------------------------------------------- */

static void assert_resolves(const fow_model *m, const char *key, uint32_t expected) {
    fow_error err;
    fow_error_clear(&err);
    uint32_t index = 12345;
    fow_code rc = fow_resolve_occupation(m, key, &index, &err);
    if (rc != FOW_OK) fail_msg("'%s': %s: %s", key, fow_code_name(rc), err.message);
    if (index != expected) fail_msg("'%s': expected occupation %u, got %u", key, expected, index);
}

static void test_resolve_occupation(void **state) {
    tr_state *s = *state;
    const fow_model *m = s->m;
    assert_resolves(m, TR_OCC "hydraulic-mechanic", MECHANIC);  /* URI */
    assert_resolves(m, "lift-technician", LIFT);                /* last segment of the URI */
    assert_resolves(m, "7233.2", FITTER);                       /* ESCO code */
    assert_resolves(m, "Hydraulic MECHANIC", MECHANIC);         /* label, any case */
    assert_resolves(m, "MECANICIEN hydraulique", MECHANIC);     /* alternative label, without accents */
    assert_resolves(m, "mécanicien  hydraulique", MECHANIC);    /* with them, and a double space */
    assert_resolves(m, "Elevator Technician", LIFT);
    assert_resolves(m, "  welder", WELDER);

    fow_error err;
    fow_error_clear(&err);
    uint32_t index = 0;
    /* a misspelling: close matches by shared words ("mechanic", also in the
     * alternative label "mechanical fitter" of plant fitter) */
    assert_int_equal(fow_resolve_occupation(m, "hydrolic mechanic", &index, &err), FOW_ENOTFOUND);
    assert_int_equal(index, FOW_NO_INDEX);
    assert_string_equal(err.field, "occupation");
    assert_contains(err.message, "close matches");
    assert_contains(err.message, "'hydraulic mechanic'");
    assert_contains(err.message, "'plant fitter'");
    /* a prefix is a close match, not a match */
    fow_error_clear(&err);
    assert_int_equal(fow_resolve_occupation(m, "maintenance", &index, &err), FOW_ENOTFOUND);
    assert_contains(err.message, "'maintenance planner'");
    assert_contains(err.message, "'maintenance supervisor'");
    /* an unknown URI: no guessing */
    fow_error_clear(&err);
    assert_int_equal(fow_resolve_occupation(m, TR_OCC "astronaut", &index, &err), FOW_ENOTFOUND);
    assert_true(strstr(err.message, "close matches") == NULL);
    /* nothing close at all */
    fow_error_clear(&err);
    assert_int_equal(fow_resolve_occupation(m, "zzz qqq", &index, &err), FOW_ENOTFOUND);
    assert_true(strstr(err.message, "close matches") == NULL);
    /* "mechanical fitter" is an alternative label of two occupations */
    fow_error_clear(&err);
    assert_int_equal(fow_resolve_occupation(m, "Mechanical Fitter", &index, &err), FOW_EINPUT);
    assert_int_equal(index, FOW_NO_INDEX);
    assert_string_equal(err.field, "occupation");
    assert_contains(err.message, "hydraulic mechanic");
    assert_contains(err.message, "plant fitter");
    /* nothing given */
    fow_error_clear(&err);
    assert_int_equal(fow_resolve_occupation(m, "", &index, &err), FOW_EINPUT);
    assert_int_equal(fow_resolve_occupation(m, "   ", &index, &err), FOW_EINPUT);
}

/* The first occupation (lowest index) a key names, by scanning: what
 * fow_model_occupation_by_key must answer. */
static uint32_t scan_occupation_key(const fow_model *m, bool by_uri, const char *key) {
    for (uint32_t o = 0; o < m->n_occupations; o++) {
        const fow_model_occupation *oc = &m->occupations[o];
        if (by_uri ? strcmp(oc->uri, key) == 0
                   : (oc->code[0] && strcmp(oc->code, key) == 0) ||
                         strcmp(fow_model_uri_last_segment(oc->uri), key) == 0)
            return o;
    }
    return FOW_NO_INDEX;
}

/* The key tables answer exactly as a scan for every URI, code and last
 * segment of the model, and FOW_NO_INDEX for keys nobody has; a key needs
 * no terminating NUL. */
static void test_occupation_by_key(void **state) {
    tr_state *s = *state;
    const fow_model *m = s->m;
    for (uint32_t o = 0; o < m->n_occupations; o++) {
        const fow_model_occupation *oc = &m->occupations[o];
        const char *keys[3] = {oc->uri, oc->code, fow_model_uri_last_segment(oc->uri)};
        for (int k = 0; k < 3; k++) {
            if (!keys[k][0]) continue;
            bool by_uri = k == 0;
            assert_int_equal(fow_model_occupation_by_key(m, by_uri, keys[k], strlen(keys[k])),
                             scan_occupation_key(m, by_uri, keys[k]));
        }
        char longer[512];
        snprintf(longer, sizeof longer, "%sX", oc->uri);
        assert_int_equal(fow_model_occupation_by_key(m, true, longer, strlen(oc->uri)), o);
        assert_int_equal(fow_model_occupation_by_key(m, true, longer, strlen(longer)), FOW_NO_INDEX);
    }
    assert_int_equal(fow_model_occupation_by_key(m, false, "no-such-key", 11), FOW_NO_INDEX);
    assert_int_equal(fow_model_occupation_by_key(m, false, "", 0), FOW_NO_INDEX);
    assert_int_equal(fow_model_occupation_by_key(m, true, "lift-technician", 15), FOW_NO_INDEX);
    assert_int_equal(fow_model_occupation_by_key(m, false, "lift-technician", 15), LIFT);
}

/* The skill and label tables answer as scans: every skill's URI and last
 * segment give the first skill (lowest index) with that URI or segment,
 * every term's folded text the first term of its run; a key needs no NUL;
 * unknown keys give FOW_NO_INDEX. */
static void test_skill_and_label_keys(void **state) {
    tr_state *s = *state;
    const fow_model *m = s->m;
    for (uint32_t k = 0; k < m->n_skills; k++) {
        const char *uri = m->skills[k].uri;
        if (!uri[0]) continue;
        const char *keys[2] = {uri, fow_model_uri_last_segment(uri)};
        for (int i = 0; i < 2; i++) {
            uint32_t want = FOW_NO_INDEX;
            for (uint32_t j = 0; j < m->n_skills && want == FOW_NO_INDEX; j++) {
                const char *u = m->skills[j].uri, *last = fow_model_uri_last_segment(u);
                if (u[0] && (strcmp(u, keys[i]) == 0 || (last != u && strcmp(last, keys[i]) == 0))) want = j;
            }
            assert_int_not_equal(want, FOW_NO_INDEX);
            assert_int_equal(fow_model_skill_by_key(m, keys[i], strlen(keys[i])), want);
        }
        char longer[512];
        snprintf(longer, sizeof longer, "%sX", uri);
        assert_int_equal(fow_model_skill_by_key(m, longer, strlen(uri)), fow_model_skill_by_key(m, uri, strlen(uri)));
        assert_int_equal(fow_model_skill_by_key(m, longer, strlen(longer)), FOW_NO_INDEX);
    }
    assert_int_equal(fow_model_skill_by_key(m, "no-such-skill", 13), FOW_NO_INDEX);
    assert_true(m->n_terms > 0);
    for (uint32_t t = 0; t < m->n_terms; t++) {
        const char *folded = fow_model_text(m, m->terms[t].folded);
        uint32_t first = t;
        while (first > 0 && strcmp(fow_model_text(m, m->terms[first - 1].folded), folded) == 0) first--;
        assert_int_equal(fow_model_term_by_folded(m, folded, m->terms[t].folded_len), first);
    }
    assert_int_equal(fow_model_term_by_folded(m, "no such label at all", 20), FOW_NO_INDEX);
    assert_int_equal(fow_model_term_by_folded(m, "", 0), FOW_NO_INDEX);
}

static void test_resolve_skill(void **state) {
    tr_state *s = *state;
    const fow_model *m = s->m;
    fow_skill_resolution r;
    fow_resolve_skill(m, "Repair HYDRAULIC systems", &r);
    assert_int_equal(r.skill, REPAIR);
    assert_int_equal(r.n_suggestions, 0);
    fow_resolve_skill(m, TR_SKILL "weld-metal-parts", &r);
    assert_int_equal(r.skill, WELD);
    fow_resolve_skill(m, "  use hand tools", &r);
    assert_int_equal(r.skill, TOOLS);
    /* unresolved: the search finds "repairs" as "repair" with one typo (a
     * letter too many), in any word order, so its one hit is the suggestion */
    fow_resolve_skill(m, "hydraulic repairs", &r);
    assert_int_equal(r.skill, FOW_NO_INDEX);
    assert_int_equal(r.n_suggestions, 1);
    assert_int_equal(r.suggestions[0], REPAIR);
    char buf[200];
    assert_string_equal(fow_resolve_format_suggestions(m, 1, r.suggestions, r.n_suggestions, buf, sizeof buf),
                        "'repair hydraulic systems'");
    /* no word for the search: "hydraulic" is in two labels; equal scores,
     * both preferred: the shorter label first */
    fow_resolve_skill(m, "hydraulic xyzzy", &r);
    assert_int_equal(r.skill, FOW_NO_INDEX);
    assert_int_equal(r.n_suggestions, 2);
    assert_int_equal(r.suggestions[0], REPAIR);
    assert_int_equal(r.suggestions[1], MAINTAIN);
    /* one word each in "weld metal parts" and "serve customers", both rare
     * alike: the shorter label first, though its skill comes later */
    fow_resolve_skill(m, "metal customers", &r);
    assert_int_equal(r.skill, FOW_NO_INDEX);
    assert_int_equal(r.n_suggestions, 2);
    assert_int_equal(r.suggestions[0], CUSTOMERS);
    assert_int_equal(r.suggestions[1], WELD);
    /* a prefix is only a suggestion */
    fow_resolve_skill(m, "weld", &r);
    assert_int_equal(r.skill, FOW_NO_INDEX);
    assert_int_equal(r.n_suggestions, 1);
    assert_int_equal(r.suggestions[0], WELD);
    /* nothing close; an unknown URI; nothing */
    fow_resolve_skill(m, "underwater basket knitting", &r);
    assert_int_equal(r.skill, FOW_NO_INDEX);
    assert_int_equal(r.n_suggestions, 0);
    fow_resolve_skill(m, TR_SKILL "juggling", &r);
    assert_int_equal(r.skill, FOW_NO_INDEX);
    assert_int_equal(r.n_suggestions, 0);
    fow_resolve_skill(m, "", &r);
    assert_int_equal(r.skill, FOW_NO_INDEX);
    /* occupations' labels are not skills */
    fow_resolve_skill(m, "welder", &r);
    assert_int_equal(r.skill, FOW_NO_INDEX);
}

static void test_resolve_split(void **state) {
    (void)state;
    char text[] = "a; b;\n c;;";
    char *items[8];
    assert_int_equal(fow_resolve_split(text, items, 8), 3);
    assert_string_equal(items[0], "a");
    assert_string_equal(items[1], "b");
    assert_string_equal(items[2], "c");
    char crlf[] = "use hand tools\r\n\tweld metal parts \r\n";
    assert_int_equal(fow_resolve_split(crlf, items, 8), 2);
    assert_string_equal(items[0], "use hand tools");
    assert_string_equal(items[1], "weld metal parts");
    char blank[] = "  ;\n; \t";
    assert_int_equal(fow_resolve_split(blank, items, 8), 0);
    char empty[] = "";
    assert_int_equal(fow_resolve_split(empty, items, 8), 0);
    /* more items than room: all counted, max written */
    char three[] = "x;y;z";
    items[2] = NULL;
    assert_int_equal(fow_resolve_split(three, items, 2), 3);
    assert_string_equal(items[0], "x");
    assert_string_equal(items[1], "y");
    assert_null(items[2]);
}

/* ---- parameters ----------------------------------------------------------- */

static void assert_rejected(const fow_model *m, const fow_similarity_params *p, const char *field) {
    static fow_similarity_index sentinel;
    fow_similarity_index *x = &sentinel; /* must be reset to NULL */
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_similarity_index_build(m, p, &x, &err), FOW_EINPUT);
    assert_null(x);
    assert_int_equal(err.code, FOW_EINPUT);
    assert_string_equal(err.field, field);
    assert_contains(err.message, field);
}

static void test_index_params_rejected(void **state) {
    tr_state *s = *state;
    const fow_model *m = s->m;
    static const struct {
        const char *field;
        float value;
    } bad[] = {
        {"optional_weight", 1.5f},         {"optional_weight", NAN},     {"origin_optional_credit", -0.1f},
        {"related_credit", 2.0f},          {"related_min", 1.01f},       {"reverse_weight", 0.6f}, /* at most 0.5 */
        {"reverse_weight", -0.1f},         {"related_max", 65.0f},       {"viable", 0.8f}, /* above highly_viable */
        {"highly_viable", 1.5f},
    };
    fow_similarity_params p;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        simple_params(&p);
        const char *f = bad[i].field;
        if (strcmp(f, "optional_weight") == 0) p.optional_weight = bad[i].value;
        else if (strcmp(f, "origin_optional_credit") == 0) p.origin_optional_credit = bad[i].value;
        else if (strcmp(f, "related_credit") == 0) p.related_credit = bad[i].value;
        else if (strcmp(f, "related_min") == 0) p.related_min = bad[i].value;
        else if (strcmp(f, "reverse_weight") == 0) p.reverse_weight = bad[i].value;
        else if (strcmp(f, "related_max") == 0) p.related_max = (uint32_t)bad[i].value;
        else if (strcmp(f, "viable") == 0) p.viable = bad[i].value;
        else p.highly_viable = bad[i].value;
        /* both thresholds are reported as "viable" */
        assert_rejected(m, &p, strcmp(f, "highly_viable") == 0 ? "viable" : f);
    }
    /* the limits themselves are accepted */
    simple_params(&p);
    p.optional_weight = 0.0f, p.origin_optional_credit = 1.0f, p.related_credit = 1.0f, p.related_min = 0.0f;
    p.reverse_weight = 0.5f, p.related_max = 64, p.viable = p.highly_viable = 1.0f;
    fow_similarity_index *x = build_index(m, &p);
    assert_int_equal(x->params.related_max, 64);
    fow_similarity_index_free(x);
    fow_similarity_index_free(NULL);
    fow_similarity_workspace_free(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_shape),
        cmocka_unit_test(test_similarity_simple),
        cmocka_unit_test(test_similarity_idf),
        cmocka_unit_test(test_similarity_reverse),
        cmocka_unit_test(test_similarity_defaults),
        cmocka_unit_test(test_similarity_to_matches_scores),
        cmocka_unit_test(test_jaccard),
        cmocka_unit_test(test_related_by_words),
        cmocka_unit_test(test_related_by_cooccurrence),
        cmocka_unit_test(test_assess_viability),
        cmocka_unit_test(test_viable_needs_essential_skills),
        cmocka_unit_test(test_combined_similarity),
        cmocka_unit_test(test_safe_margin),
        cmocka_unit_test(test_assess_desirable),
        cmocka_unit_test(test_assess_safe_mcc),
        cmocka_unit_test(test_assess_safe_frey_osborne),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_transitions_from_occupation),
        cmocka_unit_test(test_transitions_of_a_person),
        cmocka_unit_test(test_rank_filters_match_assess),
        cmocka_unit_test(test_gap),
        cmocka_unit_test(test_upskill_occupation),
        cmocka_unit_test(test_upskill_group),
        cmocka_unit_test(test_occupations_in_group),
        cmocka_unit_test(test_transitions_group),
        cmocka_unit_test(test_top_all),
        cmocka_unit_test(test_top_all_zero_weights),
        cmocka_unit_test(test_resolve_occupation),
        cmocka_unit_test(test_occupation_by_key),
        cmocka_unit_test(test_skill_and_label_keys),
        cmocka_unit_test(test_resolve_skill),
        cmocka_unit_test(test_resolve_split),
        cmocka_unit_test(test_index_params_rejected),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
