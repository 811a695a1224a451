/* test_world.c — the world (fow_world.h) and its snapshot: built on the
 * first open and saved; mapped by the next with the same answers as a fresh
 * build; stale after an import; a damaged, cut or foreign file rebuilt,
 * never trusted; references and the workspace pool. Runs on the
 * hand-made taxonomy tests/fixtures/transitions-small. */
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_support.h"

#include "base/fow_snapfile.h"
#include "service/fow_world.h"
#include "store/fow_data_version.h"
#include "transitions/fow_transitions.h"

typedef struct world_fixture {
    ts_db d;
    char snapshot[TS_PATH_MAX + 16];
} world_fixture;

static void import_small(fow_db *db) {
    ts_import_bundle_fixture(db, "transitions-small", NULL);
    ts_import_fixture_file(db, "risk", "transitions-small/risk-mcc.csv", "mcc", NULL);
    ts_import_fixture_file(db, "risk", "transitions-small/risk-frey-osborne.csv", "frey-osborne", NULL);
    ts_import_fixture_file(db, "attributes", "transitions-small/attributes.csv", NULL, NULL);
}

static int setup(void **state) {
    world_fixture *f = calloc(1, sizeof *f);
    ts_db_fresh(&f->d);
    fow_world_snapshot_path(f->d.path, f->snapshot, sizeof f->snapshot);
    *state = f;
    return 0;
}

static int setup_imported(void **state) {
    setup(state);
    world_fixture *f = *state;
    import_small(f->d.db);
    return 0;
}

static int teardown(void **state) {
    world_fixture *f = *state;
    ts_db_free(&f->d);
    free(f);
    return 0;
}

static fow_world *open_world(const char *path, fow_world_snapshot mode, bool quick) {
    fow_world *w = NULL;
    fow_error err;
    fow_error_clear(&err);
    fow_world_options o = {.snapshot = mode, .quick = quick};
    assert_fow_ok(fow_world_open(path, &o, &w, &err), &err);
    assert_non_null(w);
    return w;
}

static bool same_float(float a, float b) { return memcmp(&a, &b, sizeof a) == 0; }

