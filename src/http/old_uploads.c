/* old_uploads.c — the upload folders earlier versions of fow serve left
 * in /tmp, removed when provably fow's and unused (old_uploads.h). */
#define _GNU_SOURCE /* statx: a folder's birth time */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/old_uploads.h"

#define FOLDER_PREFIX "fow-uploads-"
#define JOB_PREFIX "fow-job-"
/* how much earlier than every process a folder must have been made: the
 * start times in /proc are in clock ticks after a boot time in whole seconds */
#define START_MARGIN 2.0

/* Whether s is prefix then digits only (at least one) and, when rest is
 * NULL, nothing more; else '-' and anything, rest pointing there. */
static bool numbered(const char *s, const char *prefix, bool then_dash) {
    size_t n = strlen(prefix);
    if (strncmp(s, prefix, n) != 0) return false;
    s += n;
    size_t digits = strspn(s, "0123456789");
    if (digits == 0) return false;
    return then_dash ? s[digits] == '-' : s[digits] == '\0';
}

/* fow-uploads-XXXXXX: the six characters mkdtemp fills in. */
static bool folder_name(const char *s) {
    size_t n = strlen(FOLDER_PREFIX);
    if (strncmp(s, FOLDER_PREFIX, n) != 0 || strlen(s) != n + 6) return false;
    return strspn(s + n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == 6;
}

/* The boot time (seconds since 1970) from proc_dir/stat, or -1. */
static double boot_time(const char *proc_dir) {
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/stat", proc_dir);
    FILE *f = n > 0 && (size_t)n < sizeof path ? fopen(path, "r") : NULL;
    if (!f) return -1;
    char line[512];
    double btime = -1;
    while (fgets(line, sizeof line, f)) {
        long long v;
        if (sscanf(line, "btime %lld", &v) == 1) btime = (double)v;
    }
    fclose(f);
    return btime;
}

/* Whether the process dir (proc_dir/PID) runs with uid as its real or
 * effective uid. */
static bool process_of(const char *dir, uid_t uid) {
    char path[4300];
    int n = snprintf(path, sizeof path, "%s/status", dir);
    FILE *f = n > 0 && (size_t)n < sizeof path ? fopen(path, "r") : NULL;
    if (!f) return false;
    char line[512];
    bool mine = false;
    while (fgets(line, sizeof line, f)) {
        unsigned long real, effective;
        if (sscanf(line, "Uid: %lu %lu", &real, &effective) == 2) {
            mine = real == uid || effective == uid;
            break;
        }
    }
    fclose(f);
    return mine;
}

/* The start of the process dir in clock ticks after boot, or -1. */
static long long start_ticks(const char *dir) {
    char path[4300];
    int n = snprintf(path, sizeof path, "%s/stat", dir);
    FILE *f = n > 0 && (size_t)n < sizeof path ? fopen(path, "r") : NULL;
    if (!f) return -1;
    char line[2048];
    bool got = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    const char *p = got ? strrchr(line, ')') : NULL; /* the command name may hold spaces and ')' */
    if (!p) return -1;
    p++;
    /* after the name: state (field 3) ... starttime (field 22) */
    for (int field = 3; field < 22; field++) {
        p += strspn(p, " ");
        p += strcspn(p, " ");
    }
    char *end;
    long long v = strtoll(p, &end, 10);
    return end == p || v < 0 ? -1 : v;
}

/* The earliest start (seconds since 1970) of the processes of uid in
 * proc_dir, or -1 when it cannot be told. */
static double earliest_start(const char *proc_dir, uid_t uid) {
    double boot = boot_time(proc_dir);
    long ticks = sysconf(_SC_CLK_TCK);
    DIR *d = boot >= 0 && ticks > 0 ? opendir(proc_dir) : NULL;
    if (!d) return -1;
    double earliest = -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strspn(e->d_name, "0123456789") != strlen(e->d_name)) continue;
        char dir[4200];
        int n = snprintf(dir, sizeof dir, "%s/%s", proc_dir, e->d_name);
        if (n < 0 || (size_t)n >= sizeof dir || !process_of(dir, uid)) continue;
        long long t = start_ticks(dir);
        if (t < 0) continue; /* ended meanwhile */
        double start = boot + (double)t / (double)ticks;
        if (earliest < 0 || start < earliest) earliest = start;
    }
    closedir(d);
    return earliest;
}

