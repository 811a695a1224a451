/* eligibility.c — eligibility rules as data: parsing, the pure engine that
 * evaluates them rule by rule, and their JSON (fow_eligibility.h). */
#include "vouchers/fow_eligibility.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/fow_text.h"
#include "people/fow_people.h"
#include "service/fow_msg.h"

static const char *const kind_names[FOW_RULE_KIND_COUNT] = {"residence_area",    "occupation_risk",  "age",
                                                            "employment_status", "no_earlier_award", "active_plan"};
static const char *const outcome_names[] = {"passed", "failed", "unknown", "not_applicable"};
static const char *const applicant_names[FOW_APPLICANT_KIND_COUNT] = {"person", "enterprise"};

const char *fow_rule_kind_name(fow_rule_kind kind) {
    return (int)kind >= 0 && kind < FOW_RULE_KIND_COUNT ? kind_names[kind] : "?";
}

int fow_rule_kind_parse(const char *text, fow_rule_kind *out) {
    for (int k = 0; text && k < FOW_RULE_KIND_COUNT; k++)
        if (strcmp(text, kind_names[k]) == 0) {
            *out = (fow_rule_kind)k;
            return 0;
        }
    return -1;
}

const char *fow_rule_outcome_name(fow_rule_outcome o) {
    return (int)o >= 0 && o <= FOW_RULE_NOT_APPLICABLE ? outcome_names[o] : "?";
}

const char *fow_applicant_kind_name(fow_applicant_kind kind) {
    return (int)kind >= 0 && kind < FOW_APPLICANT_KIND_COUNT ? applicant_names[kind] : "?";
}

int fow_applicant_kind_parse(const char *text, fow_applicant_kind *out) {
    for (int k = 0; text && k < FOW_APPLICANT_KIND_COUNT; k++)
        if (strcmp(text, applicant_names[k]) == 0) {
            *out = (fow_applicant_kind)k;
            return 0;
        }
    return -1;
}

bool fow_call_purpose_valid(const char *purpose) {
    size_t n = purpose ? strlen(purpose) : 0;
    if (n == 0 || n > FOW_CALL_PURPOSE_MAX || purpose[0] < 'a' || purpose[0] > 'z') return false;
    for (size_t i = 0; i < n; i++) {
        char c = purpose[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
    }
    return true;
}

/* ---- parsing ---------------------------------------------------------------- */

static bool is_employment_status(const char *s) {
    for (size_t i = 0; fow_employment_statuses[i]; i++)
        if (strcmp(s, fow_employment_statuses[i]) == 0) return strcmp(s, "unknown") != 0;
    return false;
}

/* Reads the non-empty list of strings member of obj into rule->items. */
static fow_code parse_items(const json_t *obj, const char *where, const char *member, bool statuses,
                            fow_call_rule *rule, fow_error *err) {
    char field[96];
    snprintf(field, sizeof field, "%s.%s", where, member);
    const json_t *list = json_object_get(obj, member);
    if (!json_is_array(list) || json_array_size(list) == 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s must be a non-empty list of texts", field);
    if (json_array_size(list) > FOW_RULE_ITEMS_MAX)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s holds %zu items; at most %d", field,
                                json_array_size(list), FOW_RULE_ITEMS_MAX);
    size_t i;
    const json_t *item;
    json_array_foreach(list, i, item) {
        const char *s = json_string_value(item);
        size_t len = s ? strlen(s) : 0;
        if (!s || len == 0 || len > FOW_RULE_ITEM_MAX)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s[%zu] must be a text of 1 to %d bytes",
                                    field, i, FOW_RULE_ITEM_MAX);
        for (size_t k = 0; k < len; k++)
            if ((unsigned char)s[k] < 0x20 || s[k] == 0x7f)
                return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s[%zu] holds a control character",
                                        field, i);
        if (statuses && !is_employment_status(s))
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field,
                                    "%s[%zu]: '%s' is not an employment status (employed, self-employed, "
                                    "unemployed, inactive, student)",
                                    field, i, s);
        for (size_t k = 0; k < rule->n_items; k++)
            if (strcmp(rule->items[k], s) == 0)
                return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s lists '%s' twice", field, s);
        snprintf(rule->items[rule->n_items++], sizeof rule->items[0], "%s", s);
    }
    return FOW_OK;
}

