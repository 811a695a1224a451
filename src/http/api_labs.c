/* api_labs.c — the CREIC labs over HTTP (issue 15; docs/labs.md): the
 * public catalogue (labs, their spaces and machines, hours, closures,
 * holidays, what a machine requires, its prices), a person's own access
 * (GET /me/lab-access), in-lab inductions recorded by the labs' staff
 * (FOW_PERM_STAFF_LABS) and the manager's writes (FOW_PERM_MANAGE_LABS).
 * Handlers only parse and format: the work is src/labs' (fow_labs.h), the
 * documents labs_json.c's (the same as `fow lab ... --json`).
 *
 * Public answers name no person. Times in and out are local times of
 * Europe/Bucharest ("YYYY-MM-DDTHH:MM" in, with the offset out). The
 * catalogue changes without a data version: nothing here is cached. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/fow_accounts.h"
#include "http/http.h"
#include "labs/fow_labs.h"
#include "people/fow_people.h"

static void send(http_response *res, int status, fow_jw *w)
{
    res->cacheable = false;
    http_json_written(res, status, w);
}

static void fail(http_response *res, const fow_error *err)
{
    res->cacheable = false;
    if (err->code == FOW_EINPUT && strcmp(err->field, "consent") == 0)
        http_error(res, 409, err->field, "%s", err->message);
    else if (err->code == FOW_EINPUT && strcmp(err->field, "code") == 0 && strstr(err->message, "exists already"))
        http_error(res, 409, err->field, "%s", err->message);
    else
        http_error_from(res, err);
}

static bool open_db(const http_request *req, http_response *res, bool write, fow_db **db)
{
    fow_error err;
    fow_error_clear(&err);
    if (fow_db_open(db, req->services->db_path, !write, &err)) {
        http_error(res, 500, NULL, "the labs are not available: %s", err.message);
        return false;
    }
    return true;
}

/* Writes a document of a function (fow_lab_resource_result and the like)
 * with status 200, or the error. */
static void answer(http_response *res, fow_db *db, fow_code (*fn)(fow_jw *, fow_db *, const char *, fow_error *),
                   const char *code, int status)
{
    fow_jw *w = http_writer();
    fow_error err;
    fow_error_clear(&err);
    if (!w) {
        http_error(res, 500, NULL, "out of memory");
        return;
    }
    if (fn(w, db, code, &err))
        fail(res, &err);
    else
        send(res, status, w);
}

static void answer_lab(http_response *res, fow_db *db, const char *code, int status)
{
    fow_jw *w = http_writer();
    fow_error err;
    fow_error_clear(&err);
    if (!w) {
        http_error(res, 500, NULL, "out of memory");
        return;
    }
    if (fow_lab_result_show(w, db, code, (long long)time(NULL), &err))
        fail(res, &err);
    else
        send(res, status, w);
}

/* ---- body fields ------------------------------------------------------------ */

/* A string field: *out NULL when absent or null; false after a 400 when it
 * is not a string. */
static bool body_string(json_t *body, const char *name, const char **out, http_response *res)
{
    json_t *v = json_object_get(body, name);
    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_string(v)) {
        http_error(res, 400, name, "%s must be a string", name);
        return false;
    }
    *out = json_string_value(v);
    return true;
}

/* A whole number field: *out -1 when absent or null; false after a 400
 * when it is not a whole number from 0 to max. */
static bool body_int(json_t *body, const char *name, long long max, int *out, http_response *res)
{
    json_t *v = json_object_get(body, name);
    *out = -1;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max) {
        http_error(res, 400, name, "%s must be a whole number from 0 to %lld", name, max);
        return false;
    }
    *out = (int)json_integer_value(v);
    return true;
}

/* ---- public ------------------------------------------------------------------ */

static void labs_list(http_request *req, http_response *res)
{
    fow_db *db = NULL;
    if (!open_db(req, res, false, &db))
        return;
    fow_jw *w = http_writer();
    fow_error err;
    fow_error_clear(&err);
    if (!w)
        http_error(res, 500, NULL, "out of memory");
    else if (fow_lab_result_list(w, db, &err))
        fail(res, &err);
    else
        send(res, 200, w);
    fow_db_close(db);
}

static void lab_show(http_request *req, http_response *res)
{
    fow_db *db = NULL;
    if (!open_db(req, res, false, &db))
        return;
    answer_lab(res, db, req->params[0], 200);
    fow_db_close(db);
}

