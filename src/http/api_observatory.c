/* api_observatory.c — the local economy observatory over HTTP: the areas
 * with employment, the occupation groups, the measures of an area's
 * employment, transitions at scale and future-of-work scenarios
 * (docs/observatory.md, docs/scenarios.md). Public aggregate statistics: no
 * login needed.
 *
 * Employment tables are read per request from the database (a read-only
 * connection of the request's own); the model, the risk estimates and the
 * move profiles with the default moves per worker come from the shared
 * engine. Another moves_per_worker builds the profiles of the occupations
 * the request needs, and frees them. The JSON forms are libfow's
 * (src/observatory/fow_observe_json.c), the same as `fow observe --json`; with
 * format=csv one table of that JSON is sent as CSV instead. */
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "observatory/fow_observe.h"
#include "observatory/fow_observe_json.h"
#include "observatory/fow_scenario.h"
#include "service/fow_result.h"
#include "training/fow_match.h"
#include "training/fow_training.h"
#include "http/http.h"

#define AREA_MAX 100

static const char *const formats[] = {"json", "csv", NULL};

/* ---- shared parts ------------------------------------------------------- */

/* The parameters every observatory route takes. */
typedef struct area_query {
    const char *area;
    long year;            /* 0: the area's latest year */
    fow_risk_model model;
    bool csv;
    const char *table;    /* for csv */
} area_query;

/* Reads area, year, model, format and table (one of tables, the first by
 * default). -1 after a 400. */
static int read_area_query(const http_request *req, http_response *res, const char *const *tables, area_query *q) {
    memset(q, 0, sizeof *q);
    q->area = http_query(req, "area");
    if (!q->area || !*q->area) {
        http_error(res, 400, "area", "area is required (GET /api/v1/areas lists the areas)");
        return -1;
    }
    if (strlen(q->area) > AREA_MAX) {
        http_error(res, 400, "area", "area is longer than %d bytes", AREA_MAX);
        return -1;
    }
    if (http_query_long(req, res, "year", 0, 1900, 2100, &q->year)) return -1;
    const char *model = http_query(req, "model");
    q->model = FOW_RISK_MODEL_MCC;
    if (model && fow_risk_model_parse(model, &q->model) != 0) {
        http_error(res, 400, "model", "model must be mcc or frey-osborne, not '%.40s'", model);
        return -1;
    }
    const char *format;
    if (http_query_choice(req, res, "format", formats, "json", &format) ||
        http_query_choice(req, res, "table", tables, tables[0], &q->table))
        return -1;
    q->csv = strcmp(format, "csv") == 0;
    return 0;
}

/* The database of one request. */
typedef struct employment_source {
    fow_db *db;
} employment_source;

static bool source_open(const http_request *req, http_response *res, employment_source *src) {
    fow_error err;
    fow_error_clear(&err);
    src->db = NULL;
    if (fow_db_open(&src->db, req->services->db_path, true, &err) == FOW_OK) return true;
    src->db = NULL;
    http_error_from(res, &err);
    return false;
}

static void source_close(employment_source *src) {
    if (src->db) fow_db_close(src->db);
    src->db = NULL;
}

/* Loads area's employment in year (0: its latest year) and observes it
 * under model with the breakdown by into view, which the caller frees in
 * any case. An unknown area or year is a 404 with the library's message
 * (it lists the areas, or the area's years), naming area_field or
 * year_field. false after setting res. */
static bool load_view(const http_request *req, http_response *res, const employment_source *src, const char *area,
                      long year, fow_risk_model model, fow_observe_by by, const char *area_field,
                      const char *year_field, fow_area_view *view) {
    fow_error err;
    fow_error_clear(&err);
    memset(view, 0, sizeof *view);
    int latest = 0;
    fow_code rc = year ? FOW_OK : fow_employment_latest_year(src->db, area, &latest, &err);
    if (!rc)
        rc = fow_area_view_load(src->db, req->engine->estimates, area, year ? (int)year : latest, model, by, view,
                                &err);
    if (!rc) return true;
    if (rc == FOW_ENOTFOUND)
        snprintf(err.field, sizeof err.field, "%s", strcmp(err.field, "year") == 0 ? year_field : area_field);
    http_error_from(res, &err);
    return false;
}

