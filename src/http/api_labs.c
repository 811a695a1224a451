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
#include <stddef.h>
#include <stdint.h>
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

/* ---- documents ------------------------------------------------------------------ */

/* Writes a document into w: of the record named code (a lab, a resource,
 * a person), or of them all. Returns the library's code. */
typedef fow_code (*labs_document)(fow_jw *w, fow_db *db, const char *code, fow_error *err);

static fow_code labs_document_list(fow_jw *w, fow_db *db, const char *code, fow_error *err)
{
    (void)code;
    return fow_lab_result_list(w, db, err);
}

static fow_code lab_document(fow_jw *w, fow_db *db, const char *code, fow_error *err)
{
    return fow_lab_result_show(w, db, code, (long long)time(NULL), err);
}

/* What the person person_id may use, now. */
static fow_code access_document(fow_jw *w, fow_db *db, const char *person_id, fow_error *err)
{
    fow_lab_access_result *list = NULL;
    size_t n = 0;
    fow_code rc = fow_lab_access_all(db, person_id, (long long)time(NULL), &list, &n, err);
    if (!rc)
        fow_lab_access_result_all(w, person_id, list, n);
    free(list);
    return rc;
}

/* Answers the document of code (fow_lab_resource_result and the like)
 * with status, or the error. */
static void answer(http_response *res, fow_db *db, labs_document document, const char *code, int status)
{
    fow_jw *w = http_writer();
    fow_error err;
    fow_error_clear(&err);
    if (!w) {
        http_error(res, 500, NULL, "out of memory");
        return;
    }
    if (document(w, db, code, &err))
        fail(res, &err);
    else
        send(res, status, w);
}

