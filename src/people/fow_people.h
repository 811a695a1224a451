/* fow_people.h — the people a programme serves: their record, their
 * consents per purpose, their skills profile and the audit log of every
 * staff access, with privacy by design (docs/people.md).
 *
 * A person is known by a pseudonymous id ('p' and 26 base32 characters of
 * 16 random bytes); the record holds only what the programme needs: name
 * and contact (optional), year of birth, area, current or last occupation
 * (an ESCO URI, resolved through the model), employment status and the
 * organisation that serves them.
 *
 * Encryption at rest: name and contact are stored only as XChaCha20-Poly1305
 * (libsodium AEAD) ciphertexts, with the person id and the field name as
 * associated data (a box cannot be moved to another person or field), and
 * as a keyed BLAKE2b-256 hash of their folded text (case and accents
 * ignored) for exact look-up. Both keys are in a key file outside the
 * database (fow_people_key_path: "<database>.key", mode 0600), made on first
 * use; the database keeps a check value of the key, so the wrong key file
 * fails at once with a clear error instead of reading garbage.
 *
 * Consent per purpose (counselling, training, vouchers, statistics): the
 * version of the consent text, when and by whom, kept as a history. A
 * withdrawal stops the purpose at once: every function that needs a purpose
 * checks it (fow_people_require_consent) and fails with FOW_EINPUT, field
 * "consent". The skills profile needs counselling.
 *
 * Access: staff act as a fow_people_staff. A counsellor sees only the people
 * of their organisation: anyone else's is "not found", as if it did not
 * exist. Every read and change is written to the audit log (who, when,
 * what, which person, why) in the same transaction as the read itself; the
 * log holds no personal data beyond the pseudonymous id and is kept after
 * erasure. Only an administrator reads it.
 *
 * Erasure removes every personal field, the consents and the skills, and
 * keeps a de-identified stub (id, organisation, when created and erased) so
 * that counts of people served stay right. SQLite's secure_delete is on for
 * every write, and the WAL is checkpointed and truncated after an erasure:
 * the erased bytes are found neither in the database file nor in its WAL.
 *
 * Sex (optional: female, male, other; not stated when not given) is kept
 * only because funders ask for the programme's indicators by sex
 * (src/indicators), which count only people with statistics consent.
 *
 * Errors name fields ("person", "name", "contact", "birth_year", "sex", "area",
 * "occupation", "employment_status", "organisation", "purpose",
 * "text_version", "skill", "provenance", "reason", "key", "consent").
 * Threads: a fow_people is used by one thread at a time, like its fow_db.
 * Functions that write run their own transaction: not inside one of yours.
 */
#ifndef FOW_PEOPLE_H
#define FOW_PEOPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "base/fow_jw.h"
#include "store/fow_db.h"
#include "taxonomy/fow_model.h"
#include "transitions/fow_transitions.h"

#define FOW_PERSON_ID_CHARS 27        /* 'p' + 26 base32 characters */
#define FOW_PERSON_NAME_MAX 200       /* bytes of UTF-8 */
#define FOW_PERSON_CONTACT_MAX 200
#define FOW_PERSON_AREA_MAX 64
#define FOW_PERSON_URI_MAX 256
#define FOW_PERSON_ORGANISATION_MAX 64
#define FOW_PERSON_ACTOR_MAX 80       /* a user name, or "cli:" and a login */
#define FOW_PERSON_REASON_MAX 200
#define FOW_PERSON_TEXT_VERSION_MAX 32
#define FOW_PERSON_DETAIL_MAX 256
#define FOW_PERSON_BIRTH_YEAR_MIN 1900
#define FOW_PEOPLE_KEY_SUFFIX ".key"

/* ---- purposes, provenances, statuses ------------------------------------- */

typedef enum fow_purpose {
    FOW_PURPOSE_COUNSELLING = 0,
    FOW_PURPOSE_TRAINING,
    FOW_PURPOSE_VOUCHERS,
    FOW_PURPOSE_STATISTICS,
    FOW_PURPOSE_COUNT
} fow_purpose;

/* "counselling", "training", "vouchers", "statistics"; "?" out of range. */
const char *fow_purpose_name(fow_purpose purpose);

