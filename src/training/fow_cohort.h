/* fow_cohort.h — cohorts and enrolment: the runs of a catalogue module
 * (dates, sessions, place, capacity, language, status), the people enrolled
 * in them or waiting for a seat, attendance per session and completion with
 * an assessment result (docs/training.md, "Cohorts and enrolment").
 *
 * A cohort names its module by code (fow_training.h): a re-import of the
 * catalogue keeps the cohorts. Enrolment needs the person's "training"
 * consent in force (fow_people_require_consent); a withdrawn consent stops
 * enrolment, attendance and completion at once (FOW_EINPUT, field
 * "consent"). A cancellation is always allowed.
 *
 * Seats: a cohort of capacity C has at most C enrolments that are enrolled
 * or completed; any further request waits, first come first served.
 * Cancelling a seat promotes the first person waiting in the same
 * transaction. The count and the insert run in one BEGIN IMMEDIATE
 * transaction (fow_db_begin), so any number of connections enrolling at
 * once give exactly min(C, requests) seats; a repeated request for the same
 * person and cohort returns the enrolment they hold (idempotent), backed by
 * a unique index on (cohort, person) over enrolments not cancelled.
 *
 * A passed completion adds each skill the module teaches (those still in
 * the taxonomy) to the person's skills profile with provenance
 * "assessment" through fow_people_skill_add, which needs their counselling
 * consent: without it the completion is recorded and the skills are not
 * (the result says how many were added and why not).
 *
 * Who may do what is decided in one place, fow_cohort_authorise.
 * Errors name fields ("cohort", "module", "starts_on", "ends_on", "place",
 * "capacity", "language", "status", "sessions", "person", "session",
 * "result", "score", "completed_on", "consent", "role").
 * Functions that write run their own transaction: not inside one of yours.
 * Threads: a fow_db (and fow_people) is used by one thread at a time; each
 * thread opens its own connection. */
#ifndef FOW_COHORT_H
#define FOW_COHORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "base/fow_jw.h"
#include "people/fow_people.h"
#include "store/fow_db.h"
#include "taxonomy/fow_model.h"
#include "training/fow_training.h"

#define FOW_COHORT_CODE_MAX 64      /* a module code, bytes */
#define FOW_COHORT_PLACE_MAX 200
#define FOW_COHORT_LANGUAGE_MAX 16
#define FOW_COHORT_SESSIONS_MAX 64
#define FOW_COHORT_CAPACITY_MAX 10000

/* ---- who may do what -------------------------------------------------------- */

typedef enum fow_cohort_action {
    FOW_COHORT_MANAGE = 0, /* add a cohort, change its status */
    FOW_COHORT_ENROL,      /* enrol a person, cancel an enrolment */
    FOW_COHORT_RECORD,     /* record attendance and completion */
    FOW_COHORT_SEE_PEOPLE  /* see who is enrolled (pseudonymous ids) */
} fow_cohort_action;

/* Who acts: the staff as src/people knows them (organisation scope), their
 * role (fow_role of src/accounts; the command line acts as admin) and, for
 * a provider's account, the training provider it works for. */
typedef struct fow_cohort_actor {
    fow_people_staff staff;
    int role;
    int64_t provider_id; /* role provider: its training provider (users.provider_id); else 0 */
} fow_cohort_actor;

/* FOW_OK when who may do action on a cohort whose module belongs to the
 * training provider provider (-1: whether who may do action on some
 * cohort, before the cohort is known), else FOW_EINPUT with field "role"
 * naming the action. The one place where these rules are kept:
 *   FOW_COHORT_ENROL        FOW_PERM_MANAGE_PEOPLE (admin, counsellor), the
 *                           people enrolled being limited to the
 *                           counsellor's organisation by src/people;
 *   FOW_COHORT_MANAGE, FOW_COHORT_RECORD, FOW_COHORT_SEE_PEOPLE
 *                           FOW_PERM_RUN_COHORTS: an admin and a counsellor
 *                           any cohort (a counsellor sees and records only
 *                           the people of their organisation), a provider
 *                           only the cohorts of its own modules
 *                           (fow_access_provider; a module code that two
 *                           providers share belongs to neither) and every
 *                           person enrolled in them, by pseudonymous id;
 *   every other role        nothing.
 * Can't fail otherwise. */
