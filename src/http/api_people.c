/* api_people.c — /api/v1/people: people records, consents, skills profiles,
 * export, erasure and the audit log (src/people/fow_people.h,
 * docs/people.md). Counsellors and administrators only
 * (FOW_PERM_MANAGE_PEOPLE); a counsellor sees only the people of their
 * organisation, anyone else's is 404. The audit log is for administrators
 * (FOW_PERM_MANAGE_USERS).
 *
 * Personal data stays out of URLs: a person is addressed by their
 * pseudonymous id, names and contacts travel only in bodies (look-up is a
 * POST), and the access log writes the route's pattern instead of the path
 * for these routes (personal_path). Reads say why: ?reason= (show, export)
 * or "reason" in the body (find, erase); it goes to the audit log.
 * PATCH /api/v1/people/{id} changes the fields of a record it is given
 * (rectification), audited with the names of the fields changed.
 *
 * Each request opens its own database connection and the people key (the
 * key file next to the database, docs/people.md); libfow does the rest. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/fow_accounts.h"
#include "http/http.h"
#include "people/fow_people.h"
#include "service/fow_result.h"

/* Who a request acts as: staff (an administrator sees every organisation,
 * fow_access_all_organisations), or a person on their own record. */
static fow_people_staff staff_of(const http_request *req) {
    fow_role role = (fow_role)req->who.role;
    fow_people_staff s = {.name = req->who.name,
                          .organisation = req->who.organisation,
                          .all_organisations = fow_access_all_organisations(role),
                          .self = role == FOW_ROLE_PERSON ? req->who.person_id : NULL};
    return s;
}

/* Maps a library error: consent missing or withdrawn 409, a key or
 * database problem 500, else as http_error_from. */
static void people_error(http_response *res, const fow_error *err) {
    if (strcmp(err->field, "consent") == 0) http_error(res, 409, err->field, "%s", err->message);
    else if (strcmp(err->field, "key") == 0) http_error(res, 500, NULL, "the people key could not be used: %s", err->message);
    else if (strcmp(err->field, "role") == 0) http_error(res, 403, err->field, "%s", err->message);
    else http_error_from(res, err);
}

typedef struct people_session {
    fow_db *db;
    fow_people *people;
} people_session;

/* Opens the request's connection and the people records; false after a
 * 500. */
static bool people_begin(const http_request *req, http_response *res, people_session *s) {
    memset(s, 0, sizeof *s);
    fow_error err;
    fow_error_clear(&err);
    char key_path[4096];
    if (fow_people_key_path(req->services->db_path, key_path, sizeof key_path, &err) ||
        fow_db_open(&s->db, req->services->db_path, false, &err) || fow_people_open(s->db, key_path, &s->people, &err)) {
        fow_db_close(s->db);
        s->db = NULL;
        http_error(res, 500, NULL, "people records are not available: %s", err.message);
        return false;
    }
    return true;
}

static void people_end(people_session *s) {
    fow_people_close(s->people);
    fow_db_close(s->db);
}

static const fow_model *model_of(const http_request *req) { return req->engine ? req->engine->model : NULL; }

/* A string field of body: NULL when absent; false after a 400 when it is
 * not a string. */
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

/* The written document w as a 200 (or status), or a 500. */
static void send(http_response *res, int status, fow_jw *w) {
    res->cacheable = false;
    http_json_written(res, status, w);
}

/* A read of people records, as the handlers that answer one JSON object run it. */
typedef struct people_call {
    http_request *req;
    fow_people *people;
    fow_people_staff staff;
    const char *id;  /* the person asked about: the path's {id}, or the caller's own */
    long long now;
    long limit;
    fow_jw *w;       /* the answer's object, open: work writes its fields */
    const void *input; /* what the handler read from the request for work */
    int status;      /* the answer's status when work succeeds: 200 unless work sets another */
    http_response *res;
} people_call;

typedef fow_code (*people_work)(people_call *c, fow_error *err);

/* Opens the request's people records and runs work on person id (NULL for
 * none), which writes the fields of the answer into c->w when it succeeds:
 * a 200 with that object, or the library's error. */
