/* test_csv.c — the strict CSV reader (src/base/fow_csv.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#include "base/fow_csv.h"

/* Opens len bytes of data as "mem.csv"; asserts success. */
static fow_csv *open_n(const char *data, size_t len) {
    fow_csv *csv = NULL;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_csv_open_memory(&csv, "mem.csv", data, len, &err), &err);
    assert_non_null(csv);
    return csv;
}

static fow_csv *open_s(const char *data) { return open_n(data, strlen(data)); }

/* Reads the next record and asserts it was read. */
static void next_ok(fow_csv *csv) {
    fow_error err;
    fow_error_clear(&err);
    int r = fow_csv_next(csv, &err);
    if (r != 1) {
        char b[900];
        fail_msg("expected a record, got %d: %s", r, fow_error_format(&err, b, sizeof b));
    }
}

/* Reads records until one fails; returns the error (asserts that one fails). */
static fow_error next_fails(fow_csv *csv) {
    fow_error err;
    fow_error_clear(&err);
    for (int i = 0; i < 100; i++) {
        int r = fow_csv_next(csv, &err);
        if (r < 0) {
            assert_int_equal(err.code, FOW_EINPUT);
            return err;
        }
        if (r == 0) fail_msg("expected a malformed record, reached the end");
    }
    fail_msg("expected a malformed record");
    return err;
}

static void assert_field(fow_csv *csv, size_t i, const char *text, long line, long column) {
    size_t len = 999;
    const char *f = fow_csv_field(csv, i, &len);
    assert_string_equal(f, text);
    assert_int_equal(len, strlen(text));
    if (fow_csv_field_line(csv, i) != line || fow_csv_field_column(csv, i) != column)
        fail_msg("field %zu ('%s'): expected %ld:%ld, got %ld:%ld", i, text, line, column,
                 fow_csv_field_line(csv, i), fow_csv_field_column(csv, i));
}

static void assert_at(const fow_error *err, long line, long column) {
    if (err->line != line || err->column != column)
        fail_msg("expected error at %ld:%ld, got %ld:%ld (%s)", line, column, err->line, err->column,
                 err->message);
}

static void assert_end(fow_csv *csv) {
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_csv_next(csv, &err), 0);
    assert_int_equal(fow_csv_next(csv, &err), 0); /* and stays at the end */
    assert_int_equal(err.code, FOW_OK);
}

/* ---- input that ends inside a record -------------------------------------- */

/* Reads records of data until one fails; asserts that the failure is the
 * truncation error at line:column after `records` good records. */
static void assert_truncated(const char *data, long records, long line, long column) {
    fow_csv *csv = open_s(data);
    fow_error err;
    fow_error_clear(&err);
    long good = 0;
    int r;
    while ((r = fow_csv_next(csv, &err)) == 1) good++;
    if (r != -1) fail_msg("'%s': expected the truncation error, reached the end", data);
    assert_int_equal(good, records);
    assert_int_equal(err.code, FOW_EINPUT);
    assert_non_null(strstr(err.message, "file ends inside a row: truncated?"));
    assert_string_equal(err.file, "mem.csv");
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, column);
    fow_csv_close(csv);
}

static void test_truncated_last_record(void **state) {
    (void)state;
    /* the cut employment row of the issue: "421,2017,33" where the file stops */
    assert_truncated("isco_code,year,employed_thousands\n411,2017,120.5\n421,2017,33", 2, 3, 12);
    assert_truncated("a,b,c\n1,22,333\nx,y,", 2, 3, 5);       /* an empty last field */
    assert_truncated("a,b\n1,\"quoted\"", 1, 2, 11);          /* a closed quote, then nothing */
    assert_truncated("a,b\n\n1,\"two\nlines\"", 1, 4, 7);    /* line breaks inside quotes do not count */
    assert_truncated("a,b", 0, 1, 4);                          /* a header cut before its line end */
    assert_truncated("\xEF\xBB\xBF" "a,\xC8\x99", 0, 1, 4);   /* columns in characters, after the mark */

    /* a record that does end with its line break is whole, LF or CRLF, and
     * blank lines after it are not a record */
    static const char *const whole[] = {"a,b\n1,2\n", "a,b\r\n1,2\r\n", "a,b\n1,\"x\"\n\n\n", "a,b\n", "", "\n\n"};
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++) {
        fow_csv *csv = open_s(whole[i]);
        fow_error err;
        fow_error_clear(&err);
        int r;
        while ((r = fow_csv_next(csv, &err)) == 1) {
        }
        if (r != 0) fail_msg("input %zu: %s", i, err.message);
        fow_csv_close(csv);
    }
}

/* ---- well-formed input ---------------------------------------------------- */

