/* test_cohorts.c — cohorts and enrolment (src/training/fow_cohort.h) on the
 * demo catalogue: a cohort's checks, enrolment with training consent, the
 * waiting list in order of requests, promotion on cancellation,
 * idempotent repeats, attendance, completion adding the module's skills to
 * the profile with provenance "assessment", the completion read back for a
 * credential, the next open cohort of a module, the roles, and 100 threads
 * on their own connections asking for 20 seats: exactly 20 enrolled, 80
 * waiting, no duplicates; a provider running the cohorts of its own
 * modules and no other's; a consent withdrawn while an enrolment waits for
 * the write lock (after its early checks) stops it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/fow_accounts.h"
#include "people/fow_people.h"
#include "taxonomy/fow_import.h"
#include "taxonomy/fow_model.h"
#include "test_support.h"
#include "training/fow_cohort.h"
#include "training/fow_training.h"

#define T0 1796000000LL /* 2026-11-30 01:33 UTC */

static const fow_cohort_actor ADMIN = {.staff = {.name = "root", .organisation = "", .all_organisations = true},
                                       .role = FOW_ROLE_ADMIN};
static const fow_cohort_actor CLUJ = {.staff = {.name = "carla", .organisation = "AJOFM Cluj"},
                                      .role = FOW_ROLE_COUNSELLOR};
static const fow_cohort_actor IASI = {.staff = {.name = "ion", .organisation = "AJOFM Iasi"},
                                      .role = FOW_ROLE_COUNSELLOR};
static const fow_cohort_actor ANALYST = {.staff = {.name = "ana", .organisation = "AJOFM Cluj"},
                                         .role = FOW_ROLE_ANALYST};

typedef struct fixture {
    ts_db d;
    char key_path[TS_PATH_MAX + 8];
    fow_people *people;
    fow_model *model;
    fow_training_catalogue catalogue;
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    ts_programme_open(&f->d, f->key_path, sizeof f->key_path, &f->people, &f->catalogue);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_model_load(f->d.db, &f->model, &err), &err);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    fow_model_free(f->model);
    ts_programme_close(&f->d, f->people, &f->catalogue);
    free(f);
    return 0;
}

static void assert_fails_on(fow_code rc, fow_code code, const fow_error *err, const char *field) {
    if (rc != code)
        fail_msg("expected %s on field '%s', got %s: %s", fow_code_name(code), field, fow_code_name(rc), err->message);
    assert_string_equal(err->field, field);
    assert_true(err->message[0] != '\0');
}

/* A person of staff's organisation with training (and, when asked,
 * counselling) consent. */
static void add_person(fixture *f, const fow_cohort_actor *who, bool counselling, char *id) {
    fow_error err;
    fow_error_clear(&err);
    fow_person_input in = {.area = "Cluj-Napoca", .organisation = who->staff.all_organisations ? "AJOFM Cluj" : NULL};
    assert_fow_ok(fow_people_add(f->people, &who->staff, NULL, &in, T0, id, &err), &err);
    assert_fow_ok(fow_people_consent_give(f->people, &who->staff, id, FOW_PURPOSE_TRAINING, "v1", T0, &err), &err);
    if (counselling)
        assert_fow_ok(fow_people_consent_give(f->people, &who->staff, id, FOW_PURPOSE_COUNSELLING, "v1", T0, &err), &err);
}

static int64_t add_cohort(fixture *f, const char *module, long capacity, const char *starts_on) {
    fow_cohort_session sessions[2];
    fow_error err;
    fow_error_clear(&err);
    char text[80];
    snprintf(text, sizeof text, "%s 09:00-13:00", starts_on);
    assert_fow_ok(fow_cohort_session_parse(text, &sessions[0], &err), &err);
    snprintf(text, sizeof text, "%s 14:00-17:00 @ Room 2", starts_on);
    assert_fow_ok(fow_cohort_session_parse(text, &sessions[1], &err), &err);
    fow_cohort_input in = {.module = module, .starts_on = starts_on, .ends_on = "2027-12-31", .capacity = capacity,
                           .sessions = sessions, .n_sessions = 2};
    int64_t id = 0;
    assert_fow_ok(fow_cohort_add(f->d.db, &ADMIN, &f->catalogue, &in, T0, &id, &err), &err);
    assert_true(id > 0);
    return id;
}

/* ---- cohorts ------------------------------------------------------------------ */

