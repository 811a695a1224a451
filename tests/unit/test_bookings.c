/* test_bookings.c — bookings of the labs (src/labs/fow_bookings.h): the
 * availability grid (hours, holidays, closures, maintenance, bookings; one
 * year answered whole), every refusal code, payment by a lab_time voucher
 * through the ledger (the booking and its charge together or not at all;
 * the check vouchers.rows), cancellation free and late with its fee, the
 * waiting list's offer and acceptance, change (sequence), weekly series with
 * conflicts, group bookings, check-in, check-out and no-show; 100 processes
 * booking one slot (exactly one), and parallel bookings of different slots
 * paid by a voucher worth one (charged exactly once). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "accounts/fow_accounts.h"
#include "base/fow_check.h"
#include "labs/fow_bookings.h"
#include "labs/fow_lab_time.h"
#include "labs/fow_labs.h"
#include "people/fow_people.h"
#include "test_support.h"
#include "training/fow_cohort.h"
#include "training/fow_training.h"
#include "vouchers/fow_ledger.h"
#include "vouchers/fow_vouchers.h"

#define NOW 1796000000LL /* 2026-11-30 */

static const fow_cohort_actor OFFICE = {.staff = {.name = "office", .organisation = "", .all_organisations = true},
                                        .role = FOW_ROLE_ADMIN};

typedef struct fixture {
    ts_db d;
    char key_path[TS_PATH_MAX + 8];
    fow_people *people;
    fow_training_catalogue catalogue;
    int64_t provider, fund, line;
    char person[FOW_PERSON_ID_CHARS + 1], other[FOW_PERSON_ID_CHARS + 1];
} fixture;

static void add_person(fixture *f, char *id) {
    fow_error err;
    fow_error_clear(&err);
    fow_person_input in = {.area = "Cluj-Napoca", .organisation = "AJOFM Cluj"};
    assert_fow_ok(fow_people_add(f->people, &OFFICE.staff, NULL, &in, NOW, id, &err), &err);
    assert_fow_ok(fow_people_consent_give(f->people, &OFFICE.staff, id, FOW_PURPOSE_VOUCHERS, "v1", NOW, &err), &err);
}

/* Lab "design" (Mon-Fri 09:00-18:00, Sat 10:00-14:00; operator: the first
 * provider of the demo catalogue; cancel 24 h before, else 50 %): machine
 * "laser" (60-minute slots, at most 4, 5000 bani an hour for residents, free
 * for schools), space "studio" (capacity 20, 120-minute slots); the holiday
 * 2027-05-01; maintenance of the laser 2027-03-02 09:00-12:00. */
static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    ts_programme_open(&f->d, f->key_path, sizeof f->key_path, &f->people, &f->catalogue);
    fow_error err;
    fow_error_clear(&err);
    assert_true(f->catalogue.n_modules > 0);
    f->provider = f->catalogue.modules[0].provider_id;
    fow_lab_input lab = {.code = "design", .name_en = "Design Development", .name_ro = "Dezvoltare de design",
                         .provider_id = f->provider, .cancel_deadline_hours = 24, .late_cancel_fee_percent = 50,
                         .offer_hours = 12};
    assert_fow_ok(fow_lab_add(f->d.db, &lab, NOW, NULL, &err), &err);
    fow_lab_resource_input laser = {.code = "laser", .kind = "machine", .name_en = "Laser cutter",
                                    .name_ro = "Tăietor laser", .capacity = 1, .slot_minutes = 60, .max_slots = 4,
                                    .active = 1};
    assert_fow_ok(fow_lab_resource_add(f->d.db, "design", &laser, NOW, NULL, &err), &err);
    fow_lab_resource_input studio = {.code = "studio", .kind = "space", .name_en = "Studio", .name_ro = "Studio",
                                     .capacity = 20, .slot_minutes = 120, .max_slots = 2, .active = 1};
    assert_fow_ok(fow_lab_resource_add(f->d.db, "design", &studio, NOW, NULL, &err), &err);
    fow_lab_hours hours[6];
    for (int d = 1; d <= 5; d++) hours[d - 1] = (fow_lab_hours){d, 9 * 60, 18 * 60};
    hours[5] = (fow_lab_hours){6, 10 * 60, 14 * 60};
    assert_fow_ok(fow_lab_hours_set(f->d.db, "design", hours, 6, &err), &err);
    fow_lab_price prices[2] = {{FOW_LAB_RESIDENT, 5000, "RON"}, {FOW_LAB_SCHOOL, 0, "RON"}};
    assert_fow_ok(fow_lab_prices_set(f->d.db, "laser", prices, 2, &err), &err);
    fow_lab_price studio_prices[2] = {{FOW_LAB_SCHOOL, 2000, "RON"}, {FOW_LAB_RESIDENT, 4000, "RON"}};
    assert_fow_ok(fow_lab_prices_set(f->d.db, "studio", studio_prices, 2, &err), &err);
    fow_lab_holiday may = {.day = "2027-05-01", .name_en = "Labour Day", .name_ro = "Ziua Muncii",
                           .source = "Codul muncii, art. 139"};
    assert_fow_ok(fow_lab_holidays_put(f->d.db, &may, 1, &err), &err);
    fow_lab_local a = {2027, 3, 2, 9, 0}, b = {2027, 3, 2, 12, 0};
    int64_t from = 0, to = 0;
    assert_fow_ok(fow_lab_local_to_utc(&a, "start", &from, &err), &err);
    assert_fow_ok(fow_lab_local_to_utc(&b, "end", &to, &err), &err);
    assert_fow_ok(fow_lab_closure_add(f->d.db, "design", "maintenance", "laser", from, to, "new lens", "lara", NOW,
                                      NULL, &err),
                  &err);
    assert_fow_ok(fow_voucher_fund_create(f->d.db, "CEV", "RON", NULL, "office", NOW, &f->fund, &err), &err);
    assert_fow_ok(fow_budget_line_add(f->d.db, f->fund, "lab_time", 2027, 10000000, NULL, "office", NOW, &f->line,
                                      &err),
                  &err);
    add_person(f, f->person);
    add_person(f, f->other);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    ts_programme_close(&f->d, f->people, &f->catalogue);
    free(f);
    return 0;
}

static void issue(fixture *f, const char *person, int64_t value, fow_voucher *v) {
    fow_error err;
    fow_error_clear(&err);
    fow_voucher_issue_in in = {.line_id = f->line, .person = person, .value_minor = value, .valid_from = "2026-11-01",
                               .valid_until = "2027-12-31", .min_attendance_percent = -1, .active = true};
    assert_fow_ok(fow_voucher_issue(f->d.db, f->people, &OFFICE.staff, &f->catalogue, &in, "office", NOW, v, &err),
                  &err);
}