/* When the entry name of the folder fd was made: its birth time, else the
 * earlier of its change and modification times (both come after its
 * birth); -1 when it cannot be told. */
static double made_at(int fd, const char *name) {
    struct statx sx;
    if (statx(fd, name, AT_SYMLINK_NOFOLLOW, STATX_BTIME | STATX_CTIME | STATX_MTIME, &sx) != 0) return -1;
    if (sx.stx_mask & STATX_BTIME) return (double)sx.stx_btime.tv_sec + (double)sx.stx_btime.tv_nsec / 1e9;
    double c = (double)sx.stx_ctime.tv_sec + (double)sx.stx_ctime.tv_nsec / 1e9;
    double m = (double)sx.stx_mtime.tv_sec + (double)sx.stx_mtime.tv_nsec / 1e9;
    return c < m ? c : m;
}

/* Whether the folder fd (opened without following links) is the user's,
 * mode 0700. */
static bool private_folder(int fd, uid_t uid) {
    struct stat sb;
    return fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode) && sb.st_uid == uid && (sb.st_mode & 07777) == 0700;
}

/* Opens the folder name of the folder parent, not following a link. */
static int open_folder(int parent, const char *name) {
    return openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* Whether the folder fd holds what an old server wrote there (job: the
 * folder of an import job, plain files only; else the uploads folder).
 * With remove, removes it as well (the files, then the job folders); the
 * caller removes the folder itself. */
static bool old_contents(int fd, uid_t uid, bool job, bool remove) {
    int dup_fd = dup(fd);
    DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (!d) {
        if (dup_fd >= 0) close(dup_fd);
        return false;
    }
    rewinddir(d); /* the copy of fd shares its position, maybe at the end from a pass before */
    bool ok = true;
    struct dirent *e;
    while (ok && (e = readdir(d))) {
        const char *name = e->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) continue;
        struct stat sb;
        if (fstatat(fd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
            ok = false;
        } else if (S_ISREG(sb.st_mode) && (job || numbered(name, "u", true))) {
            if (remove) ok = unlinkat(fd, name, 0) == 0;
        } else if (S_ISDIR(sb.st_mode) && !job && numbered(name, JOB_PREFIX, false)) {
            int sub = open_folder(fd, name);
            ok = sub >= 0 && private_folder(sub, uid) && old_contents(sub, uid, true, remove);
            if (sub >= 0) close(sub);
            if (ok && remove) ok = unlinkat(fd, name, AT_REMOVEDIR) == 0;
        } else {
            ok = false;
        }
    }
    closedir(d);
    return ok;
}

int http_remove_old_upload_folders(const char *tmp_dir, const char *proc_dir, int *kept) {
    if (kept) *kept = 0;
    DIR *d = opendir(tmp_dir);
    if (!d) return 0;
    int tmp_fd = dirfd(d);
    uid_t uid = geteuid();
    double earliest = -2; /* not read yet: only when there is a folder to judge */
    int removed = 0, left = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, FOLDER_PREFIX, strlen(FOLDER_PREFIX)) != 0) continue;
        bool gone = false;
        int fd = folder_name(e->d_name) ? open_folder(tmp_fd, e->d_name) : -1;
        if (fd >= 0 && private_folder(fd, uid)) {
            if (earliest == -2) earliest = earliest_start(proc_dir, uid);
            double made = made_at(tmp_fd, e->d_name);
            bool unused = earliest >= 0 && made >= 0 && made + START_MARGIN < earliest;
            /* checked whole before anything is removed: a folder that is not all fow's stays whole */
            if (unused && old_contents(fd, uid, false, false) && old_contents(fd, uid, false, true))
                gone = unlinkat(tmp_fd, e->d_name, AT_REMOVEDIR) == 0;
        }
        if (fd >= 0) close(fd);
        if (gone) removed++;
        else left++;
    }
    closedir(d);
    if (kept) *kept = left;
    return removed;
}
