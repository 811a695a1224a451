/* people_json.c — the JSON of people records, written once for the CLI
 * (--json) and the API (fow_people.h, "JSON"). */
#include <string.h>
#include <time.h>

#include "people/fow_people.h"

void fow_people_write_time(fow_jw *w, long long t) {
    if (t <= 0) {
        fow_jw_null(w);
        return;
    }
    char buf[32];
    time_t tt = (time_t)t;
    struct tm tm;
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&tt, &tm));
    fow_jw_string(w, buf);
}

static void string_or_null(fow_jw *w, const char *key, const char *s) {
    fow_jw_key(w, key);
    if (s && s[0]) fow_jw_string(w, s);
    else fow_jw_null(w);
}

/* With lang: label_local, the taxonomy's preferred label of occupation
 * (kind 0) or skill (kind 1) index in lang (null when it has none), and
 * then label_lang, the language of the label written (null when unknown),
 * as the worker's plan has them (fow_result_worker_plan). */
static void local_label(fow_jw *w, const fow_model *model, const char *lang, int kind, uint32_t index,
                        const char *label) {
    if (!lang || !lang[0]) return;
    const char *local = model && index != FOW_NO_INDEX ? fow_model_label_in(model, kind, index, lang) : NULL;
    string_or_null(w, "label_local", local);
    if (!local)
        string_or_null(w, "label_lang",
                       model && index != FOW_NO_INDEX && label ? fow_model_label_lang(model, kind, index, label) : NULL);
}

void fow_people_write_person(fow_jw *w, const fow_person *person, const fow_model *model, const char *lang,
                             bool with_personal) {
    fow_jw_object(w);
    fow_jw_kstring(w, "id", person->id);
    if (with_personal) {
        string_or_null(w, "name", person->name);
        string_or_null(w, "contact", person->contact);
    }
    fow_jw_key(w, "birth_year");
    if (person->birth_year) fow_jw_int(w, person->birth_year);
    else fow_jw_null(w);
    string_or_null(w, "sex", person->sex);
    string_or_null(w, "area", person->area);
    fow_jw_key(w, "occupation");
    if (person->occupation_uri[0]) {
        fow_jw_object(w);
        fow_jw_kstring(w, "uri", person->occupation_uri);
        uint32_t occ = model ? fow_model_occupation_by_key(model, true, person->occupation_uri,
                                                           strlen(person->occupation_uri))
                             : FOW_NO_INDEX;
        const char *label = occ == FOW_NO_INDEX ? NULL : model->occupations[occ].label;
        string_or_null(w, "label", label);
        local_label(w, model, lang, 0, occ, label);
        fow_jw_object_end(w);
    } else {
        fow_jw_null(w);
    }
    fow_jw_kstring(w, "employment_status", person->employment_status);
    fow_jw_kstring(w, "organisation", person->organisation);
    fow_jw_key(w, "created_at");
    fow_people_write_time(w, person->created_at);
    fow_jw_kstring(w, "created_by", person->created_by);
    fow_jw_key(w, "consent");
    fow_jw_object(w);
    for (int i = 0; i < FOW_PURPOSE_COUNT; i++) fow_jw_kbool(w, fow_purpose_name((fow_purpose)i), person->consent[i]);
    fow_jw_object_end(w);
    fow_jw_object_end(w);
}

void fow_people_write_consents(fow_jw *w, const fow_consent *c, size_t n) {
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) {
        fow_jw_object(w);
        fow_jw_kstring(w, "purpose", fow_purpose_name(c[i].purpose));
        fow_jw_kstring(w, "text_version", c[i].text_version);
        fow_jw_key(w, "given_at");
        fow_people_write_time(w, c[i].given_at);
        fow_jw_kstring(w, "given_by", c[i].given_by);
        fow_jw_key(w, "withdrawn_at");
        fow_people_write_time(w, c[i].withdrawn_at);
        string_or_null(w, "withdrawn_by", c[i].withdrawn_by);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
}

void fow_people_write_skills(fow_jw *w, const fow_person_skill *s, size_t n, const fow_model *model,
                             const char *lang) {
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) {
        fow_jw_object(w);
        fow_jw_kstring(w, "skill", s[i].skill);
        uint32_t index = model && s[i].index != FOW_NO_INDEX && s[i].index < model->n_skills ? s[i].index : FOW_NO_INDEX;
        const char *label = index == FOW_NO_INDEX ? NULL : model->skills[index].label;
        string_or_null(w, "label", label);
        local_label(w, model, lang, 1, index, label);
        fow_jw_kstring(w, "provenance", fow_skill_provenance_name(s[i].provenance));
        string_or_null(w, "detail", s[i].detail);
        fow_jw_key(w, "recorded_at");
        fow_people_write_time(w, s[i].recorded_at);
        fow_jw_kstring(w, "recorded_by", s[i].recorded_by);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
}

void fow_people_write_audit(fow_jw *w, const fow_audit_entry *e, size_t n) {
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) {
        fow_jw_object(w);
        fow_jw_kint(w, "id", e[i].id);
        fow_jw_key(w, "at");
        fow_people_write_time(w, e[i].at);
        fow_jw_kstring(w, "actor", e[i].actor);
        fow_jw_kstring(w, "action", e[i].action);
        string_or_null(w, "person", e[i].person);
        fow_jw_kstring(w, "reason", e[i].reason);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
}

void fow_people_write_counts(fow_jw *w, const fow_people_count *c, size_t n) {
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) {
        fow_jw_object(w);
        fow_jw_kstring(w, "organisation", c[i].organisation);
        fow_jw_kint(w, "served", c[i].served);
        fow_jw_kint(w, "erased", c[i].erased);
        fow_jw_kint(w, "active", c[i].served - c[i].erased);
        fow_jw_key(w, "consenting");
        fow_jw_object(w);
        for (int p = 0; p < FOW_PURPOSE_COUNT; p++) fow_jw_kint(w, fow_purpose_name((fow_purpose)p), c[i].consenting[p]);
        fow_jw_object_end(w);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
}
