/* test_importers.c — the importer registry (src/service/fow_importers.h):
 * complete and consistent (every kind has a function, unique names, known
 * options), settings checked with errors that name the option (never a
 * command-line flag), options reaching the importers, and the one JSON shape
 * of the report. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/fow_importers.h"
#include "test_support.h"

/* The kinds users know, in the order they are listed. A kind added to the
 * registry is added here too (and to the CLI and API tests). */
static const char *const expected_kinds[] = {"bundle", "esco", "risk", "attributes", "crosswalk", "employment", "modules", "skill_hierarchy"};
#define N_EXPECTED (sizeof expected_kinds / sizeof *expected_kinds)

static int setup_db(void **state) {
    ts_db *d = malloc(sizeof *d);
    if (!d) return -1;
    ts_db_fresh(d);
    *state = d;
    return 0;
}

static int teardown_db(void **state) {
    ts_db *d = *state;
    ts_db_free(d);
    free(d);
    return 0;
}

/* A neutral name: lower-case letters, digits and '_', starting with a
 * letter (so never "--model"). */
static bool neutral_name(const char *name) {
    if (!name || !islower((unsigned char)name[0])) return false;
    for (const char *p = name; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_') return false;
    return true;
}

static void test_registry_lists_the_expected_kinds(void **state) {
    (void)state;
    size_t n;
    const fow_importer *kinds = fow_importers(&n);
    assert_int_equal(n, N_EXPECTED);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(kinds[i].name, expected_kinds[i]);
        assert_ptr_equal(fow_importer_find(expected_kinds[i]), &kinds[i]);
    }
    assert_null(fow_importer_find("tarot"));
    assert_null(fow_importer_find(NULL));
    assert_null(fow_importer_find("Risk"));
    char names[200];
    assert_string_equal(fow_importer_names(names, sizeof names),
                        "bundle, esco, risk, attributes, crosswalk, employment, modules or skill_hierarchy");
}

static void test_registry_is_consistent(void **state) {
    (void)state;
    size_t n;
    const fow_importer *kinds = fow_importers(&n);
    for (size_t k = 0; k < n; k++) {
        const fow_importer *kind = &kinds[k];
        if (!neutral_name(kind->name)) fail_msg("kind '%s' is not a neutral name", kind->name);
        for (size_t j = 0; j < k; j++)
            if (strcmp(kinds[j].name, kind->name) == 0) fail_msg("kind '%s' is listed twice", kind->name);
        if (!kind->run) fail_msg("kind '%s' has no function", kind->name);
        if (!kind->description || strlen(kind->description) < 20 || strchr(kind->description, '\n'))
            fail_msg("kind '%s' needs a one-line description", kind->name);
        if (kind->input != FOW_IMPORT_FOLDER && kind->input != FOW_IMPORT_FILE)
            fail_msg("kind '%s' has an unknown input", kind->name);
        if (!fow_role_allows(FOW_ROLE_ADMIN, kind->permission) || fow_role_allows(FOW_ROLE_NONE, kind->permission))
            fail_msg("kind '%s': an admin may run it, no one without a role", kind->name);
        if (kind->n_options > FOW_IMPORT_MAX_OPTIONS) fail_msg("kind '%s' has too many options", kind->name);
        for (size_t i = 0; i < kind->n_options; i++) {
            const fow_import_option *o = kind->options[i].option;
            if (!o || !neutral_name(o->name)) fail_msg("kind '%s': option %zu has no neutral name", kind->name, i);
            for (size_t j = 0; j < i; j++)
                if (strcmp(kind->options[j].option->name, o->name) == 0)
                    fail_msg("kind '%s': option %s twice", kind->name, o->name);
            if (!o->description || !*o->description || strstr(o->description, "--"))
                fail_msg("option %s needs a description that names no flag", o->name);
            if (o->offset >= sizeof(fow_import_options)) fail_msg("option %s points outside the options", o->name);
            switch (o->type) {
            case FOW_OPTION_BOOLEAN:
                if (o->value_name || kind->options[i].required)
                    fail_msg("boolean %s: no value name, never required", o->name);
                break;
            case FOW_OPTION_CHOICE:
                if (!o->choices || !o->choices[0] || !o->choices[1] || !o->value_name)
                    fail_msg("choice %s needs two choices or more and a value name", o->name);
                break;
            case FOW_OPTION_INTEGER:
            case FOW_OPTION_TEXT:
                if (o->min > o->max || !o->value_name || o->choices)
                    fail_msg("option %s: min <= max, a value name, no choices", o->name);
                if (o->type == FOW_OPTION_TEXT && (size_t)o->max >= FOW_IMPORT_VALUE_MAX)
                    fail_msg("text %s may be longer than a settings value", o->name);
                break;
            default: fail_msg("option %s has an unknown type", o->name);
            }
            bool required = !kind->options[i].required;
            assert_ptr_equal(fow_importer_option(kind, o->name, &required), o);
            assert_int_equal(required, kind->options[i].required);
        }
        assert_null(fow_importer_option(kind, "no_such_option", NULL));
    }
    /* the union of options: each once, and each option of each kind in it */
    const fow_import_option *all[64];
    size_t n_all = fow_import_all_options(all, 64);
    assert_true(n_all >= 10);
    for (size_t i = 0; i < n_all; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(all[i]->name, all[j]->name) == 0) fail_msg("option %s has two definitions", all[i]->name);
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < kinds[k].n_options; i++) {
            bool found = false;
            for (size_t j = 0; j < n_all; j++) found |= all[j] == kinds[k].options[i].option;
            if (!found) fail_msg("option %s of %s is not in the union", kinds[k].options[i].option->name, kinds[k].name);
        }
    /* the options users rely on, by kind */
    bool required;
    assert_non_null(fow_importer_option(fow_importer_find("risk"), "model", &required));
    assert_true(required);
    assert_non_null(fow_importer_option(fow_importer_find("employment"), "area", &required));
    assert_true(required);
    assert_non_null(fow_importer_option(fow_importer_find("employment"), "year", &required));
    assert_false(required);
    assert_non_null(fow_importer_option(fow_importer_find("esco"), "lang", NULL));
    assert_null(fow_importer_option(fow_importer_find("risk"), "area", NULL));
    /* who may: analysts import employment only, counsellors nothing */
    for (size_t k = 0; k < n; k++) {
        bool employment = strcmp(kinds[k].name, "employment") == 0;
        assert_int_equal(fow_role_allows(FOW_ROLE_ANALYST, kinds[k].permission), employment);
        assert_false(fow_role_allows(FOW_ROLE_COUNSELLOR, kinds[k].permission));
    }
    assert_int_equal(fow_importer_find("bundle")->input, FOW_IMPORT_FOLDER);
    assert_int_equal(fow_importer_find("employment")->input, FOW_IMPORT_FILE);
}

