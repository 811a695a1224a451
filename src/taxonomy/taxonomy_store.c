/* taxonomy_store.c — the SQL of the taxonomy module: the only file that
 * reads or writes its tables (see taxonomy_store.h for the list). */
#include "taxonomy/taxonomy_store.h"

#include "taxonomy/fow_occupation.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fow_text.h"
#include "base/fow_vec.h"
#include "store/fow_sources.h"

#define OOM(err) fow_error_set(err, FOW_ENOMEM, "out of memory")

static const char *col(fow_arena *a, sqlite3_stmt *st, int i) {
    const unsigned char *s = sqlite3_column_text(st, i);
    const char *copy = fow_arena_strndup(a, s ? (const char *)s : "", s ? (size_t)sqlite3_column_bytes(st, i) : 0);
    return copy ? copy : "";
}

static double col_double(sqlite3_stmt *st, int i) {
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

static int all_digits(const char *s) {
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

/* Runs sql with one text parameter; collects up to 2 distinct ids. */
static fow_code find_ids(fow_db *db, const char *sql, const char *param, int64_t ids[2], int *n, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, sql, &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
    *n = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW && *n < 2) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (*n == 1 && ids[0] == id) continue;
        ids[(*n)++] = id;
    }
    if (r != SQLITE_ROW && r != SQLITE_DONE) rc = fow_db_error(db, err, "finding the occupation");
    sqlite3_finalize(st);
    return rc;
}

static fow_code label_of(fow_db *db, int64_t id, char *buf, size_t n) {
    sqlite3_stmt *st;
    buf[0] = '\0';
    if (fow_db_prepare(db, "SELECT label, uri FROM occupations WHERE id = ?", &st, NULL)) return FOW_EDB;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(buf, n, "%s (%s)", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    return FOW_OK;
}

fow_code fow_occupation_find(fow_db *db, const char *key, int64_t *id, fow_error *err) {
    *id = 0;
    if (!key || !*key) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "occupation", "empty occupation key");
    int64_t ids[2];
    int n = 0;
    fow_code rc;
    if (all_digits(key)) {
        rc = find_ids(db, "SELECT id FROM occupations WHERE id = CAST(?1 AS INTEGER)", key, ids, &n, err);
        if (rc) return rc;
        if (n == 1) {
            *id = ids[0];
            return FOW_OK;
        }
    }
    rc = find_ids(db, "SELECT id FROM occupations WHERE uri = ?1", key, ids, &n, err);
    if (!rc && n == 0) rc = find_ids(db, "SELECT id FROM occupations WHERE code = ?1 ORDER BY id", key, ids, &n, err);
    if (!rc && n == 0) {
        size_t flen;
        char *folded = fow_text_fold(key, strlen(key), &flen, err);
        if (!folded) return err ? err->code : FOW_EINPUT;
        /* preferred labels first, so a label that is one occupation's name and
         * another's alternative finds the first */
        rc = find_ids(db,
                      "SELECT entity_id FROM search_terms WHERE folded = ?1 AND kind = 0 "
                      "ORDER BY preferred DESC, entity_id",
                      folded, ids, &n, err);
        if (!rc && n == 2) {
            int preferred = 0;
            sqlite3_stmt *st;
            rc = fow_db_prepare(db, "SELECT count(DISTINCT entity_id) FROM search_terms WHERE folded = ?1 AND kind = 0 AND preferred = 1", &st, err);
            if (!rc) {
                sqlite3_bind_text(st, 1, folded, -1, SQLITE_STATIC);
                if (sqlite3_step(st) == SQLITE_ROW) preferred = sqlite3_column_int(st, 0);
                sqlite3_finalize(st);
            }
            if (preferred == 1) n = 1;
        }
        free(folded);
    }
    if (rc) return rc;
    if (n == 0)
        return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "occupation",
                                "no occupation has the id, URI, code or label '%s' (try: fow search '%s')", key, key);
    if (n == 2) {
        char a[300], b[300];
        label_of(db, ids[0], a, sizeof a);
        label_of(db, ids[1], b, sizeof b);
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "occupation",
                                "'%s' names more than one occupation, e.g. %s and %s: use a URI or code", key, a, b);
    }
    *id = ids[0];
    return FOW_OK;
}

/* An occupation's detail while it loads: the sources its values point at
 * are read through fow_sources (the owner of that table), a few at most. */
