/* import_jobs.c — uploads kept in a folder of their own, and import jobs
 * run one at a time in a background thread (import_jobs.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "accounts/fow_accounts.h"
#include "http/import_jobs.h"
#include "service/fow_msg.h"

#define MAX_UPLOADS 256
#define MAX_JOBS 64
#define MAX_UPLOADERS 64 /* users with an upload arriving at one time */

typedef struct upload {
    unsigned id;
    char name[128];
    char path[1200];
    long long bytes;
    long long owner;
} upload;

typedef enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_FAILED } job_state;

static const char *job_state_name(job_state s) {
    return s == JOB_QUEUED ? "queued" : s == JOB_RUNNING ? "running" : s == JOB_DONE ? "done" : "failed";
}

typedef struct job {
    unsigned id;
    fow_import_settings settings; /* the kind and its options, as asked */
    long long owner;   /* the user who started it */
    char dir[1100];    /* bundle / esco: the folder of the files */
    char file[1300];   /* risk / attributes / crosswalk: the one file */
    job_state state;
    double progress;   /* 0..1 */
    char stage[160];
    const char *stage_code;  /* the stage as a message code (import.stage.*) */
    char message[700];
    const char *result_code; /* the message as a message code (import.result.*), NULL while running */
    char *report;      /* JSON text, when done */
    fow_error error;   /* when failed: where (file without the server's folder, line, column, field) */
    long long started_at, finished_at;
    char by[65];
    http_import_jobs *jobs; /* the jobs it belongs to */
} job;

/* The bytes of one user's uploads still arriving (reserved as they come). */
typedef struct uploader {
    long long owner;
    long long arriving;
    int requests;
} uploader;

struct http_import_jobs {
    pthread_mutex_t lock;
    char *db_path;
    fow_world_holder *engines;
    char dir[1024];  /* <db>.uploads/server-XXXXXX: this server's own folder */
    int lock_fd;     /* dir/lock, held (flock) while the server runs */
    uploader uploaders[MAX_UPLOADERS];
    upload uploads[MAX_UPLOADS];
    int n_uploads;
    unsigned next_id;
    job *jobs[MAX_JOBS];
    int n_jobs;
    pthread_t worker;
    bool worker_running;
};

