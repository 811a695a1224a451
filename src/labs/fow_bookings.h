/* fow_bookings.h — bookings of the CREIC labs' spaces and machines (issue 15,
 * points 3 and 4; docs/labs-bookings.md): availability on the slot grid,
 * booking with its payment (a lab_time voucher through the ledger, an
 * invoice, or free), change, cancellation with the lab's policy, the waiting
 * list with its automatic offer, weekly series of schools and universities,
 * group bookings by teachers, check-in, check-out and no-shows by staff.
 *
 * Times: stored as Unix seconds UTC; given and shown as local times of the
 * lab's zone (Europe/Bucharest), "YYYY-MM-DDTHH:MM". Every function that
 * depends on the time takes now (Unix seconds), so tests simulate it.
 *
 * Refusals a user can act on (the slot is taken, the training is missing,
 * the lab is closed, ...) fill a fow_lab_refusal besides the fow_error: its
 * code is a message code of fow_msg.h ("labs.slot_taken") with its
 * parameters, and the HTTP status the API answers with (409 or 422). Other
 * failures leave the refusal's code empty.
 */
#ifndef FOW_BOOKINGS_H
#define FOW_BOOKINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "base/fow_jw.h"
#include "store/fow_db.h"

struct fow_people; /* people/fow_people.h: may be NULL where said */

/* Longest range of one resource's availability, and of a whole lab's. */
#define FOW_LAB_AVAILABILITY_MAX_DAYS 400
#define FOW_LAB_AVAILABILITY_LAB_MAX_DAYS 62
/* A series spans at most this many days (a school year). */
#define FOW_LAB_SERIES_MAX_DAYS 366
/* Staff may check a user in this many minutes before the start. */
#define FOW_LAB_CHECKIN_EARLY_MINUTES 30
#define FOW_LAB_MISSING_MAX 16

/* ---- who acts --------------------------------------------------------- */

/* The account that acts: its name (booked_by, changed_by), its role (a
 * fow_role of src/accounts: what it may do is fow_role_allows of
 * FOW_PERM_MANAGE_LABS, FOW_PERM_STAFF_LABS, FOW_PERM_BOOK_GROUPS) and the
 * people record it is linked to ("" or NULL: none). Borrowed for a call. */
typedef struct fow_lab_actor {
    const char *account;
    int role;
    const char *person_id;
} fow_lab_actor;

/* ---- refusals --------------------------------------------------------- */

typedef struct fow_lab_missing {
    char kind[8];    /* module, skill */
    char ref[256];   /* a module code or an ESCO skill URI */
    char title[257]; /* the module's English title or the skill's label ("" unknown) */
    char title_ro[257]; /* the module's Romanian title ("" unknown) */
} fow_lab_missing;

typedef struct fow_lab_refusal {
    char code[48];   /* labs.training_missing, labs.slot_taken, labs.outside_hours, labs.closed,
                      * labs.voucher_insufficient, labs.voucher_invalid, labs.misaligned, labs.too_long,
                      * labs.in_past, labs.capacity, labs.series_conflicts; "" when no refusal */
    int http_status; /* 409, or 422 for labs.voucher_invalid, misaligned, too_long, in_past, capacity */
    char reason[16]; /* labs.closed: holiday, closure, maintenance */
    char name[257];  /* labs.closed: the holiday's (English) or closure's name */
    char name_ro[257]; /* labs.closed: a holiday's Romanian name ("" for a closure) */
    int64_t balance_minor, price_minor; /* labs.voucher_insufficient */
    char currency[4];
    long conflicts;  /* labs.series_conflicts: occurrences in conflict */
    fow_lab_missing missing[FOW_LAB_MISSING_MAX]; /* labs.training_missing */
    size_t n_missing;
} fow_lab_refusal;

/* Writes the refusal as a message object {code, params, text} (fow_msg.h),
 * with text the English wording (message). With lang ("ro", "en"; NULL:
 * none) a holiday's name and the missing trainings' titles also come in
 * that language: params.name_local (labs.closed: the holiday's name; a
 * closure's own reason, which has one language only), and title_local on
 * each item of params.missing (labs.training_missing); null when there is
 * none in lang. Nothing when r->code is "". */
void fow_lab_refusal_write(fow_jw *w, const fow_lab_refusal *r, const char *message, const char *lang);

