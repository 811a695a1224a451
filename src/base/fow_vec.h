/* fow_vec.h — growing arrays. */
#ifndef FOW_VEC_H
#define FOW_VEC_H

#include <stddef.h>

/* Makes room for at least need elements of size elem in *items (capacity
 * *cap), doubling. Returns 0, or -1 when out of memory (*items unchanged). */
int fow_vec_reserve(void **items, size_t *cap, size_t elem, size_t need);

/* Appends one element: FOW_VEC_PUSH(array, count, cap, value) evaluates to
 * 0 on success and -1 when out of memory. */
#define FOW_VEC_PUSH(arr, n, cap, value)                                                   \
    (fow_vec_reserve((void **)&(arr), &(cap), sizeof *(arr), (n) + 1) != 0                 \
         ? -1                                                                              \
         : ((arr)[(n)++] = (value), 0))

#endif
