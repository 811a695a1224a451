/* bench_lab_availability.c — availability of the labs (issue 15's benchmark):
 * one machine over a year of daily slots and every resource of a lab over a
 * month, in process and over HTTP against `fow serve`, with peers measured in
 * the same run.
 *
 *   bench_lab_availability [--fow PATH] [--demo DIR] [--rounds R] [--keep]
 *
 * Builds a temporary database: the demo taxonomy (so that `fow serve` has a
 * world), a lab of 6 machines (60-minute slots, Mon-Fri 09:00-18:00, Sat
 * 10:00-14:00), the Romanian public holidays of 2026-2027
 * (data/holidays-ro.csv), a maintenance window a month per machine, and for
 * every open day of 2027 three bookings per machine (09:00-11:00,
 * 13:00-14:00, 15:00-17:00), all written through fow_lab_book. Then R rounds
 * (default 30), interleaved so that every measure of a round sees the same
 * load of the machine:
 *   year        fow_lab_availability_write of one machine, 2027-01-01..12-31
 *   year, a new connection  the same as the server answers it: a new
 *               connection opened (schema read, cold page cache), then closed
 *   per-day     the naive peer: the same year asked day by day (365 calls,
 *               each with its own queries), summed
 *   sql-range   the floor: one plain SQL range query of that machine's
 *               bookings over the year (prepare, step every row), no grid
 *   lab-month   fow_lab_availability_lab_write of the lab, 2027-03-01..31
 *   http-year, http-lab-month  the same two over HTTP (a new connection each,
 *               Connection: close), when --fow is given: GET
 *               /api/v1/lab-resources/{r}/availability and
 *               /api/v1/labs/{lab}/availability
 *   http-health the peer of the HTTP layer: GET /healthz
 * Prints p50 and p99 (milliseconds) of each, and the ratios; the goal is
 * under 10 ms over HTTP. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "accounts/fow_accounts.h"
#include "bench_util.h"
#include "labs/fow_bookings.h"
#include "labs/fow_lab_time.h"
#include "labs/fow_labs.h"

#define MACHINES 6
#define BENCH_NOW 1796000000LL /* 2026-11-30: the availability is read as of then (offers of the waiting list) */
#define MAX_ROUNDS 200
#define RESPONSE_MAX (4 << 20)

__attribute__((noreturn)) static void die(const char *what, const fow_error *err) {
    fprintf(stderr, "bench_lab_availability: %s: %s\n", what, err ? err->message : "");
    exit(2);
}

/* ---- the database ---- */

