/* bookings_store.h — the SQL of the labs' bookings (src/labs/bookings_store.c,
 * a part of labs_store.c in tests/e2e/sql_owners.py): lab_bookings,
 * lab_waitlist, lab_series, and the reads of the catalogue tables
 * (labs, lab_resources, lab_opening_hours, lab_closures, lab_prices) that
 * availability and booking need. For src/labs' own files only. Every
 * function returns FOW_EDB naming what it did when SQLite fails. */
#ifndef BOOKINGS_STORE_H
#define BOOKINGS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "labs/fow_bookings.h"
#include "store/fow_db.h"

/* A resource with what bookings need of its lab. */
typedef struct bstore_resource {
    int64_t id, lab_id;
    char code[65], lab_code[65], kind[8];
    int slot_minutes, max_slots, capacity;
    bool active;
    int64_t provider_id; /* the lab's operator, 0 none */
    int cancel_deadline_hours, late_cancel_fee_percent, offer_hours;
} bstore_resource;

typedef struct bstore_hours {
    int weekday, opens, closes; /* minutes of the local day */
} bstore_hours;

typedef struct bstore_closure {
    int64_t id, resource_id; /* 0: the whole lab */
    char kind[12];           /* closure, maintenance */
    int64_t starts_at, ends_at;
    char reason[257];
} bstore_closure;

typedef struct bstore_busy {
    int64_t resource_id, starts_at, ends_at;
    bool offer; /* a live offer of the waiting list, not a booking */
    char account[65]; /* an offer's account */
} bstore_busy;

fow_code bstore_resource_by_code(fow_db *db, const char *code, bstore_resource *out, bool *found, fow_error *err);
fow_code bstore_resource_by_id(fow_db *db, int64_t id, bstore_resource *out, bool *found, fow_error *err);
/* The active resources of the lab with code, by code; *found false for no such lab. */
fow_code bstore_lab_resources(fow_db *db, const char *lab_code, int64_t *lab_id, bool *found, bstore_resource **out,
                              size_t *n, fow_error *err);
fow_code bstore_hours_get(fow_db *db, int64_t lab_id, bstore_hours **out, size_t *n, fow_error *err);
/* Closures of lab_id (of the whole lab, or of resource_id; 0: of any
 * resource) overlapping [from, to), by start. */
fow_code bstore_closures(fow_db *db, int64_t lab_id, int64_t resource_id, int64_t from, int64_t to,
                         bstore_closure **out, size_t *n, fow_error *err);
/* Live bookings and live offers (offer_expires_at > now) of resource_id
 * (0: of every resource of lab_id) overlapping [from, to), by resource and
 * start; exclude_booking (0: none) is left out. */
fow_code bstore_busy_get(fow_db *db, int64_t lab_id, int64_t resource_id, int64_t from, int64_t to, int64_t now,
                     int64_t exclude_booking, bstore_busy **out, size_t *n, fow_error *err);
/* The price per hour of resource in category: *found, *per_hour, currency. */
fow_code bstore_price(fow_db *db, int64_t resource_id, const char *category, bool *found, int64_t *per_hour,
                      char currency[4], fow_error *err);

/* ---- bookings ---- */
/* key: the idempotency key (NULL or "": none). */
fow_code bstore_booking_insert(fow_db *db, const fow_lab_booking *b, int64_t resource_id, const char *key, int64_t *id,
                               bool *overlap, fow_error *err);
fow_code bstore_booking_get(fow_db *db, int64_t id, fow_lab_booking *out, bool *found, fow_error *err);
fow_code bstore_booking_id_by_key(fow_db *db, const char *key, int64_t *id, fow_error *err);
/* Sets times, price, status and the attendance fields of b (by b->id), sequence + 1;
 * *overlap when the triggers refused the times. */
fow_code bstore_booking_update(fow_db *db, const fow_lab_booking *b, bool *overlap, fow_error *err);
fow_code bstore_bookings_mine(fow_db *db, const char *account, const char *person, long limit, fow_lab_booking **out,
                              size_t *n, fow_error *err);
fow_code bstore_bookings_between(fow_db *db, int64_t lab_id, int64_t from, int64_t to, fow_lab_booking **out,
                                 size_t *n, fow_error *err);

/* ---- the waiting list ---- */
fow_code bstore_wait_insert(fow_db *db, const fow_lab_wait *e, int64_t resource_id, int64_t *id, fow_error *err);
fow_code bstore_wait_get(fow_db *db, int64_t id, fow_lab_wait *out, bool *found, fow_error *err);
/* The live entry (waiting or offered) of account for exactly [from, to) of resource_id. */
fow_code bstore_wait_live_of(fow_db *db, int64_t resource_id, const char *account, int64_t from, int64_t to,
                             int64_t *id, fow_error *err);
fow_code bstore_waits_of_account(fow_db *db, const char *account, fow_lab_wait **out, size_t *n, fow_error *err);
/* Offered entries whose offer ended at or before now. */
fow_code bstore_waits_expired_offers(fow_db *db, int64_t now, fow_lab_wait **out, size_t *n, fow_error *err);
/* *due 1 when some offered entry ended at or before now, else 0. */
fow_code bstore_waits_due(fow_db *db, int64_t now, int64_t *due, fow_error *err);
/* Waiting entries of resource_id overlapping [from, to), first come first. */
fow_code bstore_waits_waiting(fow_db *db, int64_t resource_id, int64_t from, int64_t to, fow_lab_wait **out,
                              size_t *n, fow_error *err);
fow_code bstore_wait_set(fow_db *db, int64_t id, const char *status, int64_t offered_at, int64_t expires_at,
                         int64_t booking_id, fow_error *err);
/* 1-based position of entry e among the waiting entries of its resource overlapping it. */
fow_code bstore_wait_position(fow_db *db, int64_t id, long *position, fow_error *err);
/* The resource id of a waiting entry. */
fow_code bstore_wait_resource(fow_db *db, int64_t id, int64_t *resource_id, fow_error *err);

/* ---- series ---- */
fow_code bstore_series_insert(fow_db *db, int64_t resource_id, int weekday, int start_minute, int minutes,
                              const char *first_day, const char *last_day, const char *actor, int64_t now,
                              int64_t *id, fow_error *err);

/* Series id counted at now (fow_lab_series); *found. */
fow_code bstore_series_get(fow_db *db, int64_t id, int64_t now, fow_lab_series *out, bool *found, fow_error *err);
/* The series made by account ("": every one), newest first, at most 500, counted at now. */
fow_code bstore_series_list(fow_db *db, const char *account, int64_t now, fow_lab_series **out, size_t *n,
                            fow_error *err);
/* The bookings of series id that are confirmed and start after now, by start. */
fow_code bstore_series_upcoming(fow_db *db, int64_t id, int64_t now, fow_lab_booking **out, size_t *n,
                                fow_error *err);
fow_code bstore_series_set_status(fow_db *db, int64_t id, const char *status, fow_error *err);

#endif
