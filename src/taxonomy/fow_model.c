#include "taxonomy/fow_model.h"
#include "taxonomy/fow_search.h"

#include "base/fow_strmap.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fow_text.h"
#include "taxonomy/taxonomy_store.h"

#define OOM(err) fow_error_set(err, FOW_ENOMEM, "out of memory loading the model")

/* The page cache while the model loads (fow_model_load). */
#define MODEL_LOAD_CACHE_KIB 2048

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

static fow_code count_rows(fow_db *db, taxonomy_counted what, uint32_t *n, fow_error *err) {
    long long v;
    fow_code rc = taxonomy_store_count(db, what, &v, err);
    if (rc) return rc;
    if (v < 0 || v >= (long long)UINT32_MAX - 1)
        return fow_error_set(err, FOW_EINPUT, "taxonomy too large for the model (%lld rows)", v);
    *n = (uint32_t)v;
    return FOW_OK;
}

static uint8_t risk_category_from_text(const char *text) {
    if (!text) return FOW_RISK_UNKNOWN;
    if (strcmp(text, "High risk") == 0) return FOW_RISK_HIGH;
    if (strcmp(text, "Low risk") == 0) return FOW_RISK_LOW;
    if (strcmp(text, "Other") == 0) return FOW_RISK_OTHER;
    return FOW_RISK_UNKNOWN;
}

/* The model while it loads: the next row of the array being filled. */
typedef struct model_loading {
    fow_model *m;
    uint32_t i;
} model_loading;

static fow_code add_occupation(void *ctx, const taxonomy_model_occupation *row, fow_error *err) {
    model_loading *L = ctx;
    fow_model *m = L->m;
    if (L->i >= m->n_occupations) return FOW_OK; /* counted in the same snapshot: never */
    fow_model_occupation *o = &m->occupations[L->i++];
    o->id = row->id;
    assert(L->i == 1 || o[-1].id < o->id); /* ORDER BY id: the lookups search by id */
    o->uri = fow_arena_strdup(&m->arena, row->uri);
    o->code = fow_arena_strdup(&m->arena, row->code);
    o->isco_group = fow_arena_strdup(&m->arena, row->isco_group);
    o->label = fow_arena_strdup(&m->arena, row->label);
    o->risk_mcc = (float)row->risk_mcc;
    o->risk_frey_osborne = (float)row->risk_frey_osborne;
    o->parent = FOW_NO_INDEX;
    o->mcc_category = risk_category_from_text(row->mcc_category);
    o->prevalence_mcc = (float)row->prevalence_mcc;
    o->job_zone = (float)row->job_zone;
    o->earnings = (float)row->earnings;
    o->education = (float)row->education;
    o->experience = (float)row->experience;
    o->training = (float)row->training;
    o->remote_work = (float)row->remote_work;
    o->physical_proximity = (float)row->physical_proximity;
    o->skills_sector = fow_arena_strdup(&m->arena, row->skills_sector);
    if (!o->uri || !o->code || !o->isco_group || !o->label || !o->skills_sector) return OOM(err);
    return FOW_OK;
}

static fow_code add_parent(void *ctx, int64_t occupation_id, int64_t parent_id, fow_error *err) {
    fow_model *m = ctx;
    (void)err;
    uint32_t c = fow_model_occupation_by_id(m, occupation_id);
    uint32_t p = fow_model_occupation_by_id(m, parent_id);
    assert(p == FOW_NO_INDEX || p < m->n_occupations);
    if (c != FOW_NO_INDEX && m->occupations[c].parent == FOW_NO_INDEX) m->occupations[c].parent = p;
    return FOW_OK;
}

static fow_code load_occupations(fow_db *db, fow_model *m, fow_error *err) {
    fow_code rc = count_rows(db, TAXONOMY_COUNT_OCCUPATIONS, &m->n_occupations, err);
    if (rc) return rc;
    m->occupations = fow_arena_alloc(&m->arena, (m->n_occupations + 1) * sizeof *m->occupations);
    if (!m->occupations) return OOM(err);
    model_loading loading = {m, 0};
    rc = taxonomy_store_each_model_occupation(db, add_occupation, &loading, err);
    m->n_occupations = loading.i;
    if (rc) return rc;
    return taxonomy_store_each_parent(db, add_parent, m, err);
}

