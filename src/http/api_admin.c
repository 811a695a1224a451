/* api_admin.c — imports through the API: files are uploaded one by one
 * (POST /api/v1/imports/files?name=F, the raw file as the body), then an
 * import job is started on them (POST /api/v1/imports) and runs in the
 * background, one at a time; its progress is polled (GET
 * /api/v1/imports/{job}). A finished import swaps the new model in (a new
 * generation, so cached answers are not served again).
 *
 * Who: admins import every kind; analysts import employment only (kind
 * "employment", FOW_PERM_IMPORT_EMPLOYMENT) and see only their own jobs. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "http/auth.h"
#include "taxonomy/fow_import.h"

#define MAX_UPLOADS 256
#define MAX_JOBS 64

typedef struct upload {
    unsigned id;
    char name[128];
    char path[512];
    long long bytes;
    long long owner;
} upload;

typedef enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_FAILED } job_state;

static const char *job_state_name(job_state s) {
    return s == JOB_QUEUED ? "queued" : s == JOB_RUNNING ? "running" : s == JOB_DONE ? "done" : "failed";
}

typedef struct job {
    unsigned id;
    char kind[16];
    char lang[8];
    char model[16];
    char area[101];    /* employment: the area (required) */
    int year;          /* employment: the year of every row (0: the file's year column) */
    bool skip_unknown; /* employment: import the other rows when some codes are unknown */
    bool illustrative; /* employment: invented counts, for a demonstration */
    long long owner;   /* the user who started it */
    char dir[512];     /* bundle / esco: the folder of the files */
    char file[700];    /* risk / attributes / crosswalk: the one file */
    job_state state;
    double progress;   /* 0..1 */
    char stage[160];
    char message[700];
    char *report;      /* JSON text, when done */
    fow_error error;   /* when failed: where (file without the server's folder, line, column, field) */
    long long started_at, finished_at;
    char by[65];
    http_server *server;
} job;

struct http_imports {
    pthread_mutex_t lock;
    char dir[256];
    upload uploads[MAX_UPLOADS];
    int n_uploads;
    unsigned next_id;
    job *jobs[MAX_JOBS];
    int n_jobs;
    pthread_t worker;
    bool worker_running;
};

http_imports *http_imports_new(void) {
    http_imports *im = calloc(1, sizeof *im);
    if (!im) return NULL;
    snprintf(im->dir, sizeof im->dir, "/tmp/fow-uploads-XXXXXX");
    if (!mkdtemp(im->dir)) {
        free(im);
        return NULL;
    }
    pthread_mutex_init(&im->lock, NULL);
    im->next_id = 1;
    return im;
}

/* Removes a folder and the plain files in it. */
static void remove_tree(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char path[1024];
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) remove_tree(path);
        else unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

void http_imports_free(http_imports *im) {
    if (!im) return;
    pthread_mutex_lock(&im->lock);
    bool running = im->worker_running;
    pthread_mutex_unlock(&im->lock);
    if (running) pthread_join(im->worker, NULL);
    for (int i = 0; i < im->n_jobs; i++) {
        free(im->jobs[i]->report);
        free(im->jobs[i]);
    }
    remove_tree(im->dir);
    pthread_mutex_destroy(&im->lock);
    free(im);
}

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

void api_upload(http_request *req, http_response *res) {
    http_imports *im = http_server_imports(req->server);
    const char *name = http_query(req, "name");
    if (!name || !valid_file_name(name)) {
        http_error(res, 400, "name", "name must be the file's name: letters, digits, '.', '_', '-', ending in .csv");
        return;
    }
    if (!req->upload_path || req->body_len == 0) {
        http_error(res, 400, "body", "send the file's bytes as the body");
        return;
    }
    pthread_mutex_lock(&im->lock);
    if (im->n_uploads == MAX_UPLOADS) {
        pthread_mutex_unlock(&im->lock);
        http_error(res, 409, "name", "too many uploads waiting: start an import or restart the server");
        return;
    }
    upload *u = &im->uploads[im->n_uploads];
    u->id = im->next_id++;
    snprintf(u->name, sizeof u->name, "%s", name);
    snprintf(u->path, sizeof u->path, "%s/u%u-%s", im->dir, u->id, name);
    u->bytes = (long long)req->body_len;
    u->owner = req->who.user_id;
    bool ok = rename(req->upload_path, u->path) == 0;
    if (ok) im->n_uploads++;
    unsigned id = u->id;
    pthread_mutex_unlock(&im->lock);
    if (!ok) {
        http_error(res, 500, NULL, "could not keep the upload");
        return;
    }
    char text[32];
    snprintf(text, sizeof text, "u%u", id);
    http_json(res, 201, json_pack("{s:s, s:s, s:I}", "upload", text, "name", name, "bytes", (json_int_t)req->body_len));
}

