/* api_taxonomy.c — the public read API: search, occupations, skills,
 * transitions, gaps, upskilling, groups, sources. Everything here reads the
 * shared engine (and, for details, the database) and writes only its own
 * response. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/fow_accounts.h"
#include "people/fow_people.h"
#include "service/fow_result.h"
#include "transitions/fow_infer.h"
#include "transitions/fow_resolve.h"
#include "transitions/fow_transitions.h"
#include "http/http.h"
#include "taxonomy/fow_import.h"
#include "taxonomy/fow_occupation.h"
#include "taxonomy/fow_search.h"
#include "training/fow_match.h"
#include "training/fow_training.h"

static bool find_occupation(const http_request *req, http_response *res, const char *key, const char *field,
                            uint32_t *out) {
    fow_error err;
    fow_error_clear(&err);
    if (!key || !*key) {
        http_error(res, 400, field, "%s is required", field);
        return false;
    }
    if (fow_resolve_occupation(req->engine->model, key, out, &err) == FOW_OK) return true;
    snprintf(err.field, sizeof err.field, "%s", field);
    http_error_from(res, &err);
    return false;
}

/* What the documents of libfow read from the request's engine. */
static fow_result_context result_context(const http_request *req) {
    const http_engine *e = req->engine;
    fow_result_context ctx = {e->model, e->index, {e->risk_source[0], e->risk_source[1]}, e->attributes_source,
                              req->lang, e->taxonomy_source};
    return ctx;
}

/* Sends the document written into w (NULL: out of memory). */
static void send_written(http_response *res, fow_jw *w) { http_json_written(res, 200, w); }

static int read_model(const http_request *req, http_response *res, fow_risk_model *model) {
    const char *text = http_query(req, "model");
    *model = FOW_RISK_MODEL_MCC;
    if (text && fow_risk_model_parse(text, model) != 0) {
        http_error(res, 400, "model", "model must be mcc or frey-osborne, not '%.40s'", text);
        return -1;
    }
    return 0;
}

/* Reads the safety rule named text (NULL: the default) into *rule. */
static int parse_safe_rule(http_response *res, const char *text, fow_safe_rule *rule) {
    if (text && fow_safe_rule_parse(text, rule) != 0) {
        http_error(res, 400, "safe_rule", "safe_rule must be margin or lower, not '%.40s'", text);
        return -1;
    }
    return 0;
}

/* The transition filters of a query string: safe, strict, desirable,
 * min_similarity (below the viable threshold: moves that are not viable
 * too), model, safe_rule. */
static int read_filters(const http_request *req, http_response *res, fow_transition_query *q) {
    bool safe, strict, desirable;
    fow_transition_query_default(req->engine->index, q);
    if (http_query_bool(req, res, "safe", false, &safe) || http_query_bool(req, res, "strict", false, &strict) ||
        http_query_bool(req, res, "desirable", false, &desirable) ||
        http_query_float(req, res, "min_similarity", q->min_similarity, 0.0f, 1.0f, &q->min_similarity) ||
        read_model(req, res, &q->model) || parse_safe_rule(res, http_query(req, "safe_rule"), &q->safe_rule))
        return -1;
    q->safe = strict ? 2 : safe ? 1 : 0;
    q->desirable = desirable;
    q->viable_only = q->min_similarity >= req->engine->index->params.viable;
    return 0;
}

/* ---- health and numbers ------------------------------------------------ */

static void api_healthz(http_request *req, http_response *res) {
    res->cacheable = false;
    const fow_model *m = req->engine ? req->engine->model : NULL;
    http_json(res, 200,
              json_pack("{s:s, s:I, s:I}", "status", "ok", "occupations", (json_int_t)(m ? m->n_occupations : 0),
                        "generation", (json_int_t)(req->engine ? req->engine->generation : 0)));
}

/* Every figure of the answer from the world in service, which read them all
 * in one read transaction (its data version says which state). */
static void api_stats(http_request *req, http_response *res) {
    const http_engine *e = req->engine;
    static const fow_data_version none = {0};
    static const fow_db_stats nothing = {0};
    fow_result_context ctx = {0};
    if (e) ctx = result_context(req);
    fow_jw *w = http_writer();
    if (w)
        fow_result_stats_at(w, &ctx, e ? fow_world_counts(e->world) : &nothing, (long long)(e ? e->generation : 0),
                            e ? e->data_version : &none);
    send_written(res, w);
}

/* ---- search -------------------------------------------------------------- */

