/* import_attributes.c — occupation attributes (what makes a move desirable). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "taxonomy/import_internal.h"

enum { A_URI, A_JOB_ZONE, A_EDUCATION, A_EXPERIENCE, A_TRAINING, A_EARNINGS, A_REMOTE, A_PROXIMITY,
       A_SECTOR, A_SUBSECTOR, A_N };

static const fow_csv_column attribute_columns[A_N] = {
    {"occupation_uri", true},     {"job_zone", false},           {"education_level", false},
    {"related_work_experience", false}, {"on_the_job_training", false}, {"annual_earnings_gbp", false},
    {"remote_labor_index", false}, {"physical_proximity", false}, {"skills_sector", false},
    {"skills_subsector", false}};

/* Valid ranges of the numeric columns (from the source's documentation). */
static const double attribute_min[A_N] = {0, 1, 1, 1, 1, 0, 0, 0, 0, 0};
static const double attribute_max[A_N] = {0, 5, 12, 11, 9, 1e9, 1, 1, 0, 0};

fow_code fow_import_attributes(fow_db *db, const char *path, const fow_import_options *opt,
                               fow_import_report *report, fow_error *err) {
    import_report_init(report);
    fow_import_options defaults = {0};
    if (!opt) opt = &defaults;
    fow_csv *csv;
    fow_code rc = fow_csv_open(&csv, path, err);
    if (rc) return rc;
    int ix[A_N];
    fow_import_file_report *section = import_report_file(report, path);
    fow_strmap occ_ids, seen;
    fow_strmap_init(&occ_ids);
    fow_strmap_init(&seen);
    sqlite3_stmt *ins = NULL;
    int64_t source_id = 0;
    bool unchanged = false;
    rc = fow_csv_bind_header(csv, attribute_columns, A_N, ix, err);
    if (!rc) rc = fow_db_begin(db, err);
    uint64_t taxonomy_state = 0;
    if (!rc) rc = import_taxonomy_state(db, &taxonomy_state, err);
    if (rc) goto done;
    import_source src = {"attributes:occupation",
                         "attributes",
                         import_or(opt->source_name, "Nesta, Mapping Career Causeways: occupation attributes (from O*NET and UK ASHE)"),
                         import_or(opt->version, "2020"),
                         import_or(opt->licence, "MIT (O*NET: CC BY 4.0)"),
                         import_or(opt->url, "https://github.com/nestauk/mapping-career-causeways"),
                         path,
                         fow_csv_fingerprint(csv) ^ taxonomy_state};
    rc = import_load_map(db, "SELECT uri, id FROM occupations", &occ_ids, err);
    if (!rc) rc = import_source_begin(db, &src, report, &source_id, &unchanged, err);
    if (!rc && unchanged) {
        fow_db_rollback(db);
        goto done;
    }
    char del[128];
    snprintf(del, sizeof del, "DELETE FROM occupation_attributes WHERE source_id = %lld", (long long)source_id);
    if (!rc) rc = fow_db_exec(db, del, err);
    if (!rc)
        rc = fow_db_prepare(db,
                            "INSERT INTO occupation_attributes(occupation_id, job_zone, education_level, "
                            "related_work_experience, on_the_job_training, annual_earnings_gbp, remote_labor_index, "
                            "physical_proximity, skills_sector, skills_subsector, method, source_id) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'own', ?11)",
                            &ins, err);
    size_t last = 0;
    long long rows = 0;
    int r = 1;
    while (!rc && (r = fow_csv_next(csv, err)) > 0) {
        import_progress(opt, csv, &last);
        section->rows_read++;
        const char *uri = fow_csv_field(csv, (size_t)ix[A_URI], NULL);
        int64_t occ, line;
        if (!*uri) {
            rc = fow_csv_error_at(csv, (size_t)ix[A_URI], err, "column 'occupation_uri' is empty; a value is required");
            break;
        }
        if (fow_strmap_get(&seen, uri, strlen(uri), &line)) {
            rc = fow_csv_error_at(csv, (size_t)ix[A_URI], err, "duplicate occupation '%s' (first on line %lld)", uri,
                                  (long long)line);
            break;
        }
        if (fow_strmap_put(&seen, uri, strlen(uri), fow_csv_record_line(csv)) != 0) {
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
            break;
        }
        if (!fow_strmap_get(&occ_ids, uri, strlen(uri), &occ)) {
            import_reject(section, "occupation not in the imported taxonomy");
            import_note(report, "%s:%ld: occupation %s is not in the imported taxonomy: row skipped", path,
                        fow_csv_record_line(csv), uri);
            continue;
        }
        sqlite3_bind_int64(ins, 1, occ);
        for (int c = A_JOB_ZONE; c <= A_PROXIMITY && !rc; c++) {
            if (ix[c] < 0) continue;
            double v;
            rc = fow_csv_field_double(csv, (size_t)ix[c], true, &v, err);
            if (!rc && !isnan(v) && (v < attribute_min[c] || v > attribute_max[c]))
                rc = fow_csv_error_at(csv, (size_t)ix[c], err, "column '%s': %g is outside %g..%g",
                                      attribute_columns[c].name, v, attribute_min[c], attribute_max[c]);
            if (!rc && !isnan(v)) sqlite3_bind_double(ins, c + 1, v);
        }
        if (rc) break;
        for (int c = A_SECTOR; c <= A_SUBSECTOR; c++) {
            const char *s = ix[c] >= 0 ? fow_csv_field(csv, (size_t)ix[c], NULL) : "";
            if (*s) sqlite3_bind_text(ins, c + 1, s, -1, SQLITE_STATIC);
        }
        sqlite3_bind_int64(ins, 11, source_id);
        if ((rc = import_step(db, ins, "writing attributes", err))) break;
        section->rows_imported++;
        rows++;
    }
    if (!rc && r < 0) rc = err->code;
    if (!rc && rows == 0) rc = import_nothing_error(section, path, err);
    if (!rc) rc = import_source_rows(db, source_id, rows, err);
    if (!rc) rc = import_commit(db, false, err);
    if (rc) fow_db_rollback(db);
done:
    sqlite3_finalize(ins);
    fow_strmap_free(&occ_ids);
    fow_strmap_free(&seen);
    fow_csv_close(csv);
    return rc;
}
