/* bookings_store.c — the SQL of the labs' bookings (bookings_store.h). */
#include "labs/bookings_store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labs/fow_lab_time.h"
#include "store/fow_db_args.h"

static void copy_text(sqlite3_stmt *st, int column, char *out, size_t size) {
    const unsigned char *text = sqlite3_column_text(st, column);
    snprintf(out, size, "%s", text ? (const char *)text : "");
}

/* The trigger of migration 18 refused the row: the slot overlaps a live booking. */
static bool is_overlap(const fow_error *err) { return strstr(err->message, "overlaps a booking") != NULL; }

/* ---- the catalogue, as bookings read it ---- */

#define RESOURCE_COLUMNS                                                                                           \
    "r.id, r.lab_id, r.code, l.code, r.kind, r.slot_minutes, r.max_slots, r.capacity, r.active, "               \
    "coalesce(l.provider_id, 0), l.cancel_deadline_hours, l.late_cancel_fee_percent, l.offer_hours"

#define RESOURCE(member) FOW_DB_COLUMN(bstore_resource, member)
static const fow_db_column RESOURCE_READ[] = {
    RESOURCE(id), RESOURCE(lab_id), RESOURCE(code), RESOURCE(lab_code), RESOURCE(kind), RESOURCE(slot_minutes),
    RESOURCE(max_slots), RESOURCE(capacity), RESOURCE(active), RESOURCE(provider_id), RESOURCE(cancel_deadline_hours),
    RESOURCE(late_cancel_fee_percent), RESOURCE(offer_hours),
};

static void read_resource(sqlite3_stmt *st, void *item) {
    memset(item, 0, sizeof(bstore_resource));
    fow_db_read_columns(st, FOW_DB_COLUMNS(RESOURCE_READ), item);
}

fow_code bstore_resource_by_code(fow_db *db, const char *code, bstore_resource *out, bool *found, fow_error *err) {
    return fow_db_row(db,
                      "SELECT " RESOURCE_COLUMNS " FROM lab_resources r JOIN labs l ON l.id = r.lab_id WHERE r.code = ?1",
                      FOW_DB_ARGS(FOW_ARG_TEXT(code)), read_resource, out, found, "reading a lab resource", err);
}

fow_code bstore_resource_by_id(fow_db *db, int64_t id, bstore_resource *out, bool *found, fow_error *err) {
    return fow_db_row(db,
                      "SELECT " RESOURCE_COLUMNS " FROM lab_resources r JOIN labs l ON l.id = r.lab_id WHERE r.id = ?1",
                      FOW_DB_ARGS(FOW_ARG_INT(id)), read_resource, out, found, "reading a lab resource", err);
}

fow_code bstore_lab_resources(fow_db *db, const char *lab_code, int64_t *lab_id, bool *found, bstore_resource **out,
                              size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    fow_code rc = fow_db_int(db, "SELECT id FROM labs WHERE code = ?1", FOW_DB_ARGS(FOW_ARG_TEXT(lab_code)), 0, lab_id,
                             "finding a lab", err);
    if (rc) return rc;
    *found = *lab_id != 0;
    if (!*found) return FOW_OK;
    return fow_db_rows(db,
                       "SELECT " RESOURCE_COLUMNS " FROM lab_resources r JOIN labs l ON l.id = r.lab_id WHERE r.lab_id "
                       "= ?1 AND r.active = 1 ORDER BY r.code",
                       FOW_DB_ARGS(FOW_ARG_INT(*lab_id)), read_resource, (void **)out, n, sizeof **out,
                       "reading a lab's resources", err);
}

static const fow_db_column HOURS_READ[] = {
    FOW_DB_COLUMN(bstore_hours, weekday), FOW_DB_COLUMN(bstore_hours, opens), FOW_DB_COLUMN(bstore_hours, closes),
};

static void read_hours(sqlite3_stmt *st, void *item) { fow_db_read_columns(st, FOW_DB_COLUMNS(HOURS_READ), item); }

fow_code bstore_hours_get(fow_db *db, int64_t lab_id, bstore_hours **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    return fow_db_rows(db,
                       "SELECT weekday, opens_minute, closes_minute FROM lab_opening_hours WHERE lab_id = ?1 ORDER BY "
                       "weekday, opens_minute",
                       FOW_DB_ARGS(FOW_ARG_INT(lab_id)), read_hours, (void **)out, n, sizeof **out,
                       "reading a lab's opening hours", err);
}

