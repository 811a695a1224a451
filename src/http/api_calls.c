/* api_calls.c — calls for applications of the voucher programme
 * (src/vouchers/fow_calls.h, docs/vouchers-calls.md):
 *   public             GET /api/v1/calls, /api/v1/calls/{call}
 *   a person           their eligibility, applying, their applications (/api/v1/me/...)
 *   a counsellor       a person's eligibility and application (FOW_PERM_MANAGE_PEOPLE; their
 *                      organisation's people only), an enterprise's application
 *   a juror            the applications of the calls whose jury they sit on, conflicts, scores
 *                      (FOW_PERM_SCORE_APPLICATIONS; /api/v1/jury/...)
 *   the office         calls, rules, jury, applications, ranking, decisions (FOW_PERM_MANAGE_CALLS)
 * Paths that name a person write their pattern to the access log (personal_path). Answers
 * are never cached: calls change without a data import. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/fow_accounts.h"
#include "http/http.h"
#include "vouchers/fow_calls.h"

typedef struct call_session {
    fow_db *db;
    fow_people *people;
    fow_people_staff staff;
    fow_calls_ctx c;
} call_session;

/* Opens the request's connection (and the people records with
 * with_people); false after a 500. */
static bool call_begin(const http_request *req, http_response *res, bool with_people, call_session *s) {
    memset(s, 0, sizeof *s);
    fow_error err;
    fow_error_clear(&err);
    char key_path[4096];
    if (fow_db_open(&s->db, req->services->db_path, false, &err) ||
        (with_people && (fow_people_key_path(req->services->db_path, key_path, sizeof key_path, &err) ||
                         fow_people_open(s->db, key_path, &s->people, &err)))) {
        fow_db_close(s->db);
        s->db = NULL;
        http_error(res, 500, NULL, "calls are not available: %s", err.message);
        return false;
    }
    fow_role role = (fow_role)req->who.role;
    s->staff = (fow_people_staff){.name = req->who.name[0] ? req->who.name : "anonymous",
                                  .organisation = req->who.organisation,
                                  .all_organisations = fow_access_all_organisations(role),
                                  .self = role == FOW_ROLE_PERSON ? req->who.person_id : NULL};
    s->c = (fow_calls_ctx){.db = s->db,
                           .people = s->people,
                           .staff = &s->staff,
                           .model = req->engine ? req->engine->model : NULL,
                           .actor = req->who.name[0] ? req->who.name : NULL,
                           .now = (long long)time(NULL)};
    res->cacheable = false;
    return true;
}

static void call_end(call_session *s) {
    fow_people_close(s->people);
    fow_db_close(s->db);
}

/* Consent missing 409, not on the jury or a conflict 403, a key problem
 * 500, else as http_error_from. */
static void call_error(http_response *res, const fow_error *err) {
    if (strcmp(err->field, "consent") == 0) http_error(res, 409, err->field, "%s", err->message);
    else if (strcmp(err->field, "budget") == 0) http_error(res, 409, err->field, "%s", err->message);
    else if (strcmp(err->field, "juror") == 0 && err->code == FOW_EINPUT)
        http_error(res, 403, err->field, "%s", err->message);
    else if (strcmp(err->field, "conflict") == 0) http_error(res, 403, err->field, "%s", err->message);
    else if (strcmp(err->field, "role") == 0) http_error(res, 403, err->field, "%s", err->message);
    else if (strcmp(err->field, "key") == 0) http_error(res, 500, NULL, "the people key could not be used: %s", err->message);
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

static bool body_string(json_t *body, const char *name, bool required, const char **out, http_response *res) {
    json_t *v = json_object_get(body, name);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required) http_error(res, 400, name, "%s is required", name);
        return !required;
    }
    if (!json_is_string(v)) {
        http_error(res, 400, name, "%s must be a string", name);
        return false;
    }
    *out = json_string_value(v);
    return true;
}

/* A non-negative whole number member (0 when absent); false after a 400. */
static bool body_count(json_t *body, const char *name, long long *out, http_response *res) {
    json_t *v = json_object_get(body, name);
    *out = 0;
    if (!v || json_is_null(v)) return true;
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        http_error(res, 400, name, "%s must be a whole number, 0 or more", name);
        return false;
    }
    *out = (long long)json_integer_value(v);
    return true;
}