static void test_simple_records(void **state) {
    (void)state;
    fow_csv *csv = open_s("a,b,c\n1,22,333\nx,y,z\n");
    next_ok(csv);
    assert_int_equal(fow_csv_field_count(csv), 3);
    assert_int_equal(fow_csv_record_line(csv), 1);
    assert_field(csv, 0, "a", 1, 1);
    assert_field(csv, 1, "b", 1, 3);
    assert_field(csv, 2, "c", 1, 5);
    next_ok(csv);
    assert_int_equal(fow_csv_record_line(csv), 2);
    assert_field(csv, 0, "1", 2, 1);
    assert_field(csv, 1, "22", 2, 3);
    assert_field(csv, 2, "333", 2, 6);
    next_ok(csv);
    assert_int_equal(fow_csv_record_line(csv), 3);
    assert_field(csv, 2, "z", 3, 5);
    assert_end(csv);
    assert_string_equal(fow_csv_name(csv), "mem.csv");
    fow_csv_close(csv);
}

static void test_empty_fields(void **state) {
    (void)state;
    fow_csv *csv = open_s(",,\na,\n\"\",x\n");
    next_ok(csv);
    assert_int_equal(fow_csv_field_count(csv), 3);
    assert_field(csv, 0, "", 1, 1);
    assert_field(csv, 1, "", 1, 2);
    assert_field(csv, 2, "", 1, 3);
    next_ok(csv);
    assert_int_equal(fow_csv_field_count(csv), 2);
    assert_field(csv, 0, "a", 2, 1);
    assert_field(csv, 1, "", 2, 3);
    next_ok(csv);
    assert_field(csv, 0, "", 3, 1);
    assert_field(csv, 1, "x", 3, 4);
    assert_end(csv);
    fow_csv_close(csv);
}

static void test_out_of_range_field(void **state) {
    (void)state;
    fow_csv *csv = open_s("ab,cd\n");
    next_ok(csv);
    size_t len = 7;
    assert_string_equal(fow_csv_field(csv, 2, &len), "");
    assert_int_equal(len, 0);
    assert_string_equal(fow_csv_field(csv, 1000, NULL), "");
    /* where the record ends: after "cd" */
    assert_int_equal(fow_csv_field_line(csv, 2), 1);
    assert_int_equal(fow_csv_field_column(csv, 2), 6);
    fow_csv_close(csv);
}

static void test_quoted_commas_and_doubled_quotes(void **state) {
    (void)state;
    /* "a,b" is columns 1-5; "say ""hi""" columns 7-18; c column 20 */
    fow_csv *csv = open_s("\"a,b\",\"say \"\"hi\"\"\",c\n\"\"\"\",\"\"\"x\"\"\"\n");
    next_ok(csv);
    assert_int_equal(fow_csv_field_count(csv), 3);
    assert_field(csv, 0, "a,b", 1, 1);
    assert_field(csv, 1, "say \"hi\"", 1, 7);
    assert_field(csv, 2, "c", 1, 20);
    next_ok(csv);
    assert_int_equal(fow_csv_field_count(csv), 2);
    assert_field(csv, 0, "\"", 2, 1);
    assert_field(csv, 1, "\"x\"", 2, 6);
    assert_end(csv);
    fow_csv_close(csv);
}

static void test_embedded_newlines(void **state) {
    (void)state;
    const char *data = "id,text,after\n"
                       "1,\"line one\nline two\nline three\",x\n"
                       "2,plain,y\n"
                       "3,\"a\n\",\"\nb\"\n";
    fow_csv *csv = open_s(data);
    next_ok(csv);
    next_ok(csv);
    assert_int_equal(fow_csv_record_line(csv), 2);
    assert_field(csv, 0, "1", 2, 1);
    assert_field(csv, 1, "line one\nline two\nline three", 2, 3);
    /* the field after a multi-line field: line 4 is `line three",x` */
    assert_field(csv, 2, "x", 4, 13);
    next_ok(csv);
    assert_int_equal(fow_csv_record_line(csv), 5);
    assert_field(csv, 0, "2", 5, 1);
    assert_field(csv, 1, "plain", 5, 3);
    assert_field(csv, 2, "y", 5, 9);
    next_ok(csv);
    assert_int_equal(fow_csv_record_line(csv), 6);
    assert_field(csv, 1, "a\n", 6, 3);
    assert_field(csv, 2, "\nb", 7, 3);
    assert_end(csv);
    fow_csv_close(csv);
}

static void test_crlf(void **state) {
    (void)state;
    fow_csv *csv = open_s("a,b\r\n1,2\r\n\r\n3,\"x\r\ny\"\r\n4,z\r\n");
    next_ok(csv);
    assert_field(csv, 1, "b", 1, 3);
    next_ok(csv);
    assert_field(csv, 0, "1", 2, 1);
    assert_field(csv, 1, "2", 2, 3);
    next_ok(csv); /* the blank CRLF line is skipped */
    assert_int_equal(fow_csv_record_line(csv), 4);
    assert_field(csv, 1, "x\r\ny", 4, 3); /* inside quotes the CRLF is data */
    next_ok(csv);
    assert_int_equal(fow_csv_record_line(csv), 6);
    assert_field(csv, 1, "z", 6, 3);
    assert_end(csv);
    fow_csv_close(csv);
}

