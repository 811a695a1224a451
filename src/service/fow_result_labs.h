/* fow_result_labs.h — the JSON documents of the labs' usage and projects
 * (src/labs/fow_lab_usage.h), written once for the command line
 * (`fow lab usage --json`, `fow lab projects --json`) and the API
 * (GET /api/v1/lab-usage, GET/POST /api/v1/lab-projects). */
#ifndef FOW_RESULT_LABS_H
#define FOW_RESULT_LABS_H

#include <stddef.h>

#include "base/fow_jw.h"
#include "labs/fow_lab_usage.h"

/* {by, lab, resource, from, to, timezone, computed_at, threshold,
 *  source: message, method: message, suppressed_cells, columns: [...],
 *  total: row, rows: [row...]}; a row is {group, label_en, label_ro, lab,
 *  bookings, hours_booked, hours_used, no_shows, cancelled, hours_open
 *  (null by category), utilisation_percent (null when nothing was open),
 *  people: {value: n or null, suppressed, complementary}, enterprises,
 *  group_seats, suppressed}: with suppressed true (by category, a row whose
 *  people are suppressed) every figure is null. Hours have two decimals,
 *  the percent one. Cannot fail (w remembers running out of memory). */
void fow_result_lab_usage(fow_jw *w, const fow_lab_usage *u);

/* {id, lab, person (null when none), enterprise_code (null), title,
 *  summary, outcome, label_ref, startup_ref, created_at (Unix seconds)} */
void fow_result_lab_project(fow_jw *w, const fow_lab_project *p);

/* {lab (null: every lab), count, projects: [project...]} */
void fow_result_lab_projects(fow_jw *w, const char *lab, const fow_lab_project *rows, size_t n);

#endif
