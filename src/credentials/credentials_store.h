/* credentials_store.h — the SQL of verifiable credentials: the only code that
 * reads or writes the credential_ tables (the issuer, its public keys, the
 * credentials issued and their status list entries). fow_credentials.c
 * calls these functions; other modules call fow_credentials.h. Writers run
 * inside the caller's transaction unless they say otherwise. */
#ifndef FOW_CREDENTIALS_STORE_H
#define FOW_CREDENTIALS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "credentials/fow_credentials.h"
#include "store/fow_db.h"

/* The issuer's URL and name into url/name (cap bytes each); *found false
 * when never set. */
fow_code credentials_store_issuer(fow_db *db, char *url, char *name, size_t cap, bool *found, fow_error *err);

/* Sets the issuer's URL and name (inserted or updated). */
fow_code credentials_store_issuer_put(fow_db *db, const char *url, const char *name, long long now, fow_error *err);

/* The newest issuer key: kid and public key (base64url) into buffers of
 * cap bytes; *found false when none. */
fow_code credentials_store_key(fow_db *db, char *kid, char *public_key, size_t cap, long long *created_at,
                               bool *found, fow_error *err);

/* Records a new issuer key. */
fow_code credentials_store_key_put(fow_db *db, const char *kid, const char *public_key, long long now,
                                   fow_error *err);

/* Adds a credential row (r->jwt must be set) with its status entry
 * (r->status_list, r->status_index). FOW_EINPUT (field "credentialStatus")
 * when that status position is taken already. */
fow_code credentials_store_add(fow_db *db, const fow_credential_row *r, const char *kid, fow_error *err);

/* true in *taken when position index of list is taken. */
fow_code credentials_store_position_taken(fow_db *db, int list, long index, bool *taken, fow_error *err);

/* The number of entries of list. */
fow_code credentials_store_list_count(fow_db *db, int list, long long *n, fow_error *err);

/* The highest list number in use (0 when none). */
fow_code credentials_store_last_list(fow_db *db, int *list, fow_error *err);

/* Reads credential id into *out (jwt malloc'd when with_jwt); *found. */
fow_code credentials_store_get(fow_db *db, const char *id, bool with_jwt, fow_credential_row *out, bool *found,
                               fow_error *err);

/* Credentials of person_id (NULL: all), newest first, without jwt. */
fow_code credentials_store_list(fow_db *db, const char *person_id, fow_credential_row **out, size_t *n,
                                fow_error *err);

/* Marks credential id revoked; *changed false when it was already. */
fow_code credentials_store_revoke(fow_db *db, const char *id, const char *by, const char *reason, long long now,
                                  bool *changed, fow_error *err);

/* Calls visit with the position of every revoked entry of list; *any set
 * when the list has entries at all. */
/* Revokes every credential of person_id not yet revoked (their status
 * list bits set), with by, reason and now; how many into *revoked. */
fow_code credentials_store_revoke_person(fow_db *db, const char *person_id, const char *by, const char *reason,
                                         long long now, size_t *revoked, fow_error *err);

fow_code credentials_store_each_revoked(fow_db *db, int list, void (*visit)(void *ctx, long position), void *ctx,
                                        bool *any, fow_error *err);

#endif
