/* api_voucher_office.c — the voucher office's routes (issue 14, points 5, 9
 * and 10; docs/vouchers.md, "The office over HTTP"): funds, budget lines and
 * their top-ups, issuing, activating, cancelling and expiring vouchers,
 * refunds, the providers' claims and their settlement, payment batches,
 * their approval and their export (CSV, or an ISO 20022 pain.001.001.03
 * payment file), and the providers' bank accounts. Every route needs
 * FOW_PERM_MANAGE_VOUCHERS (admin, voucher_office). Handlers only parse and
 * format: the work is src/vouchers' (fow_vouchers.h), the documents
 * fow_result's (the same as `fow voucher ... --json`).
 *
 * Fresh confirmation: every route that moves money (a ledger transfer:
 * a new budget line's allocation, a top-up, issuing, cancelling, expiring,
 * a refund, the settlement of claims, the approval of a payment batch) and
 * the change of a provider's bank account take "confirm_password", the
 * acting user's own password re-entered, whether they came with a session
 * or an API token. Absent: 403 auth.confirmation_required; wrong: 403
 * auth.confirmation_failed, counted by the sign-in throttle (too many: 429
 * auth.confirmation_throttled with Retry-After). Checking it costs a
 * password hash, so the request waits for one of the hashing threads of
 * auth.h (as a sign-in does) and the action runs there once the password
 * is right. The password is never logged, kept or written to the ledger
 * (the ledger names the account).
 *
 * Persons appear only as the pseudonymous ids on vouchers and claims; a
 * query naming one (?person=) stays out of the access log, which writes
 * the path only. Nothing here is cached. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/fow_accounts.h"
#include "http/auth.h"
#include "http/http.h"
#include "people/fow_people.h"
#include "service/fow_msg.h"
#include "service/fow_result.h"
#include "training/fow_cohort.h"
#include "training/fow_training.h"
#include "vouchers/fow_vouchers.h"

#define OFFICE_PARAM_MAX 128

/* A POST route's action: its fields, whether it moves money, its work
 * (below, "the office's actions"). */
typedef struct office_action office_action;

/* What an office action needs of its request: copies, since an action
 * confirmed by password runs on a hashing thread after the request's
 * handler has returned. */
typedef struct office_call {
    const http_services *services;
    http_principal who;
    char params[HTTP_MAX_PARAMS][OFFICE_PARAM_MAX];
    json_t *body;                 /* one reference; NULL for none */
    const office_action *action;  /* a POST's; NULL for a GET */
} office_call;

/* ---- answers ------------------------------------------------------------------ */

static void send(http_response *res, int status, fow_jw *w) {
    res->cacheable = false;
    http_json_written(res, status, w);
}

/* A library error: the role 403; what the state of a voucher, claim or
 * batch does not allow now (fields voucher, redemption, batch, claims, key,
 * consent, iban) 409; else as http_error_from. */
static void office_error(http_response *res, const fow_error *err) {
    static const char *const conflicts[] = {"voucher",     "redemption", "batch", "claims", "key",
                                            "lab_charge", "consent",    "iban"};
    res->cacheable = false;
    if (strcmp(err->field, "role") == 0) {
        http_error(res, 403, err->field, "%s", err->message);
        return;
    }
    if (err->code == FOW_EINPUT)
        for (size_t i = 0; i < sizeof conflicts / sizeof conflicts[0]; i++)
            if (strcmp(err->field, conflicts[i]) == 0) {
                http_error(res, 409, err->field, "%s", err->message);
                return;
            }
    http_error_from(res, err);
}

/* {"error": {code, message, field: "confirm_password", msg: {code, params,
 * text}}} with status (403, or 429 when throttled). */
static void confirmation_error(http_response *res, int status, const char *code, const char *text) {
    json_t *error = json_pack("{s:s, s:s, s:s, s:o}", "code", code, "message", text, "field", "confirm_password", "msg",
                              fow_msg_json(code, text, NULL, 0));
    res->cacheable = false;
    http_json(res, status, json_pack("{s:o}", "error", error));
}

/* ---- the request's connections ------------------------------------------------- */

typedef struct office_session {
    fow_db *db;
    fow_people *people;
    fow_training_catalogue catalogue;
    bool has_catalogue;
} office_session;

/* Opens the database (for writing unless read_only), and the people records
 * and the catalogue when people; false after a 500. */
static bool session_begin(const office_call *c, http_response *res, office_session *s, bool read_only, bool people) {
    memset(s, 0, sizeof *s);
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = fow_db_open(&s->db, c->services->db_path, read_only, &err);
    if (!rc && people) {
        char key_path[4096];
        rc = fow_people_key_path(c->services->db_path, key_path, sizeof key_path, &err);
        if (!rc) rc = fow_people_open(s->db, key_path, &s->people, &err);
        if (!rc) rc = fow_training_load(s->db, &s->catalogue, &err);
        s->has_catalogue = rc == FOW_OK;
    }
    if (rc) {
        if (s->has_catalogue) fow_training_free(&s->catalogue);
        fow_people_close(s->people);
        fow_db_close(s->db);
        memset(s, 0, sizeof *s);
        http_error(res, 500, NULL, "the voucher office is not available: %s", err.message);
        return false;
    }
    return true;
}

