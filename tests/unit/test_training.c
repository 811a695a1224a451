/* test_training.c — the learning catalogue (src/training): the demo catalogue
 * imported through the registry, read back whole with its skills and
 * prerequisites, searched by skill and by words, written as JSON; bad rows
 * refused with their file, line, column and column name, leaving the
 * database as it was; a second import of a changed file replaces the first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/fow_importers.h"
#include "taxonomy/fow_import.h"
#include "training/fow_training.h"
#include "test_support.h"

static const char header[] =
    "provider,accreditation,accreditation_valid_until,programme,module,title_ro,title_en,description_ro,"
    "description_en,skills,hours,mode,language,place,cost,currency,prerequisite_skills,prerequisite_modules,"
    "eligibility\n";

/* One good row, for the bad-input cases to spoil. */
static const char good_row[] =
    "Furnizor Demo,ANC-1,2028-01-01,Demo,M1,Titlu,Title,,,use CRM software; Handle Complaints,12.5,online,ro,,"
    "45000,RON,,,\n";

typedef struct tr_state {
    ts_db d;
    ts_tmp files;
} tr_state;

static const char *demo_dir(void) {
    const char *d = getenv("FOW_DEMO");
    return d && *d ? d : "data/demo";
}

static int setup(void **state) {
    tr_state *s = calloc(1, sizeof *s);
    if (!s) return -1;
    *state = s;
    ts_db_fresh(&s->d);
    ts_tmp_make(&s->files);
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_bundle(s->d.db, demo_dir(), NULL, &r, &err), &err);
    return 0;
}

static int teardown(void **state) {
    tr_state *s = *state;
    ts_db_free(&s->d);
    ts_tmp_remove(&s->files);
    free(s);
    return 0;
}

/* Imports path as kind "modules" through the registry. */
static fow_code import_modules(fow_db *db, const char *path, fow_import_report *r, fow_error *err) {
    fow_import_settings settings;
    fow_code rc = fow_import_settings_init(&settings, "modules", err);
    if (!rc) rc = fow_import_run(db, &settings, path, NULL, NULL, r, err);
    return rc;
}

static void import_demo(fow_db *db) {
    char path[TS_PATH_MAX];
    ts_join(path, sizeof path, demo_dir(), "modules.csv");
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(import_modules(db, path, &r, &err), &err);
    assert_int_equal(r.files[0].rows_imported, 9);
}

/* Imports the demo catalogue into db and reads it back into *c (err cleared). */
static void load_demo(fow_db *db, fow_training_catalogue *c, fow_error *err) {
    import_demo(db);
    fow_error_clear(err);
    assert_fow_ok(fow_training_load(db, c, err), err);
}

static const fow_training_module *by_code(const fow_training_catalogue *c, const char *code) {
    for (size_t i = 0; i < c->n_modules; i++)
        if (strcmp(c->modules[i].code, code) == 0) return &c->modules[i];
    fail_msg("no module %s", code);
    return NULL;
}

static void test_demo_catalogue_loads_whole(void **state) {
    tr_state *s = *state;
    fow_training_catalogue c;
    fow_error err;
    load_demo(s->d.db, &c, &err);
    assert_int_equal(c.n_modules, 9);
    /* listed by programme: Culturepreneurs, Work 4.0, then the module of none */
    assert_string_equal(c.modules[0].programme, "Culturepreneurs");
    assert_string_equal(c.modules[0].code, "CP-BIZ");
    assert_string_equal(c.modules[8].code, "FIC-CRM");
    assert_string_equal(c.modules[8].programme, "");
    const fow_training_module *sql = by_code(&c, "W40-SQL");
    assert_string_equal(sql->title_ro, "Date și SQL pentru începători");
    assert_int_equal(sql->cost_minor, 150000);
    assert_string_equal(sql->currency, "RON");
    assert_true(sql->hours == 40);
    assert_string_equal(sql->accreditation, "ANC-DEMO-0042");
    assert_string_equal(sql->accreditation_valid_until, "2027-12-31");
    /* 3 taught skills, then a skill and a module needed first */
    assert_int_equal(sql->n_links, 5);
    assert_int_equal(sql->links[0].kind, FOW_TRAINING_TEACHES);
    assert_string_equal(sql->links[0].label, "query databases with SQL");
    assert_string_equal(sql->links[0].uri, "urn:fow:demo:skill:query-databases-with-sql");
    assert_true(sql->links[0].skill_id > 0);
    assert_int_equal(sql->links[3].kind, FOW_TRAINING_NEEDS_SKILL);
    assert_string_equal(sql->links[3].label, "use spreadsheets software");
    assert_int_equal(sql->links[4].kind, FOW_TRAINING_NEEDS_MODULE);
    assert_string_equal(sql->links[4].label, "W40-SHEETS");
    assert_int_equal(sql->links[4].module_id, by_code(&c, "W40-SHEETS")->id);
    fow_training_free(&c);
}

