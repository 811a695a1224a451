/* fow_accounts.c — users, roles, sessions and API tokens (fow_accounts.h). */
#include "accounts/fow_accounts.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

/* ---- roles ------------------------------------------------------------------ */

static const char *const role_names[] = {"none", "admin", "analyst", "counsellor", "programme_manager", "provider",
                                         "person", "juror", "voucher_office", "lab_manager",
                                         "lab_staff", "teacher"};
_Static_assert(sizeof role_names / sizeof *role_names == FOW_ROLE_LAST + 1, "a name for every role");

static const char *const permission_names[] = {"read_personal",  "import",         "manage_users",
                                               "import_employment", "manage_people", "manage_modules",
                                               "approve_modules", "read_programme", "read_own_record",
                                               "manage_calls",    "score_applications", "run_cohorts",
                                               "revoke_credentials", "manage_vouchers", "manage_labs",
                                               "staff_labs", "book_groups"};
_Static_assert(sizeof permission_names / sizeof *permission_names == FOW_PERM_LAST + 1, "a name for every permission");

/* Who may do what: one bit per permission, one row per role (fow_accounts.h). */
#define PERM(p) (1u << (p))
static const unsigned role_permissions[FOW_ROLE_LAST + 1] = {
    [FOW_ROLE_NONE] = 0,
    [FOW_ROLE_ADMIN] = PERM(FOW_PERM_READ_PERSONAL) | PERM(FOW_PERM_IMPORT) | PERM(FOW_PERM_MANAGE_USERS) |
                       PERM(FOW_PERM_IMPORT_EMPLOYMENT) | PERM(FOW_PERM_MANAGE_PEOPLE) | PERM(FOW_PERM_MANAGE_MODULES) |
                       PERM(FOW_PERM_APPROVE_MODULES) | PERM(FOW_PERM_READ_PROGRAMME) | PERM(FOW_PERM_MANAGE_CALLS) |
                       PERM(FOW_PERM_RUN_COHORTS) | PERM(FOW_PERM_REVOKE_CREDENTIALS) |
                       PERM(FOW_PERM_MANAGE_VOUCHERS) | PERM(FOW_PERM_MANAGE_LABS) | PERM(FOW_PERM_STAFF_LABS) |
                       PERM(FOW_PERM_BOOK_GROUPS),
    [FOW_ROLE_ANALYST] = PERM(FOW_PERM_READ_PERSONAL) | PERM(FOW_PERM_IMPORT_EMPLOYMENT) | PERM(FOW_PERM_READ_PROGRAMME),
    [FOW_ROLE_COUNSELLOR] = PERM(FOW_PERM_READ_PERSONAL) | PERM(FOW_PERM_MANAGE_PEOPLE) | PERM(FOW_PERM_RUN_COHORTS) |
                            PERM(FOW_PERM_REVOKE_CREDENTIALS),
    [FOW_ROLE_PROGRAMME_MANAGER] = PERM(FOW_PERM_APPROVE_MODULES) | PERM(FOW_PERM_READ_PROGRAMME) |
                                   PERM(FOW_PERM_MANAGE_CALLS) | PERM(FOW_PERM_REVOKE_CREDENTIALS),
    [FOW_ROLE_PROVIDER] = PERM(FOW_PERM_MANAGE_MODULES) | PERM(FOW_PERM_RUN_COHORTS) | PERM(FOW_PERM_REVOKE_CREDENTIALS),
    [FOW_ROLE_PERSON] = PERM(FOW_PERM_READ_OWN_RECORD),
    [FOW_ROLE_JUROR] = PERM(FOW_PERM_SCORE_APPLICATIONS),
    [FOW_ROLE_VOUCHER_OFFICE] = PERM(FOW_PERM_MANAGE_VOUCHERS) | PERM(FOW_PERM_READ_PROGRAMME),
    [FOW_ROLE_LAB_MANAGER] = PERM(FOW_PERM_MANAGE_LABS) | PERM(FOW_PERM_STAFF_LABS) | PERM(FOW_PERM_BOOK_GROUPS),
    [FOW_ROLE_LAB_STAFF] = PERM(FOW_PERM_STAFF_LABS),
    [FOW_ROLE_TEACHER] = PERM(FOW_PERM_BOOK_GROUPS),
};

fow_role fow_role_parse(const char *text) {
    if (!text) return FOW_ROLE_NONE;
    for (int r = FOW_ROLE_ADMIN; r <= FOW_ROLE_LAST; r++)
        if (strcmp(text, role_names[r]) == 0) return (fow_role)r;
    return FOW_ROLE_NONE;
}

const char *fow_role_name(fow_role role) {
    if ((int)role < FOW_ROLE_ADMIN || (int)role > FOW_ROLE_LAST) return role_names[0];
    return role_names[role];
}

const char *fow_permission_name(fow_permission perm) {
    if ((int)perm < 0 || (int)perm > FOW_PERM_LAST) return "none";
    return permission_names[perm];
}

bool fow_role_allows(fow_role role, fow_permission perm) {
    if ((int)role < FOW_ROLE_NONE || (int)role > FOW_ROLE_LAST || (int)perm < 0 || (int)perm > FOW_PERM_LAST)
        return false;
    return (role_permissions[role] & PERM(perm)) != 0;
}

bool fow_role_within(fow_role narrower, fow_role wider) {
    for (int p = 0; p <= FOW_PERM_LAST; p++)
        if (fow_role_allows(narrower, (fow_permission)p) && !fow_role_allows(wider, (fow_permission)p)) return false;
    return true;
}

bool fow_access_provider(fow_role role, long long user_provider, long long provider) {
    if (role == FOW_ROLE_ADMIN) return true;
    return role == FOW_ROLE_PROVIDER && user_provider > 0 && user_provider == provider;
}

bool fow_access_all_organisations(fow_role role) { return role == FOW_ROLE_ADMIN; }

