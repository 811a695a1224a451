/* voucher_sides.c — the two outside sides of a voucher (fow_vouchers.h,
 * docs/vouchers.md): what a training provider may know before redeeming a
 * code presented to it (its offer: the balance and its own open cohorts the
 * voucher can pay for, or "not valid here" and nothing more), and what its
 * beneficiary sees of their own voucher (where it can be spent and what was
 * redeemed from it). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vouchers/fow_vouchers.h"
#include "vouchers/vouchers_store.h"

static void date_of(int64_t now, char out[11]) {
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    if (strftime(out, 11, "%Y-%m-%d", &tm) != 10) snprintf(out, 11, "0000-00-00");
}

/* true when v can be spent on date today at all: active, within its
 * dates, holding money; a person's (an enterprise's voucher pays for no
 * enrolment). */
static bool usable_on(const fow_voucher *v, const char *today) {
    return strcmp(v->beneficiary_kind, "enterprise") != 0 && strcmp(v->status, "active") == 0 && strcmp(today, v->valid_from) >= 0 &&
           strcmp(today, v->valid_until) <= 0 && v->balance_minor > 0;
}

/* true when module m can be paid with v on date today: approved, its
 * accreditation (when dated) not past, allowed by v, and priced in v's
 * currency when it states a price. */
static bool module_payable(const fow_voucher *v, const fow_training_module *m, const char *today) {
    if (strcmp(m->status, "approved") != 0) return false;
    if (m->accreditation_valid_until[0] && strcmp(m->accreditation_valid_until, today) < 0) return false;
    if (m->cost_minor > 0 && strcmp(m->currency, v->currency) != 0) return false;
    return fow_voucher_allows(v, m->provider_id, m->code);
}

static int by_start(const void *a, const void *b) {
    const fow_voucher_offer_cohort *x = a, *y = b;
    int c = strcmp(x->starts_on, y->starts_on);
    return c ? c : (x->cohort_id > y->cohort_id) - (x->cohort_id < y->cohort_id);
}

/* Adds the open cohorts of module m to o (grown as needed). */
static fow_code add_cohorts(fow_db *db, const fow_voucher *v, const fow_training_module *m, fow_voucher_offer *o,
                            size_t *cap, fow_error *err) {
    fow_cohort *list = NULL;
    size_t n = 0;
    fow_code rc = fow_cohorts_list(db, m->code, &list, &n, err);
    for (size_t i = 0; !rc && i < n; i++) {
        if (list[i].status != FOW_COHORT_OPEN) continue;
        if (o->n_cohorts == *cap) {
            size_t grown = *cap ? *cap * 2 : 8;
            fow_voucher_offer_cohort *more = realloc(o->cohorts, grown * sizeof *more);
            if (!more) {
                rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
                break;
            }
            o->cohorts = more;
            *cap = grown;
        }
        fow_voucher_offer_cohort *c = &o->cohorts[o->n_cohorts++];
        memset(c, 0, sizeof *c);
        c->cohort_id = list[i].id;
        snprintf(c->module, sizeof c->module, "%s", m->code);
        snprintf(c->title_en, sizeof c->title_en, "%s", m->title_en ? m->title_en : "");
        snprintf(c->title_ro, sizeof c->title_ro, "%s", m->title_ro ? m->title_ro : "");
        memcpy(c->starts_on, list[i].starts_on, sizeof c->starts_on);
        memcpy(c->ends_on, list[i].ends_on, sizeof c->ends_on);
        snprintf(c->place, sizeof c->place, "%s", list[i].place);
        c->seats_left = list[i].seats_left;
        c->cost_minor = m->cost_minor;
        c->covered = m->cost_minor > 0 ? v->balance_minor >= m->cost_minor : v->balance_minor > 0;
    }
    free(list);
    return rc;
}

fow_code fow_voucher_offer_get(fow_db *db, const fow_training_catalogue *catalogue, const char *typed,
                               int64_t provider_id, int64_t now, fow_voucher_offer *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    char code[FOW_VOUCHER_CODE_CHARS + 1];
    if (fow_voucher_code_normalise(typed, code) != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "code",
                                "'%s' is not a voucher code (CEV- and 16 characters, the last a check character): "
                                "check it for a typing error",
                                typed ? typed : "");
    fow_voucher v;
    fow_code rc = fow_voucher_by_code(db, code, &v, err);
    if (rc == FOW_ENOTFOUND) rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "voucher", "%s", FOW_VOUCHER_NOT_VALID_HERE);
    if (rc) return rc;
    char today[11];
    date_of(now, today);
    bool any_module = false;
    if (provider_id > 0 && usable_on(&v, today))
        for (size_t i = 0; i < catalogue->n_modules; i++) {
            const fow_training_module *m = &catalogue->modules[i];
            if (m->provider_id == provider_id && module_payable(&v, m, today)) {
                any_module = true;
                break;
            }
        }
    if (!any_module)
        return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "voucher", "%s", FOW_VOUCHER_NOT_VALID_HERE);
    memcpy(out->code, v.code, sizeof out->code);
    memcpy(out->currency, v.currency, sizeof out->currency);
    out->balance_minor = v.balance_minor;
    memcpy(out->valid_until, v.valid_until, sizeof out->valid_until);
    size_t cap = 0;
    for (size_t i = 0; !rc && i < catalogue->n_modules; i++) {
        const fow_training_module *m = &catalogue->modules[i];
        if (m->provider_id == provider_id && module_payable(&v, m, today)) rc = add_cohorts(db, &v, m, out, &cap, err);
    }
    if (!rc && out->n_cohorts > 1) qsort(out->cohorts, out->n_cohorts, sizeof *out->cohorts, by_start);
    return rc;
}

