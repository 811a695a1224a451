/* lab_projects.c — the projects carried out in the labs, the labs' figures
 * for the programme indicators, and the CSV of the usage and the projects
 * (fow_lab_usage.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labs/fow_lab_usage.h"
#include "labs/usage_store.h"

/* ---- projects ---------------------------------------------------------------- */

static fow_code field_error(fow_error *err, fow_code code, const char *field, const char *fmt, ...) {
    char message[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    fow_error_set(err, code, "%s", message);
    snprintf(err->field, sizeof err->field, "%s", field);
    return code;
}

/* The number of UTF-8 characters of s (its continuation bytes not counted). */
static size_t characters(const char *s) {
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static bool person_id_valid(const char *id) {
    if (strlen(id) != 27 || id[0] != 'p') return false;
    for (const char *p = id + 1; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '2' && *p <= '7'))) return false;
    return true;
}

static bool cui_valid(const char *code) {
    size_t n = strlen(code);
    if (n < 2 || n > 10) return false;
    for (const char *p = code; *p; p++)
        if (!isdigit((unsigned char)*p)) return false;
    return true;
}

fow_code fow_lab_project_add(fow_db *db, fow_lab_project *p, long long now, fow_error *err) {
    if (!p->person_id[0] && !p->enterprise_code[0])
        return field_error(err, FOW_EINPUT, "person", "a project names a person or an enterprise (its CUI)");
    if (p->person_id[0] && !person_id_valid(p->person_id))
        return field_error(err, FOW_EINPUT, "person", "'%s' is not a person id ('p' and 26 base32 characters)",
                           p->person_id);
    if (p->enterprise_code[0] && !cui_valid(p->enterprise_code))
        return field_error(err, FOW_EINPUT, "enterprise_code", "'%s' is not a CUI (2 to 10 digits)",
                           p->enterprise_code);
    size_t title = characters(p->title);
    if (title == 0 || title > 200)
        return field_error(err, FOW_EINPUT, "title", "a project's title has 1 to 200 characters, not %zu", title);
    if (characters(p->summary) > 2000)
        return field_error(err, FOW_EINPUT, "summary", "a project's summary has at most 2000 characters");
    if (characters(p->outcome) > 2000)
        return field_error(err, FOW_EINPUT, "outcome", "a project's outcome has at most 2000 characters");
    if (characters(p->label_ref) > 120 || characters(p->startup_ref) > 120)
        return field_error(err, FOW_EINPUT, p->label_ref[0] && characters(p->label_ref) > 120 ? "label_ref" : "startup_ref",
                           "a reference has at most 120 characters");
    usage_place lab;
    bool found = false;
    fow_code rc = usage_store_lab(db, p->lab, &lab, &found, err);
    if (rc) return rc;
    if (!found) return field_error(err, FOW_ENOTFOUND, "lab", "no lab has the code '%s'", p->lab);
    usage_project row;
    memset(&row, 0, sizeof row);
    row.lab_id = lab.id;
    snprintf(row.person_id, sizeof row.person_id, "%s", p->person_id);
    snprintf(row.enterprise_code, sizeof row.enterprise_code, "%s", p->enterprise_code);
    snprintf(row.title, sizeof row.title, "%s", p->title);
    snprintf(row.summary, sizeof row.summary, "%s", p->summary);
    snprintf(row.outcome, sizeof row.outcome, "%s", p->outcome);
    snprintf(row.label_ref, sizeof row.label_ref, "%s", p->label_ref);
    snprintf(row.startup_ref, sizeof row.startup_ref, "%s", p->startup_ref);
    snprintf(row.created_by, sizeof row.created_by, "%s", p->created_by);
    row.created_at = now;
    if ((rc = usage_store_project_add(db, &row, err))) return rc;
    p->id = row.id;
    p->created_at = now;
    return FOW_OK;
}

fow_code fow_lab_projects_list(fow_db *db, const char *lab, fow_lab_project **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    usage_place place;
    memset(&place, 0, sizeof place);
    bool found = true;
    fow_code rc = FOW_OK;
    if (lab && *lab) {
        if ((rc = usage_store_lab(db, lab, &place, &found, err))) return rc;
        if (!found) return field_error(err, FOW_ENOTFOUND, "lab", "no lab has the code '%s'", lab);
    }
    usage_project *rows = NULL;
    size_t n_rows = 0;
    if ((rc = usage_store_projects(db, place.id, &rows, &n_rows, err))) {
        free(rows);
        return rc;
    }
    fow_lab_project *list = n_rows ? calloc(n_rows, sizeof *list) : NULL;
    if (n_rows && !list) {
        free(rows);
        return fow_error_set(err, FOW_ENOMEM, "out of memory listing the lab projects");
    }
    for (size_t i = 0; i < n_rows; i++) {
        fow_lab_project *p = &list[i];
        const usage_project *r = &rows[i];
        p->id = r->id;
        snprintf(p->lab, sizeof p->lab, "%s", r->lab_code);
        snprintf(p->person_id, sizeof p->person_id, "%s", r->person_id);
        snprintf(p->enterprise_code, sizeof p->enterprise_code, "%s", r->enterprise_code);
        snprintf(p->title, sizeof p->title, "%s", r->title);
        snprintf(p->summary, sizeof p->summary, "%s", r->summary);
        snprintf(p->outcome, sizeof p->outcome, "%s", r->outcome);
        snprintf(p->label_ref, sizeof p->label_ref, "%s", r->label_ref);
        snprintf(p->startup_ref, sizeof p->startup_ref, "%s", r->startup_ref);
        p->created_at = r->created_at;
        snprintf(p->created_by, sizeof p->created_by, "%s", r->created_by);
    }
    free(rows);
    *out = list;
    *n = n_rows;
    return FOW_OK;
}

