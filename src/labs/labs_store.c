/* labs_store.c — the SQL of the labs catalogue (labs_store.h). */
#include "labs/labs_store.h"

#include <stdio.h>
#include <string.h>

#include "store/fow_db_args.h"

/* ---- savepoints ------------------------------------------------------------ */

fow_code labs_store_savepoint(fow_db *db, fow_error *err)
{
    return fow_db_exec(db, "SAVEPOINT lab_write", err);
}

fow_code labs_store_savepoint_release(fow_db *db, fow_error *err)
{
    return fow_db_exec(db, "RELEASE lab_write", err);
}

void labs_store_savepoint_rollback(fow_db *db)
{
    fow_db_exec(db, "ROLLBACK TO lab_write; RELEASE lab_write", NULL);
}

/* ---- labs ---------------------------------------------------------------- */

#define LAB_COLUMNS                                                                                               \
    "SELECT id, code, name_en, name_ro, description_en, description_ro, address, timezone, provider_id,"         \
    " cancel_deadline_hours, late_cancel_fee_percent, offer_hours, created_at, updated_at FROM labs "

/* The members of LAB_COLUMNS, in its order. */
#define LAB(member) FOW_DB_COLUMN(fow_lab, member)
static const fow_db_column LAB_READ[] = {
    LAB(id), LAB(code), LAB(name_en), LAB(name_ro), LAB(description_en), LAB(description_ro), LAB(address),
    LAB(timezone), LAB(provider_id), LAB(cancel_deadline_hours), LAB(late_cancel_fee_percent), LAB(offer_hours),
    LAB(created_at), LAB(updated_at),
};

static void read_lab(sqlite3_stmt *st, void *item)
{
    memset(item, 0, sizeof(fow_lab));
    fow_db_read_columns(st, FOW_DB_COLUMNS(LAB_READ), item);
}

fow_code labs_store_lab_insert(fow_db *db, const fow_lab *lab, int64_t *id, fow_error *err)
{
    return fow_db_insert(db,
                         "INSERT INTO labs (code, name_en, name_ro, description_en, description_ro, address, timezone,"
                         " provider_id, cancel_deadline_hours, late_cancel_fee_percent, offer_hours, created_at,"
                         " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULLIF(?8, 0), ?9, ?10, ?11, ?12, ?12)",
                         FOW_DB_ARGS(FOW_ARG_TEXT(lab->code), FOW_ARG_TEXT(lab->name_en), FOW_ARG_TEXT(lab->name_ro),
                                     FOW_ARG_TEXT(lab->description_en), FOW_ARG_TEXT(lab->description_ro),
                                     FOW_ARG_TEXT(lab->address), FOW_ARG_TEXT(lab->timezone),
                                     FOW_ARG_INT(lab->provider_id), FOW_ARG_INT(lab->cancel_deadline_hours),
                                     FOW_ARG_INT(lab->late_cancel_fee_percent), FOW_ARG_INT(lab->offer_hours),
                                     FOW_ARG_INT(lab->created_at)),
                         "adding a lab", id, err);
}

fow_code labs_store_lab_update(fow_db *db, const fow_lab *lab, fow_error *err)
{
    return fow_db_run(db,
                      "UPDATE labs SET name_en = ?2, name_ro = ?3, description_en = ?4, description_ro = ?5,"
                      " address = ?6, provider_id = NULLIF(?7, 0), cancel_deadline_hours = ?8,"
                      " late_cancel_fee_percent = ?9, offer_hours = ?10, updated_at = ?11 WHERE id = ?1",
                      FOW_DB_ARGS(FOW_ARG_INT(lab->id), FOW_ARG_TEXT(lab->name_en), FOW_ARG_TEXT(lab->name_ro),
                                  FOW_ARG_TEXT(lab->description_en), FOW_ARG_TEXT(lab->description_ro),
                                  FOW_ARG_TEXT(lab->address), FOW_ARG_INT(lab->provider_id),
                                  FOW_ARG_INT(lab->cancel_deadline_hours), FOW_ARG_INT(lab->late_cancel_fee_percent),
                                  FOW_ARG_INT(lab->offer_hours), FOW_ARG_INT(lab->updated_at)),
                      "changing a lab", err);
}

