/* api_admin.c — imports through the API: files are uploaded one by one
 * (POST /api/v1/imports/files?name=F, the raw file as the body), then an
 * import job is started on them (POST /api/v1/imports) and runs in the
 * background, one at a time; its progress is polled (GET
 * /api/v1/imports/{job}). A finished import swaps the new model in (a new
 * generation, so cached answers are not served again). The uploads and
 * jobs themselves are in import_jobs.c; this file reads and checks the
 * requests and words the answers.
 *
 * Who: admins import every kind; analysts import employment only (kind
 * "employment", FOW_PERM_IMPORT_EMPLOYMENT) and see only their own jobs. */
#include <stdlib.h>
#include <string.h>

#include "accounts/fow_accounts.h"
#include "http/import_jobs.h"

#define UPLOAD_MAX ((size_t)512 * 1024 * 1024)
#define AREA_MAX 100 /* bytes of an employment import's area */

/* A file name as uploaded: letters, digits, . _ - only, ending in .csv. */
static bool valid_file_name(const char *name) {
    size_t n = strlen(name);
    if (n < 5 || n > 100 || name[0] == '.' || strcmp(name + n - 4, ".csv") != 0) return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
              *p == '_' || *p == '-'))
            return false;
    return true;
}

static void upload_file(http_request *req, http_response *res) {
    const char *name = http_query(req, "name");
    if (!name || !valid_file_name(name)) {
        http_error(res, 400, "name", "name must be the file's name: letters, digits, '.', '_', '-', ending in .csv");
        return;
    }
    if (!req->upload_path || req->body_len == 0) {
        http_error(res, 400, "body", "send the file's bytes as the body");
        return;
    }
    unsigned id = 0;
    http_import_outcome outcome = http_import_jobs_keep_upload(req->services->imports, name, req->upload_path,
                                                               (long long)req->body_len, req->who.user_id, &id);
    if (outcome == HTTP_IMPORT_TOO_MANY_UPLOADS) {
        http_error(res, 409, "name", "too many uploads waiting: start an import or restart the server");
        return;
    }
    if (outcome != HTTP_IMPORT_OK) {
        http_error(res, 500, NULL, "could not keep the upload");
        return;
    }
    char text[32];
    snprintf(text, sizeof text, "u%u", id);
    http_json(res, 201, json_pack("{s:s, s:s, s:I}", "upload", text, "name", name, "bytes", (json_int_t)req->body_len));
}

static const char *const kinds[] = {"bundle", "esco", "risk", "attributes", "crosswalk", "employment"};

/* Reads the fields of an employment import (area, year, skip_unknown,
 * illustrative) into spec, or refuses them for another kind. false after a
 * 400 naming the field. */
static bool employment_fields(json_t *body, bool employment, http_import_spec *spec, http_response *res) {
    static const char *const fields[] = {"area", "year", "skip_unknown", "illustrative"};
    if (!employment) {
        for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
            if (json_object_get(body, fields[i])) {
                http_error(res, 400, fields[i], "%s goes with kind employment only", fields[i]);
                return false;
            }
        return true;
    }
    json_t *area = json_object_get(body, "area"), *year = json_object_get(body, "year");
    const char *text = json_string_value(area);
    bool area_ok = text && *text && strlen(text) <= AREA_MAX;
    for (const char *p = text; area_ok && *p; p++) area_ok = (unsigned char)*p >= 0x20 && *p != 0x7f;
    if (!area_ok) {
        http_error(res, 400, "area", "an employment import needs area: the place the counts describe (1 to %d "
                                     "bytes, no control characters), e.g. Cluj-Napoca",
                   AREA_MAX);
        return false;
    }
    spec->area = text;
    if (year && (!json_is_integer(year) || json_integer_value(year) < 1900 || json_integer_value(year) > 2100)) {
        http_error(res, 400, "year", "year must be a whole number from 1900 to 2100 (or left out when the file "
                                     "has a year column)");
        return false;
    }
    spec->year = year ? (int)json_integer_value(year) : 0;
    bool *flags[2] = {&spec->skip_unknown, &spec->illustrative};
    for (int i = 0; i < 2; i++) {
        json_t *v = json_object_get(body, fields[2 + i]);
        if (v && !json_is_boolean(v)) {
            http_error(res, 400, fields[2 + i], "%s must be true or false", fields[2 + i]);
            return false;
        }
        *flags[i] = json_is_true(v);
    }
    return true;
}

/* Whether the caller sees every job (importers of every kind), or only
 * their own. */
static bool sees_all_jobs(const http_request *req) {
    return fow_role_allows((fow_role)req->who.role, FOW_PERM_IMPORT);
}

