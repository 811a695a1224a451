/* server.c — the libmicrohttpd daemon: routing, request bodies, limits,
 * authentication hooks, ETags, gzip, static files and the access log. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "base/fow_strmap.h"
#include "http/auth.h"
#include "http/fow_serve.h"
#include "http/http.h"
#include "http/import_jobs.h"
#include "http/old_uploads.h"

/* ---- the route tables ---------------------------------------------------- */

/* The handler files whose routes the server serves: each owns its table
 * (http.h). A new handler file adds its table here; a new route of an
 * existing file changes that file only. */
static const http_route_table *const route_tables[] = {
    &api_taxonomy_routes,
    &api_observatory_routes,
    &api_auth_routes,
    &api_admin_routes,
    &api_people_routes,
    &api_training_routes,
    &api_cohorts_routes,
    &api_indicators_routes,
    &api_credentials_routes,
    &api_modules_routes,
    &api_plans_routes,
    &api_calls_routes,
    &api_vouchers_routes,
    &api_voucher_office_routes,
    &api_labs_routes,
    &api_voucher_reports_routes,
    &api_lab_bookings_routes,
    &api_lab_usage_routes,
};

/* ---- the server ---------------------------------------------------------- */

typedef struct http_cache http_cache;

/* A connection closes when idle this long (libmicrohttpd's timeout) ... */
#define HTTP_IDLE_TIMEOUT 30
/* ... or when the headers of its next request have not all arrived this
 * long after it opened or its last request ended, however steadily they
 * trickle in (libmicrohttpd 0.9 has no such limit: the watch below). */
#define HTTP_HEADER_DEADLINE 15
#define HTTP_CONNECTIONS_MAX 1024

/* One open connection, watched for its header deadline. */
typedef struct conn_watch {
    int fd;
    /* waiting for the headers of a request until then (ms of the monotonic
     * clock), or 0: set by the connection's thread without the watcher's
     * lock, which guards only the list */
    _Atomic int64_t waiting_until;
    struct conn_watch *prev, *next; /* under conn_watcher.lock */
} conn_watch;

/* The open connections and the thread that closes those past their deadline. */
typedef struct conn_watcher {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    conn_watch *head;
    bool stop;
    bool running;
    pthread_t thread;
} conn_watcher;

#define RATE_SLOTS 1024

typedef struct rate_slot {
    uint64_t key;
    double tokens;
    double last;
} rate_slot;

struct http_server {
    struct MHD_Daemon *daemon;
    fow_world_holder *holder; /* the world published now */
    char *db_path;
    char *web_root;
    FILE *log;
    pthread_mutex_t log_lock;
    double rate_limit;
    pthread_mutex_t rate_lock;
    rate_slot rate[RATE_SLOTS];
    uint16_t port;
    struct in_addr trusted_proxy; /* the proxy whose X-Forwarded-Proto is believed */
    bool has_trusted_proxy;
    http_auth *auth;
    http_import_jobs *imports;
    http_services services; /* what every request's handler gets (http.h) */
    http_route *routes;     /* every table of route_tables, one after the other */
    size_t n_routes;
    atomic_int in_flight; /* requests between their first call and their completion */
    http_cache *cache;
    conn_watcher watcher;
};

/* An answer that a handler left to another thread (http_defer). */
struct http_deferred {
    struct MHD_Connection *conn;
    http_response res;
};

/* What one request collects while its body arrives. */
typedef struct request_state {
    const http_route *route;
    int early_status;    /* 404 / 405 / 413 / 415 decided before the body */
    char *body;
    size_t len, cap;
    bool too_large;
    http_upload upload;          /* routes whose body goes to a file */
    http_upload_outcome upload_failed; /* why the body could not be kept (OK: it could) */
    http_principal who;          /* who is asking: checked before any body is read */
    bool secure;                 /* over HTTPS (said by the trusted proxy) */
    double started;
    int status;
    size_t bytes;
    char client[64];             /* the peer's address (client_address), once per request */
    char user[65];
    char method[16];
    char path[256];
    char params[HTTP_MAX_PARAMS][256];
    int n_params;
    http_deferred *deferred; /* the handler's answer comes later (http_defer) */
    /* the world the handler answered from, held until the answer is sent
     * (on_completed): dropping the last reference to a replaced world frees
     * it and gives its memory back to the system (malloc_trim walks every
     * arena), which must not delay an answer */
    http_engine engine;
    bool has_engine;
} request_state;

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The monotonic clock in milliseconds (never 0 in practice: the clock
 * counts from boot). */
static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the header deadline ------------------------------------------------------ */

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code) {
    conn_watcher *w = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        conn_watch *c = info ? calloc(1, sizeof *c) : NULL;
        *socket_context = c;
        if (!c) return;
        c->fd = info->connect_fd;
        atomic_init(&c->waiting_until, now_ms() + HTTP_HEADER_DEADLINE * 1000);
        pthread_mutex_lock(&w->lock);
        c->next = w->head;
        if (w->head) w->head->prev = c;
        w->head = c;
        pthread_mutex_unlock(&w->lock);
        return;
    }
    /* closed: libmicrohttpd closes the socket after this returns, so the
     * watcher never touches a descriptor that is no longer this connection's */
    conn_watch *c = *socket_context;
    if (!c) return;
    pthread_mutex_lock(&w->lock);
    if (c->prev) c->prev->next = c->next;
    else w->head = c->next;
    if (c->next) c->next->prev = c->prev;
    pthread_mutex_unlock(&w->lock);
    free(c);
    *socket_context = NULL;
}

/* Marks the connection of conn as waiting for a request's headers (from
 * now on, when waiting) or as having received them. */
static void watch_headers(conn_watcher *w, struct MHD_Connection *conn, bool waiting) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    conn_watch *c = info ? info->socket_context : NULL;
    (void)w;
    if (!c) return;
    atomic_store_explicit(&c->waiting_until, waiting ? now_ms() + HTTP_HEADER_DEADLINE * 1000 : 0,
                          memory_order_relaxed);
}

/* Every half second: shuts the sockets of connections past their header
 * deadline down, so that libmicrohttpd sees them end and closes them. */
