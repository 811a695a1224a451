/* test_accounts.c — users, roles, logins, sessions and API tokens
 * (src/accounts/fow_accounts.h), and schema migration 2 on a database that a
 * version-1 fow filled with the importers.
 *
 * Passwords are hashed at FOW_HASH_MIN so the tests stay fast (one test
 * switches to the real strength for the re-hash on login). Time is the
 * `now` argument: T0 and offsets from it simulate throttling and expiry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#include "accounts/fow_accounts.h"
#include "store/fow_schema.h"

#define T0 1800000000LL /* 2027-01-15T08:00:00Z */
#define PW "correct horse battery"

static int setup_db(void **state) {
    fow_accounts_set_hash_strength(FOW_HASH_MIN);
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

static fow_user add_user(fow_db *db, const char *name, const char *role, const char *password) {
    fow_error err;
    fow_error_clear(&err);
    fow_user u;
    assert_fow_ok(fow_accounts_user_add(db, name, NULL, role, password, T0, &u, &err), &err);
    return u;
}

/* A token named name for user_id with the defaults (the user's role, 90
 * days); its id to *id (may be NULL). */
static fow_code make_token(fow_db *db, long long user_id, const char *name, long long now,
                           char token[FOW_API_TOKEN_CHARS + 1], long long *id, fow_error *err) {
    fow_token_spec spec = {.name = name};
    fow_api_token info;
    fow_code rc = fow_accounts_token_create(db, user_id, &spec, now, token, &info, err);
    if (id) *id = info.id;
    return rc;
}

static fow_session login_ok(fow_db *db, const char *name, const char *password, long long now) {
    fow_error err;
    fow_error_clear(&err);
    fow_session s;
    fow_auth_status status = FOW_AUTH_ERROR;
    assert_fow_ok(fow_accounts_login(db, NULL, "10.0.0.1", name, password, now, &s, &status, &err), &err);
    assert_int_equal(status, FOW_AUTH_OK);
    return s;
}

/* Asserts that rc is FOW_EINPUT (or code) with err naming field. */
static void assert_fails_on(fow_code rc, fow_code code, const fow_error *err, const char *field) {
    if (rc != code)
        fail_msg("expected %s on field '%s', got %s: %s", fow_code_name(code), field, fow_code_name(rc), err->message);
    assert_int_equal(err->code, code);
    assert_string_equal(err->field, field);
    assert_true(err->message[0] != '\0');
}

/* ---- roles ------------------------------------------------------------------ */

static void test_roles(void **state) {
    (void)state;
    assert_int_equal(fow_role_parse("admin"), FOW_ROLE_ADMIN);
    assert_int_equal(fow_role_parse("analyst"), FOW_ROLE_ANALYST);
    assert_int_equal(fow_role_parse("counsellor"), FOW_ROLE_COUNSELLOR);
    assert_int_equal(fow_role_parse("Admin"), FOW_ROLE_NONE);
    assert_int_equal(fow_role_parse("counselor"), FOW_ROLE_NONE);
    assert_int_equal(fow_role_parse(""), FOW_ROLE_NONE);
    assert_int_equal(fow_role_parse(NULL), FOW_ROLE_NONE);
    assert_string_equal(fow_role_name(FOW_ROLE_ADMIN), "admin");
    assert_string_equal(fow_role_name(FOW_ROLE_ANALYST), "analyst");
    assert_string_equal(fow_role_name(FOW_ROLE_COUNSELLOR), "counsellor");
    assert_string_equal(fow_role_name(FOW_ROLE_NONE), "none");
    assert_string_equal(fow_role_name((fow_role)42), "none");

    /* admin: everything */
    assert_true(fow_role_allows(FOW_ROLE_ADMIN, FOW_PERM_READ_PERSONAL));
    assert_true(fow_role_allows(FOW_ROLE_ADMIN, FOW_PERM_IMPORT));
    assert_true(fow_role_allows(FOW_ROLE_ADMIN, FOW_PERM_MANAGE_USERS));
    /* analyst: reads personal data, can't import the taxonomy or manage users */
    assert_true(fow_role_allows(FOW_ROLE_ANALYST, FOW_PERM_READ_PERSONAL));
    assert_false(fow_role_allows(FOW_ROLE_ANALYST, FOW_PERM_IMPORT));
    assert_false(fow_role_allows(FOW_ROLE_ANALYST, FOW_PERM_MANAGE_USERS));
    /* counsellor: reads personal data */
    assert_true(fow_role_allows(FOW_ROLE_COUNSELLOR, FOW_PERM_READ_PERSONAL));
    assert_false(fow_role_allows(FOW_ROLE_COUNSELLOR, FOW_PERM_IMPORT));
    assert_false(fow_role_allows(FOW_ROLE_COUNSELLOR, FOW_PERM_MANAGE_USERS));
    /* no role, unknown role or permission: nothing */
    assert_false(fow_role_allows(FOW_ROLE_NONE, FOW_PERM_READ_PERSONAL));
    assert_false(fow_role_allows((fow_role)42, FOW_PERM_READ_PERSONAL));
    assert_false(fow_role_allows(FOW_ROLE_ADMIN, (fow_permission)42));

    assert_string_equal(fow_auth_status_name(FOW_AUTH_EXPIRED), "expired");
    assert_string_equal(fow_auth_status_name(FOW_AUTH_THROTTLED), "throttled");
    /* scopes: counsellor < admin and analyst < admin; since schema 6 counsellors manage
     * people (FOW_PERM_MANAGE_PEOPLE) and analysts do not, so neither is within the other */
    assert_false(fow_role_within(FOW_ROLE_COUNSELLOR, FOW_ROLE_ANALYST));
    assert_true(fow_role_within(FOW_ROLE_COUNSELLOR, FOW_ROLE_ADMIN));
    assert_true(fow_role_allows(FOW_ROLE_COUNSELLOR, FOW_PERM_MANAGE_PEOPLE));
    assert_false(fow_role_allows(FOW_ROLE_ANALYST, FOW_PERM_MANAGE_PEOPLE));
    assert_true(fow_role_allows(FOW_ROLE_ADMIN, FOW_PERM_MANAGE_PEOPLE));
    assert_true(fow_role_within(FOW_ROLE_ANALYST, FOW_ROLE_ADMIN));
    assert_true(fow_role_within(FOW_ROLE_ADMIN, FOW_ROLE_ADMIN));
    assert_false(fow_role_within(FOW_ROLE_ADMIN, FOW_ROLE_ANALYST));
    assert_false(fow_role_within(FOW_ROLE_ANALYST, FOW_ROLE_COUNSELLOR));
    assert_true(fow_role_within(FOW_ROLE_NONE, FOW_ROLE_COUNSELLOR));
    assert_false(fow_role_within(FOW_ROLE_COUNSELLOR, FOW_ROLE_NONE));
}

/* The roles of issue 13 (programme_manager, provider, person): their
 * permissions, and the row rules of fow_access_*. */
static void test_programme_roles(void **state) {
    (void)state;
    assert_int_equal(fow_role_parse("programme_manager"), FOW_ROLE_PROGRAMME_MANAGER);
    assert_int_equal(fow_role_parse("provider"), FOW_ROLE_PROVIDER);
    assert_int_equal(fow_role_parse("person"), FOW_ROLE_PERSON);
    assert_string_equal(fow_role_name(FOW_ROLE_PERSON), "person");
    assert_string_equal(fow_permission_name(FOW_PERM_APPROVE_MODULES), "approve_modules");
    assert_string_equal(fow_permission_name((fow_permission)99), "none");
    /* a programme manager approves modules and reads aggregates, never a personal record */
    assert_true(fow_role_allows(FOW_ROLE_PROGRAMME_MANAGER, FOW_PERM_APPROVE_MODULES));
    assert_true(fow_role_allows(FOW_ROLE_PROGRAMME_MANAGER, FOW_PERM_READ_PROGRAMME));
    assert_false(fow_role_allows(FOW_ROLE_PROGRAMME_MANAGER, FOW_PERM_READ_PERSONAL));
    assert_false(fow_role_allows(FOW_ROLE_PROGRAMME_MANAGER, FOW_PERM_MANAGE_PEOPLE));
    assert_false(fow_role_allows(FOW_ROLE_PROGRAMME_MANAGER, FOW_PERM_MANAGE_MODULES));
    /* a provider manages modules, runs cohorts (its own: fow_cohort_authorise) and revokes credentials (of its
     * own modules: fow_credential_revoke), nothing else; a person reads their own record only */
    assert_string_equal(fow_permission_name(FOW_PERM_RUN_COHORTS), "run_cohorts");
    for (int p = 0; p <= FOW_PERM_LAST; p++) {
        assert_int_equal(fow_role_allows(FOW_ROLE_PROVIDER, (fow_permission)p),
                         p == FOW_PERM_MANAGE_MODULES || p == FOW_PERM_RUN_COHORTS ||
                             p == FOW_PERM_REVOKE_CREDENTIALS);
        assert_int_equal(fow_role_allows(FOW_ROLE_PERSON, (fow_permission)p), p == FOW_PERM_READ_OWN_RECORD);
    }
    /* an admin has no record of their own, so a person is not within an admin */
    assert_false(fow_role_allows(FOW_ROLE_ADMIN, FOW_PERM_READ_OWN_RECORD));
    assert_true(fow_role_within(FOW_ROLE_PROVIDER, FOW_ROLE_ADMIN));
    assert_true(fow_role_within(FOW_ROLE_PROGRAMME_MANAGER, FOW_ROLE_ADMIN));
    assert_false(fow_role_within(FOW_ROLE_PERSON, FOW_ROLE_ADMIN));
    assert_false(fow_role_within(FOW_ROLE_PROVIDER, FOW_ROLE_COUNSELLOR));
    /* rows: a provider reaches its own provider's only; an admin any; others none */
    assert_true(fow_access_provider(FOW_ROLE_PROVIDER, 3, 3));
    assert_false(fow_access_provider(FOW_ROLE_PROVIDER, 3, 4));
    assert_false(fow_access_provider(FOW_ROLE_PROVIDER, 0, 0));
    assert_true(fow_access_provider(FOW_ROLE_ADMIN, 0, 4));
    assert_false(fow_access_provider(FOW_ROLE_PROGRAMME_MANAGER, 0, 4));
    assert_false(fow_access_provider(FOW_ROLE_COUNSELLOR, 4, 4));
    /* people: a counsellor their organisation's, a person themselves, an admin all */
    assert_true(fow_access_person(FOW_ROLE_COUNSELLOR, "north", "", "pa", "north"));
    assert_false(fow_access_person(FOW_ROLE_COUNSELLOR, "north", "", "pa", "south"));
    assert_false(fow_access_person(FOW_ROLE_COUNSELLOR, "", "", "pa", ""));
    assert_true(fow_access_person(FOW_ROLE_PERSON, "", "pa", "pa", "north"));
    assert_false(fow_access_person(FOW_ROLE_PERSON, "", "pa", "pb", "north"));
    assert_false(fow_access_person(FOW_ROLE_PERSON, "north", "", "pa", "north"));
    assert_true(fow_access_person(FOW_ROLE_ADMIN, "", "", "pa", "north"));
    assert_false(fow_access_person(FOW_ROLE_ANALYST, "north", "", "pa", "north"));
    assert_false(fow_access_person(FOW_ROLE_PROGRAMME_MANAGER, "north", "", "pa", "north"));
    assert_true(fow_access_all_organisations(FOW_ROLE_ADMIN));
    assert_false(fow_access_all_organisations(FOW_ROLE_COUNSELLOR));
}

/* Provider and person accounts need their link, other roles take none, and
 * the link must name a row that exists. */
static void test_linked_accounts(void **state) {
    ts_db *d = *state;
    fow_error err;
    fow_error_clear(&err);
    assert_fails_on(fow_accounts_user_add(d->db, "prov", NULL, "provider", PW, T0, NULL, &err), FOW_EINPUT, &err,
                    "provider");
    assert_fails_on(fow_accounts_user_add(d->db, "pers", NULL, "person", PW, T0, NULL, &err), FOW_EINPUT, &err,
                    "person");
    fow_user_links to_provider = {.provider_id = 7};
    assert_fails_on(fow_accounts_user_add_linked(d->db, "c", NULL, "counsellor", &to_provider, PW, T0, NULL, &err),
                    FOW_EINPUT, &err, "provider");
    assert_fails_on(fow_accounts_user_add_linked(d->db, "prov", NULL, "provider", &to_provider, PW, T0, NULL, &err),
                    FOW_ENOTFOUND, &err, "provider");
    fow_user_links to_person = {.person_id = "pnosuchpersonnosuchperson2"};
    assert_fails_on(fow_accounts_user_add_linked(d->db, "pers", NULL, "person", &to_person, PW, T0, NULL, &err),
                    FOW_ENOTFOUND, &err, "person");
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM users"), 0);
    /* rows to link to, written directly (their owners' functions are tested in their modules) */
    assert_int_equal(sqlite3_exec(d->db->sql,
                                  "INSERT INTO sources (id, dataset, kind, name, version, licence, url, path, "
                                  "fingerprint, imported_at, rows) VALUES (1, 'modules:t', 'modules', 't', 'v', 'l', "
                                  "'', '', '', 'now', 0);"
                                  "INSERT INTO training_providers (id, name, source_id) VALUES (7, 'Atelier', 1);"
                                  "INSERT INTO people (id, organisation, created_at, created_by) VALUES "
                                  "('pnosuchpersonnosuchperson2', 'north', 1, 'test');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    fow_user u;
    assert_fow_ok(fow_accounts_user_add_linked(d->db, "prov", NULL, "provider", &to_provider, PW, T0, &u, &err), &err);
    assert_int_equal(u.role, FOW_ROLE_PROVIDER);
    assert_int_equal(u.provider_id, 7);
    assert_string_equal(u.person_id, "");
    assert_fow_ok(fow_accounts_user_add_linked(d->db, "pers", NULL, "person", &to_person, PW, T0, &u, &err), &err);
    assert_int_equal(u.role, FOW_ROLE_PERSON);
    assert_int_equal(u.provider_id, 0);
    assert_string_equal(u.person_id, "pnosuchpersonnosuchperson2");
    /* the link comes back with the session */
    fow_session s;
    assert_fow_ok(fow_accounts_login(d->db, NULL, "127.0.0.1", "prov", PW, T0, &s, NULL, &err), &err);
    assert_int_equal(s.user.provider_id, 7);
    /* a provider that goes takes the link with it: the account is then allowed no module */
    assert_int_equal(sqlite3_exec(d->db->sql, "DELETE FROM training_providers WHERE id = 7", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_fow_ok(fow_accounts_user_get(d->db, "prov", &u, &err), &err);
    assert_int_equal(u.provider_id, 0);
    assert_false(fow_access_provider(u.role, u.provider_id, 7));
}

static void test_schema_has_roles(void **state) {
    ts_db *d = *state;
    assert_int_equal(fow_db_schema_version(d->db), FOW_SCHEMA_VERSION);
    assert_true(FOW_SCHEMA_VERSION >= 2); /* accounts came with version 2 */
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM roles WHERE name IN ('admin','analyst','counsellor')"), 3);
    /* the database refuses a role it does not have, and a malformed name */
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_db_exec(d->db,
                                 "INSERT INTO users (name, role, password_hash, created_at, password_changed_at)"
                                 " VALUES ('x', 'boss', 'h', 0, 0)",
                                 &err),
                     FOW_EDB);
    assert_int_equal(fow_db_exec(d->db,
                                 "INSERT INTO users (name, role, password_hash, created_at, password_changed_at)"
                                 " VALUES ('a b', 'admin', 'h', 0, 0)",
                                 &err),
                     FOW_EDB);
    /* a role a later version adds is one INSERT; this build reads it as no role */
    assert_fow_ok(fow_db_exec(d->db,
                              "INSERT INTO roles VALUES ('trainer', 'later');"
                              "INSERT INTO users (name, role, password_hash, created_at, password_changed_at)"
                              " VALUES ('tess', 'trainer', 'h', 0, 0)",
                              &err),
                  &err);
    fow_user u;
    assert_fow_ok(fow_accounts_user_get(d->db, "tess", &u, &err), &err);
    assert_int_equal(u.role, FOW_ROLE_NONE);
    assert_string_equal(u.role_name, "trainer");
    assert_false(fow_role_allows(u.role, FOW_PERM_READ_PERSONAL));
}

/* ---- users ------------------------------------------------------------------ */

static void test_add_get_list(void **state) {
    ts_db *d = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_user u;
    assert_fow_ok(fow_accounts_user_add(d->db, "zoe.m", "Zoë Mureșan", "counsellor", PW, T0, &u, &err), &err);
    assert_true(u.id > 0);
    assert_string_equal(u.name, "zoe.m");
    assert_string_equal(u.display_name, "Zoë Mureșan");
    assert_int_equal(u.role, FOW_ROLE_COUNSELLOR);
    assert_string_equal(u.role_name, "counsellor");
    assert_int_equal(u.created_at, T0);
    assert_int_equal(u.password_changed_at, T0);
    assert_int_equal(u.last_login_at, 0);
    add_user(d->db, "Adam", "admin", PW);
    add_user(d->db, "bea_2", "analyst", PW);

    fow_user g;
    assert_fow_ok(fow_accounts_user_get(d->db, "ZOE.M", &g, &err), &err); /* names ignore case */
    assert_int_equal(g.id, u.id);
    assert_string_equal(g.name, "zoe.m");
    assert_fails_on(fow_accounts_user_get(d->db, "nobody", &g, &err), FOW_ENOTFOUND, &err, "name");
    assert_fails_on(fow_accounts_user_get(d->db, "no body", &g, &err), FOW_ENOTFOUND, &err, "name");

    fow_user *all;
    size_t n;
    assert_fow_ok(fow_accounts_user_list(d->db, &all, &n, &err), &err);
    assert_int_equal(n, 3);
    assert_string_equal(all[0].name, "Adam");
    assert_string_equal(all[1].name, "bea_2");
    assert_string_equal(all[2].name, "zoe.m");
    assert_int_equal(all[1].role, FOW_ROLE_ANALYST);
    free(all);

    /* out may be NULL */
    assert_fow_ok(fow_accounts_user_add(d->db, "x", "", "admin", PW, T0, NULL, &err), &err);
}

static void test_list_empty(void **state) {
    ts_db *d = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_user *all = (fow_user *)1;
    size_t n = 99;
    assert_fow_ok(fow_accounts_user_list(d->db, &all, &n, &err), &err);
    assert_null(all);
    assert_int_equal(n, 0);
}

static void test_duplicate_name(void **state) {
    ts_db *d = *state;
    add_user(d->db, "alice", "admin", PW);
    fow_error err;
    fow_error_clear(&err);
    assert_fails_on(fow_accounts_user_add(d->db, "alice", NULL, "analyst", PW, T0, NULL, &err), FOW_EINPUT, &err,
                    "name");
    assert_contains(err.message, "already exists");
    assert_fails_on(fow_accounts_user_add(d->db, "ALICE", NULL, "analyst", PW, T0, NULL, &err), FOW_EINPUT, &err,
                    "name");
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM users"), 1);
}

static void test_bad_names(void **state) {
    ts_db *d = *state;
    char long_name[FOW_USER_NAME_MAX + 2];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    const char *bad[] = {"", "a b", "-x", ".hidden", "_x", "é", "a/b", "a@b", "tab\t", long_name, NULL};
    fow_error err;
    for (size_t i = 0; bad[i]; i++) {
        fow_error_clear(&err);
        fow_code rc = fow_accounts_user_add(d->db, bad[i], NULL, "admin", PW, T0, NULL, &err);
        if (rc != FOW_EINPUT || strcmp(err.field, "name") != 0)
            fail_msg("name '%s': expected an input error on 'name', got %s on '%s'", bad[i], fow_code_name(rc),
                     err.field);
        assert_fails_on(fow_accounts_check_name(bad[i], &err), FOW_EINPUT, &err, "name");
    }
    assert_fails_on(fow_accounts_user_add(d->db, NULL, NULL, "admin", PW, T0, NULL, &err), FOW_EINPUT, &err, "name");
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM users"), 0);
    long_name[FOW_USER_NAME_MAX] = '\0'; /* 64 bytes: fine */
    add_user(d->db, long_name, "admin", PW);
    add_user(d->db, "a.b_c-D9", "admin", PW);
    add_user(d->db, "7", "admin", PW);
}

static void test_bad_roles(void **state) {
    ts_db *d = *state;
    const char *bad[] = {"boss", "", "Admin", "admin ", "none", NULL};
    fow_error err;
    for (size_t i = 0; bad[i]; i++) {
        fow_error_clear(&err);
        assert_fails_on(fow_accounts_user_add(d->db, "alice", NULL, bad[i], PW, T0, NULL, &err), FOW_EINPUT, &err,
                        "role");
    }
    assert_fails_on(fow_accounts_user_add(d->db, "alice", NULL, NULL, PW, T0, NULL, &err), FOW_EINPUT, &err, "role");
    assert_contains(err.message, "admin, analyst, counsellor, programme_manager, provider, person, juror, voucher_office, lab_manager, lab_staff or teacher");
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM users"), 0);
}

static void test_bad_passwords(void **state) {
    ts_db *d = *state;
    fow_error err;
    fow_error_clear(&err);
    char big[FOW_PASSWORD_MAX + 2];
    memset(big, 'p', sizeof big - 1);
    big[sizeof big - 1] = '\0'; /* 1025 bytes */
    assert_fails_on(fow_accounts_user_add(d->db, "alice", NULL, "admin", "1234567", T0, NULL, &err), FOW_EINPUT,
                    &err, "password");
    assert_contains(err.message, "too short");
    assert_fails_on(fow_accounts_user_add(d->db, "alice", NULL, "admin", "", T0, NULL, &err), FOW_EINPUT, &err,
                    "password");
    assert_fails_on(fow_accounts_user_add(d->db, "alice", NULL, "admin", NULL, T0, NULL, &err), FOW_EINPUT, &err,
                    "password");
    assert_fails_on(fow_accounts_user_add(d->db, "alice", NULL, "admin", big, T0, NULL, &err), FOW_EINPUT, &err,
                    "password");
    assert_contains(err.message, "too long");
    assert_fails_on(fow_accounts_user_add(d->db, "alice.smith", NULL, "admin", "Alice.Smith", T0, NULL, &err),
                    FOW_EINPUT, &err, "password");
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM users"), 0);
    /* the limits themselves are fine */
    add_user(d->db, "eight", "admin", "12345678");
    big[FOW_PASSWORD_MAX] = '\0';
    add_user(d->db, "long", "admin", big);
    login_ok(d->db, "long", big, T0);
    login_ok(d->db, "eight", "12345678", T0);
}

static void test_bad_display_names(void **state) {
    ts_db *d = *state;
    fow_error err;
    fow_error_clear(&err);
    char big[FOW_DISPLAY_NAME_MAX + 2];
    memset(big, 'd', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    const char *bad[] = {"line\nbreak", "bell\a", "\xff\xfe", "half \xc3", big, NULL};
    for (size_t i = 0; bad[i]; i++) {
        fow_error_clear(&err);
        assert_fails_on(fow_accounts_user_add(d->db, "alice", bad[i], "admin", PW, T0, NULL, &err), FOW_EINPUT, &err,
                        "display_name");
    }
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM users"), 0);
}

static void test_hash_is_not_the_password(void **state) {
    ts_db *d = *state;
    add_user(d->db, "alice", "admin", PW);
    char hash[256];
    ts_text(d->db, hash, sizeof hash, "SELECT password_hash FROM users WHERE name = 'alice'");
    assert_true(strncmp(hash, "$argon2id$", 10) == 0);
    assert_string_not_equal(hash, PW);
    assert_null(strstr(hash, PW));
    /* two users with one password get different hashes (salted) */
    add_user(d->db, "bob", "admin", PW);
    assert_int_equal(ts_int(d->db, "SELECT count(DISTINCT password_hash) FROM users"), 2);
    /* no column anywhere holds the password, a session token or an API token */
    fow_session s = login_ok(d->db, "alice", PW, T0);
    fow_error err;
    fow_error_clear(&err);
    char api[FOW_API_TOKEN_CHARS + 1];
    assert_fow_ok(make_token(d->db, s.user.id, "cli", T0, api, NULL, &err), &err);
    const char *secrets[] = {PW, s.token, api, api + 4, NULL};
    for (size_t i = 0; secrets[i]; i++) {
        long long hits = ts_int(d->db,
                                "SELECT (SELECT count(*) FROM users WHERE instr(password_hash, '%s') OR instr(name, '%s'))"
                                " + (SELECT count(*) FROM sessions WHERE instr(id, '%s') OR instr(csrf_token, '%s'))"
                                " + (SELECT count(*) FROM api_tokens WHERE instr(token_hash, '%s') OR instr(name, '%s'))",
                                secrets[i], secrets[i], secrets[i], secrets[i], secrets[i], secrets[i]);
        if (hits) fail_msg("a secret is stored in clear: %s", secrets[i]);
    }
}

static void test_set_password(void **state) {
    ts_db *d = *state;
    add_user(d->db, "alice", "admin", PW);
    fow_session s = login_ok(d->db, "alice", PW, T0);
    fow_error err;
    fow_error_clear(&err);
    fow_auth_status status;
    fow_session out;
    /* a new password ends the sessions and revokes every API token */
    char t1[FOW_API_TOKEN_CHARS + 1], t2[FOW_API_TOKEN_CHARS + 1];
    long long id1 = 0;
    assert_fow_ok(make_token(d->db, s.user.id, "one", T0, t1, &id1, &err), &err);
    assert_fow_ok(make_token(d->db, s.user.id, "two", T0, t2, NULL, &err), &err);
    assert_fow_ok(fow_accounts_token_revoke(d->db, s.user.id, id1, T0 + 5, &err), &err);
    assert_fails_on(fow_accounts_user_set_password(d->db, "alice", "short", T0 + 10, &err), FOW_EINPUT, &err,
                    "password");
    assert_fails_on(fow_accounts_user_set_password(d->db, "nobody", "new password 1", T0 + 10, &err), FOW_ENOTFOUND,
                    &err, "name");
    /* a refused new password changes nothing */
    fow_user u;
    assert_fow_ok(fow_accounts_token_check(d->db, t2, T0 + 10, &u, NULL, &status, &err), &err);
    assert_fow_ok(fow_accounts_user_set_password(d->db, "ALICE", "new password 1", T0 + 10, &err), &err);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM api_tokens WHERE revoked = 1"), 2);
    assert_int_equal(ts_int(d->db, "SELECT revoked_at FROM api_tokens WHERE id = %lld", id1), T0 + 5); /* kept */
    assert_int_equal(ts_int(d->db, "SELECT revoked_at FROM api_tokens WHERE name = 'two'"), T0 + 10);
    assert_fails_on(fow_accounts_token_check(d->db, t2, T0 + 11, &u, NULL, &status, &err), FOW_EINPUT, &err, "token");
    assert_int_equal(status, FOW_AUTH_REVOKED);
    assert_int_equal(ts_int(d->db, "SELECT password_changed_at FROM users"), T0 + 10);
    assert_int_equal(fow_accounts_session_check(d->db, s.token, T0 + 20, &out, &status, &err), FOW_EINPUT);
    assert_int_equal(status, FOW_AUTH_BAD_CREDENTIALS);
    assert_int_equal(fow_accounts_login(d->db, NULL, "10.0.0.1", "alice", PW, T0 + 30, &out, &status, &err), FOW_EINPUT);
    assert_int_equal(status, FOW_AUTH_BAD_CREDENTIALS);
    login_ok(d->db, "alice", "new password 1", T0 + 40);
}

static void test_remove_cascades(void **state) {
    ts_db *d = *state;
    add_user(d->db, "alice", "admin", PW);
    fow_user bob = add_user(d->db, "bob", "analyst", PW);
    fow_session a = login_ok(d->db, "alice", PW, T0);
    fow_session b1 = login_ok(d->db, "bob", PW, T0);
    login_ok(d->db, "bob", PW, T0 + 5);
    fow_error err;
    fow_error_clear(&err);
    char api[FOW_API_TOKEN_CHARS + 1];
    assert_fow_ok(make_token(d->db, bob.id, "export", T0, api, NULL, &err), &err);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM sessions"), 3);

    assert_fow_ok(fow_accounts_user_remove(d->db, "Bob", &err), &err);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM users"), 1);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM sessions WHERE user_id = %lld", bob.id), 0);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM sessions"), 1);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM api_tokens"), 0);
    fow_session out;
    fow_auth_status status;
    assert_fails_on(fow_accounts_session_check(d->db, b1.token, T0 + 10, &out, &status, &err), FOW_EINPUT, &err,
                    "session");
    assert_int_equal(status, FOW_AUTH_BAD_CREDENTIALS);
    fow_user u;
    assert_fails_on(fow_accounts_token_check(d->db, api, T0 + 10, &u, NULL, &status, &err), FOW_EINPUT, &err, "token");
    assert_int_equal(status, FOW_AUTH_BAD_CREDENTIALS);
    assert_fow_ok(fow_accounts_session_check(d->db, a.token, T0 + 10, &out, &status, &err), &err);

    assert_fails_on(fow_accounts_user_remove(d->db, "bob", &err), FOW_ENOTFOUND, &err, "name");
    assert_fails_on(fow_accounts_user_remove(d->db, "", &err), FOW_ENOTFOUND, &err, "name");
}

/* ---- login, throttling ---------------------------------------------------------------- */

static void test_login_ok(void **state) {
    ts_db *d = *state;
    fow_user u = add_user(d->db, "alice", "admin", PW);
    fow_session s = login_ok(d->db, "Alice", PW, T0 + 100);
    assert_int_equal(s.user.id, u.id);
    assert_string_equal(s.user.name, "alice");
    assert_int_equal(s.user.role, FOW_ROLE_ADMIN);
    assert_int_equal(s.user.last_login_at, T0 + 100);
    assert_int_equal(strlen(s.token), FOW_TOKEN_CHARS);
    assert_int_equal(strlen(s.csrf), FOW_TOKEN_CHARS);
    assert_string_not_equal(s.token, s.csrf);
    assert_int_equal(s.created_at, T0 + 100);
    assert_int_equal(s.expires_at, T0 + 100 + FOW_SESSION_SECONDS);
    assert_int_equal(s.expires_at - s.created_at, 12 * 3600);
    for (const char *p = s.token; *p; p++)
        assert_true((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
                    *p == '_');
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM sessions WHERE user_id = %lld", u.id), 1);
    assert_int_equal(ts_int(d->db, "SELECT length(id) FROM sessions"), 64); /* a hash, not the token */
    assert_int_equal(ts_int(d->db, "SELECT last_login_at FROM users"), T0 + 100);
    /* a second login is a second session with other tokens */
    fow_session s2 = login_ok(d->db, "alice", PW, T0 + 200);
    assert_string_not_equal(s.token, s2.token);
    assert_string_not_equal(s.csrf, s2.csrf);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM sessions"), 2);
}

static void test_wrong_password(void **state) {
    ts_db *d = *state;
    add_user(d->db, "alice", "admin", PW);
    fow_error err;
    fow_error_clear(&err);
    fow_session s;
    fow_auth_status status = FOW_AUTH_OK;
    assert_fails_on(fow_accounts_login(d->db, NULL, "10.0.0.1", "alice", "not the password", T0, &s, &status, &err), FOW_EINPUT, &err,
                    "password");
    assert_int_equal(status, FOW_AUTH_BAD_CREDENTIALS);
    char wrong_password_message[sizeof err.message];
    snprintf(wrong_password_message, sizeof wrong_password_message, "%s", err.message);
    assert_string_equal(s.token, "");
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM sessions"), 0);
    /* nothing is written for a failure (a stranger cannot make the database work) */
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM users WHERE last_login_at IS NULL"), 1);
    /* an unknown user: the same answer */
    assert_fails_on(fow_accounts_login(d->db, NULL, "10.0.0.1", "mallory", PW, T0, &s, &status, &err), FOW_EINPUT, &err, "password");
    assert_int_equal(status, FOW_AUTH_BAD_CREDENTIALS);
    assert_string_equal(err.message, wrong_password_message);
    /* malformed names, NULLs, over-long passwords: the same */
    assert_int_equal(fow_accounts_login(d->db, NULL, "10.0.0.1", "no body", PW, T0, &s, &status, &err), FOW_EINPUT);
    assert_int_equal(status, FOW_AUTH_BAD_CREDENTIALS);
    assert_int_equal(fow_accounts_login(d->db, NULL, "10.0.0.1", NULL, PW, T0, &s, &status, &err), FOW_EINPUT);
    assert_int_equal(fow_accounts_login(d->db, NULL, "10.0.0.1", "alice", NULL, T0, &s, &status, &err), FOW_EINPUT);
    char big[FOW_PASSWORD_MAX + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(fow_accounts_login(d->db, NULL, "10.0.0.1", "alice", big, T0, &s, &status, &err), FOW_EINPUT);
    assert_int_equal(status, FOW_AUTH_BAD_CREDENTIALS);
    /* status may be NULL */
    assert_int_equal(fow_accounts_login(d->db, NULL, "10.0.0.1", "alice", "nope nope", T0, &s, NULL, &err), FOW_EINPUT);
    /* without a throttle nothing stops a success */
    login_ok(d->db, "alice", PW, T0 + 1);
}

/* The throttle alone: delays per (name, address) and per address, in
 * simulated time. */
static void test_throttle(void **state) {
    (void)state;
    fow_error err;
    fow_error_clear(&err);
    fow_login_throttle *t;
    assert_fow_ok(fow_login_throttle_new(&t, &err), &err);
    const char *a1 = "192.0.2.1", *a2 = "192.0.2.2";
    /* FOW_THROTTLE_PAIR_FREE failures cost nothing */
    for (int i = 0; i < FOW_THROTTLE_PAIR_FREE; i++) {
        assert_int_equal(fow_login_throttle_wait(t, "alice", a1, T0), 0);
        fow_login_throttle_failed(t, "alice", a1, T0);
    }
    /* then 2 s, 4 s, 8 s ... after the last failure */
    assert_int_equal(fow_login_throttle_wait(t, "alice", a1, T0), FOW_THROTTLE_FIRST_DELAY);
    assert_int_equal(fow_login_throttle_wait(t, "ALICE", a1, T0 + 1), FOW_THROTTLE_FIRST_DELAY - 1); /* case */
    assert_int_equal(fow_login_throttle_wait(t, "alice", a1, T0 + FOW_THROTTLE_FIRST_DELAY), 0);
    fow_login_throttle_failed(t, "alice", a1, T0 + 2);
    assert_int_equal(fow_login_throttle_wait(t, "alice", a1, T0 + 2), 2 * FOW_THROTTLE_FIRST_DELAY);
    fow_login_throttle_failed(t, "alice", a1, T0 + 6);
    assert_int_equal(fow_login_throttle_wait(t, "alice", a1, T0 + 6), 4 * FOW_THROTTLE_FIRST_DELAY);
    /* never more than FOW_THROTTLE_MAX_DELAY */
    for (int i = 0; i < 20; i++) fow_login_throttle_failed(t, "alice", a1, T0 + 100);
    assert_int_equal(fow_login_throttle_wait(t, "alice", a1, T0 + 100), FOW_THROTTLE_MAX_DELAY);
    /* the same name from another address, and another name from this one (27 failures from it, under
     * FOW_THROTTLE_ADDRESS_FREE): not delayed */
    assert_int_equal(fow_login_throttle_wait(t, "alice", a2, T0 + 100), 0);
    assert_int_equal(fow_login_throttle_wait(t, "bob", a1, T0 + 100), 0);
    /* a success clears its pair only */
    fow_login_throttle_failed(t, "carol", a2, T0);
    fow_login_throttle_succeeded(t, "alice", a1, T0 + 101);
    assert_int_equal(fow_login_throttle_wait(t, "alice", a1, T0 + 101), 0);
    /* a day without failures forgets */
    for (int i = 0; i < FOW_THROTTLE_PAIR_FREE + 3; i++) fow_login_throttle_failed(t, "dave", a2, T0 + 200);
    assert_true(fow_login_throttle_wait(t, "dave", a2, T0 + 201) > 0);
    assert_int_equal(fow_login_throttle_wait(t, "dave", a2, T0 + 200 + FOW_THROTTLE_FORGET), 0);
    fow_login_throttle_free(t);

    /* per address: many names from one address */
    assert_fow_ok(fow_login_throttle_new(&t, &err), &err);
    char name[32];
    for (int i = 0; i < FOW_THROTTLE_ADDRESS_FREE; i++) {
        snprintf(name, sizeof name, "user%d", i);
        assert_int_equal(fow_login_throttle_wait(t, name, a1, T0), 0);
        fow_login_throttle_failed(t, name, a1, T0);
    }
    assert_int_equal(fow_login_throttle_wait(t, "someone-new", a1, T0), FOW_THROTTLE_FIRST_DELAY);
    assert_int_equal(fow_login_throttle_wait(t, "someone-new", a2, T0), 0);
    /* a flood of names fills the table without growing it or clearing the address */
    for (int i = 0; i < 3 * FOW_THROTTLE_SLOTS; i++) {
        snprintf(name, sizeof name, "spray%d", i);
        fow_login_throttle_failed(t, name, "198.51.100.7", T0 + 1);
    }
    assert_true(fow_login_throttle_wait(t, "anyone", "198.51.100.7", T0 + 1) > 0);
    fow_login_throttle_free(t);
    fow_login_throttle_free(NULL);
}

/* Login with a throttle: the same answers for a real and an unknown name, no
 * account is ever locked, and the owner signs in from elsewhere. */
static void test_login_throttled(void **state) {
    ts_db *d = *state;
    add_user(d->db, "alice", "admin", PW);
    fow_error err;
    fow_error_clear(&err);
    fow_login_throttle *t;
    assert_fow_ok(fow_login_throttle_new(&t, &err), &err);
    const char *stranger = "203.0.113.9", *office = "198.51.100.20";
    fow_session s;
    fow_auth_status status;
    char message_known[sizeof err.message], message_unknown[sizeof err.message];
    for (int i = 0; i < FOW_THROTTLE_PAIR_FREE; i++) {
        assert_fails_on(fow_accounts_login(d->db, t, stranger, "alice", "guess guess", T0, &s, &status, &err),
                        FOW_EINPUT, &err, "password");
        assert_int_equal(status, FOW_AUTH_BAD_CREDENTIALS);
        snprintf(message_known, sizeof message_known, "%s", err.message);
        assert_fails_on(fow_accounts_login(d->db, t, stranger, "ghost", "guess guess", T0, &s, &status, &err),
                        FOW_EINPUT, &err, "password");
        assert_int_equal(status, FOW_AUTH_BAD_CREDENTIALS);
        assert_string_equal(err.message, message_known);
    }
    /* now both names are throttled from there, the same way, and the right password too */
    const char *names[] = {"alice", "ghost"};
    for (int k = 0; k < 2; k++) {
        fow_error_clear(&err);
        assert_int_equal(fow_accounts_login(d->db, t, stranger, names[k], k ? "guess guess" : PW, T0 + 1, &s,
                                            &status, &err),
                         FOW_EINPUT);
        assert_int_equal(status, FOW_AUTH_THROTTLED);
        assert_int_equal(s.retry_after, FOW_THROTTLE_FIRST_DELAY - 1);
        assert_null(strstr(err.message, names[k]));
        assert_null(strstr(err.message, "lock"));
        snprintf(k ? message_unknown : message_known, sizeof message_known, "%s", err.message);
        /* the throttled check alone answers the same */
        fow_session early;
        fow_error e2;
        fow_error_clear(&e2);
        assert_int_equal(fow_accounts_login_throttled(t, stranger, names[k], T0 + 1, &early, &status, &e2),
                         FOW_EINPUT);
        assert_string_equal(e2.message, err.message);
        assert_int_equal(early.retry_after, s.retry_after);
    }
    assert_string_equal(message_known, message_unknown);
    assert_contains(message_known, "too many failed sign-ins: wait");
    /* the owner, from the office, is not affected; the stranger's later tries are */
    fow_session ok = login_ok(d->db, "alice", PW, T0 + 2);
    (void)ok;
    assert_fow_ok(fow_accounts_login(d->db, t, office, "alice", PW, T0 + 2, &s, &status, &err), &err);
    assert_int_equal(status, FOW_AUTH_OK);
    fow_session free_check;
    assert_fow_ok(fow_accounts_login_throttled(t, office, "alice", T0 + 2, &free_check, &status, &err), &err);
    assert_int_equal(status, FOW_AUTH_OK);
    /* after the delay the stranger's right password works (the pair's failures are forgotten) */
    assert_fow_ok(fow_accounts_login(d->db, t, stranger, "alice", PW, T0 + 10, &s, &status, &err), &err);
    assert_int_equal(fow_login_throttle_wait(t, "alice", stranger, T0 + 10), 0);
    /* nothing about failures is in the database */
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM pragma_table_info('users') WHERE name IN"
                                   " ('failed_logins', 'locked_until')"),
                     0);
    fow_login_throttle_free(t);
}

/* A hash made at another strength is replaced on the next good login. */
static void test_rehash_on_login(void **state) {
    ts_db *d = *state;
    add_user(d->db, "alice", "admin", PW); /* MIN */
    char before[256], after[256];
    ts_text(d->db, before, sizeof before, "SELECT password_hash FROM users");
    assert_non_null(strstr(before, "m=8,"));
    fow_accounts_set_hash_strength(FOW_HASH_INTERACTIVE);
    login_ok(d->db, "alice", PW, T0);
    fow_accounts_set_hash_strength(FOW_HASH_MIN);
    ts_text(d->db, after, sizeof after, "SELECT password_hash FROM users");
    assert_non_null(strstr(after, "m=65536,"));
    login_ok(d->db, "alice", PW, T0 + 1); /* never re-hashed towards MIN */
    ts_text(d->db, before, sizeof before, "SELECT password_hash FROM users");
    assert_string_equal(before, after);
}

/* ---- sessions ------------------------------------------------------------------ */

static void test_session_check(void **state) {
    ts_db *d = *state;
    fow_user u = add_user(d->db, "alice", "counsellor", PW);
    fow_session s = login_ok(d->db, "alice", PW, T0);
    fow_error err;
    fow_error_clear(&err);
    fow_session c;
    fow_auth_status status = FOW_AUTH_ERROR;
    assert_fow_ok(fow_accounts_session_check(d->db, s.token, T0 + 10, &c, &status, &err), &err);
    assert_int_equal(status, FOW_AUTH_OK);
    assert_int_equal(c.user.id, u.id);
    assert_string_equal(c.user.name, "alice");
    assert_int_equal(c.user.role, FOW_ROLE_COUNSELLOR);
    assert_string_equal(c.csrf, s.csrf);
    assert_string_equal(c.token, "");
    assert_int_equal(c.created_at, T0);
    assert_int_equal(c.expires_at, T0 + FOW_SESSION_SECONDS);
    assert_true(fow_accounts_csrf_equal(c.csrf, s.csrf));

    /* last_seen_at is written at most once a minute */
    assert_int_equal(c.last_seen_at, T0);
    assert_fow_ok(fow_accounts_session_check(d->db, s.token, T0 + 59, &c, &status, &err), &err);
    assert_int_equal(ts_int(d->db, "SELECT last_seen_at FROM sessions"), T0);
    assert_fow_ok(fow_accounts_session_check(d->db, s.token, T0 + 60, &c, &status, &err), &err);
    assert_int_equal(c.last_seen_at, T0 + 60);
    assert_int_equal(ts_int(d->db, "SELECT last_seen_at FROM sessions"), T0 + 60);
    assert_fow_ok(fow_accounts_session_check(d->db, s.token, T0 + 100, &c, &status, &err), &err);
    assert_int_equal(ts_int(d->db, "SELECT last_seen_at FROM sessions"), T0 + 60);

    /* the role is read at every check */
    assert_fow_ok(fow_db_exec(d->db, "UPDATE users SET role = 'admin'", &err), &err);
    assert_fow_ok(fow_accounts_session_check(d->db, s.token, T0 + 110, &c, &status, &err), &err);
    assert_int_equal(c.user.role, FOW_ROLE_ADMIN);

    /* unknown, altered, malformed and missing tokens */
    char altered[FOW_TOKEN_CHARS + 1];
    snprintf(altered, sizeof altered, "%s", s.token);
    altered[5] = altered[5] == 'A' ? 'B' : 'A';
    const char *bad[] = {altered, "", "short", "not a token at all, but 43 bytes long ....", s.csrf, NULL};
    for (size_t i = 0; bad[i]; i++) {
        status = FOW_AUTH_OK;
        assert_fails_on(fow_accounts_session_check(d->db, bad[i], T0 + 120, &c, &status, &err), FOW_EINPUT, &err,
                        "session");
        assert_int_equal(status, FOW_AUTH_BAD_CREDENTIALS);
        assert_int_equal(c.user.id, 0);
        assert_string_equal(c.csrf, "");
    }
    assert_fails_on(fow_accounts_session_check(d->db, NULL, T0, &c, &status, &err), FOW_EINPUT, &err, "session");
    assert_int_equal(status, FOW_AUTH_BAD_CREDENTIALS);
    assert_fow_ok(fow_accounts_session_check(d->db, s.token, T0 + 130, &c, NULL, &err), &err);
}

static void test_session_expiry(void **state) {
    ts_db *d = *state;
    add_user(d->db, "alice", "admin", PW);
    fow_session s = login_ok(d->db, "alice", PW, T0);
    fow_session keep = login_ok(d->db, "alice", PW, T0 + 3600);
    fow_error err;
    fow_error_clear(&err);
    fow_session c;
    fow_auth_status status;
    assert_fow_ok(fow_accounts_session_check(d->db, s.token, T0 + FOW_SESSION_SECONDS - 1, &c, &status, &err), &err);
    /* expired: a distinct status, and the session is gone */
    assert_fails_on(fow_accounts_session_check(d->db, s.token, T0 + FOW_SESSION_SECONDS, &c, &status, &err),
                    FOW_EINPUT, &err, "session");
    assert_int_equal(status, FOW_AUTH_EXPIRED);
    assert_contains(err.message, "expired at 2027-01-15T20:00:00Z");
    assert_int_equal(c.user.id, 0);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM sessions"), 1);
    assert_fails_on(fow_accounts_session_check(d->db, s.token, T0 + FOW_SESSION_SECONDS, &c, &status, &err),
                    FOW_EINPUT, &err, "session");
    assert_int_equal(status, FOW_AUTH_BAD_CREDENTIALS);
    /* the other session lives on until its own end */
    assert_fow_ok(fow_accounts_session_check(d->db, keep.token, T0 + 3600 + FOW_SESSION_SECONDS - 1, &c, &status, &err),
                  &err);
    assert_fow_ok(fow_accounts_sessions_purge(d->db, T0 + 3600 + FOW_SESSION_SECONDS - 1, NULL, &err), &err);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM sessions"), 1);
    long long removed = -1;
    assert_fow_ok(fow_accounts_sessions_purge(d->db, T0 + 3600 + FOW_SESSION_SECONDS, &removed, &err), &err);
    assert_int_equal(removed, 1);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM sessions"), 0);
}

static void test_login_purges_expired_sessions(void **state) {
    ts_db *d = *state;
    add_user(d->db, "alice", "admin", PW);
    add_user(d->db, "bob", "admin", PW);
    login_ok(d->db, "alice", PW, T0);
    login_ok(d->db, "alice", PW, T0 + 1);
    login_ok(d->db, "bob", PW, T0 + FOW_SESSION_SECONDS + 1);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM sessions"), 1);
}

static void test_logout(void **state) {
    ts_db *d = *state;
    add_user(d->db, "alice", "admin", PW);
    fow_session a = login_ok(d->db, "alice", PW, T0);
    fow_session b = login_ok(d->db, "alice", PW, T0);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_accounts_logout(d->db, a.token, &err), &err);
    fow_session c;
    fow_auth_status status;
    assert_fails_on(fow_accounts_session_check(d->db, a.token, T0 + 1, &c, &status, &err), FOW_EINPUT, &err, "session");
    assert_int_equal(status, FOW_AUTH_BAD_CREDENTIALS);
    assert_fow_ok(fow_accounts_session_check(d->db, b.token, T0 + 1, &c, &status, &err), &err);
    /* twice, malformed, NULL: fine */
    assert_fow_ok(fow_accounts_logout(d->db, a.token, &err), &err);
    assert_fow_ok(fow_accounts_logout(d->db, "junk", &err), &err);
    assert_fow_ok(fow_accounts_logout(d->db, NULL, &err), &err);
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM sessions"), 1);
}

