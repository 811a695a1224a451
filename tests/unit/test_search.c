/* test_search.c — the in-memory model (src/taxonomy/fow_model.h) and the
 * search over it (src/taxonomy/fow_search.h), on the small bundle. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#include "base/fow_text.h"
#include "taxonomy/fow_import.h"
#include "taxonomy/fow_model.h"
#include "taxonomy/fow_search.h"

#define OCC(slug) "urn:test:occupation:" slug

typedef struct model_state {
    ts_db d;
    fow_db *ro; /* a read-only handle, as a server would use */
    fow_model *m;
} model_state;

static int setup(void **state) {
    model_state *s = calloc(1, sizeof *s);
    if (!s) return -1;
    ts_db_fresh(&s->d);
    fow_db *db = s->d.db;
    ts_import_bundle_fixture(db, "bundle-small", NULL);
    ts_import_fixture_file(db, "risk", "risk-small.csv", "mcc", NULL);
    ts_import_fixture_file(db, "crosswalk", "crosswalk-isco-soc-small.csv", NULL, NULL);
    ts_import_fixture_file(db, "crosswalk", "crosswalk-esco-onet-small.csv", NULL, NULL);
    ts_import_fixture_file(db, "risk", "soc-risk-small.csv", "frey-osborne", NULL);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_db_open(&s->ro, s->d.path, true, &err), &err);
    assert_fow_ok(fow_model_load(s->ro, &s->m, &err), &err);
    assert_non_null(s->m);
    *state = s;
    return 0;
}

static int teardown(void **state) {
    model_state *s = *state;
    fow_model_free(s->m);
    fow_db_close(s->ro);
    ts_db_free(&s->d);
    free(s);
    return 0;
}

static uint32_t occ_index(const fow_model *m, fow_db *db, const char *uri) {
    uint32_t i = fow_model_occupation_by_id(m, ts_occupation_id(db, uri));
    if (i == FOW_NO_INDEX) fail_msg("%s not in the model", uri);
    assert_string_equal(m->occupations[i].uri, uri);
    return i;
}

static uint32_t skill_index(const fow_model *m, fow_db *db, const char *label) {
    long long id = ts_int(db, "SELECT id FROM skills WHERE label = '%s'", label);
    uint32_t i = fow_model_skill_by_id(m, id);
    if (i == FOW_NO_INDEX) fail_msg("skill '%s' not in the model", label);
    assert_string_equal(m->skills[i].label, label);
    return i;
}

/* The link of occupation o to skill k, or NULL. */
static const fow_model_link *find_link(const fow_model *m, uint32_t o, uint32_t k) {
    for (uint32_t p = m->occ_offsets[o]; p < m->occ_offsets[o + 1]; p++)
        if (m->occ_links[p].index == k) return &m->occ_links[p];
    return NULL;
}

/* ---- the model ------------------------------------------------------------ */

static void test_model_counts(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    fow_db *db = s->d.db;
    assert_int_equal(m->n_occupations, 7);
    assert_int_equal(m->n_skills, 14);
    /* 24 relation rows, one of them a skill listed both essential and optional */
    assert_int_equal(m->n_links, 23);
    assert_int_equal(m->n_terms, ts_int(db, "SELECT count(*) FROM search_terms"));
    assert_int_equal(m->n_terms, 53);
    /* every word start after the first character of every term */
    long long words = 0;
    for (uint32_t t = 0; t < m->n_terms; t++) {
        const char *f = fow_model_text(m, m->terms[t].folded);
        for (size_t k = 1; f[k]; k++) words += fow_text_is_word_start(f, k);
    }
    assert_int_equal(m->n_words, words);
    assert_true(m->n_words > m->n_terms / 2);
}

static void test_model_occupations(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    fow_db *db = s->d.db;
    for (uint32_t i = 0; i < m->n_occupations; i++) {
        const fow_model_occupation *o = &m->occupations[i];
        if (i > 0) assert_true(m->occupations[i - 1].id < o->id);
        assert_int_equal(fow_model_occupation_by_id(m, o->id), i);
        char buf[300];
        assert_string_equal(ts_text(db, buf, sizeof buf, "SELECT uri FROM occupations WHERE id = %lld", (long long)o->id),
                            o->uri);
        assert_string_equal(
            ts_text(db, buf, sizeof buf, "SELECT label FROM occupations WHERE id = %lld", (long long)o->id), o->label);
    }
    assert_int_equal(fow_model_occupation_by_id(m, 0), FOW_NO_INDEX);
    assert_int_equal(fow_model_occupation_by_id(m, m->occupations[m->n_occupations - 1].id + 1), FOW_NO_INDEX);
    assert_int_equal(fow_model_occupation_by_id(m, -5), FOW_NO_INDEX);

    uint32_t driver = occ_index(m, db, OCC("driver"));
    uint32_t taxi = occ_index(m, db, OCC("taxi-driver"));
    uint32_t night = occ_index(m, db, OCC("night-taxi-driver"));
    uint32_t stage = occ_index(m, db, OCC("stage-designer"));
    uint32_t web = occ_index(m, db, OCC("web-developer"));
    assert_string_equal(m->occupations[taxi].code, "8322.1.1");
    assert_string_equal(m->occupations[taxi].isco_group, "8322");
    assert_string_equal(m->occupations[taxi].label, "taxi driver");
    assert_int_equal(m->occupations[taxi].parent, driver);
    assert_int_equal(m->occupations[night].parent, taxi);
    assert_int_equal(m->occupations[driver].parent, FOW_NO_INDEX);
    /* risk: own, inherited, none */
    assert_near(m->occupations[driver].risk_mcc, 3.9, 1e-6);
    assert_near(m->occupations[night].risk_mcc, 3.9, 1e-6);
    assert_true(isnan(m->occupations[stage].risk_mcc));
    assert_near(m->occupations[driver].risk_frey_osborne, 0.81, 1e-6);
    assert_near(m->occupations[web].risk_frey_osborne, 0.15, 1e-6);
    assert_near(m->occupations[stage].risk_frey_osborne, 0.25, 1e-6);
}

