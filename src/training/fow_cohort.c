/* fow_cohort.c — cohorts and enrolment: the rules (fow_cohort.h); the SQL
 * is cohort_store.c's. */
#include "training/fow_cohort.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/fow_accounts.h"
#include "base/fow_csv.h"
#include "base/fow_vec.h"
#include "training/cohort_store.h"

/* ---- names ------------------------------------------------------------------- */

static const char *const status_names[FOW_COHORT_STATUS_COUNT] = {"planned", "open", "closed", "finished",
                                                                  "cancelled"};
static const char *const enrolment_names[FOW_ENROLMENT_STATUS_COUNT] = {"enrolled", "waiting", "cancelled",
                                                                        "completed"};

const char *fow_cohort_status_name(fow_cohort_status s) {
    return (int)s >= 0 && s < FOW_COHORT_STATUS_COUNT ? status_names[s] : "?";
}

int fow_cohort_status_parse(const char *text, fow_cohort_status *out) {
    for (int s = 0; text && s < FOW_COHORT_STATUS_COUNT; s++)
        if (strcmp(text, status_names[s]) == 0) {
            *out = (fow_cohort_status)s;
            return 0;
        }
    return -1;
}

const char *fow_enrolment_status_name(fow_enrolment_status s) {
    return (int)s >= 0 && s < FOW_ENROLMENT_STATUS_COUNT ? enrolment_names[s] : "?";
}

/* ---- who may do what ------------------------------------------------------------- */

static const char *action_name(fow_cohort_action a) {
    switch (a) {
    case FOW_COHORT_MANAGE: return "manage cohorts";
    case FOW_COHORT_ENROL: return "enrol people";
    case FOW_COHORT_RECORD: return "record attendance and completions";
    case FOW_COHORT_SEE_PEOPLE: return "see who is enrolled";
    }
    return "?";
}

static bool is_provider(const fow_cohort_actor *who) { return who && who->role == FOW_ROLE_PROVIDER; }

fow_code fow_cohort_authorise(const fow_cohort_actor *who, fow_cohort_action action, int64_t provider,
                              fow_error *err) {
    bool allowed = false;
    switch (action) {
    case FOW_COHORT_ENROL:
        allowed = who && fow_role_allows((fow_role)who->role, FOW_PERM_MANAGE_PEOPLE);
        break;
    case FOW_COHORT_MANAGE:
    case FOW_COHORT_RECORD:
    case FOW_COHORT_SEE_PEOPLE:
        allowed = who && fow_role_allows((fow_role)who->role, FOW_PERM_RUN_COHORTS);
        if (allowed && is_provider(who) && provider >= 0 &&
            !fow_access_provider((fow_role)who->role, who->provider_id, provider))
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "role",
                                    "this cohort's module belongs to another training provider: this account may "
                                    "not %s in it",
                                    action_name(action));
        if (allowed && is_provider(who) && who->provider_id <= 0) allowed = false;
        break;
    }
    if (allowed && who->staff.name && who->staff.name[0]) return FOW_OK;
    return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "role", "this role may not %s", action_name(action));
}

bool fow_cohort_sees_all(const fow_cohort_actor *who) {
    return who && (who->staff.all_organisations || (is_provider(who) && who->provider_id > 0));
}

/* Who acts on people records for who: their own staff scope, except a
 * provider's account, which has no organisation and reaches the people
 * enrolled in its own cohorts. Use it only after the person's enrolment in
 * a cohort of the provider was found (enrolment_in_force). */
static fow_people_staff people_scope(const fow_cohort_actor *who) {
    if (!is_provider(who)) return who->staff;
    fow_people_staff s = {.name = who->staff.name, .organisation = "", .all_organisations = true};
    return s;
}

/* The provider of module (a code): the one provider of the modules with
 * that code, 0 when none or several. */
static fow_code provider_of_module(fow_db *db, const char *module, int64_t *provider, fow_error *err) {
    return fow_training_provider_of_code(db, module, provider, err);
}

/* Inside a transaction: cohort_id exists (else FOW_ENOTFOUND, field
 * "cohort") and who may do action on it. Its status and capacity into the
 * outputs (either may be NULL). */
static fow_code authorise_cohort(fow_db *db, const fow_cohort_actor *who, fow_cohort_action action, int64_t cohort_id,
                                 char status[16], long *capacity, fow_error *err) {
    char st[16], module[FOW_COHORT_CODE_MAX + 1];
    long cap = 0;
    bool found = false;
    fow_code rc = cohort_store_status(db, cohort_id, st, &cap, module, &found, err);
    if (!rc && !found) rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "cohort", "no cohort %lld", (long long)cohort_id);
    int64_t provider = 0;
    if (!rc && is_provider(who)) rc = provider_of_module(db, module, &provider, err);
    if (!rc) rc = fow_cohort_authorise(who, action, provider, err);
    if (!rc && status) memcpy(status, st, sizeof st);
    if (!rc && capacity) *capacity = cap;
    return rc;
}

/* ---- checks -------------------------------------------------------------------- */

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* True when text is a real date YYYY-MM-DD (years 2000 .. 2199). */
static bool is_date(const char *text) {
    int y, m, d;
    char tail;
    if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) return false;
    if (sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 2000 || y > 2199 || m < 1 || m > 12 || d < 1) return false;
    return d <= days[m - 1] + (m == 2 && leap(y));
}

