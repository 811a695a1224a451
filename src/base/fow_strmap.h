/* fow_strmap.h — a hash map from strings to 64-bit integers (open
 * addressing, linear probing). Keys are copied into the map's own arena.
 * Used by importers to resolve URIs and labels to row ids without a
 * database round trip per row. Not thread-safe for writers. */
#ifndef FOW_STRMAP_H
#define FOW_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "base/fow_arena.h"

typedef struct fow_strmap_slot {
    const char *key; /* NULL: empty */
    size_t len;
    uint64_t hash;
    int64_t value;
} fow_strmap_slot;

typedef struct fow_strmap {
    fow_strmap_slot *slots;
    size_t cap; /* power of two */
    size_t count;
    fow_arena keys;
} fow_strmap;

/* Initialises an empty map. Can't fail. */
void fow_strmap_init(fow_strmap *m);

/* Sets key (len bytes) to value, replacing an old value. Returns 0, or -1
 * when out of memory (the map is unchanged). */
int fow_strmap_put(fow_strmap *m, const char *key, size_t len, int64_t value);

/* Looks key up. Returns 1 and sets *value when present, else 0. */
int fow_strmap_get(const fow_strmap *m, const char *key, size_t len, int64_t *value);

/* Looks key up and, when absent, adds it with value. Returns the map's own
 * copy of the key (NUL-terminated, valid until fow_strmap_free) and sets
 * *stored to the value the key now has (the older one when it was present);
 * NULL when out of memory (the map is unchanged). */
const char *fow_strmap_intern(fow_strmap *m, const char *key, size_t len, int64_t value, int64_t *stored);

/* Frees everything the map holds; it may be initialised again. */
void fow_strmap_free(fow_strmap *m);

/* FNV-1a 64-bit hash of len bytes. */
uint64_t fow_hash_bytes(const void *data, size_t len);

#endif
