/* api_credentials.c — verifiable credentials (src/credentials,
 * docs/credentials.md):
 *   GET  /.well-known/jwks.json                 the issuer's public keys (public)
 *   GET  /api/v1/credential-issuer             the issuer's Open Badges Profile (public)
 *   GET  /api/v1/credential-status/{list}      a status list credential, a signed VC-JWT (public)
 *   POST /api/v1/credentials/verify             verifies a pasted or uploaded VC-JWT (public)
 *   GET  /api/v1/credentials/{id}               a credential by its id, verified (public: the id is a
 *                                               random uuid its holder shares, as its QR code does)
 *   GET  /api/v1/credentials/{id}/qr.svg        the QR code of its verification URL (public)
 *   GET  /api/v1/credentials                    the credentials issued (?person=ID), staff
 *   POST /api/v1/credentials                    issues one for a person and a module, staff
 *   POST /api/v1/credentials/{id}/revoke        revokes one: FOW_PERM_REVOKE_CREDENTIALS, the rows
 *                                                 fow_credential_revoke's (docs/roles.md)
 *   POST /api/v1/credentials/present            a person's valid credential: its skills enter
 *                                               their profile (provenance credential), staff
 * Staff: FOW_PERM_MANAGE_PEOPLE (counsellors and administrators). Each
 * request opens its own connection, the issuer key file and, for staff
 * routes, the people key (the key files next to the database). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/fow_accounts.h"
#include "credentials/fow_credentials.h"
#include "base/fow_qr.h"
#include "http/http.h"
#include "people/fow_people.h"

typedef struct creds_session {
    fow_db *db;
    fow_credentials *creds;
    fow_people *people;
} creds_session;

static void session_end(creds_session *s) {
    fow_credentials_close(s->creds);
    fow_people_close(s->people);
    fow_db_close(s->db);
}

/* Opens the connection and the credentials (signing: with the issuer key;
 * people: the people records too); false after a 500. */
static bool session_begin(const http_request *req, http_response *res, creds_session *s, bool signing, bool people) {
    memset(s, 0, sizeof *s);
    fow_error err;
    fow_error_clear(&err);
    char key_path[4096];
    fow_code rc = fow_db_open(&s->db, req->services->db_path, !signing && !people, &err);
    if (!rc && signing) rc = fow_credentials_key_path(req->services->db_path, key_path, sizeof key_path, &err);
    if (!rc) rc = fow_credentials_open(s->db, signing ? key_path : NULL, signing, &s->creds, &err);
    if (!rc && people) {
        rc = fow_people_key_path(req->services->db_path, key_path, sizeof key_path, &err);
        if (!rc) rc = fow_people_open(s->db, key_path, &s->people, &err);
    }
    if (rc) {
        session_end(s);
        memset(s, 0, sizeof *s);
        http_error(res, 500, NULL, "credentials are not available: %s", err.message);
        return false;
    }
    return true;
}

static fow_people_staff staff_of(const http_request *req) {
    fow_people_staff s = {.name = req->who.name,
                          .organisation = req->who.organisation,
                          .all_organisations = req->who.role == FOW_ROLE_ADMIN};
    return s;
}

static void creds_error(http_response *res, const fow_error *err) {
    if (strcmp(err->field, "consent") == 0) http_error(res, 409, err->field, "%s", err->message);
    else if (strcmp(err->field, "role") == 0) http_error(res, 403, err->field, "%s", err->message);
    else http_error_from(res, err);
}

static void send(http_response *res, int status, fow_jw *w) {
    res->cacheable = false;
    http_json_written(res, status, w);
}

/* A text body of content type, copied. */
static void send_text(http_response *res, const char *type, const char *text) {
    res->body = strdup(text);
    if (!res->body) {
        http_error(res, 500, NULL, "out of memory");
        return;
    }
    res->len = strlen(text);
    res->status = 200;
    res->content_type = type;
    res->cacheable = false;
}