static void test_csrf_equal(void **state) {
    (void)state;
    assert_true(fow_accounts_csrf_equal("abcDEF-_", "abcDEF-_"));
    assert_false(fow_accounts_csrf_equal("abcDEF-_", "abcDEF-."));
    assert_false(fow_accounts_csrf_equal("abcDEF-_", "abcDEF-"));
    assert_false(fow_accounts_csrf_equal("abcDEF-_", "abcDEF-__"));
    assert_false(fow_accounts_csrf_equal("abc", NULL));
    assert_false(fow_accounts_csrf_equal(NULL, "abc"));
    assert_false(fow_accounts_csrf_equal("", ""));
}

/* ---- API tokens --------------------------------------------------------------- */

static void test_api_tokens(void **state) {
    ts_db *d = *state;
    fow_user alice = add_user(d->db, "alice", "analyst", PW);
    fow_user bob = add_user(d->db, "bob", "admin", PW);
    fow_error err;
    fow_error_clear(&err);
    char t1[FOW_API_TOKEN_CHARS + 1], t2[FOW_API_TOKEN_CHARS + 1], t3[FOW_API_TOKEN_CHARS + 1];
    long long id1 = 0, id2 = 0;
    assert_fow_ok(make_token(d->db, alice.id, "nightly export", T0, t1, &id1, &err), &err);
    assert_int_equal(strlen(t1), FOW_API_TOKEN_CHARS);
    assert_true(strncmp(t1, "fow_", 4) == 0);
    assert_true(id1 > 0);
    assert_fow_ok(make_token(d->db, alice.id, "laptop", T0 + 1, t2, &id2, &err), &err);
    assert_string_not_equal(t1, t2);

    /* check: the user; last_used_at at most once a minute */
    fow_user u;
    fow_api_token which;
    fow_auth_status status = FOW_AUTH_ERROR;
    assert_fow_ok(fow_accounts_token_check(d->db, t1, T0 + 100, &u, &which, &status, &err), &err);
    assert_int_equal(status, FOW_AUTH_OK);
    assert_int_equal(u.id, alice.id);
    assert_int_equal(u.role, FOW_ROLE_ANALYST);
    assert_int_equal(which.id, id1);
    assert_int_equal(which.scope, FOW_ROLE_ANALYST);
    assert_int_equal(which.expires_at, T0 + FOW_TOKEN_DEFAULT_DAYS * 86400LL);
    assert_int_equal(ts_int(d->db, "SELECT last_used_at FROM api_tokens WHERE id = %lld", id1), T0 + 100);
    assert_fow_ok(fow_accounts_token_check(d->db, t1, T0 + 159, &u, NULL, NULL, &err), &err);
    assert_int_equal(ts_int(d->db, "SELECT last_used_at FROM api_tokens WHERE id = %lld", id1), T0 + 100);
    assert_fow_ok(fow_accounts_token_check(d->db, t1, T0 + 160, &u, NULL, NULL, &err), &err);
    assert_int_equal(ts_int(d->db, "SELECT last_used_at FROM api_tokens WHERE id = %lld", id1), T0 + 160);

    /* a label is unique among a user's live tokens, not across users */
    assert_fails_on(make_token(d->db, alice.id, "laptop", T0, t3, NULL, &err), FOW_EINPUT, &err, "name");
    assert_string_equal(t3, "");
    assert_fow_ok(make_token(d->db, bob.id, "laptop", T0, t3, NULL, &err), &err);
    assert_fails_on(make_token(d->db, alice.id, "", T0, t3, NULL, &err), FOW_EINPUT, &err, "name");
    assert_fails_on(make_token(d->db, alice.id, NULL, T0, t3, NULL, &err), FOW_EINPUT, &err, "name");
    assert_fails_on(make_token(d->db, alice.id, "a\tb", T0, t3, NULL, &err), FOW_EINPUT, &err, "name");
    assert_fails_on(make_token(d->db, 9999, "x", T0, t3, NULL, &err), FOW_ENOTFOUND, &err, "user");

    /* list */
    fow_api_token *list;
    size_t n;
    assert_fow_ok(fow_accounts_token_list(d->db, alice.id, &list, &n, &err), &err);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].name, "nightly export");
    assert_int_equal(list[0].id, id1);
    assert_int_equal(list[0].user_id, alice.id);
    assert_int_equal(list[0].created_at, T0);
    assert_int_equal(list[0].expires_at, T0 + 90 * 86400LL);
    assert_string_equal(list[0].scope_name, "analyst");
    assert_int_equal(list[0].last_used_at, T0 + 160);
    assert_false(list[0].revoked);
    assert_string_equal(list[1].name, "laptop");
    assert_int_equal(list[1].last_used_at, 0);
    free(list);
    assert_fow_ok(fow_accounts_token_list(d->db, 9999, &list, &n, &err), &err);
    assert_int_equal(n, 0);
    assert_null(list);

    /* revoke: only the owner's; twice is fine; then the check says revoked */
    assert_fails_on(fow_accounts_token_revoke(d->db, bob.id, id2, T0 + 200, &err), FOW_ENOTFOUND, &err, "token");
    assert_fails_on(fow_accounts_token_revoke(d->db, alice.id, 9999, T0 + 200, &err), FOW_ENOTFOUND, &err, "token");
    assert_fow_ok(fow_accounts_token_revoke(d->db, alice.id, id2, T0 + 200, &err), &err);
    assert_fow_ok(fow_accounts_token_revoke(d->db, alice.id, id2, T0 + 300, &err), &err);
    assert_int_equal(ts_int(d->db, "SELECT revoked_at FROM api_tokens WHERE id = %lld", id2), T0 + 200);
    assert_fails_on(fow_accounts_token_check(d->db, t2, T0 + 400, &u, &which, &status, &err), FOW_EINPUT, &err,
                    "token");
    assert_int_equal(status, FOW_AUTH_REVOKED);
    assert_int_equal(u.id, 0);
    assert_int_equal(which.id, 0);
    assert_fow_ok(fow_accounts_token_check(d->db, t1, T0 + 400, &u, NULL, &status, &err), &err);
    /* the label is free again */
    assert_fow_ok(make_token(d->db, alice.id, "laptop", T0 + 500, t3, NULL, &err), &err);
    assert_fow_ok(fow_accounts_token_list(d->db, alice.id, &list, &n, &err), &err);
    assert_int_equal(n, 3);
    assert_true(list[1].revoked);
    assert_int_equal(list[1].revoked_at, T0 + 200);
    free(list);

    /* unknown, altered and malformed tokens; a session token is not an API token */
    char altered[FOW_API_TOKEN_CHARS + 1];
    snprintf(altered, sizeof altered, "%s", t1);
    altered[10] = altered[10] == 'A' ? 'B' : 'A';
    fow_session s = login_ok(d->db, "alice", PW, T0);
    const char *bad[] = {altered, "", "fow_", t1 + 4, s.token, "Bearer x", NULL};
    for (size_t i = 0; bad[i]; i++) {
        status = FOW_AUTH_OK;
        assert_fails_on(fow_accounts_token_check(d->db, bad[i], T0, &u, NULL, &status, &err), FOW_EINPUT, &err,
                        "token");
        assert_int_equal(status, FOW_AUTH_BAD_CREDENTIALS);
    }
    assert_int_equal(fow_accounts_token_check(d->db, NULL, T0, &u, NULL, &status, &err), FOW_EINPUT);
    assert_int_equal(status, FOW_AUTH_BAD_CREDENTIALS);
    /* and an API token is not a session */
    fow_session c;
    assert_int_equal(fow_accounts_session_check(d->db, t1, T0, &c, &status, &err), FOW_EINPUT);
    assert_int_equal(status, FOW_AUTH_BAD_CREDENTIALS);
}

