/* import_esco.c — the CSV layout the ESCO portal distributes. */
#include <stdio.h>
#include <string.h>

#include "base/fow_vec.h"
#include "taxonomy/import_internal.h"
#include "taxonomy/taxonomy_batch.h"

#define OOM(err) fow_error_set(err, FOW_ENOMEM, "out of memory")

typedef struct esco_reader {
    taxonomy_batch *b;
    const fow_import_options *opt;
    fow_import_report *report;
    const char *dir;
    const char *lang;
} esco_reader;

static fow_code need(fow_csv *csv, int idx, const char *name, const char **out, fow_error *err) {
    *out = fow_csv_field(csv, (size_t)idx, NULL);
    if (!**out) return fow_csv_error_at(csv, (size_t)idx, err, "column '%s' is empty; a value is required", name);
    return FOW_OK;
}

static const char *opt_field(fow_csv *csv, int idx) {
    return idx >= 0 ? fow_csv_field(csv, (size_t)idx, NULL) : NULL;
}

/* Opens <stem>_<lang>.csv in the folder; *csv NULL when it is missing and
 * optional (noted in the report). */
static fow_code open_part(esco_reader *e, const char *stem, bool required, fow_csv **csv,
                          fow_import_file_report **section, fow_error *err) {
    char name[160], path[1024];
    snprintf(name, sizeof name, "%s_%s.csv", stem, e->lang);
    import_join_path(path, sizeof path, e->dir, name);
    *csv = NULL;
    if (!import_file_exists(path)) {
        if (required) return fow_error_set_at(err, FOW_EIO, path, 0, 0, NULL, "required file not found");
        import_note(e->report, "%s not found (optional): skipped", name);
        import_note_code(e->report, "import.note.optional_missing");
        import_note_param(e->report, "file", "%s", name);
        return FOW_OK;
    }
    fow_code rc = taxonomy_batch_open(e->b, path, csv, err);
    if (!rc) *section = import_report_file(e->report, path);
    return rc;
}

static int next_row(esco_reader *e, fow_csv *csv, size_t *last, fow_error *err) {
    int r = fow_csv_next(csv, err);
    import_progress(e->opt, csv, last);
    return r;
}

static fow_code read_occupations(esco_reader *e, fow_error *err) {
    fow_csv *csv;
    taxonomy_batch *b = e->b;
    fow_code rc = open_part(e, "occupations", true, &csv, &b->occupations_report, err);
    if (rc) return rc;
    b->has_occupations = true;
    enum { URI, LABEL, ALT, ISCO, CODE, DESC, N };
    static const fow_csv_column cols[N] = {{"conceptUri", true}, {"preferredLabel", true}, {"altLabels", false},
                                           {"iscoGroup", false}, {"code", false},          {"description", false}};
    int ix[N];
    if ((rc = fow_csv_bind_header(csv, cols, N, ix, err))) return rc;
    size_t last = 0;
    int r;
    while ((r = next_row(e, csv, &last, err)) > 0) {
        b->occupations_report->rows_read++;
        tx_occupation o = {0};
        if ((rc = need(csv, ix[URI], "conceptUri", &o.uri, err)) ||
            (rc = need(csv, ix[LABEL], "preferredLabel", &o.label, err)))
            return rc;
        o.isco_group = opt_field(csv, ix[ISCO]);
        o.code = opt_field(csv, ix[CODE]);
        o.description = opt_field(csv, ix[DESC]);
        o.uri = taxonomy_key(b, o.uri, NULL);
        o.label = taxonomy_keep(b, o.label);
        o.isco_group = taxonomy_key(b, o.isco_group, NULL);
        o.code = taxonomy_keep(b, o.code);
        o.description = taxonomy_keep(b, o.description);
        o.loc = taxonomy_loc(b, csv, ix[URI], "conceptUri");
        if (ix[ALT] >= 0 && (rc = taxonomy_split(b, opt_field(csv, ix[ALT]), '\n', &o.alt_labels, &o.n_alt, err)))
            return rc;
        if (b->out_of_memory || FOW_VEC_PUSH(b->occupations, b->n_occupations, b->cap_occupations, o)) return OOM(err);
    }
    return r < 0 ? err->code : FOW_OK;
}