static void *watch_connections(void *arg) {
    conn_watcher *w = arg;
    pthread_mutex_lock(&w->lock);
    while (!w->stop) {
        int64_t t = now_ms();
        for (conn_watch *c = w->head; c; c = c->next) {
            int64_t until = atomic_load_explicit(&c->waiting_until, memory_order_relaxed);
            /* only when still waiting for the same headers (not reset by their arrival meanwhile) */
            if (until && t > until &&
                atomic_compare_exchange_strong_explicit(&c->waiting_until, &until, 0, memory_order_relaxed,
                                                        memory_order_relaxed))
                shutdown(c->fd, SHUT_RDWR);
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 500000000L;
        if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&w->wake, &w->lock, &until);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* ---- routing -------------------------------------------------------------- */

/* 1 when path matches pattern; the {…} segments go to params (decoded by
 * libmicrohttpd already, as the path is). */
static int route_matches(const char *pattern, const char *path, request_state *st) {
    int n = 0;
    while (*pattern && *path) {
        if (*pattern == '{') {
            const char *close = strchr(pattern, '}');
            const char *slash = strchr(path, '/');
            size_t len = slash ? (size_t)(slash - path) : strlen(path);
            if (len == 0 || len >= sizeof st->params[0] || n >= HTTP_MAX_PARAMS) return 0;
            memcpy(st->params[n], path, len);
            st->params[n][len] = '\0';
            n++;
            pattern = close + 1;
            path += len;
            continue;
        }
        if (*pattern != *path) return 0;
        pattern++, path++;
    }
    if (*pattern || *path) return 0;
    st->n_params = n;
    return 1;
}

static void route_request(const http_server *s, const char *method, const char *path, request_state *st) {
    bool path_known = false;
    for (size_t i = 0; i < s->n_routes; i++) {
        if (!route_matches(s->routes[i].pattern, path, st)) continue;
        path_known = true;
        if (strcmp(s->routes[i].method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(s->routes[i].method, "GET") == 0)) {
            st->route = &s->routes[i];
            return;
        }
    }
    st->early_status = path_known ? 405 : 404;
}

static void allowed_methods(const http_server *s, const char *path, char *buf, size_t n) {
    request_state scratch;
    buf[0] = '\0';
    for (size_t i = 0; i < s->n_routes; i++) {
        if (!route_matches(s->routes[i].pattern, path, &scratch)) continue;
        if (buf[0]) strncat(buf, ", ", n - strlen(buf) - 1);
        strncat(buf, s->routes[i].method, n - strlen(buf) - 1);
    }
}

/* The end of the segment of a pattern that starts at p ('/' or '\0'). */
static const char *segment_end(const char *p) {
    const char *slash = strchr(p, '/');
    return slash ? slash : p + strlen(p);
}

/* Whether a pattern is well formed: "/" then segments, each literal text
 * or one {name}, at most HTTP_MAX_PARAMS of those. */
static bool pattern_valid(const char *pattern) {
    if (pattern[0] != '/') return false;
    int params = 0;
    for (const char *p = pattern + 1;; p++) {
        const char *end = segment_end(p);
        if (end == p) return false; /* an empty segment */
        bool open = *p == '{', closed = end[-1] == '}';
        if (open != closed || (open && end - p < 3)) return false;
        if (memchr(p + open, '{', (size_t)(end - p - open - closed)) ||
            memchr(p + open, '}', (size_t)(end - p - open - closed)))
            return false;
        params += open;
        if (!*end) break;
        p = end;
    }
    return params <= HTTP_MAX_PARAMS;
}

/* Whether some path matches both patterns (the same number of segments,
 * each pair equal or one of them a {name}). */
static bool patterns_overlap(const char *a, const char *b) {
    for (;;) {
        a++, b++; /* past the '/' */
        const char *ea = segment_end(a), *eb = segment_end(b);
        bool same = ea - a == eb - b && memcmp(a, b, (size_t)(ea - a)) == 0;
        if (!same && *a != '{' && *b != '{') return false;
        if (!*ea || !*eb) return !*ea && !*eb;
        a = ea, b = eb;
    }
}

/* Concatenates route_tables into s->routes, refusing (FOW_EINTERNAL, a
 * programming error) a malformed pattern, an unknown method and two routes
 * of one method that could match the same path: which of them answered
 * would depend on the order of the tables. */
static fow_code routes_build(http_server *s, fow_error *err) {
    size_t n = 0;
    for (size_t t = 0; t < sizeof route_tables / sizeof *route_tables; t++) n += route_tables[t]->n_rows;
    s->routes = calloc(n ? n : 1, sizeof *s->routes);
    if (!s->routes) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    for (size_t t = 0; t < sizeof route_tables / sizeof *route_tables; t++)
        for (size_t i = 0; i < route_tables[t]->n_rows; i++) {
            const http_route *r = &route_tables[t]->rows[i];
            if (!r->method || !r->pattern || !r->handler || !pattern_valid(r->pattern) ||
                (strcmp(r->method, "GET") && strcmp(r->method, "POST") && strcmp(r->method, "DELETE") &&
                 strcmp(r->method, "PUT") && strcmp(r->method, "PATCH")))
                return fow_error_set(err, FOW_EINTERNAL, "route %s %s is malformed", r->method ? r->method : "?",
                                     r->pattern ? r->pattern : "?");
            for (size_t k = 0; k < s->n_routes; k++)
                if (strcmp(s->routes[k].method, r->method) == 0 && patterns_overlap(s->routes[k].pattern, r->pattern))
                    return fow_error_set(err, FOW_EINTERNAL, "routes %s %s and %s %s match the same paths", r->method,
                                         s->routes[k].pattern, r->method, r->pattern);
            s->routes[s->n_routes++] = *r;
        }
    return FOW_OK;
}

/* ---- rate limiting: a token bucket per client address -------------------- */

static bool rate_allows(http_server *s, const char *client) {
    if (s->rate_limit <= 0) return true;
    uint64_t key = fow_hash_bytes(client, strlen(client));
    double t = now_seconds(), burst = s->rate_limit * 2.0;
    pthread_mutex_lock(&s->rate_lock);
    rate_slot *slot = &s->rate[key % RATE_SLOTS];
    if (slot->key != key) *slot = (rate_slot){key, burst, t};
    slot->tokens += (t - slot->last) * s->rate_limit;
    if (slot->tokens > burst) slot->tokens = burst;
    slot->last = t;
    bool ok = slot->tokens >= 1.0;
    if (ok) slot->tokens -= 1.0;
    pthread_mutex_unlock(&s->rate_lock);
    return ok;
}

/* ---- sending ---------------------------------------------------------------- */

static bool accepts_gzip(struct MHD_Connection *conn) {
    const char *ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    return ae && strstr(ae, "gzip") != NULL;
}

/* gzip of in[0..n) into a malloc'd buffer; NULL on failure. */
static char *gzip_body(const char *in, size_t n, size_t *out_len) {
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
    size_t cap = deflateBound(&z, (uLong)n);
    char *out = malloc(cap);
    if (!out) {
        deflateEnd(&z);
        return NULL;
    }
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *out_len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

static uint64_t fnv64(const char *p, size_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

static uint64_t mix64(uint64_t h) {
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 33);
}

/* One step of a lane of body_digest: the next word mixed in. */
static inline uint64_t digest_lane(uint64_t lane, const char *p) {
    uint64_t w;
    memcpy(&w, p, 8);
    lane = (lane ^ w) * 0x9E3779B97F4A7C15ULL;
    return lane ^ (lane >> 29);
}

/* A 64-bit digest of a body for its ETag: four lanes of 8 bytes at a time
 * (a byte at a time, as FNV goes, costs several microseconds on an answer of a
 * few kilobytes). Not cryptographic: an ETag only has to change with the
 * body. */
static uint64_t body_digest(const char *p, size_t n) {
    uint64_t lane[4] = {0x9E3779B97F4A7C15ULL ^ n, 0xC2B2AE3D27D4EB4FULL, 0x165667B19E3779F9ULL,
                        0x27D4EB2F165667C5ULL};
    uint64_t a = lane[0], b = lane[1], c = lane[2], d = lane[3];
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        a = digest_lane(a, p + i);
        b = digest_lane(b, p + i + 8);
        c = digest_lane(c, p + i + 16);
        d = digest_lane(d, p + i + 24);
#if defined(__GNUC__) || defined(__clang__)
        /* the four lanes stay in general registers: gcc otherwise makes
         * vectors of them and emulates the 64-bit products with three
         * 32-bit ones each, which took twice the time on a 9 KB answer */
        __asm__("" : "+r"(a), "+r"(b), "+r"(c), "+r"(d));
#endif
    }
    lane[0] = a, lane[1] = b, lane[2] = c, lane[3] = d;
    for (; i + 8 <= n; i += 8) { /* the last whole words, one after the other */
        uint64_t w;
        memcpy(&w, p + i, 8);
        lane[0] = mix64(lane[0] ^ w);
    }
    uint64_t tail = 0;
    for (size_t k = 0; i < n; i++, k++) tail |= (uint64_t)(unsigned char)p[i] << (8 * k);
    return mix64(lane[0] ^ mix64(lane[1] ^ mix64(lane[2] ^ mix64(lane[3] ^ tail))));
}

static void response_free(http_response *res) {
    free(res->body);
    for (int i = 0; i < res->n_headers; i++) free(res->header_names[i]), free(res->header_values[i]);
    memset(res, 0, sizeof *res);
}

/* What goes on the wire for a response body: after the ETag and gzip. */
typedef struct final_body {
    const char *data;
    size_t len;
    char *owned;      /* the malloc'd buffer data is, which the response may take over (queue), or NULL */
    char etag[52];    /* "" when not cacheable */
    bool gzip;
} final_body;

/* Writes "g<generation>-<digest in 16 hex digits>[-gz]" in quotes into
 * out (at least 44 bytes): the ETag. */
static void format_etag(char *out, uint64_t generation, uint64_t digest, bool gzip) {
    static const char hex[] = "0123456789abcdef";
    char digits[20];
    int n = 0;
    do digits[n++] = (char)('0' + generation % 10), generation /= 10;
    while (generation);
    char *p = out;
    *p++ = '"', *p++ = 'g';
    while (n) *p++ = digits[--n];
    *p++ = '-';
    for (int shift = 60; shift >= 0; shift -= 4) *p++ = hex[(digest >> shift) & 15];
    if (gzip) *p++ = '-', *p++ = 'g', *p++ = 'z';
    *p++ = '"';
    *p = '\0';
}

/* Fills *out for res: its body, gzipped when the client takes it, and its
 * ETag. Takes res->body over (out->owned; res->body becomes NULL) unless
 * it was gzipped: the caller frees out->owned after queue. */
static void finalize_body(struct MHD_Connection *conn, http_response *res, uint64_t generation, final_body *out) {
    memset(out, 0, sizeof *out);
    out->data = res->body ? res->body : "";
    out->len = res->body ? res->len : 0;
    int status = res->status ? res->status : 200;
    uint64_t hash = res->cacheable && status == 200 ? body_digest(out->data, out->len) : 0;
    if (out->len >= 860 && accepts_gzip(conn)) {
        size_t zlen;
        char *z = gzip_body(out->data, out->len, &zlen);
        if (z) out->owned = z, out->data = z, out->len = zlen, out->gzip = true;
    }
    if (!out->gzip && res->body) {
        out->owned = res->body;
        res->body = NULL;
    }
    if (res->cacheable && status == 200) format_etag(out->etag, generation, hash, out->gzip);
}

/* The policy of every answer: scripts, styles, images and connections from
 * fow itself only (no inline script: web/ has none), no plugins, no <base>,
 * forms only to fow, and no page of fow inside a frame. Style attributes
 * (which run nothing) are allowed: the chart library positions its
 * tooltips with them. */
#define CONTENT_SECURITY_POLICY                                                                                   \
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "                    \
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "               \
    "form-action 'self'; frame-ancestors 'none'"

static void add_security_headers(struct MHD_Response *r) {
    MHD_add_response_header(r, "Content-Security-Policy", CONTENT_SECURITY_POLICY);
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
}

/* Queues status with body and the headers of fow's responses. The body's
 * own buffer (body->owned, when data is all of it) is handed to
 * libmicrohttpd, which frees it once sent (http_body_release), and
 * body->owned becomes NULL; other bodies are copied. */
static enum MHD_Result queue(struct MHD_Connection *conn, request_state *st, int status, final_body *body,
                             const char *content_type, const http_response *extra) {
    const char *data = body->data;
    size_t len = body->len;
    if (body->etag[0]) {
        const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
        if (inm && strstr(inm, body->etag)) status = 304, data = "", len = 0;
    }
    /* libmicrohttpd sends no body for HEAD but keeps the length */
    struct MHD_Response *r;
    if (len > 0 && body->owned && data == body->owned) {
        r = MHD_create_response_from_buffer_with_free_callback(len, body->owned, http_body_release);
        if (r) body->owned = NULL;
    } else {
        r = MHD_create_response_from_buffer(len, (void *)data, len ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
    }
    if (!r) return MHD_NO;
    if (status != 304 && content_type) MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    if (body->gzip && status != 304) MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    if (body->etag[0]) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, body->etag);
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    } else {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    }
    add_security_headers(r);
    for (int i = 0; extra && i < extra->n_headers; i++) {
        const char *name = extra->header_names[i], *value = extra->header_values[i];
        char secure_cookie[1024];
        /* over HTTPS a cookie is sent back over HTTPS only */
        if (st->secure && strcasecmp(name, MHD_HTTP_HEADER_SET_COOKIE) == 0 && !strstr(value, "; Secure") &&
            (size_t)snprintf(secure_cookie, sizeof secure_cookie, "%s; Secure", value) < sizeof secure_cookie)
            value = secure_cookie;
        MHD_add_response_header(r, name, value);
    }
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)status, r);
    MHD_destroy_response(r);
    st->status = status;
    st->bytes = len;
    return ok;
}

