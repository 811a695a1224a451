#include "taxonomy/taxonomy_batch.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fow_strmap.h"
#include "base/fow_vec.h"
#include "store/fow_sources.h"
#include "taxonomy/import_internal.h"

void taxonomy_batch_init(taxonomy_batch *b, const char *lang) {
    memset(b, 0, sizeof *b);
    fow_arena_init(&b->arena, 0);
    fow_strmap_init(&b->strings);
    b->lang = lang;
    b->fingerprint = 1469598103934665603ULL;
}

void taxonomy_batch_release(taxonomy_batch *b) {
    free(b->occupations);
    free(b->skills);
    free(b->relations);
    free(b->parents);
    free(b->groups);
    free(b->labels);
    free(b->flags);
    free(b->keys);
    b->occupations = NULL;
    b->skills = NULL;
    b->relations = NULL;
    b->parents = NULL;
    b->groups = NULL;
    b->labels = NULL;
    b->flags = NULL;
    b->keys = NULL;
    b->n_occupations = b->cap_occupations = b->n_skills = b->cap_skills = 0;
    b->n_relations = b->cap_relations = b->n_parents = b->cap_parents = 0;
    b->n_groups = b->cap_groups = b->n_labels = b->cap_labels = b->n_flags = b->cap_flags = 0;
    b->n_keys = b->cap_keys = 0;
    fow_strmap_free(&b->strings);
    fow_arena_free(&b->arena);
    b->lang = NULL;
}

void taxonomy_batch_free(taxonomy_batch *b) {
    for (size_t i = 0; i < b->n_readers; i++) fow_csv_close(b->readers[i]);
    free(b->occupations);
    free(b->skills);
    free(b->relations);
    free(b->parents);
    free(b->groups);
    free(b->labels);
    free(b->flags);
    free(b->keys);
    fow_strmap_free(&b->strings);
    fow_arena_free(&b->arena);
    memset(b, 0, sizeof *b);
}

fow_code taxonomy_batch_open(taxonomy_batch *b, const char *path, fow_csv **out, fow_error *err) {
    *out = NULL;
    if (b->n_readers >= sizeof b->readers / sizeof b->readers[0])
        return fow_error_set(err, FOW_EINTERNAL, "too many files in one import");
    fow_code rc = fow_csv_open_stream(out, path, err);
    if (rc) return rc;
    b->readers[b->n_readers++] = *out;
    uint64_t fp = fow_csv_fingerprint(*out);
    b->fingerprint = (b->fingerprint ^ fp) * 1099511628211ULL;
    /* the file's name matters, not the folder it was imported from */
    const char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    b->fingerprint ^= fow_hash_bytes(name, strlen(name)) >> 1;
    return FOW_OK;
}

tx_loc taxonomy_loc(taxonomy_batch *b, fow_csv *csv, int i, const char *field) {
    tx_loc loc = {(uint32_t)fow_csv_field_line(csv, (size_t)i), (uint32_t)fow_csv_field_column(csv, (size_t)i), 0, 0};
    /* the reader is nearly always the one opened last, the field one seen before */
    size_t f = b->n_readers;
    while (f > 0 && b->readers[f - 1] != csv) f--;
    loc.file = (uint16_t)(f ? f - 1 : 0);
    size_t k = b->n_field_names;
    while (k > 0 && b->field_names[k - 1] != field && strcmp(b->field_names[k - 1], field) != 0) k--;
    if (k == 0 && b->n_field_names < sizeof b->field_names / sizeof b->field_names[0])
        b->field_names[(k = ++b->n_field_names) - 1] = field;
    loc.field = (uint16_t)(k ? k - 1 : 0);
    return loc;
}

tx_where taxonomy_where(const taxonomy_batch *b, tx_loc loc) {
    return (tx_where){loc.file < b->n_readers ? fow_csv_name(b->readers[loc.file]) : NULL, (long)loc.line,
                      (long)loc.column, loc.field < b->n_field_names ? b->field_names[loc.field] : NULL};
}

const char *taxonomy_keep(taxonomy_batch *b, const char *s) {
    if (!s) return NULL;
    const char *copy = fow_arena_strdup(&b->arena, s);
    if (!copy) b->out_of_memory = true;
    return copy;
}

