/* test_indicators.c — the programme indicators (src/indicators,
 * docs/indicators.md) on the demo catalogue, from people, enrolments and
 * completions written through the library: only people with statistics
 * consent are counted (a withdrawal takes them out of every cell), cells of
 * 1 to 9 people are suppressed while a true 0 is shown, the complementary
 * suppression hides the smallest other cell of a column when exactly one is
 * suppressed and every non-zero cell when the total is, the completion rate
 * follows its cells, the CSV says "suppressed", and a role without
 * FOW_COHORT_SEE_PEOPLE is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/fow_accounts.h"
#include "indicators/fow_indicators.h"
#include "people/fow_people.h"
#include "taxonomy/fow_import.h"
#include "taxonomy/fow_model.h"
#include "test_support.h"
#include "training/fow_cohort.h"
#include "training/fow_training.h"

#define T0 1796000000LL /* 2026-11-30 */

static const fow_cohort_actor ADMIN = {.staff = {.name = "root", .organisation = "", .all_organisations = true},
                                       .role = FOW_ROLE_ADMIN};

typedef struct fixture {
    ts_db d;
    fow_people *people;
    fow_model *model;
    fow_training_catalogue catalogue;
    char women[12][FOW_PERSON_ID_CHARS + 1]; /* born 1990: 35-44 */
    char men[3][FOW_PERSON_ID_CHARS + 1];    /* born 2000: 25-34 */
    char unconsenting[2][FOW_PERSON_ID_CHARS + 1];
    int64_t cohort;
} fixture;

static const char *demo_dir(void) {
    const char *d = getenv("FOW_DEMO");
    return d && *d ? d : "data/demo";
}

/* A person of AJOFM Cluj with training and counselling consent, and
 * statistics consent when counted. */
static void add_person(fixture *f, const char *sex, int born, bool counted, char *id) {
    fow_error err;
    fow_error_clear(&err);
    fow_person_input in = {.sex = sex, .birth_year = born, .area = "Cluj-Napoca", .organisation = "AJOFM Cluj"};
    assert_fow_ok(fow_people_add(f->people, &ADMIN.staff, NULL, &in, T0, id, &err), &err);
    fow_purpose purposes[] = {FOW_PURPOSE_TRAINING, FOW_PURPOSE_COUNSELLING, FOW_PURPOSE_STATISTICS};
    for (size_t i = 0; i < (counted ? 3u : 2u); i++)
        assert_fow_ok(fow_people_consent_give(f->people, &ADMIN.staff, id, purposes[i], "v1", T0, &err), &err);
}

static void enrol(fixture *f, const char *id) {
    fow_error err;
    fow_error_clear(&err);
    fow_enrolment e;
    bool created;
    assert_fow_ok(fow_cohort_enrol(f->d.db, f->people, &ADMIN, f->cohort, id, T0, &e, &created, &err), &err);
    assert_int_equal(e.status, FOW_ENROLMENT_ENROLLED);
}

static void complete(fixture *f, const char *id) {
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_cohort_complete(f->d.db, f->people, &ADMIN, f->model, &f->catalogue, f->cohort, id, true, false,
                                      0, "2026-11-20", T0, NULL, NULL, &err),
                  &err);
}

/* 12 women and 3 men counted, 2 women not; 11 women, 1 man and 1 of the
 * uncounted enrolled in a CP-BIZ cohort; 10 women passed. */
static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    ts_db_fresh(&f->d);
    fow_error err;
    fow_error_clear(&err);
    fow_import_report r;
    assert_fow_ok(fow_import_bundle(f->d.db, demo_dir(), NULL, &r, &err), &err);
    char path[TS_PATH_MAX], key[TS_PATH_MAX + 8];
    ts_join(path, sizeof path, demo_dir(), "modules.csv");
    assert_fow_ok(fow_import_modules(f->d.db, path, NULL, &r, &err), &err);
    assert_fow_ok(fow_training_load(f->d.db, &f->catalogue, &err), &err);
    assert_fow_ok(fow_model_load(f->d.db, &f->model, &err), &err);
    assert_fow_ok(fow_people_key_path(f->d.path, key, sizeof key, &err), &err);
    assert_fow_ok(fow_people_open(f->d.db, key, &f->people, &err), &err);
    for (int i = 0; i < 12; i++) add_person(f, "female", 1990, true, f->women[i]);
    for (int i = 0; i < 3; i++) add_person(f, "male", 2000, true, f->men[i]);
    for (int i = 0; i < 2; i++) add_person(f, "female", 1990, false, f->unconsenting[i]);
    fow_cohort_input in = {.module = "CP-BIZ", .starts_on = "2026-11-02", .ends_on = "2026-11-20", .capacity = 50};
    assert_fow_ok(fow_cohort_add(f->d.db, &ADMIN, &f->catalogue, &in, T0, &f->cohort, &err), &err);
    for (int i = 0; i < 11; i++) enrol(f, f->women[i]);
    enrol(f, f->men[0]);
    enrol(f, f->unconsenting[0]);
    for (int i = 0; i < 10; i++) complete(f, f->women[i]);
    complete(f, f->unconsenting[0]);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    fow_people_close(f->people);
    fow_model_free(f->model);
    fow_training_free(&f->catalogue);
    ts_db_free(&f->d);
    free(f);
    return 0;
}

