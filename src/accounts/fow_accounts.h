/* fow_accounts.h — users, roles, sessions and API tokens for `fow serve`.
 *
 * Secrets are never stored. A password is kept as a libsodium
 * crypto_pwhash_str string (argon2id, OPSLIMIT/MEMLIMIT_INTERACTIVE); a
 * session token or an API token (32 random bytes, base64url) is returned
 * once, when it is made, and only its BLAKE2b-256 hash is stored. Secrets
 * are compared in constant time (sodium_memcmp, crypto_pwhash_str_verify).
 *
 * Brute force: 5 failed logins in a row lock an account for 15 minutes;
 * while it is locked no password is even checked. A successful login resets
 * the count. A session lasts 12 hours from login; it carries a CSRF token
 * (32 random bytes, base64url) that the front end sends with every request
 * that changes something.
 *
 * Time: every function for which time matters takes `now`, in unix seconds
 * (UTC): pass time(NULL); tests pass any value to simulate expiry and lockout.
 *
 * Errors: bad input fails with FOW_EINPUT and err->field naming what is
 * wrong ("name", "role", "password", "display_name", "session", "token");
 * an unknown user with FOW_ENOTFOUND (field "name"). Authentication failures
 * (login, session and token checks) are FOW_EINPUT too, and say why in a
 * fow_auth_status, so a front end can tell "expired" from "unknown".
 *
 * Threads: the functions keep no state of their own apart from the hash
 * strength (set once at start). A fow_db connection is used by one thread
 * at a time. Every function that writes runs in its own transaction (or one
 * statement): do not call it inside a transaction of yours.
 */
#ifndef FOW_ACCOUNTS_H
#define FOW_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/fow_error.h"
#include "store/fow_db.h"

#define FOW_USER_NAME_MAX 64        /* bytes: letters, digits, '.', '_', '-' */
#define FOW_DISPLAY_NAME_MAX 128    /* bytes of UTF-8, no control characters */
#define FOW_ROLE_NAME_MAX 32        /* bytes */
#define FOW_PASSWORD_MIN 8          /* bytes */
#define FOW_PASSWORD_MAX 1024       /* bytes */
#define FOW_LOGIN_MAX_FAILURES 5    /* failed logins in a row that lock an account */
#define FOW_LOCKOUT_SECONDS 900     /* how long: 15 minutes */
#define FOW_SESSION_SECONDS 43200   /* a session lasts 12 hours from login */
#define FOW_SEEN_INTERVAL 60        /* last_seen_at / last_used_at are written at most once a minute */
#define FOW_TOKEN_CHARS 43          /* a session or CSRF token: base64url of 32 bytes, no padding */
#define FOW_API_TOKEN_PREFIX "fow_"
#define FOW_API_TOKEN_CHARS 47      /* "fow_" and 43 base64url characters */
#define FOW_TOKEN_LABEL_MAX 64      /* bytes of an API token's name */

/* ---- roles and permissions ------------------------------------------------ */

/* The roles this build knows. FOW_ROLE_NONE is "no role" (also a role a
 * newer fow added to the roles table that this build does not know): it is
 * allowed nothing. */
typedef enum fow_role {
    FOW_ROLE_NONE = 0,
    FOW_ROLE_ADMIN,      /* everything */
    FOW_ROLE_ANALYST,    /* reads personal data; imports employment data */
    FOW_ROLE_COUNSELLOR  /* reads personal data */
} fow_role;

/* What a request may need. A permission added later goes at the end. */
typedef enum fow_permission {
    FOW_PERM_READ_PERSONAL = 0, /* see data about people (workers, clients) */
    FOW_PERM_IMPORT,            /* import the taxonomy and reference data sets */
    FOW_PERM_MANAGE_USERS,      /* add, change and remove accounts */
    FOW_PERM_IMPORT_EMPLOYMENT  /* import an area's employment counts (the observatory) */
} fow_permission;

/* The role named text ("admin", "analyst", "counsellor"; exact, lower
 * case), or FOW_ROLE_NONE for NULL or anything else. Can't fail. */
fow_role fow_role_parse(const char *text);

/* The name of role ("admin", ...), or "none" for FOW_ROLE_NONE and values
 * out of range. Never NULL; a static string. */
const char *fow_role_name(fow_role role);

/* true when role may do perm: admin everything; analyst
 * FOW_PERM_READ_PERSONAL and FOW_PERM_IMPORT_EMPLOYMENT; counsellor
 * FOW_PERM_READ_PERSONAL only; FOW_ROLE_NONE nothing. Unknown values of
 * either argument: false. */
bool fow_role_allows(fow_role role, fow_permission perm);

/* ---- setup ------------------------------------------------------------------ */

/* Initialises libsodium. Safe to call any number of times and from any
 * thread; every function below calls it itself, so calling it first only
 * moves the cost (and the failure, FOW_EINTERNAL) to start-up. */
fow_code fow_accounts_init(fow_error *err);

