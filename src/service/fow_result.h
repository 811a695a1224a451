/* fow_result.h — every reading result of fow as one whole JSON document,
 * wrapper included, written once here for both front ends: `fow X --json`
 * (indented) and GET /api/v1/X (compact) write the same document through
 * these functions, so that they cannot drift apart.
 *
 * Each function writes exactly one value (the document) into w, which the
 * caller has reset, and sets w's precision (7 significant digits for the
 * taxonomy and transitions, 12 for the observatory, whose counts of persons
 * reach tens of millions). Unknown numbers are null, never 0. They fail only
 * by running out of memory, which w remembers (fow_jw_failed). Pagination
 * (total, offset, limit, next_offset) is part of every list that pages; the
 * front ends fill it from their own arguments. The labels in the language
 * ctx->lang (label_local, via_local) are written only when ctx->lang is not
 * NULL. */
#ifndef FOW_RESULT_H
#define FOW_RESULT_H

#include "base/fow_jw.h"
#include "observatory/fow_observe.h"
#include "people/fow_people.h"
#include "plans/fow_plans.h"
#include "store/fow_data_version.h"
#include "store/fow_db.h"
#include "store/fow_sources.h"
#include "taxonomy/fow_model.h"
#include "taxonomy/fow_occupation.h"
#include "taxonomy/fow_search.h"
#include "training/fow_match.h"
#include "transitions/fow_infer.h"
#include "transitions/fow_resolve.h"
#include "transitions/fow_similarity.h"
#include "transitions/fow_transitions.h"

/* Significant digits of the reals of the taxonomy's and the observatory's
 * documents. */
#define FOW_RESULT_DIGITS 7
#define FOW_RESULT_COUNT_DIGITS 12

/* The ESCO attribution every document of the taxonomy carries. */
#define FOW_RESULT_ATTRIBUTION "This service uses the ESCO classification of the European Commission."

/* What the documents of the taxonomy read from the loaded data: the model,
 * its similarity index, the labels of the sources of the risk estimates
 * (by fow_risk_model) and of the attributes ("name (version)"; NULL or ""
 * when not imported, which the documents say in words), and the language
 * of label_local (NULL: none). All borrowed. */
typedef struct fow_result_context {
    const fow_model *model;
    const fow_similarity_index *index;
    const char *risk_source[2];
    const char *attributes_source;
    const char *lang;
    const char *taxonomy_source; /* for fow_result_stats; may be NULL */
} fow_result_context;


/* A page of a list: the number of items in all, the first one shown and
 * how many at most. */
typedef struct fow_result_page {
    long total, offset, limit;
} fow_result_page;

/* A person's skills as given (inputs[i], each a label or URI) and as
 * resolved (resolutions[i]); or, with person_id, a person's stored skills
 * profile (fow_result_person_from_origin): inputs are the stored keys and
 * provenance[i] says where each skill comes from. */
typedef struct fow_result_person {
    const char *const *inputs;
    const fow_skill_resolution *resolutions;
    uint32_t n;
    const char *person_id;           /* NULL: skills as given */
    const char *const *provenance;   /* with person_id: "declared", "counsellor", ... per input */
    size_t n_profile;                /* with person_id: the profile's entries, the taxonomy's or not */
} fow_result_person;

/* The person of a result for the profile o (fow_people_profile_origin):
 * arrays malloc'd into *out, which points into o (keep o until
 * fow_result_person_free). false when out of memory (*out then empty). */
bool fow_result_person_from_origin(const fow_person_origin *o, fow_result_person *out);

/* Frees what fow_result_person_from_origin made. */
void fow_result_person_free(fow_result_person *p);

/* {query, results: [{kind, id, uri, label, matched_label, lang, match,
 * matched_preferred, label_local?, code and risk_category_mcc for
 * occupations}], total, offset, limit, next_offset}: the hits of
 * fow_search from page->offset on, at most page->limit; page->total is n. */
void fow_result_search(fow_jw *w, const fow_result_context *ctx, const char *query, const fow_search_hit *hits,
                       long n, const fow_result_page *page);

/* Everything fow_occupation_detail_load read about occupation (the index
 * of the same occupation in ctx->model), then, with ctx->lang, label_local
 * (its own and that of its skills, broader and narrower occupations and
 * ISCO path), "summary" (its fields in the model) and "attribution". */
void fow_result_occupation(fow_jw *w, const fow_result_context *ctx, const fow_occupation_detail *detail,
                           uint32_t occupation);

/* One skill: label, uri, type, flags, weight, the occupations it is
 * essential and optional for, its related skills, attribution, labels. */
void fow_result_skill(fow_jw *w, const fow_result_context *ctx, uint32_t skill);

