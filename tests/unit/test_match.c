/* test_match.c — from a gap to modules (src/training/fow_match.c) on
 * catalogues built in memory: the exact solver against a brute force over
 * every subset of modules, the greedy within its bound H(d) of the optimum,
 * prerequisite modules and skills, languages, currencies, skills no module
 * teaches, skills not worth their cost, the order of the plan, and bad
 * input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "training/fow_match.h"
#include "test_support.h"

#define MAX_MODULES 16
#define MAX_LINKS 128

/* A catalogue written by hand: modules with ids 1.. and their links. */
typedef struct cat {
    fow_training_catalogue c;
    fow_training_module modules[MAX_MODULES];
    fow_training_link links[MAX_LINKS];
    char codes[MAX_MODULES][8];
    char labels[64][16];
} cat;

static void cat_init(cat *k) {
    memset(k, 0, sizeof *k);
    k->c.modules = k->modules;
    k->c.links = k->links;
    for (int i = 0; i < 64; i++) snprintf(k->labels[i], sizeof k->labels[i], "skill %d", i);
}

/* Adds module code (cost in minor units, hours, language); returns its index. */
static size_t cat_module(cat *k, long long cost, double hours, const char *language, const char *currency) {
    size_t i = k->c.n_modules++;
    assert_true(i < MAX_MODULES);
    fow_training_module *m = &k->modules[i];
    snprintf(k->codes[i], sizeof k->codes[i], "M%zu", i);
    m->id = (int64_t)i + 1;
    m->code = k->codes[i];
    m->provider = m->accreditation = m->accreditation_valid_until = m->programme = "";
    m->title_ro = m->title_en = m->code;
    m->description_ro = m->description_en = m->place = m->eligibility = "";
    m->mode = "online";
    m->hours = hours;
    m->language = language;
    m->cost_minor = cost;
    m->currency = currency;
    m->links = &k->links[k->c.n_links];
    return i;
}

/* Adds a link to the last module added (links of one module must be added together). */
static void cat_link(cat *k, fow_training_link_kind kind, int64_t skill, size_t module) {
    assert_true(k->c.n_links < MAX_LINKS);
    fow_training_link *l = &k->links[k->c.n_links++];
    l->kind = kind;
    l->skill_id = kind == FOW_TRAINING_NEEDS_MODULE ? 0 : skill;
    l->uri = "";
    l->label = kind == FOW_TRAINING_NEEDS_MODULE ? k->codes[module] : k->labels[skill % 64];
    l->module_id = kind == FOW_TRAINING_NEEDS_MODULE ? (int64_t)module + 1 : 0;
    k->modules[k->c.n_modules - 1].n_links++;
}

static fow_match_need need(cat *k, int64_t skill, int essential) {
    return (fow_match_need){skill, k->labels[skill % 64], "", (uint8_t)essential, (uint32_t)skill};
}

static fow_match_index *index_of(cat *k) {
    fow_match_index *x = NULL;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_match_index_build(&k->c, &x, &err), &err);
    return x;
}

/* ---- brute force ---------------------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint32_t rnd(uint32_t n) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

/* The cost of module m as the match counts it. */
static long long cost_of(const fow_training_module *m, const fow_match_params *p) {
    return m->cost_minor + (long long)(p->hour_value * m->hours + 0.5);
}

/* The best objective over every set of modules in which each module's
 * prerequisite modules are present (the catalogues here have no
 * prerequisite skills and one language and currency). */
static long long brute_force(const cat *k, const fow_match_need *needs, size_t n_needs, const fow_match_params *p) {
    long long best = -1;
    size_t n = k->c.n_modules;
    for (uint32_t set = 0; set < (1u << n); set++) {
        bool ok = true;
        long long total = 0;
        for (size_t m = 0; m < n && ok; m++) {
            if (!(set >> m & 1u)) continue;
            total += cost_of(&k->modules[m], p);
            for (size_t l = 0; l < k->modules[m].n_links; l++)
                if (k->modules[m].links[l].kind == FOW_TRAINING_NEEDS_MODULE &&
                    !(set >> (k->modules[m].links[l].module_id - 1) & 1u))
                    ok = false;
        }
        if (!ok) continue;
        for (size_t e = 0; e < n_needs; e++) {
            bool covered = false;
            for (size_t m = 0; m < n && !covered; m++) {
                if (!(set >> m & 1u)) continue;
                for (size_t l = 0; l < k->modules[m].n_links; l++)
                    if (k->modules[m].links[l].kind == FOW_TRAINING_TEACHES &&
                        k->modules[m].links[l].skill_id == needs[e].skill_id)
                        covered = true;
            }
            if (!covered) total += (long long)(needs[e].essential ? p->essential_weight : p->optional_weight) * p->skill_value;
        }
        if (best < 0 || total < best) best = total;
    }
    return best;
}

