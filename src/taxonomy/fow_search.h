/* fow_search.h — search over occupation and skill labels, as one types.
 *
 * Runs over the model's in-memory index: no allocation, no locks, safe from
 * any number of threads. The query and the labels are folded alike
 * (fow_text.h: case, accents such as ș ş ț ţ ă â î, typographic
 * apostrophes), so "sofer" finds "șofer". Every word of the query must
 * match the start of a different word of the label, in any order; a word
 * may also match through a spelling variant found in the labels
 * themselves (centre / center: see docs/search.md). When the query as
 * typed finds nothing, each of its words of 5 letters or more may carry
 * one typo (a letter missing, added, replaced, or two swapped).
 * Ranking, best first:
 *   1. how it matched (fow_match): the whole label, then a label that
 *      starts with the query, then a later word that starts with it, then
 *      the query's words in any order, then with typos (fewer first);
 *   2. a preferred label before an alternative one;
 *   3. a shorter label before a longer one, then alphabetical order.
 * Each occupation or skill appears once, with its best-ranked label.
 */
#ifndef FOW_SEARCH_H
#define FOW_SEARCH_H

#include <stddef.h>

#include "taxonomy/fow_model.h"

typedef enum fow_kind { FOW_KIND_ANY = -1, FOW_KIND_OCCUPATION = 0, FOW_KIND_SKILL = 1 } fow_kind;

typedef enum fow_match {
    FOW_MATCH_EXACT = 0,  /* the whole label */
    FOW_MATCH_PREFIX = 1, /* the label starts with the query */
    FOW_MATCH_WORD = 2,   /* a later word of the label starts with the query */
    FOW_MATCH_WORDS = 3,  /* every query word starts a label word, in any order (or through a variant) */
    FOW_MATCH_TYPO = 4    /* the same, with one typo in some query words */
} fow_match;

typedef struct fow_search_hit {
    fow_kind kind;
    uint32_t entity;   /* index into model->occupations or model->skills */
    uint32_t term;     /* the label that matched: model->terms[term] */
    fow_match match;
    int preferred;     /* the matched label is the preferred one */
    uint64_t rank;     /* lower is better; for ordering only */
} fow_search_hit;

#define FOW_SEARCH_MAX_QUERY 256
#define FOW_SEARCH_MAX_HITS 1000
/* query words beyond this many are not used for the any-order match */
#define FOW_SEARCH_MAX_WORDS 12
/* the shortest query word (in letters) in which a typo is tolerated */
#define FOW_SEARCH_TYPO_MIN_LETTERS 5

/* Searches for query (UTF-8) among labels of the given kind. Writes up to
 * max_hits (at most FOW_SEARCH_MAX_HITS) hits, best first, into hits and
 * returns their number, or -1 with err filled (FOW_EINPUT) when the query
 * is empty after folding, longer than FOW_SEARCH_MAX_QUERY bytes, or not
 * valid UTF-8. */
long fow_search(const fow_model *model, const char *query, fow_kind kind, fow_search_hit *hits,
                size_t max_hits, fow_error *err);

/* "exact", "prefix", "word", "words" or "typo". */
const char *fow_match_name(fow_match match);

/* Builds the search's vocabulary and spelling variants of model (its
 * vocab, vocab_text and variants, in the model's arena) from its terms,
 * which must be loaded. Called by fow_model_load. Variants: two labels of
 * the same occupation or skill, in the same language, with the same words
 * but one, where the two differing words have 4 letters or more, start
 * alike and are at most 2 edits apart (Damerau), make those two words
 * variants of each other (docs/search.md). Fails with FOW_ENOMEM only. */
fow_code fow_search_index_build(fow_model *model, fow_error *err);

/* True when a vocabulary read from a snapshot is usable by fow_search:
 * text NUL-terminated, every offset inside it, the words sorted, and every
 * variant pair (n_variant_ids indexes, an even number) inside the
 * vocabulary. Can't fail. */
bool fow_search_index_valid(const uint32_t *vocab, uint64_t n_vocab, const char *vocab_text, uint64_t text_len,
                            const uint32_t *variant_ids, uint64_t n_variant_ids);

#endif
