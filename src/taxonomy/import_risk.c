/* import_risk.c — automation risk estimates (Nesta MCC, Frey & Osborne). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "taxonomy/import_internal.h"
#include "taxonomy/taxonomy_store.h"

typedef enum risk_key { KEY_OCCUPATION, KEY_ISCO, KEY_SOC } risk_key;

typedef struct risk_model_info {
    const char *model;
    const char *name;
    const char *version;
    const char *licence;
    const char *url;
    double min, max; /* the scale of the values */
} risk_model_info;

static const risk_model_info models[] = {
    {"mcc", "Nesta, Mapping Career Causeways: automation risk (from Brynjolfsson, Mitchell & Rock 2018)", "2020",
     "MIT", "https://github.com/nestauk/mapping-career-causeways", 1.0, 5.0},
    {"frey-osborne", "Frey & Osborne, The Future of Employment: probability of computerisation", "2013/2017",
     "published research results", "https://doi.org/10.1016/j.techfore.2016.08.019", 0.0, 1.0},
};

static const risk_model_info *find_model(const char *name) {
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        if (name && strcmp(models[i].model, name) == 0) return &models[i];
    return NULL;
}

/* Reads the header and decides what the file is keyed by. */
static fow_code detect_key(fow_csv *csv, risk_key *key, fow_error *err) {
    /* peek at the header without binding */
    int r = fow_csv_next(csv, err);
    if (r < 0) return err->code;
    if (r == 0) return fow_error_set_at(err, FOW_EINPUT, fow_csv_name(csv), 1, 1, NULL, "empty file: a header row is required");
    for (size_t i = 0; i < fow_csv_field_count(csv); i++) {
        const char *h = fow_csv_field(csv, i, NULL);
        if (strcmp(h, "occupation_uri") == 0) { *key = KEY_OCCUPATION; return FOW_OK; }
        if (strcmp(h, "isco_code") == 0) { *key = KEY_ISCO; return FOW_OK; }
        if (strcmp(h, "soc2010") == 0) { *key = KEY_SOC; return FOW_OK; }
    }
    return fow_error_set_at(err, FOW_EINPUT, fow_csv_name(csv), 1, 1, "occupation_uri",
                            "missing required column: one of 'occupation_uri', 'isco_code' or 'soc2010' names what the values describe");
}

