#include "taxonomy/fow_model.h"

#include "base/fow_strmap.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fow_text.h"

#define OOM(err) fow_error_set(err, FOW_ENOMEM, "out of memory loading the model")

/* A growable text buffer; offsets into it stay valid as it grows. */
typedef struct text_buf {
    char *data;
    size_t len, cap;
} text_buf;

static int64_t text_add(text_buf *t, const char *s, size_t n) {
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 1 << 20;
        while (t->len + n + 1 > cap) cap *= 2;
        char *d = realloc(t->data, cap);
        if (!d) return -1;
        t->data = d;
        t->cap = cap;
    }
    int64_t off = (int64_t)t->len;
    memcpy(t->data + t->len, s, n);
    t->data[t->len + n] = '\0';
    t->len += n + 1;
    return off;
}

static const char *col_text(fow_arena *a, sqlite3_stmt *st, int i) {
    const unsigned char *s = sqlite3_column_text(st, i);
    return fow_arena_strndup(a, s ? (const char *)s : "", s ? (size_t)sqlite3_column_bytes(st, i) : 0);
}

static fow_code count_rows(fow_db *db, const char *sql, uint32_t *n, fow_error *err) {
    long long v;
    fow_code rc = fow_db_query_int(db, sql, &v, err);
    if (rc) return rc;
    if (v < 0 || v >= (long long)UINT32_MAX - 1)
        return fow_error_set(err, FOW_EINPUT, "taxonomy too large for the model (%lld rows)", v);
    *n = (uint32_t)v;
    return FOW_OK;
}

static float column_float(sqlite3_stmt *st, int i) {
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : (float)sqlite3_column_double(st, i);
}

static uint8_t risk_category_from_text(const char *text) {
    if (!text) return FOW_RISK_UNKNOWN;
    if (strcmp(text, "High risk") == 0) return FOW_RISK_HIGH;
    if (strcmp(text, "Low risk") == 0) return FOW_RISK_LOW;
    if (strcmp(text, "Other") == 0) return FOW_RISK_OTHER;
    return FOW_RISK_UNKNOWN;
}

static fow_code load_occupations(fow_db *db, fow_model *m, fow_error *err) {
    fow_code rc = count_rows(db, "SELECT count(*) FROM occupations", &m->n_occupations, err);
    if (rc) return rc;
    m->occupations = fow_arena_alloc(&m->arena, (m->n_occupations + 1) * sizeof *m->occupations);
    if (!m->occupations) return OOM(err);
    sqlite3_stmt *st;
    rc = fow_db_prepare(db,
                        "SELECT o.id, o.uri, o.code, o.isco_group, o.label, "
                        "  (SELECT risk FROM occupation_risk r WHERE r.occupation_id = o.id AND r.model = 'mcc'), "
                        "  (SELECT risk FROM occupation_risk r WHERE r.occupation_id = o.id AND r.model = 'frey-osborne'), "
                        "  m.category, m.prevalence, a.job_zone, a.annual_earnings_gbp, a.skills_sector "
                        "FROM occupations o "
                        "LEFT JOIN occupation_risk m ON m.occupation_id = o.id AND m.model = 'mcc' "
                        "LEFT JOIN occupation_attributes a ON a.occupation_id = o.id "
                        "ORDER BY o.id",
                        &st, err);
    if (rc) return rc;
    uint32_t i = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW && i < m->n_occupations) {
        fow_model_occupation *o = &m->occupations[i++];
        o->id = sqlite3_column_int64(st, 0);
        assert(i == 1 || o[-1].id < o->id); /* ORDER BY id: the lookups search by id */
        o->uri = col_text(&m->arena, st, 1);
        o->code = col_text(&m->arena, st, 2);
        o->isco_group = col_text(&m->arena, st, 3);
        o->label = col_text(&m->arena, st, 4);
        o->risk_mcc = column_float(st, 5);
        o->risk_frey_osborne = column_float(st, 6);
        o->parent = FOW_NO_INDEX;
        o->mcc_category = risk_category_from_text((const char *)sqlite3_column_text(st, 7));
        o->prevalence_mcc = column_float(st, 8);
        o->job_zone = column_float(st, 9);
        o->earnings = column_float(st, 10);
        o->skills_sector = col_text(&m->arena, st, 11);
        if (!o->uri || !o->code || !o->isco_group || !o->label || !o->skills_sector) {
            rc = OOM(err);
            break;
        }
    }
    if (!rc && r != SQLITE_ROW && r != SQLITE_DONE) rc = fow_db_error(db, err, "loading occupations");
    sqlite3_finalize(st);
    m->n_occupations = i;
    if (rc) return rc;
    rc = fow_db_prepare(db, "SELECT occupation_id, parent_id FROM occupation_parents", &st, err);
    if (rc) return rc;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        uint32_t c = fow_model_occupation_by_id(m, sqlite3_column_int64(st, 0));
        uint32_t p = fow_model_occupation_by_id(m, sqlite3_column_int64(st, 1));
        assert(p == FOW_NO_INDEX || p < m->n_occupations);
        if (c != FOW_NO_INDEX && m->occupations[c].parent == FOW_NO_INDEX) m->occupations[c].parent = p;
    }
    if (r != SQLITE_DONE) rc = fow_db_error(db, err, "loading occupation parents");
    sqlite3_finalize(st);
    return rc;
}

