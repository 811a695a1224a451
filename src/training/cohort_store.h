/* cohort_store.h — the SQL of cohorts and enrolment: the only code that
 * reads or writes training_cohorts, training_cohort_sessions,
 * training_enrolments and training_attendance. fow_cohort.c calls these
 * functions inside its transactions; other modules call fow_cohort.h. */
#ifndef FOW_COHORT_STORE_H
#define FOW_COHORT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "store/fow_db.h"
#include "training/fow_cohort.h"

/* Adds a cohort (every field of c but id, counts and sessions); *id is its
 * new id. */
fow_code cohort_store_add(fow_db *db, const fow_cohort *c, int64_t *id, fow_error *err);

/* Adds session number (from 1) of cohort_id. */
fow_code cohort_store_add_session(fow_db *db, int64_t cohort_id, int number, const fow_cohort_session *s,
                                  fow_error *err);

/* Sets the status of cohort id; *found false when there is no such cohort. */
fow_code cohort_store_set_status(fow_db *db, int64_t id, const char *status, bool *found, fow_error *err);

/* The cohorts, with their counts and sessions: cohort id (when id > 0),
 * else those of module (when not NULL), else all; by start date then id.
 * visit is called with each (c valid during the call). A code other than
 * FOW_OK from visit stops the walk and is returned. */
fow_code cohort_store_each(fow_db *db, int64_t id, const char *module,
                           fow_code (*visit)(void *ctx, const fow_cohort *c, fow_error *err), void *ctx,
                           fow_error *err);

/* The status of cohort id, its capacity and its module's code (module may
 * be NULL); *found false when none. */
fow_code cohort_store_status(fow_db *db, int64_t id, char status[16], long *capacity,
                             char module[FOW_COHORT_CODE_MAX + 1], bool *found, fow_error *err);

/* The enrolment of person in cohort_id that is not cancelled, with its
 * waiting position and attendance (*found false when none). */
fow_code cohort_store_active_enrolment(fow_db *db, int64_t cohort_id, const char *person, fow_enrolment *out,
                                       bool *found, fow_error *err);

/* The number of seats taken in cohort_id (enrolled and completed). */
fow_code cohort_store_seats_taken(fow_db *db, int64_t cohort_id, long *taken, fow_error *err);

/* Adds an enrolment with status ("enrolled" or "waiting"); enrolled_at is
 * now for "enrolled". *id is its new id. */
fow_code cohort_store_add_enrolment(fow_db *db, int64_t cohort_id, const char *person, const char *organisation,
                                    const char *status, long long now, const char *by, int64_t *id,
                                    fow_error *err);

/* Cancels enrolment id (cancelled_at, cancelled_by). */
fow_code cohort_store_cancel(fow_db *db, int64_t id, long long now, const char *by, fow_error *err);

/* The first waiting enrolment of cohort_id (the smallest id): its id and
 * person; *found false when nobody waits. */
fow_code cohort_store_first_waiting(fow_db *db, int64_t cohort_id, int64_t *id,
                                    char person[FOW_PERSON_ID_CHARS + 1], bool *found, fow_error *err);

/* Gives waiting enrolment id its seat (status "enrolled", enrolled_at). */
fow_code cohort_store_promote(fow_db *db, int64_t id, long long now, fow_error *err);

/* Records attendance of enrolment id at session (replacing a record). */
fow_code cohort_store_put_attendance(fow_db *db, int64_t enrolment_id, int session, bool present, long long now,
                                     const char *by, fow_error *err);

/* Marks enrolment id completed with its result. */
fow_code cohort_store_complete(fow_db *db, int64_t id, bool passed, bool has_score, double score,
                               const char *completed_on, long long now, const char *by, fow_error *err);

/* The enrolments of cohort_id (of organisation only, when not NULL), by
 * id, with positions and attendance. visit as in cohort_store_each. */
fow_code cohort_store_each_enrolment(fow_db *db, int64_t cohort_id, const char *organisation,
                                     fow_code (*visit)(void *ctx, const fow_enrolment *e, fow_error *err),
                                     void *ctx, fow_error *err);

/* The enrolments of person in every cohort (cancelled ones too), in the
 * order of requests, each with its waiting position in its cohort and its
 * attendance. visit as in cohort_store_each. */
fow_code cohort_store_each_enrolment_of_person(fow_db *db, const char *person,
                                               fow_code (*visit)(void *ctx, const fow_enrolment *e, fow_error *err),
                                               void *ctx, fow_error *err);

/* The completions of cohort_id and person (cohort_id 0: every cohort of
 * person), oldest first. visit as in cohort_store_each. */
fow_code cohort_store_each_completion(fow_db *db, int64_t cohort_id, const char *person,
                                      fow_code (*visit)(void *ctx, const fow_completion *c, fow_error *err),
                                      void *ctx, fow_error *err);

#endif
