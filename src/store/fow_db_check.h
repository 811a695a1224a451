/* fow_db_check.h — SQL building blocks of the consistency checks: each
 * module's check function (fow_taxonomy_check, ...) runs them on its own
 * tables and adds what they find to its fow_check_result. */
#ifndef FOW_DB_CHECK_H
#define FOW_DB_CHECK_H

#include <stdbool.h>

#include "base/fow_check.h"
#include "store/fow_db.h"

/* Runs sql, which returns (row name, value) for each problem, and counts
 * each as a problem of check worded "table (row name): message", message
 * being format with the value (NULL as "NULL") for its one %s. format is
 * the caller's constant. Fails with FOW_EDB. */
fow_code fow_db_check_rows(fow_db *db, fow_check_result *check, const char *sql, const char *table,
                           const char *format, fow_error *err);

/* One reference: the non-NULL values of table.column must be values of
 * target.key. row is SQL naming a row of table as x (e.g. "'id ' || x.id").
 * All are the caller's constants (SQL identifiers and expressions). */
typedef struct fow_db_reference {
    const char *table;
    const char *row;
    const char *column;
    const char *target;
    const char *key;
} fow_db_reference;

/* Adds the rows of ref->table with the column set to check->checked, and
 * a problem "table (row): column V is not in target" for each whose value
 * is missing from the target. Fails with FOW_EDB. */
fow_code fow_db_check_reference(fow_db *db, fow_check_result *check, const fow_db_reference *ref, fow_error *err);

/* Runs sql, which returns (row name, ISCO-08 code) for each code to check,
 * and adds a problem "table (row name): ISCO-08 code 'V' is not 1 to 4
 * digits" for each code that is not 1 to 4 digits (NULL included). When
 * count_rows, each row returned is added to check->checked (else the
 * caller counted them). sql and table are the caller's constants. Fails
 * with FOW_EDB. */
fow_code fow_db_check_isco_codes(fow_db *db, fow_check_result *check, const char *sql, const char *table,
                                 bool count_rows, fow_error *err);

#endif
