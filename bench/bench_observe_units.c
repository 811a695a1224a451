/* bench_observe_units.c — issue 16, point 2, in-process: what an observation
 * of one large area-year costs, with the per-row units in its document and
 * without them (the default since issue 16).
 *
 *   bench_observe_units --db PATH --area AREA --year Y [--runs N] [--skip-units]   (N default 21)
 *
 * The world of PATH (model and estimates) is opened once. Then N rounds,
 * each timing in turn:
 *   load     fow_employment_load: the area-year's rows from the database;
 *   observe  fow_observe (MCC, by major group) on the loaded rows;
 *   summary  fow_json_observation without units, written compact (json_dumps);
 *   units    fow_json_observation with every unit, written compact (not
 *            with --skip-units: for a profile of the rest).
 * It prints the median wall time and the median CPU time of the thread
 * (CLOCK_THREAD_CPUTIME_ID; on a loaded machine the wall time includes
 * waiting for a core) of each step, of observe + summary (the result from
 * the loaded rows) and of load + observe + summary (from the database, as
 * `fow observe --json` after its model is loaded), and the documents'
 * sizes. Make the database as bench/bench_observe_cli.sh says (a generated
 * 91,560-row area-year). Goal (issue 16): <= 20 ms. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "observatory/fow_observe.h"
#include "observatory/fow_observe_json.h"
#include "service/fow_world.h"

enum { LOAD, OBSERVE, SUMMARY, UNITS, N_STEPS };
static const char *const step_names[N_STEPS] = {"load (fow_employment_load)", "observe (fow_observe, by major)",
                                                "summary JSON (no units)", "JSON with every unit"};

static double thread_cpu_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The document as compact text; its length into *bytes. */
static void write_document(json_t *doc, size_t *bytes) {
    if (!doc) {
        fprintf(stderr, "bench_observe_units: out of memory\n");
        exit(1);
    }
    char *text = json_dumps(doc, JSON_COMPACT);
    if (!text) {
        fprintf(stderr, "bench_observe_units: out of memory\n");
        exit(1);
    }
    *bytes = strlen(text);
    free(text);
    json_decref(doc);
}

