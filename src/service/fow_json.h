/* fow_json.h — the JSON forms of fow's results, shared by the command line
 * (--json) and the HTTP API so that both say the same thing the same way.
 * Every function returns a new jansson reference (the caller owns it), or
 * NULL when out of memory. Unknown numbers are null, never 0. */
#ifndef FOW_JSON_H
#define FOW_JSON_H

#include <jansson.h>

#include "transitions/fow_similarity.h"
#include "transitions/fow_transitions.h"
#include "taxonomy/fow_model.h"
#include "taxonomy/fow_occupation.h"

/* A number, or null for NAN. */
json_t *fow_json_number(double v);

/* "High risk", "Low risk", "Other", or "" when unknown. */
const char *fow_risk_category_name(uint8_t category);

/* An occupation of the model: uri, code, label, isco_group, MCC risk,
 * category and prevalence, Frey & Osborne risk, job zone, earnings. With a
 * language (lang not NULL) also label_local: the preferred label in it, or
 * null when the taxonomy has none. */
json_t *fow_json_occupation(const fow_model *model, uint32_t occupation, const char *lang);

/* One transition at rank (1-based): the destination's fields and the
 * judgements (similarity, viable, desirable, safe, risks, ratios, gap). */
json_t *fow_json_transition(const fow_model *model, const fow_transition *t, uint32_t rank, const char *lang);

/* Where the figures come from: the similarity method, its thresholds, the
 * risk model and the sources (strings, "" when not imported). */
json_t *fow_json_provenance(const fow_similarity_index *index, fow_risk_model model, const char *risk_source,
                            const char *attributes_source);

/* One skill of a gap: label, uri, essential, held, cover, importance, via
 * (and label_local / via_local with a language, as for occupations). */
json_t *fow_json_gap_skill(const fow_model *model, const fow_gap_skill *g, const char *lang);

/* Adds label_local (the preferred label of occupation (kind 0) or skill
 * (kind 1) entity in lang, or null) to obj when lang is not NULL. */
void fow_json_add_local_label(json_t *obj, const fow_model *model, int kind, uint32_t entity, const char *lang);

/* id, uri, code and label of a reference to an occupation; null when its id is 0. */
json_t *fow_json_occupation_ref(const fow_occupation_ref *r);

/* How a risk model's values read: "1 (minimal) to 5 (maximal)" or "probability 0 to 1". */
const char *fow_risk_scale(const char *model);

/* Everything fow_occupation_detail_load read about an occupation. */
json_t *fow_json_occupation_detail(const fow_occupation_detail *d);

#endif