/* Expiry, scopes wider and narrower, and the role a token acts with. */
static void test_token_expiry_and_scope(void **state) {
    ts_db *d = *state;
    fow_user ana = add_user(d->db, "ana", "analyst", PW);
    fow_error err;
    fow_error_clear(&err);
    char tok[FOW_API_TOKEN_CHARS + 1];
    fow_api_token info;
    /* days: default 90, 1..max, max 1..FOW_TOKEN_LIMIT_DAYS */
    fow_token_spec spec = {.name = "week", .days = 7};
    assert_fow_ok(fow_accounts_token_create(d->db, ana.id, &spec, T0, tok, &info, &err), &err);
    assert_int_equal(info.expires_at, T0 + 7 * 86400LL);
    assert_int_equal(info.scope, FOW_ROLE_ANALYST);
    fow_user u;
    fow_auth_status status;
    assert_fow_ok(fow_accounts_token_check(d->db, tok, T0 + 7 * 86400LL - 1, &u, NULL, &status, &err), &err);
    assert_fails_on(fow_accounts_token_check(d->db, tok, T0 + 7 * 86400LL, &u, NULL, &status, &err), FOW_EINPUT, &err,
                    "token");
    assert_int_equal(status, FOW_AUTH_EXPIRED);
    assert_contains(err.message, "expired at 2027-01-22T08:00:00Z");
    assert_int_equal(u.id, 0);
    fow_token_spec bad[] = {
        {.name = "x", .days = 366},                    /* over the default maximum */
        {.name = "x", .days = -1},
        {.name = "x", .days = 31, .max_days = 30},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_fails_on(fow_accounts_token_create(d->db, ana.id, &bad[i], T0, tok, NULL, &err), FOW_EINPUT, &err,
                        "days");
    fow_token_spec bad_max = {.name = "x", .max_days = FOW_TOKEN_LIMIT_DAYS + 1};
    assert_fails_on(fow_accounts_token_create(d->db, ana.id, &bad_max, T0, tok, NULL, &err), FOW_EINPUT, &err,
                    "max_days");
    /* a short maximum shortens the default */
    fow_token_spec short_max = {.name = "short", .max_days = 30};
    assert_fow_ok(fow_accounts_token_create(d->db, ana.id, &short_max, T0, tok, &info, &err), &err);
    assert_int_equal(info.expires_at, T0 + 30 * 86400LL);
    fow_token_spec longest = {.name = "long", .days = FOW_TOKEN_LIMIT_DAYS, .max_days = FOW_TOKEN_LIMIT_DAYS};
    assert_fow_ok(fow_accounts_token_create(d->db, ana.id, &longest, T0, tok, &info, &err), &err);
    /* scope: never wider than the role */
    fow_token_spec wider = {.name = "up", .scope = "admin"};
    assert_fails_on(fow_accounts_token_create(d->db, ana.id, &wider, T0, tok, NULL, &err), FOW_EINPUT, &err, "scope");
    assert_contains(err.message, "wider than the role of ana");
    fow_token_spec unknown = {.name = "up", .scope = "king"};
    assert_fails_on(fow_accounts_token_create(d->db, ana.id, &unknown, T0, tok, NULL, &err), FOW_EINPUT, &err,
                    "scope");
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM api_tokens WHERE name = 'up'"), 0);
    /* counsellors manage people, analysts do not: a counsellor scope is not within analyst */
    fow_token_spec narrower = {.name = "reader", .scope = "counsellor"};
    assert_fails_on(fow_accounts_token_create(d->db, ana.id, &narrower, T0, tok, NULL, &err), FOW_EINPUT, &err,
                    "scope");
    fow_user adm = add_user(d->db, "adm", "admin", PW);
    assert_fow_ok(fow_accounts_token_create(d->db, adm.id, &narrower, T0, tok, &info, &err), &err);
    assert_int_equal(info.scope, FOW_ROLE_COUNSELLOR);
    assert_fow_ok(fow_accounts_token_check(d->db, tok, T0 + 1, &u, NULL, &status, &err), &err);
    assert_int_equal(u.role, FOW_ROLE_COUNSELLOR);
    assert_string_equal(u.role_name, "counsellor");
    assert_false(fow_role_allows(u.role, FOW_PERM_IMPORT_EMPLOYMENT));
    /* the user's role lowered below the scope: the token acts with the lower role */
    char full[FOW_API_TOKEN_CHARS + 1];
    fow_token_spec as_role = {.name = "as-role"};
    assert_fow_ok(fow_accounts_token_create(d->db, ana.id, &as_role, T0, full, &info, &err), &err);
    assert_fow_ok(fow_db_exec(d->db, "UPDATE users SET role = 'counsellor' WHERE name = 'ana'", &err), &err);
    assert_fow_ok(fow_accounts_token_check(d->db, full, T0 + 2, &u, NULL, &status, &err), &err);
    /* analyst scope, counsellor role: neither within the other, so the token may do nothing */
    assert_int_equal(u.role, FOW_ROLE_NONE);
    /* a role this build does not know: the token may do nothing */
    assert_fow_ok(fow_db_exec(d->db,
                              "INSERT INTO roles VALUES ('trainer', 'later');"
                              "UPDATE users SET role = 'trainer' WHERE name = 'ana'",
                              &err),
                  &err);
    assert_fow_ok(fow_accounts_token_check(d->db, full, T0 + 3, &u, NULL, &status, &err), &err);
    assert_int_equal(u.role, FOW_ROLE_NONE);
    fow_token_spec no_scope = {.name = "unknown-role"};
    assert_fails_on(fow_accounts_token_create(d->db, ana.id, &no_scope, T0, tok, NULL, &err), FOW_EINPUT, &err,
                    "scope");
}

/* Migration 5 on tokens and users that version 4 made: tokens get 90 days
 * from their making and their user's role as scope; the lockout goes. */
static void test_migration_5_tokens(void **state) {
    (void)state;
    ts_tmp tmp;
    ts_tmp_make(&tmp);
    char path[TS_PATH_MAX];
    ts_join(path, sizeof path, tmp.dir, "v4.db");
    ts_db_at_version(path, 4,
                     "INSERT INTO users (id, name, role, password_hash, created_at, password_changed_at,"
                     " failed_logins, locked_until) VALUES (1, 'old', 'analyst', 'h', 5, 5, 3, 99999);"
                     "INSERT INTO api_tokens (user_id, name, token_hash, created_at)"
                     " VALUES (1, 'legacy', 'abc', 1000);");
    fow_db *db = NULL;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_db_open(&db, path, false, &err), &err);
    assert_int_equal(fow_db_schema_version(db), FOW_SCHEMA_VERSION);
    assert_int_equal(ts_int(db, "SELECT expires_at FROM api_tokens"), 1000 + 90 * 86400LL);
    char scope[32];
    assert_string_equal(ts_text(db, scope, sizeof scope, "SELECT scope FROM api_tokens"), "analyst");
    fow_api_token *list;
    size_t n;
    assert_fow_ok(fow_accounts_token_list(db, 1, &list, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].scope, FOW_ROLE_ANALYST);
    free(list);
    /* organisation: version 6; provider_id and person_id: the roles migration */
    assert_int_equal(ts_int(db, "SELECT count(*) FROM pragma_table_info('users')"), 11);
    fow_user u;
    assert_fow_ok(fow_accounts_user_get(db, "old", &u, &err), &err);
    fow_db_close(db);
    ts_tmp_remove(&tmp);
}

