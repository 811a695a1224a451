/* test_ical.c — the iCalendar writer (src/base/fow_ical.h): CRLF lines,
 * folding at 75 octets without cutting a UTF-8 sequence, TEXT escaping,
 * UTC times, the calendar and event properties. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#include "base/fow_ical.h"

/* Undoes the folding of text (CRLF followed by one space joins lines) into
 * a malloc'd string of the logical lines, each ended by "\n". Fails the
 * test on a bare LF or CR, a physical line over 75 octets, or a physical
 * line that is not valid UTF-8 on its own. */
static char *unfold_checked(const char *text) {
    size_t n = strlen(text);
    char *out = malloc(n + 1);
    assert_non_null(out);
    size_t o = 0;
    const char *line = text;
    while (*line) {
        const char *crlf = strstr(line, "\r\n");
        if (!crlf) fail_msg("a line without CRLF at the end: \"%s\"", line);
        size_t len = (size_t)(crlf - line);
        if (memchr(line, '\n', len) || memchr(line, '\r', len)) fail_msg("a bare CR or LF inside a line");
        if (len > FOW_ICAL_LINE_OCTETS) fail_msg("a line of %zu octets: \"%.*s\"", len, (int)len, line);
        /* each physical line is whole UTF-8: it neither starts nor ends inside a sequence */
        size_t i = 0;
        while (i < len) {
            unsigned char b = (unsigned char)line[i];
            size_t need = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
            if (need == 0) fail_msg("a physical line starts a character with byte 0x%02x at %zu", b, i);
            if (i + need > len) fail_msg("a UTF-8 sequence is cut at the end of a physical line");
            for (size_t k = 1; k < need; k++)
                if (((unsigned char)line[i + k] & 0xC0) != 0x80) fail_msg("a broken UTF-8 sequence");
            i += need;
        }
        bool continuation = line != text && line[0] == ' ';
        if (continuation) {
            assert_true(o > 0 && out[o - 1] == '\n');
            o--; /* join: drop the previous "\n" and this line's leading space */
            memcpy(out + o, line + 1, len - 1);
            o += len - 1;
        } else {
            memcpy(out + o, line, len);
            o += len;
        }
        out[o++] = '\n';
        line = crlf + 2;
    }
    out[o] = '\0';
    return out;
}

static char *written_text(const char *name, const char *value) {
    fow_ical c;
    fow_ical_init(&c);
    fow_ical_text(&c, name, value);
    char *text = fow_ical_take(&c);
    assert_non_null(text);
    return text;
}

static void test_escaping(void **state) {
    (void)state;
    char *text = written_text("SUMMARY", "a, b; c\\d\nline two\r\nthree\rfour\x01x\ttab");
    assert_string_equal(text, "SUMMARY:a\\, b\\; c\\\\d\\nline two\\nthree\\nfour" "x\ttab\r\n");
    free(text);
    text = written_text("DESCRIPTION", "");
    assert_string_equal(text, "DESCRIPTION:\r\n");
    free(text);
}

static void test_short_line_not_folded(void **state) {
    (void)state;
    char value[80];
    memset(value, 'x', 67);
    value[67] = '\0'; /* "SUMMARY:" (8) + 67 = 75 octets: fits */
    char *text = written_text("SUMMARY", value);
    assert_int_equal(strlen(text), 77);
    assert_null(strchr(text, ' '));
    free(text);
    memset(value, 'x', 68);
    value[68] = '\0'; /* 76 octets: folded into 75 + " x" */
    text = written_text("SUMMARY", value);
    assert_int_equal(strlen(text), 75 + 2 + 2 + 2);
    assert_memory_equal(text + 75, "\r\n x\r\n", 6);
    free(text);
}