static fow_code load_skills(fow_db *db, fow_model *m, fow_error *err) {
    fow_code rc = count_rows(db, "SELECT count(*) FROM skills", &m->n_skills, err);
    if (rc) return rc;
    m->skills = fow_arena_alloc(&m->arena, (m->n_skills + 1) * sizeof *m->skills);
    if (!m->skills) return OOM(err);
    sqlite3_stmt *st;
    rc = fow_db_prepare(db,
                        "SELECT id, uri, label, skill_type = 'knowledge', green, digital, transversal, language "
                        "FROM skills ORDER BY id",
                        &st, err);
    if (rc) return rc;
    uint32_t i = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW && i < m->n_skills) {
        fow_model_skill *s = &m->skills[i++];
        s->id = sqlite3_column_int64(st, 0);
        assert(i == 1 || s[-1].id < s->id);
        s->uri = col_text(&m->arena, st, 1);
        s->label = col_text(&m->arena, st, 2);
        s->is_knowledge = (uint8_t)sqlite3_column_int(st, 3);
        s->flags = (uint8_t)((sqlite3_column_int(st, 4) ? FOW_SKILL_GREEN : 0) |
                             (sqlite3_column_int(st, 5) ? FOW_SKILL_DIGITAL : 0) |
                             (sqlite3_column_int(st, 6) ? FOW_SKILL_TRANSVERSAL : 0) |
                             (sqlite3_column_int(st, 7) ? FOW_SKILL_LANGUAGE : 0));
        if (!s->uri || !s->label) {
            rc = OOM(err);
            break;
        }
    }
    if (!rc && r != SQLITE_ROW && r != SQLITE_DONE) rc = fow_db_error(db, err, "loading skills");
    sqlite3_finalize(st);
    m->n_skills = i;
    return rc;
}

