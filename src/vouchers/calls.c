/* calls.c — calls for applications, applications, the jury, ranking and
 * awards (fow_calls.h). SQL is in calls_store.c; budget lines are read
 * through fow_vouchers.h, people through fow_people.h, plans through
 * fow_plans.h, accounts through fow_accounts.h. */
#include "vouchers/fow_calls.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "accounts/fow_accounts.h"
#include "plans/fow_plans.h"
#include "service/fow_msg.h"
#include "vouchers/calls_store.h"
#include "vouchers/fow_vouchers.h"
#include "vouchers/vouchers_store.h"

static fow_calls_issuer current_issuer;

void fow_calls_set_issuer(fow_calls_issuer issuer) { current_issuer = issuer; }

static const char *const status_names[FOW_APP_STATUS_COUNT] = {"submitted", "eligible", "ineligible", "scored",
                                                               "awarded",   "rejected", "waitlisted"};

const char *fow_application_status_name(fow_application_status s) {
    return (int)s >= 0 && s < FOW_APP_STATUS_COUNT ? status_names[s] : "?";
}

int fow_application_status_parse(const char *text, fow_application_status *out) {
    for (int s = 0; text && s < FOW_APP_STATUS_COUNT; s++)
        if (strcmp(text, status_names[s]) == 0) {
            *out = (fow_application_status)s;
            return 0;
        }
    return -1;
}

int fow_award_decision_parse(const char *text, fow_award_decision *out) {
    static const char *const names[] = {"award", "reject", "waitlist"};
    for (int d = 0; text && d < 3; d++)
        if (strcmp(text, names[d]) == 0) {
            *out = (fow_award_decision)d;
            return 0;
        }
    return -1;
}

/* ---- small helpers ------------------------------------------------------------ */

static fow_code bad(fow_error *err, const char *field, const char *fmt, const char *arg) {
    char msg[400];
    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
    return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s", msg);
}

static fow_code not_found(fow_error *err, const char *field, const char *what, long long id) {
    return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, field, "no %s %lld", what, id);
}

/* true when s is valid UTF-8 without control characters (tabs and line
 * breaks allowed when multiline). */
static bool text_ok(const char *s, bool multiline) {
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char c = *p;
        if (c < 0x80) {
            if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t' || c == '\r'))) || c == 0x7f) return false;
            p++;
            continue;
        }
        int extra = (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
        if (extra < 0 || (c == 0xc0 || c == 0xc1) || c > 0xf4) return false;
        for (int k = 1; k <= extra; k++)
            if ((p[k] & 0xc0) != 0x80) return false;
        p += extra + 1;
    }
    return true;
}

static fow_code check_text(const char *s, size_t max, bool multiline, const char *field, fow_error *err) {
    size_t n = s ? strlen(s) : 0;
    if (n == 0) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s is required", field);
    if (n > max) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s is %zu bytes; at most %zu", field, n, max);
    if (!text_ok(s, multiline))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s must be UTF-8 text without control characters",
                                field);
    return FOW_OK;
}

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* true when s is a real date YYYY-MM-DD (years 2000..2100). */
static bool date_ok(const char *s) {
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
    return d <= days[m - 1] + (m == 2 && leap(y));
}

static void today(long long now, char out[11], int *year) {
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
    if (year) *year = tm.tm_year + 1900;
}

static void write_time(fow_jw *w, long long t) {
    if (t <= 0) {
        fow_jw_null(w);
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[32];
    gmtime_r(&tt, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fow_jw_string(w, buf);
}

static void write_money(fow_jw *w, const char *key, long long minor, const char *currency) {
    fow_jw_key(w, key);
    fow_jw_object(w);
    fow_jw_kint(w, "minor_units", minor);
    fow_jw_kstring(w, "currency", currency);
    fow_jw_object_end(w);
}

static fow_code check_ctx(const fow_calls_ctx *c, bool need_actor, fow_error *err) {
    if (!c || !c->db) return fow_error_set(err, FOW_EINTERNAL, "no database given");
    if (need_actor && (!c->actor || !c->actor[0] || strlen(c->actor) > FOW_CALL_ACTOR_MAX))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "actor", "who acts must be named (1 to %d bytes)",
                                FOW_CALL_ACTOR_MAX);
    return FOW_OK;
}

static fow_code finish(fow_jw *w, fow_code rc, fow_error *err) {
    if (!rc && fow_jw_failed(w)) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    return rc;
}

/* The state of a call on the date of now. */
static const char *call_state(const call_row *call, long long now) {
    char d[11];
    today(now, d, NULL);
    return strcmp(d, call->opens_on) < 0 ? "upcoming" : strcmp(d, call->closes_on) > 0 ? "closed" : "open";
}

/* Loads call_id's rules, parsed, into rules (FOW_RULES_MAX). */
static fow_code load_rules(fow_db *db, long long call_id, fow_call_rule *rules, size_t *n, fow_error *err) {
    call_rule_row *rows = NULL;
    size_t n_rows = 0;
    *n = 0;
    fow_code rc = calls_store_rules(db, call_id, &rows, &n_rows, err);
    for (size_t i = 0; !rc && i < n_rows && i < FOW_RULES_MAX; i++) {
        json_error_t jerr;
        json_t *obj = json_loads(rows[i].params, 0, &jerr);
        char where[32];
        snprintf(where, sizeof where, "rules[%zu]", i);
        rc = fow_call_rule_parse(obj, where, &rules[i], err);
        json_decref(obj);
        if (rc) rc = fow_error_set(err, FOW_EDB, "call %lld's stored rule %d does not parse: %s", call_id,
                                   rows[i].position, err ? err->message : "");
        else (*n)++;
    }
    free(rows);
    return rc;
}

/* ---- calls --------------------------------------------------------------------- */

/* Reads the bilingual title member of obj (field: its name) into en, ro. */
static fow_code parse_title(const json_t *obj, const char *field, char *en, char *ro, size_t cap, fow_error *err) {
    const json_t *t = json_object_get(obj, "title");
    const char *e = json_string_value(json_object_get(t, "en")), *r = json_string_value(json_object_get(t, "ro"));
    char f[96];
    if (!json_is_object(t))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s must be an object {\"en\": ..., \"ro\": ...}",
                                field);
    fow_code rc;
    snprintf(f, sizeof f, "%s.en", field);
    if ((rc = check_text(e, cap - 1, false, f, err))) return rc;
    snprintf(f, sizeof f, "%s.ro", field);
    if ((rc = check_text(r, cap - 1, false, f, err))) return rc;
    snprintf(en, cap, "%s", e);
    snprintf(ro, cap, "%s", r);
    return FOW_OK;
}

static fow_code unknown_members(const json_t *obj, const char *const *known, const char *where, fow_error *err) {
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        bool ok = false;
        for (size_t i = 0; known[i]; i++) ok = ok || strcmp(key, known[i]) == 0;
        if (!ok) {
            char f[128];
            snprintf(f, sizeof f, "%s%s%s", where, where[0] ? "." : "", key);
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, f, "unknown member '%s'%s%s", key,
                                    where[0] ? " in " : "", where);
        }
    }
    return FOW_OK;
}

/* Parses the rules array into canonical rows (and checks each). */
static fow_code parse_rules(const json_t *rules, call_rule_row *rows, size_t *n, fow_error *err) {
    *n = 0;
    if (!rules) return FOW_OK;
    if (!json_is_array(rules)) return bad(err, "rules", "rules must be a list of rule objects%s", "");
    if (json_array_size(rules) > FOW_RULES_MAX)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "rules", "rules holds %zu rules; at most %d",
                                json_array_size(rules), FOW_RULES_MAX);
    size_t i;
    json_t *obj;
    json_array_foreach(rules, i, obj) {
        char where[32];
        snprintf(where, sizeof where, "rules[%zu]", i);
        fow_call_rule rule;
        fow_code rc = fow_call_rule_parse(obj, where, &rule, err);
        if (rc) return rc;
        fow_jw w;
        fow_jw_init(&w, -1);
        fow_call_rule_write(&w, &rule);
        size_t len = 0;
        const char *text = fow_jw_text(&w, &len);
        if (fow_jw_failed(&w) || !text || len >= CALLS_RULE_JSON_MAX) {
            fow_jw_free(&w);
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, where, "%s is too long", where);
        }
        rows[*n].position = (int)i + 1;
        memcpy(rows[*n].params, text, len + 1);
        (*n)++;
        fow_jw_free(&w);
    }
    return FOW_OK;
}

/* The call's "voucher" member (may be absent): the terms of the vouchers
 * its awards issue, each member optional, into call (defaults: 12 months,
 * active at once, 80 percent attendance). */
static fow_code parse_voucher_terms(const json_t *terms, call_row *call, fow_error *err) {
    call->voucher_valid_months = FOW_CALL_VOUCHER_MONTHS_DEFAULT;
    call->voucher_active = 1;
    call->voucher_min_attendance = FOW_CALL_VOUCHER_ATTENDANCE_DEFAULT;
    if (!terms) return FOW_OK;
    if (!json_is_object(terms))
        return bad(err, "voucher", "voucher must be an object {valid_months, active, min_attendance_percent}%s", "");
    static const char *const known[] = {"valid_months", "active", "min_attendance_percent", NULL};
    fow_code rc = unknown_members(terms, known, "voucher", err);
    if (rc) return rc;
    const json_t *v = json_object_get(terms, "valid_months");
    if (v) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > FOW_CALL_VOUCHER_MONTHS_MAX)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "voucher.valid_months",
                                    "voucher.valid_months must be a whole number of months from 1 to %d",
                                    FOW_CALL_VOUCHER_MONTHS_MAX);
        call->voucher_valid_months = (int)json_integer_value(v);
    }
    if ((v = json_object_get(terms, "active"))) {
        if (!json_is_boolean(v)) return bad(err, "voucher.active", "voucher.active must be true or false%s", "");
        call->voucher_active = json_is_true(v) ? 1 : 0;
    }
    if ((v = json_object_get(terms, "min_attendance_percent"))) {
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100)
            return bad(err, "voucher.min_attendance_percent",
                       "voucher.min_attendance_percent must be a whole number from 0 to 100%s", "");
        call->voucher_min_attendance = (int)json_integer_value(v);
    }
    return FOW_OK;
}