static void test_model_skills(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    fow_db *db = s->d.db;
    for (uint32_t j = 0; j < m->n_skills; j++) {
        if (j > 0) assert_true(m->skills[j - 1].id < m->skills[j].id);
        assert_int_equal(fow_model_skill_by_id(m, m->skills[j].id), j);
    }
    assert_int_equal(fow_model_skill_by_id(m, 0), FOW_NO_INDEX);
    uint32_t k = skill_index(m, db, "recycle materials");
    assert_int_equal(m->skills[k].flags, FOW_SKILL_GREEN);
    assert_int_equal(m->skills[k].is_knowledge, 0);
    k = skill_index(m, db, "speak Romanian");
    assert_int_equal(m->skills[k].flags, FOW_SKILL_TRANSVERSAL | FOW_SKILL_LANGUAGE);
    k = skill_index(m, db, "computer programming");
    assert_int_equal(m->skills[k].flags, FOW_SKILL_DIGITAL);
    assert_int_equal(m->skills[k].is_knowledge, 1);
    assert_string_equal(m->skills[k].uri, "urn:test:skill:computer-programming");
    k = skill_index(m, db, "cut wood");
    assert_string_equal(m->skills[k].uri, "");
    assert_int_equal(m->skills[k].flags, 0);
}

static void test_csr_consistency(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    assert_int_equal(m->occ_offsets[0], 0);
    assert_int_equal(m->skill_offsets[0], 0);
    assert_int_equal(m->occ_offsets[m->n_occupations], m->n_links);
    assert_int_equal(m->skill_offsets[m->n_skills], m->n_links);
    for (uint32_t i = 0; i < m->n_occupations; i++) {
        assert_true(m->occ_offsets[i] <= m->occ_offsets[i + 1]);
        for (uint32_t p = m->occ_offsets[i]; p < m->occ_offsets[i + 1]; p++) {
            fow_model_link l = m->occ_links[p];
            assert_true(l.index < m->n_skills);
            assert_true(l.essential <= 1);
            if (p > m->occ_offsets[i]) assert_true(m->occ_links[p - 1].index < l.index); /* sorted, no repeats */
            /* the same link in the transpose */
            int found = 0;
            for (uint32_t q = m->skill_offsets[l.index]; q < m->skill_offsets[l.index + 1]; q++)
                if (m->skill_links[q].index == i) {
                    found++;
                    assert_int_equal(m->skill_links[q].essential, l.essential);
                }
            if (found != 1) fail_msg("link occupation %u - skill %u found %d times in the transpose", i, l.index, found);
        }
    }
    for (uint32_t j = 0; j < m->n_skills; j++) {
        assert_true(m->skill_offsets[j] <= m->skill_offsets[j + 1]);
        for (uint32_t q = m->skill_offsets[j]; q < m->skill_offsets[j + 1]; q++) {
            assert_true(m->skill_links[q].index < m->n_occupations);
            if (q > m->skill_offsets[j]) assert_true(m->skill_links[q - 1].index < m->skill_links[q].index);
            assert_non_null(find_link(m, m->skill_links[q].index, j));
        }
    }
}

/* Every relation of the database is in the model, with its flag. */
static void test_links_match_the_database(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->d.db->sql,
                                        "SELECT occupation_id, skill_id, max(essential) FROM occupation_skills "
                                        "GROUP BY 1, 2",
                                        -1, &st, NULL),
                     SQLITE_OK);
    uint32_t rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        uint32_t o = fow_model_occupation_by_id(m, sqlite3_column_int64(st, 0));
        uint32_t k = fow_model_skill_by_id(m, sqlite3_column_int64(st, 1));
        assert_true(o != FOW_NO_INDEX && k != FOW_NO_INDEX);
        const fow_model_link *l = find_link(m, o, k);
        if (!l) fail_msg("relation %s - %s missing from the model", m->occupations[o].uri, m->skills[k].label);
        assert_int_equal(l->essential, (uint32_t)sqlite3_column_int(st, 2));
        rows++;
    }
    sqlite3_finalize(st);
    assert_int_equal(rows, m->n_links);
}

static void test_essential_flags(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    fow_db *db = s->d.db;
    uint32_t driver = occ_index(m, db, OCC("driver"));
    uint32_t stage = occ_index(m, db, OCC("stage-designer"));
    const fow_model_link *l = find_link(m, driver, skill_index(m, db, "drive vehicles"));
    assert_non_null(l);
    assert_int_equal(l->essential, 1);
    l = find_link(m, driver, skill_index(m, db, "speak Romanian"));
    assert_non_null(l);
    assert_int_equal(l->essential, 0);
    assert_null(find_link(m, driver, skill_index(m, db, "cut wood")));
    /* listed both essential and optional: one link, essential */
    l = find_link(m, stage, skill_index(m, db, "teamwork principles"));
    assert_non_null(l);
    assert_int_equal(l->essential, 1);
    assert_int_equal(m->occ_offsets[stage + 1] - m->occ_offsets[stage], 3);
    uint32_t essential = 0;
    for (uint32_t p = 0; p < m->n_links; p++) essential += m->occ_links[p].essential;
    assert_int_equal(essential, 15);
}

static void test_terms_sorted(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    for (uint32_t t = 0; t < m->n_terms; t++) {
        const fow_model_term *term = &m->terms[t];
        const char *f = fow_model_text(m, term->folded);
        assert_int_equal(strlen(f), term->folded_len);
        if (t > 0) assert_true(strcmp(fow_model_text(m, m->terms[t - 1].folded), f) <= 0);
        assert_true(term->kind <= 1);
        assert_true(term->entity < (term->kind == 0 ? m->n_occupations : m->n_skills));
        /* the folded text is the fold of the label */
        const char *label = fow_model_text(m, term->label);
        fow_error err;
        fow_error_clear(&err);
        char *again = fow_text_fold(label, strlen(label), NULL, &err);
        assert_non_null(again);
        assert_string_equal(again, f);
        free(again);
    }
    for (uint32_t w = 0; w < m->n_words; w++) {
        const fow_model_word *word = &m->words[w];
        assert_true(word->term < m->n_terms);
        const char *f = fow_model_text(m, m->terms[word->term].folded);
        assert_true(word->offset > 0 && word->offset < m->terms[word->term].folded_len);
        assert_int_equal(fow_text_is_word_start(f, word->offset), 1);
        if (w > 0) {
            const fow_model_word *prev = &m->words[w - 1];
            assert_true(strcmp(fow_model_text(m, m->terms[prev->term].folded) + prev->offset, f + word->offset) <= 0);
        }
    }
}

/* ---- search --------------------------------------------------------------- */

static long search(const fow_model *m, const char *q, fow_kind kind, fow_search_hit *hits, size_t max) {
    fow_error err;
    fow_error_clear(&err);
    long n = fow_search(m, q, kind, hits, max, &err);
    if (n < 0) fail_msg("search '%s' failed: %s", q, err.message);
    assert_true((size_t)n <= max);
    return n;
}

