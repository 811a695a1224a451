/* bookings_json.c — availability on the slot grid and the JSON of the
 * labs' bookings (fow_bookings.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labs/bookings_internal.h"
#include "labs/fow_lab_time.h"
#include "labs/fow_labs.h"
#include "service/fow_msg.h"

/* A booking lasts at most 96 slots of 240 minutes: 16 days. */
#define LONGEST_BOOKING_SECONDS ((int64_t)96 * 240 * 60)
#define DAY_ITEMS_MAX 256

/* ---- availability ---- */

typedef struct day_item {
    int start, end; /* local minutes of the day, 0..1440 */
    const char *kind; /* booked, maintenance, closure */
} day_item;

/* What one resource's availability is computed from (read once for the range). */
typedef struct avail_source {
    const bstore_hours *hours;
    size_t n_hours;
    const fow_lab_holiday *holidays;
    size_t n_holidays;
    const bstore_closure *closures; /* of the lab: the whole lab's and every resource's */
    size_t n_closures;
    const bstore_busy *busy; /* this resource's only, by start */
    size_t n_busy;
} avail_source;

static void write_range(fow_jw *w, int start, int end) {
    char a[8], b[8];
    fow_jw_array(w);
    fow_jw_string(w, fow_lab_format_minute(start, a, sizeof a));
    fow_jw_string(w, fow_lab_format_minute(end, b, sizeof b));
    fow_jw_array_end(w);
}