/* ---- the response cache ------------------------------------------------------ */

/* Public GET answers of the API depend only on the model (its generation)
 * and the URL, so they are kept: direct-mapped by a hash of the URL and the
 * encoding, each slot behind one of a few locks. A new generation makes
 * every old entry a miss. */
#define CACHE_SLOTS 4096
#define CACHE_LOCKS 64
#define CACHE_MAX_BODY (256 * 1024)

typedef struct cache_entry {
    uint64_t hash;
    uint64_t generation;
    char *key;
    char *body;
    size_t len;
    char etag[52];
    const char *content_type;
    bool gzip;
    http_response headers; /* the answer's own headers (only n_headers and the header arrays are used) */
} cache_entry;

struct http_cache {
    cache_entry slots[CACHE_SLOTS];
    pthread_mutex_t locks[CACHE_LOCKS];
};

static http_cache *cache_new(void) {
    http_cache *c = calloc(1, sizeof *c);
    if (c)
        for (int i = 0; i < CACHE_LOCKS; i++) pthread_mutex_init(&c->locks[i], NULL);
    return c;
}

static void cache_headers_free(http_response *h) {
    for (int i = 0; i < h->n_headers; i++) free(h->header_names[i]), free(h->header_values[i]);
    h->n_headers = 0;
}

