/* api_plans.c — the worker's plan (src/plans/fow_plans.h, docs/plans.md):
 * /api/v1/people/{id}/plans and /api/v1/plans/{plan}/... Counsellors and
 * administrators (FOW_PERM_MANAGE_PEOPLE); a counsellor reaches only the
 * plans of the people of their organisation: any other plan is 404, as if
 * it did not exist. A person (role person, FOW_PERM_READ_OWN_RECORD) reads
 * their own plans through /api/v1/me/plans, read-only. Changes need the person's counselling consent (409
 * without it) and answer with the whole plan. Paths name a person or a
 * plan by id only; the access log writes the pattern (personal_path). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/fow_accounts.h"
#include "http/http.h"
#include "plans/fow_plans.h"
#include "service/fow_result.h"
#include "training/fow_match.h"
#include "training/fow_training.h"
#include "transitions/fow_resolve.h"

typedef struct plan_session {
    fow_db *db;
    fow_people *people;
    fow_people_staff staff;
    fow_plans_ctx c;
} plan_session;

/* Opens the request's connection and the people records; false after a
 * 500. */
static bool plan_begin(const http_request *req, http_response *res, plan_session *s) {
    memset(s, 0, sizeof *s);
    fow_error err;
    fow_error_clear(&err);
    char key_path[4096];
    if (fow_people_key_path(req->services->db_path, key_path, sizeof key_path, &err) ||
        fow_db_open(&s->db, req->services->db_path, false, &err) || fow_people_open(s->db, key_path, &s->people, &err)) {
        fow_db_close(s->db);
        s->db = NULL;
        http_error(res, 500, NULL, "plans are not available: %s", err.message);
        return false;
    }
    fow_role role = (fow_role)req->who.role;
    s->staff = (fow_people_staff){.name = req->who.name,
                                  .organisation = req->who.organisation,
                                  .all_organisations = fow_access_all_organisations(role),
                                  .self = role == FOW_ROLE_PERSON ? req->who.person_id : NULL};
    s->c = (fow_plans_ctx){.db = s->db, .people = s->people, .staff = &s->staff, .now = (long long)time(NULL)};
    return true;
}

static void plan_end(plan_session *s) {
    fow_people_close(s->people);
    fow_db_close(s->db);
}

/* Consent missing 409, a key problem 500, else as http_error_from. */
static void plan_error(http_response *res, const fow_error *err) {
    if (strcmp(err->field, "consent") == 0) http_error(res, 409, err->field, "%s", err->message);
    else if (strcmp(err->field, "key") == 0) http_error(res, 500, NULL, "the people key could not be used: %s", err->message);
    else if (strcmp(err->field, "role") == 0) http_error(res, 403, err->field, "%s", err->message);
    else http_error_from(res, err);
}

/* A positive id in path parameter i named name; false after a 404. */
static bool path_id(const http_request *req, http_response *res, int i, const char *name, long long *out) {
    const char *t = req->params[i];
    char *end = NULL;
    long long v = t && *t ? strtoll(t, &end, 10) : 0;
    if (!t || !*t || *end || v <= 0) {
        http_error(res, 404, name, "no %s '%.40s'", name, t ? t : "");
        return false;
    }
    *out = v;
    return true;
}

/* A string member of body (NULL when absent); false after a 400. */
static bool body_string(json_t *body, const char *name, const char **out, http_response *res) {
    json_t *v = json_object_get(body, name);
    *out = NULL;
    if (!v || json_is_null(v)) return true;
    if (!json_is_string(v)) {
        http_error(res, 400, name, "%s must be a string", name);
        return false;
    }
    *out = json_string_value(v);
    return true;
}

/* A positive integer member (0 when absent or null); false after a 400. */
static bool body_id(json_t *body, const char *name, int64_t *out, http_response *res) {
    json_t *v = json_object_get(body, name);
    *out = 0;
    if (!v || json_is_null(v)) return true;
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        http_error(res, 400, name, "%s must be a positive whole number", name);
        return false;
    }
    *out = (int64_t)json_integer_value(v);
    return true;
}

/* The labels' context of the request: its ?lang= and the loaded taxonomy
 * (into *ctx); NULL when either is missing (the labels as stored). */
