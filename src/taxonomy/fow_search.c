#include "taxonomy/fow_search.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "base/fow_csv.h"
#include "base/fow_strmap.h"
#include "base/fow_text.h"

const char *fow_match_name(fow_match match) {
    switch (match) {
    case FOW_MATCH_EXACT: return "exact";
    case FOW_MATCH_PREFIX: return "prefix";
    case FOW_MATCH_WORD: return "word";
    case FOW_MATCH_WORDS: return "words";
    case FOW_MATCH_TYPO: return "typo";
    }
    return "?";
}

/* ---- words ----------------------------------------------------------------- */

/* A byte that continues a word: an ASCII letter or digit, or any byte of a
 * multi-byte UTF-8 character (fow_text_is_word_start starts words alike). */
static bool is_word_byte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static bool is_ascii_alnum(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The next word of s[0..n) at or after *pos: its start and length; false
 * when there is none. */
static bool next_word(const char *s, size_t n, size_t *pos, size_t *start, size_t *len) {
    size_t i = *pos;
    while (i < n && !fow_text_is_word_start(s, i)) i++;
    if (i >= n) return false;
    size_t e = i + 1;
    while (e < n && is_word_byte((unsigned char)s[e])) e++;
    *start = i;
    *len = e - i;
    *pos = e;
    return true;
}

/* Letters (UTF-8 characters) in s[0..n). */
static size_t letters_of(const char *s, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* ---- the best hits --------------------------------------------------------- */

/* The best max hits seen so far, sorted by rank, one per entity. */
typedef struct top_hits {
    fow_search_hit *hits;
    size_t n, max;
} top_hits;

/* Lower is better: how it matched, then typos, then preferred labels, then
 * shorter ones, then the term's place (alphabetical order). */
static uint64_t rank_of(const fow_model_term *t, uint32_t term, fow_match match, unsigned typos) {
    if (typos > 7) typos = 7;
    return ((uint64_t)match << 60) | ((uint64_t)typos << 56) | ((uint64_t)(t->preferred ? 0 : 1) << 55) |
           ((uint64_t)t->folded_len << 32) | term;
}

/* True when a hit of this rank would not enter the full top. */
static bool top_rejects(const top_hits *top, uint64_t rank) {
    return top->n == top->max && rank >= top->hits[top->n - 1].rank;
}

static void offer(top_hits *top, const fow_model *m, uint32_t term, fow_match match, unsigned typos) {
    assert(term < m->n_terms && top->n <= top->max && top->max > 0);
    const fow_model_term *t = &m->terms[term];
    uint64_t rank = rank_of(t, term, match, typos);
    if (top_rejects(top, rank)) return;
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

/* ---- sorted arrays: terms, later words, vocabulary ------------------------- */

static const char *word_text(const fow_model *m, uint32_t w) {
    return m->text + m->terms[m->words[w].term].folded + m->words[w].offset;
}

static const char *term_text(const fow_model *m, uint32_t t) { return m->text + m->terms[t].folded; }

static const char *vocab_word(const fow_model *m, uint32_t v) { return m->vocab_text + m->vocab[v]; }

/* In [lo, hi) of a sorted array of texts (at(m, i)): the first index whose
 * text does not sort before s[0..n) as a prefix (upper false), or the first
 * whose text sorts after every text that starts with s[0..n) (upper true).
 * s need not be NUL-terminated. */
#define DEFINE_BOUND(name, at)                                                                        \
    static uint32_t name(const fow_model *m, uint32_t lo, uint32_t hi, const char *s, size_t n,      \
                         bool upper) {                                                                \
        while (lo < hi) {                                                                             \
            uint32_t mid = lo + (hi - lo) / 2;                                                        \
            int c = strncmp(at(m, mid), s, n);                                                        \
            if (upper ? c <= 0 : c < 0) lo = mid + 1;                                                 \
            else hi = mid;                                                                            \
        }                                                                                             \
        return lo;                                                                                    \
    }
DEFINE_BOUND(terms_bound, term_text)
DEFINE_BOUND(words_bound, word_text)
DEFINE_BOUND(vocab_bound, vocab_word)

/* ---- the query's words and their alternatives ------------------------------ */

#define MAX_ALTS 12
#define SCRATCH_BYTES 8192

/* A text that a label word must start with for a query word to match it:
 * the word itself, a spelling variant, or the word with one typo fixed. */
typedef struct query_alt {
    const char *s; /* not NUL-terminated */
    uint16_t len;
    uint8_t typo;  /* 1 when it fixes a typo */
    uint32_t terms_lo, terms_hi; /* the terms that start with it */
    uint32_t words_lo, words_hi; /* the later words that start with it */
} query_alt;

typedef struct query_word {
    const char *s;
    size_t len, letters;
    query_alt alts[MAX_ALTS];
    unsigned n_alts;
} query_word;

typedef struct query {
    query_word words[FOW_SEARCH_MAX_WORDS];
    size_t n;
    char scratch[SCRATCH_BYTES]; /* texts of typo alternatives */
    size_t used;
} query;

/* Adds s[0..n) as an alternative of w unless one already there is a prefix
 * of it (that one matches every label word it would). */
static bool add_alt(query_word *w, const char *s, size_t n, bool typo) {
    if (w->n_alts >= MAX_ALTS || n == 0 || n > UINT16_MAX) return false;
    for (unsigned i = 0; i < w->n_alts; i++)
        if (w->alts[i].len <= n && memcmp(w->alts[i].s, s, w->alts[i].len) == 0) return false;
    w->alts[w->n_alts++] = (query_alt){.s = s, .len = (uint16_t)n, .typo = typo};
    return true;
}

/* Splits the folded query into words; false when it has more than
 * FOW_SEARCH_MAX_WORDS (the any-order match is then not tried). */
static bool query_split(query *Q, const char *q, size_t n) {
    Q->n = 0;
    Q->used = 0;
    size_t pos = 0, start, len;
    while (next_word(q, n, &pos, &start, &len)) {
        if (Q->n == FOW_SEARCH_MAX_WORDS) return false;
        query_word *w = &Q->words[Q->n++];
        w->s = q + start;
        w->len = len;
        w->letters = letters_of(q + start, len);
        w->n_alts = 0;
        add_alt(w, w->s, len, false);
    }
    return Q->n > 0;
}

/* Length of the common prefix of a and b. */
static size_t common_prefix(const char *a, const char *b) {
    size_t i = 0;
    while (a[i] && a[i] == b[i]) i++;
    return i;
}

/* Adds the spelling variants of query word w: for a variant pair (a, b)
 * where a starts with w and w reaches past what a and b share, the start
 * of b as long as w is (adjusted by their difference in length), so that
 * "center" also looks for "centre" and "organiz" for "organis". Returns
 * whether it added any. */
static bool add_variants(const fow_model *m, query_word *w) {
    if (w->letters < 3 || !m->n_variants) return false;
    uint32_t lo = vocab_bound(m, 0, m->n_vocab, w->s, w->len, false);
    uint32_t hi = vocab_bound(m, lo, m->n_vocab, w->s, w->len, true);
    if (lo >= hi) return false;
    /* the pairs whose first word is in [lo, hi): variants sorted by from */
    uint32_t a = 0, b = m->n_variants;
    while (a < b) {
        uint32_t mid = a + (b - a) / 2;
        if (m->variants[2 * mid] < lo) a = mid + 1;
        else b = mid;
    }
    bool added = false;
    for (uint32_t k = a, seen = 0; k < m->n_variants && m->variants[2 * k] < hi && seen < 512; k++, seen++) {
        const char *from = vocab_word(m, m->variants[2 * k]);
        const char *to = vocab_word(m, m->variants[2 * k + 1]);
        size_t shared = common_prefix(from, to);
        if (w->len <= shared) continue; /* w is a prefix of both already */
        size_t from_len = strlen(from), to_len = strlen(to);
        size_t n = w->len + to_len - from_len;
        if (w->len + to_len < from_len || n <= shared) n = shared + 1;
        if (n > to_len) n = to_len;
        added |= add_alt(w, to, n, false);
    }
    return added;
}

/* Keeps s[0..n) as a typo alternative of w when a vocabulary word in
 * [lo, hi) starts with it. */
static void try_typo(const fow_model *m, query *Q, query_word *w, uint32_t lo, uint32_t hi, const char *s,
                     size_t n) {
    uint32_t i = vocab_bound(m, lo, hi, s, n, false);
    if (i >= hi || strncmp(vocab_word(m, i), s, n) != 0) return;
    if (Q->used + n > SCRATCH_BYTES) return;
    char *copy = Q->scratch + Q->used;
    memcpy(copy, s, n);
    if (add_alt(w, copy, n, true)) Q->used += n;
}

/* Adds to w the words of the vocabulary that w meets with one edit (a
 * letter deleted, inserted, replaced, or two neighbours swapped; ASCII
 * letters and digits only), as prefixes: it walks the sorted vocabulary
 * like a trie along w, and at each position where w's start is still some
 * word's start tries the edits there. */
static void add_typos(const fow_model *m, query *Q, query_word *w) {
    char buf[FOW_SEARCH_MAX_QUERY * 4 + 8];
    const char *s = w->s;
    size_t L = w->len;
    if (L + 2 > sizeof buf) return;
    uint32_t lo = 0, hi = m->n_vocab;
    for (size_t i = 0; i < L && lo < hi; i++) {
        unsigned char c_i = (unsigned char)s[i];
        memcpy(buf, s, i);
        if (c_i < 0x80) {
            /* a letter too many: drop s[i] */
            memcpy(buf + i, s + i + 1, L - i - 1);
            try_typo(m, Q, w, lo, hi, buf, L - 1);
            /* two letters swapped */
            if (i + 1 < L && (unsigned char)s[i + 1] < 0x80 && s[i] != s[i + 1]) {
                buf[i] = s[i + 1];
                buf[i + 1] = s[i];
                memcpy(buf + i + 2, s + i + 2, L - i - 2);
                try_typo(m, Q, w, lo, hi, buf, L);
            }
        }
        if ((c_i & 0xC0) != 0x80) {
            /* a letter replaced, or one missing before s[i]: each letter
             * that follows s[0..i) in the vocabulary */
            uint32_t j = lo;
            while (j < hi) {
                unsigned char c = (unsigned char)vocab_word(m, j)[i];
                if (c == 0) {
                    j++;
                    continue;
                }
                buf[i] = (char)c;
                uint32_t k = vocab_bound(m, j, hi, buf, i + 1, true);
                assert(k > j);
                if (is_ascii_alnum(c)) {
                    if (c_i < 0x80 && c != c_i) {
                        memcpy(buf + i + 1, s + i + 1, L - i - 1);
                        try_typo(m, Q, w, j, k, buf, L);
                    }
                    memcpy(buf + i + 1, s + i, L - i);
                    try_typo(m, Q, w, j, k, buf, L + 1);
                }
                j = k;
            }
        }
        uint32_t nlo = vocab_bound(m, lo, hi, s, i + 1, false);
        hi = vocab_bound(m, nlo, hi, s, i + 1, true);
        lo = nlo;
    }
}

/* Fills every alternative's ranges; returns the index of the query word
 * with the fewest candidate labels. */
static size_t query_ranges(const fow_model *m, query *Q) {
    size_t best = 0;
    uint64_t best_count = UINT64_MAX;
    for (size_t i = 0; i < Q->n; i++) {
        query_word *w = &Q->words[i];
        uint64_t count = 0;
        for (unsigned a = 0; a < w->n_alts; a++) {
            query_alt *x = &w->alts[a];
            x->terms_lo = terms_bound(m, 0, m->n_terms, x->s, x->len, false);
            x->terms_hi = terms_bound(m, x->terms_lo, m->n_terms, x->s, x->len, true);
            x->words_lo = words_bound(m, 0, m->n_words, x->s, x->len, false);
            x->words_hi = words_bound(m, x->words_lo, m->n_words, x->s, x->len, true);
            count += (uint64_t)(x->terms_hi - x->terms_lo) + (x->words_hi - x->words_lo);
        }
        if (count < best_count) best_count = count, best = i;
    }
    return best;
}

/* ---- matching a label against the query's words ---------------------------- */

#define MAX_LABEL_WORDS 64
#define MAX_ASSIGN_STEPS 4096

typedef struct assignment {
    uint64_t exact[FOW_SEARCH_MAX_WORDS]; /* label words each query word starts without a typo */
    uint64_t any[FOW_SEARCH_MAX_WORDS];   /* ... with or without */
    size_t order[FOW_SEARCH_MAX_WORDS];   /* query words, fewest choices first */
    size_t n;
    unsigned best;
    unsigned steps;
} assignment;

/* Gives each query word (in order[i..]) a label word of its own, not in
 * used, keeping the fewest typos in a->best (at most MAX_ASSIGN_STEPS
 * steps: a->best starts at a valid bound). */
static void assign(assignment *a, size_t i, uint64_t used, unsigned typos) {
    if (typos >= a->best || ++a->steps > MAX_ASSIGN_STEPS) return;
    if (i == a->n) {
        a->best = typos;
        return;
    }
    size_t q = a->order[i];
    for (uint64_t open = a->exact[q] & ~used; open; open &= open - 1) assign(a, i + 1, used | (open & -open), typos);
    for (uint64_t open = a->any[q] & ~a->exact[q] & ~used; open; open &= open - 1)
        assign(a, i + 1, used | (open & -open), typos + 1);
}

/* Kuhn's augmenting path from query word q over the label words in adj. */
static bool augment(const uint64_t *adj, size_t q, uint64_t *seen, int8_t *owner) {
    for (uint64_t open = adj[q] & ~*seen; open; open &= open - 1) {
        unsigned j = (unsigned)__builtin_ctzll(open);
        *seen |= (uint64_t)1 << j;
        if (owner[j] < 0 || augment(adj, (size_t)owner[j], seen, owner)) {
            owner[j] = (int8_t)q;
            return true;
        }
    }
    return false;
}

/* True when every query word can have a label word of its own among adj. */
static bool all_matched(const uint64_t *adj, size_t n) {
    int8_t owner[MAX_LABEL_WORDS];
    memset(owner, -1, sizeof owner);
    for (size_t q = 0; q < n; q++) {
        uint64_t seen = 0;
        if (!augment(adj, q, &seen, owner)) return false;
    }
    return true;
}

/* The fewest typos with which every query word starts a different word of
 * the folded label text[0..n), or -1 when they cannot. */
static int label_matches(const query *Q, const char *text, size_t n) {
    assignment a;
    a.n = Q->n;
    for (size_t i = 0; i < Q->n; i++) a.exact[i] = a.any[i] = 0;
    size_t pos = 0, start, len;
    for (unsigned k = 0; k < MAX_LABEL_WORDS && next_word(text, n, &pos, &start, &len); k++) {
        for (size_t i = 0; i < Q->n; i++) {
            const query_word *w = &Q->words[i];
            for (unsigned x = 0; x < w->n_alts; x++) {
                const query_alt *alt = &w->alts[x];
                if (alt->len > len || memcmp(text + start, alt->s, alt->len) != 0) continue;
                a.any[i] |= (uint64_t)1 << k;
                if (!alt->typo) a.exact[i] |= (uint64_t)1 << k;
            }
        }
    }
    for (size_t i = 0; i < Q->n; i++) {
        if (!a.any[i]) return -1;
        /* insertion sort by number of choices */
        size_t j = i;
        while (j > 0 && __builtin_popcountll(a.any[a.order[j - 1]]) > __builtin_popcountll(a.any[i])) {
            a.order[j] = a.order[j - 1];
            j--;
        }
        a.order[j] = i;
    }
    if (Q->n == 1) return a.exact[0] ? 0 : 1;
    if (!all_matched(a.any, a.n)) return -1;
    if (all_matched(a.exact, a.n)) return 0;
    /* some typo is needed: the fewest (a perfect matching exists, so n is
     * a bound the search only improves) */
    a.best = (unsigned)Q->n;
    a.steps = 0;
    assign(&a, 0, 0, 0);
    return (int)a.best;
}

static void consider(const fow_model *m, const query *Q, fow_kind kind, top_hits *top, uint32_t term,
                     fow_match match) {
    const fow_model_term *t = &m->terms[term];
    if (kind != FOW_KIND_ANY && t->kind != (uint8_t)kind) return;
    if (top_rejects(top, rank_of(t, term, match == FOW_MATCH_TYPO ? FOW_MATCH_WORDS : match, 0))) return;
    int typos = label_matches(Q, term_text(m, term), t->folded_len);
    if (typos < 0) return;
    offer(top, m, term, typos ? FOW_MATCH_TYPO : FOW_MATCH_WORDS, (unsigned)typos);
}

/* Every label that holds all the query's words, in any order: the
 * candidates are the labels of the query word with the fewest. */
static void search_any_order(const fow_model *m, query *Q, fow_kind kind, top_hits *top, fow_match match) {
    size_t rarest = query_ranges(m, Q);
    const query_word *w = &Q->words[rarest];
    for (unsigned a = 0; a < w->n_alts; a++) {
        const query_alt *x = &w->alts[a];
        for (uint32_t i = x->terms_lo; i < x->terms_hi; i++) consider(m, Q, kind, top, i, match);
        for (uint32_t i = x->words_lo; i < x->words_hi; i++) consider(m, Q, kind, top, m->words[i].term, match);
    }
}

/* ---- the search -------------------------------------------------------------- */

long fow_search(const fow_model *m, const char *query_text, fow_kind kind, fow_search_hit *hits, size_t max_hits,
                fow_error *err) {
    size_t qlen = strlen(query_text);
    if (qlen > FOW_SEARCH_MAX_QUERY)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "query",
                                "query too long (%zu bytes, at most %d)", qlen, FOW_SEARCH_MAX_QUERY),
               -1;
    if (fow_utf8_first_invalid((const unsigned char *)query_text, qlen) < qlen)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "query", "query is not valid UTF-8"), -1;
    char q[FOW_SEARCH_MAX_QUERY * 4 + 8];
    long n = fow_text_fold_into(query_text, qlen, q, sizeof q, err);
    if (n < 0) return -1;
    if (n == 0) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "query", "empty query"), -1;
    if (max_hits > FOW_SEARCH_MAX_HITS) max_hits = FOW_SEARCH_MAX_HITS;
    if (max_hits == 0) return 0;
    top_hits top = {hits, 0, max_hits};
    size_t len = (size_t)n;
    /* 1. labels that start with the query */
    for (uint32_t i = terms_bound(m, 0, m->n_terms, q, len, false); i < m->n_terms; i++) {
        const fow_model_term *t = &m->terms[i];
        if (t->folded_len < len || memcmp(m->text + t->folded, q, len) != 0) break;
        if (kind != FOW_KIND_ANY && t->kind != (uint8_t)kind) continue;
        offer(&top, m, i, t->folded_len == len ? FOW_MATCH_EXACT : FOW_MATCH_PREFIX, 0);
    }
    /* each later class ranks below every hit of the earlier ones: only
     * needed while there is room */
    /* 2. labels with a later word that starts with the query */
    if (top.n < top.max) {
        for (uint32_t w = words_bound(m, 0, m->n_words, q, len, false); w < m->n_words; w++) {
            if (strncmp(word_text(m, w), q, len) != 0) break;
            const fow_model_term *t = &m->terms[m->words[w].term];
            if (kind != FOW_KIND_ANY && t->kind != (uint8_t)kind) continue;
            offer(&top, m, m->words[w].term, FOW_MATCH_WORD, 0);
        }
    }
    if (top.n == top.max) return (long)top.n;
    query Q;
    if (!query_split(&Q, q, len)) return (long)top.n;
    /* 3. the query's words in any order, or through spelling variants */
    bool variants = false;
    for (size_t i = 0; i < Q.n; i++) variants |= add_variants(m, &Q.words[i]);
    if (Q.n > 1 || variants) search_any_order(m, &Q, kind, &top, FOW_MATCH_WORDS);
    /* 4. nothing yet: one typo in each word of 5 letters or more */
    if (top.n == 0) {
        bool typos = false;
        for (size_t i = 0; i < Q.n; i++) {
            query_word *w = &Q.words[i];
            if (w->letters < FOW_SEARCH_TYPO_MIN_LETTERS) continue;
            unsigned before = w->n_alts;
            add_typos(m, &Q, w);
            typos |= w->n_alts > before;
        }
        if (typos) search_any_order(m, &Q, kind, &top, FOW_MATCH_TYPO);
    }
    return (long)top.n;
}

