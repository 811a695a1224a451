/* api_training.c — the learning catalogue: GET /api/v1/modules and
 * GET /api/v1/modules/{id} (public). The JSON is fow_training's, the same as
 * `fow modules --json` and `fow module ID --json`; a module's skills also
 * get label_local (and label_lang) with ?lang= (fow_result_training_module). */
#include <errno.h>
#include <stdlib.h>

#include "http/http.h"
#include "service/fow_result.h"
#include "training/fow_training.h"

/* Loads the catalogue of the request's database; false after setting res.
 * The answers are never cached: providers write modules and programme
 * managers approve them while the world in service stays the same. */
static bool load(const http_request *req, http_response *res, fow_training_catalogue *c) {
    res->cacheable = false;
    fow_db *db;
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = fow_db_open(&db, req->services->db_path, true, &err);
    if (!rc) {
        rc = fow_training_load(db, c, &err);
        fow_db_close(db);
    }
    if (!rc) return true;
    fow_training_free(c);
    http_error_from(res, &err);
    return false;
}

static void api_modules(http_request *req, http_response *res) {
    fow_training_query q = {.skill = http_query(req, "skill"), .text = http_query(req, "q")};
    fow_training_catalogue c;
    if (!load(req, res, &c)) return;
    size_t *idx = NULL, n = 0;
    fow_error err;
    fow_error_clear(&err);
    if (fow_training_find(&c, &q, &idx, &n, &err)) http_error_from(res, &err);
    else {
        fow_jw *w = http_writer();
        if (w) fow_training_result_modules(w, &c, idx, n, &q);
        http_json_written(res, 200, w);
    }
    free(idx);
    fow_training_free(&c);
}

static void api_module(http_request *req, http_response *res) {
    const char *text = req->params[0];
    char *end = NULL;
    errno = 0;
    long long id = strtoll(text, &end, 10);
    if (!*text || *end || errno || id < 1) {
        http_error(res, 400, "id", "id must be a module's number (GET /api/v1/modules lists them), not '%.40s'",
                   text);
        return;
    }
    fow_training_catalogue c;
    if (!load(req, res, &c)) return;
    const fow_training_module *m = fow_training_module_by_id(&c, id);
    if (!m) http_error(res, 404, "id", "no module with id %lld in the learning catalogue", id);
    else {
        /* the skills' labels in ?lang= when the world's taxonomy is loaded */
        const http_engine *e = req->engine;
        fow_result_context ctx = {0};
        if (e && e->model && req->lang)
            ctx = (fow_result_context){e->model, e->index, {e->risk_source[0], e->risk_source[1]},
                                       e->attributes_source, req->lang, e->taxonomy_source};
        fow_jw *w = http_writer();
        fow_error err;
        fow_error_clear(&err);
        if (w && fow_result_training_module(w, &ctx, &c, m, &err)) http_error_from(res, &err);
        else http_json_written(res, 200, w);
    }
    fow_training_free(&c);
}

static const http_route routes[] = {
    {.method = "GET", .pattern = "/api/v1/modules", .handler = api_modules, .access = HTTP_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/modules/{id}", .handler = api_module, .access = HTTP_PUBLIC},
};
HTTP_ROUTE_TABLE(api_training_routes, routes);
