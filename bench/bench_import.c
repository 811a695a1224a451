/* bench_import.c — how long a full import takes, against the sqlite3 shell.
 *
 *   bench_import [DATA] [--runs N] [--sqlite3 PATH]
 *
 * fow: a fresh temporary database, then fow_import_bundle of
 * DATA/esco-1.2.0 (source "ESCO", version "1.2.0"), fow_import_risk of
 * DATA/risk/mcc_risk_esco.csv (model "mcc") and fow_import_attributes of
 * DATA/occupations/mcc_attributes.csv; timed from fow_db_open to
 * fow_db_close, so it includes the schema, the validation, the derived
 * values and the search index build.
 *
 * Peer: the sqlite3 command-line tool, in a fresh database, `.mode csv` and
 * `.import` of occupations.csv, skills.csv and occupation_skills.csv plus
 * two indexes on occupation_skills; timed for the whole sqlite3 process
 * (spawn to exit).
 *
 * Runs alternate (fow, sqlite3, fow, sqlite3, ...); the medians are
 * compared. Goal: fow/sqlite3 <= 2.0.
 */
#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>

#include "bench_util.h"

extern char **environ;

#define GOAL_RATIO 2.0

static void usage(const char *argv0) {
    fprintf(stderr, "usage: %s [DATA_DIR] [--runs N] [--sqlite3 PATH]\n", argv0);
    exit(2);
}

/* Writes the sqlite3 shell script that imports the three files. */
static void write_script(const char *script_path, const char *esco) {
    FILE *f = fopen(script_path, "w");
    if (!f) {
        fprintf(stderr, "cannot write %s: %s\n", script_path, strerror(errno));
        exit(1);
    }
    static const char *const parts[][2] = {{"occupations.csv", "occupations"},
                                           {"skills.csv", "skills"},
                                           {"occupation_skills.csv", "occupation_skills"}};
    fprintf(f, ".bail on\n.mode csv\n");
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        char p[4096];
        bench_join(p, sizeof p, esco, parts[i][0]);
        if (strchr(p, '\'')) {
            fprintf(stderr, "the data path may not contain a single quote: %s\n", p);
            exit(1);
        }
        fprintf(f, ".import '%s' %s\n", p, parts[i][1]);
    }
    fprintf(f,
            "CREATE INDEX occupation_skills_occupation ON occupation_skills(occupation_uri);\n"
            "CREATE INDEX occupation_skills_skill ON occupation_skills(skill_label);\n");
    if (fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", script_path);
        exit(1);
    }
}

/* Runs `sqlite3 db < script` and returns the wall time of the process. */
static double run_sqlite3(const char *sqlite3_bin, const char *db_path, const char *script_path) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, script_path, O_RDONLY, 0);
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
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("waitpid");
            exit(1);
        }
    }
    double t1 = bench_now_ms();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "%s failed (status %d)\n", sqlite3_bin, status);
        exit(1);
    }
    return t1 - t0;
}

