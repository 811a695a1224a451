/* fow_accounts.h — users, roles, sessions and API tokens for `fow serve`.
 *
 * Secrets are never stored. A password is kept as a libsodium
 * crypto_pwhash_str string (argon2id, OPSLIMIT/MEMLIMIT_INTERACTIVE); a
 * session token or an API token (32 random bytes, base64url) is returned
 * once, when it is made, and only its BLAKE2b-256 hash is stored. Secrets
 * are compared in constant time (sodium_memcmp, crypto_pwhash_str_verify).
 *
 * Brute force: no account is ever locked (a stranger could lock its owner
 * out). login takes a fow_login_throttle (fow_login_throttle.h) that delays
 * repeated failures per (name, address) and per address, the same way for
 * names that exist and names that do not. A session lasts 12 hours from
 * login; it carries a CSRF token (32 random bytes, base64url) that the front
 * end sends with every request that changes something.
 *
 * API tokens have a name, an expiry (FOW_TOKEN_DEFAULT_DAYS unless asked,
 * never more than a maximum of at most FOW_TOKEN_LIMIT_DAYS) and a scope: a
 * role no wider than the creator's. A token acts with the narrower of its
 * scope and its user's current role. Tokens are listed without their
 * secrets, revoked one by one, and all revoked when the password changes.
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

#include "accounts/fow_login_throttle.h"
#include "base/fow_error.h"
#include "store/fow_db.h"

#define FOW_USER_NAME_MAX 64        /* bytes: letters, digits, '.', '_', '-' */
#define FOW_DISPLAY_NAME_MAX 128    /* bytes of UTF-8, no control characters */
#define FOW_ROLE_NAME_MAX 32        /* bytes */
#define FOW_USER_PERSON_MAX 31      /* bytes of a linked person's id (src/people ids are 27) */
#define FOW_ORGANISATION_MAX 64     /* bytes of a user's organisation (the people they may see) */
#define FOW_PASSWORD_MIN 8          /* bytes */
#define FOW_PASSWORD_MAX 1024       /* bytes */
#define FOW_SESSION_SECONDS 43200   /* a session lasts 12 hours from login */
#define FOW_SEEN_INTERVAL 60        /* last_seen_at / last_used_at are written at most once a minute */
#define FOW_TOKEN_CHARS 43          /* a session or CSRF token: base64url of 32 bytes, no padding */
#define FOW_API_TOKEN_PREFIX "fow_"
#define FOW_API_TOKEN_CHARS 47      /* "fow_" and 43 base64url characters */
#define FOW_TOKEN_LABEL_MAX 64      /* bytes of an API token's name */
#define FOW_TOKEN_DEFAULT_DAYS 90   /* an API token's life when none is asked for */
#define FOW_TOKEN_MAX_DAYS 365      /* the default longest life of an API token */
#define FOW_TOKEN_LIMIT_DAYS 3650   /* no maximum may exceed this */

/* ---- roles and permissions ------------------------------------------------ */

/* The roles this build knows. FOW_ROLE_NONE is "no role" (also a role a
 * newer fow added to the roles table that this build does not know): it is
 * allowed nothing. */
typedef enum fow_role {
    FOW_ROLE_NONE = 0,
    FOW_ROLE_ADMIN,      /* everything */
    FOW_ROLE_ANALYST,    /* reads personal data; imports employment data */
    FOW_ROLE_COUNSELLOR, /* reads personal data; manages the people of their organisation (src/people) */
    FOW_ROLE_PROGRAMME_MANAGER, /* approves modules (and cohorts); reads the programme's aggregates, no personal record */
    FOW_ROLE_PROVIDER,   /* a training provider's staff: manages the modules of its one provider (user.provider_id) */
    FOW_ROLE_PERSON,     /* a person served by the programme: sees only their own record (user.person_id) */
    FOW_ROLE_JUROR,      /* scores the applications of the voucher calls whose jury they sit on (src/vouchers) */
    FOW_ROLE_VOUCHER_OFFICE, /* the voucher office: funds, lines, vouchers, claims, payments (src/vouchers) */
    FOW_ROLE_LAB_MANAGER, /* the CREIC labs: resources, hours, closures, prices, requirements, usage (src/labs) */
    FOW_ROLE_LAB_STAFF,   /* a lab's staff: the day's bookings, check-in and check-out, inductions (src/labs) */
    FOW_ROLE_TEACHER      /* a school's or university's teacher: group bookings and weekly series (src/labs) */
} fow_role;

