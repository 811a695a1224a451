/* fow_result_labs.c — the labs' usage and projects as JSON (fow_result_labs.h). */
#include "service/fow_result_labs.h"

#include <math.h>
#include <stdio.h>

#include "base/fow_suppress.h"
#include "labs/fow_lab_time.h"
#include "service/fow_msg.h"

static const char *const usage_columns[] = {"bookings", "hours_booked", "hours_used", "no_shows", "cancelled",
                                            "hours_open", "utilisation_percent", "people", "enterprises",
                                            "group_seats"};

static void hours(fow_jw *w, const char *key, long long minutes, bool hidden) {
    fow_jw_key(w, key);
    if (hidden) fow_jw_null(w);
    else fow_jw_real(w, round((double)minutes / 60.0 * 100.0) / 100.0);
}

static void count(fow_jw *w, const char *key, long long value, bool hidden) {
    fow_jw_key(w, key);
    if (hidden) fow_jw_null(w);
    else fow_jw_int(w, value);
}

static void usage_row(fow_jw *w, const fow_lab_usage_row *r) {
    bool hidden = r->row_suppressed;
    fow_jw_object(w);
    fow_jw_kstring(w, "group", r->group);
    fow_jw_kstring(w, "label_en", r->label_en);
    fow_jw_kstring(w, "label_ro", r->label_ro);
    fow_jw_key(w, "lab");
    if (r->lab[0]) fow_jw_string(w, r->lab);
    else fow_jw_null(w);
    count(w, "bookings", r->bookings, hidden);
    hours(w, "hours_booked", r->minutes_booked, hidden);
    hours(w, "hours_used", r->minutes_used, hidden);
    count(w, "no_shows", r->no_shows, hidden);
    count(w, "cancelled", r->cancelled, hidden);
    hours(w, "hours_open", r->minutes_open, !r->has_open);
    fow_jw_key(w, "utilisation_percent");
    if (hidden || !r->has_open || r->minutes_open <= 0) fow_jw_null(w);
    else fow_jw_real(w, round(1000.0 * (double)r->minutes_booked / (double)r->minutes_open) / 10.0);
    fow_jw_key(w, "people");
    fow_jw_object(w);
    count(w, "value", r->people, r->people_suppressed);
    fow_jw_kbool(w, "suppressed", r->people_suppressed);
    fow_jw_kbool(w, "complementary", r->people_complementary);
    fow_jw_object_end(w);
    count(w, "enterprises", r->enterprises, hidden);
    count(w, "group_seats", r->group_seats, hidden);
    fow_jw_kbool(w, "suppressed", hidden);
    fow_jw_object_end(w);
}

void fow_result_lab_usage(fow_jw *w, const fow_lab_usage *u) {
    fow_jw_object(w);
    fow_jw_kstring(w, "by", fow_lab_usage_by_name(u->query.by));
    fow_jw_key(w, "lab");
    if (u->query.lab[0]) fow_jw_string(w, u->query.lab);
    else fow_jw_null(w);
    fow_jw_key(w, "resource");
    if (u->query.resource[0]) fow_jw_string(w, u->query.resource);
    else fow_jw_null(w);
    fow_jw_kstring(w, "from", u->query.from);
    fow_jw_kstring(w, "to", u->query.to);
    fow_jw_kstring(w, "timezone", FOW_LAB_TIMEZONE);
    fow_jw_kint(w, "computed_at", u->computed_at);
    fow_jw_kint(w, "threshold", FOW_SUPPRESS_K);
    fow_jw_key(w, "source");
    fow_msg_write(w, "labs.usage_source",
                  "the labs' bookings (confirmed, checked in, completed, no-show, cancelled) with the check-in and "
                  "check-out times recorded by the lab staff, and the labs' opening hours, public holidays, "
                  "closures and maintenance windows, as recorded in fow when computed",
                  NULL, 0);
    const fow_msg_param params[] = {FOW_MSG_S("from", u->query.from), FOW_MSG_S("to", u->query.to),
                                    FOW_MSG_S("timezone", FOW_LAB_TIMEZONE), FOW_MSG_I("threshold", FOW_SUPPRESS_K)};
    fow_jw_key(w, "method");
    fow_msg_write(w, "labs.usage_method",
                  "Bookings starting from {from} to {to} (local days of {timezone}), counted by the local week, "
                  "resource or price category of their start. Hours booked: the length of every booking not "
                  "cancelled. Hours used: check-in to check-out, for bookings checked out. No-shows: bookings "
                  "marked so by the staff. Hours open: each resource's lab hours on each day, less public holidays "
                  "and the closures and maintenance of the lab or the resource. Utilisation: hours booked / hours "
                  "open, in percent. People: distinct people booked (groups count their seats apart); a count of "
                  "fewer than {threshold} people is suppressed, and a second one when one alone could be recovered "
                  "from the total; by category, a suppressed row hides all its figures.",
                  params, sizeof params / sizeof params[0]);
    fow_jw_kint(w, "suppressed_cells", u->suppressed_cells);
    fow_jw_key(w, "columns");
    fow_jw_array(w);
    for (size_t i = 0; i < sizeof usage_columns / sizeof *usage_columns; i++) fow_jw_string(w, usage_columns[i]);
    fow_jw_array_end(w);
    fow_jw_key(w, "total");
    usage_row(w, &u->total);
    fow_jw_key(w, "rows");
    fow_jw_array(w);
    for (size_t i = 0; i < u->n_rows; i++) usage_row(w, &u->rows[i]);
    fow_jw_array_end(w);
    fow_jw_object_end(w);
}

static void text_or_null(fow_jw *w, const char *key, const char *value) {
    fow_jw_key(w, key);
    if (value[0]) fow_jw_string(w, value);
    else fow_jw_null(w);
}

void fow_result_lab_project(fow_jw *w, const fow_lab_project *p) {
    fow_jw_object(w);
    fow_jw_kint(w, "id", p->id);
    fow_jw_kstring(w, "lab", p->lab);
    text_or_null(w, "person", p->person_id);
    text_or_null(w, "enterprise_code", p->enterprise_code);
    fow_jw_kstring(w, "title", p->title);
    fow_jw_kstring(w, "summary", p->summary);
    fow_jw_kstring(w, "outcome", p->outcome);
    fow_jw_kstring(w, "label_ref", p->label_ref);
    fow_jw_kstring(w, "startup_ref", p->startup_ref);
    fow_jw_kint(w, "created_at", p->created_at);
    fow_jw_object_end(w);
}

void fow_result_lab_projects(fow_jw *w, const char *lab, const fow_lab_project *rows, size_t n) {
    fow_jw_object(w);
    fow_jw_key(w, "lab");
    if (lab && *lab) fow_jw_string(w, lab);
    else fow_jw_null(w);
    fow_jw_kint(w, "count", (long long)n);
    fow_jw_key(w, "projects");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) fow_result_lab_project(w, &rows[i]);
    fow_jw_array_end(w);
    fow_jw_object_end(w);
}
