/* fow_error.h — the one error type of libfow.
 *
 * Every fallible libfow function takes a `fow_error *err` as its last
 * argument and returns a fow_code (or a value documented with the function).
 * On failure the function fills *err with the code, a message and, when the
 * failure concerns input, where it happened (file, line, column, field).
 * Front ends turn the error into an exit code or an HTTP status.
 */
#ifndef FOW_ERROR_H
#define FOW_ERROR_H

#include <stddef.h>

typedef enum fow_code {
    FOW_OK = 0,
    FOW_EINPUT,    /* bad input: malformed file, bad argument, bad value */
    FOW_ENOTFOUND, /* a named thing does not exist */
    FOW_EIO,       /* a file could not be opened or read */
    FOW_EDB,       /* the database failed (corrupt, locked, full) */
    FOW_ENOMEM,    /* out of memory */
    FOW_EINTERNAL  /* a bug: an invariant did not hold */
} fow_code;

typedef struct fow_error {
    fow_code code;
    char message[512];
    char file[512];   /* "" when the error is not about a file */
    long line;        /* 1-based; 0 when unknown */
    long column;      /* 1-based, in characters; 0 when unknown */
    char field[128];  /* column name or JSON field; "" when unknown */
} fow_error;

/* Resets *err to FOW_OK with empty message and location. err may be NULL. */
void fow_error_clear(fow_error *err);

/* Fills *err with code and a printf-style message, clearing the location.
 * Returns code, so callers can write `return fow_error_set(...)`.
 * err may be NULL (then only the code is returned). Can't fail. */
fow_code fow_error_set(fow_error *err, fow_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like fow_error_set, and also records where: file (may be NULL), line and
 * column (0 when unknown), field (may be NULL). Returns code. Can't fail. */
fow_code fow_error_set_at(fow_error *err, fow_code code, const char *file, long line,
                          long column, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Writes "file:line:column: message" (the parts that are known) into buf of
 * size n, NUL-terminated and truncated if needed. Returns buf. */
char *fow_error_format(const fow_error *err, char *buf, size_t n);

/* A short stable name for code ("input", "not-found", ...). Never NULL. */
const char *fow_code_name(fow_code code);

/* 1 for errors caused by the user (bad input, not found, unreadable file);
 * 0 for internal errors (database, memory, bugs). */
int fow_code_is_user_error(fow_code code);

#endif
