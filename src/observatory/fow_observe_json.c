/* fow_observe_json.c — JSON and CSV forms of observations and scenarios. */
#include "observatory/fow_observe_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/fow_json.h"

static const char counting_method[] =
    "Persons are counted once: a row counts what its nested rows with a known count do not cover (its remainder); "
    "masked cells are unknown, never zero. Where the table gives a dimension both as totals and broken down, the "
    "breakdown by that dimension uses the broken-down rows and every other view the totals.";

static const char shares_method[] =
    "Shares are employment-weighted over the persons whose occupation has an estimate; the mean risk is the "
    "employment-weighted mean of the estimates.";

static const char estimate_method[] =
    "Rows known at an ISCO code use the model's own estimate for that code where it publishes one; otherwise the "
    "unweighted mean of the ESCO occupations inside the code that carry the model's own estimate, their categories "
    "becoming a split (the share of those occupations in each category). Rows known by ESCO occupation use the "
    "occupation's estimate.";

static const char *model_categories_method(fow_risk_model model) {
    return model == FOW_RISK_MODEL_MCC
               ? "Nesta MCC's categories (High risk, Low risk, Other), on a 1 (minimal) to 5 (maximal) scale of task "
                 "suitability for machine learning"
               : "Frey & Osborne's probability of computerisation; high risk from 0.7 (their threshold), medium from "
                 "0.3, low below";
}

static double safe_div(double a, double b) { return b > 0 ? a / b : NAN; }

static json_t *cell_json(fow_risk_model model, const fow_observe_cell *c, int with_partial) {
    json_t *cats = json_array();
    for (int k = 0; k < FOW_N_CATS; k++)
        json_array_append_new(cats, json_pack("{s:s, s:o, s:o}", "category", fow_risk_category_label(model, k),
                                              "employed", fow_json_number(c->category[k]), "share",
                                              fow_json_number(fow_observe_share(c, k))));
    json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I}", "key", c->key, "label",
                          c->label ? c->label : "", "employed", fow_json_number(c->employed), "with_estimate",
                          fow_json_number(c->with_estimate), "no_estimate",
                          fow_json_number(c->employed - c->with_estimate), "share_low",
                          fow_json_number(fow_observe_share(c, FOW_CAT_LOW)), "share_middle",
                          fow_json_number(fow_observe_share(c, FOW_CAT_MIDDLE)), "share_high",
                          fow_json_number(fow_observe_share(c, FOW_CAT_HIGH)), "mean_risk",
                          fow_json_number(fow_observe_mean(c)), "categories", cats, "rows", (json_int_t)c->rows,
                          "masked_rows", (json_int_t)c->masked);
    if (o && with_partial) json_object_set_new(o, "partial", fow_json_number(c->partial));
    return o;
}

static const fow_observe_cell *find_cell(const fow_observation *obs, const char *key) {
    for (uint32_t i = 0; i < obs->n_cells; i++)
        if (strcmp(obs->cells[i].key, key) == 0) return &obs->cells[i];
    return NULL;
}

/* change from compare (an earlier or later year) to obs */
static json_t *change_json(const fow_observe_cell *now, const fow_observe_cell *then) {
    if (!then) return json_null();
    double sh_now = fow_observe_share(now, FOW_CAT_HIGH), sh_then = fow_observe_share(then, FOW_CAT_HIGH);
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "employed", fow_json_number(then->employed), "employed_change",
                     fow_json_number(now->employed - then->employed), "share_high",
                     fow_json_number(sh_then), "share_high_change_pp", fow_json_number((sh_now - sh_then) * 100),
                     "mean_risk_change", fow_json_number(fow_observe_mean(now) - fow_observe_mean(then)));
}

/* location quotients of a cell against the reference area's cell */
static json_t *lq_json(const fow_observe_cell *cell, const fow_observe_cell *total, const fow_observe_cell *ref_cell,
                       const fow_observe_cell *ref_total) {
    if (!ref_cell) return json_null();
    double share_here = safe_div(cell->employed, total->employed);
    double share_ref = safe_div(ref_cell->employed, ref_total->employed);
    return json_pack("{s:o, s:o, s:o, s:o}", "reference_employed", fow_json_number(ref_cell->employed),
                     "reference_share_high", fow_json_number(fow_observe_share(ref_cell, FOW_CAT_HIGH)),
                     "lq_high_risk",
                     fow_json_number(safe_div(fow_observe_share(cell, FOW_CAT_HIGH),
                                              fow_observe_share(ref_cell, FOW_CAT_HIGH))),
                     "lq_employment", fow_json_number(safe_div(share_here, share_ref)));
}

