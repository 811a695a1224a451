/* api_cohorts.c — /api/v1/cohorts: cohorts of the catalogue's modules
 * (public: dates, sessions, seats), and for staff the enrolments, waiting
 * list, attendance and completions (src/training/fow_cohort.h,
 * docs/training.md). The JSON is fow_cohort's, the same as `fow cohort ...
 * --json`.
 *
 * Access: enrolling and cancelling need FOW_PERM_MANAGE_PEOPLE at the
 * door, adding cohorts, their status, the list of enrolments, attendance
 * and completions FOW_PERM_RUN_COHORTS; then fow_cohort_authorise decides
 * per action and cohort (the one place of these rules: a provider, the
 * cohorts of its own modules) and src/people limits a counsellor to the
 * people of their organisation. Person ids stay out of access logs (personal_path).
 * Enrolments change without a data version: no answer here is cached. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/fow_accounts.h"
#include "credentials/fow_credentials.h"
#include "http/http.h"
#include "people/fow_people.h"
#include "training/fow_cohort.h"
#include "training/fow_training.h"

static fow_cohort_actor actor_of(const http_request *req) {
    fow_cohort_actor a = {.staff = {.name = req->who.name,
                                    .organisation = req->who.organisation,
                                    .all_organisations = fow_access_all_organisations((fow_role)req->who.role)},
                          .role = req->who.role,
                          .provider_id = req->who.provider_id};
    return a;
}

/* Maps a library error: the role 403, consent missing or withdrawn and a
 * cohort that takes no enrolment 409, the people key 500, else as
 * http_error_from. */
static void cohort_error(http_response *res, const fow_error *err) {
    res->cacheable = false;
    if (strcmp(err->field, "role") == 0) http_error(res, 403, err->field, "%s", err->message);
    else if (strcmp(err->field, "consent") == 0) http_error(res, 409, err->field, "%s", err->message);
    else if (err->code == FOW_EINPUT && strcmp(err->field, "cohort") == 0) http_error(res, 409, err->field, "%s", err->message);
    else if (strcmp(err->field, "key") == 0) http_error(res, 500, NULL, "the people key could not be used: %s", err->message);
    else http_error_from(res, err);
}

/* The {id} of the route as a cohort number; false after a 400. */
static bool cohort_id(const http_request *req, http_response *res, int64_t *id) {
    const char *text = req->params[0];
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (!*text || *end || errno || v < 1) {
        http_error(res, 400, "cohort", "the cohort must be a number (GET /api/v1/cohorts lists them), not '%.40s'", text);
        return false;
    }
    *id = v;
    return true;
}

typedef struct cohort_session {
    fow_db *db;
    fow_people *people; /* NULL unless asked */
    fow_training_catalogue catalogue;
    bool has_catalogue;
} cohort_session;

/* Opens the request's connection (for writing when asked or people are needed),
 * the people records and the catalogue when asked; false after a 500. */
static bool session_begin(const http_request *req, http_response *res, cohort_session *s, bool write, bool people,
                          bool catalogue) {
    memset(s, 0, sizeof *s);
    fow_error err;
    fow_error_clear(&err);
    char key_path[4096];
    fow_code rc = fow_db_open(&s->db, req->services->db_path, !write && !people, &err);
    if (!rc && people) {
        rc = fow_people_key_path(req->services->db_path, key_path, sizeof key_path, &err);
        if (!rc) rc = fow_people_open(s->db, key_path, &s->people, &err);
    }
    if (!rc && catalogue) {
        rc = fow_training_load(s->db, &s->catalogue, &err);
        s->has_catalogue = true;
    }
    if (rc) {
        if (s->has_catalogue) fow_training_free(&s->catalogue);
        fow_people_close(s->people);
        fow_db_close(s->db);
        memset(s, 0, sizeof *s);
        http_error(res, 500, NULL, "cohorts are not available: %s", err.message);
        return false;
    }
    return true;
}