/* A random catalogue of 4 to 12 modules teaching skills 1..14, some
 * needing an earlier module; needs: a random set of those skills. */
static size_t random_instance(cat *k, fow_match_need *needs) {
    cat_init(k);
    size_t n = 4 + rnd(9);
    for (size_t m = 0; m < n; m++) {
        cat_module(k, (long long)rnd(6) * 10000, 2.0 + rnd(40), "ro", "RON");
        size_t teaches = 1 + rnd(4);
        int64_t taught[4];
        for (size_t t = 0; t < teaches; t++) {
            int64_t s = 1 + rnd(14);
            bool dup = false;
            for (size_t u = 0; u < t; u++) dup |= taught[u] == s;
            taught[t] = dup ? 0 : s;
            if (!dup) cat_link(k, FOW_TRAINING_TEACHES, s, 0);
        }
        if (m > 0 && rnd(5) == 0) cat_link(k, FOW_TRAINING_NEEDS_MODULE, 0, rnd((uint32_t)m));
    }
    size_t n_needs = 0;
    for (int64_t s = 1; s <= 16; s++)
        if (rnd(2)) needs[n_needs] = need(k, s, rnd(3) != 0), n_needs++;
    return n_needs;
}

static void exact_equals_brute_force(void **state) {
    (void)state;
    fow_match_params p;
    fow_match_params_default(&p);
    p.skill_value = 20000; /* so that leaving a skill is sometimes best */
    int exact_runs = 0, greedy_optimal = 0;
    for (int round = 0; round < 400; round++) {
        cat k;
        fow_match_need needs[16];
        size_t n_needs = random_instance(&k, needs);
        fow_match_index *x = index_of(&k);
        long long best = brute_force(&k, needs, n_needs, &p);
        fow_error err;
        fow_error_clear(&err);
        fow_match_result exact, greedy;
        p.solver = FOW_MATCH_SOLVER_EXACT;
        assert_fow_ok(fow_match_solve(x, needs, n_needs, NULL, 0, &p, &exact, &err), &err);
        p.solver = FOW_MATCH_SOLVER_GREEDY;
        assert_fow_ok(fow_match_solve(x, needs, n_needs, NULL, 0, &p, &greedy, &err), &err);
        assert_int_equal(exact.solver_used, FOW_MATCH_SOLVER_EXACT);
        assert_int_equal(exact.objective, best);
        exact_runs++;
        /* the greedy: never better than the optimum, within H(d) of it */
        assert_true(greedy.objective >= best);
        assert_true((double)greedy.objective <= fow_match_harmonic(greedy.max_set) * (double)best + 1e-6);
        greedy_optimal += greedy.objective == best;
        /* the plan's own figures agree with its modules */
        long long price = 0;
        for (size_t i = 0; i < exact.n_chosen; i++) price += k.modules[exact.chosen[i].module].cost_minor;
        assert_int_equal(price, exact.price_minor);
        uint32_t covered = 0;
        for (size_t e = 0; e < n_needs; e++) covered += exact.needs[e].status == FOW_MATCH_COVERED;
        assert_int_equal(covered, exact.covered);
        /* every chosen module comes after its prerequisites */
        for (size_t i = 0; i < exact.n_chosen; i++) {
            const fow_training_module *m = &k.modules[exact.chosen[i].module];
            for (size_t l = 0; l < m->n_links; l++) {
                if (m->links[l].kind != FOW_TRAINING_NEEDS_MODULE) continue;
                bool before = false;
                for (size_t j = 0; j < i; j++) before |= (int64_t)exact.chosen[j].module + 1 == m->links[l].module_id;
                assert_true(before);
            }
        }
        fow_match_result_free(&exact);
        fow_match_result_free(&greedy);
        fow_match_index_free(x);
    }
    assert_int_equal(exact_runs, 400);
    /* the greedy is not always optimal on these (else the test proves little) */
    assert_true(greedy_optimal < 400);
}

