/* test_plans.c — the worker's plan (src/plans/fow_plans.h) on the demo data:
 * a plan with a move (the gap snapshot, the modules of the match, the data
 * version), edits, milestones, status, the append-only history, access by
 * organisation, consent (also withdrawn while a change waits for the write
 * lock), bad input by field, and the person's export and erasure through
 * people's attachment hook. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "people/fow_people.h"
#include "plans/fow_plans.h"
#include "taxonomy/fow_import.h"
#include "service/fow_result.h"
#include "taxonomy/fow_model.h"
#include "test_support.h"
#include "training/fow_training.h"
#include "transitions/fow_similarity.h"

#define NOW 1796000000LL /* 2026-11-29 */

static const fow_people_staff CLUJ = {.name = "carla", .organisation = "AJOFM Cluj"};
static const fow_people_staff IASI = {.name = "ion", .organisation = "AJOFM Iasi"};
static const fow_people_staff ADMIN = {.name = "root", .organisation = "", .all_organisations = true};

typedef struct fixture {
    ts_db d;
    fow_people *people;
    fow_model *model;
    fow_similarity_index *index;
    fow_similarity_workspace *ws;
    fow_training_catalogue cat;
    fow_match_index *x;
    char person[FOW_PERSON_ID_CHARS + 1];
} fixture;

static const char *demo_dir(void) {
    const char *d = getenv("FOW_DEMO");
    return d && *d ? d : "data/demo";
}

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    *state = f;
    ts_db_fresh(&f->d);
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    char path[TS_PATH_MAX], key[TS_PATH_MAX];
    assert_fow_ok(fow_plans_attach(&err), &err);
    assert_fow_ok(fow_import_bundle(f->d.db, demo_dir(), NULL, &r, &err), &err);
    ts_join(path, sizeof path, demo_dir(), "modules.csv");
    assert_fow_ok(fow_import_modules(f->d.db, path, NULL, &r, &err), &err);
    assert_fow_ok(fow_people_key_path(f->d.path, key, sizeof key, &err), &err);
    assert_fow_ok(fow_people_open(f->d.db, key, &f->people, &err), &err);
    assert_fow_ok(fow_model_load(f->d.db, &f->model, &err), &err);
    assert_fow_ok(fow_similarity_index_build(f->model, NULL, &f->index, &err), &err);
    assert_non_null(f->ws = fow_similarity_workspace_new(f->index));
    assert_fow_ok(fow_training_load(f->d.db, &f->cat, &err), &err);
    assert_fow_ok(fow_match_index_build(&f->cat, &f->x, &err), &err);
    fow_person_input in = {.occupation = "call centre agent"};
    assert_fow_ok(fow_people_add(f->people, &CLUJ, f->model, &in, NOW, f->person, &err), &err);
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    fow_match_index_free(f->x);
    fow_training_free(&f->cat);
    fow_similarity_workspace_free(f->ws);
    fow_similarity_index_free(f->index);
    fow_model_free(f->model);
    fow_people_close(f->people);
    ts_db_free(&f->d);
    free(f);
    return 0;
}

static fow_plans_ctx ctx_of(fixture *f, const fow_people_staff *staff) {
    return (fow_plans_ctx){.db = f->d.db, .people = f->people, .staff = staff, .now = NOW};
}

static void assert_fails_on(fow_code rc, fow_code code, const fow_error *err, const char *field) {
    if (rc != code)
        fail_msg("expected %s on field '%s', got %s: %s", fow_code_name(code), field, fow_code_name(rc), err->message);
    assert_string_equal(err->field, field);
    assert_true(err->message[0] != '\0');
}

/* The plan as parsed JSON (json_decref it). */
static json_t *plan_json(fixture *f, const fow_people_staff *staff, long long id) {
    fow_plans_ctx c = ctx_of(f, staff);
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_plans_write(&c, id, &w, &err), &err);
    json_error_t jerr;
    json_t *doc = json_loads(fow_jw_text(&w, NULL), 0, &jerr);
    fow_jw_free(&w);
    assert_non_null(doc);
    return doc;
}

/* A plan with the move to helpdesk technician, made by carla. */
static long long plan_with_move(fixture *f, long long *move) {
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_people_consent_give(f->people, &CLUJ, f->person, FOW_PURPOSE_COUNSELLING, "v1", NOW, &err), &err);
    size_t added;
    assert_fow_ok(fow_people_skills_infer(f->people, &CLUJ, f->model, f->person, NOW, &added, &err), &err);
    fow_plans_ctx c = ctx_of(f, &CLUJ);
    long long id = 0;
    assert_fow_ok(fow_plans_create(&c, f->person, "Spre helpdesk", &id, &err), &err);
    uint32_t dest = fow_model_occupation_by_key(f->model, true, "urn:fow:demo:occupation:helpdesk-technician",
                                                strlen("urn:fow:demo:occupation:helpdesk-technician"));
    assert_int_not_equal(dest, FOW_NO_INDEX);
    assert_fow_ok(fow_plans_add_move(&c, id, f->ws, f->x, dest, move, &err), &err);
    return id;
}