static void people_run_with(http_request *req, http_response *res, const char *id, long limit, const void *input,
                            people_work work) {
    people_session s;
    if (!people_begin(req, res, &s)) return;
    people_call c = {req, s.people, staff_of(req), id, (long long)time(NULL), limit, http_writer(), input, 200, res};
    fow_error err;
    fow_error_clear(&err);
    if (!c.w) {
        http_error(res, 500, NULL, "out of memory");
    } else {
        fow_jw_object(c.w);
        if (work(&c, &err)) people_error(res, &err);
        else {
            fow_jw_object_end(c.w);
            send(res, c.status, c.w);
        }
    }
    people_end(&s);
}

static void people_run(http_request *req, http_response *res, const char *id, long limit, people_work work) {
    people_run_with(req, res, id, limit, NULL, work);
}

/* ---- records ------------------------------------------------------------ */

static fow_code list_work(people_call *c, fow_error *err) {
    fow_person *list = NULL;
    size_t n = 0;
    fow_code rc = fow_people_list(c->people, &c->staff, c->now, &list, &n, err);
    if (!rc) {
        fow_jw_key(c->w, "people");
        fow_jw_array(c->w);
        for (size_t i = 0; i < n; i++) fow_people_write_person(c->w, &list[i], model_of(c->req), c->req->lang, false);
        fow_jw_array_end(c->w);
        fow_jw_kint(c->w, "total", (long long)n);
    }
    free(list);
    return rc;
}

static void people_list(http_request *req, http_response *res) { people_run(req, res, NULL, 0, list_work); }

static fow_code add_work(people_call *c, fow_error *err) {
    char id[FOW_PERSON_ID_CHARS + 1];
    fow_code rc = fow_people_add(c->people, &c->staff, model_of(c->req), c->input, c->now, id, err);
    if (!rc) {
        char where[96];
        snprintf(where, sizeof where, "/api/v1/people/%s", id);
        http_header(c->res, "Location", where);
        fow_jw_kstring(c->w, "id", id);
        c->status = 201;
    }
    return rc;
}

static void person_add(http_request *req, http_response *res) {
    static const char *const known[] = {"name", "contact", "birth_year", "sex", "area", "occupation",
                                        "employment_status", "organisation"};
    json_t *body = http_object_body(req, res, known, sizeof known / sizeof *known);
    if (!body) return;
    fow_person_input in = {0};
    json_t *year = json_object_get(body, "birth_year");
    if (!body_string(body, "name", &in.name, res) || !body_string(body, "contact", &in.contact, res) ||
        !body_string(body, "sex", &in.sex, res) ||
        !body_string(body, "area", &in.area, res) || !body_string(body, "occupation", &in.occupation, res) ||
        !body_string(body, "employment_status", &in.employment_status, res) ||
        !body_string(body, "organisation", &in.organisation, res)) {
        json_decref(body);
        return;
    }
    if (year && !json_is_null(year)) {
        if (!json_is_integer(year) || json_integer_value(year) < 1 || json_integer_value(year) > 9999) {
            http_error(res, 400, "birth_year", "birth_year must be a year, such as 1980");
            json_decref(body);
            return;
        }
        in.birth_year = (int)json_integer_value(year);
    }
    people_run_with(req, res, NULL, 0, &in, add_work);
    json_decref(body);
}

/* The record with its consents; reason: why it is read (the audit log's). */
static fow_code show_work_for(people_call *c, const char *reason, fow_error *err) {
    fow_person *p = calloc(1, sizeof *p);
    fow_consent *consents = NULL;
    size_t n = 0;
    fow_code rc = p ? FOW_OK : fow_error_set(err, FOW_ENOMEM, "out of memory");
    if (!rc) rc = fow_people_get(c->people, &c->staff, c->id, reason, c->now, p, err);
    if (!rc) rc = fow_people_consents(c->people, &c->staff, c->id, &consents, &n, err);
    if (!rc) {
        fow_jw_key(c->w, "person");
        fow_people_write_person(c->w, p, model_of(c->req), c->req->lang, true);
        fow_jw_key(c->w, "consents");
        fow_people_write_consents(c->w, consents, n);
    }
    if (p) sodium_memzero(p, sizeof *p);
    free(p);
    free(consents);
    return rc;
}

