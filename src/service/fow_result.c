/* fow_result.c — the whole JSON documents of fow's reading results
 * (fow_result.h), written with fow_jw. The key order is the one the API has
 * always answered with. */
#include "service/fow_result.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "observatory/fow_observe_json.h"
#include "service/fow_json.h"
#include "service/fow_msg.h"
#include "vouchers/fow_voucher_reports.h"
#include "vouchers/fow_vouchers.h"

/* ---- parts ---------------------------------------------------------------- */

/* Always inline, so that fow_jw_key sees the literal key (its fast path). */
static FOW_JW_ALWAYS_INLINE void number(fow_jw *w, const char *key, double v) {
    fow_jw_key(w, key);
    fow_jw_real(w, v); /* null for NaN */
}

/* label_local: the label of occupation (kind 0) or skill (kind 1) in lang. */
static void local_label(fow_jw *w, const fow_result_context *ctx, const char *key, int kind, uint32_t entity) {
    if (!ctx->lang) return;
    fow_jw_kstring(w, key, fow_model_label_in(ctx->model, kind, entity, ctx->lang));
}

/* The fields of an occupation of the model (fow_json_occupation's). */
static void occupation_fields(fow_jw *w, const fow_result_context *ctx, uint32_t o) {
    const fow_model_occupation *oc = &ctx->model->occupations[o];
    fow_jw_kstring(w, "uri", oc->uri);
    fow_jw_kstring(w, "code", oc->code);
    fow_jw_kstring(w, "label", oc->label);
    fow_jw_kstring(w, "isco_group", oc->isco_group);
    number(w, "risk_mcc", oc->risk_mcc);
    fow_jw_kstring(w, "risk_category_mcc", oc->mcc_category ? fow_risk_category_name(oc->mcc_category) : NULL);
    number(w, "prevalence_mcc", oc->prevalence_mcc);
    number(w, "risk_frey_osborne", oc->risk_frey_osborne);
    number(w, "job_zone", oc->job_zone);
    number(w, "annual_earnings_gbp", oc->earnings);
    local_label(w, ctx, "label_local", 0, o);
}

static void occupation(fow_jw *w, const fow_result_context *ctx, uint32_t o) {
    if (o == FOW_NO_INDEX) {
        fow_jw_null(w);
        return;
    }
    fow_jw_object(w);
    occupation_fields(w, ctx, o);
    fow_jw_object_end(w);
}

/* The texts of filters and provenance are made with snprintf from a few
 * numbers and flags that seldom change from one answer to the next (its
 * "%.2f" costs more than the rest of the section): each thread keeps the
 * last text of each with what it was made from, and makes it again only
 * when one of those differs (compared bit for bit). */
typedef struct filters_made {
    bool valid;
    fow_risk_model model;
    fow_safe_rule safe_rule;
    int viable_only, safe, desirable;
    uint32_t min_similarity_bits;
    char text[300];
} filters_made;

typedef struct provenance_made {
    bool valid;
    uint32_t context_weight_bits, isco_weight_bits;
    char text[400];
} provenance_made;

static _Thread_local filters_made last_filters;
static _Thread_local provenance_made last_provenance;

static uint32_t float_bits(float f) {
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    return bits;
}

static void provenance(fow_jw *w, const fow_result_context *ctx, fow_risk_model model) {
    const fow_similarity_params *p = &ctx->index->params;
    fow_jw_key(w, "provenance");
    fow_jw_object(w);
    provenance_made *made = &last_provenance;
    if (!made->valid || made->context_weight_bits != float_bits(p->context_weight) ||
        made->isco_weight_bits != float_bits(p->isco_weight)) {
        snprintf(made->text, sizeof made->text,
                 "fow combined similarity: %.2f x skill coverage (IDF-weighted share of the destination's requirements "
                 "the origin covers, with partial credit for related skills, mixed with the reverse coverage) + %.2f x "
                 "work context (job zone, education, experience, training, remote work, physical proximity, earnings) "
                 "+ %.2f x shared ISCO-08 digits / 4 (docs/transitions.md)",
                 (double)(1.0f - p->context_weight - p->isco_weight), (double)p->context_weight,
                 (double)p->isco_weight);
        made->context_weight_bits = float_bits(p->context_weight);
        made->isco_weight_bits = float_bits(p->isco_weight);
        made->valid = true;
    }
    const char *text = made->text;
    fow_jw_kstring(w, "similarity", text);
    const fow_msg_param similarity_params[] = {
        FOW_MSG_R("skills_weight", (double)(1.0f - p->context_weight - p->isco_weight)),
        FOW_MSG_R("context_weight", (double)p->context_weight),
        FOW_MSG_R("isco_weight", (double)p->isco_weight),
    };
    fow_jw_key(w, "similarity_message");
    fow_msg_write(w, "provenance.similarity_combined", text, similarity_params,
                  sizeof similarity_params / sizeof similarity_params[0]);
    fow_jw_kreal(w, "viable_from", (double)p->viable);
    fow_jw_kreal(w, "viable_missing_share", (double)p->viable_missing_share);
    fow_jw_kreal(w, "highly_viable_from", (double)p->highly_viable);
    fow_jw_kstring(w, "risk_model", fow_risk_model_name(model));
    const char *risk = ctx->risk_source[model == FOW_RISK_MODEL_FREY_OSBORNE];
    if (!risk || !*risk)
        risk = model == FOW_RISK_MODEL_FREY_OSBORNE ? "no Frey & Osborne risk imported" : "no MCC risk imported";
    fow_jw_kstring(w, "risk_source", risk);
    fow_jw_kstring(w, "attributes_source", ctx->attributes_source && *ctx->attributes_source
                                               ? ctx->attributes_source
                                               : "no occupation attributes imported");
    fow_jw_object_end(w);
}

static void filters(fow_jw *w, const fow_transition_query *q) {
    float margin = fow_safe_margin(q->model, q->safe_rule);
    filters_made *made = &last_filters;
    if (!made->valid || made->model != q->model || made->safe_rule != q->safe_rule ||
        made->viable_only != q->viable_only || made->safe != q->safe || made->desirable != q->desirable ||
        made->min_similarity_bits != float_bits(q->min_similarity)) {
        char safe_text[120] = "";
        if (q->safe)
            snprintf(safe_text, sizeof safe_text, ", %s (risk lower by %s%.2f)",
                     q->safe >= 2 ? "strictly safe" : "safe", margin > 0.0f ? "at least " : "more than ",
                     (double)margin);
        snprintf(made->text, sizeof made->text, "similarity >= %.2f%s%s%s (risk model %s)",
                 (double)q->min_similarity,
                 q->viable_only ? ", viable (at most half of the essential skills missing)" : "", safe_text,
                 q->desirable ? ", desirable" : "", fow_risk_model_name(q->model));
        made->model = q->model, made->safe_rule = q->safe_rule, made->viable_only = q->viable_only;
        made->safe = q->safe, made->desirable = q->desirable;
        made->min_similarity_bits = float_bits(q->min_similarity);
        made->valid = true;
    }
    const char *text = made->text;
    fow_jw_key(w, "filters");
    fow_jw_object(w);
    fow_jw_kstring(w, "text", text);
    fow_jw_kbool(w, "viable_only", q->viable_only);
    fow_jw_kstring(w, "safe_rule", fow_safe_rule_name(q->safe_rule));
    fow_jw_kreal(w, "safe_margin", (double)margin);
    fow_jw_kbool(w, "safe", q->safe >= 1);
    fow_jw_kbool(w, "strict", q->safe >= 2);
    fow_jw_kbool(w, "desirable", q->desirable);
    fow_jw_kreal(w, "min_similarity", (double)q->min_similarity);
    fow_jw_kstring(w, "model", fow_risk_model_name(q->model));
    /* the same text as a message the web app words in the page's language */
    const char *safety_code = q->safe >= 2 ? "transitions.safety.strict" : q->safe ? "transitions.safety.safe"
                                                                                    : "transitions.safety.any";
    const char *safety_text = q->safe >= 2 ? ", strictly safe" : q->safe ? ", safe" : "";
    const fow_msg_param params[] = {
        FOW_MSG_R("min_similarity", (double)q->min_similarity),
        FOW_MSG_N("viable", q->viable_only ? "transitions.viable.yes" : "transitions.viable.any",
                  q->viable_only ? ", viable (at most half of the essential skills missing)" : ""),
        FOW_MSG_N("safety", safety_code, safety_text),
        q->safe ? FOW_MSG_R("margin", (double)margin) : FOW_MSG_S("margin", NULL),
        FOW_MSG_N("margin_rule", margin > 0.0f ? "transitions.margin.at_least" : "transitions.margin.more_than",
                  margin > 0.0f ? "at least " : "more than "),
        FOW_MSG_N("desirable", q->desirable ? "transitions.desirable.yes" : "transitions.desirable.any",
                  q->desirable ? ", desirable" : ""),
        FOW_MSG_N("model", q->model == FOW_RISK_MODEL_FREY_OSBORNE ? "risk_model.frey-osborne" : "risk_model.mcc",
                  fow_risk_model_name(q->model)),
    };
    fow_jw_key(w, "message");
    fow_msg_write(w, "transitions.filters", text, params, sizeof params / sizeof params[0]);
    fow_jw_object_end(w);
}

static void page_info(fow_jw *w, const fow_result_page *page) {
    fow_jw_kint(w, "total", page->total);
    fow_jw_kint(w, "offset", page->offset);
    fow_jw_kint(w, "limit", page->limit);
    fow_jw_key(w, "next_offset");
    if (page->offset + page->limit < page->total) fow_jw_int(w, page->offset + page->limit);
    else fow_jw_null(w);
}