static long long count_rows(const char *db_path, const char *sql) {
    sqlite3 *db = NULL;
    long long n = -1;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

int main(int argc, char **argv) {
    const char *data_arg = NULL;
    const char *sqlite3_bin = "sqlite3";
    long runs = 5;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = strtol(argv[++i], NULL, 10);
            if (runs < 1 || runs > 1000) usage(argv[0]);
        } else if (strcmp(argv[i], "--sqlite3") == 0 && i + 1 < argc) {
            sqlite3_bin = argv[++i];
        } else if (argv[i][0] == '-') {
            usage(argv[0]);
        } else if (!data_arg) {
            data_arg = argv[i];
        } else {
            usage(argv[0]);
        }
    }
    const char *data = bench_data_dir(data_arg);
    bench_check_data(data);

    char esco[4096];
    bench_join(esco, sizeof esco, data, "esco-1.2.0");
    static const char *const inputs[] = {"esco-1.2.0/occupations.csv", "esco-1.2.0/skills.csv",
                                         "esco-1.2.0/occupation_skills.csv", "esco-1.2.0/isco_groups.csv",
                                         "esco-1.2.0/occupation_parents.csv", "risk/mcc_risk_esco.csv",
                                         "occupations/mcc_attributes.csv"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char p[4096];
        bench_join(p, sizeof p, data, inputs[i]);
        bench_warm_file(p);
    }

    char dir[4096], script[4200];
    bench_mkdtemp(dir, sizeof dir, "fow-bench-import");
    snprintf(script, sizeof script, "%s/import.sqlite3", dir);
    write_script(script, esco);

    double *fow_ms = calloc((size_t)runs, sizeof *fow_ms);
    double *sql_ms = calloc((size_t)runs, sizeof *sql_ms);
    double *bundle_ms = calloc((size_t)runs, sizeof *bundle_ms);
    double *risk_ms = calloc((size_t)runs, sizeof *risk_ms);
    double *attr_ms = calloc((size_t)runs, sizeof *attr_ms);
    if (!fow_ms || !sql_ms || !bundle_ms || !risk_ms || !attr_ms) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }

    printf("bench_import: full import, fow vs the sqlite3 shell\n");
    printf("data:    %s\n", data);
    printf("sqlite3: library %s, shell '%s'\n", sqlite3_libversion(), sqlite3_bin);
    printf("runs:    %ld (alternating, fresh database each run, in %s)\n\n", runs, dir);
    fflush(stdout);

    long long fow_links = -1, fow_terms = -1, sql_links = -1;
    for (long r = 0; r < runs; r++) {
        char fow_db_path[4200], sql_db_path[4200];
        snprintf(fow_db_path, sizeof fow_db_path, "%s/fow-%ld.db", dir, r);
        snprintf(sql_db_path, sizeof sql_db_path, "%s/sqlite3-%ld.db", dir, r);

        bench_import_times t;
        bench_full_import(data, fow_db_path, &t);
        fow_ms[r] = t.total_ms;
        bundle_ms[r] = t.bundle_ms;
        risk_ms[r] = t.risk_ms;
        attr_ms[r] = t.attributes_ms;
        if (r == 0) {
            fow_links = count_rows(fow_db_path, "SELECT count(*) FROM occupation_skills");
            fow_terms = count_rows(fow_db_path, "SELECT count(*) FROM search_terms");
        }
        bench_remove_db(fow_db_path);

        sql_ms[r] = run_sqlite3(sqlite3_bin, sql_db_path, script);
        if (r == 0) sql_links = count_rows(sql_db_path, "SELECT count(*) FROM occupation_skills");
        bench_remove_db(sql_db_path);

        fprintf(stderr, "run %ld/%ld: fow %.1f ms, sqlite3 %.1f ms\n", r + 1, runs, fow_ms[r], sql_ms[r]);
    }
    unlink(script);
    rmdir(dir);

    size_t n = (size_t)runs;
    double fow_med = bench_median(fow_ms, n), sql_med = bench_median(sql_ms, n);
    double ratio = fow_med / sql_med;
    printf("%-56s %10s %10s %10s\n", "", "median ms", "min ms", "max ms");
    printf("%-56s %10.1f %10.1f %10.1f\n", "fow: bundle + risk + attributes (whole import)", fow_med,
           bench_min(fow_ms, n), bench_max(fow_ms, n));
    printf("%-56s %10.1f %10.1f %10.1f\n", "  fow_db_open + fow_import_bundle (incl. search index)",
           bench_median(bundle_ms, n), bench_min(bundle_ms, n), bench_max(bundle_ms, n));
    printf("%-56s %10.1f %10.1f %10.1f\n", "  fow_import_risk (mcc)", bench_median(risk_ms, n),
           bench_min(risk_ms, n), bench_max(risk_ms, n));
    printf("%-56s %10.1f %10.1f %10.1f\n", "  fow_import_attributes", bench_median(attr_ms, n),
           bench_min(attr_ms, n), bench_max(attr_ms, n));
    printf("%-56s %10.1f %10.1f %10.1f\n", "sqlite3 shell: .import x3 + 2 indexes (process)", sql_med,
           bench_min(sql_ms, n), bench_max(sql_ms, n));
    printf("\nrows: fow occupation_skills %lld, search_terms %lld; sqlite3 occupation_skills %lld\n", fow_links,
           fow_terms, sql_links);
    printf("ratio fow/sqlite3 (medians): %.2f   goal <= %.1f: %s\n", ratio, GOAL_RATIO,
           ratio <= GOAL_RATIO ? "met" : "NOT met");

    free(fow_ms);
    free(sql_ms);
    free(bundle_ms);
    free(risk_ms);
    free(attr_ms);
    return 0;
}