static void session_end(office_session *s) {
    if (s->has_catalogue) fow_training_free(&s->catalogue);
    fow_people_close(s->people);
    fow_db_close(s->db);
}

/* ---- the office's actions, described by tables -------------------------------------------- */

/* How a body field is read (read_input). */
typedef enum office_field_kind {
    FIELD_STRING,    /* a string of 1..max bytes */
    FIELD_INT,       /* a whole number from min to max; def when absent */
    FIELD_BOOL,      /* true, false or null (false) */
    FIELD_PROVIDERS, /* an array of training provider ids (at most FOW_VOUCHER_MAX_ALLOWED) */
    FIELD_MODULES    /* an array of module codes (at most FOW_VOUCHER_MAX_ALLOWED) */
} office_field_kind;

/* A body field an action takes; a 400 naming it when it is required and
 * absent, or not of its kind and bounds. */
typedef struct office_field {
    const char *name;
    office_field_kind kind;
    bool required;
    int64_t min, max; /* FIELD_INT: the bounds; FIELD_STRING: max bytes */
    int64_t def;      /* FIELD_INT: the value when absent */
} office_field;

#define OFFICE_MAX_FIELDS 14

/* The input of an action once read: the route's numeric {id} and the
 * fields, each at the position of its office_field in the action. */
typedef struct office_input {
    int64_t id;
    const char *text[OFFICE_MAX_FIELDS];  /* FIELD_STRING: NULL when absent */
    int64_t number[OFFICE_MAX_FIELDS];    /* FIELD_INT, FIELD_BOOL (0 or 1) */
    int64_t providers[FOW_VOUCHER_MAX_ALLOWED];
    size_t n_providers;
    const char *modules[FOW_VOUCHER_MAX_ALLOWED];
    size_t n_modules;
} office_input;

/* The work of a route on its open session: the library's call with the
 * input in (an office_input, or a route's query), writing the answer into
 * w when it succeeds (status *status, 200 unless set). Returns the
 * library's code, with err filled. */
typedef fow_code (*office_work)(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                                fow_error *err);

/* A POST of the office: its route's numeric {id} (the name errors give
 * it, or NULL), whether it moves money (confirm_password first), whether
 * it opens the people records and the catalogue, whether the library's
 * refusals are the caller's input (400, never 409: a bad IBAN), its
 * fields in the order they are checked, and its work. */
struct office_action {
    const char *path_id;
    bool confirm;
    bool people;
    bool input_errors;
    office_field fields[OFFICE_MAX_FIELDS]; /* up to the first without a name */
    office_work work;
};

static int64_t now_s(void) { return (int64_t)time(NULL); }

/* Runs work on a session opened for c (read_only, people) with in, and
 * answers: the document work wrote, or the library's error (office_error,
 * or http_error_from when input_errors). */
static void office_run(const office_call *c, http_response *res, bool read_only, bool people, bool input_errors,
                       const void *in, office_work work) {
    office_session s;
    if (!session_begin(c, res, &s, read_only, people)) return;
    fow_error err;
    fow_error_clear(&err);
    int status = 200;
    fow_jw *w = http_writer();
    fow_code rc = w ? work(c, &s, in, w, &status, &err) : fow_error_set(&err, FOW_ENOMEM, "out of memory");
    if (!rc) send(res, status, w);
    else if (input_errors) http_error_from(res, &err);
    else office_error(res, &err);
    session_end(&s);
}

/* ---- body fields ------------------------------------------------------------- */

/* A string field: NULL when absent or null (then a 400 when required), or
 * after a 400 when it is not a string of 1..max bytes (*ok false). */
static const char *body_string(const office_call *c, const char *name, size_t max, bool required, http_response *res,
                               bool *ok) {
    json_t *v = c->body ? json_object_get(c->body, name) : NULL;
    if (!*ok) return NULL;
    if (!v || json_is_null(v)) {
        if (required) {
            http_error(res, 400, name, "%s is required", name);
            *ok = false;
        }
        return NULL;
    }
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > max) {
        http_error(res, 400, name, "%s must be a string of 1 to %zu bytes", name, max);
        *ok = false;
        return NULL;
    }
    return json_string_value(v);
}

/* A whole-number field from min to max into *out (def when absent; a 400
 * when required and absent). */
static void body_int(const office_call *c, const char *name, int64_t min, int64_t max, int64_t def, bool required,
                     int64_t *out, http_response *res, bool *ok) {
    json_t *v = c->body ? json_object_get(c->body, name) : NULL;
    *out = def;
    if (!*ok) return;
    if (!v || json_is_null(v)) {
        if (required) {
            http_error(res, 400, name, "%s is required: a whole number", name);
            *ok = false;
        }
        return;
    }
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        http_error(res, 400, name, "%s must be a whole number from %lld to %lld", name, (long long)min,
                   (long long)max);
        *ok = false;
        return;
    }
    *out = json_integer_value(v);
}

/* An array field of at most FOW_VOUCHER_MAX_ALLOWED training provider ids
 * (modules false) or module codes (modules true) into ids or codes (*n). */
