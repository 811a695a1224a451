/* auth.h — who is asking, and may they: sessions (cookie fow_session,
 * HttpOnly, SameSite=Strict), API tokens (Authorization: Bearer fow_…),
 * roles, and the CSRF token that every state-changing request of a browser
 * session must carry in the X-CSRF-Token header. Internal to src/http. */
#ifndef FOW_HTTP_AUTH_H
#define FOW_HTTP_AUTH_H

#include <stdbool.h>

#include "http/http.h"
#include "accounts/fow_accounts.h"
#include "store/fow_db.h"

typedef struct http_auth http_auth;

/* Opens what authentication needs: its own database connection. */
fow_code http_auth_open(const char *db_path, http_auth **out, fow_error *err);
void http_auth_close(http_auth *auth);

/* Identifies the caller of req (bearer token, else session cookie) into
 * req->who and checks that route allows them, including the CSRF token of
 * a session on requests that change state. Returns true to go on; false
 * after setting res (401 not signed in or expired, 403 wrong role or CSRF). */
bool http_auth_request(http_auth *auth, http_request *req, const http_route *route, http_response *res);

/* Runs fn(db, ctx) with the auth connection held (one caller at a time). */
fow_code http_auth_with_db(http_auth *auth, fow_code (*fn)(fow_db *db, void *ctx, fow_error *err), void *ctx,
                           fow_error *err);

#endif