static const fow_result_context *labels_of(const http_request *req, fow_result_context *ctx) {
    const http_engine *e = req->engine;
    if (!e || !req->lang) return NULL;
    *ctx = (fow_result_context){e->model, e->index, {e->risk_source[0], e->risk_source[1]},
                                e->attributes_source, req->lang, e->taxonomy_source};
    return ctx;
}

/* Answers with the whole plan (status 200 or 201), its labels in ?lang=. */
static void send_plan(const http_request *req, plan_session *s, http_response *res, long long plan_id, int status) {
    fow_error err;
    fow_error_clear(&err);
    fow_result_context ctx;
    fow_jw *w = http_writer();
    if (w && fow_result_worker_plan(w, labels_of(req, &ctx), &s->c, plan_id, &err)) {
        plan_error(res, &err);
        return;
    }
    res->cacheable = false;
    http_json_written(res, status, w);
}

/* ---- routes ----------------------------------------------------------------- */

static void plans_of_person(http_request *req, http_response *res) {
    plan_session s;
    if (!plan_begin(req, res, &s)) return;
    fow_error err;
    fow_error_clear(&err);
    fow_result_context ctx;
    fow_jw *w = http_writer();
    if (w && fow_result_worker_plans(w, labels_of(req, &ctx), &s.c, req->params[0], &err)) {
        plan_error(res, &err);
    } else {
        res->cacheable = false;
        http_json_written(res, 200, w);
    }
    plan_end(&s);
}

static void plan_create(http_request *req, http_response *res) {
    static const char *const known[] = {"title"};
    json_t *body = http_object_body(req, res, known, 1);
    if (!body) return;
    const char *title;
    plan_session s;
    if (body_string(body, "title", &title, res) && plan_begin(req, res, &s)) {
        fow_error err;
        fow_error_clear(&err);
        long long id = 0;
        if (fow_plans_create(&s.c, req->params[0], title, &id, &err)) {
            plan_error(res, &err);
        } else {
            char where[64];
            snprintf(where, sizeof where, "/api/v1/plans/%lld", id);
            http_header(res, "Location", where);
            send_plan(req, &s, res, id, 201);
        }
        plan_end(&s);
    }
    json_decref(body);
}

static void plan_show(http_request *req, http_response *res) {
    long long id;
    plan_session s;
    if (!path_id(req, res, 0, "plan", &id) || !plan_begin(req, res, &s)) return;
    send_plan(req, &s, res, id, 200);
    plan_end(&s);
}

static void move_add(http_request *req, http_response *res) {
    static const char *const known[] = {"occupation"};
    long long id;
    if (!path_id(req, res, 0, "plan", &id) || !http_need_engine(req, res)) return;
    json_t *body = http_object_body(req, res, known, 1);
    if (!body) return;
    const char *occupation;
    fow_error err;
    fow_error_clear(&err);
    plan_session s;
    if (!body_string(body, "occupation", &occupation, res)) {
        json_decref(body);
        return;
    }
    if (!occupation || !*occupation) {
        http_error(res, 400, "occupation", "occupation is required (a URI, ESCO code or label)");
        json_decref(body);
        return;
    }
    uint32_t dest;
    if (fow_resolve_occupation(req->engine->model, occupation, &dest, &err)) {
        http_error_from(res, &err);
        json_decref(body);
        return;
    }
    if (plan_begin(req, res, &s)) {
        fow_training_catalogue cat;
        memset(&cat, 0, sizeof cat);
        fow_match_index *x = NULL;
        fow_similarity_workspace *ws = NULL;
        fow_code rc = fow_training_load(s.db, &cat, &err);
        if (!rc) rc = fow_match_index_build(&cat, &x, &err);
        if (!rc && !(ws = http_engine_workspace_get(req->engine))) rc = fow_error_set(&err, FOW_ENOMEM, "out of memory");
        if (!rc) rc = fow_plans_add_move(&s.c, id, ws, x, dest, NULL, &err);
        if (ws) http_engine_workspace_put(req->engine, ws);
        fow_match_index_free(x);
        fow_training_free(&cat);
        if (rc) plan_error(res, &err);
        else send_plan(req, &s, res, id, 200);
        plan_end(&s);
    }
    json_decref(body);
}

