/* fow_world.c — the world: opened from one read transaction, saved as a
 * snapshot beside the database and mapped from it while it is current. */
#include "service/fow_world.h"

#include <pthread.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GLIBC__)
#include <malloc.h> /* malloc_trim */
#endif

#include "base/fow_snapfile.h"
#include "store/fow_sources.h"

/* The snapshot's layout version: raise it whenever a section written by the
 * model, the index, the estimates or this file changes shape.
 * snapshot_format() mixes in the sizes and field offsets of the structs the
 * sections hold as they are, so a change of those is caught even when this
 * is forgotten. */
#define WORLD_SNAPSHOT_FORMAT 5u
#define TAG_META FOW_SNAP_TAG('W', 'M', 'E', 'T')

/* The world's own section: the data version, the provenance labels and
 * the database's counts. */
typedef struct world_meta {
    int64_t generation;
    char stamp[40];
    fow_world_sources sources;
    fow_db_stats counts;
} world_meta;

static uint32_t snapshot_format(void) {
    const uint64_t layout[] = {
        WORLD_SNAPSHOT_FORMAT,
        sizeof(world_meta),
        sizeof(fow_world_sources),
        sizeof(fow_db_stats),
        sizeof(fow_model_link), /* a bit field: no offsetof; WORLD_SNAPSHOT_FORMAT 5 has it in 4 bytes */
        sizeof(fow_model_term),
        offsetof(fow_model_term, label),
        offsetof(fow_model_term, entity),
        offsetof(fow_model_term, folded_len),
        offsetof(fow_model_term, kind),
        offsetof(fow_model_term, preferred),
        offsetof(fow_model_term, lang),
        sizeof(fow_model_word),
        offsetof(fow_model_word, offset),
        sizeof(fow_similarity_params),
        sizeof(fow_related_skill),
        offsetof(fow_related_skill, strength),
        offsetof(fow_related_skill, sources),
        sizeof(fow_requirement),
        offsetof(fow_requirement, share),
        sizeof(fow_origin_term),
        offsetof(fow_origin_term, forward),
        offsetof(fow_origin_term, reverse),
        sizeof(fow_code_estimate),
        offsetof(fow_code_estimate, share),
        offsetof(fow_code_estimate, bins),
        offsetof(fow_code_estimate, n_occupations),
        offsetof(fow_code_estimate, method),
    };
    return (uint32_t)fow_snap_checksum(layout, sizeof layout);
}

struct fow_world {
    atomic_int refs;
    uint64_t read_order; /* fow_world_read_order */
    fow_snap *snap; /* the mapped snapshot, or NULL when built */
    fow_model *model;
    fow_similarity_index *index;
    fow_risk_estimates *estimates;
    fow_world_sources sources;
    fow_db_stats counts;
    fow_data_version version;
    /* spare similarity workspaces */
    pthread_mutex_t pool_lock;
    fow_similarity_workspace **spare;
    int n_spare, cap_spare;
    /* per fow_risk_model: the shared move profiles, NULL until first used */
    pthread_mutex_t profiles_lock;
    fow_move_profiles *profiles[2];
};

bool fow_world_snapshot_path(const char *db_path, char *buf, size_t n) {
    int len = snprintf(buf, n, "%s.world", db_path);
    return len > 0 && (size_t)len < n;
}

/* Worlds allocated and not yet freed (fow_world_live). */
static atomic_int worlds_live;

int fow_world_live(void) { return atomic_load(&worlds_live); }

static fow_world *world_new(void) {
    fow_world *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    atomic_fetch_add(&worlds_live, 1);
    atomic_init(&w->refs, 1);
    pthread_mutex_init(&w->pool_lock, NULL);
    pthread_mutex_init(&w->profiles_lock, NULL);
    return w;
}

