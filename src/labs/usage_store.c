/* usage_store.c — the SQL of the labs' feeds, usage and projects
 * (usage_store.h); a part of labs_store.c (tests/e2e/sql_owners.py). */
#include "labs/usage_store.h"

#include <stdio.h>
#include <string.h>

#include "store/fow_db_args.h"

#define PLACE_COLUMNS                                                                                              \
    "r.id, r.lab_id, r.code, l.code, r.name_en, r.name_ro, l.name_en, l.name_ro, l.address"

/* The tables of columns below are in the order of their SELECTs. */
#define PLACE(member) FOW_DB_COLUMN(usage_place, member)
static const fow_db_column PLACE_READ[] = {
    PLACE(id), PLACE(lab_id), PLACE(code), PLACE(lab_code), PLACE(name_en), PLACE(name_ro), PLACE(lab_name_en),
    PLACE(lab_name_ro), PLACE(address),
};

static void read_place(sqlite3_stmt *st, void *item) {
    fow_db_read_columns(st, FOW_DB_COLUMNS(PLACE_READ), item);
}

fow_code usage_store_lab(fow_db *db, const char *code, usage_place *out, bool *found, fow_error *err) {
    memset(out, 0, sizeof *out);
    return fow_db_row(db,
                      "SELECT l.id, l.id, l.code, l.code, l.name_en, l.name_ro, l.name_en, l.name_ro, l.address"
                      " FROM labs l WHERE l.code = ?1",
                      FOW_DB_ARGS(FOW_ARG_TEXT(code)), read_place, out, found, "reading a lab", err);
}

fow_code usage_store_resource(fow_db *db, const char *code, usage_place *out, bool *found, fow_error *err) {
    memset(out, 0, sizeof *out);
    return fow_db_row(db,
                      "SELECT " PLACE_COLUMNS " FROM lab_resources r JOIN labs l ON l.id = r.lab_id WHERE r.code = ?1",
                      FOW_DB_ARGS(FOW_ARG_TEXT(code)), read_place, out, found, "reading a lab resource", err);
}

fow_code usage_store_resources(fow_db *db, int64_t lab_id, usage_place **out, size_t *n, fow_error *err) {
    return fow_db_rows(db,
                       "SELECT " PLACE_COLUMNS " FROM lab_resources r JOIN labs l ON l.id = r.lab_id"
                       " WHERE ?1 = 0 OR r.lab_id = ?1 ORDER BY l.code, r.code",
                       FOW_DB_ARGS(FOW_ARG_INT(lab_id)), read_place, (void **)out, n, sizeof **out,
                       "reading the lab resources", err);
}

#define BOOKING(member) FOW_DB_COLUMN(usage_booking, member)
static const fow_db_column BOOKING_READ[] = {
    BOOKING(id), BOOKING(uid), BOOKING(resource_id), BOOKING(starts_at), BOOKING(ends_at), BOOKING(status),
    BOOKING(person_id), BOOKING(enterprise_code), BOOKING(booked_by), BOOKING(category), BOOKING(group_name),
    BOOKING(group_size), BOOKING(note), BOOKING(sequence), BOOKING(checked_in_at), BOOKING(checked_out_at),
    BOOKING(created_at), BOOKING(changed_at),
};

static void read_booking(sqlite3_stmt *st, void *item) {
    fow_db_read_columns(st, FOW_DB_COLUMNS(BOOKING_READ), item);
}