static void cache_free(http_cache *c) {
    if (!c) return;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        free(c->slots[i].key), free(c->slots[i].body);
        cache_headers_free(&c->slots[i].headers);
    }
    for (int i = 0; i < CACHE_LOCKS; i++) pthread_mutex_destroy(&c->locks[i]);
    free(c);
}

typedef struct key_buf {
    char text[2048];
    size_t len;
    bool overflow;
} key_buf;

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
    (void)kind;
    key_buf *k = cls;
    int w = snprintf(k->text + k->len, sizeof k->text - k->len, "&%s=%s", key, value ? value : "");
    if (w < 0 || (size_t)w >= sizeof k->text - k->len) k->overflow = true;
    else k->len += (size_t)w;
    return MHD_YES;
}

/* The cache key of a request: its path, its arguments in order, and whether
 * the client takes gzip. false when too long to cache. */
static bool cache_key(struct MHD_Connection *conn, const char *url, key_buf *k) {
    k->len = 0;
    k->overflow = false;
    int w = snprintf(k->text, sizeof k->text, "%c%s?", accepts_gzip(conn) ? 'z' : '-', url);
    if (w < 0 || (size_t)w >= sizeof k->text) return false;
    k->len = (size_t)w;
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_arg, k);
    return !k->overflow;
}

/* Sends the cached answer for key at generation, if there is one. */
static bool cache_send(http_cache *c, struct MHD_Connection *conn, request_state *st, const key_buf *k,
                       uint64_t generation, enum MHD_Result *result) {
    uint64_t h = fnv64(k->text, k->len);
    size_t slot = h % CACHE_SLOTS;
    pthread_mutex_t *lock = &c->locks[slot % CACHE_LOCKS];
    pthread_mutex_lock(lock);
    cache_entry *e = &c->slots[slot];
    bool hit = e->key && e->hash == h && e->generation == generation && strcmp(e->key, k->text) == 0;
    if (hit) {
        final_body body = {e->body, e->len, NULL, "", e->gzip}; /* copied: the entry stays the cache's */
        memcpy(body.etag, e->etag, sizeof body.etag);
        *result = queue(conn, st, 200, &body, e->content_type, &e->headers);
    }
    pthread_mutex_unlock(lock);
    return hit;
}

static void cache_store(http_cache *c, const key_buf *k, uint64_t generation, const final_body *body,
                        const char *content_type, const http_response *res) {
    if (body->len > CACHE_MAX_BODY) return;
    uint64_t h = fnv64(k->text, k->len);
    size_t slot = h % CACHE_SLOTS;
    char *key = malloc(k->len + 1), *data = malloc(body->len + 1);
    http_response headers = {0};
    bool ok = key && data;
    for (int i = 0; ok && i < res->n_headers; i++) {
        headers.header_names[i] = strdup(res->header_names[i]);
        headers.header_values[i] = strdup(res->header_values[i]);
        headers.n_headers = i + 1;
        ok = headers.header_names[i] && headers.header_values[i];
    }
    if (!ok) {
        free(key), free(data);
        cache_headers_free(&headers);
        return;
    }
    memcpy(key, k->text, k->len + 1);
    memcpy(data, body->data, body->len);
    pthread_mutex_t *lock = &c->locks[slot % CACHE_LOCKS];
    pthread_mutex_lock(lock);
    cache_entry *e = &c->slots[slot];
    free(e->key), free(e->body);
    cache_headers_free(&e->headers);
    *e = (cache_entry){h, generation, key, data, body->len, "", content_type, body->gzip, headers};
    memcpy(e->etag, body->etag, sizeof e->etag);
    pthread_mutex_unlock(lock);
}

static enum MHD_Result send_response(struct MHD_Connection *conn, request_state *st, http_response *res,
                                     uint64_t generation, http_cache *cache, const key_buf *key) {
    final_body body;
    finalize_body(conn, res, generation, &body);
    int status = res->status ? res->status : 200;
    if (cache && key && body.etag[0]) cache_store(cache, key, generation, &body, res->content_type, res);
    enum MHD_Result ok = queue(conn, st, status, &body, res->content_type, res);
    free(body.owned);
    return ok;
}

/* ---- static files ---------------------------------------------------------- */

static const char *content_type_of(const char *path) {
    const char *dot = strrchr(path, '.');
    if (!dot) return "application/octet-stream";
    static const char *const types[][2] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
        {".ico", "image/x-icon"}, {".txt", "text/plain; charset=utf-8"}, {".woff2", "font/woff2"},
        {".webmanifest", "application/manifest+json"}, {".yaml", "application/yaml"}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i][0]) == 0) return types[i][1];
    return "application/octet-stream";
}

/* Only plain names under the web root: letters, digits and . _ - /, no
 * "..", no hidden files. */
static bool safe_static_path(const char *path) {
    if (path[0] != '/' || strlen(path) > 200) return false;
    for (const char *p = path; *p; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == '-' || c == '/';
        if (!ok) return false;
        if (c == '/' && (p[1] == '.' || p[1] == '/')) return false;
    }
    return true;
}

/* js/pages.json: {"pages": [the names of the modules in js/pages/, sorted]},
 * so that the web app finds its pages without a list of them (web/js/main.js). */