static void world_free(fow_world *w) {
    if (!w) return;
    bool built = !w->snap;
    for (int i = 0; i < w->n_spare; i++) fow_similarity_workspace_free(w->spare[i]);
    free(w->spare);
    for (int m = 0; m < 2; m++) fow_move_profiles_free(w->profiles[m]);
    pthread_mutex_destroy(&w->pool_lock);
    pthread_mutex_destroy(&w->profiles_lock);
    fow_risk_estimates_free(w->estimates);
    fow_similarity_index_free(w->index);
    fow_model_free(w->model);
    fow_snap_unmap(w->snap); /* after the parts that point into it */
    free(w);
    atomic_fetch_sub(&worlds_live, 1);
#if defined(__GLIBC__)
    /* A built world of the full ESCO holds ~21 MB of heap (7 MB in small
     * blocks), and building it frees ~14 MB more; glibc keeps such freed
     * pages in its per-thread arenas, so a server building a world per
     * import sat at ~60-64 MB instead of ~23 (issue 11, finding 11: nothing
     * was held, valgrind finds no leak). Give the pages back. A mapped
     * world's heap is small, and its mapping is unmapped above. */
    if (built) malloc_trim(0);
#endif
}

/* ---- provenance: the one place that knows which data set is which ------- */

static void source_label(const fow_source_info *s, char *buf, size_t n) {
    snprintf(buf, n, "%s (%s)", s->name, s->version);
}

static void sources_from(const fow_source_info *list, size_t n, fow_world_sources *out) {
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        const fow_source_info *s = &list[i];
        if (strcmp(s->dataset, "risk:mcc:occupation") == 0)
            source_label(s, out->risk[FOW_RISK_MODEL_MCC], sizeof out->risk[0]);
        else if (strncmp(s->dataset, "risk:frey-osborne", 17) == 0)
            source_label(s, out->risk[FOW_RISK_MODEL_FREY_OSBORNE], sizeof out->risk[0]);
        else if (strcmp(s->dataset, "attributes:occupation") == 0)
            source_label(s, out->attributes, sizeof out->attributes);
        else if (strcmp(s->kind, "taxonomy") == 0 && !out->taxonomy[0])
            source_label(s, out->taxonomy, sizeof out->taxonomy);
    }
}

/* ---- the order of reads -------------------------------------------------- */

/* Each open's first read (the data version, which fixes the read
 * transaction's view of the database) and the number it draws happen under
 * one lock, so the numbers order the views as the database gave them. */
static pthread_mutex_t read_order_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t read_order_last;

/* Reads db's data version as the first read of the caller's transaction and
 * draws the next read order into *order. */
static fow_code version_read_ordered(fow_db *db, fow_data_version *version, uint64_t *order, fow_error *err) {
    pthread_mutex_lock(&read_order_lock);
    fow_code rc = fow_data_version_read(db, version, err);
    *order = ++read_order_last;
    pthread_mutex_unlock(&read_order_lock);
    return rc;
}

/* ---- building and mapping ----------------------------------------------- */

/* Reads everything but the index from db, inside the caller's transaction. */
static fow_code world_read(fow_db *db, fow_world *w, fow_error *err) {
    fow_source_info *list = NULL;
    size_t n = 0;
    fow_code rc = fow_model_load(db, &w->model, err);
    if (!rc) rc = fow_risk_estimates_load(db, w->model, &w->estimates, err);
    if (!rc) rc = fow_sources_list(db, &list, &n, err);
    if (!rc) rc = fow_db_stats_load(db, &w->counts, err);
    if (!rc) sources_from(list, n, &w->sources);
    free(list);
    return rc;
}