static void body_list(const office_call *c, const char *name, bool modules, int64_t *ids, const char **codes,
                      size_t *n, http_response *res, bool *ok) {
    json_t *v = c->body ? json_object_get(c->body, name) : NULL;
    *n = 0;
    if (!*ok || !v || json_is_null(v)) return;
    if (!json_is_array(v) || json_array_size(v) > FOW_VOUCHER_MAX_ALLOWED) {
        http_error(res, 400, name, "%s must be an array of at most %d %s", name, FOW_VOUCHER_MAX_ALLOWED,
                   modules ? "module codes" : "training provider ids");
        *ok = false;
        return;
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *e = json_array_get(v, i);
        if (modules && (!json_is_string(e) || json_string_length(e) == 0 || json_string_length(e) > 64)) {
            http_error(res, 400, name, "%s[%zu] must be a module code (1 to 64 bytes)", name, i);
            *ok = false;
            return;
        }
        if (!modules && (!json_is_integer(e) || json_integer_value(e) < 1)) {
            http_error(res, 400, name, "%s[%zu] must be a training provider's id (a positive whole number)", name, i);
            *ok = false;
            return;
        }
        if (modules) codes[(*n)++] = json_string_value(e);
        else ids[(*n)++] = json_integer_value(e);
    }
}

/* A field of kind FIELD_BOOL: true, false or null (false) into *out. */
static void body_bool(const office_call *c, const char *name, int64_t *out, http_response *res, bool *ok) {
    json_t *v = c->body ? json_object_get(c->body, name) : NULL;
    *out = json_is_true(v);
    if (*ok && v && !json_is_boolean(v) && !json_is_null(v)) {
        http_error(res, 400, name, "%s must be true or false", name);
        *ok = false;
    }
}

/* An integer path parameter (1..) into *out; false after a 400 naming it. */
static bool param_id(const office_call *c, int i, const char *name, int64_t *out, http_response *res) {
    char *end = NULL;
    long long v = strtoll(c->params[i], &end, 10);
    if (!c->params[i][0] || *end || v < 1) {
        http_error(res, 400, name, "%s must be a positive whole number, not '%.40s'", name, c->params[i]);
        return false;
    }
    *out = v;
    return true;
}

/* Reads the route's {id} and the fields of action a from c into in, in
 * order; false after a 400 naming the first that is wrong. */
static bool read_input(const office_call *c, const office_action *a, office_input *in, http_response *res) {
    memset(in, 0, sizeof *in);
    if (a->path_id && !param_id(c, 0, a->path_id, &in->id, res)) return false;
    bool ok = true;
    for (int i = 0; i < OFFICE_MAX_FIELDS && a->fields[i].name; i++) {
        const office_field *f = &a->fields[i];
        switch (f->kind) {
        case FIELD_STRING: in->text[i] = body_string(c, f->name, (size_t)f->max, f->required, res, &ok); break;
        case FIELD_INT: body_int(c, f->name, f->min, f->max, f->def, f->required, &in->number[i], res, &ok); break;
        case FIELD_BOOL: body_bool(c, f->name, &in->number[i], res, &ok); break;
        case FIELD_PROVIDERS: body_list(c, f->name, false, in->providers, NULL, &in->n_providers, res, &ok); break;
        case FIELD_MODULES: body_list(c, f->name, true, NULL, in->modules, &in->n_modules, res, &ok); break;
        }
    }
    return ok;
}

/* ---- running an action: at once, or once the password is confirmed ----------- */

static void call_init(office_call *c, const http_request *req, json_t *body) {
    memset(c, 0, sizeof *c);
    c->services = req->services;
    c->who = req->who;
    for (int i = 0; i < req->n_params && i < HTTP_MAX_PARAMS; i++)
        snprintf(c->params[i], sizeof c->params[i], "%s", req->params[i]);
    c->body = body;
}

/* Runs c's action: its input read, then its work on a session. */
static void run_action(const office_call *c, http_response *res) {
    const office_action *a = c->action;
    office_input in;
    if (read_input(c, a, &in, res)) office_run(c, res, false, a->people, a->input_errors, &in, a->work);
}

/* A request waiting for a hashing thread to check its confirm_password. */
typedef struct confirm_job {
    http_deferred *answer;
    office_call call;
    char client[64];
    char password[FOW_PASSWORD_MAX + 1];
} confirm_job;

static void confirm_job_free(confirm_job *job) {
    json_decref(job->call.body);
    sodium_memzero(job, sizeof *job);
    free(job);
}

/* On a hashing thread: checks the password, runs the action when it is
 * right, answers and resumes the request. */
static void run_confirmed(fow_db *db, fow_login_throttle *throttle, void *ctx) {
    confirm_job *job = ctx;
    http_response *res = http_deferred_response(job->answer);
    fow_auth_status status = FOW_AUTH_ERROR;
    long long retry = 0;
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = fow_accounts_confirm_password(db, throttle, job->client, job->call.who.name, job->password,
                                                (long long)now_s(), &status, &retry, &err);
    sodium_memzero(job->password, sizeof job->password);
    if (rc == FOW_OK) {
        run_action(&job->call, res);
    } else if (status == FOW_AUTH_THROTTLED) {
        char after[32];
        snprintf(after, sizeof after, "%lld", retry > 0 ? retry : 1);
        http_header(res, "Retry-After", after);
        confirmation_error(res, 429, "auth.confirmation_throttled",
                           "too many wrong passwords: wait before confirming again");
    } else if (status == FOW_AUTH_BAD_CREDENTIALS) {
        confirmation_error(res, 403, "auth.confirmation_failed",
                           "the password does not match: this action was not done");
    } else {
        http_error_from(res, &err);
    }
    http_deferred *answer = job->answer;
    confirm_job_free(job);
    http_deferred_finish(answer);
}