#define DETAIL_SOURCES 16
typedef struct detail_loading {
    fow_db *db;
    fow_occupation_detail *d;
    size_t n_sources;
    fow_source_text sources[DETAIL_SOURCES];
} detail_loading;

/* The source with the given id, its texts in the detail's arena. */
static fow_code detail_source(detail_loading *L, sqlite3_stmt *st, int i, const fow_source_text **out,
                              fow_error *err) {
    long long id = sqlite3_column_int64(st, i);
    for (size_t k = 0; k < L->n_sources; k++)
        if (L->sources[k].id == id) {
            *out = &L->sources[k];
            return FOW_OK;
        }
    size_t slot = L->n_sources < DETAIL_SOURCES ? L->n_sources++ : DETAIL_SOURCES - 1;
    fow_code rc = fow_source_get(L->db, id, &L->d->arena, &L->sources[slot], err);
    *out = &L->sources[slot];
    return rc;
}

/* Runs a query bound to id and calls row() for each result. */
typedef fow_code (*row_fn)(detail_loading *L, sqlite3_stmt *st, fow_error *err);

static fow_code each_row(fow_db *db, detail_loading *L, const char *sql, int64_t id, row_fn row, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, sql, &st, err);
    if (rc) return rc;
    for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++) sqlite3_bind_int64(st, i, id);
    int r;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) rc = row(L, st, err);
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading the occupation");
    sqlite3_finalize(st);
    return rc;
}

/* arrays live in the arena: grown by copying (sizes are small) */
#define ARENA_PUSH(d, arr, n, value)                                                              \
    do {                                                                                          \
        void *grown_ = fow_arena_alloc(&(d)->arena, ((n) + 1) * sizeof *(arr));                   \
        if (!grown_) return OOM(err);                                                             \
        if (n) memcpy(grown_, (arr), (n) * sizeof *(arr));                                        \
        (arr) = grown_;                                                                           \
        (arr)[(n)++] = (value);                                                                   \
    } while (0)

static fow_code row_label(detail_loading *L, sqlite3_stmt *st, fow_error *err) {
    fow_occupation_detail *d = L->d;
    fow_label l = {col(&d->arena, st, 0), col(&d->arena, st, 1), sqlite3_column_int(st, 2) != 0};
    ARENA_PUSH(d, d->labels, d->n_labels, l);
    return FOW_OK;
}

static fow_code row_skill(detail_loading *L, sqlite3_stmt *st, fow_error *err) {
    fow_occupation_detail *d = L->d;
    fow_occupation_skill s = {sqlite3_column_int64(st, 0), col(&d->arena, st, 1), col(&d->arena, st, 2),
                              col(&d->arena, st, 3), sqlite3_column_int(st, 4) != 0};
    ARENA_PUSH(d, d->skills, d->n_skills, s);
    return FOW_OK;
}

static fow_occupation_ref ref_at(fow_occupation_detail *d, sqlite3_stmt *st, int i) {
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return (fow_occupation_ref){0, "", "", ""};
    return (fow_occupation_ref){sqlite3_column_int64(st, i), col(&d->arena, st, i + 1), col(&d->arena, st, i + 2),
                                col(&d->arena, st, i + 3)};
}

static fow_code row_risk(detail_loading *L, sqlite3_stmt *st, fow_error *err) {
    fow_occupation_detail *d = L->d;
    const fow_source_text *src;
    fow_code rc = detail_source(L, st, 10, &src, err);
    if (rc) return rc;
    fow_risk_estimate r = {col(&d->arena, st, 0), sqlite3_column_double(st, 1), col_double(st, 2),
                           col(&d->arena, st, 3), col(&d->arena, st, 4), col(&d->arena, st, 5),
                           ref_at(d, st, 6), src->name, src->version, src->licence};
    ARENA_PUSH(d, d->risks, d->n_risks, r);
    return FOW_OK;
}

static fow_code row_group_risk(detail_loading *L, sqlite3_stmt *st, fow_error *err) {
    fow_occupation_detail *d = L->d;
    const fow_source_text *src;
    fow_code rc = detail_source(L, st, 5, &src, err);
    if (rc) return rc;
    fow_group_risk g = {col(&d->arena, st, 0), col(&d->arena, st, 1), sqlite3_column_double(st, 2),
                        col_double(st, 3), col(&d->arena, st, 4), src->name, src->version};
    ARENA_PUSH(d, d->group_risks, d->n_group_risks, g);
    return FOW_OK;
}

