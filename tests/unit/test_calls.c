/* test_calls.c — calls for applications of the voucher programme
 * (src/vouchers/fow_calls.h, fow_eligibility.h): rules as data and their
 * errors, the eligibility engine rule by rule, registration codes, a call's
 * definition and its errors by field, the journey (apply, eligibility kept,
 * jury, conflicts that forbid scoring, ranking with its tie-breaks, awards
 * within the budget line only, the history), parallel awards that only K of
 * N can have, the issuer hook inside the award's transaction, and the
 * person's export and erasure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/fow_accounts.h"
#include "base/fow_check.h"
#include "service/fow_checks.h"
#include "training/fow_cohort.h"
#include "people/fow_people.h"
#include "plans/fow_plans.h"
#include "taxonomy/fow_import.h"
#include "taxonomy/fow_model.h"
#include "test_support.h"
#include "vouchers/fow_calls.h"
#include "vouchers/fow_eligibility.h"
#include "vouchers/fow_vouchers.h"

#define NOW 1796000000LL /* 2026-11-30 00:53 UTC */

static const fow_people_staff CLUJ = {.name = "carla", .organisation = "AJOFM Cluj"};
static const fow_people_staff IASI = {.name = "ion", .organisation = "AJOFM Iasi"};

static void assert_fails_on(fow_code rc, fow_code code, const fow_error *err, const char *field) {
    if (rc != code)
        fail_msg("expected %s on field '%s', got %s: %s", fow_code_name(code), field, fow_code_name(rc), err->message);
    if (strcmp(err->field, field) != 0) fail_msg("expected field '%s', got '%s': %s", field, err->field, err->message);
    assert_true(err->message[0] != '\0');
}

static json_t *parse(const char *text) {
    json_error_t jerr;
    json_t *j = json_loads(text, 0, &jerr);
    if (!j) fail_msg("not JSON: %s (%s)", text, jerr.text);
    return j;
}

/* ---- rules and the engine ------------------------------------------------------ */

static fow_code rule_of(const char *text, fow_call_rule *rule, fow_error *err) {
    json_t *j = parse(text);
    fow_code rc = fow_call_rule_parse(j, "rules[0]", rule, err);
    json_decref(j);
    return rc;
}

static void test_rules_parse(void **state) {
    (void)state;
    fow_call_rule r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(rule_of("{\"kind\": \"age\", \"min\": 18, \"max\": 64}", &r, &err), &err);
    assert_int_equal(r.kind, FOW_RULE_AGE);
    assert_int_equal(r.min_age, 18);
    assert_int_equal(r.max_age, 64);
    assert_fow_ok(rule_of("{\"kind\": \"residence_area\", \"areas\": [\"Cluj-Napoca\", \"Florești\"]}", &r, &err),
                  &err);
    assert_int_equal(r.n_items, 2);
    assert_fow_ok(rule_of("{\"kind\": \"occupation_risk\", \"model\": \"frey-osborne\"}", &r, &err), &err);
    assert_int_equal(r.model, FOW_RISK_MODEL_FREY_OSBORNE);
    assert_fow_ok(rule_of("{\"kind\": \"no_earlier_award\"}", &r, &err), &err);
    assert_string_equal(r.purpose, "");
    assert_fow_ok(rule_of("{\"kind\": \"active_plan\"}", &r, &err), &err);

    /* the canonical form round-trips */
    assert_fow_ok(rule_of("{\"max\": 30, \"kind\": \"age\"}", &r, &err), &err);
    fow_jw w;
    fow_jw_init(&w, -1);
    fow_call_rule_write(&w, &r);
    assert_string_equal(fow_jw_text(&w, NULL), "{\"kind\":\"age\",\"max\":30}");
    fow_jw_free(&w);

    assert_fails_on(rule_of("{\"kind\": \"shoe_size\"}", &r, &err), FOW_EINPUT, &err, "rules[0].kind");
    assert_fails_on(rule_of("{\"kind\": \"age\"}", &r, &err), FOW_EINPUT, &err, "rules[0]");
    assert_fails_on(rule_of("{\"kind\": \"age\", \"min\": 70, \"max\": 30}", &r, &err), FOW_EINPUT, &err, "rules[0]");
    assert_fails_on(rule_of("{\"kind\": \"age\", \"min\": 3}", &r, &err), FOW_EINPUT, &err, "rules[0].min");
    assert_fails_on(rule_of("{\"kind\": \"age\", \"min\": 20, \"areas\": []}", &r, &err), FOW_EINPUT, &err,
                    "rules[0].areas");
    assert_fails_on(rule_of("{\"kind\": \"residence_area\", \"areas\": []}", &r, &err), FOW_EINPUT, &err,
                    "rules[0].areas");
    assert_fails_on(rule_of("{\"kind\": \"residence_area\", \"areas\": [\"A\", \"A\"]}", &r, &err), FOW_EINPUT, &err,
                    "rules[0].areas");
    assert_fails_on(rule_of("{\"kind\": \"employment_status\", \"statuses\": [\"retired\"]}", &r, &err), FOW_EINPUT,
                    &err, "rules[0].statuses");
    assert_fails_on(rule_of("{\"kind\": \"occupation_risk\", \"model\": \"vibes\"}", &r, &err), FOW_EINPUT, &err,
                    "rules[0].model");
    assert_fails_on(rule_of("{\"kind\": \"no_earlier_award\", \"purpose\": \"Bad Purpose\"}", &r, &err), FOW_EINPUT,
                    &err, "rules[0].purpose");
    assert_fails_on(rule_of("[1]", &r, &err), FOW_EINPUT, &err, "rules[0]");
}

/* The demo's risk estimates imported into d (which holds the demo bundle)
 * and its model loaded. */
static fow_model *risk_model(ts_db *d) {
    fow_import_report rep;
    fow_error err;
    fow_error_clear(&err);
    char path[TS_PATH_MAX];
    fow_import_options opt = {.model = "mcc"};
    ts_join(path, sizeof path, ts_demo_dir(), "risk.csv");
    assert_fow_ok(fow_import_risk(d->db, path, &opt, &rep, &err), &err);
    fow_model *m = NULL;
    assert_fow_ok(fow_model_load(d->db, &m, &err), &err);
    return m;
}

