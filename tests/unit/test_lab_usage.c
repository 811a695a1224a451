/* test_lab_usage.c — the labs' calendar feeds, usage and projects
 * (src/labs/fow_lab_usage.h): hours booked and used, no-shows, cancelled,
 * opening time less holidays and closures, utilisation, ISO weeks, people
 * by category with primary and complementary suppression, the public and
 * personal feeds (UID, SEQUENCE, STATUS, no person in public ones, a
 * replaced token stops), projects and their checks, the figures for the
 * programme indicators.
 *
 * The labs, hours and bookings are written as rows of the tables of
 * migration 18 (a fixture of known values, times made with fow_lab_time.h):
 * what is tested is what the usage and the feeds compute from them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#include "accounts/fow_accounts.h"
#include "labs/fow_lab_time.h"
#include "labs/fow_lab_usage.h"

/* The UTC instant of a local "YYYY-MM-DDTHH:MM". */
static long long at(const char *local) {
    fow_lab_local l;
    fow_error err;
    fow_error_clear(&err);
    int64_t utc = 0;
    if (fow_lab_parse_datetime(local, "t", &l, &err) || fow_lab_local_to_utc(&l, "t", &utc, &err))
        fail_msg("%s: %s", local, err.message);
    return (long long)utc;
}

static void exec(fow_db *db, const char *sql) {
    fow_error err;
    fow_error_clear(&err);
    if (fow_db_exec(db, sql, &err)) fail_msg("%s: %s", sql, err.message);
}

static int booking_serial = 0;

/* A booking row: resource id, local start and end, status, person ("" for
 * none), category, group name, checked in/out (local, "" none), sequence,
 * changed_at. */
static void booking(fow_db *db, int resource, const char *start, const char *end, const char *status,
                    const char *person, const char *category, const char *group, const char *in, const char *out,
                    int sequence, long long changed_at) {
    char sql[1400];
    booking_serial++;
    snprintf(sql, sizeof sql,
             "INSERT INTO lab_bookings (uid, resource_id, starts_at, ends_at, status, person_id, booked_by, category,"
             " group_name, group_size, payment, sequence, checked_in_at, checked_out_at, created_at, changed_at,"
             " changed_by, note) VALUES ('b%d-test@fow', %d, %lld, %lld, '%s', %s%s%s, 'acc%s', '%s', '%s', %d, 'free', %d,"
             " %lld, %lld, %lld, %lld, 'staff', 'bring, gloves; and \\ goggles')",
             booking_serial, resource, at(start), at(end), status, person[0] ? "'" : "", person[0] ? person : "NULL",
             person[0] ? "'" : "", person[0] ? person : "group", category, group, group[0] ? 20 : 1, sequence,
             in[0] ? at(in) : 0, out[0] ? at(out) : 0, changed_at - 100, changed_at);
    exec(db, sql);
}

/* A person id: 'p' and 26 base32 characters, the last two from n. */
static const char *person(int n) {
    static char ids[64][28];
    snprintf(ids[n], sizeof ids[n], "pabcdefghijklmnopqrstuvwx%c%c", 'a' + n / 26 % 26, 'a' + n % 26);
    return ids[n];
}

static const long long NOW = 1804000000LL; /* 2027-03-02 */

/* Lab 'design' (Mon-Fri 09:00-18:00), resources laser (1) and printer (2);
 * lab 'cgi' with resource render (3). Holiday on Wednesday 2027-03-03; the
 * printer in maintenance Thursday 2027-03-04 10:00-12:00. */