static void assert_ledger_ok(fow_db *db) {
    fow_check_report report;
    fow_check_report_init(&report);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_vouchers_check(db, &report, &err), &err);
    for (size_t i = 0; i < report.n_results; i++)
        if (report.results[i].problems)
            fail_msg("%s: %s", report.results[i].name,
                     report.results[i].n_examples ? report.results[i].examples[0] : "");
    fow_check_report_free(&report);
}

static fow_lab_actor person_actor(const char *account, const char *person) {
    return (fow_lab_actor){.account = account, .role = FOW_ROLE_PERSON, .person_id = person};
}

static const fow_lab_actor STAFF = {.account = "stan", .role = FOW_ROLE_LAB_STAFF, .person_id = ""};
static const fow_lab_actor TEACHER = {.account = "tess", .role = FOW_ROLE_TEACHER, .person_id = ""};

/* Books (free, for schools) and returns the code of the result. */
static fow_code book(fixture *f, const fow_lab_actor *who, const char *resource, const char *start, int minutes,
                     fow_lab_booking *out, fow_lab_refusal *refusal, fow_error *err) {
    fow_lab_booking_in in = {.resource = resource, .start = start, .minutes = minutes, .category = "school",
                             .payment = "free"};
    return fow_lab_book(f->d.db, f->people, who, &in, NOW, out, NULL, refusal, err);
}

/* The availability of resource read at now, with labels in lang (NULL: none). */
static json_t *availability_at(fixture *f, const char *resource, const char *from, const char *to, int64_t now,
                               const char *lang) {
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_lab_availability_write(f->d.db, resource, from, to, now, lang, &w, &err), &err);
    json_error_t jerr;
    json_t *doc = json_loads(fow_jw_text(&w, NULL), 0, &jerr);
    fow_jw_free(&w);
    assert_non_null(doc);
    return doc;
}

static json_t *availability(fixture *f, const char *resource, const char *from, const char *to) {
    return availability_at(f, resource, from, to, NOW, NULL);
}

static char *ranges(json_t *day, const char *key) {
    static char buf[512];
    buf[0] = 0;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(day, key), i, r) {
        char item[40];
        snprintf(item, sizeof item, "%s%s-%s", i ? " " : "", json_string_value(json_array_get(r, 0)),
                 json_string_value(json_array_get(r, 1)));
        strncat(buf, item, sizeof buf - strlen(buf) - 1);
    }
    return buf;
}

static void test_availability_grid(void **state) {
    fixture *f = *state;
    fow_lab_booking b;
    fow_lab_refusal why;
    fow_error err;
    fow_error_clear(&err);
    fow_lab_actor p = person_actor("pat", f->person);
    assert_fow_ok(book(f, &p, "laser", "2027-03-01T10:00", 120, &b, &why, &err), &err);
    json_t *doc = availability(f, "laser", "2027-03-01", "2027-03-07");
    assert_string_equal(json_string_value(json_object_get(doc, "timezone")), "Europe/Bucharest");
    assert_int_equal(json_integer_value(json_object_get(doc, "slot_minutes")), 60);
    json_t *days = json_object_get(doc, "days");
    assert_int_equal(json_array_size(days), 7);
    json_t *mon = json_array_get(days, 0), *tue = json_array_get(days, 1), *sat = json_array_get(days, 5),
           *sun = json_array_get(days, 6);
    assert_string_equal(json_string_value(json_object_get(mon, "date")), "2027-03-01");
    assert_int_equal(json_integer_value(json_object_get(mon, "weekday")), 1);
    assert_true(json_is_null(json_object_get(mon, "closed")));
    assert_string_equal(ranges(mon, "open"), "09:00-18:00");
    assert_string_equal(ranges(mon, "free"), "09:00-10:00 12:00-18:00");
    json_t *busy = json_array_get(json_object_get(mon, "busy"), 0);
    assert_string_equal(json_string_value(json_object_get(busy, "kind")), "booked");
    assert_string_equal(json_string_value(json_object_get(busy, "start")), "10:00");
    assert_string_equal(ranges(tue, "free"), "12:00-18:00");
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(tue, "busy"), 0), "kind")),
                        "maintenance");
    assert_string_equal(ranges(sat, "free"), "10:00-14:00");
    assert_string_equal(json_string_value(json_object_get(json_object_get(sun, "closed"), "reason")), "outside");
    json_decref(doc);
    doc = availability(f, "laser", "2027-05-01", "2027-05-01");
    json_t *closed = json_object_get(json_array_get(json_object_get(doc, "days"), 0), "closed");
    assert_string_equal(json_string_value(json_object_get(closed, "reason")), "holiday");
    assert_string_equal(json_string_value(json_object_get(closed, "name")), "Labour Day");
    json_decref(doc);
    /* a year at once; more is refused, naming the field */
    doc = availability(f, "laser", "2027-01-01", "2027-12-31");
    assert_int_equal(json_array_size(json_object_get(doc, "days")), 365);
    json_decref(doc);
    fow_jw w;
    fow_jw_init(&w, 0);
    assert_int_equal(fow_lab_availability_write(f->d.db, "laser", "2027-01-01", "2028-03-01", NOW, NULL, &w, &err), FOW_EINPUT);
    assert_string_equal(err.field, "to");
    assert_int_equal(fow_lab_availability_write(f->d.db, "nope", "2027-01-01", "2027-01-02", NOW, NULL, &w, &err), FOW_ENOTFOUND);
    assert_int_equal(fow_lab_availability_lab_write(f->d.db, "design", "2027-01-01", "2027-03-31", NOW, NULL, &w, &err),
                     FOW_EINPUT);
    fow_jw_reset(&w);
    assert_fow_ok(fow_lab_availability_lab_write(f->d.db, "design", "2027-03-01", "2027-03-31", NOW, NULL, &w, &err), &err);
    json_t *lab = json_loads(fow_jw_text(&w, NULL), 0, NULL);
    assert_int_equal(json_array_size(json_object_get(lab, "resources")), 2);
    json_t *first = json_array_get(json_object_get(lab, "resources"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "resource")), "laser");
    assert_string_equal(ranges(json_array_get(json_object_get(first, "days"), 0), "free"), "09:00-10:00 12:00-18:00");
    json_t *studio = json_array_get(json_object_get(lab, "resources"), 1);
    /* slots of 2 hours from 09:00: the last ends at 17:00 */
    assert_string_equal(ranges(json_array_get(json_object_get(studio, "days"), 0), "free"), "09:00-17:00");
    json_decref(lab);
    fow_jw_free(&w);
}

