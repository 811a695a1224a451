/* test_old_uploads.c — the upload folders earlier versions of fow serve
 * left in /tmp (src/http/old_uploads.h): removed only when they hold just
 * what those servers wrote, are the user's, mode 0700, and were made before
 * every process of the user started; all else is left as it is. Runs on a
 * folder of its own standing for /tmp and a made-up /proc whose process
 * start times it chooses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "test_support.h"

#include "http/old_uploads.h"

typedef struct world {
    ts_tmp t;
    char tmp[TS_PATH_MAX];  /* stands for /tmp */
    char proc[TS_PATH_MAX]; /* stands for /proc */
} world;

static void make_dir(const char *path, mode_t mode) {
    if (mkdir(path, mode) != 0 || chmod(path, mode) != 0) fail_msg("cannot make %s", path);
}

static int setup(void **state) {
    world *w = calloc(1, sizeof *w);
    if (!w) return -1;
    ts_tmp_make(&w->t);
    ts_join(w->tmp, sizeof w->tmp, w->t.dir, "tmp");
    ts_join(w->proc, sizeof w->proc, w->t.dir, "proc");
    make_dir(w->tmp, 0700);
    make_dir(w->proc, 0700);
    *state = w;
    return 0;
}

static int teardown(void **state) {
    world *w = *state;
    ts_tmp_remove(&w->t);
    free(w);
    return 0;
}

/* The made-up /proc: booted at boot (seconds since 1970); process pid of
 * uid started ticks clock ticks after it. */
static void proc_boot(world *w, long long boot) {
    char text[64], p[TS_PATH_MAX];
    snprintf(text, sizeof text, "cpu  1 2 3 4\nbtime %lld\nprocesses 9\n", boot);
    ts_write_string(w->proc, "stat", text, p, sizeof p);
}

static void proc_process(world *w, int pid, unsigned uid, long long ticks) {
    char dir[TS_PATH_MAX], name[32], text[512], p[TS_PATH_MAX];
    snprintf(name, sizeof name, "%d", pid);
    ts_join(dir, sizeof dir, w->proc, name);
    make_dir(dir, 0700);
    snprintf(text, sizeof text, "Name:\tfow\nState:\tS (sleeping)\nUid:\t%u\t%u\t%u\t%u\n", uid, uid, uid, uid);
    ts_write_string(dir, "status", text, p, sizeof p);
    /* a command name with a space and a ')' in it, as /proc allows */
    snprintf(text, sizeof text,
             "%d (fow (x) y) S 1 %d %d 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 3 0 %lld 1000 200 18446744073709551615\n",
             pid, pid, pid, ticks);
    ts_write_string(dir, "stat", text, p, sizeof p);
}

/* An old server's uploads folder tmp/name: two uploads waiting and a job's
 * folder with its file. */
static void old_folder(world *w, const char *name, char *path, size_t n) {
    char job[TS_PATH_MAX], p[TS_PATH_MAX];
    ts_join(path, n, w->tmp, name);
    make_dir(path, 0700);
    ts_write_string(path, "u1-occupations.csv", "uri,label\n", p, sizeof p);
    ts_write_string(path, "u12-skills.csv", "label\n", p, sizeof p);
    ts_join(job, sizeof job, path, "fow-job-3");
    make_dir(job, 0700);
    ts_write_string(job, "occupation_skills.csv", "occupation_uri,relation,skill_label\n", p, sizeof p);
}

/* Every process of the user started well after the folders were made. */
static void processes_started_after(world *w) {
    long ticks = sysconf(_SC_CLK_TCK);
    proc_boot(w, (long long)time(NULL) + 50);
    proc_process(w, 100, (unsigned)geteuid(), 30 * ticks);
    proc_process(w, 200, (unsigned)geteuid(), 90 * ticks);
    proc_process(w, 300, (unsigned)geteuid() + 1, 0); /* another user's, older: not counted */
}

static void test_unused_old_folders_removed(void **state) {
    world *w = *state;
    char a[TS_PATH_MAX], b[TS_PATH_MAX], other[TS_PATH_MAX], p[TS_PATH_MAX];
    old_folder(w, "fow-uploads-Ab3xYz", a, sizeof a);
    old_folder(w, "fow-uploads-000000", b, sizeof b);
    ts_write_string(w->tmp, "other-file", "x", other, sizeof other);
    processes_started_after(w);
    int kept = -1;
    assert_int_equal(http_remove_old_upload_folders(w->tmp, w->proc, &kept), 2);
    assert_int_equal(kept, 0);
    assert_false(ts_exists(a));
    assert_false(ts_exists(b));
    assert_true(ts_exists(other)); /* not a fow folder */
    assert_true(ts_exists(ts_join(p, sizeof p, w->tmp, "other-file")));
}

