/* fow_bookings.c — bookings of the labs (fow_bookings.h): the rules; the SQL is
 * in bookings_store.c, the JSON in bookings_json.c. */
#include "labs/fow_bookings.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/fow_accounts.h"
#include "labs/bookings_internal.h"
#include "labs/bookings_store.h"
#include "labs/fow_lab_time.h"
#include "labs/fow_labs.h"
#include "people/fow_people.h"
#include "vouchers/fow_vouchers.h"

/* ---- small helpers ---- */

static bool allows(const fow_lab_actor *who, fow_permission perm) {
    return who && fow_role_allows((fow_role)who->role, perm);
}

static const char *or_empty(const char *s) { return s ? s : ""; }

static bool text_ok(const char *s, size_t max) {
    if (!s) return true;
    if (strlen(s) > max) return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f) return false;
    return true;
}

static bool category_valid(const char *c) {
    static const char *const all[] = {"school", "university", "enterprise", "resident", "culturepreneur"};
    for (size_t i = 0; c && i < sizeof all / sizeof all[0]; i++)
        if (strcmp(c, all[i]) == 0) return true;
    return false;
}

fow_code bookings_refuse(fow_lab_refusal *r, fow_error *err, const char *code, int status, const char *field,
                         const char *fmt, ...) {
    if (r) {
        snprintf(r->code, sizeof r->code, "%s", code);
        r->http_status = status;
    }
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s", message);
}

static void refusal_clear(fow_lab_refusal *r) {
    if (r) memset(r, 0, sizeof *r);
}

static fow_code resource_or_not_found(fow_db *db, const char *code, bstore_resource *out, fow_error *err) {
    bool found = false;
    if (!code || !*code)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "resource", "name the resource by its code");
    fow_code rc = bstore_resource_by_code(db, code, out, &found, err);
    if (!rc && (!found || !out->active))
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "resource", "no lab resource '%s'%s", code,
                              found ? " in use (it is inactive)" : "");
    return rc;
}

/* The UTC instant of minute (0..1440) of the local day (y, m, d). */
int64_t bookings_local_minute_utc(int y, int m, int d, int minute) {
    if (minute >= 1440) {
        int64_t days = fow_lab_days_from_date(y, m, d) + 1;
        fow_lab_date_from_days(days, &y, &m, &d);
        return fow_lab_day_start_utc(y, m, d);
    }
    fow_lab_local l = {.year = y, .month = m, .day = d, .hour = minute / 60, .minute = minute % 60};
    int64_t utc = 0;
    if (fow_lab_local_to_utc(&l, "time", &utc, NULL) != FOW_OK) {
        /* a minute skipped by the clocks (03:xx of the last Sunday of March): the instant an hour on */
        l.hour += 1;
        if (fow_lab_local_to_utc(&l, "time", &utc, NULL) != FOW_OK) utc = fow_lab_day_start_utc(y, m, d) + minute * 60;
        utc -= 3600;
    }
    return utc;
}

/* The local minute of the day (0..1440) of the instant t within the local day that starts at day_start and
 * ends at day_end (t clipped to it). */
int bookings_minute_of(int64_t t, int64_t day_start, int64_t day_end) {
    if (t <= day_start) return 0;
    if (t >= day_end) return 1440;
    fow_lab_local l;
    fow_lab_utc_to_local(t, &l, NULL);
    return l.hour * 60 + l.minute;
}

/* ---- the slot: where and when a booking may be ---- */

/* A slot asked for: the local start and its UTC bounds. */
typedef struct slot {
    fow_lab_local start;
    int start_minute, minutes;
    int64_t starts_at, ends_at;
    char date[11];
} slot;

/* Parses start ("YYYY-MM-DDTHH:MM", local) and minutes into *s for resource r. */
static fow_code slot_parse(const bstore_resource *r, const char *start, int minutes, slot *s, fow_lab_refusal *refusal,
                           fow_error *err) {
    memset(s, 0, sizeof *s);
    fow_code rc = fow_lab_parse_datetime(start, "start", &s->start, err);
    if (rc) return rc;
    if (minutes <= 0 || minutes % r->slot_minutes != 0)
        return bookings_refuse(refusal, err, "labs.misaligned", 422, "minutes",
                               "a booking of %s lasts whole slots of %d minutes, not %d minutes", r->code,
                               r->slot_minutes, minutes);
    if (minutes > r->max_slots * r->slot_minutes)
        return bookings_refuse(refusal, err, "labs.too_long", 422, "minutes",
                               "a booking of %s lasts at most %d slots of %d minutes (%d minutes), not %d", r->code,
                               r->max_slots, r->slot_minutes, r->max_slots * r->slot_minutes, minutes);
    s->minutes = minutes;
    s->start_minute = s->start.hour * 60 + s->start.minute;
    if (s->start_minute + minutes > 1440)
        return bookings_refuse(refusal, err, "labs.outside_hours", 409, "start",
                               "a booking starts and ends on the same day: %s plus %d minutes goes past midnight", start,
                               minutes);
    if ((rc = fow_lab_local_to_utc(&s->start, "start", &s->starts_at, err))) return rc;
    s->ends_at = bookings_local_minute_utc(s->start.year, s->start.month, s->start.day, s->start_minute + minutes);
    fow_lab_format_date(&s->start, s->date, sizeof s->date);
    return FOW_OK;
}

