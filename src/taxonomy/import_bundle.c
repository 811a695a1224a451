/* import_bundle.c — fow's own CSV bundle (docs/data-formats.md). */
#include <stdio.h>
#include <string.h>

#include "base/fow_vec.h"
#include "taxonomy/import_internal.h"
#include "taxonomy/taxonomy_batch.h"

#define OOM(err) fow_error_set(err, FOW_ENOMEM, "out of memory")

/* Reads the next record, reporting progress; -1 on error. */
static int next_row(fow_csv *csv, const fow_import_options *opt, size_t *last, fow_error *err) {
    int r = fow_csv_next(csv, err);
    import_progress(opt, csv, last);
    return r;
}

/* A required, non-empty field. */
static fow_code need(fow_csv *csv, int idx, const char *name, const char **out, fow_error *err) {
    *out = fow_csv_field(csv, (size_t)idx, NULL);
    if (!**out) return fow_csv_error_at(csv, (size_t)idx, err, "column '%s' is empty; a value is required", name);
    return FOW_OK;
}

static const char *opt_field(fow_csv *csv, int idx) {
    return idx >= 0 ? fow_csv_field(csv, (size_t)idx, NULL) : NULL;
}

/* 0/1 flag column; empty means 0. */
static fow_code flag(fow_csv *csv, int idx, const char *name, int *out, fow_error *err) {
    *out = 0;
    if (idx < 0) return FOW_OK;
    const char *s = fow_csv_field(csv, (size_t)idx, NULL);
    if (!*s || strcmp(s, "0") == 0) return FOW_OK;
    if (strcmp(s, "1") == 0) {
        *out = 1;
        return FOW_OK;
    }
    return fow_csv_error_at(csv, (size_t)idx, err, "column '%s' must be 0 or 1, not '%s'", name, s);
}

static fow_code read_occupations(taxonomy_batch *b, fow_csv *csv, const fow_import_options *opt,
                                 fow_error *err) {
    enum { URI, CODE, ISCO, LABEL, ALT, DESC, N };
    static const fow_csv_column cols[N] = {{"uri", true},       {"code", false},      {"isco_group", false},
                                           {"label", true},     {"alt_labels", false}, {"description", false}};
    int ix[N];
    fow_code rc = fow_csv_bind_header(csv, cols, N, ix, err);
    if (rc) return rc;
    size_t last = 0;
    int r;
    while ((r = next_row(csv, opt, &last, err)) > 0) {
        b->occupations_report->rows_read++;
        tx_occupation o = {0};
        if ((rc = need(csv, ix[URI], "uri", &o.uri, err)) || (rc = need(csv, ix[LABEL], "label", &o.label, err)))
            return rc;
        o.uri = taxonomy_key(b, o.uri, NULL);
        o.label = taxonomy_keep(b, o.label);
        o.code = taxonomy_keep(b, opt_field(csv, ix[CODE]));
        o.isco_group = taxonomy_key(b, opt_field(csv, ix[ISCO]), NULL);
        o.description = taxonomy_keep(b, opt_field(csv, ix[DESC]));
        o.loc = taxonomy_loc(b, csv, ix[URI], "uri");
        if (ix[ALT] >= 0 && (rc = taxonomy_split(b, opt_field(csv, ix[ALT]), '|', &o.alt_labels, &o.n_alt, err)))
            return rc;
        if (b->out_of_memory || FOW_VEC_PUSH(b->occupations, b->n_occupations, b->cap_occupations, o)) return OOM(err);
    }
    return r < 0 ? err->code : FOW_OK;
}

