/* api_lab_bookings.c — availability and bookings of the CREIC labs
 * (src/labs/fow_bookings.h; docs/labs-bookings.md). The JSON is
 * fow_bookings', the same as `fow lab ... --json`.
 *
 *   GET  /api/v1/lab-resources/{resource}/availability?from=&to=   public, at most 400 days
 *   GET  /api/v1/labs/{lab}/availability?from=&to=                 public, at most 62 days
 *   POST /api/v1/lab-bookings                                      signed in: book (with payment)
 *   GET  /api/v1/me/lab-bookings                                   signed in: mine
 *   GET  /api/v1/lab-bookings/{id}                                 its booker, its person, lab staff
 *   PATCH /api/v1/lab-bookings/{id}                                the same: move or lengthen
 *   POST /api/v1/lab-bookings/{id}/cancellation                    the same: cancel (the fee)
 *   POST /api/v1/lab-bookings/{id}/check-in, /check-out, /no-show  STAFF_LABS
 *   GET  /api/v1/labs/{lab}/bookings?date=                         STAFF_LABS: the day's bookings
 *   POST /api/v1/lab-waitlist, GET /api/v1/me/lab-waitlist,
 *   POST /api/v1/lab-waitlist/{id}/acceptance, /withdrawal          signed in
 *   POST /api/v1/lab-series/preview, POST /api/v1/lab-series       BOOK_GROUPS
 *
 * A refusal the user can act on (the slot is taken, training missing, ...)
 * answers 409 or 422 with {"error": {code, message, field, "refusal":
 * {code: "labs.slot_taken", params, text}}}: the web app words the refusal
 * by its code (msg.labs.*). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/fow_accounts.h"
#include "http/http.h"
#include "labs/fow_bookings.h"
#include "people/fow_people.h"

static fow_lab_actor actor_of(const http_request *req) {
    return (fow_lab_actor){.account = req->who.name, .role = req->who.role, .person_id = req->who.person_id};
}

static bool open_db(const http_request *req, http_response *res, bool read_only, fow_db **db) {
    fow_error err;
    fow_error_clear(&err);
    if (fow_db_open(db, req->services->db_path, read_only, &err)) {
        http_error(res, 500, NULL, "the labs are not available: %s", err.message);
        return false;
    }
    return true;
}

/* A library error: a refusal with its message object; the role 403; else as http_error_from. */
static void booking_error(http_response *res, const fow_error *err, const fow_lab_refusal *refusal) {
    res->cacheable = false;
    if (refusal && refusal->code[0]) {
        fow_jw *w = http_writer();
        if (w) {
            fow_jw_object(w);
            fow_jw_key(w, "error");
            fow_jw_object(w);
            fow_jw_kstring(w, "code", http_status_code_name(refusal->http_status));
            fow_jw_kstring(w, "message", err->message);
            if (err->field[0]) fow_jw_kstring(w, "field", err->field);
            else fow_jw_knull(w, "field");
            fow_jw_key(w, "refusal");
            fow_lab_refusal_write(w, refusal, err->message);
            fow_jw_object_end(w);
            fow_jw_object_end(w);
        }
        http_json_written(res, refusal->http_status, w);
        return;
    }
    if (strcmp(err->field, "role") == 0) {
        http_error(res, 403, err->field, "%s", err->message);
        return;
    }
    /* lab_charge: the booking's voucher charge is in a payment batch (src/vouchers): not refunded */
    if (err->code == FOW_EINPUT && (strcmp(err->field, "booking") == 0 || strcmp(err->field, "offer") == 0 ||
                                    strcmp(err->field, "lab_charge") == 0)) {
        http_error(res, 409, err->field, "%s", err->message);
        return;
    }
    http_error_from(res, err);
}

static void send(http_response *res, int status, fow_jw *w) {
    res->cacheable = false;
    http_json_written(res, status, w);
}

/* ---- availability (public) ---- */

static bool range_of(const http_request *req, http_response *res, const char **from, const char **to) {
    *from = http_query(req, "from");
    *to = http_query(req, "to");
    if (!*from || !*to) {
        http_error(res, 400, *from ? "to" : "from", "give the range as from=YYYY-MM-DD&to=YYYY-MM-DD");
        return false;
    }
    return true;
}