/* The moves from origin: {origin, filters, transitions (t[page->offset ..
 * n), ranked from offset + 1), provenance, total, offset, limit,
 * next_offset}. */
/* Both transitions documents below end with when_none: null, or, when no
 * destination passes (fallback not NULL), {message, nearest: [the nearest
 * moves that pass the safety and desirability filters, each with lacking:
 * its most important essential skills not held], route: {skill, uri,
 * new_transitions, example} or null, common_gap: {skill, uri,
 * nearest_lacking} or null (the essential skill most nearest moves lack)}. */
void fow_result_transitions(fow_jw *w, const fow_result_context *ctx, uint32_t origin, const fow_transition_query *q,
                            const fow_transition *t, uint32_t n, const fow_result_page *page,
                            const fow_transition_fallback *fallback);

/* The moves from a person's skills: {skills: {recognised, unresolved},
 * best_fits, origin (judge_as, or null for FOW_NO_INDEX), filters,
 * transitions, provenance, total, offset, limit, next_offset}. */
void fow_result_person_transitions(fow_jw *w, const fow_result_context *ctx, const fow_result_person *person,
                                   const fow_transition *fits, uint32_t n_fits, uint32_t judge_as,
                                   const fow_transition_query *q, const fow_transition *t, uint32_t n,
                                   const fow_result_page *page, const fow_transition_fallback *fallback);

/* The destinations of an ISCO group: {group, occupations (n_origins),
 * filters, destinations, provenance, total (destinations reached), offset,
 * limit, next_offset}. */
void fow_result_group_transitions(fow_jw *w, const fow_result_context *ctx, const char *group, uint32_t n_origins,
                                  const fow_transition_query *q, const fow_group_destination *d, uint32_t n,
                                  const fow_result_page *page);

/* The most similar occupations: {origin, similar (with jaccard),
 * provenance, total, offset, limit, next_offset}. */
void fow_result_similar(fow_jw *w, const fow_result_context *ctx, uint32_t origin, const fow_transition *t,
                        uint32_t n, const fow_result_page *page);

/* The gap of one move, from the occupation origin or (origin FOW_NO_INDEX)
 * from person: {from, to, judged_as (the occupation desirability and
 * safety are judged against: origin, else judged_as, null when
 * FOW_NO_INDEX), similarity, viable, highly_viable, desirable,
 * safe, safe_strict, model, safe_rule, the counts (essential_count;
 * missing_count = to_learn_count = the move's essential_missing;
 * probably_held_count), missing (the essential skills to learn),
 * transfers, probably_held {inferred, method, skills (each with basis
 * "inferred" or "related", probability and via)}, provenance}; the lists
 * cut to list_limit (the counts are whole). t: the move judged under
 * model and rule (fow_transition_assess). */
void fow_result_gap(fow_jw *w, const fow_result_context *ctx, uint32_t origin, const fow_result_person *person,
                    uint32_t judged_as, uint32_t to, const fow_gap *gap, const fow_transition *t, fow_risk_model model,
                    fow_safe_rule rule, uint32_t list_limit);

/* The probable skills of occupation o (fow_infer_occupation under
 * params): {occupation, method {code, params, text}, essential, optional
 * (the skills ESCO lists: label, uri, label_local?), probable [{rank,
 * label, uri, label_local?, score, neighbour_share, neighbours_listing,
 * relatedness, example (an occupation listing it, or null), via,
 * via_local?}], probable_count, attribution}. */
void fow_result_probable_skills(fow_jw *w, const fow_result_context *ctx, uint32_t o, const fow_infer_params *params,
                                const fow_probable_skill *p, uint32_t n);

/* Upskilling: {about, filters, origins, current_transitions,
 * candidates_evaluated, skills, provenance}; about is {occupation} for one
 * occupation (group NULL) or {group, occupations: n_origins}. */
void fow_result_upskill(fow_jw *w, const fow_result_context *ctx, uint32_t occupation, const char *group,
                        uint32_t n_origins, const fow_transition_query *q, const fow_upskill_result *r);

/* Upskilling of a person: as fow_result_upskill, with about {skills:
 * {recognised, unresolved}, judged_as (the occupation, or null for
 * FOW_NO_INDEX)}. */
void fow_result_person_upskill(fow_jw *w, const fow_result_context *ctx, const fow_result_person *person,
                               uint32_t judged_as, const fow_transition_query *q, const fow_upskill_result *r);

/* What the database holds: {occupations, skills, relations (occupation-
 * skill pairs of the model, a pair listed both essential and optional
 * counted once), with_risk_mcc, with_risk_frey_osborne, high_risk_mcc,
 * with_attributes (from ctx->model; 0 when it is NULL), then from db_stats
 * occupation_skill_relations (rows as the sources list them), isco_groups,
 * nested_occupations, labels, languages, sources; then taxonomy_source,
 * risk_source_mcc, risk_source_frey_osborne, attributes_source (""
 * when not imported), attribution, and generation (the server's model
 * generation) when generation >= 0}. */