static fow_code show_work(people_call *c, fow_error *err) { return show_work_for(c, http_query(c->req, "reason"), err); }

static void person_show(http_request *req, http_response *res) { people_run(req, res, req->params[0], 0, show_work); }

/* The record changed (fow_people_update), then answered as GET answers it:
 * {person, consents}, read again (audited) after the change. */
static fow_code update_work(people_call *c, fow_error *err) {
    fow_code rc = fow_people_update(c->people, &c->staff, model_of(c->req), c->id, c->input, c->now, err);
    return rc ? rc : show_work_for(c, "the record as changed", err);
}

/* PATCH /api/v1/people/{id}: the fields of the body change (null clears
 * one), the others stay. */
static void person_update(http_request *req, http_response *res) {
    static const char *const known[] = {"name", "contact", "birth_year", "sex", "area", "occupation",
                                        "employment_status", "organisation"};
    json_t *body = http_object_body(req, res, known, sizeof known / sizeof *known);
    if (!body) return;
    fow_person_update u;
    memset(&u, 0, sizeof u);
    json_t *year = json_object_get(body, "birth_year");
    bool ok = body_string(body, "name", &u.values.name, res) && body_string(body, "contact", &u.values.contact, res) &&
              body_string(body, "sex", &u.values.sex, res) && body_string(body, "area", &u.values.area, res) &&
              body_string(body, "occupation", &u.values.occupation, res) &&
              body_string(body, "employment_status", &u.values.employment_status, res);
    if (ok && json_object_get(body, "organisation")) {
        http_error(res, 400, "organisation",
                   "organisation does not change: the person stays with the organisation that serves them");
        ok = false;
    }
    if (ok && year && !json_is_null(year)) {
        if (!json_is_integer(year) || json_integer_value(year) < 1 || json_integer_value(year) > 9999) {
            http_error(res, 400, "birth_year", "birth_year must be a year, such as 1980, or null");
            ok = false;
        } else {
            u.values.birth_year = (int)json_integer_value(year);
        }
    }
    if (ok && json_object_get(body, "occupation") && u.values.occupation && u.values.occupation[0] &&
        !http_need_engine(req, res))
        ok = false;
    if (ok) {
        u.name = json_object_get(body, "name") != NULL;
        u.contact = json_object_get(body, "contact") != NULL;
        u.birth_year = year != NULL;
        u.sex = json_object_get(body, "sex") != NULL;
        u.area = json_object_get(body, "area") != NULL;
        u.occupation = json_object_get(body, "occupation") != NULL;
        u.employment_status = json_object_get(body, "employment_status") != NULL;
        people_run_with(req, res, req->params[0], 0, &u, update_work);
    }
    json_decref(body);
}

typedef struct find_input {
    const char *name, *contact, *reason;
} find_input;

static fow_code find_work(people_call *c, fow_error *err) {
    const find_input *in = c->input;
    char ids[50][FOW_PERSON_ID_CHARS + 1];
    size_t n = 0;
    fow_code rc = fow_people_find(c->people, &c->staff, in->name ? 0 : 1, in->name ? in->name : in->contact, in->reason,
                                  c->now, ids, 50, &n, err);
    if (!rc) {
        fow_jw_key(c->w, "ids");
        fow_jw_array(c->w);
        for (size_t i = 0; i < n; i++) fow_jw_string(c->w, ids[i]);
        fow_jw_array_end(c->w);
    }
    return rc;
}

static void person_find(http_request *req, http_response *res) {
    static const char *const known[] = {"name", "contact", "reason"};
    json_t *body = http_object_body(req, res, known, sizeof known / sizeof *known);
    if (!body) return;
    const char *name, *contact, *reason;
    if (!body_string(body, "name", &name, res) || !body_string(body, "contact", &contact, res) ||
        !body_string(body, "reason", &reason, res)) {
        json_decref(body);
        return;
    }
    if ((name != NULL) == (contact != NULL)) {
        http_error(res, 400, "name", "give exactly one of name and contact");
        json_decref(body);
        return;
    }
    find_input in = {name, contact, reason};
    people_run_with(req, res, NULL, 0, &in, find_work);
    json_decref(body);
}