static void expect_refusal(fow_code rc, const fow_lab_refusal *why, const char *code, int status) {
    assert_int_equal(rc, FOW_EINPUT);
    assert_string_equal(why->code, code);
    assert_int_equal(why->http_status, status);
}

static void test_refusals(void **state) {
    fixture *f = *state;
    fow_lab_booking b;
    fow_lab_refusal why;
    fow_error err;
    fow_error_clear(&err);
    fow_lab_actor p = person_actor("pat", f->person), q = person_actor("quinn", f->other);
    expect_refusal(book(f, &p, "laser", "2027-03-01T10:30", 60, &b, &why, &err), &why, "labs.misaligned", 422);
    expect_refusal(book(f, &p, "laser", "2027-03-01T10:00", 90, &b, &why, &err), &why, "labs.misaligned", 422);
    expect_refusal(book(f, &p, "laser", "2027-03-01T10:00", 300, &b, &why, &err), &why, "labs.too_long", 422);
    expect_refusal(book(f, &p, "laser", "2026-11-02T10:00", 60, &b, &why, &err), &why, "labs.in_past", 422);
    expect_refusal(book(f, &p, "laser", "2027-03-01T17:00", 120, &b, &why, &err), &why, "labs.outside_hours", 409);
    expect_refusal(book(f, &p, "laser", "2027-03-07T10:00", 60, &b, &why, &err), &why, "labs.outside_hours", 409);
    expect_refusal(book(f, &p, "laser", "2027-05-01T10:00", 60, &b, &why, &err), &why, "labs.closed", 409);
    assert_string_equal(why.reason, "holiday");
    expect_refusal(book(f, &p, "laser", "2027-03-02T11:00", 60, &b, &why, &err), &why, "labs.closed", 409);
    assert_string_equal(why.reason, "maintenance");
    assert_string_equal(why.name, "new lens");
    assert_fow_ok(book(f, &p, "laser", "2027-03-01T10:00", 120, &b, &why, &err), &err);
    assert_string_equal(b.status, "confirmed");
    assert_string_equal(b.start_local, "2027-03-01T10:00+02:00");
    assert_string_equal(b.person_id, f->person);
    assert_int_equal(b.price_minor, 0);
    expect_refusal(book(f, &q, "laser", "2027-03-01T11:00", 60, &b, &why, &err), &why, "labs.slot_taken", 409);
    /* summer time: the offset follows */
    assert_fow_ok(book(f, &q, "laser", "2027-04-01T10:00", 60, &b, &why, &err), &err);
    assert_string_equal(b.start_local, "2027-04-01T10:00+03:00");
    /* a group: teachers only, a space, at most its capacity */
    fow_lab_booking_in g = {.resource = "studio", .start = "2027-03-03T09:00", .minutes = 120, .category = "school",
                            .payment = "invoice", .group_name = "Class 9B", .group_size = 25};
    expect_refusal(fow_lab_book(f->d.db, f->people, &TEACHER, &g, NOW, &b, NULL, &why, &err), &why, "labs.capacity",
                   422);
    g.group_size = 18;
    assert_int_equal(fow_lab_book(f->d.db, f->people, &p, &g, NOW, &b, NULL, &why, &err), FOW_EINPUT);
    assert_string_equal(err.field, "role");
    assert_fow_ok(fow_lab_book(f->d.db, f->people, &TEACHER, &g, NOW, &b, NULL, &why, &err), &err);
    assert_string_equal(b.group_name, "Class 9B");
    assert_int_equal(b.group_size, 18);
    assert_string_equal(b.person_id, "");
    assert_int_equal(b.price_minor, 4000); /* 2 hours of 2000 */
    /* a paid booking is not free */
    fow_lab_booking_in paid = {.resource = "laser", .start = "2027-03-04T10:00", .minutes = 60, .category = "resident",
                               .payment = "free"};
    assert_int_equal(fow_lab_book(f->d.db, f->people, &p, &paid, NOW, &b, NULL, &why, &err), FOW_EINPUT);
    assert_string_equal(err.field, "payment");
    /* the idempotency key returns the first booking */
    fow_lab_booking_in keyed = {.resource = "laser", .start = "2027-03-05T10:00", .minutes = 60, .category = "school",
                                .payment = "free", .key = "k-1"};
    fow_lab_booking first, again;
    bool replayed = true;
    assert_fow_ok(fow_lab_book(f->d.db, f->people, &p, &keyed, NOW, &first, &replayed, &why, &err), &err);
    assert_false(replayed);
    assert_fow_ok(fow_lab_book(f->d.db, f->people, &p, &keyed, NOW, &again, &replayed, &why, &err), &err);
    assert_true(replayed);
    assert_int_equal(first.id, again.id);
}

static void test_training_missing(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_lab_requirement req = {.kind = FOW_LAB_REQUIRES_MODULE};
    snprintf(req.ref, sizeof req.ref, "%s", f->catalogue.modules[0].code);
    assert_fow_ok(fow_lab_requirements_set(f->d.db, "laser", &req, 1, &err), &err);
    fow_lab_booking b;
    fow_lab_refusal why;
    fow_lab_actor p = person_actor("pat", f->person);
    expect_refusal(book(f, &p, "laser", "2027-03-01T10:00", 60, &b, &why, &err), &why, "labs.training_missing", 409);
    assert_int_equal(why.n_missing, 1);
    assert_string_equal(why.missing[0].kind, "module");
    assert_string_equal(why.missing[0].ref, f->catalogue.modules[0].code);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM lab_bookings"), 0);
    /* the refusal as a message object */
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_lab_refusal_write(&w, &why, err.message, NULL);
    json_t *m = json_loads(fow_jw_text(&w, NULL), 0, NULL);
    assert_string_equal(json_string_value(json_object_get(m, "code")), "labs.training_missing");
    json_t *missing = json_object_get(json_object_get(m, "params"), "missing");
    assert_int_equal(json_array_size(missing), 1);
    json_decref(m);
    fow_jw_free(&w);
}

