/* fow_world_holder.h — the world a long-running process answers from,
 * replaced whole when the database changes, never by an older one.
 *
 * A holder publishes one world (fow_world.h) at a time. Readers take a
 * reference to the world published now and keep it for as long as they
 * read (a request), so a swap never changes a world under a reader and the
 * old world is freed by its last reader. Each publication has a serial
 * (1, 2, ...), which a server puts in its ETags.
 *
 * Monotonic. Loads may run at the same time (a reload asked for by a
 * signal while an import job reloads after its commit); whichever finishes
 * last must not put back an older state. A world is published only when it
 * read the database after the world published now did
 * (fow_world_read_order: taken with the open's first read, so it orders
 * what the loads saw, not when they started or finished). A load that read
 * the same state as the world published now (the same data version) is
 * dropped too, so a reload of an unchanged database costs no new serial
 * and keeps every cached answer. Ordering by the data version's generation
 * instead would refuse a database deleted and imported anew at the same
 * path (its generation starts again from 1); the read order has no such
 * case. The consequence: after the last commit, the first load that reads
 * the database publishes its state and no load can replace it with an
 * older one.
 */
#ifndef FOW_WORLD_HOLDER_H
#define FOW_WORLD_HOLDER_H

#include <stdint.h>

#include "base/fow_error.h"
#include "service/fow_world.h"

typedef struct fow_world_holder fow_world_holder;

/* What an offer or a reload did. */
typedef enum fow_world_offer {
    FOW_WORLD_PUBLISHED = 0, /* the fresh world is published now */
    FOW_WORLD_SAME_STATE,    /* dropped: it read the state the published world holds */
    FOW_WORLD_SUPERSEDED,    /* dropped: the published world read the database later */
} fow_world_offer;

/* A holder with no world published. Fails with FOW_ENOMEM. */
fow_code fow_world_holder_new(fow_world_holder **out, fow_error *err);

/* Releases the published world and frees the holder. No reader, reload
 * or offer may still be using it. NULL is allowed. */
void fow_world_holder_free(fow_world_holder *holder);

/* A reference to the world published now (give it back with
 * fow_world_release), or NULL when none is; *serial (may be NULL) gets
 * its publication's serial, 0 when none. */
fow_world *fow_world_holder_acquire(fow_world_holder *holder, uint64_t *serial);

/* The serial of the publication now (0: none). */
uint64_t fow_world_holder_serial(fow_world_holder *holder);

/* Offers fresh (takes over its reference): published unless the world
 * published now read the database at the same moment or later
 * (FOW_WORLD_SUPERSEDED) or holds the same known state
 * (FOW_WORLD_SAME_STATE); a dropped world is released. */
fow_world_offer fow_world_holder_offer(fow_world_holder *holder, fow_world *fresh);

/* Opens the world of db_path (fow_world_open with options, which may be
 * NULL) and offers it; *outcome (may be NULL) says what the offer did. The
 * world published before stays on failure. Fails like fow_world_open. */
fow_code fow_world_holder_reload(fow_world_holder *holder, const char *db_path, const fow_world_options *options,
                                 fow_world_offer *outcome, fow_error *err);

/* Unpublishes the world published now (readers keep their references);
 * a later offer publishes a world only if it read the database after the
 * last one published. */
void fow_world_holder_clear(fow_world_holder *holder);

/* Offers dropped as superseded so far (for tests). */
uint64_t fow_world_holder_superseded(fow_world_holder *holder);

#endif
