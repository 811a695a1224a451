/* fow_credentials.h — verifiable credentials of completed learning
 * (docs/credentials.md): Open Badges 3.0 OpenBadgeCredentials (W3C
 * Verifiable Credentials data model 2.0) secured as VC-JWT with Ed25519
 * (JOSE alg "EdDSA", typ "vc+jwt"), revocation through a W3C Bitstring
 * Status List, and their verification.
 *
 * The issuer: one Ed25519 key pair per database. The secret half lives only
 * in a key file next to the database (fow_credentials_key_path:
 * "<database>.issuer.key", mode 0600, made on first use; never in the
 * database); the database keeps the public half and its key id (kid: the
 * RFC 7638 JWK thumbprint), so that verifying needs no key file, and a key
 * file that does not match fails at once. The issuer's base URL and name
 * (fow_credentials_set_issuer) make the stable URLs credentials point to:
 *   BASE/api/v1/credential-issuer      the issuer's Open Badges Profile
 *   BASE/.well-known/jwks.json          its public keys as a JWK Set
 *   BASE/api/v1/credential-status/N    status list N, itself a VC-JWT
 *   BASE/#/credential/ID                the credential's verification page
 *
 * A credential names its subject by a pseudonym only
 * ("urn:fow:subject:" and 32 hex digits, a keyed hash of the person's id
 * under a key derived from the issuer's secret): no name, no contact, not
 * even the person's id in fow. The database keeps which person it was
 * issued to (for revocation, listing and presenting).
 *
 * Errors name fields ("person", "module", "completion", "result", "url",
 * "name", "key", "credential", "jwt", "header", "alg", "typ", "kid",
 * "signature", "payload", "validFrom", "validUntil", "credentialStatus",
 * "status_list", "jwks", "reason", "subject").
 * Threads: a fow_credentials is used by one thread at a time, like its db.
 * Functions that write run their own transaction: not inside one of yours.
 */
#ifndef FOW_CREDENTIALS_H
#define FOW_CREDENTIALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "base/fow_jw.h"
#include "people/fow_people.h"
#include "store/fow_db.h"
#include "taxonomy/fow_model.h"
#include "training/fow_cohort.h"

#define FOW_CREDENTIAL_KEY_SUFFIX ".issuer.key"
#define FOW_CREDENTIAL_ID_CHARS 45       /* "urn:uuid:" + 36 */
#define FOW_CREDENTIAL_KID_CHARS 43      /* base64url of a SHA-256 thumbprint */
#define FOW_CREDENTIAL_SUBJECT_CHARS 48  /* "urn:fow:subject:" + 32 hex */
#define FOW_CREDENTIAL_URL_MAX 200
#define FOW_CREDENTIAL_NAME_MAX 120
#define FOW_CREDENTIAL_JWT_MAX ((size_t)64 * 1024) /* the largest credential read */
/* Entries of one status list: 131072 bits, 16 KiB, the W3C minimum. */
#define FOW_CREDENTIAL_STATUS_LIST_BITS 131072u
#define FOW_CREDENTIAL_DEFAULT_URL "http://127.0.0.1:8080"
#define FOW_CREDENTIAL_DEFAULT_NAME "fow"

typedef struct fow_credentials fow_credentials;

/* Writes "<db_path>.issuer.key" into buf (cap bytes). FOW_EINPUT (field
 * "key") when it does not fit. */
fow_code fow_credentials_key_path(const char *db_path, char *buf, size_t cap, fow_error *err);

/* Opens the credentials of db (opened for writing, unless !signing) with
 * the issuer key file at key_path. signing: the secret key is needed (issue,
 * revoke, serve the status list); a missing key file is made (mode 0600)
 * only when the database has no issuer key yet, else FOW_EIO (field "key").
 * A key file others may read, a malformed one, or one whose public key is
 * not the database's fails with FOW_EINPUT (field "key"). !signing: the key
 * file is not read (key_path may be NULL); verifying and the public key
 * work when the database has an issuer key. *out: close with
 * fow_credentials_close (wipes the key); db must outlive it. */
fow_code fow_credentials_open(fow_db *db, const char *key_path, bool signing, fow_credentials **out,
                              fow_error *err);

