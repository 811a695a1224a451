/* test_qr.c — QR codes (src/base/fow_qr.h) read back by an independent
 * decoder: zbarimg (Debian's zbar-tools, installed by `make test`) decodes
 * the PBM images fow draws, for payloads that fill every version from 1 to
 * 10 at level M (byte mode capacities 14, 26, 42, 62, 84, 106, 122, 152,
 * 180, 213 bytes), each compared byte for byte with what was encoded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_support.h"

#include "base/fow_qr.h"

/* The byte capacity of versions 1..10 at error correction level M. */
static const int capacity_m[11] = {0, 14, 26, 42, 62, 84, 106, 122, 152, 180, 213};

static bool have_zbarimg(void) { return system("command -v zbarimg > /dev/null 2>&1") == 0; }

/* The text zbarimg reads in the image at path, without its final newline,
 * into out (cap bytes); false when it reads nothing. */
static bool zbar_read(const char *path, char *out, size_t cap) {
    char command[700];
    snprintf(command, sizeof command, "zbarimg --quiet --raw -Sdisable -Sqrcode.enable '%s' 2>/dev/null", path);
    FILE *p = popen(command, "r");
    if (!p) return false;
    size_t n = fread(out, 1, cap - 1, p);
    int status = pclose(p);
    out[n] = '\0';
    if (n > 0 && out[n - 1] == '\n') out[--n] = '\0';
    return status == 0 && n > 0;
}

/* A payload of len printable ASCII bytes from seed (a small LCG), with the
 * characters an address and XML care about among them. */
static void payload(char *out, int len, unsigned seed) {
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:?#=&<>\"' %+";
    for (int i = 0; i < len; i++) {
        seed = seed * 1103515245u + 12345u;
        out[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
    }
    out[len] = '\0';
}

static void encode_decode(ts_tmp *t, const char *text, int want_version) {
    fow_qr qr;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_qr_make(text, &qr, &err), &err);
    assert_int_equal(qr.version, want_version);
    assert_int_equal(qr.width, 17 + 4 * want_version);
    char path[512];
    snprintf(path, sizeof path, "%s/v%d-%zu.pbm", t->dir, want_version, strlen(text));
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_fow_ok(fow_qr_write_pbm(&qr, 4, f, &err), &err);
    assert_int_equal(fclose(f), 0);
    fow_qr_free(&qr);
    char read[1024];
    if (!zbar_read(path, read, sizeof read)) fail_msg("zbarimg read nothing in %s (version %d)", path, want_version);
    if (strcmp(read, text) != 0) fail_msg("version %d: encoded '%s', zbarimg read '%s'", want_version, text, read);
}

/* For each version 1..10: payloads of its smallest and largest length and
 * three between, each decoded by zbarimg to the same bytes. */
static void test_every_version_decodes(void **state) {
    (void)state;
    if (!have_zbarimg()) skip(); /* `make test` installs zbar-tools */
    ts_tmp t;
    ts_tmp_make(&t);
    char text[256];
    int decoded = 0;
    for (int v = 1; v <= 10; v++) {
        int lo = capacity_m[v - 1] + 1, hi = capacity_m[v];
        int lengths[5] = {lo, hi, lo + (hi - lo) / 4, lo + (hi - lo) / 2, lo + 3 * (hi - lo) / 4};
        for (int k = 0; k < 5; k++) {
            payload(text, lengths[k], (unsigned)(v * 31 + k));
            encode_decode(&t, text, v);
            decoded++;
        }
    }
    assert_int_equal(decoded, 50);
    ts_tmp_remove(&t);
}

/* The addresses fow puts in QR codes: a voucher's redemption page. */
static void test_voucher_address_decodes(void **state) {
    (void)state;
    if (!have_zbarimg()) skip();
    ts_tmp t;
    ts_tmp_make(&t);
    encode_decode(&t, "https://fow.example.org/#/redeem?code=CEV-8YDQ-B7H3-9WVD-8N07", 4);
    encode_decode(&t, "http://127.0.0.1:8080/#/redeem?code=CEV-0000-0000-0000-0000", 4);
    ts_tmp_remove(&t);
}

/* The SVG: the quiet zone in its view box, the title escaped, a path of
 * exactly as many unit squares as dark modules. */
static void test_svg(void **state) {
    (void)state;
    fow_qr qr;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_qr_make("https://x.example/#/redeem?code=A&b=<c>", &qr, &err), &err);
    size_t len = 0;
    char *svg = fow_qr_svg(&qr, "a <b> & \"c\"", &len);
    assert_non_null(svg);
    assert_int_equal(len, strlen(svg));
    char box[64];
    snprintf(box, sizeof box, "viewBox=\"0 0 %d %d\"", qr.width + 8, qr.width + 8);
    assert_non_null(strstr(svg, box));
    assert_non_null(strstr(svg, "<title>QR code: a &lt;b&gt; &amp; &quot;c&quot;</title>"));
    size_t dark = 0, squares = 0;
    for (int i = 0; i < qr.width * qr.width; i++) dark += qr.dark[i];
    for (const char *p = svg; (p = strstr(p, "h1v1h-1z")); p++) squares++;
    assert_int_equal(squares, dark);
    /* the quiet zone: no square in the first 4 columns or rows */
    for (int q = 0; q < 4; q++) {
        char x[8], y[8];
        snprintf(x, sizeof x, "M%d ", q);
        snprintf(y, sizeof y, " %dh1v1", q);
        assert_null(strstr(svg, x));
        assert_null(strstr(svg, y));
    }
    free(svg);
    svg = fow_qr_svg(&qr, NULL, NULL);
    assert_null(strstr(svg, "<title>"));
    free(svg);
    fow_qr_free(&qr);
}

/* The PBM: its header and size with the quiet zone. */
static void test_pbm_size(void **state) {
    (void)state;
    fow_qr qr;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_qr_make("x", &qr, &err), &err);
    assert_int_equal(qr.version, 1);
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_fow_ok(fow_qr_write_pbm(&qr, 2, f, &err), &err);
    fclose(f);
    assert_int_equal(strncmp(buf, "P1\n58 58\n", 9), 0); /* (21 + 8) * 2 */
    size_t bits = 0;
    for (size_t i = 9; i < n; i++) bits += buf[i] == '0' || buf[i] == '1';
    assert_int_equal(bits, 58u * 58u);
    free(buf);
    f = fopen("/dev/null", "w");
    assert_int_equal(fow_qr_write_pbm(&qr, 0, f, &err), FOW_EINPUT);
    assert_string_equal(err.field, "scale");
    fclose(f);
    fow_qr_free(&qr);
}

static void test_bad_text(void **state) {
    (void)state;
    fow_qr qr;
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_qr_make("", &qr, &err), FOW_EINPUT);
    assert_string_equal(err.field, "text");
    char *big = malloc(FOW_QR_TEXT_MAX + 2);
    memset(big, 'a', FOW_QR_TEXT_MAX + 1);
    big[FOW_QR_TEXT_MAX + 1] = '\0';
    assert_int_equal(fow_qr_make(big, &qr, &err), FOW_EINPUT);
    free(big);
    fow_qr_free(&qr);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_version_decodes), cmocka_unit_test(test_voucher_address_decodes),
        cmocka_unit_test(test_svg),      cmocka_unit_test(test_pbm_size),
        cmocka_unit_test(test_bad_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
