/* cohort_store.c — the SQL of cohorts and enrolment (training_cohorts,
 * training_cohort_sessions, training_enrolments, training_attendance). */
#include "training/cohort_store.h"

#include <stdio.h>
#include <string.h>

static void copy_text(sqlite3_stmt *st, int col, char *dst, size_t n) {
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, n, "%s", t ? (const char *)t : "");
}

static void bind_text(sqlite3_stmt *st, int i, const char *text) { sqlite3_bind_text(st, i, text, -1, SQLITE_STATIC); }

/* Runs a prepared statement that returns no rows, then finalizes it. */
static fow_code step_done(fow_db *db, sqlite3_stmt *st, const char *what, fow_error *err) {
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? FOW_OK : fow_db_error(db, err, what);
}

fow_code cohort_store_add(fow_db *db, const fow_cohort *c, int64_t *id, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO training_cohorts(module_code, starts_on, ends_on, place, capacity, "
                                 "language, status, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                 &st, err);
    if (rc) return rc;
    bind_text(st, 1, c->module);
    bind_text(st, 2, c->starts_on);
    bind_text(st, 3, c->ends_on);
    bind_text(st, 4, c->place);
    sqlite3_bind_int64(st, 5, c->capacity);
    bind_text(st, 6, c->language);
    bind_text(st, 7, fow_cohort_status_name(c->status));
    sqlite3_bind_int64(st, 8, c->created_at);
    bind_text(st, 9, c->created_by);
    if ((rc = step_done(db, st, "writing a cohort", err))) return rc;
    *id = fow_db_last_insert_id(db);
    return FOW_OK;
}

fow_code cohort_store_add_session(fow_db *db, int64_t cohort_id, int number, const fow_cohort_session *s,
                                  fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO training_cohort_sessions(cohort_id, number, date, starts_at, ends_at, "
                                 "place) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, cohort_id);
    sqlite3_bind_int(st, 2, number);
    bind_text(st, 3, s->date);
    bind_text(st, 4, s->starts_at);
    bind_text(st, 5, s->ends_at);
    bind_text(st, 6, s->place);
    return step_done(db, st, "writing a cohort's session", err);
}

fow_code cohort_store_set_status(fow_db *db, int64_t id, const char *status, bool *found, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "UPDATE training_cohorts SET status = ?2 WHERE id = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, status);
    if ((rc = step_done(db, st, "changing a cohort's status", err))) return rc;
    *found = fow_db_changes(db) > 0;
    return FOW_OK;
}

/* Reads the sessions of cohort c->id into c with the prepared sessions
 * statement st (reset after). */
static fow_code read_sessions(fow_db *db, sqlite3_stmt *st, fow_cohort *c, fow_error *err) {
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, c->id);
    c->n_sessions = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (c->n_sessions == FOW_COHORT_SESSIONS_MAX) continue;
        fow_cohort_session *s = &c->sessions[c->n_sessions++];
        copy_text(st, 0, s->date, sizeof s->date);
        copy_text(st, 1, s->starts_at, sizeof s->starts_at);
        copy_text(st, 2, s->ends_at, sizeof s->ends_at);
        copy_text(st, 3, s->place, sizeof s->place);
    }
    sqlite3_reset(st);
    return r == SQLITE_DONE ? FOW_OK : fow_db_error(db, err, "reading a cohort's sessions");
}

