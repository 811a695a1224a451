/* test_lab_time.c — Europe/Bucharest local time <-> UTC (src/labs/lab_time.c):
 * instants checked against values computed independently (Python's zoneinfo
 * with the IANA tz database, 2026-12), the two change days of 2026 and 2027
 * (the skipped hour refused, the repeated hour taken in summer time), a
 * round trip every 15 minutes over 2026-2028, ISO weekdays, and the strict
 * parsers with errors naming the field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "labs/fow_lab_time.h"

static int64_t to_utc(const char *text)
{
    fow_lab_local local;
    fow_error err;
    assert_int_equal(fow_lab_parse_datetime(text, "start", &local, &err), FOW_OK);
    int64_t utc = 0;
    assert_int_equal(fow_lab_local_to_utc(&local, "start", &utc, &err), FOW_OK);
    return utc;
}

static void test_known_instants(void **state)
{
    (void)state;
    /* from Python: datetime.fromisoformat(s).replace(tzinfo=ZoneInfo('Europe/Bucharest')).timestamp() */
    assert_int_equal(to_utc("2026-03-29T02:59"), 1774745940);
    assert_int_equal(to_utc("2026-03-29T04:00"), 1774746000);
    assert_int_equal(to_utc("2026-10-25T03:30"), 1792888200); /* first occurrence, +03:00 */
    assert_int_equal(to_utc("2026-10-25T04:00"), 1792893600);
    assert_int_equal(to_utc("2027-03-01T10:00"), 1803888000);
    assert_int_equal(to_utc("2027-03-28T04:00"), 1806195600);
    assert_int_equal(to_utc("2027-10-31T02:00"), 1824937200);
    assert_int_equal(to_utc("2026-12-31T23:59"), 1798754340);
    assert_int_equal(to_utc("2028-02-29T12:00"), 1835431200);
    char buf[FOW_LAB_ISO_SIZE];
    assert_string_equal(fow_lab_format_utc(1803888000, buf, sizeof buf), "2027-03-01T10:00+02:00");
    assert_string_equal(fow_lab_format_utc(1792888200, buf, sizeof buf), "2026-10-25T03:30+03:00");
    /* the second 03:30 of 2026-10-25, an hour later, is in winter time */
    assert_string_equal(fow_lab_format_utc(1792888200 + 3600, buf, sizeof buf), "2026-10-25T03:30+02:00");
    assert_string_equal(fow_lab_format_utc(1774746000 - 60, buf, sizeof buf), "2026-03-29T02:59+02:00");
    assert_string_equal(fow_lab_format_utc(1774746000, buf, sizeof buf), "2026-03-29T04:00+03:00");
}

static void test_skipped_hour_refused(void **state)
{
    (void)state;
    const char *skipped[] = {"2026-03-29T03:00", "2026-03-29T03:59", "2027-03-28T03:30"};
    for (size_t i = 0; i < sizeof skipped / sizeof *skipped; i++) {
        fow_lab_local local;
        fow_error err;
        assert_int_equal(fow_lab_parse_datetime(skipped[i], "start", &local, &err), FOW_OK);
        int64_t utc = -1;
        assert_int_equal(fow_lab_local_to_utc(&local, "start", &utc, &err), FOW_EINPUT);
        assert_string_equal(err.field, "start");
        assert_non_null(strstr(err.message, "does not exist"));
        assert_int_equal(utc, -1);
    }
}

static void test_offsets_and_day_lengths(void **state)
{
    (void)state;
    assert_int_equal(fow_lab_offset_minutes(1803888000), 120);
    assert_int_equal(fow_lab_offset_minutes(1806195600), 180);
    /* the change days are 23 and 25 hours long */
    assert_int_equal(fow_lab_day_start_utc(2026, 3, 30) - fow_lab_day_start_utc(2026, 3, 29), 23 * 3600);
    assert_int_equal(fow_lab_day_start_utc(2026, 10, 26) - fow_lab_day_start_utc(2026, 10, 25), 25 * 3600);
    assert_int_equal(fow_lab_day_start_utc(2027, 3, 29) - fow_lab_day_start_utc(2027, 3, 28), 23 * 3600);
    assert_int_equal(fow_lab_day_start_utc(2027, 11, 1) - fow_lab_day_start_utc(2027, 10, 31), 25 * 3600);
    assert_int_equal(fow_lab_day_start_utc(2027, 3, 2) - fow_lab_day_start_utc(2027, 3, 1), 24 * 3600);
}

static void test_round_trip(void **state)
{
    (void)state;
    int64_t first = fow_lab_day_start_utc(2026, 1, 1), last = fow_lab_day_start_utc(2029, 1, 1);
    int repeated = 0;
    for (int64_t utc = first; utc < last; utc += 900) {
        fow_lab_local local;
        int offset;
        fow_lab_utc_to_local(utc, &local, &offset);
        int64_t back = 0;
        fow_error err;
        assert_int_equal(fow_lab_local_to_utc(&local, "t", &back, &err), FOW_OK);
        if (back != utc) {
            /* only the second occurrence of the repeated autumn hour differs */
            assert_int_equal(back, utc - 3600);
            assert_int_equal(offset, 120);
            assert_int_equal(local.hour, 3);
            repeated++;
        }
    }
    assert_int_equal(repeated, 3 * 4); /* one hour of 4 quarters, three autumns */
}