static bool body_string(json_t *body, const char *name, bool required, const char **out, http_response *res) {
    json_t *v = json_object_get(body, name);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required) http_error(res, 400, name, "%s is required", name);
        return !required;
    }
    if (!json_is_string(v)) {
        http_error(res, 400, name, "%s must be a string", name);
        return false;
    }
    *out = json_string_value(v);
    return true;
}

/* ---- publication ----------------------------------------------------------- */

static void jwks(http_request *req, http_response *res) {
    creds_session s;
    if (!session_begin(req, res, &s, false, false)) return;
    fow_jw *w = http_writer();
    if (w) fow_credentials_write_jwks(s.creds, w);
    send(res, 200, w);
    session_end(&s);
}

static void issuer_profile(http_request *req, http_response *res) {
    creds_session s;
    if (!session_begin(req, res, &s, false, false)) return;
    fow_jw *w = http_writer();
    if (w) fow_credentials_write_profile(s.creds, w);
    send(res, 200, w);
    session_end(&s);
}

static void status_list(http_request *req, http_response *res) {
    char *end = NULL;
    long list = strtol(req->params[0], &end, 10);
    if (!req->params[0][0] || *end || list < 1 || list > 1000000) {
        http_error(res, 400, "list", "a status list is a number from 1, not '%.40s'", req->params[0]);
        return;
    }
    creds_session s;
    if (!session_begin(req, res, &s, true, false)) return;
    char *jwt = NULL;
    fow_error err;
    fow_error_clear(&err);
    if (fow_credentials_status_list(s.creds, (int)list, (long long)time(NULL), &jwt, &err)) creds_error(res, &err);
    else send_text(res, "application/vc+jwt", jwt);
    free(jwt);
    session_end(&s);
}

/* ---- verification ------------------------------------------------------------ */

/* Verifies jwt against this server's issuer key and status lists into *v. */
static bool verify_here(creds_session *s, http_response *res, const char *jwt, size_t len, fow_verification *v) {
    fow_credential_keys keys;
    fow_error err;
    fow_error_clear(&err);
    if (fow_credentials_keys(s->creds, &keys, &err)) {
        http_error_from(res, &err);
        return false;
    }
    fow_verify_status_source src = {.local = s->creds};
    fow_code rc = fow_credential_verify(jwt, len, &keys, &src, (long long)time(NULL), v, &err);
    fow_credential_keys_free(&keys);
    if (rc) {
        fow_verification_free(v);
        http_error_from(res, &err);
        return false;
    }
    return true;
}

static void verify(http_request *req, http_response *res) {
    static const char *const known[] = {"jwt"};
    json_t *body = http_object_body(req, res, known, 1);
    if (!body) return;
    const char *jwt;
    if (body_string(body, "jwt", true, &jwt, res)) {
        creds_session s;
        fow_verification v;
        if (session_begin(req, res, &s, false, false)) {
            if (verify_here(&s, res, jwt, strlen(jwt), &v)) {
                fow_jw *w = http_writer();
                if (w) fow_verification_write(w, &v);
                send(res, 200, w);
                fow_verification_free(&v);
            }
            session_end(&s);
        }
    }
    json_decref(body);
}

static void credential_public(http_request *req, http_response *res) {
    creds_session s;
    if (!session_begin(req, res, &s, false, false)) return;
    fow_credential_row row;
    fow_error err;
    fow_error_clear(&err);
    fow_verification v;
    if (fow_credential_get(s.creds, req->params[0], &row, &err)) creds_error(res, &err);
    else {
        if (verify_here(&s, res, row.jwt, strlen(row.jwt), &v)) {
            fow_jw *w = http_writer();
            if (w) fow_credential_write_public(w, s.creds, &row, &v);
            send(res, 200, w);
            fow_verification_free(&v);
        }
        free(row.jwt);
    }
    session_end(&s);
}