fow_code cohort_store_each(fow_db *db, int64_t id, const char *module,
                           fow_code (*visit)(void *ctx, const fow_cohort *c, fow_error *err), void *ctx,
                           fow_error *err) {
    static const char select[] =
        "SELECT c.id, c.module_code, c.starts_on, c.ends_on, c.place, c.capacity, c.language, c.status, "
        "c.created_at, c.created_by, "
        "(SELECT count(*) FROM training_enrolments e WHERE e.cohort_id = c.id AND e.status = 'enrolled'), "
        "(SELECT count(*) FROM training_enrolments e WHERE e.cohort_id = c.id AND e.status = 'waiting'), "
        "(SELECT count(*) FROM training_enrolments e WHERE e.cohort_id = c.id AND e.status = 'completed'), "
        "(SELECT count(*) FROM training_enrolments e WHERE e.cohort_id = c.id AND e.result = 'passed'), "
        "(SELECT count(*) FROM training_enrolments e WHERE e.cohort_id = c.id AND e.status = 'cancelled') "
        "FROM training_cohorts c ";
    char sql[sizeof select + 96];
    snprintf(sql, sizeof sql, "%s%s ORDER BY c.starts_on, c.id", select,
             id > 0 ? "WHERE c.id = ?1" : module ? "WHERE c.module_code = ?2" : "");
    sqlite3_stmt *st = NULL, *sessions = NULL;
    fow_code rc = fow_db_prepare(db, sql, &st, err);
    if (!rc)
        rc = fow_db_prepare(db,
                            "SELECT date, starts_at, ends_at, place FROM training_cohort_sessions "
                            "WHERE cohort_id = ?1 ORDER BY number",
                            &sessions, err);
    if (rc) {
        sqlite3_finalize(st);
        return rc;
    }
    if (id > 0) sqlite3_bind_int64(st, 1, id);
    else if (module) bind_text(st, 2, module);
    fow_cohort *c = sqlite3_malloc(sizeof *c);
    if (!c) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    int r = SQLITE_DONE;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        memset(c, 0, sizeof *c);
        c->id = sqlite3_column_int64(st, 0);
        copy_text(st, 1, c->module, sizeof c->module);
        copy_text(st, 2, c->starts_on, sizeof c->starts_on);
        copy_text(st, 3, c->ends_on, sizeof c->ends_on);
        copy_text(st, 4, c->place, sizeof c->place);
        c->capacity = (long)sqlite3_column_int64(st, 5);
        copy_text(st, 6, c->language, sizeof c->language);
        fow_cohort_status status = FOW_COHORT_CANCELLED;
        (void)fow_cohort_status_parse((const char *)sqlite3_column_text(st, 7), &status);
        c->status = status;
        c->created_at = sqlite3_column_int64(st, 8);
        copy_text(st, 9, c->created_by, sizeof c->created_by);
        c->enrolled = (long)sqlite3_column_int64(st, 10);
        c->waiting = (long)sqlite3_column_int64(st, 11);
        c->completed = (long)sqlite3_column_int64(st, 12);
        c->passed = (long)sqlite3_column_int64(st, 13);
        c->cancelled = (long)sqlite3_column_int64(st, 14);
        long left = c->capacity - c->enrolled - c->completed;
        c->seats_left = left > 0 ? left : 0;
        rc = read_sessions(db, sessions, c, err);
        if (!rc) rc = visit(ctx, c, err);
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading cohorts");
    sqlite3_free(c);
    sqlite3_finalize(st);
    sqlite3_finalize(sessions);
    return rc;
}