/* ---- consent ------------------------------------------------------------ */

static bool parse_purpose(const char *text, fow_purpose *out, http_response *res) {
    if (!text || fow_purpose_parse(text, out) != 0) {
        http_error(res, 400, "purpose", "purpose must be counselling, training, vouchers or statistics, not '%.40s'",
                   text ? text : "");
        return false;
    }
    return true;
}

/* A consent given (version: the text's) or withdrawn (version NULL). */
typedef struct consent_input {
    fow_purpose purpose;
    const char *version;
} consent_input;

static fow_code consent_work(people_call *c, fow_error *err) {
    const consent_input *in = c->input;
    bool give = in->version != NULL;
    fow_code rc = give ? fow_people_consent_give(c->people, &c->staff, c->id, in->purpose, in->version, c->now, err)
                       : fow_people_consent_withdraw(c->people, &c->staff, c->id, in->purpose, c->now, err);
    if (!rc) {
        fow_jw_kstring(c->w, "person", c->id);
        fow_jw_kstring(c->w, "purpose", fow_purpose_name(in->purpose));
        fow_jw_kbool(c->w, "in_force", give);
        c->status = give ? 201 : 200;
    }
    return rc;
}

static void consent_give(http_request *req, http_response *res) {
    static const char *const known[] = {"purpose", "text_version"};
    json_t *body = http_object_body(req, res, known, sizeof known / sizeof *known);
    if (!body) return;
    const char *purpose_text, *version;
    fow_purpose purpose;
    if (!body_string(body, "purpose", &purpose_text, res) || !body_string(body, "text_version", &version, res) ||
        !parse_purpose(purpose_text, &purpose, res)) {
        json_decref(body);
        return;
    }
    consent_input in = {purpose, version ? version : ""}; /* "" is refused by the library, naming text_version */
    people_run_with(req, res, req->params[0], 0, &in, consent_work);
    json_decref(body);
}

static void consent_withdraw(http_request *req, http_response *res) {
    consent_input in = {FOW_PURPOSE_COUNT, NULL}; /* no text version: a withdrawal */
    if (!parse_purpose(req->params[1], &in.purpose, res)) return;
    people_run_with(req, res, req->params[0], 0, &in, consent_work);
}

/* ---- export and erasure ---------------------------------------------------- */

static void person_export(http_request *req, http_response *res) {
    people_session s;
    if (!people_begin(req, res, &s)) return;
    fow_people_staff staff = staff_of(req);
    fow_error err;
    fow_error_clear(&err);
    fow_jw *w = http_writer();
    if (!w) http_error(res, 500, NULL, "out of memory");
    else if (fow_people_export(s.people, &staff, req->params[0], http_query(req, "reason"), (long long)time(NULL), w,
                               &err))
        people_error(res, &err);
    else
        send(res, 200, w);
    people_end(&s);
}

static void person_erase(http_request *req, http_response *res) {
    static const char *const known[] = {"reason"};
    json_t *body = http_object_body(req, res, known, sizeof known / sizeof *known);
    if (!body) return;
    const char *reason;
    if (!body_string(body, "reason", &reason, res)) {
        json_decref(body);
        return;
    }
    people_session s;
    if (people_begin(req, res, &s)) {
        fow_people_staff staff = staff_of(req);
        fow_error err;
        fow_error_clear(&err);
        fow_erasure e;
        if (fow_people_erase(s.people, &staff, req->params[0], reason, (long long)time(NULL), &e, &err))
            people_error(res, &err);
        else
            http_json(res, 200, json_pack("{s:s, s:b, s:I, s:I, s:I, s:b}", "person", req->params[0], "erased", 1,
                                          "consents_removed", (json_int_t)e.consents, "skills_removed",
                                          (json_int_t)e.skills, "accounts_disabled", (json_int_t)e.accounts_disabled,
                                          "wal_cleared", e.wal_cleared));
        people_end(&s);
    }
    res->cacheable = false;
    json_decref(body);
}