/* True when text is a time HH:MM (00:00 .. 23:59). */
static bool is_time(const char *text) {
    if (!text || strlen(text) != 5 || text[2] != ':') return false;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (text[i] < '0' || text[i] > '9')) return false;
    return (text[0] - '0') * 10 + (text[1] - '0') < 24 && text[3] < '6';
}

static fow_code check_date(const char *text, const char *field, fow_error *err) {
    if (is_date(text)) return FOW_OK;
    return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s must be a date YYYY-MM-DD, not '%.40s'", field,
                            text ? text : "");
}

/* A text of at most max bytes without control characters (required: not
 * empty). */
static fow_code check_text(const char *text, size_t max, bool required, const char *field, fow_error *err) {
    size_t n = text ? strlen(text) : 0;
    if (required && n == 0) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s is required", field);
    if (n > max) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s is longer than %zu bytes", field, max);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s holds a control character", field);
    return FOW_OK;
}

static fow_code check_person(const char *person, fow_error *err) {
    if (person && strlen(person) == FOW_PERSON_ID_CHARS && person[0] == 'p') return FOW_OK;
    return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person",
                            "person must be a person's id (p and 26 letters and digits), not '%.40s'",
                            person ? person : "");
}

static void date_of(long long now, char out[11]) {
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

fow_code fow_cohort_session_parse(const char *text, fow_cohort_session *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    const char *t = text ? text : "";
    /* "YYYY-MM-DD HH:MM-HH:MM" then optionally " @ PLACE" */
    if (strlen(t) < 22 || t[10] != ' ' || t[16] != '-')
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "sessions",
                                "a session must read 'YYYY-MM-DD HH:MM-HH:MM' or 'YYYY-MM-DD HH:MM-HH:MM @ PLACE', "
                                "not '%.60s'",
                                t);
    memcpy(out->date, t, 10);
    memcpy(out->starts_at, t + 11, 5);
    memcpy(out->ends_at, t + 17, 5);
    const char *rest = t + 22;
    if (*rest) {
        if (strncmp(rest, " @ ", 3) != 0 || !rest[3])
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "sessions",
                                    "after a session's times comes ' @ PLACE' or nothing, not '%.40s'", rest);
        fow_code rc = check_text(rest + 3, FOW_COHORT_PLACE_MAX, true, "sessions", err);
        if (rc) return rc;
        snprintf(out->place, sizeof out->place, "%s", rest + 3);
    }
    return FOW_OK;
}

static int session_order(const void *a, const void *b) {
    const fow_cohort_session *x = a, *y = b;
    int c = strcmp(x->date, y->date);
    return c ? c : strcmp(x->starts_at, y->starts_at);
}

/* ---- cohorts --------------------------------------------------------------------- */

/* Checks in (FOW_EINPUT or FOW_ENOTFOUND naming the field) and fills *c
 * with the cohort to write (sessions in time order). */
static fow_code cohort_prepare(const fow_cohort_actor *who, const fow_training_catalogue *catalogue,
                               const fow_cohort_input *in, long long now, fow_cohort *c, fow_error *err) {
    fow_code rc = check_text(in->module, FOW_COHORT_CODE_MAX, true, "module", err);
    if (rc) return rc;
    const fow_training_module *m = fow_training_module_by_code(catalogue, in->module);
    if (!m)
        return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "module",
                                "no module with code '%s' in the learning catalogue", in->module);
    if ((rc = check_date(in->starts_on, "starts_on", err)) || (rc = check_date(in->ends_on, "ends_on", err)))
        return rc;
    if (strcmp(in->ends_on, in->starts_on) < 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "ends_on", "ends_on (%s) is before starts_on (%s)",
                                in->ends_on, in->starts_on);
    if (in->capacity < 1 || in->capacity > FOW_COHORT_CAPACITY_MAX)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "capacity", "capacity must be 1 to %d seats, not %ld",
                                FOW_COHORT_CAPACITY_MAX, in->capacity);
    const char *place = in->place ? in->place : m->place;
    const char *language = in->language && in->language[0] ? in->language : m->language;
    if ((rc = check_text(place, FOW_COHORT_PLACE_MAX, false, "place", err)) ||
        (rc = check_text(language, FOW_COHORT_LANGUAGE_MAX, true, "language", err)))
        return rc;
    fow_cohort_status status = FOW_COHORT_OPEN;
    if (in->status && in->status[0] && fow_cohort_status_parse(in->status, &status) != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "status",
                                "status must be planned, open, closed, finished or cancelled, not '%.40s'", in->status);
    if (in->n_sessions > FOW_COHORT_SESSIONS_MAX)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "sessions", "a cohort has at most %d sessions, not %zu",
                                FOW_COHORT_SESSIONS_MAX, in->n_sessions);
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < in->n_sessions; i++) {
        const fow_cohort_session *s = &in->sessions[i];
        if (!is_date(s->date) || !is_time(s->starts_at) || !is_time(s->ends_at))
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "sessions",
                                    "session %zu: the date must be YYYY-MM-DD and the times HH:MM (00:00 to 23:59)",
                                    i + 1);
        if (strcmp(s->ends_at, s->starts_at) <= 0)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "sessions", "session %zu ends (%s) before it starts (%s)",
                                    i + 1, s->ends_at, s->starts_at);
        if (strcmp(s->date, in->starts_on) < 0 || strcmp(s->date, in->ends_on) > 0)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "sessions",
                                    "session %zu is on %s, outside the cohort's dates (%s to %s)", i + 1, s->date,
                                    in->starts_on, in->ends_on);
        if ((rc = check_text(s->place, FOW_COHORT_PLACE_MAX, false, "sessions", err))) return rc;
        c->sessions[i] = *s;
    }
    c->n_sessions = in->n_sessions;
    qsort(c->sessions, c->n_sessions, sizeof *c->sessions, session_order);
    for (size_t i = 1; i < c->n_sessions; i++)
        if (strcmp(c->sessions[i].date, c->sessions[i - 1].date) == 0 &&
            strcmp(c->sessions[i].starts_at, c->sessions[i - 1].ends_at) < 0)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "sessions", "two sessions overlap on %s",
                                    c->sessions[i].date);
    snprintf(c->module, sizeof c->module, "%s", m->code);
    snprintf(c->starts_on, sizeof c->starts_on, "%s", in->starts_on);
    snprintf(c->ends_on, sizeof c->ends_on, "%s", in->ends_on);
    snprintf(c->place, sizeof c->place, "%s", place);
    snprintf(c->language, sizeof c->language, "%s", language);
    c->capacity = in->capacity;
    c->status = status;
    c->created_at = now;
    snprintf(c->created_by, sizeof c->created_by, "%s", who->staff.name);
    return FOW_OK;
}

