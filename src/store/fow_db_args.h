/* fow_db_args.h — one statement in one call: prepare, bind a list of
 * arguments, step, finalize (or reset, for a cached statement); and a
 * row's columns read into a struct by a table of its members. For the
 * store files of every subject, so that none repeats the
 * prepare/bind/step boilerplate of each statement, or a line per column.
 *
 *     return fow_db_run(db, "UPDATE t SET a = ?2 WHERE id = ?1",
 *                       FOW_DB_ARGS(FOW_ARG_INT(id), FOW_ARG_TEXT(a)), "changing a t", err);
 *
 * Argument i of the list binds parameter ?i+1. */
#ifndef FOW_DB_ARGS_H
#define FOW_DB_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/fow_db.h"

typedef enum fow_db_arg_kind {
    FOW_DB_ARG_INT,          /* i */
    FOW_DB_ARG_TEXT,         /* s; NULL binds NULL */
    FOW_DB_ARG_TEXT_OR_NULL, /* s; NULL or "" binds NULL */
} fow_db_arg_kind;

typedef struct fow_db_arg {
    fow_db_arg_kind kind;
    int64_t i;
    const char *s;
} fow_db_arg;

#define FOW_ARG_INT(v) ((fow_db_arg){.kind = FOW_DB_ARG_INT, .i = (int64_t)(v)})
#define FOW_ARG_TEXT(v) ((fow_db_arg){.kind = FOW_DB_ARG_TEXT, .s = (v)})
#define FOW_ARG_TEXT_OR_NULL(v) ((fow_db_arg){.kind = FOW_DB_ARG_TEXT_OR_NULL, .s = (v)})
/* The two arguments (array, count) of a non-empty list. */
#define FOW_DB_ARGS(...)                                                                                          \
    (const fow_db_arg[]){__VA_ARGS__}, (sizeof((const fow_db_arg[]){__VA_ARGS__}) / sizeof(fow_db_arg))

/* Binds args[0..n) to st's parameters 1..n (text bound SQLITE_STATIC: it
 * must outlive the step). Can't fail for a statement with n parameters. */
void fow_db_bind_args(sqlite3_stmt *st, const fow_db_arg *args, size_t n);

/* Prepares sql, binds args, steps it once for its effect, finalizes it.
 * FOW_EDB naming what on failure. */
fow_code fow_db_run(fow_db *db, const char *sql, const fow_db_arg *args, size_t n, const char *what,
                    fow_error *err);

/* fow_db_run of an INSERT; *id is the new row's rowid. */
fow_code fow_db_insert(fow_db *db, const char *sql, const fow_db_arg *args, size_t n, const char *what, int64_t *id,
                       fow_error *err);

/* fow_db_run of a statement of fow_db_prepare_cached (sql a string
 * constant): reset, not finalized. */
fow_code fow_db_run_cached(fow_db *db, const char *sql, const fow_db_arg *args, size_t n, const char *what,
                           fow_error *err);

/* Prepares sql, binds args and steps it for one row: *found, and
 * read(st, out) when there is one (read may be NULL: only *found);
 * finalizes it. FOW_EDB naming what on failure. */
fow_code fow_db_row(fow_db *db, const char *sql, const fow_db_arg *args, size_t n,
                    void (*read)(sqlite3_stmt *st, void *out), void *out, bool *found, const char *what,
                    fow_error *err);

/* fow_db_row of a cached statement (sql a string constant): reset. */
fow_code fow_db_row_cached(fow_db *db, const char *sql, const fow_db_arg *args, size_t n,
                           void (*read)(sqlite3_stmt *st, void *out), void *out, bool *found, const char *what,
                           fow_error *err);

/* Prepares sql, binds args and collects every row with fow_db_collect
 * into the malloc'd *items (*count of item bytes each; set to NULL, 0
 * first; free() it, also on failure). */
fow_code fow_db_rows(fow_db *db, const char *sql, const fow_db_arg *args, size_t n,
                     void (*read)(sqlite3_stmt *st, void *item), void **items, size_t *count, size_t item,
                     const char *what, fow_error *err);

/* Prepares sql, binds args and reads column 0 of its first row as an
 * integer into *value (fallback when there is no row). */
fow_code fow_db_int(fow_db *db, const char *sql, const fow_db_arg *args, size_t n, int64_t fallback,
                    int64_t *value, const char *what, fow_error *err);

/* ---- a row's columns into a struct ---------------------------------------- */

/* How a column is read into its member (the member's type chooses it:
 * FOW_DB_COLUMN below). */
typedef enum fow_db_column_kind {
    FOW_DB_COLUMN_SKIP,  /* not read: the caller reads it (an enum from its name) */
    FOW_DB_COLUMN_INT,   /* int */
    FOW_DB_COLUMN_LONG,  /* long (int64_t where it is long) */
    FOW_DB_COLUMN_LLONG, /* long long (int64_t where it is long long) */
    FOW_DB_COLUMN_BOOL,  /* bool: the integer is not 0 */
    FOW_DB_COLUMN_TEXT,  /* a char array: the text ("" for NULL), cut to fit */
} fow_db_column_kind;

/* A member of a struct that a column is read into. */
typedef struct fow_db_column {
    fow_db_column_kind kind;
    size_t offset; /* of the member in the struct */
    size_t size;   /* of the member (a char array's bytes) */
} fow_db_column;

/* The kind of a member, from its type; any other type (an enum, a float,
 * a pointer) does not compile: read it with FOW_DB_COLUMN_NONE. */
#define FOW_DB_COLUMN_KIND(member)                                                                                \
    _Generic((member), int: FOW_DB_COLUMN_INT, long: FOW_DB_COLUMN_LONG, long long: FOW_DB_COLUMN_LLONG,          \
             bool: FOW_DB_COLUMN_BOOL, char *: FOW_DB_COLUMN_TEXT)
/* The entry of member of struct T, whose type chooses how it is read. */
#define FOW_DB_COLUMN(T, member)                                                                                  \
    {FOW_DB_COLUMN_KIND(((T *)0)->member), offsetof(T, member), sizeof(((T *)0)->member)}
/* The entry of a column the caller reads itself. */
#define FOW_DB_COLUMN_NONE {FOW_DB_COLUMN_SKIP, 0, 0}
/* The two arguments (array, count) of a table of columns. */
#define FOW_DB_COLUMNS(table) (table), (sizeof(table) / sizeof((table)[0]))

/* Reads columns 0..n) of st's current row into the members of item that
 * columns[0..n) name, column i into columns[i]'s member. Can't fail. */
void fow_db_read_columns(sqlite3_stmt *st, const fow_db_column *columns, size_t n, void *item);

#endif