static void fixture(fow_db *db) {
    booking_serial = 0;
    exec(db,
         "INSERT INTO labs (id, code, name_en, name_ro, address, created_at, updated_at) VALUES"
         " (1, 'design', 'Design Development', 'Dezvoltare de design', 'Str. Fabricii 1, Cluj-Napoca', 0, 0),"
         " (2, 'cgi', 'CGI & VFX', 'CGI și VFX', '', 0, 0);"
         "INSERT INTO lab_resources (id, lab_id, code, kind, name_en, name_ro, created_at, updated_at) VALUES"
         " (1, 1, 'laser', 'machine', 'Laser cutter', 'Tăietor laser', 0, 0),"
         " (2, 1, 'printer', 'machine', '3D printer', 'Imprimantă 3D', 0, 0),"
         " (3, 2, 'render', 'machine', 'Render node', 'Nod de randare', 0, 0);"
         "INSERT INTO lab_opening_hours (lab_id, weekday, opens_minute, closes_minute) VALUES"
         " (1, 1, 540, 1080), (1, 2, 540, 1080), (1, 3, 540, 1080), (1, 4, 540, 1080), (1, 5, 540, 1080),"
         " (2, 1, 540, 1080);"
         "INSERT INTO lab_holidays (day, name_en, name_ro, source) VALUES ('2027-03-03', 'A holiday', 'O sărbătoare', 'test');");
    char sql[400];
    snprintf(sql, sizeof sql,
             "INSERT INTO lab_closures (lab_id, resource_id, kind, starts_at, ends_at, reason, created_at, created_by)"
             " VALUES (1, 2, 'maintenance', %lld, %lld, 'nozzle', 0, 'lara')",
             at("2027-03-04T10:00"), at("2027-03-04T12:00"));
    exec(db, sql);
    /* laser: completed (used 10:05-11:50), a no-show, a cancellation */
    booking(db, 1, "2027-03-01T10:00", "2027-03-01T12:00", "completed", person(0), "resident", "", "2027-03-01T10:05",
            "2027-03-01T11:50", 2, NOW - 3600);
    booking(db, 1, "2027-03-02T10:00", "2027-03-02T11:00", "no_show", person(1), "resident", "", "", "", 1, NOW - 7200);
    booking(db, 1, "2027-03-05T10:00", "2027-03-05T11:00", "cancelled", person(2), "resident", "", "", "", 1,
            NOW - 60);
    /* printer: 12 people of universities, one hour each, in the week after */
    for (int i = 0; i < 12; i++) {
        char start[32], end[32];
        snprintf(start, sizeof start, "2027-03-%02dT%02d:00", 8 + i / 8, 9 + i % 8);
        snprintf(end, sizeof end, "2027-03-%02dT%02d:00", 8 + i / 8, 10 + i % 8);
        booking(db, 2, start, end, "confirmed", person(10 + i), "university", "", "", "", 0, NOW);
    }
    /* a school class on the printer (no person) */
    booking(db, 2, "2027-03-12T09:00", "2027-03-12T12:00", "confirmed", "", "school", "Class 9B", "", "", 0, NOW);
}

static fow_lab_usage_query query(const char *lab, const char *resource, const char *from, const char *to,
                                 fow_lab_usage_by by) {
    fow_lab_usage_query q;
    memset(&q, 0, sizeof q);
    snprintf(q.lab, sizeof q.lab, "%s", lab);
    snprintf(q.resource, sizeof q.resource, "%s", resource);
    snprintf(q.from, sizeof q.from, "%s", from);
    snprintf(q.to, sizeof q.to, "%s", to);
    q.by = by;
    return q;
}

static const fow_lab_usage_row *row(const fow_lab_usage *u, const char *group) {
    for (size_t i = 0; i < u->n_rows; i++)
        if (strcmp(u->rows[i].group, group) == 0) return &u->rows[i];
    fail_msg("no row %s", group);
    return NULL;
}

