/* api_modules.c — modules written in fow by training providers and their
 * review by a programme manager (src/training/fow_training.h,
 * docs/training.md):
 *   POST   /api/v1/modules               a new draft (FOW_PERM_MANAGE_MODULES)
 *   PUT    /api/v1/modules/{id}          rewrite it (a draft again)
 *   DELETE /api/v1/modules/{id}
 *   POST   /api/v1/modules/{id}/submit   draft or rejected -> submitted
 *   GET    /api/v1/provider-modules      the caller's provider's modules, every status
 *   GET    /api/v1/module-reviews        modules by status, submitted first (FOW_PERM_APPROVE_MODULES)
 *   POST   /api/v1/modules/{id}/review   approve, or reject with a reason
 * Which module a user may touch is fow_access_provider's rule (accounts):
 * a provider's staff reach their own provider's modules only, and another
 * provider's module is "not found", as if it did not exist. The public
 * catalogue (api_training.c) lists approved modules only. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/fow_accounts.h"
#include "http/http.h"
#include "training/fow_training.h"

/* Maps a library error: a status conflict 409, else as http_error_from. */
static void modules_error(http_response *res, const fow_error *err) {
    if (strcmp(err->field, "status") == 0) http_error(res, 409, err->field, "%s", err->message);
    else http_error_from(res, err);
}

static bool open_db(const http_request *req, http_response *res, bool writing, fow_db **db) {
    fow_error err;
    fow_error_clear(&err);
    if (fow_db_open(db, req->services->db_path, !writing, &err) == FOW_OK) return true;
    http_error(res, 500, NULL, "the database is not available: %s", err.message);
    return false;
}

/* The {id} of the path; false after a 400. */
static bool path_id(const http_request *req, http_response *res, int64_t *id) {
    const char *text = req->params[0];
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (!*text || *end || errno || v < 1) {
        http_error(res, 400, "id", "id must be a module's number, not '%.40s'", text);
        return false;
    }
    *id = v;
    return true;
}

/* Module id exists and the caller may manage it (fow_access_provider);
 * false after a 404 (also for another provider's module) or a 500. */
static bool may_manage(const http_request *req, http_response *res, fow_db *db, int64_t id) {
    fow_error err;
    fow_error_clear(&err);
    int64_t owner = 0;
    if (fow_training_module_owner(db, id, &owner, NULL, &err)) {
        modules_error(res, &err);
        return false;
    }
    if (!fow_access_provider((fow_role)req->who.role, req->who.provider_id, owner)) {
        http_error(res, 404, "id", "no module with id %lld among the modules you may manage", (long long)id);
        return false;
    }
    return true;
}

/* ---- the body of a module ---- */

#define MAX_KEYS 64

typedef struct module_body {
    json_t *json;
    fow_module_input in;
    const char *skills[MAX_KEYS], *pre_skills[MAX_KEYS];
    int64_t pre_modules[MAX_KEYS];
} module_body;

static bool text_field(json_t *obj, const char *name, const char *label, const char **out, http_response *res) {
    json_t *v = json_object_get(obj, name);
    *out = NULL;
    if (!v || json_is_null(v)) return true;
    if (json_is_string(v)) {
        *out = json_string_value(v);
        return true;
    }
    http_error(res, 400, label, "%s must be a string", label);
    return false;
}

/* {"ro": ..., "en": ...} of name into ro and en. */
static bool pair_field(json_t *body, const char *name, const char **ro, const char **en, http_response *res) {
    json_t *v = json_object_get(body, name);
    *ro = *en = NULL;
    if (!v || json_is_null(v)) return true;
    if (!json_is_object(v) || json_object_size(v) > 2 || (json_object_size(v) == 2 && (!json_object_get(v, "ro") ||
                                                                                        !json_object_get(v, "en")))) {
        http_error(res, 400, name, "%s must be an object {\"ro\": text, \"en\": text}", name);
        return false;
    }
    char ro_name[40], en_name[40];
    snprintf(ro_name, sizeof ro_name, "%s.ro", name);
    snprintf(en_name, sizeof en_name, "%s.en", name);
    return text_field(v, "ro", ro_name, ro, res) && text_field(v, "en", en_name, en, res);
}

