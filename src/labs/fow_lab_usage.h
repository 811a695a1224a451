/* fow_lab_usage.h — the labs' calendar feeds, usage and outcomes (issue 15,
 * points 5 and 6; docs/labs-usage.md): iCalendar feeds per machine, per lab
 * and per person; hours booked and used, no-shows, utilisation per machine
 * and lab per ISO week, users by price category (cells under 10 people
 * suppressed); the projects carried out in the labs.
 *
 * Reads the labs' tables (src/labs/usage_store.c, a part of labs_store.c)
 * and writes only lab_feed_tokens and lab_projects. Times are Unix seconds
 * UTC; days and weeks are those of the lab's zone (Europe/Bucharest). */
#ifndef FOW_LAB_USAGE_H
#define FOW_LAB_USAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/fow_error.h"
#include "store/fow_db.h"

/* ---- calendar feeds ---------------------------------------------------- */

/* How long a cancelled booking stays in a feed (as STATUS:CANCELLED) after
 * its cancellation, so that calendar applications remove it: 30 days. */
#define FOW_LAB_FEED_CANCELLED_DAYS 30

/* Bookings listed: those ending at most 90 days before now and every later
 * one; cancelled ones changed in the last FOW_LAB_FEED_CANCELLED_DAYS. */
#define FOW_LAB_FEED_PAST_DAYS 90

typedef enum fow_lab_feed_kind {
    FOW_LAB_FEED_RESOURCE = 0, /* one machine or space: busy times, "Booked", no person */
    FOW_LAB_FEED_LAB,          /* every resource of a lab: busy times, no person */
    FOW_LAB_FEED_PERSON        /* an account's own bookings, by its secret token */
} fow_lab_feed_kind;

/* A feed made: the iCalendar text and the last change of what it lists. */
typedef struct fow_lab_feed {
    char *ics;                /* malloc'd RFC 5545 text (CRLF lines); free with fow_lab_feed_free */
    long long last_modified;  /* the latest changed_at of its bookings (0: none); for Last-Modified */
    size_t n_events;
} fow_lab_feed;

/* The feed of a resource (code, e.g. "laser-cutter-1") or of a lab (code,
 * e.g. "cgi-vfx") at time now into *out (zeroed first; free it with
 * fow_lab_feed_free, also after a failure). Public: each event says
 * "Booked" (SUMMARY), the resource and lab (LOCATION), and nothing of who.
 * FOW_ENOTFOUND (field "resource" / "lab") for an unknown code, FOW_EDB,
 * FOW_ENOMEM. */
fow_code fow_lab_feed_public(fow_db *db, fow_lab_feed_kind kind, const char *code, long long now,
                             fow_lab_feed *out, fow_error *err);

/* The feed of the account whose secret token is token (64 hex digits, as
 * fow_lab_feed_token_new gave it): the bookings it made and those of its
 * person (person_id, "" none), each with the resource, the lab, the
 * status and the note. FOW_ENOTFOUND (field "token") when no account has
 * that token (a replaced token finds nothing), FOW_EINPUT for a malformed
 * one, FOW_EDB, FOW_ENOMEM. */
fow_code fow_lab_feed_person(fow_db *db, const char *token, long long now, fow_lab_feed *out, fow_error *err);

void fow_lab_feed_free(fow_lab_feed *feed);

/* Makes a new random secret token for account (32 bytes of libsodium's
 * randomness as 64 hex digits into token_out) and stores only its SHA-256:
 * the account's previous token stops working at once. FOW_ENOTFOUND (field
 * "account") when there is no such account, FOW_EDB. */
fow_code fow_lab_feed_token_new(fow_db *db, const char *account, long long now, char token_out[65],
                                fow_error *err);

/* ---- usage ------------------------------------------------------------- */

typedef enum fow_lab_usage_by {
    FOW_LAB_USAGE_BY_WEEK = 0,   /* one row per ISO week (YYYY-Www of the lab's zone) */
    FOW_LAB_USAGE_BY_RESOURCE,   /* one row per resource */
    FOW_LAB_USAGE_BY_CATEGORY    /* one row per price category (school, university, ...) */
} fow_lab_usage_by;

/* "week", "resource", "category"; "?" out of range. */
const char *fow_lab_usage_by_name(fow_lab_usage_by by);

/* Parses a breakdown name into *out: 0, or -1 for anything else. */
int fow_lab_usage_by_parse(const char *text, fow_lab_usage_by *out);

/* What to count: bookings of the lab (or every lab: "") and resource (or
 * every one: "") starting on the local days from .. to (YYYY-MM-DD,
 * inclusive, at most 731 days). */
typedef struct fow_lab_usage_query {
    char lab[41];
    char resource[41];
    char from[11], to[11];
    fow_lab_usage_by by;
} fow_lab_usage_query;

