/* bench_util.h — helpers shared by the benchmark programs (bench_*.c).
 *
 * Header-only (static inline, so a program that does not use a helper does
 * not trip -Wunused-function). Nothing here is part of libfow.
 */
#ifndef FOW_BENCH_UTIL_H
#define FOW_BENCH_UTIL_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/fow_error.h"
#include "store/fow_db.h"
#include "taxonomy/fow_import.h"

/* ---- small helpers ------------------------------------------------------ */

/* malloc that exits on failure (n = 0 allocates 1 byte). */
static inline void *bench_xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return p;
}

/* The next number of the splitmix64 sequence of *state: a fixed,
 * reproducible stream of pseudo-random numbers. */
static inline uint64_t bench_splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* A whole number in lo..hi written as text into *out: 0, or -1 when text
 * is not one. */
static inline int bench_parse_count(const char *text, long lo, long hi, long *out) {
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

/* "met" or "NOT met", for a goal. */
static inline const char *bench_met(int ok) { return ok ? "met" : "NOT met"; }

/* ---- time ------------------------------------------------------------- */

static inline double bench_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static inline long long bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---- statistics ------------------------------------------------------- */

static inline int bench_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts v in place. */
static inline void bench_sort(double *v, size_t n) { qsort(v, n, sizeof *v, bench_cmp_double); }

/* Median of n values (sorts a copy). n must be > 0. */
static inline double bench_median(const double *v, size_t n) {
    double *c = malloc(n * sizeof *c);
    if (!c) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    memcpy(c, v, n * sizeof *c);
    bench_sort(c, n);
    double m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2.0;
    free(c);
    return m;
}

static inline double bench_min(const double *v, size_t n) {
    double m = v[0];
    for (size_t i = 1; i < n; i++)
        if (v[i] < m) m = v[i];
    return m;
}

static inline double bench_max(const double *v, size_t n) {
    double m = v[0];
    for (size_t i = 1; i < n; i++)
        if (v[i] > m) m = v[i];
    return m;
}

/* Percentile p (0..100) of a sorted array, nearest rank. */
static inline double bench_percentile_sorted(const double *sorted, size_t n, double p) {
    if (n == 0) return 0.0;
    size_t rank = (size_t)((p / 100.0) * (double)n + 0.999999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1];
}

/* ---- data location ---------------------------------------------------- */

/* The shared data directory: positional argument > $FOW_SHARED_DATA >
 * "../shared/data". */
static inline const char *bench_data_dir(const char *arg) {
    if (arg && *arg) return arg;
    const char *env = getenv("FOW_SHARED_DATA");
    if (env && *env) return env;
    return "../shared/data";
}

static inline void bench_join(char *out, size_t n, const char *a, const char *b) {
    int w = snprintf(out, n, "%s/%s", a, b);
    if (w < 0 || (size_t)w >= n) {
        fprintf(stderr, "path too long: %s/%s\n", a, b);
        exit(2);
    }
}

static inline int bench_file_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

/* Exits with a message when the reference data is missing. */
static inline void bench_check_data(const char *data) {
    static const char *const files[] = {"esco-1.2.0/occupations.csv", "esco-1.2.0/skills.csv",
                                        "esco-1.2.0/occupation_skills.csv", "risk/mcc_risk_esco.csv",
                                        "occupations/mcc_attributes.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char p[4096];
        bench_join(p, sizeof p, data, files[i]);
        if (!bench_file_exists(p)) {
            fprintf(stderr,
                    "missing %s\n(give the shared data directory as first argument, or set FOW_SHARED_DATA)\n",
                    p);
            exit(2);
        }
    }
}

/* Reads a file once and throws the bytes away, so that every timed run
 * starts with the file in the page cache. */
static inline void bench_warm_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return;
    char buf[1 << 16];
    while (fread(buf, 1, sizeof buf, f) > 0) {
    }
    fclose(f);
}

/* ---- temporary files -------------------------------------------------- */

/* Creates a private temporary directory (in $TMPDIR or /tmp). */
static inline void bench_mkdtemp(char *out, size_t n, const char *prefix) {
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    snprintf(out, n, "%s/%s-XXXXXX", tmp, prefix);
    if (!mkdtemp(out)) {
        fprintf(stderr, "mkdtemp %s: %s\n", out, strerror(errno));
        exit(1);
    }
}

/* Removes a database file and its -wal, -shm and -journal companions. */
static inline void bench_remove_db(const char *path) {
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char p[4200];
        int w = snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
        if (w > 0 && (size_t)w < sizeof p) unlink(p);
    }
}

/* ---- memory ----------------------------------------------------------- */

/* A "VmXXX:   1234 kB" line of /proc/self/status in KiB, or -1. */
static inline long bench_proc_status_kb(const char *key) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    size_t klen = strlen(key);
    long v = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
            v = strtol(line + klen + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return v;
}

/* Peak resident set size of this process in KiB (ru_maxrss). */
static inline long bench_maxrss_kb(void) {
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return -1;
    return ru.ru_maxrss;
}

/* ---- HTTP on the loopback ------------------------------------------------ */

