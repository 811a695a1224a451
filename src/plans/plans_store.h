/* plans_store.h — the SQL of src/plans: the only code that reads or writes
 * plans, plan_moves, plan_modules, plan_milestones and plan_history (their
 * owner). For the folder's own files; other modules call fow_plans.h.
 * Writers run inside the caller's transaction; nothing here checks access
 * or consent (fow_plans.c does). Lists are malloc'd arrays (free them). */
#ifndef FOW_PLANS_STORE_H
#define FOW_PLANS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "people/fow_people.h"
#include "plans/fow_plans.h"
#include "store/fow_db.h"

typedef struct plan_row {
    long long id;
    char person[FOW_PERSON_ID_CHARS + 1];
    char organisation[FOW_PERSON_ORGANISATION_MAX + 1];
    char title[FOW_PLAN_TITLE_MAX + 1];
    char status[16];
    long long created_at, updated_at;
    char created_by[FOW_PERSON_ACTOR_MAX + 1];
} plan_row;

typedef struct plan_move_row {
    long long id, plan_id;
    char occupation_uri[FOW_PERSON_URI_MAX + 1];
    char occupation_label[256];
    char *gap_json; /* malloc'd (plans_store_moves_free) */
    long long gap_at;
    long long data_generation;
    char data_stamp[33];
} plan_move_row;

typedef struct plan_module_row {
    long long id, move_id;
    int64_t module_id;
    char code[64];
    char title_en[256], title_ro[256];
    double hours;
    long long cost_minor;
    char currency[8];
    int64_t cohort_id; /* 0: none */
    char starts_on[11];
} plan_module_row;

typedef struct plan_milestone_row {
    long long id, plan_id;
    char title[FOW_PLAN_MILESTONE_MAX + 1];
    char due[11];
    char status[16];
} plan_milestone_row;

typedef struct plan_history_row {
    long long at;
    char actor[FOW_PERSON_ACTOR_MAX + 1];
    char action[32];
    char detail[512];
} plan_history_row;

/* Adds row (its id is ignored); the new id into *id. */
fow_code plans_store_insert(fow_db *db, const plan_row *row, long long *id, fow_error *err);
/* Reads plan id; *found false when none. */
fow_code plans_store_get(fow_db *db, long long id, plan_row *row, bool *found, fow_error *err);
/* The plans of person, newest first. */
fow_code plans_store_of_person(fow_db *db, const char *person, plan_row **out, size_t *n, fow_error *err);
/* Sets updated_at = now, and status when status is not NULL. */
fow_code plans_store_touch(fow_db *db, long long id, const char *status, long long now, fow_error *err);

fow_code plans_store_move_insert(fow_db *db, const plan_move_row *row, long long *id, fow_error *err);
/* Removes move move_id of plan_id and its modules; *removed rows of moves. */
fow_code plans_store_move_delete(fow_db *db, long long plan_id, long long move_id, long long *removed,
                                 fow_error *err);
/* The moves of plan_id, in the order added. */
fow_code plans_store_moves(fow_db *db, long long plan_id, plan_move_row **out, size_t *n, fow_error *err);
void plans_store_moves_free(plan_move_row *rows, size_t n);

fow_code plans_store_module_insert(fow_db *db, const plan_module_row *row, fow_error *err);
fow_code plans_store_module_set_cohort(fow_db *db, long long move_id, const char *code, int64_t cohort_id,
                                       const char *starts_on, long long *changed, fow_error *err);
fow_code plans_store_module_delete(fow_db *db, long long move_id, const char *code, long long *removed,
                                   fow_error *err);
/* The modules of move_id, in the order added. */
fow_code plans_store_modules(fow_db *db, long long move_id, plan_module_row **out, size_t *n, fow_error *err);

fow_code plans_store_milestone_insert(fow_db *db, const plan_milestone_row *row, long long *id, fow_error *err);
/* Sets status (and due when not NULL) of milestone id of plan_id. */
fow_code plans_store_milestone_update(fow_db *db, long long plan_id, long long id, const char *status,
                                      const char *due, long long *changed, fow_error *err);
/* The milestones of plan_id by due date then id. */
fow_code plans_store_milestones(fow_db *db, long long plan_id, plan_milestone_row **out, size_t *n,
                                fow_error *err);

/* Appends one entry to plan_id's history (the only write of the table
 * besides erasure). */
fow_code plans_store_history_add(fow_db *db, long long plan_id, long long at, const char *actor, const char *action,
                                 const char *detail, fow_error *err);
/* The history of plan_id, oldest first. */
fow_code plans_store_history(fow_db *db, long long plan_id, plan_history_row **out, size_t *n, fow_error *err);

/* Removes every plan of person with its moves, modules, milestones and
 * history; rows removed into *removed. */
fow_code plans_store_erase_person(fow_db *db, const char *person, size_t *removed, fow_error *err);

#endif