/* Reads an optional age bound: *out 0 when absent. */
static fow_code parse_age(const json_t *obj, const char *where, const char *member, int *out, fow_error *err) {
    const json_t *v = json_object_get(obj, member);
    *out = 0;
    if (!v) return FOW_OK;
    if (!json_is_integer(v) || json_integer_value(v) < FOW_AGE_MIN || json_integer_value(v) > FOW_AGE_MAX) {
        char field[96];
        snprintf(field, sizeof field, "%s.%s", where, member);
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s must be a whole number of years, %d to %d",
                                field, FOW_AGE_MIN, FOW_AGE_MAX);
    }
    *out = (int)json_integer_value(v);
    return FOW_OK;
}

fow_code fow_call_rule_parse(const json_t *obj, const char *where, fow_call_rule *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    char field[96];
    if (!json_is_object(obj))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, where, "%s must be an object with a kind", where);
    snprintf(field, sizeof field, "%s.kind", where);
    const char *kind = json_string_value(json_object_get(obj, "kind"));
    if (fow_rule_kind_parse(kind, &out->kind) != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field,
                                "%s must be residence_area, occupation_risk, age, employment_status, "
                                "no_earlier_award or active_plan, not '%s'",
                                field, kind ? kind : "(missing)");
    /* the members each kind takes; anything else is a mistake to report */
    static const char *const members[FOW_RULE_KIND_COUNT][3] = {
        {"areas", NULL, NULL}, {"model", NULL, NULL}, {"min", "max", NULL}, {"statuses", NULL, NULL},
        {"purpose", NULL, NULL}, {NULL, NULL, NULL}};
    const char *key;
    const json_t *value;
    json_object_foreach((json_t *)obj, key, value) {
        if (strcmp(key, "kind") == 0) continue;
        bool known = false;
        for (int m = 0; m < 3 && members[out->kind][m]; m++)
            if (strcmp(key, members[out->kind][m]) == 0) known = true;
        if (!known) {
            snprintf(field, sizeof field, "%s.%s", where, key);
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s: a rule of kind %s takes no '%s'", where,
                                    kind_names[out->kind], key);
        }
    }
    fow_code rc = FOW_OK;
    switch (out->kind) {
    case FOW_RULE_RESIDENCE_AREA: rc = parse_items(obj, where, "areas", false, out, err); break;
    case FOW_RULE_EMPLOYMENT_STATUS: rc = parse_items(obj, where, "statuses", true, out, err); break;
    case FOW_RULE_OCCUPATION_RISK: {
        const char *model = json_string_value(json_object_get(obj, "model"));
        if (fow_risk_model_parse(model, &out->model) != 0) {
            snprintf(field, sizeof field, "%s.model", where);
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s must be 'mcc' or 'frey-osborne', not '%s'",
                                  field, model ? model : "(missing)");
        }
        break;
    }
    case FOW_RULE_AGE:
        if ((rc = parse_age(obj, where, "min", &out->min_age, err)) ||
            (rc = parse_age(obj, where, "max", &out->max_age, err)))
            break;
        if (!out->min_age && !out->max_age)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, where, "%s: an age rule needs min, max or both", where);
        else if (out->min_age && out->max_age && out->min_age > out->max_age)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, where, "%s: min (%d) is above max (%d)", where,
                                  out->min_age, out->max_age);
        break;
    case FOW_RULE_NO_EARLIER_AWARD: {
        const json_t *p = json_object_get(obj, "purpose");
        if (p) {
            const char *s = json_string_value(p);
            if (!fow_call_purpose_valid(s)) {
                snprintf(field, sizeof field, "%s.purpose", where);
                rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field,
                                      "%s must be 1 to %d of a-z, 0-9, '_' and '-', starting with a letter", field,
                                      FOW_CALL_PURPOSE_MAX);
            } else {
                snprintf(out->purpose, sizeof out->purpose, "%s", s);
            }
        }
        break;
    }
    default: break;
    }
    return rc;
}

void fow_call_rule_write(fow_jw *w, const fow_call_rule *rule) {
    fow_jw_object(w);
    fow_jw_kstring(w, "kind", fow_rule_kind_name(rule->kind));
    switch (rule->kind) {
    case FOW_RULE_RESIDENCE_AREA:
    case FOW_RULE_EMPLOYMENT_STATUS:
        fow_jw_key(w, rule->kind == FOW_RULE_RESIDENCE_AREA ? "areas" : "statuses");
        fow_jw_array(w);
        for (size_t i = 0; i < rule->n_items; i++) fow_jw_string(w, rule->items[i]);
        fow_jw_array_end(w);
        break;
    case FOW_RULE_OCCUPATION_RISK: fow_jw_kstring(w, "model", fow_risk_model_name(rule->model)); break;
    case FOW_RULE_AGE:
        if (rule->min_age) fow_jw_kint(w, "min", rule->min_age);
        if (rule->max_age) fow_jw_kint(w, "max", rule->max_age);
        break;
    case FOW_RULE_NO_EARLIER_AWARD:
        if (rule->purpose[0]) fow_jw_kstring(w, "purpose", rule->purpose);
        break;
    default: break;
    }
    fow_jw_object_end(w);
}