static void test_eligibility_engine(void **state) {
    ts_db *d = *state;
    fow_error bundle_err;
    fow_error_clear(&bundle_err);
    fow_import_report bundle;
    assert_fow_ok(fow_import_bundle(d->db, ts_demo_dir(), NULL, &bundle, &bundle_err), &bundle_err);
    fow_model *model = risk_model(d);
    fow_error err;
    fow_error_clear(&err);
    const char *texts[] = {
        "{\"kind\": \"residence_area\", \"areas\": [\"Cluj-Napoca\", \"Florești\"]}",
        "{\"kind\": \"occupation_risk\", \"model\": \"mcc\"}",
        "{\"kind\": \"age\", \"min\": 18, \"max\": 64}",
        "{\"kind\": \"employment_status\", \"statuses\": [\"unemployed\", \"employed\"]}",
        "{\"kind\": \"no_earlier_award\"}",
        "{\"kind\": \"active_plan\"}",
    };
    fow_call_rule rules[6];
    for (int i = 0; i < 6; i++) assert_fow_ok(rule_of(texts[i], &rules[i], &err), &err);
    const char *uri = "urn:fow:demo:occupation:call-centre-agent";
    fow_eligibility_facts f = {.kind = FOW_APPLICANT_PERSON,
                               .year = 2026,
                               .birth_year = 1990,
                               .area = "FLORESTI", /* case and accents ignored */
                               .employment_status = "employed",
                               .model = model,
                               .occupation = fow_model_occupation_by_key(model, true, uri, strlen(uri)),
                               .occupation_uri = uri,
                               .call_purpose = "learning_module",
                               .active_plans = 1};
    assert_int_not_equal(f.occupation, FOW_NO_INDEX);
    fow_rule_result res[6];
    assert_true(fow_eligibility_evaluate(rules, 6, &f, res));
    for (int i = 0; i < 6; i++) assert_int_equal(res[i].outcome, FOW_RULE_PASSED);
    assert_string_equal(res[2].code, "calls.rule.age.passed");
    assert_non_null(strstr(res[2].text, "Aged 36 in 2026"));
    assert_non_null(strstr(res[1].text, "High risk"));

    /* each failure explained by its own rule */
    f.birth_year = 1950;
    f.area = "Iași";
    f.employment_status = "student";
    f.active_plans = 0;
    const char *purposes[] = {"learning_module"};
    const long long calls[] = {7};
    f.earlier_award_purposes = purposes;
    f.earlier_award_calls = calls;
    f.n_earlier_awards = 1;
    assert_false(fow_eligibility_evaluate(rules, 6, &f, res));
    assert_int_equal(res[0].outcome, FOW_RULE_FAILED);
    assert_int_equal(res[1].outcome, FOW_RULE_PASSED);
    assert_int_equal(res[2].outcome, FOW_RULE_FAILED);
    assert_string_equal(res[2].code, "calls.rule.age.failed");
    assert_int_equal(res[3].outcome, FOW_RULE_FAILED);
    assert_int_equal(res[4].outcome, FOW_RULE_FAILED);
    assert_non_null(strstr(res[4].text, "call 7"));
    assert_int_equal(res[5].outcome, FOW_RULE_FAILED);

    /* an award of another purpose does not count */
    const char *other[] = {"lab_time"};
    f.earlier_award_purposes = other;
    fow_eligibility_evaluate(rules, 6, &f, res);
    assert_int_equal(res[4].outcome, FOW_RULE_PASSED);

    /* what the record lacks is unknown, and unknown is not eligible */
    fow_eligibility_facts empty = {.kind = FOW_APPLICANT_PERSON, .year = 2026, .occupation = FOW_NO_INDEX,
                                   .call_purpose = "learning_module", .active_plans = -1};
    assert_false(fow_eligibility_evaluate(rules, 6, &empty, res));
    assert_int_equal(res[0].outcome, FOW_RULE_UNKNOWN);
    assert_int_equal(res[1].outcome, FOW_RULE_UNKNOWN);
    assert_int_equal(res[2].outcome, FOW_RULE_UNKNOWN);
    assert_string_equal(res[2].code, "calls.rule.age.unknown");
    assert_int_equal(res[3].outcome, FOW_RULE_UNKNOWN);
    assert_int_equal(res[4].outcome, FOW_RULE_PASSED);
    assert_int_equal(res[5].outcome, FOW_RULE_UNKNOWN);

    /* a low-risk occupation fails the risk rule */
    const char *low = "urn:fow:demo:occupation:helpdesk-technician";
    f.occupation = fow_model_occupation_by_key(model, true, low, strlen(low));
    f.occupation_uri = low;
    fow_eligibility_evaluate(rules, 6, &f, res);
    assert_true(res[1].outcome == FOW_RULE_FAILED || res[1].outcome == FOW_RULE_UNKNOWN);

    /* an enterprise: only no_earlier_award applies */
    fow_eligibility_facts ent = {.kind = FOW_APPLICANT_ENTERPRISE, .year = 2026, .occupation = FOW_NO_INDEX,
                                 .call_purpose = "learning_module"};
    assert_true(fow_eligibility_evaluate(rules, 6, &ent, res));
    assert_int_equal(res[0].outcome, FOW_RULE_NOT_APPLICABLE);
    assert_string_equal(res[0].code, "calls.rule.residence_area.not_applicable");
    assert_int_equal(res[4].outcome, FOW_RULE_PASSED);

    /* the JSON: one message object per rule */
    fow_jw w;
    fow_jw_init(&w, -1);
    fow_eligibility_evaluate(rules, 6, &f, res);
    fow_eligibility_write(&w, rules, res, 6, false, NOW);
    json_t *j = parse(fow_jw_text(&w, NULL));
    fow_jw_free(&w);
    json_t *r2 = json_array_get(json_object_get(j, "rules"), 2);
    assert_string_equal(json_string_value(json_object_get(r2, "outcome")), "failed");
    json_t *msg = json_object_get(r2, "message");
    assert_string_equal(json_string_value(json_object_get(msg, "code")), "calls.rule.age.failed");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(msg, "params"), "age")), 76);
    assert_non_null(json_string_value(json_object_get(msg, "text")));
    json_decref(j);
    fow_model_free(model);
}

static void test_registration_codes(void **state) {
    (void)state;
    assert_true(fow_registration_code_valid("14399840"));
    assert_true(fow_registration_code_valid("RO14399840"));
    assert_true(fow_registration_code_valid("18547290"));
    assert_true(fow_registration_code_valid("12345674"));
    assert_false(fow_registration_code_valid("14399841")); /* wrong control digit */
    assert_false(fow_registration_code_valid("1"));
    assert_false(fow_registration_code_valid("12345678901"));
    assert_false(fow_registration_code_valid("RO"));
    assert_false(fow_registration_code_valid("1439984O"));
    assert_false(fow_registration_code_valid(NULL));
}

/* ---- the journey ------------------------------------------------------------------- */

typedef struct fixture {
    ts_db d;
    fow_people *people;
    fow_model *model;
    int64_t line;
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    *state = f;
    char key[TS_PATH_MAX];
    ts_programme_open(&f->d, key, sizeof key, &f->people, NULL);
    fow_error err;
    fow_error_clear(&err);
    fow_accounts_set_hash_strength(FOW_HASH_MIN);
    assert_fow_ok(fow_calls_attach(&err), &err);
    f->model = risk_model(&f->d);
    int64_t fund;
    assert_fow_ok(fow_voucher_fund_create(f->d.db, "CEV", "RON", NULL, "office", NOW, &fund, &err), &err);
    assert_fow_ok(fow_budget_line_add(f->d.db, fund, "learning_module", 2026, 300000, "Modules", "office", NOW,
                                      &f->line, &err),
                  &err);
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    fow_calls_set_issuer(NULL);
    fow_model_free(f->model);
    ts_programme_close(&f->d, f->people, NULL);
    free(f);
    return 0;
}

static fow_calls_ctx ctx_of(fixture *f, const fow_people_staff *staff, const char *actor) {
    return (fow_calls_ctx){.db = f->d.db, .people = f->people, .staff = staff, .model = f->model, .actor = actor,
                           .now = NOW};
}

static long long make_call(fixture *f, const char *values, const char *rules) {
    char def[4096];
    snprintf(def, sizeof def,
             "{\"budget_line\": %lld, \"title\": {\"en\": \"Learning vouchers\", \"ro\": \"Vouchere de învățare\"},"
             " \"opens_on\": \"2026-11-01\", \"closes_on\": \"2026-12-31\", \"values\": %s,"
             " \"criteria\": [{\"code\": \"relevance\", \"title\": {\"en\": \"Relevance\", \"ro\": \"Relevanță\"},"
             "   \"weight\": 60, \"max_score\": 10},"
             "  {\"code\": \"feasibility\", \"title\": {\"en\": \"Feasibility\", \"ro\": \"Fezabilitate\"},"
             "   \"weight\": 40, \"max_score\": 5}],"
             " \"rules\": %s}",
             (long long)f->line, values, rules);
    fow_calls_ctx c = ctx_of(f, &CLUJ, "office");
    fow_error err;
    fow_error_clear(&err);
    long long id = 0;
    assert_fow_ok(fow_calls_create(&c, def, &id, &err), &err);
    return id;
}

static void person(fixture *f, int birth_year, const char *area, const char *status, bool vouchers,
                   char id[FOW_PERSON_ID_CHARS + 1]) {
    fow_error err;
    fow_error_clear(&err);
    fow_person_input in = {.birth_year = birth_year, .area = area, .employment_status = status,
                           .occupation = "call centre agent"};
    assert_fow_ok(fow_people_add(f->people, &CLUJ, f->model, &in, NOW, id, &err), &err);
    if (vouchers)
        assert_fow_ok(fow_people_consent_give(f->people, &CLUJ, id, FOW_PURPOSE_VOUCHERS, "v1", NOW, &err), &err);
}

static long long apply_person(fixture *f, long long call, const char *id, long long requested, fow_error *err) {
    fow_calls_ctx c = ctx_of(f, &CLUJ, "carla");
    fow_application_input in = {.kind = FOW_APPLICANT_PERSON, .person = id, .requested_minor = requested,
                                .proposal = "A module on customer data, to move to helpdesk work."};
    long long app = 0;
    fow_code rc = fow_calls_apply(&c, call, &in, &app, err);
    return rc ? -(long long)rc : app;
}