static void test_voucher_payment(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_voucher v, other;
    issue(f, f->person, 15000, &v);
    issue(f, f->other, 15000, &other);
    fow_lab_actor p = person_actor("pat", f->person);
    fow_lab_booking b;
    fow_lab_refusal why;
    fow_lab_booking_in in = {.resource = "laser", .start = "2027-03-01T10:00", .minutes = 120, .category = "resident",
                             .payment = "voucher", .voucher_code = v.code};
    assert_fow_ok(fow_lab_book(f->d.db, f->people, &p, &in, NOW, &b, NULL, &why, &err), &err);
    assert_int_equal(b.price_minor, 10000);
    assert_string_equal(b.payment, "voucher");
    /* staff who neither booked nor use it do not see the voucher's code (a bearer secret) or the account */
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_lab_booking_write_staff(&w, &b);
    assert_null(strstr(fow_jw_text(&w, NULL), v.code));
    assert_null(strstr(fow_jw_text(&w, NULL), "\"booked_by\""));
    fow_jw_reset(&w);
    fow_lab_booking_write(&w, &b);
    assert_non_null(strstr(fow_jw_text(&w, NULL), v.code));
    fow_jw_free(&w);
    assert_true(fow_lab_booking_own(&p, &b));
    assert_false(fow_lab_booking_own(&STAFF, &b));
    assert_true(fow_lab_booking_visible(&STAFF, &b));
    assert_fow_ok(fow_voucher_get(f->d.db, v.id, &v, &err), &err);
    assert_int_equal(v.balance_minor, 5000);
    assert_int_equal(v.redeemed_minor, 10000);
    assert_ledger_ok(f->d.db);
    /* the balance is short: refused with balance and price, and nothing is left of the booking */
    in.start = "2027-03-03T10:00";
    expect_refusal(fow_lab_book(f->d.db, f->people, &p, &in, NOW, &b, NULL, &why, &err), &why,
                   "labs.voucher_insufficient", 409);
    assert_int_equal(why.balance_minor, 5000);
    assert_int_equal(why.price_minor, 10000);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM lab_bookings"), 1);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM voucher_lab_charges"), 1);
    /* someone else's voucher, and a voucher of another purpose */
    in.minutes = 60;
    in.voucher_code = other.code;
    expect_refusal(fow_lab_book(f->d.db, f->people, &p, &in, NOW, &b, NULL, &why, &err), &why, "labs.voucher_invalid",
                   422);
    int64_t learning;
    assert_fow_ok(fow_budget_line_add(f->d.db, f->fund, "learning_module", 2027, 100000, NULL, "office", NOW, &learning,
                                      &err),
                  &err);
    fow_voucher_issue_in li = {.line_id = learning, .person = f->person, .value_minor = 50000,
                               .valid_from = "2026-11-01", .valid_until = "2027-12-31", .min_attendance_percent = -1,
                               .active = true};
    fow_voucher lv;
    assert_fow_ok(fow_voucher_issue(f->d.db, f->people, &OFFICE.staff, &f->catalogue, &li, "office", NOW, &lv, &err),
                  &err);
    in.voucher_code = lv.code;
    expect_refusal(fow_lab_book(f->d.db, f->people, &p, &in, NOW, &b, NULL, &why, &err), &why, "labs.voucher_invalid",
                   422);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM lab_bookings"), 1);
    assert_ledger_ok(f->d.db);
}

static void test_cancel_and_fee(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_voucher v;
    issue(f, f->person, 30000, &v);
    fow_lab_actor p = person_actor("pat", f->person), q = person_actor("quinn", f->other);
    fow_lab_booking early, late, out;
    fow_lab_refusal why;
    fow_lab_booking_in in = {.resource = "laser", .start = "2027-03-01T10:00", .minutes = 120, .category = "resident",
                             .payment = "voucher", .voucher_code = v.code};
    assert_fow_ok(fow_lab_book(f->d.db, f->people, &p, &in, NOW, &early, NULL, &why, &err), &err);
    in.start = "2027-03-03T10:00";
    assert_fow_ok(fow_lab_book(f->d.db, f->people, &p, &in, NOW, &late, NULL, &why, &err), &err);
    assert_fow_ok(fow_voucher_get(f->d.db, v.id, &v, &err), &err);
    assert_int_equal(v.balance_minor, 10000);
    /* another person cannot see or cancel it */
    assert_int_equal(fow_lab_booking_cancel(f->d.db, &q, early.id, NULL, NOW, &out, &err), FOW_ENOTFOUND);
    /* early: free, all refunded */
    assert_fow_ok(fow_lab_booking_cancel(f->d.db, &p, early.id, "plans changed", NOW, &out, &err), &err);
    assert_string_equal(out.status, "cancelled");
    assert_int_equal(out.fee_minor, 0);
    assert_int_equal(out.sequence, early.sequence + 1);
    assert_fow_ok(fow_voucher_get(f->d.db, v.id, &v, &err), &err);
    assert_int_equal(v.balance_minor, 20000);
    /* late (two hours before): half the price is kept */
    assert_fow_ok(fow_lab_booking_cancel(f->d.db, &p, late.id, NULL, late.starts_at - 7200, &out, &err), &err);
    assert_int_equal(out.fee_minor, 5000);
    assert_fow_ok(fow_voucher_get(f->d.db, v.id, &v, &err), &err);
    assert_int_equal(v.balance_minor, 25000);
    assert_int_equal(ts_int(f->d.db, "SELECT amount_minor FROM voucher_lab_charges WHERE status = 'charged'"), 5000);
    assert_ledger_ok(f->d.db);
    /* cancelled twice: refused */
    assert_int_equal(fow_lab_booking_cancel(f->d.db, &p, late.id, NULL, NOW, &out, &err), FOW_EINPUT);
    /* the freed slot can be booked again */
    assert_fow_ok(book(f, &q, "laser", "2027-03-01T10:00", 60, &out, &why, &err), &err);
}