fow_code fow_calls_create(const fow_calls_ctx *c, const char *definition, long long *call_id, fow_error *err) {
    fow_code rc = check_ctx(c, true, err);
    if (rc) return rc;
    json_error_t jerr;
    json_t *doc = json_loads(definition ? definition : "", 0, &jerr);
    if (!doc)
        return fow_error_set_at(err, FOW_EINPUT, NULL, jerr.line, jerr.column, "definition",
                                "the call's definition is not JSON: %s", jerr.text);
    call_row call;
    memset(&call, 0, sizeof call);
    call_value_row values[FOW_APPLICANT_KIND_COUNT];
    size_t n_values = 0;
    call_criterion_row criteria[FOW_CALL_CRITERIA_MAX];
    size_t n_criteria = 0;
    call_rule_row *rules = calloc(FOW_RULES_MAX, sizeof *rules);
    size_t n_rules = 0;
    static const char *const known[] = {"budget_line", "title", "opens_on", "closes_on", "values", "criteria", "rules",
                                        "voucher", NULL};
    fow_budget_line line;
    const json_t *v, *item;
    size_t i;
    if (!rules) {
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        goto done;
    }
    if (!json_is_object(doc)) {
        rc = bad(err, "definition", "the call's definition must be a JSON object%s", "");
        goto done;
    }
    if ((rc = unknown_members(doc, known, "", err))) goto done;
    v = json_object_get(doc, "budget_line");
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        rc = bad(err, "budget_line", "budget_line must be a budget line's id (a positive number)%s", "");
        goto done;
    }
    call.budget_line_id = json_integer_value(v);
    if ((rc = parse_title(doc, "title", call.title_en, call.title_ro, sizeof call.title_en, err))) goto done;
    {
        const char *o = json_string_value(json_object_get(doc, "opens_on"));
        const char *cl = json_string_value(json_object_get(doc, "closes_on"));
        if (!date_ok(o)) {
            rc = bad(err, "opens_on", "opens_on must be a date YYYY-MM-DD%s", "");
            goto done;
        }
        if (!date_ok(cl)) {
            rc = bad(err, "closes_on", "closes_on must be a date YYYY-MM-DD%s", "");
            goto done;
        }
        if (strcmp(o, cl) > 0) {
            rc = bad(err, "closes_on", "closes_on is before opens_on%s", "");
            goto done;
        }
        snprintf(call.opens_on, sizeof call.opens_on, "%s", o);
        snprintf(call.closes_on, sizeof call.closes_on, "%s", cl);
    }
    v = json_object_get(doc, "values");
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > FOW_APPLICANT_KIND_COUNT) {
        rc = bad(err, "values", "values must list one or two voucher values (for person, enterprise)%s", "");
        goto done;
    }
    json_array_foreach(v, i, item) {
        char where[32];
        snprintf(where, sizeof where, "values[%zu]", i);
        static const char *const vk[] = {"applicant", "mode", "amount", NULL};
        if (!json_is_object(item)) {
            rc = bad(err, where, "%s must be an object {applicant, mode, amount}", where);
            goto done;
        }
        if ((rc = unknown_members(item, vk, where, err))) goto done;
        call_value_row *val = &values[n_values];
        memset(val, 0, sizeof *val);
        fow_applicant_kind kind;
        const char *ap = json_string_value(json_object_get(item, "applicant"));
        const char *mode = json_string_value(json_object_get(item, "mode"));
        const json_t *amount = json_object_get(item, "amount");
        char f[64];
        snprintf(f, sizeof f, "%s.applicant", where);
        if (fow_applicant_kind_parse(ap, &kind) != 0) {
            rc = bad(err, f, "applicant must be person or enterprise, not '%s'", ap ? ap : "(missing)");
            goto done;
        }
        for (size_t k = 0; k < n_values; k++)
            if (strcmp(values[k].applicant, ap) == 0) {
                rc = bad(err, f, "values lists applicant %s twice", ap);
                goto done;
            }
        snprintf(f, sizeof f, "%s.mode", where);
        if (!mode || (strcmp(mode, "fixed") != 0 && strcmp(mode, "up_to") != 0)) {
            rc = bad(err, f, "mode must be fixed or up_to, not '%s'", mode ? mode : "(missing)");
            goto done;
        }
        snprintf(f, sizeof f, "%s.amount", where);
        if (!json_is_integer(amount) || json_integer_value(amount) <= 0 ||
            json_integer_value(amount) > 100000000000LL) {
            rc = bad(err, f, "amount must be a positive whole number of minor units (bani), at most 10^11%s", "");
            goto done;
        }
        snprintf(val->applicant, sizeof val->applicant, "%s", ap);
        snprintf(val->mode, sizeof val->mode, "%s", mode);
        val->amount_minor = json_integer_value(amount);
        n_values++;
    }
    v = json_object_get(doc, "criteria");
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > FOW_CALL_CRITERIA_MAX) {
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "criteria", "criteria must list 1 to %d criteria",
                              FOW_CALL_CRITERIA_MAX);
        goto done;
    }
    {
        int weights = 0;
        json_array_foreach(v, i, item) {
            char where[32], f[64];
            snprintf(where, sizeof where, "criteria[%zu]", i);
            static const char *const ck[] = {"code", "title", "weight", "max_score", NULL};
            if (!json_is_object(item)) {
                rc = bad(err, where, "%s must be an object {code, title, weight, max_score}", where);
                goto done;
            }
            if ((rc = unknown_members(item, ck, where, err))) goto done;
            call_criterion_row *cr = &criteria[n_criteria];
            memset(cr, 0, sizeof *cr);
            cr->position = (int)i + 1;
            const char *code = json_string_value(json_object_get(item, "code"));
            snprintf(f, sizeof f, "%s.code", where);
            if (!fow_call_purpose_valid(code)) {
                rc = bad(err, f, "%s must be 1 to 32 of a-z, 0-9, '_' and '-', starting with a letter", f);
                goto done;
            }
            for (size_t k = 0; k < n_criteria; k++)
                if (strcmp(criteria[k].code, code) == 0) {
                    rc = bad(err, f, "criteria lists code '%s' twice", code);
                    goto done;
                }
            snprintf(cr->code, sizeof cr->code, "%s", code);
            snprintf(f, sizeof f, "%s.title", where);
            if ((rc = parse_title(item, f, cr->title_en, cr->title_ro, sizeof cr->title_en, err))) goto done;
            const json_t *wt = json_object_get(item, "weight"), *mx = json_object_get(item, "max_score");
            snprintf(f, sizeof f, "%s.weight", where);
            if (!json_is_integer(wt) || json_integer_value(wt) < 1 || json_integer_value(wt) > 100) {
                rc = bad(err, f, "%s must be a whole number 1 to 100 (the weights sum to 100)", f);
                goto done;
            }
            snprintf(f, sizeof f, "%s.max_score", where);
            if (!json_is_integer(mx) || json_integer_value(mx) < 1 || json_integer_value(mx) > FOW_CALL_SCORE_MAX) {
                rc = bad(err, f, "%s must be a whole number 1 to 100", f);
                goto done;
            }
            cr->weight = (int)json_integer_value(wt);
            cr->max_score = (int)json_integer_value(mx);
            weights += cr->weight;
            n_criteria++;
        }
        if (weights != 100) {
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "criteria",
                                  "the criteria's weights sum to %d; they must sum to 100", weights);
            goto done;
        }
    }
    if ((rc = parse_rules(json_object_get(doc, "rules"), rules, &n_rules, err))) goto done;
    if ((rc = parse_voucher_terms(json_object_get(doc, "voucher"), &call, err))) goto done;
    if ((rc = fow_db_begin(c->db, err))) goto done;
    rc = fow_budget_line_get(c->db, call.budget_line_id, &line, err);
    if (rc == FOW_ENOTFOUND)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "budget_line", "no budget line %lld",
                              call.budget_line_id);
    call.created_at = c->now;
    snprintf(call.created_by, sizeof call.created_by, "%s", c->actor);
    if (!rc) rc = calls_store_call_insert(c->db, &call, call_id, err);
    for (size_t k = 0; !rc && k < n_values; k++) rc = calls_store_value_insert(c->db, *call_id, &values[k], err);
    for (size_t k = 0; !rc && k < n_criteria; k++)
        rc = calls_store_criterion_insert(c->db, *call_id, &criteria[k], err);
    if (!rc) rc = calls_store_rules_replace(c->db, *call_id, rules, n_rules, err);
    if (!rc) rc = fow_db_commit(c->db, err);
    if (rc) fow_db_rollback(c->db);
done:
    free(rules);
    json_decref(doc);
    return rc;
}

fow_code fow_calls_set_rules(const fow_calls_ctx *c, long long call_id, const char *rules_json, fow_error *err) {
    fow_code rc = check_ctx(c, true, err);
    if (rc) return rc;
    json_error_t jerr;
    json_t *doc = json_loads(rules_json ? rules_json : "", JSON_DECODE_ANY, &jerr);
    if (!doc)
        return fow_error_set_at(err, FOW_EINPUT, NULL, jerr.line, jerr.column, "rules", "the rules are not JSON: %s",
                                jerr.text);
    call_rule_row *rules = calloc(FOW_RULES_MAX, sizeof *rules);
    size_t n = 0;
    if (!rules) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    if (!rc) rc = parse_rules(doc, rules, &n, err);
    json_decref(doc);
    if (!rc && !(rc = fow_db_begin(c->db, err))) {
        call_row call;
        bool found;
        long long apps = 0;
        rc = calls_store_call_get(c->db, call_id, &call, &found, err);
        if (!rc && !found) rc = not_found(err, "call", "call", call_id);
        if (!rc) rc = calls_store_application_count(c->db, call_id, &apps, err);
        if (!rc && apps > 0)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "rules",
                                  "call %lld has %lld application%s already: its rules no longer change", call_id,
                                  apps, apps == 1 ? "" : "s");
        if (!rc) rc = calls_store_rules_replace(c->db, call_id, rules, n, err);
        if (!rc) rc = fow_db_commit(c->db, err);
        if (rc) fow_db_rollback(c->db);
    }
    free(rules);
    return rc;
}

static void write_values(fow_jw *w, const call_value_row *v, size_t n, const char *currency) {
    fow_jw_key(w, "values");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) {
        fow_jw_object(w);
        fow_jw_kstring(w, "applicant", v[i].applicant);
        fow_jw_kstring(w, "mode", v[i].mode);
        write_money(w, "amount", v[i].amount_minor, currency);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
}

static void write_title(fow_jw *w, const char *key, const char *en, const char *ro) {
    fow_jw_key(w, key);
    fow_jw_object(w);
    fow_jw_kstring(w, "en", en);
    fow_jw_kstring(w, "ro", ro);
    fow_jw_object_end(w);
}

/* The call's head: id, title, purpose, year, currency, budget_line, dates, state. */
static void write_call_head(fow_jw *w, const call_row *call, const fow_budget_line *line, long long now) {
    fow_jw_kint(w, "id", call->id);
    write_title(w, "title", call->title_en, call->title_ro);
    fow_jw_kstring(w, "purpose", line->purpose);
    fow_jw_kint(w, "year", line->year);
    fow_jw_kstring(w, "currency", line->currency);
    fow_jw_key(w, "budget_line");
    fow_jw_object(w);
    fow_jw_kint(w, "id", line->id);
    fow_jw_kstring(w, "name", line->name);
    fow_jw_kstring(w, "fund", line->fund_name);
    fow_jw_object_end(w);
    fow_jw_kstring(w, "opens_on", call->opens_on);
    fow_jw_kstring(w, "closes_on", call->closes_on);
    fow_jw_kstring(w, "state", call_state(call, now));
}

fow_code fow_calls_list_write(const fow_calls_ctx *c, fow_jw *w, fow_error *err) {
    fow_code rc = check_ctx(c, false, err);
    if (rc || (rc = fow_db_read_begin(c->db, err))) return rc;
    call_row *calls = NULL;
    size_t n = 0;
    rc = calls_store_calls(c->db, &calls, &n, err);
    if (!rc) {
        fow_jw_object(w);
        fow_jw_key(w, "calls");
        fow_jw_array(w);
    }
    for (size_t i = 0; !rc && i < n; i++) {
        fow_budget_line line;
        call_value_row *values = NULL;
        size_t n_values = 0;
        rc = fow_budget_line_get(c->db, calls[i].budget_line_id, &line, err);
        if (!rc) rc = calls_store_values(c->db, calls[i].id, &values, &n_values, err);
        if (!rc) {
            fow_jw_object(w);
            write_call_head(w, &calls[i], &line, c->now);
            write_values(w, values, n_values, line.currency);
            fow_jw_kint(w, "rules", calls[i].n_rules);
            fow_jw_kint(w, "applications", calls[i].n_applications);
            fow_jw_object_end(w);
        }
        free(values);
    }
    fow_db_read_end(c->db);
    free(calls);
    if (!rc) {
        fow_jw_array_end(w);
        fow_jw_object_end(w);
    }
    return finish(w, rc, err);
}