fow_code labs_store_lab_get(fow_db *db, const char *code, int64_t id, fow_lab *out, bool *found, fow_error *err)
{
    if (code)
        return fow_db_row(db, LAB_COLUMNS "WHERE code = ?1", FOW_DB_ARGS(FOW_ARG_TEXT(code)), read_lab, out, found,
                          "reading a lab", err);
    return fow_db_row(db, LAB_COLUMNS "WHERE id = ?1", FOW_DB_ARGS(FOW_ARG_INT(id)), read_lab, out, found,
                      "reading a lab", err);
}

fow_code labs_store_labs(fow_db *db, fow_lab **out, size_t *n, fow_error *err)
{
    return fow_db_rows(db, LAB_COLUMNS "WHERE ?1 = ?1 ORDER BY code", FOW_DB_ARGS(FOW_ARG_INT(0)), read_lab,
                       (void **)out, n, sizeof **out, "listing the labs", err);
}

/* ---- resources ------------------------------------------------------------ */

#define RESOURCE_COLUMNS                                                                                          \
    "SELECT r.id, r.lab_id, l.code, r.code, r.kind, r.name_en, r.name_ro, r.description_en, r.description_ro,"    \
    " r.safety_en, r.safety_ro, r.photo, r.capacity, r.slot_minutes, r.max_slots, r.active, r.created_at,"        \
    " r.updated_at FROM lab_resources r JOIN labs l ON l.id = r.lab_id "

/* The members of RESOURCE_COLUMNS, in its order (the kind from its name). */
#define RESOURCE(member) FOW_DB_COLUMN(fow_lab_resource, member)
static const fow_db_column RESOURCE_READ[] = {
    RESOURCE(id), RESOURCE(lab_id), RESOURCE(lab_code), RESOURCE(code), FOW_DB_COLUMN_NONE, RESOURCE(name_en),
    RESOURCE(name_ro), RESOURCE(description_en), RESOURCE(description_ro), RESOURCE(safety_en), RESOURCE(safety_ro),
    RESOURCE(photo), RESOURCE(capacity), RESOURCE(slot_minutes), RESOURCE(max_slots), RESOURCE(active),
    RESOURCE(created_at), RESOURCE(updated_at),
};

static void read_resource(sqlite3_stmt *st, void *item)
{
    fow_lab_resource *r = item;
    memset(r, 0, sizeof *r);
    fow_db_read_columns(st, FOW_DB_COLUMNS(RESOURCE_READ), r);
    r->kind = strcmp(fow_db_column_text(st, 4), "space") == 0 ? FOW_LAB_SPACE : FOW_LAB_MACHINE;
}

fow_code labs_store_resource_insert(fow_db *db, const fow_lab_resource *r, int64_t *id, fow_error *err)
{
    return fow_db_insert(
        db,
        "INSERT INTO lab_resources (lab_id, code, kind, name_en, name_ro, description_en, description_ro, safety_en,"
        " safety_ro, photo, capacity, slot_minutes, max_slots, active, created_at, updated_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
        FOW_DB_ARGS(FOW_ARG_INT(r->lab_id), FOW_ARG_TEXT(r->code), FOW_ARG_TEXT(fow_lab_resource_kind_name(r->kind)),
                    FOW_ARG_TEXT(r->name_en), FOW_ARG_TEXT(r->name_ro), FOW_ARG_TEXT(r->description_en),
                    FOW_ARG_TEXT(r->description_ro), FOW_ARG_TEXT(r->safety_en), FOW_ARG_TEXT(r->safety_ro),
                    FOW_ARG_TEXT(r->photo), FOW_ARG_INT(r->capacity), FOW_ARG_INT(r->slot_minutes),
                    FOW_ARG_INT(r->max_slots), FOW_ARG_INT(r->active ? 1 : 0), FOW_ARG_INT(r->created_at)),
        "adding a lab resource", id, err);
}

