/* fow_jw.c — the streaming JSON writer (fow_jw.h). */
#include "base/fow_jw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 u128;

/* ---- the buffer ------------------------------------------------------- */

static bool grow(fow_jw *w, size_t n);

/* Room for n more bytes and the final NUL; false when memory ran out. */
static inline bool reserve(fow_jw *w, size_t n) {
    if (w->len + n + 1 <= w->cap && !w->failed) return true;
    return grow(w, n);
}

static bool grow(fow_jw *w, size_t n) {
    if (w->failed) return false;
    if (w->len + n + 1 <= w->cap) return true;
    size_t cap = w->cap ? w->cap : 4096;
    while (cap < w->len + n + 1) cap *= 2;
    char *grown = realloc(w->buf, cap);
    if (!grown) {
        w->failed = true;
        return false;
    }
    w->buf = grown, w->cap = cap;
    return true;
}

static inline void put(fow_jw *w, const char *s, size_t n) {
    if (!reserve(w, n)) return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static inline void put_char(fow_jw *w, char c) {
    if (!reserve(w, 1)) return;
    w->buf[w->len++] = c;
}

void fow_jw_init(fow_jw *w, int indent) {
    memset(w, 0, sizeof *w);
    w->indent = indent < 0 ? 0 : indent > 31 ? 31 : indent;
    w->precision = 17;
}

void fow_jw_reset(fow_jw *w) {
    w->len = 0;
    w->depth = 0;
    w->failed = false;
    w->after_key = false;
    w->items[0] = 0;
    w->precision = 17;
}

void fow_jw_free(fow_jw *w) {
    free(w->buf);
    w->buf = NULL;
    w->len = w->cap = 0;
}

void fow_jw_set_precision(fow_jw *w, int digits) { w->precision = digits >= 1 && digits <= 17 ? digits : 17; }

bool fow_jw_failed(const fow_jw *w) { return w->failed; }

const char *fow_jw_text(const fow_jw *w, size_t *len) {
    if (w->failed) return NULL;
    if (len) *len = w->len;
    if (!w->buf) return "";
    w->buf[w->len] = '\0'; /* reserve() always keeps room for it */
    return w->buf;
}

char *fow_jw_take(fow_jw *w, size_t *len) {
    if (w->failed || !reserve(w, 0)) {
        fow_jw_reset(w);
        return NULL;
    }
    char *text = w->buf;
    text[w->len] = '\0';
    if (len) *len = w->len;
    int indent = w->indent;
    fow_jw_init(w, indent);
    return text;
}

void fow_jw_give(fow_jw *w, char *buf, size_t cap) {
    if (!buf || cap == 0) {
        free(buf);
        return;
    }
    free(w->buf);
    w->buf = buf;
    w->cap = cap;
    fow_jw_reset(w);
}

/* ---- structure ---------------------------------------------------------- */

static void new_line(fow_jw *w, int depth) {
    size_t n = 1 + (size_t)depth * (size_t)w->indent;
    if (!reserve(w, n)) return;
    w->buf[w->len] = '\n';
    memset(w->buf + w->len + 1, ' ', n - 1);
    w->len += n;
}

/* A new item of the current container: the comma and the indentation. */
static void next_item(fow_jw *w) {
    if (w->depth == 0) return;
    if (w->items[w->depth]++ > 0) put_char(w, ',');
    if (w->indent) new_line(w, w->depth);
}

static void before_value(fow_jw *w) {
    if (w->after_key) w->after_key = false;
    else next_item(w);
}

static void open(fow_jw *w, char c) {
    before_value(w);
    if (w->depth >= FOW_JW_MAX_DEPTH) {
        w->failed = true;
        return;
    }
    put_char(w, c);
    w->items[++w->depth] = 0;
}

static void close_level(fow_jw *w, char c) {
    if (w->depth == 0) {
        w->failed = true;
        return;
    }
    uint32_t n = w->items[w->depth--];
    if (n && w->indent) new_line(w, w->depth);
    put_char(w, c);
}

void fow_jw_object(fow_jw *w) { open(w, '{'); }
void fow_jw_object_end(fow_jw *w) { close_level(w, '}'); }
void fow_jw_array(fow_jw *w) { open(w, '['); }
void fow_jw_array_end(fow_jw *w) { close_level(w, ']'); }

/* ---- strings ---------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at p (of at most n bytes): 2 to 4, or 0
 * (what jansson rejects: stray continuation bytes, overlong forms,
 * surrogates, beyond U+10FFFF, cut short). p[0] >= 0x80. */
static size_t utf8_sequence(const unsigned char *p, size_t n) {
    unsigned c = p[0];
    size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (len == 0 || len > n) return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F) || (c == 0xF0 && p[1] < 0x90) ||
        (c == 0xF4 && p[1] > 0x8F))
        return 0;
    return len;
}

