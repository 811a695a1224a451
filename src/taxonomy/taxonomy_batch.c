#include "taxonomy/taxonomy_batch.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fow_strmap.h"
#include "base/fow_vec.h"
#include "store/fow_sources.h"
#include "taxonomy/import_internal.h"
#include "taxonomy/taxonomy_store.h"

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

/* The rows of a source that the batch no longer has. */
typedef struct vanished {
    const fow_strmap *seen;
    int64_t *gone;
    size_t n_gone, cap_gone;
} vanished;

static fow_code note_vanished(void *ctx, int64_t id, const char *key, size_t key_len, fow_error *err) {
    vanished *v = ctx;
    int64_t line;
    if (!fow_strmap_get(v->seen, key, key_len, &line))
        if (FOW_VEC_PUSH(v->gone, v->n_gone, v->cap_gone, id) != 0) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    return FOW_OK;
}

/* Deletes the rows of table (occupations or skills) that belong to this
 * source and that the batch no longer has (a newer version dropped them). */
static fow_code delete_vanished(writer *w, taxonomy_fact_table table, const fow_strmap *seen, fow_error *err) {
    vanished v = {seen, NULL, 0, 0};
    fow_code rc = taxonomy_store_each_key_of_source(w->db, table, w->source_id, note_vanished, &v, err);
    if (!rc) rc = taxonomy_store_delete_rows(w->db, table, v.gone, v.n_gone, err);
    if (!rc && v.n_gone) {
        import_note(w->report, "%zu rows that the newer version no longer has were removed", v.n_gone);
        import_note_code(w->report, "import.note.rows_removed");
        import_note_param(w->report, "count", "%zu", v.n_gone);
    }
    free(v.gone);
    return rc;
}

static fow_code write_groups(writer *w, fow_error *err) {
    taxonomy_writer *st;
    fow_code rc = taxonomy_writer_open(w->db, TAXONOMY_ISCO_GROUPS, &st, err);
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
        rc = taxonomy_writer_add_group(st, g->code, g->label, w->source_id, err);
        if (!rc && w->b->groups_report) w->b->groups_report->rows_imported++;
    }
    w->rows += (long long)w->b->n_groups;
    fow_strmap_free(&seen);
    taxonomy_writer_close(st);
    return rc;
}

/* Upserts occupations; fills w->occ_ids with new ids. */
static fow_code write_occupations(writer *w, fow_error *err) {
    taxonomy_writer *put;
    fow_code rc = taxonomy_writer_open(w->db, TAXONOMY_OCCUPATIONS, &put, err);
    if (rc) return rc;
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
        taxonomy_entity_row row = {.uri = o->uri, .label = o->label, .lang = w->b->lang,
                                   .description = o->description, .code = o->code, .isco_group = o->isco_group,
                                   .source_id = w->source_id};
        rc = taxonomy_writer_put_occupation(put, exists ? id : 0, &row, &id, err);
        if (rc) break;
        if (!exists) {
            if (fow_strmap_put(&w->occ_ids, o->uri, len, id) != 0) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        }
        if (w->b->occupations_report) w->b->occupations_report->rows_imported++;
    }
    w->rows += (long long)w->b->n_occupations;
    taxonomy_writer_close(put);
    if (!rc) rc = delete_vanished(w, TAXONOMY_OCCUPATIONS, &seen, err);
    fow_strmap_free(&seen);
    return rc;
}

static fow_code write_skills(writer *w, fow_error *err) {
    taxonomy_writer *put;
    fow_code rc = taxonomy_writer_open(w->db, TAXONOMY_SKILLS, &put, err);
    if (rc) return rc;
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
        taxonomy_entity_row row = {.uri = s->uri, .label = s->label, .lang = w->b->lang,
                                   .description = s->description, .skill_type = s->skill_type,
                                   .reuse_level = s->reuse_level, .green = s->green, .digital = s->digital,
                                   .transversal = s->transversal, .language = s->language,
                                   .source_id = w->source_id};
        bool clash;
        rc = taxonomy_writer_put_skill(put, exists ? id : 0, &row, &id, &clash, err);
        if (!rc && clash)
            rc = loc_error(w->b, &s->loc, err, "skill '%s' clashes with an existing skill of the same label or URI",
                           s->label);
        if (rc) break;
        if (fow_strmap_put(&w->skill_ids, s->label, len, id) != 0 ||
            (s->uri && *s->uri && fow_strmap_put(&w->skill_uris, s->uri, strlen(s->uri), id) != 0))
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        if (w->b->skills_report) w->b->skills_report->rows_imported++;
    }
    w->rows += (long long)w->b->n_skills;
    taxonomy_writer_close(put);
    if (!rc) rc = delete_vanished(w, TAXONOMY_SKILLS, &seen, err);
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

