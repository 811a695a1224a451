/* test_full_data.c — end to end on the real reference data (ESCO v1.2.0,
 * Nesta MCC risk and attributes, Frey & Osborne, BLS and Nesta crosswalks),
 * read from $FOW_SHARED_DATA (default ../shared/data). Skipped (exit code
 * 77) when that data is not there.
 *
 * The numbers checked here are those of the data's README and of the files
 * themselves; the few known facts (one occupation, its group and skills)
 * were looked up in the shared files. Nothing is copied from them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/test_support.h"

#include "service/fow_importers.h"
#include "taxonomy/fow_import.h"
#include "taxonomy/fow_model.h"
#include "taxonomy/fow_search.h"

#define ESCO_OCC "http://data.europa.eu/esco/occupation/"
/* technical director (2654.1.7), nested below another ESCO occupation */
#define TECHNICAL_DIRECTOR ESCO_OCC "00030d09-2b3a-4efd-87cc-c4ea39d27c34"
#define TECHNICAL_DIRECTOR_PARENT ESCO_OCC "cb93fd23-1f51-4495-867a-936c1967066b"

typedef struct e2e {
    const char *data;
    ts_db d;
    fow_import_report taxonomy, mcc, isco4, isco3, fo, attributes, xw_isco, xw_onet;
} e2e;

static void data_path(const e2e *s, char *buf, size_t n, const char *rel) { ts_join(buf, n, s->data, rel); }

/* Imports data/rel as the registry's kind (with the option model when not
 * NULL) into r. */
static void import_file(e2e *s, const char *kind, const char *rel, const char *model, fow_import_report *r) {
    char path[TS_PATH_MAX];
    data_path(s, path, sizeof path, rel);
    fow_error err;
    fow_error_clear(&err);
    fow_import_settings settings;
    assert_fow_ok(fow_import_settings_init(&settings, kind, &err), &err);
    if (model) assert_fow_ok(fow_import_settings_set(&settings, "model", model, &err), &err);
    assert_fow_ok(fow_import_run(s->d.db, &settings, path, NULL, NULL, r, &err), &err);
}

static int setup(void **state) {
    e2e *s = calloc(1, sizeof *s);
    if (!s) return -1;
    s->data = ts_shared_data_dir();
    ts_db_fresh(&s->d);
    char dir[TS_PATH_MAX];
    data_path(s, dir, sizeof dir, "esco-1.2.0");
    fow_import_options opt = {0};
    opt.source_name = "ESCO";
    opt.version = "1.2.0";
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_bundle(s->d.db, dir, &opt, &s->taxonomy, &err), &err);
    import_file(s, "risk", "risk/mcc_risk_esco.csv", "mcc", &s->mcc);
    import_file(s, "risk", "risk/mcc_risk_isco4.csv", "mcc", &s->isco4);
    import_file(s, "risk", "risk/mcc_risk_isco3.csv", "mcc", &s->isco3);
    import_file(s, "crosswalk", "crosswalks/isco08_soc2010.csv", NULL, &s->xw_isco);
    import_file(s, "crosswalk", "crosswalks/esco_onet.csv", NULL, &s->xw_onet);
    import_file(s, "risk", "risk/frey_osborne_soc2010.csv", "frey-osborne", &s->fo);
    import_file(s, "attributes", "occupations/mcc_attributes.csv", NULL, &s->attributes);
    *state = s;
    return 0;
}

static int teardown(void **state) {
    e2e *s = *state;
    ts_db_free(&s->d);
    free(s);
    return 0;
}

static void assert_counts(const fow_import_report *r, const char *name, long read, long imported, long rejected) {
    const fow_import_file_report *f = ts_report_file(r, name);
    if (!f) fail_msg("no report section for %s", name);
    if (f->rows_read != read || f->rows_imported != imported || f->rows_rejected != rejected)
        fail_msg("%s: expected %ld/%ld/%ld read/imported/rejected, got %ld/%ld/%ld", name, read, imported, rejected,
                 f->rows_read, f->rows_imported, f->rows_rejected);
}