static void page_list(const http_server *s, http_response *res) {
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/js/pages", s->web_root);
    DIR *d = opendir(dir);
    json_t *names = json_array();
    struct dirent *e;
    while (d && names && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        bool plain = n > 3 && strcmp(e->d_name + n - 3, ".js") == 0 &&
                     strspn(e->d_name, "abcdefghijklmnopqrstuvwxyz0123456789-_") == n - 3;
        if (plain) json_array_append_new(names, json_stringn(e->d_name, n - 3));
    }
    if (d) closedir(d);
    if (!d || !names) {
        json_decref(names);
        http_error(res, 404, "path", "no such page");
        return;
    }
    /* readdir's order is the file system's: sort by name */
    size_t count = json_array_size(names);
    for (size_t i = 1; i < count; i++)
        for (size_t k = i; k > 0 && strcmp(json_string_value(json_array_get(names, k - 1)),
                                           json_string_value(json_array_get(names, k))) > 0; k--) {
            json_t *a = json_incref(json_array_get(names, k - 1));
            json_array_set(names, k - 1, json_array_get(names, k));
            json_array_set_new(names, k, a);
        }
    http_json(res, 200, json_pack("{s:o}", "pages", names));
    res->cacheable = true;
}

static void serve_static(http_server *s, const char *path, http_response *res) {
    if (strcmp(path, "/") == 0) path = "/index.html";
    if (strcmp(path, "/js/pages.json") == 0) {
        page_list(s, res);
        return;
    }
    /* of the installed packages only the chart library's build and the QR code reader are served */
    bool package = strncmp(path, "/node_modules/", 14) == 0 || strncmp(path, "/package", 8) == 0;
    if (!safe_static_path(path) || (package && strncmp(path, "/node_modules/echarts/dist/", 27) != 0 &&
                                     strncmp(path, "/node_modules/jsqr/dist/", 24) != 0)) {
        http_error(res, 404, "path", "no such page");
        return;
    }
    char full[1024];
    snprintf(full, sizeof full, "%s%s", s->web_root, path);
    int fd = open(full, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > 16 * 1024 * 1024) {
        if (fd >= 0) close(fd);
        http_error(res, 404, "path", "no such page");
        return;
    }
    char *buf = malloc((size_t)sb.st_size + 1);
    ssize_t got = buf ? read(fd, buf, (size_t)sb.st_size) : -1;
    close(fd);
    if (got != sb.st_size) {
        free(buf);
        http_error(res, 500, NULL, "could not read %s", path);
        return;
    }
    res->status = 200;
    res->body = buf;
    res->len = (size_t)got;
    res->content_type = content_type_of(path);
    res->cacheable = true;
}

/* ---- the request cycle ------------------------------------------------------ */

/* The peer's IPv4 address in dotted decimal into buf (at least 16 bytes),
 * or "unknown". Written by hand: inet_ntop formats with sprintf, a cost on
 * every request. */
static void client_address(struct MHD_Connection *conn, char *buf, size_t n) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (n < 16 || !info || !info->client_addr || info->client_addr->sa_family != AF_INET) {
        snprintf(buf, n, "unknown");
        return;
    }
    const struct sockaddr_in *peer = (const struct sockaddr_in *)(const void *)info->client_addr;
    const unsigned char *octet = (const unsigned char *)&peer->sin_addr.s_addr; /* network order */
    char *p = buf;
    for (int i = 0; i < 4; i++) {
        unsigned v = octet[i];
        if (i) *p++ = '.';
        if (v >= 100) *p++ = (char)('0' + v / 100);
        if (v >= 10) *p++ = (char)('0' + v / 10 % 10);
        *p++ = (char)('0' + v % 10);
    }
    *p = '\0';
}

static bool is_json_type(const char *type) {
    if (!type) return false;
    size_t n = strlen("application/json");
    return strncasecmp(type, "application/json", n) == 0 && (type[n] == '\0' || type[n] == ';');
}

/* ---- framing: what libmicrohttpd lets through ------------------------------ */

/* The framing headers of a request, counted. */
typedef struct framing {
    int content_lengths;      /* Content-Length headers */
    bool content_length_bad;  /* one is not a plain decimal number */
    bool content_lengths_differ;
    unsigned long long content_length;
    int transfer_encodings;   /* Transfer-Encoding headers */
    const char *transfer_encoding;
    int hosts;
} framing;

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
    (void)kind;
    framing *f = cls;
    if (!value) value = "";
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
        size_t n = strlen(value);
        if (n == 0 || n > 19 || strspn(value, "0123456789") != n) {
            f->content_length_bad = true;
        } else {
            unsigned long long v = strtoull(value, NULL, 10);
            if (f->content_lengths > 0 && v != f->content_length) f->content_lengths_differ = true;
            f->content_length = v;
        }
        f->content_lengths++;
    } else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        f->transfer_encodings++;
        f->transfer_encoding = value;
    } else if (strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0) {
        f->hosts++;
    }
    return MHD_YES;
}

/* Checks how the request says where it ends, which libmicrohttpd 0.9
 * leaves to the application: a request that could be read two ways by two
 * servers (a proxy and fow) is refused, so no second request can be
 * smuggled in its body. Returns 0, or 400 / 501 after setting res. *f gets
 * the counts (f->content_length is the body's announced length). */
static int check_framing(struct MHD_Connection *conn, const char *version, framing *f, http_response *res) {
    memset(f, 0, sizeof *f);
    MHD_get_connection_values(conn, MHD_HEADER_KIND, count_framing, f);
    if (f->content_lengths > 0 && f->transfer_encodings > 0) {
        http_error(res, 400, "Transfer-Encoding", "send either Content-Length or Transfer-Encoding, not both");
        return 400;
    }
    if (f->content_length_bad) {
        http_error(res, 400, "Content-Length", "Content-Length must be one decimal number");
        return 400;
    }
    if (f->content_lengths_differ) {
        http_error(res, 400, "Content-Length", "the Content-Length headers disagree");
        return 400;
    }
    if (f->transfer_encodings > 1 || (f->transfer_encodings == 1 && strcasecmp(f->transfer_encoding, "chunked") != 0)) {
        http_error(res, 501, "Transfer-Encoding", "the only transfer encoding understood is chunked");
        return 501;
    }
    if (f->hosts != 1 && version && strcmp(version, MHD_HTTP_VERSION_1_0) != 0) {
        http_error(res, 400, "Host", f->hosts ? "send one Host header, not %d" : "an HTTP/1.1 request needs a Host header",
                   f->hosts);
        return 400;
    }
    return 0;
}

/* Whether the request came over HTTPS: said by the trusted proxy (its
 * X-Forwarded-Proto) and by nobody else. */
