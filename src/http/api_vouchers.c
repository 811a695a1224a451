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
 * (personal_path). Nothing here is cached.
 *
 * The beneficiary's and the provider's side (issue 14, points 4 and 5):
 *   GET  /api/v1/me/vouchers                 role person: their own vouchers, balances, where to spend them,
 *                                            what was redeemed (FOW_PERM_READ_OWN_RECORD)
 *   GET  /api/v1/vouchers/{code}/qr.svg      the QR code of <origin>/#/redeem?code=CODE (origin: the
 *                                            credential issuer's URL): its beneficiary, staff who manage
 *                                            people and the voucher office; anyone else "not found"
 *   GET  /api/v1/provider/vouchers/{code}    a provider's account (FOW_PERM_RUN_COHORTS; an admin names one
 *                                            with ?provider=ID): the balance and the provider's own open
 *                                            cohorts the voucher can pay for, or "not valid here", no more
 *   POST /api/v1/vouchers/{code}/redemptions  also a provider's account, for the cohorts of its own modules
 *                                            (FOW_PERM_RUN_COHORTS, fow_access_provider), as the bearer of
 *                                            the code (fow_voucher_redeem)
 *   GET  /api/v1/provider/claims             a provider's account: its own claims (redemptions); an admin
 *                                            names the provider with ?provider=ID */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/fow_accounts.h"
#include "base/fow_qr.h"
#include "credentials/fow_credentials.h"
#include "http/http.h"
#include "people/fow_people.h"
#include "training/fow_cohort.h"
#include "training/fow_training.h"
#include "vouchers/fow_vouchers.h"

