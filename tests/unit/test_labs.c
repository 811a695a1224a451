/* test_labs.c — the labs catalogue (src/labs/fow_labs.h) on the demo: the
 * labs file loaded (three labs, their resources, hours, requirements,
 * prices) and a bad one leaving the database as it was; labs, resources,
 * hours, closures, holidays and prices written and refused with errors
 * naming the field, nothing half-written; what unlocks a machine from a
 * person's credentials (a module, a skill), a revoked or expired
 * credential removing the right at once; an in-lab induction recorded as a
 * completion that issues the credential; the JSON documents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/fow_accounts.h"
#include "credentials/fow_credentials.h"
#include "labs/fow_labs.h"
#include "taxonomy/fow_import.h"
#include "test_support.h"
#include "training/fow_training.h"

#define NOW 1796000000LL /* 2026-11-30 */

static const fow_people_staff STAFF = {.name = "test", .organisation = "org", .all_organisations = true};

typedef struct fixture {
    ts_db d;
    fow_people *people;
    fow_training_catalogue catalogue;
    char key_path[TS_PATH_MAX];
    char person[FOW_PERSON_ID_CHARS + 1];
} fixture;

static void load_demo_labs(fixture *f)
{
    fow_error err;
    fow_error_clear(&err);
    char path[TS_PATH_MAX];
    fow_import_report r;
    ts_join(path, sizeof path, ts_demo_dir(), "modules_creic.csv");
    fow_import_options opt = {.source_name = "CREIC labs demo modules"};
    assert_fow_ok(fow_import_modules(f->d.db, path, &opt, &r, &err), &err);
    ts_join(path, sizeof path, ts_demo_dir(), "labs.json");
    size_t labs = 0, resources = 0;
    assert_fow_ok(fow_labs_import(f->d.db, path, NOW, &labs, &resources, &err), &err);
    assert_int_equal(labs, 3);
    assert_int_equal(resources, 14);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    *state = f;
    ts_programme_open(&f->d, f->key_path, sizeof f->key_path, &f->people, &f->catalogue);
    load_demo_labs(f);
    fow_error err;
    fow_error_clear(&err);
    fow_person_input in = {.organisation = "org"};
    assert_fow_ok(fow_people_add(f->people, &STAFF, NULL, &in, NOW, f->person, &err), &err);
    assert_fow_ok(fow_people_consent_give(f->people, &STAFF, f->person, FOW_PURPOSE_TRAINING, "v1", NOW, &err), &err);
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ts_programme_close(&f->d, f->people, &f->catalogue);
    free(f);
    return 0;
}