/* Fails unless a and b answer every question the same way. */
static void assert_worlds_equal(fow_world *a, fow_world *b) {
    const fow_model *ma = fow_world_model(a), *mb = fow_world_model(b);
    assert_int_equal(ma->n_occupations, mb->n_occupations);
    assert_int_equal(ma->n_skills, mb->n_skills);
    assert_int_equal(ma->n_links, mb->n_links);
    assert_int_equal(ma->n_terms, mb->n_terms);
    assert_int_equal(ma->n_words, mb->n_words);
    assert_int_equal(ma->n_preferred, mb->n_preferred);
    assert_int_equal(ma->text_len, mb->text_len);
    assert_memory_equal(ma->text, mb->text, ma->text_len);
    for (uint32_t i = 0; i < ma->n_occupations; i++) {
        const fow_model_occupation *x = &ma->occupations[i], *y = &mb->occupations[i];
        assert_int_equal(x->id, y->id);
        assert_string_equal(x->uri, y->uri);
        assert_string_equal(x->code, y->code);
        assert_string_equal(x->isco_group, y->isco_group);
        assert_string_equal(x->label, y->label);
        assert_string_equal(x->skills_sector, y->skills_sector);
        assert_int_equal(x->parent, y->parent);
        assert_int_equal(x->mcc_category, y->mcc_category);
        assert_true(same_float(x->risk_mcc, y->risk_mcc) && same_float(x->risk_frey_osborne, y->risk_frey_osborne));
        assert_true(same_float(x->prevalence_mcc, y->prevalence_mcc) && same_float(x->job_zone, y->job_zone) &&
                    same_float(x->earnings, y->earnings));
        assert_int_equal(ma->occ_offsets[i + 1], mb->occ_offsets[i + 1]);
    }
    for (uint32_t i = 0; i < ma->n_skills; i++) {
        assert_int_equal(ma->skills[i].id, mb->skills[i].id);
        assert_string_equal(ma->skills[i].uri, mb->skills[i].uri);
        assert_string_equal(ma->skills[i].label, mb->skills[i].label);
        assert_int_equal(ma->skills[i].flags, mb->skills[i].flags);
        assert_int_equal(ma->skills[i].is_knowledge, mb->skills[i].is_knowledge);
    }
    assert_memory_equal(ma->occ_links, mb->occ_links, ma->n_links * sizeof *ma->occ_links);
    assert_memory_equal(ma->skill_links, mb->skill_links, ma->n_links * sizeof *ma->skill_links);
    for (uint32_t i = 0; i < ma->n_terms; i++) {
        const fow_model_term *x = &ma->terms[i], *y = &mb->terms[i];
        assert_true(x->folded == y->folded && x->label == y->label && x->entity == y->entity &&
                    x->folded_len == y->folded_len && x->kind == y->kind && x->preferred == y->preferred);
        assert_string_equal(x->lang, y->lang);
    }
    if (ma->n_words) assert_memory_equal(ma->words, mb->words, ma->n_words * sizeof *ma->words);
    if (ma->n_preferred) assert_memory_equal(ma->preferred, mb->preferred, ma->n_preferred * sizeof *ma->preferred);
    /* the same transitions, similarities to the bit, from every origin */
    fow_similarity_workspace *wa = fow_world_workspace_borrow(a), *wb = fow_world_workspace_borrow(b);
    assert_non_null(wa);
    assert_non_null(wb);
    fow_transition_query q;
    fow_transition_query_default(fow_world_index(a), &q);
    q.min_similarity = 0;
    fow_transition ta[64], tb[64];
    for (uint32_t o = 0; o < ma->n_occupations; o++) {
        uint32_t na, nb, ka, kb;
        fow_transitions_from_occupation(wa, o, &q, ta, 64, &na, &ka);
        fow_transitions_from_occupation(wb, o, &q, tb, 64, &nb, &kb);
        assert_int_equal(na, nb);
        assert_int_equal(ka, kb);
        assert_true(na > 0);
        for (uint32_t i = 0; i < na; i++) {
            assert_int_equal(ta[i].destination, tb[i].destination);
            assert_true(same_float(ta[i].similarity, tb[i].similarity));
            /* the essential skills rule reads the probable skills the snapshot keeps */
            assert_int_equal(ta[i].essential_missing, tb[i].essential_missing);
            assert_int_equal(ta[i].essential_total, tb[i].essential_total);
            assert_int_equal(ta[i].viable, tb[i].viable);
        }
    }
    const fow_similarity_index *xa = fow_world_index(a), *xb = fow_world_index(b);
    assert_memory_equal(xa->probable_offsets, xb->probable_offsets, (ma->n_occupations + 1) * sizeof(uint32_t));
    uint32_t n_probable = xa->probable_offsets[ma->n_occupations];
    assert_true(n_probable > 0);
    assert_memory_equal(xa->probable, xb->probable, n_probable * sizeof *xa->probable);
    fow_world_workspace_return(a, wa);
    fow_world_workspace_return(b, wb);
    /* the risk estimates of every occupation and ISCO code, and the sources */
    const fow_risk_estimates *ea = fow_world_estimates(a), *eb = fow_world_estimates(b);
    for (int m = 0; m < 2; m++) {
        for (uint32_t o = 0; o < ma->n_occupations; o++) {
            const fow_code_estimate *x = fow_risk_estimate_occupation(ea, (fow_risk_model)m, o);
            const fow_code_estimate *y = fow_risk_estimate_occupation(eb, (fow_risk_model)m, o);
            assert_int_equal(x->method, y->method);
            assert_true(isnan(x->risk) ? isnan(y->risk) : x->risk == y->risk);
        }
        static const char *const codes[] = {"7", "72", "723", "7233", "7412", "2", "9999"};
        for (size_t c = 0; c < sizeof codes / sizeof codes[0]; c++) {
            const fow_code_estimate *x = fow_risk_estimate_isco(ea, (fow_risk_model)m, codes[c]);
            const fow_code_estimate *y = fow_risk_estimate_isco(eb, (fow_risk_model)m, codes[c]);
            assert_int_equal(x->method, y->method);
            assert_int_equal(x->n_occupations, y->n_occupations);
            assert_true(isnan(x->risk) ? isnan(y->risk) : x->risk == y->risk);
            assert_string_equal(fow_isco_label(ea, codes[c]), fow_isco_label(eb, codes[c]));
            const uint32_t *fa, *fb;
            uint32_t n = fow_risk_estimates_occupations_in(ea, codes[c], &fa);
            assert_int_equal(n, fow_risk_estimates_occupations_in(eb, codes[c], &fb));
            if (n) assert_memory_equal(fa, fb, n * sizeof *fa);
        }
        assert_string_equal(fow_risk_estimates_source(ea, (fow_risk_model)m),
                            fow_risk_estimates_source(eb, (fow_risk_model)m));
    }
    assert_memory_equal(fow_world_sources_of(a), fow_world_sources_of(b), sizeof(fow_world_sources));
    const fow_data_version *va = fow_world_data_version(a), *vb = fow_world_data_version(b);
    assert_true(fow_data_version_same(va, vb));
}