/* An error of the settings: code, field and a part of the message. */
static void assert_refused(fow_code rc, const fow_error *err, const char *field, const char *message) {
    if (rc != FOW_EINPUT) fail_msg("expected FOW_EINPUT, got %s (%s)", fow_code_name(rc), err->message);
    assert_string_equal(err->field, field);
    assert_contains(err->message, message);
    if (strstr(err->message, "--")) fail_msg("the message names a flag: %s", err->message);
}

static void test_settings_name_the_option(void **state) {
    (void)state;
    fow_import_settings s;
    fow_error err;
    fow_error_clear(&err);
    assert_refused(fow_import_settings_init(&s, "tarot", &err), &err, "kind",
                   "kind must be bundle, esco, risk, attributes, crosswalk, employment, modules or skill_hierarchy, not 'tarot'");
    assert_refused(fow_import_settings_init(&s, NULL, &err), &err, "kind", "kind must be");

    assert_fow_ok(fow_import_settings_init(&s, "risk", &err), &err);
    assert_refused(fow_import_settings_check(&s, &err), &err, "model", "risk imports need model");
    assert_refused(fow_import_settings_set(&s, "model", "astrology", &err), &err, "model",
                   "model must be 'mcc' or 'frey-osborne', not 'astrology'");
    assert_refused(fow_import_settings_set(&s, "area", "Cluj", &err), &err, "area",
                   "risk imports take no option area; they take model, source, version, licence, url and allow_shrink");
    assert_fow_ok(fow_import_settings_set(&s, "model", "frey-osborne", &err), &err);
    assert_refused(fow_import_settings_set(&s, "model", "mcc", &err), &err, "model", "model is given twice");
    assert_fow_ok(fow_import_settings_check(&s, &err), &err);
    assert_string_equal(fow_import_settings_get(&s, "model"), "frey-osborne");
    assert_null(fow_import_settings_get(&s, "version"));

    assert_fow_ok(fow_import_settings_init(&s, "employment", &err), &err);
    assert_refused(fow_import_settings_check(&s, &err), &err, "area", "employment imports need area");
    assert_refused(fow_import_settings_set(&s, "area", "", &err), &err, "area", "area must be 1 to 100 bytes");
    assert_refused(fow_import_settings_set(&s, "area", "a\tb", &err), &err, "area", "without control characters");
    char long_area[102];
    memset(long_area, 'x', 101);
    long_area[101] = '\0';
    assert_refused(fow_import_settings_set(&s, "area", long_area, &err), &err, "area", "1 to 100 bytes");
    assert_refused(fow_import_settings_set(&s, "year", "1800", &err), &err, "year",
                   "year must be a whole number from 1900 to 2100, not '1800'");
    assert_refused(fow_import_settings_set(&s, "year", "20x4", &err), &err, "year", "not '20x4'");
    assert_refused(fow_import_settings_set(&s, "year", "", &err), &err, "year", "whole number");
    assert_refused(fow_import_settings_set(&s, "skip_unknown", "yes", &err), &err, "skip_unknown",
                   "skip_unknown must be true or false, not 'yes'");
    assert_refused(fow_import_settings_set(&s, "lang", "ro", &err), &err, "lang", "employment imports take no option lang");
    assert_fow_ok(fow_import_settings_set(&s, "area", "Cluj-Napoca", &err), &err);
    assert_fow_ok(fow_import_settings_set(&s, "year", "2024", &err), &err);
    assert_fow_ok(fow_import_settings_set(&s, "illustrative", "true", &err), &err);
    assert_fow_ok(fow_import_settings_check(&s, &err), &err);
    /* every option of the kind, typed, null or false when not given */
    json_t *j = fow_import_settings_json(&s);
    assert_non_null(j);
    char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(text, "{\"area\":\"Cluj-Napoca\",\"year\":2024,\"skip_unknown\":false,\"illustrative\":true,"
                              "\"source\":null,\"version\":null,\"licence\":null,\"url\":null,"
                              "\"allow_shrink\":false}");
    free(text);
    json_decref(j);

    assert_fow_ok(fow_import_settings_init(&s, "esco", &err), &err);
    assert_refused(fow_import_settings_set(&s, "lang", "e", &err), &err, "lang", "lang must be 2 to 7 bytes");
}