/* What a slot is checked against; read once (in the booking's transaction). */
fow_code bookings_check_slot(fow_db *db, const bstore_resource *r, const slot_view *v, int64_t now,
                             int64_t exclude_booking, const char *account, fow_lab_refusal *refusal, fow_error *err) {
    if (v->starts_at < now)
        return bookings_refuse(refusal, err, "labs.in_past", 422, "start", "%s is in the past", v->label);
    bstore_hours *hours = NULL;
    size_t n_hours = 0;
    fow_code rc = bstore_hours_get(db, r->lab_id, &hours, &n_hours, err);
    if (rc) return rc;
    int weekday = fow_lab_weekday(v->year, v->month, v->day);
    bool inside = false, aligned = false;
    for (size_t i = 0; i < n_hours; i++) {
        if (hours[i].weekday != weekday) continue;
        if (v->start_minute >= hours[i].opens && v->start_minute + v->minutes <= hours[i].closes) {
            inside = true;
            aligned = (v->start_minute - hours[i].opens) % r->slot_minutes == 0;
            break;
        }
    }
    free(hours);
    if (!inside)
        return bookings_refuse(refusal, err, "labs.outside_hours", 409, "start",
                               "%s for %d minutes is outside the opening hours of lab %s", v->label, v->minutes,
                               r->lab_code);
    if (!aligned)
        return bookings_refuse(refusal, err, "labs.misaligned", 422, "start",
                               "%s is not on the slot grid of %s (slots of %d minutes from the opening)", v->label,
                               r->code, r->slot_minutes);
    fow_lab_holiday *holidays = NULL;
    size_t n_holidays = 0;
    if ((rc = fow_lab_holidays(db, v->date, v->date, &holidays, &n_holidays, err))) {
        free(holidays);
        return rc;
    }
    if (n_holidays) {
        if (refusal) {
            snprintf(refusal->reason, sizeof refusal->reason, "holiday");
            snprintf(refusal->name, sizeof refusal->name, "%s", holidays[0].name_en);
            snprintf(refusal->name_ro, sizeof refusal->name_ro, "%s", holidays[0].name_ro);
        }
        rc = bookings_refuse(refusal, err, "labs.closed", 409, "start", "the labs are closed on %s (%s)", v->date,
                             holidays[0].name_en);
        free(holidays);
        return rc;
    }
    free(holidays);
    bstore_closure *closures = NULL;
    size_t n_closures = 0;
    if ((rc = bstore_closures(db, r->lab_id, r->id, v->starts_at, v->ends_at, &closures, &n_closures, err))) {
        free(closures);
        return rc;
    }
    if (n_closures) {
        if (refusal) {
            snprintf(refusal->reason, sizeof refusal->reason, "%s", closures[0].kind);
            snprintf(refusal->name, sizeof refusal->name, "%s", closures[0].reason);
        }
        char from[FOW_LAB_ISO_SIZE], to[FOW_LAB_ISO_SIZE];
        rc = bookings_refuse(refusal, err, "labs.closed", 409, "start", "%s is %s from %s to %s%s%s", r->code,
                             strcmp(closures[0].kind, "maintenance") == 0 ? "in maintenance" : "closed",
                             fow_lab_format_utc(closures[0].starts_at, from, sizeof from),
                             fow_lab_format_utc(closures[0].ends_at, to, sizeof to), closures[0].reason[0] ? ": " : "",
                             closures[0].reason);
        free(closures);
        return rc;
    }
    free(closures);
    bstore_busy *busy = NULL;
    size_t n_busy = 0;
    if ((rc = bstore_busy_get(db, r->lab_id, r->id, v->starts_at, v->ends_at, now, exclude_booking, &busy, &n_busy, err))) {
        free(busy);
        return rc;
    }
    bool taken = false, offered = false;
    for (size_t i = 0; i < n_busy; i++) {
        if (busy[i].offer && account && strcmp(busy[i].account, account) == 0) continue; /* offered to this account */
        taken = true;
        offered = busy[i].offer;
        break;
    }
    free(busy);
    if (taken)
        return bookings_refuse(refusal, err, "labs.slot_taken", 409, "start", "%s of %s is taken%s", v->label, r->code,
                               offered ? " (offered to the first on its waiting list)" : "");
    return FOW_OK;
}

static void view_of(const bstore_resource *r, const slot *s, slot_view *v) {
    (void)r;
    memset(v, 0, sizeof *v);
    v->year = s->start.year;
    v->month = s->start.month;
    v->day = s->start.day;
    v->start_minute = s->start_minute;
    v->minutes = s->minutes;
    v->starts_at = s->starts_at;
    v->ends_at = s->ends_at;
    snprintf(v->date, sizeof v->date, "%s", s->date);
    fow_lab_format_local(&s->start, v->label, sizeof v->label);
}

/* ---- access and payment ---- */

/* The price of minutes of r in category: per_hour × minutes / 60, rounded half up. */
static fow_code price_of(fow_db *db, const bstore_resource *r, const char *category, int minutes, int64_t *price,
                         char currency[4], fow_error *err) {
    bool found = false;
    int64_t per_hour = 0;
    fow_code rc = bstore_price(db, r->id, category, &found, &per_hour, currency, err);
    if (rc) return rc;
    if (!found)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "category", "%s has no price for category %s", r->code,
                                category);
    *price = fow_lab_price_for(per_hour, minutes);
    return FOW_OK;
}

static void new_uid(char *out, size_t n) {
    unsigned char bytes[16];
    randombytes_buf(bytes, sizeof bytes);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
    snprintf(out, n, "%s@labs.fow", hex);
}

/* Who the booking is for, and the checks of who may book it. */
typedef struct booking_party {
    const char *person;     /* "" for none */
    const char *enterprise; /* "" for none */
    bool group;
} booking_party;

static fow_code party_of(const fow_lab_actor *who, const bstore_resource *r, const fow_lab_booking_in *in,
                         booking_party *p, fow_lab_refusal *refusal, fow_error *err) {
    memset(p, 0, sizeof *p);
    if (!who || !who->account || !*who->account || !text_ok(who->account, 64))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "actor", "who books is an account of 1 to 64 bytes");
    bool manager = allows(who, FOW_PERM_MANAGE_LABS);
    p->person = or_empty(who->person_id);
    p->enterprise = "";
    if (in->person && *in->person) {
        if (!manager && strcmp(in->person, p->person) != 0)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person",
                                    "only a lab manager books for another person");
        if (!text_ok(in->person, 64))
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person", "a person is named by a people id");
        p->person = in->person;
    }
    if (in->enterprise_code && *in->enterprise_code) {
        if (!manager)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "enterprise_code",
                                    "only a lab manager books for an enterprise");
        size_t len = strlen(in->enterprise_code);
        if (len > 12 || strspn(in->enterprise_code, "RO0123456789") != len)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "enterprise_code",
                                    "an enterprise is named by its registration code (CUI), not '%s'",
                                    in->enterprise_code);
        p->enterprise = in->enterprise_code;
    }
    if (in->group_name && *in->group_name) {
        if (!allows(who, FOW_PERM_BOOK_GROUPS))
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "role",
                                    "group bookings are for teachers and lab managers");
        if (strcmp(r->kind, "space") != 0)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "group_name",
                                    "%s is a machine: a group books a space", r->code);
        if (!text_ok(in->group_name, 120))
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "group_name", "a group's name is 1 to 120 bytes");
        int size = in->group_size ? in->group_size : 1;
        if (size < 1 || size > r->capacity)
            return bookings_refuse(refusal, err, "labs.capacity", 422, "group_size",
                                   "%s holds %d people, not a group of %d", r->code, r->capacity, size);
        p->group = true;
        if (!in->person || !*in->person) p->person = ""; /* a class: no one person uses it */
    } else if (in->group_size > 1) {
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "group_name", "a group of %d needs its name",
                                in->group_size);
    }
    if (!*p->person && !p->group && !*p->enterprise)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person",
                                "this account is linked to no person: a booking names who uses the resource");
    return FOW_OK;
}

/* A person named by the booking (in->person, not the actor's own linked
 * person) must have a record: else "unknown person", before any training
 * is looked for (an unknown person holds no credential). */
