/* lab_usage.c — the labs' usage and outcomes: hours booked and used,
 * no-shows, utilisation per resource and week, users by category with
 * small cells suppressed, projects (fow_lab_usage.h; docs/labs-usage.md). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fow_suppress.h"
#include "labs/fow_lab_time.h"
#include "labs/fow_lab_usage.h"
#include "labs/labs_store.h"
#include "labs/usage_store.h"

#define MAX_SPAN_DAYS 731

static const char *const by_names[] = {"week", "resource", "category"};
static const char *const categories[] = {"school", "university", "enterprise", "resident", "culturepreneur"};
static const char *const categories_en[] = {"School", "University", "Enterprise", "Resident", "Culturepreneur"};
static const char *const categories_ro[] = {"Școală", "Universitate", "Întreprindere", "Rezident", "Culturepreneur"};
#define N_CATEGORIES 5

const char *fow_lab_usage_by_name(fow_lab_usage_by by) {
    return (unsigned)by < 3 ? by_names[by] : "?";
}

int fow_lab_usage_by_parse(const char *text, fow_lab_usage_by *out) {
    for (int i = 0; i < 3; i++)
        if (text && strcmp(text, by_names[i]) == 0) {
            *out = (fow_lab_usage_by)i;
            return 0;
        }
    return -1;
}

void fow_lab_usage_free(fow_lab_usage *u) {
    if (!u) return;
    free(u->rows);
    u->rows = NULL;
    u->n_rows = 0;
}

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

/* The ISO 8601 week of the date days (since 1970-01-01) as "YYYY-Www" and
 * its Monday (days). */
static void iso_week(int64_t days, char out[9], int64_t *monday) {
    int y, m, d;
    fow_lab_date_from_days(days, &y, &m, &d);
    int weekday = fow_lab_weekday(y, m, d);
    *monday = days - (weekday - 1);
    int64_t thursday = *monday + 3;
    int ty, tm, td;
    fow_lab_date_from_days(thursday, &ty, &tm, &td);
    int64_t jan1 = fow_lab_days_from_date(ty, 1, 1);
    int week = (int)((thursday - jan1) / 7) + 1;
    snprintf(out, 9, "%04u-W%02u", (unsigned)ty % 10000u, (unsigned)week % 100u);
}

static void date_text(int64_t days, char out[11]) {
    int y, m, d;
    fow_lab_date_from_days(days, &y, &m, &d);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

/* The UTC instant of local midnight starting the date days. */
static int64_t day_start(int64_t days) {
    int y, m, d;
    fow_lab_date_from_days(days, &y, &m, &d);
    return fow_lab_day_start_utc(y, m, d);
}

/* The local date (days) of the UTC instant utc. */
static int64_t local_days(int64_t utc) {
    fow_lab_local l;
    fow_lab_utc_to_local(utc, &l, NULL);
    return fow_lab_days_from_date(l.year, l.month, l.day);
}

typedef struct span {
    int64_t from, to;
} span;

static int cmp_span(const void *a, const void *b) {
    const span *x = a, *y = b;
    return x->from < y->from ? -1 : x->from > y->from;
}

/* The minutes of [from, to) not covered by the closures of resource r (of
 * its lab or of it). scratch holds at least n_closures spans. */
static int64_t open_minutes(int64_t from, int64_t to, const usage_place *r, const usage_closure *closures,
                            size_t n_closures, span *scratch) {
    size_t n = 0;
    for (size_t i = 0; i < n_closures; i++) {
        const usage_closure *c = &closures[i];
        if (c->lab_id != r->lab_id || (c->resource_id && c->resource_id != r->id)) continue;
        if (c->starts_at >= to || c->ends_at <= from) continue;
        scratch[n].from = c->starts_at < from ? from : c->starts_at;
        scratch[n].to = c->ends_at > to ? to : c->ends_at;
        n++;
    }
    if (n > 1) qsort(scratch, n, sizeof *scratch, cmp_span);
    int64_t closed = 0, reach = from;
    for (size_t i = 0; i < n; i++) {
        int64_t s = scratch[i].from > reach ? scratch[i].from : reach;
        if (scratch[i].to > s) closed += scratch[i].to - s;
        if (scratch[i].to > reach) reach = scratch[i].to;
    }
    return (to - from - closed) / 60;
}

/* A (row, key) pair for counting distinct people or enterprises. */
typedef struct row_key {
    size_t row; /* SIZE_MAX: the total */
    char key[32];
} row_key;

static int cmp_row_key(const void *a, const void *b) {
    const row_key *x = a, *y = b;
    if (x->row != y->row) return x->row < y->row ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* Counts the distinct keys per row into people (or enterprises) of the rows. */
static void count_distinct(row_key *keys, size_t n, fow_lab_usage *u, bool people) {
    if (n > 1) qsort(keys, n, sizeof *keys, cmp_row_key);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && cmp_row_key(&keys[i - 1], &keys[i]) == 0) continue;
        fow_lab_usage_row *r = keys[i].row == SIZE_MAX ? &u->total : &u->rows[keys[i].row];
        if (people) r->people++;
        else r->enterprises++;
    }
}