/* Parses a purpose name into *out: 0, or -1 for anything else. */
int fow_purpose_parse(const char *text, fow_purpose *out);

/* Where a skill of a profile comes from. */
typedef enum fow_skill_provenance {
    FOW_SKILL_DECLARED = 0,  /* the person says so */
    FOW_SKILL_CONFIRMED,     /* confirmed by a counsellor */
    FOW_SKILL_OCCUPATION,    /* inferred from an occupation (its essential skills) */
    FOW_SKILL_ASSESSMENT,    /* recognised by an assessment */
    FOW_SKILL_CREDENTIAL,    /* from a verified credential */
    FOW_SKILL_PROVENANCE_COUNT
} fow_skill_provenance;

/* "declared", "counsellor", "occupation", "assessment", "credential";
 * "?" out of range. */
const char *fow_skill_provenance_name(fow_skill_provenance p);

/* Parses a provenance name into *out: 0, or -1 for anything else. */
int fow_skill_provenance_parse(const char *text, fow_skill_provenance *out);

/* The employment statuses a record may hold, NULL-terminated:
 * "employed", "self-employed", "unemployed", "inactive", "student",
 * "unknown". */
extern const char *const fow_employment_statuses[];

/* ---- opening -------------------------------------------------------------- */

typedef struct fow_people fow_people;

/* Who acts on people records. name: a user name or "cli:LOGIN" (1..80
 * bytes); organisation: theirs; all_organisations: an administrator, who
 * sees every organisation and reads the audit log (fow_access_person and
 * fow_access_all_organisations of fow_accounts.h say who is which). self:
 * a person acting on their own record (their id; NULL or "": staff), who
 * may only read it (get, consents, skills, export) and needs no
 * organisation; any other person is "not found" to them, and every other
 * function refuses them (FOW_EINPUT, field "role"). */
typedef struct fow_people_staff {
    const char *name;
    const char *organisation;
    bool all_organisations;
    const char *self;
} fow_people_staff;

/* Writes the key file path of the database at db_path ("<db_path>.key")
 * into buf (cap bytes). FOW_EINPUT (field "key") when it does not fit. */
fow_code fow_people_key_path(const char *db_path, char *buf, size_t cap, fow_error *err);

/* Opens the people records of db (opened for writing) with the key file at
 * key_path. A missing key file is made (mode 0600, 64 random bytes as hex)
 * only when the database has no key check yet; otherwise FOW_EIO (field
 * "key") says the key file is missing. A key file that others may read
 * (mode not 0600 or stricter), is malformed, or does not match the
 * database's check value fails with FOW_EINPUT (field "key"). On success
 * *out is to be closed with fow_people_close (which wipes the keys); db
 * stays the caller's and must outlive it. */
fow_code fow_people_open(fow_db *db, const char *key_path, fow_people **out, fow_error *err);

/* Wipes the keys and frees p. NULL is allowed. */
void fow_people_close(fow_people *p);

/* ---- records -------------------------------------------------------------- */

/* What a new record holds; NULL or "" (0 for birth_year) is "not given". */
typedef struct fow_person_input {
    const char *name;              /* up to 200 bytes of UTF-8, no control characters */
    const char *contact;           /* e-mail or telephone; the same limits */
    int birth_year;                /* 1900 .. the year of now */
    const char *sex;               /* "female", "male", "other"; NULL or "": not stated */
    const char *area;              /* up to 64 bytes */
    const char *occupation;        /* an occupation of the model: URI, ESCO code or label */
    const char *employment_status; /* one of fow_employment_statuses; NULL: "unknown" */
    const char *organisation;      /* NULL: the staff's own; a counsellor may give only theirs */
} fow_person_input;

typedef struct fow_person {
    char id[FOW_PERSON_ID_CHARS + 1];
    char name[FOW_PERSON_NAME_MAX + 1];       /* "" when none */
    char contact[FOW_PERSON_CONTACT_MAX + 1]; /* "" when none */
    int birth_year;                           /* 0 when not given */
    char sex[8];                              /* "female", "male", "other"; "" not stated */
    char area[FOW_PERSON_AREA_MAX + 1];
    char occupation_uri[FOW_PERSON_URI_MAX + 1];
    char employment_status[16];
    char organisation[FOW_PERSON_ORGANISATION_MAX + 1];
    long long created_at;
    char created_by[FOW_PERSON_ACTOR_MAX + 1];
    bool consent[FOW_PURPOSE_COUNT];          /* in force now, per purpose */
} fow_person;