/* Runs write into the thread's writer and answers status, or the error. */
#define ANSWER(s, res, status, call)                                                                                  \
    do {                                                                                                              \
        fow_error err_;                                                                                               \
        fow_error_clear(&err_);                                                                                       \
        fow_jw *w = http_writer();                                                                                    \
        if (!w) {                                                                                                     \
            http_error(res, 500, NULL, "out of memory");                                                              \
        } else {                                                                                                      \
            fow_error *aerr = &err_;                                                                                   \
            if (call) call_error(res, aerr);                                                                           \
            else http_json_written(res, status, w);                                                                   \
        }                                                                                                             \
    } while (0)

/* ---- public ---------------------------------------------------------------- */

static void calls_list(http_request *req, http_response *res) {
    call_session s;
    if (!call_begin(req, res, false, &s)) return;
    ANSWER(s, res, 200, fow_calls_list_write(&s.c, w, aerr));
    call_end(&s);
}

static void call_show(http_request *req, http_response *res) {
    long long id;
    call_session s;
    if (!path_id(req, res, 0, "call", &id) || !call_begin(req, res, false, &s)) return;
    ANSWER(s, res, 200, fow_calls_write(&s.c, id, w, aerr));
    call_end(&s);
}

/* ---- the office ------------------------------------------------------------ */

static void call_create(http_request *req, http_response *res) {
    call_session s;
    if (!call_begin(req, res, false, &s)) return;
    fow_error err;
    fow_error_clear(&err);
    long long id = 0;
    if (fow_calls_create(&s.c, req->body, &id, &err)) call_error(res, &err);
    else ANSWER(s, res, 201, fow_calls_write(&s.c, id, w, aerr));
    call_end(&s);
}

static void call_rules(http_request *req, http_response *res) {
    long long id;
    if (!path_id(req, res, 0, "call", &id)) return;
    static const char *const known[] = {"rules"};
    json_t *body = http_object_body(req, res, known, 1);
    if (!body) return;
    json_t *rules = json_object_get(body, "rules");
    char *text = rules ? json_dumps(rules, JSON_COMPACT) : NULL;
    call_session s;
    if (!text) http_error(res, 400, "rules", "rules (a list of rule objects) is required");
    else if (call_begin(req, res, false, &s)) {
        fow_error err;
        fow_error_clear(&err);
        if (fow_calls_set_rules(&s.c, id, text, &err)) call_error(res, &err);
        else ANSWER(s, res, 200, fow_calls_write(&s.c, id, w, aerr));
        call_end(&s);
    }
    free(text);
    json_decref(body);
}

static void call_jurors(http_request *req, http_response *res) {
    long long id;
    call_session s;
    if (!path_id(req, res, 0, "call", &id) || !call_begin(req, res, false, &s)) return;
    ANSWER(s, res, 200, fow_calls_jurors_write(&s.c, id, w, aerr));
    call_end(&s);
}

static void call_juror_add(http_request *req, http_response *res) {
    long long id;
    if (!path_id(req, res, 0, "call", &id)) return;
    static const char *const known[] = {"juror"};
    json_t *body = http_object_body(req, res, known, 1);
    if (!body) return;
    const char *juror;
    call_session s;
    if (body_string(body, "juror", true, &juror, res) && call_begin(req, res, false, &s)) {
        fow_error err;
        fow_error_clear(&err);
        /* here "juror" names the account to add: an unknown or wrong one is the caller's input */
        if (fow_calls_juror_add(&s.c, id, juror, &err)) http_error_from(res, &err);
        else ANSWER(s, res, 201, fow_calls_jurors_write(&s.c, id, w, aerr));
        call_end(&s);
    }
    json_decref(body);
}

static void call_applications(http_request *req, http_response *res) {
    long long id;
    call_session s;
    if (!path_id(req, res, 0, "call", &id) || !call_begin(req, res, false, &s)) return;
    ANSWER(s, res, 200, fow_calls_applications_write(&s.c, id, FOW_CALLS_VIEW_OFFICE, w, aerr));
    call_end(&s);
}

static void call_ranking(http_request *req, http_response *res) {
    long long id;
    call_session s;
    if (!path_id(req, res, 0, "call", &id) || !call_begin(req, res, false, &s)) return;
    ANSWER(s, res, 200, fow_calls_rank_write(&s.c, id, w, aerr));
    call_end(&s);
}