static void juror(fixture *f, const char *name) {
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_accounts_user_add(f->d.db, name, NULL, "juror", "correct horse battery", NOW, NULL, &err), &err);
}

static void score(fixture *f, const char *who, long long app, int relevance, int feasibility) {
    fow_calls_ctx c = ctx_of(f, NULL, who);
    fow_score_input s[] = {{"relevance", relevance, NULL}, {"feasibility", feasibility, "ok"}};
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_calls_score(&c, app, s, 2, &err), &err);
}

static json_t *written(fow_code (*fn)(const fow_calls_ctx *, long long, fow_jw *, fow_error *), fixture *f,
                       long long id) {
    fow_calls_ctx c = ctx_of(f, &CLUJ, "office");
    fow_jw w;
    fow_jw_init(&w, -1);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fn(&c, id, &w, &err), &err);
    json_t *j = parse(fow_jw_text(&w, NULL));
    fow_jw_free(&w);
    return j;
}

static json_t *application(fixture *f, long long app, fow_calls_viewer viewer, const fow_people_staff *staff,
                           const char *actor) {
    fow_calls_ctx c = ctx_of(f, staff, actor);
    fow_jw w;
    fow_jw_init(&w, -1);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_calls_application_write(&c, app, viewer, &w, &err), &err);
    json_t *j = parse(fow_jw_text(&w, NULL));
    fow_jw_free(&w);
    return j;
}

static const char *status_of(fixture *f, long long app) {
    static char buf[32];
    json_t *j = application(f, app, FOW_CALLS_VIEW_OFFICE, NULL, "office");
    snprintf(buf, sizeof buf, "%s", json_string_value(json_object_get(j, "status")));
    json_decref(j);
    return buf;
}

static void test_call_definition_errors(void **state) {
    fixture *f = *state;
    fow_calls_ctx c = ctx_of(f, &CLUJ, "office");
    fow_error err;
    long long id;
    char def[2048];
#define DEF(line, title, dates, values, criteria, rules)                                                             \
    snprintf(def, sizeof def,                                                                                         \
             "{\"budget_line\": %s, \"title\": %s, %s, \"values\": %s, \"criteria\": %s, \"rules\": %s}", line,      \
             title, dates, values, criteria, rules)
    const char *T = "{\"en\": \"T\", \"ro\": \"T\"}", *D = "\"opens_on\": \"2026-11-01\", \"closes_on\": \"2026-12-31\"";
    const char *V = "[{\"applicant\": \"person\", \"mode\": \"fixed\", \"amount\": 1000}]";
    const char *C = "[{\"code\": \"q\", \"title\": {\"en\": \"Q\", \"ro\": \"Q\"}, \"weight\": 100, \"max_score\": 10}]";
    char line[32];
    snprintf(line, sizeof line, "%lld", (long long)f->line);

    assert_fails_on(fow_calls_create(&c, "{", &id, &err), FOW_EINPUT, &err, "definition");
    DEF("999", T, D, V, C, "[]");
    assert_fails_on(fow_calls_create(&c, def, &id, &err), FOW_ENOTFOUND, &err, "budget_line");
    DEF(line, "{\"en\": \"T\"}", D, V, C, "[]");
    assert_fails_on(fow_calls_create(&c, def, &id, &err), FOW_EINPUT, &err, "title.ro");
    DEF(line, T, "\"opens_on\": \"2026-02-30\", \"closes_on\": \"2026-12-31\"", V, C, "[]");
    assert_fails_on(fow_calls_create(&c, def, &id, &err), FOW_EINPUT, &err, "opens_on");
    DEF(line, T, "\"opens_on\": \"2026-12-01\", \"closes_on\": \"2026-11-30\"", V, C, "[]");
    assert_fails_on(fow_calls_create(&c, def, &id, &err), FOW_EINPUT, &err, "closes_on");
    DEF(line, T, D, "[{\"applicant\": \"robot\", \"mode\": \"fixed\", \"amount\": 1}]", C, "[]");
    assert_fails_on(fow_calls_create(&c, def, &id, &err), FOW_EINPUT, &err, "values[0].applicant");
    DEF(line, T, D, "[{\"applicant\": \"person\", \"mode\": \"fixed\", \"amount\": 12.5}]", C, "[]");
    assert_fails_on(fow_calls_create(&c, def, &id, &err), FOW_EINPUT, &err, "values[0].amount");
    DEF(line, T, D, V, "[{\"code\": \"q\", \"title\": {\"en\": \"Q\", \"ro\": \"Q\"}, \"weight\": 90, \"max_score\": 10}]",
        "[]");
    assert_fails_on(fow_calls_create(&c, def, &id, &err), FOW_EINPUT, &err, "criteria");
    DEF(line, T, D, V, "[{\"code\": \"q\", \"title\": {\"en\": \"Q\", \"ro\": \"Q\"}, \"weight\": 100, \"max_score\": 0}]",
        "[]");
    assert_fails_on(fow_calls_create(&c, def, &id, &err), FOW_EINPUT, &err, "criteria[0].max_score");
    DEF(line, T, D, V, C, "[{\"kind\": \"age\"}, {\"kind\": \"planet\"}]");
    assert_fails_on(fow_calls_create(&c, def, &id, &err), FOW_EINPUT, &err, "rules[0]");
    snprintf(def, sizeof def, "{\"budget_line\": %s, \"colour\": \"red\"}", line);
    assert_fails_on(fow_calls_create(&c, def, &id, &err), FOW_EINPUT, &err, "colour");
#undef DEF
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM voucher_calls"), 0);
}