/* The library's own checks (for callers that do not use the registry)
 * name the field too. */
static void test_importers_name_fields_not_flags(void **state) {
    ts_db *d = *state;
    char path[TS_PATH_MAX];
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    ts_fixture(path, sizeof path, "risk-small.csv");
    fow_import_options opt = {0};
    opt.model = "astrology";
    assert_refused(fow_import_risk(d->db, path, &opt, &r, &err), &err, "model",
                   "model must be 'mcc' or 'frey-osborne', not 'astrology'");
    memset(&opt, 0, sizeof opt);
    assert_refused(fow_import_employment(d->db, path, &opt, &r, &err), &err, "area", "needs area");
    opt.area = "A";
    opt.year = 12;
    assert_refused(fow_import_employment(d->db, path, &opt, &r, &err), &err, "year", "year must be from 1900 to 2100");
    ts_fixture(path, sizeof path, "esco-small");
    memset(&opt, 0, sizeof opt);
    opt.lang = "EN";
    assert_refused(fow_import_esco(d->db, path, &opt, &r, &err), &err, "lang", "lang 'EN' is not a language code");
}

/* The report's keys, in order. */
static void assert_keys(json_t *obj, const char *const *keys, size_t n) {
    assert_int_equal(json_object_size(obj), n);
    size_t i = 0;
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value) {
        (void)value;
        assert_string_equal(key, keys[i]);
        i++;
    }
}

/* Options given as settings reach the importer (the data set's name and
 * version, the employment's area and year), and the report has one shape. */
