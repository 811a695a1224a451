/* labs_import.c — loading the labs file (fow_labs_import; docs/labs.md,
 * "The labs file") in one write transaction: each fow_lab_* write it calls
 * runs in a savepoint of it (fow_labs.c), so the first bad entry rolls the
 * whole file back. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labs/fow_labs.h"
#include "labs/labs_internal.h"
#include "labs/labs_store.h"
#include "training/fow_training.h"

static const char *get_string(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* An integer member, -1 when absent; -2 when present and not a whole
 * number from 0 to 10^9 (the caller reports the field). */
static long long get_int(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return -1;
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000000000LL)
        return -2;
    return json_integer_value(v);
}

/* Appends text to buf (cap bytes, NUL-terminated), truncating. */
static void append(char *buf, size_t cap, const char *text)
{
    size_t used = strlen(buf);
    size_t n = strlen(text);
    if (used + 1 >= cap)
        return;
    if (n > cap - used - 1)
        n = cap - used - 1;
    memcpy(buf + used, text, n);
    buf[used + n] = '\0';
}

/* Prefixes err's field and message with the JSON path of its entry and
 * names the file. */
static fow_code located(fow_error *err, const char *path, const char *prefix)
{
    char field[sizeof err->field] = "";
    append(field, sizeof field, prefix);
    if (err->field[0]) {
        append(field, sizeof field, ".");
        append(field, sizeof field, err->field);
    }
    memcpy(err->field, field, sizeof field);
    err->file[0] = '\0';
    append(err->file, sizeof err->file, path);
    char message[sizeof err->message] = "";
    append(message, sizeof message, prefix);
    append(message, sizeof message, ": ");
    append(message, sizeof message, err->message);
    memcpy(err->message, message, sizeof message);
    return err->code;
}

static fow_code bad(fow_error *err, const char *path, const char *field, const char *what)
{
    return fow_error_set_at(err, FOW_EINPUT, path, 0, 0, field, "%s: %s", field, what);
}