/* ---- the import worker -------------------------------------------------------- */

static void on_progress(void *ctx, const char *stage, size_t done, size_t total) {
    job *j = ctx;
    http_imports *im = http_server_imports(j->server);
    pthread_mutex_lock(&im->lock);
    /* a stage may be a file of the job's folder: its name is enough */
    const char *slash = stage ? strrchr(stage, '/') : NULL;
    snprintf(j->stage, sizeof j->stage, "%s", slash ? slash + 1 : stage ? stage : "");
    if (total > 0) j->progress = 0.95 * (double)done / (double)total;
    pthread_mutex_unlock(&im->lock);
}

static char *report_json(const fow_import_report *r) {
    json_t *files = json_array(), *notes = json_array();
    for (size_t i = 0; i < r->n_files; i++) {
        const fow_import_file_report *f = &r->files[i];
        const char *slash = strrchr(f->file, '/');
        json_t *reasons = json_array();
        for (size_t k = 0; k < f->n_reasons; k++)
            json_array_append_new(reasons, json_pack("{s:s, s:I}", "reason", f->reasons[k].text, "count",
                                                     (json_int_t)f->reasons[k].count));
        json_array_append_new(files, json_pack("{s:s, s:I, s:I, s:I, s:o}", "file", slash ? slash + 1 : f->file,
                                               "read", (json_int_t)f->rows_read, "imported",
                                               (json_int_t)f->rows_imported, "rejected", (json_int_t)f->rows_rejected,
                                               "reasons", reasons));
    }
    for (size_t i = 0; i < r->n_notes; i++) {
        /* notes name the server's folder: keep what follows it */
        const char *note = r->notes[i], *tail = strstr(note, "fow-job-");
        const char *slash = tail ? strchr(tail, '/') : NULL;
        json_array_append_new(notes, json_string(slash ? slash + 1 : note));
    }
    json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:b, s:o, s:o}", "dataset", r->dataset, "source", r->source_name,
                          "version", r->version, "unchanged", r->unchanged, "replaced", r->replaced, "files", files,
                          "notes", notes);
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return text;
}

static void *import_worker(void *arg) {
    job *j = arg;
    http_server *server = j->server;
    http_imports *im = http_server_imports(server);
    pthread_mutex_lock(&im->lock);
    j->state = JOB_RUNNING;
    j->started_at = (long long)time(NULL);
    pthread_mutex_unlock(&im->lock);

    static __thread fow_import_report report; /* large: off the stack */
    memset(&report, 0, sizeof report);
    fow_error err;
    fow_error_clear(&err);
    fow_import_options opt = {0};
    opt.lang = j->lang[0] ? j->lang : NULL;
    opt.model = j->model[0] ? j->model : NULL;
    opt.progress = on_progress;
    opt.progress_ctx = j;
    opt.area = j->area[0] ? j->area : NULL;
    opt.year = j->year;
    opt.skip_unknown = j->skip_unknown;
    opt.illustrative = j->illustrative;
    fow_db *db;
    fow_code rc = fow_db_open(&db, http_server_db_path(server), false, &err);
    if (!rc) {
        if (strcmp(j->kind, "bundle") == 0) rc = fow_import_bundle(db, j->dir, &opt, &report, &err);
        else if (strcmp(j->kind, "esco") == 0) rc = fow_import_esco(db, j->dir, &opt, &report, &err);
        else if (strcmp(j->kind, "risk") == 0) rc = fow_import_risk(db, j->file, &opt, &report, &err);
        else if (strcmp(j->kind, "attributes") == 0) rc = fow_import_attributes(db, j->file, &opt, &report, &err);
        else if (strcmp(j->kind, "employment") == 0) rc = fow_import_employment(db, j->file, &opt, &report, &err);
        else rc = fow_import_crosswalk(db, j->file, &opt, &report, &err);
        fow_db_close(db);
    }
    if (!rc) {
        pthread_mutex_lock(&im->lock);
        snprintf(j->stage, sizeof j->stage, "loading the new model");
        j->progress = 0.97;
        pthread_mutex_unlock(&im->lock);
        rc = http_engine_reload(http_server_engines(server), http_server_db_path(server), &err);
    }
    char *text = rc ? NULL : report_json(&report);
    char message[700];
    if (rc) {
        /* name the uploaded file, not the server's folder */
        const char *slash = strrchr(err.file, '/');
        if (slash) memmove(err.file, slash + 1, strlen(slash + 1) + 1);
        /* the library names the command line's option; here it is a field */
        char *flag = strstr(err.message, "--skip-unknown");
        if (flag) memmove(flag, flag + 2, strlen(flag + 2) + 1), flag[4] = '_';
        fow_error_format(&err, message, sizeof message);
    }
    pthread_mutex_lock(&im->lock);
    j->state = rc ? JOB_FAILED : JOB_DONE;
    j->progress = 1.0;
    j->report = text;
    if (rc) j->error = err;
    j->finished_at = (long long)time(NULL);
    snprintf(j->message, sizeof j->message, "%s", rc ? message : report.unchanged ? "nothing changed" : "imported");
    snprintf(j->stage, sizeof j->stage, "%s", rc ? "failed" : "done");
    pthread_mutex_unlock(&im->lock);
    remove_tree(j->dir);
    return NULL;
}

