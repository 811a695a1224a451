/* cli_indicators.c — `fow indicators`: the programme indicators with
 * small-cell suppression (src/indicators/fow_indicators.h,
 * docs/indicators.md), as a table, JSON or CSV. Acts as an administrator
 * named "cli:LOGIN", like `fow cohort`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "accounts/fow_accounts.h"
#include "cli/cli.h"
#include "indicators/fow_indicators.h"
#include "people/fow_people.h"
#include "training/fow_cohort.h"
#include "training/fow_training.h"
#include "vouchers/fow_vouchers.h"

static const char indicators_help[] =
    "Usage: fow indicators [--by programme|cohort|sex|age] [--csv]\n"
    "\n"
    "The programme's indicators, counted from the records when asked: people served, enrolled,\n"
    "completed, passed, the completion rate (completed / enrolled) and the skills gained (the\n"
    "skills assessed in passed completions), in total or by programme, cohort, sex or age group\n"
    "(docs/indicators.md). Only people with statistics consent in force are counted. A cell of\n"
    "fewer than 10 people shows 'suppressed', and so does a second cell of its column when the\n"
    "total would give the first one back. The voucher figures of the same people follow, in total:\n"
    "beneficiaries, vouchers issued, redeemed, completed after redemption and the cost per\n"
    "completion (from the voucher ledger), suppressed in the same way; and the CREIC labs' figures:\n"
    "people who booked a lab, used one (checked in), recorded a project, and the hours used.\n"
    "\n"
    "Options:\n"
    "  --by B      the breakdown: programme, cohort, sex or age (default: the total only)\n"
    "  --csv       the table as CSV on standard output (the same figures as --json)\n"
    "  --db PATH  --json  --help\n";

/* The width of column c of the table: its name whole ("skills_gained"), at least "suppressed". */
static int column_width(int c) {
    int name = (int)strlen(fow_indicator_column_name((fow_indicator_column)c));
    return name > 10 ? name : 10;
}

static void print_value(const fow_indicator_row *r, int c) {
    if (r->suppressed[c]) printf(" %*s", column_width(c), "suppressed");
    else printf(" %*ld", column_width(c), r->value[c]);
}

static void print_row(const fow_indicator_row *r) {
    printf("%-30.30s", r->label);
    for (int c = 0; c < FOW_IND_COLUMNS; c++) print_value(r, c);
    if (r->rate_suppressed) printf(" %10s\n", "suppressed");
    else if (r->value[FOW_IND_ENROLLED] == 0) printf(" %10s\n", "-");
    else printf(" %9.1f%%\n", (double)(long long)(r->completion_rate * 10 + 0.5) / 10);
}

