/* auth.c — authentication and authorisation of requests. */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/auth.h"

struct http_auth {
    fow_db *db;
    pthread_mutex_t lock;
};

fow_code http_auth_open(const char *db_path, http_auth **out, fow_error *err) {
    *out = NULL;
    fow_code rc = fow_accounts_init(err);
    if (rc) return rc;
    http_auth *a = calloc(1, sizeof *a);
    if (!a) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    pthread_mutex_init(&a->lock, NULL);
    rc = fow_db_open(&a->db, db_path, false, err);
    if (rc) {
        http_auth_close(a);
        return rc;
    }
    *out = a;
    return FOW_OK;
}

void http_auth_close(http_auth *a) {
    if (!a) return;
    if (a->db) fow_db_close(a->db);
    pthread_mutex_destroy(&a->lock);
    free(a);
}

fow_code http_auth_with_db(http_auth *a, fow_code (*fn)(fow_db *db, void *ctx, fow_error *err), void *ctx,
                           fow_error *err) {
    pthread_mutex_lock(&a->lock);
    fow_code rc = fn(a->db, ctx, err);
    pthread_mutex_unlock(&a->lock);
    return rc;
}

static void set_principal(http_principal *who, const fow_user *u, bool via_token, const char *csrf) {
    who->authenticated = true;
    who->via_token = via_token;
    who->user_id = u->id;
    snprintf(who->name, sizeof who->name, "%s", u->name);
    who->role = (int)u->role;
    snprintf(who->csrf, sizeof who->csrf, "%s", csrf ? csrf : "");
}

static bool changes_state(const char *method) {
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

bool http_auth_request(http_auth *a, http_request *req, const http_route *route, http_response *res) {
    memset(&req->who, 0, sizeof req->who);
    long long now = (long long)time(NULL);
    fow_error err;
    fow_error_clear(&err);
    fow_auth_status status = FOW_AUTH_BAD_CREDENTIALS;
    const char *authz = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    const char *cookie = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "fow_session");
    bool expired = false;
    if (authz) {
        /* a machine: a bearer token, checked whatever the route */
        if (strncmp(authz, "Bearer ", 7) != 0) {
            http_error(res, 401, "Authorization", "use 'Authorization: Bearer TOKEN' with an API token");
            return false;
        }
        fow_user user;
        pthread_mutex_lock(&a->lock);
        fow_code rc = fow_accounts_token_check(a->db, authz + 7, now, &user, NULL, &status, &err);
        pthread_mutex_unlock(&a->lock);
        if (rc) {
            if (status == FOW_AUTH_ERROR) http_error(res, 500, NULL, "%s", err.message);
            else
                http_error(res, 401, "Authorization", "%s",
                           status == FOW_AUTH_REVOKED ? "this API token was revoked" : "unknown API token");
            return false;
        }
        set_principal(&req->who, &user, true, NULL);
    } else if (cookie) {
        fow_session session;
        pthread_mutex_lock(&a->lock);
        fow_code rc = fow_accounts_session_check(a->db, cookie, now, &session, &status, &err);
        pthread_mutex_unlock(&a->lock);
        if (rc == FOW_OK) set_principal(&req->who, &session.user, false, session.csrf);
        else if (status == FOW_AUTH_ERROR) {
            http_error(res, 500, NULL, "%s", err.message);
            return false;
        } else {
            expired = status == FOW_AUTH_EXPIRED;
        }
        /* a stale cookie does not stop public pages */
    }
    if (route->access != HTTP_PUBLIC && !req->who.authenticated) {
        if (expired) http_error(res, 401, "session", "your session has expired: sign in again");
        else http_error(res, 401, "session", "sign in first");
        return false;
    }
    if (route->access == HTTP_PERMISSION && !fow_role_allows((fow_role)req->who.role, (fow_permission)route->permission)) {
        http_error(res, 403, "role", "the role %s may not do this", fow_role_name((fow_role)req->who.role));
        return false;
    }
    if (req->who.authenticated && !req->who.via_token && changes_state(req->method) && !route->csrf_exempt) {
        const char *given = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-CSRF-Token");
        if (!fow_accounts_csrf_equal(req->who.csrf, given)) {
            http_error(res, 403, "X-CSRF-Token", "missing or wrong CSRF token: send the X-CSRF-Token header");
            return false;
        }
    }
    return true;
}
