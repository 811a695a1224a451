#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store/fow_data_version.h"
#include "store/fow_sources.h"
#include "taxonomy/import_internal.h"

void import_report_init(fow_import_report *report) { memset(report, 0, sizeof *report); }

fow_import_file_report *import_report_file(fow_import_report *report, const char *path) {
    if (report->n_files >= FOW_IMPORT_MAX_FILES) return NULL;
    fow_import_file_report *f = &report->files[report->n_files++];
    memset(f, 0, sizeof *f);
    snprintf(f->file, sizeof f->file, "%s", path);
    return f;
}

void import_reject(fow_import_file_report *file, const char *reason) {
    if (!file) return;
    file->rows_rejected++;
    for (size_t i = 0; i < file->n_reasons; i++)
        if (strcmp(file->reasons[i].text, reason) == 0) {
            file->reasons[i].count++;
            return;
        }
    if (file->n_reasons < FOW_IMPORT_MAX_REASONS) {
        fow_import_reason *r = &file->reasons[file->n_reasons++];
        snprintf(r->text, sizeof r->text, "%s", reason);
        r->count = 1;
        return;
    }
    /* full: the last line gathers the rest */
    fow_import_reason *last = &file->reasons[FOW_IMPORT_MAX_REASONS - 1];
    snprintf(last->text, sizeof last->text, "other reasons");
    last->count++;
}

void import_note(fow_import_report *report, const char *fmt, ...) {
    if (report->n_notes >= FOW_IMPORT_MAX_NOTES) return;
    va_list ap;
    va_start(ap, fmt);
    memset(&report->note_messages[report->n_notes], 0, sizeof report->note_messages[0]);
    vsnprintf(report->notes[report->n_notes++], sizeof report->notes[0], fmt, ap);
    va_end(ap);
}

void import_note_code(fow_import_report *report, const char *code) {
    if (report->n_notes == 0 || report->n_notes > FOW_IMPORT_MAX_NOTES) return;
    report->note_messages[report->n_notes - 1].code = code;
}

void import_note_param(fow_import_report *report, const char *name, const char *fmt, ...) {
    if (report->n_notes == 0 || report->n_notes > FOW_IMPORT_MAX_NOTES) return;
    fow_import_note_message *m = &report->note_messages[report->n_notes - 1];
    if (!m->code || m->n >= FOW_IMPORT_NOTE_PARAMS) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->values[m->n], sizeof m->values[0], fmt, ap);
    va_end(ap);
    m->names[m->n++] = name;
}

fow_code import_source_begin(fow_db *db, const import_source *src, fow_import_report *report,
                             int64_t *source_id, bool *unchanged, fow_error *err) {
    *unchanged = false;
    *source_id = 0;
    snprintf(report->dataset, sizeof report->dataset, "%s", src->dataset);
    snprintf(report->source_name, sizeof report->source_name, "%s", src->name);
    snprintf(report->version, sizeof report->version, "%s", src->version);
    char fingerprint[32];
    snprintf(fingerprint, sizeof fingerprint, "%016llx", (unsigned long long)src->fingerprint);

    /* what each data set holds before this import changes anything (also
     * when the data looks unchanged: the employment importer may still
     * write): an import that takes away too much is refused at the commit */
    fow_code rc = fow_sources_census_save(db, src->census_except, err);
    if (rc) return rc;
    long long existing = 0;
    rc = fow_source_find(db, src->dataset, fingerprint, &existing, unchanged, err);
    bool same_description = true;
    if (!rc && existing)
        rc = fow_source_same_description(db, existing, src->name, src->version, src->licence, src->url ? src->url : "",
                                         &same_description, report->previous_version,
                                         sizeof report->previous_version, err);
    if (rc) return rc;
    report->unchanged = *unchanged;
    if (*unchanged) {
        *source_id = existing;
        if (!same_description) {
            /* the same data under a new name, version, licence or address:
             * the description follows, the data is not written again */
            rc = fow_source_update_description(db, existing, src->name, src->version, src->licence,
                                               src->url ? src->url : "", err);
            if (rc) return rc;
            report->description_updated = true;
            if (strcmp(report->previous_version, src->version) != 0) {
                import_note(report, "the data is the same as imported before: only the source's description was "
                                    "updated (version '%.60s' is now '%.60s')",
                            report->previous_version, src->version);
                import_note_code(report, "import.note.description_updated_version");
                import_note_param(report, "previous", "%.60s", report->previous_version);
                import_note_param(report, "version", "%.60s", src->version);
            }
            else {
                import_note(report, "the data is the same as imported before: only the source's description "
                                    "(name, licence or address) was updated");
                import_note_code(report, "import.note.description_updated");
            }
        }
        return FOW_OK;
    }
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fow_source_record rec = {src->dataset, src->kind, src->name, src->version, src->licence,
                             src->url ? src->url : "", src->path, fingerprint, now};
    long long id;
    rc = fow_source_write(db, existing, &rec, &id, err);
    if (rc) return rc;
    *source_id = id;
    report->replaced = existing != 0;
    return FOW_OK;
}