typedef enum fow_hash_strength {
    FOW_HASH_INTERACTIVE = 0, /* the default: crypto_pwhash OPSLIMIT/MEMLIMIT_INTERACTIVE (64 MiB) */
    FOW_HASH_MIN              /* OPSLIMIT/MEMLIMIT_MIN: for tests only, never for real passwords */
} fow_hash_strength;

/* Sets the cost of the password hashes made from now on, process-wide.
 * Call it before starting threads. Verifying reads the cost from the hash,
 * so hashes made at either strength keep working. A successful login
 * re-hashes a password whose hash does not use the current parameters, but
 * only while the strength is FOW_HASH_INTERACTIVE (never towards MIN). */
void fow_accounts_set_hash_strength(fow_hash_strength strength);

/* ---- users ------------------------------------------------------------------ */

typedef struct fow_user {
    long long id;
    char name[FOW_USER_NAME_MAX + 1];
    char display_name[FOW_DISPLAY_NAME_MAX + 1]; /* "" when none was given */
    fow_role role;                               /* FOW_ROLE_NONE for a role this build does not know */
    char role_name[FOW_ROLE_NAME_MAX + 1];       /* as stored */
    long long created_at;
    long long password_changed_at;
    long long last_login_at;                     /* 0: never */
    long long failed_logins;                     /* failed logins in a row since the last success or lock */
    long long locked_until;                      /* locked while now < locked_until; 0: never locked */
} fow_user;

/* FOW_OK when name is a valid user name: 1..64 bytes of ASCII letters,
 * digits, '.', '_' and '-', starting with a letter or digit. Else
 * FOW_EINPUT, field "name", saying what is wrong. */
fow_code fow_accounts_check_name(const char *name, fow_error *err);

/* FOW_OK when password is acceptable: 8..1024 bytes and not the user name
 * (user_name may be NULL; compared ignoring ASCII case). Else FOW_EINPUT,
 * field "password". */
fow_code fow_accounts_check_password(const char *password, const char *user_name, fow_error *err);

/* Adds a user. name: fow_accounts_check_name (unique, ignoring case);
 * display_name: NULL or up to 128 bytes of UTF-8 without control
 * characters (field "display_name"); role: "admin", "analyst" or
 * "counsellor" (field "role"); password: fow_accounts_check_password.
 * The password is hashed (slow on purpose: ~0.1 s, 64 MiB). An existing
 * name fails with FOW_EINPUT, field "name". On success fills *out when it
 * is not NULL. */
fow_code fow_accounts_user_add(fow_db *db, const char *name, const char *display_name, const char *role,
                               const char *password, long long now, fow_user *out, fow_error *err);

/* The user named name (ignoring case) into *out. FOW_ENOTFOUND (field
 * "name") when there is none; a malformed name is not found either. */
fow_code fow_accounts_user_get(fow_db *db, const char *name, fow_user *out, fow_error *err);

/* Every user, ordered by name, in a malloc'd array (*out, free() it; NULL
 * when there are none) of *n. */
fow_code fow_accounts_user_list(fow_db *db, fow_user **out, size_t *n, fow_error *err);

/* Replaces the password of user name (checked as for user_add), clears a
 * lockout and the count of failed logins, and ends every session of the
 * user (they log in again). API tokens stay valid. FOW_ENOTFOUND (field
 * "name") for an unknown user. */
fow_code fow_accounts_user_set_password(fow_db *db, const char *name, const char *password, long long now,
                                        fow_error *err);

/* Removes user name with their sessions and API tokens. FOW_ENOTFOUND
 * (field "name") for an unknown user. */
fow_code fow_accounts_user_remove(fow_db *db, const char *name, fow_error *err);

/* ---- authentication --------------------------------------------------------- */

/* Why an authentication succeeded or failed. Set by login, session_check
 * and token_check on every return. */
typedef enum fow_auth_status {
    FOW_AUTH_OK = 0,
    FOW_AUTH_BAD_CREDENTIALS, /* unknown user or wrong password; unknown or malformed token or session */
    FOW_AUTH_LOCKED,          /* login refused: too many failures; user.locked_until says until when */
    FOW_AUTH_EXPIRED,         /* the session existed but has expired (it is deleted now) */
    FOW_AUTH_REVOKED,         /* the API token was revoked */
    FOW_AUTH_ERROR            /* not about credentials: the database or memory failed (see the fow_code) */
} fow_auth_status;

/* A short stable name for status ("ok", "bad-credentials", "locked",
 * "expired", "revoked", "error"). Never NULL. */
const char *fow_auth_status_name(fow_auth_status status);

typedef struct fow_session {
    fow_user user;                      /* whose session it is */
    char token[FOW_TOKEN_CHARS + 1];    /* login only: the session token, given out once (cookie); else "" */
    char csrf[FOW_TOKEN_CHARS + 1];     /* the session's CSRF token */
    long long created_at;
    long long expires_at;               /* valid while now < expires_at */
    long long last_seen_at;
} fow_session;

