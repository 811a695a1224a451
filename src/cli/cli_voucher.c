/* cli_voucher.c — `fow voucher ...`: funds and budget lines, vouchers,
 * redemption at enrolment, claims and payments, the ledger and its export
 * (src/vouchers, docs/vouchers.md). Like `fow cohort`, the command line runs
 * on the server's machine with its database (and people key file) and acts
 * as the voucher office, named "cli:LOGIN". */
#include <inttypes.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "vouchers/fow_ledger.h"
#include "vouchers/fow_vouchers.h"

static const char voucher_help[] =
    "Usage: fow voucher fund add NAME --currency CUR [--description TEXT]\n"
    "       fow voucher fund list\n"
    "       fow voucher line add FUND --purpose P --year YYYY --amount A [--name TEXT]\n"
    "       fow voucher line top-up LINE --amount A --key KEY\n"
    "       fow voucher line list [--fund FUND]\n"
    "       fow voucher line show LINE\n"
    "       fow voucher ledger export (--json | --csv) [--output FILE]\n"
    "       fow voucher ledger accounts\n"
    "\n"
    "Cluj Experimentation Vouchers (docs/vouchers.md). A fund holds money in one currency; its\n"
    "budget lines, one per purpose and year, receive allocations from it. Every movement of money\n"
    "is a transfer of the ledger: double entry, append-only, each transfer carrying the hash of\n"
    "the one before it (fow check verifies the chain and the balances). Amounts are written in\n"
    "major units with at most two decimals (1500 or 1500.50) and kept in minor units (bani).\n"
    "The command line acts as the voucher office, named cli:LOGIN.\n"
    "\n"
    "  fund add       adds a fund; prints its id.\n"
    "  fund list      the funds, with what they allocated to their lines.\n"
    "  line add       adds FUND's budget line for purpose P (learning_module, lab_time,\n"
    "                 community_facilitation, business_support) and year, allocating amount A to it;\n"
    "                 prints its id.\n"
    "  line top-up    allocates A more to LINE; KEY makes the request idempotent: the same KEY\n"
    "                 again moves nothing more.\n"
    "  line list      the budget lines with their amounts: allocated, available, committed (in\n"
    "                 vouchers), redeemed, returned (expired or cancelled vouchers).\n"
    "  line show      one budget line.\n"
    "  ledger export  the whole ledger (accounts, transfers with their hashes), JSON or CSV, for\n"
    "                 verification by another program (tests/e2e/verify_ledger.py does it in Python).\n"
    "  ledger accounts  every account with its kind, owner and cached balance.\n"
    "\n"
    "Options:\n"
    "  --currency CUR     ISO 4217 code, three upper-case letters (RON)\n"
    "  --purpose P        learning_module, lab_time, community_facilitation or business_support\n"
    "  --year YYYY        2000 to 2100\n"
    "  --amount A         major units, at most two decimals\n"
    "  --key KEY          an idempotency key of your choice (1 to 128 bytes)\n"
    "  --fund FUND        line list: only this fund's lines\n"
    "  --csv              ledger export as CSV (--json: as JSON)\n"
    "  --output FILE      ledger export: write to FILE instead of standard output\n"
    "  --db PATH  --json  --help\n";

typedef struct voucher_args {
    const char *currency, *description, *purpose, *year, *amount, *name, *key, *fund, *output;
    bool csv;
    const char *pos[3];
    int n_pos;
} voucher_args;

/* The fields of the library that a flag of another name sets. */
static const cli_field_flag voucher_field_flags[] = {{"amount_minor", "--amount"}, {"line", "LINE"},
                                                     {"fund", "FUND"},            {NULL, NULL}};

static void actor_name(char *buf, size_t n) {
    const char *login = getenv("USER");
    struct passwd *pw = (!login || !login[0]) ? getpwuid(geteuid()) : NULL;
    if (pw) login = pw->pw_name;
    snprintf(buf, n, "cli:%.56s", login && login[0] ? login : "unknown");
}