static fow_code load_links(fow_db *db, fow_model *m, fow_error *err) {
    uint32_t n = 0;
    fow_code rc = count_rows(db, "SELECT count(*) FROM occupation_skills", &n, err);
    if (rc) return rc;
    m->occ_offsets = fow_arena_alloc(&m->arena, ((size_t)m->n_occupations + 1) * sizeof *m->occ_offsets);
    m->skill_offsets = fow_arena_alloc(&m->arena, ((size_t)m->n_skills + 1) * sizeof *m->skill_offsets);
    m->occ_links = fow_arena_alloc(&m->arena, ((size_t)n + 1) * sizeof *m->occ_links);
    m->skill_links = fow_arena_alloc(&m->arena, ((size_t)n + 1) * sizeof *m->skill_links);
    if (!m->occ_offsets || !m->skill_offsets || !m->occ_links || !m->skill_links) return OOM(err);
    memset(m->occ_offsets, 0, ((size_t)m->n_occupations + 1) * sizeof *m->occ_offsets);
    memset(m->skill_offsets, 0, ((size_t)m->n_skills + 1) * sizeof *m->skill_offsets);
    sqlite3_stmt *st;
    /* rows come in primary-key order (occupation, skill, essential); a skill
     * listed both optional and essential comes twice in a row and counts
     * once, as essential (merged here: cheaper than GROUP BY in SQL) */
    rc = fow_db_prepare(db,
                        "SELECT occupation_id, skill_id, essential FROM occupation_skills "
                        "ORDER BY occupation_id, skill_id, essential",
                        &st, err);
    if (rc) return rc;
    uint32_t k = 0, occ = 0, prev_skill = FOW_NO_INDEX;
    int64_t occ_id = -1;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW && k < n) {
        int64_t oid = sqlite3_column_int64(st, 0);
        if (oid != occ_id) {
            occ = fow_model_occupation_by_id(m, oid);
            occ_id = oid;
            prev_skill = FOW_NO_INDEX;
        }
        uint32_t skill = fow_model_skill_by_id(m, sqlite3_column_int64(st, 1));
        if (occ == FOW_NO_INDEX || skill == FOW_NO_INDEX) continue;
        assert(occ < m->n_occupations && skill < m->n_skills);
        uint32_t essential = (uint32_t)sqlite3_column_int(st, 2);
        if (skill == prev_skill) {
            m->occ_links[k - 1].essential |= essential;
            continue;
        }
        /* rows come by occupation, then skill: each row of the CSR is sorted */
        assert(k == 0 || m->occ_offsets[occ + 1] == 0 || m->occ_links[k - 1].index < skill);
        prev_skill = skill;
        m->occ_links[k] = (fow_model_link){skill, essential};
        m->occ_offsets[occ + 1]++;
        m->skill_offsets[skill + 1]++;
        k++;
    }
    if (r != SQLITE_ROW && r != SQLITE_DONE) rc = fow_db_error(db, err, "loading occupation skills");
    sqlite3_finalize(st);
    if (rc) return rc;
    m->n_links = k;
    for (uint32_t i = 0; i < m->n_occupations; i++) m->occ_offsets[i + 1] += m->occ_offsets[i];
    for (uint32_t j = 0; j < m->n_skills; j++) m->skill_offsets[j + 1] += m->skill_offsets[j];
    assert(m->occ_offsets[0] == 0 && m->occ_offsets[m->n_occupations] == m->n_links);
    assert(m->skill_offsets[0] == 0 && m->skill_offsets[m->n_skills] == m->n_links);
    /* the transpose: walk the occupation rows in order, so each skill's row
     * lists occupations in index order */
    uint32_t *fill = malloc(((size_t)m->n_skills + 1) * sizeof *fill);
    if (!fill) return OOM(err);
    memcpy(fill, m->skill_offsets, ((size_t)m->n_skills + 1) * sizeof *fill);
    for (uint32_t i = 0; i < m->n_occupations; i++)
        for (uint32_t p = m->occ_offsets[i]; p < m->occ_offsets[i + 1]; p++) {
            fow_model_link l = m->occ_links[p];
            assert(l.index < m->n_skills && fill[l.index] < m->skill_offsets[l.index + 1]);
            m->skill_links[fill[l.index]++] = (fow_model_link){i, l.essential};
        }
#ifndef NDEBUG
    /* every skill's row filled exactly */
    for (uint32_t j = 0; j < m->n_skills; j++) assert(fill[j] == m->skill_offsets[j + 1]);
#endif
    free(fill);
    return FOW_OK;
}

typedef struct word_sort {
    const char *suffix;
    fow_model_word word;
} word_sort;

static int compare_words(const void *a, const void *b) {
    int c = strcmp(((const word_sort *)a)->suffix, ((const word_sort *)b)->suffix);
    if (c) return c;
    uint32_t ta = ((const word_sort *)a)->word.term, tb = ((const word_sort *)b)->word.term;
    return (ta > tb) - (ta < tb);
}

