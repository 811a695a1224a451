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

/* A sign-in on its way to a hashing thread (auth.h): it owns copies of
 * what it needs, since the request's memory is not its own there. */
typedef struct login_job {
    http_deferred *answer;
    char client[64];
    char name[FOW_USER_NAME_MAX + 1];
    char password[FOW_PASSWORD_MAX + 1];
} login_job;

/* The answer to a sign-in into res. */
static void login_answer(http_response *res, fow_code rc, fow_auth_status status, const fow_session *session,
                         const fow_error *err, long long now) {
    if (rc) {
        if (status == FOW_AUTH_THROTTLED) {
            char retry[32];
            snprintf(retry, sizeof retry, "%lld", session->retry_after);
            http_header(res, "Retry-After", retry);
            http_error(res, 429, NULL, "%s", err->message);
        } else if (status == FOW_AUTH_BAD_CREDENTIALS) {
            http_error(res, 401, "password", "%s", err->message);
        } else {
            http_error_from(res, err);
        }
        return;
    }
    char cookie[200];
    snprintf(cookie, sizeof cookie, COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld", session->token,
             session->expires_at - now);
    http_header(res, MHD_HTTP_HEADER_SET_COOKIE, cookie);
    sodium_memzero(cookie, sizeof cookie);
    char expires[32];
    http_json(res, 200,
              json_pack("{s:o, s:s, s:s}", "user", user_json(&session->user), "csrf", session->csrf, "expires_at",
                        fow_accounts_format_time(session->expires_at, expires, sizeof expires)));
}

/* On a hashing thread: checks the password, answers, resumes the request. */
static void run_login(fow_db *db, fow_login_throttle *throttle, void *ctx) {
    login_job *job = ctx;
    long long now = (long long)time(NULL);
    fow_session session;
    fow_auth_status status = FOW_AUTH_ERROR;
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = fow_accounts_login(db, throttle, job->client, job->name, job->password, now, &session, &status, &err);
    login_answer(http_deferred_response(job->answer), rc, status, &session, &err, now);
    sodium_memzero(&session, sizeof session);
    http_deferred *answer = job->answer;
    sodium_memzero(job, sizeof *job);
    free(job);
    http_deferred_finish(answer);
}

/* The answer when no hashing thread can take a sign-in now. */
static void login_refused(http_response *res, http_login_queued why) {
    http_header(res, "Retry-After", "1");
    if (why == HTTP_LOGIN_CLIENT_BUSY)
        http_error(res, 429, NULL, "sign-ins from this address are being checked already: wait for their answers");
    else
        http_error(res, 503, NULL, "too many sign-ins are being checked right now: try again in a moment");
}

static void api_login(http_request *req, http_response *res) {
    static const char *const known[] = {"name", "password"};
    json_t *body = http_object_body(req, res, known, 2);
    if (!body) return;
    bool failed = false;
    const char *name = string_field(body, "name", FOW_USER_NAME_MAX, true, res, &failed);
    const char *password = failed ? NULL : string_field(body, "password", FOW_PASSWORD_MAX, true, res, &failed);
    if (failed) goto done;
    http_auth *auth = req->services->auth;
    fow_session none;
    fow_auth_status status;
    fow_error err;
    fow_error_clear(&err);
    long long now = (long long)time(NULL);
    if (http_auth_login_throttled(auth, req->client, name, now, &none, &status, &err)) {
        /* answered here, without hashing and without a place in the queue */
        login_answer(res, FOW_EINPUT, status, &none, &err, now);
        goto done;
    }
    http_login_queued room = http_auth_login_room(auth, req->client);
    if (room != HTTP_LOGIN_QUEUED) {
        login_refused(res, room);
        goto done;
    }
    login_job *job = calloc(1, sizeof *job);
    http_deferred *answer = job ? http_defer(req) : NULL;
    if (!answer) {
        free(job);
        http_error(res, 500, NULL, "out of memory");
        goto done;
    }
    job->answer = answer;
    snprintf(job->client, sizeof job->client, "%s", req->client);
    snprintf(job->name, sizeof job->name, "%s", name);
    snprintf(job->password, sizeof job->password, "%s", password);
    http_login_queued q = http_auth_submit_login(auth, req->client, run_login, job);
    if (q != HTTP_LOGIN_QUEUED) {
        sodium_memzero(job, sizeof *job);
        free(job);
        login_refused(http_deferred_response(answer), q);
        http_deferred_finish(answer);
    }
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
    /* through a token: the role it acts with (its scope, at most the user's role) */
    if (req->who.via_token) snprintf(c.user.role_name, sizeof c.user.role_name, "%s", fow_role_name((fow_role)req->who.role));
    json_t *body = json_pack("{s:o, s:b}", "user", user_json(&c.user), "via_token", req->who.via_token);
    if (!req->who.via_token) json_object_set_new(body, "csrf", json_string(req->who.csrf));
    http_json(res, 200, body);
}

