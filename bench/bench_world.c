/* bench_world.c — opening the world from its snapshot against building it,
 * a command-line query and a server start, on fow bundles of growing size.
 *
 *   bench_world --fow PATH [--peer-fow PATH] [--runs N] [--port P] BUNDLE...
 *
 * BUNDLE is a fow bundle folder (the ESCO data's esco-1.2.0, or a synthetic
 * one from bench/gen_bundle at 1x, 3x, 10x, generated under /tmp). For
 * each, in a temporary folder:
 *
 * 1. The bundle is imported with the library, then fow_world_refresh saves
 *    the snapshot (neither is timed here; bench_import times imports).
 * 2. World open, in-process: fow_world_open with FOW_WORLD_SNAPSHOT_IGNORE
 *    (the full rebuild every command did before: model, estimates, index)
 *    is the peer; fow_world_open from the snapshot, with every checksum
 *    checked (the server's open) and quick (the command line's), is
 *    measured against it. Medians of N runs each (default 7), alternating.
 * 3. Query, in-process: fow_transitions_from_occupation of the middle
 *    occupation (MCC, default filters), median of 101 runs.
 * 4. Command line: `fow --db DB transitions URI --json` (stdout to a
 *    file), median wall time of N runs; with --peer-fow, the same command of
 *    that fow (e.g. a build of main before the world) on its own import of
 *    the same bundle, alternating, and the two outputs compared byte for
 *    byte.
 * 5. Server start: `fow serve` until GET /api/v1/stats answers 200, median
 *    of 3 starts (stopped with SIGTERM); with --peer-fow the peer's too.
 *
 * Goals (issue 10): a query on the 10x taxonomy under 50 ms; the server
 * starting in a fraction of the full rebuild.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "service/fow_world.h"
#include "taxonomy/fow_import.h"
#include "transitions/fow_transitions.h"

extern char **environ;

#define MAX_RUNS 64

static void usage(void) {
    fprintf(stderr, "usage: bench_world --fow PATH [--peer-fow PATH] [--runs N] [--port P] BUNDLE...\n");
    exit(2);
}

/* Runs argv with stdout to out_path (NULL: /dev/null); the wall time in ms,
 * or -1 when it fails. */
static double run_timed(char *const argv[], const char *out_path) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    double t0 = bench_now_ms();
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) return -1;
    int status;
    if (waitpid(pid, &status, 0) != pid) return -1;
    double t = bench_now_ms() - t0;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? t : -1;
}

/* True when GET path on 127.0.0.1:port answers with status 200. */
static int http_ok(int port, const char *path) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ok = 0;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
        char req[256];
        int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", path);
        char buf[64] = {0};
        if (write(fd, req, (size_t)n) == n && read(fd, buf, sizeof buf - 1) > 12)
            ok = strncmp(buf, "HTTP/1.1 200", 12) == 0;
    }
    close(fd);
    return ok;
}

/* Starts `fow serve` on port and waits until it answers: ms, or -1. */
static double serve_start(const char *fow, const char *db, int port) {
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    char *argv[] = {(char *)fow, "--quiet", "--db", (char *)db, "serve", "--listen", listen, "--access-log",
                    "/dev/null", NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    double t0 = bench_now_ms();
    pid_t pid;
    int rc = posix_spawn(&pid, fow, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) return -1;
    double t = -1;
    for (int i = 0; i < 60000; i++) {
        if (http_ok(port, "/api/v1/stats")) {
            t = bench_now_ms() - t0;
            break;
        }
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) return -1; /* it stopped */
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    return t;
}

static int files_equal(const char *a, const char *b) {
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int x = fgetc(fa), y = fgetc(fb);
        if (x != y) same = 0;
        if (x == EOF || y == EOF) break;
    }
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    return same;
}

static void import_bundle(const char *dir, const char *db_path) {
    fow_db *db;
    fow_error err;
    fow_error_clear(&err);
    fow_import_report report;
    if (fow_db_open(&db, db_path, false, &err)) bench_die("opening the database", &err);
    if (fow_import_bundle(db, dir, NULL, &report, &err)) bench_die("importing the bundle", &err);
    fow_db_close(db);
    if (fow_world_refresh(db_path, &err)) bench_die("saving the snapshot", &err);
}

