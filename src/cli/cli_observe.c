/* cli_observe.c — `fow areas`, `fow observe`, `fow at-scale` and
 * `fow scenario`: the local economy observatory on the command line. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "observatory/fow_observe.h"
#include "observatory/fow_observe_json.h"
#include "service/fow_result.h"
#include "observatory/fow_scenario.h"
#include "service/fow_world.h"
#include "transitions/fow_similarity.h"
#include "training/fow_match.h"
#include "training/fow_training.h"

static const char areas_help[] =
    "Usage: fow areas [--json]\n"
    "\n"
    "The areas with imported employment, their years, rows, masked cells and sources.\n"
    "Import a table with 'fow import employment FILE --area NAME --year YEAR'.\n";

static const char observe_help[] =
    "Usage: fow observe AREA --year Y [--model M] [--by B] [--compare-year Y0]\n"
    "                   [--reference AREA2 [--reference-year Y2]] [--json [--units] | --csv [--table T]]\n"
    "\n"
    "How much of an area's employment is vulnerable to automation: employment-weighted shares\n"
    "in each risk category, the mean risk and its distribution, with a breakdown, the change\n"
    "from another year and location quotients against another area. Every figure comes with\n"
    "its method (docs/observatory.md).\n"
    "\n"
    "Options:\n"
    "  --year Y             the year of the area's employment table (required)\n"
    "  --model M            mcc (default; Nesta MCC categories) or frey-osborne (0.7 high-risk threshold)\n"
    "  --by B               breakdown: major (default), submajor, sector, sex, age, education,\n"
    "                       group (cultural and SSC/BPO back-office occupations) or none\n"
    "  --compare-year Y0    the change from year Y0 of the same area, in persons and points\n"
    "  --reference AREA2    location quotients against AREA2 (its year: --reference-year, else Y)\n"
    "  --csv                a table as CSV on stdout: --table breakdown (default), units or distribution\n"
    "  --json               the summary as JSON: totals, breakdown, distribution, sources, methods,\n"
    "                       n_units (since issue 16 without the per-row units; --units adds them)\n"
    "  --units              with --json, also the units: one per row with persons counted\n"
    "  --units-offset N     the units from the N-th on (0 = the first; implies --units)\n"
    "  --units-limit N      at most N units (default 0 = all; implies --units)\n";

static const char scale_help[] =
    "Usage: fow at-scale AREA --year Y [--model M] [--min-moves N] [--moves-per-worker K]\n"
    "                    [--capacity-share S] [--capacity-years Y] [--limit N] [--json | --csv [--table T]]\n"
    "\n"
    "Transitions at scale: for the area's workers in high-risk occupations, how many have at\n"
    "least N safe and desirable moves, how many can be placed in destinations with room, where\n"
    "they go and the skills they would most need, weighted by the number of workers\n"
    "(docs/observatory.md).\n"
    "\n"
    "Options:\n"
    "  --min-moves N          count workers with at least N moves (default 3)\n"
    "  --moves-per-worker K   a worker is spread over the K best moves (default 5)\n"
    "  --capacity-share S     a destination takes in at most S of its own employment in the\n"
    "                         area per year (default 0.05)\n"
    "  --capacity-years Y     over Y years (default 10; 1..50)\n"
    "  --limit N              rows of each list (default 15; 0 = all)\n"
    "  --csv                  a list as CSV: --table destinations (default), skills or origins\n";

static const char scenario_help[] =
    "Usage: fow scenario AREA --year Y [--adoption slow|medium|fast|custom]\n"
    "                    [--ceiling C --speed S --midpoint M] [--years N] [--retrain-share R]\n"
    "                    [--hours-per-skill H] [--cost-per-hour EUR] [--model M]\n"
    "                    [--moves-per-worker K] [--capacity-share S] [--limit N] [--json | --csv [--table T]]\n"
    "\n"
    "A transparent future-of-work scenario: automation adopted along a logistic curve and\n"
    "applied to each occupation's exposure (MCC: the level of its risk category; Frey & Osborne:\n"
    "the probability); the jobs displaced each year, the retraining they call for by destination\n"
    "and by skill, the training places and the voucher budget. Every figure has a band between\n"
    "the two risk models' exposures. docs/scenarios.md explains the model and its limits.\n"
    "\n"
    "Options:\n"
    "  --adoption A         slow (ceiling 0.15, speed 0.2, midpoint 20), medium (default: 0.3,\n"
    "                       0.3, 12), fast (0.5, 0.45, 7), or custom (give the three below)\n"
    "  --ceiling C          share of exposed work automated in the end, 0..1\n"
    "  --speed S            steepness of the adoption curve per year, more than 0\n"
    "  --midpoint M         years until half the ceiling is reached\n"
    "  --years N            horizon in years (default 20)\n"
    "  --retrain-share R    share of displaced workers who retrain (default 1)\n"
    "  --hours-per-skill H  training hours per missing essential skill (default 40)\n"
    "  --cost-per-hour EUR  voucher cost of a training hour (default 10)\n"
    "  --capacity-share S   a destination takes in at most S of its own employment in the area\n"
    "                       per year, over the horizon (default 0.05)\n"
    "  --csv                a table as CSV: --table years (default), destinations, skills or units\n";

/* ---- shared set-up ---------------------------------------------------- */

typedef struct observe_engine {
    fow_db *db; /* for the employment tables */
    fow_world *world;
    const fow_model *model;
    const fow_risk_estimates *est;
    const fow_similarity_index *index;
} observe_engine;

static void observe_engine_close(observe_engine *e) {
    fow_world_release(e->world);
    fow_db_close(e->db);
}

static int observe_engine_open(cli_context *ctx, observe_engine *e) {
    memset(e, 0, sizeof *e);
    int rc = cli_open_db(ctx, true, &e->db);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    if (fow_world_open(ctx->db_path, &(fow_world_options){.quick = true}, &e->world, &err)) {
        observe_engine_close(e);
        return cli_fail(ctx, &err);
    }
    e->model = fow_world_model(e->world);
    e->est = fow_world_estimates(e->world);
    e->index = fow_world_index(e->world);
    return 0;
}

static int parse_number(cli_context *ctx, const char *name, const char *text, double min, double max, double *out) {
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end || !(v >= min && v <= max))
        return cli_usage_error(ctx, "%s must be a number from %g to %g, not '%s'", name, min, max, text);
    *out = v;
    return 0;
}

