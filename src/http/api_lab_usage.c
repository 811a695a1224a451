/* api_lab_usage.c — the labs' calendar feeds, usage and projects
 * (src/labs/fow_lab_usage.h, docs/labs-usage.md):
 *   GET  /api/v1/lab-resources/{resource}/calendar.ics   public: busy times, no person
 *   GET  /api/v1/labs/{lab}/calendar.ics                 public: busy times, no person
 *   POST /api/v1/me/lab-calendar                         signed in: a new secret feed address (the old stops)
 *   GET  /api/v1/lab-feeds/{token}.ics                   public by its secret: the account's own bookings
 *   GET  /api/v1/lab-usage?lab=&resource=&from=&to=&by=week|resource|category[&format=csv]
 *                                                        manage_labs or read_programme
 *   GET  /api/v1/lab-projects?lab=[&format=csv]          manage_labs
 *   POST /api/v1/lab-projects                            staff_labs
 * The feeds carry an ETag (the server's, of the body) and Last-Modified
 * (the latest change of a booking listed); they are never answered from
 * the response cache, since a booking changes them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/fow_accounts.h"
#include "http/http.h"
#include "labs/fow_lab_usage.h"
#include "service/fow_result_labs.h"

static fow_db *open_db(http_request *req, http_response *res, bool read_only) {
    fow_db *db = NULL;
    fow_error err;
    fow_error_clear(&err);
    if (fow_db_open(&db, req->services->db_path, read_only, &err)) {
        http_error(res, 500, NULL, "the labs are not available: %s", err.message);
        return NULL;
    }
    return db;
}

/* Answers with the feed: text/calendar, its Last-Modified. */
static void send_feed(http_response *res, fow_lab_feed *feed) {
    res->status = 200;
    free(res->body);
    res->body = feed->ics;
    res->len = strlen(feed->ics);
    res->content_type = "text/calendar; charset=utf-8";
    feed->ics = NULL;
    if (feed->last_modified > 0) {
        time_t t = (time_t)feed->last_modified;
        struct tm tm;
        char date[64];
        static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
        static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        if (gmtime_r(&t, &tm)) {
            snprintf(date, sizeof date, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7], tm.tm_mday,
                     months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
            http_header(res, "Last-Modified", date);
        }
    }
    http_header(res, "Cache-Control", "no-cache");
}

static void public_feed(http_request *req, http_response *res, fow_lab_feed_kind kind) {
    fow_db *db = open_db(req, res, true);
    if (!db) return;
    fow_error err;
    fow_error_clear(&err);
    fow_lab_feed feed;
    if (fow_lab_feed_public(db, kind, req->params[0], (long long)time(NULL), &feed, &err)) http_error_from(res, &err);
    else send_feed(res, &feed);
    fow_lab_feed_free(&feed);
    fow_db_close(db);
}

static void resource_feed(http_request *req, http_response *res) {
    public_feed(req, res, FOW_LAB_FEED_RESOURCE);
}

static void lab_feed(http_request *req, http_response *res) {
    public_feed(req, res, FOW_LAB_FEED_LAB);
}

static void person_feed(http_request *req, http_response *res) {
    char token[80];
    size_t len = strlen(req->params[0]);
    if (len < 5 || len - 4 >= sizeof token || strcmp(req->params[0] + len - 4, ".ics") != 0) {
        http_error(res, 404, "token", "a calendar feed's address ends in .ics");
        return;
    }
    memcpy(token, req->params[0], len - 4);
    token[len - 4] = '\0';
    fow_db *db = open_db(req, res, true);
    if (!db) return;
    fow_error err;
    fow_error_clear(&err);
    fow_lab_feed feed;
    if (fow_lab_feed_person(db, token, (long long)time(NULL), &feed, &err)) {
        if (err.code == FOW_EINPUT) err.code = FOW_ENOTFOUND; /* a malformed address is an unknown one */
        http_error_from(res, &err);
    } else {
        send_feed(res, &feed);
    }
    fow_lab_feed_free(&feed);
    fow_db_close(db);
}