/* q finds exactly one module of c, the one of code. */
static void finds_one(const fow_training_catalogue *c, fow_training_query q, const char *code) {
    size_t *idx, n;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_training_find(c, &q, &idx, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(c->modules[idx[0]].code, code);
    free(idx);
}

static void test_find_by_skill_and_words(void **state) {
    tr_state *s = *state;
    fow_training_catalogue c;
    fow_error err;
    load_demo(s->d.db, &c, &err);
    /* a label in another case, and the URI, find the same module */
    finds_one(&c, (fow_training_query){"USE CRM SOFTWARE", NULL}, "FIC-CRM");
    /* W40-SHEETS teaches it; W40-DATA and W40-SQL only need it */
    finds_one(&c, (fow_training_query){"urn:fow:demo:skill:use-spreadsheets-software", NULL}, "W40-SHEETS");
    /* words, any case and accents, all of them */
    finds_one(&c, (fow_training_query){NULL, "INCEPATORI sql"}, "W40-SQL");
    size_t *idx, n;
    fow_training_query q = {NULL, "culturepreneurs"};
    assert_fow_ok(fow_training_find(&c, &q, &idx, &n, &err), &err);
    assert_int_equal(n, 4);
    free(idx);
    /* a skill nothing teaches or needs is an error naming the skill */
    q = (fow_training_query){"juggle torches", NULL};
    assert_int_equal(fow_training_find(&c, &q, &idx, &n, &err), FOW_EINPUT);
    assert_string_equal(err.field, "skill");
    assert_contains(err.message, "juggle torches");
    fow_training_free(&c);
}

static void test_json_of_a_module(void **state) {
    tr_state *s = *state;
    fow_training_catalogue c;
    fow_error err;
    load_demo(s->d.db, &c, &err);
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_training_result_module(&w, &c, by_code(&c, "W40-DATA"));
    json_error_t jerr;
    json_t *j = json_loads(fow_jw_text(&w, NULL), 0, &jerr);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "cost"), "amount")), "450.00");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "cost"), "minor_units")), 45000);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "title"), "en")),
                        "Data entry and data quality");
    assert_int_equal(json_array_size(json_object_get(j, "skills")), 4);
    json_t *pre = json_object_get(json_object_get(j, "prerequisites"), "skills");
    assert_string_equal(json_string_value(json_object_get(json_array_get(pre, 0), "label")), "use spreadsheets software");
    assert_true(json_is_null(json_object_get(j, "place")));
    json_decref(j);
    fow_jw_free(&w);
    fow_training_free(&c);
}

/* A bad file: its error, where, and the database unchanged. */
typedef struct bad_case {
    const char *body; /* after the header */
    long line, column;
    const char *field, *says;
} bad_case;