static void api_search(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    const fow_model *m = req->engine->model;
    const char *q = http_query(req, "q"), *kind_text = http_query(req, "kind");
    long limit, offset;
    if (http_query_page(req, res, 10, 100, &limit, &offset)) return;
    if (!q || !*q) {
        http_error(res, 400, "q", "q (the text to search for) is required");
        return;
    }
    fow_kind kind = FOW_KIND_ANY;
    if (kind_text && strcmp(kind_text, "occupation") == 0) kind = FOW_KIND_OCCUPATION;
    else if (kind_text && strcmp(kind_text, "skill") == 0) kind = FOW_KIND_SKILL;
    else if (kind_text && strcmp(kind_text, "any") != 0) {
        http_error(res, 400, "kind", "kind must be occupation, skill or any, not '%.40s'", kind_text);
        return;
    }
    fow_search_hit *hits = malloc(FOW_SEARCH_MAX_HITS * sizeof *hits);
    if (!hits) {
        http_error(res, 500, NULL, "out of memory");
        return;
    }
    fow_error err;
    fow_error_clear(&err);
    long n = fow_search(m, q, kind, hits, FOW_SEARCH_MAX_HITS, &err);
    if (n < 0) {
        free(hits);
        snprintf(err.field, sizeof err.field, "q");
        http_error_from(res, &err);
        return;
    }
    fow_result_context ctx = result_context(req);
    fow_result_page page = {n, offset, limit};
    fow_jw *w = http_writer();
    if (w) fow_result_search(w, &ctx, q, hits, n, &page);
    free(hits);
    send_written(res, w);
}

/* ---- one occupation -------------------------------------------------------- */

static void api_occupation(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    uint32_t o;
    if (!find_occupation(req, res, req->params[0], "id", &o)) return;
    fow_db *db;
    fow_error err;
    fow_error_clear(&err);
    fow_occupation_detail d;
    memset(&d, 0, sizeof d);
    fow_code rc = fow_db_open(&db, req->services->db_path, true, &err);
    if (!rc) {
        rc = fow_occupation_detail_load(db, req->engine->model->occupations[o].id, &d, &err);
        fow_db_close(db);
    }
    if (rc) {
        fow_occupation_detail_free(&d);
        http_error_from(res, &err);
        return;
    }
    fow_result_context ctx = result_context(req);
    fow_jw *w = http_writer();
    if (w) fow_result_occupation(w, &ctx, &d, o);
    fow_occupation_detail_free(&d);
    send_written(res, w);
}

/* ---- transitions ------------------------------------------------------------ */

#define MAX_PAGE 500

static void api_occupation_transitions(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    uint32_t origin;
    fow_transition_query q;
    long limit, offset;
    if (!find_occupation(req, res, req->params[0], "id", &origin) || read_filters(req, res, &q) ||
        http_query_page(req, res, 20, MAX_PAGE, &limit, &offset))
        return;
    q.limit = (uint32_t)(offset + limit);
    fow_transition *t = malloc(q.limit * sizeof *t);
    fow_similarity_workspace *ws = http_engine_workspace_get(req->engine);
    if (!t || !ws) {
        free(t);
        http_engine_workspace_put(req->engine, ws);
        http_error(res, 500, NULL, "out of memory");
        return;
    }
    uint32_t n, matching;
    fow_transitions_from_occupation(ws, origin, &q, t, q.limit, &n, &matching);
    fow_transition_fallback fallback;
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = matching ? FOW_OK : fow_transitions_fallback(ws, origin, origin, origin, &q, &fallback, &err);
    http_engine_workspace_put(req->engine, ws);
    if (rc) {
        free(t);
        http_error_from(res, &err);
        return;
    }
    fow_result_context ctx = result_context(req);
    fow_result_page page = {matching, offset, limit};
    fow_jw *w = http_writer();
    if (w) fow_result_transitions(w, &ctx, origin, &q, t, n, &page, matching ? NULL : &fallback);
    free(t);
    send_written(res, w);
}

static void api_occupation_similar(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    uint32_t origin;
    long limit, offset;
    if (!find_occupation(req, res, req->params[0], "id", &origin) ||
        http_query_page(req, res, 20, MAX_PAGE, &limit, &offset))
        return;
    fow_transition_query q;
    fow_transition_query_default(req->engine->index, &q);
    q.min_similarity = 0.0f;
    q.viable_only = 0;
    q.limit = (uint32_t)(offset + limit);
    fow_transition *t = malloc(q.limit * sizeof *t);
    fow_similarity_workspace *ws = http_engine_workspace_get(req->engine);
    if (!t || !ws) {
        free(t);
        http_engine_workspace_put(req->engine, ws);
        http_error(res, 500, NULL, "out of memory");
        return;
    }
    uint32_t n, matching;
    fow_transitions_from_occupation(ws, origin, &q, t, q.limit, &n, &matching);
    http_engine_workspace_put(req->engine, ws);
    fow_result_context ctx = result_context(req);
    fow_result_page page = {matching, offset, limit};
    fow_jw *w = http_writer();
    if (w) fow_result_similar(w, &ctx, origin, t, n, &page);
    free(t);
    send_written(res, w);
}

/* ---- upskilling ------------------------------------------------------------- */

/* Upskilling for origins: one occupation (group NULL) or the n_origins of
 * group. */
typedef struct person person;
static void person_upskill(http_request *req, http_response *res, const person *p, uint32_t judge_as,
                           const fow_transition_query *q, uint32_t candidates);