fow_code labs_store_resource_update(fow_db *db, const fow_lab_resource *r, fow_error *err)
{
    return fow_db_run(
        db,
        "UPDATE lab_resources SET kind = ?2, name_en = ?3, name_ro = ?4, description_en = ?5, description_ro = ?6,"
        " safety_en = ?7, safety_ro = ?8, photo = ?9, capacity = ?10, slot_minutes = ?11, max_slots = ?12,"
        " active = ?13, updated_at = ?14 WHERE id = ?1",
        FOW_DB_ARGS(FOW_ARG_INT(r->id), FOW_ARG_TEXT(fow_lab_resource_kind_name(r->kind)), FOW_ARG_TEXT(r->name_en),
                    FOW_ARG_TEXT(r->name_ro), FOW_ARG_TEXT(r->description_en), FOW_ARG_TEXT(r->description_ro),
                    FOW_ARG_TEXT(r->safety_en), FOW_ARG_TEXT(r->safety_ro), FOW_ARG_TEXT(r->photo),
                    FOW_ARG_INT(r->capacity), FOW_ARG_INT(r->slot_minutes), FOW_ARG_INT(r->max_slots),
                    FOW_ARG_INT(r->active ? 1 : 0), FOW_ARG_INT(r->updated_at)),
        "changing a lab resource", err);
}

fow_code labs_store_resource_get(fow_db *db, const char *code, int64_t id, fow_lab_resource *out, bool *found,
                                 fow_error *err)
{
    if (code)
        return fow_db_row(db, RESOURCE_COLUMNS "WHERE r.code = ?1", FOW_DB_ARGS(FOW_ARG_TEXT(code)), read_resource,
                          out, found, "reading a lab resource", err);
    return fow_db_row(db, RESOURCE_COLUMNS "WHERE r.id = ?1", FOW_DB_ARGS(FOW_ARG_INT(id)), read_resource, out, found,
                      "reading a lab resource", err);
}

fow_code labs_store_resources(fow_db *db, int64_t lab_id, fow_lab_resource **out, size_t *n, fow_error *err)
{
    return fow_db_rows(db, RESOURCE_COLUMNS "WHERE ?1 = 0 OR r.lab_id = ?1 ORDER BY l.code, r.code",
                       FOW_DB_ARGS(FOW_ARG_INT(lab_id)), read_resource, (void **)out, n, sizeof **out,
                       "listing lab resources", err);
}

/* ---- opening hours -------------------------------------------------------- */

fow_code labs_store_hours_delete(fow_db *db, int64_t lab_id, fow_error *err)
{
    return fow_db_run(db, "DELETE FROM lab_opening_hours WHERE lab_id = ?1", FOW_DB_ARGS(FOW_ARG_INT(lab_id)),
                      "clearing a lab's opening hours", err);
}

fow_code labs_store_hours_insert(fow_db *db, int64_t lab_id, const fow_lab_hours *h, fow_error *err)
{
    return fow_db_run(db,
                      "INSERT INTO lab_opening_hours (lab_id, weekday, opens_minute, closes_minute)"
                      " VALUES (?1, ?2, ?3, ?4)",
                      FOW_DB_ARGS(FOW_ARG_INT(lab_id), FOW_ARG_INT(h->weekday), FOW_ARG_INT(h->opens_minute),
                                  FOW_ARG_INT(h->closes_minute)),
                      "writing a lab's opening hours", err);
}

static const fow_db_column HOURS_READ[] = {
    FOW_DB_COLUMN(fow_lab_hours, weekday), FOW_DB_COLUMN(fow_lab_hours, opens_minute),
    FOW_DB_COLUMN(fow_lab_hours, closes_minute),
};

static void read_hours(sqlite3_stmt *st, void *item)
{
    fow_db_read_columns(st, FOW_DB_COLUMNS(HOURS_READ), item);
}

fow_code labs_store_hours(fow_db *db, int64_t lab_id, fow_lab_hours **out, size_t *n, fow_error *err)
{
    return fow_db_rows(db,
                       "SELECT weekday, opens_minute, closes_minute FROM lab_opening_hours WHERE lab_id = ?1"
                       " ORDER BY weekday, opens_minute",
                       FOW_DB_ARGS(FOW_ARG_INT(lab_id)), read_hours, (void **)out, n, sizeof **out,
                       "reading a lab's opening hours", err);
}

/* ---- holidays --------------------------------------------------------------- */

fow_code labs_store_holiday_put(fow_db *db, const fow_lab_holiday *holiday, fow_error *err)
{
    return fow_db_run(db,
                      "INSERT INTO lab_holidays (day, name_en, name_ro, source) VALUES (?1, ?2, ?3, ?4)"
                      " ON CONFLICT (day) DO UPDATE SET name_en = excluded.name_en, name_ro = excluded.name_ro,"
                      " source = excluded.source",
                      FOW_DB_ARGS(FOW_ARG_TEXT(holiday->day), FOW_ARG_TEXT(holiday->name_en),
                                  FOW_ARG_TEXT(holiday->name_ro), FOW_ARG_TEXT(holiday->source)),
                      "writing a public holiday", err);
}

