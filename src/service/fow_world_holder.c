/* fow_world_holder.c — one published world, swapped under a lock, never
 * replaced by one that read the database earlier (fow_world_holder.h). */
#include "service/fow_world_holder.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>

struct fow_world_holder {
    pthread_mutex_t lock; /* guards every field below */
    fow_world *current;   /* one reference; NULL when none is published */
    uint64_t serial;      /* of current's publication; 0 when none */
    uint64_t last_serial; /* the last serial given out */
    uint64_t read_order;  /* fow_world_read_order of the last world published (kept after a clear) */
    uint64_t superseded;
};

fow_code fow_world_holder_new(fow_world_holder **out, fow_error *err) {
    *out = calloc(1, sizeof **out);
    if (!*out) return fow_error_set(err, FOW_ENOMEM, "out of memory making the world holder");
    pthread_mutex_init(&(*out)->lock, NULL);
    return FOW_OK;
}

void fow_world_holder_free(fow_world_holder *h) {
    if (!h) return;
    fow_world_release(h->current);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

fow_world *fow_world_holder_acquire(fow_world_holder *h, uint64_t *serial) {
    pthread_mutex_lock(&h->lock);
    fow_world *w = h->current ? fow_world_retain(h->current) : NULL;
    if (serial) *serial = h->serial;
    pthread_mutex_unlock(&h->lock);
    return w;
}

uint64_t fow_world_holder_serial(fow_world_holder *h) {
    pthread_mutex_lock(&h->lock);
    uint64_t serial = h->serial;
    pthread_mutex_unlock(&h->lock);
    return serial;
}

fow_world_offer fow_world_holder_offer(fow_world_holder *h, fow_world *fresh) {
    assert(fresh);
    uint64_t order = fow_world_read_order(fresh);
    fow_world *drop;
    fow_world_offer outcome;
    pthread_mutex_lock(&h->lock);
    if (order <= h->read_order) {
        outcome = FOW_WORLD_SUPERSEDED;
        h->superseded++;
        drop = fresh;
    } else if (h->current && fow_data_version_same(fow_world_data_version(fresh), fow_world_data_version(h->current))) {
        outcome = FOW_WORLD_SAME_STATE;
        drop = fresh;
    } else {
        outcome = FOW_WORLD_PUBLISHED;
        drop = h->current;
        h->current = fresh;
        h->serial = ++h->last_serial;
    }
    /* a newer read of the same state still raises the bar for older ones */
    if (order > h->read_order) h->read_order = order;
    pthread_mutex_unlock(&h->lock);
    fow_world_release(drop); /* outside the lock: the last release frees a world */
    return outcome;
}

fow_code fow_world_holder_reload(fow_world_holder *h, const char *db_path, const fow_world_options *options,
                                 fow_world_offer *outcome, fow_error *err) {
    fow_world *fresh;
    fow_code rc = fow_world_open(db_path, options, &fresh, err);
    if (rc) return rc;
    fow_world_offer result = fow_world_holder_offer(h, fresh);
    if (outcome) *outcome = result;
    return FOW_OK;
}

void fow_world_holder_clear(fow_world_holder *h) {
    pthread_mutex_lock(&h->lock);
    fow_world *old = h->current;
    h->current = NULL;
    h->serial = 0;
    pthread_mutex_unlock(&h->lock);
    fow_world_release(old);
}

uint64_t fow_world_holder_superseded(fow_world_holder *h) {
    pthread_mutex_lock(&h->lock);
    uint64_t n = h->superseded;
    pthread_mutex_unlock(&h->lock);
    return n;
}