static fow_code insert_label(writer *w, taxonomy_writer *st, int64_t id, const char *lang, const char *label,
                             bool preferred, fow_error *err) {
    return taxonomy_writer_add_label(st, id, lang, label, preferred, w->source_id, err);
}

/* Labels: the batch's preferred and alternative labels in b->lang, and its
 * extra labels (translations). In translation mode (primary false) the
 * entities must already exist; those that do not are counted as rejected. */
static fow_code write_labels(writer *w, bool primary, fow_error *err) {
    fow_code rc = FOW_OK;
    const taxonomy_fact_table tables[2] = {TAXONOMY_OCCUPATION_LABELS, TAXONOMY_SKILL_LABELS};
    /* a part missing from this import keeps the labels it had */
    bool replace[2] = {!primary || w->b->has_occupations, !primary || w->b->has_skills};
    for (int t = 0; t < 2 && !rc; t++) {
        if (!replace[t]) continue;
        rc = taxonomy_store_clear_source(w->db, tables[t], w->source_id, err);
    }
    if (rc) return rc;
    taxonomy_writer *occ, *skl;
    rc = taxonomy_writer_open(w->db, TAXONOMY_OCCUPATION_LABELS, &occ, err);
    if (rc) return rc;
    rc = taxonomy_writer_open(w->db, TAXONOMY_SKILL_LABELS, &skl, err);
    if (rc) {
        taxonomy_writer_close(occ);
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
    taxonomy_writer_close(occ);
    taxonomy_writer_close(skl);
    return rc;
}

static fow_code write_relations(writer *w, fow_error *err) {
    fow_code rc = taxonomy_store_clear_source(w->db, TAXONOMY_OCCUPATION_SKILLS, w->source_id, err);
    if (rc) return rc;
    taxonomy_writer *st;
    rc = taxonomy_writer_open(w->db, TAXONOMY_OCCUPATION_SKILLS, &st, err);
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
        bool clash;
        rc = taxonomy_writer_add_pair(st, occ, skill, r->essential, w->source_id, &clash, err);
        if (!rc && clash)
            rc = loc_error(w->b, &r->skill_loc, err, "duplicate relation: occupation '%s' already has skill '%s' as %s",
                           occupation_uri, skill_key, r->essential ? "essential" : "optional");
        if (rc) break;
        if (w->b->relations_report) w->b->relations_report->rows_imported++;
        const fow_import_options *opt = w->b->opt;
        if (opt && opt->progress && ((i + 1) % 8192 == 0 || i + 1 == w->b->n_relations))
            opt->progress(opt->progress_ctx, "writing relations", i + 1, w->b->n_relations);
    }
    w->rows += (long long)w->b->n_relations;
    free(occ_cache);
    free(skill_cache);
    taxonomy_writer_close(st);
    return rc;
}

/* The error for an occupation nested below itself: at the parents file's
 * row of the occupation when there is one. */
static fow_code cycle_error(void *ctx, const char *uri, fow_error *err) {
    writer *w = ctx;
    static const char cycle[] = "occupation '%s' is, through its parents, nested below itself (a cycle)";
    if (!w->b->n_parents) return fow_error_set_at(err, FOW_EINPUT, "occupation_parents", 0, 0, NULL, cycle, uri);
    /* the file of the parents, no field, unless a row of it names the occupation */
    tx_loc where = {0, 0, w->b->parents[0].child_loc.file, UINT16_MAX};
    for (size_t i = 0; i < w->b->n_parents; i++)
        if (strcmp(w->b->keys[w->b->parents[i].child], uri) == 0) {
            where = w->b->parents[i].child_loc;
            break;
        }
    return loc_error(w->b, &where, err, cycle, uri);
}

/* An occupation may not be, through its parents, below itself. */
static fow_code check_parent_cycles(writer *w, fow_error *err) {
    return taxonomy_store_find_parent_cycle(w->db, cycle_error, w, err);
}