static void test_cohort_checks(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    int64_t id;
    fow_cohort_input in = {.module = "CP-BIZ", .starts_on = "2027-02-01", .ends_on = "2027-03-01", .capacity = 12};
    assert_fails_on(fow_cohort_add(f->d.db, &ANALYST, &f->catalogue, &in, T0, &id, &err), FOW_EINPUT, &err, "role");
    in.module = "NO-SUCH";
    assert_fails_on(fow_cohort_add(f->d.db, &ADMIN, &f->catalogue, &in, T0, &id, &err), FOW_ENOTFOUND, &err, "module");
    in.module = "CP-BIZ";
    in.starts_on = "2027-02-30";
    assert_fails_on(fow_cohort_add(f->d.db, &ADMIN, &f->catalogue, &in, T0, &id, &err), FOW_EINPUT, &err, "starts_on");
    in.starts_on = "2027-04-01";
    assert_fails_on(fow_cohort_add(f->d.db, &ADMIN, &f->catalogue, &in, T0, &id, &err), FOW_EINPUT, &err, "ends_on");
    in.starts_on = "2027-02-01";
    in.capacity = 0;
    assert_fails_on(fow_cohort_add(f->d.db, &ADMIN, &f->catalogue, &in, T0, &id, &err), FOW_EINPUT, &err, "capacity");
    in.capacity = 12;
    in.status = "maybe";
    assert_fails_on(fow_cohort_add(f->d.db, &ADMIN, &f->catalogue, &in, T0, &id, &err), FOW_EINPUT, &err, "status");
    in.status = NULL;
    fow_cohort_session s[2];
    assert_fails_on(fow_cohort_session_parse("2027-02-01 9:00-13:00", &s[0], &err), FOW_EINPUT, &err, "sessions");
    assert_fow_ok(fow_cohort_session_parse("2027-05-01 09:00-13:00", &s[0], &err), &err);
    in.sessions = s;
    in.n_sessions = 1;
    assert_fails_on(fow_cohort_add(f->d.db, &ADMIN, &f->catalogue, &in, T0, &id, &err), FOW_EINPUT, &err, "sessions");
    assert_fow_ok(fow_cohort_session_parse("2027-02-03 12:00-15:00 @ Hub", &s[0], &err), &err);
    assert_fow_ok(fow_cohort_session_parse("2027-02-03 09:00-13:00", &s[1], &err), &err);
    in.n_sessions = 2;
    assert_fails_on(fow_cohort_add(f->d.db, &ADMIN, &f->catalogue, &in, T0, &id, &err), FOW_EINPUT, &err, "sessions");
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM training_cohorts"), 0);
    /* good: sessions stored in time order; place and language from the module */
    assert_fow_ok(fow_cohort_session_parse("2027-02-03 14:00-17:00 @ Hub", &s[0], &err), &err);
    assert_fow_ok(fow_cohort_add(f->d.db, &CLUJ, &f->catalogue, &in, T0, &id, &err), &err);
    fow_cohort *c = calloc(1, sizeof *c);
    assert_fow_ok(fow_cohort_get(f->d.db, id, c, &err), &err);
    assert_string_equal(c->module, "CP-BIZ");
    assert_int_equal(c->capacity, 12);
    assert_int_equal(c->seats_left, 12);
    assert_int_equal(c->status, FOW_COHORT_OPEN);
    assert_int_equal(c->n_sessions, 2);
    assert_string_equal(c->sessions[0].starts_at, "09:00");
    assert_string_equal(c->sessions[1].place, "Hub");
    const fow_training_module *m = fow_training_module_by_code(&f->catalogue, "CP-BIZ");
    assert_non_null(m);
    assert_string_equal(c->language, m->language);
    assert_string_equal(c->place, m->place);
    assert_fails_on(fow_cohort_get(f->d.db, id + 1, c, &err), FOW_ENOTFOUND, &err, "cohort");
    free(c);
}

/* ---- enrolment ------------------------------------------------------------------- */