static fow_code person_known(fow_db *db, const fow_lab_actor *who, const fow_lab_booking_in *in, fow_error *err) {
    if (!in->person || !*in->person || (who->person_id && strcmp(in->person, who->person_id) == 0)) return FOW_OK;
    bool known = false;
    fow_code rc = fow_people_known(db, in->person, &known, err);
    if (!rc && !known)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "person",
                              "unknown person '%s': no person's record has this id (a person id is 'p' and 26 "
                              "letters and digits, as fow gave it)",
                              in->person);
    return rc;
}

/* ---- booking ---- */

static fow_code booking_or_not_found(fow_db *db, int64_t id, fow_lab_booking *out, fow_error *err) {
    bool found = false;
    fow_code rc = bstore_booking_get(db, id, out, &found, err);
    if (!rc && !found) rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "booking", "no lab booking %" PRId64, id);
    return rc;
}

/* Books inside the caller's transaction (after the checks that need no
 * transaction): the slot's checks, the price, the row, the charge. */
static fow_code book_in(fow_db *db, const fow_lab_actor *who, const bstore_resource *r, const fow_lab_booking_in *in,
                        const booking_party *p, const slot *s, int64_t series_id, int64_t now, int64_t *id,
                        fow_lab_refusal *refusal, fow_error *err) {
    slot_view v;
    view_of(r, s, &v);
    fow_code rc = bookings_check_slot(db, r, &v, now, 0, who->account, refusal, err);
    if (rc) return rc;
    fow_lab_booking b;
    memset(&b, 0, sizeof b);
    new_uid(b.uid, sizeof b.uid);
    b.starts_at = s->starts_at;
    b.ends_at = s->ends_at;
    snprintf(b.person_id, sizeof b.person_id, "%s", p->person);
    snprintf(b.enterprise_code, sizeof b.enterprise_code, "%s", p->enterprise);
    snprintf(b.booked_by, sizeof b.booked_by, "%s", who->account);
    snprintf(b.category, sizeof b.category, "%s", in->category);
    snprintf(b.group_name, sizeof b.group_name, "%s", p->group ? in->group_name : "");
    b.group_size = p->group && in->group_size > 0 ? in->group_size : 1;
    b.series_id = series_id;
    b.project_id = in->project_id;
    snprintf(b.note, sizeof b.note, "%s", or_empty(in->note));
    if ((rc = price_of(db, r, in->category, s->minutes, &b.price_minor, b.currency, err))) return rc;
    const char *payment = in->payment && *in->payment ? in->payment : (b.price_minor ? "" : "free");
    if (!*payment) {
        char money[32];
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "payment",
                                "this booking costs %s %s (category %s): pay by voucher or invoice",
                                fow_money_format(b.price_minor, money, sizeof money), b.currency, b.category);
    }
    if (strcmp(payment, "free") == 0) {
        if (b.price_minor)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "payment",
                                    "this booking costs %" PRId64 " (minor units of %s): pay by voucher or invoice",
                                    b.price_minor, b.currency);
    } else if (strcmp(payment, "voucher") == 0) {
        if (!in->voucher_code || !*in->voucher_code)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "voucher_code", "payment by voucher names its code");
        if (!b.price_minor)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "payment",
                                    "this booking is free: no voucher is charged");
        if (r->provider_id <= 0)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "payment",
                                    "lab %s names no operator to pay: vouchers are not taken there", r->lab_code);
        snprintf(b.voucher_code, sizeof b.voucher_code, "%s", in->voucher_code);
    } else if (strcmp(payment, "invoice") == 0) {
        if (!text_ok(in->invoice_ref, 64))
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "invoice_ref", "an invoice reference is up to 64 bytes");
        snprintf(b.invoice_ref, sizeof b.invoice_ref, "%s", or_empty(in->invoice_ref));
    } else {
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "payment", "payment is free, voucher or invoice, not '%s'",
                                payment);
    }
    snprintf(b.payment, sizeof b.payment, "%s", payment);
    b.created_at = now;
    bool overlap = false;
    if ((rc = bstore_booking_insert(db, &b, r->id, in->key, id, &overlap, err))) {
        if (overlap)
            rc = bookings_refuse(refusal, err, "labs.slot_taken", 409, "start", "%s of %s is taken", v.label, r->code);
        return rc;
    }
    if (strcmp(payment, "voucher") == 0) {
        char key[101];
        if (in->key && *in->key) snprintf(key, sizeof key, "booking:%s", in->key);
        else snprintf(key, sizeof key, "booking:%s", b.uid);
        fow_voucher_lab_charge_in charge = {.code = in->voucher_code,
                                            .person = p->person,
                                            .enterprise_code = p->enterprise,
                                            .booking_id = *id,
                                            .provider_id = r->provider_id,
                                            .amount_minor = b.price_minor,
                                            .currency = b.currency,
                                            .key = key,
                                            .payable_from = b.ends_at};
        int64_t balance = 0;
        rc = fow_voucher_lab_charge_in_transaction(db, &charge, who->account, now, NULL, &balance, err);
        if (rc && strcmp(err->field, "voucher_balance") == 0) {
            if (refusal) {
                refusal->balance_minor = balance;
                refusal->price_minor = b.price_minor;
                snprintf(refusal->currency, sizeof refusal->currency, "%s", b.currency);
            }
            char message[sizeof err->message];
            snprintf(message, sizeof message, "%s", err->message);
            rc = bookings_refuse(refusal, err, "labs.voucher_insufficient", 409, "voucher_code", "%s", message);
        } else if (rc && (rc == FOW_EINPUT || rc == FOW_ENOTFOUND) && strcmp(err->field, "voucher_code") == 0) {
            char message[sizeof err->message];
            snprintf(message, sizeof message, "%s", err->message);
            rc = bookings_refuse(refusal, err, "labs.voucher_invalid", 422, "voucher_code", "%s", message);
        }
    }
    return rc;
}

