/* fow_lab_time.h — local time of the labs (Europe/Bucharest) and UTC
 * (issue 15; docs/labs.md "Times").
 *
 * Stored times are Unix seconds UTC; people read and write the local time
 * of the lab's zone, Europe/Bucharest: EET (UTC+02:00) in winter, EEST
 * (UTC+03:00) from the last Sunday of March 03:00 local (01:00 UTC) to the
 * last Sunday of October 04:00 local (01:00 UTC), the rule of the EU
 * (Directive 2000/84/EC) that Romania follows. The rule is computed here in
 * C (no setenv("TZ"), no tz database), valid for the years 1971..2999.
 *
 * Parsing is strict: exactly "YYYY-MM-DDTHH:MM", "YYYY-MM-DD" or "HH:MM",
 * digits with leading zeros, no seconds, no offset, no spaces; an error
 * names the field given by the caller and what is wrong. None of these
 * functions allocate.
 */
#ifndef FOW_LAB_TIME_H
#define FOW_LAB_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "base/fow_error.h"

#define FOW_LAB_TIMEZONE "Europe/Bucharest"

/* A local date and time of the labs' zone, to the minute. */
typedef struct fow_lab_local {
    int year;   /* 1971..2999 */
    int month;  /* 1..12 */
    int day;    /* 1..31, valid for the month */
    int hour;   /* 0..23 */
    int minute; /* 0..59 */
} fow_lab_local;

/* Parses "YYYY-MM-DDTHH:MM" (local time) into *out. FOW_EINPUT naming field
 * (e.g. "start") when the form, the month, the day of the month, the hour or
 * the minute is wrong. Does not check that the time exists (see
 * fow_lab_local_to_utc). */
fow_code fow_lab_parse_datetime(const char *text, const char *field, fow_lab_local *out, fow_error *err);

/* Parses "YYYY-MM-DD" into *out (hour and minute 0). FOW_EINPUT naming field
 * otherwise (wrong form, month 13, 31 April, 29 February of a common year). */
fow_code fow_lab_parse_date(const char *text, const char *field, fow_lab_local *out, fow_error *err);

/* Parses "HH:MM" into *minute_of_day (0..1439). With allow_end_of_day,
 * "24:00" is also accepted (1440: a closing time). FOW_EINPUT naming field
 * otherwise. */
fow_code fow_lab_parse_time(const char *text, const char *field, int allow_end_of_day, int *minute_of_day,
                            fow_error *err);

/* The UTC instant of a local time into *utc. A local time that does not
 * exist (03:00..03:59 of the last Sunday of March, skipped by the clocks)
 * is FOW_EINPUT naming field; a local time that happens twice (03:00..03:59
 * of the last Sunday of October) is taken at its first occurrence, in summer
 * time (EEST, +03:00). FOW_EINPUT also when *local is not a valid date and
 * time of 1971..2999. */
fow_code fow_lab_local_to_utc(const fow_lab_local *local, const char *field, int64_t *utc, fow_error *err);

/* The local time of a UTC instant (seconds dropped) into *out and, when
 * offset_minutes is not NULL, its offset from UTC (120 or 180). Can't fail
 * for 1971..2999; instants outside are clamped to that range. */
void fow_lab_utc_to_local(int64_t utc, fow_lab_local *out, int *offset_minutes);

/* The offset from UTC in minutes (120 in winter, 180 in summer time) at the
 * UTC instant utc. */
int fow_lab_offset_minutes(int64_t utc);

/* The ISO 8601 weekday of a date: 1 Monday .. 7 Sunday. The date must be
 * valid (e.g. from fow_lab_parse_date). */
int fow_lab_weekday(int year, int month, int day);

/* Days since 1970-01-01 of a date (proleptic Gregorian), and back. */
int64_t fow_lab_days_from_date(int year, int month, int day);
void fow_lab_date_from_days(int64_t days, int *year, int *month, int *day);

/* The number of days of a month (28..31). */
int fow_lab_days_in_month(int year, int month);

/* The UTC instant of local midnight starting the date (00:00 always exists
 * in Europe/Bucharest). The date must be valid. */
int64_t fow_lab_day_start_utc(int year, int month, int day);

/* Writers (each returns buf; buf must hold at least the sizes below):
 * "YYYY-MM-DDTHH:MM+02:00" (FOW_LAB_ISO_SIZE) of the UTC instant utc;
 * "YYYY-MM-DDTHH:MM" (FOW_LAB_ISO_SIZE) of a local time;
 * "YYYY-MM-DD" (11) of a local time; "HH:MM" (6) of a minute of the day
 * (0..1440; 1440 is written "24:00"). */
#define FOW_LAB_ISO_SIZE 24
char *fow_lab_format_utc(int64_t utc, char *buf, size_t n);
char *fow_lab_format_local(const fow_lab_local *local, char *buf, size_t n);
char *fow_lab_format_date(const fow_lab_local *local, char *buf, size_t n);
char *fow_lab_format_minute(int minute_of_day, char *buf, size_t n);

#endif