/* Wipes the secret key and frees c. NULL is allowed. */
void fow_credentials_close(fow_credentials *c);

/* The issuer as stored. */
typedef struct fow_credential_issuer {
    char url[FOW_CREDENTIAL_URL_MAX + 1];   /* the base URL, no trailing '/' */
    char name[FOW_CREDENTIAL_NAME_MAX + 1];
    char kid[FOW_CREDENTIAL_KID_CHARS + 1]; /* "" when no key yet */
    char public_key[48];                    /* base64url of the 32-byte Ed25519 key, "" when none */
    long long key_created_at;
} fow_credential_issuer;

/* Reads the issuer (defaults FOW_CREDENTIAL_DEFAULT_URL and _NAME until
 * set). Can't fail once opened. */
void fow_credentials_issuer(const fow_credentials *c, fow_credential_issuer *out);

/* Sets the issuer's base URL (http:// or https://, no query, fragment or
 * trailing '/', up to 200 bytes; field "url") and name (1..120 bytes of
 * UTF-8 without control characters; field "name"); NULL keeps one. Only
 * credentials issued afterwards carry the new values. */
fow_code fow_credentials_set_issuer(fow_credentials *c, const char *url, const char *name, long long now,
                                    fow_error *err);

/* ---- issuing ---------------------------------------------------------------- */

/* What a credential is issued for: a completed module. Plain values, so a
 * completion (cohorts) can call it. */
typedef struct fow_credential_request {
    const char *person_id;      /* a person of src/people */
    int64_t module_id;          /* a module of the learning catalogue (src/training) */
    const char *completion_id;  /* what it records (a completion's id), may be NULL: "" */
    const char *completed_on;   /* YYYY-MM-DD; NULL: the day of now (UTC) */
    const char *result;         /* the assessment's result, e.g. "passed"; NULL or "": none */
    int valid_days;             /* 0: no end of validity; else validUntil = now + days */
    const char *issued_by;      /* who issues (a user name, "cli:LOGIN", "completion") */
} fow_credential_request;

/* A stored credential (no personal data but the person's pseudonymous id). */
typedef struct fow_credential_row {
    char id[FOW_CREDENTIAL_ID_CHARS + 1];
    char person_id[FOW_PERSON_ID_CHARS + 1];
    char subject[FOW_CREDENTIAL_SUBJECT_CHARS + 1];
    int64_t module_id;
    char module_code[65];
    char title_en[201], title_ro[201];
    char completion_id[65];
    char completed_on[11];
    char result[65];
    long long issued_at;
    char issued_by[FOW_PERSON_ACTOR_MAX + 1];
    long long valid_until;      /* 0: none */
    int status_list;
    long status_index;
    long long revoked_at;       /* 0: not revoked */
    char revoked_by[FOW_PERSON_ACTOR_MAX + 1];
    char revoked_reason[201];
    char *jwt;                  /* malloc'd (free() it), NULL in lists */
} fow_credential_row;

/* Issues a credential for req at now: checks that the person is one staff
 * may see and has consented to training (fow_people_require_consent), that
 * the module is in the catalogue (FOW_ENOTFOUND, field "module"), the date
 * and result; builds the OpenBadgeCredential with the module's ro/en title
 * and description, hours, provider and skills (each aligned to its ESCO URI
 * where it has one), takes a random free index of the status list, signs it
 * and stores it, in one transaction, which reads the consent again (people
 * must be opened on c's database). Needs signing. out (may be NULL)
 * receives the row with its jwt (free it). people (and staff) may be NULL
 * when the caller has checked the person already (a completion: the
 * cohort's enrolment needed training consent). */
fow_code fow_credential_issue(fow_credentials *c, fow_people *people, const fow_people_staff *staff,
                              const fow_credential_request *req, long long now, fow_credential_row *out,
                              fow_error *err);

/* Issues the credential of a completion (fow_cohort_complete's *done) in
 * the database at db_path (opened here for writing, with its issuer key
 * file "<db_path>.issuer.key", made on first use), as issued_by at now; the
 * completion already checked the person's consent and the staff's access.
 * The outcome goes into *out: issued with its id and verification URL, or
 * not issued with why (a failed assessment earns none; a module no longer
 * in the catalogue; a completion date in the future; a key file that cannot
 * be used). Returns FOW_OK when issued, else the error (also in err) — the
 * completion stays recorded either way. */