/* One row (or the total). Hours are in minutes to stay exact.
 *   bookings        bookings not cancelled (confirmed, checked in,
 *                   completed, no-show)
 *   minutes_booked  their length
 *   minutes_used    checked in to checked out, of those checked out
 *   no_shows        bookings marked no-show
 *   cancelled       bookings cancelled
 *   minutes_open    the resources' opening time in the period: the lab's
 *                   hours per weekday, less public holidays and closures or
 *                   maintenance of the lab or the resource (not by category)
 *   utilisation     minutes_booked / minutes_open in percent (one decimal);
 *                   none when nothing was open
 *   people          distinct people (person_id) of those bookings;
 *                   suppressed when 1 to 9 (and complementary); in the rows
 *                   by category every other figure of a suppressed row is
 *                   suppressed with it (it would describe those people)
 *   enterprises     distinct enterprises (enterprise_code)
 *   group_seats     the group sizes of group bookings (seats, not people) */
typedef struct fow_lab_usage_row {
    char group[48];        /* "2027-W09", the resource's code, the category */
    char label_en[121];    /* the resource's name, "2027-W09 (1 Mar - 7 Mar)", the category */
    char label_ro[121];
    char lab[41];          /* by resource: the resource's lab */
    long long bookings, minutes_booked, minutes_used, no_shows, cancelled, minutes_open;
    long long people, enterprises, group_seats;
    bool has_open;          /* minutes_open is meaningful (not by category) */
    bool people_suppressed, people_complementary;
    bool row_suppressed;    /* by category: every figure hidden with people */
} fow_lab_usage_row;

typedef struct fow_lab_usage {
    fow_lab_usage_query query;
    long long computed_at;
    fow_lab_usage_row total;
    fow_lab_usage_row *rows;
    size_t n_rows;
    long suppressed_cells;
} fow_lab_usage;

/* Checks q (dates, their order and span; lab and resource known, the
 * resource in the lab when both are given) and computes the usage into
 * *out (free with fow_lab_usage_free, also after a failure). FOW_EINPUT
 * (field "from", "to", "by"), FOW_ENOTFOUND (field "lab" / "resource"),
 * FOW_EDB, FOW_ENOMEM. */
fow_code fow_lab_usage_compute(fow_db *db, const fow_lab_usage_query *q, long long now, fow_lab_usage *out,
                               fow_error *err);

void fow_lab_usage_free(fow_lab_usage *u);

/* Its JSON document (the same for the command line and the API) is
 * written by fow_result_lab_usage (src/service/fow_result_labs.h). */

/* The same table as CSV (RFC 4180, header row, the total last with group
 * "total"); a suppressed cell is the word "suppressed". A malloc'd string,
 * NULL when out of memory. */
char *fow_lab_usage_csv(const fow_lab_usage *u);

/* ---- projects ---------------------------------------------------------- */

typedef struct fow_lab_project {
    long long id;
    char lab[41];               /* the lab's code */
    char person_id[32];         /* pseudonymous people id ("" none) */
    char enterprise_code[16];   /* CUI, digits ("" none) */
    char title[801];      /* 200 characters of UTF-8 */
    char summary[8001];
    char outcome[8001];
    char label_ref[481];
    char startup_ref[481];
    long long created_at;
    char created_by[65];
} fow_lab_project;

/* Records a project of lab p->lab for p->person_id or p->enterprise_code
 * (at least one; a person id is 'p' and 26 base32 characters, a CUI 2 to
 * 10 digits); title 1..200 characters, summary and outcome up to 2000;
 * created_by is the account. Sets p->id and p->created_at (now).
 * FOW_EINPUT naming the field, FOW_ENOTFOUND (field "lab"), FOW_EDB. */
fow_code fow_lab_project_add(fow_db *db, fow_lab_project *p, long long now, fow_error *err);

/* The projects of lab (code; "" every lab), newest first, in the malloc'd
 * *out (*n of them; free() it, also on failure). FOW_ENOTFOUND (field
 * "lab"), FOW_EDB. */
fow_code fow_lab_projects_list(fow_db *db, const char *lab, fow_lab_project **out, size_t *n, fow_error *err);

/* The projects as CSV (header row). A malloc'd string, NULL when out of memory. */
char *fow_lab_projects_csv(const fow_lab_project *rows, size_t n);

/* ---- for the programme indicators (src/indicators) --------------------- */

/* Over the people ids given (those the indicators count):
 *   users        people with a booking not cancelled
 *   used         people with a booking checked in
 *   minutes_used their checked-in to checked-out time
 *   projects     people with a project recorded
 * Unsuppressed: the caller suppresses. FOW_EDB, FOW_ENOMEM. */
typedef struct fow_lab_people_figures {
    long users, used, with_project;
    long long minutes_used;
} fow_lab_people_figures;

fow_code fow_lab_people_figures_of(fow_db *db, const char *const *person_ids, size_t n,
                                   fow_lab_people_figures *out, fow_error *err);

#endif