static void resource_show(http_request *req, http_response *res)
{
    fow_db *db = NULL;
    if (!open_db(req, res, false, &db))
        return;
    answer(res, db, fow_lab_resource_result, req->params[0], 200);
    fow_db_close(db);
}

/* ---- a person's own access ------------------------------------------------------ */

static void me_access(http_request *req, http_response *res)
{
    if (!req->who.person_id[0]) {
        http_error(res, 404, "person", "this account is linked to no people record");
        return;
    }
    fow_db *db = NULL;
    if (!open_db(req, res, false, &db))
        return;
    fow_lab_access_result *list = NULL;
    size_t n = 0;
    fow_error err;
    fow_error_clear(&err);
    fow_jw *w = http_writer();
    if (!w)
        http_error(res, 500, NULL, "out of memory");
    else if (fow_lab_access_all(db, req->who.person_id, (long long)time(NULL), &list, &n, &err))
        fail(res, &err);
    else {
        fow_lab_access_result_all(w, req->who.person_id, list, n);
        send(res, 200, w);
    }
    free(list);
    fow_db_close(db);
}

/* ---- staff: inductions --------------------------------------------------------------- */

static void induction_add(http_request *req, http_response *res)
{
    static const char *const known[] = {"person", "resource", "module"};
    json_t *body = http_object_body(req, res, known, sizeof known / sizeof *known);
    if (!body)
        return;
    const char *person = NULL, *resource = NULL, *module = NULL;
    if (!body_string(body, "person", &person, res) || !body_string(body, "resource", &resource, res) ||
        !body_string(body, "module", &module, res)) {
        json_decref(body);
        return;
    }
    if (!person || !resource) {
        http_error(res, 400, person ? "resource" : "person", "%s is required", person ? "resource" : "person");
        json_decref(body);
        return;
    }
    fow_db *db = NULL;
    fow_people *people = NULL;
    fow_error err;
    fow_error_clear(&err);
    char key_path[4096];
    if (!open_db(req, res, true, &db)) {
        json_decref(body);
        return;
    }
    if (fow_people_key_path(req->services->db_path, key_path, sizeof key_path, &err) ||
        fow_people_open(db, key_path, &people, &err)) {
        http_error(res, 500, NULL, "the people records are not available: %s", err.message);
    } else {
        fow_lab_induction ind;
        if (fow_lab_induction_record(db, req->services->db_path, people, req->engine ? req->engine->model : NULL,
                                     req->who.name, resource, module, person, (long long)time(NULL), &ind, &err)) {
            fail(res, &err);
        } else {
            fow_jw *w = http_writer();
            if (w)
                fow_lab_induction_write(w, &ind);
            send(res, 201, w);
        }
    }
    fow_people_close(people);
    fow_db_close(db);
    json_decref(body);
}

/* ---- manager: labs ------------------------------------------------------------------ */

static bool lab_input(json_t *body, fow_lab_input *in, http_response *res)
{
    memset(in, 0, sizeof *in);
    in->provider_id = -1;
    json_t *provider = json_object_get(body, "provider_id");
    if (provider && !json_is_null(provider)) {
        if (!json_is_integer(provider) || json_integer_value(provider) < 0) {
            http_error(res, 400, "provider_id", "provider_id must be a training provider's id, or 0 for none");
            return false;
        }
        in->provider_id = json_integer_value(provider);
    }
    return body_string(body, "code", &in->code, res) && body_string(body, "name_en", &in->name_en, res) &&
           body_string(body, "name_ro", &in->name_ro, res) &&
           body_string(body, "description_en", &in->description_en, res) &&
           body_string(body, "description_ro", &in->description_ro, res) &&
           body_string(body, "address", &in->address, res) &&
           body_int(body, "cancel_deadline_hours", 720, &in->cancel_deadline_hours, res) &&
           body_int(body, "late_cancel_fee_percent", 100, &in->late_cancel_fee_percent, res) &&
           body_int(body, "offer_hours", 168, &in->offer_hours, res);
}

static const char *const LAB_FIELDS[] = {"code",        "name_en", "name_ro", "description_en", "description_ro",
                                         "address",     "provider_id", "cancel_deadline_hours",
                                         "late_cancel_fee_percent", "offer_hours"};