static void application_show(http_request *req, http_response *res) {
    long long id;
    call_session s;
    if (!path_id(req, res, 0, "application", &id) || !call_begin(req, res, false, &s)) return;
    ANSWER(s, res, 200, fow_calls_application_write(&s.c, id, FOW_CALLS_VIEW_OFFICE, w, aerr));
    call_end(&s);
}

static void application_decide(http_request *req, http_response *res) {
    long long id;
    if (!path_id(req, res, 0, "application", &id)) return;
    static const char *const known[] = {"decision", "amount", "reason"};
    json_t *body = http_object_body(req, res, known, 3);
    if (!body) return;
    const char *decision, *reason;
    long long amount;
    fow_award_decision d;
    call_session s;
    if (body_string(body, "decision", true, &decision, res) && body_string(body, "reason", true, &reason, res) &&
        body_count(body, "amount", &amount, res)) {
        if (fow_award_decision_parse(decision, &d) != 0)
            http_error(res, 400, "decision", "decision must be award, reject or waitlist");
        else if (call_begin(req, res, true, &s)) { /* people: an award's voucher reads the consent */
            fow_error err;
            fow_error_clear(&err);
            if (fow_calls_decide(&s.c, id, d, amount, reason, NULL, &err)) call_error(res, &err);
            else ANSWER(s, res, 200, fow_calls_application_write(&s.c, id, FOW_CALLS_VIEW_OFFICE, w, aerr));
            call_end(&s);
        }
    }
    json_decref(body);
}

/* ---- counsellors: for a person or an enterprise ---------------------------- */

static void person_eligibility(http_request *req, http_response *res) {
    long long id;
    call_session s;
    if (!path_id(req, res, 0, "call", &id) || !call_begin(req, res, true, &s)) return;
    ANSWER(s, res, 200, fow_calls_eligibility(&s.c, id, req->params[1], w, NULL, aerr));
    call_end(&s);
}

/* Applies with in (its person or enterprise filled) and answers 201 with
 * the application as its applicant (a person) or the office sees it. */
static void apply_and_answer(call_session *s, http_response *res, long long call, const fow_application_input *in,
                             fow_calls_viewer viewer) {
    fow_error err;
    fow_error_clear(&err);
    long long app = 0;
    if (fow_calls_apply(&s->c, call, in, &app, &err)) call_error(res, &err);
    else ANSWER(*s, res, 201, fow_calls_application_write(&s->c, app, viewer, w, aerr));
}

static void call_apply(http_request *req, http_response *res) {
    long long id;
    if (!path_id(req, res, 0, "call", &id)) return;
    static const char *const known[] = {"person", "plan", "enterprise", "registration_code", "amount", "proposal"};
    json_t *body = http_object_body(req, res, known, 6);
    if (!body) return;
    const char *person, *enterprise, *code, *proposal;
    long long plan, amount;
    call_session s;
    if (body_string(body, "person", false, &person, res) && body_string(body, "enterprise", false, &enterprise, res) &&
        body_string(body, "registration_code", false, &code, res) &&
        body_string(body, "proposal", true, &proposal, res) && body_count(body, "plan", &plan, res) &&
        body_count(body, "amount", &amount, res)) {
        if (!person == !enterprise)
            http_error(res, 400, "applicant", "give either person (a person's id) or enterprise (its name)");
        else if (call_begin(req, res, true, &s)) {
            fow_application_input in = {.kind = person ? FOW_APPLICANT_PERSON : FOW_APPLICANT_ENTERPRISE,
                                        .person = person,
                                        .plan_id = plan,
                                        .enterprise_name = enterprise,
                                        .registration_code = code,
                                        .requested_minor = amount,
                                        .proposal = proposal};
            apply_and_answer(&s, res, id, &in, FOW_CALLS_VIEW_OFFICE);
            call_end(&s);
        }
    }
    json_decref(body);
}

static void person_applications(http_request *req, http_response *res) {
    call_session s;
    if (!call_begin(req, res, true, &s)) return;
    ANSWER(s, res, 200, fow_calls_person_applications_write(&s.c, req->params[0], w, aerr));
    call_end(&s);
}

/* ---- a person: their own ---------------------------------------------------- */

static bool linked(const http_request *req, http_response *res) {
    if (req->who.person_id[0]) return true;
    http_error(res, 404, "person", "this account is linked to no people record");
    return false;
}

