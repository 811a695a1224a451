/* fuzz_csv.c — libFuzzer target for the strict CSV reader (fow_csv.h).
 *
 * The input is the whole CSV text. It is read three ways:
 *   1. record by record without a header, every accessor called on every
 *      field (and one past the last);
 *   2. with a header bound to the columns uri (required), label (required)
 *      and risk (optional), parsing risk with fow_csv_field_double;
 *   3. with the same names all optional, so that inputs with any header
 *      reach the records, every field parsed with fow_csv_field_double.
 * Invariants are checked with abort() (so libFuzzer reports them):
 *   - an existing field starts at line >= 1 and column >= 1, not before
 *     its record's line, not after the input's last line;
 *   - the field's text has no NUL before len and is valid UTF-8;
 *   - an out-of-range field is "" with len 0;
 *   - after a bound header, every record has as many fields as it;
 *   - every failure fills err with a code and a message, and input errors
 *     are located (line and column >= 1);
 *   - the reader always terminates (at most one record per input byte + 1)
 *     and never reports more bytes consumed than the input has.
 * 4. Written to a file and read by fow_csv_open_stream next to a memory
 *    reader: both open or fail alike, and give the same records, fields,
 *    positions, progress, fingerprint and errors.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fow_csv.h"
#include "base/fow_error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "fuzz_csv: invariant failed at %s:%d: %s\n", __FILE__, __LINE__, \
                    #cond);                                                                  \
            abort();                                                                         \
        }                                                                                    \
    } while (0)

/* What every failing call must leave in err. */
static void check_error(const fow_error *err) {
    CHECK(err->code != FOW_OK);
    CHECK(err->message[0] != '\0');
    CHECK(memchr(err->message, '\0', sizeof err->message) != NULL);
    CHECK(memchr(err->file, '\0', sizeof err->file) != NULL);
    CHECK(memchr(err->field, '\0', sizeof err->field) != NULL);
    if (err->code == FOW_EINPUT) {
        CHECK(err->line >= 1);
        CHECK(err->column >= 1);
    }
    char buf[256];
    fow_error_format(err, buf, sizeof buf);
    CHECK(strlen(buf) < sizeof buf);
    char tiny[4];
    fow_error_format(err, tiny, sizeof tiny);
    CHECK(strlen(tiny) < sizeof tiny);
}

/* Checks every field of the current record; parses doubles when asked. */
static void check_record(fow_csv *csv, long max_line, long prev_line, int parse_doubles) {
    size_t n = fow_csv_field_count(csv);
    long rec_line = fow_csv_record_line(csv);
    CHECK(n >= 1);
    CHECK(rec_line >= 1 && rec_line <= max_line);
    CHECK(rec_line > prev_line);
    for (size_t i = 0; i <= n; i++) {
        size_t len = 12345;
        const char *f = fow_csv_field(csv, i, &len);
        CHECK(f != NULL);
        long line = fow_csv_field_line(csv, i);
        long col = fow_csv_field_column(csv, i);
        if (i == n) {
            /* out of range: "" and where the record ends */
            CHECK(len == 0 && f[0] == '\0');
            CHECK(line >= rec_line && line <= max_line);
            CHECK(col >= 1);
            continue;
        }
        CHECK(strlen(f) == len);
        CHECK(fow_utf8_first_invalid((const unsigned char *)f, len) == len);
        CHECK(line >= 1 && col >= 1);
        CHECK(line >= rec_line && line <= max_line);
        CHECK(fow_csv_field(csv, i, NULL) == f);
        if (parse_doubles) {
            fow_error err;
            fow_error_clear(&err);
            double v = 0;
            fow_code rc = fow_csv_field_double(csv, i, (i % 2) == 0, &v, &err);
            if (rc == FOW_OK) {
                CHECK(len == 0 ? isnan(v) : isfinite(v));
            } else {
                CHECK(rc == FOW_EINPUT && err.code == FOW_EINPUT);
                check_error(&err);
            }
            fow_error e2;
            fow_error_clear(&e2);
            (void)fow_csv_error_at(csv, i, &e2, "field %zu", i);
            CHECK(e2.code == FOW_EINPUT && e2.line == line && e2.column == col);
        }
    }
}

/* Reads all records; returns the number read. */
static size_t read_all(fow_csv *csv, size_t size, long max_line, size_t header_fields, int parse_doubles) {
    size_t records = 0;
    long prev_line = header_fields ? fow_csv_record_line(csv) : 0;
    for (;;) {
        fow_error err;
        fow_error_clear(&err);
        int r = fow_csv_next(csv, &err);
        CHECK(r >= -1 && r <= 1);
        CHECK(fow_csv_bytes_done(csv) <= fow_csv_bytes_total(csv));
        if (r < 0) {
            check_error(&err);
            break;
        }
        if (r == 0) break;
        CHECK(++records <= size + 1);
        if (header_fields) CHECK(fow_csv_field_count(csv) == header_fields);
        check_record(csv, max_line, prev_line, parse_doubles);
        prev_line = fow_csv_record_line(csv);
    }
    return records;
}