static void test_journey(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    long long call = make_call(
        f,
        "[{\"applicant\": \"person\", \"mode\": \"up_to\", \"amount\": 120000},"
        " {\"applicant\": \"enterprise\", \"mode\": \"fixed\", \"amount\": 150000}]",
        "[{\"kind\": \"residence_area\", \"areas\": [\"Cluj-Napoca\"]}, {\"kind\": \"age\", \"min\": 18, \"max\": 64},"
        " {\"kind\": \"occupation_risk\", \"model\": \"mcc\"}, {\"kind\": \"no_earlier_award\"}]");

    /* public: the list and the call with its rules explained */
    fow_calls_ctx pub = {.db = f->d.db, .now = NOW};
    fow_jw w;
    fow_jw_init(&w, -1);
    assert_fow_ok(fow_calls_list_write(&pub, &w, &err), &err);
    json_t *list = parse(fow_jw_text(&w, NULL));
    fow_jw_free(&w);
    json_t *first = json_array_get(json_object_get(list, "calls"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "state")), "open");
    assert_string_equal(json_string_value(json_object_get(first, "purpose")), "learning_module");
    assert_int_equal(json_integer_value(json_object_get(first, "rules")), 4);
    json_decref(list);
    json_t *doc = written(fow_calls_write, f, call);
    json_t *rule1 = json_array_get(json_object_get(doc, "rules"), 1);
    assert_string_equal(json_string_value(json_object_get(json_object_get(rule1, "message"), "code")),
                        "calls.requires.age");
    json_decref(doc);

    char ana[FOW_PERSON_ID_CHARS + 1], bogdan[FOW_PERSON_ID_CHARS + 1], old[FOW_PERSON_ID_CHARS + 1],
        noconsent[FOW_PERSON_ID_CHARS + 1], dan[FOW_PERSON_ID_CHARS + 1];
    person(f, 1990, "Cluj-Napoca", "employed", true, ana);
    person(f, 1985, "cluj-napoca", "unemployed", true, bogdan);
    person(f, 1950, "Cluj-Napoca", "employed", true, old);
    person(f, 1990, "Cluj-Napoca", "employed", false, noconsent);
    person(f, 1992, "Cluj-Napoca", "employed", true, dan);

    /* no vouchers consent: no application, nothing stored */
    assert_int_equal(apply_person(f, call, noconsent, 0, &err), -(long long)FOW_EINPUT);
    assert_string_equal(err.field, "consent");
    /* more than the cap */
    assert_int_equal(apply_person(f, call, ana, 130000, &err), -(long long)FOW_EINPUT);
    assert_string_equal(err.field, "amount");
    /* a counsellor of another organisation does not see the person */
    {
        fow_calls_ctx c = ctx_of(f, &IASI, "ion");
        fow_application_input in = {.kind = FOW_APPLICANT_PERSON, .person = ana, .proposal = "x"};
        long long id;
        assert_int_equal(fow_calls_apply(&c, call, &in, &id, &err), FOW_ENOTFOUND);
    }
    long long a_ana = apply_person(f, call, ana, 100000, &err);
    assert_true(a_ana > 0);
    long long a_bogdan = apply_person(f, call, bogdan, 0, &err);
    assert_true(a_bogdan > 0);
    long long a_old = apply_person(f, call, old, 0, &err);
    assert_true(a_old > 0);
    long long a_dan = apply_person(f, call, dan, 90000, &err);
    assert_true(a_dan > 0);
    assert_int_equal(apply_person(f, call, ana, 0, &err), -(long long)FOW_EINPUT); /* twice */
    assert_string_equal(err.field, "applicant");
    assert_string_equal(status_of(f, a_ana), "eligible");
    assert_string_equal(status_of(f, a_old), "ineligible");

    /* the evaluation kept rule by rule, and the history */
    json_t *app = application(f, a_old, FOW_CALLS_VIEW_OFFICE, NULL, "office");
    json_t *ev = json_object_get(app, "eligibility");
    assert_false(json_boolean_value(json_object_get(ev, "eligible")));
    json_t *age = json_array_get(json_object_get(ev, "rules"), 1);
    assert_string_equal(json_string_value(json_object_get(age, "outcome")), "failed");
    assert_string_equal(json_string_value(json_object_get(json_object_get(age, "message"), "code")),
                        "calls.rule.age.failed");
    json_t *hist = json_object_get(app, "history");
    assert_int_equal(json_array_size(hist), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(hist, 1), "status")), "ineligible");
    json_decref(app);
    app = application(f, a_bogdan, FOW_CALLS_VIEW_OFFICE, NULL, "office");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(app, "requested"), "minor_units")), 120000);
    json_decref(app);

    /* an enterprise: the CUI's control digit is checked */
    {
        fow_calls_ctx c = ctx_of(f, &CLUJ, "office");
        fow_application_input in = {.kind = FOW_APPLICANT_ENTERPRISE, .enterprise_name = "Atelier SRL",
                                    .registration_code = "RO14399841", .proposal = "Lab time for a prototype"};
        long long id;
        assert_fails_on(fow_calls_apply(&c, call, &in, &id, &err), FOW_EINPUT, &err, "registration_code");
        in.registration_code = "RO14399840";
        assert_fow_ok(fow_calls_apply(&c, call, &in, &id, &err), &err);
        assert_string_equal(status_of(f, id), "eligible");
        in.registration_code = "14399840";
        assert_fails_on(fow_calls_apply(&c, call, &in, &id, &err), FOW_EINPUT, &err, "applicant");
    }

    /* the rules no longer change once applications exist */
    {
        fow_calls_ctx c = ctx_of(f, &CLUJ, "office");
        assert_fails_on(fow_calls_set_rules(&c, call, "[]", &err), FOW_EINPUT, &err, "rules");
    }

    /* the jury: only juror accounts */
    juror(f, "jana");
    juror(f, "jon");
    assert_fow_ok(fow_accounts_user_add(f->d.db, "anna", NULL, "analyst", "correct horse battery", NOW, NULL, &err),
                  &err);
    fow_calls_ctx office = ctx_of(f, &CLUJ, "office");
    assert_fails_on(fow_calls_juror_add(&office, call, "anna", &err), FOW_EINPUT, &err, "juror");
    assert_fails_on(fow_calls_juror_add(&office, call, "nobody", &err), FOW_ENOTFOUND, &err, "juror");
    assert_fow_ok(fow_calls_juror_add(&office, call, "jana", &err), &err);
    assert_fow_ok(fow_calls_juror_add(&office, call, "jon", &err), &err);
    assert_fails_on(fow_calls_juror_add(&office, call, "jon", &err), FOW_EINPUT, &err, "juror");

    /* a juror not on the jury cannot score; nobody scores an ineligible one */
    juror(f, "outsider");
    {
        fow_calls_ctx c = ctx_of(f, NULL, "outsider");
        fow_score_input s[] = {{"relevance", 5, NULL}};
        assert_fails_on(fow_calls_score(&c, a_ana, s, 1, &err), FOW_EINPUT, &err, "juror");
        c.actor = "jana";
        assert_fails_on(fow_calls_score(&c, a_old, s, 1, &err), FOW_EINPUT, &err, "status");
        fow_score_input bad_score[] = {{"relevance", 11, NULL}};
        assert_fails_on(fow_calls_score(&c, a_ana, bad_score, 1, &err), FOW_EINPUT, &err, "score");
        fow_score_input bad_crit[] = {{"beauty", 1, NULL}};
        assert_fails_on(fow_calls_score(&c, a_ana, bad_crit, 1, &err), FOW_EINPUT, &err, "criterion");
    }

    /* jon scores dan's, then declares a conflict: his scores are withdrawn and he cannot score it again */
    score(f, "jon", a_dan, 9, 5);
    {
        fow_calls_ctx c = ctx_of(f, NULL, "jon");
        assert_fow_ok(fow_calls_conflict_declare(&c, a_dan, "Dan is my cousin", &err), &err);
        assert_fails_on(fow_calls_conflict_declare(&c, a_dan, "again", &err), FOW_EINPUT, &err, "conflict");
        fow_score_input s[] = {{"relevance", 10, NULL}};
        assert_fails_on(fow_calls_score(&c, a_dan, s, 1, &err), FOW_EINPUT, &err, "conflict");
        assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM voucher_scores WHERE juror = 'jon' AND application_id = %lld",
                                a_dan),
                         0);
    }
    /* ana: both score; she is scored only after the second */
    score(f, "jana", a_ana, 8, 4);
    assert_string_equal(status_of(f, a_ana), "eligible");
    score(f, "jon", a_ana, 6, 4);
    assert_string_equal(status_of(f, a_ana), "scored");
    /* bogdan: the same weighted score as ana (60*7/10 + 40*4/5 = 74), decided by the heaviest criterion */
    score(f, "jana", a_bogdan, 6, 5);
    score(f, "jon", a_bogdan, 8, 3);
    /* dan: only jana (jon is conflicted), so scored after hers */
    score(f, "jana", a_dan, 10, 5);
    assert_string_equal(status_of(f, a_dan), "scored");

    /* a juror sees no person id, their own scores, and their conflict */
    json_t *jv = application(f, a_dan, FOW_CALLS_VIEW_JUROR, NULL, "jon");
    assert_null(json_object_get(json_object_get(jv, "applicant"), "person"));
    assert_true(json_boolean_value(json_object_get(jv, "conflict")));
    assert_int_equal(json_array_size(json_object_get(jv, "scores")), 0);
    json_decref(jv);

    /* the ranking: dan 100, then ana and bogdan tied at 74: the heaviest criterion's mean is equal (7),
     * the next (feasibility) too (4), so the earlier submission, then the lower id: ana */
    json_t *rank = written(fow_calls_rank_write, f, call);
    json_t *ranked = json_object_get(rank, "ranked");
    assert_int_equal(json_array_size(ranked), 3);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(ranked, 0), "id")), a_dan);
    assert_true(json_real_value(json_object_get(json_array_get(ranked, 0), "weighted_score")) == 100.0);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(ranked, 1), "id")), a_ana);
    assert_true(json_real_value(json_object_get(json_array_get(ranked, 1), "weighted_score")) == 74.0);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(ranked, 2), "id")), a_bogdan);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(rank, "available"), "minor_units")), 300000);
    /* dan 90000 + ana 100000 fit 300000; with bogdan's 120000 they do not */
    assert_true(json_boolean_value(json_object_get(json_array_get(ranked, 1), "fits")));
    assert_false(json_boolean_value(json_object_get(json_array_get(ranked, 2), "fits")));
    json_decref(rank);

    /* awards: a reason is required; never beyond the budget line */
    long long award = 0;
    assert_fails_on(fow_calls_decide(&office, a_dan, FOW_DECISION_AWARD, 0, "", &award, &err), FOW_EINPUT, &err,
                    "reason");
    assert_fails_on(fow_calls_decide(&office, a_old, FOW_DECISION_AWARD, 0, "x", &award, &err), FOW_EINPUT, &err,
                    "status");
    assert_fails_on(fow_calls_decide(&office, a_dan, FOW_DECISION_AWARD, 95000, "more", &award, &err), FOW_EINPUT,
                    &err, "amount");
    assert_fow_ok(fow_calls_decide(&office, a_dan, FOW_DECISION_AWARD, 0, "first in the ranking", &award, &err), &err);
    assert_fow_ok(fow_calls_decide(&office, a_ana, FOW_DECISION_AWARD, 0, "second in the ranking", &award, &err),
                  &err);
    /* 300000 - 90000 - 100000 = 110000 left: bogdan's 120000 does not fit, 110000 does */
    assert_fails_on(fow_calls_decide(&office, a_bogdan, FOW_DECISION_AWARD, 0, "third", &award, &err), FOW_EINPUT, &err,
                    "budget");
    assert_non_null(strstr(err.message, "110000 available"));
    assert_fow_ok(fow_calls_decide(&office, a_bogdan, FOW_DECISION_WAITLIST, 0, "waiting for more money", &award, &err),
                  &err);
    assert_string_equal(status_of(f, a_bogdan), "waitlisted");
    assert_fow_ok(fow_calls_decide(&office, a_bogdan, FOW_DECISION_AWARD, 110000, "the rest of the line", &award, &err),
                  &err);
    assert_fails_on(fow_calls_decide(&office, a_bogdan, FOW_DECISION_REJECT, 0, "changed my mind", &award, &err),
                    FOW_EINPUT, &err, "status");
    assert_int_equal(ts_int(f->d.db, "SELECT sum(value_minor) FROM voucher_awards WHERE decision = 'awarded'"),
                     300000);
    assert_int_equal(ts_int(f->d.db, "SELECT rank_position FROM voucher_awards WHERE application_id = %lld", a_ana), 2);

    /* the applicant sees their status and award, not the scores */
    fow_people_staff self = {.name = "ana", .self = ana};
    json_t *mine = application(f, a_ana, FOW_CALLS_VIEW_APPLICANT, &self, "ana");
    assert_string_equal(json_string_value(json_object_get(mine, "status")), "awarded");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(json_object_get(mine, "decision"), "value"), "minor_units")),
        100000);
    assert_null(json_object_get(mine, "scores"));
    json_decref(mine);
    {
        fow_calls_ctx c = ctx_of(f, &self, "ana");
        fow_jw w2;
        fow_jw_init(&w2, -1);
        assert_int_equal(fow_calls_application_write(&c, a_bogdan, FOW_CALLS_VIEW_APPLICANT, &w2, &err), FOW_ENOTFOUND);
        fow_jw_free(&w2);
    }

    /* a second call of the same purpose: ana's earlier award makes her ineligible there */
    long long call2 = make_call(f, "[{\"applicant\": \"person\", \"mode\": \"fixed\", \"amount\": 1000}]",
                                "[{\"kind\": \"no_earlier_award\"}]");
    long long again = apply_person(f, call2, ana, 0, &err);
    assert_true(again > 0);
    assert_string_equal(status_of(f, again), "ineligible");

    /* export and erasure: the proposal goes, the decision stays */
    fow_jw ex;
    fow_jw_init(&ex, -1);
    assert_fow_ok(fow_people_export(f->people, &CLUJ, ana, "request", NOW, &ex, &err), &err);
    assert_non_null(strstr(fow_jw_text(&ex, NULL), "customer data"));
    fow_jw_free(&ex);
    assert_fow_ok(fow_people_erase(f->people, &CLUJ, ana, "request", NOW, NULL, &err), &err);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM voucher_applications WHERE person_id = '%s' AND proposal <> ''",
                            ana),
                     0);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM voucher_awards WHERE application_id = %lld", a_ana), 1);
}

