/* training_edit.c — modules written in fow by providers, and their review
 * by a programme manager (fow_training.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/fow_sources.h"
#include "training/fow_training.h"
#include "training/training_internal.h"
#include "training/training_store.h"

const char *const fow_module_statuses[] = {"draft", "submitted", "approved", "rejected", NULL};

#define EDITED_DATASET "modules:written in fow"
#define MAX_ITEMS 64

static fow_code bad(fow_error *err, const char *field, const char *fmt, const char *a) {
    return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, fmt, a);
}

/* A text of at most max bytes without control characters (tab and line
 * breaks allowed in long texts); required ones must not be empty. */
static fow_code check_text(const char *v, const char *field, bool required, size_t max, fow_error *err) {
    if (!v) v = "";
    if (required && !*v) return bad(err, field, "%s is required", field);
    size_t n = strlen(v);
    if (n > max)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s is longer than %zu bytes (%zu)", field, max, n);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c < 0x20 && !(max > 300 && (c == '\n' || c == '\t' || c == '\r'))) || c == 0x7f)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s holds a control character at byte %zu",
                                    field, i + 1);
    }
    return FOW_OK;
}

static bool only(const char *s, const char *allowed) { return strspn(s, allowed) == strlen(s); }

/* Every rule of a module but its skills, prerequisites and provider. */
static fow_code check_input(const fow_module_input *in, bool creating, fow_error *err) {
    fow_code rc;
    if (creating) {
        if ((rc = check_text(in->code, "code", true, 60, err))) return rc;
        if (!only(in->code, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"))
            return bad(err, "code", "code may hold letters, digits, '.', '_' and '-' only, not '%.60s'", in->code);
    }
    if ((rc = check_text(in->title_ro, "title_ro", true, 300, err)) ||
        (rc = check_text(in->title_en, "title_en", true, 300, err)) ||
        (rc = check_text(in->description_ro, "description_ro", false, 4000, err)) ||
        (rc = check_text(in->description_en, "description_en", false, 4000, err)) ||
        (rc = check_text(in->place, "place", false, 300, err)) ||
        (rc = check_text(in->eligibility, "eligibility", false, 2000, err)))
        return rc;
    if (!(in->hours > 0 && in->hours <= 10000))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "hours", "hours must be more than 0 and at most 10000, not %g",
                                in->hours);
    const char *mode = in->mode ? in->mode : "";
    if (strcmp(mode, "in_person") != 0 && strcmp(mode, "online") != 0 && strcmp(mode, "blended") != 0)
        return bad(err, "mode", "mode must be in_person, online or blended, not '%.40s'", mode);
    const char *lang = in->language ? in->language : "";
    if (strlen(lang) < 2 || strlen(lang) > 3 || !only(lang, "abcdefghijklmnopqrstuvwxyz"))
        return bad(err, "language", "language must be a language code of 2 or 3 small letters (ro, en, hu), not '%.40s'",
                   lang);
    if (in->cost_minor < 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "cost_minor",
                                "cost_minor must be a whole number of minor units from 0 up, not %lld", in->cost_minor);
    const char *cur = in->currency ? in->currency : "";
    if (strlen(cur) != 3 || !only(cur, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        return bad(err, "currency", "currency must be an ISO 4217 code of 3 capital letters (RON, EUR), not '%.40s'", cur);
    if (in->n_skills == 0)
        return bad(err, "skills", "%s: a module teaches at least one skill of the taxonomy", "skills is empty");
    if (in->n_skills > MAX_ITEMS || in->n_prerequisite_skills > MAX_ITEMS || in->n_prerequisite_modules > MAX_ITEMS)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, in->n_skills > MAX_ITEMS ? "skills" : "prerequisites",
                                "at most %d skills and %d prerequisites of each kind", MAX_ITEMS, MAX_ITEMS);
    return FOW_OK;
}

/* The source of the modules written in fow: found, or made on the first write. */
static fow_code edited_source(fow_db *db, long long now, long long *id, fow_error *err) {
    bool same;
    fow_code rc = fow_source_find(db, EDITED_DATASET, "", id, &same, err);
    if (rc || *id) return rc;
    char when[32];
    time_t t = (time_t)now;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm)) snprintf(when, sizeof when, "?");
    fow_source_record rec = {EDITED_DATASET, "modules", "Modules written in fow by training providers", "live",
                             "as written by the providers", "", "", "", when};
    return fow_source_write(db, 0, &rec, id, err);
}