/* Bytes written as they are inside a string: printable ASCII but '"' and '\\'. */
static const unsigned char plain_byte[256] = {
    ['\x20'] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* 0x20..0x2F: '"' is not */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,                /* 0x30..0x3F */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,                /* 0x40..0x4F */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,                /* 0x50..0x5F: '\\' is not */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,                /* 0x60..0x6F */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,                /* 0x70..0x7F */
};

/* Not zero when one of the 8 bytes of x needs attention: a byte below
 * 0x20, '"', '\\' or one from 0x80 (the usual tests for a byte below n and
 * for a zero byte, on all 8 at once: exact for whether any byte is such). */
static inline uint64_t special_bytes(uint64_t x) {
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
    uint64_t below = (x - ones * 0x20) & ~x;
    uint64_t is_quote = (quote - ones) & ~quote, is_backslash = (backslash - ones) & ~backslash;
    return (below | is_quote | is_backslash | x) & highs;
}

/* True when none of the 8 bytes of x needs attention. */
static inline bool plain_word(uint64_t x) { return special_bytes(x) == 0; }

/* Copies the n bytes at s to out (room for n bytes) a word at a time, the
 * last word overlapping the one before, and tells whether every one of
 * them is written as it is inside a string (the fast path of short strings
 * and keys: one pass, no call). */
__attribute__((always_inline)) static inline bool copy_plain(char *out, const unsigned char *s, size_t n) {
    uint64_t x, special = 0;
    if (n >= 8) {
        size_t i = 0;
        for (; i + 8 < n; i += 8) {
            memcpy(&x, s + i, 8);
            memcpy(out + i, &x, 8);
            special |= special_bytes(x);
        }
        memcpy(&x, s + n - 8, 8);
        memcpy(out + n - 8, &x, 8);
        return (special | special_bytes(x)) == 0;
    }
    if (n >= 4) {
        uint32_t first, last;
        memcpy(&first, s, 4);
        memcpy(&last, s + n - 4, 4);
        memcpy(out, &first, 4);
        memcpy(out + n - 4, &last, 4);
        return plain_word(first | (uint64_t)last << 32);
    }
    x = 0x2020202020202020ULL; /* spaces, which are plain, where there is no byte */
    for (size_t i = 0; i < n; i++) out[i] = (char)s[i], x = x << 8 | s[i];
    return plain_word(x);
}

/* Strings up to this long are first copied whole and checked in the same
 * pass (copy_plain); longer ones, and those that need escapes, go through
 * the loop of put_string. */
#define SHORT_STRING 256

static void put_string(fow_jw *w, const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    if (!reserve(w, n + 2)) return;
    if (n <= SHORT_STRING && copy_plain(w->buf + w->len + 1, p, n)) {
        w->buf[w->len] = '"';
        w->buf[w->len + n + 1] = '"';
        w->len += n + 2;
        return;
    }
    w->buf[w->len++] = '"';
    while (p < end) {
        const unsigned char *run = p;
        for (uint64_t x; end - p >= 8; p += 8) {
            memcpy(&x, p, 8);
            if (!plain_word(x)) break;
        }
        while (p < end && plain_byte[*p]) p++;
        if (p > run) put(w, (const char *)run, (size_t)(p - run));
        if (p == end) break;
        unsigned c = *p;
        if (c >= 0x80) {
            size_t len = utf8_sequence(p, (size_t)(end - p));
            if (len) put(w, (const char *)p, len), p += len;
            else put(w, "\xEF\xBF\xBD", 3), p++;
            continue;
        }
        char esc[8];
        const char *text = esc;
        size_t len = 2;
        switch (c) {
        case '"': text = "\\\""; break;
        case '\\': text = "\\\\"; break;
        case '\b': text = "\\b"; break;
        case '\f': text = "\\f"; break;
        case '\n': text = "\\n"; break;
        case '\r': text = "\\r"; break;
        case '\t': text = "\\t"; break;
        default: len = (size_t)snprintf(esc, sizeof esc, "\\u%04X", c); break;
        }
        put(w, text, len);
        p++;
    }
    put_char(w, '"');
}

