/* engine.c — the world a request answers from, taken from the holder
 * (service/fow_world_holder.c) when the request starts. The world itself
 * (fow_world.c) does the loading, the snapshot, the workspaces and the
 * move profiles; the holder decides which world is published. */
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

http_engine *http_engine_acquire(fow_world_holder *holder, http_engine *out) {
    uint64_t serial;
    fow_world *w = fow_world_holder_acquire(holder, &serial);
    if (!w) return NULL;
    const fow_world_sources *sources = fow_world_sources_of(w);
    *out = (http_engine){
        .world = w,
        .model = fow_world_model(w),
        .index = fow_world_index(w),
        .estimates = fow_world_estimates(w),
        .generation = serial,
        .data_version = fow_world_data_version(w),
        .risk_source = {sources->risk[0], sources->risk[1]},
        .attributes_source = sources->attributes,
        .taxonomy_source = sources->taxonomy,
    };
    return out;
}

void http_engine_release(http_engine *e) {
    if (e) fow_world_release(e->world);
}

fow_code http_engine_reload(fow_world_holder *holder, const char *db_path, fow_error *err) {
    return fow_world_holder_reload(holder, db_path, NULL, NULL, err);
}

fow_code http_engine_profiles(http_engine *e, fow_risk_model model, const fow_move_profiles **out, fow_error *err) {
    return fow_world_move_profiles(e->world, model, out, err);
}

fow_similarity_workspace *http_engine_workspace_get(http_engine *e) { return fow_world_workspace_borrow(e->world); }

void http_engine_workspace_put(http_engine *e, fow_similarity_workspace *ws) {
    fow_world_workspace_return(e->world, ws);
}