static void session_end(cohort_session *s) {
    if (s->has_catalogue) fow_training_free(&s->catalogue);
    fow_people_close(s->people);
    fow_db_close(s->db);
}

static void send(http_response *res, int status, fow_jw *w) {
    res->cacheable = false;
    http_json_written(res, status, w);
}

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

/* ---- cohorts (public) -------------------------------------------------------------- */

static void cohorts_list(http_request *req, http_response *res) {
    const char *module = http_query(req, "module");
    cohort_session s;
    if (!session_begin(req, res, &s, false, false, true)) return;
    fow_error err;
    fow_error_clear(&err);
    fow_cohort *list = NULL;
    size_t n = 0;
    if (fow_cohorts_list(s.db, module, &list, &n, &err)) cohort_error(res, &err);
    else {
        fow_jw *w = http_writer();
        if (w) fow_cohort_result_list(w, list, n, module, &s.catalogue);
        send(res, 200, w);
    }
    free(list);
    session_end(&s);
}

static void cohort_show(http_request *req, http_response *res) {
    int64_t id;
    if (!cohort_id(req, res, &id)) return;
    cohort_session s;
    if (!session_begin(req, res, &s, false, false, true)) return;
    fow_error err;
    fow_error_clear(&err);
    fow_cohort *c = malloc(sizeof *c);
    if (!c) http_error(res, 500, NULL, "out of memory");
    else if (fow_cohort_get(s.db, id, c, &err)) cohort_error(res, &err);
    else {
        fow_jw *w = http_writer();
        if (w) fow_cohort_write(w, c, &s.catalogue);
        send(res, 200, w);
    }
    free(c);
    session_end(&s);
}

/* ---- managing cohorts ------------------------------------------------------------------ */

