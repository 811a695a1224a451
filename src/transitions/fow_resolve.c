#include "transitions/fow_resolve.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/fow_csv.h" /* fow_utf8_first_invalid */
#include "base/fow_text.h"
#include "taxonomy/fow_search.h"

/* A label scored against the query's words. */
typedef struct scored_label {
    uint32_t entity;
    float score;        /* rarity of the query words found at word starts */
    uint32_t length;    /* of the folded label */
    uint8_t preferred;
} scored_label;

static int scored_label_before(const scored_label *a, const scored_label *b) {
    if (a->score != b->score) return a->score > b->score;
    if (a->preferred != b->preferred) return a->preferred > b->preferred;
    if (a->length != b->length) return a->length < b->length;
    return a->entity < b->entity;
}

static int is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

/* 1 when word (n bytes) occurs in text as a word, or as the start of a
 * word at most 3 letters longer ("machine" in "machines", "sew" in
 * "sewing", not "car" in "carriage"). */
static int has_word_prefix(const char *text, const char *word, size_t n) {
    for (const char *p = strstr(text, word); p; p = strstr(p + 1, word)) {
        if (p != text && is_word_char(p[-1])) continue;
        size_t extra = 0;
        while (is_word_char(p[n + extra])) extra++;
        if (extra <= 3) return 1;
    }
    return 0;
}

/* 1 when a word of text starts with the n bytes of stem. */
static int has_stem(const char *text, const char *stem, size_t n) {
    for (const char *p = text; *p; p++)
        if ((p == text || !is_word_char(p[-1])) && strncmp(p, stem, n) == 0) return 1;
    return 0;
}

/* Close matches for text: the search's best hits for the whole text (its
 * labels that start with it, or with a later word that does); else the
 * labels that share the most of its words (of 3 letters or more), each
 * word weighted by its rarity among the labels, preferred and shorter labels first. */
static uint32_t suggest(const fow_model *m, const char *text, fow_kind kind, uint32_t *out, uint32_t max) {
    fow_search_hit hits[FOW_RESOLVE_SUGGESTIONS];
    if (max > FOW_RESOLVE_SUGGESTIONS) max = FOW_RESOLVE_SUGGESTIONS;
    long n = fow_search(m, text, kind, hits, max, NULL);
    if (n > 0) {
        for (long i = 0; i < n; i++) out[i] = hits[i].entity;
        return (uint32_t)n;
    }
    char folded[FOW_SEARCH_MAX_QUERY * 4 + 8];
    long len = fow_text_fold_into(text, strlen(text), folded, sizeof folded, NULL);
    if (len <= 0) return 0;
    /* the query's words, NUL-terminated in place */
    const char *words[32];
    size_t word_len[32], n_words = 0;
    for (long i = 0; i < len && n_words < 32;) {
        while (i < len && !((folded[i] >= 'a' && folded[i] <= 'z') || (folded[i] >= '0' && folded[i] <= '9') ||
                            (unsigned char)folded[i] >= 0x80))
            i++;
        long e = i;
        while (e < len && ((folded[e] >= 'a' && folded[e] <= 'z') || (folded[e] >= '0' && folded[e] <= '9') ||
                           (unsigned char)folded[e] >= 0x80))
            e++;
        if (e - i >= 3) words[n_words] = folded + i, word_len[n_words++] = (size_t)(e - i);
        if (e < len) folded[e] = '\0';
        i = e + 1;
    }
    if (!n_words) return 0;
    /* a word with a typo near its end still meets its label word through a
     * stem: all but its last two letters, at least 4 */
    size_t stem_len[32];
    for (size_t w = 0; w < n_words; w++) stem_len[w] = word_len[w] >= 6 ? word_len[w] - 2 : 0;
    /* a word's weight: how rare it is among the labels, ln(N / df) + 1; a
     * word found nowhere is looked for by its stem instead */
    float weight[32];
    uint32_t df[32] = {0}, stem_df[32] = {0}, n_labels = 0;
    for (uint32_t t = 0; t < m->n_terms; t++) {
        const fow_model_term *term = &m->terms[t];
        if (kind != FOW_KIND_ANY && term->kind != (uint8_t)kind) continue;
        n_labels++;
        const char *label = fow_model_text(m, term->folded);
        for (size_t w = 0; w < n_words; w++) {
            df[w] += (uint32_t)has_word_prefix(label, words[w], word_len[w]);
            if (stem_len[w]) stem_df[w] += (uint32_t)has_stem(label, words[w], stem_len[w]);
        }
    }
    for (size_t w = 0; w < n_words; w++) {
        if (df[w]) stem_len[w] = 0;
        uint32_t f = df[w] ? df[w] : stem_len[w] ? stem_df[w] : 0;
        weight[w] = f ? logf((float)n_labels / (float)f) + 1.0f : 0.0f;
    }
    scored_label best[FOW_RESOLVE_SUGGESTIONS];
    uint32_t n_best = 0;
    for (uint32_t t = 0; t < m->n_terms; t++) {
        const fow_model_term *term = &m->terms[t];
        if (kind != FOW_KIND_ANY && term->kind != (uint8_t)kind) continue;
        const char *label = fow_model_text(m, term->folded);
        float score = 0.0f;
        for (size_t w = 0; w < n_words; w++)
            if (has_word_prefix(label, words[w], word_len[w])) score += weight[w];
            else if (stem_len[w] && has_stem(label, words[w], stem_len[w])) score += weight[w];
        if (score <= 0.0f) continue;
        scored_label c = {term->entity, score, term->folded_len, term->preferred};
        /* one entry per entity: keep its best label */
        uint32_t k = 0;
        while (k < n_best && best[k].entity != c.entity) k++;
        if (k < n_best) {
            if (!scored_label_before(&c, &best[k])) continue;
            for (; k + 1 < n_best; k++) best[k] = best[k + 1];
            n_best--;
        }
        if (n_best == max && !scored_label_before(&c, &best[n_best - 1])) continue;
        if (n_best < max) n_best++;
        uint32_t i = n_best - 1;
        while (i > 0 && scored_label_before(&c, &best[i - 1])) best[i] = best[i - 1], i--;
        best[i] = c;
    }
    for (uint32_t i = 0; i < n_best; i++) out[i] = best[i].entity;
    return n_best;
}