#define CLOSURE(member) FOW_DB_COLUMN(bstore_closure, member)
static const fow_db_column CLOSURE_READ[] = {
    CLOSURE(id), CLOSURE(resource_id), CLOSURE(kind), CLOSURE(starts_at), CLOSURE(ends_at), CLOSURE(reason),
};

static void read_closure(sqlite3_stmt *st, void *item) {
    memset(item, 0, sizeof(bstore_closure));
    fow_db_read_columns(st, FOW_DB_COLUMNS(CLOSURE_READ), item);
}

fow_code bstore_closures(fow_db *db, int64_t lab_id, int64_t resource_id, int64_t from, int64_t to,
                         bstore_closure **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    return fow_db_rows(db,
                       "SELECT id, coalesce(resource_id, 0), kind, starts_at, ends_at, reason FROM lab_closures WHERE "
                       "lab_id = ?1 AND (?2 = 0 OR resource_id IS NULL OR resource_id = ?2) AND starts_at < ?4 AND "
                       "ends_at > ?3 ORDER BY starts_at",
                       FOW_DB_ARGS(FOW_ARG_INT(lab_id), FOW_ARG_INT(resource_id), FOW_ARG_INT(from), FOW_ARG_INT(to)),
                       read_closure, (void **)out, n, sizeof **out, "reading a lab's closures", err);
}

#define BUSY(member) FOW_DB_COLUMN(bstore_busy, member)
static const fow_db_column BUSY_READ[] = {
    BUSY(resource_id), BUSY(starts_at), BUSY(ends_at), BUSY(offer), BUSY(account),
};

static void read_busy(sqlite3_stmt *st, void *item) {
    memset(item, 0, sizeof(bstore_busy));
    fow_db_read_columns(st, FOW_DB_COLUMNS(BUSY_READ), item);
}

fow_code bstore_busy_get(fow_db *db, int64_t lab_id, int64_t resource_id, int64_t from, int64_t to, int64_t now,
                     int64_t exclude_booking, bstore_busy **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    /* one resource: its index (resource_id, starts_at) bounds the scan by the range's end; a booking is
     * at most 96 slots of 4 hours, so none starting more than 16 days before the range reaches into it */
    if (resource_id)
        return fow_db_rows(db,
                           "SELECT resource_id, starts_at, ends_at, 0, '' FROM lab_bookings WHERE resource_id = ?1 AND "
                           "starts_at < ?3 AND starts_at > ?2 - 1382400 AND ends_at > ?2 AND status <> 'cancelled' "
                           "AND id <> ?5 UNION ALL SELECT resource_id, starts_at, ends_at, 1, account FROM lab_waitlist "
                           "WHERE resource_id = ?1 AND status = 'offered' AND offer_expires_at > ?4 AND starts_at < ?3 "
                           "AND ends_at > ?2 ORDER BY 1, 2",
                           FOW_DB_ARGS(FOW_ARG_INT(resource_id), FOW_ARG_INT(from), FOW_ARG_INT(to), FOW_ARG_INT(now),
                                       FOW_ARG_INT(exclude_booking)),
                           read_busy, (void **)out, n, sizeof **out, "reading a resource's bookings", err);
    return fow_db_rows(db,
                       "SELECT b.resource_id, b.starts_at, b.ends_at, 0, '' FROM lab_bookings b JOIN lab_resources r ON "
                       "r.id = b.resource_id WHERE r.lab_id = ?1 AND b.starts_at < ?3 AND b.starts_at > ?2 - 1382400 "
                       "AND b.ends_at > ?2 AND b.status <> 'cancelled' UNION ALL SELECT w.resource_id, w.starts_at, "
                       "w.ends_at, 1, w.account FROM lab_waitlist w JOIN lab_resources r ON r.id = w.resource_id WHERE "
                       "r.lab_id = ?1 AND w.status = 'offered' AND w.offer_expires_at > ?4 AND w.starts_at < ?3 AND "
                       "w.ends_at > ?2 ORDER BY 1, 2",
                       FOW_DB_ARGS(FOW_ARG_INT(lab_id), FOW_ARG_INT(from), FOW_ARG_INT(to), FOW_ARG_INT(now)),
                       read_busy, (void **)out, n, sizeof **out, "reading a lab's bookings", err);
}