static void lab_add(http_request *req, http_response *res)
{
    json_t *body = http_object_body(req, res, LAB_FIELDS, sizeof LAB_FIELDS / sizeof *LAB_FIELDS);
    if (!body)
        return;
    fow_lab_input in;
    fow_db *db = NULL;
    if (lab_input(body, &in, res) && open_db(req, res, true, &db)) {
        fow_error err;
        fow_error_clear(&err);
        if (fow_lab_add(db, &in, (long long)time(NULL), NULL, &err))
            fail(res, &err);
        else
            answer_lab(res, db, in.code, 201);
        fow_db_close(db);
    }
    json_decref(body);
}

static void lab_change(http_request *req, http_response *res)
{
    json_t *body = http_object_body(req, res, LAB_FIELDS + 1, sizeof LAB_FIELDS / sizeof *LAB_FIELDS - 1);
    if (!body)
        return;
    fow_lab_input in;
    fow_db *db = NULL;
    if (lab_input(body, &in, res) && open_db(req, res, true, &db)) {
        fow_error err;
        fow_error_clear(&err);
        if (fow_lab_update(db, req->params[0], &in, (long long)time(NULL), &err))
            fail(res, &err);
        else
            answer_lab(res, db, req->params[0], 200);
        fow_db_close(db);
    }
    json_decref(body);
}

/* ---- manager: resources ---------------------------------------------------------------- */

static const char *const RESOURCE_FIELDS[] = {"code",      "kind",         "name_en",   "name_ro",   "description_en",
                                              "description_ro", "safety_en", "safety_ro", "photo",     "capacity",
                                              "slot_minutes",   "max_slots", "active"};

static bool resource_input(json_t *body, fow_lab_resource_input *in, http_response *res)
{
    memset(in, 0, sizeof *in);
    json_t *active = json_object_get(body, "active");
    in->active = -1;
    if (active && !json_is_null(active)) {
        if (!json_is_boolean(active)) {
            http_error(res, 400, "active", "active must be true or false");
            return false;
        }
        in->active = json_is_true(active) ? 1 : 0;
    }
    return body_string(body, "code", &in->code, res) && body_string(body, "kind", &in->kind, res) &&
           body_string(body, "name_en", &in->name_en, res) && body_string(body, "name_ro", &in->name_ro, res) &&
           body_string(body, "description_en", &in->description_en, res) &&
           body_string(body, "description_ro", &in->description_ro, res) &&
           body_string(body, "safety_en", &in->safety_en, res) && body_string(body, "safety_ro", &in->safety_ro, res) &&
           body_string(body, "photo", &in->photo, res) && body_int(body, "capacity", 100000, &in->capacity, res) &&
           body_int(body, "slot_minutes", 100000, &in->slot_minutes, res) &&
           body_int(body, "max_slots", 100000, &in->max_slots, res);
}

static void resource_add(http_request *req, http_response *res)
{
    json_t *body = http_object_body(req, res, RESOURCE_FIELDS, sizeof RESOURCE_FIELDS / sizeof *RESOURCE_FIELDS);
    if (!body)
        return;
    fow_lab_resource_input in;
    fow_db *db = NULL;
    if (resource_input(body, &in, res) && open_db(req, res, true, &db)) {
        fow_error err;
        fow_error_clear(&err);
        if (fow_lab_resource_add(db, req->params[0], &in, (long long)time(NULL), NULL, &err))
            fail(res, &err);
        else
            answer(res, db, fow_lab_resource_result, in.code, 201);
        fow_db_close(db);
    }
    json_decref(body);
}

static void resource_change(http_request *req, http_response *res)
{
    json_t *body =
        http_object_body(req, res, RESOURCE_FIELDS + 1, sizeof RESOURCE_FIELDS / sizeof *RESOURCE_FIELDS - 1);
    if (!body)
        return;
    fow_lab_resource_input in;
    fow_db *db = NULL;
    if (resource_input(body, &in, res) && open_db(req, res, true, &db)) {
        fow_error err;
        fow_error_clear(&err);
        if (fow_lab_resource_update(db, req->params[0], &in, (long long)time(NULL), &err))
            fail(res, &err);
        else
            answer(res, db, fow_lab_resource_result, req->params[0], 200);
        fow_db_close(db);
    }
    json_decref(body);
}

