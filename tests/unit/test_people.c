/* test_people.c — people records (src/people/fow_people.h): encryption at
 * rest and the key file, consent per purpose, access by organisation, the
 * skills profile and the moves from it, export, erasure (a byte search of
 * the database and its WAL) and the audit log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts/fow_accounts.h"
#include "people/fow_people.h"
#include "taxonomy/fow_model.h"
#include "test_support.h"
#include "transitions/fow_similarity.h"

#define T0 1796000000LL /* 2026-11-29 */
#define ZORB_NAME "Qwxzyllian Brambleforth-Ocelot"
#define ZORB_CONTACT "qwxzyllian.brambleforth@example.invalid"

static const fow_people_staff ADMIN = {.name = "root", .organisation = "", .all_organisations = true};
static const fow_people_staff CLUJ = {.name = "carla", .organisation = "AJOFM Cluj"};
static const fow_people_staff IASI = {.name = "ion", .organisation = "AJOFM Iasi"};

typedef struct fixture {
    ts_db d;
    char key_path[TS_PATH_MAX + 8];
    fow_people *people;
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    ts_db_fresh(&f->d);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_people_key_path(f->d.path, f->key_path, sizeof f->key_path, &err), &err);
    assert_fow_ok(fow_people_open(f->d.db, f->key_path, &f->people, &err), &err);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    fow_people_close(f->people);
    ts_db_free(&f->d);
    free(f);
    return 0;
}

static void assert_fails_on(fow_code rc, fow_code code, const fow_error *err, const char *field) {
    if (rc != code)
        fail_msg("expected %s on field '%s', got %s: %s", fow_code_name(code), field, fow_code_name(rc), err->message);
    assert_string_equal(err->field, field);
    assert_true(err->message[0] != '\0');
}

static void add_person(fixture *f, const fow_people_staff *staff, const char *name, const char *contact, char *id) {
    fow_error err;
    fow_error_clear(&err);
    fow_person_input in = {.name = name, .contact = contact, .birth_year = 1984, .area = "Cluj-Napoca",
                           .employment_status = "employed"};
    assert_fow_ok(fow_people_add(f->people, staff, NULL, &in, T0, id, &err), &err);
}

/* 1 when the len bytes of needle occur in the file at path. */
static int file_holds(const char *path, const void *needle, size_t len) {
    size_t n = 0;
    char *data = ts_exists(path) ? ts_read_file(path, &n) : NULL;
    int found = 0;
    for (size_t i = 0; data && len && i + len <= n && !found; i++) found = memcmp(data + i, needle, len) == 0;
    free(data);
    return found;
}

/* ---- encryption and keys ---------------------------------------------------- */