static fow_code load_terms(fow_db *db, fow_model *m, fow_error *err) {
    fow_code rc = count_rows(db, "SELECT count(*) FROM search_terms", &m->n_terms, err);
    if (rc) return rc;
    m->terms = fow_arena_alloc(&m->arena, ((size_t)m->n_terms + 1) * sizeof *m->terms);
    if (!m->terms) return OOM(err);
    text_buf text = {0};
    sqlite3_stmt *st;
    /* the index on folded gives byte order, the order the search expects */
    rc = fow_db_prepare(db,
                        "SELECT folded, label, kind, entity_id, lang, preferred FROM search_terms "
                        "ORDER BY folded",
                        &st, err);
    if (rc) return rc;
    uint32_t i = 0;
    size_t n_words = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW && i < m->n_terms) {
        fow_model_term *t = &m->terms[i];
        int kind = sqlite3_column_int(st, 2);
        int64_t id = sqlite3_column_int64(st, 3);
        t->entity = kind == 0 ? fow_model_occupation_by_id(m, id) : fow_model_skill_by_id(m, id);
        if (t->entity == FOW_NO_INDEX) continue;
        const char *folded = (const char *)sqlite3_column_text(st, 0);
        size_t flen = (size_t)sqlite3_column_bytes(st, 0);
        if (flen > UINT16_MAX) continue;
        int64_t fo = text_add(&text, folded, flen);
        int64_t lo = text_add(&text, (const char *)sqlite3_column_text(st, 1), (size_t)sqlite3_column_bytes(st, 1));
        if (fo < 0 || lo < 0 || text.len > UINT32_MAX) {
            rc = OOM(err);
            break;
        }
        /* ORDER BY folded is byte order (BINARY): the search's binary search needs it */
        assert(i == 0 || strcmp(text.data + m->terms[i - 1].folded, text.data + fo) <= 0);
        t->folded = (uint32_t)fo;
        t->label = (uint32_t)lo;
        t->folded_len = (uint16_t)flen;
        t->kind = (uint8_t)kind;
        t->preferred = (uint8_t)sqlite3_column_int(st, 5);
        const unsigned char *lang = sqlite3_column_text(st, 4);
        memset(t->lang, 0, sizeof t->lang); /* every byte defined: the snapshot writes them all */
        snprintf(t->lang, sizeof t->lang, "%s", lang ? (const char *)lang : "");
        for (size_t k = 1; k < flen; k++) n_words += fow_text_is_word_start(folded, k);
        i++;
    }
    if (!rc && r != SQLITE_ROW && r != SQLITE_DONE) rc = fow_db_error(db, err, "loading the search index");
    sqlite3_finalize(st);
    m->n_terms = i;
    m->text = text.data;
    m->text_len = text.len;
    if (rc) return rc;
    word_sort *ws = malloc((n_words + 1) * sizeof *ws);
    if (!ws) return OOM(err);
    size_t w = 0;
    for (uint32_t t = 0; t < m->n_terms; t++) {
        const char *f = m->text + m->terms[t].folded;
        for (size_t k = 1; k < m->terms[t].folded_len; k++)
            if (fow_text_is_word_start(f, k) && w < n_words) ws[w++] = (word_sort){f + k, {t, (uint32_t)k}};
    }
    qsort(ws, w, sizeof *ws, compare_words);
    m->words = fow_arena_alloc(&m->arena, (w + 1) * sizeof *m->words);
    if (!m->words) {
        free(ws);
        return OOM(err);
    }
    for (size_t k = 0; k < w; k++) m->words[k] = ws[k].word;
    m->n_words = (uint32_t)w;
    free(ws);
    return FOW_OK;
}

typedef struct preferred_key {
    uint8_t kind;
    char lang[8];
    uint32_t entity;
    uint32_t term;
} preferred_key;

static int compare_preferred(const void *a, const void *b) {
    const preferred_key *x = a, *y = b;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    if (x->entity != y->entity) return x->entity < y->entity ? -1 : 1;
    int c = strcmp(x->lang, y->lang);
    return c ? c : (x->term < y->term ? -1 : x->term > y->term);
}

static fow_code index_preferred(fow_model *m, fow_error *err) {
    uint32_t n = 0;
    for (uint32_t t = 0; t < m->n_terms; t++) n += m->terms[t].preferred;
    preferred_key *keys = malloc((n + 1) * sizeof *keys);
    m->preferred = fow_arena_alloc(&m->arena, (n + 1) * sizeof *m->preferred);
    if (!keys || !m->preferred) {
        free(keys);
        return OOM(err);
    }
    uint32_t k = 0;
    for (uint32_t t = 0; t < m->n_terms; t++) {
        const fow_model_term *x = &m->terms[t];
        if (!x->preferred) continue;
        keys[k].kind = x->kind;
        memcpy(keys[k].lang, x->lang, sizeof keys[k].lang);
        keys[k].entity = x->entity;
        keys[k].term = t;
        k++;
    }
    qsort(keys, k, sizeof *keys, compare_preferred);
    for (uint32_t i = 0; i < k; i++) {
        assert(keys[i].term < m->n_terms && (i == 0 || compare_preferred(&keys[i - 1], &keys[i]) < 0));
        m->preferred[i] = keys[i].term;
    }
    m->n_preferred = k;
    free(keys);
    return FOW_OK;
}

const char *fow_model_label_in(const fow_model *m, int kind, uint32_t entity, const char *lang) {
    assert((kind == 0 && entity < m->n_occupations) || (kind == 1 && entity < m->n_skills));
    if (!lang || !m->preferred) return NULL;
    uint32_t lo = 0, hi = m->n_preferred;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const fow_model_term *x = &m->terms[m->preferred[mid]];
        int c = x->kind != kind ? (x->kind < kind ? -1 : 1)
                : x->entity != entity ? (x->entity < entity ? -1 : 1)
                                      : strcmp(x->lang, lang);
        if (c < 0) lo = mid + 1;
        else if (c > 0) hi = mid;
        else return fow_model_text(m, x->label);
    }
    return NULL;
}