/* ---- evaluation ------------------------------------------------------------- */

static void param_s(fow_rule_result *r, const char *name, const char *value) {
    if (r->n_params >= FOW_RULE_PARAMS_MAX) return;
    fow_rule_param *p = &r->params[r->n_params++];
    snprintf(p->name, sizeof p->name, "%s", name);
    p->is_int = false;
    snprintf(p->s, sizeof p->s, "%s", value ? value : "");
}

static void param_i(fow_rule_param *p, const char *name, long long value) {
    snprintf(p->name, sizeof p->name, "%s", name);
    p->is_int = true;
    p->i = value;
}

static void param_int(fow_rule_result *r, const char *name, long long value) {
    if (r->n_params < FOW_RULE_PARAMS_MAX) param_i(&r->params[r->n_params++], name, value);
}

static void join_items(const fow_call_rule *rule, char *buf, size_t cap) {
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < rule->n_items && used < cap; i++) {
        int n = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", rule->items[i]);
        if (n < 0) break;
        used += (size_t)n;
    }
}

static void set_outcome(fow_rule_result *r, fow_rule_outcome o) {
    r->outcome = o;
    snprintf(r->code, sizeof r->code, "calls.rule.%s.%s", fow_rule_kind_name(r->kind), fow_rule_outcome_name(o));
}

/* Equal once folded (case and accents ignored); falls back to byte
 * equality when either is not valid UTF-8. */
static bool same_folded(const char *a, const char *b) {
    char fa[4 * FOW_RULE_ITEM_MAX + 8], fb[4 * FOW_RULE_ITEM_MAX + 8];
    if (fow_text_fold_into(a, strlen(a), fa, sizeof fa, NULL) < 0 ||
        fow_text_fold_into(b, strlen(b), fb, sizeof fb, NULL) < 0)
        return strcmp(a, b) == 0;
    return strcmp(fa, fb) == 0;
}

static void evaluate_area(const fow_call_rule *rule, const fow_eligibility_facts *f, fow_rule_result *r) {
    char list[sizeof r->params[0].s];
    join_items(rule, list, sizeof list);
    param_s(r, "areas", list);
    if (!f->area || !f->area[0]) {
        set_outcome(r, FOW_RULE_UNKNOWN);
        snprintf(r->text, sizeof r->text, "The area of residence is not recorded; the call requires one of: %s", list);
        return;
    }
    param_s(r, "area", f->area);
    bool in = false;
    for (size_t i = 0; i < rule->n_items && !in; i++) in = same_folded(f->area, rule->items[i]);
    set_outcome(r, in ? FOW_RULE_PASSED : FOW_RULE_FAILED);
    snprintf(r->text, sizeof r->text, "Lives in %s, %s the areas of the call (%s)", f->area, in ? "one of" : "not one of",
             list);
}

static void evaluate_risk(const fow_call_rule *rule, const fow_eligibility_facts *f, fow_rule_result *r) {
    const char *model_name = fow_risk_model_name(rule->model);
    param_s(r, "model", model_name);
    const char *model_label = rule->model == FOW_RISK_MODEL_MCC ? "Nesta MCC" : "Frey & Osborne";
    const char *high = rule->model == FOW_RISK_MODEL_MCC ? "category \"High risk\"" : "probability of at least 0.70";
    if (!f->occupation_uri || !f->occupation_uri[0]) {
        set_outcome(r, FOW_RULE_UNKNOWN);
        snprintf(r->text, sizeof r->text,
                 "No occupation is recorded, so its automation risk under %s is unknown (high: %s)", model_label, high);
        return;
    }
    const fow_model_occupation *o =
        f->model && f->occupation != FOW_NO_INDEX ? &f->model->occupations[f->occupation] : NULL;
    param_s(r, "occupation", o ? o->label : f->occupation_uri);
    float risk = !o ? NAN : rule->model == FOW_RISK_MODEL_MCC ? o->risk_mcc : o->risk_frey_osborne;
    if (isnan(risk) || (rule->model == FOW_RISK_MODEL_MCC && o->mcc_category == FOW_RISK_UNKNOWN)) {
        set_outcome(r, FOW_RULE_UNKNOWN);
        snprintf(r->text, sizeof r->text, "%s has no automation risk estimate under %s (high: %s)",
                 o ? o->label : f->occupation_uri, model_label, high);
        return;
    }
    bool is_high = rule->model == FOW_RISK_MODEL_MCC ? o->mcc_category == FOW_RISK_HIGH
                                                     : risk >= FOW_FREY_OSBORNE_HIGH_RISK;
    char value[32];
    snprintf(value, sizeof value, "%.2f", (double)risk);
    if (r->n_params < FOW_RULE_PARAMS_MAX) {
        fow_rule_param *p = &r->params[r->n_params++];
        snprintf(p->name, sizeof p->name, "risk");
        p->is_real = true;
        p->r = (double)risk;
    }
    if (rule->model == FOW_RISK_MODEL_MCC)
        param_s(r, "category", o->mcc_category == FOW_RISK_HIGH  ? "High risk"
                               : o->mcc_category == FOW_RISK_LOW ? "Low risk"
                                                                 : "Other");
    set_outcome(r, is_high ? FOW_RULE_PASSED : FOW_RULE_FAILED);
    if (rule->model == FOW_RISK_MODEL_MCC)
        snprintf(r->text, sizeof r->text, "%s: Nesta MCC risk %s on 1-5, category \"%s\": %s high risk", o->label,
                 value, r->params[r->n_params - 1].s, is_high ? "at" : "not at");
    else
        snprintf(r->text, sizeof r->text, "%s: Frey & Osborne probability %s: %s high risk (0.70 or more)", o->label,
                 value, is_high ? "at" : "not at");
}