static fow_csv *open_input(const uint8_t *data, size_t size) {
    fow_csv *csv = NULL;
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = fow_csv_open_memory(&csv, "fuzz.csv", (const char *)data, size, &err);
    if (rc != FOW_OK) {
        CHECK(csv == NULL);
        check_error(&err);
        CHECK(rc == err.code);
        /* only invalid UTF-8 or NUL bytes make an input unreadable */
        CHECK(fow_utf8_first_invalid(data, size) < size);
        return NULL;
    }
    CHECK(csv != NULL);
    CHECK(fow_csv_bytes_total(csv) == size);
    CHECK(strcmp(fow_csv_name(csv), "fuzz.csv") == 0);
    return csv;
}

/* Binds a header with these columns and reads every record. */
static void read_with_header(const uint8_t *data, size_t size, long max_line, const fow_csv_column *cols,
                             size_t ncols, int parse_doubles) {
    fow_csv *csv = open_input(data, size);
    if (!csv) return;
    int idx[8];
    for (size_t i = 0; i < ncols; i++) idx[i] = -2;
    fow_error err;
    fow_error_clear(&err);
    fow_code rc = fow_csv_bind_header(csv, cols, ncols, idx, &err);
    if (rc != FOW_OK) {
        CHECK(rc == err.code);
        check_error(&err);
        fow_csv_close(csv);
        return;
    }
    size_t header_fields = fow_csv_field_count(csv);
    CHECK(header_fields >= 1);
    for (size_t c = 0; c < ncols; c++) {
        CHECK(idx[c] >= -1 && idx[c] < (int)header_fields);
        if (cols[c].required) CHECK(idx[c] >= 0);
        if (idx[c] >= 0) CHECK(strcmp(fow_csv_field(csv, (size_t)idx[c], NULL), cols[c].name) == 0);
    }
    read_all(csv, size, max_line, header_fields, parse_doubles);
    fow_csv_close(csv);
}

/* 4: the streaming reader agrees with the memory reader on every byte. */
static void stream_agrees(const uint8_t *data, size_t size) {
    static char path[64];
    if (!path[0]) snprintf(path, sizeof path, "/tmp/fuzz_csv_stream_%ld.csv", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f) return;
    int written = fwrite(data, 1, size, f) == size;
    if (fclose(f) != 0 || !written) return;
    fow_csv *mem = NULL, *st = NULL;
    fow_error em, es;
    fow_error_clear(&em);
    fow_error_clear(&es);
    fow_code cm = fow_csv_open_memory(&mem, path, (const char *)data, size, &em);
    fow_code cs = fow_csv_open_stream(&st, path, &es);
    CHECK(cm == cs);
    if (cm == FOW_OK) {
        CHECK(fow_csv_fingerprint(mem) == fow_csv_fingerprint(st));
        CHECK(fow_csv_bytes_total(mem) == fow_csv_bytes_total(st));
        for (;;) {
            int rm = fow_csv_next(mem, &em), rs = fow_csv_next(st, &es);
            CHECK(rm == rs);
            CHECK(fow_csv_bytes_done(mem) == fow_csv_bytes_done(st));
            if (rm <= 0) break;
            CHECK(fow_csv_record_line(mem) == fow_csv_record_line(st));
            CHECK(fow_csv_field_count(mem) == fow_csv_field_count(st));
            for (size_t i = 0; i <= fow_csv_field_count(mem); i++) {
                size_t lm, ls;
                const char *a = fow_csv_field(mem, i, &lm), *b = fow_csv_field(st, i, &ls);
                CHECK(lm == ls && memcmp(a, b, lm) == 0);
                CHECK(fow_csv_field_line(mem, i) == fow_csv_field_line(st, i));
                CHECK(fow_csv_field_column(mem, i) == fow_csv_field_column(st, i));
            }
        }
    }
    if (cm != FOW_OK || em.code != FOW_OK) {
        CHECK(em.code == es.code && em.line == es.line && em.column == es.column);
        CHECK(strcmp(em.message, es.message) == 0);
    }
    fow_csv_close(mem);
    fow_csv_close(st);
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    stream_agrees(data, size);
    long max_line = 1;
    for (size_t i = 0; i < size; i++) max_line += data[i] == '\n';

    /* 1. plain records */
    fow_csv *csv = open_input(data, size);
    if (!csv) return 0;
    unsigned long long fp = fow_csv_fingerprint(csv);
    read_all(csv, size, max_line, 0, 0);
    fow_csv_close(csv);

    /* the fingerprint depends on the bytes only */
    csv = open_input(data, size);
    CHECK(csv != NULL && fow_csv_fingerprint(csv) == fp);
    fow_csv_close(csv);

    /* 2. some columns required */
    static const fow_csv_column required[] = {{"uri", true}, {"label", true}, {"risk", false}};
    read_with_header(data, size, max_line, required, 3, 1);

    /* 3. all optional: any header binds unless it repeats a name */
    static const fow_csv_column optional[] = {{"uri", false}, {"label", false}, {"risk", false}};
    read_with_header(data, size, max_line, optional, 3, 1);
    return 0;
}