/* The row of a week key among rows[0..n), or SIZE_MAX. */
static size_t row_of_group(const fow_lab_usage *u, const char *group) {
    for (size_t i = 0; i < u->n_rows; i++)
        if (strcmp(u->rows[i].group, group) == 0) return i;
    return SIZE_MAX;
}

static fow_code check_query(fow_db *db, const fow_lab_usage_query *q, usage_place *lab, usage_place *resource,
                            fow_lab_local *from, fow_lab_local *to, fow_error *err) {
    if ((unsigned)q->by > FOW_LAB_USAGE_BY_CATEGORY)
        return field_error(err, FOW_EINPUT, "by", "by must be week, resource or category");
    fow_code rc = fow_lab_parse_date(q->from, "from", from, err);
    if (!rc) rc = fow_lab_parse_date(q->to, "to", to, err);
    if (rc) return rc;
    int64_t first = fow_lab_days_from_date(from->year, from->month, from->day);
    int64_t last = fow_lab_days_from_date(to->year, to->month, to->day);
    if (last < first) return field_error(err, FOW_EINPUT, "to", "to (%s) is before from (%s)", q->to, q->from);
    if (last - first + 1 > MAX_SPAN_DAYS)
        return field_error(err, FOW_EINPUT, "to", "the period is %lld days long; at most %d days at once",
                           (long long)(last - first + 1), MAX_SPAN_DAYS);
    bool found = true;
    memset(lab, 0, sizeof *lab);
    memset(resource, 0, sizeof *resource);
    if (q->lab[0]) {
        if ((rc = usage_store_lab(db, q->lab, lab, &found, err))) return rc;
        if (!found) return field_error(err, FOW_ENOTFOUND, "lab", "no lab has the code '%s'", q->lab);
    }
    if (q->resource[0]) {
        if ((rc = usage_store_resource(db, q->resource, resource, &found, err))) return rc;
        if (!found)
            return field_error(err, FOW_ENOTFOUND, "resource", "no lab resource has the code '%s'", q->resource);
        if (q->lab[0] && resource->lab_id != lab->id)
            return field_error(err, FOW_EINPUT, "resource", "the resource '%s' is not in the lab '%s' but in '%s'",
                               q->resource, q->lab, resource->lab_code);
    }
    return FOW_OK;
}