/* Upskilling of occupations (origins), or of a person p (origins NULL) judged as judge_as. */
static void upskill_common(http_request *req, http_response *res, const uint32_t *origins, uint32_t n_origins,
                           const char *group, const person *p, uint32_t judge_as) {
    fow_transition_query q;
    long limit, candidates;
    bool any, strict;
    fow_transition_query_default(req->engine->index, &q);
    if (http_query_long(req, res, "limit", 10, 1, 100, &limit) ||
        http_query_long(req, res, "candidates", 100, 1, 1000, &candidates) ||
        http_query_bool(req, res, "any", false, &any) || http_query_bool(req, res, "strict", false, &strict) ||
        http_query_float(req, res, "min_similarity", q.min_similarity, 0.0f, 1.0f, &q.min_similarity) ||
        read_model(req, res, &q.model) || parse_safe_rule(res, http_query(req, "safe_rule"), &q.safe_rule))
        return;
    q.safe = any ? 0 : strict ? 2 : 1;
    q.desirable = !any;
    q.limit = (uint32_t)limit;
    if (p) {
        person_upskill(req, res, p, judge_as, &q, (uint32_t)candidates);
        return;
    }
    fow_similarity_workspace *ws = http_engine_workspace_get(req->engine);
    fow_upskill_result r;
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = ws ? fow_upskill_occupations(ws, origins, n_origins, &q, (uint32_t)candidates, &r, &err)
                     : fow_error_set(&err, FOW_ENOMEM, "out of memory");
    http_engine_workspace_put(req->engine, ws);
    if (rc) {
        http_error_from(res, &err);
        return;
    }
    fow_result_context ctx = result_context(req);
    fow_jw *w = http_writer();
    if (w) fow_result_upskill(w, &ctx, origins[0], group, n_origins, &q, &r);
    fow_upskill_result_free(&r);
    send_written(res, w);
}

static void api_occupation_upskill(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    uint32_t origin;
    if (!find_occupation(req, res, req->params[0], "id", &origin)) return;
    upskill_common(req, res, &origin, 1, NULL, NULL, FOW_NO_INDEX);
}

static bool group_members(http_request *req, http_response *res, uint32_t **origins, uint32_t *n) {
    fow_error err;
    fow_error_clear(&err);
    if (fow_occupations_in_group(req->engine->model, req->params[0], origins, n, &err) == FOW_OK) return true;
    snprintf(err.field, sizeof err.field, "code");
    http_error_from(res, &err);
    return false;
}

static void api_group_upskill(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    uint32_t *origins, n;
    if (!group_members(req, res, &origins, &n)) return;
    upskill_common(req, res, origins, n, req->params[0], NULL, FOW_NO_INDEX);
    free(origins);
}

static void api_group_transitions(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    uint32_t *origins, n_origins;
    fow_transition_query q;
    long limit, offset;
    if (read_filters(req, res, &q) || http_query_page(req, res, 20, MAX_PAGE, &limit, &offset)) return;
    if (!group_members(req, res, &origins, &n_origins)) return;
    q.limit = (uint32_t)(offset + limit);
    fow_group_destination *d = malloc(q.limit * sizeof *d);
    fow_similarity_workspace *ws = http_engine_workspace_get(req->engine);
    uint32_t n = 0, reached = 0;
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = d && ws ? fow_transitions_group(ws, origins, n_origins, &q, d, q.limit, &n, &reached, &err)
                          : fow_error_set(&err, FOW_ENOMEM, "out of memory");
    http_engine_workspace_put(req->engine, ws);
    free(origins);
    if (rc) {
        free(d);
        http_error_from(res, &err);
        return;
    }
    fow_result_context ctx = result_context(req);
    fow_result_page page = {reached, offset, limit};
    fow_jw *w = http_writer();
    if (w) fow_result_group_transitions(w, &ctx, req->params[0], n_origins, &q, d, n, &page);
    free(d);
    send_written(res, w);
}

/* ---- a person's skills ----------------------------------------------------- */

#define MAX_PERSON_SKILLS 500

typedef struct person {
    json_t *array;                                  /* the inputs (a reference held) */
    const char *inputs[MAX_PERSON_SKILLS];
    fow_skill_resolution resolutions[MAX_PERSON_SKILLS];
    uint32_t n;
    uint32_t skills[MAX_PERSON_SKILLS];             /* the recognised ones */
    uint32_t n_skills;
} person;

static void person_free(person *p) {
    json_decref(p->array);
    p->array = NULL;
}

/* Resolves a JSON array of skill labels or URIs into p (person_free frees
 * it). False after a 400. */
