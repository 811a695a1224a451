/* plans_store.c — every SQL statement of plans, plan_moves, plan_modules,
 * plan_milestones and plan_history (plans_store.h). */
#include "plans/plans_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_text(sqlite3_stmt *st, int col, char *dst, size_t n) {
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, n, "%s", t ? (const char *)t : "");
}

static fow_code step_done(fow_db *db, sqlite3_stmt *st, const char *what, fow_error *err) {
    int r = sqlite3_step(st);
    fow_code rc = r == SQLITE_DONE || r == SQLITE_ROW ? FOW_OK : fow_db_error(db, err, what);
    sqlite3_finalize(st);
    return rc;
}

/* Grows *items (of item bytes each) to hold one more than n. */
static fow_code grow(void **items, size_t *cap, size_t n, size_t item, fow_error *err) {
    if (n < *cap) return FOW_OK;
    size_t new_cap = *cap ? *cap * 2 : 8;
    void *bigger = realloc(*items, new_cap * item);
    if (!bigger) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    *items = bigger;
    *cap = new_cap;
    return FOW_OK;
}

#define PLAN_COLUMNS "id, person_id, organisation, title, status, created_at, created_by, updated_at"

static void read_plan(sqlite3_stmt *st, plan_row *row) {
    memset(row, 0, sizeof *row);
    row->id = sqlite3_column_int64(st, 0);
    copy_text(st, 1, row->person, sizeof row->person);
    copy_text(st, 2, row->organisation, sizeof row->organisation);
    copy_text(st, 3, row->title, sizeof row->title);
    copy_text(st, 4, row->status, sizeof row->status);
    row->created_at = sqlite3_column_int64(st, 5);
    copy_text(st, 6, row->created_by, sizeof row->created_by);
    row->updated_at = sqlite3_column_int64(st, 7);
}

fow_code plans_store_insert(fow_db *db, const plan_row *row, long long *id, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO plans (person_id, organisation, title, status, created_at, created_by, "
                                 "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, row->person, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, row->organisation, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, row->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, row->status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, row->created_at);
    sqlite3_bind_text(st, 6, row->created_by, -1, SQLITE_STATIC);
    if ((rc = step_done(db, st, "adding a plan", err))) return rc;
    *id = fow_db_last_insert_id(db);
    return FOW_OK;
}

fow_code plans_store_get(fow_db *db, long long id, plan_row *row, bool *found, fow_error *err) {
    *found = false;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT " PLAN_COLUMNS " FROM plans WHERE id = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        read_plan(st, row);
        *found = true;
    } else if (r != SQLITE_DONE) {
        rc = fow_db_error(db, err, "reading a plan");
    }
    sqlite3_finalize(st);
    return rc;
}

fow_code plans_store_of_person(fow_db *db, const char *person, plan_row **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT " PLAN_COLUMNS " FROM plans WHERE person_id = ?1 ORDER BY id DESC",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, person, -1, SQLITE_STATIC);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = grow((void **)out, &cap, *n, sizeof **out, err))) break;
        read_plan(st, &(*out)[(*n)++]);
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "listing plans");
    sqlite3_finalize(st);
    return rc;
}

fow_code plans_store_touch(fow_db *db, long long id, const char *status, long long now, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(
        db, "UPDATE plans SET updated_at = ?2, status = CASE WHEN ?3 IS NULL THEN status ELSE ?3 END WHERE id = ?1",
        &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    if (status) sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, 3);
    return step_done(db, st, "updating a plan", err);
}