/* The URI of an occupation or the label of a skill a hit names. */
static const char *hit_name(const fow_model *m, const fow_search_hit *h) {
    return h->kind == FOW_KIND_OCCUPATION ? m->occupations[h->entity].uri : m->skills[h->entity].label;
}

static const char *hit_label(const fow_model *m, const fow_search_hit *h) {
    return fow_model_text(m, m->terms[h->term].label);
}

static void assert_hit(const fow_model *m, const fow_search_hit *h, fow_kind kind, const char *name, fow_match match,
                       int preferred, const char *label) {
    if (h->kind != kind || strcmp(hit_name(m, h), name) != 0 || h->match != match || h->preferred != preferred ||
        (label && strcmp(hit_label(m, h), label) != 0))
        fail_msg("expected %s '%s' (%s, preferred %d, label '%s'), got %s '%s' (%s, preferred %d, label '%s')",
                 kind == FOW_KIND_OCCUPATION ? "occupation" : "skill", name, fow_match_name(match), preferred,
                 label ? label : "*", h->kind == FOW_KIND_OCCUPATION ? "occupation" : "skill", hit_name(m, h),
                 fow_match_name(h->match), h->preferred, hit_label(m, h));
    assert_true(h->term < m->n_terms);
    assert_int_equal(m->terms[h->term].entity, h->entity);
    assert_int_equal(m->terms[h->term].kind, (uint8_t)h->kind);
}

static void assert_no_duplicates(const fow_search_hit *hits, long n) {
    for (long a = 0; a < n; a++) {
        for (long b = a + 1; b < n; b++)
            if (hits[a].kind == hits[b].kind && hits[a].entity == hits[b].entity)
                fail_msg("entity %u appears twice (hits %ld and %ld)", hits[a].entity, a, b);
        if (a > 0) assert_true(hits[a - 1].rank < hits[a].rank);
    }
}

static void test_exact_before_prefix_before_word(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    fow_search_hit h[20];
    long n = search(m, "carpenter", FOW_KIND_ANY, h, 20);
    assert_int_equal(n, 3);
    assert_hit(m, &h[0], FOW_KIND_OCCUPATION, OCC("carpenter"), FOW_MATCH_EXACT, 1, "carpenter");
    assert_hit(m, &h[1], FOW_KIND_SKILL, "carpenter tools", FOW_MATCH_PREFIX, 1, "carpenter tools");
    assert_hit(m, &h[2], FOW_KIND_OCCUPATION, OCC("stage-designer"), FOW_MATCH_WORD, 0, "theatre carpenter");
    assert_no_duplicates(h, n);

    /* an exact alternative label beats a prefix of a preferred one */
    n = search(m, "programmer", FOW_KIND_ANY, h, 20);
    assert_int_equal(n, 2);
    assert_hit(m, &h[0], FOW_KIND_OCCUPATION, OCC("software-developer"), FOW_MATCH_EXACT, 0, "programmer");
    assert_hit(m, &h[1], FOW_KIND_OCCUPATION, OCC("web-developer"), FOW_MATCH_WORD, 0, "web programmer");
}

static void test_preferred_before_alternative(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    fow_search_hit h[20];
    /* preferred labels first, even a longer one; then shorter before longer */
    long n = search(m, "web", FOW_KIND_ANY, h, 20);
    assert_int_equal(n, 3);
    assert_hit(m, &h[0], FOW_KIND_SKILL, "web design", FOW_MATCH_PREFIX, 1, "web design");
    assert_hit(m, &h[1], FOW_KIND_OCCUPATION, OCC("web-developer"), FOW_MATCH_PREFIX, 1, "web developer");
    assert_hit(m, &h[2], FOW_KIND_SKILL, "design user interfaces", FOW_MATCH_PREFIX, 0, "web ui");

    n = search(m, "program", FOW_KIND_ANY, h, 20);
    assert_int_equal(n, 3);
    assert_hit(m, &h[0], FOW_KIND_SKILL, "computer programming", FOW_MATCH_PREFIX, 1, "programare informatică");
    assert_hit(m, &h[1], FOW_KIND_OCCUPATION, OCC("software-developer"), FOW_MATCH_PREFIX, 0, "programmer");
    assert_hit(m, &h[2], FOW_KIND_OCCUPATION, OCC("web-developer"), FOW_MATCH_WORD, 0, "web programmer");
    assert_no_duplicates(h, n);
}

static void test_kind_filter(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    fow_search_hit h[20];
    long n = search(m, "carpenter", FOW_KIND_OCCUPATION, h, 20);
    assert_int_equal(n, 2);
    assert_hit(m, &h[0], FOW_KIND_OCCUPATION, OCC("carpenter"), FOW_MATCH_EXACT, 1, NULL);
    assert_hit(m, &h[1], FOW_KIND_OCCUPATION, OCC("stage-designer"), FOW_MATCH_WORD, 0, NULL);
    n = search(m, "carpenter", FOW_KIND_SKILL, h, 20);
    assert_int_equal(n, 1);
    assert_hit(m, &h[0], FOW_KIND_SKILL, "carpenter tools", FOW_MATCH_PREFIX, 1, NULL);
    /* every hit of a filtered search has that kind */
    static const char *const queries[] = {"d", "s", "t", "w", "p", "c"};
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++)
        for (int kind = 0; kind <= 1; kind++) {
            n = search(m, queries[q], (fow_kind)kind, h, 20);
            assert_true(n > 0);
            for (long i = 0; i < n; i++) assert_int_equal(h[i].kind, kind);
        }
}

static void test_accent_insensitive_romanian(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    fow_search_hit h[20], h2[20];
    long n = search(m, "sofer", FOW_KIND_ANY, h, 20);
    assert_int_equal(n, 3);
    assert_hit(m, &h[0], FOW_KIND_OCCUPATION, OCC("driver"), FOW_MATCH_EXACT, 1, "șofer");
    assert_hit(m, &h[1], FOW_KIND_OCCUPATION, OCC("taxi-driver"), FOW_MATCH_PREFIX, 1, "șofer de taxi");
    assert_hit(m, &h[2], FOW_KIND_OCCUPATION, OCC("night-taxi-driver"), FOW_MATCH_PREFIX, 1, "șofer de taxi de noapte");
    /* the same with comma, cedilla, capitals and spaces */
    static const char *const variants[] = {"șofer", "Șofer", "ŞOFER", "şofer", "  SOFER  "};
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
        long n2 = search(m, variants[v], FOW_KIND_ANY, h2, 20);
        assert_int_equal(n2, n);
        for (long i = 0; i < n; i++) {
            assert_int_equal(h2[i].entity, h[i].entity);
            assert_int_equal(h2[i].term, h[i].term);
        }
    }
    n = search(m, "tamplar", FOW_KIND_ANY, h, 20);
    assert_int_equal(n, 1);
    assert_hit(m, &h[0], FOW_KIND_OCCUPATION, OCC("carpenter"), FOW_MATCH_EXACT, 1, "tâmplar");
    n = search(m, "legislatia rutiera", FOW_KIND_SKILL, h, 20);
    assert_int_equal(n, 1);
    assert_hit(m, &h[0], FOW_KIND_SKILL, "road traffic laws", FOW_MATCH_EXACT, 1, "legislația rutieră");
    n = search(m, "echipa", FOW_KIND_ANY, h, 20);
    assert_int_equal(n, 1);
    assert_hit(m, &h[0], FOW_KIND_SKILL, "teamwork principles", FOW_MATCH_WORD, 1, "principiile muncii în echipă");
}

