/* fow_jw.h — a streaming JSON writer: a document is written in order, key by
 * key, into one growing buffer that can be reused for the next document, so
 * that writing allocates nothing once the buffer is large enough.
 *
 * The text is the one jansson's json_dumps writes for the same values, byte
 * for byte: keys in the order written; compact (indent 0: "," and ":") or
 * indented (indent n: a new line and n spaces per level, ": " after keys,
 * "[]" and "{}" when empty); strings with '"', '\\' and control characters
 * escaped (\b \f \n \r \t, else \u00XX) and other bytes as they are; whole
 * numbers in decimal; reals as printf's "%.<precision>g", then ".0" added
 * when neither '.' nor 'e' is in it, and the exponent without '+' and
 * leading zeros (1e-05 -> 1e-5), as jansson's JSON_REAL_PRECISION does. The
 * reals are formatted with exact integer arithmetic where that is possible
 * (|v| from 1e-5 to 1e17), and by snprintf elsewhere; both round the exact
 * binary value to nearest, ties to even.
 *
 * Invalid UTF-8 in a string is written as U+FFFD, one per bad byte. Being
 * out of memory is remembered (fow_jw_failed) and the writing goes on as a
 * no-op, so that a caller checks once at the end. */
#ifndef FOW_JW_H
#define FOW_JW_H

#include <assert.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define FOW_JW_MAX_DEPTH 64

typedef struct fow_jw {
    char *buf;
    size_t len, cap;
    int indent;    /* spaces per level; 0: compact */
    int precision; /* significant digits of reals, 1..17 */
    int depth;
    bool failed;
    bool after_key;                       /* the next value follows a key */
    uint32_t items[FOW_JW_MAX_DEPTH + 1]; /* items written so far at each open level */
} fow_jw;

/* Starts an empty writer (no allocation yet): indent spaces per level (0:
 * compact, at most 31), reals with 17 significant digits. */
void fow_jw_init(fow_jw *w, int indent);

/* Empties w for a new document, keeping its buffer, indent and precision
 * 17. Can't fail. */
void fow_jw_reset(fow_jw *w);

/* Frees w's buffer. w may be used again after fow_jw_init. */
void fow_jw_free(fow_jw *w);

/* Significant digits of the reals written from now on (1..17; others: 17). */
void fow_jw_set_precision(fow_jw *w, int digits);

/* True when memory ran out or the nesting went past FOW_JW_MAX_DEPTH: the
 * text is then incomplete and must not be used. */
bool fow_jw_failed(const fow_jw *w);

/* The text written so far, NUL-terminated (borrowed: valid until the next
 * write, reset or free), and its length in *len (may be NULL). NULL when
 * fow_jw_failed. */
const char *fow_jw_text(const fow_jw *w, size_t *len);

/* Hands the buffer over to the caller (free() it), NUL-terminated, with its
 * length in *len; w is left empty and ready. NULL when fow_jw_failed (then
 * w is reset). */
char *fow_jw_take(fow_jw *w, size_t *len);

/* Gives w the empty malloc'd buffer buf of cap bytes (w takes it over and
 * frees the one it had) and empties w for a new document: after
 * fow_jw_take, so that the next document need not grow a buffer from
 * nothing. buf NULL or cap 0: buf is freed and w is left as it was. Can't
 * fail. */
void fow_jw_give(fow_jw *w, char *buf, size_t cap);

/* Containers. Every begin needs its end; inside an object, every value
 * comes after its key. */
void fow_jw_object(fow_jw *w);
void fow_jw_object_end(fow_jw *w);
void fow_jw_array(fow_jw *w);
void fow_jw_array_end(fow_jw *w);

/* The key (n bytes) of the next value of the current object. */
void fow_jw_key_n(fow_jw *w, const char *key, size_t n);

/* True when each of the n bytes of key is written as it is in a JSON
 * string (printable ASCII but '"' and '\\'). */