/* The text of en/ro in lang ("en", "ro"), NULL for another language or
 * an empty text. */
const char *fow_lab_text_in(const char *lang, const char *en, const char *ro);

/* ---- availability ----------------------------------------------------- */

/* Writes the availability of resource (its code) from the local day first
 * to last (YYYY-MM-DD, inclusive, at most FOW_LAB_AVAILABILITY_MAX_DAYS
 * days) as {"resource", "timezone", "slot_minutes", "from", "to", "days":
 * [{"date", "weekday", "closed": null | {"reason": holiday|closure|outside,
 * "name", "name_ro", "name_local"?}, "open": [["09:00","18:00"]], "busy": [{"start", "end", "kind":
 * booked|maintenance|closure}], "free": [["09:00","10:00"]]}]}: the slots
 * of the resource's grid (slot_minutes from each opening) inside the
 * opening hours, minus holidays, closures, maintenance and live bookings
 * and offers of the waiting list ("busy" says which); a free range holds
 * whole free slots. An offer is live until its time ends at now: the
 * offers past it are expired first (passed on to the next waiting, as
 * every booking path does; not on a read-only connection, where they are
 * only left out). With lang ("ro", "en"; NULL: none) a holiday's closed
 * also has name_local, its name in lang (null in another language).
 * Reads four queries for the whole range, in one
 * snapshot. Errors: FOW_ENOTFOUND (field "resource"), FOW_EINPUT (field
 * "from" or "to": malformed, reversed or too long a range). */
fow_code fow_lab_availability_write(fow_db *db, const char *resource, const char *first, const char *last,
                                    int64_t now, const char *lang, fow_jw *w, fow_error *err);

/* The same for every active resource of lab (its code), at most
 * FOW_LAB_AVAILABILITY_LAB_MAX_DAYS days: {"lab", "timezone", "from",
 * "to", "resources": [{"resource", "slot_minutes", "days": [...]}]}, with
 * one query per table for the whole lab. FOW_ENOTFOUND (field "lab"). */
fow_code fow_lab_availability_lab_write(fow_db *db, const char *lab, const char *first, const char *last,
                                        int64_t now, const char *lang, fow_jw *w, fow_error *err);

/* ---- bookings --------------------------------------------------------- */

typedef struct fow_lab_booking {
    int64_t id;
    char uid[80];
    char resource[65];     /* the resource's code */
    char lab[65];          /* its lab's code */
    char resource_kind[8]; /* space, machine */
    int64_t starts_at, ends_at;
    char start_local[24], end_local[24]; /* "2027-03-01T10:00+02:00" */
    char status[12];       /* confirmed, checked_in, completed, no_show, cancelled */
    char person_id[65];    /* "" for a group */
    char enterprise_code[13];
    char booked_by[65];
    char category[16];
    char group_name[121];
    int group_size;
    int64_t series_id, project_id;
    char note[257];
    int64_t price_minor;
    char currency[4];
    char payment[8];       /* free, voucher, invoice */
    char voucher_code[24];
    char invoice_ref[65];
    int64_t fee_minor;
    int sequence;
    int64_t checked_in_at, checked_out_at;
    char checked_by[65];
    char cancel_reason[257];
    int64_t created_at, changed_at;
    char changed_by[65];
} fow_lab_booking;

typedef struct fow_lab_booking_in {
    const char *resource;        /* its code */
    const char *start;           /* local "YYYY-MM-DDTHH:MM" */
    int minutes;                 /* a multiple of the resource's slot_minutes, at most max_slots of them */
    const char *category;        /* school, university, enterprise, resident, culturepreneur */
    const char *payment;         /* free (the price must be 0), voucher, invoice */
    const char *voucher_code;    /* payment voucher: a lab_time voucher of the person or enterprise */
    const char *invoice_ref;     /* payment invoice: may be NULL */
    const char *person;          /* a manager booking for a person (a people id); NULL: the actor's person */
    const char *enterprise_code; /* a manager booking for an enterprise (its CUI); may be NULL */
    const char *group_name;      /* a group booking of a space (BOOK_GROUPS); NULL: none */
    int group_size;              /* 1..capacity; 0: 1 */
    int64_t project_id;          /* 0: none */
    const char *note;            /* may be NULL; at most 256 bytes */
    const char *key;             /* idempotency key; NULL: none */
} fow_lab_booking_in;