static void test_typographic_apostrophe(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    fow_search_hit h[20];
    static const char *const queries[] = {"designers' work", "designers’ work", "DESIGNERS’ WORK", "designers` work"};
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        long n = search(m, queries[q], FOW_KIND_ANY, h, 20);
        assert_int_equal(n, 1);
        assert_hit(m, &h[0], FOW_KIND_SKILL, "adapt designers’ work to the venue", FOW_MATCH_WORD, 1, NULL);
    }
    long n = search(m, "adapt designers'", FOW_KIND_ANY, h, 20);
    assert_int_equal(n, 1);
    assert_int_equal(h[0].match, FOW_MATCH_PREFIX);
}

static void test_no_duplicate_entities(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    fow_search_hit h[100];
    /* taxi driver has "taxi driver", "taxi chauffeur", "șofer de taxi"... */
    long n = search(m, "taxi", FOW_KIND_ANY, h, 100);
    assert_int_equal(n, 2);
    assert_hit(m, &h[0], FOW_KIND_OCCUPATION, OCC("taxi-driver"), FOW_MATCH_PREFIX, 1, "taxi driver");
    assert_hit(m, &h[1], FOW_KIND_OCCUPATION, OCC("night-taxi-driver"), FOW_MATCH_WORD, 1, "night taxi driver");
    static const char *const queries[] = {"a", "c", "d", "p", "s", "t", "w", "de", "driver", "designer"};
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        n = search(m, queries[q], FOW_KIND_ANY, h, 100);
        assert_true(n > 0);
        assert_no_duplicates(h, n);
    }
}

static void test_bad_queries(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    fow_search_hit h[10];
    char longq[FOW_SEARCH_MAX_QUERY + 50];
    memset(longq, 'a', sizeof longq - 1);
    longq[sizeof longq - 1] = '\0';
    static const char *const bad[] = {"", "   ", " \t\n ", "ab\xC3\x28", "\xFF"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0] + 1; i++) {
        const char *q = i < sizeof bad / sizeof bad[0] ? bad[i] : longq;
        fow_error err;
        fow_error_clear(&err);
        long n = fow_search(m, q, FOW_KIND_ANY, h, 10, &err);
        if (n != -1) fail_msg("query %zu: expected -1, got %ld", i, n);
        assert_int_equal(err.code, FOW_EINPUT);
        assert_true(strlen(err.message) > 0);
    }
    /* the longest query allowed is fine (no hits) */
    longq[FOW_SEARCH_MAX_QUERY] = '\0';
    assert_int_equal(search(m, longq, FOW_KIND_ANY, h, 10), 0);
    /* nothing found is not an error */
    assert_int_equal(search(m, "zzz", FOW_KIND_ANY, h, 10), 0);
    /* no room: no hits, no error */
    assert_int_equal(search(m, "carpenter", FOW_KIND_ANY, h, 0), 0);
}

static void test_limit(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    fow_search_hit all[100], some[100];
    static const char *const queries[] = {"d", "s", "t", "c", "p", "w", "de", "program", "sofer"};
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        long n = search(m, queries[q], FOW_KIND_ANY, all, 100);
        assert_true(n >= 1);
        /* the best k are the first k of the whole list */
        for (long k = 1; k <= n + 1; k++) {
            long got = search(m, queries[q], FOW_KIND_ANY, some, (size_t)k);
            assert_int_equal(got, k < n ? k : n);
            for (long i = 0; i < got; i++) {
                if (some[i].entity != all[i].entity || some[i].kind != all[i].kind || some[i].term != all[i].term)
                    fail_msg("'%s' limit %ld: hit %ld differs from the unlimited search", queries[q], k, i);
            }
        }
    }
}

/* A brute-force search over every term, as fow_search.h and docs/search.md
 * describe it: written from the rules, not from fow_search's code. */
typedef struct oracle_hit {
    int kind;
    uint32_t entity, term;
    int match;
    uint64_t key;
} oracle_hit;

static int compare_oracle(const void *a, const void *b) {
    uint64_t x = ((const oracle_hit *)a)->key, y = ((const oracle_hit *)b)->key;
    return (x > y) - (x < y);
}

typedef struct span {
    const char *s;
    size_t len;
} span;

static int oracle_word_byte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* The words of a folded text (fow_text_is_word_start). */
static size_t oracle_words(const char *f, span *out, size_t cap) {
    size_t n = 0;
    for (size_t i = 0; f[i]; i++) {
        if (!fow_text_is_word_start(f, i)) continue;
        size_t e = i + 1;
        while (f[e] && oracle_word_byte((unsigned char)f[e])) e++;
        if (n < cap) out[n] = (span){f + i, e - i};
        n++;
        i = e - 1;
    }
    return n;
}

static size_t oracle_letters(span w) {
    size_t k = 0;
    for (size_t i = 0; i < w.len; i++) k += ((unsigned char)w.s[i] & 0xC0) != 0x80;
    return k;
}

/* Damerau (optimal string alignment) distance. */
static unsigned oracle_osa(const char *a, size_t la, const char *b, size_t lb) {
    unsigned d[70][70];
    assert_true(la < 70 && lb < 70);
    for (size_t i = 0; i <= la; i++) d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            unsigned v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + (a[i - 1] != b[j - 1]) < v) v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

/* The part of variant b that a query word qw looks for, through the pair
 * (a, b): 0 when the pair does not apply to qw. */