typedef struct price_row {
    int64_t per_hour;
    char currency[4];
} price_row;

static void read_price(sqlite3_stmt *st, void *item) {
    price_row *p = item;
    p->per_hour = sqlite3_column_int64(st, 0);
    copy_text(st, 1, p->currency, sizeof p->currency);
}

fow_code bstore_price(fow_db *db, int64_t resource_id, const char *category, bool *found, int64_t *per_hour,
                      char currency[4], fow_error *err) {
    price_row p = {0};
    fow_code rc = fow_db_row(db, "SELECT per_hour_minor, currency FROM lab_prices WHERE resource_id = ?1 AND category = ?2",
                             FOW_DB_ARGS(FOW_ARG_INT(resource_id), FOW_ARG_TEXT(category)), read_price, &p, found,
                             "reading a price", err);
    if (!rc && *found) {
        *per_hour = p.per_hour;
        memcpy(currency, p.currency, 4);
    }
    return rc;
}

/* ---- bookings ---- */

#define BOOKING_COLUMNS                                                                                            \
    "b.id, b.uid, r.code, l.code, r.kind, b.starts_at, b.ends_at, b.status, coalesce(b.person_id, ''), "         \
    "coalesce(b.enterprise_code, ''), b.booked_by, b.category, b.group_name, b.group_size, "                      \
    "coalesce(b.series_id, 0), coalesce(b.project_id, 0), b.note, b.price_minor, b.currency, b.payment, "         \
    "b.voucher_code, b.invoice_ref, b.fee_minor, b.sequence, b.checked_in_at, b.checked_out_at, b.checked_by, "   \
    "b.cancel_reason, b.created_at, b.changed_at, b.changed_by"
#define BOOKING_FROM " FROM lab_bookings b JOIN lab_resources r ON r.id = b.resource_id JOIN labs l ON l.id = r.lab_id"

#define BOOKING(member) FOW_DB_COLUMN(fow_lab_booking, member)
static const fow_db_column BOOKING_READ[] = { /* in the order of BOOKING_COLUMNS */
    BOOKING(id), BOOKING(uid), BOOKING(resource), BOOKING(lab), BOOKING(resource_kind), BOOKING(starts_at),
    BOOKING(ends_at), BOOKING(status), BOOKING(person_id), BOOKING(enterprise_code), BOOKING(booked_by),
    BOOKING(category), BOOKING(group_name), BOOKING(group_size), BOOKING(series_id), BOOKING(project_id),
    BOOKING(note), BOOKING(price_minor), BOOKING(currency), BOOKING(payment), BOOKING(voucher_code),
    BOOKING(invoice_ref), BOOKING(fee_minor), BOOKING(sequence), BOOKING(checked_in_at), BOOKING(checked_out_at),
    BOOKING(checked_by), BOOKING(cancel_reason), BOOKING(created_at), BOOKING(changed_at), BOOKING(changed_by),
};

static void read_booking(sqlite3_stmt *st, void *item) {
    fow_lab_booking *b = item;
    memset(b, 0, sizeof *b);
    fow_db_read_columns(st, FOW_DB_COLUMNS(BOOKING_READ), b);
    fow_lab_format_utc(b->starts_at, b->start_local, sizeof b->start_local);
    fow_lab_format_utc(b->ends_at, b->end_local, sizeof b->end_local);
}

