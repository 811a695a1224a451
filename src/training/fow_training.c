/* fow_training.c — importing, loading and searching the learning catalogue. */
#include "training/fow_training.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fow_strmap.h"
#include "base/fow_text.h"
#include "taxonomy/import_internal.h"
#include "taxonomy/taxonomy_store.h"
#include "training/training_internal.h"
#include "training/training_store.h"

/* ---- import ------------------------------------------------------------- */

enum {
    C_PROVIDER, C_ACCREDITATION, C_VALID_UNTIL, C_PROGRAMME, C_MODULE, C_TITLE_RO, C_TITLE_EN, C_DESC_RO, C_DESC_EN,
    C_SKILLS, C_HOURS, C_MODE, C_LANGUAGE, C_PLACE, C_COST, C_CURRENCY, C_PRE_SKILLS, C_PRE_MODULES, C_ELIGIBILITY,
    C_N
};

static const fow_csv_column module_columns[C_N] = {
    {"provider", true},          {"accreditation", false},    {"accreditation_valid_until", false},
    {"programme", false},        {"module", true},            {"title_ro", true},
    {"title_en", true},          {"description_ro", false},   {"description_en", false},
    {"skills", true},            {"hours", true},             {"mode", true},
    {"language", true},          {"place", false},            {"cost", true},
    {"currency", true},          {"prerequisite_skills", false}, {"prerequisite_modules", false},
    {"eligibility", false}};

#define MAX_LIST_ITEMS 64

/* Splits list (";"-separated) into at most MAX_LIST_ITEMS trimmed, non-empty
 * items copied into buf; returns their number, or -1 when there are more. */
static int split_list(const char *list, char *buf, size_t cap, const char **items) {
    snprintf(buf, cap, "%s", list);
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
        while (*t == ' ' || *t == '\t') t++;
        size_t len = strlen(t);
        while (len && (t[len - 1] == ' ' || t[len - 1] == '\t')) t[--len] = '\0';
        if (!len) continue;
        if (n == MAX_LIST_ITEMS) return -1;
        items[n++] = t;
    }
    return n;
}

