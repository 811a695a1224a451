/* fuzz_bundle.c — libFuzzer target for the bundle importer, the model
 * loader and the search, end to end.
 *
 * The input is split at each "\n====\n" into up to 5 parts, written as
 * occupations.csv, skills.csv, occupation_skills.csv, isco_groups.csv and
 * occupation_parents.csv (in that order) in a private temporary directory
 * made once per process; a file with no part is removed, so shorter inputs
 * exercise the optional files being absent. Then fow_import_bundle runs
 * into a fresh database file in the same directory (the database and its
 * -wal / -shm files are deleted before every run). When the import succeeds
 * the model is loaded and one fow_search runs on it. Everything is freed
 * (LeakSanitizer is on).
 *
 * Invariants checked with abort(): a failed import fills err (and input
 * errors name a file); a successful import's report is consistent; the
 * loaded model's sparse rows and search index are well formed; search
 * results are in range and at most the limit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fow_error.h"
#include "store/fow_db.h"
#include "taxonomy/fow_import.h"
#include "taxonomy/fow_model.h"
#include "taxonomy/fow_search.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                             \
    do {                                                                                        \
        if (!(cond)) {                                                                          \
            fprintf(stderr, "fuzz_bundle: invariant failed at %s:%d: %s\n", __FILE__, __LINE__, \
                    #cond);                                                                     \
            abort();                                                                            \
        }                                                                                       \
    } while (0)

#define N_PARTS 5
static const char *const part_names[N_PARTS] = {"occupations.csv", "skills.csv", "occupation_skills.csv",
                                                  "isco_groups.csv", "occupation_parents.csv"};
static const char separator[] = "\n====\n";
#define SEP_LEN (sizeof separator - 1)

static char work_dir[512];
static char db_path[600];

static void remove_db(void) {
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char p[700];
        int w = snprintf(p, sizeof p, "%s%s", db_path, suffixes[i]);
        if (w > 0 && (size_t)w < sizeof p) unlink(p);
    }
}

static void part_path(char *out, size_t n, size_t i) {
    int w = snprintf(out, n, "%s/%s", work_dir, part_names[i]);
    CHECK(w > 0 && (size_t)w < n);
}

static void cleanup(void) {
    if (!work_dir[0]) return;
    remove_db();
    for (size_t i = 0; i < N_PARTS; i++) {
        char p[700];
        part_path(p, sizeof p, i);
        unlink(p);
    }
    rmdir(work_dir);
}

static void setup_once(void) {
    if (work_dir[0]) return;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    int w = snprintf(work_dir, sizeof work_dir, "%s/fow-fuzz-bundle-XXXXXX", tmp);
    CHECK(w > 0 && (size_t)w < sizeof work_dir);
    if (!mkdtemp(work_dir)) {
        perror("mkdtemp");
        abort();
    }
    w = snprintf(db_path, sizeof db_path, "%s/fuzz.db", work_dir);
    CHECK(w > 0 && (size_t)w < sizeof db_path);
    atexit(cleanup);
}

/* First occurrence of the separator in data[from..size), or size. */
static size_t find_separator(const uint8_t *data, size_t size, size_t from) {
    if (size < SEP_LEN) return size;
    for (size_t i = from; i + SEP_LEN <= size; i++)
        if (data[i] == separator[0] && memcmp(data + i, separator, SEP_LEN) == 0) return i;
    return size;
}

static void write_file(const char *path, const uint8_t *bytes, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        abort();
    }
    if (n && fwrite(bytes, 1, n, f) != n) {
        perror(path);
        abort();
    }
    if (fclose(f) != 0) {
        perror(path);
        abort();
    }
}

static void check_model(const fow_model *m) {
    CHECK(m->occ_offsets && m->skill_offsets);
    CHECK(m->occ_offsets[0] == 0 && m->skill_offsets[0] == 0);
    for (uint32_t i = 0; i < m->n_occupations; i++) {
        const fow_model_occupation *o = &m->occupations[i];
        CHECK(o->uri && o->code && o->isco_group && o->label);
        CHECK(o->parent == FOW_NO_INDEX || o->parent < m->n_occupations);
        CHECK(i == 0 || m->occupations[i - 1].id < o->id);
        CHECK(fow_model_occupation_by_id(m, o->id) == i);
        CHECK(m->occ_offsets[i] <= m->occ_offsets[i + 1]);
        for (uint32_t p = m->occ_offsets[i]; p < m->occ_offsets[i + 1]; p++) {
            CHECK(m->occ_links[p].index < m->n_skills);
            CHECK(m->occ_links[p].essential <= 1);
        }
    }
    CHECK(m->occ_offsets[m->n_occupations] == m->n_links);
    for (uint32_t j = 0; j < m->n_skills; j++) {
        const fow_model_skill *s = &m->skills[j];
        CHECK(s->uri && s->label);
        CHECK(j == 0 || m->skills[j - 1].id < s->id);
        CHECK(fow_model_skill_by_id(m, s->id) == j);
        CHECK(m->skill_offsets[j] <= m->skill_offsets[j + 1]);
        for (uint32_t p = m->skill_offsets[j]; p < m->skill_offsets[j + 1]; p++)
            CHECK(m->skill_links[p].index < m->n_occupations);
    }
    CHECK(m->skill_offsets[m->n_skills] == m->n_links);
    for (uint32_t t = 0; t < m->n_terms; t++) {
        const fow_model_term *term = &m->terms[t];
        CHECK(term->kind <= 1);
        CHECK(term->entity < (term->kind == 0 ? m->n_occupations : m->n_skills));
        CHECK((size_t)term->folded + term->folded_len < m->text_len);
        CHECK((size_t)term->label < m->text_len);
        CHECK(strlen(m->text + term->folded) == term->folded_len);
        CHECK(t == 0 || strcmp(m->text + m->terms[t - 1].folded, m->text + term->folded) <= 0);
    }
    for (uint32_t w = 0; w < m->n_words; w++) {
        CHECK(m->words[w].term < m->n_terms);
        CHECK(m->words[w].offset > 0 && m->words[w].offset < m->terms[m->words[w].term].folded_len);
    }
}