/* Books in->resource for in->minutes from in->start in one BEGIN IMMEDIATE
 * transaction with its payment: the slot on the grid (labs.misaligned),
 * not in the past (labs.in_past), at most max_slots (labs.too_long),
 * inside the opening hours (labs.outside_hours), not on a holiday, closure
 * or maintenance (labs.closed), free (labs.slot_taken: a live booking or a
 * live offer of the waiting list to someone else; the triggers of
 * migration 18 are the last guard and their refusal is mapped to it too);
 * the person must pass fow_lab_access (labs.training_missing with the
 * missing list); a group's size at most the space's capacity
 * (labs.capacity); the price is the category's per_hour_minor times the
 * hours; a voucher is charged with fow_voucher_lab_charge_in_transaction
 * (labs.voucher_invalid, labs.voucher_insufficient) in the same
 * transaction, so the booking and its charge happen together or not at
 * all. A retry with the same key returns the first booking (*replayed
 * true; may be NULL). people may be NULL (the training is then read
 * without a people record). Errors name fields: "resource", "start",
 * "minutes", "category", "payment", "voucher_code", "person",
 * "group_name", "group_size", "note", "key", "role". */
fow_code fow_lab_book(fow_db *db, struct fow_people *people, const fow_lab_actor *who, const fow_lab_booking_in *in,
                      int64_t now, fow_lab_booking *out, bool *replayed, fow_lab_refusal *refusal, fow_error *err);

/* Booking id into *out. FOW_ENOTFOUND (field "booking"). */
fow_code fow_lab_booking_get(fow_db *db, int64_t id, fow_lab_booking *out, fow_error *err);

/* true when who may see and change booking b: its booker, the person it
 * is for, or lab staff (STAFF_LABS). */
bool fow_lab_booking_visible(const fow_lab_actor *who, const fow_lab_booking *b);

/* The bookings of who (booked by its account or for its person), newest
 * start first, at most limit (1..1000), in a new array *out (*n; free()). */
fow_code fow_lab_bookings_mine(fow_db *db, const fow_lab_actor *who, long limit, fow_lab_booking **out, size_t *n,
                               fow_error *err);

/* The bookings of lab (its code) that start on the local day date
 * (YYYY-MM-DD), cancelled ones too, by start, in *out (*n; free()).
 * FOW_ENOTFOUND (field "lab"), FOW_EINPUT (field "date"). */
fow_code fow_lab_bookings_day(fow_db *db, const char *lab, const char *date, fow_lab_booking **out, size_t *n,
                              fow_error *err);

/* Moves or lengthens booking id (confirmed, not started) to start (NULL:
 * the same) and minutes (0: the same), with the rules of fow_lab_book
 * (the booking itself does not conflict with itself); the price follows
 * the new length and a voucher charge is refunded and charged again in the
 * same transaction. sequence + 1. Only who may see it (else
 * FOW_ENOTFOUND). */
fow_code fow_lab_booking_change(fow_db *db, const fow_lab_actor *who, int64_t id, const char *start, int minutes,
                                int64_t now, fow_lab_booking *out, fow_lab_refusal *refusal, fow_error *err);

/* Cancels booking id (confirmed, not started; else FOW_EINPUT field
 * "booking"): free until the lab's cancel_deadline_hours before the
 * start, later a fee of late_cancel_fee_percent of the price (fee_minor).
 * A voucher charge is refunded less the fee, in the same transaction. The
 * freed slot is offered to the first person waiting for it (the waiting
 * list, for the lab's offer_hours). reason may be NULL (<= 256 bytes).
 * sequence + 1. */
fow_code fow_lab_booking_cancel(fow_db *db, const fow_lab_actor *who, int64_t id, const char *reason, int64_t now,
                                fow_lab_booking *out, fow_error *err);

/* Staff (STAFF_LABS; else FOW_EINPUT field "role"): check-in of a
 * confirmed booking from FOW_LAB_CHECKIN_EARLY_MINUTES before its start to
 * its end; check-out of a checked-in one; no-show of a confirmed one after
 * its start. sequence + 1. Another status or time: FOW_EINPUT (field
 * "booking"). */