fow_code cohort_store_status(fow_db *db, int64_t id, char status[16], long *capacity,
                             char module[FOW_COHORT_CODE_MAX + 1], bool *found, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc =
        fow_db_prepare(db, "SELECT status, capacity, module_code FROM training_cohorts WHERE id = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int r = sqlite3_step(st);
    *found = r == SQLITE_ROW;
    if (*found) {
        copy_text(st, 0, status, 16);
        *capacity = (long)sqlite3_column_int64(st, 1);
        if (module) copy_text(st, 2, module, FOW_COHORT_CODE_MAX + 1);
    }
    sqlite3_finalize(st);
    return r == SQLITE_ROW || r == SQLITE_DONE ? FOW_OK : fow_db_error(db, err, "reading a cohort");
}

static fow_enrolment_status enrolment_status(const char *text) {
    for (int s = 0; s < FOW_ENROLMENT_STATUS_COUNT; s++)
        if (text && strcmp(text, fow_enrolment_status_name((fow_enrolment_status)s)) == 0) return (fow_enrolment_status)s;
    return FOW_ENROLMENT_CANCELLED;
}

/* The columns of an enrolment, as read_enrolment expects them. */
#define ENROLMENT_COLUMNS                                                                                            \
    "id, cohort_id, person_id, organisation, status, requested_at, requested_by, coalesce(enrolled_at, 0), "        \
    "coalesce(cancelled_at, 0), CASE WHEN result = 'passed' THEN 1 ELSE 0 END, score, coalesce(completed_on, '') "

static void read_enrolment(sqlite3_stmt *st, fow_enrolment *e) {
    memset(e, 0, sizeof *e);
    e->id = sqlite3_column_int64(st, 0);
    e->cohort_id = sqlite3_column_int64(st, 1);
    copy_text(st, 2, e->person, sizeof e->person);
    copy_text(st, 3, e->organisation, sizeof e->organisation);
    e->status = enrolment_status((const char *)sqlite3_column_text(st, 4));
    e->requested_at = sqlite3_column_int64(st, 5);
    copy_text(st, 6, e->requested_by, sizeof e->requested_by);
    e->enrolled_at = sqlite3_column_int64(st, 7);
    e->cancelled_at = sqlite3_column_int64(st, 8);
    e->passed = sqlite3_column_int(st, 9) != 0;
    e->has_score = sqlite3_column_type(st, 10) != SQLITE_NULL;
    e->score = e->has_score ? sqlite3_column_double(st, 10) : 0;
    copy_text(st, 11, e->completed_on, sizeof e->completed_on);
    memset(e->attendance, -1, sizeof e->attendance);
}

/* Fills e's attendance and session count with the prepared statements
 * sessions (count of the cohort's sessions, ?1 cohort) and attendance
 * (?1 enrolment). */
static fow_code read_attendance(fow_db *db, sqlite3_stmt *sessions, sqlite3_stmt *attendance, fow_enrolment *e,
                                fow_error *err) {
    sqlite3_reset(sessions);
    sqlite3_bind_int64(sessions, 1, e->cohort_id);
    int r = sqlite3_step(sessions);
    if (r == SQLITE_ROW) {
        long long n = sqlite3_column_int64(sessions, 0);
        e->n_sessions = n > FOW_COHORT_SESSIONS_MAX ? FOW_COHORT_SESSIONS_MAX : (size_t)n;
        r = SQLITE_DONE;
    }
    sqlite3_reset(sessions);
    if (r != SQLITE_DONE) return fow_db_error(db, err, "reading a cohort's sessions");
    sqlite3_reset(attendance);
    sqlite3_bind_int64(attendance, 1, e->id);
    while ((r = sqlite3_step(attendance)) == SQLITE_ROW) {
        int number = sqlite3_column_int(attendance, 0);
        if (number >= 1 && (size_t)number <= e->n_sessions)
            e->attendance[number - 1] = (signed char)(sqlite3_column_int(attendance, 1) ? 1 : 0);
    }
    sqlite3_reset(attendance);
    return r == SQLITE_DONE ? FOW_OK : fow_db_error(db, err, "reading attendance");
}

static fow_code prepare_attendance(fow_db *db, sqlite3_stmt **sessions, sqlite3_stmt **attendance, fow_error *err) {
    *sessions = *attendance = NULL;
    fow_code rc = fow_db_prepare(db, "SELECT count(*) FROM training_cohort_sessions WHERE cohort_id = ?1", sessions,
                                 err);
    if (!rc)
        rc = fow_db_prepare(db,
                            "SELECT session_number, present FROM training_attendance WHERE enrolment_id = ?1 "
                            "ORDER BY session_number",
                            attendance, err);
    if (rc) {
        sqlite3_finalize(*sessions);
        *sessions = NULL;
    }
    return rc;
}

fow_code cohort_store_active_enrolment(fow_db *db, int64_t cohort_id, const char *person, fow_enrolment *out,
                                       bool *found, fow_error *err) {
    sqlite3_stmt *st, *sessions, *attendance;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT " ENROLMENT_COLUMNS ", (SELECT count(*) FROM training_enrolments w "
                                 "WHERE w.cohort_id = e.cohort_id AND w.status = 'waiting' AND w.id <= e.id) "
                                 "FROM training_enrolments e WHERE cohort_id = ?1 AND person_id = ?2 "
                                 "AND status <> 'cancelled'",
                                 &st, err);
    if (rc) return rc;
    if ((rc = prepare_attendance(db, &sessions, &attendance, err))) {
        sqlite3_finalize(st);
        return rc;
    }
    sqlite3_bind_int64(st, 1, cohort_id);
    bind_text(st, 2, person);
    int r = sqlite3_step(st);
    *found = r == SQLITE_ROW;
    if (*found) {
        read_enrolment(st, out);
        if (out->status == FOW_ENROLMENT_WAITING) out->position = (long)sqlite3_column_int64(st, 12);
        rc = read_attendance(db, sessions, attendance, out, err);
    } else if (r != SQLITE_DONE) {
        rc = fow_db_error(db, err, "reading an enrolment");
    }
    sqlite3_finalize(st);
    sqlite3_finalize(sessions);
    sqlite3_finalize(attendance);
    return rc;
}

fow_code cohort_store_seats_taken(fow_db *db, int64_t cohort_id, long *taken, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT count(*) FROM training_enrolments WHERE cohort_id = ?1 "
                                 "AND status IN ('enrolled', 'completed')",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, cohort_id);
    int r = sqlite3_step(st);
    *taken = r == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return r == SQLITE_ROW ? FOW_OK : fow_db_error(db, err, "counting a cohort's seats");
}