static void test_run_and_report(void **state) {
    ts_db *d = *state;
    ts_import_bundle_fixture(d->db, "bundle-small", NULL);
    fow_import_settings s;
    fow_error err;
    fow_error_clear(&err);
    static fow_import_report r;
    char path[TS_PATH_MAX];
    ts_fixture(path, sizeof path, "risk-small.csv");
    assert_fow_ok(fow_import_settings_init(&s, "risk", &err), &err);
    assert_refused(fow_import_run(d->db, &s, path, NULL, NULL, &r, &err), &err, "model", "risk imports need model");
    assert_fow_ok(fow_import_settings_set(&s, "model", "mcc", &err), &err);
    assert_fow_ok(fow_import_settings_set(&s, "source", "Test risk", &err), &err);
    assert_fow_ok(fow_import_settings_set(&s, "version", "v7", &err), &err);
    assert_fow_ok(fow_import_run(d->db, &s, path, NULL, NULL, &r, &err), &err);
    assert_string_equal(r.source_name, "Test risk");
    assert_string_equal(r.version, "v7");

    json_t *j = fow_import_report_json("risk", &r, ts_fixtures_dir());
    static const char *const report_keys[] = {"kind",     "dataset",  "source", "version", "unchanged",
                                              "description_updated", "replaced", "files", "notes", "note_messages"};
    assert_keys(j, report_keys, 10);
    assert_string_equal(json_string_value(json_object_get(j, "kind")), "risk");
    json_t *file = json_array_get(json_object_get(j, "files"), 0);
    static const char *const file_keys[] = {"file", "rows_read", "rows_imported", "rows_rejected",
                                            "rejected_because"};
    assert_keys(file, file_keys, 5);
    /* the folder given is left out of the file's name */
    assert_string_equal(json_string_value(json_object_get(file, "file")), "risk-small.csv");
    assert_int_equal(json_integer_value(json_object_get(file, "rows_read")), r.files[0].rows_read);
    json_t *because = json_object_get(file, "rejected_because");
    assert_int_equal(json_array_size(because), r.files[0].n_reasons);
    assert_true(r.files[0].n_reasons > 0); /* urn:test:occupation:nobody is not in the taxonomy */
    static const char *const reason_keys[] = {"reason", "rows", "reason_message"};
    assert_keys(json_array_get(because, 0), reason_keys, 3);
    /* the reason and the note as messages the web app words: codes, the place without the folder */
    json_t *reason = json_object_get(json_array_get(because, 0), "reason_message");
    assert_string_equal(json_string_value(json_object_get(reason, "code")), "import.reason.occupation_not_in_taxonomy");
    assert_string_equal(json_string_value(json_object_get(reason, "text")), "occupation not in the imported taxonomy");
    json_t *notes = json_object_get(j, "notes"), *note_messages = json_object_get(j, "note_messages");
    assert_int_equal(json_array_size(note_messages), json_array_size(notes));
    assert_true(json_array_size(notes) >= 1);
    json_t *note = json_array_get(note_messages, 0);
    assert_string_equal(json_string_value(json_object_get(note, "code")), "import.note.row_not_in_taxonomy");
    assert_string_equal(json_string_value(json_object_get(note, "text")), json_string_value(json_array_get(notes, 0)));
    json_t *params = json_object_get(note, "params");
    assert_string_equal(json_string_value(json_object_get(params, "file")), "risk-small.csv");
    assert_string_equal(json_string_value(json_object_get(params, "line")), "3");
    assert_string_equal(json_string_value(json_object_get(params, "occupation")), "urn:test:occupation:nobody");
    json_decref(j);
    j = fow_import_report_json("risk", &r, NULL);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "files"), 0), "file")),
                        path);
    json_decref(j);

    /* employment: the area and year reach the importer (the data set's key) */
    ts_tmp tmp;
    ts_tmp_make(&tmp);
    ts_write_string(tmp.dir, "e.csv", "isco_code,employed\n8322,100\n", path, sizeof path);
    assert_fow_ok(fow_import_settings_init(&s, "employment", &err), &err);
    assert_fow_ok(fow_import_settings_set(&s, "area", "Testville", &err), &err);
    assert_fow_ok(fow_import_settings_set(&s, "year", "2023", &err), &err);
    assert_fow_ok(fow_import_settings_set(&s, "illustrative", "true", &err), &err);
    assert_fow_ok(fow_import_run(d->db, &s, path, NULL, NULL, &r, &err), &err);
    assert_string_equal(r.dataset, "employment:Testville:2023");
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM employment WHERE area = 'Testville' AND year = 2023"), 1);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM sources WHERE kind = 'employment-illustrative'"), 1);
    ts_tmp_remove(&tmp);
}

static void test_registry_json(void **state) {
    (void)state;
    json_t *j = fow_importers_json();
    json_t *kinds = json_object_get(j, "kinds");
    size_t n;
    const fow_importer *registry = fow_importers(&n);
    assert_int_equal(json_array_size(kinds), n);
    for (size_t k = 0; k < n; k++) {
        json_t *kind = json_array_get(kinds, k);
        assert_string_equal(json_string_value(json_object_get(kind, "name")), registry[k].name);
        assert_string_equal(json_string_value(json_object_get(kind, "input")),
                            registry[k].input == FOW_IMPORT_FOLDER ? "folder" : "file");
        json_t *options = json_object_get(kind, "options");
        assert_int_equal(json_array_size(options), registry[k].n_options);
        for (size_t i = 0; i < registry[k].n_options; i++) {
            json_t *o = json_array_get(options, i);
            assert_string_equal(json_string_value(json_object_get(o, "name")), registry[k].options[i].option->name);
            assert_int_equal(json_is_true(json_object_get(o, "required")), registry[k].options[i].required);
        }
    }
    json_t *model = json_array_get(json_object_get(json_array_get(kinds, 2), "options"), 0);
    assert_string_equal(json_string_value(json_object_get(model, "type")), "choice");
    assert_string_equal(json_string_value(json_array_get(json_object_get(model, "choices"), 1)), "frey-osborne");
    json_decref(j);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry_lists_the_expected_kinds),
        cmocka_unit_test(test_registry_is_consistent),
        cmocka_unit_test(test_settings_name_the_option),
        cmocka_unit_test_setup_teardown(test_importers_name_fields_not_flags, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_run_and_report, setup_db, teardown_db),
        cmocka_unit_test(test_registry_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
