#include "taxonomy/fow_search.h"

#include <assert.h>
#include <string.h>

#include "base/fow_csv.h"
#include "base/fow_text.h"

const char *fow_match_name(fow_match match) {
    switch (match) {
    case FOW_MATCH_EXACT: return "exact";
    case FOW_MATCH_PREFIX: return "prefix";
    case FOW_MATCH_WORD: return "word";
    }
    return "?";
}

/* The best max hits seen so far, sorted by rank, one per entity. */
typedef struct top_hits {
    fow_search_hit *hits;
    size_t n, max;
} top_hits;

static void offer(top_hits *top, const fow_model *m, uint32_t term, fow_match match) {
    assert(term < m->n_terms && top->n <= top->max && top->max > 0);
    const fow_model_term *t = &m->terms[term];
    uint64_t rank = ((uint64_t)match << 60) | ((uint64_t)(t->preferred ? 0 : 1) << 59) |
                    ((uint64_t)t->folded_len << 32) | term;
    if (top->n == top->max && rank >= top->hits[top->n - 1].rank) return;
    /* the same entity through another label: keep the better one */
    for (size_t i = 0; i < top->n; i++) {
        if (top->hits[i].entity == t->entity && top->hits[i].kind == (fow_kind)t->kind) {
            if (top->hits[i].rank <= rank) return;
            memmove(&top->hits[i], &top->hits[i + 1], (top->n - i - 1) * sizeof top->hits[0]);
            top->n--;
            break;
        }
    }
    size_t pos = top->n;
    while (pos > 0 && top->hits[pos - 1].rank > rank) pos--;
    if (pos >= top->max) return;
    size_t keep = top->n < top->max ? top->n : top->max - 1;
    memmove(&top->hits[pos + 1], &top->hits[pos], (keep - pos) * sizeof top->hits[0]);
    top->hits[pos] = (fow_search_hit){(fow_kind)t->kind, t->entity, term, match, t->preferred, rank};
    if (top->n < top->max) top->n++;
    /* kept best first (the lowest rank) */
    assert(pos == 0 || top->hits[pos - 1].rank <= rank);
    assert(pos + 1 >= top->n || rank <= top->hits[pos + 1].rank);
}

/* First term whose folded text is >= q. */
static uint32_t lower_bound_terms(const fow_model *m, const char *q) {
    uint32_t lo = 0, hi = m->n_terms;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strcmp(m->text + m->terms[mid].folded, q) < 0) lo = mid + 1;
        else hi = mid;
    }
    /* the terms are sorted by folded text (fow_model_load) */
    assert(lo == 0 || strcmp(m->text + m->terms[lo - 1].folded, q) < 0);
    assert(lo == m->n_terms || strcmp(m->text + m->terms[lo].folded, q) >= 0);
    return lo;
}

static const char *word_text(const fow_model *m, uint32_t w) {
    return m->text + m->terms[m->words[w].term].folded + m->words[w].offset;
}

static uint32_t lower_bound_words(const fow_model *m, const char *q) {
    uint32_t lo = 0, hi = m->n_words;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strcmp(word_text(m, mid), q) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

long fow_search(const fow_model *m, const char *query, fow_kind kind, fow_search_hit *hits,
                size_t max_hits, fow_error *err) {
    size_t qlen = strlen(query);
    if (qlen > FOW_SEARCH_MAX_QUERY)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "query",
                                "query too long (%zu bytes, at most %d)", qlen, FOW_SEARCH_MAX_QUERY),
               -1;
    if (fow_utf8_first_invalid((const unsigned char *)query, qlen) < qlen)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "query", "query is not valid UTF-8"), -1;
    char q[FOW_SEARCH_MAX_QUERY * 4 + 8];
    long n = fow_text_fold_into(query, qlen, q, sizeof q, err);
    if (n < 0) return -1;
    if (n == 0) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "query", "empty query"), -1;
    if (max_hits > FOW_SEARCH_MAX_HITS) max_hits = FOW_SEARCH_MAX_HITS;
    if (max_hits == 0) return 0;
    top_hits top = {hits, 0, max_hits};
    size_t len = (size_t)n;
    for (uint32_t i = lower_bound_terms(m, q); i < m->n_terms; i++) {
        const fow_model_term *t = &m->terms[i];
        if (t->folded_len < len || memcmp(m->text + t->folded, q, len) != 0) break;
        if (kind != FOW_KIND_ANY && t->kind != (uint8_t)kind) continue;
        offer(&top, m, i, t->folded_len == len ? FOW_MATCH_EXACT : FOW_MATCH_PREFIX);
    }
    /* word matches rank below every exact and prefix match: only needed
     * while there is room */
    if (top.n < top.max) {
        for (uint32_t w = lower_bound_words(m, q); w < m->n_words; w++) {
            if (strncmp(word_text(m, w), q, len) != 0) break;
            const fow_model_term *t = &m->terms[m->words[w].term];
            if (kind != FOW_KIND_ANY && t->kind != (uint8_t)kind) continue;
            offer(&top, m, m->words[w].term, FOW_MATCH_WORD);
        }
    }
    return (long)top.n;
}
