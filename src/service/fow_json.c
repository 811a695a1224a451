#include "service/fow_json.h"

#include <math.h>
#include <string.h>

json_t *fow_json_number(double v) { return isnan(v) ? json_null() : json_real(v); }

const char *fow_risk_category_name(uint8_t c) {
    switch (c) {
    case FOW_RISK_HIGH: return "High risk";
    case FOW_RISK_LOW: return "Low risk";
    case FOW_RISK_OTHER: return "Other";
    default: return "";
    }
}

void fow_json_add_local_label(json_t *obj, const fow_model *model, int kind, uint32_t entity, const char *lang) {
    if (!obj || !lang) return;
    const char *label = fow_model_label_in(model, kind, entity, lang);
    json_object_set_new(obj, "label_local", label ? json_string(label) : json_null());
}

json_t *fow_json_occupation_ref(const fow_occupation_ref *r) {
    if (r->id == 0) return json_null();
    return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)r->id, "uri", r->uri, "code", r->code, "label", r->label);
}

const char *fow_risk_scale(const char *model) {
    return strcmp(model, "mcc") == 0 ? "1 (minimal) to 5 (maximal)" : "probability 0 to 1";
}

json_t *fow_json_occupation_detail(const fow_occupation_detail *d) {
    json_t *o = fow_json_occupation_ref(&d->self);
    json_object_set_new(o, "isco_group", json_string(d->isco_group));
    json_object_set_new(o, "description", json_string(d->description));
    json_object_set_new(o, "source", json_pack("{s:s, s:s}", "name", d->source_name, "version", d->source_version));
    json_t *path = json_array();
    for (size_t i = 0; i < d->n_isco_path; i++)
        json_array_append_new(path, json_pack("{s:s, s:s}", "code", d->isco_path[i].code, "label", d->isco_path[i].label));
    json_object_set_new(o, "isco_path", path);
    json_t *labels = json_array();
    for (size_t i = 0; i < d->n_labels; i++)
        json_array_append_new(labels, json_pack("{s:s, s:s, s:b}", "lang", d->labels[i].lang, "label", d->labels[i].label,
                                                "preferred", d->labels[i].preferred));
    json_object_set_new(o, "labels", labels);
    json_t *skills = json_array();
    for (size_t i = 0; i < d->n_skills; i++)
        json_array_append_new(skills, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)d->skills[i].id, "uri",
                                                d->skills[i].uri, "label", d->skills[i].label, "skill_type",
                                                d->skills[i].skill_type, "relation",
                                                d->skills[i].essential ? "essential" : "optional"));
    json_object_set_new(o, "skills", skills);
    json_t *risks = json_array();
    for (size_t i = 0; i < d->n_risks; i++) {
        const fow_risk_estimate *r = &d->risks[i];
        json_array_append_new(
            risks, json_pack("{s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:o, s:{s:s, s:s, s:s}}", "model", r->model, "scale",
                             fow_risk_scale(r->model), "risk", json_real(r->risk), "prevalence",
                             fow_json_number(r->prevalence), "category", r->category, "method", r->method, "detail",
                             r->detail, "inherited_from", fow_json_occupation_ref(&r->from), "source", "name", r->source_name,
                             "version", r->source_version, "licence", r->source_licence));
    }
    json_object_set_new(o, "risk", risks);
    json_t *groups = json_array();
    for (size_t i = 0; i < d->n_group_risks; i++) {
        const fow_group_risk *g = &d->group_risks[i];
        json_array_append_new(groups, json_pack("{s:s, s:s, s:o, s:o, s:s, s:{s:s, s:s}}", "model", g->model,
                                                "isco_code", g->isco_code, "risk", json_real(g->risk), "prevalence",
                                                fow_json_number(g->prevalence), "category", g->category, "source",
                                                "name", g->source_name, "version", g->source_version));
    }
    json_object_set_new(o, "isco_group_risk", groups);
    const fow_occupation_attributes *a = &d->attributes;
    if (a->present)
        json_object_set_new(
            o, "attributes",
            json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:o, s:{s:s, s:s}}", "job_zone",
                      fow_json_number(a->job_zone), "education_level", fow_json_number(a->education_level),
                      "related_work_experience", fow_json_number(a->related_work_experience), "on_the_job_training",
                      fow_json_number(a->on_the_job_training), "annual_earnings_gbp",
                      fow_json_number(a->annual_earnings_gbp), "remote_labor_index",
                      fow_json_number(a->remote_labor_index), "physical_proximity",
                      fow_json_number(a->physical_proximity), "skills_sector", a->skills_sector, "skills_subsector",
                      a->skills_subsector, "method", a->method, "inherited_from", fow_json_occupation_ref(&a->from), "source", "name",
                      a->source_name, "version", a->source_version));
    else
        json_object_set_new(o, "attributes", json_null());
    json_t *parents = json_array(), *children = json_array();
    for (size_t i = 0; i < d->n_parents; i++) json_array_append_new(parents, fow_json_occupation_ref(&d->parents[i]));
    for (size_t i = 0; i < d->n_children; i++) json_array_append_new(children, fow_json_occupation_ref(&d->children[i]));
    json_object_set_new(o, "parents", parents);
    json_object_set_new(o, "children", children);
    return o;
}