fow_code fow_cohort_authorise(const fow_cohort_actor *who, fow_cohort_action action, int64_t provider,
                              fow_error *err);

/* true when who sees every enrolment of a cohort it may see
 * (FOW_COHORT_SEE_PEOPLE), not only those of its organisation: an
 * administrator, and a provider for the cohorts of its modules. */
bool fow_cohort_sees_all(const fow_cohort_actor *who);

/* ---- cohorts ----------------------------------------------------------------- */

typedef enum fow_cohort_status {
    FOW_COHORT_PLANNED = 0, /* announced, not yet taking enrolments */
    FOW_COHORT_OPEN,        /* taking enrolments */
    FOW_COHORT_CLOSED,      /* full or started: no new enrolments, cancellations still promote */
    FOW_COHORT_FINISHED,    /* over */
    FOW_COHORT_CANCELLED,   /* will not run */
    FOW_COHORT_STATUS_COUNT
} fow_cohort_status;

/* "planned", "open", "closed", "finished", "cancelled"; "?" out of range. */
const char *fow_cohort_status_name(fow_cohort_status s);

/* Parses a status name into *out: 0, or -1 for anything else. */
int fow_cohort_status_parse(const char *text, fow_cohort_status *out);

typedef struct fow_cohort_session {
    char date[11];      /* YYYY-MM-DD */
    char starts_at[6];  /* HH:MM */
    char ends_at[6];
    char place[FOW_COHORT_PLACE_MAX + 1]; /* "" : the cohort's place */
} fow_cohort_session;

/* Parses a session written "YYYY-MM-DD HH:MM-HH:MM" or "YYYY-MM-DD
 * HH:MM-HH:MM @ PLACE" into *out (its values are checked by
 * fow_cohort_add). FOW_EINPUT (field "sessions") for another shape. */
fow_code fow_cohort_session_parse(const char *text, fow_cohort_session *out, fow_error *err);

/* What a new cohort holds. */
typedef struct fow_cohort_input {
    const char *module;     /* a module code of the catalogue */
    const char *starts_on;  /* YYYY-MM-DD */
    const char *ends_on;    /* YYYY-MM-DD, not before starts_on */
    const char *place;      /* NULL: the module's place */
    const char *language;   /* NULL: the module's language */
    long capacity;          /* 1 .. FOW_COHORT_CAPACITY_MAX */
    const char *status;     /* NULL: "open" */
    const fow_cohort_session *sessions; /* 0 .. FOW_COHORT_SESSIONS_MAX, each within the dates */
    size_t n_sessions;
} fow_cohort_input;

typedef struct fow_cohort {
    int64_t id;
    char module[FOW_COHORT_CODE_MAX + 1];
    char starts_on[11], ends_on[11];
    char place[FOW_COHORT_PLACE_MAX + 1];
    char language[FOW_COHORT_LANGUAGE_MAX + 1];
    long capacity;
    fow_cohort_status status;
    long long created_at;
    char created_by[FOW_PERSON_ACTOR_MAX + 1];
    long enrolled, waiting, completed, passed, cancelled; /* enrolments by status (passed: of completed) */
    long seats_left;                                      /* capacity - enrolled - completed, at least 0 */
    fow_cohort_session sessions[FOW_COHORT_SESSIONS_MAX]; /* in date order */
    size_t n_sessions;
} fow_cohort;

/* Adds a cohort of module in->module (which must be in catalogue) after
 * checking every field (FOW_EINPUT naming it; an unknown module
 * FOW_ENOTFOUND, field "module"). Sessions are stored in date and time
 * order, numbered from 1. Needs FOW_COHORT_MANAGE on the module's
 * cohorts (fow_cohort_authorise: a provider, its own modules). The new id
 * in *id. */