/* A process of the user that started before the folder was made may be
 * the old server using it. */
static void test_folder_of_a_running_process_kept(void **state) {
    world *w = *state;
    char a[TS_PATH_MAX], p[TS_PATH_MAX];
    old_folder(w, "fow-uploads-Ab3xYz", a, sizeof a);
    long ticks = sysconf(_SC_CLK_TCK);
    proc_boot(w, (long long)time(NULL) - 1000);
    proc_process(w, 100, (unsigned)geteuid(), 500 * ticks); /* 500 s before the folder */
    proc_process(w, 200, (unsigned)geteuid(), 2000 * ticks);
    int kept = -1;
    assert_int_equal(http_remove_old_upload_folders(w->tmp, w->proc, &kept), 0);
    assert_int_equal(kept, 1);
    assert_true(ts_exists(ts_join(p, sizeof p, a, "u1-occupations.csv")));
}

/* A process that started 1 s after the folder was made: within what the
 * clocks can tell apart, so it may be the one that made it. */
static void test_folder_made_just_before_a_start_kept(void **state) {
    world *w = *state;
    char a[TS_PATH_MAX];
    old_folder(w, "fow-uploads-Ab3xYz", a, sizeof a);
    proc_boot(w, (long long)time(NULL) + 1);
    proc_process(w, 100, (unsigned)geteuid(), 0);
    assert_int_equal(http_remove_old_upload_folders(w->tmp, w->proc, NULL), 0);
    assert_true(ts_exists(a));
}

/* Folders that are not provably an old server's are left whole. */
static void test_folders_not_fow_kept(void **state) {
    world *w = *state;
    char a[TS_PATH_MAX], b[TS_PATH_MAX], c[TS_PATH_MAX], d[TS_PATH_MAX], e[TS_PATH_MAX], target[TS_PATH_MAX],
        p[TS_PATH_MAX];
    old_folder(w, "fow-uploads-AAAAAA", a, sizeof a); /* with a file no old server wrote */
    ts_write_string(a, "notes.txt", "mine\n", p, sizeof p);
    old_folder(w, "fow-uploads-BBBBBB", b, sizeof b); /* readable by others */
    assert_int_equal(chmod(b, 0755), 0);
    old_folder(w, "fow-uploads-CCCCCC", c, sizeof c); /* a job folder with a folder in it */
    ts_join(p, sizeof p, c, "fow-job-3/deeper");
    make_dir(p, 0700);
    old_folder(w, "fow-uploads-abc", d, sizeof d); /* not a name mkdtemp makes */
    ts_join(target, sizeof target, w->t.dir, "elsewhere");
    old_folder(w, "../elsewhere", target, sizeof target);
    ts_join(e, sizeof e, w->tmp, "fow-uploads-DDDDDD"); /* a link */
    assert_int_equal(symlink(target, e), 0);
    processes_started_after(w);
    int kept = -1;
    assert_int_equal(http_remove_old_upload_folders(w->tmp, w->proc, &kept), 0);
    assert_int_equal(kept, 5);
    /* nothing of them was touched */
    assert_true(ts_exists(ts_join(p, sizeof p, a, "u1-occupations.csv")));
    assert_true(ts_exists(ts_join(p, sizeof p, a, "fow-job-3/occupation_skills.csv")));
    assert_true(ts_exists(ts_join(p, sizeof p, b, "u12-skills.csv")));
    assert_true(ts_exists(ts_join(p, sizeof p, c, "u1-occupations.csv")));
    assert_true(ts_exists(ts_join(p, sizeof p, c, "fow-job-3/occupation_skills.csv")));
    assert_true(ts_exists(ts_join(p, sizeof p, d, "u1-occupations.csv")));
    assert_true(ts_exists(ts_join(p, sizeof p, target, "u1-occupations.csv")));
}

/* Without a readable /proc nothing can be proved unused. */
static void test_no_proc_nothing_removed(void **state) {
    world *w = *state;
    char a[TS_PATH_MAX], missing[TS_PATH_MAX];
    old_folder(w, "fow-uploads-Ab3xYz", a, sizeof a);
    ts_join(missing, sizeof missing, w->t.dir, "no-proc");
    assert_int_equal(http_remove_old_upload_folders(w->tmp, missing, NULL), 0);
    assert_true(ts_exists(a));
    assert_int_equal(http_remove_old_upload_folders(w->tmp, w->proc, NULL), 0); /* no btime */
    assert_true(ts_exists(a));
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_unused_old_folders_removed),
        T(test_folder_of_a_running_process_kept),
        T(test_folder_made_just_before_a_start_kept),
        T(test_folders_not_fow_kept),
        T(test_no_proc_nothing_removed),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