/* Writes c and its sessions inside the caller's transaction, when who may
 * manage the cohorts of its module. */
static fow_code cohort_write(fow_db *db, const fow_cohort_actor *who, const fow_cohort *c, int64_t *id,
                             fow_error *err) {
    int64_t provider = 0;
    fow_code rc = is_provider(who) ? provider_of_module(db, c->module, &provider, err) : FOW_OK;
    if (!rc) rc = fow_cohort_authorise(who, FOW_COHORT_MANAGE, provider, err);
    if (!rc) rc = cohort_store_add(db, c, id, err);
    for (size_t i = 0; i < c->n_sessions && !rc; i++) rc = cohort_store_add_session(db, *id, (int)i + 1, &c->sessions[i], err);
    return rc;
}

fow_code fow_cohort_add(fow_db *db, const fow_cohort_actor *who, const fow_training_catalogue *catalogue,
                        const fow_cohort_input *in, long long now, int64_t *id, fow_error *err) {
    fow_code rc = fow_cohort_authorise(who, FOW_COHORT_MANAGE, -1, err);
    if (rc) return rc;
    fow_cohort *c = calloc(1, sizeof *c);
    if (!c) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    rc = cohort_prepare(who, catalogue, in, now, c, err);
    if (!rc && !(rc = fow_db_begin(db, err))) {
        rc = cohort_write(db, who, c, id, err);
        if (!rc) rc = fow_db_commit(db, err);
        if (rc) fow_db_rollback(db);
    }
    free(c);
    return rc;
}

/* ---- cohorts from a file ----------------------------------------------------------- */

enum { K_MODULE, K_STARTS_ON, K_ENDS_ON, K_PLACE, K_LANGUAGE, K_CAPACITY, K_STATUS, K_SESSIONS, K_N };

static const fow_csv_column cohort_columns[K_N] = {
    {"module", true},    {"starts_on", true}, {"ends_on", true}, {"place", false},
    {"language", false}, {"capacity", true},  {"status", false}, {"sessions", false}};

/* Field col of the current row ("" when the column is absent). */
static const char *cell(const fow_csv *csv, const int *ix, int col) {
    return ix[col] >= 0 ? fow_csv_field(csv, (size_t)ix[col], NULL) : "";
}

/* Reads one row into a prepared cohort; errors located at the row's field
 * that the library's error names. */
static fow_code cohort_row(fow_csv *csv, const int *ix, const fow_cohort_actor *who,
                           const fow_training_catalogue *catalogue, long long now, fow_cohort *c, fow_error *err) {
    fow_cohort_session sessions[FOW_COHORT_SESSIONS_MAX];
    char text[4096];
    size_t n = 0;
    fow_code rc = FOW_OK;
    snprintf(text, sizeof text, "%s", cell(csv, ix, K_SESSIONS));
    char *save = NULL;
    for (char *part = strtok_r(text, ";", &save); part && !rc; part = strtok_r(NULL, ";", &save)) {
        while (*part == ' ') part++;
        size_t len = strlen(part);
        while (len && part[len - 1] == ' ') part[--len] = '\0';
        if (!*part) continue;
        if (n == FOW_COHORT_SESSIONS_MAX)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "sessions", "a cohort has at most %d sessions",
                                  FOW_COHORT_SESSIONS_MAX);
        else rc = fow_cohort_session_parse(part, &sessions[n++], err);
    }
    long capacity = 0;
    if (!rc) {
        const char *cap = cell(csv, ix, K_CAPACITY);
        char *end = NULL;
        capacity = strtol(cap, &end, 10);
        if (!*cap || *end) rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "capacity", "capacity must be a whole number of seats, not '%.20s'", cap);
    }
    fow_cohort_input in = {.module = cell(csv, ix, K_MODULE), .starts_on = cell(csv, ix, K_STARTS_ON),
                           .ends_on = cell(csv, ix, K_ENDS_ON),
                           .place = ix[K_PLACE] >= 0 && cell(csv, ix, K_PLACE)[0] ? cell(csv, ix, K_PLACE) : NULL,
                           .language = cell(csv, ix, K_LANGUAGE), .capacity = capacity,
                           .status = cell(csv, ix, K_STATUS), .sessions = sessions, .n_sessions = n};
    if (!rc) rc = cohort_prepare(who, catalogue, &in, now, c, err);
    if (rc) {
        /* locate the message at the field it names */
        char message[sizeof err->message];
        snprintf(message, sizeof message, "%s", err->message);
        fow_code code = rc;
        for (int k = 0; k < K_N; k++)
            if (ix[k] >= 0 && strcmp(err->field, cohort_columns[k].name) == 0) {
                fow_csv_error_at(csv, (size_t)ix[k], err, "%s", message);
                err->code = code;
                return code;
            }
        fow_csv_error_at(csv, (size_t)ix[K_MODULE], err, "%s", message);
        err->code = code;
    }
    return rc;
}