static bool person_from_json(const http_request *req, http_response *res, json_t *array, const char *field,
                             person *p) {
    p->array = NULL, p->n = 0, p->n_skills = 0;
    if (!json_is_array(array) || json_array_size(array) == 0 || json_array_size(array) > MAX_PERSON_SKILLS) {
        http_error(res, 400, field, "%s must be an array of 1 to %d skill labels or URIs", field, MAX_PERSON_SKILLS);
        return false;
    }
    const fow_model *m = req->engine->model;
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item) {
        if (!json_is_string(item) || json_string_length(item) == 0 || json_string_length(item) > 256) {
            char where[64];
            snprintf(where, sizeof where, "%s[%zu]", field, i);
            http_error(res, 400, where, "%s must be a skill label or URI (a string of 1 to 256 bytes)", where);
            return false;
        }
        fow_skill_resolution *r = &p->resolutions[p->n];
        p->inputs[p->n++] = json_string_value(item);
        /* a URI, its last segment (the web app's short ids) or a label */
        uint32_t key = fow_resolve_skill_key(m, json_string_value(item));
        if (key != FOW_NO_INDEX) memset(r, 0, sizeof *r), r->skill = key;
        else fow_resolve_skill(m, json_string_value(item), r);
        if (r->skill != FOW_NO_INDEX) p->skills[p->n_skills++] = r->skill;
    }
    if (p->n_skills == 0) {
        char list[400] = "";
        for (uint32_t k = 0; k < p->n; k++) { /* all unresolved */
            const fow_skill_resolution *r = &p->resolutions[k];
            if (r->n_suggestions && strlen(list) < 300) {
                strncat(list, k ? "; " : "", sizeof list - strlen(list) - 1);
                strncat(list, m->skills[r->suggestions[0]].label, sizeof list - strlen(list) - 1);
            }
        }
        http_error(res, 400, field, "none of the skills is an ESCO skill label or URI%s%s", list[0] ? "; close matches: " : "",
                   list);
        return false;
    }
    p->array = json_incref(array);
    return true;
}

static bool body_bool(json_t *body, const char *name, bool *out, http_response *res) {
    json_t *v = json_object_get(body, name);
    if (!v) return true;
    if (!json_is_boolean(v)) {
        http_error(res, 400, name, "%s must be true or false", name);
        return false;
    }
    *out = json_is_true(v);
    return true;
}

static void api_person_transitions(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    static const char *const known[] = {"skills", "safe", "strict", "desirable", "min_similarity", "limit", "offset",
                                        "model", "as", "safe_rule"};
    json_t *body = http_object_body(req, res, known, sizeof known / sizeof *known);
    if (!body) return;
    fow_transition_query q;
    fow_transition_query_default(req->engine->index, &q);
    bool safe = false, strict = false, desirable = false;
    long limit = 20, offset = 0;
    json_t *v;
    if (!body_bool(body, "safe", &safe, res) || !body_bool(body, "strict", &strict, res) ||
        !body_bool(body, "desirable", &desirable, res))
        goto done;
    if ((v = json_object_get(body, "min_similarity"))) {
        if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1) {
            http_error(res, 400, "min_similarity", "min_similarity must be a number from 0 to 1");
            goto done;
        }
        q.min_similarity = (float)json_number_value(v);
    }
    if ((v = json_object_get(body, "limit"))) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > MAX_PAGE) {
            http_error(res, 400, "limit", "limit must be a whole number from 1 to %d", MAX_PAGE);
            goto done;
        }
        limit = (long)json_integer_value(v);
    }
    if ((v = json_object_get(body, "offset"))) {
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100000) {
            http_error(res, 400, "offset", "offset must be a whole number from 0 to 100000");
            goto done;
        }
        offset = (long)json_integer_value(v);
    }
    if ((v = json_object_get(body, "model")) &&
        (!json_is_string(v) || fow_risk_model_parse(json_string_value(v), &q.model) != 0)) {
        http_error(res, 400, "model", "model must be \"mcc\" or \"frey-osborne\"");
        goto done;
    }
    if ((v = json_object_get(body, "safe_rule")) &&
        (!json_is_string(v) || parse_safe_rule(res, json_string_value(v), &q.safe_rule) != 0)) {
        if (!json_is_string(v)) http_error(res, 400, "safe_rule", "safe_rule must be \"margin\" or \"lower\"");
        goto done;
    }
    q.safe = strict ? 2 : safe ? 1 : 0;
    q.desirable = desirable;
    q.viable_only = q.min_similarity >= req->engine->index->params.viable;
    person p;
    if (!person_from_json(req, res, json_object_get(body, "skills"), "skills", &p)) goto done;
    fow_similarity_workspace *ws = http_engine_workspace_get(req->engine);
    q.limit = (uint32_t)(offset + limit);
    fow_transition *t = malloc(q.limit * sizeof *t);
    if (!ws || !t) {
        http_engine_workspace_put(req->engine, ws);
        free(t);
        person_free(&p);
        http_error(res, 500, NULL, "out of memory");
        goto done;
    }
    fow_transition_query fit_q = q;
    fit_q.safe = 0, fit_q.desirable = 0, fit_q.min_similarity = 0.0f, fit_q.limit = 5, fit_q.viable_only = 0;
    fow_transition fits[5];
    uint32_t n_fits = 0, n = 0, matching = 0;
    fow_similarity_origin_skills(ws, p.skills, p.n_skills);
    fow_transitions_rank(ws, FOW_NO_INDEX, FOW_NO_INDEX, &fit_q, fits, 5, &n_fits, NULL);
    uint32_t judge_as = n_fits ? fits[0].destination : FOW_NO_INDEX;
    bool ok = true;
    if ((v = json_object_get(body, "as"))) {
        if (!json_is_string(v)) {
            http_error(res, 400, "as", "as must be an occupation id, code or label");
            ok = false;
        } else {
            ok = find_occupation(req, res, json_string_value(v), "as", &judge_as);
            /* the worker's own occupation: its work context and ISCO group count */
            if (ok) fow_similarity_origin_context(ws, judge_as);
        }
    }
    if (ok) fow_transitions_rank(ws, judge_as, judge_as, &q, t, q.limit, &n, &matching);
    fow_transition_fallback fallback;
    fow_error err;
    fow_error_clear(&err);
    fow_code frc = ok && !matching ? fow_transitions_fallback(ws, judge_as, judge_as, FOW_NO_INDEX, &q, &fallback, &err)
                                   : FOW_OK;
    http_engine_workspace_put(req->engine, ws);
    if (ok && frc) {
        http_error_from(res, &err);
    } else if (ok) {
        fow_result_context ctx = result_context(req);
        fow_result_person given = {.inputs = p.inputs, .resolutions = p.resolutions, .n = p.n};
        fow_result_page page = {matching, offset, limit};
        fow_jw *w = http_writer();
        if (w)
            fow_result_person_transitions(w, &ctx, &given, fits, n_fits, judge_as, &q, t, n, &page,
                                          matching ? NULL : &fallback);
        send_written(res, w);
    }
    free(t);
    person_free(&p);
