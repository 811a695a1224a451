/* import_employment.c — employment counts by occupation for an area. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "observatory/employment_store.h"
#include "store/fow_sources.h"
#include "taxonomy/import_internal.h"
#include "taxonomy/taxonomy_store.h"

enum { E_ISCO, E_URI, E_YEAR, E_EMPLOYED, E_THOUSANDS, E_SECTOR, E_SEX, E_AGE, E_EDUCATION, E_WAGE, E_N };

static const fow_csv_column employment_columns[E_N] = {
    {"isco_code", false}, {"occupation_uri", false}, {"year", false},      {"employed", false},
    {"employed_thousands", false}, {"sector", false}, {"sex", false}, {"age_group", false},
    {"education", false}, {"median_wage", false}};

#define MAX_UNKNOWN_LISTED 10
#define MAX_YEARS 200

/* A masked cell: empty, "x" or ":" (Eurostat's marks), any case. */
static bool is_masked(const char *s) {
    return !*s || strcmp(s, "x") == 0 || strcmp(s, "X") == 0 || strcmp(s, ":") == 0;
}

/* A total of a breakdown dimension, stored as "" (all): empty, TOTAL, _T
 * (SDMX's code) or ALL, any case, and for sex also T (Eurostat's code; in
 * a sector column T is NACE section T, a real value). */
static bool is_total(const char *s, int dimension) {
    static const char *const totals[] = {"total", "_t", "all"};
    for (size_t i = 0; i < sizeof totals / sizeof *totals; i++)
        if (strcasecmp(s, totals[i]) == 0) return true;
    return !*s || (dimension == E_SEX && strcasecmp(s, "t") == 0);
}

static bool is_isco_code(const char *s) {
    size_t n = strlen(s);
    return n >= 1 && n <= 4 && strspn(s, "0123456789") == n;
}

typedef struct unknown_list {
    char text[900];
    int listed;
    long count;
} unknown_list;

static void unknown_add(unknown_list *u, const char *code, long line) {
    u->count++;
    if (u->listed >= MAX_UNKNOWN_LISTED) return;
    size_t used = strlen(u->text);
    snprintf(u->text + used, sizeof u->text - used, "%s'%.40s' (line %ld)", u->listed ? ", " : "", code, line);
    u->listed++;
}

/* The employment sources and how many stored rows point at each. */
typedef struct source_counts {
    int64_t *ids;
    long long *rows;
    size_t n, cap;
} source_counts;

static fow_code collect_source_count(void *ctx, int64_t source_id, long long rows, fow_error *err) {
    source_counts *c = ctx;
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 16;
        int64_t *ids = realloc(c->ids, ncap * sizeof *ids);
        if (ids) c->ids = ids;
        long long *nr = realloc(c->rows, ncap * sizeof *nr);
        if (nr) c->rows = nr;
        if (!ids || !nr) return fow_error_set(err, FOW_ENOMEM, "out of memory");
        c->cap = ncap;
    }
    c->ids[c->n] = source_id;
    c->rows[c->n++] = rows;
    return FOW_OK;
}

/* The employment sources to recount: their ids. */
typedef struct employment_sources {
    int64_t *ids;
    size_t n, cap;
} employment_sources;

static fow_code collect_employment_source(void *ctx, const fow_source_row *row, fow_error *err) {
    employment_sources *s = ctx;
    if (strncmp(row->kind, "employment", 10) != 0) return FOW_OK;
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 16;
        int64_t *ids = realloc(s->ids, ncap * sizeof *ids);
        if (!ids) return fow_error_set(err, FOW_ENOMEM, "out of memory");
        s->ids = ids;
        s->cap = ncap;
    }
    s->ids[s->n++] = row->id;
    return FOW_OK;
}

/* Sources whose rows were all replaced go; the others keep a true count,
 * summed from the areas' years (employment_years: one row per area and
 * year), so that this costs the same with 1 area stored or 50. */
static fow_code recount_sources(fow_db *db, fow_error *err) {
    source_counts counts = {NULL, NULL, 0, 0};
    employment_sources sources = {NULL, 0, 0};
    fow_code rc = employment_store_each_source(db, collect_source_count, &counts, err);
    if (!rc) rc = fow_sources_each(db, NULL, collect_employment_source, &sources, err);
    for (size_t i = 0; !rc && i < sources.n; i++) {
        long long rows = 0;
        for (size_t k = 0; k < counts.n; k++)
            if (counts.ids[k] == sources.ids[i]) rows = counts.rows[k];
        rc = rows ? fow_source_set_rows(db, sources.ids[i], rows, err) : fow_source_delete(db, sources.ids[i], err);
    }
    free(counts.ids);
    free(counts.rows);
    free(sources.ids);
    return rc;
}

