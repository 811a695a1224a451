/* api_auth.c — signing in and out, the current user, API tokens, and the
 * accounts an admin manages. */
#include <microhttpd.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/auth.h"

#define COOKIE "fow_session"

/* A string field of 1..max bytes, or NULL after a 400 (optional: NULL
 * without an error when absent). */
static const char *string_field(json_t *body, const char *name, size_t max, bool required, http_response *res,
                                bool *failed) {
    json_t *v = json_object_get(body, name);
    if (!v) {
        if (required) {
            http_error(res, 400, name, "%s is required", name);
            *failed = true;
        }
        return NULL;
    }
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > max) {
        http_error(res, 400, name, "%s must be a string of 1 to %zu bytes", name, max);
        *failed = true;
        return NULL;
    }
    return json_string_value(v);
}

static json_t *user_json(const fow_user *u) {
    char created[32], last[32];
    return json_pack("{s:s, s:s, s:s, s:s, s:s?}", "name", u->name, "display_name", u->display_name, "role",
                     u->role_name, "created_at", fow_accounts_format_time(u->created_at, created, sizeof created),
                     "last_login_at",
                     u->last_login_at ? fow_accounts_format_time(u->last_login_at, last, sizeof last) : NULL);
}

/* ---- login / logout / me ---------------------------------------------------- */

typedef struct login_call {
    const char *name, *password;
    long long now;
    fow_session session;
    fow_auth_status status;
} login_call;

static fow_code do_login(fow_db *db, void *ctx, fow_error *err) {
    login_call *c = ctx;
    return fow_accounts_login(db, c->name, c->password, c->now, &c->session, &c->status, err);
}

static void api_login(http_request *req, http_response *res) {
    static const char *const known[] = {"name", "password"};
    json_t *body = http_object_body(req, res, known, 2);
    if (!body) return;
    bool failed = false;
    login_call c = {0};
    c.name = string_field(body, "name", FOW_USER_NAME_MAX, true, res, &failed);
    if (failed) goto done;
    c.password = string_field(body, "password", FOW_PASSWORD_MAX, true, res, &failed);
    if (failed) goto done;
    c.now = (long long)time(NULL);
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = http_auth_with_db(req->services->auth, do_login, &c, &err);
    if (rc) {
        if (c.status == FOW_AUTH_LOCKED) {
            char retry[32];
            snprintf(retry, sizeof retry, "%lld", c.session.user.locked_until - c.now);
            http_header(res, "Retry-After", retry);
            http_error(res, 429, "name", "%s", err.message);
        } else if (c.status == FOW_AUTH_BAD_CREDENTIALS) {
            http_error(res, 401, "password", "%s", err.message);
        } else {
            http_error_from(res, &err);
        }
        goto done;
    }
    char cookie[200];
    snprintf(cookie, sizeof cookie, COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld", c.session.token,
             c.session.expires_at - c.now);
    http_header(res, MHD_HTTP_HEADER_SET_COOKIE, cookie);
    char expires[32];
    http_json(res, 200,
              json_pack("{s:o, s:s, s:s}", "user", user_json(&c.session.user), "csrf", c.session.csrf, "expires_at",
                        fow_accounts_format_time(c.session.expires_at, expires, sizeof expires)));
    sodium_memzero(c.session.token, sizeof c.session.token);
done:
    json_decref(body);
}

static fow_code do_logout(fow_db *db, void *ctx, fow_error *err) { return fow_accounts_logout(db, ctx, err); }

static void api_logout(http_request *req, http_response *res) {
    const char *cookie = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, COOKIE);
    fow_error err;
    fow_error_clear(&err);
    if (cookie && http_auth_with_db(req->services->auth, do_logout, (void *)cookie, &err)) {
        http_error_from(res, &err);
        return;
    }
    http_header(res, MHD_HTTP_HEADER_SET_COOKIE, COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    http_json(res, 200, json_pack("{s:b}", "signed_out", 1));
}

typedef struct user_call {
    const char *name;
    fow_user user;
} user_call;

static fow_code do_user_get(fow_db *db, void *ctx, fow_error *err) {
    user_call *c = ctx;
    return fow_accounts_user_get(db, c->name, &c->user, err);
}

/* Public, so that a page learns that nobody is signed in without a failing
 * request: {"user": null} then (also for a stale session cookie; a bad API
 * token is refused before this, with 401). */
static void api_me(http_request *req, http_response *res) {
    res->cacheable = false;
    if (!req->who.authenticated) {
        http_json(res, 200, json_pack("{s:n}", "user"));
        return;
    }
    user_call c = {req->who.name, {0}};
    fow_error err;
    fow_error_clear(&err);
    if (http_auth_with_db(req->services->auth, do_user_get, &c, &err)) {
        http_error_from(res, &err);
        return;
    }
    res->cacheable = false;
    json_t *body = json_pack("{s:o, s:b}", "user", user_json(&c.user), "via_token", req->who.via_token);
    if (!req->who.via_token) json_object_set_new(body, "csrf", json_string(req->who.csrf));
    http_json(res, 200, body);
}