/* A GET: the document of code on a read-only connection. */
static void answer_read(const http_request *req, http_response *res, labs_document document, const char *code)
{
    fow_db *db = NULL;
    if (!open_db(req, res, false, &db))
        return;
    answer(res, db, document, code, 200);
    fow_db_close(db);
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

/* How a member of a library input (fow_lab_input, fow_lab_resource_input)
 * is read from the body field of its name. */
typedef enum body_kind { BODY_STRING, BODY_INT, BODY_PROVIDER, BODY_BOOL } body_kind;

typedef struct body_field {
    const char *name;
    body_kind kind;
    size_t offset;  /* of the member in the input */
    long long max;  /* BODY_INT: the largest value */
} body_field;

/* Entries checked at compile time against their members' types (a
 * comparison of distinct pointer types is an error with -Werror). */
#define BODY_FIELD(T, member, kind, type, max)                                                                  \
    {#member, (kind), offsetof(T, member) + 0 * sizeof(&((T *)0)->member == (type *)0), (max)}
#define F_STRING(T, member) BODY_FIELD(T, member, BODY_STRING, const char *, 0)
#define F_INT(T, member, max) BODY_FIELD(T, member, BODY_INT, int, max)

/* Reads fields[0..n) of body into the input in, in order (memset first):
 * a number, true or false is -1 when absent or null. False after a 400
 * naming the first that is wrong. */
static bool read_fields(json_t *body, const body_field *fields, size_t n, void *in, size_t size, http_response *res)
{
    memset(in, 0, size);
    for (size_t i = 0; i < n; i++) {
        const body_field *f = &fields[i];
        void *at = (char *)in + f->offset;
        json_t *v = json_object_get(body, f->name);
        bool absent = !v || json_is_null(v);
        json_int_t number = json_integer_value(v); /* 0 unless an integer */
        switch (f->kind) {
        case BODY_STRING:
            if (!body_string(body, f->name, at, res))
                return false;
            break;
        case BODY_INT:
            if (!absent && (!json_is_integer(v) || number < 0 || number > f->max)) {
                http_error(res, 400, f->name, "%s must be a whole number from 0 to %lld", f->name, f->max);
                return false;
            }
            *(int *)at = absent ? -1 : (int)number;
            break;
        case BODY_PROVIDER:
            if (!absent && (!json_is_integer(v) || number < 0)) {
                http_error(res, 400, f->name, "%s must be a training provider's id, or 0 for none", f->name);
                return false;
            }
            *(int64_t *)at = absent ? -1 : number;
            break;
        case BODY_BOOL:
            if (!absent && !json_is_boolean(v)) {
                http_error(res, 400, f->name, "%s must be true or false", f->name);
                return false;
            }
            *(int *)at = absent ? -1 : json_is_true(v) ? 1 : 0;
            break;
        }
    }
    return true;
}

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

/* ---- the manager's writes, described by tables ------------------------------------------ */

/* The input of a write, read from its body. */
typedef struct labs_input {
    size_t n;                  /* the entries of a list */
    fow_lab_holiday *holidays; /* malloc'd (freed by labs_write_run); NULL for other writes */
    union {
        fow_lab_input lab;
        fow_lab_resource_input resource;
        fow_lab_hours hours[FOW_LAB_HOURS_MAX];
        fow_lab_requirement requirements[FOW_LAB_REQUIREMENTS_MAX];
        fow_lab_price prices[FOW_LAB_CATEGORY_COUNT];
        struct {
            const char *kind, *resource, *reason;
            int64_t start, end, id;
        } closure;
    } u;
} labs_input;

#define LABS_MEMBERS_MAX 16

/* A write of the manager: its body's fields (any other is a 400) and how
 * they are read into the input (false after an answer) — either a list of
 * fields and read, or the members of a record's input (a lab's, a
 * resource's), read from the fields of their names, of which a change
 * takes every one but the code —, the library's work with the input, and
 * the answer: with status, the document of the record the route names
 * ({lab} or {resource}), or for an add of the record the body's code
 * names; without a document, reply's (which sets its own status). */
typedef struct labs_write {
    const char *const *fields;
    size_t n_fields;
    bool (*read)(json_t *body, labs_input *in, http_response *res);
    const body_field *members; /* at most LABS_MEMBERS_MAX; NULL: fields and read */
    size_t n_members;
    bool add;
    fow_code (*work)(fow_db *db, const http_request *req, labs_input *in, fow_error *err);
    labs_document document;
    int status;
    void (*reply)(const http_request *req, http_response *res, const labs_input *in);
} labs_write;

/* Runs write w of req: its body, its input, its work on a connection for
 * writing, its answer or the error. */
static void labs_write_run(http_request *req, http_response *res, const labs_write *w)
{
    const char *names[LABS_MEMBERS_MAX];
    const char *const *known = w->fields;
    size_t n_known = w->n_fields, code_at = SIZE_MAX;
    if (w->members) {
        known = names;
        n_known = 0;
        for (size_t i = 0; i < w->n_members && i < LABS_MEMBERS_MAX; i++) {
            bool code = strcmp(w->members[i].name, "code") == 0;
            if (code)
                code_at = w->members[i].offset;
            if (w->add || !code)
                names[n_known++] = w->members[i].name;
        }
    }
    json_t *body = http_object_body(req, res, known, n_known);
    if (!body)
        return;
    labs_input in;
    memset(&in, 0, sizeof in);
    bool ok = w->members ? read_fields(body, w->members, w->n_members, &in.u, sizeof in.u, res)
                         : w->read(body, &in, res);
    fow_db *db = NULL;
    if (ok && open_db(req, res, true, &db)) {
        fow_error err;
        fow_error_clear(&err);
        const char *named = req->params[0];
        if (w->add && code_at != SIZE_MAX)
            named = *(const char *const *)((const char *)&in.u + code_at);
        if (w->work(db, req, &in, &err))
            fail(res, &err);
        else if (w->document)
            answer(res, db, w->document, named, w->status);
        else
            w->reply(req, res, &in);
        fow_db_close(db);
    }
    free(in.holidays);
    json_decref(body);
}

/* ---- labs ------------------------------------------------------------------------------ */

/* A lab's members, in the order they are checked; the body's fields are
 * their names. */
#define LAB_STRING(member) F_STRING(fow_lab_input, member)
static const body_field LAB_INPUT[] = {
    BODY_FIELD(fow_lab_input, provider_id, BODY_PROVIDER, int64_t, 0),
    LAB_STRING(code), LAB_STRING(name_en), LAB_STRING(name_ro), LAB_STRING(description_en),
    LAB_STRING(description_ro), LAB_STRING(address),
    F_INT(fow_lab_input, cancel_deadline_hours, 720), F_INT(fow_lab_input, late_cancel_fee_percent, 100),
    F_INT(fow_lab_input, offer_hours, 168),
};

static fow_code add_lab(fow_db *db, const http_request *req, labs_input *in, fow_error *err)
{
    (void)req;
    return fow_lab_add(db, &in->u.lab, (long long)time(NULL), NULL, err);
}

static fow_code change_lab(fow_db *db, const http_request *req, labs_input *in, fow_error *err)
{
    return fow_lab_update(db, req->params[0], &in->u.lab, (long long)time(NULL), err);
}

#define N_LAB_INPUT (sizeof LAB_INPUT / sizeof *LAB_INPUT)
static const labs_write LAB_ADD = {.members = LAB_INPUT, .n_members = N_LAB_INPUT, .add = true, .work = add_lab,
                                   .document = lab_document, .status = 201};
static const labs_write LAB_CHANGE = {.members = LAB_INPUT, .n_members = N_LAB_INPUT, .work = change_lab,
                                      .document = lab_document, .status = 200};

/* ---- resources -------------------------------------------------------------------------- */

/* A resource's members, in the order they are checked; the body's fields
 * are their names. */
#define RESOURCE_STRING(member) F_STRING(fow_lab_resource_input, member)
static const body_field RESOURCE_INPUT[] = {
    BODY_FIELD(fow_lab_resource_input, active, BODY_BOOL, int, 0),
    RESOURCE_STRING(code), RESOURCE_STRING(kind), RESOURCE_STRING(name_en), RESOURCE_STRING(name_ro),
    RESOURCE_STRING(description_en), RESOURCE_STRING(description_ro), RESOURCE_STRING(safety_en),
    RESOURCE_STRING(safety_ro), RESOURCE_STRING(photo),
    F_INT(fow_lab_resource_input, capacity, 100000), F_INT(fow_lab_resource_input, slot_minutes, 100000),
    F_INT(fow_lab_resource_input, max_slots, 100000),
};

static fow_code add_resource(fow_db *db, const http_request *req, labs_input *in, fow_error *err)
{
    return fow_lab_resource_add(db, req->params[0], &in->u.resource, (long long)time(NULL), NULL, err);
}

static fow_code change_resource(fow_db *db, const http_request *req, labs_input *in, fow_error *err)
{
    return fow_lab_resource_update(db, req->params[0], &in->u.resource, (long long)time(NULL), err);
}

#define N_RESOURCE_INPUT (sizeof RESOURCE_INPUT / sizeof *RESOURCE_INPUT)
static const labs_write RESOURCE_ADD = {.members = RESOURCE_INPUT, .n_members = N_RESOURCE_INPUT, .add = true,
                                        .work = add_resource, .document = fow_lab_resource_result, .status = 201};
static const labs_write RESOURCE_CHANGE = {.members = RESOURCE_INPUT, .n_members = N_RESOURCE_INPUT,
                                           .work = change_resource, .document = fow_lab_resource_result,
                                           .status = 200};

/* ---- hours ----------------------------------------------------------------------------- */

static bool read_hours(json_t *body, labs_input *in, http_response *res)
{
    json_t *list = body_list(body, "hours", FOW_LAB_HOURS_MAX, res);
    in->n = list ? json_array_size(list) : 0;
    fow_error err;
    fow_error_clear(&err);
    for (size_t i = 0; list && i < in->n; i++) {
        json_t *h = json_array_get(list, i);
        char field[32], interval[32], weekday[8] = "";
        snprintf(field, sizeof field, "hours[%zu]", i);
        json_t *wd = json_object_get(h, "weekday");
        if (json_is_integer(wd) && json_integer_value(wd) >= 0 && json_integer_value(wd) <= 9)
            snprintf(weekday, sizeof weekday, "%d", (int)json_integer_value(wd));
        const char *opens = json_string_value(json_object_get(h, "opens"));
        const char *closes = json_string_value(json_object_get(h, "closes"));
        snprintf(interval, sizeof interval, "%.5s-%.5s", opens ? opens : "", closes ? closes : "");
        if (fow_lab_hours_parse(weekday, interval, field, &in->u.hours[i], &err)) {
            fail(res, &err);
            return false;
        }
    }
    return list != NULL;
}

static fow_code set_hours(fow_db *db, const http_request *req, labs_input *in, fow_error *err)
{
    return fow_lab_hours_set(db, req->params[0], in->u.hours, in->n, err);
}

static const char *const HOURS_FIELDS[] = {"hours"};
static const labs_write HOURS_SET = {.fields = HOURS_FIELDS, .n_fields = 1, .read = read_hours, .work = set_hours,
                                     .document = lab_document, .status = 200};

/* ---- closures -------------------------------------------------------------------------- */

static bool read_closure(json_t *body, labs_input *in, http_response *res)
{
    return body_string(body, "kind", &in->u.closure.kind, res) &&
           body_string(body, "resource", &in->u.closure.resource, res) &&
           body_string(body, "reason", &in->u.closure.reason, res) &&
           local_field(body, "start", &in->u.closure.start, res) && local_field(body, "end", &in->u.closure.end, res);
}

static fow_code add_closure(fow_db *db, const http_request *req, labs_input *in, fow_error *err)
{
    return fow_lab_closure_add(db, req->params[0], in->u.closure.kind, in->u.closure.resource, in->u.closure.start,
                               in->u.closure.end, in->u.closure.reason, req->who.name, (long long)time(NULL),
                               &in->u.closure.id, err);
}

/* {"closure": {id, lab, kind, resource, start, end, reason}}, 201. */
static void reply_closure(const http_request *req, http_response *res, const labs_input *in)
{
    char a[FOW_LAB_ISO_SIZE], b[FOW_LAB_ISO_SIZE];
    const char *resource = in->u.closure.resource, *reason = in->u.closure.reason;
    res->cacheable = false;
    http_json(res, 201,
              json_pack("{s:{s:I, s:s, s:s, s:s?, s:s, s:s, s:s}}", "closure", "id", (json_int_t)in->u.closure.id,
                        "lab", req->params[0], "kind", in->u.closure.kind, "resource",
                        resource && *resource ? resource : NULL, "start",
                        fow_lab_format_utc(in->u.closure.start, a, sizeof a), "end",
                        fow_lab_format_utc(in->u.closure.end, b, sizeof b), "reason", reason ? reason : ""));
}

static const char *const CLOSURE_FIELDS[] = {"kind", "resource", "start", "end", "reason"};
static const labs_write CLOSURE_ADD = {.fields = CLOSURE_FIELDS, .n_fields = 5, .read = read_closure,
                                       .work = add_closure, .reply = reply_closure};

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

/* ---- holidays ------------------------------------------------------------------------ */

static bool read_holidays(json_t *body, labs_input *in, http_response *res)
{
    json_t *list = body_list(body, "holidays", 400, res);
    size_t n = in->n = list ? json_array_size(list) : 0;
    fow_lab_holiday *days = in->holidays = n ? calloc(n, sizeof *days) : NULL;
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
    return ok;
}

static fow_code put_holidays(fow_db *db, const http_request *req, labs_input *in, fow_error *err)
{
    (void)req;
    return fow_lab_holidays_put(db, in->holidays, in->n, err);
}

/* {"holidays": n}, 200. */
static void reply_holidays(const http_request *req, http_response *res, const labs_input *in)
{
    (void)req;
    res->cacheable = false;
    http_json(res, 200, json_pack("{s:I}", "holidays", (json_int_t)in->n));
}

static const char *const HOLIDAYS_FIELDS[] = {"holidays"};
static const labs_write HOLIDAYS_ADD = {.fields = HOLIDAYS_FIELDS, .n_fields = 1, .read = read_holidays,
                                        .work = put_holidays, .reply = reply_holidays};

/* ---- requirements and prices ---------------------------------------------------------------- */

/* A 400 naming list[i].member: "<field> <what>". */
static void entry_error(http_response *res, const char *list, size_t i, const char *member, const char *what)
{
    char field[48];
    snprintf(field, sizeof field, "%s[%zu].%s", list, i, member);
    http_error(res, 400, field, "%s %s", field, what);
}

static bool read_requirements(json_t *body, labs_input *in, http_response *res)
{
    json_t *list = body_list(body, "requirements", FOW_LAB_REQUIREMENTS_MAX, res);
    in->n = list ? json_array_size(list) : 0;
    for (size_t i = 0; list && i < in->n; i++) {
        json_t *r = json_array_get(list, i);
        const char *kind = json_string_value(json_object_get(r, "kind"));
        const char *ref = json_string_value(json_object_get(r, "ref"));
        fow_lab_requirement *out = &in->u.requirements[i];
        if (!kind || (strcmp(kind, "module") && strcmp(kind, "skill"))) {
            entry_error(res, "requirements", i, "kind", "must be \"module\" or \"skill\"");
            return false;
        }
        if (!ref || strlen(ref) > FOW_LAB_REF_MAX) {
            char what[80];
            snprintf(what, sizeof what, "must be a module code or a skill URI of at most %d bytes", FOW_LAB_REF_MAX);
            entry_error(res, "requirements", i, "ref", what);
            return false;
        }
        out->kind = strcmp(kind, "skill") == 0 ? FOW_LAB_REQUIRES_SKILL : FOW_LAB_REQUIRES_MODULE;
        snprintf(out->ref, sizeof out->ref, "%s", ref);
    }
    return list != NULL;
}

static fow_code set_requirements(fow_db *db, const http_request *req, labs_input *in, fow_error *err)
{
    return fow_lab_requirements_set(db, req->params[0], in->u.requirements, in->n, err);
}

static const char *const REQUIREMENTS_FIELDS[] = {"requirements"};
static const labs_write REQUIREMENTS_SET = {.fields = REQUIREMENTS_FIELDS, .n_fields = 1, .read = read_requirements,
                                            .work = set_requirements, .document = fow_lab_resource_result,
                                            .status = 200};

static bool read_prices(json_t *body, labs_input *in, http_response *res)
{
    json_t *list = body_list(body, "prices", FOW_LAB_CATEGORY_COUNT, res);
    in->n = list ? json_array_size(list) : 0;
    for (size_t i = 0; list && i < in->n; i++) {
        json_t *p = json_array_get(list, i);
        fow_lab_price *out = &in->u.prices[i];
        json_t *amount = json_object_get(p, "per_hour_minor");
        const char *currency = json_string_value(json_object_get(p, "currency"));
        if (fow_lab_category_parse(json_string_value(json_object_get(p, "category")), &out->category)) {
            entry_error(res, "prices", i, "category", "must be school, university, enterprise, resident or culturepreneur");
            return false;
        }
        if (!json_is_integer(amount)) {
            entry_error(res, "prices", i, "per_hour_minor", "must be a whole number of minor units (bani)");
            return false;
        }
        out->per_hour_minor = json_integer_value(amount);
        snprintf(out->currency, sizeof out->currency, "%.3s", currency ? currency : "RON");
        if (currency && strlen(currency) != 3)
            out->currency[0] = '\0'; /* the library names the field */
    }
    return list != NULL;
}

static fow_code set_prices(fow_db *db, const http_request *req, labs_input *in, fow_error *err)
{
    return fow_lab_prices_set(db, req->params[0], in->u.prices, in->n, err);
}

static const char *const PRICES_FIELDS[] = {"prices"};
static const labs_write PRICES_SET = {.fields = PRICES_FIELDS, .n_fields = 1, .read = read_prices, .work = set_prices,
                                      .document = fow_lab_resource_result, .status = 200};

/* ---- public ------------------------------------------------------------------ */

static void labs_list(http_request *req, http_response *res)
{
    answer_read(req, res, labs_document_list, NULL);
}

static void lab_show(http_request *req, http_response *res)
{
    answer_read(req, res, lab_document, req->params[0]);
}

static void resource_show(http_request *req, http_response *res)
{
    answer_read(req, res, fow_lab_resource_result, req->params[0]);
}

/* ---- a person's own access ------------------------------------------------------ */

static void me_access(http_request *req, http_response *res)
{
    if (!req->who.person_id[0]) {
        http_error(res, 404, "person", "this account is linked to no people record");
        return;
    }
    answer_read(req, res, access_document, req->who.person_id);
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

/* ---- the writes' handlers: each runs its table ------------------------------------------ */

static void lab_add(http_request *req, http_response *res) { labs_write_run(req, res, &LAB_ADD); }
static void lab_change(http_request *req, http_response *res) { labs_write_run(req, res, &LAB_CHANGE); }
static void resource_add(http_request *req, http_response *res) { labs_write_run(req, res, &RESOURCE_ADD); }
static void resource_change(http_request *req, http_response *res) { labs_write_run(req, res, &RESOURCE_CHANGE); }
static void hours_set(http_request *req, http_response *res) { labs_write_run(req, res, &HOURS_SET); }
static void closure_add(http_request *req, http_response *res) { labs_write_run(req, res, &CLOSURE_ADD); }
static void holidays_add(http_request *req, http_response *res) { labs_write_run(req, res, &HOLIDAYS_ADD); }
static void requirements_set(http_request *req, http_response *res) { labs_write_run(req, res, &REQUIREMENTS_SET); }
static void prices_set(http_request *req, http_response *res) { labs_write_run(req, res, &PRICES_SET); }

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