static int parse_model(cli_context *ctx, const char *text, fow_risk_model *model) {
    if (fow_risk_model_parse(text, model) != 0)
        return cli_usage_error(ctx, "--model must be mcc or frey-osborne, not '%s'", text);
    return 0;
}

/* Prints root, a document of the observatory, as libfow writes it; frees
 * root. */
static int print_document(json_t *root) {
    fow_jw w;
    cli_writer_init(&w);
    fow_result_observatory(&w, root);
    json_decref(root);
    return cli_print_written(&w);
}

/* Prints table (a JSON array) as CSV; frees root. */
static int print_csv_table(cli_context *ctx, json_t *root, const char *table) {
    json_t *arr = fow_json_result_table(root, table);
    char *csv = arr ? fow_json_table_csv(arr) : NULL;
    json_decref(root);
    if (!arr) return cli_usage_error(ctx, "no table '%s' here (see --help for --table)", table);
    if (!csv) {
        fputs("fow: out of memory\n", stderr);
        return CLI_EXIT_INTERNAL;
    }
    fputs(csv, stdout);
    free(csv);
    return fflush(stdout) == 0 ? 0 : CLI_EXIT_INTERNAL;
}

static int check_table(cli_context *ctx, const char *table, const char *const *allowed) {
    for (const char *const *a = allowed; *a; a++)
        if (strcmp(table, *a) == 0) return 0;
    return cli_usage_error(ctx, "--table '%s' is not one of this command's tables (see --help)", table);
}

/* Parses the words of an area command (AREA --year Y and options; the
 * options --year, --model, --csv and --table must be bound to *year_text,
 * *model_text, *csv and *table, read after parsing). Returns 0 with *area, *year and *model set; -1 after printing
 * help (exit 0); else the exit code of a usage error. */
static int parse_area_command(cli_context *ctx, int argc, char **argv, const cli_option *options, const char *help,
                              const char *const *year_text, const char *const *model_text, const bool *csv,
                              const char *const *table, const char *const *tables, const char **area, long *year, fow_risk_model *model) {
    const char *pos[1];
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, options, pos, 1, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(help, stdout);
        return -1;
    }
    if (n_pos != 1) return cli_usage_error(ctx, "give the area: fow %s AREA --year Y (fow areas lists them)", ctx->command);
    if (!*year_text) return cli_usage_error(ctx, "give the year: --year Y (fow areas lists the years)");
    if ((rc = cli_parse_size(ctx, "--year", *year_text, 1900, 2100, year))) return rc;
    if ((rc = parse_model(ctx, *model_text, model))) return rc;
    if ((rc = check_table(ctx, *table, tables))) return rc;
    if (ctx->json && *csv) return cli_usage_error(ctx, "--json and --csv exclude each other");
    *area = pos[0];
    return 0;
}

static void print_thousands(double v) {
    if (isnan(v)) {
        printf("%12s", "unknown");
        return;
    }
    char digits[32], out[48];
    snprintf(digits, sizeof digits, "%.0f", v);
    size_t n = strlen(digits), o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0 && digits[i - 1] != '-') out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = 0;
    printf("%12s", out);
}

static void print_pct(double share) {
    if (isnan(share)) printf("%8s", "-");
    else printf("%7.1f%%", share * 100);
}

/* " (12.3%)" after a count, or nothing when the share is unknown. */
static void print_share_of(double part, double whole) {
    if (whole > 0) printf(" (%.1f%%)", 100 * part / whole);
}

/* v in a few characters: 812, 39.4k, 1.25M, 9.11bn (a static buffer of 4: up to four per printf). */
static const char *compact(double v) {
    static char bufs[4][24];
    static int next;
    char *b = bufs[next++ % 4];
    double a = fabs(v);
    if (isnan(v)) snprintf(b, 24, "-");
    else if (a >= 1e9) snprintf(b, 24, "%.3gbn", v / 1e9);
    else if (a >= 1e6) snprintf(b, 24, "%.3gM", v / 1e6);
    else if (a >= 1e4) snprintf(b, 24, "%.3gk", v / 1e3);
    else snprintf(b, 24, "%.0f", v);
    return b;
}

/* v rounded, with thousands separators (a static buffer of 4: up to four per printf). */
static const char *with_commas(double v) {
    static char bufs[4][48];
    static int next;
    char *b = bufs[next++ % 4], digits[32];
    snprintf(digits, sizeof digits, "%.0f", v);
    size_t n = strlen(digits), o = 0;
    for (size_t i = 0; i < n && o + 2 < sizeof bufs[0]; i++) {
        if (i && (n - i) % 3 == 0 && digits[i - 1] != '-') b[o++] = ',';
        b[o++] = digits[i];
    }
    b[o] = 0;
    return b;
}

/* v as a count inside a sentence: rounded, thousands separators, no
 * padding ("unknown" when NaN; shares with_commas's buffers). */
static const char *count_text(double v) {
    return isnan(v) ? "unknown" : with_commas(v);
}

/* low and high in a few characters, both in the same unit (the one compact
 * picks for the larger), as "[7.4k-10k]", never "[7398-10k]". */
static void compact_range(fow_range band, char *out, size_t n) {
    double big = fmax(fabs(band.low), fabs(band.high));
    double unit = big >= 1e9 ? 1e9 : big >= 1e6 ? 1e6 : big >= 1e4 ? 1e3 : 1.0;
    const char *suffix = unit == 1e9 ? "bn" : unit == 1e6 ? "M" : unit == 1e3 ? "k" : "";
    if (isnan(band.low) || isnan(band.high)) snprintf(out, n, "[-]");
    else if (unit == 1.0) snprintf(out, n, "[%.0f-%.0f]", band.low, band.high);
    else snprintf(out, n, "[%.3g%s-%.3g%s]", band.low / unit, suffix, band.high / unit, suffix);
}

/* A band as "[low-high]": style 0 exposures (3 decimals), 1 compact in a
 * column of 15, 2 whole numbers with thousands separators. */
static void print_band(fow_range band, int style) {
    if (style == 0) {
        printf("[%.3f-%.3f]", band.low, band.high);
        return;
    }
    if (style == 1) {
        char text[48];
        compact_range(band, text, sizeof text);
        printf("%-15s", text);
        return;
    }
    printf("[%s - %s]", with_commas(band.low), with_commas(band.high));
}