static inline bool fow_jw_plain_key_(const char *key, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)key[i];
        if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') return false;
    }
    return true;
}

/* The key of the next value of the current object. Always inline: when
 * the key's length is known when compiling (a literal: fow's own keys,
 * which must be plain printable ASCII without '"' or '\\', an assert
 * checks it), in a compact document with room in the buffer, the comma,
 * the quoted key and the colon are stored at once with no call; else (and
 * for every key not known when compiling) fow_jw_key_n, which escapes. */
#if defined(__GNUC__) || defined(__clang__)
#define FOW_JW_ALWAYS_INLINE __attribute__((always_inline)) inline
#else
#define FOW_JW_ALWAYS_INLINE inline
#endif
static FOW_JW_ALWAYS_INLINE void fow_jw_key(fow_jw *w, const char *key) {
    size_t n = strlen(key);
#if defined(__GNUC__) || defined(__clang__)
    if (__builtin_constant_p(n) && n <= 32 && !w->indent && w->depth > 0 && !w->failed &&
        w->len + n + 5 <= w->cap) {
        assert(fow_jw_plain_key_(key, n));
        char *o = w->buf + w->len;
        size_t comma = w->items[w->depth]++ > 0;
        o[0] = ',';
        o[comma] = '"';
        memcpy(o + comma + 1, key, n);
        o[comma + n + 1] = '"';
        o[comma + n + 2] = ':';
        w->len += comma + n + 3;
        w->after_key = true;
        return;
    }
#endif
    fow_jw_key_n(w, key, n);
}

/* Values. fow_jw_string(w, NULL) writes null. fow_jw_real writes null for
 * a NaN or an infinity (jansson has no such numbers). */
void fow_jw_string(fow_jw *w, const char *s);
void fow_jw_string_n(fow_jw *w, const char *s, size_t n);
void fow_jw_int(fow_jw *w, long long v);
void fow_jw_real(fow_jw *w, double v);
void fow_jw_bool(fow_jw *w, bool v);
void fow_jw_null(fow_jw *w);

/* A jansson value, as json_dumps would write it inside the document (with
 * w's indent and precision). A NULL value writes null. */
void fow_jw_json(fow_jw *w, const json_t *value);

/* A key and its value in one call (always inline, for fow_jw_key's fast
 * path on literal keys). */
static FOW_JW_ALWAYS_INLINE void fow_jw_kstring(fow_jw *w, const char *key, const char *s) {
    fow_jw_key(w, key);
    fow_jw_string(w, s);
}
static FOW_JW_ALWAYS_INLINE void fow_jw_kint(fow_jw *w, const char *key, long long v) {
    fow_jw_key(w, key);
    fow_jw_int(w, v);
}
static FOW_JW_ALWAYS_INLINE void fow_jw_kreal(fow_jw *w, const char *key, double v) {
    fow_jw_key(w, key);
    fow_jw_real(w, v);
}
static FOW_JW_ALWAYS_INLINE void fow_jw_kbool(fow_jw *w, const char *key, bool v) {
    fow_jw_key(w, key);
    fow_jw_bool(w, v);
}
static FOW_JW_ALWAYS_INLINE void fow_jw_knull(fow_jw *w, const char *key) {
    fow_jw_key(w, key);
    fow_jw_null(w);
}
/* "key": {"id": id, "<label_key>": label}: another record, named inside
 * this one by its id and its name or code. */
static FOW_JW_ALWAYS_INLINE void fow_jw_kref(fow_jw *w, const char *key, long long id, const char *label_key,
                                             const char *label) {
    fow_jw_key(w, key);
    fow_jw_object(w);
    fow_jw_kint(w, "id", id);
    fow_jw_kstring(w, label_key, label);
    fow_jw_object_end(w);
}

/* The text of v as a jansson real with precision significant digits
 * (1..17) into out (at least 32 bytes), NUL-terminated; returns its
 * length. For a NaN or an infinity: "null". */
int fow_jw_format_real(char *out, double v, int precision);

#endif