/* Writes the skills and prerequisites of in as links of module_id. */
static fow_code write_links(fow_db *db, int64_t source_id, int64_t module_id, int64_t provider_id,
                            const fow_module_input *in, fow_error *err) {
    skill_keys keys;
    fow_code rc = skill_keys_load(db, &keys, err);
    int taught = 0, needed = 0;
    for (size_t i = 0; !rc && i < in->n_skills + in->n_prerequisite_skills; i++) {
        bool teaches = i < in->n_skills;
        const char *key = teaches ? in->skills[i] : in->prerequisite_skills[i - in->n_skills];
        const char *field = teaches ? "skills" : "prerequisite_skills";
        int64_t sid = key && *key ? skill_keys_find(&keys, key) : 0;
        if (!sid) {
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field,
                                  "unknown skill '%.100s' in %s: give a skill's URI, its short id or its label as the "
                                  "taxonomy has it",
                                  key ? key : "", field);
            break;
        }
        training_link_row link = {module_id, teaches ? "teaches" : "skill", sid, keys.uri[sid], keys.label[sid], 0};
        rc = training_store_add_link(db, source_id, teaches ? taught++ : needed++, &link, err);
    }
    skill_keys_free(&keys);
    for (size_t i = 0; !rc && i < in->n_prerequisite_modules; i++) {
        int64_t req = in->prerequisite_modules[i], owner = 0;
        char status[16] = "", code[64] = "";
        bool written = false, found = false;
        if (req == module_id) {
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "prerequisite_modules",
                                  "a module cannot be its own prerequisite");
            break;
        }
        rc = training_store_module_owner(db, req, &owner, status, sizeof status, &written, &found, err);
        if (!rc && (!found || (strcmp(status, "approved") != 0 && owner != provider_id)))
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "prerequisite_modules",
                                  "no module %lld among the approved modules and your own", (long long)req);
        if (!rc) rc = training_store_module_code(db, req, code, sizeof code, err);
        if (rc) break;
        training_link_row link = {module_id, "module", 0, "", code, req};
        rc = training_store_add_link(db, source_id, needed++, &link, err);
    }
    return rc;
}

/* Counts the modules of the edited source into its row count. */
static fow_code recount(fow_db *db, long long source_id, fow_error *err) {
    long long n;
    fow_code rc = training_store_count_modules(db, source_id, &n, err);
    return rc ? rc : fow_source_set_rows(db, source_id, n, err);
}

static fow_code finish(fow_db *db, fow_code rc, fow_error *err) {
    if (rc) {
        fow_db_rollback(db);
        return rc;
    }
    return fow_db_commit(db, err);
}

static fow_code check_actor(const char *actor, fow_error *err) {
    return check_text(actor, "actor", true, 80, err);
}

fow_code fow_training_module_create(fow_db *db, const fow_module_input *in, const char *actor, long long now,
                                    int64_t *id, fow_error *err) {
    *id = 0;
    fow_code rc;
    if ((rc = check_actor(actor, err)) || (rc = check_input(in, true, err))) return rc;
    char provider[256];
    if ((rc = fow_training_provider_name(db, in->provider_id, provider, sizeof provider, err))) return rc;
    if ((rc = fow_db_begin(db, err))) return rc;
    long long source_id = 0;
    rc = edited_source(db, now, &source_id, err);
    training_module_row row = {
        .code = in->code,
        .provider_id = in->provider_id,
        .title_ro = in->title_ro,
        .title_en = in->title_en,
        .description_ro = in->description_ro ? in->description_ro : "",
        .description_en = in->description_en ? in->description_en : "",
        .hours = in->hours,
        .mode = in->mode,
        .language = in->language,
        .place = in->place ? in->place : "",
        .cost_minor = in->cost_minor,
        .currency = in->currency,
        .eligibility = in->eligibility ? in->eligibility : "",
        .line = 0,
        .source_id = source_id,
        .status = "draft",
        .written_by = actor,
        .updated_at = now,
    };
    if (!rc) rc = training_store_add_module(db, &row, id, err);
    if (!rc) rc = write_links(db, source_id, *id, in->provider_id, in, err);
    if (!rc) rc = recount(db, source_id, err);
    if (rc) *id = 0;
    return finish(db, rc, err);
}