static void print_illustrative(const fow_employment *emp) {
    if (emp->illustrative)
        printf("ILLUSTRATIVE DATA: these employment counts were invented for a demonstration, not measured.\n");
}

/* ---- fow areas -------------------------------------------------------- */

int cli_areas(cli_context *ctx, int argc, char **argv) {
    const cli_option options[] = {{NULL, NULL, NULL}};
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, options, NULL, 0, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(areas_help, stdout);
        return 0;
    }
    fow_db *db;
    if ((rc = cli_open_db(ctx, true, &db))) return rc;
    fow_error err;
    fow_error_clear(&err);
    if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_code code = fow_result_areas(&w, db, &err);
        fow_db_close(db);
        if (code) {
            fow_jw_free(&w);
            return cli_fail(ctx, &err);
        }
        return cli_print_written(&w);
    }
    json_t *areas = fow_employment_areas_json(db, &err);
    fow_db_close(db);
    if (!areas) return cli_fail(ctx, &err);
    if (json_array_size(areas) == 0) {
        json_decref(areas);
        printf("No employment is imported yet: fow import employment FILE --area NAME --year YEAR\n");
        return 0;
    }
    size_t i;
    json_t *a;
    json_array_foreach(areas, i, a) {
        printf("%s%s — %s\n", json_string_value(json_object_get(a, "area")),
               json_is_true(json_object_get(a, "illustrative")) ? " (illustrative)" : "",
               json_string_value(json_object_get(a, "source")));
        size_t j;
        json_t *y;
        json_array_foreach(json_object_get(a, "years"), j, y) {
            printf("  %lld: %lld rows, %lld masked, ", (long long)json_integer_value(json_object_get(y, "year")),
                   (long long)json_integer_value(json_object_get(y, "rows")),
                   (long long)json_integer_value(json_object_get(y, "masked")));
            printf("%s persons as given", count_text(json_real_value(json_object_get(y, "employed_given"))));
            printf(" (nested rows counted as given)\n");
        }
    }
    json_decref(areas);
    return 0;
}

/* ---- fow observe ------------------------------------------------------ */

static const fow_observe_cell *cell_by_key(const fow_observation *obs, const char *key) {
    for (uint32_t i = 0; i < obs->n_cells; i++)
        if (strcmp(obs->cells[i].key, key) == 0) return &obs->cells[i];
    return NULL;
}

/* The change in points of the high-risk share since the compare year, and
 * the location quotients of employment and of the high-risk share. */
static void print_cell_extras(const fow_observe_cell *c, const fow_observation *obs, const fow_observation *compare,
                              const fow_observation *reference) {
    if (compare) {
        const fow_observe_cell *then = cell_by_key(compare, c->key);
        double d = then ? (fow_observe_share(c, FOW_CAT_HIGH) - fow_observe_share(then, FOW_CAT_HIGH)) * 100 : NAN;
        if (isnan(d)) printf(" %9s", "-");
        else printf(" %+9.2f", d);
    }
    if (reference) {
        const fow_observe_cell *there = cell_by_key(reference, c->key);
        double lq_emp = NAN, lq_high = NAN;
        if (there && there->employed > 0 && reference->total.employed > 0 && obs->total.employed > 0)
            lq_emp = (c->employed / obs->total.employed) / (there->employed / reference->total.employed);
        if (there) lq_high = fow_observe_share(c, FOW_CAT_HIGH) / fow_observe_share(there, FOW_CAT_HIGH);
        if (isnan(lq_emp) || isinf(lq_emp)) printf(" %7s", "-");
        else printf(" %7.2f", lq_emp);
        if (isnan(lq_high) || isinf(lq_high)) printf(" %7s", "-");
        else printf(" %7.2f", lq_high);
    }
}

static void print_cell_line(const fow_observe_cell *c, int key_width) {
    printf("  %-*s ", key_width, c->key);
    cli_print_cell(stdout, c->label && *c->label ? c->label : "-", 40);
    print_thousands(c->employed);
    print_pct(fow_observe_share(c, FOW_CAT_HIGH));
    print_pct(fow_observe_share(c, FOW_CAT_MIDDLE));
    print_pct(fow_observe_share(c, FOW_CAT_LOW));
    double mean = fow_observe_mean(c);
    if (isnan(mean)) printf("%8s", "-");
    else printf("%8.3f", mean);
}

