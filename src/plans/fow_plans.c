/* fow_plans.c — the worker's plan: access, consent, validation, the gap
 * snapshot, history (fow_plans.h). SQL is in plans_store.c. */
#include "plans/fow_plans.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plans/plans_store.h"
#include "store/fow_data_version.h"
#include "training/fow_cohort.h"

static const char *const plan_statuses[FOW_PLAN_STATUS_COUNT] = {"draft", "active", "completed", "cancelled"};
static const char *const milestone_statuses[FOW_MILESTONE_STATUS_COUNT] = {"planned", "in_progress", "done",
                                                                            "dropped"};

const char *fow_plan_status_name(fow_plan_status s) {
    return (unsigned)s < FOW_PLAN_STATUS_COUNT ? plan_statuses[s] : "?";
}

int fow_plan_status_parse(const char *text, fow_plan_status *out) {
    for (int i = 0; text && i < FOW_PLAN_STATUS_COUNT; i++)
        if (strcmp(text, plan_statuses[i]) == 0) return *out = (fow_plan_status)i, 0;
    return -1;
}

const char *fow_milestone_status_name(fow_milestone_status s) {
    return (unsigned)s < FOW_MILESTONE_STATUS_COUNT ? milestone_statuses[s] : "?";
}

int fow_milestone_status_parse(const char *text, fow_milestone_status *out) {
    for (int i = 0; text && i < FOW_MILESTONE_STATUS_COUNT; i++)
        if (strcmp(text, milestone_statuses[i]) == 0) return *out = (fow_milestone_status)i, 0;
    return -1;
}

/* ---- checks ------------------------------------------------------------------ */

static fow_code bad(fow_error *err, const char *field, const char *message) {
    return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s", message);
}

/* 1..max bytes of UTF-8 text without control characters. */
static fow_code check_text(const char *text, size_t max, const char *field, fow_error *err) {
    size_t n = text ? strlen(text) : 0;
    if (n == 0) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s is required", field);
    if (n > max)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s is longer than %zu bytes", field, max);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s holds a control character", field);
    return FOW_OK;
}

/* YYYY-MM-DD, a date of the calendar. */
static fow_code check_date(const char *text, const char *field, fow_error *err) {
    int y, m, d;
    char extra;
    if (!text || strlen(text) != 10 || sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || text[4] != '-' ||
        text[7] != '-')
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s must be a date written YYYY-MM-DD", field);
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1 || d > days[m - 1] || (m == 2 && d == 29 && !leap))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s '%s' is not a date between 2000 and 2100",
                                field, text);
    return FOW_OK;
}

static fow_code check_ctx(const fow_plans_ctx *c, fow_error *err) {
    if (!c || !c->db || !c->people || !c->staff || !c->staff->name || !c->staff->name[0])
        return bad(err, "staff", "no staff member given");
    return FOW_OK;
}

/* A person acting on their own records (fow_people_staff.self). */
static bool is_self(const fow_plans_ctx *c) { return c->staff->self && c->staff->self[0]; }

/* Plan plan_id into *row when the staff may see its person; with
 * need_consent, the person's counselling consent must be in force. Runs
 * outside any transaction (fow_people_require_consent has its own). */
static fow_code load_plan(const fow_plans_ctx *c, long long plan_id, bool need_consent, plan_row *row,
                          fow_error *err) {
    fow_code rc = check_ctx(c, err);
    if (rc) return rc;
    if (plan_id <= 0) return bad(err, "plan", "plan must be a positive number");
    bool found = false;
    if ((rc = plans_store_get(c->db, plan_id, row, &found, err))) return rc;
    if (!found) return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "plan", "no plan %lld", plan_id);
    if (is_self(c)) {
        /* a person reads their own plans, and nothing else */
        if (strcmp(row->person, c->staff->self) != 0)
            return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "plan", "no plan %lld", plan_id);
        if (need_consent) return bad(err, "role", "a person reads their plan; their counsellor changes it");
        return FOW_OK;
    }
    fow_error inner;
    fow_error_clear(&inner);
    rc = fow_people_require_consent(c->people, c->staff, row->person, FOW_PURPOSE_COUNSELLING, &inner);
    if (rc == FOW_ENOTFOUND) return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "plan", "no plan %lld", plan_id);
    if (rc == FOW_EINPUT && !need_consent && strcmp(inner.field, "consent") == 0) return FOW_OK;
    if (rc && err) *err = inner;
    return rc;
}

/* Begins the write transaction of a change for person: BEGIN IMMEDIATE,
 * then their counselling consent read inside it, so that a withdrawal
 * committed before the change is never missed (the reads before it may be
 * older). Rolled back on failure. */