/* ---- manager: hours, closures, holidays ---------------------------------------------------- */

/* The list of body field name, or NULL after a 400. */
static json_t *body_list(json_t *body, const char *name, size_t max, http_response *res)
{
    json_t *list = json_object_get(body, name);
    if (!json_is_array(list) || json_array_size(list) > max) {
        http_error(res, 400, name, "%s must be a list of at most %zu entries", name, max);
        return NULL;
    }
    return list;
}

static void hours_set(http_request *req, http_response *res)
{
    static const char *const known[] = {"hours"};
    json_t *body = http_object_body(req, res, known, 1);
    if (!body)
        return;
    json_t *list = body_list(body, "hours", FOW_LAB_HOURS_MAX, res);
    fow_lab_hours hours[FOW_LAB_HOURS_MAX];
    size_t n = list ? json_array_size(list) : 0;
    fow_error err;
    fow_error_clear(&err);
    bool ok = list != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        json_t *h = json_array_get(list, i);
        char field[32], interval[32], weekday[8] = "";
        snprintf(field, sizeof field, "hours[%zu]", i);
        json_t *wd = json_object_get(h, "weekday");
        if (json_is_integer(wd) && json_integer_value(wd) >= 0 && json_integer_value(wd) <= 9)
            snprintf(weekday, sizeof weekday, "%d", (int)json_integer_value(wd));
        const char *opens = json_string_value(json_object_get(h, "opens"));
        const char *closes = json_string_value(json_object_get(h, "closes"));
        snprintf(interval, sizeof interval, "%.5s-%.5s", opens ? opens : "", closes ? closes : "");
        if (fow_lab_hours_parse(weekday, interval, field, &hours[i], &err)) {
            fail(res, &err);
            ok = false;
        }
    }
    fow_db *db = NULL;
    if (ok && open_db(req, res, true, &db)) {
        if (fow_lab_hours_set(db, req->params[0], hours, n, &err))
            fail(res, &err);
        else
            answer_lab(res, db, req->params[0], 200);
        fow_db_close(db);
    }
    json_decref(body);
}

static bool local_field(json_t *body, const char *name, int64_t *utc, http_response *res)
{
    const char *text = NULL;
    if (!body_string(body, name, &text, res))
        return false;
    fow_error err;
    fow_error_clear(&err);
    fow_lab_local local;
    if (fow_lab_parse_datetime(text, name, &local, &err) || fow_lab_local_to_utc(&local, name, utc, &err)) {
        http_error_from(res, &err);
        return false;
    }
    return true;
}

static void closure_add(http_request *req, http_response *res)
{
    static const char *const known[] = {"kind", "resource", "start", "end", "reason"};
    json_t *body = http_object_body(req, res, known, sizeof known / sizeof *known);
    if (!body)
        return;
    const char *kind = NULL, *resource = NULL, *reason = NULL;
    int64_t start = 0, end = 0;
    fow_db *db = NULL;
    if (body_string(body, "kind", &kind, res) && body_string(body, "resource", &resource, res) &&
        body_string(body, "reason", &reason, res) && local_field(body, "start", &start, res) &&
        local_field(body, "end", &end, res) && open_db(req, res, true, &db)) {
        fow_error err;
        fow_error_clear(&err);
        int64_t id = 0;
        if (fow_lab_closure_add(db, req->params[0], kind, resource, start, end, reason, req->who.name,
                                (long long)time(NULL), &id, &err)) {
            fail(res, &err);
        } else {
            char a[FOW_LAB_ISO_SIZE], b[FOW_LAB_ISO_SIZE];
            res->cacheable = false;
            http_json(res, 201,
                      json_pack("{s:{s:I, s:s, s:s, s:s?, s:s, s:s, s:s}}", "closure", "id", (json_int_t)id, "lab",
                                req->params[0], "kind", kind, "resource", resource && *resource ? resource : NULL,
                                "start", fow_lab_format_utc(start, a, sizeof a), "end",
                                fow_lab_format_utc(end, b, sizeof b), "reason", reason ? reason : ""));
        }
        fow_db_close(db);
    }
    json_decref(body);
}

