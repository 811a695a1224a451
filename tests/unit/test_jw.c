/* test_jw.c — the streaming JSON writer (src/base/fow_jw.h) against jansson,
 * the library whose text it must reproduce byte for byte. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#include "base/fow_jw.h"

static uint64_t rng_state = 0x2545F4914F6CDD1DULL;

static uint64_t next_random(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* jansson's text for the real v with precision digits. */
static void jansson_real(double v, int precision, char *out, size_t n) {
    json_t *j = json_real(v);
    char *text = j ? json_dumps(j, JSON_ENCODE_ANY | JSON_REAL_PRECISION(precision)) : NULL;
    snprintf(out, n, "%s", text ? text : "null");
    free(text);
    json_decref(j);
}

static void assert_real_like_jansson(double v, int precision) {
    char want[64], got[64];
    jansson_real(v, precision, want, sizeof want);
    int len = fow_jw_format_real(got, v, precision);
    if (strcmp(want, got) != 0)
        fail_msg("%.17g with %d digits: jansson writes %s, fow_jw %s", v, precision, want, got);
    assert_int_equal(len, (int)strlen(got));
}

/* A random double of one of several kinds: any bit pattern, a float made
 * double (what the model stores), a ratio, a count, a dyadic fraction
 * (exact ties when rounding), a value next to a power of ten. */
static double random_value(void) {
    uint64_t r = next_random();
    switch (r % 8) {
    case 0: {
        uint64_t bits = next_random();
        double v;
        memcpy(&v, &bits, sizeof v);
        return v;
    }
    case 1: return (double)(float)((double)(next_random() >> 11) / 9007199254740992.0);
    case 2: return (double)(next_random() >> 11) / 9007199254740992.0 * pow(10.0, (double)(next_random() % 30) - 10);
    case 3: return (double)(next_random() % 100000000);
    case 4: return ldexp((double)(next_random() % 4096), -(int)(next_random() % 20));
    case 5: return nextafter(pow(10.0, (double)(next_random() % 40) - 8), (next_random() & 1) ? INFINITY : 0);
    case 6: return (double)(next_random() % 2000000) / 1000.0;
    default: return -((double)(float)((double)(next_random() >> 11) / 9007199254740992.0) * 5.0);
    }
}

static void test_reals_match_jansson(void **state) {
    (void)state;
    static const double fixed[] = {0.0, -0.0, 1.0, -1.0, 0.5, 0.125, 0.3, 1e-5, 9.99999e-6, 1e-6, 1e16, 1e17,
                                   1e22, 123456789.0, 1234567.0, 12345678.0, 0.30000001192092896, 2.5, 3.5,
                                   1e300, 5e-324, 2.2250738585072014e-308, 9007199254740993.0, 0.1, 100.0};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        for (int p = 1; p <= 17; p++) assert_real_like_jansson(fixed[i], p);
    static const int precisions[] = {4, 7, 12, 17};
    for (int i = 0; i < 300000; i++) {
        double v = random_value();
        if (isnan(v) || isinf(v)) continue;
        assert_real_like_jansson(v, precisions[i % 4]);
        if (i % 16 == 0) assert_real_like_jansson(v, 1 + (int)(next_random() % 17));
    }
}

/* The reals nearest to decimal ties and to the edges between decimal
 * exponents, where the rounding of the P significant digits is decided by
 * the last bits: d = (N + 0.5) * 10^e for N of P digits (a tie at
 * precision P), d = (10^P - 0.5) * 10^e (rounds up into the next
 * exponent), d = 10^e, each as the double nearest to it (strtod) and the
 * doubles on either side, at every precision from 1 to 17 and every
 * exponent from -12 to 18. The writer takes a fast path with double
 * arithmetic up to 15 digits and must fall back to exact arithmetic on
 * every one of these it cannot decide. */
static void test_reals_near_ties_match_jansson(void **state) {
    (void)state;
    for (int p = 1; p <= 17; p++)
        for (int e = -12 - p; e <= 18; e++)
            for (int round = 0; round < 40; round++) {
                char text[64];
                unsigned long long lo = 1, n;
                for (int i = 1; i < p; i++) lo *= 10;
                if (round == 0) n = lo * 10 - 1;     /* ...999.5: the edge to the next exponent */
                else if (round == 1) n = lo;         /* 1000...0.5 */
                else n = lo + next_random() % (lo * 9);
                if (round == 2) snprintf(text, sizeof text, "1e%d", e + p);
                else snprintf(text, sizeof text, "%llu5e%d", n, e - 1);
                double d = strtod(text, NULL);
                double around[] = {d, nextafter(d, 0), nextafter(d, INFINITY), nextafter(nextafter(d, 0), 0),
                                   nextafter(nextafter(d, INFINITY), INFINITY)};
                for (size_t i = 0; i < sizeof around / sizeof *around; i++) {
                    if (isinf(around[i]) || around[i] == 0) continue;
                    assert_real_like_jansson(around[i], p);
                    assert_real_like_jansson(-around[i], p);
                }
            }
}