static void evaluate_age(const fow_call_rule *rule, const fow_eligibility_facts *f, fow_rule_result *r) {
    if (rule->min_age) param_int(r, "min", rule->min_age);
    if (rule->max_age) param_int(r, "max", rule->max_age);
    char range[64];
    if (rule->min_age && rule->max_age) snprintf(range, sizeof range, "%d to %d", rule->min_age, rule->max_age);
    else if (rule->min_age) snprintf(range, sizeof range, "at least %d", rule->min_age);
    else snprintf(range, sizeof range, "at most %d", rule->max_age);
    if (f->birth_year <= 0) {
        set_outcome(r, FOW_RULE_UNKNOWN);
        snprintf(r->text, sizeof r->text, "The year of birth is not recorded; the call requires an age of %s", range);
        return;
    }
    int age = f->year - f->birth_year;
    param_int(r, "age", age);
    char year[16];
    snprintf(year, sizeof year, "%d", f->year); /* a year, not a quantity: no digit grouping */
    param_s(r, "year", year);
    bool ok = (!rule->min_age || age >= rule->min_age) && (!rule->max_age || age <= rule->max_age);
    set_outcome(r, ok ? FOW_RULE_PASSED : FOW_RULE_FAILED);
    snprintf(r->text, sizeof r->text, "Aged %d in %d (born %d): %s the call's range of %s", age, f->year,
             f->birth_year, ok ? "within" : "outside", range);
}

static void evaluate_status(const fow_call_rule *rule, const fow_eligibility_facts *f, fow_rule_result *r) {
    char list[sizeof r->params[0].s];
    join_items(rule, list, sizeof list);
    param_s(r, "statuses", list);
    const char *s = f->employment_status;
    if (!s || !s[0] || strcmp(s, "unknown") == 0) {
        set_outcome(r, FOW_RULE_UNKNOWN);
        snprintf(r->text, sizeof r->text, "The employment status is not known; the call requires: %s", list);
        return;
    }
    param_s(r, "status", s);
    bool in = false;
    for (size_t i = 0; i < rule->n_items && !in; i++) in = strcmp(s, rule->items[i]) == 0;
    set_outcome(r, in ? FOW_RULE_PASSED : FOW_RULE_FAILED);
    snprintf(r->text, sizeof r->text, "Employment status %s: %s the call's (%s)", s, in ? "one of" : "not one of",
             list);
}

static void evaluate_earlier(const fow_call_rule *rule, const fow_eligibility_facts *f, fow_rule_result *r) {
    const char *purpose = rule->purpose[0] ? rule->purpose : f->call_purpose ? f->call_purpose : "";
    param_s(r, "purpose", purpose);
    for (size_t i = 0; i < f->n_earlier_awards; i++)
        if (strcmp(f->earlier_award_purposes[i], purpose) == 0) {
            param_int(r, "call", f->earlier_award_calls[i]);
            set_outcome(r, FOW_RULE_FAILED);
            snprintf(r->text, sizeof r->text, "Already awarded a %s voucher (call %lld)", purpose,
                     f->earlier_award_calls[i]);
            return;
        }
    set_outcome(r, FOW_RULE_PASSED);
    snprintf(r->text, sizeof r->text, "No earlier award of a %s voucher", purpose);
}