char *fow_resolve_format_suggestions(const fow_model *m, int kind, const uint32_t *indexes, uint32_t n, char *buf,
                                     size_t cap) {
    size_t used = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < n && used < cap; i++) {
        const char *label = kind == 0 ? m->occupations[indexes[i]].label : m->skills[indexes[i]].label;
        int w = snprintf(buf + used, cap - used, "%s'%s'", i ? ", " : "", label);
        if (w < 0) break;
        used += (size_t)w;
    }
    return buf;
}

/* The exact-label hits fow_search would rank first for text among labels
 * of kind, found through the model's table of folded labels instead of a
 * search: up to two distinct entities with a label equal to text after
 * folding, best first as the search ranks them (a preferred label before
 * an alternative one, then the term's place), into entity[] and
 * preferred[]. Returns their number: 0 when no label is text, or -1 when
 * the search would refuse text (too long, not UTF-8, empty after folding),
 * which then has no exact match either. */
static int exact_labels(const fow_model *m, const char *text, fow_kind kind, uint32_t entity[2], int preferred[2]) {
    size_t len = strlen(text);
    if (len > FOW_SEARCH_MAX_QUERY || fow_utf8_first_invalid((const unsigned char *)text, len) < len) return -1;
    char folded[FOW_SEARCH_MAX_QUERY * 4 + 8];
    long n = fow_text_fold_into(text, len, folded, sizeof folded, NULL);
    if (n <= 0) return -1;
    uint32_t first = fow_model_term_by_folded(m, folded, (size_t)n);
    if (first == FOW_NO_INDEX) return 0;
    /* the run of terms with this text; preferred labels first, each in term order */
    uint32_t end = first;
    while (end < m->n_terms && m->terms[end].folded_len == (uint32_t)n &&
           memcmp(fow_model_text(m, m->terms[end].folded), folded, (size_t)n) == 0)
        end++;
    int found = 0;
    for (int want_preferred = 1; want_preferred >= 0 && found < 2; want_preferred--)
        for (uint32_t t = first; t < end && found < 2; t++) {
            const fow_model_term *term = &m->terms[t];
            if (term->kind != (uint8_t)kind || term->preferred != want_preferred) continue;
            if (found == 1 && entity[0] == term->entity) continue; /* its best label came first */
            entity[found] = term->entity;
            preferred[found++] = term->preferred;
        }
    return found;
}