static void test_plan_with_a_move(void **state) {
    fixture *f = *state;
    long long move = 0;
    long long id = plan_with_move(f, &move);
    json_t *doc = plan_json(f, &CLUJ, id);
    assert_string_equal(json_string_value(json_object_get(doc, "status")), "draft");
    assert_string_equal(json_string_value(json_object_get(doc, "organisation")), "AJOFM Cluj");
    json_t *mv = json_array_get(json_object_get(doc, "moves"), 0);
    assert_int_equal(json_integer_value(json_object_get(mv, "id")), move);
    json_t *gap = json_object_get(mv, "gap");
    /* the snapshot: skills to learn, each with its status, and the data version it was read from */
    assert_true(json_integer_value(json_object_get(gap, "to_learn_count")) > 0);
    assert_int_equal(json_array_size(json_object_get(gap, "to_learn")),
                     json_integer_value(json_object_get(gap, "to_learn_count")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(gap, "judged_as"), "label")),
                        "call centre agent");
    char stamp[64];
    ts_text(f->d.db, stamp, sizeof stamp, "SELECT stamp FROM data_version");
    assert_string_equal(json_string_value(json_object_get(json_object_get(mv, "data_version"), "stamp")), stamp);
    json_t *mods = json_object_get(mv, "modules");
    assert_int_equal(json_array_size(mods), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(mods, 0), "code")), "W40-SUPPORT");
    json_t *totals = json_object_get(doc, "totals");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(totals, "cost"), 0),
                                                        "minor_units")),
                     ts_int(f->d.db, "SELECT cost_minor FROM training_modules WHERE code = 'W40-SUPPORT'"));
    json_decref(doc);

    /* the same move twice, and the person's own occupation, are refused */
    fow_error err;
    fow_error_clear(&err);
    fow_plans_ctx c = ctx_of(f, &CLUJ);
    uint32_t dest = fow_model_occupation_by_key(f->model, true, "urn:fow:demo:occupation:helpdesk-technician",
                                                strlen("urn:fow:demo:occupation:helpdesk-technician"));
    assert_fails_on(fow_plans_add_move(&c, id, f->ws, f->x, dest, NULL, &err), FOW_EINPUT, &err, "occupation");
    uint32_t own = fow_model_occupation_by_key(f->model, true, "urn:fow:demo:occupation:call-centre-agent",
                                               strlen("urn:fow:demo:occupation:call-centre-agent"));
    if (own != FOW_NO_INDEX)
        assert_fails_on(fow_plans_add_move(&c, id, f->ws, f->x, own, NULL, &err), FOW_EINPUT, &err, "occupation");
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM plan_moves WHERE plan_id = %lld", id), 1);
}

/* The plan through the result builder in language lang (ctx NULL when lang is NULL), parsed. */
static json_t *plan_json_in(fixture *f, long long id, const char *lang, bool list) {
    fow_plans_ctx c = ctx_of(f, &CLUJ);
    fow_result_context rctx = {f->model, f->index, {NULL, NULL}, NULL, lang, NULL};
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_error err;
    fow_error_clear(&err);
    if (list) assert_fow_ok(fow_result_worker_plans(&w, lang ? &rctx : NULL, &c, f->person, &err), &err);
    else assert_fow_ok(fow_result_worker_plan(&w, lang ? &rctx : NULL, &c, id, &err), &err);
    json_error_t jerr;
    json_t *doc = json_loads(fow_jw_text(&w, NULL), 0, &jerr);
    fow_jw_free(&w);
    assert_non_null(doc);
    return doc;
}