static size_t oracle_variant_part(span qw, const char *a, const char *b) {
    if (oracle_letters(qw) < 3 || strncmp(a, qw.s, qw.len) != 0) return 0;
    size_t shared = 0;
    while (a[shared] && a[shared] == b[shared]) shared++;
    if (qw.len <= shared) return 0;
    long n = (long)qw.len + (long)strlen(b) - (long)strlen(a);
    if (n <= (long)shared) n = (long)shared + 1;
    if (n > (long)strlen(b)) n = (long)strlen(b);
    return (size_t)n;
}

/* 0 when label word x starts with query word qw or with a variant's part
 * for it, 1 when a prefix of x is one edit from qw (typos allowed, qw of
 * 5 letters or more), else 2. */
static int oracle_cost(const fow_model *m, span qw, span x, bool typos) {
    if (x.len >= qw.len && memcmp(x.s, qw.s, qw.len) == 0) return 0;
    for (uint32_t k = 0; k < m->n_variants; k++) {
        const char *a = m->vocab_text + m->vocab[m->variants[2 * k]];
        const char *b = m->vocab_text + m->vocab[m->variants[2 * k + 1]];
        size_t n = oracle_variant_part(qw, a, b);
        if (n && x.len >= n && memcmp(x.s, b, n) == 0) return 0;
    }
    if (typos && oracle_letters(qw) >= FOW_SEARCH_TYPO_MIN_LETTERS)
        for (size_t l = qw.len - 1; l <= qw.len + 1; l++)
            if (l > 0 && l <= x.len && oracle_osa(qw.s, qw.len, x.s, l) == 1) return 1;
    return 2;
}

/* The fewest typos with which each query word takes a label word of its
 * own (every injective assignment tried), or -1. */
static int oracle_assign(int cost[][64], size_t nq, size_t nl, size_t i, uint64_t used) {
    if (i == nq) return 0;
    int best = -1;
    for (size_t j = 0; j < nl; j++) {
        if ((used >> j) & 1 || cost[i][j] > 1) continue;
        int rest = oracle_assign(cost, nq, nl, i + 1, used | (uint64_t)1 << j);
        if (rest >= 0 && (best < 0 || rest + cost[i][j] < best)) best = rest + cost[i][j];
    }
    return best;
}

static long oracle_pass(const fow_model *m, const char *q, size_t len, fow_kind kind, bool typos,
                        oracle_hit *out, size_t cap) {
    span qw[FOW_SEARCH_MAX_WORDS + 1];
    size_t nq = oracle_words(q, qw, FOW_SEARCH_MAX_WORDS + 1);
    bool variant = false;
    for (size_t i = 0; i < nq && i <= FOW_SEARCH_MAX_WORDS; i++)
        for (uint32_t k = 0; k < m->n_variants; k++)
            variant |= oracle_variant_part(qw[i], m->vocab_text + m->vocab[m->variants[2 * k]],
                                           m->vocab_text + m->vocab[m->variants[2 * k + 1]]) > 0;
    long n = 0;
    for (uint32_t t = 0; t < m->n_terms; t++) {
        const fow_model_term *term = &m->terms[t];
        if (kind != FOW_KIND_ANY && term->kind != (uint8_t)kind) continue;
        const char *f = fow_model_text(m, term->folded);
        int match = -1, n_typos = 0;
        if (strcmp(f, q) == 0) match = FOW_MATCH_EXACT;
        else if (strncmp(f, q, len) == 0) match = FOW_MATCH_PREFIX;
        else
            for (size_t k = 1; f[k] && match < 0; k++)
                if (fow_text_is_word_start(f, k) && strncmp(f + k, q, len) == 0) match = FOW_MATCH_WORD;
        if (match < 0 && nq >= 1 && nq <= FOW_SEARCH_MAX_WORDS && (nq > 1 || variant || typos)) {
            span lw[64];
            size_t nl = oracle_words(f, lw, 64);
            if (nl > 64) nl = 64;
            int cost[FOW_SEARCH_MAX_WORDS][64];
            for (size_t i = 0; i < nq; i++)
                for (size_t j = 0; j < nl; j++) cost[i][j] = oracle_cost(m, qw[i], lw[j], typos);
            n_typos = oracle_assign(cost, nq, nl, 0, 0);
            if (n_typos >= 0) match = n_typos ? FOW_MATCH_TYPO : FOW_MATCH_WORDS;
        }
        if (match < 0) continue;
        uint64_t key = ((uint64_t)match << 60) | ((uint64_t)n_typos << 56) |
                       ((uint64_t)(term->preferred ? 0 : 1) << 55) | ((uint64_t)term->folded_len << 32) | t;
        long i;
        for (i = 0; i < n; i++)
            if (out[i].kind == term->kind && out[i].entity == term->entity) break;
        if (i < n) {
            if (key < out[i].key) out[i] = (oracle_hit){term->kind, term->entity, t, match, key};
            continue;
        }
        assert_true((size_t)n < cap);
        out[n++] = (oracle_hit){term->kind, term->entity, t, match, key};
    }
    qsort(out, (size_t)n, sizeof *out, compare_oracle);
    return n;
}

static long oracle(const fow_model *m, const char *query, fow_kind kind, oracle_hit *out, size_t cap) {
    fow_error err;
    fow_error_clear(&err);
    size_t len;
    char *q = fow_text_fold(query, strlen(query), &len, &err);
    assert_non_null(q);
    long n = oracle_pass(m, q, len, kind, false, out, cap);
    /* typos only when the query as typed finds nothing */
    if (n == 0) n = oracle_pass(m, q, len, kind, true, out, cap);
    free(q);
    return n;
}

/* fow_search and the oracle agree on query q, for every kind. */
static void assert_like_oracle(const fow_model *m, const char *q) {
    static oracle_hit expected[200];
    static fow_search_hit got[200];
    for (int kind = -1; kind <= 1; kind++) {
        long n = oracle(m, q, (fow_kind)kind, expected, 200);
        long k = search(m, q, (fow_kind)kind, got, 200);
        if (k != n) fail_msg("'%s' kind %d: %ld hits, brute force finds %ld", q, kind, k, n);
        for (long i = 0; i < n; i++)
            if (got[i].entity != expected[i].entity || (int)got[i].kind != expected[i].kind ||
                got[i].term != expected[i].term || (int)got[i].match != expected[i].match)
                fail_msg("'%s' kind %d hit %ld: got term %u (%s, %s), expected term %u (%s, %s)", q, kind, i,
                         got[i].term, fow_model_text(m, m->terms[got[i].term].label), fow_match_name(got[i].match),
                         expected[i].term, fow_model_text(m, m->terms[expected[i].term].label),
                         fow_match_name((fow_match)expected[i].match));
    }
}