static void test_waiting_list_and_promotion(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    int64_t cohort = add_cohort(f, "CP-DESIGN", 2, "2027-03-01");
    char p[4][FOW_PERSON_ID_CHARS + 1];
    for (int i = 0; i < 4; i++) add_person(f, &CLUJ, false, p[i]);
    fow_enrolment e;
    bool created;
    for (int i = 0; i < 4; i++) {
        assert_fow_ok(fow_cohort_enrol(f->d.db, f->people, &CLUJ, cohort, p[i], T0 + i, &e, &created, &err), &err);
        assert_true(created);
        assert_int_equal(e.status, i < 2 ? FOW_ENROLMENT_ENROLLED : FOW_ENROLMENT_WAITING);
        assert_int_equal(e.position, i < 2 ? 0 : i - 1);
    }
    /* the same request again: the enrolment held, nothing written */
    assert_fow_ok(fow_cohort_enrol(f->d.db, f->people, &CLUJ, cohort, p[3], T0 + 9, &e, &created, &err), &err);
    assert_false(created);
    assert_int_equal(e.status, FOW_ENROLMENT_WAITING);
    assert_int_equal(e.position, 2);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM training_enrolments"), 4);
    /* a counsellor of another organisation does not see these people */
    assert_fails_on(fow_cohort_enrol(f->d.db, f->people, &IASI, cohort, p[0], T0, &e, &created, &err), FOW_ENOTFOUND,
                    &err, "person");
    /* cancelling a seat gives it to the first waiting, at once */
    char promoted[FOW_PERSON_ID_CHARS + 1];
    assert_fow_ok(fow_cohort_cancel(f->d.db, f->people, &CLUJ, cohort, p[0], T0 + 10, promoted, &err), &err);
    assert_string_equal(promoted, p[2]);
    assert_fow_ok(fow_cohort_enrolment(f->d.db, f->people, &CLUJ, cohort, p[2], &e, &err), &err);
    assert_int_equal(e.status, FOW_ENROLMENT_ENROLLED);
    assert_int_equal(e.enrolled_at, T0 + 10);
    assert_fow_ok(fow_cohort_enrolment(f->d.db, f->people, &CLUJ, cohort, p[3], &e, &err), &err);
    assert_int_equal(e.position, 1);
    /* cancelling a waiting person promotes nobody */
    assert_fow_ok(fow_cohort_cancel(f->d.db, f->people, &CLUJ, cohort, p[3], T0 + 11, promoted, &err), &err);
    assert_string_equal(promoted, "");
    assert_fails_on(fow_cohort_cancel(f->d.db, f->people, &CLUJ, cohort, p[3], T0 + 12, promoted, &err), FOW_ENOTFOUND,
                    &err, "person");
    /* a cancelled person may ask again: at the end of the queue */
    assert_fow_ok(fow_cohort_enrol(f->d.db, f->people, &CLUJ, cohort, p[0], T0 + 13, &e, &created, &err), &err);
    assert_true(created);
    assert_int_equal(e.status, FOW_ENROLMENT_WAITING);
    fow_cohort *c = calloc(1, sizeof *c);
    assert_fow_ok(fow_cohort_get(f->d.db, cohort, c, &err), &err);
    assert_int_equal(c->enrolled, 2);
    assert_int_equal(c->waiting, 1);
    assert_int_equal(c->cancelled, 2);
    assert_int_equal(c->seats_left, 0);
    free(c);
    /* the list: every enrolment in order of requests, positions counted */
    fow_enrolment *list;
    size_t n;
    assert_fow_ok(fow_cohort_enrolments(f->d.db, &CLUJ, cohort, &list, &n, &err), &err);
    assert_int_equal(n, 5);
    assert_string_equal(list[4].person, p[0]);
    assert_int_equal(list[4].position, 1);
    free(list);
    assert_fow_ok(fow_cohort_enrolments(f->d.db, &IASI, cohort, &list, &n, &err), &err);
    assert_int_equal(n, 0);
    free(list);
    assert_fails_on(fow_cohort_enrolments(f->d.db, &ANALYST, cohort, &list, &n, &err), FOW_EINPUT, &err, "role");
    /* one person's enrolments across cohorts, each with its cohort: p[0] cancelled, then waiting again (1st),
     * and enrolled in a second cohort */
    int64_t second = add_cohort(f, "CP-DESIGN", 5, "2027-05-03");
    assert_fow_ok(fow_cohort_enrol(f->d.db, f->people, &CLUJ, second, p[0], T0 + 14, &e, &created, &err), &err);
    fow_person_enrolment *mine;
    assert_fow_ok(fow_cohort_enrolments_of_person(f->d.db, f->people, &CLUJ, p[0], &mine, &n, &err), &err);
    assert_int_equal(n, 3);
    assert_int_equal(mine[0].enrolment.cohort_id, cohort);
    assert_int_equal(mine[0].enrolment.status, FOW_ENROLMENT_CANCELLED);
    assert_int_equal(mine[1].enrolment.status, FOW_ENROLMENT_WAITING);
    assert_int_equal(mine[1].enrolment.position, 1);
    assert_int_equal(mine[1].cohort.id, cohort);
    assert_int_equal(mine[1].cohort.capacity, 2);
    assert_int_equal(mine[2].enrolment.cohort_id, second);
    assert_int_equal(mine[2].enrolment.status, FOW_ENROLMENT_ENROLLED);
    assert_string_equal(mine[2].cohort.starts_on, "2027-05-03");
    assert_int_equal(mine[2].cohort.enrolled, 1);
    free(mine);
    assert_fow_ok(fow_cohort_enrolments_of_person(f->d.db, f->people, &ADMIN, p[1], &mine, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(mine[0].enrolment.status, FOW_ENROLMENT_ENROLLED);
    free(mine);
    assert_fails_on(fow_cohort_enrolments_of_person(f->d.db, f->people, &IASI, p[0], &mine, &n, &err), FOW_ENOTFOUND,
                    &err, "person");
    assert_fails_on(fow_cohort_enrolments_of_person(f->d.db, f->people, &ANALYST, p[0], &mine, &n, &err), FOW_EINPUT,
                    &err, "role");
    assert_fails_on(fow_cohort_enrolments_of_person(f->d.db, f->people, &CLUJ, "p123", &mine, &n, &err), FOW_EINPUT,
                    &err, "person");
    assert_null(mine);
    /* a cohort not open takes no enrolment */
    assert_fow_ok(fow_cohort_set_status(f->d.db, &ADMIN, cohort, FOW_COHORT_CLOSED, &err), &err);
    assert_fails_on(fow_cohort_enrol(f->d.db, f->people, &CLUJ, cohort, p[3], T0, &e, &created, &err), FOW_EINPUT, &err,
                    "cohort");
}

static void test_consent(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    int64_t cohort = add_cohort(f, "CP-AV", 5, "2027-03-01");
    char id[FOW_PERSON_ID_CHARS + 1];
    fow_person_input in = {.area = "Cluj-Napoca"};
    assert_fow_ok(fow_people_add(f->people, &CLUJ.staff, NULL, &in, T0, id, &err), &err);
    fow_enrolment e;
    bool created;
    assert_fails_on(fow_cohort_enrol(f->d.db, f->people, &CLUJ, cohort, id, T0, &e, &created, &err), FOW_EINPUT, &err,
                    "consent");
    assert_fow_ok(fow_people_consent_give(f->people, &CLUJ.staff, id, FOW_PURPOSE_TRAINING, "v1", T0, &err), &err);
    assert_fow_ok(fow_cohort_enrol(f->d.db, f->people, &CLUJ, cohort, id, T0, &e, &created, &err), &err);
    /* withdrawn: attendance and completion stop; cancellation still works */
    assert_fow_ok(fow_people_consent_withdraw(f->people, &CLUJ.staff, id, FOW_PURPOSE_TRAINING, T0 + 1, &err), &err);
    assert_fails_on(fow_cohort_attend(f->d.db, f->people, &CLUJ, cohort, id, 1, true, T0 + 2, &err), FOW_EINPUT, &err,
                    "consent");
    assert_fails_on(fow_cohort_complete(f->d.db, f->people, &CLUJ, f->model, &f->catalogue, cohort, id, true, false, 0,
                                        NULL, T0 + 2, NULL, NULL, &err),
                    FOW_EINPUT, &err, "consent");
    char promoted[FOW_PERSON_ID_CHARS + 1];
    assert_fow_ok(fow_cohort_cancel(f->d.db, f->people, &CLUJ, cohort, id, T0 + 3, promoted, &err), &err);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM training_enrolments WHERE status = 'cancelled'"), 1);
}

static void test_attendance_and_completion(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    int64_t cohort = add_cohort(f, "CP-BIZ", 3, "2027-04-01");
    char a[FOW_PERSON_ID_CHARS + 1], b[FOW_PERSON_ID_CHARS + 1], w[FOW_PERSON_ID_CHARS + 1];
    add_person(f, &CLUJ, true, a);
    add_person(f, &CLUJ, false, b); /* no counselling consent: no profile */
    add_person(f, &ADMIN, false, w);
    fow_enrolment e;
    bool created;
    assert_fow_ok(fow_cohort_enrol(f->d.db, f->people, &CLUJ, cohort, a, T0, &e, &created, &err), &err);
    assert_fow_ok(fow_cohort_enrol(f->d.db, f->people, &CLUJ, cohort, b, T0, &e, &created, &err), &err);
    /* the administrator's enrolment keeps the person's organisation */
    assert_fow_ok(fow_cohort_enrol(f->d.db, f->people, &ADMIN, cohort, w, T0, &e, &created, &err), &err);
    assert_string_equal(e.organisation, "AJOFM Cluj");
    assert_fow_ok(fow_cohort_attend(f->d.db, f->people, &CLUJ, cohort, a, 1, true, T0, &err), &err);
    assert_fow_ok(fow_cohort_attend(f->d.db, f->people, &CLUJ, cohort, a, 2, false, T0, &err), &err);
    assert_fow_ok(fow_cohort_attend(f->d.db, f->people, &CLUJ, cohort, a, 2, true, T0 + 1, &err), &err); /* corrected */
    assert_fails_on(fow_cohort_attend(f->d.db, f->people, &CLUJ, cohort, a, 3, true, T0, &err), FOW_EINPUT, &err,
                    "session");
    assert_fow_ok(fow_cohort_enrolment(f->d.db, f->people, &CLUJ, cohort, a, &e, &err), &err);
    assert_int_equal(e.n_sessions, 2);
    assert_int_equal(e.attendance[0], 1);
    assert_int_equal(e.attendance[1], 1);
    /* the profile before: none of the module's skills */
    const fow_training_module *m = fow_training_module_by_code(&f->catalogue, "CP-BIZ");
    size_t taught = 0;
    for (size_t i = 0; i < m->n_links; i++) taught += m->links[i].kind == FOW_TRAINING_TEACHES;
    assert_true(taught >= 2);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM person_skills WHERE person_id = '%s'", a), 0);
    fow_completion done;
    fow_completion_skills skills;
    assert_fails_on(fow_cohort_complete(f->d.db, f->people, &CLUJ, f->model, &f->catalogue, cohort, a, true, true, 101,
                                        NULL, T0, &done, &skills, &err),
                    FOW_EINPUT, &err, "score");
    assert_fow_ok(fow_cohort_complete(f->d.db, f->people, &CLUJ, f->model, &f->catalogue, cohort, a, true, true, 87.5,
                                      "2027-05-02", T0 + 5, &done, &skills, &err),
                  &err);
    assert_int_equal(skills.taught, taught);
    assert_int_equal(skills.added, taught);
    assert_false(skills.no_counselling_consent);
    assert_string_equal(done.module, "CP-BIZ");
    assert_string_equal(done.completed_on, "2027-05-02");
    assert_true(done.passed && done.has_score);
    assert_int_equal(ts_int(f->d.db,
                            "SELECT count(*) FROM person_skills WHERE person_id = '%s' AND provenance = 'assessment' "
                            "AND detail LIKE 'module CP-BIZ, cohort %lld%%'",
                            a, (long long)cohort),
                     (long long)taught);
    /* twice: refused */
    assert_fails_on(fow_cohort_complete(f->d.db, f->people, &CLUJ, f->model, &f->catalogue, cohort, a, true, false, 0,
                                        NULL, T0 + 6, NULL, NULL, &err),
                    FOW_EINPUT, &err, "person");
    /* passed without counselling consent: recorded, no skill added */
    assert_fow_ok(fow_cohort_complete(f->d.db, f->people, &CLUJ, f->model, &f->catalogue, cohort, b, true, false, 0, NULL,
                                      T0 + 7, &done, &skills, &err),
                  &err);
    assert_true(skills.no_counselling_consent);
    assert_int_equal(skills.added, 0);
    assert_string_equal(done.completed_on, "2026-11-30"); /* the day of T0, UTC */
    /* failed: no skill */
    assert_fow_ok(fow_cohort_complete(f->d.db, f->people, &ADMIN, f->model, &f->catalogue, cohort, w, false, false, 0,
                                      NULL, T0 + 8, &done, &skills, &err),
                  &err);
    assert_false(done.passed);
    assert_int_equal(skills.added, 0);
    /* a completion is not cancelled, and its seat stays taken */
    char promoted[FOW_PERSON_ID_CHARS + 1];
    assert_fails_on(fow_cohort_cancel(f->d.db, f->people, &CLUJ, cohort, a, T0, promoted, &err), FOW_EINPUT, &err,
                    "person");
    /* read back for a credential */
    fow_completion got;
    assert_fow_ok(fow_cohort_completion(f->d.db, cohort, a, &got, &err), &err);
    assert_int_equal(got.enrolment_id, ts_int(f->d.db, "SELECT id FROM training_enrolments WHERE person_id = '%s'", a));
    assert_true(got.score > 87.4 && got.score < 87.6);
    assert_string_equal(got.recorded_by, "carla");
    fow_completion *all;
    size_t n;
    assert_fow_ok(fow_cohort_completions_of(f->d.db, a, &all, &n, &err), &err);
    assert_int_equal(n, 1);
    free(all);
    char none[FOW_PERSON_ID_CHARS + 1];
    add_person(f, &CLUJ, false, none);
    assert_fails_on(fow_cohort_completion(f->d.db, cohort, none, &got, &err), FOW_ENOTFOUND, &err, "person");
    fow_cohort *c = calloc(1, sizeof *c);
    assert_fow_ok(fow_cohort_get(f->d.db, cohort, c, &err), &err);
    assert_int_equal(c->completed, 3);
    assert_int_equal(c->passed, 2);
    assert_int_equal(c->seats_left, 0);
    free(c);
}

static void test_next_open(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_cohort *c = calloc(1, sizeof *c);
    bool found;
    assert_fow_ok(fow_cohort_next_open(f->d.db, "CP-GAME", "2027-01-01", c, &found, &err), &err);
    assert_false(found);
    int64_t past = add_cohort(f, "CP-GAME", 5, "2026-10-01");
    int64_t full = add_cohort(f, "CP-GAME", 1, "2027-02-01");
    int64_t later = add_cohort(f, "CP-GAME", 4, "2027-03-01");
    (void)past;
    assert_fow_ok(fow_cohort_next_open(f->d.db, "CP-GAME", "2027-01-01", c, &found, &err), &err);
    assert_true(found);
    assert_int_equal(c->id, full);
    char id[FOW_PERSON_ID_CHARS + 1];
    add_person(f, &CLUJ, false, id);
    fow_enrolment e;
    bool created;
    assert_fow_ok(fow_cohort_enrol(f->d.db, f->people, &CLUJ, full, id, T0, &e, &created, &err), &err);
    assert_fow_ok(fow_cohort_next_open(f->d.db, "CP-GAME", "2027-01-01", c, &found, &err), &err);
    assert_int_equal(c->id, later); /* the earliest with a seat left */
    assert_int_equal(c->seats_left, 4);
    assert_fow_ok(fow_cohort_set_status(f->d.db, &ADMIN, later, FOW_COHORT_CANCELLED, &err), &err);
    assert_fow_ok(fow_cohort_next_open(f->d.db, "CP-GAME", "2027-01-01", c, &found, &err), &err);
    assert_int_equal(c->id, full); /* none has a seat: the earliest, for its waiting list */
    assert_int_equal(c->seats_left, 0);
    free(c);
}

/* ---- 100 at once for 20 seats ------------------------------------------------------ */

#define RACE_PEOPLE 100
#define RACE_REPEATS 20
#define RACE_SEATS 20

typedef struct racer {
    const char *db_path, *key_path;
    int64_t cohort;
    const char *person;
    pthread_barrier_t *start;
    fow_code rc;
    bool created;
    fow_enrolment_status status;
    char message[sizeof ((fow_error *)0)->message];
} racer;

static void *race(void *arg) {
    racer *r = arg;
    fow_error err;
    fow_error_clear(&err);
    fow_db *db = NULL;
    fow_people *people = NULL;
    r->rc = fow_db_open(&db, r->db_path, false, &err);
    if (!r->rc) r->rc = fow_people_open(db, r->key_path, &people, &err);
    pthread_barrier_wait(r->start);
    fow_enrolment e;
    if (!r->rc) r->rc = fow_cohort_enrol(db, people, &CLUJ, r->cohort, r->person, T0, &e, &r->created, &err);
    if (!r->rc) r->status = e.status;
    snprintf(r->message, sizeof r->message, "%s", err.message);
    fow_people_close(people);
    fow_db_close(db);
    return NULL;
}

static void test_hundred_for_twenty_seats(void **state) {
    fixture *f = *state;
    int64_t cohort = add_cohort(f, "W40-DATA", RACE_SEATS, "2027-05-03");
    static char ids[RACE_PEOPLE][FOW_PERSON_ID_CHARS + 1];
    for (int i = 0; i < RACE_PEOPLE; i++) add_person(f, &CLUJ, false, ids[i]);
    enum { N = RACE_PEOPLE + RACE_REPEATS };
    racer *racers = calloc(N, sizeof *racers);
    pthread_t *threads = calloc(N, sizeof *threads);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, N);
    for (int i = 0; i < N; i++) {
        racers[i] = (racer){.db_path = f->d.path, .key_path = f->key_path, .cohort = cohort,
                            .person = ids[i < RACE_PEOPLE ? i : (i - RACE_PEOPLE) * 5], .start = &start};
        assert_int_equal(pthread_create(&threads[i], NULL, race, &racers[i]), 0);
    }
    int created = 0, enrolled = 0, waiting = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(threads[i], NULL);
        if (racers[i].rc) fail_msg("request %d failed: %s", i, racers[i].message);
        created += racers[i].created;
    }
    /* each person once, whoever of their two requests came first */
    assert_int_equal(created, RACE_PEOPLE);
    for (int i = 0; i < RACE_PEOPLE; i++) {
        fow_enrolment e;
        fow_error err;
        fow_error_clear(&err);
        assert_fow_ok(fow_cohort_enrolment(f->d.db, f->people, &CLUJ, cohort, ids[i], &e, &err), &err);
        enrolled += e.status == FOW_ENROLMENT_ENROLLED;
        waiting += e.status == FOW_ENROLMENT_WAITING;
    }
    assert_int_equal(enrolled, RACE_SEATS);
    assert_int_equal(waiting, RACE_PEOPLE - RACE_SEATS);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM training_enrolments WHERE cohort_id = %lld", (long long)cohort),
                     RACE_PEOPLE);
    assert_int_equal(ts_int(f->d.db, "SELECT count(DISTINCT person_id) FROM training_enrolments"), RACE_PEOPLE);
    /* the waiting list is the order of the requests that waited: positions 1..80 */
    assert_int_equal(ts_int(f->d.db,
                            "SELECT count(*) FROM training_enrolments WHERE status = 'enrolled' AND id > "
                            "(SELECT min(id) FROM training_enrolments WHERE status = 'waiting')"),
                     0);
    pthread_barrier_destroy(&start);
    free(racers);
    free(threads);
}