static int int_member(json_t *obj, const char *key, const char *path, const char *prefix, int *out, fow_error *err)
{
    long long v = get_int(obj, key);
    if (v == -2) {
        char field[256] = "";
        append(field, sizeof field, prefix);
        append(field, sizeof field, ".");
        append(field, sizeof field, key);
        bad(err, path, field, "must be a whole number from 0");
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* Writes one lab and its resources (inside the caller's transaction). */
static fow_code load_lab(fow_db *db, const fow_training_catalogue *cat, json_t *jl, size_t li, const char *path, long long now, size_t *n_resources,
                         fow_error *err)
{
    char prefix[128];
    snprintf(prefix, sizeof prefix, "labs[%zu]", li);
    if (!json_is_object(jl))
        return bad(err, path, prefix, "must be an object");
    const char *code = get_string(jl, "code");
    fow_lab_input in = {.code = code,
                        .name_en = get_string(jl, "name_en"),
                        .name_ro = get_string(jl, "name_ro"),
                        .description_en = get_string(jl, "description_en"),
                        .description_ro = get_string(jl, "description_ro"),
                        .address = get_string(jl, "address"),
                        .provider_id = -1};
    json_t *policy = json_object_get(jl, "policy");
    in.cancel_deadline_hours = in.late_cancel_fee_percent = in.offer_hours = -1;
    if (policy) {
        char pp[160];
        snprintf(pp, sizeof pp, "%s.policy", prefix);
        if (int_member(policy, "cancel_deadline_hours", path, pp, &in.cancel_deadline_hours, err) ||
            int_member(policy, "late_cancel_fee_percent", path, pp, &in.late_cancel_fee_percent, err) ||
            int_member(policy, "offer_hours", path, pp, &in.offer_hours, err))
            return err->code;
    }
    const char *provider_module = get_string(jl, "provider_module");
    if (provider_module) {
        int64_t provider = 0;
        if (fow_training_provider_of_code(db, provider_module, &provider, err) || provider <= 0) {
            if (!err->code)
                fow_error_set(err, FOW_EINPUT, "the module %s has no one provider", provider_module);
            err->field[0] = '\0';
            append(err->field, sizeof err->field, "provider_module");
            return located(err, path, prefix);
        }
        in.provider_id = provider;
    }
    fow_lab existing;
    fow_code rc;
    bool found = false;
    if (code && (rc = labs_store_lab_get(db, code, 0, &existing, &found, err)))
        return rc;
    rc = found ? fow_lab_update(db, code, &in, now, err) : fow_lab_add(db, &in, now, NULL, err);
    if (rc)
        return located(err, path, prefix);
    json_t *hours = json_object_get(jl, "hours");
    if (hours) {
        if (!json_is_array(hours) || json_array_size(hours) > FOW_LAB_HOURS_MAX)
            return bad(err, path, "hours", "must be a list of at most 21 {weekday, opens, closes}");
        fow_lab_hours list[FOW_LAB_HOURS_MAX];
        size_t n = json_array_size(hours);
        for (size_t i = 0; i < n; i++) {
            json_t *h = json_array_get(hours, i);
            char field[160];
            snprintf(field, sizeof field, "%s.hours[%zu]", prefix, i);
            char interval[32];
            const char *opens = get_string(h, "opens"), *closes = get_string(h, "closes");
            snprintf(interval, sizeof interval, "%.5s-%.5s", opens ? opens : "", closes ? closes : "");
            json_t *wd = json_object_get(h, "weekday");
            char weekday[16] = "";
            if (json_is_integer(wd))
                snprintf(weekday, sizeof weekday, "%lld", (long long)json_integer_value(wd));
            else if (json_is_string(wd))
                snprintf(weekday, sizeof weekday, "%.15s", json_string_value(wd));
            if ((rc = fow_lab_hours_parse(weekday, interval, field, &list[i], err))) {
                err->file[0] = '\0';
                append(err->file, sizeof err->file, path);
                return rc;
            }
        }
        if ((rc = fow_lab_hours_set(db, code, list, n, err)))
            return located(err, path, prefix);
    }
    json_t *resources = json_object_get(jl, "resources");
    if (resources && !json_is_array(resources))
        return bad(err, path, "resources", "must be a list");
    for (size_t ri = 0; resources && ri < json_array_size(resources); ri++) {
        json_t *jr = json_array_get(resources, ri);
        char rp[160];
        snprintf(rp, sizeof rp, "%s.resources[%zu]", prefix, ri);
        if (!json_is_object(jr))
            return bad(err, path, rp, "must be an object");
        const char *rcode = get_string(jr, "code");
        fow_lab_resource_input ri_in = {.code = rcode,
                                        .kind = get_string(jr, "kind"),
                                        .name_en = get_string(jr, "name_en"),
                                        .name_ro = get_string(jr, "name_ro"),
                                        .description_en = get_string(jr, "description_en"),
                                        .description_ro = get_string(jr, "description_ro"),
                                        .safety_en = get_string(jr, "safety_en"),
                                        .safety_ro = get_string(jr, "safety_ro"),
                                        .photo = get_string(jr, "photo"),
                                        .active = -1};
        if (int_member(jr, "capacity", path, rp, &ri_in.capacity, err) ||
            int_member(jr, "slot_minutes", path, rp, &ri_in.slot_minutes, err) ||
            int_member(jr, "max_slots", path, rp, &ri_in.max_slots, err))
            return err->code;
        fow_lab_resource *current = malloc(sizeof *current);
        if (!current)
            return fow_error_set(err, FOW_ENOMEM, "out of memory loading labs");
        bool rfound = false;
        rc = rcode ? labs_store_resource_get(db, rcode, 0, current, &rfound, err) : FOW_OK;
        free(current);
        if (rc)
            return rc;
        rc = rfound ? fow_lab_resource_update(db, rcode, &ri_in, now, err)
                    : fow_lab_resource_add(db, code, &ri_in, now, NULL, err);
        if (rc)
            return located(err, path, rp);
        (*n_resources)++;
        json_t *reqs = json_object_get(jr, "requirements");
        if (reqs) {
            if (!json_is_array(reqs) || json_array_size(reqs) > FOW_LAB_REQUIREMENTS_MAX)
                return bad(err, path, rp, "requirements must be a list of at most 16 {kind, ref}");
            fow_lab_requirement list[FOW_LAB_REQUIREMENTS_MAX];
            memset(list, 0, sizeof list);
            size_t n = json_array_size(reqs);
            for (size_t i = 0; i < n; i++) {
                json_t *q = json_array_get(reqs, i);
                const char *kind = get_string(q, "kind"), *ref = get_string(q, "ref");
                list[i].kind = kind && strcmp(kind, "skill") == 0 ? FOW_LAB_REQUIRES_SKILL : FOW_LAB_REQUIRES_MODULE;
                if (!kind || (strcmp(kind, "skill") != 0 && strcmp(kind, "module") != 0)) {
                    char field[200];
                    snprintf(field, sizeof field, "%s.requirements[%zu].kind", rp, i);
                    return bad(err, path, field, "must be \"module\" or \"skill\"");
                }
                snprintf(list[i].ref, sizeof list[i].ref, "%s", ref ? ref : "");
            }
            if ((rc = labs_requirements_set_in(db, cat, rcode, list, n, err)))
                return located(err, path, rp);
        }
        json_t *prices = json_object_get(jr, "prices");
        if (prices) {
            if (!json_is_array(prices) || json_array_size(prices) > FOW_LAB_CATEGORY_COUNT)
                return bad(err, path, rp, "prices must be a list of at most 5 {category, per_hour_minor, currency}");
            fow_lab_price list[FOW_LAB_CATEGORY_COUNT];
            memset(list, 0, sizeof list);
            size_t n = json_array_size(prices);
            for (size_t i = 0; i < n; i++) {
                json_t *p = json_array_get(prices, i);
                char field[200];
                snprintf(field, sizeof field, "%s.prices[%zu]", rp, i);
                if (fow_lab_category_parse(get_string(p, "category"), &list[i].category))
                    return bad(err, path, field,
                               "category must be school, university, enterprise, resident or culturepreneur");
                long long amount = get_int(p, "per_hour_minor");
                if (amount < 0)
                    return bad(err, path, field, "per_hour_minor must be a whole number of minor units from 0");
                list[i].per_hour_minor = amount;
                const char *currency = get_string(p, "currency");
                snprintf(list[i].currency, sizeof list[i].currency, "%s", currency ? currency : "RON");
            }
            if ((rc = fow_lab_prices_set(db, rcode, list, n, err)))
                return located(err, path, rp);
        }
    }
    return FOW_OK;
}

fow_code fow_labs_import(fow_db *db, const char *path, long long now, size_t *labs, size_t *resources,
                         fow_error *err)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return fow_error_set_at(err, FOW_EINPUT, path, jerr.line, jerr.column, NULL, "not a JSON file: %s", jerr.text);
    json_t *list = json_object_get(root, "labs");
    fow_code rc = FOW_OK;
    size_t n_resources = 0;
    if (!json_is_array(list))
        rc = bad(err, path, "labs", "the file must be an object {\"labs\": [...]}");
    fow_training_catalogue cat;
    memset(&cat, 0, sizeof cat);
    if (!rc)
        rc = fow_training_load_any(db, true, &cat, err);
    if (!rc)
        rc = fow_db_begin(db, err);
    if (!rc) {
        for (size_t i = 0; !rc && i < json_array_size(list); i++)
            rc = load_lab(db, &cat, json_array_get(list, i), i, path, now, &n_resources, err);
        if (rc) {
            fow_error keep = *err;
            fow_db_rollback(db);
            *err = keep;
        } else {
            rc = fow_db_commit(db, err);
        }
    }
    if (!rc) {
        if (labs)
            *labs = json_array_size(list);
        if (resources)
            *resources = n_resources;
    }
    fow_training_free(&cat);
    json_decref(root);
    return rc;
}