/* Adds a person (audited "add"). occupation is resolved through model
 * (FOW_ENOTFOUND, field "occupation", with close matches; model may be
 * NULL only when no occupation is given). The new id goes into id_out.
 * FOW_EINPUT naming the field for a bad value. */
fow_code fow_people_add(fow_people *p, const fow_people_staff *staff, const fow_model *model,
                        const fow_person_input *in, long long now, char id_out[FOW_PERSON_ID_CHARS + 1],
                        fow_error *err);

/* Which fields of a record fow_people_update changes: each field whose
 * flag is true takes its value from values, where NULL, "" or 0 clears it
 * ("not given"; employment_status cleared is "unknown"); the others stay.
 * values.organisation is not used: a person stays with the organisation
 * that serves them (their enrolments and plans record it). */
typedef struct fow_person_update {
    bool name, contact, birth_year, sex, area, occupation, employment_status;
    fow_person_input values;
} fow_person_update;

/* Changes the fields of u in person id's record (rectification: no
 * consent is needed), checked as fow_people_add checks them (FOW_EINPUT
 * naming the field; an unknown occupation FOW_ENOTFOUND, field
 * "occupation", with close matches; model may be NULL only when the
 * occupation does not change). A new name or contact is sealed again with
 * a fresh nonce and its look-up hash replaced; the old box is overwritten
 * (secure_delete). Audited "update" with the names of the fields changed
 * (never their values). No field to change: FOW_EINPUT (field "person").
 * Unknown, erased or another organisation's person: FOW_ENOTFOUND (field
 * "person"). A person acting on their own record: FOW_EINPUT (field
 * "role"). Skills inferred from the former occupation stay in the profile. */
fow_code fow_people_update(fow_people *p, const fow_people_staff *staff, const fow_model *model, const char *id,
                           const fow_person_update *u, long long now, fow_error *err);

/* Reads person id into *out with name and contact decrypted, audited
 * "read" with reason (1..200 bytes, required: field "reason"). A malformed
 * id is FOW_EINPUT (field "person"); an unknown, erased or other
 * organisation's person FOW_ENOTFOUND (field "person"). A box that does not
 * decrypt (wrong key, damaged) is FOW_EDB. *out is wiped on failure; wipe
 * it yourself (sodium_memzero) when done. */
fow_code fow_people_get(fow_people *p, const fow_people_staff *staff, const char *id, const char *reason,
                        long long now, fow_person *out, fow_error *err);

/* The people the staff may see (erased stubs left out), newest first,
 * WITHOUT name and contact (those fields are ""): a malloc'd array *out
 * (free() it; NULL when none) of *n. Audited as one "list" entry. */
fow_code fow_people_list(fow_people *p, const fow_people_staff *staff, long long now, fow_person **out, size_t *n,
                         fow_error *err);

/* The ids of the people the staff may see whose name (which 0) or contact
 * (which 1) equals text once folded (case and accents ignored), found
 * through the keyed hash: at most max ids into ids, their number in *n.
 * Audited "find" per person found, with reason (required). */
fow_code fow_people_find(fow_people *p, const fow_people_staff *staff, int which, const char *text,
                         const char *reason, long long now, char (*ids)[FOW_PERSON_ID_CHARS + 1], size_t max,
                         size_t *n, fow_error *err);

/* ---- consent -------------------------------------------------------------- */

typedef struct fow_consent {
    fow_purpose purpose;
    char text_version[FOW_PERSON_TEXT_VERSION_MAX + 1];
    long long given_at;
    char given_by[FOW_PERSON_ACTOR_MAX + 1];
    long long withdrawn_at;                    /* 0: in force */
    char withdrawn_by[FOW_PERSON_ACTOR_MAX + 1];
} fow_consent;

/* Records the person's consent to purpose under the consent text's version
 * text_version (1..32 bytes of letters, digits, '.', '_', '-'), given now
 * and recorded by staff (audited "consent"). Consent already in force for
 * the purpose is FOW_EINPUT (field "purpose"). */