static void build(fow_db *db, const char *holidays_csv, int *bookings) {
    fow_error err;
    fow_error_clear(&err);
    const long long now = 1796000000LL; /* 2026-11-30: every booking of 2027 is ahead */
    fow_lab_input lab = {.code = "bench-lab", .name_en = "Bench lab", .name_ro = "Laborator de test",
                         .cancel_deadline_hours = -1, .late_cancel_fee_percent = -1, .offer_hours = -1};
    if (fow_lab_add(db, &lab, now, NULL, &err)) die("adding the lab", &err);
    fow_lab_hours hours[6];
    for (int d = 1; d <= 5; d++) hours[d - 1] = (fow_lab_hours){d, 9 * 60, 18 * 60};
    hours[5] = (fow_lab_hours){6, 10 * 60, 14 * 60};
    if (fow_lab_hours_set(db, "bench-lab", hours, 6, &err)) die("opening hours", &err);
    if (holidays_csv && fow_lab_holidays_import(db, holidays_csv, NULL, &err)) die("holidays", &err);
    fow_lab_price price = {FOW_LAB_SCHOOL, 0, "RON"};
    for (int m = 0; m < MACHINES; m++) {
        char code[32];
        snprintf(code, sizeof code, "machine-%d", m + 1);
        fow_lab_resource_input r = {.code = code, .kind = "machine", .name_en = code, .name_ro = code, .capacity = 1,
                                    .slot_minutes = 60, .max_slots = 4, .active = 1};
        if (fow_lab_resource_add(db, "bench-lab", &r, now, NULL, &err)) die("adding a machine", &err);
        if (fow_lab_prices_set(db, code, &price, 1, &err)) die("prices", &err);
        for (int month = 1; month <= 12; month++) {
            fow_lab_local a = {2027, month, 20, 9, 0}, b = {2027, month, 20, 12, 0};
            int64_t from = 0, to = 0;
            if (fow_lab_local_to_utc(&a, "start", &from, &err) || fow_lab_local_to_utc(&b, "end", &to, &err))
                die("a maintenance window", &err);
            if (fow_lab_closure_add(db, "bench-lab", "maintenance", code, from, to, "service", "bench", now, NULL,
                                    &err))
                die("a maintenance window", &err);
        }
    }
    *bookings = 0;
    fow_lab_actor who = {.account = "bench", .role = FOW_ROLE_ADMIN, .person_id = "paaaaaaaaaaaaaaaaaaaaaaaaaa"};
    static const int starts[3][2] = {{9, 120}, {13, 60}, {15, 120}};
    for (int64_t day = fow_lab_days_from_date(2027, 1, 1); day <= fow_lab_days_from_date(2027, 12, 31); day++) {
        int y, mo, d;
        fow_lab_date_from_days(day, &y, &mo, &d);
        int weekday = fow_lab_weekday(y, mo, d);
        if (weekday > 5) continue;
        for (int m = 0; m < MACHINES; m++)
            for (int k = 0; k < 3; k++) {
                char code[32], start[24];
                snprintf(code, sizeof code, "machine-%d", m + 1);
                snprintf(start, sizeof start, "%04d-%02d-%02dT%02d:00", y, mo, d, starts[k][0]);
                fow_lab_booking_in in = {.resource = code, .start = start, .minutes = starts[k][1],
                                         .category = "school", .payment = "free"};
                fow_lab_booking b;
                fow_lab_refusal why;
                if (fow_lab_book(db, NULL, &who, &in, now, &b, NULL, &why, &err) == FOW_OK) (*bookings)++;
                else if (!why.code[0]) die("a booking", &err);
            }
    }
}

/* ---- HTTP ---- */

static int g_port;
static char *g_body;

static int http_get(const char *path, size_t *len) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)g_port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return 0;
    }
    char req[512];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path);
    if (write(fd, req, (size_t)n) != n) {
        close(fd);
        return 0;
    }
    size_t got = 0;
    ssize_t r;
    while (got < RESPONSE_MAX - 1 && (r = read(fd, g_body + got, RESPONSE_MAX - 1 - got)) > 0) got += (size_t)r;
    close(fd);
    g_body[got] = 0;
    *len = got;
    int status = 0;
    if (sscanf(g_body, "HTTP/1.%*d %d", &status) != 1) return 0;
    return status;
}