static void closure_delete(http_request *req, http_response *res)
{
    char *end = NULL;
    long long id = strtoll(req->params[0], &end, 10);
    if (!req->params[0][0] || *end || id < 1) {
        http_error(res, 400, "closure", "the closure must be a number, not '%.40s'", req->params[0]);
        return;
    }
    fow_db *db = NULL;
    if (!open_db(req, res, true, &db))
        return;
    fow_error err;
    fow_error_clear(&err);
    if (fow_lab_closure_delete(db, id, &err))
        fail(res, &err);
    else {
        res->cacheable = false;
        http_json(res, 200, json_pack("{s:I}", "deleted", (json_int_t)id));
    }
    fow_db_close(db);
}

static void holidays_add(http_request *req, http_response *res)
{
    static const char *const known[] = {"holidays"};
    json_t *body = http_object_body(req, res, known, 1);
    if (!body)
        return;
    json_t *list = body_list(body, "holidays", 400, res);
    size_t n = list ? json_array_size(list) : 0;
    fow_lab_holiday *days = n ? calloc(n, sizeof *days) : NULL;
    bool ok = list && (n == 0 || days);
    if (list && !ok)
        http_error(res, 500, NULL, "out of memory");
    for (size_t i = 0; ok && i < n; i++) {
        json_t *h = json_array_get(list, i);
        static const char *const names[] = {"day", "name_en", "name_ro", "source"};
        char *outs[] = {days[i].day, days[i].name_en, days[i].name_ro, days[i].source};
        size_t sizes[] = {sizeof days[i].day, sizeof days[i].name_en, sizeof days[i].name_ro, sizeof days[i].source};
        for (size_t k = 0; ok && k < 4; k++) {
            const char *v = json_string_value(json_object_get(h, names[k]));
            if (v && strlen(v) >= sizes[k]) {
                char field[48];
                snprintf(field, sizeof field, "holidays[%zu].%s", i, names[k]);
                http_error(res, 400, field, "%s is at most %zu bytes", field, sizes[k] - 1);
                ok = false;
            } else {
                snprintf(outs[k], sizes[k], "%s", v ? v : "");
            }
        }
    }
    fow_db *db = NULL;
    if (ok && open_db(req, res, true, &db)) {
        fow_error err;
        fow_error_clear(&err);
        if (fow_lab_holidays_put(db, days, n, &err))
            fail(res, &err);
        else {
            res->cacheable = false;
            http_json(res, 200, json_pack("{s:I}", "holidays", (json_int_t)n));
        }
        fow_db_close(db);
    }
    free(days);
    json_decref(body);
}

/* ---- manager: requirements and prices -------------------------------------------------------- */

static void requirements_set(http_request *req, http_response *res)
{
    static const char *const known[] = {"requirements"};
    json_t *body = http_object_body(req, res, known, 1);
    if (!body)
        return;
    json_t *list = body_list(body, "requirements", FOW_LAB_REQUIREMENTS_MAX, res);
    fow_lab_requirement reqs[FOW_LAB_REQUIREMENTS_MAX];
    memset(reqs, 0, sizeof reqs);
    size_t n = list ? json_array_size(list) : 0;
    bool ok = list != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        json_t *r = json_array_get(list, i);
        const char *kind = json_string_value(json_object_get(r, "kind"));
        const char *ref = json_string_value(json_object_get(r, "ref"));
        char field[48];
        if (!kind || (strcmp(kind, "module") && strcmp(kind, "skill"))) {
            snprintf(field, sizeof field, "requirements[%zu].kind", i);
            http_error(res, 400, field, "%s must be \"module\" or \"skill\"", field);
            ok = false;
        } else if (!ref || strlen(ref) > FOW_LAB_REF_MAX) {
            snprintf(field, sizeof field, "requirements[%zu].ref", i);
            http_error(res, 400, field, "%s must be a module code or a skill URI of at most %d bytes", field,
                       FOW_LAB_REF_MAX);
            ok = false;
        } else {
            reqs[i].kind = strcmp(kind, "skill") == 0 ? FOW_LAB_REQUIRES_SKILL : FOW_LAB_REQUIRES_MODULE;
            snprintf(reqs[i].ref, sizeof reqs[i].ref, "%s", ref);
        }
    }
    fow_db *db = NULL;
    if (ok && open_db(req, res, true, &db)) {
        fow_error err;
        fow_error_clear(&err);
        if (fow_lab_requirements_set(db, req->params[0], reqs, n, &err))
            fail(res, &err);
        else
            answer(res, db, fow_lab_resource_result, req->params[0], 200);
        fow_db_close(db);
    }
    json_decref(body);
}

