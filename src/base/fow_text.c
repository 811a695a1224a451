#include "base/fow_text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static int is_ascii_alnum(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int fow_text_is_word_start(const char *s, size_t i) {
    unsigned char c = (unsigned char)s[i];
    if (!(is_ascii_alnum(c) || c >= 0xC0)) return 0;
    if (i == 0) return 1;
    unsigned char p = (unsigned char)s[i - 1];
    return p < 0x80 && !is_ascii_alnum(p);
}

/* Collapses white space and trims, in place. Returns the new length. */
static size_t squeeze_spaces(char *s, size_t n) {
    size_t w = 0;
    int pending_space = 0;
    for (size_t r = 0; r < n; r++) {
        unsigned char c = (unsigned char)s[r];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            pending_space = 1;
            continue;
        }
        if (pending_space && w > 0) s[w++] = ' ';
        pending_space = 0;
        s[w++] = (char)c;
    }
    s[w] = '\0';
    return w;
}

/* utf8proc custom mapping: apostrophes and quotes to ASCII, odd spaces to ' '. */
static utf8proc_int32_t map_punctuation(utf8proc_int32_t cp, void *data) {
    (void)data;
    switch (cp) {
    case 0x2018: case 0x2019: case 0x201B: case 0x02BC: case 0x02B9: case 0x2032: case 0x00B4:
    case 0x0060:
        return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB:
        return '"';
    case 0x00A0: case 0x2007: case 0x202F: case 0x2009: case 0x200A: case 0x2002: case 0x2003:
        return ' ';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
        return '-';
    default:
        return cp;
    }
}

char *fow_text_fold(const char *s, size_t len, size_t *out_len, fow_error *err) {
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map_custom(
        (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &out,
        UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE, map_punctuation,
        NULL);
    if (n < 0) {
        fow_error_set(err, n == UTF8PROC_ERROR_NOMEM ? FOW_ENOMEM : FOW_EINPUT,
                      "cannot fold text: %s", utf8proc_errmsg(n));
        return NULL;
    }
    size_t m = squeeze_spaces((char *)out, (size_t)n);
    if (out_len) *out_len = m;
    return (char *)out;
}

long fow_text_fold_into(const char *s, size_t len, char *buf, size_t cap, fow_error *err) {
    int ascii = 1;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80) {
            ascii = 0;
            break;
        }
    if (ascii) {
        if (len + 1 > cap) {
            fow_error_set(err, FOW_EINPUT, "text too long (%zu bytes, at most %zu)", len, cap - 1);
            return -1;
        }
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
            else if (c == '`') c = '\'';
            buf[i] = (char)c;
        }
        return (long)squeeze_spaces(buf, len);
    }
    size_t n;
    char *folded = fow_text_fold(s, len, &n, err);
    if (!folded) return -1;
    if (n + 1 > cap) {
        free(folded);
        fow_error_set(err, FOW_EINPUT, "text too long (%zu bytes, at most %zu)", n, cap - 1);
        return -1;
    }
    memcpy(buf, folded, n + 1);
    free(folded);
    return (long)n;
}