static void test_bare_cr_is_an_error(void **state) {
    (void)state;
    fow_csv *csv = open_s("a,b\n1,x\ry\n");
    next_ok(csv);
    fow_error err = next_fails(csv);
    assert_at(&err, 2, 4);
    assert_string_equal(err.file, "mem.csv");
    fow_csv_close(csv);
}

static void test_bom(void **state) {
    (void)state;
    fow_csv *csv = open_s("\xEF\xBB\xBFname,value\nx,1\n");
    static const fow_csv_column cols[] = {{"name", true}, {"value", true}};
    int ix[2];
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_csv_bind_header(csv, cols, 2, ix, &err), &err);
    assert_int_equal(ix[0], 0);
    assert_int_equal(ix[1], 1);
    assert_field(csv, 0, "name", 1, 1); /* the mark is not part of the name nor a column */
    assert_field(csv, 1, "value", 1, 6);
    next_ok(csv);
    assert_field(csv, 0, "x", 2, 1);
    assert_end(csv);
    fow_csv_close(csv);
}

/* The byte-order mark is skipped, so it is not a column either for errors
 * found by the UTF-8 check: 'a' is column 1, 'b' 2, the bad byte 3 (the
 * same column a field starting there would report). */
static void test_bom_does_not_shift_error_columns(void **state) {
    (void)state;
    fow_csv *csv = open_s("\xEF\xBB\xBF" "ab,c\n");
    next_ok(csv);
    assert_field(csv, 1, "c", 1, 4);
    fow_csv_close(csv);

    const char data[] = "\xEF\xBB\xBF" "ab\xFF,c\n";
    fow_error err;
    fow_error_clear(&err);
    csv = NULL;
    assert_int_equal(fow_csv_open_memory(&csv, "bom.csv", data, sizeof data - 1, &err), FOW_EINPUT);
    assert_null(csv);
    assert_at(&err, 1, 3);
}

static void test_blank_lines_skipped(void **state) {
    (void)state;
    fow_csv *csv = open_s("\n\na\n\n\nb\n\r\n\nc\n\n");
    next_ok(csv);
    assert_int_equal(fow_csv_record_line(csv), 3);
    assert_field(csv, 0, "a", 3, 1);
    next_ok(csv);
    assert_int_equal(fow_csv_record_line(csv), 6);
    next_ok(csv);
    assert_int_equal(fow_csv_record_line(csv), 9);
    assert_field(csv, 0, "c", 9, 1);
    assert_end(csv);
    fow_csv_close(csv);

    csv = open_s("");
    assert_end(csv);
    fow_csv_close(csv);
}

static void test_column_counted_in_characters(void **state) {
    (void)state;
    /* ș is 2 bytes, 日 3 bytes, 👍 4 bytes: each one character */
    fow_csv *csv = open_s("ș,x\n日本語,y\n👍👍,z\n\"ț\nță\",w\n");
    next_ok(csv);
    assert_field(csv, 0, "ș", 1, 1);
    assert_field(csv, 1, "x", 1, 3);
    next_ok(csv);
    assert_field(csv, 1, "y", 2, 5);
    next_ok(csv);
    assert_field(csv, 1, "z", 3, 4);
    next_ok(csv);
    assert_field(csv, 0, "ț\nță", 4, 1);
    assert_field(csv, 1, "w", 5, 5); /* line 5 is `ță",w` */
    fow_csv_close(csv);
}

/* ---- the header ----------------------------------------------------------- */

static void test_header_binding(void **state) {
    (void)state;
    fow_csv *csv = open_s("extra,label,uri\nq,l,u\n");
    static const fow_csv_column cols[] = {{"uri", true}, {"label", true}, {"alt_labels", false}};
    int ix[3] = {7, 7, 7};
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_csv_bind_header(csv, cols, 3, ix, &err), &err);
    assert_int_equal(ix[0], 2);
    assert_int_equal(ix[1], 1);
    assert_int_equal(ix[2], -1); /* optional and absent */
    next_ok(csv);
    assert_string_equal(fow_csv_field(csv, (size_t)ix[0], NULL), "u");
    assert_end(csv);
    fow_csv_close(csv);
}

static void test_header_missing_required_column(void **state) {
    (void)state;
    fow_csv *csv = open_s("uri,name\nu,n\n");
    static const fow_csv_column cols[] = {{"uri", true}, {"label", true}};
    int ix[2];
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_csv_bind_header(csv, cols, 2, ix, &err), FOW_EINPUT);
    assert_int_equal(err.code, FOW_EINPUT);
    assert_contains(err.message, "missing required column 'label'");
    assert_string_equal(err.field, "label");
    assert_string_equal(err.file, "mem.csv");
    assert_int_equal(err.line, 1);
    fow_csv_close(csv);

    /* a header after blank lines: reported on its own line */
    csv = open_s("\n\nuri\n");
    fow_error_clear(&err);
    assert_int_equal(fow_csv_bind_header(csv, cols, 2, ix, &err), FOW_EINPUT);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.field, "label");
    fow_csv_close(csv);
}

