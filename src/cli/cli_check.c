/* cli_check.c — `fow check`: the consistency checks of every module. */
#include <inttypes.h>

#include "cli/cli.h"
#include "service/fow_checks.h"

static const char check_help[] =
    "Usage: fow check [--json]\n"
    "\n"
    "Runs the consistency checks of the database, one line each with ok or failed, the items\n"
    "looked at and the problems found (the first few named by table and row):\n"
    "  taxonomy.relations     occupation-skill relations name existing occupations and skills\n"
    "  taxonomy.parents       nestings name existing occupations; none is its own ancestor\n"
    "  taxonomy.groups        ISCO-08 codes are 1 to 4 digits\n"
    "  taxonomy.labels        labels belong to existing occupations and skills\n"
    "  taxonomy.values        risk and attributes name existing occupations, on their scales\n"
    "  taxonomy.sources       every row names an existing source\n"
    "  taxonomy.inherited     inherited values equal a fresh derivation\n"
    "  taxonomy.search_index  the search index equals the labels folded again\n"
    "  observatory.references employment rows name existing occupations and sources\n"
    "  observatory.employment counted at an ISCO-08 code or an occupation; masked cells have no\n"
    "                         count; no negative counts or wages; no row twice\n"
    "  vouchers.chain         each ledger transfer names the hash of the one before it and hashes\n"
    "                         to its own (SHA-256 of its canonical encoding, docs/vouchers.md)\n"
    "  vouchers.transfers     positive amounts between two different accounts of one currency\n"
    "  vouchers.balances      cached balances equal the sums of the transfers; all sum to zero\n"
    "  vouchers.negative      no account but a fund's is below zero\n"
    "  vouchers.rows          vouchers, claims and providers' accounts agree with the ledger\n"
    "  calls.award_vouchers   every award with a voucher has exactly one, worth the value awarded\n"
    "  calls.award_fits       no award exceeded its budget line's available amount at the time\n"
    "  calls.conflicts        no juror scored an application they declared a conflict with\n"
    "  calls.budget           each call's awarded total is within its budget line's allocation\n"
    "The database is not changed (the last two recompute in a transaction that is rolled back).\n"
    "\n"
    "Exit codes: 0 every check passed, 1 a check failed, 2 a check could not run.\n";

int cli_check(cli_context *ctx, int argc, char **argv) {
    const char *pos[1];
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, NULL, pos, 0, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(check_help, stdout);
        return 0;
    }
    /* the database must exist with the current schema (a read-only open
     * says so otherwise); the checks then need it open for writing, to
     * derive again in a transaction they roll back */
    fow_db *db;
    if ((rc = cli_open_db(ctx, true, &db))) return rc;
    fow_db_close(db);
    if ((rc = cli_open_db(ctx, false, &db))) return rc;
    fow_check_report report;
    fow_check_report_init(&report);
    fow_error err;
    fow_error_clear(&err);
    fow_code code = fow_checks_run(db, &report, &err);
    fow_db_close(db);
    if (code) {
        fow_check_report_free(&report);
        return cli_fail(ctx, &err);
    }
    bool ok = fow_check_report_ok(&report);
    if (ctx->json) {
        json_t *json = fow_checks_json(&report);
        fow_check_report_free(&report);
        if (!json) {
            fputs("fow check: out of memory\n", stderr);
            return CLI_EXIT_INTERNAL;
        }
        int printed = cli_print_json(json);
        return printed ? printed : ok ? CLI_EXIT_OK : CLI_EXIT_USER;
    }
    size_t failed = 0;
    for (size_t i = 0; i < report.n_results; i++) {
        const fow_check_result *c = &report.results[i];
        printf("%-24s %-7s %10" PRIu64 " checked, %" PRIu64 " problem%s\n", c->name, c->problems ? "FAILED" : "ok",
               c->checked, c->problems, c->problems == 1 ? "" : "s");
        for (size_t k = 0; k < c->n_examples; k++) printf("    %s\n", c->examples[k]);
        if (c->problems > c->n_examples) printf("    ... and %" PRIu64 " more\n", c->problems - c->n_examples);
        failed += c->problems != 0;
    }
    if (failed) printf("%zu of %zu checks failed.\n", failed, report.n_results);
    else printf("All %zu checks passed.\n", report.n_results);
    fow_check_report_free(&report);
    return ok ? CLI_EXIT_OK : CLI_EXIT_USER;
}
