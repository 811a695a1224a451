/* fow_ical.c — the iCalendar (RFC 5545) writer (fow_ical.h). */
#include "base/fow_ical.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fow_ical_init(fow_ical *c) {
    memset(c, 0, sizeof *c);
}

void fow_ical_free(fow_ical *c) {
    free(c->text);
    fow_ical_init(c);
}

/* Appends n bytes; on out of memory frees everything and marks the writer failed. */
static void append(fow_ical *c, const char *bytes, size_t n) {
    if (c->failed || n == 0) return;
    if (c->len + n + 1 > c->cap) {
        size_t cap = c->cap ? c->cap : 1024;
        while (c->len + n + 1 > cap) cap *= 2;
        char *grown = realloc(c->text, cap);
        if (!grown) {
            free(c->text);
            c->text = NULL;
            c->len = c->cap = 0;
            c->failed = true;
            return;
        }
        c->text = grown;
        c->cap = cap;
    }
    memcpy(c->text + c->len, bytes, n);
    c->len += n;
    c->text[c->len] = '\0';
}

/* Writes the logical line line[0..n) folded: at most FOW_ICAL_LINE_OCTETS
 * octets per physical line (a continuation line's leading space counts),
 * never cutting a UTF-8 sequence (a cut goes back before a continuation
 * byte 10xxxxxx), each line ended by CRLF. */
static void fold(fow_ical *c, const char *line, size_t n) {
    size_t at = 0;
    bool first = true;
    while (at < n) {
        size_t room = first ? FOW_ICAL_LINE_OCTETS : FOW_ICAL_LINE_OCTETS - 1;
        size_t take = n - at;
        if (take > room) {
            take = room;
            while (take > 1 && ((unsigned char)line[at + take] & 0xC0) == 0x80) take--;
        }
        if (!first) append(c, " ", 1);
        append(c, line + at, take);
        append(c, "\r\n", 2);
        at += take;
        first = false;
    }
    if (n == 0) append(c, "\r\n", 2);
}

/* A growing line buffer for building one logical line. */
typedef struct line_buf {
    char *data;
    size_t len, cap;
    bool failed;
} line_buf;

static void line_put(line_buf *b, const char *bytes, size_t n) {
    if (b->failed || n == 0) return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n > cap) cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown) {
            b->failed = true;
            return;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, bytes, n);
    b->len += n;
}

static void emit(fow_ical *c, line_buf *b) {
    if (b->failed) {
        free(c->text);
        c->text = NULL;
        c->len = c->cap = 0;
        c->failed = true;
    } else {
        fold(c, b->data ? b->data : "", b->len);
    }
    free(b->data);
}

void fow_ical_text(fow_ical *c, const char *name, const char *value) {
    if (c->failed) return;
    line_buf b = {0};
    line_put(&b, name, strlen(name));
    line_put(&b, ":", 1);
    for (const char *p = value ? value : ""; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '\\') line_put(&b, "\\\\", 2);
        else if (ch == ';') line_put(&b, "\\;", 2);
        else if (ch == ',') line_put(&b, "\\,", 2);
        else if (ch == '\n') line_put(&b, "\\n", 2);
        else if (ch == '\r') {
            if (p[1] != '\n') line_put(&b, "\\n", 2); /* a lone CR is a line break too; CRLF once */
        } else if (ch < 0x20 && ch != '\t') {
            continue; /* not allowed in TEXT */
        } else if (ch == 0x7F) {
            continue;
        } else {
            line_put(&b, p, 1);
        }
    }
    emit(c, &b);
}

void fow_ical_raw(fow_ical *c, const char *name, const char *value) {
    if (c->failed) return;
    line_buf b = {0};
    line_put(&b, name, strlen(name));
    line_put(&b, ":", 1);
    line_put(&b, value, strlen(value));
    emit(c, &b);
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d) {
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long year = (long long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = year + (*m <= 2);
}

void fow_ical_format_utc(long long utc, char out[17]) {
    long long days = utc >= 0 ? utc / 86400 : -((-utc + 86399) / 86400);
    unsigned secs = (unsigned)(utc - days * 86400); /* 0 .. 86399 */
    long long y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 1) y = 1;
    if (y > 9999) y = 9999;
    unsigned year = (unsigned)y % 10000u, month = m % 13u, day = d % 32u;
    snprintf(out, 17, "%04u%02u%02uT%02u%02u%02uZ", year, month, day, secs / 3600 % 24u, secs / 60 % 60, secs % 60);
}

void fow_ical_utc(fow_ical *c, const char *name, long long utc) {
    char value[17];
    fow_ical_format_utc(utc, value);
    fow_ical_raw(c, name, value);
}

void fow_ical_calendar_begin(fow_ical *c, const char *prodid, const char *name) {
    fold(c, "BEGIN:VCALENDAR", 15);
    fow_ical_raw(c, "VERSION", "2.0");
    fow_ical_text(c, "PRODID", prodid);
    fow_ical_raw(c, "CALSCALE", "GREGORIAN");
    fow_ical_raw(c, "METHOD", "PUBLISH");
    fow_ical_text(c, "X-WR-CALNAME", name);
}

void fow_ical_calendar_end(fow_ical *c) {
    fold(c, "END:VCALENDAR", 13);
}

void fow_ical_event_write(fow_ical *c, const fow_ical_event *e) {
    char number[24];
    fold(c, "BEGIN:VEVENT", 12);
    fow_ical_text(c, "UID", e->uid);
    fow_ical_utc(c, "DTSTAMP", e->stamp);
    fow_ical_utc(c, "DTSTART", e->start);
    fow_ical_utc(c, "DTEND", e->end);
    snprintf(number, sizeof number, "%lld", e->sequence < 0 ? 0 : e->sequence);
    fow_ical_raw(c, "SEQUENCE", number);
    fow_ical_raw(c, "STATUS", e->cancelled ? "CANCELLED" : "CONFIRMED");
    fow_ical_text(c, "SUMMARY", e->summary ? e->summary : "");
    if (e->location && *e->location) fow_ical_text(c, "LOCATION", e->location);
    if (e->description && *e->description) fow_ical_text(c, "DESCRIPTION", e->description);
    if (e->last_modified > 0) fow_ical_utc(c, "LAST-MODIFIED", e->last_modified);
    fow_ical_raw(c, "TRANSP", e->cancelled ? "TRANSPARENT" : "OPAQUE");
    fold(c, "END:VEVENT", 10);
}

char *fow_ical_take(fow_ical *c) {
    if (c->failed) {
        fow_ical_init(c);
        return NULL;
    }
    char *text = c->text;
    if (!text) text = calloc(1, 1);
    fow_ical_init(c);
    return text;
}
