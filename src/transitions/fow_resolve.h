/* fow_resolve.h — from what a user types to occupations and skills of the
 * model: URIs, ESCO codes, the last segment of a URI, or labels (case and
 * accents ignored). What cannot be resolved comes back with close matches,
 * never dropped silently. Reads the model only: safe from any thread. */
#ifndef FOW_RESOLVE_H
#define FOW_RESOLVE_H

#include <stdint.h>

#include "base/fow_error.h"
#include "taxonomy/fow_model.h"

#define FOW_RESOLVE_SUGGESTIONS 5

/* Finds the occupation named by key: its URI, the last segment of its URI,
 * its ESCO code, or one of its labels (exactly, after folding). Sets *index.
 * FOW_ENOTFOUND (field "occupation") when nothing matches: the message
 * lists up to 5 close matches; FOW_EINPUT when key is empty or a label
 * names several occupations (two are named). */
fow_code fow_resolve_occupation(const fow_model *model, const char *key, uint32_t *index, fow_error *err);

/* One item of a person's list of skills. */
typedef struct fow_skill_resolution {
    uint32_t skill;                                  /* index, or FOW_NO_INDEX when unresolved */
    uint32_t suggestions[FOW_RESOLVE_SUGGESTIONS];   /* close matches when unresolved */
    uint32_t n_suggestions;
} fow_skill_resolution;

/* Resolves one skill named by a URI or a label (exact after folding).
 * Fills *out; an unresolved item gets close matches. Can't fail. */
void fow_resolve_skill(const fow_model *model, const char *item, fow_skill_resolution *out);

/* The skill named by key: its URI, the last segment of its URI (after its
 * last '/' or ':'), else as
 * fow_resolve_skill resolves it; FOW_NO_INDEX when none (then
 * fow_resolve_skill gives the close matches). Can't fail. */
uint32_t fow_resolve_skill_key(const fow_model *model, const char *key);

/* Splits text into items at ';' and line ends, trimming spaces; empty
 * items are skipped. Modifies text in place; writes up to max pointers into
 * items and returns how many items there are (may exceed max). */
uint32_t fow_resolve_split(char *text, char **items, uint32_t max);

/* Writes "a", "b", "c" (quoted labels of up to n occupations or skills)
 * into buf of size cap. kind 0 occupations, 1 skills. Returns buf. */
char *fow_resolve_format_suggestions(const fow_model *model, int kind, const uint32_t *indexes, uint32_t n,
                                     char *buf, size_t cap);

#endif