/* ---- a provider runs the cohorts of its own modules ------------------------------- */

static void test_provider_runs_its_own_cohorts(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    const fow_training_module *biz = fow_training_module_by_code(&f->catalogue, "CP-BIZ");
    const fow_training_module *data = fow_training_module_by_code(&f->catalogue, "W40-DATA");
    assert_non_null(biz);
    assert_non_null(data);
    assert_true(biz->provider_id != data->provider_id);
    const fow_cohort_actor mine = {.staff = {.name = "prue", .organisation = ""}, .role = FOW_ROLE_PROVIDER,
                                   .provider_id = biz->provider_id};
    const fow_cohort_actor other = {.staff = {.name = "quinn", .organisation = ""}, .role = FOW_ROLE_PROVIDER,
                                    .provider_id = data->provider_id};
    const fow_cohort_actor unlinked = {.staff = {.name = "una", .organisation = ""}, .role = FOW_ROLE_PROVIDER};
    /* adding: its own module's cohort, not another provider's */
    fow_cohort_input in = {.module = "CP-BIZ", .starts_on = "2027-06-01", .ends_on = "2027-06-30", .capacity = 4};
    int64_t cohort = 0, refused = 0;
    assert_fow_ok(fow_cohort_add(f->d.db, &mine, &f->catalogue, &in, T0, &cohort, &err), &err);
    assert_fails_on(fow_cohort_add(f->d.db, &other, &f->catalogue, &in, T0, &refused, &err), FOW_EINPUT, &err, "role");
    assert_fails_on(fow_cohort_add(f->d.db, &unlinked, &f->catalogue, &in, T0, &refused, &err), FOW_EINPUT, &err,
                    "role");
    in.module = "W40-DATA";
    assert_fails_on(fow_cohort_add(f->d.db, &mine, &f->catalogue, &in, T0, &refused, &err), FOW_EINPUT, &err, "role");
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM training_cohorts"), 1);
    /* a file of cohorts with another provider's row is refused whole, at that row's module cell */
    char path[TS_PATH_MAX];
    ts_write_string(f->d.tmp.dir, "cohorts.csv",
                    "module,starts_on,ends_on,capacity\nCP-AV,2027-07-01,2027-07-31,5\n"
                    "W40-DATA,2027-07-01,2027-07-31,5\n",
                    path, sizeof path);
    size_t added = 9;
    assert_fails_on(fow_cohorts_add_file(f->d.db, &mine, &f->catalogue, path, T0, &added, &err), FOW_EINPUT, &err,
                    "role");
    assert_int_equal(err.line, 3);
    assert_int_equal(added, 0);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM training_cohorts"), 1);
    /* its status: the owner, not another provider */
    assert_fow_ok(fow_cohort_set_status(f->d.db, &mine, cohort, FOW_COHORT_PLANNED, &err), &err);
    assert_fails_on(fow_cohort_set_status(f->d.db, &other, cohort, FOW_COHORT_OPEN, &err), FOW_EINPUT, &err, "role");
    assert_fow_ok(fow_cohort_set_status(f->d.db, &mine, cohort, FOW_COHORT_OPEN, &err), &err);
    /* enrolment is the counsellors' (people records): a provider may not enrol */
    char a[FOW_PERSON_ID_CHARS + 1], b[FOW_PERSON_ID_CHARS + 1], stranger[FOW_PERSON_ID_CHARS + 1];
    add_person(f, &CLUJ, true, a);
    add_person(f, &IASI, true, b);
    add_person(f, &CLUJ, true, stranger);
    fow_enrolment e;
    bool created;
    assert_fails_on(fow_cohort_enrol(f->d.db, f->people, &mine, cohort, a, T0, &e, &created, &err), FOW_EINPUT, &err,
                    "role");
    assert_fow_ok(fow_cohort_enrol(f->d.db, f->people, &CLUJ, cohort, a, T0, &e, &created, &err), &err);
    assert_fow_ok(fow_cohort_enrol(f->d.db, f->people, &IASI, cohort, b, T0, &e, &created, &err), &err);
    /* it sees every enrolment of its cohort (both organisations, pseudonymous ids); another provider none */
    fow_enrolment *list = NULL;
    size_t n = 0;
    assert_true(fow_cohort_sees_all(&mine));
    assert_false(fow_cohort_sees_all(&CLUJ));
    assert_fow_ok(fow_cohort_enrolments(f->d.db, &mine, cohort, &list, &n, &err), &err);
    assert_int_equal(n, 2);
    free(list);
    list = NULL;
    assert_fails_on(fow_cohort_enrolments(f->d.db, &other, cohort, &list, &n, &err), FOW_EINPUT, &err, "role");
    assert_null(list);
    /* it records attendance and completion of the people enrolled, not of anyone else */
    assert_fails_on(fow_cohort_attend(f->d.db, f->people, &mine, cohort, stranger, 1, true, T0, &err), FOW_ENOTFOUND,
                    &err, "person");
    assert_fails_on(fow_cohort_attend(f->d.db, f->people, &other, cohort, a, 1, true, T0, &err), FOW_EINPUT, &err,
                    "role");
    assert_fails_on(fow_cohort_enrolment(f->d.db, f->people, &other, cohort, a, &e, &err), FOW_EINPUT, &err, "role");
    assert_fow_ok(fow_cohort_enrolment(f->d.db, f->people, &mine, cohort, b, &e, &err), &err);
    assert_string_equal(e.person, b);
    fow_completion done;
    fow_completion_skills skills;
    assert_fails_on(fow_cohort_complete(f->d.db, f->people, &other, f->model, &f->catalogue, cohort, a, true, false, 0,
                                        NULL, T0, &done, &skills, &err),
                    FOW_EINPUT, &err, "role");
    assert_fow_ok(fow_cohort_complete(f->d.db, f->people, &mine, f->model, &f->catalogue, cohort, a, true, true, 90,
                                      NULL, T0, &done, &skills, &err),
                  &err);
    assert_string_equal(done.recorded_by, "prue");
    assert_true(skills.added > 0); /* the person's profile got the module's skills */
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM person_skills WHERE person_id = '%s'", a), (int)skills.added);
    /* a withdrawn consent stops the provider as it stops a counsellor */
    assert_fow_ok(fow_people_consent_withdraw(f->people, &IASI.staff, b, FOW_PURPOSE_TRAINING, T0 + 1, &err), &err);
    assert_fails_on(fow_cohort_attend(f->d.db, f->people, &mine, cohort, b, 1, true, T0 + 2, &err), FOW_EINPUT, &err,
                    "consent");
    /* the role alone, before any cohort: a provider may run cohorts, an analyst may not */
    assert_fow_ok(fow_cohort_authorise(&mine, FOW_COHORT_RECORD, -1, &err), &err);
    assert_fails_on(fow_cohort_authorise(&ANALYST, FOW_COHORT_RECORD, -1, &err), FOW_EINPUT, &err, "role");
    assert_fails_on(fow_cohort_authorise(&unlinked, FOW_COHORT_RECORD, -1, &err), FOW_EINPUT, &err, "role");
}

