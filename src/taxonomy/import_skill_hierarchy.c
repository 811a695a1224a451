/* import_skill_hierarchy.c — ESCO's skill hierarchy, from the portal's files
 * as a user downloads them: skillGroups_XX.csv (the groups),
 * broaderRelationsSkillPillar_XX.csv (every skill's and group's broader
 * concept) and, when present, skillsHierarchy_XX.csv (the group tree by
 * level, checked against the groups). Skills are matched by URI to the
 * skills of the imported taxonomy; a relation naming a skill the taxonomy
 * does not have (or has without a URI) is reported and skipped. */
#include <stdio.h>
#include <string.h>

#include "base/fow_strmap.h"
#include "taxonomy/import_internal.h"
#include "taxonomy/taxonomy_store.h"

#define OOM(err) fow_error_set(err, FOW_ENOMEM, "out of memory")

typedef struct hierarchy_import {
    fow_db *db;
    const fow_import_options *opt;
    fow_import_report *report;
    taxonomy_hierarchy_writer *w;
    fow_strmap groups; /* group URI -> row id */
    fow_strmap skills; /* skill URI -> row id */
    int64_t source_id;
    long long rows;
} hierarchy_import;

/* The required field i of the current record, or a located error. */
static fow_code required(fow_csv *csv, int i, const char **out, fow_error *err) {
    *out = fow_csv_field(csv, (size_t)i, NULL);
    if (!**out) return fow_csv_error_at(csv, (size_t)i, err, "the value is empty; a value is required");
    return FOW_OK;
}

static fow_code read_groups(hierarchy_import *h, fow_csv *csv, fow_import_file_report *section, fow_error *err) {
    enum { TYPE, URI, LABEL, CODE, N };
    static const fow_csv_column cols[N] = {
        {"conceptType", true}, {"conceptUri", true}, {"preferredLabel", true}, {"code", false}};
    int ix[N];
    fow_code rc = fow_csv_bind_header(csv, cols, N, ix, err);
    size_t last = 0;
    int r = 1;
    while (!rc && (r = fow_csv_next(csv, err)) > 0) {
        import_progress(h->opt, csv, &last);
        section->rows_read++;
        const char *type, *uri, *label;
        if ((rc = required(csv, ix[TYPE], &type, err)) || (rc = required(csv, ix[URI], &uri, err)) ||
            (rc = required(csv, ix[LABEL], &label, err)))
            break;
        if (strcmp(type, "SkillGroup") != 0) {
            rc = fow_csv_error_at(csv, (size_t)ix[TYPE], err, "conceptType must be 'SkillGroup', not '%.60s'", type);
            break;
        }
        int64_t id;
        if (fow_strmap_get(&h->groups, uri, strlen(uri), &id)) {
            rc = fow_csv_error_at(csv, (size_t)ix[URI], err, "skill group %.200s is listed twice", uri);
            break;
        }
        const char *code = ix[CODE] >= 0 ? fow_csv_field(csv, (size_t)ix[CODE], NULL) : NULL;
        if ((rc = taxonomy_hierarchy_add_group(h->w, uri, code, label, h->source_id, &id, err))) break;
        if (fow_strmap_put(&h->groups, uri, strlen(uri), id) != 0) {
            rc = OOM(err);
            break;
        }
        section->rows_imported++;
        h->rows++;
    }
    if (!rc && r < 0) rc = err->code;
    return rc;
}

/* 0 a skill group, 1 a skill, -1 neither (error reported at field i). */
static int concept_kind(fow_csv *csv, int i, fow_error *err) {
    const char *t = fow_csv_field(csv, (size_t)i, NULL);
    if (strcmp(t, "SkillGroup") == 0) return 0;
    if (strcmp(t, "KnowledgeSkillCompetence") == 0) return 1;
    fow_csv_error_at(csv, (size_t)i, err, "the type must be 'SkillGroup' or 'KnowledgeSkillCompetence', not '%.60s'", t);
    return -1;
}