static fow_code begin_for(const fow_plans_ctx *c, const char *person, fow_error *err) {
    fow_code rc = fow_db_begin(c->db, err);
    if (rc) return rc;
    rc = fow_people_require_consent(c->people, c->staff, person, FOW_PURPOSE_COUNSELLING, err);
    if (rc) fow_db_rollback(c->db);
    return rc;
}

/* Begins the write transaction of a change of plan_id (consent checked);
 * a completed or cancelled plan is read-only unless allow_closed. */
static fow_code begin_change(const fow_plans_ctx *c, long long plan_id, bool allow_closed, plan_row *row,
                             fow_error *err) {
    fow_code rc = load_plan(c, plan_id, true, row, err);
    if (rc) return rc;
    if (!allow_closed && (strcmp(row->status, "completed") == 0 || strcmp(row->status, "cancelled") == 0))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "status",
                                "plan %lld is %s: set it active again to change it", plan_id, row->status);
    return begin_for(c, row->person, err);
}

/* Writes the history entry and updated_at, and commits (or rolls back
 * when rc is an error). */
static fow_code end_change(const fow_plans_ctx *c, long long plan_id, fow_code rc, const char *action,
                           const char *status, const char *detail, fow_error *err) {
    if (!rc) rc = plans_store_history_add(c->db, plan_id, c->now, c->staff->name, action, detail, err);
    if (!rc) rc = plans_store_touch(c->db, plan_id, status, c->now, err);
    if (rc) {
        fow_db_rollback(c->db);
        return rc;
    }
    return fow_db_commit(c->db, err);
}

/* ---- people's hook ----------------------------------------------------------------- */

static fow_code write_plan_doc(fow_db *db, const plan_row *plan, fow_jw *w, fow_error *err);

static fow_code export_person(fow_db *db, const char *id, fow_jw *w, fow_error *err) {
    plan_row *plans = NULL;
    size_t n = 0;
    fow_code rc = plans_store_of_person(db, id, &plans, &n, err);
    fow_jw_array(w);
    for (size_t i = 0; i < n && !rc; i++) rc = write_plan_doc(db, &plans[i], w, err);
    fow_jw_array_end(w);
    free(plans);
    return rc;
}

static fow_code erase_person(fow_db *db, const char *id, size_t *removed, fow_error *err) {
    return plans_store_erase_person(db, id, removed, err);
}

static const fow_people_attachment plans_attachment = {"plans", export_person, erase_person};

fow_code fow_plans_attach(fow_error *err) { return fow_people_attach(&plans_attachment, err); }

/* ---- changes ------------------------------------------------------------------------ */

fow_code fow_plans_create(const fow_plans_ctx *c, const char *person, const char *title, long long *plan_id,
                          fow_error *err) {
    fow_code rc = check_ctx(c, err);
    if (!rc) rc = check_text(title, FOW_PLAN_TITLE_MAX, "title", err);
    if (rc) return rc;
    if (!person || strlen(person) != FOW_PERSON_ID_CHARS) return bad(err, "person", "person must be a person id");
    if (is_self(c)) return bad(err, "role", "a person reads their plan; their counsellor makes it");
    if ((rc = fow_people_require_consent(c->people, c->staff, person, FOW_PURPOSE_COUNSELLING, err))) return rc;
    /* the organisation serving the person: the staff's own unless an
     * administrator acts, then the person's (read from their list entry) */
    plan_row row;
    memset(&row, 0, sizeof row);
    snprintf(row.person, sizeof row.person, "%s", person);
    snprintf(row.title, sizeof row.title, "%s", title);
    snprintf(row.status, sizeof row.status, "draft");
    snprintf(row.created_by, sizeof row.created_by, "%s", c->staff->name);
    row.created_at = c->now;
    fow_person *list = NULL;
    size_t n_list = 0;
    if ((rc = fow_people_list(c->people, c->staff, c->now, &list, &n_list, err))) return rc;
    for (size_t i = 0; i < n_list; i++)
        if (strcmp(list[i].id, person) == 0) snprintf(row.organisation, sizeof row.organisation, "%s", list[i].organisation);
    free(list);
    if ((rc = begin_for(c, person, err))) return rc;
    rc = plans_store_insert(c->db, &row, plan_id, err);
    char detail[FOW_PLAN_TITLE_MAX + 16];
    snprintf(detail, sizeof detail, "title: %s", title);
    return end_change(c, rc ? 0 : *plan_id, rc, "create", NULL, detail, err);
}

/* The gap snapshot of a computed match for a move, as JSON text (malloc'd
 * into *out). */