static void resource_availability(http_request *req, http_response *res) {
    const char *from, *to;
    if (!range_of(req, res, &from, &to)) return;
    fow_db *db = NULL;
    if (!open_db(req, res, true, &db)) return;
    fow_error err;
    fow_error_clear(&err);
    fow_jw *w = http_writer();
    if (w && fow_lab_availability_write(db, req->params[0], from, to, w, &err)) http_error_from(res, &err);
    else send(res, 200, w);
    fow_db_close(db);
}

static void lab_availability(http_request *req, http_response *res) {
    const char *from, *to;
    if (!range_of(req, res, &from, &to)) return;
    fow_db *db = NULL;
    if (!open_db(req, res, true, &db)) return;
    fow_error err;
    fow_error_clear(&err);
    fow_jw *w = http_writer();
    if (w && fow_lab_availability_lab_write(db, req->params[0], from, to, w, &err)) http_error_from(res, &err);
    else send(res, 200, w);
    fow_db_close(db);
}

/* ---- bookings ---- */

static const char *body_string(json_t *body, const char *name) {
    json_t *v = json_object_get(body, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Checks that each named member, when present, is a string (or null); 400 otherwise. */
static bool strings_ok(json_t *body, const char *const *names, size_t n, http_response *res) {
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_object_get(body, names[i]);
        if (v && !json_is_string(v) && !json_is_null(v)) {
            http_error(res, 400, names[i], "%s must be a string", names[i]);
            return false;
        }
    }
    return true;
}

static bool int_ok(json_t *body, const char *name, long long min, long long max, long long *out,
                   http_response *res) {
    json_t *v = json_object_get(body, name);
    *out = 0;
    if (!v || json_is_null(v)) return true;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        http_error(res, 400, name, "%s must be a whole number from %lld to %lld", name, min, max);
        return false;
    }
    *out = json_integer_value(v);
    return true;
}

static const char *const BOOKING_STRINGS[] = {"resource", "start", "category", "payment", "voucher_code",
                                              "invoice_ref", "group_name", "note", "idempotency_key", "person",
                                              "enterprise_code"};

/* Reads a booking's body into *in (texts borrowed from body); false after a 400. */
static bool booking_in_of(json_t *body, fow_lab_booking_in *in, http_response *res) {
    memset(in, 0, sizeof *in);
    long long minutes = 0, group_size = 0, project = 0;
    if (!strings_ok(body, BOOKING_STRINGS, sizeof BOOKING_STRINGS / sizeof BOOKING_STRINGS[0], res) ||
        !int_ok(body, "minutes", 0, 24 * 60, &minutes, res) || !int_ok(body, "group_size", 0, 500, &group_size, res) ||
        !int_ok(body, "project_id", 0, INT64_MAX, &project, res))
        return false;
    in->resource = body_string(body, "resource");
    in->start = body_string(body, "start");
    in->minutes = (int)minutes;
    in->category = body_string(body, "category");
    in->payment = body_string(body, "payment");
    in->voucher_code = body_string(body, "voucher_code");
    in->invoice_ref = body_string(body, "invoice_ref");
    in->group_name = body_string(body, "group_name");
    in->group_size = (int)group_size;
    in->project_id = project;
    in->note = body_string(body, "note");
    in->key = body_string(body, "idempotency_key");
    in->person = body_string(body, "person");
    in->enterprise_code = body_string(body, "enterprise_code");
    return true;
}

/* {booking, created}: in full for its booker and its person, as staff see it for others. */
static void write_booking_for(fow_jw *w, const fow_lab_actor *who, const fow_lab_booking *b, bool created) {
    fow_jw_object(w);
    fow_jw_key(w, "booking");
    if (fow_lab_booking_own(who, b)) fow_lab_booking_write(w, b);
    else fow_lab_booking_write_staff(w, b);
    fow_jw_kbool(w, "created", created);
    fow_jw_object_end(w);
}