static void test_header_duplicate_column(void **state) {
    (void)state;
    fow_csv *csv = open_s("uri,label,uri\n1,2,3\n");
    static const fow_csv_column cols[] = {{"uri", true}, {"label", true}};
    int ix[2];
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_csv_bind_header(csv, cols, 2, ix, &err), FOW_EINPUT);
    assert_contains(err.message, "uri");
    assert_contains(err.message, "twice");
    assert_at(&err, 1, 11);
    assert_string_equal(err.field, "uri");
    fow_csv_close(csv);
}

static void test_header_empty_input(void **state) {
    (void)state;
    fow_csv *csv = open_s("\n\n");
    static const fow_csv_column cols[] = {{"uri", true}};
    int ix[1];
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_csv_bind_header(csv, cols, 1, ix, &err), FOW_EINPUT);
    assert_contains(err.message, "header");
    fow_csv_close(csv);
}

/* ---- malformed input: every error located --------------------------------- */

static void test_unterminated_quote(void **state) {
    (void)state;
    fow_csv *csv = open_s("a,b\n1,\"abc\n2,3\n");
    next_ok(csv);
    fow_error err = next_fails(csv);
    assert_at(&err, 2, 3); /* at the opening quote, not at the end of the input */
    assert_string_equal(err.file, "mem.csv");
    assert_contains(err.message, "unterminated");
    fow_csv_close(csv);

    csv = open_s("a,b\nx,y\nș,\"never\nclosed,\n\n");
    next_ok(csv);
    next_ok(csv);
    err = next_fails(csv);
    assert_at(&err, 3, 3);
    fow_csv_close(csv);
}

static void test_quote_inside_unquoted_field(void **state) {
    (void)state;
    fow_csv *csv = open_s("a,b\n1,x\"y\n");
    next_ok(csv);
    fow_error err = next_fails(csv);
    assert_at(&err, 2, 4);
    assert_contains(err.message, "quote");
    fow_csv_close(csv);

    csv = open_s("a,b\nță,ab\"\n");
    next_ok(csv);
    err = next_fails(csv);
    assert_at(&err, 2, 6);
    fow_csv_close(csv);
}

static void test_text_after_closing_quote(void **state) {
    (void)state;
    fow_csv *csv = open_s("a,b\n1,\"x\"y\n");
    next_ok(csv);
    fow_error err = next_fails(csv);
    assert_at(&err, 2, 6);
    assert_contains(err.message, "closing quote");
    fow_csv_close(csv);

    /* after a multi-line quoted field: line 3 is `y"z` */
    csv = open_s("a,b\n1,\"x\ny\"z\n");
    next_ok(csv);
    err = next_fails(csv);
    assert_at(&err, 3, 3);
    fow_csv_close(csv);

    /* a space after the closing quote is text too */
    csv = open_s("\"a\" ,b\n");
    err = next_fails(csv);
    assert_at(&err, 1, 4);
    fow_csv_close(csv);
}

static void test_invalid_utf8(void **state) {
    (void)state;
    static const struct {
        const char *data;
        long line, column;
    } cases[] = {
        {"a,b\nabc,\xC3\x28\n", 2, 5},        /* a lead byte followed by ASCII */
        {"ș,ț,\xFF\n", 1, 5},                 /* after two 2-byte characters */
        {"x\n\"multi\nline\",\xC0\xAF\n", 3, 7}, /* overlong encoding of '/' */
        {"ok\n\xED\xA0\x80\n", 2, 1},         /* a UTF-16 surrogate */
        {"ok\nab\xF4\x90\x80\x80\n", 2, 3},   /* beyond U+10FFFF */
        {"ok,\xE2\x82", 1, 4},                /* truncated at the end of the input */
        {"\x80", 1, 1},                       /* a lone continuation byte */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fow_csv *csv = (fow_csv *)0x1;
        fow_error err;
        fow_error_clear(&err);
        fow_code rc = fow_csv_open_memory(&csv, "bad.csv", cases[i].data, strlen(cases[i].data), &err);
        if (rc != FOW_EINPUT) fail_msg("case %zu: expected FOW_EINPUT, got %s", i, fow_code_name(rc));
        assert_null(csv);
        assert_string_equal(err.file, "bad.csv");
        assert_contains(err.message, "UTF-8");
        if (err.line != cases[i].line || err.column != cases[i].column)
            fail_msg("case %zu: expected %ld:%ld, got %ld:%ld", i, cases[i].line, cases[i].column, err.line,
                     err.column);
    }
}

static void test_nul_byte(void **state) {
    (void)state;
    const char data[] = "a,b\nc,\0d\n";
    fow_csv *csv = NULL;
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_csv_open_memory(&csv, "nul.csv", data, sizeof data - 1, &err), FOW_EINPUT);
    assert_null(csv);
    assert_contains(err.message, "NUL");
    assert_at(&err, 2, 3);
}

