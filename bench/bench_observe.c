/* bench_observe.c — the local economy observatory, scenarios and
 * transitions at scale on the full data, against a plain SQL GROUP BY.
 *
 *   bench_observe [DATA_DIR] [--db PATH] [--runs N] [--scenario-runs N]
 *                 [--scale-runs N] [--profile-runs N] [--threads T]
 *   (N default 201, scenario runs 51, scale runs 5, profile runs 3,
 *    T default 0 = the machine's cores, at most 8)
 *
 * The database. Without --db the full data (ESCO 1.2.0 bundle, MCC risk,
 * MCC attributes; bench_full_import, in a child process) is imported into
 * a temporary database, then MCC's own ISCO-4 and ISCO-3 estimates
 * (DATA/risk/mcc_risk_isco4.csv, mcc_risk_isco3.csv) and the EU-LFS
 * employment tables of Italy, France and the UK (DATA/employment/, areas
 * ita, fra, uk) when they are there. With --db PATH the database is copied
 * (SQLite backup API) into the temporary folder: PATH is only read. Into
 * that copy two synthetic tables are imported with fow_import_employment
 * (year 2018; counts from a fixed splitmix64 sequence):
 *   bench-600   600 rows: every ISCO-08 unit group of the taxonomy (436),
 *               then the minor groups (130) and the first sub-major groups
 *               (34) as nested totals (their children's sum plus a little),
 *               1 in 100 unit-group cells masked;
 *   bench-esco  one row per ESCO occupation (occupation_uri; 3,039).
 *
 * 1. Observatory for one area and year (bench-600, and ita 2018 when
 *    present). fow: fow_observe(MCC, --by major) on the loaded table, and
 *    fow_employment_load + fow_observe from the database (what `fow observe`
 *    does after the model is loaded). Peer, in the same run, alternating:
 *    one prepared SQLite statement, the straightforward SQL for the same
 *    figures — employment LEFT JOIN isco_risk (MCC's own ISCO estimates)
 *    GROUP BY the first digit, with the sums of persons, of persons x risk
 *    and of persons in each category, stepped to the end. (It counts
 *    nested rows as given and has no estimate where MCC publishes none;
 *    fow does both.) One untimed warm-up each, then N timed runs.
 *    Goal: fow_observe <= 5 ms on 600 rows.
 *
 * 2. A 20-year scenario over all occupations (bench-esco: every
 *    occupation is a row). The move profiles of every occupation are built
 *    once (fow_move_profiles_build, origins NULL, k = 5, T threads; the
 *    median of the profile runs is reported apart); then fow_scenario_run
 *    (medium preset, 20 years): a warm-up and N timed runs. The same
 *    scenario on bench-600 and ita 2018 with the same profiles.
 *    Goal: fow_scenario_run <= 50 ms.
 *
 * 3. Transitions at scale for all high-risk occupations of an area
 *    (ita 2018 when present, bench-600, bench-esco), timed whole:
 *    fow_observe + fow_observation_origins(high-risk) +
 *    fow_move_profiles_build of those origins (T threads) +
 *    fow_transitions_at_scale (N = 3 moves, the default capacity), frees included; the model,
 *    the estimates and the similarity index are loaded once before (their
 *    times are printed). Median of the scale runs after a warm-up.
 *    Goal: <= 1 s.
 */
#include <math.h>
#include <stdint.h>

#include "bench_util.h"
#include "observatory/fow_observe.h"
#include "observatory/fow_scenario.h"
#include "transitions/fow_similarity.h"
#include "taxonomy/fow_model.h"

#define GOAL_OBSERVE_MS 5.0
#define GOAL_SCENARIO_MS 50.0
#define GOAL_SCALE_MS 1000.0
#define TABLE_ROWS 600
#define BENCH_YEAR 2018
#define MOVES_PER_WORKER 5
#define MIN_MOVES 3

static void usage(const char *argv0) {
    fprintf(stderr,
            "usage: %s [DATA_DIR] [--db PATH] [--runs N] [--scenario-runs N] [--scale-runs N] [--profile-runs N]\n"
            "          [--threads T]\n",
            argv0);
    exit(2);
}

static long parse_count(const char *text, long lo, long hi, const char *argv0) {
    long v;
    if (bench_parse_count(text, lo, hi, &v) != 0) usage(argv0);
    return v;
}

/* ---- setting up the database -------------------------------------------- */