/* The last role this build knows (for loops over roles). */
#define FOW_ROLE_LAST FOW_ROLE_TEACHER

/* What a request may need. A permission added later goes at the end. */
typedef enum fow_permission {
    FOW_PERM_READ_PERSONAL = 0, /* see data about people (workers, clients) */
    FOW_PERM_IMPORT,            /* import the taxonomy and reference data sets */
    FOW_PERM_MANAGE_USERS,      /* add, change and remove accounts */
    FOW_PERM_IMPORT_EMPLOYMENT, /* import an area's employment counts (the observatory) */
    FOW_PERM_MANAGE_PEOPLE,     /* add, read, change and erase people records (src/people): admin, counsellor */
    FOW_PERM_MANAGE_MODULES,    /* write modules of the learning catalogue: admin (any provider), provider (its own) */
    FOW_PERM_APPROVE_MODULES,   /* approve or reject submitted modules (and cohorts): admin, programme manager */
    FOW_PERM_READ_PROGRAMME,    /* the programme's aggregates (indicators, counts, never a record): admin, analyst,
                                   programme manager */
    FOW_PERM_READ_OWN_RECORD,   /* one's own people record, skills, plan and credentials: person */
 FOW_PERM_MANAGE_CALLS,      /* voucher calls: add them, their rules and jury; decide awards: admin, programme
                                   manager (src/vouchers/fow_calls.h) */
    FOW_PERM_SCORE_APPLICATIONS, /* score the applications of the calls whose jury one sits on: juror */
    FOW_PERM_RUN_COHORTS,       /* add cohorts, change their status, see who is enrolled, record attendance and
                                   completions: admin, counsellor (every cohort), provider (its modules' cohorts:
                                   fow_cohort_authorise) */
    FOW_PERM_REVOKE_CREDENTIALS, /* revoke a credential: admin and programme manager any, counsellor their
                                   organisation's people's, provider its own modules' (fow_credential_revoke) */
    FOW_PERM_MANAGE_VOUCHERS,   /* the voucher office's work: funds, budget lines, issuing, cancelling and
                                   expiring vouchers, refunds, claims and payment batches: admin, voucher
                                   office (src/vouchers/fow_vouchers.h) */
    FOW_PERM_MANAGE_LABS,       /* the labs' catalogue (resources, hours, closures, maintenance, prices, what
                                   unlocks a machine), every booking, usage reports: admin, lab manager (src/labs) */
    FOW_PERM_STAFF_LABS,        /* the day's bookings, check-in, check-out, no-shows, in-lab inductions: admin, lab
                                   manager, lab staff (src/labs) */
    FOW_PERM_BOOK_GROUPS        /* group bookings of spaces and weekly series: admin, lab manager, teacher
                                   (src/labs) */
} fow_permission;

/* The last permission this build knows (for loops over permissions). */
#define FOW_PERM_LAST FOW_PERM_BOOK_GROUPS

/* The role named text ("admin", "analyst", "counsellor",
 * "programme_manager", "provider", "person", "juror", "voucher_office", "lab_manager", "lab_staff", "teacher"; exact,
 * lower case), or
 * FOW_ROLE_NONE for NULL or anything else. Can't fail. */
fow_role fow_role_parse(const char *text);

/* The name of role ("admin", ...), or "none" for FOW_ROLE_NONE and values
 * out of range. Never NULL; a static string. */
const char *fow_role_name(fow_role role);

/* The name of permission perm ("read_personal", "import", "manage_users",
 * "import_employment", "manage_people", "manage_modules",
 * "approve_modules", "read_programme", "read_own_record", "manage_calls",
 * "score_applications", "run_cohorts", "revoke_credentials",
 * "manage_vouchers", "manage_labs", "staff_labs", "book_groups"), or "none" for a
 * value out of range. Never NULL; a static string. */
const char *fow_permission_name(fow_permission perm);

