#include "base/fow_arena.h"

#include <assert.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fow_arena_chunk {
    fow_arena_chunk *next;
    size_t size;
    size_t used;
    alignas(max_align_t) unsigned char data[];
};

void fow_arena_init(fow_arena *a, size_t chunk_size) {
    assert(a != NULL);
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 64 * 1024;
    a->allocated = 0;
}

void *fow_arena_alloc(fow_arena *a, size_t n) {
    const size_t align = alignof(max_align_t);
    size_t need = (n + align - 1) & ~(align - 1);
    if (need < n) return NULL;
    fow_arena_chunk *c = a->head;
    if (!c || c->size - c->used < need) {
        size_t size = need > a->chunk_size ? need : a->chunk_size;
        c = malloc(sizeof *c + size);
        if (!c) return NULL;
        c->size = size;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    assert(c->used + need <= c->size);
    void *p = c->data + c->used;
    assert((uintptr_t)p % align == 0);
    c->used += need;
    a->allocated += n;
    return p;
}

char *fow_arena_strndup(fow_arena *a, const char *s, size_t len) {
    char *p = fow_arena_alloc(a, len + 1);
    if (!p) return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *fow_arena_strdup(fow_arena *a, const char *s) {
    return s ? fow_arena_strndup(a, s, strlen(s)) : NULL;
}

void fow_arena_free(fow_arena *a) {
    fow_arena_chunk *c = a->head;
    while (c) {
        fow_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->allocated = 0;
}