fow_code bstore_booking_insert(fow_db *db, const fow_lab_booking *b, int64_t resource_id, const char *key, int64_t *id,
                               bool *overlap, fow_error *err) {
    *overlap = false;
    fow_code rc = fow_db_insert(
        db,
        "INSERT INTO lab_bookings (uid, resource_id, starts_at, ends_at, status, person_id, enterprise_code, booked_by, "
        "category, group_name, group_size, series_id, project_id, note, price_minor, currency, payment, voucher_code, "
        "invoice_ref, fee_minor, sequence, idempotency_key, created_at, changed_at, changed_by) VALUES (?1, ?2, ?3, "
        "?4, 'confirmed', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, 0, 0, ?19, ?20, ?20, ?7)",
        FOW_DB_ARGS(FOW_ARG_TEXT(b->uid), FOW_ARG_INT(resource_id), FOW_ARG_INT(b->starts_at), FOW_ARG_INT(b->ends_at),
                    FOW_ARG_TEXT_OR_NULL(b->person_id), FOW_ARG_TEXT_OR_NULL(b->enterprise_code),
                    FOW_ARG_TEXT(b->booked_by), FOW_ARG_TEXT(b->category), FOW_ARG_TEXT(b->group_name),
                    FOW_ARG_INT(b->group_size), b->series_id ? FOW_ARG_INT(b->series_id) : FOW_ARG_TEXT(NULL),
                    b->project_id ? FOW_ARG_INT(b->project_id) : FOW_ARG_TEXT(NULL), FOW_ARG_TEXT(b->note),
                    FOW_ARG_INT(b->price_minor), FOW_ARG_TEXT(b->currency), FOW_ARG_TEXT(b->payment),
                    FOW_ARG_TEXT(b->voucher_code), FOW_ARG_TEXT(b->invoice_ref), FOW_ARG_TEXT_OR_NULL(key),
                    FOW_ARG_INT(b->created_at)),
        "recording a lab booking", id, err);
    if (rc == FOW_EDB && is_overlap(err)) *overlap = true;
    return rc;
}

fow_code bstore_booking_get(fow_db *db, int64_t id, fow_lab_booking *out, bool *found, fow_error *err) {
    return fow_db_row(db, "SELECT " BOOKING_COLUMNS BOOKING_FROM " WHERE b.id = ?1", FOW_DB_ARGS(FOW_ARG_INT(id)),
                      read_booking, out, found, "reading a lab booking", err);
}

fow_code bstore_booking_id_by_key(fow_db *db, const char *key, int64_t *id, fow_error *err) {
    return fow_db_int(db, "SELECT id FROM lab_bookings WHERE idempotency_key = ?1", FOW_DB_ARGS(FOW_ARG_TEXT(key)), 0,
                      id, "finding a lab booking by its key", err);
}

fow_code bstore_booking_update(fow_db *db, const fow_lab_booking *b, bool *overlap, fow_error *err) {
    *overlap = false;
    fow_code rc = fow_db_run(
        db,
        "UPDATE lab_bookings SET starts_at = ?2, ends_at = ?3, status = ?4, price_minor = ?5, fee_minor = ?6, "
        "checked_in_at = ?7, checked_out_at = ?8, checked_by = ?9, cancel_reason = ?10, changed_at = ?11, "
        "changed_by = ?12, sequence = sequence + 1 WHERE id = ?1",
        FOW_DB_ARGS(FOW_ARG_INT(b->id), FOW_ARG_INT(b->starts_at), FOW_ARG_INT(b->ends_at), FOW_ARG_TEXT(b->status),
                    FOW_ARG_INT(b->price_minor), FOW_ARG_INT(b->fee_minor), FOW_ARG_INT(b->checked_in_at),
                    FOW_ARG_INT(b->checked_out_at), FOW_ARG_TEXT(b->checked_by), FOW_ARG_TEXT(b->cancel_reason),
                    FOW_ARG_INT(b->changed_at), FOW_ARG_TEXT(b->changed_by)),
        "changing a lab booking", err);
    if (rc == FOW_EDB && is_overlap(err)) *overlap = true;
    return rc;
}

fow_code bstore_bookings_mine(fow_db *db, const char *account, const char *person, long limit, fow_lab_booking **out,
                              size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    return fow_db_rows(db,
                       "SELECT " BOOKING_COLUMNS BOOKING_FROM " WHERE b.booked_by = ?1 OR (?2 <> '' AND b.person_id = "
                       "?2) ORDER BY b.starts_at DESC, b.id DESC LIMIT ?3",
                       FOW_DB_ARGS(FOW_ARG_TEXT(account), FOW_ARG_TEXT(person ? person : ""), FOW_ARG_INT(limit)),
                       read_booking, (void **)out, n, sizeof **out, "reading a user's lab bookings", err);
}