/* true when role may do perm. The one table of who may do what
 * (docs/roles.md shows it):
 *   admin              everything (MANAGE_VOUCHERS and the labs' too) but READ_OWN_RECORD (an admin has no record of their own) and
 *                      SCORE_APPLICATIONS (only jurors score);
 *   analyst            READ_PERSONAL, IMPORT_EMPLOYMENT, READ_PROGRAMME;
 *   counsellor         READ_PERSONAL, MANAGE_PEOPLE (their organisation's people: fow_access_person),
 *                      RUN_COHORTS, REVOKE_CREDENTIALS;
 *   programme_manager  APPROVE_MODULES, READ_PROGRAMME, MANAGE_CALLS, REVOKE_CREDENTIALS;
 *   provider           MANAGE_MODULES, RUN_COHORTS, REVOKE_CREDENTIALS (their provider's modules, cohorts and
 *                      credentials: fow_access_provider);
 *   person             READ_OWN_RECORD (themselves: fow_access_person);
 *   juror              SCORE_APPLICATIONS (the calls whose jury they sit on: fow_calls.h);
 *   voucher_office     MANAGE_VOUCHERS, READ_PROGRAMME (no personal record: persons only as the
 *                      pseudonymous ids on vouchers and claims);
 *   lab_manager        MANAGE_LABS, STAFF_LABS, BOOK_GROUPS (src/labs);
 *   lab_staff          STAFF_LABS;
 *   teacher            BOOK_GROUPS;
 *   FOW_ROLE_NONE      nothing.
 * Unknown values of either argument: false. A permission says which routes
 * a role may call; the fow_access_ functions below say which rows. */
bool fow_role_allows(fow_role role, fow_permission perm);

/* true when narrower may do nothing that wider may not (every permission of
 * narrower is one of wider). FOW_ROLE_NONE is within every role. */
bool fow_role_within(fow_role narrower, fow_role wider);

/* Which rows a user may reach, beyond the permission of the route: the one
 * place where fow decides it, for every subject (people, the catalogue,
 * cohorts, credentials, plans). Each takes the acting user's role and links
 * (fow_user fields) and the row's owner; none can fail. */

/* true when a user of role, linked to the training provider user_provider
 * (0: none), may manage what belongs to provider (a module, a cohort): an
 * admin always; a provider only when user_provider is provider (and not
 * 0); everyone else never. */
bool fow_access_provider(fow_role role, long long user_provider, long long provider);

/* true when a user of role may see every organisation's people (and the
 * audit log): an admin only. */
bool fow_access_all_organisations(fow_role role);

/* true when a user of role, with organisation user_organisation ("" or
 * NULL: none) and linked to the person user_person ("" or NULL: none), may
 * see the person person_id of organisation person_organisation: an admin
 * always; a counsellor when both organisations are equal and not empty; a
 * person only themselves (user_person equal to person_id); else never. */
bool fow_access_person(fow_role role, const char *user_organisation, const char *user_person, const char *person_id,
                       const char *person_organisation);

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
    char organisation[FOW_ORGANISATION_MAX + 1]; /* the organisation whose people a counsellor sees; "" none */
    long long provider_id;                       /* role provider: its training provider (training_providers.id); else 0 */
    char person_id[FOW_USER_PERSON_MAX + 1];     /* role person: their people record's id; else "" */
} fow_user;

/* What an account is linked to (fow_accounts_user_add_linked). A provider
 * account needs provider_id, a person account person_id, and no other role
 * takes either. */
typedef struct fow_user_links {
    long long provider_id;  /* a training provider's id; 0: none */
    const char *person_id;  /* a people record's id ('p' and 26 base32 characters); NULL or "": none */
} fow_user_links;

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
 * characters (field "display_name"); role: a role of fow_role_parse other
 * than provider and person, which need links (field "role"); password:
 * fow_accounts_check_password. The password is hashed (slow on purpose:
 * ~0.1 s, 64 MiB). An existing name fails with FOW_EINPUT, field "name". On
 * success fills *out when it is not NULL. */
fow_code fow_accounts_user_add(fow_db *db, const char *name, const char *display_name, const char *role,
                               const char *password, long long now, fow_user *out, fow_error *err);

/* As fow_accounts_user_add, with the account's links (NULL: none): role
 * "provider" needs links->provider_id (field "provider"), role "person"
 * links->person_id (field "person"), and other roles take neither (field
 * "provider" or "person"). A provider or person that is not in the
 * database fails with FOW_ENOTFOUND and that field. */
fow_code fow_accounts_user_add_linked(fow_db *db, const char *name, const char *display_name, const char *role,
                                      const fow_user_links *links, const char *password, long long now, fow_user *out,
                                      fow_error *err);

/* The user named name (ignoring case) into *out. FOW_ENOTFOUND (field
 * "name") when there is none; a malformed name is not found either. */
fow_code fow_accounts_user_get(fow_db *db, const char *name, fow_user *out, fow_error *err);

/* Every user, ordered by name, in a malloc'd array (*out, free() it; NULL
 * when there are none) of *n. */