static void test_format_time(void **state) {
    (void)state;
    char buf[32];
    assert_string_equal(fow_accounts_format_time(0, buf, sizeof buf), "1970-01-01T00:00:00Z");
    assert_string_equal(fow_accounts_format_time(T0, buf, sizeof buf), "2027-01-15T08:00:00Z");
}

/* ---- migration ---------------------------------------------------------------- */

/* A database as fow with schema version 1 left it: migration 1 only, filled
 * by the importers; then opened by this fow, which adds the accounts and
 * leaves every row where it was. */
static void test_migration_from_version_1(void **state) {
    (void)state;
    ts_tmp tmp;
    ts_tmp_make(&tmp);
    char path[TS_PATH_MAX];
    ts_join(path, sizeof path, tmp.dir, "v1.db");
    sqlite3 *sql = NULL;
    assert_int_equal(sqlite3_open_v2(path, &sql, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(sql, "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(sql, fow_schema_migrations[0], NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(sql, "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
    /* today's importers record the data version (schema version 4); its
     * table stands in while they fill the database, then goes, as version 1
     * had none */
    assert_int_equal(sqlite3_exec(sql, fow_schema_migrations[3], NULL, NULL, NULL), SQLITE_OK);
    fow_db v1 = {.sql = sql, .path = path, .read_only = false};
    ts_import_bundle_fixture(&v1, "bundle-small", NULL);
    ts_import_fixture_file(&v1, "risk", "risk-small.csv", "mcc", NULL);
    ts_import_fixture_file(&v1, "attributes", "attributes-small.csv", NULL, NULL);
    assert_int_equal(sqlite3_exec(sql, "DROP TABLE data_version", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(fow_db_schema_version(&v1), 1);
    assert_int_equal(ts_int(&v1, "SELECT count(*) FROM sqlite_master WHERE name = 'users'"), 0);
    long long occupations = ts_int(&v1, "SELECT count(*) FROM occupations");
    assert_true(occupations > 0);
    static const char *const v1_tables[] = {
        "sources",      "isco_groups",    "occupations", "skills",   "occupation_labels", "skill_labels",
        "occupation_skills", "occupation_parents", "occupation_risk", "isco_risk", "soc_risk",
        "occupation_attributes", "crosswalk_isco_soc", "crosswalk_esco_onet", "search_terms", NULL};
    ts_digest before = db_snapshot_tables(sql, v1_tables);
    sqlite3_close(sql);

    /* a read-only open can't migrate: it says so */
    fow_db *db = NULL;
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_db_open(&db, path, true, &err), FOW_EDB);
    assert_contains(err.message, "schema upgrade");
    assert_null(db);

    assert_fow_ok(fow_db_open(&db, path, false, &err), &err);
    assert_int_equal(fow_db_schema_version(db), FOW_SCHEMA_VERSION);
    assert_digest_equal(before, db_snapshot_tables(db->sql, v1_tables));
    assert_int_equal(ts_int(db, "SELECT count(*) FROM occupations"), occupations);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM roles"), 11); /* lab_manager, lab_staff, teacher: the labs migration; voucher_office: the office migration; juror: version 14; 'person' since version 6; programme_manager, provider: the roles migration */
    assert_int_equal(ts_int(db, "SELECT count(*) FROM users"), 0);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM sessions"), 0);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM api_tokens"), 0);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_string_equal(ts_text(db, (char[16]){0}, 16, "PRAGMA integrity_check"), "ok");

    /* the accounts work, and a new import leaves them alone */
    add_user(db, "alice", "admin", PW);
    fow_session s = login_ok(db, "alice", PW, T0);
    ts_import_bundle_fixture(db, "bundle-small", NULL);
    fow_session c;
    fow_auth_status status;
    assert_fow_ok(fow_accounts_session_check(db, s.token, T0 + 1, &c, &status, &err), &err);
    fow_db_close(db);

    /* opened again: nothing to migrate, read-only works */
    assert_fow_ok(fow_db_open(&db, path, true, &err), &err);
    assert_int_equal(fow_db_schema_version(db), FOW_SCHEMA_VERSION);
    assert_int_equal(ts_int(db, "SELECT count(*) FROM users"), 1);
    fow_db_close(db);
    ts_tmp_remove(&tmp);
}

/* The voucher office (issue 14, point 9): manage_vouchers and
 * read_programme only; an admin manages vouchers too; nobody else. */
static void test_voucher_office_role(void **state) {
    (void)state;
    assert_int_equal(fow_role_parse("voucher_office"), FOW_ROLE_VOUCHER_OFFICE);
    assert_string_equal(fow_role_name(FOW_ROLE_VOUCHER_OFFICE), "voucher_office");
    assert_string_equal(fow_permission_name(FOW_PERM_MANAGE_VOUCHERS), "manage_vouchers");
    for (int p = 0; p <= FOW_PERM_LAST; p++)
        assert_int_equal(fow_role_allows(FOW_ROLE_VOUCHER_OFFICE, (fow_permission)p),
                         p == FOW_PERM_MANAGE_VOUCHERS || p == FOW_PERM_READ_PROGRAMME);
    for (int r = FOW_ROLE_NONE; r <= FOW_ROLE_LAST; r++)
        assert_int_equal(fow_role_allows((fow_role)r, FOW_PERM_MANAGE_VOUCHERS),
                         r == FOW_ROLE_ADMIN || r == FOW_ROLE_VOUCHER_OFFICE);
    assert_false(fow_role_allows(FOW_ROLE_VOUCHER_OFFICE, FOW_PERM_MANAGE_PEOPLE));
    assert_true(fow_role_within(FOW_ROLE_VOUCHER_OFFICE, FOW_ROLE_ADMIN));
    assert_false(fow_access_all_organisations(FOW_ROLE_VOUCHER_OFFICE));
}

/* A fresh confirmation: the right password passes; a wrong one fails with
 * field confirm_password and is counted by the throttle, which then
 * refuses without checking; nothing is written. */
static void test_confirm_password(void **state) {
    ts_db *d = *state;
    fow_error err;
    fow_error_clear(&err);
    add_user(d->db, "vera", "voucher_office", PW);
    fow_login_throttle *t;
    assert_fow_ok(fow_login_throttle_new(&t, &err), &err);
    fow_auth_status status;
    long long retry = -1;
    assert_fow_ok(fow_accounts_confirm_password(d->db, t, "192.0.2.9", "vera", PW, T0, &status, &retry, &err), &err);
    assert_int_equal(status, FOW_AUTH_OK);
    assert_int_equal(retry, 0);
    for (int i = 0; i < FOW_THROTTLE_PAIR_FREE; i++) {
        fow_error_clear(&err);
        assert_fails_on(fow_accounts_confirm_password(d->db, t, "192.0.2.9", "vera", "not the password", T0, &status,
                                                      &retry, &err),
                        FOW_EINPUT, &err, "confirm_password");
        assert_int_equal(status, FOW_AUTH_BAD_CREDENTIALS);
        assert_null(strstr(err.message, "not the password"));
    }
    /* counted: the next attempt waits, even with the right password */
    fow_error_clear(&err);
    assert_fails_on(fow_accounts_confirm_password(d->db, t, "192.0.2.9", "vera", PW, T0, &status, &retry, &err),
                    FOW_EINPUT, &err, "confirm_password");
    assert_int_equal(status, FOW_AUTH_THROTTLED);
    assert_int_equal(retry, FOW_THROTTLE_FIRST_DELAY);
    assert_int_equal(fow_login_throttle_wait(t, "vera", "192.0.2.9", T0), FOW_THROTTLE_FIRST_DELAY);
    /* after the wait the right password passes again and clears the pair */
    assert_fow_ok(fow_accounts_confirm_password(d->db, t, "192.0.2.9", "vera", PW, T0 + FOW_THROTTLE_FIRST_DELAY,
                                                &status, NULL, &err),
                  &err);
    assert_int_equal(fow_login_throttle_wait(t, "vera", "192.0.2.9", T0 + FOW_THROTTLE_FIRST_DELAY), 0);
    /* empty, missing, another account's name */
    fow_error_clear(&err);
    assert_fails_on(fow_accounts_confirm_password(d->db, NULL, "x", "vera", "", T0, &status, NULL, &err), FOW_EINPUT,
                    &err, "confirm_password");
    assert_fails_on(fow_accounts_confirm_password(d->db, NULL, "x", "vera", NULL, T0, &status, NULL, &err),
                    FOW_EINPUT, &err, "confirm_password");
    assert_fails_on(fow_accounts_confirm_password(d->db, NULL, "x", "nobody", PW, T0, &status, NULL, &err),
                    FOW_EINPUT, &err, "confirm_password");
    assert_int_equal(ts_int(d->db, "SELECT count(*) FROM sessions"), 0);
    fow_login_throttle_free(t);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup_db, teardown_db)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_programme_roles),
        cmocka_unit_test(test_voucher_office_role),
        T(test_confirm_password),
        T(test_linked_accounts),
        T(test_schema_has_roles),
        T(test_add_get_list),
        T(test_list_empty),
        T(test_duplicate_name),
        T(test_bad_names),
        T(test_bad_roles),
        T(test_bad_passwords),
        T(test_bad_display_names),
        T(test_hash_is_not_the_password),
        T(test_set_password),
        T(test_remove_cascades),
        T(test_login_ok),
        T(test_wrong_password),
        cmocka_unit_test(test_throttle),
        T(test_login_throttled),
        T(test_token_expiry_and_scope),
        cmocka_unit_test(test_migration_5_tokens),
        T(test_rehash_on_login),
        T(test_session_check),
        T(test_session_expiry),
        T(test_login_purges_expired_sessions),
        T(test_logout),
        cmocka_unit_test(test_csrf_equal),
        T(test_api_tokens),
        cmocka_unit_test(test_format_time),
        cmocka_unit_test(test_migration_from_version_1),
    };
    fow_accounts_set_hash_strength(FOW_HASH_MIN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