/* ---- API tokens -------------------------------------------------------------- */

typedef struct token_call {
    long long user_id;
    const char *name;
    char token[FOW_API_TOKEN_CHARS + 1];
    long long id;
} token_call;

static fow_code do_token(fow_db *db, void *ctx, fow_error *err) {
    token_call *c = ctx;
    return fow_accounts_token_create(db, c->user_id, c->name, (long long)time(NULL), c->token, &c->id, err);
}

static void api_token_create(http_request *req, http_response *res) {
    static const char *const known[] = {"name"};
    json_t *body = http_object_body(req, res, known, 1);
    if (!body) return;
    bool failed = false;
    token_call c = {req->who.user_id, NULL, "", 0};
    {
        c.name = string_field(body, "name", FOW_TOKEN_LABEL_MAX, true, res, &failed);
        fow_error err;
        fow_error_clear(&err);
        if (!failed) {
            if (http_auth_with_db(req->services->auth, do_token, &c, &err)) http_error_from(res, &err);
            else
                http_json(res, 201, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)c.id, "name", c.name, "token",
                                              c.token, "note", "this token is shown once: keep it secret"));
        }
    }
    sodium_memzero(c.token, sizeof c.token);
    json_decref(body);
}

/* ---- users (admin) ------------------------------------------------------------ */

typedef struct list_call {
    fow_user *users;
    size_t n;
} list_call;

static fow_code do_list(fow_db *db, void *ctx, fow_error *err) {
    list_call *c = ctx;
    return fow_accounts_user_list(db, &c->users, &c->n, err);
}

static void api_users_list(http_request *req, http_response *res) {
    list_call c = {0};
    fow_error err;
    fow_error_clear(&err);
    if (http_auth_with_db(req->services->auth, do_list, &c, &err)) {
        http_error_from(res, &err);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < c.n; i++) json_array_append_new(list, user_json(&c.users[i]));
    free(c.users);
    res->cacheable = false;
    http_json(res, 200, json_pack("{s:o}", "users", list));
}

typedef struct add_call {
    const char *name, *display_name, *role, *password;
    fow_user user;
} add_call;

static fow_code do_add(fow_db *db, void *ctx, fow_error *err) {
    add_call *c = ctx;
    return fow_accounts_user_add(db, c->name, c->display_name, c->role, c->password, (long long)time(NULL), &c->user,
                                 err);
}

static void api_users_add(http_request *req, http_response *res) {
    static const char *const known[] = {"name", "display_name", "role", "password"};
    json_t *body = http_object_body(req, res, known, 4);
    if (!body) return;
    bool failed = false;
    add_call c = {0};
    c.name = string_field(body, "name", FOW_USER_NAME_MAX, true, res, &failed);
    if (!failed) c.role = string_field(body, "role", FOW_ROLE_NAME_MAX, true, res, &failed);
    if (!failed) c.password = string_field(body, "password", FOW_PASSWORD_MAX, true, res, &failed);
    if (!failed) c.display_name = string_field(body, "display_name", FOW_DISPLAY_NAME_MAX, false, res, &failed);
    if (failed) goto done;
    fow_error err;
    fow_error_clear(&err);
    if (http_auth_with_db(req->services->auth, do_add, &c, &err)) http_error_from(res, &err);
    else http_json(res, 201, json_pack("{s:o}", "user", user_json(&c.user)));
done:
    json_decref(body);
}

static fow_code do_remove(fow_db *db, void *ctx, fow_error *err) { return fow_accounts_user_remove(db, ctx, err); }

static void api_users_remove(http_request *req, http_response *res) {
    if (strcmp(req->params[0], req->who.name) == 0) {
        http_error(res, 409, "name", "you cannot remove your own account");
        return;
    }
    fow_error err;
    fow_error_clear(&err);
    if (http_auth_with_db(req->services->auth, do_remove, (void *)req->params[0], &err))
        http_error_from(res, &err);
    else http_json(res, 200, json_pack("{s:s}", "removed", req->params[0]));
}

static const http_route routes[] = {
    {.method = "POST", .pattern = "/api/v1/auth/login", .handler = api_login, .access = HTTP_PUBLIC,
     .max_body = 4096, .json_body = true, .csrf_exempt = true},
    {.method = "POST", .pattern = "/api/v1/auth/logout", .handler = api_logout, .access = HTTP_SIGNED_IN,
     .max_body = 4096},
    {.method = "GET", .pattern = "/api/v1/auth/me", .handler = api_me, .access = HTTP_PUBLIC},
    {.method = "POST", .pattern = "/api/v1/auth/tokens", .handler = api_token_create, .access = HTTP_SIGNED_IN,
     .max_body = 4096, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/users", .handler = api_users_list, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_USERS},
    {.method = "POST", .pattern = "/api/v1/users", .handler = api_users_add, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_USERS, .max_body = 4096, .json_body = true},
    {.method = "DELETE", .pattern = "/api/v1/users/{name}", .handler = api_users_remove, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_USERS},
};
HTTP_ROUTE_TABLE(api_auth_routes, routes);