static void booking_create(http_request *req, http_response *res) {
    static const char *const known[] = {"resource",   "start",      "minutes",    "category",       "payment",
                                        "voucher_code", "invoice_ref", "group_name", "group_size",    "project_id",
                                        "note",       "idempotency_key", "person", "enterprise_code"};
    json_t *body = http_object_body(req, res, known, sizeof known / sizeof known[0]);
    if (!body) return;
    fow_lab_booking_in in;
    fow_db *db = NULL;
    if (!booking_in_of(body, &in, res) || !open_db(req, res, false, &db)) {
        json_decref(body);
        return;
    }
    fow_lab_actor who = actor_of(req);
    fow_lab_booking b;
    fow_lab_refusal refusal;
    fow_error err;
    fow_error_clear(&err);
    bool replayed = false;
    if (fow_lab_book(db, NULL, &who, &in, (int64_t)time(NULL), &b, &replayed, &refusal, &err)) {
        booking_error(res, &err, &refusal);
    } else {
        fow_jw *w = http_writer();
        if (w) write_booking_for(w, &who, &b, !replayed);
        send(res, replayed ? 200 : 201, w);
    }
    json_decref(body);
    fow_db_close(db);
}

static void bookings_mine(http_request *req, http_response *res) {
    long limit = 200;
    if (http_query_long(req, res, "limit", 200, 1, 1000, &limit)) return;
    fow_db *db = NULL;
    if (!open_db(req, res, true, &db)) return;
    fow_lab_actor who = actor_of(req);
    fow_lab_booking *list = NULL;
    size_t n = 0;
    fow_error err;
    fow_error_clear(&err);
    if (fow_lab_bookings_mine(db, &who, limit, &list, &n, &err)) {
        http_error_from(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) {
            fow_jw_object(w);
            fow_jw_key(w, "bookings");
            fow_jw_array(w);
            for (size_t i = 0; i < n; i++) fow_lab_booking_write(w, &list[i]);
            fow_jw_array_end(w);
            fow_jw_kint(w, "count", (long long)n);
            fow_jw_object_end(w);
        }
        send(res, 200, w);
    }
    free(list);
    fow_db_close(db);
}

static bool id_of(const http_request *req, http_response *res, int64_t *id) {
    char *end = NULL;
    long long v = strtoll(req->params[0], &end, 10);
    if (!*req->params[0] || *end || v <= 0) {
        http_error(res, 404, "booking", "no lab booking '%s'", req->params[0]);
        return false;
    }
    *id = v;
    return true;
}

static void booking_show(http_request *req, http_response *res) {
    int64_t id = 0;
    fow_db *db = NULL;
    if (!id_of(req, res, &id) || !open_db(req, res, true, &db)) return;
    fow_lab_actor who = actor_of(req);
    fow_lab_booking b;
    fow_error err;
    fow_error_clear(&err);
    if (fow_lab_booking_get(db, id, &b, &err) == FOW_OK && !fow_lab_booking_visible(&who, &b))
        fow_error_set_at(&err, FOW_ENOTFOUND, NULL, 0, 0, "booking", "no lab booking %lld", (long long)id);
    if (err.code) {
        http_error_from(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) write_booking_for(w, &who, &b, false);
        send(res, 200, w);
    }
    fow_db_close(db);
}

static void booking_change(http_request *req, http_response *res) {
    static const char *const known[] = {"start", "minutes"};
    int64_t id = 0;
    if (!id_of(req, res, &id)) return;
    json_t *body = http_object_body(req, res, known, 2);
    if (!body) return;
    static const char *const strings[] = {"start"};
    long long minutes = 0;
    fow_db *db = NULL;
    if (!strings_ok(body, strings, 1, res) || !int_ok(body, "minutes", 0, 24 * 60, &minutes, res) ||
        !open_db(req, res, false, &db)) {
        json_decref(body);
        return;
    }
    fow_lab_actor who = actor_of(req);
    fow_lab_booking b;
    fow_lab_refusal refusal;
    fow_error err;
    fow_error_clear(&err);
    if (fow_lab_booking_change(db, &who, id, body_string(body, "start"), (int)minutes, (int64_t)time(NULL), &b,
                               &refusal, &err)) {
        booking_error(res, &err, &refusal);
    } else {
        fow_jw *w = http_writer();
        if (w) write_booking_for(w, &who, &b, false);
        send(res, 200, w);
    }
    json_decref(body);
    fow_db_close(db);
}