fow_code fow_cohort_add(fow_db *db, const fow_cohort_actor *who, const fow_training_catalogue *catalogue,
                        const fow_cohort_input *in, long long now, int64_t *id, fow_error *err);

/* Adds the cohorts of the CSV file at path (docs/training.md: columns
 * module, starts_on, ends_on, place, language, capacity, status, sessions
 * — sessions as fow_cohort_session_parse reads them, separated by ';'),
 * all in one transaction: a bad row is FOW_EINPUT (or FOW_ENOTFOUND for an
 * unknown module) at its file, line, column and column name, and nothing
 * is written. Needs FOW_COHORT_MANAGE on every row's module (a row of
 * another provider's module: FOW_EINPUT, field "role", at its module
 * cell). How many were added in *added. */
fow_code fow_cohorts_add_file(fow_db *db, const fow_cohort_actor *who, const fow_training_catalogue *catalogue,
                              const char *path, long long now, size_t *added, fow_error *err);

/* Changes the status of cohort id. Needs FOW_COHORT_MANAGE (on that
 * cohort: a provider, its own modules' cohorts). Unknown cohort:
 * FOW_ENOTFOUND (field "cohort"). */
fow_code fow_cohort_set_status(fow_db *db, const fow_cohort_actor *who, int64_t id, fow_cohort_status status,
                               fow_error *err);

/* Reads cohort id with its counts and sessions into *out (a large struct:
 * allocate it). Public: no person is named. Unknown: FOW_ENOTFOUND (field
 * "cohort"). */
fow_code fow_cohort_get(fow_db *db, int64_t id, fow_cohort *out, fow_error *err);

/* The cohorts of module (its code; NULL or "": every module), by start
 * date then id, with their counts and sessions: a malloc'd array *out (free
 * it; NULL when none) of *n. Public. */
fow_code fow_cohorts_list(fow_db *db, const char *module, fow_cohort **out, size_t *n, fow_error *err);

/* The next cohort of module that a person could join on date today
 * (YYYY-MM-DD): open, starting today or later; the earliest with a seat
 * left, else the earliest (seats_left 0: its waiting list). *found false
 * when none. For the gap -> modules match and the module page. */
fow_code fow_cohort_next_open(fow_db *db, const char *module, const char *today, fow_cohort *out, bool *found,
                              fow_error *err);

/* ---- enrolment --------------------------------------------------------------- */

typedef enum fow_enrolment_status {
    FOW_ENROLMENT_ENROLLED = 0,
    FOW_ENROLMENT_WAITING,
    FOW_ENROLMENT_CANCELLED,
    FOW_ENROLMENT_COMPLETED,
    FOW_ENROLMENT_STATUS_COUNT
} fow_enrolment_status;

/* "enrolled", "waiting", "cancelled", "completed"; "?" out of range. */
const char *fow_enrolment_status_name(fow_enrolment_status s);

typedef struct fow_enrolment {
    int64_t id;
    int64_t cohort_id;
    char person[FOW_PERSON_ID_CHARS + 1];
    char organisation[FOW_PERSON_ORGANISATION_MAX + 1];
    fow_enrolment_status status;
    long position;               /* on the waiting list, from 1; 0 when not waiting */
    long long requested_at, enrolled_at, cancelled_at; /* 0: not (yet) */
    char requested_by[FOW_PERSON_ACTOR_MAX + 1];
    bool passed;                 /* completed: the result */
    bool has_score;
    double score;                /* 0 .. 100 when has_score */
    char completed_on[11];       /* "" when not completed */
    signed char attendance[FOW_COHORT_SESSIONS_MAX]; /* per session: -1 not recorded, 0 absent, 1 present */
    size_t n_sessions;           /* of the cohort */
} fow_enrolment;