static fow_code read_broader(hierarchy_import *h, fow_csv *csv, fow_import_file_report *section, fow_error *err) {
    enum { TYPE, URI, BTYPE, BURI, N };
    static const fow_csv_column cols[N] = {
        {"conceptType", true}, {"conceptUri", true}, {"broaderType", true}, {"broaderUri", true}};
    int ix[N];
    fow_code rc = fow_csv_bind_header(csv, cols, N, ix, err);
    size_t last = 0;
    int r = 1;
    while (!rc && (r = fow_csv_next(csv, err)) > 0) {
        import_progress(h->opt, csv, &last);
        section->rows_read++;
        const char *uri, *buri;
        if ((rc = required(csv, ix[URI], &uri, err)) || (rc = required(csv, ix[BURI], &buri, err))) break;
        int kind = concept_kind(csv, ix[TYPE], err), bkind = kind < 0 ? -1 : concept_kind(csv, ix[BTYPE], err);
        if (kind < 0 || bkind < 0) {
            rc = FOW_EINPUT;
            break;
        }
        int64_t id = 0, bid = 0;
        if (kind == 0 && bkind == 1) {
            rc = fow_csv_error_at(csv, (size_t)ix[BTYPE], err, "a skill group cannot be narrower than a skill");
            break;
        }
        /* groups must be those of the groups file: the files are one release */
        if (bkind == 0 && !fow_strmap_get(&h->groups, buri, strlen(buri), &bid)) {
            rc = fow_csv_error_at(csv, (size_t)ix[BURI], err, "skill group %.200s is not in the groups file", buri);
            break;
        }
        if (kind == 0) {
            if (!fow_strmap_get(&h->groups, uri, strlen(uri), &id)) {
                rc = fow_csv_error_at(csv, (size_t)ix[URI], err, "skill group %.200s is not in the groups file", uri);
                break;
            }
            if ((rc = taxonomy_hierarchy_set_group_broader(h->w, id, bid, err))) break;
        } else {
            if (!fow_strmap_get(&h->skills, uri, strlen(uri), &id)) {
                import_reject(section, "skill not in the imported taxonomy (no skill has this URI)");
                continue;
            }
            int64_t bskill = 0;
            if (bkind == 1 && !fow_strmap_get(&h->skills, buri, strlen(buri), &bskill)) {
                import_reject(section, "broader skill not in the imported taxonomy (no skill has this URI)");
                continue;
            }
            if (bskill == id) {
                rc = fow_csv_error_at(csv, (size_t)ix[BURI], err, "a skill cannot be broader than itself");
                break;
            }
            if ((rc = taxonomy_hierarchy_add_broader(h->w, id, bskill, bkind == 0 ? bid : 0, h->source_id, err)))
                break;
        }
        section->rows_imported++;
        h->rows++;
    }
    if (!rc && r < 0) rc = err->code;
    return rc;
}

/* skillsHierarchy_XX.csv: every group it names by level must be one of the
 * groups file (the two files are one release). The portal's file ends the
 * rows of the upper levels early (11 of its 14 fields): missing trailing
 * fields are read as empty, so its header is not bound strictly. */
static fow_code check_levels(hierarchy_import *h, fow_csv *csv, fow_import_file_report *section, fow_error *err) {
    enum { N = 4 };
    static const char *const names[N] = {"Level 0 URI", "Level 1 URI", "Level 2 URI", "Level 3 URI"};
    int ix[N] = {-1, -1, -1, -1};
    int r = fow_csv_next(csv, err);
    if (r < 0) return err->code;
    if (r == 0) return fow_error_set_at(err, FOW_EINPUT, fow_csv_name(csv), 1, 1, NULL, "empty file: a header row is required");
    for (size_t i = 0; i < fow_csv_field_count(csv); i++)
        for (int k = 0; k < N; k++)
            if (strcmp(fow_csv_field(csv, i, NULL), names[k]) == 0) ix[k] = (int)i;
    for (int k = 0; k < N; k++)
        if (ix[k] < 0)
            return fow_error_set_at(err, FOW_EINPUT, fow_csv_name(csv), 1, 1, names[k],
                                    "missing required column '%s'", names[k]);
    fow_code rc = FOW_OK;
    size_t last = 0;
    while (!rc && (r = fow_csv_next(csv, err)) > 0) {
        import_progress(h->opt, csv, &last);
        section->rows_read++;
        for (int k = 0; !rc && k < N; k++) {
            if ((size_t)ix[k] >= fow_csv_field_count(csv)) continue;
            const char *uri = fow_csv_field(csv, (size_t)ix[k], NULL);
            int64_t id;
            if (*uri && !fow_strmap_get(&h->groups, uri, strlen(uri), &id))
                rc = fow_csv_error_at(csv, (size_t)ix[k], err, "skill group %.200s is not in the groups file", uri);
        }
        if (!rc) section->rows_rejected++; /* checked, not stored: the broader relations give the tree */
    }
    if (section->rows_rejected && section->n_reasons == 0) {
        snprintf(section->reasons[0].text, sizeof section->reasons[0].text,
                 "checked against the groups; the tree itself comes from the broader relations");
        section->reasons[0].count = section->rows_rejected;
        section->n_reasons = 1;
    }
    if (!rc && r < 0) rc = err->code;
    return rc;
}

