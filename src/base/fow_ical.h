/* fow_ical.h — an iCalendar (RFC 5545) writer: content lines ended by CRLF,
 * folded at 75 octets without cutting a UTF-8 sequence, TEXT values
 * escaped (backslash, semicolon, comma, newline), times in UTC ("Z" form).
 * No fow dependency beyond the error-free growing buffer it owns.
 *
 * Use: fow_ical_init, fow_ical_calendar_begin, any number of
 * fow_ical_event, fow_ical_calendar_end, then fow_ical_take (the text) and
 * fow_ical_free. A writer that ran out of memory remembers it: every later
 * call does nothing and fow_ical_take returns NULL. */
#ifndef FOW_ICAL_H
#define FOW_ICAL_H

#include <stdbool.h>
#include <stddef.h>

/* The longest content line, in octets, before its CRLF (RFC 5545 3.1). */
#define FOW_ICAL_LINE_OCTETS 75

typedef struct fow_ical {
    char *text;   /* malloc'd, NUL-terminated; NULL before the first write */
    size_t len, cap;
    bool failed;  /* out of memory: nothing more is written */
} fow_ical;

/* One event (VEVENT). Times are Unix seconds, written in UTC. Text fields
 * may be NULL or "" (then left out, except summary, written empty). */
typedef struct fow_ical_event {
    const char *uid;           /* stable across changes: the booking's uid */
    long long stamp;           /* DTSTAMP (a feed gives the last change, so that its text, and its ETag, stay the same until something changes) */
    long long start, end;      /* DTSTART, DTEND */
    long long last_modified;   /* LAST-MODIFIED; 0: left out */
    long long sequence;        /* SEQUENCE: raised by every change */
    bool cancelled;            /* STATUS:CANCELLED, else STATUS:CONFIRMED */
    const char *summary;
    const char *location;
    const char *description;
} fow_ical_event;

/* An empty writer. Cannot fail. */
void fow_ical_init(fow_ical *c);

/* Frees what the writer holds; it is empty again. */
void fow_ical_free(fow_ical *c);

/* BEGIN:VCALENDAR with VERSION:2.0, PRODID (prodid), CALSCALE:GREGORIAN,
 * METHOD:PUBLISH and X-WR-CALNAME (name, escaped). */
void fow_ical_calendar_begin(fow_ical *c, const char *prodid, const char *name);

/* END:VCALENDAR. */
void fow_ical_calendar_end(fow_ical *c);

/* Writes one VEVENT. */
void fow_ical_event_write(fow_ical *c, const fow_ical_event *e);

/* One content line "name:value" with value escaped as TEXT (\\ \; \, and
 * \n for a line break; other control characters but tab dropped), folded. */
void fow_ical_text(fow_ical *c, const char *name, const char *value);

/* One content line "name:value" with value written as it is (dates,
 * integers, URIs: the caller's value holds no control character), folded. */
void fow_ical_raw(fow_ical *c, const char *name, const char *value);

/* One content line "name:YYYYMMDDTHHMMSSZ" of utc (Unix seconds). */
void fow_ical_utc(fow_ical *c, const char *name, long long utc);

/* Writes the UTC form YYYYMMDDTHHMMSSZ of utc into out (17 bytes with the
 * NUL). Valid for years 0001-9999; cannot fail. */
void fow_ical_format_utc(long long utc, char out[17]);

/* The text written so far (the caller frees it; the writer is empty
 * again), or NULL after an out-of-memory failure (the writer is freed). */
char *fow_ical_take(fow_ical *c);

#endif