static void test_bad_rows_are_refused_whole(void **state) {
    tr_state *s = *state;
    import_demo(s->d.db);
    static const bad_case cases[] = {
        {"Furnizor Demo,ANC-1,2028-01-01,Demo,M1,Titlu,Title,,,juggle torches,12,online,ro,,0,RON,,,\n", 2, 54,
         "skills", "unknown skill 'juggle torches'"},
        {"Furnizor Demo,ANC-1,2028-01-01,Demo,M1,Titlu,Title,,,use CRM software,12,online,ro,,-500,RON,,,\n", 2, 85,
         "cost", "cost must be a whole number"},
        {"Furnizor Demo,ANC-1,2028-01-01,Demo,M1,,Title,,,use CRM software,12,online,ro,,0,RON,,,\n", 2, 40,
         "title_ro", "title_ro is empty"},
        {"Furnizor Demo,ANC-1,2028-01-01,Demo,M1,Titlu,Title,,,use CRM software,12,on foot,ro,,0,RON,,,\n", 2, 74,
         "mode", "mode must be in_person, online or blended"},
        {"Furnizor Demo,ANC-1,2028-01-01,Demo,M1,Titlu,Title,,,use CRM software,0,online,ro,,0,RON,,,\n", 2, 71,
         "hours", "hours must be more than 0"},
        {"Furnizor Demo,ANC-1,2028-01-01,Demo,M1,Titlu,Title,,,use CRM software,12,online,ro,,0,lei,,,\n", 2, 87,
         "currency", "currency must be an ISO 4217 code"},
        {"Furnizor Demo,ANC-1,31.12.2028,Demo,M1,Titlu,Title,,,use CRM software,12,online,ro,,0,RON,,,\n", 2, 21,
         "accreditation_valid_until", "must be a date YYYY-MM-DD"},
        /* the second row is bad: the first, good, is not kept either */
        {"Furnizor Demo,ANC-1,2028-01-01,Demo,M1,Titlu,Title,,,use CRM software,12,online,ro,,0,RON,,,\n"
         "Furnizor Demo,ANC-1,2028-01-01,Demo,M1,Titlu,Title,,,use CRM software,12,online,ro,,0,RON,,,\n",
         3, 37, "module", "module 'M1' is on an earlier row too"},
        {"Furnizor Demo,ANC-1,2028-01-01,Demo,M1,Titlu,Title,,,use CRM software,12,online,ro,,0,RON,,M0,\n", 2, 92,
         "prerequisite_modules", "unknown prerequisite module 'M0'"},
        {"Furnizor Demo,ANC-1,2028-01-01,Demo,M1,Titlu,Title,,,use CRM software,12,online,ro,,0,RON,dance,,\n", 2, 91,
         "prerequisite_skills", "unknown skill 'dance'"},
        {"Furnizor Demo,ANC-1,2028-01-01,Demo,M1,Titlu,Title,,,use CRM software,12,online,ro,,0,RON,,,\n"
         "Furnizor Demo,ANC-2,2028-01-01,Demo,M2,Titlu,Title,,,use CRM software,12,online,ro,,0,RON,,,\n",
         3, 15, "accreditation", "another accreditation"},
    };
    ts_digest before = db_snapshot(s->d.path);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char name[32], path[TS_PATH_MAX], text[2048];
        snprintf(name, sizeof name, "bad%zu.csv", i);
        snprintf(text, sizeof text, "%s%s", header, cases[i].body);
        ts_write_string(s->files.dir, name, text, path, sizeof path);
        fow_import_report r;
        fow_error err;
        fow_error_clear(&err);
        fow_code rc = import_modules(s->d.db, path, &r, &err);
        char shown[1400];
        if (rc != FOW_EINPUT || err.line != cases[i].line || err.column != cases[i].column ||
            strcmp(err.field, cases[i].field) != 0 || !strstr(err.message, cases[i].says))
            fail_msg("case %zu: expected line %ld column %ld field %s saying '%s', got %s: %s (line %ld, column %ld, "
                     "field %s)",
                     i, cases[i].line, cases[i].column, cases[i].field, cases[i].says, fow_code_name(rc),
                     fow_error_format(&err, shown, sizeof shown), err.line, err.column, err.field);
        assert_true(ts_ends_with(err.file, name));
        assert_digest_equal(before, db_snapshot(s->d.path));
    }
    /* a header without a required column */
    char path[TS_PATH_MAX];
    ts_write_string(s->files.dir, "nocost.csv", "provider,module,title_ro,title_en,skills,hours,mode,language,currency\n",
                    path, sizeof path);
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(import_modules(s->d.db, path, &r, &err), FOW_EINPUT);
    assert_contains(err.message, "cost");
    assert_digest_equal(before, db_snapshot(s->d.path));
}

static void test_a_changed_file_replaces_the_catalogue(void **state) {
    tr_state *s = *state;
    char path[TS_PATH_MAX], text[2048];
    snprintf(text, sizeof text, "%s%s", header, good_row);
    ts_write_string(s->files.dir, "mine.csv", text, path, sizeof path);
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(import_modules(s->d.db, path, &r, &err), &err);
    assert_false(r.unchanged);
    assert_fow_ok(import_modules(s->d.db, path, &r, &err), &err);
    assert_true(r.unchanged);
    snprintf(text, sizeof text, "%s%s%s", header, good_row,
             "Furnizor Demo,ANC-1,2028-01-01,Demo,M2,Doi,Two,,,handle complaints,8,in_person,ro,,0,RON,,M1,\n");
    ts_write_string(s->files.dir, "mine.csv", text, path, sizeof path);
    assert_fow_ok(import_modules(s->d.db, path, &r, &err), &err);
    assert_true(r.replaced);
    fow_training_catalogue c;
    assert_fow_ok(fow_training_load(s->d.db, &c, &err), &err);
    assert_int_equal(c.n_modules, 2);
    const fow_training_module *m1 = by_code(&c, "M1");
    assert_true(m1->hours == 12.5);
    assert_int_equal(m1->n_links, 2);
    assert_string_equal(m1->links[1].label, "handle complaints");
    assert_int_equal(by_code(&c, "M2")->links[1].module_id, m1->id);
    assert_int_equal(ts_int(s->d.db, "SELECT count(*) FROM training_providers"), 1);
    fow_training_free(&c);
}