/* ---- the skills profile ------------------------------------------------------ */

static fow_code skills_work(people_call *c, fow_error *err) {
    fow_person_skill *skills = NULL;
    size_t n = 0;
    fow_code rc = fow_people_skills(c->people, &c->staff, model_of(c->req), c->id, http_query(c->req, "reason"),
                                    c->now, &skills, &n, err);
    if (!rc) {
        fow_jw_kstring(c->w, "person", c->id);
        fow_jw_key(c->w, "skills");
        fow_people_write_skills(c->w, skills, n, model_of(c->req), c->req->lang);
    }
    free(skills);
    return rc;
}

static void skills_show(http_request *req, http_response *res) { people_run(req, res, req->params[0], 0, skills_work); }

static void skill_add(http_request *req, http_response *res) {
    static const char *const known[] = {"skill", "provenance", "detail"};
    json_t *body = http_object_body(req, res, known, sizeof known / sizeof *known);
    if (!body) return;
    const char *skill, *provenance_text, *detail;
    fow_skill_provenance provenance = FOW_SKILL_DECLARED;
    if (!body_string(body, "skill", &skill, res) || !body_string(body, "provenance", &provenance_text, res) ||
        !body_string(body, "detail", &detail, res)) {
        json_decref(body);
        return;
    }
    if (provenance_text && fow_skill_provenance_parse(provenance_text, &provenance) != 0) {
        http_error(res, 400, "provenance",
                   "provenance must be declared, counsellor, occupation, assessment or credential, not '%.40s'",
                   provenance_text);
        json_decref(body);
        return;
    }
    if (!http_need_engine(req, res)) {
        json_decref(body);
        return;
    }
    people_session s;
    if (people_begin(req, res, &s)) {
        fow_people_staff staff = staff_of(req);
        fow_error err;
        fow_error_clear(&err);
        if (fow_people_skill_add(s.people, &staff, model_of(req), req->params[0], skill, provenance, detail,
                                 (long long)time(NULL), &err))
            people_error(res, &err);
        else
            http_json(res, 201, json_pack("{s:s, s:s, s:s}", "person", req->params[0], "skill", skill, "provenance",
                                          fow_skill_provenance_name(provenance)));
        people_end(&s);
    }
    res->cacheable = false;
    json_decref(body);
}

static void skill_remove(http_request *req, http_response *res) {
    const char *skill = http_query(req, "skill"), *provenance_text = http_query(req, "provenance");
    fow_skill_provenance provenance = FOW_SKILL_PROVENANCE_COUNT;
    if (!skill || !skill[0]) {
        http_error(res, 400, "skill", "skill is required (?skill=URI or label)");
        return;
    }
    if (provenance_text && fow_skill_provenance_parse(provenance_text, &provenance) != 0) {
        http_error(res, 400, "provenance",
                   "provenance must be declared, counsellor, occupation, assessment or credential, not '%.40s'",
                   provenance_text);
        return;
    }
    if (!http_need_engine(req, res)) return;
    people_session s;
    if (!people_begin(req, res, &s)) return;
    fow_people_staff staff = staff_of(req);
    fow_error err;
    fow_error_clear(&err);
    if (fow_people_skill_remove(s.people, &staff, model_of(req), req->params[0], skill, provenance,
                                (long long)time(NULL), &err))
        people_error(res, &err);
    else
        http_json(res, 200, json_pack("{s:s, s:b}", "person", req->params[0], "removed", 1));
    res->cacheable = false;
    people_end(&s);
}

static void skills_infer(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    people_session s;
    if (!people_begin(req, res, &s)) return;
    fow_people_staff staff = staff_of(req);
    fow_error err;
    fow_error_clear(&err);
    size_t added = 0;
    if (fow_people_skills_infer(s.people, &staff, model_of(req), req->params[0], (long long)time(NULL), &added, &err))
        people_error(res, &err);
    else
        http_json(res, 200, json_pack("{s:s, s:I}", "person", req->params[0], "added", (json_int_t)added));
    res->cacheable = false;
    people_end(&s);
}