static void test_labels_in_the_readers_language(void **state) {
    fixture *f = *state;
    long long move = 0;
    long long id = plan_with_move(f, &move);
    uint32_t dest = fow_model_occupation_by_key(f->model, true, "urn:fow:demo:occupation:helpdesk-technician",
                                                strlen("urn:fow:demo:occupation:helpdesk-technician"));
    const char *ro = fow_model_label_in(f->model, 0, dest, "ro");
    assert_non_null(ro); /* data/demo/occupation_labels.csv */
    /* in Romanian: label_local looked up now, the stored label kept */
    json_t *doc = plan_json_in(f, id, "ro", false);
    json_t *mv = json_array_get(json_object_get(doc, "moves"), 0);
    json_t *occ = json_object_get(mv, "occupation");
    assert_string_equal(json_string_value(json_object_get(occ, "label")), "helpdesk technician");
    assert_string_equal(json_string_value(json_object_get(occ, "label_local")), ro);
    assert_null(json_object_get(occ, "label_lang"));
    json_t *gap = json_object_get(mv, "gap");
    assert_string_equal(json_string_value(json_object_get(json_object_get(gap, "destination"), "label_local")), ro);
    assert_string_equal(json_string_value(json_object_get(json_object_get(gap, "judged_as"), "label_local")),
                        fow_model_label_in(f->model, 0,
                                           fow_model_occupation_by_key(f->model, true,
                                                                       "urn:fow:demo:occupation:call-centre-agent",
                                                                       strlen("urn:fow:demo:occupation:call-centre-agent")),
                                           "ro"));
    size_t i, local = 0;
    json_t *skill;
    json_array_foreach(json_object_get(gap, "to_learn"), i, skill) {
        uint32_t s = fow_resolve_skill_key(f->model, json_string_value(json_object_get(skill, "uri")));
        const char *want = s == FOW_NO_INDEX ? NULL : fow_model_label_in(f->model, 1, s, "ro");
        json_t *got = json_object_get(skill, "label_local");
        if (want) {
            assert_string_equal(json_string_value(got), want);
            local++;
        } else {
            assert_true(json_is_null(got));
        }
    }
    assert_true(local > 0);
    json_decref(doc);
    /* a language the taxonomy lacks: null, and the stored label's language */
    doc = plan_json_in(f, id, "de", false);
    occ = json_object_get(json_array_get(json_object_get(doc, "moves"), 0), "occupation");
    assert_true(json_is_null(json_object_get(occ, "label_local")));
    assert_string_equal(json_string_value(json_object_get(occ, "label_lang")), "en");
    json_decref(doc);
    /* no language: the document as stored, the same as fow_plans_write's */
    doc = plan_json_in(f, id, NULL, false);
    json_t *plain = plan_json(f, &CLUJ, id);
    assert_true(json_equal(doc, plain));
    assert_null(json_object_get(json_object_get(json_array_get(json_object_get(doc, "moves"), 0), "occupation"),
                                "label_local"));
    json_decref(plain);
    json_decref(doc);
    /* the list: each plan's targets with label_local */
    doc = plan_json_in(f, id, "ro", true);
    json_t *target = json_array_get(json_object_get(json_array_get(json_object_get(doc, "plans"), 0), "targets"), 0);
    assert_string_equal(json_string_value(json_object_get(target, "uri")), "urn:fow:demo:occupation:helpdesk-technician");
    assert_string_equal(json_string_value(json_object_get(target, "label_local")), ro);
    json_decref(doc);
}