static fow_code row_attributes(detail_loading *L, sqlite3_stmt *st, fow_error *err) {
    fow_occupation_detail *d = L->d;
    const fow_source_text *src;
    fow_code rc = detail_source(L, st, 14, &src, err);
    if (rc) return rc;
    fow_occupation_attributes *a = &d->attributes;
    a->present = true;
    a->job_zone = col_double(st, 0);
    a->education_level = col_double(st, 1);
    a->related_work_experience = col_double(st, 2);
    a->on_the_job_training = col_double(st, 3);
    a->annual_earnings_gbp = col_double(st, 4);
    a->remote_labor_index = col_double(st, 5);
    a->physical_proximity = col_double(st, 6);
    a->skills_sector = col(&d->arena, st, 7);
    a->skills_subsector = col(&d->arena, st, 8);
    a->method = col(&d->arena, st, 9);
    a->from = ref_at(d, st, 10);
    a->source_name = src->name;
    a->source_version = src->version;
    return FOW_OK;
}

static fow_code row_parent(detail_loading *L, sqlite3_stmt *st, fow_error *err) {
    fow_occupation_detail *d = L->d;
    fow_occupation_ref r = ref_at(d, st, 0);
    ARENA_PUSH(d, d->parents, d->n_parents, r);
    return FOW_OK;
}

static fow_code row_child(detail_loading *L, sqlite3_stmt *st, fow_error *err) {
    fow_occupation_detail *d = L->d;
    fow_occupation_ref r = ref_at(d, st, 0);
    ARENA_PUSH(d, d->children, d->n_children, r);
    return FOW_OK;
}

static fow_code row_self(detail_loading *L, sqlite3_stmt *st, fow_error *err) {
    fow_occupation_detail *d = L->d;
    const fow_source_text *src;
    fow_code rc = detail_source(L, st, 7, &src, err);
    if (rc) return rc;
    d->self = ref_at(d, st, 0);
    d->isco_group = col(&d->arena, st, 4);
    d->lang = col(&d->arena, st, 5);
    d->description = col(&d->arena, st, 6);
    d->source_name = src->name;
    d->source_version = src->version;
    return FOW_OK;
}

fow_code fow_occupation_detail_load(fow_db *db, int64_t id, fow_occupation_detail *d, fow_error *err) {
    memset(d, 0, sizeof *d);
    fow_arena_init(&d->arena, 16 * 1024);
    detail_loading loading = {db, d, 0, {{0}}};
    detail_loading *L = &loading;
    fow_code rc = fow_db_exec(db, "BEGIN", err);
    if (rc) return rc;
    rc = each_row(db, L,
                  "SELECT o.id, o.uri, o.code, o.label, o.isco_group, o.lang, o.description, o.source_id "
                  "FROM occupations o WHERE o.id = ?",
                  id, row_self, err);
    if (!rc && d->self.id == 0)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "occupation", "no occupation with id %lld", (long long)id);
    if (!rc)
        rc = each_row(db, L,
                      "SELECT lang, label, preferred FROM occupation_labels WHERE occupation_id = ? "
                      "ORDER BY lang, preferred DESC, label",
                      id, row_label, err);
    /* the ISCO path: every prefix of the unit group */
    for (size_t k = 1; !rc && d->isco_group && k <= strlen(d->isco_group) && k <= 4; k++) {
        char code[8];
        snprintf(code, sizeof code, "%.*s", (int)k, d->isco_group);
        sqlite3_stmt *st;
        rc = fow_db_prepare(db, "SELECT label FROM isco_groups WHERE code = ?", &st, err);
        if (rc) break;
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
        const char *label = "";
        if (sqlite3_step(st) == SQLITE_ROW) label = col(&d->arena, st, 0);
        sqlite3_finalize(st);
        const char *c = fow_arena_strdup(&d->arena, code);
        if (!c) rc = OOM(err);
        else d->isco_path[d->n_isco_path++] = (fow_isco_level){c, label};
    }
    if (!rc)
        rc = each_row(db, L,
                      "SELECT s.id, coalesce(s.uri, ''), s.label, coalesce(s.skill_type, ''), max(r.essential) "
                      "FROM occupation_skills r JOIN skills s ON s.id = r.skill_id WHERE r.occupation_id = ? "
                      "GROUP BY s.id ORDER BY max(r.essential) DESC, s.label",
                      id, row_skill, err);
    if (!rc)
        rc = each_row(db, L,
                      "SELECT r.model, r.risk, r.prevalence, r.category, r.method, r.detail, "
                      "  f.id, f.uri, f.code, f.label, r.source_id "
                      "FROM occupation_risk r "
                      "LEFT JOIN occupations f ON f.id = r.from_occupation_id "
                      "WHERE r.occupation_id = ? ORDER BY r.model DESC",
                      id, row_risk, err);
    if (!rc)
        rc = each_row(db, L,
                      "SELECT g.model, g.isco_code, g.risk, g.prevalence, g.category, g.source_id "
                      "FROM isco_risk g "
                      "JOIN occupations o ON o.id = ?1 "
                      "WHERE o.isco_group LIKE g.isco_code || '%' ORDER BY g.model, length(g.isco_code) DESC",
                      id, row_group_risk, err);
    if (!rc)
        rc = each_row(db, L,
                      "SELECT a.job_zone, a.education_level, a.related_work_experience, a.on_the_job_training, "
                      "  a.annual_earnings_gbp, a.remote_labor_index, a.physical_proximity, a.skills_sector, "
                      "  a.skills_subsector, a.method, f.id, f.uri, f.code, f.label, a.source_id "
                      "FROM occupation_attributes a "
                      "LEFT JOIN occupations f ON f.id = a.from_occupation_id WHERE a.occupation_id = ?",
                      id, row_attributes, err);
    if (!rc)
        rc = each_row(db, L,
                      "SELECT o.id, o.uri, o.code, o.label FROM occupation_parents p "
                      "JOIN occupations o ON o.id = p.parent_id WHERE p.occupation_id = ? ORDER BY o.label",
                      id, row_parent, err);
    if (!rc)
        rc = each_row(db, L,
                      "SELECT o.id, o.uri, o.code, o.label FROM occupation_parents p "
                      "JOIN occupations o ON o.id = p.occupation_id WHERE p.parent_id = ? ORDER BY o.label",
                      id, row_child, err);
    fow_db_exec(db, "COMMIT", NULL);
    return rc;
}

