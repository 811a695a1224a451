/* taxonomy_store.c — the SQL of the taxonomy module: the only file that
 * reads or writes its tables (see taxonomy_store.h for the list). */
#include "taxonomy/taxonomy_store.h"

#include "store/fow_db_check.h"
#include "taxonomy/fow_import.h"
#include "taxonomy/fow_taxonomy_check.h"
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
                                "no occupation has the id, URI, code or label '%s': search for one of its words", key);
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
    fow_code rc = fow_db_read_begin(db, err);
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
    fow_db_read_end(db);
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
static fow_code load_map_with(fow_db *db, const char *sql, const int64_t *param, fow_strmap *map,
                              fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, sql, &st, err);
    if (rc) return rc;
    if (param) sqlite3_bind_int64(st, 1, *param);
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

static fow_code load_map(fow_db *db, const char *sql, fow_strmap *map, fow_error *err) {
    return load_map_with(db, sql, NULL, map, err);
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

/* ---- derived values ----
 * Values fow computes from imported data: risk and attributes inherited by
 * nested occupations, Frey & Osborne probabilities reached through the
 * crosswalks. Recomputed whole after every import. */

/* Copies each model's value from the nearest ancestor that has one to the
 * occupations that have none, one generation per statement. */
static const char inherit_risk_sql[] =
    "INSERT INTO occupation_risk(occupation_id, model, risk, prevalence, category, risk_nonphysical, "
    "  prevalence_nonphysical, onet_code, method, from_occupation_id, detail, source_id) "
    "SELECT p.occupation_id, r.model, r.risk, r.prevalence, r.category, r.risk_nonphysical, "
    "  r.prevalence_nonphysical, r.onet_code, 'inherited', "
    "  CASE WHEN r.method = 'inherited' THEN r.from_occupation_id ELSE r.occupation_id END, r.detail, r.source_id "
    "FROM occupation_parents p JOIN occupation_risk r ON r.occupation_id = p.parent_id "
    "WHERE NOT EXISTS (SELECT 1 FROM occupation_risk x WHERE x.occupation_id = p.occupation_id AND x.model = r.model) "
    "ORDER BY p.occupation_id, p.parent_id "
    "ON CONFLICT DO NOTHING";

static const char inherit_attributes_sql[] =
    "INSERT INTO occupation_attributes(occupation_id, job_zone, education_level, related_work_experience, "
    "  on_the_job_training, annual_earnings_gbp, remote_labor_index, physical_proximity, skills_sector, "
    "  skills_subsector, method, from_occupation_id, source_id) "
    "SELECT p.occupation_id, a.job_zone, a.education_level, a.related_work_experience, a.on_the_job_training, "
    "  a.annual_earnings_gbp, a.remote_labor_index, a.physical_proximity, a.skills_sector, a.skills_subsector, "
    "  'inherited', CASE WHEN a.method = 'inherited' THEN a.from_occupation_id ELSE a.occupation_id END, a.source_id "
    "FROM occupation_parents p JOIN occupation_attributes a ON a.occupation_id = p.parent_id "
    "WHERE NOT EXISTS (SELECT 1 FROM occupation_attributes x WHERE x.occupation_id = p.occupation_id) "
    "ORDER BY p.occupation_id, p.parent_id "
    "ON CONFLICT DO NOTHING";

static fow_code repeat_until_stable(fow_db *db, const char *sql, fow_error *err) {
    /* each pass reaches one level deeper; ESCO nests a few levels at most,
     * and a cycle in the parents stops adding rows, so this ends */
    for (int depth = 0; depth < 64; depth++) {
        fow_code rc = fow_db_exec(db, sql, err);
        if (rc) return rc;
        if (fow_db_changes(db) == 0) break;
    }
    return FOW_OK;
}

fow_code fow_derive_values(fow_db *db, fow_error *err) {
    fow_code rc = fow_db_exec(db,
                              "DELETE FROM occupation_risk WHERE method <> 'own';"
                              "DELETE FROM occupation_attributes WHERE method <> 'own';",
                              err);
    /* Frey & Osborne through the occupation's own O*NET code: an O*NET-SOC
     * code's first 7 characters are its SOC 2010 code. The most confident
     * mapping wins. */
    if (!rc)
        rc = fow_db_exec(
            db,
            "INSERT INTO occupation_risk(occupation_id, model, risk, onet_code, method, detail, source_id) "
            "SELECT o.id, s.model, s.probability, c.onet_code, 'crosswalk-onet', "
            "  'O*NET-SOC ' || c.onet_code || ' to SOC 2010 ' || s.soc_code || coalesce(' (' || s.title || ')', ''), "
            "  s.source_id "
            "FROM occupations o JOIN crosswalk_esco_onet c ON c.occupation_uri = o.uri "
            "JOIN soc_risk s ON s.soc_code = substr(c.onet_code, 1, 7) "
            "WHERE NOT EXISTS (SELECT 1 FROM occupation_risk x WHERE x.occupation_id = o.id AND x.model = s.model) "
            "ORDER BY o.id, c.confidence DESC, c.onet_code "
            "ON CONFLICT DO NOTHING",
            err);
    if (!rc) rc = repeat_until_stable(db, inherit_risk_sql, err);
    /* what is still missing: the mean over the SOC codes that the BLS
     * crosswalk maps the occupation's ISCO-08 unit group to */
    /* (the unit group first; where the crosswalk only has the minor
     * group, that) */
    for (int digits = 4; digits >= 3 && !rc; digits--) {
        char sql[1200];
        snprintf(sql, sizeof sql,
                 "INSERT INTO occupation_risk(occupation_id, model, risk, method, detail, source_id) "
                 "SELECT o.id, s.model, avg(s.probability), 'crosswalk-isco', "
                 "  'mean of ' || count(*) || ' SOC 2010 codes mapped from ISCO-08 ' || x.isco_code, "
                 "  min(s.source_id) "
                 "FROM occupations o JOIN crosswalk_isco_soc x ON x.isco_code = substr(o.isco_group, 1, %d) "
                 "JOIN soc_risk s ON s.soc_code = x.soc_code "
                 "WHERE NOT EXISTS (SELECT 1 FROM occupation_risk r WHERE r.occupation_id = o.id "
                 "  AND r.model = s.model) "
                 "GROUP BY o.id, s.model",
                 digits);
        rc = fow_db_exec(db, sql, err);
    }
    if (!rc) rc = repeat_until_stable(db, inherit_attributes_sql, err);
    return rc;
}

/* ---- the search index: the folded labels the search runs over ---- */

fow_code fow_search_index_rebuild(fow_db *db, fow_error *err) {
    fow_code rc = fow_db_exec(db, "DELETE FROM search_terms", err);
    if (rc) return rc;
    sqlite3_stmt *sel, *ins;
    rc = fow_db_prepare(db,
                        "SELECT 0, occupation_id, lang, preferred, label FROM occupation_labels "
                        "UNION ALL SELECT 1, skill_id, lang, preferred, label FROM skill_labels",
                        &sel, err);
    if (rc) return rc;
    rc = fow_db_prepare(db,
                        "INSERT INTO search_terms(folded, kind, entity_id, lang, preferred, label) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        &ins, err);
    if (rc) {
        sqlite3_finalize(sel);
        return rc;
    }
    int r;
    while ((r = sqlite3_step(sel)) == SQLITE_ROW) {
        const char *label = (const char *)sqlite3_column_text(sel, 4);
        size_t len = (size_t)sqlite3_column_bytes(sel, 4);
        size_t folded_len;
        char *folded = fow_text_fold(label, len, &folded_len, err);
        if (!folded) {
            rc = err ? err->code : FOW_EINPUT;
            break;
        }
        sqlite3_bind_text(ins, 1, folded, (int)folded_len, free);
        sqlite3_bind_int(ins, 2, sqlite3_column_int(sel, 0));
        sqlite3_bind_int64(ins, 3, sqlite3_column_int64(sel, 1));
        sqlite3_bind_value(ins, 4, sqlite3_column_value(sel, 2));
        sqlite3_bind_int(ins, 5, sqlite3_column_int(sel, 3));
        sqlite3_bind_text(ins, 6, label, (int)len, SQLITE_TRANSIENT);
        int s = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (s != SQLITE_DONE) {
            rc = fow_db_error(db, err, "writing the search index");
            break;
        }
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading labels");
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    return rc;
}

/* ---- occupation facts written by the importers ---- */

static const char *const fact_table_names[] = {
    "occupation_risk",  "isco_risk",   "soc_risk",    "occupation_attributes", "crosswalk_isco_soc",
    "crosswalk_esco_onet", "isco_groups", "occupations", "skills",            "occupation_labels",
    "skill_labels",     "occupation_skills", "occupation_parents"};

static const char *const fact_inserts[] = {
    "INSERT INTO occupation_risk(occupation_id, model, risk, prevalence, category, risk_nonphysical, "
    "prevalence_nonphysical, onet_code, method, source_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'own', ?9)",
    "INSERT INTO isco_risk(isco_code, model, risk, prevalence, category, source_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?9)",
    "INSERT INTO soc_risk(soc_code, model, probability, title, source_id) VALUES (?1, ?2, ?3, ?10, ?9)",
    "INSERT INTO occupation_attributes(occupation_id, job_zone, education_level, "
    "related_work_experience, on_the_job_training, annual_earnings_gbp, remote_labor_index, "
    "physical_proximity, skills_sector, skills_subsector, method, source_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'own', ?11)",
    "INSERT INTO crosswalk_isco_soc(isco_code, soc_code, source_id) VALUES (?1, ?2, ?4)",
    "INSERT INTO crosswalk_esco_onet(occupation_uri, onet_code, confidence, source_id) VALUES (?1, ?2, ?3, ?4)",
    "INSERT INTO isco_groups(code, label, source_id) VALUES (?, ?, ?) "
    "ON CONFLICT(code) DO UPDATE SET label = excluded.label, source_id = excluded.source_id",
    "INSERT INTO occupations(uri, code, isco_group, label, lang, description, source_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "INSERT INTO skills(label, uri, skill_type, reuse_level, green, digital, transversal, language, lang, "
    "description, source_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    /* a label repeated as preferred and alternative keeps the preferred mark */
    "INSERT INTO occupation_labels(occupation_id, lang, label, preferred, source_id) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT(occupation_id, lang, label) DO UPDATE SET preferred = "
    "CASE WHEN excluded.preferred > occupation_labels.preferred THEN excluded.preferred "
    "ELSE occupation_labels.preferred END",
    "INSERT INTO skill_labels(skill_id, lang, label, preferred, source_id) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT(skill_id, lang, label) DO UPDATE SET preferred = "
    "CASE WHEN excluded.preferred > skill_labels.preferred THEN excluded.preferred ELSE skill_labels.preferred END",
    "INSERT INTO occupation_skills(occupation_id, skill_id, essential, source_id) VALUES (?1, ?2, ?3, ?4)",
    "INSERT INTO occupation_parents(occupation_id, parent_id, source_id) VALUES (?1, ?2, ?4)",
};

/* The statements that update an existing occupation or skill. */
static const char update_occupation_sql[] =
    "UPDATE occupations SET code = ?2, isco_group = ?3, label = ?4, lang = ?5, description = ?6 WHERE id = ?8";
static const char update_skill_sql[] =
    "UPDATE skills SET label = ?1, uri = ?2, skill_type = ?3, reuse_level = ?4, green = ?5, digital = ?6, "
    "transversal = ?7, language = ?8, lang = ?9, description = ?10 WHERE id = ?12";

static const char *const fact_writing[] = {
    "writing risk estimates", "writing risk estimates", "writing risk estimates", "writing attributes",
    "writing the crosswalk",  "writing the crosswalk",  "writing ISCO groups",    "writing occupations",
    "writing skills",         "writing labels",         "writing labels",         "writing occupation skills",
    "writing occupation parents"};

struct taxonomy_writer {
    fow_db *db;
    taxonomy_fact_table table;
    sqlite3_stmt *insert; /* or, for a skill flag, the statement that sets it */
    sqlite3_stmt *update; /* occupations and skills */
};

fow_code taxonomy_store_clear_source(fow_db *db, taxonomy_fact_table table, int64_t source_id, fow_error *err) {
    char sql[96];
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE source_id = ?", fact_table_names[table]);
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, sql, &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, source_id);
    if (sqlite3_step(st) != SQLITE_DONE) rc = fow_db_error(db, err, "replacing the earlier import");
    sqlite3_finalize(st);
    return rc;
}

fow_code taxonomy_writer_open(fow_db *db, taxonomy_fact_table table, taxonomy_writer **out, fow_error *err) {
    *out = NULL;
    taxonomy_writer *w = calloc(1, sizeof *w);
    if (!w) return OOM(err);
    w->db = db;
    w->table = table;
    fow_code rc = fow_db_prepare(db, fact_inserts[table], &w->insert, err);
    if (!rc && table == TAXONOMY_OCCUPATIONS) rc = fow_db_prepare(db, update_occupation_sql, &w->update, err);
    if (!rc && table == TAXONOMY_SKILLS) rc = fow_db_prepare(db, update_skill_sql, &w->update, err);
    if (rc) {
        taxonomy_writer_close(w);
        return rc;
    }
    *out = w;
    return FOW_OK;
}

void taxonomy_writer_close(taxonomy_writer *w) {
    if (!w) return;
    sqlite3_finalize(w->insert);
    sqlite3_finalize(w->update);
    free(w);
}

static void bind_number(sqlite3_stmt *st, int i, double v) {
    if (isnan(v)) sqlite3_bind_null(st, i);
    else sqlite3_bind_double(st, i, v);
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s) {
    if (s && *s) sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

/* Steps the writer's insert, then resets it and clears its bindings. */
static fow_code writer_step(taxonomy_writer *w, fow_error *err) {
    int r = sqlite3_step(w->insert);
    sqlite3_reset(w->insert);
    sqlite3_clear_bindings(w->insert);
    return r == SQLITE_DONE ? FOW_OK : fow_db_error(w->db, err, fact_writing[w->table]);
}

fow_code taxonomy_writer_add_risk(taxonomy_writer *w, const taxonomy_risk_row *row, fow_error *err) {
    sqlite3_stmt *ins = w->insert;
    if (w->table == TAXONOMY_OCCUPATION_RISK) sqlite3_bind_int64(ins, 1, row->occupation_id);
    else sqlite3_bind_text(ins, 1, row->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, row->model, -1, SQLITE_STATIC);
    sqlite3_bind_double(ins, 3, row->risk);
    bind_number(ins, 4, row->prevalence);
    bind_text_or_null(ins, 5, row->category);
    if (w->table == TAXONOMY_OCCUPATION_RISK) {
        bind_number(ins, 6, row->risk_nonphysical);
        bind_number(ins, 7, row->prevalence_nonphysical);
        bind_text_or_null(ins, 8, row->onet_code);
    }
    sqlite3_bind_int64(ins, 9, row->source_id);
    if (w->table == TAXONOMY_SOC_RISK) bind_text_or_null(ins, 10, row->title);
    return writer_step(w, err);
}

fow_code taxonomy_writer_add_attributes(taxonomy_writer *w, int64_t occupation_id,
                                        const double values[TAXONOMY_N_ATTRIBUTE_VALUES], const char *sector,
                                        const char *subsector, int64_t source_id, fow_error *err) {
    sqlite3_stmt *ins = w->insert;
    sqlite3_bind_int64(ins, 1, occupation_id);
    for (int c = 0; c < TAXONOMY_N_ATTRIBUTE_VALUES; c++) bind_number(ins, 2 + c, values[c]);
    bind_text_or_null(ins, 9, sector);
    bind_text_or_null(ins, 10, subsector);
    sqlite3_bind_int64(ins, 11, source_id);
    return writer_step(w, err);
}

fow_code taxonomy_writer_add_crosswalk(taxonomy_writer *w, const char *from, const char *to, double confidence,
                                       int64_t source_id, fow_error *err) {
    sqlite3_stmt *ins = w->insert;
    sqlite3_bind_text(ins, 1, from, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, to, -1, SQLITE_STATIC);
    if (w->table == TAXONOMY_CROSSWALK_ESCO_ONET) bind_number(ins, 3, confidence);
    sqlite3_bind_int64(ins, 4, source_id);
    return writer_step(w, err);
}

/* ---- what the model loads ---- */

fow_code taxonomy_store_count(fow_db *db, taxonomy_counted what, long long *n, fow_error *err) {
    static const char *const sql[] = {"SELECT count(*) FROM occupations", "SELECT count(*) FROM skills",
                                      "SELECT count(*) FROM occupation_skills", "SELECT count(*) FROM search_terms"};
    return fow_db_query_int(db, sql[what], n, err);
}

static const char *text_or_empty(sqlite3_stmt *st, int i) {
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}

fow_code taxonomy_store_each_model_occupation(
    fow_db *db, fow_code (*visit)(void *ctx, const taxonomy_model_occupation *o, fow_error *err), void *ctx,
    fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT o.id, o.uri, o.code, o.isco_group, o.label, "
                                 "  (SELECT risk FROM occupation_risk r WHERE r.occupation_id = o.id AND r.model = 'mcc'), "
                                 "  (SELECT risk FROM occupation_risk r WHERE r.occupation_id = o.id AND r.model = 'frey-osborne'), "
                                 "  m.category, m.prevalence, a.job_zone, a.annual_earnings_gbp, a.skills_sector, "
                                 "  a.education_level, a.related_work_experience, a.on_the_job_training, "
                                 "  a.remote_labor_index, a.physical_proximity "
                                 "FROM occupations o "
                                 "LEFT JOIN occupation_risk m ON m.occupation_id = o.id AND m.model = 'mcc' "
                                 "LEFT JOIN occupation_attributes a ON a.occupation_id = o.id "
                                 "ORDER BY o.id",
                                 &st, err);
    if (rc) return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        taxonomy_model_occupation o = {sqlite3_column_int64(st, 0),
                                       text_or_empty(st, 1),
                                       text_or_empty(st, 2),
                                       text_or_empty(st, 3),
                                       text_or_empty(st, 4),
                                       col_double(st, 5),
                                       col_double(st, 6),
                                       (const char *)sqlite3_column_text(st, 7),
                                       col_double(st, 8),
                                       col_double(st, 9),
                                       col_double(st, 10),
                                       text_or_empty(st, 11),
                                       col_double(st, 12),
                                       col_double(st, 13),
                                       col_double(st, 14),
                                       col_double(st, 15),
                                       col_double(st, 16)};
        if ((rc = visit(ctx, &o, err)) != FOW_OK) break;
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "loading occupations");
    sqlite3_finalize(st);
    return rc;
}

fow_code taxonomy_store_each_parent(fow_db *db,
                                    fow_code (*visit)(void *ctx, int64_t occupation_id, int64_t parent_id,
                                                      fow_error *err),
                                    void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT occupation_id, parent_id FROM occupation_parents", &st, err);
    if (rc) return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = visit(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), err)) != FOW_OK) break;
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "loading occupation parents");
    sqlite3_finalize(st);
    return rc;
}