/* Fills the open minutes of every (resource, day) into the rows. */
static fow_code add_open_time(fow_db *db, fow_lab_usage *u, const usage_place *resources, size_t n_resources,
                              int64_t first, int64_t last, fow_error *err) {
    usage_hours *hours = NULL;
    size_t n_hours = 0;
    usage_closure *closures = NULL;
    size_t n_closures = 0;
    labs_holiday *holidays = NULL;
    size_t n_holidays = 0;
    span *scratch = NULL;
    char first_text[11], last_text[11];
    date_text(first, first_text);
    date_text(last, last_text);
    int64_t from_utc = day_start(first), to_utc = day_start(last + 1);
    fow_code rc = usage_store_hours(db, &hours, &n_hours, err);
    if (!rc) rc = usage_store_closures(db, from_utc, to_utc, &closures, &n_closures, err);
    if (!rc) rc = labs_store_holidays(db, first_text, last_text, &holidays, &n_holidays, err);
    if (!rc && n_closures && !(scratch = malloc(n_closures * sizeof *scratch)))
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory computing the opening time");
    for (int64_t day = first; !rc && day <= last; day++) {
        char text[11];
        date_text(day, text);
        bool holiday = false;
        for (size_t h = 0; h < n_holidays && !holiday; h++) holiday = strcmp(holidays[h].day, text) == 0;
        if (holiday) continue;
        int y, m, d;
        fow_lab_date_from_days(day, &y, &m, &d);
        int weekday = fow_lab_weekday(y, m, d);
        char week[9];
        int64_t monday;
        iso_week(day, week, &monday);
        size_t week_row = u->query.by == FOW_LAB_USAGE_BY_WEEK ? row_of_group(u, week) : SIZE_MAX;
        for (size_t ri = 0; ri < n_resources; ri++) {
            const usage_place *r = &resources[ri];
            int64_t minutes = 0;
            for (size_t h = 0; h < n_hours; h++) {
                if (hours[h].lab_id != r->lab_id || hours[h].weekday != weekday) continue;
                fow_lab_local open = {y, m, d, hours[h].opens_minute / 60, hours[h].opens_minute % 60};
                int64_t s = 0, e = 0;
                fow_error skipped; /* a time the clocks skip: taken as that many minutes after midnight */
                if (fow_lab_local_to_utc(&open, "opens", &s, &skipped)) s = fow_lab_day_start_utc(y, m, d) +
                                                                        hours[h].opens_minute * 60;
                if (hours[h].closes_minute >= 1440) {
                    e = day_start(day + 1);
                } else {
                    fow_lab_local close = {y, m, d, hours[h].closes_minute / 60, hours[h].closes_minute % 60};
                    if (fow_lab_local_to_utc(&close, "closes", &e, &skipped))
                        e = fow_lab_day_start_utc(y, m, d) + hours[h].closes_minute * 60;
                }
                if (e > s) minutes += open_minutes(s, e, r, closures, n_closures, scratch);
            }
            u->total.minutes_open += minutes;
            if (u->query.by == FOW_LAB_USAGE_BY_WEEK && week_row != SIZE_MAX) u->rows[week_row].minutes_open += minutes;
            if (u->query.by == FOW_LAB_USAGE_BY_RESOURCE) u->rows[ri].minutes_open += minutes;
        }
    }
    free(scratch);
    free(holidays);
    free(closures);
    free(hours);
    return rc;
}