fow_code fow_people_consent_give(fow_people *p, const fow_people_staff *staff, const char *id, fow_purpose purpose,
                                 const char *text_version, long long now, fow_error *err);

/* Withdraws the consent in force for purpose (audited "withdraw"): from now
 * on every function needing the purpose fails. None in force: FOW_EINPUT
 * (field "purpose"). */
fow_code fow_people_consent_withdraw(fow_people *p, const fow_people_staff *staff, const char *id,
                                     fow_purpose purpose, long long now, fow_error *err);

/* FOW_OK when staff may see person id (a record not erased; of their
 * organisation unless all_organisations; a person: themselves), else
 * FOW_ENOTFOUND (field "person"). Reads nothing out, so it is not audited.
 * Runs in the caller's transaction when one is open. */
fow_code fow_people_visible(fow_people *p, const fow_people_staff *staff, const char *id, fow_error *err);

/* *known true when person id has a record that is not erased, on db
 * without the key: for a subject that names a person another account
 * gave it (a lab booking for a person), to tell "unknown person" from
 * anything else. Reads the id only, so it is not audited and needs no
 * staff. A malformed id is not known (*known false, FOW_OK). Runs in
 * the caller's transaction when one is open. */
fow_code fow_people_known(fow_db *db, const char *id, bool *known, fow_error *err);

/* The consent history of person id, oldest first: malloc'd *out (free it;
 * NULL when none) of *n. Not audited (read with the record). */
fow_code fow_people_consents(fow_people *p, const fow_people_staff *staff, const char *id, fow_consent **out,
                             size_t *n, fow_error *err);

/* FOW_OK when person id's consent to purpose is in force; else FOW_EINPUT,
 * field "consent", saying it was never given or when it was withdrawn.
 * The person must be one the staff may see (else FOW_ENOTFOUND). Runs in
 * the caller's transaction when one is open on the database (a subject
 * that writes for a purpose calls it after its BEGIN IMMEDIATE, so that a
 * withdrawal committed before is never missed), else in its own read
 * transaction. */
fow_code fow_people_require_consent(fow_people *p, const fow_people_staff *staff, const char *id,
                                    fow_purpose purpose, fow_error *err);

/* ---- the skills profile --------------------------------------------------- */

typedef struct fow_person_skill {
    char skill[FOW_PERSON_URI_MAX + 1];   /* the skill's URI, or its label when it has none */
    uint32_t index;                       /* in the model given to fow_people_skills, or FOW_NO_INDEX */
    fow_skill_provenance provenance;
    char detail[FOW_PERSON_DETAIL_MAX + 1];
    long long recorded_at;
    char recorded_by[FOW_PERSON_ACTOR_MAX + 1];
} fow_person_skill;

/* Adds skill (a key of the model: URI, last URI segment or label) to the
 * profile of person id with its provenance and detail (what it came from:
 * the assessment, the credential; up to 256 bytes; may be NULL). Needs
 * counselling consent. Unknown skill: FOW_ENOTFOUND, field "skill", with
 * close matches. The same skill with the same provenance is updated. */
fow_code fow_people_skill_add(fow_people *p, const fow_people_staff *staff, const fow_model *model, const char *id,
                              const char *skill, fow_skill_provenance provenance, const char *detail, long long now,
                              fow_error *err);

/* Removes skill from the profile: with one provenance, or every one when
 * provenance is FOW_SKILL_PROVENANCE_COUNT. Needs counselling consent.
 * Nothing removed: FOW_ENOTFOUND (field "skill"). */
fow_code fow_people_skill_remove(fow_people *p, const fow_people_staff *staff, const fow_model *model,
                                 const char *id, const char *skill, fow_skill_provenance provenance, long long now,
                                 fow_error *err);

/* Adds the essential skills of the person's occupation (provenance
 * "occupation", detail its URI); how many were new into *added (may be
 * NULL). Needs counselling consent; no occupation: FOW_EINPUT (field
 * "occupation"). */
fow_code fow_people_skills_infer(fow_people *p, const fow_people_staff *staff, const fow_model *model,
                                 const char *id, long long now, size_t *added, fow_error *err);

/* The profile of person id, by skill then provenance, each with its index
 * in model (FOW_NO_INDEX when the model lacks it): malloc'd *out (free it;
 * NULL when empty) of *n. Needs counselling consent; audited "skills" with
 * reason (NULL: "skills profile"). */