static fow_cohort_actor actor_of(const http_request *req) {
    fow_cohort_actor a = {.staff = {.name = req->who.name,
                                    .organisation = req->who.organisation,
                                    .all_organisations = fow_access_all_organisations((fow_role)req->who.role)},
                          .role = req->who.role,
                          .provider_id = req->who.provider_id};
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
    if (!fow_role_allows((fow_role)req->who.role, FOW_PERM_MANAGE_PEOPLE) &&
        !(req->who.role == FOW_ROLE_PROVIDER && fow_role_allows((fow_role)req->who.role, FOW_PERM_RUN_COHORTS))) {
        http_error(res, 403, "role", "this role may not redeem vouchers");
        json_decref(body);
        session_end(&s);
        return;
    }
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

/* true when the caller may read any voucher: staff who manage people and
 * the voucher office. */
static bool reads_vouchers(const http_request *req) {
    fow_role role = (fow_role)req->who.role;
    return fow_role_allows(role, FOW_PERM_MANAGE_PEOPLE) || fow_role_allows(role, FOW_PERM_MANAGE_VOUCHERS);
}

/* The training provider whose side the caller sees into *provider: a
 * provider's account its own; an administrator the one named by
 * ?provider=ID (to see what that provider sees). Else false after a 400:
 * another role with FOW_PERM_RUN_COHORTS (a counsellor) has no provider. */
static bool provider_of(const http_request *req, http_response *res, int64_t *provider) {
    res->cacheable = false;
    if (req->who.role == FOW_ROLE_PROVIDER && req->who.provider_id > 0) {
        *provider = req->who.provider_id;
        return true;
    }
    if (req->who.role == FOW_ROLE_ADMIN) {
        long id = 0;
        if (http_query_long(req, res, "provider", 0, 1, 2147483647L, &id) != 0) return false;
        if (id > 0) {
            *provider = id;
            return true;
        }
        http_error(res, 400, "provider", "an administrator names the training provider: ?provider=ID");
        return false;
    }
    http_error(res, 400, "provider", "this account works for no training provider: this is a provider's own view");
    return false;
}

static void me_vouchers(http_request *req, http_response *res) {
    if (!req->who.person_id[0]) {
        http_error(res, 403, "role", "this account is linked to no person");
        return;
    }
    voucher_session s;
    if (!session_begin(req, res, &s, false)) return;
    fow_error err;
    fow_error_clear(&err);
    fow_voucher *list = NULL;
    size_t n = 0;
    fow_training_catalogue catalogue;
    bool loaded = fow_training_load(s.db, &catalogue, &err) == FOW_OK;
    if (!loaded || fow_vouchers_list(s.db, req->who.person_id, 0, NULL, &list, &n, &err)) {
        voucher_error(res, &err);
    } else {
        fow_jw *w = http_writer();
        int64_t now = (int64_t)time(NULL);
        fow_code rc = FOW_OK;
        if (w) {
            fow_jw_object(w);
            fow_jw_key(w, "vouchers");
            fow_jw_array(w);
            for (size_t i = 0; !rc && i < n; i++) {
                fow_redemption *r = NULL;
                size_t nr = 0;
                rc = fow_voucher_redemptions(s.db, list[i].id, &r, &nr, &err);
                if (!rc) fow_voucher_holder_write(w, &list[i], r, nr, &catalogue, now);
                free(r);
            }
            fow_jw_array_end(w);
            fow_jw_kint(w, "count", (long long)n);
            fow_jw_kstring(w, "source", "balances from the vouchers' ledger accounts; redemptions as recorded at "
                                        "enrolment");
            fow_jw_object_end(w);
        }
        if (rc) {
            voucher_error(res, &err); /* the thread's writer is reset by the next request */
        } else {
            send(res, 200, w);
        }
    }
    if (loaded) fow_training_free(&catalogue);
    free(list);
    session_end(&s);
}

static void voucher_qr(http_request *req, http_response *res) {
    voucher_session s;
    if (!session_begin(req, res, &s, false)) return;
    fow_error err;
    fow_error_clear(&err);
    fow_voucher v;
    fow_code rc = fow_voucher_by_code(s.db, req->params[0], &v, &err);
    if (rc && strcmp(err.field, "code") == 0) {
        http_error(res, 400, "code", "%s", err.message);
    } else if (rc) {
        voucher_error(res, &err);
    } else if (!reads_vouchers(req) && !(req->who.person_id[0] && strcmp(req->who.person_id, v.person) == 0)) {
        /* not theirs: as if there were no such voucher */
        http_error(res, 404, "voucher", "no voucher with this code");
    } else {
        fow_credentials *creds = NULL;
        fow_credential_issuer issuer;
        rc = fow_credentials_open(s.db, NULL, false, &creds, &err);
        if (rc) {
            http_error(res, 500, NULL, "the site's address could not be read: %s", err.message);
        } else {
            fow_credentials_issuer(creds, &issuer);
            fow_credentials_close(creds);
            char url[FOW_CREDENTIAL_URL_MAX + 64];
            snprintf(url, sizeof url, "%.200s/#/redeem?code=%s", issuer.url, v.code);
            fow_qr qr;
            char *svg = NULL;
            size_t len = 0;
            if (!fow_qr_make(url, &qr, &err)) svg = fow_qr_svg(&qr, url, &len);
            fow_qr_free(&qr);
            if (!svg) {
                http_error(res, 500, NULL, "the QR code could not be made");
            } else {
                res->cacheable = false;
                res->body = svg;
                res->len = len;
                res->status = 200;
                res->content_type = "image/svg+xml";
            }
        }
    }
    session_end(&s);
}

static void provider_voucher(http_request *req, http_response *res) {
    int64_t provider = 0;
    if (!provider_of(req, res, &provider)) return;
    voucher_session s;
    if (!session_begin(req, res, &s, false)) return;
    fow_error err;
    fow_error_clear(&err);
    fow_training_catalogue catalogue;
    fow_voucher_offer offer;
    memset(&offer, 0, sizeof offer);
    bool loaded = fow_training_load(s.db, &catalogue, &err) == FOW_OK;
    fow_code rc = loaded ? fow_voucher_offer_get(s.db, &catalogue, req->params[0], provider,
                                                 (int64_t)time(NULL), &offer, &err)
                         : FOW_EDB;
    if (rc && strcmp(err.field, "code") == 0) {
        http_error(res, 400, "code", "%s", err.message);
    } else if (rc) {
        voucher_error(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_voucher_offer_write(w, &offer);
        send(res, 200, w);
    }
    fow_voucher_offer_free(&offer);
    if (loaded) fow_training_free(&catalogue);
    session_end(&s);
}

static void provider_claims(http_request *req, http_response *res) {
    int64_t provider = 0;
    if (!provider_of(req, res, &provider)) return;
    const char *status = http_query(req, "status");
    static const char *const statuses[] = {"redeemed", "payable", "batched", "paid", "refunded"};
    bool known = !status;
    for (size_t i = 0; !known && i < sizeof statuses / sizeof statuses[0]; i++) known = strcmp(status, statuses[i]) == 0;
    if (!known) {
        http_error(res, 400, "status", "status must be redeemed, payable, batched, paid or refunded");
        return;
    }
    voucher_session s;
    if (!session_begin(req, res, &s, false)) return;
    fow_error err;
    fow_error_clear(&err);
    fow_redemption *list = NULL;
    size_t n = 0;
    if (fow_redemptions_list(s.db, provider, status, 0, &list, &n, &err)) {
        voucher_error(res, &err);
    } else {
        int64_t totals[5] = {0};
        fow_jw *w = http_writer();
        if (w) {
            fow_jw_object(w);
            fow_jw_kint(w, "provider_id", provider);
            fow_jw_key(w, "claims");
            fow_jw_array(w);
            for (size_t i = 0; i < n; i++) {
                fow_redemption_write(w, &list[i]);
                for (size_t k = 0; k < 5; k++)
                    if (strcmp(list[i].status, statuses[k]) == 0) totals[k] += list[i].amount_minor;
            }
            fow_jw_array_end(w);
            fow_jw_kint(w, "count", (long long)n);
            fow_jw_key(w, "totals_minor");
            fow_jw_object(w);
            for (size_t k = 0; k < 5; k++) fow_jw_kint(w, statuses[k], totals[k]);
            fow_jw_object_end(w);
            fow_jw_kstring(w, "source", "this provider's redemptions; totals: the sum of their amounts by status "
                                        "(one currency per programme)");
            fow_jw_object_end(w);
        }
        send(res, 200, w);
    }
    free(list);
    session_end(&s);
}

static const http_route routes[] = {
    {.method = "GET", .pattern = "/api/v1/voucher-lines", .handler = lines_list, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_READ_PROGRAMME},
    {.method = "GET", .pattern = "/api/v1/vouchers/{code}", .handler = voucher_show, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true},
    {.method = "POST", .pattern = "/api/v1/vouchers/{code}/redemptions", .handler = redeem,
     .access = HTTP_SIGNED_IN, .personal_path = true, .max_body = 1024, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/vouchers/{code}/qr.svg", .handler = voucher_qr, .access = HTTP_SIGNED_IN,
     .personal_path = true},
    {.method = "GET", .pattern = "/api/v1/me/vouchers", .handler = me_vouchers, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_READ_OWN_RECORD},
    {.method = "GET", .pattern = "/api/v1/provider/vouchers/{code}", .handler = provider_voucher,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_RUN_COHORTS, .personal_path = true},
    {.method = "GET", .pattern = "/api/v1/provider/claims", .handler = provider_claims, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_RUN_COHORTS},
};
HTTP_ROUTE_TABLE(api_vouchers_routes, routes);