static void booking_cancel(http_request *req, http_response *res) {
    static const char *const known[] = {"reason"};
    int64_t id = 0;
    if (!id_of(req, res, &id)) return;
    json_t *body = req->body_len ? http_object_body(req, res, known, 1) : json_object();
    if (!body) return;
    fow_db *db = NULL;
    if (!strings_ok(body, known, 1, res) || !open_db(req, res, false, &db)) {
        json_decref(body);
        return;
    }
    fow_lab_actor who = actor_of(req);
    fow_lab_booking b;
    fow_error err;
    fow_error_clear(&err);
    if (fow_lab_booking_cancel(db, &who, id, body_string(body, "reason"), (int64_t)time(NULL), &b, &err)) {
        booking_error(res, &err, NULL);
    } else {
        fow_jw *w = http_writer();
        if (w) {
            fow_jw_object(w);
            fow_jw_key(w, "booking");
            fow_lab_booking_write(w, &b);
            fow_jw_kint(w, "fee_minor", b.fee_minor);
            fow_jw_kstring(w, "currency", b.currency);
            fow_jw_object_end(w);
        }
        send(res, 200, w);
    }
    json_decref(body);
    fow_db_close(db);
}

static void attend(http_request *req, http_response *res, fow_lab_attendance what) {
    int64_t id = 0;
    fow_db *db = NULL;
    if (!id_of(req, res, &id) || !open_db(req, res, false, &db)) return;
    fow_lab_actor who = actor_of(req);
    fow_lab_booking b;
    fow_error err;
    fow_error_clear(&err);
    if (fow_lab_booking_attend(db, &who, id, what, (int64_t)time(NULL), &b, &err)) {
        booking_error(res, &err, NULL);
    } else {
        fow_jw *w = http_writer();
        if (w) write_booking_for(w, &who, &b, false);
        send(res, 200, w);
    }
    fow_db_close(db);
}

static void check_in(http_request *req, http_response *res) { attend(req, res, FOW_LAB_CHECK_IN); }
static void check_out(http_request *req, http_response *res) { attend(req, res, FOW_LAB_CHECK_OUT); }
static void no_show(http_request *req, http_response *res) { attend(req, res, FOW_LAB_NO_SHOW); }

static void lab_day(http_request *req, http_response *res) {
    const char *date = http_query(req, "date");
    if (!date) {
        http_error(res, 400, "date", "give the day as date=YYYY-MM-DD");
        return;
    }
    fow_db *db = NULL;
    if (!open_db(req, res, true, &db)) return;
    fow_lab_booking *list = NULL;
    size_t n = 0;
    fow_error err;
    fow_error_clear(&err);
    if (fow_lab_bookings_day(db, req->params[0], date, &list, &n, &err)) {
        http_error_from(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) {
            fow_jw_object(w);
            fow_jw_kstring(w, "lab", req->params[0]);
            fow_jw_kstring(w, "date", date);
            fow_jw_key(w, "bookings");
            fow_jw_array(w);
            for (size_t i = 0; i < n; i++) fow_lab_booking_write_staff(w, &list[i]);
            fow_jw_array_end(w);
            fow_jw_kint(w, "count", (long long)n);
            fow_jw_object_end(w);
        }
        send(res, 200, w);
    }
    free(list);
    fow_db_close(db);
}

/* ---- the waiting list ---- */

static void wait_add(http_request *req, http_response *res) {
    static const char *const known[] = {"resource", "start", "minutes", "category"};
    json_t *body = http_object_body(req, res, known, 4);
    if (!body) return;
    long long minutes = 0;
    fow_db *db = NULL;
    if (!strings_ok(body, known, 2, res) || !strings_ok(body, known + 3, 1, res) ||
        !int_ok(body, "minutes", 0, 24 * 60, &minutes, res) || !open_db(req, res, false, &db)) {
        json_decref(body);
        return;
    }
    fow_lab_actor who = actor_of(req);
    fow_lab_wait e;
    fow_lab_refusal refusal;
    fow_error err;
    fow_error_clear(&err);
    if (fow_lab_wait_add(db, &who, body_string(body, "resource"), body_string(body, "start"), (int)minutes,
                         body_string(body, "category"), (int64_t)time(NULL), &e, &refusal, &err)) {
        booking_error(res, &err, &refusal);
    } else {
        fow_jw *w = http_writer();
        if (w) {
            fow_jw_object(w);
            fow_jw_key(w, "entry");
            fow_lab_wait_write(w, &e);
            fow_jw_object_end(w);
        }
        send(res, 201, w);
    }
    json_decref(body);
    fow_db_close(db);
}

