/* auth.c — authentication and authorisation of requests. */
#include <microhttpd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http/auth.h"

typedef struct queued_login {
    http_login_job fn;
    void *ctx;
    char client[64];
} queued_login;

struct http_auth {
    fow_db *db; /* shared by request threads, behind lock */
    pthread_mutex_t lock;
    fow_login_throttle *throttle;
    long long token_max_days;
    /* the hashing threads and their queue, behind pool_lock */
    pthread_mutex_t pool_lock;
    pthread_cond_t pool_wake;
    queued_login queue[HTTP_LOGIN_QUEUE]; /* a ring: count from head */
    size_t head, count;
    char hashing[HTTP_LOGIN_THREADS_MAX][64]; /* the client each thread hashes for; "" when idle */
    pthread_t threads[HTTP_LOGIN_THREADS_MAX];
    fow_db *thread_db[HTTP_LOGIN_THREADS_MAX];
    int n_threads; /* started */
    bool stopping, joined;
};

static void *thread_main(void *arg) {
    http_auth *a = ((void **)arg)[0];
    int index = (int)(intptr_t)((void **)arg)[1];
    free(arg);
    for (;;) {
        pthread_mutex_lock(&a->pool_lock);
        while (a->count == 0 && !a->stopping) pthread_cond_wait(&a->pool_wake, &a->pool_lock);
        if (a->count == 0) {
            pthread_mutex_unlock(&a->pool_lock);
            break;
        }
        queued_login job = a->queue[a->head];
        a->head = (a->head + 1) % HTTP_LOGIN_QUEUE;
        a->count--;
        snprintf(a->hashing[index], sizeof a->hashing[index], "%s", job.client);
        pthread_mutex_unlock(&a->pool_lock);
        job.fn(a->thread_db[index], a->throttle, job.ctx);
        pthread_mutex_lock(&a->pool_lock);
        a->hashing[index][0] = '\0';
        pthread_mutex_unlock(&a->pool_lock);
    }
    return NULL;
}

fow_code http_auth_open(const char *db_path, unsigned token_max_days, http_auth **out, fow_error *err) {
    *out = NULL;
    fow_code rc = fow_accounts_init(err);
    if (rc) return rc;
    if (token_max_days > FOW_TOKEN_LIMIT_DAYS)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "token_max_days",
                                "the longest life of an API token is at most %d days", FOW_TOKEN_LIMIT_DAYS);
    http_auth *a = calloc(1, sizeof *a);
    if (!a) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    pthread_mutex_init(&a->lock, NULL);
    pthread_mutex_init(&a->pool_lock, NULL);
    pthread_cond_init(&a->pool_wake, NULL);
    a->token_max_days = token_max_days ? token_max_days : FOW_TOKEN_MAX_DAYS;
    rc = fow_db_open(&a->db, db_path, false, err);
    if (!rc) rc = fow_login_throttle_new(&a->throttle, err);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int n = cores >= 2 ? (int)(cores / 2) : 1;
    if (n > HTTP_LOGIN_THREADS_MAX) n = HTTP_LOGIN_THREADS_MAX;
    for (int i = 0; !rc && i < n; i++) {
        rc = fow_db_open(&a->thread_db[i], db_path, false, err);
        void **arg = rc ? NULL : malloc(2 * sizeof *arg);
        if (!rc && !arg) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        if (rc) break;
        arg[0] = a;
        arg[1] = (void *)(intptr_t)i;
        if (pthread_create(&a->threads[i], NULL, thread_main, arg) != 0) {
            free(arg);
            rc = fow_error_set(err, FOW_EINTERNAL, "cannot start a thread for hashing passwords");
            break;
        }
        a->n_threads++;
    }
    if (rc) {
        http_auth_close(a);
        return rc;
    }
    *out = a;
    return FOW_OK;
}

