/* import_crosswalk.c — ISCO-08 to SOC 2010, ESCO occupation to O*NET-SOC. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "taxonomy/import_internal.h"
#include "taxonomy/taxonomy_store.h"

static int digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

/* NN-NNNN */
static int is_soc(const char *s) { return strlen(s) == 7 && digits(s, 2) && s[2] == '-' && digits(s + 3, 4); }

/* NN-NNNN.NN */
static int is_onet(const char *s) {
    return strlen(s) == 10 && digits(s, 2) && s[2] == '-' && digits(s + 3, 4) && s[7] == '.' && digits(s + 8, 2);
}

fow_code fow_import_crosswalk(fow_db *db, const char *path, const fow_import_options *opt,
                              fow_import_report *report, fow_error *err) {
    import_report_init(report);
    fow_import_options defaults = {0};
    if (!opt) opt = &defaults;
    fow_csv *csv;
    fow_code rc = fow_csv_open(&csv, path, err);
    if (rc) return rc;
    /* which crosswalk: decided by the header */
    int r = fow_csv_next(csv, err);
    bool isco = false, onet = false;
    for (size_t i = 0; r > 0 && i < fow_csv_field_count(csv); i++) {
        const char *h = fow_csv_field(csv, i, NULL);
        if (strcmp(h, "isco08") == 0) isco = true;
        if (strcmp(h, "onet_code") == 0) onet = true;
    }
    fow_csv_close(csv);
    if (r < 0) return err->code;
    if (r == 0) return fow_error_set_at(err, FOW_EINPUT, path, 1, 1, NULL, "empty file: a header row is required");
    if (!isco && !onet)
        return fow_error_set_at(err, FOW_EINPUT, path, 1, 1, "isco08",
                                "missing required column: 'isco08' (with soc2010) or 'onet_code' (with occupation_uri)");
    if ((rc = fow_csv_open(&csv, path, err))) return rc;
    enum { K1, K2, CONF, N };
    fow_csv_column cols[N] = {{isco ? "isco08" : "occupation_uri", true},
                              {isco ? "soc2010" : "onet_code", true},
                              {"confidence", false}};
    int ix[N];
    fow_import_file_report *section = import_report_file(report, path);
    fow_strmap seen;
    fow_strmap_init(&seen);
    taxonomy_writer *ins = NULL;
    int64_t source_id = 0;
    bool unchanged = false;
    rc = fow_csv_bind_header(csv, cols, N, ix, err);
    if (!rc) rc = fow_db_begin(db, err);
    if (rc) goto done;
    import_source src = {isco ? "crosswalk:isco08-soc2010" : "crosswalk:esco-onet",
                         "crosswalk",
                         import_or(opt->source_name, isco ? "US Bureau of Labor Statistics: ISCO-08 to SOC 2010 crosswalk"
                                                          : "Nesta, Mapping Career Causeways: ESCO occupations to O*NET-SOC"),
                         import_describe(opt, opt->version, isco ? "2012" : "2020", "unversioned"),
                         import_describe(opt, opt->licence, isco ? "public domain" : "MIT", "not stated"),
                         import_describe(opt, opt->url,
                                         isco ? "https://www.bls.gov/soc/soccrosswalks.htm"
                                              : "https://github.com/nestauk/mapping-career-causeways",
                                         ""),
                         path,
                         fow_csv_fingerprint(csv),
                         NULL};
    rc = import_source_begin(db, &src, report, &source_id, &unchanged, err);
    if (!rc && unchanged) {
        rc = import_unchanged_end(db, report, err);
        goto done;
    }
    taxonomy_fact_table table = isco ? TAXONOMY_CROSSWALK_ISCO_SOC : TAXONOMY_CROSSWALK_ESCO_ONET;
    if (!rc) rc = taxonomy_store_clear_source(db, table, source_id, err);
    if (!rc) rc = taxonomy_writer_open(db, table, &ins, err);
    size_t last = 0;
    long long rows = 0;
    r = 1;
    while (!rc && (r = fow_csv_next(csv, err)) > 0) {
        import_progress(opt, csv, &last);
        section->rows_read++;
        const char *a = fow_csv_field(csv, (size_t)ix[K1], NULL);
        const char *b = fow_csv_field(csv, (size_t)ix[K2], NULL);
        if (isco && !(strlen(a) >= 1 && strlen(a) <= 4 && digits(a, strlen(a)))) {
            rc = fow_csv_error_at(csv, (size_t)ix[K1], err, "'%s' is not an ISCO-08 code (1 to 4 digits)", a);
            break;
        }
        if (isco && !is_soc(b)) {
            rc = fow_csv_error_at(csv, (size_t)ix[K2], err, "'%s' is not a SOC 2010 code (like 11-1011)", b);
            break;
        }
        if (!isco && !*a) {
            rc = fow_csv_error_at(csv, (size_t)ix[K1], err, "column 'occupation_uri' is empty; a value is required");
            break;
        }
        if (!isco && !is_onet(b)) {
            rc = fow_csv_error_at(csv, (size_t)ix[K2], err, "'%s' is not an O*NET-SOC code (like 51-4021.00)", b);
            break;
        }
        double confidence = NAN;
        if (!isco && ix[CONF] >= 0 && (rc = fow_csv_field_double(csv, (size_t)ix[CONF], true, &confidence, err))) break;
        char key[600];
        snprintf(key, sizeof key, "%s\t%s", a, b);
        int64_t line;
        if (fow_strmap_get(&seen, key, strlen(key), &line)) {
            rc = fow_csv_error_at(csv, (size_t)ix[K2], err, "duplicate pair %s, %s (first on line %lld)", a, b,
                                  (long long)line);
            break;
        }
        if (fow_strmap_put(&seen, key, strlen(key), fow_csv_record_line(csv)) != 0) {
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
            break;
        }
        if ((rc = taxonomy_writer_add_crosswalk(ins, a, b, confidence, source_id, err))) break;
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
    fow_strmap_free(&seen);
    fow_csv_close(csv);
    return rc;
}