static void waits_mine(http_request *req, http_response *res) {
    fow_db *db = NULL;
    if (!open_db(req, res, false, &db)) return;
    fow_lab_actor who = actor_of(req);
    fow_lab_wait *list = NULL;
    size_t n = 0;
    fow_error err;
    fow_error_clear(&err);
    if (fow_lab_waits_mine(db, &who, (int64_t)time(NULL), &list, &n, &err)) {
        http_error_from(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) {
            fow_jw_object(w);
            fow_jw_key(w, "entries");
            fow_jw_array(w);
            for (size_t i = 0; i < n; i++) fow_lab_wait_write(w, &list[i]);
            fow_jw_array_end(w);
            fow_jw_kint(w, "count", (long long)n);
            fow_jw_object_end(w);
        }
        send(res, 200, w);
    }
    free(list);
    fow_db_close(db);
}

static void wait_accept(http_request *req, http_response *res) {
    static const char *const known[] = {"payment", "voucher_code", "invoice_ref", "note", "idempotency_key"};
    int64_t id = 0;
    if (!id_of(req, res, &id)) return;
    json_t *body = req->body_len ? http_object_body(req, res, known, 5) : json_object();
    if (!body) return;
    fow_db *db = NULL;
    if (!strings_ok(body, known, 5, res) || !open_db(req, res, false, &db)) {
        json_decref(body);
        return;
    }
    fow_lab_booking_in pay = {.payment = body_string(body, "payment"),
                              .voucher_code = body_string(body, "voucher_code"),
                              .invoice_ref = body_string(body, "invoice_ref"),
                              .note = body_string(body, "note"),
                              .key = body_string(body, "idempotency_key")};
    fow_lab_actor who = actor_of(req);
    fow_lab_booking b;
    fow_lab_refusal refusal;
    fow_error err;
    fow_error_clear(&err);
    if (fow_lab_wait_accept(db, NULL, &who, id, &pay, (int64_t)time(NULL), &b, &refusal, &err)) {
        booking_error(res, &err, &refusal);
    } else {
        fow_jw *w = http_writer();
        if (w) write_booking_for(w, &who, &b, true);
        send(res, 201, w);
    }
    json_decref(body);
    fow_db_close(db);
}

static void wait_withdraw(http_request *req, http_response *res) {
    int64_t id = 0;
    fow_db *db = NULL;
    if (!id_of(req, res, &id) || !open_db(req, res, false, &db)) return;
    fow_lab_actor who = actor_of(req);
    fow_error err;
    fow_error_clear(&err);
    if (fow_lab_wait_withdraw(db, &who, id, (int64_t)time(NULL), &err)) {
        booking_error(res, &err, NULL);
    } else {
        fow_jw *w = http_writer();
        if (w) {
            fow_jw_object(w);
            fow_jw_kint(w, "id", id);
            fow_jw_kstring(w, "status", "withdrawn");
            fow_jw_object_end(w);
        }
        send(res, 200, w);
    }
    fow_db_close(db);
}

/* ---- series ---- */