void fow_occupation_detail_free(fow_occupation_detail *d) {
    if (!d) return;
    fow_arena_free(&d->arena);
    memset(d, 0, sizeof *d);
}

fow_code fow_risk_ranking_load(fow_db *db, const char *model, size_t limit, bool own_only,
                               fow_risk_ranking *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    fow_arena_init(&out->arena, 16 * 1024);
    if (!model || (strcmp(model, "mcc") != 0 && strcmp(model, "frey-osborne") != 0))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "model", "model must be 'mcc' or 'frey-osborne', not '%.60s'",
                                model ? model : "");
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT o.id, o.uri, o.code, o.label, o.isco_group, r.risk, r.prevalence, "
                                 "  r.category, r.method, count(*) OVER () "
                                 "FROM occupation_risk r JOIN occupations o ON o.id = r.occupation_id "
                                 "WHERE r.model = ?1 AND (?2 = 0 OR r.method = 'own') "
                                 "ORDER BY r.risk DESC, o.label LIMIT ?3",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, own_only);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
    out->rows = fow_arena_alloc(&out->arena, (limit + 1) * sizeof *out->rows);
    if (!out->rows) rc = OOM(err);
    int r = SQLITE_DONE;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        fow_risk_row *row = &out->rows[out->n_rows++];
        row->occupation = (fow_occupation_ref){sqlite3_column_int64(st, 0), col(&out->arena, st, 1),
                                               col(&out->arena, st, 2), col(&out->arena, st, 3)};
        row->isco_group = col(&out->arena, st, 4);
        row->risk = sqlite3_column_double(st, 5);
        row->prevalence = col_double(st, 6);
        row->category = col(&out->arena, st, 7);
        row->method = col(&out->arena, st, 8);
        out->n_total = (size_t)sqlite3_column_int64(st, 9);
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "ranking occupations");
    sqlite3_finalize(st);
    if (rc) return rc;
    /* the source of the model's own values */
    char dataset[64];
    snprintf(dataset, sizeof dataset, "risk:%s:occupation", model);
    long long source_id = 0;
    bool same;
    fow_source_text source;
    if (fow_source_find(db, dataset, NULL, &source_id, &same, NULL) == FOW_OK && source_id &&
        fow_source_get(db, source_id, &out->arena, &source, NULL) == FOW_OK) {
        out->source_name = source.name;
        out->source_version = source.version;
    }
    return FOW_OK;
}

void fow_risk_ranking_free(fow_risk_ranking *ranking) {
    if (!ranking) return;
    fow_arena_free(&ranking->arena);
    memset(ranking, 0, sizeof *ranking);
}