fow_code fow_accounts_user_list(fow_db *db, fow_user **out, size_t *n, fow_error *err);

/* Replaces the password of user name (checked as for user_add), ends every
 * session of the user (they log in again) and revokes every API token of
 * theirs that is not revoked yet (revoked_at = now), in one transaction.
 * FOW_ENOTFOUND (field "name") for an unknown user; FOW_EINPUT (field
 * "name") for an account disabled by fow_accounts_disable_person. */
fow_code fow_accounts_user_set_password(fow_db *db, const char *name, const char *password, long long now,
                                        fow_error *err);

/* Disables every account linked to person person_id (users.person_id),
 * when their people record is erased (src/people calls it inside the
 * erasure's transaction, so both happen or neither): the password hash
 * becomes one no password matches, their sessions end and their API tokens
 * are revoked; a later password reset is refused (FOW_EINPUT, field
 * "name"), so the account stays disabled. *disabled (may be NULL) is the
 * number of accounts disabled; none linked is not an error. */
fow_code fow_accounts_disable_person(fow_db *db, const char *person_id, long long now, size_t *disabled,
                                     fow_error *err);

/* Removes user name with their sessions and API tokens. FOW_ENOTFOUND
 * (field "name") for an unknown user. */
fow_code fow_accounts_user_remove(fow_db *db, const char *name, fow_error *err);

/* Sets the organisation of user name (at most FOW_ORGANISATION_MAX bytes,
 * no control characters; "" or NULL: none). A counsellor sees only the
 * people of their organisation (src/people). FOW_ENOTFOUND (field "name")
 * for an unknown user, FOW_EINPUT (field "organisation") for a bad value. */
fow_code fow_accounts_user_set_organisation(fow_db *db, const char *name, const char *organisation, fow_error *err);

/* ---- authentication --------------------------------------------------------- */

/* Why an authentication succeeded or failed. Set by login, session_check
 * and token_check on every return. */
typedef enum fow_auth_status {
    FOW_AUTH_OK = 0,
    FOW_AUTH_BAD_CREDENTIALS, /* unknown user or wrong password; unknown or malformed token or session */
    FOW_AUTH_THROTTLED,       /* login refused unchecked: too many failures; retry_after says how long to wait */
    FOW_AUTH_EXPIRED,         /* the session or API token existed but has expired */
    FOW_AUTH_REVOKED,         /* the API token was revoked */
    FOW_AUTH_ERROR            /* not about credentials: the database or memory failed (see the fow_code) */
} fow_auth_status;

/* A short stable name for status ("ok", "bad-credentials", "throttled",
 * "expired", "revoked", "error"). Never NULL. */
const char *fow_auth_status_name(fow_auth_status status);

typedef struct fow_session {
    fow_user user;                      /* whose session it is */
    char token[FOW_TOKEN_CHARS + 1];    /* login only: the session token, given out once (cookie); else "" */
    char csrf[FOW_TOKEN_CHARS + 1];     /* the session's CSRF token */
    long long created_at;
    long long expires_at;               /* valid while now < expires_at */
    long long last_seen_at;
    long long retry_after;              /* login refused with FOW_AUTH_THROTTLED: seconds to wait; else 0 */
} fow_session;

/* Logs user name in with password at time now, for a client at address
 * (its IP address as text; any text identifying the client). throttle
 * (NULL: none, for tools that are not reachable by strangers) is asked
 * first and told the outcome.
 * Success: FOW_OK, *status FOW_AUTH_OK, *out a new session (out->token is
 * the only copy of the session token); expired sessions of all users are
 * deleted and the pair's failures forgotten.
 * Failure (FOW_EINPUT, *out zeroed except as said):
 *   FOW_AUTH_THROTTLED, no field: the pair or the address must still wait
 *     out->retry_after seconds; nothing was checked (fast) and nothing
 *     counted. The message names no account and no time: the same for
 *     every name and wait.
 *   FOW_AUTH_BAD_CREDENTIALS, field "password": unknown or malformed name,
 *     or wrong password (the same message; an unknown name costs the same
 *     hashing time as a wrong password, and nothing is written to the
 *     database for either); counted by the throttle.
 * FOW_EDB / FOW_ENOMEM with FOW_AUTH_ERROR otherwise. status may be NULL. */
fow_code fow_accounts_login(fow_db *db, fow_login_throttle *throttle, const char *address, const char *name,
                            const char *password, long long now, fow_session *out, fow_auth_status *status,
                            fow_error *err);

