/* fow_text.h — text folding for search: case, accents, apostrophes, spaces.
 *
 * fow_text_fold turns a label or a query into the form the search index
 * compares: Unicode case folding (utf8proc), combining marks removed (so
 * "ș", "ş", "s" all fold to "s"; "ă", "â", "a" to "a"), typographic
 * apostrophes and quotes folded to ASCII "'", every run of white space
 * folded to one space, leading and trailing space removed.
 */
#ifndef FOW_TEXT_H
#define FOW_TEXT_H

#include <stddef.h>

#include "base/fow_error.h"

/* Folds the len bytes of UTF-8 at s. Returns a malloc'd NUL-terminated
 * string (the caller frees it) and its length in *out_len (may be NULL),
 * or NULL with err filled (FOW_EINPUT for invalid UTF-8, FOW_ENOMEM). */
char *fow_text_fold(const char *s, size_t len, size_t *out_len, fow_error *err);

/* Folds s into buf of size cap without allocating when s is ASCII, falling
 * back to fow_text_fold otherwise. Returns the folded length, or -1 when it
 * does not fit or s is not valid UTF-8 (err filled). buf is NUL-terminated. */
long fow_text_fold_into(const char *s, size_t len, char *buf, size_t cap, fow_error *err);

/* 1 when byte offset i of the folded string s starts a word: s[i] is a
 * letter or digit (or a non-ASCII character) and i is 0 or s[i-1] is an
 * ASCII character that is not a letter or digit. */
int fow_text_is_word_start(const char *s, size_t i);

#endif