typedef enum fow_lab_attendance {
    FOW_LAB_CHECK_IN,
    FOW_LAB_CHECK_OUT,
    FOW_LAB_NO_SHOW
} fow_lab_attendance;
fow_code fow_lab_booking_attend(fow_db *db, const fow_lab_actor *who, int64_t id, fow_lab_attendance what,
                                int64_t now, fow_lab_booking *out, fow_error *err);

/* {id, uid, resource, lab, kind, start, end (local with offset), starts_at,
 * ends_at (UTC seconds), status, person (pseudonymous id or null),
 * enterprise_code, booked_by, category, group: {name, size} | null,
 * series_id, project_id, note, price_minor, currency, payment,
 * voucher_code, invoice_ref, fee_minor, sequence, checked_in_at,
 * checked_out_at, cancel_reason, created_at, changed_at} */
void fow_lab_booking_write(fow_jw *w, const fow_lab_booking *b);

/* The same for lab staff who neither booked it nor use it: without
 * booked_by (an account's name), voucher_code (a bearer secret) and
 * invoice_ref; the person by their pseudonymous id only. */
void fow_lab_booking_write_staff(fow_jw *w, const fow_lab_booking *b);

/* true when who booked b or is its person (not only staff who may see it). */
bool fow_lab_booking_own(const fow_lab_actor *who, const fow_lab_booking *b);

/* ---- the waiting list ------------------------------------------------- */

typedef struct fow_lab_wait {
    int64_t id;
    char resource[65];
    int64_t starts_at, ends_at;
    char start_local[24], end_local[24];
    char person_id[65];
    char enterprise_code[13];
    char account[65];
    char category[16];
    char status[12]; /* waiting, offered, accepted, expired, withdrawn */
    int64_t offered_at, offer_expires_at, booking_id, created_at;
    long position;   /* 1-based among those waiting for an overlapping slot; 0 when not waiting */
} fow_lab_wait;

/* Puts who on the waiting list of resource for minutes from start (local),
 * in category: the slot must be on the grid and inside the hours as a
 * booking's, and taken (a free slot is booked, not waited for: FOW_EINPUT
 * field "start"). One live entry per account and slot. */
fow_code fow_lab_wait_add(fow_db *db, const fow_lab_actor *who, const char *resource, const char *start, int minutes,
                          const char *category, int64_t now, fow_lab_wait *out, fow_lab_refusal *refusal,
                          fow_error *err);

/* The waiting-list entries of who's account, newest first (*out, *n;
 * free()). Offers past their time are expired first and passed on. */
fow_code fow_lab_waits_mine(fow_db *db, const fow_lab_actor *who, int64_t now, fow_lab_wait **out, size_t *n,
                            fow_error *err);

/* Accepts the live offer id of who's account: books its slot with
 * payment (in: resource, start and minutes are the entry's; the rest as
 * fow_lab_book) in the same transaction. An offer past its time:
 * FOW_EINPUT (field "offer"). */
fow_code fow_lab_wait_accept(fow_db *db, struct fow_people *people, const fow_lab_actor *who, int64_t id,
                             const fow_lab_booking_in *payment, int64_t now, fow_lab_booking *out,
                             fow_lab_refusal *refusal, fow_error *err);

/* Withdraws entry id of who's account (waiting or offered; an offer is
 * passed on). */
fow_code fow_lab_wait_withdraw(fow_db *db, const fow_lab_actor *who, int64_t id, int64_t now, fow_error *err);

/* {id, resource, start, end, category, status, position, offered_at,
 * offer_expires_at (UTC seconds, 0 none), booking_id} */
void fow_lab_wait_write(fow_jw *w, const fow_lab_wait *e);

/* ---- weekly series ---------------------------------------------------- */

typedef struct fow_lab_series_in {
    const char *resource;
    int weekday;            /* ISO 1 Monday .. 7 Sunday */
    const char *start_time; /* "HH:MM" local */
    int minutes;
    const char *first_day, *last_day; /* YYYY-MM-DD */
    const char *category;   /* NULL: school */
    const char *group_name; /* 1..120 bytes */
    int group_size;
    const char *invoice_ref; /* may be NULL */
    bool skip_conflicts;    /* confirm: book the free occurrences only */
} fow_lab_series_in;

