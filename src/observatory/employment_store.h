/* employment_store.h — the SQL of the observatory: the only code that reads
 * or writes the employment table (its owner). The observatory's importer and
 * its loaders call these functions; other modules call fow_observe.h.
 * Every function takes the open database; writers run inside the caller's
 * transaction. */
#ifndef FOW_EMPLOYMENT_STORE_H
#define FOW_EMPLOYMENT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "store/fow_db.h"

/* One stored employment row. Texts are never NULL ("" for none) and are
 * valid only during the callback that receives them. */
typedef struct employment_stored_row {
    const char *area;
    int year;
    const char *isco_code;      /* "" for a row naming an ESCO occupation */
    int64_t occupation_id;      /* 0 for a row naming an ISCO code */
    const char *dims[4];        /* sector, sex, age group, education; "" = all */
    bool employed_known;        /* false when the stored count is NULL */
    double employed;
    bool masked;
    bool wage_known;
    double median_wage;
    long line;
    int64_t source_id;
} employment_stored_row;

/* ---- writing (inside the import's transaction) ---- */

typedef struct employment_writer employment_writer;

/* Prepares the writer. On success *out is to be closed with
 * employment_writer_close. */
fow_code employment_writer_open(fow_db *db, employment_writer **out, fow_error *err);

/* Writes one row (area, year, isco_code, occupation_id or 0, dims,
 * employed when employed_known, masked, median_wage when wage_known, line,
 * source_id). FOW_EDB naming the employment on failure. */
fow_code employment_writer_add(employment_writer *w, const employment_stored_row *row, fow_error *err);

/* Finalizes the writer. NULL is allowed. */
void employment_writer_close(employment_writer *w);

/* Deletes the rows of an area and a year and their summary (an import
 * replaces them); *deleted is the number of rows deleted. Costs the rows of
 * that area and year, not the table's. */
fow_code employment_store_delete_year(fow_db *db, const char *area, int year, long long *deleted, fow_error *err);

/* *count is the number of rows that point at the source, summed from the
 * areas' years (employment_years), not counted in employment. */
fow_code employment_store_count_source(fow_db *db, int64_t source_id, long long *count, fow_error *err);

/* Calls visit with every source that rows point at and its row count,
 * ordered by source id. A code other than FOW_OK from visit stops the walk
 * and is returned. */
fow_code employment_store_each_source(fow_db *db,
                                      fow_code (*visit)(void *ctx, int64_t source_id, long long rows, fow_error *err),
                                      void *ctx, fow_error *err);

/* ---- reading ---- */

/* Calls visit with every row of an area and a year, ordered by line. A
 * code other than FOW_OK from visit stops the walk and is returned. */
fow_code employment_store_each_row(fow_db *db, const char *area, int year,
                                   fow_code (*visit)(void *ctx, const employment_stored_row *row, fow_error *err),
                                   void *ctx, fow_error *err);

/* The latest year of an area, 0 when it has no rows. */
fow_code employment_store_latest_year(fow_db *db, const char *area, int *year, fow_error *err);

/* The years of an area, ascending and distinct, as "2017, 2018" into buf
 * (of size n, truncated when longer); "" when the area has no rows. */
fow_code employment_store_years_text(fow_db *db, const char *area, char *buf, size_t n, fow_error *err);

/* Every area with rows, ascending and distinct, as "A, B" into buf (of size
 * n, truncated when longer); "" when there are none. */
fow_code employment_store_areas_text(fow_db *db, char *buf, size_t n, fow_error *err);

/* One area and year of the stored tables, summed. */
typedef struct employment_year_summary {
    const char *area;           /* valid only during the callback */
    int year;
    long long rows;
    long long masked;
    double employed_given;      /* sum of the known counts */
    int64_t source_id;          /* the import the rows come from */
} employment_year_summary;

/* Records the summary of an area's year just written (after
 * employment_store_delete_year of the same area and year): its rows,
 * masked cells, sum of the known counts and source. FOW_EDB on failure. */
fow_code employment_store_year_record(fow_db *db, const employment_year_summary *year, fow_error *err);

/* Calls visit with every area and year, ordered by area then year (from
 * the summaries: one row per area and year, whatever the rows stored). */
fow_code employment_store_each_year(fow_db *db,
                                    fow_code (*visit)(void *ctx, const employment_year_summary *year, fow_error *err),
                                    void *ctx, fow_error *err);

#endif