static fow_code add_skill(void *ctx, const taxonomy_model_skill *row, fow_error *err) {
    model_loading *L = ctx;
    fow_model *m = L->m;
    if (L->i >= m->n_skills) return FOW_OK;
    fow_model_skill *s = &m->skills[L->i++];
    s->id = row->id;
    assert(L->i == 1 || s[-1].id < s->id);
    s->uri = fow_arena_strdup(&m->arena, row->uri);
    s->label = fow_arena_strdup(&m->arena, row->label);
    s->is_knowledge = row->is_knowledge;
    s->flags = (uint8_t)((row->green ? FOW_SKILL_GREEN : 0) | (row->digital ? FOW_SKILL_DIGITAL : 0) |
                         (row->transversal ? FOW_SKILL_TRANSVERSAL : 0) | (row->language ? FOW_SKILL_LANGUAGE : 0));
    if (!s->uri || !s->label) return OOM(err);
    return FOW_OK;
}

static fow_code load_skills(fow_db *db, fow_model *m, fow_error *err) {
    fow_code rc = count_rows(db, TAXONOMY_COUNT_SKILLS, &m->n_skills, err);
    if (rc) return rc;
    m->skills = fow_arena_alloc(&m->arena, (m->n_skills + 1) * sizeof *m->skills);
    if (!m->skills) return OOM(err);
    model_loading loading = {m, 0};
    rc = taxonomy_store_each_model_skill(db, add_skill, &loading, err);
    m->n_skills = loading.i;
    return rc;
}

/* The occupation-skill rows while they load (see load_links). */
typedef struct links_loading {
    fow_model *m;
    uint32_t n, k, occ, prev_skill;
    int64_t occ_id;
} links_loading;

static fow_code add_link(void *ctx, int64_t oid, int64_t skill_id, bool essential, fow_error *err) {
    links_loading *L = ctx;
    fow_model *m = L->m;
    (void)err;
    if (L->k >= L->n) return FOW_OK;
    if (oid != L->occ_id) {
        L->occ = fow_model_occupation_by_id(m, oid);
        L->occ_id = oid;
        L->prev_skill = FOW_NO_INDEX;
    }
    uint32_t skill = fow_model_skill_by_id(m, skill_id);
    if (L->occ == FOW_NO_INDEX || skill == FOW_NO_INDEX) return FOW_OK;
    assert(L->occ < m->n_occupations && skill < m->n_skills);
    if (skill == L->prev_skill) {
        m->occ_links[L->k - 1].essential |= essential;
        return FOW_OK;
    }
    /* rows come by occupation, then skill: each row of the CSR is sorted */
    assert(L->k == 0 || m->occ_offsets[L->occ + 1] == 0 || m->occ_links[L->k - 1].index < skill);
    L->prev_skill = skill;
    m->occ_links[L->k] = (fow_model_link){skill, essential};
    m->occ_offsets[L->occ + 1]++;
    m->skill_offsets[skill + 1]++;
    L->k++;
    return FOW_OK;
}