/* A fresh confirmation of a sensitive action (docs/vouchers.md, "Fresh
 * confirmation"): checks that password is the current password of the
 * account name (the acting user, signed in by session or API token), at
 * the cost of a sign-in's hash, without opening a session or writing to
 * the database. The throttle of sign-ins is asked first and counts a wrong
 * password, as login does (address: the caller's). The password is never
 * copied or logged.
 * Success: FOW_OK, *status FOW_AUTH_OK (the pair's failures forgotten).
 * Failure (FOW_EINPUT, field "confirm_password"): FOW_AUTH_THROTTLED (wait
 *   *retry_after seconds; nothing checked or counted), FOW_AUTH_BAD_CREDENTIALS
 *   (wrong or missing password, unknown name; counted). FOW_EDB otherwise.
 * status and retry_after may be NULL. */
fow_code fow_accounts_confirm_password(fow_db *db, fow_login_throttle *throttle, const char *address,
                                       const char *name, const char *password, long long now,
                                       fow_auth_status *status, long long *retry_after, fow_error *err);

/* The first step of fow_accounts_login alone, for a front end that wants
 * to refuse a throttled attempt before queueing it for hashing: FOW_OK when
 * name may try from address now (or throttle is NULL); else the same
 * failure as login's FOW_AUTH_THROTTLED (FOW_EINPUT, *status, message,
 * out->retry_after; *out zeroed otherwise). status may be NULL. */
fow_code fow_accounts_login_throttled(fow_login_throttle *throttle, const char *address, const char *name,
                                      long long now, fow_session *out, fow_auth_status *status, fow_error *err);

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
    fow_role scope;                          /* the widest role it acts with; FOW_ROLE_NONE if unknown */
    char scope_name[FOW_ROLE_NAME_MAX + 1];  /* as stored */
    long long created_at;
    long long expires_at;                    /* valid while now < expires_at */
    long long last_used_at;                  /* 0: never */
    bool revoked;
    long long revoked_at;                    /* 0 unless revoked */
} fow_api_token;

/* What a new API token is to be. */
typedef struct fow_token_spec {
    const char *name;  /* 1..64 bytes of UTF-8 without control characters (field "name"), unique
                          among the user's tokens that are not revoked */
    const char *scope; /* a role name no wider than the user's role (field "scope"); NULL: the user's role */
    long long days;    /* its life, 1..max_days (field "days"); 0: FOW_TOKEN_DEFAULT_DAYS (or max_days when
                          that is shorter) */
    long long max_days; /* the longest life allowed, 1..FOW_TOKEN_LIMIT_DAYS; 0: FOW_TOKEN_MAX_DAYS */
} fow_token_spec;

/* Makes an API token for user user_id as spec says, expiring at now + days
 * * 86400. The token ("fow_" and 43 base64url characters, NUL-terminated)
 * goes to token — the only copy: show it once; what was stored to *info
 * (may be NULL). Errors: FOW_EINPUT with the field of spec at fault;
 * FOW_ENOTFOUND (field "user") for an unknown user. Whether the caller may
 * make tokens at all (a session, not a token) is the front end's rule. */
fow_code fow_accounts_token_create(fow_db *db, long long user_id, const fow_token_spec *spec, long long now,
                                   char token[FOW_API_TOKEN_CHARS + 1], fow_api_token *info, fow_error *err);

/* Checks an API token (e.g. from "Authorization: Bearer fow_...") at time
 * now. Success: FOW_OK, FOW_AUTH_OK, the token's user into *user with
 * user->role (and role_name) the role the token acts with: the narrower of
 * its scope and the user's current role (FOW_ROLE_NONE when neither is
 * within the other); the token into *info (may be NULL); last_used_at is
 * written when it is at least a minute old. Failure (FOW_EINPUT, field
 * "token", *user zeroed): FOW_AUTH_BAD_CREDENTIALS for an unknown or
 * malformed token, FOW_AUTH_REVOKED for a revoked one, FOW_AUTH_EXPIRED for
 * one past its expires_at (the message says when). status may be NULL. */
fow_code fow_accounts_token_check(fow_db *db, const char *token, long long now, fow_user *user,
                                  fow_api_token *info, fow_auth_status *status, fow_error *err);

/* The API tokens of user user_id (revoked and expired ones too), oldest
 * first, in a malloc'd array (*out, free() it; NULL when none) of *n. An
 * unknown user simply has none. No secret is in them. */
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