/* The handler of an office POST: the body (the fields of action, and
 * confirm_password when it moves money), then action, at once or — when it
 * moves money — on a hashing thread once the password is confirmed. */
static void office_post(http_request *req, http_response *res, const office_action *action) {
    const char *names[OFFICE_MAX_FIELDS + 1];
    size_t n = 0;
    for (int i = 0; i < OFFICE_MAX_FIELDS && action->fields[i].name; i++) names[n++] = action->fields[i].name;
    bool confirm = action->confirm;
    if (confirm) names[n++] = "confirm_password";
    json_t *body = NULL;
    if (req->body_len > 0 || confirm) {
        if (req->body_len == 0) {
            confirmation_error(res, 403, "auth.confirmation_required",
                               "this action moves money: re-enter your password as confirm_password");
            return;
        }
        if (!(body = http_object_body(req, res, names, n))) return;
    }
    office_call call;
    call_init(&call, req, body);
    call.action = action;
    if (!confirm) {
        run_action(&call, res);
        json_decref(body);
        return;
    }
    json_t *pw = json_object_get(body, "confirm_password");
    if (!pw || json_is_null(pw) || (json_is_string(pw) && json_string_length(pw) == 0)) {
        confirmation_error(res, 403, "auth.confirmation_required",
                           "this action moves money: re-enter your password as confirm_password");
        json_decref(body);
        return;
    }
    if (!json_is_string(pw) || json_string_length(pw) > FOW_PASSWORD_MAX) {
        http_error(res, 400, "confirm_password", "confirm_password must be a string of 1 to %d bytes",
                   FOW_PASSWORD_MAX);
        json_decref(body);
        return;
    }
    http_auth *auth = req->services->auth;
    fow_session none;
    fow_auth_status status;
    fow_error err;
    fow_error_clear(&err);
    if (http_auth_login_throttled(auth, req->client, req->who.name, (long long)now_s(), &none, &status, &err)) {
        char after[32];
        snprintf(after, sizeof after, "%lld", none.retry_after > 0 ? none.retry_after : 1);
        http_header(res, "Retry-After", after);
        confirmation_error(res, 429, "auth.confirmation_throttled",
                           "too many wrong passwords: wait before confirming again");
        json_decref(body);
        return;
    }
    if (http_auth_login_room(auth, req->client) != HTTP_LOGIN_QUEUED) {
        http_header(res, "Retry-After", "1");
        http_error(res, 503, NULL, "too many passwords are being checked right now: try again in a moment");
        json_decref(body);
        return;
    }
    confirm_job *job = calloc(1, sizeof *job);
    http_deferred *answer = job ? http_defer(req) : NULL;
    if (!answer) {
        free(job);
        json_decref(body);
        http_error(res, 500, NULL, "out of memory");
        return;
    }
    job->answer = answer;
    job->call = call;
    snprintf(job->client, sizeof job->client, "%s", req->client);
    snprintf(job->password, sizeof job->password, "%s", json_string_value(pw));
    /* the body keeps no copy of the password once the job has one */
    sodium_memzero((char *)json_string_value(pw), json_string_length(pw));
    json_object_del(body, "confirm_password");
    if (http_auth_submit_login(auth, req->client, run_confirmed, job) != HTTP_LOGIN_QUEUED) {
        confirm_job_free(job);
        http_response *r = http_deferred_response(answer);
        http_header(r, "Retry-After", "1");
        http_error(r, 503, NULL, "too many passwords are being checked right now: try again in a moment");
        http_deferred_finish(answer);
    }
}

/* The handler of an office GET: the route's numeric {id} (named path_id,
 * or NULL for none) into query->id, then work on a read-only session with
 * query. */
typedef struct office_query {
    int64_t id;
    const char *status, *person;
    long line, provider, batch;
} office_query;

static void office_get(http_request *req, http_response *res, const char *path_id, office_query *query,
                       office_work work) {
    office_call c;
    call_init(&c, req, NULL);
    if (path_id && !param_id(&c, 0, path_id, &query->id, res)) return;
    office_run(&c, res, true, false, false, query, work);
}

/* Field descriptions shared by several actions. */
#define F_TEXT(name, max, required) {(name), FIELD_STRING, (required), 0, (max), 0}
#define F_INT(name, min, max, def, required) {(name), FIELD_INT, (required), (min), (max), (def)}
#define F_AMOUNT(name, min) F_INT((name), (min), 1000000000000000LL, 0, true)

/* ---- the answers: a record read again after the action -------------------------- */

static fow_code write_line(office_session *s, int64_t id, fow_jw *w, fow_error *err) {
    fow_budget_line l;
    fow_code rc = fow_budget_line_get(s->db, id, &l, err);
    if (!rc) fow_budget_line_write(w, &l);
    return rc;
}

static fow_code write_voucher(office_session *s, int64_t id, fow_jw *w, fow_error *err) {
    fow_voucher v;
    fow_code rc = fow_voucher_get(s->db, id, &v, err);
    if (!rc) fow_voucher_write(w, &v);
    return rc;
}