/* The rows of the breakdown, empty, in their order. */
static fow_code make_rows(fow_lab_usage *u, const usage_place *resources, size_t n_resources, int64_t first,
                          int64_t last, fow_error *err) {
    size_t n = u->query.by == FOW_LAB_USAGE_BY_RESOURCE   ? n_resources
               : u->query.by == FOW_LAB_USAGE_BY_CATEGORY ? N_CATEGORIES
                                                           : (size_t)((last - first) / 7 + 2);
    u->rows = n ? calloc(n, sizeof *u->rows) : NULL;
    if (n && !u->rows) return fow_error_set(err, FOW_ENOMEM, "out of memory computing the lab usage");
    if (u->query.by == FOW_LAB_USAGE_BY_RESOURCE) {
        for (size_t i = 0; i < n_resources; i++) {
            fow_lab_usage_row *r = &u->rows[i];
            snprintf(r->group, sizeof r->group, "%s", resources[i].code);
            snprintf(r->label_en, sizeof r->label_en, "%s", resources[i].name_en);
            snprintf(r->label_ro, sizeof r->label_ro, "%s", resources[i].name_ro);
            snprintf(r->lab, sizeof r->lab, "%s", resources[i].lab_code);
            r->has_open = true;
        }
        u->n_rows = n_resources;
    } else if (u->query.by == FOW_LAB_USAGE_BY_CATEGORY) {
        for (size_t i = 0; i < N_CATEGORIES; i++) {
            fow_lab_usage_row *r = &u->rows[i];
            snprintf(r->group, sizeof r->group, "%s", categories[i]);
            snprintf(r->label_en, sizeof r->label_en, "%s", categories_en[i]);
            snprintf(r->label_ro, sizeof r->label_ro, "%s", categories_ro[i]);
        }
        u->n_rows = N_CATEGORIES;
    } else {
        for (int64_t day = first; day <= last; day++) {
            char week[9], monday_text[11], sunday_text[11];
            int64_t monday;
            iso_week(day, week, &monday);
            if (u->n_rows && strcmp(u->rows[u->n_rows - 1].group, week) == 0) continue;
            fow_lab_usage_row *r = &u->rows[u->n_rows++];
            date_text(monday, monday_text);
            date_text(monday + 6, sunday_text);
            snprintf(r->group, sizeof r->group, "%s", week);
            snprintf(r->label_en, sizeof r->label_en, "%s (%s to %s)", week, monday_text, sunday_text);
            snprintf(r->label_ro, sizeof r->label_ro, "%s (%s – %s)", week, monday_text, sunday_text);
            r->has_open = true;
        }
    }
    u->total.has_open = true;
    snprintf(u->total.group, sizeof u->total.group, "total");
    snprintf(u->total.label_en, sizeof u->total.label_en, "Total");
    snprintf(u->total.label_ro, sizeof u->total.label_ro, "Total");
    return FOW_OK;
}

/* The row of booking b, or SIZE_MAX. */
static size_t row_of_booking(const fow_lab_usage *u, const usage_booking *b, const usage_place *resources,
                             size_t n_resources) {
    if (u->query.by == FOW_LAB_USAGE_BY_RESOURCE) {
        for (size_t i = 0; i < n_resources; i++)
            if (resources[i].id == b->resource_id) return i;
        return SIZE_MAX;
    }
    if (u->query.by == FOW_LAB_USAGE_BY_CATEGORY) {
        for (size_t i = 0; i < N_CATEGORIES; i++)
            if (strcmp(categories[i], b->category) == 0) return i;
        return SIZE_MAX;
    }
    char week[9];
    int64_t monday;
    iso_week(local_days(b->starts_at), week, &monday);
    return row_of_group(u, week);
}

static void add_booking(fow_lab_usage_row *r, const usage_booking *b) {
    if (strcmp(b->status, "cancelled") == 0) {
        r->cancelled++;
        return;
    }
    r->bookings++;
    r->minutes_booked += (b->ends_at - b->starts_at) / 60;
    if (strcmp(b->status, "no_show") == 0) r->no_shows++;
    if (b->checked_in_at > 0 && b->checked_out_at > b->checked_in_at)
        r->minutes_used += (b->checked_out_at - b->checked_in_at) / 60;
    if (b->group_name[0]) r->group_seats += b->group_size;
}

/* Primary and complementary suppression of the people column; by
 * category, every figure of a row whose people are hidden. */
