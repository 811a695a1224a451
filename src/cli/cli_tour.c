/* cli_tour.c — `fow tour`: a short walk through the data for a new user. */
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "observatory/fow_observe.h"
#include "taxonomy/fow_occupation.h"

static const char tour_help[] =
    "Usage: fow tour [--db PATH]\n"
    "\n"
    "A short guided tour: the occupations at the highest risk of automation, a search as you\n"
    "type, everything about one occupation, the safer occupations its workers could move to, and\n"
    "(with employment imported) how much of an area's employment is vulnerable.\n"
    "To see it on the demo data: 'make run' once (it makes ./fow.db), then './build/fow tour'\n"
    "('fow tour' after 'make install').\n";

static void heading(const char *title, const char *command) {
    bool bold = isatty(STDOUT_FILENO);
    printf("\n%s== %s%s\n   $ %s\n\n", bold ? "\033[1m" : "", title, bold ? "\033[0m" : "", command);
    fflush(stdout);
}

int cli_tour(cli_context *ctx, int argc, char **argv) {
    const char *pos[1];
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, NULL, pos, 0, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(tour_help, stdout);
        return 0;
    }
    if (ctx->json) return cli_usage_error(ctx, "the tour is for people; use the other commands with --json");
    fow_db *db;
    if ((rc = cli_open_db(ctx, true, &db))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_db_stats st;
    fow_risk_ranking top;
    fow_code code = fow_db_stats_load(db, &st, &err);
    if (!code) code = fow_risk_ranking_load(db, "mcc", 1, false, &top, &err);
    /* the first area with employment, at its latest year */
    char area[128] = "", year[16] = "";
    json_t *areas = code ? NULL : fow_employment_areas_json(db, &err);
    json_t *first = json_array_get(areas, 0);
    if (first) {
        json_t *years = json_object_get(first, "years");
        snprintf(area, sizeof area, "%s", json_string_value(json_object_get(first, "area")));
        snprintf(year, sizeof year, "%lld",
                 (long long)json_integer_value(json_object_get(json_array_get(years, json_array_size(years) - 1), "year")));
    }
    json_decref(areas);
    fow_db_close(db);
    if (code) return cli_fail(ctx, &err);
    char key[64] = "", uri[512] = "", label[256] = "";
    if (top.n_rows) {
        snprintf(key, sizeof key, "%lld", (long long)top.rows[0].occupation.id);
        snprintf(uri, sizeof uri, "%s", top.rows[0].occupation.uri);
        snprintf(label, sizeof label, "%s", top.rows[0].occupation.label);
    }
    fow_risk_ranking_free(&top);

    printf("fow — the Future of Work platform of a city\n");
    printf("This database (%s) holds %lld occupations, %lld skills and %lld occupation-skill relations;\n",
           ctx->db_path, st.occupations, st.skills, st.relations);
    printf("%lld occupations have an automation risk value. 'fow sources' says where every figure comes from.\n",
           st.risk_mcc);

    heading("Where are jobs most exposed to automation?", "fow risk --limit 8");
    char *risk_argv[] = {"--limit", "8"};
    ctx->command = "risk";
    if ((rc = cli_risk(ctx, 2, risk_argv))) return rc;

    heading("Search as you type: accents and case do not matter", "fow search agent --limit 6");
    char *search_argv[] = {"agent", "--limit", "6"};
    ctx->command = "search";
    if ((rc = cli_search(ctx, 3, search_argv))) return rc;

    if (key[0]) {
        heading("Everything about the occupation at the highest risk", "fow occupation ID");
        char *occ_argv[] = {key};
        ctx->command = "occupation";
        if ((rc = cli_occupation(ctx, 1, occ_argv))) return rc;

        char command[400];
        snprintf(command, sizeof command, "fow transitions \"%s\" --safe --limit 6", label);
        heading("Where could its workers move? Viable moves to safer occupations", command);
        char *tr_argv[] = {uri, "--safe", "--limit", "6"};
        ctx->command = "transitions";
        if ((rc = cli_transitions(ctx, 4, tr_argv))) return rc;
    }
    if (area[0]) {
        char command[400];
        snprintf(command, sizeof command, "fow observe \"%s\" --year %s --by major", area, year);
        heading("How much of an area's employment is vulnerable to automation?", command);
        char *obs_argv[] = {area, "--year", year, "--by", "major"};
        ctx->command = "observe";
        if ((rc = cli_observe(ctx, 5, obs_argv))) return rc;
        printf("\nMore: fow at-scale \"%s\" --year %s (where its high-risk workers could move), and\n"
               "fow scenario \"%s\" --year %s --adoption fast (displaced jobs, training and vouchers).\n",
               area, year, area, year);
    }
    printf("\nNext: fow --help lists every command; README.md shows how to import the full ESCO data.\n");
    return 0;
}