static void test_waiting_list(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_lab_actor p = person_actor("pat", f->person), q = person_actor("quinn", f->other);
    fow_lab_actor r = {.account = "lara", .role = FOW_ROLE_LAB_MANAGER, .person_id = ""};
    fow_lab_booking b, taken;
    fow_lab_refusal why;
    fow_lab_wait wait;
    /* a free slot is booked, not waited for */
    assert_int_equal(fow_lab_wait_add(f->d.db, &q, "laser", "2027-03-01T10:00", 60, "school", NOW, &wait, &why, &err),
                     FOW_EINPUT);
    assert_fow_ok(book(f, &p, "laser", "2027-03-01T10:00", 60, &taken, &why, &err), &err);
    assert_fow_ok(fow_lab_wait_add(f->d.db, &q, "laser", "2027-03-01T10:00", 60, "school", NOW, &wait, &why, &err),
                  &err);
    assert_string_equal(wait.status, "waiting");
    assert_int_equal(wait.position, 1);
    assert_fow_ok(fow_lab_booking_cancel(f->d.db, &p, taken.id, NULL, NOW + 60, &b, &err), &err);
    fow_lab_wait *mine = NULL;
    size_t n = 0;
    assert_fow_ok(fow_lab_waits_mine(f->d.db, &q, NOW + 120, &mine, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(mine[0].status, "offered");
    assert_int_equal(mine[0].offer_expires_at, NOW + 60 + 12 * 3600);
    free(mine);
    /* while offered, nobody else books it; the availability shows it busy */
    fow_lab_booking_in in = {.resource = "laser", .start = "2027-03-01T10:00", .minutes = 60, .category = "school",
                             .payment = "free", .person = f->person};
    expect_refusal(fow_lab_book(f->d.db, f->people, &r, &in, NOW + 180, &b, NULL, &why, &err), &why,
                   "labs.slot_taken", 409);
    fow_lab_booking_in pay = {.payment = "free"};
    assert_fow_ok(fow_lab_wait_accept(f->d.db, f->people, &q, wait.id, &pay, NOW + 240, &b, &why, &err), &err);
    assert_string_equal(b.person_id, f->other);
    assert_string_equal(b.start_local, "2027-03-01T10:00+02:00");
    assert_int_equal(fow_lab_wait_accept(f->d.db, f->people, &q, wait.id, &pay, NOW + 300, &b, &why, &err), FOW_EINPUT);
    /* an offer not taken in time passes to the next */
    assert_fow_ok(fow_lab_booking_cancel(f->d.db, &q, b.id, NULL, NOW + 400, &b, &err), &err);
    assert_fow_ok(book(f, &p, "laser", "2027-03-01T10:00", 60, &taken, &why, &err), &err);
    fow_lab_actor s = person_actor("sam", "");
    fow_lab_wait w1, w2;
    assert_fow_ok(fow_lab_wait_add(f->d.db, &q, "laser", "2027-03-01T10:00", 60, "school", NOW + 500, &w1, &why, &err),
                  &err);
    assert_fow_ok(fow_lab_wait_add(f->d.db, &s, "laser", "2027-03-01T10:00", 60, "school", NOW + 600, &w2, &why, &err),
                  &err);
    assert_int_equal(w2.position, 2);
    assert_fow_ok(fow_lab_booking_cancel(f->d.db, &p, taken.id, NULL, NOW + 700, &b, &err), &err);
    int64_t later = NOW + 700 + 13 * 3600;
    assert_int_equal(fow_lab_wait_accept(f->d.db, f->people, &q, w1.id, &pay, later, &b, &why, &err), FOW_EINPUT);
    assert_string_equal(err.field, "offer");
    assert_fow_ok(fow_lab_waits_mine(f->d.db, &s, later, &mine, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(mine[0].status, "offered");
    free(mine);
    assert_fow_ok(fow_lab_wait_withdraw(f->d.db, &s, w2.id, later + 60, &err), &err);
}

static void test_change_and_attendance(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_lab_actor p = person_actor("pat", f->person);
    fow_lab_booking b, out;
    fow_lab_refusal why;
    assert_fow_ok(book(f, &p, "laser", "2027-03-01T10:00", 60, &b, &why, &err), &err);
    assert_int_equal(b.sequence, 0);
    assert_fow_ok(fow_lab_booking_change(f->d.db, &p, b.id, "2027-03-01T14:00", 120, NOW, &out, &why, &err), &err);
    assert_string_equal(out.start_local, "2027-03-01T14:00+02:00");
    assert_int_equal(out.ends_at - out.starts_at, 7200);
    assert_int_equal(out.sequence, 1);
    assert_string_equal(out.uid, b.uid);
    fow_lab_booking other;
    assert_fow_ok(book(f, &p, "laser", "2027-03-01T10:00", 60, &other, &why, &err), &err);
    expect_refusal(fow_lab_booking_change(f->d.db, &p, other.id, "2027-03-01T15:00", 0, NOW, &out, &why, &err), &why,
                   "labs.slot_taken", 409);
    /* staff only */
    assert_int_equal(fow_lab_booking_attend(f->d.db, &p, b.id, FOW_LAB_CHECK_IN, b.starts_at, &out, &err), FOW_EINPUT);
    assert_string_equal(err.field, "role");
    fow_lab_booking_get(f->d.db, b.id, &b, &err);
    assert_int_equal(fow_lab_booking_attend(f->d.db, &STAFF, b.id, FOW_LAB_CHECK_IN, b.starts_at - 3600, &out, &err),
                     FOW_EINPUT);
    assert_fow_ok(fow_lab_booking_attend(f->d.db, &STAFF, b.id, FOW_LAB_CHECK_IN, b.starts_at - 600, &out, &err), &err);
    assert_string_equal(out.status, "checked_in");
    assert_int_equal(out.checked_in_at, b.starts_at - 600);
    assert_fow_ok(fow_lab_booking_attend(f->d.db, &STAFF, b.id, FOW_LAB_CHECK_OUT, b.starts_at + 3000, &out, &err),
                  &err);
    assert_string_equal(out.status, "completed");
    assert_int_equal(out.sequence, 3);
    assert_int_equal(fow_lab_booking_attend(f->d.db, &STAFF, other.id, FOW_LAB_NO_SHOW, other.starts_at - 60, &out, &err),
                     FOW_EINPUT);
    assert_fow_ok(fow_lab_booking_attend(f->d.db, &STAFF, other.id, FOW_LAB_NO_SHOW, other.starts_at + 900, &out, &err),
                  &err);
    assert_string_equal(out.status, "no_show");
    fow_lab_booking *day = NULL;
    size_t n = 0;
    assert_fow_ok(fow_lab_bookings_day(f->d.db, "design", "2027-03-01", &day, &n, &err), &err);
    assert_int_equal(n, 2);
    assert_int_equal(day[0].id, other.id); /* by start */
    free(day);
    assert_fow_ok(fow_lab_bookings_mine(f->d.db, &p, 100, &day, &n, &err), &err);
    assert_int_equal(n, 2);
    free(day);
}

static void test_series(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_lab_actor p = person_actor("pat", f->person);
    fow_lab_booking b;
    fow_lab_refusal why;
    /* someone has the studio on 2027-03-10 */
    fow_lab_booking_in in = {.resource = "studio", .start = "2027-03-10T09:00", .minutes = 120,
                             .category = "resident", .payment = "invoice"};
    assert_fow_ok(fow_lab_book(f->d.db, f->people, &p, &in, NOW, &b, NULL, &why, &err), &err);
    /* Wednesdays 09:00-11:00 from 2027-03-01 to 2027-05-31: 13 occurrences */
    fow_lab_series_in s = {.resource = "studio", .weekday = 3, .start_time = "09:00", .minutes = 120,
                           .first_day = "2027-03-01", .last_day = "2027-05-31", .group_name = "Class 9B",
                           .group_size = 18};
    fow_lab_occurrence *o = NULL;
    size_t n = 0;
    assert_int_equal(fow_lab_series_preview(f->d.db, &p, &s, NOW, &o, &n, &err), FOW_EINPUT);
    assert_string_equal(err.field, "role");
    assert_fow_ok(fow_lab_series_preview(f->d.db, &TEACHER, &s, NOW, &o, &n, &err), &err);
    assert_int_equal(n, 13);
    assert_string_equal(o[0].date, "2027-03-03");
    assert_string_equal(o[1].conflict.code, "labs.slot_taken");
    assert_string_equal(o[2].conflict.code, "");
    free(o);
    int64_t series = 0;
    assert_int_equal(fow_lab_series_confirm(f->d.db, &TEACHER, &s, NOW, &series, &o, &n, &why, &err), FOW_EINPUT);
    assert_string_equal(why.code, "labs.series_conflicts");
    assert_int_equal(why.conflicts, 1);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM lab_bookings"), 1);
    s.skip_conflicts = true;
    assert_fow_ok(fow_lab_series_confirm(f->d.db, &TEACHER, &s, NOW, &series, &o, &n, &why, &err), &err);
    assert_true(series > 0);
    assert_int_equal(o[1].booking_id, 0);
    assert_true(o[2].booking_id > 0);
    free(o);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM lab_bookings WHERE series_id = %lld", (long long)series),
                     12);
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_lab_occurrence one = {.date = "2027-03-03"};
    fow_lab_series_write(&w, "studio", series, &one, 1, NULL);
    assert_non_null(strstr(fow_jw_text(&w, NULL), "\"free\":1"));
    fow_jw_free(&w);
}


/* A person named by a manager who has no record is "unknown person" (field
 * person, not found), not someone who needs training: on a machine with
 * requirements and on one without. */
static void test_unknown_person(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_lab_actor r = {.account = "lara", .role = FOW_ROLE_LAB_MANAGER, .person_id = ""};
    fow_lab_requirement req = {.kind = FOW_LAB_REQUIRES_MODULE};
    snprintf(req.ref, sizeof req.ref, "%s", f->catalogue.modules[0].code);
    assert_fow_ok(fow_lab_requirements_set(f->d.db, "laser", &req, 1, &err), &err);
    const char *unknown[] = {"pzzzzzzzzzzzzzzzzzzzzzzzzzz", "nobody"};
    const char *resources[] = {"laser", "studio"};
    for (size_t i = 0; i < 2; i++)
        for (size_t k = 0; k < 2; k++) {
            fow_lab_booking_in in = {.resource = resources[k], .start = "2027-03-01T10:00",
                                     .minutes = k ? 120 : 60, .category = "school", .payment = "invoice",
                                     .person = unknown[i]};
            fow_lab_booking b;
            fow_lab_refusal why;
            assert_int_equal(fow_lab_book(f->d.db, f->people, &r, &in, NOW, &b, NULL, &why, &err), FOW_ENOTFOUND);
            assert_string_equal(err.field, "person");
            assert_non_null(strstr(err.message, "unknown person"));
            assert_null(strstr(err.message, "training"));
            assert_string_equal(why.code, "");
        }
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM lab_bookings"), 0);
    /* a known person on the machine without the training is still refused for it */
    fow_lab_booking_in in = {.resource = "laser", .start = "2027-03-01T10:00", .minutes = 60, .category = "school",
                             .payment = "free", .person = f->person};
    fow_lab_booking b;
    fow_lab_refusal why;
    expect_refusal(fow_lab_book(f->d.db, f->people, &r, &in, NOW, &b, NULL, &why, &err), &why,
                   "labs.training_missing", 409);
}

static const char *wait_status(fixture *f, int64_t id) {
    static char buf[16];
    return ts_text(f->d.db, buf, sizeof buf, "SELECT status FROM lab_waitlist WHERE id = %lld", (long long)id);
}

/* An offer past its time neither keeps its slot busy nor lets anyone skip
 * the queue, though no waiting-list call runs: reading the availability
 * and booking pass it on (time-controlled, as test_waiting_list). */
static void test_offer_expiry_lazy(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_lab_actor p = person_actor("pat", f->person), q = person_actor("quinn", f->other), s = person_actor("sam", "");
    fow_lab_actor r = {.account = "lara", .role = FOW_ROLE_LAB_MANAGER, .person_id = ""};
    fow_lab_booking taken, b;
    fow_lab_refusal why;
    fow_lab_wait w1, w2;
    assert_fow_ok(book(f, &p, "laser", "2027-03-04T10:00", 60, &taken, &why, &err), &err);
    assert_fow_ok(fow_lab_wait_add(f->d.db, &q, "laser", "2027-03-04T10:00", 60, "school", NOW, &w1, &why, &err), &err);
    assert_fow_ok(fow_lab_wait_add(f->d.db, &s, "laser", "2027-03-04T10:00", 60, "school", NOW + 10, &w2, &why, &err),
                  &err);
    assert_fow_ok(fow_lab_booking_cancel(f->d.db, &p, taken.id, NULL, NOW + 60, &b, &err), &err);
    assert_string_equal(wait_status(f, w1.id), "offered"); /* quinn's, for 12 hours */
    /* 13 hours on, only the availability is read: quinn's offer ends and sam is offered the slot */
    int64_t later = NOW + 60 + 13 * 3600;
    json_t *doc = availability_at(f, "laser", "2027-03-04", "2027-03-04", later, NULL);
    json_t *day = json_array_get(json_object_get(doc, "days"), 0);
    assert_string_equal(ranges(day, "free"), "09:00-10:00 11:00-18:00");
    json_decref(doc);
    assert_string_equal(wait_status(f, w1.id), "expired");
    assert_string_equal(wait_status(f, w2.id), "offered");
    assert_int_equal(ts_int(f->d.db, "SELECT offer_expires_at FROM lab_waitlist WHERE id = %lld", (long long)w2.id),
                     later + 12 * 3600);
    /* sam's offer: a manager booking it for someone else is refused while it lasts */
    fow_lab_booking_in in = {.resource = "laser", .start = "2027-03-04T10:00", .minutes = 60, .category = "school",
                             .payment = "free", .person = f->person};
    expect_refusal(fow_lab_book(f->d.db, f->people, &r, &in, later + 60, &b, NULL, &why, &err), &why,
                   "labs.slot_taken", 409);
    /* when sam's ends too, the booking itself expires it and takes the slot, and the availability shows it booked */
    int64_t last = later + 13 * 3600;
    assert_fow_ok(fow_lab_book(f->d.db, f->people, &r, &in, last, &b, NULL, &why, &err), &err);
    assert_string_equal(wait_status(f, w2.id), "expired");
    doc = availability_at(f, "laser", "2027-03-04", "2027-03-04", last, NULL);
    day = json_array_get(json_object_get(doc, "days"), 0);
    assert_string_equal(ranges(day, "free"), "09:00-10:00 11:00-18:00");
    json_decref(doc);
    assert_fow_ok(fow_lab_booking_cancel(f->d.db, &r, b.id, NULL, last + 60, &b, &err), &err);
    /* a lone offer past its time: the availability shows the slot free at once */
    assert_fow_ok(book(f, &p, "laser", "2027-03-05T10:00", 60, &taken, &why, &err), &err);
    assert_fow_ok(fow_lab_wait_add(f->d.db, &q, "laser", "2027-03-05T10:00", 60, "school", NOW, &w1, &why, &err), &err);
    assert_fow_ok(fow_lab_booking_cancel(f->d.db, &p, taken.id, NULL, NOW + 60, &b, &err), &err);
    doc = availability_at(f, "laser", "2027-03-05", "2027-03-05", NOW + 120, NULL);
    assert_string_equal(ranges(json_array_get(json_object_get(doc, "days"), 0), "free"), "09:00-10:00 11:00-18:00");
    json_decref(doc);
    doc = availability_at(f, "laser", "2027-03-05", "2027-03-05", NOW + 60 + 13 * 3600, NULL);
    assert_string_equal(ranges(json_array_get(json_object_get(doc, "days"), 0), "free"), "09:00-18:00");
    json_decref(doc);
    assert_string_equal(wait_status(f, w1.id), "expired");
}

/* Holiday names and training titles in the reader's language: the
 * availability's closed day, a closed refusal, a training_missing refusal. */
static void test_texts_in_language(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    json_t *doc = availability_at(f, "laser", "2027-05-01", "2027-05-01", NOW, "ro");
    json_t *closed = json_object_get(json_array_get(json_object_get(doc, "days"), 0), "closed");
    assert_string_equal(json_string_value(json_object_get(closed, "name")), "Labour Day");
    assert_string_equal(json_string_value(json_object_get(closed, "name_local")), "Ziua Muncii");
    json_decref(doc);
    doc = availability_at(f, "laser", "2027-05-01", "2027-05-01", NOW, NULL);
    closed = json_object_get(json_array_get(json_object_get(doc, "days"), 0), "closed");
    assert_null(json_object_get(closed, "name_local")); /* not asked: not written */
    json_decref(doc);
    fow_lab_actor p = person_actor("pat", f->person);
    fow_lab_booking b;
    fow_lab_refusal why;
    /* 2027-05-01 is a Saturday the lab opens 10:00-14:00: closed for the holiday */
    expect_refusal(book(f, &p, "laser", "2027-05-01T10:00", 60, &b, &why, &err), &why, "labs.closed", 409);
    const struct {
        const char *lang, *name_local;
    } cases[] = {{"ro", "Ziua Muncii"}, {"en", "Labour Day"}, {"de", NULL}};
    for (size_t i = 0; i < 3; i++) {
        fow_jw w;
        fow_jw_init(&w, 0);
        fow_lab_refusal_write(&w, &why, err.message, cases[i].lang);
        json_t *m = json_loads(fow_jw_text(&w, NULL), 0, NULL);
        json_t *params = json_object_get(m, "params");
        assert_string_equal(json_string_value(json_object_get(params, "name")), "Labour Day");
        json_t *local = json_object_get(params, "name_local");
        assert_non_null(local);
        if (cases[i].name_local) assert_string_equal(json_string_value(local), cases[i].name_local);
        else assert_true(json_is_null(local));
        json_decref(m);
        fow_jw_free(&w);
    }
    /* a training's title */
    fow_lab_requirement req = {.kind = FOW_LAB_REQUIRES_MODULE};
    snprintf(req.ref, sizeof req.ref, "%s", f->catalogue.modules[0].code);
    assert_fow_ok(fow_lab_requirements_set(f->d.db, "laser", &req, 1, &err), &err);
    expect_refusal(book(f, &p, "laser", "2027-03-01T10:00", 60, &b, &why, &err), &why, "labs.training_missing", 409);
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_lab_refusal_write(&w, &why, err.message, "ro");
    json_t *m = json_loads(fow_jw_text(&w, NULL), 0, NULL);
    json_t *item = json_array_get(json_object_get(json_object_get(m, "params"), "missing"), 0);
    assert_string_equal(json_string_value(json_object_get(item, "title")), f->catalogue.modules[0].title_en);
    assert_string_equal(json_string_value(json_object_get(item, "title_local")), f->catalogue.modules[0].title_ro);
    assert_string_not_equal(f->catalogue.modules[0].title_ro, f->catalogue.modules[0].title_en);
    json_decref(m);
    fow_jw_free(&w);
}

/* A series cancelled as a whole: its upcoming bookings under the policy
 * (a late fee within the deadline), the past ones kept, the freed slots
 * offered, only by its maker or staff, and again with nothing left. */
static void test_series_cancel(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_lab_refusal why;
    fow_lab_series_in in = {.resource = "studio", .weekday = 3, .start_time = "09:00", .minutes = 120,
                            .first_day = "2027-03-01", .last_day = "2027-05-31", .category = "school",
                            .group_name = "Class 9B", .group_size = 18, .invoice_ref = "SCH-1"};
    fow_lab_occurrence *o = NULL;
    size_t n = 0;
    int64_t series = 0;
    assert_fow_ok(fow_lab_series_confirm(f->d.db, &TEACHER, &in, NOW, &series, &o, &n, &why, &err), &err);
    free(o);
    assert_int_equal(n, 13);
    /* quinn waits for the studio on 2027-04-07 */
    fow_lab_actor q = person_actor("quinn", f->other), p = person_actor("pat", f->person);
    fow_lab_wait wait;
    assert_fow_ok(fow_lab_wait_add(f->d.db, &q, "studio", "2027-04-07T09:00", 120, "school", NOW, &wait, &why, &err),
                  &err);
    /* the teacher lists it; a person has none; staff see it too */
    fow_lab_series *list = NULL;
    assert_fow_ok(fow_lab_series_list(f->d.db, &TEACHER, NOW, &list, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].upcoming, 13);
    assert_string_equal(list[0].group_name, "Class 9B");
    assert_string_equal(list[0].start_time, "09:00");
    free(list);
    assert_fow_ok(fow_lab_series_list(f->d.db, &p, NOW, &list, &n, &err), &err);
    assert_int_equal(n, 0);
    free(list);
    assert_fow_ok(fow_lab_series_list(f->d.db, &STAFF, NOW, &list, &n, &err), &err);
    assert_int_equal(n, 1);
    free(list);
    /* cancelled on 2027-03-30 at 12:00: 03-03 .. 03-24 have taken place, 03-31 is within the 24-hour deadline */
    fow_lab_local at = {2027, 3, 30, 12, 0};
    int64_t now = 0;
    assert_fow_ok(fow_lab_local_to_utc(&at, "now", &now, &err), &err);
    fow_lab_series out;
    fow_lab_booking *cancelled = NULL;
    assert_int_equal(fow_lab_series_cancel(f->d.db, &p, series, NULL, now, &out, &cancelled, &n, &err), FOW_ENOTFOUND);
    assert_string_equal(err.field, "series");
    assert_int_equal(fow_lab_series_cancel(f->d.db, &TEACHER, series + 99, NULL, now, &out, &cancelled, &n, &err),
                     FOW_ENOTFOUND);
    assert_fow_ok(fow_lab_series_cancel(f->d.db, &TEACHER, series, "the class moved", now, &out, &cancelled, &n, &err),
                  &err);
    assert_int_equal(n, 9);
    assert_string_equal(out.status, "cancelled");
    assert_int_equal(out.upcoming, 0);
    assert_int_equal(out.held, 4);
    assert_int_equal(out.cancelled, 9);
    assert_string_equal(cancelled[0].start_local, "2027-03-31T09:00+03:00");
    assert_int_equal(cancelled[0].price_minor, 4000);
    assert_int_equal(cancelled[0].fee_minor, 2000); /* late: 50 % */
    assert_int_equal(cancelled[1].fee_minor, 0);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(cancelled[i].status, "cancelled");
        assert_string_equal(cancelled[i].changed_by, "tess");
        assert_string_equal(cancelled[i].cancel_reason, "the class moved");
        assert_int_equal(cancelled[i].sequence, 1);
    }
    free(cancelled);
    /* the past ones are untouched */
    assert_int_equal(ts_int(f->d.db,
                            "SELECT count(*) FROM lab_bookings WHERE series_id = %lld AND status = 'confirmed' AND "
                            "sequence = 0 AND starts_at < %lld",
                            (long long)series, (long long)now),
                     4);
    assert_string_equal(wait_status(f, wait.id), "offered");
    /* again: nothing left to cancel, the same answer */
    assert_fow_ok(fow_lab_series_cancel(f->d.db, &STAFF, series, NULL, now + 60, &out, &cancelled, &n, &err), &err);
    assert_int_equal(n, 0);
    assert_string_equal(out.status, "cancelled");
    assert_int_equal(out.cancelled, 9);
    free(cancelled);
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_lab_series_cancel_write(&w, &out, NULL, 0);
    json_t *doc = json_loads(fow_jw_text(&w, NULL), 0, NULL);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(doc, "series"), "bookings"),
                                                        "held")),
                     4);
    assert_int_equal(json_integer_value(json_object_get(doc, "count")), 0);
    json_decref(doc);
    fow_jw_free(&w);
}