bool fow_access_person(fow_role role, const char *user_organisation, const char *user_person, const char *person_id,
                       const char *person_organisation) {
    switch (role) {
    case FOW_ROLE_ADMIN:
        return true;
    case FOW_ROLE_COUNSELLOR:
        return user_organisation && user_organisation[0] && person_organisation &&
               strcmp(user_organisation, person_organisation) == 0;
    case FOW_ROLE_PERSON:
        return user_person && user_person[0] && person_id && strcmp(user_person, person_id) == 0;
    default:
        return false;
    }
}

const char *fow_auth_status_name(fow_auth_status status) {
    switch (status) {
    case FOW_AUTH_OK: return "ok";
    case FOW_AUTH_BAD_CREDENTIALS: return "bad-credentials";
    case FOW_AUTH_THROTTLED: return "throttled";
    case FOW_AUTH_EXPIRED: return "expired";
    case FOW_AUTH_REVOKED: return "revoked";
    case FOW_AUTH_ERROR: return "error";
    }
    return "error";
}

/* ---- setup ------------------------------------------------------------------ */

static atomic_int hash_strength = FOW_HASH_INTERACTIVE;

fow_code fow_accounts_init(fow_error *err) {
    if (sodium_init() < 0) return fow_error_set(err, FOW_EINTERNAL, "libsodium could not be initialised");
    return FOW_OK;
}

void fow_accounts_set_hash_strength(fow_hash_strength strength) { atomic_store(&hash_strength, (int)strength); }

static void hash_limits(unsigned long long *ops, size_t *mem) {
    if (atomic_load(&hash_strength) == FOW_HASH_MIN) {
        *ops = crypto_pwhash_OPSLIMIT_MIN;
        *mem = crypto_pwhash_MEMLIMIT_MIN;
    } else {
        *ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        *mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    }
}

/* Hashes password into out (crypto_pwhash_STRBYTES). */
static fow_code hash_password(const char *password, char out[crypto_pwhash_STRBYTES], fow_error *err) {
    unsigned long long ops;
    size_t mem;
    hash_limits(&ops, &mem);
    if (crypto_pwhash_str(out, password, strlen(password), ops, mem) != 0)
        return fow_error_set(err, FOW_ENOMEM, "out of memory hashing a password");
    return FOW_OK;
}

char *fow_accounts_format_time(long long t, char *buf, size_t n) {
    if (n == 0) return buf;
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) snprintf(buf, n, "?");
    return buf;
}

/* ---- validation --------------------------------------------------------------- */

static bool is_alnum_ascii(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

fow_code fow_accounts_check_name(const char *name, fow_error *err) {
    if (!name || !*name) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "name", "the user name is empty");
    size_t len = strlen(name);
    if (len > FOW_USER_NAME_MAX)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "name",
                                "the user name is %zu bytes long; at most %d are allowed", len, FOW_USER_NAME_MAX);
    if (!is_alnum_ascii((unsigned char)name[0]))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "name",
                                "the user name must start with a letter or digit (A-Z, a-z, 0-9)");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!is_alnum_ascii(c) && c != '.' && c != '_' && c != '-')
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, (long)i + 1, "name",
                                    "the user name may hold only letters A-Z and a-z, digits, '.', '_' and '-' "
                                    "(character %zu is not one)",
                                    i + 1);
    }
    return FOW_OK;
}

static bool equal_ignoring_ascii_case(const char *a, const char *b) {
    for (; *a && *b; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z') x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (unsigned char)(y + 32);
        if (x != y) return false;
    }
    return *a == *b;
}

fow_code fow_accounts_check_password(const char *password, const char *user_name, fow_error *err) {
    if (!password) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "password", "no password given");
    size_t len = strlen(password);
    if (len < FOW_PASSWORD_MIN)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "password",
                                "the password is too short (%zu bytes); use at least %d", len, FOW_PASSWORD_MIN);
    if (len > FOW_PASSWORD_MAX)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "password",
                                "the password is too long (%zu bytes); at most %d are allowed", len,
                                FOW_PASSWORD_MAX);
    if (user_name && equal_ignoring_ascii_case(password, user_name))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "password", "the password must not be the user name");
    return FOW_OK;
}

/* UTF-8 text of at most max bytes without control characters; empty is
 * allowed when allow_empty. */
static fow_code check_text(const char *text, size_t max, bool allow_empty, const char *field, const char *what,
                           fow_error *err) {
    size_t len = strlen(text);
    if (len == 0 && !allow_empty) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s is empty", what);
    if (len > max)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s is %zu bytes long; at most %zu are allowed",
                                what, len, max);
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
    utf8proc_ssize_t left = (utf8proc_ssize_t)len;
    long column = 1;
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, column, field, "%s is not valid UTF-8", what);
        if (utf8proc_category(cp) == UTF8PROC_CATEGORY_CC)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, column, field,
                                    "%s holds a control character (character %ld)", what, column);
        p += n;
        left -= n;
        column++;
    }
    return FOW_OK;
}

/* Checks a role for user_add: known to this build. */
static fow_code check_role(const char *role, fow_error *err) {
    if (fow_role_parse(role) == FOW_ROLE_NONE)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "role", "unknown role '%s': use admin, analyst, counsellor, programme_manager, "
                                "provider, person, juror, voucher_office, lab_manager, lab_staff or teacher",
                                role ? role : "");
    return FOW_OK;
}

/* ---- tokens ------------------------------------------------------------------- */

#define TOKEN_BYTES 32
/* the password hash of a disabled account: no password verifies against it
 * (crypto_pwhash_str_verify refuses it) and a password reset refuses it */
#define DISABLED_HASH "!disabled"
#define HASH_HEX (2 * crypto_generichash_BYTES + 1) /* 65 */

/* 32 random bytes as base64url without padding (43 characters) into out. */
static void random_token(char out[FOW_TOKEN_CHARS + 1]) {
    unsigned char bytes[TOKEN_BYTES];
    randombytes_buf(bytes, sizeof bytes);
    sodium_bin2base64(out, FOW_TOKEN_CHARS + 1, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(bytes, sizeof bytes);
}

static bool is_base64url(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!is_alnum_ascii(c) && c != '-' && c != '_') return false;
    }
    return true;
}