/* An array of strings of name into keys (*n of them). */
static bool key_list(json_t *body, const char *name, const char **keys, size_t *n, http_response *res) {
    json_t *v = json_object_get(body, name);
    *n = 0;
    if (!v || json_is_null(v)) return true;
    if (!json_is_array(v) || json_array_size(v) > MAX_KEYS) {
        http_error(res, 400, name, "%s must be an array of at most %d skill URIs, short ids or labels", name, MAX_KEYS);
        return false;
    }
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        if (!json_is_string(item)) {
            http_error(res, 400, name, "%s[%zu] must be a string", name, i);
            return false;
        }
        keys[(*n)++] = json_string_value(item);
    }
    return true;
}

/* Reads a module from the request's body into *b (json_decref(b->json) when
 * done); false after a 400. */
static bool read_module(const http_request *req, http_response *res, module_body *b) {
    static const char *const known[] = {"provider_id", "code", "title", "description", "hours", "mode", "language",
                                        "place", "cost_minor", "currency", "eligibility", "skills",
                                        "prerequisite_skills", "prerequisite_modules"};
    memset(b, 0, sizeof *b);
    b->json = http_object_body(req, res, known, sizeof known / sizeof *known);
    if (!b->json) return false;
    json_t *body = b->json;
    fow_module_input *in = &b->in;
    json_t *v;
    if ((v = json_object_get(body, "provider_id")) && !json_is_null(v)) {
        if (!json_is_integer(v) || json_integer_value(v) < 1) {
            http_error(res, 400, "provider_id", "provider_id must be a provider's number");
            return false;
        }
        in->provider_id = json_integer_value(v);
    }
    if ((v = json_object_get(body, "hours")) && !json_is_number(v)) {
        http_error(res, 400, "hours", "hours must be a number");
        return false;
    }
    in->hours = v ? json_number_value(v) : 0;
    if ((v = json_object_get(body, "cost_minor")) && !json_is_integer(v)) {
        http_error(res, 400, "cost_minor", "cost_minor must be a whole number of minor units (bani for RON)");
        return false;
    }
    in->cost_minor = v ? json_integer_value(v) : -1;
    size_t n_pre_modules = 0;
    if ((v = json_object_get(body, "prerequisite_modules")) && !json_is_null(v)) {
        if (!json_is_array(v) || json_array_size(v) > MAX_KEYS) {
            http_error(res, 400, "prerequisite_modules", "prerequisite_modules must be an array of module ids");
            return false;
        }
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) {
            if (!json_is_integer(item)) {
                http_error(res, 400, "prerequisite_modules", "prerequisite_modules[%zu] must be a module id", i);
                return false;
            }
            b->pre_modules[n_pre_modules++] = json_integer_value(item);
        }
    }
    if (!text_field(body, "code", "code", &in->code, res) ||
        !pair_field(body, "title", &in->title_ro, &in->title_en, res) ||
        !pair_field(body, "description", &in->description_ro, &in->description_en, res) ||
        !text_field(body, "mode", "mode", &in->mode, res) ||
        !text_field(body, "language", "language", &in->language, res) ||
        !text_field(body, "place", "place", &in->place, res) ||
        !text_field(body, "currency", "currency", &in->currency, res) ||
        !text_field(body, "eligibility", "eligibility", &in->eligibility, res) ||
        !key_list(body, "skills", b->skills, &in->n_skills, res) ||
        !key_list(body, "prerequisite_skills", b->pre_skills, &in->n_prerequisite_skills, res))
        return false;
    in->skills = b->skills;
    in->prerequisite_skills = b->pre_skills;
    in->prerequisite_modules = b->pre_modules;
    in->n_prerequisite_modules = n_pre_modules;
    return true;
}