fow_code import_nothing_error(const fow_import_file_report *section, const char *path, fow_error *err) {
    if (section->rows_rejected)
        return fow_error_set_at(err, FOW_EINPUT, path, 0, 0, NULL,
                                "none of the %ld rows names an occupation of the imported taxonomy: nothing imported",
                                section->rows_read);
    return fow_error_set_at(err, FOW_EINPUT, path, 2, 1, NULL, "no data rows: nothing to import");
}

fow_code import_source_rows(fow_db *db, int64_t source_id, long long rows, fow_error *err) {
    return fow_source_set_rows(db, source_id, rows, err);
}

/* The first (table, source) that lost more than the allowed share of its
 * rows, and how many did. */
typedef struct shrink_found {
    char table[64];
    char dataset[160];
    long long before, after;
    int count;
} shrink_found;

static fow_code note_shrink(void *ctx, const fow_source_shrink *s, fow_error *err) {
    (void)err;
    shrink_found *f = ctx;
    /* more than FOW_IMPORT_MAX_SHRINK_PERCENT of the rows gone */
    if (!import_shrinks_too_much(s->before, s->after)) return FOW_OK;
    if (f->count++ == 0) {
        snprintf(f->table, sizeof f->table, "%s", s->table);
        snprintf(f->dataset, sizeof f->dataset, "%s", s->dataset);
        f->before = s->before;
        f->after = s->after;
    }
    return FOW_OK;
}

bool import_shrinks_too_much(long long before, long long after) {
    return (before - after) * 100 > before * FOW_IMPORT_MAX_SHRINK_PERCENT;
}

fow_code import_shrink_error(fow_error *err, const char *what, const char *table, long long before, long long after,
                             const char *more) {
    return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "allow_shrink",
                            "refused: this import would leave %s with %lld of its %lld rows in %s%s%s, and an "
                            "import may take away at most %d%% of a data set's rows; if the smaller data is "
                            "meant, import again with allow_shrink",
                            what, after, before, table, after == 0 ? " (none left)" : "", more,
                            FOW_IMPORT_MAX_SHRINK_PERCENT);
}

fow_code import_shrink_check(fow_db *db, bool allow_shrink, fow_error *err) {
    if (allow_shrink) return FOW_OK;
    shrink_found found = {"", "", 0, 0, 0};
    fow_code rc = fow_sources_census_compare(db, note_shrink, &found, err);
    if (rc || !found.count) return rc;
    char more[64] = "";
    if (found.count > 1) snprintf(more, sizeof more, " (and %d more tables or data sets)", found.count - 1);
    return import_shrink_error(err, found.dataset[0] ? found.dataset : "a data set", found.table, found.before,
                               found.after, more);
}

