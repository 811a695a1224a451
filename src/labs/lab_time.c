/* lab_time.c — Europe/Bucharest local time and UTC, computed (fow_lab_time.h). */
#include "labs/fow_lab_time.h"

#include <stdio.h>
#include <string.h>

#define MIN_YEAR 1971
#define MAX_YEAR 2999

static int is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int fow_lab_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

/* Days since 1970-01-01: counted in eras of 400 years starting 1 March, so
 * that the leap day is the last day of a counted year. */
int64_t fow_lab_days_from_date(int year, int month, int day)
{
    int64_t y = month <= 2 ? (int64_t)year - 1 : year;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t year_of_era = y - era * 400;
    int64_t month_from_march = month > 2 ? month - 3 : month + 9;
    int64_t day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

void fow_lab_date_from_days(int64_t days, int *year, int *month, int *day)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t day_of_era = z - era * 146097;
    int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t month_from_march = (5 * day_of_year + 2) / 153;
    int d = (int)(day_of_year - (153 * month_from_march + 2) / 5 + 1);
    int m = (int)(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
    *year = (int)(year_of_era + era * 400 + (m <= 2));
    *month = m;
    *day = d;
}

int fow_lab_weekday(int year, int month, int day)
{
    int64_t days = fow_lab_days_from_date(year, month, day);
    /* 1970-01-01 was a Thursday (4) */
    int64_t weekday = ((days % 7) + 7 + 3) % 7;
    return (int)weekday + 1;
}

/* The day (days since the epoch) of the last Sunday of a month. */
static int64_t last_sunday(int year, int month)
{
    int last = fow_lab_days_in_month(year, month);
    int weekday = fow_lab_weekday(year, month, last);
    return fow_lab_days_from_date(year, month, last) - (weekday % 7);
}

/* Summer time runs from 01:00 UTC of the last Sunday of March to 01:00 UTC
 * of the last Sunday of October. */
static void summer_bounds(int year, int64_t *starts, int64_t *ends)
{
    *starts = last_sunday(year, 3) * 86400 + 3600;
    *ends = last_sunday(year, 10) * 86400 + 3600;
}

int fow_lab_offset_minutes(int64_t utc)
{
    int year, month, day;
    int64_t days = utc >= 0 ? utc / 86400 : -((-utc + 86399) / 86400);
    fow_lab_date_from_days(days, &year, &month, &day);
    int64_t starts, ends;
    summer_bounds(year, &starts, &ends);
    return utc >= starts && utc < ends ? 180 : 120;
}

static int64_t clamp_utc(int64_t utc)
{
    int64_t lowest = fow_lab_days_from_date(MIN_YEAR, 1, 1) * 86400;
    int64_t highest = fow_lab_days_from_date(MAX_YEAR, 12, 31) * 86400 + 86400 - 3 * 3600 - 1;
    return utc < lowest ? lowest : utc > highest ? highest : utc;
}

void fow_lab_utc_to_local(int64_t utc, fow_lab_local *out, int *offset_minutes)
{
    utc = clamp_utc(utc);
    int offset = fow_lab_offset_minutes(utc);
    int64_t local = utc + (int64_t)offset * 60;
    int64_t days = local / 86400;
    int64_t second_of_day = local - days * 86400;
    fow_lab_date_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(second_of_day / 3600);
    out->minute = (int)(second_of_day % 3600 / 60);
    if (offset_minutes)
        *offset_minutes = offset;
}

static fow_code check_local(const fow_lab_local *local, const char *field, fow_error *err)
{
    if (local->year < MIN_YEAR || local->year > MAX_YEAR)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s: the year %d is outside %d..%d", field,
                                local->year, MIN_YEAR, MAX_YEAR);
    if (local->month < 1 || local->month > 12)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s: the month %02d is not 01..12", field,
                                local->month);
    int days = fow_lab_days_in_month(local->year, local->month);
    if (local->day < 1 || local->day > days)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field,
                                "%s: the day %02d is not a day of %04d-%02d (it has %d days)", field, local->day,
                                local->year, local->month, days);
    if (local->hour < 0 || local->hour > 23)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s: the hour %02d is not 00..23", field,
                                local->hour);
    if (local->minute < 0 || local->minute > 59)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s: the minute %02d is not 00..59", field,
                                local->minute);
    return FOW_OK;
}

fow_code fow_lab_local_to_utc(const fow_lab_local *local, const char *field, int64_t *utc, fow_error *err)
{
    fow_code code = check_local(local, field, err);
    if (code != FOW_OK)
        return code;
    int64_t wall = fow_lab_days_from_date(local->year, local->month, local->day) * 86400 +
                   (int64_t)local->hour * 3600 + (int64_t)local->minute * 60;
    /* try summer time first: an ambiguous autumn hour is its first occurrence */
    int64_t as_summer = wall - 3 * 3600;
    if (fow_lab_offset_minutes(as_summer) == 180) {
        *utc = as_summer;
        return FOW_OK;
    }
    int64_t as_winter = wall - 2 * 3600;
    if (fow_lab_offset_minutes(as_winter) == 120) {
        *utc = as_winter;
        return FOW_OK;
    }
    return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field,
                            "%s: %04d-%02d-%02dT%02d:%02d does not exist in %s (the clocks go from 03:00 to 04:00 "
                            "that night)",
                            field, local->year, local->month, local->day, local->hour, local->minute,
                            FOW_LAB_TIMEZONE);
}

