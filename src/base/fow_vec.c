#include "base/fow_vec.h"

#include <stdint.h>
#include <stdlib.h>

int fow_vec_reserve(void **items, size_t *cap, size_t elem, size_t need) {
    if (need <= *cap) return 0;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2 / elem) return -1;
        n *= 2;
    }
    void *p = realloc(*items, n * elem);
    if (!p) return -1;
    *items = p;
    *cap = n;
    return 0;
}