static void import_start(http_request *req, http_response *res) {
    static const char *const known_fields[] = {"kind",         "files", "lang", "model", "area", "year",
                                               "skip_unknown", "illustrative"};
    json_t *body = http_object_body(req, res, known_fields, sizeof known_fields / sizeof *known_fields);
    if (!body) return;
    const char *kind = json_string_value(json_object_get(body, "kind"));
    bool known = false;
    for (size_t i = 0; kind && i < sizeof kinds / sizeof *kinds; i++) known |= strcmp(kind, kinds[i]) == 0;
    json_t *files = json_object_get(body, "files");
    const char *lang = json_string_value(json_object_get(body, "lang"));
    const char *model = json_string_value(json_object_get(body, "model"));
    bool folder = kind && (strcmp(kind, "bundle") == 0 || strcmp(kind, "esco") == 0);
    bool employment = kind && strcmp(kind, "employment") == 0;
    http_import_spec spec = {.kind = kind, .folder = folder, .lang = lang, .model = model,
                             .owner = req->who.user_id, .by = req->who.name};
    if (!known) http_error(res, 400, "kind", "kind must be bundle, esco, risk, attributes, crosswalk or employment");
    else if (!employment && !fow_role_allows((fow_role)req->who.role, FOW_PERM_IMPORT))
        http_error(res, 403, "kind", "the role %s may import employment only (kind employment)",
                   fow_role_name((fow_role)req->who.role));
    else if (!json_is_array(files) || json_array_size(files) == 0 || json_array_size(files) > 32 ||
             (!folder && json_array_size(files) != 1))
        http_error(res, 400, "files", "files must list the upload ids (%s)", folder ? "1 to 32" : "exactly one");
    else if (json_object_get(body, "lang") && (!lang || strlen(lang) < 2 || strlen(lang) > 7))
        http_error(res, 400, "lang", "lang must be a language code such as en or ro");
    else if (strcmp(kind, "risk") == 0 && (!model || (strcmp(model, "mcc") && strcmp(model, "frey-osborne"))))
        http_error(res, 400, "model", "a risk import needs model: mcc or frey-osborne");
    else employment_fields(body, employment, &spec, res);
    if (res->status) {
        json_decref(body);
        return;
    }
    const char *uploads[32];
    spec.n_uploads = json_array_size(files);
    for (size_t i = 0; i < spec.n_uploads; i++) uploads[i] = json_string_value(json_array_get(files, i));
    spec.uploads = uploads;
    unsigned job_id = 0;
    size_t bad = 0;
    http_import_outcome outcome = http_import_jobs_start(req->services->imports, &spec, &job_id, &bad);
    if (outcome == HTTP_IMPORT_BUSY) {
        http_error(res, 409, "kind", "an import is running: wait until it ends");
    } else if (outcome == HTTP_IMPORT_NOT_AN_UPLOAD) {
        char field[32];
        snprintf(field, sizeof field, "files[%zu]", bad);
        http_error(res, 400, field, "%s is not one of your uploads", uploads[bad] ? uploads[bad] : "this");
    } else if (outcome == HTTP_IMPORT_UPLOAD_LOST) {
        http_error(res, 500, NULL, "could not use the upload %s", uploads[bad] ? uploads[bad] : "");
    } else if (outcome == HTTP_IMPORT_NO_MEMORY) {
        http_error(res, 500, NULL, "out of memory");
    } else if (outcome != HTTP_IMPORT_OK) {
        http_error(res, 500, NULL, "could not prepare the import");
    }
    json_decref(body);
    if (outcome != HTTP_IMPORT_OK) return;
    char text[32], where[64];
    snprintf(text, sizeof text, "j%u", job_id);
    snprintf(where, sizeof where, "/api/v1/imports/%s", text);
    http_header(res, "Location", where);
    http_json(res, 202, json_pack("{s:s, s:s}", "job", text, "status", where));
}

static void import_status(http_request *req, http_response *res) {
    json_t *out = http_import_jobs_status(req->services->imports, req->params[0], req->who.user_id, sees_all_jobs(req));
    res->cacheable = false;
    if (!out) http_error(res, 404, "job", "no import %.40s", req->params[0]);
    else http_json(res, 200, out);
}

static void imports_list(http_request *req, http_response *res) {
    res->cacheable = false;
    http_json(res, 200, http_import_jobs_list(req->services->imports, req->who.user_id, sees_all_jobs(req)));
}

/* The import routes are open to every role that may import something
 * (FOW_PERM_IMPORT_EMPLOYMENT: admin and analyst); import_start lets only
 * FOW_PERM_IMPORT start other kinds than employment, and a user without
 * FOW_PERM_IMPORT sees only their own jobs. */
static const http_route routes[] = {
    {.method = "POST", .pattern = "/api/v1/imports/files", .handler = upload_file, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_IMPORT_EMPLOYMENT, .max_body = UPLOAD_MAX, .body_to_file = true},
    {.method = "POST", .pattern = "/api/v1/imports", .handler = import_start, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_IMPORT_EMPLOYMENT, .max_body = 4096, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/imports", .handler = imports_list, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_IMPORT_EMPLOYMENT},
    {.method = "GET", .pattern = "/api/v1/imports/{job}", .handler = import_status, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_IMPORT_EMPLOYMENT},
};
HTTP_ROUTE_TABLE(api_admin_routes, routes);
