/* labs_json.c — the JSON documents of the labs (fow_labs.h, "JSON"), the
 * same for the command line and the API. */
#include <stdlib.h>
#include <string.h>

#include "labs/fow_labs.h"

static void write_summary(fow_jw *w, const fow_lab_resource *r)
{
    fow_jw_object(w);
    fow_jw_kstring(w, "code", r->code);
    fow_jw_kstring(w, "kind", fow_lab_resource_kind_name(r->kind));
    fow_jw_kstring(w, "name_en", r->name_en);
    fow_jw_kstring(w, "name_ro", r->name_ro);
    fow_jw_kint(w, "slot_minutes", r->slot_minutes);
    fow_jw_kint(w, "capacity", r->capacity);
    fow_jw_kstring(w, "photo", r->photo);
    fow_jw_kbool(w, "active", r->active);
    fow_jw_object_end(w);
}

static void write_lab_head(fow_jw *w, const fow_lab *lab)
{
    fow_jw_kstring(w, "code", lab->code);
    fow_jw_kstring(w, "name_en", lab->name_en);
    fow_jw_kstring(w, "name_ro", lab->name_ro);
    fow_jw_kstring(w, "description_en", lab->description_en);
    fow_jw_kstring(w, "description_ro", lab->description_ro);
    fow_jw_kstring(w, "address", lab->address);
    fow_jw_kstring(w, "timezone", lab->timezone);
}

static void write_resources(fow_jw *w, const fow_lab_resource *list, size_t n, int64_t lab_id)
{
    fow_jw_key(w, "resources");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++)
        if (list[i].lab_id == lab_id)
            write_summary(w, &list[i]);
    fow_jw_array_end(w);
}