/* A rule's explanation, as a message: what it requires. */
static void write_rule_message(fow_jw *w, const fow_call_rule *r, const char *purpose) {
    char list[FOW_RULE_ITEMS_MAX * (FOW_RULE_ITEM_MAX + 2) + 1] = "", text[1400];
    size_t used = 0;
    for (size_t i = 0; i < r->n_items && used < sizeof list; i++) {
        int k = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", r->items[i]);
        if (k > 0) used += (size_t)k;
    }
    char code[64];
    snprintf(code, sizeof code, "calls.requires.%s", fow_rule_kind_name(r->kind));
    switch (r->kind) {
    case FOW_RULE_RESIDENCE_AREA:
        snprintf(text, sizeof text, "Lives in one of: %s", list);
        fow_msg_write(w, code, text, (fow_msg_param[]){FOW_MSG_S("areas", list)}, 1);
        break;
    case FOW_RULE_EMPLOYMENT_STATUS:
        snprintf(text, sizeof text, "Employment status is one of: %s", list);
        fow_msg_write(w, code, text, (fow_msg_param[]){FOW_MSG_S("statuses", list)}, 1);
        break;
    case FOW_RULE_OCCUPATION_RISK:
        snprintf(text, sizeof text, "Works (or last worked) in an occupation at high risk of automation under %s (%s)",
                 r->model == FOW_RISK_MODEL_MCC ? "Nesta MCC" : "Frey & Osborne",
                 r->model == FOW_RISK_MODEL_MCC ? "category \"High risk\"" : "probability of at least 0.70");
        {
            char model[64];
            snprintf(model, sizeof model, "risk_model.%s", fow_risk_model_name(r->model));
            fow_msg_write(w, code, text, (fow_msg_param[]){FOW_MSG_N("model", model, fow_risk_model_name(r->model))},
                          1);
        }
        break;
    case FOW_RULE_AGE:
        if (r->min_age && r->max_age) snprintf(text, sizeof text, "Aged %d to %d this year", r->min_age, r->max_age);
        else if (r->min_age) snprintf(text, sizeof text, "Aged at least %d this year", r->min_age);
        else snprintf(text, sizeof text, "Aged at most %d this year", r->max_age);
    {
        /* only the bounds the rule sets: the web app leaves out a part whose parameter is missing */
        fow_msg_param p[2];
        size_t n = 0;
        if (r->min_age) p[n++] = FOW_MSG_I("min", r->min_age);
        if (r->max_age) p[n++] = FOW_MSG_I("max", r->max_age);
        fow_msg_write(w, code, text, p, n);
    }
        break;
    case FOW_RULE_NO_EARLIER_AWARD: {
        const char *p = r->purpose[0] ? r->purpose : purpose;
        snprintf(text, sizeof text, "Not awarded a %s voucher in an earlier call", p);
        char pcode[64];
        snprintf(pcode, sizeof pcode, "calls.purpose.%s", p);
        fow_msg_write(w, code, text, (fow_msg_param[]){FOW_MSG_N("purpose", pcode, p)}, 1);
        break;
    }
    case FOW_RULE_ACTIVE_PLAN:
        fow_msg_write(w, code, "Has an active plan with a counsellor", NULL, 0);
        break;
    default: fow_jw_null(w); break;
    }
}

fow_code fow_calls_write(const fow_calls_ctx *c, long long call_id, fow_jw *w, fow_error *err) {
    fow_code rc = check_ctx(c, false, err);
    if (rc || (rc = fow_db_read_begin(c->db, err))) return rc;
    call_row call;
    bool found = false;
    fow_budget_line line;
    call_value_row *values = NULL;
    call_criterion_row *criteria = NULL;
    size_t n_values = 0, n_criteria = 0, n_rules = 0;
    fow_call_rule *rules = calloc(FOW_RULES_MAX, sizeof *rules);
    if (!rules) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    if (!rc) rc = calls_store_call_get(c->db, call_id, &call, &found, err);
    if (!rc && !found) rc = not_found(err, "call", "call", call_id);
    if (!rc) rc = fow_budget_line_get(c->db, call.budget_line_id, &line, err);
    if (!rc) rc = calls_store_values(c->db, call_id, &values, &n_values, err);
    if (!rc) rc = calls_store_criteria(c->db, call_id, &criteria, &n_criteria, err);
    if (!rc) rc = load_rules(c->db, call_id, rules, &n_rules, err);
    fow_db_read_end(c->db);
    if (!rc) {
        fow_jw_object(w);
        write_call_head(w, &call, &line, c->now);
        write_values(w, values, n_values, line.currency);
        fow_jw_key(w, "criteria");
        fow_jw_array(w);
        for (size_t i = 0; i < n_criteria; i++) {
            fow_jw_object(w);
            fow_jw_kstring(w, "code", criteria[i].code);
            write_title(w, "title", criteria[i].title_en, criteria[i].title_ro);
            fow_jw_kint(w, "weight", criteria[i].weight);
            fow_jw_kint(w, "max_score", criteria[i].max_score);
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
        fow_jw_key(w, "rules");
        fow_jw_array(w);
        for (size_t i = 0; i < n_rules; i++) {
            fow_jw_object(w);
            fow_jw_kint(w, "position", (long long)i + 1);
            fow_jw_key(w, "rule");
            fow_call_rule_write(w, &rules[i]);
            fow_jw_key(w, "message");
            write_rule_message(w, &rules[i], line.purpose);
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
        fow_jw_key(w, "voucher");
        fow_jw_object(w);
        fow_jw_kint(w, "valid_months", call.voucher_valid_months);
        fow_jw_kbool(w, "active", call.voucher_active != 0);
        fow_jw_kint(w, "min_attendance_percent", call.voucher_min_attendance);
        fow_jw_object_end(w);
        fow_jw_key(w, "created_at");
        write_time(w, call.created_at);
        fow_jw_kstring(w, "created_by", call.created_by);
        fow_jw_object_end(w);
    }
    free(values);
    free(criteria);
    free(rules);
    return finish(w, rc, err);
}

/* ---- eligibility ----------------------------------------------------------------- */

/* What is read about a person before the write transaction of an
 * application (the people and plans functions run their own). */
typedef struct person_facts {
    fow_person person;
    long long active_plans;
} person_facts;

/* Reads person through people (audited) and counts their active plans. */
static fow_code read_person(const fow_calls_ctx *c, long long call_id, const char *person, person_facts *pf,
                            fow_error *err) {
    memset(pf, 0, sizeof *pf);
    if (!c->people || !c->staff) return fow_error_set(err, FOW_EINTERNAL, "people records are not open");
    if (!person || strlen(person) != FOW_PERSON_ID_CHARS)
        return bad(err, "person", "person must be a person's id ('p' and 26 characters)%s", "");
    /* staff: the consent is checked before the record is read; a person
     * reads their own record (people lets them only read), then its consent */
    bool self = c->staff->self && c->staff->self[0];
    fow_code rc = self ? FOW_OK : fow_people_require_consent(c->people, c->staff, person, FOW_PURPOSE_VOUCHERS, err);
    if (rc) return rc;
    char reason[64];
    snprintf(reason, sizeof reason, "eligibility for call %lld", call_id);
    if ((rc = fow_people_get(c->people, c->staff, person, reason, c->now, &pf->person, err))) return rc;
    if (!pf->person.consent[FOW_PURPOSE_VOUCHERS]) {
        sodium_memzero(&pf->person, sizeof pf->person);
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "consent",
                                "person %s has not given consent to vouchers: record it first", person);
    }
    /* active plans: through the plans' own listing (a person reads their
     * own; staff read those of the people they see) */
    fow_plans_ctx pc = {.db = c->db, .people = c->people, .staff = c->staff, .now = c->now};
    fow_jw w;
    fow_jw_init(&w, -1);
    fow_error inner;
    fow_error_clear(&inner);
    pf->active_plans = -1;
    if (fow_plans_write_list(&pc, person, &w, &inner) == FOW_OK && !fow_jw_failed(&w)) {
        json_error_t jerr;
        json_t *doc = json_loads(fow_jw_text(&w, NULL), 0, &jerr);
        if (doc) {
            size_t i;
            json_t *p;
            pf->active_plans = 0;
            json_array_foreach(json_object_get(doc, "plans"), i, p) {
                const char *s = json_string_value(json_object_get(p, "status"));
                if (s && strcmp(s, "active") == 0) pf->active_plans++;
            }
            json_decref(doc);
        }
    }
    fow_jw_free(&w);
    return FOW_OK;
}

/* Evaluates the call's rules for the applicant inside the caller's
 * transaction (reads rules, the budget lines of earlier awards); writes
 * the evaluation's JSON into w and the outcome into *eligible. */
static fow_code evaluate(const fow_calls_ctx *c, const call_row *call, const fow_budget_line *line,
                         fow_applicant_kind kind, const person_facts *pf, const char *code, fow_jw *w,
                         bool *eligible, fow_error *err) {
    fow_call_rule *rules = calloc(FOW_RULES_MAX, sizeof *rules);
    fow_rule_result *results = calloc(FOW_RULES_MAX, sizeof *results);
    earlier_award_row *earlier = NULL;
    size_t n_rules = 0, n_earlier = 0;
    fow_code rc = rules && results ? FOW_OK : fow_error_set(err, FOW_ENOMEM, "out of memory");
    if (!rc) rc = load_rules(c->db, call->id, rules, &n_rules, err);
    if (!rc)
        rc = calls_store_awards_of_applicant(c->db, kind == FOW_APPLICANT_PERSON ? pf->person.id : NULL,
                                             kind == FOW_APPLICANT_ENTERPRISE ? code : NULL, call->id, &earlier,
                                             &n_earlier, err);
    char (*purposes)[32] = n_earlier ? calloc(n_earlier, sizeof *purposes) : NULL;
    const char **purpose_ptrs = n_earlier ? calloc(n_earlier, sizeof *purpose_ptrs) : NULL;
    long long *calls = n_earlier ? calloc(n_earlier, sizeof *calls) : NULL;
    if (!rc && n_earlier && (!purposes || !purpose_ptrs || !calls)) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n_earlier; i++) {
        fow_budget_line el;
        if ((rc = fow_budget_line_get(c->db, earlier[i].budget_line_id, &el, err))) break;
        snprintf(purposes[i], sizeof purposes[i], "%s", el.purpose);
        purpose_ptrs[i] = purposes[i];
        calls[i] = earlier[i].call_id;
    }
    if (!rc) {
        int year;
        char d[11];
        today(c->now, d, &year);
        fow_eligibility_facts f = {.kind = kind,
                                   .year = year,
                                   .call_purpose = line->purpose,
                                   .earlier_award_purposes = purpose_ptrs,
                                   .earlier_award_calls = calls,
                                   .n_earlier_awards = n_earlier,
                                   .occupation = FOW_NO_INDEX,
                                   .active_plans = -1};
        if (kind == FOW_APPLICANT_PERSON) {
            f.birth_year = pf->person.birth_year;
            f.area = pf->person.area;
            f.employment_status = pf->person.employment_status;
            f.occupation_uri = pf->person.occupation_uri;
            f.model = c->model;
            f.active_plans = pf->active_plans;
            if (c->model && pf->person.occupation_uri[0])
                f.occupation = fow_model_occupation_by_key(c->model, true, pf->person.occupation_uri,
                                                           strlen(pf->person.occupation_uri));
        }
        *eligible = fow_eligibility_evaluate(rules, n_rules, &f, results);
        fow_eligibility_write(w, rules, results, n_rules, *eligible, c->now);
    }
    free(purposes);
    free(purpose_ptrs);
    free(calls);
    free(earlier);
    free(rules);
    free(results);
    return rc;
}

