/* bookings_internal.h — what the files of the labs' bookings share
 * (fow_bookings.c, bookings_access.c, bookings_json.c). Not for other
 * subjects: they call fow_bookings.h. */
#ifndef BOOKINGS_INTERNAL_H
#define BOOKINGS_INTERNAL_H

#include <stdint.h>

#include "labs/bookings_store.h"
#include "labs/fow_bookings.h"

struct fow_people;

/* A slot on a local day, as the checks read it. */
typedef struct slot_view {
    int year, month, day;
    int start_minute, minutes; /* local minutes of the day */
    int64_t starts_at, ends_at;
    char date[11];
    char label[24]; /* "YYYY-MM-DDTHH:MM" */
} slot_view;

/* Fills refusal (may be NULL) with code and status and err with FOW_EINPUT,
 * field and the message; returns FOW_EINPUT. */
fow_code bookings_refuse(fow_lab_refusal *refusal, fow_error *err, const char *code, int status, const char *field,
                         const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Checks slot v of resource r at now: not in the past, inside the opening
 * hours and on the grid, no holiday, closure or maintenance, no live
 * booking (but exclude_booking) or offer to another account than account.
 * A refusal is FOW_EINPUT with refusal filled. */
fow_code bookings_check_slot(fow_db *db, const bstore_resource *r, const slot_view *v, int64_t now,
                             int64_t exclude_booking, const char *account, fow_lab_refusal *refusal, fow_error *err);

/* May person use resource r at now (fow_lab_access)? A refusal is
 * labs.training_missing with the missing list. */
fow_code bookings_access(fow_db *db, struct fow_people *people, const bstore_resource *r, const char *person,
                         int64_t now, fow_lab_refusal *refusal, fow_error *err);

/* Offers the freed [from, to) of r to the first waiting entries whose slot
 * is now free, inside the caller's transaction. */
fow_code bookings_offer_freed(fow_db *db, const bstore_resource *r, int64_t from, int64_t to, int64_t now,
                              fow_error *err);

/* Expires the offers of the waiting list past their time at now and
 * offers their slots to the next waiting, inside the caller's
 * transaction: every path that reads or books a slot calls it first, so
 * that an offer nobody took neither keeps its slot busy nor lets someone
 * else skip the queue. */
fow_code bookings_expire_offers(fow_db *db, int64_t now, fow_error *err);

/* The same for a reader outside a transaction: when some offer is due, in
 * a transaction of its own (nothing on a read-only connection, whose
 * reads leave the ended offers out all the same). */
fow_code bookings_expire_due(fow_db *db, int64_t now, fow_error *err);

/* The UTC instant of minute (0..1440) of a local day; the local minute of
 * the day of instant t within [day_start, day_end] (clipped). */
int64_t bookings_local_minute_utc(int y, int m, int d, int minute);
int bookings_minute_of(int64_t t, int64_t day_start, int64_t day_end);

#endif