const char *taxonomy_key(taxonomy_batch *b, const char *s, uint32_t *key) {
    if (!s) return NULL;
    int64_t number;
    const char *copy = fow_strmap_intern(&b->strings, s, strlen(s), (int64_t)b->n_keys, &number);
    if (copy && (size_t)number == b->n_keys && FOW_VEC_PUSH(b->keys, b->n_keys, b->cap_keys, copy) != 0) copy = NULL;
    if (!copy) {
        b->out_of_memory = true;
        return NULL;
    }
    if (key) *key = (uint32_t)number;
    return copy;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

fow_code taxonomy_split(taxonomy_batch *b, const char *s, char sep, const char ***out, size_t *n,
                        fow_error *err) {
    *out = NULL;
    *n = 0;
    if (!s || !*s) return FOW_OK;
    size_t pieces = 1;
    for (const char *p = s; *p; p++)
        if (*p == sep) pieces++;
    const char **arr = fow_arena_alloc(&b->arena, pieces * sizeof *arr);
    if (!arr) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    size_t k = 0;
    const char *start = s;
    for (const char *p = s;; p++) {
        if (*p == sep || *p == '\0') {
            const char *a = start, *e = p;
            while (a < e && is_space(*a)) a++;
            while (e > a && is_space(e[-1])) e--;
            if (e > a) {
                arr[k] = fow_arena_strndup(&b->arena, a, (size_t)(e - a));
                if (!arr[k]) return fow_error_set(err, FOW_ENOMEM, "out of memory");
                k++;
            }
            if (*p == '\0') break;
            start = p + 1;
        }
    }
    *out = arr;
    *n = k;
    return FOW_OK;
}

static fow_code loc_error(const taxonomy_batch *b, const tx_loc *loc, fow_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static fow_code loc_error(const taxonomy_batch *b, const tx_loc *loc, fow_error *err, const char *fmt, ...) {
    char msg[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tx_where at = taxonomy_where(b, *loc);
    return fow_error_set_at(err, FOW_EINPUT, at.file, at.line, at.column, at.field, "%s", msg);
}

static fow_code step_done(fow_db *db, sqlite3_stmt *st, fow_error *err, const char *what) {
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (r != SQLITE_DONE) return fow_db_error(db, err, what);
    return FOW_OK;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s) {
    if (s && *s) sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

static int is_isco_code(const char *s) {
    size_t n = strlen(s);
    if (n < 1 || n > 4) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

typedef struct writer {
    fow_db *db;
    taxonomy_batch *b;
    int64_t source_id;
    fow_import_report *report;
    /* key -> id of what the database holds (and this import added): the id
     * when this source owns it, minus the id when another source does */
    fow_strmap occ_ids, skill_ids, skill_uris;
    long long rows;
} writer;

/* The id of an entry of occ_ids, skill_ids or skill_uris. */
static int64_t entry_id(int64_t value) { return value < 0 ? -value : value; }

/* Deletes the rows of `table` whose id belongs to this source and that the
 * batch no longer has (a newer version dropped them). */
static fow_code delete_vanished(writer *w, const char *select_sql, const char *delete_sql,
                                const fow_strmap *seen, fow_error *err) {
    sqlite3_stmt *sel, *del;
    fow_code rc = fow_db_prepare(w->db, select_sql, &sel, err);
    if (rc) return rc;
    rc = fow_db_prepare(w->db, delete_sql, &del, err);
    if (rc) {
        sqlite3_finalize(sel);
        return rc;
    }
    int64_t *gone = NULL;
    size_t n_gone = 0, cap_gone = 0;
    sqlite3_bind_int64(sel, 1, w->source_id);
    int r;
    while ((r = sqlite3_step(sel)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(sel, 1);
        int64_t v;
        if (key && !fow_strmap_get(seen, key, (size_t)sqlite3_column_bytes(sel, 1), &v))
            if (FOW_VEC_PUSH(gone, n_gone, cap_gone, sqlite3_column_int64(sel, 0)) != 0) {
                rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
                break;
            }
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(w->db, err, "reading old rows");
    for (size_t i = 0; !rc && i < n_gone; i++) {
        sqlite3_bind_int64(del, 1, gone[i]);
        rc = step_done(w->db, del, err, "removing rows a newer version dropped");
    }
    if (!rc && n_gone)
        import_note(w->report, "%zu rows that the newer version no longer has were removed", n_gone);
    free(gone);
    sqlite3_finalize(sel);
    sqlite3_finalize(del);
    return rc;
}

static fow_code write_groups(writer *w, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(w->db,
                                 "INSERT INTO isco_groups(code, label, source_id) VALUES (?, ?, ?) "
                                 "ON CONFLICT(code) DO UPDATE SET label = excluded.label, "
                                 "source_id = excluded.source_id",
                                 &st, err);
    if (rc) return rc;
    fow_strmap seen;
    fow_strmap_init(&seen);
    for (size_t i = 0; !rc && i < w->b->n_groups; i++) {
        tx_group *g = &w->b->groups[i];
        if (!is_isco_code(g->code)) {
            rc = loc_error(w->b, &g->loc, err, "'%s' is not an ISCO-08 code (1 to 4 digits)", g->code);
            break;
        }
        int64_t line;
        if (fow_strmap_get(&seen, g->code, strlen(g->code), &line)) {
            char first[32];
            snprintf(first, sizeof first, "%lld", (long long)line);
            rc = loc_error(w->b, &g->loc, err, "duplicate ISCO group code '%s' (first on line %s)", g->code, first);
            break;
        }
        if (fow_strmap_put(&seen, g->code, strlen(g->code), g->loc.line) != 0) {
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
            break;
        }
        sqlite3_bind_text(st, 1, g->code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, g->label, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, w->source_id);
        rc = step_done(w->db, st, err, "writing ISCO groups");
        if (!rc && w->b->groups_report) w->b->groups_report->rows_imported++;
    }
    w->rows += (long long)w->b->n_groups;
    fow_strmap_free(&seen);
    sqlite3_finalize(st);
    return rc;
}

/* Upserts occupations; fills w->occ_ids with new ids. */
static fow_code write_occupations(writer *w, fow_error *err) {
    sqlite3_stmt *ins, *upd;
    fow_code rc = fow_db_prepare(w->db,
                                 "INSERT INTO occupations(uri, code, isco_group, label, lang, description, "
                                 "source_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                 &ins, err);
    if (rc) return rc;
    rc = fow_db_prepare(w->db,
                        "UPDATE occupations SET code = ?2, isco_group = ?3, label = ?4, lang = ?5, "
                        "description = ?6 WHERE id = ?8",
                        &upd, err);
    if (rc) {
        sqlite3_finalize(ins);
        return rc;
    }
    fow_strmap seen;
    fow_strmap_init(&seen);
    for (size_t i = 0; !rc && i < w->b->n_occupations; i++) {
        tx_occupation *o = &w->b->occupations[i];
        size_t len = strlen(o->uri);
        int64_t v;
        if (fow_strmap_get(&seen, o->uri, len, &v)) {
            char first[32];
            snprintf(first, sizeof first, "%lld", (long long)v);
            rc = loc_error(w->b, &o->loc, err, "duplicate occupation '%s' (first on line %s)", o->uri, first);
            break;
        }
        if (o->isco_group && *o->isco_group && !is_isco_code(o->isco_group)) {
            rc = loc_error(w->b, &o->loc, err, "occupation '%s': ISCO group '%s' is not 1 to 4 digits", o->uri,
                           o->isco_group);
            break;
        }
        if (fow_strmap_put(&seen, o->uri, len, o->loc.line) != 0) {
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
            break;
        }
        int64_t id = 0;
        bool exists = fow_strmap_get(&w->occ_ids, o->uri, len, &id);
        if (exists && id < 0) {
            rc = loc_error(w->b, &o->loc, err,
                           "occupation '%s' was already imported from another source; a URI belongs to one source",
                           o->uri);
            break;
        }
        sqlite3_stmt *st = exists ? upd : ins;
        sqlite3_bind_text(st, 1, o->uri, -1, SQLITE_STATIC);
        bind_text_or_null(st, 2, o->code);
        bind_text_or_null(st, 3, o->isco_group);
        sqlite3_bind_text(st, 4, o->label, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, w->b->lang, -1, SQLITE_STATIC);
        bind_text_or_null(st, 6, o->description);
        if (exists) sqlite3_bind_int64(st, 8, id);
        else sqlite3_bind_int64(st, 7, w->source_id);
        rc = step_done(w->db, st, err, "writing occupations");
        if (rc) break;
        if (!exists) {
            id = sqlite3_last_insert_rowid(w->db->sql);
            if (fow_strmap_put(&w->occ_ids, o->uri, len, id) != 0) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        }
        if (w->b->occupations_report) w->b->occupations_report->rows_imported++;
    }
    w->rows += (long long)w->b->n_occupations;
    sqlite3_finalize(ins);
    sqlite3_finalize(upd);
    if (!rc)
        rc = delete_vanished(w, "SELECT id, uri FROM occupations WHERE source_id = ?",
                             "DELETE FROM occupations WHERE id = ?", &seen, err);
    fow_strmap_free(&seen);
    return rc;
}

static fow_code write_skills(writer *w, fow_error *err) {
    sqlite3_stmt *ins, *upd;
    fow_code rc = fow_db_prepare(w->db,
                                 "INSERT INTO skills(label, uri, skill_type, reuse_level, green, digital, "
                                 "transversal, language, lang, description, source_id) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                                 &ins, err);
    if (rc) return rc;
    rc = fow_db_prepare(w->db,
                        "UPDATE skills SET label = ?1, uri = ?2, skill_type = ?3, reuse_level = ?4, "
                        "green = ?5, digital = ?6, transversal = ?7, language = ?8, lang = ?9, "
                        "description = ?10 WHERE id = ?12",
                        &upd, err);
    if (rc) {
        sqlite3_finalize(ins);
        return rc;
    }
    fow_strmap seen, seen_uri;
    fow_strmap_init(&seen);
    fow_strmap_init(&seen_uri);
    for (size_t i = 0; !rc && i < w->b->n_skills; i++) {
        tx_skill *s = &w->b->skills[i];
        size_t len = strlen(s->label);
        int64_t v;
        char first[32];
        if (fow_strmap_get(&seen, s->label, len, &v)) {
            snprintf(first, sizeof first, "%lld", (long long)v);
            rc = loc_error(w->b, &s->loc, err, "duplicate skill '%s' (first on line %s)", s->label, first);
            break;
        }
        if (s->uri && *s->uri && fow_strmap_get(&seen_uri, s->uri, strlen(s->uri), &v)) {
            snprintf(first, sizeof first, "%lld", (long long)v);
            rc = loc_error(w->b, &s->loc, err, "duplicate skill URI '%s' (first on line %s)", s->uri, first);
            break;
        }
        if (fow_strmap_put(&seen, s->label, len, s->loc.line) != 0 ||
            (s->uri && *s->uri && fow_strmap_put(&seen_uri, s->uri, strlen(s->uri), s->loc.line) != 0)) {
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
            break;
        }
        /* an existing skill is found by URI first (labels may change between
         * versions), else by label */
        int64_t id = 0, by_label = 0;
        bool exists = false;
        if (s->uri && *s->uri && fow_strmap_get(&w->skill_uris, s->uri, strlen(s->uri), &id)) exists = true;
        else if (fow_strmap_get(&w->skill_ids, s->label, len, &id)) exists = true;
        id = entry_id(id);
        /* whose a skill is, its label tells */
        if (exists && fow_strmap_get(&w->skill_ids, s->label, len, &by_label) && by_label < 0) {
            rc = loc_error(w->b, &s->loc, err,
                           "skill '%s' was already imported from another source; refer to it by its label instead",
                           s->label);
            break;
        }
        sqlite3_stmt *st = exists ? upd : ins;
        sqlite3_bind_text(st, 1, s->label, -1, SQLITE_STATIC);
        bind_text_or_null(st, 2, s->uri);
        bind_text_or_null(st, 3, s->skill_type);
        bind_text_or_null(st, 4, s->reuse_level);
        sqlite3_bind_int(st, 5, s->green);
        sqlite3_bind_int(st, 6, s->digital);
        sqlite3_bind_int(st, 7, s->transversal);
        sqlite3_bind_int(st, 8, s->language);
        sqlite3_bind_text(st, 9, w->b->lang, -1, SQLITE_STATIC);
        bind_text_or_null(st, 10, s->description);
        if (exists) sqlite3_bind_int64(st, 12, id);
        else sqlite3_bind_int64(st, 11, w->source_id);
        int r = sqlite3_step(st);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (r == SQLITE_CONSTRAINT) {
            rc = loc_error(w->b, &s->loc, err, "skill '%s' clashes with an existing skill of the same label or URI",
                           s->label);
            break;
        }
        if (r != SQLITE_DONE) {
            rc = fow_db_error(w->db, err, "writing skills");
            break;
        }
        if (!exists) id = sqlite3_last_insert_rowid(w->db->sql);
        if (fow_strmap_put(&w->skill_ids, s->label, len, id) != 0 ||
            (s->uri && *s->uri && fow_strmap_put(&w->skill_uris, s->uri, strlen(s->uri), id) != 0))
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        if (w->b->skills_report) w->b->skills_report->rows_imported++;
    }
    w->rows += (long long)w->b->n_skills;
    sqlite3_finalize(ins);
    sqlite3_finalize(upd);
    if (!rc)
        rc = delete_vanished(w, "SELECT id, label FROM skills WHERE source_id = ?",
                             "DELETE FROM skills WHERE id = ?", &seen, err);
    fow_strmap_free(&seen);
    fow_strmap_free(&seen_uri);
    return rc;
}

static bool find_skill(writer *w, const char *key, bool by_uri, int64_t *id) {
    bool found = by_uri ? fow_strmap_get(&w->skill_uris, key, strlen(key), id)
                        : fow_strmap_get(&w->skill_ids, key, strlen(key), id);
    if (found) *id = entry_id(*id);
    return found;
}

static bool find_occupation(writer *w, const char *uri, int64_t *id) {
    bool found = fow_strmap_get(&w->occ_ids, uri, strlen(uri), id);
    if (found) *id = entry_id(*id);
    return found;
}

/* The id of key k of the batch (a URI, a skill label or URI), looked up
 * once per key: cache[k] is 0 before, then the id, or -1 when unknown. */
static bool find_key(writer *w, int64_t *cache, uint32_t k, int what, int64_t *id) {
    if (!cache[k]) {
        const char *key = w->b->keys[k];
        bool found = what == 0 ? find_occupation(w, key, id) : find_skill(w, key, what == 2, id);
        cache[k] = found ? *id : -1;
    }
    *id = cache[k];
    return *id > 0;
}

static fow_code insert_label(writer *w, sqlite3_stmt *st, int64_t id, const char *lang, const char *label,
                             bool preferred, fow_error *err) {
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, label, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, preferred);
    sqlite3_bind_int64(st, 5, w->source_id);
    return step_done(w->db, st, err, "writing labels");
}

/* Labels: the batch's preferred and alternative labels in b->lang, and its
 * extra labels (translations). In translation mode (primary false) the
 * entities must already exist; those that do not are counted as rejected. */
static fow_code write_labels(writer *w, bool primary, fow_error *err) {
    char sql[200];
    fow_code rc = FOW_OK;
    const char *tables[2] = {"occupation_labels", "skill_labels"};
    /* a part missing from this import keeps the labels it had */
    bool replace[2] = {!primary || w->b->has_occupations, !primary || w->b->has_skills};
    for (int t = 0; t < 2 && !rc; t++) {
        if (!replace[t]) continue;
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE source_id = %lld", tables[t], (long long)w->source_id);
        rc = fow_db_exec(w->db, sql, err);
    }
    if (rc) return rc;
    sqlite3_stmt *occ, *skl;
    /* a label repeated as preferred and alternative keeps the preferred mark */
    rc = fow_db_prepare(w->db,
                        "INSERT INTO occupation_labels(occupation_id, lang, label, preferred, source_id) "
                        "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET preferred = max(preferred, excluded.preferred)",
                        &occ, err);
    if (rc) return rc;
    rc = fow_db_prepare(w->db,
                        "INSERT INTO skill_labels(skill_id, lang, label, preferred, source_id) "
                        "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET preferred = max(preferred, excluded.preferred)",
                        &skl, err);
    if (rc) {
        sqlite3_finalize(occ);
        return rc;
    }
    const char *lang = w->b->lang;
    for (size_t i = 0; !rc && i < w->b->n_occupations; i++) {
        tx_occupation *o = &w->b->occupations[i];
        int64_t id;
        if (!find_occupation(w, o->uri, &id)) {
            import_reject(w->b->occupations_report, "occupation not in the taxonomy (import its primary language first)");
            continue;
        }
        rc = insert_label(w, occ, id, lang, o->label, true, err);
        for (size_t k = 0; !rc && k < o->n_alt; k++) rc = insert_label(w, occ, id, lang, o->alt_labels[k], false, err);
        if (!primary && !rc && w->b->occupations_report) w->b->occupations_report->rows_imported++;
        w->rows += 1 + (long long)o->n_alt;
    }
    for (size_t i = 0; !rc && i < w->b->n_skills; i++) {
        tx_skill *s = &w->b->skills[i];
        int64_t id;
        bool found = primary ? find_skill(w, s->label, false, &id)
                             : (s->uri && *s->uri && find_skill(w, s->uri, true, &id));
        if (!found) {
            import_reject(w->b->skills_report, "skill not in the taxonomy (import its primary language first)");
            continue;
        }
        rc = insert_label(w, skl, id, lang, s->label, true, err);
        for (size_t k = 0; !rc && k < s->n_alt; k++) rc = insert_label(w, skl, id, lang, s->alt_labels[k], false, err);
        if (!primary && !rc && w->b->skills_report) w->b->skills_report->rows_imported++;
        w->rows += 1 + (long long)s->n_alt;
    }
    for (size_t i = 0; !rc && i < w->b->n_labels; i++) {
        tx_label *l = &w->b->labels[i];
        int64_t id;
        bool found = l->is_skill ? (find_skill(w, l->key, false, &id) || find_skill(w, l->key, true, &id))
                                 : find_occupation(w, l->key, &id);
        if (!found) {
            rc = loc_error(w->b, &l->key_loc, err, "unknown %s '%s'", l->is_skill ? "skill" : "occupation", l->key);
            break;
        }
        rc = insert_label(w, l->is_skill ? skl : occ, id, l->lang, l->label, l->preferred, err);
        fow_import_file_report *section = l->is_skill ? w->b->skill_labels_report : w->b->labels_report;
        if (!rc && section) section->rows_imported++;
        w->rows++;
    }
    sqlite3_finalize(occ);
    sqlite3_finalize(skl);
    return rc;
}

static fow_code write_relations(writer *w, fow_error *err) {
    char sql[128];
    snprintf(sql, sizeof sql, "DELETE FROM occupation_skills WHERE source_id = %lld", (long long)w->source_id);
    fow_code rc = fow_db_exec(w->db, sql, err);
    if (rc) return rc;
    sqlite3_stmt *st;
    rc = fow_db_prepare(w->db,
                        "INSERT INTO occupation_skills(occupation_id, skill_id, essential, source_id) "
                        "VALUES (?, ?, ?, ?)",
                        &st, err);
    if (rc) return rc;
    /* ids by key, looked up once per key */
    int64_t *occ_cache = calloc(w->b->n_keys + 1, sizeof *occ_cache);
    int64_t *skill_cache = calloc(w->b->n_keys + 1, sizeof *skill_cache);
    if (!occ_cache || !skill_cache) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < w->b->n_relations; i++) {
        tx_relation *r = &w->b->relations[i];
        const char *occupation_uri = w->b->keys[r->occupation], *skill_key = w->b->keys[r->skill];
        int64_t occ, skill;
        if (!find_key(w, occ_cache, r->occupation, 0, &occ)) {
            rc = loc_error(w->b, &r->occupation_loc, err, "unknown occupation '%s'", occupation_uri);
            break;
        }
        if (!find_key(w, skill_cache, r->skill, r->skill_by_uri ? 2 : 1, &skill)) {
            rc = loc_error(w->b, &r->skill_loc, err, "unknown skill '%s'", skill_key);
            break;
        }
        sqlite3_bind_int64(st, 1, occ);
        sqlite3_bind_int64(st, 2, skill);
        sqlite3_bind_int(st, 3, r->essential);
        sqlite3_bind_int64(st, 4, w->source_id);
        int s = sqlite3_step(st);
        sqlite3_reset(st);
        if (s == SQLITE_CONSTRAINT) {
            rc = loc_error(w->b, &r->skill_loc, err, "duplicate relation: occupation '%s' already has skill '%s' as %s",
                           occupation_uri, skill_key, r->essential ? "essential" : "optional");
            break;
        }
        if (s != SQLITE_DONE) {
            rc = fow_db_error(w->db, err, "writing occupation skills");
            break;
        }
        if (w->b->relations_report) w->b->relations_report->rows_imported++;
        const fow_import_options *opt = w->b->opt;
        if (opt && opt->progress && ((i + 1) % 8192 == 0 || i + 1 == w->b->n_relations))
            opt->progress(opt->progress_ctx, "writing relations", i + 1, w->b->n_relations);
    }
    w->rows += (long long)w->b->n_relations;
    free(occ_cache);
    free(skill_cache);
    sqlite3_finalize(st);
    return rc;
}

/* An occupation may not be, through its parents, below itself. */
static fow_code check_parent_cycles(writer *w, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(w->db,
                                 "WITH RECURSIVE up(start, node, depth) AS ("
                                 "  SELECT occupation_id, parent_id, 1 FROM occupation_parents "
                                 "  UNION ALL SELECT up.start, p.parent_id, up.depth + 1 FROM up "
                                 "  JOIN occupation_parents p ON p.occupation_id = up.node "
                                 "  WHERE up.node <> up.start AND up.depth < 100) "
                                 "SELECT o.uri FROM up JOIN occupations o ON o.id = up.start "
                                 "WHERE up.node = up.start LIMIT 1",
                                 &st, err);
    if (rc) return rc;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *uri = (const char *)sqlite3_column_text(st, 0);
        static const char cycle[] = "occupation '%s' is, through its parents, nested below itself (a cycle)";
        if (!w->b->n_parents) {
            rc = fow_error_set_at(err, FOW_EINPUT, "occupation_parents", 0, 0, NULL, cycle, uri);
        } else {
            /* the file of the parents, no field, unless a row of it names the occupation */
            tx_loc where = {0, 0, w->b->parents[0].child_loc.file, UINT16_MAX};
            for (size_t i = 0; i < w->b->n_parents; i++)
                if (strcmp(w->b->keys[w->b->parents[i].child], uri) == 0) {
                    where = w->b->parents[i].child_loc;
                    break;
                }
            rc = loc_error(w->b, &where, err, cycle, uri);
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static fow_code write_parents(writer *w, fow_error *err) {
    char sql[128];
    snprintf(sql, sizeof sql, "DELETE FROM occupation_parents WHERE source_id = %lld", (long long)w->source_id);
    fow_code rc = fow_db_exec(w->db, sql, err);
    if (rc) return rc;
    sqlite3_stmt *st;
    rc = fow_db_prepare(w->db,
                        "INSERT INTO occupation_parents(occupation_id, parent_id, source_id) VALUES (?, ?, ?)",
                        &st, err);
    if (rc) return rc;
    for (size_t i = 0; !rc && i < w->b->n_parents; i++) {
        tx_parent *p = &w->b->parents[i];
        const char *child_uri = w->b->keys[p->child], *parent_uri = w->b->keys[p->parent];
        int64_t child, parent;
        if (!find_occupation(w, child_uri, &child)) {
            rc = loc_error(w->b, &p->child_loc, err, "unknown occupation '%s'", child_uri);
            break;
        }
        if (!find_occupation(w, parent_uri, &parent)) {
            rc = loc_error(w->b, &p->parent_loc, err, "unknown occupation '%s'", parent_uri);
            break;
        }
        if (child == parent) {
            rc = loc_error(w->b, &p->parent_loc, err, "occupation '%s' cannot be its own parent", child_uri);
            break;
        }
        sqlite3_bind_int64(st, 1, child);
        sqlite3_bind_int64(st, 2, parent);
        sqlite3_bind_int64(st, 3, w->source_id);
        int s = sqlite3_step(st);
        sqlite3_reset(st);
        if (s == SQLITE_CONSTRAINT) {
            rc = loc_error(w->b, &p->parent_loc, err, "duplicate relation: '%s' is already below '%s'", child_uri,
                           parent_uri);
            break;
        }
        if (s != SQLITE_DONE) {
            rc = fow_db_error(w->db, err, "writing occupation parents");
            break;
        }
        if (w->b->parents_report) w->b->parents_report->rows_imported++;
    }
    w->rows += (long long)w->b->n_parents;
    sqlite3_finalize(st);
    if (!rc) rc = check_parent_cycles(w, err);
    return rc;
}

static fow_code write_flags(writer *w, fow_error *err) {
    static const char *const columns[] = {"green", "digital", "transversal", "language"};
    bool present[4] = {false, false, false, false};
    for (size_t i = 0; i < w->b->n_flags; i++) present[w->b->flags[i].kind] = true;
    fow_code rc = FOW_OK;
    sqlite3_stmt *set[4] = {NULL, NULL, NULL, NULL};
    for (int k = 0; k < 4 && !rc; k++) {
        if (!present[k]) continue;
        char sql[160];
        snprintf(sql, sizeof sql, "UPDATE skills SET %s = 0 WHERE source_id = %lld", columns[k],
                 (long long)w->source_id);
        rc = fow_db_exec(w->db, sql, err);
        snprintf(sql, sizeof sql, "UPDATE skills SET %s = 1 WHERE id = ?", columns[k]);
        if (!rc) rc = fow_db_prepare(w->db, sql, &set[k], err);
    }
    for (size_t i = 0; !rc && i < w->b->n_flags; i++) {
        tx_flag *f = &w->b->flags[i];
        int64_t id;
        if (!find_skill(w, f->skill_uri, true, &id)) {
            import_reject(f->report, "skill not in the taxonomy");
            continue;
        }
        sqlite3_bind_int64(set[f->kind], 1, id);
        rc = step_done(w->db, set[f->kind], err, "writing skill collections");
        if (!rc && f->report) f->report->rows_imported++;
    }
    for (int k = 0; k < 4; k++) sqlite3_finalize(set[k]);
    return rc;
}

fow_code taxonomy_batch_write(fow_db *db, taxonomy_batch *b, int64_t source_id, bool primary,
                              fow_import_report *report, fow_error *err) {
    writer w = {.db = db, .b = b, .source_id = source_id, .report = report};
    fow_strmap_init(&w.occ_ids);
    fow_strmap_init(&w.skill_ids);
    fow_strmap_init(&w.skill_uris);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT uri, CASE source_id WHEN %lld THEN id ELSE -id END FROM occupations",
             (long long)source_id);
    fow_code rc = import_load_map(db, sql, &w.occ_ids, err);
    snprintf(sql, sizeof sql, "SELECT label, CASE source_id WHEN %lld THEN id ELSE -id END FROM skills",
             (long long)source_id);
    if (!rc) rc = import_load_map(db, sql, &w.skill_ids, err);
    if (!rc) rc = import_load_map(db, "SELECT uri, id FROM skills WHERE uri IS NOT NULL", &w.skill_uris, err);
    if (primary) {
        if (!rc && b->has_groups) rc = write_groups(&w, err);
        if (!rc && b->has_occupations) rc = write_occupations(&w, err);
        if (!rc && b->has_skills) rc = write_skills(&w, err);
    }
    if (!rc) rc = write_labels(&w, primary, err);
    if (primary) {
        if (!rc && b->has_relations) rc = write_relations(&w, err);
        if (!rc && b->has_parents) rc = write_parents(&w, err);
        if (!rc && b->n_flags) rc = write_flags(&w, err);
    }
    if (!rc) rc = import_source_rows(db, source_id, w.rows, err);
    fow_strmap_free(&w.occ_ids);
    fow_strmap_free(&w.skill_ids);
    fow_strmap_free(&w.skill_uris);
    return rc;
}

fow_code taxonomy_primary_lang(fow_db *db, const char *dataset, char *lang, size_t n, fow_error *err) {
    lang[0] = '\0';
    long long source_id;
    bool same;
    fow_code rc = fow_source_find(db, dataset, NULL, &source_id, &same, err);
    if (rc || !source_id) return rc;
    sqlite3_stmt *st;
    rc = fow_db_prepare(db, "SELECT lang FROM occupations WHERE source_id = ? LIMIT 1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, source_id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) snprintf(lang, n, "%s", (const char *)sqlite3_column_text(st, 0));
    else if (r != SQLITE_DONE) rc = fow_db_error(db, err, "reading sources");
    sqlite3_finalize(st);
    return rc;
}

fow_code taxonomy_import_batch(fow_db *db, taxonomy_batch *b, const char *dataset_base,
                               const char *name, const char *version, const char *licence,
                               const char *url, const char *path, fow_import_report *report,
                               fow_error *err) {
    fow_code rc = fow_db_begin(db, err);
    if (rc) return rc;
    char primary_lang[32];
    rc = taxonomy_primary_lang(db, dataset_base, primary_lang, sizeof primary_lang, err);
    bool primary = !primary_lang[0] || strcmp(primary_lang, b->lang) == 0;
    char dataset[160];
    if (primary) snprintf(dataset, sizeof dataset, "%s", dataset_base);
    else snprintf(dataset, sizeof dataset, "labels:%s:%s", dataset_base, b->lang);
    if (!primary)
        import_note(report, "%s was first imported in '%s': the '%s' files add translated labels only",
                    dataset_base, primary_lang, b->lang);
    /* the language is part of what was imported */
    b->fingerprint ^= fow_hash_bytes(b->lang, strlen(b->lang));
    import_source src = {dataset, primary ? "taxonomy" : "labels", name, version, licence, url, path,
                         b->fingerprint};
    int64_t source_id = 0;
    bool unchanged = false;
    if (!rc) rc = import_source_begin(db, &src, report, &source_id, &unchanged, err);
    if (!rc && unchanged) {
        fow_db_rollback(db);
        return FOW_OK;
    }
    if (!rc) rc = taxonomy_batch_write(db, b, source_id, primary, report, err);
    if (rc) {
        fow_db_rollback(db);
        return rc;
    }
    /* all of it is written: the derived values and the search index come
     * from the database, so the batch's memory can go first */
    taxonomy_batch_release(b);
    return import_commit(db, true, err);
}