static fow_code write_redemption(office_session *s, int64_t id, fow_jw *w, fow_error *err) {
    fow_redemption r;
    fow_code rc = fow_redemption_get(s->db, id, &r, err);
    if (!rc) fow_redemption_write(w, &r);
    return rc;
}

/* The batch id with its claims and lab charges as fow_result_payment_batch. */
static fow_code write_batch(office_session *s, int64_t id, fow_jw *w, fow_error *err) {
    fow_payment_batch b;
    fow_redemption *claims = NULL;
    size_t n = 0;
    fow_voucher_lab_charge *charges = NULL;
    size_t n_charges = 0;
    int64_t now = now_s();
    fow_code rc = fow_payment_batch_get(s->db, id, &b, err);
    if (!rc) rc = fow_redemptions_list(s->db, 0, NULL, id, &claims, &n, err);
    if (!rc) rc = fow_voucher_lab_charges_list(s->db, 0, id, NULL, now, &charges, &n_charges, err);
    if (!rc) fow_result_payment_batch(w, &b, claims, n, charges, n_charges, now);
    free(claims);
    free(charges);
    return rc;
}

/* {provider_id, name, iban, bic} (null when not recorded). */
static fow_code write_bank(office_session *s, int64_t id, fow_jw *w, fow_error *err) {
    fow_provider_bank b;
    fow_code rc = fow_training_provider_bank(s->db, id, &b, err);
    if (rc) return rc;
    fow_jw_object(w);
    fow_jw_kint(w, "provider_id", (long long)b.provider_id);
    fow_jw_kstring(w, "name", b.name);
    fow_jw_key(w, "iban");
    if (b.iban[0]) fow_jw_string(w, b.iban);
    else fow_jw_null(w);
    fow_jw_key(w, "bic");
    if (b.bic[0]) fow_jw_string(w, b.bic);
    else fow_jw_null(w);
    fow_jw_object_end(w);
    return FOW_OK;
}

/* ---- funds and budget lines ------------------------------------------------------ */

static fow_code read_funds(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                           fow_error *err) {
    (void)c, (void)in, (void)status;
    fow_voucher_fund *list = NULL;
    size_t n = 0;
    fow_code rc = fow_voucher_funds_list(s->db, &list, &n, err);
    if (!rc) fow_result_voucher_funds(w, list, n);
    free(list);
    return rc;
}

static void funds_list(http_request *req, http_response *res) {
    office_query q = {0};
    office_get(req, res, NULL, &q, read_funds);
}

static fow_code add_fund(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                         fow_error *err) {
    const office_input *i = in;
    int64_t id = 0;
    fow_voucher_fund f;
    fow_code rc = fow_voucher_fund_create(s->db, i->text[0], i->text[1], i->text[2], c->who.name, now_s(), &id, err);
    if (!rc) rc = fow_voucher_fund_get(s->db, id, &f, err);
    if (!rc) fow_voucher_fund_write(w, &f);
    *status = 201;
    return rc;
}

static const office_action FUND_ADD = {
    .fields = {F_TEXT("name", 128, true), F_TEXT("currency", 3, true), F_TEXT("description", 512, false)},
    .work = add_fund};

static fow_code add_line(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                         fow_error *err) {
    const office_input *i = in;
    int64_t id = 0;
    fow_code rc = fow_budget_line_add(s->db, i->number[0], i->text[1], (int)i->number[2], i->number[3], i->text[4],
                                      c->who.name, now_s(), &id, err);
    *status = 201;
    return rc ? rc : write_line(s, id, w, err);
}

static const office_action LINE_ADD = {
    .confirm = true,
    .fields = {F_INT("fund_id", 1, INT64_MAX, 0, true), F_TEXT("purpose", 31, true), F_INT("year", 2000, 2100, 0, true),
               F_AMOUNT("amount_minor", 0), F_TEXT("name", 128, false)},
    .work = add_line};

static fow_code top_up_line(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                            fow_error *err) {
    (void)status;
    const office_input *i = in;
    fow_code rc = fow_budget_line_top_up(s->db, i->id, i->number[0], i->text[1], c->who.name, now_s(), err);
    return rc ? rc : write_line(s, i->id, w, err);
}

static const office_action LINE_TOP_UP = {
    .path_id = "line",
    .confirm = true,
    .fields = {F_AMOUNT("amount_minor", 1), F_TEXT("key", 120, true)},
    .work = top_up_line};

/* ---- vouchers ----------------------------------------------------------------- */

static fow_code read_vouchers(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                              fow_error *err) {
    (void)c, (void)status;
    const office_query *q = in;
    fow_voucher *list = NULL;
    size_t n = 0;
    fow_code rc = fow_vouchers_list(s->db, q->person, q->line, q->status, &list, &n, err);
    if (!rc) fow_result_vouchers(w, list, n);
    free(list);
    return rc;
}

