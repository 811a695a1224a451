/* fow_arena.h — a bump allocator for memory that lives and dies together
 * (the loaded model, one import, one request). Nothing is freed singly;
 * fow_arena_free releases everything at once. Not thread-safe: one owner. */
#ifndef FOW_ARENA_H
#define FOW_ARENA_H

#include <stddef.h>

typedef struct fow_arena_chunk fow_arena_chunk;

typedef struct fow_arena {
    fow_arena_chunk *head;
    size_t chunk_size; /* default size of new chunks */
    size_t allocated;  /* bytes handed out, for statistics */
} fow_arena;

/* Initialises an empty arena whose chunks are at least chunk_size bytes
 * (0 picks 64 KiB). Can't fail: memory is taken on first use. */
void fow_arena_init(fow_arena *a, size_t chunk_size);

/* Returns n bytes aligned for any type, or NULL when out of memory. The
 * memory is not zeroed and stays valid until fow_arena_free. */
void *fow_arena_alloc(fow_arena *a, size_t n);

/* Copies the len bytes at s into the arena and adds a NUL. NULL on OOM. */
char *fow_arena_strndup(fow_arena *a, const char *s, size_t len);

/* fow_arena_strndup of a NUL-terminated string; NULL s gives NULL. */
char *fow_arena_strdup(fow_arena *a, const char *s);

/* Releases every chunk. The arena may be used again afterwards. */
void fow_arena_free(fow_arena *a);

#endif