fow_code fow_training_module_owner(fow_db *db, int64_t id, int64_t *provider_id, bool *written, fow_error *err) {
    int64_t owner = 0;
    bool w = false, found = false;
    char status[16];
    fow_code rc = training_store_module_owner(db, id, &owner, status, sizeof status, &w, &found, err);
    if (rc) return rc;
    if (!found) return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "id", "no module with id %lld", (long long)id);
    if (provider_id) *provider_id = owner;
    if (written) *written = w;
    return FOW_OK;
}

/* Module id must exist and be written in fow; its provider into *owner. */
static fow_code editable(fow_db *db, int64_t id, int64_t *owner, fow_error *err) {
    bool written = false;
    fow_code rc = fow_training_module_owner(db, id, owner, &written, err);
    if (!rc && !written)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "id",
                              "module %lld was imported from an administrator's file: it changes only by importing "
                              "the file again",
                              (long long)id);
    return rc;
}

fow_code fow_training_module_update(fow_db *db, int64_t id, const fow_module_input *in, const char *actor,
                                    long long now, fow_error *err) {
    fow_code rc;
    if ((rc = check_actor(actor, err)) || (rc = check_input(in, false, err))) return rc;
    if ((rc = fow_db_begin(db, err))) return rc;
    int64_t owner = 0;
    long long source_id = 0;
    rc = editable(db, id, &owner, err);
    if (!rc) rc = edited_source(db, now, &source_id, err);
    training_module_row row = {
        .title_ro = in->title_ro,
        .title_en = in->title_en,
        .description_ro = in->description_ro ? in->description_ro : "",
        .description_en = in->description_en ? in->description_en : "",
        .hours = in->hours,
        .mode = in->mode,
        .language = in->language,
        .place = in->place ? in->place : "",
        .cost_minor = in->cost_minor,
        .currency = in->currency,
        .eligibility = in->eligibility ? in->eligibility : "",
        .status = "draft",
        .written_by = actor,
        .updated_at = now,
    };
    if (!rc) rc = training_store_update_module(db, id, &row, err);
    if (!rc) rc = write_links(db, source_id, id, owner, in, err);
    return finish(db, rc, err);
}

fow_code fow_training_module_delete(fow_db *db, int64_t id, fow_error *err) {
    fow_code rc = fow_db_begin(db, err);
    if (rc) return rc;
    int64_t owner;
    rc = editable(db, id, &owner, err);
    if (!rc) rc = training_store_delete_module(db, id, err);
    long long source_id = 0;
    bool same;
    if (!rc) rc = fow_source_find(db, EDITED_DATASET, "", &source_id, &same, err);
    if (!rc && source_id) rc = recount(db, source_id, err);
    return finish(db, rc, err);
}

/* Moves module id from one of from to status; a conflict names the status it is in. */
static fow_code move(fow_db *db, int64_t id, const char *const *from, const char *status, const char *reason,
                     const char *actor, long long now, const char *doing, fow_error *err) {
    fow_code rc = check_actor(actor, err);
    if (rc || (rc = fow_db_begin(db, err))) return rc;
    int64_t owner = 0;
    char now_status[16] = "";
    bool written = false, found = false, changed = false;
    rc = training_store_module_owner(db, id, &owner, now_status, sizeof now_status, &written, &found, err);
    if (!rc && !found) rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "id", "no module with id %lld", (long long)id);
    if (!rc) rc = training_store_set_status(db, id, from, status, reason, actor, now, &changed, err);
    if (!rc && !changed)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "status", "module %lld is %s: only a %s module can be %s",
                              (long long)id, now_status, from[1] ? "draft or rejected" : from[0], doing);
    return finish(db, rc, err);
}

fow_code fow_training_module_submit(fow_db *db, int64_t id, const char *actor, long long now, fow_error *err) {
    static const char *const from[] = {"draft", "rejected", NULL};
    return move(db, id, from, "submitted", "", actor, now, "submitted", err);
}

fow_code fow_training_module_review(fow_db *db, int64_t id, bool approve, const char *reason, const char *actor,
                                    long long now, fow_error *err) {
    static const char *const from[] = {"submitted", NULL};
    fow_code rc = check_text(reason, "reason", !approve, 1000, err);
    if (rc) return rc;
    return move(db, id, from, approve ? "approved" : "rejected", reason ? reason : "", actor, now,
                approve ? "approved" : "rejected", err);
}

fow_code fow_training_provider_of_code(fow_db *db, const char *code, int64_t *provider_id, fow_error *err) {
    *provider_id = 0;
    if (!code || !code[0]) return FOW_OK;
    return training_store_provider_of_code(db, code, provider_id, err);
}

