/* employment_store.c — the SQL of the observatory (the employment table). */
#include "observatory/employment_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "observatory/fow_observatory_check.h"
#include "store/fow_db_check.h"

struct employment_writer {
    fow_db *db;
    sqlite3_stmt *insert;
};

static const char *text_at(sqlite3_stmt *st, int col) {
    const char *t = (const char *)sqlite3_column_text(st, col);
    return t ? t : "";
}

fow_code employment_writer_open(fow_db *db, employment_writer **out, fow_error *err) {
    *out = NULL;
    employment_writer *w = calloc(1, sizeof *w);
    if (!w) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    w->db = db;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO employment(area, year, isco_code, occupation_id, sector, sex, age_group, "
                                 "education, employed, masked, median_wage, line, source_id) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                                 &w->insert, err);
    if (rc) {
        free(w);
        return rc;
    }
    *out = w;
    return FOW_OK;
}

fow_code employment_writer_add(employment_writer *w, const employment_stored_row *row, fow_error *err) {
    sqlite3_stmt *ins = w->insert;
    sqlite3_bind_text(ins, 1, row->area, -1, SQLITE_STATIC);
    sqlite3_bind_int(ins, 2, row->year);
    sqlite3_bind_text(ins, 3, row->isco_code, -1, SQLITE_TRANSIENT);
    if (row->occupation_id) sqlite3_bind_int64(ins, 4, row->occupation_id);
    for (int d = 0; d < 4; d++) sqlite3_bind_text(ins, 5 + d, row->dims[d], -1, SQLITE_TRANSIENT);
    if (row->employed_known) sqlite3_bind_double(ins, 9, row->employed);
    sqlite3_bind_int(ins, 10, row->masked);
    if (row->wage_known) sqlite3_bind_double(ins, 11, row->median_wage);
    sqlite3_bind_int64(ins, 12, row->line);
    sqlite3_bind_int64(ins, 13, row->source_id);
    int r = sqlite3_step(ins);
    sqlite3_reset(ins);
    sqlite3_clear_bindings(ins);
    return r == SQLITE_DONE ? FOW_OK : fow_db_error(w->db, err, "writing employment");
}

void employment_writer_close(employment_writer *w) {
    if (!w) return;
    sqlite3_finalize(w->insert);
    free(w);
}

fow_code employment_store_delete_year(fow_db *db, const char *area, int year, long long *deleted, fow_error *err) {
    *deleted = 0;
    sqlite3_stmt *del;
    fow_code rc = fow_db_prepare(db, "DELETE FROM employment_years WHERE area = ?1 AND year = ?2", &del, err);
    if (rc) return rc;
    sqlite3_bind_text(del, 1, area, -1, SQLITE_STATIC);
    sqlite3_bind_int(del, 2, year);
    if (sqlite3_step(del) != SQLITE_DONE) rc = fow_db_error(db, err, "replacing the area's earlier counts");
    sqlite3_finalize(del);
    if (rc) return rc;
    rc = fow_db_prepare(db, "DELETE FROM employment WHERE area = ?1 AND year = ?2", &del, err);
    if (rc) return rc;
    sqlite3_bind_text(del, 1, area, -1, SQLITE_STATIC);
    sqlite3_bind_int(del, 2, year);
    if (sqlite3_step(del) != SQLITE_DONE) rc = fow_db_error(db, err, "replacing the area's earlier counts");
    else *deleted = fow_db_changes(db);
    sqlite3_finalize(del);
    return rc;
}

fow_code employment_store_year_record(fow_db *db, const employment_year_summary *year, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO employment_years(area, year, source, rows, masked, employed_given) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, year->area, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, year->year);
    sqlite3_bind_int64(st, 3, year->source_id);
    sqlite3_bind_int64(st, 4, year->rows);
    sqlite3_bind_int64(st, 5, year->masked);
    sqlite3_bind_double(st, 6, year->employed_given);
    if (sqlite3_step(st) != SQLITE_DONE) rc = fow_db_error(db, err, "recording the area's year");
    sqlite3_finalize(st);
    return rc;
}

/* The rows of each source are the sum of its areas' years: a table of one
 * row per area and year, whatever the number of rows stored. */
fow_code employment_store_count_source(fow_db *db, int64_t source_id, long long *count, fow_error *err) {
    *count = 0;
    sqlite3_stmt *st;
    fow_code rc =
        fow_db_prepare(db, "SELECT coalesce(sum(rows), 0) FROM employment_years WHERE source = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, source_id);
    if (sqlite3_step(st) == SQLITE_ROW) *count = sqlite3_column_int64(st, 0);
    else rc = fow_db_error(db, err, "reading employment");
    sqlite3_finalize(st);
    return rc;
}

fow_code employment_store_each_source(fow_db *db,
                                      fow_code (*visit)(void *ctx, int64_t source_id, long long rows, fow_error *err),
                                      void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(
        db, "SELECT source, sum(rows) FROM employment_years GROUP BY source ORDER BY source", &st, err);
    if (rc) return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = visit(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), err)) != FOW_OK) break;
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading employment");
    sqlite3_finalize(st);
    return rc;
}