static fow_code read_skills(taxonomy_batch *b, fow_csv *csv, const fow_import_options *opt, fow_error *err) {
    enum { LABEL, URI, TYPE, REUSE, GREEN, DIGITAL, TRANSVERSAL, LANGUAGE, ALT, DESC, N };
    static const fow_csv_column cols[N] = {
        {"label", true},  {"uri", false},         {"skill_type", false}, {"reuse_level", false},
        {"green", false}, {"digital", false},     {"transversal", false}, {"language", false},
        {"alt_labels", false}, {"description", false}};
    int ix[N];
    fow_code rc = fow_csv_bind_header(csv, cols, N, ix, err);
    if (rc) return rc;
    size_t last = 0;
    int r;
    while ((r = next_row(csv, opt, &last, err)) > 0) {
        b->skills_report->rows_read++;
        tx_skill s = {0};
        if ((rc = need(csv, ix[LABEL], "label", &s.label, err))) return rc;
        s.uri = opt_field(csv, ix[URI]);
        s.skill_type = opt_field(csv, ix[TYPE]);
        s.reuse_level = opt_field(csv, ix[REUSE]);
        s.description = opt_field(csv, ix[DESC]);
        if ((rc = flag(csv, ix[GREEN], "green", &s.green, err)) ||
            (rc = flag(csv, ix[DIGITAL], "digital", &s.digital, err)) ||
            (rc = flag(csv, ix[TRANSVERSAL], "transversal", &s.transversal, err)) ||
            (rc = flag(csv, ix[LANGUAGE], "language", &s.language, err)))
            return rc;
        if (s.skill_type && *s.skill_type && strcmp(s.skill_type, "knowledge") != 0 &&
            strcmp(s.skill_type, "skill/competence") != 0)
            return fow_csv_error_at(csv, (size_t)ix[TYPE], err,
                                    "skill_type must be 'knowledge', 'skill/competence' or empty, not '%s'",
                                    s.skill_type);
        s.label = taxonomy_key(b, s.label, NULL);
        s.uri = taxonomy_key(b, s.uri, NULL);
        s.skill_type = taxonomy_key(b, s.skill_type, NULL);
        s.reuse_level = taxonomy_key(b, s.reuse_level, NULL);
        s.description = taxonomy_keep(b, s.description);
        s.loc = taxonomy_loc(b, csv, ix[LABEL], "label");
        if (ix[ALT] >= 0 && (rc = taxonomy_split(b, opt_field(csv, ix[ALT]), '|', &s.alt_labels, &s.n_alt, err)))
            return rc;
        if (b->out_of_memory || FOW_VEC_PUSH(b->skills, b->n_skills, b->cap_skills, s)) return OOM(err);
    }
    return r < 0 ? err->code : FOW_OK;
}

static fow_code read_relations(taxonomy_batch *b, fow_csv *csv, const fow_import_options *opt,
                               fow_error *err) {
    enum { OCC, REL, SKILL, N };
    static const fow_csv_column cols[N] = {{"occupation_uri", true}, {"relation", true}, {"skill_label", true}};
    int ix[N];
    fow_code rc = fow_csv_bind_header(csv, cols, N, ix, err);
    if (rc) return rc;
    size_t last = 0;
    int r;
    while ((r = next_row(csv, opt, &last, err)) > 0) {
        b->relations_report->rows_read++;
        tx_relation rel = {0};
        const char *relation, *occupation_uri, *skill_label;
        if ((rc = need(csv, ix[OCC], "occupation_uri", &occupation_uri, err)) ||
            (rc = need(csv, ix[REL], "relation", &relation, err)) ||
            (rc = need(csv, ix[SKILL], "skill_label", &skill_label, err)))
            return rc;
        if (strcmp(relation, "essential") == 0) rel.essential = true;
        else if (strcmp(relation, "optional") != 0)
            return fow_csv_error_at(csv, (size_t)ix[REL], err,
                                    "relation must be 'essential' or 'optional', not '%s'", relation);
        rel.occupation_loc = taxonomy_loc(b, csv, ix[OCC], "occupation_uri");
        rel.skill_loc = taxonomy_loc(b, csv, ix[SKILL], "skill_label");
        taxonomy_key(b, occupation_uri, &rel.occupation);
        taxonomy_key(b, skill_label, &rel.skill);
        if (b->out_of_memory || FOW_VEC_PUSH(b->relations, b->n_relations, b->cap_relations, rel)) return OOM(err);
    }
    return r < 0 ? err->code : FOW_OK;
}