/* The first open builds the world and saves it beside the database. */
static void test_open_builds_snapshot(void **state) {
    world_fixture *f = *state;
    assert_false(ts_exists(f->snapshot));
    fow_world *w = open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, false);
    assert_false(fow_world_from_snapshot(w));
    assert_true(ts_exists(f->snapshot));
    const fow_data_version *v = fow_world_data_version(w);
    assert_int_equal(v->generation, 4); /* four imports */
    assert_int_equal(strlen(v->stamp), 32);
    const fow_world_sources *s = fow_world_sources_of(w);
    assert_string_equal(s->taxonomy, "fow transitions test bundle (1.0)");
    assert_true(s->risk[FOW_RISK_MODEL_MCC][0] && s->risk[FOW_RISK_MODEL_FREY_OSBORNE][0] && s->attributes[0]);
    assert_true(fow_world_model(w)->n_occupations > 5);
    fow_world_release(w);
    /* no temporary file is left beside it */
    DIR *dir = opendir(f->d.tmp.dir);
    assert_non_null(dir);
    struct dirent *e;
    while ((e = readdir(dir)))
        if (strstr(e->d_name, ".world.")) fail_msg("a temporary snapshot was left: %s", e->d_name);
    closedir(dir);
}

/* The second open maps the snapshot and answers exactly as a fresh build. */
static void test_second_open_maps_same_answers(void **state) {
    world_fixture *f = *state;
    fow_world_release(open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, false));
    fow_world *mapped = open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, false);
    fow_world *quick = open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, true);
    fow_world *built = open_world(f->d.path, FOW_WORLD_SNAPSHOT_IGNORE, false);
    assert_true(fow_world_from_snapshot(mapped));
    assert_true(fow_world_from_snapshot(quick));
    assert_false(fow_world_from_snapshot(built));
    assert_worlds_equal(built, mapped);
    assert_worlds_equal(built, quick);
    fow_world_release(mapped);
    fow_world_release(quick);
    fow_world_release(built);
}

/* An import makes the snapshot stale: the next open builds (and saves);
 * fow_world_refresh brings it up to date as well. */
static void test_import_makes_snapshot_stale(void **state) {
    world_fixture *f = *state;
    fow_world *before = open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, false);
    int64_t generation = fow_world_data_version(before)->generation;
    ts_import_fixture_file(f->d.db, "crosswalk", "crosswalk-esco-onet-small.csv", NULL, NULL);
    fow_world *after = open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, true);
    assert_false(fow_world_from_snapshot(after));
    assert_int_equal(fow_world_data_version(after)->generation, generation + 1);
    fow_world *again = open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, true);
    assert_true(fow_world_from_snapshot(again));
    assert_worlds_equal(after, again);
    /* the old world is still whole while someone holds it */
    assert_true(fow_world_model(before)->n_occupations > 0);
    fow_world_release(before);
    fow_world_release(after);
    fow_world_release(again);
    /* an import followed by a refresh: the next open maps */
    ts_import_fixture_file(f->d.db, "crosswalk", "crosswalk-isco-soc-small.csv", NULL, NULL);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_world_refresh(f->d.path, &err), &err);
    fow_world *refreshed = open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, true);
    assert_true(fow_world_from_snapshot(refreshed));
    assert_int_equal(fow_world_data_version(refreshed)->generation, generation + 2);
    fow_world_release(refreshed);
    /* an import that changes nothing keeps the data version */
    ts_import_fixture_file(f->d.db, "crosswalk", "crosswalk-isco-soc-small.csv", NULL, NULL);
    fow_world *same = open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, true);
    assert_true(fow_world_from_snapshot(same));
    fow_world_release(same);
}