fow_code fow_credential_issue_completion(const char *db_path, const fow_completion *done, const char *issued_by,
                                         long long now, fow_completion_credential *out, fow_error *err);

/* Who revokes a credential, and the rows they reach (docs/roles.md,
 * "Credentials: who may revoke"). */
typedef struct fow_credential_revoker {
    const char *name;               /* recorded as revoked_by (1..80 bytes) */
    int role;                       /* fow_role of src/accounts (the command line acts as admin) */
    const fow_people_staff *staff;  /* a counsellor: their organisation (with people) */
    fow_people *people;             /* a counsellor: the people records, to see whose credential it is */
    int64_t provider_id;            /* a provider's account: its training provider */
} fow_credential_revoker;

/* Revokes credential id (urn:uuid:… or its 36-character uuid) at now: its
 * bit in the status list is set, with who and why (reason 1..200 bytes,
 * field "reason"). Who may (else FOW_EINPUT, field "role"): an admin and a
 * programme manager any credential; a provider's account the credentials
 * of its own modules (the module code's one provider,
 * fow_training_provider_of_code); a counsellor the credentials of the
 * people of their organisation (fow_people_visible); no other role.
 * Unknown: FOW_ENOTFOUND (field "credential"); already revoked: FOW_EINPUT
 * (field "credential"). */
fow_code fow_credential_revoke(fow_credentials *c, const fow_credential_revoker *who, const char *id,
                               const char *reason, long long now, fow_error *err);

/* Registers credentials with people (fow_people_attach): a person's export
 * lists their credentials (each as fow_credential_write_row writes it,
 * without the JWT), and their erasure revokes every credential of
 * theirs in the erasure's transaction (status list bit set, by "erasure",
 * reason "erased", at the time of the erasure) — the pseudonymous rows
 * stay, so the status list keeps answering. Call once at start-up. */
fow_code fow_credentials_attach(fow_error *err);

/* Reads credential id into *out with its jwt (free out->jwt).
 * FOW_ENOTFOUND (field "credential") when unknown. */
fow_code fow_credential_get(fow_credentials *c, const char *id, fow_credential_row *out, fow_error *err);

/* The credentials issued to person_id (NULL: all), newest first, without
 * their jwt: malloc'd *out (free it; NULL when none) of *n. */
fow_code fow_credential_list(fow_credentials *c, const char *person_id, fow_credential_row **out, size_t *n,
                             fow_error *err);

/* The credentials of person_id that are valid at now: issued at or before
 * now, not past their validUntil, not revoked (the status list's bit not
 * set), newest first, without their jwt: malloc'd *out (free it; NULL when
 * none) of *n. Needs no issuer key (reads the database only), so any
 * subject can ask what a person holds, e.g. the labs (src/labs) whether a
 * machine is unlocked; a revocation counts from the moment it is stored. */
fow_code fow_credentials_valid_of(fow_db *db, const char *person_id, long long now, fow_credential_row **out,
                                  size_t *n, fow_error *err);

/* ---- publication ------------------------------------------------------------ */

/* The JWK Set of the issuer's public keys: {"keys": [{"kty": "OKP",
 * "crv": "Ed25519", "x", "kid", "alg": "EdDSA", "use": "sig"}]}. An issuer
 * without a key yet writes an empty set. */
void fow_credentials_write_jwks(const fow_credentials *c, fow_jw *w);

/* The issuer's Open Badges Profile: {"@context", "id", "type":
 * ["Profile"], "name", "url"}. */
void fow_credentials_write_profile(const fow_credentials *c, fow_jw *w);

/* The status list credential of list number list (1, 2, ...) signed at
 * now: a VC-JWT of a BitstringStatusListCredential whose encodedList is the
 * multibase ('u') base64url of the GZIP-compressed bitstring of
 * FOW_CREDENTIAL_STATUS_LIST_BITS bits (bit i is 1 when the credential at
 * index i is revoked; index 0 is the most significant bit of the first
 * byte). A malloc'd string into *jwt (free it). Needs signing. A list with
 * no credential: FOW_ENOTFOUND (field "status_list"). */