static void me_eligibility(http_request *req, http_response *res) {
    long long id;
    call_session s;
    if (!linked(req, res) || !path_id(req, res, 0, "call", &id) || !call_begin(req, res, true, &s)) return;
    ANSWER(s, res, 200, fow_calls_eligibility(&s.c, id, req->who.person_id, w, NULL, aerr));
    call_end(&s);
}

static void me_apply(http_request *req, http_response *res) {
    long long id;
    if (!linked(req, res) || !path_id(req, res, 0, "call", &id)) return;
    static const char *const known[] = {"amount", "proposal"};
    json_t *body = http_object_body(req, res, known, 2);
    if (!body) return;
    const char *proposal;
    long long amount;
    call_session s;
    if (body_string(body, "proposal", true, &proposal, res) && body_count(body, "amount", &amount, res) &&
        call_begin(req, res, true, &s)) {
        fow_application_input in = {.kind = FOW_APPLICANT_PERSON,
                                    .person = req->who.person_id,
                                    .requested_minor = amount,
                                    .proposal = proposal};
        apply_and_answer(&s, res, id, &in, FOW_CALLS_VIEW_APPLICANT);
        call_end(&s);
    }
    json_decref(body);
}

static void me_applications(http_request *req, http_response *res) {
    call_session s;
    if (!linked(req, res) || !call_begin(req, res, true, &s)) return;
    ANSWER(s, res, 200, fow_calls_person_applications_write(&s.c, req->who.person_id, w, aerr));
    call_end(&s);
}

static void me_application(http_request *req, http_response *res) {
    long long id;
    call_session s;
    if (!linked(req, res) || !path_id(req, res, 0, "application", &id) || !call_begin(req, res, true, &s)) return;
    ANSWER(s, res, 200, fow_calls_application_write(&s.c, id, FOW_CALLS_VIEW_APPLICANT, w, aerr));
    call_end(&s);
}

/* ---- a juror ------------------------------------------------------------------ */

static void jury_applications(http_request *req, http_response *res) {
    long long id;
    call_session s;
    if (!path_id(req, res, 0, "call", &id) || !call_begin(req, res, false, &s)) return;
    ANSWER(s, res, 200, fow_calls_applications_write(&s.c, id, FOW_CALLS_VIEW_JUROR, w, aerr));
    call_end(&s);
}

static void jury_application(http_request *req, http_response *res) {
    long long id;
    call_session s;
    if (!path_id(req, res, 0, "application", &id) || !call_begin(req, res, false, &s)) return;
    ANSWER(s, res, 200, fow_calls_application_write(&s.c, id, FOW_CALLS_VIEW_JUROR, w, aerr));
    call_end(&s);
}

static void jury_conflict(http_request *req, http_response *res) {
    long long id;
    if (!path_id(req, res, 0, "application", &id)) return;
    static const char *const known[] = {"reason"};
    json_t *body = http_object_body(req, res, known, 1);
    if (!body) return;
    const char *reason;
    call_session s;
    if (body_string(body, "reason", true, &reason, res) && call_begin(req, res, false, &s)) {
        fow_error err;
        fow_error_clear(&err);
        if (fow_calls_conflict_declare(&s.c, id, reason, &err)) call_error(res, &err);
        else ANSWER(s, res, 201, fow_calls_application_write(&s.c, id, FOW_CALLS_VIEW_JUROR, w, aerr));
        call_end(&s);
    }
    json_decref(body);
}