static fow_code read_groups(taxonomy_batch *b, fow_csv *csv, const fow_import_options *opt, fow_error *err) {
    enum { CODE, LABEL, N };
    static const fow_csv_column cols[N] = {{"code", true}, {"label", true}};
    int ix[N];
    fow_code rc = fow_csv_bind_header(csv, cols, N, ix, err);
    if (rc) return rc;
    size_t last = 0;
    int r;
    while ((r = next_row(csv, opt, &last, err)) > 0) {
        b->groups_report->rows_read++;
        tx_group g = {0};
        if ((rc = need(csv, ix[CODE], "code", &g.code, err)) || (rc = need(csv, ix[LABEL], "label", &g.label, err)))
            return rc;
        g.code = taxonomy_key(b, g.code, NULL);
        g.label = taxonomy_keep(b, g.label);
        g.loc = taxonomy_loc(b, csv, ix[CODE], "code");
        if (b->out_of_memory || FOW_VEC_PUSH(b->groups, b->n_groups, b->cap_groups, g)) return OOM(err);
    }
    return r < 0 ? err->code : FOW_OK;
}

static fow_code read_parents(taxonomy_batch *b, fow_csv *csv, const fow_import_options *opt, fow_error *err) {
    enum { CHILD, PARENT, N };
    static const fow_csv_column cols[N] = {{"occupation_uri", true}, {"parent_uri", true}};
    int ix[N];
    fow_code rc = fow_csv_bind_header(csv, cols, N, ix, err);
    if (rc) return rc;
    size_t last = 0;
    int r;
    while ((r = next_row(csv, opt, &last, err)) > 0) {
        b->parents_report->rows_read++;
        tx_parent p = {0};
        const char *child_uri, *parent_uri;
        if ((rc = need(csv, ix[CHILD], "occupation_uri", &child_uri, err)) ||
            (rc = need(csv, ix[PARENT], "parent_uri", &parent_uri, err)))
            return rc;
        p.child_loc = taxonomy_loc(b, csv, ix[CHILD], "occupation_uri");
        p.parent_loc = taxonomy_loc(b, csv, ix[PARENT], "parent_uri");
        taxonomy_key(b, child_uri, &p.child);
        taxonomy_key(b, parent_uri, &p.parent);
        if (b->out_of_memory || FOW_VEC_PUSH(b->parents, b->n_parents, b->cap_parents, p)) return OOM(err);
    }
    return r < 0 ? err->code : FOW_OK;
}

static fow_code check_lang(fow_csv *csv, int idx, const char *lang, fow_error *err) {
    size_t n = strlen(lang);
    bool ok = n >= 2 && n <= 7; /* fits fow_model_term.lang */
    for (size_t i = 0; ok && i < n; i++) ok = (lang[i] >= 'a' && lang[i] <= 'z') || lang[i] == '-';
    if (!ok) return fow_csv_error_at(csv, (size_t)idx, err, "'%s' is not a language code (like 'ro' or 'en')", lang);
    return FOW_OK;
}

static fow_code read_labels(taxonomy_batch *b, fow_csv *csv, bool is_skill, const fow_import_options *opt,
                            fow_error *err) {
    enum { KEY, LANG, LABEL, KIND, N };
    const char *key_name = is_skill ? "skill_label" : "occupation_uri";
    fow_csv_column cols[N] = {{key_name, true}, {"lang", true}, {"label", true}, {"kind", false}};
    int ix[N];
    fow_code rc = fow_csv_bind_header(csv, cols, N, ix, err);
    if (rc) return rc;
    size_t last = 0;
    int r;
    while ((r = next_row(csv, opt, &last, err)) > 0) {
        (is_skill ? b->skill_labels_report : b->labels_report)->rows_read++;
        tx_label l = {.is_skill = is_skill, .preferred = true};
        if ((rc = need(csv, ix[KEY], key_name, &l.key, err)) || (rc = need(csv, ix[LANG], "lang", &l.lang, err)) ||
            (rc = need(csv, ix[LABEL], "label", &l.label, err)) || (rc = check_lang(csv, ix[LANG], l.lang, err)))
            return rc;
        const char *kind = opt_field(csv, ix[KIND]);
        if (kind && *kind) {
            if (strcmp(kind, "alt") == 0) l.preferred = false;
            else if (strcmp(kind, "preferred") != 0)
                return fow_csv_error_at(csv, (size_t)ix[KIND], err, "kind must be 'preferred' or 'alt', not '%s'", kind);
        }
        l.key_loc = taxonomy_loc(b, csv, ix[KEY], key_name);
        l.key = taxonomy_key(b, l.key, NULL);
        l.lang = taxonomy_key(b, l.lang, NULL);
        l.label = taxonomy_keep(b, l.label);
        if (b->out_of_memory || FOW_VEC_PUSH(b->labels, b->n_labels, b->cap_labels, l)) return OOM(err);
    }
    return r < 0 ? err->code : FOW_OK;
}