fow_code cohort_store_add_enrolment(fow_db *db, int64_t cohort_id, const char *person, const char *organisation,
                                    const char *status, long long now, const char *by, int64_t *id,
                                    fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO training_enrolments(cohort_id, person_id, organisation, status, "
                                 "requested_at, requested_by, enrolled_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                                 "CASE WHEN ?4 = 'enrolled' THEN ?5 ELSE NULL END)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, cohort_id);
    bind_text(st, 2, person);
    bind_text(st, 3, organisation);
    bind_text(st, 4, status);
    sqlite3_bind_int64(st, 5, now);
    bind_text(st, 6, by);
    if ((rc = step_done(db, st, "writing an enrolment", err))) return rc;
    *id = fow_db_last_insert_id(db);
    return FOW_OK;
}

fow_code cohort_store_cancel(fow_db *db, int64_t id, long long now, const char *by, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "UPDATE training_enrolments SET status = 'cancelled', cancelled_at = ?2, "
                                 "cancelled_by = ?3 WHERE id = ?1",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    bind_text(st, 3, by);
    return step_done(db, st, "cancelling an enrolment", err);
}

fow_code cohort_store_first_waiting(fow_db *db, int64_t cohort_id, int64_t *id,
                                    char person[FOW_PERSON_ID_CHARS + 1], bool *found, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT id, person_id FROM training_enrolments WHERE cohort_id = ?1 "
                                 "AND status = 'waiting' ORDER BY id LIMIT 1",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, cohort_id);
    int r = sqlite3_step(st);
    *found = r == SQLITE_ROW;
    if (*found) {
        *id = sqlite3_column_int64(st, 0);
        copy_text(st, 1, person, FOW_PERSON_ID_CHARS + 1);
    }
    sqlite3_finalize(st);
    return r == SQLITE_ROW || r == SQLITE_DONE ? FOW_OK : fow_db_error(db, err, "reading the waiting list");
}

fow_code cohort_store_promote(fow_db *db, int64_t id, long long now, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "UPDATE training_enrolments SET status = 'enrolled', enrolled_at = ?2 "
                                 "WHERE id = ?1 AND status = 'waiting'",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    return step_done(db, st, "giving a seat to the first person waiting", err);
}

fow_code cohort_store_put_attendance(fow_db *db, int64_t enrolment_id, int session, bool present, long long now,
                                     const char *by, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO training_attendance(enrolment_id, session_number, present, recorded_at, "
                                 "recorded_by) VALUES (?1, ?2, ?3, ?4, ?5) "
                                 "ON CONFLICT (enrolment_id, session_number) DO UPDATE SET present = excluded.present, "
                                 "recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, enrolment_id);
    sqlite3_bind_int(st, 2, session);
    sqlite3_bind_int(st, 3, present ? 1 : 0);
    sqlite3_bind_int64(st, 4, now);
    bind_text(st, 5, by);
    return step_done(db, st, "recording attendance", err);
}

fow_code cohort_store_complete(fow_db *db, int64_t id, bool passed, bool has_score, double score,
                               const char *completed_on, long long now, const char *by, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "UPDATE training_enrolments SET status = 'completed', result = ?2, score = ?3, "
                                 "completed_on = ?4, completed_at = ?5, completed_by = ?6 WHERE id = ?1",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, passed ? "passed" : "failed");
    if (has_score) sqlite3_bind_double(st, 3, score);
    bind_text(st, 4, completed_on);
    sqlite3_bind_int64(st, 5, now);
    bind_text(st, 6, by);
    return step_done(db, st, "recording a completion", err);
}