fow_code fow_lab_book(fow_db *db, struct fow_people *people, const fow_lab_actor *who, const fow_lab_booking_in *in,
                      int64_t now, fow_lab_booking *out, bool *replayed, fow_lab_refusal *refusal, fow_error *err) {
    refusal_clear(refusal);
    if (replayed) *replayed = false;
    bstore_resource r;
    fow_code rc = resource_or_not_found(db, in->resource, &r, err);
    if (rc) return rc;
    if (!category_valid(in->category))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "category",
                                "category is school, university, enterprise, resident or culturepreneur, not '%s'",
                                or_empty(in->category));
    if (!text_ok(in->note, 256))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "note", "a note is up to 256 bytes, one line");
    if (in->key && (!*in->key || !text_ok(in->key, 90)))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "key", "an idempotency key is 1 to 90 bytes, one line");
    if (in->key) {
        int64_t existing = 0;
        if ((rc = bstore_booking_id_by_key(db, in->key, &existing, err))) return rc;
        if (existing) {
            if ((rc = booking_or_not_found(db, existing, out, err))) return rc;
            if (strcmp(out->booked_by, who->account) != 0 || strcmp(out->resource, r.code) != 0)
                return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "key",
                                        "idempotency key '%s' was used for another booking: send a new key", in->key);
            if (replayed) *replayed = true;
            return FOW_OK;
        }
    }
    booking_party p;
    if ((rc = party_of(who, &r, in, &p, refusal, err))) return rc;
    if ((rc = person_known(db, who, in, err))) return rc;
    slot s;
    if ((rc = slot_parse(&r, in->start, in->minutes, &s, refusal, err))) return rc;
    if (*p.person && !p.group && (rc = bookings_access(db, people, &r, p.person, now, refusal, err))) return rc;

    if ((rc = fow_db_begin(db, err))) return rc;
    int64_t id = 0;
    if (in->key) {
        int64_t existing = 0;
        if ((rc = bstore_booking_id_by_key(db, in->key, &existing, err))) goto fail;
        if (existing) {
            fow_db_rollback(db);
            if ((rc = booking_or_not_found(db, existing, out, err))) return rc;
            if (replayed) *replayed = true;
            return FOW_OK;
        }
    }
    /* an offer past its time is passed on first: it neither keeps the slot nor is skipped */
    if ((rc = bookings_expire_offers(db, now, err))) goto fail;
    if ((rc = book_in(db, who, &r, in, &p, &s, 0, now, &id, refusal, err))) goto fail;
    if ((rc = booking_or_not_found(db, id, out, err))) goto fail;
    if ((rc = fow_db_commit(db, err))) goto fail;
    return FOW_OK;
fail:
    fow_db_rollback(db);
    return rc;
}

fow_code fow_lab_booking_get(fow_db *db, int64_t id, fow_lab_booking *out, fow_error *err) {
    return booking_or_not_found(db, id, out, err);
}

bool fow_lab_booking_own(const fow_lab_actor *who, const fow_lab_booking *b) {
    if (!who) return false;
    if (who->account && strcmp(b->booked_by, who->account) == 0) return true;
    return who->person_id && *who->person_id && strcmp(b->person_id, who->person_id) == 0;
}

bool fow_lab_booking_visible(const fow_lab_actor *who, const fow_lab_booking *b) {
    if (!who) return false;
    if (allows(who, FOW_PERM_STAFF_LABS)) return true;
    if (who->account && strcmp(b->booked_by, who->account) == 0) return true;
    return who->person_id && *who->person_id && strcmp(b->person_id, who->person_id) == 0;
}

fow_code fow_lab_bookings_mine(fow_db *db, const fow_lab_actor *who, long limit, fow_lab_booking **out, size_t *n,
                               fow_error *err) {
    *out = NULL;
    *n = 0;
    if (limit < 1 || limit > 1000)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "limit", "limit is 1 to 1000, not %ld", limit);
    fow_code rc = bstore_bookings_mine(db, or_empty(who->account), or_empty(who->person_id), limit, out, n, err);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

fow_code fow_lab_bookings_day(fow_db *db, const char *lab, const char *date, fow_lab_booking **out, size_t *n,
                              fow_error *err) {
    *out = NULL;
    *n = 0;
    fow_lab_local d;
    fow_code rc = fow_lab_parse_date(date, "date", &d, err);
    if (rc) return rc;
    int64_t lab_id = 0;
    bool found = false;
    bstore_resource *resources = NULL;
    size_t n_resources = 0;
    rc = bstore_lab_resources(db, or_empty(lab), &lab_id, &found, &resources, &n_resources, err);
    free(resources);
    if (rc) return rc;
    if (!found) return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "lab", "no lab '%s'", or_empty(lab));
    int64_t from = fow_lab_day_start_utc(d.year, d.month, d.day);
    int64_t to = bookings_local_minute_utc(d.year, d.month, d.day, 1440);
    rc = bstore_bookings_between(db, lab_id, from, to, out, n, err);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* ---- change, cancel, attendance ---- */

static fow_code visible_booking(fow_db *db, const fow_lab_actor *who, int64_t id, fow_lab_booking *b, fow_error *err) {
    fow_code rc = booking_or_not_found(db, id, b, err);
    if (!rc && !fow_lab_booking_visible(who, b))
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "booking", "no lab booking %" PRId64, id);
    return rc;
}

fow_code fow_lab_booking_change(fow_db *db, const fow_lab_actor *who, int64_t id, const char *start, int minutes,
                                int64_t now, fow_lab_booking *out, fow_lab_refusal *refusal, fow_error *err) {
    refusal_clear(refusal);
    fow_code rc = fow_db_begin(db, err);
    if (rc) return rc;
    fow_lab_booking b;
    bstore_resource r;
    bool found = false;
    if ((rc = visible_booking(db, who, id, &b, err))) goto fail;
    if (strcmp(b.status, "confirmed") != 0 || b.starts_at <= now) {
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "booking",
                              "booking %" PRId64 " is %s%s: only a confirmed booking not yet started is changed", id,
                              b.status, b.starts_at <= now ? " and has started" : "");
        goto fail;
    }
    if ((rc = bstore_resource_by_code(db, b.resource, &r, &found, err))) goto fail;
    char current[FOW_LAB_ISO_SIZE];
    fow_lab_local l;
    fow_lab_utc_to_local(b.starts_at, &l, NULL);
    fow_lab_format_local(&l, current, sizeof current);
    int old_minutes = (int)((b.ends_at - b.starts_at) / 60);
    slot s;
    if ((rc = slot_parse(&r, start && *start ? start : current, minutes ? minutes : old_minutes, &s, refusal, err)))
        goto fail;
    if ((rc = bookings_expire_offers(db, now, err))) goto fail;
    slot_view v;
    view_of(&r, &s, &v);
    if ((rc = bookings_check_slot(db, &r, &v, now, b.id, who->account, refusal, err))) goto fail;
    int64_t price = b.price_minor;
    char currency[4];
    if (s.minutes != old_minutes && (rc = price_of(db, &r, b.category, s.minutes, &price, currency, err))) goto fail;
    if (strcmp(b.payment, "voucher") == 0 && price != b.price_minor) {
        /* the charge follows the price: refunded whole, charged again */
        if ((rc = fow_voucher_lab_refund_in_transaction(db, b.id, 0, "the booking was changed", who->account, now,
                                                        err)))
            goto fail;
        char key[101];
        snprintf(key, sizeof key, "booking:%s:%d", b.uid, b.sequence + 1);
        fow_voucher_lab_charge_in charge = {.code = b.voucher_code,
                                            .person = b.person_id,
                                            .enterprise_code = b.enterprise_code,
                                            .booking_id = b.id,
                                            .provider_id = r.provider_id,
                                            .amount_minor = price,
                                            .currency = b.currency,
                                            .key = key,
                                            .payable_from = s.ends_at};
        int64_t balance = 0;
        if ((rc = fow_voucher_lab_charge_in_transaction(db, &charge, who->account, now, NULL, &balance, err))) {
            if (strcmp(err->field, "voucher_balance") == 0) {
                if (refusal) {
                    refusal->balance_minor = balance;
                    refusal->price_minor = price;
                    snprintf(refusal->currency, sizeof refusal->currency, "%s", b.currency);
                }
                char message[sizeof err->message];
                snprintf(message, sizeof message, "%s", err->message);
                rc = bookings_refuse(refusal, err, "labs.voucher_insufficient", 409, "voucher_code", "%s", message);
            }
            goto fail;
        }
    }
    /* the charge is payable once the booking, as changed, has ended */
    if (strcmp(b.payment, "voucher") == 0 &&
        (rc = fow_voucher_lab_charge_reschedule_in_transaction(db, b.id, s.ends_at, who->account, now, err)))
        goto fail;
    b.starts_at = s.starts_at;
    b.ends_at = s.ends_at;
    b.price_minor = price;
    b.changed_at = now;
    snprintf(b.changed_by, sizeof b.changed_by, "%s", who->account);
    bool overlap = false;
    if ((rc = bstore_booking_update(db, &b, &overlap, err))) {
        if (overlap) rc = bookings_refuse(refusal, err, "labs.slot_taken", 409, "start", "%s of %s is taken", v.label, r.code);
        goto fail;
    }
    if ((rc = booking_or_not_found(db, id, out, err))) goto fail;
    if ((rc = fow_db_commit(db, err))) goto fail;
    return FOW_OK;
