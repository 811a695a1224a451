/* bench_import_memory.c — peak memory and time of importing a bundle 1, 3
 * and 10 times the size of ESCO, against the sqlite3 shell.
 *
 *   bench_import_memory [DATA] [--scales 1,3,10] [--runs N] [--seed S] [--sqlite3 PATH]
 *
 * For each scale, a synthetic bundle (bundle_gen.h: ESCO v1.2.0 of DATA and
 * scale-1 perturbed copies) is written to a temporary folder. Then N runs
 * (default 3) alternate:
 * - fow: a child process (fork) opens a fresh database and runs
 *   fow_import_bundle on the folder: schema, streaming parse, checks, the
 *   writes in one transaction, derived values, search index, commit;
 * - peer: the sqlite3 shell in a fresh database, `.import` of the same five
 *   CSV files into untyped tables and two indexes on occupation_skills (the
 *   straightforward way to load the same bytes into SQLite).
 * Each process's peak resident set size comes from wait4 (ru_maxrss), its
 * wall time from spawn to exit. The bundle is generated in a child too, so
 * that this process stays small and its pages do not count in the
 * children's peaks.
 * Prints per scale: the files' size, the median time and the largest peak
 * RSS of each, peak RSS / files, and fow/sqlite3 of the times.
 * Goal: fow's peak RSS < 2x the files imported, at every scale.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "bench_util.h"
#include "bundle_gen.h"

extern char **environ;

static void usage(const char *argv0) {
    fprintf(stderr, "usage: %s [DATA_DIR] [--scales 1,3,10] [--runs N] [--seed S] [--sqlite3 PATH]\n", argv0);
    exit(2);
}

/* Waits for pid; its wall time since t0 (ms) and peak RSS (KiB). Exits when
 * it failed. */
static void wait_child(pid_t pid, const char *what, double t0, double *ms, long *peak_kb) {
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("wait4");
            exit(1);
        }
    }
    *ms = bench_now_ms() - t0;
    *peak_kb = ru.ru_maxrss;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "%s failed (status %d)\n", what, status);
        exit(1);
    }
}

/* Imports the bundle in dir into a fresh database at db_path, in a child. */
static void run_fow(const char *dir, const char *db_path, double *ms, long *peak_kb, long long *relations) {
    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        exit(1);
    }
    double t0 = bench_now_ms();
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid == 0) {
        close(fds[0]);
        fow_error err;
        fow_error_clear(&err);
        static fow_import_report report;
        fow_db *db = NULL;
        if (fow_db_open(&db, db_path, false, &err) != FOW_OK) bench_die("fow_db_open", &err);
        fow_import_options opt = {0};
        if (fow_import_bundle(db, dir, &opt, &report, &err) != FOW_OK) bench_die("fow_import_bundle", &err);
        fow_db_close(db);
        long long rows = 0;
        for (size_t i = 0; i < report.n_files; i++)
            if (strstr(report.files[i].file, "occupation_skills.csv")) rows = report.files[i].rows_imported;
        if (write(fds[1], &rows, sizeof rows) != (ssize_t)sizeof rows) _exit(1);
        _exit(0);
    }
    close(fds[1]);
    if (read(fds[0], relations, sizeof *relations) != (ssize_t)sizeof *relations) *relations = -1;
    close(fds[0]);
    wait_child(pid, "fow import", t0, ms, peak_kb);
}

/* Writes the sqlite3 shell script that loads the bundle in dir. */
static void write_script(const char *script_path, const char *dir) {
    FILE *f = fopen(script_path, "w");
    if (!f) {
        fprintf(stderr, "cannot write %s: %s\n", script_path, strerror(errno));
        exit(1);
    }
    static const char *const parts[] = {"occupations", "skills", "occupation_skills", "isco_groups",
                                        "occupation_parents"};
    fprintf(f, ".bail on\n.mode csv\n");
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (strchr(dir, '\'')) {
            fprintf(stderr, "the folder may not contain a single quote: %s\n", dir);
            exit(1);
        }
        fprintf(f, ".import '%s/%s.csv' %s\n", dir, parts[i], parts[i]);
    }
    fprintf(f,
            "CREATE INDEX occupation_skills_occupation ON occupation_skills(occupation_uri);\n"
            "CREATE INDEX occupation_skills_skill ON occupation_skills(skill_label);\n");
    if (fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", script_path);
        exit(1);
    }
}

static void run_sqlite3(const char *sqlite3_bin, const char *db_path, const char *script, double *ms,
                        long *peak_kb) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, script, O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    char *args[] = {(char *)sqlite3_bin, (char *)db_path, NULL};
    double t0 = bench_now_ms();
    pid_t pid;
    int rc = posix_spawnp(&pid, sqlite3_bin, &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        fprintf(stderr, "cannot run %s: %s\n", sqlite3_bin, strerror(rc));
        exit(1);
    }
    wait_child(pid, sqlite3_bin, t0, ms, peak_kb);
}

/* Writes the bundle of the given scale into dir, in a child process. */
static void generate(const char *esco, long scale, long seed, const char *dir) {
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid == 0) {
        bundle_gen_input in;
        bundle_gen_read(&in, esco);
        bundle_gen_write(&in, (size_t)scale, (uint64_t)seed, dir);
        bundle_gen_free(&in);
        _exit(0);
    }
    double ms;
    long kb;
    wait_child(pid, "generating the bundle", bench_now_ms(), &ms, &kb);
}

