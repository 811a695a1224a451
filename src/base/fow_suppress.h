/* fow_suppress.h — small-cell suppression of published counts of people
 * (docs/indicators.md "Suppression"), shared by every subject that
 * publishes aggregates (src/indicators, the labs' usage): a count of 1 to
 * k-1 people is never shown (a true 0 names nobody and is shown), and in a
 * column whose total is shown a second cell is hidden when one alone would
 * be recovered as the total minus the others. No fow dependency. */
#ifndef FOW_SUPPRESS_H
#define FOW_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

/* The threshold of the programme: cells under 10 people are suppressed. */
#define FOW_SUPPRESS_K 10

/* True when a count of people must be suppressed: 1 .. FOW_SUPPRESS_K - 1. */
bool fow_suppress_small(long long people);

/* One cell of a column: its value and where its flags live (the caller's
 * rows). */
typedef struct fow_suppress_cell {
    long long value;
    bool *suppressed;     /* in: primary suppression; out: also the complementary */
    bool *complementary;  /* out: set for a cell hidden only to protect another (may be NULL) */
} fow_suppress_cell;

/* Complementary suppression of the column cells[0..n) whose total is
 * total_suppressed or not: when the total is suppressed, every non-zero
 * cell is; when it is shown and exactly one cell is suppressed, the
 * smallest shown non-zero cell is suppressed too (complementary); a 0
 * would hide nothing. Cannot fail. */
void fow_suppress_complement(fow_suppress_cell *cells, size_t n, bool total_suppressed);

#endif