fow_code fow_calls_eligibility(const fow_calls_ctx *c, long long call_id, const char *person, fow_jw *w,
                               bool *eligible, fow_error *err) {
    fow_code rc = check_ctx(c, false, err);
    if (rc) return rc;
    call_row call;
    bool found = false, ok = false;
    fow_budget_line line;
    if ((rc = calls_store_call_get(c->db, call_id, &call, &found, err))) return rc;
    if (!found) return not_found(err, "call", "call", call_id);
    person_facts *pf = calloc(1, sizeof *pf);
    if (!pf) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    rc = read_person(c, call_id, person, pf, err);
    if (!rc && !(rc = fow_db_read_begin(c->db, err))) {
        rc = fow_budget_line_get(c->db, call.budget_line_id, &line, err);
        if (!rc) rc = evaluate(c, &call, &line, FOW_APPLICANT_PERSON, pf, NULL, w, &ok, err);
        fow_db_read_end(c->db);
    }
    sodium_memzero(pf, sizeof *pf);
    free(pf);
    if (eligible) *eligible = ok;
    return finish(w, rc, err);
}

/* ---- applications ------------------------------------------------------------------ */

bool fow_registration_code_valid(const char *code) {
    if (!code) return false;
    if (code[0] == 'R' && code[1] == 'O') code += 2;
    size_t n = strlen(code);
    if (n < 2 || n > 10) return false;
    for (size_t i = 0; i < n; i++)
        if (code[i] < '0' || code[i] > '9') return false;
    static const int key[9] = {7, 5, 3, 2, 1, 7, 5, 3, 2};
    /* the digits before the control digit, aligned right against the key */
    int sum = 0;
    for (size_t i = 0; i + 1 < n; i++) sum += (code[i] - '0') * key[9 - (n - 1) + i];
    int control = sum * 10 % 11;
    if (control == 10) control = 0;
    return control == code[n - 1] - '0';
}

static bool is_self(const fow_calls_ctx *c) { return c->staff && c->staff->self && c->staff->self[0]; }

fow_code fow_calls_apply(const fow_calls_ctx *c, long long call_id, const fow_application_input *in,
                         long long *application_id, fow_error *err) {
    fow_code rc = check_ctx(c, true, err);
    if (rc) return rc;
    if (!in) return bad(err, "applicant", "no application given%s", "");
    application_row row;
    memset(&row, 0, sizeof row);
    row.call_id = call_id;
    if ((rc = check_text(in->proposal, FOW_CALL_PROPOSAL_MAX, true, "proposal", err))) return rc;
    if (in->requested_minor < 0) return bad(err, "amount", "the amount requested must not be negative%s", "");
    person_facts *pf = calloc(1, sizeof *pf);
    if (!pf) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    if (in->kind == FOW_APPLICANT_PERSON) {
        if (is_self(c) && (!in->person || strcmp(in->person, c->staff->self) != 0))
            rc = bad(err, "person", "a person applies only for themselves%s", "");
        if (!rc) rc = read_person(c, call_id, in->person, pf, err);
        if (!rc && in->plan_id > 0) {
            char owner[FOW_PERSON_ID_CHARS + 1];
            fow_plans_ctx pc = {.db = c->db, .people = c->people, .staff = c->staff, .now = c->now};
            rc = fow_plans_person(&pc, in->plan_id, owner, err);
            if (!rc && strcmp(owner, in->person) != 0)
                rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "plan", "plan %lld is not %s's", in->plan_id,
                                      in->person);
        }
        if (!rc) {
            snprintf(row.person, sizeof row.person, "%s", in->person);
            snprintf(row.organisation, sizeof row.organisation, "%s", pf->person.organisation);
            row.plan_id = in->plan_id;
        }
    } else if (in->kind == FOW_APPLICANT_ENTERPRISE) {
        if (is_self(c)) rc = bad(err, "applicant", "a person applies only for themselves%s", "");
        if (!rc) rc = check_text(in->enterprise_name, FOW_ENTERPRISE_NAME_MAX, false, "enterprise", err);
        if (!rc && !fow_registration_code_valid(in->registration_code))
            rc = bad(err, "registration_code",
                     "registration_code '%s' is not a valid CUI (2 to 10 digits, 'RO' allowed, the last a "
                     "control digit)",
                     in->registration_code ? in->registration_code : "");
        if (!rc) {
            snprintf(row.enterprise_name, sizeof row.enterprise_name, "%s", in->enterprise_name);
            const char *digits = in->registration_code;
            if (digits[0] == 'R') digits += 2;
            snprintf(row.enterprise_code, sizeof row.enterprise_code, "%s", digits);
        }
    } else {
        rc = bad(err, "applicant", "the applicant must be a person or an enterprise%s", "");
    }
    snprintf(row.kind, sizeof row.kind, "%s", fow_applicant_kind_name(in->kind));
    fow_jw ev;
    fow_jw_init(&ev, -1);
    if (!rc && !(rc = fow_db_begin(c->db, err))) {
        call_row call;
        bool found = false, eligible = false;
        fow_budget_line line;
        call_value_row *values = NULL;
        size_t n_values = 0;
        long long existing = 0;
        rc = calls_store_call_get(c->db, call_id, &call, &found, err);
        if (!rc && !found) rc = not_found(err, "call", "call", call_id);
        if (!rc && strcmp(call_state(&call, c->now), "open") != 0)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "call", "call %lld is %s: it takes applications from %s "
                                  "to %s", call_id, call_state(&call, c->now), call.opens_on, call.closes_on);
        if (!rc) rc = fow_budget_line_get(c->db, call.budget_line_id, &line, err);
        if (!rc) rc = calls_store_values(c->db, call_id, &values, &n_values, err);
        const call_value_row *value = NULL;
        for (size_t i = 0; !rc && i < n_values; i++)
            if (strcmp(values[i].applicant, row.kind) == 0) value = &values[i];
        if (!rc && !value)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "applicant", "call %lld takes no application from an %s",
                                  call_id, row.kind);
        if (!rc) {
            bool fixed = strcmp(value->mode, "fixed") == 0;
            if (in->requested_minor == 0) row.requested_minor = value->amount_minor;
            else if (fixed && in->requested_minor != value->amount_minor)
                rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "amount",
                                      "the call's voucher is a fixed %lld (minor units of %s); %lld was asked",
                                      value->amount_minor, line.currency, in->requested_minor);
            else if (in->requested_minor > value->amount_minor)
                rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "amount",
                                      "the call's voucher is at most %lld (minor units of %s); %lld was asked",
                                      value->amount_minor, line.currency, in->requested_minor);
            else row.requested_minor = in->requested_minor;
        }
        if (!rc) rc = calls_store_application_find(c->db, call_id, row.person[0] ? row.person : NULL,
                                                   row.enterprise_code[0] ? row.enterprise_code : NULL, &existing, err);
        if (!rc && existing)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "applicant",
                                  "this applicant has applied to call %lld already (application %lld)", call_id,
                                  existing);
        if (!rc) rc = evaluate(c, &call, &line, in->kind, pf, row.enterprise_code, &ev, &eligible, err);
        if (!rc && fow_jw_failed(&ev)) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        if (!rc) {
            row.submitted_at = c->now;
            snprintf(row.submitted_by, sizeof row.submitted_by, "%s", c->actor);
            snprintf(row.status, sizeof row.status, "submitted");
            rc = calls_store_application_insert(c->db, &row, in->proposal, application_id, err);
        }
        char detail[160];
        if (!rc) {
            snprintf(detail, sizeof detail, "%s%s", in->plan_id > 0 ? "from plan " : "submitted",
                     in->plan_id > 0 ? "" : "");
            if (in->plan_id > 0) snprintf(detail, sizeof detail, "submitted from plan %lld", in->plan_id);
            rc = calls_store_history_add(c->db, *application_id, c->now, c->actor, "submitted", detail, err);
        }
        const char *status = eligible ? "eligible" : "ineligible";
        if (!rc) rc = calls_store_application_set_status(c->db, *application_id, status, fow_jw_text(&ev, NULL),
                                                         c->now, err);
        if (!rc)
            rc = calls_store_history_add(c->db, *application_id, c->now, c->actor, status,
                                         eligible ? "every eligibility rule passed"
                                                  : "an eligibility rule failed or could not be checked",
                                         err);
        if (!rc) rc = fow_db_commit(c->db, err);
        if (rc) fow_db_rollback(c->db);
        free(values);
    }
    fow_jw_free(&ev);
    sodium_memzero(pf, sizeof *pf);
    free(pf);
    return rc;
}

/* ---- reading applications ------------------------------------------------------------ */

/* The application, checked against who views it; *call the call's row. */
static fow_code load_application(const fow_calls_ctx *c, long long id, fow_calls_viewer viewer, application_row *app,
                                 call_row *call, fow_error *err) {
    bool found = false;
    fow_code rc = calls_store_application_get(c->db, id, app, &found, err);
    if (rc) return rc;
    if (!found) return not_found(err, "application", "application", id);
    if (viewer == FOW_CALLS_VIEW_APPLICANT &&
        (!is_self(c) || strcmp(app->person, c->staff->self) != 0)) {
        calls_store_application_free(app);
        return not_found(err, "application", "application", id);
    }
    if ((rc = calls_store_call_get(c->db, app->call_id, call, &found, err)) || !found) {
        calls_store_application_free(app);
        return rc ? rc : fow_error_set(err, FOW_EDB, "application %lld names no call", id);
    }
    if (viewer == FOW_CALLS_VIEW_JUROR) {
        bool juror = false;
        if ((rc = calls_store_is_juror(c->db, app->call_id, c->actor ? c->actor : "", &juror, err)) || !juror) {
            calls_store_application_free(app);
            return rc ? rc
                      : fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "juror", "%s is not on the jury of call %lld",
                                         c->actor ? c->actor : "", app->call_id);
        }
    }
    return FOW_OK;
}

static void write_applicant(fow_jw *w, const application_row *a, fow_calls_viewer viewer) {
    fow_jw_key(w, "applicant");
    fow_jw_object(w);
    fow_jw_kstring(w, "kind", a->kind);
    if (strcmp(a->kind, "person") == 0) {
        if (viewer != FOW_CALLS_VIEW_JUROR) fow_jw_kstring(w, "person", a->person);
        if (viewer == FOW_CALLS_VIEW_OFFICE && a->plan_id > 0) fow_jw_kint(w, "plan", a->plan_id);
    } else {
        fow_jw_key(w, "enterprise");
        fow_jw_object(w);
        fow_jw_kstring(w, "name", a->enterprise_name);
        fow_jw_kstring(w, "registration_code", a->enterprise_code);
        fow_jw_object_end(w);
    }
    fow_jw_object_end(w);
}

static void write_award(fow_jw *w, const award_row *a, bool found) {
    fow_jw_key(w, "decision");
    if (!found) {
        fow_jw_null(w);
        return;
    }
    fow_jw_object(w);
    fow_jw_kint(w, "id", a->id);
    fow_jw_kstring(w, "decision", a->decision);
    if (strcmp(a->decision, "awarded") == 0) write_money(w, "value", a->value_minor, a->currency);
    fow_jw_kstring(w, "reason", a->reason);
    if (a->rank_position > 0) fow_jw_kint(w, "rank", a->rank_position);
    fow_jw_key(w, "decided_at");
    write_time(w, a->decided_at);
    fow_jw_kstring(w, "decided_by", a->decided_by);
    if (a->voucher_id > 0) fow_jw_kint(w, "voucher", a->voucher_id);
    else fow_jw_knull(w, "voucher");
    fow_jw_object_end(w);
}

/* "voucher": the voucher an award issued {id, code, status, valid_from,
 * valid_until}, or null. */
static void write_voucher_ref(fow_jw *w, const fow_voucher *v) {
    fow_jw_key(w, "voucher");
    if (!v) {
        fow_jw_null(w);
        return;
    }
    fow_jw_object(w);
    fow_jw_kint(w, "id", v->id);
    fow_jw_kstring(w, "code", v->code);
    fow_jw_kstring(w, "status", v->status);
    fow_jw_kstring(w, "valid_from", v->valid_from);
    fow_jw_kstring(w, "valid_until", v->valid_until);
    fow_jw_object_end(w);
}