static void bench_bundle(const char *dir, const char *fow, const char *peer, int runs, int port) {
    char tmp[256], db[512], peer_db[512], snap[600], out_a[600], out_b[600];
    bench_mkdtemp(tmp, sizeof tmp, "bench_world");
    snprintf(db, sizeof db, "%s/fow.db", tmp);
    snprintf(peer_db, sizeof peer_db, "%s/peer.db", tmp);
    snprintf(out_a, sizeof out_a, "%s/fow.json", tmp);
    snprintf(out_b, sizeof out_b, "%s/peer.json", tmp);
    fow_world_snapshot_path(db, snap, sizeof snap);
    import_bundle(dir, db);
    struct stat st;
    double snap_mb = stat(snap, &st) == 0 ? (double)st.st_size / 1e6 : 0;
    fow_error err;
    fow_error_clear(&err);

    /* 2. world open: rebuilt (peer) and mapped, alternating */
    double built[MAX_RUNS], mapped[MAX_RUNS], quick[MAX_RUNS];
    fow_world_options ignore = {.snapshot = FOW_WORLD_SNAPSHOT_IGNORE}, fast = {.quick = true};
    uint32_t n_occ = 0;
    for (int r = 0; r < runs; r++) {
        fow_world *w;
        double t0 = bench_now_ms();
        if (fow_world_open(db, &ignore, &w, &err)) bench_die("building the world", &err);
        built[r] = bench_now_ms() - t0;
        n_occ = fow_world_model(w)->n_occupations;
        fow_world_release(w);
        t0 = bench_now_ms();
        if (fow_world_open(db, NULL, &w, &err)) bench_die("mapping the world", &err);
        mapped[r] = bench_now_ms() - t0;
        if (!fow_world_from_snapshot(w)) {
            fprintf(stderr, "bench_world: the snapshot of %s was not used\n", db);
            exit(1);
        }
        fow_world_release(w);
        t0 = bench_now_ms();
        if (fow_world_open(db, &fast, &w, &err)) bench_die("mapping the world", &err);
        quick[r] = bench_now_ms() - t0;
        fow_world_release(w);
    }

    /* 3. one query in-process */
    fow_world *w;
    if (fow_world_open(db, NULL, &w, &err)) bench_die("mapping the world", &err);
    const fow_model *m = fow_world_model(w);
    uint32_t origin = m->n_occupations / 2;
    char uri[512];
    snprintf(uri, sizeof uri, "%s", m->occupations[origin].uri);
    fow_similarity_workspace *ws = fow_world_workspace_borrow(w);
    fow_transition_query q;
    fow_transition_query_default(fow_world_index(w), &q);
    fow_transition results[20];
    double query[101];
    for (int r = 0; r < 101; r++) {
        double t0 = bench_now_ms();
        uint32_t n_out, n_matching;
        fow_transitions_from_occupation(ws, origin, &q, results, 20, &n_out, &n_matching);
        query[r] = bench_now_ms() - t0;
    }
    fow_world_workspace_return(w, ws);
    fow_world_release(w);

    /* 4. the command line */
    char *argv_fow[] = {(char *)fow, "--db", db, "transitions", uri, "--json", NULL};
    char *argv_peer[] = {(char *)peer, "--db", peer_db, "transitions", uri, "--json", NULL};
    double cli[MAX_RUNS], cli_peer[MAX_RUNS];
    int have_peer = 0, same_output = 0;
    if (peer) {
        char *argv_import[] = {(char *)peer, "--quiet", "--db", peer_db, "import", "bundle", (char *)dir, NULL};
        have_peer = run_timed(argv_import, NULL) >= 0;
        if (!have_peer) fprintf(stderr, "bench_world: the peer could not import %s\n", dir);
    }
    for (int r = 0; r < runs; r++) {
        cli[r] = run_timed(argv_fow, out_a);
        if (have_peer) cli_peer[r] = run_timed(argv_peer, out_b);
        if (cli[r] < 0 || (have_peer && cli_peer[r] < 0)) {
            fprintf(stderr, "bench_world: a command failed on %s\n", dir);
            exit(1);
        }
    }
    if (have_peer) same_output = files_equal(out_a, out_b);

    /* 5. the server */
    double serve[3], serve_peer[3];
    for (int r = 0; r < 3; r++) {
        serve[r] = serve_start(fow, db, port);
        if (have_peer) serve_peer[r] = serve_start(peer, peer_db, port + 1);
    }

    const char *name = strrchr(dir, '/');
    name = name && name[1] ? name + 1 : dir;
    printf("%s: %u occupations, snapshot %.1f MB\n", name, n_occ, snap_mb);
    double b = bench_median(built, (size_t)runs), s = bench_median(mapped, (size_t)runs);
    double sq = bench_median(quick, (size_t)runs);
    printf("  world open    rebuild %9.1f ms   snapshot (checksums) %7.2f ms %6.0fx faster   "
           "snapshot (quick, the CLI's) %7.2f ms %6.0fx faster\n",
           b, s, b / s, sq, b / sq);
    printf("  query         transitions of one occupation in-process %.3f ms\n", bench_median(query, 101));
    double c = bench_median(cli, (size_t)runs);
    if (have_peer) {
        double cp = bench_median(cli_peer, (size_t)runs);
        printf("  CLI query     peer %9.1f ms   fow %9.1f ms   %6.1fx faster   output %s   goal < 50 ms: %s\n", cp,
               c, cp / c, same_output ? "identical" : "DIFFERS", bench_met(c < 50));
    } else {
        printf("  CLI query     fow %9.1f ms   goal < 50 ms: %s\n", c, bench_met(c < 50));
    }
    double sv = bench_median(serve, 3);
    if (have_peer) {
        double sp = bench_median(serve_peer, 3);
        printf("  serve start   peer %9.1f ms   fow %9.1f ms   %6.1fx faster\n", sp, sv, sp / sv);
    } else {
        printf("  serve start   fow %9.1f ms   (rebuild in-process %.1f ms)\n", sv, b);
    }
    fflush(stdout);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0) fprintf(stderr, "bench_world: could not remove %s\n", tmp);
}

int main(int argc, char **argv) {
    const char *fow = NULL, *peer = NULL;
    long runs = 7, port = 18400 + (long)(getpid() % 500) * 2;
    const char *bundles[16];
    int n_bundles = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--fow") == 0 && i + 1 < argc) fow = argv[++i];
        else if (strcmp(argv[i], "--peer-fow") == 0 && i + 1 < argc) peer = argv[++i];
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 1, MAX_RUNS, &runs)) usage();
        } else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 1024, 65000, &port)) usage();
        } else if (argv[i][0] != '-' && n_bundles < 16) bundles[n_bundles++] = argv[i];
        else usage();
    }
    if (!fow || n_bundles == 0) usage();
    printf("bench_world: medians; world open rebuild = the full build every command did before the snapshot\n");
    for (int i = 0; i < n_bundles; i++) bench_bundle(bundles[i], fow, peer, (int)runs, (int)port);
    return 0;
}
