/* calls_store.c — every SQL statement of the calls' tables
 * (calls_store.h). */
#include "vouchers/calls_store.h"

#include "store/fow_db_args.h"
#include "store/fow_db_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_text(sqlite3_stmt *st, int col, char *dst, size_t n) {
    snprintf(dst, n, "%s", fow_db_column_text(st, col));
}


/* ---- calls ------------------------------------------------------------------ */

/* fow_db_insert for this file's long long ids. */
static fow_code insert_row(fow_db *db, const char *sql, const fow_db_arg *args, size_t n, const char *what,
                           long long *id, fow_error *err) {
    int64_t new_id = 0;
    fow_code rc = fow_db_insert(db, sql, args, n, what, &new_id, err);
    *id = new_id;
    return rc;
}

fow_code calls_store_call_insert(fow_db *db, const call_row *row, long long *id, fow_error *err) {
    return insert_row(db,
                      "INSERT INTO voucher_calls (budget_line_id, title_en, title_ro, opens_on, closes_on, "
                      "created_at, created_by, voucher_valid_months, voucher_active, voucher_min_attendance) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                      FOW_DB_ARGS(FOW_ARG_INT(row->budget_line_id), FOW_ARG_TEXT(row->title_en),
                                  FOW_ARG_TEXT(row->title_ro), FOW_ARG_TEXT(row->opens_on), FOW_ARG_TEXT(row->closes_on),
                                  FOW_ARG_INT(row->created_at), FOW_ARG_TEXT(row->created_by),
                                  FOW_ARG_INT(row->voucher_valid_months), FOW_ARG_INT(row->voucher_active),
                                  FOW_ARG_INT(row->voucher_min_attendance)),
                      "adding a call", id, err);
}

fow_code calls_store_value_insert(fow_db *db, long long call_id, const call_value_row *v, fow_error *err) {
    return fow_db_run(
        db, "INSERT INTO voucher_call_values (call_id, applicant_kind, mode, amount_minor) VALUES (?1, ?2, ?3, ?4)",
        FOW_DB_ARGS(FOW_ARG_INT(call_id), FOW_ARG_TEXT(v->applicant), FOW_ARG_TEXT(v->mode),
                    FOW_ARG_INT(v->amount_minor)),
        "adding a call's value", err);
}

fow_code calls_store_criterion_insert(fow_db *db, long long call_id, const call_criterion_row *c, fow_error *err) {
    return fow_db_run(db,
                      "INSERT INTO voucher_call_criteria (call_id, position, code, title_en, title_ro, "
                      "weight, max_score) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                      FOW_DB_ARGS(FOW_ARG_INT(call_id), FOW_ARG_INT(c->position), FOW_ARG_TEXT(c->code),
                                  FOW_ARG_TEXT(c->title_en), FOW_ARG_TEXT(c->title_ro), FOW_ARG_INT(c->weight),
                                  FOW_ARG_INT(c->max_score)),
                      "adding a call's criterion", err);
}

fow_code calls_store_rules_replace(fow_db *db, long long call_id, const call_rule_row *rules, size_t n,
                                   fow_error *err) {
    fow_code rc = fow_db_run(db, "DELETE FROM voucher_call_rules WHERE call_id = ?1", FOW_DB_ARGS(FOW_ARG_INT(call_id)),
                             "replacing a call's rules", err);
    for (size_t i = 0; !rc && i < n; i++)
        rc = fow_db_run(db, "INSERT INTO voucher_call_rules (call_id, position, params) VALUES (?1, ?2, ?3)",
                        FOW_DB_ARGS(FOW_ARG_INT(call_id), FOW_ARG_INT(rules[i].position), FOW_ARG_TEXT(rules[i].params)),
                        "adding a call's rule", err);
    return rc;
}

#define CALL_COLUMNS                                                                                               \
    "c.id, c.budget_line_id, c.title_en, c.title_ro, c.opens_on, c.closes_on, c.created_at, c.created_by, "          \
    "c.voucher_valid_months, c.voucher_active, c.voucher_min_attendance"