fow_code fow_cohorts_add_file(fow_db *db, const fow_cohort_actor *who, const fow_training_catalogue *catalogue,
                              const char *path, long long now, size_t *added, fow_error *err) {
    *added = 0;
    fow_code rc = fow_cohort_authorise(who, FOW_COHORT_MANAGE, -1, err);
    if (rc) return rc;
    fow_csv *csv = NULL;
    int ix[K_N];
    if ((rc = fow_csv_open(&csv, path, err))) return rc;
    fow_cohort *c = calloc(1, sizeof *c);
    if (!c) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    if (!rc) rc = fow_csv_bind_header(csv, cohort_columns, K_N, ix, err);
    bool begun = false;
    if (!rc && !(rc = fow_db_begin(db, err))) begun = true;
    int r = 0;
    size_t n = 0;
    while (!rc && (r = fow_csv_next(csv, err)) == 1) {
        int64_t id;
        rc = cohort_row(csv, ix, who, catalogue, now, c, err);
        if (!rc && (rc = cohort_write(db, who, c, &id, err)) && strcmp(err->field, "role") == 0) {
            /* another provider's module: located at the row's module cell */
            char message[sizeof err->message];
            snprintf(message, sizeof message, "%s", err->message);
            fow_csv_error_at(csv, (size_t)ix[K_MODULE], err, "%s", message);
            err->code = rc;
            snprintf(err->field, sizeof err->field, "role");
        }
        if (!rc) n++;
    }
    if (!rc && r < 0) rc = err->code ? err->code : FOW_EINPUT;
    if (!rc && begun) rc = fow_db_commit(db, err);
    if (rc && begun) fow_db_rollback(db);
    if (!rc) *added = n;
    free(c);
    fow_csv_close(csv);
    return rc;
}

fow_code fow_cohort_set_status(fow_db *db, const fow_cohort_actor *who, int64_t id, fow_cohort_status status,
                               fow_error *err) {
    fow_code rc = fow_cohort_authorise(who, FOW_COHORT_MANAGE, -1, err);
    if (rc) return rc;
    if ((int)status < 0 || status >= FOW_COHORT_STATUS_COUNT)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "status", "status must be planned, open, closed, finished or cancelled");
    bool found = false;
    if ((rc = fow_db_begin(db, err))) return rc;
    rc = authorise_cohort(db, who, FOW_COHORT_MANAGE, id, NULL, NULL, err);
    if (!rc) rc = cohort_store_set_status(db, id, fow_cohort_status_name(status), &found, err);
    if (!rc && !found) rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "cohort", "no cohort %lld", (long long)id);
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) fow_db_rollback(db);
    return rc;
}

typedef struct cohort_list {
    fow_cohort *items;
    size_t n, cap;
} cohort_list;

static fow_code collect_cohort(void *ctx, const fow_cohort *c, fow_error *err) {
    cohort_list *l = ctx;
    return FOW_VEC_PUSH(l->items, l->n, l->cap, *c) ? fow_error_set(err, FOW_ENOMEM, "out of memory") : FOW_OK;
}

/* The cohorts as cohort_store_each walks them, in one read snapshot. */
static fow_code read_cohorts(fow_db *db, int64_t id, const char *module, cohort_list *l, fow_error *err) {
    memset(l, 0, sizeof *l);
    bool own = !fow_db_in_transaction(db);
    fow_code rc = own ? fow_db_read_begin(db, err) : FOW_OK;
    if (rc) return rc;
    rc = cohort_store_each(db, id, module, collect_cohort, l, err);
    if (own) fow_db_read_end(db);
    if (rc) {
        free(l->items);
        memset(l, 0, sizeof *l);
    }
    return rc;
}

fow_code fow_cohort_get(fow_db *db, int64_t id, fow_cohort *out, fow_error *err) {
    if (id < 1) return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "cohort", "no cohort %lld", (long long)id);
    cohort_list l;
    fow_code rc = read_cohorts(db, id, NULL, &l, err);
    if (rc) return rc;
    if (l.n == 0) rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "cohort", "no cohort %lld", (long long)id);
    else *out = l.items[0];
    free(l.items);
    return rc;
}

fow_code fow_cohorts_list(fow_db *db, const char *module, fow_cohort **out, size_t *n, fow_error *err) {
    cohort_list l;
    *out = NULL;
    *n = 0;
    fow_code rc = read_cohorts(db, 0, module && module[0] ? module : NULL, &l, err);
    if (rc) return rc;
    *out = l.items;
    *n = l.n;
    return FOW_OK;
}