static void test_usage_by_resource(void **state) {
    ts_db *d = *state;
    fixture(d->db);
    fow_error err;
    fow_error_clear(&err);
    fow_lab_usage u;
    fow_lab_usage_query q = query("design", "", "2027-03-01", "2027-03-07", FOW_LAB_USAGE_BY_RESOURCE);
    assert_int_equal(fow_lab_usage_compute(d->db, &q, NOW, &u, &err), FOW_OK);
    assert_int_equal(u.n_rows, 2); /* the lab's two resources, not cgi's */
    const fow_lab_usage_row *laser = row(&u, "laser");
    assert_string_equal(laser->lab, "design");
    assert_int_equal(laser->bookings, 2);
    assert_int_equal(laser->minutes_booked, 180);
    assert_int_equal(laser->minutes_used, 105);
    assert_int_equal(laser->no_shows, 1);
    assert_int_equal(laser->cancelled, 1);
    /* Mon, Tue, Thu, Fri of 9 hours (Wednesday a holiday) */
    assert_int_equal(laser->minutes_open, 4 * 9 * 60);
    const fow_lab_usage_row *printer = row(&u, "printer");
    assert_int_equal(printer->minutes_open, 4 * 9 * 60 - 120); /* less the maintenance */
    assert_int_equal(printer->bookings, 0);
    assert_int_equal(u.total.minutes_open, 2 * 4 * 9 * 60 - 120);
    assert_int_equal(u.total.people, 2);
    assert_true(u.total.people_suppressed);
    fow_lab_usage_free(&u);

    /* one resource */
    q = query("", "printer", "2027-03-08", "2027-03-14", FOW_LAB_USAGE_BY_RESOURCE);
    assert_int_equal(fow_lab_usage_compute(d->db, &q, NOW, &u, &err), FOW_OK);
    assert_int_equal(u.n_rows, 1);
    assert_int_equal(u.rows[0].bookings, 13);
    assert_int_equal(u.rows[0].minutes_booked, 12 * 60 + 180);
    assert_int_equal(u.rows[0].group_seats, 20);
    assert_int_equal(u.rows[0].minutes_open, 5 * 9 * 60);
    assert_int_equal(u.rows[0].people, 12);
    assert_false(u.rows[0].people_suppressed);
    char *csv = fow_lab_usage_csv(&u);
    assert_non_null(csv);
    /* 15 hours of 45: 33.3 percent */
    assert_non_null(strstr(csv, "\"printer\",\"3D printer\",\"design\",13,15.00,0.00,0,0,45.00,33.3,12,0,20\r\n"));
    assert_non_null(strstr(csv, "group,label,lab,bookings,hours_booked"));
    free(csv);
    fow_lab_usage_free(&u);
}

static void test_usage_by_week(void **state) {
    ts_db *d = *state;
    fixture(d->db);
    fow_error err;
    fow_error_clear(&err);
    fow_lab_usage u;
    fow_lab_usage_query q = query("design", "", "2027-03-01", "2027-03-14", FOW_LAB_USAGE_BY_WEEK);
    assert_int_equal(fow_lab_usage_compute(d->db, &q, NOW, &u, &err), FOW_OK);
    assert_int_equal(u.n_rows, 2);
    assert_string_equal(u.rows[0].group, "2027-W09");
    assert_string_equal(u.rows[1].group, "2027-W10");
    assert_string_equal(u.rows[0].label_en, "2027-W09 (2027-03-01 to 2027-03-07)");
    assert_int_equal(u.rows[0].bookings, 2);
    assert_int_equal(u.rows[1].bookings, 13);
    assert_int_equal(u.rows[0].minutes_open, 2 * 4 * 9 * 60 - 120);
    assert_int_equal(u.rows[1].minutes_open, 2 * 5 * 9 * 60);
    assert_int_equal(u.total.minutes_open, u.rows[0].minutes_open + u.rows[1].minutes_open);
    fow_lab_usage_free(&u);

    /* a year's first days belong to the ISO week of the year before */
    q = query("", "", "2027-01-01", "2027-01-04", FOW_LAB_USAGE_BY_WEEK);
    assert_int_equal(fow_lab_usage_compute(d->db, &q, NOW, &u, &err), FOW_OK);
    assert_int_equal(u.n_rows, 2);
    assert_string_equal(u.rows[0].group, "2026-W53");
    assert_string_equal(u.rows[1].group, "2027-W01");
    fow_lab_usage_free(&u);
}