/* Enrols person (who must be one the staff may see, with training consent
 * in force) in cohort_id, which must be open: a seat when one is left, else
 * the waiting list. When the person already holds an enrolment in the
 * cohort that is not cancelled, nothing is written and *out is that one
 * (*created false). Needs FOW_COHORT_ENROL. A cohort not open: FOW_EINPUT
 * (field "cohort"). */
fow_code fow_cohort_enrol(fow_db *db, fow_people *people, const fow_cohort_actor *who, int64_t cohort_id,
                          const char *person, long long now, fow_enrolment *out, bool *created, fow_error *err);

/* fow_cohort_enrol in two steps, for a caller that enrols together with
 * writes of its own in one transaction (a voucher redeemed at enrolment,
 * src/vouchers): fow_cohort_enrol_prepare checks the actor, the person and
 * their training consent (before the caller's transaction: it reads
 * people) into *ticket; fow_cohort_enrol_in_transaction then does what
 * fow_cohort_enrol does inside the caller's write transaction (fow_db_begin;
 * FOW_EINTERNAL when none is open), which the caller commits or rolls back.
 * Same results and errors as fow_cohort_enrol. */
typedef struct fow_enrol_ticket {
    fow_people *people;     /* to read the consent again inside the transaction */
    fow_people_staff staff; /* who acts, for that read */
    int64_t cohort_id;
    char person[FOW_PERSON_ID_CHARS + 1];
    char organisation[FOW_PERSON_ORGANISATION_MAX + 1];
    char actor[FOW_PERSON_ACTOR_MAX + 1];
} fow_enrol_ticket;
fow_code fow_cohort_enrol_prepare(fow_people *people, const fow_cohort_actor *who, int64_t cohort_id,
                                  const char *person, long long now, fow_enrol_ticket *ticket, fow_error *err);
fow_code fow_cohort_enrol_in_transaction(fow_db *db, const fow_enrol_ticket *ticket, long long now,
                                         fow_enrolment *out, bool *created, fow_error *err);

/* fow_cohort_enrol_prepare for the holder of a bearer entitlement (a
 * voucher whose code its holder presented, src/vouchers), enrolled by the
 * staff of the cohort's provider: who needs FOW_COHORT_MANAGE on cohort_id
 * (fow_cohort_authorise: a provider only the cohorts of its own modules; an
 * admin or a counsellor any), not FOW_COHORT_ENROL, and reaches person
 * through the entitlement, in any organisation. The caller must have
 * checked that the entitlement names person and may be spent on this
 * cohort; nothing else may call it. The ticket is used as
 * fow_cohort_enrol_prepare's. FOW_ENOTFOUND (field "cohort") for an
 * unknown cohort; else as fow_cohort_enrol_prepare. */
fow_code fow_cohort_enrol_prepare_bearer(fow_db *db, fow_people *people, const fow_cohort_actor *who,
                                         int64_t cohort_id, const char *person, long long now,
                                         fow_enrol_ticket *ticket, fow_error *err);

/* Cancels person's enrolment in cohort_id (enrolled or waiting; not a
 * completed one). When it held a seat, the first person waiting takes it in
 * the same transaction: their id into promoted (made "" when nobody was
 * waiting; may be NULL). Needs FOW_COHORT_ENROL; the person must be one the
 * staff may see. No such enrolment: FOW_ENOTFOUND (field "person"). */
fow_code fow_cohort_cancel(fow_db *db, fow_people *people, const fow_cohort_actor *who, int64_t cohort_id,
                           const char *person, long long now, char promoted[FOW_PERSON_ID_CHARS + 1],
                           fow_error *err);

/* Records whether person (enrolled or completed in cohort_id) was present
 * at session number session (1 .. the cohort's sessions; field "session"),
 * replacing an earlier record. Needs FOW_COHORT_RECORD on the cohort and
 * the person's training consent, read in the write transaction. A
 * provider reaches every person enrolled in its cohorts; a counsellor
 * only the people of their organisation (else FOW_ENOTFOUND). */