/* Every query made of words of the labels: pairs of words in both orders,
 * their 3-letter starts, and each word of 5 letters or more with a typo
 * of each kind (a letter swapped, dropped, doubled, replaced). */
static int assert_word_queries_like_oracle(const fow_model *m) {
    int queries = 0;
    for (uint32_t t = 0; t < m->n_terms; t++) {
        span w[16];
        size_t n = oracle_words(fow_model_text(m, m->terms[t].folded), w, 16);
        if (n > 16) n = 16;
        for (size_t a = 0; a < n; a++) {
            char q[200];
            if (w[a].len < 60 && oracle_letters(w[a]) >= 5 && w[a].len == oracle_letters(w[a])) {
                for (int edit = 0; edit < 4; edit++) {
                    size_t L = w[a].len, at = L / 2;
                    memcpy(q, w[a].s, L);
                    q[L] = '\0';
                    if (edit == 0) q[at] = w[a].s[at + 1], q[at + 1] = w[a].s[at];
                    if (edit == 1) memmove(q + at, q + at + 1, L - at);
                    if (edit == 2) memmove(q + at + 1, q + at, L - at + 1);
                    if (edit == 3) q[at] = q[at] == 'x' ? 'q' : 'x';
                    assert_like_oracle(m, q);
                    queries++;
                }
            }
            for (size_t b = 0; b < n; b++) {
                if (a == b || w[a].len + w[b].len > 150) continue;
                snprintf(q, sizeof q, "%.*s %.*s", (int)w[a].len, w[a].s, (int)w[b].len, w[b].s);
                assert_like_oracle(m, q);
                snprintf(q, sizeof q, "%.*s %.*s", (int)(w[a].len < 3 ? w[a].len : 3), w[a].s,
                         (int)(w[b].len < 3 ? w[b].len : 3), w[b].s);
                assert_like_oracle(m, q);
                queries += 2;
            }
        }
    }
    return queries;
}

static void test_search_matches_brute_force(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    int queries = 0;
    /* every 1- to 4-character prefix of every word of every label */
    for (uint32_t t = 0; t < m->n_terms; t++) {
        const char *f = fow_model_text(m, m->terms[t].folded);
        for (size_t start = 0; f[start]; start++) {
            if (start > 0 && !fow_text_is_word_start(f, start)) continue;
            for (size_t len = 1; len <= 4 && f[start + len - 1]; len++) {
                char q[8];
                memcpy(q, f + start, len);
                q[len] = '\0';
                /* skip cuts inside a UTF-8 character and blank queries */
                if ((unsigned char)f[start + len] >= 0x80 && (unsigned char)f[start + len] < 0xC0) continue;
                if (q[len - 1] == ' ' || q[0] == ' ') continue;
                assert_like_oracle(m, q);
                queries++;
            }
        }
    }
    assert_true(queries > 100);
    assert_true(assert_word_queries_like_oracle(m) > 300);
}

/* ---- many readers at once ------------------------------------------------- */

#define N_THREADS 4
#define N_ROUNDS 300

static const char *const concurrent_queries[] = {"sofer", "carpenter", "web", "program", "taxi", "d", "s",
                                                 "designers’ work", "tâmplar", "c"};
#define N_QUERIES (sizeof concurrent_queries / sizeof concurrent_queries[0])

typedef struct reader {
    const fow_model *m;
    fow_search_hit (*expected)[50];
    long *expected_n;
    int seed;
    int mismatches;
    int errors;
} reader;

static void *reader_main(void *arg) {
    reader *r = arg;
    fow_search_hit hits[50];
    for (int round = 0; round < N_ROUNDS; round++) {
        size_t q = (size_t)(round + r->seed) % N_QUERIES;
        fow_error err;
        fow_error_clear(&err);
        long n = fow_search(r->m, concurrent_queries[q], FOW_KIND_ANY, hits, 50, &err);
        if (n < 0) {
            r->errors++;
            continue;
        }
        if (n != r->expected_n[q]) {
            r->mismatches++;
            continue;
        }
        for (long i = 0; i < n; i++)
            if (hits[i].entity != r->expected[q][i].entity || hits[i].term != r->expected[q][i].term ||
                hits[i].rank != r->expected[q][i].rank)
                r->mismatches++;
    }
    return NULL;
}

static void test_concurrent_readers(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    static fow_search_hit expected[N_QUERIES][50];
    static long expected_n[N_QUERIES];
    for (size_t q = 0; q < N_QUERIES; q++) {
        expected_n[q] = search(m, concurrent_queries[q], FOW_KIND_ANY, expected[q], 50);
        assert_true(expected_n[q] > 0);
    }
    pthread_t threads[N_THREADS];
    reader readers[N_THREADS];
    for (int i = 0; i < N_THREADS; i++) {
        readers[i] = (reader){m, expected, expected_n, i * 3, 0, 0};
        assert_int_equal(pthread_create(&threads[i], NULL, reader_main, &readers[i]), 0);
    }
    for (int i = 0; i < N_THREADS; i++) assert_int_equal(pthread_join(threads[i], NULL), 0);
    for (int i = 0; i < N_THREADS; i++) {
        assert_int_equal(readers[i].errors, 0);
        assert_int_equal(readers[i].mismatches, 0);
    }
}

/* A second model from the same database is the same model. */
static void test_reload_is_identical(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    fow_model *again = NULL;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_model_load(s->d.db, &again, &err), &err);
    assert_int_equal(again->n_occupations, m->n_occupations);
    assert_int_equal(again->n_links, m->n_links);
    assert_int_equal(again->n_terms, m->n_terms);
    assert_int_equal(again->n_words, m->n_words);
    assert_memory_equal(again->occ_links, m->occ_links, m->n_links * sizeof *m->occ_links);
    assert_memory_equal(again->skill_offsets, m->skill_offsets, (m->n_skills + 1) * sizeof *m->skill_offsets);
    for (uint32_t t = 0; t < m->n_terms; t++)
        assert_string_equal(fow_model_text(again, again->terms[t].label), fow_model_text(m, m->terms[t].label));
    fow_model_free(again);
    fow_model_free(NULL);
}

static void test_empty_database(void **state) {
    (void)state;
    ts_db d;
    ts_db_fresh(&d);
    fow_model *m = NULL;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_model_load(d.db, &m, &err), &err);
    assert_int_equal(m->n_occupations, 0);
    assert_int_equal(m->n_skills, 0);
    assert_int_equal(m->n_links, 0);
    assert_int_equal(m->n_terms, 0);
    fow_search_hit h[5];
    assert_int_equal(search(m, "anything", FOW_KIND_ANY, h, 5), 0);
    fow_model_free(m);
    ts_db_free(&d);
}