fow_code fow_cohort_next_open(fow_db *db, const char *module, const char *today, fow_cohort *out, bool *found,
                              fow_error *err) {
    *found = false;
    if (!module || !module[0]) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "module", "module is required");
    fow_code rc = check_date(today, "today", err);
    if (rc) return rc;
    cohort_list l;
    if ((rc = read_cohorts(db, 0, module, &l, err))) return rc;
    const fow_cohort *best = NULL;
    for (size_t i = 0; i < l.n; i++) {
        const fow_cohort *c = &l.items[i];
        if (c->status != FOW_COHORT_OPEN || strcmp(c->starts_on, today) < 0) continue;
        if (!best || (best->seats_left == 0 && c->seats_left > 0)) best = c; /* listed by start date */
    }
    if (best) {
        *out = *best;
        *found = true;
    }
    free(l.items);
    return FOW_OK;
}

/* ---- enrolment -------------------------------------------------------------------- */

/* The organisation of person as who may see them: the staff's own for a
 * counsellor (who sees no other), else read from the record (audited). The
 * person's training consent must be in force. */
static fow_code person_for_training(fow_people *people, const fow_cohort_actor *who, const char *person,
                                    int64_t cohort_id, long long now, char organisation[FOW_PERSON_ORGANISATION_MAX + 1],
                                    fow_error *err) {
    fow_code rc = fow_people_require_consent(people, &who->staff, person, FOW_PURPOSE_TRAINING, err);
    if (rc) return rc;
    if (!who->staff.all_organisations) {
        snprintf(organisation, FOW_PERSON_ORGANISATION_MAX + 1, "%s", who->staff.organisation);
        return FOW_OK;
    }
    fow_person *p = malloc(sizeof *p);
    if (!p) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    char reason[64];
    snprintf(reason, sizeof reason, "enrolment in cohort %lld", (long long)cohort_id);
    rc = fow_people_get(people, &who->staff, person, reason, now, p, err);
    if (!rc) snprintf(organisation, FOW_PERSON_ORGANISATION_MAX + 1, "%s", p->organisation);
    sodium_memzero(p, sizeof *p);
    free(p);
    return rc;
}

/* The person's active enrolment in cohort_id, inside a transaction;
 * FOW_ENOTFOUND (field "person") when none. */
static fow_code active_or_not_found(fow_db *db, int64_t cohort_id, const char *person, fow_enrolment *e,
                                    fow_error *err) {
    bool found = false;
    fow_code rc = cohort_store_active_enrolment(db, cohort_id, person, e, &found, err);
    if (!rc && !found)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "person", "%s is not enrolled in cohort %lld", person,
                              (long long)cohort_id);
    return rc;
}

static fow_code cohort_exists(fow_db *db, int64_t cohort_id, char status[16], long *capacity, fow_error *err) {
    bool found = false;
    fow_code rc = cohort_store_status(db, cohort_id, status, capacity, NULL, &found, err);
    if (!rc && !found) rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "cohort", "no cohort %lld", (long long)cohort_id);
    return rc;
}

fow_code fow_cohort_enrol_prepare(fow_people *people, const fow_cohort_actor *who, int64_t cohort_id,
                                  const char *person, long long now, fow_enrol_ticket *ticket, fow_error *err) {
    memset(ticket, 0, sizeof *ticket);
    fow_code rc = fow_cohort_authorise(who, FOW_COHORT_ENROL, -1, err);
    if (!rc) rc = check_person(person, err);
    if (!rc) rc = person_for_training(people, who, person, cohort_id, now, ticket->organisation, err);
    if (rc) return rc;
    ticket->people = people;
    ticket->staff = who->staff;
    ticket->cohort_id = cohort_id;
    snprintf(ticket->person, sizeof ticket->person, "%s", person);
    snprintf(ticket->actor, sizeof ticket->actor, "%s", who->staff.name);
    return FOW_OK;
}

fow_code fow_cohort_enrol_prepare_bearer(fow_db *db, fow_people *people, const fow_cohort_actor *who,
                                         int64_t cohort_id, const char *person, long long now,
                                         fow_enrol_ticket *ticket, fow_error *err) {
    memset(ticket, 0, sizeof *ticket);
    fow_code rc = authorise_cohort(db, who, FOW_COHORT_MANAGE, cohort_id, NULL, NULL, err);
    if (!rc) rc = check_person(person, err);
    if (rc) return rc;
    /* the entitlement reaches its holder wherever they are registered */
    fow_cohort_actor bearer = *who;
    bearer.staff.organisation = "";
    bearer.staff.all_organisations = true;
    bearer.staff.self = NULL;
    rc = person_for_training(people, &bearer, person, cohort_id, now, ticket->organisation, err);
    if (rc) return rc;
    ticket->people = people;
    ticket->staff = bearer.staff;
    ticket->cohort_id = cohort_id;
    snprintf(ticket->person, sizeof ticket->person, "%s", person);
    snprintf(ticket->actor, sizeof ticket->actor, "%s", who->staff.name);
    return FOW_OK;
}