static void transitions_list(fow_jw *w, const fow_result_context *ctx, const char *key, const fow_transition *t,
                             uint32_t n, long offset) {
    fow_jw_key(w, key);
    fow_jw_array(w);
    for (uint32_t i = (uint32_t)offset; i < n; i++) {
        const fow_transition *x = &t[i];
        fow_jw_object(w);
        fow_jw_kint(w, "rank", i + 1);
        occupation_fields(w, ctx, x->destination);
        fow_jw_kreal(w, "similarity", (double)x->similarity);
        fow_jw_kbool(w, "viable", x->viable);
        fow_jw_kbool(w, "highly_viable", x->highly_viable);
        fow_jw_kstring(w, "desirable", fow_tristate_name(x->desirable));
        fow_jw_kstring(w, "safe", fow_tristate_name(x->safe));
        fow_jw_kstring(w, "safe_strict", fow_tristate_name(x->safe_strict));
        number(w, "origin_risk", x->origin_risk);
        number(w, "destination_risk", x->destination_risk);
        number(w, "earnings_ratio", x->earnings_ratio);
        number(w, "job_zone_difference", x->job_zone_difference);
        fow_jw_kint(w, "essential_missing", x->essential_missing);
        fow_jw_kint(w, "essential_total", x->essential_total);
        fow_jw_key(w, "similarity_parts");
        fow_jw_object(w);
        number(w, "skills", x->parts.skills);
        number(w, "context", x->parts.context);
        number(w, "isco", x->parts.isco);
        fow_jw_object_end(w);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
}

/* when_none (fow_result.h): what a worker can do when no move passes. */
static void when_none(fow_jw *w, const fow_result_context *ctx, const fow_transition_query *q,
                      const fow_transition_fallback *fb) {
    fow_jw_key(w, "when_none");
    if (!fb) {
        fow_jw_null(w);
        return;
    }
    const fow_model *m = ctx->model;
    fow_jw_object(w);
    const fow_msg_param none_params[] = {FOW_MSG_I("nearest", fb->n_nearest)};
    fow_jw_key(w, "message");
    /* the nearest moves keep the query's safety and desirability filters
     * (fow_transitions_fallback): the wording names the ones actually set */
    const char *code = "transitions.none_any";
    const char *text = "No move passes these filters. The nearest moves at any similarity are shown with what "
                       "they lack, and the skill that would open the most moves.";
    if (q->safe && q->desirable) {
        code = "transitions.none";
        text = "No move passes these filters. The nearest moves that pass the safety and desirability filters "
               "are shown with what they lack, and the skill that would open the most moves.";
    } else if (q->safe) {
        code = "transitions.none_safe";
        text = "No move passes these filters. The nearest moves that pass the safety filter are shown with what "
               "they lack, and the skill that would open the most moves.";
    } else if (q->desirable) {
        code = "transitions.none_desirable";
        text = "No move passes these filters. The nearest moves that pass the desirability filter are shown with "
               "what they lack, and the skill that would open the most moves.";
    }
    fow_msg_write(w, code, text, none_params, 1);
    transitions_list(w, ctx, "nearest", fb->nearest, fb->n_nearest, 0);
    fow_jw_key(w, "lacking");
    fow_jw_array(w);
    for (uint32_t i = 0; i < fb->n_nearest; i++) {
        fow_jw_array(w);
        for (uint32_t k = 0; k < fb->n_lacking[i]; k++) {
            uint32_t s = fb->lacking[i][k];
            fow_jw_object(w);
            fow_jw_kstring(w, "label", m->skills[s].label);
            fow_jw_kstring(w, "uri", m->skills[s].uri);
            local_label(w, ctx, "label_local", 1, s);
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_key(w, "route");
    if (!fb->has_route) {
        fow_jw_null(w);
    } else {
        fow_jw_object(w);
        fow_jw_kstring(w, "skill", m->skills[fb->route.skill].label);
        fow_jw_kstring(w, "uri", m->skills[fb->route.skill].uri);
        local_label(w, ctx, "label_local", 1, fb->route.skill);
        fow_jw_kint(w, "new_transitions", fb->route.new_transitions);
        fow_jw_key(w, "example");
        occupation(w, ctx, fb->route.example);
        fow_jw_kreal(w, "example_similarity", (double)fb->route.example_similarity);
        fow_jw_object_end(w);
    }
    fow_jw_key(w, "common_gap");
    if (fb->common_gap == FOW_NO_INDEX) {
        fow_jw_null(w);
    } else {
        fow_jw_object(w);
        fow_jw_kstring(w, "skill", m->skills[fb->common_gap].label);
        fow_jw_kstring(w, "uri", m->skills[fb->common_gap].uri);
        local_label(w, ctx, "label_local", 1, fb->common_gap);
        fow_jw_kint(w, "nearest_lacking", fb->common_gap_count);
        fow_jw_object_end(w);
    }
    fow_jw_object_end(w);
}

/* {recognised: [{input, label, uri, label_local?}], unresolved: [{input,
 * close_matches}]} */
bool fow_result_person_from_origin(const fow_person_origin *o, fow_result_person *out) {
    memset(out, 0, sizeof *out);
    size_t n = o->n ? o->n : 1;
    fow_skill_resolution *res = calloc(n, sizeof *res);
    const char **provenance = calloc(n, sizeof *provenance);
    if (!res || !provenance) {
        free(res);
        free(provenance);
        return false;
    }
    for (uint32_t i = 0; i < o->n; i++) {
        res[i].skill = o->skills[i];
        provenance[i] = fow_skill_provenance_name(o->provenance[i]);
    }
    out->inputs = o->keys;
    out->resolutions = res;
    out->n = o->n;
    out->person_id = o->person;
    out->provenance = provenance;
    out->n_profile = o->n_profile;
    return true;
}

void fow_result_person_free(fow_result_person *p) {
    if (!p) return;
    free((void *)p->resolutions);
    free((void *)p->provenance);
    memset(p, 0, sizeof *p);
}

static void person_skills(fow_jw *w, const fow_result_context *ctx, const fow_result_person *p) {
    const fow_model *m = ctx->model;
    fow_jw_object(w);
    if (p->person_id) {
        /* a stored profile: whose, and how many of its entries the taxonomy holds */
        fow_jw_kstring(w, "person", p->person_id);
        fow_jw_kstring(w, "source", "profile");
        fow_jw_kint(w, "profile_entries", (long long)p->n_profile);
    }
    fow_jw_key(w, "recognised");
    fow_jw_array(w);
    for (uint32_t i = 0; i < p->n; i++) {
        const fow_skill_resolution *r = &p->resolutions[i];
        if (r->skill == FOW_NO_INDEX) continue;
        fow_jw_object(w);
        fow_jw_kstring(w, "input", p->inputs[i]);
        fow_jw_kstring(w, "label", m->skills[r->skill].label);
        fow_jw_kstring(w, "uri", m->skills[r->skill].uri);
        local_label(w, ctx, "label_local", 1, r->skill);
        if (p->person_id && p->provenance) fow_jw_kstring(w, "provenance", p->provenance[i]);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_key(w, "unresolved");
    fow_jw_array(w);
    for (uint32_t i = 0; i < p->n; i++) {
        const fow_skill_resolution *r = &p->resolutions[i];
        if (r->skill != FOW_NO_INDEX) continue;
        fow_jw_object(w);
        fow_jw_kstring(w, "input", p->inputs[i]);
        fow_jw_key(w, "close_matches");
        fow_jw_array(w);
        for (uint32_t k = 0; k < r->n_suggestions; k++) fow_jw_string(w, m->skills[r->suggestions[k]].label);
        fow_jw_array_end(w);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_object_end(w);
}

/* ---- the documents ------------------------------------------------------------ */

void fow_result_search(fow_jw *w, const fow_result_context *ctx, const char *query, const fow_search_hit *hits,
                       long n, const fow_result_page *page) {
    const fow_model *m = ctx->model;
    fow_jw_set_precision(w, FOW_RESULT_DIGITS);
    fow_jw_object(w);
    fow_jw_kstring(w, "query", query);
    fow_jw_key(w, "results");
    fow_jw_array(w);
    for (long i = page->offset; i < n && i < page->offset + page->limit; i++) {
        const fow_search_hit *h = &hits[i];
        const fow_model_term *t = &m->terms[h->term];
        bool occ = h->kind == FOW_KIND_OCCUPATION;
        fow_jw_object(w);
        fow_jw_kstring(w, "kind", occ ? "occupation" : "skill");
        fow_jw_kint(w, "id", occ ? m->occupations[h->entity].id : m->skills[h->entity].id);
        fow_jw_kstring(w, "uri", occ ? m->occupations[h->entity].uri : m->skills[h->entity].uri);
        fow_jw_kstring(w, "label", occ ? m->occupations[h->entity].label : m->skills[h->entity].label);
        fow_jw_kstring(w, "matched_label", fow_model_text(m, t->label));
        fow_jw_kstring(w, "lang", t->lang);
        fow_jw_kstring(w, "match", fow_match_name(h->match));
        fow_jw_kbool(w, "matched_preferred", h->preferred);
        local_label(w, ctx, "label_local", occ ? 0 : 1, h->entity);
        if (occ) {
            uint8_t category = m->occupations[h->entity].mcc_category;
            fow_jw_kstring(w, "code", m->occupations[h->entity].code);
            fow_jw_kstring(w, "risk_category_mcc", category ? fow_risk_category_name(category) : NULL);
        }
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    page_info(w, page);
    fow_jw_object_end(w);
}

/* label_local of an element of the detail's list key (skills: kind 1, or
 * occupations: kind 0), found in the model by its database id. */
static void add_list_local_labels(json_t *d, const fow_result_context *ctx, const char *key, int kind) {
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(d, key), i, item) {
        json_int_t id = json_integer_value(json_object_get(item, "id"));
        uint32_t index = kind ? fow_model_skill_by_id(ctx->model, id) : fow_model_occupation_by_id(ctx->model, id);
        const char *label = index == FOW_NO_INDEX ? NULL : fow_model_label_in(ctx->model, kind, index, ctx->lang);
        json_object_set_new(item, "label_local", label ? json_string(label) : json_null());
    }
}

/* The labels of the skills, broader and narrower occupations and ISCO
 * groups of an occupation's detail in ctx->lang (label_local, null when the
 * taxonomy has none in it: ISCO groups are stored in one language, the
 * taxonomy's, taxonomy_lang). */
static void add_detail_local_labels(json_t *d, const fow_result_context *ctx, const char *taxonomy_lang) {
    bool same = taxonomy_lang && strcmp(taxonomy_lang, ctx->lang) == 0;
    add_list_local_labels(d, ctx, "skills", 1);
    add_list_local_labels(d, ctx, "parents", 0);
    add_list_local_labels(d, ctx, "children", 0);
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(d, "isco_path"), i, item) {
        const char *label = json_string_value(json_object_get(item, "label"));
        json_object_set_new(item, "label_local", same && label && *label ? json_string(label) : json_null());
    }
}

void fow_result_occupation(fow_jw *w, const fow_result_context *ctx, const fow_occupation_detail *detail,
                           uint32_t o) {
    fow_jw_set_precision(w, FOW_RESULT_DIGITS);
    json_t *d = fow_json_occupation_detail(detail);
    if (!d) {
        w->failed = true;
        return;
    }
    if (ctx->lang) add_detail_local_labels(d, ctx, detail->lang);
    fow_jw_object(w);
    const char *key;
    json_t *value;
    json_object_foreach(d, key, value) {
        fow_jw_key(w, key);
        fow_jw_json(w, value);
    }
    json_decref(d);
    local_label(w, ctx, "label_local", 0, o);
    fow_jw_key(w, "summary");
    occupation(w, ctx, o);
    fow_jw_kstring(w, "attribution", FOW_RESULT_ATTRIBUTION);
    fow_jw_object_end(w);
}

void fow_result_skill(fow_jw *w, const fow_result_context *ctx, uint32_t s) {
    const fow_model *m = ctx->model;
    const fow_similarity_index *x = ctx->index;
    const fow_model_skill *sk = &m->skills[s];
    fow_jw_set_precision(w, FOW_RESULT_DIGITS);
    fow_jw_object(w);
    fow_jw_kstring(w, "label", sk->label);
    fow_jw_kstring(w, "uri", sk->uri);
    fow_jw_kstring(w, "type", sk->is_knowledge ? "knowledge" : "skill/competence");
    fow_jw_kbool(w, "green", (sk->flags & FOW_SKILL_GREEN) != 0);
    fow_jw_kbool(w, "digital", (sk->flags & FOW_SKILL_DIGITAL) != 0);
    fow_jw_kbool(w, "transversal", (sk->flags & FOW_SKILL_TRANSVERSAL) != 0);
    fow_jw_kbool(w, "language", (sk->flags & FOW_SKILL_LANGUAGE) != 0);
    fow_jw_kreal(w, "weight", (double)x->skill_weight[s]);
    for (int essential = 1; essential >= 0; essential--) {
        fow_jw_key(w, essential ? "essential_for" : "optional_for");
        fow_jw_array(w);
        for (uint32_t a = m->skill_offsets[s]; a < m->skill_offsets[s + 1]; a++) {
            const fow_model_link *l = &m->skill_links[a];
            if ((l->essential != 0) != (essential != 0)) continue;
            const fow_model_occupation *o = &m->occupations[l->index];
            fow_jw_object(w);
            fow_jw_kstring(w, "uri", o->uri);
            fow_jw_kstring(w, "code", o->code);
            fow_jw_kstring(w, "label", o->label);
            local_label(w, ctx, "label_local", 0, l->index);
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
    }
    fow_jw_key(w, "related");
    fow_jw_array(w);
    for (uint32_t r = x->related_offsets[s]; r < x->related_offsets[s + 1]; r++) {
        const fow_related_skill *rs = &x->related[r];
        fow_jw_object(w);
        fow_jw_kstring(w, "label", m->skills[rs->skill].label);
        fow_jw_kstring(w, "uri", m->skills[rs->skill].uri);
        fow_jw_kreal(w, "strength", (double)rs->strength);
        fow_jw_key(w, "sources");
        fow_jw_array(w);
        if (rs->sources & FOW_RELATED_COOCCURRENCE) fow_jw_string(w, "co-occurrence");
        if (rs->sources & FOW_RELATED_WORDS) fow_jw_string(w, "shared words");
        fow_jw_array_end(w);
        local_label(w, ctx, "label_local", 1, rs->skill);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_kstring(w, "attribution", FOW_RESULT_ATTRIBUTION);
    local_label(w, ctx, "label_local", 1, s);
    fow_jw_key(w, "labels");
    fow_jw_array(w);
    for (uint32_t t = 0; t < m->n_terms; t++) {
        if (m->terms[t].kind != 1 || m->terms[t].entity != s) continue;
        fow_jw_object(w);
        fow_jw_kstring(w, "lang", m->terms[t].lang);
        fow_jw_kstring(w, "label", fow_model_text(m, m->terms[t].label));
        fow_jw_kbool(w, "preferred", m->terms[t].preferred);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_object_end(w);
}

void fow_result_transitions(fow_jw *w, const fow_result_context *ctx, uint32_t origin, const fow_transition_query *q,
                            const fow_transition *t, uint32_t n, const fow_result_page *page,
                            const fow_transition_fallback *fallback) {
    fow_jw_set_precision(w, FOW_RESULT_DIGITS);
    fow_jw_object(w);
    fow_jw_key(w, "origin");
    occupation(w, ctx, origin);
    filters(w, q);
    transitions_list(w, ctx, "transitions", t, n, page->offset);
    when_none(w, ctx, q, fallback);
    provenance(w, ctx, q->model);
    page_info(w, page);
    fow_jw_object_end(w);
}

void fow_result_person_transitions(fow_jw *w, const fow_result_context *ctx, const fow_result_person *person,
                                   const fow_transition *fits, uint32_t n_fits, uint32_t judge_as,
                                   const fow_transition_query *q, const fow_transition *t, uint32_t n,
                                   const fow_result_page *page, const fow_transition_fallback *fallback) {
    fow_jw_set_precision(w, FOW_RESULT_DIGITS);
    fow_jw_object(w);
    fow_jw_key(w, "skills");
    person_skills(w, ctx, person);
    fow_jw_key(w, "best_fits");
    fow_jw_array(w);
    for (uint32_t i = 0; i < n_fits; i++) {
        fow_jw_object(w);
        fow_jw_key(w, "occupation");
        occupation(w, ctx, fits[i].destination);
        fow_jw_kreal(w, "similarity", (double)fits[i].similarity);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_key(w, "origin");
    occupation(w, ctx, judge_as);
    filters(w, q);
    transitions_list(w, ctx, "transitions", t, n, page->offset);
    when_none(w, ctx, q, fallback);
    provenance(w, ctx, q->model);
    page_info(w, page);
    fow_jw_object_end(w);
}

void fow_result_group_transitions(fow_jw *w, const fow_result_context *ctx, const char *group, uint32_t n_origins,
                                  const fow_transition_query *q, const fow_group_destination *d, uint32_t n,
                                  const fow_result_page *page) {
    fow_jw_set_precision(w, FOW_RESULT_DIGITS);
    fow_jw_object(w);
    fow_jw_kstring(w, "group", group);
    fow_jw_kint(w, "occupations", n_origins);
    filters(w, q);
    fow_jw_key(w, "destinations");
    fow_jw_array(w);
    for (uint32_t i = (uint32_t)page->offset; i < n; i++) {
        fow_jw_object(w);
        fow_jw_kint(w, "rank", i + 1);
        occupation_fields(w, ctx, d[i].destination);
        fow_jw_kint(w, "origins", d[i].origins);
        fow_jw_kreal(w, "mean_similarity", (double)d[i].mean_similarity);
        fow_jw_kbool(w, "in_group", d[i].in_group);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    provenance(w, ctx, q->model);
    page_info(w, page);
    fow_jw_object_end(w);
}

void fow_result_similar(fow_jw *w, const fow_result_context *ctx, uint32_t origin, const fow_transition *t,
                        uint32_t n, const fow_result_page *page) {
    fow_jw_set_precision(w, FOW_RESULT_DIGITS);
    fow_jw_object(w);
    fow_jw_key(w, "origin");
    occupation(w, ctx, origin);
    fow_jw_key(w, "similar");
    fow_jw_array(w);
    for (uint32_t i = (uint32_t)page->offset; i < n; i++) {
        fow_jw_object(w);
        fow_jw_kint(w, "rank", i + 1);
        occupation_fields(w, ctx, t[i].destination);
        fow_jw_kreal(w, "similarity", (double)t[i].similarity);
        fow_jw_kreal(w, "jaccard", (double)fow_similarity_jaccard(ctx->model, origin, t[i].destination));
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    provenance(w, ctx, FOW_RISK_MODEL_MCC);
    page_info(w, page);
    fow_jw_object_end(w);
}

/* The method of the probable skills, as a message the web app words:
 * {code, params, text}. */
static void infer_method(fow_jw *w, const fow_infer_params *p, float related_min) {
    char text[480], related[120] = "";
    if (related_min > 0.0f)
        snprintf(related, sizeof related, "; or related %.2f or more (co-occurrence, shared words) to a skill held",
                 (double)related_min);
    snprintf(text, sizeof text,
             "Probably held: not listed by ESCO for the occupation, but essential for most of its %u most similar "
             "occupations (and its ESCO parent and nested occupations), score %.2f or more on 0..1%s. Counted as "
             "held for viability; to confirm (docs/transitions.md, \"Viable\")",
             p->neighbours, (double)p->min_score, related);
    const fow_msg_param params[] = {
        FOW_MSG_I("neighbours", p->neighbours),
        FOW_MSG_R("related_weight", (double)p->related_weight),
        FOW_MSG_R("min_score", (double)p->min_score),
        FOW_MSG_R("related_min", (double)related_min),
    };
    fow_jw_key(w, "method");
    fow_msg_write(w, related_min > 0.0f ? "infer.method_related" : "infer.method", text, params,
                  sizeof params / sizeof params[0]);
}

/* A skill not held that the origin holds a narrower skill of (ESCO's skill
 * hierarchy): "narrower" {label, uri, label_local?} and "reason", a message
 * saying whether it counts as held (FOW_SKILL_NARROWER) or only hints at
 * what the worker knows (docs/transitions.md, "The skill hierarchy"). */
static void gap_narrower(fow_jw *w, const fow_result_context *ctx, const fow_gap_skill *g) {
    if (g->held || g->narrower == FOW_NO_INDEX) return;
    const fow_model_skill *n = &ctx->model->skills[g->narrower];
    fow_jw_key(w, "narrower");
    fow_jw_object(w);
    fow_jw_kstring(w, "label", n->label);
    fow_jw_kstring(w, "uri", n->uri);
    local_label(w, ctx, "label_local", 1, g->narrower);
    fow_jw_object_end(w);
    char text[600];
    const fow_msg_param params[] = {FOW_MSG_S("skill", n->label)};
    fow_jw_key(w, "reason");
    if (g->status == FOW_SKILL_NARROWER) {
        snprintf(text, sizeof text, "You likely hold this because you have \"%s\", a narrower skill.", n->label);
        fow_msg_write(w, "gap.held_through_narrower", text, params, 1);
    } else {
        snprintf(text, sizeof text,
                 "You have \"%s\", a narrower skill of this one in ESCO's hierarchy (not counted as held).",
                 n->label);
        fow_msg_write(w, "gap.narrower_held", text, params, 1);
    }
}

static void gap_skills(fow_jw *w, const fow_result_context *ctx, const char *key, const fow_gap_skill *g, uint32_t n,
                       bool probable) {
    const fow_model *m = ctx->model;
    fow_jw_key(w, key);
    fow_jw_array(w);
    for (uint32_t i = 0; i < n; i++) {
        const fow_model_skill *s = &m->skills[g[i].skill];
        fow_jw_object(w);
        fow_jw_kstring(w, "label", s->label);
        fow_jw_kstring(w, "uri", s->uri);
        fow_jw_kbool(w, "essential", g[i].essential);
        fow_jw_kbool(w, "held", g[i].held);
        fow_jw_kreal(w, "cover", (double)g[i].cover);
        fow_jw_kreal(w, "importance", (double)g[i].importance);
        fow_jw_kstring(w, "via", g[i].via == FOW_NO_INDEX ? NULL : m->skills[g[i].via].label);
        if (probable) {
            fow_jw_kbool(w, "probably_held", g[i].probably_held);
            number(w, "probability", g[i].probably_held ? (double)g[i].probability : NAN);
            if (g[i].probably_held)
                fow_jw_kstring(w, "basis", g[i].status == FOW_SKILL_PROBABLE   ? "inferred"
                                           : g[i].status == FOW_SKILL_NARROWER ? "narrower"
                                                                               : "related");
            gap_narrower(w, ctx, &g[i]);
        }
        local_label(w, ctx, "label_local", 1, g[i].skill);
        if (g[i].via != FOW_NO_INDEX) local_label(w, ctx, "via_local", 1, g[i].via);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
}

void fow_result_gap(fow_jw *w, const fow_result_context *ctx, uint32_t origin, const fow_result_person *person,
                    uint32_t judged_as, uint32_t to, const fow_gap *gap, const fow_transition *t, fow_risk_model model,
                    fow_safe_rule rule, uint32_t list_limit) {
    fow_jw_set_precision(w, FOW_RESULT_DIGITS);
    fow_jw_object(w);
    fow_jw_key(w, "from");
    if (origin == FOW_NO_INDEX && person) person_skills(w, ctx, person);
    else occupation(w, ctx, origin);
    fow_jw_key(w, "to");
    occupation(w, ctx, to);
    fow_jw_key(w, "judged_as");
    occupation(w, ctx, origin != FOW_NO_INDEX ? origin : judged_as);
    fow_jw_kreal(w, "similarity", (double)gap->similarity);
    fow_jw_kbool(w, "viable", t->viable);
    fow_jw_kbool(w, "highly_viable", t->highly_viable);
    fow_jw_kstring(w, "desirable", fow_tristate_name(t->desirable));
    fow_jw_kstring(w, "safe", fow_tristate_name(t->safe));
    fow_jw_kstring(w, "safe_strict", fow_tristate_name(t->safe_strict));
    fow_jw_kstring(w, "model", fow_risk_model_name(model));
    fow_jw_kstring(w, "safe_rule", fow_safe_rule_name(rule));
    fow_jw_kint(w, "essential_count", t->essential_total);
    fow_jw_kint(w, "missing_count", gap->n_missing);
    fow_jw_kint(w, "to_learn_count", gap->n_missing);
    fow_jw_kint(w, "probably_held_count", gap->n_probably_held);
    fow_jw_kint(w, "transfer_count", gap->n_transfers);
    fow_jw_kint(w, "transfer_exact_count", gap->n_transfer_exact);
    fow_jw_kint(w, "optional_missing_count", gap->n_optional_missing);
    gap_skills(w, ctx, "missing", gap->missing, gap->n_missing < list_limit ? gap->n_missing : list_limit, true);
    gap_skills(w, ctx, "transfers", gap->transfers, gap->n_transfers < list_limit ? gap->n_transfers : list_limit,
               false);
    fow_jw_key(w, "probably_held");
    fow_jw_object(w);
    fow_jw_kbool(w, "inferred", origin != FOW_NO_INDEX);
    fow_infer_params params;
    fow_infer_params_default(&params);
    infer_method(w, &params, ctx->index ? ctx->index->params.viable_related_min : 0.0f);
    gap_skills(w, ctx, "skills", gap->probable,
               gap->n_probably_held < list_limit ? gap->n_probably_held : list_limit, true);
    fow_jw_object_end(w);
    provenance(w, ctx, model);
    fow_jw_object_end(w);
}

/* [{label, uri, label_local?}] of the skills of occupation o listed
 * essential (1) or optional (0). */
static void listed_skills(fow_jw *w, const fow_result_context *ctx, uint32_t o, uint32_t essential) {
    const fow_model *m = ctx->model;
    fow_jw_array(w);
    for (uint32_t a = m->occ_offsets[o]; a < m->occ_offsets[o + 1]; a++) {
        if (m->occ_links[a].essential != essential) continue;
        uint32_t s = m->occ_links[a].index;
        fow_jw_object(w);
        fow_jw_kstring(w, "label", m->skills[s].label);
        fow_jw_kstring(w, "uri", m->skills[s].uri);
        local_label(w, ctx, "label_local", 1, s);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
}

void fow_result_probable_skills(fow_jw *w, const fow_result_context *ctx, uint32_t o, const fow_infer_params *params,
                                const fow_probable_skill *p, uint32_t n) {
    const fow_model *m = ctx->model;
    fow_jw_set_precision(w, FOW_RESULT_DIGITS);
    fow_jw_object(w);
    fow_jw_key(w, "occupation");
    occupation(w, ctx, o);
    infer_method(w, params, ctx->index ? ctx->index->params.viable_related_min : 0.0f);
    fow_jw_key(w, "essential");
    listed_skills(w, ctx, o, 1);
    fow_jw_key(w, "optional");
    listed_skills(w, ctx, o, 0);
    fow_jw_key(w, "probable");
    fow_jw_array(w);
    for (uint32_t i = 0; i < n; i++) {
        const fow_probable_skill *x = &p[i];
        fow_jw_object(w);
        fow_jw_kint(w, "rank", i + 1);
        fow_jw_kstring(w, "label", m->skills[x->skill].label);
        fow_jw_kstring(w, "uri", m->skills[x->skill].uri);
        local_label(w, ctx, "label_local", 1, x->skill);
        fow_jw_kreal(w, "score", (double)x->score);
        fow_jw_kreal(w, "neighbour_share", (double)x->neighbour_share);
        fow_jw_kint(w, "neighbours_listing", x->neighbours_listing);
        fow_jw_kreal(w, "relatedness", (double)x->relatedness);
        fow_jw_key(w, "example");
        if (x->example == FOW_NO_INDEX) {
            fow_jw_null(w);
        } else {
            fow_jw_object(w);
            fow_jw_kstring(w, "uri", m->occupations[x->example].uri);
            fow_jw_kstring(w, "code", m->occupations[x->example].code);
            fow_jw_kstring(w, "label", m->occupations[x->example].label);
            local_label(w, ctx, "label_local", 0, x->example);
            fow_jw_object_end(w);
        }
        fow_jw_kstring(w, "via", x->via == FOW_NO_INDEX ? NULL : m->skills[x->via].label);
        if (x->via != FOW_NO_INDEX) local_label(w, ctx, "via_local", 1, x->via);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_kint(w, "probable_count", n);
    fow_jw_kstring(w, "attribution", FOW_RESULT_ATTRIBUTION);
    fow_jw_object_end(w);
}

/* The part of an upskilling document after "about". */
static void upskill_rest(fow_jw *w, const fow_result_context *ctx, const fow_transition_query *q,
                         const fow_upskill_result *r) {
    const fow_model *m = ctx->model;
    filters(w, q);
    fow_jw_kint(w, "origins", r->origins);
    fow_jw_kint(w, "current_transitions", r->current);
    fow_jw_kint(w, "candidates_evaluated", r->candidates);
    fow_jw_key(w, "skills");
    fow_jw_array(w);
    for (uint32_t i = 0; i < r->n_options; i++) {
        const fow_upskill_option *x = &r->options[i];
        fow_jw_object(w);
        fow_jw_kint(w, "rank", i + 1);
        fow_jw_kstring(w, "label", m->skills[x->skill].label);
        fow_jw_kstring(w, "uri", m->skills[x->skill].uri);
        fow_jw_kint(w, "new_transitions", x->new_transitions);
        fow_jw_kint(w, "origins", x->origins);
        fow_jw_key(w, "example");
        occupation(w, ctx, x->example);
        local_label(w, ctx, "label_local", 1, x->skill);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    provenance(w, ctx, q->model);
    fow_jw_object_end(w);
}

void fow_result_upskill(fow_jw *w, const fow_result_context *ctx, uint32_t o, const char *group, uint32_t n_origins,
                        const fow_transition_query *q, const fow_upskill_result *r) {
    fow_jw_set_precision(w, FOW_RESULT_DIGITS);
    fow_jw_object(w);
    fow_jw_key(w, "about");
    fow_jw_object(w);
    if (group) {
        fow_jw_kstring(w, "group", group);
        fow_jw_kint(w, "occupations", n_origins);
    } else {
        fow_jw_key(w, "occupation");
        occupation(w, ctx, o);
    }
    fow_jw_object_end(w);
    upskill_rest(w, ctx, q, r);
}

void fow_result_person_upskill(fow_jw *w, const fow_result_context *ctx, const fow_result_person *person,
                               uint32_t judged_as, const fow_transition_query *q, const fow_upskill_result *r) {
    fow_jw_set_precision(w, FOW_RESULT_DIGITS);
    fow_jw_object(w);
    fow_jw_key(w, "about");
    fow_jw_object(w);
    fow_jw_key(w, "skills");
    person_skills(w, ctx, person);
    fow_jw_key(w, "judged_as");
    occupation(w, ctx, judged_as);
    fow_jw_object_end(w);
    upskill_rest(w, ctx, q, r);
}

void fow_result_sources(fow_jw *w, const fow_source_info *s, size_t n) {
    fow_jw_set_precision(w, FOW_RESULT_DIGITS);
    fow_jw_object(w);
    fow_jw_key(w, "sources");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) {
        fow_jw_object(w);
        fow_jw_kstring(w, "dataset", s[i].dataset);
        fow_jw_kstring(w, "kind", s[i].kind);
        fow_jw_kstring(w, "name", s[i].name);
        fow_jw_kstring(w, "version", s[i].version);
        fow_jw_kstring(w, "licence", s[i].licence);
        fow_jw_kstring(w, "url", s[i].url);
        fow_jw_kint(w, "rows", (long long)s[i].rows);
        fow_jw_kstring(w, "imported_at", s[i].imported_at);
        fow_jw_kstring(w, "fingerprint", s[i].fingerprint);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_kstring(w, "attribution", FOW_RESULT_ATTRIBUTION);
    fow_jw_object_end(w);
}

fow_code fow_result_areas(fow_jw *w, fow_db *db, fow_error *err) {
    json_t *areas = fow_employment_areas_json(db, err);
    if (!areas) return err->code ? err->code : fow_error_set(err, FOW_ENOMEM, "out of memory");
    fow_jw_set_precision(w, FOW_RESULT_COUNT_DIGITS);
    fow_jw_object(w);
    fow_jw_key(w, "areas");
    fow_jw_json(w, areas);
    fow_jw_object_end(w);
    json_decref(areas);
    return FOW_OK;
}

void fow_result_occupation_groups(fow_jw *w) {
    json_t *groups = fow_json_occupation_groups();
    if (!groups) {
        w->failed = true;
        return;
    }
    fow_jw_set_precision(w, FOW_RESULT_DIGITS);
    fow_jw_object(w);
    fow_jw_key(w, "groups");
    fow_jw_json(w, groups);
    fow_jw_object_end(w);
    json_decref(groups);
}

void fow_result_observatory(fow_jw *w, const json_t *document) {
    if (!document) {
        w->failed = true;
        return;
    }
    fow_jw_set_precision(w, FOW_RESULT_COUNT_DIGITS);
    fow_jw_json(w, document);
}

void fow_result_stats(fow_jw *w, const fow_result_context *ctx, const fow_db_stats *st, long long generation) {
    fow_result_stats_at(w, ctx, st, generation, NULL);
}

void fow_result_stats_at(fow_jw *w, const fow_result_context *ctx, const fow_db_stats *st, long long generation,
                         const fow_data_version *data_version) {
    const fow_model *m = ctx->model;
    uint32_t risk_mcc = 0, risk_fo = 0, high = 0, attributes = 0;
    for (uint32_t o = 0; m && o < m->n_occupations; o++) {
        const fow_model_occupation *oc = &m->occupations[o];
        risk_mcc += !isnan(oc->risk_mcc);
        risk_fo += !isnan(oc->risk_frey_osborne);
        high += oc->mcc_category == FOW_RISK_HIGH;
        attributes += !isnan(oc->earnings);
    }
    fow_jw_set_precision(w, FOW_RESULT_DIGITS);
    fow_jw_object(w);
    fow_jw_kint(w, "occupations", m ? m->n_occupations : 0);
    fow_jw_kint(w, "skills", m ? m->n_skills : 0);
    fow_jw_kint(w, "relations", m ? m->n_links : 0);
    fow_jw_kint(w, "with_risk_mcc", risk_mcc);
    fow_jw_kint(w, "with_risk_frey_osborne", risk_fo);
    fow_jw_kint(w, "high_risk_mcc", high);
    fow_jw_kint(w, "with_attributes", attributes);
    fow_jw_kint(w, "occupation_skill_relations", st->relations);
    fow_jw_kint(w, "isco_groups", st->isco_groups);
    fow_jw_kint(w, "nested_occupations", st->parents);
    fow_jw_kint(w, "labels", st->labels);
    fow_jw_kint(w, "languages", st->languages);
    fow_jw_kint(w, "sources", st->sources);
    fow_jw_kstring(w, "taxonomy_source", ctx->taxonomy_source ? ctx->taxonomy_source : "");
    fow_jw_kstring(w, "risk_source_mcc", ctx->risk_source[0] ? ctx->risk_source[0] : "");
    fow_jw_kstring(w, "risk_source_frey_osborne", ctx->risk_source[1] ? ctx->risk_source[1] : "");
    fow_jw_kstring(w, "attributes_source", ctx->attributes_source ? ctx->attributes_source : "");
    fow_jw_kstring(w, "attribution", FOW_RESULT_ATTRIBUTION);
    if (generation >= 0) fow_jw_kint(w, "generation", generation);
    if (data_version) {
        fow_jw_key(w, "data_version");
        fow_jw_object(w);
        fow_jw_kint(w, "generation", data_version->generation);
        fow_jw_kstring(w, "stamp", data_version->stamp);
        fow_jw_object_end(w);
    }
    fow_jw_object_end(w);
}

void fow_result_risk_ranking(fow_jw *w, const char *model, const fow_risk_ranking *ranking) {
    fow_jw_set_precision(w, FOW_RESULT_DIGITS);
    fow_jw_object(w);
    fow_jw_kstring(w, "model", model);
    fow_jw_kstring(w, "scale", fow_risk_scale(model));
    fow_jw_kint(w, "occupations_with_value", (long long)ranking->n_total);
    fow_jw_kstring(w, "source", ranking->source_name ? ranking->source_name : "");
    fow_jw_kstring(w, "source_version", ranking->source_version ? ranking->source_version : "");
    fow_jw_key(w, "occupations");
    fow_jw_array(w);
    for (size_t i = 0; i < ranking->n_rows; i++) {
        const fow_risk_row *r = &ranking->rows[i];
        fow_jw_object(w);
        fow_jw_kint(w, "id", r->occupation.id);
        fow_jw_kstring(w, "uri", r->occupation.uri);
        fow_jw_kstring(w, "code", r->occupation.code);
        fow_jw_kstring(w, "label", r->occupation.label);
        fow_jw_kstring(w, "isco_group", r->isco_group);
        fow_jw_kreal(w, "risk", r->risk);
        fow_jw_kreal(w, "prevalence", r->prevalence);
        fow_jw_kstring(w, "category", r->category);
        fow_jw_kstring(w, "method", r->method);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_object_end(w);
}

/* ---- from a gap to modules, and courses to commission ----------------------------- */

/* {minor_units, currency, amount}: amount the same value with two decimals. */
static void money(fow_jw *w, const char *key, long long minor, const char *currency) {
    fow_jw_key(w, key);
    fow_jw_object(w);
    fow_jw_kint(w, "minor_units", minor);
    fow_jw_kstring(w, "currency", currency);
    char amount[40];
    snprintf(amount, sizeof amount, "%s%lld.%02lld", minor < 0 ? "-" : "", (minor < 0 ? -minor : minor) / 100,
             (minor < 0 ? -minor : minor) % 100);
    fow_jw_kstring(w, "amount", amount);
    fow_jw_object_end(w);
}

/* "languages": the teaching languages asked for, null for any. */
static void match_languages(fow_jw *w, const fow_match_params *p) {
    fow_jw_key(w, "languages");
    if (!p->n_languages) {
        fow_jw_null(w);
        return;
    }
    fow_jw_array(w);
    for (size_t i = 0; i < p->n_languages; i++) fow_jw_string(w, p->languages[i]);
    fow_jw_array_end(w);
}

static void module_ref(fow_jw *w, const fow_training_module *m) {
    fow_jw_object(w);
    fow_jw_kint(w, "id", m->id);
    fow_jw_kstring(w, "code", m->code);
    fow_jw_object_end(w);
}

static void plan_skill(fow_jw *w, const fow_result_context *ctx, const fow_match_need *n,
                       const fow_match_need_result *r) {
    fow_jw_kstring(w, "label", n->label);
    fow_jw_kstring(w, "uri", n->uri);
    fow_jw_kbool(w, "essential", n->essential);
    fow_jw_kint(w, "weight", r->weight);
    if (n->model_index < ctx->model->n_skills) local_label(w, ctx, "label_local", 1, n->model_index);
}

void fow_result_plan(fow_jw *w, const fow_result_context *ctx, const fow_result_person *person,
                     const fow_match_index *x, const fow_match_plan *plan, const fow_match_params *p,
                     const fow_match_start *starts, const char *date) {
    const fow_training_catalogue *c = fow_match_index_catalogue(x);
    const fow_match_result *r = &plan->result;
    fow_jw_set_precision(w, FOW_RESULT_DIGITS);
    fow_jw_object(w);
    fow_jw_key(w, "from");
    if (plan->origin == FOW_NO_INDEX && person) person_skills(w, ctx, person);
    else occupation(w, ctx, plan->origin);
    fow_jw_key(w, "to");
    occupation(w, ctx, plan->destination);
    fow_jw_key(w, "judged_as");
    occupation(w, ctx, plan->judged_as);
    fow_jw_kreal(w, "similarity", (double)plan->gap.similarity);
    fow_jw_kbool(w, "viable", plan->move.viable);
    fow_jw_kint(w, "to_learn_count", plan->gap.n_missing);
    fow_jw_kint(w, "probably_held_count", plan->gap.n_probably_held);
    /* the parameters */
    fow_jw_key(w, "parameters");
    fow_jw_object(w);
    match_languages(w, p);
    fow_jw_kstring(w, "currency", r->currency);
    money(w, "hour_value", p->hour_value, r->currency);
    money(w, "skill_value", p->skill_value, r->currency);
    fow_jw_kint(w, "essential_weight", p->essential_weight);
    fow_jw_kint(w, "optional_weight", p->optional_weight);
    fow_jw_kbool(w, "with_optional", plan->with_optional);
    fow_jw_kstring(w, "solver", fow_match_solver_name(p->solver));
    fow_jw_kint(w, "exact_max", p->exact_max);
    fow_jw_kstring(w, "starts_after", p->has_cohort ? p->starts_after : NULL);
    fow_jw_kstring(w, "date", date);
    fow_jw_object_end(w);
    /* the chosen modules, in order */
    fow_jw_key(w, "modules");
    fow_jw_array(w);
    for (size_t i = 0; i < r->n_chosen; i++) {
        const fow_match_choice *ch = &r->chosen[i];
        const fow_training_module *m = &c->modules[ch->module];
        fow_jw_object(w);
        fow_jw_kint(w, "order", (long long)i + 1);
        fow_jw_kint(w, "id", m->id);
        fow_jw_kstring(w, "code", m->code);
        fow_jw_key(w, "title");
        fow_jw_object(w);
        fow_jw_kstring(w, "ro", m->title_ro);
        fow_jw_kstring(w, "en", m->title_en);
        fow_jw_object_end(w);
        fow_jw_kstring(w, "provider", m->provider);
        fow_jw_kstring(w, "programme", *m->programme ? m->programme : NULL);
        fow_jw_kreal(w, "hours", m->hours);
        fow_jw_kstring(w, "mode", m->mode);
        fow_jw_kstring(w, "language", m->language);
        fow_jw_kstring(w, "place", *m->place ? m->place : NULL);
        money(w, "cost", m->cost_minor, m->currency);
        money(w, "counted_cost", ch->cost, m->currency);
        fow_jw_key(w, "required_by");
        if (ch->required_by < 0) fow_jw_null(w);
        else module_ref(w, &c->modules[r->chosen[ch->required_by].module]);
        fow_jw_kint(w, "covers_count", ch->n_covers);
        fow_jw_kint(w, "covers_weight", ch->weight_covered);
        fow_jw_key(w, "covers");
        fow_jw_array(w);
        for (size_t e = 0; e < r->n_needs; e++) {
            if (r->needs[e].covered_by != (int32_t)i) continue;
            fow_jw_object(w);
            plan_skill(w, ctx, &plan->needs[e], &r->needs[e]);
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
        /* the next open cohort from the date on (null: none, or not asked) */
        if (starts && starts[i].found) {
            fow_jw_kstring(w, "next_start", starts[i].next_start);
            fow_jw_kint(w, "seats_left", starts[i].seats_left);
            fow_jw_kint(w, "cohort_id", starts[i].cohort_id);
        } else {
            fow_jw_knull(w, "next_start");
            fow_jw_knull(w, "seats_left");
            fow_jw_knull(w, "cohort_id");
        }
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    /* every skill to learn and what became of it */
    fow_jw_key(w, "skills");
    fow_jw_array(w);
    for (size_t e = 0; e < r->n_needs; e++) {
        const fow_match_need_result *nr = &r->needs[e];
        fow_jw_object(w);
        plan_skill(w, ctx, &plan->needs[e], nr);
        fow_jw_kstring(w, "status", fow_match_status_name(nr->status));
        fow_jw_key(w, "covered_by");
        if (nr->covered_by < 0) fow_jw_null(w);
        else module_ref(w, &c->modules[r->chosen[nr->covered_by].module]);
        fow_jw_kint(w, "modules_teaching", nr->teaching);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_key(w, "not_taught");
    fow_jw_array(w);
    for (size_t e = 0; e < r->n_needs; e++) {
        if (r->needs[e].status != FOW_MATCH_NOT_TAUGHT) continue;
        fow_jw_object(w);
        plan_skill(w, ctx, &plan->needs[e], &r->needs[e]);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_key(w, "excluded");
    fow_jw_array(w);
    for (size_t i = 0; i < r->n_excluded; i++) {
        const fow_match_exclusion *ex = &r->excluded[i];
        const fow_training_module *m = &c->modules[ex->module];
        fow_jw_object(w);
        fow_jw_kint(w, "id", m->id);
        fow_jw_kstring(w, "code", m->code);
        fow_jw_kstring(w, "reason", fow_match_exclusion_name(ex->reason));
        fow_jw_kstring(w, "detail", ex->detail);
        char text[300];
        const char *code;
        switch (ex->reason) {
        case FOW_MATCH_EXCLUDED_LANGUAGE:
            code = "plan.excluded.language";
            snprintf(text, sizeof text, "taught in '%s', a language not asked for", ex->detail);
            break;
        case FOW_MATCH_EXCLUDED_CURRENCY:
            code = "plan.excluded.currency";
            snprintf(text, sizeof text, "priced in %s, not in the plan's currency %s", ex->detail, r->currency);
            break;
        case FOW_MATCH_EXCLUDED_PREREQUISITE_SKILL:
            code = "plan.excluded.prerequisite_skill";
            snprintf(text, sizeof text, "needs the skill '%.200s', which the person lacks and no usable module teaches",
                     ex->detail);
            break;
        case FOW_MATCH_EXCLUDED_NO_COHORT:
            code = "plan.excluded.no_cohort";
            snprintf(text, sizeof text, "no open cohort starts on or after %s", ex->detail);
            break;
        default:
            code = "plan.excluded.prerequisite_module";
            snprintf(text, sizeof text, "needs the module %.100s first, which cannot be taken", ex->detail);
            break;
        }
        const fow_msg_param params[] = {FOW_MSG_S("detail", ex->detail), FOW_MSG_S("currency", r->currency)};
        fow_jw_key(w, "message");
        fow_msg_write(w, code, text, params, 2);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    /* coverage */
    uint32_t essential = 0, essential_covered = 0;
    for (size_t e = 0; e < r->n_needs; e++)
        if (plan->needs[e].essential) {
            essential++;
            essential_covered += r->needs[e].status == FOW_MATCH_COVERED;
        }
    fow_jw_key(w, "coverage");
    fow_jw_object(w);
    fow_jw_kint(w, "skills", (long long)r->n_needs);
    fow_jw_kint(w, "covered", r->covered);
    fow_jw_kint(w, "coverable", r->coverable);
    number(w, "share_counted", r->n_needs ? (double)r->covered / (double)r->n_needs : NAN);
    fow_jw_kint(w, "weight", r->weight_needed);
    fow_jw_kint(w, "weight_covered", r->weight_covered);
    number(w, "share_weighted", r->weight_needed ? (double)r->weight_covered / (double)r->weight_needed : NAN);
    fow_jw_kint(w, "essential", essential);
    fow_jw_kint(w, "essential_covered", essential_covered);
    fow_jw_object_end(w);
    fow_jw_key(w, "totals");
    fow_jw_object(w);
    fow_jw_kint(w, "modules", (long long)r->n_chosen);
    fow_jw_kreal(w, "hours", r->hours);
    money(w, "cost", r->price_minor, r->currency);
    fow_jw_object_end(w);
    /* how it was solved */
    fow_jw_key(w, "solver");
    fow_jw_object(w);
    fow_jw_kstring(w, "used", fow_match_solver_name(r->solver_used));
    fow_jw_kint(w, "candidates", r->candidates);
    fow_jw_kint(w, "nodes", (long long)r->nodes);
    fow_jw_kbool(w, "exact_gave_up", r->exact_gave_up);
    money(w, "objective", r->objective, r->currency);
    money(w, "greedy_objective", r->greedy_objective, r->currency);
    fow_jw_key(w, "guarantee");
    if (r->solver_used == FOW_MATCH_SOLVER_EXACT) fow_jw_real(w, 1.0);
    else fow_jw_real(w, fow_match_harmonic(r->max_set));
    char text[400];
    if (r->solver_used == FOW_MATCH_SOLVER_EXACT)
        snprintf(text, sizeof text, "exact: the least objective over every plan of the %u candidates (branch and bound)",
                 r->candidates);
    else
        snprintf(text, sizeof text,
                 "greedy: at most %.2f times the least objective (H(%u), the most skills one candidate covers)%s",
                 fow_match_harmonic(r->max_set), r->max_set,
                 r->exact_gave_up ? "; the exact search stopped at its limit" : "");
    const fow_msg_param sparams[] = {FOW_MSG_I("candidates", r->candidates),
                                     FOW_MSG_R("bound", fow_match_harmonic(r->max_set)),
                                     FOW_MSG_I("max_set", r->max_set), FOW_MSG_B("gave_up", r->exact_gave_up)};
    fow_jw_key(w, "message");
    fow_msg_write(w, r->solver_used == FOW_MATCH_SOLVER_EXACT ? "plan.solver.exact" : "plan.solver.greedy", text,
                  sparams, 4);
    fow_jw_object_end(w);
    fow_jw_key(w, "cohorts");
    if (starts) {
        snprintf(text, sizeof text,
                 "next_start and seats_left: each module's next open cohort starting on or after %s, the earliest "
                 "with a free seat, else the earliest (seats_left 0: its waiting list); null when none%s",
                 date ? date : "", p->has_cohort ? "; modules without one are left out" : "");
        const fow_msg_param cparams[] = {FOW_MSG_S("date", date), FOW_MSG_B("filtered", p->has_cohort != NULL)};
        fow_msg_write(w, p->has_cohort ? "plan.cohorts_filtered" : "plan.cohorts", text, cparams, 2);
    } else {
        fow_msg_write(w, "plan.cohorts_pending", "next_start and seats_left are null: no cohorts were read", NULL, 0);
    }
    snprintf(text, sizeof text,
             "The modules that cover the skills to learn at the least cost: a module counts its price plus %lld.%02lld "
             "%s per hour of learning; a skill left uncovered counts its value, %lld.%02lld %s per unit of weight "
             "(essential %u, optional %u). Prerequisite modules come first (docs/training.md)",
             p->hour_value / 100, p->hour_value % 100, r->currency, p->skill_value / 100, p->skill_value % 100,
             r->currency, p->essential_weight, p->optional_weight);
    const fow_msg_param mparams[] = {FOW_MSG_R("hour_value", (double)p->hour_value / 100.0),
                                     FOW_MSG_R("skill_value", (double)p->skill_value / 100.0),
                                     FOW_MSG_S("currency", r->currency),
                                     FOW_MSG_I("essential_weight", p->essential_weight),
                                     FOW_MSG_I("optional_weight", p->optional_weight)};
    fow_jw_key(w, "method");
    fow_msg_write(w, "plan.method", text, mparams, 5);
    fow_jw_key(w, "catalogue");
    fow_jw_object(w);
    fow_jw_kint(w, "modules", (long long)c->n_modules);
    fow_jw_object_end(w);
    provenance(w, ctx, FOW_RISK_MODEL_MCC);
    fow_jw_object_end(w);
}

static void commission_skill(fow_jw *w, const fow_result_context *ctx, const fow_match_demand *d, size_t rank) {
    const fow_model_skill *s = &ctx->model->skills[d->model_index];
    fow_jw_kint(w, "rank", (long long)rank);
    fow_jw_kstring(w, "label", s->label);
    fow_jw_kstring(w, "uri", s->uri);
    local_label(w, ctx, "label_local", 1, d->model_index);
    fow_jw_kreal(w, "learners", d->learners);
    fow_jw_kint(w, "origins", d->origins);
}

void fow_result_commission(fow_jw *w, const fow_result_context *ctx, const fow_employment *emp,
                           fow_risk_model model, const char *risk_source, const struct fow_scale_result *r,
                           const fow_match_index *x, const fow_match_commission *cm, const fow_match_params *p,
                           uint32_t limit) {
    const fow_training_catalogue *c = fow_match_index_catalogue(x);
    fow_jw_set_precision(w, FOW_RESULT_COUNT_DIGITS);
    fow_jw_object(w);
    fow_jw_kstring(w, "area", emp->area);
    fow_jw_kint(w, "year", emp->year);
    fow_jw_kstring(w, "model", fow_risk_model_name(model));
    fow_jw_kbool(w, "illustrative", emp->illustrative);
    match_languages(w, p);
    fow_jw_kreal(w, "high_risk_workers", r->high_risk_workers);
    fow_jw_kreal(w, "placed_workers", r->placed);
    fow_jw_key(w, "demand");
    fow_jw_object(w);
    fow_jw_kint(w, "skills", (long long)cm->n);
    fow_jw_kreal(w, "learners", cm->learners);
    fow_jw_object_end(w);
    fow_jw_key(w, "covered");
    fow_jw_object(w);
    fow_jw_kint(w, "skills", (long long)cm->skills_covered);
    fow_jw_kreal(w, "learners", cm->learners_covered);
    number(w, "share_skills", cm->n ? (double)cm->skills_covered / (double)cm->n : NAN);
    number(w, "share_learners", cm->learners > 0 ? cm->learners_covered / cm->learners : NAN);
    fow_jw_object_end(w);
    size_t shown = limit && limit < cm->n ? limit : cm->n;
    fow_jw_key(w, "skills");
    fow_jw_array(w);
    for (size_t i = 0; i < shown; i++) {
        fow_jw_object(w);
        commission_skill(w, ctx, &cm->demand[i], i + 1);
        fow_jw_kint(w, "modules", cm->supply[i].modules);
        fow_jw_key(w, "cheapest_module");
        if (!cm->supply[i].modules) fow_jw_null(w);
        else module_ref(w, &c->modules[cm->supply[i].first]);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    size_t uncovered = cm->n - cm->skills_covered;
    fow_jw_kint(w, "to_commission_count", (long long)uncovered);
    fow_jw_key(w, "to_commission");
    fow_jw_array(w);
    size_t rank = 0;
    for (size_t i = 0; i < cm->n && (!limit || rank < limit); i++) {
        if (cm->supply[i].modules) continue;
        fow_jw_object(w);
        commission_skill(w, ctx, &cm->demand[i], ++rank);
        number(w, "share_of_learners", cm->learners > 0 ? cm->demand[i].learners / cm->learners : NAN);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    char text[600];
    snprintf(text, sizeof text,
             "Demand: the essential skills that the safe and desirable moves of the area's workers in high-risk "
             "occupations require and their occupations lack, each counted in learners among the workers placed by "
             "transitions at scale (fow at-scale; docs/scenarios.md). Supply: the modules of the learning "
             "catalogue that teach the skill%s. A skill no module teaches is a course to commission, ranked by "
             "learners (docs/training.md)",
             p->n_languages ? " in a language asked for" : "");
    fow_jw_key(w, "method");
    fow_msg_write(w, p->n_languages ? "commission.method_languages" : "commission.method", text, NULL, 0);
    fow_jw_key(w, "sources");
    fow_jw_object(w);
    fow_jw_kstring(w, "employment", emp->source);
    fow_jw_kstring(w, "risk", risk_source);
    fow_jw_kint(w, "catalogue_modules", (long long)c->n_modules);
    fow_jw_object_end(w);
    fow_jw_kint(w, "limit", limit);
    fow_jw_object_end(w);
}

/* ---- the voucher office ----------------------------------------------------- */

void fow_result_voucher_funds(fow_jw *w, const fow_voucher_fund *funds, size_t n) {
    fow_jw_object(w);
    fow_jw_key(w, "funds");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) fow_voucher_fund_write(w, &funds[i]);
    fow_jw_array_end(w);
    fow_jw_kint(w, "count", (long long)n);
    fow_jw_object_end(w);
}

void fow_result_vouchers(fow_jw *w, const fow_voucher *vouchers, size_t n) {
    fow_jw_object(w);
    fow_jw_key(w, "vouchers");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) fow_voucher_write(w, &vouchers[i]);
    fow_jw_array_end(w);
    fow_jw_kint(w, "count", (long long)n);
    fow_jw_object_end(w);
}

void fow_result_voucher_claims(fow_jw *w, const fow_redemption *claims, size_t n) {
    fow_jw_object(w);
    fow_jw_key(w, "claims");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) fow_redemption_write(w, &claims[i]);
    fow_jw_array_end(w);
    fow_jw_kint(w, "count", (long long)n);
    fow_jw_key(w, "total_minor");
    fow_jw_object(w);
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t k = 0; k < i; k++) seen |= strcmp(claims[k].currency, claims[i].currency) == 0;
        if (seen) continue;
        long long sum = 0;
        for (size_t k = i; k < n; k++)
            if (strcmp(claims[k].currency, claims[i].currency) == 0) sum += claims[k].amount_minor;
        fow_jw_kint(w, claims[i].currency, sum);
    }
    fow_jw_object_end(w);
    fow_jw_object_end(w);
}

void fow_result_payment_batches(fow_jw *w, const fow_payment_batch *batches, size_t n) {
    fow_jw_object(w);
    fow_jw_key(w, "batches");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) fow_payment_batch_write(w, &batches[i]);
    fow_jw_array_end(w);
    fow_jw_kint(w, "count", (long long)n);
    fow_jw_object_end(w);
}

void fow_result_payment_batch(fow_jw *w, const fow_payment_batch *batch, const fow_redemption *claims, size_t n,
                              const fow_voucher_lab_charge *lab_charges, size_t n_lab, int64_t now) {
    fow_jw_object(w);
    fow_jw_key(w, "batch");
    fow_payment_batch_write(w, batch);
    fow_jw_key(w, "claims");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) fow_redemption_write(w, &claims[i]);
    fow_jw_array_end(w);
    fow_jw_kint(w, "count", (long long)n);
    fow_jw_key(w, "lab_charges");
    fow_jw_array(w);
    for (size_t i = 0; i < n_lab; i++) fow_voucher_lab_charge_write(w, &lab_charges[i], now);
    fow_jw_array_end(w);
    fow_jw_kint(w, "lab_count", (long long)n_lab);
    fow_jw_object_end(w);
}

void fow_result_voucher_lab_charges(fow_jw *w, const fow_voucher_lab_charge *charges, size_t n, int64_t now) {
    static const char *const states[] = {"pending", "payable", "batched", "paid", "refunded"};
    fow_jw_object(w);
    fow_jw_key(w, "lab_charges");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) fow_voucher_lab_charge_write(w, &charges[i], now);
    fow_jw_array_end(w);
    fow_jw_kint(w, "count", (long long)n);
    fow_jw_key(w, "totals");
    fow_jw_array(w);
    /* currencies in order of first appearance, each with its states in their order */
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++) seen = strcmp(charges[k].currency, charges[i].currency) == 0;
        if (seen) continue;
        for (size_t s = 0; s < sizeof states / sizeof states[0]; s++) {
            long long count = 0, amount = 0;
            for (size_t k = i; k < n; k++)
                if (strcmp(charges[k].currency, charges[i].currency) == 0 &&
                    strcmp(fow_voucher_lab_charge_state(&charges[k], now), states[s]) == 0) {
                    count++;
                    amount += charges[k].amount_minor;
                }
            if (!count) continue;
            fow_jw_object(w);
            fow_jw_kstring(w, "currency", charges[i].currency);
            fow_jw_kstring(w, "state", states[s]);
            fow_jw_kint(w, "count", count);
            fow_jw_kint(w, "amount_minor", amount);
            fow_jw_object_end(w);
        }
    }
    fow_jw_array_end(w);
    fow_jw_key(w, "source");
    fow_msg_write(w, "voucher_lab_charges.source",
                  "The charges of lab bookings paid by lab_time vouchers (voucher_lab_charges), each moved by the "
                  "ledger: charged from the voucher to the lab operator's payable account, refunded back on a "
                  "cancellation (a late one keeps its fee), payable once the booked slot has ended, paid by a "
                  "payment batch (payable to paid). Amounts in integer minor units.",
                  NULL, 0);
    fow_jw_object_end(w);
}

void fow_result_voucher_expiry(fow_jw *w, const char *as_of, size_t expired, int64_t returned_minor) {
    fow_jw_object(w);
    fow_jw_kstring(w, "as_of", as_of);
    fow_jw_kint(w, "expired", (long long)expired);
    fow_jw_kint(w, "returned_minor", (long long)returned_minor);
    fow_jw_object_end(w);
}

void fow_result_claims_settlement(fow_jw *w, size_t payable, size_t refunded) {
    fow_jw_object(w);
    fow_jw_kint(w, "payable", (long long)payable);
    fow_jw_kint(w, "refunded", (long long)refunded);
    fow_jw_object_end(w);
}

/* ---- the worker's plan in the reader's language ------------------------------------ */

/* label_local of item {uri, label, ...}, an occupation (kind 0) or a skill
 * (kind 1) found by its URI; when the taxonomy has no label in ctx->lang,
 * label_lang: the language of the stored label (null when unknown). */
static void plan_local_label(json_t *item, const fow_result_context *ctx, int kind) {
    if (!json_is_object(item)) return;
    const char *uri = json_string_value(json_object_get(item, "uri"));
    const char *label = json_string_value(json_object_get(item, "label"));
    uint32_t index = FOW_NO_INDEX;
    if (uri && *uri)
        index = kind ? fow_resolve_skill_key(ctx->model, uri)
                     : fow_model_occupation_by_key(ctx->model, true, uri, strlen(uri));
    const char *local = index == FOW_NO_INDEX ? NULL : fow_model_label_in(ctx->model, kind, index, ctx->lang);
    json_object_set_new(item, "label_local", local ? json_string(local) : json_null());
    if (!local) {
        const char *lang = index == FOW_NO_INDEX ? NULL : fow_model_label_lang(ctx->model, kind, index, label);
        json_object_set_new(item, "label_lang", lang ? json_string(lang) : json_null());
    }
}

static bool localising(const fow_result_context *ctx) { return ctx && ctx->model && ctx->lang && ctx->lang[0]; }

/* Parses the document written in tmp, lets add_labels add its labels, and
 * writes it into w. */
static fow_code relabel(fow_jw *w, fow_jw *tmp, const fow_result_context *ctx,
                        void (*add_labels)(json_t *doc, const fow_result_context *ctx), fow_error *err) {
    json_error_t jerr;
    const char *text = fow_jw_text(tmp, NULL);
    json_t *doc = text ? json_loads(text, 0, &jerr) : NULL;
    if (!doc) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    add_labels(doc, ctx);
    fow_jw_json(w, doc);
    json_decref(doc);
    return fow_jw_failed(w) ? fow_error_set(err, FOW_ENOMEM, "out of memory") : FOW_OK;
}

static void plan_labels(json_t *doc, const fow_result_context *ctx) {
    size_t i, k;
    json_t *move, *skill;
    json_array_foreach(json_object_get(doc, "moves"), i, move) {
        plan_local_label(json_object_get(move, "occupation"), ctx, 0);
        json_t *gap = json_object_get(move, "gap");
        plan_local_label(json_object_get(gap, "destination"), ctx, 0);
        plan_local_label(json_object_get(gap, "judged_as"), ctx, 0);
        json_array_foreach(json_object_get(gap, "to_learn"), k, skill) plan_local_label(skill, ctx, 1);
    }
}

static void plans_labels(json_t *doc, const fow_result_context *ctx) {
    size_t i, k;
    json_t *plan, *target;
    json_array_foreach(json_object_get(doc, "plans"), i, plan)
        json_array_foreach(json_object_get(plan, "targets"), k, target) plan_local_label(target, ctx, 0);
}

fow_code fow_result_worker_plan(fow_jw *w, const fow_result_context *ctx, const fow_plans_ctx *c, long long plan_id,
                                fow_error *err) {
    if (!localising(ctx)) return fow_plans_write(c, plan_id, w, err);
    fow_jw tmp;
    fow_jw_init(&tmp, 0);
    fow_code rc = fow_plans_write(c, plan_id, &tmp, err);
    if (!rc) rc = relabel(w, &tmp, ctx, plan_labels, err);
    fow_jw_free(&tmp);
    return rc;
}

fow_code fow_result_worker_plans(fow_jw *w, const fow_result_context *ctx, const fow_plans_ctx *c,
                                 const char *person, fow_error *err) {
    if (!localising(ctx)) return fow_plans_write_list(c, person, w, err);
    fow_jw tmp;
    fow_jw_init(&tmp, 0);
    fow_code rc = fow_plans_write_list(c, person, &tmp, err);
    if (!rc) rc = relabel(w, &tmp, ctx, plans_labels, err);
    fow_jw_free(&tmp);
    return rc;
}

static void module_labels(json_t *doc, const fow_result_context *ctx) {
    size_t k;
    json_t *skill;
    json_array_foreach(json_object_get(doc, "skills"), k, skill) plan_local_label(skill, ctx, 1);
    json_array_foreach(json_object_get(json_object_get(doc, "prerequisites"), "skills"), k, skill)
        plan_local_label(skill, ctx, 1);
}

fow_code fow_result_training_module(fow_jw *w, const fow_result_context *ctx, const fow_training_catalogue *c,
                                    const fow_training_module *m, fow_error *err) {
    if (!localising(ctx)) {
        fow_training_result_module(w, c, m);
        return fow_jw_failed(w) ? fow_error_set(err, FOW_ENOMEM, "out of memory") : FOW_OK;
    }
    fow_jw tmp;
    fow_jw_init(&tmp, 0);
    fow_training_result_module(&tmp, c, m);
    fow_code rc = relabel(w, &tmp, ctx, module_labels, err);
    fow_jw_free(&tmp);
    return rc;
}

/* ---- voucher reports ---------------------------------------------------- */

/* "15000.00 RON" into buf. */
static const char *money_text(int64_t minor, const char *currency, char *buf, size_t n) {
    char m[32];
    snprintf(buf, n, "%s %s", fow_money_format(minor, m, sizeof m), currency);
    return buf;
}

static void voucher_source(fow_jw *w, const fow_voucher_report_source *src) {
    fow_jw_key(w, "source");
    fow_jw_object(w);
    fow_jw_kstring(w, "ledger", "voucher_transfers");
    fow_jw_kint(w, "transfers", src->transfers);
    fow_jw_kint(w, "last_transfer", src->last_transfer);
    fow_jw_kstring(w, "last_hash", src->last_hash);
    fow_jw_kint(w, "accounts", src->accounts);
    fow_jw_kint(w, "mismatched_accounts", src->mismatched);
    char text[400];
    snprintf(text, sizeof text,
             "Summed from the %lld transfers of the voucher ledger (up to transfer %lld), read in one snapshot; the "
             "cached balances of %lld accounts were compared with these sums: %lld differ",
             (long long)src->transfers, (long long)src->last_transfer, (long long)src->accounts,
             (long long)src->mismatched);
    const fow_msg_param params[] = {FOW_MSG_I("transfers", src->transfers), FOW_MSG_I("last", src->last_transfer),
                                    FOW_MSG_I("accounts", src->accounts), FOW_MSG_I("mismatched", src->mismatched)};
    fow_jw_key(w, "text");
    fow_msg_write(w, "voucher_report.source", text, params, 4);
    fow_jw_object_end(w);
}

static void voucher_report_row(fow_jw *w, const fow_voucher_report_row *r) {
    char buf[64], key[32];
    fow_jw_object(w);
    fow_jw_kstring(w, "key", r->key);
    fow_jw_kstring(w, "label", r->label);
    fow_jw_kstring(w, "label_ro", r->label_ro);
    fow_jw_kstring(w, "currency", r->currency);
    fow_jw_key(w, "vouchers");
    if (r->vouchers < 0) fow_jw_null(w);
    else fow_jw_int(w, r->vouchers);
    fow_jw_kint(w, "redemptions", r->redemptions);
    fow_jw_key(w, "amounts");
    fow_jw_object(w);
    for (int c = 0; c < FOW_VR_COLUMNS; c++) {
        snprintf(key, sizeof key, "%s_minor", fow_voucher_report_column_name((fow_voucher_report_column)c));
        fow_jw_key(w, key);
        if (r->applies[c]) fow_jw_int(w, r->amount[c]);
        else fow_jw_null(w);
    }
    fow_jw_object_end(w);
    fow_jw_key(w, "formatted");
    fow_jw_object(w);
    for (int c = 0; c < FOW_VR_COLUMNS; c++) {
        fow_jw_key(w, fow_voucher_report_column_name((fow_voucher_report_column)c));
        if (r->applies[c]) fow_jw_string(w, money_text(r->amount[c], r->currency, buf, sizeof buf));
        else fow_jw_null(w);
    }
    fow_jw_object_end(w);
    fow_jw_object_end(w);
}

void fow_result_voucher_report(fow_jw *w, const fow_voucher_report *r) {
    fow_jw_object(w);
    fow_jw_kstring(w, "report", "amounts");
    fow_jw_kstring(w, "by", fow_voucher_report_by_name(r->by));
    fow_jw_kint(w, "computed_at", r->computed_at);
    fow_jw_key(w, "columns");
    fow_jw_array(w);
    for (int c = 0; c < FOW_VR_COLUMNS; c++) fow_jw_string(w, fow_voucher_report_column_name((fow_voucher_report_column)c));
    fow_jw_array_end(w);
    fow_jw_key(w, "rows");
    fow_jw_array(w);
    for (size_t i = 0; i < r->n_rows; i++) voucher_report_row(w, &r->rows[i]);
    fow_jw_array_end(w);
    fow_jw_key(w, "totals");
    fow_jw_array(w);
    for (size_t i = 0; i < r->n_totals; i++) voucher_report_row(w, &r->totals[i]);
    fow_jw_array_end(w);
    static const char *const by_texts[FOW_VREPORT_BY_COUNT] = {
        "per fund: its budget lines and their vouchers",
        "per budget line: its vouchers",
        "per call: the vouchers its awards issued (\"none\": issued without a call); allocated and available "
        "belong to budget lines, not calls",
        "per training provider (a lab's operator is one: the payee of its lab charges): the redemptions it made, "
        "the lab time charged to it and what it was paid; the other figures belong to vouchers and budget lines",
        "per month of the transfers (UTC): what moved in the month; committed and available are what was held at "
        "the end of the month"};
    char text[1600];
    snprintf(text, sizeof text,
             "Amounts summed from the ledger's transfers, never from the cached balances alone: allocated = allocate "
             "transfers; issued = issue transfers; committed = what vouchers hold (issued - redeemed + refunded - "
             "expired or cancelled); redeemed = redeem transfers less refunds (spent: waiting claims, payable and "
             "paid, lab time charged by the labs); paid = pay transfers to providers; expired = expire and cancel "
             "transfers (returned to the budget line); available = what budget lines hold. allocated = available + "
             "committed + redeemed. Lab time: lab_charged = charges of lab bookings less their refunds (part of "
             "redeemed); lab_paid = the pay transfers of lab charges (part of paid); lab_outstanding = lab_charged - "
             "lab_paid, owed to the labs' operators. %s. "
             "Integer minor units (bani), per currency (docs/vouchers.md, \"Reports\")",
             r->by < FOW_VREPORT_BY_COUNT ? by_texts[r->by] : "");
    const fow_msg_param params[] = {FOW_MSG_S("by", fow_voucher_report_by_name(r->by))};
    char code[64];
    snprintf(code, sizeof code, "voucher_report.method_%s", fow_voucher_report_by_name(r->by));
    fow_jw_key(w, "method");
    fow_msg_write(w, code, text, params, 1);
    voucher_source(w, &r->source);
    fow_jw_object_end(w);
}

static void voucher_cost_row(fow_jw *w, const fow_voucher_cost_row *r) {
    char buf[64];
    fow_jw_object(w);
    fow_jw_kstring(w, "module", r->module);
    fow_jw_key(w, "title");
    fow_jw_object(w);
    fow_jw_kstring(w, "en", r->title_en);
    fow_jw_kstring(w, "ro", r->title_ro);
    fow_jw_object_end(w);
    fow_jw_kstring(w, "currency", r->currency);
    fow_jw_kint(w, "completions", r->completions);
    fow_jw_kint(w, "completion_minor", r->completion_minor);
    fow_jw_key(w, "cost_per_completion_minor");
    if (r->completions) fow_jw_int(w, r->cost_per_completion_minor);
    else fow_jw_null(w);
    fow_jw_kint(w, "credentials", r->credentials);
    fow_jw_kint(w, "credential_minor", r->credential_minor);
    fow_jw_key(w, "cost_per_credential_minor");
    if (r->credentials) fow_jw_int(w, r->cost_per_credential_minor);
    else fow_jw_null(w);
    fow_jw_kint(w, "waiting", r->waiting);
    fow_jw_kint(w, "waiting_minor", r->waiting_minor);
    fow_jw_key(w, "formatted");
    fow_jw_object(w);
    fow_jw_kstring(w, "completion", money_text(r->completion_minor, r->currency, buf, sizeof buf));
    fow_jw_key(w, "cost_per_completion");
    if (r->completions) fow_jw_string(w, money_text(r->cost_per_completion_minor, r->currency, buf, sizeof buf));
    else fow_jw_null(w);
    fow_jw_kstring(w, "credential", money_text(r->credential_minor, r->currency, buf, sizeof buf));
    fow_jw_key(w, "cost_per_credential");
    if (r->credentials) fow_jw_string(w, money_text(r->cost_per_credential_minor, r->currency, buf, sizeof buf));
    else fow_jw_null(w);
    fow_jw_kstring(w, "waiting", money_text(r->waiting_minor, r->currency, buf, sizeof buf));
    fow_jw_object_end(w);
    fow_jw_object_end(w);
}

void fow_result_voucher_costs(fow_jw *w, const fow_voucher_costs *c) {
    fow_jw_object(w);
    fow_jw_kstring(w, "report", "costs");
    fow_jw_kint(w, "computed_at", c->computed_at);
    fow_jw_kbool(w, "credentials_read", c->credentials_read);
    fow_jw_key(w, "rows");
    fow_jw_array(w);
    for (size_t i = 0; i < c->n_rows; i++) voucher_cost_row(w, &c->rows[i]);
    fow_jw_array_end(w);
    fow_jw_key(w, "totals");
    fow_jw_array(w);
    for (size_t i = 0; i < c->n_totals; i++) voucher_cost_row(w, &c->totals[i]);
    fow_jw_array_end(w);
    fow_jw_key(w, "method");
    fow_msg_write(w, "voucher_report.method_costs",
                  "Cost per completed module: the money paid or payable for redemptions whose enrolment was "
                  "completed (the complete transfers of their claims: attendance reached the voucher's minimum), "
                  "divided by how many they are, rounded half up to the ban. Cost per credential: the same for "
                  "those completions a credential was issued for (revoked ones included). Waiting: redeemed, not "
                  "completed yet. Refunded redemptions are left out (docs/vouchers.md, \"Reports\")",
                  NULL, 0);
    voucher_source(w, &c->source);
    fow_jw_object_end(w);
}

static void expiry_month(fow_jw *w, const fow_voucher_expiry_month *m) {
    char buf[64];
    fow_jw_object(w);
    fow_jw_kstring(w, "month", m->month);
    fow_jw_kstring(w, "currency", m->currency);
    fow_jw_kint(w, "vouchers", m->vouchers);
    fow_jw_kint(w, "amount_minor", m->amount_minor);
    fow_jw_kstring(w, "amount", money_text(m->amount_minor, m->currency, buf, sizeof buf));
    fow_jw_kint(w, "past_last_day", m->past_last_day);
    fow_jw_object_end(w);
}

void fow_result_voucher_outstanding(fow_jw *w, const fow_voucher_outstanding *o, bool with_list) {
    char buf[64];
    fow_jw_object(w);
    fow_jw_kstring(w, "report", "outstanding");
    fow_jw_kint(w, "computed_at", o->computed_at);
    fow_jw_kstring(w, "today", o->today);
    fow_jw_key(w, "by_month");
    fow_jw_array(w);
    for (size_t i = 0; i < o->n_months; i++) expiry_month(w, &o->months[i]);
    fow_jw_array_end(w);
    fow_jw_key(w, "totals");
    fow_jw_array(w);
    for (size_t i = 0; i < o->n_totals; i++) expiry_month(w, &o->totals[i]);
    fow_jw_array_end(w);
    fow_jw_key(w, "vouchers");
    if (!with_list) {
        fow_jw_null(w);
    } else {
        fow_jw_array(w);
        for (size_t i = 0; i < o->n_items; i++) {
            const fow_voucher_outstanding_item *it = &o->items[i];
            fow_jw_object(w);
            fow_jw_kint(w, "id", it->id);
            fow_jw_kint(w, "line_id", it->line_id);
            fow_jw_kstring(w, "line", it->line_label);
            fow_jw_key(w, "call_id");
            if (it->call_id) fow_jw_int(w, it->call_id);
            else fow_jw_null(w);
            fow_jw_kstring(w, "status", it->status);
            fow_jw_kstring(w, "valid_until", it->valid_until);
            fow_jw_kint(w, "value_minor", it->value_minor);
            fow_jw_kint(w, "balance_minor", it->balance_minor);
            fow_jw_kstring(w, "currency", it->currency);
            fow_jw_kstring(w, "balance", money_text(it->balance_minor, it->currency, buf, sizeof buf));
            fow_jw_kbool(w, "past_last_day", it->past_last_day);
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
    }
    char text[600];
    snprintf(text, sizeof text,
             "Vouchers issued or active that still hold money, by the month of their last day: what each holds is "
             "the sum of its account's transfers. \"Past last day\": their last day is before %s and they wait for "
             "the expiry run, which returns what they hold to their budget line (docs/vouchers.md, \"Reports\")",
             o->today);
    const fow_msg_param params[] = {FOW_MSG_S("today", o->today)};
    fow_jw_key(w, "method");
    fow_msg_write(w, "voucher_report.method_outstanding", text, params, 1);
    voucher_source(w, &o->source);
    fow_jw_object_end(w);
}