/* ---- API tokens -------------------------------------------------------------- */

static json_t *time_or_null(long long t) {
    char buf[32];
    return t > 0 ? json_string(fow_accounts_format_time(t, buf, sizeof buf)) : json_null();
}

/* A token as listed: never its secret. */
static json_t *token_json(const fow_api_token *t, long long now) {
    return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:b, s:o, s:b}", "id", (json_int_t)t->id, "name", t->name,
                     "scope", t->scope_name, "created_at", time_or_null(t->created_at), "expires_at",
                     time_or_null(t->expires_at), "last_used_at", time_or_null(t->last_used_at), "revoked",
                     t->revoked, "revoked_at", time_or_null(t->revoked_at), "expired", now >= t->expires_at);
}

typedef struct token_call {
    long long user_id;
    fow_token_spec spec;
    char token[FOW_API_TOKEN_CHARS + 1];
    fow_api_token info;
} token_call;

static fow_code do_token(fow_db *db, void *ctx, fow_error *err) {
    token_call *c = ctx;
    return fow_accounts_token_create(db, c->user_id, &c->spec, (long long)time(NULL), c->token, &c->info, err);
}

static void api_token_create(http_request *req, http_response *res) {
    if (req->who.via_token) {
        /* a leaked token must not be able to make itself a successor */
        http_error(res, 403, "Authorization", "an API token cannot make API tokens: sign in with a password");
        return;
    }
    static const char *const known[] = {"name", "scope", "days"};
    json_t *body = http_object_body(req, res, known, 3);
    if (!body) return;
    bool failed = false;
    token_call c = {.user_id = req->who.user_id};
    c.spec.max_days = http_auth_token_max_days(req->services->auth);
    c.spec.name = string_field(body, "name", FOW_TOKEN_LABEL_MAX, true, res, &failed);
    if (!failed) c.spec.scope = string_field(body, "scope", FOW_ROLE_NAME_MAX, false, res, &failed);
    json_t *days = json_object_get(body, "days");
    if (!failed && days) {
        if (!json_is_integer(days) || json_integer_value(days) < 1 || json_integer_value(days) > c.spec.max_days) {
            http_error(res, 400, "days", "days must be a whole number of days from 1 to %lld", c.spec.max_days);
            failed = true;
        } else {
            c.spec.days = (long long)json_integer_value(days);
        }
    }
    if (!failed) {
        fow_error err;
        fow_error_clear(&err);
        if (http_auth_with_db(req->services->auth, do_token, &c, &err)) {
            http_error_from(res, &err);
        } else {
            json_t *answer = token_json(&c.info, c.info.created_at);
            json_object_set_new(answer, "token", json_string(c.token));
            json_object_set_new(answer, "note", json_string("this token is shown once: keep it secret"));
            http_json(res, 201, answer);
        }
    }
    sodium_memzero(c.token, sizeof c.token);
    json_decref(body);
}