static void read_call(sqlite3_stmt *st, void *item) {
    call_row *row = item;
    row->id = sqlite3_column_int64(st, 0);
    row->budget_line_id = sqlite3_column_int64(st, 1);
    copy_text(st, 2, row->title_en, sizeof row->title_en);
    copy_text(st, 3, row->title_ro, sizeof row->title_ro);
    copy_text(st, 4, row->opens_on, sizeof row->opens_on);
    copy_text(st, 5, row->closes_on, sizeof row->closes_on);
    row->created_at = sqlite3_column_int64(st, 6);
    copy_text(st, 7, row->created_by, sizeof row->created_by);
    row->voucher_valid_months = sqlite3_column_int(st, 8);
    row->voucher_active = sqlite3_column_int(st, 9);
    row->voucher_min_attendance = sqlite3_column_int(st, 10);
    if (sqlite3_column_count(st) > 11) {
        row->n_rules = sqlite3_column_int64(st, 11);
        row->n_applications = sqlite3_column_int64(st, 12);
    }
}

fow_code calls_store_call_get(fow_db *db, long long id, call_row *row, bool *found, fow_error *err) {
    memset(row, 0, sizeof *row);
    return fow_db_row(db, "SELECT " CALL_COLUMNS " FROM voucher_calls c WHERE c.id = ?1", FOW_DB_ARGS(FOW_ARG_INT(id)),
                      read_call, row, found, "reading a call", err);
}

fow_code calls_store_calls(fow_db *db, call_row **out, size_t *n, fow_error *err) {
    return fow_db_rows(db,
                       "SELECT " CALL_COLUMNS ", "
                       "(SELECT count(*) FROM voucher_call_rules r WHERE r.call_id = c.id), "
                       "(SELECT count(*) FROM voucher_applications a WHERE a.call_id = c.id) "
                       "FROM voucher_calls c ORDER BY c.id DESC",
                       NULL, 0, read_call, (void **)out, n, sizeof **out, "listing calls", err);
}

static void read_value(sqlite3_stmt *st, void *item) {
    call_value_row *v = item;
    copy_text(st, 0, v->applicant, sizeof v->applicant);
    copy_text(st, 1, v->mode, sizeof v->mode);
    v->amount_minor = sqlite3_column_int64(st, 2);
}

fow_code calls_store_values(fow_db *db, long long call_id, call_value_row **out, size_t *n, fow_error *err) {
    return fow_db_rows(db,
                       "SELECT applicant_kind, mode, amount_minor FROM voucher_call_values WHERE call_id = "
                       "?1 ORDER BY CASE applicant_kind WHEN 'person' THEN 0 ELSE 1 END",
                       FOW_DB_ARGS(FOW_ARG_INT(call_id)), read_value, (void **)out, n, sizeof **out,
                       "reading a call's values", err);
}

static void read_criterion(sqlite3_stmt *st, void *item) {
    call_criterion_row *c = item;
    c->id = sqlite3_column_int64(st, 0);
    c->position = sqlite3_column_int(st, 1);
    copy_text(st, 2, c->code, sizeof c->code);
    copy_text(st, 3, c->title_en, sizeof c->title_en);
    copy_text(st, 4, c->title_ro, sizeof c->title_ro);
    c->weight = sqlite3_column_int(st, 5);
    c->max_score = sqlite3_column_int(st, 6);
}

fow_code calls_store_criteria(fow_db *db, long long call_id, call_criterion_row **out, size_t *n, fow_error *err) {
    return fow_db_rows(db,
                       "SELECT id, position, code, title_en, title_ro, weight, max_score FROM "
                       "voucher_call_criteria WHERE call_id = ?1 ORDER BY position",
                       FOW_DB_ARGS(FOW_ARG_INT(call_id)), read_criterion, (void **)out, n, sizeof **out,
                       "reading a call's criteria", err);
}

static void read_rule(sqlite3_stmt *st, void *item) {
    call_rule_row *r = item;
    r->position = sqlite3_column_int(st, 0);
    copy_text(st, 1, r->params, sizeof r->params);
}

fow_code calls_store_rules(fow_db *db, long long call_id, call_rule_row **out, size_t *n, fow_error *err) {
    return fow_db_rows(db, "SELECT position, params FROM voucher_call_rules WHERE call_id = ?1 ORDER BY position",
                       FOW_DB_ARGS(FOW_ARG_INT(call_id)), read_rule, (void **)out, n, sizeof **out,
                       "reading a call's rules", err);
}