/* ---- consent withdrawn between the check and the write ------------------------------ */

/* An enrolment on its own connection, and the withdrawal that ts_interleave
 * commits while it waits for the write lock, after its early checks.
 * Without the consent read inside the write transaction the enrolment
 * would be written on a consent withdrawn before it. */
typedef struct withdrawal_race {
    fixture *f;
    int64_t cohort;
    const char *person;
    fow_code rc;
    fow_error err;
} withdrawal_race;

static void enrol_on(void *arg, fow_db *db) {
    withdrawal_race *x = arg;
    fow_people *people = NULL;
    x->rc = fow_people_open(db, x->f->key_path, &people, &x->err);
    fow_enrolment e;
    bool created = false;
    if (!x->rc) x->rc = fow_cohort_enrol(db, people, &CLUJ, x->cohort, x->person, T0, &e, &created, &x->err);
    fow_people_close(people);
}

static void withdraw_training(void *arg) {
    withdrawal_race *x = arg;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_people_consent_withdraw(x->f->people, &CLUJ.staff, x->person, FOW_PURPOSE_TRAINING, T0, &err),
                  &err);
}

static void test_withdrawal_between_check_and_write(void **state) {
    fixture *f = *state;
    int64_t cohort = add_cohort(f, "CP-GAME", 5, "2027-03-01");
    char id[FOW_PERSON_ID_CHARS + 1];
    add_person(f, &CLUJ, false, id);
    withdrawal_race x = {.f = f, .cohort = cohort, .person = id};
    fow_error_clear(&x.err);
    ts_interleave(f->d.path, enrol_on, withdraw_training, &x);
    if (x.rc != FOW_EINPUT || strcmp(x.err.field, "consent") != 0)
        fail_msg("the enrolment after the withdrawal should fail on consent, got %s (%s): %s", fow_code_name(x.rc),
                 x.err.field, x.err.message);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM training_enrolments"), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cohort_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_waiting_list_and_promotion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attendance_and_completion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_next_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hundred_for_twenty_seats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_provider_runs_its_own_cohorts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_withdrawal_between_check_and_write, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