fow_code plans_store_move_insert(fow_db *db, const plan_move_row *row, long long *id, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO plan_moves (plan_id, occupation_uri, occupation_label, gap_json, gap_at, "
                                 "data_generation, data_stamp) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, row->plan_id);
    sqlite3_bind_text(st, 2, row->occupation_uri, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, row->occupation_label, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, row->gap_json ? row->gap_json : "{}", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, row->gap_at);
    sqlite3_bind_int64(st, 6, row->data_generation);
    sqlite3_bind_text(st, 7, row->data_stamp, -1, SQLITE_STATIC);
    if ((rc = step_done(db, st, "adding a move to a plan", err))) return rc;
    if (id) *id = fow_db_last_insert_id(db);
    return FOW_OK;
}

fow_code plans_store_move_delete(fow_db *db, long long plan_id, long long move_id, long long *removed,
                                 fow_error *err) {
    *removed = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "DELETE FROM plan_modules WHERE move_id IN "
                                 "(SELECT id FROM plan_moves WHERE id = ?1 AND plan_id = ?2)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, move_id);
    sqlite3_bind_int64(st, 2, plan_id);
    if ((rc = step_done(db, st, "removing a move's modules", err))) return rc;
    if ((rc = fow_db_prepare(db, "DELETE FROM plan_moves WHERE id = ?1 AND plan_id = ?2", &st, err))) return rc;
    sqlite3_bind_int64(st, 1, move_id);
    sqlite3_bind_int64(st, 2, plan_id);
    if ((rc = step_done(db, st, "removing a move", err))) return rc;
    *removed = fow_db_changes(db);
    return FOW_OK;
}

fow_code plans_store_moves(fow_db *db, long long plan_id, plan_move_row **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT id, plan_id, occupation_uri, occupation_label, gap_json, gap_at, "
                                 "data_generation, data_stamp FROM plan_moves WHERE plan_id = ?1 ORDER BY id",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, plan_id);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = grow((void **)out, &cap, *n, sizeof **out, err))) break;
        plan_move_row *m = &(*out)[*n];
        memset(m, 0, sizeof *m);
        m->id = sqlite3_column_int64(st, 0);
        m->plan_id = sqlite3_column_int64(st, 1);
        copy_text(st, 2, m->occupation_uri, sizeof m->occupation_uri);
        copy_text(st, 3, m->occupation_label, sizeof m->occupation_label);
        const unsigned char *gap = sqlite3_column_text(st, 4);
        m->gap_json = strdup(gap ? (const char *)gap : "{}");
        if (!m->gap_json) {
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
            break;
        }
        (*n)++;
        m->gap_at = sqlite3_column_int64(st, 5);
        m->data_generation = sqlite3_column_int64(st, 6);
        copy_text(st, 7, m->data_stamp, sizeof m->data_stamp);
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading a plan's moves");
    sqlite3_finalize(st);
    return rc;
}

void plans_store_moves_free(plan_move_row *rows, size_t n) {
    for (size_t i = 0; rows && i < n; i++) free(rows[i].gap_json);
    free(rows);
}

fow_code plans_store_module_insert(fow_db *db, const plan_module_row *row, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO plan_modules (move_id, module_id, module_code, title_en, title_ro, hours, "
                                 "cost_minor, currency, cohort_id, starts_on) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, row->move_id);
    sqlite3_bind_int64(st, 2, row->module_id);
    sqlite3_bind_text(st, 3, row->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, row->title_en, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, row->title_ro, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 6, row->hours);
    sqlite3_bind_int64(st, 7, row->cost_minor);
    sqlite3_bind_text(st, 8, row->currency, -1, SQLITE_STATIC);
    if (row->cohort_id > 0) sqlite3_bind_int64(st, 9, row->cohort_id);
    else sqlite3_bind_null(st, 9);
    sqlite3_bind_text(st, 10, row->starts_on, -1, SQLITE_STATIC);
    return step_done(db, st, "adding a module to a plan", err);
}

fow_code plans_store_module_set_cohort(fow_db *db, long long move_id, const char *code, int64_t cohort_id,
                                       const char *starts_on, long long *changed, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(
        db, "UPDATE plan_modules SET cohort_id = ?3, starts_on = ?4 WHERE move_id = ?1 AND module_code = ?2", &st,
        err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, move_id);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
    if (cohort_id > 0) sqlite3_bind_int64(st, 3, cohort_id);
    else sqlite3_bind_null(st, 3);
    sqlite3_bind_text(st, 4, starts_on ? starts_on : "", -1, SQLITE_STATIC);
    if ((rc = step_done(db, st, "setting a module's cohort", err))) return rc;
    *changed = fow_db_changes(db);
    return FOW_OK;
}

fow_code plans_store_module_delete(fow_db *db, long long move_id, const char *code, long long *removed,
                                   fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "DELETE FROM plan_modules WHERE move_id = ?1 AND module_code = ?2", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, move_id);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
    if ((rc = step_done(db, st, "removing a module from a plan", err))) return rc;
    *removed = fow_db_changes(db);
    return FOW_OK;
}

fow_code plans_store_modules(fow_db *db, long long move_id, plan_module_row **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT id, move_id, module_id, module_code, title_en, title_ro, hours, cost_minor, "
                                 "currency, cohort_id, starts_on FROM plan_modules WHERE move_id = ?1 ORDER BY id",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, move_id);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = grow((void **)out, &cap, *n, sizeof **out, err))) break;
        plan_module_row *m = &(*out)[(*n)++];
        memset(m, 0, sizeof *m);
        m->id = sqlite3_column_int64(st, 0);
        m->move_id = sqlite3_column_int64(st, 1);
        m->module_id = sqlite3_column_int64(st, 2);
        copy_text(st, 3, m->code, sizeof m->code);
        copy_text(st, 4, m->title_en, sizeof m->title_en);
        copy_text(st, 5, m->title_ro, sizeof m->title_ro);
        m->hours = sqlite3_column_double(st, 6);
        m->cost_minor = sqlite3_column_int64(st, 7);
        copy_text(st, 8, m->currency, sizeof m->currency);
        m->cohort_id = sqlite3_column_int64(st, 9);
        copy_text(st, 10, m->starts_on, sizeof m->starts_on);
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading a plan's modules");
    sqlite3_finalize(st);
    return rc;
}