fail:
    fow_db_rollback(db);
    return rc;
}

/* Cancels b (confirmed, not started; of resource r) inside the caller's
 * transaction under the lab's policy: the late fee, the voucher's refund
 * less the fee, changed_by and the reason, sequence + 1, the freed slot
 * offered to the waiting list. */
static fow_code cancel_in(fow_db *db, const fow_lab_actor *who, const bstore_resource *r, fow_lab_booking *b,
                          const char *reason, int64_t now, fow_error *err) {
    bool late = now > b->starts_at - (int64_t)r->cancel_deadline_hours * 3600;
    b->fee_minor = late ? b->price_minor * r->late_cancel_fee_percent / 100 : 0;
    snprintf(b->status, sizeof b->status, "cancelled");
    snprintf(b->cancel_reason, sizeof b->cancel_reason, "%s", or_empty(reason));
    b->changed_at = now;
    snprintf(b->changed_by, sizeof b->changed_by, "%s", who->account);
    bool overlap = false;
    fow_code rc = bstore_booking_update(db, b, &overlap, err);
    if (rc) return rc;
    if (strcmp(b->payment, "voucher") == 0) {
        char why[128];
        snprintf(why, sizeof why, "lab booking %" PRId64 " cancelled%s", b->id, late ? " late: the fee is kept" : "");
        if ((rc = fow_voucher_lab_refund_in_transaction(db, b->id, b->fee_minor, why, who->account, now, err)))
            return rc;
    }
    return bookings_offer_freed(db, r, b->starts_at, b->ends_at, now, err);
}

fow_code fow_lab_booking_cancel(fow_db *db, const fow_lab_actor *who, int64_t id, const char *reason, int64_t now,
                                fow_lab_booking *out, fow_error *err) {
    if (!text_ok(reason, 256))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "reason", "a reason is up to 256 bytes, one line");
    fow_code rc = fow_db_begin(db, err);
    if (rc) return rc;
    fow_lab_booking b;
    bstore_resource r;
    bool found = false;
    if ((rc = bookings_expire_offers(db, now, err))) goto fail;
    if ((rc = visible_booking(db, who, id, &b, err))) goto fail;
    if (strcmp(b.status, "confirmed") != 0 || b.starts_at <= now) {
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "booking",
                              "booking %" PRId64 " is %s%s: only a confirmed booking not yet started is cancelled", id,
                              b.status, b.starts_at <= now && strcmp(b.status, "confirmed") == 0 ? " and has started" : "");
        goto fail;
    }
    if ((rc = bstore_resource_by_code(db, b.resource, &r, &found, err))) goto fail;
    if ((rc = cancel_in(db, who, &r, &b, reason, now, err))) goto fail;
    if ((rc = booking_or_not_found(db, id, out, err))) goto fail;
    if ((rc = fow_db_commit(db, err))) goto fail;
    return FOW_OK;
fail:
    fow_db_rollback(db);
    return rc;
}

fow_code fow_lab_booking_attend(fow_db *db, const fow_lab_actor *who, int64_t id, fow_lab_attendance what,
                                int64_t now, fow_lab_booking *out, fow_error *err) {
    if (!allows(who, FOW_PERM_STAFF_LABS))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "role", "check-in, check-out and no-shows are for lab staff");
    fow_code rc = fow_db_begin(db, err);
    if (rc) return rc;
    fow_lab_booking b;
    if ((rc = booking_or_not_found(db, id, &b, err))) goto fail;
    const char *problem = NULL;
    switch (what) {
    case FOW_LAB_CHECK_IN:
        if (strcmp(b.status, "confirmed") != 0) problem = "only a confirmed booking is checked in";
        else if (now < b.starts_at - FOW_LAB_CHECKIN_EARLY_MINUTES * 60) problem = "it is too early to check in";
        else if (now >= b.ends_at) problem = "the booking has ended: record a no-show";
        else {
            snprintf(b.status, sizeof b.status, "checked_in");
            b.checked_in_at = now;
        }
        break;
    case FOW_LAB_CHECK_OUT:
        if (strcmp(b.status, "checked_in") != 0) problem = "only a checked-in booking is checked out";
        else {
            snprintf(b.status, sizeof b.status, "completed");
            b.checked_out_at = now;
        }
        break;
    case FOW_LAB_NO_SHOW:
        if (strcmp(b.status, "confirmed") != 0) problem = "only a confirmed booking is a no-show";
        else if (now < b.starts_at) problem = "the booking has not started";
        else snprintf(b.status, sizeof b.status, "no_show");
        break;
    }
    if (problem) {
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "booking", "booking %" PRId64 " is %s: %s", id, b.status,
                              problem);
        goto fail;
    }
    snprintf(b.checked_by, sizeof b.checked_by, "%s", who->account);
    b.changed_at = now;
    snprintf(b.changed_by, sizeof b.changed_by, "%s", who->account);
    bool overlap = false;
    if ((rc = bstore_booking_update(db, &b, &overlap, err))) goto fail;
    if ((rc = booking_or_not_found(db, id, out, err))) goto fail;
    if ((rc = fow_db_commit(db, err))) goto fail;
    return FOW_OK;