static void new_feed_address(http_request *req, http_response *res) {
    fow_db *db = open_db(req, res, false);
    if (!db) return;
    fow_error err;
    fow_error_clear(&err);
    char token[65];
    if (fow_lab_feed_token_new(db, req->who.name, (long long)time(NULL), token, &err)) {
        http_error_from(res, &err);
    } else {
        char url[128];
        snprintf(url, sizeof url, "/api/v1/lab-feeds/%s.ics", token);
        fow_jw *w = http_writer();
        if (w) {
            fow_jw_object(w);
            fow_jw_kstring(w, "url", url);
            fow_jw_object_end(w);
        }
        http_json_written(res, 201, w);
    }
    fow_db_close(db);
}

/* A query parameter copied into out (cap bytes); false after a 400. */
static bool query_text(http_request *req, http_response *res, const char *name, char *out, size_t cap) {
    const char *value = http_query(req, name);
    out[0] = '\0';
    if (!value) return true;
    if (strlen(value) >= cap) {
        http_error(res, 400, name, "%s is at most %zu characters", name, cap - 1);
        return false;
    }
    snprintf(out, cap, "%s", value);
    return true;
}

static bool csv_format(http_request *req, http_response *res, bool *csv) {
    static const char *const formats[] = {"json", "csv", NULL};
    const char *format = NULL;
    if (http_query_choice(req, res, "format", formats, "json", &format) < 0) return false;
    *csv = strcmp(format, "csv") == 0;
    return true;
}

static void usage(http_request *req, http_response *res) {
    static const char *const bys[] = {"week", "resource", "category", NULL};
    const char *by_text = NULL;
    bool csv = false;
    fow_lab_usage_query q;
    memset(&q, 0, sizeof q);
    if (http_query_choice(req, res, "by", bys, "week", &by_text) < 0 || !csv_format(req, res, &csv) ||
        !query_text(req, res, "lab", q.lab, sizeof q.lab) ||
        !query_text(req, res, "resource", q.resource, sizeof q.resource) ||
        !query_text(req, res, "from", q.from, sizeof q.from) || !query_text(req, res, "to", q.to, sizeof q.to))
        return;
    if (!q.from[0] || !q.to[0]) {
        http_error(res, 400, q.from[0] ? "to" : "from", "from and to (YYYY-MM-DD) are required");
        return;
    }
    (void)fow_lab_usage_by_parse(by_text, &q.by);
    res->cacheable = false;
    fow_db *db = open_db(req, res, true);
    if (!db) return;
    fow_error err;
    fow_error_clear(&err);
    fow_lab_usage u;
    if (fow_lab_usage_compute(db, &q, (long long)time(NULL), &u, &err)) {
        http_error_from(res, &err);
    } else if (csv) {
        char name[128];
        snprintf(name, sizeof name, "fow-lab-usage-%s-%s-%s.csv", fow_lab_usage_by_name(q.by), q.from, q.to);
        http_csv(res, fow_lab_usage_csv(&u), name);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_result_lab_usage(w, &u);
        http_json_written(res, 200, w);
    }
    fow_lab_usage_free(&u);
    fow_db_close(db);
}

static void projects(http_request *req, http_response *res) {
    char lab[41];
    bool csv = false;
    if (!query_text(req, res, "lab", lab, sizeof lab) || !csv_format(req, res, &csv)) return;
    res->cacheable = false;
    fow_db *db = open_db(req, res, true);
    if (!db) return;
    fow_error err;
    fow_error_clear(&err);
    fow_lab_project *rows = NULL;
    size_t n = 0;
    if (fow_lab_projects_list(db, lab, &rows, &n, &err)) {
        http_error_from(res, &err);
    } else if (csv) {
        http_csv(res, fow_lab_projects_csv(rows, n), "fow-lab-projects.csv");
    } else {
        fow_jw *w = http_writer();
        if (w) fow_result_lab_projects(w, lab, rows, n);
        http_json_written(res, 200, w);
    }
    free(rows);
    fow_db_close(db);
}

