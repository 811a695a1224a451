#include "base/fow_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void fow_error_clear(fow_error *err) {
    if (!err) return;
    err->code = FOW_OK;
    err->message[0] = '\0';
    err->file[0] = '\0';
    err->line = 0;
    err->column = 0;
    err->field[0] = '\0';
}

static void copy_bounded(char *dst, size_t n, const char *src) {
    if (!src) {
        dst[0] = '\0';
        return;
    }
    snprintf(dst, n, "%s", src);
}

fow_code fow_error_set(fow_error *err, fow_code code, const char *fmt, ...) {
    if (!err) return code;
    fow_error_clear(err);
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

fow_code fow_error_set_at(fow_error *err, fow_code code, const char *file, long line,
                          long column, const char *field, const char *fmt, ...) {
    if (!err) return code;
    fow_error_clear(err);
    err->code = code;
    copy_bounded(err->file, sizeof err->file, file);
    err->line = line;
    err->column = column;
    copy_bounded(err->field, sizeof err->field, field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

char *fow_error_format(const fow_error *err, char *buf, size_t n) {
    if (n == 0) return buf;
    if (err->file[0] && err->line > 0 && err->column > 0)
        snprintf(buf, n, "%s:%ld:%ld: %s", err->file, err->line, err->column, err->message);
    else if (err->file[0] && err->line > 0)
        snprintf(buf, n, "%s:%ld: %s", err->file, err->line, err->message);
    else if (err->file[0])
        snprintf(buf, n, "%s: %s", err->file, err->message);
    else
        snprintf(buf, n, "%s", err->message);
    return buf;
}

const char *fow_code_name(fow_code code) {
    switch (code) {
    case FOW_OK: return "ok";
    case FOW_EINPUT: return "input";
    case FOW_ENOTFOUND: return "not-found";
    case FOW_EIO: return "io";
    case FOW_EDB: return "database";
    case FOW_ENOMEM: return "out-of-memory";
    case FOW_EINTERNAL: return "internal";
    }
    return "unknown";
}

int fow_code_is_user_error(fow_code code) {
    return code == FOW_EINPUT || code == FOW_ENOTFOUND || code == FOW_EIO;
}