fow_code calls_store_application_count(fow_db *db, long long call_id, long long *count, fow_error *err) {
    int64_t v = 0;
    fow_code rc = fow_db_int(db, "SELECT count(*) FROM voucher_applications WHERE call_id = ?1",
                             FOW_DB_ARGS(FOW_ARG_INT(call_id)), 0, &v, "counting applications", err);
    *count = v;
    return rc;
}

/* ---- applications ------------------------------------------------------------ */

fow_code calls_store_application_insert(fow_db *db, const application_row *row, const char *proposal,
                                        long long *id, fow_error *err) {
    fow_db_arg plan = row->plan_id > 0 ? FOW_ARG_INT(row->plan_id) : FOW_ARG_TEXT(NULL);
    return insert_row(
        db,
        "INSERT INTO voucher_applications (call_id, applicant_kind, person_id, plan_id, organisation, "
        "enterprise_name, enterprise_code, requested_minor, proposal, status, eligibility, submitted_at, "
        "submitted_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, '', ?11, ?12, ?11)",
        FOW_DB_ARGS(FOW_ARG_INT(row->call_id), FOW_ARG_TEXT(row->kind), FOW_ARG_TEXT_OR_NULL(row->person), plan,
                    FOW_ARG_TEXT(row->organisation), FOW_ARG_TEXT_OR_NULL(row->enterprise_name),
                    FOW_ARG_TEXT_OR_NULL(row->enterprise_code), FOW_ARG_INT(row->requested_minor),
                    FOW_ARG_TEXT(proposal), FOW_ARG_TEXT(row->status), FOW_ARG_INT(row->submitted_at),
                    FOW_ARG_TEXT(row->submitted_by)),
        "adding an application", id, err);
}

fow_code calls_store_application_set_status(fow_db *db, long long id, const char *status, const char *eligibility,
                                            long long now, fow_error *err) {
    return fow_db_run(db,
                      "UPDATE voucher_applications SET status = ?2, updated_at = ?3, eligibility = CASE "
                      "WHEN ?4 IS NULL THEN eligibility ELSE ?4 END WHERE id = ?1",
                      FOW_DB_ARGS(FOW_ARG_INT(id), FOW_ARG_TEXT(status), FOW_ARG_INT(now), FOW_ARG_TEXT(eligibility)),
                      "setting an application's status", err);
}

fow_code calls_store_history_add(fow_db *db, long long application_id, long long at, const char *actor,
                                 const char *status, const char *detail, fow_error *err) {
    return fow_db_run(db,
                      "INSERT INTO voucher_application_history (application_id, at, actor, status, detail) "
                      "VALUES (?1, ?2, ?3, ?4, ?5)",
                      FOW_DB_ARGS(FOW_ARG_INT(application_id), FOW_ARG_INT(at), FOW_ARG_TEXT(actor),
                                  FOW_ARG_TEXT(status), FOW_ARG_TEXT(detail ? detail : "")),
                      "adding to an application's history", err);
}

#define APP_COLUMNS                                                                                                   \
    "id, call_id, coalesce(plan_id, 0), applicant_kind, person_id, organisation, enterprise_name, enterprise_code, " \
    "requested_minor, status, submitted_at, updated_at, submitted_by"

static void read_application(sqlite3_stmt *st, void *item) {
    application_row *a = item;
    a->id = sqlite3_column_int64(st, 0);
    a->call_id = sqlite3_column_int64(st, 1);
    a->plan_id = sqlite3_column_int64(st, 2);
    copy_text(st, 3, a->kind, sizeof a->kind);
    copy_text(st, 4, a->person, sizeof a->person);
    copy_text(st, 5, a->organisation, sizeof a->organisation);
    copy_text(st, 6, a->enterprise_name, sizeof a->enterprise_name);
    copy_text(st, 7, a->enterprise_code, sizeof a->enterprise_code);
    a->requested_minor = sqlite3_column_int64(st, 8);
    copy_text(st, 9, a->status, sizeof a->status);
    a->submitted_at = sqlite3_column_int64(st, 10);
    a->updated_at = sqlite3_column_int64(st, 11);
    copy_text(st, 12, a->submitted_by, sizeof a->submitted_by);
}