fow_code taxonomy_store_each_model_skill(fow_db *db,
                                         fow_code (*visit)(void *ctx, const taxonomy_model_skill *s, fow_error *err),
                                         void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT id, uri, label, CASE WHEN skill_type = 'knowledge' THEN 1 ELSE 0 END, "
                                 "green, digital, transversal, language FROM skills ORDER BY id",
                                 &st, err);
    if (rc) return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        taxonomy_model_skill s = {sqlite3_column_int64(st, 0),
                                  text_or_empty(st, 1),
                                  text_or_empty(st, 2),
                                  sqlite3_column_int(st, 3) != 0,
                                  sqlite3_column_int(st, 4) != 0,
                                  sqlite3_column_int(st, 5) != 0,
                                  sqlite3_column_int(st, 6) != 0,
                                  sqlite3_column_int(st, 7) != 0};
        if ((rc = visit(ctx, &s, err)) != FOW_OK) break;
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "loading skills");
    sqlite3_finalize(st);
    return rc;
}

fow_code taxonomy_store_each_requirement(fow_db *db,
                                         fow_code (*visit)(void *ctx, int64_t occupation_id, int64_t skill_id,
                                                           bool essential, fow_error *err),
                                         void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT occupation_id, skill_id, essential FROM occupation_skills "
                                 "ORDER BY occupation_id, skill_id, essential",
                                 &st, err);
    if (rc) return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = visit(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_int(st, 2) != 0,
                        err)) != FOW_OK)
            break;
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "loading occupation skills");
    sqlite3_finalize(st);
    return rc;
}

