/* labs_store.h — the SQL of the labs module (src/labs, issue 15): the
 * tables of migration 18 (labs, lab_resources, lab_opening_hours,
 * lab_holidays, lab_closures, lab_requirements, lab_prices, lab_projects,
 * lab_series, lab_bookings, lab_waitlist; tests/e2e/sql_owners.py). For
 * src/labs' own files only; other subjects call fow_labs.h. */
#ifndef LABS_STORE_H
#define LABS_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/fow_error.h"
#include "store/fow_db.h"

/* A public holiday: every lab is closed that day. */
typedef struct labs_holiday {
    char day[11];      /* YYYY-MM-DD */
    char name_en[121];
    char name_ro[121];
    char source[121];  /* where the day comes from, e.g. "Codul muncii, art. 139" */
} labs_holiday;

/* Writes a holiday (replacing the row of its day). FOW_EDB on failure. The
 * caller checks the day's form; the caller holds the write transaction if
 * it writes several. */
fow_code labs_store_holiday_put(fow_db *db, const labs_holiday *holiday, fow_error *err);

/* The holidays from first to last (YYYY-MM-DD, inclusive), by day, in the
 * malloc'd *out (*count of them; set to NULL, 0 first; free() it, also on
 * failure). FOW_EDB on failure. */
fow_code labs_store_holidays(fow_db *db, const char *first, const char *last, labs_holiday **out, size_t *count,
                             fow_error *err);

#endif
