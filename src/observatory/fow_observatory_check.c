/* fow_observatory_check.c — the consistency checks of the employment
 * table (fow_observatory_check.h): the rules import_employment.c keeps. */
#include "observatory/fow_observatory_check.h"

#include <stdbool.h>
#include <string.h>

#include "store/fow_db_check.h"

#define OOM(err) fow_error_set(err, FOW_ENOMEM, "out of memory checking the observatory")

/* How an employment row is named in a problem: its area, year and the
 * line of the file it came from. */
#define ROW_EMPLOYMENT "'area ' || x.area || ', year ' || x.year || ', line ' || x.line"

static const fow_db_reference employment_references[] = {
    {"employment", ROW_EMPLOYMENT, "occupation_id", "occupations", "id"},
    {"employment", ROW_EMPLOYMENT, "source_id", "sources", "id"},
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
};

/* An ISCO-08 code: 1 to 4 digits. */
static bool is_isco_code(const char *s) {
    size_t n = strlen(s);
    if (n < 1 || n > 4) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static fow_code check_isco_codes(fow_db *db, fow_check_result *c, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT " ROW_EMPLOYMENT ", x.isco_code FROM employment x WHERE x.isco_code <> ''",
                                 &st, err);
    if (rc) return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 1);
        if (!code || !is_isco_code(code))
            fow_check_problem(c, "employment (%s): ISCO-08 code '%s' is not 1 to 4 digits",
                              (const char *)sqlite3_column_text(st, 0), code ? code : "NULL");
    }
    if (r != SQLITE_DONE) rc = fow_db_error(db, err, "employment");
    sqlite3_finalize(st);
    return rc;
}

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
        "wages are not negative, and no row is there twice");
    if (!rows) return OOM(err);
    long long n = 0;
    rc = fow_db_query_int(db, "SELECT count(*) FROM employment", &n, err);
    if (rc) return rc;
    rows->checked = (uint64_t)n;
    for (size_t i = 0; i < sizeof employment_rules / sizeof *employment_rules && !rc; i++)
        rc = fow_db_check_rows(db, rows, employment_rules[i].sql, "employment", employment_rules[i].format, err);
    if (!rc) rc = check_isco_codes(db, rows, err);
    return rc;
}