static fow_code index_occupation_keys(fow_model *m, fow_error *err);

fow_code fow_model_load(fow_db *db, fow_model **out, fow_error *err) {
    *out = NULL;
    fow_model *m = calloc(1, sizeof *m);
    if (!m) return OOM(err);
    fow_arena_init(&m->arena, 1 << 20);
    /* one read transaction: a consistent snapshot even while an import
     * runs (the caller's, when it has begun one) */
    bool own_transaction = sqlite3_get_autocommit(db->sql) != 0;
    fow_code rc = own_transaction ? fow_db_exec(db, "BEGIN", err) : FOW_OK;
    if (!rc) rc = load_occupations(db, m, err);
    if (!rc) rc = load_skills(db, m, err);
    if (!rc) rc = load_links(db, m, err);
    if (!rc) rc = load_terms(db, m, err);
    if (!rc) rc = index_preferred(m, err);
    if (!rc) rc = index_occupation_keys(m, err);
    if (own_transaction) fow_db_exec(db, "COMMIT", NULL);
    if (rc) {
        fow_model_free(m);
        return rc;
    }
    *out = m;
    return FOW_OK;
}

/* ---- occupations by key -------------------------------------------------- */

const char *fow_model_uri_last_segment(const char *uri) {
    const char *slash = strrchr(uri, '/');
    const char *colon = strrchr(uri, ':');
    const char *cut = slash > colon ? slash : colon;
    return cut ? cut + 1 : uri;
}

/* The key an entry of a table stands for. */
static const char *entry_key(const fow_model *m, bool by_uri, uint32_t entry) {
    const fow_model_occupation *o = &m->occupations[entry >> 1];
    if (by_uri) return o->uri;
    return (entry & 1) ? fow_model_uri_last_segment(o->uri) : o->code;
}

static bool entry_matches(const fow_model *m, bool by_uri, uint32_t entry, const char *key, size_t len) {
    const char *k = entry_key(m, by_uri, entry);
    return strncmp(k, key, len) == 0 && k[len] == '\0';
}

/* Adds entry unless an earlier occupation has the same key (lower indexes
 * are added first, so the first holder of a key keeps it). */
static void key_table_add(fow_model *m, bool by_uri, uint32_t entry) {
    uint32_t *slots = by_uri ? m->uri_slots : m->short_slots;
    const char *key = entry_key(m, by_uri, entry);
    size_t len = strlen(key);
    if (!len) return;
    uint32_t i = (uint32_t)fow_hash_bytes(key, len) & m->key_slots_mask;
    while (slots[i] != UINT32_MAX) {
        if (entry_matches(m, by_uri, slots[i], key, len)) return;
        i = (i + 1) & m->key_slots_mask;
    }
    slots[i] = entry;
}

/* Builds the key tables of m (after its occupations are in place). */
static fow_code index_occupation_keys(fow_model *m, fow_error *err) {
    uint32_t cap = 16;
    while (cap < 4u * (m->n_occupations + 1)) cap <<= 1;
    m->uri_slots = malloc((size_t)cap * sizeof *m->uri_slots);
    m->short_slots = malloc((size_t)cap * sizeof *m->short_slots);
    if (!m->uri_slots || !m->short_slots) return OOM(err);
    memset(m->uri_slots, 0xff, (size_t)cap * sizeof *m->uri_slots);
    memset(m->short_slots, 0xff, (size_t)cap * sizeof *m->short_slots);
    m->key_slots_mask = cap - 1;
    for (uint32_t o = 0; o < m->n_occupations; o++) {
        key_table_add(m, true, o << 1);
        key_table_add(m, false, o << 1);
        key_table_add(m, false, o << 1 | 1);
    }
    return FOW_OK;
}

uint32_t fow_model_occupation_by_key(const fow_model *m, bool by_uri, const char *key, size_t len) {
    const uint32_t *slots = by_uri ? m->uri_slots : m->short_slots;
    if (!slots || !len) return FOW_NO_INDEX;
    uint32_t i = (uint32_t)fow_hash_bytes(key, len) & m->key_slots_mask;
    while (slots[i] != UINT32_MAX) {
        if (entry_matches(m, by_uri, slots[i], key, len)) {
            assert((slots[i] >> 1) < m->n_occupations);
            return slots[i] >> 1;
        }
        i = (i + 1) & m->key_slots_mask;
    }
    return FOW_NO_INDEX;
}