int64_t fow_lab_day_start_utc(int year, int month, int day)
{
    int64_t midnight = fow_lab_days_from_date(year, month, day) * 86400;
    int64_t as_summer = midnight - 3 * 3600;
    return fow_lab_offset_minutes(as_summer) == 180 ? as_summer : midnight - 2 * 3600;
}

/* Reads exactly count digits at text into *value; 0 when one is not a digit. */
static int read_digits(const char *text, int count, int *value)
{
    int v = 0;
    for (int i = 0; i < count; i++) {
        if (text[i] < '0' || text[i] > '9')
            return 0;
        v = v * 10 + (text[i] - '0');
    }
    *value = v;
    return 1;
}

static fow_code parse_date_part(const char *text, const char *field, const char *form, fow_lab_local *out,
                                fow_error *err)
{
    if (!read_digits(text, 4, &out->year) || text[4] != '-' || !read_digits(text + 5, 2, &out->month) ||
        text[7] != '-' || !read_digits(text + 8, 2, &out->day))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s: \"%.40s\" is not a date of the form %s", field,
                                text, form);
    return FOW_OK;
}

fow_code fow_lab_parse_date(const char *text, const char *field, fow_lab_local *out, fow_error *err)
{
    if (!text)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s: a date YYYY-MM-DD is required", field);
    fow_lab_local parsed = {0};
    if (strlen(text) != 10)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s: \"%.40s\" is not a date of the form YYYY-MM-DD",
                                field, text);
    fow_code code = parse_date_part(text, field, "YYYY-MM-DD", &parsed, err);
    if (code == FOW_OK)
        code = check_local(&parsed, field, err);
    if (code == FOW_OK)
        *out = parsed;
    return code;
}

fow_code fow_lab_parse_datetime(const char *text, const char *field, fow_lab_local *out, fow_error *err)
{
    if (!text)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field,
                                "%s: a local date and time YYYY-MM-DDTHH:MM is required", field);
    fow_lab_local parsed = {0};
    if (strlen(text) != 16 || text[10] != 'T' || text[13] != ':' || parse_date_part(text, field, "", &parsed, NULL) ||
        !read_digits(text + 11, 2, &parsed.hour) || !read_digits(text + 14, 2, &parsed.minute))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field,
                                "%s: \"%.40s\" is not a local date and time of the form YYYY-MM-DDTHH:MM (%s)", field,
                                text, FOW_LAB_TIMEZONE);
    fow_code code = check_local(&parsed, field, err);
    if (code == FOW_OK)
        *out = parsed;
    return code;
}

fow_code fow_lab_parse_time(const char *text, const char *field, int allow_end_of_day, int *minute_of_day,
                            fow_error *err)
{
    int hour, minute;
    if (!text || strlen(text) != 5 || text[2] != ':' || !read_digits(text, 2, &hour) ||
        !read_digits(text + 3, 2, &minute))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s: \"%.40s\" is not a time of the form HH:MM",
                                field, text ? text : "");
    if (allow_end_of_day && hour == 24 && minute == 0) {
        *minute_of_day = 1440;
        return FOW_OK;
    }
    if (hour > 23)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s: the hour %02d is not 00..%s", field, hour,
                                allow_end_of_day ? "23 (or 24:00)" : "23");
    if (minute > 59)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s: the minute %02d is not 00..59", field,
                                minute);
    *minute_of_day = hour * 60 + minute;
    return FOW_OK;
}

char *fow_lab_format_local(const fow_lab_local *local, char *buf, size_t n)
{
    snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d", local->year, local->month, local->day, local->hour, local->minute);
    return buf;
}

char *fow_lab_format_utc(int64_t utc, char *buf, size_t n)
{
    fow_lab_local local;
    int offset;
    fow_lab_utc_to_local(utc, &local, &offset);
    snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d+%02d:%02d", local.year, local.month, local.day, local.hour,
             local.minute, offset / 60, offset % 60);
    return buf;
}

char *fow_lab_format_date(const fow_lab_local *local, char *buf, size_t n)
{
    snprintf(buf, n, "%04d-%02d-%02d", local->year, local->month, local->day);
    return buf;
}

char *fow_lab_format_minute(int minute_of_day, char *buf, size_t n)
{
    if (minute_of_day < 0)
        minute_of_day = 0;
    if (minute_of_day > 1440)
        minute_of_day = 1440;
    snprintf(buf, n, "%02d:%02d", minute_of_day / 60, minute_of_day % 60);
    return buf;
}