/* The first busy entry that may reach into [from, ...): bookings are by start and at most 16 days long. */
static size_t busy_from(const bstore_busy *busy, size_t n, int64_t from) {
    int64_t floor = from - LONGEST_BOOKING_SECONDS;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (busy[mid].starts_at < floor) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static void sort_items(day_item *items, size_t n) {
    for (size_t i = 1; i < n; i++) {
        day_item x = items[i];
        size_t j = i;
        while (j > 0 && (items[j - 1].start > x.start || (items[j - 1].start == x.start && items[j - 1].end > x.end))) {
            items[j] = items[j - 1];
            j--;
        }
        items[j] = x;
    }
}

/* Writes "days": [...] of resource r from day d0 to d1 (days since 1970-01-01). */
static void write_days(fow_jw *w, const bstore_resource *r, const avail_source *src, int64_t d0, int64_t d1,
                       const char *lang) {
    fow_jw_key(w, "days");
    fow_jw_array(w);
    size_t holiday = 0;
    day_item items[DAY_ITEMS_MAX];
    for (int64_t day = d0; day <= d1; day++) {
        int y, m, d;
        fow_lab_date_from_days(day, &y, &m, &d);
        fow_lab_local local = {.year = y, .month = m, .day = d};
        char date[11];
        fow_lab_format_date(&local, date, sizeof date);
        int weekday = fow_lab_weekday(y, m, d);
        int64_t day_start = fow_lab_day_start_utc(y, m, d), day_end = bookings_local_minute_utc(y, m, d, 1440);
        fow_jw_object(w);
        fow_jw_kstring(w, "date", date);
        fow_jw_kint(w, "weekday", weekday);
        while (holiday < src->n_holidays && strcmp(src->holidays[holiday].day, date) < 0) holiday++;
        const fow_lab_holiday *h =
            holiday < src->n_holidays && strcmp(src->holidays[holiday].day, date) == 0 ? &src->holidays[holiday] : NULL;
        /* the day's opening intervals */
        int opens[8], closes[8];
        size_t n_open = 0;
        for (size_t i = 0; i < src->n_hours && n_open < 8; i++)
            if (src->hours[i].weekday == weekday) {
                opens[n_open] = src->hours[i].opens;
                closes[n_open++] = src->hours[i].closes;
            }
        /* what makes it busy: closures of the lab or this resource, bookings and offers */
        size_t n_items = 0;
        const char *closed_by = NULL;
        for (size_t i = 0; i < src->n_closures; i++) {
            const bstore_closure *c = &src->closures[i];
            if (c->resource_id && c->resource_id != r->id) continue;
            if (c->starts_at >= day_end || c->ends_at <= day_start) continue;
            int s = bookings_minute_of(c->starts_at, day_start, day_end);
            int e = bookings_minute_of(c->ends_at, day_start, day_end);
            if (strcmp(c->kind, "closure") == 0 && c->resource_id == 0 && n_open) {
                bool all = true;
                for (size_t k = 0; k < n_open; k++)
                    if (s > opens[k] || e < closes[k]) all = false;
                if (all) closed_by = c->reason;
            }
            if (n_items < DAY_ITEMS_MAX)
                items[n_items++] = (day_item){s, e, strcmp(c->kind, "maintenance") == 0 ? "maintenance" : "closure"};
        }
        for (size_t i = busy_from(src->busy, src->n_busy, day_start); i < src->n_busy; i++) {
            const bstore_busy *b = &src->busy[i];
            if (b->starts_at >= day_end) break;
            if (b->ends_at <= day_start) continue;
            if (n_items < DAY_ITEMS_MAX)
                items[n_items++] = (day_item){bookings_minute_of(b->starts_at, day_start, day_end),
                                              bookings_minute_of(b->ends_at, day_start, day_end), "booked"};
        }
        fow_jw_key(w, "closed");
        bool closed = true;
        if (h) {
            fow_jw_object(w);
            fow_jw_kstring(w, "reason", "holiday");
            fow_jw_kstring(w, "name", h->name_en);
            fow_jw_kstring(w, "name_ro", h->name_ro);
            if (lang) fow_jw_kstring(w, "name_local", fow_lab_text_in(lang, h->name_en, h->name_ro));
            fow_jw_object_end(w);
        } else if (!n_open) {
            fow_jw_object(w);
            fow_jw_kstring(w, "reason", "outside");
            fow_jw_kstring(w, "name", "");
            fow_jw_object_end(w);
        } else if (closed_by) {
            fow_jw_object(w);
            fow_jw_kstring(w, "reason", "closure");
            fow_jw_kstring(w, "name", closed_by);
            fow_jw_object_end(w);
        } else {
            fow_jw_null(w);
            closed = false;
        }
        fow_jw_key(w, "open");
        fow_jw_array(w);
        for (size_t k = 0; !h && k < n_open; k++) write_range(w, opens[k], closes[k]);
        fow_jw_array_end(w);
        sort_items(items, n_items);
        fow_jw_key(w, "busy");
        fow_jw_array(w);
        for (size_t i = 0; !h && n_open && i < n_items; i++) {
            char a[8], b[8];
            fow_jw_object(w);
            fow_jw_kstring(w, "start", fow_lab_format_minute(items[i].start, a, sizeof a));
            fow_jw_kstring(w, "end", fow_lab_format_minute(items[i].end, b, sizeof b));
            fow_jw_kstring(w, "kind", items[i].kind);
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
        fow_jw_key(w, "free");
        fow_jw_array(w);
        for (size_t k = 0; !closed && k < n_open; k++) {
            int run = -1;
            for (int s = opens[k]; s + r->slot_minutes <= closes[k]; s += r->slot_minutes) {
                int e = s + r->slot_minutes;
                bool taken = false;
                for (size_t i = 0; i < n_items && !taken; i++)
                    if (items[i].start < e && items[i].end > s) taken = true;
                if (!taken && run < 0) run = s;
                if (taken && run >= 0) {
                    write_range(w, run, s);
                    run = -1;
                }
            }
            if (run >= 0) {
                int last = opens[k] + (closes[k] - opens[k]) / r->slot_minutes * r->slot_minutes;
                write_range(w, run, last);
            }
        }
        fow_jw_array_end(w);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
}

/* Parses the range first..last into days since 1970 and checks its length. */
static fow_code parse_range(const char *first, const char *last, int max_days, int64_t *d0, int64_t *d1,
                            fow_error *err) {
    fow_lab_local a, b;
    fow_code rc = fow_lab_parse_date(first, "from", &a, err);
    if (!rc) rc = fow_lab_parse_date(last, "to", &b, err);
    if (rc) return rc;
    *d0 = fow_lab_days_from_date(a.year, a.month, a.day);
    *d1 = fow_lab_days_from_date(b.year, b.month, b.day);
    if (*d1 < *d0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "to", "to (%s) is before from (%s)", last, first);
    if (*d1 - *d0 + 1 > max_days)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "to",
                                "at most %d days at once, not %" PRId64 " (from %s to %s)", max_days, *d1 - *d0 + 1,
                                first, last);
    return FOW_OK;
}

/* Reads what the range needs for lab_id (resource_id 0: every resource) in the caller's snapshot. */
typedef struct avail_read {
    bstore_hours *hours;
    size_t n_hours;
    fow_lab_holiday *holidays;
    size_t n_holidays;
    bstore_closure *closures;
    size_t n_closures;
    bstore_busy *busy;
    size_t n_busy;
} avail_read;

static void avail_read_free(avail_read *a) {
    free(a->hours);
    free(a->holidays);
    free(a->closures);
    free(a->busy);
}

static fow_code avail_load(fow_db *db, int64_t lab_id, int64_t resource_id, int64_t d0, int64_t d1, int64_t now,
                           avail_read *a, fow_error *err) {
    memset(a, 0, sizeof *a);
    int y, m, d;
    fow_lab_date_from_days(d0, &y, &m, &d);
    fow_lab_local l0 = {.year = y, .month = m, .day = d};
    int64_t from = fow_lab_day_start_utc(y, m, d);
    char first[11], last[11];
    fow_lab_format_date(&l0, first, sizeof first);
    fow_lab_date_from_days(d1, &y, &m, &d);
    fow_lab_local l1 = {.year = y, .month = m, .day = d};
    fow_lab_format_date(&l1, last, sizeof last);
    int64_t to = bookings_local_minute_utc(y, m, d, 1440);
    fow_code rc = bstore_hours_get(db, lab_id, &a->hours, &a->n_hours, err);
    if (!rc) rc = fow_lab_holidays(db, first, last, &a->holidays, &a->n_holidays, err);
    if (!rc) rc = bstore_closures(db, lab_id, resource_id, from, to, &a->closures, &a->n_closures, err);
    if (!rc) rc = bstore_busy_get(db, lab_id, resource_id, from, to, now, 0, &a->busy, &a->n_busy, err);
    return rc;
}

static void write_range_head(fow_jw *w, int64_t d0, int64_t d1) {
    int y, m, d;
    char text[11];
    fow_jw_kstring(w, "timezone", FOW_LAB_TIMEZONE);
    fow_lab_date_from_days(d0, &y, &m, &d);
    fow_lab_format_date(&(fow_lab_local){.year = y, .month = m, .day = d}, text, sizeof text);
    fow_jw_kstring(w, "from", text);
    fow_lab_date_from_days(d1, &y, &m, &d);
    fow_lab_format_date(&(fow_lab_local){.year = y, .month = m, .day = d}, text, sizeof text);
    fow_jw_kstring(w, "to", text);
}

fow_code fow_lab_availability_write(fow_db *db, const char *resource, const char *first, const char *last,
                                    int64_t now, const char *lang, fow_jw *w, fow_error *err) {
    int64_t d0, d1;
    fow_code rc = parse_range(first, last, FOW_LAB_AVAILABILITY_MAX_DAYS, &d0, &d1, err);
    if (rc) return rc;
    if ((rc = bookings_expire_due(db, now, err))) return rc;
    if ((rc = fow_db_read_begin(db, err))) return rc;
    bstore_resource r;
    bool found = false;
    rc = bstore_resource_by_code(db, resource ? resource : "", &r, &found, err);
    if (!rc && (!found || !r.active))
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "resource", "no lab resource '%s'",
                              resource ? resource : "");
    avail_read a;
    memset(&a, 0, sizeof a);
    /* offers of the waiting list count as busy until they end at now */
    if (!rc) rc = avail_load(db, r.lab_id, r.id, d0, d1, now, &a, err);
    fow_db_read_end(db);
    if (!rc) {
        avail_source src = {a.hours, a.n_hours, a.holidays, a.n_holidays, a.closures, a.n_closures, a.busy, a.n_busy};
        fow_jw_object(w);
        fow_jw_kstring(w, "resource", r.code);
        fow_jw_kstring(w, "lab", r.lab_code);
        write_range_head(w, d0, d1);
        fow_jw_kint(w, "slot_minutes", r.slot_minutes);
        write_days(w, &r, &src, d0, d1, lang);
        fow_jw_object_end(w);
    }
    avail_read_free(&a);
    return rc;
}

fow_code fow_lab_availability_lab_write(fow_db *db, const char *lab, const char *first, const char *last,
                                        int64_t now, const char *lang, fow_jw *w, fow_error *err) {
    int64_t d0, d1;
    fow_code rc = parse_range(first, last, FOW_LAB_AVAILABILITY_LAB_MAX_DAYS, &d0, &d1, err);
    if (rc) return rc;
    if ((rc = bookings_expire_due(db, now, err))) return rc;
    if ((rc = fow_db_read_begin(db, err))) return rc;
    int64_t lab_id = 0;
    bool found = false;
    bstore_resource *resources = NULL;
    size_t n_resources = 0;
    rc = bstore_lab_resources(db, lab ? lab : "", &lab_id, &found, &resources, &n_resources, err);
    if (!rc && !found) rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "lab", "no lab '%s'", lab ? lab : "");
    avail_read a;
    memset(&a, 0, sizeof a);
    if (!rc) rc = avail_load(db, lab_id, 0, d0, d1, now, &a, err);
    fow_db_read_end(db);
    if (!rc) {
        fow_jw_object(w);
        fow_jw_kstring(w, "lab", lab);
        write_range_head(w, d0, d1);
        fow_jw_key(w, "resources");
        fow_jw_array(w);
        size_t at = 0;
        for (size_t i = 0; i < n_resources; i++) {
            /* busy is by resource then start: this resource's run */
            while (at < a.n_busy && a.busy[at].resource_id < resources[i].id) at++;
            size_t end = at;
            while (end < a.n_busy && a.busy[end].resource_id == resources[i].id) end++;
            avail_source src = {a.hours, a.n_hours, a.holidays, a.n_holidays, a.closures, a.n_closures, a.busy + at,
                                end - at};
            fow_jw_object(w);
            fow_jw_kstring(w, "resource", resources[i].code);
            fow_jw_kstring(w, "kind", resources[i].kind);
            fow_jw_kint(w, "slot_minutes", resources[i].slot_minutes);
            write_days(w, &resources[i], &src, d0, d1, lang);
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
        fow_jw_object_end(w);
    }
    free(resources);
    avail_read_free(&a);
    return rc;
}

/* ---- refusals ---- */

const char *fow_lab_text_in(const char *lang, const char *en, const char *ro) {
    const char *text = !lang ? NULL : strcmp(lang, "en") == 0 ? en : strcmp(lang, "ro") == 0 ? ro : NULL;
    return text && *text ? text : NULL;
}

void fow_lab_refusal_write(fow_jw *w, const fow_lab_refusal *r, const char *message, const char *lang) {
    if (!r || !r->code[0]) return;
    fow_msg_param params[4];
    size_t n = 0;
    if (strcmp(r->code, "labs.closed") == 0) {
        params[n++] = FOW_MSG_S("reason", r->reason);
        params[n++] = FOW_MSG_S("name", r->name);
        /* a holiday has its name in both languages; a closure's reason is the one text staff wrote */
        if (lang)
            params[n++] = FOW_MSG_S("name_local", strcmp(r->reason, "holiday") == 0
                                                      ? fow_lab_text_in(lang, r->name, r->name_ro)
                                                      : (r->name[0] ? r->name : NULL));
    } else if (strcmp(r->code, "labs.voucher_insufficient") == 0) {
        params[n++] = FOW_MSG_I("balance", r->balance_minor);
        params[n++] = FOW_MSG_I("price", r->price_minor);
        params[n++] = FOW_MSG_S("currency", r->currency);
    } else if (strcmp(r->code, "labs.series_conflicts") == 0) {
        params[n++] = FOW_MSG_I("conflicts", r->conflicts);
    }
    if (strcmp(r->code, "labs.training_missing") != 0) {
        fow_msg_write(w, r->code, message, params, n);
        return;
    }
    /* the missing list is a parameter of its own shape: written by hand as fow_msg_write would */
    fow_jw_object(w);
    fow_jw_kstring(w, "code", r->code);
    fow_jw_key(w, "params");
    fow_jw_object(w);
    fow_jw_key(w, "missing");
    fow_jw_array(w);
    for (size_t i = 0; i < r->n_missing; i++) {
        fow_jw_object(w);
        fow_jw_kstring(w, "kind", r->missing[i].kind);
        fow_jw_kstring(w, "ref", r->missing[i].ref);
        fow_jw_kstring(w, "title", r->missing[i].title);
        if (lang) fow_jw_kstring(w, "title_local", fow_lab_text_in(lang, r->missing[i].title, r->missing[i].title_ro));
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_object_end(w);
    fow_jw_kstring(w, "text", message);
    fow_jw_object_end(w);
}

/* ---- bookings, waiting list, series ---- */

static void kstring_or_null(fow_jw *w, const char *key, const char *s) {
    if (s && *s) fow_jw_kstring(w, key, s);
    else fow_jw_knull(w, key);
}

static void write_booking(fow_jw *w, const fow_lab_booking *b, bool full) {
    fow_jw_object(w);
    fow_jw_kint(w, "id", b->id);
    fow_jw_kstring(w, "uid", b->uid);
    fow_jw_kstring(w, "resource", b->resource);
    fow_jw_kstring(w, "lab", b->lab);
    fow_jw_kstring(w, "kind", b->resource_kind);
    fow_jw_kstring(w, "start", b->start_local);
    fow_jw_kstring(w, "end", b->end_local);
    fow_jw_kint(w, "starts_at", b->starts_at);
    fow_jw_kint(w, "ends_at", b->ends_at);
    fow_jw_kint(w, "minutes", (b->ends_at - b->starts_at) / 60);
    fow_jw_kstring(w, "status", b->status);
    kstring_or_null(w, "person", b->person_id);
    kstring_or_null(w, "enterprise_code", b->enterprise_code);
    if (full) fow_jw_kstring(w, "booked_by", b->booked_by);
    fow_jw_kstring(w, "category", b->category);
    fow_jw_key(w, "group");
    if (b->group_name[0]) {
        fow_jw_object(w);
        fow_jw_kstring(w, "name", b->group_name);
        fow_jw_kint(w, "size", b->group_size);
        fow_jw_object_end(w);
    } else {
        fow_jw_null(w);
    }
    if (b->series_id) fow_jw_kint(w, "series_id", b->series_id);
    else fow_jw_knull(w, "series_id");
    if (b->project_id) fow_jw_kint(w, "project_id", b->project_id);
    else fow_jw_knull(w, "project_id");
    fow_jw_kstring(w, "note", b->note);
    fow_jw_kint(w, "price_minor", b->price_minor);
    fow_jw_kstring(w, "currency", b->currency);
    fow_jw_kstring(w, "payment", b->payment);
    if (full) {
        kstring_or_null(w, "voucher_code", b->voucher_code);
        kstring_or_null(w, "invoice_ref", b->invoice_ref);
    }
    fow_jw_kint(w, "fee_minor", b->fee_minor);
    fow_jw_kint(w, "sequence", b->sequence);
    fow_jw_kint(w, "checked_in_at", b->checked_in_at);
    fow_jw_kint(w, "checked_out_at", b->checked_out_at);
    fow_jw_kstring(w, "cancel_reason", b->cancel_reason);
    fow_jw_kint(w, "created_at", b->created_at);
    fow_jw_kint(w, "changed_at", b->changed_at);
    fow_jw_object_end(w);
}

void fow_lab_booking_write(fow_jw *w, const fow_lab_booking *b) { write_booking(w, b, true); }

void fow_lab_booking_write_staff(fow_jw *w, const fow_lab_booking *b) { write_booking(w, b, false); }

void fow_lab_wait_write(fow_jw *w, const fow_lab_wait *e) {
    fow_jw_object(w);
    fow_jw_kint(w, "id", e->id);
    fow_jw_kstring(w, "resource", e->resource);
    fow_jw_kstring(w, "start", e->start_local);
    fow_jw_kstring(w, "end", e->end_local);
    fow_jw_kstring(w, "category", e->category);
    fow_jw_kstring(w, "status", e->status);
    fow_jw_kint(w, "position", e->position);
    fow_jw_kint(w, "offered_at", e->offered_at);
    fow_jw_kint(w, "offer_expires_at", e->offer_expires_at);
    if (e->booking_id) fow_jw_kint(w, "booking_id", e->booking_id);
    else fow_jw_knull(w, "booking_id");
    fow_jw_object_end(w);
}

void fow_lab_series_write(fow_jw *w, const char *resource, int64_t series_id, const fow_lab_occurrence *o, size_t n,
                          const char *lang) {
    size_t conflicts = 0;
    fow_jw_object(w);
    if (series_id) fow_jw_kint(w, "series_id", series_id);
    else fow_jw_knull(w, "series_id");
    fow_jw_kstring(w, "resource", resource);
    fow_jw_key(w, "occurrences");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) {
        fow_jw_object(w);
        fow_jw_kstring(w, "date", o[i].date);
        kstring_or_null(w, "start", o[i].start_local);
        kstring_or_null(w, "end", o[i].end_local);
        fow_jw_key(w, "conflict");
        if (o[i].conflict.code[0]) {
            conflicts++;
            fow_lab_refusal_write(w, &o[i].conflict, o[i].conflict_text, lang);
        } else {
            fow_jw_null(w);
        }
        if (o[i].booking_id) fow_jw_kint(w, "booking_id", o[i].booking_id);
        else fow_jw_knull(w, "booking_id");
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_kint(w, "count", (long long)n);
    fow_jw_kint(w, "free", (long long)(n - conflicts));
    fow_jw_kint(w, "conflicts", (long long)conflicts);
    fow_jw_object_end(w);
}

void fow_lab_series_item_write(fow_jw *w, const fow_lab_series *s) {
    fow_jw_object(w);
    fow_jw_kint(w, "id", s->id);
    fow_jw_kstring(w, "resource", s->resource);
    fow_jw_kstring(w, "lab", s->lab);
    fow_jw_kint(w, "weekday", s->weekday);
    fow_jw_kstring(w, "start_time", s->start_time);
    fow_jw_kint(w, "minutes", s->minutes);
    fow_jw_kstring(w, "first_day", s->first_day);
    fow_jw_kstring(w, "last_day", s->last_day);
    fow_jw_kstring(w, "status", s->status);
    fow_jw_key(w, "group");
    if (s->group_name[0]) {
        fow_jw_object(w);
        fow_jw_kstring(w, "name", s->group_name);
        fow_jw_kint(w, "size", s->group_size);
        fow_jw_object_end(w);
    } else {
        fow_jw_null(w);
    }
    fow_jw_kint(w, "created_at", s->created_at);
    fow_jw_key(w, "bookings");
    fow_jw_object(w);
    fow_jw_kint(w, "upcoming", s->upcoming);
    fow_jw_kint(w, "held", s->held);
    fow_jw_kint(w, "cancelled", s->cancelled);
    fow_jw_object_end(w);
    fow_jw_object_end(w);
}

void fow_lab_series_cancel_write(fow_jw *w, const fow_lab_series *s, const fow_lab_booking *cancelled, size_t n) {
    int64_t fee = 0;
    const char *currency = "RON";
    fow_jw_object(w);
    fow_jw_key(w, "series");
    fow_lab_series_item_write(w, s);
    fow_jw_key(w, "cancelled");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) {
        write_booking(w, &cancelled[i], false); /* as staff see it: it may be another account's */
        fee += cancelled[i].fee_minor;
        if (cancelled[i].currency[0]) currency = cancelled[i].currency;
    }
    fow_jw_array_end(w);
    fow_jw_kint(w, "count", (long long)n);
    fow_jw_kint(w, "fee_minor", fee);
    fow_jw_kstring(w, "currency", currency);
    fow_jw_object_end(w);
}
