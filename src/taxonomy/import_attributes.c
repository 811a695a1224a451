/* import_attributes.c — occupation attributes (what makes a move desirable). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "taxonomy/import_internal.h"
#include "taxonomy/taxonomy_store.h"

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
    taxonomy_writer *ins = NULL;
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
                         import_describe(opt, opt->version, "2020", "unversioned"),
                         import_describe(opt, opt->licence, "MIT (O*NET: CC BY 4.0)", "not stated"),
                         import_describe(opt, opt->url, "https://github.com/nestauk/mapping-career-causeways", ""),
                         path,
                         fow_csv_fingerprint(csv) ^ taxonomy_state,
                         NULL};
    rc = fow_taxonomy_occupation_ids(db, &occ_ids, err);
    if (!rc) rc = import_source_begin(db, &src, report, &source_id, &unchanged, err);
    if (!rc && unchanged) {
        rc = import_unchanged_end(db, report, err);
        goto done;
    }
    if (!rc) rc = taxonomy_store_clear_source(db, TAXONOMY_ATTRIBUTES, source_id, err);
    if (!rc) rc = taxonomy_writer_open(db, TAXONOMY_ATTRIBUTES, &ins, err);
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
            import_note_code(report, "import.note.row_not_in_taxonomy");
            import_note_param(report, "file", "%s", path);
            import_note_param(report, "line", "%ld", fow_csv_record_line(csv));
            import_note_param(report, "occupation", "%s", uri);
            continue;
        }
        double values[TAXONOMY_N_ATTRIBUTE_VALUES];
        for (int c = A_JOB_ZONE; c <= A_PROXIMITY && !rc; c++) {
            values[c - A_JOB_ZONE] = NAN;
            if (ix[c] < 0) continue;
            double v;
            rc = fow_csv_field_double(csv, (size_t)ix[c], true, &v, err);
            if (!rc && !isnan(v) && (v < attribute_min[c] || v > attribute_max[c]))
                rc = fow_csv_error_at(csv, (size_t)ix[c], err, "column '%s': %g is outside %g..%g",
                                      attribute_columns[c].name, v, attribute_min[c], attribute_max[c]);
            if (!rc) values[c - A_JOB_ZONE] = v;
        }
        if (rc) break;
        const char *sector = ix[A_SECTOR] >= 0 ? fow_csv_field(csv, (size_t)ix[A_SECTOR], NULL) : "";
        const char *subsector = ix[A_SUBSECTOR] >= 0 ? fow_csv_field(csv, (size_t)ix[A_SUBSECTOR], NULL) : "";
        if ((rc = taxonomy_writer_add_attributes(ins, occ, values, sector, subsector, source_id, err))) break;
        section->rows_imported++;
        rows++;
    }
    if (!rc && r < 0) rc = err->code;
    if (!rc && rows == 0) rc = import_nothing_error(section, path, err);
    if (!rc) rc = import_source_rows(db, source_id, rows, err);
    if (!rc) rc = import_commit(db, false, opt->allow_shrink, err);
    if (rc) fow_db_rollback(db);
done:
    taxonomy_writer_close(ins);
    fow_strmap_free(&occ_ids);
    fow_strmap_free(&seen);
    fow_csv_close(csv);
    return rc;
}