static fow_code write_parents(writer *w, fow_error *err) {
    fow_code rc = taxonomy_store_clear_source(w->db, TAXONOMY_OCCUPATION_PARENTS, w->source_id, err);
    if (rc) return rc;
    taxonomy_writer *st;
    rc = taxonomy_writer_open(w->db, TAXONOMY_OCCUPATION_PARENTS, &st, err);
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
        bool clash;
        rc = taxonomy_writer_add_pair(st, child, parent, false, w->source_id, &clash, err);
        if (!rc && clash)
            rc = loc_error(w->b, &p->parent_loc, err, "duplicate relation: '%s' is already below '%s'", child_uri,
                           parent_uri);
        if (rc) break;
        if (w->b->parents_report) w->b->parents_report->rows_imported++;
    }
    w->rows += (long long)w->b->n_parents;
    taxonomy_writer_close(st);
    if (!rc) rc = check_parent_cycles(w, err);
    return rc;
}

static fow_code write_flags(writer *w, fow_error *err) {
    bool present[4] = {false, false, false, false};
    for (size_t i = 0; i < w->b->n_flags; i++) present[w->b->flags[i].kind] = true;
    fow_code rc = FOW_OK;
    taxonomy_writer *set[TAXONOMY_N_SKILL_FLAGS] = {NULL, NULL, NULL, NULL};
    for (int k = 0; k < TAXONOMY_N_SKILL_FLAGS && !rc; k++) {
        if (!present[k]) continue;
        rc = taxonomy_store_clear_skill_flag(w->db, k, w->source_id, err);
        if (!rc) rc = taxonomy_writer_open_skill_flag(w->db, k, &set[k], err);
    }
    for (size_t i = 0; !rc && i < w->b->n_flags; i++) {
        tx_flag *f = &w->b->flags[i];
        int64_t id;
        if (!find_skill(w, f->skill_uri, true, &id)) {
            import_reject(f->report, "skill not in the taxonomy");
            continue;
        }
        rc = taxonomy_writer_set_skill_flag(set[f->kind], id, err);
        if (!rc && f->report) f->report->rows_imported++;
    }
    for (int k = 0; k < TAXONOMY_N_SKILL_FLAGS; k++) taxonomy_writer_close(set[k]);
    return rc;
}

fow_code taxonomy_batch_write(fow_db *db, taxonomy_batch *b, int64_t source_id, bool primary,
                              fow_import_report *report, fow_error *err) {
    writer w = {.db = db, .b = b, .source_id = source_id, .report = report};
    fow_strmap_init(&w.occ_ids);
    fow_strmap_init(&w.skill_ids);
    fow_strmap_init(&w.skill_uris);
    fow_code rc = taxonomy_store_load_keys(db, source_id, &w.occ_ids, &w.skill_ids, &w.skill_uris, err);
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
    return taxonomy_store_source_lang(db, source_id, lang, n, err);
}

fow_code taxonomy_import_batch(fow_db *db, taxonomy_batch *b, const char *dataset_base,
                               const char *name, const char *version, const char *licence,
                               const char *url, const char *path, bool allow_shrink,
                               fow_import_report *report, fow_error *err) {
    fow_code rc = fow_db_begin(db, err);
    if (rc) return rc;
    char primary_lang[32];
    rc = taxonomy_primary_lang(db, dataset_base, primary_lang, sizeof primary_lang, err);
    bool primary = !primary_lang[0] || strcmp(primary_lang, b->lang) == 0;
    char dataset[160];
    if (primary) snprintf(dataset, sizeof dataset, "%s", dataset_base);
    else snprintf(dataset, sizeof dataset, "labels:%s:%s", dataset_base, b->lang);
    if (!primary) {
        import_note(report, "%s was first imported in '%s': the '%s' files add translated labels only",
                    dataset_base, primary_lang, b->lang);
        import_note_code(report, "import.note.labels_only");
        import_note_param(report, "dataset", "%s", dataset_base);
        import_note_param(report, "primary", "%s", primary_lang);
        import_note_param(report, "lang", "%s", b->lang);
    }
    /* the language is part of what was imported */
    b->fingerprint ^= fow_hash_bytes(b->lang, strlen(b->lang));
    import_source src = {dataset, primary ? "taxonomy" : "labels", name, version, licence, url, path,
                         b->fingerprint, NULL};
    int64_t source_id = 0;
    bool unchanged = false;
    if (!rc) rc = import_source_begin(db, &src, report, &source_id, &unchanged, err);
    if (!rc && unchanged) return import_unchanged_end(db, report, err);
    if (!rc) rc = taxonomy_batch_write(db, b, source_id, primary, report, err);
    if (rc) {
        fow_db_rollback(db);
        return rc;
    }
    /* all of it is written: the derived values and the search index come
     * from the database, so the batch's memory can go first */
    taxonomy_batch_release(b);
    return import_commit(db, true, allow_shrink, err);
}
