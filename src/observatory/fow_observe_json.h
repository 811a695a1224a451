/* fow_observe_json.h — the JSON (and CSV) forms of the observatory, of
 * transitions at scale and of scenarios, shared by the command line and
 * the HTTP API. Every function returns a new jansson reference (the caller
 * owns it), or NULL when out of memory. Unknown numbers are null. Every
 * result carries "method" texts and "sources", so that each figure says
 * where it comes from and how it was computed. */
#ifndef FOW_OBSERVE_JSON_H
#define FOW_OBSERVE_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "observatory/fow_observe.h"
#include "observatory/fow_scenario.h"

/* Which of an observation's units (one per row with persons counted) its
 * document carries. Without include, none: the document is the summary,
 * its size that of the breakdown, whatever the rows; n_units says how many
 * there are. With include, "units" holds those from offset (0 = the first),
 * at most limit of them (0 = all from offset on). */
typedef struct fow_units_request {
    bool include;
    uint32_t offset;
    uint32_t limit;
} fow_units_request;

/* An observation: area, year, model, illustrative, sources, method,
 * categories, total, breakdown, distribution, estimates_used, levels,
 * n_units, and the units that units asks for (units_offset and units, see
 * fow_units_request; NULL = none). With compare (another year of the same
 * area; may be NULL) each cell gains "change"; with reference (another
 * area; may be NULL) each cell gains location quotients "lq". */
json_t *fow_json_observation(const fow_risk_estimates *est, const fow_observation *obs,
                             const fow_observation *compare, const fow_observation *reference,
                             const fow_units_request *units);

/* Transitions at scale: the totals, then origins, destinations and skills
 * (at most limit of each; 0 = all), with lang for label_local (may be NULL). */
json_t *fow_json_scale(const fow_risk_estimates *est, const fow_observation *obs, const fow_move_profiles *profiles,
                       const fow_scale_result *r, uint32_t limit, const char *lang);

/* A scenario: parameters, method, totals, years, destinations, skills,
 * units (lists cut to limit; 0 = all). */
json_t *fow_json_scenario(const fow_risk_estimates *est, const fow_observation *obs,
                          const fow_move_profiles *profiles, const fow_scenario_result *r, uint32_t limit,
                          const char *lang);

/* The occupation groups with their codes and sources. */
json_t *fow_json_occupation_groups(void);

/* The table called name of a result of the functions above, borrowed:
 * result[name] when it is an array, the bins for an observation's
 * "distribution"; NULL when there is no such table. */
json_t *fow_json_result_table(const json_t *result, const char *name);

/* A JSON array of flat objects as CSV text (RFC 4180: a header from the
 * first object's keys, then one line per object; nested values are left
 * out, null is an empty field). malloc'd; NULL when out of memory or when
 * table is not an array. */
char *fow_json_table_csv(const json_t *table);

#endif