fow_code bstore_bookings_between(fow_db *db, int64_t lab_id, int64_t from, int64_t to, fow_lab_booking **out,
                                 size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    return fow_db_rows(db,
                       "SELECT " BOOKING_COLUMNS BOOKING_FROM " WHERE r.lab_id = ?1 AND b.starts_at >= ?2 AND "
                       "b.starts_at < ?3 ORDER BY b.starts_at, r.code, b.id",
                       FOW_DB_ARGS(FOW_ARG_INT(lab_id), FOW_ARG_INT(from), FOW_ARG_INT(to)), read_booking,
                       (void **)out, n, sizeof **out, "reading a lab's bookings of a day", err);
}

/* ---- the waiting list ---- */

#define WAIT_COLUMNS                                                                                               \
    "w.id, r.code, w.starts_at, w.ends_at, coalesce(w.person_id, ''), coalesce(w.enterprise_code, ''), w.account, " \
    "w.category, w.status, w.offered_at, w.offer_expires_at, coalesce(w.booking_id, 0), w.created_at"
#define WAIT_FROM " FROM lab_waitlist w JOIN lab_resources r ON r.id = w.resource_id"

#define WAIT(member) FOW_DB_COLUMN(fow_lab_wait, member)
static const fow_db_column WAIT_READ[] = { /* in the order of WAIT_COLUMNS */
    WAIT(id), WAIT(resource), WAIT(starts_at), WAIT(ends_at), WAIT(person_id), WAIT(enterprise_code), WAIT(account),
    WAIT(category), WAIT(status), WAIT(offered_at), WAIT(offer_expires_at), WAIT(booking_id), WAIT(created_at),
};

static void read_wait(sqlite3_stmt *st, void *item) {
    fow_lab_wait *e = item;
    memset(e, 0, sizeof *e);
    fow_db_read_columns(st, FOW_DB_COLUMNS(WAIT_READ), e);
    fow_lab_format_utc(e->starts_at, e->start_local, sizeof e->start_local);
    fow_lab_format_utc(e->ends_at, e->end_local, sizeof e->end_local);
}

fow_code bstore_wait_insert(fow_db *db, const fow_lab_wait *e, int64_t resource_id, int64_t *id, fow_error *err) {
    return fow_db_insert(db,
                         "INSERT INTO lab_waitlist (resource_id, starts_at, ends_at, person_id, enterprise_code, account, "
                         "category, status, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'waiting', ?8)",
                         FOW_DB_ARGS(FOW_ARG_INT(resource_id), FOW_ARG_INT(e->starts_at), FOW_ARG_INT(e->ends_at),
                                     FOW_ARG_TEXT_OR_NULL(e->person_id), FOW_ARG_TEXT_OR_NULL(e->enterprise_code),
                                     FOW_ARG_TEXT(e->account), FOW_ARG_TEXT(e->category), FOW_ARG_INT(e->created_at)),
                         "adding to the waiting list", id, err);
}

fow_code bstore_wait_get(fow_db *db, int64_t id, fow_lab_wait *out, bool *found, fow_error *err) {
    return fow_db_row(db, "SELECT " WAIT_COLUMNS WAIT_FROM " WHERE w.id = ?1", FOW_DB_ARGS(FOW_ARG_INT(id)), read_wait,
                      out, found, "reading a waiting-list entry", err);
}

fow_code bstore_wait_live_of(fow_db *db, int64_t resource_id, const char *account, int64_t from, int64_t to,
                             int64_t *id, fow_error *err) {
    return fow_db_int(db,
                      "SELECT id FROM lab_waitlist WHERE resource_id = ?1 AND account = ?2 AND starts_at = ?3 AND "
                      "ends_at = ?4 AND status IN ('waiting', 'offered')",
                      FOW_DB_ARGS(FOW_ARG_INT(resource_id), FOW_ARG_TEXT(account), FOW_ARG_INT(from), FOW_ARG_INT(to)),
                      0, id, "finding a waiting-list entry", err);
}

fow_code bstore_waits_of_account(fow_db *db, const char *account, fow_lab_wait **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    return fow_db_rows(db, "SELECT " WAIT_COLUMNS WAIT_FROM " WHERE w.account = ?1 ORDER BY w.id DESC LIMIT 500",
                       FOW_DB_ARGS(FOW_ARG_TEXT(account)), read_wait, (void **)out, n, sizeof **out,
                       "reading a user's waiting list", err);
}