/* Replaces the snapshot by its first keep bytes, then flips the byte at
 * flip (unless negative). */
static void damage(const char *path, long keep, long flip) {
    size_t len;
    unsigned char *bytes = (unsigned char *)ts_read_file(path, &len);
    if (keep >= 0 && (size_t)keep < len) len = (size_t)keep;
    if (flip >= 0 && (size_t)flip < len) bytes[flip] ^= 0x5a;
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    assert_int_equal(fwrite(bytes, 1, len, out), len);
    fclose(out);
    free(bytes);
}

static long file_size(const char *path) {
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (long)st.st_size;
}

/* Opens with a damaged snapshot: built, not mapped, and the snapshot is
 * saved again, so that the open after maps it. */
static void assert_rebuilt(world_fixture *f, bool quick) {
    fow_world *reference = open_world(f->d.path, FOW_WORLD_SNAPSHOT_IGNORE, false);
    fow_world *w = open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, quick);
    assert_false(fow_world_from_snapshot(w));
    assert_worlds_equal(reference, w);
    fow_world_release(w);
    w = open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, quick);
    assert_true(fow_world_from_snapshot(w));
    assert_worlds_equal(reference, w);
    fow_world_release(w);
    fow_world_release(reference);
}

static void test_damaged_snapshot_is_rebuilt(void **state) {
    world_fixture *f = *state;
    fow_world_release(open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, false));
    long size = file_size(f->snapshot);
    assert_true(size > 4096);
    /* cut short: in the data, in the header, to nothing */
    damage(f->snapshot, size / 2, -1);
    assert_rebuilt(f, true);
    damage(f->snapshot, 100, -1);
    assert_rebuilt(f, true);
    damage(f->snapshot, 0, -1);
    assert_rebuilt(f, true);
    /* a byte of the magic, of the section table, one byte too many */
    damage(f->snapshot, -1, 2);
    assert_rebuilt(f, true);
    damage(f->snapshot, -1, 300);
    assert_rebuilt(f, true);
    FILE *grow = fopen(f->snapshot, "ab");
    fputc(0, grow);
    fclose(grow);
    assert_rebuilt(f, true);
    /* a byte in the middle of the data and the last byte: the checksums */
    damage(f->snapshot, -1, size / 2);
    assert_rebuilt(f, false);
    damage(f->snapshot, -1, size - 1);
    assert_rebuilt(f, false);
    /* a foreign file: the database itself; random bytes */
    const char *name = strrchr(f->snapshot, '/') + 1;
    ts_copy_file(f->d.path, f->d.tmp.dir, name, NULL, 0);
    assert_rebuilt(f, true);
    unsigned char noise[8192];
    uint64_t x = 88172645463325252ull;
    for (size_t i = 0; i < sizeof noise; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        noise[i] = (unsigned char)x;
    }
    ts_write_bytes(f->d.tmp.dir, name, noise, sizeof noise, NULL, 0);
    assert_rebuilt(f, true);
    /* a folder where the snapshot should be: built, nothing saved, no error */
    unlink(f->snapshot);
    assert_int_equal(mkdir(f->snapshot, 0755), 0);
    fow_world *w = open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, true);
    assert_false(fow_world_from_snapshot(w));
    fow_world_release(w);
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_world_refresh(f->d.path, &err), FOW_EIO);
    rmdir(f->snapshot);
}

/* A snapshot of another database at the same path is not taken for it,
 * even after as many imports. */