fow_code taxonomy_store_each_search_term(fow_db *db,
                                         fow_code (*visit)(void *ctx, const taxonomy_search_term *t, fow_error *err),
                                         void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    /* the index on folded gives byte order, the order the search expects */
    fow_code rc = fow_db_prepare(db,
                                 "SELECT folded, label, kind, entity_id, lang, preferred FROM search_terms "
                                 "ORDER BY folded",
                                 &st, err);
    if (rc) return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        taxonomy_search_term t;
        t.folded = text_or_empty(st, 0);
        t.folded_len = (size_t)sqlite3_column_bytes(st, 0);
        t.label = text_or_empty(st, 1);
        t.label_len = (size_t)sqlite3_column_bytes(st, 1);
        t.kind = sqlite3_column_int(st, 2);
        t.entity_id = sqlite3_column_int64(st, 3);
        t.lang = text_or_empty(st, 4);
        t.preferred = sqlite3_column_int(st, 5) != 0;
        if ((rc = visit(ctx, &t, err)) != FOW_OK) break;
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "loading the search index");
    sqlite3_finalize(st);
    return rc;
}

/* ---- what a taxonomy import writes ---- */

fow_code taxonomy_store_load_keys(fow_db *db, int64_t source_id, fow_strmap *occupation_ids, fow_strmap *skill_ids,
                                  fow_strmap *skill_uris, fow_error *err) {
    fow_code rc = load_map_with(db, "SELECT uri, CASE source_id WHEN ?1 THEN id ELSE -id END FROM occupations",
                                &source_id, occupation_ids, err);
    if (!rc)
        rc = load_map_with(db, "SELECT label, CASE source_id WHEN ?1 THEN id ELSE -id END FROM skills", &source_id,
                           skill_ids, err);
    if (!rc) rc = load_map(db, "SELECT uri, id FROM skills WHERE uri IS NOT NULL", skill_uris, err);
    return rc;
}