fow_code fow_lab_result_list(fow_jw *w, fow_db *db, fow_error *err)
{
    fow_lab *labs = NULL;
    size_t n = 0;
    fow_lab_resource *resources = NULL;
    size_t n_resources = 0;
    fow_code rc = fow_labs_list(db, &labs, &n, err);
    if (!rc)
        rc = fow_lab_resources(db, NULL, &resources, &n_resources, err);
    if (!rc) {
        fow_jw_object(w);
        fow_jw_key(w, "labs");
        fow_jw_array(w);
        for (size_t i = 0; i < n; i++) {
            fow_jw_object(w);
            write_lab_head(w, &labs[i]);
            write_resources(w, resources, n_resources, labs[i].id);
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
        fow_jw_kint(w, "count", (long long)n);
        fow_jw_object_end(w);
    }
    free(labs);
    free(resources);
    return rc;
}

static void write_local(fow_jw *w, const char *key, int64_t utc)
{
    char buf[FOW_LAB_ISO_SIZE];
    fow_jw_kstring(w, key, fow_lab_format_utc(utc, buf, sizeof buf));
}

fow_code fow_lab_result_show(fow_jw *w, fow_db *db, const char *lab_code, long long now, fow_error *err)
{
    fow_lab *lab = malloc(sizeof *lab);
    if (!lab)
        return fow_error_set(err, FOW_ENOMEM, "out of memory showing a lab");
    fow_lab_resource *resources = NULL;
    size_t n_resources = 0;
    fow_lab_hours *hours = NULL;
    size_t n_hours = 0;
    fow_lab_closure *closures = NULL;
    size_t n_closures = 0;
    fow_lab_holiday *holidays = NULL;
    size_t n_holidays = 0;
    fow_lab_local today, until;
    fow_lab_utc_to_local(now, &today, NULL);
    fow_lab_utc_to_local(now + 365LL * 86400, &until, NULL);
    char first[11], last[11];
    fow_lab_format_date(&today, first, sizeof first);
    fow_lab_format_date(&until, last, sizeof last);
    fow_code rc = fow_lab_get(db, lab_code, lab, err);
    if (!rc)
        rc = fow_lab_resources(db, lab_code, &resources, &n_resources, err);
    if (!rc)
        rc = fow_lab_hours_get(db, lab->id, &hours, &n_hours, err);
    if (!rc)
        rc = fow_lab_closures(db, lab->id, 0, now, now + 366LL * 86400, &closures, &n_closures, err);
    if (!rc)
        rc = fow_lab_holidays(db, first, last, &holidays, &n_holidays, err);
    if (!rc) {
        char buf[8];
        fow_jw_object(w);
        fow_jw_key(w, "lab");
        fow_jw_object(w);
        write_lab_head(w, lab);
        fow_jw_key(w, "policy");
        fow_jw_object(w);
        fow_jw_kint(w, "cancel_deadline_hours", lab->cancel_deadline_hours);
        fow_jw_kint(w, "late_cancel_fee_percent", lab->late_cancel_fee_percent);
        fow_jw_kint(w, "offer_hours", lab->offer_hours);
        fow_jw_object_end(w);
        fow_jw_key(w, "hours");
        fow_jw_array(w);
        for (size_t i = 0; i < n_hours; i++) {
            fow_jw_object(w);
            fow_jw_kint(w, "weekday", hours[i].weekday);
            fow_jw_kstring(w, "opens", fow_lab_format_minute(hours[i].opens_minute, buf, sizeof buf));
            fow_jw_kstring(w, "closes", fow_lab_format_minute(hours[i].closes_minute, buf, sizeof buf));
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
        write_resources(w, resources, n_resources, lab->id);
        fow_jw_key(w, "closures");
        fow_jw_array(w);
        for (size_t i = 0; i < n_closures; i++) {
            const fow_lab_closure *c = &closures[i];
            fow_jw_object(w);
            fow_jw_kint(w, "id", c->id);
            fow_jw_kstring(w, "kind", fow_lab_closure_kind_name(c->kind));
            fow_jw_kstring(w, "resource", c->resource_id ? c->resource_code : NULL);
            write_local(w, "start", c->starts_at);
            write_local(w, "end", c->ends_at);
            fow_jw_kstring(w, "reason", c->reason);
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
        fow_jw_key(w, "holidays");
        fow_jw_array(w);
        for (size_t i = 0; i < n_holidays; i++) {
            fow_jw_object(w);
            fow_jw_kstring(w, "day", holidays[i].day);
            fow_jw_kstring(w, "name_en", holidays[i].name_en);
            fow_jw_kstring(w, "name_ro", holidays[i].name_ro);
            fow_jw_kstring(w, "source", holidays[i].source);
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
        fow_jw_object_end(w);
        fow_jw_object_end(w);
    }
    free(lab);
    free(resources);
    free(hours);
    free(closures);
    free(holidays);
    return rc;
}

void fow_lab_requirement_write(fow_jw *w, const fow_lab_requirement *r)
{
    fow_jw_object(w);
    fow_jw_kstring(w, "kind", fow_lab_requirement_kind_name(r->kind));
    fow_jw_kstring(w, "ref", r->ref);
    fow_jw_kstring(w, "title_en", r->title_en);
    fow_jw_kstring(w, "title_ro", r->title_ro);
    fow_jw_object_end(w);
}

fow_code fow_lab_resource_result(fow_jw *w, fow_db *db, const char *resource_code, fow_error *err)
{
    fow_lab_resource *r = malloc(sizeof *r);
    if (!r)
        return fow_error_set(err, FOW_ENOMEM, "out of memory showing a resource");
    fow_lab_requirement *reqs = NULL;
    size_t n_reqs = 0;
    fow_lab_price *prices = NULL;
    size_t n_prices = 0;
    fow_code rc = fow_lab_resource_get(db, resource_code, r, err);
    if (!rc)
        rc = fow_lab_requirements(db, r->id, &reqs, &n_reqs, err);
    if (!rc)
        rc = fow_lab_prices(db, r->id, &prices, &n_prices, err);
    if (!rc) {
        fow_jw_object(w);
        fow_jw_key(w, "resource");
        fow_jw_object(w);
        fow_jw_kstring(w, "code", r->code);
        fow_jw_kstring(w, "lab", r->lab_code);
        fow_jw_kstring(w, "kind", fow_lab_resource_kind_name(r->kind));
        fow_jw_kstring(w, "name_en", r->name_en);
        fow_jw_kstring(w, "name_ro", r->name_ro);
        fow_jw_kstring(w, "description_en", r->description_en);
        fow_jw_kstring(w, "description_ro", r->description_ro);
        fow_jw_kstring(w, "safety_en", r->safety_en);
        fow_jw_kstring(w, "safety_ro", r->safety_ro);
        fow_jw_kstring(w, "photo", r->photo);
        fow_jw_kint(w, "capacity", r->capacity);
        fow_jw_kint(w, "slot_minutes", r->slot_minutes);
        fow_jw_kint(w, "max_slots", r->max_slots);
        fow_jw_kbool(w, "active", r->active);
        fow_jw_kstring(w, "timezone", FOW_LAB_TIMEZONE);
        fow_jw_key(w, "requirements");
        fow_jw_array(w);
        for (size_t i = 0; i < n_reqs; i++)
            fow_lab_requirement_write(w, &reqs[i]);
        fow_jw_array_end(w);
        fow_jw_key(w, "prices");
        fow_jw_array(w);
        for (size_t i = 0; i < n_prices; i++) {
            fow_jw_object(w);
            fow_jw_kstring(w, "category", fow_lab_category_name(prices[i].category));
            fow_jw_kint(w, "per_hour_minor", prices[i].per_hour_minor);
            fow_jw_kstring(w, "currency", prices[i].currency);
            fow_jw_object_end(w);
        }
        fow_jw_array_end(w);
        fow_jw_object_end(w);
        fow_jw_object_end(w);
    }
    free(r);
    free(reqs);
    free(prices);
    return rc;
}

void fow_lab_access_write(fow_jw *w, const fow_lab_access_result *a)
{
    fow_jw_object(w);
    fow_jw_kstring(w, "resource", a->resource);
    fow_jw_kbool(w, "allowed", a->allowed);
    fow_jw_kint(w, "required", (long long)a->n_required);
    fow_jw_key(w, "missing");
    fow_jw_array(w);
    for (size_t i = 0; i < a->n_missing; i++)
        fow_lab_requirement_write(w, &a->missing[i]);
    fow_jw_array_end(w);
    fow_jw_key(w, "met");
    fow_jw_array(w);
    for (size_t i = 0; i < a->n_met; i++) {
        fow_jw_object(w);
        fow_jw_kstring(w, "kind", fow_lab_requirement_kind_name(a->met[i].requirement.kind));
        fow_jw_kstring(w, "ref", a->met[i].requirement.ref);
        fow_jw_kstring(w, "credential", a->met[i].credential_id);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_object_end(w);
}

void fow_lab_access_result_all(fow_jw *w, const char *person_id, const fow_lab_access_result *list, size_t n)
{
    fow_jw_object(w);
    fow_jw_kstring(w, "person", person_id);
    fow_jw_key(w, "resources");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++)
        fow_lab_access_write(w, &list[i]);
    fow_jw_array_end(w);
    fow_jw_kint(w, "count", (long long)n);
    fow_jw_object_end(w);
}

void fow_lab_induction_write(fow_jw *w, const fow_lab_induction *ind)
{
    fow_jw_object(w);
    fow_jw_key(w, "induction");
    fow_jw_object(w);
    fow_jw_kstring(w, "resource", ind->resource);
    fow_jw_kstring(w, "module", ind->module);
    fow_jw_kint(w, "cohort_id", ind->cohort_id);
    fow_jw_object_end(w);
    fow_jw_key(w, "result");
    fow_cohort_result_completion(w, &ind->completion, &ind->skills, &ind->credential);
    fow_jw_object_end(w);
}