static void test_weekday_and_days(void **state)
{
    (void)state;
    assert_int_equal(fow_lab_weekday(2027, 3, 1), 1);
    assert_int_equal(fow_lab_weekday(2026, 3, 29), 7);
    assert_int_equal(fow_lab_weekday(2026, 12, 31), 4);
    assert_int_equal(fow_lab_weekday(1970, 1, 1), 4);
    assert_int_equal(fow_lab_weekday(2028, 2, 29), 2);
    assert_int_equal(fow_lab_days_from_date(1970, 1, 1), 0);
    for (int64_t d = 0; d < 40000; d += 13) {
        int y, m, day;
        fow_lab_date_from_days(d, &y, &m, &day);
        assert_int_equal(fow_lab_days_from_date(y, m, day), d);
    }
    assert_int_equal(fow_lab_days_in_month(2028, 2), 29);
    assert_int_equal(fow_lab_days_in_month(2100, 2), 28);
    assert_int_equal(fow_lab_days_in_month(2000, 2), 29);
}

static void expect_bad_datetime(const char *text, const char *says)
{
    fow_lab_local local = {.year = 7};
    fow_error err;
    assert_int_equal(fow_lab_parse_datetime(text, "start", &local, &err), FOW_EINPUT);
    assert_string_equal(err.field, "start");
    assert_non_null(strstr(err.message, "start"));
    if (!strstr(err.message, says))
        fail_msg("%s: \"%s\" lacks \"%s\"", text, err.message, says);
    assert_int_equal(local.year, 7); /* nothing written */
}

static void test_parse_strict(void **state)
{
    (void)state;
    expect_bad_datetime("2027-03-01 10:00", "YYYY-MM-DDTHH:MM");
    expect_bad_datetime("2027-03-01T10:00:00", "YYYY-MM-DDTHH:MM");
    expect_bad_datetime("2027-03-01T10:00+02:00", "YYYY-MM-DDTHH:MM");
    expect_bad_datetime("2027-3-01T10:00", "YYYY-MM-DDTHH:MM");
    expect_bad_datetime("", "YYYY-MM-DDTHH:MM");
    expect_bad_datetime(NULL, "required");
    expect_bad_datetime("2027-13-01T10:00", "month 13");
    expect_bad_datetime("2027-04-31T10:00", "day 31");
    expect_bad_datetime("2027-02-29T10:00", "day 29");
    expect_bad_datetime("2027-03-01T24:00", "hour 24");
    expect_bad_datetime("2027-03-01T10:60", "minute 60");
    expect_bad_datetime("1900-03-01T10:00", "year 1900");

    fow_lab_local local;
    fow_error err;
    assert_int_equal(fow_lab_parse_date("2028-02-29", "from", &local, &err), FOW_OK);
    assert_int_equal(local.day, 29);
    assert_int_equal(fow_lab_parse_date("2027-02-29", "from", &local, &err), FOW_EINPUT);
    assert_string_equal(err.field, "from");
    assert_int_equal(fow_lab_parse_date("2027-02-1", "to", &local, &err), FOW_EINPUT);
    assert_string_equal(err.field, "to");
    assert_int_equal(fow_lab_parse_date("2027-02-01x", "to", &local, &err), FOW_EINPUT);

    int minute = -1;
    assert_int_equal(fow_lab_parse_time("09:30", "opens", 0, &minute, &err), FOW_OK);
    assert_int_equal(minute, 570);
    assert_int_equal(fow_lab_parse_time("24:00", "closes", 1, &minute, &err), FOW_OK);
    assert_int_equal(minute, 1440);
    minute = -1;
    assert_int_equal(fow_lab_parse_time("24:00", "opens", 0, &minute, &err), FOW_EINPUT);
    assert_string_equal(err.field, "opens");
    assert_int_equal(fow_lab_parse_time("9:30", "opens", 0, &minute, &err), FOW_EINPUT);
    assert_int_equal(fow_lab_parse_time("09:75", "opens", 0, &minute, &err), FOW_EINPUT);
    assert_non_null(strstr(err.message, "minute 75"));
    assert_int_equal(fow_lab_parse_time(NULL, "opens", 0, &minute, &err), FOW_EINPUT);
    assert_int_equal(minute, -1);

    char buf[FOW_LAB_ISO_SIZE];
    assert_string_equal(fow_lab_format_minute(1440, buf, sizeof buf), "24:00");
    assert_string_equal(fow_lab_format_minute(545, buf, sizeof buf), "09:05");
    fow_lab_local x = {2027, 3, 1, 9, 5};
    assert_string_equal(fow_lab_format_local(&x, buf, sizeof buf), "2027-03-01T09:05");
    assert_string_equal(fow_lab_format_date(&x, buf, sizeof buf), "2027-03-01");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_instants),    cmocka_unit_test(test_skipped_hour_refused),
        cmocka_unit_test(test_offsets_and_day_lengths), cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_weekday_and_days), cmocka_unit_test(test_parse_strict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