static json_t *sources_json(const fow_risk_estimates *est, const fow_observation *obs) {
    return json_pack("{s:s, s:s}", "employment", obs->employment->source, "risk",
                     fow_risk_estimates_source(est, obs->model));
}

json_t *fow_json_observation(const fow_risk_estimates *est, const fow_observation *obs,
                             const fow_observation *compare, const fow_observation *reference,
                             const fow_units_request *request) {
    const fow_employment *emp = obs->employment;
    fow_risk_model model = obs->model;
    json_t *root = json_object();
    if (!root) return NULL;
    json_object_set_new(root, "area", json_string(emp->area));
    json_object_set_new(root, "year", json_integer(emp->year));
    json_object_set_new(root, "model", json_string(fow_risk_model_name(model)));
    json_object_set_new(root, "scale", json_string(fow_risk_scale(fow_risk_model_name(model))));
    json_object_set_new(root, "illustrative", json_boolean(emp->illustrative));
    json_object_set_new(root, "sources", sources_json(est, obs));
    json_object_set_new(root, "method",
                        json_pack("{s:s, s:s, s:s, s:s}", "counting", counting_method, "estimates", estimate_method,
                                  "shares", shares_method, "categories", model_categories_method(model)));
    json_t *cats = json_array();
    for (int k = 0; k < FOW_N_CATS; k++) json_array_append_new(cats, json_string(fow_risk_category_label(model, k)));
    json_object_set_new(root, "categories", cats);
    json_object_set_new(root, "rows", json_integer(emp->n_rows));
    json_object_set_new(root, "masked_rows", json_integer(emp->n_masked));
    json_object_set_new(root, "employed_given", fow_json_number(emp->given));
    /* the dimensions given both as totals and broken down, and the layer used */
    static const char *const dims[4] = {"sector", "sex", "age", "education"};
    json_t *layers = json_array();
    for (int d = 0; d < 4; d++) {
        if (!emp->layered[d]) continue;
        bool detail = (d == 0 && obs->by == FOW_BY_SECTOR) || (d == 1 && obs->by == FOW_BY_SEX) ||
                      (d == 2 && obs->by == FOW_BY_AGE) || (d == 3 && obs->by == FOW_BY_EDUCATION);
        json_array_append_new(layers, json_pack("{s:s, s:s}", "dimension", dims[d], "used",
                                                detail ? "breakdown" : "totals"));
    }
    json_object_set_new(root, "layers", layers);
    json_object_set_new(root, "rows_left_out", json_integer(obs->left_out));
    json_t *total = cell_json(model, &obs->total, 0);
    if (compare) json_object_set_new(total, "change", change_json(&obs->total, &compare->total));
    if (reference) json_object_set_new(total, "lq", lq_json(&obs->total, &obs->total, &reference->total, &reference->total));
    json_object_set_new(root, "total", total);
    if (compare) json_object_set_new(root, "compare_year", json_integer(compare->employment->year));
    if (reference) {
        json_object_set_new(root, "reference",
                            json_pack("{s:s, s:i, s:s, s:b}", "area", reference->employment->area, "year",
                                      reference->employment->year, "source", reference->employment->source,
                                      "illustrative", reference->employment->illustrative));
        json_object_set_new(root, "lq_method",
                            json_string("lq_high_risk: the share at high risk here / the same share in the reference "
                                        "area; lq_employment: a group's share of employment here / its share in "
                                        "the reference area (1 = the same)."));
    }
    /* the breakdown */
    json_object_set_new(root, "by", json_string(fow_observe_by_name(obs->by)));
    json_t *breakdown = json_array();
    for (uint32_t i = 0; i < obs->n_cells; i++) {
        const fow_observe_cell *c = &obs->cells[i];
        json_t *cj = cell_json(model, c, obs->by == FOW_BY_GROUP);
        json_object_set_new(cj, "share_of_employment", fow_json_number(safe_div(c->employed, obs->total.employed)));
        if (compare) json_object_set_new(cj, "change", change_json(c, find_cell(compare, c->key)));
        if (reference) json_object_set_new(cj, "lq", lq_json(c, &obs->total, find_cell(reference, c->key), &reference->total));
        json_array_append_new(breakdown, cj);
    }
    json_object_set_new(root, "breakdown", breakdown);
    if (obs->by == FOW_BY_GROUP) json_object_set_new(root, "groups", fow_json_occupation_groups());
    /* the distribution */
    double lo = fow_risk_bin_low(model), hi = fow_risk_bin_high(model), width = (hi - lo) / FOW_RISK_BINS;
    json_t *bins = json_array();
    for (int b = 0; b < FOW_RISK_BINS; b++)
        json_array_append_new(bins, json_pack("{s:f, s:f, s:o, s:o}", "from", lo + b * width, "to", lo + (b + 1) * width,
                                              "employed", fow_json_number(obs->total.bins[b]), "share",
                                              fow_json_number(safe_div(obs->total.bins[b], obs->total.with_estimate))));
    json_object_set_new(root, "distribution",
                        json_pack("{s:f, s:f, s:f, s:s, s:o}", "low", lo, "high", hi, "width", width, "method",
                                  "persons by the value of their estimate; an aggregated estimate spreads its persons "
                                  "over the values of the occupations it averages; values beyond the range go to "
                                  "the end bins",
                                  "bins", bins));
    json_t *used = json_object();
    for (int mth = 0; mth < 4; mth++)
        json_object_set_new(used, fow_estimate_method_name((fow_estimate_method)mth), fow_json_number(obs->by_method[mth]));
    json_object_set_new(root, "estimates_used", used);
    json_object_set_new(root, "levels",
                        json_pack("{s:o, s:o, s:o, s:o, s:o}", "esco", fow_json_number(obs->by_level[0]), "isco1",
                                  fow_json_number(obs->by_level[1]), "isco2", fow_json_number(obs->by_level[2]),
                                  "isco3", fow_json_number(obs->by_level[3]), "isco4",
                                  fow_json_number(obs->by_level[4])));
    /* the units, for a treemap or a table: only when asked for (one per
     * row, they would make the document as large as the table) */
    json_object_set_new(root, "n_units", json_integer(obs->n_units));
    if (!request || !request->include) return root;
    const fow_model *m = fow_risk_estimates_model(est);
    json_t *units = json_array();
    uint32_t first = request->offset < obs->n_units ? request->offset : obs->n_units;
    uint32_t end = request->limit && request->limit < obs->n_units - first ? first + request->limit : obs->n_units;
    json_object_set_new(root, "units_offset", json_integer(request->offset));
    for (uint32_t u = first; u < end; u++) {
        const fow_observe_unit *unit = &obs->units[u];
        const fow_employment_row *row = unit->row;
        const fow_code_estimate *e = unit->estimate;
        bool is_occ = row->occupation != FOW_NO_INDEX;
        const char *code = is_occ ? m->occupations[row->occupation].isco_group : row->isco;
        json_t *uj = json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:I, s:I}", "code", code, "occupation_uri",
            is_occ ? m->occupations[row->occupation].uri : "", "label",
            is_occ ? m->occupations[row->occupation].label : fow_isco_label(est, row->isco), "sector", row->sector,
            "sex", row->sex, "age_group", row->age_group, "education", row->education, "employed",
            fow_json_number(unit->counted), "risk", fow_json_number(e->risk), "share_high",
            fow_json_number(e->method == FOW_EST_NONE ? NAN : e->share[FOW_CAT_HIGH]), "estimate",
            fow_estimate_method_name((fow_estimate_method)e->method), "occupations_averaged",
            (json_int_t)e->n_occupations, "line", (json_int_t)row->line);
        json_array_append_new(units, uj);
    }
    json_object_set_new(root, "units", units);
    return root;
}