static fow_code snapshot_json(const fow_model *model, const fow_match_plan *mp, uint32_t judge_as, size_t n_profile,
                              const fow_training_catalogue *cat, const fow_data_version *dv, long long now, char **out,
                              fow_error *err) {
    fow_jw w;
    fow_jw_init(&w, 0);
    const fow_model_occupation *dest = &model->occupations[mp->destination];
    fow_jw_object(&w);
    fow_jw_key(&w, "destination");
    fow_jw_object(&w);
    fow_jw_kstring(&w, "uri", dest->uri);
    fow_jw_kstring(&w, "label", dest->label);
    fow_jw_object_end(&w);
    fow_jw_key(&w, "judged_as");
    if (judge_as != FOW_NO_INDEX) {
        fow_jw_object(&w);
        fow_jw_kstring(&w, "uri", model->occupations[judge_as].uri);
        fow_jw_kstring(&w, "label", model->occupations[judge_as].label);
        fow_jw_object_end(&w);
    } else {
        fow_jw_null(&w);
    }
    fow_jw_kint(&w, "profile_skills", (long long)n_profile);
    fow_jw_kreal(&w, "similarity", mp->gap.similarity);
    fow_jw_kint(&w, "essential_total", mp->move.essential_total);
    fow_jw_kint(&w, "to_learn_count", mp->gap.n_missing);
    fow_jw_kint(&w, "probably_held_count", mp->gap.n_probably_held);
    fow_jw_key(&w, "to_learn");
    fow_jw_array(&w);
    for (size_t i = 0; i < mp->n_needs; i++) {
        const fow_match_need_result *r = &mp->result.needs[i];
        fow_jw_object(&w);
        fow_jw_kstring(&w, "label", mp->needs[i].label);
        fow_jw_kstring(&w, "uri", mp->needs[i].uri);
        fow_jw_kstring(&w, "status", fow_match_status_name(r->status));
        fow_jw_key(&w, "covered_by");
        if (r->covered_by >= 0) fow_jw_string(&w, cat->modules[mp->result.chosen[r->covered_by].module].code);
        else fow_jw_null(&w);
        fow_jw_object_end(&w);
    }
    fow_jw_array_end(&w);
    fow_jw_kint(&w, "covered", mp->result.covered);
    fow_jw_kint(&w, "coverable", mp->result.coverable);
    fow_jw_kstring(&w, "solver", fow_match_solver_name(mp->result.solver_used));
    fow_jw_key(&w, "computed_at");
    fow_people_write_time(&w, now);
    fow_jw_key(&w, "data_version");
    fow_jw_object(&w);
    fow_jw_kint(&w, "generation", dv->generation);
    fow_jw_kstring(&w, "stamp", dv->stamp);
    fow_jw_object_end(&w);
    fow_jw_kstring(&w, "method",
                   "the person's skills profile (every provenance) against the destination's essential skills "
                   "(fow_gap_compute), then the weighted set cover of the catalogue (fow_match_solve, default "
                   "parameters); see docs/training.md");
    fow_jw_object_end(&w);
    const char *text = fow_jw_text(&w, NULL);
    *out = text ? strdup(text) : NULL;
    fow_jw_free(&w);
    return *out ? FOW_OK : fow_error_set(err, FOW_ENOMEM, "out of memory");
}

static void module_row_of(plan_module_row *m, long long move_id, const fow_training_module *mod, int64_t cohort,
                          const char *starts_on) {
    memset(m, 0, sizeof *m);
    m->move_id = move_id;
    m->module_id = mod->id;
    snprintf(m->code, sizeof m->code, "%s", mod->code);
    snprintf(m->title_en, sizeof m->title_en, "%s", mod->title_en);
    snprintf(m->title_ro, sizeof m->title_ro, "%s", mod->title_ro);
    m->hours = mod->hours;
    m->cost_minor = mod->cost_minor;
    snprintf(m->currency, sizeof m->currency, "%s", mod->currency);
    m->cohort_id = cohort;
    snprintf(m->starts_on, sizeof m->starts_on, "%s", starts_on ? starts_on : "");
}

