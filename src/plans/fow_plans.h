/* fow_plans.h — the worker's plan (docs/plans.md): what a counsellor and a
 * person agree on to move to other work. A plan belongs to one person
 * (their pseudonymous id, src/people) and holds:
 *   - target moves (occupations), each with the gap from the person's skills
 *     profile as it was computed then (a JSON snapshot with its time and the
 *     data version of the taxonomy and catalogue it was read from), and the
 *     modules chosen for it (first the match of src/training/fow_match.h,
 *     then as edited), each with its hours, cost (integer minor units) and
 *     the cohort chosen, if any;
 *   - milestones with due dates and a status (planned, in_progress, done,
 *     dropped);
 *   - the plan's status (draft, active, completed, cancelled);
 *   - its history: every change, who, when, what; append-only (rows are
 *     only ever added, and removed only with the person's erasure).
 *
 * Access: staff act as a fow_people_staff. A plan is reachable only when
 * its person is (fow_people's rule: a counsellor sees the people of their
 * organisation; anyone else's plan is "not found", field "plan"). Every
 * change needs the person's counselling consent in force (FOW_EINPUT,
 * field "consent"); reading needs only the person to be visible. A person
 * acting on their own records (staff->self, their id) reads their own
 * plans (fow_plans_write, fow_plans_write_list) and changes nothing
 * (FOW_EINPUT, field "role"); anyone else's plan is "not found" to them.
 *
 * The person's data export (fow_people_export) includes their plans under
 * "plans", and their erasure (fow_people_erase) removes them, once
 * fow_plans_attach has been called in the process (the front ends do it
 * at start-up).
 *
 * Errors name fields: "plan", "person", "title", "status", "occupation",
 * "module", "cohort", "milestone", "due", "consent".
 * Functions that write run their own transaction: not inside one of yours.
 */
#ifndef FOW_PLANS_H
#define FOW_PLANS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "base/fow_jw.h"
#include "people/fow_people.h"
#include "store/fow_db.h"
#include "training/fow_match.h"
#include "transitions/fow_similarity.h"

#define FOW_PLAN_TITLE_MAX 200     /* bytes of UTF-8 */
#define FOW_PLAN_MILESTONE_MAX 200
#define FOW_PLAN_MOVES_MAX 5       /* target moves per plan */
#define FOW_PLAN_MILESTONES_MAX 50

typedef enum fow_plan_status {
    FOW_PLAN_DRAFT = 0,
    FOW_PLAN_ACTIVE,
    FOW_PLAN_COMPLETED,
    FOW_PLAN_CANCELLED,
    FOW_PLAN_STATUS_COUNT
} fow_plan_status;

/* "draft", "active", "completed", "cancelled"; "?" out of range. */
const char *fow_plan_status_name(fow_plan_status s);
/* Parses a plan status into *out: 0, or -1. */
int fow_plan_status_parse(const char *text, fow_plan_status *out);

typedef enum fow_milestone_status {
    FOW_MILESTONE_PLANNED = 0,
    FOW_MILESTONE_IN_PROGRESS,
    FOW_MILESTONE_DONE,
    FOW_MILESTONE_DROPPED,
    FOW_MILESTONE_STATUS_COUNT
} fow_milestone_status;

/* "planned", "in_progress", "done", "dropped"; "?" out of range. */
const char *fow_milestone_status_name(fow_milestone_status s);
/* Parses a milestone status into *out: 0, or -1. */
int fow_milestone_status_parse(const char *text, fow_milestone_status *out);

/* Who acts, on which database and people records, and when. db is the
 * database people was opened on. */
typedef struct fow_plans_ctx {
    fow_db *db;
    fow_people *people;
    const fow_people_staff *staff;
    long long now;
} fow_plans_ctx;

/* Registers plans with people (fow_people_attach): the person's export
 * includes their plans and erasure removes them. Call once at start-up. */
fow_code fow_plans_attach(fow_error *err);

/* Makes an empty plan (status draft) for person id titled title (1..200
 * bytes, no control characters). Needs counselling consent. The new plan's
 * id into *plan_id. */
fow_code fow_plans_create(const fow_plans_ctx *c, const char *person, const char *title, long long *plan_id,
                          fow_error *err);