fow_code fow_credentials_status_list(fow_credentials *c, int list, long long now, char **jwt, fow_error *err);

/* ---- verifying -------------------------------------------------------------- */

/* One check of a verification. */
typedef enum fow_verify_check {
    FOW_VERIFY_FORMAT = 0,  /* three base64url parts, JSON header and payload */
    FOW_VERIFY_HEADER,      /* alg EdDSA, typ vc+jwt, a kid, no crit */
    FOW_VERIFY_KEY,         /* a key of that kid among the trusted keys */
    FOW_VERIFY_SIGNATURE,   /* the Ed25519 signature over header.payload */
    FOW_VERIFY_STRUCTURE,   /* a VC 2.0 OpenBadgeCredential with its parts */
    FOW_VERIFY_DATES,       /* validFrom <= now < validUntil (and nbf, exp) */
    FOW_VERIFY_STATUS,      /* not revoked in its status list */
    FOW_VERIFY_CHECK_COUNT
} fow_verify_check;

/* "format", "header", "key", "signature", "structure", "dates", "status". */
const char *fow_verify_check_name(fow_verify_check check);

typedef enum fow_verify_outcome {
    FOW_VERIFY_NOT_RUN = 0, /* an earlier check failed */
    FOW_VERIFY_PASSED,
    FOW_VERIFY_FAILED,
    FOW_VERIFY_UNCHECKED    /* status only: no status list was at hand */
} fow_verify_outcome;

/* "not_run", "passed", "failed", "unchecked". */
const char *fow_verify_outcome_name(fow_verify_outcome o);

/* The trusted keys: a JWK Set. */
typedef struct fow_credential_keys {
    size_t n;
    struct fow_credential_key {
        char kid[128];
        unsigned char key[32];
    } *keys; /* malloc'd */
} fow_credential_keys;

/* Parses the JWK Set text (up to 64 KiB) into *out (free with
 * fow_credential_keys_free): the keys of kty OKP, crv Ed25519 with a kid
 * and a 32-byte x; others are skipped. Malformed JSON, or no usable key:
 * FOW_EINPUT (field "jwks", with line and column for JSON). */
fow_code fow_credential_keys_parse(const char *text, size_t len, fow_credential_keys *out, fow_error *err);

/* The issuer's own key as a set of one (empty when none yet). */
fow_code fow_credentials_keys(const fow_credentials *c, fow_credential_keys *out, fow_error *err);

void fow_credential_keys_free(fow_credential_keys *k);

/* Where a status list comes from when verifying. */
typedef struct fow_verify_status_source {
    fow_credentials *local;    /* the database's own lists, for credentials whose list URL is this issuer's; may be NULL */
    const char *list_jwt;      /* a status list credential (VC-JWT) at hand, e.g. saved to a file; may be NULL */
    size_t list_len;
} fow_verify_status_source;

/* The skills of a credential's achievement (its alignments). */
typedef struct fow_verified_skill {
    char uri[257];  /* targetUrl ("" when none) */
    char name[201]; /* targetName */
} fow_verified_skill;

/* A parameter of a check's message (its value as text). */
#define FOW_VERIFY_PARAMS_MAX 3
typedef struct fow_verify_param {
    char name[16];
    char value[200];
} fow_verify_param;

/* What a verification found. Each check that ran has a message: a code
 * ("credential.<name>", worded by the web app as the i18n key msg.<code>),
 * its parameters, and the English text. */
typedef struct fow_verification {
    bool valid;                                      /* every check passed (status passed or unchecked) */
    fow_verify_outcome outcome[FOW_VERIFY_CHECK_COUNT];
    char message[FOW_VERIFY_CHECK_COUNT][256];       /* why each check passed or failed, in English ("" not run) */
    char code[FOW_VERIFY_CHECK_COUNT][48];           /* the message's code ("" not run) */
    fow_verify_param params[FOW_VERIFY_CHECK_COUNT][FOW_VERIFY_PARAMS_MAX];
    size_t n_params[FOW_VERIFY_CHECK_COUNT];
    char failed_field[64];                           /* the field of the first failure ("" when valid) */
    char id[FOW_CREDENTIAL_ID_CHARS + 64];
    char kid[128];
    char issuer_id[FOW_CREDENTIAL_URL_MAX + 64], issuer_name[FOW_CREDENTIAL_NAME_MAX + 1];
    char subject[FOW_CREDENTIAL_SUBJECT_CHARS + 16];
    char achievement_id[256], achievement_name[256], achievement_name_ro[256];
    double hours;                                    /* 0 when not stated */
    char valid_from[32], valid_until[32];            /* as written; "" when absent */
    char status_list_url[FOW_CREDENTIAL_URL_MAX + 64];
    long status_index;                               /* -1: no credentialStatus */
    fow_verified_skill *skills;                      /* malloc'd (fow_verification_free) */
    size_t n_skills;
} fow_verification;