/* Answers with module id as the whole catalogue shows it to its managers. */
static void send_module(http_response *res, fow_db *db, int64_t id, int status) {
    fow_training_catalogue c;
    fow_error err;
    fow_error_clear(&err);
    if (fow_training_load_any(db, true, &c, &err)) {
        http_error_from(res, &err);
    } else {
        const fow_training_module *m = fow_training_module_by_id(&c, id);
        fow_jw *w = m ? http_writer() : NULL;
        if (w) fow_training_result_module(w, &c, m);
        res->cacheable = false;
        if (m) http_json_written(res, status, w);
        else http_error(res, 404, "id", "no module with id %lld", (long long)id);
    }
    fow_training_free(&c);
}

/* ---- handlers ---- */

static void module_create(http_request *req, http_response *res) {
    module_body b;
    if (!read_module(req, res, &b)) {
        json_decref(b.json);
        return;
    }
    fow_role role = (fow_role)req->who.role;
    if (!b.in.provider_id && role == FOW_ROLE_PROVIDER) b.in.provider_id = req->who.provider_id;
    fow_db *db = NULL;
    if (!b.in.provider_id) {
        http_error(res, 400, "provider_id", "provider_id is required: the training provider the module belongs to");
    } else if (!fow_access_provider(role, req->who.provider_id, b.in.provider_id)) {
        http_error(res, 403, "provider_id", "you may write modules of your own training provider only");
    } else if (open_db(req, res, true, &db)) {
        fow_error err;
        fow_error_clear(&err);
        int64_t id = 0;
        if (fow_training_module_create(db, &b.in, req->who.name, (long long)time(NULL), &id, &err))
            modules_error(res, &err);
        else send_module(res, db, id, 201);
    }
    fow_db_close(db);
    json_decref(b.json);
}

static void module_update(http_request *req, http_response *res) {
    int64_t id;
    module_body b;
    if (!path_id(req, res, &id)) return;
    if (!read_module(req, res, &b)) {
        json_decref(b.json);
        return;
    }
    fow_db *db = NULL;
    if (open_db(req, res, true, &db) && may_manage(req, res, db, id)) {
        fow_error err;
        fow_error_clear(&err);
        if (fow_training_module_update(db, id, &b.in, req->who.name, (long long)time(NULL), &err))
            modules_error(res, &err);
        else send_module(res, db, id, 200);
    }
    fow_db_close(db);
    json_decref(b.json);
}

static void module_delete(http_request *req, http_response *res) {
    int64_t id;
    if (!path_id(req, res, &id)) return;
    fow_db *db = NULL;
    if (open_db(req, res, true, &db) && may_manage(req, res, db, id)) {
        fow_error err;
        fow_error_clear(&err);
        if (fow_training_module_delete(db, id, &err)) {
            modules_error(res, &err);
        } else {
            fow_jw *w = http_writer();
            if (w) {
                fow_jw_object(w);
                fow_jw_kint(w, "deleted", id);
                fow_jw_object_end(w);
            }
            res->cacheable = false;
            http_json_written(res, 200, w);
        }
    }
    fow_db_close(db);
}

static void module_submit(http_request *req, http_response *res) {
    int64_t id;
    if (!path_id(req, res, &id)) return;
    fow_db *db = NULL;
    if (open_db(req, res, true, &db) && may_manage(req, res, db, id)) {
        fow_error err;
        fow_error_clear(&err);
        if (fow_training_module_submit(db, id, req->who.name, (long long)time(NULL), &err)) modules_error(res, &err);
        else send_module(res, db, id, 200);
    }
    fow_db_close(db);
}

