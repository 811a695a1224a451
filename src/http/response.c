/* response.c — JSON bodies, errors, headers and query parameters. */
#include <errno.h>
#include <malloc.h> /* malloc_usable_size */
#include <math.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

/* Length of the valid UTF-8 sequence at p (1 to 4), or 0 (what jansson rejects:
 * stray continuation bytes, overlong forms, surrogates, beyond U+10FFFF, cut). */
static int utf8_sequence(const unsigned char *p) {
    unsigned c = p[0];
    if (c < 0x80) return 1;
    int n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    for (int i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F) || (c == 0xF0 && p[1] < 0x90) ||
        (c == 0xF4 && p[1] > 0x8F))
        return 0;
    return n;
}

void http_utf8_sanitize(char *s) {
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        int n = utf8_sequence(p);
        if (n == 0) *p++ = '?';
        else p += n;
    }
}

const char *http_status_code_name(int status) {
    switch (status) {
    case 400: return "bad-request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not-found";
    case 405: return "method-not-allowed";
    case 409: return "conflict";
    case 413: return "payload-too-large";
    case 415: return "unsupported-media-type";
    case 422: return "unprocessable";
    case 423: return "locked";
    case 429: return "rate-limited";
    case 501: return "not-implemented";
    case 503: return "unavailable";
    case 507: return "insufficient-storage";
    default: return status >= 500 ? "internal" : "error";
    }
}

static void set_body(http_response *res, char *body, size_t len, const char *type) {
    free(res->body);
    res->body = body;
    res->len = len;
    res->content_type = type;
}

void http_json(http_response *res, int status, json_t *value) { http_json_digits(res, status, value, 7); }

void http_json_digits(http_response *res, int status, json_t *value, int digits) {
    if (digits < 1 || digits > 17) digits = 17;
    char *text = value ? json_dumps(value, JSON_COMPACT | JSON_REAL_PRECISION(digits)) : NULL;
    json_decref(value);
    if (!text) {
        res->status = 500;
        const char fallback[] = "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\",\"field\":null}}";
        char *copy = strdup(fallback);
        set_body(res, copy, copy ? strlen(copy) : 0, "application/json");
        return;
    }
    res->status = status;
    set_body(res, text, strlen(text), "application/json");
}

/* What each handler thread keeps from one request to the next: its JSON
 * writer, and the buffers of bodies already sent, to be written into again
 * (http_body_release), so that an answer is written and handed to
 * libmicrohttpd without copying it and, once the buffers are large enough,
 * without allocating. */
#define SPARE_BUFFERS 4
#define SPARE_BUFFER_MIN 4096                /* smaller: not worth keeping */
#define SPARE_BUFFER_MAX ((size_t)1 << 20)   /* larger: given back to the system */

typedef struct thread_writer {
    fow_jw writer;
    char *spare[SPARE_BUFFERS];
    size_t spare_cap[SPARE_BUFFERS];
    int n_spare;
} thread_writer;

static pthread_once_t writer_once = PTHREAD_ONCE_INIT;
static pthread_key_t writer_key;

static void writer_destroy(void *p) {
    thread_writer *t = p;
    fow_jw_free(&t->writer);
    for (int i = 0; i < t->n_spare; i++) free(t->spare[i]);
    free(t);
}

static void writer_key_create(void) { pthread_key_create(&writer_key, writer_destroy); }

static thread_writer *thread_writer_get(void) {
    pthread_once(&writer_once, writer_key_create);
    return pthread_getspecific(writer_key);
}

fow_jw *http_writer(void) {
    thread_writer *t = thread_writer_get();
    if (!t) {
        if (!(t = calloc(1, sizeof *t))) return NULL;
        fow_jw_init(&t->writer, 0);
        if (pthread_setspecific(writer_key, t) != 0) {
            free(t);
            return NULL;
        }
    }
    fow_jw_reset(&t->writer);
    return &t->writer;
}

void http_body_release(void *body) {
    if (!body) return;
    thread_writer *t = thread_writer_get();
    size_t cap = malloc_usable_size(body);
    if (t && t->n_spare < SPARE_BUFFERS && cap >= SPARE_BUFFER_MIN && cap <= SPARE_BUFFER_MAX) {
        t->spare[t->n_spare] = body;
        t->spare_cap[t->n_spare++] = cap;
        return;
    }
    free(body);
}

void http_json_written(http_response *res, int status, fow_jw *w) {
    size_t len = 0;
    thread_writer *t = w ? thread_writer_get() : NULL;
    if (t && w == &t->writer) {
        /* the thread's writer: its buffer becomes the body, a spare one the writer's */
        size_t cap = w->cap;
        char *text = fow_jw_take(w, &len);
        if (!text) {
            http_error(res, 500, NULL, "out of memory");
            return;
        }
        if (t->n_spare > 0) {
            t->n_spare--;
            fow_jw_give(w, t->spare[t->n_spare], t->spare_cap[t->n_spare]);
        } else if (cap > 0) {
            fow_jw_give(w, malloc(cap), cap); /* when out of memory the writer grows again as it writes */
        }
        res->status = status;
        set_body(res, text, len, "application/json");
        return;
    }
    const char *text = w ? fow_jw_text(w, &len) : NULL;
    char *copy = text ? malloc(len + 1) : NULL;
    if (!copy) {
        http_error(res, 500, NULL, "out of memory");
        return;
    }
    memcpy(copy, text, len + 1);
    res->status = status;
    set_body(res, copy, len, "application/json");
}