/* Maps the snapshot at path when it is valid and of version v. */
static fow_world *world_map(const char *path, const fow_data_version *v, bool quick, int64_t *found_generation) {
    *found_generation = -1;
    fow_snap *snap;
    fow_error ignored;
    if (fow_snap_map(path, snapshot_format(), &snap, &ignored)) return NULL;
    uint64_t n;
    const world_meta *meta = fow_snap_section(snap, TAG_META, sizeof *meta, &n);
    fow_data_version saved = {0};
    if (meta && n == 1 && memchr(meta->stamp, 0, sizeof saved.stamp)) {
        saved.generation = meta->generation;
        memcpy(saved.stamp, meta->stamp, sizeof saved.stamp);
        *found_generation = meta->generation;
    }
    fow_world *w = NULL;
    if (!meta || !fow_data_version_same(&saved, v) || (!quick && fow_snap_verify(snap, &ignored)) ||
        !(w = world_new())) {
        fow_snap_unmap(snap);
        return NULL;
    }
    w->snap = snap;
    w->version = *v;
    w->sources = meta->sources;
    w->counts = meta->counts;
    w->sources.taxonomy[sizeof w->sources.taxonomy - 1] = '\0';
    w->sources.attributes[sizeof w->sources.attributes - 1] = '\0';
    for (int m = 0; m < 2; m++) w->sources.risk[m][sizeof w->sources.risk[m] - 1] = '\0';
    if (fow_model_snapshot_read(snap, &w->model, &ignored) ||
        fow_similarity_index_snapshot_read(snap, w->model, NULL, &w->index, &ignored) ||
        fow_risk_estimates_snapshot_read(snap, w->model, &w->estimates, &ignored)) {
        world_free(w);
        return NULL;
    }
    return w;
}

/* Saves w at path (temporary file, then rename). */
static fow_code world_save(const fow_world *w, const char *path, fow_error *err) {
    fow_snap_writer *out;
    fow_code rc = fow_snap_writer_open(path, snapshot_format(), &out, err);
    if (rc) return rc;
    world_meta meta;
    memset(&meta, 0, sizeof meta);
    meta.generation = w->version.generation;
    snprintf(meta.stamp, sizeof meta.stamp, "%s", w->version.stamp);
    meta.sources = w->sources;
    meta.counts = w->counts;
    fow_snap_put(out, TAG_META, &meta, sizeof meta, 1);
    fow_model_snapshot_write(w->model, out);
    fow_similarity_index_snapshot_write(w->index, out);
    fow_risk_estimates_snapshot_write(w->estimates, out);
    return fow_snap_writer_commit(out, err);
}

/* The world of db_path: mapped when a current snapshot exists (and use is
 * true), else built. When built, saves it (if save is true and the data
 * version is known) and reports the saving's failure in *save_err. */
static fow_code world_open(const char *db_path, bool use, bool quick, bool save, fow_world **out, fow_code *save_rc,
                           fow_error *save_err, fow_error *err) {
    *out = NULL;
    *save_rc = FOW_OK;
    char path[4096];
    if (!fow_world_snapshot_path(db_path, path, sizeof path))
        return fow_error_set(err, FOW_EINPUT, "database path too long: %s", db_path);
    fow_db *db;
    fow_code rc = fow_db_open(&db, db_path, true, err);
    if (rc) return rc;
    /* one read transaction for the version and everything read after it */
    rc = fow_db_read_begin(db, err);
    fow_data_version version;
    uint64_t order = 0;
    if (!rc) rc = version_read_ordered(db, &version, &order, err);
    int64_t found_generation = -1;
    if (!rc && use && version.stamp[0]) {
        fow_world *mapped = world_map(path, &version, quick, &found_generation);
        if (mapped) {
            mapped->read_order = order;
            fow_db_read_end(db);
            fow_db_close(db);
            *out = mapped;
            return FOW_OK;
        }
    }
    fow_world *w = rc ? NULL : world_new();
    if (!rc && !w) rc = fow_error_set(err, FOW_ENOMEM, "out of memory opening the world");
    if (!rc) rc = world_read(db, w, err);
    fow_db_read_end(db);
    fow_db_close(db);
    if (!rc) rc = fow_similarity_index_build(w->model, NULL, &w->index, err);
    if (rc) {
        world_free(w);
        return rc;
    }
    w->version = version;
    w->read_order = order;
    /* an open that read an older state never replaces a newer snapshot */
    if (save && version.stamp[0] && found_generation <= version.generation)
        *save_rc = world_save(w, path, save_err);
    *out = w;
    return FOW_OK;
}