/* The code of criterion id among criteria. */
static const char *criterion_code(const call_criterion_row *cr, size_t n, long long id) {
    for (size_t i = 0; i < n; i++)
        if (cr[i].id == id) return cr[i].code;
    return "?";
}

static void write_scores(fow_jw *w, const score_row *s, size_t n, const call_criterion_row *cr, size_t n_cr,
                         fow_calls_viewer viewer, const char *actor, long long application_id) {
    fow_jw_key(w, "scores");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) {
        if (s[i].application_id != application_id) continue;
        if (viewer == FOW_CALLS_VIEW_JUROR && strcmp(s[i].juror, actor) != 0) continue;
        fow_jw_object(w);
        fow_jw_kstring(w, "juror", s[i].juror);
        fow_jw_kstring(w, "criterion", criterion_code(cr, n_cr, s[i].criterion_id));
        fow_jw_kint(w, "score", s[i].score);
        fow_jw_kstring(w, "comment", s[i].comment);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
}

fow_code fow_calls_application_write(const fow_calls_ctx *c, long long application_id, fow_calls_viewer viewer,
                                     fow_jw *w, fow_error *err) {
    fow_code rc = check_ctx(c, viewer == FOW_CALLS_VIEW_JUROR, err);
    if (rc || (rc = fow_db_read_begin(c->db, err))) return rc;
    application_row app;
    call_row call;
    rc = load_application(c, application_id, viewer, &app, &call, err);
    if (rc) {
        fow_db_read_end(c->db);
        return rc;
    }
    fow_budget_line line;
    application_history_row *hist = NULL;
    score_row *scores = NULL;
    call_criterion_row *cr = NULL;
    size_t n_hist = 0, n_scores = 0, n_cr = 0;
    award_row award;
    bool has_award = false, conflict = false;
    rc = fow_budget_line_get(c->db, call.budget_line_id, &line, err);
    if (!rc) rc = calls_store_history(c->db, application_id, &hist, &n_hist, err);
    if (!rc) rc = calls_store_scores_of_application(c->db, application_id, &scores, &n_scores, err);
    if (!rc) rc = calls_store_criteria(c->db, call.id, &cr, &n_cr, err);
    if (!rc) rc = calls_store_award_latest(c->db, application_id, &award, &has_award, err);
    if (!rc && viewer == FOW_CALLS_VIEW_JUROR) rc = calls_store_has_conflict(c->db, application_id, c->actor, &conflict, err);
    fow_voucher *voucher = NULL;
    if (!rc && has_award && award.voucher_id > 0 && viewer != FOW_CALLS_VIEW_JUROR) {
        if (!(voucher = malloc(sizeof *voucher))) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        else rc = fow_voucher_get(c->db, award.voucher_id, voucher, err);
    }
    fow_db_read_end(c->db);
    if (!rc) {
        fow_jw_object(w);
        fow_jw_kint(w, "id", app.id);
        fow_jw_key(w, "call");
        fow_jw_object(w);
        fow_jw_kint(w, "id", call.id);
        write_title(w, "title", call.title_en, call.title_ro);
        fow_jw_object_end(w);
        write_applicant(w, &app, viewer);
        write_money(w, "requested", app.requested_minor, line.currency);
        fow_jw_kstring(w, "proposal", app.proposal);
        fow_jw_kstring(w, "status", app.status);
        fow_jw_key(w, "submitted_at");
        write_time(w, app.submitted_at);
        if (viewer != FOW_CALLS_VIEW_JUROR) fow_jw_kstring(w, "submitted_by", app.submitted_by);
        fow_jw_key(w, "eligibility");
        json_error_t jerr;
        json_t *ev = json_loads(app.eligibility, 0, &jerr);
        if (ev) fow_jw_json(w, ev);
        else fow_jw_null(w);
        json_decref(ev);
        if (viewer == FOW_CALLS_VIEW_JUROR) fow_jw_kbool(w, "conflict", conflict);
        if (viewer != FOW_CALLS_VIEW_APPLICANT)
            write_scores(w, scores, n_scores, cr, n_cr, viewer, c->actor ? c->actor : "", application_id);
        write_award(w, &award, has_award);
        if (viewer != FOW_CALLS_VIEW_JUROR) write_voucher_ref(w, voucher);
        fow_jw_key(w, "history");
        fow_jw_array(w);
        for (size_t i = 0; i < n_hist; i++) {
            fow_jw_object(w);
            fow_jw_key(w, "at");
            write_time(w, hist[i].at);
            fow_jw_kstring(w, "actor", viewer == FOW_CALLS_VIEW_OFFICE ? hist[i].actor : "");
            fow_jw_kstring(w, "status", hist[i].status);
            fow_jw_kstring(w, "detail", hist[i].detail);
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
        fow_jw_object_end(w);
    }
    calls_store_application_free(&app);
    free(voucher);
    free(hist);
    free(scores);
    free(cr);
    return finish(w, rc, err);
}

fow_code fow_calls_applications_write(const fow_calls_ctx *c, long long call_id, fow_calls_viewer viewer, fow_jw *w,
                                      fow_error *err) {
    fow_code rc = check_ctx(c, viewer == FOW_CALLS_VIEW_JUROR, err);
    if (rc) return rc;
    if (viewer == FOW_CALLS_VIEW_APPLICANT)
        return bad(err, "viewer", "an applicant reads their own applications only%s", "");
    if ((rc = fow_db_read_begin(c->db, err))) return rc;
    call_row call;
    bool found = false;
    fow_budget_line line;
    application_row *apps = NULL;
    score_row *scores = NULL;
    conflict_row *conflicts = NULL;
    call_criterion_row *cr = NULL;
    size_t n_apps = 0, n_scores = 0, n_conflicts = 0, n_cr = 0;
    rc = calls_store_call_get(c->db, call_id, &call, &found, err);
    if (!rc && !found) rc = not_found(err, "call", "call", call_id);
    if (!rc && viewer == FOW_CALLS_VIEW_JUROR) {
        bool juror = false;
        rc = calls_store_is_juror(c->db, call_id, c->actor, &juror, err);
        if (!rc && !juror)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "juror", "%s is not on the jury of call %lld", c->actor,
                                  call_id);
    }
    if (!rc) rc = fow_budget_line_get(c->db, call.budget_line_id, &line, err);
    if (!rc) rc = calls_store_applications_of_call(c->db, call_id, &apps, &n_apps, err);
    if (!rc) rc = calls_store_scores_of_call(c->db, call_id, &scores, &n_scores, err);
    if (!rc) rc = calls_store_conflicts_of_call(c->db, call_id, &conflicts, &n_conflicts, err);
    if (!rc) rc = calls_store_criteria(c->db, call_id, &cr, &n_cr, err);
    fow_db_read_end(c->db);
    if (!rc) {
        fow_jw_object(w);
        fow_jw_kint(w, "call", call_id);
        fow_jw_kstring(w, "viewer", viewer == FOW_CALLS_VIEW_OFFICE ? "office" : "juror");
        fow_jw_key(w, "applications");
        fow_jw_array(w);
        for (size_t i = 0; i < n_apps; i++) {
            const application_row *a = &apps[i];
            /* a juror sees the applications they may score, and those they are conflicted with marked */
            if (viewer == FOW_CALLS_VIEW_JUROR && strcmp(a->status, "ineligible") == 0) continue;
            fow_jw_object(w);
            fow_jw_kint(w, "id", a->id);
            write_applicant(w, a, viewer);
            write_money(w, "requested", a->requested_minor, line.currency);
            fow_jw_kstring(w, "status", a->status);
            fow_jw_key(w, "submitted_at");
            write_time(w, a->submitted_at);
            fow_jw_kbool(w, "eligible", strcmp(a->status, "ineligible") != 0 && strcmp(a->status, "submitted") != 0);
            long long jurors = 0;
            const char *last = "";
            for (size_t k = 0; k < n_scores; k++)
                if (scores[k].application_id == a->id && strcmp(scores[k].juror, last) != 0) {
                    jurors++;
                    last = scores[k].juror;
                }
            fow_jw_kint(w, "scored_by", jurors);
            if (viewer == FOW_CALLS_VIEW_JUROR) {
                bool conflict = false;
                for (size_t k = 0; k < n_conflicts; k++)
                    if (conflicts[k].application_id == a->id && strcmp(conflicts[k].juror, c->actor) == 0)
                        conflict = true;
                fow_jw_kbool(w, "conflict", conflict);
            } else {
                fow_jw_key(w, "conflicts");
                fow_jw_array(w);
                for (size_t k = 0; k < n_conflicts; k++)
                    if (conflicts[k].application_id == a->id) {
                        fow_jw_object(w);
                        fow_jw_kstring(w, "juror", conflicts[k].juror);
                        fow_jw_kstring(w, "reason", conflicts[k].reason);
                        fow_jw_object_end(w);
                    }
                fow_jw_array_end(w);
            }
            write_scores(w, scores, n_scores, cr, n_cr, viewer, c->actor ? c->actor : "", a->id);
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
        fow_jw_object_end(w);
    }
    free(apps);
    free(scores);
    free(conflicts);
    free(cr);
    return finish(w, rc, err);
}

fow_code fow_calls_person_applications_write(const fow_calls_ctx *c, const char *person, fow_jw *w, fow_error *err) {
    fow_code rc = check_ctx(c, false, err);
    if (rc) return rc;
    if (!c->people || !c->staff) return fow_error_set(err, FOW_EINTERNAL, "people records are not open");
    if (!person || strlen(person) != FOW_PERSON_ID_CHARS)
        return bad(err, "person", "person must be a person's id ('p' and 26 characters)%s", "");
    if (is_self(c)) {
        if (strcmp(person, c->staff->self) != 0)
            return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "person", "no person %s", person);
    } else {
        fow_error inner;
        fow_error_clear(&inner);
        rc = fow_people_require_consent(c->people, c->staff, person, FOW_PURPOSE_VOUCHERS, &inner);
        if (rc && !(rc == FOW_EINPUT && strcmp(inner.field, "consent") == 0)) {
            if (err) *err = inner;
            return rc;
        }
    }
    if ((rc = fow_db_read_begin(c->db, err))) return rc;
    application_row *apps = NULL;
    size_t n = 0;
    rc = calls_store_applications_of_person(c->db, person, &apps, &n, err);
    if (!rc) {
        fow_jw_object(w);
        fow_jw_kstring(w, "person", person);
        fow_jw_key(w, "applications");
        fow_jw_array(w);
    }
    for (size_t i = 0; !rc && i < n; i++) {
        call_row call;
        bool found = false, has_award = false;
        fow_budget_line line;
        award_row award;
        rc = calls_store_call_get(c->db, apps[i].call_id, &call, &found, err);
        if (!rc) rc = fow_budget_line_get(c->db, call.budget_line_id, &line, err);
        if (!rc) rc = calls_store_award_latest(c->db, apps[i].id, &award, &has_award, err);
        if (rc) break;
        fow_jw_object(w);
        fow_jw_kint(w, "id", apps[i].id);
        fow_jw_key(w, "call");
        fow_jw_object(w);
        fow_jw_kint(w, "id", call.id);
        write_title(w, "title", call.title_en, call.title_ro);
        fow_jw_object_end(w);
        fow_jw_kstring(w, "status", apps[i].status);
        write_money(w, "requested", apps[i].requested_minor, line.currency);
        fow_jw_key(w, "submitted_at");
        write_time(w, apps[i].submitted_at);
        write_award(w, &award, has_award);
        // the voucher the award issued, so that the applicant's list links to it
        fow_voucher voucher;
        bool has_voucher = has_award && award.voucher_id > 0;
        if (has_voucher && (rc = fow_voucher_get(c->db, award.voucher_id, &voucher, err))) break;
        write_voucher_ref(w, has_voucher ? &voucher : NULL);
        fow_jw_object_end(w);
    }
    fow_db_read_end(c->db);
    if (!rc) {
        fow_jw_array_end(w);
        fow_jw_object_end(w);
    }
    free(apps);
    return finish(w, rc, err);
}