fow_code fow_db_stats_load(fow_db *db, fow_db_stats *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    struct {
        const char *sql;
        long long *value;
    } q[] = {
        {"SELECT count(*) FROM occupations", &out->occupations},
        {"SELECT count(*) FROM skills", &out->skills},
        {"SELECT count(*) FROM occupation_skills", &out->relations},
        {"SELECT count(*) FROM isco_groups", &out->isco_groups},
        {"SELECT count(*) FROM occupation_parents", &out->parents},
        {"SELECT (SELECT count(*) FROM occupation_labels) + (SELECT count(*) FROM skill_labels)", &out->labels},
        {"SELECT count(*) FROM (SELECT lang FROM occupation_labels UNION SELECT lang FROM skill_labels)", &out->languages},
        {"SELECT count(*) FROM occupation_risk WHERE model = 'mcc'", &out->risk_mcc},
        {"SELECT count(*) FROM occupation_risk WHERE model = 'frey-osborne'", &out->risk_frey_osborne},
        {"SELECT count(*) FROM occupation_attributes", &out->attributes},
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        fow_code rc = fow_db_query_int(db, q[i].sql, q[i].value, err);
        if (rc) return rc;
    }
    return fow_sources_count(db, &out->sources, err);
}

/* ---- what other modules read (taxonomy_store.h) ---- */

/* Adds the rows of "SELECT key, value ..." to map (rows with a NULL key are
 * skipped). */
static fow_code load_map(fow_db *db, const char *sql, fow_strmap *map, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, sql, &st, err);
    if (rc) return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(st, 0);
        if (!key) continue;
        if (fow_strmap_put(map, key, (size_t)sqlite3_column_bytes(st, 0), sqlite3_column_int64(st, 1)) != 0) {
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
            break;
        }
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading the database");
    sqlite3_finalize(st);
    return rc;
}

fow_code fow_taxonomy_occupation_ids(fow_db *db, fow_strmap *map, fow_error *err) {
    return load_map(db, "SELECT uri, id FROM occupations", map, err);
}

fow_code fow_taxonomy_isco_codes(fow_db *db, fow_strmap *map, fow_error *err) {
    return load_map(db, "SELECT code, 1 FROM isco_groups", map, err);
}

fow_code fow_taxonomy_each_isco_group(fow_db *db,
                                      fow_code (*visit)(void *ctx, const char *code, const char *label, fow_error *err),
                                      void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT code, label FROM isco_groups", &st, err);
    if (rc) return rc;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = visit(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                        err)) != FOW_OK)
            break;
    if (!rc && step != SQLITE_DONE) rc = fow_db_error(db, err, "reading ISCO groups");
    sqlite3_finalize(st);
    return rc;
}

fow_code fow_taxonomy_each_occupation_risk(fow_db *db,
                                           fow_code (*visit)(void *ctx, const fow_stored_risk *row, fow_error *err),
                                           void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc =
        fow_db_prepare(db, "SELECT occupation_id, model, risk, category, method FROM occupation_risk", &st, err);
    if (rc) return rc;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        fow_stored_risk row = {sqlite3_column_int64(st, 0),
                               NULL,
                               (const char *)sqlite3_column_text(st, 1),
                               sqlite3_column_double(st, 2),
                               (const char *)sqlite3_column_text(st, 3),
                               (const char *)sqlite3_column_text(st, 4)};
        if ((rc = visit(ctx, &row, err)) != FOW_OK) break;
    }
    if (!rc && step != SQLITE_DONE) rc = fow_db_error(db, err, "reading occupation risk");
    sqlite3_finalize(st);
    return rc;
}

fow_code fow_taxonomy_each_isco_risk(fow_db *db,
                                     fow_code (*visit)(void *ctx, const fow_stored_risk *row, fow_error *err),
                                     void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT isco_code, model, risk, category FROM isco_risk", &st, err);
    if (rc) return rc;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        fow_stored_risk row = {0,
                               (const char *)sqlite3_column_text(st, 0),
                               (const char *)sqlite3_column_text(st, 1),
                               sqlite3_column_double(st, 2),
                               (const char *)sqlite3_column_text(st, 3),
                               NULL};
        if ((rc = visit(ctx, &row, err)) != FOW_OK) break;
    }
    if (!rc && step != SQLITE_DONE) rc = fow_db_error(db, err, "reading ISCO risk");
    sqlite3_finalize(st);
    return rc;
}