/* ---- prerequisites ------------------------------------------------------------ */

static void prerequisite_module_comes_first(void **state) {
    (void)state;
    cat k;
    cat_init(&k);
    size_t a = cat_module(&k, 10000, 10, "ro", "RON");
    cat_link(&k, FOW_TRAINING_TEACHES, 1, 0);
    cat_module(&k, 20000, 10, "ro", "RON");
    cat_link(&k, FOW_TRAINING_TEACHES, 2, 0);
    cat_link(&k, FOW_TRAINING_NEEDS_MODULE, 0, a);
    fow_match_index *x = index_of(&k);
    fow_match_need needs[] = {need(&k, 2, 1)};
    fow_match_result r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_match_solve(x, needs, 1, NULL, 0, NULL, &r, &err), &err);
    assert_int_equal(r.n_chosen, 2);
    assert_int_equal(r.chosen[0].module, 0); /* M0, the prerequisite */
    assert_int_equal(r.chosen[0].required_by, 1);
    assert_int_equal(r.chosen[0].n_covers, 0);
    assert_int_equal(r.chosen[1].module, 1);
    assert_int_equal(r.chosen[1].required_by, -1);
    assert_int_equal(r.price_minor, 30000);
    assert_true(r.hours == 20.0);
    assert_int_equal(r.needs[0].status, FOW_MATCH_COVERED);
    assert_int_equal(r.needs[0].covered_by, 1);
    fow_match_result_free(&r);
    /* a person holding what M0 teaches has done it: M1 alone */
    int64_t held[] = {1};
    assert_fow_ok(fow_match_solve(x, needs, 1, held, 1, NULL, &r, &err), &err);
    assert_int_equal(r.n_chosen, 1);
    assert_int_equal(r.chosen[0].module, 1);
    fow_match_result_free(&r);
    fow_match_index_free(x);
}

static void prerequisite_skill(void **state) {
    (void)state;
    cat k;
    cat_init(&k);
    cat_module(&k, 10000, 10, "ro", "RON"); /* M0 teaches 2, needs skill 5 */
    cat_link(&k, FOW_TRAINING_TEACHES, 2, 0);
    cat_link(&k, FOW_TRAINING_NEEDS_SKILL, 5, 0);
    fow_match_index *x = index_of(&k);
    fow_match_need needs[] = {need(&k, 2, 1)};
    fow_match_result r;
    fow_error err;
    fow_error_clear(&err);
    /* skill 5 lacking and taught nowhere: M0 is excluded, with the skill named */
    assert_fow_ok(fow_match_solve(x, needs, 1, NULL, 0, NULL, &r, &err), &err);
    assert_int_equal(r.n_chosen, 0);
    assert_int_equal(r.n_excluded, 1);
    assert_int_equal(r.excluded[0].reason, FOW_MATCH_EXCLUDED_PREREQUISITE_SKILL);
    assert_string_equal(r.excluded[0].detail, "skill 5");
    assert_int_equal(r.needs[0].status, FOW_MATCH_ONLY_EXCLUDED);
    assert_string_equal(fow_match_status_name(r.needs[0].status), "only_excluded");
    fow_match_result_free(&r);
    /* held: M0 is taken */
    int64_t held[] = {5};
    assert_fow_ok(fow_match_solve(x, needs, 1, held, 1, NULL, &r, &err), &err);
    assert_int_equal(r.n_chosen, 1);
    assert_int_equal(r.n_excluded, 0);
    fow_match_result_free(&r);
    fow_match_index_free(x);
    /* taught by a module: the cheapest of two comes along, first */
    cat_module(&k, 90000, 10, "ro", "RON"); /* M1 teaches 5, dear */
    cat_link(&k, FOW_TRAINING_TEACHES, 5, 0);
    cat_module(&k, 1000, 10, "ro", "RON"); /* M2 teaches 5, cheap */
    cat_link(&k, FOW_TRAINING_TEACHES, 5, 0);
    x = index_of(&k);
    assert_fow_ok(fow_match_solve(x, needs, 1, NULL, 0, NULL, &r, &err), &err);
    assert_int_equal(r.n_chosen, 2);
    assert_int_equal(r.chosen[0].module, 2);
    assert_int_equal(r.chosen[0].required_by, 1);
    assert_int_equal(r.chosen[1].module, 0);
    fow_match_result_free(&r);
    fow_match_index_free(x);
}

