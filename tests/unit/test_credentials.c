/* test_credentials.c — verifiable credentials (src/credentials) on the demo
 * catalogue: the issuer key file (made 0600, refused when another key or
 * readable by others), issuing (consent, module, dates checked; nothing
 * stored on failure), the status list (exactly the revoked bits set, GZIP of
 * 16 KiB), verification (valid; every byte of the signature changed; the
 * wrong key; expired; revoked through a saved status list), the JWK Set
 * parsed back, the date parser, and presenting (the skills enter the
 * profile with provenance credential, only for the person it was issued
 * to), who may revoke (the module's provider, the person's organisation, the
 * programme manager, an admin), and erasure revoking the person's
 * credentials. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "accounts/fow_accounts.h"
#include "credentials/fow_credentials.h"
#include "people/fow_people.h"
#include "service/fow_world.h"
#include "taxonomy/fow_import.h"
#include "training/fow_training.h"
#include "test_support.h"

typedef struct cr_state {
    ts_db d;
    fow_people *people;
    fow_credentials *creds;
    char key_path[TS_PATH_MAX];
    char person[FOW_PERSON_ID_CHARS + 1];
    int64_t module; /* W40-SQL */
} cr_state;

static const fow_people_staff staff = {.name = "test", .organisation = "org", .all_organisations = true};
static const long long NOW = 1790000000; /* 2026-09-21 */
static const fow_credential_revoker ADMIN = {.name = "test", .role = FOW_ROLE_ADMIN};

static const char *demo_dir(void) {
    const char *d = getenv("FOW_DEMO");
    return d && *d ? d : "data/demo";
}

static int setup(void **state) {
    cr_state *s = calloc(1, sizeof *s);
    if (!s) return -1;
    *state = s;
    ts_db_fresh(&s->d);
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    char path[TS_PATH_MAX], people_key[TS_PATH_MAX];
    assert_fow_ok(fow_import_bundle(s->d.db, demo_dir(), NULL, &r, &err), &err);
    ts_join(path, sizeof path, demo_dir(), "modules.csv");
    assert_fow_ok(fow_import_modules(s->d.db, path, NULL, &r, &err), &err);
    assert_fow_ok(fow_people_key_path(s->d.path, people_key, sizeof people_key, &err), &err);
    assert_fow_ok(fow_people_open(s->d.db, people_key, &s->people, &err), &err);
    assert_fow_ok(fow_credentials_key_path(s->d.path, s->key_path, sizeof s->key_path, &err), &err);
    assert_fow_ok(fow_credentials_open(s->d.db, s->key_path, true, &s->creds, &err), &err);
    fow_person_input in = {.organisation = "org"};
    assert_fow_ok(fow_people_add(s->people, &staff, NULL, &in, NOW, s->person, &err), &err);
    assert_fow_ok(fow_people_consent_give(s->people, &staff, s->person, FOW_PURPOSE_TRAINING, "v1", NOW, &err), &err);
    assert_fow_ok(fow_people_consent_give(s->people, &staff, s->person, FOW_PURPOSE_COUNSELLING, "v1", NOW, &err),
                  &err);
    s->module = ts_int(s->d.db, "SELECT id FROM training_modules WHERE code = 'W40-SQL'");
    return 0;
}

static int teardown(void **state) {
    cr_state *s = *state;
    fow_credentials_close(s->creds);
    fow_people_close(s->people);
    ts_db_free(&s->d);
    free(s);
    return 0;
}

static fow_credential_row issue(cr_state *s, int valid_days) {
    fow_credential_request req = {.person_id = s->person, .module_id = s->module, .result = "passed",
                                  .valid_days = valid_days, .issued_by = "test", .completed_on = "2026-09-01"};
    fow_credential_row row;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_credential_issue(s->creds, s->people, &staff, &req, NOW, &row, &err), &err);
    return row;
}