static void compute(fixture *f, fow_indicators_by by, fow_indicators *out) {
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_indicators_compute(f->d.db, f->people, &ADMIN, &f->catalogue, by, T0, out, &err), &err);
}

static const fow_indicator_row *row(const fow_indicators *ind, const char *group) {
    for (size_t i = 0; i < ind->n_rows; i++)
        if (strcmp(ind->rows[i].group, group) == 0) return &ind->rows[i];
    fail_msg("no row %s", group);
    return NULL;
}

/* The value of a cell and whether it is suppressed, primary or
 * complementary. */
static void assert_cell(const fow_indicator_row *r, fow_indicator_column c, long value, bool suppressed,
                        bool complementary) {
    if (r->value[c] != value || r->suppressed[c] != suppressed || r->complementary[c] != complementary)
        fail_msg("%s %s: %ld%s%s, wanted %ld%s%s", r->group, fow_indicator_column_name(c), r->value[c],
                 r->suppressed[c] ? " suppressed" : "", r->complementary[c] ? " (complementary)" : "", value,
                 suppressed ? " suppressed" : "", complementary ? " (complementary)" : "");
}

static void test_total_and_consent(void **state) {
    fixture *f = *state;
    fow_indicators ind;
    compute(f, FOW_INDICATORS_TOTAL, &ind);
    /* 15 counted; the 2 without statistics consent are left out, and their number (2) is itself suppressed */
    assert_cell(&ind.total, FOW_IND_SERVED, 15, false, false);
    assert_cell(&ind.total, FOW_IND_ENROLLED, 12, false, false);
    assert_cell(&ind.total, FOW_IND_COMPLETED, 10, false, false);
    assert_cell(&ind.total, FOW_IND_PASSED, 10, false, false);
    assert_int_equal(ind.without_consent, 2);
    assert_true(ind.without_consent_suppressed);
    assert_false(ind.total.rate_suppressed);
    assert_near(ind.total.completion_rate, 100.0 * 10 / 12, 1e-9);
    /* the skills gained: distinct (person, skill) pairs of the passed completions */
    const fow_training_module *m = fow_training_module_by_code(&f->catalogue, "CP-BIZ");
    long taught = 0;
    for (size_t i = 0; i < m->n_links; i++) taught += m->links[i].kind == FOW_TRAINING_TEACHES && m->links[i].skill_id;
    assert_true(taught > 0);
    assert_cell(&ind.total, FOW_IND_SKILLS_GAINED, 10 * taught, false, false);
    fow_indicators_free(&ind);
    /* a withdrawal of statistics consent takes a person out of every cell at once */
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_people_consent_withdraw(f->people, &ADMIN.staff, f->women[0], FOW_PURPOSE_STATISTICS, T0 + 1,
                                              &err),
                  &err);
    compute(f, FOW_INDICATORS_TOTAL, &ind);
    assert_cell(&ind.total, FOW_IND_SERVED, 14, false, false);
    assert_cell(&ind.total, FOW_IND_ENROLLED, 11, false, false);
    /* completed 9 of the counted: now a small cell, suppressed with what comes from it */
    assert_cell(&ind.total, FOW_IND_COMPLETED, 9, true, false);
    assert_cell(&ind.total, FOW_IND_PASSED, 9, true, false);
    assert_cell(&ind.total, FOW_IND_SKILLS_GAINED, 9 * taught, true, false);
    assert_true(ind.total.rate_suppressed);
    assert_int_equal(ind.without_consent, 3);
    fow_indicators_free(&ind);
}

