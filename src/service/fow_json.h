/* fow_json.h — JSON parts built as jansson values: the detail of an
 * occupation, and the helpers the observatory's documents share. The whole
 * documents of results are written by fow_result.h. Every function returning
 * json_t returns a new reference (the caller owns it), or NULL when out of
 * memory. Unknown numbers are null, never 0. */
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