/* Verifies the VC-JWT jwt (len bytes; surrounding white space ignored)
 * against keys at now, and its status from status (may be NULL: unchecked).
 * The outcome is in *out (free with fow_verification_free): a credential
 * that fails a check is not an error; the function fails only for FOW_ENOMEM
 * or a database error while reading a local status list. */
fow_code fow_credential_verify(const char *jwt, size_t len, const fow_credential_keys *keys,
                               const fow_verify_status_source *status, long long now, fow_verification *out,
                               fow_error *err);

void fow_verification_free(fow_verification *v);

/* Fills err with the first failed check of v: FOW_EINPUT, field
 * v->failed_field, message "<check>: <why>". Returns FOW_OK (err cleared)
 * when v is valid. */
fow_code fow_verification_error(const fow_verification *v, fow_error *err);

/* Presents a verified credential for person_id: checks that v is valid and
 * that its subject is person_id's pseudonym under this issuer (else
 * FOW_EINPUT, field "subject"), then adds each skill of v known to model to
 * the person's profile with provenance "credential" and the credential's id
 * as detail (fow_people_skill_add: needs counselling consent). *added (may
 * be NULL): how many skills were added; *skipped: how many the model does
 * not know. */
fow_code fow_credential_present(fow_credentials *c, fow_people *people, const fow_people_staff *staff,
                                const fow_model *model, const char *person_id, const fow_verification *v,
                                long long now, size_t *added, size_t *skipped, fow_error *err);

/* ---- the primitives (the benchmark's and the tests' view) -------------------- */

/* Signs payload (JSON text) as a VC-JWT with header {"alg": "EdDSA", "typ":
 * "vc+jwt", "kid"}: malloc'd "header.payload.signature" into *jwt. Needs
 * signing. */
fow_code fow_credentials_sign(const fow_credentials *c, const char *payload, size_t len, char **jwt,
                              fow_error *err);

/* Unix seconds of a date and time as credentials write them
 * (YYYY-MM-DDTHH:MM:SSZ, or with ±HH:MM; fractions ignored) into *t:
 * true, or false for anything else. Can't fail otherwise. */
bool fow_credential_parse_time(const char *text, long long *t);

/* base64url without padding of data[0..n) into a malloc'd string, or NULL
 * when out of memory. */
char *fow_base64url_encode(const unsigned char *data, size_t n);

/* ---- JSON (the one writer of every front end's answers) ----------------------- */

/* {id, person, subject, module {id, code, title {en, ro}}, completion,
 * completed_on, result, issued_at, issued_by, valid_until, status {list,
 * index, revoked, revoked_at, revoked_by, reason}, verify_url, jwt (when
 * loaded)}. */
void fow_credential_write_row(fow_jw *w, const fow_credentials *c, const fow_credential_row *r);

/* What anyone holding a credential's id sees (no person id):
 * {credential {id, module {code, title {en, ro}}, issued_at, valid_until,
 * status {revoked, revoked_at}, verify_url}, jwt, verification (as
 * fow_verification_write)}. */
void fow_credential_write_public(fow_jw *w, const fow_credentials *c, const fow_credential_row *r,
                                 const fow_verification *v);

/* {valid, checks: [{check, outcome, message (a message object {code,
 * params, text}, fow_msg.h; null for a check not run)}], failed_field,
 * credential
 * {id, issuer {id, name}, subject, achievement {id, name, name_ro, hours,
 * skills [{uri, name}]}, valid_from, valid_until, status {list, index}}} */
void fow_verification_write(fow_jw *w, const fow_verification *v);

#endif