static const char *const kinds[] = {"bundle", "esco", "risk", "attributes", "crosswalk", "employment"};

/* Reads the fields of an employment import (area, year, skip_unknown,
 * illustrative) into j, or refuses them for another kind. false after a
 * 400 naming the field. */
static bool employment_fields(json_t *body, bool employment, job *j, http_response *res) {
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
    bool area_ok = text && *text && strlen(text) < sizeof j->area;
    for (const char *p = text; area_ok && *p; p++) area_ok = (unsigned char)*p >= 0x20 && *p != 0x7f;
    if (!area_ok) {
        http_error(res, 400, "area", "an employment import needs area: the place the counts describe (1 to %zu "
                                     "bytes, no control characters), e.g. Cluj-Napoca",
                   sizeof j->area - 1);
        return false;
    }
    snprintf(j->area, sizeof j->area, "%s", text);
    if (year && (!json_is_integer(year) || json_integer_value(year) < 1900 || json_integer_value(year) > 2100)) {
        http_error(res, 400, "year", "year must be a whole number from 1900 to 2100 (or left out when the file "
                                     "has a year column)");
        return false;
    }
    j->year = year ? (int)json_integer_value(year) : 0;
    bool *flags[2] = {&j->skip_unknown, &j->illustrative};
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

/* Whether the caller may see job j: importers of every kind see all jobs,
 * others their own. */
static bool may_see(const http_request *req, const job *j) {
    return fow_role_allows((fow_role)req->who.role, FOW_PERM_IMPORT) || j->owner == req->who.user_id;
}

void api_import_start(http_request *req, http_response *res) {
    http_imports *im = http_server_imports(req->server);
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
    job fields;
    memset(&fields, 0, sizeof fields);
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
    else employment_fields(body, employment, &fields, res);
    if (res->status) {
        json_decref(body);
        return;
    }
    job *j = calloc(1, sizeof *j);
    if (!j) {
        json_decref(body);
        http_error(res, 500, NULL, "out of memory");
        return;
    }
    snprintf(j->kind, sizeof j->kind, "%s", kind);
    snprintf(j->lang, sizeof j->lang, "%s", lang ? lang : "");
    snprintf(j->model, sizeof j->model, "%s", model ? model : "");
    snprintf(j->by, sizeof j->by, "%s", req->who.name);
    snprintf(j->area, sizeof j->area, "%s", fields.area);
    j->year = fields.year;
    j->skip_unknown = fields.skip_unknown;
    j->illustrative = fields.illustrative;
    j->owner = req->who.user_id;
    j->server = req->server;
    pthread_mutex_lock(&im->lock);
    if (im->worker_running && im->n_jobs && im->jobs[im->n_jobs - 1]->state <= JOB_RUNNING) {
        pthread_mutex_unlock(&im->lock);
        free(j);
        json_decref(body);
        http_error(res, 409, "kind", "an import is running: wait until it ends");
        return;
    }
    if (im->worker_running) {
        pthread_join(im->worker, NULL);
        im->worker_running = false;
    }
    if (im->n_jobs == MAX_JOBS) {
        free(im->jobs[0]->report);
        free(im->jobs[0]);
        memmove(im->jobs, im->jobs + 1, (MAX_JOBS - 1) * sizeof *im->jobs);
        im->n_jobs--;
    }
    j->id = im->next_id++;
    snprintf(j->dir, sizeof j->dir, "%s/fow-job-%u", im->dir, j->id);
    bool ok = mkdir(j->dir, 0700) == 0;
    size_t i;
    json_t *id;
    json_array_foreach(files, i, id) {
        const char *text = json_string_value(id);
        int found = -1;
        for (int k = 0; text && k < im->n_uploads; k++) {
            char want[32];
            snprintf(want, sizeof want, "u%u", im->uploads[k].id);
            if (strcmp(want, text) == 0 && im->uploads[k].owner == req->who.user_id) found = k;
        }
        if (found < 0) {
            char field[32];
            snprintf(field, sizeof field, "files[%zu]", i);
            http_error(res, 400, field, "%s is not one of your uploads", text ? text : "this");
            ok = false;
            break;
        }
        upload *u = &im->uploads[found];
        char dest[700];
        snprintf(dest, sizeof dest, "%s/%s", j->dir, u->name);
        if (!folder) snprintf(j->file, sizeof j->file, "%s", dest);
        if (rename(u->path, dest) != 0) {
            http_error(res, 500, NULL, "could not use the upload %s", text);
            ok = false;
            break;
        }
        im->uploads[found] = im->uploads[--im->n_uploads];
    }
    if (!ok) {
        pthread_mutex_unlock(&im->lock);
        remove_tree(j->dir);
        free(j);
        json_decref(body);
        if (!res->status) http_error(res, 500, NULL, "could not prepare the import");
        return;
    }
    im->jobs[im->n_jobs++] = j;
    j->state = JOB_QUEUED;
    snprintf(j->stage, sizeof j->stage, "queued");
    if (pthread_create(&im->worker, NULL, import_worker, j) != 0) {
        j->state = JOB_FAILED;
        snprintf(j->message, sizeof j->message, "could not start the import");
    } else {
        im->worker_running = true;
    }
    unsigned job_id = j->id;
    pthread_mutex_unlock(&im->lock);
    json_decref(body);
    char text[32], where[64];
    snprintf(text, sizeof text, "j%u", job_id);
    snprintf(where, sizeof where, "/api/v1/imports/%s", text);
    http_header(res, "Location", where);
    http_json(res, 202, json_pack("{s:s, s:s}", "job", text, "status", where));
}

static json_t *job_json(const job *j) {
    char id[32];
    snprintf(id, sizeof id, "j%u", j->id);
    json_t *report = j->report ? json_loads(j->report, 0, NULL) : NULL;
    json_t *error = json_null();
    if (j->state == JOB_FAILED && j->error.code) {
        char message[sizeof j->error.message];
        snprintf(message, sizeof message, "%s", j->error.message);
        http_utf8_sanitize(message);
        error = json_pack("{s:s, s:o, s:o, s:o, s:o}", "message", message, "file",
                          j->error.file[0] ? json_string(j->error.file) : json_null(), "line",
                          j->error.line > 0 ? json_integer(j->error.line) : json_null(), "column",
                          j->error.column > 0 ? json_integer(j->error.column) : json_null(), "field",
                          j->error.field[0] ? json_string(j->error.field) : json_null());
    }
    json_t *o = json_pack("{s:s, s:s, s:s, s:f, s:s, s:s, s:o, s:o, s:I, s:I, s:s}", "job", id, "kind", j->kind, "state",
                          job_state_name(j->state), "progress", j->progress, "stage", j->stage, "message", j->message,
                          "report", report ? report : json_null(), "error", error ? error : json_null(), "started_at",
                          (json_int_t)j->started_at, "finished_at", (json_int_t)j->finished_at, "by", j->by);
    if (o && strcmp(j->kind, "employment") == 0)
        json_object_set_new(o, "employment",
                            json_pack("{s:s, s:o, s:b, s:b}", "area", j->area, "year",
                                      j->year ? json_integer(j->year) : json_null(), "skip_unknown", j->skip_unknown,
                                      "illustrative", j->illustrative));
    return o;
}

void api_import_status(http_request *req, http_response *res) {
    http_imports *im = http_server_imports(req->server);
    json_t *out = NULL;
    pthread_mutex_lock(&im->lock);
    for (int i = 0; i < im->n_jobs; i++) {
        char id[32];
        snprintf(id, sizeof id, "j%u", im->jobs[i]->id);
        if (strcmp(id, req->params[0]) == 0 && may_see(req, im->jobs[i])) out = job_json(im->jobs[i]);
    }
    pthread_mutex_unlock(&im->lock);
    res->cacheable = false;
    if (!out) http_error(res, 404, "job", "no import %.40s", req->params[0]);
    else http_json(res, 200, out);
}

void api_imports_list(http_request *req, http_response *res) {
    http_imports *im = http_server_imports(req->server);
    json_t *list = json_array();
    pthread_mutex_lock(&im->lock);
    for (int i = im->n_jobs - 1; i >= 0; i--)
        if (may_see(req, im->jobs[i])) json_array_append_new(list, job_json(im->jobs[i]));
    json_t *uploads = json_array();
    for (int i = 0; i < im->n_uploads; i++)
        if (im->uploads[i].owner == req->who.user_id) {
            char id[32];
            snprintf(id, sizeof id, "u%u", im->uploads[i].id);
            json_array_append_new(uploads, json_pack("{s:s, s:s, s:I}", "upload", id, "name", im->uploads[i].name,
                                                     "bytes", (json_int_t)im->uploads[i].bytes));
        }
    pthread_mutex_unlock(&im->lock);
    res->cacheable = false;
    http_json(res, 200, json_pack("{s:o, s:o}", "imports", list, "uploads", uploads));
}