/* A random string: ASCII, escapes, control characters, UTF-8. */
static json_t *random_string(void) {
    static const char *const parts[] = {"a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\r", "\b", "\f", "\x01", "\x1f",
                                        "\x7f", "ș", "ț", "€", "😀", "label", ""};
    char buf[256] = "";
    int n = (int)(next_random() % 12);
    for (int i = 0; i < n; i++) strcat(buf, parts[next_random() % (sizeof parts / sizeof *parts)]);
    return json_string(buf);
}

static json_t *random_value_json(int depth) {
    switch (next_random() % (depth > 3 ? 5 : 7)) {
    case 0: return random_string();
    case 1: return json_integer((json_int_t)(next_random() % 2000001) - 1000000);
    case 2: {
        double v = random_value();
        return isnan(v) || isinf(v) ? json_real(0.25) : json_real(v);
    }
    case 3: return json_boolean(next_random() & 1);
    case 4: return json_null();
    case 5: {
        json_t *a = json_array();
        int n = (int)(next_random() % 5);
        for (int i = 0; i < n; i++) json_array_append_new(a, random_value_json(depth + 1));
        return a;
    }
    default: {
        json_t *o = json_object();
        int n = (int)(next_random() % 5);
        for (int i = 0; i < n; i++) {
            char key[16];
            snprintf(key, sizeof key, "k%d\"%s", i, (next_random() & 1) ? "ă" : "");
            json_object_set_new(o, key, random_value_json(depth + 1));
        }
        return o;
    }
    }
}

static void test_documents_match_jansson(void **state) {
    (void)state;
    fow_jw compact, indented;
    fow_jw_init(&compact, 0);
    fow_jw_init(&indented, 2);
    for (int i = 0; i < 3000; i++) {
        json_t *doc = json_object();
        json_object_set_new(doc, "root", random_value_json(0));
        json_object_set_new(doc, "more", random_value_json(0));
        int precision = i % 2 ? 7 : 17;
        char *want_c = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(precision));
        char *want_i = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(precision));
        fow_jw_reset(&compact);
        fow_jw_reset(&indented);
        fow_jw_set_precision(&compact, precision);
        fow_jw_set_precision(&indented, precision);
        fow_jw_json(&compact, doc);
        fow_jw_json(&indented, doc);
        assert_false(fow_jw_failed(&compact));
        assert_string_equal(fow_jw_text(&compact, NULL), want_c);
        assert_string_equal(fow_jw_text(&indented, NULL), want_i);
        free(want_c);
        free(want_i);
        json_decref(doc);
    }
    fow_jw_free(&compact);
    fow_jw_free(&indented);
}

/* Keys and strings of every length up to past the short-string fast path
 * (copy_plain, a word at a time) and past it, plain or with one byte that
 * needs an escape (or a UTF-8 sequence) at every position: as jansson
 * writes them, in compact and indented documents. */
static void test_strings_of_every_length_match_jansson(void **state) {
    (void)state;
    static const char *const specials[] = {"\"", "\\", "\n", "\x01", "\x1f", "\x7f", "\xC3\xA9", "\xE2\x80\x94"};
    fow_jw compact, indented;
    fow_jw_init(&compact, 0);
    fow_jw_init(&indented, 2);
    char text[400];
    for (size_t n = 0; n <= 300; n++) {
        for (long at = -1; at < (long)n; at += at < 20 || n - (size_t)at < 20 ? 1 : 7) {
            for (size_t k = 0; k < (at < 0 ? 1 : sizeof specials / sizeof *specials); k++) {
                for (size_t i = 0; i < n; i++) text[i] = (char)('a' + (i * 7 + n) % 26);
                size_t len = n;
                if (at >= 0) { /* the special bytes in place of the one at 'at' */
                    size_t sl = strlen(specials[k]);
                    memmove(text + at + sl, text + at + 1, n - (size_t)at - 1);
                    memcpy(text + at, specials[k], sl);
                    len = n - 1 + sl;
                }
                text[len] = '\0';
                json_t *doc = json_object();
                json_object_set_new(doc, text, json_stringn(text, len));
                json_object_set_new(doc, "k", json_stringn(text, len));
                char *want_c = json_dumps(doc, JSON_COMPACT), *want_i = json_dumps(doc, JSON_INDENT(2));
                fow_jw_reset(&compact);
                fow_jw_reset(&indented);
                fow_jw_object(&compact);
                fow_jw_object(&indented);
                fow_jw_key_n(&compact, text, len);
                fow_jw_string_n(&compact, text, len);
                fow_jw_key_n(&indented, text, len);
                fow_jw_string_n(&indented, text, len);
                fow_jw_kstring(&compact, "k", text);
                fow_jw_kstring(&indented, "k", text);
                fow_jw_object_end(&compact);
                fow_jw_object_end(&indented);
                if (strcmp(fow_jw_text(&compact, NULL), want_c) != 0)
                    fail_msg("length %zu, special %zu at %ld: jansson %s, fow_jw %s", n, k, at, want_c,
                             fow_jw_text(&compact, NULL));
                assert_string_equal(fow_jw_text(&indented, NULL), want_i);
                free(want_c);
                free(want_i);
                json_decref(doc);
            }
        }
    }
    fow_jw_free(&compact);
    fow_jw_free(&indented);
}