static bool well_formed_session_token(const char *token) {
    return token && strlen(token) == FOW_TOKEN_CHARS && is_base64url(token, FOW_TOKEN_CHARS);
}

static bool well_formed_api_token(const char *token) {
    size_t p = sizeof FOW_API_TOKEN_PREFIX - 1;
    return token && strlen(token) == FOW_API_TOKEN_CHARS && strncmp(token, FOW_API_TOKEN_PREFIX, p) == 0 &&
           is_base64url(token + p, FOW_API_TOKEN_CHARS - p);
}

/* The hex BLAKE2b-256 of token: what the database keeps. */
static void token_hash(const char *token, char hex[HASH_HEX]) {
    unsigned char h[crypto_generichash_BYTES];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(hex, HASH_HEX, h, sizeof h);
}

/* Constant-time equality of a stored hash (column text) and a computed one. */
static bool hash_equal(const unsigned char *stored, int stored_len, const char *computed) {
    return stored && stored_len == HASH_HEX - 1 && sodium_memcmp(stored, computed, HASH_HEX - 1) == 0;
}

bool fow_accounts_csrf_equal(const char *expected, const char *given) {
    if (!expected || !given) return false;
    size_t n = strlen(expected);
    if (n == 0 || strlen(given) != n) return false;
    return sodium_memcmp(expected, given, n) == 0;
}

/* ---- rows ------------------------------------------------------------------- */

#define USER_COLUMNS                                                                                             \
    "u.id, u.name, u.display_name, u.role, u.created_at, u.password_changed_at, coalesce(u.last_login_at, 0), "   \
    "u.organisation, coalesce(u.provider_id, 0), coalesce(u.person_id, '')"
#define USER_NCOLS 10

static void copy_column(sqlite3_stmt *st, int col, char *dst, size_t n) {
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, n, "%s", t ? (const char *)t : "");
}

/* Reads USER_COLUMNS starting at column first. */
static void read_user(sqlite3_stmt *st, int first, fow_user *u) {
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, first);
    copy_column(st, first + 1, u->name, sizeof u->name);
    copy_column(st, first + 2, u->display_name, sizeof u->display_name);
    copy_column(st, first + 3, u->role_name, sizeof u->role_name);
    u->role = fow_role_parse(u->role_name);
    u->created_at = sqlite3_column_int64(st, first + 4);
    u->password_changed_at = sqlite3_column_int64(st, first + 5);
    u->last_login_at = sqlite3_column_int64(st, first + 6);
    copy_column(st, first + 7, u->organisation, sizeof u->organisation);
    u->provider_id = sqlite3_column_int64(st, first + 8);
    copy_column(st, first + 9, u->person_id, sizeof u->person_id);
}

static fow_code not_found_user(const char *name, fow_error *err) {
    return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "name", "no user named '%s'", name ? name : "");
}

/* Reads the user named name, and their password hash into hash (may be
 * NULL). *found tells whether there is one. */
static fow_code load_user(fow_db *db, const char *name, fow_user *u, char hash[crypto_pwhash_STRBYTES],
                          bool *found, fow_error *err) {
    *found = false;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT " USER_COLUMNS ", u.password_hash FROM users u WHERE u.name = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        read_user(st, 0, u);
        if (hash) copy_column(st, USER_NCOLS, hash, crypto_pwhash_STRBYTES);
        *found = true;
    } else if (r != SQLITE_DONE) {
        rc = fow_db_error(db, err, "reading a user");
    }
    sqlite3_finalize(st);
    return rc;
}

/* Runs a prepared statement that returns no rows, then finalizes it. */
static fow_code step_done(fow_db *db, sqlite3_stmt *st, const char *what, fow_error *err) {
    int r = sqlite3_step(st);
    fow_code rc = r == SQLITE_DONE || r == SQLITE_ROW ? FOW_OK : fow_db_error(db, err, what);
    sqlite3_finalize(st);
    return rc;
}

/* ---- users ------------------------------------------------------------------ */

/* Checks links against role: provider and person need theirs, no other
 * role takes one. */
static fow_code check_links(const char *role, const fow_user_links *links, fow_error *err) {
    fow_role r = fow_role_parse(role);
    long long provider = links ? links->provider_id : 0;
    const char *person = links && links->person_id ? links->person_id : "";
    if (provider < 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "provider", "a provider id is a positive number, not %lld",
                                provider);
    if (r == FOW_ROLE_PROVIDER && provider == 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "provider",
                                "a provider account needs the training provider it works for");
    if (r != FOW_ROLE_PROVIDER && provider != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "provider",
                                "only a provider account is linked to a training provider, not a %s", role);
    if (r == FOW_ROLE_PERSON && !person[0])
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person",
                                "a person account needs the people record it belongs to");
    if (r != FOW_ROLE_PERSON && person[0])
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person",
                                "only a person account is linked to a people record, not a %s", role);
    if (strlen(person) > FOW_USER_PERSON_MAX)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person", "a person id has at most %d characters",
                                FOW_USER_PERSON_MAX);
    return FOW_OK;
}

fow_code fow_accounts_user_add(fow_db *db, const char *name, const char *display_name, const char *role,
                               const char *password, long long now, fow_user *out, fow_error *err) {
    return fow_accounts_user_add_linked(db, name, display_name, role, NULL, password, now, out, err);
}