fow_code calls_store_application_get(fow_db *db, long long id, application_row *row, bool *found, fow_error *err) {
    *found = false;
    memset(row, 0, sizeof *row);
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(
        db, "SELECT " APP_COLUMNS ", proposal, eligibility FROM voucher_applications WHERE id = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        read_application(st, row);
        row->proposal = strdup(fow_db_column_text(st, 13));
        row->eligibility = strdup(fow_db_column_text(st, 14));
        if (!row->proposal || !row->eligibility) {
            calls_store_application_free(row);
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        } else {
            *found = true;
        }
    } else if (r != SQLITE_DONE) {
        rc = fow_db_error(db, err, "reading an application");
    }
    sqlite3_finalize(st);
    return rc;
}

void calls_store_application_free(application_row *row) {
    if (!row) return;
    free(row->proposal);
    free(row->eligibility);
    row->proposal = row->eligibility = NULL;
}

fow_code calls_store_applications_of_call(fow_db *db, long long call_id, application_row **out, size_t *n,
                                          fow_error *err) {
    return fow_db_rows(db, "SELECT " APP_COLUMNS " FROM voucher_applications WHERE call_id = ?1 ORDER BY id",
                       FOW_DB_ARGS(FOW_ARG_INT(call_id)), read_application, (void **)out, n, sizeof **out,
                       "listing applications", err);
}

fow_code calls_store_applications_of_person(fow_db *db, const char *person, application_row **out, size_t *n,
                                            fow_error *err) {
    return fow_db_rows(db, "SELECT " APP_COLUMNS " FROM voucher_applications WHERE person_id = ?1 ORDER BY id DESC",
                       FOW_DB_ARGS(FOW_ARG_TEXT(person)), read_application, (void **)out, n, sizeof **out,
                       "listing applications", err);
}

fow_code calls_store_application_find(fow_db *db, long long call_id, const char *person, const char *code,
                                      long long *id, fow_error *err) {
    int64_t v = 0;
    fow_code rc = fow_db_int(db,
                             "SELECT id FROM voucher_applications WHERE call_id = ?1 AND "
                             "(person_id = ?2 OR enterprise_code = ?3)",
                             FOW_DB_ARGS(FOW_ARG_INT(call_id), FOW_ARG_TEXT_OR_NULL(person), FOW_ARG_TEXT_OR_NULL(code)),
                             0, &v, "finding an application", err);
    *id = v;
    return rc;
}

static void read_history(sqlite3_stmt *st, void *item) {
    application_history_row *h = item;
    h->at = sqlite3_column_int64(st, 0);
    copy_text(st, 1, h->actor, sizeof h->actor);
    copy_text(st, 2, h->status, sizeof h->status);
    copy_text(st, 3, h->detail, sizeof h->detail);
}

fow_code calls_store_history(fow_db *db, long long application_id, application_history_row **out, size_t *n,
                             fow_error *err) {
    return fow_db_rows(db,
                       "SELECT at, actor, status, detail FROM voucher_application_history WHERE "
                       "application_id = ?1 ORDER BY id",
                       FOW_DB_ARGS(FOW_ARG_INT(application_id)), read_history, (void **)out, n, sizeof **out,
                       "reading an application's history", err);
}

static void read_earlier(sqlite3_stmt *st, void *item) {
    earlier_award_row *e = item;
    e->call_id = sqlite3_column_int64(st, 0);
    e->budget_line_id = sqlite3_column_int64(st, 1);
}

fow_code calls_store_awards_of_applicant(fow_db *db, const char *person, const char *code, long long except_call,
                                         earlier_award_row **out, size_t *n, fow_error *err) {
    return fow_db_rows(db,
                       "SELECT c.id, c.budget_line_id FROM voucher_awards w "
                       "JOIN voucher_applications a ON a.id = w.application_id "
                       "JOIN voucher_calls c ON c.id = a.call_id "
                       "WHERE w.decision = 'awarded' AND c.id <> ?3 AND "
                       "((?1 IS NOT NULL AND a.person_id = ?1) OR (?1 IS NULL AND a.enterprise_code = ?2)) "
                       "ORDER BY w.id",
                       FOW_DB_ARGS(FOW_ARG_TEXT_OR_NULL(person), FOW_ARG_TEXT_OR_NULL(code), FOW_ARG_INT(except_call)),
                       read_earlier, (void **)out, n, sizeof **out, "reading earlier awards", err);
}

