/* fow_csv.h — a strict RFC 4180 CSV reader that knows where it is.
 *
 * fow_csv_open holds the whole input in memory and parses it in place, record
 * by record; fow_csv_open_stream reads a file in chunks and holds only the
 * record being read (for files of hundreds of MB). Every field is returned as a
 * NUL-terminated UTF-8 string together with the line and column (in
 * characters, 1-based) where it starts, so that importers can report
 * "file:line:column: what is wrong".
 *
 * Accepted: a UTF-8 byte-order mark at the start, LF or CRLF line ends,
 * quoted fields containing commas, doubled quotes and line breaks, blank
 * lines (skipped). Rejected with a located error: invalid UTF-8, NUL bytes,
 * an unterminated quoted field, a quote inside an unquoted field, text after
 * a closing quote, a record whose field count differs from the header, and
 * input whose last record has no line break after it ("file ends inside a
 * row: truncated?", located where the input ends). RFC 4180 lets the last
 * record go without one; fow does not, because that is how a cut copy or
 * upload looks, and its last field would otherwise pass as a shorter value
 * (a count of 336918 cut to 33). An empty input, or one of blank lines
 * only, has no records and is not an error.
 */
#ifndef FOW_CSV_H
#define FOW_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "base/fow_error.h"

typedef struct fow_csv fow_csv;

/* Opens path and reads it whole. On success returns FOW_OK and *out owns the
 * reader (free with fow_csv_close). On failure *out is NULL and err says why
 * (FOW_EIO when the file can't be read, FOW_EINPUT for invalid UTF-8). */
fow_code fow_csv_open(fow_csv **out, const char *path, fow_error *err);

/* Like fow_csv_open, but the file is read in chunks of 256 KiB, so that a
 * reader holds little more than the current record: field strings stay
 * valid only until the next fow_csv_next (copy what you keep), and the
 * buffer is released when fow_csv_next reaches the end. The file is read
 * once beforehand for the fingerprint and the UTF-8 check, so errors,
 * fingerprint and progress are those of fow_csv_open. */
fow_code fow_csv_open_stream(fow_csv **out, const char *path, fow_error *err);

/* Like fow_csv_open on len bytes of data, which are copied; name is used in
 * error messages in place of a file path. */
fow_code fow_csv_open_memory(fow_csv **out, const char *name, const char *data, size_t len,
                             fow_error *err);

/* Frees the reader and every field string it returned. NULL is allowed. */
void fow_csv_close(fow_csv *csv);

/* Reads the next record. Returns 1 when a record was read, 0 at the end of
 * the input, -1 on malformed input (err filled with file:line:column).
 * Once a header has been bound (fow_csv_bind_header), a record with another
 * number of fields is an error. Field strings stay valid until the reader
 * is closed (fow_csv_open, fow_csv_open_memory) or until the next call
 * (fow_csv_open_stream). */
int fow_csv_next(fow_csv *csv, fow_error *err);

/* Number of fields of the current record. */
size_t fow_csv_field_count(const fow_csv *csv);

/* Field i of the current record (NUL-terminated; "" when i is out of range).
 * If len is not NULL it receives the length in bytes. */
const char *fow_csv_field(const fow_csv *csv, size_t i, size_t *len);

/* Line and column (1-based, column in characters) where field i of the
 * current record starts; for an out-of-range i, where the record ends. */
long fow_csv_field_line(const fow_csv *csv, size_t i);
long fow_csv_field_column(const fow_csv *csv, size_t i);

/* Line on which the current record starts. */
long fow_csv_record_line(const fow_csv *csv);

/* The name given at open (the file path). */
const char *fow_csv_name(const fow_csv *csv);

/* FNV-1a 64-bit fingerprint of the whole input as read (before parsing),
 * used to tell whether the same data is imported twice. */
unsigned long long fow_csv_fingerprint(const fow_csv *csv);

/* Bytes consumed so far and the total size, for progress meters. */
size_t fow_csv_bytes_done(const fow_csv *csv);
size_t fow_csv_bytes_total(const fow_csv *csv);

/* A column an importer expects. */
typedef struct fow_csv_column {
    const char *name;
    bool required;
} fow_csv_column;

/* Reads the header record and finds each of the n columns by name
 * (exact, case-sensitive). index_out[i] receives the field index of
 * columns[i], or -1 when an optional column is absent. Unknown extra columns
 * are allowed and ignored. Fails with FOW_EINPUT on an empty input, a
 * missing required column ("missing required column 'uri'") or a repeated
 * column name. After it succeeds every record must have as many fields as
 * the header. */
fow_code fow_csv_bind_header(fow_csv *csv, const fow_csv_column *columns, size_t n,
                             int *index_out, fow_error *err);

/* Fills err with FOW_EINPUT located at field i of the current record, with
 * the header name of that field as err->field. Returns FOW_EINPUT. */
fow_code fow_csv_error_at(const fow_csv *csv, size_t i, fow_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Parses field i as a finite double. Empty fields give *out = NAN and
 * return FOW_OK when allow_empty, else an error. Anything else that is not
 * a number is a located FOW_EINPUT error naming the column. */
fow_code fow_csv_field_double(const fow_csv *csv, size_t i, bool allow_empty, double *out,
                              fow_error *err);

/* Checks that buf (len bytes) is valid UTF-8 without NUL bytes. Returns the
 * offset of the first bad byte, or len when all is valid. */
size_t fow_utf8_first_invalid(const unsigned char *buf, size_t len);

#endif