done:
    json_decref(body);
}

/* The person of a query string's skills ("a;b;c"). False after a 400. */
static bool person_from_query(const http_request *req, http_response *res, const char *skills, person *p) {
    json_t *array = json_array();
    char *copy = strdup(skills);
    char *items[MAX_PERSON_SKILLS];
    uint32_t n = copy ? fow_resolve_split(copy, items, MAX_PERSON_SKILLS) : 0;
    for (uint32_t i = 0; i < n && i < MAX_PERSON_SKILLS; i++) json_array_append_new(array, json_string(items[i]));
    free(copy);
    bool ok = person_from_json(req, res, array, "skills", p);
    json_decref(array); /* p holds its own reference */
    return ok;
}

static void person_upskill(http_request *req, http_response *res, const person *p, uint32_t judge_as,
                           const fow_transition_query *q, uint32_t candidates) {
    fow_similarity_workspace *ws = http_engine_workspace_get(req->engine);
    fow_upskill_result r;
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = ws ? fow_upskill_skills(ws, p->skills, p->n_skills, judge_as, q, candidates, &r, &err)
                     : fow_error_set(&err, FOW_ENOMEM, "out of memory");
    http_engine_workspace_put(req->engine, ws);
    if (rc) {
        fow_upskill_result_free(&r);
        http_error_from(res, &err);
        return;
    }
    fow_result_context ctx = result_context(req);
    fow_result_person given = {.inputs = p->inputs, .resolutions = p->resolutions, .n = p->n};
    fow_jw *w = http_writer();
    if (w) fow_result_person_upskill(w, &ctx, &given, judge_as, q, &r);
    fow_upskill_result_free(&r);
    send_written(res, w);
}

/* GET /api/v1/upskill?skills=a;b&as=X: upskilling of a worker known by skills. */
static void api_person_upskill(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    const char *skills = http_query(req, "skills"), *as = http_query(req, "as");
    uint32_t judge_as = FOW_NO_INDEX;
    if (!skills || !*skills) {
        http_error(res, 400, "skills", "skills (the worker's skills, separated by ';') is required");
        return;
    }
    if (as && !find_occupation(req, res, as, "as", &judge_as)) return;
    person p = {0};
    if (!person_from_query(req, res, skills, &p)) return;
    upskill_common(req, res, NULL, 0, NULL, &p, judge_as);
    person_free(&p);
}

/* ---- a person's stored skills profile as the origin ----------------------------- */

/* The stored skills profile of person id (?person=ID) as the origin of a
 * gap or a plan, with the person of the result made from it (free both
 * with profile_end). Only for a signed-in user who may read that profile:
 * an admin, a counsellor of the person's organisation (FOW_PERM_MANAGE_PEOPLE
 * and src/people's rows), or the person themselves (FOW_PERM_READ_OWN_RECORD).
 * The reads are audited; the answer is not cached. False after an answer:
 * 401, 403, 404 (not a person they may see), 409 (no counselling consent),
 * 400 (no skill of the taxonomy). */