/* Copies the database at from into to with SQLite's backup API (from is
 * opened read-only). */
static void copy_db(const char *from, const char *to) {
    sqlite3 *src = NULL, *dst = NULL;
    if (sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "cannot open %s: %s\n", from, src ? sqlite3_errmsg(src) : "out of memory");
        exit(1);
    }
    if (sqlite3_open(to, &dst) != SQLITE_OK) {
        fprintf(stderr, "cannot create %s\n", to);
        exit(1);
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE) {
        fprintf(stderr, "copying %s: %s\n", from, sqlite3_errmsg(dst));
        exit(1);
    }
    sqlite3_backup_finish(b);
    sqlite3_close(src);
    sqlite3_close(dst);
}

static void import_if_there(fow_db *db, const char *data, const char *rel, char kind, const char *area) {
    char path[4200];
    bench_join(path, sizeof path, data, rel);
    if (!bench_file_exists(path)) {
        fprintf(stderr, "(no %s: skipped)\n", path);
        return;
    }
    static fow_import_report report;
    fow_import_options opt = {0};
    fow_error err;
    fow_error_clear(&err);
    fow_code rc;
    if (kind == 'r') {
        opt.model = "mcc";
        rc = fow_import_risk(db, path, &opt, &report, &err);
    } else {
        opt.area = area;
        opt.source_name = "EU Labour Force Survey (via Nesta)";
        opt.version = "2014-2018";
        rc = fow_import_employment(db, path, &opt, &report, &err);
    }
    if (rc != FOW_OK) bench_die(path, &err);
}