/* ---- any word order, variants, typos (the search-small fixture) ---------- */

#define SOCC(slug) "urn:test:occupation:" slug

static int setup_words(void **state) {
    model_state *s = calloc(1, sizeof *s);
    if (!s) return -1;
    ts_db_fresh(&s->d);
    ts_import_bundle_fixture(s->d.db, "search-small", NULL);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_db_open(&s->ro, s->d.path, true, &err), &err);
    assert_fow_ok(fow_model_load(s->ro, &s->m, &err), &err);
    *state = s;
    return 0;
}

static bool has_variant(const fow_model *m, const char *a, const char *b) {
    for (uint32_t k = 0; k < m->n_variants; k++)
        if (strcmp(m->vocab_text + m->vocab[m->variants[2 * k]], a) == 0 &&
            strcmp(m->vocab_text + m->vocab[m->variants[2 * k + 1]], b) == 0)
            return true;
    return false;
}

static void test_vocabulary(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    /* sorted, distinct, and every word of every label is in it */
    for (uint32_t v = 1; v < m->n_vocab; v++)
        assert_true(strcmp(m->vocab_text + m->vocab[v - 1], m->vocab_text + m->vocab[v]) < 0);
    for (uint32_t t = 0; t < m->n_terms; t++) {
        span w[64];
        size_t n = oracle_words(fow_model_text(m, m->terms[t].folded), w, 64);
        for (size_t i = 0; i < n && i < 64; i++) {
            bool found = false;
            for (uint32_t v = 0; v < m->n_vocab && !found; v++)
                found = strlen(m->vocab_text + m->vocab[v]) == w[i].len &&
                        memcmp(m->vocab_text + m->vocab[v], w[i].s, w[i].len) == 0;
            if (!found) fail_msg("'%.*s' is not in the vocabulary", (int)w[i].len, w[i].s);
        }
    }
    assert_true(fow_search_index_valid(m->vocab, m->n_vocab, m->vocab_text, m->vocab_text_len, m->variants,
                                       2 * (uint64_t)m->n_variants));
}

static void test_variants_from_the_labels(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    /* two labels of one concept that differ in one close word */
    static const char *const pairs[][2] = {{"centre", "center"}, {"labour", "labor"}, {"theatre", "theater"},
                                           {"organise", "organize"}, {"inspector", "inspectors"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        if (!has_variant(m, pairs[i][0], pairs[i][1]) || !has_variant(m, pairs[i][1], pairs[i][0]))
            fail_msg("%s / %s should be variants", pairs[i][0], pairs[i][1]);
    }
    /* close words that are not: agency / agent (2 edits, not 2 letters
     * added), section / station (2 edits), centre / contact (other labels
     * of the concept, but more than one word apart) */
    assert_false(has_variant(m, "agency", "agent"));
    assert_false(has_variant(m, "agent", "clerk"));
    assert_false(has_variant(m, "section", "station"));
    assert_false(has_variant(m, "call", "contact"));
    assert_int_equal(m->n_variants, 2 * 5);
    /* pairs sorted by (from, to) */
    for (uint32_t k = 1; k < m->n_variants; k++)
        assert_true(m->variants[2 * k - 2] < m->variants[2 * k] ||
                    (m->variants[2 * k - 2] == m->variants[2 * k] && m->variants[2 * k - 1] < m->variants[2 * k + 1]));
}

static void test_any_word_order(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    fow_search_hit h[20];
    /* the queries: call centre agent first */
    static const char *const queries[] = {"agent call center", "call agent", "center call", "agent centre call",
                                          "AGENT  Call", "cent agen call"};
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        long n = search(m, queries[q], FOW_KIND_OCCUPATION, h, 20);
        if (n < 1) fail_msg("'%s' finds nothing", queries[q]);
        assert_hit(m, &h[0], FOW_KIND_OCCUPATION, SOCC("call-centre-agent"), FOW_MATCH_WORDS, 1, "call centre agent");
        assert_no_duplicates(h, n);
    }
    /* "call agent": only the labels with both words */
    long n = search(m, "call agent", FOW_KIND_ANY, h, 20);
    assert_int_equal(n, 1);
    /* "center call": the preferred label through the variant, before the
     * manager's (longer) and the alternative "call center ..." labels */
    n = search(m, "center call", FOW_KIND_ANY, h, 20);
    assert_int_equal(n, 3);
    assert_hit(m, &h[1], FOW_KIND_OCCUPATION, SOCC("call-centre-manager"), FOW_MATCH_WORDS, 1, "call centre manager");
    assert_hit(m, &h[2], FOW_KIND_SKILL, "use call centre software", FOW_MATCH_WORDS, 1, NULL);
    /* labels in query order still come first */
    n = search(m, "centre agent", FOW_KIND_ANY, h, 20);
    assert_int_equal(n, 2);
    assert_hit(m, &h[0], FOW_KIND_OCCUPATION, SOCC("call-centre-agent"), FOW_MATCH_WORD, 1, "call centre agent");
    assert_hit(m, &h[1], FOW_KIND_OCCUPATION, SOCC("contact-centre-agent"), FOW_MATCH_WORD, 1, NULL);
    /* every word must match, each its own label word */
    assert_int_equal(search(m, "call agent xyz", FOW_KIND_ANY, h, 20), 0);
    assert_int_equal(search(m, "call call", FOW_KIND_ANY, h, 20), 0);
    assert_int_equal(search(m, "ag ag", FOW_KIND_ANY, h, 20), 0);
    n = search(m, "cl ag", FOW_KIND_ANY, h, 20);
    assert_int_equal(n, 1);
    assert_hit(m, &h[0], FOW_KIND_OCCUPATION, SOCC("travel-agent"), FOW_MATCH_WORDS, 0, "travel agent clerk");
    /* a variant alone: "labor" finds the preferred "labour" label first */
    n = search(m, "inspectors labor", FOW_KIND_ANY, h, 20);
    assert_int_equal(n, 1);
    assert_hit(m, &h[0], FOW_KIND_OCCUPATION, SOCC("labour-inspector"), FOW_MATCH_WORDS, 1, "labour inspector");
    n = search(m, "organize", FOW_KIND_SKILL, h, 20);
    assert_int_equal(n, 1);
    assert_hit(m, &h[0], FOW_KIND_SKILL, "organise meetings", FOW_MATCH_PREFIX, 0, "organize meetings");
    n = search(m, "organiz meet", FOW_KIND_SKILL, h, 20);
    assert_int_equal(n, 1);
    assert_hit(m, &h[0], FOW_KIND_SKILL, "organise meetings", FOW_MATCH_WORDS, 1, "organise meetings");
    /* close words that are not variants stay apart */
    assert_int_equal(search(m, "section railway", FOW_KIND_ANY, h, 20), 1);
    assert_hit(m, &h[0], FOW_KIND_OCCUPATION, SOCC("station-agent"), FOW_MATCH_WORDS, 0, "railway section agent");
}