void fow_model_free(fow_model *model) {
    if (!model) return;
    free(model->uri_slots);
    free(model->short_slots);
    if (!model->mapped) free(model->text);
    fow_arena_free(&model->arena);
    free(model);
}

uint32_t fow_model_occupation_by_id(const fow_model *m, int64_t id) {
    uint32_t lo = 0, hi = m->n_occupations;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (m->occupations[mid].id < id) lo = mid + 1;
        else hi = mid;
    }
    assert(lo == m->n_occupations || m->occupations[lo].id >= id);
    assert(lo == 0 || m->occupations[lo - 1].id < id);
    return lo < m->n_occupations && m->occupations[lo].id == id ? lo : FOW_NO_INDEX;
}

uint32_t fow_model_skill_by_id(const fow_model *m, int64_t id) {
    uint32_t lo = 0, hi = m->n_skills;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (m->skills[mid].id < id) lo = mid + 1;
        else hi = mid;
    }
    assert(lo == m->n_skills || m->skills[lo].id >= id);
    assert(lo == 0 || m->skills[lo - 1].id < id);
    return lo < m->n_skills && m->skills[lo].id == id ? lo : FOW_NO_INDEX;
}

/* ---- snapshots ----------------------------------------------------------- */

#define TAG_OCCUPATIONS FOW_SNAP_TAG('M', 'O', 'C', 'C')
#define TAG_SKILLS FOW_SNAP_TAG('M', 'S', 'K', 'L')
#define TAG_STRINGS FOW_SNAP_TAG('M', 'S', 'T', 'R')
#define TAG_OCC_OFFSETS FOW_SNAP_TAG('M', 'O', 'O', 'F')
#define TAG_OCC_LINKS FOW_SNAP_TAG('M', 'O', 'L', 'K')
#define TAG_SKILL_OFFSETS FOW_SNAP_TAG('M', 'S', 'O', 'F')
#define TAG_SKILL_LINKS FOW_SNAP_TAG('M', 'S', 'L', 'K')
#define TAG_TERMS FOW_SNAP_TAG('M', 'T', 'R', 'M')
#define TAG_WORDS FOW_SNAP_TAG('M', 'W', 'R', 'D')
#define TAG_PREFERRED FOW_SNAP_TAG('M', 'P', 'R', 'F')
#define TAG_TEXT FOW_SNAP_TAG('M', 'T', 'X', 'T')

/* An occupation in a snapshot: strings as offsets into the string pool. */
typedef struct snap_occupation {
    int64_t id;
    uint32_t uri, code, isco_group, label, skills_sector;
    uint32_t parent;
    float risk_mcc, risk_frey_osborne, prevalence_mcc, job_zone, earnings;
    uint32_t mcc_category;
} snap_occupation;

typedef struct snap_skill {
    int64_t id;
    uint32_t uri, label;
    uint32_t is_knowledge, flags;
} snap_skill;

static uint32_t pool_add(text_buf *pool, const char *s, bool *failed) {
    int64_t off = text_add(pool, s, strlen(s));
    if (off < 0 || off > (int64_t)UINT32_MAX) {
        *failed = true;
        return 0;
    }
    return (uint32_t)off;
}