/* Adds the move to occupation destination (an index of ws's model) to
 * plan_id: the gap from the person's skills profile (fow_people_skills,
 * judged as their occupation) is computed now with fow_match_plan_compute
 * over the catalogue of x (essential skills only, default parameters),
 * kept as a snapshot with the data version, and the modules it chooses are
 * added with the next open cohort of each from today (fow_match_starts), if
 * any. The same occupation twice, or more than FOW_PLAN_MOVES_MAX moves:
 * FOW_EINPUT (field "occupation"). An empty profile: FOW_EINPUT (field
 * "skills"). The move's id into *move_id (may be NULL). */
fow_code fow_plans_add_move(const fow_plans_ctx *c, long long plan_id, fow_similarity_workspace *ws,
                            const fow_match_index *x, uint32_t destination, long long *move_id, fow_error *err);

/* Removes move move_id of plan_id with its modules. */
fow_code fow_plans_remove_move(const fow_plans_ctx *c, long long plan_id, long long move_id, fow_error *err);

/* Adds module_code of the catalogue cat to move move_id of plan_id, with
 * cohort_id (0: none; else a cohort of that module, FOW_EINPUT field
 * "cohort" otherwise). Unknown module: FOW_ENOTFOUND (field "module");
 * already in the move: FOW_EINPUT (field "module"). When it is there
 * already with another cohort, use fow_plans_set_cohort. */
fow_code fow_plans_add_module(const fow_plans_ctx *c, long long plan_id, long long move_id,
                              const fow_training_catalogue *cat, const char *module_code, int64_t cohort_id,
                              fow_error *err);

/* Sets the cohort of module module_code of move move_id (0: none). */
fow_code fow_plans_set_cohort(const fow_plans_ctx *c, long long plan_id, long long move_id, const char *module_code,
                              int64_t cohort_id, fow_error *err);

/* Removes module_code from move move_id of plan_id (FOW_ENOTFOUND, field
 * "module", when it is not there). */
fow_code fow_plans_remove_module(const fow_plans_ctx *c, long long plan_id, long long move_id,
                                 const char *module_code, fow_error *err);

/* Adds a milestone (title 1..200 bytes; due YYYY-MM-DD, a real date),
 * status planned; its id into *milestone_id (may be NULL). */
fow_code fow_plans_add_milestone(const fow_plans_ctx *c, long long plan_id, const char *title, const char *due,
                                 long long *milestone_id, fow_error *err);

/* Sets milestone milestone_id's status, and its due date when due is not
 * NULL. */
fow_code fow_plans_set_milestone(const fow_plans_ctx *c, long long plan_id, long long milestone_id,
                                 fow_milestone_status status, const char *due, fow_error *err);

/* Sets the plan's status. A completed or cancelled plan changes no more
 * (FOW_EINPUT, field "status"), except to be set active again. */
fow_code fow_plans_set_status(const fow_plans_ctx *c, long long plan_id, fow_plan_status status, fow_error *err);

/* Writes plan_id as JSON into w: {id, person, organisation, title, status,
 * created_at, created_by, updated_at, moves [{id, occupation {uri, label},
 * gap (the snapshot), gap_at, data_version {generation, stamp}, modules
 * [{module_id, code, title {en, ro}, hours, cost {minor_units, currency},
 * cohort_id, starts_on}], hours, cost [{minor_units, currency}]}],
 * milestones [{id, title, due, status}], totals {modules, hours, cost
 * [{minor_units, currency}]}, history [{at, actor, action, detail}]}.
 * Occupation and skill labels are those of the taxonomy when the move was
 * added (in its language); fow_result_worker_plan (src/service) adds each
 * one in a reader's language at render time. */
fow_code fow_plans_write(const fow_plans_ctx *c, long long plan_id, fow_jw *w, fow_error *err);

/* Writes the plans of person id, newest first: {person, plans: [{id, title,
 * status, created_at, updated_at, moves (the occupations' labels as
 * stored), targets [{uri, label}] (the same moves), milestones}]}.
 * Labels are kept in the taxonomy's language when the move was added;
 * fow_result_worker_plans (src/service) adds them in a reader's language. */
fow_code fow_plans_write_list(const fow_plans_ctx *c, const char *person, fow_jw *w, fow_error *err);

/* The person a plan belongs to, into person (FOW_ENOTFOUND field "plan"
 * when there is no such plan or the staff may not see its person). */
fow_code fow_plans_person(const fow_plans_ctx *c, long long plan_id, char person[FOW_PERSON_ID_CHARS + 1],
                          fow_error *err);

#endif