static void test_one_typo(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    fow_search_hit h[20];
    /* replaced, swapped, missing, added */
    static const char *const queries[] = {"recepcionist", "receptoinist", "recptionist", "receptionnist"};
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        long n = search(m, queries[q], FOW_KIND_ANY, h, 20);
        if (n != 2) fail_msg("'%s': %ld hits, expected 2", queries[q], n);
        assert_hit(m, &h[0], FOW_KIND_OCCUPATION, SOCC("receptionist"), FOW_MATCH_TYPO, 1, "receptionist");
        assert_hit(m, &h[1], FOW_KIND_OCCUPATION, SOCC("veterinary-receptionist"), FOW_MATCH_TYPO, 1, NULL);
        assert_int_equal(h[0].match, FOW_MATCH_TYPO);
    }
    /* a typo in one word, the other right, any order */
    long n = search(m, "agnet call", FOW_KIND_OCCUPATION, h, 20);
    assert_true(n >= 1);
    assert_hit(m, &h[0], FOW_KIND_OCCUPATION, SOCC("call-centre-agent"), FOW_MATCH_TYPO, 1, "call centre agent");
    /* fewer typos first */
    n = search(m, "cetnre agent", FOW_KIND_OCCUPATION, h, 20);
    assert_true(n >= 2);
    assert_int_equal(h[0].match, FOW_MATCH_TYPO);
    /* not in words of 4 letters or fewer, and not two in one word */
    assert_int_equal(search(m, "cahl agent", FOW_KIND_ANY, h, 20), 0);
    assert_int_equal(search(m, "recpcionist", FOW_KIND_ANY, h, 20), 0);
    /* not when the query finds something as typed */
    n = search(m, "station", FOW_KIND_ANY, h, 20);
    assert_int_equal(n, 1);
    assert_int_equal(h[0].match, FOW_MATCH_WORD);
}

static void test_word_queries_match_brute_force(void **state) {
    model_state *s = *state;
    assert_true(assert_word_queries_like_oracle(s->m) > 200);
    static const char *const more[] = {"agent call center", "center call", "labor", "theater", "organiz",
                                       "cetnre agent", "agnet clal", "a", "c c", "ag ag ag", "telephone operator"};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) assert_like_oracle(s->m, more[i]);
}

static void test_too_many_words(void **state) {
    model_state *s = *state;
    fow_search_hit h[5];
    /* 13 words: not tried in any order (and nothing has them in order) */
    assert_int_equal(search(s->m, "a b c d e f g h i j k l call", FOW_KIND_ANY, h, 5), 0);
    /* 12 are */
    assert_int_equal(search(s->m, "agent call a a a a a a a a a a", FOW_KIND_ANY, h, 5), 0);
    assert_int_equal(search(s->m, "agent call cent", FOW_KIND_ANY, h, 5), 1);
}

static void test_index_validation(void **state) {
    model_state *s = *state;
    const fow_model *m = s->m;
    assert_true(m->n_vocab >= 3 && m->n_variants >= 1);
    uint32_t *v = malloc(m->n_vocab * sizeof *v);
    uint32_t *pairs = malloc(2 * m->n_variants * sizeof *pairs);
    assert_non_null(v);
    assert_non_null(pairs);
    memcpy(v, m->vocab, m->n_vocab * sizeof *v);
    memcpy(pairs, m->variants, 2 * m->n_variants * sizeof *pairs);
    uint64_t nv = m->n_vocab, np = 2 * (uint64_t)m->n_variants;
    assert_true(fow_search_index_valid(v, nv, m->vocab_text, m->vocab_text_len, pairs, np));
    /* an odd number of variant ids, an id outside, unsorted words, an
     * offset outside the text, text not terminated */
    assert_false(fow_search_index_valid(v, nv, m->vocab_text, m->vocab_text_len, pairs, np - 1));
    pairs[1] = (uint32_t)nv;
    assert_false(fow_search_index_valid(v, nv, m->vocab_text, m->vocab_text_len, pairs, np));
    memcpy(pairs, m->variants, 2 * m->n_variants * sizeof *pairs);
    uint32_t keep = v[0];
    v[0] = v[1], v[1] = keep;
    assert_false(fow_search_index_valid(v, nv, m->vocab_text, m->vocab_text_len, pairs, np));
    v[1] = v[0], v[0] = keep;
    v[2] = (uint32_t)m->vocab_text_len;
    assert_false(fow_search_index_valid(v, nv, m->vocab_text, m->vocab_text_len, pairs, np));
    memcpy(v, m->vocab, m->n_vocab * sizeof *v);
    assert_false(fow_search_index_valid(v, nv, m->vocab_text, m->vocab_text_len - 1, pairs, np));
    free(v);
    free(pairs);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_counts),
        cmocka_unit_test(test_model_occupations),
        cmocka_unit_test(test_model_skills),
        cmocka_unit_test(test_csr_consistency),
        cmocka_unit_test(test_links_match_the_database),
        cmocka_unit_test(test_essential_flags),
        cmocka_unit_test(test_terms_sorted),
        cmocka_unit_test(test_exact_before_prefix_before_word),
        cmocka_unit_test(test_preferred_before_alternative),
        cmocka_unit_test(test_kind_filter),
        cmocka_unit_test(test_accent_insensitive_romanian),
        cmocka_unit_test(test_typographic_apostrophe),
        cmocka_unit_test(test_no_duplicate_entities),
        cmocka_unit_test(test_bad_queries),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_search_matches_brute_force),
        cmocka_unit_test(test_concurrent_readers),
        cmocka_unit_test(test_reload_is_identical),
        cmocka_unit_test(test_empty_database),
    };
    const struct CMUnitTest word_tests[] = {
        cmocka_unit_test(test_vocabulary),
        cmocka_unit_test(test_variants_from_the_labels),
        cmocka_unit_test(test_any_word_order),
        cmocka_unit_test(test_one_typo),
        cmocka_unit_test(test_word_queries_match_brute_force),
        cmocka_unit_test(test_too_many_words),
        cmocka_unit_test(test_index_validation),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    return failed + cmocka_run_group_tests(word_tests, setup_words, teardown);
}