/* ---- the indicators' figures ------------------------------------------------- */

static int cmp_rows(const void *a, const void *b) {
    return strcmp(((const usage_person_row *)a)->person_id, ((const usage_person_row *)b)->person_id);
}

static int cmp_person_row(const void *key, const void *item) {
    return strcmp((const char *)key, ((const usage_person_row *)item)->person_id);
}

fow_code fow_lab_people_figures_of(fow_db *db, const char *const *person_ids, size_t n,
                                   fow_lab_people_figures *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    usage_person_row *rows = NULL;
    size_t n_rows = 0;
    fow_code rc = usage_store_people(db, &rows, &n_rows, err);
    if (rc) {
        free(rows);
        return rc;
    }
    /* the store sorts by person id in SQL's byte order; sort again in C's to be sure */
    for (size_t i = 1; i < n_rows; i++)
        if (strcmp(rows[i - 1].person_id, rows[i].person_id) > 0) {
            qsort(rows, n_rows, sizeof *rows, cmp_rows);
            break;
        }
    for (size_t i = 0; i < n; i++) {
        const usage_person_row *r = n_rows ? bsearch(person_ids[i], rows, n_rows, sizeof *rows, cmp_person_row) : NULL;
        if (!r) continue;
        out->users += r->bookings > 0;
        out->used += r->checked_in > 0;
        out->minutes_used += r->minutes_used;
        out->with_project += r->projects > 0;
    }
    free(rows);
    return FOW_OK;
}

/* ---- CSV ----------------------------------------------------------------------- */

typedef struct text_buf {
    char *s;
    size_t n, cap;
    bool failed;
} text_buf;

static void put_bytes(text_buf *b, const char *bytes, size_t len) {
    if (b->failed || len == 0) return;
    if (b->n + len + 1 > b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 1024;
        while (cap < b->n + len + 1) cap *= 2;
        char *more = realloc(b->s, cap);
        if (!more) {
            b->failed = true;
            return;
        }
        b->s = more;
        b->cap = cap;
    }
    memcpy(b->s + b->n, bytes, len);
    b->n += len;
    b->s[b->n] = '\0';
}

static void put(text_buf *b, const char *fmt, ...) {
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (len < 0 || (size_t)len >= sizeof tmp) b->failed = true;
    else put_bytes(b, tmp, (size_t)len);
}

/* A CSV field: quoted, with quotes doubled. */
static void put_field(text_buf *b, const char *text) {
    put_bytes(b, "\"", 1);
    for (const char *p = text; *p; p++) {
        if (*p == '"') put_bytes(b, "\"", 1); /* doubled */
        put_bytes(b, p, 1);
    }
    put_bytes(b, "\"", 1);
}

static char *finish(text_buf *b) {
    if (b->failed) {
        free(b->s);
        return NULL;
    }
    if (!b->s) return calloc(1, 1);
    return b->s;
}

static void put_hours(text_buf *b, long long minutes) {
    put(b, ",%lld.%02lld", minutes / 60, (minutes % 60 * 100 + 30) / 60);
}

static void put_usage_row(text_buf *b, const fow_lab_usage_row *r) {
    put_field(b, r->group);
    put_bytes(b, ",", 1);
    put_field(b, r->label_en);
    put_bytes(b, ",", 1);
    put_field(b, r->lab);
    if (r->row_suppressed) {
        /* bookings, hours booked and used, no-shows, cancelled; no opening time by category */
        put(b, ",suppressed,suppressed,suppressed,suppressed,suppressed,,,suppressed,suppressed,suppressed\r\n");
        return;
    }
    put(b, ",%lld", r->bookings);
    put_hours(b, r->minutes_booked);
    put_hours(b, r->minutes_used);
    put(b, ",%lld,%lld", r->no_shows, r->cancelled);
    if (r->has_open) put_hours(b, r->minutes_open);
    else put(b, ",");
    if (r->has_open && r->minutes_open > 0) {
        long long tenths = (r->minutes_booked * 1000 + r->minutes_open / 2) / r->minutes_open;
        put(b, ",%lld.%lld", tenths / 10, tenths % 10);
    } else {
        put(b, ",");
    }
    if (r->people_suppressed) put(b, ",suppressed");
    else put(b, ",%lld", r->people);
    put(b, ",%lld,%lld\r\n", r->enterprises, r->group_seats);
}

char *fow_lab_usage_csv(const fow_lab_usage *u) {
    text_buf b = {0};
    put(&b, "group,label,lab,bookings,hours_booked,hours_used,no_shows,cancelled,hours_open,utilisation_percent,");
    put(&b, "people,enterprises,group_seats\r\n");
    for (size_t i = 0; i < u->n_rows; i++) put_usage_row(&b, &u->rows[i]);
    put_usage_row(&b, &u->total);
    return finish(&b);
}

char *fow_lab_projects_csv(const fow_lab_project *rows, size_t n) {
    text_buf b = {0};
    put(&b, "id,lab,person,enterprise_code,title,summary,outcome,label_ref,startup_ref,created_at\r\n");
    for (size_t i = 0; i < n; i++) {
        const fow_lab_project *p = &rows[i];
        put(&b, "%lld,", p->id);
        const char *fields[] = {p->lab, p->person_id, p->enterprise_code, p->title, p->summary, p->outcome,
                                p->label_ref, p->startup_ref};
        for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
            put_field(&b, fields[f]);
            put_bytes(&b, ",", 1);
        }
        put(&b, "%lld\r\n", p->created_at);
    }
    return finish(&b);
}
