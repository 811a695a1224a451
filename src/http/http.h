/* http.h — `fow serve`: the HTTP front end of libfow (JSON API under
 * /api/v1, the web app under /). Internal to src/http: the server core
 * (server.c), responses and query parameters (response.c), the shared
 * engine (engine.c), the import jobs (import_jobs.c), and one file of
 * handlers per resource (api_*.c), each exporting its own route table.
 *
 * Threads: libmicrohttpd's pool runs the handlers. Everything a handler
 * reads from the model is read-only and shared; what it writes (a similarity
 * workspace, the response) is its own. The world is reference counted: an
 * import opens a new one and the holder publishes it, and a request keeps the
 * one it started with until it ends, so no reader ever sees half a model.
 */
#ifndef FOW_HTTP_H
#define FOW_HTTP_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/fow_error.h"
#include "base/fow_jw.h"
#include "observatory/fow_observe.h"
#include "observatory/fow_scenario.h"
#include "service/fow_world.h"
#include "service/fow_world_holder.h"
#include "transitions/fow_similarity.h"
#include "taxonomy/fow_model.h"

/* ---- the shared engine ------------------------------------------------- */

/* The moves per worker of the shared move profiles (http_engine_profiles). */
#define HTTP_SHARED_MOVES_PER_WORKER FOW_WORLD_SHARED_MOVES_PER_WORKER

/* The world the server answers from (fow_world.h), as a request sees it:
 * filled from the holder (fow_world_holder.h) when the request starts, with
 * the world's parts and provenance labels at hand for the handlers and the
 * serial of the publication, and released when the request ends. The world
 * is immutable; a swap publishes another one and never changes this. */
typedef struct http_engine {
    fow_world *world; /* one reference, held for the request */
    const fow_model *model;
    const fow_similarity_index *index;
    const fow_risk_estimates *estimates;
    uint64_t generation;           /* the publication's serial (1, 2, ...): part of every ETag */
    const fow_data_version *data_version; /* the database state the world was read at */
    const char *risk_source[2];    /* MCC, Frey & Osborne: "name (version)" or "" */
    const char *attributes_source;
    const char *taxonomy_source;
} http_engine;

/* Fills *out with a reference to the world holder publishes now and
 * returns out, or returns NULL when none is published. */
http_engine *http_engine_acquire(fow_world_holder *holder, http_engine *out);

/* Drops the request's reference. NULL is allowed. */
void http_engine_release(http_engine *engine);

/* Reloads the world from db_path into holder (fow_world_holder_reload:
 * published only when it read the database after the world published now
 * and holds another state). The world published before stays on failure. */
fow_code http_engine_reload(fow_world_holder *holder, const char *db_path, fow_error *err);

/* The world's shared move profiles (fow_world_move_profiles), k =
 * HTTP_SHARED_MOVES_PER_WORKER. *out is owned by the engine's world. */
fow_code http_engine_profiles(http_engine *engine, fow_risk_model model, const fow_move_profiles **out,
                              fow_error *err);

/* A workspace of the engine's world (fow_world_workspace_borrow); NULL
 * when out of memory. Give it back with http_engine_workspace_put. */
fow_similarity_workspace *http_engine_workspace_get(http_engine *engine);
void http_engine_workspace_put(http_engine *engine, fow_similarity_workspace *ws);

/* ---- requests and responses ------------------------------------------ */

struct MHD_Connection;
typedef struct http_auth http_auth;
typedef struct http_import_jobs http_import_jobs;

/* What the server shares with every handler: set up once at start, the
 * same for every request, never changed while the server runs. Handlers
 * reach the server's state only through it (no handler calls the server). */
typedef struct http_services {
    const char *db_path;          /* the database the server was started with */
    fow_world_holder *engines;    /* the world published now, swapped by reloads and imports */
    http_auth *auth;              /* accounts, sessions and tokens (auth.h) */
    http_import_jobs *imports;    /* uploads and import jobs (import_jobs.h) */
} http_services;

/* Who is asking: set by the authentication step before the handler runs. */
typedef struct http_principal {
    bool authenticated;
    bool via_token;         /* an API token, not a browser session */
    int64_t user_id;
    char name[65];
    int role;               /* fow_role */
    char organisation[65];  /* the user's organisation ("" none): the people a counsellor sees */
    long long provider_id;  /* role provider: the training provider it works for (0 none) */
    char person_id[32];     /* role person: their people record ("" none) */
    char csrf[64];          /* the session's CSRF token ("" for API tokens) */
} http_principal;

#define HTTP_MAX_PARAMS 4
#define HTTP_MAX_HEADERS 8