/* Sends table of root (which it frees) as CSV named
 * PREFIX-AREA-YEAR[-EXTRA]-TABLE.csv. */
static void send_csv(http_response *res, json_t *root, const char *table, const char *prefix, const char *area,
                     int year, const char *extra) {
    char *csv = fow_json_table_csv(fow_json_result_table(root, table));
    json_decref(root);
    char name[200];
    snprintf(name, sizeof name, "%s-%s-%d%s%s-%s.csv", prefix, area, year, extra ? "-" : "", extra ? extra : "",
             table);
    http_csv(res, csv, name);
}

/* Sends root (which it frees) as the JSON answer. */
static void send_document(http_response *res, json_t *root) {
    fow_jw *w = http_writer();
    if (w) fow_result_observatory(w, root);
    json_decref(root);
    http_json_written(res, 200, w);
}

/* The move profiles covering obs's origins: the engine's shared ones when
 * k is their k, else built here for just those origins (then *own holds
 * them: the caller frees it). */
static fow_code profiles_for(http_engine *engine, const fow_observation *obs, fow_risk_model model, uint32_t k,
                             int high_risk_only, const fow_move_profiles **out, fow_move_profiles **own,
                             fow_error *err) {
    *own = NULL;
    *out = NULL;
    if (k == HTTP_SHARED_MOVES_PER_WORKER) return http_engine_profiles(engine, model, out, err);
    uint32_t *origins = NULL, n_origins = 0;
    fow_code rc = fow_observation_origins(engine->estimates, obs, high_risk_only, &origins, &n_origins, err);
    if (!rc) rc = fow_move_profiles_build(engine->index, model, origins, n_origins, k, 0, own, err);
    free(origins);
    if (rc) {
        fow_move_profiles_free(*own);
        *own = NULL;
        return rc;
    }
    *out = *own;
    return FOW_OK;
}

/* ---- GET /api/v1/areas and /api/v1/occupation-groups ------------------------ */

static void api_areas(http_request *req, http_response *res) {
    employment_source src;
    if (!source_open(req, res, &src)) return;
    fow_error err;
    fow_error_clear(&err);
    fow_jw *w = http_writer();
    fow_code rc = w ? fow_result_areas(w, src.db, &err) : fow_error_set(&err, FOW_ENOMEM, "out of memory");
    source_close(&src);
    if (rc) http_error_from(res, &err);
    else http_json_written(res, 200, w);
}

static void api_occupation_groups(http_request *req, http_response *res) {
    (void)req;
    fow_jw *w = http_writer();
    if (w) fow_result_occupation_groups(w);
    http_json_written(res, 200, w);
}

/* ---- GET /api/v1/observatory ------------------------------------------------ */

