/* fow_sources.h — the recorded data sources (the sources table, owned by
 * the store: every imported data set has one row, and every stored value
 * points at its source). */
#ifndef FOW_SOURCES_H
#define FOW_SOURCES_H

#include <stddef.h>

#include "base/fow_error.h"
#include "store/fow_db.h"

/* One recorded data source. */
typedef struct fow_source_info {
    long long id;
    char dataset[160];
    char kind[32];
    char name[200];
    char version[64];
    char licence[200];
    char url[300];
    char path[512];
    char fingerprint[32];
    long long rows;
    char imported_at[32];
} fow_source_info;

/* Lists the recorded sources, ordered by dataset. On success *out is a
 * malloc'd array (free it) of *n entries. */
fow_code fow_sources_list(fow_db *db, fow_source_info **out, size_t *n, fow_error *err);

#endif