static void move_remove(http_request *req, http_response *res) {
    long long id, move;
    plan_session s;
    if (!path_id(req, res, 0, "plan", &id) || !path_id(req, res, 1, "move", &move) || !plan_begin(req, res, &s))
        return;
    fow_error err;
    fow_error_clear(&err);
    if (fow_plans_remove_move(&s.c, id, move, &err)) plan_error(res, &err);
    else send_plan(req, &s, res, id, 200);
    plan_end(&s);
}

static void module_add(http_request *req, http_response *res) {
    static const char *const known[] = {"module", "cohort_id"};
    long long id, move;
    if (!path_id(req, res, 0, "plan", &id) || !path_id(req, res, 1, "move", &move)) return;
    json_t *body = http_object_body(req, res, known, 2);
    if (!body) return;
    const char *module;
    int64_t cohort;
    plan_session s;
    if (body_string(body, "module", &module, res) && body_id(body, "cohort_id", &cohort, res) &&
        plan_begin(req, res, &s)) {
        fow_error err;
        fow_error_clear(&err);
        fow_training_catalogue cat;
        memset(&cat, 0, sizeof cat);
        fow_code rc = fow_training_load(s.db, &cat, &err);
        if (!rc) rc = fow_plans_add_module(&s.c, id, move, &cat, module, cohort, &err);
        fow_training_free(&cat);
        if (rc) plan_error(res, &err);
        else send_plan(req, &s, res, id, 200);
        plan_end(&s);
    }
    json_decref(body);
}

static void module_cohort(http_request *req, http_response *res) {
    static const char *const known[] = {"cohort_id"};
    long long id, move;
    if (!path_id(req, res, 0, "plan", &id) || !path_id(req, res, 1, "move", &move)) return;
    json_t *body = http_object_body(req, res, known, 1);
    if (!body) return;
    int64_t cohort;
    plan_session s;
    if (body_id(body, "cohort_id", &cohort, res) && plan_begin(req, res, &s)) {
        fow_error err;
        fow_error_clear(&err);
        if (fow_plans_set_cohort(&s.c, id, move, req->params[2], cohort, &err)) plan_error(res, &err);
        else send_plan(req, &s, res, id, 200);
        plan_end(&s);
    }
    json_decref(body);
}

static void module_remove(http_request *req, http_response *res) {
    long long id, move;
    plan_session s;
    if (!path_id(req, res, 0, "plan", &id) || !path_id(req, res, 1, "move", &move) || !plan_begin(req, res, &s))
        return;
    fow_error err;
    fow_error_clear(&err);
    if (fow_plans_remove_module(&s.c, id, move, req->params[2], &err)) plan_error(res, &err);
    else send_plan(req, &s, res, id, 200);
    plan_end(&s);
}

static void milestone_add(http_request *req, http_response *res) {
    static const char *const known[] = {"title", "due"};
    long long id;
    if (!path_id(req, res, 0, "plan", &id)) return;
    json_t *body = http_object_body(req, res, known, 2);
    if (!body) return;
    const char *title, *due;
    plan_session s;
    if (body_string(body, "title", &title, res) && body_string(body, "due", &due, res) && plan_begin(req, res, &s)) {
        fow_error err;
        fow_error_clear(&err);
        if (fow_plans_add_milestone(&s.c, id, title, due, NULL, &err)) plan_error(res, &err);
        else send_plan(req, &s, res, id, 200);
        plan_end(&s);
    }
    json_decref(body);
}

static void milestone_set(http_request *req, http_response *res) {
    static const char *const known[] = {"status", "due"};
    long long id, milestone;
    if (!path_id(req, res, 0, "plan", &id) || !path_id(req, res, 1, "milestone", &milestone)) return;
    json_t *body = http_object_body(req, res, known, 2);
    if (!body) return;
    const char *status, *due;
    fow_milestone_status ms;
    plan_session s;
    if (body_string(body, "status", &status, res) && body_string(body, "due", &due, res)) {
        if (!status || fow_milestone_status_parse(status, &ms) != 0) {
            http_error(res, 400, "status", "status must be planned, in_progress, done or dropped, not '%.40s'",
                       status ? status : "");
        } else if (plan_begin(req, res, &s)) {
            fow_error err;
            fow_error_clear(&err);
            if (fow_plans_set_milestone(&s.c, id, milestone, ms, due, &err)) plan_error(res, &err);
            else send_plan(req, &s, res, id, 200);
            plan_end(&s);
        }
    }
    json_decref(body);
}