/* ---- parallel awards: only K of N ------------------------------------------------- */

#define RACERS 12

typedef struct racer {
    const char *path;
    long long application;
    fow_code rc;
    char field[128];
} racer;

static void *race(void *arg) {
    racer *r = arg;
    fow_db *db = NULL;
    fow_error err;
    fow_error_clear(&err);
    r->rc = fow_db_open(&db, r->path, false, &err);
    if (!r->rc) {
        fow_calls_ctx c = {.db = db, .actor = "office", .now = NOW};
        r->rc = fow_calls_decide(&c, r->application, FOW_DECISION_AWARD, 0, "parallel", NULL, &err);
        snprintf(r->field, sizeof r->field, "%s", err.field);
    }
    fow_db_close(db);
    return NULL;
}

static void test_parallel_awards(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    /* 300000 available; each application asks 100000: exactly 3 of 12 can be awarded */
    long long call = make_call(f, "[{\"applicant\": \"person\", \"mode\": \"fixed\", \"amount\": 100000}]", "[]");
    fow_calls_ctx office = ctx_of(f, &CLUJ, "office");
    juror(f, "jana");
    assert_fow_ok(fow_calls_juror_add(&office, call, "jana", &err), &err);
    racer racers[RACERS];
    for (int i = 0; i < RACERS; i++) {
        char id[FOW_PERSON_ID_CHARS + 1];
        person(f, 1990, "Cluj-Napoca", "employed", true, id);
        racers[i].application = apply_person(f, call, id, 0, &err);
        assert_true(racers[i].application > 0);
        score(f, "jana", racers[i].application, 5 + i % 5, 3);
        racers[i].path = f->d.path;
    }
    pthread_t threads[RACERS];
    for (int i = 0; i < RACERS; i++) assert_int_equal(pthread_create(&threads[i], NULL, race, &racers[i]), 0);
    int won = 0, refused = 0;
    for (int i = 0; i < RACERS; i++) {
        pthread_join(threads[i], NULL);
        if (racers[i].rc == FOW_OK) won++;
        else if (racers[i].rc == FOW_EINPUT && strcmp(racers[i].field, "budget") == 0) refused++;
        else fail_msg("racer %d: %s (%s)", i, fow_code_name(racers[i].rc), racers[i].field);
    }
    assert_int_equal(won, 3);
    assert_int_equal(refused, RACERS - 3);
    assert_int_equal(ts_int(f->d.db, "SELECT sum(value_minor) FROM voucher_awards WHERE decision = 'awarded'"), 300000);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM voucher_applications WHERE status = 'awarded'"), 3);
}

/* ---- the issuer hook ---------------------------------------------------------------- */

static int issued;

static fow_code failing_issuer(fow_db *db, const fow_calls_award *a, long long *voucher_id, fow_error *err) {
    (void)db;
    (void)voucher_id;
    return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "voucher", "cannot issue %lld", a->value_minor);
}

static fow_code counting_issuer(fow_db *db, const fow_calls_award *a, long long *voucher_id, fow_error *err) {
    (void)db;
    (void)err;
    assert_string_equal(a->purpose, "learning_module");
    assert_string_equal(a->currency, "RON");
    assert_int_equal(a->value_minor, 1000);
    issued++;
    *voucher_id = 0;
    return FOW_OK;
}

static void test_issuer_hook(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    long long call = make_call(f, "[{\"applicant\": \"person\", \"mode\": \"fixed\", \"amount\": 1000}]", "[]");
    fow_calls_ctx office = ctx_of(f, &CLUJ, "office");
    juror(f, "jana");
    assert_fow_ok(fow_calls_juror_add(&office, call, "jana", &err), &err);
    char id[FOW_PERSON_ID_CHARS + 1];
    person(f, 1990, "Cluj-Napoca", "employed", true, id);
    long long app = apply_person(f, call, id, 0, &err);
    score(f, "jana", app, 7, 3);
    /* the issuer fails: the award is rolled back with it */
    fow_calls_set_issuer(failing_issuer);
    assert_fails_on(fow_calls_decide(&office, app, FOW_DECISION_AWARD, 0, "ok", NULL, &err), FOW_EINPUT, &err,
                    "voucher");
    assert_string_equal(status_of(f, app), "scored");
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM voucher_awards"), 0);
    fow_calls_set_issuer(counting_issuer);
    assert_fow_ok(fow_calls_decide(&office, app, FOW_DECISION_AWARD, 0, "ok", NULL, &err), &err);
    assert_int_equal(issued, 1);
    assert_string_equal(status_of(f, app), "awarded");
    fow_calls_set_issuer(NULL);
}