static void test_round_trip_and_key_file(void **state) {
    fixture *f = *state;
    char id[FOW_PERSON_ID_CHARS + 1];
    add_person(f, &CLUJ, "Mărgărita Țăruș", "+40 700 000 000", id);
    assert_int_equal(strlen(id), FOW_PERSON_ID_CHARS);
    assert_true(id[0] == 'p');
    fow_error err;
    fow_error_clear(&err);
    fow_person p;
    assert_fow_ok(fow_people_get(f->people, &CLUJ, id, "first meeting", T0 + 1, &p, &err), &err);
    assert_string_equal(p.name, "Mărgărita Țăruș");
    assert_string_equal(p.contact, "+40 700 000 000");
    assert_int_equal(p.birth_year, 1984);
    assert_string_equal(p.organisation, "AJOFM Cluj");
    assert_string_equal(p.employment_status, "employed");
    /* stored only encrypted: the plain name is not in the table */
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM people WHERE instr(name_box, CAST('Mărgărita' AS BLOB)) > 0"), 0);
    assert_int_equal(ts_int(f->d.db, "SELECT length(name_box) FROM people WHERE id = '%s'", id),
                     24 + (long long)strlen("Mărgărita Țăruș") + 16);
    /* the key file: made on first use, owner-only */
    struct stat st;
    assert_int_equal(stat(f->key_path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* two people never share an id */
    char other[FOW_PERSON_ID_CHARS + 1];
    add_person(f, &CLUJ, "Mărgărita Țăruș", NULL, other);
    assert_string_not_equal(id, other);
    /* exact look-up, case and accents ignored, through the keyed hash */
    char ids[4][FOW_PERSON_ID_CHARS + 1];
    size_t n;
    assert_fow_ok(fow_people_find(f->people, &CLUJ, 0, "margarita TARUS", "look-up", T0, ids, 4, &n, &err), &err);
    assert_int_equal(n, 2);
    assert_fow_ok(fow_people_find(f->people, &CLUJ, 1, "+40 700 000 000", "look-up", T0, ids, 4, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(ids[0], id);
    assert_fow_ok(fow_people_find(f->people, &CLUJ, 0, "Margarit", "look-up", T0, ids, 4, &n, &err), &err);
    assert_int_equal(n, 0);
}

static void test_wrong_key_fails_clearly(void **state) {
    fixture *f = *state;
    char id[FOW_PERSON_ID_CHARS + 1], id2[FOW_PERSON_ID_CHARS + 1];
    add_person(f, &CLUJ, "Ana Pop", "ana@example.invalid", id);
    add_person(f, &CLUJ, "Dan Ionescu", NULL, id2);
    fow_people_close(f->people);
    f->people = NULL;
    fow_error err;
    fow_error_clear(&err);
    /* another database's key */
    ts_db other;
    ts_db_fresh(&other);
    char other_key[TS_PATH_MAX + 8];
    fow_people *op;
    assert_fow_ok(fow_people_key_path(other.path, other_key, sizeof other_key, &err), &err);
    assert_fow_ok(fow_people_open(other.db, other_key, &op, &err), &err);
    fow_people_close(op);
    fow_people *p = NULL;
    assert_fails_on(fow_people_open(f->d.db, other_key, &p, &err), FOW_EINPUT, &err, "key");
    assert_contains(err.message, "not the key");
    assert_null(p);
    /* a missing key file is not made again once people were encrypted */
    char moved[TS_PATH_MAX + 16];
    snprintf(moved, sizeof moved, "%s.moved", f->key_path);
    assert_int_equal(rename(f->key_path, moved), 0);
    assert_fails_on(fow_people_open(f->d.db, f->key_path, &p, &err), FOW_EIO, &err, "key");
    assert_contains(err.message, "missing");
    assert_false(ts_exists(f->key_path));
    assert_int_equal(rename(moved, f->key_path), 0);
    /* a key file others may read is refused */
    assert_int_equal(chmod(f->key_path, 0644), 0);
    assert_fails_on(fow_people_open(f->d.db, f->key_path, &p, &err), FOW_EINPUT, &err, "key");
    assert_contains(err.message, "chmod 600");
    assert_int_equal(chmod(f->key_path, 0600), 0);
    assert_fow_ok(fow_people_open(f->d.db, f->key_path, &f->people, &err), &err);
    /* a box moved to another person does not open (the id is associated data) */
    assert_fow_ok(fow_db_exec(f->d.db, "UPDATE people SET name_box = (SELECT name_box FROM people WHERE name_box IS "
                                       "NOT NULL ORDER BY id LIMIT 1 OFFSET 1) WHERE id = (SELECT id FROM people "
                                       "ORDER BY id LIMIT 1)",
                              &err),
                  &err);
    fow_person got;
    char first[FOW_PERSON_ID_CHARS + 1];
    snprintf(first, sizeof first, "%s", strcmp(id, id2) < 0 ? id : id2);
    assert_fails_on(fow_people_get(f->people, &CLUJ, first, "check", T0, &got, &err), FOW_EDB, &err, "name");
    assert_contains(err.message, "cannot be decrypted");
    assert_string_equal(got.name, "");
    fow_people_close(f->people);
    f->people = NULL;
    assert_fow_ok(fow_people_open(f->d.db, f->key_path, &f->people, &err), &err);
    ts_db_free(&other);
}

/* ---- consent ------------------------------------------------------------------ */

static void test_consent_withdrawal_blocks_purpose(void **state) {
    fixture *f = *state;
    char id[FOW_PERSON_ID_CHARS + 1];
    add_person(f, &CLUJ, "Ana Pop", NULL, id);
    fow_error err;
    fow_error_clear(&err);
    fow_model *model = NULL;
    ts_import_bundle_fixture(f->d.db, "bundle-small", NULL);
    assert_fow_ok(fow_model_load(f->d.db, &model, &err), &err);
    /* no consent yet: the profile is closed */
    assert_fails_on(fow_people_skill_add(f->people, &CLUJ, model, id, "drive vehicles", FOW_SKILL_DECLARED, NULL, T0, &err),
                    FOW_EINPUT, &err, "consent");
    assert_contains(err.message, "has not given consent to counselling");
    assert_fails_on(fow_people_require_consent(f->people, &CLUJ, id, FOW_PURPOSE_TRAINING, &err), FOW_EINPUT, &err,
                    "consent");
    assert_fow_ok(fow_people_consent_give(f->people, &CLUJ, id, FOW_PURPOSE_COUNSELLING, "2026-1", T0, &err), &err);
    assert_fails_on(fow_people_consent_give(f->people, &CLUJ, id, FOW_PURPOSE_COUNSELLING, "2026-1", T0, &err),
                    FOW_EINPUT, &err, "purpose");
    assert_fow_ok(fow_people_require_consent(f->people, &CLUJ, id, FOW_PURPOSE_COUNSELLING, &err), &err);
    assert_fow_ok(fow_people_skill_add(f->people, &CLUJ, model, id, "drive vehicles", FOW_SKILL_DECLARED, NULL, T0, &err),
                  &err);
    fow_person_skill *skills;
    size_t n;
    assert_fow_ok(fow_people_skills(f->people, &CLUJ, model, id, NULL, T0, &skills, &n, &err), &err);
    assert_int_equal(n, 1);
    free(skills);
    /* withdrawn: stopped at once, for that purpose only */
    assert_fow_ok(fow_people_consent_give(f->people, &CLUJ, id, FOW_PURPOSE_STATISTICS, "2026-1", T0, &err), &err);
    assert_fow_ok(fow_people_consent_withdraw(f->people, &CLUJ, id, FOW_PURPOSE_COUNSELLING, T0 + 60, &err), &err);
    assert_fails_on(fow_people_skills(f->people, &CLUJ, model, id, NULL, T0 + 61, &skills, &n, &err), FOW_EINPUT, &err,
                    "consent");
    assert_contains(err.message, "withdrew consent to counselling");
    assert_null(skills);
    assert_fails_on(fow_people_skill_add(f->people, &CLUJ, model, id, "road traffic laws", FOW_SKILL_DECLARED, NULL,
                                         T0 + 62, &err),
                    FOW_EINPUT, &err, "consent");
    assert_fow_ok(fow_people_require_consent(f->people, &CLUJ, id, FOW_PURPOSE_STATISTICS, &err), &err);
    assert_fails_on(fow_people_consent_withdraw(f->people, &CLUJ, id, FOW_PURPOSE_COUNSELLING, T0 + 70, &err),
                    FOW_EINPUT, &err, "purpose");
    fow_person p;
    assert_fow_ok(fow_people_get(f->people, &CLUJ, id, "check", T0, &p, &err), &err);
    assert_false(p.consent[FOW_PURPOSE_COUNSELLING]);
    assert_true(p.consent[FOW_PURPOSE_STATISTICS]);
    /* given again: a new row of the history */
    assert_fow_ok(fow_people_consent_give(f->people, &CLUJ, id, FOW_PURPOSE_COUNSELLING, "2026-2", T0 + 80, &err), &err);
    fow_consent *c;
    assert_fow_ok(fow_people_consents(f->people, &CLUJ, id, &c, &n, &err), &err);
    assert_int_equal(n, 3);
    assert_int_equal(c[0].withdrawn_at, T0 + 60);
    assert_string_equal(c[0].withdrawn_by, "carla");
    assert_string_equal(c[2].text_version, "2026-2");
    free(c);
    fow_model_free(model);
}

/* ---- organisations and bad input ------------------------------------------------ */

static void test_organisations(void **state) {
    fixture *f = *state;
    char cluj[FOW_PERSON_ID_CHARS + 1], iasi[FOW_PERSON_ID_CHARS + 1];
    add_person(f, &CLUJ, "Ana Pop", NULL, cluj);
    add_person(f, &IASI, "Ana Pop", NULL, iasi);
    fow_error err;
    fow_error_clear(&err);
    fow_person p;
    assert_fails_on(fow_people_get(f->people, &IASI, cluj, "curious", T0, &p, &err), FOW_ENOTFOUND, &err, "person");
    assert_fails_on(fow_people_consent_give(f->people, &IASI, cluj, FOW_PURPOSE_TRAINING, "1", T0, &err), FOW_ENOTFOUND,
                    &err, "person");
    assert_fow_ok(fow_people_get(f->people, &ADMIN, cluj, "supervision", T0, &p, &err), &err);
    fow_person *list;
    size_t n;
    assert_fow_ok(fow_people_list(f->people, &IASI, T0, &list, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].id, iasi);
    assert_string_equal(list[0].name, ""); /* lists never carry names */
    free(list);
    assert_fow_ok(fow_people_list(f->people, &ADMIN, T0, &list, &n, &err), &err);
    assert_int_equal(n, 2);
    free(list);
    char ids[4][FOW_PERSON_ID_CHARS + 1];
    assert_fow_ok(fow_people_find(f->people, &IASI, 0, "ana pop", "look-up", T0, ids, 4, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(ids[0], iasi);
    /* a counsellor adds only to their own organisation */
    fow_person_input in = {.organisation = "AJOFM Cluj"};
    char id[FOW_PERSON_ID_CHARS + 1];
    assert_fails_on(fow_people_add(f->people, &IASI, NULL, &in, T0, id, &err), FOW_EINPUT, &err, "organisation");
    fow_people_staff lost = {.name = "nobody", .organisation = ""};
    assert_fails_on(fow_people_list(f->people, &lost, T0, &list, &n, &err), FOW_EINPUT, &err, "organisation");
    assert_contains(err.message, "has no organisation");
    fow_people_count *counts;
    assert_fow_ok(fow_people_counts(f->people, &IASI, &counts, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(counts[0].organisation, "AJOFM Iasi");
    free(counts);
}

static void test_bad_input_names_the_field(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    char id[FOW_PERSON_ID_CHARS + 1];
    struct {
        fow_person_input in;
        const char *field, *says;
    } cases[] = {
        {{.birth_year = 1850}, "birth_year", "from 1900"},
        {{.birth_year = 2100}, "birth_year", "from 1900"},
        {{.employment_status = "retired"}, "employment_status", "not 'retired'"},
        {{.name = "Ana\tPop"}, "name", "control character at byte 4"},
        {{.contact = "\xff\xfe"}, "contact", "not valid UTF-8 at byte 1"},
        {{.area = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}, "area", "at most 64"},
        {{.occupation = "taxi driver"}, "occupation", "no taxonomy"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_fails_on(fow_people_add(f->people, &CLUJ, NULL, &cases[i].in, T0, id, &err), FOW_EINPUT, &err,
                        cases[i].field);
        assert_contains(err.message, cases[i].says);
    }
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM people"), 0);
    add_person(f, &CLUJ, "Ana Pop", NULL, id);
    fow_person p;
    assert_fails_on(fow_people_get(f->people, &CLUJ, "p123", "x", T0, &p, &err), FOW_EINPUT, &err, "person");
    assert_fails_on(fow_people_get(f->people, &CLUJ, id, NULL, T0, &p, &err), FOW_EINPUT, &err, "reason");
    assert_fails_on(fow_people_get(f->people, &CLUJ, id, "", T0, &p, &err), FOW_EINPUT, &err, "reason");
    assert_fails_on(fow_people_consent_give(f->people, &CLUJ, id, FOW_PURPOSE_TRAINING, "v 1", T0, &err), FOW_EINPUT,
                    &err, "text_version");
    assert_fails_on(fow_people_consent_give(f->people, &CLUJ, id, (fow_purpose)9, "v1", T0, &err), FOW_EINPUT, &err,
                    "purpose");
    fow_erasure e;
    assert_fails_on(fow_people_erase(f->people, &CLUJ, id, NULL, T0, &e, &err), FOW_EINPUT, &err, "reason");
    fow_purpose purpose;
    assert_int_equal(fow_purpose_parse("vouchers", &purpose), 0);
    assert_int_equal(purpose, FOW_PURPOSE_VOUCHERS);
    assert_int_equal(fow_purpose_parse("marketing", &purpose), -1);
    fow_skill_provenance prov;
    assert_int_equal(fow_skill_provenance_parse("credential", &prov), 0);
    assert_int_equal(prov, FOW_SKILL_CREDENTIAL);
    assert_string_equal(fow_skill_provenance_name(FOW_SKILL_CONFIRMED), "counsellor");
}

/* ---- export, erasure, audit -------------------------------------------------------- */

static void test_export_is_complete(void **state) {
    fixture *f = *state;
    ts_import_bundle_fixture(f->d.db, "bundle-small", NULL);
    fow_error err;
    fow_error_clear(&err);
    fow_model *model;
    assert_fow_ok(fow_model_load(f->d.db, &model, &err), &err);
    fow_person_input in = {.name = "Ana Pop", .contact = "ana@example.invalid", .birth_year = 1990, .area = "Cluj",
                           .occupation = "taxi driver", .employment_status = "unemployed"};
    char id[FOW_PERSON_ID_CHARS + 1];
    assert_fow_ok(fow_people_add(f->people, &CLUJ, model, &in, T0, id, &err), &err);
    assert_fow_ok(fow_people_consent_give(f->people, &CLUJ, id, FOW_PURPOSE_COUNSELLING, "v1", T0, &err), &err);
    assert_fow_ok(fow_people_skill_add(f->people, &CLUJ, model, id, "urn:test:skill:drive-vehicles", FOW_SKILL_ASSESSMENT,
                                       "driving test 2026", T0, &err),
                  &err);
    fow_jw w;
    fow_jw_init(&w, 0);
    assert_fow_ok(fow_people_export(f->people, &CLUJ, id, "subject access request", T0 + 5, &w, &err), &err);
    json_error_t jerr;
    json_t *doc = json_loads(fow_jw_text(&w, NULL), 0, &jerr);
    assert_non_null(doc);
    json_t *person = json_object_get(doc, "person");
    assert_string_equal(json_string_value(json_object_get(person, "name")), "Ana Pop");
    assert_string_equal(json_string_value(json_object_get(person, "contact")), "ana@example.invalid");
    assert_int_equal(json_integer_value(json_object_get(person, "birth_year")), 1990);
    assert_string_equal(json_string_value(json_object_get(json_object_get(person, "occupation"), "uri")),
                        "urn:test:occupation:taxi-driver");
    assert_string_equal(json_string_value(json_object_get(person, "employment_status")), "unemployed");
    assert_int_equal(json_array_size(json_object_get(doc, "consents")), 1);
    json_t *skill = json_array_get(json_object_get(doc, "skills"), 0);
    assert_string_equal(json_string_value(json_object_get(skill, "provenance")), "assessment");
    assert_string_equal(json_string_value(json_object_get(skill, "detail")), "driving test 2026");
    /* the audit trail about them, the export itself included */
    json_t *audit = json_object_get(doc, "audit");
    assert_true(json_array_size(audit) >= 4); /* add, consent, skill-add, export */
    assert_string_equal(json_string_value(json_object_get(json_array_get(audit, 0), "action")), "export");
    assert_string_equal(json_string_value(json_object_get(json_array_get(audit, 0), "reason")), "subject access request");
    /* every stored column of the record is in the export */
    const char *fields[] = {"id", "name", "contact", "birth_year", "area", "occupation", "employment_status",
                            "organisation", "created_at", "created_by", "consent"};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) assert_non_null(json_object_get(person, fields[i]));
    json_decref(doc);
    fow_jw_free(&w);
    fow_model_free(model);
}

static void test_erasure_leaves_no_bytes(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    char id[FOW_PERSON_ID_CHARS + 1], keep[FOW_PERSON_ID_CHARS + 1];
    add_person(f, &CLUJ, "Ana Pop", NULL, keep);
    add_person(f, &CLUJ, ZORB_NAME, ZORB_CONTACT, id);
    assert_fow_ok(fow_people_consent_give(f->people, &CLUJ, id, FOW_PURPOSE_TRAINING, "v1", T0, &err), &err);
    /* what is stored about them, to search for afterwards */
    unsigned char box[512];
    size_t box_len = 0;
    char lookup[80];
    {
        sqlite3_stmt *st;
        assert_fow_ok(fow_db_prepare(f->d.db, "SELECT name_box, name_lookup FROM people WHERE id = ?1", &st, &err), &err);
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        box_len = (size_t)sqlite3_column_bytes(st, 0);
        memcpy(box, sqlite3_column_blob(st, 0), box_len);
        snprintf(lookup, sizeof lookup, "%s", (const char *)sqlite3_column_text(st, 1));
        sqlite3_finalize(st);
    }
    char wal[TS_PATH_MAX + 8];
    snprintf(wal, sizeof wal, "%s-wal", f->d.path);
    /* before: the box is in the database or its WAL (the test can see it) */
    assert_true(file_holds(f->d.path, box + 24, 16) || file_holds(wal, box + 24, 16));
    fow_erasure e;
    assert_fow_ok(fow_people_erase(f->people, &CLUJ, id, "the person asked", T0 + 10, &e, &err), &err);
    assert_int_equal(e.consents, 1);
    assert_true(e.wal_cleared);
    fow_people_close(f->people);
    f->people = NULL;
    fow_db_close(f->d.db);
    f->d.db = NULL;
    /* after: no name, contact, box or look-up hash in the file or the WAL */
    const char *needles[] = {ZORB_NAME, "Brambleforth", ZORB_CONTACT, lookup};
    for (size_t i = 0; i < sizeof needles / sizeof *needles; i++) {
        assert_false(file_holds(f->d.path, needles[i], strlen(needles[i])));
        assert_false(file_holds(wal, needles[i], strlen(needles[i])));
    }
    assert_false(file_holds(f->d.path, box + 24, box_len - 24));
    assert_false(file_holds(wal, box + 24, box_len - 24));
    assert_false(file_holds(f->d.path, box, 24)); /* not even its nonce */
    /* the counts stay right; the record is gone for everyone */
    assert_fow_ok(fow_db_open(&f->d.db, f->d.path, false, &err), &err);
    assert_fow_ok(fow_people_open(f->d.db, f->key_path, &f->people, &err), &err);
    fow_people_count *counts;
    size_t n;
    assert_fow_ok(fow_people_counts(f->people, &ADMIN, &counts, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(counts[0].served, 2);
    assert_int_equal(counts[0].erased, 1);
    assert_int_equal(counts[0].consenting[FOW_PURPOSE_TRAINING], 0);
    free(counts);
    fow_person p;
    assert_fails_on(fow_people_get(f->people, &ADMIN, id, "check", T0, &p, &err), FOW_ENOTFOUND, &err, "person");
    assert_fow_ok(fow_people_get(f->people, &ADMIN, keep, "check", T0, &p, &err), &err);
    assert_string_equal(p.name, "Ana Pop");
    assert_fails_on(fow_people_erase(f->people, &ADMIN, id, "again", T0, &e, &err), FOW_ENOTFOUND, &err, "person");
    /* the audit log keeps what happened, without personal data */
    fow_audit_entry *entries;
    assert_fow_ok(fow_people_audit(f->people, &ADMIN, id, 10, &entries, &n, &err), &err);
    assert_true(n >= 3);
    assert_string_equal(entries[0].action, "erase");
    assert_string_equal(entries[0].reason, "the person asked");
    free(entries);
}

/* ---- changing a record ------------------------------------------------------- */

static void test_update_changes_only_the_fields_given(void **state) {
    fixture *f = *state;
    fow_error err;
    fow_error_clear(&err);
    char id[FOW_PERSON_ID_CHARS + 1];
    add_person(f, &CLUJ, ZORB_NAME, ZORB_CONTACT, id);
    /* the area cleared, the year and the status changed; name, contact and sex stay */
    fow_person_update u = {.area = true, .birth_year = true, .employment_status = true,
                           .values = {.area = NULL, .birth_year = 1979, .employment_status = "unemployed"}};
    assert_fow_ok(fow_people_update(f->people, &CLUJ, NULL, id, &u, T0 + 1, &err), &err);
    fow_person p;
    assert_fow_ok(fow_people_get(f->people, &CLUJ, id, "check", T0 + 2, &p, &err), &err);
    assert_string_equal(p.name, ZORB_NAME);
    assert_string_equal(p.contact, ZORB_CONTACT);
    assert_string_equal(p.area, "");
    assert_int_equal(p.birth_year, 1979);
    assert_string_equal(p.employment_status, "unemployed");
    /* the status cleared is "unknown" */
    fow_person_update st = {.employment_status = true};
    assert_fow_ok(fow_people_update(f->people, &CLUJ, NULL, id, &st, T0 + 3, &err), &err);
    assert_fow_ok(fow_people_get(f->people, &CLUJ, id, "check", T0 + 4, &p, &err), &err);
    assert_string_equal(p.employment_status, "unknown");
    /* a new name: sealed again, found by it and not by the old one */
    fow_person_update n = {.name = true, .values = {.name = "Ana Maria Pop-Fictiva"}};
    assert_fow_ok(fow_people_update(f->people, &CLUJ, NULL, id, &n, T0 + 5, &err), &err);
    char ids[4][FOW_PERSON_ID_CHARS + 1];
    size_t found = 9;
    assert_fow_ok(fow_people_find(f->people, &CLUJ, 0, "ana maria pop-fictiva", "look-up", T0, ids, 4, &found, &err), &err);
    assert_int_equal(found, 1);
    assert_string_equal(ids[0], id);
    assert_fow_ok(fow_people_find(f->people, &CLUJ, 0, ZORB_NAME, "look-up", T0, ids, 4, &found, &err), &err);
    assert_int_equal(found, 0);
    assert_fow_ok(fow_people_get(f->people, &CLUJ, id, "check", T0 + 6, &p, &err), &err);
    assert_string_equal(p.name, "Ana Maria Pop-Fictiva");
    assert_string_equal(p.contact, ZORB_CONTACT);
    /* the contact removed: no box, no look-up */
    fow_person_update c = {.contact = true, .values = {.contact = ""}};
    assert_fow_ok(fow_people_update(f->people, &CLUJ, NULL, id, &c, T0 + 7, &err), &err);
    assert_fow_ok(fow_people_find(f->people, &CLUJ, 1, ZORB_CONTACT, "look-up", T0, ids, 4, &found, &err), &err);
    assert_int_equal(found, 0);
    /* refused: each naming its field, and nothing written */
    fow_person_update bad_year = {.birth_year = true, .area = true, .values = {.birth_year = 1700, .area = "Turda"}};
    assert_fails_on(fow_people_update(f->people, &CLUJ, NULL, id, &bad_year, T0, &err), FOW_EINPUT, &err, "birth_year");
    fow_person_update bad_sex = {.sex = true, .values = {.sex = "unknown"}};
    assert_fails_on(fow_people_update(f->people, &CLUJ, NULL, id, &bad_sex, T0, &err), FOW_EINPUT, &err, "sex");
    fow_person_update occ = {.occupation = true, .values = {.occupation = "call centre agent"}};
    assert_fails_on(fow_people_update(f->people, &CLUJ, NULL, id, &occ, T0, &err), FOW_EINPUT, &err, "occupation");
    fow_person_update nothing = {.values = {.area = "Turda"}};
    assert_fails_on(fow_people_update(f->people, &CLUJ, NULL, id, &nothing, T0, &err), FOW_EINPUT, &err, "person");
    fow_person_update area = {.area = true, .values = {.area = "Turda"}};
    assert_fails_on(fow_people_update(f->people, &IASI, NULL, id, &area, T0, &err), FOW_ENOTFOUND, &err, "person");
    fow_people_staff self = {.name = "pat", .self = id};
    assert_fails_on(fow_people_update(f->people, &self, NULL, id, &area, T0, &err), FOW_EINPUT, &err, "role");
    assert_fails_on(fow_people_update(f->people, &CLUJ, NULL, "p123", &area, T0, &err), FOW_EINPUT, &err, "person");
    assert_fow_ok(fow_people_get(f->people, &CLUJ, id, "check", T0 + 8, &p, &err), &err);
    assert_string_equal(p.area, "");
    assert_int_equal(p.birth_year, 1979);
    /* the audit names the fields changed, never a value */
    fow_audit_entry *entries;
    size_t n_entries;
    assert_fow_ok(fow_people_audit(f->people, &ADMIN, id, 50, &entries, &n_entries, &err), &err);
    const char *expected[] = {"changed: contact", "changed: name", "changed: employment_status",
                              "changed: birth_year, area, employment_status"};
    size_t k = 0;
    for (size_t i = 0; i < n_entries; i++) {
        assert_null(strstr(entries[i].reason, "Ana Maria"));
        assert_null(strstr(entries[i].reason, "1979"));
        if (strcmp(entries[i].action, "update") == 0) {
            assert_true(k < 4);
            assert_string_equal(entries[i].reason, expected[k++]);
        }
    }
    assert_int_equal(k, 4);
    free(entries);
    /* an erased person changes no more */
    assert_fow_ok(fow_people_erase(f->people, &CLUJ, id, "asked", T0 + 9, NULL, &err), &err);
    assert_fails_on(fow_people_update(f->people, &ADMIN, NULL, id, &area, T0 + 10, &err), FOW_ENOTFOUND, &err, "person");
}

static void test_audit_of_reads(void **state) {
    fixture *f = *state;
    char id[FOW_PERSON_ID_CHARS + 1];
    add_person(f, &CLUJ, "Ana Pop", NULL, id);
    fow_error err;
    fow_error_clear(&err);
    fow_person p;
    assert_fow_ok(fow_people_get(f->people, &CLUJ, id, "monthly review", T0 + 100, &p, &err), &err);
    fow_person *list;
    size_t n;
    assert_fow_ok(fow_people_list(f->people, &CLUJ, T0 + 200, &list, &n, &err), &err);
    free(list);
    /* a failed read (another organisation's person) reads nothing and logs nothing */
    assert_fails_on(fow_people_get(f->people, &IASI, id, "curious", T0 + 300, &p, &err), FOW_ENOTFOUND, &err, "person");
    fow_audit_entry *e;
    assert_fails_on(fow_people_audit(f->people, &CLUJ, NULL, 10, &e, &n, &err), FOW_EINPUT, &err, "role");
    assert_fow_ok(fow_people_audit(f->people, &ADMIN, NULL, 10, &e, &n, &err), &err);
    assert_int_equal(n, 3);
    assert_string_equal(e[0].action, "list");
    assert_string_equal(e[0].person, "");
    assert_string_equal(e[1].action, "read");
    assert_string_equal(e[1].actor, "carla");
    assert_string_equal(e[1].person, id);
    assert_string_equal(e[1].reason, "monthly review");
    assert_int_equal(e[1].at, T0 + 100);
    assert_string_equal(e[2].action, "add");
    free(e);
    /* no personal data in the log */
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM person_audit WHERE reason LIKE '%%Ana%%' OR actor LIKE '%%Ana%%'"), 0);
}

/* ---- the skills profile and the moves from it ---------------------------------------- */

static void test_profile_and_transitions(void **state) {
    fixture *f = *state;
    ts_import_bundle_fixture(f->d.db, "bundle-small", NULL);
    fow_error err;
    fow_error_clear(&err);
    fow_model *model;
    assert_fow_ok(fow_model_load(f->d.db, &model, &err), &err);
    fow_person_input in = {.occupation = "urn:test:occupation:taxi-driver"};
    char id[FOW_PERSON_ID_CHARS + 1];
    assert_fow_ok(fow_people_add(f->people, &CLUJ, model, &in, T0, id, &err), &err);
    assert_fow_ok(fow_people_consent_give(f->people, &CLUJ, id, FOW_PURPOSE_COUNSELLING, "v1", T0, &err), &err);
    size_t added = 0;
    assert_fow_ok(fow_people_skills_infer(f->people, &CLUJ, model, id, T0, &added, &err), &err);
    uint32_t taxi = fow_model_occupation_by_key(model, true, "urn:test:occupation:taxi-driver", 31);
    size_t essential = 0;
    for (uint32_t k = model->occ_offsets[taxi]; k < model->occ_offsets[taxi + 1]; k++) essential += model->occ_links[k].essential;
    assert_true(essential > 0);
    assert_int_equal(added, essential);
    assert_fow_ok(fow_people_skills_infer(f->people, &CLUJ, model, id, T0, &added, &err), &err);
    assert_int_equal(added, 0); /* nothing new the second time */
    assert_fails_on(fow_people_skill_add(f->people, &CLUJ, model, id, "juggling", FOW_SKILL_DECLARED, NULL, T0, &err),
                    FOW_ENOTFOUND, &err, "skill");
    assert_fow_ok(fow_people_skill_add(f->people, &CLUJ, model, id, "handle customer payments", FOW_SKILL_CONFIRMED,
                                       NULL, T0, &err),
                  &err);
    fow_person_skill *skills;
    size_t n;
    assert_fow_ok(fow_people_skills(f->people, &CLUJ, model, id, "review", T0, &skills, &n, &err), &err);
    assert_int_equal(n, essential + 1); /* a skill with two provenances is two rows */
    for (size_t i = 0; i < n; i++) assert_true(skills[i].index != FOW_NO_INDEX);

    /* the moves from the profile are the moves from its skills, judged as the taxi driver */
    fow_similarity_params params;
    fow_similarity_params_default(&params);
    fow_similarity_index *index;
    assert_fow_ok(fow_similarity_index_build(model, &params, &index, &err), &err);
    fow_similarity_workspace *ws = fow_similarity_workspace_new(index);
    fow_transition_query q;
    fow_transition_query_default(index, &q);
    q.min_similarity = 0.0f;
    fow_transition got[20], want[20];
    uint32_t n_got, n_want, matching, judge_as, used;
    assert_fow_ok(fow_people_transitions(ws, "urn:test:occupation:taxi-driver", skills, n, &q, got, 20, &n_got,
                                         &matching, &judge_as, &used, &err),
                  &err);
    assert_int_equal(judge_as, taxi);
    /* each skill once, whatever its provenances */
    uint32_t held[64], n_held = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (uint32_t j = 0; j < n_held; j++) seen |= held[j] == skills[i].index;
        if (!seen) held[n_held++] = skills[i].index;
    }
    assert_int_equal(used, n_held);
    fow_similarity_origin_skills(ws, held, n_held);
    fow_similarity_origin_context(ws, taxi); /* judged as the taxi driver: its work context and ISCO group */
    fow_transitions_rank(ws, taxi, taxi, &q, want, 20, &n_want, NULL);
    assert_true(n_got > 0);
    assert_int_equal(n_got, n_want);
    for (uint32_t i = 0; i < n_got; i++) {
        assert_int_equal(got[i].destination, want[i].destination);
        assert_true(got[i].destination != taxi);
        assert_true(got[i].similarity == want[i].similarity);
    }
    fow_person_skill none[1];
    assert_fails_on(fow_people_transitions(ws, NULL, none, 0, &q, got, 20, &n_got, &matching, &judge_as, &used, &err),
                    FOW_EINPUT, &err, "skills");
    fow_similarity_workspace_free(ws);
    fow_similarity_index_free(index);
    free(skills);
    /* removing a skill */
    assert_fow_ok(fow_people_skill_remove(f->people, &CLUJ, model, id, "handle customer payments",
                                          FOW_SKILL_PROVENANCE_COUNT, T0, &err),
                  &err);
    assert_fails_on(fow_people_skill_remove(f->people, &CLUJ, model, id, "handle customer payments",
                                            FOW_SKILL_PROVENANCE_COUNT, T0, &err),
                    FOW_ENOTFOUND, &err, "skill");
    fow_model_free(model);
}

/* A person acting on their own record (staff.self): reads it, their consents
 * and export; every other person is "not found", whatever the organisation;
 * no list, look-up, count or change. */
static void test_a_person_sees_only_themselves(void **state) {
    fixture *f = *state;
    char mine[FOW_PERSON_ID_CHARS + 1], other[FOW_PERSON_ID_CHARS + 1], elsewhere[FOW_PERSON_ID_CHARS + 1];
    add_person(f, &CLUJ, ZORB_NAME, ZORB_CONTACT, mine);
    add_person(f, &CLUJ, "Another Cluj Person", NULL, other);
    add_person(f, &IASI, "An Iasi Person", NULL, elsewhere);
    fow_people_staff self = {.name = "zorb", .organisation = "", .self = mine};
    fow_error err;
    fow_error_clear(&err);
    fow_person p;
    assert_fow_ok(fow_people_get(f->people, &self, mine, "own record", T0, &p, &err), &err);
    assert_string_equal(p.name, ZORB_NAME);
    sodium_memzero(&p, sizeof p);
    assert_fails_on(fow_people_get(f->people, &self, other, "own record", T0, &p, &err), FOW_ENOTFOUND, &err, "person");
    assert_fails_on(fow_people_get(f->people, &self, elsewhere, "own record", T0, &p, &err), FOW_ENOTFOUND, &err,
                    "person");
    fow_consent *consents;
    size_t n;
    assert_fow_ok(fow_people_consents(f->people, &self, mine, &consents, &n, &err), &err);
    free(consents);
    assert_fails_on(fow_people_consents(f->people, &self, other, &consents, &n, &err), FOW_ENOTFOUND, &err, "person");
    fow_person *list;
    assert_fails_on(fow_people_list(f->people, &self, T0, &list, &n, &err), FOW_EINPUT, &err, "role");
    assert_fails_on(fow_people_consent_give(f->people, &self, mine, FOW_PURPOSE_COUNSELLING, "v1", T0, &err),
                    FOW_EINPUT, &err, "role");
    fow_erasure erased;
    assert_fails_on(fow_people_erase(f->people, &self, mine, "mine", T0, &erased, &err), FOW_EINPUT, &err, "role");
    /* the read is audited under the person's account */
    assert_int_equal(ts_int(f->d.db, "SELECT count(*) FROM person_audit WHERE actor = 'zorb' AND person_id = '%s'",
                            mine),
                     1);
}

/* Erasing a person disables the account linked to them: their session and
 * API token stop working, their password no longer logs in, a password
 * reset is refused; another person's account is untouched. */
static void test_erasure_disables_the_linked_account(void **state) {
    fixture *f = *state;
    char gone[FOW_PERSON_ID_CHARS + 1], kept[FOW_PERSON_ID_CHARS + 1];
    add_person(f, &CLUJ, ZORB_NAME, ZORB_CONTACT, gone);
    add_person(f, &CLUJ, "Another Cluj Person", NULL, kept);
    fow_error err;
    fow_error_clear(&err);
    fow_accounts_set_hash_strength(FOW_HASH_MIN);
    const char *pw = "a long enough passphrase 42";
    fow_user_links to_gone = {.person_id = gone}, to_kept = {.person_id = kept};
    assert_fow_ok(fow_accounts_user_add_linked(f->d.db, "zorb", NULL, "person", &to_gone, pw, T0, NULL, &err), &err);
    assert_fow_ok(fow_accounts_user_add_linked(f->d.db, "kept", NULL, "person", &to_kept, pw, T0, NULL, &err), &err);
    fow_session session, other;
    assert_fow_ok(fow_accounts_login(f->d.db, NULL, "10.0.0.1", "zorb", pw, T0, &session, NULL, &err), &err);
    assert_fow_ok(fow_accounts_login(f->d.db, NULL, "10.0.0.1", "kept", pw, T0, &other, NULL, &err), &err);
    fow_user u;
    assert_fow_ok(fow_accounts_user_get(f->d.db, "zorb", &u, &err), &err);
    char token[FOW_API_TOKEN_CHARS + 1];
    fow_api_token info;
    fow_token_spec spec = {.name = "phone"};
    assert_fow_ok(fow_accounts_token_create(f->d.db, u.id, &spec, T0, token, &info, &err), &err);

    fow_erasure erased;
    assert_fow_ok(fow_people_erase(f->people, &CLUJ, gone, "asked to be forgotten", T0 + 1, &erased, &err), &err);
    assert_int_equal(erased.accounts_disabled, 1);

    fow_session check;
    assert_int_not_equal(fow_accounts_session_check(f->d.db, session.token, T0 + 2, &check, NULL, &err), FOW_OK);
    fow_user by_token;
    fow_auth_status status;
    assert_int_not_equal(fow_accounts_token_check(f->d.db, token, T0 + 2, &by_token, NULL, &status, &err), FOW_OK);
    assert_int_not_equal(fow_accounts_login(f->d.db, NULL, "10.0.0.1", "zorb", pw, T0 + 2, &check, &status, &err),
                         FOW_OK);
    assert_fails_on(fow_accounts_user_set_password(f->d.db, "zorb", "another long passphrase 43", T0 + 3, &err),
                    FOW_EINPUT, &err, "name");
    assert_non_null(strstr(err.message, "disabled"));
    /* the other person's account goes on working */
    assert_fow_ok(fow_accounts_session_check(f->d.db, other.token, T0 + 2, &check, NULL, &err), &err);
    assert_fow_ok(fow_accounts_login(f->d.db, NULL, "10.0.0.1", "kept", pw, T0 + 2, &check, NULL, &err), &err);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip_and_key_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_key_fails_clearly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consent_withdrawal_blocks_purpose, setup, teardown),
        cmocka_unit_test_setup_teardown(test_organisations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input_names_the_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_is_complete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erasure_leaves_no_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_of_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_profile_and_transitions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_person_sees_only_themselves, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erasure_disables_the_linked_account, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_changes_only_the_fields_given, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
