/* people_store.h — the SQL of src/people: the only code that reads or
 * writes people_key, people, person_consents, person_skills and
 * person_audit (their owner). For the folder's own files; other modules
 * call fow_people.h. Writers run inside the caller's transaction; no
 * function here checks access or consent (fow_people.c does). */
#ifndef FOW_PEOPLE_STORE_H
#define FOW_PEOPLE_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/fow_error.h"
#include "people/fow_people.h"
#include "store/fow_db.h"

#define PEOPLE_BOX_MAX 512 /* bytes of a stored box: nonce + ciphertext + tag of up to 200 bytes */
#define PEOPLE_LOOKUP_HEX 64

/* One row of people as stored: boxes are ciphertexts (len 0: NULL). */
typedef struct people_row {
    char id[FOW_PERSON_ID_CHARS + 1];
    unsigned char name_box[PEOPLE_BOX_MAX];
    size_t name_box_len;
    unsigned char contact_box[PEOPLE_BOX_MAX];
    size_t contact_box_len;
    char name_lookup[PEOPLE_LOOKUP_HEX + 1];    /* "" when none */
    char contact_lookup[PEOPLE_LOOKUP_HEX + 1];
    int birth_year;                             /* 0: NULL */
    char sex[8];                                /* "female", "male", "other"; "": NULL (not stated) */
    char area[FOW_PERSON_AREA_MAX + 1];
    char occupation_uri[FOW_PERSON_URI_MAX + 1];
    char employment_status[16];
    char organisation[FOW_PERSON_ORGANISATION_MAX + 1];
    long long created_at;
    char created_by[FOW_PERSON_ACTOR_MAX + 1];
    long long erased_at;                        /* 0: not erased */
} people_row;

/* The key check value stored with the database into check (65 bytes);
 * *found false when none is stored yet. */
fow_code people_store_key_check(fow_db *db, char check[PEOPLE_LOOKUP_HEX + 1], bool *found, fow_error *err);

/* Stores the key check value (the first one only; an existing one stays). */
fow_code people_store_key_check_put(fow_db *db, const char *check, long long now, fow_error *err);

/* Adds row. */
fow_code people_store_insert(fow_db *db, const people_row *row, fow_error *err);

/* Writes the fields a record may change (boxes, look-ups, birth_year,
 * sex, area, occupation_uri, employment_status) of row, a person not
 * erased; FOW_ENOTFOUND (field "person") when there is none. */
fow_code people_store_update(fow_db *db, const people_row *row, fow_error *err);

/* Reads person id into *row; *found false when there is no such row. */
fow_code people_store_get(fow_db *db, const char *id, people_row *row, bool *found, fow_error *err);

/* *known true when a record with id exists and is not erased (reads the
 * id only: no personal data). */
fow_code people_store_known(fow_db *db, const char *id, bool *known, fow_error *err);

/* The rows not erased, of organisation (NULL: every one), newest first,
 * without boxes: malloc'd *out of *n. */
fow_code people_store_list(fow_db *db, const char *organisation, people_row **out, size_t *n, fow_error *err);

/* Ids of rows not erased of organisation (NULL: all) whose name (which 0)
 * or contact (1) look-up is lookup: at most max into ids, *n found. */
fow_code people_store_find(fow_db *db, const char *organisation, int which, const char *lookup,
                           char (*ids)[FOW_PERSON_ID_CHARS + 1], size_t max, size_t *n, fow_error *err);

/* Removes the consents and skills of id and blanks its personal fields,
 * setting erased_at = now; how many consents and skills were removed. */
fow_code people_store_erase(fow_db *db, const char *id, long long now, size_t *consents, size_t *skills,
                            fow_error *err);

fow_code people_store_consent_add(fow_db *db, const char *id, fow_purpose purpose, const char *text_version,
                                  long long now, const char *by, fow_error *err);

/* Withdraws the consents in force of id for purpose; *changed rows. */
fow_code people_store_consent_withdraw(fow_db *db, const char *id, fow_purpose purpose, long long now,
                                       const char *by, long long *changed, fow_error *err);

/* The consent history of id, oldest first: malloc'd *out of *n. */
fow_code people_store_consents(fow_db *db, const char *id, fow_consent **out, size_t *n, fow_error *err);

/* Adds or updates (same skill and provenance) a skill of id; *added true
 * when it was new. */
fow_code people_store_skill_put(fow_db *db, const char *id, const char *skill, fow_skill_provenance provenance,
                                const char *detail, long long now, const char *by, bool *added, fow_error *err);

/* Removes skill of id with provenance (FOW_SKILL_PROVENANCE_COUNT: all);
 * *removed rows. */
fow_code people_store_skill_remove(fow_db *db, const char *id, const char *skill, fow_skill_provenance provenance,
                                   long long *removed, fow_error *err);

/* The skills of id by skill then provenance: malloc'd *out of *n (index
 * left FOW_NO_INDEX). */
fow_code people_store_skills(fow_db *db, const char *id, fow_person_skill **out, size_t *n, fow_error *err);

fow_code people_store_audit_add(fow_db *db, long long now, const char *actor, const char *action,
                                const char *person, const char *reason, fow_error *err);

/* The audit entries about person (NULL: all), newest first, at most
 * limit: malloc'd *out of *n. */
fow_code people_store_audit(fow_db *db, const char *person, size_t limit, fow_audit_entry **out, size_t *n,
                            fow_error *err);

/* Counts per organisation (NULL: every one): malloc'd *out of *n. */
fow_code people_store_counts(fow_db *db, const char *organisation, fow_people_count **out, size_t *n,
                             fow_error *err);

#endif