static void test_taxonomy(void **state) {
    e2e *s = *state;
    fow_db *db = s->d.db;
    assert_string_equal(s->taxonomy.dataset, "taxonomy:ESCO");
    assert_string_equal(s->taxonomy.version, "1.2.0");
    assert_counts(&s->taxonomy, "occupations.csv", 3039, 3039, 0);
    assert_counts(&s->taxonomy, "skills.csv", 13492, 13492, 0);
    assert_counts(&s->taxonomy, "occupation_skills.csv", 129004, 129004, 0);
    assert_counts(&s->taxonomy, "isco_groups.csv", 619, 619, 0);
    assert_counts(&s->taxonomy, "occupation_parents.csv", 1248, 1248, 0);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupations"), 3039);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM skills"), 13492);
    /* skills.csv has a URI for 5,101 skills (its README says 5,118) */
    assert_int_equal(ts_int(db, "SELECT count(*) FROM skills WHERE uri IS NOT NULL"), 5101);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_skills"), 129004);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM isco_groups"), 619);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_parents"), 1248);
    /* every occupation has its preferred label indexed */
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_labels WHERE preferred = 1"), 3039);
    assert_int_equal(ts_int(db, "SELECT count(DISTINCT entity_id) FROM search_terms WHERE kind = 0"), 3039);
    assert_int_equal(ts_int(db, "SELECT count(DISTINCT entity_id) FROM search_terms WHERE kind = 1"), 13492);
    /* every occupation's ISCO group is a known group */
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupations WHERE isco_group NOT IN (SELECT code FROM isco_groups)"),
                     0);
}

static void test_known_facts(void **state) {
    e2e *s = *state;
    fow_db *db = s->d.db;
    char buf[300];
    long long id = ts_occupation_id(db, TECHNICAL_DIRECTOR);
    assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT label FROM occupations WHERE id = %lld", id),
                        "technical director");
    assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT code FROM occupations WHERE id = %lld", id), "2654.1.7");
    assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT isco_group FROM occupations WHERE id = %lld", id), "2654");
    assert_int_equal(ts_int(db, "SELECT count(*) FROM isco_groups WHERE code = '2654'"), 1);
    /* two of its essential skills (the second as an SQL literal: '' is a quote) */
    static const char *const essential[] = {"adapt designers’ work to the performance venue",
                                            "adapt to artists'' creative demands"};
    for (int i = 0; i < 2; i++)
        if (ts_int(db,
                   "SELECT count(*) FROM occupation_skills r JOIN skills k ON k.id = r.skill_id "
                   "WHERE r.occupation_id = %lld AND r.essential = 1 AND k.label = '%s'",
                   id, essential[i]) != 1)
            fail_msg("technical director: essential skill '%s' missing", essential[i]);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_labels WHERE occupation_id = %lld AND preferred = 0 "
                                "AND label = 'head of technical'",
                            id),
                     1);
    assert_int_equal(ts_int(db, "SELECT parent_id FROM occupation_parents WHERE occupation_id = %lld", id),
                     ts_occupation_id(db, TECHNICAL_DIRECTOR_PARENT));
}