fow_code fow_training_provider_name(fow_db *db, int64_t id, char *name, size_t cap, fow_error *err) {
    bool found = false;
    fow_code rc = id > 0 ? training_store_provider_name(db, id, name, cap, &found, err) : FOW_OK;
    if (!rc && !found)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "provider_id", "no training provider with id %lld",
                              (long long)id);
    return rc;
}

/* ---- a provider's bank account ------------------------------------------------ */

fow_code fow_iban_check(const char *typed, const char *field, char out[FOW_IBAN_MAX + 1], fow_error *err) {
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = typed ? typed : ""; *p; p++) {
        if (*p == ' ') continue;
        char c = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field,
                                    "%s: an IBAN has letters and digits only (spaces are allowed)", field);
        if (n == FOW_IBAN_MAX)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s: an IBAN has at most %d characters",
                                    field, FOW_IBAN_MAX);
        out[n++] = c;
    }
    out[n] = '\0';
    if (n < 15)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field,
                                "%s: an IBAN has 15 to %d characters, this one %zu", field, FOW_IBAN_MAX, n);
    if (!(out[0] >= 'A' && out[0] <= 'Z' && out[1] >= 'A' && out[1] <= 'Z' && out[2] >= '0' && out[2] <= '9' &&
          out[3] >= '0' && out[3] <= '9'))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field,
                                "%s: an IBAN starts with its country's two letters and two check digits", field);
    /* ISO 13616 / ISO 7064 mod 97-10, digit by digit: no big numbers */
    unsigned remainder = 0;
    for (size_t i = 0; i < n; i++) {
        char c = out[(i + 4) % n];
        if (c >= '0' && c <= '9') remainder = (remainder * 10 + (unsigned)(c - '0')) % 97;
        else remainder = (remainder * 100 + (unsigned)(c - 'A' + 10)) % 97;
    }
    if (remainder != 1) {
        char shown[FOW_IBAN_MAX + 1];
        snprintf(shown, sizeof shown, "%s", out);
        out[0] = '\0';
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field,
                                "%s: %s is not a valid IBAN (its check digits do not match: mod-97 check)", field,
                                shown);
    }
    return FOW_OK;
}

fow_code fow_bic_check(const char *typed, const char *field, char out[FOW_BIC_MAX + 1], fow_error *err) {
    size_t n = typed ? strlen(typed) : 0;
    out[0] = '\0';
    if (n != 8 && n != 11)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s: a BIC has 8 or 11 characters", field);
    for (size_t i = 0; i < n; i++) {
        char c = typed[i] >= 'a' && typed[i] <= 'z' ? (char)(typed[i] - 'a' + 'A') : typed[i];
        bool letter = c >= 'A' && c <= 'Z', digit = c >= '0' && c <= '9';
        if ((i < 6 && !letter) || (i >= 6 && !letter && !digit)) {
            out[0] = '\0';
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field,
                                    "%s: a BIC is 4 letters (bank), 2 letters (country), 2 letters or digits "
                                    "(place) and optionally 3 (branch)",
                                    field);
        }
        out[i] = c;
    }
    out[n] = '\0';
    return FOW_OK;
}

fow_code fow_training_provider_set_bank(fow_db *db, int64_t provider_id, const char *iban, const char *bic,
                                        fow_error *err) {
    char iban_norm[FOW_IBAN_MAX + 1], bic_norm[FOW_BIC_MAX + 1] = "";
    fow_code rc = fow_iban_check(iban, "iban", iban_norm, err);
    if (!rc && bic && *bic) rc = fow_bic_check(bic, "bic", bic_norm, err);
    bool found = false;
    if (!rc) rc = training_store_set_provider_bank(db, provider_id, iban_norm, bic_norm, &found, err);
    if (!rc && !found)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "provider_id", "no training provider with id %lld",
                              (long long)provider_id);
    return rc;
}

fow_code fow_training_provider_bank(fow_db *db, int64_t provider_id, fow_provider_bank *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    out->provider_id = provider_id;
    bool found = false;
    fow_code rc = training_store_provider_bank(db, provider_id, out->name, sizeof out->name, out->iban,
                                               sizeof out->iban, out->bic, sizeof out->bic, &found, err);
    if (!rc && !found)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "provider_id", "no training provider with id %lld",
                              (long long)provider_id);
    return rc;
}
