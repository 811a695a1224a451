/* engine.c — the model and similarity index shared by the server's threads,
 * swapped whole when an import changes the database. */
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "taxonomy/fow_import.h"

static void engine_free(http_engine *e) {
    if (!e) return;
    for (int i = 0; i < e->n_spare; i++) fow_similarity_workspace_free(e->spare[i]);
    free(e->spare);
    pthread_mutex_destroy(&e->lock);
    for (int m = 0; m < 2; m++) fow_move_profiles_free(e->profiles[m]);
    pthread_mutex_destroy(&e->profiles_lock);
    fow_risk_estimates_free(e->estimates);
    fow_similarity_index_free(e->index);
    fow_model_free(e->model);
    free(e);
}

static void source_text(const fow_source_info *s, char *buf, size_t n) {
    snprintf(buf, n, "%s (%s)", s->name, s->version);
}

fow_code http_engine_load(const char *db_path, uint64_t generation, http_engine **out, fow_error *err) {
    *out = NULL;
    http_engine *e = calloc(1, sizeof *e);
    if (!e) return fow_error_set(err, FOW_ENOMEM, "out of memory loading the engine");
    pthread_mutex_init(&e->lock, NULL);
    pthread_mutex_init(&e->profiles_lock, NULL);
    atomic_init(&e->refs, 1);
    e->generation = generation;
    fow_db *db;
    fow_code rc = fow_db_open(&db, db_path, true, err);
    if (rc) {
        engine_free(e);
        return rc;
    }
    fow_source_info *sources = NULL;
    size_t n_sources = 0;
    rc = fow_model_load(db, &e->model, err);
    if (!rc) rc = fow_risk_estimates_load(db, e->model, &e->estimates, err);
    if (!rc) rc = fow_sources_list(db, &sources, &n_sources, err);
    fow_db_close(db);
    if (!rc) {
        for (size_t i = 0; i < n_sources; i++) {
            if (strcmp(sources[i].dataset, "risk:mcc:occupation") == 0)
                source_text(&sources[i], e->risk_source[0], sizeof e->risk_source[0]);
            else if (strncmp(sources[i].dataset, "risk:frey-osborne", 17) == 0)
                source_text(&sources[i], e->risk_source[1], sizeof e->risk_source[1]);
            else if (strcmp(sources[i].dataset, "attributes:occupation") == 0)
                source_text(&sources[i], e->attributes_source, sizeof e->attributes_source);
            else if (strcmp(sources[i].kind, "taxonomy") == 0 && !e->taxonomy_source[0])
                source_text(&sources[i], e->taxonomy_source, sizeof e->taxonomy_source);
        }
        rc = fow_similarity_index_build(e->model, NULL, &e->index, err);
    }
    free(sources);
    if (rc) {
        engine_free(e);
        return rc;
    }
    *out = e;
    return FOW_OK;
}

http_engine *http_engine_acquire(http_engine_holder *h) {
    pthread_mutex_lock(&h->lock);
    http_engine *e = h->current;
    if (e) atomic_fetch_add(&e->refs, 1);
    pthread_mutex_unlock(&h->lock);
    return e;
}

void http_engine_release(http_engine *e) {
    if (e && atomic_fetch_sub(&e->refs, 1) == 1) engine_free(e);
}

void http_engine_swap(http_engine_holder *h, http_engine *fresh) {
    pthread_mutex_lock(&h->lock);
    http_engine *old = h->current;
    h->current = fresh;
    pthread_mutex_unlock(&h->lock);
    http_engine_release(old);
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
    int m = model == FOW_RISK_MODEL_FREY_OSBORNE;
    fow_code rc = FOW_OK;
    pthread_mutex_lock(&e->profiles_lock);
    if (!e->profiles[m]) {
        fow_move_profiles *built = NULL;
        rc = fow_move_profiles_build(e->index, model, NULL, 0, HTTP_SHARED_MOVES_PER_WORKER, 0, &built, err);
        if (rc) fow_move_profiles_free(built);
        else e->profiles[m] = built;
    }
    *out = e->profiles[m];
    pthread_mutex_unlock(&e->profiles_lock);
    return rc;
}

fow_similarity_workspace *http_engine_workspace_get(http_engine *e) {
    fow_similarity_workspace *ws = NULL;
    pthread_mutex_lock(&e->lock);
    if (e->n_spare > 0) ws = e->spare[--e->n_spare];
    pthread_mutex_unlock(&e->lock);
    return ws ? ws : fow_similarity_workspace_new(e->index);
}

void http_engine_workspace_put(http_engine *e, fow_similarity_workspace *ws) {
    if (!ws) return;
    pthread_mutex_lock(&e->lock);
    if (e->n_spare == e->cap_spare) {
        int cap = e->cap_spare ? e->cap_spare * 2 : 8;
        fow_similarity_workspace **grown = realloc(e->spare, (size_t)cap * sizeof *grown);
        if (!grown) {
            pthread_mutex_unlock(&e->lock);
            fow_similarity_workspace_free(ws);
            return;
        }
        e->spare = grown, e->cap_spare = cap;
    }
    e->spare[e->n_spare++] = ws;
    pthread_mutex_unlock(&e->lock);
}