static void vouchers_list(http_request *req, http_response *res) {
    static const char *const statuses[] = {"issued", "active", "expired", "cancelled", NULL};
    office_query q = {0};
    if (http_query_choice(req, res, "status", statuses, NULL, &q.status) ||
        http_query_long(req, res, "line", 0, 0, 2147483647L, &q.line))
        return;
    q.person = http_query(req, "person");
    if (q.person && (!*q.person || strlen(q.person) > FOW_VOUCHER_PERSON_CHARS)) {
        http_error(res, 400, "person", "person must be a person's id (1 to %d characters)", FOW_VOUCHER_PERSON_CHARS);
        return;
    }
    office_get(req, res, NULL, &q, read_vouchers);
}

/* Issues a voucher to the person of "person", or to the enterprise of
 * "enterprise_name" and "enterprise_code" when either is given (the
 * library checks the pair, the CUI's control digit and that no person is
 * named with them, each error naming its field). */
static fow_code issue_voucher(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                              fow_error *err) {
    const office_input *i = in;
    fow_people_staff staff = {.name = c->who.name, .organisation = c->who.organisation, .all_organisations = true};
    bool enterprise = i->text[12] || i->text[13];
    if (!enterprise && !i->text[1])
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person",
                                "person is required (or enterprise_name and enterprise_code for an enterprise)");
    fow_voucher_issue_in issue = {.line_id = i->number[0],
                                  .beneficiary = enterprise ? FOW_BENEFICIARY_ENTERPRISE : FOW_BENEFICIARY_PERSON,
                                  .person = i->text[1],
                                  .enterprise_name = i->text[12],
                                  .enterprise_code = i->text[13],
                                  .value_minor = i->number[2],
                                  .valid_from = i->text[3],
                                  .valid_until = i->text[4],
                                  .providers = i->n_providers ? i->providers : NULL,
                                  .n_providers = i->n_providers,
                                  .modules = i->n_modules ? i->modules : NULL,
                                  .n_modules = i->n_modules,
                                  .min_attendance_percent = (int)i->number[7],
                                  .award_ref = i->text[8],
                                  .note = i->text[9],
                                  .key = i->text[10],
                                  .active = i->number[11] != 0};
    fow_voucher v;
    fow_code rc = fow_voucher_issue(s->db, s->people, &staff, &s->catalogue, &issue, c->who.name, now_s(), &v, err);
    if (!rc) fow_voucher_write(w, &v);
    *status = 201;
    return rc;
}

static const office_action VOUCHER_ISSUE = {
    .confirm = true,
    .people = true,
    .fields = {F_INT("line_id", 1, INT64_MAX, 0, true), F_TEXT("person", FOW_VOUCHER_PERSON_CHARS, false),
               F_AMOUNT("value_minor", 1), F_TEXT("valid_from", 10, true), F_TEXT("valid_until", 10, true),
               {"providers", FIELD_PROVIDERS, false, 0, 0, 0}, {"modules", FIELD_MODULES, false, 0, 0, 0},
               F_INT("min_attendance_percent", 0, 100, -1, false), F_TEXT("award_ref", 64, false),
               F_TEXT("note", 256, false), F_TEXT("key", 120, false), {"active", FIELD_BOOL, false, 0, 0, 0},
               /* an enterprise's voucher: both instead of person; the code's bound is loose so that the
                  library's check names a wrong CUI as such */
               F_TEXT("enterprise_name", FOW_VOUCHER_ENTERPRISE_NAME_CHARS, false),
               F_TEXT("enterprise_code", 64, false)},
    .work = issue_voucher};

/* Activates (no reason) or cancels (text[0]: the reason) the voucher of the
 * route's {code}. */
static fow_code change_voucher(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                               fow_error *err) {
    (void)status;
    const office_input *i = in;
    fow_voucher v;
    fow_code rc = fow_voucher_by_code(s->db, c->params[0], &v, err);
    if (!rc && c->action->confirm) rc = fow_voucher_cancel(s->db, v.id, i->text[0], c->who.name, now_s(), err);
    else if (!rc) rc = fow_voucher_activate(s->db, v.id, c->who.name, now_s(), err);
    return rc ? rc : write_voucher(s, v.id, w, err);
}

static const office_action VOUCHER_ACTIVATE = {.work = change_voucher};

static const office_action VOUCHER_CANCEL = {
    .confirm = true, .fields = {F_TEXT("reason", 256, true)}, .work = change_voucher};

static fow_code expire_vouchers(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                                fow_error *err) {
    (void)status;
    const office_input *i = in;
    size_t expired = 0;
    int64_t returned = 0;
    fow_code rc = fow_vouchers_expire(s->db, i->text[0], c->who.name, now_s(), &expired, &returned, err);
    if (!rc) fow_result_voucher_expiry(w, i->text[0], expired, returned);
    return rc;
}

static const office_action VOUCHERS_EXPIRE = {
    .confirm = true, .fields = {F_TEXT("as_of", 10, true)}, .work = expire_vouchers};

/* ---- claims ------------------------------------------------------------------- */

static fow_code refund_redemption(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                                  fow_error *err) {
    (void)status;
    const office_input *i = in;
    fow_code rc = fow_redemption_refund(s->db, i->id, i->text[0], c->who.name, now_s(), err);
    return rc ? rc : write_redemption(s, i->id, w, err);
}

static const office_action REFUND = {
    .path_id = "redemption", .confirm = true, .fields = {F_TEXT("reason", 256, true)}, .work = refund_redemption};