fow_code plans_store_milestone_insert(fow_db *db, const plan_milestone_row *row, long long *id, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(
        db, "INSERT INTO plan_milestones (plan_id, title, due_on, status) VALUES (?1, ?2, ?3, ?4)", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, row->plan_id);
    sqlite3_bind_text(st, 2, row->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, row->due, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, row->status, -1, SQLITE_STATIC);
    if ((rc = step_done(db, st, "adding a milestone", err))) return rc;
    if (id) *id = fow_db_last_insert_id(db);
    return FOW_OK;
}

fow_code plans_store_milestone_update(fow_db *db, long long plan_id, long long id, const char *status,
                                      const char *due, long long *changed, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "UPDATE plan_milestones SET status = ?3, due_on = CASE WHEN ?4 IS NULL THEN due_on "
                                 "ELSE ?4 END WHERE id = ?2 AND plan_id = ?1",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, plan_id);
    sqlite3_bind_int64(st, 2, id);
    sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
    if (due) sqlite3_bind_text(st, 4, due, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, 4);
    if ((rc = step_done(db, st, "updating a milestone", err))) return rc;
    *changed = fow_db_changes(db);
    return FOW_OK;
}

fow_code plans_store_milestones(fow_db *db, long long plan_id, plan_milestone_row **out, size_t *n,
                                fow_error *err) {
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT id, plan_id, title, due_on, status FROM plan_milestones WHERE plan_id = ?1 "
                                 "ORDER BY due_on, id",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, plan_id);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = grow((void **)out, &cap, *n, sizeof **out, err))) break;
        plan_milestone_row *m = &(*out)[(*n)++];
        memset(m, 0, sizeof *m);
        m->id = sqlite3_column_int64(st, 0);
        m->plan_id = sqlite3_column_int64(st, 1);
        copy_text(st, 2, m->title, sizeof m->title);
        copy_text(st, 3, m->due, sizeof m->due);
        copy_text(st, 4, m->status, sizeof m->status);
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading a plan's milestones");
    sqlite3_finalize(st);
    return rc;
}

fow_code plans_store_history_add(fow_db *db, long long plan_id, long long at, const char *actor, const char *action,
                                 const char *detail, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(
        db, "INSERT INTO plan_history (plan_id, at, actor, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, plan_id);
    sqlite3_bind_int64(st, 2, at);
    sqlite3_bind_text(st, 3, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, detail ? detail : "", -1, SQLITE_STATIC);
    return step_done(db, st, "writing a plan's history", err);
}

fow_code plans_store_history(fow_db *db, long long plan_id, plan_history_row **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(
        db, "SELECT at, actor, action, detail FROM plan_history WHERE plan_id = ?1 ORDER BY id", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, plan_id);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = grow((void **)out, &cap, *n, sizeof **out, err))) break;
        plan_history_row *h = &(*out)[(*n)++];
        memset(h, 0, sizeof *h);
        h->at = sqlite3_column_int64(st, 0);
        copy_text(st, 1, h->actor, sizeof h->actor);
        copy_text(st, 2, h->action, sizeof h->action);
        copy_text(st, 3, h->detail, sizeof h->detail);
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading a plan's history");
    sqlite3_finalize(st);
    return rc;
}

fow_code plans_store_erase_person(fow_db *db, const char *person, size_t *removed, fow_error *err) {
    static const char modules_of_person[] =
        "DELETE FROM plan_modules WHERE move_id IN (SELECT m.id FROM plan_moves m JOIN plans p ON p.id = m.plan_id "
        "WHERE p.person_id = ?1)";
    static const char *const statements[] = {
        modules_of_person,
        "DELETE FROM plan_moves WHERE plan_id IN (SELECT id FROM plans WHERE person_id = ?1)",
        "DELETE FROM plan_milestones WHERE plan_id IN (SELECT id FROM plans WHERE person_id = ?1)",
        "DELETE FROM plan_history WHERE plan_id IN (SELECT id FROM plans WHERE person_id = ?1)",
        "DELETE FROM plans WHERE person_id = ?1",
    };
    *removed = 0;
    for (size_t i = 0; i < sizeof statements / sizeof *statements; i++) {
        sqlite3_stmt *st;
        fow_code rc = fow_db_prepare(db, statements[i], &st, err);
        if (rc) return rc;
        sqlite3_bind_text(st, 1, person, -1, SQLITE_STATIC);
        if ((rc = step_done(db, st, "erasing a person's plans", err))) return rc;
        *removed += (size_t)fow_db_changes(db);
    }
    return FOW_OK;
}