fow_code usage_store_bookings(fow_db *db, const usage_booking_filter *f, usage_booking **out, size_t *n,
                              fow_error *err) {
    return fow_db_rows(
        db,
        "SELECT b.id, b.uid, b.resource_id, b.starts_at, b.ends_at, b.status, b.person_id, b.enterprise_code,"
        " b.booked_by, b.category, b.group_name, b.group_size, b.note, b.sequence, b.checked_in_at,"
        " b.checked_out_at, b.created_at, b.changed_at"
        " FROM lab_bookings b JOIN lab_resources r ON r.id = b.resource_id"
        " WHERE (?1 = 0 OR r.lab_id = ?1) AND (?2 = 0 OR b.resource_id = ?2)"
        " AND (?3 IS NULL OR b.booked_by = ?3 OR (?4 <> '' AND b.person_id = ?4))"
        " AND b.starts_at >= ?5 AND b.starts_at < ?6 AND (?7 = 0 OR b.ends_at > ?7)"
        " AND (b.status <> 'cancelled' OR ?8 = 0 OR b.changed_at >= ?8)"
        " ORDER BY b.starts_at, b.id",
        FOW_DB_ARGS(FOW_ARG_INT(f->lab_id), FOW_ARG_INT(f->resource_id), FOW_ARG_TEXT_OR_NULL(f->account),
                    FOW_ARG_TEXT(f->person_id ? f->person_id : ""), FOW_ARG_INT(f->starts_from),
                    FOW_ARG_INT(f->starts_before), FOW_ARG_INT(f->ends_after), FOW_ARG_INT(f->cancelled_since)),
        read_booking, (void **)out, n, sizeof **out, "reading the lab bookings", err);
}

static const fow_db_column HOURS_READ[] = {
    FOW_DB_COLUMN(usage_hours, lab_id), FOW_DB_COLUMN(usage_hours, weekday), FOW_DB_COLUMN(usage_hours, opens_minute),
    FOW_DB_COLUMN(usage_hours, closes_minute),
};

static void read_hours(sqlite3_stmt *st, void *item) {
    fow_db_read_columns(st, FOW_DB_COLUMNS(HOURS_READ), item);
}

fow_code usage_store_hours(fow_db *db, usage_hours **out, size_t *n, fow_error *err) {
    return fow_db_rows(db,
                       "SELECT lab_id, weekday, opens_minute, closes_minute FROM lab_opening_hours"
                       " ORDER BY lab_id, weekday, opens_minute",
                       NULL, 0, read_hours, (void **)out, n, sizeof **out, "reading the labs' opening hours", err);
}

static const fow_db_column CLOSURE_READ[] = {
    FOW_DB_COLUMN(usage_closure, lab_id), FOW_DB_COLUMN(usage_closure, resource_id),
    FOW_DB_COLUMN(usage_closure, starts_at), FOW_DB_COLUMN(usage_closure, ends_at),
};

static void read_closure(sqlite3_stmt *st, void *item) {
    fow_db_read_columns(st, FOW_DB_COLUMNS(CLOSURE_READ), item);
}

fow_code usage_store_closures(fow_db *db, int64_t from, int64_t to, usage_closure **out, size_t *n,
                              fow_error *err) {
    return fow_db_rows(db,
                       "SELECT lab_id, COALESCE(resource_id, 0), starts_at, ends_at FROM lab_closures"
                       " WHERE starts_at < ?2 AND ends_at > ?1 ORDER BY starts_at",
                       FOW_DB_ARGS(FOW_ARG_INT(from), FOW_ARG_INT(to)), read_closure, (void **)out, n, sizeof **out,
                       "reading the labs' closures", err);
}

fow_code usage_store_token_put(fow_db *db, const char *account, const char *token_hash, int64_t now,
                               fow_error *err) {
    return fow_db_run(db,
                      "INSERT INTO lab_feed_tokens (account, token_hash, created_at) VALUES (?1, ?2, ?3)"
                      " ON CONFLICT (account) DO UPDATE SET token_hash = excluded.token_hash,"
                      " created_at = excluded.created_at",
                      FOW_DB_ARGS(FOW_ARG_TEXT(account), FOW_ARG_TEXT(token_hash), FOW_ARG_INT(now)),
                      "writing a calendar feed token", err);
}

static void read_account(sqlite3_stmt *st, void *out) {
    snprintf(out, 65, "%s", fow_db_column_text(st, 0));
}

fow_code usage_store_token_account(fow_db *db, const char *token_hash, char account[65], bool *found,
                                   fow_error *err) {
    account[0] = '\0';
    return fow_db_row(db, "SELECT account FROM lab_feed_tokens WHERE token_hash = ?1",
                      FOW_DB_ARGS(FOW_ARG_TEXT(token_hash)), read_account, account, found,
                      "reading a calendar feed token", err);
}