/* The QR code of text as an SVG image (fow_qr.h: a quiet zone of 4). */
static char *qr_svg(const char *text) {
    fow_qr qr;
    fow_error err;
    fow_error_clear(&err);
    char *svg = fow_qr_make(text, &qr, &err) ? NULL : fow_qr_svg(&qr, "verification URL", NULL);
    fow_qr_free(&qr);
    return svg;
}

static void credential_qr(http_request *req, http_response *res) {
    creds_session s;
    if (!session_begin(req, res, &s, false, false)) return;
    fow_credential_row row;
    fow_error err;
    fow_error_clear(&err);
    if (fow_credential_get(s.creds, req->params[0], &row, &err)) creds_error(res, &err);
    else {
        fow_credential_issuer issuer;
        fow_credentials_issuer(s.creds, &issuer);
        char url[FOW_CREDENTIAL_URL_MAX + 80];
        snprintf(url, sizeof url, "%.200s/#/credential/%.36s", issuer.url, row.id + 9);
        char *svg = qr_svg(url);
        if (!svg) http_error(res, 500, NULL, "the QR code could not be made");
        else {
            res->body = svg;
            res->len = strlen(svg);
            res->status = 200;
            res->content_type = "image/svg+xml";
        }
        free(row.jwt);
    }
    session_end(&s);
}

/* ---- a person's own credentials (role person, fow_access_person) --------------- */

/* true when the caller may read the credentials of person_id (through the
 * one place of row access, fow_access_person); else answers 404. */
static bool own_credentials(const http_request *req, http_response *res, const char *person_id) {
    if (!req->who.person_id[0]) {
        http_error(res, 404, "person", "this account is linked to no people record");
        return false;
    }
    if (!fow_access_person((fow_role)req->who.role, req->who.organisation, req->who.person_id, person_id, NULL)) {
        http_error(res, 404, "credential", "no credential %s", req->params[0] ? req->params[0] : "");
        return false;
    }
    return true;
}

/* GET /api/v1/me/credentials: the caller's own credentials, newest first. */
static void me_credentials(http_request *req, http_response *res) {
    if (!own_credentials(req, res, req->who.person_id)) return;
    creds_session s;
    if (!session_begin(req, res, &s, false, false)) return;
    fow_credential_row *rows = NULL;
    size_t n = 0;
    fow_error err;
    fow_error_clear(&err);
    if (fow_credential_list(s.creds, req->who.person_id, &rows, &n, &err)) creds_error(res, &err);
    else {
        fow_jw *w = http_writer();
        if (w) {
            fow_jw_object(w);
            fow_jw_key(w, "credentials");
            fow_jw_array(w);
            for (size_t i = 0; i < n; i++) fow_credential_write_row(w, s.creds, &rows[i]);
            fow_jw_array_end(w);
            fow_jw_kint(w, "total", (long long)n);
            fow_jw_object_end(w);
        }
        send(res, 200, w);
    }
    free(rows);
    session_end(&s);
}

/* GET /api/v1/me/credentials/{id}: one of the caller's own credentials with
 * its VC-JWT (?format=jwt: the VC-JWT alone, application/vc+jwt, to
 * download); another person's credential is "not found". */
static void me_credential(http_request *req, http_response *res) {
    if (!req->who.person_id[0]) {
        own_credentials(req, res, "");
        return;
    }
    creds_session s;
    if (!session_begin(req, res, &s, false, false)) return;
    fow_credential_row row;
    fow_error err;
    fow_error_clear(&err);
    if (fow_credential_get(s.creds, req->params[0], &row, &err)) creds_error(res, &err);
    else {
        if (own_credentials(req, res, row.person_id)) {
            const char *format = http_query(req, "format");
            if (format && strcmp(format, "jwt") == 0) send_text(res, "application/vc+jwt", row.jwt);
            else if (format && *format)
                http_error(res, 400, "format", "format must be jwt (the VC-JWT alone) or absent (JSON)");
            else {
                fow_jw *w = http_writer();
                if (w) fow_credential_write_row(w, s.creds, &row);
                send(res, 200, w);
            }
        }
        free(row.jwt);
    }
    session_end(&s);
}