static json_t *occupation_brief(const fow_model *m, uint32_t o, const char *lang) {
    const fow_model_occupation *occ = &m->occupations[o];
    json_t *j = json_pack("{s:s, s:s, s:s}", "uri", occ->uri, "label", occ->label, "isco_group", occ->isco_group);
    fow_json_add_local_label(j, m, 0, o, lang);
    return j;
}

static json_t *range_json(fow_range r) {
    return json_pack("{s:o, s:o}", "low", fow_json_number(r.low), "high", fow_json_number(r.high));
}

static json_t *weighted_list(const fow_model *m, const fow_weighted *list, uint32_t n, uint32_t limit, int skills,
                             const char *count_name, double hours_per_unit, int with_band, const char *lang) {
    json_t *arr = json_array();
    uint32_t shown = limit && limit < n ? limit : n;
    for (uint32_t i = 0; i < shown; i++) {
        json_t *j;
        if (skills) {
            const fow_model_skill *s = &m->skills[list[i].index];
            j = json_pack("{s:i, s:s, s:s}", "rank", (int)(i + 1), "uri", s->uri, "label", s->label);
            fow_json_add_local_label(j, m, 1, list[i].index, lang);
        } else {
            j = occupation_brief(m, list[i].index, lang);
            json_object_set_new(j, "rank", json_integer(i + 1));
        }
        json_object_set_new(j, count_name, fow_json_number(list[i].workers));
        if (with_band) {
            char low[40], high[40];
            snprintf(low, sizeof low, "%s_low", count_name);
            snprintf(high, sizeof high, "%s_high", count_name);
            json_object_set_new(j, low, fow_json_number(list[i].low));
            json_object_set_new(j, high, fow_json_number(list[i].high));
        }
        if (with_band == 2) {
            json_object_set_new(j, "wanted", fow_json_number(list[i].wanted));
            json_object_set_new(j, "capacity", fow_json_number(list[i].capacity));
        }
        json_object_set_new(j, "origins", json_integer(list[i].origins));
        if (hours_per_unit > 0) {
            json_object_set_new(j, "hours", fow_json_number(list[i].workers * hours_per_unit));
            if (with_band) {
                json_object_set_new(j, "hours_low", fow_json_number(list[i].low * hours_per_unit));
                json_object_set_new(j, "hours_high", fow_json_number(list[i].high * hours_per_unit));
            }
        }
        json_array_append_new(arr, j);
    }
    return arr;
}

