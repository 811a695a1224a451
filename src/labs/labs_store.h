/* labs_store.h — the SQL of the labs module (src/labs, issue 15): the
 * tables of migration 18 (labs, lab_resources, lab_opening_hours,
 * lab_holidays, lab_closures, lab_requirements, lab_prices, lab_projects,
 * lab_series, lab_bookings, lab_waitlist; tests/e2e/sql_owners.py). For
 * src/labs' own files only; other subjects call fow_labs.h. Callers check
 * values and hold the write transaction (fow_db_begin) when they write
 * several rows. Every function returns FOW_EDB naming what failed. */
#ifndef LABS_STORE_H
#define LABS_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/fow_error.h"
#include "labs/fow_labs.h"
#include "store/fow_db.h"

/* kept for the code of main that named it so */
typedef fow_lab_holiday labs_holiday;

/* ---- a savepoint inside the caller's transaction ---- */
fow_code labs_store_savepoint(fow_db *db, fow_error *err);
fow_code labs_store_savepoint_release(fow_db *db, fow_error *err);
void labs_store_savepoint_rollback(fow_db *db);

/* ---- labs ---- */
fow_code labs_store_lab_insert(fow_db *db, const fow_lab *lab, int64_t *id, fow_error *err);
fow_code labs_store_lab_update(fow_db *db, const fow_lab *lab, fow_error *err);
/* by code (code not NULL) or else by id; *found */
fow_code labs_store_lab_get(fow_db *db, const char *code, int64_t id, fow_lab *out, bool *found, fow_error *err);
fow_code labs_store_labs(fow_db *db, fow_lab **out, size_t *n, fow_error *err);

/* ---- resources ---- */
fow_code labs_store_resource_insert(fow_db *db, const fow_lab_resource *r, int64_t *id, fow_error *err);
fow_code labs_store_resource_update(fow_db *db, const fow_lab_resource *r, fow_error *err);
fow_code labs_store_resource_get(fow_db *db, const char *code, int64_t id, fow_lab_resource *out, bool *found,
                                 fow_error *err);
/* lab_id 0: every lab's */
fow_code labs_store_resources(fow_db *db, int64_t lab_id, fow_lab_resource **out, size_t *n, fow_error *err);

/* ---- opening hours ---- */
fow_code labs_store_hours_delete(fow_db *db, int64_t lab_id, fow_error *err);
fow_code labs_store_hours_insert(fow_db *db, int64_t lab_id, const fow_lab_hours *h, fow_error *err);
fow_code labs_store_hours(fow_db *db, int64_t lab_id, fow_lab_hours **out, size_t *n, fow_error *err);

/* ---- holidays ---- */
/* Writes a holiday (replacing the row of its day). */
fow_code labs_store_holiday_put(fow_db *db, const fow_lab_holiday *holiday, fow_error *err);
/* The holidays from first to last (YYYY-MM-DD, inclusive), by day, in the
 * malloc'd *out (*count of them; set to NULL, 0 first; free() it, also on
 * failure). */
fow_code labs_store_holidays(fow_db *db, const char *first, const char *last, fow_lab_holiday **out, size_t *count,
                             fow_error *err);

/* ---- closures ---- */
fow_code labs_store_closure_insert(fow_db *db, const fow_lab_closure *c, int64_t *id, fow_error *err);
/* *deleted: whether a row was there */
fow_code labs_store_closure_delete(fow_db *db, int64_t id, bool *deleted, fow_error *err);
fow_code labs_store_closures(fow_db *db, int64_t lab_id, int64_t resource_id, int64_t from, int64_t to,
                             fow_lab_closure **out, size_t *n, fow_error *err);

/* ---- requirements ---- */
fow_code labs_store_requirements_delete(fow_db *db, int64_t resource_id, fow_error *err);
fow_code labs_store_requirement_insert(fow_db *db, int64_t resource_id, const fow_lab_requirement *r,
                                       fow_error *err);
/* kind and ref only (titles empty) */
fow_code labs_store_requirements(fow_db *db, int64_t resource_id, fow_lab_requirement **out, size_t *n,
                                 fow_error *err);

/* ---- prices ---- */
fow_code labs_store_prices_delete(fow_db *db, int64_t resource_id, fow_error *err);
fow_code labs_store_price_insert(fow_db *db, int64_t resource_id, const fow_lab_price *p, fow_error *err);
fow_code labs_store_prices(fow_db *db, int64_t resource_id, fow_lab_price **out, size_t *n, fow_error *err);

#endif
