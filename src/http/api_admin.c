/* api_admin.c — imports through the API: files are uploaded one by one
 * (POST /api/v1/imports/files?name=F, the raw file as the body), then an
 * import job is started on them (POST /api/v1/imports) and runs in the
 * background, one at a time; its progress is polled (GET
 * /api/v1/imports/{job}). A finished import swaps the new model in (a new
 * generation, so cached answers are not served again). The uploads and
 * jobs themselves are in import_jobs.c; this file reads and checks the
 * requests and words the answers.
 *
 * The kinds, their options and who may run them come from libfow's importer
 * registry (fow_importers.h), listed by GET /api/v1/import-kinds. Who:
 * admins import every kind; analysts import employment only (kind
 * "employment", FOW_PERM_IMPORT_EMPLOYMENT) and see only their own jobs. */
#include <stdlib.h>
#include <string.h>

#include "accounts/fow_accounts.h"
#include "http/import_jobs.h"

#define UPLOAD_MAX ((size_t)512 * 1024 * 1024)

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

/* Reads the options of the import from body (every field but kind and
 * files) into s, checked by the registry. false after a 400 naming the
 * field: a value of the wrong JSON type, an option the kind does not take,
 * a value the option does not accept, a required option left out, or the
 * source, version or licence of an uploaded file (fow_importer_upload_requires). */
static bool import_options(json_t *body, fow_import_settings *s, http_response *res) {
    const char *name;
    json_t *value;
    fow_error err;
    fow_error_clear(&err);
    json_object_foreach(body, name, value) {
        if (strcmp(name, "kind") == 0 || strcmp(name, "files") == 0) continue;
        const fow_import_option *o = fow_importer_option(s->kind, name, NULL);
        char text[FOW_IMPORT_VALUE_MAX];
        const char *arg = text, *want = NULL;
        if (o && (o->type == FOW_OPTION_TEXT || o->type == FOW_OPTION_CHOICE)) {
            if (!json_is_string(value)) want = "a string";
            else arg = json_string_value(value);
        } else if (o && o->type == FOW_OPTION_INTEGER) {
            if (!json_is_integer(value)) want = "a whole number";
            else snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
        } else if (o) {
            if (!json_is_boolean(value)) want = "true or false";
            else snprintf(text, sizeof text, "%s", json_is_true(value) ? "true" : "false");
        } else {
            snprintf(text, sizeof text, "?"); /* the registry refuses the option by name */
        }
        if (want) {
            http_error(res, 400, name, "%s must be %s (%s)", name, want, o->description);
            return false;
        }
        if (fow_import_settings_set(s, name, arg, &err) != FOW_OK) {
            http_error_from(res, &err);
            return false;
        }
    }
    if (fow_import_settings_check_upload(s, &err) != FOW_OK) {
        http_error_from(res, &err);
        return false;
    }
    return true;
}

/* The kinds role may import, as "a, b and c", into buf. */
static const char *allowed_kinds(fow_role role, char *buf, size_t n) {
    size_t n_kinds, used = 0, listed = 0, allowed = 0;
    const fow_importer *kinds = fow_importers(&n_kinds);
    for (size_t k = 0; k < n_kinds; k++) allowed += fow_role_allows(role, kinds[k].permission);
    buf[0] = '\0';
    for (size_t k = 0; k < n_kinds && used < n; k++) {
        if (!fow_role_allows(role, kinds[k].permission)) continue;
        listed++;
        const char *sep = listed == 1 ? "" : listed == allowed ? " and " : ", ";
        int w = snprintf(buf + used, n - used, "%s%s", sep, kinds[k].name);
        if (w > 0) used += (size_t)w;
    }
    return buf;
}

/* Whether the caller sees every job (importers of every kind), or only
 * their own. */
static bool sees_all_jobs(const http_request *req) {
    return fow_role_allows((fow_role)req->who.role, FOW_PERM_IMPORT);
}

static void import_start(http_request *req, http_response *res) {
    /* kind, files and every option of the registry; which options go with
     * which kind the registry checks below */
    const fow_import_option *options[64];
    size_t n_options = fow_import_all_options(options, sizeof options / sizeof *options);
    const char *known_fields[2 + sizeof options / sizeof *options] = {"kind", "files"};
    for (size_t i = 0; i < n_options; i++) known_fields[2 + i] = options[i]->name;
    json_t *body = http_object_body(req, res, known_fields, 2 + n_options);
    if (!body) return;
    json_t *files = json_object_get(body, "files");
    fow_import_settings settings;
    fow_error err;
    fow_error_clear(&err);
    fow_role role = (fow_role)req->who.role;
    char list[200];
    if (fow_import_settings_init(&settings, json_string_value(json_object_get(body, "kind")), &err) != FOW_OK)
        http_error_from(res, &err);
    else if (!fow_role_allows(role, settings.kind->permission))
        http_error(res, 403, "kind", "the role %s may not import %s; it may import %s", fow_role_name(role),
                   settings.kind->name, allowed_kinds(role, list, sizeof list));
    else if (!json_is_array(files) || json_array_size(files) == 0 || json_array_size(files) > 32 ||
             (settings.kind->input == FOW_IMPORT_FILE && json_array_size(files) != 1))
        http_error(res, 400, "files", "files must list the upload ids (%s)",
                   settings.kind->input == FOW_IMPORT_FOLDER ? "1 to 32" : "exactly one");
    else import_options(body, &settings, res);
    if (res->status) {
        json_decref(body);
        return;
    }
    http_import_spec spec = {.settings = &settings, .owner = req->who.user_id, .by = req->who.name};
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

/* GET /api/v1/import-kinds: the registry, with whether the caller's role may
 * start each kind (allowed). */
static void import_kinds(http_request *req, http_response *res) {
    json_t *out = fow_importers_json();
    json_t *kinds = json_object_get(out, "kinds");
    size_t i;
    json_t *kind;
    json_array_foreach(kinds, i, kind) {
        const fow_importer *imp = fow_importer_find(json_string_value(json_object_get(kind, "name")));
        json_object_set_new(kind, "allowed", json_boolean(imp && fow_role_allows((fow_role)req->who.role, imp->permission)));
    }
    res->cacheable = false;
    if (!out) http_error(res, 500, NULL, "out of memory");
    else http_json(res, 200, out);
}

/* The import routes are open to every role that may import something
 * (FOW_PERM_IMPORT_EMPLOYMENT: admin and analyst); import_start lets a role
 * start the kinds whose permission it has (the registry's), and a user
 * without FOW_PERM_IMPORT sees only their own jobs. */
static const http_route routes[] = {
    {.method = "POST", .pattern = "/api/v1/imports/files", .handler = upload_file, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_IMPORT_EMPLOYMENT, .max_body = UPLOAD_MAX, .body_to_file = true},
    {.method = "POST", .pattern = "/api/v1/imports", .handler = import_start, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_IMPORT_EMPLOYMENT, .max_body = 4096, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/imports", .handler = imports_list, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_IMPORT_EMPLOYMENT},
    {.method = "GET", .pattern = "/api/v1/imports/{job}", .handler = import_status, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_IMPORT_EMPLOYMENT},
    {.method = "GET", .pattern = "/api/v1/import-kinds", .handler = import_kinds, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_IMPORT_EMPLOYMENT},
};
HTTP_ROUTE_TABLE(api_admin_routes, routes);
