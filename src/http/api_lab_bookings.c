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
 *   GET  /api/v1/me/lab-series                                     signed in: mine (lab staff: all)
 *   POST /api/v1/lab-series/{id}/cancellation                      its maker, lab staff: cancel the rest
 *
 * A refusal the user can act on (the slot is taken, training missing, ...)
 * answers 409 or 422 with {"error": {code, message, field, "refusal":
 * {code: "labs.slot_taken", params, text}}}: the web app words the refusal
 * by its code (msg.labs.*).
 *
 * Every handler has one shape: it reads its request (the route's {id}, a
 * JSON body, the query) into an input of its own, and gives it with its
 * work to lab_run, which opens the database, calls the work with the
 * acting account and the time, and answers with what the work wrote or
 * with the library's error (lab_errors says how). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/fow_accounts.h"
#include "http/http.h"
#include "labs/fow_bookings.h"
#include "people/fow_people.h"

/* ---- answers ---------------------------------------------------------------- */

static void send(http_response *res, int status, fow_jw *w) {
    res->cacheable = false;
    http_json_written(res, status, w);
}

/* A library error: a refusal with its message object; the role 403; else as http_error_from. */
static void booking_error(const http_request *req, http_response *res, const fow_error *err,
                          const fow_lab_refusal *refusal) {
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
            fow_lab_refusal_write(w, refusal, err->message, req->lang);
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

/* ---- one shape for every route ---------------------------------------------- */

/* What a work is given: the request, its open database, the acting
 * account, the time. */
typedef struct lab_call {
    const http_request *req;
    fow_db *db;
    fow_lab_actor who;
    int64_t now;
} lab_call;

/* How a failed work is answered: as http_error_from, or as booking_error
 * (a refusal with its message object; the role 403; a booking or offer
 * whose state does not allow it 409). */
typedef enum lab_errors { LAB_ERRORS_PLAIN, LAB_ERRORS_BOOKING } lab_errors;

/* The library's call for input in, writing the answer into w when it
 * succeeds (status *status, 200 unless set); a refusal into *refusal (it
 * starts empty). Returns the library's code with err filled. */
typedef fow_code (*lab_work)(const lab_call *c, const void *in, fow_jw *w, int *status, fow_lab_refusal *refusal,
                             fow_error *err);

/* Opens the database (for writing unless read_only), runs work with in and
 * answers. */
static void lab_run(http_request *req, http_response *res, bool read_only, lab_errors errors, const void *in,
                    lab_work work) {
    lab_call c = {.req = req,
                  .who = {.account = req->who.name, .role = req->who.role, .person_id = req->who.person_id},
                  .now = (int64_t)time(NULL)};
    fow_error err;
    fow_error_clear(&err);
    if (fow_db_open(&c.db, req->services->db_path, read_only, &err)) {
        http_error(res, 500, NULL, "the labs are not available: %s", err.message);
        return;
    }
    fow_lab_refusal refusal;
    memset(&refusal, 0, sizeof refusal);
    int status = 200;
    fow_jw *w = http_writer();
    fow_code rc = w ? work(&c, in, w, &status, &refusal, &err) : fow_error_set(&err, FOW_ENOMEM, "out of memory");
    if (!rc) send(res, status, w);
    else if (errors == LAB_ERRORS_BOOKING) booking_error(req, res, &err, &refusal);
    else http_error_from(res, &err);
    fow_db_close(c.db);
}

/* ---- reading the request ------------------------------------------------------ */

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

/* The JSON object body with only known members, each a string when present
 * (strings: the first n_strings of known); with optional, an empty body is
 * {}. NULL after a 400 (or 415); json_decref it. */
static json_t *object_body(http_request *req, http_response *res, const char *const *known, size_t n_known,
                           size_t n_strings, bool optional) {
    json_t *body = optional && !req->body_len ? json_object() : http_object_body(req, res, known, n_known);
    if (body && !strings_ok(body, known, n_strings, res)) {
        json_decref(body);
        body = NULL;
    }
    return body;
}

/* The route's numeric {id} of a what ("booking", "series"): 404 naming it otherwise. */
static bool id_of(const http_request *req, http_response *res, const char *what, int64_t *id) {
    char *end = NULL;
    long long v = strtoll(req->params[0], &end, 10);
    if (!*req->params[0] || *end || v <= 0) {
        http_error(res, 404, what, "no lab %s '%s'", what, req->params[0]);
        return false;
    }
    *id = v;
    return true;
}

static bool range_of(const http_request *req, http_response *res, const char **from, const char **to) {
    *from = http_query(req, "from");
    *to = http_query(req, "to");
    if (!*from || !*to) {
        http_error(res, 400, *from ? "to" : "from", "give the range as from=YYYY-MM-DD&to=YYYY-MM-DD");
        return false;
    }
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

/* ---- availability (public) ---------------------------------------------------- */

typedef struct range_in {
    const char *from, *to;
} range_in;

static fow_code resource_availability_work(const lab_call *c, const void *in, fow_jw *w, int *status,
                                           fow_lab_refusal *refusal, fow_error *err) {
    (void)status, (void)refusal;
    const range_in *r = in;
    return fow_lab_availability_write(c->db, c->req->params[0], r->from, r->to, c->now, c->req->lang, w, err);
}

static fow_code lab_availability_work(const lab_call *c, const void *in, fow_jw *w, int *status,
                                      fow_lab_refusal *refusal, fow_error *err) {
    (void)status, (void)refusal;
    const range_in *r = in;
    return fow_lab_availability_lab_write(c->db, c->req->params[0], r->from, r->to, c->now, c->req->lang, w, err);
}

/* Not read-only: an offer of the waiting list past its time is passed on as the slot is read. */
static void resource_availability(http_request *req, http_response *res) {
    range_in r;
    if (range_of(req, res, &r.from, &r.to)) lab_run(req, res, false, LAB_ERRORS_PLAIN, &r, resource_availability_work);
}

static void lab_availability(http_request *req, http_response *res) {
    range_in r;
    if (range_of(req, res, &r.from, &r.to)) lab_run(req, res, false, LAB_ERRORS_PLAIN, &r, lab_availability_work);
}

/* ---- bookings ----------------------------------------------------------------- */

/* The members of a booking's body; the first BOOKING_STRINGS are strings. */
static const char *const BOOKING_FIELDS[] = {"resource",    "start",           "category",  "payment",
                                             "voucher_code", "invoice_ref",     "group_name", "note",
                                             "idempotency_key", "person",       "enterprise_code", "minutes",
                                             "group_size",  "project_id"};
#define BOOKING_STRINGS 11

/* Reads a booking's body into *in (texts borrowed from body); false after a 400. */
static bool booking_in_of(json_t *body, fow_lab_booking_in *in, http_response *res) {
    memset(in, 0, sizeof *in);
    long long minutes = 0, group_size = 0, project = 0;
    if (!int_ok(body, "minutes", 0, 24 * 60, &minutes, res) || !int_ok(body, "group_size", 0, 500, &group_size, res) ||
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

static fow_code book_work(const lab_call *c, const void *in, fow_jw *w, int *status, fow_lab_refusal *refusal,
                          fow_error *err) {
    fow_lab_booking b;
    bool replayed = false;
    fow_code rc = fow_lab_book(c->db, NULL, &c->who, in, c->now, &b, &replayed, refusal, err);
    if (rc) return rc;
    write_booking_for(w, &c->who, &b, !replayed);
    *status = replayed ? 200 : 201;
    return FOW_OK;
}

static void booking_create(http_request *req, http_response *res) {
    json_t *body = object_body(req, res, BOOKING_FIELDS, sizeof BOOKING_FIELDS / sizeof BOOKING_FIELDS[0],
                               BOOKING_STRINGS, false);
    fow_lab_booking_in in;
    if (body && booking_in_of(body, &in, res)) lab_run(req, res, false, LAB_ERRORS_BOOKING, &in, book_work);
    json_decref(body);
}

/* Inside an object: "key": [each of list[0..n) as write_one writes it], "count": n. */
#define WRITE_LIST(w, key, list, n, write_one)                                                                     \
    do {                                                                                                           \
        fow_jw_key((w), (key));                                                                                    \
        fow_jw_array(w);                                                                                           \
        for (size_t at_ = 0; at_ < (n); at_++) write_one((w), &(list)[at_]);                                       \
        fow_jw_array_end(w);                                                                                       \
        fow_jw_kint((w), "count", (long long)(n));                                                                 \
    } while (0)

static fow_code mine_work(const lab_call *c, const void *in, fow_jw *w, int *status, fow_lab_refusal *refusal,
                          fow_error *err) {
    (void)status, (void)refusal;
    fow_lab_booking *list = NULL;
    size_t n = 0;
    fow_code rc = fow_lab_bookings_mine(c->db, &c->who, *(const long *)in, &list, &n, err);
    if (!rc) {
        fow_jw_object(w);
        WRITE_LIST(w, "bookings", list, n, fow_lab_booking_write);
        fow_jw_object_end(w);
    }
    free(list);
    return rc;
}

static void bookings_mine(http_request *req, http_response *res) {
    long limit = 200;
    if (!http_query_long(req, res, "limit", 200, 1, 1000, &limit)) lab_run(req, res, true, LAB_ERRORS_PLAIN, &limit, mine_work);
}

static fow_code show_work(const lab_call *c, const void *in, fow_jw *w, int *status, fow_lab_refusal *refusal,
                          fow_error *err) {
    (void)status, (void)refusal;
    int64_t id = *(const int64_t *)in;
    fow_lab_booking b;
    fow_code rc = fow_lab_booking_get(c->db, id, &b, err);
    if (!rc && !fow_lab_booking_visible(&c->who, &b))
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "booking", "no lab booking %lld", (long long)id);
    if (!rc) write_booking_for(w, &c->who, &b, false);
    return rc;
}

static void booking_show(http_request *req, http_response *res) {
    int64_t id = 0;
    if (id_of(req, res, "booking", &id)) lab_run(req, res, true, LAB_ERRORS_PLAIN, &id, show_work);
}

typedef struct change_in {
    int64_t id;
    const char *start;
    int minutes;
} change_in;

static fow_code change_work(const lab_call *c, const void *in, fow_jw *w, int *status, fow_lab_refusal *refusal,
                            fow_error *err) {
    (void)status;
    const change_in *x = in;
    fow_lab_booking b;
    fow_code rc = fow_lab_booking_change(c->db, &c->who, x->id, x->start, x->minutes, c->now, &b, refusal, err);
    if (!rc) write_booking_for(w, &c->who, &b, false);
    return rc;
}

static void booking_change(http_request *req, http_response *res) {
    static const char *const known[] = {"start", "minutes"};
    change_in x = {0};
    if (!id_of(req, res, "booking", &x.id)) return;
    json_t *body = object_body(req, res, known, 2, 1, false);
    long long minutes = 0;
    if (body && int_ok(body, "minutes", 0, 24 * 60, &minutes, res)) {
        x.start = body_string(body, "start");
        x.minutes = (int)minutes;
        lab_run(req, res, false, LAB_ERRORS_BOOKING, &x, change_work);
    }
    json_decref(body);
}

/* A route's {id} with the optional reason of its body. */
typedef struct reason_in {
    int64_t id;
    const char *reason;
} reason_in;

static fow_code cancel_work(const lab_call *c, const void *in, fow_jw *w, int *status, fow_lab_refusal *refusal,
                            fow_error *err) {
    (void)status, (void)refusal;
    const reason_in *x = in;
    fow_lab_booking b;
    fow_code rc = fow_lab_booking_cancel(c->db, &c->who, x->id, x->reason, c->now, &b, err);
    if (rc) return rc;
    fow_jw_object(w);
    fow_jw_key(w, "booking");
    fow_lab_booking_write(w, &b);
    fow_jw_kint(w, "fee_minor", b.fee_minor);
    fow_jw_kstring(w, "currency", b.currency);
    fow_jw_object_end(w);
    return FOW_OK;
}

/* Reads {id} (naming what) and the optional {"reason"} body, then runs work. */
static void with_reason(http_request *req, http_response *res, const char *what, lab_work work) {
    static const char *const known[] = {"reason"};
    reason_in x = {0};
    if (!id_of(req, res, what, &x.id)) return;
    json_t *body = object_body(req, res, known, 1, 1, true);
    if (!body) return;
    x.reason = body_string(body, "reason");
    lab_run(req, res, false, LAB_ERRORS_BOOKING, &x, work);
    json_decref(body);
}

static void booking_cancel(http_request *req, http_response *res) { with_reason(req, res, "booking", cancel_work); }

typedef struct attend_in {
    int64_t id;
    fow_lab_attendance what;
} attend_in;

static fow_code attend_work(const lab_call *c, const void *in, fow_jw *w, int *status, fow_lab_refusal *refusal,
                            fow_error *err) {
    (void)status, (void)refusal;
    const attend_in *x = in;
    fow_lab_booking b;
    fow_code rc = fow_lab_booking_attend(c->db, &c->who, x->id, x->what, c->now, &b, err);
    if (!rc) write_booking_for(w, &c->who, &b, false);
    return rc;
}

static void attend(http_request *req, http_response *res, fow_lab_attendance what) {
    attend_in x = {.what = what};
    if (id_of(req, res, "booking", &x.id)) lab_run(req, res, false, LAB_ERRORS_BOOKING, &x, attend_work);
}

static void check_in(http_request *req, http_response *res) { attend(req, res, FOW_LAB_CHECK_IN); }
static void check_out(http_request *req, http_response *res) { attend(req, res, FOW_LAB_CHECK_OUT); }
static void no_show(http_request *req, http_response *res) { attend(req, res, FOW_LAB_NO_SHOW); }

static fow_code day_work(const lab_call *c, const void *in, fow_jw *w, int *status, fow_lab_refusal *refusal,
                         fow_error *err) {
    (void)status, (void)refusal;
    const char *date = in;
    fow_lab_booking *list = NULL;
    size_t n = 0;
    fow_code rc = fow_lab_bookings_day(c->db, c->req->params[0], date, &list, &n, err);
    if (!rc) {
        fow_jw_object(w);
        fow_jw_kstring(w, "lab", c->req->params[0]);
        fow_jw_kstring(w, "date", date);
        WRITE_LIST(w, "bookings", list, n, fow_lab_booking_write_staff);
        fow_jw_object_end(w);
    }
    free(list);
    return rc;
}

static void lab_day(http_request *req, http_response *res) {
    const char *date = http_query(req, "date");
    if (!date) http_error(res, 400, "date", "give the day as date=YYYY-MM-DD");
    else lab_run(req, res, true, LAB_ERRORS_PLAIN, date, day_work);
}

/* ---- the waiting list ---------------------------------------------------------- */

typedef struct wait_in {
    const char *resource, *start, *category;
    int minutes;
} wait_in;

static fow_code wait_add_work(const lab_call *c, const void *in, fow_jw *w, int *status, fow_lab_refusal *refusal,
                              fow_error *err) {
    const wait_in *x = in;
    fow_lab_wait e;
    fow_code rc = fow_lab_wait_add(c->db, &c->who, x->resource, x->start, x->minutes, x->category, c->now, &e,
                                   refusal, err);
    if (rc) return rc;
    fow_jw_object(w);
    fow_jw_key(w, "entry");
    fow_lab_wait_write(w, &e);
    fow_jw_object_end(w);
    *status = 201;
    return FOW_OK;
}

static void wait_add(http_request *req, http_response *res) {
    static const char *const known[] = {"resource", "start", "category", "minutes"};
    json_t *body = object_body(req, res, known, 4, 3, false);
    long long minutes = 0;
    if (body && int_ok(body, "minutes", 0, 24 * 60, &minutes, res)) {
        wait_in x = {.resource = body_string(body, "resource"), .start = body_string(body, "start"),
                     .category = body_string(body, "category"), .minutes = (int)minutes};
        lab_run(req, res, false, LAB_ERRORS_BOOKING, &x, wait_add_work);
    }
    json_decref(body);
}

static fow_code waits_mine_work(const lab_call *c, const void *in, fow_jw *w, int *status,
                                fow_lab_refusal *refusal, fow_error *err) {
    (void)in, (void)status, (void)refusal;
    fow_lab_wait *list = NULL;
    size_t n = 0;
    fow_code rc = fow_lab_waits_mine(c->db, &c->who, c->now, &list, &n, err);
    if (!rc) {
        fow_jw_object(w);
        WRITE_LIST(w, "entries", list, n, fow_lab_wait_write);
        fow_jw_object_end(w);
    }
    free(list);
    return rc;
}

/* Not read-only: offers past their time are expired as the list is read. */
static void waits_mine(http_request *req, http_response *res) {
    lab_run(req, res, false, LAB_ERRORS_PLAIN, NULL, waits_mine_work);
}

typedef struct accept_in {
    int64_t id;
    fow_lab_booking_in pay;
} accept_in;

static fow_code accept_work(const lab_call *c, const void *in, fow_jw *w, int *status, fow_lab_refusal *refusal,
                            fow_error *err) {
    const accept_in *x = in;
    fow_lab_booking b;
    fow_code rc = fow_lab_wait_accept(c->db, NULL, &c->who, x->id, &x->pay, c->now, &b, refusal, err);
    if (rc) return rc;
    write_booking_for(w, &c->who, &b, true);
    *status = 201;
    return FOW_OK;
}

static void wait_accept(http_request *req, http_response *res) {
    static const char *const known[] = {"payment", "voucher_code", "invoice_ref", "note", "idempotency_key"};
    accept_in x = {0};
    if (!id_of(req, res, "booking", &x.id)) return;
    json_t *body = object_body(req, res, known, 5, 5, true);
    if (!body) return;
    x.pay = (fow_lab_booking_in){.payment = body_string(body, "payment"),
                                 .voucher_code = body_string(body, "voucher_code"),
                                 .invoice_ref = body_string(body, "invoice_ref"),
                                 .note = body_string(body, "note"),
                                 .key = body_string(body, "idempotency_key")};
    lab_run(req, res, false, LAB_ERRORS_BOOKING, &x, accept_work);
    json_decref(body);
}

static fow_code withdraw_work(const lab_call *c, const void *in, fow_jw *w, int *status, fow_lab_refusal *refusal,
                              fow_error *err) {
    (void)status, (void)refusal;
    int64_t id = *(const int64_t *)in;
    fow_code rc = fow_lab_wait_withdraw(c->db, &c->who, id, c->now, err);
    if (rc) return rc;
    fow_jw_object(w);
    fow_jw_kint(w, "id", id);
    fow_jw_kstring(w, "status", "withdrawn");
    fow_jw_object_end(w);
    return FOW_OK;
}

static void wait_withdraw(http_request *req, http_response *res) {
    int64_t id = 0;
    if (id_of(req, res, "booking", &id)) lab_run(req, res, false, LAB_ERRORS_BOOKING, &id, withdraw_work);
}

/* ---- series --------------------------------------------------------------------- */

typedef struct series_in {
    fow_lab_series_in series;
    bool confirm;
} series_in;

static fow_code series_work(const lab_call *c, const void *in, fow_jw *w, int *status, fow_lab_refusal *refusal,
                            fow_error *err) {
    const series_in *x = in;
    fow_lab_occurrence *o = NULL;
    size_t n = 0;
    int64_t series_id = 0;
    fow_code rc = x->confirm
                      ? fow_lab_series_confirm(c->db, &c->who, &x->series, c->now, &series_id, &o, &n, refusal, err)
                      : fow_lab_series_preview(c->db, &c->who, &x->series, c->now, &o, &n, err);
    if (!rc) {
        fow_lab_series_write(w, x->series.resource, series_id, o, n, c->req->lang);
        *status = x->confirm ? 201 : 200;
    }
    free(o);
    return rc;
}

/* Not read-only, a preview too: offers past their time are expired as the slots are read. */
static void series(http_request *req, http_response *res, bool confirm) {
    static const char *const known[] = {"resource",   "start_time", "first_day", "last_day", "group_name",
                                        "category",   "invoice_ref", "weekday",  "minutes",  "group_size",
                                        "skip_conflicts"};
    json_t *body = object_body(req, res, known, sizeof known / sizeof known[0], 7, false);
    if (!body) return;
    long long weekday = 0, minutes = 0, group_size = 0;
    json_t *skip = json_object_get(body, "skip_conflicts");
    bool ok = int_ok(body, "weekday", 0, 7, &weekday, res) && int_ok(body, "minutes", 0, 24 * 60, &minutes, res) &&
              int_ok(body, "group_size", 0, 500, &group_size, res);
    if (ok && skip && !json_is_boolean(skip)) {
        http_error(res, 400, "skip_conflicts", "skip_conflicts must be true or false");
        ok = false;
    }
    if (ok) {
        series_in x = {.series = {.resource = body_string(body, "resource"),
                                  .weekday = (int)weekday,
                                  .start_time = body_string(body, "start_time"),
                                  .minutes = (int)minutes,
                                  .first_day = body_string(body, "first_day"),
                                  .last_day = body_string(body, "last_day"),
                                  .category = body_string(body, "category"),
                                  .group_name = body_string(body, "group_name"),
                                  .group_size = (int)group_size,
                                  .invoice_ref = body_string(body, "invoice_ref"),
                                  .skip_conflicts = json_is_true(skip)},
                       .confirm = confirm};
        lab_run(req, res, false, LAB_ERRORS_BOOKING, &x, series_work);
    }
    json_decref(body);
}

static void series_preview(http_request *req, http_response *res) { series(req, res, false); }
static void series_confirm(http_request *req, http_response *res) { series(req, res, true); }

static fow_code series_mine_work(const lab_call *c, const void *in, fow_jw *w, int *status,
                                 fow_lab_refusal *refusal, fow_error *err) {
    (void)in, (void)status, (void)refusal;
    fow_lab_series *list = NULL;
    size_t n = 0;
    fow_code rc = fow_lab_series_list(c->db, &c->who, c->now, &list, &n, err);
    if (!rc) {
        fow_jw_object(w);
        WRITE_LIST(w, "series", list, n, fow_lab_series_item_write);
        fow_jw_object_end(w);
    }
    free(list);
    return rc;
}

static void series_mine(http_request *req, http_response *res) {
    lab_run(req, res, true, LAB_ERRORS_PLAIN, NULL, series_mine_work);
}

static fow_code series_cancel_work(const lab_call *c, const void *in, fow_jw *w, int *status,
                                   fow_lab_refusal *refusal, fow_error *err) {
    (void)status, (void)refusal;
    const reason_in *x = in;
    fow_lab_series s;
    fow_lab_booking *cancelled = NULL;
    size_t n = 0;
    fow_code rc = fow_lab_series_cancel(c->db, &c->who, x->id, x->reason, c->now, &s, &cancelled, &n, err);
    if (!rc) fow_lab_series_cancel_write(w, &s, cancelled, n);
    free(cancelled);
    return rc;
}

static void series_cancel(http_request *req, http_response *res) { with_reason(req, res, "series", series_cancel_work); }

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
    {.method = "GET", .pattern = "/api/v1/me/lab-series", .handler = series_mine, .access = HTTP_SIGNED_IN},
    {.method = "POST", .pattern = "/api/v1/lab-series/{id}/cancellation", .handler = series_cancel,
     .access = HTTP_SIGNED_IN, .max_body = 1024, .json_body = true},
};
HTTP_ROUTE_TABLE(api_lab_bookings_routes, routes);