static const char spread_method[] =
    "Employment known at an ISCO code is spread evenly over the ESCO occupations inside it; a worker is spread "
    "evenly over the best safe and desirable moves of the occupation (at most moves_per_worker), each move's "
    "missing essential skills counting that share of a learner.";

/* A message object for display: {code, params, text} (params: an object, taken). */
static json_t *message_json(const char *code, json_t *params, const char *text) {
    return json_pack("{s:s, s:o, s:s}", "code", code, "params", params ? params : json_object(), "text", text);
}

json_t *fow_json_scale(const fow_risk_estimates *est, const fow_observation *obs, const fow_move_profiles *profiles,
                       const fow_scale_result *r, uint32_t limit, const char *lang) {
    const fow_model *m = fow_risk_estimates_model(est);
    json_t *root = json_object();
    if (!root) return NULL;
    char text[400];
    json_object_set_new(root, "area", json_string(obs->employment->area));
    json_object_set_new(root, "year", json_integer(obs->employment->year));
    json_object_set_new(root, "model", json_string(fow_risk_model_name(obs->model)));
    json_object_set_new(root, "illustrative", json_boolean(obs->employment->illustrative));
    json_object_set_new(root, "sources", sources_json(est, obs));
    json_object_set_new(root, "min_moves", json_integer(r->min_moves));
    json_object_set_new(root, "moves_per_worker", json_integer(profiles->moves_per_worker));
    json_object_set_new(root, "capacity_share", fow_json_number(r->capacity.share));
    json_object_set_new(root, "capacity_years", json_integer(r->capacity.years));
    snprintf(text, sizeof text,
             "A destination takes in at most %g%% of its own employment in the area per year, over %d years "
             "(%g%% of its employment in all); workers are placed in rounds over the moves whose destinations "
             "still have room, a destination asked for more taking the same fraction of every inflow.",
             r->capacity.share * 100, r->capacity.years, r->capacity.share * r->capacity.years * 100);
    json_object_set_new(
        root, "method",
        json_pack("{s:s, s:s, s:s, s:o}", "workers",
                  "high-risk workers: the persons counted in each row times its estimate's share in the high-risk "
                  "category",
                  "moves",
                  "safe and desirable moves as in docs/transitions.md (not at high risk and at lower risk; earnings "
                  "kept at 75% or more and job zone within 1; similarity at least the viable threshold)",
                  "spread", spread_method, "capacity",
                  message_json("scale.capacity",
                               json_pack("{s:f, s:i, s:f}", "share_pct", r->capacity.share * 100, "years",
                                         r->capacity.years, "total_pct",
                                         r->capacity.share * r->capacity.years * 100),
                               text)));
    json_object_set_new(root, "high_risk_workers", fow_json_number(r->high_risk_workers));
    json_object_set_new(root, "with_min_moves", fow_json_number(r->with_min_moves));
    json_object_set_new(root, "share_with_min_moves", fow_json_number(safe_div(r->with_min_moves, r->high_risk_workers)));
    json_object_set_new(root, "placed", fow_json_number(r->placed));
    json_object_set_new(root, "share_placed", fow_json_number(safe_div(r->placed, r->high_risk_workers)));
    json_object_set_new(root, "unplaced", fow_json_number(r->unplaced));
    json_object_set_new(root, "unplaced_because",
                        json_pack("{s:o, s:o, s:o}", "no_room", fow_json_number(r->no_room), "without_moves",
                                  fow_json_number(r->without_moves), "no_occupation",
                                  fow_json_number(r->no_occupation)));
    json_object_set_new(root, "without_moves", fow_json_number(r->without_moves));
    json_object_set_new(root, "full_destinations", json_integer(r->full_destinations));
    json_object_set_new(root, "n_origins", json_integer(r->n_origins));
    json_object_set_new(root, "n_destinations", json_integer(r->n_destinations));
    json_object_set_new(root, "n_skills", json_integer(r->n_skills));
    json_t *origins = json_array();
    uint32_t shown = limit && limit < r->n_origins ? limit : r->n_origins;
    for (uint32_t i = 0; i < shown; i++) {
        json_t *j = occupation_brief(m, r->origins[i].occupation, lang);
        json_object_set_new(j, "rank", json_integer(i + 1));
        json_object_set_new(j, "workers", fow_json_number(r->origins[i].workers));
        json_object_set_new(j, "moves", json_integer(r->origins[i].moves));
        json_object_set_new(j, "placed", fow_json_number(r->origins[i].placed));
        json_array_append_new(origins, j);
    }
    json_object_set_new(root, "origins", origins);
    json_t *dest = json_array();
    shown = limit && limit < r->n_destinations ? limit : r->n_destinations;
    for (uint32_t i = 0; i < shown; i++) {
        const fow_scale_destination *d = &r->destinations[i];
        json_t *j = occupation_brief(m, d->occupation, lang);
        json_object_set_new(j, "rank", json_integer(i + 1));
        json_object_set_new(j, "workers", fow_json_number(d->placed));
        json_object_set_new(j, "wanted", fow_json_number(d->wanted));
        json_object_set_new(j, "capacity", fow_json_number(d->capacity));
        json_object_set_new(j, "employment", fow_json_number(d->employment));
        json_object_set_new(j, "origins", json_integer(d->origins));
        json_array_append_new(dest, j);
    }
    json_object_set_new(root, "destinations", dest);
    json_object_set_new(root, "skills", weighted_list(m, r->skills, r->n_skills, limit, 1, "learners", 0, 0, lang));
    return root;
}