static void test_mcc_risk(void **state) {
    e2e *s = *state;
    fow_db *db = s->d.db;
    assert_string_equal(s->mcc.dataset, "risk:mcc:occupation");
    /* two occupations of the MCC file are not in ESCO v1.2.0 */
    assert_counts(&s->mcc, "mcc_risk_esco.csv", 1627, 1625, 2);
    int notes = 0;
    for (size_t i = 0; i < s->mcc.n_notes; i++) notes += strstr(s->mcc.notes[i], "not in the imported taxonomy") != NULL;
    assert_int_equal(notes, 2);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_risk WHERE model = 'mcc' AND method = 'own'"), 1625);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_risk WHERE model = 'mcc' AND (risk < 1 OR risk > 5)"),
                     0);
    long long inherited =
        ts_int(db, "SELECT count(*) FROM occupation_risk WHERE model = 'mcc' AND method = 'inherited'");
    assert_true(inherited > 1000);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_risk WHERE model = 'mcc'"), 1625 + inherited);

    static const char anc[] =
        "WITH RECURSIVE anc(o, a, d) AS (SELECT occupation_id, parent_id, 1 FROM occupation_parents "
        "  UNION SELECT anc.o, p.parent_id, anc.d + 1 FROM anc JOIN occupation_parents p ON p.occupation_id = anc.a "
        "  WHERE anc.d < 64), "
        "own(id) AS (SELECT occupation_id FROM occupation_risk WHERE model = 'mcc' AND method = 'own') ";
    /* exactly the occupations without their own value that have an ancestor
     * with one inherit */
    assert_int_equal(ts_int(db, "%s SELECT count(DISTINCT o) FROM anc WHERE o NOT IN own AND a IN own", anc), inherited);
    /* from the nearest such ancestor, with its value */
    assert_int_equal(ts_int(db,
                            "%s SELECT count(*) FROM occupation_risk r JOIN occupation_risk f ON f.occupation_id = "
                            "r.from_occupation_id AND f.model = r.model AND f.method = 'own' "
                            "WHERE r.model = 'mcc' AND r.method = 'inherited' AND r.risk = f.risk "
                            "AND (SELECT min(d) FROM anc WHERE o = r.occupation_id AND a = r.from_occupation_id) = "
                            "(SELECT min(d) FROM anc WHERE o = r.occupation_id AND a IN own)",
                            anc),
                     inherited);
    /* nested occupations left without a value: exactly those whose ancestors have none */
    assert_int_equal(ts_int(db,
                            "%s SELECT count(DISTINCT occupation_id) FROM occupation_parents WHERE occupation_id NOT "
                            "IN (SELECT occupation_id FROM occupation_risk WHERE model = 'mcc')",
                            anc),
                     ts_int(db,
                            "%s SELECT count(DISTINCT occupation_id) FROM occupation_parents WHERE occupation_id NOT "
                            "IN own AND occupation_id NOT IN (SELECT o FROM anc WHERE a IN own)",
                            anc));

    /* one nested occupation: technical director inherits its parent's value */
    long long id = ts_occupation_id(db, TECHNICAL_DIRECTOR);
    long long parent = ts_occupation_id(db, TECHNICAL_DIRECTOR_PARENT);
    char buf[40];
    assert_string_equal(ts_text(db, buf, sizeof buf,
                                "SELECT method FROM occupation_risk WHERE occupation_id = %lld AND model = 'mcc'", parent),
                        "own");
    assert_string_equal(ts_text(db, buf, sizeof buf,
                                "SELECT method FROM occupation_risk WHERE occupation_id = %lld AND model = 'mcc'", id),
                        "inherited");
    assert_int_equal(
        ts_int(db, "SELECT from_occupation_id FROM occupation_risk WHERE occupation_id = %lld AND model = 'mcc'", id),
        parent);
    double mine = ts_double(db, "SELECT risk FROM occupation_risk WHERE occupation_id = %lld AND model = 'mcc'", id);
    double theirs = ts_double(db, "SELECT risk FROM occupation_risk WHERE occupation_id = %lld AND model = 'mcc'", parent);
    assert_false(isnan(mine));
    assert_true(mine == theirs);
}

static void test_isco_risk(void **state) {
    e2e *s = *state;
    assert_string_equal(s->isco4.dataset, "risk:mcc:isco4");
    assert_string_equal(s->isco3.dataset, "risk:mcc:isco3");
    assert_counts(&s->isco4, "mcc_risk_isco4.csv", 421, 421, 0);
    assert_counts(&s->isco3, "mcc_risk_isco3.csv", 122, 122, 0);
    assert_int_equal(ts_int(s->d.db, "SELECT count(*) FROM isco_risk"), 543);
    assert_int_equal(ts_int(s->d.db, "SELECT count(*) FROM isco_risk WHERE length(isco_code) = 3"), 122);
}