fow_code fow_accounts_user_add_linked(fow_db *db, const char *name, const char *display_name, const char *role,
                                      const fow_user_links *links, const char *password, long long now, fow_user *out,
                                      fow_error *err) {
    fow_code rc = fow_accounts_init(err);
    if (rc) return rc;
    if (!display_name) display_name = "";
    if ((rc = fow_accounts_check_name(name, err))) return rc;
    if ((rc = check_text(display_name, FOW_DISPLAY_NAME_MAX, true, "display_name", "the display name", err))) return rc;
    if ((rc = check_role(role, err))) return rc;
    if ((rc = check_links(role, links, err))) return rc;
    if ((rc = fow_accounts_check_password(password, name, err))) return rc;
    fow_user existing;
    bool found;
    if ((rc = load_user(db, name, &existing, NULL, &found, err))) return rc;
    if (found)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "name", "a user named '%s' already exists", existing.name);

    char hash[crypto_pwhash_STRBYTES];
    if ((rc = hash_password(password, hash, err))) return rc;
    sqlite3_stmt *st;
    rc = fow_db_prepare(db,
                        "INSERT INTO users (name, display_name, role, password_hash, created_at, password_changed_at,"
                        " provider_id, person_id) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7)",
                        &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, display_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, now);
    if (links && links->provider_id) sqlite3_bind_int64(st, 6, links->provider_id);
    if (links && links->person_id && links->person_id[0]) sqlite3_bind_text(st, 7, links->person_id, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r != SQLITE_DONE) {
        if (sqlite3_extended_errcode(db->sql) == SQLITE_CONSTRAINT_UNIQUE)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "name", "a user named '%s' already exists", name);
        else if (sqlite3_extended_errcode(db->sql) == SQLITE_CONSTRAINT_FOREIGNKEY && links && links->provider_id)
            rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "provider", "no training provider with id %lld",
                                  links->provider_id);
        else if (sqlite3_extended_errcode(db->sql) == SQLITE_CONSTRAINT_FOREIGNKEY && links && links->person_id &&
                 links->person_id[0])
            rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "person", "no person %s", links->person_id);
        else if (sqlite3_extended_errcode(db->sql) == SQLITE_CONSTRAINT_FOREIGNKEY)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "role", "the role '%s' is not in this database", role);
        else
            rc = fow_db_error(db, err, "adding a user");
    }
    sqlite3_finalize(st);
    sodium_memzero(hash, sizeof hash);
    if (rc) return rc;
    if (out) {
        if ((rc = load_user(db, name, out, NULL, &found, err))) return rc;
        if (!found) return fow_error_set(err, FOW_EINTERNAL, "the user '%s' just added is missing", name);
    }
    return FOW_OK;
}

fow_code fow_accounts_user_get(fow_db *db, const char *name, fow_user *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    if (!name || fow_accounts_check_name(name, NULL) != FOW_OK) return not_found_user(name, err);
    bool found;
    fow_code rc = load_user(db, name, out, NULL, &found, err);
    if (rc) return rc;
    return found ? FOW_OK : not_found_user(name, err);
}

fow_code fow_accounts_user_list(fow_db *db, fow_user **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT " USER_COLUMNS " FROM users u ORDER BY u.name COLLATE NOCASE, u.id", &st, err);
    if (rc) return rc;
    fow_user *users = NULL;
    size_t count = 0, cap = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            fow_user *grown = realloc(users, ncap * sizeof *grown);
            if (!grown) {
                rc = fow_error_set(err, FOW_ENOMEM, "out of memory listing users");
                break;
            }
            users = grown;
            cap = ncap;
        }
        read_user(st, 0, &users[count++]);
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "listing users");
    sqlite3_finalize(st);
    if (rc) {
        free(users);
        return rc;
    }
    *out = users;
    *n = count;
    return FOW_OK;
}

fow_code fow_accounts_user_set_password(fow_db *db, const char *name, const char *password, long long now,
                                        fow_error *err) {
    fow_code rc = fow_accounts_init(err);
    if (rc) return rc;
    fow_user u;
    if ((rc = fow_accounts_user_get(db, name, &u, err))) return rc;
    if ((rc = fow_accounts_check_password(password, u.name, err))) return rc;
    char hash[crypto_pwhash_STRBYTES];
    if ((rc = hash_password(password, hash, err))) return rc;
    if ((rc = fow_db_begin(db, err))) goto done;
    sqlite3_stmt *st;
    rc = fow_db_prepare(db,
                        "UPDATE users SET password_hash = ?1, password_changed_at = ?2 WHERE id = ?3"
                        " AND password_hash <> '" DISABLED_HASH "'",
                        &st, err);
    if (!rc) {
        sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, now);
        sqlite3_bind_int64(st, 3, u.id);
        rc = step_done(db, st, "setting a password", err);
    }
    if (!rc && fow_db_changes(db) == 0)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "name",
                              "user %s is disabled: the person record linked to it was erased", u.name);
    if (!rc) rc = fow_db_prepare(db, "DELETE FROM sessions WHERE user_id = ?1", &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, u.id);
        rc = step_done(db, st, "ending the user's sessions", err);
    }
    if (!rc)
        rc = fow_db_prepare(db, "UPDATE api_tokens SET revoked = 1, revoked_at = ?1 WHERE user_id = ?2 AND revoked = 0",
                            &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, now);
        sqlite3_bind_int64(st, 2, u.id);
        rc = step_done(db, st, "revoking the user's API tokens", err);
    }
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) fow_db_rollback(db);
done:
    sodium_memzero(hash, sizeof hash);
    return rc;
}

/* ends every session and API token of user_id (inside the caller's transaction) */
static fow_code end_sessions_and_tokens(fow_db *db, long long user_id, long long now, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "DELETE FROM sessions WHERE user_id = ?1", &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, user_id);
        rc = step_done(db, st, "ending the user's sessions", err);
    }
    if (!rc)
        rc = fow_db_prepare(db, "UPDATE api_tokens SET revoked = 1, revoked_at = ?1 WHERE user_id = ?2 AND revoked = 0",
                            &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, now);
        sqlite3_bind_int64(st, 2, user_id);
        rc = step_done(db, st, "revoking the user's API tokens", err);
    }
    return rc;
}

