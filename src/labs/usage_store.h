/* usage_store.h — the SQL of the labs' feeds, usage and projects
 * (src/labs/usage_store.c, a part of labs_store.c: tests/e2e/sql_owners.py).
 * For src/labs' own files only; other subjects call fow_lab_usage.h. */
#ifndef USAGE_STORE_H
#define USAGE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "store/fow_db.h"

/* A lab or a resource found by its code. */
typedef struct usage_place {
    int64_t id;
    int64_t lab_id;          /* the resource's lab (a lab: itself) */
    char code[41];
    char lab_code[41];
    char name_en[121], name_ro[121];
    char lab_name_en[121], lab_name_ro[121];
    char address[201];
} usage_place;

/* The lab of code into *out; *found false when none. FOW_EDB. */
fow_code usage_store_lab(fow_db *db, const char *code, usage_place *out, bool *found, fow_error *err);

/* The resource of code into *out; *found false when none. FOW_EDB. */
fow_code usage_store_resource(fow_db *db, const char *code, usage_place *out, bool *found, fow_error *err);

/* The resources of lab_id (0: every lab), by lab code then code, in the
 * malloc'd *out (*n; free() it, also on failure). FOW_EDB. */
fow_code usage_store_resources(fow_db *db, int64_t lab_id, usage_place **out, size_t *n, fow_error *err);

/* A booking as the feeds and the usage read it. */
typedef struct usage_booking {
    int64_t id;
    char uid[81];
    int64_t resource_id;
    int64_t starts_at, ends_at;
    char status[16];
    char person_id[32];
    char enterprise_code[16];
    char booked_by[65];
    char category[16];
    char group_name[121];
    int64_t group_size;
    char note[501];
    int64_t sequence;
    int64_t checked_in_at, checked_out_at;
    int64_t created_at, changed_at;
} usage_booking;

/* Which bookings to read. */
typedef struct usage_booking_filter {
    int64_t lab_id;          /* 0: any */
    int64_t resource_id;     /* 0: any */
    const char *account;     /* not NULL: those booked by it, or of person (below) */
    const char *person_id;   /* with account: "" none */
    int64_t starts_from;     /* starts_at >= */
    int64_t starts_before;   /* starts_at < */
    int64_t ends_after;      /* ends_at > (0: any) */
    int64_t cancelled_since; /* cancelled ones only when changed_at >= this (0: every cancelled one) */
} usage_booking_filter;

/* The bookings of f, by start then id, in the malloc'd *out (*n; free()
 * it, also on failure). FOW_EDB. */
fow_code usage_store_bookings(fow_db *db, const usage_booking_filter *f, usage_booking **out, size_t *n,
                              fow_error *err);

/* An opening interval of a lab on an ISO weekday (minutes of the day). */
typedef struct usage_hours {
    int64_t lab_id;
    int weekday, opens_minute, closes_minute;
} usage_hours;

/* Every lab's opening hours, by lab, weekday and opening. FOW_EDB. */
fow_code usage_store_hours(fow_db *db, usage_hours **out, size_t *n, fow_error *err);

/* A closure or maintenance window (resource_id 0: the whole lab). */
typedef struct usage_closure {
    int64_t lab_id, resource_id, starts_at, ends_at;
} usage_closure;

/* The closures overlapping [from, to), by start. FOW_EDB. */
fow_code usage_store_closures(fow_db *db, int64_t from, int64_t to, usage_closure **out, size_t *n,
                              fow_error *err);

/* Sets the feed token hash (64 hex digits) of account, replacing its
 * previous one. FOW_EDB. */
fow_code usage_store_token_put(fow_db *db, const char *account, const char *token_hash, int64_t now,
                               fow_error *err);

/* The account whose token hash is token_hash into account (65 bytes);
 * *found false when none. FOW_EDB. */
fow_code usage_store_token_account(fow_db *db, const char *token_hash, char account[65], bool *found,
                                   fow_error *err);

/* A project row (the lab as its id and code). */
typedef struct usage_project {
    int64_t id, lab_id;
    char lab_code[41];
    char person_id[32], enterprise_code[16];
    char title[801], summary[8001], outcome[8001], label_ref[481], startup_ref[481];
    int64_t created_at;
    char created_by[65];
} usage_project;

/* Inserts p (its id is set). FOW_EDB. */
fow_code usage_store_project_add(fow_db *db, usage_project *p, fow_error *err);

/* The projects of lab_id (0: all), newest first. FOW_EDB. */
fow_code usage_store_projects(fow_db *db, int64_t lab_id, usage_project **out, size_t *n, fow_error *err);

/* One person's lab figures (for the indicators). */
typedef struct usage_person_row {
    char person_id[32];
    int64_t bookings, checked_in, minutes_used, projects;
} usage_person_row;

/* Every person with a booking not cancelled or a project, by person id,
 * with their counts. FOW_EDB. */
fow_code usage_store_people(fow_db *db, usage_person_row **out, size_t *n, fow_error *err);

#endif