/* ---- jury -------------------------------------------------------------------- */

fow_code calls_store_juror_insert(fow_db *db, long long call_id, const char *juror, long long at, const char *by,
                                  fow_error *err) {
    return fow_db_run(db, "INSERT INTO voucher_jurors (call_id, juror, added_at, added_by) VALUES (?1, ?2, ?3, ?4)",
                      FOW_DB_ARGS(FOW_ARG_INT(call_id), FOW_ARG_TEXT(juror), FOW_ARG_INT(at), FOW_ARG_TEXT(by)),
                      "adding a juror", err);
}

static fow_code exists(fow_db *db, const char *sql, long long id, const char *text, bool *yes, const char *what,
                       fow_error *err) {
    return fow_db_row(db, sql, FOW_DB_ARGS(FOW_ARG_INT(id), FOW_ARG_TEXT(text)), NULL, NULL, yes, what, err);
}

fow_code calls_store_is_juror(fow_db *db, long long call_id, const char *juror, bool *yes, fow_error *err) {
    return exists(db, "SELECT 1 FROM voucher_jurors WHERE call_id = ?1 AND juror = ?2", call_id, juror, yes,
                  "reading the jury", err);
}

static void read_juror(sqlite3_stmt *st, void *item) {
    juror_row *j = item;
    copy_text(st, 0, j->juror, sizeof j->juror);
    j->added_at = sqlite3_column_int64(st, 1);
    copy_text(st, 2, j->added_by, sizeof j->added_by);
}

fow_code calls_store_jurors(fow_db *db, long long call_id, juror_row **out, size_t *n, fow_error *err) {
    return fow_db_rows(db, "SELECT juror, added_at, added_by FROM voucher_jurors WHERE call_id = ?1 ORDER BY juror",
                       FOW_DB_ARGS(FOW_ARG_INT(call_id)), read_juror, (void **)out, n, sizeof **out,
                       "reading the jury", err);
}

fow_code calls_store_conflict_insert(fow_db *db, const conflict_row *row, fow_error *err) {
    return fow_db_run(
        db, "INSERT INTO voucher_conflicts (application_id, juror, reason, declared_at) VALUES (?1, ?2, ?3, ?4)",
        FOW_DB_ARGS(FOW_ARG_INT(row->application_id), FOW_ARG_TEXT(row->juror), FOW_ARG_TEXT(row->reason),
                    FOW_ARG_INT(row->declared_at)),
        "declaring a conflict", err);
}

fow_code calls_store_has_conflict(fow_db *db, long long application_id, const char *juror, bool *yes,
                                  fow_error *err) {
    return exists(db, "SELECT 1 FROM voucher_conflicts WHERE application_id = ?1 AND juror = ?2", application_id,
                  juror, yes, "reading conflicts", err);
}

static void read_conflict(sqlite3_stmt *st, void *item) {
    conflict_row *c = item;
    c->application_id = sqlite3_column_int64(st, 0);
    copy_text(st, 1, c->juror, sizeof c->juror);
    copy_text(st, 2, c->reason, sizeof c->reason);
    c->declared_at = sqlite3_column_int64(st, 3);
}

fow_code calls_store_conflicts_of_call(fow_db *db, long long call_id, conflict_row **out, size_t *n,
                                       fow_error *err) {
    return fow_db_rows(db,
                       "SELECT k.application_id, k.juror, k.reason, k.declared_at FROM voucher_conflicts k "
                       "JOIN voucher_applications a ON a.id = k.application_id WHERE a.call_id = ?1 "
                       "ORDER BY k.application_id, k.juror",
                       FOW_DB_ARGS(FOW_ARG_INT(call_id)), read_conflict, (void **)out, n, sizeof **out,
                       "reading conflicts", err);
}

fow_code calls_store_scores_delete(fow_db *db, long long application_id, const char *juror, long long *removed,
                                   fow_error *err) {
    fow_code rc = fow_db_run(db, "DELETE FROM voucher_scores WHERE application_id = ?1 AND juror = ?2",
                             FOW_DB_ARGS(FOW_ARG_INT(application_id), FOW_ARG_TEXT(juror)), "withdrawing scores", err);
    if (!rc) *removed = fow_db_changes(db);
    return rc;
}