static void test_wrong_field_count(void **state) {
    (void)state;
    static const fow_csv_column cols[] = {{"a", true}, {"b", true}, {"c", false}};
    int ix[3];
    fow_error err;

    /* too many: located at the first extra field */
    fow_csv *csv = open_s("a,b,c\n1,2,3\n1,2,3,44\n");
    fow_error_clear(&err);
    assert_fow_ok(fow_csv_bind_header(csv, cols, 3, ix, &err), &err);
    next_ok(csv);
    err = next_fails(csv);
    assert_at(&err, 3, 7);
    assert_contains(err.message, "expected 3 fields");
    assert_contains(err.message, "found 4");
    fow_csv_close(csv);

    /* too few: located where the record ends, naming the missing column */
    csv = open_s("a,b,c\n1,2\n");
    fow_error_clear(&err);
    assert_fow_ok(fow_csv_bind_header(csv, cols, 3, ix, &err), &err);
    err = next_fails(csv);
    assert_at(&err, 2, 4);
    assert_string_equal(err.field, "c");
    assert_contains(err.message, "'c' is missing");
    fow_csv_close(csv);

    /* too few after a multi-line field */
    csv = open_s("a,b,c\n1,\"x\ny\"\n");
    fow_error_clear(&err);
    assert_fow_ok(fow_csv_bind_header(csv, cols, 3, ix, &err), &err);
    err = next_fails(csv);
    assert_at(&err, 3, 3);
    fow_csv_close(csv);

    /* before a header is bound, records may differ */
    csv = open_s("a,b,c\n1\n1,2,3,4\n");
    next_ok(csv);
    next_ok(csv);
    assert_int_equal(fow_csv_field_count(csv), 1);
    next_ok(csv);
    assert_int_equal(fow_csv_field_count(csv), 4);
    fow_csv_close(csv);
}

static void test_field_double(void **state) {
    (void)state;
    static const fow_csv_column cols[] = {{"key", true}, {"risk", true}};
    int ix[2];
    fow_error err;
    fow_csv *csv = open_s("key,risk\n"
                          "a,2.5\n"
                          "b,-0.25\n"
                          "c,1e3\n"
                          "ș,abc\n"
                          "e,1.5x\n"
                          "f,\n"
                          "g,nan\n"
                          "h,inf\n"
                          "i, 1\n"
                          "j,1 \n"
                          "k,1e999\n");
    fow_error_clear(&err);
    assert_fow_ok(fow_csv_bind_header(csv, cols, 2, ix, &err), &err);
    static const double good[] = {2.5, -0.25, 1000.0};
    for (int i = 0; i < 3; i++) {
        next_ok(csv);
        double v = 0;
        fow_error_clear(&err);
        assert_fow_ok(fow_csv_field_double(csv, 1, false, &v, &err), &err);
        assert_true(v == good[i]);
    }
    static const char *const bad[] = {"abc", "1.5x", "", "nan", "inf", " 1", "1 ", "1e999"};
    for (int i = 0; i < 8; i++) {
        next_ok(csv);
        double v = 42;
        fow_error_clear(&err);
        fow_code rc = fow_csv_field_double(csv, 1, false, &v, &err);
        if (rc != FOW_EINPUT) fail_msg("'%s' accepted as a number (%g)", bad[i], v);
        assert_int_equal(err.code, FOW_EINPUT);
        assert_string_equal(err.file, "mem.csv");
        assert_string_equal(err.field, "risk");
        assert_contains(err.message, "risk");
        if (bad[i][0]) {
            assert_contains(err.message, bad[i]);
            assert_contains(err.message, "not a number");
        } else {
            assert_contains(err.message, "empty");
        }
        assert_int_equal(err.line, 5 + i);
        /* row "ș,abc": the value starts at character 3 */
        assert_int_equal(err.column, 3);
        if (i == 2) {
            /* the empty field is allowed when asked */
            v = 0;
            fow_error_clear(&err);
            assert_fow_ok(fow_csv_field_double(csv, 1, true, &v, &err), &err);
            assert_true(isnan(v));
        }
    }
    assert_end(csv);
    fow_csv_close(csv);
}

static void test_error_at_names_the_column(void **state) {
    (void)state;
    static const fow_csv_column cols[] = {{"uri", true}, {"label", true}};
    int ix[2];
    fow_error err;
    fow_csv *csv = open_s("uri,label\nurn:x,\"two\nlines\"\n");
    fow_error_clear(&err);
    assert_fow_ok(fow_csv_bind_header(csv, cols, 2, ix, &err), &err);
    next_ok(csv);
    assert_int_equal(fow_csv_error_at(csv, 1, &err, "bad %s", "label"), FOW_EINPUT);
    assert_string_equal(err.message, "bad label");
    assert_string_equal(err.field, "label");
    assert_at(&err, 2, 7);
    char buf[256];
    assert_string_equal(fow_error_format(&err, buf, sizeof buf), "mem.csv:2:7: bad label");
    fow_csv_close(csv);
}

/* ---- the rest of the interface -------------------------------------------- */