static bool profile_from_query(http_request *req, http_response *res, const char *id, fow_person_origin *o,
                               fow_result_person *given) {
    memset(o, 0, sizeof *o);
    memset(given, 0, sizeof *given);
    res->cacheable = false;
    fow_role role = (fow_role)req->who.role;
    if (!req->who.authenticated) {
        http_error(res, 401, "person", "sign in to start from a person's skills profile");
        return false;
    }
    bool self = fow_role_allows(role, FOW_PERM_READ_OWN_RECORD) && strcmp(req->who.person_id, id) == 0;
    if (!fow_role_allows(role, FOW_PERM_MANAGE_PEOPLE) && !self) {
        http_error(res, 403, "role", "this role may not read a person's skills profile");
        return false;
    }
    fow_people_staff staff = {.name = req->who.name,
                              .organisation = req->who.organisation,
                              .all_organisations = fow_access_all_organisations(role),
                              .self = self ? req->who.person_id : NULL};
    fow_error err;
    fow_error_clear(&err);
    fow_db *db = NULL;
    fow_people *people = NULL;
    char key[4096];
    fow_code rc = fow_db_open(&db, req->services->db_path, false, &err);
    if (!rc) rc = fow_people_key_path(req->services->db_path, key, sizeof key, &err);
    if (!rc) rc = fow_people_open(db, key, &people, &err);
    if (!rc)
        rc = fow_people_profile_origin(people, &staff, req->engine->model, id, "plan: the gap from the skills profile",
                                       (long long)time(NULL), o, &err);
    fow_people_close(people);
    fow_db_close(db);
    if (!rc && !fow_result_person_from_origin(o, given)) rc = fow_error_set(&err, FOW_ENOMEM, "out of memory");
    if (!rc) return true;
    fow_person_origin_free(o);
    if (strcmp(err.field, "consent") == 0) http_error(res, 409, err.field, "%s", err.message);
    else if (strcmp(err.field, "key") == 0) http_error(res, 500, NULL, "the people records are not available: %s", err.message);
    else http_error_from(res, &err);
    return false;
}

static void profile_end(fow_person_origin *o, fow_result_person *given) {
    fow_result_person_free(given);
    fow_person_origin_free(o);
}

/* The origin a gap or plan query names: from=OCCUPATION, skills=a;b (with
 * as=OCCUPATION) or person=ID (with as=OCCUPATION to judge otherwise than as
 * their occupation); one of them. False after a 400. */
static bool one_origin(http_response *res, const char *from, const char *skills, const char *person_id,
                       const char *as) {
    if ((from != NULL) + (skills != NULL) + (person_id != NULL) > 1) {
        http_error(res, 400, person_id ? "person" : "skills", "give one of from, skills and person");
        return false;
    }
    if (as && !skills && !person_id) {
        http_error(res, 400, "as", "as (the occupation a person is judged as) goes with skills or person");
        return false;
    }
    return true;
}

/* The person a gap or plan query starts from, when not an occupation:
 * skills typed in (skills=) or a stored profile (person=). */
typedef struct query_person {
    person typed;
    fow_person_origin profile;
    fow_result_person given;  /* for the result */
    const uint32_t *skills;   /* the origin's skills */
    uint32_t n;
    bool any;                 /* a person, not an occupation */
    bool stored;              /* person= */
} query_person;

/* Reads the query's person into *q (query_person_end frees it), and for a
 * stored profile its occupation into *judge_as unless as= was given. False
 * after an answer. */
static bool query_person_begin(http_request *req, http_response *res, const char *skills, const char *person_id,
                               const char *as, query_person *q, uint32_t *judge_as) {
    memset(q, 0, sizeof *q);
    if (skills) {
        if (!person_from_query(req, res, skills, &q->typed)) return false;
        q->given = (fow_result_person){.inputs = q->typed.inputs, .resolutions = q->typed.resolutions, .n = q->typed.n};
        q->skills = q->typed.skills, q->n = q->typed.n_skills, q->any = true;
    } else if (person_id) {
        if (!profile_from_query(req, res, person_id, &q->profile, &q->given)) return false;
        if (!as) *judge_as = q->profile.judge_as;
        q->skills = q->profile.skills, q->n = q->profile.n, q->any = q->stored = true;
    }
    return true;
}

static void query_person_end(query_person *q) {
    person_free(&q->typed);
    if (q->stored) profile_end(&q->profile, &q->given);
}

/* ---- gaps ----------------------------------------------------------------------- */