/* ---- an award issues its voucher (fow_vouchers_issue_award) -------------------------- */

/* make_call on line, with extra members (", \"voucher\": {...}" or ""). */
static long long make_call_on(fixture *f, int64_t line, const char *values, const char *extra) {
    char def[4096];
    snprintf(def, sizeof def,
             "{\"budget_line\": %lld, \"title\": {\"en\": \"Vouchers\", \"ro\": \"Vouchere\"},"
             " \"opens_on\": \"2026-11-01\", \"closes_on\": \"2026-12-31\", \"values\": %s,"
             " \"criteria\": [{\"code\": \"relevance\", \"title\": {\"en\": \"R\", \"ro\": \"R\"},"
             "   \"weight\": 60, \"max_score\": 10},"
             "  {\"code\": \"feasibility\", \"title\": {\"en\": \"F\", \"ro\": \"F\"}, \"weight\": 40, \"max_score\": 5}],"
             " \"rules\": []%s}",
             (long long)line, values, extra);
    fow_calls_ctx c = ctx_of(f, &CLUJ, "office");
    fow_error err;
    fow_error_clear(&err);
    long long id = 0;
    assert_fow_ok(fow_calls_create(&c, def, &id, &err), &err);
    c.actor = "office";
    assert_fow_ok(fow_calls_juror_add(&c, id, "jana", &err), &err);
    return id;
}

static long long apply_enterprise(fixture *f, long long call, const char *code) {
    fow_calls_ctx c = ctx_of(f, &CLUJ, "carla");
    fow_application_input in = {.kind = FOW_APPLICANT_ENTERPRISE, .enterprise_name = "Atelier SRL",
                                .registration_code = code, .proposal = "Lab time for a prototype"};
    long long app = 0;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_calls_apply(&c, call, &in, &app, &err), &err);
    return app;
}

/* Every check of fow check passes on f's database. */
static void assert_checks_pass(fixture *f) {
    fow_check_report report;
    fow_check_report_init(&report);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_checks_run(f->d.db, &report, &err), &err);
    for (size_t i = 0; i < report.n_results; i++)
        if (report.results[i].problems)
            fail_msg("check %s: %s", report.results[i].name, report.results[i].examples[0]);
    fow_check_report_free(&report);
}

static void test_award_issues_voucher(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_vouchers_attach_calls();
    juror(f, "jana");
    long long call = make_call_on(f, f->line, "[{\"applicant\": \"person\", \"mode\": \"up_to\", \"amount\": 50000}]", "");
    fow_calls_ctx office = ctx_of(f, &CLUJ, "office");
    char ana[FOW_PERSON_ID_CHARS + 1];
    person(f, 1990, "Cluj-Napoca", "employed", true, ana);
    long long app = apply_person(f, call, ana, 0, &err);
    score(f, "jana", app, 8, 4);
    long long before = ts_int(f->d.db, "SELECT count(*) FROM voucher_transfers");
    long long award = 0;
    assert_fow_ok(fow_calls_decide(&office, app, FOW_DECISION_AWARD, 40000, "first", &award, &err), &err);
    /* one voucher, linked to the award, worth the value awarded, active at once, valid 12 months */
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM vouchers"), 1);
    long long voucher = ts_int(f->d.db, "SELECT voucher_id FROM voucher_awards WHERE id = %lld", award);
    fow_voucher v;
    assert_fow_ok(fow_voucher_get(f->d.db, voucher, &v, &err), &err);
    assert_string_equal(v.person, ana);
    assert_string_equal(v.beneficiary_kind, "person");
    assert_int_equal(v.value_minor, 40000);
    assert_int_equal(v.balance_minor, 40000);
    assert_int_equal(v.line_id, f->line);
    assert_string_equal(v.status, "active");
    assert_string_equal(v.valid_from, "2026-11-30"); /* the date of NOW, UTC */
    assert_string_equal(v.valid_until, "2027-11-29");
    assert_int_equal(v.min_attendance_percent, 80);
    char ref[32];
    snprintf(ref, sizeof ref, "award:%lld", award);
    assert_string_equal(v.award_ref, ref);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM vouchers WHERE issue_key = 'issue:award:%lld'", award), 1);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM voucher_transfers"), before + 1);
    /* the application names it, for the office and the applicant; a juror does not see it */
    json_t *doc = application(f, app, FOW_CALLS_VIEW_OFFICE, NULL, "office");
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "voucher"), "code")), v.code);
    json_decref(doc);
    fow_people_staff self = {.name = "ana", .self = ana};
    doc = application(f, app, FOW_CALLS_VIEW_APPLICANT, &self, "ana");
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "voucher"), "code")), v.code);
    json_decref(doc);
    doc = application(f, app, FOW_CALLS_VIEW_JUROR, NULL, "jana");
    assert_null(json_object_get(doc, "voucher"));
    json_decref(doc);
    /* the line's available amount took the voucher's value; the ranking counts nothing twice */
    fow_budget_line l;
    assert_fow_ok(fow_budget_line_get(f->d.db, f->line, &l, &err), &err);
    assert_int_equal(l.available_minor, 300000 - 40000);
    assert_int_equal(l.committed_minor, 40000);
    assert_checks_pass(f);
    /* the same key again (a retried issue of that award) returns that voucher and moves nothing */
    assert_fow_ok(fow_db_begin(f->d.db, &err), &err);
    fow_calls_award again = {.award_id = award, .budget_line_id = f->line, .kind = FOW_APPLICANT_PERSON,
                             .person = ana, .value_minor = 40000, .voucher_valid_months = 12, .voucher_active = true,
                             .voucher_min_attendance = 80, .people = f->people, .actor = "office", .now = NOW + 60};
    long long same = 0;
    assert_fow_ok(fow_vouchers_issue_award(f->d.db, &again, &same, &err), &err);
    assert_fow_ok(fow_db_commit(f->d.db, &err), &err);
    assert_int_equal(same, voucher);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM voucher_transfers"), before + 1);
    fow_calls_set_issuer(NULL);
}

static void test_award_rolled_back_when_issue_fails(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_vouchers_attach_calls();
    juror(f, "jana");
    long long call = make_call_on(f, f->line, "[{\"applicant\": \"person\", \"mode\": \"fixed\", \"amount\": 1000},"
                                              " {\"applicant\": \"enterprise\", \"mode\": \"fixed\", \"amount\": 2000}]",
                                  "");
    fow_calls_ctx office = ctx_of(f, &CLUJ, "office");
    char ana[FOW_PERSON_ID_CHARS + 1];
    person(f, 1990, "Cluj-Napoca", "employed", true, ana);
    long long app = apply_person(f, call, ana, 0, &err);
    long long firm = apply_enterprise(f, call, "RO14399840");
    score(f, "jana", app, 8, 4);
    score(f, "jana", firm, 8, 4);
    long long transfers = ts_int(f->d.db, "SELECT count(*) FROM voucher_transfers");
    /* no vouchers consent any more (withdrawn after applying): the award fails, nothing stays */
    assert_fow_ok(fow_people_consent_withdraw(f->people, &CLUJ, ana, FOW_PURPOSE_VOUCHERS, NOW, &err), &err);
    assert_fails_on(fow_calls_decide(&office, app, FOW_DECISION_AWARD, 0, "ok", NULL, &err), FOW_EINPUT, &err,
                    "consent");
    assert_string_equal(status_of(f, app), "scored");
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM voucher_awards"), 0);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM vouchers"), 0);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM voucher_application_history WHERE status = 'awarded'"), 0);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM voucher_transfers"), transfers);
    /* an enterprise's voucher from a learning-module line: refused, rolled back */
    assert_fails_on(fow_calls_decide(&office, firm, FOW_DECISION_AWARD, 0, "ok", NULL, &err), FOW_EINPUT, &err,
                    "purpose");
    assert_string_equal(status_of(f, firm), "scored");
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM voucher_awards"), 0);
    /* the line exhausted (spent by a voucher issued directly): the award is refused, nothing stays */
    assert_fow_ok(fow_people_consent_give(f->people, &CLUJ, ana, FOW_PURPOSE_VOUCHERS, "v1", NOW, &err), &err);
    fow_voucher big;
    fow_voucher_issue_in in = {.line_id = f->line, .person = ana, .value_minor = 299500, .valid_from = "2026-11-29",
                               .valid_until = "2027-11-28", .min_attendance_percent = -1};
    assert_fow_ok(fow_voucher_issue(f->d.db, f->people, &CLUJ, NULL, &in, "office", NOW, &big, &err), &err);
    transfers = ts_int(f->d.db, "SELECT count(*) FROM voucher_transfers");
    assert_fails_on(fow_calls_decide(&office, app, FOW_DECISION_AWARD, 0, "ok", NULL, &err), FOW_EINPUT, &err,
                    "budget");
    assert_string_equal(status_of(f, app), "scored");
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM voucher_awards"), 0);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM vouchers"), 1);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM voucher_transfers"), transfers);
    assert_checks_pass(f);
    fow_calls_set_issuer(NULL);
}

