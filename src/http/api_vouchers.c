/* api_vouchers.c — /api/v1/voucher-lines and /api/v1/vouchers: the budget
 * lines' figures from the ledger, one voucher by its code, and redemption
 * of a voucher at enrolment (src/vouchers/fow_vouchers.h, docs/vouchers.md).
 * The JSON is fow_vouchers', the same as `fow voucher ... --json`.
 *
 * Access: the budget lines are the programme's aggregates
 * (FOW_PERM_READ_PROGRAMME); a voucher names a person and a redemption
 * enrols them, so both need FOW_PERM_MANAGE_PEOPLE at the door, then
 * fow_cohort_authorise and src/people decide as for an enrolment. A voucher
 * code is a bearer secret: the access log writes the route's pattern
 * (personal_path). Nothing here is cached. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/fow_accounts.h"
#include "http/http.h"
#include "people/fow_people.h"
#include "training/fow_cohort.h"
#include "training/fow_training.h"
#include "vouchers/fow_vouchers.h"

static fow_cohort_actor actor_of(const http_request *req) {
    fow_cohort_actor a = {.staff = {.name = req->who.name,
                                    .organisation = req->who.organisation,
                                    .all_organisations = fow_access_all_organisations((fow_role)req->who.role)},
                          .role = req->who.role};
    return a;
}

/* Maps a library error: the role 403; a malformed code 400; what the
 * voucher, the cohort or the module do not allow now (field voucher,
 * amount, cohort, provider, module, key, consent) 409; else as
 * http_error_from. */
static void voucher_error(http_response *res, const fow_error *err) {
    res->cacheable = false;
    static const char *const conflicts[] = {"voucher", "amount", "cohort", "provider", "module", "key", "consent"};
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

typedef struct voucher_session {
    fow_db *db;
    fow_people *people; /* NULL unless asked */
    fow_training_catalogue catalogue;
    bool has_catalogue;
} voucher_session;

/* Opens the request's connection (for writing when people are needed),
 * people and the catalogue when asked; false after a 500. */
static bool session_begin(const http_request *req, http_response *res, voucher_session *s, bool people) {
    memset(s, 0, sizeof *s);
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = fow_db_open(&s->db, req->services->db_path, !people, &err);
    if (!rc && people) {
        char key_path[4096];
        rc = fow_people_key_path(req->services->db_path, key_path, sizeof key_path, &err);
        if (!rc) rc = fow_people_open(s->db, key_path, &s->people, &err);
        if (!rc) rc = fow_training_load(s->db, &s->catalogue, &err);
        s->has_catalogue = rc == FOW_OK;
    }
    if (rc) {
        if (s->has_catalogue) fow_training_free(&s->catalogue);
        fow_people_close(s->people);
        fow_db_close(s->db);
        memset(s, 0, sizeof *s);
        http_error(res, 500, NULL, "vouchers are not available: %s", err.message);
        return false;
    }
    return true;
}

static void session_end(voucher_session *s) {
    if (s->has_catalogue) fow_training_free(&s->catalogue);
    fow_people_close(s->people);
    fow_db_close(s->db);
}

static void send(http_response *res, int status, fow_jw *w) {
    res->cacheable = false;
    http_json_written(res, status, w);
}

static void lines_list(http_request *req, http_response *res) {
    voucher_session s;
    if (!session_begin(req, res, &s, false)) return;
    fow_error err;
    fow_error_clear(&err);
    fow_budget_line *list = NULL;
    size_t n = 0;
    if (fow_budget_lines_list(s.db, 0, &list, &n, &err)) {
        voucher_error(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) {
            fow_jw_object(w);
            fow_jw_key(w, "lines");
            fow_jw_array(w);
            for (size_t i = 0; i < n; i++) fow_budget_line_write(w, &list[i]);
            fow_jw_array_end(w);
            fow_jw_kint(w, "count", (long long)n);
            fow_jw_object_end(w);
        }
        send(res, 200, w);
    }
    free(list);
    session_end(&s);
}

static void voucher_show(http_request *req, http_response *res) {
    voucher_session s;
    if (!session_begin(req, res, &s, false)) return;
    fow_error err;
    fow_error_clear(&err);
    fow_voucher v;
    if (fow_voucher_by_code(s.db, req->params[0], &v, &err)) {
        if (strcmp(err.field, "code") == 0) http_error(res, 400, "code", "%s", err.message);
        else voucher_error(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_voucher_write(w, &v);
        send(res, 200, w);
    }
    session_end(&s);
}

/* An integer field of body into *out (0 when absent); false after a 400. */
static bool body_int(json_t *body, const char *name, int64_t *out, http_response *res) {
    json_t *v = json_object_get(body, name);
    *out = 0;
    if (!v || json_is_null(v)) return true;
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        http_error(res, 400, name, "%s must be a whole number, zero or more", name);
        return false;
    }
    *out = json_integer_value(v);
    return true;
}

static void redeem(http_request *req, http_response *res) {
    static const char *const known[] = {"cohort_id", "key", "amount_minor", "provider_id"};
    json_t *body = http_object_body(req, res, known, 4);
    if (!body) return;
    int64_t cohort = 0, amount = 0, provider = 0;
    json_t *key = json_object_get(body, "key");
    bool ok = body_int(body, "cohort_id", &cohort, res) && body_int(body, "amount_minor", &amount, res) &&
              body_int(body, "provider_id", &provider, res);
    if (ok && cohort == 0) {
        http_error(res, 400, "cohort_id", "cohort_id (the cohort the person is enrolled in) is required");
        ok = false;
    }
    if (ok && !json_is_string(key)) {
        http_error(res, 400, "key", "key (the request's idempotency key, a string) is required");
        ok = false;
    }
    voucher_session s;
    if (!ok || !session_begin(req, res, &s, true)) {
        json_decref(body);
        return;
    }
    fow_cohort_actor who = actor_of(req);
    fow_error err;
    fow_error_clear(&err);
    fow_redeem_in in = {.code = req->params[0], .cohort_id = cohort, .provider_id = provider, .amount_minor = amount,
                        .key = json_string_value(key)};
    fow_redemption r;
    bool replayed = false;
    if (fow_voucher_redeem(s.db, s.people, &who, &s.catalogue, &in, (int64_t)time(NULL), &r, &replayed, &err)) {
        if (strcmp(err.field, "code") == 0) http_error(res, 400, "code", "%s", err.message);
        else voucher_error(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) {
            fow_jw_object(w);
            fow_jw_key(w, "redemption");
            fow_redemption_write(w, &r);
            fow_jw_key(w, "created");
            fow_jw_bool(w, !replayed);
            fow_jw_object_end(w);
        }
        send(res, replayed ? 200 : 201, w);
    }
    json_decref(body);
    session_end(&s);
}

static const http_route routes[] = {
    {.method = "GET", .pattern = "/api/v1/voucher-lines", .handler = lines_list, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_READ_PROGRAMME},
    {.method = "GET", .pattern = "/api/v1/vouchers/{code}", .handler = voucher_show, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true},
    {.method = "POST", .pattern = "/api/v1/vouchers/{code}/redemptions", .handler = redeem,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true, .max_body = 1024,
     .json_body = true},
};
HTTP_ROUTE_TABLE(api_vouchers_routes, routes);
