/* lab_feeds.c — the labs' iCalendar feeds and the secret addresses of the
 * people's feeds (fow_lab_usage.h "calendar feeds"; docs/labs-usage.md). */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/fow_accounts.h"
#include "base/fow_ical.h"
#include "labs/fow_lab_usage.h"
#include "labs/usage_store.h"

#define FEED_PRODID "-//fow//CREIC labs calendar//EN"

void fow_lab_feed_free(fow_lab_feed *feed) {
    if (!feed) return;
    free(feed->ics);
    memset(feed, 0, sizeof *feed);
}

/* The resource of id among places[0..n), or NULL. */
static const usage_place *place_of(const usage_place *places, size_t n, int64_t id) {
    for (size_t i = 0; i < n; i++)
        if (places[i].id == id) return &places[i];
    return NULL;
}

static void location_of(const usage_place *r, char *out, size_t cap) {
    if (!r) {
        snprintf(out, cap, "%s", "");
        return;
    }
    if (r->address[0]) snprintf(out, cap, "%s, %s, %s", r->name_en, r->lab_name_en, r->address);
    else snprintf(out, cap, "%s, %s", r->name_en, r->lab_name_en);
}

/* What a person's event says of its booking. */
static void describe(const usage_booking *b, const usage_place *r, char *out, size_t cap) {
    int n = snprintf(out, cap, "Booking %lld of %s (%s), status %s, category %s.", (long long)b->id,
                     r ? r->name_en : "?", r ? r->name_ro : "?", b->status, b->category);
    if (n < 0 || (size_t)n >= cap) return;
    if (b->group_name[0]) n += snprintf(out + n, cap - (size_t)n, "\nGroup: %s (%lld).", b->group_name,
                                        (long long)b->group_size);
    if (n < 0 || (size_t)n >= cap) return;
    if (b->note[0]) snprintf(out + n, cap - (size_t)n, "\nNote: %s", b->note);
}

/* Writes the bookings as a calendar named name into out. Public feeds say
 * "Booked" and nothing of who; a person's feed the resource and the
 * booking. */
static fow_code write_feed(const char *name, const usage_booking *bookings, size_t n, const usage_place *places,
                           size_t n_places, fow_lab_feed_kind kind, fow_lab_feed *out, fow_error *err) {
    fow_ical c;
    fow_ical_init(&c);
    fow_ical_calendar_begin(&c, FEED_PRODID, name);
    for (size_t i = 0; i < n; i++) {
        const usage_booking *b = &bookings[i];
        const usage_place *r = place_of(places, n_places, b->resource_id);
        char summary[300], location[500], description[1200];
        description[0] = '\0';
        if (kind == FOW_LAB_FEED_RESOURCE) snprintf(summary, sizeof summary, "Booked");
        else if (kind == FOW_LAB_FEED_LAB) snprintf(summary, sizeof summary, "Booked: %s", r ? r->name_en : "?");
        else {
            snprintf(summary, sizeof summary, "%s (%s)", r ? r->name_en : "?", r ? r->lab_name_en : "?");
            describe(b, r, description, sizeof description);
        }
        location_of(r, location, sizeof location);
        fow_ical_event e = {.uid = b->uid, .stamp = b->changed_at, .start = b->starts_at, .end = b->ends_at,
                            .last_modified = b->changed_at, .sequence = b->sequence,
                            .cancelled = strcmp(b->status, "cancelled") == 0, .summary = summary,
                            .location = location, .description = description};
        fow_ical_event_write(&c, &e);
        if (b->changed_at > out->last_modified) out->last_modified = b->changed_at;
    }
    fow_ical_calendar_end(&c);
    out->ics = fow_ical_take(&c);
    out->n_events = n;
    if (!out->ics) return fow_error_set(err, FOW_ENOMEM, "out of memory writing a calendar feed");
    return FOW_OK;
}

/* The window of every feed at now. */
static void feed_window(usage_booking_filter *f, long long now) {
    f->starts_from = 0;
    f->starts_before = INT64_MAX;
    f->ends_after = now - (long long)FOW_LAB_FEED_PAST_DAYS * 86400;
    f->cancelled_since = now - (long long)FOW_LAB_FEED_CANCELLED_DAYS * 86400;
}

