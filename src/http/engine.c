/* engine.c — the world the server's threads answer from, swapped whole
 * when an import changes the database. The world itself (fow_world.c)
 * does the loading, the snapshot, the workspaces and the move profiles. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

static void engine_free(http_engine *e) {
    if (!e) return;
    fow_world_release(e->world);
    free(e);
}

fow_code http_engine_load(const char *db_path, uint64_t generation, http_engine **out, fow_error *err) {
    *out = NULL;
    http_engine *e = calloc(1, sizeof *e);
    if (!e) return fow_error_set(err, FOW_ENOMEM, "out of memory loading the engine");
    fow_code rc = fow_world_open(db_path, NULL, &e->world, err);
    if (rc) {
        free(e);
        return rc;
    }
    atomic_init(&e->refs, 1);
    e->generation = generation;
    e->model = fow_world_model(e->world);
    e->index = fow_world_index(e->world);
    e->estimates = fow_world_estimates(e->world);
    const fow_world_sources *sources = fow_world_sources_of(e->world);
    e->risk_source[0] = sources->risk[0];
    e->risk_source[1] = sources->risk[1];
    e->attributes_source = sources->attributes;
    e->taxonomy_source = sources->taxonomy;
    *out = e;
    return FOW_OK;
}

http_engine *http_engine_acquire(http_engine_holder *h) {
    pthread_mutex_lock(&h->lock);
    http_engine *e = h->current;
    /* the holder's own reference keeps the current engine alive */
    assert(!e || atomic_load(&e->refs) >= 1);
    if (e) atomic_fetch_add(&e->refs, 1);
    pthread_mutex_unlock(&h->lock);
    return e;
}

void http_engine_release(http_engine *e) {
    if (!e) return;
    int before = atomic_fetch_sub(&e->refs, 1);
    assert(before >= 1); /* a reference is dropped only by its holder */
    if (before == 1) engine_free(e);
}

/* True when fresh must not replace current: a load that started before
 * current's did (it may have read an older state of the database). */
static bool older_than(const http_engine *fresh, const http_engine *current) {
    return fresh && current && fresh->generation < current->generation;
}

void http_engine_swap(http_engine_holder *h, http_engine *fresh) {
    pthread_mutex_lock(&h->lock);
    http_engine *old = h->current;
    bool keep = older_than(fresh, old);
    if (!keep) h->current = fresh;
    pthread_mutex_unlock(&h->lock);
    http_engine_release(keep ? fresh : old);
}

fow_code http_engine_reload(http_engine_holder *h, const char *db_path, fow_error *err) {
    pthread_mutex_lock(&h->lock);
    uint64_t generation = ++h->generation;
    pthread_mutex_unlock(&h->lock);
    http_engine *fresh;
    fow_code rc = http_engine_load(db_path, generation, &fresh, err);
    if (rc) return rc;
    http_engine_swap(h, fresh);
    return FOW_OK;
}

fow_code http_engine_profiles(http_engine *e, fow_risk_model model, const fow_move_profiles **out, fow_error *err) {
    return fow_world_move_profiles(e->world, model, out, err);
}

fow_similarity_workspace *http_engine_workspace_get(http_engine *e) { return fow_world_workspace_borrow(e->world); }

void http_engine_workspace_put(http_engine *e, fow_similarity_workspace *ws) {
    fow_world_workspace_return(e->world, ws);
}
