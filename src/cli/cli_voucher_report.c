/* cli_voucher_report.c — `fow voucher report`: the voucher office's reports
 * (src/vouchers/fow_voucher_reports.h, docs/vouchers.md "Reports") as a
 * table, JSON (fow_result_voucher_*: the API's documents) or CSV. The
 * command line acts as the voucher office: the outstanding vouchers come
 * with their list. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "service/fow_result.h"
#include "training/fow_training.h"
#include "vouchers/fow_voucher_reports.h"
#include "vouchers/fow_vouchers.h"

static const char report_help[] =
    "Usage: fow voucher report [--by fund|line|call|provider|month] [--csv] [--output FILE]\n"
    "       fow voucher report --costs [--csv] [--output FILE]\n"
    "       fow voucher report --outstanding [--csv] [--output FILE]\n"
    "\n"
    "The voucher office's reports (docs/vouchers.md, \"Reports\"), summed from the ledger's\n"
    "transfers when asked (never from the cached balances alone; the report says how many\n"
    "cached balances differ from the sums, which should be 0).\n"
    "\n"
    "  (default)      per fund, budget line, call, training provider or month: allocated, issued,\n"
    "                 committed (held by vouchers), redeemed (spent), paid, expired (returned to the\n"
    "                 line, with cancellations) and available. allocated = available + committed +\n"
    "                 redeemed. Lab time (bookings of the labs paid by voucher): lab_charged (part of\n"
    "                 redeemed), lab_paid (part of paid) and lab_outstanding (owed to the labs'\n"
    "                 operators, not yet paid). A figure that does not belong to a dimension is '-'.\n"
    "  --costs        cost per completed module and per credential issued: the money paid or\n"
    "                 payable for redemptions whose enrolment was completed, divided by their number,\n"
    "                 per module and in total.\n"
    "  --outstanding  vouchers issued or active that still hold money, by month of their last day,\n"
    "                 and the list (id, budget line, last day, what each holds).\n"
    "\n"
    "Options:\n"
    "  --by D         fund (default), line, call, provider or month\n"
    "  --csv          CSV (RFC 4180) instead of the table (--json: the API's JSON)\n"
    "  --output FILE  write the CSV or JSON to FILE instead of standard output\n"
    "  --db PATH  --json  --help\n";

/* Writes text to FILE (or stdout). */
static int emit(cli_context *ctx, const char *output, const char *text) {
    if (!text) return cli_usage_error(ctx, "out of memory writing the report");
    FILE *out = output ? fopen(output, "wb") : stdout;
    if (!out) return cli_usage_error(ctx, "cannot write %s (--output)", output);
    int rc = fputs(text, out) == EOF ? CLI_EXIT_INTERNAL : 0;
    if (output && fclose(out) != 0 && !rc) rc = cli_usage_error(ctx, "cannot write %s (--output)", output);
    return rc;
}

/* emit, then frees text (malloc'd). */
static int emit_owned(cli_context *ctx, const char *output, char *text) {
    int rc = emit(ctx, output, text);
    free(text);
    return rc;
}

static int emit_json(cli_context *ctx, const char *output, fow_jw *w) {
    if (!output) return cli_print_written(w);
    size_t len = 0;
    char *text = fow_jw_take(w, &len);
    int rc = text ? emit(ctx, output, text) : CLI_EXIT_INTERNAL;
    if (!rc) {
        FILE *out = fopen(output, "ab");
        if (out) {
            fputc('\n', out);
            fclose(out);
        }
    }
    free(text);
    return rc;
}

static void print_source(const fow_voucher_report_source *s) {
    printf("\nSource: %" PRId64 " ledger transfers (up to transfer %" PRId64 "%s%.12s), %" PRId64
           " accounts; cached balances that differ from the sums: %" PRId64 ".\n",
           s->transfers, s->last_transfer, s->last_hash[0] ? ", hash " : "", s->last_hash, s->accounts, s->mismatched);
}

/* The width of column c: the lab columns' names are longer. */
static int column_width(int c) { return c >= FOW_VR_LAB_CHARGED ? 15 : 13; }