static const fow_db_column HOLIDAY_READ[] = {
    FOW_DB_COLUMN(fow_lab_holiday, day), FOW_DB_COLUMN(fow_lab_holiday, name_en),
    FOW_DB_COLUMN(fow_lab_holiday, name_ro), FOW_DB_COLUMN(fow_lab_holiday, source),
};

static void read_holiday(sqlite3_stmt *st, void *item)
{
    fow_db_read_columns(st, FOW_DB_COLUMNS(HOLIDAY_READ), item);
}

fow_code labs_store_holidays(fow_db *db, const char *first, const char *last, fow_lab_holiday **out, size_t *count,
                             fow_error *err)
{
    return fow_db_rows(db,
                       "SELECT day, name_en, name_ro, source FROM lab_holidays WHERE day BETWEEN ?1 AND ?2"
                       " ORDER BY day",
                       FOW_DB_ARGS(FOW_ARG_TEXT(first), FOW_ARG_TEXT(last)), read_holiday, (void **)out, count,
                       sizeof **out, "reading the public holidays", err);
}

/* ---- closures --------------------------------------------------------------- */

fow_code labs_store_closure_insert(fow_db *db, const fow_lab_closure *c, int64_t *id, fow_error *err)
{
    return fow_db_insert(db,
                         "INSERT INTO lab_closures (lab_id, resource_id, kind, starts_at, ends_at, reason, created_at,"
                         " created_by) VALUES (?1, NULLIF(?2, 0), ?3, ?4, ?5, ?6, ?7, ?8)",
                         FOW_DB_ARGS(FOW_ARG_INT(c->lab_id), FOW_ARG_INT(c->resource_id),
                                     FOW_ARG_TEXT(fow_lab_closure_kind_name(c->kind)), FOW_ARG_INT(c->starts_at),
                                     FOW_ARG_INT(c->ends_at), FOW_ARG_TEXT(c->reason), FOW_ARG_INT(c->created_at),
                                     FOW_ARG_TEXT(c->created_by)),
                         "adding a lab closure", id, err);
}

fow_code labs_store_closure_delete(fow_db *db, int64_t id, bool *deleted, fow_error *err)
{
    fow_code rc = fow_db_run(db, "DELETE FROM lab_closures WHERE id = ?1", FOW_DB_ARGS(FOW_ARG_INT(id)),
                             "deleting a lab closure", err);
    if (rc == FOW_OK)
        *deleted = fow_db_changes(db) > 0;
    return rc;
}

/* In the order of labs_store_closures' columns (the kind from its name). */
#define CLOSURE(member) FOW_DB_COLUMN(fow_lab_closure, member)
static const fow_db_column CLOSURE_READ[] = {
    CLOSURE(id), CLOSURE(lab_id), CLOSURE(resource_id), CLOSURE(resource_code), FOW_DB_COLUMN_NONE,
    CLOSURE(starts_at), CLOSURE(ends_at), CLOSURE(reason), CLOSURE(created_at), CLOSURE(created_by),
};

static void read_closure(sqlite3_stmt *st, void *item)
{
    fow_lab_closure *c = item;
    memset(c, 0, sizeof *c);
    fow_db_read_columns(st, FOW_DB_COLUMNS(CLOSURE_READ), c);
    c->kind = strcmp(fow_db_column_text(st, 4), "maintenance") == 0 ? FOW_LAB_MAINTENANCE : FOW_LAB_CLOSURE;
}

fow_code labs_store_closures(fow_db *db, int64_t lab_id, int64_t resource_id, int64_t from, int64_t to,
                             fow_lab_closure **out, size_t *n, fow_error *err)
{
    return fow_db_rows(db,
                       "SELECT c.id, c.lab_id, coalesce(c.resource_id, 0), coalesce(r.code, ''), c.kind, c.starts_at,"
                       " c.ends_at, c.reason, c.created_at, c.created_by FROM lab_closures c"
                       " LEFT JOIN lab_resources r ON r.id = c.resource_id"
                       " WHERE c.lab_id = ?1 AND c.starts_at < ?4 AND c.ends_at > ?3"
                       " AND (?2 = 0 OR c.resource_id IS NULL OR c.resource_id = ?2) ORDER BY c.starts_at, c.id",
                       FOW_DB_ARGS(FOW_ARG_INT(lab_id), FOW_ARG_INT(resource_id), FOW_ARG_INT(from), FOW_ARG_INT(to)),
                       read_closure, (void **)out, n, sizeof **out, "listing lab closures", err);
}