static void api_gap(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    const char *from = http_query(req, "from"), *skills = http_query(req, "skills"), *as = http_query(req, "as");
    const char *person_id = http_query(req, "person");
    uint32_t origin = FOW_NO_INDEX, to, judge_as = FOW_NO_INDEX;
    if (!one_origin(res, from, skills, person_id, as)) return;
    if (as && !find_occupation(req, res, as, "as", &judge_as)) return;
    if (!skills && !person_id && !find_occupation(req, res, from, "from", &origin)) return;
    if (!find_occupation(req, res, http_query(req, "to"), "to", &to)) return;
    fow_risk_model model;
    if (read_model(req, res, &model)) return;
    fow_safe_rule rule = FOW_SAFE_RULE_MARGIN;
    if (parse_safe_rule(res, http_query(req, "safe_rule"), &rule)) return;
    query_person qp;
    if (!query_person_begin(req, res, skills, person_id, as, &qp, &judge_as)) return;
    fow_similarity_workspace *ws = http_engine_workspace_get(req->engine);
    if (!ws) {
        query_person_end(&qp);
        http_error(res, 500, NULL, "out of memory");
        return;
    }
    if (qp.any) {
        fow_similarity_origin_skills(ws, qp.skills, qp.n);
        if (judge_as != FOW_NO_INDEX) fow_similarity_origin_context(ws, judge_as);
    } else {
        fow_similarity_origin_occupation(ws, origin);
    }
    fow_gap gap;
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = fow_gap_compute(ws, to, &gap, &err);
    fow_transition t;
    if (!rc) fow_transition_assess(ws, qp.any ? judge_as : origin, to, gap.similarity, model, rule, &t);
    http_engine_workspace_put(req->engine, ws);
    if (rc) {
        http_error_from(res, &err);
    } else {
        fow_result_context ctx = result_context(req);
        fow_jw *w = http_writer();
        if (w)
            fow_result_gap(w, &ctx, origin, qp.any ? &qp.given : NULL, judge_as, to, &gap, &t, model, rule,
                           UINT32_MAX);
        send_written(res, w);
    }
    fow_gap_free(&gap);
    query_person_end(&qp);
}

/* ---- from a gap to modules ------------------------------------------------------- */

/* The plan's parameters from the query; -1 after a 400 naming one. */
static int read_plan_params(const http_request *req, http_response *res, fow_match_params *p, char *lang_buf,
                            size_t cap, bool *essential_only) {
    static const char *const solvers[] = {"auto", "greedy", "exact", NULL};
    fow_match_params_default(p);
    long hour_value, skill_value;
    const char *solver;
    if (http_query_long(req, res, "hour_value", (long)p->hour_value, 0, 1000000, &hour_value) ||
        http_query_long(req, res, "skill_value", (long)p->skill_value, 1, 2000000000L, &skill_value) ||
        http_query_choice(req, res, "solver", solvers, "auto", &solver) ||
        http_query_bool(req, res, "essential_only", false, essential_only))
        return -1;
    p->hour_value = hour_value;
    p->skill_value = skill_value;
    fow_match_solver_parse(solver, &p->solver);
    p->currency = http_query(req, "currency");
    fow_error err;
    fow_error_clear(&err);
    if (fow_match_params_languages(p, http_query(req, "languages"), lang_buf, cap, &err) ||
        fow_match_params_check(p, &err)) {
        http_error_from(res, &err);
        return -1;
    }
    return 0;
}

/* GET /api/v1/plan?from=X&to=Y (or skills=a;b&as=Z&to=Y, or person=ID&to=Y):
 * the modules that close the move's gap, the same document as `fow plan
 * --json`. */
static void api_plan(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    const char *from = http_query(req, "from"), *skills = http_query(req, "skills"), *as = http_query(req, "as");
    const char *person_id = http_query(req, "person");
    uint32_t origin = FOW_NO_INDEX, to, judge_as = FOW_NO_INDEX;
    if (!one_origin(res, from, skills, person_id, as)) return;
    fow_match_params params;
    char lang_buf[200];
    bool essential_only;
    if (read_plan_params(req, res, &params, lang_buf, sizeof lang_buf, &essential_only)) return;
    if (as && !find_occupation(req, res, as, "as", &judge_as)) return;
    if (!skills && !person_id && !find_occupation(req, res, from, "from", &origin)) return;
    if (!find_occupation(req, res, http_query(req, "to"), "to", &to)) return;
    query_person qp;
    if (!query_person_begin(req, res, skills, person_id, as, &qp, &judge_as)) return;
    fow_error err;
    fow_error_clear(&err);
    fow_training_catalogue cat;
    memset(&cat, 0, sizeof cat);
    fow_match_index *x = NULL;
    fow_match_plan plan;
    memset(&plan, 0, sizeof plan);
    const char *starts_after = http_query(req, "starts_after");
    char today[11];
    fow_match_today(today);
    const char *date = starts_after ? starts_after : today;
    uint8_t *cohort_flags = NULL;
    fow_match_start *starts = NULL;
    fow_db *db = NULL;
    fow_code rc = fow_db_open(&db, req->services->db_path, true, &err);
    if (!rc) rc = fow_training_load(db, &cat, &err);
    if (!rc && starts_after) {
        rc = fow_match_cohort_flags(db, &cat, starts_after, &cohort_flags, &err);
        params.has_cohort = cohort_flags;
        params.starts_after = starts_after;
    }
    if (!rc) rc = fow_match_index_build(&cat, &x, &err);
    fow_similarity_workspace *ws = rc ? NULL : http_engine_workspace_get(req->engine);
    if (!rc && !ws) rc = fow_error_set(&err, FOW_ENOMEM, "out of memory");
    if (!rc)
        rc = fow_match_plan_compute(ws, x, origin, qp.skills, qp.n, judge_as, to, !essential_only, &params, &plan,
                                    &err);
    if (ws) http_engine_workspace_put(req->engine, ws);
    if (!rc && !(starts = calloc(plan.result.n_chosen + 1, sizeof *starts)))
        rc = fow_error_set(&err, FOW_ENOMEM, "out of memory");
    if (!rc) rc = fow_match_starts(db, &cat, &plan.result, date, starts, &err);
    fow_db_close(db);
    if (rc) {
        http_error_from(res, &err);
    } else {
        fow_result_context ctx = result_context(req);
        fow_jw *w = http_writer();
        if (w) fow_result_plan(w, &ctx, qp.any ? &qp.given : NULL, x, &plan, &params, starts, date);
        send_written(res, w);
    }
    free(starts);
    free(cohort_flags);
    fow_match_plan_free(&plan);
    fow_match_index_free(x);
    fow_training_free(&cat);
    query_person_end(&qp);
}