fow_code fow_cohort_enrol_in_transaction(fow_db *db, const fow_enrol_ticket *ticket, long long now,
                                         fow_enrolment *out, bool *created, fow_error *err) {
    *created = false;
    if (!fow_db_in_transaction(db))
        return fow_error_set(err, FOW_EINTERNAL, "fow_cohort_enrol_in_transaction runs inside a write transaction");
    char status[16];
    long capacity = 0;
    bool found = false;
    /* the consent is read again here, in the write transaction: a withdrawal
     * that committed first is seen */
    fow_code rc = fow_people_require_consent(ticket->people, &ticket->staff, ticket->person, FOW_PURPOSE_TRAINING, err);
    if (!rc) rc = cohort_exists(db, ticket->cohort_id, status, &capacity, err);
    if (!rc) rc = cohort_store_active_enrolment(db, ticket->cohort_id, ticket->person, out, &found, err);
    if (!rc && !found) {
        long taken = 0;
        int64_t id;
        if (strcmp(status, "open") != 0)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "cohort",
                                  "cohort %lld is %s: it takes no enrolments", (long long)ticket->cohort_id, status);
        if (!rc) rc = cohort_store_seats_taken(db, ticket->cohort_id, &taken, err);
        if (!rc)
            rc = cohort_store_add_enrolment(db, ticket->cohort_id, ticket->person, ticket->organisation,
                                            taken < capacity ? "enrolled" : "waiting", now, ticket->actor, &id, err);
        if (!rc) rc = active_or_not_found(db, ticket->cohort_id, ticket->person, out, err);
        if (!rc) *created = true;
    }
    if (rc) *created = false;
    return rc;
}

fow_code fow_cohort_enrol(fow_db *db, fow_people *people, const fow_cohort_actor *who, int64_t cohort_id,
                          const char *person, long long now, fow_enrolment *out, bool *created, fow_error *err) {
    *created = false;
    fow_enrol_ticket ticket;
    fow_code rc = fow_cohort_enrol_prepare(people, who, cohort_id, person, now, &ticket, err);
    if (rc) return rc;
    /* The count of seats and the insert in one BEGIN IMMEDIATE transaction:
     * no other writer runs between them, so no seat is given twice. */
    if ((rc = fow_db_begin(db, err))) return rc;
    rc = fow_cohort_enrol_in_transaction(db, &ticket, now, out, created, err);
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) {
        fow_db_rollback(db);
        *created = false;
    }
    return rc;
}

/* Checks the actor's role for action (before any cohort is known) and the
 * person's id. */
static fow_code may_act_on(const fow_cohort_actor *who, fow_cohort_action action, const char *person, fow_error *err) {
    fow_code rc = fow_cohort_authorise(who, action, -1, err);
    if (!rc) rc = check_person(person, err);
    return rc;
}

/* Inside the caller's transaction: who may do action on cohort_id, person
 * holds an enrolment there that is not cancelled (into *e), and, with
 * need_consent, their training consent is in force. A counsellor's scope
 * is checked first (another organisation's person is not found, whether
 * enrolled or not); a provider's account, which has no organisation,
 * reaches the person through their enrolment in its cohort. */
static fow_code enrolment_in_force(fow_db *db, fow_people *people, const fow_cohort_actor *who,
                                   fow_cohort_action action, int64_t cohort_id, const char *person, bool need_consent,
                                   fow_enrolment *e, fow_error *err) {
    fow_code rc = authorise_cohort(db, who, action, cohort_id, NULL, NULL, err);
    if (rc) return rc;
    fow_people_staff scope = people_scope(who);
    if (is_provider(who)) rc = active_or_not_found(db, cohort_id, person, e, err);
    if (!rc) rc = fow_people_require_consent(people, &scope, person, FOW_PURPOSE_TRAINING, err);
    if (rc == FOW_EINPUT && !need_consent && strcmp(err->field, "consent") == 0) {
        fow_error_clear(err);
        rc = FOW_OK;
    }
    if (!rc && !is_provider(who)) rc = active_or_not_found(db, cohort_id, person, e, err);
    return rc;
}

fow_code fow_cohort_cancel(fow_db *db, fow_people *people, const fow_cohort_actor *who, int64_t cohort_id,
                           const char *person, long long now, char promoted[FOW_PERSON_ID_CHARS + 1],
                           fow_error *err) {
    if (promoted) promoted[0] = '\0';
    fow_code rc = may_act_on(who, FOW_COHORT_ENROL, person, err);
    if (rc || (rc = fow_db_begin(db, err))) return rc;
    fow_enrolment e;
    char status[16];
    long capacity;
    rc = cohort_exists(db, cohort_id, status, &capacity, err);
    if (!rc) rc = enrolment_in_force(db, people, who, FOW_COHORT_ENROL, cohort_id, person, false, &e, err);
    if (!rc && e.status == FOW_ENROLMENT_COMPLETED)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person",
                              "%s completed cohort %lld: a completion is not cancelled", person, (long long)cohort_id);
    if (!rc) rc = cohort_store_cancel(db, e.id, now, who->staff.name, err);
    if (!rc && e.status == FOW_ENROLMENT_ENROLLED) {
        long taken = 0;
        bool waiting = false;
        int64_t first;
        char first_person[FOW_PERSON_ID_CHARS + 1];
        rc = cohort_store_seats_taken(db, cohort_id, &taken, err);
        if (!rc && taken < capacity) rc = cohort_store_first_waiting(db, cohort_id, &first, first_person, &waiting, err);
        if (!rc && waiting) {
            rc = cohort_store_promote(db, first, now, err);
            if (!rc && promoted) snprintf(promoted, FOW_PERSON_ID_CHARS + 1, "%s", first_person);
        }
    }
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) {
        fow_db_rollback(db);
        if (promoted) promoted[0] = '\0';
    }
    return rc;
}