int cli_indicators(cli_context *ctx, int argc, char **argv) {
    ctx->command = "indicators";
    const char *by_text = NULL;
    bool csv = false;
    const cli_option options[] = {{"--by", &by_text, NULL}, {"--csv", NULL, &csv}, {NULL, NULL, NULL}};
    const char *pos[1];
    int n_pos = 0;
    int rc = cli_parse(ctx, argc, argv, options, pos, 0, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(indicators_help, stdout);
        return 0;
    }
    fow_indicators_by by = FOW_INDICATORS_TOTAL;
    if (by_text && (fow_indicators_by_parse(by_text, &by) || by == FOW_INDICATORS_TOTAL))
        return cli_usage_error(ctx, "--by must be programme, cohort, sex or age, not '%s'", by_text);
    if (csv && ctx->json) return cli_usage_error(ctx, "give --csv or --json, not both");

    char actor[FOW_PERSON_ACTOR_MAX + 1];
    cli_actor_name(actor, sizeof actor);
    fow_cohort_actor who = {.staff = {.name = actor, .organisation = "", .all_organisations = true},
                            .role = FOW_ROLE_ADMIN};
    fow_db *db = NULL;
    if ((rc = cli_open_db(ctx, false, &db))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_training_catalogue catalogue;
    fow_people *people = NULL;
    fow_indicators ind;
    memset(&ind, 0, sizeof ind);
    char key_path[4096];
    fow_code code = fow_training_load(db, &catalogue, &err);
    if (!code) code = fow_people_key_path(ctx->db_path, key_path, sizeof key_path, &err);
    if (!code) code = fow_people_open(db, key_path, &people, &err);
    if (!code) code = fow_indicators_compute(db, people, &who, &catalogue, by, (long long)time(NULL), &ind, &err);
    if (code) {
        rc = cli_fail(ctx, &err);
    } else if (csv) {
        char *text = fow_indicators_csv(&ind);
        if (!text || fputs(text, stdout) == EOF) rc = CLI_EXIT_INTERNAL;
        free(text);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_indicators_write(&w, &ind);
        rc = cli_print_written(&w);
    } else {
        printf("Programme indicators%s%s, %d (people with statistics consent only; cells under %d people\n"
               "suppressed, docs/indicators.md)\n\n",
               by == FOW_INDICATORS_TOTAL ? "" : " by ", by == FOW_INDICATORS_TOTAL ? "" : fow_indicators_by_name(by),
               ind.year, FOW_INDICATORS_K);
        printf("%-30s", by == FOW_INDICATORS_TOTAL ? "" : fow_indicators_by_name(by));
        for (int c = 0; c < FOW_IND_COLUMNS; c++) printf(" %*s", column_width(c), fow_indicator_column_name((fow_indicator_column)c));
        printf(" %10s\n", "compl.rate");
        for (size_t i = 0; i < ind.n_rows; i++) print_row(&ind.rows[i]);
        print_row(&ind.total);
        if (ind.without_consent_suppressed)
            printf("\nLeft out, without statistics consent: suppressed (fewer than %d people).\n", FOW_INDICATORS_K);
        else
            printf("\nLeft out, without statistics consent: %ld people.\n", ind.without_consent);
        printf("Suppressed cells: %ld (of which %ld complementary).\n", ind.suppressed_cells, ind.complementary_cells);
        const fow_indicator_vouchers *v = &ind.vouchers;
        static const char *const names[FOW_IND_V_CELLS] = {"beneficiaries", "vouchers issued", "redeemed",
                                                           "completed after redemption"};
        printf("\nVouchers (the same people, in total):\n");
        for (int c = 0; c < FOW_IND_V_CELLS; c++) {
            if (v->suppressed[c]) printf("  %-28s %10s\n", names[c], "suppressed");
            else printf("  %-28s %10ld\n", names[c], v->value[c]);
        }
        char cost[32];
        if (v->cost_suppressed) printf("  %-28s %10s\n", "cost per completion", "suppressed");
        else if (!v->has_cost) printf("  %-28s %10s\n", "cost per completion", "-");
        else printf("  %-28s %10s %s\n", "cost per completion", fow_money_format(v->cost_per_completion_minor, cost, sizeof cost),
                    v->currency);
        const fow_indicator_labs *l = &ind.labs;
        static const char *const lab_names[FOW_IND_L_CELLS] = {"booked a lab", "used a lab (checked in)",
                                                               "with a lab project"};
        printf("\nCREIC labs (the same people, in total):\n");
        for (int c = 0; c < FOW_IND_L_CELLS; c++) {
            if (l->suppressed[c]) printf("  %-28s %10s\n", lab_names[c], "suppressed");
            else printf("  %-28s %10ld\n", lab_names[c], l->value[c]);
        }
        if (l->suppressed[FOW_IND_L_USED]) printf("  %-28s %10s\n", "hours used", "suppressed");
        else printf("  %-28s %10.2f\n", "hours used", (double)(l->minutes_used * 100 / 60) / 100.0);
    }
    fow_indicators_free(&ind);
    fow_people_close(people);
    fow_training_free(&catalogue);
    fow_db_close(db);
    return rc;
}