void http_error(http_response *res, int status, const char *field, const char *fmt, ...) {
    char message[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    http_utf8_sanitize(message);
    json_t *error = json_pack("{s:s, s:s, s:o}", "code", http_status_code_name(status), "message", message, "field",
                              field && *field ? json_string(field) : json_null());
    res->cacheable = false;
    http_json(res, status, json_pack("{s:o}", "error", error));
}

void http_error_from(http_response *res, const fow_error *err) {
    int status = err->code == FOW_EINPUT ? 400 : err->code == FOW_ENOTFOUND ? 404 : err->code == FOW_EIO ? 400 : 500;
    http_error(res, status, err->field, "%s", err->message);
}

void http_header(http_response *res, const char *name, const char *value) {
    if (res->n_headers >= HTTP_MAX_HEADERS) return;
    char *n = strdup(name), *v = strdup(value);
    if (!n || !v) {
        free(n), free(v);
        return;
    }
    res->header_names[res->n_headers] = n;
    res->header_values[res->n_headers++] = v;
}

const char *http_query(const http_request *req, const char *name) {
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

int http_query_long(const http_request *req, http_response *res, const char *name, long def, long min, long max,
                    long *out) {
    const char *text = http_query(req, name);
    *out = def;
    if (!text) return 0;
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (!*text || errno || *end || v < min || v > max || strspn(text, "-0123456789") != strlen(text)) {
        http_error(res, 400, name, "%s must be a whole number from %ld to %ld, not '%.40s'", name, min, max, text);
        return -1;
    }
    *out = v;
    return 0;
}

int http_query_float(const http_request *req, http_response *res, const char *name, float def, float min,
                     float max, float *out) {
    const char *text = http_query(req, name);
    *out = def;
    if (!text) return 0;
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (!*text || errno || *end || strspn(text, "0123456789.") != strlen(text) || !(v >= min && v <= max)) {
        http_error(res, 400, name, "%s must be a number from %g to %g, not '%.40s'", name, (double)min, (double)max,
                   text);
        return -1;
    }
    *out = (float)v;
    return 0;
}

int http_query_double(const http_request *req, http_response *res, const char *name, double def, double min,
                      double max, double *out) {
    const char *text = http_query(req, name);
    *out = def;
    if (!text) return 0;
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (!*text || errno || *end || strspn(text, "0123456789.") != strlen(text) || !(v >= min && v <= max)) {
        http_error(res, 400, name, "%s must be a number from %g to %g, not '%.40s'", name, min, max, text);
        return -1;
    }
    *out = v;
    return 0;
}

int http_query_choice(const http_request *req, http_response *res, const char *name, const char *const *allowed,
                      const char *def, const char **out) {
    const char *text = http_query(req, name);
    *out = def;
    if (!text) return 0;
    char list[300] = "";
    for (const char *const *a = allowed; *a; a++) {
        if (strcmp(text, *a) == 0) {
            *out = *a;
            return 0;
        }
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", a == allowed ? "" : a[1] ? ", " : " or ", *a);
    }
    http_error(res, 400, name, "%s must be %s, not '%.40s'", name, list, text);
    return -1;
}

void http_csv(http_response *res, char *csv, const char *file_name) {
    if (!csv) {
        http_error(res, 500, NULL, "out of memory");
        return;
    }
    char name[200], disposition[240];
    snprintf(name, sizeof name, "%s", file_name);
    for (char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
              *p == '_' || *p == '-'))
            *p = '_';
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", name);
    res->status = 200;
    set_body(res, csv, strlen(csv), "text/csv; charset=utf-8");
    http_header(res, "Content-Disposition", disposition);
}

bool http_need_engine(const http_request *req, http_response *res) {
    if (req->engine && req->engine->model->n_occupations > 0) return true;
    http_error(res, 503, NULL, "no taxonomy is imported yet: an admin can import one (fow import, or the web app)");
    return false;
}

int http_query_bool(const http_request *req, http_response *res, const char *name, bool def, bool *out) {
    const char *text = http_query(req, name);
    *out = def;
    if (!text) return 0;
    if (strcmp(text, "true") == 0 || strcmp(text, "1") == 0 || strcmp(text, "") == 0) *out = true;
    else if (strcmp(text, "false") == 0 || strcmp(text, "0") == 0) *out = false;
    else {
        http_error(res, 400, name, "%s must be true or false, not '%.40s'", name, text);
        return -1;
    }
    return 0;
}

int http_query_page(const http_request *req, http_response *res, long def, long max, long *limit, long *offset) {
    if (http_query_long(req, res, "limit", def, 1, max, limit)) return -1;
    return http_query_long(req, res, "offset", 0, 0, 1000000, offset);
}

json_t *http_object_body(const http_request *req, http_response *res, const char *const *known, size_t n_known) {
    json_error_t jerr;
    json_t *body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!body) {
        http_error(res, 400, "body", "malformed JSON at line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
        return NULL;
    }
    if (!json_is_object(body)) {
        json_decref(body);
        http_error(res, 400, "body", "the body must be a JSON object");
        return NULL;
    }
    const char *key;
    json_t *value;
    json_object_foreach(body, key, value) {
        bool ok = false;
        for (size_t i = 0; i < n_known; i++) ok |= strcmp(key, known[i]) == 0;
        if (!ok) {
            http_error(res, 400, key, "unknown field '%.60s'", key);
            json_decref(body);
            return NULL;
        }
    }
    return body;
}