fow_code fow_import_skill_hierarchy(fow_db *db, const char *dir, const fow_import_options *opt,
                                    fow_import_report *report, fow_error *err) {
    import_report_init(report);
    fow_import_options defaults = {0};
    if (!opt) opt = &defaults;
    const char *lang = import_or(opt->lang, "en");
    for (const char *p = lang; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '-') || p - lang >= 7)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "lang",
                                    "lang '%.60s' is not a language code (like 'en' or 'ro')", lang);
    static const char *const stems[3] = {"skillGroups", "broaderRelationsSkillPillar", "skillsHierarchy"};
    fow_csv *csv[3] = {NULL, NULL, NULL};
    char path[3][1024];
    fow_code rc = FOW_OK;
    unsigned long long fingerprint = 1469598103934665603ULL;
    for (int i = 0; !rc && i < 3; i++) {
        char name[160];
        snprintf(name, sizeof name, "%s_%s.csv", stems[i], lang);
        import_join_path(path[i], sizeof path[i], dir, name);
        if (i == 2 && !import_file_exists(path[i])) {
            import_note(report, "%s not found (optional): skipped", name);
            import_note_code(report, "import.note.optional_missing");
            import_note_param(report, "file", "%s", name);
            break;
        }
        if (!import_file_exists(path[i])) {
            rc = fow_error_set_at(err, FOW_EIO, path[i], 0, 0, NULL, "required file not found");
            break;
        }
        if ((rc = fow_csv_open(&csv[i], path[i], err))) break;
        fingerprint = (fingerprint ^ fow_csv_fingerprint(csv[i])) * 1099511628211ULL;
    }
    hierarchy_import h = {.db = db, .opt = opt, .report = report};
    fow_strmap_init(&h.groups);
    fow_strmap_init(&h.skills);
    bool unchanged = false, began = false;
    if (!rc) rc = fow_db_begin(db, err);
    if (!rc) began = true;
    if (!rc) rc = taxonomy_store_skill_uris(db, &h.skills, err);
    if (!rc && h.skills.count == 0)
        rc = fow_error_set_at(err, FOW_EINPUT, path[1], 0, 0, NULL,
                              "no skill of the imported taxonomy has a URI: import the ESCO taxonomy first");
    if (!rc) {
        char version[64];
        bool versioned = import_version_in_path(dir, version, sizeof version);
        const char *name = import_or(opt->source_name, "ESCO skill hierarchy");
        char dataset[220];
        snprintf(dataset, sizeof dataset, "skill-hierarchy:%s", import_or(opt->source_name, "ESCO"));
        import_source src = {dataset,
                             "skill_hierarchy",
                             name,
                             import_describe(opt, opt->version, versioned ? version : "unversioned", "unversioned"),
                             import_describe(opt, opt->licence, ESCO_LICENCE, "not stated"),
                             import_describe(opt, opt->url, ESCO_URL, ""),
                             dir,
                             fingerprint,
                             NULL};
        rc = import_source_begin(db, &src, report, &h.source_id, &unchanged, err);
    }
    if (!rc && unchanged) {
        rc = import_unchanged_end(db, report, err);
        began = false;
        goto done;
    }
    if (!rc) rc = taxonomy_store_hierarchy_clear(db, h.source_id, err);
    if (!rc) rc = taxonomy_hierarchy_writer_open(db, &h.w, err);
    fow_import_file_report *sections[3] = {NULL, NULL, NULL};
    for (int i = 0; !rc && i < 3 && csv[i]; i++) {
        sections[i] = import_report_file(report, path[i]);
        if (!sections[i]) rc = fow_error_set(err, FOW_EINTERNAL, "the import report is full");
    }
    if (!rc) rc = read_groups(&h, csv[0], sections[0], err);
    if (!rc) rc = read_broader(&h, csv[1], sections[1], err);
    if (!rc && csv[2]) rc = check_levels(&h, csv[2], sections[2], err);
    if (!rc && sections[0]->rows_imported == 0) rc = import_nothing_error(sections[0], path[0], err);
    if (!rc && sections[1]->rows_imported == 0) rc = import_nothing_error(sections[1], path[1], err);
    if (!rc) rc = import_source_rows(db, h.source_id, h.rows, err);
    if (!rc) {
        rc = import_commit(db, false, opt->allow_shrink, err);
        began = false;
    }
done:
    if (rc && began) fow_db_rollback(db);
    taxonomy_hierarchy_writer_close(h.w);
    fow_strmap_free(&h.groups);
    fow_strmap_free(&h.skills);
    for (int i = 0; i < 3; i++) fow_csv_close(csv[i]);
    return rc;
}
