/* test_world_holder.c — the world holder (fow_world_holder.h): a world that
 * read the database earlier never replaces one that read it later, whatever
 * order the loads finish in; a reload of an unchanged database keeps the
 * published world; and under reloads racing imports and readers, every
 * world a reader gets is one state (its numbers and its source labels from
 * the same import), the states a reader sees never go back, and once the
 * imports stop the last state is the one published. Runs on the hand-made
 * taxonomy tests/fixtures/transitions-small. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test_support.h"

#include "service/fow_world.h"
#include "service/fow_world_holder.h"
#include "store/fow_data_version.h"
#include "taxonomy/fow_import.h"

#define PROBE_URI "urn:test:tr:occupation:hydraulic-mechanic"
#define EARNINGS_BASE 40000

typedef struct holder_fixture {
    ts_db d;
    fow_world_holder *holder;
    char attributes[TS_PATH_MAX + 32];
} holder_fixture;

static int setup(void **state) {
    holder_fixture *f = calloc(1, sizeof *f);
    ts_db_fresh(&f->d);
    ts_import_bundle_fixture(f->d.db, "transitions-small", NULL);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_world_holder_new(&f->holder, &err), &err);
    snprintf(f->attributes, sizeof f->attributes, "%s/attributes.csv", f->d.tmp.dir);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    holder_fixture *f = *state;
    fow_world_holder_free(f->holder);
    assert_int_equal(fow_world_live(), 0); /* every world offered, published or dropped, is freed */
    ts_db_free(&f->d);
    free(f);
    return 0;
}

static fow_world *open_world(const char *path) {
    fow_world *w = NULL;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_world_open(path, NULL, &w, &err), &err);
    return w;
}

/* Imports attributes giving the probe occupation earnings EARNINGS_BASE +
 * step, as source version "v<step>": each step changes the data, so each
 * is one more generation. */
static void import_step(holder_fixture *f, int step) {
    FILE *out = fopen(f->attributes, "w");
    assert_non_null(out);
    fprintf(out, "occupation_uri,job_zone,annual_earnings_gbp\n%s,2,%d\n", PROBE_URI, EARNINGS_BASE + step);
    fclose(out);
    char version[32];
    snprintf(version, sizeof version, "v%d", step);
    fow_import_options opt = {.version = version};
    static fow_import_report report; /* large: off the stack */
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_attributes(f->d.db, f->attributes, &opt, &report, &err), &err);
}

static fow_data_version db_version(holder_fixture *f) {
    fow_data_version v;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_data_version_read(f->d.db, &v, &err), &err);
    return v;
}

/* The probe's earnings step in w (EARNINGS_BASE + step), or -1 when it has
 * none; *label_step gets the step named by the attributes' source label
 * ("... (v<step>)"), -1 when none. */
static int world_step(const fow_world *w, int *label_step) {
    const fow_model *m = fow_world_model(w);
    int step = -1;
    for (uint32_t o = 0; o < m->n_occupations; o++)
        if (strcmp(m->occupations[o].uri, PROBE_URI) == 0 && !isnan(m->occupations[o].earnings))
            step = (int)m->occupations[o].earnings - EARNINGS_BASE;
    const char *label = fow_world_sources_of(w)->attributes, *v = strrchr(label, '(');
    *label_step = -1;
    if (v && sscanf(v, "(v%d)", label_step) != 1) *label_step = -1;
    return step;
}

/* A load that read the database before an import, finishing after a load
 * that read it after the import, is dropped: the newer state stays. */