static fow_code suppress(fow_lab_usage *u, fow_error *err) {
    u->total.people_suppressed = fow_suppress_small(u->total.people);
    for (size_t i = 0; i < u->n_rows; i++) u->rows[i].people_suppressed = fow_suppress_small(u->rows[i].people);
    fow_suppress_cell *cells = u->n_rows ? calloc(u->n_rows, sizeof *cells) : NULL;
    if (u->n_rows && !cells) return fow_error_set(err, FOW_ENOMEM, "out of memory suppressing small cells");
    for (size_t i = 0; i < u->n_rows; i++)
        cells[i] = (fow_suppress_cell){.value = u->rows[i].people, .suppressed = &u->rows[i].people_suppressed,
                                       .complementary = &u->rows[i].people_complementary};
    fow_suppress_complement(cells, u->n_rows, u->total.people_suppressed);
    free(cells);
    u->suppressed_cells = u->total.people_suppressed;
    for (size_t i = 0; i < u->n_rows; i++) {
        fow_lab_usage_row *r = &u->rows[i];
        u->suppressed_cells += r->people_suppressed;
        if (u->query.by == FOW_LAB_USAGE_BY_CATEGORY && r->people_suppressed) {
            r->row_suppressed = true;
            u->suppressed_cells += 7; /* bookings, hours booked and used, no-shows, cancelled, enterprises, seats */
        }
    }
    return FOW_OK;
}

fow_code fow_lab_usage_compute(fow_db *db, const fow_lab_usage_query *q, long long now, fow_lab_usage *out,
                               fow_error *err) {
    memset(out, 0, sizeof *out);
    out->query = *q;
    out->computed_at = now;
    usage_place lab, resource;
    fow_lab_local from, to;
    fow_code rc = check_query(db, q, &lab, &resource, &from, &to, err);
    if (rc) return rc;
    int64_t first = fow_lab_days_from_date(from.year, from.month, from.day);
    int64_t last = fow_lab_days_from_date(to.year, to.month, to.day);
    usage_place *resources = NULL;
    size_t n_resources = 0;
    usage_booking *bookings = NULL;
    size_t n_bookings = 0;
    row_key *people = NULL, *enterprises = NULL;
    size_t n_people = 0, n_enterprises = 0;
    rc = usage_store_resources(db, lab.id, &resources, &n_resources, err);
    if (!rc && q->resource[0]) { /* keep the one resource asked for */
        size_t kept = 0;
        for (size_t i = 0; i < n_resources; i++)
            if (resources[i].id == resource.id) resources[kept++] = resources[i];
        n_resources = kept;
    }
    if (!rc) rc = make_rows(out, resources, n_resources, first, last, err);
    if (!rc) rc = add_open_time(db, out, resources, n_resources, first, last, err);
    usage_booking_filter f = {.lab_id = lab.id, .resource_id = resource.id,
                              .starts_from = day_start(first),
                              .starts_before = day_start(last + 1)};
    if (!rc) rc = usage_store_bookings(db, &f, &bookings, &n_bookings, err);
    if (!rc && n_bookings && (!(people = calloc(2 * n_bookings, sizeof *people)) ||
                              !(enterprises = calloc(2 * n_bookings, sizeof *enterprises))))
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory computing the lab usage");
    for (size_t i = 0; !rc && i < n_bookings; i++) {
        const usage_booking *b = &bookings[i];
        size_t row = row_of_booking(out, b, resources, n_resources);
        add_booking(&out->total, b);
        if (row != SIZE_MAX) add_booking(&out->rows[row], b);
        if (strcmp(b->status, "cancelled") == 0) continue;
        for (int k = 0; k < 2; k++) {
            size_t at = k == 0 ? SIZE_MAX : row;
            if (k == 1 && row == SIZE_MAX) break;
            if (b->person_id[0]) {
                people[n_people].row = at;
                snprintf(people[n_people++].key, sizeof people->key, "%s", b->person_id);
            }
            if (b->enterprise_code[0]) {
                enterprises[n_enterprises].row = at;
                snprintf(enterprises[n_enterprises++].key, sizeof enterprises->key, "%s", b->enterprise_code);
            }
        }
    }
    if (!rc) {
        count_distinct(people, n_people, out, true);
        count_distinct(enterprises, n_enterprises, out, false);
        rc = suppress(out, err);
    }
    free(people);
    free(enterprises);
    free(bookings);
    free(resources);
    if (rc) fow_lab_usage_free(out);
    return rc;
}