static bool request_is_secure(const http_server *s, struct MHD_Connection *conn) {
    if (!s->has_trusted_proxy) return false;
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr || info->client_addr->sa_family != AF_INET) return false;
    const struct sockaddr_in *peer = (const struct sockaddr_in *)(const void *)info->client_addr;
    if (peer->sin_addr.s_addr != s->trusted_proxy.s_addr) return false;
    const char *proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
    return proto && strcasecmp(proto, "https") == 0;
}

/* Answers res in the first call, before any of the body is read; when a
 * body was announced the connection is closed after the answer, so what
 * was sent after the headers is never read as a request. */
static enum MHD_Result answer_now(struct MHD_Connection *conn, request_state *st, http_response *res, bool close) {
    if (close) http_header(res, MHD_HTTP_HEADER_CONNECTION, "close");
    final_body body;
    finalize_body(conn, res, 0, &body);
    enum MHD_Result ok = queue(conn, st, res->status ? res->status : 200, &body, res->content_type, res);
    free(body.owned);
    response_free(res);
    return ok;
}

/* Starts the upload of st: its file, its reservation against the user's
 * quota. Returns 0, or a status after setting res. */
static int begin_upload(http_server *s, request_state *st, unsigned long long declared, http_response *res) {
    http_upload_outcome outcome =
        http_upload_begin(s->imports, st->who.user_id, st->who.role, (long long)declared, &st->upload);
    switch (outcome) {
    case HTTP_UPLOAD_OK: return 0;
    case HTTP_UPLOAD_OVER_QUOTA:
        http_error(res, 413, "body", "your uploads would exceed %lld bytes, the upload quota of the role %s: start an "
                   "import with the ones waiting, or wait for those arriving", http_upload_quota(st->who.role),
                   fow_role_name((fow_role)st->who.role));
        return 413;
    case HTTP_UPLOAD_NO_SPACE:
        http_error(res, 507, "body", "no space left on the device that holds the uploads (%s) for %llu bytes",
                   http_import_jobs_folder(s->imports), declared);
        return 507;
    case HTTP_UPLOAD_BUSY:
        http_error(res, 503, NULL, "too many users are uploading: try again later");
        http_header(res, "Retry-After", "5");
        return 503;
    default:
        http_error(res, 500, NULL, "cannot make a file for the upload in %s: %s", http_import_jobs_folder(s->imports),
                   strerror(st->upload.error));
        return 500;
    }
}

/* The first call of a request: its headers are here, none of its body.
 * Everything that can be decided now is: the framing, the rate limit, the
 * route, the size and type of the body, who is asking and whether they may
 * (and their CSRF token), and for an upload its quota and free space; a
 * refusal is answered at once, without reading the body. */
static enum MHD_Result first_call(http_server *s, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, request_state *st) {
    http_response res = {0};
    framing f;
    st->secure = request_is_secure(s, conn);
    if (check_framing(conn, version, &f, &res)) return answer_now(conn, st, &res, true);
    bool body_announced = f.transfer_encodings > 0 || f.content_length > 0;
    const char *client = st->client;
    if (!rate_allows(s, client)) {
        http_error(&res, 429, NULL, "too many requests from %s: slow down", client);
        http_header(&res, "Retry-After", "1");
        return answer_now(conn, st, &res, body_announced);
    }
    bool api = strncmp(url, "/api/", 5) == 0 || strcmp(url, "/healthz") == 0 ||
               strcmp(url, "/.well-known/jwks.json") == 0; /* the credential issuer's keys (api_credentials.c) */
    if (api) route_request(s, method, url, st);
    else if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) st->early_status = 405;
    if (st->route) {
        if (f.content_lengths > 0 && f.content_length > st->route->max_body) st->early_status = 413;
        if (st->route->json_body &&
            !is_json_type(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE)))
            st->early_status = 415;
    }
    if (st->early_status == 404) {
        http_error(&res, 404, "path", "no route %s", url);
    } else if (st->early_status == 405) {
        char allow[100];
        allowed_methods(s, url, allow, sizeof allow);
        if (!st->route && strncmp(url, "/api/", 5) != 0) snprintf(allow, sizeof allow, "GET, HEAD");
        http_error(&res, 405, "method", "%s is not allowed here (allowed: %s)", method, allow);
        http_header(&res, "Allow", allow);
    } else if (st->early_status == 413) {
        http_error(&res, 413, "body", "the request body is larger than %zu bytes", st->route->max_body);
    } else if (st->early_status == 415) {
        http_error(&res, 415, "Content-Type", "send the body as application/json");
    } else if (st->route) {
        http_request req = {.services = &s->services, .conn = conn, .method = method, .path = url};
        snprintf(req.client, sizeof req.client, "%s", client);
        if (!http_auth_request(s->auth, &req, st->route, &res)) {
            st->early_status = res.status;
        } else {
            st->who = req.who;
            if (st->route->body_to_file) st->early_status = begin_upload(s, st, f.content_length, &res);
        }
        if (req.who.authenticated) snprintf(st->user, sizeof st->user, "%s", req.who.name);
    }
    if (st->early_status) return answer_now(conn, st, &res, body_announced);
    return MHD_YES;
}

