/* import_jobs.h — the uploads and import jobs of `fow serve`. Files are
 * uploaded one by one into a folder of their own; a job takes some of
 * them, runs the importer of its kind in a background thread (one job at
 * a time), reports its progress, and when it succeeds loads the new engine
 * and swaps it in. The jobs are created with everything they need (the
 * database path and the engine holder), so they never call the server.
 * Internal to src/http; the routes that use them are in api_admin.c.
 *
 * Threads: every function may be called from any request thread; the
 * jobs' state is behind one mutex. */
#ifndef FOW_HTTP_IMPORT_JOBS_H
#define FOW_HTTP_IMPORT_JOBS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"
#include "service/fow_importers.h"

typedef struct http_import_jobs http_import_jobs;

/* Makes the uploads and jobs of a server: its own folder for uploads,
 * server-XXXXXX in <db_path>.uploads (made when missing: the uploads stay
 * on the device of the database, not in /tmp), with a file "lock" in it
 * that the server keeps locked while it runs. First removes what servers
 * that crashed left in <db_path>.uploads: every folder whose lock no
 * running server holds, and every other file. Jobs import into the
 * database at db_path (copied) and swap the engine of engines (which must
 * outlive the jobs). Fails with FOW_EIO (naming the folder) when no folder
 * can be made, FOW_EINPUT when the path is too long, FOW_ENOMEM. */
fow_code http_import_jobs_new(const char *db_path, fow_world_holder *engines, http_import_jobs **out,
                              fow_error *err);

/* Waits for a running job, removes the server's uploads folder, frees.
 * NULL allowed. */
void http_import_jobs_free(http_import_jobs *jobs);

/* The server's own uploads folder (<db>.uploads/server-XXXXXX). */
const char *http_import_jobs_folder(const http_import_jobs *jobs);

/* ---- uploads arriving ------------------------------------------------------ */

/* The most bytes one user of a role may have in uploads, arriving and
 * waiting for an import together. */
#define HTTP_UPLOAD_QUOTA_ADMIN ((long long)2048 * 1024 * 1024)
#define HTTP_UPLOAD_QUOTA_ANALYST ((long long)1024 * 1024 * 1024)

/* The upload quota of role (a fow_role): the ones above, 0 for a role that
 * may not upload. Can't fail. */
long long http_upload_quota(int role);

/* One upload while its body arrives, streamed into a file of the server's
 * uploads folder. Filled by http_upload_begin, ended by http_upload_end. */
typedef struct http_upload {
    int fd;            /* the file being written; -1 when none */
    char path[1100];   /* its path; "" when none */
    long long owner;   /* the user uploading */
    long long quota;   /* their role's quota */
    long long reserved; /* bytes counted against the quota for this upload */
    long long written;
    int error;         /* errno of the failed write, or 0 */
    bool active;
} http_upload;

typedef enum http_upload_outcome {
    HTTP_UPLOAD_OK = 0,
    HTTP_UPLOAD_OVER_QUOTA, /* the user's uploads would exceed their role's quota */
    HTTP_UPLOAD_NO_SPACE,   /* no space left on the device of the uploads folder */
    HTTP_UPLOAD_BUSY,       /* too many users uploading at once */
    HTTP_UPLOAD_FILE_ERROR  /* another error of the file (up->error) */
} http_upload_outcome;

/* Starts an upload by owner (of role) that announced declared bytes (0
 * when unknown, as with chunked bodies): checks the free space of the
 * device and the quota (bytes arriving and waiting of owner, plus
 * declared), reserves declared bytes, and makes the file. On any outcome
 * but OK nothing is reserved and no file is left. */
http_upload_outcome http_upload_begin(http_import_jobs *jobs, long long owner, int role, long long declared,
                                      http_upload *up);

/* Appends n bytes: reserves what goes beyond the reservation first
 * (OVER_QUOTA when that exceeds the quota), then writes (NO_SPACE when the
 * device is full, FILE_ERROR with up->error for other errors). */
http_upload_outcome http_upload_write(http_import_jobs *jobs, http_upload *up, const char *data, size_t n);

/* Closes and removes the file (when still there: a kept upload was moved
 * away by http_import_jobs_keep_upload) and releases the reservation.
 * Safe to call twice and on an upload that never began (fd -1, not active). */
void http_upload_end(http_import_jobs *jobs, http_upload *up);

/* What a call on the jobs came to, for the handler to answer. */
typedef enum http_import_outcome {
    HTTP_IMPORT_OK = 0,
    HTTP_IMPORT_TOO_MANY_UPLOADS, /* the upload list is full */
    HTTP_IMPORT_BUSY,             /* a job is queued or running */
    HTTP_IMPORT_NOT_AN_UPLOAD,    /* an upload id is unknown or another user's (at *bad_upload) */
    HTTP_IMPORT_UPLOAD_LOST,      /* an upload could not be moved (at *bad_upload) */
    HTTP_IMPORT_NO_MEMORY,
    HTTP_IMPORT_FILE_ERROR        /* a file or folder could not be made or moved */
} http_import_outcome;

/* Keeps the file at tmp_path (moved into the uploads folder) as an upload
 * called name, bytes long, belonging to the user owner; *id is its number
 * ("u<id>" to clients). name must already be a safe file name (the
 * handler checks it). Returns HTTP_IMPORT_OK, TOO_MANY_UPLOADS or
 * FILE_ERROR; on failure the file stays at tmp_path. */
http_import_outcome http_import_jobs_keep_upload(http_import_jobs *jobs, const char *name, const char *tmp_path,
                                                 long long bytes, long long owner, unsigned *id);

/* One job to start, as the handler validated it. */
typedef struct http_import_spec {
    const fow_import_settings *settings; /* the kind and its options, checked (copied into the job) */
    long long owner;        /* the user starting it (their uploads only) */
    const char *by;         /* their name, shown in the job's status */
    const char *const *uploads; /* upload ids as clients write them ("u12"); an entry may be NULL (not a string) */
    size_t n_uploads;
} http_import_spec;

/* Starts a job on the uploads of spec (they leave the upload list) in a
 * background thread; *job_id is its number ("j<id>" to clients). Returns
 * HTTP_IMPORT_OK (also when the thread could not start: the job is then
 * listed as failed), BUSY, NOT_AN_UPLOAD or UPLOAD_LOST with *bad_upload
 * the index in spec->uploads, NO_MEMORY, FILE_ERROR. On failure no job is
 * listed. */
http_import_outcome http_import_jobs_start(http_import_jobs *jobs, const http_import_spec *spec, unsigned *job_id,
                                           size_t *bad_upload);

/* The status of the job named id ("j12") as a new JSON object, or NULL
 * when there is no such job or viewer may not see it: a viewer sees their
 * own jobs, and every job when sees_all. */
json_t *http_import_jobs_status(http_import_jobs *jobs, const char *id, long long viewer, bool sees_all);

/* {"imports": [the jobs viewer may see, newest first], "uploads": [viewer's
 * waiting uploads]} as a new JSON object (NULL when out of memory). */
json_t *http_import_jobs_list(http_import_jobs *jobs, long long viewer, bool sees_all);

#endif