static fow_verification verify(cr_state *s, const char *jwt, const char *status_jwt, long long now) {
    fow_credential_keys keys;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_credentials_keys(s->creds, &keys, &err), &err);
    fow_verify_status_source src = {.local = status_jwt ? NULL : s->creds, .list_jwt = status_jwt,
                                    .list_len = status_jwt ? strlen(status_jwt) : 0};
    fow_verification v;
    assert_fow_ok(fow_credential_verify(jwt, strlen(jwt), &keys, &src, now, &v, &err), &err);
    fow_credential_keys_free(&keys);
    return v;
}

static void test_key_file(void **state) {
    cr_state *s = *state;
    fow_credential_row row = issue(s, 0); /* the key is recorded with the first credential's issuer */
    free(row.jwt);
    struct stat st;
    assert_int_equal(stat(s->key_path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    fow_credential_issuer is;
    fow_credentials_issuer(s->creds, &is);
    assert_int_equal(strlen(is.kid), FOW_CREDENTIAL_KID_CHARS);
    /* the seed is nowhere in the database */
    size_t len;
    char *key = ts_read_file(s->key_path, &len);
    char *seed = strstr(key, "ed25519-seed=");
    assert_non_null(seed);
    assert_int_equal(ts_int(s->d.db, "SELECT count(*) FROM credential_issuer_keys WHERE public_key LIKE '%%%.20s%%'",
                            seed + 13),
                     0);
    /* another key file is refused */
    char other[TS_PATH_MAX + 16];
    snprintf(other, sizeof other, "%s.other", s->key_path);
    FILE *f = fopen(other, "w");
    fprintf(f, "ed25519-seed=%064d\n", 7);
    fclose(f);
    chmod(other, 0600);
    fow_credentials *c2 = NULL;
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_credentials_open(s->d.db, other, true, &c2, &err), FOW_EINPUT);
    assert_string_equal(err.field, "key");
    assert_non_null(strstr(err.message, "not the key of this database"));
    /* readable by others: refused */
    chmod(s->key_path, 0644);
    assert_int_equal(fow_credentials_open(s->d.db, s->key_path, true, &c2, &err), FOW_EINPUT);
    assert_non_null(strstr(err.message, "chmod 600"));
    chmod(s->key_path, 0600);
    /* no key file needed to verify */
    assert_fow_ok(fow_credentials_open(s->d.db, NULL, false, &c2, &err), &err);
    fow_credentials_close(c2);
    free(key);
}

static void test_issue_refusals(void **state) {
    cr_state *s = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_credential_request req = {.person_id = s->person, .module_id = 99999, .issued_by = "test"};
    assert_int_equal(fow_credential_issue(s->creds, s->people, &staff, &req, NOW, NULL, &err), FOW_ENOTFOUND);
    assert_string_equal(err.field, "module");
    req.module_id = s->module;
    req.completed_on = "2026-13-01";
    assert_int_equal(fow_credential_issue(s->creds, s->people, &staff, &req, NOW, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "completed_on");
    req.completed_on = "2030-01-01";
    assert_int_equal(fow_credential_issue(s->creds, s->people, &staff, &req, NOW, NULL, &err), FOW_EINPUT);
    assert_non_null(strstr(err.message, "in the future"));
    req.completed_on = NULL;
    assert_fow_ok(fow_people_consent_withdraw(s->people, &staff, s->person, FOW_PURPOSE_TRAINING, NOW, &err), &err);
    assert_int_equal(fow_credential_issue(s->creds, s->people, &staff, &req, NOW, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.field, "consent");
    assert_int_equal(ts_int(s->d.db, "SELECT count(*) FROM credentials"), 0);
    assert_int_equal(ts_int(s->d.db, "SELECT count(*) FROM credential_status_entries"), 0);
}

/* The bits of a status list credential. */
static unsigned char *status_bits(const char *jwt, size_t *n) {
    const char *dot1 = strchr(jwt, '.'), *dot2 = strchr(dot1 + 1, '.');
    size_t plen = (size_t)(dot2 - dot1 - 1);
    char *payload = calloc(plen + 1, 1);
    size_t got = 0;
    assert_int_equal(sodium_base642bin((unsigned char *)payload, plen, dot1 + 1, plen, NULL, &got, NULL,
                                       sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                     0);
    char *enc = strstr(payload, "\"encodedList\":\"u");
    assert_non_null(enc);
    enc += 16;
    size_t elen = (size_t)(strchr(enc, '"') - enc);
    unsigned char *gz = malloc(elen);
    size_t gz_len = 0;
    assert_int_equal(sodium_base642bin(gz, elen, enc, elen, NULL, &gz_len, NULL,
                                       sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                     0);
    unsigned char *bits = malloc(1 << 20);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
    zs.next_in = gz;
    zs.avail_in = (uInt)gz_len;
    zs.next_out = bits;
    zs.avail_out = 1 << 20;
    assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
    *n = zs.total_out;
    inflateEnd(&zs);
    free(gz);
    free(payload);
    return bits;
}

static void test_status_list(void **state) {
    cr_state *s = *state;
    fow_credential_row rows[3];
    for (int i = 0; i < 3; i++) rows[i] = issue(s, 0);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_credential_revoke(s->creds, &ADMIN, rows[1].id, "mistake", NOW + 10, &err), &err);
    assert_int_equal(fow_credential_revoke(s->creds, &ADMIN, rows[1].id, "again", NOW + 20, &err), FOW_EINPUT);
    assert_int_equal(fow_credential_revoke(s->creds, &ADMIN, "urn:uuid:00000000-0000-4000-8000-000000000000", "x", NOW,
                                           &err),
                     FOW_ENOTFOUND);
    char *list = NULL;
    assert_fow_ok(fow_credentials_status_list(s->creds, 1, NOW + 30, &list, &err), &err);
    size_t n = 0;
    unsigned char *bits = status_bits(list, &n);
    assert_int_equal(n, FOW_CREDENTIAL_STATUS_LIST_BITS / 8);
    size_t ones = 0;
    for (size_t i = 0; i < n * 8; i++) {
        bool bit = (bits[i / 8] >> (7 - i % 8)) & 1;
        ones += bit;
        if (bit) assert_int_equal((long)i, rows[1].status_index);
    }
    assert_int_equal(ones, 1);
    free(bits);
    /* the saved list says the revoked one is revoked, the others not */
    fow_verification v = verify(s, rows[1].jwt, list, NOW + 40);
    assert_false(v.valid);
    assert_int_equal(v.outcome[FOW_VERIFY_STATUS], FOW_VERIFY_FAILED);
    fow_verification_free(&v);
    v = verify(s, rows[0].jwt, list, NOW + 40);
    assert_true(v.valid);
    assert_int_equal(v.outcome[FOW_VERIFY_STATUS], FOW_VERIFY_PASSED);
    fow_verification_free(&v);
    free(list);
    assert_int_equal(fow_credentials_status_list(s->creds, 2, NOW, &list, &err), FOW_ENOTFOUND);
    assert_null(list);
    for (int i = 0; i < 3; i++) free(rows[i].jwt);
}

static void test_verify(void **state) {
    cr_state *s = *state;
    fow_credential_row row = issue(s, 30);
    fow_verification v = verify(s, row.jwt, NULL, NOW + 60);
    assert_true(v.valid);
    for (int i = 0; i < FOW_VERIFY_CHECK_COUNT; i++) assert_int_equal(v.outcome[i], FOW_VERIFY_PASSED);
    assert_int_equal(v.n_skills, 3);
    assert_string_equal(v.skills[0].uri, "urn:fow:demo:skill:query-databases-with-sql");
    assert_non_null(strstr(v.subject, "urn:fow:subject:"));
    assert_null(strstr(row.jwt, s->person));
    /* every check says why, as a message the web app words: a code, parameters, the English text */
    for (int i = 0; i < FOW_VERIFY_CHECK_COUNT; i++) {
        assert_true(strncmp(v.code[i], "credential.", 11) == 0);
        assert_true(v.message[i][0] != '\0');
    }
    assert_string_equal(v.code[FOW_VERIFY_SIGNATURE], "credential.signature_ok");
    assert_string_equal(v.code[FOW_VERIFY_STATUS], "credential.not_revoked_here");
    assert_string_equal(v.code[FOW_VERIFY_DATES], "credential.dates_ok");
    assert_int_equal(v.n_params[FOW_VERIFY_DATES], 2);
    assert_string_equal(v.params[FOW_VERIFY_DATES][0].name, "from");
    assert_string_equal(v.params[FOW_VERIFY_DATES][0].value, v.valid_from);
    assert_string_equal(v.params[FOW_VERIFY_DATES][1].value, v.valid_until);
    fow_jw mw;
    fow_jw_init(&mw, 0);
    fow_verification_write(&mw, &v);
    const char *doc = fow_jw_text(&mw, NULL);
    assert_non_null(strstr(doc, "\"message\":{\"code\":\"credential.format_ok\",\"params\":{\"bytes\":"));
    assert_non_null(strstr(doc, "\"text\":\"the Ed25519 signature over header and payload is right\""));
    fow_jw_free(&mw);
    fow_verification_free(&v);
    /* expired, and not yet valid */
    v = verify(s, row.jwt, NULL, NOW + 31LL * 86400);
    assert_false(v.valid);
    assert_string_equal(v.failed_field, "validUntil");
    assert_string_equal(v.code[FOW_VERIFY_DATES], "credential.expired");
    assert_string_equal(v.params[FOW_VERIFY_DATES][0].name, "until");
    assert_string_equal(v.code[FOW_VERIFY_STATUS], ""); /* not run after a failure */
    fow_verification_free(&v);
    v = verify(s, row.jwt, NULL, NOW - 3600);
    assert_string_equal(v.failed_field, "validFrom");
    fow_verification_free(&v);
    /* every character of the signature changed in turn: always refused */
    char *copy = strdup(row.jwt);
    char *sig = strrchr(copy, '.') + 1;
    for (size_t i = 0; sig[i]; i++) {
        char was = sig[i];
        sig[i] = was == 'A' ? 'B' : 'A';
        v = verify(s, copy, NULL, NOW + 60);
        assert_false(v.valid);
        assert_int_equal(v.outcome[FOW_VERIFY_SIGNATURE], FOW_VERIFY_FAILED);
        /* the last character also carries padding bits: changing it may leave no canonical 64 bytes */
        assert_string_equal(v.code[FOW_VERIFY_SIGNATURE],
                            sig[i + 1] ? "credential.signature_mismatch"
                                       : (strcmp(v.code[FOW_VERIFY_SIGNATURE], "credential.signature_size") == 0
                                              ? "credential.signature_size"
                                              : "credential.signature_mismatch"));
        fow_verification_free(&v);
        sig[i] = was;
    }
    free(copy);
    /* another issuer's keys: the kid is unknown */
    fow_credential_keys keys;
    fow_error err;
    fow_error_clear(&err);
    const char *jwks = "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k1\","
                       "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}]}";
    assert_fow_ok(fow_credential_keys_parse(jwks, strlen(jwks), &keys, &err), &err);
    assert_int_equal(keys.n, 1);
    fow_credential_verify(row.jwt, strlen(row.jwt), &keys, NULL, NOW + 60, &v, &err);
    assert_false(v.valid);
    assert_string_equal(v.failed_field, "kid");
    fow_verification_free(&v);
    fow_credential_keys_free(&keys);
    assert_int_equal(fow_credential_keys_parse("{\"keys\":[]}", 11, &keys, &err), FOW_EINPUT);
    assert_int_equal(fow_credential_keys_parse("{", 1, &keys, &err), FOW_EINPUT);
    assert_string_equal(err.field, "jwks");
    /* the issuer's own JWK Set, written and parsed back, verifies */
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_credentials_write_jwks(s->creds, &w);
    size_t len;
    const char *text = fow_jw_text(&w, &len);
    assert_fow_ok(fow_credential_keys_parse(text, len, &keys, &err), &err);
    fow_jw_free(&w);
    fow_credential_verify(row.jwt, strlen(row.jwt), &keys, NULL, NOW + 60, &v, &err);
    assert_true(v.valid);
    assert_int_equal(v.outcome[FOW_VERIFY_STATUS], FOW_VERIFY_UNCHECKED);
    fow_verification_free(&v);
    fow_credential_keys_free(&keys);
    free(row.jwt);
}

static void test_parse_time(void **state) {
    (void)state;
    long long t;
    assert_true(fow_credential_parse_time("1970-01-01T00:00:00Z", &t));
    assert_int_equal(t, 0);
    assert_true(fow_credential_parse_time("2024-02-29T12:00:00Z", &t));
    assert_int_equal(t, 1709208000);
    assert_true(fow_credential_parse_time("2024-02-29T14:00:00+02:00", &t));
    assert_int_equal(t, 1709208000);
    assert_true(fow_credential_parse_time("2024-02-29T12:00:00.250Z", &t));
    assert_false(fow_credential_parse_time("2023-02-29T12:00:00Z", &t));
    assert_false(fow_credential_parse_time("2024-02-29 12:00:00Z", &t));
    assert_false(fow_credential_parse_time("2024-02-29T12:00:00", &t));
    assert_false(fow_credential_parse_time("", &t));
}

static void test_present(void **state) {
    cr_state *s = *state;
    fow_credential_row row = issue(s, 0);
    fow_world *world = NULL;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_world_open(s->d.path, &(fow_world_options){.quick = true}, &world, &err), &err);
    fow_verification v = verify(s, row.jwt, NULL, NOW + 60);
    size_t added = 0, skipped = 0;
    assert_fow_ok(fow_credential_present(s->creds, s->people, &staff, fow_world_model(world), s->person, &v, NOW + 60,
                                         &added, &skipped, &err),
                  &err);
    assert_int_equal(added, 3);
    assert_int_equal(skipped, 0);
    assert_int_equal(ts_int(s->d.db, "SELECT count(*) FROM person_skills WHERE provenance = 'credential'"), 3);
    /* another person: refused */
    char other[FOW_PERSON_ID_CHARS + 1];
    fow_person_input in = {.organisation = "org"};
    assert_fow_ok(fow_people_add(s->people, &staff, NULL, &in, NOW, other, &err), &err);
    assert_int_equal(fow_credential_present(s->creds, s->people, &staff, fow_world_model(world), other, &v, NOW,
                                            NULL, NULL, &err),
                     FOW_EINPUT);
    assert_string_equal(err.field, "subject");
    fow_verification_free(&v);
    /* revoked: refused */
    assert_fow_ok(fow_credential_revoke(s->creds, &ADMIN, row.id, "mistake", NOW + 70, &err), &err);
    v = verify(s, row.jwt, NULL, NOW + 80);
    assert_int_equal(fow_credential_present(s->creds, s->people, &staff, fow_world_model(world), s->person, &v,
                                            NOW + 80, NULL, NULL, &err),
                     FOW_EINPUT);
    assert_non_null(strstr(err.message, "revoked"));
    fow_verification_free(&v);
    fow_world_release(world);
    free(row.jwt);
}

/* Who may revoke: an admin and a programme manager any credential, the
 * provider of its module, the counsellors of the person's organisation;
 * nobody else. */
static void test_revocation_rights(void **state) {
    cr_state *s = *state;
    fow_error err;
    fow_error_clear(&err);
    fow_credential_row rows[6];
    for (int i = 0; i < 6; i++) rows[i] = issue(s, 0);
    int64_t provider = 0, other = 0;
    assert_fow_ok(fow_training_provider_of_code(s->d.db, "W40-SQL", &provider, &err), &err);
    assert_fow_ok(fow_training_provider_of_code(s->d.db, "CP-BIZ", &other, &err), &err);
    assert_true(provider > 0 && other > 0 && provider != other);
    const fow_people_staff org = {.name = "carla", .organisation = "org"};
    const fow_people_staff elsewhere = {.name = "ion", .organisation = "elsewhere"};
    const fow_credential_revoker refused[] = {
        {.name = "quinn", .role = FOW_ROLE_PROVIDER, .provider_id = other},  /* another provider's module */
        {.name = "una", .role = FOW_ROLE_PROVIDER},                          /* a provider account with no provider */
        {.name = "ion", .role = FOW_ROLE_COUNSELLOR, .staff = &elsewhere, .people = s->people}, /* another organisation */
        {.name = "ana", .role = FOW_ROLE_ANALYST},
        {.name = "pat", .role = FOW_ROLE_PERSON},
        {.name = "nobody", .role = FOW_ROLE_NONE},
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        assert_int_equal(fow_credential_revoke(s->creds, &refused[i], rows[0].id, "not theirs", NOW + 1, &err),
                         FOW_EINPUT);
        assert_string_equal(err.field, "role");
    }
    assert_int_equal(ts_int(s->d.db, "SELECT count(*) FROM credential_status_entries WHERE revoked_at > 0"), 0);
    const fow_credential_revoker allowed[] = {
        {.name = "prue", .role = FOW_ROLE_PROVIDER, .provider_id = provider},
        {.name = "carla", .role = FOW_ROLE_COUNSELLOR, .staff = &org, .people = s->people},
        {.name = "pam", .role = FOW_ROLE_PROGRAMME_MANAGER},
        ADMIN,
    };
    for (size_t i = 0; i < sizeof allowed / sizeof *allowed; i++) {
        assert_fow_ok(fow_credential_revoke(s->creds, &allowed[i], rows[i].id, "mistake", NOW + 2, &err), &err);
        fow_credential_row got;
        assert_fow_ok(fow_credential_get(s->creds, rows[i].id, &got, &err), &err);
        assert_string_equal(got.revoked_by, allowed[i].name);
        free(got.jwt);
    }
    assert_int_equal(ts_int(s->d.db, "SELECT count(*) FROM credential_status_entries WHERE revoked_at > 0"), 4);
    for (int i = 0; i < 6; i++) free(rows[i].jwt);
}

/* Erasing a person revokes their credentials: the rows stay (pseudonymous),
 * the bits of the status list are set, with reason "erased". */
static void test_erasure_revokes(void **state) {
    cr_state *s = *state;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_credentials_attach(&err), &err);
    fow_credential_row mine[2] = {issue(s, 0), issue(s, 0)};
    /* someone else's credential stays valid */
    char other[FOW_PERSON_ID_CHARS + 1];
    fow_person_input in = {.organisation = "org"};
    assert_fow_ok(fow_people_add(s->people, &staff, NULL, &in, NOW, other, &err), &err);
    assert_fow_ok(fow_people_consent_give(s->people, &staff, other, FOW_PURPOSE_TRAINING, "v1", NOW, &err), &err);
    fow_credential_request req = {.person_id = other, .module_id = s->module, .issued_by = "test",
                                  .completed_on = "2026-09-01"};
    fow_credential_row theirs;
    assert_fow_ok(fow_credential_issue(s->creds, s->people, &staff, &req, NOW, &theirs, &err), &err);
    /* already revoked before: keeps its own reason */
    assert_fow_ok(fow_credential_revoke(s->creds, &ADMIN, mine[1].id, "mistake", NOW + 1, &err), &err);
    /* the export lists them */
    fow_jw w;
    fow_jw_init(&w, 0);
    assert_fow_ok(fow_people_export(s->people, &staff, s->person, "test", NOW + 2, &w, &err), &err);
    const char *text = fow_jw_text(&w, NULL);
    assert_non_null(strstr(text, "\"credentials\":["));
    assert_non_null(strstr(text, mine[0].id));
    assert_null(strstr(text, theirs.id));
    fow_jw_free(&w);
    fow_erasure done;
    assert_fow_ok(fow_people_erase(s->people, &staff, s->person, "asked to", NOW + 3, &done, &err), &err);
    assert_true(done.attached >= 1);
    assert_int_equal(ts_int(s->d.db, "SELECT count(*) FROM credentials WHERE person_id = '%s'", s->person), 2);
    assert_int_equal(ts_int(s->d.db,
                            "SELECT count(*) FROM credential_status_entries WHERE credential_id = '%s' AND "
                            "revoked_at > 0 AND reason = 'erased' AND revoked_by = 'erasure'",
                            mine[0].id),
                     1);
    assert_int_equal(ts_int(s->d.db, "SELECT count(*) FROM credential_status_entries WHERE credential_id = '%s' AND "
                                     "reason = 'mistake'",
                            mine[1].id),
                     1);
    /* the published status list has the bits of both, not of the other person's */
    char *list = NULL;
    assert_fow_ok(fow_credentials_status_list(s->creds, 1, NOW + 4, &list, &err), &err);
    size_t n = 0;
    unsigned char *bits = status_bits(list, &n);
    for (int i = 0; i < 2; i++) assert_true((bits[mine[i].status_index / 8] >> (7 - mine[i].status_index % 8)) & 1);
    assert_false((bits[theirs.status_index / 8] >> (7 - theirs.status_index % 8)) & 1);
    free(bits);
    fow_verification v = verify(s, mine[0].jwt, list, NOW + 5);
    assert_false(v.valid);
    assert_int_equal(v.outcome[FOW_VERIFY_STATUS], FOW_VERIFY_FAILED);
    fow_verification_free(&v);
    v = verify(s, theirs.jwt, list, NOW + 5);
    assert_true(v.valid);
    fow_verification_free(&v);
    free(list);
    for (int i = 0; i < 2; i++) free(mine[i].jwt);
    free(theirs.jwt);
}

/* Issuing on its own connection while ts_interleave commits a withdrawal of
 * training consent between its early checks and its write transaction: no
 * credential is issued. */
typedef struct issue_race {
    cr_state *s;
    fow_code rc;
    fow_error err;
} issue_race;

static void issue_on(void *arg, fow_db *db) {
    issue_race *x = arg;
    char people_key[TS_PATH_MAX];
    fow_people *people = NULL;
    fow_credentials *creds = NULL;
    x->rc = fow_people_key_path(x->s->d.path, people_key, sizeof people_key, &x->err);
    if (!x->rc) x->rc = fow_people_open(db, people_key, &people, &x->err);
    if (!x->rc) x->rc = fow_credentials_open(db, x->s->key_path, true, &creds, &x->err);
    fow_credential_request req = {.person_id = x->s->person, .module_id = x->s->module, .issued_by = "test",
                                  .completed_on = "2026-09-01"};
    if (!x->rc) x->rc = fow_credential_issue(creds, people, &staff, &req, NOW, NULL, &x->err);
    fow_credentials_close(creds);
    fow_people_close(people);
}

static void withdraw_training(void *arg) {
    issue_race *x = arg;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_people_consent_withdraw(x->s->people, &staff, x->s->person, FOW_PURPOSE_TRAINING, NOW, &err),
                  &err);
}

static void test_withdrawal_while_issuing(void **state) {
    cr_state *s = *state;
    fow_credential_row first = issue(s, 0); /* the issuer key is recorded: the racing issue only reads it */
    free(first.jwt);
    issue_race x = {.s = s};
    fow_error_clear(&x.err);
    ts_interleave(s->d.path, issue_on, withdraw_training, &x);
    if (x.rc != FOW_EINPUT || strcmp(x.err.field, "consent") != 0)
        fail_msg("issuing after the withdrawal should fail on consent, got %s (%s): %s", fow_code_name(x.rc),
                 x.err.field, x.err.message);
    assert_int_equal(ts_int(s->d.db, "SELECT count(*) FROM credentials"), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_key_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_issue_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify, setup, teardown),
        cmocka_unit_test(test_parse_time),
        cmocka_unit_test_setup_teardown(test_present, setup, teardown),
        cmocka_unit_test_setup_teardown(test_revocation_rights, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erasure_revokes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_withdrawal_while_issuing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