static void api_observatory(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    static const char *const tables[] = {"breakdown", "units", "distribution", NULL};
    static const char *const bys[] = {"major", "submajor", "sector", "sex", "age", "education", "group", "none", NULL};
    area_query q;
    const char *by_text, *reference = http_query(req, "reference");
    long compare_year, reference_year, units_offset, units_limit;
    bool with_units;
    if (read_area_query(req, res, tables, &q) || http_query_choice(req, res, "by", bys, "major", &by_text) ||
        http_query_long(req, res, "compare_year", 0, 1900, 2100, &compare_year) ||
        http_query_long(req, res, "reference_year", 0, 1900, 2100, &reference_year) ||
        http_query_bool(req, res, "units", false, &with_units) ||
        http_query_long(req, res, "units_offset", 0, 0, UINT32_MAX, &units_offset) ||
        http_query_long(req, res, "units_limit", 0, 0, UINT32_MAX, &units_limit))
        return;
    /* the per-row units only on request (units=true, or the CSV table of
     * units): the summary is the document's default */
    fow_units_request units = {with_units || (q.csv && strcmp(q.table, "units") == 0), (uint32_t)units_offset,
                               (uint32_t)units_limit};
    if (reference && (!*reference || strlen(reference) > AREA_MAX)) {
        http_error(res, 400, "reference", "reference must be an area's name (GET /api/v1/areas lists them)");
        return;
    }
    if (reference_year && !reference) {
        http_error(res, 400, "reference_year", "reference_year goes with reference (another area)");
        return;
    }
    fow_observe_by by;
    fow_observe_by_parse(by_text, &by);
    fow_area_view views[3]; /* the area's year, the compare year, the reference area */
    memset(views, 0, sizeof views);
    employment_source src;
    if (!source_open(req, res, &src)) return;
    bool ok = load_view(req, res, &src, q.area, q.year, q.model, by, "area", "year", &views[0]) &&
              (!compare_year ||
               load_view(req, res, &src, q.area, compare_year, q.model, by, "area", "compare_year", &views[1])) &&
              (!reference || load_view(req, res, &src, reference, reference_year ? reference_year : views[0].emp.year,
                                       q.model, by, "reference", "reference_year", &views[2]));
    source_close(&src);
    if (ok) {
        json_t *root = fow_json_observation(req->engine->estimates, &views[0].obs,
                                            compare_year ? &views[1].obs : NULL, reference ? &views[2].obs : NULL,
                                            &units);
        if (!root) http_error(res, 500, NULL, "out of memory");
        else if (!q.csv) send_document(res, root);
        else send_csv(res, root, q.table, "observatory", views[0].emp.area, views[0].emp.year, NULL);
    }
    for (int v = 0; v < 3; v++) fow_area_view_free(&views[v]);
}

/* ---- GET /api/v1/observatory/at-scale and /api/v1/scenario ------------------------ */

/* What at-scale and scenario share: the area observed as a whole, and the
 * move profiles of its origins. */
typedef struct prepared {
    fow_area_view view;
    const fow_move_profiles *profiles;
    fow_move_profiles *own;
} prepared;

static bool prepare(http_request *req, http_response *res, const area_query *q, uint32_t k, int high_risk_only,
                    prepared *p) {
    memset(p, 0, sizeof *p);
    employment_source src;
    if (!source_open(req, res, &src)) return false;
    bool ok = load_view(req, res, &src, q->area, q->year, q->model, FOW_BY_NONE, "area", "year", &p->view);
    source_close(&src);
    if (!ok) return false;
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = profiles_for(req->engine, &p->view.obs, q->model, k, high_risk_only, &p->profiles, &p->own, &err);
    if (rc) http_error_from(res, &err);
    return !rc;
}

static void prepared_free(prepared *p) {
    fow_move_profiles_free(p->own);
    fow_area_view_free(&p->view);
}

