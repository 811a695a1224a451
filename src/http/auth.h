/* auth.h — who is asking, and may they: sessions (cookie fow_session,
 * HttpOnly, SameSite=Strict), API tokens (Authorization: Bearer fow_…),
 * roles, the CSRF token that every state-changing request of a browser
 * session must carry in the X-CSRF-Token header, and the threads that hash
 * passwords for sign-ins. Internal to src/http.
 *
 * Signing in costs a password hash (argon2id, ~0.1 s of one core, 64 MiB).
 * It never runs on a worker thread of the server nor under the shared lock
 * of the accounts connection: the login handler suspends its connection
 * (http_defer) and queues the sign-in for one of a few hashing threads,
 * each with its own database connection. The queue is bounded
 * (HTTP_LOGIN_QUEUE, HTTP_LOGIN_PER_CLIENT from one address); when it is
 * full the caller answers at once with 503 or 429 and Retry-After, so a
 * flood of sign-ins delays only sign-ins. Failed sign-ins are throttled per
 * name and address (fow_login_throttle.h), one throttle for the server. */
#ifndef FOW_HTTP_AUTH_H
#define FOW_HTTP_AUTH_H

#include <stdbool.h>

#include "http/http.h"
#include "accounts/fow_accounts.h"
#include "store/fow_db.h"

#define HTTP_LOGIN_QUEUE 16       /* sign-ins waiting for a hashing thread, at most */
#define HTTP_LOGIN_PER_CLIENT 2   /* of them (waiting or hashing) from one client address */
#define HTTP_LOGIN_THREADS_MAX 4  /* hashing threads: half the cores, 1 to this many */

typedef struct http_auth http_auth;

/* Opens what authentication needs: its own database connection, the
 * sign-in throttle and the hashing threads (each with its connection).
 * token_max_days: the longest life of an API token made through the API
 * (1..FOW_TOKEN_LIMIT_DAYS; 0: FOW_TOKEN_MAX_DAYS). */
fow_code http_auth_open(const char *db_path, unsigned token_max_days, http_auth **out, fow_error *err);

/* Stops taking sign-ins and waits until the queued ones have finished
 * (their answers sent). Later submissions get HTTP_LOGIN_STOPPED. Safe to
 * call twice; NULL is allowed. */
void http_auth_stop_logins(http_auth *auth);

/* Stops the hashing threads (http_auth_stop_logins) and frees everything. */
void http_auth_close(http_auth *auth);

/* The longest life of an API token made through the API, in days. */
long long http_auth_token_max_days(const http_auth *auth);

/* Identifies the caller of req (bearer token, else session cookie) into
 * req->who and checks that route allows them, including the CSRF token of
 * a session on requests that change state. A token acts with its scope
 * (fow_accounts_token_check). Returns true to go on; false after setting
 * res (401 not signed in, expired or revoked, 403 wrong role or CSRF). */
bool http_auth_request(http_auth *auth, http_request *req, const http_route *route, http_response *res);

/* Runs fn(db, ctx) with the auth connection held (one caller at a time).
 * Never for anything slow: every request that checks a session or token
 * waits for this lock. */
fow_code http_auth_with_db(http_auth *auth, fow_code (*fn)(fow_db *db, void *ctx, fow_error *err), void *ctx,
                           fow_error *err);

/* fow_accounts_login_throttled with the server's throttle: FOW_OK when a
 * sign-in as name from client may be queued; else the throttled failure
 * (FOW_EINPUT, *status FOW_AUTH_THROTTLED, out->retry_after). Checked
 * before queueing, so throttled attempts cost no hashing and take no place
 * in the queue. */
fow_code http_auth_login_throttled(http_auth *auth, const char *client, const char *name, long long now,
                                   fow_session *out, fow_auth_status *status, fow_error *err);

/* What became of a sign-in handed to http_auth_submit_login. */
typedef enum http_login_queued {
    HTTP_LOGIN_QUEUED = 0,    /* it will run: fn is called on a hashing thread */
    HTTP_LOGIN_BUSY,          /* HTTP_LOGIN_QUEUE are waiting already: answer 503 */
    HTTP_LOGIN_CLIENT_BUSY,   /* HTTP_LOGIN_PER_CLIENT from this client already: answer 429 */
    HTTP_LOGIN_STOPPED        /* the server is stopping: answer 503 */
} http_login_queued;

/* The job of a sign-in: runs on a hashing thread with that thread's own
 * database connection and the server's throttle; it owns ctx. */
typedef void (*http_login_job)(fow_db *db, fow_login_throttle *throttle, void *ctx);

/* What http_auth_submit_login would answer for client now (a hint taken
 * before suspending the request: the answer of http_auth_submit_login is
 * what counts). */
http_login_queued http_auth_login_room(http_auth *auth, const char *client);

/* Queues fn(…, ctx) for a hashing thread on behalf of client. Unless the
 * answer is HTTP_LOGIN_QUEUED nothing runs and ctx stays the caller's. */
http_login_queued http_auth_submit_login(http_auth *auth, const char *client, http_login_job fn, void *ctx);

#endif
