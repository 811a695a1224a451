/* calls_store.h — the SQL of the calls (src/vouchers/calls.c): the only
 * code that reads or writes voucher_calls, voucher_call_values,
 * voucher_call_criteria, voucher_call_rules, voucher_applications,
 * voucher_application_history, voucher_jurors, voucher_conflicts,
 * voucher_scores and voucher_awards (their owner). For the folder's own
 * files; other modules call fow_calls.h. Writers run inside the caller's
 * transaction; nothing here checks access, consent or rules (calls.c does).
 * Lists are malloc'd arrays (free them; *n of them, NULL when none). */
#ifndef FOW_CALLS_STORE_H
#define FOW_CALLS_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/fow_check.h"
#include "base/fow_error.h"
#include "store/fow_db.h"
#include "vouchers/fow_calls.h"

#define CALLS_RULE_JSON_MAX 4096

typedef struct call_row {
    long long id, budget_line_id;
    char title_en[FOW_CALL_TITLE_MAX + 1], title_ro[FOW_CALL_TITLE_MAX + 1];
    char opens_on[11], closes_on[11];
    long long created_at;
    char created_by[FOW_CALL_ACTOR_MAX + 1];
    int voucher_valid_months;          /* the terms of the vouchers its awards issue (schema 16) */
    int voucher_active;                /* 1: active at once */
    int voucher_min_attendance;
    long long n_rules, n_applications; /* filled by the list only */
} call_row;

typedef struct call_value_row {
    char applicant[16];
    char mode[8];
    long long amount_minor;
} call_value_row;

typedef struct call_criterion_row {
    long long id;
    int position;
    char code[FOW_CALL_CRITERION_CODE_MAX + 1];
    char title_en[FOW_CALL_TITLE_MAX + 1], title_ro[FOW_CALL_TITLE_MAX + 1];
    int weight, max_score;
} call_criterion_row;

typedef struct call_rule_row {
    int position;
    char params[CALLS_RULE_JSON_MAX];
} call_rule_row;

typedef struct application_row {
    long long id, call_id, plan_id;
    char kind[16];
    char person[FOW_PERSON_ID_CHARS + 1];
    char organisation[FOW_PERSON_ORGANISATION_MAX + 1];
    char enterprise_name[FOW_ENTERPRISE_NAME_MAX + 1];
    char enterprise_code[FOW_ENTERPRISE_CODE_MAX + 1];
    long long requested_minor;
    char status[16];
    long long submitted_at, updated_at;
    char submitted_by[FOW_CALL_ACTOR_MAX + 1];
    char *proposal;    /* malloc'd, only by application_get (calls_store_application_free) */
    char *eligibility; /* malloc'd JSON, only by application_get */
} application_row;

typedef struct application_history_row {
    long long at;
    char actor[FOW_CALL_ACTOR_MAX + 1];
    char status[16];
    char detail[FOW_CALL_REASON_MAX + 64];
} application_history_row;

typedef struct juror_row {
    char juror[FOW_CALL_ACTOR_MAX + 1];
    long long added_at;
    char added_by[FOW_CALL_ACTOR_MAX + 1];
} juror_row;

typedef struct conflict_row {
    long long application_id;
    char juror[FOW_CALL_ACTOR_MAX + 1];
    char reason[FOW_CALL_REASON_MAX + 1];
    long long declared_at;
} conflict_row;

typedef struct score_row {
    long long application_id, criterion_id;
    char juror[FOW_CALL_ACTOR_MAX + 1];
    int score;
    char comment[FOW_CALL_REASON_MAX + 1];
    long long scored_at;
} score_row;

typedef struct award_row {
    long long id, application_id, call_id;
    char decision[16];
    long long value_minor;
    char currency[4];
    char reason[FOW_CALL_REASON_MAX + 1];
    long long rank_position;        /* 0: not ranked */
    long long weighted_score_micro; /* weighted score x 1,000,000; -1: none */
    long long decided_at;
    char decided_by[FOW_CALL_ACTOR_MAX + 1];
    long long voucher_id;           /* 0: not issued */
    long long budget_line_id;       /* its call's; filled by calls_store_awards_awarded only */
} award_row;

/* calls */
fow_code calls_store_call_insert(fow_db *db, const call_row *row, long long *id, fow_error *err);
fow_code calls_store_value_insert(fow_db *db, long long call_id, const call_value_row *v, fow_error *err);
fow_code calls_store_criterion_insert(fow_db *db, long long call_id, const call_criterion_row *c, fow_error *err);
/* Deletes the rules of call_id and inserts rules[0..n) (params: canonical JSON). */
fow_code calls_store_rules_replace(fow_db *db, long long call_id, const call_rule_row *rules, size_t n,
                                   fow_error *err);
