/* credentials_internal.h — what the files of src/credentials share and no
 * other module calls. */
#ifndef FOW_CREDENTIALS_INTERNAL_H
#define FOW_CREDENTIALS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "credentials/fow_credentials.h"

/* Decodes base64url without padding (only its alphabet) into out (cap
 * bytes); false for anything else or when it does not fit. */
bool credentials_base64url_decode(const char *text, size_t len, unsigned char *out, size_t cap, size_t *n);

/* "YYYY-MM-DDTHH:MM:SSZ" of t (unix seconds, UTC). */
void credentials_format_time(long long t, char out[32]);

/* Days since 1970-01-01 of "YYYY-MM-DD" (a real date): false otherwise. */
bool credentials_parse_date(const char *s, long long *days);

/* Unix seconds of an XML Schema dateTime with Z or ±HH:MM (fractions of a
 * second ignored): false for anything else. */
bool credentials_parse_time(const char *s, long long *t);

/* The stored form of a credential id ("urn:uuid:" + 36). */
bool credentials_normalise_id(const char *id, char out[FOW_CREDENTIAL_ID_CHARS + 1]);

/* The pseudonym of person_id under this issuer (needs signing). */
void credentials_subject_of(const fow_credentials *c, const char *person_id,
                            char out[FOW_CREDENTIAL_SUBJECT_CHARS + 1]);

bool credentials_can_sign(const fow_credentials *c);
fow_db *credentials_db(const fow_credentials *c);
void credentials_status_url(const fow_credentials *c, int list, char *out, size_t cap);
void credentials_profile_url(const fow_credentials *c, char *out, size_t cap);

/* Copies src into dst (cap bytes), cut at cap - 1 bytes; always terminated. */
void credentials_copy(char *dst, size_t cap, const char *src);

#endif