static void test_enterprise_voucher_and_terms(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_vouchers_attach_calls();
    juror(f, "jana");
    int64_t fund = ts_int(f->d.db, "SELECT fund_id FROM voucher_budget_lines WHERE id = %lld", (long long)f->line);
    int64_t support = 0;
    assert_fow_ok(fow_budget_line_add(f->d.db, fund, "business_support", 2026, 500000, "Support", "office", NOW,
                                      &support, &err),
                  &err);
    fow_calls_ctx office = ctx_of(f, &CLUJ, "office");
    /* the call's voucher terms: errors name the member */
    char def[1024];
    snprintf(def, sizeof def,
             "{\"budget_line\": %lld, \"title\": {\"en\": \"T\", \"ro\": \"T\"}, \"opens_on\": \"2026-11-01\","
             " \"closes_on\": \"2026-12-31\", \"values\": [{\"applicant\": \"person\", \"mode\": \"fixed\","
             " \"amount\": 1000}], \"criteria\": [{\"code\": \"q\", \"title\": {\"en\": \"Q\", \"ro\": \"Q\"},"
             " \"weight\": 100, \"max_score\": 10}], \"voucher\": {\"valid_months\": 61}}",
             (long long)support);
    long long bad = 0;
    assert_fails_on(fow_calls_create(&office, def, &bad, &err), FOW_EINPUT, &err, "voucher.valid_months");
    *strstr(def, "\"valid_months\": 61") = '\0';
    strcat(def, "\"colour\": 1}}");
    assert_fails_on(fow_calls_create(&office, def, &bad, &err), FOW_EINPUT, &err, "voucher.colour");
    long long call = make_call_on(
        f, support, "[{\"applicant\": \"enterprise\", \"mode\": \"fixed\", \"amount\": 250000}]",
        ", \"voucher\": {\"valid_months\": 3, \"active\": false, \"min_attendance_percent\": 90}");
    json_t *doc = written(fow_calls_write, f, call);
    json_t *terms = json_object_get(doc, "voucher");
    assert_int_equal(json_integer_value(json_object_get(terms, "valid_months")), 3);
    assert_true(json_is_false(json_object_get(terms, "active")));
    assert_int_equal(json_integer_value(json_object_get(terms, "min_attendance_percent")), 90);
    json_decref(doc);
    long long firm = apply_enterprise(f, call, "RO14399840");
    score(f, "jana", firm, 9, 5);
    long long award = 0;
    assert_fow_ok(fow_calls_decide(&office, firm, FOW_DECISION_AWARD, 0, "best", &award, &err), &err);
    fow_voucher v;
    assert_fow_ok(fow_voucher_get(f->d.db, ts_int(f->d.db, "SELECT voucher_id FROM voucher_awards WHERE id = %lld", award),
                                  &v, &err),
                  &err);
    assert_string_equal(v.beneficiary_kind, "enterprise");
    assert_string_equal(v.person, "");
    assert_string_equal(v.enterprise_code, "14399840");
    assert_string_equal(v.enterprise_name, "Atelier SRL");
    assert_string_equal(v.purpose, "business_support");
    assert_int_equal(v.value_minor, 250000);
    assert_string_equal(v.status, "issued");
    assert_string_equal(v.valid_from, "2026-11-30");
    assert_string_equal(v.valid_until, "2027-02-28"); /* no 30 February: the month's last day */
    assert_int_equal(v.min_attendance_percent, 90);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM vouchers WHERE person_id IS NULL AND "
                                     "beneficiary_kind = 'enterprise'"),
                     1);
    /* its JSON names the enterprise */
    fow_jw w;
    fow_jw_init(&w, -1);
    fow_voucher_write(&w, &v);
    doc = parse(fow_jw_text(&w, NULL));
    fow_jw_free(&w);
    json_t *b = json_object_get(doc, "beneficiary");
    assert_string_equal(json_string_value(json_object_get(b, "kind")), "enterprise");
    assert_string_equal(json_string_value(json_object_get(b, "registration_code")), "14399840");
    json_decref(doc);
    /* a voucher names exactly one beneficiary: the table refuses both or neither */
    assert_int_not_equal(ts_exec(f->d.db, "UPDATE vouchers SET person_id = 'pX' WHERE id = %lld", (long long)v.id), FOW_OK);
    assert_int_not_equal(ts_exec(f->d.db, "UPDATE vouchers SET enterprise_code = NULL WHERE id = %lld", (long long)v.id),
                         FOW_OK);
    /* an enterprise's voucher is not redeemed at an enrolment */
    assert_fow_ok(fow_voucher_activate(f->d.db, v.id, "office", NOW, &err), &err);
    fow_cohort_actor admin = {.staff = {.name = "office", .organisation = "", .all_organisations = true},
                              .role = FOW_ROLE_ADMIN};
    fow_redeem_in r = {.code = v.code, .cohort_id = 1, .key = "k1"};
    fow_redemption out;
    assert_fails_on(fow_voucher_redeem(f->d.db, f->people, &admin, NULL, &r, NOW, &out, NULL, &err), FOW_EINPUT, &err,
                    "voucher");
    assert_checks_pass(f);
    fow_calls_set_issuer(NULL);
}

static void test_validity_end(void **state) {
    (void)state;
    char until[11];
    static const struct {
        const char *from;
        int months;
        const char *until;
    } cases[] = {{"2026-11-29", 12, "2027-11-28"}, {"2027-01-31", 1, "2027-02-28"}, {"2028-01-31", 1, "2028-02-29"},
                 {"2026-03-01", 1, "2026-03-31"},  {"2026-12-01", 1, "2026-12-31"}, {"2026-12-15", 1, "2027-01-14"},
                 {"2026-01-01", 12, "2026-12-31"}, {"2026-08-31", 6, "2027-02-28"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(fow_voucher_validity_end(cases[i].from, cases[i].months, until), 0);
        assert_string_equal(until, cases[i].until);
    }
    assert_int_equal(fow_voucher_validity_end("2026-02-30", 1, until), -1);
    assert_int_equal(fow_voucher_validity_end("2026-01-01", 0, until), -1);
}

/* ---- fow check's checks of the calls ---------------------------------------------------- */

/* The problems fow_calls_check finds on the database at path in check name. */
static uint64_t calls_problems(const char *path, const char *name) {
    fow_db *db = NULL;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_db_open(&db, path, false, &err), &err);
    fow_check_report report;
    fow_check_report_init(&report);
    assert_fow_ok(fow_calls_check(db, &report, &err), &err);
    uint64_t problems = UINT64_MAX;
    for (size_t i = 0; i < report.n_results; i++)
        if (strcmp(report.results[i].name, name) == 0) problems = report.results[i].problems;
    fow_check_report_free(&report);
    fow_db_close(db);
    if (problems == UINT64_MAX) fail_msg("no check %s", name);
    return problems;
}

/* A copy of f's database (VACUUM INTO) at path, changed by sql. */
static void corrupt_copy(fixture *f, const char *path, const char *sql) {
    remove(path);
    assert_int_equal(ts_exec(f->d.db, "VACUUM INTO '%s'", path), FOW_OK);
    fow_db *db = NULL;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_db_open(&db, path, false, &err), &err);
    assert_fow_ok(fow_db_exec(db, sql, &err), &err);
    fow_db_close(db);
}