static void test_utf8_first_invalid(void **state) {
    (void)state;
    static const struct {
        const char *s;
        size_t len, expected;
    } cases[] = {
        {"", 0, 0},
        {"plain ascii text that is longer than eight bytes", 48, 48},
        {"ă ș ț î â ‘’ 👍", 26, 26},
        {"abcdefgh\xC3", 9, 8},
        {"abcdefghijklmnop\x00q", 18, 16},
        {"\xC2\x80", 2, 2},        /* U+0080, the smallest 2-byte character */
        {"\xC1\xBF", 2, 0},        /* overlong */
        {"\xE0\x9F\xBF", 3, 0},    /* overlong 3-byte */
        {"\xEF\xBF\xBF", 3, 3},    /* U+FFFF */
        {"\xF0\x8F\xBF\xBF", 4, 0}, /* overlong 4-byte */
        {"\xF4\x8F\xBF\xBF", 4, 4}, /* U+10FFFF */
        {"\xF5\x80\x80\x80", 4, 0},
        {"a\xED\xBF\xBF", 4, 1},   /* surrogate */
        {"ab\xE2\x28\xA1", 5, 2},  /* bad continuation */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t got = fow_utf8_first_invalid((const unsigned char *)cases[i].s, cases[i].len);
        if (got != cases[i].expected)
            fail_msg("case %zu: expected %zu, got %zu", i, cases[i].expected, got);
    }
}

static void test_fingerprint_and_progress(void **state) {
    (void)state;
    fow_csv *a = open_s("a,b\n1,2\n");
    fow_csv *b = open_s("a,b\n1,2\n");
    fow_csv *c = open_s("a,b\n1,3\n");
    assert_true(fow_csv_fingerprint(a) == fow_csv_fingerprint(b));
    assert_true(fow_csv_fingerprint(a) != fow_csv_fingerprint(c));
    assert_int_equal(fow_csv_bytes_total(a), 8);
    assert_int_equal(fow_csv_bytes_done(a), 0);
    next_ok(a);
    assert_int_equal(fow_csv_bytes_done(a), 4);
    next_ok(a);
    assert_int_equal(fow_csv_bytes_done(a), 8);
    /* parsing does not change the fingerprint */
    assert_true(fow_csv_fingerprint(a) == fow_csv_fingerprint(b));
    fow_csv_close(a);
    fow_csv_close(b);
    fow_csv_close(c);
    fow_csv_close(NULL);
}

static void test_open_file(void **state) {
    (void)state;
    ts_tmp t;
    ts_tmp_make(&t);
    char path[TS_PATH_MAX];
    ts_write_string(t.dir, "f.csv", "x,y\n\"1\n2\",3\n", path, sizeof path);
    fow_csv *csv = NULL;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_csv_open(&csv, path, &err), &err);
    assert_string_equal(fow_csv_name(csv), path);
    next_ok(csv);
    next_ok(csv);
    assert_field(csv, 0, "1\n2", 2, 1);
    assert_field(csv, 1, "3", 3, 4);
    assert_end(csv);
    fow_csv_close(csv);

    /* a missing file: FOW_EIO naming it */
    char missing[TS_PATH_MAX];
    ts_join(missing, sizeof missing, t.dir, "missing.csv");
    csv = (fow_csv *)0x1;
    fow_error_clear(&err);
    assert_int_equal(fow_csv_open(&csv, missing, &err), FOW_EIO);
    assert_null(csv);
    assert_string_equal(err.file, missing);

    /* invalid UTF-8 in a file: located */
    ts_write_string(t.dir, "bad.csv", "x,y\nok,b\xC3\x28\n", path, sizeof path);
    fow_error_clear(&err);
    assert_int_equal(fow_csv_open(&csv, path, &err), FOW_EINPUT);
    assert_null(csv);
    assert_string_equal(err.file, path);
    assert_at(&err, 2, 5);
    ts_tmp_remove(&t);
}

/* ---- streaming (fow_csv_open_stream) -------------------------------------- */

/* Reads path with fow_csv_open and with fow_csv_open_stream (binding the
 * header "a" first when bind) and asserts that both give the same records,
 * fields, locations, progress, fingerprint and errors. Returns the number
 * of records read. */
