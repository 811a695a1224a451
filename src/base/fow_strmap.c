#include "base/fow_strmap.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

uint64_t fow_hash_bytes(const void *data, size_t len) {
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void fow_strmap_init(fow_strmap *m) {
    m->slots = NULL;
    m->cap = 0;
    m->count = 0;
    fow_arena_init(&m->keys, 0);
}

static fow_strmap_slot *find_slot(fow_strmap_slot *slots, size_t cap, const char *key,
                                  size_t len, uint64_t hash) {
    /* a power of two, never full (the load stays under 3/4), so the probe ends */
    assert(cap > 0 && (cap & (cap - 1)) == 0);
    size_t i = (size_t)hash & (cap - 1);
    for (;;) {
        fow_strmap_slot *s = &slots[i];
        if (!s->key || (s->hash == hash && s->len == len && memcmp(s->key, key, len) == 0))
            return s;
        i = (i + 1) & (cap - 1);
    }
}

static int grow(fow_strmap *m) {
    size_t cap = m->cap ? m->cap * 2 : 64;
    fow_strmap_slot *slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < m->cap; i++) {
        fow_strmap_slot *old = &m->slots[i];
        if (old->key) *find_slot(slots, cap, old->key, old->len, old->hash) = *old;
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return 0;
}

int fow_strmap_put(fow_strmap *m, const char *key, size_t len, int64_t value) {
    if ((m->count + 1) * 4 > m->cap * 3 && grow(m) != 0) return -1;
    uint64_t hash = fow_hash_bytes(key, len);
    fow_strmap_slot *s = find_slot(m->slots, m->cap, key, len, hash);
    if (s->key) {
        s->value = value;
        return 0;
    }
    char *copy = fow_arena_strndup(&m->keys, key, len);
    if (!copy) return -1;
    *s = (fow_strmap_slot){copy, len, hash, value};
    m->count++;
    assert(m->count * 4 <= m->cap * 3);
    return 0;
}

const char *fow_strmap_intern(fow_strmap *m, const char *key, size_t len, int64_t value, int64_t *stored) {
    if ((m->count + 1) * 4 > m->cap * 3 && grow(m) != 0) return NULL;
    uint64_t hash = fow_hash_bytes(key, len);
    fow_strmap_slot *s = find_slot(m->slots, m->cap, key, len, hash);
    if (!s->key) {
        char *copy = fow_arena_strndup(&m->keys, key, len);
        if (!copy) return NULL;
        *s = (fow_strmap_slot){copy, len, hash, value};
        m->count++;
    }
    *stored = s->value;
    return s->key;
}

int fow_strmap_get(const fow_strmap *m, const char *key, size_t len, int64_t *value) {
    if (!m->cap) return 0;
    fow_strmap_slot *s = find_slot(m->slots, m->cap, key, len, fow_hash_bytes(key, len));
    if (!s->key) return 0;
    *value = s->value;
    return 1;
}

void fow_strmap_free(fow_strmap *m) {
    free(m->slots);
    fow_arena_free(&m->keys);
    fow_strmap_init(m);
}