fow_code fow_accounts_disable_person(fow_db *db, const char *person_id, long long now, size_t *disabled,
                                     fow_error *err) {
    if (disabled) *disabled = 0;
    if (!person_id || !person_id[0])
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person", "a person id is required");
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT id FROM users WHERE person_id = ?1 ORDER BY id", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, person_id, -1, SQLITE_TRANSIENT);
    long long ids[64];
    size_t n = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW && n < sizeof ids / sizeof ids[0]) ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return fow_db_error(db, err, "finding the accounts of a person");
    if (step == SQLITE_ROW)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person", "more than %zu accounts are linked to person %s",
                                sizeof ids / sizeof ids[0], person_id);
    for (size_t i = 0; !rc && i < n; i++) {
        rc = fow_db_prepare(db, "UPDATE users SET password_hash = '" DISABLED_HASH "' WHERE id = ?1", &st, err);
        if (!rc) {
            sqlite3_bind_int64(st, 1, ids[i]);
            rc = step_done(db, st, "disabling an account", err);
        }
        if (!rc) rc = end_sessions_and_tokens(db, ids[i], now, err);
    }
    if (!rc && disabled) *disabled = n;
    return rc;
}

fow_code fow_accounts_user_remove(fow_db *db, const char *name, fow_error *err) {
    if (!name || fow_accounts_check_name(name, NULL) != FOW_OK) return not_found_user(name, err);
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "DELETE FROM users WHERE name = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if ((rc = step_done(db, st, "removing a user", err))) return rc;
    return fow_db_changes(db) ? FOW_OK : not_found_user(name, err);
}

fow_code fow_accounts_user_set_organisation(fow_db *db, const char *name, const char *organisation, fow_error *err) {
    if (!name || fow_accounts_check_name(name, NULL) != FOW_OK) return not_found_user(name, err);
    if (!organisation) organisation = "";
    size_t n = strlen(organisation);
    if (n > FOW_ORGANISATION_MAX)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "organisation",
                                "organisation must be at most %d bytes, not %zu", FOW_ORGANISATION_MAX, n);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)organisation[i] < 0x20 || organisation[i] == 0x7f)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "organisation",
                                    "organisation holds a control character at byte %zu", i + 1);
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "UPDATE users SET organisation = ?2 WHERE name = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, organisation, -1, SQLITE_STATIC);
    if ((rc = step_done(db, st, "setting a user's organisation", err))) return rc;
    return fow_db_changes(db) ? FOW_OK : not_found_user(name, err);
}

/* ---- sessions ----------------------------------------------------------------- */

static void set_status(fow_auth_status *status, fow_auth_status value) {
    if (status) *status = value;
}

fow_code fow_accounts_sessions_purge(fow_db *db, long long now, long long *removed, fow_error *err) {
    if (removed) *removed = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "DELETE FROM sessions WHERE expires_at <= ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, now);
    if ((rc = step_done(db, st, "deleting expired sessions", err))) return rc;
    if (removed) *removed = fow_db_changes(db);
    return FOW_OK;
}

static fow_code bad_login(fow_auth_status *status, fow_error *err) {
    set_status(status, FOW_AUTH_BAD_CREDENTIALS);
    return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "password", "wrong user name or password");
}

fow_code fow_accounts_login_throttled(fow_login_throttle *throttle, const char *address, const char *name,
                                      long long now, fow_session *out, fow_auth_status *status, fow_error *err) {
    memset(out, 0, sizeof *out);
    set_status(status, FOW_AUTH_OK);
    long long wait = throttle ? fow_login_throttle_wait(throttle, name ? name : "", address, now) : 0;
    if (wait <= 0) return FOW_OK;
    out->retry_after = wait;
    set_status(status, FOW_AUTH_THROTTLED);
    /* one message for every name and wait: the answer tells nothing but "wait" */
    return fow_error_set(err, FOW_EINPUT, "too many failed sign-ins: wait before trying again (see Retry-After)");
}

/* After a good password: resets the count, re-hashes when needed, deletes
 * expired sessions and stores a new one (one transaction). */
static fow_code open_session(fow_db *db, const fow_user *u, const char *password, const char *stored_hash,
                             long long now, fow_session *out, fow_error *err) {
    char rehash[crypto_pwhash_STRBYTES] = "";
    unsigned long long ops;
    size_t mem;
    hash_limits(&ops, &mem);
    fow_code rc = FOW_OK;
    if (atomic_load(&hash_strength) == FOW_HASH_INTERACTIVE &&
        crypto_pwhash_str_needs_rehash(stored_hash, ops, mem) != 0)
        rc = hash_password(password, rehash, err);
    if (rc) return rc;

    random_token(out->token);
    random_token(out->csrf);
    char id[HASH_HEX];
    token_hash(out->token, id);
    out->created_at = now;
    out->expires_at = now + FOW_SESSION_SECONDS;
    out->last_seen_at = now;

    sqlite3_stmt *st;
    if ((rc = fow_db_begin(db, err))) goto done;
    rc = fow_db_prepare(db,
                        "UPDATE users SET last_login_at = ?1,"
                        " password_hash = CASE WHEN ?2 = '' THEN password_hash ELSE ?2 END WHERE id = ?3",
                        &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, now);
        sqlite3_bind_text(st, 2, rehash, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, u->id);
        rc = step_done(db, st, "recording a login", err);
    }
    if (!rc) rc = fow_accounts_sessions_purge(db, now, NULL, err);
    if (!rc)
        rc = fow_db_prepare(db,
                            "INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at, last_seen_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?4)",
                            &st, err);
    if (!rc) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, u->id);
        sqlite3_bind_text(st, 3, out->csrf, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, now);
        sqlite3_bind_int64(st, 5, out->expires_at);
        rc = step_done(db, st, "storing a session", err);
    }
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) fow_db_rollback(db);
done:
    sodium_memzero(rehash, sizeof rehash);
    return rc;
}

/* A failed login: counted by the throttle, answered the same for every
 * reason. */
