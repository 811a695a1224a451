/* fow_login_throttle.h — slowing down password guessing without locking
 * anyone out and without telling which accounts exist.
 *
 * Failed sign-ins are counted in memory, per (name, address) pair and per
 * address, whether or not the name is an account: a name that exists and
 * one that does not are counted, delayed and answered the same way. After
 * FOW_THROTTLE_PAIR_FREE failures of one name from one address, the next
 * attempt of that pair must wait 2 s, then 4 s, 8 s, ... up to
 * FOW_THROTTLE_MAX_DELAY after its last failure; after
 * FOW_THROTTLE_ADDRESS_FREE failures from one address (any names) every
 * attempt from it waits in the same way. A success clears its pair (not the
 * address). Nothing is counted per account alone, so a stranger guessing
 * from their addresses delays only themselves: the owner signs in from
 * another address as usual. A record with no failure for
 * FOW_THROTTLE_FORGET seconds is forgotten.
 *
 * The table has a fixed size (FOW_THROTTLE_SLOTS records; when full, the
 * record of the oldest failure nearby is reused), keys are SipHash values
 * under a random key of the process, and names are compared ignoring ASCII
 * case (as user names are). It lives as long as the server: a restart
 * forgets it.
 *
 * Time: every function takes now (unix seconds), so tests simulate waiting.
 * Threads: every function may be called from any thread (one mutex). */
#ifndef FOW_LOGIN_THROTTLE_H
#define FOW_LOGIN_THROTTLE_H

#include "base/fow_error.h"

#define FOW_THROTTLE_PAIR_FREE 5       /* failures of one name from one address before delays */
#define FOW_THROTTLE_ADDRESS_FREE 30   /* failures from one address, any names, before delays */
#define FOW_THROTTLE_FIRST_DELAY 2     /* seconds: the first delay; each failure after it doubles it */
#define FOW_THROTTLE_MAX_DELAY 900     /* seconds: the longest delay */
#define FOW_THROTTLE_FORGET 86400      /* seconds without a failure after which a record is forgotten */
#define FOW_THROTTLE_SLOTS 8192        /* records kept */

typedef struct fow_login_throttle fow_login_throttle;

/* A new, empty throttle into *out (free it with fow_login_throttle_free).
 * FOW_ENOMEM, or FOW_EINTERNAL when libsodium cannot start. */
fow_code fow_login_throttle_new(fow_login_throttle **out, fow_error *err);

/* Frees t; NULL is allowed. */
void fow_login_throttle_free(fow_login_throttle *t);

/* How many seconds an attempt to sign in as name from address at time now
 * must still wait: 0 when it may go on. The longer of the pair's and the
 * address's delays. NULL name or address count as "". Can't fail. */
long long fow_login_throttle_wait(fow_login_throttle *t, const char *name, const char *address, long long now);

/* Counts a failed sign-in as name from address at now (wrong password,
 * unknown or malformed name alike). Can't fail. */
void fow_login_throttle_failed(fow_login_throttle *t, const char *name, const char *address, long long now);

/* Records a successful sign-in: forgets the failures of the pair. */
void fow_login_throttle_succeeded(fow_login_throttle *t, const char *name, const char *address, long long now);

#endif