fow_code fow_people_skills(fow_people *p, const fow_people_staff *staff, const fow_model *model, const char *id,
                           const char *reason, long long now, fow_person_skill **out, size_t *n, fow_error *err);

/* The moves from a profile: the distinct skills of skills[0..n) known to
 * the model (any provenance) are the origin (fow_similarity_origin_skills),
 * judged for pay and risk as the person's occupation (occupation_uri;
 * FOW_NO_INDEX when none or not in the model: unknown), which is never a
 * destination; then fow_transitions_rank. *judge_as and *n_used (skills
 * used) are set. No skill known to the model: FOW_EINPUT (field "skills").
 * Reads the model only. */
fow_code fow_people_transitions(fow_similarity_workspace *ws, const char *occupation_uri,
                                const fow_person_skill *skills, size_t n, const fow_transition_query *q,
                                fow_transition *out, uint32_t cap, uint32_t *n_out, uint32_t *n_matching,
                                uint32_t *judge_as, uint32_t *n_used, fow_error *err);

/* A person's skills profile as the origin of moves, gaps and plans: the
 * distinct skills of the profile that the model holds (any provenance;
 * each with the provenance of its first entry and that entry's skill key),
 * and the occupation the moves are judged against (pay, risk: the
 * person's own). */
typedef struct fow_person_origin {
    uint32_t *skills;                       /* indexes in the model, distinct (malloc'd) */
    const char **keys;                      /* per skill: its key as stored (the URI), into entries */
    fow_skill_provenance *provenance;       /* per skill */
    uint32_t n;
    uint32_t judge_as;                      /* the person's occupation in the model; FOW_NO_INDEX none */
    size_t n_profile;                       /* entries of the profile, the model's or not */
    fow_person_skill *entries;              /* the profile as fow_people_skills read it (malloc'd) */
    char person[FOW_PERSON_ID_CHARS + 1];
} fow_person_origin;

/* Reads person id's record and skills profile (fow_people_get and
 * fow_people_skills: the staff must see them, counselling consent in
 * force, both reads audited with reason) into *out as the origin of moves
 * and gaps (free it with fow_person_origin_free, also after a failure). No
 * skill of the profile in model: FOW_EINPUT (field "skills"). The moves,
 * the gap and the modules then come from the same functions as for skills
 * typed in (fow_similarity_origin_skills, fow_match_plan_compute), judged
 * as out->judge_as. */
fow_code fow_people_profile_origin(fow_people *p, const fow_people_staff *staff, const fow_model *model,
                                   const char *id, const char *reason, long long now, fow_person_origin *out,
                                   fow_error *err);

void fow_person_origin_free(fow_person_origin *o);

/* ---- export, erasure, audit, counts ---------------------------------------- */

/* The whole record of person id as one JSON document written into w:
 * {person, consents, skills, audit, exported_at, exported_by, and one key
 * per attached subject (fow_people_attach)}: everything stored about them. Audited "export" with reason (required). */
fow_code fow_people_export(fow_people *p, const fow_people_staff *staff, const char *id, const char *reason,
                           long long now, fow_jw *w, fow_error *err);

typedef struct fow_erasure {
    size_t consents, skills;   /* rows removed */
    size_t attached;           /* rows of attached subjects removed (fow_people_attach) */
    size_t accounts_disabled;  /* accounts linked to them, disabled (fow_accounts_disable_person) */
    bool wal_cleared;          /* the WAL was checkpointed and truncated */
} fow_erasure;

/* Erases person id (audited "erase" with reason, required): name, contact,
 * their look-up hashes, year of birth, area, occupation, status, consents
 * and skills are removed, under secure_delete; a stub (id, organisation,
 * created_at, erased_at) stays, and every account linked to them is
 * disabled in the same transaction (fow_accounts_disable_person). Then the WAL is checkpointed and truncated
 * (out->wal_cleared false when another connection's reader kept it: run
 * `fow check` or erase again later). out may be NULL. */
fow_code fow_people_erase(fow_people *p, const fow_people_staff *staff, const char *id, const char *reason,
                          long long now, fow_erasure *out, fow_error *err);