fow_code calls_store_score_put(fow_db *db, const score_row *row, fow_error *err) {
    return fow_db_run(db,
                      "INSERT INTO voucher_scores (application_id, juror, criterion_id, score, comment, "
                      "scored_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                      "ON CONFLICT (application_id, juror, criterion_id) DO UPDATE SET "
                      "score = excluded.score, comment = excluded.comment, scored_at = excluded.scored_at",
                      FOW_DB_ARGS(FOW_ARG_INT(row->application_id), FOW_ARG_TEXT(row->juror),
                                  FOW_ARG_INT(row->criterion_id), FOW_ARG_INT(row->score), FOW_ARG_TEXT(row->comment),
                                  FOW_ARG_INT(row->scored_at)),
                      "storing a score", err);
}

static void read_score(sqlite3_stmt *st, void *item) {
    score_row *s = item;
    s->application_id = sqlite3_column_int64(st, 0);
    copy_text(st, 1, s->juror, sizeof s->juror);
    s->criterion_id = sqlite3_column_int64(st, 2);
    s->score = sqlite3_column_int(st, 3);
    copy_text(st, 4, s->comment, sizeof s->comment);
    s->scored_at = sqlite3_column_int64(st, 5);
}

fow_code calls_store_scores_of_call(fow_db *db, long long call_id, score_row **out, size_t *n, fow_error *err) {
    return fow_db_rows(db,
                       "SELECT s.application_id, s.juror, s.criterion_id, s.score, s.comment, s.scored_at "
                       "FROM voucher_scores s JOIN voucher_applications a ON a.id = s.application_id "
                       "WHERE a.call_id = ?1 ORDER BY s.application_id, s.juror, s.criterion_id",
                       FOW_DB_ARGS(FOW_ARG_INT(call_id)), read_score, (void **)out, n, sizeof **out,
                       "reading scores", err);
}

fow_code calls_store_scores_of_application(fow_db *db, long long application_id, score_row **out, size_t *n,
                                           fow_error *err) {
    return fow_db_rows(db,
                       "SELECT application_id, juror, criterion_id, score, comment, scored_at "
                       "FROM voucher_scores WHERE application_id = ?1 ORDER BY juror, criterion_id",
                       FOW_DB_ARGS(FOW_ARG_INT(application_id)), read_score, (void **)out, n, sizeof **out,
                       "reading scores", err);
}

/* ---- awards ------------------------------------------------------------------- */

fow_code calls_store_award_insert(fow_db *db, const award_row *row, long long *id, fow_error *err) {
    return insert_row(db,
                      "INSERT INTO voucher_awards (application_id, call_id, decision, value_minor, currency, "
                      "reason, rank_position, weighted_score_micro, decided_at, decided_by) VALUES "
                      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                      FOW_DB_ARGS(FOW_ARG_INT(row->application_id), FOW_ARG_INT(row->call_id),
                                  FOW_ARG_TEXT(row->decision), FOW_ARG_INT(row->value_minor),
                                  FOW_ARG_TEXT(row->currency), FOW_ARG_TEXT(row->reason),
                                  FOW_ARG_INT(row->rank_position), FOW_ARG_INT(row->weighted_score_micro),
                                  FOW_ARG_INT(row->decided_at), FOW_ARG_TEXT(row->decided_by)),
                      "recording a decision", id, err);
}

static void read_award(sqlite3_stmt *st, void *item) {
    award_row *a = item;
    a->id = sqlite3_column_int64(st, 0);
    a->application_id = sqlite3_column_int64(st, 1);
    a->call_id = sqlite3_column_int64(st, 2);
    copy_text(st, 3, a->decision, sizeof a->decision);
    a->value_minor = sqlite3_column_int64(st, 4);
    copy_text(st, 5, a->currency, sizeof a->currency);
    copy_text(st, 6, a->reason, sizeof a->reason);
    a->rank_position = sqlite3_column_int64(st, 7);
    a->weighted_score_micro = sqlite3_column_int64(st, 8);
    a->decided_at = sqlite3_column_int64(st, 9);
    copy_text(st, 10, a->decided_by, sizeof a->decided_by);
    a->voucher_id = sqlite3_column_int64(st, 11);
}