fow_code fow_model_snapshot_write(const fow_model *m, fow_snap_writer *w) {
    text_buf pool = {0};
    bool failed = false;
    snap_occupation *occ = calloc(m->n_occupations ? m->n_occupations : 1, sizeof *occ);
    snap_skill *sk = calloc(m->n_skills ? m->n_skills : 1, sizeof *sk);
    failed = !occ || !sk;
    pool_add(&pool, "", &failed);
    for (uint32_t i = 0; !failed && i < m->n_occupations; i++) {
        const fow_model_occupation *o = &m->occupations[i];
        occ[i] = (snap_occupation){.id = o->id,
                                   .uri = pool_add(&pool, o->uri, &failed),
                                   .code = pool_add(&pool, o->code, &failed),
                                   .isco_group = pool_add(&pool, o->isco_group, &failed),
                                   .label = pool_add(&pool, o->label, &failed),
                                   .skills_sector = pool_add(&pool, o->skills_sector, &failed),
                                   .parent = o->parent,
                                   .risk_mcc = o->risk_mcc,
                                   .risk_frey_osborne = o->risk_frey_osborne,
                                   .prevalence_mcc = o->prevalence_mcc,
                                   .job_zone = o->job_zone,
                                   .earnings = o->earnings,
                                   .mcc_category = o->mcc_category};
    }
    for (uint32_t i = 0; !failed && i < m->n_skills; i++) {
        const fow_model_skill *s = &m->skills[i];
        sk[i] = (snap_skill){.id = s->id,
                             .uri = pool_add(&pool, s->uri, &failed),
                             .label = pool_add(&pool, s->label, &failed),
                             .is_knowledge = s->is_knowledge,
                             .flags = s->flags};
    }
    fow_code rc;
    if (failed) {
        rc = fow_snap_writer_fail(w, FOW_ENOMEM, "out of memory writing the model");
    } else {
        uint64_t n_occ = m->n_occupations, n_sk = m->n_skills, n_links = m->n_links;
        fow_snap_put(w, TAG_OCCUPATIONS, occ, n_occ * sizeof *occ, n_occ);
        fow_snap_put(w, TAG_SKILLS, sk, n_sk * sizeof *sk, n_sk);
        fow_snap_put(w, TAG_STRINGS, pool.data, pool.len, pool.len);
        fow_snap_put(w, TAG_OCC_OFFSETS, m->occ_offsets, (n_occ + 1) * sizeof *m->occ_offsets, n_occ + 1);
        fow_snap_put(w, TAG_OCC_LINKS, m->occ_links, n_links * sizeof *m->occ_links, n_links);
        fow_snap_put(w, TAG_SKILL_OFFSETS, m->skill_offsets, (n_sk + 1) * sizeof *m->skill_offsets, n_sk + 1);
        fow_snap_put(w, TAG_SKILL_LINKS, m->skill_links, n_links * sizeof *m->skill_links, n_links);
        fow_snap_put(w, TAG_TERMS, m->terms, (uint64_t)m->n_terms * sizeof *m->terms, m->n_terms);
        fow_snap_put(w, TAG_WORDS, m->words, (uint64_t)m->n_words * sizeof *m->words, m->n_words);
        fow_snap_put(w, TAG_PREFERRED, m->preferred, (uint64_t)m->n_preferred * sizeof *m->preferred,
                     m->n_preferred);
        rc = fow_snap_put(w, TAG_TEXT, m->text, m->text_len, m->text_len);
    }
    free(occ);
    free(sk);
    free(pool.data);
    return rc;
}

/* True when offsets (n + 1 of them) start at 0, never decrease and end at total. */
static bool offsets_valid(const uint32_t *offsets, uint64_t n, uint64_t total) {
    if (offsets[0] != 0 || offsets[n] != total) return false;
    for (uint64_t i = 0; i < n; i++)
        if (offsets[i] > offsets[i + 1]) return false;
    return true;
}

