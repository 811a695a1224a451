/* bench_model.c — how long fow_model_load takes and how much memory the
 * loaded model needs, against a plain SQLite read of the same rows.
 *
 *   bench_model [DATA] [--runs N] [--db PATH]
 *
 * Without --db the full data (ESCO 1.2.0 bundle, MCC risk, MCC attributes)
 * is first imported into a temporary database by a child process, so that
 * the import's memory does not count towards this process's peak RSS.
 *
 * Then, in this process: the model is loaded once and the peak RSS is read
 * (getrusage ru_maxrss and VmHWM from /proc/self/status); then N runs
 * (default 11) alternate a timed fow_model_load (+ untimed fow_model_free)
 * with the peer on the same connection: a plain read of every row of
 * occupations, skills and occupation_skills (SELECT ... stepping through
 * every column into nothing), inside one read transaction like the model.
 * Goals: median load <= 150 ms, peak RSS <= 64 MB.
 */
#include <sqlite3.h>

#include "bench_util.h"
#include "taxonomy/fow_model.h"

#define GOAL_MS 150.0
#define GOAL_RSS_MB 64.0

static void usage(const char *argv0) {
    fprintf(stderr, "usage: %s [DATA_DIR] [--runs N] [--db PATH]\n", argv0);
    exit(2);
}