fow_code fow_cohort_attend(fow_db *db, fow_people *people, const fow_cohort_actor *who, int64_t cohort_id,
                           const char *person, int session, bool present, long long now, fow_error *err) {
    fow_code rc = may_act_on(who, FOW_COHORT_RECORD, person, err);
    if (rc || (rc = fow_db_begin(db, err))) return rc;
    fow_enrolment e;
    rc = enrolment_in_force(db, people, who, FOW_COHORT_RECORD, cohort_id, person, true, &e, err);
    if (!rc && e.status == FOW_ENROLMENT_WAITING)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person",
                              "%s is on the waiting list of cohort %lld, not enrolled", person, (long long)cohort_id);
    if (!rc && (session < 1 || (size_t)session > e.n_sessions))
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "session",
                              e.n_sessions ? "session must be 1 to %zu (the cohort's sessions), not %d"
                                           : "cohort has no sessions (%zu) to attend, not %d",
                              e.n_sessions, session);
    if (!rc) rc = cohort_store_put_attendance(db, e.id, session, present, now, who->staff.name, err);
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) fow_db_rollback(db);
    return rc;
}

fow_code fow_cohort_enrolment(fow_db *db, fow_people *people, const fow_cohort_actor *who, int64_t cohort_id,
                              const char *person, fow_enrolment *out, fow_error *err) {
    fow_code rc = may_act_on(who, FOW_COHORT_SEE_PEOPLE, person, err);
    if (rc || (rc = fow_db_read_begin(db, err))) return rc;
    rc = enrolment_in_force(db, people, who, FOW_COHORT_SEE_PEOPLE, cohort_id, person, false, out, err);
    fow_db_read_end(db);
    return rc;
}

typedef struct enrolment_list {
    fow_enrolment *items;
    size_t n, cap;
} enrolment_list;

static fow_code collect_enrolment(void *ctx, const fow_enrolment *e, fow_error *err) {
    enrolment_list *l = ctx;
    return FOW_VEC_PUSH(l->items, l->n, l->cap, *e) ? fow_error_set(err, FOW_ENOMEM, "out of memory") : FOW_OK;
}

fow_code fow_cohort_enrolments(fow_db *db, const fow_cohort_actor *who, int64_t cohort_id, fow_enrolment **out,
                               size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    fow_code rc = fow_cohort_authorise(who, FOW_COHORT_SEE_PEOPLE, -1, err);
    bool all = fow_cohort_sees_all(who);
    if (!rc && !all && (!who->staff.organisation || !who->staff.organisation[0]))
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "organisation",
                              "the account %s has no organisation: an administrator must give it one before it can "
                              "see people",
                              who->staff.name);
    if (rc || (rc = fow_db_read_begin(db, err))) return rc;
    enrolment_list l = {0};
    rc = authorise_cohort(db, who, FOW_COHORT_SEE_PEOPLE, cohort_id, NULL, NULL, err);
    if (!rc)
        rc = cohort_store_each_enrolment(db, cohort_id, all ? NULL : who->staff.organisation, collect_enrolment, &l,
                                         err);
    fow_db_read_end(db);
    if (rc) {
        free(l.items);
        return rc;
    }
    *out = l.items;
    *n = l.n;
    return FOW_OK;
}

typedef struct person_enrolment_list {
    fow_person_enrolment *items;
    size_t n, cap;
} person_enrolment_list;

static fow_code collect_person_enrolment(void *ctx, const fow_enrolment *e, fow_error *err) {
    person_enrolment_list *l = ctx;
    fow_person_enrolment item;
    memset(&item, 0, sizeof item);
    item.enrolment = *e;
    return FOW_VEC_PUSH(l->items, l->n, l->cap, item) ? fow_error_set(err, FOW_ENOMEM, "out of memory") : FOW_OK;
}

fow_code fow_cohort_enrolments_of_person(fow_db *db, fow_people *people, const fow_cohort_actor *who,
                                         const char *person, fow_person_enrolment **out, size_t *n,
                                         fow_error *err) {
    *out = NULL;
    *n = 0;
    fow_code rc = may_act_on(who, FOW_COHORT_ENROL, person, err);
    if (!rc) rc = fow_people_visible(people, &who->staff, person, err);
    if (rc || (rc = fow_db_read_begin(db, err))) return rc;
    person_enrolment_list l = {0};
    rc = cohort_store_each_enrolment_of_person(db, person, collect_person_enrolment, &l, err);
    /* each with its cohort, read in the same snapshot */
    for (size_t i = 0; !rc && i < l.n; i++) {
        cohort_list one;
        rc = read_cohorts(db, l.items[i].enrolment.cohort_id, NULL, &one, err);
        if (!rc && one.n == 1) l.items[i].cohort = one.items[0];
        else if (!rc)
            rc = fow_error_set(err, FOW_EDB, "enrolment %lld names cohort %lld, which is not there",
                               (long long)l.items[i].enrolment.id, (long long)l.items[i].enrolment.cohort_id);
        free(one.items);
    }
    fow_db_read_end(db);
    if (rc) {
        free(l.items);
        return rc;
    }
    *out = l.items;
    *n = l.n;
    return FOW_OK;
}

/* ---- completion ---------------------------------------------------------------------- */

typedef struct completion_list {
    fow_completion *items;
    size_t n, cap;
} completion_list;