/* body[key] as text into out (cap bytes): absent or null gives ""; false after a 400. */
static bool body_text(json_t *body, const char *key, char *out, size_t cap, http_response *res) {
    json_t *v = json_object_get(body, key);
    out[0] = '\0';
    if (!v || json_is_null(v)) return true;
    if (!json_is_string(v)) {
        http_error(res, 400, key, "%s must be a string", key);
        return false;
    }
    if (json_string_length(v) >= cap) {
        http_error(res, 400, key, "%s is too long (at most %zu bytes)", key, cap - 1);
        return false;
    }
    snprintf(out, cap, "%s", json_string_value(v));
    return true;
}

static void project_add(http_request *req, http_response *res) {
    static const char *const known[] = {"lab", "person", "enterprise_code", "title", "summary", "outcome",
                                        "label_ref", "startup_ref"};
    json_t *body = http_object_body(req, res, known, sizeof known / sizeof *known);
    if (!body) return;
    fow_lab_project *p = calloc(1, sizeof *p);
    if (!p) {
        json_decref(body);
        http_error(res, 500, NULL, "out of memory");
        return;
    }
    bool ok = body_text(body, "lab", p->lab, sizeof p->lab, res) &&
              body_text(body, "person", p->person_id, sizeof p->person_id, res) &&
              body_text(body, "enterprise_code", p->enterprise_code, sizeof p->enterprise_code, res) &&
              body_text(body, "title", p->title, sizeof p->title, res) &&
              body_text(body, "summary", p->summary, sizeof p->summary, res) &&
              body_text(body, "outcome", p->outcome, sizeof p->outcome, res) &&
              body_text(body, "label_ref", p->label_ref, sizeof p->label_ref, res) &&
              body_text(body, "startup_ref", p->startup_ref, sizeof p->startup_ref, res);
    json_decref(body);
    if (ok && !p->lab[0]) {
        http_error(res, 400, "lab", "lab (a lab's code) is required");
        ok = false;
    }
    fow_db *db = ok ? open_db(req, res, false) : NULL;
    if (db) {
        fow_error err;
        fow_error_clear(&err);
        snprintf(p->created_by, sizeof p->created_by, "%s", req->who.name);
        if (fow_lab_project_add(db, p, (long long)time(NULL), &err)) {
            http_error_from(res, &err);
        } else {
            fow_jw *w = http_writer();
            if (w) fow_result_lab_project(w, p);
            http_json_written(res, 201, w);
        }
        fow_db_close(db);
    }
    free(p);
}

static const http_route routes[] = {
    {.method = "GET", .pattern = "/api/v1/lab-resources/{resource}/calendar.ics", .handler = resource_feed,
     .access = HTTP_PUBLIC, .uncached = true},
    {.method = "GET", .pattern = "/api/v1/labs/{lab}/calendar.ics", .handler = lab_feed, .access = HTTP_PUBLIC,
     .uncached = true},
    {.method = "POST", .pattern = "/api/v1/me/lab-calendar", .handler = new_feed_address,
     .access = HTTP_SIGNED_IN, .max_body = 1024},
    {.method = "GET", .pattern = "/api/v1/lab-feeds/{token}", .handler = person_feed, .access = HTTP_PUBLIC,
     .uncached = true, .personal_path = true},
    {.method = "GET", .pattern = "/api/v1/lab-usage", .handler = usage, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_LABS, .also_permitted = true, .also_permission = FOW_PERM_READ_PROGRAMME},
    {.method = "GET", .pattern = "/api/v1/lab-projects", .handler = projects, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_LABS},
    {.method = "POST", .pattern = "/api/v1/lab-projects", .handler = project_add, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_STAFF_LABS, .max_body = 40 * 1024, .json_body = true},
};
HTTP_ROUTE_TABLE(api_lab_usage_routes, routes);