fow_code employment_store_each_row(fow_db *db, const char *area, int year,
                                   fow_code (*visit)(void *ctx, const employment_stored_row *row, fow_error *err),
                                   void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT isco_code, occupation_id, sector, sex, age_group, education, "
                                 "employed, masked, median_wage, line, source_id "
                                 "FROM employment WHERE area = ?1 AND year = ?2 ORDER BY line",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, area, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, year);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        employment_stored_row row = {
            .area = area,
            .year = year,
            .isco_code = text_at(st, 0),
            .occupation_id = sqlite3_column_type(st, 1) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 1),
            .dims = {text_at(st, 2), text_at(st, 3), text_at(st, 4), text_at(st, 5)},
            .employed_known = sqlite3_column_type(st, 6) != SQLITE_NULL,
            .employed = sqlite3_column_double(st, 6),
            .masked = sqlite3_column_int(st, 7) != 0,
            .wage_known = sqlite3_column_type(st, 8) != SQLITE_NULL,
            .median_wage = sqlite3_column_double(st, 8),
            .line = (long)sqlite3_column_int64(st, 9),
            .source_id = sqlite3_column_int64(st, 10),
        };
        if ((rc = visit(ctx, &row, err)) != FOW_OK) break;
    }
    if (!rc && step != SQLITE_DONE) rc = fow_db_error(db, err, "reading employment");
    sqlite3_finalize(st);
    return rc;
}

fow_code employment_store_latest_year(fow_db *db, const char *area, int *year, fow_error *err) {
    *year = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT max(year) FROM employment_years WHERE area = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, area, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) *year = sqlite3_column_int(st, 0); /* NULL reads as 0 */
    else rc = fow_db_error(db, err, "reading employment years");
    sqlite3_finalize(st);
    return rc;
}

/* Joins the first column of every row of st with ", " into buf. */
static fow_code join_column(fow_db *db, sqlite3_stmt *st, char *buf, size_t n, fow_error *err) {
    size_t used = 0;
    buf[0] = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (used + 1 >= n) continue; /* full: read to the end, keep what fits */
        int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", text_at(st, 0));
        used = w < 0 ? used : used + (size_t)w >= n ? n - 1 : used + (size_t)w;
    }
    return step == SQLITE_DONE ? FOW_OK : fow_db_error(db, err, "reading employment");
}

fow_code employment_store_years_text(fow_db *db, const char *area, char *buf, size_t n, fow_error *err) {
    buf[0] = 0;
    sqlite3_stmt *st;
    fow_code rc =
        fow_db_prepare(db, "SELECT year FROM employment_years WHERE area = ?1 ORDER BY year", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, area, -1, SQLITE_STATIC);
    rc = join_column(db, st, buf, n, err);
    sqlite3_finalize(st);
    return rc;
}

fow_code employment_store_areas_text(fow_db *db, char *buf, size_t n, fow_error *err) {
    buf[0] = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT DISTINCT area FROM employment_years ORDER BY area", &st, err);
    if (rc) return rc;
    rc = join_column(db, st, buf, n, err);
    sqlite3_finalize(st);
    return rc;
}

fow_code employment_store_each_year(fow_db *db,
                                    fow_code (*visit)(void *ctx, const employment_year_summary *year, fow_error *err),
                                    void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    /* an import replaces whole years of an area, so the rows of one area
     * and year all come from one source, recorded with them */
    fow_code rc = fow_db_prepare(db,
                                 "SELECT area, year, rows, masked, employed_given, source "
                                 "FROM employment_years ORDER BY area, year",
                                 &st, err);
    if (rc) return rc;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        employment_year_summary y = {text_at(st, 0), sqlite3_column_int(st, 1), sqlite3_column_int64(st, 2),
                                     sqlite3_column_int64(st, 3), sqlite3_column_double(st, 4),
                                     sqlite3_column_int64(st, 5)};
        if ((rc = visit(ctx, &y, err)) != FOW_OK) break;
    }
    if (!rc && step != SQLITE_DONE) rc = fow_db_error(db, err, "reading employment");
    sqlite3_finalize(st);
    return rc;
}

/* ---- the consistency checks of the employment table (fow_observatory_check.h): the rules import_employment.c keeps. */



#define OOM(err) fow_error_set(err, FOW_ENOMEM, "out of memory checking the observatory")

/* How an employment row is named in a problem: its area, year and the
 * line of the file it came from. */
#define ROW_EMPLOYMENT "'area ' || x.area || ', year ' || x.year || ', line ' || x.line"

static const fow_db_reference employment_references[] = {
    {"employment", ROW_EMPLOYMENT, "occupation_id", "occupations", "id"},
    {"employment", ROW_EMPLOYMENT, "source_id", "sources", "id"},
    {"employment_years", "'area ' || x.area || ', year ' || x.year", "source", "sources", "id"},
};

