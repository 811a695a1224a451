/* fow_eligibility.h — eligibility rules as data, and the engine that
 * evaluates them for an applicant and explains each rule's outcome
 * (docs/vouchers-calls.md, "Eligibility").
 *
 * A call's rules are a JSON array of typed objects, e.g.
 *
 *   [{"kind": "residence_area", "areas": ["Cluj-Napoca", "Florești"]},
 *    {"kind": "occupation_risk", "model": "mcc"},
 *    {"kind": "age", "min": 18, "max": 64},
 *    {"kind": "employment_status", "statuses": ["unemployed", "employed"]},
 *    {"kind": "no_earlier_award", "purpose": "learning"},
 *    {"kind": "active_plan"}]
 *
 * The engine is pure: it reads the facts gathered about the applicant
 * (fow_eligibility_facts) and writes one result per rule, each with an
 * outcome and a message {code, params, text} (src/service/fow_msg.h). The
 * applicant is eligible when no rule failed and none was unknown (an
 * unknown is a fact the record does not hold: it is shown, never guessed).
 * Rules about a person (area, risk, age, employment, plan) do not apply to
 * an enterprise (outcome not_applicable); no_earlier_award applies to both.
 * Nothing here touches the database. */
#ifndef FOW_ELIGIBILITY_H
#define FOW_ELIGIBILITY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "base/fow_jw.h"
#include "taxonomy/fow_model.h"
#include "transitions/fow_transitions.h"

#define FOW_RULES_MAX 20          /* rules per call */
#define FOW_RULE_ITEMS_MAX 16     /* areas or statuses in one rule */
#define FOW_RULE_ITEM_MAX 64      /* bytes of one area or status */
#define FOW_CALL_PURPOSE_MAX 32   /* bytes of a purpose: [a-z0-9_-] */
#define FOW_AGE_MIN 14
#define FOW_AGE_MAX 120

typedef enum fow_rule_kind {
    FOW_RULE_RESIDENCE_AREA = 0, /* the person's area is one of areas (case and accents ignored) */
    FOW_RULE_OCCUPATION_RISK,    /* the person's occupation is at high risk under model */
    FOW_RULE_AGE,                /* the person's age this year (year of now − year of birth) in min..max */
    FOW_RULE_EMPLOYMENT_STATUS,  /* the person's employment status is one of statuses */
    FOW_RULE_NO_EARLIER_AWARD,   /* no earlier award in a call of purpose (the call's own when not given) */
    FOW_RULE_ACTIVE_PLAN,        /* the person has a plan (src/plans) with status active */
    FOW_RULE_KIND_COUNT
} fow_rule_kind;

/* "residence_area", "occupation_risk", "age", "employment_status",
 * "no_earlier_award", "active_plan"; "?" out of range. */
const char *fow_rule_kind_name(fow_rule_kind kind);

/* Parses a rule kind name into *out: 0, or -1. */
int fow_rule_kind_parse(const char *text, fow_rule_kind *out);

/* One rule, as parsed and checked. Only the fields of its kind are set. */
typedef struct fow_call_rule {
    fow_rule_kind kind;
    char items[FOW_RULE_ITEMS_MAX][FOW_RULE_ITEM_MAX + 1]; /* areas or statuses */
    size_t n_items;
    fow_risk_model model;                     /* occupation_risk */
    int min_age, max_age;                     /* age; 0: no bound on that side */
    char purpose[FOW_CALL_PURPOSE_MAX + 1];   /* no_earlier_award; "" the call's own */
} fow_call_rule;

/* Parses one rule from its JSON object. Errors are FOW_EINPUT with field
 * "<where>.<member>" (where: e.g. "rules[2]"), saying what is wrong: an
 * unknown kind or member, a missing or empty list, an unknown employment
 * status or risk model, an age outside FOW_AGE_MIN..FOW_AGE_MAX or min >
 * max, a malformed purpose. */
fow_code fow_call_rule_parse(const json_t *obj, const char *where, fow_call_rule *out, fow_error *err);