static void api_observatory_at_scale(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    static const char *const tables[] = {"destinations", "skills", "origins", NULL};
    area_query q;
    long min_moves, k, limit, cap_years;
    fow_capacity capacity;
    fow_capacity_default(&capacity);
    if (read_area_query(req, res, tables, &q) || http_query_long(req, res, "min_moves", 3, 1, 10000, &min_moves) ||
        http_query_long(req, res, "moves_per_worker", HTTP_SHARED_MOVES_PER_WORKER, 1, 50, &k) ||
        http_query_long(req, res, "limit", 15, 0, 100000, &limit) ||
        http_query_double(req, res, "capacity_share", capacity.share, 0, 1, &capacity.share) ||
        http_query_long(req, res, "capacity_years", capacity.years, 1, 50, &cap_years))
        return;
    capacity.years = (int)cap_years;
    prepared p;
    fow_scale_result r;
    memset(&r, 0, sizeof r);
    if (prepare(req, res, &q, (uint32_t)k, 1, &p)) {
        fow_error err;
        fow_error_clear(&err);
        const fow_risk_estimates *est = req->engine->estimates;
        if (fow_transitions_at_scale(est, &p.view.obs, p.profiles, (uint32_t)min_moves, &capacity, &r, &err)) {
            http_error_from(res, &err);
        } else {
            json_t *root = fow_json_scale(est, &p.view.obs, p.profiles, &r, q.csv ? 0 : (uint32_t)limit, req->lang);
            if (!root) http_error(res, 500, NULL, "out of memory");
            else if (q.csv) send_csv(res, root, q.table, "at-scale", p.view.emp.area, p.view.emp.year, NULL);
            else send_document(res, root);
        }
    }
    fow_scale_result_free(&r);
    prepared_free(&p);
}

/* GET /api/v1/observatory/commission: courses to commission for the area's
 * at-risk workforce (the same document as `fow commission --json`). */
static void api_observatory_commission(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    static const char *const tables[] = {"skills", NULL};
    area_query q;
    long limit;
    if (read_area_query(req, res, tables, &q) || http_query_long(req, res, "limit", 15, 0, 100000, &limit)) return;
    if (q.csv) {
        http_error(res, 400, "format", "format=csv is not offered here; the JSON lists every skill with limit=0");
        return;
    }
    fow_match_params params;
    fow_match_params_default(&params);
    char lang_buf[200];
    fow_error err;
    fow_error_clear(&err);
    if (fow_match_params_languages(&params, http_query(req, "languages"), lang_buf, sizeof lang_buf, &err)) {
        http_error_from(res, &err);
        return;
    }
    prepared p;
    if (!prepare(req, res, &q, HTTP_SHARED_MOVES_PER_WORKER, 1, &p)) {
        prepared_free(&p);
        return;
    }
    fow_scale_result r;
    memset(&r, 0, sizeof r);
    fow_training_catalogue cat;
    memset(&cat, 0, sizeof cat);
    fow_match_index *x = NULL;
    fow_match_commission cm;
    memset(&cm, 0, sizeof cm);
    const http_engine *e = req->engine;
    fow_code rc = fow_transitions_at_scale(e->estimates, &p.view.obs, p.profiles, 3, NULL, &r, &err);
    fow_db *db = NULL;
    if (!rc) rc = fow_db_open(&db, req->services->db_path, true, &err);
    if (!rc) rc = fow_training_load(db, &cat, &err);
    fow_db_close(db);
    if (!rc) rc = fow_match_index_build(&cat, &x, &err);
    if (!rc) rc = fow_match_commission_compute(x, e->model, &r, &params, &cm, &err);
    if (rc) {
        http_error_from(res, &err);
    } else {
        fow_result_context ctx = {e->model, e->index, {NULL, NULL}, NULL, req->lang, NULL};
        fow_jw *w = http_writer();
        if (w)
            fow_result_commission(w, &ctx, &p.view.emp, q.model, fow_risk_estimates_source(e->estimates, q.model), &r,
                                  x, &cm, &params, (uint32_t)limit);
        http_json_written(res, 200, w);
    }
    fow_match_commission_free(&cm);
    fow_match_index_free(x);
    fow_training_free(&cat);
    fow_scale_result_free(&r);
    prepared_free(&p);
}

/* The scenario's parameters from the query: the adoption preset (or
 * custom with ceiling, speed and midpoint), then the others. -1 after a
 * 400 naming the parameter. */