/* The labs' figures join the indicators over the same counted people:
 * bookings of the 12 counted women and of the 2 not counted (left out),
 * 3 of the women checked in (a small cell: suppressed, and the hours with
 * it), then 10 checked in (shown). The rows are written as the tables of
 * migration 18 hold them. */
static void test_lab_figures(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_db_exec(f->d.db,
                              "INSERT INTO labs (id, code, name_en, name_ro, created_at, updated_at)"
                              " VALUES (1, 'design', 'Design', 'Design', 0, 0);"
                              "INSERT INTO lab_resources (id, lab_id, code, kind, name_en, name_ro, created_at,"
                              " updated_at) VALUES (1, 1, 'laser', 'machine', 'Laser', 'Laser', 0, 0);",
                              &err),
                  &err);
    const char *ids[14];
    for (int i = 0; i < 12; i++) ids[i] = f->women[i];
    ids[12] = f->unconsenting[0];
    ids[13] = f->unconsenting[1];
    for (int i = 0; i < 14; i++) {
        char sql[600];
        long long start = T0 + 3600LL * i, in = i < 3 || i >= 12 ? start : 0;
        snprintf(sql, sizeof sql,
                 "INSERT INTO lab_bookings (uid, resource_id, starts_at, ends_at, status, person_id, booked_by,"
                 " category, payment, checked_in_at, checked_out_at, created_at, changed_at, changed_by)"
                 " VALUES ('u%d', 1, %lld, %lld, '%s', '%s', 'x', 'resident', 'free', %lld, %lld, 0, 0, 'x')",
                 i, start, start + 3600, in ? "completed" : "confirmed", ids[i], in, in ? in + 1800 : 0);
        assert_fow_ok(fow_db_exec(f->d.db, sql, &err), &err);
    }
    fow_indicators ind;
    compute(f, FOW_INDICATORS_TOTAL, &ind);
    assert_int_equal(ind.labs.value[FOW_IND_L_USERS], 12);
    assert_false(ind.labs.suppressed[FOW_IND_L_USERS]);
    assert_int_equal(ind.labs.value[FOW_IND_L_USED], 3);
    assert_true(ind.labs.suppressed[FOW_IND_L_USED]);
    assert_int_equal(ind.labs.minutes_used, 3 * 30);
    assert_int_equal(ind.labs.value[FOW_IND_L_PROJECTS], 0);
    assert_false(ind.labs.suppressed[FOW_IND_L_PROJECTS]);
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_indicators_write(&w, &ind);
    size_t len = 0;
    const char *json = fow_jw_text(&w, &len);
    assert_non_null(strstr(json, "\"used_a_lab\":{\"value\":null,\"suppressed\":true"));
    assert_non_null(strstr(json, "\"hours_used\":{\"value\":null,\"suppressed\":true}"));
    fow_jw_free(&w);
    fow_indicators_free(&ind);
    assert_fow_ok(fow_db_exec(f->d.db,
                              "UPDATE lab_bookings SET status = 'completed', checked_in_at = starts_at,"
                              " checked_out_at = starts_at + 3600",
                              &err),
                  &err);
    compute(f, FOW_INDICATORS_TOTAL, &ind);
    assert_int_equal(ind.labs.value[FOW_IND_L_USED], 12);
    assert_false(ind.labs.suppressed[FOW_IND_L_USED]);
    assert_int_equal(ind.labs.minutes_used, 12 * 60);
    fow_indicators_free(&ind);
}

