/* test_text.c — folding for search (src/base/fow_text.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#include "base/fow_text.h"

/* fow_text_fold of s, compared with expected (and its length). */
static void assert_folds_to(const char *s, const char *expected) {
    fow_error err;
    fow_error_clear(&err);
    size_t len = 12345;
    char *f = fow_text_fold(s, strlen(s), &len, &err);
    if (!f) fail_msg("fold of \"%s\" failed: %s", s, err.message);
    if (strcmp(f, expected) != 0) {
        char got[512];
        snprintf(got, sizeof got, "%s", f);
        free(f);
        fail_msg("fold of \"%s\": expected \"%s\", got \"%s\"", s, expected, got);
    }
    assert_int_equal(len, strlen(expected));
    free(f);

    /* fow_text_fold_into gives the same, with or without its ASCII path */
    char buf[512];
    fow_error_clear(&err);
    long n = fow_text_fold_into(s, strlen(s), buf, sizeof buf, &err);
    if (n < 0) fail_msg("fold_into of \"%s\" failed: %s", s, err.message);
    assert_int_equal(n, (long)strlen(expected));
    assert_string_equal(buf, expected);
}

static void test_romanian_s_with_comma_and_cedilla(void **state) {
    (void)state;
    assert_folds_to("Șofer", "sofer");  /* U+0218, comma below (correct Romanian) */
    assert_folds_to("ŞOFER", "sofer");  /* U+015E, cedilla (legacy encodings) */
    assert_folds_to("sofer", "sofer");
    assert_folds_to("șofer", "sofer");
    assert_folds_to("şofer", "sofer");
    assert_folds_to("SOFER", "sofer");
}

static void test_romanian_letters(void **state) {
    (void)state;
    assert_folds_to("ț ţ ă â î", "t t a a i");
    assert_folds_to("Ț Ţ Ă Â Î Ș Ş", "t t a a i s s");
    assert_folds_to("tâmplar", "tamplar");
    assert_folds_to("legislația rutieră", "legislatia rutiera");
    assert_folds_to("principiile muncii în echipă", "principiile muncii in echipa");
    /* decomposed input (s + combining comma below) folds the same */
    assert_folds_to("s\xCC\xA6ofer", "sofer");
    assert_folds_to("t\xCC\xA7", "t");
}

static void test_other_letters(void **state) {
    (void)state;
    assert_folds_to("Straße", "strasse");
    assert_folds_to("CAFÉ crème", "cafe creme");
    assert_folds_to("Ångström", "angstrom");
    assert_folds_to("ΣΟΦΊΑ", "σοφια");
}

static void test_apostrophes_and_quotes(void **state) {
    (void)state;
    assert_folds_to("designers’ work", "designers' work");
    assert_folds_to("designers' work", "designers' work");
    assert_folds_to("designers‘ work", "designers' work");
    assert_folds_to("designersʼ work", "designers' work");
    assert_folds_to("designers` work", "designers' work");
    assert_folds_to("Designers´ Work", "designers' work");
    assert_folds_to("“quoted” „this”", "\"quoted\" \"this\"");
    assert_folds_to("e–mail — now", "e-mail - now");
}

static void test_white_space(void **state) {
    (void)state;
    assert_folds_to("  Taxi \t\n  Driver  ", "taxi driver");
    assert_folds_to("taxi\r\ndriver", "taxi driver");
    assert_folds_to("a\xC2\xA0" "b", "a b");          /* no-break space */
    assert_folds_to("a\xE2\x80\x89\xE2\x80\xAF" "b", "a b"); /* thin and narrow no-break */
    assert_folds_to("\xC2\xA0 x \xC2\xA0", "x");
    assert_folds_to("   ", "");
    assert_folds_to("", "");
    assert_folds_to("soft\xC2\xAD" "ware", "software"); /* soft hyphen is ignored */
}

static void test_fold_is_idempotent(void **state) {
    (void)state;
    static const char *const samples[] = {"Șofer de TAXI", "  designers’ work ", "Straße", "ţ’ş – x", "ΣΟΦΊΑ"};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        fow_error err;
        fow_error_clear(&err);
        size_t n1, n2;
        char *once = fow_text_fold(samples[i], strlen(samples[i]), &n1, &err);
        assert_non_null(once);
        char *twice = fow_text_fold(once, n1, &n2, &err);
        assert_non_null(twice);
        assert_string_equal(once, twice);
        assert_int_equal(n1, n2);
        free(once);
        free(twice);
    }
}

static void test_fold_length_argument(void **state) {
    (void)state;
    /* only len bytes are read; out_len may be NULL */
    fow_error err;
    fow_error_clear(&err);
    char *f = fow_text_fold("ABCDEF", 3, NULL, &err);
    assert_non_null(f);
    assert_string_equal(f, "abc");
    free(f);
    char buf[16];
    assert_int_equal(fow_text_fold_into("ABCDEF", 3, buf, sizeof buf, &err), 3);
    assert_string_equal(buf, "abc");
}