/* The rule as its canonical JSON object (what is stored and shown). */
void fow_call_rule_write(fow_jw *w, const fow_call_rule *rule);

/* true when purpose is 1..FOW_CALL_PURPOSE_MAX bytes of [a-z0-9_-],
 * starting with a letter. */
bool fow_call_purpose_valid(const char *purpose);

typedef enum fow_applicant_kind { FOW_APPLICANT_PERSON = 0, FOW_APPLICANT_ENTERPRISE, FOW_APPLICANT_KIND_COUNT } fow_applicant_kind;

/* "person" or "enterprise"; "?" out of range. */
const char *fow_applicant_kind_name(fow_applicant_kind kind);
/* Parses "person" or "enterprise" into *out: 0, or -1. */
int fow_applicant_kind_parse(const char *text, fow_applicant_kind *out);

/* What is known about the applicant when the rules are evaluated; the
 * caller gathers it (fow_calls.c reads the person's record, their plans and
 * earlier awards through their owners' functions). */
typedef struct fow_eligibility_facts {
    fow_applicant_kind kind;
    int year;                      /* the year of the evaluation (of now) */
    int birth_year;                /* 0: not given */
    const char *area;              /* "" or NULL: not given */
    const char *employment_status; /* "" , NULL or "unknown": not known */
    const fow_model *model;        /* for occupation_risk; NULL: the occupation's risk is unknown */
    uint32_t occupation;           /* index in model, FOW_NO_INDEX: none or not in the model */
    const char *occupation_uri;    /* as recorded ("" none), named in messages */
    const char *call_purpose;      /* the call's purpose, for no_earlier_award without one */
    /* earlier awards of the applicant: their calls' purposes and ids */
    const char *const *earlier_award_purposes;
    const long long *earlier_award_calls;
    size_t n_earlier_awards;
    long long active_plans;        /* plans with status active; -1: unknown */
} fow_eligibility_facts;

typedef enum fow_rule_outcome {
    FOW_RULE_PASSED = 0,
    FOW_RULE_FAILED,
    FOW_RULE_UNKNOWN,        /* the record lacks the fact: not eligible until it is known */
    FOW_RULE_NOT_APPLICABLE  /* the rule is about persons and the applicant is an enterprise */
} fow_rule_outcome;

/* "passed", "failed", "unknown", "not_applicable"; "?" out of range. */
const char *fow_rule_outcome_name(fow_rule_outcome o);

#define FOW_RULE_PARAMS_MAX 6

/* One parameter of a result's message. */
typedef struct fow_rule_param {
    char name[24];
    bool is_int;
    long long i;
    bool is_real;  /* a measure (a risk score): r */
    double r;
    char s[FOW_RULE_ITEMS_MAX * (FOW_RULE_ITEM_MAX + 2) + 1]; /* lists joined with ", " */
} fow_rule_param;

/* The evaluation of one rule: its outcome and the message explaining it:
 * code "calls.rule.<kind>.<outcome>", e.g. "calls.rule.age.failed", with
 * its parameters and the English text. */
typedef struct fow_rule_result {
    fow_rule_kind kind;
    fow_rule_outcome outcome;
    char code[64];
    char text[1200];
    fow_rule_param params[FOW_RULE_PARAMS_MAX];
    size_t n_params;
} fow_rule_result;

/* Evaluates rules[0..n) on facts into out[0..n) (same order). Returns true
 * when the applicant is eligible: every result passed or not_applicable.
 * Can't fail. */
bool fow_eligibility_evaluate(const fow_call_rule *rules, size_t n, const fow_eligibility_facts *facts,
                              fow_rule_result *out);

/* Writes {eligible, evaluated_at, rules: [{position, rule {…canonical…},
 * outcome, message {code, params, text}}]} as the next value of w. */
void fow_eligibility_write(fow_jw *w, const fow_call_rule *rules, const fow_rule_result *results, size_t n,
                           bool eligible, long long evaluated_at);

#endif