static fow_code read_skills(esco_reader *e, fow_error *err) {
    fow_csv *csv;
    taxonomy_batch *b = e->b;
    fow_code rc = open_part(e, "skills", false, &csv, &b->skills_report, err);
    if (rc || !csv) return rc;
    b->has_skills = true;
    enum { URI, LABEL, ALT, TYPE, REUSE, DESC, N };
    static const fow_csv_column cols[N] = {{"conceptUri", true}, {"preferredLabel", true}, {"altLabels", false},
                                           {"skillType", false}, {"reuseLevel", false},    {"description", false}};
    int ix[N];
    if ((rc = fow_csv_bind_header(csv, cols, N, ix, err))) return rc;
    size_t last = 0;
    int r;
    while ((r = next_row(e, csv, &last, err)) > 0) {
        b->skills_report->rows_read++;
        tx_skill s = {0};
        if ((rc = need(csv, ix[URI], "conceptUri", &s.uri, err)) ||
            (rc = need(csv, ix[LABEL], "preferredLabel", &s.label, err)))
            return rc;
        s.skill_type = opt_field(csv, ix[TYPE]);
        s.reuse_level = opt_field(csv, ix[REUSE]);
        s.description = opt_field(csv, ix[DESC]);
        s.uri = taxonomy_key(b, s.uri, NULL);
        s.label = taxonomy_key(b, s.label, NULL);
        s.skill_type = taxonomy_key(b, s.skill_type, NULL);
        s.reuse_level = taxonomy_key(b, s.reuse_level, NULL);
        s.description = taxonomy_keep(b, s.description);
        s.loc = taxonomy_loc(b, csv, ix[URI], "conceptUri");
        if (ix[ALT] >= 0 && (rc = taxonomy_split(b, opt_field(csv, ix[ALT]), '\n', &s.alt_labels, &s.n_alt, err)))
            return rc;
        if (b->out_of_memory || FOW_VEC_PUSH(b->skills, b->n_skills, b->cap_skills, s)) return OOM(err);
    }
    return r < 0 ? err->code : FOW_OK;
}

static fow_code read_relations(esco_reader *e, fow_error *err) {
    fow_csv *csv;
    taxonomy_batch *b = e->b;
    fow_code rc = open_part(e, "occupationSkillRelations", false, &csv, &b->relations_report, err);
    if (rc || !csv) return rc;
    b->has_relations = true;
    enum { OCC, REL, SKILL, N };
    static const fow_csv_column cols[N] = {{"occupationUri", true}, {"relationType", true}, {"skillUri", true}};
    int ix[N];
    if ((rc = fow_csv_bind_header(csv, cols, N, ix, err))) return rc;
    size_t last = 0;
    int r;
    while ((r = next_row(e, csv, &last, err)) > 0) {
        b->relations_report->rows_read++;
        tx_relation rel = {.skill_by_uri = true};
        const char *type, *occupation_uri, *skill_uri;
        if ((rc = need(csv, ix[OCC], "occupationUri", &occupation_uri, err)) ||
            (rc = need(csv, ix[REL], "relationType", &type, err)) ||
            (rc = need(csv, ix[SKILL], "skillUri", &skill_uri, err)))
            return rc;
        if (strcmp(type, "essential") == 0) rel.essential = true;
        else if (strcmp(type, "optional") != 0)
            return fow_csv_error_at(csv, (size_t)ix[REL], err,
                                    "relationType must be 'essential' or 'optional', not '%s'", type);
        rel.occupation_loc = taxonomy_loc(b, csv, ix[OCC], "occupationUri");
        rel.skill_loc = taxonomy_loc(b, csv, ix[SKILL], "skillUri");
        taxonomy_key(b, occupation_uri, &rel.occupation);
        taxonomy_key(b, skill_uri, &rel.skill);
        if (b->out_of_memory || FOW_VEC_PUSH(b->relations, b->n_relations, b->cap_relations, rel)) return OOM(err);
    }
    return r < 0 ? err->code : FOW_OK;
}

static fow_code read_groups(esco_reader *e, fow_error *err) {
    fow_csv *csv;
    taxonomy_batch *b = e->b;
    fow_code rc = open_part(e, "ISCOGroups", false, &csv, &b->groups_report, err);
    if (rc || !csv) return rc;
    b->has_groups = true;
    enum { CODE, LABEL, N };
    static const fow_csv_column cols[N] = {{"code", true}, {"preferredLabel", true}};
    int ix[N];
    if ((rc = fow_csv_bind_header(csv, cols, N, ix, err))) return rc;
    size_t last = 0;
    int r;
    while ((r = next_row(e, csv, &last, err)) > 0) {
        b->groups_report->rows_read++;
        tx_group g = {0};
        if ((rc = need(csv, ix[CODE], "code", &g.code, err)) ||
            (rc = need(csv, ix[LABEL], "preferredLabel", &g.label, err)))
            return rc;
        g.code = taxonomy_key(b, g.code, NULL);
        g.label = taxonomy_keep(b, g.label);
        g.loc = taxonomy_loc(b, csv, ix[CODE], "code");
        if (b->out_of_memory || FOW_VEC_PUSH(b->groups, b->n_groups, b->cap_groups, g)) return OOM(err);
    }
    return r < 0 ? err->code : FOW_OK;
}