static void series(http_request *req, http_response *res, bool confirm) {
    static const char *const known[] = {"resource",  "weekday",    "start_time", "minutes",     "first_day",
                                        "last_day",  "group_name", "group_size", "category",    "invoice_ref",
                                        "skip_conflicts"};
    static const char *const strings[] = {"resource", "start_time", "first_day", "last_day", "group_name", "category",
                                          "invoice_ref"};
    json_t *body = http_object_body(req, res, known, sizeof known / sizeof known[0]);
    if (!body) return;
    long long weekday = 0, minutes = 0, group_size = 0;
    json_t *skip = json_object_get(body, "skip_conflicts");
    fow_db *db = NULL;
    bool ok = strings_ok(body, strings, sizeof strings / sizeof strings[0], res) &&
              int_ok(body, "weekday", 0, 7, &weekday, res) && int_ok(body, "minutes", 0, 24 * 60, &minutes, res) &&
              int_ok(body, "group_size", 0, 500, &group_size, res);
    if (ok && skip && !json_is_boolean(skip)) {
        http_error(res, 400, "skip_conflicts", "skip_conflicts must be true or false");
        ok = false;
    }
    if (!ok || !open_db(req, res, !confirm, &db)) {
        json_decref(body);
        return;
    }
    fow_lab_series_in in = {.resource = body_string(body, "resource"),
                            .weekday = (int)weekday,
                            .start_time = body_string(body, "start_time"),
                            .minutes = (int)minutes,
                            .first_day = body_string(body, "first_day"),
                            .last_day = body_string(body, "last_day"),
                            .category = body_string(body, "category"),
                            .group_name = body_string(body, "group_name"),
                            .group_size = (int)group_size,
                            .invoice_ref = body_string(body, "invoice_ref"),
                            .skip_conflicts = json_is_true(skip)};
    fow_lab_actor who = actor_of(req);
    fow_lab_occurrence *o = NULL;
    size_t n = 0;
    int64_t series_id = 0;
    fow_lab_refusal refusal;
    memset(&refusal, 0, sizeof refusal);
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = confirm ? fow_lab_series_confirm(db, &who, &in, (int64_t)time(NULL), &series_id, &o, &n, &refusal,
                                                   &err)
                          : fow_lab_series_preview(db, &who, &in, (int64_t)time(NULL), &o, &n, &err);
    if (rc) {
        booking_error(res, &err, &refusal);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_lab_series_write(w, in.resource, series_id, o, n);
        send(res, confirm ? 201 : 200, w);
    }
    free(o);
    json_decref(body);
    fow_db_close(db);
}

static void series_preview(http_request *req, http_response *res) { series(req, res, false); }
static void series_confirm(http_request *req, http_response *res) { series(req, res, true); }

static const http_route routes[] = {
    {.method = "GET", .pattern = "/api/v1/lab-resources/{resource}/availability", .handler = resource_availability,
     .access = HTTP_PUBLIC, .uncached = true},
    {.method = "GET", .pattern = "/api/v1/labs/{lab}/availability", .handler = lab_availability,
     .access = HTTP_PUBLIC, .uncached = true},
    {.method = "POST", .pattern = "/api/v1/lab-bookings", .handler = booking_create, .access = HTTP_SIGNED_IN,
     .max_body = 4096, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/me/lab-bookings", .handler = bookings_mine, .access = HTTP_SIGNED_IN},
    {.method = "GET", .pattern = "/api/v1/lab-bookings/{id}", .handler = booking_show, .access = HTTP_SIGNED_IN},
    {.method = "PATCH", .pattern = "/api/v1/lab-bookings/{id}", .handler = booking_change, .access = HTTP_SIGNED_IN,
     .max_body = 1024, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/lab-bookings/{id}/cancellation", .handler = booking_cancel,
     .access = HTTP_SIGNED_IN, .max_body = 1024, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/lab-bookings/{id}/check-in", .handler = check_in,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_STAFF_LABS, .max_body = 256},
    {.method = "POST", .pattern = "/api/v1/lab-bookings/{id}/check-out", .handler = check_out,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_STAFF_LABS, .max_body = 256},
    {.method = "POST", .pattern = "/api/v1/lab-bookings/{id}/no-show", .handler = no_show,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_STAFF_LABS, .max_body = 256},
    {.method = "GET", .pattern = "/api/v1/labs/{lab}/bookings", .handler = lab_day, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_STAFF_LABS},
    {.method = "POST", .pattern = "/api/v1/lab-waitlist", .handler = wait_add, .access = HTTP_SIGNED_IN,
     .max_body = 1024, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/me/lab-waitlist", .handler = waits_mine, .access = HTTP_SIGNED_IN},
    {.method = "POST", .pattern = "/api/v1/lab-waitlist/{id}/acceptance", .handler = wait_accept,
     .access = HTTP_SIGNED_IN, .max_body = 2048, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/lab-waitlist/{id}/withdrawal", .handler = wait_withdraw,
     .access = HTTP_SIGNED_IN, .max_body = 256},
    {.method = "POST", .pattern = "/api/v1/lab-series/preview", .handler = series_preview, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_BOOK_GROUPS, .max_body = 2048, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/lab-series", .handler = series_confirm, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_BOOK_GROUPS, .max_body = 2048, .json_body = true},
};
HTTP_ROUTE_TABLE(api_lab_bookings_routes, routes);