typedef struct bundle_source {
    const char *name, *version, *licence, *url, *language;
} bundle_source;

static fow_code read_source(taxonomy_batch *b, fow_csv *csv, bundle_source *src, fow_error *err) {
    enum { NAME, VERSION, LICENCE, URL, LANGUAGE, N };
    static const fow_csv_column cols[N] = {
        {"name", true}, {"version", true}, {"licence", false}, {"url", false}, {"language", false}};
    int ix[N];
    fow_code rc = fow_csv_bind_header(csv, cols, N, ix, err);
    if (rc) return rc;
    int r = fow_csv_next(csv, err);
    if (r < 0) return err->code;
    if (r == 0) return fow_error_set_at(err, FOW_EINPUT, fow_csv_name(csv), 2, 1, NULL, "source.csv needs one data row");
    if ((rc = need(csv, ix[NAME], "name", &src->name, err)) || (rc = need(csv, ix[VERSION], "version", &src->version, err)))
        return rc;
    src->licence = opt_field(csv, ix[LICENCE]);
    src->url = opt_field(csv, ix[URL]);
    src->language = opt_field(csv, ix[LANGUAGE]);
    if (src->language && *src->language && (rc = check_lang(csv, ix[LANGUAGE], src->language, err))) return rc;
    /* kept: the next record replaces the reader's fields */
    src->name = taxonomy_keep(b, src->name);
    src->version = taxonomy_keep(b, src->version);
    src->licence = taxonomy_keep(b, src->licence);
    src->url = taxonomy_keep(b, src->url);
    src->language = taxonomy_keep(b, src->language);
    if (b->out_of_memory) return OOM(err);
    r = fow_csv_next(csv, err);
    if (r < 0) return err->code;
    if (r > 0) return fow_csv_error_at(csv, 0, err, "source.csv must have exactly one data row");
    return FOW_OK;
}

typedef fow_code (*bundle_reader)(taxonomy_batch *, fow_csv *, const fow_import_options *, fow_error *);

/* Opens dir/name when it exists and runs reader on it. *present tells. */
static fow_code read_part(taxonomy_batch *b, const char *dir, const char *name, bool required,
                          bundle_reader reader, fow_import_file_report **section, bool *present,
                          fow_import_report *report, const fow_import_options *opt, fow_error *err) {
    char path[1024];
    import_join_path(path, sizeof path, dir, name);
    if (present) *present = false;
    if (!import_file_exists(path)) {
        if (required) return fow_error_set_at(err, FOW_EIO, path, 0, 0, NULL, "required file not found");
        import_note(report, "%s not found (optional): skipped", name);
        import_note_code(report, "import.note.optional_missing");
        import_note_param(report, "file", "%s", name);
        return FOW_OK;
    }
    fow_csv *csv;
    fow_code rc = taxonomy_batch_open(b, path, &csv, err);
    if (rc) return rc;
    *section = import_report_file(report, path);
    if (present) *present = true;
    return reader(b, csv, opt, err);
}

