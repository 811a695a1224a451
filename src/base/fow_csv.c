#include "base/fow_csv.h"

#include "base/fow_strmap.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct csv_field {
    char *text;
    size_t len;
    long line;
    long column;
} csv_field;

/* Bytes read from a file at a time by a streaming reader. */
#define CSV_CHUNK ((size_t)256 * 1024)

struct fow_csv {
    char *name;
    char *buf; /* the bytes in memory (len of them, cap >= len + 1), parsed in place */
    size_t len;
    size_t cap;
    size_t pos;
    /* streaming (fow_csv_open_stream): buf holds the file from byte offset
     * base; more is read while !at_eof. Whole-input readers have at_eof set
     * from the start and never move buf. */
    FILE *file;
    bool streaming;
    bool at_eof;
    size_t base;
    size_t total;
    long line;
    long column;
    csv_field *fields;
    size_t n_fields;
    size_t cap_fields;
    long record_line;
    long end_line; /* where the current record's last field ends */
    long end_column;
    /* header, once bound */
    char **header;
    size_t n_header;
    bool header_bound;
    unsigned long long fingerprint;
};

size_t fow_utf8_first_invalid(const unsigned char *s, size_t len) {
    size_t i = 0;
    while (i < len) {
        /* ASCII fast path, 8 bytes at a time */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ULL) break;
            /* a zero byte inside w? */
            if ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= len) break;
        unsigned char c = s[i];
        if (c == 0) return i;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + need >= len) return i;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += need + 1;
    }
    return len;
}