static void test_edits_and_history(void **state) {
    fixture *f = *state;
    long long move = 0;
    long long id = plan_with_move(f, &move);
    fow_plans_ctx c = ctx_of(f, &CLUJ);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_plans_add_module(&c, id, move, &f->cat, "CP-BIZ", 0, &err), &err);
    assert_fails_on(fow_plans_add_module(&c, id, move, &f->cat, "CP-BIZ", 0, &err), FOW_EINPUT, &err, "module");
    assert_fails_on(fow_plans_add_module(&c, id, move, &f->cat, "NOPE", 0, &err), FOW_ENOTFOUND, &err, "module");
    assert_fails_on(fow_plans_add_module(&c, id, 999, &f->cat, "W40-SQL", 0, &err), FOW_ENOTFOUND, &err, "move");
    assert_fow_ok(fow_plans_remove_module(&c, id, move, "CP-BIZ", &err), &err);
    assert_fails_on(fow_plans_remove_module(&c, id, move, "CP-BIZ", &err), FOW_ENOTFOUND, &err, "module");
    long long ms = 0;
    assert_fow_ok(fow_plans_add_milestone(&c, id, "Începe modulul", "2027-02-08", &ms, &err), &err);
    assert_fails_on(fow_plans_add_milestone(&c, id, "", "2027-02-08", NULL, &err), FOW_EINPUT, &err, "title");
    assert_fails_on(fow_plans_add_milestone(&c, id, "x", "2027-02-29", NULL, &err), FOW_EINPUT, &err, "due");
    assert_fails_on(fow_plans_add_milestone(&c, id, "x", "2027-2-8", NULL, &err), FOW_EINPUT, &err, "due");
    assert_fails_on(fow_plans_add_milestone(&c, id, "a\tb", "2027-02-08", NULL, &err), FOW_EINPUT, &err, "title");
    assert_fow_ok(fow_plans_set_milestone(&c, id, ms, FOW_MILESTONE_DONE, "2027-02-09", &err), &err);
    assert_fails_on(fow_plans_set_milestone(&c, id, ms + 100, FOW_MILESTONE_DONE, NULL, &err), FOW_ENOTFOUND, &err,
                    "milestone");
    assert_fow_ok(fow_plans_set_status(&c, id, FOW_PLAN_CANCELLED, &err), &err);
    assert_fails_on(fow_plans_add_milestone(&c, id, "x", "2027-03-01", NULL, &err), FOW_EINPUT, &err, "status");
    assert_fow_ok(fow_plans_set_status(&c, id, FOW_PLAN_ACTIVE, &err), &err);

    json_t *doc = plan_json(f, &CLUJ, id);
    json_t *m0 = json_array_get(json_object_get(doc, "milestones"), 0);
    assert_string_equal(json_string_value(json_object_get(m0, "status")), "done");
    assert_string_equal(json_string_value(json_object_get(m0, "due")), "2027-02-09");
    const char *expected[] = {"create", "add_move", "add_module", "remove_module", "add_milestone", "set_milestone",
                              "set_status", "set_status"};
    json_t *hist = json_object_get(doc, "history");
    assert_int_equal(json_array_size(hist), sizeof expected / sizeof *expected);
    for (size_t i = 0; i < json_array_size(hist); i++) {
        assert_string_equal(json_string_value(json_object_get(json_array_get(hist, i), "action")), expected[i]);
        assert_string_equal(json_string_value(json_object_get(json_array_get(hist, i), "actor")), "carla");
    }
    json_decref(doc);
    /* failed changes leave no history */
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM plan_history WHERE plan_id = %lld", id), 8);
}

static void test_access_and_consent(void **state) {
    fixture *f = *state;
    long long move = 0;
    long long id = plan_with_move(f, &move);
    fow_error err;
    fow_error_clear(&err);
    fow_plans_ctx iasi = ctx_of(f, &IASI);
    fow_jw w;
    fow_jw_init(&w, 0);
    assert_fails_on(fow_plans_write(&iasi, id, &w, &err), FOW_ENOTFOUND, &err, "plan");
    assert_fails_on(fow_plans_set_status(&iasi, id, FOW_PLAN_ACTIVE, &err), FOW_ENOTFOUND, &err, "plan");
    assert_fails_on(fow_plans_create(&iasi, f->person, "x", NULL, &err), FOW_ENOTFOUND, &err, "person");
    fow_jw_free(&w);
    json_decref(plan_json(f, &ADMIN, id));
    /* withdrawn consent: changes stop, reading stays */
    assert_fow_ok(fow_people_consent_withdraw(f->people, &CLUJ, f->person, FOW_PURPOSE_COUNSELLING, NOW, &err), &err);
    fow_plans_ctx c = ctx_of(f, &CLUJ);
    assert_fails_on(fow_plans_set_status(&c, id, FOW_PLAN_ACTIVE, &err), FOW_EINPUT, &err, "consent");
    long long other = 0;
    assert_fails_on(fow_plans_create(&c, f->person, "x", &other, &err), FOW_EINPUT, &err, "consent");
    json_decref(plan_json(f, &CLUJ, id));
}

/* A milestone added on its own connection, and the withdrawal of
 * counselling consent that ts_interleave commits while it waits for the
 * write lock, after its early checks: the change must see it. */
typedef struct withdrawal_race {
    fixture *f;
    long long plan;
    fow_code rc;
    fow_error err;
} withdrawal_race;

static void milestone_on(void *arg, fow_db *db) {
    withdrawal_race *x = arg;
    char key[TS_PATH_MAX];
    fow_people *people = NULL;
    x->rc = fow_people_key_path(x->f->d.path, key, sizeof key, &x->err);
    if (!x->rc) x->rc = fow_people_open(db, key, &people, &x->err);
    fow_plans_ctx c = {.db = db, .people = people, .staff = &CLUJ, .now = NOW};
    long long milestone = 0;
    if (!x->rc) x->rc = fow_plans_add_milestone(&c, x->plan, "Interviu", "2027-02-01", &milestone, &x->err);
    fow_people_close(people);
}

static void withdraw_counselling(void *arg) {
    withdrawal_race *x = arg;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(
        fow_people_consent_withdraw(x->f->people, &CLUJ, x->f->person, FOW_PURPOSE_COUNSELLING, NOW + 1, &err), &err);
}