static fow_code read_claims(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                            fow_error *err) {
    (void)c, (void)status;
    const office_query *q = in;
    fow_redemption *list = NULL;
    size_t n = 0;
    fow_code rc = fow_redemptions_list(s->db, q->provider, q->status, 0, &list, &n, err);
    if (!rc) fow_result_voucher_claims(w, list, n);
    free(list);
    return rc;
}

static void claims_list(http_request *req, http_response *res) {
    static const char *const statuses[] = {"redeemed", "payable", "batched", "paid", "refunded", NULL};
    office_query q = {0};
    if (http_query_choice(req, res, "status", statuses, NULL, &q.status) ||
        http_query_long(req, res, "provider", 0, 0, 2147483647L, &q.provider))
        return;
    office_get(req, res, NULL, &q, read_claims);
}

static fow_code settle_claims(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                              fow_error *err) {
    (void)in, (void)status;
    fow_cohort_actor who = {.staff = {.name = c->who.name,
                                      .organisation = c->who.organisation,
                                      .all_organisations = fow_access_all_organisations((fow_role)c->who.role)},
                            .role = c->who.role};
    size_t payable = 0, refunded = 0;
    fow_code rc = fow_voucher_claims_settle(s->db, &who, c->who.name, now_s(), &payable, &refunded, err);
    if (!rc) fow_result_claims_settlement(w, payable, refunded);
    return rc;
}

static const office_action CLAIMS_SETTLE = {.confirm = true, .work = settle_claims};

/* ---- payment batches ------------------------------------------------------------ */

static fow_code read_batches(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                             fow_error *err) {
    (void)c, (void)in, (void)status;
    fow_payment_batch *list = NULL;
    size_t n = 0;
    fow_code rc = fow_payment_batches_list(s->db, &list, &n, err);
    if (!rc) fow_result_payment_batches(w, list, n);
    free(list);
    return rc;
}

static void batches_list(http_request *req, http_response *res) {
    office_query q = {0};
    office_get(req, res, NULL, &q, read_batches);
}

static fow_code read_batch(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                           fow_error *err) {
    (void)c, (void)status;
    return write_batch(s, ((const office_query *)in)->id, w, err);
}

static void batch_show(http_request *req, http_response *res) {
    office_query q = {0};
    office_get(req, res, "batch", &q, read_batch);
}

/* 201 with the new batch; 200 with the earlier one when its key was used before */
static fow_code create_batch(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                             fow_error *err) {
    const office_input *i = in;
    int64_t id = 0;
    bool replayed = false;
    fow_code rc = fow_payment_batch_build(s->db, i->text[0] ? i->text[0] : "RON", i->text[1], c->who.name, now_s(),
                                          &id, &replayed, err);
    *status = replayed ? 200 : 201;
    return rc ? rc : write_batch(s, id, w, err);
}

static const office_action BATCH_CREATE = {.fields = {F_TEXT("currency", 3, false), F_TEXT("key", 128, false)},
                                           .work = create_batch};

static fow_code approve_batch(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                              fow_error *err) {
    (void)status;
    const office_input *i = in;
    fow_code rc = fow_payment_batch_approve(s->db, i->id, c->who.name, now_s(), err);
    return rc ? rc : write_batch(s, i->id, w, err);
}

static const office_action BATCH_APPROVE = {.path_id = "batch", .confirm = true, .work = approve_batch};

static void batch_export(http_request *req, http_response *res) {
    static const char *const formats[] = {"csv", "sepa", NULL};
    const char *format = NULL;
    if (http_query_choice(req, res, "format", formats, "csv", &format)) return;
    office_call c;
    call_init(&c, req, NULL);
    int64_t id = 0;
    if (!param_id(&c, 0, "batch", &id, res)) return;
    bool sepa = strcmp(format, "sepa") == 0;
    fow_sepa_debtor debtor = {.name = http_query(req, "debtor_name"),
                              .iban = http_query(req, "debtor_iban"),
                              .bic = http_query(req, "debtor_bic")};
    office_session s;
    if (!session_begin(&c, res, &s, true, false)) return;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    fow_error err;
    fow_error_clear(&err);
    fow_code rc;
    if (!out) rc = fow_error_set(&err, FOW_ENOMEM, "out of memory");
    else if (sepa) rc = fow_payment_batch_export_sepa(s.db, id, &debtor, now_s(), out, &err);
    else rc = fow_payment_batch_export(s.db, id, out, &err);
    if (out) fclose(out);
    if (rc) {
        free(text);
        office_error(res, &err);
    } else {
        char name[64];
        snprintf(name, sizeof name, "payment-batch-%lld.%s", (long long)id, sepa ? "xml" : "csv");
        http_csv(res, text, name);
        if (sepa) res->content_type = "application/xml; charset=utf-8";
        res->cacheable = false;
    }
    session_end(&s);
}


/* ---- lab charges (lab bookings paid by voucher: src/labs) -------------------------- */

static fow_code read_lab_charges(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                                 fow_error *err) {
    (void)c, (void)status;
    const office_query *q = in;
    fow_voucher_lab_charge *list = NULL;
    size_t n = 0;
    int64_t now = now_s();
    fow_code rc = fow_voucher_lab_charges_list(s->db, q->provider, q->batch, q->status, now, &list, &n, err);
    if (!rc) fow_result_voucher_lab_charges(w, list, n, now);
    free(list);
    return rc;
}