/* The ISCO codes of the taxonomy with `digits` digits, in code order. */
static char (*codes_of(fow_db *db, int digits, uint32_t *n))[5] {
    sqlite3_stmt *st;
    fow_error err;
    fow_error_clear(&err);
    if (fow_db_prepare(db, "SELECT code FROM isco_groups WHERE length(code) = ?1 ORDER BY code", &st, &err))
        bench_die("reading the ISCO groups", &err);
    sqlite3_bind_int(st, 1, digits);
    uint32_t cap = 1024, count = 0;
    char(*list)[5] = bench_xmalloc(cap * sizeof *list);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (count == cap) {
            fprintf(stderr, "too many ISCO codes\n");
            exit(1);
        }
        snprintf(list[count++], 5, "%.4s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    *n = count;
    return list;
}

/* Writes and imports bench-600 (see the header comment). Returns its rows. */
static uint32_t make_table_600(fow_db *db, const char *dir) {
    uint32_t n4, n3, n2;
    char(*c4)[5] = codes_of(db, 4, &n4);
    char(*c3)[5] = codes_of(db, 3, &n3);
    char(*c2)[5] = codes_of(db, 2, &n2);
    if (n4 + n3 + n2 < TABLE_ROWS) {
        fprintf(stderr, "the taxonomy has only %u ISCO codes of 2 to 4 digits\n", n4 + n3 + n2);
        exit(1);
    }
    uint32_t take3 = n3 < TABLE_ROWS - n4 ? n3 : TABLE_ROWS - n4;
    uint32_t take2 = TABLE_ROWS - n4 - take3;
    double *v4 = bench_xmalloc(n4 * sizeof *v4), *v3 = bench_xmalloc(n3 * sizeof *v3);
    char path[4200];
    bench_join(path, sizeof path, dir, "bench-600.csv");
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
    fprintf(f, "isco_code,year,employed\n");
    uint64_t state = 20240601;
    uint32_t rows = 0;
    for (uint32_t i = 0; i < n4; i++, rows++) {
        v4[i] = (double)(50 + bench_splitmix64(&state) % 20000);
        if (bench_splitmix64(&state) % 100 == 0) {
            fprintf(f, "%s,%d,x\n", c4[i], BENCH_YEAR);
            v4[i] = 0;
        } else {
            fprintf(f, "%s,%d,%.0f\n", c4[i], BENCH_YEAR, v4[i]);
        }
    }
    for (uint32_t i = 0; i < take3; i++, rows++) {
        double sum = 0;
        for (uint32_t j = 0; j < n4; j++)
            if (strncmp(c4[j], c3[i], 3) == 0) sum += v4[j];
        v3[i] = sum + (double)(bench_splitmix64(&state) % 3000);
        fprintf(f, "%s,%d,%.0f\n", c3[i], BENCH_YEAR, v3[i]);
    }
    for (uint32_t i = 0; i < take2; i++, rows++) {
        double sum = 0;
        for (uint32_t j = 0; j < take3; j++)
            if (strncmp(c3[j], c2[i], 2) == 0) sum += v3[j];
        fprintf(f, "%s,%d,%.0f\n", c2[i], BENCH_YEAR, sum + (double)(bench_splitmix64(&state) % 5000));
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
    free(c4);
    free(c3);
    free(c2);
    free(v4);
    free(v3);
    static fow_import_report report;
    fow_import_options opt = {0};
    opt.area = "bench-600";
    opt.source_name = "bench_observe: synthetic counts";
    fow_error err;
    fow_error_clear(&err);
    if (fow_import_employment(db, path, &opt, &report, &err) != FOW_OK) bench_die("importing bench-600", &err);
    return rows;
}

/* Writes and imports bench-esco: every occupation of the database. */
static uint32_t make_table_esco(fow_db *db, const char *dir) {
    char path[4200];
    bench_join(path, sizeof path, dir, "bench-esco.csv");
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
    fprintf(f, "occupation_uri,year,employed\n");
    sqlite3_stmt *st;
    fow_error err;
    fow_error_clear(&err);
    if (fow_db_prepare(db, "SELECT uri FROM occupations ORDER BY id", &st, &err)) bench_die("occupations", &err);
    uint64_t state = 19700101;
    uint32_t rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        fprintf(f, "\"%s\",%d,%llu\n", (const char *)sqlite3_column_text(st, 0), BENCH_YEAR,
                (unsigned long long)(10 + bench_splitmix64(&state) % 5000));
        rows++;
    }
    sqlite3_finalize(st);
    if (fclose(f) != 0) exit(1);
    static fow_import_report report;
    fow_import_options opt = {0};
    opt.area = "bench-esco";
    opt.source_name = "bench_observe: synthetic counts";
    if (fow_import_employment(db, path, &opt, &report, &err) != FOW_OK) bench_die("importing bench-esco", &err);
    return rows;
}

static int has_area(fow_db *db, const char *area, int year) {
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM employment WHERE area = '%s' AND year = %d", area, year);
    long long n = 0;
    fow_error err;
    fow_error_clear(&err);
    if (fow_db_query_int(db, sql, &n, &err) != FOW_OK) bench_die("employment", &err);
    return n > 0;
}

/* ---- the engine, loaded once ------------------------------------------------ */

typedef struct engine {
    fow_db *db;
    fow_model *m;
    fow_risk_estimates *est;
    fow_similarity_index *index;
    uint32_t threads;
} engine;

static void load_area(const engine *e, const char *area, fow_employment *emp) {
    fow_error err;
    fow_error_clear(&err);
    if (fow_employment_load(e->db, e->m, area, BENCH_YEAR, emp, &err) != FOW_OK) bench_die(area, &err);
}

static void observe(const engine *e, const fow_employment *emp, fow_observe_by by, fow_observation *obs) {
    fow_error err;
    fow_error_clear(&err);
    if (fow_observe(e->est, emp, FOW_RISK_MODEL_MCC, by, obs, &err) != FOW_OK) bench_die("fow_observe", &err);
}

/* ---- 1. the observatory, and its SQL peer ------------------------------------ */

static const char peer_sql[] =
    "SELECT substr(e.isco_code, 1, 1) AS major, count(*), sum(e.employed), "
    "sum(CASE WHEN r.risk IS NOT NULL THEN e.employed END), sum(e.employed * r.risk), "
    "sum(CASE WHEN r.category = 'High risk' THEN e.employed END), "
    "sum(CASE WHEN r.category = 'Other' THEN e.employed END), "
    "sum(CASE WHEN r.category = 'Low risk' THEN e.employed END) "
    "FROM employment e LEFT JOIN isco_risk r ON r.isco_code = e.isco_code AND r.model = 'mcc' "
    "WHERE e.area = ?1 AND e.year = ?2 AND e.masked = 0 GROUP BY major ORDER BY major";

typedef struct peer_totals {
    int groups;
    double employed, with_risk, risk_sum, high;
} peer_totals;

static void peer_run(sqlite3_stmt *st, peer_totals *t) {
    memset(t, 0, sizeof *t);
    while (sqlite3_step(st) == SQLITE_ROW) {
        t->groups++;
        t->employed += sqlite3_column_double(st, 2);
        t->with_risk += sqlite3_column_double(st, 3);
        t->risk_sum += sqlite3_column_double(st, 4);
        t->high += sqlite3_column_double(st, 5);
        (void)sqlite3_column_double(st, 6);
        (void)sqlite3_column_double(st, 7);
    }
    sqlite3_reset(st);
}

static void bench_observatory(const engine *e, const char *area, long runs) {
    size_t nr = (size_t)runs;
    double *t_obs = bench_xmalloc(nr * sizeof *t_obs), *t_load = bench_xmalloc(nr * sizeof *t_load);
    double *t_peer = bench_xmalloc(nr * sizeof *t_peer);
    fow_error err;
    fow_error_clear(&err);
    sqlite3_stmt *st;
    if (fow_db_prepare(e->db, peer_sql, &st, &err)) bench_die("the peer's statement", &err);
    sqlite3_bind_text(st, 1, area, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, BENCH_YEAR);
    fow_employment emp;
    fow_observation obs;
    peer_totals pt;
    load_area(e, area, &emp);
    observe(e, &emp, FOW_BY_MAJOR, &obs); /* warm-ups */
    fow_observation_free(&obs);
    peer_run(st, &pt);
    for (size_t r = 0; r < nr; r++) {
        double a0 = bench_now_ms();
        observe(e, &emp, FOW_BY_MAJOR, &obs);
        double a1 = bench_now_ms();
        fow_observation_free(&obs);
        fow_employment em2;
        double b0 = bench_now_ms();
        load_area(e, area, &em2);
        observe(e, &em2, FOW_BY_MAJOR, &obs);
        fow_observation_free(&obs);
        fow_employment_free(&em2);
        double b1 = bench_now_ms();
        peer_run(st, &pt);
        double c1 = bench_now_ms();
        t_obs[r] = a1 - a0;
        t_load[r] = b1 - b0;
        t_peer[r] = c1 - b1;
    }
    /* the other breakdowns, for information */
    static const fow_observe_by others[] = {FOW_BY_NONE, FOW_BY_SUBMAJOR, FOW_BY_GROUP};
    double t_other[3];
    for (int k = 0; k < 3; k++) {
        double *v = bench_xmalloc(nr * sizeof *v);
        for (size_t r = 0; r < nr; r++) {
            double a0 = bench_now_ms();
            observe(e, &emp, others[k], &obs);
            v[r] = bench_now_ms() - a0;
            fow_observation_free(&obs);
        }
        t_other[k] = bench_median(v, nr);
        free(v);
    }
    observe(e, &emp, FOW_BY_MAJOR, &obs);
    double m_obs = bench_median(t_obs, nr), m_load = bench_median(t_load, nr), m_peer = bench_median(t_peer, nr);
    printf("   %s %d: %u rows (%u masked), %u units, %u major groups; fow counts %.0f persons, %.1f%% at high risk, "
           "mean %.3f\n",
           area, BENCH_YEAR, emp.n_rows, emp.n_masked, obs.n_units, obs.n_cells, obs.total.employed,
           100 * fow_observe_share(&obs.total, FOW_CAT_HIGH), fow_observe_mean(&obs.total));
    printf("   peer (SQL) sums %.0f persons as given over %d groups, %.0f with an own ISCO estimate, %.1f%% at high "
           "risk, mean %.3f\n",
           pt.employed, pt.groups, pt.with_risk, pt.with_risk > 0 ? 100 * pt.high / pt.with_risk : NAN,
           pt.with_risk > 0 ? pt.risk_sum / pt.with_risk : NAN);
    printf("   %-60s %9s %9s %9s\n", "(ms)", "median", "min", "max");
    printf("   %-60s %9.3f %9.3f %9.3f\n", "fow_observe, --by major (table loaded)", m_obs, bench_min(t_obs, nr),
           bench_max(t_obs, nr));
    printf("   %-60s %9.3f %9.3f %9.3f\n", "fow_employment_load + fow_observe (from the database)", m_load,
           bench_min(t_load, nr), bench_max(t_load, nr));
    printf("   %-60s %9.3f %9.3f %9.3f\n", "peer: SQL join + GROUP BY (prepared, stepped to the end)", m_peer,
           bench_min(t_peer, nr), bench_max(t_peer, nr));
    printf("   fow_observe, other breakdowns (median): none %.3f, submajor %.3f, group %.3f ms\n", t_other[0],
           t_other[1], t_other[2]);
    printf("   ratio fow/peer (medians): fow_observe %.2f, load + observe %.2f\n", m_obs / m_peer, m_load / m_peer);
    printf("   goal: fow_observe <= %.0f ms on %d rows: %s\n", GOAL_OBSERVE_MS, TABLE_ROWS,
           strcmp(area, "bench-600") == 0 ? bench_met(m_obs <= GOAL_OBSERVE_MS) : "(see bench-600)");
    fow_observation_free(&obs);
    fow_employment_free(&emp);
    sqlite3_finalize(st);
    free(t_obs);
    free(t_load);
    free(t_peer);
}

/* ---- 2. scenarios ---------------------------------------------------------------- */

static void bench_scenario(const engine *e, const char *area, const fow_move_profiles *profiles, long runs) {
    size_t nr = (size_t)runs;
    double *t = bench_xmalloc(nr * sizeof *t);
    fow_employment emp;
    fow_observation obs;
    load_area(e, area, &emp);
    observe(e, &emp, FOW_BY_NONE, &obs);
    fow_scenario_params p;
    fow_scenario_preset("medium", &p);
    fow_scenario_result r;
    fow_error err;
    fow_error_clear(&err);
    if (fow_scenario_run(e->est, &obs, profiles, &p, &r, &err) != FOW_OK) bench_die("fow_scenario_run", &err);
    double displaced = r.displaced, budget = r.budget;
    uint32_t n_dest = r.n_destinations, n_skills = r.n_skills;
    fow_scenario_result_free(&r);
    for (size_t k = 0; k < nr; k++) {
        double a0 = bench_now_ms();
        if (fow_scenario_run(e->est, &obs, profiles, &p, &r, &err) != FOW_OK) bench_die("fow_scenario_run", &err);
        t[k] = bench_now_ms() - a0;
        if (r.displaced != displaced || r.budget != budget) {
            fprintf(stderr, "the same scenario gave another result\n");
            exit(1);
        }
        fow_scenario_result_free(&r);
    }
    double med = bench_median(t, nr);
    printf("   %-12s %5u units, %9.0f persons: %9.3f %9.3f %9.3f   (%.0f displaced in 20 years, %u destinations, "
           "%u skills, budget %.3g EUR)\n",
           area, obs.n_units, obs.total.employed, med, bench_min(t, nr), bench_max(t, nr), displaced, n_dest, n_skills,
           budget);
    if (strcmp(area, "bench-esco") == 0)
        printf("   goal: fow_scenario_run <= %.0f ms over all occupations: %s\n", GOAL_SCENARIO_MS,
               bench_met(med <= GOAL_SCENARIO_MS));
    fow_observation_free(&obs);
    fow_employment_free(&emp);
    free(t);
}

/* ---- 3. transitions at scale --------------------------------------------------------- */

typedef struct scale_times {
    double observe, origins, profiles, scale, total;
    uint32_t n_origins, n_destinations, n_skills;
    double high_risk, with_min;
} scale_times;

static void scale_once(const engine *e, const fow_employment *emp, scale_times *s) {
    fow_error err;
    fow_error_clear(&err);
    fow_observation obs;
    uint32_t *origins = NULL, n_origins = 0;
    fow_move_profiles *profiles = NULL;
    fow_scale_result r;
    double t0 = bench_now_ms();
    observe(e, emp, FOW_BY_NONE, &obs);
    double t1 = bench_now_ms();
    if (fow_observation_origins(e->est, &obs, 1, &origins, &n_origins, &err) != FOW_OK)
        bench_die("fow_observation_origins", &err);
    double t2 = bench_now_ms();
    if (fow_move_profiles_build(e->index, FOW_RISK_MODEL_MCC, origins, n_origins, MOVES_PER_WORKER, e->threads,
                                &profiles, &err) != FOW_OK)
        bench_die("fow_move_profiles_build", &err);
    double t3 = bench_now_ms();
    if (fow_transitions_at_scale(e->est, &obs, profiles, MIN_MOVES, NULL, &r, &err) != FOW_OK)
        bench_die("fow_transitions_at_scale", &err);
    double t4 = bench_now_ms();
    s->n_origins = n_origins;
    s->n_destinations = r.n_destinations;
    s->n_skills = r.n_skills;
    s->high_risk = r.high_risk_workers;
    s->with_min = r.with_min_moves;
    fow_scale_result_free(&r);
    fow_move_profiles_free(profiles);
    free(origins);
    fow_observation_free(&obs);
    double t5 = bench_now_ms();
    s->observe = t1 - t0;
    s->origins = t2 - t1;
    s->profiles = t3 - t2;
    s->scale = t4 - t3;
    s->total = t5 - t0;
}

static void bench_scale(const engine *e, const char *area, long runs) {
    size_t nr = (size_t)runs;
    double *total = bench_xmalloc(nr * sizeof *total), *prof = bench_xmalloc(nr * sizeof *prof);
    double *rest = bench_xmalloc(nr * sizeof *rest);
    fow_employment emp;
    load_area(e, area, &emp);
    scale_times s;
    scale_once(e, &emp, &s); /* warm-up */
    for (size_t k = 0; k < nr; k++) {
        scale_once(e, &emp, &s);
        total[k] = s.total;
        prof[k] = s.profiles;
        rest[k] = s.total - s.profiles;
    }
    double med = bench_median(total, nr);
    printf("   %-12s %5u origins: %9.1f %9.1f %9.1f   goal <= %.0f ms %s (profiles %.1f, the rest %.2f; %.0f "
           "high-risk workers, %.1f%% with >= %d moves, %u destinations, %u skills)\n",
           area, s.n_origins, med, bench_min(total, nr), bench_max(total, nr), GOAL_SCALE_MS,
           bench_met(med <= GOAL_SCALE_MS), bench_median(prof, nr), bench_median(rest, nr), s.high_risk,
           s.high_risk > 0 ? 100 * s.with_min / s.high_risk : 0, MIN_MOVES, s.n_destinations, s.n_skills);
    fow_employment_free(&emp);
    free(total);
    free(prof);
    free(rest);
}

int main(int argc, char **argv) {
    const char *data_arg = NULL, *db_arg = NULL;
    long runs = 201, scenario_runs = 51, scale_runs = 5, profile_runs = 3, threads = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) db_arg = argv[++i];
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = parse_count(argv[++i], 1, 1000000, argv[0]);
        else if (strcmp(argv[i], "--scenario-runs") == 0 && i + 1 < argc)
            scenario_runs = parse_count(argv[++i], 1, 100000, argv[0]);
        else if (strcmp(argv[i], "--scale-runs") == 0 && i + 1 < argc)
            scale_runs = parse_count(argv[++i], 1, 10000, argv[0]);
        else if (strcmp(argv[i], "--profile-runs") == 0 && i + 1 < argc)
            profile_runs = parse_count(argv[++i], 1, 10000, argv[0]);
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) threads = parse_count(argv[++i], 0, 8, argv[0]);
        else if (argv[i][0] == '-') usage(argv[0]);
        else if (!data_arg) data_arg = argv[i];
        else usage(argv[0]);
    }

    /* the database: a copy of --db, or the full data imported */
    char dir[4096], db_path[4200];
    const char *data = NULL;
    if (!db_arg) {
        data = bench_data_dir(data_arg);
        bench_check_data(data);
    }
    bench_mkdtemp(dir, sizeof dir, "fow-bench-observe");
    bench_join(db_path, sizeof db_path, dir, "fow.db");
    double t0 = bench_now_ms();
    if (db_arg) copy_db(db_arg, db_path);
    else bench_full_import_in_child(data, db_path);
    fow_error err;
    fow_error_clear(&err);
    fow_db *rw = NULL;
    if (fow_db_open(&rw, db_path, false, &err) != FOW_OK) bench_die("fow_db_open", &err);
    if (data) {
        import_if_there(rw, data, "risk/mcc_risk_isco4.csv", 'r', NULL);
        import_if_there(rw, data, "risk/mcc_risk_isco3.csv", 'r', NULL);
        import_if_there(rw, data, "employment/ita_isco3_thousands.csv", 'e', "ita");
        import_if_there(rw, data, "employment/fra_isco3_thousands.csv", 'e', "fra");
        import_if_there(rw, data, "employment/uk_isco3_thousands.csv", 'e', "uk");
    }
    uint32_t rows600 = make_table_600(rw, dir);
    uint32_t rows_esco = make_table_esco(rw, dir);
    int with_ita = has_area(rw, "ita", BENCH_YEAR);
    fow_db_close(rw);
    fprintf(stderr, "prepared %s in %.0f ms\n", db_path, bench_now_ms() - t0);

    engine e = {0};
    e.threads = (uint32_t)threads;
    if (fow_db_open(&e.db, db_path, true, &err) != FOW_OK) bench_die("fow_db_open", &err);
    double m0 = bench_now_ms();
    if (fow_model_load(e.db, &e.m, &err) != FOW_OK) bench_die("fow_model_load", &err);
    double m1 = bench_now_ms();
    if (fow_risk_estimates_load(e.db, e.m, &e.est, &err) != FOW_OK) bench_die("fow_risk_estimates_load", &err);
    double m2 = bench_now_ms();
    if (fow_similarity_index_build(e.m, NULL, &e.index, &err) != FOW_OK) bench_die("fow_similarity_index_build", &err);
    double m3 = bench_now_ms();

    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    uint32_t used_threads = threads ? (uint32_t)threads : (cores < 1 ? 1 : cores > 8 ? 8 : (uint32_t)cores);
    printf("bench_observe: the observatory, scenarios and transitions at scale on the full data\n");
    printf("database: %s (%s)\n", db_path, db_arg ? db_arg : "imported from the data");
    if (data) printf("data:     %s\n", data);
    printf("machine:  %ld cores online; profiles built on %u thread%s\n", cores, used_threads,
           used_threads == 1 ? "" : "s");
    printf("tables:   bench-600 (%u rows), bench-esco (%u rows)%s, year %d\n", rows600, rows_esco,
           with_ita ? ", ita (EU-LFS)" : "", BENCH_YEAR);
    printf("once:     model %.0f ms (%u occupations), risk estimates %.1f ms, similarity index %.0f ms\n\n", m1 - m0,
           e.m->n_occupations, m2 - m1, m3 - m2);

    /* 1 */
    printf("1. observatory for one area and year, MCC (median of %ld runs after a warm-up, alternating with the "
           "peer)\n",
           runs);
    bench_observatory(&e, "bench-600", runs);
    if (with_ita) {
        printf("\n");
        bench_observatory(&e, "ita", runs);
    }

    /* 2 */
    printf("\n2. a 20-year scenario (medium preset), move profiles of all %u occupations built once\n",
           e.m->n_occupations);
    size_t np = (size_t)profile_runs;
    double *tp = bench_xmalloc(np * sizeof *tp);
    fow_move_profiles *all = NULL;
    for (size_t k = 0; k < np; k++) {
        double a0 = bench_now_ms();
        if (fow_move_profiles_build(e.index, FOW_RISK_MODEL_MCC, NULL, 0, MOVES_PER_WORKER, e.threads, &all, &err) !=
            FOW_OK)
            bench_die("fow_move_profiles_build", &err);
        tp[k] = bench_now_ms() - a0;
        if (k + 1 < np) fow_move_profiles_free(all);
    }
    printf("   fow_move_profiles_build, all occupations, k = %d: median %.1f ms (min %.1f, max %.1f, %ld runs); "
           "%u moves, %u gap skills\n",
           MOVES_PER_WORKER, bench_median(tp, np), bench_min(tp, np), bench_max(tp, np), profile_runs,
           all->n_moves_total, all->n_skills_total);
    printf("   fow_scenario_run (ms; median of %ld runs)   %9s %9s %9s\n", scenario_runs, "median", "min", "max");
    bench_scenario(&e, "bench-esco", all, scenario_runs);
    bench_scenario(&e, "bench-600", all, scenario_runs);
    if (with_ita) bench_scenario(&e, "ita", all, scenario_runs);
    fow_move_profiles_free(all);
    free(tp);

    /* 3 */
    printf("\n3. transitions at scale for every high-risk occupation of an area, profiles included (ms; median of "
           "%ld runs)\n",
           scale_runs);
    printf("   %-12s %13s  %9s %9s %9s\n", "", "", "median", "min", "max");
    if (with_ita) bench_scale(&e, "ita", scale_runs);
    bench_scale(&e, "bench-600", scale_runs);
    bench_scale(&e, "bench-esco", scale_runs);

    fow_similarity_index_free(e.index);
    fow_risk_estimates_free(e.est);
    fow_model_free(e.m);
    fow_db_close(e.db);
    bench_remove_db(db_path);
    char p[4200];
    bench_join(p, sizeof p, dir, "bench-600.csv");
    unlink(p);
    bench_join(p, sizeof p, dir, "bench-esco.csv");
    unlink(p);
    rmdir(dir);
    return 0;
}