static void test_usage_by_category_suppression(void **state) {
    ts_db *d = *state;
    fixture(d->db);
    fow_error err;
    fow_error_clear(&err);
    fow_lab_usage u;
    fow_lab_usage_query q = query("", "", "2027-03-01", "2027-03-14", FOW_LAB_USAGE_BY_CATEGORY);
    assert_int_equal(fow_lab_usage_compute(d->db, &q, NOW, &u, &err), FOW_OK);
    assert_int_equal(u.n_rows, 5);
    const fow_lab_usage_row *resident = row(&u, "resident"), *university = row(&u, "university"),
                            *school = row(&u, "school");
    assert_int_equal(resident->people, 2);
    assert_true(resident->people_suppressed);
    assert_false(resident->people_complementary);
    assert_true(resident->row_suppressed);
    /* the only other non-zero cell: hidden too, or resident = total - university */
    assert_int_equal(university->people, 12);
    assert_true(university->people_suppressed);
    assert_true(university->people_complementary);
    assert_true(university->row_suppressed);
    assert_int_equal(school->people, 0);
    assert_false(school->people_suppressed);
    assert_int_equal(school->group_seats, 20);
    assert_int_equal(u.total.people, 14);
    assert_false(u.total.people_suppressed);
    assert_false(u.total.has_open && u.rows[0].has_open);
    char *csv = fow_lab_usage_csv(&u);
    assert_non_null(strstr(csv, "\"resident\",\"Resident\",\"\",suppressed,suppressed,suppressed,suppressed,suppressed,,,"
                                "suppressed,suppressed,suppressed\r\n"));
    free(csv);
    fow_lab_usage_free(&u);
}

static void test_usage_errors(void **state) {
    ts_db *d = *state;
    fixture(d->db);
    fow_error err;
    fow_lab_usage u;
    struct {
        fow_lab_usage_query q;
        fow_code code;
        const char *field;
    } cases[] = {
        {query("", "", "2027-03-08", "2027-03-01", FOW_LAB_USAGE_BY_WEEK), FOW_EINPUT, "to"},
        {query("", "", "2027-02-30", "2027-03-01", FOW_LAB_USAGE_BY_WEEK), FOW_EINPUT, "from"},
        {query("", "", "2027-03-01", "1 March", FOW_LAB_USAGE_BY_WEEK), FOW_EINPUT, "to"},
        {query("", "", "2025-01-01", "2027-03-01", FOW_LAB_USAGE_BY_WEEK), FOW_EINPUT, "to"},
        {query("nolab", "", "2027-03-01", "2027-03-02", FOW_LAB_USAGE_BY_WEEK), FOW_ENOTFOUND, "lab"},
        {query("", "nothing", "2027-03-01", "2027-03-02", FOW_LAB_USAGE_BY_WEEK), FOW_ENOTFOUND, "resource"},
        {query("cgi", "laser", "2027-03-01", "2027-03-02", FOW_LAB_USAGE_BY_WEEK), FOW_EINPUT, "resource"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        fow_error_clear(&err);
        assert_int_equal(fow_lab_usage_compute(d->db, &cases[i].q, NOW, &u, &err), cases[i].code);
        assert_string_equal(err.field, cases[i].field);
        fow_lab_usage_free(&u);
    }
}

/* Undoes the folding of an iCalendar text. */
static char *unfold(const char *text) {
    char *out = malloc(strlen(text) + 1);
    assert_non_null(out);
    size_t o = 0;
    for (const char *p = text; *p; p++) {
        if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
            p += 2;
            continue;
        }
        out[o++] = *p;
    }
    out[o] = '\0';
    return out;
}