/* ---- probable skills ------------------------------------------------------------- */

static void api_occupation_probable(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    uint32_t o;
    if (!find_occupation(req, res, req->params[0], "id", &o)) return;
    fow_infer_params params;
    fow_infer_params_default(&params);
    long limit, offset;
    if (http_query_page(req, res, (long)params.limit, FOW_INFER_MAX, &limit, &offset)) return;
    if (offset != 0) {
        http_error(res, 400, "offset", "probable skills are not paged: offset must be 0");
        return;
    }
    params.limit = (uint32_t)limit;
    fow_similarity_workspace *ws = http_engine_workspace_get(req->engine);
    if (!ws) {
        http_error(res, 500, NULL, "out of memory");
        return;
    }
    fow_probable_skill found[FOW_INFER_MAX];
    uint32_t n = 0;
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = fow_infer_occupation(ws, &params, o, found, FOW_INFER_MAX, &n, &err);
    http_engine_workspace_put(req->engine, ws);
    if (rc) {
        http_error_from(res, &err);
        return;
    }
    fow_result_context ctx = result_context(req);
    fow_jw *w = http_writer();
    if (w) fow_result_probable_skills(w, &ctx, o, &params, found, n);
    send_written(res, w);
}

/* ---- skills --------------------------------------------------------------------- */

static void api_skill(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    const fow_model *m = req->engine->model;
    uint32_t s = fow_resolve_skill_key(m, req->params[0]);
    if (s == FOW_NO_INDEX) {
        fow_skill_resolution r;
        fow_resolve_skill(m, req->params[0], &r);
        char list[400];
        fow_resolve_format_suggestions(m, 1, r.suggestions, r.n_suggestions, list, sizeof list);
        http_error(res, 404, "id", "no skill has the URI or label '%.100s'%s%s", req->params[0],
                   r.n_suggestions ? "; close matches: " : "", list);
        return;
    }
    fow_result_context ctx = result_context(req);
    fow_jw *w = http_writer();
    if (w) fow_result_skill(w, &ctx, s);
    send_written(res, w);
}

/* ---- sources ---------------------------------------------------------------------- */

static void api_sources(http_request *req, http_response *res) {
    fow_db *db;
    fow_error err;
    fow_error_clear(&err);
    fow_source_info *s = NULL;
    size_t n = 0;
    fow_code rc = fow_db_open(&db, req->services->db_path, true, &err);
    if (!rc) {
        rc = fow_sources_list(db, &s, &n, &err);
        fow_db_close(db);
    }
    if (rc) {
        http_error_from(res, &err);
        return;
    }
    fow_jw *w = http_writer();
    if (w) fow_result_sources(w, s, n);
    free(s);
    send_written(res, w);
}

/* /healthz answers from the engine of the moment: never from the response cache. */
static const http_route routes[] = {
    {.method = "GET", .pattern = "/healthz", .handler = api_healthz, .access = HTTP_PUBLIC, .uncached = true},
    {.method = "GET", .pattern = "/api/v1/stats", .handler = api_stats, .access = HTTP_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/search", .handler = api_search, .access = HTTP_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/occupations/{id}", .handler = api_occupation, .access = HTTP_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/occupations/{id}/transitions", .handler = api_occupation_transitions,
     .access = HTTP_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/occupations/{id}/similar", .handler = api_occupation_similar,
     .access = HTTP_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/occupations/{id}/upskill", .handler = api_occupation_upskill,
     .access = HTTP_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/occupations/{id}/probable-skills", .handler = api_occupation_probable,
     .access = HTTP_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/gap", .handler = api_gap, .access = HTTP_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/plan", .handler = api_plan, .access = HTTP_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/upskill", .handler = api_person_upskill, .access = HTTP_PUBLIC},
    {.method = "POST", .pattern = "/api/v1/transitions", .handler = api_person_transitions,
     .access = HTTP_PUBLIC, .max_body = HTTP_JSON_BODY_MAX, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/groups/{code}/transitions", .handler = api_group_transitions,
     .access = HTTP_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/groups/{code}/upskill", .handler = api_group_upskill, .access = HTTP_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/skills/{id}", .handler = api_skill, .access = HTTP_PUBLIC},
    {.method = "GET", .pattern = "/api/v1/sources", .handler = api_sources, .access = HTTP_PUBLIC},
};
HTTP_ROUTE_TABLE(api_taxonomy_routes, routes);
