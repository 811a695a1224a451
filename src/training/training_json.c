/* training_json.c — the learning catalogue as JSON, written once for the
 * command line and the API (fow_training.h). */
#include <stdio.h>
#include <time.h>

#include "training/fow_training.h"

static void pair(fow_jw *w, const char *key, const char *ro, const char *en) {
    fow_jw_key(w, key);
    fow_jw_object(w);
    fow_jw_kstring(w, "ro", ro);
    fow_jw_kstring(w, "en", en);
    fow_jw_object_end(w);
}

/* t (unix seconds) as "YYYY-MM-DDTHH:MM:SSZ", or null for 0. */
static void time_at(fow_jw *w, const char *key, long long t) {
    char buf[32];
    time_t tt = (time_t)t;
    struct tm tm;
    if (!t || !gmtime_r(&tt, &tm) || !strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm)) fow_jw_knull(w, key);
    else fow_jw_kstring(w, key, buf);
}

/* "" as null: a field the file left empty. */
static void kstring_or_null(fow_jw *w, const char *key, const char *s) { fow_jw_kstring(w, key, *s ? s : NULL); }

static void skill_list(fow_jw *w, const fow_training_module *m, fow_training_link_kind kind) {
    fow_jw_array(w);
    for (size_t i = 0; i < m->n_links; i++) {
        const fow_training_link *l = &m->links[i];
        if (l->kind != kind) continue;
        fow_jw_object(w);
        kstring_or_null(w, "uri", l->uri);
        fow_jw_kstring(w, "label", l->label);
        fow_jw_kbool(w, "in_taxonomy", l->skill_id != 0);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
}

void fow_training_result_module(fow_jw *w, const fow_training_catalogue *c, const fow_training_module *m) {
    (void)c;
    fow_jw_object(w);
    fow_jw_kint(w, "id", m->id);
    fow_jw_kstring(w, "code", m->code);
    pair(w, "title", m->title_ro, m->title_en);
    pair(w, "description", m->description_ro, m->description_en);
    fow_jw_key(w, "provider");
    fow_jw_object(w);
    fow_jw_kint(w, "id", m->provider_id);
    fow_jw_kstring(w, "name", m->provider);
    kstring_or_null(w, "accreditation", m->accreditation);
    kstring_or_null(w, "accreditation_valid_until", m->accreditation_valid_until);
    fow_jw_object_end(w);
    kstring_or_null(w, "programme", m->programme);
    fow_jw_key(w, "skills");
    skill_list(w, m, FOW_TRAINING_TEACHES);
    fow_jw_kreal(w, "hours", m->hours);
    fow_jw_kstring(w, "mode", m->mode);
    fow_jw_kstring(w, "language", m->language);
    kstring_or_null(w, "place", m->place);
    fow_jw_key(w, "cost");
    fow_jw_object(w);
    fow_jw_kint(w, "minor_units", m->cost_minor);
    fow_jw_kstring(w, "currency", m->currency);
    char amount[40];
    snprintf(amount, sizeof amount, "%lld.%02lld", m->cost_minor / 100, m->cost_minor % 100);
    fow_jw_kstring(w, "amount", amount);
    fow_jw_kstring(w, "per", "participant");
    fow_jw_object_end(w);
    fow_jw_key(w, "prerequisites");
    fow_jw_object(w);
    fow_jw_key(w, "skills");
    skill_list(w, m, FOW_TRAINING_NEEDS_SKILL);
    fow_jw_key(w, "modules");
    fow_jw_array(w);
    for (size_t i = 0; i < m->n_links; i++) {
        const fow_training_link *l = &m->links[i];
        if (l->kind != FOW_TRAINING_NEEDS_MODULE) continue;
        fow_jw_object(w);
        fow_jw_kint(w, "id", l->module_id);
        fow_jw_kstring(w, "code", l->label);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_object_end(w);
    kstring_or_null(w, "eligibility", m->eligibility);
    fow_jw_key(w, "source");
    fow_jw_object(w);
    fow_jw_kint(w, "source_id", m->source_id);
    if (m->written_by[0]) fow_jw_knull(w, "line");
    else fow_jw_kint(w, "line", m->line);
    kstring_or_null(w, "written_by", m->written_by);
    fow_jw_object_end(w);
    fow_jw_kstring(w, "status", m->status);
    fow_jw_key(w, "review");
    fow_jw_object(w);
    kstring_or_null(w, "reason", m->review_reason);
    kstring_or_null(w, "by", m->reviewed_by);
    time_at(w, "at", m->reviewed_at);
    fow_jw_object_end(w);
    fow_jw_object_end(w);
}

void fow_training_result_modules(fow_jw *w, const fow_training_catalogue *c, const size_t *idx, size_t n,
                                 const fow_training_query *q) {
    fow_jw_object(w);
    fow_jw_key(w, "query");
    fow_jw_object(w);
    fow_jw_kstring(w, "skill", q && q->skill && *q->skill ? q->skill : NULL);
    fow_jw_kstring(w, "text", q && q->text && *q->text ? q->text : NULL);
    fow_jw_object_end(w);
    fow_jw_kint(w, "count", (long long)n);
    fow_jw_kint(w, "catalogue_size", (long long)c->n_modules);
    fow_jw_key(w, "modules");
    fow_jw_array(w);
    for (size_t i = 0; i < n; i++) fow_training_result_module(w, c, &c->modules[idx[i]]);
    fow_jw_array_end(w);
    fow_jw_object_end(w);
}