static int is_digits(const char *s, size_t min, size_t max) {
    size_t n = strlen(s);
    if (n < min || n > max) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

static int is_soc(const char *s) {
    return strlen(s) == 7 && is_digits((char[]){s[0], s[1], 0}, 2, 2) && s[2] == '-' && is_digits(s + 3, 4, 4);
}

static fow_code check_range(fow_csv *csv, int idx, const char *name, double v, double lo, double hi,
                            fow_error *err) {
    if (isnan(v) || (v >= lo && v <= hi)) return FOW_OK;
    return fow_csv_error_at(csv, (size_t)idx, err, "column '%s': %g is outside %g..%g", name, v, lo, hi);
}

fow_code fow_import_risk(fow_db *db, const char *path, const fow_import_options *opt,
                         fow_import_report *report, fow_error *err) {
    import_report_init(report);
    const risk_model_info *model = find_model(opt ? opt->model : NULL);
    if (!model)
        return opt && opt->model
                   ? fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "model",
                                      "model must be 'mcc' or 'frey-osborne', not '%.60s'", opt->model)
                   : fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "model",
                                      "model must be 'mcc' or 'frey-osborne': the model the estimates come from");
    fow_csv *csv;
    fow_code rc = fow_csv_open(&csv, path, err);
    if (rc) return rc;
    risk_key key = KEY_OCCUPATION;
    rc = detect_key(csv, &key, err);
    fow_csv_close(csv);
    if (rc) return rc;
    if ((rc = fow_csv_open(&csv, path, err))) return rc;

    enum { KEY, VALUE, PREV, CAT, RISK_NP, PREV_NP, ONET, TITLE, N };
    const char *key_name = key == KEY_OCCUPATION ? "occupation_uri" : key == KEY_ISCO ? "isco_code" : "soc2010";
    const char *value_name = key == KEY_SOC ? "probability" : (strcmp(model->model, "mcc") == 0 ? "risk" : "probability");
    fow_csv_column cols[N] = {{key_name, true},          {value_name, true},        {"prevalence", false},
                              {"risk_category", false},  {"risk_nonphysical", false}, {"prevalence_nonphysical", false},
                              {"onet_code", false},      {"title", false}};
    int ix[N];
    fow_import_file_report *section = import_report_file(report, path);
    fow_strmap occ_ids, seen;
    fow_strmap_init(&occ_ids);
    fow_strmap_init(&seen);
    taxonomy_writer *ins = NULL;
    rc = fow_csv_bind_header(csv, cols, N, ix, err);
    if (!rc) rc = fow_db_begin(db, err);
    if (rc) goto done;
    if (key == KEY_OCCUPATION) rc = fow_taxonomy_occupation_ids(db, &occ_ids, err);
    uint64_t taxonomy_state = 0;
    if (!rc && key == KEY_OCCUPATION) rc = import_taxonomy_state(db, &taxonomy_state, err);

    /* first pass over the rows happens with the insert, but the data set key
     * needs the ISCO level: take it from the first code */
    char dataset[160];
    snprintf(dataset, sizeof dataset, "risk:%s:%s", model->model,
             key == KEY_OCCUPATION ? "occupation" : key == KEY_ISCO ? "isco" : "soc2010");
    long level = 0;
    uint64_t fingerprint = fow_csv_fingerprint(csv) ^ fow_hash_bytes(model->model, strlen(model->model)) ^ taxonomy_state;

    int64_t source_id = 0;
    bool unchanged = false;
    taxonomy_fact_table table = key == KEY_OCCUPATION ? TAXONOMY_OCCUPATION_RISK
                                : key == KEY_ISCO     ? TAXONOMY_ISCO_RISK
                                                      : TAXONOMY_SOC_RISK;
    if (!rc) rc = taxonomy_writer_open(db, table, &ins, err);
    size_t last = 0;
    long long rows = 0;
    int r = 1;
    bool begun = false;
    while (!rc && (r = fow_csv_next(csv, err)) > 0) {
        import_progress(opt, csv, &last);
        section->rows_read++;
        const char *k = fow_csv_field(csv, (size_t)ix[KEY], NULL);
        if (!*k) {
            rc = fow_csv_error_at(csv, (size_t)ix[KEY], err, "column '%s' is empty; a value is required", key_name);
            break;
        }
        if (key == KEY_ISCO) {
            if (!is_digits(k, 1, 4)) {
                rc = fow_csv_error_at(csv, (size_t)ix[KEY], err, "'%s' is not an ISCO-08 code (1 to 4 digits)", k);
                break;
            }
            if (level == 0) level = (long)strlen(k);
            else if ((long)strlen(k) != level) {
                rc = fow_csv_error_at(csv, (size_t)ix[KEY], err,
                                      "ISCO code '%s' has %zu digits but the file's first code has %ld: one level per file",
                                      k, strlen(k), level);
                break;
            }
        }
        if (key == KEY_SOC && !is_soc(k)) {
            rc = fow_csv_error_at(csv, (size_t)ix[KEY], err, "'%s' is not a SOC 2010 code (like 11-1011)", k);
            break;
        }
        int64_t line;
        if (fow_strmap_get(&seen, k, strlen(k), &line)) {
            rc = fow_csv_error_at(csv, (size_t)ix[KEY], err, "duplicate key '%s' (first on line %lld)", k, (long long)line);
            break;
        }
        if (fow_strmap_put(&seen, k, strlen(k), fow_csv_record_line(csv)) != 0) {
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
            break;
        }
        int64_t occ = 0;
        if (key == KEY_OCCUPATION && !fow_strmap_get(&occ_ids, k, strlen(k), &occ)) {
            /* estimates made on another taxonomy version name occupations
             * this one no longer has: skipped and reported, not fatal */
            import_reject(section, "occupation not in the imported taxonomy");
            import_note(report, "%s:%ld: occupation %s is not in the imported taxonomy: row skipped", path,
                        fow_csv_record_line(csv), k);
            import_note_code(report, "import.note.row_not_in_taxonomy");
            import_note_param(report, "file", "%s", path);
            import_note_param(report, "line", "%ld", fow_csv_record_line(csv));
            import_note_param(report, "occupation", "%s", k);
            continue;
        }
        double v, prev = NAN, rnp = NAN, pnp = NAN;
        if ((rc = fow_csv_field_double(csv, (size_t)ix[VALUE], false, &v, err))) break;
        if ((rc = check_range(csv, ix[VALUE], value_name, v, model->min, model->max, err))) break;
        if (ix[PREV] >= 0 && ((rc = fow_csv_field_double(csv, (size_t)ix[PREV], true, &prev, err)) ||
                              (rc = check_range(csv, ix[PREV], "prevalence", prev, 0, 1, err))))
            break;
        if (ix[RISK_NP] >= 0 && ((rc = fow_csv_field_double(csv, (size_t)ix[RISK_NP], true, &rnp, err)) ||
                                 (rc = check_range(csv, ix[RISK_NP], "risk_nonphysical", rnp, model->min, model->max, err))))
            break;
        if (ix[PREV_NP] >= 0 && ((rc = fow_csv_field_double(csv, (size_t)ix[PREV_NP], true, &pnp, err)) ||
                                 (rc = check_range(csv, ix[PREV_NP], "prevalence_nonphysical", pnp, 0, 1, err))))
            break;
        if (!begun) {
            /* the data set key and source row, now that the ISCO level is known */
            if (key == KEY_ISCO) snprintf(dataset, sizeof dataset, "risk:%s:isco%ld", model->model, level);
            char name[300];
            snprintf(name, sizeof name, "%s%s", model->name,
                     key == KEY_ISCO ? (level == 3 ? ", by ISCO-08 minor group" : level == 4 ? ", by ISCO-08 unit group" : ", by ISCO-08 group")
                                     : key == KEY_SOC ? ", by US SOC 2010 code" : ", by ESCO occupation");
            import_source src = {dataset,
                                 "risk",
                                 import_or(opt->source_name, name),
                                 import_describe(opt, opt->version, model->version, "unversioned"),
                                 import_describe(opt, opt->licence, model->licence, "not stated"),
                                 import_describe(opt, opt->url, model->url, ""),
                                 path,
                                 fingerprint,
                                 NULL};
            rc = import_source_begin(db, &src, report, &source_id, &unchanged, err);
            if (rc || unchanged) break;
            if ((rc = taxonomy_store_clear_source(db, table, source_id, err))) break;
            begun = true;
        }
        taxonomy_risk_row stored = {
            .occupation_id = occ,
            .code = k,
            .model = model->model,
            .risk = v,
            .prevalence = prev,
            .category = ix[CAT] >= 0 ? fow_csv_field(csv, (size_t)ix[CAT], NULL) : "",
            .risk_nonphysical = rnp,
            .prevalence_nonphysical = pnp,
            .onet_code = ix[ONET] >= 0 ? fow_csv_field(csv, (size_t)ix[ONET], NULL) : "",
            .title = ix[TITLE] >= 0 ? fow_csv_field(csv, (size_t)ix[TITLE], NULL) : "",
            .source_id = source_id,
        };
        if ((rc = taxonomy_writer_add_risk(ins, &stored, err))) break;
        section->rows_imported++;
        rows++;
    }
    if (!rc && r < 0) rc = err->code;
    if (!rc && !begun && !unchanged)
        rc = import_nothing_error(section, path, err);
    if (!rc && unchanged) {
        section->rows_imported = 0;
        rc = import_unchanged_end(db, report, err);
        goto done;
    }
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