static void test_writing_by_hand(void **state) {
    (void)state;
    fow_jw w;
    fow_jw_init(&w, 2);
    fow_jw_object(&w);
    fow_jw_kstring(&w, "name", "call centre agent");
    fow_jw_key(&w, "empty");
    fow_jw_array(&w);
    fow_jw_array_end(&w);
    fow_jw_key(&w, "none");
    fow_jw_object(&w);
    fow_jw_object_end(&w);
    fow_jw_key(&w, "list");
    fow_jw_array(&w);
    fow_jw_int(&w, -3);
    fow_jw_real(&w, NAN);
    fow_jw_string(&w, NULL);
    fow_jw_array_end(&w);
    fow_jw_kbool(&w, "ok", true);
    fow_jw_object_end(&w);
    assert_string_equal(fow_jw_text(&w, NULL), "{\n  \"name\": \"call centre agent\",\n  \"empty\": [],\n  \"none\": {},\n"
                                              "  \"list\": [\n    -3,\n    null,\n    null\n  ],\n  \"ok\": true\n}");
    size_t len;
    char *taken = fow_jw_take(&w, &len);
    assert_non_null(taken);
    assert_int_equal(len, strlen(taken));
    free(taken);
    assert_string_equal(fow_jw_text(&w, NULL), "");
    /* invalid UTF-8 becomes U+FFFD, one per bad byte; valid text is kept */
    fow_jw_string(&w, "a\xC3\x28z\xF0\x9F\x98\x80\xED\xA0\x80");
    assert_string_equal(fow_jw_text(&w, NULL), "\"a\xEF\xBF\xBD(z\xF0\x9F\x98\x80\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
    fow_jw_free(&w);
}

static void test_unbalanced_nesting_fails(void **state) {
    (void)state;
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_jw_array_end(&w);
    assert_true(fow_jw_failed(&w));
    assert_null(fow_jw_text(&w, NULL));
    fow_jw_reset(&w);
    for (int i = 0; i <= FOW_JW_MAX_DEPTH; i++) fow_jw_array(&w);
    assert_true(fow_jw_failed(&w));
    assert_null(fow_jw_take(&w, NULL));
    fow_jw_free(&w);
}

/* A taken buffer given back is written into again, without growing. */
static void test_give_reuses_the_buffer(void **state) {
    (void)state;
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_jw_array(&w);
    for (int i = 0; i < 2000; i++) fow_jw_int(&w, i);
    fow_jw_array_end(&w);
    size_t len, cap = w.cap;
    char *first = fow_jw_take(&w, &len);
    assert_non_null(first);
    assert_int_equal(w.cap, 0);
    fow_jw_give(&w, first, cap); /* the body was sent: its buffer serves the next document */
    assert_ptr_equal(w.buf, first);
    assert_int_equal(w.cap, cap);
    assert_string_equal(fow_jw_text(&w, NULL), "");
    fow_jw_object(&w);
    fow_jw_kint(&w, "n", 7);
    fow_jw_object_end(&w);
    assert_string_equal(fow_jw_text(&w, NULL), "{\"n\":7}");
    assert_ptr_equal(w.buf, first);
    fow_jw_give(&w, NULL, 100); /* nothing to give: w keeps its buffer */
    assert_ptr_equal(w.buf, first);
    fow_jw_give(&w, malloc(16), 16); /* another buffer: the old one is freed (valgrind, ASan) */
    assert_int_equal(w.cap, 16);
    fow_jw_free(&w);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reals_match_jansson),
        cmocka_unit_test(test_reals_near_ties_match_jansson),
        cmocka_unit_test(test_documents_match_jansson),
        cmocka_unit_test(test_strings_of_every_length_match_jansson),
        cmocka_unit_test(test_writing_by_hand),
        cmocka_unit_test(test_unbalanced_nesting_fails),
        cmocka_unit_test(test_give_reuses_the_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