static fow_code collect_completion(void *ctx, const fow_completion *c, fow_error *err) {
    completion_list *l = ctx;
    return FOW_VEC_PUSH(l->items, l->n, l->cap, *c) ? fow_error_set(err, FOW_ENOMEM, "out of memory") : FOW_OK;
}

fow_code fow_cohort_completions_of(fow_db *db, const char *person, fow_completion **out, size_t *n,
                                   fow_error *err) {
    *out = NULL;
    *n = 0;
    fow_code rc = check_person(person, err);
    if (rc) return rc;
    completion_list l = {0};
    bool own = !fow_db_in_transaction(db);
    if (own && (rc = fow_db_read_begin(db, err))) return rc;
    rc = cohort_store_each_completion(db, 0, person, collect_completion, &l, err);
    if (own) fow_db_read_end(db);
    if (rc) {
        free(l.items);
        return rc;
    }
    *out = l.items;
    *n = l.n;
    return FOW_OK;
}

fow_code fow_cohort_completion(fow_db *db, int64_t cohort_id, const char *person, fow_completion *out,
                               fow_error *err) {
    fow_code rc = check_person(person, err);
    if (rc) return rc;
    if (cohort_id < 1) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "cohort", "cohort must be a cohort's number");
    completion_list l = {0};
    bool own = !fow_db_in_transaction(db);
    if (own && (rc = fow_db_read_begin(db, err))) return rc;
    rc = cohort_store_each_completion(db, cohort_id, person, collect_completion, &l, err);
    if (own) fow_db_read_end(db);
    if (!rc && l.n == 0)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "person", "%s has no completion of cohort %lld", person,
                              (long long)cohort_id);
    if (!rc) *out = l.items[0];
    free(l.items);
    return rc;
}

fow_code fow_cohort_complete(fow_db *db, fow_people *people, const fow_cohort_actor *who, const fow_model *model,
                             const fow_training_catalogue *catalogue, int64_t cohort_id, const char *person,
                             bool passed, bool has_score, double score, const char *completed_on, long long now,
                             fow_completion *out, fow_completion_skills *skills, fow_error *err) {
    fow_completion_skills added = {0};
    if (skills) *skills = added;
    char today[11];
    date_of(now, today);
    if (!completed_on || !completed_on[0]) completed_on = today;
    fow_code rc = may_act_on(who, FOW_COHORT_RECORD, person, err);
    if (!rc) rc = check_date(completed_on, "completed_on", err);
    if (!rc && has_score && !(score >= 0 && score <= 100))
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "score", "score must be 0 to 100, not %g", score);
    if (rc || (rc = fow_db_begin(db, err))) return rc;
    fow_enrolment e;
    char module[FOW_COHORT_CODE_MAX + 1] = "";
    rc = enrolment_in_force(db, people, who, FOW_COHORT_RECORD, cohort_id, person, true, &e, err);
    if (!rc && e.status != FOW_ENROLMENT_ENROLLED)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person", "%s is %s in cohort %lld: only someone enrolled completes",
                              person, e.status == FOW_ENROLMENT_WAITING ? "on the waiting list" : "already completed",
                              (long long)cohort_id);
    if (!rc) rc = cohort_store_complete(db, e.id, passed, has_score, score, completed_on, now, who->staff.name, err);
    fow_completion done;
    if (!rc) {
        completion_list l = {0};
        rc = cohort_store_each_completion(db, cohort_id, person, collect_completion, &l, err);
        if (!rc && l.n == 0) rc = fow_error_set(err, FOW_EINTERNAL, "the completion just written was not read back");
        if (!rc) done = l.items[0];
        free(l.items);
    }
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) {
        fow_db_rollback(db);
        return rc;
    }
    snprintf(module, sizeof module, "%s", done.module);
    if (out) *out = done;
    /* The skills it taught, into the profile (each its own transaction of
     * src/people). The completion stands whatever happens to them. */
    const fow_training_module *m = catalogue ? fow_training_module_by_code(catalogue, module) : NULL;
    if (passed && m) {
        char detail[FOW_PERSON_DETAIL_MAX + 1];
        snprintf(detail, sizeof detail, "module %s, cohort %lld, completed %s", module, (long long)cohort_id,
                 completed_on);
        for (size_t i = 0; i < m->n_links; i++) {
            const fow_training_link *l = &m->links[i];
            if (l->kind != FOW_TRAINING_TEACHES) continue;
            added.taught++;
            if (!model || !l->skill_id || !l->uri[0] || fow_model_skill_by_id(model, l->skill_id) == FOW_NO_INDEX) {
                added.not_in_taxonomy++;
                continue;
            }
            if (added.no_counselling_consent) continue;
            fow_error skill_err;
            fow_error_clear(&skill_err);
            fow_people_staff scope = people_scope(who); /* the person completed the actor's cohort */
            fow_code src = fow_people_skill_add(people, &scope, model, person, l->uri, FOW_SKILL_ASSESSMENT, detail,
                                                now, &skill_err);
            if (src == FOW_OK) added.added++;
            else if (src == FOW_EINPUT && strcmp(skill_err.field, "consent") == 0) added.no_counselling_consent = true;
            else if (src == FOW_ENOTFOUND && strcmp(skill_err.field, "skill") == 0) added.not_in_taxonomy++;
            else {
                *err = skill_err;
                if (skills) *skills = added;
                return src;
            }
        }
    } else if (passed) {
        added.taught = 0;
    }
    if (skills) *skills = added;
    return FOW_OK;
}