/* Parses positional i (named what) as a positive id. */
static int positional_id(cli_context *ctx, const voucher_args *a, int i, const char *what, int64_t *id) {
    if (a->n_pos <= i) return cli_usage_error(ctx, "%s is missing", what);
    char *end;
    long long v = strtoll(a->pos[i], &end, 10);
    if (*end || v <= 0) return cli_usage_error(ctx, "%s must be a positive whole number, not '%s'", what, a->pos[i]);
    *id = v;
    return 0;
}

static int parse_amount(cli_context *ctx, const char *text, int64_t *minor) {
    fow_error err;
    fow_error_clear(&err);
    if (!text) return cli_usage_error(ctx, "--amount is missing");
    if (fow_money_parse(text, "amount", minor, &err)) return cli_fail(ctx, &err);
    return 0;
}

static void print_line_row(const fow_budget_line *l) {
    char alloc[32], avail[32], committed[32], redeemed[32], returned[32];
    printf("%5" PRId64 "  %-24.24s %-22s %4d %s %14s %14s %14s %14s %14s\n", l->id, l->fund_name, l->purpose, l->year,
           l->currency, fow_money_format(l->allocated_minor, alloc, sizeof alloc),
           fow_money_format(l->available_minor, avail, sizeof avail),
           fow_money_format(l->committed_minor, committed, sizeof committed),
           fow_money_format(l->redeemed_minor, redeemed, sizeof redeemed),
           fow_money_format(l->returned_minor, returned, sizeof returned));
}

static const char line_head[] = "   id  fund                     purpose                year cur      allocated      "
                                "available      committed       redeemed       returned\n";

/* ---- fund ---- */

static int fund_command(cli_context *ctx, voucher_args *a) {
    if (a->n_pos < 1) return cli_usage_error(ctx, "say add or list");
    fow_db *db;
    fow_error err;
    fow_error_clear(&err);
    char actor[64];
    actor_name(actor, sizeof actor);
    int rc;
    if (strcmp(a->pos[0], "add") == 0) {
        if (a->n_pos < 2) return cli_usage_error(ctx, "the fund's NAME is missing");
        if (!a->currency) return cli_usage_error(ctx, "--currency is missing");
        if ((rc = cli_open_db(ctx, false, &db))) return rc;
        int64_t id;
        fow_voucher_fund f;
        if (fow_voucher_fund_create(db, a->pos[1], a->currency, a->description, actor, (int64_t)time(NULL), &id,
                                    &err) ||
            fow_voucher_fund_get(db, id, &f, &err))
            rc = cli_fail(ctx, &err);
        else if (ctx->json) {
            fow_jw w;
            cli_writer_init(&w);
            fow_voucher_fund_write(&w, &f);
            rc = cli_print_written(&w);
        } else
            printf("%" PRId64 "\n", id);
        fow_db_close(db);
        return rc;
    }
    if (strcmp(a->pos[0], "list") != 0) return cli_usage_error(ctx, "unknown fund action '%s': use add or list", a->pos[0]);
    if ((rc = cli_open_db(ctx, true, &db))) return rc;
    fow_voucher_fund *list = NULL;
    size_t n = 0;
    if (fow_voucher_funds_list(db, &list, &n, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_jw_object(&w);
        fow_jw_key(&w, "funds");
        fow_jw_array(&w);
        for (size_t i = 0; i < n; i++) fow_voucher_fund_write(&w, &list[i]);
        fow_jw_array_end(&w);
        fow_jw_kint(&w, "count", (long long)n);
        fow_jw_object_end(&w);
        rc = cli_print_written(&w);
    } else if (n == 0) {
        printf("No funds yet: add one with fow voucher fund add NAME --currency RON\n");
    } else {
        printf("   id  %-40s cur      allocated\n", "name");
        for (size_t i = 0; i < n; i++) {
            char m[32];
            printf("%5" PRId64 "  %-40.40s %s %14s\n", list[i].id, list[i].name, list[i].currency,
                   fow_money_format(list[i].allocated_minor, m, sizeof m));
        }
    }
    free(list);
    fow_db_close(db);
    return rc;
}

/* ---- line ---- */

static int line_print(cli_context *ctx, fow_db *db, int64_t id) {
    fow_budget_line l;
    fow_error err;
    fow_error_clear(&err);
    if (fow_budget_line_get(db, id, &l, &err)) return cli_fail(ctx, &err);
    if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_budget_line_write(&w, &l);
        return cli_print_written(&w);
    }
    fputs(line_head, stdout);
    print_line_row(&l);
    return 0;
}