/* Each statement returns (row name, value) of the rows breaking one rule. */
static const struct {
    const char *sql, *format;
} employment_rules[] = {
    {"SELECT " ROW_EMPLOYMENT ", x.isco_code FROM employment x WHERE (x.isco_code = '') = (x.occupation_id IS NULL)",
     "counted at ISCO-08 code '%s' and at an occupation, or at neither"},
    {"SELECT " ROW_EMPLOYMENT ", CAST(x.employed AS TEXT) FROM employment x WHERE x.masked = 1 AND x.employed IS NOT NULL",
     "a masked cell, yet it has a count (%s)"},
    {"SELECT " ROW_EMPLOYMENT ", CAST(x.masked AS TEXT) FROM employment x WHERE x.masked <> 1 AND x.employed IS NULL",
     "no count, yet not a masked cell (masked %s)"},
    {"SELECT " ROW_EMPLOYMENT ", CAST(x.masked AS TEXT) FROM employment x WHERE x.masked NOT IN (0, 1)",
     "masked is %s, not 0 or 1"},
    {"SELECT " ROW_EMPLOYMENT ", CAST(x.employed AS TEXT) FROM employment x WHERE x.employed < 0",
     "a count of employed people cannot be negative (%s)"},
    {"SELECT " ROW_EMPLOYMENT ", CAST(x.median_wage AS TEXT) FROM employment x WHERE x.median_wage < 0",
     "a median wage cannot be negative (%s)"},
    {"SELECT 'area ' || x.area || ', year ' || x.year || ', lines ' || min(x.line) || ' and ' || max(x.line), "
     "CAST(count(*) AS TEXT) FROM employment x "
     "GROUP BY x.area, x.year, x.isco_code, x.occupation_id, x.sector, x.sex, x.age_group, x.education "
     "HAVING count(*) > 1",
     "%s rows for the same occupation and breakdown"},
    /* the summaries the importer writes with the rows (employment_years) */
    {"SELECT 'area ' || e.area || ', year ' || e.year, "
     "CAST(e.n AS TEXT) || ' rows (' || e.m || ' masked, from source ' || e.lo || "
     "CASE WHEN e.lo <> e.hi THEN ' and ' || e.hi ELSE '' END || '), summary: ' || "
     "coalesce(y.rows || ' rows (' || y.masked || ' masked, from source ' || y.source || ')', 'none') "
     "FROM (SELECT area, year, count(*) AS n, sum(masked) AS m, coalesce(sum(employed), 0) AS s, "
     "min(source_id) AS lo, max(source_id) AS hi FROM employment GROUP BY area, year) e "
     "LEFT JOIN employment_years y ON y.area = e.area AND y.year = e.year "
     "WHERE y.rows IS NULL OR y.rows <> e.n OR y.masked <> e.m OR y.source <> e.lo OR y.source <> e.hi "
     "OR abs(y.employed_given - e.s) > 1e-6 * (1 + abs(e.s))",
     "the summary in employment_years does not match the rows: %s"},
    {"SELECT 'area ' || y.area || ', year ' || y.year, CAST(y.rows AS TEXT) FROM employment_years y "
     "WHERE NOT EXISTS (SELECT 1 FROM employment e WHERE e.area = y.area AND e.year = y.year)",
     "a summary in employment_years of %s rows, yet no rows in employment"},
};

fow_code fow_observatory_check(fow_db *db, fow_check_report *report, fow_error *err) {
    fow_check_result *refs = fow_check_begin(
        report, "observatory.references",
        "every employment row names an existing occupation (when it names one) and an existing source");
    if (!refs) return OOM(err);
    fow_code rc = FOW_OK;
    for (size_t i = 0; i < sizeof employment_references / sizeof *employment_references && !rc; i++)
        rc = fow_db_check_reference(db, refs, &employment_references[i], err);
    if (rc) return rc;
    fow_check_result *rows = fow_check_begin(
        report, "observatory.employment",
        "employment rows are counted at an ISCO-08 code or an occupation, masked cells have no count, counts and "
        "wages are not negative, no row is there twice, and each area and year's summary matches its rows");
    if (!rows) return OOM(err);
    long long n = 0;
    rc = fow_db_query_int(db, "SELECT count(*) FROM employment", &n, err);
    if (rc) return rc;
    rows->checked = (uint64_t)n;
    for (size_t i = 0; i < sizeof employment_rules / sizeof *employment_rules && !rc; i++)
        rc = fow_db_check_rows(db, rows, employment_rules[i].sql, "employment", employment_rules[i].format, err);
    if (!rc)
        rc = fow_db_check_isco_codes(db, rows,
                                     "SELECT " ROW_EMPLOYMENT ", x.isco_code FROM employment x WHERE x.isco_code <> ''",
                                     "employment", false, err);
    return rc;
}
