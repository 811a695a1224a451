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

/* The server's auth object, for the auth handlers. */
http_auth *http_server_auth(http_server *server);

/* ---- handlers (api_auth.c, api_admin.c) ----------------------------------- */

void api_login(http_request *req, http_response *res);
void api_logout(http_request *req, http_response *res);
void api_me(http_request *req, http_response *res);
void api_users_list(http_request *req, http_response *res);
void api_users_add(http_request *req, http_response *res);
void api_users_remove(http_request *req, http_response *res);
void api_token_create(http_request *req, http_response *res);
void api_upload(http_request *req, http_response *res);
void api_import_start(http_request *req, http_response *res);
void api_import_status(http_request *req, http_response *res);
void api_imports_list(http_request *req, http_response *res);

/* The uploads and import jobs of a server (api_admin.c). */
typedef struct http_imports http_imports;

/* Makes the registry (with its own folder for uploads). NULL when out of
 * memory or when no folder can be made. */
http_imports *http_imports_new(void);

/* Waits for a running import, removes the uploads, frees. NULL allowed. */
void http_imports_free(http_imports *imports);

/* The server's registry. */
http_imports *http_server_imports(http_server *server);

#define HTTP_UPLOAD_MAX ((size_t)512 * 1024 * 1024)

/* The routes of the auth and admin handlers, spliced into the route table.
 * The import routes are open to every role that may import something
 * (FOW_PERM_IMPORT_EMPLOYMENT: admin and analyst); api_import_start lets
 * only FOW_PERM_IMPORT start other kinds than employment, and a user
 * without FOW_PERM_IMPORT sees only their own jobs. */
#define HTTP_AUTH_ROUTES                                                                                       \
    {"POST", "/api/v1/auth/login", api_login, HTTP_PUBLIC, 0, 4096, true, false},                              \
    {"POST", "/api/v1/auth/logout", api_logout, HTTP_SIGNED_IN, 0, 4096, false, false},                        \
    {"GET", "/api/v1/auth/me", api_me, HTTP_SIGNED_IN, 0, 0, false, false},                                    \
    {"POST", "/api/v1/auth/tokens", api_token_create, HTTP_SIGNED_IN, 0, 4096, true, false},                   \
    {"GET", "/api/v1/users", api_users_list, HTTP_PERMISSION, FOW_PERM_MANAGE_USERS, 0, false, false},         \
    {"POST", "/api/v1/users", api_users_add, HTTP_PERMISSION, FOW_PERM_MANAGE_USERS, 4096, true, false},       \
    {"DELETE", "/api/v1/users/{name}", api_users_remove, HTTP_PERMISSION, FOW_PERM_MANAGE_USERS, 0, false,     \
     false},                                                                                                   \
    {"POST", "/api/v1/imports/files", api_upload, HTTP_PERMISSION, FOW_PERM_IMPORT_EMPLOYMENT,                 \
     HTTP_UPLOAD_MAX, false, true},                                                                            \
    {"POST", "/api/v1/imports", api_import_start, HTTP_PERMISSION, FOW_PERM_IMPORT_EMPLOYMENT,                 \
     4096, true, false},                                                                                       \
    {"GET", "/api/v1/imports", api_imports_list, HTTP_PERMISSION, FOW_PERM_IMPORT_EMPLOYMENT,                  \
     0, false, false},                                                                                         \
    {"GET", "/api/v1/imports/{job}", api_import_status, HTTP_PERMISSION, FOW_PERM_IMPORT_EMPLOYMENT,           \
     0, false, false},

#endif