fow_code import_unchanged_end(fow_db *db, const fow_import_report *report, fow_error *err) {
    if (!report->description_updated) {
        fow_db_rollback(db);
        return FOW_OK;
    }
    fow_code rc = fow_sources_census_drop(db, err);
    if (!rc) rc = fow_data_version_bump(db, err);
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) fow_db_rollback(db);
    return rc;
}

fow_code import_commit(fow_db *db, bool search, bool allow_shrink, fow_error *err) {
    fow_code rc = fow_derive_values(db, err);
    if (!rc) rc = import_shrink_check(db, allow_shrink, err);
    if (!rc) rc = fow_sources_census_drop(db, err);
    if (!rc && search) rc = fow_search_index_rebuild(db, err);
    if (!rc) rc = fow_data_version_bump(db, err);
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) fow_db_rollback(db);
    return rc;
}

void import_progress(const fow_import_options *opt, fow_csv *csv, size_t *last) {
    if (!opt || !opt->progress) return;
    size_t done = fow_csv_bytes_done(csv);
    size_t total = fow_csv_bytes_total(csv);
    if (done - *last < 65536 && done != total) return;
    *last = done;
    opt->progress(opt->progress_ctx, fow_csv_name(csv), done, total);
}

void import_join_path(char *buf, size_t n, const char *dir, const char *name) {
    size_t len = strlen(dir);
    if (len && dir[len - 1] == '/') snprintf(buf, n, "%s%s", dir, name);
    else snprintf(buf, n, "%s/%s", dir, name);
}

int import_file_exists(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

const char *import_or(const char *v, const char *fallback) { return (v && *v) ? v : fallback; }

const char *import_describe(const fow_import_options *opt, const char *given, const char *known, const char *unknown) {
    if (given && *given) return given;
    return opt->source_name && *opt->source_name ? unknown : known;
}

bool import_version_in_path(const char *path, char *out, size_t cap) {
    if (cap) out[0] = '\0';
    size_t n = strlen(path);
    while (n > 0 && path[n - 1] == '/') n--;
    size_t start = n;
    while (start > 0 && path[start - 1] != '/') start--;
    for (size_t i = start; i < n; i++) {
        char c = path[i];
        if (c < '0' || c > '9') continue;
        char before = i > start ? path[i - 1] : ' ';
        bool letter_before = (before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z');
        bool v_before = (before == 'v' || before == 'V') &&
                        (i - 1 == start || !((path[i - 2] >= 'a' && path[i - 2] <= 'z') ||
                                             (path[i - 2] >= 'A' && path[i - 2] <= 'Z')));
        if ((letter_before && !v_before) || (before >= '0' && before <= '9') || before == '.') continue;
        size_t e = i, dots = 0;
        while (e < n && ((path[e] >= '0' && path[e] <= '9') || (path[e] == '.' && e + 1 < n && path[e + 1] >= '0' &&
                                                                  path[e + 1] <= '9'))) {
            dots += path[e] == '.';
            e++;
        }
        if (dots == 0 || e - i + 1 > cap) {
            i = e;
            continue;
        }
        memcpy(out, path + i, e - i);
        out[e - i] = '\0';
        return true;
    }
    return false;
}

/* Folds one taxonomy source's dataset and fingerprint into the state. */
static fow_code fold_taxonomy_source(void *ctx, const fow_source_row *row, fow_error *err) {
    (void)err;
    uint64_t *h = ctx;
    *h = (*h ^ fow_hash_bytes(row->dataset, strlen(row->dataset))) * 1099511628211ULL;
    *h = (*h ^ fow_hash_bytes(row->fingerprint, strlen(row->fingerprint))) * 1099511628211ULL;
    return FOW_OK;
}

fow_code import_taxonomy_state(fow_db *db, uint64_t *out, fow_error *err) {
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    fow_code rc = fow_sources_each(db, "taxonomy", fold_taxonomy_source, &h, err);
    *out = h;
    return rc;
}