static void test_demo_loaded(void **state)
{
    fixture *f = *state;
    fow_error err;
    fow_lab lab;
    assert_fow_ok(fow_lab_get(f->d.db, "design-dev", &lab, &err), &err);
    assert_string_equal(lab.timezone, "Europe/Bucharest");
    assert_true(lab.provider_id > 0);
    fow_lab_hours *hours = NULL;
    size_t n = 0;
    assert_fow_ok(fow_lab_hours_get(f->d.db, lab.id, &hours, &n, &err), &err);
    assert_int_equal(n, 6);
    assert_int_equal(hours[5].weekday, 6);
    assert_int_equal(hours[5].opens_minute, 600);
    assert_int_equal(hours[5].closes_minute, 840);
    free(hours);
    fow_lab_resource r;
    assert_fow_ok(fow_lab_resource_get(f->d.db, "laser-cutter-1", &r, &err), &err);
    assert_int_equal(r.slot_minutes, 30);
    assert_int_equal(r.kind, FOW_LAB_MACHINE);
    assert_string_equal(r.lab_code, "design-dev");
    fow_lab_requirement *reqs = NULL;
    assert_fow_ok(fow_lab_requirements(f->d.db, r.id, &reqs, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(reqs[0].ref, "CREIC-LASER-IND");
    assert_string_equal(reqs[0].title_en, "Laser cutter induction");
    free(reqs);
    fow_lab_price price;
    bool found = false;
    assert_fow_ok(fow_lab_price_of(f->d.db, r.id, FOW_LAB_ENTERPRISE, &price, &found, &err), &err);
    assert_true(found);
    assert_int_equal(price.per_hour_minor, 12000);
    assert_string_equal(price.currency, "RON");
    /* loading again changes nothing but updated_at */
    char path[TS_PATH_MAX];
    ts_join(path, sizeof path, ts_demo_dir(), "labs.json");
    assert_fow_ok(fow_labs_import(f->d.db, path, NOW + 10, NULL, NULL, &err), &err);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM lab_resources"), 14);
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM lab_prices"), 70);
}

static void test_bad_labs_file_writes_nothing(void **state)
{
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    char path[TS_PATH_MAX];
    const char *text =
        "{\"labs\": [{\"code\": \"new-lab\", \"name_en\": \"N\", \"name_ro\": \"N\", \"resources\": ["
        "{\"code\": \"new-machine\", \"name_en\": \"M\", \"name_ro\": \"M\"},"
        "{\"code\": \"bad-machine\", \"name_en\": \"M\", \"name_ro\": \"M\", \"slot_minutes\": 45}]}]}";
    ts_write_string(f->d.tmp.dir, "bad.json", text, path, sizeof path);
    ts_digest before = db_snapshot(f->d.path);
    assert_int_equal(fow_labs_import(f->d.db, path, NOW, NULL, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "labs[0].resources[1].slot_minutes");
    assert_non_null(strstr(err.message, "15, 30, 60, 120 or 240"));
    assert_digest_equal(before, db_snapshot(f->d.path));
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM labs WHERE code = 'new-lab'"), 0);
    /* an unknown module as a requirement */
    text = "{\"labs\": [{\"code\": \"design-dev\", \"resources\": [{\"code\": \"laser-cutter-1\","
           " \"requirements\": [{\"kind\": \"module\", \"ref\": \"NO-SUCH\"}]}]}]}";
    ts_write_string(f->d.tmp.dir, "bad2.json", text, path, sizeof path);
    assert_int_equal(fow_labs_import(f->d.db, path, NOW, NULL, NULL, &err), FOW_ENOTFOUND);
    assert_string_equal(err.field, "labs[0].resources[0].requirements[0].ref");
    assert_digest_equal(before, db_snapshot(f->d.path));
    ts_write_string(f->d.tmp.dir, "bad3.json", "{\"labs\": [", path, sizeof path);
    assert_int_equal(fow_labs_import(f->d.db, path, NOW, NULL, NULL, &err), FOW_EINPUT);
    assert_true(err.line > 0);
}

static void test_labs_and_resources_checked(void **state)
{
    fixture *f = *state;
    fow_db *db = f->d.db;
    fow_error err;
    ts_digest before = db_snapshot(f->d.path);
    fow_lab_input lab = {.code = "Bad Code", .name_en = "A", .name_ro = "A", .provider_id = -1,
                         .cancel_deadline_hours = -1, .late_cancel_fee_percent = -1, .offer_hours = -1};
    assert_int_equal(fow_lab_add(db, &lab, NOW, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "code");
    lab.code = "cgi-vfx";
    assert_int_equal(fow_lab_add(db, &lab, NOW, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "code");
    assert_non_null(strstr(err.message, "exists already"));
    lab.code = "new-lab";
    lab.name_ro = "  ";
    assert_int_equal(fow_lab_add(db, &lab, NOW, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "name_ro");
    lab.name_ro = "A";
    lab.late_cancel_fee_percent = 101;
    assert_int_equal(fow_lab_add(db, &lab, NOW, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "late_cancel_fee_percent");
    lab.late_cancel_fee_percent = -1;
    lab.provider_id = 999999;
    assert_int_equal(fow_lab_add(db, &lab, NOW, NULL, &err), FOW_ENOTFOUND);
    assert_string_equal(err.field, "provider");
    assert_digest_equal(before, db_snapshot(f->d.path));
    lab.provider_id = -1;
    int64_t id = 0;
    assert_fow_ok(fow_lab_add(db, &lab, NOW, &id, &err), &err);
    assert_true(id > 0);
    fow_lab got;
    assert_fow_ok(fow_lab_get(db, "new-lab", &got, &err), &err);
    assert_int_equal(got.cancel_deadline_hours, 24);
    assert_int_equal(got.late_cancel_fee_percent, 50);
    /* the policy columns written and read back */
    fow_lab_input change = {.provider_id = -1, .cancel_deadline_hours = 48, .late_cancel_fee_percent = 25,
                            .offer_hours = -1, .address = "Str. Exemplu 1"};
    assert_fow_ok(fow_lab_update(db, "new-lab", &change, NOW + 1, &err), &err);
    assert_fow_ok(fow_lab_get(db, "new-lab", &got, &err), &err);
    assert_int_equal(got.cancel_deadline_hours, 48);
    assert_int_equal(got.late_cancel_fee_percent, 25);
    assert_int_equal(got.offer_hours, 12);
    assert_string_equal(got.address, "Str. Exemplu 1");
    assert_string_equal(got.name_en, "A");
    assert_int_equal(fow_lab_update(db, "no-lab", &change, NOW, &err), FOW_ENOTFOUND);
    assert_string_equal(err.field, "lab");

    fow_lab_resource_input r = {.code = "bench-1", .kind = "machine", .name_en = "B", .name_ro = "B",
                                .capacity = 2, .slot_minutes = -1, .max_slots = -1, .active = -1};
    assert_int_equal(fow_lab_resource_add(db, "new-lab", &r, NOW, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "capacity");
    r.capacity = -1;
    r.kind = "robot";
    assert_int_equal(fow_lab_resource_add(db, "new-lab", &r, NOW, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "kind");
    r.kind = "space";
    r.capacity = 501;
    assert_int_equal(fow_lab_resource_add(db, "new-lab", &r, NOW, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "capacity");
    r.capacity = 12;
    r.max_slots = 0;
    assert_int_equal(fow_lab_resource_add(db, "new-lab", &r, NOW, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "max_slots");
    r.max_slots = -1;
    r.photo = "/etc/passwd";
    assert_int_equal(fow_lab_resource_add(db, "new-lab", &r, NOW, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "photo");
    r.photo = NULL;
    assert_int_equal(fow_lab_resource_add(db, "no-lab", &r, NOW, NULL, &err), FOW_ENOTFOUND);
    assert_string_equal(err.field, "lab");
    r.code = "laser-cutter-1";
    assert_int_equal(fow_lab_resource_add(db, "new-lab", &r, NOW, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "code");
    assert_int_equal(ts_int(db, "SELECT count(*) FROM lab_resources r JOIN labs l ON l.id = r.lab_id"
                                " WHERE l.code = 'new-lab'"),
                     0);
    r.code = "bench-1";
    assert_fow_ok(fow_lab_resource_add(db, "new-lab", &r, NOW, NULL, &err), &err);
    fow_lab_resource_input deactivate = {.capacity = -1, .slot_minutes = 15, .max_slots = -1, .active = 0};
    assert_fow_ok(fow_lab_resource_update(db, "bench-1", &deactivate, NOW + 5, &err), &err);
    fow_lab_resource res;
    assert_fow_ok(fow_lab_resource_get(db, "bench-1", &res, &err), &err);
    assert_false(res.active);
    assert_int_equal(res.slot_minutes, 15);
    assert_int_equal(res.capacity, 12);
    assert_int_equal(res.kind, FOW_LAB_SPACE);
    fow_lab_resource *list = NULL;
    size_t n = 0;
    assert_fow_ok(fow_lab_resources(db, "new-lab", &list, &n, &err), &err);
    assert_int_equal(n, 1);
    free(list);
    assert_int_equal(fow_lab_resources(db, "nope", &list, &n, &err), FOW_ENOTFOUND);
}

static void test_hours(void **state)
{
    fixture *f = *state;
    fow_db *db = f->d.db;
    fow_error err;
    fow_lab_hours h;
    assert_fow_ok(fow_lab_hours_parse("sat", "10:00-14:00", "hours", &h, &err), &err);
    assert_int_equal(h.weekday, 6);
    assert_fow_ok(fow_lab_hours_parse("Monday", "09:00-24:00", "hours", &h, &err), &err);
    assert_int_equal(h.closes_minute, 1440);
    assert_int_equal(fow_lab_hours_parse("mo", "09:00-18:00", "hours", &h, &err), FOW_EINPUT);
    assert_int_equal(fow_lab_hours_parse("8", "09:00-18:00", "hours", &h, &err), FOW_EINPUT);
    assert_int_equal(fow_lab_hours_parse("1", "18:00-09:00", "hours", &h, &err), FOW_EINPUT);
    assert_non_null(strstr(err.message, "closes before it opens"));
    assert_int_equal(fow_lab_hours_parse("1", "09:00 18:00", "hours", &h, &err), FOW_EINPUT);
    assert_string_equal(err.field, "hours");

    ts_digest before = db_snapshot(f->d.path);
    fow_lab_hours overlapping[] = {{1, 540, 780}, {1, 720, 1080}};
    assert_int_equal(fow_lab_hours_set(db, "cgi-vfx", overlapping, 2, &err), FOW_EINPUT);
    assert_string_equal(err.field, "hours[1]");
    fow_lab_hours bad_day[] = {{0, 540, 780}};
    assert_int_equal(fow_lab_hours_set(db, "cgi-vfx", bad_day, 1, &err), FOW_EINPUT);
    assert_string_equal(err.field, "hours[0].weekday");
    fow_lab_hours bad_close[] = {{2, 540, 540}};
    assert_int_equal(fow_lab_hours_set(db, "cgi-vfx", bad_close, 1, &err), FOW_EINPUT);
    assert_string_equal(err.field, "hours[0].closes");
    assert_int_equal(fow_lab_hours_set(db, "nope", NULL, 0, &err), FOW_ENOTFOUND);
    assert_digest_equal(before, db_snapshot(f->d.path));
    fow_lab_hours split[] = {{3, 540, 720}, {3, 780, 1080}};
    assert_fow_ok(fow_lab_hours_set(db, "cgi-vfx", split, 2, &err), &err);
    fow_lab lab;
    assert_fow_ok(fow_lab_get(db, "cgi-vfx", &lab, &err), &err);
    fow_lab_hours *got = NULL;
    size_t n = 0;
    assert_fow_ok(fow_lab_hours_get(db, lab.id, &got, &n, &err), &err);
    assert_int_equal(n, 2);
    assert_int_equal(got[1].opens_minute, 780);
    free(got);
}

static void test_holidays(void **state)
{
    fixture *f = *state;
    fow_db *db = f->d.db;
    fow_error err;
    char path[TS_PATH_MAX];
    ts_join(path, sizeof path, ts_demo_dir(), "../holidays-ro.csv");
    size_t count = 0;
    assert_fow_ok(fow_lab_holidays_import(db, path, &count, &err), &err);
    assert_int_equal(count, 33);
    fow_lab_holiday *list = NULL;
    size_t n = 0;
    assert_fow_ok(fow_lab_holidays(db, "2027-04-01", "2027-06-30", &list, &n, &err), &err);
    /* Good Friday, 1 May, Easter Sunday and Monday, 1 June, Pentecost Sunday and Monday */
    assert_int_equal(n, 7);
    assert_string_equal(list[0].day, "2027-04-30");
    assert_non_null(strstr(list[0].source, "art. 139"));
    free(list);
    /* a bad row: nothing written, the error at its line and column name */
    ts_digest before = db_snapshot(f->d.path);
    ts_write_string(f->d.tmp.dir, "h.csv",
                    "day,name_en,name_ro,source\n2028-01-01,New Year,Anul Nou,Codul muncii\n"
                    "2028-02-30,Nothing,Nimic,Codul muncii\n",
                    path, sizeof path);
    assert_int_equal(fow_lab_holidays_import(db, path, NULL, &err), FOW_EINPUT);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.field, "day");
    ts_write_string(f->d.tmp.dir, "h2.csv", "day,name_en,name_ro,source\n2028-01-01,New Year,Anul Nou,\n", path,
                    sizeof path);
    assert_int_equal(fow_lab_holidays_import(db, path, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "source");
    ts_write_string(f->d.tmp.dir, "h3.csv", "day,name_en\n2028-01-01,New Year\n", path, sizeof path);
    assert_int_equal(fow_lab_holidays_import(db, path, NULL, &err), FOW_EINPUT);
    assert_digest_equal(before, db_snapshot(f->d.path));
    fow_lab_holiday one = {.day = "2028-01-01", .name_en = "New Year", .name_ro = "Anul Nou", .source = ""};
    assert_int_equal(fow_lab_holidays_put(db, &one, 1, &err), FOW_EINPUT);
    assert_string_equal(err.field, "holidays[0].source");
}

static void test_closures(void **state)
{
    fixture *f = *state;
    fow_db *db = f->d.db;
    fow_error err;
    int64_t start = 1803888000; /* 2027-03-01T10:00+02:00 */
    int64_t id = 0;
    ts_digest before = db_snapshot(f->d.path);
    assert_int_equal(fow_lab_closure_add(db, "design-dev", "holiday", NULL, start, start + 3600, "", "lara", NOW,
                                         &id, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "kind");
    assert_int_equal(fow_lab_closure_add(db, "design-dev", "closure", NULL, start, start, "", "lara", NOW, &id, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "end");
    assert_int_equal(fow_lab_closure_add(db, "design-dev", "maintenance", "robot-arm-1", start, start + 3600, "",
                                         "lara", NOW, &id, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "resource");
    assert_int_equal(fow_lab_closure_add(db, "design-dev", "maintenance", "no-such", start, start + 3600, "", "lara",
                                         NOW, &id, &err),
                     FOW_ENOTFOUND);
    assert_digest_equal(before, db_snapshot(f->d.path));
    assert_fow_ok(fow_lab_closure_add(db, "design-dev", "maintenance", "laser-cutter-1", start, start + 7200,
                                      "lens cleaning", "lara", NOW, &id, &err),
                  &err);
    int64_t whole = 0;
    assert_fow_ok(fow_lab_closure_add(db, "design-dev", "closure", NULL, start + 86400, start + 2 * 86400,
                                      "staff training", "lara", NOW, &whole, &err),
                  &err);
    fow_lab lab;
    assert_fow_ok(fow_lab_get(db, "design-dev", &lab, &err), &err);
    fow_lab_resource printer;
    assert_fow_ok(fow_lab_resource_get(db, "printer-3d-1", &printer, &err), &err);
    fow_lab_closure *list = NULL;
    size_t n = 0;
    /* the printer: only the whole-lab closure */
    assert_fow_ok(fow_lab_closures(db, lab.id, printer.id, start, start + 3 * 86400, &list, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, whole);
    free(list);
    /* the lab: both, the maintenance naming its machine */
    assert_fow_ok(fow_lab_closures(db, lab.id, 0, start, start + 3 * 86400, &list, &n, &err), &err);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].resource_code, "laser-cutter-1");
    assert_int_equal(list[0].kind, FOW_LAB_MAINTENANCE);
    free(list);
    /* a window ending at the start does not overlap */
    assert_fow_ok(fow_lab_closures(db, lab.id, 0, start - 3600, start, &list, &n, &err), &err);
    assert_int_equal(n, 0);
    free(list);
    assert_fow_ok(fow_lab_closure_delete(db, id, &err), &err);
    assert_int_equal(fow_lab_closure_delete(db, id, &err), FOW_ENOTFOUND);
    assert_string_equal(err.field, "closure");
}

static void test_prices(void **state)
{
    fixture *f = *state;
    fow_db *db = f->d.db;
    fow_error err;
    ts_digest before = db_snapshot(f->d.path);
    fow_lab_price twice[] = {{FOW_LAB_SCHOOL, 100, "RON"}, {FOW_LAB_SCHOOL, 200, "RON"}};
    assert_int_equal(fow_lab_prices_set(db, "laser-cutter-1", twice, 2, &err), FOW_EINPUT);
    assert_string_equal(err.field, "prices[1].category");
    fow_lab_price negative[] = {{FOW_LAB_SCHOOL, -1, "RON"}};
    assert_int_equal(fow_lab_prices_set(db, "laser-cutter-1", negative, 1, &err), FOW_EINPUT);
    assert_string_equal(err.field, "prices[0].per_hour_minor");
    fow_lab_price currency[] = {{FOW_LAB_SCHOOL, 100, "ron"}};
    assert_int_equal(fow_lab_prices_set(db, "laser-cutter-1", currency, 1, &err), FOW_EINPUT);
    assert_string_equal(err.field, "prices[0].currency");
    assert_int_equal(fow_lab_prices_set(db, "nope", NULL, 0, &err), FOW_ENOTFOUND);
    assert_digest_equal(before, db_snapshot(f->d.path));
    fow_lab_price two[] = {{FOW_LAB_CULTUREPRENEUR, 2500, "RON"}, {FOW_LAB_RESIDENT, 5000, "EUR"}};
    assert_fow_ok(fow_lab_prices_set(db, "laser-cutter-1", two, 2, &err), &err);
    fow_lab_resource r;
    assert_fow_ok(fow_lab_resource_get(db, "laser-cutter-1", &r, &err), &err);
    fow_lab_price *list = NULL;
    size_t n = 0;
    assert_fow_ok(fow_lab_prices(db, r.id, &list, &n, &err), &err);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].category, FOW_LAB_RESIDENT);
    assert_string_equal(list[0].currency, "EUR");
    free(list);
    bool found = true;
    fow_lab_price p;
    assert_fow_ok(fow_lab_price_of(db, r.id, FOW_LAB_SCHOOL, &p, &found, &err), &err);
    assert_false(found);
    assert_int_equal(fow_lab_price_for(12000, 30), 6000);
    assert_int_equal(fow_lab_price_for(100, 15), 25);
    assert_int_equal(fow_lab_price_for(1, 30), 1); /* half a ban rounds up */
    assert_int_equal(fow_lab_price_for(1, 29), 0);
    fow_lab_category c;
    assert_int_equal(fow_lab_category_parse("culturepreneur", &c), 0);
    assert_int_equal(c, FOW_LAB_CULTUREPRENEUR);
    assert_int_equal(fow_lab_category_parse("School", &c), -1);
}

static fow_credential_row issue(fixture *f, const char *module_code, int valid_days)
{
    fow_error err;
    fow_error_clear(&err);
    fow_credentials *creds = NULL;
    char key[TS_PATH_MAX];
    assert_fow_ok(fow_credentials_key_path(f->d.path, key, sizeof key, &err), &err);
    assert_fow_ok(fow_credentials_open(f->d.db, key, true, &creds, &err), &err);
    fow_training_catalogue cat;
    assert_fow_ok(fow_training_load(f->d.db, &cat, &err), &err);
    const fow_training_module *m = fow_training_module_by_code(&cat, module_code);
    assert_non_null(m);
    fow_credential_request req = {.person_id = f->person, .module_id = m->id, .result = "passed",
                                  .valid_days = valid_days, .issued_by = "test", .completed_on = "2026-11-01"};
    fow_credential_row row;
    assert_fow_ok(fow_credential_issue(creds, f->people, &STAFF, &req, NOW, &row, &err), &err);
    free(row.jwt);
    row.jwt = NULL;
    fow_training_free(&cat);
    fow_credentials_close(creds);
    return row;
}

static void revoke(fixture *f, const char *id, long long when)
{
    fow_error err;
    fow_error_clear(&err);
    fow_credentials *creds = NULL;
    char key[TS_PATH_MAX];
    assert_fow_ok(fow_credentials_key_path(f->d.path, key, sizeof key, &err), &err);
    assert_fow_ok(fow_credentials_open(f->d.db, key, true, &creds, &err), &err);
    fow_credential_revoker admin = {.name = "test", .role = FOW_ROLE_ADMIN};
    assert_fow_ok(fow_credential_revoke(creds, &admin, id, "misuse of the machine", when, &err), &err);
    fow_credentials_close(creds);
}

static void test_access_from_credentials(void **state)
{
    fixture *f = *state;
    fow_db *db = f->d.db;
    fow_error err;
    fow_lab_access_result a;
    assert_fow_ok(fow_lab_access(db, "laser-cutter-1", f->person, NOW, &a, &err), &err);
    assert_false(a.allowed);
    assert_int_equal(a.n_required, 1);
    assert_int_equal(a.n_missing, 1);
    assert_string_equal(a.missing[0].ref, "CREIC-LASER-IND");
    assert_string_equal(a.missing[0].title_ro, "Instruire pentru tăietorul laser");
    /* a machine without requirements is open to all */
    assert_fow_ok(fow_lab_access(db, "gpu-workstation-1", f->person, NOW, &a, &err), &err);
    assert_true(a.allowed);
    assert_int_equal(a.n_required, 0);

    fow_credential_row laser = issue(f, "CREIC-LASER-IND", 0);
    assert_fow_ok(fow_lab_access(db, "laser-cutter-1", f->person, NOW + 1, &a, &err), &err);
    assert_true(a.allowed);
    assert_int_equal(a.n_met, 1);
    assert_string_equal(a.met[0].credential_id, laser.id);
    /* not before it was issued */
    assert_fow_ok(fow_lab_access(db, "laser-cutter-1", f->person, NOW - 1, &a, &err), &err);
    assert_false(a.allowed);
    /* another person's credential does not count */
    assert_fow_ok(fow_lab_access(db, "laser-cutter-1", "p-someone-else", NOW + 1, &a, &err), &err);
    assert_false(a.allowed);
    /* revoked: the right goes at once */
    revoke(f, laser.id, NOW + 100);
    assert_fow_ok(fow_lab_access(db, "laser-cutter-1", f->person, NOW + 101, &a, &err), &err);
    assert_false(a.allowed);
    assert_string_equal(a.missing[0].ref, "CREIC-LASER-IND");

    /* an expired credential does not count either */
    issue(f, "CREIC-CNC-IND", 10);
    assert_fow_ok(fow_lab_access(db, "cnc-router-1", f->person, NOW + 86400, &a, &err), &err);
    assert_true(a.allowed);
    assert_fow_ok(fow_lab_access(db, "cnc-router-1", f->person, NOW + 11 * 86400, &a, &err), &err);
    assert_false(a.allowed);

    /* a skill requirement, met by a module that teaches it (CP-AV teaches colour grading) */
    assert_fow_ok(fow_lab_access(db, "colour-grading-suite", f->person, NOW + 1, &a, &err), &err);
    assert_false(a.allowed);
    assert_int_equal(a.missing[0].kind, FOW_LAB_REQUIRES_SKILL);
    assert_string_equal(a.missing[0].title_en, "grade colour in video");
    issue(f, "CP-AV", 0);
    assert_fow_ok(fow_lab_access(db, "colour-grading-suite", f->person, NOW + 1, &a, &err), &err);
    assert_true(a.allowed);

    /* every resource at once */
    fow_lab_access_result *all = NULL;
    size_t n = 0;
    assert_fow_ok(fow_lab_access_all(db, f->person, NOW + 200, &all, &n, &err), &err);
    assert_int_equal(n, 14);
    size_t allowed = 0;
    for (size_t i = 0; i < n; i++)
        allowed += all[i].allowed;
    /* 6 without requirements + the colour-grading suite + the CNC router */
    assert_int_equal(allowed, 8);
    free(all);

    assert_int_equal(fow_lab_access(db, "no-such", f->person, NOW, &a, &err), FOW_ENOTFOUND);
    assert_string_equal(err.field, "resource");
    assert_int_equal(fow_lab_access(db, "laser-cutter-1", "", NOW, &a, &err), FOW_EINPUT);
    assert_string_equal(err.field, "person");
}

static void test_requirements_checked(void **state)
{
    fixture *f = *state;
    fow_db *db = f->d.db;
    fow_error err;
    ts_digest before = db_snapshot(f->d.path);
    fow_lab_requirement unknown[] = {{.kind = FOW_LAB_REQUIRES_MODULE, .ref = "NO-SUCH"}};
    assert_int_equal(fow_lab_requirements_set(db, "laser-cutter-1", unknown, 1, &err), FOW_ENOTFOUND);
    assert_string_equal(err.field, "requirements[0].ref");
    fow_lab_requirement untaught[] = {{.kind = FOW_LAB_REQUIRES_SKILL, .ref = "http://example.org/skill/none"}};
    assert_int_equal(fow_lab_requirements_set(db, "laser-cutter-1", untaught, 1, &err), FOW_EINPUT);
    assert_non_null(strstr(err.message, "nobody could meet it"));
    fow_lab_requirement twice[] = {{.kind = FOW_LAB_REQUIRES_MODULE, .ref = "CREIC-LASER-IND"},
                                   {.kind = FOW_LAB_REQUIRES_MODULE, .ref = "CREIC-LASER-IND"}};
    assert_int_equal(fow_lab_requirements_set(db, "laser-cutter-1", twice, 2, &err), FOW_EINPUT);
    assert_string_equal(err.field, "requirements[1].ref");
    assert_digest_equal(before, db_snapshot(f->d.path));
    /* two requirements: both needed */
    fow_lab_requirement both[] = {{.kind = FOW_LAB_REQUIRES_MODULE, .ref = "CREIC-LASER-IND"},
                                  {.kind = FOW_LAB_REQUIRES_MODULE, .ref = "CREIC-CNC-IND"}};
    assert_fow_ok(fow_lab_requirements_set(db, "laser-cutter-1", both, 2, &err), &err);
    issue(f, "CREIC-LASER-IND", 0);
    fow_lab_access_result a;
    assert_fow_ok(fow_lab_access(db, "laser-cutter-1", f->person, NOW + 1, &a, &err), &err);
    assert_false(a.allowed);
    assert_int_equal(a.n_missing, 1);
    assert_string_equal(a.missing[0].ref, "CREIC-CNC-IND");
    assert_fow_ok(fow_lab_requirements_set(db, "laser-cutter-1", NULL, 0, &err), &err);
    assert_fow_ok(fow_lab_access(db, "laser-cutter-1", f->person, NOW + 1, &a, &err), &err);
    assert_true(a.allowed);
}

static void test_induction(void **state)
{
    fixture *f = *state;
    fow_db *db = f->d.db;
    fow_error err;
    fow_error_clear(&err);
    fow_lab_induction ind;
    assert_fow_ok(fow_lab_induction_record(db, f->d.path, f->people, NULL, "stan", "laser-cutter-1", NULL, f->person,
                                           NOW, &ind, &err),
                  &err);
    assert_string_equal(ind.module, "CREIC-LASER-IND");
    assert_true(ind.cohort_id > 0);
    assert_true(ind.completion.passed);
    assert_string_equal(ind.completion.person, f->person);
    assert_true(ind.credential.issued);
    /* the credential unlocks the machine */
    fow_lab_access_result a;
    assert_fow_ok(fow_lab_access(db, "laser-cutter-1", f->person, NOW + 1, &a, &err), &err);
    assert_true(a.allowed);
    assert_string_equal(a.met[0].credential_id, ind.credential.id);
    /* twice the same day: already completed */
    assert_int_equal(fow_lab_induction_record(db, f->d.path, f->people, NULL, "stan", "laser-cutter-1", NULL,
                                              f->person, NOW + 60, &ind, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "person");
    /* a resource with no module to induct */
    assert_int_equal(fow_lab_induction_record(db, f->d.path, f->people, NULL, "stan", "gpu-workstation-1", NULL,
                                              f->person, NOW, &ind, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "module");
    assert_int_equal(fow_lab_induction_record(db, f->d.path, f->people, NULL, "stan", "laser-cutter-1", "CP-AV",
                                              f->person, NOW, &ind, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "module");
    /* without training consent: refused, nothing recorded */
    char other[FOW_PERSON_ID_CHARS + 1];
    fow_person_input in = {.organisation = "org"};
    assert_fow_ok(fow_people_add(f->people, &STAFF, NULL, &in, NOW, other, &err), &err);
    ts_digest before = db_snapshot(f->d.path);
    assert_int_equal(fow_lab_induction_record(db, f->d.path, f->people, NULL, "stan", "cnc-router-1", NULL, other,
                                              NOW, &ind, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "consent");
    assert_digest_equal(before, db_snapshot(f->d.path)); /* no cohort, enrolment or completion */
}

static char *json_of(fow_code (*fn)(fow_jw *, fow_db *, const char *, fow_error *), fow_db *db, const char *code)
{
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fn(&w, db, code, &err), &err);
    size_t len;
    return fow_jw_take(&w, &len);
}

static void test_json(void **state)
{
    fixture *f = *state;
    fow_db *db = f->d.db;
    fow_error err;
    fow_jw w;
    fow_jw_init(&w, 0);
    assert_fow_ok(fow_lab_result_list(&w, db, &err), &err);
    const char *text = fow_jw_text(&w, NULL);
    assert_non_null(strstr(text, "\"count\":3"));
    assert_non_null(strstr(text, "\"code\":\"laser-cutter-1\""));
    fow_jw_free(&w);
    char path[TS_PATH_MAX];
    ts_join(path, sizeof path, ts_demo_dir(), "../holidays-ro.csv");
    assert_fow_ok(fow_lab_holidays_import(db, path, NULL, &err), &err);
    assert_fow_ok(fow_lab_closure_add(db, "design-dev", "maintenance", "laser-cutter-1", 1803888000,
                                      1803888000 + 3600, "lens", "lara", NOW, NULL, &err),
                  &err);
    fow_jw_init(&w, 0);
    assert_fow_ok(fow_lab_result_show(&w, db, "design-dev", NOW, &err), &err);
    text = fow_jw_text(&w, NULL);
    assert_non_null(strstr(text, "{\"weekday\":6,\"opens\":\"10:00\",\"closes\":\"14:00\"}"));
    assert_non_null(strstr(text, "\"start\":\"2027-03-01T10:00+02:00\""));
    assert_non_null(strstr(text, "\"day\":\"2026-12-01\""));
    assert_non_null(strstr(text, "\"day\":\"2026-11-30\"")); /* today (NOW's local day) included */
    assert_null(strstr(text, "\"day\":\"2026-08-15\""));     /* past ones not */
    assert_null(strstr(text, "\"day\":\"2027-12-01\""));     /* nor beyond twelve months */
    fow_jw_free(&w);
    fow_jw_init(&w, 0);
    assert_int_equal(fow_lab_result_show(&w, db, "nope", NOW, &err), FOW_ENOTFOUND);
    fow_jw_free(&w);
    char *res = json_of(fow_lab_resource_result, db, "laser-cutter-1");
    assert_non_null(strstr(res, "\"requirements\":[{\"kind\":\"module\",\"ref\":\"CREIC-LASER-IND\""));
    assert_non_null(strstr(res, "{\"category\":\"enterprise\",\"per_hour_minor\":12000,\"currency\":\"RON\"}"));
    assert_non_null(strstr(res, "\"safety_ro\":"));
    free(res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_demo_loaded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_labs_file_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_labs_and_resources_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hours, setup, teardown),
        cmocka_unit_test_setup_teardown(test_holidays, setup, teardown),
        cmocka_unit_test_setup_teardown(test_closures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_from_credentials, setup, teardown),
        cmocka_unit_test_setup_teardown(test_requirements_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_induction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