typedef struct fow_lab_occurrence {
    char date[11];
    char start_local[24], end_local[24];
    int64_t starts_at, ends_at;
    fow_lab_refusal conflict; /* code "" when the occurrence is free */
    char conflict_text[256];  /* its English wording */
    int64_t booking_id;       /* confirm: the booking made (0: skipped) */
} fow_lab_occurrence;

/* The occurrences of the series (BOOK_GROUPS) with each one's conflict,
 * nothing written; *out (*n; free()). Errors name "resource", "weekday",
 * "start_time", "minutes", "first_day", "last_day", "group_name",
 * "group_size", "role". */
fow_code fow_lab_series_preview(fow_db *db, const fow_lab_actor *who, const fow_lab_series_in *in, int64_t now,
                                fow_lab_occurrence **out, size_t *n, fow_error *err);

/* Books the series in one transaction: every occurrence, or with
 * in->skip_conflicts the free ones; a conflict without it refuses the
 * whole series (labs.series_conflicts, nothing written). Group bookings
 * paid by invoice. *series_id, *out (*n; free()) as the preview with the
 * bookings made. */
fow_code fow_lab_series_confirm(fow_db *db, const fow_lab_actor *who, const fow_lab_series_in *in, int64_t now,
                                int64_t *series_id, fow_lab_occurrence **out, size_t *n, fow_lab_refusal *refusal,
                                fow_error *err);

/* {series_id (or null), resource, occurrences: [{date, start, end,
 * conflict: message | null, booking_id | null}], free, conflicts}; each
 * conflict as fow_lab_refusal_write with lang. */
void fow_lab_series_write(fow_jw *w, const char *resource, int64_t series_id, const fow_lab_occurrence *o, size_t n,
                          const char *lang);

/* A weekly series as it stands at now: its pattern, its group (from its
 * first booking), who made it, and its bookings counted: upcoming
 * (confirmed, not started: what a cancellation of the series cancels),
 * held (started, checked in, completed or no-show: kept as they are) and
 * cancelled. */
typedef struct fow_lab_series {
    int64_t id;
    char resource[65], lab[65];
    int weekday;          /* ISO 1..7 */
    char start_time[8];   /* "HH:MM" local */
    int minutes;
    char first_day[11], last_day[11];
    char status[12];      /* active, cancelled */
    char group_name[121];
    int group_size;
    int64_t created_at;
    char created_by[65];
    long upcoming, held, cancelled;
} fow_lab_series;

/* The series who may cancel (made by who's account; every series for lab
 * staff, STAFF_LABS), newest first, at most 500, counted at now: *out (*n;
 * free()). */
fow_code fow_lab_series_list(fow_db *db, const fow_lab_actor *who, int64_t now, fow_lab_series **out, size_t *n,
                             fow_error *err);

/* Cancels series id as a whole in one transaction: every booking of it
 * still upcoming at now is cancelled as fow_lab_booking_cancel cancels one
 * (free until the lab's cancel_deadline_hours before its start, later the
 * late fee; a voucher refunded less the fee; changed_by, cancel_reason and
 * sequence + 1 recorded on each, as on a single cancellation; each freed
 * slot offered to the waiting list); bookings that have started or ended
 * stay as they are. The series is then "cancelled". Idempotent: a series
 * already cancelled is cancelled again with nothing left to cancel (*n 0).
 * Only its maker's account or lab staff (else FOW_ENOTFOUND, field
 * "series"). reason may be NULL (<= 256 bytes; field "reason"). *out the
 * series after; *cancelled (*n; free()) the bookings this call cancelled,
 * by start. */
fow_code fow_lab_series_cancel(fow_db *db, const fow_lab_actor *who, int64_t id, const char *reason, int64_t now,
                               fow_lab_series *out, fow_lab_booking **cancelled, size_t *n, fow_error *err);

/* {id, resource, lab, weekday, start_time, minutes, first_day, last_day,
 * status, group: {name, size} | null, created_at, bookings: {upcoming,
 * held, cancelled}} */
void fow_lab_series_item_write(fow_jw *w, const fow_lab_series *s);

/* {series: item, cancelled: [booking], count, fee_minor, currency}: the
 * answer of a cancellation (fee_minor the sum of the late fees). */
void fow_lab_series_cancel_write(fow_jw *w, const fow_lab_series *s, const fow_lab_booking *cancelled, size_t n);

#endif