/* A module a provider writes in fow (skills by label, short id and URI). */
static fow_module_input written(int64_t provider, const char *code, const char *const *skills, size_t n) {
    fow_module_input in = {.provider_id = provider,
                           .code = code,
                           .title_ro = "Modul scris",
                           .title_en = "Written module",
                           .hours = 10,
                           .mode = "online",
                           .language = "ro",
                           .cost_minor = 30000,
                           .currency = "RON",
                           .skills = skills,
                           .n_skills = n};
    return in;
}

static int64_t provider_of(fow_db *db, const char *code) {
    return ts_int(db, "SELECT provider_id FROM training_modules WHERE code = '%s'", code);
}

/* Providers write modules; drafts stay out of the public catalogue until a
 * programme manager approves them; a change makes a draft again; a rejection
 * needs a reason; imported modules are approved and not edited; a second
 * import keeps the providers' ids and the modules written in fow. */
static void test_written_modules_and_their_review(void **state) {
    tr_state *s = *state;
    import_demo(s->d.db);
    fow_db *db = s->d.db;
    fow_error err;
    fow_error_clear(&err);
    char uri[300];
    ts_text(db, uri, sizeof uri, "SELECT uri FROM skills WHERE uri <> '' ORDER BY id LIMIT 1");
    const char *slash = strrchr(uri, '/');
    char label[300];
    ts_text(db, label, sizeof label, "SELECT label FROM skills WHERE uri = '%s'", uri);
    const char *keys[] = {uri, slash ? slash + 1 : uri, label};
    int64_t provider = provider_of(db, "CP-BIZ");
    assert_true(provider > 0);
    fow_module_input in = written(provider, "W-1", keys, 1);
    int64_t id = 0;
    assert_fow_ok(fow_training_module_create(db, &in, "prue", 1000, &id, &err), &err);
    assert_true(id > 0);
    /* every key form finds the same skill */
    for (size_t k = 0; k < 3; k++) {
        char code[16];
        snprintf(code, sizeof code, "W-K%zu", k);
        fow_module_input one = written(provider, code, &keys[k], 1);
        int64_t kid;
        assert_fow_ok(fow_training_module_create(db, &one, "prue", 1000, &kid, &err), &err);
        assert_string_equal(ts_text(db, label, sizeof label,
                                    "SELECT skill_uri FROM training_module_skills WHERE module_id = %lld", (long long)kid),
                            uri);
        assert_fow_ok(fow_training_module_delete(db, kid, &err), &err);
    }
    /* bad input names its field, and nothing is written */
    long long before = ts_int(db, "SELECT count(*) FROM training_modules");
    const char *unknown[] = {"no such skill at all"};
    struct {
        fow_module_input in;
        const char *field;
    } bad[] = {{written(provider, "W-2", unknown, 1), "skills"},      {written(provider, "W-2", keys, 0), "skills"},
               {written(provider, "W 2", keys, 1), "code"},            {written(provider, "W-1", keys, 1), "code"},
               {written(provider + 1000, "W-2", keys, 1), "provider_id"}};
    bad[4].in.provider_id = 999999;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int64_t none;
        fow_error_clear(&err);
        assert_int_not_equal(fow_training_module_create(db, &bad[i].in, "prue", 1000, &none, &err), FOW_OK);
        assert_string_equal(err.field, bad[i].field);
    }
    fow_module_input hours = written(provider, "W-3", keys, 1);
    hours.hours = 0;
    int64_t none;
    assert_int_equal(fow_training_module_create(db, &hours, "prue", 1000, &none, &err), FOW_EINPUT);
    assert_string_equal(err.field, "hours");
    assert_int_equal(ts_int(db, "SELECT count(*) FROM training_modules"), before);

    /* a draft: not public, in the provider's own list */
    fow_training_catalogue pub, all;
    assert_fow_ok(fow_training_load(db, &pub, &err), &err);
    assert_null(fow_training_module_by_id(&pub, id));
    assert_int_equal(pub.n_modules, 9);
    fow_training_free(&pub);
    assert_fow_ok(fow_training_load_any(db, true, &all, &err), &err);
    const fow_training_module *m = fow_training_module_by_id(&all, id);
    assert_non_null(m);
    assert_string_equal(m->status, "draft");
    assert_string_equal(m->written_by, "prue");
    size_t *idx, n;
    assert_fow_ok(fow_training_select(&all, "draft", provider, &idx, &n, &err), &err);
    assert_int_equal(n, 1);
    free(idx);
    assert_fow_ok(fow_training_select(&all, NULL, provider, &idx, &n, &err), &err);
    for (size_t i = 0; i < n; i++) assert_int_equal(all.modules[idx[i]].provider_id, provider);
    free(idx);
    fow_training_free(&all);

    /* the review: submitted first, a rejection needs a reason */
    assert_int_equal(fow_training_module_review(db, id, true, NULL, "pam", 1100, &err), FOW_EINPUT);
    assert_string_equal(err.field, "status");
    assert_fow_ok(fow_training_module_submit(db, id, "prue", 1100, &err), &err);
    assert_int_equal(fow_training_module_submit(db, id, "prue", 1100, &err), FOW_EINPUT);
    assert_string_equal(err.field, "status");
    assert_int_equal(fow_training_module_review(db, id, false, "", "pam", 1200, &err), FOW_EINPUT);
    assert_string_equal(err.field, "reason");
    assert_fow_ok(fow_training_module_review(db, id, false, "too short", "pam", 1200, &err), &err);
    assert_string_equal(ts_text(db, label, sizeof label, "SELECT review_reason FROM training_modules WHERE id = %lld",
                                (long long)id),
                        "too short");
    assert_fow_ok(fow_training_module_submit(db, id, "prue", 1300, &err), &err);
    assert_fow_ok(fow_training_module_review(db, id, true, NULL, "pam", 1400, &err), &err);
    assert_fow_ok(fow_training_load(db, &pub, &err), &err);
    assert_non_null(fow_training_module_by_id(&pub, id));
    fow_training_free(&pub);

    /* a change: a draft again, out of the catalogue */
    in.hours = 16;
    assert_fow_ok(fow_training_module_update(db, id, &in, "prue", 1500, &err), &err);
    assert_string_equal(ts_text(db, label, sizeof label, "SELECT status FROM training_modules WHERE id = %lld",
                                (long long)id),
                        "draft");
    assert_fow_ok(fow_training_load(db, &pub, &err), &err);
    assert_null(fow_training_module_by_id(&pub, id));
    fow_training_free(&pub);

    /* imported modules: approved, not editable here */
    int64_t imported = ts_int(db, "SELECT id FROM training_modules WHERE code = 'CP-BIZ'");
    assert_int_equal(fow_training_module_update(db, imported, &in, "prue", 1600, &err), FOW_EINPUT);
    assert_string_equal(err.field, "id");
    assert_int_equal(fow_training_module_delete(db, imported, &err), FOW_EINPUT);
    assert_int_equal(fow_training_module_delete(db, 987654, &err), FOW_ENOTFOUND);

    /* a second import of the catalogue (changed) keeps the provider's id and the written module */
    char path[TS_PATH_MAX];
    ts_join(path, sizeof path, demo_dir(), "modules.csv");
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[65536];
    size_t got = fread(text, 1, sizeof text - sizeof good_row, f);
    fclose(f);
    memcpy(text + got, good_row, sizeof good_row);
    ts_write_string(s->files.dir, "modules.csv", text, path, sizeof path);
    fow_import_report r;
    assert_fow_ok(import_modules(db, path, &r, &err), &err);
    assert_int_equal(r.files[0].rows_imported, 10);
    assert_int_equal(provider_of(db, "CP-BIZ"), provider);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM training_modules WHERE id = %lld", (long long)id), 1);
    assert_int_equal(ts_int(db, "SELECT rows FROM sources WHERE dataset = 'modules:written in fow'"), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_demo_catalogue_loads_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_by_skill_and_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_of_a_module, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_rows_are_refused_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_changed_file_replaces_the_catalogue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_written_modules_and_their_review, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