fow_code calls_store_award_latest(fow_db *db, long long application_id, award_row *row, bool *found,
                                  fow_error *err) {
    memset(row, 0, sizeof *row);
    return fow_db_row(db,
                      "SELECT id, application_id, call_id, decision, value_minor, currency, reason, "
                      "rank_position, weighted_score_micro, decided_at, decided_by, coalesce(voucher_id, 0) "
                      "FROM voucher_awards WHERE application_id = ?1 ORDER BY id DESC LIMIT 1",
                      FOW_DB_ARGS(FOW_ARG_INT(application_id)), read_award, row, found, "reading a decision", err);
}

fow_code calls_store_awarded_unissued(fow_db *db, long long budget_line_id, long long *sum_minor, fow_error *err) {
    int64_t v = 0;
    fow_code rc = fow_db_int(db,
                             "SELECT coalesce(sum(w.value_minor), 0) FROM voucher_awards w "
                             "JOIN voucher_calls c ON c.id = w.call_id "
                             "WHERE c.budget_line_id = ?1 AND w.decision = 'awarded' AND w.voucher_id IS NULL",
                             FOW_DB_ARGS(FOW_ARG_INT(budget_line_id)), 0, &v, "summing awards", err);
    *sum_minor = v;
    return rc;
}

fow_code calls_store_award_set_voucher(fow_db *db, long long award_id, long long voucher_id, fow_error *err) {
    return fow_db_run(db, "UPDATE voucher_awards SET voucher_id = ?2 WHERE id = ?1",
                      FOW_DB_ARGS(FOW_ARG_INT(award_id), FOW_ARG_INT(voucher_id)), "linking an award to its voucher",
                      err);
}

fow_code calls_store_person_blank(fow_db *db, const char *person, size_t *n, fow_error *err) {
    *n = 0;
    fow_code rc = fow_db_run(db, "UPDATE voucher_applications SET proposal = '' WHERE person_id = ?1",
                             FOW_DB_ARGS(FOW_ARG_TEXT(person)), "erasing applications' proposals", err);
    if (!rc) *n = (size_t)fow_db_changes(db);
    return rc;
}

/* ---- fow check ------------------------------------------------------------------ */

static void read_awarded(sqlite3_stmt *st, void *item) {
    award_row *a = item;
    a->id = sqlite3_column_int64(st, 0);
    a->application_id = sqlite3_column_int64(st, 1);
    a->call_id = sqlite3_column_int64(st, 2);
    a->budget_line_id = sqlite3_column_int64(st, 3);
    copy_text(st, 4, a->decision, sizeof a->decision);
    a->value_minor = sqlite3_column_int64(st, 5);
    copy_text(st, 6, a->currency, sizeof a->currency);
    a->decided_at = sqlite3_column_int64(st, 7);
    a->voucher_id = sqlite3_column_int64(st, 8);
}

fow_code calls_store_awards_awarded(fow_db *db, award_row **out, size_t *n, fow_error *err) {
    return fow_db_rows(db,
                       "SELECT w.id, w.application_id, w.call_id, c.budget_line_id, w.decision, w.value_minor, "
                       "w.currency, w.decided_at, coalesce(w.voucher_id, 0) FROM voucher_awards w "
                       "JOIN voucher_calls c ON c.id = w.call_id WHERE w.decision = 'awarded' ORDER BY w.id",
                       NULL, 0, read_awarded, (void **)out, n, sizeof **out, "reading the awards", err);
}

fow_code calls_store_check_conflicts(fow_db *db, fow_check_result *check, fow_error *err) {
    long long conflicts = 0;
    fow_code rc = fow_db_query_int(db, "SELECT count(*) FROM voucher_conflicts", &conflicts, err);
    if (rc) return rc;
    check->checked += (uint64_t)conflicts;
    return fow_db_check_rows(db, check,
                             "SELECT 'application ' || k.application_id || ', juror ' || k.juror, count(*) "
                             "FROM voucher_conflicts k JOIN voucher_scores s ON s.application_id = k.application_id "
                             "AND s.juror = k.juror GROUP BY k.application_id, k.juror ORDER BY k.application_id",
                             "voucher_scores", "%s score(s) by a juror who declared a conflict with the application",
                             err);
}