static void test_small_cells_and_complementary(void **state) {
    fixture *f = *state;
    fow_indicators ind;
    compute(f, FOW_INDICATORS_BY_SEX, &ind);
    const fow_indicator_row *women = row(&ind, "female"), *men = row(&ind, "male"), *other = row(&ind, "other");
    /* served: 3 men suppressed; the total (15) is shown, so the one other non-zero cell (12 women) goes too,
     * else 15 - 12 would give the 3 back */
    assert_cell(&ind.total, FOW_IND_SERVED, 15, false, false);
    assert_cell(men, FOW_IND_SERVED, 3, true, false);
    assert_cell(women, FOW_IND_SERVED, 12, true, true);
    /* a true 0 names nobody: shown, and never chosen to hide another cell */
    assert_cell(other, FOW_IND_SERVED, 0, false, false);
    /* enrolled: 1 man suppressed, 11 women complementary */
    assert_cell(men, FOW_IND_ENROLLED, 1, true, false);
    assert_cell(women, FOW_IND_ENROLLED, 11, true, true);
    /* completed: 10 women and 0 men; nothing to hide */
    assert_cell(women, FOW_IND_COMPLETED, 10, false, false);
    assert_cell(men, FOW_IND_COMPLETED, 0, false, false);
    /* the rate follows its cells: the women's enrolled is hidden, so is their rate; the men's too */
    assert_true(women->rate_suppressed);
    assert_true(men->rate_suppressed);
    assert_true(ind.suppressed_cells > 0);
    assert_true(ind.complementary_cells >= 2);
    /* the CSV never gives a suppressed number */
    char *csv = fow_indicators_csv(&ind);
    assert_non_null(csv);
    assert_non_null(strstr(csv, "\r\n\"male\",\"male\",suppressed,suppressed,0,0,0,suppressed\r\n"));
    assert_non_null(strstr(csv, "\r\n\"other\",\"other\",0,0,0,0,0,\r\n")); /* no rate when nobody enrolled */
    assert_non_null(strstr(csv, "\r\n\"total\",\"total\",15,12,10,10,"));
    assert_null(strstr(csv, ",3,"));
    assert_null(strstr(csv, ",11,"));
    free(csv);
    fow_indicators_free(&ind);
    /* the same people by age: 35-44 (the women), 25-34 (the men) */
    compute(f, FOW_INDICATORS_BY_AGE, &ind);
    assert_cell(row(&ind, "25-34"), FOW_IND_SERVED, 3, true, false);
    assert_cell(row(&ind, "35-44"), FOW_IND_SERVED, 12, true, true);
    fow_indicators_free(&ind);
}

static void test_total_suppressed_hides_the_column(void **state) {
    fixture *f = *state;
    /* the one woman enrolled who did not complete cancels: enrolled is 11 (10 women who completed, 1 man); then
     * two of those women withdraw their statistics consent: 9, a small total */
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_cohort_cancel(f->d.db, f->people, &ADMIN, f->cohort, f->women[10], T0, NULL, &err), &err);
    fow_indicators ind;
    compute(f, FOW_INDICATORS_BY_SEX, &ind);
    /* enrolled counts those who held a seat and hold it or completed: 10 women completed + 1 man */
    assert_cell(&ind.total, FOW_IND_ENROLLED, 11, false, false);
    fow_indicators_free(&ind);
    assert_fow_ok(fow_people_consent_withdraw(f->people, &ADMIN.staff, f->women[0], FOW_PURPOSE_STATISTICS, T0, &err),
                  &err);
    assert_fow_ok(fow_people_consent_withdraw(f->people, &ADMIN.staff, f->women[1], FOW_PURPOSE_STATISTICS, T0, &err),
                  &err);
    compute(f, FOW_INDICATORS_BY_SEX, &ind);
    /* enrolled 9 in all: the total is suppressed, and so is every non-zero cell of the column */
    assert_cell(&ind.total, FOW_IND_ENROLLED, 9, true, false);
    assert_true(row(&ind, "female")->suppressed[FOW_IND_ENROLLED]);
    assert_true(row(&ind, "male")->suppressed[FOW_IND_ENROLLED]);
    assert_cell(row(&ind, "other"), FOW_IND_ENROLLED, 0, false, false);
    fow_indicators_free(&ind);
}

static void test_programme_and_roles(void **state) {
    fixture *f = *state;
    fow_indicators ind;
    compute(f, FOW_INDICATORS_BY_PROGRAMME, &ind);
    /* by programme, served is who asked for a place in it: 11 women and 1 man counted */
    const fow_indicator_row *cp = row(&ind, "Culturepreneurs");
    assert_cell(cp, FOW_IND_SERVED, 12, false, false);
    assert_cell(cp, FOW_IND_ENROLLED, 12, false, false);
    assert_cell(cp, FOW_IND_PASSED, 10, false, false);
    fow_indicators_free(&ind);
    /* an analyst's role may not see who is enrolled */
    const fow_cohort_actor analyst = {.staff = {.name = "ana", .organisation = "AJOFM Cluj"},
                                      .role = FOW_ROLE_ANALYST};
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_indicators_compute(f->d.db, f->people, &analyst, &f->catalogue, FOW_INDICATORS_TOTAL, T0,
                                            &ind, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "role");
    fow_indicators_free(&ind);
    assert_int_equal(fow_indicators_compute(f->d.db, f->people, &ADMIN, &f->catalogue, (fow_indicators_by)9, T0,
                                            &ind, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "by");
    fow_indicators_free(&ind);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_total_and_consent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lab_figures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_small_cells_and_complementary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_total_suppressed_hides_the_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_programme_and_roles, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