typedef struct token_list_call {
    long long user_id;
    fow_api_token *tokens;
    size_t n;
} token_list_call;

static fow_code do_token_list(fow_db *db, void *ctx, fow_error *err) {
    token_list_call *c = ctx;
    return fow_accounts_token_list(db, c->user_id, &c->tokens, &c->n, err);
}

static void api_token_list(http_request *req, http_response *res) {
    token_list_call c = {.user_id = req->who.user_id};
    fow_error err;
    fow_error_clear(&err);
    if (http_auth_with_db(req->services->auth, do_token_list, &c, &err)) {
        http_error_from(res, &err);
        return;
    }
    long long now = (long long)time(NULL);
    json_t *list = json_array();
    for (size_t i = 0; i < c.n; i++) json_array_append_new(list, token_json(&c.tokens[i], now));
    free(c.tokens);
    res->cacheable = false;
    http_json(res, 200, json_pack("{s:o}", "tokens", list));
}

typedef struct token_revoke_call {
    long long user_id, token_id;
} token_revoke_call;

static fow_code do_token_revoke(fow_db *db, void *ctx, fow_error *err) {
    token_revoke_call *c = ctx;
    return fow_accounts_token_revoke(db, c->user_id, c->token_id, (long long)time(NULL), err);
}

static void api_token_revoke(http_request *req, http_response *res) {
    const char *text = req->params[0];
    char *end = NULL;
    long long id = strtoll(text, &end, 10);
    if (!*text || *end || id <= 0 || strspn(text, "0123456789") != strlen(text)) {
        http_error(res, 404, "id", "no API token with id '%s'", text);
        return;
    }
    token_revoke_call c = {req->who.user_id, id};
    fow_error err;
    fow_error_clear(&err);
    if (http_auth_with_db(req->services->auth, do_token_revoke, &c, &err)) http_error_from(res, &err);
    else http_json(res, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "revoked", 1));
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
    fow_user_links links;
    fow_user user;
} add_call;

static fow_code do_add(fow_db *db, void *ctx, fow_error *err) {
    add_call *c = ctx;
    return fow_accounts_user_add_linked(db, c->name, c->display_name, c->role, &c->links, c->password,
                                        (long long)time(NULL), &c->user, err);
}

static void api_users_add(http_request *req, http_response *res) {
    static const char *const known[] = {"name", "display_name", "role", "password", "provider_id", "person_id"};
    json_t *body = http_object_body(req, res, known, sizeof known / sizeof *known);
    if (!body) return;
    bool failed = false;
    add_call c = {0};
    json_t *provider = json_object_get(body, "provider_id");
    if (provider && !json_is_null(provider)) {
        if (!json_is_integer(provider) || json_integer_value(provider) < 1) {
            http_error(res, 400, "provider_id", "provider_id must be a training provider's number");
            goto done;
        }
        c.links.provider_id = json_integer_value(provider);
    }
    c.links.person_id = string_field(body, "person_id", FOW_USER_PERSON_MAX, false, res, &failed);
    if (failed) goto done;
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
    {.method = "GET", .pattern = "/api/v1/auth/tokens", .handler = api_token_list, .access = HTTP_SIGNED_IN},
    {.method = "DELETE", .pattern = "/api/v1/auth/tokens/{id}", .handler = api_token_revoke,
     .access = HTTP_SIGNED_IN},
    {.method = "GET", .pattern = "/api/v1/users", .handler = api_users_list, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_USERS},
    {.method = "POST", .pattern = "/api/v1/users", .handler = api_users_add, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_USERS, .max_body = 4096, .json_body = true},
    {.method = "DELETE", .pattern = "/api/v1/users/{name}", .handler = api_users_remove, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_USERS},
};
HTTP_ROUTE_TABLE(api_auth_routes, routes);