static pid_t start_server(const char *fow, const char *db) {
    int out[2];
    if (pipe(out) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        execl(fow, fow, "--db", db, "serve", "--listen", "127.0.0.1:0", "--rate-limit", "0", "--access-log", "none",
              (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    FILE *f = fdopen(out[0], "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        const char *p = strstr(line, "http://127.0.0.1:");
        if (p) {
            g_port = atoi(p + strlen("http://127.0.0.1:"));
            break;
        }
    }
    return g_port ? pid : -1;
}

/* ---- measures ---- */

enum { YEAR, YEAR_FRESH, PER_DAY, SQL_RANGE, LAB_MONTH, HTTP_YEAR, HTTP_LAB_MONTH, HTTP_HEALTH, MEASURES };
static const char *const names[MEASURES] = {"year (in process)", "year, a new connection",
                                            "per-day peer (365 calls)", "sql-range peer",
                                            "lab-month (in process)", "http-year", "http-lab-month",
                                            "http-health peer"};

static double time_year(fow_db *db, size_t *bytes) {
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_error err;
    double t0 = bench_now_ms();
    if (fow_lab_availability_write(db, "machine-1", "2027-01-01", "2027-12-31", BENCH_NOW, NULL, &w, &err)) die("availability", &err);
    double t = bench_now_ms() - t0;
    fow_jw_text(&w, bytes);
    fow_jw_free(&w);
    return t;
}

/* As the server answers a request: a new connection, the year, closed. */
static double time_year_fresh(const char *path) {
    fow_db *db;
    fow_error err;
    double t0 = bench_now_ms();
    if (fow_db_open(&db, path, true, &err)) die("opening", &err);
    fow_jw w;
    fow_jw_init(&w, 0);
    if (fow_lab_availability_write(db, "machine-1", "2027-01-01", "2027-12-31", BENCH_NOW, NULL, &w, &err)) die("availability", &err);
    fow_jw_free(&w);
    fow_db_close(db);
    return bench_now_ms() - t0;
}

static double time_per_day(fow_db *db) {
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_error err;
    double t0 = bench_now_ms();
    for (int64_t day = fow_lab_days_from_date(2027, 1, 1); day <= fow_lab_days_from_date(2027, 12, 31); day++) {
        int y, m, d;
        fow_lab_date_from_days(day, &y, &m, &d);
        char date[11];
        snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
        fow_jw_reset(&w);
        if (fow_lab_availability_write(db, "machine-1", date, date, BENCH_NOW, NULL, &w, &err)) die("availability", &err);
    }
    double t = bench_now_ms() - t0;
    fow_jw_free(&w);
    return t;
}

static double time_sql(sqlite3 *sql, int64_t from, int64_t to, int *rows) {
    double t0 = bench_now_ms();
    sqlite3_stmt *st;
    sqlite3_prepare_v2(sql,
                       "SELECT b.starts_at, b.ends_at FROM lab_bookings b JOIN lab_resources r ON r.id = "
                       "b.resource_id WHERE r.code = 'machine-1' AND b.starts_at < ?2 AND b.ends_at > ?1 AND "
                       "b.status <> 'cancelled' ORDER BY b.starts_at",
                       -1, &st, NULL);
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    int n = 0;
    long long sum = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        sum += sqlite3_column_int64(st, 0);
        n++;
    }
    sqlite3_finalize(st);
    *rows = n + (int)(sum & 0);
    return bench_now_ms() - t0;
}

static double time_lab_month(fow_db *db) {
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_error err;
    double t0 = bench_now_ms();
    if (fow_lab_availability_lab_write(db, "bench-lab", "2027-03-01", "2027-03-31", BENCH_NOW, NULL, &w, &err)) die("lab", &err);
    double t = bench_now_ms() - t0;
    fow_jw_free(&w);
    return t;
}

static double time_http(const char *path, size_t *len) {
    double t0 = bench_now_ms();
    int status = http_get(path, len);
    double t = bench_now_ms() - t0;
    if (status != 200) {
        fprintf(stderr, "bench_lab_availability: GET %s answered %d\n", path, status);
        exit(1);
    }
    return t;
}

int main(int argc, char **argv) {
    const char *fow = NULL, *demo = "data/demo";
    long rounds = 30;
    bool keep = false; /* --keep: leave the database (its path printed) for other tools */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--fow") == 0 && i + 1 < argc) fow = argv[++i];
        else if (strcmp(argv[i], "--demo") == 0 && i + 1 < argc) demo = argv[++i];
        else if (strcmp(argv[i], "--keep") == 0) keep = true;
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 1, MAX_ROUNDS, &rounds)) {
                fprintf(stderr, "--rounds is 1..%d\n", MAX_ROUNDS);
                return 2;
            }
        } else {
            fprintf(stderr, "usage: bench_lab_availability [--fow PATH] [--demo DIR] [--rounds R]\n");
            return 2;
        }
    }
    char dir[] = "/tmp/fow-bench-labs-XXXXXX";
    if (!mkdtemp(dir)) return 2;
    char path[256], holidays[1024];
    snprintf(path, sizeof path, "%s/bench.db", dir);
    snprintf(holidays, sizeof holidays, "%s/../holidays-ro.csv", demo);
    fow_db *db;
    fow_error err;
    fow_error_clear(&err);
    if (fow_db_open(&db, path, false, &err)) die("opening the database", &err);
    fow_import_report report;
    if (fow_import_bundle(db, demo, NULL, &report, &err)) die("importing the demo taxonomy", &err);
    int bookings = 0;
    double t0 = bench_now_ms();
    build(db, bench_file_exists(holidays) ? holidays : NULL, &bookings);
    printf("database: %d machines, %d bookings of 2027 written through fow_lab_book in %.0f ms\n", MACHINES, bookings,
           bench_now_ms() - t0);
    fow_db_close(db);
    if (fow_db_open(&db, path, true, &err)) die("reopening", &err);
    sqlite3 *sql;
    if (sqlite3_open_v2(path, &sql, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) die("sqlite3_open", NULL);
    pid_t server = -1;
    g_body = bench_xmalloc(RESPONSE_MAX);
    if (fow) {
        server = start_server(fow, path);
        if (server < 0) die("starting fow serve", NULL);
    }
    fow_lab_local y0 = {2027, 1, 1, 0, 0};
    int64_t from = 0, to = fow_lab_day_start_utc(2028, 1, 1);
    fow_lab_local_to_utc(&y0, "from", &from, &err);
    double *v[MEASURES];
    for (int m = 0; m < MEASURES; m++) v[m] = bench_xmalloc((size_t)rounds * sizeof(double));
    size_t year_bytes = 0, http_bytes = 0, lab_bytes = 0;
    int rows = 0;
    int measures = fow ? MEASURES : HTTP_YEAR;
    /* a warm-up round, not counted */
    time_year(db, &year_bytes);
    time_lab_month(db);
    if (fow) time_http("/api/v1/lab-resources/machine-1/availability?from=2027-01-01&to=2027-12-31", &http_bytes);
    for (long r = 0; r < rounds; r++) {
        v[YEAR][r] = time_year(db, &year_bytes);
        v[YEAR_FRESH][r] = time_year_fresh(path);
        v[PER_DAY][r] = time_per_day(db);
        v[SQL_RANGE][r] = time_sql(sql, from, to, &rows);
        v[LAB_MONTH][r] = time_lab_month(db);
        if (fow) {
            v[HTTP_YEAR][r] = time_http("/api/v1/lab-resources/machine-1/availability?from=2027-01-01&to=2027-12-31",
                                        &http_bytes);
            v[HTTP_LAB_MONTH][r] = time_http("/api/v1/labs/bench-lab/availability?from=2027-03-01&to=2027-03-31",
                                             &lab_bytes);
            size_t health_bytes = 0;
            v[HTTP_HEALTH][r] = time_http("/healthz", &health_bytes);
        }
    }
    printf("%ld rounds; the year's document %zu bytes (%zu over HTTP with headers), %d booking rows in the year\n",
           rounds, year_bytes, http_bytes, rows);
    double p50[MEASURES] = {0};
    printf("%-28s %10s %10s\n", "measure", "p50 ms", "p99 ms");
    for (int m = 0; m < measures; m++) {
        bench_sort(v[m], (size_t)rounds);
        p50[m] = bench_percentile_sorted(v[m], (size_t)rounds, 50);
        printf("%-28s %10.3f %10.3f\n", names[m], p50[m], bench_percentile_sorted(v[m], (size_t)rounds, 99));
    }
    printf("ratios of medians: per-day peer / year = %.1f; year / sql-range = %.1f\n", p50[PER_DAY] / p50[YEAR],
           p50[YEAR] / p50[SQL_RANGE]);
    if (fow) {
        double p99_year = bench_percentile_sorted(v[HTTP_YEAR], (size_t)rounds, 99);
        double p99_lab = bench_percentile_sorted(v[HTTP_LAB_MONTH], (size_t)rounds, 99);
        printf("ratios of medians: http-year / year = %.1f; http-year / http-health = %.1f; http-lab-month / "
               "http-health = %.1f\n",
               p50[HTTP_YEAR] / p50[YEAR], p50[HTTP_YEAR] / p50[HTTP_HEALTH], p50[HTTP_LAB_MONTH] / p50[HTTP_HEALTH]);
        printf("goal p99 under 10 ms over HTTP: year %s (%.2f ms), lab month %s (%.2f ms)\n", bench_met(p99_year < 10),
               p99_year, bench_met(p99_lab < 10), p99_lab);
        kill(server, SIGTERM);
        waitpid(server, NULL, 0);
    }
    for (int m = 0; m < MEASURES; m++) free(v[m]);
    free(g_body);
    sqlite3_close(sql);
    fow_db_close(db);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (keep) printf("kept %s\n", path);
    else if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return 0;
}