void fow_jw_key_n(fow_jw *w, const char *key, size_t n) {
    /* compact, inside an object, a key without escapes: the comma, the
     * quoted key and the colon written at once */
    if (!w->indent && w->depth > 0 && n <= SHORT_STRING && reserve(w, n + 4)) {
        char *o = w->buf + w->len;
        size_t comma = w->items[w->depth] > 0;
        o[0] = ',';
        o[comma] = '"';
        if (copy_plain(o + comma + 1, (const unsigned char *)key, n)) {
            o[comma + n + 1] = '"';
            o[comma + n + 2] = ':';
            w->len += comma + n + 3;
            w->items[w->depth]++;
            w->after_key = true;
            return;
        }
    }
    next_item(w);
    put_string(w, key, n);
    if (w->indent) put(w, ": ", 2);
    else put_char(w, ':');
    w->after_key = true;
}

void fow_jw_string_n(fow_jw *w, const char *s, size_t n) {
    before_value(w);
    put_string(w, s, n);
}

void fow_jw_string(fow_jw *w, const char *s) {
    if (!s) fow_jw_null(w);
    else fow_jw_string_n(w, s, strlen(s));
}

/* ---- numbers ------------------------------------------------------------ */

void fow_jw_int(fow_jw *w, long long v) {
    before_value(w);
    char tmp[24];
    int i = (int)sizeof tmp;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) tmp[--i] = '-';
    put(w, tmp + i, sizeof tmp - (size_t)i);
}

static const uint64_t pow10_64[20] = {1ULL,
                                      10ULL,
                                      100ULL,
                                      1000ULL,
                                      10000ULL,
                                      100000ULL,
                                      1000000ULL,
                                      10000000ULL,
                                      100000000ULL,
                                      1000000000ULL,
                                      10000000000ULL,
                                      100000000000ULL,
                                      1000000000000ULL,
                                      10000000000000ULL,
                                      100000000000000ULL,
                                      1000000000000000ULL,
                                      10000000000000000ULL,
                                      100000000000000000ULL,
                                      1000000000000000000ULL,
                                      10000000000000000000ULL};

/* 10^n for n from 0 to 38. */
static inline u128 pow10_128(int n) {
    return n < 20 ? (u128)pow10_64[n] : (u128)pow10_64[19] * pow10_64[n - 19];
}

/* round(M * 2^E * 10^s), to nearest, ties to even, computed exactly into
 * *out; false when the numbers would not fit in 128 bits. */
static bool scaled_round(uint64_t M, int E, int s, u128 *out) {
    u128 q, r, half_test, den;
    if (s >= 0) {
        if (s > 22) return false;
        u128 x = (u128)M * pow10_128(s);
        if (E >= 0) {
            if (E > 40) return false;
            *out = x << E;
            return true;
        }
        int sh = -E;
        if (sh >= 127) return false;
        q = x >> sh;
        r = x & (((u128)1 << sh) - 1);
        den = (u128)1 << sh;
    } else {
        int t = -s;
        if (t > 19) return false;
        u128 d = pow10_128(t);
        if (E >= 0) {
            if (E > 60) return false;
            u128 x = (u128)M << E;
            q = x / d;
            r = x % d;
            den = d;
        } else {
            int sh = -E;
            if (sh > 60) return false;
            den = d << sh;
            q = (u128)M / den;
            r = (u128)M % den;
        }
    }
    half_test = r * 2;
    if (half_test > den || (half_test == den && (q & 1))) q++;
    *out = q;
    return true;
}

/* What jansson does after snprintf: ".0" when there is neither '.' nor
 * 'e', no '+' and no leading zeros in the exponent. */
static int jansson_fixup(char *s, int len) {
    if (!strchr(s, '.') && !strchr(s, 'e')) {
        s[len++] = '.', s[len++] = '0', s[len] = '\0';
    }
    char *e = strchr(s, 'e');
    if (e) {
        char *start = e + 1, *end = start + 1;
        if (*start == '-') start++;
        while (*end == '0') end++;
        if (end != start) {
            memmove(start, end, (size_t)(s + len - end) + 1);
            len -= (int)(end - start);
        }
    }
    return len;
}