/* ---- the jury ---------------------------------------------------------------------- */

fow_code fow_calls_juror_add(const fow_calls_ctx *c, long long call_id, const char *juror, fow_error *err) {
    fow_code rc = check_ctx(c, true, err);
    if (rc) return rc;
    fow_user user;
    fow_error inner;
    fow_error_clear(&inner);
    if (!juror || !juror[0]) return bad(err, "juror", "juror must be an account's name%s", "");
    rc = fow_accounts_user_get(c->db, juror, &user, &inner);
    if (rc == FOW_ENOTFOUND)
        return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "juror", "no account named '%s'", juror);
    if (rc) {
        if (err) *err = inner;
        return rc;
    }
    if (user.role != FOW_ROLE_JUROR)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "juror",
                                "account '%s' has the role %s; a jury takes accounts of the role juror", user.name,
                                user.role_name);
    if ((rc = fow_db_begin(c->db, err))) return rc;
    call_row call;
    bool found = false, already = false;
    rc = calls_store_call_get(c->db, call_id, &call, &found, err);
    if (!rc && !found) rc = not_found(err, "call", "call", call_id);
    if (!rc) rc = calls_store_is_juror(c->db, call_id, user.name, &already, err);
    if (!rc && already)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "juror", "%s is on the jury of call %lld already", user.name,
                              call_id);
    if (!rc) rc = calls_store_juror_insert(c->db, call_id, user.name, c->now, c->actor, err);
    if (!rc) rc = fow_db_commit(c->db, err);
    if (rc) fow_db_rollback(c->db);
    return rc;
}

fow_code fow_calls_jurors_write(const fow_calls_ctx *c, long long call_id, fow_jw *w, fow_error *err) {
    fow_code rc = check_ctx(c, false, err);
    if (rc || (rc = fow_db_read_begin(c->db, err))) return rc;
    call_row call;
    bool found = false;
    juror_row *jurors = NULL;
    conflict_row *conflicts = NULL;
    score_row *scores = NULL;
    size_t n_j = 0, n_c = 0, n_s = 0;
    rc = calls_store_call_get(c->db, call_id, &call, &found, err);
    if (!rc && !found) rc = not_found(err, "call", "call", call_id);
    if (!rc) rc = calls_store_jurors(c->db, call_id, &jurors, &n_j, err);
    if (!rc) rc = calls_store_conflicts_of_call(c->db, call_id, &conflicts, &n_c, err);
    if (!rc) rc = calls_store_scores_of_call(c->db, call_id, &scores, &n_s, err);
    fow_db_read_end(c->db);
    if (!rc) {
        fow_jw_object(w);
        fow_jw_kint(w, "call", call_id);
        fow_jw_key(w, "jurors");
        fow_jw_array(w);
        for (size_t i = 0; i < n_j; i++) {
            long long nc = 0, scored = 0, last = 0;
            for (size_t k = 0; k < n_c; k++) nc += strcmp(conflicts[k].juror, jurors[i].juror) == 0;
            for (size_t k = 0; k < n_s; k++)
                if (strcmp(scores[k].juror, jurors[i].juror) == 0 && scores[k].application_id != last) {
                    scored++;
                    last = scores[k].application_id;
                }
            fow_jw_object(w);
            fow_jw_kstring(w, "juror", jurors[i].juror);
            fow_jw_key(w, "added_at");
            write_time(w, jurors[i].added_at);
            fow_jw_kstring(w, "added_by", jurors[i].added_by);
            fow_jw_kint(w, "conflicts", nc);
            fow_jw_kint(w, "scored", scored);
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
        fow_jw_object_end(w);
    }
    free(jurors);
    free(conflicts);
    free(scores);
    return finish(w, rc, err);
}

/* Inside a write transaction: when app (eligible) is scored by every juror
 * of its call without a conflict on every criterion, sets it scored. */
static fow_code maybe_scored(const fow_calls_ctx *c, const application_row *app, fow_error *err) {
    if (strcmp(app->status, "eligible") != 0) return FOW_OK;
    juror_row *jurors = NULL;
    conflict_row *conflicts = NULL;
    score_row *scores = NULL;
    call_criterion_row *cr = NULL;
    size_t n_j = 0, n_c = 0, n_s = 0, n_cr = 0;
    fow_code rc = calls_store_jurors(c->db, app->call_id, &jurors, &n_j, err);
    if (!rc) rc = calls_store_conflicts_of_call(c->db, app->call_id, &conflicts, &n_c, err);
    if (!rc) rc = calls_store_scores_of_application(c->db, app->id, &scores, &n_s, err);
    if (!rc) rc = calls_store_criteria(c->db, app->call_id, &cr, &n_cr, err);
    size_t scoring = 0;
    bool complete = !rc;
    for (size_t j = 0; complete && j < n_j; j++) {
        bool conflicted = false;
        for (size_t k = 0; k < n_c; k++)
            if (conflicts[k].application_id == app->id && strcmp(conflicts[k].juror, jurors[j].juror) == 0)
                conflicted = true;
        if (conflicted) continue;
        scoring++;
        size_t have = 0;
        for (size_t k = 0; k < n_s; k++) have += strcmp(scores[k].juror, jurors[j].juror) == 0;
        if (have < n_cr) complete = false;
    }
    if (complete && scoring > 0) {
        char detail[96];
        snprintf(detail, sizeof detail, "scored by every juror without a conflict (%zu)", scoring);
        rc = calls_store_application_set_status(c->db, app->id, "scored", NULL, c->now, err);
        if (!rc) rc = calls_store_history_add(c->db, app->id, c->now, c->actor, "scored", detail, err);
    }
    free(jurors);
    free(conflicts);
    free(scores);
    free(cr);
    return rc;
}

/* Begins a write transaction with application_id loaded and c->actor
 * checked to be on its call's jury. */
static fow_code begin_juror(const fow_calls_ctx *c, long long application_id, application_row *app, fow_error *err) {
    fow_code rc = check_ctx(c, true, err);
    if (rc || (rc = fow_db_begin(c->db, err))) return rc;
    bool found = false, juror = false;
    rc = calls_store_application_get(c->db, application_id, app, &found, err);
    if (!rc && !found) rc = not_found(err, "application", "application", application_id);
    if (!rc) rc = calls_store_is_juror(c->db, app->call_id, c->actor, &juror, err);
    if (!rc && !juror)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "juror", "%s is not on the jury of call %lld", c->actor,
                              app->call_id);
    if (rc) {
        fow_db_rollback(c->db);
        calls_store_application_free(app);
    }
    return rc;
}

fow_code fow_calls_conflict_declare(const fow_calls_ctx *c, long long application_id, const char *reason,
                                    fow_error *err) {
    fow_code rc = check_text(reason, FOW_CALL_REASON_MAX, false, "reason", err);
    if (rc) return rc;
    application_row app;
    if ((rc = begin_juror(c, application_id, &app, err))) return rc;
    bool already = false;
    long long removed = 0;
    rc = calls_store_has_conflict(c->db, application_id, c->actor, &already, err);
    if (!rc && already)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "conflict",
                              "%s declared a conflict with application %lld already", c->actor, application_id);
    if (!rc) {
        conflict_row row = {.application_id = application_id, .declared_at = c->now};
        snprintf(row.juror, sizeof row.juror, "%s", c->actor);
        snprintf(row.reason, sizeof row.reason, "%s", reason);
        rc = calls_store_conflict_insert(c->db, &row, err);
    }
    if (!rc) rc = calls_store_scores_delete(c->db, application_id, c->actor, &removed, err);
    if (!rc) {
        char detail[FOW_CALL_REASON_MAX + 64];
        snprintf(detail, sizeof detail, "conflict of interest declared by a juror%s", removed ? "; their scores withdrawn" : "");
        rc = calls_store_history_add(c->db, application_id, c->now, c->actor, app.status, detail, err);
    }
    if (!rc) rc = maybe_scored(c, &app, err);
    if (!rc) rc = fow_db_commit(c->db, err);
    if (rc) fow_db_rollback(c->db);
    calls_store_application_free(&app);
    return rc;
}

fow_code fow_calls_score(const fow_calls_ctx *c, long long application_id, const fow_score_input *scores, size_t n,
                         fow_error *err) {
    if (!scores || n == 0) return bad(err, "score", "no score given%s", "");
    application_row app;
    fow_code rc = begin_juror(c, application_id, &app, err);
    if (rc) return rc;
    bool conflict = false;
    call_criterion_row *cr = NULL;
    size_t n_cr = 0;
    rc = calls_store_has_conflict(c->db, application_id, c->actor, &conflict, err);
    if (!rc && conflict)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "conflict",
                              "%s declared a conflict of interest with application %lld and cannot score it",
                              c->actor, application_id);
    if (!rc && strcmp(app.status, "eligible") != 0 && strcmp(app.status, "scored") != 0)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "status",
                              "application %lld is %s; only eligible applications are scored", application_id,
                              app.status);
    if (!rc) rc = calls_store_criteria(c->db, app.call_id, &cr, &n_cr, err);
    char detail[256] = "scored:";
    size_t used = strlen(detail);
    for (size_t i = 0; !rc && i < n; i++) {
        const call_criterion_row *crit = NULL;
        for (size_t k = 0; k < n_cr; k++)
            if (scores[i].criterion && strcmp(cr[k].code, scores[i].criterion) == 0) crit = &cr[k];
        if (!crit) {
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "criterion", "call %lld has no criterion '%s'",
                                  app.call_id, scores[i].criterion ? scores[i].criterion : "");
            break;
        }
        if (scores[i].score < 0 || scores[i].score > crit->max_score) {
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "score", "the score of %s must be 0 to %d, not %d",
                                  crit->code, crit->max_score, scores[i].score);
            break;
        }
        if (scores[i].comment && scores[i].comment[0] &&
            (rc = check_text(scores[i].comment, FOW_CALL_REASON_MAX, true, "comment", err)))
            break;
        score_row row = {.application_id = application_id, .criterion_id = crit->id, .score = scores[i].score,
                         .scored_at = c->now};
        snprintf(row.juror, sizeof row.juror, "%s", c->actor);
        snprintf(row.comment, sizeof row.comment, "%s", scores[i].comment ? scores[i].comment : "");
        rc = calls_store_score_put(c->db, &row, err);
        if (!rc && used < sizeof detail) {
            int k = snprintf(detail + used, sizeof detail - used, " %s %d/%d", crit->code, scores[i].score,
                             crit->max_score);
            if (k > 0) used += (size_t)k;
        }
    }
    if (!rc) rc = calls_store_history_add(c->db, application_id, c->now, c->actor, app.status, detail, err);
    if (!rc) rc = maybe_scored(c, &app, err);
    if (!rc) rc = fow_db_commit(c->db, err);
    if (rc) fow_db_rollback(c->db);
    free(cr);
    calls_store_application_free(&app);
    return rc;
}

/* ---- ranking ------------------------------------------------------------------------- */

typedef struct ranked {
    const application_row *app;
    long long micro;           /* weighted score x 1,000,000 */
    long long sum[FOW_CALL_CRITERIA_MAX], count[FOW_CALL_CRITERIA_MAX];
    long long jurors;
    bool complete;             /* every criterion has a score */
} ranked;