fow_code taxonomy_store_each_key_of_source(fow_db *db, taxonomy_fact_table table, int64_t source_id,
                                           fow_code (*visit)(void *ctx, int64_t id, const char *key, size_t key_len,
                                                             fow_error *err),
                                           void *ctx, fow_error *err) {
    sqlite3_stmt *sel;
    fow_code rc = fow_db_prepare(db,
                                 table == TAXONOMY_OCCUPATIONS ? "SELECT id, uri FROM occupations WHERE source_id = ?"
                                                               : "SELECT id, label FROM skills WHERE source_id = ?",
                                 &sel, err);
    if (rc) return rc;
    sqlite3_bind_int64(sel, 1, source_id);
    int r;
    while ((r = sqlite3_step(sel)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(sel, 1);
        if (!key) continue;
        if ((rc = visit(ctx, sqlite3_column_int64(sel, 0), key, (size_t)sqlite3_column_bytes(sel, 1), err)) != FOW_OK)
            break;
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading old rows");
    sqlite3_finalize(sel);
    return rc;
}

fow_code taxonomy_store_delete_rows(fow_db *db, taxonomy_fact_table table, const int64_t *ids, size_t n,
                                    fow_error *err) {
    if (!n) return FOW_OK;
    sqlite3_stmt *del;
    fow_code rc = fow_db_prepare(db,
                                 table == TAXONOMY_OCCUPATIONS ? "DELETE FROM occupations WHERE id = ?"
                                                               : "DELETE FROM skills WHERE id = ?",
                                 &del, err);
    if (rc) return rc;
    for (size_t i = 0; !rc && i < n; i++) {
        sqlite3_bind_int64(del, 1, ids[i]);
        int r = sqlite3_step(del);
        sqlite3_reset(del);
        sqlite3_clear_bindings(del);
        if (r != SQLITE_DONE) rc = fow_db_error(db, err, "removing rows a newer version dropped");
    }
    sqlite3_finalize(del);
    return rc;
}

fow_code taxonomy_store_source_lang(fow_db *db, int64_t source_id, char *lang, size_t n, fow_error *err) {
    lang[0] = '\0';
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT lang FROM occupations WHERE source_id = ? LIMIT 1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, source_id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) snprintf(lang, n, "%s", text_or_empty(st, 0));
    else if (r != SQLITE_DONE) rc = fow_db_error(db, err, "reading sources");
    sqlite3_finalize(st);
    return rc;
}

fow_code taxonomy_writer_add_group(taxonomy_writer *w, const char *code, const char *label, int64_t source_id,
                                   fow_error *err) {
    sqlite3_bind_text(w->insert, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(w->insert, 2, label, -1, SQLITE_STATIC);
    sqlite3_bind_int64(w->insert, 3, source_id);
    return writer_step(w, err);
}

/* Steps an INSERT (then *id is the new row's id) or an UPDATE (*id is left
 * as it is); *constraint tells whether it failed on a constraint. Resets
 * the statement. */
static fow_code step_returning(taxonomy_writer *w, sqlite3_stmt *st, int64_t *id, bool *constraint,
                               fow_error *err) {
    *constraint = false;
    int r = sqlite3_step(st);
    fow_code rc = FOW_OK;
    if (r == SQLITE_DONE && st == w->insert) *id = fow_db_last_insert_id(w->db);
    else if (r == SQLITE_CONSTRAINT) *constraint = true;
    else if (r != SQLITE_DONE) rc = fow_db_error(w->db, err, fact_writing[w->table]);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

fow_code taxonomy_writer_put_occupation(taxonomy_writer *w, int64_t existing, const taxonomy_entity_row *row,
                                        int64_t *id, fow_error *err) {
    sqlite3_stmt *st = existing ? w->update : w->insert;
    if (!existing) sqlite3_bind_text(st, 1, row->uri, -1, SQLITE_STATIC);
    bind_text_or_null(st, 2, row->code);
    bind_text_or_null(st, 3, row->isco_group);
    sqlite3_bind_text(st, 4, row->label, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, row->lang, -1, SQLITE_STATIC);
    bind_text_or_null(st, 6, row->description);
    if (existing) sqlite3_bind_int64(st, 8, existing);
    else sqlite3_bind_int64(st, 7, row->source_id);
    *id = existing;
    bool constraint;
    fow_code rc = step_returning(w, st, id, &constraint, err);
    if (!rc && constraint) rc = fow_db_error(w->db, err, fact_writing[w->table]);
    return rc;
}

fow_code taxonomy_writer_put_skill(taxonomy_writer *w, int64_t existing, const taxonomy_entity_row *row,
                                   int64_t *id, bool *clash, fow_error *err) {
    sqlite3_stmt *st = existing ? w->update : w->insert;
    sqlite3_bind_text(st, 1, row->label, -1, SQLITE_STATIC);
    bind_text_or_null(st, 2, row->uri);
    bind_text_or_null(st, 3, row->skill_type);
    bind_text_or_null(st, 4, row->reuse_level);
    sqlite3_bind_int(st, 5, row->green);
    sqlite3_bind_int(st, 6, row->digital);
    sqlite3_bind_int(st, 7, row->transversal);
    sqlite3_bind_int(st, 8, row->language);
    sqlite3_bind_text(st, 9, row->lang, -1, SQLITE_STATIC);
    bind_text_or_null(st, 10, row->description);
    if (existing) sqlite3_bind_int64(st, 12, existing);
    else sqlite3_bind_int64(st, 11, row->source_id);
    *id = existing;
    return step_returning(w, st, id, clash, err);
}

fow_code taxonomy_writer_add_label(taxonomy_writer *w, int64_t entity_id, const char *lang, const char *label,
                                   bool preferred, int64_t source_id, fow_error *err) {
    sqlite3_bind_int64(w->insert, 1, entity_id);
    sqlite3_bind_text(w->insert, 2, lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(w->insert, 3, label, -1, SQLITE_STATIC);
    sqlite3_bind_int(w->insert, 4, preferred);
    sqlite3_bind_int64(w->insert, 5, source_id);
    return writer_step(w, err);
}

fow_code taxonomy_writer_add_pair(taxonomy_writer *w, int64_t first, int64_t second, bool essential,
                                  int64_t source_id, bool *clash, fow_error *err) {
    sqlite3_bind_int64(w->insert, 1, first);
    sqlite3_bind_int64(w->insert, 2, second);
    if (w->table == TAXONOMY_OCCUPATION_SKILLS) sqlite3_bind_int(w->insert, 3, essential);
    sqlite3_bind_int64(w->insert, 4, source_id);
    int64_t unused = 0;
    return step_returning(w, w->insert, &unused, clash, err);
}

fow_code taxonomy_store_find_parent_cycle(fow_db *db,
                                          fow_code (*visit)(void *ctx, const char *uri, fow_error *err), void *ctx,
                                          fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "WITH RECURSIVE up(start, node, depth) AS ("
                                 "  SELECT occupation_id, parent_id, 1 FROM occupation_parents "
                                 "  UNION ALL SELECT up.start, p.parent_id, up.depth + 1 FROM up "
                                 "  JOIN occupation_parents p ON p.occupation_id = up.node "
                                 "  WHERE up.node <> up.start AND up.depth < 100) "
                                 "SELECT o.uri FROM up JOIN occupations o ON o.id = up.start "
                                 "WHERE up.node = up.start LIMIT 1",
                                 &st, err);
    if (rc) return rc;
    if (sqlite3_step(st) == SQLITE_ROW) rc = visit(ctx, (const char *)sqlite3_column_text(st, 0), err);
    sqlite3_finalize(st);
    return rc;
}

static const char *const skill_flag_columns[TAXONOMY_N_SKILL_FLAGS] = {"green", "digital", "transversal", "language"};

fow_code taxonomy_store_clear_skill_flag(fow_db *db, int flag, int64_t source_id, fow_error *err) {
    char sql[96];
    snprintf(sql, sizeof sql, "UPDATE skills SET %s = 0 WHERE source_id = ?", skill_flag_columns[flag]);
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, sql, &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, source_id);
    if (sqlite3_step(st) != SQLITE_DONE) rc = fow_db_error(db, err, "writing skill collections");
    sqlite3_finalize(st);
    return rc;
}

fow_code taxonomy_writer_open_skill_flag(fow_db *db, int flag, taxonomy_writer **out, fow_error *err) {
    *out = NULL;
    taxonomy_writer *w = calloc(1, sizeof *w);
    if (!w) return OOM(err);
    w->db = db;
    w->table = TAXONOMY_SKILLS;
    char sql[96];
    snprintf(sql, sizeof sql, "UPDATE skills SET %s = 1 WHERE id = ?", skill_flag_columns[flag]);
    fow_code rc = fow_db_prepare(db, sql, &w->insert, err);
    if (rc) {
        free(w);
        return rc;
    }
    *out = w;
    return FOW_OK;
}

fow_code taxonomy_writer_set_skill_flag(taxonomy_writer *w, int64_t skill_id, fow_error *err) {
    sqlite3_bind_int64(w->insert, 1, skill_id);
    int r = sqlite3_step(w->insert);
    sqlite3_reset(w->insert);
    sqlite3_clear_bindings(w->insert);
    return r == SQLITE_DONE ? FOW_OK : fow_db_error(w->db, err, "writing skill collections");
}

/* ---- the expensive consistency checks of the taxonomy (fow_taxonomy_check.h) ----
 * Plain SQL of the portable subset (NOT EXISTS,
 * EXCEPT, WITH RECURSIVE ... UNION, ||) and the same derivation and
 * folding code that the imports run. */



#define CHECK_OOM(err) fow_error_set(err, FOW_ENOMEM, "out of memory checking the taxonomy")

/* How a row of each table is named in a problem (x is the row). */
#define ROW_OCCUPATION "'id ' || x.id || ', uri ' || x.uri"
#define ROW_SKILL "'id ' || x.id || ', label ' || x.label"
#define ROW_GROUP "'code ' || x.code"
#define ROW_RELATION "'occupation_id ' || x.occupation_id || ', skill_id ' || x.skill_id || ', essential ' || x.essential"
#define ROW_PARENT "'occupation_id ' || x.occupation_id || ', parent_id ' || x.parent_id"
#define ROW_OCC_LABEL "'occupation_id ' || x.occupation_id || ', lang ' || x.lang || ', label ' || x.label"
#define ROW_SKILL_LABEL "'skill_id ' || x.skill_id || ', lang ' || x.lang || ', label ' || x.label"
#define ROW_OCC_RISK "'occupation_id ' || x.occupation_id || ', model ' || x.model"
#define ROW_ISCO_RISK "'isco_code ' || x.isco_code || ', model ' || x.model"
#define ROW_SOC_RISK "'soc_code ' || x.soc_code || ', model ' || x.model"
#define ROW_ATTRIBUTES "'occupation_id ' || x.occupation_id"
#define ROW_XW_ISCO "'isco_code ' || x.isco_code || ', soc_code ' || x.soc_code"
#define ROW_XW_ONET "'occupation_uri ' || x.occupation_uri || ', onet_code ' || x.onet_code"

static fow_code check_references(fow_db *db, fow_check_report *report, const char *name, const char *what,
                                 const fow_db_reference *rules, size_t n_rules, fow_check_result **out,
                                 fow_error *err) {
    fow_check_result *c = fow_check_begin(report, name, what);
    if (!c) return CHECK_OOM(err);
    fow_code rc = FOW_OK;
    for (size_t i = 0; i < n_rules && !rc; i++) rc = fow_db_check_reference(db, c, &rules[i], err);
    if (out) *out = c;
    return rc;
}

/* ---- references -------------------------------------------------------------- */

static const fow_db_reference relation_rules[] = {
    {"occupation_skills", ROW_RELATION, "occupation_id", "occupations", "id"},
    {"occupation_skills", ROW_RELATION, "skill_id", "skills", "id"},
};

static const fow_db_reference parent_rules[] = {
    {"occupation_parents", ROW_PARENT, "occupation_id", "occupations", "id"},
    {"occupation_parents", ROW_PARENT, "parent_id", "occupations", "id"},
};

static const fow_db_reference label_rules[] = {
    {"occupation_labels", ROW_OCC_LABEL, "occupation_id", "occupations", "id"},
    {"skill_labels", ROW_SKILL_LABEL, "skill_id", "skills", "id"},
};

static const fow_db_reference value_rules[] = {
    {"occupation_risk", ROW_OCC_RISK, "occupation_id", "occupations", "id"},
    {"occupation_risk", ROW_OCC_RISK, "from_occupation_id", "occupations", "id"},
    {"occupation_attributes", ROW_ATTRIBUTES, "occupation_id", "occupations", "id"},
    {"occupation_attributes", ROW_ATTRIBUTES, "from_occupation_id", "occupations", "id"},
};

static const fow_db_reference source_rules[] = {
    {"isco_groups", ROW_GROUP, "source_id", "sources", "id"},
    {"occupations", ROW_OCCUPATION, "source_id", "sources", "id"},
    {"skills", ROW_SKILL, "source_id", "sources", "id"},
    {"occupation_labels", ROW_OCC_LABEL, "source_id", "sources", "id"},
    {"skill_labels", ROW_SKILL_LABEL, "source_id", "sources", "id"},
    {"occupation_skills", ROW_RELATION, "source_id", "sources", "id"},
    {"occupation_parents", ROW_PARENT, "source_id", "sources", "id"},
    {"occupation_risk", ROW_OCC_RISK, "source_id", "sources", "id"},
    {"isco_risk", ROW_ISCO_RISK, "source_id", "sources", "id"},
    {"soc_risk", ROW_SOC_RISK, "source_id", "sources", "id"},
    {"occupation_attributes", ROW_ATTRIBUTES, "source_id", "sources", "id"},
    {"crosswalk_isco_soc", ROW_XW_ISCO, "source_id", "sources", "id"},
    {"crosswalk_esco_onet", ROW_XW_ONET, "source_id", "sources", "id"},
};

#define N_RULES(rules) (sizeof(rules) / sizeof((rules)[0]))

/* No occupation is its own ancestor: a cycle would make inheritance
 * depend on where it is entered. */
static fow_code check_parent_cycles(fow_db *db, fow_check_result *c, fow_error *err) {
    return fow_db_check_rows(db, c,
                       "WITH RECURSIVE up(start, node) AS ("
                       "  SELECT occupation_id, parent_id FROM occupation_parents"
                       "  UNION SELECT up.start, p.parent_id FROM up"
                       "  JOIN occupation_parents p ON p.occupation_id = up.node) "
                       "SELECT 'occupation_id ' || start, start FROM up WHERE node = start ORDER BY start",
                       "occupation_parents", "occupation %s is its own ancestor (a cycle of parents)", err);
}

static fow_code check_groups(fow_db *db, fow_check_report *report, fow_error *err) {
    fow_check_result *c = fow_check_begin(report, "taxonomy.groups",
                                          "ISCO-08 codes of groups and of occupations are 1 to 4 digits");
    if (!c) return CHECK_OOM(err);
    static const struct {
        const char *table, *sql;
    } sources[] = {
        {"isco_groups", "SELECT 'code ' || code, code FROM isco_groups ORDER BY code"},
        {"occupations", "SELECT 'id ' || id || ', uri ' || uri, isco_group FROM occupations "
                        "WHERE isco_group IS NOT NULL AND isco_group <> '' ORDER BY id"},
    };
    for (size_t k = 0; k < sizeof sources / sizeof *sources; k++) {
        fow_code rc = fow_db_check_isco_codes(db, c, sources[k].sql, sources[k].table, true, err);
        if (rc) return rc;
    }
    return FOW_OK;
}

/* Risk values stay on their model's scale (mcc 1..5, frey-osborne 0..1),
 * shares on 0..1: what the risk import accepts. */
static fow_code check_value_ranges(fow_db *db, fow_check_result *c, fow_error *err) {
    static const struct {
        const char *table, *sql, *format;
    } rules[] = {
        {"occupation_risk",
         "SELECT " ROW_OCC_RISK ", x.risk FROM occupation_risk x WHERE NOT ((x.model = 'mcc' AND x.risk BETWEEN 1 AND 5) "
         "OR (x.model = 'frey-osborne' AND x.risk BETWEEN 0 AND 1))",
         "risk %s is not on the scale of its model (mcc 1 to 5, frey-osborne 0 to 1)"},
        {"occupation_risk",
         "SELECT " ROW_OCC_RISK ", x.prevalence FROM occupation_risk x WHERE x.prevalence IS NOT NULL "
         "AND NOT (x.prevalence BETWEEN 0 AND 1)",
         "prevalence %s is not a share from 0 to 1"},
        {"isco_risk",
         "SELECT " ROW_ISCO_RISK ", x.risk FROM isco_risk x WHERE NOT ((x.model = 'mcc' AND x.risk BETWEEN 1 AND 5) "
         "OR (x.model = 'frey-osborne' AND x.risk BETWEEN 0 AND 1))",
         "risk %s is not on the scale of its model (mcc 1 to 5, frey-osborne 0 to 1)"},
        {"soc_risk", "SELECT " ROW_SOC_RISK ", x.probability FROM soc_risk x WHERE NOT (x.probability BETWEEN 0 AND 1)",
         "probability %s is not from 0 to 1"},
    };
    long long n = 0;
    fow_code rc = fow_db_query_int(db,
                                   "SELECT (SELECT count(*) FROM isco_risk) + (SELECT count(*) FROM soc_risk)", &n,
                                   err);
    if (rc) return rc;
    c->checked += (uint64_t)n; /* occupation_risk rows are counted by the references */
    for (size_t i = 0; i < sizeof rules / sizeof *rules && !rc; i++)
        rc = fow_db_check_rows(db, c, rules[i].sql, rules[i].table, rules[i].format, err);
    return rc;
}

/* ---- derived values: compared with a fresh derivation ---------------------- */

/* The columns of the derived tables, as compared. */
#define RISK_COLUMNS                                                                                               \
    "occupation_id, model, risk, prevalence, category, risk_nonphysical, prevalence_nonphysical, onet_code, "    \
    "method, from_occupation_id, detail, source_id"
#define ATTRIBUTE_COLUMNS                                                                                          \
    "occupation_id, job_zone, education_level, related_work_experience, on_the_job_training, "                    \
    "annual_earnings_gbp, remote_labor_index, physical_proximity, skills_sector, skills_subsector, method, "       \
    "from_occupation_id, source_id"
#define TERM_COLUMNS "folded, kind, entity_id, lang, preferred, label"

/* One derived table, compared by every column: its rows are copied into
 * the temporary table stored before the derivation runs again, and into
 * fresh after it; both get an index on key_columns, the row's identity. */
typedef struct derived_table {
    const char *table;       /* as the user knows it */
    const char *columns;
    const char *stored;      /* the temporary table of the rows before */
    const char *fresh;       /* the temporary table of the rows derived again */
    const char *select;      /* SELECT of the table's derived rows */
    const char *key_columns; /* the identity of a row */
    const char *key;         /* the join of s (stored) and f (fresh) on identity */
    const char *row_s, *row_f;     /* a row's name, as s or f */
    const char *value_s, *value_f; /* what to show of a row */
} derived_table;

/* Copies the derived rows of d into into (a new temporary table) with an
 * index on its identity. */
static fow_code copy_derived(fow_db *db, const derived_table *d, const char *into, fow_error *err) {
    char sql[1200];
    snprintf(sql, sizeof sql, "CREATE TEMP TABLE %s AS %s; CREATE INDEX %s_key ON %s(%s);", into, d->select, into,
             into, d->key_columns);
    return fow_db_exec(db, sql, err);
}

/* Problems of d: stored rows that differ from the fresh ones or are not
 * derived again, then fresh rows that were not stored. */
static fow_code compare_derived(fow_db *db, fow_check_result *c, const derived_table *d, fow_error *err) {
    char sql[2000];
    long long n = 0;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", d->fresh);
    fow_code rc = fow_db_query_int(db, sql, &n, err);
    if (rc) return rc;
    c->checked += (uint64_t)n;
    snprintf(sql, sizeof sql,
             "SELECT %s, %s, (SELECT %s FROM %s f WHERE %s) FROM "
             "(SELECT %s FROM %s EXCEPT SELECT %s FROM %s) s",
             d->row_s, d->value_s, d->value_f, d->fresh, d->key, d->columns, d->stored, d->columns, d->fresh);
    sqlite3_stmt *st;
    if ((rc = fow_db_prepare(db, sql, &st, err))) return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *fresh = (const char *)sqlite3_column_text(st, 2);
        fow_check_problem(c, "%s (%s): stored %s, but a fresh derivation gives %s", d->table,
                          (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                          fresh ? fresh : "no such row");
    }
    if (r != SQLITE_DONE) rc = fow_db_error(db, err, d->table);
    sqlite3_finalize(st);
    if (rc) return rc;
    snprintf(sql, sizeof sql, "SELECT %s, %s FROM %s f WHERE NOT EXISTS (SELECT 1 FROM %s s WHERE %s)", d->row_f,
             d->value_f, d->fresh, d->stored, d->key);
    if ((rc = fow_db_prepare(db, sql, &st, err))) return rc;
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        fow_check_problem(c, "%s (%s): missing; a fresh derivation gives %s", d->table,
                          (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));
    if (r != SQLITE_DONE) rc = fow_db_error(db, err, d->table);
    sqlite3_finalize(st);
    return rc;
}

static const derived_table derived_risk = {
    "occupation_risk", RISK_COLUMNS, "fow_check_risk", "fow_check_risk_fresh",
    "SELECT " RISK_COLUMNS " FROM occupation_risk WHERE method <> 'own'", "occupation_id, model",
    "s.occupation_id = f.occupation_id AND s.model = f.model",
    "'occupation_id ' || s.occupation_id || ', model ' || s.model",
    "'occupation_id ' || f.occupation_id || ', model ' || f.model",
    "'risk ' || coalesce(CAST(s.risk AS TEXT), 'NULL') || ' (' || s.method || coalesce(' from occupation_id ' || s.from_occupation_id, '') || ')'",
    "'risk ' || coalesce(CAST(f.risk AS TEXT), 'NULL') || ' (' || f.method || coalesce(' from occupation_id ' || f.from_occupation_id, '') || ')'",
};

static const derived_table derived_attributes = {
    "occupation_attributes", ATTRIBUTE_COLUMNS, "fow_check_attributes", "fow_check_attributes_fresh",
    "SELECT " ATTRIBUTE_COLUMNS " FROM occupation_attributes WHERE method <> 'own'", "occupation_id",
    "s.occupation_id = f.occupation_id",
    "'occupation_id ' || s.occupation_id",
    "'occupation_id ' || f.occupation_id",
    "'job zone ' || coalesce(CAST(s.job_zone AS TEXT), 'NULL') || ', earnings ' || coalesce(CAST(s.annual_earnings_gbp AS TEXT), 'NULL') || ' ('"
    " || s.method || coalesce(' from occupation_id ' || s.from_occupation_id, '') || ')'",
    "'job zone ' || coalesce(CAST(f.job_zone AS TEXT), 'NULL') || ', earnings ' || coalesce(CAST(f.annual_earnings_gbp AS TEXT), 'NULL') || ' ('"
    " || f.method || coalesce(' from occupation_id ' || f.from_occupation_id, '') || ')'",
};

static const derived_table derived_terms = {
    "search_terms", TERM_COLUMNS, "fow_check_terms", "fow_check_terms_fresh",
    "SELECT " TERM_COLUMNS " FROM search_terms", "kind, entity_id, lang, label",
    "s.kind = f.kind AND s.entity_id = f.entity_id AND s.lang = f.lang AND s.label = f.label",
    "CASE s.kind WHEN 0 THEN 'occupation_id ' ELSE 'skill_id ' END || s.entity_id || ', lang ' || s.lang || "
    "', label ' || s.label",
    "CASE f.kind WHEN 0 THEN 'occupation_id ' ELSE 'skill_id ' END || f.entity_id || ', lang ' || f.lang || "
    "', label ' || f.label",
    "'folded ''' || s.folded || ''', preferred ' || s.preferred",
    "'folded ''' || f.folded || ''', preferred ' || f.preferred",
};

/* Copies the derived rows, derives them again (the code every import
 * runs), compares, and rolls everything back. */
static fow_code check_derived(fow_db *db, fow_check_report *report, fow_error *err) {
    fow_check_result *inherited = fow_check_begin(
        report, "taxonomy.inherited",
        "inherited and crosswalked risk and attributes equal a fresh derivation from the imported values");
    if (!inherited) return CHECK_OOM(err);
    fow_check_result *search = fow_check_begin(report, "taxonomy.search_index",
                                               "the search index equals every label folded again");
    if (!search) return CHECK_OOM(err);
    inherited = search - 1; /* the report may have moved */
    fow_code rc = fow_db_begin(db, err);
    if (rc) return rc;
    static const derived_table *const tables[] = {&derived_risk, &derived_attributes, &derived_terms};
    for (size_t i = 0; i < 3 && !rc; i++) rc = copy_derived(db, tables[i], tables[i]->stored, err);
    if (!rc) rc = fow_derive_values(db, err);
    if (!rc) rc = fow_search_index_rebuild(db, err);
    for (size_t i = 0; i < 3 && !rc; i++) rc = copy_derived(db, tables[i], tables[i]->fresh, err);
    if (!rc) rc = compare_derived(db, inherited, &derived_risk, err);
    if (!rc) rc = compare_derived(db, inherited, &derived_attributes, err);
    if (!rc) rc = compare_derived(db, search, &derived_terms, err);
    fow_db_rollback(db); /* the temporary tables and the fresh rows go too */
    return rc;
}

/* ---- all of them --------------------------------------------------------------- */

fow_code fow_taxonomy_check(fow_db *db, fow_check_report *report, fow_error *err) {
    fow_check_result *parents = NULL, *values = NULL;
    fow_code rc = check_references(db, report, "taxonomy.relations",
                                   "every occupation-skill relation names an existing occupation and skill",
                                   relation_rules, N_RULES(relation_rules), NULL, err);
    if (!rc)
        rc = check_references(db, report, "taxonomy.parents",
                              "every nesting of occupations names existing occupations, and none is its own ancestor",
                              parent_rules, N_RULES(parent_rules), &parents, err);
    if (!rc) rc = check_parent_cycles(db, parents, err);
    if (!rc) rc = check_groups(db, report, err);
    if (!rc)
        rc = check_references(db, report, "taxonomy.labels",
                              "every label belongs to an existing occupation or skill", label_rules,
                              N_RULES(label_rules), NULL, err);
    if (!rc)
        rc = check_references(db, report, "taxonomy.values",
                              "risk and attribute rows name existing occupations, and values stay on their scales",
                              value_rules, N_RULES(value_rules), &values, err);
    if (!rc) rc = check_value_ranges(db, values, err);
    if (!rc)
        rc = check_references(db, report, "taxonomy.sources",
                              "every row of the taxonomy and its reference data names an existing source",
                              source_rules, N_RULES(source_rules), NULL, err);
    if (!rc) rc = check_derived(db, report, err);
    return rc;
}

/* ---- the skill hierarchy (migration 15, import_skill_hierarchy.c) ------ */

fow_code taxonomy_store_skill_uris(fow_db *db, fow_strmap *map, fow_error *err) {
    return load_map(db, "SELECT uri, id FROM skills WHERE uri IS NOT NULL", map, err);
}

fow_code taxonomy_store_hierarchy_clear(fow_db *db, int64_t source_id, fow_error *err) {
    static const char *const sql[] = {"DELETE FROM skill_broader WHERE source_id = ?",
                                      "DELETE FROM skill_groups WHERE source_id = ?"};
    fow_code rc = FOW_OK;
    for (size_t i = 0; !rc && i < 2; i++) {
        sqlite3_stmt *st;
        if ((rc = fow_db_prepare(db, sql[i], &st, err))) break;
        sqlite3_bind_int64(st, 1, source_id);
        if (sqlite3_step(st) != SQLITE_DONE) rc = fow_db_error(db, err, "removing the previous skill hierarchy");
        sqlite3_finalize(st);
    }
    return rc;
}

struct taxonomy_hierarchy_writer {
    fow_db *db;
    sqlite3_stmt *group, *group_broader, *broader;
};

fow_code taxonomy_hierarchy_writer_open(fow_db *db, taxonomy_hierarchy_writer **out, fow_error *err) {
    *out = NULL;
    taxonomy_hierarchy_writer *w = calloc(1, sizeof *w);
    if (!w) return OOM(err);
    w->db = db;
    fow_code rc = fow_db_prepare(db, "INSERT INTO skill_groups (uri, code, label, source_id) VALUES (?, ?, ?, ?)",
                                 &w->group, err);
    if (!rc) rc = fow_db_prepare(db, "UPDATE skill_groups SET broader_id = ? WHERE id = ?", &w->group_broader, err);
    if (!rc)
        rc = fow_db_prepare(db,
                            "INSERT INTO skill_broader (skill_id, broader_skill_id, broader_group_id, source_id) "
                            "VALUES (?, ?, ?, ?)",
                            &w->broader, err);
    if (rc) {
        taxonomy_hierarchy_writer_close(w);
        return rc;
    }
    *out = w;
    return FOW_OK;
}

void taxonomy_hierarchy_writer_close(taxonomy_hierarchy_writer *w) {
    if (!w) return;
    sqlite3_finalize(w->group);
    sqlite3_finalize(w->group_broader);
    sqlite3_finalize(w->broader);
    free(w);
}

static fow_code hierarchy_step(taxonomy_hierarchy_writer *w, sqlite3_stmt *st, const char *what, fow_error *err) {
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return r == SQLITE_DONE ? FOW_OK : fow_db_error(w->db, err, what);
}

fow_code taxonomy_hierarchy_add_group(taxonomy_hierarchy_writer *w, const char *uri, const char *code,
                                      const char *label, int64_t source_id, int64_t *id, fow_error *err) {
    sqlite3_bind_text(w->group, 1, uri, -1, SQLITE_STATIC);
    bind_text_or_null(w->group, 2, code);
    sqlite3_bind_text(w->group, 3, label, -1, SQLITE_STATIC);
    sqlite3_bind_int64(w->group, 4, source_id);
    fow_code rc = hierarchy_step(w, w->group, "writing skill groups", err);
    if (!rc) *id = fow_db_last_insert_id(w->db);
    return rc;
}

fow_code taxonomy_hierarchy_set_group_broader(taxonomy_hierarchy_writer *w, int64_t group_id, int64_t broader_id,
                                              fow_error *err) {
    sqlite3_bind_int64(w->group_broader, 1, broader_id);
    sqlite3_bind_int64(w->group_broader, 2, group_id);
    return hierarchy_step(w, w->group_broader, "writing skill groups", err);
}

fow_code taxonomy_hierarchy_add_broader(taxonomy_hierarchy_writer *w, int64_t skill_id, int64_t broader_skill_id,
                                        int64_t broader_group_id, int64_t source_id, fow_error *err) {
    sqlite3_bind_int64(w->broader, 1, skill_id);
    if (broader_skill_id) sqlite3_bind_int64(w->broader, 2, broader_skill_id);
    if (broader_group_id) sqlite3_bind_int64(w->broader, 3, broader_group_id);
    sqlite3_bind_int64(w->broader, 4, source_id);
    return hierarchy_step(w, w->broader, "writing the skill hierarchy", err);
}

fow_code taxonomy_store_each_skill_broader(fow_db *db,
                                           fow_code (*visit)(void *ctx, int64_t skill_id, int64_t broader_skill_id,
                                                             int64_t broader_group_id, fow_error *err),
                                           void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT skill_id, coalesce(broader_skill_id, 0), coalesce(broader_group_id, 0) "
                                 "FROM skill_broader ORDER BY skill_id, broader_skill_id, broader_group_id",
                                 &st, err);
    if (rc) return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = visit(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
                        err)) != FOW_OK)
            break;
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "loading the skill hierarchy");
    sqlite3_finalize(st);
    return rc;
}