/* Removes a folder and the plain files in it. */
static void remove_tree(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char path[2048];
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

/* Removes what crashed servers left in root (<db>.uploads): each server's
 * folder holds a file "lock" that the server keeps locked (flock) while it
 * runs, so a folder whose lock can be taken (or that has none) belongs to
 * no running server. Other files in root are removed too. */
static void remove_leftovers(const char *root) {
    DIR *d = opendir(root);
    if (!d) return;
    struct dirent *e;
    char path[8192];
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(path, sizeof path, "%s/%s", root, e->d_name);
        struct stat sb;
        if (lstat(path, &sb) != 0) continue;
        if (!S_ISDIR(sb.st_mode)) {
            unlink(path);
            continue;
        }
        char lock_path[8200];
        snprintf(lock_path, sizeof lock_path, "%s/lock", path);
        int fd = open(lock_path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
        bool unused = fd < 0 || flock(fd, LOCK_EX | LOCK_NB) == 0;
        if (unused) remove_tree(path);
        if (fd >= 0) close(fd);
    }
    closedir(d);
}

fow_code http_import_jobs_new(const char *db_path, fow_world_holder *engines, http_import_jobs **out,
                              fow_error *err) {
    *out = NULL;
    http_import_jobs *im = calloc(1, sizeof *im);
    if (im) im->db_path = strdup(db_path);
    if (!im || !im->db_path) {
        free(im);
        return fow_error_set(err, FOW_ENOMEM, "out of memory");
    }
    im->lock_fd = -1;
    char root[sizeof im->dir - 32];
    int n = snprintf(root, sizeof root, "%s.uploads", db_path);
    if (n < 0 || (size_t)n >= sizeof root) {
        free(im->db_path);
        free(im);
        return fow_error_set(err, FOW_EINPUT, "the database's path is too long for its uploads folder");
    }
    if (mkdir(root, 0700) != 0 && errno != EEXIST) {
        int e = errno;
        free(im->db_path);
        free(im);
        return fow_error_set_at(err, FOW_EIO, root, 0, 0, NULL, "cannot make the uploads folder: %s", strerror(e));
    }
    remove_leftovers(root);
    snprintf(im->dir, sizeof im->dir, "%s/server-XXXXXX", root);
    char lock_path[sizeof im->dir + 8];
    if (mkdtemp(im->dir)) snprintf(lock_path, sizeof lock_path, "%s/lock", im->dir);
    else im->dir[0] = '\0';
    if (im->dir[0]) im->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (im->lock_fd < 0 || flock(im->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        if (im->lock_fd >= 0) close(im->lock_fd);
        if (im->dir[0]) remove_tree(im->dir);
        free(im->db_path);
        free(im);
        return fow_error_set_at(err, FOW_EIO, root, 0, 0, NULL, "cannot make a folder for uploads in it: %s",
                                strerror(e));
    }
    pthread_mutex_init(&im->lock, NULL);
    im->engines = engines;
    im->next_id = 1;
    *out = im;
    return FOW_OK;
}

void http_import_jobs_free(http_import_jobs *im) {
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
    close(im->lock_fd);
    pthread_mutex_destroy(&im->lock);
    free(im->db_path);
    free(im);
}

const char *http_import_jobs_folder(const http_import_jobs *im) { return im->dir; }

long long http_upload_quota(int role) {
    switch ((fow_role)role) {
    case FOW_ROLE_ADMIN: return HTTP_UPLOAD_QUOTA_ADMIN;
    case FOW_ROLE_ANALYST: return HTTP_UPLOAD_QUOTA_ANALYST;
    default: return 0;
    }
}

/* The bytes owner has waiting in the upload list. Called with the lock held. */
static long long stored_bytes(const http_import_jobs *im, long long owner) {
    long long total = 0;
    for (int i = 0; i < im->n_uploads; i++)
        if (im->uploads[i].owner == owner) total += im->uploads[i].bytes;
    return total;
}

/* owner's entry in im->uploaders, made when make is set; NULL when none
 * (or the table is full). Called with the lock held. */
static uploader *find_uploader(http_import_jobs *im, long long owner, bool make) {
    uploader *free_slot = NULL;
    for (int i = 0; i < MAX_UPLOADERS; i++) {
        if (im->uploaders[i].requests > 0 && im->uploaders[i].owner == owner) return &im->uploaders[i];
        if (!free_slot && im->uploaders[i].requests == 0) free_slot = &im->uploaders[i];
    }
    if (!make || !free_slot) return NULL;
    *free_slot = (uploader){owner, 0, 0};
    return free_slot;
}

http_upload_outcome http_upload_begin(http_import_jobs *im, long long owner, int role, long long declared,
                                      http_upload *up) {
    memset(up, 0, sizeof *up);
    up->fd = -1;
    up->owner = owner;
    up->quota = http_upload_quota(role);
    if (declared < 0) declared = 0;
    /* a body larger than the free space fails at once, naming the cause */
    struct statvfs vfs;
    if (declared > 0 && statvfs(im->dir, &vfs) == 0 && (unsigned long long)declared > (unsigned long long)vfs.f_bavail * vfs.f_frsize)
        return HTTP_UPLOAD_NO_SPACE;
    pthread_mutex_lock(&im->lock);
    uploader *u = find_uploader(im, owner, true);
    http_upload_outcome outcome = HTTP_UPLOAD_OK;
    if (!u) outcome = HTTP_UPLOAD_BUSY;
    else if (u->arriving + stored_bytes(im, owner) + declared > up->quota) outcome = HTTP_UPLOAD_OVER_QUOTA;
    if (outcome == HTTP_UPLOAD_OK) {
        u->requests++;
        u->arriving += declared;
        up->reserved = declared;
        up->active = true;
    }
    pthread_mutex_unlock(&im->lock);
    if (outcome != HTTP_UPLOAD_OK) return outcome;
    snprintf(up->path, sizeof up->path, "%s/incoming-XXXXXX", im->dir);
    up->fd = mkstemp(up->path);
    if (up->fd < 0) {
        int e = errno;
        up->path[0] = '\0';
        http_upload_end(im, up);
        up->error = e;
        return e == ENOSPC || e == EDQUOT ? HTTP_UPLOAD_NO_SPACE : HTTP_UPLOAD_FILE_ERROR;
    }
    return HTTP_UPLOAD_OK;
}

http_upload_outcome http_upload_write(http_import_jobs *im, http_upload *up, const char *data, size_t n) {
    if (!up->active || up->fd < 0) return HTTP_UPLOAD_FILE_ERROR;
    long long after = up->written + (long long)n;
    if (after > up->reserved) {
        /* no Content-Length (chunked), or more than it said: reserve the rest as it comes */
        pthread_mutex_lock(&im->lock);
        uploader *u = find_uploader(im, up->owner, false);
        long long more = after - up->reserved;
        bool ok = u && u->arriving + stored_bytes(im, up->owner) + more <= up->quota;
        if (ok) u->arriving += more, up->reserved = after;
        pthread_mutex_unlock(&im->lock);
        if (!ok) return HTTP_UPLOAD_OVER_QUOTA;
    }
    while (n > 0) {
        ssize_t w = write(up->fd, data, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            up->error = w < 0 ? errno : ENOSPC;
            return up->error == ENOSPC || up->error == EDQUOT ? HTTP_UPLOAD_NO_SPACE : HTTP_UPLOAD_FILE_ERROR;
        }
        data += w, n -= (size_t)w, up->written += w;
    }
    return HTTP_UPLOAD_OK;
}

void http_upload_end(http_import_jobs *im, http_upload *up) {
    if (up->fd >= 0) {
        /* only the file this upload wrote: a kept one was moved away, and its name may be another's now */
        struct stat by_fd, by_path;
        if (up->path[0] && fstat(up->fd, &by_fd) == 0 && stat(up->path, &by_path) == 0 &&
            by_fd.st_ino == by_path.st_ino && by_fd.st_dev == by_path.st_dev)
            unlink(up->path);
        close(up->fd);
    } else if (up->path[0]) {
        unlink(up->path);
    }
    up->fd = -1;
    up->path[0] = '\0';
    if (!up->active) return;
    pthread_mutex_lock(&im->lock);
    uploader *u = find_uploader(im, up->owner, false);
    if (u) {
        u->arriving -= up->reserved;
        u->requests--;
    }
    pthread_mutex_unlock(&im->lock);
    up->active = false;
    up->reserved = 0;
}

http_import_outcome http_import_jobs_keep_upload(http_import_jobs *im, const char *name, const char *tmp_path,
                                                 long long bytes, long long owner, unsigned *id) {
    pthread_mutex_lock(&im->lock);
    if (im->n_uploads == MAX_UPLOADS) {
        pthread_mutex_unlock(&im->lock);
        return HTTP_IMPORT_TOO_MANY_UPLOADS;
    }
    upload *u = &im->uploads[im->n_uploads];
    u->id = im->next_id++;
    snprintf(u->name, sizeof u->name, "%s", name);
    snprintf(u->path, sizeof u->path, "%s/u%u-%s", im->dir, u->id, name);
    u->bytes = bytes;
    u->owner = owner;
    bool ok = rename(tmp_path, u->path) == 0;
    if (ok) im->n_uploads++;
    *id = u->id;
    pthread_mutex_unlock(&im->lock);
    return ok ? HTTP_IMPORT_OK : HTTP_IMPORT_FILE_ERROR;
}

/* ---- the import worker -------------------------------------------------------- */

static void on_progress(void *ctx, const char *stage, size_t done, size_t total) {
    job *j = ctx;
    http_import_jobs *im = j->jobs;
    pthread_mutex_lock(&im->lock);
    /* a stage may be a file of the job's folder: its name is enough */
    const char *slash = stage ? strrchr(stage, '/') : NULL;
    snprintf(j->stage, sizeof j->stage, "%s", slash ? slash + 1 : stage ? stage : "");
    size_t len = strlen(j->stage);
    j->stage_code = slash || (len > 4 && strcmp(j->stage + len - 4, ".csv") == 0) ? "import.stage.reading"
                    : strcmp(j->stage, "writing relations") == 0            ? "import.stage.writing_relations"
                                                                            : "import.stage.other";
    if (total > 0) j->progress = 0.95 * (double)done / (double)total;
    pthread_mutex_unlock(&im->lock);
}

static void *import_worker(void *arg) {
    job *j = arg;
    http_import_jobs *im = j->jobs;
    pthread_mutex_lock(&im->lock);
    j->state = JOB_RUNNING;
    j->started_at = (long long)time(NULL);
    pthread_mutex_unlock(&im->lock);

    static __thread fow_import_report report; /* large: off the stack */
    memset(&report, 0, sizeof report);
    fow_error err;
    fow_error_clear(&err);
    fow_db *db;
    fow_code rc = fow_db_open(&db, im->db_path, false, &err);
    if (!rc) {
        const char *path = j->settings.kind->input == FOW_IMPORT_FOLDER ? j->dir : j->file;
        rc = fow_import_run(db, &j->settings, path, on_progress, j, &report, &err);
        fow_db_close(db);
    }
    if (!rc) {
        pthread_mutex_lock(&im->lock);
        snprintf(j->stage, sizeof j->stage, "loading the new model");
        j->stage_code = "import.stage.loading_model";
        j->progress = 0.97;
        pthread_mutex_unlock(&im->lock);
        rc = http_engine_reload(im->engines, im->db_path, &err);
    }
    char *text = NULL;
    if (!rc) {
        /* the report names the uploaded files, not the server's folder */
        json_t *json = fow_import_report_json(j->settings.kind->name, &report, j->dir);
        text = json ? json_dumps(json, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(json);
    }
    char message[700];
    if (rc) {
        /* the error names the uploaded file, not the server's folder */
        const char *slash = strrchr(err.file, '/');
        if (slash) {
            char name[sizeof err.file];
            snprintf(name, sizeof name, "%s", slash + 1);
            snprintf(err.file, sizeof err.file, "%s", name);
        }
        fow_error_format(&err, message, sizeof message);
    }
    pthread_mutex_lock(&im->lock);
    j->state = rc ? JOB_FAILED : JOB_DONE;
    j->progress = 1.0;
    j->report = text;
    if (rc) j->error = err;
    j->finished_at = (long long)time(NULL);
    const char *outcome = rc                           ? message
                          : report.description_updated ? "the same data: only the source's description was updated"
                          : report.unchanged           ? "nothing changed"
                                                       : "imported";
    snprintf(j->message, sizeof j->message, "%s", outcome);
    j->result_code = rc                           ? "import.result.failed"
                     : report.description_updated ? "import.result.description_updated"
                     : report.unchanged           ? "import.result.unchanged"
                                                  : "import.result.imported";
    snprintf(j->stage, sizeof j->stage, "%s", rc ? "failed" : "done");
    j->stage_code = rc ? "import.stage.failed" : "import.stage.done";
    pthread_mutex_unlock(&im->lock);
    remove_tree(j->dir);
    return NULL;
}

/* The index in im->uploads of the upload named text ("u12") that belongs
 * to owner, or -1. Called with the lock held. */
static int find_upload(const http_import_jobs *im, const char *text, long long owner) {
    for (int k = 0; text && k < im->n_uploads; k++) {
        char want[32];
        snprintf(want, sizeof want, "u%u", im->uploads[k].id);
        if (strcmp(want, text) == 0 && im->uploads[k].owner == owner) return k;
    }
    return -1;
}

http_import_outcome http_import_jobs_start(http_import_jobs *im, const http_import_spec *spec, unsigned *job_id,
                                           size_t *bad_upload) {
    *job_id = 0;
    *bad_upload = 0;
    job *j = calloc(1, sizeof *j);
    if (!j) return HTTP_IMPORT_NO_MEMORY;
    j->settings = *spec->settings;
    snprintf(j->by, sizeof j->by, "%s", spec->by ? spec->by : "");
    j->owner = spec->owner;
    j->jobs = im;
    pthread_mutex_lock(&im->lock);
    if (im->worker_running && im->n_jobs && im->jobs[im->n_jobs - 1]->state <= JOB_RUNNING) {
        pthread_mutex_unlock(&im->lock);
        free(j);
        return HTTP_IMPORT_BUSY;
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
    http_import_outcome outcome = mkdir(j->dir, 0700) == 0 ? HTTP_IMPORT_OK : HTTP_IMPORT_FILE_ERROR;
    for (size_t i = 0; outcome == HTTP_IMPORT_OK && i < spec->n_uploads; i++) {
        int found = find_upload(im, spec->uploads[i], spec->owner);
        if (found < 0) {
            outcome = HTTP_IMPORT_NOT_AN_UPLOAD;
            *bad_upload = i;
            break;
        }
        upload *u = &im->uploads[found];
        char dest[1300];
        snprintf(dest, sizeof dest, "%s/%s", j->dir, u->name);
        if (j->settings.kind->input == FOW_IMPORT_FILE) snprintf(j->file, sizeof j->file, "%s", dest);
        if (rename(u->path, dest) != 0) {
            outcome = HTTP_IMPORT_UPLOAD_LOST;
            *bad_upload = i;
            break;
        }
        im->uploads[found] = im->uploads[--im->n_uploads];
    }
    if (outcome != HTTP_IMPORT_OK) {
        pthread_mutex_unlock(&im->lock);
        remove_tree(j->dir);
        free(j);
        return outcome;
    }
    im->jobs[im->n_jobs++] = j;
    j->state = JOB_QUEUED;
    snprintf(j->stage, sizeof j->stage, "queued");
    j->stage_code = "import.stage.queued";
    if (pthread_create(&im->worker, NULL, import_worker, j) != 0) {
        j->state = JOB_FAILED;
        snprintf(j->message, sizeof j->message, "could not start the import");
        j->result_code = "import.result.not_started";
        j->stage_code = "import.stage.failed";
    } else {
        im->worker_running = true;
    }
    *job_id = j->id;
    pthread_mutex_unlock(&im->lock);
    return HTTP_IMPORT_OK;
}

/* ---- status ------------------------------------------------------------------ */

/* The job's stage and outcome as messages (fow_msg.h): the stage names
 * the file being read; a failure names where (file, line, column, field)
 * with the library's English message as its text. */
static json_t *job_stage_message(const job *j) {
    const char *code = j->stage_code ? j->stage_code : "import.stage.other";
    fow_msg_param p[] = {FOW_MSG_S(strcmp(code, "import.stage.reading") == 0 ? "file" : "stage", j->stage)};
    return fow_msg_json(code, j->stage, p, 1);
}

static json_t *job_result_message(const job *j, const char *message) {
    if (!j->result_code) return json_null();
    if (strcmp(j->result_code, "import.result.failed") != 0) return fow_msg_json(j->result_code, message, NULL, 0);
    const fow_error *e = &j->error;
    char detail[sizeof j->message]; /* valid UTF-8, as the error's own message in job_json */
    snprintf(detail, sizeof detail, "%s", e->message[0] ? e->message : message);
    http_utf8_sanitize(detail);
    fow_msg_param p[] = {
        FOW_MSG_S("file", e->file[0] ? e->file : NULL),
        e->line > 0 ? FOW_MSG_I("line", e->line) : FOW_MSG_S("line", NULL),
        e->column > 0 ? FOW_MSG_I("column", e->column) : FOW_MSG_S("column", NULL),
        FOW_MSG_S("field", e->field[0] ? e->field : NULL),
        FOW_MSG_S("detail", detail),
    };
    return fow_msg_json(j->result_code, message, p, sizeof p / sizeof p[0]);
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
    json_t *options = fow_import_settings_json(&j->settings);
    char message[sizeof j->message];
    snprintf(message, sizeof message, "%s", j->message);
    http_utf8_sanitize(message);
    json_t *stage_message = job_stage_message(j), *result_message = job_result_message(j, message);
    return json_pack("{s:s, s:s, s:o, s:s, s:f, s:s, s:o, s:s, s:o, s:o, s:o, s:I, s:I, s:s}", "job", id, "kind",
                     j->settings.kind->name, "options", options ? options : json_null(), "state",
                     job_state_name(j->state), "progress", j->progress, "stage", j->stage, "stage_message",
                     stage_message ? stage_message : json_null(), "message", message, "result_message",
                     result_message ? result_message : json_null(), "report", report ? report : json_null(),
                     "error", error ? error : json_null(), "started_at", (json_int_t)j->started_at, "finished_at",
                     (json_int_t)j->finished_at, "by", j->by);
}

/* Whether viewer may see job j: their own jobs, every job when sees_all. */
static bool may_see(const job *j, long long viewer, bool sees_all) { return sees_all || j->owner == viewer; }

json_t *http_import_jobs_status(http_import_jobs *im, const char *id, long long viewer, bool sees_all) {
    json_t *out = NULL;
    pthread_mutex_lock(&im->lock);
    for (int i = 0; i < im->n_jobs; i++) {
        char text[32];
        snprintf(text, sizeof text, "j%u", im->jobs[i]->id);
        if (strcmp(text, id) == 0 && may_see(im->jobs[i], viewer, sees_all)) out = job_json(im->jobs[i]);
    }
    pthread_mutex_unlock(&im->lock);
    return out;
}

json_t *http_import_jobs_list(http_import_jobs *im, long long viewer, bool sees_all) {
    json_t *list = json_array();
    pthread_mutex_lock(&im->lock);
    for (int i = im->n_jobs - 1; i >= 0; i--)
        if (may_see(im->jobs[i], viewer, sees_all)) json_array_append_new(list, job_json(im->jobs[i]));
    json_t *uploads = json_array();
    for (int i = 0; i < im->n_uploads; i++)
        if (im->uploads[i].owner == viewer) {
            char id[32];
            snprintf(id, sizeof id, "u%u", im->uploads[i].id);
            json_array_append_new(uploads, json_pack("{s:s, s:s, s:I}", "upload", id, "name", im->uploads[i].name,
                                                     "bytes", (json_int_t)im->uploads[i].bytes));
        }
    pthread_mutex_unlock(&im->lock);
    return json_pack("{s:o, s:o}", "imports", list, "uploads", uploads);
}