typedef struct ranking {
    call_row call;
    fow_budget_line line;
    call_criterion_row *cr;
    size_t n_cr;
    size_t order[FOW_CALL_CRITERIA_MAX]; /* criteria by weight (heaviest first), then position */
    application_row *apps;
    size_t n_apps;
    ranked *r;        /* n_apps, ranked ones first in rank order */
    size_t n_ranked;
    long long unissued;
} ranking;

static void ranking_free(ranking *k) {
    free(k->cr);
    free(k->apps);
    free(k->r);
    memset(k, 0, sizeof *k);
}

static _Thread_local const ranking *sort_ranking;

static int by_rank(const void *pa, const void *pb) {
    const ranked *a = pa, *b = pb;
    if (a->complete != b->complete) return a->complete ? -1 : 1;
    if (a->micro != b->micro) return a->micro > b->micro ? -1 : 1;
    for (size_t i = 0; i < sort_ranking->n_cr; i++) {
        size_t c = sort_ranking->order[i];
        /* the means compared exactly: sa/ca against sb/cb */
        long long l = a->sum[c] * b->count[c], r = b->sum[c] * a->count[c];
        if (l != r) return l > r ? -1 : 1;
    }
    if (a->app->submitted_at != b->app->submitted_at) return a->app->submitted_at < b->app->submitted_at ? -1 : 1;
    return a->app->id < b->app->id ? -1 : a->app->id > b->app->id;
}

/* Whether an application's status puts it in the ranking (it was scored). */
static bool rankable(const char *status) {
    return strcmp(status, "scored") == 0 || strcmp(status, "awarded") == 0 || strcmp(status, "waitlisted") == 0 ||
           strcmp(status, "rejected") == 0;
}

/* Computes the ranking of call_id inside the caller's transaction. */
static fow_code rank_compute(const fow_calls_ctx *c, long long call_id, ranking *k, fow_error *err) {
    memset(k, 0, sizeof *k);
    bool found = false;
    score_row *scores = NULL;
    size_t n_scores = 0;
    fow_code rc = calls_store_call_get(c->db, call_id, &k->call, &found, err);
    if (!rc && !found) rc = not_found(err, "call", "call", call_id);
    if (!rc) rc = fow_budget_line_get(c->db, k->call.budget_line_id, &k->line, err);
    if (!rc) rc = calls_store_criteria(c->db, call_id, &k->cr, &k->n_cr, err);
    if (!rc) rc = calls_store_applications_of_call(c->db, call_id, &k->apps, &k->n_apps, err);
    if (!rc) rc = calls_store_scores_of_call(c->db, call_id, &scores, &n_scores, err);
    if (!rc) rc = calls_store_awarded_unissued(c->db, k->call.budget_line_id, &k->unissued, err);
    if (!rc && k->n_apps && !(k->r = calloc(k->n_apps, sizeof *k->r))) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    if (rc) {
        free(scores);
        return rc;
    }
    for (size_t i = 0; i < k->n_cr; i++) k->order[i] = i;
    for (size_t i = 1; i < k->n_cr; i++) /* insertion sort: heaviest first, stable by position */
        for (size_t j = i; j > 0 && k->cr[k->order[j]].weight > k->cr[k->order[j - 1]].weight; j--) {
            size_t t = k->order[j];
            k->order[j] = k->order[j - 1];
            k->order[j - 1] = t;
        }
    size_t n = 0;
    for (size_t i = 0; i < k->n_apps; i++) {
        ranked *r = &k->r[n++];
        r->app = &k->apps[i];
        const char *last = "";
        for (size_t s = 0; s < n_scores; s++) {
            if (scores[s].application_id != r->app->id) continue;
            if (strcmp(scores[s].juror, last) != 0) {
                r->jurors++;
                last = scores[s].juror;
            }
            for (size_t ci = 0; ci < k->n_cr; ci++)
                if (k->cr[ci].id == scores[s].criterion_id) {
                    r->sum[ci] += scores[s].score;
                    r->count[ci]++;
                }
        }
        r->complete = rankable(r->app->status) && k->n_cr > 0;
        for (size_t ci = 0; ci < k->n_cr; ci++)
            if (r->count[ci] == 0) r->complete = false;
        if (r->complete) {
            /* sum over criteria of weight x mean / max, in millionths of a point (0..100) */
            long long micro = 0;
            for (size_t ci = 0; ci < k->n_cr; ci++)
                micro += (long long)k->cr[ci].weight * r->sum[ci] * 1000000LL /
                         (r->count[ci] * (long long)k->cr[ci].max_score);
            r->micro = micro;
            k->n_ranked++;
        } else {
            r->micro = -1;
        }
    }
    sort_ranking = k;
    qsort(k->r, n, sizeof *k->r, by_rank);
    sort_ranking = NULL;
    free(scores);
    return FOW_OK;
}

static void write_micro(fow_jw *w, const char *key, long long micro) {
    char buf[40];
    snprintf(buf, sizeof buf, "%lld.%06lld", micro / 1000000, micro % 1000000);
    fow_jw_key(w, key);
    fow_jw_real(w, strtod(buf, NULL));
}

fow_code fow_calls_rank_write(const fow_calls_ctx *c, long long call_id, fow_jw *w, fow_error *err) {
    fow_code rc = check_ctx(c, false, err);
    if (rc || (rc = fow_db_read_begin(c->db, err))) return rc;
    ranking k;
    rc = rank_compute(c, call_id, &k, err);
    fow_db_read_end(c->db);
    if (rc) {
        ranking_free(&k);
        return rc;
    }
    long long available = k.line.available_minor - k.unissued;
    fow_jw_object(w);
    fow_jw_kint(w, "call", call_id);
    fow_jw_kstring(w, "currency", k.line.currency);
    write_money(w, "available", available, k.line.currency);
    fow_jw_key(w, "available_explained");
    {
        char text[300];
        snprintf(text, sizeof text,
                 "%lld available on budget line %lld (ledger) less %lld awarded and not yet issued as vouchers",
                 (long long)k.line.available_minor, (long long)k.line.id, k.unissued);
        fow_msg_write(w, "calls.rank.available", text,
                      (fow_msg_param[]){FOW_MSG_I("line_available", k.line.available_minor),
                                        FOW_MSG_I("line", k.line.id), FOW_MSG_I("unissued", k.unissued),
                                        FOW_MSG_S("currency", k.line.currency)},
                      4);
    }
    fow_jw_key(w, "method");
    fow_msg_write(w, "calls.rank.method",
                  "Weighted score (0-100): the sum over criteria of weight x (mean of the jurors' scores / maximum "
                  "score), in millionths",
                  NULL, 0);
    fow_jw_key(w, "tie_breaks");
    fow_jw_array(w);
    fow_msg_write(w, "calls.rank.tie.criteria",
                  "Then the higher mean score on each criterion, heaviest weight first (then in the call's order)",
                  NULL, 0);
    fow_msg_write(w, "calls.rank.tie.submitted", "Then the earlier submission", NULL, 0);
    fow_msg_write(w, "calls.rank.tie.id", "Then the lower application number", NULL, 0);
    fow_jw_array_end(w);
    fow_jw_key(w, "ranked");
    fow_jw_array(w);
    long long cumulative = 0;
    for (size_t i = 0; i < k.n_ranked; i++) {
        const ranked *r = &k.r[i];
        fow_jw_object(w);
        fow_jw_kint(w, "rank", (long long)i + 1);
        fow_jw_kint(w, "id", r->app->id);
        write_micro(w, "weighted_score", r->micro);
        fow_jw_key(w, "criteria");
        fow_jw_array(w);
        for (size_t ci = 0; ci < k.n_cr; ci++) {
            fow_jw_object(w);
            fow_jw_kstring(w, "code", k.cr[ci].code);
            fow_jw_kreal(w, "mean", (double)r->sum[ci] / (double)r->count[ci]);
            fow_jw_kint(w, "max_score", k.cr[ci].max_score);
            fow_jw_kint(w, "weight", k.cr[ci].weight);
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
        fow_jw_kint(w, "jurors", r->jurors);
        write_money(w, "requested", r->app->requested_minor, k.line.currency);
        fow_jw_kstring(w, "status", r->app->status);
        bool open = strcmp(r->app->status, "scored") == 0 || strcmp(r->app->status, "waitlisted") == 0;
        if (open) {
            cumulative += r->app->requested_minor;
            fow_jw_kbool(w, "fits", cumulative <= available);
        } else {
            fow_jw_knull(w, "fits");
        }
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_key(w, "unranked");
    fow_jw_array(w);
    for (size_t i = k.n_ranked; i < k.n_apps; i++) {
        const ranked *r = &k.r[i];
        fow_jw_object(w);
        fow_jw_kint(w, "id", r->app->id);
        fow_jw_kstring(w, "status", r->app->status);
        fow_jw_key(w, "why");
        if (strcmp(r->app->status, "ineligible") == 0)
            fow_msg_write(w, "calls.unranked.ineligible", "Not eligible", NULL, 0);
        else if (strcmp(r->app->status, "rejected") == 0)
            fow_msg_write(w, "calls.unranked.rejected", "Rejected before it was scored", NULL, 0);
        else
            fow_msg_write(w, "calls.unranked.scoring", "Not yet scored by every juror without a conflict", NULL, 0);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_object_end(w);
    ranking_free(&k);
    return finish(w, FOW_OK, err);
}

/* ---- decisions --------------------------------------------------------------------- */

fow_code fow_calls_decide(const fow_calls_ctx *c, long long application_id, fow_award_decision decision,
                          long long value_minor, const char *reason, long long *award_id, fow_error *err) {
    fow_code rc = check_ctx(c, true, err);
    if (rc) return rc;
    if ((rc = check_text(reason, FOW_CALL_REASON_MAX, true, "reason", err))) return rc;
    if ((int)decision < FOW_DECISION_AWARD || decision > FOW_DECISION_WAITLIST)
        return bad(err, "decision", "decision must be award, reject or waitlist%s", "");
    if (value_minor < 0) return bad(err, "amount", "the value awarded must not be negative%s", "");
    if ((rc = fow_db_begin(c->db, err))) return rc;
    application_row app;
    bool found = false;
    ranking k;
    memset(&k, 0, sizeof k);
    rc = calls_store_application_get(c->db, application_id, &app, &found, err);
    if (!rc && !found) rc = not_found(err, "application", "application", application_id);
    if (!rc) {
        bool from_scored = strcmp(app.status, "scored") == 0 || strcmp(app.status, "waitlisted") == 0;
        bool ok = from_scored || (decision == FOW_DECISION_REJECT && strcmp(app.status, "eligible") == 0);
        if (decision == FOW_DECISION_WAITLIST && strcmp(app.status, "waitlisted") == 0) ok = false;
        if (!ok)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "status",
                                  "application %lld is %s: %s", application_id, app.status,
                                  decision == FOW_DECISION_REJECT
                                      ? "only eligible, scored or waitlisted applications are rejected"
                                      : decision == FOW_DECISION_AWARD
                                            ? "only scored or waitlisted applications are awarded"
                                            : "only scored applications are waitlisted");
    }
    if (!rc) rc = rank_compute(c, app.call_id, &k, err);
    award_row row;
    memset(&row, 0, sizeof row);
    if (!rc) {
        row.application_id = application_id;
        row.call_id = app.call_id;
        row.decided_at = c->now;
        row.weighted_score_micro = -1;
        snprintf(row.decided_by, sizeof row.decided_by, "%s", c->actor);
        snprintf(row.reason, sizeof row.reason, "%s", reason);
        snprintf(row.currency, sizeof row.currency, "%s", k.line.currency);
        for (size_t i = 0; i < k.n_ranked; i++)
            if (k.r[i].app->id == application_id) {
                row.rank_position = (long long)i + 1;
                row.weighted_score_micro = k.r[i].micro;
            }
        snprintf(row.decision, sizeof row.decision, "%s",
                 decision == FOW_DECISION_AWARD ? "awarded" : decision == FOW_DECISION_REJECT ? "rejected"
                                                                                               : "waitlisted");
    }
    if (!rc && decision == FOW_DECISION_AWARD) {
        long long value = value_minor ? value_minor : app.requested_minor;
        long long available = k.line.available_minor - k.unissued;
        if (value > app.requested_minor)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "amount",
                                  "the value awarded (%lld) is more than the %lld requested", value,
                                  app.requested_minor);
        else if (value > available)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "budget",
                                  "awarding %lld %s minor units would exceed budget line %lld: %lld available "
                                  "(%lld in the ledger less %lld awarded and not yet issued)",
                                  value, k.line.currency, (long long)k.line.id, available,
                                  (long long)k.line.available_minor, k.unissued);
        row.value_minor = value;
    }
    if (!rc) rc = calls_store_award_insert(c->db, &row, &row.id, err);
    if (!rc) rc = calls_store_application_set_status(c->db, application_id, row.decision, NULL, c->now, err);
    if (!rc) {
        char detail[FOW_CALL_REASON_MAX + 64];
        if (decision == FOW_DECISION_AWARD)
            snprintf(detail, sizeof detail, "awarded %lld %s minor units: %s", row.value_minor, row.currency, reason);
        else snprintf(detail, sizeof detail, "%s", reason);
        rc = calls_store_history_add(c->db, application_id, c->now, c->actor, row.decision, detail, err);
    }
    call_row call;
    bool call_found = false;
    if (!rc && decision == FOW_DECISION_AWARD && current_issuer) {
        rc = calls_store_call_get(c->db, app.call_id, &call, &call_found, err);
        if (!rc && !call_found) rc = not_found(err, "call", "call", app.call_id);
    }
    if (!rc && decision == FOW_DECISION_AWARD && current_issuer) {
        fow_applicant_kind kind = strcmp(app.kind, "person") == 0 ? FOW_APPLICANT_PERSON : FOW_APPLICANT_ENTERPRISE;
        fow_calls_award a = {.award_id = row.id,
                             .application_id = application_id,
                             .call_id = app.call_id,
                             .budget_line_id = k.line.id,
                             .kind = kind,
                             .person = app.person,
                             .registration_code = app.enterprise_code,
                             .enterprise_name = app.enterprise_name,
                             .value_minor = row.value_minor,
                             .currency = k.line.currency,
                             .purpose = k.line.purpose,
                             .voucher_valid_months = call.voucher_valid_months,
                             .voucher_active = call.voucher_active != 0,
                             .voucher_min_attendance = call.voucher_min_attendance,
                             .people = c->people,
                             .actor = c->actor,
                             .now = c->now};
        long long voucher = 0;
        rc = current_issuer(c->db, &a, &voucher, err);
        if (!rc && voucher > 0) rc = calls_store_award_set_voucher(c->db, row.id, voucher, err);
        fow_voucher *v = !rc && voucher > 0 ? malloc(sizeof *v) : NULL;
        if (!rc && voucher > 0 && !v) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        if (v && !(rc = fow_voucher_get(c->db, voucher, v, err))) {
            char detail[160];
            /* not its code: the history is shown to the jury too */
            snprintf(detail, sizeof detail, "voucher %lld issued, %s, valid %s to %s", voucher, v->status,
                     v->valid_from, v->valid_until);
            rc = calls_store_history_add(c->db, application_id, c->now, c->actor, "awarded", detail, err);
        }
        free(v);
    }
    if (!rc) rc = fow_db_commit(c->db, err);
    if (rc) fow_db_rollback(c->db);
    else if (award_id) *award_id = row.id;
    ranking_free(&k);
    if (found) calls_store_application_free(&app);
    return rc;
}