fow_code fow_plans_add_move(const fow_plans_ctx *c, long long plan_id, fow_similarity_workspace *ws,
                            const fow_match_index *x, uint32_t destination, long long *move_id, fow_error *err) {
    plan_row plan;
    fow_code rc = load_plan(c, plan_id, true, &plan, err);
    if (rc) return rc;
    const fow_model *model = ws->index->model;
    if (destination >= model->n_occupations) return bad(err, "occupation", "no such occupation");
    const fow_training_catalogue *cat = fow_match_index_catalogue(x);
    plan_move_row *moves = NULL;
    size_t n_moves = 0;
    if ((rc = plans_store_moves(c->db, plan_id, &moves, &n_moves, err))) return rc;
    for (size_t i = 0; i < n_moves && !rc; i++)
        if (strcmp(moves[i].occupation_uri, model->occupations[destination].uri) == 0)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "occupation", "the plan already has the move to %s",
                                  model->occupations[destination].label);
    plans_store_moves_free(moves, n_moves);
    if (!rc && n_moves >= FOW_PLAN_MOVES_MAX)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "occupation", "a plan holds at most %d moves",
                              FOW_PLAN_MOVES_MAX);
    if (rc) return rc;

    /* the origin: the person's skills profile, judged as their occupation (as `fow plan --person`) */
    fow_person_origin origin;
    fow_match_plan mp;
    memset(&mp, 0, sizeof mp);
    fow_match_start *starts = NULL;
    char *gap_json = NULL;
    rc = fow_people_profile_origin(c->people, c->staff, model, plan.person, "plan: the gap of a move", c->now, &origin,
                                   err);
    uint32_t judge_as = origin.judge_as, n_idx = origin.n;
    if (!rc && judge_as == destination)
        rc = bad(err, "occupation", "the destination is the person's own occupation");
    if (!rc)
        rc = fow_match_plan_compute(ws, x, FOW_NO_INDEX, origin.skills, n_idx, judge_as, destination, 0, NULL, &mp, err);
    char today[11];
    fow_match_today(today);
    if (!rc && !(starts = calloc(mp.result.n_chosen + 1, sizeof *starts)))
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    if (!rc) rc = fow_match_starts(c->db, cat, &mp.result, today, starts, err);
    fow_data_version dv;
    memset(&dv, 0, sizeof dv);
    if (!rc) rc = fow_data_version_read(c->db, &dv, err);
    if (!rc) rc = snapshot_json(model, &mp, judge_as, n_idx, cat, &dv, c->now, &gap_json, err);
    bool begun = !rc && !(rc = begin_for(c, plan.person, err));
    if (begun) {
        plan_move_row row;
        memset(&row, 0, sizeof row);
        row.plan_id = plan_id;
        snprintf(row.occupation_uri, sizeof row.occupation_uri, "%s", model->occupations[destination].uri);
        snprintf(row.occupation_label, sizeof row.occupation_label, "%s", model->occupations[destination].label);
        row.gap_json = gap_json;
        row.gap_at = c->now;
        row.data_generation = dv.generation;
        snprintf(row.data_stamp, sizeof row.data_stamp, "%s", dv.stamp);
        long long id = 0;
        rc = plans_store_move_insert(c->db, &row, &id, err);
        for (size_t i = 0; !rc && i < mp.result.n_chosen; i++) {
            plan_module_row m;
            module_row_of(&m, id, &cat->modules[mp.result.chosen[i].module],
                          starts[i].found ? starts[i].cohort_id : 0, starts[i].found ? starts[i].next_start : "");
            rc = plans_store_module_insert(c->db, &m, err);
        }
        if (!rc && move_id) *move_id = id;
        char detail[640]; /* up to 569 bytes: no truncation */
        snprintf(detail, sizeof detail, "move %lld to %.200s (%.250s): %zu modules chosen, %u of %zu skills covered", id,
                 row.occupation_label, row.occupation_uri, mp.result.n_chosen, mp.result.covered, mp.n_needs);
        rc = end_change(c, plan_id, rc, "add_move", NULL, detail, err);
    }
    free(gap_json);
    free(starts);
    fow_match_plan_free(&mp);
    fow_person_origin_free(&origin);
    return rc;
}

/* The move move_id of plan_id (FOW_ENOTFOUND, field "move", when not). */
static fow_code find_move(const fow_plans_ctx *c, long long plan_id, long long move_id, plan_move_row *out,
                          fow_error *err) {
    plan_move_row *moves = NULL;
    size_t n = 0;
    fow_code rc = plans_store_moves(c->db, plan_id, &moves, &n, err);
    if (rc) return rc;
    bool found = false;
    for (size_t i = 0; i < n && !found; i++)
        if (moves[i].id == move_id) {
            *out = moves[i];
            out->gap_json = NULL;
            found = true;
        }
    plans_store_moves_free(moves, n);
    if (!found)
        return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "move", "plan %lld has no move %lld", plan_id,
                                move_id);
    return FOW_OK;
}

fow_code fow_plans_remove_move(const fow_plans_ctx *c, long long plan_id, long long move_id, fow_error *err) {
    plan_row plan;
    fow_code rc = begin_change(c, plan_id, false, &plan, err);
    if (rc) return rc;
    plan_move_row move;
    rc = find_move(c, plan_id, move_id, &move, err);
    long long removed = 0;
    if (!rc) rc = plans_store_move_delete(c->db, plan_id, move_id, &removed, err);
    char detail[600];
    snprintf(detail, sizeof detail, "move %lld to %.200s removed", move_id, rc ? "" : move.occupation_label);
    return end_change(c, plan_id, rc, "remove_move", NULL, detail, err);
}

/* Checks cohort_id (0: none) is a cohort of module code; its start into
 * starts_on. */