static void test_other_database_same_path(void **state) {
    world_fixture *f = *state;
    fow_world_release(open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, false));
    char keep[TS_PATH_MAX + 8];
    ts_copy_file(f->snapshot, f->d.tmp.dir, "kept.world", keep, sizeof keep);
    fow_db_close(f->d.db);
    unlink(f->d.path);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_db_open(&f->d.db, f->d.path, false, &err), &err);
    import_small(f->d.db);
    rename(keep, f->snapshot);
    fow_world *w = open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, true);
    assert_false(fow_world_from_snapshot(w));
    assert_int_equal(fow_world_data_version(w)->generation, 4);
    fow_world_release(w);
}

/* A database no import has written has a data version from its creation
 * (generation 0, a random stamp), so even its empty world is saved once and
 * mapped afterwards, not rebuilt on every open. */
static void test_fresh_database_has_version(void **state) {
    world_fixture *f = *state;
    fow_world *w = open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, false);
    assert_int_equal(fow_world_model(w)->n_occupations, 0);
    assert_int_equal(fow_world_data_version(w)->generation, 0);
    assert_int_equal(strlen(fow_world_data_version(w)->stamp), 32);
    assert_true(ts_exists(f->snapshot));
    fow_world_release(w);
    w = open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, false);
    assert_true(fow_world_from_snapshot(w));
    fow_world_release(w);
    fow_error err;
    fow_error_clear(&err);
    fow_world *none = NULL;
    assert_int_equal(fow_world_open("/nonexistent/fow.db", NULL, &none, &err), FOW_ENOTFOUND);
    assert_null(none);
}

/* References keep the world; the pool hands workspaces back out. */
static void test_references_and_pool(void **state) {
    world_fixture *f = *state;
    fow_world *w = open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, false);
    assert_int_equal(fow_world_references(w), 1);
    assert_ptr_equal(fow_world_retain(w), w);
    assert_int_equal(fow_world_references(w), 2);
    fow_world_release(w);
    assert_int_equal(fow_world_references(w), 1);
    fow_world_release(NULL);
    /* two borrowers get two workspaces; returned ones are reused */
    assert_int_equal(fow_world_pool_size(w), 0);
    fow_similarity_workspace *a = fow_world_workspace_borrow(w), *b = fow_world_workspace_borrow(w);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    assert_ptr_equal(a->index, fow_world_index(w));
    fow_world_workspace_return(w, a);
    fow_world_workspace_return(w, b);
    fow_world_workspace_return(w, NULL);
    assert_int_equal(fow_world_pool_size(w), 2);
    fow_similarity_workspace *c = fow_world_workspace_borrow(w);
    assert_true(c == a || c == b);
    assert_int_equal(fow_world_pool_size(w), 1);
    /* more than the pool's first capacity come back without loss */
    fow_similarity_workspace *many[20];
    for (int i = 0; i < 20; i++) assert_non_null(many[i] = fow_world_workspace_borrow(w));
    for (int i = 0; i < 20; i++) fow_world_workspace_return(w, many[i]);
    fow_world_workspace_return(w, c);
    assert_int_equal(fow_world_pool_size(w), 21);
    /* the move profiles are built once */
    const fow_move_profiles *p1 = NULL, *p2 = NULL;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_world_move_profiles(w, FOW_RISK_MODEL_MCC, &p1, &err), &err);
    assert_fow_ok(fow_world_move_profiles(w, FOW_RISK_MODEL_MCC, &p2, &err), &err);
    assert_non_null(p1);
    assert_ptr_equal(p1, p2);
    assert_int_equal(p1->n_occupations, fow_world_model(w)->n_occupations);
    /* a world outlives the snapshot file it was mapped from */
    fow_world *mapped = open_world(f->d.path, FOW_WORLD_SNAPSHOT_USE, false);
    assert_true(fow_world_from_snapshot(mapped));
    unlink(f->snapshot);
    assert_worlds_equal(w, mapped);
    fow_world_release(mapped);
    fow_world_release(w); /* frees the pool and the profiles (ASan, valgrind) */
}