/* ---- people's export and erasure ---------------------------------------------------- */

static fow_code export_applications(fow_db *db, const char *id, fow_jw *w, fow_error *err) {
    application_row *apps = NULL;
    size_t n = 0;
    fow_code rc = calls_store_applications_of_person(db, id, &apps, &n, err);
    if (rc) return rc;
    fow_jw_array(w);
    for (size_t i = 0; !rc && i < n; i++) {
        application_row full;
        bool found = false;
        if ((rc = calls_store_application_get(db, apps[i].id, &full, &found, err)) || !found) break;
        fow_jw_object(w);
        fow_jw_kint(w, "id", full.id);
        fow_jw_kint(w, "call", full.call_id);
        fow_jw_kstring(w, "status", full.status);
        fow_jw_kint(w, "requested_minor_units", full.requested_minor);
        fow_jw_kstring(w, "proposal", full.proposal);
        fow_jw_key(w, "submitted_at");
        write_time(w, full.submitted_at);
        fow_jw_object_end(w);
        calls_store_application_free(&full);
    }
    fow_jw_array_end(w);
    free(apps);
    return rc;
}

static fow_code erase_applications(fow_db *db, const char *id, size_t *removed, fow_error *err) {
    return calls_store_person_blank(db, id, removed, err);
}

fow_code fow_calls_attach(fow_error *err) {
    static const fow_people_attachment attachment = {
        .key = "voucher_applications", .export_fn = export_applications, .erase_fn = erase_applications};
    return fow_people_attach(&attachment, err);
}

/* ---- fow check --------------------------------------------------------------------- */

/* Award a's voucher: it exists, is worth the value awarded, was issued
 * under the award's key and is the only voucher naming the award. */
static fow_code check_award_voucher(fow_db *db, const award_row *a, fow_check_result *check, fow_error *err) {
    check->checked++;
    fow_voucher *v = malloc(sizeof *v);
    if (!v) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    bool found = false;
    fow_code rc = vstore_voucher_get(db, a->voucher_id, v, &found, err);
    char key[48], ref[40];
    snprintf(key, sizeof key, "issue:award:%lld", a->id);
    snprintf(ref, sizeof ref, "award:%lld", a->id);
    int64_t by_key = 0, naming = 0;
    if (!rc) rc = vstore_voucher_id_by_issue_key(db, key, &by_key, err);
    if (!rc) rc = vstore_vouchers_with_award_ref(db, ref, &naming, err);
    if (rc) {
        free(v);
        return rc;
    }
    if (!found)
        fow_check_problem(check, "voucher_awards (id %lld): voucher %lld does not exist", a->id, a->voucher_id);
    else if (v->value_minor != a->value_minor)
        fow_check_problem(check, "voucher_awards (id %lld): awarded %lld but its voucher %lld is worth %" PRId64, a->id,
                          a->value_minor, a->voucher_id, v->value_minor);
    if (found && by_key != a->voucher_id)
        fow_check_problem(check, "voucher_awards (id %lld): voucher %lld was not issued under the award's key (%s)",
                          a->id, a->voucher_id, key);
    if (naming != 1)
        fow_check_problem(check, "voucher_awards (id %lld): %" PRId64 " vouchers name it (award_ref %s), not one", a->id,
                          naming, ref);
    free(v);
    return FOW_OK;
}

/* Award a fitted its budget line at the time: the line's available
 * balance before the award's voucher was issued (or, without a voucher,
 * at the decision's time) less the values awarded before it on the line
 * and never issued. unissued: those values, summed by the caller. */
static fow_code check_award_fits(fow_db *db, const award_row *a, long long unissued, fow_check_result *check,
                                 fow_error *err) {
    check->checked++;
    fow_ledger_account line_account;
    bool found = false;
    fow_code rc = vstore_account_find(db, "available", a->budget_line_id, &line_account, &found, err);
    if (rc) return rc;
    int64_t available = 0;
    if (found) {
        int64_t before_id = INT64_MAX, until = INT64_MAX;
        if (a->voucher_id > 0) {
            char key[48];
            snprintf(key, sizeof key, "issue:award:%lld", a->id);
            fow_ledger_transfer t;
            bool issued = false;
            if ((rc = vstore_transfer_by_key(db, key, &t, &issued, err))) return rc;
            if (issued) before_id = t.id;
            else until = a->decided_at;
        } else {
            until = a->decided_at;
        }
        if ((rc = vstore_balance_before(db, line_account.id, before_id, until, &available, err))) return rc;
    }
    if (a->value_minor > available - unissued)
        fow_check_problem(check, "voucher_awards (id %lld): awarded %lld %s but budget line %lld had %" PRId64
                                 " available then, less %lld awarded before it and not issued",
                          a->id, a->value_minor, a->currency, a->budget_line_id, available, unissued);
    return FOW_OK;
}

/* The totals awarded per call within its budget line's allocation. */
static fow_code check_call_budgets(fow_db *db, const award_row *awards, size_t n, fow_check_result *check,
                                   fow_error *err) {
    /* awards come by id: sum each call's in a second pass over the calls seen */
    for (size_t i = 0; i < n; i++) {
        bool first = true;
        for (size_t k = 0; k < i && first; k++) first = awards[k].call_id != awards[i].call_id;
        if (!first) continue;
        check->checked++;
        long long total = 0;
        for (size_t k = i; k < n; k++)
            if (awards[k].call_id == awards[i].call_id) total += awards[k].value_minor;
        fow_budget_line line;
        bool found = false;
        fow_code rc = vstore_line_get(db, awards[i].budget_line_id, &line, &found, err);
        if (rc) return rc;
        if (!found)
            fow_check_problem(check, "voucher_calls (id %lld): budget line %lld does not exist", awards[i].call_id,
                              awards[i].budget_line_id);
        else if (total > line.allocated_minor)
            fow_check_problem(check, "voucher_calls (id %lld): %lld %s awarded, more than the %" PRId64
                                     " allocated to its budget line %lld",
                              awards[i].call_id, total, awards[i].currency, line.allocated_minor,
                              awards[i].budget_line_id);
    }
    return FOW_OK;
}

fow_code fow_calls_check(fow_db *db, fow_check_report *report, fow_error *err) {
    bool own_snapshot = !fow_db_in_transaction(db);
    fow_code rc = own_snapshot ? fow_db_read_begin(db, err) : FOW_OK;
    if (rc) return rc;
    award_row *awards = NULL;
    size_t n = 0;
    bool began = fow_check_begin(report, "calls.award_vouchers",
                                 "every award with a voucher has exactly one voucher, worth the value awarded, issued "
                                 "under the award's key") &&
                 fow_check_begin(report, "calls.award_fits",
                                 "no award exceeded its budget line's available amount at the time (less what was "
                                 "awarded before it and not issued)") &&
                 fow_check_begin(report, "calls.conflicts", "no juror scored an application they declared a conflict "
                                                            "of interest with") &&
                 fow_check_begin(report, "calls.budget",
                                 "the values awarded in each call are within its budget line's allocation");
    if (!began) {
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        goto done;
    }
    /* each fow_check_begin may move the results: take them now */
    fow_check_result *vouchers = &report->results[report->n_results - 4], *fits = vouchers + 1, *conflicts = vouchers + 2,
                     *budget = vouchers + 3;
    if ((rc = calls_store_check_conflicts(db, conflicts, err))) goto done;
    if ((rc = calls_store_awards_awarded(db, &awards, &n, err))) goto done;
    for (size_t i = 0; !rc && i < n; i++) {
        if (awards[i].voucher_id > 0) rc = check_award_voucher(db, &awards[i], vouchers, err);
        long long unissued = 0;
        for (size_t k = 0; k < i; k++)
            if (awards[k].budget_line_id == awards[i].budget_line_id && awards[k].voucher_id == 0)
                unissued += awards[k].value_minor;
        if (!rc) rc = check_award_fits(db, &awards[i], unissued, fits, err);
    }
    if (!rc) rc = check_call_budgets(db, awards, n, budget, err);
done:
    free(awards);
    if (own_snapshot) fow_db_read_end(db);
    return rc;
}