fail:
    fow_db_rollback(db);
    return rc;
}

/* ---- the waiting list ---- */

fow_code bookings_offer_freed(fow_db *db, const bstore_resource *r, int64_t from, int64_t to, int64_t now,
                              fow_error *err) {
    fow_lab_wait *waiting = NULL;
    size_t n = 0;
    fow_code rc = bstore_waits_waiting(db, r->id, from, to, &waiting, &n, err);
    for (size_t i = 0; !rc && i < n; i++) {
        if (waiting[i].starts_at < now) {
            rc = bstore_wait_set(db, waiting[i].id, "expired", 0, 0, 0, err);
            continue;
        }
        /* offered only when its whole slot is free now (the waiting entry may span another booking) */
        bstore_busy *busy = NULL;
        size_t n_busy = 0;
        rc = bstore_busy_get(db, r->lab_id, r->id, waiting[i].starts_at, waiting[i].ends_at, now, 0, &busy, &n_busy, err);
        free(busy);
        if (rc || n_busy) continue;
        int64_t expires = now + (int64_t)r->offer_hours * 3600;
        if (expires > waiting[i].starts_at) expires = waiting[i].starts_at;
        rc = bstore_wait_set(db, waiting[i].id, "offered", now, expires, 0, err);
    }
    free(waiting);
    return rc;
}

fow_code bookings_expire_offers(fow_db *db, int64_t now, fow_error *err) {
    fow_lab_wait *ended = NULL;
    size_t n = 0;
    fow_code rc = bstore_waits_expired_offers(db, now, &ended, &n, err);
    for (size_t i = 0; !rc && i < n; i++) {
        rc = bstore_wait_set(db, ended[i].id, "expired", ended[i].offered_at, ended[i].offer_expires_at, 0, err);
        bstore_resource r;
        bool found = false;
        if (!rc) rc = bstore_resource_by_code(db, ended[i].resource, &r, &found, err);
        if (!rc && found) rc = bookings_offer_freed(db, &r, ended[i].starts_at, ended[i].ends_at, now, err);
    }
    free(ended);
    return rc;
}

fow_code bookings_expire_due(fow_db *db, int64_t now, fow_error *err) {
    int64_t due = 0;
    fow_code rc = bstore_waits_due(db, now, &due, err);
    if (rc || !due || db->read_only) return rc;
    if ((rc = fow_db_begin(db, err))) return rc;
    if ((rc = bookings_expire_offers(db, now, err)) || (rc = fow_db_commit(db, err))) fow_db_rollback(db);
    return rc;
}

fow_code fow_lab_wait_add(fow_db *db, const fow_lab_actor *who, const char *resource, const char *start, int minutes,
                          const char *category, int64_t now, fow_lab_wait *out, fow_lab_refusal *refusal,
                          fow_error *err) {
    refusal_clear(refusal);
    bstore_resource r;
    fow_code rc = resource_or_not_found(db, resource, &r, err);
    if (rc) return rc;
    if (!category_valid(category))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "category",
                                "category is school, university, enterprise, resident or culturepreneur, not '%s'",
                                or_empty(category));
    if (!who || !who->account || !*who->account)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "actor", "who waits is an account");
    slot s;
    if ((rc = slot_parse(&r, start, minutes, &s, refusal, err))) return rc;
    if ((rc = fow_db_begin(db, err))) return rc;
    if ((rc = bookings_expire_offers(db, now, err))) goto fail;
    slot_view v;
    view_of(&r, &s, &v);
    fow_lab_refusal why;
    fow_error slot_err;
    memset(&why, 0, sizeof why);
    fow_code free_rc = bookings_check_slot(db, &r, &v, now, 0, who->account, &why, &slot_err);
    if (free_rc == FOW_OK) {
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "start", "%s of %s is free: book it", v.label, r.code);
        goto fail;
    }
    if (strcmp(why.code, "labs.slot_taken") != 0) {
        /* closed, outside the hours, in the past: no waiting for what cannot be booked */
        if (refusal) *refusal = why;
        *err = slot_err;
        rc = free_rc;
        goto fail;
    }
    int64_t existing = 0;
    if ((rc = bstore_wait_live_of(db, r.id, who->account, s.starts_at, s.ends_at, &existing, err))) goto fail;
    int64_t id = existing;
    if (!existing) {
        fow_lab_wait e;
        memset(&e, 0, sizeof e);
        e.starts_at = s.starts_at;
        e.ends_at = s.ends_at;
        snprintf(e.person_id, sizeof e.person_id, "%s", or_empty(who->person_id));
        snprintf(e.account, sizeof e.account, "%s", who->account);
        snprintf(e.category, sizeof e.category, "%s", category);
        e.created_at = now;
        if ((rc = bstore_wait_insert(db, &e, r.id, &id, err))) goto fail;
    }
    bool found = false;
    if ((rc = bstore_wait_get(db, id, out, &found, err))) goto fail;
    if ((rc = bstore_wait_position(db, id, &out->position, err))) goto fail;
    if ((rc = fow_db_commit(db, err))) goto fail;
    return FOW_OK;
fail:
    fow_db_rollback(db);
    return rc;
}

fow_code fow_lab_waits_mine(fow_db *db, const fow_lab_actor *who, int64_t now, fow_lab_wait **out, size_t *n,
                            fow_error *err) {
    *out = NULL;
    *n = 0;
    fow_code rc = fow_db_begin(db, err);
    if (rc) return rc;
    if (!(rc = bookings_expire_offers(db, now, err))) rc = bstore_waits_of_account(db, or_empty(who->account), out, n, err);
    for (size_t i = 0; !rc && i < *n; i++)
        rc = bstore_wait_position(db, (*out)[i].id, &(*out)[i].position, err);
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) {
        fow_db_rollback(db);
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

static fow_code own_wait(fow_db *db, const fow_lab_actor *who, int64_t id, fow_lab_wait *e, fow_error *err) {
    bool found = false;
    fow_code rc = bstore_wait_get(db, id, e, &found, err);
    if (!rc && (!found || strcmp(e->account, or_empty(who->account)) != 0))
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "offer", "no waiting-list entry %" PRId64 " of yours", id);
    return rc;
}