static void lab_charges_list(http_request *req, http_response *res) {
    static const char *const states[] = {"pending", "payable", "batched", "paid", "refunded", NULL};
    office_query q = {0};
    if (http_query_choice(req, res, "state", states, NULL, &q.status) ||
        http_query_long(req, res, "provider", 0, 0, 2147483647L, &q.provider) ||
        http_query_long(req, res, "batch", 0, 0, 2147483647L, &q.batch))
        return;
    office_get(req, res, NULL, &q, read_lab_charges);
}

/* ---- a provider's bank account ------------------------------------------------- */

static fow_code read_bank(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                          fow_error *err) {
    (void)c, (void)status;
    return write_bank(s, ((const office_query *)in)->id, w, err);
}

static void bank_show(http_request *req, http_response *res) {
    office_query q = {0};
    office_get(req, res, "provider", &q, read_bank);
}

static fow_code set_bank(const office_call *c, office_session *s, const void *in, fow_jw *w, int *status,
                         fow_error *err) {
    (void)c, (void)status;
    const office_input *i = in;
    fow_code rc = fow_training_provider_set_bank(s->db, i->id, i->text[0], i->text[1], err);
    return rc ? rc : write_bank(s, i->id, w, err);
}

/* a bad IBAN or BIC is the caller's input (400), not a conflict */
static const office_action BANK_SET = {.path_id = "provider",
                                       .confirm = true,
                                       .input_errors = true,
                                       .fields = {F_TEXT("iban", 64, true), F_TEXT("bic", 16, false)},
                                       .work = set_bank};

/* ---- the POST routes' handlers: each runs its action ---------------------------------- */

static void fund_add(http_request *req, http_response *res) { office_post(req, res, &FUND_ADD); }
static void line_add(http_request *req, http_response *res) { office_post(req, res, &LINE_ADD); }
static void line_top_up(http_request *req, http_response *res) { office_post(req, res, &LINE_TOP_UP); }
static void voucher_issue(http_request *req, http_response *res) { office_post(req, res, &VOUCHER_ISSUE); }
static void voucher_activate(http_request *req, http_response *res) { office_post(req, res, &VOUCHER_ACTIVATE); }
static void voucher_cancel(http_request *req, http_response *res) { office_post(req, res, &VOUCHER_CANCEL); }
static void vouchers_expire(http_request *req, http_response *res) { office_post(req, res, &VOUCHERS_EXPIRE); }
static void refund(http_request *req, http_response *res) { office_post(req, res, &REFUND); }
static void claims_settle(http_request *req, http_response *res) { office_post(req, res, &CLAIMS_SETTLE); }
static void batch_create(http_request *req, http_response *res) { office_post(req, res, &BATCH_CREATE); }
static void batch_approve(http_request *req, http_response *res) { office_post(req, res, &BATCH_APPROVE); }
static void bank_set(http_request *req, http_response *res) { office_post(req, res, &BANK_SET); }

static const http_route routes[] = {
    {.method = "GET", .pattern = "/api/v1/funds", .handler = funds_list,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS},
    {.method = "POST", .pattern = "/api/v1/funds", .handler = fund_add,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS, .max_body = 16384, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/voucher-lines", .handler = line_add,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS, .max_body = 16384, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/voucher-lines/{line}/top-ups", .handler = line_top_up,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS, .max_body = 16384, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/vouchers", .handler = vouchers_list,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS},
    {.method = "POST", .pattern = "/api/v1/vouchers", .handler = voucher_issue,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS, .max_body = 16384, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/vouchers/{code}/activation", .handler = voucher_activate,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS, .max_body = 16384, .json_body = true,
     .personal_path = true},
    {.method = "POST", .pattern = "/api/v1/vouchers/{code}/cancellation", .handler = voucher_cancel,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS, .max_body = 16384, .json_body = true,
     .personal_path = true},
    {.method = "POST", .pattern = "/api/v1/vouchers/expiry", .handler = vouchers_expire,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS, .max_body = 16384, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/redemptions/{id}/refund", .handler = refund,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS, .max_body = 16384, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/claims", .handler = claims_list,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS},
    {.method = "POST", .pattern = "/api/v1/claims/settlement", .handler = claims_settle,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS, .max_body = 16384, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/payment-batches", .handler = batches_list,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS},
    {.method = "POST", .pattern = "/api/v1/payment-batches", .handler = batch_create,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS, .max_body = 16384, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/payment-batches/{batch}", .handler = batch_show,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS},
    {.method = "POST", .pattern = "/api/v1/payment-batches/{batch}/approval", .handler = batch_approve,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS, .max_body = 16384, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/voucher-lab-charges", .handler = lab_charges_list,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS},
    {.method = "GET", .pattern = "/api/v1/payment-batches/{batch}/export", .handler = batch_export,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS},
    {.method = "GET", .pattern = "/api/v1/providers/{provider}/bank-account", .handler = bank_show,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS},
    {.method = "POST", .pattern = "/api/v1/providers/{provider}/bank-account", .handler = bank_set,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS, .max_body = 16384, .json_body = true},
};
HTTP_ROUTE_TABLE(api_voucher_office_routes, routes);