static void prerequisite_cycle_excluded(void **state) {
    (void)state;
    cat k;
    cat_init(&k);
    cat_module(&k, 1000, 1, "ro", "RON");
    cat_link(&k, FOW_TRAINING_TEACHES, 1, 0);
    cat_link(&k, FOW_TRAINING_NEEDS_MODULE, 0, 1);
    cat_module(&k, 1000, 1, "ro", "RON");
    cat_link(&k, FOW_TRAINING_TEACHES, 2, 0);
    cat_link(&k, FOW_TRAINING_NEEDS_MODULE, 0, 0);
    fow_match_index *x = index_of(&k);
    fow_match_need needs[] = {need(&k, 1, 1), need(&k, 2, 1)};
    fow_match_result r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_match_solve(x, needs, 2, NULL, 0, NULL, &r, &err), &err);
    /* each needs the other: neither can be taken first */
    assert_int_equal(r.n_excluded, 2);
    assert_int_equal(r.excluded[0].reason, FOW_MATCH_EXCLUDED_PREREQUISITE_MODULE);
    assert_int_equal(r.n_chosen, 0);
    fow_match_result_free(&r);
    fow_match_index_free(x);
}

/* ---- language, currency, skills not taught, not worth ------------------------------ */

static void languages_and_currency(void **state) {
    (void)state;
    cat k;
    cat_init(&k);
    cat_module(&k, 1000, 5, "en", "RON"); /* M0: cheap, in English */
    cat_link(&k, FOW_TRAINING_TEACHES, 1, 0);
    cat_module(&k, 50000, 5, "ro", "RON"); /* M1: dear, in Romanian */
    cat_link(&k, FOW_TRAINING_TEACHES, 1, 0);
    cat_module(&k, 10, 1, "ro", "EUR"); /* M2: in euros */
    cat_link(&k, FOW_TRAINING_TEACHES, 1, 0);
    fow_match_index *x = index_of(&k);
    assert_string_equal(fow_match_index_currency(x), "RON");
    fow_match_need needs[] = {need(&k, 1, 1)};
    fow_match_params p;
    fow_match_params_default(&p);
    fow_match_result r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_match_solve(x, needs, 1, NULL, 0, &p, &r, &err), &err);
    assert_int_equal(r.n_chosen, 1);
    assert_int_equal(r.chosen[0].module, 0);
    assert_int_equal(r.n_excluded, 1); /* M2, in another currency */
    assert_int_equal(r.excluded[0].module, 2);
    assert_int_equal(r.excluded[0].reason, FOW_MATCH_EXCLUDED_CURRENCY);
    assert_string_equal(r.excluded[0].detail, "EUR");
    assert_string_equal(r.currency, "RON");
    fow_match_result_free(&r);
    char buf[64];
    assert_fow_ok(fow_match_params_languages(&p, "ro", buf, sizeof buf, &err), &err);
    assert_fow_ok(fow_match_solve(x, needs, 1, NULL, 0, &p, &r, &err), &err);
    assert_int_equal(r.n_chosen, 1);
    assert_int_equal(r.chosen[0].module, 1);
    assert_int_equal(r.n_excluded, 2);
    assert_int_equal(r.excluded[0].reason, FOW_MATCH_EXCLUDED_LANGUAGE);
    assert_string_equal(r.excluded[0].detail, "en");
    fow_match_result_free(&r);
    /* euros asked for: M2 */
    p.n_languages = 0;
    p.currency = "EUR";
    assert_fow_ok(fow_match_solve(x, needs, 1, NULL, 0, &p, &r, &err), &err);
    assert_int_equal(r.n_chosen, 1);
    assert_int_equal(r.chosen[0].module, 2);
    assert_string_equal(r.currency, "EUR");
    fow_match_result_free(&r);
    fow_match_index_free(x);
}