static fow_code failed_login(fow_login_throttle *throttle, const char *name, const char *address, long long now,
                             fow_auth_status *status, fow_error *err) {
    if (throttle) fow_login_throttle_failed(throttle, name, address, now);
    return bad_login(status, err);
}

fow_code fow_accounts_login(fow_db *db, fow_login_throttle *throttle, const char *address, const char *name,
                            const char *password, long long now, fow_session *out, fow_auth_status *status,
                            fow_error *err) {
    memset(out, 0, sizeof *out);
    set_status(status, FOW_AUTH_ERROR);
    fow_code rc = fow_accounts_init(err);
    if (rc) return rc;
    if (!name) name = "";
    if ((rc = fow_accounts_login_throttled(throttle, address, name, now, out, status, err))) return rc;
    set_status(status, FOW_AUTH_ERROR);
    /* A malformed name can't name an account; an over-long password is
     * refused before it costs a hash. */
    if (!password || fow_accounts_check_name(name, NULL) != FOW_OK || strlen(password) > FOW_PASSWORD_MAX)
        return failed_login(throttle, name, address, now, status, err);
    fow_user u;
    char stored[crypto_pwhash_STRBYTES];
    bool found;
    if ((rc = load_user(db, name, &u, stored, &found, err))) return rc;
    if (!found) {
        /* the same cost as checking a password, so timing does not tell
         * which names exist */
        char dummy[crypto_pwhash_STRBYTES];
        rc = hash_password(password, dummy, err);
        sodium_memzero(dummy, sizeof dummy);
        if (rc) return rc;
        return failed_login(throttle, name, address, now, status, err);
    }
    if (crypto_pwhash_str_verify(stored, password, strlen(password)) != 0) {
        sodium_memzero(stored, sizeof stored);
        return failed_login(throttle, name, address, now, status, err);
    }
    rc = open_session(db, &u, password, stored, now, out, err);
    sodium_memzero(stored, sizeof stored);
    if (rc) {
        sodium_memzero(out, sizeof *out);
        return rc;
    }
    if (throttle) fow_login_throttle_succeeded(throttle, name, address, now);
    u.last_login_at = now;
    out->user = u;
    set_status(status, FOW_AUTH_OK);
    return FOW_OK;
}

fow_code fow_accounts_confirm_password(fow_db *db, fow_login_throttle *throttle, const char *address,
                                       const char *name, const char *password, long long now,
                                       fow_auth_status *status, long long *retry_after, fow_error *err) {
    set_status(status, FOW_AUTH_ERROR);
    if (retry_after) *retry_after = 0;
    fow_code rc = fow_accounts_init(err);
    if (rc) return rc;
    if (!name) name = "";
    fow_session none;
    if ((rc = fow_accounts_login_throttled(throttle, address, name, now, &none, status, err))) {
        if (retry_after) *retry_after = none.retry_after;
        snprintf(err->field, sizeof err->field, "%s", "confirm_password");
        return rc;
    }
    set_status(status, FOW_AUTH_ERROR);
    fow_user u;
    char stored[crypto_pwhash_STRBYTES];
    bool found = false;
    if (password && *password && strlen(password) <= FOW_PASSWORD_MAX && fow_accounts_check_name(name, NULL) == FOW_OK &&
        (rc = load_user(db, name, &u, stored, &found, err)))
        return rc;
    bool ok = found && crypto_pwhash_str_verify(stored, password, strlen(password)) == 0;
    sodium_memzero(stored, sizeof stored);
    if (!ok) {
        if (throttle) fow_login_throttle_failed(throttle, name, address, now);
        set_status(status, FOW_AUTH_BAD_CREDENTIALS);
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "confirm_password",
                                "the password given to confirm this action is not the account's password");
    }
    if (throttle) fow_login_throttle_succeeded(throttle, name, address, now);
    set_status(status, FOW_AUTH_OK);
    return FOW_OK;
}

fow_code fow_accounts_session_check(fow_db *db, const char *token, long long now, fow_session *out,
                                    fow_auth_status *status, fow_error *err) {
    memset(out, 0, sizeof *out);
    set_status(status, FOW_AUTH_ERROR);
    fow_code rc = fow_accounts_init(err);
    if (rc) return rc;
    if (!well_formed_session_token(token)) {
        set_status(status, FOW_AUTH_BAD_CREDENTIALS);
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "session", "not logged in (no such session)");
    }
    char id[HASH_HEX];
    token_hash(token, id);
    sqlite3_stmt *st;
    rc = fow_db_prepare(db,
                        "SELECT s.id, s.csrf_token, s.created_at, s.expires_at, s.last_seen_at, " USER_COLUMNS
                        " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?1",
                        &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    bool found = false;
    if (r == SQLITE_ROW && hash_equal(sqlite3_column_text(st, 0), sqlite3_column_bytes(st, 0), id)) {
        found = true;
        copy_column(st, 1, out->csrf, sizeof out->csrf);
        out->created_at = sqlite3_column_int64(st, 2);
        out->expires_at = sqlite3_column_int64(st, 3);
        out->last_seen_at = sqlite3_column_int64(st, 4);
        read_user(st, 5, &out->user);
    } else if (r != SQLITE_ROW && r != SQLITE_DONE) {
        rc = fow_db_error(db, err, "checking a session");
    }
    sqlite3_finalize(st);
    if (rc) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    if (!found) {
        set_status(status, FOW_AUTH_BAD_CREDENTIALS);
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "session", "not logged in (no such session)");
    }
    if (now >= out->expires_at) {
        char when[32];
        fow_accounts_format_time(out->expires_at, when, sizeof when);
        memset(out, 0, sizeof *out);
        if ((rc = fow_db_prepare(db, "DELETE FROM sessions WHERE id = ?1", &st, err))) return rc;
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        if ((rc = step_done(db, st, "deleting an expired session", err))) return rc;
        set_status(status, FOW_AUTH_EXPIRED);
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "session", "the session expired at %s; log in again",
                                when);
    }
    if (now - out->last_seen_at >= FOW_SEEN_INTERVAL) {
        if ((rc = fow_db_prepare(db, "UPDATE sessions SET last_seen_at = ?1 WHERE id = ?2", &st, err))) goto fail;
        sqlite3_bind_int64(st, 1, now);
        sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
        if ((rc = step_done(db, st, "recording a session's use", err))) goto fail;
        out->last_seen_at = now;
    }
    set_status(status, FOW_AUTH_OK);
    return FOW_OK;