static void test_calls_checks(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_vouchers_attach_calls();
    juror(f, "jana");
    juror(f, "jon");
    long long call = make_call_on(f, f->line, "[{\"applicant\": \"person\", \"mode\": \"up_to\", \"amount\": 100000}]", "");
    fow_calls_ctx office = ctx_of(f, &CLUJ, "office");
    assert_fow_ok(fow_calls_juror_add(&office, call, "jon", &err), &err);
    char ana[FOW_PERSON_ID_CHARS + 1], bob[FOW_PERSON_ID_CHARS + 1];
    person(f, 1990, "Cluj-Napoca", "employed", true, ana);
    person(f, 1985, "Cluj-Napoca", "employed", true, bob);
    long long a1 = apply_person(f, call, ana, 40000, &err), a2 = apply_person(f, call, bob, 0, &err);
    fow_calls_ctx jon = ctx_of(f, NULL, "jon");
    assert_fow_ok(fow_calls_conflict_declare(&jon, a2, "my neighbour", &err), &err);
    score(f, "jana", a1, 8, 4);
    score(f, "jon", a1, 7, 4);
    score(f, "jana", a2, 6, 3);
    long long award = 0;
    assert_fow_ok(fow_calls_decide(&office, a1, FOW_DECISION_AWARD, 0, "first", &award, &err), &err);
    assert_checks_pass(f);
    char path[TS_PATH_MAX], sql[512];
    ts_join(path, sizeof path, f->d.tmp.dir, "copy.db");
    static const char *const names[] = {"calls.award_vouchers", "calls.award_fits", "calls.conflicts", "calls.budget"};
    /* the clean copy passes every one */
    corrupt_copy(f, path, "SELECT 1");
    for (size_t i = 0; i < 4; i++) assert_int_equal(calls_problems(path, names[i]), 0);
    /* an award whose value is not its voucher's */
    snprintf(sql, sizeof sql, "UPDATE voucher_awards SET value_minor = value_minor - 1 WHERE id = %lld", award);
    corrupt_copy(f, path, sql);
    assert_int_equal(calls_problems(path, "calls.award_vouchers"), 1);
    /* a second voucher naming the award */
    snprintf(sql, sizeof sql,
             "INSERT INTO vouchers (code, line_id, person_id, value_minor, currency, purpose, valid_from, valid_until,"
             " status, award_ref, issue_key, issued_at, issued_by, changed_at, changed_by) SELECT"
             " 'CEV-0000-0000-0000-0000', line_id, person_id, value_minor, currency, purpose, valid_from, valid_until,"
             " status, award_ref, 'issue:forged', issued_at, issued_by, changed_at, changed_by FROM vouchers"
             " WHERE award_ref = 'award:%lld'",
             award);
    corrupt_copy(f, path, sql);
    assert_int_equal(calls_problems(path, "calls.award_vouchers"), 1);
    /* an award beyond what the line had then (260000 left after the first voucher) */
    snprintf(sql, sizeof sql,
             "INSERT INTO voucher_awards (application_id, call_id, decision, value_minor, currency, reason,"
             " rank_position, weighted_score_micro, decided_at, decided_by) VALUES (%lld, %lld, 'awarded', 270000,"
             " 'RON', 'forged', 2, 1, %lld, 'office')",
             a2, call, NOW + 60);
    corrupt_copy(f, path, sql);
    assert_int_equal(calls_problems(path, "calls.award_fits"), 1);
    assert_int_equal(calls_problems(path, "calls.award_vouchers"), 0);
    /* a juror's score of an application they declared a conflict with */
    snprintf(sql, sizeof sql,
             "INSERT INTO voucher_scores (application_id, juror, criterion_id, score, comment, scored_at)"
             " SELECT %lld, 'jon', id, 1, '', %lld FROM voucher_call_criteria WHERE call_id = %lld",
             a2, NOW, call);
    corrupt_copy(f, path, sql);
    assert_int_equal(calls_problems(path, "calls.conflicts"), 1);
    assert_int_equal(calls_problems(path, "calls.budget"), 0);
    /* a call awarding more than its line was ever allocated */
    snprintf(sql, sizeof sql,
             "INSERT INTO voucher_awards (application_id, call_id, decision, value_minor, currency, reason,"
             " rank_position, weighted_score_micro, decided_at, decided_by) VALUES (%lld, %lld, 'awarded', 300000,"
             " 'RON', 'forged', 2, 1, %lld, 'office')",
             a2, call, NOW + 60);
    corrupt_copy(f, path, sql);
    assert_int_equal(calls_problems(path, "calls.budget"), 1);
    remove(path);
    fow_calls_set_issuer(NULL);
}

/* ---- from a plan: the active_plan rule and a counsellor applying from the plan ---- */

static void test_from_plan(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    long long call = make_call(f, "[{\"applicant\": \"person\", \"mode\": \"fixed\", \"amount\": 1000}]",
                               "[{\"kind\": \"active_plan\"}]");
    char with_plan[FOW_PERSON_ID_CHARS + 1], without[FOW_PERSON_ID_CHARS + 1];
    person(f, 1990, "Cluj-Napoca", "employed", true, with_plan);
    person(f, 1990, "Cluj-Napoca", "employed", true, without);
    assert_fow_ok(fow_people_consent_give(f->people, &CLUJ, with_plan, FOW_PURPOSE_COUNSELLING, "v1", NOW, &err), &err);
    fow_plans_ctx pc = {.db = f->d.db, .people = f->people, .staff = &CLUJ, .now = NOW};
    long long plan = 0;
    assert_fow_ok(fow_plans_create(&pc, with_plan, "Spre helpdesk", &plan, &err), &err);
    fow_calls_ctx c = ctx_of(f, &CLUJ, "carla");
    /* a plan of someone else is refused */
    fow_application_input in = {.kind = FOW_APPLICANT_PERSON, .person = without, .plan_id = plan,
                                .proposal = "from a plan"};
    long long app = 0;
    assert_fails_on(fow_calls_apply(&c, call, &in, &app, &err), FOW_EINPUT, &err, "plan");
    /* a draft plan is not active: the rule fails */
    json_t *ev;
    {
        fow_jw w;
        fow_jw_init(&w, -1);
        bool eligible = true;
        assert_fow_ok(fow_calls_eligibility(&c, call, with_plan, &w, &eligible, &err), &err);
        assert_false(eligible);
        ev = parse(fow_jw_text(&w, NULL));
        fow_jw_free(&w);
        assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(ev, "rules"), 0), "outcome")),
                            "failed");
        json_decref(ev);
    }
    assert_fow_ok(fow_plans_set_status(&pc, plan, FOW_PLAN_ACTIVE, &err), &err);
    in.person = with_plan;
    assert_fow_ok(fow_calls_apply(&c, call, &in, &app, &err), &err);
    assert_string_equal(status_of(f, app), "eligible");
    assert_int_equal(ts_int(f->d.db, "SELECT plan_id FROM voucher_applications WHERE id = %lld", app), plan);
    json_t *doc = application(f, app, FOW_CALLS_VIEW_OFFICE, NULL, "office");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "applicant"), "plan")), plan);
    json_decref(doc);
    /* the person without a plan: ineligible, the rule explains why */
    in = (fow_application_input){.kind = FOW_APPLICANT_PERSON, .person = without, .proposal = "no plan"};
    assert_fow_ok(fow_calls_apply(&c, call, &in, &app, &err), &err);
    assert_string_equal(status_of(f, app), "ineligible");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_parse),
        cmocka_unit_test_setup_teardown(test_eligibility_engine, ts_setup_db, ts_teardown_db),
        cmocka_unit_test(test_registration_codes),
        cmocka_unit_test_setup_teardown(test_call_definition_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_journey, setup, teardown),
        cmocka_unit_test_setup_teardown(test_award_issues_voucher, setup, teardown),
        cmocka_unit_test_setup_teardown(test_award_rolled_back_when_issue_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enterprise_voucher_and_terms, setup, teardown),
        cmocka_unit_test(test_validity_end),
        cmocka_unit_test_setup_teardown(test_calls_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parallel_awards, setup, teardown),
        cmocka_unit_test_setup_teardown(test_issuer_hook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_from_plan, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