/* Dates: a module without an open cohort from the date on is left out. */
static void dates(void **state) {
    (void)state;
    cat k;
    cat_init(&k);
    cat_module(&k, 1000, 5, "ro", "RON"); /* M0: cheap, no cohort */
    cat_link(&k, FOW_TRAINING_TEACHES, 1, 0);
    cat_module(&k, 90000, 5, "ro", "RON"); /* M1: dear, with a cohort */
    cat_link(&k, FOW_TRAINING_TEACHES, 1, 0);
    fow_match_index *x = index_of(&k);
    fow_match_need needs[] = {need(&k, 1, 1)};
    fow_match_params p;
    fow_match_params_default(&p);
    const uint8_t has_cohort[] = {0, 1};
    p.has_cohort = has_cohort;
    p.starts_after = "2027-02-01";
    fow_match_result r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_match_solve(x, needs, 1, NULL, 0, &p, &r, &err), &err);
    assert_int_equal(r.n_chosen, 1);
    assert_int_equal(r.chosen[0].module, 1);
    assert_int_equal(r.n_excluded, 1);
    assert_int_equal(r.excluded[0].reason, FOW_MATCH_EXCLUDED_NO_COHORT);
    assert_string_equal(r.excluded[0].detail, "2027-02-01");
    assert_string_equal(fow_match_exclusion_name(r.excluded[0].reason), "no_cohort");
    fow_match_result_free(&r);
    p.has_cohort = NULL; /* dates not considered: the cheap one */
    assert_fow_ok(fow_match_solve(x, needs, 1, NULL, 0, &p, &r, &err), &err);
    assert_int_equal(r.chosen[0].module, 0);
    fow_match_result_free(&r);
    fow_match_index_free(x);
}

static void not_taught_and_not_worth(void **state) {
    (void)state;
    cat k;
    cat_init(&k);
    cat_module(&k, 10000, 10, "ro", "RON"); /* M0: 10000 + 10 h x 2000 = 30000 */
    cat_link(&k, FOW_TRAINING_TEACHES, 1, 0);
    cat_module(&k, 5000000, 100, "ro", "RON"); /* M1: far dearer than an optional skill */
    cat_link(&k, FOW_TRAINING_TEACHES, 2, 0);
    fow_match_index *x = index_of(&k);
    fow_match_need needs[] = {need(&k, 1, 1), need(&k, 2, 0), need(&k, 3, 1)};
    fow_match_result r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_match_solve(x, needs, 3, NULL, 0, NULL, &r, &err), &err);
    assert_int_equal(r.n_chosen, 1);
    assert_int_equal(r.chosen[0].module, 0);
    assert_int_equal(r.chosen[0].cost, 30000);
    assert_int_equal(r.needs[0].status, FOW_MATCH_COVERED);
    assert_int_equal(r.needs[1].status, FOW_MATCH_NOT_WORTH);
    assert_int_equal(r.needs[2].status, FOW_MATCH_NOT_TAUGHT);
    assert_int_equal(r.needs[2].teaching, 0);
    assert_int_equal(r.covered, 1);
    assert_int_equal(r.coverable, 2);
    assert_int_equal(r.weight_needed, 3 + 1 + 3);
    assert_int_equal(r.weight_covered, 3);
    /* 30000 for M0, and the values of the skills left: 100000 + 300000 */
    assert_int_equal(r.objective, 30000 + 100000 + 300000);
    fow_match_result_free(&r);
    /* worth more: taken */
    fow_match_params p;
    fow_match_params_default(&p);
    p.skill_value = 10000000;
    assert_fow_ok(fow_match_solve(x, needs, 3, NULL, 0, &p, &r, &err), &err);
    assert_int_equal(r.n_chosen, 2);
    assert_int_equal(r.needs[1].status, FOW_MATCH_COVERED);
    fow_match_result_free(&r);
    fow_match_index_free(x);
}