static void test_frey_osborne(void **state) {
    e2e *s = *state;
    fow_db *db = s->d.db;
    assert_counts(&s->fo, "frey_osborne_soc2010.csv", 702, 702, 0);
    assert_counts(&s->xw_isco, "isco08_soc2010.csv", 1125, 1125, 0);
    assert_counts(&s->xw_onet, "esco_onet.csv", 1680, 1680, 0);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM soc_risk"), 702);
    long long onet = ts_int(db, "SELECT count(*) FROM occupation_risk WHERE model = 'frey-osborne' AND method = "
                                "'crosswalk-onet'");
    long long isco = ts_int(db, "SELECT count(*) FROM occupation_risk WHERE model = 'frey-osborne' AND method = "
                                "'crosswalk-isco'");
    long long inherited = ts_int(db, "SELECT count(*) FROM occupation_risk WHERE model = 'frey-osborne' AND method = "
                                     "'inherited'");
    assert_true(onet > 1000);
    assert_true(isco > 0);
    assert_true(inherited > 500);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_risk WHERE model = 'frey-osborne'"),
                     onet + isco + inherited);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_risk WHERE model = 'frey-osborne' AND method = 'own'"),
                     0);
    assert_int_equal(
        ts_int(db, "SELECT count(*) FROM occupation_risk WHERE model = 'frey-osborne' AND (risk < 0 OR risk > 1)"), 0);
    /* a value reached through an O*NET code is that SOC code's probability */
    assert_int_equal(ts_int(db,
                            "SELECT count(*) FROM occupation_risk r JOIN soc_risk s ON s.soc_code = "
                            "substr(r.onet_code, 1, 7) AND s.model = r.model WHERE r.method = 'crosswalk-onet' "
                            "AND r.risk = s.probability"),
                     onet);
}

static void test_attributes(void **state) {
    e2e *s = *state;
    fow_db *db = s->d.db;
    assert_counts(&s->attributes, "mcc_attributes.csv", 1627, 1625, 2);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupation_attributes WHERE method = 'own'"), 1625);
    assert_true(ts_int(db, "SELECT count(*) FROM occupation_attributes WHERE method = 'inherited'") > 1000);
    assert_int_equal(
        ts_int(db, "SELECT count(*) FROM occupation_attributes WHERE job_zone < 1 OR job_zone > 5"), 0);
}

static void test_sources(void **state) {
    e2e *s = *state;
    fow_source_info *src = NULL;
    size_t n = 0;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_sources_list(s->d.db, &src, &n, &err), &err);
    assert_int_equal(n, 8);
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(strlen(src[i].licence) > 0);
        assert_true(strlen(src[i].version) > 0);
        if (strcmp(src[i].dataset, "taxonomy:ESCO") == 0) {
            assert_string_equal(src[i].name, "ESCO");
            assert_string_equal(src[i].version, "1.2.0");
            found++;
        }
    }
    assert_int_equal(found, 1);
    free(src);
}

static void test_reimport_is_unchanged(void **state) {
    e2e *s = *state;
    ts_digest before = db_snapshot(s->d.path);
    char dir[TS_PATH_MAX];
    data_path(s, dir, sizeof dir, "esco-1.2.0");
    fow_import_options opt = {0};
    opt.source_name = "ESCO";
    opt.version = "1.2.0";
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_bundle(s->d.db, dir, &opt, &r, &err), &err);
    assert_true(r.unchanged);
    fow_import_report rr;
    import_file(s, "risk", "risk/mcc_risk_esco.csv", "mcc", &rr);
    assert_true(rr.unchanged);
    assert_digest_equal(db_snapshot(s->d.path), before);
}

static int has_hit(const fow_model *m, const fow_search_hit *h, long n, const char *label) {
    for (long i = 0; i < n; i++) {
        const char *l = h[i].kind == FOW_KIND_OCCUPATION ? m->occupations[h[i].entity].label : m->skills[h[i].entity].label;
        if (strcmp(l, label) == 0) return 1;
    }
    return 0;
}