fow_code fow_lab_wait_accept(fow_db *db, struct fow_people *people, const fow_lab_actor *who, int64_t id,
                             const fow_lab_booking_in *payment, int64_t now, fow_lab_booking *out,
                             fow_lab_refusal *refusal, fow_error *err) {
    refusal_clear(refusal);
    fow_lab_wait e;
    fow_code rc = own_wait(db, who, id, &e, err);
    if (rc) return rc;
    bstore_resource r;
    if ((rc = resource_or_not_found(db, e.resource, &r, err))) return rc;
    fow_lab_booking_in in = *payment;
    in.resource = e.resource;
    in.category = e.category;
    in.minutes = (int)((e.ends_at - e.starts_at) / 60);
    in.group_name = NULL;
    in.group_size = 0;
    char start[FOW_LAB_ISO_SIZE];
    fow_lab_local l;
    fow_lab_utc_to_local(e.starts_at, &l, NULL);
    fow_lab_format_local(&l, start, sizeof start);
    in.start = start;
    booking_party p;
    if ((rc = party_of(who, &r, &in, &p, refusal, err))) return rc;
    if ((rc = person_known(db, who, &in, err))) return rc;
    slot s;
    if ((rc = slot_parse(&r, in.start, in.minutes, &s, refusal, err))) return rc;
    if (*p.person && (rc = bookings_access(db, people, &r, p.person, now, refusal, err))) return rc;
    if ((rc = fow_db_begin(db, err))) return rc;
    if ((rc = own_wait(db, who, id, &e, err))) goto fail;
    if (strcmp(e.status, "offered") != 0 || e.offer_expires_at <= now) {
        if (strcmp(e.status, "offered") == 0 && (rc = bookings_expire_offers(db, now, err))) goto fail;
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "offer",
                              "waiting-list entry %" PRId64 " has no live offer (it is %s)", id,
                              strcmp(e.status, "offered") == 0 ? "past its time" : e.status);
        /* the expiry above is kept: commit it, then report */
        if (fow_db_commit(db, NULL) != FOW_OK) fow_db_rollback(db);
        return rc;
    }
    int64_t booking_id = 0;
    if ((rc = bstore_wait_set(db, e.id, "accepted", e.offered_at, e.offer_expires_at, 0, err))) goto fail;
    if ((rc = book_in(db, who, &r, &in, &p, &s, 0, now, &booking_id, refusal, err))) goto fail;
    if ((rc = bstore_wait_set(db, e.id, "accepted", e.offered_at, e.offer_expires_at, booking_id, err))) goto fail;
    if ((rc = booking_or_not_found(db, booking_id, out, err))) goto fail;
    if ((rc = fow_db_commit(db, err))) goto fail;
    return FOW_OK;
fail:
    fow_db_rollback(db);
    return rc;
}

fow_code fow_lab_wait_withdraw(fow_db *db, const fow_lab_actor *who, int64_t id, int64_t now, fow_error *err) {
    fow_code rc = fow_db_begin(db, err);
    if (rc) return rc;
    fow_lab_wait e;
    if ((rc = own_wait(db, who, id, &e, err))) goto fail;
    if (strcmp(e.status, "waiting") != 0 && strcmp(e.status, "offered") != 0) {
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "offer", "waiting-list entry %" PRId64 " is %s", id,
                              e.status);
        goto fail;
    }
    bool was_offered = strcmp(e.status, "offered") == 0;
    if ((rc = bstore_wait_set(db, e.id, "withdrawn", e.offered_at, e.offer_expires_at, 0, err))) goto fail;
    if (was_offered) {
        bstore_resource r;
        bool found = false;
        if ((rc = bstore_resource_by_code(db, e.resource, &r, &found, err))) goto fail;
        if (found && (rc = bookings_offer_freed(db, &r, e.starts_at, e.ends_at, now, err))) goto fail;
    }
    if ((rc = fow_db_commit(db, err))) goto fail;
    return FOW_OK;
fail:
    fow_db_rollback(db);
    return rc;
}

/* ---- weekly series ---- */

static fow_code series_occurrences(fow_db *db, const fow_lab_actor *who, const fow_lab_series_in *in, int64_t now,
                                   bstore_resource *r, int *start_minute, fow_lab_occurrence **out, size_t *n,
                                   fow_error *err) {
    *out = NULL;
    *n = 0;
    if (!allows(who, FOW_PERM_BOOK_GROUPS))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "role", "weekly series are for teachers and lab managers");
    fow_code rc = resource_or_not_found(db, in->resource, r, err);
    if (rc) return rc;
    if (in->weekday < 1 || in->weekday > 7)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "weekday", "weekday is 1 (Monday) to 7 (Sunday), not %d",
                                in->weekday);
    if ((rc = fow_lab_parse_time(in->start_time, "start_time", 0, start_minute, err))) return rc;
    fow_lab_local first, last;
    if ((rc = fow_lab_parse_date(in->first_day, "first_day", &first, err))) return rc;
    if ((rc = fow_lab_parse_date(in->last_day, "last_day", &last, err))) return rc;
    int64_t d0 = fow_lab_days_from_date(first.year, first.month, first.day);
    int64_t d1 = fow_lab_days_from_date(last.year, last.month, last.day);
    if (d1 < d0 || d1 - d0 >= FOW_LAB_SERIES_MAX_DAYS)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "last_day",
                                "a series runs from first_day to a last_day not before it, at most %d days",
                                FOW_LAB_SERIES_MAX_DAYS);
    if (!in->group_name || !*in->group_name || !text_ok(in->group_name, 120))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "group_name", "a series names its group (1 to 120 bytes)");
    if (strcmp(r->kind, "space") != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "resource", "%s is a machine: a series books a space",
                                r->code);
    if (in->group_size < 1 || in->group_size > r->capacity)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "group_size", "%s holds 1 to %d people, not %d", r->code,
                                r->capacity, in->group_size);
    if (in->category && !category_valid(in->category))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "category", "category '%s' is not a price category",
                                in->category);
    size_t cap = (size_t)((d1 - d0) / 7 + 2), count = 0;
    fow_lab_occurrence *o = calloc(cap, sizeof *o);
    if (!o) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    int64_t day = d0;
    while (fow_lab_weekday(first.year, first.month, first.day) != in->weekday) {
        day++;
        fow_lab_date_from_days(day, &first.year, &first.month, &first.day);
    }
    for (; !rc && day <= d1; day += 7) {
        fow_lab_occurrence *x = &o[count++];
        fow_lab_local l = {0};
        fow_lab_date_from_days(day, &l.year, &l.month, &l.day);
        l.hour = *start_minute / 60;
        l.minute = *start_minute % 60;
        char start[FOW_LAB_ISO_SIZE];
        fow_lab_format_local(&l, start, sizeof start);
        fow_lab_format_date(&l, x->date, sizeof x->date);
        slot s;
        fow_error slot_err;
        fow_code src = slot_parse(r, start, in->minutes, &s, &x->conflict, &slot_err);
        if (src && !x->conflict.code[0]) {
            /* a malformed length is the series' error, not an occurrence's */
            *err = slot_err;
            rc = src;
            break;
        }
        if (src) {
            snprintf(x->conflict_text, sizeof x->conflict_text, "%.255s", slot_err.message);
            continue;
        }
        x->starts_at = s.starts_at;
        x->ends_at = s.ends_at;
        fow_lab_format_utc(s.starts_at, x->start_local, sizeof x->start_local);
        fow_lab_format_utc(s.ends_at, x->end_local, sizeof x->end_local);
        slot_view v;
        view_of(r, &s, &v);
        src = bookings_check_slot(db, r, &v, now, 0, who->account, &x->conflict, &slot_err);
        if (src && !x->conflict.code[0]) {
            *err = slot_err;
            rc = src;
        } else if (src) {
            snprintf(x->conflict_text, sizeof x->conflict_text, "%.255s", slot_err.message);
        }
    }
    if (rc) {
        free(o);
        return rc;
    }
    *out = o;
    *n = count;
    return FOW_OK;
}