fow_code bstore_waits_expired_offers(fow_db *db, int64_t now, fow_lab_wait **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    return fow_db_rows(db,
                       "SELECT " WAIT_COLUMNS WAIT_FROM " WHERE w.status = 'offered' AND w.offer_expires_at <= ?1 "
                       "ORDER BY w.id",
                       FOW_DB_ARGS(FOW_ARG_INT(now)), read_wait, (void **)out, n, sizeof **out,
                       "reading the offers that ended", err);
}

fow_code bstore_waits_due(fow_db *db, int64_t now, int64_t *due, fow_error *err) {
    return fow_db_int(db, "SELECT 1 FROM lab_waitlist WHERE status = 'offered' AND offer_expires_at <= ?1 LIMIT 1",
                      FOW_DB_ARGS(FOW_ARG_INT(now)), 0, due, "looking for offers that ended", err);
}

fow_code bstore_waits_waiting(fow_db *db, int64_t resource_id, int64_t from, int64_t to, fow_lab_wait **out,
                              size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    return fow_db_rows(db,
                       "SELECT " WAIT_COLUMNS WAIT_FROM " WHERE w.resource_id = ?1 AND w.status = 'waiting' AND "
                       "w.starts_at < ?3 AND w.ends_at > ?2 ORDER BY w.created_at, w.id",
                       FOW_DB_ARGS(FOW_ARG_INT(resource_id), FOW_ARG_INT(from), FOW_ARG_INT(to)), read_wait,
                       (void **)out, n, sizeof **out, "reading the waiting list", err);
}

fow_code bstore_wait_set(fow_db *db, int64_t id, const char *status, int64_t offered_at, int64_t expires_at,
                         int64_t booking_id, fow_error *err) {
    return fow_db_run(db,
                      "UPDATE lab_waitlist SET status = ?2, offered_at = ?3, offer_expires_at = ?4, booking_id = ?5 "
                      "WHERE id = ?1",
                      FOW_DB_ARGS(FOW_ARG_INT(id), FOW_ARG_TEXT(status), FOW_ARG_INT(offered_at),
                                  FOW_ARG_INT(expires_at), booking_id ? FOW_ARG_INT(booking_id) : FOW_ARG_TEXT(NULL)),
                      "changing a waiting-list entry", err);
}

fow_code bstore_wait_position(fow_db *db, int64_t id, long *position, fow_error *err) {
    int64_t p = 0;
    fow_code rc = fow_db_int(db,
                             "SELECT count(*) FROM lab_waitlist o JOIN lab_waitlist w ON w.id = ?1 WHERE o.resource_id = "
                             "w.resource_id AND o.status = 'waiting' AND w.status = 'waiting' AND o.starts_at < "
                             "w.ends_at AND o.ends_at > w.starts_at AND (o.created_at < w.created_at OR (o.created_at = "
                             "w.created_at AND o.id <= w.id))",
                             FOW_DB_ARGS(FOW_ARG_INT(id)), 0, &p, "counting a waiting-list position", err);
    *position = (long)p;
    return rc;
}

fow_code bstore_wait_resource(fow_db *db, int64_t id, int64_t *resource_id, fow_error *err) {
    return fow_db_int(db, "SELECT resource_id FROM lab_waitlist WHERE id = ?1", FOW_DB_ARGS(FOW_ARG_INT(id)), 0,
                      resource_id, "reading a waiting-list entry", err);
}

/* ---- series ---- */

fow_code bstore_series_insert(fow_db *db, int64_t resource_id, int weekday, int start_minute, int minutes,
                              const char *first_day, const char *last_day, const char *actor, int64_t now,
                              int64_t *id, fow_error *err) {
    return fow_db_insert(db,
                         "INSERT INTO lab_series (resource_id, weekday, start_minute, minutes, first_day, last_day, "
                         "created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                         FOW_DB_ARGS(FOW_ARG_INT(resource_id), FOW_ARG_INT(weekday), FOW_ARG_INT(start_minute),
                                     FOW_ARG_INT(minutes), FOW_ARG_TEXT(first_day), FOW_ARG_TEXT(last_day),
                                     FOW_ARG_INT(now), FOW_ARG_TEXT(actor)),
                         "recording a lab series", id, err);
}