fow_code fow_world_open(const char *db_path, const fow_world_options *options, fow_world **out, fow_error *err) {
    bool use = !options || options->snapshot == FOW_WORLD_SNAPSHOT_USE;
    fow_code save_rc;
    fow_error save_err;
    bool quick = options && options->quick;
    return world_open(db_path, use, quick, use, out, &save_rc, &save_err, err);
}

fow_code fow_world_refresh(const char *db_path, fow_error *err) {
    fow_world *w;
    fow_code save_rc;
    fow_error save_err;
    fow_error_clear(&save_err);
    fow_code rc = world_open(db_path, true, false, true, &w, &save_rc, &save_err, err);
    if (rc) return rc;
    fow_world_release(w);
    if (save_rc && err) *err = save_err;
    return save_rc;
}

/* ---- sharing ------------------------------------------------------------- */

fow_world *fow_world_retain(fow_world *w) {
    atomic_fetch_add(&w->refs, 1);
    return w;
}

void fow_world_release(fow_world *w) {
    if (w && atomic_fetch_sub(&w->refs, 1) == 1) world_free(w);
}

int fow_world_references(const fow_world *w) { return atomic_load(&((fow_world *)w)->refs); }

const fow_model *fow_world_model(const fow_world *w) { return w->model; }
const fow_similarity_index *fow_world_index(const fow_world *w) { return w->index; }
const fow_risk_estimates *fow_world_estimates(const fow_world *w) { return w->estimates; }
const fow_world_sources *fow_world_sources_of(const fow_world *w) { return &w->sources; }
const fow_db_stats *fow_world_counts(const fow_world *w) { return &w->counts; }
const fow_data_version *fow_world_data_version(const fow_world *w) { return &w->version; }
bool fow_world_from_snapshot(const fow_world *w) { return w->snap != NULL; }
uint64_t fow_world_read_order(const fow_world *w) { return w->read_order; }

fow_similarity_workspace *fow_world_workspace_borrow(fow_world *w) {
    fow_similarity_workspace *ws = NULL;
    pthread_mutex_lock(&w->pool_lock);
    if (w->n_spare > 0) ws = w->spare[--w->n_spare];
    pthread_mutex_unlock(&w->pool_lock);
    return ws ? ws : fow_similarity_workspace_new(w->index);
}

void fow_world_workspace_return(fow_world *w, fow_similarity_workspace *ws) {
    if (!ws) return;
    pthread_mutex_lock(&w->pool_lock);
    if (w->n_spare == w->cap_spare) {
        int cap = w->cap_spare ? w->cap_spare * 2 : 8;
        fow_similarity_workspace **grown = realloc(w->spare, (size_t)cap * sizeof *grown);
        if (!grown) {
            pthread_mutex_unlock(&w->pool_lock);
            fow_similarity_workspace_free(ws);
            return;
        }
        w->spare = grown, w->cap_spare = cap;
    }
    w->spare[w->n_spare++] = ws;
    pthread_mutex_unlock(&w->pool_lock);
}

int fow_world_pool_size(fow_world *w) {
    pthread_mutex_lock(&w->pool_lock);
    int n = w->n_spare;
    pthread_mutex_unlock(&w->pool_lock);
    return n;
}

fow_code fow_world_move_profiles(fow_world *w, fow_risk_model model, const fow_move_profiles **out, fow_error *err) {
    int m = model == FOW_RISK_MODEL_FREY_OSBORNE;
    fow_code rc = FOW_OK;
    pthread_mutex_lock(&w->profiles_lock);
    if (!w->profiles[m]) {
        fow_move_profiles *built = NULL;
        rc = fow_move_profiles_build(w->index, model, NULL, 0, FOW_WORLD_SHARED_MOVES_PER_WORKER, 0, &built, err);
        if (rc) fow_move_profiles_free(built);
        else w->profiles[m] = built;
    }
    *out = w->profiles[m];
    pthread_mutex_unlock(&w->profiles_lock);
    return rc;
}