/* ---- concurrency: processes on one database file ---- */

#define RACERS 100
#define PROCESSES 10

static int race_book(const char *path, int first, int count, const char *voucher, const char *person,
                     bool same_slot) {
    fow_db *db = NULL;
    fow_error err;
    if (fow_db_open(&db, path, false, &err)) return -1;
    int ok = 0;
    for (int i = first; i < first + count; i++) {
        char account[32], start[32];
        snprintf(account, sizeof account, "racer-%d", i);
        /* the same slot, or a slot of its own: days 1..26 of March 2027, 09:00..12:00 */
        if (same_slot) snprintf(start, sizeof start, "2027-03-01T10:00");
        else snprintf(start, sizeof start, "2027-03-%02dT%02d:00", 1 + i % 26, 9 + i / 26);
        fow_lab_actor who = {.account = account, .role = FOW_ROLE_PERSON, .person_id = person};
        fow_lab_booking_in in = {.resource = "laser", .start = start, .minutes = 60,
                                 .category = voucher ? "resident" : "school", .payment = voucher ? "voucher" : "free",
                                 .voucher_code = voucher};
        fow_lab_booking b;
        fow_lab_refusal why;
        if (fow_lab_book(db, NULL, &who, &in, NOW, &b, NULL, &why, &err) == FOW_OK) ok++;
    }
    fow_db_close(db);
    return ok;
}