/* Line and character column of byte offset off in buf. */
static void locate_offset(const char *buf, size_t off, long *line, long *column) {
    long l = 1, c = 1;
    size_t start = (off >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0; /* the byte-order mark is not text */
    for (size_t i = start; i < off; i++) {
        unsigned char b = (unsigned char)buf[i];
        if (b == '\n') {
            l++;
            c = 1;
        } else if ((b & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *column = c;
}

static fow_code csv_init(fow_csv **out, const char *name, char *buf, size_t len, fow_error *err) {
    *out = NULL;
    size_t bad = fow_utf8_first_invalid((const unsigned char *)buf, len);
    if (bad < len) {
        long line, column;
        locate_offset(buf, bad, &line, &column);
        fow_code code = fow_error_set_at(err, FOW_EINPUT, name, line, column, NULL,
                                         buf[bad] == 0 ? "NUL byte in text"
                                                       : "invalid UTF-8 byte 0x%02X",
                                         (unsigned char)buf[bad]);
        free(buf);
        return code;
    }
    fow_csv *csv = calloc(1, sizeof *csv);
    if (!csv) {
        free(buf);
        return fow_error_set(err, FOW_ENOMEM, "out of memory reading %s", name);
    }
    csv->name = strdup(name);
    if (!csv->name) {
        free(buf);
        free(csv);
        return fow_error_set(err, FOW_ENOMEM, "out of memory reading %s", name);
    }
    csv->buf = buf;
    csv->len = len;
    csv->cap = len + 1;
    csv->at_eof = true;
    csv->total = len;
    csv->fingerprint = fow_hash_bytes(buf, len);
    csv->line = 1;
    csv->column = 1;
    /* skip a UTF-8 byte-order mark */
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) csv->pos = 3;
    *out = csv;
    return FOW_OK;
}

fow_code fow_csv_open(fow_csv **out, const char *path, fow_error *err) {
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return fow_error_set_at(err, FOW_EIO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    if (fseek(f, 0, SEEK_END) != 0) {
        fclose(f);
        return fow_error_set_at(err, FOW_EIO, path, 0, 0, NULL, "cannot seek: %s", strerror(errno));
    }
    long size = ftell(f);
    if (size < 0) {
        fclose(f);
        return fow_error_set_at(err, FOW_EIO, path, 0, 0, NULL, "not a regular file");
    }
    rewind(f);
    char *buf = malloc((size_t)size + 1);
    if (!buf) {
        fclose(f);
        return fow_error_set(err, FOW_ENOMEM, "out of memory reading %s", path);
    }
    size_t got = fread(buf, 1, (size_t)size, f);
    int failed = ferror(f);
    fclose(f);
    if (failed || got != (size_t)size) {
        free(buf);
        return fow_error_set_at(err, FOW_EIO, path, 0, 0, NULL, "read error");
    }
    buf[size] = '\0';
    return csv_init(out, path, buf, (size_t)size, err);
}

fow_code fow_csv_open_memory(fow_csv **out, const char *name, const char *data, size_t len,
                             fow_error *err) {
    *out = NULL;
    char *buf = malloc(len + 1);
    if (!buf) return fow_error_set(err, FOW_ENOMEM, "out of memory reading %s", name);
    if (len) memcpy(buf, data, len);
    buf[len] = '\0';
    return csv_init(out, name, buf, len, err);
}

/* FNV-1a 64-bit, continued over more bytes (fow_hash_bytes in pieces). */
static uint64_t fnv_update(uint64_t h, const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* locate_offset for an offset of an open file, read again from its start. */
static void locate_in_file(FILE *f, size_t off, long *line, long *column) {
    long l = 1, c = 1;
    unsigned char chunk[65536];
    size_t at = 0;
    rewind(f);
    for (;;) {
        size_t got = fread(chunk, 1, sizeof chunk, f);
        if (got == 0) break;
        size_t i = 0;
        if (at == 0 && off >= 3 && got >= 3 && memcmp(chunk, "\xEF\xBB\xBF", 3) == 0) i = 3;
        for (; i < got && at + i < off; i++) {
            if (chunk[i] == '\n') {
                l++;
                c = 1;
            } else if ((chunk[i] & 0xC0) != 0x80) {
                c++;
            }
        }
        at += got;
        if (at >= off) break;
    }
    *line = l;
    *column = c;
}

/* Reads the next bytes of a streaming reader after what it holds, first
 * dropping the bytes before pos (fields of earlier records). */
static int csv_fill(fow_csv *csv, fow_error *err) {
    if (csv->at_eof) return 0;
    if (csv->pos > 0) {
        memmove(csv->buf, csv->buf + csv->pos, csv->len - csv->pos);
        csv->base += csv->pos;
        csv->len -= csv->pos;
        csv->pos = 0;
    }
    if (csv->cap - csv->len - 1 < CSV_CHUNK / 2) {
        size_t cap = csv->cap * 2;
        char *buf = realloc(csv->buf, cap);
        if (!buf) {
            fow_error_set(err, FOW_ENOMEM, "out of memory reading %s", csv->name);
            return -1;
        }
        csv->buf = buf;
        csv->cap = cap;
    }
    size_t got = fread(csv->buf + csv->len, 1, csv->cap - csv->len - 1, csv->file);
    if (got == 0) {
        if (ferror(csv->file)) {
            fow_error_set_at(err, FOW_EIO, csv->name, 0, 0, NULL, "read error");
            return -1;
        }
        csv->at_eof = true;
        fclose(csv->file);
        csv->file = NULL;
    }
    csv->len += got;
    /* the buffer holds the unread bytes and a NUL after them */
    assert(csv->pos == 0 && csv->len < csv->cap);
    csv->buf[csv->len] = '\0';
    return 0;
}

/* Makes sure a streaming reader holds the whole next record (up to a line
 * end outside quotes, after any blank lines), or everything up to the end
 * of the file. A whole-input reader always does. */
static int csv_ensure_record(fow_csv *csv, fow_error *err) {
    size_t scanned = 0; /* bytes after pos already looked at */
    bool blank = true, quoted = false;
    while (!csv->at_eof) {
        const char *b = csv->buf;
        size_t n = csv->len, i = csv->pos + scanned;
        for (; i < n; i++) {
            char c = b[i];
            if (blank) {
                if (c == '\n') continue;
                if (c == '\r') {
                    if (i + 1 >= n) break; /* is it a CRLF? read on */
                    if (b[i + 1] == '\n') {
                        i++;
                        continue;
                    }
                }
                blank = false;
            }
            if (c == '"') quoted = !quoted;
            else if (c == '\n' && !quoted) return 0;
        }
        scanned = i - csv->pos;
        if (csv_fill(csv, err) != 0) return -1;
    }
    return 0;
}

fow_code fow_csv_open_stream(fow_csv **out, const char *path, fow_error *err) {
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return fow_error_set_at(err, FOW_EIO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    if (fseek(f, 0, SEEK_END) != 0) {
        fclose(f);
        return fow_error_set_at(err, FOW_EIO, path, 0, 0, NULL, "cannot seek: %s", strerror(errno));
    }
    if (ftell(f) < 0) {
        fclose(f);
        return fow_error_set_at(err, FOW_EIO, path, 0, 0, NULL, "not a regular file");
    }
    rewind(f);
    /* first pass: the fingerprint, and the UTF-8 check of the whole file
     * before any record is parsed (as a whole-input reader does) */
    unsigned char *chunk = malloc(CSV_CHUNK + 4);
    if (!chunk) {
        fclose(f);
        return fow_error_set(err, FOW_ENOMEM, "out of memory reading %s", path);
    }
    uint64_t h = 1469598103934665603ULL;
    size_t have = 0, chunk_at = 0;
    fow_code rc = FOW_OK;
    for (;;) {
        size_t got = fread(chunk + have, 1, CSV_CHUNK, f);
        if (ferror(f)) {
            rc = fow_error_set_at(err, FOW_EIO, path, 0, 0, NULL, "read error");
            break;
        }
        h = fnv_update(h, chunk + have, got);
        have += got;
        bool final = got == 0 || feof(f);
        size_t bad = fow_utf8_first_invalid(chunk, have);
        if (bad < have && !final && have - bad <= 3 && chunk[bad] != 0) {
            /* a character cut by the chunk's end: checked with the next bytes */
            memmove(chunk, chunk + bad, have - bad);
            chunk_at += bad;
            have -= bad;
            continue;
        }
        if (bad < have) {
            long line, column;
            unsigned char byte = chunk[bad];
            locate_in_file(f, chunk_at + bad, &line, &column);
            rc = fow_error_set_at(err, FOW_EINPUT, path, line, column, NULL,
                                  byte == 0 ? "NUL byte in text" : "invalid UTF-8 byte 0x%02X", byte);
            break;
        }
        chunk_at += have;
        have = 0;
        if (final) break;
    }
    free(chunk);
    if (rc) {
        fclose(f);
        return rc;
    }
    rewind(f);
    fow_csv *csv = calloc(1, sizeof *csv);
    if (csv) csv->name = strdup(path);
    if (csv && csv->name) csv->buf = malloc(CSV_CHUNK + 1);
    if (!csv || !csv->name || !csv->buf) {
        if (csv) {
            free(csv->name);
            free(csv);
        }
        fclose(f);
        return fow_error_set(err, FOW_ENOMEM, "out of memory reading %s", path);
    }
    csv->cap = CSV_CHUNK + 1;
    csv->buf[0] = '\0';
    csv->streaming = true;
    csv->file = f;
    csv->total = chunk_at;
    csv->fingerprint = h;
    csv->line = 1;
    csv->column = 1;
    if (csv_fill(csv, err) != 0) {
        fow_csv_close(csv);
        return err ? err->code : FOW_EIO;
    }
    /* skip a UTF-8 byte-order mark */
    if (csv->len >= 3 && memcmp(csv->buf, "\xEF\xBB\xBF", 3) == 0) csv->pos = 3;
    *out = csv;
    return FOW_OK;
}

void fow_csv_close(fow_csv *csv) {
    if (!csv) return;
    if (csv->file) fclose(csv->file);
    free(csv->name);
    free(csv->buf);
    free(csv->fields);
    if (csv->header) {
        for (size_t i = 0; i < csv->n_header; i++) free(csv->header[i]);
        free(csv->header);
    }
    free(csv);
}

static int push_field(fow_csv *csv, char *text, size_t len, long line, long column) {
    assert(csv->n_fields <= csv->cap_fields && line >= 1 && column >= 1);
    assert(text >= csv->buf && text + len <= csv->buf + csv->len);
    if (csv->n_fields == csv->cap_fields) {
        size_t cap = csv->cap_fields ? csv->cap_fields * 2 : 16;
        csv_field *f = realloc(csv->fields, cap * sizeof *f);
        if (!f) return -1;
        csv->fields = f;
        csv->cap_fields = cap;
    }
    csv->fields[csv->n_fields++] = (csv_field){text, len, line, column};
    return 0;
}

static int csv_fail(fow_csv *csv, fow_error *err, long line, long column, const char *msg) {
    fow_error_set_at(err, FOW_EINPUT, csv->name, line, column, NULL, "%s", msg);
    return -1;
}

int fow_csv_next(fow_csv *csv, fow_error *err) {
    if (csv_ensure_record(csv, err) != 0) return -1;
    char *buf = csv->buf;
    size_t len = csv->len;
    csv->n_fields = 0;
    /* skip blank lines */
    while (csv->pos < len) {
        if (buf[csv->pos] == '\n') {
            csv->pos++;
        } else if (buf[csv->pos] == '\r' && csv->pos + 1 < len && buf[csv->pos + 1] == '\n') {
            csv->pos += 2;
        } else {
            break;
        }
        csv->line++;
        csv->column = 1;
    }
    if (csv->pos >= len) {
        if (csv->streaming && csv->buf) {
            /* a streaming reader at its end: the buffer is no longer needed */
            csv->base += csv->pos;
            csv->pos = 0;
            csv->len = 0;
            csv->cap = 0;
            free(csv->buf);
            csv->buf = NULL;
        }
        return 0;
    }
    assert(csv->line >= 1 && csv->column >= 1);
    csv->record_line = csv->line;
    for (;;) {
        long fline = csv->line, fcol = csv->column;
        size_t start, end;
        size_t pos = csv->pos;
        long line = csv->line, col = csv->column;
        if (pos < len && buf[pos] == '"') {
            pos++;
            col++;
            start = pos;
            size_t w = pos;
            for (;;) {
                if (pos >= len) return csv_fail(csv, err, fline, fcol, "unterminated quoted field (the quote opened here is never closed)");
                unsigned char c = (unsigned char)buf[pos];
                if (c == '"') {
                    if (pos + 1 < len && buf[pos + 1] == '"') {
                        buf[w++] = '"';
                        pos += 2;
                        col += 2;
                        continue;
                    }
                    pos++;
                    col++;
                    break;
                }
                if (c == '\n') {
                    line++;
                    col = 1;
                } else if ((c & 0xC0) != 0x80) {
                    col++;
                }
                buf[w++] = (char)c;
                pos++;
            }
            end = w;
            if (pos < len && buf[pos] != ',' && buf[pos] != '\n' &&
                !(buf[pos] == '\r' && pos + 1 < len && buf[pos + 1] == '\n'))
                return csv_fail(csv, err, line, col, "unexpected character after a closing quote (a quote inside a quoted field must be doubled)");
        } else {
            start = pos;
            while (pos < len) {
                unsigned char c = (unsigned char)buf[pos];
                if (c == ',' || c == '\n') break;
                if (c == '\r') {
                    if (pos + 1 < len && buf[pos + 1] == '\n') break;
                    return csv_fail(csv, err, line, col, "carriage return without line feed");
                }
                if (c == '"') return csv_fail(csv, err, line, col, "quote inside an unquoted field (quote the whole field and double the quote)");
                if ((c & 0xC0) != 0x80) col++;
                pos++;
            }
            end = pos;
        }
        assert(start <= end && end <= pos && pos <= len && line >= fline);
        char term = pos < len ? buf[pos] : '\0';
        if (!term)
            /* every record ends with a line break, the last one too: a file
             * cut short (a copy or an upload that stopped) nearly always
             * ends inside a record, and its last field would otherwise be
             * read as a shorter, valid-looking value */
            return csv_fail(csv, err, line, col,
                            "file ends inside a row: truncated? (every row, the last one too, must end "
                            "with a line break; if the file is whole, add one at its end)");
        buf[end] = '\0';
        if (push_field(csv, buf + start, end - start, fline, fcol) != 0) {
            fow_error_set(err, FOW_ENOMEM, "out of memory reading %s", csv->name);
            return -1;
        }
        csv->end_line = line;
        csv->end_column = col;
        if (term == ',') {
            csv->pos = pos + 1;
            csv->line = line;
            csv->column = col + 1;
            continue;
        }
        if (term == '\r') pos += 2;
        else if (term == '\n') pos += 1;
        csv->pos = pos;
        csv->line = line + 1;
        csv->column = 1;
        break;
    }
    assert(csv->pos <= len && csv->n_fields >= 1 && csv->record_line <= csv->line);
    if (csv->header_bound && csv->n_fields != csv->n_header) {
        if (csv->n_fields > csv->n_header) {
            const csv_field *f = &csv->fields[csv->n_header];
            fow_error_set_at(err, FOW_EINPUT, csv->name, f->line, f->column, NULL,
                             "expected %zu fields (as in the header), found %zu", csv->n_header,
                             csv->n_fields);
        } else {
            fow_error_set_at(err, FOW_EINPUT, csv->name, csv->end_line, csv->end_column,
                             csv->header[csv->n_fields],
                             "expected %zu fields (as in the header), found %zu: column '%s' is missing",
                             csv->n_header, csv->n_fields, csv->header[csv->n_fields]);
        }
        return -1;
    }
    return 1;
}

size_t fow_csv_field_count(const fow_csv *csv) { return csv->n_fields; }

const char *fow_csv_field(const fow_csv *csv, size_t i, size_t *len) {
    if (i >= csv->n_fields) {
        if (len) *len = 0;
        return "";
    }
    if (len) *len = csv->fields[i].len;
    return csv->fields[i].text;
}

long fow_csv_field_line(const fow_csv *csv, size_t i) {
    return i < csv->n_fields ? csv->fields[i].line : csv->end_line;
}

long fow_csv_field_column(const fow_csv *csv, size_t i) {
    return i < csv->n_fields ? csv->fields[i].column : csv->end_column;
}

long fow_csv_record_line(const fow_csv *csv) { return csv->record_line; }
const char *fow_csv_name(const fow_csv *csv) { return csv->name; }
unsigned long long fow_csv_fingerprint(const fow_csv *csv) { return csv->fingerprint; }
size_t fow_csv_bytes_done(const fow_csv *csv) { return csv->base + csv->pos; }
size_t fow_csv_bytes_total(const fow_csv *csv) { return csv->total; }

fow_code fow_csv_bind_header(fow_csv *csv, const fow_csv_column *columns, size_t n,
                             int *index_out, fow_error *err) {
    int r = fow_csv_next(csv, err);
    if (r < 0) return err ? err->code : FOW_EINPUT;
    if (r == 0) return fow_error_set_at(err, FOW_EINPUT, csv->name, 1, 1, NULL, "empty file: a header row is required");
    csv->header = calloc(csv->n_fields, sizeof *csv->header);
    if (!csv->header) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    csv->n_header = csv->n_fields;
    for (size_t i = 0; i < csv->n_fields; i++) {
        csv->header[i] = strdup(csv->fields[i].text);
        if (!csv->header[i]) return fow_error_set(err, FOW_ENOMEM, "out of memory");
        for (size_t j = 0; j < i; j++)
            if (strcmp(csv->header[j], csv->header[i]) == 0)
                return fow_error_set_at(err, FOW_EINPUT, csv->name, csv->fields[i].line,
                                        csv->fields[i].column, csv->header[i],
                                        "column '%s' appears twice in the header", csv->header[i]);
    }
    for (size_t c = 0; c < n; c++) {
        index_out[c] = -1;
        for (size_t i = 0; i < csv->n_header; i++)
            if (strcmp(csv->header[i], columns[c].name) == 0) index_out[c] = (int)i;
        if (index_out[c] < 0 && columns[c].required)
            return fow_error_set_at(err, FOW_EINPUT, csv->name, csv->record_line, 1, columns[c].name,
                                    "missing required column '%s'", columns[c].name);
    }
    csv->header_bound = true;
    return FOW_OK;
}

fow_code fow_csv_error_at(const fow_csv *csv, size_t i, fow_error *err, const char *fmt, ...) {
    if (!err) return FOW_EINPUT;
    char msg[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *field = (csv->header_bound && i < csv->n_header) ? csv->header[i] : NULL;
    return fow_error_set_at(err, FOW_EINPUT, csv->name, fow_csv_field_line(csv, i),
                            fow_csv_field_column(csv, i), field, "%s", msg);
}

fow_code fow_csv_field_double(const fow_csv *csv, size_t i, bool allow_empty, double *out,
                              fow_error *err) {
    size_t len;
    const char *s = fow_csv_field(csv, i, &len);
    const char *name = (csv->header_bound && i < csv->n_header) ? csv->header[i] : "field";
    if (len == 0) {
        *out = NAN;
        if (allow_empty) return FOW_OK;
        return fow_csv_error_at(csv, i, err, "column '%s' is empty; a number is required", name);
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v) || s[0] == ' ' || s[0] == '\t')
        return fow_csv_error_at(csv, i, err, "column '%s': '%s' is not a number", name, s);
    *out = v;
    return FOW_OK;
}