fow_code calls_store_call_get(fow_db *db, long long id, call_row *row, bool *found, fow_error *err);
/* Every call, newest first, with its counts of rules and applications. */
fow_code calls_store_calls(fow_db *db, call_row **out, size_t *n, fow_error *err);
fow_code calls_store_values(fow_db *db, long long call_id, call_value_row **out, size_t *n, fow_error *err);
fow_code calls_store_criteria(fow_db *db, long long call_id, call_criterion_row **out, size_t *n, fow_error *err);
fow_code calls_store_rules(fow_db *db, long long call_id, call_rule_row **out, size_t *n, fow_error *err);
fow_code calls_store_application_count(fow_db *db, long long call_id, long long *count, fow_error *err);

/* applications */
fow_code calls_store_application_insert(fow_db *db, const application_row *row, const char *proposal,
                                        long long *id, fow_error *err);
/* Sets the status (and updated_at); eligibility (NULL: unchanged) the evaluation's JSON. */
fow_code calls_store_application_set_status(fow_db *db, long long id, const char *status, const char *eligibility,
                                            long long now, fow_error *err);
fow_code calls_store_history_add(fow_db *db, long long application_id, long long at, const char *actor,
                                 const char *status, const char *detail, fow_error *err);
/* With proposal and eligibility (free with calls_store_application_free). */
fow_code calls_store_application_get(fow_db *db, long long id, application_row *row, bool *found, fow_error *err);
void calls_store_application_free(application_row *row);
/* Of a call, by id; without proposal and eligibility. */
fow_code calls_store_applications_of_call(fow_db *db, long long call_id, application_row **out, size_t *n,
                                          fow_error *err);
/* Of a person, newest first; without proposal and eligibility. */
fow_code calls_store_applications_of_person(fow_db *db, const char *person, application_row **out, size_t *n,
                                            fow_error *err);
/* The id of call_id's application of person (kind person) or registration
 * code (kind enterprise), 0 when none. */
fow_code calls_store_application_find(fow_db *db, long long call_id, const char *person, const char *code,
                                      long long *id, fow_error *err);
fow_code calls_store_history(fow_db *db, long long application_id, application_history_row **out, size_t *n,
                             fow_error *err);

/* An earlier award: the call and its budget line. */
typedef struct earlier_award_row {
    long long call_id, budget_line_id;
} earlier_award_row;
/* The calls in which person (or, when person is NULL, registration code)
 * was awarded (latest decision awarded), other than except_call. */
fow_code calls_store_awards_of_applicant(fow_db *db, const char *person, const char *code, long long except_call,
                                         earlier_award_row **out, size_t *n, fow_error *err);

/* jury */
fow_code calls_store_juror_insert(fow_db *db, long long call_id, const char *juror, long long at, const char *by,
                                  fow_error *err);
fow_code calls_store_is_juror(fow_db *db, long long call_id, const char *juror, bool *yes, fow_error *err);
fow_code calls_store_jurors(fow_db *db, long long call_id, juror_row **out, size_t *n, fow_error *err);
fow_code calls_store_conflict_insert(fow_db *db, const conflict_row *row, fow_error *err);
fow_code calls_store_has_conflict(fow_db *db, long long application_id, const char *juror, bool *yes,
                                  fow_error *err);
/* The conflicts declared on the applications of call_id. */
fow_code calls_store_conflicts_of_call(fow_db *db, long long call_id, conflict_row **out, size_t *n, fow_error *err);
/* Removes juror's scores of application_id; how many into *removed. */
fow_code calls_store_scores_delete(fow_db *db, long long application_id, const char *juror, long long *removed,
                                   fow_error *err);
fow_code calls_store_score_put(fow_db *db, const score_row *row, fow_error *err);
/* The scores of the applications of call_id, by application, juror, criterion. */
fow_code calls_store_scores_of_call(fow_db *db, long long call_id, score_row **out, size_t *n, fow_error *err);
fow_code calls_store_scores_of_application(fow_db *db, long long application_id, score_row **out, size_t *n,
                                           fow_error *err);

/* awards */
fow_code calls_store_award_insert(fow_db *db, const award_row *row, long long *id, fow_error *err);
/* The latest decision on application_id; *found false when none. */
fow_code calls_store_award_latest(fow_db *db, long long application_id, award_row *row, bool *found,
                                  fow_error *err);
/* The values awarded (latest decision awarded) and not yet issued as a
 * voucher in the calls of budget line budget_line_id. */
fow_code calls_store_awarded_unissued(fow_db *db, long long budget_line_id, long long *sum_minor, fow_error *err);
fow_code calls_store_award_set_voucher(fow_db *db, long long award_id, long long voucher_id, fow_error *err);

/* fow check: every award row with decision awarded, by id, with its
 * call's budget line (reason and decided_by left empty). */
fow_code calls_store_awards_awarded(fow_db *db, award_row **out, size_t *n, fow_error *err);
/* fow check: adds the declared conflicts to check->checked, and a problem
 * for each (application, juror) with scores despite a conflict. */
fow_code calls_store_check_conflicts(fow_db *db, fow_check_result *check, fow_error *err);

/* erasure: blanks the proposals of person's applications (rows into *n) */
fow_code calls_store_person_blank(fow_db *db, const char *person, size_t *n, fow_error *err);

#endif