static void test_public_feeds(void **state) {
    ts_db *d = *state;
    fixture(d->db);
    fow_error err;
    fow_error_clear(&err);
    fow_lab_feed feed;
    assert_int_equal(fow_lab_feed_public(d->db, FOW_LAB_FEED_RESOURCE, "laser", NOW, &feed, &err), FOW_OK);
    assert_int_equal(feed.n_events, 3);
    char *text = unfold(feed.ics);
    assert_non_null(strstr(text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert_non_null(strstr(text, "X-WR-CALNAME:Laser cutter (Design Development): bookings\r\n"));
    assert_non_null(strstr(text, "UID:b1-test@fow\r\n"));
    assert_non_null(strstr(text, "SEQUENCE:2\r\n"));
    assert_non_null(strstr(text, "STATUS:CANCELLED\r\n"));
    assert_non_null(strstr(text, "SUMMARY:Booked\r\n"));
    assert_non_null(strstr(text, "LOCATION:Laser cutter\\, Design Development\\, Str. Fabricii 1\\, Cluj-Napoca\r\n"));
    /* no person, no account, no note in a public feed */
    assert_null(strstr(text, person(0)));
    assert_null(strstr(text, "acc"));
    assert_null(strstr(text, "goggles"));
    assert_null(strstr(text, "DESCRIPTION"));
    assert_int_equal(feed.last_modified, NOW - 60);
    free(text);
    fow_lab_feed_free(&feed);

    /* 31 days after its cancellation, the cancelled booking has left the feed */
    assert_int_equal(fow_lab_feed_public(d->db, FOW_LAB_FEED_RESOURCE, "laser", NOW + 31 * 86400LL, &feed, &err),
                     FOW_OK);
    assert_int_equal(feed.n_events, 2);
    assert_null(strstr(feed.ics, "CANCELLED"));
    fow_lab_feed_free(&feed);

    assert_int_equal(fow_lab_feed_public(d->db, FOW_LAB_FEED_LAB, "design", NOW, &feed, &err), FOW_OK);
    assert_int_equal(feed.n_events, 16);
    assert_non_null(strstr(feed.ics, "SUMMARY:Booked: 3D printer\r\n"));
    fow_lab_feed_free(&feed);

    fow_error_clear(&err);
    assert_int_equal(fow_lab_feed_public(d->db, FOW_LAB_FEED_LAB, "nolab", NOW, &feed, &err), FOW_ENOTFOUND);
    assert_string_equal(err.field, "lab");
    fow_lab_feed_free(&feed);
}

static void test_person_feed(void **state) {
    ts_db *d = *state;
    fixture(d->db);
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_accounts_user_add(d->db, "acc" "pabcdefghijklmnopqrstuvwxaa", NULL, "analyst",
                                           "a long enough password 1", NOW, NULL, &err),
                     FOW_OK);
    char token[65], second[65];
    assert_int_equal(fow_lab_feed_token_new(d->db, "accpabcdefghijklmnopqrstuvwxaa", NOW, token, &err), FOW_OK);
    assert_int_equal(strlen(token), 64);
    fow_lab_feed feed;
    assert_int_equal(fow_lab_feed_person(d->db, token, NOW, &feed, &err), FOW_OK);
    assert_int_equal(feed.n_events, 1); /* the booking it made */
    char *text = unfold(feed.ics);
    assert_non_null(strstr(text, "SUMMARY:Laser cutter (Design Development)\r\n"));
    assert_non_null(strstr(text, "DESCRIPTION:Booking 1 of Laser cutter (Tăietor laser)\\, status completed\\, "
                                 "category resident.\\nNote: bring\\, gloves\\; and \\\\ goggles\r\n"));
    free(text);
    fow_lab_feed_free(&feed);

    /* a new token: the old one stops */
    assert_int_equal(fow_lab_feed_token_new(d->db, "accpabcdefghijklmnopqrstuvwxaa", NOW, second, &err), FOW_OK);
    assert_string_not_equal(token, second);
    fow_error_clear(&err);
    assert_int_equal(fow_lab_feed_person(d->db, token, NOW, &feed, &err), FOW_ENOTFOUND);
    assert_string_equal(err.field, "token");
    fow_lab_feed_free(&feed);
    assert_int_equal(fow_lab_feed_person(d->db, second, NOW, &feed, &err), FOW_OK);
    fow_lab_feed_free(&feed);
    fow_error_clear(&err);
    assert_int_equal(fow_lab_feed_person(d->db, "../etc", NOW, &feed, &err), FOW_EINPUT);
    fow_lab_feed_free(&feed);
}

static void test_projects(void **state) {
    ts_db *d = *state;
    fixture(d->db);
    fow_error err;
    fow_error_clear(&err);
    fow_lab_project p;
    memset(&p, 0, sizeof p);
    snprintf(p.lab, sizeof p.lab, "design");
    snprintf(p.person_id, sizeof p.person_id, "%s", person(0));
    snprintf(p.title, sizeof p.title, "Lămpi din lemn tăiat cu laserul");
    snprintf(p.outcome, sizeof p.outcome, "a start-up");
    snprintf(p.created_by, sizeof p.created_by, "lara");
    assert_int_equal(fow_lab_project_add(d->db, &p, NOW, &err), FOW_OK);
    assert_true(p.id > 0);
    fow_lab_project q = p;
    q.person_id[0] = '\0';
    snprintf(q.enterprise_code, sizeof q.enterprise_code, "12345678");
    snprintf(q.lab, sizeof q.lab, "cgi");
    assert_int_equal(fow_lab_project_add(d->db, &q, NOW + 1, &err), FOW_OK);
    struct {
        const char *lab, *person, *enterprise, *title;
        fow_code code;
        const char *field;
    } bad[] = {
        {"design", "", "", "t", FOW_EINPUT, "person"},
        {"design", "p123", "", "t", FOW_EINPUT, "person"},
        {"design", "", "12a", "t", FOW_EINPUT, "enterprise_code"},
        {"design", "", "123", "", FOW_EINPUT, "title"},
        {"nolab", "", "123", "t", FOW_ENOTFOUND, "lab"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        fow_lab_project b;
        memset(&b, 0, sizeof b);
        snprintf(b.lab, sizeof b.lab, "%s", bad[i].lab);
        snprintf(b.person_id, sizeof b.person_id, "%s", bad[i].person);
        snprintf(b.enterprise_code, sizeof b.enterprise_code, "%s", bad[i].enterprise);
        snprintf(b.title, sizeof b.title, "%s", bad[i].title);
        fow_error_clear(&err);
        assert_int_equal(fow_lab_project_add(d->db, &b, NOW, &err), bad[i].code);
        assert_string_equal(err.field, bad[i].field);
    }
    fow_lab_project *rows = NULL;
    size_t n = 0;
    assert_int_equal(fow_lab_projects_list(d->db, "", &rows, &n, &err), FOW_OK);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].lab, "cgi"); /* newest first */
    assert_string_equal(rows[1].title, "Lămpi din lemn tăiat cu laserul");
    char *csv = fow_lab_projects_csv(rows, n);
    assert_non_null(strstr(csv, "\"design\",\"pabcdefghijklmnopqrstuvwxaa\",\"\",\"Lămpi din lemn tăiat cu laserul\""));
    free(csv);
    free(rows);
    assert_int_equal(fow_lab_projects_list(d->db, "design", &rows, &n, &err), FOW_OK);
    assert_int_equal(n, 1);
    free(rows);

    /* the indicators' figures over the people they count */
    const char *counted[] = {person(0), person(1), person(2), person(10), "pzzzzzzzzzzzzzzzzzzzzzzzzzz"};
    fow_lab_people_figures f;
    assert_int_equal(fow_lab_people_figures_of(d->db, counted, 5, &f, &err), FOW_OK);
    assert_int_equal(f.users, 3);        /* 0, 1 and 10; 2 only cancelled */
    assert_int_equal(f.used, 1);         /* 0 checked in */
    assert_int_equal(f.minutes_used, 105);
    assert_int_equal(f.with_project, 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_usage_by_resource, ts_setup_db, ts_teardown_db),
        cmocka_unit_test_setup_teardown(test_usage_by_week, ts_setup_db, ts_teardown_db),
        cmocka_unit_test_setup_teardown(test_usage_by_category_suppression, ts_setup_db, ts_teardown_db),
        cmocka_unit_test_setup_teardown(test_usage_errors, ts_setup_db, ts_teardown_db),
        cmocka_unit_test_setup_teardown(test_public_feeds, ts_setup_db, ts_teardown_db),
        cmocka_unit_test_setup_teardown(test_person_feed, ts_setup_db, ts_teardown_db),
        cmocka_unit_test_setup_teardown(test_projects, ts_setup_db, ts_teardown_db),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