static void test_model_and_search(void **state) {
    e2e *s = *state;
    fow_model *m = NULL;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_model_load(s->d.db, &m, &err), &err);
    assert_int_equal(m->n_occupations, 3039);
    assert_int_equal(m->n_skills, 13492);
    assert_int_equal(m->n_links,
                     ts_int(s->d.db, "SELECT count(*) FROM (SELECT 1 FROM occupation_skills GROUP BY occupation_id, "
                                     "skill_id)"));
    assert_int_equal(m->n_terms, ts_int(s->d.db, "SELECT count(*) FROM search_terms"));
    assert_int_equal(m->occ_offsets[m->n_occupations], m->n_links);
    assert_int_equal(m->skill_offsets[m->n_skills], m->n_links);
    uint32_t td = fow_model_occupation_by_id(m, ts_occupation_id(s->d.db, TECHNICAL_DIRECTOR));
    assert_true(td != FOW_NO_INDEX);
    assert_int_equal(m->occupations[td].parent,
                     fow_model_occupation_by_id(m, ts_occupation_id(s->d.db, TECHNICAL_DIRECTOR_PARENT)));
    assert_false(isnan(m->occupations[td].risk_mcc));

    fow_search_hit hits[10];
    long n = fow_search(m, "softw", FOW_KIND_ANY, hits, 10, &err);
    assert_int_equal(n, 10);
    if (!has_hit(m, hits, n, "software developer")) fail_msg("'software developer' not among the top 10 for 'softw'");
    for (long i = 0; i < n; i++) assert_int_equal(hits[i].match, FOW_MATCH_PREFIX);

    n = fow_search(m, "Technical Director", FOW_KIND_OCCUPATION, hits, 10, &err);
    assert_true(n >= 1);
    assert_int_equal(hits[0].entity, td);
    assert_int_equal(hits[0].match, FOW_MATCH_EXACT);

    /* a typographic apostrophe in ESCO, typed with a plain one */
    n = fow_search(m, "adapt designers' work", FOW_KIND_SKILL, hits, 10, &err);
    assert_true(n >= 1);
    assert_string_equal(m->skills[hits[0].entity].label, "adapt designers’ work to the performance venue");

    /* issue 12: any word order and spelling variants from the labels find
     * the call centre agent first; so does one typo in a long word */
    static const char *const call_centre[] = {"agent call center", "call agent", "center call", "agent call centre",
                                              "agnet call centre"};
    for (size_t q = 0; q < sizeof call_centre / sizeof call_centre[0]; q++) {
        n = fow_search(m, call_centre[q], FOW_KIND_ANY, hits, 10, &err);
        if (n < 1 || hits[0].kind != FOW_KIND_OCCUPATION ||
            strcmp(m->occupations[hits[0].entity].label, "call centre agent") != 0)
            fail_msg("'%s': the first hit is not call centre agent (%ld hits, first '%s')", call_centre[q], n,
                     n > 0 ? fow_model_text(m, m->terms[hits[0].term].label) : "");
        assert_int_equal(hits[0].match, q == 4 ? FOW_MATCH_TYPO : FOW_MATCH_WORDS);
    }
    n = fow_search(m, "recepcionist", FOW_KIND_OCCUPATION, hits, 10, &err);
    assert_true(n >= 1);
    assert_string_equal(m->occupations[hits[0].entity].label, "receptionist");
    fow_model_free(m);
}

