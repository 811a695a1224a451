/* fow_serve.h — start and stop the fow HTTP server (`fow serve`). */
#ifndef FOW_SERVE_H
#define FOW_SERVE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/fow_error.h"
#include "service/fow_world_holder.h"

typedef struct http_server http_server;

typedef struct fow_serve_options {
    const char *listen;     /* "HOST:PORT", IPv4; port 0 picks a free one. Default 127.0.0.1:8080 */
    const char *db_path;    /* the fow database (must exist) */
    const char *web_root;   /* the web app's folder (index.html, i18n/, ...) */
    unsigned threads;       /* worker threads, 1..256 */
    double rate_limit;      /* requests per second per client address; 0: no limit */
    FILE *access_log;       /* one JSON line per request; NULL: none */
    bool cache;             /* keep public GET answers of the API until the model changes */
    unsigned token_max_days; /* the longest life of an API token made through the API, 1..FOW_TOKEN_LIMIT_DAYS;
                                0: FOW_TOKEN_MAX_DAYS (365) */
    const char *trusted_proxy; /* IPv4 address of a reverse proxy whose X-Forwarded-Proto is believed; NULL: none */
    unsigned client_connections; /* connections at once from one address (more are refused); 0: 64 */
} fow_serve_options;

/* Starts the server: opens the database, loads the engine (an empty
 * database is allowed: the API then answers 503 until an import), binds
 * and starts the worker threads. On success *out owns the server (stop it
 * with fow_serve_stop). Fails with FOW_EINPUT for bad options (field names
 * the option), FOW_EIO when the address cannot be bound or the uploads
 * folder (<db>.uploads, import_jobs.h) cannot be made, FOW_EDB.
 *
 * Limits that keep one client from taking the server from the others:
 * client_connections per address, 1,024 in all; a connection idle for
 * HTTP_IDLE_TIMEOUT seconds is closed, and one whose request's headers have
 * not all arrived HTTP_HEADER_DEADLINE seconds after it opened too. */
fow_code fow_serve_start(const fow_serve_options *options, http_server **out, fow_error *err);

/* The port the server listens on (useful with port 0). */
uint16_t fow_serve_port(const http_server *server);

/* Loads the model again from the database and swaps it in unless it holds
 * the state in service already or a load that read the database later won
 * (fow_world_holder.h); *outcome (may be NULL) says which. Requests in
 * flight finish with the model they started with. */
fow_code fow_serve_reload(http_server *server, fow_world_offer *outcome, fow_error *err);

/* Stops accepting, lets requests in flight finish, frees everything. NULL
 * is allowed. */
void fow_serve_stop(http_server *server);

#endif