/* One HTTP/1.1 request on a new connection to 127.0.0.1:port (Connection:
 * close), with "Authorization: Bearer token" and json as its body (NULL:
 * an empty one), for the programs that load `fow serve` (bench_enrol,
 * bench_redeem_http). The answer is read into response (at most
 * response_max - 1 bytes: the caller's buffer, one per thread). Returns
 * the status, 0 on a socket error or an answer that is not HTTP; up to
 * cap - 1 bytes of the answer's body into body. */
static inline int bench_http_bearer(int port, const char *token, const char *method, const char *path,
                                    const char *json, char *response, size_t response_max, char *body, size_t cap) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return 0;
    }
    char req[2048];
    int n = snprintf(req, sizeof req,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nConnection: close\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     method, path, token, json ? strlen(json) : 0, json ? json : "");
    if (n < 0 || (size_t)n >= sizeof req || write(fd, req, (size_t)n) != n) {
        close(fd);
        return 0;
    }
    size_t len = 0;
    ssize_t r;
    while (len < response_max - 1 && (r = read(fd, response + len, response_max - 1 - len)) > 0) len += (size_t)r;
    close(fd);
    response[len] = '\0';
    int status = 0;
    if (sscanf(response, "HTTP/1.%*d %d", &status) != 1) return 0;
    const char *b = strstr(response, "\r\n\r\n");
    snprintf(body, cap, "%s", b ? b + 4 : "");
    return status;
}

/* ---- the full import -------------------------------------------------- */

typedef struct bench_import_times {
    double bundle_ms, risk_ms, attributes_ms, total_ms;
} bench_import_times;

static inline void bench_die(const char *what, const fow_error *err) {
    char buf[2048];
    fprintf(stderr, "%s failed: %s\n", what, fow_error_format(err, buf, sizeof buf));
    exit(1);
}

/* Imports ESCO 1.2.0 (bundle), the MCC risk estimates and the MCC
 * attributes from data into a fresh database at db_path, timing each step.
 * total_ms runs from opening the database to closing it. Exits on error. */
static inline void bench_full_import(const char *data, const char *db_path, bench_import_times *t) {
    char esco[4096], risk[4096], attrs[4096];
    bench_join(esco, sizeof esco, data, "esco-1.2.0");
    bench_join(risk, sizeof risk, data, "risk/mcc_risk_esco.csv");
    bench_join(attrs, sizeof attrs, data, "occupations/mcc_attributes.csv");
    fow_error err;
    fow_error_clear(&err);
    static fow_import_report report; /* large: keep it off the stack */
    double t0 = bench_now_ms();
    fow_db *db = NULL;
    if (fow_db_open(&db, db_path, false, &err) != FOW_OK) bench_die("fow_db_open", &err);
    fow_import_options bopt = {0};
    bopt.source_name = "ESCO";
    bopt.version = "1.2.0";
    if (fow_import_bundle(db, esco, &bopt, &report, &err) != FOW_OK) bench_die("fow_import_bundle", &err);
    double t1 = bench_now_ms();
    fow_import_options ropt = {0};
    ropt.model = "mcc";
    if (fow_import_risk(db, risk, &ropt, &report, &err) != FOW_OK) bench_die("fow_import_risk", &err);
    double t2 = bench_now_ms();
    fow_import_options aopt = {0};
    if (fow_import_attributes(db, attrs, &aopt, &report, &err) != FOW_OK)
        bench_die("fow_import_attributes", &err);
    double t3 = bench_now_ms();
    fow_db_close(db);
    double t4 = bench_now_ms();
    if (t) {
        t->bundle_ms = t1 - t0;
        t->risk_ms = t2 - t1;
        t->attributes_ms = t3 - t2;
        t->total_ms = t4 - t0;
    }
}

/* Runs bench_full_import in a child process, so that the import's memory
 * does not count towards this process's peak RSS. Exits on error. */
static inline void bench_full_import_in_child(const char *data, const char *db_path) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid == 0) {
        bench_full_import(data, db_path, NULL);
        _exit(0);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("waitpid");
            exit(1);
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "the import (child process) failed\n");
        exit(1);
    }
}

/* The database a benchmark reads: db_arg when given (data stays NULL), else
 * a fresh import of the data folder (data_arg or the default) into a new
 * temporary folder named after prefix, made by a child process so that its
 * memory does not count towards the benchmark's. Returns the data folder
 * used, or NULL when db_arg was given. */
static inline const char *bench_prepare_db(const char *db_arg, const char *data_arg, const char *prefix,
                                           char *dir, size_t dir_size, char *db_path, size_t db_size) {
    dir[0] = '\0';
    if (db_arg) {
        snprintf(db_path, db_size, "%s", db_arg);
        return NULL;
    }
    const char *data = bench_data_dir(data_arg);
    bench_check_data(data);
    bench_mkdtemp(dir, dir_size, prefix);
    int w = snprintf(db_path, db_size, "%s/fow.db", dir);
    if (w < 0 || (size_t)w >= db_size) {
        fprintf(stderr, "%s: path too long\n", prefix);
        exit(1);
    }
    double t0 = bench_now_ms();
    bench_full_import_in_child(data, db_path);
    fprintf(stderr, "imported into %s in %.0f ms (child process)\n", db_path, bench_now_ms() - t0);
    return data;
}

#endif
