/* fow_check.h — the results of consistency checks (`fow check`).
 *
 * Each module of libfow has a function that runs its expensive checks
 * (fow_taxonomy_check, ...) and adds one result per check to a report:
 * its name, what it checks, how many items it looked at, how many of them
 * are wrong, and the first few wrong ones, each named (table and row).
 * The cheap invariants are assert()s in the code instead (FOW_ASSERTS).
 */
#ifndef FOW_CHECK_H
#define FOW_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How many problems of one check are kept as examples (the rest counted). */
#define FOW_CHECK_EXAMPLES 5

typedef struct fow_check_result {
    char name[48];        /* "taxonomy.relations": module, then what */
    char what[200];       /* what it checks, one sentence */
    uint64_t checked;     /* items looked at (rows, usually) */
    uint64_t problems;    /* items found wrong */
    size_t n_examples;    /* min(problems, FOW_CHECK_EXAMPLES) */
    char examples[FOW_CHECK_EXAMPLES][300]; /* the first problems, each naming its table and row */
} fow_check_result;

typedef struct fow_check_report {
    fow_check_result *results;
    size_t n_results, cap;
} fow_check_report;

/* An empty report. */
void fow_check_report_init(fow_check_report *report);

/* Frees the results; the report is empty again. */
void fow_check_report_free(fow_check_report *report);

/* Adds a check named name (truncated to fit) that checks what, with no
 * items and no problems yet; returns it (valid until the next call on the
 * report), or NULL when out of memory. */
fow_check_result *fow_check_begin(fow_check_report *report, const char *name, const char *what);

/* Counts one problem of check; its description (printf-style, naming the
 * table and the row) is kept when fewer than FOW_CHECK_EXAMPLES are. */
void fow_check_problem(fow_check_result *check, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* True when no check of the report found a problem. */
bool fow_check_report_ok(const fow_check_report *report);

#endif