static void module_review(http_request *req, http_response *res) {
    static const char *const known[] = {"decision", "reason"};
    int64_t id;
    if (!path_id(req, res, &id)) return;
    json_t *body = http_object_body(req, res, known, sizeof known / sizeof *known);
    if (!body) return;
    const char *decision = NULL, *reason = NULL;
    fow_db *db = NULL;
    if (!text_field(body, "decision", "decision", &decision, res) || !text_field(body, "reason", "reason", &reason, res)) {
        /* answered */
    } else if (!decision || (strcmp(decision, "approve") != 0 && strcmp(decision, "reject") != 0)) {
        http_error(res, 400, "decision", "decision must be \"approve\" or \"reject\"");
    } else if (open_db(req, res, true, &db)) {
        fow_error err;
        fow_error_clear(&err);
        if (fow_training_module_review(db, id, strcmp(decision, "approve") == 0, reason, req->who.name,
                                       (long long)time(NULL), &err))
            modules_error(res, &err);
        else send_module(res, db, id, 200);
    }
    fow_db_close(db);
    json_decref(body);
}

/* The modules of status (NULL: any) and provider (0: any) as a list. */
static void send_list(http_request *req, http_response *res, const char *status, int64_t provider) {
    fow_db *db = NULL;
    if (!open_db(req, res, false, &db)) return;
    fow_training_catalogue c;
    fow_error err;
    fow_error_clear(&err);
    size_t *idx = NULL, n = 0;
    if (fow_training_load_any(db, true, &c, &err) || fow_training_select(&c, status, provider, &idx, &n, &err)) {
        http_error_from(res, &err);
    } else {
        fow_training_query q = {.skill = NULL, .text = NULL};
        fow_jw *w = http_writer();
        if (w) fow_training_result_modules(w, &c, idx, n, &q);
        res->cacheable = false;
        http_json_written(res, 200, w);
    }
    free(idx);
    fow_training_free(&c);
    fow_db_close(db);
}

static const char *const status_choices[] = {"draft", "submitted", "approved", "rejected", "any", NULL};

static void provider_modules(http_request *req, http_response *res) {
    const char *status;
    if (http_query_choice(req, res, "status", status_choices, "any", &status) < 0) return;
    fow_role role = (fow_role)req->who.role;
    int64_t provider = role == FOW_ROLE_PROVIDER ? req->who.provider_id : 0;
    if (role == FOW_ROLE_PROVIDER && !provider) {
        http_error(res, 403, "provider", "this account is linked to no training provider: an administrator links it");
        return;
    }
    send_list(req, res, strcmp(status, "any") == 0 ? NULL : status, provider);
}

static void module_reviews(http_request *req, http_response *res) {
    const char *status;
    if (http_query_choice(req, res, "status", status_choices, "submitted", &status) < 0) return;
    send_list(req, res, strcmp(status, "any") == 0 ? NULL : status, 0);
}

static const http_route routes[] = {
    {.method = "POST", .pattern = "/api/v1/modules", .handler = module_create, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_MODULES, .max_body = HTTP_JSON_BODY_MAX, .json_body = true},
    {.method = "PUT", .pattern = "/api/v1/modules/{id}", .handler = module_update, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_MODULES, .max_body = HTTP_JSON_BODY_MAX, .json_body = true},
    {.method = "DELETE", .pattern = "/api/v1/modules/{id}", .handler = module_delete, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_MODULES},
    {.method = "POST", .pattern = "/api/v1/modules/{id}/submit", .handler = module_submit, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_MODULES, .max_body = 1024},
    {.method = "GET", .pattern = "/api/v1/provider-modules", .handler = provider_modules, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_MODULES},
    {.method = "GET", .pattern = "/api/v1/module-reviews", .handler = module_reviews, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_APPROVE_MODULES},
    {.method = "POST", .pattern = "/api/v1/modules/{id}/review", .handler = module_review, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_APPROVE_MODULES, .max_body = 4096, .json_body = true},
};
HTTP_ROUTE_TABLE(api_modules_routes, routes);
