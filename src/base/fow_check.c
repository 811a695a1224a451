/* fow_check.c — the results of consistency checks. */
#include "base/fow_check.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(FOW_ASSERTS) && defined(NDEBUG)
#error "FOW_ASSERTS is on but NDEBUG is defined: assert() would check nothing"
#endif

void fow_check_report_init(fow_check_report *r) { memset(r, 0, sizeof *r); }

void fow_check_report_free(fow_check_report *r) {
    free(r->results);
    fow_check_report_init(r);
}

fow_check_result *fow_check_begin(fow_check_report *r, const char *name, const char *what) {
    assert(r->n_results <= r->cap);
    if (r->n_results == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        fow_check_result *grown = realloc(r->results, cap * sizeof *grown);
        if (!grown) return NULL;
        r->results = grown, r->cap = cap;
    }
    fow_check_result *c = &r->results[r->n_results++];
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    snprintf(c->what, sizeof c->what, "%s", what);
    return c;
}

/* Cuts s (NUL-terminated) before a UTF-8 sequence that a truncation left
 * incomplete at its end. */
static void cut_incomplete_utf8(char *s) {
    size_t n = strlen(s), lead = n;
    while (lead > 0 && ((unsigned char)s[lead - 1] & 0xC0) == 0x80) lead--;
    if (lead == 0) return;
    unsigned char b = (unsigned char)s[lead - 1];
    size_t need = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : 4;
    if (lead - 1 + need > n) s[lead - 1] = '\0';
}

void fow_check_problem(fow_check_result *c, const char *fmt, ...) {
    assert(c->n_examples <= FOW_CHECK_EXAMPLES && c->n_examples <= c->problems);
    c->problems++;
    if (c->n_examples == FOW_CHECK_EXAMPLES) return;
    va_list ap;
    va_start(ap, fmt);
    char *text = c->examples[c->n_examples++];
    int len = vsnprintf(text, sizeof c->examples[0], fmt, ap);
    va_end(ap);
    if (len >= (int)sizeof c->examples[0]) cut_incomplete_utf8(text);
}

bool fow_check_report_ok(const fow_check_report *r) {
    for (size_t i = 0; i < r->n_results; i++)
        if (r->results[i].problems) return false;
    return true;
}