/* ---- building the vocabulary and the variants ------------------------------- */

typedef struct vocab_sort {
    const char *word;
    uint32_t first_seen; /* index in order of first appearance */
} vocab_sort;

static int compare_vocab(const void *a, const void *b) {
    return strcmp(((const vocab_sort *)a)->word, ((const vocab_sort *)b)->word);
}

typedef struct label_key {
    uint8_t kind;
    char lang[8];
    uint32_t entity;
    uint32_t term;
} label_key;

static int compare_label_keys(const void *a, const void *b) {
    const label_key *x = a, *y = b;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    if (x->entity != y->entity) return x->entity < y->entity ? -1 : 1;
    int c = strcmp(x->lang, y->lang);
    return c ? c : (x->term < y->term ? -1 : x->term > y->term);
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* True when a and b (bytes) are one edit apart: a letter added, removed or
 * replaced, or two neighbours swapped (Damerau). */
static bool one_edit_apart(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la < lb) {
        const char *t = a;
        a = b, b = t;
        size_t l = la;
        la = lb, lb = l;
    }
    if (la - lb > 1) return false;
    size_t p = common_prefix(a, b);
    if (p == la) return false; /* the same */
    if (la == lb + 1) return strcmp(a + p + 1, b + p) == 0;
    /* same length: one replaced, or two swapped */
    if (strcmp(a + p + 1, b + p + 1) == 0) return true;
    return p + 1 < la && a[p] == b[p + 1] && a[p + 1] == b[p] && strcmp(a + p + 2, b + p + 2) == 0;
}