fow_code fow_cohort_attend(fow_db *db, fow_people *people, const fow_cohort_actor *who, int64_t cohort_id,
                           const char *person, int session, bool present, long long now, fow_error *err);

/* One enrolment of a cohort as fow_cohort_enrolments lists it; the same
 * rules as fow_cohort_attend (FOW_COHORT_SEE_PEOPLE), any consent state. */
fow_code fow_cohort_enrolment(fow_db *db, fow_people *people, const fow_cohort_actor *who, int64_t cohort_id,
                              const char *person, fow_enrolment *out, fow_error *err);

/* The enrolments of cohort_id the actor may see (every one when
 * fow_cohort_sees_all, else those of their organisation), cancelled ones
 * too, in the
 * order of requests, with positions and attendance: malloc'd *out (free
 * it; NULL when none) of *n. Needs FOW_COHORT_SEE_PEOPLE on the cohort. */
fow_code fow_cohort_enrolments(fow_db *db, const fow_cohort_actor *who, int64_t cohort_id, fow_enrolment **out,
                               size_t *n, fow_error *err);

/* An enrolment of a person with the cohort it is in. */
typedef struct fow_person_enrolment {
    fow_enrolment enrolment;
    fow_cohort cohort; /* with its counts and sessions */
} fow_person_enrolment;

/* Every enrolment of person (cancelled and completed ones too), in the
 * order of requests, each with its cohort, its waiting position and its
 * attendance: a malloc'd *out (free it; NULL when none) of *n. Needs
 * FOW_COHORT_ENROL (those who enrol people see a person's enrolments),
 * and the person must be one the staff may see (fow_people_visible: a
 * counsellor, the people of their organisation; anyone else's is
 * FOW_ENOTFOUND, field "person"). A malformed id is FOW_EINPUT (field
 * "person"). Not audited: it names the person by pseudonymous id only,
 * as the lists of a cohort's enrolments. */
fow_code fow_cohort_enrolments_of_person(fow_db *db, fow_people *people, const fow_cohort_actor *who,
                                         const char *person, fow_person_enrolment **out, size_t *n,
                                         fow_error *err);

/* ---- completion -------------------------------------------------------------- */

/* A completed enrolment: what a credential (Open Badges) is issued for. */
typedef struct fow_completion {
    int64_t enrolment_id;
    int64_t cohort_id;
    char person[FOW_PERSON_ID_CHARS + 1];
    char module[FOW_COHORT_CODE_MAX + 1];  /* the module's code (fow_training_module_by_code) */
    char completed_on[11];                 /* YYYY-MM-DD */
    bool passed;
    bool has_score;
    double score;                          /* 0 .. 100 when has_score */
    long long recorded_at;
    char recorded_by[FOW_PERSON_ACTOR_MAX + 1];
} fow_completion;

/* What fow_cohort_complete did to the skills profile. */
typedef struct fow_completion_skills {
    size_t taught;      /* skills the module teaches */
    size_t added;       /* added to the profile with provenance "assessment" */
    size_t not_in_taxonomy; /* taught skills the model does not hold */
    bool no_counselling_consent; /* none added: the profile needs counselling consent */
} fow_completion_skills;

/* Records the completion of person (enrolled in cohort_id, training
 * consent in force) with result passed or failed, score (has_score; 0 ..
 * 100, field "score") and completed_on (YYYY-MM-DD; NULL: the date of
 * now, UTC). The enrolment becomes "completed". When passed, each skill the
 * module teaches that model knows is added to the person's profile with
 * provenance "assessment" and detail "module CODE, cohort ID", through
 * fow_people_skill_add (model may be NULL: none added, counted as not in
 * the taxonomy). Already completed: FOW_EINPUT (field "person"). Needs
 * FOW_COHORT_RECORD on the cohort, as fow_cohort_attend. *out (may be NULL) gets the completion, *skills (may
 * be NULL) what was added. */