static void prices_set(http_request *req, http_response *res)
{
    static const char *const known[] = {"prices"};
    json_t *body = http_object_body(req, res, known, 1);
    if (!body)
        return;
    json_t *list = body_list(body, "prices", FOW_LAB_CATEGORY_COUNT, res);
    fow_lab_price prices[FOW_LAB_CATEGORY_COUNT];
    memset(prices, 0, sizeof prices);
    size_t n = list ? json_array_size(list) : 0;
    bool ok = list != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        json_t *p = json_array_get(list, i);
        char field[48];
        json_t *amount = json_object_get(p, "per_hour_minor");
        const char *currency = json_string_value(json_object_get(p, "currency"));
        if (fow_lab_category_parse(json_string_value(json_object_get(p, "category")), &prices[i].category)) {
            snprintf(field, sizeof field, "prices[%zu].category", i);
            http_error(res, 400, field, "%s must be school, university, enterprise, resident or culturepreneur",
                       field);
            ok = false;
        } else if (!json_is_integer(amount)) {
            snprintf(field, sizeof field, "prices[%zu].per_hour_minor", i);
            http_error(res, 400, field, "%s must be a whole number of minor units (bani)", field);
            ok = false;
        } else {
            prices[i].per_hour_minor = json_integer_value(amount);
            snprintf(prices[i].currency, sizeof prices[i].currency, "%.3s", currency ? currency : "RON");
            if (currency && strlen(currency) != 3)
                prices[i].currency[0] = '\0'; /* the library names the field */
        }
    }
    fow_db *db = NULL;
    if (ok && open_db(req, res, true, &db)) {
        fow_error err;
        fow_error_clear(&err);
        if (fow_lab_prices_set(db, req->params[0], prices, n, &err))
            fail(res, &err);
        else
            answer(res, db, fow_lab_resource_result, req->params[0], 200);
        fow_db_close(db);
    }
    json_decref(body);
}

static const http_route routes[] = {
    {.method = "GET", .pattern = "/api/v1/labs", .handler = labs_list, .access = HTTP_PUBLIC, .uncached = true},
    {.method = "GET", .pattern = "/api/v1/labs/{lab}", .handler = lab_show, .access = HTTP_PUBLIC, .uncached = true},
    {.method = "GET", .pattern = "/api/v1/lab-resources/{resource}", .handler = resource_show, .access = HTTP_PUBLIC,
     .uncached = true},
    {.method = "GET", .pattern = "/api/v1/me/lab-access", .handler = me_access, .access = HTTP_SIGNED_IN},
    {.method = "POST", .pattern = "/api/v1/lab-inductions", .handler = induction_add, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_STAFF_LABS, .max_body = 1024, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/labs", .handler = lab_add, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_LABS, .max_body = 16384, .json_body = true},
    {.method = "PATCH", .pattern = "/api/v1/labs/{lab}", .handler = lab_change, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_LABS, .max_body = 16384, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/labs/{lab}/resources", .handler = resource_add, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_LABS, .max_body = 16384, .json_body = true},
    {.method = "PATCH", .pattern = "/api/v1/lab-resources/{resource}", .handler = resource_change,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_LABS, .max_body = 16384, .json_body = true},
    {.method = "PUT", .pattern = "/api/v1/labs/{lab}/hours", .handler = hours_set, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_LABS, .max_body = 4096, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/labs/{lab}/closures", .handler = closure_add, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_LABS, .max_body = 2048, .json_body = true},
    {.method = "DELETE", .pattern = "/api/v1/lab-closures/{id}", .handler = closure_delete,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_LABS},
    {.method = "PUT", .pattern = "/api/v1/lab-resources/{resource}/requirements", .handler = requirements_set,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_LABS, .max_body = 8192, .json_body = true},
    {.method = "PUT", .pattern = "/api/v1/lab-resources/{resource}/prices", .handler = prices_set,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_MANAGE_LABS, .max_body = 4096, .json_body = true},
    {.method = "POST", .pattern = "/api/v1/lab-holidays", .handler = holidays_add, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_MANAGE_LABS, .max_body = 65536, .json_body = true},
};
HTTP_ROUTE_TABLE(api_labs_routes, routes);
