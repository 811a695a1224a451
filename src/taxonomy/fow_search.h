/* fow_search.h — search over occupation and skill labels, as one types.
 *
 * Runs over the model's in-memory index: no allocation, no locks, safe from
 * any number of threads. The query and the labels are folded alike
 * (fow_text.h: case, accents such as ș ş ț ţ ă â î, typographic
 * apostrophes), so "sofer" finds "șofer". Ranking, best first:
 *   1. exact match of a whole label, then a label that starts with the
 *      query, then a label with a later word that starts with the query;
 *   2. a preferred label before an alternative one;
 *   3. a shorter label before a longer one, then alphabetical order.
 * Each occupation or skill appears once, with its best-ranked label.
 */
#ifndef FOW_SEARCH_H
#define FOW_SEARCH_H

#include <stddef.h>

#include "taxonomy/fow_model.h"

typedef enum fow_kind { FOW_KIND_ANY = -1, FOW_KIND_OCCUPATION = 0, FOW_KIND_SKILL = 1 } fow_kind;

typedef enum fow_match { FOW_MATCH_EXACT = 0, FOW_MATCH_PREFIX = 1, FOW_MATCH_WORD = 2 } fow_match;

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

/* Searches for query (UTF-8) among labels of the given kind. Writes up to
 * max_hits (at most FOW_SEARCH_MAX_HITS) hits, best first, into hits and
 * returns their number, or -1 with err filled (FOW_EINPUT) when the query
 * is empty after folding, longer than FOW_SEARCH_MAX_QUERY bytes, or not
 * valid UTF-8. */
long fow_search(const fow_model *model, const char *query, fow_kind kind, fow_search_hit *hits,
                size_t max_hits, fow_error *err);

/* "exact", "prefix" or "word". */
const char *fow_match_name(fow_match match);

#endif