fow_code fow_lab_feed_public(fow_db *db, fow_lab_feed_kind kind, const char *code, long long now,
                             fow_lab_feed *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    if (kind != FOW_LAB_FEED_RESOURCE && kind != FOW_LAB_FEED_LAB)
        return fow_error_set(err, FOW_EINTERNAL, "a public feed is of a resource or a lab");
    usage_place place;
    bool found = false;
    fow_code rc = kind == FOW_LAB_FEED_LAB ? usage_store_lab(db, code, &place, &found, err)
                                           : usage_store_resource(db, code, &place, &found, err);
    if (rc) return rc;
    if (!found) {
        fow_error_set(err, FOW_ENOTFOUND, "no lab%s has the code '%s'", kind == FOW_LAB_FEED_LAB ? "" : " resource", code);
        snprintf(err->field, sizeof err->field, "%s", kind == FOW_LAB_FEED_LAB ? "lab" : "resource");
        return FOW_ENOTFOUND;
    }
    usage_place *places = NULL;
    size_t n_places = 0;
    usage_booking *bookings = NULL;
    size_t n = 0;
    usage_booking_filter f = {.lab_id = kind == FOW_LAB_FEED_LAB ? place.id : 0,
                              .resource_id = kind == FOW_LAB_FEED_RESOURCE ? place.id : 0};
    feed_window(&f, now);
    rc = usage_store_resources(db, place.lab_id, &places, &n_places, err);
    if (!rc) rc = usage_store_bookings(db, &f, &bookings, &n, err);
    if (!rc) {
        char name[300];
        if (kind == FOW_LAB_FEED_LAB) snprintf(name, sizeof name, "%s: bookings", place.lab_name_en);
        else snprintf(name, sizeof name, "%s (%s): bookings", place.name_en, place.lab_name_en);
        rc = write_feed(name, bookings, n, places, n_places, kind, out, err);
    }
    free(bookings);
    free(places);
    if (rc) fow_lab_feed_free(out);
    return rc;
}

/* The SHA-256 of token in 64 hex digits (65 bytes). */
static void token_hash(const char *token, char out[65]) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, digest, sizeof digest);
}

static bool token_well_formed(const char *token) {
    if (strlen(token) != 64) return false;
    for (const char *p = token; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
    return true;
}

fow_code fow_lab_feed_token_new(fow_db *db, const char *account, long long now, char token_out[65],
                                fow_error *err) {
    if (sodium_init() < 0) return fow_error_set(err, FOW_EINTERNAL, "libsodium could not be initialised");
    fow_user user;
    if (fow_accounts_user_get(db, account, &user, err) != FOW_OK) {
        fow_code code = err->code;
        snprintf(err->field, sizeof err->field, "account");
        return code;
    }
    unsigned char secret[32];
    randombytes_buf(secret, sizeof secret);
    sodium_bin2hex(token_out, 65, secret, sizeof secret);
    sodium_memzero(secret, sizeof secret);
    char hash[65];
    token_hash(token_out, hash);
    fow_code rc = usage_store_token_put(db, account, hash, now, err);
    if (rc) sodium_memzero(token_out, 65);
    return rc;
}

fow_code fow_lab_feed_person(fow_db *db, const char *token, long long now, fow_lab_feed *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    if (!token_well_formed(token)) {
        fow_error_set(err, FOW_EINPUT, "a calendar feed token is 64 hexadecimal digits");
        snprintf(err->field, sizeof err->field, "token");
        return FOW_EINPUT;
    }
    char hash[65], account[65];
    token_hash(token, hash);
    bool found = false;
    fow_code rc = usage_store_token_account(db, hash, account, &found, err);
    if (rc) return rc;
    fow_user user;
    if (found && fow_accounts_user_get(db, account, &user, err) != FOW_OK) found = false;
    if (!found) {
        fow_error_set(err, FOW_ENOTFOUND, "no calendar feed has this address (it may have been replaced by a new one)");
        snprintf(err->field, sizeof err->field, "token");
        return FOW_ENOTFOUND;
    }
    usage_place *places = NULL;
    size_t n_places = 0;
    usage_booking *bookings = NULL;
    size_t n = 0;
    usage_booking_filter f = {.account = account, .person_id = user.person_id};
    feed_window(&f, now);
    rc = usage_store_resources(db, 0, &places, &n_places, err);
    if (!rc) rc = usage_store_bookings(db, &f, &bookings, &n, err);
    if (!rc) rc = write_feed("My lab bookings (fow)", bookings, n, places, n_places, FOW_LAB_FEED_PERSON, out, err);
    free(bookings);
    free(places);
    if (rc) fow_lab_feed_free(out);
    return rc;
}