/* FOW_FUZZ_VERBOSE=1 prints what the import said (for writing seeds). */
static int verbose(void) {
    static int v = -1;
    if (v < 0) {
        const char *e = getenv("FOW_FUZZ_VERBOSE");
        v = e && *e && strcmp(e, "0") != 0;
    }
    return v;
}

static void check_search(const fow_model *m, const char *query) {
    fow_search_hit hits[10];
    fow_error err;
    fow_error_clear(&err);
    long n = fow_search(m, query, FOW_KIND_ANY, hits, 10, &err);
    if (n < 0) {
        CHECK(err.code == FOW_EINPUT && err.message[0]);
        return;
    }
    CHECK(n <= 10);
    for (long i = 0; i < n; i++) {
        CHECK(hits[i].term < m->n_terms);
        CHECK(hits[i].kind == FOW_KIND_OCCUPATION || hits[i].kind == FOW_KIND_SKILL);
        CHECK(hits[i].entity < (hits[i].kind == FOW_KIND_OCCUPATION ? m->n_occupations : m->n_skills));
        CHECK(m->terms[hits[i].term].entity == hits[i].entity);
        CHECK(hits[i].match == FOW_MATCH_EXACT || hits[i].match == FOW_MATCH_PREFIX ||
              hits[i].match == FOW_MATCH_WORD);
        CHECK(i == 0 || hits[i - 1].rank <= hits[i].rank);
        for (long k = 0; k < i; k++)
            CHECK(hits[k].entity != hits[i].entity || hits[k].kind != hits[i].kind);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    setup_once();

    /* split into parts and write them; parts that are not there: no file */
    size_t start = 0;
    for (size_t i = 0; i < N_PARTS; i++) {
        char p[700];
        part_path(p, sizeof p, i);
        if (start > size) {
            unlink(p);
            continue;
        }
        size_t end = i + 1 < N_PARTS ? find_separator(data, size, start) : size;
        write_file(p, data + start, end - start);
        start = end + SEP_LEN; /* past the end when there was no separator */
    }

    remove_db();
    fow_db *db = NULL;
    fow_error err;
    fow_error_clear(&err);
    if (fow_db_open(&db, db_path, false, &err) != FOW_OK) {
        fprintf(stderr, "fuzz_bundle: cannot open %s: %s\n", db_path, err.message);
        abort();
    }

    fow_import_options opt = {0};
    opt.source_name = "fuzz";
    opt.version = "1";
    static fow_import_report report;
    fow_error_clear(&err);
    fow_code rc = fow_import_bundle(db, work_dir, &opt, &report, &err);
    if (verbose()) {
        char msg[1500];
        fprintf(stderr, "fuzz_bundle: import %s\n", rc == FOW_OK ? "ok" : fow_error_format(&err, msg, sizeof msg));
    }
    if (rc != FOW_OK) {
        CHECK(err.code == rc);
        CHECK(err.message[0] != '\0');
        if (rc == FOW_EINPUT) CHECK(err.file[0] != '\0');
        /* the database is unchanged: still no occupations */
        long long n = -1;
        fow_error e2;
        CHECK(fow_db_query_int(db, "SELECT count(*) FROM occupations", &n, &e2) == FOW_OK && n == 0);
        fow_db_close(db);
        return 0;
    }
    CHECK(report.n_files >= 1 && report.n_files <= FOW_IMPORT_MAX_FILES);
    for (size_t i = 0; i < report.n_files; i++) {
        const fow_import_file_report *f = &report.files[i];
        CHECK(f->rows_read >= 0 && f->rows_imported >= 0 && f->rows_rejected >= 0);
        CHECK(f->n_reasons <= FOW_IMPORT_MAX_REASONS);
    }

    fow_model *m = NULL;
    fow_error_clear(&err);
    rc = fow_model_load(db, &m, &err);
    if (rc != FOW_OK) {
        fprintf(stderr, "fuzz_bundle: fow_model_load failed after a successful import: %s\n", err.message);
        abort();
    }
    check_model(m);

    /* one search: a prefix of a label of the data (or a fixed query) */
    char query[16] = "a";
    if (m->n_terms > 0) {
        const char *label = fow_model_text(m, m->terms[size % m->n_terms].label);
        size_t len = strlen(label);
        size_t take = 1 + size % 6;
        if (take > len) take = len;
        memcpy(query, label, take); /* may cut a character: the search must cope */
        query[take] = '\0';
    }
    check_search(m, query);
    if (verbose())
        fprintf(stderr, "fuzz_bundle: model %u occupations, %u skills, %u links, %u terms; searched '%s'\n",
                m->n_occupations, m->n_skills, m->n_links, m->n_terms, query);

    fow_model_free(m);
    fow_db_close(db);
    return 0;
}