fow_code fow_cohort_complete(fow_db *db, fow_people *people, const fow_cohort_actor *who, const fow_model *model,
                             const fow_training_catalogue *catalogue, int64_t cohort_id, const char *person,
                             bool passed, bool has_score, double score, const char *completed_on, long long now,
                             fow_completion *out, fow_completion_skills *skills, fow_error *err);

/* The completion of person in cohort_id into *out: FOW_ENOTFOUND (field
 * "person") when they did not complete it. No access check and no audit:
 * it holds the pseudonymous id only; the caller decides who may read it
 * (the credentials of src/training call it after their own check). */
fow_code fow_cohort_completion(fow_db *db, int64_t cohort_id, const char *person, fow_completion *out,
                               fow_error *err);

/* Every completion of person, oldest first: malloc'd *out (free it; NULL
 * when none) of *n. No access check, as fow_cohort_completion. */
fow_code fow_cohort_completions_of(fow_db *db, const char *person, fow_completion **out, size_t *n,
                                   fow_error *err);

/* ---- JSON (the same documents for the command line and the API) ------------- */

/* One cohort: {id, module: {code, id, title: {ro, en}} (id and title null
 * when the module is no longer in the catalogue, which may be NULL),
 * starts_on, ends_on, place, language, capacity, status, seats: {capacity,
 * enrolled, completed, waiting, cancelled, passed, left}, sessions:
 * [{number, date, starts_at, ends_at, place}], created_at, created_by}. */
void fow_cohort_write(fow_jw *w, const fow_cohort *c, const fow_training_catalogue *catalogue);

/* {cohorts: [cohort...], count, module (the code asked, or null)} */
void fow_cohort_result_list(fow_jw *w, const fow_cohort *list, size_t n, const char *module,
                            const fow_training_catalogue *catalogue);

/* {cohort, enrolments: [enrolment...], count, shown: "all" or
 * "organisation"}. */
void fow_cohort_result_show(fow_jw *w, const fow_cohort *c, const fow_enrolment *e, size_t n, bool all,
                            const fow_training_catalogue *catalogue);

/* One enrolment: {id, cohort_id, person, organisation, status, position
 * (null unless waiting), requested_at, enrolled_at, cancelled_at, result
 * (null, "passed" or "failed"), score, completed_on, attendance: [{session,
 * present (null: not recorded)}], attended}. */
void fow_cohort_write_enrolment(fow_jw *w, const fow_enrolment *e);

/* {person, enrolments: [{enrolment (as fow_cohort_write_enrolment),
 * cohort (as fow_cohort_write)}], count}: a person's enrolments. */
void fow_cohort_result_person(fow_jw *w, const char *person, const fow_person_enrolment *list, size_t n,
                              const fow_training_catalogue *catalogue);

/* {cancelled: person, promoted: the person who took the seat, or null} */
void fow_cohort_result_cancel(fow_jw *w, const char *person, const char *promoted);

/* {enrolment} */
void fow_cohort_result_attendance(fow_jw *w, const fow_enrolment *e);

/* {enrolment, created} */
void fow_cohort_result_enrol(fow_jw *w, const fow_enrolment *e, bool created);

/* The credential a passed completion was issued (src/credentials,
 * fow_credential_issue_completion): its id and verification URL, or why
 * none was issued (a message for display). Plain values, so that the
 * training subject does not depend on the credentials one. */
typedef struct fow_completion_credential {
    bool issued;
    char id[64];           /* urn:uuid:... */
    char verify_url[320];
    char message[300];     /* when not issued: why, in English */
} fow_completion_credential;

/* {completion: {enrolment_id, cohort_id, person, module, completed_on,
 * result, score, recorded_at, recorded_by}, skills: {taught, added,
 * not_in_taxonomy, note (a message object or null)}, credential: {id,
 * verify_url} or {id: null, note (a message object)} or null}; skills and
 * credential may be NULL (then null). */
void fow_cohort_result_completion(fow_jw *w, const fow_completion *c, const fow_completion_skills *skills,
                                  const fow_completion_credential *credential);

#endif