/* GET /api/v1/people/{id}/transitions: the moves from the person's skills
 * profile, judged as their occupation; the same document as the moves
 * from a list of skills (fow_result_person_transitions). */
static void person_transitions(http_request *req, http_response *res) {
    if (!http_need_engine(req, res)) return;
    fow_transition_query q;
    fow_transition_query_default(req->engine->index, &q);
    bool safe, desirable;
    long limit;
    const char *model_text = http_query(req, "model");
    if (http_query_bool(req, res, "safe", false, &safe) || http_query_bool(req, res, "desirable", false, &desirable) ||
        http_query_long(req, res, "limit", 20, 1, 100, &limit))
        return;
    if (model_text && fow_risk_model_parse(model_text, &q.model) != 0) {
        http_error(res, 400, "model", "model must be mcc or frey-osborne, not '%.40s'", model_text);
        return;
    }
    q.safe = safe, q.desirable = desirable, q.limit = (uint32_t)limit;
    people_session s;
    if (!people_begin(req, res, &s)) return;
    fow_people_staff staff = staff_of(req);
    fow_error err;
    fow_error_clear(&err);
    long long now = (long long)time(NULL);
    fow_person *p = calloc(1, sizeof *p);
    fow_person_skill *skills = NULL;
    size_t n = 0;
    fow_similarity_workspace *ws = http_engine_workspace_get(req->engine);
    fow_transition *t = calloc(q.limit, sizeof *t);
    const char **inputs = NULL;
    fow_skill_resolution *resolutions = NULL;
    if (!p || !ws || !t) {
        http_error(res, 500, NULL, "out of memory");
    } else if (fow_people_get(s.people, &staff, req->params[0], "moves from the skills profile", now, p, &err) ||
               fow_people_skills(s.people, &staff, req->engine->model, req->params[0], "moves from the skills profile",
                                 now, &skills, &n, &err)) {
        people_error(res, &err);
    } else {
        uint32_t n_out = 0, matching = 0, judge_as = FOW_NO_INDEX, used = 0;
        if (fow_people_transitions(ws, p->occupation_uri, skills, n, &q, t, q.limit, &n_out, &matching, &judge_as,
                                   &used, &err)) {
            people_error(res, &err);
        } else if (!(inputs = calloc(n ? n : 1, sizeof *inputs)) ||
                   !(resolutions = calloc(n ? n : 1, sizeof *resolutions))) {
            http_error(res, 500, NULL, "out of memory");
        } else {
            for (size_t i = 0; i < n; i++) {
                inputs[i] = skills[i].skill;
                resolutions[i].skill = skills[i].index;
            }
            fow_result_person person = {.inputs = inputs, .resolutions = resolutions, .n = (uint32_t)n};
            const http_engine *e = req->engine;
            fow_result_context ctx = {e->model, e->index, {e->risk_source[0], e->risk_source[1]},
                                      e->attributes_source, req->lang, e->taxonomy_source};
            fow_result_page page = {(long)matching, 0, (long)q.limit};
            fow_jw *w = http_writer();
            if (w) fow_result_person_transitions(w, &ctx, &person, NULL, 0, judge_as, &q, t, n_out, &page, NULL);
            send(res, 200, w);
        }
    }
    if (ws) http_engine_workspace_put(req->engine, ws);
    if (p) sodium_memzero(p, sizeof *p);
    free(p);
    free(skills);
    free(t);
    free(inputs);
    free(resolutions);
    people_end(&s);
}

/* ---- audit and counts ---------------------------------------------------------- */

static fow_code audit_work(people_call *c, fow_error *err) {
    fow_audit_entry *entries = NULL;
    size_t n = 0;
    fow_code rc = fow_people_audit(c->people, &c->staff, http_query(c->req, "person"), (size_t)c->limit, &entries, &n,
                                   err);
    if (!rc) {
        fow_jw_key(c->w, "entries");
        fow_people_write_audit(c->w, entries, n);
    }
    free(entries);
    return rc;
}