static void test_older_read_never_replaces_newer(void **state) {
    holder_fixture *f = *state;
    import_step(f, 1);
    fow_world *older = open_world(f->d.path);
    import_step(f, 2);
    fow_world *newer = open_world(f->d.path);
    assert_true(fow_world_read_order(newer) > fow_world_read_order(older));
    assert_int_equal(fow_world_holder_serial(f->holder), 0);
    assert_null(fow_world_holder_acquire(f->holder, NULL));

    assert_int_equal(fow_world_holder_offer(f->holder, newer), FOW_WORLD_PUBLISHED);
    assert_int_equal(fow_world_holder_offer(f->holder, older), FOW_WORLD_SUPERSEDED);
    assert_int_equal(fow_world_holder_superseded(f->holder), 1);
    uint64_t serial = 0;
    fow_world *w = fow_world_holder_acquire(f->holder, &serial);
    assert_int_equal(serial, 1);
    int label = 0;
    assert_int_equal(world_step(w, &label), 2);
    assert_int_equal(label, 2);
    fow_data_version now = db_version(f);
    assert_true(fow_data_version_same(fow_world_data_version(w), &now));
    fow_world_release(w);
}

/* The other order: the older load finishes first and is published, then
 * the newer replaces it; readers holding the older keep it whole. */
static void test_newer_read_replaces_older(void **state) {
    holder_fixture *f = *state;
    import_step(f, 1);
    fow_world *older = open_world(f->d.path);
    import_step(f, 2);
    fow_world *newer = open_world(f->d.path);
    assert_int_equal(fow_world_holder_offer(f->holder, older), FOW_WORLD_PUBLISHED);
    fow_world *reader = fow_world_holder_acquire(f->holder, NULL);
    assert_int_equal(fow_world_holder_offer(f->holder, newer), FOW_WORLD_PUBLISHED);
    assert_int_equal(fow_world_holder_serial(f->holder), 2);
    int label = 0;
    assert_int_equal(world_step(reader, &label), 1);
    assert_int_equal(label, 1);
    fow_world_release(reader);
    fow_world *w = fow_world_holder_acquire(f->holder, NULL);
    assert_int_equal(world_step(w, &label), 2);
    fow_world_release(w);
}

/* A reload of an unchanged database keeps the published world and its
 * serial; a reload after an import publishes the new state. */
static void test_reload_same_state_keeps_world(void **state) {
    holder_fixture *f = *state;
    import_step(f, 1);
    fow_error err;
    fow_error_clear(&err);
    fow_world_offer outcome = FOW_WORLD_SUPERSEDED;
    assert_fow_ok(fow_world_holder_reload(f->holder, f->d.path, NULL, &outcome, &err), &err);
    assert_int_equal(outcome, FOW_WORLD_PUBLISHED);
    fow_world *first = fow_world_holder_acquire(f->holder, NULL);
    assert_fow_ok(fow_world_holder_reload(f->holder, f->d.path, NULL, &outcome, &err), &err);
    assert_int_equal(outcome, FOW_WORLD_SAME_STATE);
    assert_int_equal(fow_world_holder_serial(f->holder), 1);
    fow_world *still = fow_world_holder_acquire(f->holder, NULL);
    assert_ptr_equal(first, still);
    fow_world_release(still);
    fow_world_release(first);
    import_step(f, 2);
    fow_world *early = open_world(f->d.path); /* read before the next reload */
    assert_fow_ok(fow_world_holder_reload(f->holder, f->d.path, NULL, &outcome, &err), &err);
    assert_int_equal(outcome, FOW_WORLD_PUBLISHED);
    assert_int_equal(fow_world_holder_serial(f->holder), 2);
    /* a failed reload keeps the world */
    char missing[TS_PATH_MAX + 16];
    snprintf(missing, sizeof missing, "%s/none.db", f->d.tmp.dir);
    assert_int_not_equal(fow_world_holder_reload(f->holder, missing, NULL, &outcome, &err), FOW_OK);
    assert_int_equal(fow_world_holder_serial(f->holder), 2);
    /* cleared, the holder publishes only a read later than the last published */
    fow_world_holder_clear(f->holder);
    assert_null(fow_world_holder_acquire(f->holder, NULL));
    assert_int_equal(fow_world_holder_serial(f->holder), 0);
    assert_int_equal(fow_world_holder_offer(f->holder, early), FOW_WORLD_SUPERSEDED);
    assert_fow_ok(fow_world_holder_reload(f->holder, f->d.path, NULL, &outcome, &err), &err);
    assert_int_equal(outcome, FOW_WORLD_PUBLISHED);
    assert_int_equal(fow_world_holder_serial(f->holder), 3);
}