static long stream_matches_whole(const char *path, bool bind) {
    fow_csv *whole = NULL, *stream = NULL;
    fow_error ew, es;
    fow_error_clear(&ew);
    fow_error_clear(&es);
    fow_code cw = fow_csv_open(&whole, path, &ew);
    fow_code cs = fow_csv_open_stream(&stream, path, &es);
    assert_int_equal(cw, cs);
    if (cw) {
        assert_null(stream);
        assert_string_equal(ew.message, es.message);
        assert_int_equal(ew.line, es.line);
        assert_int_equal(ew.column, es.column);
        return -1;
    }
    assert_true(fow_csv_fingerprint(whole) == fow_csv_fingerprint(stream));
    assert_int_equal(fow_csv_bytes_total(whole), fow_csv_bytes_total(stream));
    if (bind) {
        static const fow_csv_column cols[] = {{"a", true}};
        int iw, is;
        assert_int_equal(fow_csv_bind_header(whole, cols, 1, &iw, &ew), fow_csv_bind_header(stream, cols, 1, &is, &es));
        assert_int_equal(iw, is);
    }
    long records = 0;
    for (;;) {
        int rw = fow_csv_next(whole, &ew), rs = fow_csv_next(stream, &es);
        assert_int_equal(rw, rs);
        assert_int_equal(fow_csv_bytes_done(whole), fow_csv_bytes_done(stream));
        if (rw < 0) {
            assert_int_equal(ew.code, es.code);
            assert_string_equal(ew.message, es.message);
            assert_int_equal(ew.line, es.line);
            assert_int_equal(ew.column, es.column);
            break;
        }
        if (rw == 0) break;
        records++;
        assert_int_equal(fow_csv_record_line(whole), fow_csv_record_line(stream));
        assert_int_equal(fow_csv_field_count(whole), fow_csv_field_count(stream));
        for (size_t i = 0; i <= fow_csv_field_count(whole); i++) {
            size_t lw, ls;
            const char *fw = fow_csv_field(whole, i, &lw), *fs = fow_csv_field(stream, i, &ls);
            assert_int_equal(lw, ls);
            assert_memory_equal(fw, fs, lw);
            assert_int_equal(fow_csv_field_line(whole, i), fow_csv_field_line(stream, i));
            assert_int_equal(fow_csv_field_column(whole, i), fow_csv_field_column(stream, i));
        }
    }
    fow_csv_close(whole);
    fow_csv_close(stream);
    return records;
}

/* Appends text to a growing buffer. */
static void put(char **buf, size_t *len, size_t *cap, const char *text, size_t n) {
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *buf = realloc(*buf, *cap);
        assert_non_null(*buf);
    }
    memcpy(*buf + *len, text, n);
    *len += n;
    (*buf)[*len] = '\0';
}

static void test_stream_matches_whole(void **state) {
    (void)state;
    ts_tmp t;
    ts_tmp_make(&t);
    char path[TS_PATH_MAX];
    /* about 1.2 MB: a byte-order mark, CRLF and LF lines, blank lines,
     * quoted fields with commas, doubled quotes and line breaks, accented
     * letters, and one quoted field of 600 KB, so that records cross the
     * 256 KiB chunks and the buffer has to grow */
    char *data = NULL;
    size_t len = 0, cap = 0;
    put(&data, &len, &cap, "\xEF\xBB\xBF" "a,b,c\r\n", 10);
    char row[200];
    for (int i = 0; i < 12000; i++) {
        int n = snprintf(row, sizeof row, i % 7 == 0 ? "\"q,%d\",\"line\nbreak \"\"x\"\"\",caf\xC3\xA9 %d\r\n"
                                         : (i % 11 == 0 ? "%d,,%d\n\n" : "r%d,plain,%d\n"),
                         i, i);
        put(&data, &len, &cap, row, (size_t)n);
        if (i == 6000) {
            put(&data, &len, &cap, "big,\"", 5);
            for (int k = 0; k < 60000; k++) put(&data, &len, &cap, "0123456\"\"\n", 10);
            put(&data, &len, &cap, "\",end\n", 6);
        }
    }
    ts_write_bytes(t.dir, "big.csv", data, len, path, sizeof path);
    assert_true(stream_matches_whole(path, true) == 12001);
    assert_true(stream_matches_whole(path, false) == 12002);

    /* the same without a final line end: both readers refuse the last
     * record at the same place, after the 12000 before it */
    ts_write_bytes(t.dir, "noeol.csv", data, len - 1, path, sizeof path);
    assert_true(stream_matches_whole(path, true) == 12000);

    /* errors far into the file: a wrong field count, a stray quote, an
     * unterminated quote, a carriage return alone */
    static const char *const bad[] = {"x,y\n", "x,y\"z,w\n", "x,\"open,w\n", "x,y\rz,w\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *copy = malloc(len + 20);
        assert_non_null(copy);
        memcpy(copy, data, len);
        size_t at = len - 50000;
        while (copy[at - 1] != '\n' || copy[at] == '\n') at++; /* the start of a line */
        memcpy(copy + at, bad[i], strlen(bad[i]));
        ts_write_bytes(t.dir, "bad.csv", copy, len, path, sizeof path);
        assert_true(stream_matches_whole(path, true) > 0);
        free(copy);
    }

    /* UTF-8: a character cut by the first chunk's end is whole; an invalid
     * byte after it is found where the whole reader finds it */
    char *utf = malloc(300000);
    assert_non_null(utf);
    memset(utf, 'x', 300000);
    memcpy(utf, "a\n", 2);
    for (size_t i = 100; i < 300000; i += 100) utf[i] = '\n';
    memcpy(utf + 262143, "\xE2\x80\x99", 3); /* across 256 KiB */
    ts_write_bytes(t.dir, "cut.csv", utf, 300000, path, sizeof path);
    assert_true(stream_matches_whole(path, true) > 0);
    utf[262150] = (char)0xFF;
    ts_write_bytes(t.dir, "invalid.csv", utf, 300000, path, sizeof path);
    assert_true(stream_matches_whole(path, true) == -1);
    memcpy(utf + 262142, "x\xE2\x80", 3); /* a cut character that never ends */
    utf[262145] = 'x';
    ts_write_bytes(t.dir, "unended.csv", utf, 300000, path, sizeof path);
    assert_true(stream_matches_whole(path, true) == -1);
    free(utf);

    /* an empty file, and one with only a byte-order mark */
    ts_write_bytes(t.dir, "empty.csv", "", 0, path, sizeof path);
    assert_true(stream_matches_whole(path, false) == 0);
    ts_write_bytes(t.dir, "bom.csv", "\xEF\xBB\xBF", 3, path, sizeof path);
    assert_true(stream_matches_whole(path, false) == 0);

    /* a missing file */
    fow_csv *csv = (fow_csv *)0x1;
    fow_error err;
    fow_error_clear(&err);
    ts_join(path, sizeof path, t.dir, "missing.csv");
    assert_int_equal(fow_csv_open_stream(&csv, path, &err), FOW_EIO);
    assert_null(csv);
    assert_string_equal(err.file, path);
    free(data);
    ts_tmp_remove(&t);
}