static fow_code check_cohort(const fow_plans_ctx *c, const char *code, int64_t cohort_id, char starts_on[11],
                             fow_error *err) {
    starts_on[0] = '\0';
    if (cohort_id == 0) return FOW_OK;
    if (cohort_id < 0) return bad(err, "cohort", "cohort must be a positive number");
    fow_cohort *cohort = calloc(1, sizeof *cohort);
    if (!cohort) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    fow_error inner;
    fow_error_clear(&inner);
    fow_code rc = fow_cohort_get(c->db, cohort_id, cohort, &inner);
    if (rc == FOW_ENOTFOUND)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "cohort", "no cohort %lld", (long long)cohort_id);
    else if (rc && err) *err = inner;
    if (!rc && strcmp(cohort->module, code) != 0)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "cohort", "cohort %lld is a run of %s, not of %s",
                              (long long)cohort_id, cohort->module, code);
    if (!rc) snprintf(starts_on, 11, "%s", cohort->starts_on);
    free(cohort);
    return rc;
}

fow_code fow_plans_add_module(const fow_plans_ctx *c, long long plan_id, long long move_id,
                              const fow_training_catalogue *cat, const char *module_code, int64_t cohort_id,
                              fow_error *err) {
    if (!module_code || !module_code[0]) return bad(err, "module", "module is required");
    const fow_training_module *mod = fow_training_module_by_code(cat, module_code);
    if (!mod) return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "module", "no module %s in the catalogue",
                                      module_code);
    char starts_on[11];
    fow_code rc = check_cohort(c, module_code, cohort_id, starts_on, err);
    if (rc) return rc;
    plan_row plan;
    if ((rc = begin_change(c, plan_id, false, &plan, err))) return rc;
    plan_move_row move;
    rc = find_move(c, plan_id, move_id, &move, err);
    plan_module_row *mods = NULL;
    size_t n = 0;
    if (!rc) rc = plans_store_modules(c->db, move_id, &mods, &n, err);
    for (size_t i = 0; !rc && i < n; i++)
        if (strcmp(mods[i].code, module_code) == 0)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "module", "the move already has module %s",
                                  module_code);
    free(mods);
    plan_module_row m;
    module_row_of(&m, move_id, mod, cohort_id, starts_on);
    if (!rc) rc = plans_store_module_insert(c->db, &m, err);
    char detail[512];
    snprintf(detail, sizeof detail, "module %s added to move %lld%s%lld", module_code, move_id,
             cohort_id ? ", cohort " : "", cohort_id ? (long long)cohort_id : 0LL);
    if (!cohort_id) snprintf(detail, sizeof detail, "module %s added to move %lld", module_code, move_id);
    return end_change(c, plan_id, rc, "add_module", NULL, detail, err);
}

fow_code fow_plans_set_cohort(const fow_plans_ctx *c, long long plan_id, long long move_id, const char *module_code,
                              int64_t cohort_id, fow_error *err) {
    if (!module_code || !module_code[0]) return bad(err, "module", "module is required");
    char starts_on[11];
    fow_code rc = check_cohort(c, module_code, cohort_id, starts_on, err);
    if (rc) return rc;
    plan_row plan;
    if ((rc = begin_change(c, plan_id, false, &plan, err))) return rc;
    plan_move_row move;
    rc = find_move(c, plan_id, move_id, &move, err);
    long long changed = 0;
    if (!rc) rc = plans_store_module_set_cohort(c->db, move_id, module_code, cohort_id, starts_on, &changed, err);
    if (!rc && changed == 0)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "module", "move %lld has no module %s", move_id,
                              module_code);
    char detail[512];
    snprintf(detail, sizeof detail, "module %s of move %lld: cohort %lld", module_code, move_id,
             (long long)cohort_id);
    return end_change(c, plan_id, rc, "set_cohort", NULL, detail, err);
}

fow_code fow_plans_remove_module(const fow_plans_ctx *c, long long plan_id, long long move_id,
                                 const char *module_code, fow_error *err) {
    if (!module_code || !module_code[0]) return bad(err, "module", "module is required");
    plan_row plan;
    fow_code rc = begin_change(c, plan_id, false, &plan, err);
    if (rc) return rc;
    plan_move_row move;
    rc = find_move(c, plan_id, move_id, &move, err);
    long long removed = 0;
    if (!rc) rc = plans_store_module_delete(c->db, move_id, module_code, &removed, err);
    if (!rc && removed == 0)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "module", "move %lld has no module %s", move_id,
                              module_code);
    char detail[512];
    snprintf(detail, sizeof detail, "module %s removed from move %lld", module_code, move_id);
    return end_change(c, plan_id, rc, "remove_module", NULL, detail, err);
}

