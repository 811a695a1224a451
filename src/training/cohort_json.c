/* cohort_json.c — cohorts, enrolments and completions as JSON, written
 * once for the command line and the API (fow_cohort.h). */
#include <stdio.h>
#include <time.h>

#include "training/fow_cohort.h"

static void write_time(fow_jw *w, const char *key, long long t) {
    fow_jw_key(w, key);
    if (t <= 0) {
        fow_jw_null(w);
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&tt, &tm));
    fow_jw_string(w, buf);
}

void fow_cohort_write(fow_jw *w, const fow_cohort *c, const fow_training_catalogue *catalogue) {
    const fow_training_module *m = catalogue ? fow_training_module_by_code(catalogue, c->module) : NULL;
    fow_jw_object(w);
    fow_jw_kint(w, "id", c->id);
    fow_jw_key(w, "module");
    fow_jw_object(w);
    fow_jw_kstring(w, "code", c->module);
    fow_jw_key(w, "id");
    if (m) fow_jw_int(w, m->id);
    else fow_jw_null(w);
    fow_jw_key(w, "title");
    if (m) {
        fow_jw_object(w);
        fow_jw_kstring(w, "ro", m->title_ro);
        fow_jw_kstring(w, "en", m->title_en);
        fow_jw_object_end(w);
    } else {
        fow_jw_null(w);
    }
    fow_jw_object_end(w);
    fow_jw_kstring(w, "starts_on", c->starts_on);
    fow_jw_kstring(w, "ends_on", c->ends_on);
    fow_jw_kstring(w, "place", c->place);
    fow_jw_kstring(w, "language", c->language);
    fow_jw_kint(w, "capacity", c->capacity);
    fow_jw_kstring(w, "status", fow_cohort_status_name(c->status));
    fow_jw_key(w, "seats");
    fow_jw_object(w);
    fow_jw_kint(w, "capacity", c->capacity);
    fow_jw_kint(w, "enrolled", c->enrolled);
    fow_jw_kint(w, "completed", c->completed);
    fow_jw_kint(w, "passed", c->passed);
    fow_jw_kint(w, "waiting", c->waiting);
    fow_jw_kint(w, "cancelled", c->cancelled);
    fow_jw_kint(w, "left", c->seats_left);
    fow_jw_kstring(w, "method", "left = capacity - enrolled - completed, counted from the enrolment records");
    fow_jw_object_end(w);
    fow_jw_key(w, "sessions");
    fow_jw_array(w);
    for (size_t i = 0; i < c->n_sessions; i++) {
        const fow_cohort_session *s = &c->sessions[i];
        fow_jw_object(w);
        fow_jw_kint(w, "number", (long long)i + 1);
        fow_jw_kstring(w, "date", s->date);
        fow_jw_kstring(w, "starts_at", s->starts_at);
        fow_jw_kstring(w, "ends_at", s->ends_at);
        fow_jw_kstring(w, "place", s->place[0] ? s->place : c->place);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    write_time(w, "created_at", c->created_at);
    fow_jw_kstring(w, "created_by", c->created_by);
    fow_jw_object_end(w);
}

void fow_cohort_result_list(fow_jw *w, const fow_cohort *list, size_t n, const char *module,
                            const fow_training_catalogue *catalogue) {
    fow_jw_object(w);
    fow_jw_key(w, "cohorts");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) fow_cohort_write(w, &list[i], catalogue);
    fow_jw_array_end(w);
    fow_jw_kint(w, "count", (long long)n);
    fow_jw_kstring(w, "module", module && module[0] ? module : NULL);
    fow_jw_object_end(w);
}

void fow_cohort_write_enrolment(fow_jw *w, const fow_enrolment *e) {
    fow_jw_object(w);
    fow_jw_kint(w, "id", e->id);
    fow_jw_kint(w, "cohort_id", e->cohort_id);
    fow_jw_kstring(w, "person", e->person);
    fow_jw_kstring(w, "organisation", e->organisation);
    fow_jw_kstring(w, "status", fow_enrolment_status_name(e->status));
    fow_jw_key(w, "position");
    if (e->status == FOW_ENROLMENT_WAITING) fow_jw_int(w, e->position);
    else fow_jw_null(w);
    write_time(w, "requested_at", e->requested_at);
    write_time(w, "enrolled_at", e->enrolled_at);
    write_time(w, "cancelled_at", e->cancelled_at);
    bool completed = e->status == FOW_ENROLMENT_COMPLETED;
    fow_jw_kstring(w, "result", completed ? (e->passed ? "passed" : "failed") : NULL);
    fow_jw_key(w, "score");
    if (completed && e->has_score) fow_jw_real(w, e->score);
    else fow_jw_null(w);
    fow_jw_kstring(w, "completed_on", completed ? e->completed_on : NULL);
    fow_jw_key(w, "attendance");
    fow_jw_array(w);
    long attended = 0;
    for (size_t i = 0; i < e->n_sessions; i++) {
        fow_jw_object(w);
        fow_jw_kint(w, "session", (long long)i + 1);
        fow_jw_key(w, "present");
        if (e->attendance[i] < 0) fow_jw_null(w);
        else fow_jw_bool(w, e->attendance[i] == 1);
        attended += e->attendance[i] == 1;
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_kint(w, "attended", attended);
    fow_jw_object_end(w);
}

void fow_cohort_result_show(fow_jw *w, const fow_cohort *c, const fow_enrolment *e, size_t n, bool all,
                            const fow_training_catalogue *catalogue) {
    fow_jw_object(w);
    fow_jw_key(w, "cohort");
    fow_cohort_write(w, c, catalogue);
    fow_jw_key(w, "enrolments");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) fow_cohort_write_enrolment(w, &e[i]);
    fow_jw_array_end(w);
    fow_jw_kint(w, "count", (long long)n);
    fow_jw_kstring(w, "shown", all ? "all" : "organisation");
    fow_jw_object_end(w);
}