/* Copies the text src into dst (size bytes), cut to fit, NUL-terminated. */
static void copy_cut(char *dst, size_t size, const char *src) {
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
    http_server *s = cls;
    request_state *st = *con_cls;
    if (!st) {
        st = calloc(1, sizeof *st);
        if (!st) return MHD_NO;
        st->upload.fd = -1;
        st->started = now_seconds();
        copy_cut(st->method, sizeof st->method, method);
        copy_cut(st->path, sizeof st->path, url);
        http_utf8_sanitize(st->method);
        http_utf8_sanitize(st->path);
        client_address(conn, st->client, sizeof st->client);
        atomic_fetch_add(&s->in_flight, 1);
        *con_cls = st;
        watch_headers(&s->watcher, conn, false);
        return first_call(s, conn, url, method, version, st);
    }
    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (st->early_status || st->too_large || st->upload_failed) return MHD_YES;
        size_t limit = st->route ? st->route->max_body : 0;
        if (st->len + n > limit) {
            st->too_large = true;
            return MHD_YES;
        }
        if (st->upload.active) {
            st->upload_failed = http_upload_write(s->imports, &st->upload, upload_data, n);
            st->len += n;
            return MHD_YES;
        }
        if (st->len + n + 1 > st->cap) {
            size_t cap = st->cap ? st->cap : 4096;
            while (cap < st->len + n + 1) cap *= 2;
            char *grown = realloc(st->body, cap);
            if (!grown) {
                st->too_large = true;
                return MHD_YES;
            }
            st->body = grown, st->cap = cap;
        }
        memcpy(st->body + st->len, upload_data, n);
        st->len += n;
        st->body[st->len] = '\0';
        return MHD_YES;
    }

    if (st->deferred) {
        /* resumed: the deferred answer is ready (http_deferred_finish) */
        http_deferred *d = st->deferred;
        st->deferred = NULL;
        enum MHD_Result sent = send_response(conn, st, &d->res, 0, NULL, NULL);
        response_free(&d->res);
        free(d);
        return sent;
    }
    /* the whole request is here */
    http_request req = {.services = &s->services, .conn = conn, .method = method, .path = url, .server_state = st};
    http_response res = {0};
    _Static_assert(sizeof req.client == sizeof st->client, "the request's client is the state's");
    memcpy(req.client, st->client, sizeof req.client);
    uint64_t generation = 0;
    key_buf *key = NULL, key_storage;
    /* a public GET of the API without credentials may come from the cache */
    if (s->cache && st->route && !st->too_large && st->route->access == HTTP_PUBLIC &&
        strcmp(st->route->method, "GET") == 0 && !st->route->uncached && st->len == 0 &&
        !MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION) &&
        !MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "fow_session") && cache_key(conn, url, &key_storage)) {
        key = &key_storage;
        uint64_t current = fow_world_holder_serial(s->holder);
        enum MHD_Result sent;
        if (cache_send(s->cache, conn, st, key, current, &sent)) return sent;
    }
    if (st->too_large) {
        http_error(&res, 413, "body", "the request body is larger than %zu bytes",
                   st->route ? st->route->max_body : (size_t)0);
    } else if (st->upload_failed == HTTP_UPLOAD_OVER_QUOTA) {
        http_error(&res, 413, "body", "your uploads would exceed %lld bytes, the upload quota of the role %s",
                   http_upload_quota(st->who.role), fow_role_name((fow_role)st->who.role));
    } else if (st->upload_failed == HTTP_UPLOAD_NO_SPACE) {
        http_error(&res, 507, "body", "no space left on the device that holds the uploads (%s): %zu bytes arrived",
                   http_import_jobs_folder(s->imports), st->len);
    } else if (st->upload_failed) {
        http_error(&res, 500, NULL, "could not write the upload in %s: %s", http_import_jobs_folder(s->imports),
                   strerror(st->upload.error));
    } else if (!st->route) {
        serve_static(s, url, &res);
    } else {
        for (int i = 0; i < st->n_params; i++) req.params[i] = st->params[i];
        req.n_params = st->n_params;
        req.body = st->body ? st->body : "";
        req.body_len = st->len;
        req.who = st->who;
        if (st->upload.active) req.upload_path = st->upload.path;
        const char *lang = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "lang");
        bool lang_ok = !lang || (strlen(lang) >= 2 && strlen(lang) <= 7 &&
                                 strspn(lang, "abcdefghijklmnopqrstuvwxyz-") == strlen(lang));
        req.lang = lang && *lang ? lang : NULL;
        if (!lang_ok) {
            http_error(&res, 400, "lang", "lang must be a language code such as ro or en");
        } else if (st->route->max_body == 0 && st->len > 0) {
            http_error(&res, 400, "body", "%s %s takes no body", method, st->route->pattern);
        } else {
            req.engine = http_engine_acquire(s->holder, &st->engine);
            st->has_engine = req.engine != NULL;
            generation = req.engine ? req.engine->generation : 0;
            res.cacheable = strcmp(st->route->method, "GET") == 0 && !req.who.authenticated;
            st->route->handler(&req, &res); /* the engine is released in on_completed, after the answer */
        }
        if (req.who.authenticated) snprintf(st->user, sizeof st->user, "%s", req.who.name);
        if (st->deferred) {
            /* suspended until another thread finishes the answer */
            response_free(&res);
            return MHD_YES;
        }
    }
    enum MHD_Result ok = send_response(conn, st, &res, generation, key ? s->cache : NULL, key);
    response_free(&res);
    return ok;
}

http_deferred *http_defer(http_request *req) {
    request_state *st = req->server_state;
    if (!st || st->deferred) return NULL;
    http_deferred *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->conn = req->conn;
    st->deferred = d;
    MHD_suspend_connection(req->conn);
    return d;
}

http_response *http_deferred_response(http_deferred *d) { return &d->res; }

void http_deferred_finish(http_deferred *d) { MHD_resume_connection(d->conn); }

/* The UTC time of now as 2026-01-31T12:00:00Z into out (32 bytes),
 * formatted once a second per thread. */
static void log_time(char out[32]) {
    static _Thread_local time_t formatted_at = (time_t)-1;
    static _Thread_local char formatted[32];
    time_t now = time(NULL);
    if (now != formatted_at) {
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(formatted, sizeof formatted, "%Y-%m-%dT%H:%M:%SZ", &tm);
        formatted_at = now;
    }
    memcpy(out, formatted, 32);
}

/* Appends the access log line of the request st to the log, one write of
 * the whole line: {"time", "client", "method", "path", "route", "status",
 * "bytes", "ms", "user", "completed"} as one compact JSON object (the
 * text jansson would write, reals to 4 digits), written with the thread's
 * writer, whose answer was sent already. */
static void log_request(http_server *s, const request_state *st, bool completed) {
    fow_jw *w = http_writer();
    if (!w) return;
    char ts[32];
    log_time(ts);
    fow_jw_set_precision(w, 4);
    fow_jw_object(w);
    fow_jw_kstring(w, "time", ts);
    fow_jw_kstring(w, "client", st->client);
    fow_jw_kstring(w, "method", st->method);
    /* a route whose path names a person logs its pattern (http_route.personal_path) */
    fow_jw_kstring(w, "path", st->route && st->route->personal_path ? st->route->pattern : st->path);
    fow_jw_kstring(w, "route", st->route ? st->route->pattern : NULL);
    fow_jw_kint(w, "status", st->status);
    fow_jw_kint(w, "bytes", (long long)st->bytes);
    fow_jw_kreal(w, "ms", (now_seconds() - st->started) * 1000.0);
    fow_jw_kstring(w, "user", st->user[0] ? st->user : NULL);
    fow_jw_kbool(w, "completed", completed);
    fow_jw_object_end(w);
    size_t len;
    const char *text = fow_jw_text(w, &len);
    if (!text) return;
    pthread_mutex_lock(&s->log_lock);
    fwrite(text, 1, len, s->log);
    fputc('\n', s->log);
    fflush(s->log);
    pthread_mutex_unlock(&s->log_lock);
    fow_jw_reset(w);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe) {
    http_server *s = cls;
    request_state *st = *con_cls;
    if (!st) return;
    watch_headers(&s->watcher, conn, true); /* the next request's headers, if any, from now */
    if (s->log) log_request(s, st, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
    if (st->has_engine) http_engine_release(&st->engine); /* after the answer was sent: see request_state */
    http_upload_end(s->imports, &st->upload);
    free(st->body);
    free(st);
    *con_cls = NULL;
    atomic_fetch_sub(&s->in_flight, 1); /* last: fow_serve_stop waits for every request to be done with */
}

/* ---- start and stop ---------------------------------------------------------- */

static fow_code parse_listen(const char *listen, struct sockaddr_in *addr, fow_error *err) {
    char host[64];
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "listen", "listen must be HOST:PORT, not '%s'",
                                listen);
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    char *end = NULL;
    long port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || port < 0 || port > 65535)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "listen", "the port in '%s' must be 0..65535",
                                listen);
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0) snprintf(host, sizeof host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &addr->sin_addr) != 1)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "listen",
                                "the host in '%s' must be an IPv4 address such as 127.0.0.1", listen);
    return FOW_OK;
}