/* True when the longer of a and b is the other with two neighbouring
 * letters added in one place (program, programme; salesman, saleswoman). */
static bool two_added(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la < lb) {
        const char *t = a;
        a = b, b = t;
        size_t l = la;
        la = lb, lb = l;
    }
    if (la != lb + 2) return false;
    size_t p = common_prefix(a, b);
    return p <= lb && strcmp(a + p + 2, b + p) == 0;
}

/* The rule for two words that differ between two labels of one concept. */
static bool are_variants(const char *a, const char *b) {
    return a[0] == b[0] && letters_of(a, strlen(a)) >= 4 && letters_of(b, strlen(b)) >= 4 &&
           (one_edit_apart(a, b) || two_added(a, b));
}

#define OOM(err) fow_error_set(err, FOW_ENOMEM, "out of memory building the search vocabulary")

fow_code fow_search_index_build(fow_model *m, fow_error *err) {
    fow_code rc = FOW_OK;
    fow_strmap map;
    fow_strmap_init(&map);
    uint32_t *term_words = malloc(((size_t)m->n_terms + 1) * sizeof *term_words);
    uint32_t *ids = NULL;
    vocab_sort *uniq = NULL;
    uint32_t *rank = NULL;
    label_key *keys = NULL;
    uint64_t *pairs = NULL;
    size_t n_ids = 0, n_uniq = 0, n_pairs = 0, cap_pairs = 0;
    if (!term_words) goto oom;
    /* every word of every term, as an id in order of first appearance */
    for (uint32_t t = 0; t < m->n_terms; t++) {
        size_t pos = 0, start, len;
        while (next_word(term_text(m, t), m->terms[t].folded_len, &pos, &start, &len)) n_ids++;
    }
    ids = malloc((n_ids + 1) * sizeof *ids);
    uniq = malloc((n_ids + 1) * sizeof *uniq);
    if (!ids || !uniq) goto oom;
    n_ids = 0;
    for (uint32_t t = 0; t < m->n_terms; t++) {
        term_words[t] = (uint32_t)n_ids;
        const char *text = term_text(m, t);
        size_t pos = 0, start, len;
        while (next_word(text, m->terms[t].folded_len, &pos, &start, &len)) {
            int64_t id;
            const char *key = fow_strmap_intern(&map, text + start, len, (int64_t)n_uniq, &id);
            if (!key) goto oom;
            if ((size_t)id == n_uniq) uniq[n_uniq] = (vocab_sort){key, (uint32_t)n_uniq}, n_uniq++;
            ids[n_ids++] = (uint32_t)id;
        }
    }
    term_words[m->n_terms] = (uint32_t)n_ids;
    /* sorted by bytes: the vocabulary */
    qsort(uniq, n_uniq, sizeof *uniq, compare_vocab);
    rank = malloc((n_uniq + 1) * sizeof *rank);
    if (!rank) goto oom;
    size_t text_len = 0;
    for (size_t i = 0; i < n_uniq; i++) rank[uniq[i].first_seen] = (uint32_t)i, text_len += strlen(uniq[i].word) + 1;
    if (text_len > UINT32_MAX) goto oom;
    m->vocab = fow_arena_alloc(&m->arena, (n_uniq + 1) * sizeof *m->vocab);
    m->vocab_text = fow_arena_alloc(&m->arena, text_len + 1);
    if (!m->vocab || !m->vocab_text) goto oom;
    size_t at = 0;
    for (size_t i = 0; i < n_uniq; i++) {
        size_t l = strlen(uniq[i].word);
        m->vocab[i] = (uint32_t)at;
        memcpy(m->vocab_text + at, uniq[i].word, l + 1);
        at += l + 1;
    }
    m->n_vocab = (uint32_t)n_uniq;
    m->vocab_text_len = text_len;
    for (size_t i = 0; i < n_ids; i++) ids[i] = rank[ids[i]];
    /* variants: the labels of each occupation or skill, by language */
    keys = malloc(((size_t)m->n_terms + 1) * sizeof *keys);
    if (!keys) goto oom;
    for (uint32_t t = 0; t < m->n_terms; t++) {
        keys[t] = (label_key){.kind = m->terms[t].kind, .entity = m->terms[t].entity, .term = t};
        memcpy(keys[t].lang, m->terms[t].lang, sizeof keys[t].lang);
        keys[t].lang[sizeof keys[t].lang - 1] = '\0';
    }
    qsort(keys, m->n_terms, sizeof *keys, compare_label_keys);
    for (uint32_t g = 0; g < m->n_terms;) {
        uint32_t e = g + 1;
        while (e < m->n_terms && keys[e].kind == keys[g].kind && keys[e].entity == keys[g].entity &&
               strcmp(keys[e].lang, keys[g].lang) == 0)
            e++;
        for (uint32_t i = g; i < e; i++) {
            uint32_t ti = keys[i].term, ni = term_words[ti + 1] - term_words[ti];
            for (uint32_t j = i + 1; j < e; j++) {
                uint32_t tj = keys[j].term, nj = term_words[tj + 1] - term_words[tj];
                if (ni != nj || ni == 0) continue;
                const uint32_t *wi = ids + term_words[ti], *wj = ids + term_words[tj];
                uint32_t differ = 0, at_k = 0;
                for (uint32_t k = 0; k < ni && differ < 2; k++)
                    if (wi[k] != wj[k]) differ++, at_k = k;
                if (differ != 1) continue;
                uint32_t a = wi[at_k], b = wj[at_k];
                if (!are_variants(vocab_word(m, a), vocab_word(m, b))) continue;
                if (n_pairs + 2 > cap_pairs) {
                    size_t cap = cap_pairs ? cap_pairs * 2 : 256;
                    uint64_t *grown = realloc(pairs, cap * sizeof *pairs);
                    if (!grown) goto oom;
                    pairs = grown;
                    cap_pairs = cap;
                }
                pairs[n_pairs++] = ((uint64_t)a << 32) | b;
                pairs[n_pairs++] = ((uint64_t)b << 32) | a;
            }
        }
        g = e;
    }
    if (n_pairs) qsort(pairs, n_pairs, sizeof *pairs, compare_u64);
    size_t n_distinct = 0;
    for (size_t i = 0; i < n_pairs; i++)
        if (i == 0 || pairs[i] != pairs[i - 1]) pairs[n_distinct++] = pairs[i];
    m->variants = fow_arena_alloc(&m->arena, (n_distinct + 1) * 2 * sizeof *m->variants);
    if (!m->variants) goto oom;
    for (size_t i = 0; i < n_distinct; i++) {
        m->variants[2 * i] = (uint32_t)(pairs[i] >> 32);
        m->variants[2 * i + 1] = (uint32_t)pairs[i];
    }
    m->n_variants = (uint32_t)n_distinct;
    goto done;
oom:
    rc = OOM(err);
done:
    free(term_words);
    free(ids);
    free(uniq);
    free(rank);
    free(keys);
    free(pairs);
    fow_strmap_free(&map);
    return rc;
}

bool fow_search_index_valid(const uint32_t *vocab, uint64_t n_vocab, const char *vocab_text, uint64_t text_len,
                            const uint32_t *variant_ids, uint64_t n_variant_ids) {
    if (n_variant_ids % 2 || n_vocab >= UINT32_MAX) return false;
    if (n_vocab && (text_len == 0 || vocab_text[text_len - 1] != '\0')) return false;
    for (uint64_t i = 0; i < n_vocab; i++) {
        if (vocab[i] >= text_len) return false;
        if (i && strcmp(vocab_text + vocab[i - 1], vocab_text + vocab[i]) >= 0) return false;
    }
    for (uint64_t i = 0; i < n_variant_ids; i++)
        if (variant_ids[i] >= n_vocab) return false;
    for (uint64_t i = 2; i < n_variant_ids; i += 2)
        if (variant_ids[i] < variant_ids[i - 2]) return false;
    return true;
}