static fow_code read_occupation_labels(taxonomy_batch *b, fow_csv *csv, const fow_import_options *opt,
                                       fow_error *err) {
    return read_labels(b, csv, false, opt, err);
}

static fow_code read_skill_labels(taxonomy_batch *b, fow_csv *csv, const fow_import_options *opt,
                                  fow_error *err) {
    return read_labels(b, csv, true, opt, err);
}

fow_code fow_import_bundle(fow_db *db, const char *dir, const fow_import_options *opt,
                           fow_import_report *report, fow_error *err) {
    import_report_init(report);
    fow_import_options defaults = {0};
    if (!opt) opt = &defaults;
    taxonomy_batch b;
    taxonomy_batch_init(&b, "en");
    b.opt = opt;
    bundle_source src = {0};
    char path[1024];
    import_join_path(path, sizeof path, dir, "source.csv");
    fow_code rc = FOW_OK;
    if (import_file_exists(path)) {
        fow_csv *csv;
        rc = taxonomy_batch_open(&b, path, &csv, err);
        if (!rc) rc = read_source(&b, csv, &src, err);
    }
    if (!rc && src.language && *src.language) b.lang = src.language;
    if (!rc && opt->lang) b.lang = opt->lang;
    if (!rc)
        rc = read_part(&b, dir, "occupations.csv", true, read_occupations, &b.occupations_report,
                       &b.has_occupations, report, opt, err);
    if (!rc)
        rc = read_part(&b, dir, "skills.csv", false, read_skills, &b.skills_report, &b.has_skills, report, opt, err);
    if (!rc)
        rc = read_part(&b, dir, "occupation_skills.csv", false, read_relations, &b.relations_report,
                       &b.has_relations, report, opt, err);
    if (!rc)
        rc = read_part(&b, dir, "isco_groups.csv", false, read_groups, &b.groups_report, &b.has_groups, report,
                       opt, err);
    if (!rc)
        rc = read_part(&b, dir, "occupation_parents.csv", false, read_parents, &b.parents_report,
                       &b.has_parents, report, opt, err);
    if (!rc)
        rc = read_part(&b, dir, "occupation_labels.csv", false, read_occupation_labels, &b.labels_report, NULL,
                       report, opt, err);
    if (!rc)
        rc = read_part(&b, dir, "skill_labels.csv", false, read_skill_labels, &b.skill_labels_report, NULL,
                       report, opt, err);
    if (!rc) {
        /* the name defaults to the folder's name */
        const char *base = strrchr(dir, '/');
        char dirname[256];
        snprintf(dirname, sizeof dirname, "%s", base && base[1] ? base + 1 : dir);
        size_t n = strlen(dirname);
        while (n > 1 && dirname[n - 1] == '/') dirname[--n] = '\0';
        /* without source.csv: ESCO when every occupation is one of ESCO's
         * (its URI in ESCO's namespace says who publishes it, and under
         * which licence), the version from the folder's name */
        bool esco = !src.name && b.n_occupations > 0;
        for (size_t i = 0; esco && i < b.n_occupations; i++)
            esco = strncmp(b.occupations[i].uri, ESCO_URI_PREFIX, strlen(ESCO_URI_PREFIX)) == 0;
        char path_version[64];
        bool versioned = import_version_in_path(dir, path_version, sizeof path_version);
        const char *name = import_or(opt->source_name, import_or(src.name, esco ? "ESCO" : dirname));
        bool own = opt->source_name && *opt->source_name;
        const char *version = import_or(opt->version, import_or(src.version, !own && versioned ? path_version
                                                                                              : "unversioned"));
        const char *licence = import_or(opt->licence, import_or(src.licence, esco && !own ? ESCO_LICENCE : "not stated"));
        const char *url = import_or(opt->url, import_or(src.url, esco && !own ? ESCO_URL : ""));
        char dataset[220];
        snprintf(dataset, sizeof dataset, "taxonomy:%s", name);
        rc = taxonomy_import_batch(db, &b, dataset, name, version, licence, url, dir, opt->allow_shrink, report, err);
    }
    taxonomy_batch_free(&b);
    return rc;
}