/* The snapshot file itself: sections by tag and element size. */
static void test_snapfile_sections(void **state) {
    world_fixture *f = *state;
    char path[TS_PATH_MAX + 8];
    ts_join(path, sizeof path, f->d.tmp.dir, "s.snap");
    fow_snap_writer *w;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_snap_writer_open(path, 7, &w, &err), &err);
    uint32_t numbers[5] = {1, 2, 3, 4, 5};
    assert_int_equal(fow_snap_put(w, FOW_SNAP_TAG('N', 'U', 'M', 'S'), numbers, sizeof numbers, 5), FOW_OK);
    assert_int_equal(fow_snap_put(w, FOW_SNAP_TAG('N', 'O', 'N', 'E'), NULL, 0, 0), FOW_OK);
    assert_fow_ok(fow_snap_writer_commit(w, &err), &err);
    fow_snap *s;
    assert_int_equal(fow_snap_map(path, 8, &s, &err), FOW_EINPUT);
    assert_contains(err.message, "another version");
    assert_fow_ok(fow_snap_map(path, 7, &s, &err), &err);
    assert_fow_ok(fow_snap_verify(s, &err), &err);
    uint64_t n;
    const uint32_t *got = fow_snap_section(s, FOW_SNAP_TAG('N', 'U', 'M', 'S'), sizeof *got, &n);
    assert_non_null(got);
    assert_int_equal(n, 5);
    assert_memory_equal(got, numbers, sizeof numbers);
    assert_int_equal((uintptr_t)got % 64, 0);
    assert_null(fow_snap_section(s, FOW_SNAP_TAG('N', 'U', 'M', 'S'), 8, &n)); /* wrong element size */
    assert_int_equal(n, 0);
    assert_null(fow_snap_section(s, FOW_SNAP_TAG('N', 'O', 'P', 'E'), 4, &n));
    assert_non_null(fow_snap_section(s, FOW_SNAP_TAG('N', 'O', 'N', 'E'), 4, &n));
    assert_int_equal(n, 0);
    fow_snap_unmap(s);
    /* a tag twice is the writer's error; the target stays as it was */
    assert_fow_ok(fow_snap_writer_open(path, 7, &w, &err), &err);
    fow_snap_put(w, FOW_SNAP_TAG('N', 'U', 'M', 'S'), numbers, sizeof numbers, 5);
    assert_int_equal(fow_snap_put(w, FOW_SNAP_TAG('N', 'U', 'M', 'S'), numbers, sizeof numbers, 5), FOW_EINTERNAL);
    assert_int_equal(fow_snap_writer_commit(w, &err), FOW_EINTERNAL);
    assert_fow_ok(fow_snap_map(path, 7, &s, &err), &err);
    fow_snap_unmap(s);
    /* an abandoned writer leaves nothing behind */
    assert_fow_ok(fow_snap_writer_open(path, 7, &w, &err), &err);
    fow_snap_writer_abort(w);
    assert_int_equal(fow_snap_map("/nonexistent/s.snap", 7, &s, &err), FOW_ENOTFOUND);
    /* the checksum sees every byte */
    unsigned char bytes[100] = {0};
    uint64_t c0 = fow_snap_checksum(bytes, sizeof bytes);
    for (size_t i = 0; i < sizeof bytes; i++) {
        bytes[i] = 1;
        assert_true(fow_snap_checksum(bytes, sizeof bytes) != c0);
        bytes[i] = 0;
    }
    assert_true(fow_snap_checksum(bytes, 99) != c0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_builds_snapshot, setup_imported, teardown),
        cmocka_unit_test_setup_teardown(test_second_open_maps_same_answers, setup_imported, teardown),
        cmocka_unit_test_setup_teardown(test_import_makes_snapshot_stale, setup_imported, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_snapshot_is_rebuilt, setup_imported, teardown),
        cmocka_unit_test_setup_teardown(test_other_database_same_path, setup_imported, teardown),
        cmocka_unit_test_setup_teardown(test_fresh_database_has_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_references_and_pool, setup_imported, teardown),
        cmocka_unit_test_setup_teardown(test_snapfile_sections, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