fow_code fow_model_snapshot_read(const fow_snap *snap, fow_model **out, fow_error *err) {
    *out = NULL;
    uint64_t n_occ, n_sk, n_pool, n_oo, n_ol, n_so, n_sl, n_terms, n_words, n_pref, n_text;
    const snap_occupation *occ = fow_snap_section(snap, TAG_OCCUPATIONS, sizeof *occ, &n_occ);
    const snap_skill *sk = fow_snap_section(snap, TAG_SKILLS, sizeof *sk, &n_sk);
    const char *pool = fow_snap_section(snap, TAG_STRINGS, 1, &n_pool);
    const uint32_t *occ_offsets = fow_snap_section(snap, TAG_OCC_OFFSETS, sizeof *occ_offsets, &n_oo);
    const fow_model_link *occ_links = fow_snap_section(snap, TAG_OCC_LINKS, sizeof *occ_links, &n_ol);
    const uint32_t *skill_offsets = fow_snap_section(snap, TAG_SKILL_OFFSETS, sizeof *skill_offsets, &n_so);
    const fow_model_link *skill_links = fow_snap_section(snap, TAG_SKILL_LINKS, sizeof *skill_links, &n_sl);
    const fow_model_term *terms = fow_snap_section(snap, TAG_TERMS, sizeof *terms, &n_terms);
    const fow_model_word *words = fow_snap_section(snap, TAG_WORDS, sizeof *words, &n_words);
    const uint32_t *preferred = fow_snap_section(snap, TAG_PREFERRED, sizeof *preferred, &n_pref);
    const char *text = fow_snap_section(snap, TAG_TEXT, 1, &n_text);
    const char *why = NULL;
    if (!occ || !sk || !pool || !occ_offsets || !occ_links || !skill_offsets || !skill_links || !terms || !words ||
        !preferred || !text)
        why = "a section of the model is missing";
    else if (n_occ >= UINT32_MAX - 1 || n_sk >= UINT32_MAX - 1 || n_ol >= UINT32_MAX || n_terms >= UINT32_MAX ||
             n_words >= UINT32_MAX || n_pref >= UINT32_MAX)
        why = "the model is too large";
    else if (n_oo != n_occ + 1 || n_so != n_sk + 1 || n_sl != n_ol)
        why = "the model's relations do not match its occupations and skills";
    else if (n_pool == 0 || pool[n_pool - 1] != '\0' || (n_text && text[n_text - 1] != '\0'))
        why = "the model's text is not terminated";
    else if (!offsets_valid(occ_offsets, n_occ, n_ol) || !offsets_valid(skill_offsets, n_sk, n_ol))
        why = "the model's relation offsets are inconsistent";
    if (why) return fow_error_set(err, FOW_EINPUT, "snapshot: %s", why);
    fow_model *m = calloc(1, sizeof *m);
    if (!m) return OOM(err);
    fow_arena_init(&m->arena, 64 * 1024);
    m->mapped = true;
    m->n_occupations = (uint32_t)n_occ;
    m->n_skills = (uint32_t)n_sk;
    m->occupations = fow_arena_alloc(&m->arena, (n_occ + 1) * sizeof *m->occupations);
    m->skills = fow_arena_alloc(&m->arena, (n_sk + 1) * sizeof *m->skills);
    if (!m->occupations || !m->skills) {
        fow_model_free(m);
        return OOM(err);
    }
#define POOL_STRING(off) ((off) < n_pool ? pool + (off) : NULL)
    for (uint64_t i = 0; i < n_occ && !why; i++) {
        const snap_occupation *s = &occ[i];
        fow_model_occupation *o = &m->occupations[i];
        *o = (fow_model_occupation){.id = s->id,
                                    .uri = POOL_STRING(s->uri),
                                    .code = POOL_STRING(s->code),
                                    .isco_group = POOL_STRING(s->isco_group),
                                    .label = POOL_STRING(s->label),
                                    .skills_sector = POOL_STRING(s->skills_sector),
                                    .parent = s->parent,
                                    .risk_mcc = s->risk_mcc,
                                    .risk_frey_osborne = s->risk_frey_osborne,
                                    .mcc_category = (uint8_t)s->mcc_category,
                                    .prevalence_mcc = s->prevalence_mcc,
                                    .job_zone = s->job_zone,
                                    .earnings = s->earnings};
        if (!o->uri || !o->code || !o->isco_group || !o->label || !o->skills_sector ||
            (o->parent != FOW_NO_INDEX && o->parent >= n_occ))
            why = "an occupation refers outside the model";
    }
    for (uint64_t i = 0; i < n_sk && !why; i++) {
        const snap_skill *s = &sk[i];
        fow_model_skill *k = &m->skills[i];
        *k = (fow_model_skill){.id = s->id,
                               .uri = POOL_STRING(s->uri),
                               .label = POOL_STRING(s->label),
                               .is_knowledge = (uint8_t)s->is_knowledge,
                               .flags = (uint8_t)s->flags};
        if (!k->uri || !k->label) why = "a skill refers outside the model";
    }
#undef POOL_STRING
    if (why) {
        fow_model_free(m);
        return fow_error_set(err, FOW_EINPUT, "snapshot: %s", why);
    }
    /* used in place: the model never writes to them */
    m->occ_offsets = (uint32_t *)occ_offsets;
    m->occ_links = (fow_model_link *)occ_links;
    m->skill_offsets = (uint32_t *)skill_offsets;
    m->skill_links = (fow_model_link *)skill_links;
    m->n_links = (uint32_t)n_ol;
    m->terms = (fow_model_term *)terms;
    m->n_terms = (uint32_t)n_terms;
    m->words = (fow_model_word *)words;
    m->n_words = (uint32_t)n_words;
    m->preferred = (uint32_t *)preferred;
    m->n_preferred = (uint32_t)n_pref;
    m->text = (char *)text;
    m->text_len = n_text;
    fow_code rc = index_occupation_keys(m, err);
    if (rc) {
        fow_model_free(m);
        return rc;
    }
    *out = m;
    return FOW_OK;
}