void fow_result_stats(fow_jw *w, const fow_result_context *ctx, const fow_db_stats *db_stats, long long generation);

/* fow_result_stats, and last data_version {generation, stamp}: the state of
 * the database every figure was read from (fow_world_data_version). */
void fow_result_stats_at(fow_jw *w, const fow_result_context *ctx, const fow_db_stats *db_stats, long long generation,
                         const fow_data_version *data_version);

/* The occupations at the highest risk under model ("mcc" or
 * "frey-osborne"): {model, scale, occupations_with_value, source,
 * source_version, occupations: [{id, uri, code, label, isco_group, risk,
 * prevalence, category, method}]} (`fow risk`; no route yet). */
void fow_result_risk_ranking(fow_jw *w, const char *model, const fow_risk_ranking *ranking);

/* The data sets imported: {sources: [{dataset, kind, name, version,
 * licence, url, rows, imported_at, fingerprint}], attribution}. */
void fow_result_sources(fow_jw *w, const fow_source_info *sources, size_t n);

/* {areas: [...]}: the areas with employment (fow_employment_areas_json).
 * FOW_OK, or the error of reading db (nothing written). */
fow_code fow_result_areas(fow_jw *w, fow_db *db, fow_error *err);

/* {groups: [...]}: the occupation groups of the observatory. */
void fow_result_occupation_groups(fow_jw *w);

/* A document of the observatory built by fow_json_observation,
 * fow_json_scale or fow_json_scenario, with the observatory's precision. */
void fow_result_observatory(fow_jw *w, const json_t *document);


/* The modules that close a move's gap (fow_match_plan_compute under p;
 * person: the skills as given when the origin is a person): {from, to,
 * judged_as, similarity, viable, to_learn_count, probably_held_count,
 * parameters, modules [{order, id, code, title, provider, programme,
 * hours, mode, language, place, cost, counted_cost, required_by,
 * covers_count, covers_weight, covers [skills], next_start, seats_left,
 * cohort_id: from starts (fow_match_starts from date; NULL: null)}],
 * skills [{label, uri, essential, weight, status, covered_by,
 * modules_teaching}], not_taught, excluded [{id, code, reason, detail,
 * message}], coverage, totals {modules, hours, cost}, solver, cohorts,
 * method, catalogue, provenance}. Money as {minor_units, currency,
 * amount}. */
void fow_result_plan(fow_jw *w, const fow_result_context *ctx, const fow_result_person *person,
                     const fow_match_index *x, const fow_match_plan *plan, const fow_match_params *p,
                     const fow_match_start *starts, const char *date);


struct fow_scale_result;

/* Courses to commission for an area (transitions at scale r of the
 * employment emp under model, its demand against the catalogue of x in
 * cm, fow_match_commission_compute under p): {area, year, model,
 * illustrative, languages, high_risk_workers, placed_workers, demand
 * {skills, learners}, covered {skills, learners, share_skills,
 * share_learners}, skills [{rank, label, uri, label_local?, learners,
 * origins, modules, cheapest_module}], to_commission_count,
 * to_commission [{rank, label, uri, label_local?, learners, origins,
 * share_of_learners}], method, sources {employment, risk,
 * catalogue_modules}, limit}; both lists cut to limit (0: all). */
void fow_result_commission(fow_jw *w, const fow_result_context *ctx, const fow_employment *emp,
                           fow_risk_model model, const char *risk_source, const struct fow_scale_result *r,
                           const fow_match_index *x, const fow_match_commission *cm, const fow_match_params *p,
                           uint32_t limit);

/* ---- the voucher office (src/vouchers/fow_vouchers.h) ------------------ */

struct fow_voucher_fund;
struct fow_voucher;
struct fow_redemption;
struct fow_payment_batch;
struct fow_voucher_lab_charge;

/* {funds: [fow_voucher_fund_write], count} */
void fow_result_voucher_funds(fow_jw *w, const struct fow_voucher_fund *funds, size_t n);

/* {vouchers: [fow_voucher_write], count} */
void fow_result_vouchers(fow_jw *w, const struct fow_voucher *vouchers, size_t n);

/* {claims: [fow_redemption_write], count, total_minor: their sum per
 * currency as {currency: minor units}} */
void fow_result_voucher_claims(fow_jw *w, const struct fow_redemption *claims, size_t n);

/* {batches: [fow_payment_batch_write], count} */
void fow_result_payment_batches(fow_jw *w, const struct fow_payment_batch *batches, size_t n);