/* ---- staff --------------------------------------------------------------------- */

static void credential_list(http_request *req, http_response *res) {
    const char *person = http_query(req, "person");
    creds_session s;
    if (!session_begin(req, res, &s, false, false)) return;
    fow_credential_row *rows = NULL;
    size_t n = 0;
    fow_error err;
    fow_error_clear(&err);
    if (fow_credential_list(s.creds, person && *person ? person : NULL, &rows, &n, &err)) creds_error(res, &err);
    else {
        fow_jw *w = http_writer();
        if (w) {
            fow_jw_object(w);
            fow_jw_key(w, "credentials");
            fow_jw_array(w);
            for (size_t i = 0; i < n; i++) fow_credential_write_row(w, s.creds, &rows[i]);
            fow_jw_array_end(w);
            fow_jw_kint(w, "total", (long long)n);
            fow_jw_object_end(w);
        }
        send(res, 200, w);
    }
    free(rows);
    session_end(&s);
}

static void credential_issue(http_request *req, http_response *res) {
    static const char *const known[] = {"person", "module", "completion", "completed_on", "result", "valid_days"};
    json_t *body = http_object_body(req, res, known, sizeof known / sizeof *known);
    if (!body) return;
    const char *person, *completion, *completed_on, *result;
    json_t *module = json_object_get(body, "module"), *days = json_object_get(body, "valid_days");
    if (!body_string(body, "person", true, &person, res) || !body_string(body, "completion", false, &completion, res) ||
        !body_string(body, "completed_on", false, &completed_on, res) ||
        !body_string(body, "result", false, &result, res)) {
        json_decref(body);
        return;
    }
    if (!json_is_integer(module) || json_integer_value(module) < 1) {
        http_error(res, 400, "module", "module must be a module's id, a whole number (GET /api/v1/modules)");
        json_decref(body);
        return;
    }
    if (days && !json_is_null(days) && (!json_is_integer(days) || json_integer_value(days) < 0 ||
                                        json_integer_value(days) > 36600)) {
        http_error(res, 400, "valid_days", "valid_days must be a whole number of days from 0 (no end) to 36600");
        json_decref(body);
        return;
    }
    creds_session s;
    if (session_begin(req, res, &s, true, true)) {
        fow_people_staff staff = staff_of(req);
        fow_credential_request r = {.person_id = person, .module_id = json_integer_value(module),
                                    .completion_id = completion, .completed_on = completed_on, .result = result,
                                    .valid_days = json_is_integer(days) ? (int)json_integer_value(days) : 0,
                                    .issued_by = req->who.name};
        fow_credential_row row;
        fow_error err;
        fow_error_clear(&err);
        if (fow_credential_issue(s.creds, s.people, &staff, &r, (long long)time(NULL), &row, &err))
            creds_error(res, &err);
        else {
            fow_jw *w = http_writer();
            if (w) fow_credential_write_row(w, s.creds, &row);
            send(res, 201, w);
            free(row.jwt);
        }
        session_end(&s);
    }
    json_decref(body);
}

static void credential_revoke(http_request *req, http_response *res) {
    static const char *const known[] = {"reason"};
    json_t *body = http_object_body(req, res, known, 1);
    if (!body) return;
    const char *reason;
    creds_session s;
    bool counsellor = req->who.role == FOW_ROLE_COUNSELLOR; /* whose credential it is: their people records */
    if (body_string(body, "reason", true, &reason, res) && session_begin(req, res, &s, true, counsellor)) {
        fow_error err;
        fow_error_clear(&err);
        fow_credential_row row;
        fow_people_staff staff = staff_of(req);
        fow_credential_revoker who = {.name = req->who.name, .role = req->who.role, .staff = &staff,
                                      .people = s.people, .provider_id = req->who.provider_id};
        if (fow_credential_revoke(s.creds, &who, req->params[0], reason, (long long)time(NULL), &err) ||
            fow_credential_get(s.creds, req->params[0], &row, &err))
            creds_error(res, &err);
        else {
            free(row.jwt);
            row.jwt = NULL;
            fow_jw *w = http_writer();
            if (w) fow_credential_write_row(w, s.creds, &row);
            send(res, 200, w);
        }
        session_end(&s);
    }
    json_decref(body);
}