/* ---- the error type (src/base/fow_error.h) -------------------------------- */

static void test_error_type(void **state) {
    (void)state;
    fow_error err;
    char buf[64];
    assert_int_equal(fow_error_set_at(&err, FOW_EINPUT, "a.csv", 3, 7, "uri", "bad %d", 1), FOW_EINPUT);
    assert_string_equal(fow_error_format(&err, buf, sizeof buf), "a.csv:3:7: bad 1");
    assert_string_equal(err.field, "uri");
    fow_error_set_at(&err, FOW_EINPUT, "a.csv", 3, 0, NULL, "no column");
    assert_string_equal(fow_error_format(&err, buf, sizeof buf), "a.csv:3: no column");
    assert_string_equal(err.field, "");
    fow_error_set_at(&err, FOW_EIO, "a.csv", 0, 0, NULL, "cannot open");
    assert_string_equal(fow_error_format(&err, buf, sizeof buf), "a.csv: cannot open");
    /* fow_error_set clears the location of an earlier error */
    assert_int_equal(fow_error_set(&err, FOW_EDB, "locked"), FOW_EDB);
    assert_string_equal(fow_error_format(&err, buf, sizeof buf), "locked");
    assert_int_equal(err.line, 0);
    assert_string_equal(err.file, "");
    /* truncation keeps the buffer terminated */
    char small[8];
    fow_error_set(&err, FOW_EINPUT, "a rather long message");
    assert_string_equal(fow_error_format(&err, small, sizeof small), "a rathe");
    fow_error_clear(&err);
    assert_int_equal(err.code, FOW_OK);
    assert_string_equal(err.message, "");
    fow_error_clear(NULL);
    assert_int_equal(fow_error_set(NULL, FOW_ENOMEM, "x"), FOW_ENOMEM);
    assert_int_equal(fow_error_set_at(NULL, FOW_EINPUT, "f", 1, 1, NULL, "x"), FOW_EINPUT);

    assert_string_equal(fow_code_name(FOW_OK), "ok");
    assert_string_equal(fow_code_name(FOW_EINPUT), "input");
    assert_string_equal(fow_code_name(FOW_ENOTFOUND), "not-found");
    assert_string_equal(fow_code_name((fow_code)99), "unknown");
    assert_int_equal(fow_code_is_user_error(FOW_EINPUT), 1);
    assert_int_equal(fow_code_is_user_error(FOW_ENOTFOUND), 1);
    assert_int_equal(fow_code_is_user_error(FOW_EIO), 1);
    assert_int_equal(fow_code_is_user_error(FOW_EDB), 0);
    assert_int_equal(fow_code_is_user_error(FOW_ENOMEM), 0);
    assert_int_equal(fow_code_is_user_error(FOW_EINTERNAL), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_records),
        cmocka_unit_test(test_empty_fields),
        cmocka_unit_test(test_out_of_range_field),
        cmocka_unit_test(test_quoted_commas_and_doubled_quotes),
        cmocka_unit_test(test_embedded_newlines),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_bare_cr_is_an_error),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_bom_does_not_shift_error_columns),
        cmocka_unit_test(test_blank_lines_skipped),
        cmocka_unit_test(test_column_counted_in_characters),
        cmocka_unit_test(test_header_binding),
        cmocka_unit_test(test_header_missing_required_column),
        cmocka_unit_test(test_header_duplicate_column),
        cmocka_unit_test(test_header_empty_input),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_quote_inside_unquoted_field),
        cmocka_unit_test(test_text_after_closing_quote),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_wrong_field_count),
        cmocka_unit_test(test_field_double),
        cmocka_unit_test(test_error_at_names_the_column),
        cmocka_unit_test(test_utf8_first_invalid),
        cmocka_unit_test(test_fingerprint_and_progress),
        cmocka_unit_test(test_open_file),
        cmocka_unit_test(test_stream_matches_whole),
        cmocka_unit_test(test_truncated_last_record),
        cmocka_unit_test(test_error_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