typedef struct fow_audit_entry {
    long long id;
    long long at;
    char actor[FOW_PERSON_ACTOR_MAX + 1];
    char action[16];
    char person[FOW_PERSON_ID_CHARS + 1];  /* "" for a list */
    char reason[FOW_PERSON_REASON_MAX + 1];
} fow_audit_entry;

/* The audit log, newest first, about person (NULL: everyone), at most
 * limit entries: malloc'd *out (free it; NULL when none) of *n. Only an
 * administrator (staff->all_organisations) may read it: else FOW_EINPUT,
 * field "role". */
fow_code fow_people_audit(fow_people *p, const fow_people_staff *staff, const char *person, size_t limit,
                          fow_audit_entry **out, size_t *n, fow_error *err);

typedef struct fow_people_count {
    char organisation[FOW_PERSON_ORGANISATION_MAX + 1];
    long long served;                        /* every record ever added, erased ones too */
    long long erased;
    long long consenting[FOW_PURPOSE_COUNT]; /* active people with consent in force */
} fow_people_count;

/* Counts per organisation (the staff's only, unless all_organisations),
 * ordered by organisation: malloc'd *out (free it) of *n. Not audited:
 * no person is read. */
fow_code fow_people_counts(fow_people *p, const fow_people_staff *staff, fow_people_count **out, size_t *n,
                           fow_error *err);

/* ---- JSON ------------------------------------------------------------------ */

/* {id, name, contact (null when none), birth_year, area, occupation
 * {uri, label}, employment_status, organisation, created_at, created_by,
 * consent {purpose: bool}} of person; model (may be NULL) gives the
 * occupation's label. With lang ("ro"; NULL: none) and model, the
 * occupation also has label_local: the taxonomy's preferred label in lang,
 * null when it has none, and then label_lang: the language of label (null
 * when unknown). with_personal false leaves name and contact out
 * (lists). */
void fow_people_write_person(fow_jw *w, const fow_person *person, const fow_model *model, const char *lang,
                             bool with_personal);

/* [{purpose, text_version, given_at, given_by, withdrawn_at, withdrawn_by}] */
void fow_people_write_consents(fow_jw *w, const fow_consent *c, size_t n);

/* [{skill, label, provenance, detail, recorded_at, recorded_by}]; with
 * lang (NULL: none) and model, each skill also has label_local (and
 * label_lang) as the occupation of fow_people_write_person. */
void fow_people_write_skills(fow_jw *w, const fow_person_skill *s, size_t n, const fow_model *model,
                             const char *lang);

/* [{id, at, actor, action, person, reason}] */
void fow_people_write_audit(fow_jw *w, const fow_audit_entry *e, size_t n);

/* [{organisation, served, erased, consenting {purpose: n}}] */
void fow_people_write_counts(fow_jw *w, const fow_people_count *c, size_t n);

/* ---- what other subjects keep about a person ------------------------------ */

/* A subject that keeps records about a person under their pseudonymous id
 * (e.g. src/plans) attaches to people so that fow_people_export includes
 * them and fow_people_erase removes them (people never reads their tables).
 * export_fn writes one JSON value about person id into w (called under a
 * read transaction of db, after the person's record was read); erase_fn
 * removes everything about id (called inside the erasure's transaction, on
 * the same db; *removed: rows removed). Both return FOW_OK or fail the
 * export / erasure. */
typedef struct fow_people_attachment {
    const char *key; /* the export's key for this subject, e.g. "plans" */
    fow_code (*export_fn)(fow_db *db, const char *id, fow_jw *w, fow_error *err);
    fow_code (*erase_fn)(fow_db *db, const char *id, size_t *removed, fow_error *err);
} fow_people_attachment;

#define FOW_PEOPLE_ATTACHMENTS_MAX 8

/* Registers a for every fow_people of the process (a is borrowed: static).
 * Registering the same a twice is a no-op. FOW_EINPUT (field "key") when
 * FOW_PEOPLE_ATTACHMENTS_MAX are already registered. Not thread-safe:
 * call at start-up, before any thread uses people. */
fow_code fow_people_attach(const fow_people_attachment *a, fow_error *err);

/* Writes t (unix seconds) as "YYYY-MM-DDTHH:MM:SSZ", or null for 0. */
void fow_people_write_time(fow_jw *w, long long t);

#endif