fow_code fow_lab_series_preview(fow_db *db, const fow_lab_actor *who, const fow_lab_series_in *in, int64_t now,
                                fow_lab_occurrence **out, size_t *n, fow_error *err) {
    bstore_resource r;
    int start_minute = 0;
    fow_code rc = bookings_expire_due(db, now, err);
    if (!rc) rc = fow_db_read_begin(db, err);
    if (rc) return rc;
    rc = series_occurrences(db, who, in, now, &r, &start_minute, out, n, err);
    fow_db_read_end(db);
    return rc;
}

fow_code fow_lab_series_confirm(fow_db *db, const fow_lab_actor *who, const fow_lab_series_in *in, int64_t now,
                                int64_t *series_id, fow_lab_occurrence **out, size_t *n, fow_lab_refusal *refusal,
                                fow_error *err) {
    refusal_clear(refusal);
    *series_id = 0;
    bstore_resource r;
    int start_minute = 0;
    fow_code rc = fow_db_begin(db, err);
    if (rc) return rc;
    if ((rc = bookings_expire_offers(db, now, err))) goto fail;
    if ((rc = series_occurrences(db, who, in, now, &r, &start_minute, out, n, err))) goto fail;
    long conflicts = 0;
    for (size_t i = 0; i < *n; i++)
        if ((*out)[i].conflict.code[0]) conflicts++;
    if (conflicts && !in->skip_conflicts) {
        if (refusal) refusal->conflicts = conflicts;
        rc = bookings_refuse(refusal, err, "labs.series_conflicts", 409, "skip_conflicts",
                             "%ld of the %zu occurrences conflict: nothing was booked (confirm skipping them, or "
                             "change the series)",
                             conflicts, *n);
        goto fail;
    }
    if (conflicts == (long)*n) {
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "first_day", "no occurrence of the series is free");
        goto fail;
    }
    if ((rc = bstore_series_insert(db, r.id, in->weekday, start_minute, in->minutes, in->first_day, in->last_day,
                                   who->account, now, series_id, err)))
        goto fail;
    fow_lab_booking_in b = {.resource = r.code,
                            .minutes = in->minutes,
                            .category = in->category ? in->category : "school",
                            .payment = "invoice",
                            .invoice_ref = in->invoice_ref,
                            .group_name = in->group_name,
                            .group_size = in->group_size};
    booking_party p = {.person = "", .enterprise = "", .group = true};
    for (size_t i = 0; i < *n; i++) {
        fow_lab_occurrence *x = &(*out)[i];
        if (x->conflict.code[0]) continue;
        fow_lab_local l;
        fow_lab_utc_to_local(x->starts_at, &l, NULL);
        slot s;
        char start[FOW_LAB_ISO_SIZE];
        fow_lab_format_local(&l, start, sizeof start);
        if ((rc = slot_parse(&r, start, in->minutes, &s, refusal, err))) goto fail;
        b.start = start;
        int64_t price = 0;
        char currency[4];
        if ((rc = price_of(db, &r, b.category, in->minutes, &price, currency, err))) goto fail;
        if (price == 0) b.payment = "free";
        else b.payment = "invoice";
        if ((rc = book_in(db, who, &r, &b, &p, &s, *series_id, now, &x->booking_id, refusal, err))) goto fail;
    }
    if ((rc = fow_db_commit(db, err))) goto fail;
    return FOW_OK;
fail:
    fow_db_rollback(db);
    free(*out);
    *out = NULL;
    *n = 0;
    *series_id = 0;
    return rc;
}

/* ---- a series as a whole ---- */

fow_code fow_lab_series_list(fow_db *db, const fow_lab_actor *who, int64_t now, fow_lab_series **out, size_t *n,
                             fow_error *err) {
    *out = NULL;
    *n = 0;
    if (!who || !who->account || !*who->account)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "actor", "who asks is an account");
    fow_code rc = bstore_series_list(db, allows(who, FOW_PERM_STAFF_LABS) ? "" : who->account, now, out, n, err);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

fow_code fow_lab_series_cancel(fow_db *db, const fow_lab_actor *who, int64_t id, const char *reason, int64_t now,
                               fow_lab_series *out, fow_lab_booking **cancelled, size_t *n, fow_error *err) {
    *cancelled = NULL;
    *n = 0;
    if (!text_ok(reason, 256))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "reason", "a reason is up to 256 bytes, one line");
    if (!who || !who->account || !*who->account)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "actor", "who cancels is an account");
    fow_code rc = fow_db_begin(db, err);
    if (rc) return rc;
    bool found = false;
    fow_lab_booking *list = NULL;
    size_t count = 0;
    if ((rc = bookings_expire_offers(db, now, err))) goto fail;
    if ((rc = bstore_series_get(db, id, now, out, &found, err))) goto fail;
    if (!found || (strcmp(out->created_by, who->account) != 0 && !allows(who, FOW_PERM_STAFF_LABS))) {
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "series", "no lab series %" PRId64 " of yours", id);
        goto fail;
    }
    bstore_resource r;
    if ((rc = bstore_resource_by_code(db, out->resource, &r, &found, err))) goto fail;
    if ((rc = bstore_series_upcoming(db, id, now, &list, &count, err))) goto fail;
    char why[257];
    snprintf(why, sizeof why, "%s", reason && *reason ? reason : "the series was cancelled");
    for (size_t i = 0; i < count; i++)
        if ((rc = cancel_in(db, who, &r, &list[i], why, now, err))) goto fail;
    if ((rc = bstore_series_set_status(db, id, "cancelled", err))) goto fail;
    /* the bookings as stored (sequence raised), and the series counted after */
    for (size_t i = 0; i < count; i++)
        if ((rc = booking_or_not_found(db, list[i].id, &list[i], err))) goto fail;
    if ((rc = bstore_series_get(db, id, now, out, &found, err))) goto fail;
    if ((rc = fow_db_commit(db, err))) goto fail;
    *cancelled = list;
    *n = count;
    return FOW_OK;
fail:
    fow_db_rollback(db);
    free(list);
    return rc;
}