/* The portal's own files, into a fresh database. */
static void test_esco_portal_layout(void **state) {
    e2e *s = *state;
    char dir[TS_PATH_MAX];
    data_path(s, dir, sizeof dir, "esco-1.2.0-official");
    if (!ts_exists(dir)) skip();
    ts_db d;
    ts_db_fresh(&d);
    fow_import_options opt = {0};
    opt.version = "1.2.0";
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_esco(d.db, dir, &opt, &r, &err), &err);
    assert_string_equal(r.dataset, "taxonomy:ESCO");
    assert_counts(&r, "occupations_en.csv", 3039, 3039, 0);
    assert_counts(&r, "ISCOGroups_en.csv", 619, 619, 0);
    assert_counts(&r, "broaderRelationsOccPillar_en.csv", 3652, 1248, 2404);
    assert_true(ts_report_has_note(&r, "skills_en.csv not found"));
    assert_true(ts_report_has_note(&r, "occupationSkillRelations_en.csv not found"));
    assert_true(ts_report_has_note(&r, "skill collections not read"));
    assert_int_equal(ts_int(d.db, "SELECT count(*) FROM occupations"), 3039);
    assert_int_equal(ts_int(d.db, "SELECT count(*) FROM skills"), 0);
    assert_int_equal(ts_int(d.db, "SELECT count(*) FROM occupation_parents"), 1248);
    assert_int_equal(ts_int(d.db, "SELECT count(*) FROM isco_groups"), 619);
    /* no label keeps a line break of the multi-line altLabels fields */
    assert_int_equal(ts_int(d.db, "SELECT count(*) FROM occupation_labels WHERE instr(label, char(10)) > 0"), 0);
    assert_true(ts_int(d.db, "SELECT count(*) FROM occupation_labels WHERE preferred = 0") > 20000);
    char buf[64];
    assert_string_equal(ts_text(d.db, buf, sizeof buf, "SELECT code || ' ' || isco_group FROM occupations WHERE uri = '%s'",
                                TECHNICAL_DIRECTOR),
                        "2654.1.7 2654");

    /* the same occupations and nesting as the compact form */
    char attach[TS_PATH_MAX + 40];
    snprintf(attach, sizeof attach, "ATTACH '%s' AS full", s->d.path);
    assert_fow_ok(fow_db_exec(d.db, attach, &err), &err);
    assert_int_equal(ts_int(d.db, "SELECT count(*) FROM occupations a JOIN full.occupations b ON a.uri = b.uri"), 3039);
    assert_int_equal(
        ts_int(d.db, "SELECT count(*) FROM (SELECT c.uri, p.uri FROM occupation_parents x JOIN occupations c ON c.id = "
                     "x.occupation_id JOIN occupations p ON p.id = x.parent_id INTERSECT SELECT c.uri, p.uri FROM "
                     "full.occupation_parents x JOIN full.occupations c ON c.id = x.occupation_id JOIN "
                     "full.occupations p ON p.id = x.parent_id)"),
        1248);
    assert_fow_ok(fow_db_exec(d.db, "DETACH full", &err), &err);

    /* searchable */
    fow_model *m = NULL;
    assert_fow_ok(fow_model_load(d.db, &m, &err), &err);
    fow_search_hit hits[10];
    long n = fow_search(m, "softw", FOW_KIND_ANY, hits, 10, &err);
    assert_true(n > 0);
    if (!has_hit(m, hits, n, "software developer")) fail_msg("'software developer' not among the top 10 for 'softw'");
    fow_model_free(m);
    ts_db_free(&d);
}

int main(void) {
    const char *data = ts_shared_data_dir();
    char probe[TS_PATH_MAX];
    if (!data || !ts_exists(ts_join(probe, sizeof probe, data, "esco-1.2.0"))) {
        const char *env = getenv("FOW_SHARED_DATA");
        fprintf(stderr,
                "\n*** SKIPPED: ../shared/data not found (FOW_SHARED_DATA=%s; looked for esco-1.2.0 there and in "
                "../shared/data). The end-to-end test on the real ESCO, MCC and Frey & Osborne data did NOT run. ***\n\n",
                env ? env : "(unset)");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_taxonomy),
        cmocka_unit_test(test_known_facts),
        cmocka_unit_test(test_mcc_risk),
        cmocka_unit_test(test_isco_risk),
        cmocka_unit_test(test_frey_osborne),
        cmocka_unit_test(test_attributes),
        cmocka_unit_test(test_sources),
        cmocka_unit_test(test_reimport_is_unchanged),
        cmocka_unit_test(test_model_and_search),
        cmocka_unit_test(test_esco_portal_layout),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