fow_code fow_plans_add_milestone(const fow_plans_ctx *c, long long plan_id, const char *title, const char *due,
                                 long long *milestone_id, fow_error *err) {
    fow_code rc = check_text(title, FOW_PLAN_MILESTONE_MAX, "title", err);
    if (!rc) rc = check_date(due, "due", err);
    if (rc) return rc;
    plan_row plan;
    if ((rc = begin_change(c, plan_id, false, &plan, err))) return rc;
    plan_milestone_row *all = NULL;
    size_t n = 0;
    rc = plans_store_milestones(c->db, plan_id, &all, &n, err);
    free(all);
    if (!rc && n >= FOW_PLAN_MILESTONES_MAX)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "milestone", "a plan holds at most %d milestones",
                              FOW_PLAN_MILESTONES_MAX);
    plan_milestone_row m;
    memset(&m, 0, sizeof m);
    m.plan_id = plan_id;
    snprintf(m.title, sizeof m.title, "%s", title);
    snprintf(m.due, sizeof m.due, "%s", due);
    snprintf(m.status, sizeof m.status, "planned");
    long long id = 0;
    if (!rc) rc = plans_store_milestone_insert(c->db, &m, &id, err);
    if (!rc && milestone_id) *milestone_id = id;
    char detail[FOW_PLAN_MILESTONE_MAX + 64];
    snprintf(detail, sizeof detail, "milestone %lld due %s: %s", id, due, title);
    return end_change(c, plan_id, rc, "add_milestone", NULL, detail, err);
}

fow_code fow_plans_set_milestone(const fow_plans_ctx *c, long long plan_id, long long milestone_id,
                                 fow_milestone_status status, const char *due, fow_error *err) {
    if ((unsigned)status >= FOW_MILESTONE_STATUS_COUNT)
        return bad(err, "status", "status must be planned, in_progress, done or dropped");
    fow_code rc = due ? check_date(due, "due", err) : FOW_OK;
    if (rc) return rc;
    plan_row plan;
    if ((rc = begin_change(c, plan_id, false, &plan, err))) return rc;
    long long changed = 0;
    rc = plans_store_milestone_update(c->db, plan_id, milestone_id, fow_milestone_status_name(status), due, &changed,
                                      err);
    if (!rc && changed == 0)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "milestone", "plan %lld has no milestone %lld",
                              plan_id, milestone_id);
    char detail[128];
    snprintf(detail, sizeof detail, "milestone %lld: %s%s%s", milestone_id, fow_milestone_status_name(status),
             due ? ", due " : "", due ? due : "");
    return end_change(c, plan_id, rc, "set_milestone", NULL, detail, err);
}

fow_code fow_plans_set_status(const fow_plans_ctx *c, long long plan_id, fow_plan_status status, fow_error *err) {
    if ((unsigned)status >= FOW_PLAN_STATUS_COUNT)
        return bad(err, "status", "status must be draft, active, completed or cancelled");
    plan_row plan;
    fow_code rc = begin_change(c, plan_id, status == FOW_PLAN_ACTIVE, &plan, err);
    if (rc) return rc;
    char detail[64];
    snprintf(detail, sizeof detail, "status: %s -> %s", plan.status, fow_plan_status_name(status));
    return end_change(c, plan_id, rc, "set_status", fow_plan_status_name(status), detail, err);
}

/* ---- reading ----------------------------------------------------------------------- */

static void write_money_list(fow_jw *w, const char (*currencies)[8], const long long *sums, size_t n) {
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) {
        fow_jw_object(w);
        fow_jw_kint(w, "minor_units", sums[i]);
        fow_jw_kstring(w, "currency", currencies[i]);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
}

#define PLAN_CURRENCIES_MAX 8

/* Adds amount in currency to the sums (currencies past the 8th are
 * folded into the last). */
static void add_money(char (*currencies)[8], long long *sums, size_t *n, const char *currency, long long amount) {
    for (size_t i = 0; i < *n; i++)
        if (strcmp(currencies[i], currency) == 0) {
            sums[i] += amount;
            return;
        }
    if (*n == PLAN_CURRENCIES_MAX) return;
    snprintf(currencies[*n], 8, "%s", currency);
    sums[(*n)++] = amount;
}