static void print_amount(const fow_voucher_report_row *r, int c) {
    char m[32];
    if (!r->applies[c]) printf(" %*s", column_width(c), "-");
    else printf(" %*s", column_width(c), fow_money_format(r->amount[c], m, sizeof m));
}

static void print_report_row(const fow_voucher_report_row *r) {
    printf("%-7.7s ", r->key);
    cli_print_cell(stdout, r->label, 30);
    printf(" %s", r->currency);
    if (r->vouchers < 0) printf(" %8s", "-");
    else printf(" %8" PRId64, r->vouchers);
    for (int c = 0; c < FOW_VR_COLUMNS; c++) print_amount(r, c);
    printf("\n");
}

static int amounts_table(const fow_voucher_report *r) {
    printf("Voucher amounts by %s, summed from the ledger (docs/vouchers.md, \"Reports\")\n\n",
           fow_voucher_report_by_name(r->by));
    printf("%-7s %-30s cur vouchers", fow_voucher_report_by_name(r->by), "");
    for (int c = 0; c < FOW_VR_COLUMNS; c++)
        printf(" %*s", column_width(c), fow_voucher_report_column_name((fow_voucher_report_column)c));
    printf("\n");
    if (r->n_rows == 0) printf("(no rows: no money has moved yet)\n");
    for (size_t i = 0; i < r->n_rows; i++) print_report_row(&r->rows[i]);
    for (size_t i = 0; i < r->n_totals; i++) print_report_row(&r->totals[i]);
    printf("\nallocated = available + committed + redeemed; expired includes cancellations; paid is part of "
           "redeemed;\nlab_charged is part of redeemed, lab_paid of paid; lab_outstanding = lab_charged - lab_paid.\n");
    print_source(&r->source);
    return 0;
}

static void print_cost_row(const fow_voucher_cost_row *r) {
    char a[32], b[32], c[32];
    printf("%-12.12s ", r->module);
    cli_print_cell(stdout, r->title_en, 30);
    printf(" %s %11" PRId64 " %14s %11" PRId64 " %14s %8" PRId64 " %14s\n", r->currency, r->completions,
           r->completions ? fow_money_format(r->cost_per_completion_minor, a, sizeof a) : "-", r->credentials,
           r->credentials ? fow_money_format(r->cost_per_credential_minor, b, sizeof b) : "-", r->waiting,
           fow_money_format(r->waiting_minor, c, sizeof c));
}

static int costs_table(const fow_voucher_costs *c) {
    printf("Cost per completed module and per credential, from the ledger (docs/vouchers.md, \"Reports\")\n\n");
    printf("%-12s %-30s cur completions   per complet. credentials  per credential  waiting   waiting amt\n",
           "module", "");
    if (c->n_rows == 0) printf("(no redemptions yet)\n");
    for (size_t i = 0; i < c->n_rows; i++) print_cost_row(&c->rows[i]);
    for (size_t i = 0; i < c->n_totals; i++) print_cost_row(&c->totals[i]);
    printf("\nMoney paid or payable for completed enrolments (their claims' complete transfers), divided by their\n"
           "number; per credential: the completions a credential was issued for.%s\n",
           c->credentials_read ? "" : " The credentials could not be read: none counted.");
    print_source(&c->source);
    return 0;
}

static int outstanding_table(const fow_voucher_outstanding *o) {
    char m[32];
    printf("Vouchers outstanding on %s, by month of their last day (docs/vouchers.md, \"Reports\")\n\n", o->today);
    printf("month   cur vouchers         amount  past last day\n");
    if (o->n_months == 0) printf("(none)\n");
    for (size_t i = 0; i < o->n_months; i++)
        printf("%-7s %s %8" PRId64 " %14s %14" PRId64 "\n", o->months[i].month, o->months[i].currency,
               o->months[i].vouchers, fow_money_format(o->months[i].amount_minor, m, sizeof m),
               o->months[i].past_last_day);
    for (size_t i = 0; i < o->n_totals; i++)
        printf("%-7s %s %8" PRId64 " %14s %14" PRId64 "\n", "total", o->totals[i].currency, o->totals[i].vouchers,
               fow_money_format(o->totals[i].amount_minor, m, sizeof m), o->totals[i].past_last_day);
    if (o->n_items) printf("\n     id  last day    status  cur        holds  budget line\n");
    for (size_t i = 0; i < o->n_items; i++) {
        const fow_voucher_outstanding_item *it = &o->items[i];
        printf("%7" PRId64 "  %s  %-7s %s %12s  %s%s\n", it->id, it->valid_until, it->status, it->currency,
               fow_money_format(it->balance_minor, m, sizeof m), it->line_label,
               it->past_last_day ? "  (past its last day: fow voucher expire)" : "");
    }
    print_source(&o->source);
    return 0;
}

