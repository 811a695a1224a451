#include "base/fow_vec.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

int fow_vec_reserve(void **items, size_t *cap, size_t elem, size_t need) {
    assert(elem > 0 && (*items != NULL || *cap == 0));
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
    assert(*cap >= need);
    return 0;
}