fow_code usage_store_project_add(fow_db *db, usage_project *p, fow_error *err) {
    return fow_db_insert(db,
                         "INSERT INTO lab_projects (lab_id, person_id, enterprise_code, title, summary, outcome,"
                         " label_ref, startup_ref, created_at, created_by)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                         FOW_DB_ARGS(FOW_ARG_INT(p->lab_id), FOW_ARG_TEXT_OR_NULL(p->person_id[0] ? p->person_id : NULL),
                                     FOW_ARG_TEXT_OR_NULL(p->enterprise_code[0] ? p->enterprise_code : NULL),
                                     FOW_ARG_TEXT(p->title), FOW_ARG_TEXT(p->summary), FOW_ARG_TEXT(p->outcome),
                                     FOW_ARG_TEXT(p->label_ref), FOW_ARG_TEXT(p->startup_ref),
                                     FOW_ARG_INT(p->created_at), FOW_ARG_TEXT(p->created_by)),
                         "recording a lab project", &p->id, err);
}

#define PROJECT(member) FOW_DB_COLUMN(usage_project, member)
static const fow_db_column PROJECT_READ[] = {
    PROJECT(id), PROJECT(lab_id), PROJECT(lab_code), PROJECT(person_id), PROJECT(enterprise_code), PROJECT(title),
    PROJECT(summary), PROJECT(outcome), PROJECT(label_ref), PROJECT(startup_ref), PROJECT(created_at),
    PROJECT(created_by),
};

static void read_project(sqlite3_stmt *st, void *item) {
    fow_db_read_columns(st, FOW_DB_COLUMNS(PROJECT_READ), item);
}

fow_code usage_store_projects(fow_db *db, int64_t lab_id, usage_project **out, size_t *n, fow_error *err) {
    return fow_db_rows(db,
                       "SELECT p.id, p.lab_id, l.code, p.person_id, p.enterprise_code, p.title, p.summary, p.outcome,"
                       " p.label_ref, p.startup_ref, p.created_at, p.created_by"
                       " FROM lab_projects p JOIN labs l ON l.id = p.lab_id WHERE ?1 = 0 OR p.lab_id = ?1"
                       " ORDER BY p.created_at DESC, p.id DESC",
                       FOW_DB_ARGS(FOW_ARG_INT(lab_id)), read_project, (void **)out, n, sizeof **out,
                       "reading the lab projects", err);
}

static const fow_db_column PERSON_ROW_READ[] = {
    FOW_DB_COLUMN(usage_person_row, person_id), FOW_DB_COLUMN(usage_person_row, bookings),
    FOW_DB_COLUMN(usage_person_row, checked_in), FOW_DB_COLUMN(usage_person_row, minutes_used),
    FOW_DB_COLUMN(usage_person_row, projects),
};

static void read_person_row(sqlite3_stmt *st, void *item) {
    fow_db_read_columns(st, FOW_DB_COLUMNS(PERSON_ROW_READ), item);
}

fow_code usage_store_people(fow_db *db, usage_person_row **out, size_t *n, fow_error *err) {
    return fow_db_rows(
        db,
        "SELECT person_id, SUM(bookings), SUM(checked_in), SUM(minutes_used), SUM(projects) FROM ("
        "  SELECT person_id, COUNT(*) AS bookings,"
        "   SUM(CASE WHEN checked_in_at > 0 THEN 1 ELSE 0 END) AS checked_in,"
        "   SUM(CASE WHEN checked_in_at > 0 AND checked_out_at > checked_in_at"
        "            THEN (checked_out_at - checked_in_at) / 60 ELSE 0 END) AS minutes_used,"
        "   0 AS projects"
        "  FROM lab_bookings WHERE person_id IS NOT NULL AND status <> 'cancelled' GROUP BY person_id"
        "  UNION ALL"
        "  SELECT person_id, 0, 0, 0, COUNT(*) FROM lab_projects WHERE person_id IS NOT NULL GROUP BY person_id"
        ") AS figures GROUP BY person_id ORDER BY person_id",
        NULL, 0, read_person_row, (void **)out, n, sizeof **out, "reading the labs' figures of people", err);
}