static int line_command(cli_context *ctx, voucher_args *a) {
    if (a->n_pos < 1) return cli_usage_error(ctx, "say add, top-up, list or show");
    fow_db *db;
    fow_error err;
    fow_error_clear(&err);
    char actor[64];
    actor_name(actor, sizeof actor);
    int rc;
    int64_t id = 0, amount = 0;
    const char *action = a->pos[0];
    if (strcmp(action, "add") == 0) {
        int64_t fund;
        if ((rc = positional_id(ctx, a, 1, "FUND", &fund))) return rc;
        if (!a->purpose) return cli_usage_error(ctx, "--purpose is missing");
        if (!a->year) return cli_usage_error(ctx, "--year is missing");
        char *end;
        long year = strtol(a->year, &end, 10);
        if (*end || end == a->year) return cli_usage_error(ctx, "--year must be a year such as 2027, not '%s'", a->year);
        if ((rc = parse_amount(ctx, a->amount, &amount))) return rc;
        if ((rc = cli_open_db(ctx, false, &db))) return rc;
        if (fow_budget_line_add(db, fund, a->purpose, (int)year, amount, a->name, actor, (int64_t)time(NULL), &id,
                                &err))
            rc = cli_fail(ctx, &err);
        else if (ctx->json)
            rc = line_print(ctx, db, id);
        else
            printf("%" PRId64 "\n", id);
        fow_db_close(db);
        return rc;
    }
    if (strcmp(action, "top-up") == 0) {
        if ((rc = positional_id(ctx, a, 1, "LINE", &id))) return rc;
        if ((rc = parse_amount(ctx, a->amount, &amount))) return rc;
        if (!a->key) return cli_usage_error(ctx, "--key is missing: choose one, so that a retry moves nothing more");
        if ((rc = cli_open_db(ctx, false, &db))) return rc;
        if (fow_budget_line_top_up(db, id, amount, a->key, actor, (int64_t)time(NULL), &err))
            rc = cli_fail(ctx, &err);
        else
            rc = line_print(ctx, db, id);
        fow_db_close(db);
        return rc;
    }
    if (strcmp(action, "show") == 0) {
        if ((rc = positional_id(ctx, a, 1, "LINE", &id))) return rc;
        if ((rc = cli_open_db(ctx, true, &db))) return rc;
        rc = line_print(ctx, db, id);
        fow_db_close(db);
        return rc;
    }
    if (strcmp(action, "list") != 0)
        return cli_usage_error(ctx, "unknown line action '%s': use add, top-up, list or show", action);
    int64_t fund = 0;
    if (a->fund) {
        char *end;
        fund = strtoll(a->fund, &end, 10);
        if (*end || fund <= 0) return cli_usage_error(ctx, "--fund must be a fund's id, not '%s'", a->fund);
    }
    if ((rc = cli_open_db(ctx, true, &db))) return rc;
    fow_budget_line *list = NULL;
    size_t n = 0;
    if (fow_budget_lines_list(db, fund, &list, &n, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_jw_object(&w);
        fow_jw_key(&w, "lines");
        fow_jw_array(&w);
        for (size_t i = 0; i < n; i++) fow_budget_line_write(&w, &list[i]);
        fow_jw_array_end(&w);
        fow_jw_kint(&w, "count", (long long)n);
        fow_jw_object_end(&w);
        rc = cli_print_written(&w);
    } else if (n == 0) {
        printf("No budget lines yet: add one with fow voucher line add FUND --purpose P --year Y --amount A\n");
    } else {
        fputs(line_head, stdout);
        for (size_t i = 0; i < n; i++) print_line_row(&list[i]);
        printf("\nFrom the ledger: available = the line's account; committed = its vouchers' balances; redeemed =\n"
               "redemptions less refunds; returned = expired and cancelled vouchers' rests. Major units.\n");
    }
    free(list);
    fow_db_close(db);
    return rc;
}

/* ---- ledger ---- */

static int print_account(const fow_ledger_account *acc, void *ctx) {
    (void)ctx;
    char m[32];
    printf("%7" PRId64 "  %-10s %8" PRId64 "  %s %16s %9" PRId64 "%s\n", acc->id, acc->kind, acc->owner_id,
           acc->currency, fow_money_format(acc->balance_minor, m, sizeof m), acc->transfers,
           acc->may_go_negative ? "  (may go negative)" : "");
    return 0;
}

static int ledger_command(cli_context *ctx, voucher_args *a) {
    if (a->n_pos < 1) return cli_usage_error(ctx, "say export or accounts");
    fow_db *db;
    fow_error err;
    fow_error_clear(&err);
    int rc;
    if (strcmp(a->pos[0], "accounts") == 0) {
        if ((rc = cli_open_db(ctx, true, &db))) return rc;
        printf("     id  kind          owner  cur          balance transfers\n");
        if (fow_ledger_accounts_each(db, print_account, NULL, &err)) rc = cli_fail(ctx, &err);
        fow_db_close(db);
        return rc;
    }
    if (strcmp(a->pos[0], "export") != 0)
        return cli_usage_error(ctx, "unknown ledger action '%s': use export or accounts", a->pos[0]);
    if (ctx->json == a->csv) return cli_usage_error(ctx, "say --json or --csv");
    if ((rc = cli_open_db(ctx, true, &db))) return rc;
    FILE *out = stdout;
    if (a->output && !(out = fopen(a->output, "wb"))) {
        fow_db_close(db);
        return cli_usage_error(ctx, "cannot write %s (--output)", a->output);
    }
    if (fow_ledger_export(db, a->csv, out, &err)) rc = cli_fail(ctx, &err);
    if (out != stdout && fclose(out) != 0 && !rc) rc = cli_usage_error(ctx, "cannot write %s (--output)", a->output);
    fow_db_close(db);
    return rc;
}

int cli_voucher(cli_context *ctx, int argc, char **argv) {
    static const struct {
        const char *name, *command;
        int max_pos;
    } subs[] = {
        {"fund", "voucher fund", 2},
        {"line", "voucher line", 2},
        {"ledger", "voucher ledger", 1},
    };
    ctx->command = "voucher";
    if (argc == 0 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        fputs(voucher_help, argc == 0 ? stderr : stdout);
        return argc == 0 ? CLI_EXIT_USER : 0;
    }
    int sub = -1;
    for (int s = 0; s < (int)(sizeof subs / sizeof subs[0]); s++)
        if (strcmp(argv[0], subs[s].name) == 0) sub = s;
    if (sub < 0) return cli_usage_error(ctx, "unknown subcommand '%s': use fund, line or ledger", argv[0]);
    ctx->command = subs[sub].command;
    ctx->field_flags = voucher_field_flags;
    voucher_args a = {0};
    const cli_option options[] = {{"--currency", &a.currency, NULL},
                                  {"--description", &a.description, NULL},
                                  {"--purpose", &a.purpose, NULL},
                                  {"--year", &a.year, NULL},
                                  {"--amount", &a.amount, NULL},
                                  {"--name", &a.name, NULL},
                                  {"--key", &a.key, NULL},
                                  {"--fund", &a.fund, NULL},
                                  {"--output", &a.output, NULL},
                                  {"--csv", NULL, &a.csv},
                                  {NULL, NULL, NULL}};
    int rc = cli_parse(ctx, argc - 1, argv + 1, options, a.pos, subs[sub].max_pos, &a.n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(voucher_help, stdout);
        return 0;
    }
    switch (sub) {
    case 0: return fund_command(ctx, &a);
    case 1: return line_command(ctx, &a);
    default: return ledger_command(ctx, &a);
    }
}