int cli_voucher_report(cli_context *ctx, int argc, char **argv) {
    ctx->command = "voucher report";
    const char *by_text = NULL, *output = NULL;
    bool costs = false, outstanding = false, csv = false;
    const cli_option options[] = {{"--by", &by_text, NULL},           {"--output", &output, NULL},
                                  {"--costs", NULL, &costs},          {"--outstanding", NULL, &outstanding},
                                  {"--csv", NULL, &csv},              {NULL, NULL, NULL}};
    const char *pos[1];
    int n_pos = 0;
    int rc = cli_parse(ctx, argc, argv, options, pos, 0, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(report_help, stdout);
        return 0;
    }
    fow_voucher_report_by by = FOW_VREPORT_FUND;
    if (by_text && fow_voucher_report_by_parse(by_text, &by))
        return cli_usage_error(ctx, "--by must be fund, line, call, provider or month, not '%s'", by_text);
    if (costs + outstanding + (by_text != NULL) > 1)
        return cli_usage_error(ctx, "give one of --by, --costs and --outstanding");
    if (csv && ctx->json) return cli_usage_error(ctx, "give --csv or --json, not both");
    if (output && !csv && !ctx->json) return cli_usage_error(ctx, "--output writes the --csv or --json output");
    fow_db *db = NULL;
    if ((rc = cli_open_db(ctx, false, &db))) return rc;
    fow_error err;
    fow_error_clear(&err);
    int64_t now = (int64_t)time(NULL);
    fow_jw w;
    if (costs) {
        fow_training_catalogue catalogue;
        fow_voucher_costs c;
        fow_code code = fow_training_load(db, &catalogue, &err);
        bool has_catalogue = code == FOW_OK;
        if (!code) code = fow_voucher_costs_compute(db, &catalogue, now, &c, &err);
        if (code) rc = cli_fail(ctx, &err);
        else if (csv) rc = emit_owned(ctx, output, fow_voucher_costs_csv(&c));
        else if (ctx->json) {
            cli_writer_init(&w);
            fow_result_voucher_costs(&w, &c);
            rc = emit_json(ctx, output, &w);
        } else rc = costs_table(&c);
        if (!code) fow_voucher_costs_free(&c);
        if (has_catalogue) fow_training_free(&catalogue);
    } else if (outstanding) {
        fow_voucher_outstanding o;
        if (fow_voucher_outstanding_compute(db, now, &o, &err)) rc = cli_fail(ctx, &err);
        else if (csv) rc = emit_owned(ctx, output, fow_voucher_outstanding_csv(&o));
        else if (ctx->json) {
            cli_writer_init(&w);
            fow_result_voucher_outstanding(&w, &o, true);
            rc = emit_json(ctx, output, &w);
        } else rc = outstanding_table(&o);
        fow_voucher_outstanding_free(&o);
    } else {
        fow_voucher_report r;
        if (fow_voucher_report_compute(db, by, now, &r, &err)) rc = cli_fail(ctx, &err);
        else if (csv) rc = emit_owned(ctx, output, fow_voucher_report_csv(&r));
        else if (ctx->json) {
            cli_writer_init(&w);
            fow_result_voucher_report(&w, &r);
            rc = emit_json(ctx, output, &w);
        } else rc = amounts_table(&r);
        fow_voucher_report_free(&r);
    }
    fow_db_close(db);
    return rc;
}