static void test_withdrawal_between_check_and_write(void **state) {
    fixture *f = *state;
    long long move = 0;
    withdrawal_race x = {.f = f, .plan = plan_with_move(f, &move)};
    fow_error_clear(&x.err);
    long long before = ts_int(f->d.db, "SELECT count(*) FROM plan_milestones");
    ts_interleave(f->d.path, milestone_on, withdraw_counselling, &x);
    if (x.rc != FOW_EINPUT || strcmp(x.err.field, "consent") != 0)
        fail_msg("the change after the withdrawal should fail on consent, got %s (%s): %s", fow_code_name(x.rc),
                 x.err.field, x.err.message);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM plan_milestones"), before);
}

static void test_export_and_erasure(void **state) {
    fixture *f = *state;
    long long move = 0;
    long long id = plan_with_move(f, &move);
    fow_plans_ctx c = ctx_of(f, &CLUJ);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_plans_add_milestone(&c, id, "Interviu", "2027-04-01", NULL, &err), &err);
    fow_jw w;
    fow_jw_init(&w, 0);
    assert_fow_ok(fow_people_export(f->people, &CLUJ, f->person, "copy for the person", NOW, &w, &err), &err);
    json_error_t jerr;
    json_t *doc = json_loads(fow_jw_text(&w, NULL), 0, &jerr);
    fow_jw_free(&w);
    assert_non_null(doc);
    json_t *plans = json_object_get(doc, "plans");
    assert_int_equal(json_array_size(plans), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(plans, 0), "id")), id);
    json_decref(doc);

    fow_erasure e;
    assert_fow_ok(fow_people_erase(f->people, &CLUJ, f->person, "the person asked", NOW, &e, &err), &err);
    assert_true(e.attached >= 5); /* the plan, its move, module, milestone and history */
    const char *tables[] = {"plans", "plan_moves", "plan_modules", "plan_milestones", "plan_history"};
    for (size_t i = 0; i < 5; i++) assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM %s", tables[i]), 0);
    fow_jw_init(&w, 0);
    assert_fails_on(fow_plans_write(&c, id, &w, &err), FOW_ENOTFOUND, &err, "plan");
    fow_jw_free(&w);
}

static void test_bad_input(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_plans_ctx c = ctx_of(f, &CLUJ);
    long long id = 0;
    assert_fails_on(fow_plans_create(&c, f->person, "x", &id, &err), FOW_EINPUT, &err, "consent");
    assert_fow_ok(fow_people_consent_give(f->people, &CLUJ, f->person, FOW_PURPOSE_COUNSELLING, "v1", NOW, &err), &err);
    assert_fails_on(fow_plans_create(&c, f->person, NULL, &id, &err), FOW_EINPUT, &err, "title");
    char long_title[FOW_PLAN_TITLE_MAX + 2];
    memset(long_title, 'a', sizeof long_title - 1);
    long_title[sizeof long_title - 1] = '\0';
    assert_fails_on(fow_plans_create(&c, f->person, long_title, &id, &err), FOW_EINPUT, &err, "title");
    assert_fails_on(fow_plans_create(&c, "nobody", "x", &id, &err), FOW_EINPUT, &err, "person");
    assert_fow_ok(fow_plans_create(&c, f->person, "x", &id, &err), &err);
    /* an empty profile has no gap to compute */
    uint32_t dest = fow_model_occupation_by_key(f->model, true, "urn:fow:demo:occupation:helpdesk-technician",
                                                strlen("urn:fow:demo:occupation:helpdesk-technician"));
    assert_fails_on(fow_plans_add_move(&c, id, f->ws, f->x, dest, NULL, &err), FOW_EINPUT, &err, "skills");
    assert_fails_on(fow_plans_set_status(&c, id, (fow_plan_status)9, &err), FOW_EINPUT, &err, "status");
    assert_fails_on(fow_plans_set_status(&c, -1, FOW_PLAN_ACTIVE, &err), FOW_EINPUT, &err, "plan");
    assert_fails_on(fow_plans_set_status(&c, id + 50, FOW_PLAN_ACTIVE, &err), FOW_ENOTFOUND, &err, "plan");
    fow_plan_status ps;
    assert_int_equal(fow_plan_status_parse("paused", &ps), -1);
    fow_milestone_status ms;
    assert_int_equal(fow_milestone_status_parse("in_progress", &ms), 0);
    assert_int_equal(ms, FOW_MILESTONE_IN_PROGRESS);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plan_with_a_move, setup, teardown),
        cmocka_unit_test_setup_teardown(test_labels_in_the_readers_language, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edits_and_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_and_consent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_and_erasure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_withdrawal_between_check_and_write, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