void fow_cohort_result_person(fow_jw *w, const char *person, const fow_person_enrolment *list, size_t n,
                              const fow_training_catalogue *catalogue) {
    fow_jw_object(w);
    fow_jw_kstring(w, "person", person);
    fow_jw_key(w, "enrolments");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) {
        fow_jw_object(w);
        fow_jw_key(w, "enrolment");
        fow_cohort_write_enrolment(w, &list[i].enrolment);
        fow_jw_key(w, "cohort");
        fow_cohort_write(w, &list[i].cohort, catalogue);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_kint(w, "count", (long long)n);
    fow_jw_object_end(w);
}

void fow_cohort_result_cancel(fow_jw *w, const char *person, const char *promoted) {
    fow_jw_object(w);
    fow_jw_kstring(w, "cancelled", person);
    fow_jw_kstring(w, "promoted", promoted && promoted[0] ? promoted : NULL);
    fow_jw_object_end(w);
}

void fow_cohort_result_attendance(fow_jw *w, const fow_enrolment *e) {
    fow_jw_object(w);
    fow_jw_key(w, "enrolment");
    fow_cohort_write_enrolment(w, e);
    fow_jw_object_end(w);
}

void fow_cohort_result_enrol(fow_jw *w, const fow_enrolment *e, bool created) {
    fow_jw_object(w);
    fow_jw_key(w, "enrolment");
    fow_cohort_write_enrolment(w, e);
    fow_jw_kbool(w, "created", created);
    fow_jw_object_end(w);
}

void fow_cohort_result_completion(fow_jw *w, const fow_completion *c, const fow_completion_skills *skills,
                                  const fow_completion_credential *credential) {
    fow_jw_object(w);
    fow_jw_key(w, "completion");
    fow_jw_object(w);
    fow_jw_kint(w, "enrolment_id", c->enrolment_id);
    fow_jw_kint(w, "cohort_id", c->cohort_id);
    fow_jw_kstring(w, "person", c->person);
    fow_jw_kstring(w, "module", c->module);
    fow_jw_kstring(w, "completed_on", c->completed_on);
    fow_jw_kstring(w, "result", c->passed ? "passed" : "failed");
    fow_jw_key(w, "score");
    if (c->has_score) fow_jw_real(w, c->score);
    else fow_jw_null(w);
    write_time(w, "recorded_at", c->recorded_at);
    fow_jw_kstring(w, "recorded_by", c->recorded_by);
    fow_jw_object_end(w);
    fow_jw_key(w, "skills");
    if (!skills) {
        fow_jw_null(w);
    } else {
        fow_jw_object(w);
        fow_jw_kint(w, "taught", (long long)skills->taught);
        fow_jw_kint(w, "added", (long long)skills->added);
        fow_jw_kint(w, "not_in_taxonomy", (long long)skills->not_in_taxonomy);
        fow_jw_kstring(w, "provenance", "assessment");
        fow_jw_key(w, "note");
        if (!c->passed || skills->no_counselling_consent) {
            /* a message object (code, params, text) for the web app to word */
            fow_jw_object(w);
            fow_jw_kstring(w, "code", c->passed ? "cohort.skills_need_counselling" : "cohort.skills_failed");
            fow_jw_key(w, "params");
            fow_jw_object(w);
            fow_jw_object_end(w);
            fow_jw_kstring(w, "text", c->passed ? "No skill was added to the profile: it needs the person's "
                                                  "counselling consent. The completion is recorded."
                                                : "A failed assessment adds no skill to the profile.");
            fow_jw_object_end(w);
        } else {
            fow_jw_null(w);
        }
        fow_jw_object_end(w);
    }
    fow_jw_key(w, "credential");
    if (!credential) {
        fow_jw_null(w);
    } else if (credential->issued) {
        fow_jw_object(w);
        fow_jw_kstring(w, "id", credential->id);
        fow_jw_kstring(w, "verify_url", credential->verify_url);
        fow_jw_object_end(w);
    } else {
        fow_jw_object(w);
        fow_jw_knull(w, "id");
        fow_jw_key(w, "note");
        fow_jw_object(w);
        fow_jw_kstring(w, "code", "credential.not_issued");
        fow_jw_key(w, "params");
        fow_jw_object(w);
        fow_jw_kstring(w, "reason", credential->message);
        fow_jw_object_end(w);
        fow_jw_kstring(w, "text", credential->message);
        fow_jw_object_end(w);
        fow_jw_object_end(w);
    }
    fow_jw_object_end(w);
}