static int race(fixture *f, const char *voucher, bool same_slot) {
    pid_t children[PROCESSES];
    int per = RACERS / PROCESSES;
    for (int p = 0; p < PROCESSES; p++) {
        children[p] = fork();
        assert_true(children[p] >= 0);
        if (children[p] == 0) {
            int ok = race_book(f->d.path, p * per, per, voucher, f->person, same_slot);
            _exit(ok < 0 ? 255 : ok);
        }
    }
    int successes = 0;
    for (int p = 0; p < PROCESSES; p++) {
        int status;
        assert_int_equal(waitpid(children[p], &status, 0), children[p]);
        assert_true(WIFEXITED(status));
        assert_int_not_equal(WEXITSTATUS(status), 255);
        successes += WEXITSTATUS(status);
    }
    return successes;
}

static void test_race_one_slot(void **state) {
    fixture *f = *state;
    assert_int_equal(race(f, NULL, true), 1);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM lab_bookings WHERE status <> 'cancelled'"), 1);
}

static void test_race_one_voucher(void **state) {
    fixture *f = *state;
    fow_voucher v;
    issue(f, f->person, 5000, &v); /* worth one hour of the laser */
    /* 100 bookings of different slots (days of March 2027 at 10:00, 11:00 ...) each paid by the voucher */
    assert_int_equal(race(f, v.code, false), 1);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_voucher_get(f->d.db, v.id, &v, &err), &err);
    assert_int_equal(v.balance_minor, 0);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM voucher_lab_charges"), 1);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM lab_bookings"), 1);
    assert_ledger_ok(f->d.db);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_availability_grid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_training_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_voucher_payment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_and_fee, setup, teardown),
        cmocka_unit_test_setup_teardown(test_waiting_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_change_and_attendance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_series, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_person, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offer_expiry_lazy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_texts_in_language, setup, teardown),
        cmocka_unit_test_setup_teardown(test_series_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_race_one_slot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_race_one_voucher, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