static fow_code load_links(fow_db *db, fow_model *m, fow_error *err) {
    uint32_t n = 0;
    if (m->n_occupations >= FOW_MODEL_MAX_ENTITIES || m->n_skills >= FOW_MODEL_MAX_ENTITIES)
        return fow_error_set(err, FOW_EINPUT, "taxonomy too large for the model (%u occupations, %u skills)",
                             m->n_occupations, m->n_skills);
    fow_code rc = count_rows(db, TAXONOMY_COUNT_REQUIREMENTS, &n, err);
    if (rc) return rc;
    m->occ_offsets = fow_arena_alloc(&m->arena, ((size_t)m->n_occupations + 1) * sizeof *m->occ_offsets);
    m->skill_offsets = fow_arena_alloc(&m->arena, ((size_t)m->n_skills + 1) * sizeof *m->skill_offsets);
    m->occ_links = fow_arena_alloc(&m->arena, ((size_t)n + 1) * sizeof *m->occ_links);
    m->skill_links = fow_arena_alloc(&m->arena, ((size_t)n + 1) * sizeof *m->skill_links);
    if (!m->occ_offsets || !m->skill_offsets || !m->occ_links || !m->skill_links) return OOM(err);
    memset(m->occ_offsets, 0, ((size_t)m->n_occupations + 1) * sizeof *m->occ_offsets);
    memset(m->skill_offsets, 0, ((size_t)m->n_skills + 1) * sizeof *m->skill_offsets);
    /* rows come in primary-key order (occupation, skill, essential); a skill
     * listed both optional and essential comes twice in a row and counts
     * once, as essential (merged here: cheaper than GROUP BY in SQL) */
    links_loading loading = {m, n, 0, 0, FOW_NO_INDEX, -1};
    rc = taxonomy_store_each_requirement(db, add_link, &loading, err);
    if (rc) return rc;
    uint32_t k = loading.k;
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

/* The text the words being sorted point into (compare_words): set by the
 * thread that sorts, for qsort's comparator, which takes no context. */
static _Thread_local const char *words_text;

/* While sorted, a word's offset is the absolute offset of its text in
 * words_text: by that text, then by term. */
static int compare_words(const void *a, const void *b) {
    const fow_model_word *x = a, *y = b;
    int c = strcmp(words_text + x->offset, words_text + y->offset);
    if (c) return c;
    return (x->term > y->term) - (x->term < y->term);
}

/* The search terms while they load. */
typedef struct terms_loading {
    fow_model *m;
    text_buf text;
    uint32_t i;
    size_t n_words;
} terms_loading;

static fow_code add_term(void *ctx, const taxonomy_search_term *row, fow_error *err) {
    terms_loading *L = ctx;
    fow_model *m = L->m;
    if (L->i >= m->n_terms) return FOW_OK;
    fow_model_term *t = &m->terms[L->i];
    t->entity = row->kind == 0 ? fow_model_occupation_by_id(m, row->entity_id) : fow_model_skill_by_id(m, row->entity_id);
    if (t->entity == FOW_NO_INDEX) return FOW_OK;
    size_t flen = row->folded_len;
    if (flen > UINT16_MAX) return FOW_OK;
    int64_t fo = text_add(&L->text, row->folded, flen);
    /* a label that is its own folded text (most of ESCO's: lower case,
     * unaccented) is stored once */
    bool same = row->label_len == flen && memcmp(row->label, row->folded, flen) == 0;
    int64_t lo = same ? fo : text_add(&L->text, row->label, row->label_len);
    if (fo < 0 || lo < 0 || L->text.len > UINT32_MAX) return OOM(err);
    /* ORDER BY folded is byte order (BINARY): the search's binary search needs it */
    assert(L->i == 0 || strcmp(L->text.data + m->terms[L->i - 1].folded, L->text.data + fo) <= 0);
    t->folded = (uint32_t)fo;
    t->label = (uint32_t)lo;
    t->folded_len = (uint16_t)flen;
    t->kind = (uint8_t)row->kind;
    t->preferred = row->preferred;
    memset(t->lang, 0, sizeof t->lang); /* every byte defined: the snapshot writes them all */
    snprintf(t->lang, sizeof t->lang, "%s", row->lang);
    for (size_t k = 1; k < flen; k++) L->n_words += fow_text_is_word_start(row->folded, k);
    L->i++;
    return FOW_OK;
}

static fow_code load_terms(fow_db *db, fow_model *m, fow_error *err) {
    fow_code rc = count_rows(db, TAXONOMY_COUNT_SEARCH_TERMS, &m->n_terms, err);
    if (rc) return rc;
    m->terms = fow_arena_alloc(&m->arena, ((size_t)m->n_terms + 1) * sizeof *m->terms);
    if (!m->terms) return OOM(err);
    terms_loading loading = {m, {0}, 0, 0};
    rc = taxonomy_store_each_search_term(db, add_term, &loading, err);
    m->n_terms = loading.i;
    m->text = loading.text.data;
    m->text_len = loading.text.len;
    if (rc) return rc;
    size_t n_words = loading.n_words;
    /* sorted in place, with absolute offsets first (text_len fits 32 bits:
     * add_term checked), then made relative to their term */
    m->words = fow_arena_alloc(&m->arena, (n_words + 1) * sizeof *m->words);
    if (!m->words) return OOM(err);
    size_t w = 0;
    for (uint32_t t = 0; t < m->n_terms; t++) {
        const char *f = m->text + m->terms[t].folded;
        for (size_t k = 1; k < m->terms[t].folded_len; k++)
            if (fow_text_is_word_start(f, k) && w < n_words)
                m->words[w++] = (fow_model_word){t, m->terms[t].folded + (uint32_t)k};
    }
    words_text = m->text;
    qsort(m->words, w, sizeof *m->words, compare_words);
    words_text = NULL;
    for (size_t k = 0; k < w; k++) m->words[k].offset -= m->terms[m->words[k].term].folded;
    m->n_words = (uint32_t)w;
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

const char *fow_model_label_lang(const fow_model *m, int kind, uint32_t entity, const char *text) {
    assert((kind == 0 && entity < m->n_occupations) || (kind == 1 && entity < m->n_skills));
    if (!text || !m->preferred) return NULL;
    /* the first preferred label of (kind, entity), then each of its languages */
    uint32_t lo = 0, hi = m->n_preferred;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const fow_model_term *x = &m->terms[m->preferred[mid]];
        bool before = x->kind != kind ? x->kind < kind : x->entity < entity;
        if (before) lo = mid + 1;
        else hi = mid;
    }
    for (uint32_t i = lo; i < m->n_preferred; i++) {
        const fow_model_term *x = &m->terms[m->preferred[i]];
        if (x->kind != kind || x->entity != entity) break;
        if (strcmp(fow_model_text(m, x->label), text) == 0) return x->lang;
    }
    return NULL;
}

static fow_code index_keys(fow_model *m, fow_error *err);

/* ---- the skill hierarchy --------------------------------------------------- */

typedef struct parent_row {
    uint32_t skill;
    int64_t broader_skill_id, group_id;
} parent_row;

typedef struct parent_loading {
    fow_model *m;
    parent_row *rows;
    size_t n, cap;
} parent_loading;

static fow_code add_skill_parent(void *ctx, int64_t skill_id, int64_t broader_skill_id, int64_t group_id,
                                 fow_error *err) {
    parent_loading *L = ctx;
    uint32_t s = fow_model_skill_by_id(L->m, skill_id);
    if (s == FOW_NO_INDEX) return FOW_OK;
    if (L->n == L->cap) {
        size_t cap = L->cap ? 2 * L->cap : 1024;
        parent_row *rows = realloc(L->rows, cap * sizeof *rows);
        if (!rows) return OOM(err);
        L->rows = rows, L->cap = cap;
    }
    L->rows[L->n++] = (parent_row){s, broader_skill_id, group_id};
    return FOW_OK;
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_u32_model(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Loads the skill hierarchy into compressed rows per skill (after the
 * skills). Rows naming a skill the model lacks are left out. */
static fow_code load_skill_parents(fow_db *db, fow_model *m, fow_error *err) {
    parent_loading L = {m, NULL, 0, 0};
    int64_t *groups = NULL;
    fow_code rc = taxonomy_store_each_skill_broader(db, add_skill_parent, &L, err);
    m->skill_parent_offsets = fow_arena_alloc(&m->arena, (m->n_skills + 1) * sizeof *m->skill_parent_offsets);
    m->skill_parents = fow_arena_alloc(&m->arena, (L.n + 1) * sizeof *m->skill_parents);
    if (!rc && (!m->skill_parent_offsets || !m->skill_parents || !(groups = malloc((L.n + 1) * sizeof *groups))))
        rc = OOM(err);
    if (rc) goto done;
    /* groups numbered densely by their database id */
    size_t n_groups = 0;
    for (size_t i = 0; i < L.n; i++)
        if (L.rows[i].group_id) groups[n_groups++] = L.rows[i].group_id;
    qsort(groups, n_groups, sizeof *groups, cmp_i64);
    size_t distinct = 0;
    for (size_t i = 0; i < n_groups; i++)
        if (!distinct || groups[distinct - 1] != groups[i]) groups[distinct++] = groups[i];
    if ((uint64_t)m->n_skills + distinct >= UINT32_MAX) {
        rc = fow_error_set(err, FOW_EINPUT, "the skill hierarchy is too large for the model");
        goto done;
    }
    memset(m->skill_parent_offsets, 0, (m->n_skills + 1) * sizeof *m->skill_parent_offsets);
    size_t n = 0;
    for (size_t i = 0; i < L.n; i++) {
        uint32_t entry;
        if (L.rows[i].group_id) {
            const int64_t *g = bsearch(&L.rows[i].group_id, groups, distinct, sizeof *groups, cmp_i64);
            assert(g);
            entry = m->n_skills + (uint32_t)(g - groups);
        } else {
            entry = fow_model_skill_by_id(m, L.rows[i].broader_skill_id);
            if (entry == FOW_NO_INDEX) continue;
        }
        L.rows[n].skill = L.rows[i].skill;
        L.rows[n].broader_skill_id = entry; /* reused: the entry */
        n++;
        m->skill_parent_offsets[L.rows[i].skill + 1]++;
    }
    for (uint32_t s = 0; s < m->n_skills; s++) m->skill_parent_offsets[s + 1] += m->skill_parent_offsets[s];
    uint32_t *fill = calloc(m->n_skills + 1, sizeof *fill);
    if (!fill) {
        rc = OOM(err);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t s = L.rows[i].skill;
        m->skill_parents[m->skill_parent_offsets[s] + fill[s]++] = (uint32_t)L.rows[i].broader_skill_id;
    }
    free(fill);
    for (uint32_t s = 0; s < m->n_skills; s++)
        qsort(m->skill_parents + m->skill_parent_offsets[s],
              m->skill_parent_offsets[s + 1] - m->skill_parent_offsets[s], sizeof *m->skill_parents, cmp_u32_model);
    m->n_skill_parents = (uint32_t)n;
done:
    free(L.rows);
    free(groups);
    return rc;
}

fow_code fow_model_load(fow_db *db, fow_model **out, fow_error *err) {
    *out = NULL;
    fow_model *m = calloc(1, sizeof *m);
    if (!m) return OOM(err);
    fow_arena_init(&m->arena, 1 << 20);
    /* one read transaction: a consistent snapshot even while an import
     * runs (the caller's, when it has begun one) */
    bool own_transaction = !fow_db_in_transaction(db);
    /* every table is read once, in order: a page cache of 2 MiB does (the
     * default's 64 MiB would fill with pages never read again, a third of
     * the peak at ten times ESCO) */
    fow_code rc = fow_db_cache_limit(db, MODEL_LOAD_CACHE_KIB, err);
    if (!rc && own_transaction) rc = fow_db_read_begin(db, err);
    if (!rc) rc = load_occupations(db, m, err);
    if (!rc) rc = load_skills(db, m, err);
    if (!rc) rc = load_links(db, m, err);
    if (!rc) rc = load_skill_parents(db, m, err);
    if (!rc) rc = load_terms(db, m, err);
    if (!rc) rc = fow_search_index_build(m, err);
    if (!rc) rc = index_preferred(m, err);
    if (!rc) rc = index_keys(m, err);
    if (own_transaction) fow_db_read_end(db);
    fow_error ignored;
    fow_db_cache_limit(db, 0, &ignored); /* back to the default; fails only as the first did */
    fow_db_release_memory(db);
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

/* The tables of keys: open addressing, linear probing, UINT32_MAX when a
 * slot is empty; each entry stands for its key (entry_key). */
typedef enum key_table {
    KEYS_OCCUPATION_URI,   /* entries occupation << 1: its URI */
    KEYS_OCCUPATION_SHORT, /* occupation << 1: its code; occupation << 1 | 1: its URI's last segment */
    KEYS_SKILL,            /* skill << 1: its URI; skill << 1 | 1: its URI's last segment */
    KEYS_LABEL             /* a term: its folded text */
} key_table;

/* The key an entry of a table stands for, and its length. */
static const char *entry_key(const fow_model *m, key_table table, uint32_t entry, size_t *len) {
    const char *k;
    switch (table) {
    case KEYS_OCCUPATION_URI: k = m->occupations[entry >> 1].uri; break;
    case KEYS_OCCUPATION_SHORT:
        k = (entry & 1) ? fow_model_uri_last_segment(m->occupations[entry >> 1].uri) : m->occupations[entry >> 1].code;
        break;
    case KEYS_SKILL:
        k = (entry & 1) ? fow_model_uri_last_segment(m->skills[entry >> 1].uri) : m->skills[entry >> 1].uri;
        break;
    default:
        *len = m->terms[entry].folded_len;
        return fow_model_text(m, m->terms[entry].folded);
    }
    *len = strlen(k);
    return k;
}

static uint32_t *table_slots(const fow_model *m, key_table table, uint32_t *mask) {
    switch (table) {
    case KEYS_OCCUPATION_URI: *mask = m->key_slots_mask; return m->uri_slots;
    case KEYS_OCCUPATION_SHORT: *mask = m->key_slots_mask; return m->short_slots;
    case KEYS_SKILL: *mask = m->skill_key_mask; return m->skill_key_slots;
    default: *mask = m->label_mask; return m->label_slots;
    }
}

static bool entry_matches(const fow_model *m, key_table table, uint32_t entry, const char *key, size_t len) {
    size_t n;
    const char *k = entry_key(m, table, entry, &n);
    return n == len && memcmp(k, key, len) == 0;
}

/* Adds entry unless an earlier entry has the same key (entries are added
 * in the order of their index, so the first holder of a key keeps it). */
static void key_table_add(fow_model *m, key_table table, uint32_t entry) {
    uint32_t mask;
    uint32_t *slots = table_slots(m, table, &mask);
    size_t len;
    const char *key = entry_key(m, table, entry, &len);
    if (!len) return;
    uint32_t i = (uint32_t)fow_hash_bytes(key, len) & mask;
    while (slots[i] != UINT32_MAX) {
        if (entry_matches(m, table, slots[i], key, len)) return;
        i = (i + 1) & mask;
    }
    slots[i] = entry;
}

/* The entry of table whose key is key[0..len), or UINT32_MAX. */
static uint32_t key_table_find(const fow_model *m, key_table table, const char *key, size_t len) {
    uint32_t mask;
    const uint32_t *slots = table_slots(m, table, &mask);
    if (!slots || !len) return UINT32_MAX;
    uint32_t i = (uint32_t)fow_hash_bytes(key, len) & mask;
    while (slots[i] != UINT32_MAX) {
        if (entry_matches(m, table, slots[i], key, len)) return slots[i];
        i = (i + 1) & mask;
    }
    return UINT32_MAX;
}

/* A table of at least twice keys slots (a power of two), all empty; NULL
 * when out of memory. */
static uint32_t *key_table_new(uint64_t keys, uint32_t *mask) {
    uint64_t cap = 16;
    while (cap < 2 * keys) cap <<= 1;
    if (cap > ((uint64_t)1 << 31)) return NULL;
    uint32_t *slots = malloc((size_t)cap * sizeof *slots);
    if (slots) memset(slots, 0xff, (size_t)cap * sizeof *slots);
    *mask = (uint32_t)(cap - 1);
    return slots;
}

/* Builds the key tables of m (after its occupations, skills and terms are
 * in place). */
static fow_code index_keys(fow_model *m, fow_error *err) {
    m->uri_slots = key_table_new(2 * ((uint64_t)m->n_occupations + 1), &m->key_slots_mask);
    m->short_slots = key_table_new(2 * ((uint64_t)m->n_occupations + 1), &m->key_slots_mask);
    m->skill_key_slots = key_table_new(2 * (uint64_t)m->n_skills, &m->skill_key_mask);
    uint32_t n_labels = 0;
    for (uint32_t t = 0; t < m->n_terms; t++)
        n_labels += t == 0 || m->terms[t].folded_len != m->terms[t - 1].folded_len ||
                    strcmp(fow_model_text(m, m->terms[t].folded), fow_model_text(m, m->terms[t - 1].folded)) != 0;
    m->label_slots = key_table_new(n_labels, &m->label_mask);
    if (!m->uri_slots || !m->short_slots || !m->skill_key_slots || !m->label_slots) return OOM(err);
    for (uint32_t o = 0; o < m->n_occupations; o++) {
        key_table_add(m, KEYS_OCCUPATION_URI, o << 1);
        key_table_add(m, KEYS_OCCUPATION_SHORT, o << 1);
        key_table_add(m, KEYS_OCCUPATION_SHORT, o << 1 | 1);
    }
    m->skill_empty_segment = FOW_NO_INDEX;
    for (uint32_t s = 0; s < m->n_skills; s++) {
        const char *uri = m->skills[s].uri;
        if (!uri[0]) continue;
        key_table_add(m, KEYS_SKILL, s << 1);
        const char *last = fow_model_uri_last_segment(uri);
        if (last == uri) continue; /* no '/' or ':': the segment is the URI */
        if (!*last && m->skill_empty_segment == FOW_NO_INDEX) m->skill_empty_segment = s;
        key_table_add(m, KEYS_SKILL, s << 1 | 1);
    }
    for (uint32_t t = 0; t < m->n_terms; t++) key_table_add(m, KEYS_LABEL, t);
    return FOW_OK;
}

uint32_t fow_model_occupation_by_key(const fow_model *m, bool by_uri, const char *key, size_t len) {
    uint32_t entry = key_table_find(m, by_uri ? KEYS_OCCUPATION_URI : KEYS_OCCUPATION_SHORT, key, len);
    if (entry == UINT32_MAX) return FOW_NO_INDEX;
    assert((entry >> 1) < m->n_occupations);
    return entry >> 1;
}

uint32_t fow_model_skill_by_key(const fow_model *m, const char *key, size_t len) {
    if (!len) return m->skill_empty_segment;
    uint32_t entry = key_table_find(m, KEYS_SKILL, key, len);
    if (entry == UINT32_MAX) return FOW_NO_INDEX;
    assert((entry >> 1) < m->n_skills);
    return entry >> 1;
}

uint32_t fow_model_term_by_folded(const fow_model *m, const char *folded, size_t len) {
    uint32_t t = key_table_find(m, KEYS_LABEL, folded, len);
    assert(t == UINT32_MAX || t < m->n_terms);
    /* the first of its run: the table kept the lowest index of the text */
    assert(t == UINT32_MAX || t == 0 || !entry_matches(m, KEYS_LABEL, t - 1, folded, len));
    return t == UINT32_MAX ? FOW_NO_INDEX : t;
}

void fow_model_free(fow_model *model) {
    if (!model) return;
    free(model->uri_slots);
    free(model->short_slots);
    free(model->skill_key_slots);
    free(model->label_slots);
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
#define TAG_VOCAB FOW_SNAP_TAG('M', 'V', 'O', 'C')
#define TAG_VOCAB_TEXT FOW_SNAP_TAG('M', 'V', 'T', 'X')
#define TAG_VARIANTS FOW_SNAP_TAG('M', 'V', 'A', 'R')
#define TAG_PARENT_OFFSETS FOW_SNAP_TAG('M', 'H', 'O', 'F')
#define TAG_PARENTS FOW_SNAP_TAG('M', 'H', 'P', 'R')

/* An occupation in a snapshot: strings as offsets into the string pool. */
typedef struct snap_occupation {
    int64_t id;
    uint32_t uri, code, isco_group, label, skills_sector;
    uint32_t parent;
    float risk_mcc, risk_frey_osborne, prevalence_mcc, job_zone, earnings;
    float education, experience, training, remote_work, physical_proximity;
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
                                   .education = o->education,
                                   .experience = o->experience,
                                   .training = o->training,
                                   .remote_work = o->remote_work,
                                   .physical_proximity = o->physical_proximity,
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
        fow_snap_put(w, TAG_VOCAB, m->vocab, (uint64_t)m->n_vocab * sizeof *m->vocab, m->n_vocab);
        fow_snap_put(w, TAG_VOCAB_TEXT, m->vocab_text, m->vocab_text_len, m->vocab_text_len);
        fow_snap_put(w, TAG_VARIANTS, m->variants, (uint64_t)m->n_variants * 2 * sizeof *m->variants,
                     (uint64_t)m->n_variants * 2);
        fow_snap_put(w, TAG_PARENT_OFFSETS, m->skill_parent_offsets, (n_sk + 1) * sizeof *m->skill_parent_offsets,
                     n_sk + 1);
        fow_snap_put(w, TAG_PARENTS, m->skill_parents, (uint64_t)m->n_skill_parents * sizeof *m->skill_parents,
                     m->n_skill_parents);
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
    uint64_t n_occ, n_sk, n_pool, n_oo, n_ol, n_so, n_sl, n_terms, n_words, n_pref, n_text, n_vocab, n_vtext, n_var;
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
    const uint32_t *vocab = fow_snap_section(snap, TAG_VOCAB, sizeof *vocab, &n_vocab);
    const char *vocab_text = fow_snap_section(snap, TAG_VOCAB_TEXT, 1, &n_vtext);
    const uint32_t *variants = fow_snap_section(snap, TAG_VARIANTS, sizeof *variants, &n_var);
    uint64_t n_po, n_par;
    const uint32_t *parent_offsets = fow_snap_section(snap, TAG_PARENT_OFFSETS, sizeof *parent_offsets, &n_po);
    const uint32_t *parents = fow_snap_section(snap, TAG_PARENTS, sizeof *parents, &n_par);
    const char *why = NULL;
    if (!occ || !sk || !pool || !occ_offsets || !occ_links || !skill_offsets || !skill_links || !terms || !words ||
        !preferred || !text || !vocab || !vocab_text || !variants || !parent_offsets || (!parents && n_par))
        why = "a section of the model is missing";
    else if (n_po != n_sk + 1 || n_par >= UINT32_MAX || !offsets_valid(parent_offsets, n_sk, n_par))
        why = "the model's skill hierarchy is inconsistent";
    else if (n_occ >= FOW_MODEL_MAX_ENTITIES || n_sk >= FOW_MODEL_MAX_ENTITIES || n_ol >= UINT32_MAX || n_terms >= UINT32_MAX ||
             n_words >= UINT32_MAX || n_pref >= UINT32_MAX)
        why = "the model is too large";
    else if (n_oo != n_occ + 1 || n_so != n_sk + 1 || n_sl != n_ol)
        why = "the model's relations do not match its occupations and skills";
    else if (n_pool == 0 || pool[n_pool - 1] != '\0' || (n_text && text[n_text - 1] != '\0'))
        why = "the model's text is not terminated";
    else if (!offsets_valid(occ_offsets, n_occ, n_ol) || !offsets_valid(skill_offsets, n_sk, n_ol))
        why = "the model's relation offsets are inconsistent";
    else if (!fow_search_index_valid(vocab, n_vocab, vocab_text, n_vtext, variants, n_var))
        why = "the model's search vocabulary is inconsistent";
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
                                    .earnings = s->earnings,
                                    .education = s->education,
                                    .experience = s->experience,
                                    .training = s->training,
                                    .remote_work = s->remote_work,
                                    .physical_proximity = s->physical_proximity};
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
    m->vocab = (uint32_t *)vocab;
    m->n_vocab = (uint32_t)n_vocab;
    m->vocab_text = (char *)vocab_text;
    m->vocab_text_len = n_vtext;
    m->variants = (uint32_t *)variants;
    m->n_variants = (uint32_t)(n_var / 2);
    m->text = (char *)text;
    m->text_len = n_text;
    m->skill_parent_offsets = (uint32_t *)parent_offsets;
    m->skill_parents = (uint32_t *)parents;
    m->n_skill_parents = (uint32_t)n_par;
    for (uint64_t i = 0; i < n_par; i++)
        if (parents[i] == FOW_NO_INDEX) {
            fow_model_free(m);
            return fow_error_set(err, FOW_EINPUT, "snapshot: the model's skill hierarchy is inconsistent");
        }
    fow_code rc = index_keys(m, err);
    if (rc) {
        fow_model_free(m);
        return rc;
    }
    *out = m;
    return FOW_OK;
}