static void status_set(http_request *req, http_response *res) {
    static const char *const known[] = {"status"};
    long long id;
    if (!path_id(req, res, 0, "plan", &id)) return;
    json_t *body = http_object_body(req, res, known, 1);
    if (!body) return;
    const char *status;
    fow_plan_status ps;
    plan_session s;
    if (body_string(body, "status", &status, res)) {
        if (!status || fow_plan_status_parse(status, &ps) != 0) {
            http_error(res, 400, "status", "status must be draft, active, completed or cancelled, not '%.40s'",
                       status ? status : "");
        } else if (plan_begin(req, res, &s)) {
            fow_error err;
            fow_error_clear(&err);
            if (fow_plans_set_status(&s.c, id, ps, &err)) plan_error(res, &err);
            else send_plan(req, &s, res, id, 200);
            plan_end(&s);
        }
    }
    json_decref(body);
}

/* GET /api/v1/me/plans: the caller's own plans (role person). */
static void me_plans(http_request *req, http_response *res) {
    if (!req->who.person_id[0]) {
        http_error(res, 404, "person", "this account is linked to no people record");
        return;
    }
    plan_session s;
    if (!plan_begin(req, res, &s)) return;
    fow_error err;
    fow_error_clear(&err);
    fow_result_context ctx;
    fow_jw *w = http_writer();
    if (w && fow_result_worker_plans(w, labels_of(req, &ctx), &s.c, req->who.person_id, &err)) {
        plan_error(res, &err);
    } else {
        res->cacheable = false;
        http_json_written(res, 200, w);
    }
    plan_end(&s);
}

/* GET /api/v1/me/plans/{plan}: one of the caller's own plans. */
static void me_plan(http_request *req, http_response *res) {
    long long id;
    plan_session s;
    if (!req->who.person_id[0]) {
        http_error(res, 404, "person", "this account is linked to no people record");
        return;
    }
    if (!path_id(req, res, 0, "plan", &id) || !plan_begin(req, res, &s)) return;
    send_plan(req, &s, res, id, 200);
    plan_end(&s);
}

static const http_route routes[] = {
    {.method = "GET", .pattern = "/api/v1/people/{id}/plans", .handler = plans_of_person, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true},
    {.method = "POST", .pattern = "/api/v1/people/{id}/plans", .handler = plan_create, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true, .max_body = 4096,
     .json_body = true},
    {.method = "GET", .pattern = "/api/v1/plans/{plan}", .handler = plan_show, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true},
    {.method = "POST", .pattern = "/api/v1/plans/{plan}/moves", .handler = move_add, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true, .max_body = 4096,
     .json_body = true},
    {.method = "DELETE", .pattern = "/api/v1/plans/{plan}/moves/{move}", .handler = move_remove, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true},
    {.method = "POST", .pattern = "/api/v1/plans/{plan}/moves/{move}/modules", .handler = module_add, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true,
     .max_body = 4096, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/plans/{plan}/moves/{move}/modules/{code}/cohort", .handler = module_cohort,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true, .max_body = 4096, .json_body = true},
    {.method = "DELETE", .pattern = "/api/v1/plans/{plan}/moves/{move}/modules/{code}", .handler = module_remove,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true},
    {.method = "POST", .pattern = "/api/v1/plans/{plan}/milestones", .handler = milestone_add, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true,
     .max_body = 4096, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/plans/{plan}/milestones/{milestone}", .handler = milestone_set, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true,
     .max_body = 4096, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/plans/{plan}/status", .handler = status_set, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true, .max_body = 4096,
     .json_body = true},
    {.method = "GET", .pattern = "/api/v1/me/plans", .handler = me_plans, .access = HTTP_PERMISSION, .permission = FOW_PERM_READ_OWN_RECORD, .personal_path = true},
    {.method = "GET", .pattern = "/api/v1/me/plans/{plan}", .handler = me_plan, .access = HTTP_PERMISSION, .permission = FOW_PERM_READ_OWN_RECORD, .personal_path = true},
};
HTTP_ROUTE_TABLE(api_plans_routes, routes);