static fow_code read_broader(esco_reader *e, fow_error *err) {
    fow_csv *csv;
    taxonomy_batch *b = e->b;
    fow_code rc = open_part(e, "broaderRelationsOccPillar", false, &csv, &b->parents_report, err);
    if (rc || !csv) return rc;
    b->has_parents = true;
    enum { TYPE, URI, BTYPE, BURI, N };
    static const fow_csv_column cols[N] = {
        {"conceptType", true}, {"conceptUri", true}, {"broaderType", true}, {"broaderUri", true}};
    int ix[N];
    if ((rc = fow_csv_bind_header(csv, cols, N, ix, err))) return rc;
    size_t last = 0;
    int r;
    while ((r = next_row(e, csv, &last, err)) > 0) {
        b->parents_report->rows_read++;
        const char *type = fow_csv_field(csv, (size_t)ix[TYPE], NULL);
        const char *btype = fow_csv_field(csv, (size_t)ix[BTYPE], NULL);
        if (strcmp(type, "Occupation") != 0) {
            import_reject(b->parents_report, "ISCO group hierarchy: given by the ISCO codes themselves");
            continue;
        }
        if (strcmp(btype, "Occupation") != 0) {
            import_reject(b->parents_report, "occupation below an ISCO group: given by its iscoGroup");
            continue;
        }
        tx_parent p = {0};
        const char *child_uri, *parent_uri;
        if ((rc = need(csv, ix[URI], "conceptUri", &child_uri, err)) ||
            (rc = need(csv, ix[BURI], "broaderUri", &parent_uri, err)))
            return rc;
        p.child_loc = taxonomy_loc(b, csv, ix[URI], "conceptUri");
        p.parent_loc = taxonomy_loc(b, csv, ix[BURI], "broaderUri");
        taxonomy_key(b, child_uri, &p.child);
        taxonomy_key(b, parent_uri, &p.parent);
        if (b->out_of_memory || FOW_VEC_PUSH(b->parents, b->n_parents, b->cap_parents, p)) return OOM(err);
    }
    return r < 0 ? err->code : FOW_OK;
}

static fow_code read_collection(esco_reader *e, const char *stem, tx_flag_kind kind, fow_error *err) {
    fow_csv *csv;
    taxonomy_batch *b = e->b;
    fow_import_file_report *section = NULL;
    fow_code rc = open_part(e, stem, false, &csv, &section, err);
    if (rc || !csv) return rc;
    enum { URI, N };
    static const fow_csv_column cols[N] = {{"conceptUri", true}};
    int ix[N];
    if ((rc = fow_csv_bind_header(csv, cols, N, ix, err))) return rc;
    size_t last = 0;
    int r;
    while ((r = next_row(e, csv, &last, err)) > 0) {
        if (section) section->rows_read++;
        tx_flag f = {.kind = kind, .report = section};
        if ((rc = need(csv, ix[URI], "conceptUri", &f.skill_uri, err))) return rc;
        f.skill_uri = taxonomy_key(b, f.skill_uri, NULL);
        if (b->out_of_memory || FOW_VEC_PUSH(b->flags, b->n_flags, b->cap_flags, f)) return OOM(err);
    }
    return r < 0 ? err->code : FOW_OK;
}

fow_code fow_import_esco(fow_db *db, const char *dir, const fow_import_options *opt,
                         fow_import_report *report, fow_error *err) {
    import_report_init(report);
    fow_import_options defaults = {0};
    if (!opt) opt = &defaults;
    const char *lang = import_or(opt->lang, "en");
    for (const char *p = lang; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '-') || p - lang >= 7)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "lang",
                                    "lang '%.60s' is not a language code (like 'en' or 'ro')", lang);
    taxonomy_batch b;
    taxonomy_batch_init(&b, lang);
    b.opt = opt;
    esco_reader e = {&b, opt, report, dir, lang};
    fow_code rc = read_occupations(&e, err);
    if (!rc) rc = read_skills(&e, err);
    if (!rc) rc = read_relations(&e, err);
    if (!rc) rc = read_groups(&e, err);
    if (!rc) rc = read_broader(&e, err);
    /* collections are read only with the skills they flag */
    static const struct {
        const char *stem;
        tx_flag_kind kind;
    } collections[] = {{"greenSkillsCollection", TX_FLAG_GREEN},
                       {"digitalSkillsCollection", TX_FLAG_DIGITAL},
                       {"transversalSkillsCollection", TX_FLAG_TRANSVERSAL},
                       {"languageSkillsCollection", TX_FLAG_LANGUAGE}};
    for (size_t i = 0; !rc && i < sizeof collections / sizeof collections[0]; i++) {
        if (!b.has_skills) {
            if (i == 0) {
                import_note(report, "skill collections not read: no skills file in this import");
                import_note_code(report, "import.note.collections_not_read");
            }
            break;
        }
        rc = read_collection(&e, collections[i].stem, collections[i].kind, err);
    }
    if (!rc) {
        const char *name = import_or(opt->source_name, "ESCO");
        char dataset[220];
        snprintf(dataset, sizeof dataset, "taxonomy:%s", name);
        /* the portal's files carry no version: the folder's name may (the
         * portal's downloads are named "ESCO dataset - v1.2.0 - ..."), else
         * the version option */
        char path_version[64];
        bool versioned = import_version_in_path(dir, path_version, sizeof path_version);
        rc = taxonomy_import_batch(db, &b, dataset, name,
                                   import_describe(opt, opt->version, versioned ? path_version : "unversioned",
                                                   "unversioned"),
                                   import_describe(opt, opt->licence, ESCO_LICENCE, "not stated"),
                                   import_describe(opt, opt->url, ESCO_URL, ""), dir, opt->allow_shrink, report, err);
    }
    taxonomy_batch_free(&b);
    return rc;
}