json_t *fow_json_scenario(const fow_risk_estimates *est, const fow_observation *obs,
                          const fow_move_profiles *profiles, const fow_scenario_result *r, uint32_t limit,
                          const char *lang) {
    const fow_model *m = fow_risk_estimates_model(est);
    const fow_scenario_params *p = &r->params;
    json_t *root = json_object();
    if (!root) return NULL;
    json_object_set_new(root, "area", json_string(obs->employment->area));
    json_object_set_new(root, "year", json_integer(obs->employment->year));
    json_object_set_new(root, "model", json_string(fow_risk_model_name(obs->model)));
    json_object_set_new(root, "illustrative", json_boolean(obs->employment->illustrative));
    json_object_set_new(root, "sources", sources_json(est, obs));
    json_object_set_new(root, "parameters",
                        json_pack("{s:s, s:f, s:f, s:f, s:i, s:f, s:f, s:f, s:s, s:i, s:f}", "adoption", p->adoption,
                                  "ceiling", p->ceiling, "speed", p->speed, "midpoint", p->midpoint, "years", p->years,
                                  "retrain_share", p->retrain_share, "hours_per_skill", p->hours_per_skill,
                                  "cost_per_hour", p->cost_per_hour, "currency", "EUR", "moves_per_worker",
                                  (int)profiles->moves_per_worker, "capacity_share", p->capacity_share));
    const fow_exposure_levels *lv = &r->levels;
    char exposure_text[600], band_text[500];
    if (obs->model == FOW_RISK_MODEL_MCC)
        snprintf(exposure_text, sizeof exposure_text,
                 "MCC's category mapped to the share of its work without bottleneck tasks: High risk %.3f, Other "
                 "%.3f, Low risk %.3f (the mean of 1 - prevalence of bottleneck tasks over %u, %u and %u occupations "
                 "with MCC's own values); a code whose occupations fall in several categories takes the mean of "
                 "their levels, weighted by its split",
                 lv->level[FOW_CAT_HIGH], lv->level[FOW_CAT_MIDDLE], lv->level[FOW_CAT_LOW], lv->n[FOW_CAT_HIGH],
                 lv->n[FOW_CAT_MIDDLE], lv->n[FOW_CAT_LOW]);
    else
        snprintf(exposure_text, sizeof exposure_text, "Frey & Osborne's probability of computerisation");
    snprintf(band_text, sizeof band_text,
             "Every figure comes with a band: for each row, from the lowest to the highest exposure that either "
             "risk model allows (MCC: the lower and upper quartile of the category's share of tasks without "
             "bottlenecks; Frey & Osborne: its probability, where it has one).");
    json_object_set_new(
        root, "method",
        json_pack("{s:s, s:o, s:o, s:s, s:s, s:s}", "adoption",
                  "A(t) = ceiling * (L(t) - L(0)) / (1 - L(0)), L(t) = 1 / (1 + exp(-speed * (t - midpoint))), t in "
                  "years after the employment's year",
                  "exposure",
                  obs->model == FOW_RISK_MODEL_MCC
                      ? message_json("scenario.exposure_mcc",
                                     json_pack("{s:f, s:f, s:f, s:i, s:i, s:i}", "high", lv->level[FOW_CAT_HIGH],
                                               "other", lv->level[FOW_CAT_MIDDLE], "low", lv->level[FOW_CAT_LOW],
                                               "n_high", (int)lv->n[FOW_CAT_HIGH], "n_other",
                                               (int)lv->n[FOW_CAT_MIDDLE], "n_low", (int)lv->n[FOW_CAT_LOW]),
                                     exposure_text)
                      : message_json("scenario.exposure_fo", NULL, exposure_text),
                  "band",
                  message_json("scenario.band", NULL, band_text),
                  "displaced", "employed x exposure x (A(t) - A(t-1)) for every row of the table",
                  "training",
                  "retraining workers = displaced x retrain_share (one training place each); hours = their missing "
                  "essential skills x hours_per_skill; budget = hours x cost_per_hour",
                  "spread", spread_method));
    char capacity_text[400];
    snprintf(capacity_text, sizeof capacity_text,
             "Retraining workers are placed in their destinations as at scale: a destination takes in at most %g%% "
             "of its own employment in the area per year, over the %d years (%g%% in all); the training hours "
             "count every retraining worker with a move, placed or not.",
             p->capacity_share * 100, p->years, p->capacity_share * p->years * 100);
    json_object_set_new(json_object_get(root, "method"), "capacity",
                        message_json("scenario.capacity",
                                     json_pack("{s:f, s:i, s:f}", "share_pct", p->capacity_share * 100, "years",
                                               p->years, "total_pct", p->capacity_share * p->years * 100),
                                     capacity_text));
    json_t *levels = json_array();
    for (int c = FOW_N_CATS - 1; c >= 0; c--)
        json_array_append_new(levels, json_pack("{s:s, s:o, s:o, s:o, s:i}", "category",
                                                fow_risk_category_label(FOW_RISK_MODEL_MCC, c), "exposure",
                                                fow_json_number(lv->level[c]), "quartile_low",
                                                fow_json_number(lv->low[c]), "quartile_high",
                                                fow_json_number(lv->high[c]), "occupations", (int)lv->n[c]));
    json_object_set_new(root, "exposure_levels", levels);
    json_t *totals = json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "employed", fow_json_number(r->employed), "with_estimate",
        fow_json_number(r->exposed), "with_both_models", fow_json_number(r->both_models), "mean_exposure",
        fow_json_number(r->mean_exposure), "displaced", fow_json_number(r->displaced), "retraining",
        fow_json_number(r->retraining), "hours", fow_json_number(r->hours), "budget", fow_json_number(r->budget),
        "without_moves", fow_json_number(r->without_moves));
    json_object_set_new(totals, "placed", fow_json_number(r->placed));
    json_object_set_new(totals, "no_room", fow_json_number(r->no_room));
    json_object_set_new(totals, "band",
                        json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "mean_exposure",
                                  range_json(r->mean_exposure_band), "displaced", range_json(r->displaced_band),
                                  "retraining", range_json(r->retraining_band), "hours", range_json(r->hours_band),
                                  "budget", range_json(r->budget_band), "without_moves",
                                  range_json(r->without_moves_band), "placed", range_json(r->placed_band),
                                  "no_room", range_json(r->no_room_band)));
    json_object_set_new(root, "totals", totals);
    json_t *years = json_array();
    for (uint32_t i = 0; i < r->n_years; i++) {
        const fow_scenario_year *y = &r->years[i];
        json_t *yj = json_pack("{s:i, s:i, s:f, s:f, s:f, s:f, s:f, s:f, s:f}", "year", y->year, "t", (int)(i + 1),
                               "adoption", y->adoption, "displaced", y->displaced, "cumulative", y->cumulative,
                               "retraining", y->retraining, "training_places", y->retraining, "hours", y->hours,
                               "budget", y->budget);
        /* flat, so that the CSV of the years has them as columns */
        json_object_set_new(yj, "displaced_low", json_real(y->displaced_band.low));
        json_object_set_new(yj, "displaced_high", json_real(y->displaced_band.high));
        json_object_set_new(yj, "cumulative_low", json_real(y->cumulative_band.low));
        json_object_set_new(yj, "cumulative_high", json_real(y->cumulative_band.high));
        json_object_set_new(yj, "retraining_low", json_real(y->retraining_band.low));
        json_object_set_new(yj, "retraining_high", json_real(y->retraining_band.high));
        json_object_set_new(yj, "hours_low", json_real(y->hours_band.low));
        json_object_set_new(yj, "hours_high", json_real(y->hours_band.high));
        json_object_set_new(yj, "budget_low", json_real(y->budget_band.low));
        json_object_set_new(yj, "budget_high", json_real(y->budget_band.high));
        json_array_append_new(years, yj);
    }
    json_object_set_new(root, "years", years);
    json_object_set_new(root, "n_destinations", json_integer(r->n_destinations));
    json_object_set_new(root, "n_skills", json_integer(r->n_skills));
    json_object_set_new(root, "destinations",
                        weighted_list(m, r->destinations, r->n_destinations, limit, 0, "workers", 0, 2, lang));
    json_object_set_new(root, "skills",
                        weighted_list(m, r->skills, r->n_skills, limit, 1, "learners", p->hours_per_skill, 1, lang));
    json_t *units = json_array();
    uint32_t shown = limit && limit < r->n_units ? limit : r->n_units;
    for (uint32_t i = 0; i < shown; i++) {
        const fow_scenario_unit *su = &r->units[i];
        const fow_observe_unit *unit = &obs->units[su->unit];
        const fow_employment_row *row = unit->row;
        bool is_occ = row->occupation != FOW_NO_INDEX;
        json_t *uj = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "code",
                               is_occ ? m->occupations[row->occupation].isco_group : row->isco, "label",
                               is_occ ? m->occupations[row->occupation].label : fow_isco_label(est, row->isco),
                               "sector", row->sector, "employed", fow_json_number(unit->counted), "exposure",
                               fow_json_number(su->exposure), "exposure_low", fow_json_number(su->exposure_band.low),
                               "exposure_high", fow_json_number(su->exposure_band.high), "other_model_exposure",
                               fow_json_number(su->other_exposure), "displaced", fow_json_number(su->displaced),
                               "displaced_low", fow_json_number(su->displaced_band.low), "displaced_high",
                               fow_json_number(su->displaced_band.high));
        json_array_append_new(units, uj);
    }
    json_object_set_new(root, "n_units", json_integer(r->n_units));
    json_object_set_new(root, "units", units);
    return root;
}