static fow_code write_plan_doc(fow_db *db, const plan_row *plan, fow_jw *w, fow_error *err) {
    plan_move_row *moves = NULL;
    size_t n_moves = 0;
    plan_milestone_row *milestones = NULL;
    size_t n_milestones = 0;
    plan_history_row *history = NULL;
    size_t n_history = 0;
    fow_code rc = plans_store_moves(db, plan->id, &moves, &n_moves, err);
    if (!rc) rc = plans_store_milestones(db, plan->id, &milestones, &n_milestones, err);
    if (!rc) rc = plans_store_history(db, plan->id, &history, &n_history, err);
    char currencies[PLAN_CURRENCIES_MAX][8];
    long long sums[PLAN_CURRENCIES_MAX];
    size_t n_cur = 0, n_modules = 0;
    double hours = 0;
    if (!rc) {
        fow_jw_object(w);
        fow_jw_kint(w, "id", plan->id);
        fow_jw_kstring(w, "person", plan->person);
        fow_jw_kstring(w, "organisation", plan->organisation);
        fow_jw_kstring(w, "title", plan->title);
        fow_jw_kstring(w, "status", plan->status);
        fow_jw_key(w, "created_at");
        fow_people_write_time(w, plan->created_at);
        fow_jw_kstring(w, "created_by", plan->created_by);
        fow_jw_key(w, "updated_at");
        fow_people_write_time(w, plan->updated_at);
        fow_jw_key(w, "moves");
        fow_jw_array(w);
    }
    for (size_t i = 0; !rc && i < n_moves; i++) {
        const plan_move_row *mv = &moves[i];
        plan_module_row *mods = NULL;
        size_t n_mods = 0;
        if ((rc = plans_store_modules(db, mv->id, &mods, &n_mods, err))) break;
        fow_jw_object(w);
        fow_jw_kint(w, "id", mv->id);
        fow_jw_key(w, "occupation");
        fow_jw_object(w);
        fow_jw_kstring(w, "uri", mv->occupation_uri);
        fow_jw_kstring(w, "label", mv->occupation_label);
        fow_jw_object_end(w);
        fow_jw_key(w, "gap");
        json_error_t jerr;
        json_t *gap = json_loads(mv->gap_json, 0, &jerr);
        if (gap) fow_jw_json(w, gap);
        else fow_jw_null(w);
        json_decref(gap);
        fow_jw_key(w, "gap_at");
        fow_people_write_time(w, mv->gap_at);
        fow_jw_key(w, "data_version");
        fow_jw_object(w);
        fow_jw_kint(w, "generation", mv->data_generation);
        fow_jw_kstring(w, "stamp", mv->data_stamp);
        fow_jw_object_end(w);
        char mcur[PLAN_CURRENCIES_MAX][8];
        long long msum[PLAN_CURRENCIES_MAX];
        size_t n_mcur = 0;
        double mhours = 0;
        fow_jw_key(w, "modules");
        fow_jw_array(w);
        for (size_t k = 0; k < n_mods; k++) {
            const plan_module_row *m = &mods[k];
            fow_jw_object(w);
            fow_jw_kint(w, "module_id", m->module_id);
            fow_jw_kstring(w, "code", m->code);
            fow_jw_key(w, "title");
            fow_jw_object(w);
            fow_jw_kstring(w, "en", m->title_en);
            fow_jw_kstring(w, "ro", m->title_ro);
            fow_jw_object_end(w);
            fow_jw_kreal(w, "hours", m->hours);
            fow_jw_key(w, "cost");
            fow_jw_object(w);
            fow_jw_kint(w, "minor_units", m->cost_minor);
            fow_jw_kstring(w, "currency", m->currency);
            fow_jw_object_end(w);
            fow_jw_key(w, "cohort_id");
            if (m->cohort_id > 0) fow_jw_int(w, m->cohort_id);
            else fow_jw_null(w);
            fow_jw_key(w, "starts_on");
            if (m->starts_on[0]) fow_jw_string(w, m->starts_on);
            else fow_jw_null(w);
            fow_jw_object_end(w);
            mhours += m->hours;
            add_money(mcur, msum, &n_mcur, m->currency, m->cost_minor);
            add_money(currencies, sums, &n_cur, m->currency, m->cost_minor);
        }
        fow_jw_array_end(w);
        fow_jw_kreal(w, "hours", mhours);
        fow_jw_key(w, "cost");
        write_money_list(w, (const char(*)[8])mcur, msum, n_mcur);
        fow_jw_object_end(w);
        hours += mhours;
        n_modules += n_mods;
        free(mods);
    }
    if (!rc) {
        fow_jw_array_end(w);
        fow_jw_key(w, "milestones");
        fow_jw_array(w);
        for (size_t i = 0; i < n_milestones; i++) {
            fow_jw_object(w);
            fow_jw_kint(w, "id", milestones[i].id);
            fow_jw_kstring(w, "title", milestones[i].title);
            fow_jw_kstring(w, "due", milestones[i].due);
            fow_jw_kstring(w, "status", milestones[i].status);
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
        fow_jw_key(w, "totals");
        fow_jw_object(w);
        fow_jw_kint(w, "modules", (long long)n_modules);
        fow_jw_kreal(w, "hours", hours);
        fow_jw_key(w, "cost");
        write_money_list(w, (const char(*)[8])currencies, sums, n_cur);
        fow_jw_kstring(w, "method",
                       "the modules of every move summed, as priced in the catalogue when each was chosen; a module "
                       "chosen for two moves counts twice");
        fow_jw_object_end(w);
        fow_jw_key(w, "history");
        fow_jw_array(w);
        for (size_t i = 0; i < n_history; i++) {
            fow_jw_object(w);
            fow_jw_key(w, "at");
            fow_people_write_time(w, history[i].at);
            fow_jw_kstring(w, "actor", history[i].actor);
            fow_jw_kstring(w, "action", history[i].action);
            fow_jw_kstring(w, "detail", history[i].detail);
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
        fow_jw_object_end(w);
        if (fow_jw_failed(w)) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    }
    plans_store_moves_free(moves, n_moves);
    free(milestones);
    free(history);
    return rc;
}

fow_code fow_plans_write(const fow_plans_ctx *c, long long plan_id, fow_jw *w, fow_error *err) {
    plan_row plan;
    fow_code rc = load_plan(c, plan_id, false, &plan, err);
    if (rc || (rc = fow_db_read_begin(c->db, err))) return rc;
    rc = write_plan_doc(c->db, &plan, w, err);
    fow_db_read_end(c->db);
    return rc;
}

fow_code fow_plans_write_list(const fow_plans_ctx *c, const char *person, fow_jw *w, fow_error *err) {
    fow_code rc = check_ctx(c, err);
    if (rc) return rc;
    if (!person || strlen(person) != FOW_PERSON_ID_CHARS) return bad(err, "person", "person must be a person id");
    fow_error inner;
    fow_error_clear(&inner);
    if (is_self(c))
        rc = strcmp(person, c->staff->self) == 0
                 ? FOW_OK
                 : fow_error_set_at(&inner, FOW_ENOTFOUND, NULL, 0, 0, "person", "no person %s", person);
    else
        rc = fow_people_require_consent(c->people, c->staff, person, FOW_PURPOSE_COUNSELLING, &inner);
    if (rc && !(rc == FOW_EINPUT && strcmp(inner.field, "consent") == 0)) {
        if (err) *err = inner;
        return rc;
    }
    plan_row *plans = NULL;
    size_t n = 0;
    if ((rc = fow_db_read_begin(c->db, err))) return rc;
    rc = plans_store_of_person(c->db, person, &plans, &n, err);
    if (!rc) {
        fow_jw_object(w);
        fow_jw_kstring(w, "person", person);
        fow_jw_key(w, "plans");
        fow_jw_array(w);
    }
    for (size_t i = 0; !rc && i < n; i++) {
        plan_move_row *moves = NULL;
        size_t n_moves = 0;
        plan_milestone_row *ms = NULL;
        size_t n_ms = 0;
        rc = plans_store_moves(c->db, plans[i].id, &moves, &n_moves, err);
        if (!rc) rc = plans_store_milestones(c->db, plans[i].id, &ms, &n_ms, err);
        if (!rc) {
            fow_jw_object(w);
            fow_jw_kint(w, "id", plans[i].id);
            fow_jw_kstring(w, "title", plans[i].title);
            fow_jw_kstring(w, "status", plans[i].status);
            fow_jw_key(w, "created_at");
            fow_people_write_time(w, plans[i].created_at);
            fow_jw_key(w, "updated_at");
            fow_people_write_time(w, plans[i].updated_at);
            fow_jw_key(w, "moves");
            fow_jw_array(w);
            for (size_t k = 0; k < n_moves; k++) fow_jw_string(w, moves[k].occupation_label);
            fow_jw_array_end(w);
            fow_jw_key(w, "targets");
            fow_jw_array(w);
            for (size_t k = 0; k < n_moves; k++) {
                fow_jw_object(w);
                fow_jw_kstring(w, "uri", moves[k].occupation_uri);
                fow_jw_kstring(w, "label", moves[k].occupation_label);
                fow_jw_object_end(w);
            }
            fow_jw_array_end(w);
            fow_jw_kint(w, "milestones", (long long)n_ms);
            fow_jw_object_end(w);
        }
        plans_store_moves_free(moves, n_moves);
        free(ms);
    }
    fow_db_read_end(c->db);
    if (!rc) {
        fow_jw_array_end(w);
        fow_jw_object_end(w);
        if (fow_jw_failed(w)) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    }
    free(plans);
    return rc;
}

fow_code fow_plans_person(const fow_plans_ctx *c, long long plan_id, char person[FOW_PERSON_ID_CHARS + 1],
                          fow_error *err) {
    plan_row plan;
    fow_code rc = load_plan(c, plan_id, false, &plan, err);
    if (!rc) snprintf(person, FOW_PERSON_ID_CHARS + 1, "%s", plan.person);
    return rc;
}