/* Logs user name in with password at time now.
 * Success: FOW_OK, *status FOW_AUTH_OK, *out a new session (out->token is
 * the only copy of the session token); the count of failures is reset and
 * expired sessions of all users are deleted.
 * Failure (FOW_EINPUT, *out zeroed except as said):
 *   FOW_AUTH_BAD_CREDENTIALS, field "password": unknown user or wrong
 *     password (the same message for both; an unknown user costs the same
 *     time as a wrong password). A wrong password counts a failure; the
 *     5th in a row locks the account for 15 minutes and returns
 *   FOW_AUTH_LOCKED, field "name": the account is locked; the message says
 *     until when (UTC) and out->user.locked_until holds it. While locked,
 *     the password is not checked at all and the lock is not extended.
 * FOW_EDB / FOW_ENOMEM with FOW_AUTH_ERROR otherwise. status may be NULL. */
fow_code fow_accounts_login(fow_db *db, const char *name, const char *password, long long now, fow_session *out,
                            fow_auth_status *status, fow_error *err);

/* Checks the session token (from the cookie) at time now.
 * Success: FOW_OK, FOW_AUTH_OK, *out filled with the user (read now, so a
 * changed role counts at once), the CSRF token and the times (out->token
 * is ""); last_seen_at is written when it is at least a minute old.
 * Failure (FOW_EINPUT, field "session", *out zeroed): FOW_AUTH_BAD_CREDENTIALS
 * for an unknown or malformed token (NULL too), FOW_AUTH_EXPIRED for a
 * session whose 12 hours are over (deleted, so asking again gives
 * FOW_AUTH_BAD_CREDENTIALS). status may be NULL. */
fow_code fow_accounts_session_check(fow_db *db, const char *token, long long now, fow_session *out,
                                    fow_auth_status *status, fow_error *err);

/* true when given (from a request header or form field) equals the
 * session's CSRF token expected: compared in constant time; false when
 * either is NULL or the lengths differ. Can't fail. */
bool fow_accounts_csrf_equal(const char *expected, const char *given);

/* Ends the session of token (deletes it). FOW_OK also when there is no such
 * session or the token is malformed (logging out twice is fine). */
fow_code fow_accounts_logout(fow_db *db, const char *token, fow_error *err);

/* Deletes every session expired at now; how many into *removed (may be
 * NULL). login does it too; a server may also call it now and then. */
fow_code fow_accounts_sessions_purge(fow_db *db, long long now, long long *removed, fow_error *err);

/* ---- API tokens ------------------------------------------------------------- */

typedef struct fow_api_token {
    long long id;
    long long user_id;
    char name[FOW_TOKEN_LABEL_MAX + 1];
    long long created_at;
    long long last_used_at; /* 0: never */
    bool revoked;
    long long revoked_at;   /* 0 unless revoked */
} fow_api_token;

/* Makes an API token named name (1..64 bytes of UTF-8 without control
 * characters, field "name"; unique among the user's tokens that are not
 * revoked) for user user_id. The token ("fow_" and 43 base64url
 * characters, NUL-terminated) goes to token — the only copy: show it once;
 * its id to *token_id (may be NULL). FOW_ENOTFOUND (field "user") for an
 * unknown user. */
fow_code fow_accounts_token_create(fow_db *db, long long user_id, const char *name, long long now,
                                   char token[FOW_API_TOKEN_CHARS + 1], long long *token_id, fow_error *err);

/* Checks an API token (e.g. from "Authorization: Bearer fow_...") at time
 * now. Success: FOW_OK, FOW_AUTH_OK, the token's user into *user;
 * last_used_at is written when it is at least a minute old. Failure
 * (FOW_EINPUT, field "token", *user zeroed): FOW_AUTH_BAD_CREDENTIALS for
 * an unknown or malformed token, FOW_AUTH_REVOKED for a revoked one.
 * token_id receives the token's id on success (may be NULL). status may be
 * NULL. */
fow_code fow_accounts_token_check(fow_db *db, const char *token, long long now, fow_user *user,
                                  long long *token_id, fow_auth_status *status, fow_error *err);

/* The API tokens of user user_id (revoked ones too), oldest first, in a
 * malloc'd array (*out, free() it; NULL when none) of *n. An unknown user
 * simply has none. */
fow_code fow_accounts_token_list(fow_db *db, long long user_id, fow_api_token **out, size_t *n, fow_error *err);

/* Revokes token token_id of user user_id at time now. Revoking a revoked
 * token again is FOW_OK (its revoked_at stays); FOW_ENOTFOUND (field
 * "token") when the user has no token with that id. */
fow_code fow_accounts_token_revoke(fow_db *db, long long user_id, long long token_id, long long now,
                                   fow_error *err);

/* ---- helpers ---------------------------------------------------------------- */

/* Writes t (unix seconds) as "YYYY-MM-DDTHH:MM:SSZ" into buf (size n >= 21).
 * Returns buf. Can't fail (prints "?" for times gmtime can't convert). */
char *fow_accounts_format_time(long long t, char *buf, size_t n);

#endif