fow_code fow_import_employment(fow_db *db, const char *path, const fow_import_options *opt,
                               fow_import_report *report, fow_error *err) {
    import_report_init(report);
    if (!opt || !opt->area || !*opt->area)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "area",
                                "an employment import needs area: the area the counts describe, e.g. Cluj-Napoca");
    if (strlen(opt->area) > 100)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "area", "area is longer than 100 bytes");
    if (opt->year && (opt->year < 1900 || opt->year > 2100))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "year", "year must be from 1900 to 2100, not %d", opt->year);
    fow_csv *csv;
    fow_code rc = fow_csv_open(&csv, path, err);
    if (rc) return rc;
    int ix[E_N];
    fow_import_file_report *section = import_report_file(report, path);
    fow_strmap occ_ids, groups, seen;
    fow_strmap_init(&occ_ids);
    fow_strmap_init(&groups);
    fow_strmap_init(&seen);
    employment_writer *ins = NULL;
    int64_t source_id = 0;
    bool unchanged = false;
    int years[MAX_YEARS], n_years = 0;
    /* per year of the file: the area's rows it replaced, and the rows it brought */
    long long year_before[MAX_YEARS], year_after[MAX_YEARS], year_masked[MAX_YEARS];
    double year_employed[MAX_YEARS]; /* the sum of each year's known counts */
    unknown_list unknown = {"", 0, 0};
    long masked = 0;
    rc = fow_csv_bind_header(csv, employment_columns, E_N, ix, err);
    if (!rc && ix[E_ISCO] < 0 && ix[E_URI] < 0)
        rc = fow_error_set_at(err, FOW_EINPUT, path, 1, 1, "isco_code",
                              "the header needs the column isco_code, occupation_uri or both");
    if (!rc && (ix[E_EMPLOYED] < 0) == (ix[E_THOUSANDS] < 0))
        rc = fow_error_set_at(err, FOW_EINPUT, path, 1, 1, "employed",
                              "the header needs one of the columns employed or employed_thousands (not both)");
    if (!rc && ix[E_YEAR] < 0 && !opt->year)
        rc = fow_error_set_at(err, FOW_EINPUT, path, 0, 0, "year",
                              "the file has no year column: give year, the year of all its rows");
    if (!rc) rc = fow_db_begin(db, err);
    if (rc) goto done;
    /* one source per area and year (or per area and data set for a file of
     * several years), so that each year keeps the source it came from */
    char dataset[400];
    if (opt->year) snprintf(dataset, sizeof dataset, "employment:%s:%d", opt->area, opt->year);
    else {
        /* by the data set's name (or the file's, without its folder: an
         * upload's temporary path says nothing) */
        const char *base = strrchr(path, '/');
        snprintf(dataset, sizeof dataset, "employment:%s:%.100s", opt->area,
                 import_or(opt->source_name, base ? base + 1 : path));
    }
    import_source src = {dataset,
                         opt->illustrative ? "employment-illustrative" : "employment",
                         import_or(opt->source_name, "employment by occupation"),
                         import_or(opt->version, "unversioned"),
                         import_or(opt->licence, "as published by the source"),
                         import_or(opt->url, ""),
                         path,
                         fow_csv_fingerprint(csv) ^ fow_hash_bytes(opt->area, strlen(opt->area)) ^
                             (unsigned long long)opt->year ^ (opt->skip_unknown ? 0x5bd1e995ULL << 20 : 0) ^
                             (opt->illustrative ? 0x27d4eb2fULL << 24 : 0),
                         /* an area's rows pass from one source to another
                          * by design: the shrink check counts them by area
                          * and year here */
                         "employment"};
    rc = fow_taxonomy_occupation_ids(db, &occ_ids, err);
    if (!rc) rc = fow_taxonomy_isco_codes(db, &groups, err);
    if (!rc) rc = import_source_begin(db, &src, report, &source_id, &unchanged, err);
    if (!rc && unchanged) {
        /* the same file again: nothing to do, unless a later import of
         * the same years took over some of its rows */
        long long held = -1;
        fow_arena scratch;
        fow_arena_init(&scratch, 1024);
        fow_source_text recorded = {0};
        if (employment_store_count_source(db, source_id, &held, err) != FOW_OK ||
            fow_source_get(db, source_id, &scratch, &recorded, err) != FOW_OK)
            held = -1, recorded.rows = -2;
        fow_arena_free(&scratch);
        if (held == recorded.rows) {
            rc = import_unchanged_end(db, report, err);
            goto done;
        }
        unchanged = false;
        report->unchanged = false;
    }
    if (!rc) rc = employment_writer_open(db, &ins, err);
    size_t last = 0;
    long long rows = 0;
    int r = 1;
    double scale = ix[E_THOUSANDS] >= 0 ? 1000.0 : 1.0;
    int value_col = ix[E_THOUSANDS] >= 0 ? ix[E_THOUSANDS] : ix[E_EMPLOYED];
    while (!rc && (r = fow_csv_next(csv, err)) > 0) {
        import_progress(opt, csv, &last);
        section->rows_read++;
        long line = fow_csv_record_line(csv);
        /* the year */
        int year = opt->year;
        if (ix[E_YEAR] >= 0) {
            double y;
            rc = fow_csv_field_double(csv, (size_t)ix[E_YEAR], false, &y, err);
            if (!rc && (y != floor(y) || y < 1900 || y > 2100))
                rc = fow_csv_error_at(csv, (size_t)ix[E_YEAR], err, "column 'year': %g is not a year 1900..2100", y);
            if (rc) break;
            year = (int)y;
        }
        /* the occupation */
        int64_t occ = 0;
        const char *code = "";
        /* with both columns, a row names an ESCO occupation or an ISCO code, not both */
        const char *uri_text = ix[E_URI] >= 0 ? fow_csv_field(csv, (size_t)ix[E_URI], NULL) : "";
        const char *code_text = ix[E_ISCO] >= 0 ? fow_csv_field(csv, (size_t)ix[E_ISCO], NULL) : "";
        if (ix[E_ISCO] >= 0 && ix[E_URI] >= 0 && (!*uri_text) == (!*code_text)) {
            rc = fow_csv_error_at(csv, (size_t)ix[E_ISCO], err,
                                  "give either isco_code or occupation_uri on each row (this row has %s)",
                                  *uri_text ? "both" : "neither");
            break;
        }
        if (ix[E_ISCO] >= 0 && (ix[E_URI] < 0 || *code_text)) {
            code = code_text;
            if (!is_isco_code(code)) {
                rc = fow_csv_error_at(csv, (size_t)ix[E_ISCO], err,
                                      "column 'isco_code': '%.40s' is not an ISCO-08 code of 1 to 4 digits", code);
                break;
            }
            int64_t one;
            if (groups.count > 0 && !fow_strmap_get(&groups, code, strlen(code), &one)) {
                unknown_add(&unknown, code, line);
                import_reject(section, "ISCO-08 code not in the imported taxonomy");
                continue;
            }
        } else {
            const char *uri = uri_text;
            if (!fow_strmap_get(&occ_ids, uri, strlen(uri), &occ)) {
                unknown_add(&unknown, uri, line);
                import_reject(section, "occupation not in the imported taxonomy");
                continue;
            }
        }
        /* the breakdown, and a duplicate check on the whole key */
        const char *dims[4];
        for (int d = 0; d < 4; d++) {
            dims[d] = ix[E_SECTOR + d] >= 0 ? fow_csv_field(csv, (size_t)ix[E_SECTOR + d], NULL) : "";
            if (is_total(dims[d], E_SECTOR + d)) dims[d] = "";
        }
        char key[600];
        snprintf(key, sizeof key, "%d|%s|%lld|%s|%s|%s|%s", year, code, (long long)occ, dims[0], dims[1], dims[2], dims[3]);
        int64_t first;
        if (fow_strmap_get(&seen, key, strlen(key), &first)) {
            rc = fow_csv_error_at(csv, (size_t)(*code ? ix[E_ISCO] : ix[E_URI]), err,
                                  "the same occupation, year and breakdown again (first on line %lld)", (long long)first);
            break;
        }
        if (fow_strmap_put(&seen, key, strlen(key), line) != 0) {
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
            break;
        }
        /* the count: masked cells stay unknown */
        const char *text = fow_csv_field(csv, (size_t)value_col, NULL);
        double employed = NAN;
        bool is_mask = is_masked(text);
        if (!is_mask) {
            rc = fow_csv_field_double(csv, (size_t)value_col, false, &employed, err);
            if (!rc && employed < 0)
                rc = fow_csv_error_at(csv, (size_t)value_col, err, "a count of employed people cannot be negative (%g)",
                                      employed);
            if (rc) break;
        } else {
            masked++;
        }
        double wage = NAN;
        if (ix[E_WAGE] >= 0 && !is_masked(fow_csv_field(csv, (size_t)ix[E_WAGE], NULL))) {
            rc = fow_csv_field_double(csv, (size_t)ix[E_WAGE], false, &wage, err);
            if (!rc && wage < 0) rc = fow_csv_error_at(csv, (size_t)ix[E_WAGE], err, "a median wage cannot be negative");
            if (rc) break;
        }
        /* the years the file holds: the area's rows of those years are replaced */
        bool known_year = false;
        for (int k = 0; k < n_years; k++) known_year |= years[k] == year;
        if (!known_year) {
            if (n_years == MAX_YEARS) {
                rc = fow_csv_error_at(csv, (size_t)(ix[E_YEAR] >= 0 ? ix[E_YEAR] : 0), err,
                                      "more than %d different years in one file", MAX_YEARS);
                break;
            }
            year_after[n_years] = year_masked[n_years] = 0;
            year_employed[n_years] = 0;
            years[n_years++] = year;
            if ((rc = employment_store_delete_year(db, opt->area, year, &year_before[n_years - 1], err))) break;
        }
        for (int k = 0; k < n_years; k++)
            if (years[k] == year) {
                year_after[k]++;
                if (is_mask) year_masked[k]++;
                else year_employed[k] += employed * scale;
            }
        employment_stored_row stored = {opt->area, year, code, occ, {dims[0], dims[1], dims[2], dims[3]},
                                        !is_mask, is_mask ? 0 : employed * scale, is_mask, !isnan(wage), wage,
                                        line, source_id};
        if ((rc = employment_writer_add(ins, &stored, err))) break;
        section->rows_imported++;
        rows++;
    }
    if (!rc && r < 0) rc = err->code;
    if (!rc && unknown.count && !opt->skip_unknown)
        rc = fow_error_set_at(err, FOW_EINPUT, path, 0, 0, ix[E_ISCO] >= 0 ? "isco_code" : "occupation_uri",
                              "%ld row%s name%s an occupation that is not in the imported taxonomy: %s%s; nothing was "
                              "imported (with skip_unknown, the other rows are imported)",
                              unknown.count, unknown.count == 1 ? "" : "s", unknown.count == 1 ? "s" : "", unknown.text,
                              unknown.count > unknown.listed ? ", ..." : "");
    if (!rc && unknown.count) {
        import_note(report, "%ld row%s skipped, not in the imported taxonomy: %s%s", unknown.count,
                    unknown.count == 1 ? "" : "s", unknown.text, unknown.count > unknown.listed ? ", ..." : "");
        import_note_code(report, "import.note.unknown_skipped");
        import_note_param(report, "count", "%ld", unknown.count);
        import_note_param(report, "codes", "%s%s", unknown.text, unknown.count > unknown.listed ? ", ..." : "");
    }
    if (!rc && masked) {
        import_note(report, "%ld masked cell%s kept as unknown (not zero)", masked, masked == 1 ? "" : "s");
        import_note_code(report, "import.note.masked_kept");
        import_note_param(report, "count", "%ld", masked);
    }
    if (!rc && groups.count == 0 && ix[E_ISCO] >= 0) {
        import_note(report, "no ISCO-08 groups are imported: codes were checked for their form only");
        import_note_code(report, "import.note.no_isco_groups");
    }
    if (!rc && rows == 0) rc = import_nothing_error(section, path, err);
    for (int k = 0; !rc && !opt->allow_shrink && k < n_years; k++)
        if (import_shrinks_too_much(year_before[k], year_after[k])) {
            char what[200];
            snprintf(what, sizeof what, "the area '%.100s' in %d", opt->area, years[k]);
            rc = import_shrink_error(err, what, "employment", year_before[k], year_after[k], "");
        }
    /* each year's summary, so that nothing later scans the table to count */
    for (int k = 0; !rc && k < n_years; k++) {
        employment_year_summary summary = {opt->area, years[k], year_after[k], year_masked[k], year_employed[k],
                                           source_id};
        rc = employment_store_year_record(db, &summary, err);
    }
    if (!rc) rc = import_source_rows(db, source_id, rows, err);
    /* sources whose rows were all replaced go; the others keep a true count */
    if (!rc) rc = recount_sources(db, err);
    if (!rc) rc = import_commit(db, false, opt->allow_shrink, err);
    if (rc) fow_db_rollback(db);
done:
    employment_writer_close(ins);
    fow_strmap_free(&occ_ids);
    fow_strmap_free(&groups);
    fow_strmap_free(&seen);
    fow_csv_close(csv);
    return rc;
}