void fow_voucher_offer_free(fow_voucher_offer *o) {
    if (!o) return;
    free(o->cohorts);
    o->cohorts = NULL;
    o->n_cohorts = 0;
}

static void write_title(fow_jw *w, const char *en, const char *ro) {
    fow_jw_key(w, "title");
    fow_jw_object(w);
    fow_jw_kstring(w, "en", en);
    fow_jw_kstring(w, "ro", ro);
    fow_jw_object_end(w);
}

void fow_voucher_offer_write(fow_jw *w, const fow_voucher_offer *o) {
    fow_jw_object(w);
    fow_jw_kstring(w, "code", o->code);
    fow_jw_kstring(w, "currency", o->currency);
    fow_jw_kint(w, "balance_minor", o->balance_minor);
    fow_jw_kstring(w, "valid_until", o->valid_until);
    fow_jw_key(w, "cohorts");
    fow_jw_array(w);
    for (size_t i = 0; i < o->n_cohorts; i++) {
        const fow_voucher_offer_cohort *c = &o->cohorts[i];
        fow_jw_object(w);
        fow_jw_kint(w, "cohort_id", c->cohort_id);
        fow_jw_kstring(w, "module", c->module);
        write_title(w, c->title_en, c->title_ro);
        fow_jw_kstring(w, "starts_on", c->starts_on);
        fow_jw_kstring(w, "ends_on", c->ends_on);
        fow_jw_kstring(w, "place", c->place);
        fow_jw_kint(w, "seats_left", c->seats_left);
        fow_jw_kint(w, "cost_minor", c->cost_minor);
        fow_jw_kbool(w, "covered", c->covered);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_kstring(w, "source",
                   "balance: the voucher's ledger account; cohorts: the open cohorts of this provider's approved "
                   "modules that the voucher may pay for, with seats left from their enrolments");
    fow_jw_object_end(w);
}

fow_code fow_voucher_redemptions(fow_db *db, int64_t voucher_id, fow_redemption **out, size_t *n, fow_error *err) {
    return vstore_redemptions_of_voucher(db, voucher_id, out, n, err);
}

/* The name of training provider id in catalogue (from its modules), or NULL. */
static const char *provider_name(const fow_training_catalogue *c, int64_t id) {
    for (size_t i = 0; c && i < c->n_modules; i++)
        if (c->modules[i].provider_id == id && c->modules[i].provider && c->modules[i].provider[0])
            return c->modules[i].provider;
    return NULL;
}

void fow_voucher_holder_write(fow_jw *w, const fow_voucher *v, const fow_redemption *r, size_t n_redemptions,
                              const fow_training_catalogue *catalogue, int64_t now) {
    char today[11];
    date_of(now, today);
    fow_jw_object(w);
    fow_jw_key(w, "voucher");
    fow_voucher_write(w, v);
    fow_jw_kbool(w, "usable", usable_on(v, today));
    fow_jw_key(w, "where");
    fow_jw_object(w);
    fow_jw_kbool(w, "any_provider", v->n_providers == 0);
    fow_jw_kbool(w, "any_module", v->n_modules == 0);
    fow_jw_key(w, "providers");
    fow_jw_array(w);
    for (size_t i = 0; i < v->n_providers; i++) {
        fow_jw_object(w);
        fow_jw_kint(w, "id", v->providers[i]);
        const char *name = provider_name(catalogue, v->providers[i]);
        if (name) fow_jw_kstring(w, "name", name);
        else fow_jw_knull(w, "name");
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_key(w, "modules");
    fow_jw_array(w);
    for (size_t i = 0; i < v->n_modules; i++) {
        const fow_training_module *m = catalogue ? fow_training_module_by_code(catalogue, v->modules[i]) : NULL;
        fow_jw_object(w);
        fow_jw_kstring(w, "code", v->modules[i]);
        if (m) {
            write_title(w, m->title_en, m->title_ro);
            fow_jw_kstring(w, "provider", m->provider);
        } else {
            fow_jw_knull(w, "title");
            fow_jw_knull(w, "provider");
        }
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_object_end(w);
    fow_jw_key(w, "redemptions");
    fow_jw_array(w);
    for (size_t i = 0; i < n_redemptions; i++) {
        fow_jw_object(w);
        fow_jw_kint(w, "id", r[i].id);
        fow_jw_kstring(w, "module", r[i].module);
        const fow_training_module *m = catalogue ? fow_training_module_by_code(catalogue, r[i].module) : NULL;
        if (m) write_title(w, m->title_en, m->title_ro);
        else fow_jw_knull(w, "title");
        const char *name = provider_name(catalogue, r[i].provider_id);
        if (name) fow_jw_kstring(w, "provider", name);
        else fow_jw_knull(w, "provider");
        fow_jw_kint(w, "cohort_id", r[i].cohort_id);
        fow_jw_kint(w, "amount_minor", r[i].amount_minor);
        fow_jw_kstring(w, "currency", r[i].currency);
        fow_jw_kstring(w, "status", r[i].status);
        fow_jw_kint(w, "redeemed_at", r[i].redeemed_at);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_object_end(w);
}