/* The plan starts with the module teaching the most weight. */
static void plan_order(void **state) {
    (void)state;
    cat k;
    cat_init(&k);
    cat_module(&k, 100, 1, "ro", "RON");
    cat_link(&k, FOW_TRAINING_TEACHES, 1, 0);
    cat_module(&k, 100, 1, "ro", "RON");
    cat_link(&k, FOW_TRAINING_TEACHES, 2, 0);
    cat_link(&k, FOW_TRAINING_TEACHES, 3, 0);
    fow_match_index *x = index_of(&k);
    fow_match_need needs[] = {need(&k, 1, 1), need(&k, 2, 1), need(&k, 3, 0)};
    fow_match_result r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_match_solve(x, needs, 3, NULL, 0, NULL, &r, &err), &err);
    assert_int_equal(r.n_chosen, 2);
    assert_int_equal(r.chosen[0].module, 1);
    assert_int_equal(r.chosen[0].n_covers, 2);
    assert_int_equal(r.chosen[0].weight_covered, 4);
    assert_int_equal(r.chosen[1].module, 0);
    assert_int_equal(r.solver_used, FOW_MATCH_SOLVER_EXACT);
    fow_match_result_free(&r);
    fow_match_index_free(x);
}

/* ---- bad input -------------------------------------------------------------------- */

static void bad_input(void **state) {
    (void)state;
    cat k;
    cat_init(&k);
    fow_match_index *x = index_of(&k);
    fow_match_result r;
    fow_error err;
    fow_error_clear(&err);
    fow_match_need twice[] = {need(&k, 1, 1), need(&k, 1, 0)};
    assert_int_equal(fow_match_solve(x, twice, 2, NULL, 0, NULL, &r, &err), FOW_EINPUT);
    assert_string_equal(err.field, "skills");
    assert_non_null(strstr(err.message, "'skill 1' is given twice"));
    fow_match_result_free(&r);
    fow_match_params p;
    fow_match_params_default(&p);
    p.optional_weight = 5; /* more than essential */
    assert_int_equal(fow_match_solve(x, NULL, 0, NULL, 0, &p, &r, &err), FOW_EINPUT);
    assert_string_equal(err.field, "optional_weight");
    fow_match_result_free(&r);
    fow_match_params_default(&p);
    p.hour_value = -1;
    assert_int_equal(fow_match_params_check(&p, &err), FOW_EINPUT);
    assert_string_equal(err.field, "hour_value");
    fow_match_params_default(&p);
    p.exact_max = 99;
    assert_int_equal(fow_match_params_check(&p, &err), FOW_EINPUT);
    assert_string_equal(err.field, "exact_max");
    char buf[64];
    assert_int_equal(fow_match_params_languages(&p, "ro,EN", buf, sizeof buf, &err), FOW_EINPUT);
    assert_string_equal(err.field, "languages");
    assert_non_null(strstr(err.message, "'EN'"));
    assert_int_equal(fow_match_params_languages(&p, "ro,en,fr,de,it,es,hu,pl,cz", buf, sizeof buf, &err), FOW_EINPUT);
    assert_fow_ok(fow_match_params_languages(&p, " ro, en ", buf, sizeof buf, &err), &err);
    assert_int_equal(p.n_languages, 2);
    assert_string_equal(p.languages[1], "en");
    fow_match_solver s;
    assert_int_equal(fow_match_solver_parse("exact", &s), 0);
    assert_int_equal(s, FOW_MATCH_SOLVER_EXACT);
    assert_int_equal(fow_match_solver_parse("best", &s), -1);
    /* an empty catalogue and no needs: an empty plan */
    assert_fow_ok(fow_match_solve(x, NULL, 0, NULL, 0, NULL, &r, &err), &err);
    assert_int_equal(r.n_chosen, 0);
    assert_int_equal(r.objective, 0);
    fow_match_result_free(&r);
    fow_match_index_free(x);
    assert_true(fow_match_harmonic(1) == 1.0);
    assert_true(fow_match_harmonic(3) > 1.83 && fow_match_harmonic(3) < 1.84);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_equals_brute_force),
        cmocka_unit_test(prerequisite_module_comes_first),
        cmocka_unit_test(prerequisite_skill),
        cmocka_unit_test(prerequisite_cycle_excluded),
        cmocka_unit_test(languages_and_currency),
        cmocka_unit_test(dates),
        cmocka_unit_test(not_taught_and_not_worth),
        cmocka_unit_test(plan_order),
        cmocka_unit_test(bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