static bool is_date(const char *s) {
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* A provider met in the file, with what its first row said. */
typedef struct provider_seen {
    char *name, *accreditation, *valid_until;
    int64_t id;
} provider_seen;

/* A prerequisite module, resolved once every module of the file is read. */
typedef struct pending_module {
    int64_t module_id;
    int position;
    char *code;
    long line, column;
} pending_module;

typedef struct import_state {
    fow_db *db;
    fow_csv *csv;
    int ix[C_N];
    int64_t source_id;
    skill_keys skills;
    provider_seen *providers;
    size_t n_providers;
    fow_strmap programmes, modules;
    pending_module *pending;
    size_t n_pending, cap_pending;
} import_state;

static const char *field(const import_state *s, int col) {
    return s->ix[col] >= 0 ? fow_csv_field(s->csv, (size_t)s->ix[col], NULL) : "";
}

/* FOW_EINPUT at column col of the current row. */
#define ROW_ERROR(s, col, ...) fow_csv_error_at((s)->csv, (size_t)(s)->ix[col], err, __VA_ARGS__)

/* A text of at most max bytes; required ones must not be empty. */
static fow_code check_text(const import_state *s, int col, bool required, size_t max, fow_error *err) {
    const char *v = field(s, col);
    if (required && !*v) return ROW_ERROR(s, col, "%s is empty: every module needs it", module_columns[col].name);
    if (strlen(v) > max)
        return ROW_ERROR(s, col, "%s is longer than %zu bytes", module_columns[col].name, max);
    return FOW_OK;
}

static fow_code provider_id(import_state *s, int64_t *id, fow_error *err) {
    const char *name = field(s, C_PROVIDER), *acc = field(s, C_ACCREDITATION), *until = field(s, C_VALID_UNTIL);
    if (*until && !is_date(until))
        return ROW_ERROR(s, C_VALID_UNTIL, "accreditation_valid_until must be a date YYYY-MM-DD, not '%.40s'", until);
    if (*until && !*acc)
        return ROW_ERROR(s, C_VALID_UNTIL, "accreditation_valid_until is given without an accreditation");
    for (size_t i = 0; i < s->n_providers; i++) {
        provider_seen *p = &s->providers[i];
        if (strcmp(p->name, name) != 0) continue;
        if ((*acc || *until) && (strcmp(p->accreditation, acc) != 0 || strcmp(p->valid_until, until) != 0))
            return ROW_ERROR(s, *acc && strcmp(p->accreditation, acc) != 0 ? C_ACCREDITATION : C_VALID_UNTIL,
                             "provider '%.80s' is given another accreditation than on an earlier row ('%.60s' valid "
                             "until '%s')",
                             name, p->accreditation, p->valid_until);
        *id = p->id;
        return FOW_OK;
    }
    provider_seen *grown = realloc(s->providers, (s->n_providers + 1) * sizeof *grown);
    if (!grown) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    s->providers = grown;
    provider_seen *p = &s->providers[s->n_providers];
    p->name = strdup(name);
    p->accreditation = strdup(acc);
    p->valid_until = strdup(until);
    if (!p->name || !p->accreditation || !p->valid_until) {
        free(p->name), free(p->accreditation), free(p->valid_until);
        return fow_error_set(err, FOW_ENOMEM, "out of memory");
    }
    s->n_providers++;
    fow_code rc = training_store_add_provider(s->db, s->source_id, name, acc, until, id, err);
    p->id = *id;
    return rc;
}

static fow_code programme_id(import_state *s, int64_t *id, fow_error *err) {
    const char *name = field(s, C_PROGRAMME);
    *id = 0;
    if (!*name) return FOW_OK;
    if (fow_strmap_get(&s->programmes, name, strlen(name), id)) return FOW_OK;
    fow_code rc = training_store_add_programme(s->db, s->source_id, name, id, err);
    if (!rc && fow_strmap_put(&s->programmes, name, strlen(name), *id) != 0)
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    return rc;
}

/* The skills of column col as links of module_id (kind "teaches" or
 * "skill"), from position *position on. */
static fow_code add_skills(import_state *s, int col, const char *kind, int64_t module_id, int *position,
                           fow_error *err) {
    char buf[8192];
    const char *items[MAX_LIST_ITEMS];
    const char *v = field(s, col);
    if (strlen(v) >= sizeof buf) return ROW_ERROR(s, col, "%s is longer than %zu bytes", module_columns[col].name, sizeof buf - 1);
    int n = split_list(v, buf, sizeof buf, items);
    if (n < 0) return ROW_ERROR(s, col, "%s lists more than %d skills", module_columns[col].name, MAX_LIST_ITEMS);
    if (n == 0 && strcmp(kind, "teaches") == 0)
        return ROW_ERROR(s, col, "skills is empty: a module teaches at least one skill of the taxonomy (URIs or "
                                 "labels separated by ';')");
    for (int i = 0; i < n; i++) {
        int64_t id = skill_keys_find(&s->skills, items[i]);
        if (!id)
            return ROW_ERROR(s, col,
                             "unknown skill '%.100s' in %s: neither the URI nor the label of a skill in the taxonomy "
                             "(import the taxonomy or bundle that defines it first)",
                             items[i], module_columns[col].name);
        training_link_row link = {module_id, kind, id, s->skills.uri[id], s->skills.label[id], 0};
        fow_code rc = training_store_add_link(s->db, s->source_id, (*position)++, &link, err);
        if (rc) return rc;
    }
    return FOW_OK;
}

/* Records the prerequisite modules of the row for resolve_pending. */
static fow_code add_pending(import_state *s, int64_t module_id, int *position, fow_error *err) {
    char buf[4096];
    const char *items[MAX_LIST_ITEMS];
    const char *v = field(s, C_PRE_MODULES);
    if (strlen(v) >= sizeof buf) return ROW_ERROR(s, C_PRE_MODULES, "prerequisite_modules is longer than %zu bytes", sizeof buf - 1);
    int n = split_list(v, buf, sizeof buf, items);
    if (n < 0) return ROW_ERROR(s, C_PRE_MODULES, "prerequisite_modules lists more than %d modules", MAX_LIST_ITEMS);
    for (int i = 0; i < n; i++) {
        if (strcmp(items[i], field(s, C_MODULE)) == 0)
            return ROW_ERROR(s, C_PRE_MODULES, "module '%.60s' cannot be its own prerequisite", items[i]);
        if (s->n_pending == s->cap_pending) {
            size_t ncap = s->cap_pending ? s->cap_pending * 2 : 32;
            pending_module *p = realloc(s->pending, ncap * sizeof *p);
            if (!p) return fow_error_set(err, FOW_ENOMEM, "out of memory");
            s->pending = p;
            s->cap_pending = ncap;
        }
        pending_module *p = &s->pending[s->n_pending];
        p->code = strdup(items[i]);
        if (!p->code) return fow_error_set(err, FOW_ENOMEM, "out of memory");
        p->module_id = module_id;
        p->position = (*position)++;
        p->line = fow_csv_field_line(s->csv, (size_t)s->ix[C_PRE_MODULES]);
        p->column = fow_csv_field_column(s->csv, (size_t)s->ix[C_PRE_MODULES]);
        s->n_pending++;
    }
    return FOW_OK;
}

static fow_code resolve_pending(import_state *s, fow_error *err) {
    for (size_t i = 0; i < s->n_pending; i++) {
        pending_module *p = &s->pending[i];
        int64_t id = 0;
        if (!fow_strmap_get(&s->modules, p->code, strlen(p->code), &id))
            return fow_error_set_at(err, FOW_EINPUT, fow_csv_name(s->csv), p->line, p->column, "prerequisite_modules",
                                    "unknown prerequisite module '%.60s': no row of the file has it in column module",
                                    p->code);
        training_link_row link = {p->module_id, "module", 0, "", p->code, id};
        fow_code rc = training_store_add_link(s->db, s->source_id, p->position, &link, err);
        if (rc) return rc;
    }
    return FOW_OK;
}

/* Checks and writes the current row. */
static fow_code import_row(import_state *s, fow_error *err) {
    static const char *const modes[] = {"in_person", "online", "blended"};
    fow_code rc;
    if ((rc = check_text(s, C_PROVIDER, true, 200, err)) || (rc = check_text(s, C_ACCREDITATION, false, 200, err)) ||
        (rc = check_text(s, C_PROGRAMME, false, 200, err)) || (rc = check_text(s, C_MODULE, true, 60, err)) ||
        (rc = check_text(s, C_TITLE_RO, true, 300, err)) || (rc = check_text(s, C_TITLE_EN, true, 300, err)) ||
        (rc = check_text(s, C_DESC_RO, false, 4000, err)) || (rc = check_text(s, C_DESC_EN, false, 4000, err)) ||
        (rc = check_text(s, C_PLACE, false, 300, err)) || (rc = check_text(s, C_ELIGIBILITY, false, 2000, err)))
        return rc;
    const char *code = field(s, C_MODULE);
    int64_t seen;
    if (fow_strmap_get(&s->modules, code, strlen(code), &seen))
        return ROW_ERROR(s, C_MODULE, "module '%.60s' is on an earlier row too: each module has one row", code);
    double hours;
    if ((rc = fow_csv_field_double(s->csv, (size_t)s->ix[C_HOURS], false, &hours, err))) return rc;
    if (!(hours > 0 && hours <= 10000))
        return ROW_ERROR(s, C_HOURS, "hours must be more than 0 and at most 10000, not %s", field(s, C_HOURS));
    const char *mode = field(s, C_MODE);
    bool mode_ok = false;
    for (size_t i = 0; i < 3; i++) mode_ok = mode_ok || strcmp(mode, modes[i]) == 0;
    if (!mode_ok) return ROW_ERROR(s, C_MODE, "mode must be in_person, online or blended, not '%.40s'", mode);
    const char *lang = field(s, C_LANGUAGE);
    size_t lang_len = strlen(lang);
    if (lang_len < 2 || lang_len > 3 || strspn(lang, "abcdefghijklmnopqrstuvwxyz") != lang_len)
        return ROW_ERROR(s, C_LANGUAGE, "language must be a language code of 2 or 3 small letters (ro, en, hu), not "
                                        "'%.40s'",
                         lang);
    const char *cost_text = field(s, C_COST);
    char *end = NULL;
    errno = 0;
    long long cost = strtoll(cost_text, &end, 10);
    if (!*cost_text || *end || errno || cost < 0 || strspn(cost_text, "0123456789") != strlen(cost_text))
        return ROW_ERROR(s, C_COST,
                         "cost must be a whole number of minor units (bani for RON) from 0 up, e.g. 45000 for "
                         "450.00 RON, not '%.40s'",
                         cost_text);
    const char *currency = field(s, C_CURRENCY);
    if (strlen(currency) != 3 || strspn(currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
        return ROW_ERROR(s, C_CURRENCY, "currency must be an ISO 4217 code of 3 capital letters (RON, EUR), not "
                                        "'%.40s'",
                         currency);
    training_module_row row = {
        .code = code,
        .title_ro = field(s, C_TITLE_RO),
        .title_en = field(s, C_TITLE_EN),
        .description_ro = field(s, C_DESC_RO),
        .description_en = field(s, C_DESC_EN),
        .hours = hours,
        .mode = mode,
        .language = lang,
        .place = field(s, C_PLACE),
        .cost_minor = cost,
        .currency = currency,
        .eligibility = field(s, C_ELIGIBILITY),
        .line = fow_csv_record_line(s->csv),
        .source_id = s->source_id,
    };
    if ((rc = provider_id(s, &row.provider_id, err)) || (rc = programme_id(s, &row.programme_id, err))) return rc;
    int64_t module_id;
    if ((rc = training_store_add_module(s->db, &row, &module_id, err))) return rc;
    if (fow_strmap_put(&s->modules, code, strlen(code), module_id) != 0)
        return fow_error_set(err, FOW_ENOMEM, "out of memory");
    int taught = 0, needed = 0;
    if ((rc = add_skills(s, C_SKILLS, "teaches", module_id, &taught, err))) return rc;
    if (s->ix[C_PRE_SKILLS] >= 0 && (rc = add_skills(s, C_PRE_SKILLS, "skill", module_id, &needed, err))) return rc;
    if (s->ix[C_PRE_MODULES] >= 0 && (rc = add_pending(s, module_id, &needed, err))) return rc;
    return FOW_OK;
}

fow_code fow_import_modules(fow_db *db, const char *path, const fow_import_options *opt, fow_import_report *report,
                            fow_error *err) {
    import_report_init(report);
    fow_import_options none;
    if (!opt) {
        memset(&none, 0, sizeof none);
        opt = &none;
    }
    import_state s;
    memset(&s, 0, sizeof s);
    s.db = db;
    fow_strmap_init(&s.programmes);
    fow_strmap_init(&s.modules);
    fow_code rc = fow_csv_open(&s.csv, path, err);
    if (rc) return rc;
    fow_import_file_report *section = import_report_file(report, path);
    bool begun = false, unchanged = false;
    rc = fow_csv_bind_header(s.csv, module_columns, C_N, s.ix, err);
    if (!rc) rc = skill_keys_load(db, &s.skills, err);
    uint64_t taxonomy = 0;
    if (!rc) rc = import_taxonomy_state(db, &taxonomy, err);
    if (!rc) rc = fow_db_begin(db, err);
    if (rc) goto done;
    begun = true;
    const char *base = strrchr(path, '/');
    char dataset[300];
    snprintf(dataset, sizeof dataset, "modules:%.200s", import_or(opt->source_name, base ? base + 1 : path));
    import_source src = {dataset,
                         "modules",
                         import_or(opt->source_name, "learning catalogue"),
                         import_or(opt->version, "unversioned"),
                         import_or(opt->licence, "as published by the providers"),
                         import_or(opt->url, ""),
                         path,
                         fow_csv_fingerprint(s.csv) ^ taxonomy,
                         NULL};
    rc = import_source_begin(db, &src, report, &s.source_id, &unchanged, err);
    if (!rc && unchanged) {
        rc = import_unchanged_end(db, report, err);
        begun = false;
        goto done;
    }
    if (!rc) rc = training_store_clear_source(db, s.source_id, err);
    size_t last = 0;
    int r = 0;
    while (!rc && (r = fow_csv_next(s.csv, err)) == 1) {
        section->rows_read++;
        import_progress(opt, s.csv, &last);
        rc = import_row(&s, err);
        if (!rc) section->rows_imported++;
    }
    if (!rc && r < 0) rc = err->code;
    if (!rc) rc = resolve_pending(&s, err);
    if (!rc) rc = training_store_prune_providers(db, s.source_id, err);
    if (!rc && section->rows_imported == 0) rc = import_nothing_error(section, path, err);
    if (!rc) rc = import_source_rows(db, s.source_id, section->rows_imported, err);
    if (!rc) {
        rc = import_commit(db, false, opt->allow_shrink, err);
        begun = false;
    }
done:
    if (rc && begun) fow_db_rollback(db);
    for (size_t i = 0; i < s.n_providers; i++) {
        free(s.providers[i].name);
        free(s.providers[i].accreditation);
        free(s.providers[i].valid_until);
    }
    free(s.providers);
    for (size_t i = 0; i < s.n_pending; i++) free(s.pending[i].code);
    free(s.pending);
    fow_strmap_free(&s.programmes);
    fow_strmap_free(&s.modules);
    skill_keys_free(&s.skills);
    fow_csv_close(s.csv);
    return rc;
}

/* ---- load --------------------------------------------------------------- */

typedef struct load_state {
    fow_training_catalogue *c;
    bool approved_only;
    size_t cap_modules, cap_links;
    fow_strmap index; /* module id as text -> its index */
} load_state;

static const char *keep(fow_training_catalogue *c, const char *s) { return fow_arena_strdup(&c->text, s); }

static fow_code load_module(void *ctx, const training_module_row *r, fow_error *err) {
    load_state *ls = ctx;
    fow_training_catalogue *c = ls->c;
    if (ls->approved_only && strcmp(r->status, "approved") != 0) return FOW_OK;
    if (c->n_modules == ls->cap_modules) {
        size_t ncap = ls->cap_modules ? ls->cap_modules * 2 : 64;
        fow_training_module *m = realloc(c->modules, ncap * sizeof *m);
        if (!m) return fow_error_set(err, FOW_ENOMEM, "out of memory");
        c->modules = m;
        ls->cap_modules = ncap;
    }
    fow_training_module *m = &c->modules[c->n_modules];
    memset(m, 0, sizeof *m);
    m->id = r->id;
    m->code = keep(c, r->code);
    m->provider = keep(c, r->provider);
    m->accreditation = keep(c, r->accreditation);
    m->accreditation_valid_until = keep(c, r->accreditation_valid_until);
    m->programme = keep(c, r->programme);
    m->title_ro = keep(c, r->title_ro);
    m->title_en = keep(c, r->title_en);
    m->description_ro = keep(c, r->description_ro);
    m->description_en = keep(c, r->description_en);
    m->hours = r->hours;
    m->mode = keep(c, r->mode);
    m->language = keep(c, r->language);
    m->place = keep(c, r->place);
    m->cost_minor = r->cost_minor;
    m->currency = keep(c, r->currency);
    m->eligibility = keep(c, r->eligibility);
    m->line = r->line;
    m->source_id = r->source_id;
    m->provider_id = r->provider_id;
    m->status = keep(c, r->status);
    m->review_reason = keep(c, r->review_reason);
    m->reviewed_by = keep(c, r->reviewed_by);
    m->reviewed_at = r->reviewed_at;
    m->written_by = keep(c, r->written_by);
    m->updated_at = r->updated_at;
    if (!m->status || !m->review_reason || !m->reviewed_by || !m->written_by)
        return fow_error_set(err, FOW_ENOMEM, "out of memory");
    if (!m->code || !m->provider || !m->accreditation || !m->accreditation_valid_until || !m->programme ||
        !m->title_ro || !m->title_en || !m->description_ro || !m->description_en || !m->mode || !m->language ||
        !m->place || !m->currency || !m->eligibility)
        return fow_error_set(err, FOW_ENOMEM, "out of memory");
    char key[32];
    int len = snprintf(key, sizeof key, "%lld", (long long)r->id);
    if (fow_strmap_put(&ls->index, key, (size_t)len, (int64_t)c->n_modules) != 0)
        return fow_error_set(err, FOW_ENOMEM, "out of memory");
    c->n_modules++;
    return FOW_OK;
}

/* Links point at their module by index in links_module while loading. */
typedef struct link_load {
    load_state *ls;
    size_t *module_of; /* per link: its module's index */
    size_t cap;
} link_load;

static fow_code load_link(void *ctx, const training_link_row *r, fow_error *err) {
    link_load *ll = ctx;
    fow_training_catalogue *c = ll->ls->c;
    char key[32];
    int len = snprintf(key, sizeof key, "%lld", (long long)r->module_id);
    int64_t at;
    if (!fow_strmap_get(&ll->ls->index, key, (size_t)len, &at)) {
        if (ll->ls->approved_only) return FOW_OK; /* a module not in the public catalogue */
        return fow_error_set(err, FOW_EINTERNAL, "a module's skill points at module %lld, which is not stored",
                             (long long)r->module_id);
    }
    if (c->n_links == ll->cap) {
        size_t ncap = ll->cap ? ll->cap * 2 : 256;
        fow_training_link *l = realloc(c->links, ncap * sizeof *l);
        if (l) c->links = l;
        size_t *mo = realloc(ll->module_of, ncap * sizeof *mo);
        if (mo) ll->module_of = mo;
        if (!l || !mo) return fow_error_set(err, FOW_ENOMEM, "out of memory");
        ll->cap = ncap;
    }
    fow_training_link *l = &c->links[c->n_links];
    l->kind = strcmp(r->kind, "teaches") == 0 ? FOW_TRAINING_TEACHES
              : strcmp(r->kind, "skill") == 0 ? FOW_TRAINING_NEEDS_SKILL
                                              : FOW_TRAINING_NEEDS_MODULE;
    l->skill_id = r->skill_id;
    l->uri = keep(c, r->skill_uri);
    l->label = keep(c, r->label);
    l->module_id = r->required_module_id;
    if (!l->uri || !l->label) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    ll->module_of[c->n_links++] = (size_t)at;
    return FOW_OK;
}

fow_code fow_training_load(fow_db *db, fow_training_catalogue *out, fow_error *err) {
    return fow_training_load_any(db, false, out, err);
}

fow_code fow_training_load_any(fow_db *db, bool every_status, fow_training_catalogue *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    fow_arena_init(&out->text, 1 << 14);
    load_state ls = {out, !every_status, 0, 0, {0}};
    fow_strmap_init(&ls.index);
    link_load ll = {&ls, NULL, 0};
    fow_code rc = fow_db_read_begin(db, err);
    if (rc) goto done;
    rc = training_store_each_module(db, load_module, &ls, err);
    if (!rc) rc = training_store_each_link(db, load_link, &ll, err);
    fow_db_read_end(db);
    /* the links come by module id, each module's together: point each
     * module at its run */
    for (size_t i = 0; !rc && i < out->n_links; i++) {
        fow_training_module *m = &out->modules[ll.module_of[i]];
        if (!m->n_links) m->links = &out->links[i];
        m->n_links++;
    }
done:
    free(ll.module_of);
    fow_strmap_free(&ls.index);
    return rc;
}

void fow_training_free(fow_training_catalogue *c) {
    if (!c) return;
    free(c->modules);
    free(c->links);
    fow_arena_free(&c->text);
    memset(c, 0, sizeof *c);
}

const fow_training_module *fow_training_module_by_id(const fow_training_catalogue *c, int64_t id) {
    for (size_t i = 0; i < c->n_modules; i++)
        if (c->modules[i].id == id) return &c->modules[i];
    return NULL;
}

const fow_training_module *fow_training_module_by_code(const fow_training_catalogue *c, const char *code) {
    for (size_t i = 0; c && code && i < c->n_modules; i++)
        if (strcmp(c->modules[i].code, code) == 0) return &c->modules[i];
    return NULL;
}

/* ---- search ------------------------------------------------------------- */

/* s folded into buf (cap bytes); "" when it cannot be. */
static const char *fold(const char *s, char *buf, size_t cap) {
    fow_error ignored;
    fow_error_clear(&ignored);
    long len = fow_text_fold_into(s, strlen(s), buf, cap, &ignored);
    if (len < 0) len = 0;
    buf[(size_t)len < cap ? (size_t)len : cap - 1] = '\0';
    return buf;
}

static bool teaches(const fow_training_module *m, const char *skill, const char *folded_skill) {
    char buf[600];
    for (size_t i = 0; i < m->n_links; i++) {
        const fow_training_link *l = &m->links[i];
        if (l->kind != FOW_TRAINING_TEACHES) continue;
        if (strcmp(l->uri, skill) == 0 || strcmp(fold(l->label, buf, sizeof buf), folded_skill) == 0) return true;
    }
    return false;
}

/* True when every word of folded_text is in one of the module's texts. */
static bool has_words(const fow_training_module *m, const char *folded_text) {
    const char *fields[] = {m->code, m->title_ro, m->title_en, m->provider, m->programme};
    char hay[2400] = "";
    size_t used = 0;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        char buf[700];
        int w = snprintf(hay + used, sizeof hay - used, "%s ", fold(fields[i], buf, sizeof buf));
        if (w > 0) used += (size_t)w < sizeof hay - used ? (size_t)w : sizeof hay - used - 1;
    }
    char words[600];
    snprintf(words, sizeof words, "%s", folded_text);
    char *save = NULL;
    for (char *t = strtok_r(words, " ", &save); t; t = strtok_r(NULL, " ", &save))
        if (!strstr(hay, t)) return false;
    return true;
}

fow_code fow_training_find(const fow_training_catalogue *c, const fow_training_query *q, size_t **out, size_t *n,
                           fow_error *err) {
    *out = NULL;
    *n = 0;
    const char *skill = q && q->skill && *q->skill ? q->skill : NULL;
    const char *text = q && q->text && *q->text ? q->text : NULL;
    char folded_skill[600] = "", folded_text[600] = "";
    if (skill) fold(skill, folded_skill, sizeof folded_skill);
    if (text) fold(text, folded_text, sizeof folded_text);
    if (skill) {
        bool known = false;
        char buf[600];
        for (size_t i = 0; i < c->n_links && !known; i++)
            known = c->links[i].kind != FOW_TRAINING_NEEDS_MODULE &&
                    (strcmp(c->links[i].uri, skill) == 0 ||
                     strcmp(fold(c->links[i].label, buf, sizeof buf), folded_skill) == 0);
        if (!known)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "skill",
                                    "no module of the catalogue teaches or needs a skill with the URI or label "
                                    "'%.100s'",
                                    skill);
    }
    size_t *idx = c->n_modules ? malloc(c->n_modules * sizeof *idx) : NULL;
    if (c->n_modules && !idx) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n_modules; i++) {
        const fow_training_module *m = &c->modules[i];
        if (skill && !teaches(m, skill, folded_skill)) continue;
        if (text && !has_words(m, folded_text)) continue;
        idx[(*n)++] = i;
    }
    if (*n == 0) {
        free(idx);
        idx = NULL;
    }
    *out = idx;
    return FOW_OK;
}

fow_code fow_training_select(const fow_training_catalogue *c, const char *status, int64_t provider_id, size_t **out,
                             size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    size_t *idx = c->n_modules ? malloc(c->n_modules * sizeof *idx) : NULL;
    if (c->n_modules && !idx) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n_modules; i++) {
        const fow_training_module *m = &c->modules[i];
        if (status && *status && strcmp(m->status, status) != 0) continue;
        if (provider_id && m->provider_id != provider_id) continue;
        idx[(*n)++] = i;
    }
    if (*n == 0) {
        free(idx);
        idx = NULL;
    }
    *out = idx;
    return FOW_OK;
}