static void test_folding_ascii_long(void **state) {
    (void)state;
    char value[1001];
    for (int i = 0; i < 1000; i++) value[i] = (char)('a' + i % 26);
    value[1000] = '\0';
    char *text = written_text("DESCRIPTION", value);
    char *logical = unfold_checked(text);
    char want[1100];
    snprintf(want, sizeof want, "DESCRIPTION:%s\n", value);
    assert_string_equal(logical, want);
    /* every physical line but the last is exactly 75 octets */
    const char *p = text;
    int full = 0;
    for (const char *crlf; (crlf = strstr(p, "\r\n")) && crlf[2]; p = crlf + 2) {
        assert_int_equal(crlf - p, 75);
        full++;
    }
    assert_true(full >= 13);
    free(logical);
    free(text);
}

/* Romanian letters (2 octets), a euro sign (3) and an emoji (4), at every
 * offset against the fold: no sequence is ever cut, and unfolding gives
 * the value back. */
static void test_folding_utf8(void **state) {
    (void)state;
    const char *pieces[] = {"ș", "ț", "€", "\xF0\x9F\x94\xA7", "ă"};
    for (int shift = 0; shift < 8; shift++) {
        char value[2000];
        size_t n = 0;
        for (int i = 0; i < shift; i++) value[n++] = 'x';
        for (int i = 0; i < 120; i++) {
            const char *piece = pieces[i % 5];
            memcpy(value + n, piece, strlen(piece));
            n += strlen(piece);
        }
        value[n] = '\0';
        char *text = written_text("LOCATION", value);
        char *logical = unfold_checked(text);
        char want[2100];
        snprintf(want, sizeof want, "LOCATION:%s\n", value);
        assert_string_equal(logical, want);
        free(logical);
        free(text);
    }
}

static void test_utc_format(void **state) {
    (void)state;
    char out[17];
    fow_ical_format_utc(0, out);
    assert_string_equal(out, "19700101T000000Z");
    fow_ical_format_utc(1803884400LL, out); /* 2027-03-01 07:00 UTC */
    assert_string_equal(out, "20270301T070000Z");
    fow_ical_format_utc(951782399LL, out); /* 2000-02-28 23:59:59 */
    assert_string_equal(out, "20000228T235959Z");
    fow_ical_format_utc(951868800LL, out); /* 2000-03-01: after the leap day */
    assert_string_equal(out, "20000301T000000Z");
}

static void test_calendar_and_event(void **state) {
    (void)state;
    fow_ical c;
    fow_ical_init(&c);
    fow_ical_calendar_begin(&c, "-//fow//labs//EN", "Laser cutter, Design Development");
    fow_ical_event e = {.uid = "b-123@fow", .stamp = 1803880000, .start = 1803884400, .end = 1803891600,
                        .last_modified = 1803000000, .sequence = 2, .cancelled = true, .summary = "Booked",
                        .location = "Laser cutter; Design Development", .description = NULL};
    fow_ical_event_write(&c, &e);
    fow_ical_calendar_end(&c);
    char *text = fow_ical_take(&c);
    assert_non_null(text);
    char *logical = unfold_checked(text);
    const char *want =
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//fow//labs//EN\nCALSCALE:GREGORIAN\nMETHOD:PUBLISH\n"
        "X-WR-CALNAME:Laser cutter\\, Design Development\n"
        "BEGIN:VEVENT\nUID:b-123@fow\nDTSTAMP:20270301T054640Z\nDTSTART:20270301T070000Z\n"
        "DTEND:20270301T090000Z\nSEQUENCE:2\nSTATUS:CANCELLED\nSUMMARY:Booked\n"
        "LOCATION:Laser cutter\\; Design Development\nLAST-MODIFIED:20270219T012000Z\nTRANSP:TRANSPARENT\n"
        "END:VEVENT\nEND:VCALENDAR\n";
    assert_string_equal(logical, want);
    free(logical);
    free(text);
    /* the writer is empty again after take */
    text = fow_ical_take(&c);
    assert_string_equal(text, "");
    free(text);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_short_line_not_folded),
        cmocka_unit_test(test_folding_ascii_long),
        cmocka_unit_test(test_folding_utf8),
        cmocka_unit_test(test_utc_format),
        cmocka_unit_test(test_calendar_and_event),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