fow_code fow_serve_start(const fow_serve_options *o, http_server **out, fow_error *err) {
    *out = NULL;
    struct sockaddr_in addr;
    fow_code rc = parse_listen(o->listen ? o->listen : "127.0.0.1:8080", &addr, err);
    if (rc) return rc;
    if (o->threads < 1 || o->threads > 256)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "threads", "threads must be 1..256, not %u",
                                o->threads);
    struct stat sb;
    if (!o->web_root || stat(o->web_root, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return fow_error_set_at(err, FOW_EINPUT, o->web_root, 0, 0, "web_root", "the web app folder does not exist");
    http_server *s = calloc(1, sizeof *s);
    if (!s) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    s->db_path = strdup(o->db_path);
    s->web_root = strdup(o->web_root);
    s->log = o->access_log;
    s->rate_limit = o->rate_limit;
    pthread_mutex_init(&s->watcher.lock, NULL);
    pthread_cond_init(&s->watcher.wake, NULL);
    pthread_mutex_init(&s->log_lock, NULL);
    pthread_mutex_init(&s->rate_lock, NULL);
    if (!s->db_path || !s->web_root) {
        fow_serve_stop(s);
        return fow_error_set(err, FOW_ENOMEM, "out of memory");
    }
    /* the database must exist; migrations run once, here */
    fow_db *db;
    rc = fow_db_open(&db, s->db_path, false, err);
    if (rc) {
        fow_serve_stop(s);
        return rc;
    }
    fow_db_close(db);
    /* what servers of earlier versions left in /tmp, when provably unused (old_uploads.h) */
    http_remove_old_upload_folders("/tmp", "/proc", NULL);
    s->cache = o->cache ? cache_new() : NULL;
    rc = routes_build(s, err);
    if (!rc) rc = fow_world_holder_new(&s->holder, err);
    if (!rc) rc = http_import_jobs_new(s->db_path, s->holder, &s->imports, err);
    if (!rc) rc = http_auth_open(s->db_path, o->token_max_days, &s->auth, err);
    s->services = (http_services){.db_path = s->db_path, .engines = s->holder, .auth = s->auth, .imports = s->imports};
    if (!rc) rc = http_engine_reload(s->holder, s->db_path, err);
    if (rc) {
        fow_serve_stop(s);
        return rc;
    }
    if (o->trusted_proxy) {
        s->has_trusted_proxy = inet_pton(AF_INET, o->trusted_proxy, &s->trusted_proxy) == 1;
        if (!s->has_trusted_proxy) {
            fow_serve_stop(s);
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "trusted_proxy",
                                    "the trusted proxy must be an IPv4 address such as 127.0.0.1, not '%s'",
                                    o->trusted_proxy);
        }
    }
    unsigned per_client = o->client_connections ? o->client_connections : 64;
    if (per_client > HTTP_CONNECTIONS_MAX) {
        fow_serve_stop(s);
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "client_connections",
                                "the connections per client must be 1..%d", HTTP_CONNECTIONS_MAX);
    }
    if (pthread_create(&s->watcher.thread, NULL, watch_connections, &s->watcher) != 0) {
        fow_serve_stop(s);
        return fow_error_set(err, FOW_EINTERNAL, "cannot start the thread that watches connections");
    }
    s->watcher.running = true;
    s->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)o->threads,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, &s->watcher,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)HTTP_IDLE_TIMEOUT, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned int)HTTP_CONNECTIONS_MAX, MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_client,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)1024, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)HTTP_CONNECTION_MEMORY, MHD_OPTION_END);
    if (!s->daemon) {
        int e = errno;
        fow_serve_stop(s);
        return fow_error_set_at(err, FOW_EIO, NULL, 0, 0, "listen", "cannot listen on %s: %s",
                                o->listen ? o->listen : "127.0.0.1:8080", e ? strerror(e) : "address in use?");
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : ntohs(addr.sin_port);
    *out = s;
    return FOW_OK;
}

uint16_t fow_serve_port(const http_server *s) { return s->port; }

fow_code fow_serve_reload(http_server *s, fow_world_offer *outcome, fow_error *err) {
    return fow_world_holder_reload(s->holder, s->db_path, NULL, outcome, err);
}

void fow_serve_stop(http_server *s) {
    if (!s) return;
    if (s->daemon) {
        /* stop accepting, let the requests in flight finish (30 s at most), then stop */
        MHD_socket listener = MHD_quiesce_daemon(s->daemon);
        /* answers waiting for a password hash are finished first: no connection stays suspended */
        http_auth_stop_logins(s->auth);
        for (int i = 0; i < 3000 && atomic_load(&s->in_flight) > 0; i++) nanosleep(&(struct timespec){0, 10000000}, NULL);
        MHD_stop_daemon(s->daemon);
        if (listener != MHD_INVALID_SOCKET) close(listener);
    }
    if (s->watcher.running) {
        pthread_mutex_lock(&s->watcher.lock);
        s->watcher.stop = true;
        pthread_cond_signal(&s->watcher.wake);
        pthread_mutex_unlock(&s->watcher.lock);
        pthread_join(s->watcher.thread, NULL);
    }
    pthread_mutex_destroy(&s->watcher.lock);
    pthread_cond_destroy(&s->watcher.wake);
    http_import_jobs_free(s->imports);
    cache_free(s->cache);
    http_auth_close(s->auth);
    fow_world_holder_free(s->holder);
    pthread_mutex_destroy(&s->log_lock);
    pthread_mutex_destroy(&s->rate_lock);
    free(s->routes);
    free(s->db_path);
    free(s->web_root);
    free(s);
}
