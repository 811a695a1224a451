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

/* What an office action needs of its request: copies, since an action
 * confirmed by password runs on a hashing thread after the request's
 * handler has returned. */
typedef struct office_call {
    const http_services *services;
    http_principal who;
    char params[HTTP_MAX_PARAMS][OFFICE_PARAM_MAX];
    json_t *body; /* one reference; NULL for none */
} office_call;

typedef void (*office_action)(const office_call *c, http_response *res);

/* ---- answers ------------------------------------------------------------------ */

static void send(http_response *res, int status, fow_jw *w) {
    res->cacheable = false;
    http_json_written(res, status, w);
}

/* A library error: the role 403; what the state of a voucher, claim or
 * batch does not allow now (fields voucher, redemption, batch, claims, key,
 * consent, iban) 409; else as http_error_from. */
static void office_error(http_response *res, const fow_error *err) {
    static const char *const conflicts[] = {"voucher", "redemption", "batch", "claims", "key", "consent", "iban"};
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

static int64_t now_s(void) { return (int64_t)time(NULL); }

/* ---- running an action: at once, or once the password is confirmed ----------- */

static void call_init(office_call *c, const http_request *req, json_t *body) {
    memset(c, 0, sizeof *c);
    c->services = req->services;
    c->who = req->who;
    for (int i = 0; i < req->n_params && i < HTTP_MAX_PARAMS; i++)
        snprintf(c->params[i], sizeof c->params[i], "%s", req->params[i]);
    c->body = body;
}

/* A request waiting for a hashing thread to check its confirm_password. */
typedef struct confirm_job {
    http_deferred *answer;
    office_call call;
    office_action action;
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
        job->action(&job->call, res);
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

/* The handler of an office POST: the body (fields known, and
 * confirm_password when confirm), then action, at once or — confirm — on a
 * hashing thread once the password is confirmed. */
static void office_post(http_request *req, http_response *res, const char *const *known, size_t n_known, bool confirm,
                        office_action action) {
    const char *names[24];
    size_t n = 0;
    for (size_t i = 0; i < n_known && n < 23; i++) names[n++] = known[i];
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
    if (!confirm) {
        action(&call, res);
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
    job->action = action;
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

/* ---- funds and budget lines ------------------------------------------------------ */

static void funds_list(http_request *req, http_response *res) {
    office_call c;
    call_init(&c, req, NULL);
    office_session s;
    if (!session_begin(&c, res, &s, true, false)) return;
    fow_error err;
    fow_error_clear(&err);
    fow_voucher_fund *list = NULL;
    size_t n = 0;
    if (fow_voucher_funds_list(s.db, &list, &n, &err)) {
        office_error(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_result_voucher_funds(w, list, n);
        send(res, 200, w);
    }
    free(list);
    session_end(&s);
}

static void do_fund_add(const office_call *c, http_response *res) {
    bool ok = true;
    const char *name = body_string(c, "name", 128, true, res, &ok);
    const char *currency = body_string(c, "currency", 3, true, res, &ok);
    const char *description = body_string(c, "description", 512, false, res, &ok);
    office_session s;
    if (!ok || !session_begin(c, res, &s, false, false)) return;
    fow_error err;
    fow_error_clear(&err);
    int64_t id = 0;
    fow_voucher_fund f;
    if (fow_voucher_fund_create(s.db, name, currency, description, c->who.name, now_s(), &id, &err) ||
        fow_voucher_fund_get(s.db, id, &f, &err)) {
        office_error(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_voucher_fund_write(w, &f);
        send(res, 201, w);
    }
    session_end(&s);
}

static void fund_add(http_request *req, http_response *res) {
    static const char *const known[] = {"name", "currency", "description"};
    office_post(req, res, known, 3, false, do_fund_add);
}

static void answer_line(const office_call *c, office_session *s, int64_t id, int status, http_response *res) {
    (void)c;
    fow_error err;
    fow_error_clear(&err);
    fow_budget_line l;
    if (fow_budget_line_get(s->db, id, &l, &err)) {
        office_error(res, &err);
        return;
    }
    fow_jw *w = http_writer();
    if (w) fow_budget_line_write(w, &l);
    send(res, status, w);
}

static void do_line_add(const office_call *c, http_response *res) {
    bool ok = true;
    int64_t fund = 0, year = 0, amount = 0;
    body_int(c, "fund_id", 1, INT64_MAX, 0, true, &fund, res, &ok);
    const char *purpose = body_string(c, "purpose", 31, true, res, &ok);
    body_int(c, "year", 2000, 2100, 0, true, &year, res, &ok);
    body_int(c, "amount_minor", 0, 1000000000000000LL, 0, true, &amount, res, &ok);
    const char *name = body_string(c, "name", 128, false, res, &ok);
    office_session s;
    if (!ok || !session_begin(c, res, &s, false, false)) return;
    fow_error err;
    fow_error_clear(&err);
    int64_t id = 0;
    if (fow_budget_line_add(s.db, fund, purpose, (int)year, amount, name, c->who.name, now_s(), &id, &err))
        office_error(res, &err);
    else
        answer_line(c, &s, id, 201, res);
    session_end(&s);
}

static void line_add(http_request *req, http_response *res) {
    static const char *const known[] = {"fund_id", "purpose", "year", "amount_minor", "name"};
    office_post(req, res, known, 5, true, do_line_add);
}

static void do_line_top_up(const office_call *c, http_response *res) {
    int64_t line = 0, amount = 0;
    if (!param_id(c, 0, "line", &line, res)) return;
    bool ok = true;
    body_int(c, "amount_minor", 1, 1000000000000000LL, 0, true, &amount, res, &ok);
    const char *key = body_string(c, "key", 120, true, res, &ok);
    office_session s;
    if (!ok || !session_begin(c, res, &s, false, false)) return;
    fow_error err;
    fow_error_clear(&err);
    if (fow_budget_line_top_up(s.db, line, amount, key, c->who.name, now_s(), &err)) office_error(res, &err);
    else answer_line(c, &s, line, 200, res);
    session_end(&s);
}

static void line_top_up(http_request *req, http_response *res) {
    static const char *const known[] = {"amount_minor", "key"};
    office_post(req, res, known, 2, true, do_line_top_up);
}

/* ---- vouchers ----------------------------------------------------------------- */

static void vouchers_list(http_request *req, http_response *res) {
    static const char *const statuses[] = {"issued", "active", "expired", "cancelled", NULL};
    const char *status = NULL;
    long line = 0;
    if (http_query_choice(req, res, "status", statuses, NULL, &status) ||
        http_query_long(req, res, "line", 0, 0, 2147483647L, &line))
        return;
    const char *person = http_query(req, "person");
    if (person && (!*person || strlen(person) > FOW_VOUCHER_PERSON_CHARS)) {
        http_error(res, 400, "person", "person must be a person's id (1 to %d characters)", FOW_VOUCHER_PERSON_CHARS);
        return;
    }
    office_call c;
    call_init(&c, req, NULL);
    office_session s;
    if (!session_begin(&c, res, &s, true, false)) return;
    fow_error err;
    fow_error_clear(&err);
    fow_voucher *list = NULL;
    size_t n = 0;
    if (fow_vouchers_list(s.db, person, line, status, &list, &n, &err)) {
        office_error(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_result_vouchers(w, list, n);
        send(res, 200, w);
    }
    free(list);
    session_end(&s);
}

static void answer_voucher(office_session *s, int64_t id, int status, http_response *res) {
    fow_error err;
    fow_error_clear(&err);
    fow_voucher v;
    if (fow_voucher_get(s->db, id, &v, &err)) {
        office_error(res, &err);
        return;
    }
    fow_jw *w = http_writer();
    if (w) fow_voucher_write(w, &v);
    send(res, status, w);
}

/* An array field of whole numbers (providers) or strings (modules) into
 * out; at most FOW_VOUCHER_MAX_ALLOWED. */
static void body_ids(const office_call *c, const char *name, int64_t *out, size_t *n, http_response *res, bool *ok) {
    json_t *v = json_object_get(c->body, name);
    *n = 0;
    if (!*ok || !v || json_is_null(v)) return;
    if (!json_is_array(v) || json_array_size(v) > FOW_VOUCHER_MAX_ALLOWED) {
        http_error(res, 400, name, "%s must be an array of at most %d training provider ids", name,
                   FOW_VOUCHER_MAX_ALLOWED);
        *ok = false;
        return;
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_integer(e) || json_integer_value(e) < 1) {
            http_error(res, 400, name, "%s[%zu] must be a training provider's id (a positive whole number)", name, i);
            *ok = false;
            return;
        }
        out[(*n)++] = json_integer_value(e);
    }
}

static void body_codes(const office_call *c, const char *name, const char **out, size_t *n, http_response *res,
                       bool *ok) {
    json_t *v = json_object_get(c->body, name);
    *n = 0;
    if (!*ok || !v || json_is_null(v)) return;
    if (!json_is_array(v) || json_array_size(v) > FOW_VOUCHER_MAX_ALLOWED) {
        http_error(res, 400, name, "%s must be an array of at most %d module codes", name, FOW_VOUCHER_MAX_ALLOWED);
        *ok = false;
        return;
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_string(e) || json_string_length(e) == 0 || json_string_length(e) > 64) {
            http_error(res, 400, name, "%s[%zu] must be a module code (1 to 64 bytes)", name, i);
            *ok = false;
            return;
        }
        out[(*n)++] = json_string_value(e);
    }
}

static void do_voucher_issue(const office_call *c, http_response *res) {
    bool ok = true;
    int64_t line = 0, value = 0, attendance = -1;
    int64_t providers[FOW_VOUCHER_MAX_ALLOWED];
    const char *modules[FOW_VOUCHER_MAX_ALLOWED];
    size_t n_providers = 0, n_modules = 0;
    body_int(c, "line_id", 1, INT64_MAX, 0, true, &line, res, &ok);
    const char *person = body_string(c, "person", FOW_VOUCHER_PERSON_CHARS, true, res, &ok);
    body_int(c, "value_minor", 1, 1000000000000000LL, 0, true, &value, res, &ok);
    const char *from = body_string(c, "valid_from", 10, true, res, &ok);
    const char *until = body_string(c, "valid_until", 10, true, res, &ok);
    body_ids(c, "providers", providers, &n_providers, res, &ok);
    body_codes(c, "modules", modules, &n_modules, res, &ok);
    body_int(c, "min_attendance_percent", 0, 100, -1, false, &attendance, res, &ok);
    const char *award = body_string(c, "award_ref", 64, false, res, &ok);
    const char *note = body_string(c, "note", 256, false, res, &ok);
    const char *key = body_string(c, "key", 120, false, res, &ok);
    json_t *active = json_object_get(c->body, "active");
    if (ok && active && !json_is_boolean(active) && !json_is_null(active)) {
        http_error(res, 400, "active", "active must be true or false");
        ok = false;
    }
    office_session s;
    if (!ok || !session_begin(c, res, &s, false, true)) return;
    fow_people_staff staff = {.name = c->who.name, .organisation = c->who.organisation, .all_organisations = true};
    fow_voucher_issue_in in = {.line_id = line,
                               .person = person,
                               .value_minor = value,
                               .valid_from = from,
                               .valid_until = until,
                               .providers = n_providers ? providers : NULL,
                               .n_providers = n_providers,
                               .modules = n_modules ? modules : NULL,
                               .n_modules = n_modules,
                               .min_attendance_percent = (int)attendance,
                               .award_ref = award,
                               .note = note,
                               .key = key,
                               .active = json_is_true(active)};
    fow_error err;
    fow_error_clear(&err);
    fow_voucher v;
    if (fow_voucher_issue(s.db, s.people, &staff, &s.catalogue, &in, c->who.name, now_s(), &v, &err)) {
        office_error(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_voucher_write(w, &v);
        send(res, 201, w);
    }
    session_end(&s);
}

static void voucher_issue(http_request *req, http_response *res) {
    static const char *const known[] = {"line_id",     "person",    "value_minor", "valid_from",
                                        "valid_until", "providers", "modules",     "min_attendance_percent",
                                        "award_ref",   "note",      "key",         "active"};
    office_post(req, res, known, sizeof known / sizeof known[0], true, do_voucher_issue);
}

/* The voucher of the route's {code} into *v; false after an answer. */
static bool voucher_of_path(const office_call *c, office_session *s, fow_voucher *v, http_response *res) {
    fow_error err;
    fow_error_clear(&err);
    if (!fow_voucher_by_code(s->db, c->params[0], v, &err)) return true;
    if (strcmp(err.field, "code") == 0) http_error(res, 400, "code", "%s", err.message);
    else office_error(res, &err);
    return false;
}

static void do_voucher_activate(const office_call *c, http_response *res) {
    office_session s;
    if (!session_begin(c, res, &s, false, false)) return;
    fow_voucher v;
    fow_error err;
    fow_error_clear(&err);
    if (voucher_of_path(c, &s, &v, res)) {
        if (fow_voucher_activate(s.db, v.id, c->who.name, now_s(), &err)) office_error(res, &err);
        else answer_voucher(&s, v.id, 200, res);
    }
    session_end(&s);
}

static void voucher_activate(http_request *req, http_response *res) {
    office_post(req, res, NULL, 0, false, do_voucher_activate);
}

static void do_voucher_cancel(const office_call *c, http_response *res) {
    bool ok = true;
    const char *reason = body_string(c, "reason", 256, true, res, &ok);
    office_session s;
    if (!ok || !session_begin(c, res, &s, false, false)) return;
    fow_voucher v;
    fow_error err;
    fow_error_clear(&err);
    if (voucher_of_path(c, &s, &v, res)) {
        if (fow_voucher_cancel(s.db, v.id, reason, c->who.name, now_s(), &err)) office_error(res, &err);
        else answer_voucher(&s, v.id, 200, res);
    }
    session_end(&s);
}

static void voucher_cancel(http_request *req, http_response *res) {
    static const char *const known[] = {"reason"};
    office_post(req, res, known, 1, true, do_voucher_cancel);
}

static void do_vouchers_expire(const office_call *c, http_response *res) {
    bool ok = true;
    const char *as_of = body_string(c, "as_of", 10, true, res, &ok);
    office_session s;
    if (!ok || !session_begin(c, res, &s, false, false)) return;
    fow_error err;
    fow_error_clear(&err);
    size_t expired = 0;
    int64_t returned = 0;
    if (fow_vouchers_expire(s.db, as_of, c->who.name, now_s(), &expired, &returned, &err)) {
        office_error(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_result_voucher_expiry(w, as_of, expired, returned);
        send(res, 200, w);
    }
    session_end(&s);
}

static void vouchers_expire(http_request *req, http_response *res) {
    static const char *const known[] = {"as_of"};
    office_post(req, res, known, 1, true, do_vouchers_expire);
}

/* ---- claims ------------------------------------------------------------------- */

static void answer_redemption(office_session *s, int64_t id, int status, http_response *res) {
    fow_error err;
    fow_error_clear(&err);
    fow_redemption r;
    if (fow_redemption_get(s->db, id, &r, &err)) {
        office_error(res, &err);
        return;
    }
    fow_jw *w = http_writer();
    if (w) fow_redemption_write(w, &r);
    send(res, status, w);
}

static void do_refund(const office_call *c, http_response *res) {
    int64_t id = 0;
    if (!param_id(c, 0, "redemption", &id, res)) return;
    bool ok = true;
    const char *reason = body_string(c, "reason", 256, true, res, &ok);
    office_session s;
    if (!ok || !session_begin(c, res, &s, false, false)) return;
    fow_error err;
    fow_error_clear(&err);
    if (fow_redemption_refund(s.db, id, reason, c->who.name, now_s(), &err)) office_error(res, &err);
    else answer_redemption(&s, id, 200, res);
    session_end(&s);
}

static void refund(http_request *req, http_response *res) {
    static const char *const known[] = {"reason"};
    office_post(req, res, known, 1, true, do_refund);
}

static void claims_list(http_request *req, http_response *res) {
    static const char *const statuses[] = {"redeemed", "payable", "batched", "paid", "refunded", NULL};
    const char *status = NULL;
    long provider = 0;
    if (http_query_choice(req, res, "status", statuses, NULL, &status) ||
        http_query_long(req, res, "provider", 0, 0, 2147483647L, &provider))
        return;
    office_call c;
    call_init(&c, req, NULL);
    office_session s;
    if (!session_begin(&c, res, &s, true, false)) return;
    fow_error err;
    fow_error_clear(&err);
    fow_redemption *list = NULL;
    size_t n = 0;
    if (fow_redemptions_list(s.db, provider, status, 0, &list, &n, &err)) {
        office_error(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_result_voucher_claims(w, list, n);
        send(res, 200, w);
    }
    free(list);
    session_end(&s);
}

static void do_claims_settle(const office_call *c, http_response *res) {
    office_session s;
    if (!session_begin(c, res, &s, false, false)) return;
    fow_cohort_actor who = {.staff = {.name = c->who.name,
                                      .organisation = c->who.organisation,
                                      .all_organisations = fow_access_all_organisations((fow_role)c->who.role)},
                            .role = c->who.role};
    fow_error err;
    fow_error_clear(&err);
    size_t payable = 0, refunded = 0;
    if (fow_voucher_claims_settle(s.db, &who, c->who.name, now_s(), &payable, &refunded, &err)) {
        office_error(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_result_claims_settlement(w, payable, refunded);
        send(res, 200, w);
    }
    session_end(&s);
}

static void claims_settle(http_request *req, http_response *res) {
    office_post(req, res, NULL, 0, true, do_claims_settle);
}

/* ---- payment batches ------------------------------------------------------------ */

static void batches_list(http_request *req, http_response *res) {
    office_call c;
    call_init(&c, req, NULL);
    office_session s;
    if (!session_begin(&c, res, &s, true, false)) return;
    fow_error err;
    fow_error_clear(&err);
    fow_payment_batch *list = NULL;
    size_t n = 0;
    if (fow_payment_batches_list(s.db, &list, &n, &err)) {
        office_error(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_result_payment_batches(w, list, n);
        send(res, 200, w);
    }
    free(list);
    session_end(&s);
}

/* The batch id with its claims as fow_result_payment_batch. */
static void answer_batch(office_session *s, int64_t id, int status, http_response *res) {
    fow_error err;
    fow_error_clear(&err);
    fow_payment_batch b;
    fow_redemption *claims = NULL;
    size_t n = 0;
    if (fow_payment_batch_get(s->db, id, &b, &err) || fow_redemptions_list(s->db, 0, NULL, id, &claims, &n, &err)) {
        office_error(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_result_payment_batch(w, &b, claims, n);
        send(res, status, w);
    }
    free(claims);
}

static void batch_show(http_request *req, http_response *res) {
    office_call c;
    call_init(&c, req, NULL);
    int64_t id = 0;
    if (!param_id(&c, 0, "batch", &id, res)) return;
    office_session s;
    if (!session_begin(&c, res, &s, true, false)) return;
    answer_batch(&s, id, 200, res);
    session_end(&s);
}

static void do_batch_create(const office_call *c, http_response *res) {
    bool ok = true;
    const char *currency = body_string(c, "currency", 3, false, res, &ok);
    office_session s;
    if (!ok || !session_begin(c, res, &s, false, false)) return;
    fow_error err;
    fow_error_clear(&err);
    int64_t id = 0;
    if (fow_payment_batch_create(s.db, currency ? currency : "RON", c->who.name, now_s(), &id, &err))
        office_error(res, &err);
    else
        answer_batch(&s, id, 201, res);
    session_end(&s);
}

static void batch_create(http_request *req, http_response *res) {
    static const char *const known[] = {"currency"};
    office_post(req, res, known, 1, false, do_batch_create);
}

static void do_batch_approve(const office_call *c, http_response *res) {
    int64_t id = 0;
    if (!param_id(c, 0, "batch", &id, res)) return;
    office_session s;
    if (!session_begin(c, res, &s, false, false)) return;
    fow_error err;
    fow_error_clear(&err);
    if (fow_payment_batch_approve(s.db, id, c->who.name, now_s(), &err)) office_error(res, &err);
    else answer_batch(&s, id, 200, res);
    session_end(&s);
}

static void batch_approve(http_request *req, http_response *res) {
    office_post(req, res, NULL, 0, true, do_batch_approve);
}

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

/* ---- a provider's bank account ------------------------------------------------- */

static void answer_bank(office_session *s, int64_t id, http_response *res) {
    fow_error err;
    fow_error_clear(&err);
    fow_provider_bank b;
    if (fow_training_provider_bank(s->db, id, &b, &err)) {
        office_error(res, &err);
        return;
    }
    fow_jw *w = http_writer();
    if (w) {
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
    }
    send(res, 200, w);
}

static void bank_show(http_request *req, http_response *res) {
    office_call c;
    call_init(&c, req, NULL);
    int64_t id = 0;
    if (!param_id(&c, 0, "provider", &id, res)) return;
    office_session s;
    if (!session_begin(&c, res, &s, true, false)) return;
    answer_bank(&s, id, res);
    session_end(&s);
}

static void do_bank_set(const office_call *c, http_response *res) {
    int64_t id = 0;
    if (!param_id(c, 0, "provider", &id, res)) return;
    bool ok = true;
    const char *iban = body_string(c, "iban", 64, true, res, &ok);
    const char *bic = body_string(c, "bic", 16, false, res, &ok);
    office_session s;
    if (!ok || !session_begin(c, res, &s, false, false)) return;
    fow_error err;
    fow_error_clear(&err);
    /* a bad IBAN or BIC is the caller's input (400), not a conflict */
    if (fow_training_provider_set_bank(s.db, id, iban, bic, &err)) http_error_from(res, &err);
    else answer_bank(&s, id, res);
    session_end(&s);
}

static void bank_set(http_request *req, http_response *res) {
    static const char *const known[] = {"iban", "bic"};
    office_post(req, res, known, 2, true, do_bank_set);
}

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
    {.method = "GET", .pattern = "/api/v1/payment-batches/{batch}/export", .handler = batch_export,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS},
    {.method = "GET", .pattern = "/api/v1/providers/{provider}/bank-account", .handler = bank_show,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS},
    {.method = "POST", .pattern = "/api/v1/providers/{provider}/bank-account", .handler = bank_set,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_VOUCHERS, .max_body = 16384, .json_body = true},
};
HTTP_ROUTE_TABLE(api_voucher_office_routes, routes);