/* ---- requirements ----------------------------------------------------------- */

fow_code labs_store_requirements_delete(fow_db *db, int64_t resource_id, fow_error *err)
{
    return fow_db_run(db, "DELETE FROM lab_requirements WHERE resource_id = ?1", FOW_DB_ARGS(FOW_ARG_INT(resource_id)),
                      "clearing a resource's requirements", err);
}

fow_code labs_store_requirement_insert(fow_db *db, int64_t resource_id, const fow_lab_requirement *r, fow_error *err)
{
    return fow_db_run(db, "INSERT INTO lab_requirements (resource_id, kind, ref) VALUES (?1, ?2, ?3)",
                      FOW_DB_ARGS(FOW_ARG_INT(resource_id), FOW_ARG_TEXT(fow_lab_requirement_kind_name(r->kind)),
                                  FOW_ARG_TEXT(r->ref)),
                      "writing a resource's requirement", err);
}

static void read_requirement(sqlite3_stmt *st, void *item)
{
    fow_lab_requirement *r = item;
    memset(r, 0, sizeof *r);
    r->kind = strcmp(fow_db_column_text(st, 0), "skill") == 0 ? FOW_LAB_REQUIRES_SKILL : FOW_LAB_REQUIRES_MODULE;
    snprintf(r->ref, sizeof r->ref, "%s", fow_db_column_text(st, 1));
}

fow_code labs_store_requirements(fow_db *db, int64_t resource_id, fow_lab_requirement **out, size_t *n,
                                 fow_error *err)
{
    return fow_db_rows(db, "SELECT kind, ref FROM lab_requirements WHERE resource_id = ?1 ORDER BY kind, ref",
                       FOW_DB_ARGS(FOW_ARG_INT(resource_id)), read_requirement, (void **)out, n, sizeof **out,
                       "reading a resource's requirements", err);
}

/* ---- prices ------------------------------------------------------------------ */

fow_code labs_store_prices_delete(fow_db *db, int64_t resource_id, fow_error *err)
{
    return fow_db_run(db, "DELETE FROM lab_prices WHERE resource_id = ?1", FOW_DB_ARGS(FOW_ARG_INT(resource_id)),
                      "clearing a resource's prices", err);
}

fow_code labs_store_price_insert(fow_db *db, int64_t resource_id, const fow_lab_price *p, fow_error *err)
{
    return fow_db_run(db,
                      "INSERT INTO lab_prices (resource_id, category, per_hour_minor, currency) VALUES (?1, ?2, ?3, ?4)",
                      FOW_DB_ARGS(FOW_ARG_INT(resource_id), FOW_ARG_TEXT(fow_lab_category_name(p->category)),
                                  FOW_ARG_INT(p->per_hour_minor), FOW_ARG_TEXT(p->currency)),
                      "writing a resource's price", err);
}

static void read_price(sqlite3_stmt *st, void *item)
{
    fow_lab_price *p = item;
    memset(p, 0, sizeof *p);
    fow_lab_category category = FOW_LAB_SCHOOL;
    const unsigned char *name = sqlite3_column_text(st, 0);
    if (name)
        (void)fow_lab_category_parse((const char *)name, &category);
    p->category = category;
    p->per_hour_minor = sqlite3_column_int64(st, 1);
    snprintf(p->currency, sizeof p->currency, "%s", fow_db_column_text(st, 2));
}

fow_code labs_store_prices(fow_db *db, int64_t resource_id, fow_lab_price **out, size_t *n, fow_error *err)
{
    /* in the order of the categories' enum */
    return fow_db_rows(db,
                       "SELECT category, per_hour_minor, currency FROM lab_prices WHERE resource_id = ?1 ORDER BY"
                       " CASE category WHEN 'school' THEN 0 WHEN 'university' THEN 1 WHEN 'enterprise' THEN 2"
                       " WHEN 'resident' THEN 3 ELSE 4 END",
                       FOW_DB_ARGS(FOW_ARG_INT(resource_id)), read_price, (void **)out, n, sizeof **out,
                       "reading a resource's prices", err);
}