static void test_invalid_utf8(void **state) {
    (void)state;
    fow_error err;
    fow_error_clear(&err);
    char *f = fow_text_fold("ab\xC3\x28", 4, NULL, &err);
    assert_null(f);
    assert_int_equal(err.code, FOW_EINPUT);
    char buf[32];
    fow_error_clear(&err);
    assert_int_equal(fow_text_fold_into("ab\xFF", 3, buf, sizeof buf, &err), -1);
    assert_int_equal(err.code, FOW_EINPUT);
}

/* The ASCII fast path of fow_text_fold_into must agree with fow_text_fold,
 * which the index is built with: every ASCII character, in context. */
static void test_ascii_fast_path_agrees_with_fold(void **state) {
    (void)state;
    for (int c = 1; c < 128; c++) {
        char s[8] = {'A', 'b', (char)c, 'C', ' ', 'd', '\0'};
        fow_error err;
        fow_error_clear(&err);
        size_t n;
        char *slow = fow_text_fold(s, 6, &n, &err);
        assert_non_null(slow);
        char fast[16];
        long m = fow_text_fold_into(s, 6, fast, sizeof fast, &err);
        if (m != (long)n || strcmp(fast, slow) != 0)
            fail_msg("character 0x%02X: fold gives \"%s\" (%zu), fold_into \"%s\" (%ld)", c, slow, n, fast, m);
        free(slow);
    }
}

static void test_fold_into_capacity(void **state) {
    (void)state;
    fow_error err;
    char buf[6];
    /* ASCII: "abcde" needs 6 bytes with the NUL */
    fow_error_clear(&err);
    assert_int_equal(fow_text_fold_into("ABCDE", 5, buf, sizeof buf, &err), 5);
    assert_string_equal(buf, "abcde");
    fow_error_clear(&err);
    assert_int_equal(fow_text_fold_into("ABCDEF", 6, buf, sizeof buf, &err), -1);
    assert_int_equal(err.code, FOW_EINPUT);
    /* non-ASCII: "șofer" folds to 5 bytes: fits in 6, not in 5 */
    fow_error_clear(&err);
    assert_int_equal(fow_text_fold_into("șofer", strlen("șofer"), buf, 6, &err), 5);
    assert_string_equal(buf, "sofer");
    fow_error_clear(&err);
    assert_int_equal(fow_text_fold_into("șofer", strlen("șofer"), buf, 5, &err), -1);
    assert_int_equal(err.code, FOW_EINPUT);
}

static void test_word_start(void **state) {
    (void)state;
    const char *s = "taxi driver (night) o'neil x-ray 3d";
    /*               0123456789012345678901234567890123 */
    static const struct {
        size_t i;
        int expected;
    } cases[] = {
        {0, 1},  /* t: the start */
        {1, 0},  /* a */
        {4, 0},  /* the space itself */
        {5, 1},  /* d after a space */
        {6, 0},
        {12, 0}, /* ( */
        {13, 1}, /* n after ( */
        {20, 1}, /* o */
        {22, 1}, /* n after ' */
        {28, 0}, /* - */
        {29, 1}, /* r after - */
        {33, 1}, /* 3: digits start words */
        {34, 0}, /* d after 3 */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
        if (fow_text_is_word_start(s, cases[k].i) != cases[k].expected)
            fail_msg("offset %zu ('%c'): expected %d", cases[k].i, s[cases[k].i], cases[k].expected);

    /* non-ASCII characters (folded text keeps e.g. Greek or CJK) */
    const char *g = "ab σοφια 日本";
    assert_int_equal(fow_text_is_word_start(g, 3), 1);  /* σ after a space */
    assert_int_equal(fow_text_is_word_start(g, 5), 0);  /* ο after σ */
    assert_int_equal(fow_text_is_word_start(g, 4), 0);  /* inside σ */
    size_t ja = strlen("ab σοφια ");
    assert_int_equal(fow_text_is_word_start(g, ja), 1);
    assert_int_equal(fow_text_is_word_start(g, ja + 3), 0);
    assert_int_equal(fow_text_is_word_start("-x", 0), 0);
    assert_int_equal(fow_text_is_word_start(" x", 0), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_romanian_s_with_comma_and_cedilla),
        cmocka_unit_test(test_romanian_letters),
        cmocka_unit_test(test_other_letters),
        cmocka_unit_test(test_apostrophes_and_quotes),
        cmocka_unit_test(test_white_space),
        cmocka_unit_test(test_fold_is_idempotent),
        cmocka_unit_test(test_fold_length_argument),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_ascii_fast_path_agrees_with_fold),
        cmocka_unit_test(test_fold_into_capacity),
        cmocka_unit_test(test_word_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