static int is_uri(const char *s) {
    return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0 || strncmp(s, "urn:", 4) == 0;
}


fow_code fow_resolve_occupation(const fow_model *m, const char *raw_key, uint32_t *index, fow_error *err) {
    *index = FOW_NO_INDEX;
    while (*raw_key == ' ' || *raw_key == '\t') raw_key++;
    size_t key_len = strlen(raw_key);
    while (key_len > 0 && (raw_key[key_len - 1] == ' ' || raw_key[key_len - 1] == '\t')) key_len--;
    if (!key_len) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "occupation", "no occupation given");
    if (key_len > FOW_SEARCH_MAX_QUERY)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "occupation", "occupation key too long (%zu bytes)",
                                key_len);
    char key[FOW_SEARCH_MAX_QUERY + 1];
    memcpy(key, raw_key, key_len);
    key[key_len] = '\0';
    int uri = is_uri(key);
    /* by URI, or by code or the URI's last segment; the lowest index wins */
    uint32_t found = fow_model_occupation_by_key(m, uri, key, key_len);
    if (found != FOW_NO_INDEX) {
        *index = found;
        return FOW_OK;
    }
    /* by label: the exact matches the search would rank first */
    uint32_t exact[2];
    int preferred[2];
    int n = uri ? 0 : exact_labels(m, key, FOW_KIND_OCCUPATION, exact, preferred);
    if (n >= 1) {
        /* a preferred label wins over another occupation's alternative one */
        if (n == 2 && preferred[1] == preferred[0])
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "occupation",
                                    "'%s' names more than one occupation, e.g. '%s' (%s) and '%s' (%s): use the code",
                                    key, m->occupations[exact[0]].label, m->occupations[exact[0]].code,
                                    m->occupations[exact[1]].label, m->occupations[exact[1]].code);
        *index = exact[0];
        return FOW_OK;
    }
    uint32_t close[FOW_RESOLVE_SUGGESTIONS];
    uint32_t n_close = uri ? 0 : suggest(m, key, FOW_KIND_OCCUPATION, close, FOW_RESOLVE_SUGGESTIONS);
    if (!n_close)
        return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "occupation",
                                "no occupation has the URI, code or label '%s', and none is close: search for one "
                                "of its words",
                                key);
    char list[400];
    fow_resolve_format_suggestions(m, 0, close, n_close, list, sizeof list);
    return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "occupation",
                            "no occupation has the URI, code or label '%s'; close matches: %s", key, list);
}

void fow_resolve_skill(const fow_model *m, const char *item, fow_skill_resolution *out) {
    memset(out, 0, sizeof *out);
    out->skill = FOW_NO_INDEX;
    while (*item == ' ') item++;
    if (!*item || strlen(item) > FOW_SEARCH_MAX_QUERY) return;
    if (is_uri(item)) {
        /* a URI has a ':', which no last segment has: the table finds it by its URI */
        out->skill = fow_model_skill_by_key(m, item, strlen(item));
        return;
    }
    uint32_t exact[2];
    int preferred[2];
    int n = exact_labels(m, item, FOW_KIND_SKILL, exact, preferred);
    if (n >= 1) {
        out->skill = exact[0];
        return;
    }
    out->n_suggestions = suggest(m, item, FOW_KIND_SKILL, out->suggestions, FOW_RESOLVE_SUGGESTIONS);
}

uint32_t fow_resolve_split(char *text, char **items, uint32_t max) {
    uint32_t n = 0;
    char *p = text;
    while (*p) {
        char *end = p + strcspn(p, ";\n\r");
        char next = *end;
        *end = '\0';
        while (*p == ' ' || *p == '\t') p++;
        char *e = p + strlen(p);
        while (e > p && (e[-1] == ' ' || e[-1] == '\t')) *--e = '\0';
        if (*p) {
            if (n < max) items[n] = p;
            n++;
        }
        if (!next) break;
        p = end + 1;
    }
    return n;
}

uint32_t fow_resolve_skill_key(const fow_model *m, const char *key) {
    uint32_t s = fow_model_skill_by_key(m, key, strlen(key));
    if (s != FOW_NO_INDEX) return s;
    fow_skill_resolution r;
    fow_resolve_skill(m, key, &r);
    return r.skill;
}