static void audit_list(http_request *req, http_response *res) {
    long limit;
    if (http_query_long(req, res, "limit", 200, 1, 10000, &limit)) return;
    people_run(req, res, NULL, limit, audit_work);
}

static fow_code counts_work(people_call *c, fow_error *err) {
    fow_people_count *counts = NULL;
    size_t n = 0;
    fow_code rc = fow_people_counts(c->people, &c->staff, &counts, &n, err);
    if (!rc) {
        fow_jw_key(c->w, "organisations");
        fow_people_write_counts(c->w, counts, n);
    }
    free(counts);
    return rc;
}

static void people_counts(http_request *req, http_response *res) { people_run(req, res, NULL, 0, counts_work); }

/* ---- a person's own record (role person, fow_access_person) ------------------- */

/* GET /api/v1/me/person: the caller's own record and consents, audited as
 * read by themselves. */
static fow_code own_record_work(people_call *c, fow_error *err) { return show_work_for(c, "own record", err); }

static void me_person(http_request *req, http_response *res) {
    if (!req->who.person_id[0]) {
        http_error(res, 404, "person", "this account is linked to no people record");
        return;
    }
    people_run(req, res, req->who.person_id, 0, own_record_work);
}

/* GET /api/v1/me/skills: the caller's own skills profile. */
static void me_skills(http_request *req, http_response *res) {
    if (!req->who.person_id[0]) {
        http_error(res, 404, "person", "this account is linked to no people record");
        return;
    }
    people_run(req, res, req->who.person_id, 0, skills_work);
}

static const http_route routes[] = {
    {.method = "GET", .pattern = "/api/v1/people", .handler = people_list, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true},
    {.method = "POST", .pattern = "/api/v1/people", .handler = person_add, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true, .max_body = 8192,
     .json_body = true},
    {.method = "GET", .pattern = "/api/v1/people-counts", .handler = people_counts, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true},
    {.method = "GET", .pattern = "/api/v1/people-audit", .handler = audit_list, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_USERS, .personal_path = true},
    {.method = "POST", .pattern = "/api/v1/people/find", .handler = person_find, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true, .max_body = 4096,
     .json_body = true},
    {.method = "GET", .pattern = "/api/v1/people/{id}", .handler = person_show, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true},
    {.method = "PATCH", .pattern = "/api/v1/people/{id}", .handler = person_update, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true,
     .max_body = 8192, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/people/{id}/consents", .handler = consent_give, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true,
     .max_body = 4096, .json_body = true},
    {.method = "DELETE", .pattern = "/api/v1/people/{id}/consents/{purpose}", .handler = consent_withdraw,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true},
    {.method = "GET", .pattern = "/api/v1/people/{id}/export", .handler = person_export, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true},
    {.method = "POST", .pattern = "/api/v1/people/{id}/erase", .handler = person_erase, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true,
     .max_body = 4096, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/people/{id}/skills", .handler = skills_show, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true},
    {.method = "POST", .pattern = "/api/v1/people/{id}/skills", .handler = skill_add, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true,
     .max_body = 4096, .json_body = true},
    {.method = "DELETE", .pattern = "/api/v1/people/{id}/skills", .handler = skill_remove, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true},
    {.method = "POST", .pattern = "/api/v1/people/{id}/skills/infer", .handler = skills_infer, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true, .max_body = 1024},
    {.method = "GET", .pattern = "/api/v1/people/{id}/transitions", .handler = person_transitions, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true},
    {.method = "GET", .pattern = "/api/v1/me/person", .handler = me_person, .access = HTTP_PERMISSION, .permission = FOW_PERM_READ_OWN_RECORD, .personal_path = true},
    {.method = "GET", .pattern = "/api/v1/me/skills", .handler = me_skills, .access = HTTP_PERMISSION, .permission = FOW_PERM_READ_OWN_RECORD, .personal_path = true},
};
HTTP_ROUTE_TABLE(api_people_routes, routes);