int main(int argc, char **argv) {
    const char *db_path = NULL, *area = NULL;
    long year = 0, runs = 21;
    bool skip_units = false;
    for (int i = 1; i < argc;) {
        if (strcmp(argv[i], "--skip-units") == 0) {
            skip_units = true;
            i++;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "usage: bench_observe_units --db PATH --area AREA --year Y [--runs N] [--skip-units]\n");
            return 2;
        }
        const char *name = argv[i], *value = argv[i + 1];
        i += 2;
        if (strcmp(name, "--db") == 0) db_path = value;
        else if (strcmp(name, "--area") == 0) area = value;
        else if (strcmp(name, "--year") == 0 && bench_parse_count(value, 1900, 2100, &year) == 0) continue;
        else if (strcmp(name, "--runs") == 0 && bench_parse_count(value, 1, 10000, &runs) == 0) continue;
        else {
            fprintf(stderr, "usage: bench_observe_units --db PATH --area AREA --year Y [--runs N] [--skip-units]\n");
            return 2;
        }
    }
    if (!db_path || !area || !year) {
        fprintf(stderr, "usage: bench_observe_units --db PATH --area AREA --year Y [--runs N] [--skip-units]\n");
        return 2;
    }
    fow_error err;
    fow_error_clear(&err);
    fow_world *world;
    double t0 = bench_now_ms();
    if (fow_world_open(db_path, &(fow_world_options){.quick = true}, &world, &err)) bench_die("opening the world", &err);
    printf("world opened in %.1f ms\n", bench_now_ms() - t0);
    fow_db *db;
    if (fow_db_open(&db, db_path, true, &err)) bench_die("opening the database", &err);
    const fow_model *model = fow_world_model(world);
    const fow_risk_estimates *est = fow_world_estimates(world);
    double *wall[N_STEPS], *cpu[N_STEPS], *sum_wall[2], *sum_cpu[2];
    for (int s = 0; s < N_STEPS; s++) {
        wall[s] = bench_xmalloc((size_t)runs * sizeof(double));
        cpu[s] = bench_xmalloc((size_t)runs * sizeof(double));
    }
    for (int s = 0; s < 2; s++) {
        sum_wall[s] = bench_xmalloc((size_t)runs * sizeof(double));
        sum_cpu[s] = bench_xmalloc((size_t)runs * sizeof(double));
    }
    size_t summary_bytes = 0, units_bytes = 0;
    uint32_t rows = 0, units = 0;
    fow_units_request all = {true, 0, 0};
    for (long r = -1; r < runs; r++) { /* round -1: an untimed warm-up */
        double w[N_STEPS], c[N_STEPS];
        fow_employment emp;
        fow_observation obs;
        double w0 = bench_now_ms(), c0 = thread_cpu_ms();
        if (fow_employment_load(db, model, area, (int)year, &emp, &err)) bench_die("loading the employment", &err);
        w[LOAD] = bench_now_ms() - w0, c[LOAD] = thread_cpu_ms() - c0;
        w0 = bench_now_ms(), c0 = thread_cpu_ms();
        if (fow_observe(est, &emp, FOW_RISK_MODEL_MCC, FOW_BY_MAJOR, &obs, &err)) bench_die("observing", &err);
        w[OBSERVE] = bench_now_ms() - w0, c[OBSERVE] = thread_cpu_ms() - c0;
        w0 = bench_now_ms(), c0 = thread_cpu_ms();
        write_document(fow_json_observation(est, &obs, NULL, NULL, NULL), &summary_bytes);
        w[SUMMARY] = bench_now_ms() - w0, c[SUMMARY] = thread_cpu_ms() - c0;
        w0 = bench_now_ms(), c0 = thread_cpu_ms();
        if (!skip_units) write_document(fow_json_observation(est, &obs, NULL, NULL, &all), &units_bytes);
        w[UNITS] = bench_now_ms() - w0, c[UNITS] = thread_cpu_ms() - c0;
        rows = emp.n_rows;
        units = obs.n_units;
        fow_observation_free(&obs);
        fow_employment_free(&emp);
        if (r < 0) continue;
        for (int s = 0; s < N_STEPS; s++) wall[s][r] = w[s], cpu[s][r] = c[s];
        sum_wall[0][r] = w[OBSERVE] + w[SUMMARY], sum_cpu[0][r] = c[OBSERVE] + c[SUMMARY];
        sum_wall[1][r] = w[LOAD] + w[OBSERVE] + w[SUMMARY], sum_cpu[1][r] = c[LOAD] + c[OBSERVE] + c[SUMMARY];
    }
    printf("%s %ld: %u rows, %u units; %ld runs (medians)\n", area, year, rows, units, runs);
    printf("%-44s %10s %10s\n", "step", "wall ms", "cpu ms");
    for (int s = 0; s < N_STEPS; s++) {
        bench_sort(wall[s], (size_t)runs);
        bench_sort(cpu[s], (size_t)runs);
        printf("%-44s %10.2f %10.2f\n", step_names[s], bench_median(wall[s], (size_t)runs),
               bench_median(cpu[s], (size_t)runs));
    }
    static const char *const sums[2] = {"observe + summary JSON (rows loaded)", "load + observe + summary JSON"};
    for (int s = 0; s < 2; s++) {
        bench_sort(sum_wall[s], (size_t)runs);
        bench_sort(sum_cpu[s], (size_t)runs);
        double wm = bench_median(sum_wall[s], (size_t)runs), cm = bench_median(sum_cpu[s], (size_t)runs);
        printf("%-44s %10.2f %10.2f   goal <= 20 ms: %s (cpu)\n", sums[s], wm, cm, bench_met(cm <= 20));
    }
    printf("document: %zu bytes without units, %zu bytes with every unit (%.0fx)\n", summary_bytes, units_bytes,
           (double)units_bytes / (double)(summary_bytes ? summary_bytes : 1));
    for (int s = 0; s < N_STEPS; s++) free(wall[s]), free(cpu[s]);
    for (int s = 0; s < 2; s++) free(sum_wall[s]), free(sum_cpu[s]);
    fow_db_close(db);
    fow_world_release(world);
    return 0;
}