#define SERIES_SELECT                                                                                              \
    "SELECT s.id, r.code, l.code, s.weekday, s.start_minute, s.minutes, s.first_day, s.last_day, s.status, "      \
    "s.created_at, s.created_by, "                                                                                  \
    "coalesce((SELECT b.group_name FROM lab_bookings b WHERE b.series_id = s.id ORDER BY b.starts_at LIMIT 1), ''), " \
    "coalesce((SELECT b.group_size FROM lab_bookings b WHERE b.series_id = s.id ORDER BY b.starts_at LIMIT 1), 0), "  \
    "(SELECT count(*) FROM lab_bookings b WHERE b.series_id = s.id AND b.status = 'confirmed' AND b.starts_at > ?2), " \
    "(SELECT count(*) FROM lab_bookings b WHERE b.series_id = s.id AND b.status <> 'cancelled' AND NOT "             \
    "(b.status = 'confirmed' AND b.starts_at > ?2)), "                                                              \
    "(SELECT count(*) FROM lab_bookings b WHERE b.series_id = s.id AND b.status = 'cancelled') "                    \
    "FROM lab_series s JOIN lab_resources r ON r.id = s.resource_id JOIN labs l ON l.id = r.lab_id "

static void read_series(sqlite3_stmt *st, void *item) {
    fow_lab_series *x = item;
    memset(x, 0, sizeof *x);
    x->id = sqlite3_column_int64(st, 0);
    copy_text(st, 1, x->resource, sizeof x->resource);
    copy_text(st, 2, x->lab, sizeof x->lab);
    x->weekday = sqlite3_column_int(st, 3);
    unsigned minute = (unsigned)sqlite3_column_int(st, 4) % 1440u; /* 0..1439 by the table's check */
    snprintf(x->start_time, sizeof x->start_time, "%02u:%02u", minute / 60, minute % 60);
    x->minutes = sqlite3_column_int(st, 5);
    copy_text(st, 6, x->first_day, sizeof x->first_day);
    copy_text(st, 7, x->last_day, sizeof x->last_day);
    copy_text(st, 8, x->status, sizeof x->status);
    x->created_at = sqlite3_column_int64(st, 9);
    copy_text(st, 10, x->created_by, sizeof x->created_by);
    copy_text(st, 11, x->group_name, sizeof x->group_name);
    x->group_size = sqlite3_column_int(st, 12);
    x->upcoming = (long)sqlite3_column_int64(st, 13);
    x->held = (long)sqlite3_column_int64(st, 14);
    x->cancelled = (long)sqlite3_column_int64(st, 15);
}

fow_code bstore_series_get(fow_db *db, int64_t id, int64_t now, fow_lab_series *out, bool *found, fow_error *err) {
    return fow_db_row(db, SERIES_SELECT "WHERE s.id = ?1", FOW_DB_ARGS(FOW_ARG_INT(id), FOW_ARG_INT(now)),
                      read_series, out, found, "reading a lab series", err);
}

fow_code bstore_series_list(fow_db *db, const char *account, int64_t now, fow_lab_series **out, size_t *n,
                            fow_error *err) {
    *out = NULL;
    *n = 0;
    return fow_db_rows(db, SERIES_SELECT "WHERE (?1 = '' OR s.created_by = ?1) ORDER BY s.id DESC LIMIT 500",
                       FOW_DB_ARGS(FOW_ARG_TEXT(account), FOW_ARG_INT(now)), read_series, (void **)out, n,
                       sizeof **out, "reading the lab series", err);
}

fow_code bstore_series_upcoming(fow_db *db, int64_t id, int64_t now, fow_lab_booking **out, size_t *n,
                                fow_error *err) {
    *out = NULL;
    *n = 0;
    return fow_db_rows(db,
                       "SELECT " BOOKING_COLUMNS BOOKING_FROM " WHERE b.series_id = ?1 AND b.status = 'confirmed' AND "
                       "b.starts_at > ?2 ORDER BY b.starts_at",
                       FOW_DB_ARGS(FOW_ARG_INT(id), FOW_ARG_INT(now)), read_booking, (void **)out, n, sizeof **out,
                       "reading a series' upcoming bookings", err);
}

fow_code bstore_series_set_status(fow_db *db, int64_t id, const char *status, fow_error *err) {
    return fow_db_run(db, "UPDATE lab_series SET status = ?2 WHERE id = ?1",
                      FOW_DB_ARGS(FOW_ARG_INT(id), FOW_ARG_TEXT(status)), "changing a lab series", err);
}