fail:
    memset(out, 0, sizeof *out);
    return rc;
}

fow_code fow_accounts_logout(fow_db *db, const char *token, fow_error *err) {
    fow_code rc = fow_accounts_init(err);
    if (rc) return rc;
    if (!well_formed_session_token(token)) return FOW_OK;
    char id[HASH_HEX];
    token_hash(token, id);
    sqlite3_stmt *st;
    if ((rc = fow_db_prepare(db, "DELETE FROM sessions WHERE id = ?1", &st, err))) return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return step_done(db, st, "logging out", err);
}

/* ---- API tokens --------------------------------------------------------------- */

#define TOKEN_COLUMNS                                                                                     \
    "t.id, t.user_id, t.name, t.scope, t.created_at, t.expires_at, coalesce(t.last_used_at, 0), t.revoked,"  \
    " coalesce(t.revoked_at, 0)"
#define TOKEN_NCOLS 9

/* Reads TOKEN_COLUMNS starting at column first. */
static void read_token(sqlite3_stmt *st, int first, fow_api_token *t) {
    memset(t, 0, sizeof *t);
    t->id = sqlite3_column_int64(st, first);
    t->user_id = sqlite3_column_int64(st, first + 1);
    copy_column(st, first + 2, t->name, sizeof t->name);
    copy_column(st, first + 3, t->scope_name, sizeof t->scope_name);
    t->scope = fow_role_parse(t->scope_name);
    t->created_at = sqlite3_column_int64(st, first + 4);
    t->expires_at = sqlite3_column_int64(st, first + 5);
    t->last_used_at = sqlite3_column_int64(st, first + 6);
    t->revoked = sqlite3_column_int(st, first + 7) != 0;
    t->revoked_at = sqlite3_column_int64(st, first + 8);
}

/* Checks spec against the user's role; the scope and the life in days to
 * *scope and *days. */
static fow_code check_token_spec(const fow_token_spec *spec, const fow_user *u, fow_role *scope, long long *days,
                                 fow_error *err) {
    long long max_days = spec->max_days ? spec->max_days : FOW_TOKEN_MAX_DAYS;
    if (max_days < 1 || max_days > FOW_TOKEN_LIMIT_DAYS)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "max_days",
                                "the longest life of an API token must be 1 to %d days, not %lld",
                                FOW_TOKEN_LIMIT_DAYS, max_days);
    *days = spec->days ? spec->days : (FOW_TOKEN_DEFAULT_DAYS < max_days ? FOW_TOKEN_DEFAULT_DAYS : max_days);
    if (*days < 1 || *days > max_days)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "days",
                                "an API token lives 1 to %lld days here, not %lld", max_days, *days);
    if (!spec->scope) {
        *scope = u->role;
        if (*scope == FOW_ROLE_NONE)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "scope",
                                    "the user's role '%s' is unknown to this fow: name a scope", u->role_name);
        return FOW_OK;
    }
    *scope = fow_role_parse(spec->scope);
    if (*scope == FOW_ROLE_NONE)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "scope",
                                "unknown scope '%s': use a role (admin, analyst, counsellor, programme_manager, provider, person, juror, voucher_office, lab_manager, lab_staff or teacher)", spec->scope);
    if (!fow_role_within(*scope, u->role))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "scope",
                                "the scope '%s' is wider than the role of %s (%s)", spec->scope, u->name,
                                u->role_name);
    return FOW_OK;
}

fow_code fow_accounts_token_create(fow_db *db, long long user_id, const fow_token_spec *spec, long long now,
                                   char token[FOW_API_TOKEN_CHARS + 1], fow_api_token *info, fow_error *err) {
    token[0] = '\0';
    if (info) memset(info, 0, sizeof *info);
    fow_code rc = fow_accounts_init(err);
    if (rc) return rc;
    const char *name = spec->name ? spec->name : "";
    if ((rc = check_text(name, FOW_TOKEN_LABEL_MAX, false, "name", "the token name", err))) return rc;
    sqlite3_stmt *st;
    if ((rc = fow_db_prepare(db, "SELECT " USER_COLUMNS " FROM users u WHERE u.id = ?1", &st, err))) return rc;
    sqlite3_bind_int64(st, 1, user_id);
    fow_user u;
    bool found = false;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        read_user(st, 0, &u);
        found = true;
    } else if (r != SQLITE_DONE) {
        rc = fow_db_error(db, err, "reading a user");
    }
    sqlite3_finalize(st);
    if (rc) return rc;
    if (!found) return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "user", "no user with id %lld", user_id);
    fow_role scope = FOW_ROLE_NONE;
    long long days = 0;
    if ((rc = check_token_spec(spec, &u, &scope, &days, err))) return rc;

    char secret[FOW_TOKEN_CHARS + 1];
    random_token(secret);
    snprintf(token, FOW_API_TOKEN_CHARS + 1, "%s%s", FOW_API_TOKEN_PREFIX, secret);
    sodium_memzero(secret, sizeof secret);
    char hash[HASH_HEX];
    token_hash(token, hash);
    long long new_id = 0;
    rc = fow_db_prepare(db,
                        "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at, scope)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, user_id);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, now);
        sqlite3_bind_int64(st, 5, now + days * 86400);
        sqlite3_bind_text(st, 6, fow_role_name(scope), -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_DONE) {
            new_id = fow_db_last_insert_id(db);
        } else {
            if (sqlite3_extended_errcode(db->sql) == SQLITE_CONSTRAINT_UNIQUE)
                rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "name",
                                      "the user already has a token named '%s'; revoke it or choose another name", name);
            else
                rc = fow_db_error(db, err, "storing an API token");
        }
        sqlite3_finalize(st);
    }
    if (rc) {
        sodium_memzero(token, FOW_API_TOKEN_CHARS + 1);
        return rc;
    }
    if (info) {
        info->id = new_id;
        info->user_id = user_id;
        snprintf(info->name, sizeof info->name, "%s", name);
        info->scope = scope;
        snprintf(info->scope_name, sizeof info->scope_name, "%s", fow_role_name(scope));
        info->created_at = now;
        info->expires_at = now + days * 86400;
    }
    return FOW_OK;
}