static void credential_present(http_request *req, http_response *res) {
    static const char *const known[] = {"person", "jwt"};
    json_t *body = http_object_body(req, res, known, 2);
    if (!body) return;
    const char *person, *jwt;
    creds_session s;
    if (body_string(body, "person", true, &person, res) && body_string(body, "jwt", true, &jwt, res) &&
        session_begin(req, res, &s, true, true)) {
        fow_verification v;
        if (verify_here(&s, res, jwt, strlen(jwt), &v)) {
            fow_people_staff staff = staff_of(req);
            size_t added = 0, skipped = 0;
            fow_error err;
            fow_error_clear(&err);
            if (!req->engine) http_error(res, 503, NULL, "no taxonomy is loaded: the skills cannot be resolved");
            else if (fow_credential_present(s.creds, s.people, &staff, req->engine->model, person, &v,
                                            (long long)time(NULL), &added, &skipped, &err))
                creds_error(res, &err);
            else {
                fow_jw *w = http_writer();
                if (w) {
                    fow_jw_object(w);
                    fow_jw_kstring(w, "person", person);
                    fow_jw_kstring(w, "credential", v.id);
                    fow_jw_kint(w, "added", (long long)added);
                    fow_jw_kint(w, "skipped", (long long)skipped);
                    fow_jw_kstring(w, "provenance", "credential");
                    fow_jw_object_end(w);
                }
                send(res, 200, w);
            }
            fow_verification_free(&v);
        }
        session_end(&s);
    }
    json_decref(body);
}

static const http_route routes[] = {
    {.method = "GET", .pattern = "/.well-known/jwks.json", .handler = jwks, .access = HTTP_PUBLIC, .uncached = true},
    {.method = "GET", .pattern = "/api/v1/credential-issuer", .handler = issuer_profile, .access = HTTP_PUBLIC,
     .uncached = true},
    {.method = "GET", .pattern = "/api/v1/credential-status/{list}", .handler = status_list, .access = HTTP_PUBLIC,
     .uncached = true},
    {.method = "POST", .pattern = "/api/v1/credentials/verify", .handler = verify, .access = HTTP_PUBLIC,
     .max_body = FOW_CREDENTIAL_JWT_MAX + 1024, .json_body = true, .csrf_exempt = true},
    {.method = "GET", .pattern = "/api/v1/credentials/{id}", .handler = credential_public, .access = HTTP_PUBLIC,
     .uncached = true},
    {.method = "GET", .pattern = "/api/v1/credentials/{id}/qr.svg", .handler = credential_qr, .access = HTTP_PUBLIC,
     .uncached = true},
    {.method = "GET", .pattern = "/api/v1/me/credentials", .handler = me_credentials, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_READ_OWN_RECORD, .personal_path = true},
    {.method = "GET", .pattern = "/api/v1/me/credentials/{id}", .handler = me_credential, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_READ_OWN_RECORD, .personal_path = true},
    {.method = "GET", .pattern = "/api/v1/credentials", .handler = credential_list, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true},
    {.method = "POST", .pattern = "/api/v1/credentials", .handler = credential_issue, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true, .max_body = 4096, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/credentials/{id}/revoke", .handler = credential_revoke,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_REVOKE_CREDENTIALS, .max_body = 4096, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/credentials/present", .handler = credential_present,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true,
     .max_body = FOW_CREDENTIAL_JWT_MAX + 1024, .json_body = true},
};
HTTP_ROUTE_TABLE(api_credentials_routes, routes);