static int read_scenario_params(const http_request *req, http_response *res, fow_scenario_params *p) {
    static const char *const adoptions[] = {"slow", "medium", "fast", "custom", NULL};
    static const char *const curve[] = {"ceiling", "speed", "midpoint"};
    const char *adoption;
    if (http_query_choice(req, res, "adoption", adoptions, "medium", &adoption)) return -1;
    bool custom = strcmp(adoption, "custom") == 0;
    fow_scenario_preset(custom ? "medium" : adoption, p);
    snprintf(p->adoption, sizeof p->adoption, "%s", adoption);
    for (int i = 0; i < 3; i++) {
        bool given = http_query(req, curve[i]) != NULL;
        if (custom && !given) {
            http_error(res, 400, curve[i], "adoption=custom needs ceiling, speed and midpoint: %s is missing",
                       curve[i]);
            return -1;
        }
        if (!custom && given) {
            http_error(res, 400, curve[i], "%s goes with adoption=custom (the presets fix the curve)", curve[i]);
            return -1;
        }
    }
    long years;
    if (http_query_double(req, res, "ceiling", p->ceiling, 0, 1, &p->ceiling) ||
        http_query_double(req, res, "speed", p->speed, 0, 10, &p->speed) ||
        http_query_double(req, res, "midpoint", p->midpoint, 0, 200, &p->midpoint) ||
        http_query_long(req, res, "years", p->years, 1, 100, &years) ||
        http_query_double(req, res, "retrain_share", p->retrain_share, 0, 1, &p->retrain_share) ||
        http_query_double(req, res, "hours_per_skill", p->hours_per_skill, 0, 10000, &p->hours_per_skill) ||
        http_query_double(req, res, "cost_per_hour", p->cost_per_hour, 0, 1e6, &p->cost_per_hour) ||
        http_query_double(req, res, "capacity_share", p->capacity_share, 0, 1, &p->capacity_share))
        return -1;
    p->years = (int)years;
    fow_error err;
    fow_error_clear(&err);
    if (fow_scenario_params_check(p, &err)) {
        http_error_from(res, &err);
        return -1;
    }
    return 0;
}

static void api_scenario(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    static const char *const tables[] = {"years", "destinations", "skills", "units", NULL};
    area_query q;
    fow_scenario_params params;
    long k, limit;
    if (read_area_query(req, res, tables, &q) || read_scenario_params(req, res, &params) ||
        http_query_long(req, res, "moves_per_worker", HTTP_SHARED_MOVES_PER_WORKER, 1, 50, &k) ||
        http_query_long(req, res, "limit", 15, 0, 100000, &limit))
        return;
    prepared p;
    fow_scenario_result r;
    memset(&r, 0, sizeof r);
    if (prepare(req, res, &q, (uint32_t)k, 0, &p)) {
        fow_error err;
        fow_error_clear(&err);
        const fow_risk_estimates *est = req->engine->estimates;
        if (fow_scenario_run(est, &p.view.obs, p.profiles, &params, &r, &err)) {
            http_error_from(res, &err);
        } else {
            json_t *root = fow_json_scenario(est, &p.view.obs, p.profiles, &r, q.csv ? 0 : (uint32_t)limit, req->lang);
            if (!root) http_error(res, 500, NULL, "out of memory");
            else if (q.csv) send_csv(res, root, q.table, "scenario", p.view.emp.area, p.view.emp.year, params.adoption);
            else send_document(res, root);
        }
    }
    fow_scenario_result_free(&r);
    prepared_free(&p);
}

static const http_route routes[] = {
    {.method = "GET", .pattern = "/api/v1/areas", .handler = api_areas, .access = HTTP_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/occupation-groups", .handler = api_occupation_groups, .access = HTTP_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/observatory", .handler = api_observatory, .access = HTTP_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/observatory/commission", .handler = api_observatory_commission,
     .access = HTTP_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/observatory/at-scale", .handler = api_observatory_at_scale,
     .access = HTTP_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/scenario", .handler = api_scenario, .access = HTTP_PUBLIC},
};
HTTP_ROUTE_TABLE(api_observatory_routes, routes);