static void evaluate_plan(const fow_eligibility_facts *f, fow_rule_result *r) {
    if (f->active_plans < 0) {
        set_outcome(r, FOW_RULE_UNKNOWN);
        snprintf(r->text, sizeof r->text, "Whether there is an active plan could not be read");
        return;
    }
    param_int(r, "plans", f->active_plans);
    set_outcome(r, f->active_plans > 0 ? FOW_RULE_PASSED : FOW_RULE_FAILED);
    if (f->active_plans > 0)
        snprintf(r->text, sizeof r->text, "Has %lld active plan%s with a counsellor", f->active_plans,
                 f->active_plans == 1 ? "" : "s");
    else
        snprintf(r->text, sizeof r->text, "Has no active plan with a counsellor (a plan must be set active)");
}

bool fow_eligibility_evaluate(const fow_call_rule *rules, size_t n, const fow_eligibility_facts *facts,
                              fow_rule_result *out) {
    bool eligible = true;
    for (size_t i = 0; i < n; i++) {
        fow_rule_result *r = &out[i];
        memset(r, 0, sizeof *r);
        r->kind = rules[i].kind;
        if (facts->kind == FOW_APPLICANT_ENTERPRISE && rules[i].kind != FOW_RULE_NO_EARLIER_AWARD) {
            set_outcome(r, FOW_RULE_NOT_APPLICABLE);
            snprintf(r->text, sizeof r->text, "A rule about persons (%s): not applicable to an enterprise",
                     fow_rule_kind_name(r->kind));
            continue;
        }
        switch (rules[i].kind) {
        case FOW_RULE_RESIDENCE_AREA: evaluate_area(&rules[i], facts, r); break;
        case FOW_RULE_OCCUPATION_RISK: evaluate_risk(&rules[i], facts, r); break;
        case FOW_RULE_AGE: evaluate_age(&rules[i], facts, r); break;
        case FOW_RULE_EMPLOYMENT_STATUS: evaluate_status(&rules[i], facts, r); break;
        case FOW_RULE_NO_EARLIER_AWARD: evaluate_earlier(&rules[i], facts, r); break;
        case FOW_RULE_ACTIVE_PLAN: evaluate_plan(facts, r); break;
        default:
            set_outcome(r, FOW_RULE_UNKNOWN);
            snprintf(r->text, sizeof r->text, "Unknown rule");
            break;
        }
        if (r->outcome == FOW_RULE_FAILED || r->outcome == FOW_RULE_UNKNOWN) eligible = false;
    }
    return eligible;
}

static void write_time(fow_jw *w, long long t) {
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[32];
    if (!gmtime_r(&tt, &tm) || !strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
        fow_jw_null(w);
        return;
    }
    fow_jw_string(w, buf);
}

void fow_eligibility_write(fow_jw *w, const fow_call_rule *rules, const fow_rule_result *results, size_t n,
                           bool eligible, long long evaluated_at) {
    fow_jw_object(w);
    fow_jw_kbool(w, "eligible", eligible);
    fow_jw_key(w, "evaluated_at");
    write_time(w, evaluated_at);
    fow_jw_key(w, "rules");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) {
        const fow_rule_result *r = &results[i];
        fow_jw_object(w);
        fow_jw_kint(w, "position", (long long)i + 1);
        fow_jw_key(w, "rule");
        fow_call_rule_write(w, &rules[i]);
        fow_jw_kstring(w, "outcome", fow_rule_outcome_name(r->outcome));
        fow_msg_param params[FOW_RULE_PARAMS_MAX];
        char codes[FOW_RULE_PARAMS_MAX][64];
        for (size_t k = 0; k < r->n_params; k++) {
            const fow_rule_param *p = &r->params[k];
            /* a purpose or a risk model is a name the web app words itself: a nested message */
            bool purpose = strcmp(p->name, "purpose") == 0, model = strcmp(p->name, "model") == 0;
            if (!p->is_int && (purpose || model)) {
                snprintf(codes[k], sizeof codes[k], "%s.%s", purpose ? "calls.purpose" : "risk_model", p->s);
                params[k] = FOW_MSG_N(p->name, codes[k], p->s);
            } else {
                params[k] = p->is_int ? FOW_MSG_I(p->name, p->i)
                            : p->is_real ? FOW_MSG_R(p->name, p->r)
                                         : FOW_MSG_S(p->name, p->s);
            }
        }
        fow_jw_key(w, "message");
        fow_msg_write(w, r->code, r->text, params, r->n_params);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_object_end(w);
}