typedef struct http_request {
    const http_services *services;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    const char *params[HTTP_MAX_PARAMS]; /* the {…} parts of the route, decoded */
    int n_params;
    const char *body;  /* NUL-terminated; "" when none */
    size_t body_len;
    const char *upload_path; /* routes that stream their body to a file: its path */
    char client[64];   /* the peer's address */
    const char *lang;  /* ?lang=ro: labels in that language too (label_local); NULL when not asked */
    http_principal who;
    http_engine *engine; /* acquired for the request; may be NULL */
    void *server_state;  /* the server's own record of the request (server.c); handlers leave it alone */
} http_request;

typedef struct http_response {
    int status;
    char *body; /* malloc'd; NULL for none */
    size_t len;
    const char *content_type;
    bool cacheable; /* a GET whose body may get an ETag and a 304 */
    int n_headers;
    char *header_names[HTTP_MAX_HEADERS];
    char *header_values[HTTP_MAX_HEADERS];
} http_response;

typedef void (*http_handler)(http_request *req, http_response *res);

/* What a route needs before its handler runs. */
typedef enum http_access {
    HTTP_PUBLIC = 0,      /* anyone */
    HTTP_SIGNED_IN,       /* any user */
    HTTP_PERMISSION       /* a user whose role allows route.permission */
} http_access;

/* The memory libmicrohttpd gives each connection (its pool: the request
 * line, the headers, the read buffer and the answer's headers). It clears
 * the whole pool before every request of a kept-alive connection, so its
 * size is paid on every request: libmicrohttpd's default is 32 KB (which
 * takes request headers of up to 15 KB); 20 KB still takes 9 KB
 * (tests/e2e/http_hardening_test.py sends 8 KB; 16 KB would refuse that
 * with 431), and bodies of any size stream through it in pieces. */
#define HTTP_CONNECTION_MEMORY ((size_t)20 * 1024)

/* The largest JSON body of a route that takes one (its max_body). */
#define HTTP_JSON_BODY_MAX ((size_t)64 * 1024)

/* One route. Written with designated initializers in the handler file's
 * table; fields left out are 0 / false:
 *   {.method = "GET", .pattern = "/api/v1/skills/{id}", .handler = skill, .access = HTTP_PUBLIC}
 * tests/e2e reads .method and .pattern of every table in src/http. */
typedef struct http_route {
    const char *method;   /* "GET", "POST", "DELETE" */
    const char *pattern;  /* "/api/v1/occupations/{id}/transitions": literal segments and {name} segments */
    http_handler handler;
    http_access access;
    int permission;       /* fow_permission, for HTTP_PERMISSION */
    bool also_permitted;  /* HTTP_PERMISSION: also_permission opens the route too (either of two suffices) */
    int also_permission;  /* fow_permission */
    size_t max_body;      /* bytes; 0: no body accepted */
    bool json_body;       /* the body must be application/json */
    bool body_to_file;    /* the body is streamed to a temporary file (uploads) */
    bool uncached;        /* a public GET never answered from the response cache (health checks) */
    bool csrf_exempt;     /* a session may call it without the CSRF token (signing in again) */
    bool personal_path;   /* the path names a person: the access log writes the pattern instead */
} http_route;

/* The routes of one handler file: rows[0..n_rows). */
typedef struct http_route_table {
    const http_route *rows;
    size_t n_rows;
} http_route_table;

/* Defines `const http_route_table name` over the static array rows, in
 * the handler file that owns the routes. */
#define HTTP_ROUTE_TABLE(name, rows) const http_route_table name = {(rows), sizeof(rows) / sizeof((rows)[0])}

/* The route table of each handler file. The server concatenates them at
 * start-up (server.c lists these tables, nothing else) and refuses to
 * start when two routes of one method could match the same path. */
extern const http_route_table api_taxonomy_routes;    /* api_taxonomy.c */
extern const http_route_table api_observatory_routes; /* api_observatory.c */
extern const http_route_table api_auth_routes;        /* api_auth.c */
extern const http_route_table api_admin_routes;       /* api_admin.c */
extern const http_route_table api_people_routes;      /* api_people.c */
extern const http_route_table api_training_routes;    /* api_training.c */
extern const http_route_table api_cohorts_routes;     /* api_cohorts.c */
extern const http_route_table api_indicators_routes;  /* api_indicators.c */
extern const http_route_table api_credentials_routes; /* api_credentials.c */
extern const http_route_table api_modules_routes;     /* api_modules.c: modules written by providers, their review */
extern const http_route_table api_plans_routes;       /* api_plans.c */
extern const http_route_table api_calls_routes;       /* api_calls.c: voucher calls, applications, jury, awards */
extern const http_route_table api_vouchers_routes;    /* api_vouchers.c */
extern const http_route_table api_voucher_office_routes; /* api_voucher_office.c: the voucher office (manage_vouchers) */
extern const http_route_table api_voucher_reports_routes; /* api_voucher_reports.c: the voucher office's reports */
extern const http_route_table api_labs_routes;        /* api_labs.c: the CREIC labs' catalogue, access, inductions */
extern const http_route_table api_lab_bookings_routes; /* api_lab_bookings.c: availability, bookings, waiting list, series */
extern const http_route_table api_lab_usage_routes;   /* api_lab_usage.c: the labs' calendar feeds, usage and projects */