/* Steps through every row of sql, touching each column; returns rows. */
static long long read_all(sqlite3 *db, const char *sql, unsigned long long *sink) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "prepare failed: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    long long rows = 0;
    int ncol = sqlite3_column_count(st);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < ncol; c++) {
            if (sqlite3_column_type(st, c) == SQLITE_INTEGER) {
                *sink += (unsigned long long)sqlite3_column_int64(st, c);
            } else {
                const unsigned char *s = sqlite3_column_text(st, c);
                *sink += (unsigned long long)sqlite3_column_bytes(st, c) + (s ? s[0] : 0);
            }
        }
        rows++;
    }
    if (r != SQLITE_DONE) {
        fprintf(stderr, "read failed: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    sqlite3_finalize(st);
    return rows;
}

/* The peer: the same rows the model is built from, read into nothing. */
static double peer_read(sqlite3 *db, int with_terms, long long *rows_out, unsigned long long *sink) {
    double t0 = bench_now_ms();
    long long rows = 0;
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    rows += read_all(db, "SELECT id, uri, code, isco_group, label FROM occupations", sink);
    rows += read_all(db,
                     "SELECT id, uri, label, skill_type, green, digital, transversal, language FROM skills",
                     sink);
    rows += read_all(db, "SELECT occupation_id, skill_id, essential FROM occupation_skills", sink);
    if (with_terms)
        rows += read_all(db, "SELECT folded, label, kind, entity_id, lang, preferred FROM search_terms", sink);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    double t1 = bench_now_ms();
    if (rows_out) *rows_out = rows;
    return t1 - t0;
}

static double load_once(fow_db *db, fow_model **out) {
    fow_error err;
    fow_error_clear(&err);
    double t0 = bench_now_ms();
    if (fow_model_load(db, out, &err) != FOW_OK) bench_die("fow_model_load", &err);
    return bench_now_ms() - t0;
}

int main(int argc, char **argv) {
    const char *data_arg = NULL, *db_arg = NULL;
    long runs = 11;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = strtol(argv[++i], NULL, 10);
            if (runs < 1 || runs > 10000) usage(argv[0]);
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db_arg = argv[++i];
        } else if (argv[i][0] == '-') {
            usage(argv[0]);
        } else if (!data_arg) {
            data_arg = argv[i];
        } else {
            usage(argv[0]);
        }
    }

    char dir[4096], db_path[4200];
    const char *data = bench_prepare_db(db_arg, data_arg, "fow-bench-model", dir, sizeof dir, db_path, sizeof db_path);

    fow_error err;
    fow_error_clear(&err);
    fow_db *db = NULL;
    if (fow_db_open(&db, db_path, true, &err) != FOW_OK) bench_die("fow_db_open", &err);

    long rss_before_kb = bench_proc_status_kb("VmRSS");
    long maxrss_before_kb = bench_maxrss_kb();

    /* the first load: the peak RSS of a process that has loaded the model */
    fow_model *model = NULL;
    double first_ms = load_once(db, &model);
    long maxrss_kb = bench_maxrss_kb();
    long hwm_kb = bench_proc_status_kb("VmHWM");
    long rss_loaded_kb = bench_proc_status_kb("VmRSS");
    uint32_t n_occ = model->n_occupations, n_skills = model->n_skills, n_links = model->n_links,
             n_terms = model->n_terms, n_words = model->n_words;
    size_t arena_bytes = model->arena.allocated, text_bytes = model->text_len;
    fow_model_free(model);

    double *load_ms = calloc((size_t)runs, sizeof *load_ms);
    double *peer_ms = calloc((size_t)runs, sizeof *peer_ms);
    double *peer_terms_ms = calloc((size_t)runs, sizeof *peer_terms_ms);
    if (!load_ms || !peer_ms || !peer_terms_ms) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    unsigned long long sink = 0;
    long long peer_rows = 0, peer_terms_rows = 0;
    for (long r = 0; r < runs; r++) {
        load_ms[r] = load_once(db, &model);
        fow_model_free(model);
        peer_ms[r] = peer_read(db->sql, 0, &peer_rows, &sink);
        peer_terms_ms[r] = peer_read(db->sql, 1, &peer_terms_rows, &sink);
    }
    fow_db_close(db);

    size_t n = (size_t)runs;
    double med = bench_median(load_ms, n), peer_med = bench_median(peer_ms, n);
    double peer_terms_med = bench_median(peer_terms_ms, n);
    long peak_kb = maxrss_kb > hwm_kb ? maxrss_kb : hwm_kb;
    double peak_mb = (double)peak_kb / 1024.0;

    printf("bench_model: fow_model_load vs a plain SQLite read of the same rows\n");
    printf("database: %s%s\n", db_path, db_arg ? "" : " (imported from the data by a child process)");
    if (data) printf("data:     %s\n", data);
    printf("sqlite:   %s\n", sqlite3_libversion());
    printf("model:    %u occupations, %u skills, %u links, %u terms, %u words; arena %.1f MB + text %.1f MB\n",
           n_occ, n_skills, n_links, n_terms, n_words, (double)arena_bytes / 1048576.0,
           (double)text_bytes / 1048576.0);
    printf("runs:     %ld (alternating, same connection)\n\n", runs);

    printf("%-58s %10s %10s %10s\n", "", "median ms", "min ms", "max ms");
    printf("%-58s %10.1f %10.1f %10.1f\n", "fow_model_load (full model)", med, bench_min(load_ms, n),
           bench_max(load_ms, n));
    printf("%-58s %10.1f %10.1f %10.1f\n", "peer: SELECT occupations, skills, occupation_skills", peer_med,
           bench_min(peer_ms, n), bench_max(peer_ms, n));
    printf("%-58s %10.1f %10.1f %10.1f\n", "(info) peer + SELECT search_terms", peer_terms_med,
           bench_min(peer_terms_ms, n), bench_max(peer_terms_ms, n));
    printf("first load (not in the runs): %.1f ms\n", first_ms);
    printf("peer rows read: %lld (with search_terms %lld)\n\n", peer_rows, peer_terms_rows);

    printf("memory of this process (KiB):\n");
    printf("  before the first load:  VmRSS %ld, ru_maxrss %ld\n", rss_before_kb, maxrss_before_kb);
    printf("  after the first load:   ru_maxrss %ld, VmHWM %ld, VmRSS %ld (model still loaded)\n", maxrss_kb,
           hwm_kb, rss_loaded_kb);
    printf("  peak RSS: %.1f MB\n\n", peak_mb);

    printf("ratio fow_model_load / peer read (medians): %.2f  (vs peer + search_terms: %.2f)\n", med / peer_med,
           med / peer_terms_med);
    printf("goal median load <= %.0f ms: %s (%.1f ms)\n", GOAL_MS, med <= GOAL_MS ? "met" : "NOT met", med);
    printf("goal peak RSS <= %.0f MB: %s (%.1f MB)\n", GOAL_RSS_MB, peak_mb <= GOAL_RSS_MB ? "met" : "NOT met",
           peak_mb);
    if (sink == 42) printf(" \n"); /* keep the peer's reads observable */

    if (!db_arg) {
        bench_remove_db(db_path);
        rmdir(dir);
    }
    free(load_ms);
    free(peer_ms);
    free(peer_terms_ms);
    return 0;
}