static void cohort_add(http_request *req, http_response *res) {
    static const char *const known[] = {"module", "starts_on", "ends_on", "place", "language", "capacity", "status",
                                        "sessions"};
    json_t *body = http_object_body(req, res, known, sizeof known / sizeof *known);
    if (!body) return;
    fow_cohort_input in = {0};
    fow_cohort_session *sessions = NULL;
    json_t *capacity = json_object_get(body, "capacity"), *list = json_object_get(body, "sessions");
    if (!body_string(body, "module", &in.module, res) || !body_string(body, "starts_on", &in.starts_on, res) ||
        !body_string(body, "ends_on", &in.ends_on, res) || !body_string(body, "place", &in.place, res) ||
        !body_string(body, "language", &in.language, res) || !body_string(body, "status", &in.status, res))
        goto done;
    if (!json_is_integer(capacity)) {
        http_error(res, 400, "capacity", "capacity must be a whole number of seats");
        goto done;
    }
    in.capacity = (long)(json_integer_value(capacity) > 100000 ? 100000 : json_integer_value(capacity) < 0 ? 0 : json_integer_value(capacity));
    if (list && !json_is_null(list)) {
        if (!json_is_array(list) || json_array_size(list) > FOW_COHORT_SESSIONS_MAX) {
            http_error(res, 400, "sessions", "sessions must be a list of at most %d sessions", FOW_COHORT_SESSIONS_MAX);
            goto done;
        }
        sessions = calloc(json_array_size(list) + 1, sizeof *sessions);
        if (!sessions) {
            http_error(res, 500, NULL, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < json_array_size(list); i++) {
            json_t *item = json_array_get(list, i);
            const char *date = json_string_value(json_object_get(item, "date"));
            const char *starts = json_string_value(json_object_get(item, "starts_at"));
            const char *ends = json_string_value(json_object_get(item, "ends_at"));
            json_t *place = json_object_get(item, "place");
            if (!json_is_object(item) || !date || !starts || !ends || (place && !json_is_null(place) && !json_is_string(place)) ||
                strlen(date) > 10 || strlen(starts) > 5 || strlen(ends) > 5 ||
                (json_is_string(place) && strlen(json_string_value(place)) > FOW_COHORT_PLACE_MAX)) {
                http_error(res, 400, "sessions",
                           "session %zu must be {\"date\": \"YYYY-MM-DD\", \"starts_at\": \"HH:MM\", \"ends_at\": "
                           "\"HH:MM\", \"place\": optional}",
                           i + 1);
                goto done;
            }
            snprintf(sessions[i].date, sizeof sessions[i].date, "%s", date);
            snprintf(sessions[i].starts_at, sizeof sessions[i].starts_at, "%s", starts);
            snprintf(sessions[i].ends_at, sizeof sessions[i].ends_at, "%s", ends);
            snprintf(sessions[i].place, sizeof sessions[i].place, "%s", json_is_string(place) ? json_string_value(place) : "");
        }
        in.sessions = sessions;
        in.n_sessions = json_array_size(list);
    }
    cohort_session s;
    if (!session_begin(req, res, &s, true, false, true)) goto done;
    fow_cohort_actor who = actor_of(req);
    fow_error err;
    fow_error_clear(&err);
    int64_t id;
    fow_cohort *c = malloc(sizeof *c);
    if (!c) http_error(res, 500, NULL, "out of memory");
    else if (fow_cohort_add(s.db, &who, &s.catalogue, &in, (long long)time(NULL), &id, &err) ||
             fow_cohort_get(s.db, id, c, &err))
        cohort_error(res, &err);
    else {
        char where[64];
        snprintf(where, sizeof where, "/api/v1/cohorts/%lld", (long long)id);
        http_header(res, "Location", where);
        fow_jw *w = http_writer();
        if (w) fow_cohort_write(w, c, &s.catalogue);
        send(res, 201, w);
    }
    free(c);
    session_end(&s);
done:
    free(sessions);
    json_decref(body);
}

static void cohort_status(http_request *req, http_response *res) {
    int64_t id;
    if (!cohort_id(req, res, &id)) return;
    static const char *const known[] = {"status"};
    json_t *body = http_object_body(req, res, known, 1);
    if (!body) return;
    const char *text;
    fow_cohort_status status;
    if (!body_string(body, "status", &text, res)) {
        json_decref(body);
        return;
    }
    if (fow_cohort_status_parse(text, &status) != 0) {
        http_error(res, 400, "status", "status must be planned, open, closed, finished or cancelled");
        json_decref(body);
        return;
    }
    json_decref(body);
    cohort_session s;
    if (!session_begin(req, res, &s, true, false, true)) return;
    fow_cohort_actor who = actor_of(req);
    fow_error err;
    fow_error_clear(&err);
    fow_cohort *c = malloc(sizeof *c);
    if (!c) http_error(res, 500, NULL, "out of memory");
    else if (fow_cohort_set_status(s.db, &who, id, status, &err) || fow_cohort_get(s.db, id, c, &err))
        cohort_error(res, &err);
    else {
        fow_jw *w = http_writer();
        if (w) fow_cohort_write(w, c, &s.catalogue);
        send(res, 200, w);
    }
    free(c);
    session_end(&s);
}

/* ---- enrolments ------------------------------------------------------------------------ */

static void enrolments_list(http_request *req, http_response *res) {
    int64_t id;
    if (!cohort_id(req, res, &id)) return;
    cohort_session s;
    if (!session_begin(req, res, &s, false, false, true)) return;
    fow_cohort_actor who = actor_of(req);
    fow_error err;
    fow_error_clear(&err);
    fow_enrolment *list = NULL;
    size_t n = 0;
    fow_cohort *c = malloc(sizeof *c);
    if (!c) http_error(res, 500, NULL, "out of memory");
    else if (fow_cohort_get(s.db, id, c, &err) || fow_cohort_enrolments(s.db, &who, id, &list, &n, &err))
        cohort_error(res, &err);
    else {
        fow_jw *w = http_writer();
        if (w) fow_cohort_result_show(w, c, list, n, fow_cohort_sees_all(&who), &s.catalogue);
        send(res, 200, w);
    }
    free(list);
    free(c);
    session_end(&s);
}

/* The "person" of body; false after a 400. */
static bool body_person(json_t *body, const char **person, http_response *res) {
    if (!body_string(body, "person", person, res)) return false;
    if (!*person) {
        http_error(res, 400, "person", "person (a person's id) is required");
        return false;
    }
    return true;
}

static void enrol(http_request *req, http_response *res) {
    int64_t id;
    if (!cohort_id(req, res, &id)) return;
    static const char *const known[] = {"person"};
    json_t *body = http_object_body(req, res, known, 1);
    if (!body) return;
    const char *person;
    cohort_session s;
    if (!body_person(body, &person, res) || !session_begin(req, res, &s, true, true, false)) {
        json_decref(body);
        return;
    }
    fow_cohort_actor who = actor_of(req);
    fow_error err;
    fow_error_clear(&err);
    fow_enrolment e;
    bool created = false;
    if (fow_cohort_enrol(s.db, s.people, &who, id, person, (long long)time(NULL), &e, &created, &err)) {
        cohort_error(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_cohort_result_enrol(w, &e, created);
        send(res, created ? 201 : 200, w);
    }
    json_decref(body);
    session_end(&s);
}

static void cancel(http_request *req, http_response *res) {
    int64_t id;
    if (!cohort_id(req, res, &id)) return;
    cohort_session s;
    if (!session_begin(req, res, &s, true, true, false)) return;
    fow_cohort_actor who = actor_of(req);
    fow_error err;
    fow_error_clear(&err);
    char promoted[FOW_PERSON_ID_CHARS + 1];
    if (fow_cohort_cancel(s.db, s.people, &who, id, req->params[1], (long long)time(NULL), promoted, &err)) {
        cohort_error(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_cohort_result_cancel(w, req->params[1], promoted);
        send(res, 200, w);
    }
    session_end(&s);
}

/* GET /api/v1/people/{id}/enrolments: every enrolment of a person, each
 * with its cohort (those who enrol people; a counsellor, the people of
 * their organisation). */
static void person_enrolments(http_request *req, http_response *res) {
    cohort_session s;
    if (!session_begin(req, res, &s, false, true, true)) return;
    fow_cohort_actor who = actor_of(req);
    fow_error err;
    fow_error_clear(&err);
    fow_person_enrolment *list = NULL;
    size_t n = 0;
    if (fow_cohort_enrolments_of_person(s.db, s.people, &who, req->params[0], &list, &n, &err)) {
        cohort_error(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_cohort_result_person(w, req->params[0], list, n, &s.catalogue);
        send(res, 200, w);
    }
    free(list);
    session_end(&s);
}

static void attend(http_request *req, http_response *res) {
    int64_t id;
    if (!cohort_id(req, res, &id)) return;
    static const char *const known[] = {"person", "session", "present"};
    json_t *body = http_object_body(req, res, known, 3);
    if (!body) return;
    const char *person;
    json_t *session = json_object_get(body, "session"), *present = json_object_get(body, "present");
    cohort_session s;
    if (!body_person(body, &person, res)) {
        json_decref(body);
        return;
    }
    if (!json_is_integer(session) || json_integer_value(session) < 1 || json_integer_value(session) > 1000) {
        http_error(res, 400, "session", "session must be a session's number (1, 2, ...)");
        json_decref(body);
        return;
    }
    if (present && !json_is_boolean(present)) {
        http_error(res, 400, "present", "present must be true or false");
        json_decref(body);
        return;
    }
    if (!session_begin(req, res, &s, true, true, false)) {
        json_decref(body);
        return;
    }
    fow_cohort_actor who = actor_of(req);
    fow_error err;
    fow_error_clear(&err);
    fow_enrolment e;
    if (fow_cohort_attend(s.db, s.people, &who, id, person, (int)json_integer_value(session),
                          !present || json_is_true(present), (long long)time(NULL), &err) ||
        fow_cohort_enrolment(s.db, s.people, &who, id, person, &e, &err)) {
        cohort_error(res, &err);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_cohort_result_attendance(w, &e);
        send(res, 200, w);
    }
    json_decref(body);
    session_end(&s);
}

static void complete(http_request *req, http_response *res) {
    int64_t id;
    if (!cohort_id(req, res, &id)) return;
    static const char *const known[] = {"person", "result", "score", "completed_on"};
    json_t *body = http_object_body(req, res, known, 4);
    if (!body) return;
    const char *person, *result, *completed_on;
    json_t *score = json_object_get(body, "score");
    cohort_session s;
    if (!body_person(body, &person, res) || !body_string(body, "result", &result, res) ||
        !body_string(body, "completed_on", &completed_on, res)) {
        json_decref(body);
        return;
    }
    if (!result || (strcmp(result, "passed") != 0 && strcmp(result, "failed") != 0)) {
        http_error(res, 400, "result", "result must be passed or failed");
        json_decref(body);
        return;
    }
    if (score && !json_is_null(score) && !json_is_number(score)) {
        http_error(res, 400, "score", "score must be a number from 0 to 100, or null");
        json_decref(body);
        return;
    }
    if (!session_begin(req, res, &s, true, true, true)) {
        json_decref(body);
        return;
    }
    fow_cohort_actor who = actor_of(req);
    fow_error err;
    fow_error_clear(&err);
    fow_completion done;
    fow_completion_skills skills;
    bool has_score = score && json_is_number(score);
    if (fow_cohort_complete(s.db, s.people, &who, req->engine ? req->engine->model : NULL, &s.catalogue, id, person,
                            strcmp(result, "passed") == 0, has_score, has_score ? json_number_value(score) : 0,
                            completed_on, (long long)time(NULL), &done, &skills, &err)) {
        cohort_error(res, &err);
    } else {
        /* a passed completion earns a credential (docs/credentials.md); when it cannot be
         * issued the completion stays recorded and the answer says why */
        fow_completion_credential credential = {0};
        fow_error cred_err;
        fow_error_clear(&cred_err);
        if (done.passed)
            fow_credential_issue_completion(req->services->db_path, &done, req->who.name, (long long)time(NULL),
                                            &credential, &cred_err);
        fow_jw *w = http_writer();
        if (w) fow_cohort_result_completion(w, &done, &skills, done.passed ? &credential : NULL);
        send(res, 200, w);
    }
    json_decref(body);
    session_end(&s);
}

static const http_route routes[] = {
    {.method = "GET", .pattern = "/api/v1/cohorts", .handler = cohorts_list, .access = HTTP_PUBLIC, .uncached = true},
    {.method = "POST", .pattern = "/api/v1/cohorts", .handler = cohort_add, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_RUN_COHORTS, .max_body = 32768, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/cohorts/{id}", .handler = cohort_show, .access = HTTP_PUBLIC, .uncached = true},
    {.method = "POST", .pattern = "/api/v1/cohorts/{id}/status", .handler = cohort_status, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_RUN_COHORTS, .max_body = 1024, .json_body = true},
    {.method = "GET", .pattern = "/api/v1/cohorts/{id}/enrolments", .handler = enrolments_list,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_RUN_COHORTS, .personal_path = true},
    {.method = "POST", .pattern = "/api/v1/cohorts/{id}/enrolments", .handler = enrol, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true, .max_body = 1024, .json_body = true},
    {.method = "DELETE", .pattern = "/api/v1/cohorts/{id}/enrolments/{person}", .handler = cancel,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true},
    {.method = "GET", .pattern = "/api/v1/people/{id}/enrolments", .handler = person_enrolments,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_PEOPLE, .personal_path = true},
    {.method = "POST", .pattern = "/api/v1/cohorts/{id}/attendance", .handler = attend, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_RUN_COHORTS, .personal_path = true, .max_body = 1024, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/cohorts/{id}/completions", .handler = complete, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_RUN_COHORTS, .personal_path = true, .max_body = 1024, .json_body = true},
};
HTTP_ROUTE_TABLE(api_cohorts_routes, routes);