void http_auth_stop_logins(http_auth *a) {
    if (!a) return;
    pthread_mutex_lock(&a->pool_lock);
    a->stopping = true;
    bool join = !a->joined;
    a->joined = true;
    pthread_cond_broadcast(&a->pool_wake);
    pthread_mutex_unlock(&a->pool_lock);
    if (join)
        for (int i = 0; i < a->n_threads; i++) pthread_join(a->threads[i], NULL);
}

void http_auth_close(http_auth *a) {
    if (!a) return;
    http_auth_stop_logins(a);
    for (int i = 0; i < HTTP_LOGIN_THREADS_MAX; i++)
        if (a->thread_db[i]) fow_db_close(a->thread_db[i]);
    if (a->db) fow_db_close(a->db);
    fow_login_throttle_free(a->throttle);
    pthread_cond_destroy(&a->pool_wake);
    pthread_mutex_destroy(&a->pool_lock);
    pthread_mutex_destroy(&a->lock);
    free(a);
}

long long http_auth_token_max_days(const http_auth *a) { return a->token_max_days; }

fow_code http_auth_login_throttled(http_auth *a, const char *client, const char *name, long long now,
                                   fow_session *out, fow_auth_status *status, fow_error *err) {
    return fow_accounts_login_throttled(a->throttle, client, name, now, out, status, err);
}

/* Sign-ins of client waiting or being hashed; pool_lock held. */
static int client_logins(const http_auth *a, const char *client) {
    int n = 0;
    for (size_t i = 0; i < a->count; i++)
        if (strcmp(a->queue[(a->head + i) % HTTP_LOGIN_QUEUE].client, client) == 0) n++;
    for (int i = 0; i < a->n_threads; i++)
        if (strcmp(a->hashing[i], client) == 0) n++;
    return n;
}

/* What submitting for client would give now; pool_lock held. */
static http_login_queued room_for(const http_auth *a, const char *client) {
    if (a->stopping || a->n_threads == 0) return HTTP_LOGIN_STOPPED;
    if (a->count >= HTTP_LOGIN_QUEUE) return HTTP_LOGIN_BUSY;
    if (client_logins(a, client) >= HTTP_LOGIN_PER_CLIENT) return HTTP_LOGIN_CLIENT_BUSY;
    return HTTP_LOGIN_QUEUED;
}

http_login_queued http_auth_login_room(http_auth *a, const char *client) {
    pthread_mutex_lock(&a->pool_lock);
    http_login_queued room = room_for(a, client);
    pthread_mutex_unlock(&a->pool_lock);
    return room;
}

http_login_queued http_auth_submit_login(http_auth *a, const char *client, http_login_job fn, void *ctx) {
    pthread_mutex_lock(&a->pool_lock);
    http_login_queued q = room_for(a, client);
    if (q == HTTP_LOGIN_QUEUED) {
        queued_login *slot = &a->queue[(a->head + a->count) % HTTP_LOGIN_QUEUE];
        slot->fn = fn;
        slot->ctx = ctx;
        snprintf(slot->client, sizeof slot->client, "%s", client);
        a->count++;
        pthread_cond_signal(&a->pool_wake);
    }
    pthread_mutex_unlock(&a->pool_lock);
    return q;
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
    snprintf(who->organisation, sizeof who->organisation, "%s", u->organisation);
    who->provider_id = u->provider_id;
    snprintf(who->person_id, sizeof who->person_id, "%s", u->person_id);
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
            else if (status == FOW_AUTH_REVOKED) http_error(res, 401, "Authorization", "this API token was revoked");
            else if (status == FOW_AUTH_EXPIRED) http_error(res, 401, "Authorization", "%s", err.message);
            else http_error(res, 401, "Authorization", "unknown API token");
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
    if (route->access == HTTP_PERMISSION && !fow_role_allows((fow_role)req->who.role, (fow_permission)route->permission) &&
        !(route->also_permitted && fow_role_allows((fow_role)req->who.role, (fow_permission)route->also_permission))) {
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