/* {batch: fow_payment_batch_write, claims: [fow_redemption_write], count,
 * lab_charges: [fow_voucher_lab_charge_write at now], lab_count} */
void fow_result_payment_batch(fow_jw *w, const struct fow_payment_batch *batch, const struct fow_redemption *claims,
                              size_t n, const struct fow_voucher_lab_charge *lab_charges, size_t n_lab, int64_t now);

/* {lab_charges: [fow_voucher_lab_charge_write at now], count, totals:
 * [{currency, state, count, amount_minor}] (by currency, then state in the
 * order pending, payable, batched, paid, refunded; only those that occur),
 * source} */
void fow_result_voucher_lab_charges(fow_jw *w, const struct fow_voucher_lab_charge *charges, size_t n, int64_t now);

/* {expired: vouchers, returned_minor, as_of}: an expiry run */
void fow_result_voucher_expiry(fow_jw *w, const char *as_of, size_t expired, int64_t returned_minor);

/* {payable, refunded}: a settlement of the claims */
void fow_result_claims_settlement(fow_jw *w, size_t payable, size_t refunded);

/* The worker's plan plan_id as fow_plans_write writes it (the same access
 * rules and errors), with its labels in the reader's language looked up
 * now: with ctx (and ctx->model and ctx->lang) given, every {uri, label}
 * of an occupation (the move's occupation, the gap's destination and
 * judged_as) or a skill (the gap's to_learn) gets label_local, the
 * taxonomy's preferred label in ctx->lang, or null when it has none
 * (then label_lang says the language the stored label is in, null when
 * the taxonomy no longer holds it). The stored labels stay as they were.
 * ctx NULL (or without model or lang): the document of fow_plans_write.
 * Fails as fow_plans_write, or FOW_ENOMEM. */
fow_code fow_result_worker_plan(fow_jw *w, const fow_result_context *ctx, const fow_plans_ctx *c, long long plan_id,
                                fow_error *err);

/* The plans of person as fow_plans_write_list writes them, with
 * label_local (and label_lang) on each of their targets as above. */
fow_code fow_result_worker_plans(fow_jw *w, const fow_result_context *ctx, const fow_plans_ctx *c,
                                 const char *person, fow_error *err);
/* Module m of catalogue c as fow_training_result_module writes it, with
 * its skills (taught, and prerequisites.skills) in the reader's language:
 * with ctx (and ctx->model and ctx->lang) given, each gets label_local,
 * the taxonomy's preferred label in ctx->lang found by its URI, or null
 * when there is none (then label_lang, the language of the stored label,
 * null when the taxonomy does not hold the skill). ctx NULL (or without
 * model or lang): fow_training_result_module's document. Fails with
 * FOW_ENOMEM only. */
fow_code fow_result_training_module(fow_jw *w, const fow_result_context *ctx, const fow_training_catalogue *c,
                                    const fow_training_module *m, fow_error *err);

/* ---- voucher reports (src/vouchers/fow_voucher_reports.h; issue 14,
 * point 8): the same documents for `fow voucher report --json` and
 * /api/v1/voucher-reports... Money as integer minor units ("*_minor") and
 * formatted with its currency ("15000.00 RON"); a figure that does not
 * apply to the dimension is null. Each carries "method" (a message: how
 * the figures are computed) and "source" {ledger, transfers,
 * last_transfer, last_hash, accounts, mismatched_accounts, text: a
 * message}. */
struct fow_voucher_report;
struct fow_voucher_costs;
struct fow_voucher_outstanding;

/* {report: "amounts", by, computed_at, columns [...], rows [{key, label,
 * label_ro, currency, vouchers (null by provider), redemptions, amounts
 * {COLUMN_minor}, formatted {COLUMN}}], totals [the same, key "total"],
 * method, source}. */
void fow_result_voucher_report(fow_jw *w, const struct fow_voucher_report *r);

/* {report: "costs", computed_at, credentials_read, rows [{module, title
 * {en, ro}, currency, completions, completion_minor,
 * cost_per_completion_minor, credentials, credential_minor,
 * cost_per_credential_minor, waiting, waiting_minor, formatted {...}}],
 * totals [...], method, source}. */
void fow_result_voucher_costs(fow_jw *w, const struct fow_voucher_costs *c);

/* {report: "outstanding", computed_at, today, by_month [{month, currency,
 * vouchers, amount_minor, amount, past_last_day}], totals [...], vouchers
 * [{id, line_id, line, call_id, status, valid_until, value_minor,
 * balance_minor, currency, balance, past_last_day}] (only when with_list:
 * the office's list; else null), method, source}. */
void fow_result_voucher_outstanding(fow_jw *w, const struct fow_voucher_outstanding *o, bool with_list);

#endif