static void remove_bundle(const char *dir) {
    static const char *const names[] = {"source.csv",      "occupations.csv", "skills.csv",
                                        "occupation_skills.csv", "isco_groups.csv", "occupation_parents.csv"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char p[4200];
        bench_join(p, sizeof p, dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

static long max_long(const long *v, size_t n) {
    long m = v[0];
    for (size_t i = 1; i < n; i++)
        if (v[i] > m) m = v[i];
    return m;
}

int main(int argc, char **argv) {
    const char *data_arg = NULL, *sqlite3_bin = "sqlite3", *scales_arg = "1,3,10";
    long runs = 3, seed = 20261202;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 1, 100, &runs)) usage(argv[0]);
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 0, 0x7fffffffL, &seed)) usage(argv[0]);
        } else if (strcmp(argv[i], "--scales") == 0 && i + 1 < argc) {
            scales_arg = argv[++i];
        } else if (strcmp(argv[i], "--sqlite3") == 0 && i + 1 < argc) {
            sqlite3_bin = argv[++i];
        } else if (argv[i][0] != '-' && !data_arg) {
            data_arg = argv[i];
        } else {
            usage(argv[0]);
        }
    }
    long scales[16];
    size_t n_scales = 0;
    char scales_copy[256];
    snprintf(scales_copy, sizeof scales_copy, "%s", scales_arg);
    for (char *tok = strtok(scales_copy, ","); tok; tok = strtok(NULL, ",")) {
        if (n_scales == 16 || bench_parse_count(tok, 1, 100, &scales[n_scales])) usage(argv[0]);
        n_scales++;
    }
    if (!n_scales) usage(argv[0]);
    const char *data = bench_data_dir(data_arg);
    bench_check_data(data);
    char esco[4096];
    bench_join(esco, sizeof esco, data, "esco-1.2.0");

    printf("bench_import_memory: peak RSS and time of `import bundle`, fow vs the sqlite3 shell\n");
    printf("data: %s (ESCO v1.2.0 and scale-1 synthetic copies, seed %ld); %ld runs, alternating\n\n", esco, seed,
           runs);
    printf("%5s %9s | %9s %9s %6s | %9s %9s %6s | %9s\n", "scale", "files MB", "fow ms", "peak MB", "peak/f",
           "sqlite ms", "peak MB", "peak/f", "fow/sql t");
    int all_met = 1;
    for (size_t s = 0; s < n_scales; s++) {
        char dir[4096], bundle[4200], script[4200];
        bench_mkdtemp(dir, sizeof dir, "fow-bench-import-memory");
        snprintf(bundle, sizeof bundle, "%s/bundle-x%ld", dir, scales[s]);
        generate(esco, scales[s], seed, bundle);
        double files_mb = (double)bundle_gen_dir_bytes(bundle) / 1e6;
        snprintf(script, sizeof script, "%s/load.sqlite3", dir);
        write_script(script, bundle);
        double fow_ms[100], sql_ms[100];
        long fow_kb[100], sql_kb[100];
        long long relations = 0;
        for (long r = 0; r < runs; r++) {
            char db[4300];
            snprintf(db, sizeof db, "%s/fow-%ld.db", dir, r);
            run_fow(bundle, db, &fow_ms[r], &fow_kb[r], &relations);
            bench_remove_db(db);
            snprintf(db, sizeof db, "%s/sqlite3-%ld.db", dir, r);
            run_sqlite3(sqlite3_bin, db, script, &sql_ms[r], &sql_kb[r]);
            bench_remove_db(db);
            fprintf(stderr, "x%ld run %ld/%ld: fow %.0f ms %.1f MB, sqlite3 %.0f ms %.1f MB\n", scales[s], r + 1,
                    runs, fow_ms[r], (double)fow_kb[r] / 1024.0, sql_ms[r], (double)sql_kb[r] / 1024.0);
        }
        double fow_peak = (double)max_long(fow_kb, (size_t)runs) * 1024.0 / 1e6;
        double sql_peak = (double)max_long(sql_kb, (size_t)runs) * 1024.0 / 1e6;
        double fow_med = bench_median(fow_ms, (size_t)runs), sql_med = bench_median(sql_ms, (size_t)runs);
        printf("%4ldx %9.1f | %9.0f %9.1f %6.2f | %9.0f %9.1f %6.2f | %9.2f   (%lld relations)\n", scales[s],
               files_mb, fow_med, fow_peak, fow_peak / files_mb, sql_med, sql_peak, sql_peak / files_mb,
               fow_med / sql_med, relations);
        if (fow_peak >= 2.0 * files_mb) all_met = 0;
        unlink(script);
        remove_bundle(bundle);
        rmdir(dir);
    }
    printf("\nMB = 10^6 bytes; peak = the largest ru_maxrss of the runs; times are medians of whole processes.\n");
    printf("Goal: fow's peak RSS < 2x the files imported at every scale: %s\n", bench_met(all_met));
    return 0;
}