static void jury_scores(http_request *req, http_response *res) {
    long long id;
    if (!path_id(req, res, 0, "application", &id)) return;
    static const char *const known[] = {"scores"};
    json_t *body = http_object_body(req, res, known, 1);
    if (!body) return;
    json_t *list = json_object_get(body, "scores");
    fow_score_input scores[FOW_CALL_CRITERIA_MAX];
    size_t n = 0, i;
    json_t *item;
    bool ok = json_is_array(list) && json_array_size(list) > 0 && json_array_size(list) <= FOW_CALL_CRITERIA_MAX;
    if (!ok)
        http_error(res, 400, "scores", "scores must list 1 to %d objects {criterion, score, comment}",
                   FOW_CALL_CRITERIA_MAX);
    json_array_foreach(list, i, item) {
        if (!ok) break;
        json_t *v = json_object_get(item, "score");
        const char *criterion = json_string_value(json_object_get(item, "criterion"));
        json_t *comment = json_object_get(item, "comment");
        if (!json_is_object(item) || !criterion || !json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > 1000 || (comment && !json_is_null(comment) && !json_is_string(comment))) {
            http_error(res, 400, "scores", "scores[%zu] must be {criterion (text), score (a whole number), comment}",
                       i);
            ok = false;
            break;
        }
        scores[n++] = (fow_score_input){.criterion = criterion,
                                        .score = (int)json_integer_value(v),
                                        .comment = json_string_value(comment)};
    }
    call_session s;
    if (ok && call_begin(req, res, false, &s)) {
        fow_error err;
        fow_error_clear(&err);
        if (fow_calls_score(&s.c, id, scores, n, &err)) call_error(res, &err);
        else ANSWER(s, res, 200, fow_calls_application_write(&s.c, id, FOW_CALLS_VIEW_JUROR, w, aerr));
        call_end(&s);
    }
    json_decref(body);
}


static const http_route routes[] = {
    {.method = "GET", .pattern = "/api/v1/calls", .handler = calls_list, .access = HTTP_PUBLIC, .uncached = true},
    {.method = "GET", .pattern = "/api/v1/calls/{call}", .handler = call_show, .access = HTTP_PUBLIC, .uncached = true},
    {.method = "POST", .pattern = "/api/v1/calls", .handler = call_create, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_CALLS, .max_body = HTTP_JSON_BODY_MAX,
     .json_body = true},
    {.method = "POST", .pattern = "/api/v1/calls/{call}/rules", .handler = call_rules, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_CALLS, .max_body = 16384, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/calls/{call}/jurors", .handler = call_jurors, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_CALLS},
    {.method = "POST", .pattern = "/api/v1/calls/{call}/jurors", .handler = call_juror_add, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_CALLS, .max_body = 16384, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/calls/{call}/applications", .handler = call_applications, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_CALLS},
    {.method = "GET", .pattern = "/api/v1/calls/{call}/ranking", .handler = call_ranking, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_CALLS},
    {.method = "GET", .pattern = "/api/v1/applications/{application}", .handler = application_show, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_CALLS},
    {.method = "POST", .pattern = "/api/v1/applications/{application}/decision", .handler = application_decide,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_CALLS, .max_body = 16384, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/calls/{call}/applications", .handler = call_apply, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .max_body = 16384, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/calls/{call}/eligibility/{id}", .handler = person_eligibility, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE,
     .personal_path = true},
    {.method = "GET", .pattern = "/api/v1/people/{id}/applications", .handler = person_applications, .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE,
     .personal_path = true},
    {.method = "GET", .pattern = "/api/v1/me/calls/{call}/eligibility", .handler = me_eligibility, .access = HTTP_PERMISSION, .permission = FOW_PERM_READ_OWN_RECORD},
    {.method = "POST", .pattern = "/api/v1/me/calls/{call}/applications", .handler = me_apply, .access = HTTP_PERMISSION, .permission = FOW_PERM_READ_OWN_RECORD, .max_body = 16384, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/me/applications", .handler = me_applications, .access = HTTP_PERMISSION, .permission = FOW_PERM_READ_OWN_RECORD},
    {.method = "GET", .pattern = "/api/v1/me/applications/{application}", .handler = me_application, .access = HTTP_PERMISSION, .permission = FOW_PERM_READ_OWN_RECORD},
    {.method = "GET", .pattern = "/api/v1/jury/calls/{call}/applications", .handler = jury_applications, .access = HTTP_PERMISSION, .permission = FOW_PERM_SCORE_APPLICATIONS},
    {.method = "GET", .pattern = "/api/v1/jury/applications/{application}", .handler = jury_application, .access = HTTP_PERMISSION, .permission = FOW_PERM_SCORE_APPLICATIONS},
    {.method = "POST", .pattern = "/api/v1/jury/applications/{application}/conflict", .handler = jury_conflict, .access = HTTP_PERMISSION, .permission = FOW_PERM_SCORE_APPLICATIONS,
     .max_body = 16384, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/jury/applications/{application}/scores", .handler = jury_scores, .access = HTTP_PERMISSION, .permission = FOW_PERM_SCORE_APPLICATIONS,
     .max_body = 16384, .json_body = true},
};
HTTP_ROUTE_TABLE(api_calls_routes, routes);
