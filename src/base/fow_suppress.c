/* fow_suppress.c — small-cell suppression (fow_suppress.h). */
#include "base/fow_suppress.h"

#include <stdint.h>

bool fow_suppress_small(long long people) {
    return people > 0 && people < FOW_SUPPRESS_K;
}

void fow_suppress_complement(fow_suppress_cell *cells, size_t n, bool total_suppressed) {
    if (total_suppressed) {
        for (size_t i = 0; i < n; i++) *cells[i].suppressed = cells[i].value > 0;
        return;
    }
    size_t n_suppressed = 0;
    for (size_t i = 0; i < n; i++) n_suppressed += *cells[i].suppressed;
    if (n_suppressed != 1) return;
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < n; i++)
        if (!*cells[i].suppressed && cells[i].value > 0 && (best == SIZE_MAX || cells[i].value < cells[best].value))
            best = i;
    if (best == SIZE_MAX) return;
    *cells[best].suppressed = true;
    if (cells[best].complementary) *cells[best].complementary = true;
}