fow_code cohort_store_each_enrolment(fow_db *db, int64_t cohort_id, const char *organisation,
                                     fow_code (*visit)(void *ctx, const fow_enrolment *e, fow_error *err),
                                     void *ctx, fow_error *err) {
    sqlite3_stmt *st, *sessions, *attendance;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT " ENROLMENT_COLUMNS ", organisation FROM training_enrolments "
                                 "WHERE cohort_id = ?1 ORDER BY id",
                                 &st, err);
    if (rc) return rc;
    if ((rc = prepare_attendance(db, &sessions, &attendance, err))) {
        sqlite3_finalize(st);
        return rc;
    }
    sqlite3_bind_int64(st, 1, cohort_id);
    fow_enrolment e;
    long waiting = 0;
    int r = SQLITE_DONE;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        read_enrolment(st, &e);
        if (e.status == FOW_ENROLMENT_WAITING) e.position = ++waiting; /* counted over every organisation */
        if (organisation && strcmp(e.organisation, organisation) != 0) continue;
        rc = read_attendance(db, sessions, attendance, &e, err);
        if (!rc) rc = visit(ctx, &e, err);
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading enrolments");
    sqlite3_finalize(st);
    sqlite3_finalize(sessions);
    sqlite3_finalize(attendance);
    return rc;
}

fow_code cohort_store_each_enrolment_of_person(fow_db *db, const char *person,
                                               fow_code (*visit)(void *ctx, const fow_enrolment *e, fow_error *err),
                                               void *ctx, fow_error *err) {
    sqlite3_stmt *st, *sessions, *attendance;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT " ENROLMENT_COLUMNS ", (SELECT count(*) FROM training_enrolments w "
                                 "WHERE w.cohort_id = e.cohort_id AND w.status = 'waiting' AND w.id <= e.id) "
                                 "FROM training_enrolments e WHERE person_id = ?1 ORDER BY id",
                                 &st, err);
    if (rc) return rc;
    if ((rc = prepare_attendance(db, &sessions, &attendance, err))) {
        sqlite3_finalize(st);
        return rc;
    }
    bind_text(st, 1, person);
    fow_enrolment e;
    int r = SQLITE_DONE;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        read_enrolment(st, &e);
        if (e.status == FOW_ENROLMENT_WAITING) e.position = (long)sqlite3_column_int64(st, 12);
        rc = read_attendance(db, sessions, attendance, &e, err);
        if (!rc) rc = visit(ctx, &e, err);
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading a person's enrolments");
    sqlite3_finalize(st);
    sqlite3_finalize(sessions);
    sqlite3_finalize(attendance);
    return rc;
}

fow_code cohort_store_each_completion(fow_db *db, int64_t cohort_id, const char *person,
                                      fow_code (*visit)(void *ctx, const fow_completion *c, fow_error *err),
                                      void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT e.id, e.cohort_id, e.person_id, c.module_code, e.completed_on, "
                                 "CASE WHEN e.result = 'passed' THEN 1 ELSE 0 END, e.score, e.completed_at, "
                                 "e.completed_by FROM training_enrolments e JOIN training_cohorts c ON c.id = e.cohort_id "
                                 "WHERE e.person_id = ?2 AND e.status = 'completed' AND (?1 = 0 OR e.cohort_id = ?1) "
                                 "ORDER BY e.completed_on, e.id",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, cohort_id);
    bind_text(st, 2, person);
    fow_completion c;
    int r = SQLITE_DONE;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&c, 0, sizeof c);
        c.enrolment_id = sqlite3_column_int64(st, 0);
        c.cohort_id = sqlite3_column_int64(st, 1);
        copy_text(st, 2, c.person, sizeof c.person);
        copy_text(st, 3, c.module, sizeof c.module);
        copy_text(st, 4, c.completed_on, sizeof c.completed_on);
        c.passed = sqlite3_column_int(st, 5) != 0;
        c.has_score = sqlite3_column_type(st, 6) != SQLITE_NULL;
        c.score = c.has_score ? sqlite3_column_double(st, 6) : 0;
        c.recorded_at = sqlite3_column_int64(st, 7);
        copy_text(st, 8, c.recorded_by, sizeof c.recorded_by);
        rc = visit(ctx, &c, err);
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading completions");
    sqlite3_finalize(st);
    return rc;
}