json_t *fow_json_occupation_groups(void) {
    json_t *arr = json_array();
    for (uint32_t g = 0; g < fow_n_occupation_groups; g++) {
        const fow_occupation_group *grp = &fow_occupation_groups[g];
        json_t *codes = json_array();
        for (const char *const *c = grp->codes; *c; c++) json_array_append_new(codes, json_string(*c));
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:o}", "name", grp->name, "title", grp->title, "source",
                                             grp->source, "codes", codes));
    }
    return arr;
}

json_t *fow_json_result_table(const json_t *result, const char *name) {
    json_t *t = json_object_get(result, name);
    if (json_is_object(t)) t = json_object_get(t, "bins"); /* the distribution's table is its bins */
    return json_is_array(t) ? t : NULL;
}

/* ---- CSV ------------------------------------------------------------- */

typedef struct text_buf {
    char *s;
    size_t len, cap;
    int failed;
} text_buf;

static void put(text_buf *b, const char *s, size_t n) {
    if (b->failed) return;
    if (b->len + n + 1 > b->cap) {
        size_t ncap = (b->cap ? b->cap * 2 : 4096);
        while (ncap < b->len + n + 1) ncap *= 2;
        char *ns = realloc(b->s, ncap);
        if (!ns) {
            b->failed = 1;
            return;
        }
        b->s = ns;
        b->cap = ncap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

static void put_field(text_buf *b, const char *s) {
    if (strpbrk(s, ",\"\r\n") == NULL) {
        put(b, s, strlen(s));
        return;
    }
    put(b, "\"", 1);
    for (const char *p = s; *p; p++) {
        put(b, p, 1);
        if (*p == '"') put(b, "\"", 1); /* a quote is doubled */
    }
    put(b, "\"", 1);
}

static void put_value(text_buf *b, const json_t *v) {
    char num[64];
    if (!v || json_is_null(v)) return;
    if (json_is_string(v)) put_field(b, json_string_value(v));
    else if (json_is_integer(v)) {
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        put(b, num, strlen(num));
    } else if (json_is_real(v)) {
        snprintf(num, sizeof num, "%.10g", json_real_value(v));
        put(b, num, strlen(num));
    } else if (json_is_true(v)) put(b, "true", 4);
    else if (json_is_false(v)) put(b, "false", 5);
}

char *fow_json_table_csv(const json_t *table) {
    if (!json_is_array(table)) return NULL;
    text_buf b = {0};
    put(&b, "", 0);
    const json_t *first = json_array_get(table, 0);
    if (!json_is_object(first)) return b.failed ? NULL : b.s;
    /* the columns: the first object's scalar keys, in order */
    const char *cols[64];
    size_t n_cols = 0;
    const char *key;
    const json_t *value;
    json_object_foreach((json_t *)first, key, value) {
        if (json_is_object(value) || json_is_array(value) || n_cols == 64) continue;
        cols[n_cols++] = key;
    }
    for (size_t c = 0; c < n_cols; c++) {
        if (c) put(&b, ",", 1);
        put_field(&b, cols[c]);
    }
    put(&b, "\r\n", 2);
    size_t i;
    json_array_foreach(table, i, value) {
        for (size_t c = 0; c < n_cols; c++) {
            if (c) put(&b, ",", 1);
            put_value(&b, json_object_get(value, cols[c]));
        }
        put(&b, "\r\n", 2);
    }
    if (b.failed) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