/* 10^n as doubles, exact, for n from 0 to 22. */
static const double pow10_double[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* v * 10^s rounded to the nearest whole number, ties to even, into *N,
 * with double arithmetic: v * 10^s (or v / 10^-s) is one correctly rounded
 * operation, so it is within half an ulp of the exact product, which is at
 * most y * 2^-53. When the fraction of y is farther than y * 2^-50 from
 * one half, the exact product rounds the same way as y; otherwise (a tie or
 * too near one to tell) false, and the caller computes it exactly.
 * 0 <= v * 10^s < 2^53 and |s| <= 22. */
static inline bool fast_scaled_round(double v, int s, uint64_t *N) {
    double y = s >= 0 ? v * pow10_double[s] : v / pow10_double[-s];
    uint64_t whole = (uint64_t)y;
    double fraction = y - (double)whole; /* exact: y < 2^53 */
    double distance = fraction - 0.5;
    if (distance < 0) distance = -distance;
    if (!(distance > y * 0x1p-50)) return false;
    *N = whole + (fraction > 0.5);
    return true;
}

/* The P significant digits of v (1e-5 <= v < 1e15, P <= 15) as the whole
 * number *N (10^(P-1) <= *N < 10^P) and v's decimal exponent *k after the
 * rounding, computed with double arithmetic (fast_scaled_round); false when
 * that cannot tell (then scaled_round must). Agrees with the exact
 * computation of fow_jw_format_real whenever it returns true. */
static bool fast_digits(double v, int P, uint64_t *N, int *k_out) {
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int unbiased = (int)((bits >> 52) & 0x7FF) - 1023;
    /* floor(unbiased * log10(2)) <= log10(v), at most one too small: the
     * loop below corrects it */
    int k = unbiased >= 0 ? (unbiased * 78913) >> 18 : -((-unbiased * 78913 + (1 << 18) - 1) >> 18);
    uint64_t lo = pow10_64[P - 1], hi = pow10_64[P], n;
    for (int tries = 0; tries < 3; tries++) {
        if (!fast_scaled_round(v, P - 1 - k, &n)) return false;
        if (n >= hi) k++;
        else if (n < lo) k--;
        else {
            /* lo exactly may come from rounding up with k one too large:
             * then one more digit below still fits */
            uint64_t below;
            if (n == lo) {
                if (P - k > 22 || !fast_scaled_round(v, P - k, &below)) return false;
                if (below < hi) n = below, k--;
            }
            *N = n, *k_out = k;
            return true;
        }
    }
    return false;
}

int fow_jw_format_real(char *out, double v, int precision) {
    int P = precision >= 1 && precision <= 17 ? precision : 17;
    if (isnan(v) || isinf(v)) {
        memcpy(out, "null", 5);
        return 4;
    }
    char *o = out;
    if (signbit(v)) *o++ = '-', v = -v;
    if (v == 0) {
        memcpy(o, "0.0", 4);
        return (int)(o - out) + 3;
    }
    if (v < (double)pow10_64[P] && v == (double)(uint64_t)v) {
        /* a whole number of at most P digits: %g writes it whole, jansson
         * adds ".0" */
        char tmp[24];
        int i = (int)sizeof tmp;
        uint64_t u = (uint64_t)v;
        do {
            tmp[--i] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        memcpy(o, tmp + i, sizeof tmp - (size_t)i);
        o += sizeof tmp - (size_t)i;
        memcpy(o, ".0", 3);
        return (int)(o - out) + 2;
    }
    u128 N = 0;
    int k = 0;
    bool exact = false;
    uint64_t fast_n;
    if (P <= 15 && v >= 1e-5 && v < 1e15 && fast_digits(v, P, &fast_n, &k)) {
        N = fast_n;
        exact = true;
    } else if (v >= 1e-5 && v < 1e17) {
        uint64_t bits;
        memcpy(&bits, &v, sizeof bits); /* a normal double in this range: v = M * 2^E exactly */
        int biased = (int)((bits >> 52) & 0x7FF);
        uint64_t M = (bits & ((1ULL << 52) - 1)) | (1ULL << 52);
        int E = biased - 1075, unbiased = biased - 1023;
        /* floor(unbiased * log10(2)) <= log10(v), at most one too small: corrected below */
        k = unbiased >= 0 ? (unbiased * 78913) >> 18 : -((-unbiased * 78913 + (1 << 18) - 1) >> 18);
        u128 lo = pow10_128(P - 1), hi = lo * 10;
        exact = false;
        for (int tries = 0; tries < 3; tries++) {
            if (!scaled_round(M, E, P - 1 - k, &N)) break;
            if (N >= hi) k++;
            else if (N < lo) k--;
            else {
                /* lo exactly may come from rounding up with k one too large:
                 * then one more digit below still fits */
                u128 below;
                if (N == lo && scaled_round(M, E, P - k, &below) && below < hi) N = below, k--;
                exact = true;
                break;
            }
        }
    }
    if (!exact) {
        int len = snprintf(o, 28, "%.*g", P, v);
        return (int)(o - out) + jansson_fixup(o, len);
    }
    /* "00" to "99": two digits a division */
    static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                      "8081828384858687888990919293949596979899";
    char digits[20];
    uint64_t n = (uint64_t)N;
    if (P <= 8) {
        /* n < 10^8: eight digits from two halves of two pairs each, in
         * 32-bit arithmetic; the text is then written with copies of 8
         * bytes that may run past its end (out has room for 32 bytes, the
         * text at most 15) and of which only the needed part is kept */
        uint32_t high = (uint32_t)(n / 10000), low = (uint32_t)(n % 10000);
        char eight[16] = {0};
        memcpy(eight, digit_pairs + 2 * (high / 100), 2);
        memcpy(eight + 2, digit_pairs + 2 * (high % 100), 2);
        memcpy(eight + 4, digit_pairs + 2 * (low / 100), 2);
        memcpy(eight + 6, digit_pairs + 2 * (low % 100), 2);
        const char *d = eight + 8 - P; /* the P digits */
        int last = P - 1;              /* the last digit kept: %g drops trailing zeros of the fraction */
        if (k >= -4 && k < P) {
            if (k >= 0) {
                memcpy(o, d, 8);
                o += k + 1;
                while (last > k && d[last] == '0') last--;
                *o++ = '.';
                if (last > k) {
                    memcpy(o, d + k + 1, 8);
                    o += last - k;
                } else {
                    *o++ = '0';
                }
            } else {
                while (last > 0 && d[last] == '0') last--;
                memcpy(o, "0.0000", 6);
                o += 2 + (-k - 1);
                memcpy(o, d, 8);
                o += last + 1;
            }
            *o = '\0';
            return (int)(o - out);
        }
        memcpy(digits, d, 8); /* the exponent form below */
    } else {
        int i = P;
        for (; i >= 2; i -= 2) {
            memcpy(digits + i - 2, digit_pairs + 2 * (n % 100), 2);
            n /= 100;
        }
        if (i) digits[0] = (char)('0' + n);
    }
    int last = P - 1; /* the last digit kept: %g drops trailing zeros of the fraction */
    if (k < -4 || k >= P) {
        while (last > 0 && digits[last] == '0') last--;
        *o++ = digits[0];
        if (last > 0) {
            *o++ = '.';
            memcpy(o, digits + 1, (size_t)last);
            o += last;
        }
        *o++ = 'e';
        int x = k;
        if (x < 0) *o++ = '-', x = -x;
        if (x >= 10) *o++ = (char)('0' + x / 10);
        *o++ = (char)('0' + x % 10);
    } else if (k >= 0) {
        memcpy(o, digits, (size_t)k + 1);
        o += k + 1;
        while (last > k && digits[last] == '0') last--;
        *o++ = '.';
        if (last > k) {
            memcpy(o, digits + k + 1, (size_t)(last - k));
            o += last - k;
        } else {
            *o++ = '0';
        }
    } else {
        while (last > 0 && digits[last] == '0') last--;
        *o++ = '0', *o++ = '.';
        for (int z = 0; z < -k - 1; z++) *o++ = '0';
        memcpy(o, digits, (size_t)last + 1);
        o += last + 1;
    }
    *o = '\0';
    return (int)(o - out);
}

void fow_jw_real(fow_jw *w, double v) {
    before_value(w);
    if (!reserve(w, 32)) return;
    w->len += (size_t)fow_jw_format_real(w->buf + w->len, v, w->precision);
}

void fow_jw_bool(fow_jw *w, bool v) {
    before_value(w);
    if (v) put(w, "true", 4);
    else put(w, "false", 5);
}

void fow_jw_null(fow_jw *w) {
    before_value(w);
    put(w, "null", 4);
}

void fow_jw_json(fow_jw *w, const json_t *value) {
    if (!value) {
        fow_jw_null(w);
        return;
    }
    switch (json_typeof(value)) {
    case JSON_OBJECT: {
        fow_jw_object(w);
        const char *key;
        json_t *item;
        json_object_foreach((json_t *)value, key, item) {
            fow_jw_key(w, key);
            fow_jw_json(w, item);
        }
        fow_jw_object_end(w);
        break;
    }
    case JSON_ARRAY: {
        fow_jw_array(w);
        size_t i;
        json_t *item;
        json_array_foreach(value, i, item) fow_jw_json(w, item);
        fow_jw_array_end(w);
        break;
    }
    case JSON_STRING: fow_jw_string_n(w, json_string_value(value), json_string_length(value)); break;
    case JSON_INTEGER: fow_jw_int(w, (long long)json_integer_value(value)); break;
    case JSON_REAL: fow_jw_real(w, json_real_value(value)); break;
    case JSON_TRUE: fow_jw_bool(w, true); break;
    case JSON_FALSE: fow_jw_bool(w, false); break;
    case JSON_NULL: fow_jw_null(w); break;
    }
}