/* The role a token of scope acts with for a user of role. */
static fow_role acting_role(fow_role scope, fow_role role) {
    if (fow_role_within(scope, role)) return scope;
    if (fow_role_within(role, scope)) return role;
    return FOW_ROLE_NONE;
}

fow_code fow_accounts_token_check(fow_db *db, const char *token, long long now, fow_user *user,
                                  fow_api_token *info, fow_auth_status *status, fow_error *err) {
    memset(user, 0, sizeof *user);
    if (info) memset(info, 0, sizeof *info);
    set_status(status, FOW_AUTH_ERROR);
    fow_code rc = fow_accounts_init(err);
    if (rc) return rc;
    if (!well_formed_api_token(token)) {
        set_status(status, FOW_AUTH_BAD_CREDENTIALS);
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "token", "unknown API token");
    }
    char hash[HASH_HEX];
    token_hash(token, hash);
    sqlite3_stmt *st;
    rc = fow_db_prepare(db,
                        "SELECT t.token_hash, t.last_used_at IS NULL, " TOKEN_COLUMNS ", " USER_COLUMNS
                        " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1",
                        &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    bool found = false, never_used = false;
    fow_api_token t;
    memset(&t, 0, sizeof t);
    if (r == SQLITE_ROW && hash_equal(sqlite3_column_text(st, 0), sqlite3_column_bytes(st, 0), hash)) {
        found = true;
        never_used = sqlite3_column_int(st, 1) != 0;
        read_token(st, 2, &t);
        read_user(st, 2 + TOKEN_NCOLS, user);
    } else if (r != SQLITE_ROW && r != SQLITE_DONE) {
        rc = fow_db_error(db, err, "checking an API token");
    }
    sqlite3_finalize(st);
    if (rc) {
        memset(user, 0, sizeof *user);
        return rc;
    }
    if (!found) {
        set_status(status, FOW_AUTH_BAD_CREDENTIALS);
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "token", "unknown API token");
    }
    if (t.revoked) {
        memset(user, 0, sizeof *user);
        set_status(status, FOW_AUTH_REVOKED);
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "token", "the API token was revoked");
    }
    if (now >= t.expires_at) {
        memset(user, 0, sizeof *user);
        char when[32];
        set_status(status, FOW_AUTH_EXPIRED);
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "token", "the API token expired at %s",
                                fow_accounts_format_time(t.expires_at, when, sizeof when));
    }
    if (never_used || now - t.last_used_at >= FOW_SEEN_INTERVAL) {
        rc = fow_db_prepare(db, "UPDATE api_tokens SET last_used_at = ?1 WHERE id = ?2", &st, err);
        if (!rc) {
            sqlite3_bind_int64(st, 1, now);
            sqlite3_bind_int64(st, 2, t.id);
            rc = step_done(db, st, "recording an API token's use", err);
        }
        if (rc) {
            memset(user, 0, sizeof *user);
            return rc;
        }
        t.last_used_at = now;
    }
    user->role = acting_role(t.scope, user->role);
    snprintf(user->role_name, sizeof user->role_name, "%s", fow_role_name(user->role));
    if (info) *info = t;
    set_status(status, FOW_AUTH_OK);
    return FOW_OK;
}

fow_code fow_accounts_token_list(fow_db *db, long long user_id, fow_api_token **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    fow_code rc =
        fow_db_prepare(db, "SELECT " TOKEN_COLUMNS " FROM api_tokens t WHERE t.user_id = ?1 ORDER BY t.id", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, user_id);
    fow_api_token *tokens = NULL;
    size_t count = 0, cap = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            fow_api_token *grown = realloc(tokens, ncap * sizeof *grown);
            if (!grown) {
                rc = fow_error_set(err, FOW_ENOMEM, "out of memory listing API tokens");
                break;
            }
            tokens = grown;
            cap = ncap;
        }
        read_token(st, 0, &tokens[count++]);
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "listing API tokens");
    sqlite3_finalize(st);
    if (rc) {
        free(tokens);
        return rc;
    }
    *out = tokens;
    *n = count;
    return FOW_OK;
}

fow_code fow_accounts_token_revoke(fow_db *db, long long user_id, long long token_id, long long now,
                                   fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "UPDATE api_tokens SET revoked = 1, revoked_at = ?1"
                                 " WHERE id = ?2 AND user_id = ?3 AND revoked = 0",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, token_id);
    sqlite3_bind_int64(st, 3, user_id);
    if ((rc = step_done(db, st, "revoking an API token", err))) return rc;
    if (fow_db_changes(db)) return FOW_OK;
    long long exists = 0;
    if ((rc = fow_db_prepare(db, "SELECT count(*) FROM api_tokens WHERE id = ?1 AND user_id = ?2", &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, token_id);
    sqlite3_bind_int64(st, 2, user_id);
    if (sqlite3_step(st) == SQLITE_ROW) exists = sqlite3_column_int64(st, 0);
    else rc = fow_db_error(db, err, "reading an API token");
    sqlite3_finalize(st);
    if (rc) return rc;
    if (!exists)
        return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "token", "the user has no API token with id %lld",
                                token_id);
    return FOW_OK;
}