/* ---- the race ------------------------------------------------------------- */

#define RELOADERS 3
#define IMPORTS 12

typedef struct race {
    holder_fixture *f;
    atomic_bool stop;
    atomic_int reloads[RELOADERS];
    atomic_int failures;   /* a reload that failed */
    atomic_int mixed;      /* a world whose numbers and labels name different imports */
    atomic_int backwards;  /* a reader saw an older state after a newer one */
    atomic_int reads;
    int64_t first_generation; /* the data generation of step 1 */
} race;

typedef struct reloader_arg {
    race *r;
    int index;
} reloader_arg;

static void *reloader(void *p) {
    reloader_arg *a = p;
    while (!atomic_load(&a->r->stop)) {
        fow_error err;
        fow_error_clear(&err);
        if (fow_world_holder_reload(a->r->f->holder, a->r->f->d.path, NULL, NULL, &err))
            atomic_fetch_add(&a->r->failures, 1);
        atomic_fetch_add(&a->r->reloads[a->index], 1);
    }
    return NULL;
}

static void *reader(void *p) {
    race *r = p;
    int64_t last = -1;
    while (!atomic_load(&r->stop)) {
        fow_world *w = fow_world_holder_acquire(r->f->holder, NULL);
        if (!w) continue;
        int label = 0, step = world_step(w, &label);
        int64_t generation = fow_world_data_version(w)->generation;
        /* step k was committed as data generation first_generation + k - 1 */
        if (step != label || generation != r->first_generation + step - 1) atomic_fetch_add(&r->mixed, 1);
        if (generation < last) atomic_fetch_add(&r->backwards, 1);
        last = generation;
        atomic_fetch_add(&r->reads, 1);
        fow_world_release(w);
    }
    return NULL;
}

static void test_reloads_race_imports_and_readers(void **state) {
    holder_fixture *f = *state;
    race r = {.f = f};
    import_step(f, 1);
    r.first_generation = db_version(f).generation;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_world_holder_reload(f->holder, f->d.path, NULL, NULL, &err), &err);
    pthread_t reloaders[RELOADERS], readers[2];
    reloader_arg args[RELOADERS];
    for (int i = 0; i < RELOADERS; i++) {
        args[i] = (reloader_arg){&r, i};
        assert_int_equal(pthread_create(&reloaders[i], NULL, reloader, &args[i]), 0);
    }
    for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&readers[i], NULL, reader, &r), 0);
    for (int step = 2; step <= IMPORTS; step++) {
        import_step(f, step);
        nanosleep(&(struct timespec){0, 3000000}, NULL);
    }
    /* every reloader finishes two more loads: at least one read after the last commit */
    int after[RELOADERS];
    for (int i = 0; i < RELOADERS; i++) after[i] = atomic_load(&r.reloads[i]);
    for (int i = 0; i < RELOADERS; i++)
        while (atomic_load(&r.reloads[i]) < after[i] + 2) nanosleep(&(struct timespec){0, 1000000}, NULL);
    atomic_store(&r.stop, true);
    for (int i = 0; i < RELOADERS; i++) pthread_join(reloaders[i], NULL);
    for (int i = 0; i < 2; i++) pthread_join(readers[i], NULL);

    assert_int_equal(atomic_load(&r.failures), 0);
    assert_int_equal(atomic_load(&r.mixed), 0);
    assert_int_equal(atomic_load(&r.backwards), 0);
    assert_true(atomic_load(&r.reads) > 0);
    /* the last state is the one published, with no reload after the race */
    fow_world *w = fow_world_holder_acquire(f->holder, NULL);
    fow_data_version now = db_version(f);
    assert_true(fow_data_version_same(fow_world_data_version(w), &now));
    int label = 0;
    assert_int_equal(world_step(w, &label), IMPORTS);
    assert_int_equal(label, IMPORTS);
    fow_world_release(w);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_older_read_never_replaces_newer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_read_replaces_older, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reload_same_state_keeps_world, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reloads_race_imports_and_readers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