/* ---- answers that wait (server.c) ------------------------------------ */

/* A handler whose work would hold its worker thread — and every connection
 * that thread serves — for long (hashing a password) calls http_defer, hands
 * the work to a thread of its own and returns at once; its res is then
 * ignored. That thread fills http_deferred_response(d) as a handler fills
 * res and calls http_deferred_finish(d), which sends it; d is not used
 * after that. Until then the connection is suspended (no worker thread
 * waits for it). http_defer returns NULL when out of memory or called twice
 * for one request: answer at once then. */
typedef struct http_deferred http_deferred;
http_deferred *http_defer(http_request *req);
http_response *http_deferred_response(http_deferred *d);
void http_deferred_finish(http_deferred *d);

/* ---- response helpers (response.c) ------------------------------------ */

/* Sets res to status with the JSON text of value (steals the reference). */
void http_json(http_response *res, int status, json_t *value);

/* As http_json, with reals written to digits significant digits (1..17)
 * instead of 7: for answers whose numbers are large counts (persons). */
void http_json_digits(http_response *res, int status, json_t *value, int digits);

/* The calling thread's JSON writer (compact), reset for a new answer: its
 * buffer is kept from one request to the next, so writing an answer
 * allocates nothing once the buffer is large enough. Freed when the thread
 * ends. NULL when out of memory. */
fow_jw *http_writer(void);

/* Sets res to status with the document written into w, or to a 500 when
 * w is NULL or failed. When w is the calling thread's writer
 * (http_writer), its buffer becomes the body without a copy and the
 * writer gets a spare buffer of the same size (one whose body was sent, or
 * a new one); any other writer's text is copied and w stays as it was. */
void http_json_written(http_response *res, int status, fow_jw *w);

/* Frees a response body (malloc'd) once it is sent, keeping a few of a
 * useful size for the calling thread's writer (http_json_written) instead:
 * the free callback of the bodies the server hands to libmicrohttpd. NULL
 * is allowed. */
void http_body_release(void *body);

/* Sets res to {"error":{"code":…,"message":…,"field":…}}; field
 * may be NULL. */
void http_error(http_response *res, int status, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Replaces each byte of s that does not belong to valid UTF-8 with '?'. */
void http_utf8_sanitize(char *s);

/* The request's body as a JSON object whose fields are all among known
 * (n_known names), or NULL after a 400 naming what is wrong: malformed JSON
 * (line and column), not an object, or an unknown field. */
json_t *http_object_body(const http_request *req, http_response *res, const char *const *known, size_t n_known);

/* Maps a library error: input 400, not found 404, else 500. */
void http_error_from(http_response *res, const fow_error *err);

/* Adds a response header (copied). At most HTTP_MAX_HEADERS. */
void http_header(http_response *res, const char *name, const char *value);

/* The short error code for a status ("bad-request", "not-found", ...). */
const char *http_status_code_name(int status);

/* Query parameters. Each returns 0 and sets *out (the default when the
 * parameter is absent), or -1 after setting res to a 400 that names it. */
const char *http_query(const http_request *req, const char *name);
int http_query_long(const http_request *req, http_response *res, const char *name, long def, long min, long max,
                    long *out);
int http_query_float(const http_request *req, http_response *res, const char *name, float def, float min,
                     float max, float *out);
int http_query_bool(const http_request *req, http_response *res, const char *name, bool def, bool *out);
/* A number as http_query_float reads it (digits and one '.', no sign or
 * exponent), in double precision, from min to max. */
int http_query_double(const http_request *req, http_response *res, const char *name, double def, double min,
                      double max, double *out);
/* One of the NULL-terminated names in allowed (def when absent), or -1
 * after a 400 that names the parameter and lists the allowed values. */
int http_query_choice(const http_request *req, http_response *res, const char *name, const char *const *allowed,
                      const char *def, const char **out);

/* Sets res to 200 with csv (malloc'd text; the response takes it over) as
 * text/csv; charset=utf-8, offered for download as file_name (made of
 * letters, digits, '.', '_' and '-': other bytes become '_'). csv NULL:
 * a 500 "out of memory". */
void http_csv(http_response *res, char *csv, const char *file_name);

/* True when req has an engine with a taxonomy; false after a 503 saying
 * that nothing is imported yet. */
bool http_need_engine(const http_request *req, http_response *res);

/* Pagination: reads limit (default def, 1..max) and offset (0..) */
int http_query_page(const http_request *req, http_response *res, long def, long max, long *limit, long *offset);


#endif