int cli_observe(cli_context *ctx, int argc, char **argv) {
    const char *year_text = NULL, *model_text = "mcc", *by_text = "major", *compare_text = NULL, *reference = NULL,
               *reference_year_text = NULL, *table = "breakdown", *units_offset_text = NULL,
               *units_limit_text = NULL;
    bool csv = false, with_units = false;
    const cli_option options[] = {{"--year", &year_text, NULL},         {"--model", &model_text, NULL},
                                  {"--by", &by_text, NULL},             {"--compare-year", &compare_text, NULL},
                                  {"--reference", &reference, NULL},    {"--reference-year", &reference_year_text, NULL},
                                  {"--table", &table, NULL},            {"--csv", NULL, &csv},
                                  {"--units", NULL, &with_units},       {"--units-offset", &units_offset_text, NULL},
                                  {"--units-limit", &units_limit_text, NULL},
                                  {NULL, NULL, NULL}};
    static const char *const tables[] = {"breakdown", "units", "distribution", NULL};
    const char *area;
    long year, compare_year = 0, reference_year = 0;
    fow_risk_model model;
    int rc = parse_area_command(ctx, argc, argv, options, observe_help, &year_text, &model_text, &csv, &table, tables,
                                &area, &year, &model);
    if (rc) return rc < 0 ? 0 : rc;
    if (compare_text && (rc = cli_parse_size(ctx, "--compare-year", compare_text, 1900, 2100, &compare_year))) return rc;
    if (reference_year_text &&
        (rc = cli_parse_size(ctx, "--reference-year", reference_year_text, 1900, 2100, &reference_year)))
        return rc;
    if (reference_year_text && !reference) return cli_usage_error(ctx, "--reference-year needs --reference AREA2");
    long units_offset = 0, units_limit = 0;
    if (units_offset_text &&
        (rc = cli_parse_size(ctx, "--units-offset", units_offset_text, 0, UINT32_MAX, &units_offset)))
        return rc;
    if (units_limit_text && (rc = cli_parse_size(ctx, "--units-limit", units_limit_text, 0, UINT32_MAX, &units_limit)))
        return rc;
    with_units = with_units || units_offset_text || units_limit_text;
    if (with_units && csv)
        return cli_usage_error(ctx, "--units goes with --json; the CSV of the units is --csv --table units");
    if (with_units && !ctx->json) return cli_usage_error(ctx, "--units goes with --json");
    /* the units are built only when they are shown: with --units, or as
     * the CSV table of units */
    fow_units_request units = {with_units || (csv && strcmp(table, "units") == 0), (uint32_t)units_offset,
                               (uint32_t)units_limit};
    fow_observe_by by;
    if (fow_observe_by_parse(by_text, &by) != 0)
        return cli_usage_error(ctx, "--by must be major, submajor, sector, sex, age, education, group or none, not '%s'",
                               by_text);
    observe_engine e;
    if ((rc = observe_engine_open(ctx, &e))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_area_view views[3]; /* the area's year, the compare year, the reference area */
    memset(views, 0, sizeof views);
    const fow_employment *emp = &views[0].emp, *emp_reference = &views[2].emp;
    const fow_observation *obs = &views[0].obs, *obs_compare = &views[1].obs, *obs_reference = &views[2].obs;
    fow_code code = fow_area_view_load(e.db, e.est, area, (int)year, model, by, &views[0], &err);
    if (!code && compare_text)
        code = fow_area_view_load(e.db, e.est, area, (int)compare_year, model, by, &views[1], &err);
    if (!code && reference)
        code = fow_area_view_load(e.db, e.est, reference, (int)(reference_year ? reference_year : year), model, by,
                                  &views[2], &err);
    if (code) {
        rc = cli_fail(ctx, &err);
        goto done;
    }
    if (ctx->json || csv) {
        json_t *root = fow_json_observation(e.est, obs, compare_text ? obs_compare : NULL,
                                            reference ? obs_reference : NULL, &units);
        if (!root) {
            rc = CLI_EXIT_INTERNAL;
            fputs("fow: out of memory\n", stderr);
        } else if (ctx->json) rc = print_document(root);
        else {
            rc = print_csv_table(ctx, root, table);
        }
        goto done;
    }
    /* the readable report */
    const char *scale = model == FOW_RISK_MODEL_MCC ? "1 (minimal) to 5 (maximal)" : "probability 0 to 1";
    printf("%s, %ld: employment by automation risk under %s\n", emp->area, year,
           model == FOW_RISK_MODEL_MCC ? "Nesta MCC" : "Frey & Osborne");
    print_illustrative(emp);
    printf("Employment counted:");
    print_thousands(obs->total.employed);
    printf(" persons (%u rows; %u masked cell%s kept unknown, not zero)\n", emp->n_rows, emp->n_masked,
           emp->n_masked == 1 ? "" : "s");
    printf("With an estimate:  ");
    print_thousands(obs->total.with_estimate);
    printf(" persons");
    print_share_of(obs->total.with_estimate, obs->total.employed);
    printf("\n");
    for (int c = FOW_N_CATS - 1; c >= 0; c--) {
        printf("  %-10s", fow_risk_category_label(model, c));
        print_pct(fow_observe_share(&obs->total, c));
        print_thousands(obs->total.category[c]);
        printf(" persons\n");
    }
    printf("Mean risk: %.3f on a scale of %s\n", fow_observe_mean(&obs->total), scale);
    if (compare_text) {
        double d = (fow_observe_share(&obs->total, FOW_CAT_HIGH) - fow_observe_share(&obs_compare->total, FOW_CAT_HIGH)) * 100;
        double change = obs->total.employed - obs_compare->total.employed;
        printf("Since %ld: high-risk share %+.2f points; employment %s%s (from %s)\n", compare_year, d,
               change > 0 ? "+" : "", count_text(change), count_text(obs_compare->total.employed));
    }
    if (reference) {
        double lq = fow_observe_share(&obs->total, FOW_CAT_HIGH) / fow_observe_share(&obs_reference->total, FOW_CAT_HIGH);
        printf("Against %s %d: high-risk share here / there = %.3f (location quotient; %.1f%% there)\n", reference,
               emp_reference->year, lq, fow_observe_share(&obs_reference->total, FOW_CAT_HIGH) * 100);
    }
    printf("Estimates used: ");
    const char *names[4] = {"none", "ESCO occupation", "model's own ISCO estimate", "aggregated from ESCO occupations"};
    bool first = true;
    for (int mth = 3; mth >= 0; mth--) {
        if (obs->by_method[mth] <= 0) continue;
        printf("%s%.1f%% %s", first ? "" : ", ", 100 * obs->by_method[mth] / obs->total.employed, names[mth]);
        first = false;
    }
    printf("\n");
    static const char *const dims[4] = {"sector", "sex", "age group", "education"};
    for (int d = 0; d < 4; d++) {
        if (!emp->layered[d]) continue;
        bool detail = (d == 0 && by == FOW_BY_SECTOR) || (d == 1 && by == FOW_BY_SEX) || (d == 2 && by == FOW_BY_AGE) ||
                      (d == 3 && by == FOW_BY_EDUCATION);
        printf("The table gives %s both as totals and broken down: this view uses the %s (%u rows of the other left "
               "out).\n",
               dims[d], detail ? "breakdown" : "totals", obs->left_out);
    }
    if (by != FOW_BY_NONE) {
        printf("\nBy %s:\n  %-*s %-40s %12s %8s %8s %8s %8s", fow_observe_by_name(by), 11, "key", "label", "employed",
               "high", model == FOW_RISK_MODEL_MCC ? "other" : "medium", "low", "mean");
        if (compare_text) printf(" %9s", "high pts");
        if (reference) printf(" %7s %7s", "lq emp", "lq high");
        printf("\n");
        for (uint32_t i = 0; i < obs->n_cells; i++) {
            print_cell_line(&obs->cells[i], 11);
            print_cell_extras(&obs->cells[i], obs, compare_text ? obs_compare : NULL, reference ? obs_reference : NULL);
            printf("\n");
            if (by == FOW_BY_GROUP && obs->cells[i].partial > 0) {
                printf("  %-11s   plus %s", "", count_text(obs->cells[i].partial));
                printf(" persons in coarser rows only partly in the group (not counted)\n");
            }
        }
    }
    if (by != FOW_BY_NONE && (compare_text || reference))
        printf("\n%s%s", compare_text ? "high pts: change of the high-risk share in percentage points since the compare year.\n" : "",
               reference ? "lq emp: the group's share of employment here / there; lq high: the high-risk share here / "
                           "there (1 = the same).\n"
                         : "");
    printf("\nMethod: shares are employment-weighted over persons with an estimate; persons are counted once\n"
           "(nested rows count their remainder); ISCO rows use the model's own estimate for the code, else the\n"
           "unweighted mean of its ESCO occupations (docs/observatory.md).\n");
    printf("Sources: employment: %s; risk: %s\n", emp->source, fow_risk_estimates_source(e.est, model));
    rc = 0;
done:
    for (int v = 0; v < 3; v++) fow_area_view_free(&views[v]);
    observe_engine_close(&e);
    return rc;
}

/* ---- fow at-scale and fow scenario ------------------------------------- */

/* What at-scale and scenario work on: the engine with its similarity
 * index, the area's employment, its observation and the move profiles. */
typedef struct area_run {
    observe_engine e;
    fow_employment emp;
    fow_observation obs;
    fow_move_profiles *profiles;
} area_run;

static void area_run_close(area_run *run) {
    fow_move_profiles_free(run->profiles);
    fow_observation_free(&run->obs);
    fow_employment_free(&run->emp);
    observe_engine_close(&run->e);
}

/* Opens the engine, loads the area, observes it and builds the move
 * profiles it needs. 0, or the exit code of the failure (run is then
 * closed). */
static int area_run_open(cli_context *ctx, area_run *run, const char *area, long year, fow_risk_model model,
                         int high_risk_only, uint32_t k) {
    memset(run, 0, sizeof *run);
    int rc = observe_engine_open(ctx, &run->e);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    uint32_t *origins = NULL, n_origins = 0;
    observe_engine *e = &run->e;
    fow_code code = fow_employment_load(e->db, e->model, area, (int)year, &run->emp, &err);
    if (!code) code = fow_observe(e->est, &run->emp, model, FOW_BY_NONE, &run->obs, &err);
    if (!code) code = fow_observation_origins(e->est, &run->obs, high_risk_only, &origins, &n_origins, &err);
    if (!code) code = fow_move_profiles_build(e->index, model, origins, n_origins, k, 0, &run->profiles, &err);
    free(origins);
    if (!code) return 0;
    area_run_close(run);
    return cli_fail(ctx, &err);
}

static void print_weighted(const fow_model *m, const fow_weighted *list, uint32_t n, uint32_t limit, int skills,
                           const char *unit) {
    uint32_t shown = limit && limit < n ? limit : n;
    for (uint32_t i = 0; i < shown; i++) {
        printf("  %3u. ", i + 1);
        cli_print_cell(stdout, skills ? m->skills[list[i].index].label : m->occupations[list[i].index].label, 52);
        print_thousands(list[i].workers);
        printf(" %s  (%u origin%s)\n", unit, list[i].origins, list[i].origins == 1 ? "" : "s");
    }
    if (shown < n) printf("  ... %u more (--limit 0 shows all)\n", n - shown);
}

int cli_at_scale(cli_context *ctx, int argc, char **argv) {
    const char *year_text = NULL, *model_text = "mcc", *min_text = NULL, *k_text = NULL, *limit_text = NULL,
               *table = "destinations", *share_text = NULL, *cap_years_text = NULL;
    bool csv = false;
    const cli_option options[] = {{"--year", &year_text, NULL},     {"--model", &model_text, NULL},
                                  {"--min-moves", &min_text, NULL}, {"--moves-per-worker", &k_text, NULL},
                                  {"--limit", &limit_text, NULL},   {"--table", &table, NULL},
                                  {"--capacity-share", &share_text, NULL}, {"--capacity-years", &cap_years_text, NULL},
                                  {"--csv", NULL, &csv},            {NULL, NULL, NULL}};
    static const char *const tables[] = {"destinations", "skills", "origins", NULL};
    const char *area;
    long year, min_moves = 3, k = 5, limit = 15;
    fow_risk_model model;
    int rc = parse_area_command(ctx, argc, argv, options, scale_help, &year_text, &model_text, &csv, &table, tables, &area,
                                &year, &model);
    if (rc) return rc < 0 ? 0 : rc;
    if (min_text && (rc = cli_parse_size(ctx, "--min-moves", min_text, 1, 10000, &min_moves))) return rc;
    if (k_text && (rc = cli_parse_size(ctx, "--moves-per-worker", k_text, 1, 50, &k))) return rc;
    if (limit_text && (rc = cli_parse_size(ctx, "--limit", limit_text, 0, 100000, &limit))) return rc;
    fow_capacity capacity;
    fow_capacity_default(&capacity);
    long cap_years = capacity.years;
    if (share_text && (rc = parse_number(ctx, "--capacity-share", share_text, 0, 1, &capacity.share))) return rc;
    if (cap_years_text && (rc = cli_parse_size(ctx, "--capacity-years", cap_years_text, 1, 50, &cap_years))) return rc;
    capacity.years = (int)cap_years;
    area_run run;
    if ((rc = area_run_open(ctx, &run, area, year, model, 1, (uint32_t)k))) return rc;
    const observe_engine e = run.e;
    const fow_employment *emp = &run.emp;
    const fow_observation *obs = &run.obs;
    const fow_move_profiles *profiles = run.profiles;
    fow_scale_result r;
    memset(&r, 0, sizeof r);
    fow_error err;
    fow_error_clear(&err);
    if (fow_transitions_at_scale(e.est, obs, profiles, (uint32_t)min_moves, &capacity, &r, &err)) {
        rc = cli_fail(ctx, &err);
        goto done;
    }
    if (ctx->json || csv) {
        json_t *root = fow_json_scale(e.est, obs, profiles, &r, csv ? 0 : (uint32_t)limit, NULL);
        rc = !root ? CLI_EXIT_INTERNAL : ctx->json ? print_document(root) : print_csv_table(ctx, root, table);
        goto done;
    }
    printf("%s, %ld: transitions at scale for workers in high-risk occupations (%s)\n", emp->area, year,
           model == FOW_RISK_MODEL_MCC ? "Nesta MCC" : "Frey & Osborne, probability >= 0.7");
    print_illustrative(emp);
    printf("High-risk workers:      ");
    print_thousands(r.high_risk_workers);
    printf("\nWith at least %ld safe and desirable moves:", min_moves);
    print_thousands(r.with_min_moves);
    print_share_of(r.with_min_moves, r.high_risk_workers);
    printf("\nWith none:              ");
    print_thousands(r.without_moves);
    print_share_of(r.without_moves, r.high_risk_workers);
    printf("\n\nDestinations take in at most %g%% of their own employment in %s a year, for %d years:\n",
           capacity.share * 100, emp->area, capacity.years);
    printf("Placed:                 ");
    print_thousands(r.placed);
    print_share_of(r.placed, r.high_risk_workers);
    printf("\nUnplaced:               ");
    print_thousands(r.unplaced);
    print_share_of(r.unplaced, r.high_risk_workers);
    printf("\n  destinations full:    ");
    print_thousands(r.no_room);
    printf("  (%u destinations took in all they can)\n  no safe move:         ", r.full_destinations);
    print_thousands(r.without_moves);
    printf("\n  no ESCO occupation:   ");
    print_thousands(r.no_occupation);
    printf("\n\nDestinations (placed workers; workers who would go there without a limit; room):\n");
    uint32_t shown = limit && (uint32_t)limit < r.n_destinations ? (uint32_t)limit : r.n_destinations;
    for (uint32_t i = 0; i < shown; i++) {
        const fow_scale_destination *d = &r.destinations[i];
        printf("  %3u. ", i + 1);
        cli_print_cell(stdout, e.model->occupations[d->occupation].label, 46);
        print_thousands(d->placed);
        printf(" of");
        print_thousands(d->wanted);
        printf(", room");
        print_thousands(d->capacity);
        printf("\n");
    }
    if (shown < r.n_destinations) printf("  ... %u more (--limit 0 shows all)\n", r.n_destinations - shown);
    printf("\nMost needed skills (essential skills of the destinations the origins lack, weighted by placed workers):\n");
    print_weighted(e.model, r.skills, r.n_skills, (uint32_t)limit, 1, "learners");
    printf("\nMethod: docs/observatory.md (transitions at scale). Sources: employment: %s; risk: %s\n", emp->source,
           fow_risk_estimates_source(e.est, model));
    rc = 0;
done:
    fow_scale_result_free(&r);
    area_run_close(&run);
    return rc;
}

static const char commission_help[] =
    "Usage: fow commission AREA --year Y [--model M] [--lang LIST] [--limit N] [--json]\n"
    "\n"
    "Courses to commission: the skills the area's workers in high-risk occupations lack most for\n"
    "their safe and desirable moves (transitions at scale, as 'fow at-scale' computes them, in\n"
    "learners among the workers placed), how much of that demand the learning catalogue covers\n"
    "(a skill is covered when a module teaches it), and the skills no module teaches, ranked by\n"
    "learners (docs/training.md, \"Courses to commission\").\n"
    "\n"
    "Options:\n"
    "  --model M      risk model: mcc (default) or frey-osborne\n"
    "  --lang LIST    count only modules taught in these languages, e.g. ro,en (default: any)\n"
    "  --limit N      rows of each list (default 15; 0 = all)\n"
    "  --db PATH  --json  --help\n";

int cli_commission(cli_context *ctx, int argc, char **argv) {
    const char *year_text = NULL, *model_text = "mcc", *lang = NULL, *limit_text = NULL, *table = "skills";
    bool csv = false;
    const cli_option options[] = {{"--year", &year_text, NULL}, {"--model", &model_text, NULL},
                                  {"--lang", &lang, NULL},      {"--limit", &limit_text, NULL},
                                  {NULL, NULL, NULL}};
    static const char *const tables[] = {"skills", NULL};
    static const cli_field_flag flags[] = {{"languages", "--lang"}, {NULL, NULL}};
    const char *area;
    long year, limit = 15;
    fow_risk_model model;
    int rc = parse_area_command(ctx, argc, argv, options, commission_help, &year_text, &model_text, &csv, &table,
                                tables, &area, &year, &model);
    if (rc) return rc < 0 ? 0 : rc;
    ctx->field_flags = flags;
    if (limit_text && (rc = cli_parse_size(ctx, "--limit", limit_text, 0, 100000, &limit))) return rc;
    fow_match_params params;
    fow_match_params_default(&params);
    char lang_buf[200];
    fow_error err;
    fow_error_clear(&err);
    if (lang && fow_match_params_languages(&params, lang, lang_buf, sizeof lang_buf, &err)) return cli_fail(ctx, &err);
    area_run run;
    if ((rc = area_run_open(ctx, &run, area, year, model, 1, FOW_WORLD_SHARED_MOVES_PER_WORKER))) return rc;
    fow_scale_result r;
    memset(&r, 0, sizeof r);
    fow_training_catalogue cat;
    memset(&cat, 0, sizeof cat);
    fow_match_index *x = NULL;
    fow_match_commission cm;
    memset(&cm, 0, sizeof cm);
    const observe_engine *e = &run.e;
    fow_code code = fow_transitions_at_scale(e->est, &run.obs, run.profiles, 3, NULL, &r, &err);
    if (!code) code = fow_training_load(e->db, &cat, &err);
    if (!code) code = fow_match_index_build(&cat, &x, &err);
    if (!code) code = fow_match_commission_compute(x, e->model, &r, &params, &cm, &err);
    if (code) {
        rc = cli_fail(ctx, &err);
        goto done;
    }
    const char *risk = fow_risk_estimates_source(e->est, model);
    if (ctx->json) {
        fow_result_context rctx = {e->model, e->index, {NULL, NULL}, NULL, NULL, NULL};
        fow_jw w;
        cli_writer_init(&w);
        fow_result_commission(&w, &rctx, &run.emp, model, risk, &r, x, &cm, &params, (uint32_t)limit);
        rc = cli_print_written(&w);
        goto done;
    }
    printf("%s, %ld: courses to commission for workers in high-risk occupations (%s)\n", run.emp.area, year,
           model == FOW_RISK_MODEL_MCC ? "Nesta MCC" : "Frey & Osborne, probability >= 0.7");
    print_illustrative(&run.emp);
    printf("Skills to learn: %zu, for %s", cm.n, count_text(cm.learners));
    printf(" learners (a worker counts once per skill)\n");
    printf("Taught by a module of the catalogue (%zu modules%s): %zu skills,", cat.n_modules,
           params.n_languages ? ", in the languages asked for" : "", cm.skills_covered);
    printf(" %s learners", count_text(cm.learners_covered));
    print_share_of(cm.learners_covered, cm.learners);
    printf("\n\nMost needed skills (learners; modules teaching it):\n");
    size_t shown = limit && (size_t)limit < cm.n ? (size_t)limit : cm.n;
    for (size_t i = 0; i < shown; i++) {
        printf("  %3zu. ", i + 1);
        cli_print_cell(stdout, e->model->skills[cm.demand[i].model_index].label, 52);
        print_thousands(cm.demand[i].learners);
        if (cm.supply[i].modules)
            printf("  %u module%s (e.g. %s)\n", cm.supply[i].modules, cm.supply[i].modules == 1 ? "" : "s",
                   cat.modules[cm.supply[i].first].code);
        else printf("  none\n");
    }
    if (shown < cm.n) printf("  ... %zu more (--limit 0 shows all)\n", cm.n - shown);
    printf("\nCourses to commission: %zu skills no module teaches, most learners first:\n", cm.n - cm.skills_covered);
    size_t rank = 0;
    for (size_t i = 0; i < cm.n && (!limit || rank < (size_t)limit); i++) {
        if (cm.supply[i].modules) continue;
        printf("  %3zu. ", ++rank);
        cli_print_cell(stdout, e->model->skills[cm.demand[i].model_index].label, 52);
        print_thousands(cm.demand[i].learners);
        printf(" learners  (%u origin%s)\n", cm.demand[i].origins, cm.demand[i].origins == 1 ? "" : "s");
    }
    printf("\nMethod: docs/training.md (courses to commission) and docs/observatory.md (transitions at scale).\n"
           "Sources: employment: %s; risk: %s; catalogue: %zu modules.\n", run.emp.source, risk, cat.n_modules);
    rc = 0;
done:
    fow_match_commission_free(&cm);
    fow_match_index_free(x);
    fow_training_free(&cat);
    fow_scale_result_free(&r);
    area_run_close(&run);
    return rc;
}

int cli_scenario(cli_context *ctx, int argc, char **argv) {
    const char *year_text = NULL, *model_text = "mcc", *adoption = "medium", *ceiling = NULL, *speed = NULL,
               *midpoint = NULL, *years_text = NULL, *retrain = NULL, *hours = NULL, *cost = NULL, *k_text = NULL,
               *limit_text = NULL, *table = "years", *share_text = NULL;
    bool csv = false;
    const cli_option options[] = {
        {"--year", &year_text, NULL},       {"--model", &model_text, NULL},      {"--adoption", &adoption, NULL},
        {"--ceiling", &ceiling, NULL},      {"--speed", &speed, NULL},           {"--midpoint", &midpoint, NULL},
        {"--years", &years_text, NULL},     {"--retrain-share", &retrain, NULL}, {"--hours-per-skill", &hours, NULL},
        {"--cost-per-hour", &cost, NULL},   {"--moves-per-worker", &k_text, NULL}, {"--limit", &limit_text, NULL},
        {"--table", &table, NULL},          {"--csv", NULL, &csv},               {"--capacity-share", &share_text, NULL},
        {NULL, NULL, NULL}};
    static const char *const tables[] = {"years", "destinations", "skills", "units", NULL};
    const char *area;
    long year, k = 5, limit = 15, years = 20;
    fow_risk_model model;
    int rc = parse_area_command(ctx, argc, argv, options, scenario_help, &year_text, &model_text, &csv, &table, tables,
                                &area, &year, &model);
    if (rc) return rc < 0 ? 0 : rc;
    if (k_text && (rc = cli_parse_size(ctx, "--moves-per-worker", k_text, 1, 50, &k))) return rc;
    if (limit_text && (rc = cli_parse_size(ctx, "--limit", limit_text, 0, 100000, &limit))) return rc;
    if (years_text && (rc = cli_parse_size(ctx, "--years", years_text, 1, 100, &years))) return rc;
    fow_scenario_params p;
    bool custom = strcmp(adoption, "custom") == 0;
    if (!custom && fow_scenario_preset(adoption, &p) != 0)
        return cli_usage_error(ctx, "--adoption must be slow, medium, fast or custom, not '%s'", adoption);
    if (custom) {
        if (!ceiling || !speed || !midpoint)
            return cli_usage_error(ctx, "--adoption custom needs --ceiling, --speed and --midpoint");
        fow_scenario_preset("medium", &p);
        snprintf(p.adoption, sizeof p.adoption, "custom");
    } else if (ceiling || speed || midpoint) {
        return cli_usage_error(ctx, "--ceiling, --speed and --midpoint go with --adoption custom");
    }
    if (ceiling && (rc = parse_number(ctx, "--ceiling", ceiling, 0, 1, &p.ceiling))) return rc;
    if (speed && (rc = parse_number(ctx, "--speed", speed, 1e-6, 10, &p.speed))) return rc;
    if (midpoint && (rc = parse_number(ctx, "--midpoint", midpoint, 0, 200, &p.midpoint))) return rc;
    if (retrain && (rc = parse_number(ctx, "--retrain-share", retrain, 0, 1, &p.retrain_share))) return rc;
    if (hours && (rc = parse_number(ctx, "--hours-per-skill", hours, 1e-6, 10000, &p.hours_per_skill))) return rc;
    if (cost && (rc = parse_number(ctx, "--cost-per-hour", cost, 0, 1e6, &p.cost_per_hour))) return rc;
    if (share_text && (rc = parse_number(ctx, "--capacity-share", share_text, 0, 1, &p.capacity_share))) return rc;
    p.years = (int)years;
    area_run run;
    if ((rc = area_run_open(ctx, &run, area, year, model, 0, (uint32_t)k))) return rc;
    const observe_engine e = run.e;
    const fow_employment *emp = &run.emp;
    const fow_observation *obs = &run.obs;
    const fow_move_profiles *profiles = run.profiles;
    fow_scenario_result r;
    memset(&r, 0, sizeof r);
    fow_error err;
    fow_error_clear(&err);
    if (fow_scenario_run(e.est, obs, profiles, &p, &r, &err)) {
        rc = cli_fail(ctx, &err);
        goto done;
    }
    if (ctx->json || csv) {
        json_t *root = fow_json_scenario(e.est, obs, profiles, &r, csv ? 0 : (uint32_t)limit, NULL);
        rc = !root ? CLI_EXIT_INTERNAL : ctx->json ? print_document(root) : print_csv_table(ctx, root, table);
        goto done;
    }
    printf("%s, %ld: scenario '%s' under %s\n", emp->area, year, p.adoption,
           model == FOW_RISK_MODEL_MCC ? "Nesta MCC" : "Frey & Osborne");
    print_illustrative(emp);
    printf("Parameters: ceiling %g, speed %g/year, midpoint %g years, %d years, retrain share %g,\n"
           "            %g training hours per missing skill, %g EUR per training hour, %ld moves per worker,\n"
           "            capacity share %g a year\n",
           p.ceiling, p.speed, p.midpoint, p.years, p.retrain_share, p.hours_per_skill, p.cost_per_hour, k,
           p.capacity_share);
    printf("Employment: %s", count_text(r.employed));
    printf(" persons; mean exposure %.3f ", r.mean_exposure);
    print_band(r.mean_exposure_band, 0);
    printf("\nExposure: %s\n", model == FOW_RISK_MODEL_MCC ? "MCC category levels" : "Frey & Osborne probability");
    if (model == FOW_RISK_MODEL_MCC)
        for (int c = FOW_N_CATS - 1; c >= 0; c--)
            printf("  %-9s %.3f [%.3f-%.3f]  (share of tasks without bottlenecks: mean and quartiles of %u "
                   "occupations)\n",
                   fow_risk_category_label(FOW_RISK_MODEL_MCC, c), r.levels.level[c], r.levels.low[c],
                   r.levels.high[c], r.levels.n[c]);
    printf("Bands [low-high]: for each row, from the lowest to the highest exposure either model allows (MCC: the\n"
           "  quartiles of the category's share of tasks without bottlenecks; Frey & Osborne: its probability, known\n"
           "  for %s of the %s persons).\n\n",
           with_commas(r.both_models), with_commas(r.exposed));
    printf("  %-6s %8s %10s %-15s %11s %-15s %10s %-15s %12s %-15s\n", "year", "adoption", "displaced", "  [band]",
           "cumulative", "  [band]", "hours", "  [band]", "budget EUR", "  [band]");
    for (uint32_t i = 0; i < r.n_years; i++) {
        const fow_scenario_year *y = &r.years[i];
        printf("  %-6d %7.2f%% %10s ", y->year, y->adoption * 100, compact(y->displaced));
        print_band(y->displaced_band, 1);
        printf(" %11s ", compact(y->cumulative));
        print_band(y->cumulative_band, 1);
        printf(" %10s ", compact(y->hours));
        print_band(y->hours_band, 1);
        printf(" %12s ", compact(y->budget));
        print_band(y->budget_band, 1);
        printf("\n");
    }
    printf("\nOver %d years:\n  displaced   ", p.years);
    print_thousands(r.displaced);
    printf(" ");
    print_band(r.displaced_band, 2);
    printf("\n  retraining  ");
    print_thousands(r.retraining);
    printf(" ");
    print_band(r.retraining_band, 2);
    printf("  (= training places)\n  hours       ");
    print_thousands(r.hours);
    printf(" ");
    print_band(r.hours_band, 2);
    printf("\n  budget EUR  ");
    print_thousands(r.budget);
    printf(" ");
    print_band(r.budget_band, 2);
    printf("\n  of the retraining workers, ");
    print_thousands(r.without_moves);
    printf(" ");
    print_band(r.without_moves_band, 2);
    printf(" are in occupations with no safe and desirable move\n");
    printf("  placed in destinations with room (%g%% of their employment a year, %d years):\n  placed      ",
           p.capacity_share * 100, p.years);
    print_thousands(r.placed);
    printf(" ");
    print_band(r.placed_band, 2);
    printf("\n  no room     ");
    print_thousands(r.no_room);
    printf(" ");
    print_band(r.no_room_band, 2);
    printf("\n\nRetraining by destination (placed [band]; who would go there without a limit; room):\n");
    uint32_t shown = limit && (uint32_t)limit < r.n_destinations ? (uint32_t)limit : r.n_destinations;
    for (uint32_t i = 0; i < shown; i++) {
        const fow_weighted *d = &r.destinations[i];
        printf("  %3u. ", i + 1);
        cli_print_cell(stdout, e.model->occupations[d->index].label, 40);
        printf("%10s [%s-%s] of %s, room %s\n", with_commas(d->workers), compact(d->low), compact(d->high),
               with_commas(d->wanted), with_commas(d->capacity));
    }
    if (shown < r.n_destinations) printf("  ... %u more (--limit 0 shows all)\n", r.n_destinations - shown);
    printf("\nRetraining by skill (learners; x %g hours each):\n", p.hours_per_skill);
    print_weighted(e.model, r.skills, r.n_skills, (uint32_t)limit, 1, "learners");
    printf("\nModel: A(t) = ceiling (L(t) - L(0)) / (1 - L(0)), L logistic; displaced = employed x exposure x\n"
           "(A(t) - A(t-1)); exposure = %s. Not a forecast: docs/scenarios.md.\n",
           model == FOW_RISK_MODEL_MCC ? "the level of the row's MCC category" : "Frey & Osborne probability");
    printf("Sources: employment: %s; risk: %s\n", emp->source, fow_risk_estimates_source(e.est, model));
    rc = 0;
done:
    fow_scenario_result_free(&r);
    area_run_close(&run);
    return rc;
}

/* ---- fow occupation-groups ---------------------------------------------- */

static const char occupation_groups_help[] =
    "Usage: fow occupation-groups [--json]\n"
    "\n"
    "The occupation groups the observatory can break employment down by (fow observe --by group),\n"
    "each with its ISCO-08 codes and the source that defines it.\n";

int cli_occupation_groups(cli_context *ctx, int argc, char **argv) {
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, NULL, NULL, 0, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(occupation_groups_help, stdout);
        return 0;
    }
    if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_result_occupation_groups(&w);
        return cli_print_written(&w);
    }
    json_t *groups = fow_json_occupation_groups();
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g) {
        printf("%s — %s\n  ", json_string_value(json_object_get(g, "name")), json_string_value(json_object_get(g, "title")));
        size_t k;
        json_t *code;
        json_array_foreach(json_object_get(g, "codes"), k, code) printf("%s%s", k ? " " : "", json_string_value(code));
        printf("\n  source: %s\n", json_string_value(json_object_get(g, "source")));
    }
    json_decref(groups);
    return 0;
}
