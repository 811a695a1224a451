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

#include "accounts/fow_accounts.h"
#include "base/fow_qr.h"
#include "cli/cli.h"
#include "credentials/fow_credentials.h"
#include "service/fow_result.h"
#include "training/fow_training.h"
#include "vouchers/fow_ledger.h"
#include "vouchers/fow_vouchers.h"

static const char voucher_help[] =
    "Usage: fow voucher fund add NAME --currency CUR [--description TEXT]\n"
    "       fow voucher fund list\n"
    "       fow voucher line add FUND --purpose P --year YYYY --amount A [--name TEXT]\n"
    "       fow voucher line top-up LINE --amount A --key KEY\n"
    "       fow voucher line list [--fund FUND]\n"
    "       fow voucher line show LINE\n"
    "       fow voucher issue LINE PERSON --value A --valid-from DATE --valid-until DATE [--active]\n"
    "       fow voucher issue LINE --enterprise NAME --code CUI --value A --valid-from DATE ...\n"
    "                         [--providers ID,...] [--modules CODE,...] [--min-attendance N]\n"
    "                         [--award REF] [--note TEXT] [--key KEY]\n"
    "       fow voucher show VOUCHER\n"
    "       fow voucher list [--person PERSON] [--line LINE] [--status S]\n"
    "       fow voucher activate VOUCHER\n"
    "       fow voucher cancel VOUCHER --reason TEXT\n"
    "       fow voucher expire --as-of DATE\n"
    "       fow voucher redeem CODE COHORT --key KEY [--amount A] [--provider ID]\n"
    "       fow voucher refund REDEMPTION --reason TEXT\n"
    "       fow voucher claims [settle] [--provider ID] [--status S]\n"
    "       fow voucher pay batch [--currency CUR] [--key KEY] | approve BATCH | show BATCH | list\n"
    "       fow voucher pay export BATCH [--format csv|sepa] [--output FILE]\n"
    "                              [--debtor-name NAME --debtor-iban IBAN [--debtor-bic BIC]]\n"
    "       fow voucher lab-charges [--state S] [--provider ID] [--batch BATCH]\n"
    "       fow voucher provider-bank PROVIDER [--iban IBAN [--bic BIC]]\n"
    "       fow voucher ledger export (--json | --csv) [--output FILE]\n"
    "       fow voucher ledger accounts\n"
    "       fow voucher report [--by fund|line|call|provider|month] [--costs] [--outstanding] [--csv]\n"
    "                          [--output FILE]\n"
    "       fow voucher qr VOUCHER [--output FILE] [--format svg|pbm] [--origin URL]\n"
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
    "  issue          issues a voucher from LINE to PERSON (an id of fow person list, with the\n"
    "                 vouchers consent) or to an enterprise (--enterprise: its name, --code: its\n"
    "                 registration code, CUI, with or without RO; only from a business_support or\n"
    "                 lab_time line), committing its value A from the line; prints its code. It is\n"
    "                 redeemable from --valid-from to --valid-until (both included) once active.\n"
    "                 --providers / --modules limit where it can be spent (default: anywhere);\n"
    "                 --min-attendance (default 80) is the attendance in percent that makes a claim\n"
    "                 payable; --key makes the request idempotent.\n"
    "  show           one voucher (VOUCHER: its id or its code) with its balance from the ledger.\n"
    "  list           the vouchers, newest first (S: issued, active, expired, cancelled).\n"
    "  activate       makes an issued voucher redeemable.\n"
    "  cancel         cancels a voucher; what is left goes back to its budget line.\n"
    "  expire         expires every voucher whose last day is before DATE; their rests go back to\n"
    "                 their budget lines. Running it again changes nothing.\n"
    "  redeem         redeems voucher CODE for its beneficiary's enrolment in COHORT: the enrolment\n"
    "                 (a seat, not the waiting list) and the redemption happen together or not at\n"
    "                 all. A: the module's cost when not given (never more). KEY: your request's\n"
    "                 idempotency key; the same KEY again returns the first redemption.\n"
    "  refund         returns a redemption not yet payable to its voucher (the enrolment stays).\n"
    "  claims         the providers' claims (S: redeemed, payable, batched, paid, refunded);\n"
    "                 settle: every claim whose enrolment is completed becomes payable when the\n"
    "                 attendance reaches the voucher's minimum, else goes back to the voucher.\n"
    "  pay            batch: gathers the payable claims and the payable lab charges into a draft\n"
    "                 payment batch (--key: the same KEY again returns that batch, gathers nothing);\n"
    "                 approve: pays the batch (ledger transfers to the providers' and the labs'\n"
    "                 operators' paid accounts); show: a batch with its claims and lab charges;\n"
    "                 list; export: the batch as CSV for the city's accounting, one row per payee; with\n"
    "                 --format sepa, an approved batch as an ISO 20022 pain.001.001.03 payment file\n"
    "                 (one credit transfer per provider to its recorded IBAN, from the account\n"
    "                 --debtor-name/--debtor-iban/--debtor-bic; NbOfTxs and CtrlSum in its header).\n"
    "  lab-charges    lab bookings paid by lab_time vouchers (fow lab book --payment voucher), payable\n"
    "                 to the lab's operator (a provider) once the booked slot has ended (S: pending,\n"
    "                 payable, batched, paid, refunded), with totals per state; a payment batch pays\n"
    "                 them as it pays claims. A charge in a batch cannot be refunded.\n"
    "  provider-bank  shows the bank account recorded for training PROVIDER (an id of fow modules\n"
    "                 --json), or records it: --iban (checked mod 97) and --bic.\n"
    "  ledger export  the whole ledger (accounts, transfers with their hashes), JSON or CSV, for\n"
    "                 verification by another program (tests/e2e/verify_ledger.py does it in Python).\n"
    "  ledger accounts  every account with its kind, owner and cached balance.\n"
    "  report         the office's reports, summed from the ledger's transfers: amounts per fund,\n"
    "                 line, call, provider or month (allocated, issued, committed, redeemed, paid,\n"
    "                 expired, available); --costs: cost per completed module and per credential;\n"
    "                 --outstanding: vouchers still holding money, by month of expiry, and their list.\n"
    "                 fow voucher report --help tells more.\n"
    "  qr             the QR code of the voucher's redemption address, URL/#/redeem?code=CODE, for\n"
    "                 its beneficiary to show a provider: an SVG image (--format pbm: a PBM bitmap,\n"
    "                 8 pixels a module); URL is the site's address set with fow credential issuer\n"
    "                 --url unless --origin gives another.\n"
    "\n"
    "Options:\n"
    "  --currency CUR     ISO 4217 code, three upper-case letters (RON)\n"
    "  --purpose P        learning_module, lab_time, community_facilitation or business_support\n"
    "  --year YYYY        2000 to 2100\n"
    "  --amount A         major units, at most two decimals\n"
    "  --key KEY          an idempotency key of your choice (1 to 128 bytes)\n"
    "  --fund FUND        line list: only this fund's lines\n"
    "  --value A          issue: the voucher's value, major units\n"
    "  --enterprise NAME  issue: the enterprise the voucher is for;  --code CUI  its registration code\n"
    "  --valid-from, --valid-until DATE  YYYY-MM-DD\n"
    "  --as-of DATE       expire: vouchers whose last day is before DATE\n"
    "  --reason TEXT      cancel, refund: why (kept in the ledger)\n"
    "  --provider ID      redeem: the training provider redeeming (must run the module);\n"
    "                     claims, lab-charges: only this provider's\n"
    "  --state S          lab-charges: only those in state S\n"
    "  --batch BATCH      lab-charges: only those of payment batch BATCH\n"
    "  --csv              ledger export as CSV (--json: as JSON)\n"
    "  --output FILE      ledger export, pay export, qr: write to FILE instead of standard output\n"
    "  --format F         pay export: csv (default) or sepa; qr: svg (default) or pbm\n"
    "  --origin URL       qr: the site's address (http:// or https://, no trailing /)\n"
    "  --debtor-name, --debtor-iban, --debtor-bic  pay export --format sepa: the paying account\n"
    "  --iban, --bic      provider-bank: the provider's account (spaces allowed in the IBAN)\n"
    "  --db PATH  --json  --help\n";

typedef struct voucher_args {
    const char *currency, *description, *purpose, *year, *amount, *name, *key, *fund, *output;
    const char *value, *valid_from, *valid_until, *providers, *modules, *min_attendance, *award, *note, *person,
        *line, *status, *as_of, *reason, *provider, *enterprise, *enterprise_code, *state, *batch;
    const char *format, *debtor_name, *debtor_iban, *debtor_bic, *iban, *bic, *origin;
    bool csv, active;
    const char *pos[3];
    int n_pos;
} voucher_args;

/* The fields of the library that a flag of another name sets. */
static const cli_field_flag voucher_field_flags[] = {
    {"min_attendance_percent", "--min-attendance"}, {"award_ref", "--award"}, {"value", "--value"},
    {"valid_from", "--valid-from"}, {"valid_until", "--valid-until"}, {"as_of", "--as-of"},
    {"providers", "--providers"}, {"modules", "--modules"}, {"provider", "--provider"},
    {"debtor_name", "--debtor-name"}, {"debtor_iban", "--debtor-iban"}, {"debtor_bic", "--debtor-bic"},
    {"iban", "--iban"}, {"bic", "--bic"}, {"enterprise_name", "--enterprise"}, {"enterprise_code", "--code"},
    {NULL, NULL}};

static void actor_name(char *buf, size_t n) {
    const char *login = getenv("USER");
    struct passwd *pw = (!login || !login[0]) ? getpwuid(geteuid()) : NULL;
    if (pw) login = pw->pw_name;
    snprintf(buf, n, "cli:%.56s", login && login[0] ? login : "unknown");
}

/* Who acts in a voucher command that writes (the office, cli:LOGIN) and
 * its error. */
typedef struct office {
    char actor[64];
    fow_error err;
} office;

static office office_of(void) {
    office o;
    fow_error_clear(&o.err);
    actor_name(o.actor, sizeof o.actor);
    return o;
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

/* Parses an optional option's value (flag) as a positive id, 0 when
 * absent; what names the thing (a fund's, a provider's...). */
static int option_id(cli_context *ctx, const char *text, const char *flag, const char *what, int64_t *id) {
    *id = 0;
    if (!text) return 0;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (*end || end == text || v <= 0) return cli_usage_error(ctx, "%s must be %s id, not '%s'", flag, what, text);
    *id = v;
    return 0;
}

typedef void (*item_writer)(fow_jw *w, const void *item);

/* Prints one item as JSON with its writer. */
static int print_json_item(item_writer write, const void *item) {
    fow_jw w;
    cli_writer_init(&w);
    write(&w, item);
    return cli_print_written(&w);
}

/* Prints {"key": [items...], "count": n} (n items of size bytes). */
static int print_json_list(const char *key, item_writer write, const void *items, size_t n, size_t size) {
    fow_jw w;
    cli_writer_init(&w);
    fow_jw_object(&w);
    fow_jw_key(&w, key);
    fow_jw_array(&w);
    for (size_t i = 0; i < n; i++) write(&w, (const char *)items + i * size);
    fow_jw_array_end(&w);
    fow_jw_kint(&w, "count", (long long)n);
    fow_jw_object_end(&w);
    return cli_print_written(&w);
}

/* The item writers of fow_vouchers.h under the one signature above. */
static void write_fund(fow_jw *w, const void *item) { fow_voucher_fund_write(w, item); }
static void write_line(fow_jw *w, const void *item) { fow_budget_line_write(w, item); }
static void write_voucher(fow_jw *w, const void *item) { fow_voucher_write(w, item); }
static void write_redemption(fow_jw *w, const void *item) { fow_redemption_write(w, item); }
static void write_batch(fow_jw *w, const void *item) { fow_payment_batch_write(w, item); }

static fow_code export_ledger(fow_db *db, FILE *out, const void *csv, fow_error *err) {
    return fow_ledger_export(db, *(const bool *)csv, out, err);
}

/* What fow voucher pay export writes: a batch, as CSV or as a SEPA file. */
typedef struct batch_export {
    int64_t id;
    bool sepa;
    fow_sepa_debtor debtor;
} batch_export;

static fow_code export_batch(fow_db *db, FILE *out, const void *arg, fow_error *err) {
    const batch_export *e = arg;
    if (e->sepa) return fow_payment_batch_export_sepa(db, e->id, &e->debtor, (int64_t)time(NULL), out, err);
    return fow_payment_batch_export(db, e->id, out, err);
}

/* Runs export(db, out, arg) into --output (a file) or standard output. */
static int export_to(cli_context *ctx, const char *output, fow_code (*export)(fow_db *, FILE *, const void *, fow_error *),
                     fow_db *db, const void *arg) {
    fow_error err;
    fow_error_clear(&err);
    FILE *out = stdout;
    if (output && !(out = fopen(output, "wb"))) return cli_usage_error(ctx, "cannot write %s (--output)", output);
    int rc = export(db, out, arg, &err) ? cli_fail(ctx, &err) : 0;
    if (out != stdout && fclose(out) != 0 && !rc) rc = cli_usage_error(ctx, "cannot write %s (--output)", output);
    return rc;
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
    office o = office_of();
    int rc;
    if (strcmp(a->pos[0], "add") == 0) {
        if (a->n_pos < 2) return cli_usage_error(ctx, "the fund's NAME is missing");
        if (!a->currency) return cli_usage_error(ctx, "--currency is missing");
        if ((rc = cli_open_db(ctx, false, &db))) return rc;
        int64_t id = 0;
        fow_voucher_fund f;
        if (fow_voucher_fund_create(db, a->pos[1], a->currency, a->description, o.actor, (int64_t)time(NULL), &id,
                                    &o.err) ||
            fow_voucher_fund_get(db, id, &f, &o.err))
            rc = cli_fail(ctx, &o.err);
        else if (ctx->json) {
            rc = print_json_item(write_fund, &f);
        } else
            printf("%" PRId64 "\n", id);
        fow_db_close(db);
        return rc;
    }
    if (strcmp(a->pos[0], "list") != 0) return cli_usage_error(ctx, "unknown fund action '%s': use add or list", a->pos[0]);
    if ((rc = cli_open_db(ctx, true, &db))) return rc;
    fow_voucher_fund *list = NULL;
    size_t n = 0;
    if (fow_voucher_funds_list(db, &list, &n, &o.err)) {
        rc = cli_fail(ctx, &o.err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_result_voucher_funds(&w, list, n);
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
        return print_json_item(write_line, &l);
    }
    fputs(line_head, stdout);
    print_line_row(&l);
    return 0;
}

static int line_command(cli_context *ctx, voucher_args *a) {
    if (a->n_pos < 1) return cli_usage_error(ctx, "say add, top-up, list or show");
    fow_db *db;
    office o = office_of();
    int rc;
    int64_t id = 0, amount = 0;
    const char *action = a->pos[0];
    if (strcmp(action, "add") == 0) {
        int64_t fund = 0;
        if ((rc = positional_id(ctx, a, 1, "FUND", &fund))) return rc;
        if (!a->purpose) return cli_usage_error(ctx, "--purpose is missing");
        if (!a->year) return cli_usage_error(ctx, "--year is missing");
        char *end;
        long year = strtol(a->year, &end, 10);
        if (*end || end == a->year) return cli_usage_error(ctx, "--year must be a year such as 2027, not '%s'", a->year);
        if ((rc = parse_amount(ctx, a->amount, &amount))) return rc;
        if ((rc = cli_open_db(ctx, false, &db))) return rc;
        if (fow_budget_line_add(db, fund, a->purpose, (int)year, amount, a->name, o.actor, (int64_t)time(NULL), &id,
                                &o.err))
            rc = cli_fail(ctx, &o.err);
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
        if (fow_budget_line_top_up(db, id, amount, a->key, o.actor, (int64_t)time(NULL), &o.err))
            rc = cli_fail(ctx, &o.err);
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
    if ((rc = option_id(ctx, a->fund, "--fund", "a fund's", &fund))) return rc;
    if ((rc = cli_open_db(ctx, true, &db))) return rc;
    fow_budget_line *list = NULL;
    size_t n = 0;
    if (fow_budget_lines_list(db, fund, &list, &n, &o.err)) {
        rc = cli_fail(ctx, &o.err);
    } else if (ctx->json) {
        rc = print_json_list("lines", write_line, list, n, sizeof *list);
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
    rc = export_to(ctx, a->output, export_ledger, db, &a->csv);
    fow_db_close(db);
    return rc;
}

/* ---- vouchers ---- */

/* What the voucher commands need: the database, the catalogue, people. */
typedef struct voucher_env {
    fow_db *db;
    fow_people *people;
    fow_training_catalogue catalogue;
    bool has_catalogue;
    fow_cohort_actor who;
    char actor[64];
} voucher_env;

static void env_close(voucher_env *e) {
    if (e->has_catalogue) fow_training_free(&e->catalogue);
    fow_people_close(e->people);
    fow_db_close(e->db);
}

static int env_open(cli_context *ctx, voucher_env *e, bool people) {
    memset(e, 0, sizeof *e);
    actor_name(e->actor, sizeof e->actor);
    e->who = (fow_cohort_actor){.staff = {.name = e->actor, .organisation = "", .all_organisations = true},
                                .role = FOW_ROLE_ADMIN};
    int rc = cli_open_db(ctx, false, &e->db);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_code code = fow_training_load(e->db, &e->catalogue, &err);
    e->has_catalogue = code == FOW_OK;
    if (!code && people) {
        char key_path[4096];
        code = fow_people_key_path(ctx->db_path, key_path, sizeof key_path, &err);
        if (!code) code = fow_people_open(e->db, key_path, &e->people, &err);
    }
    if (code) {
        env_close(e);
        return cli_fail(ctx, &err);
    }
    return 0;
}

/* Voucher VOUCHER (an id or a code) into *v. */
static int find_voucher(cli_context *ctx, fow_db *db, const char *text, fow_voucher *v) {
    fow_error err;
    fow_error_clear(&err);
    char *end;
    long long id = strtoll(text, &end, 10);
    fow_code rc = (*end == '\0' && id > 0) ? fow_voucher_get(db, id, v, &err) : fow_voucher_by_code(db, text, v, &err);
    return rc ? cli_fail(ctx, &err) : 0;
}

static void print_voucher(const fow_voucher *v) {
    char value[32], balance[32], redeemed[32], returned[32];
    printf("Voucher %s (id %" PRId64 "), %s\n", v->code, v->id, v->status);
    if (strcmp(v->beneficiary_kind, "enterprise") == 0)
        printf("  enterprise %s (CUI %s), budget line %" PRId64 " (%s)\n", v->enterprise_name, v->enterprise_code,
               v->line_id, v->purpose);
    else
        printf("  person %s, budget line %" PRId64 " (%s)\n", v->person, v->line_id, v->purpose);
    printf("  value %s %s: %s left, %s redeemed, %s returned to the line\n",
           fow_money_format(v->value_minor, value, sizeof value), v->currency,
           fow_money_format(v->balance_minor, balance, sizeof balance),
           fow_money_format(v->redeemed_minor, redeemed, sizeof redeemed),
           fow_money_format(v->returned_minor, returned, sizeof returned));
    printf("  valid %s to %s; claims payable at %d%% attendance\n", v->valid_from, v->valid_until,
           v->min_attendance_percent);
    printf("  providers: ");
    if (!v->n_providers) printf("any");
    for (size_t i = 0; i < v->n_providers; i++) printf("%s%" PRId64, i ? ", " : "", v->providers[i]);
    printf("; modules: ");
    if (!v->n_modules) printf("any");
    for (size_t i = 0; i < v->n_modules; i++) printf("%s%s", i ? ", " : "", v->modules[i]);
    printf("\n  issued by %s%s%s%s%s\n", v->issued_by, v->award_ref[0] ? " for " : "", v->award_ref,
           v->note[0] ? "; note: " : "", v->note);
}

static int voucher_result(cli_context *ctx, const fow_voucher *v) {
    if (ctx->json) {
        return print_json_item(write_voucher, v);
    }
    print_voucher(v);
    return 0;
}

/* Splits a comma-separated list in place into items (at most max). */
static size_t split_list(char *text, char **items, size_t max) {
    size_t n = 0;
    for (char *save = NULL, *t = strtok_r(text, ",", &save); t && n < max + 1; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ') t++;
        if (*t) items[n++] = t;
    }
    return n;
}

static int voucher_issue(cli_context *ctx, voucher_args *a) {
    int64_t line = 0;
    int rc = positional_id(ctx, a, 0, "LINE", &line);
    if (rc) return rc;
    bool enterprise = a->enterprise || a->enterprise_code;
    if (enterprise && a->n_pos >= 2)
        return cli_usage_error(ctx, "a voucher is for PERSON or for an enterprise (--enterprise, --code), not both");
    if (enterprise && !a->enterprise) return cli_usage_error(ctx, "an enterprise's voucher needs --enterprise NAME");
    if (enterprise && !a->enterprise_code) return cli_usage_error(ctx, "an enterprise's voucher needs --code CUI");
    if (!enterprise && a->n_pos < 2) return cli_usage_error(ctx, "PERSON (or --enterprise NAME --code CUI) is missing");
    if (!a->value) return cli_usage_error(ctx, "--value is missing");
    if (!a->valid_from || !a->valid_until) return cli_usage_error(ctx, "--valid-from and --valid-until are needed");
    fow_error err;
    fow_error_clear(&err);
    int64_t value;
    if (fow_money_parse(a->value, "value", &value, &err)) return cli_fail(ctx, &err);
    char providers_text[1024] = "", modules_text[2048] = "";
    char *provider_items[FOW_VOUCHER_MAX_ALLOWED + 1], *module_items[FOW_VOUCHER_MAX_ALLOWED + 1];
    int64_t providers[FOW_VOUCHER_MAX_ALLOWED + 1];
    size_t n_providers = 0, n_modules = 0;
    if (a->providers) {
        snprintf(providers_text, sizeof providers_text, "%s", a->providers);
        n_providers = split_list(providers_text, provider_items, FOW_VOUCHER_MAX_ALLOWED);
        for (size_t i = 0; i < n_providers; i++) {
            char *end;
            providers[i] = strtoll(provider_items[i], &end, 10);
            if (*end || providers[i] <= 0)
                return cli_usage_error(ctx, "--providers is a list of provider ids, not '%s'", provider_items[i]);
        }
    }
    if (a->modules) {
        snprintf(modules_text, sizeof modules_text, "%s", a->modules);
        n_modules = split_list(modules_text, module_items, FOW_VOUCHER_MAX_ALLOWED);
    }
    long min_attendance = -1;
    if (a->min_attendance && (rc = cli_parse_size(ctx, "--min-attendance", a->min_attendance, 0, 100, &min_attendance)))
        return rc;
    voucher_env e;
    if ((rc = env_open(ctx, &e, true))) return rc;
    fow_voucher_issue_in in = {.line_id = line,
                               .beneficiary = enterprise ? FOW_BENEFICIARY_ENTERPRISE : FOW_BENEFICIARY_PERSON,
                               .person = enterprise ? NULL : a->pos[1],
                               .enterprise_code = a->enterprise_code,
                               .enterprise_name = a->enterprise,
                               .value_minor = value,
                               .valid_from = a->valid_from,
                               .valid_until = a->valid_until,
                               .providers = providers,
                               .n_providers = n_providers,
                               .modules = (const char *const *)module_items,
                               .n_modules = n_modules,
                               .min_attendance_percent = (int)min_attendance,
                               .award_ref = a->award,
                               .note = a->note,
                               .key = a->key,
                               .active = a->active};
    fow_voucher v;
    if (fow_voucher_issue(e.db, e.people, &e.who.staff, &e.catalogue, &in, e.actor, (int64_t)time(NULL), &v, &err))
        rc = cli_fail(ctx, &err);
    else if (ctx->json)
        rc = voucher_result(ctx, &v);
    else
        printf("%s\n", v.code);
    env_close(&e);
    return rc;
}

static int voucher_show(cli_context *ctx, voucher_args *a) {
    if (a->n_pos < 1) return cli_usage_error(ctx, "VOUCHER (an id or a code) is missing");
    fow_db *db;
    int rc = cli_open_db(ctx, true, &db);
    if (rc) return rc;
    fow_voucher v;
    if (!(rc = find_voucher(ctx, db, a->pos[0], &v))) rc = voucher_result(ctx, &v);
    fow_db_close(db);
    return rc;
}

static int voucher_list(cli_context *ctx, voucher_args *a) {
    int64_t line = 0;
    int rc = option_id(ctx, a->line, "--line", "a budget line's", &line);
    if (rc) return rc;
    fow_db *db;
    if ((rc = cli_open_db(ctx, true, &db))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_voucher *list = NULL;
    size_t n = 0;
    if (fow_vouchers_list(db, a->person, line, a->status, &list, &n, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_result_vouchers(&w, list, n);
        rc = cli_print_written(&w);
    } else if (n == 0) {
        printf("No vouchers%s.\n", a->person || a->line || a->status ? " match" : " yet");
    } else {
        printf("%-23s %-9s %-27s %-10s %12s %12s  %s\n", "code", "status", "beneficiary", "valid until", "value", "left",
               "cur");
        for (size_t i = 0; i < n; i++) {
            char value[32], left[32];
            char whom[40];
            if (strcmp(list[i].beneficiary_kind, "enterprise") == 0)
                snprintf(whom, sizeof whom, "CUI %.12s", list[i].enterprise_code); /* the name: fow voucher show */
            else
                snprintf(whom, sizeof whom, "%.27s", list[i].person);
            printf("%-23s %-9s %-27.27s %-10s %12s %12s  %s\n", list[i].code, list[i].status, whom,
                   list[i].valid_until, fow_money_format(list[i].value_minor, value, sizeof value),
                   fow_money_format(list[i].balance_minor, left, sizeof left), list[i].currency);
        }
    }
    free(list);
    fow_db_close(db);
    return rc;
}

/* activate, cancel */
static int voucher_change(cli_context *ctx, voucher_args *a, bool cancel) {
    if (a->n_pos < 1) return cli_usage_error(ctx, "VOUCHER (an id or a code) is missing");
    if (cancel && !a->reason) return cli_usage_error(ctx, "--reason is missing");
    fow_db *db;
    int rc = cli_open_db(ctx, false, &db);
    if (rc) return rc;
    office o = office_of();
    fow_voucher v;
    if (!(rc = find_voucher(ctx, db, a->pos[0], &v))) {
        fow_code code = cancel ? fow_voucher_cancel(db, v.id, a->reason, o.actor, (int64_t)time(NULL), &o.err)
                               : fow_voucher_activate(db, v.id, o.actor, (int64_t)time(NULL), &o.err);
        if (!code) code = fow_voucher_get(db, v.id, &v, &o.err);
        rc = code ? cli_fail(ctx, &o.err) : voucher_result(ctx, &v);
    }
    fow_db_close(db);
    return rc;
}

static int voucher_expire(cli_context *ctx, voucher_args *a) {
    if (!a->as_of) return cli_usage_error(ctx, "--as-of is missing");
    fow_db *db;
    int rc = cli_open_db(ctx, false, &db);
    if (rc) return rc;
    office o = office_of();
    size_t expired = 0;
    int64_t returned = 0;
    if (fow_vouchers_expire(db, a->as_of, o.actor, (int64_t)time(NULL), &expired, &returned, &o.err))
        rc = cli_fail(ctx, &o.err);
    else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_result_voucher_expiry(&w, a->as_of, expired, returned);
        rc = cli_print_written(&w);
    } else {
        char m[32];
        printf("Expired %zu voucher%s whose last day was before %s; %s went back to their budget lines.\n", expired,
               expired == 1 ? "" : "s", a->as_of, fow_money_format(returned, m, sizeof m));
    }
    fow_db_close(db);
    return rc;
}

static int redemption_result(cli_context *ctx, const fow_redemption *r, const char *verb) {
    if (ctx->json) {
        return print_json_item(write_redemption, r);
    }
    char m[32];
    printf("Redemption %" PRId64 " %s: %s %s of voucher %s for cohort %" PRId64 " (%s, enrolment %" PRId64 "), %s.\n",
           r->id, verb, fow_money_format(r->amount_minor, m, sizeof m), r->currency, r->voucher_code, r->cohort_id,
           r->module, r->enrolment_id, r->status);
    return 0;
}

static int voucher_redeem(cli_context *ctx, voucher_args *a) {
    if (a->n_pos < 1) return cli_usage_error(ctx, "CODE is missing");
    int64_t cohort = 0;
    int rc = positional_id(ctx, a, 1, "COHORT", &cohort);
    if (rc) return rc;
    if (!a->key) return cli_usage_error(ctx, "--key is missing: choose one, so that a retry redeems nothing more");
    fow_error err;
    fow_error_clear(&err);
    int64_t amount = 0, provider = 0;
    if (a->amount && fow_money_parse(a->amount, "amount", &amount, &err)) return cli_fail(ctx, &err);
    if ((rc = option_id(ctx, a->provider, "--provider", "a provider's", &provider))) return rc;
    voucher_env e;
    if ((rc = env_open(ctx, &e, true))) return rc;
    fow_redeem_in in = {.code = a->pos[0], .cohort_id = cohort, .provider_id = provider, .amount_minor = amount,
                        .key = a->key};
    fow_redemption r;
    bool replayed = false;
    if (fow_voucher_redeem(e.db, e.people, &e.who, &e.catalogue, &in, (int64_t)time(NULL), &r, &replayed, &err))
        rc = cli_fail(ctx, &err);
    else
        rc = redemption_result(ctx, &r, replayed ? "was already made with this key" : "made");
    env_close(&e);
    return rc;
}

static int voucher_refund(cli_context *ctx, voucher_args *a) {
    int64_t id = 0;
    int rc = positional_id(ctx, a, 0, "REDEMPTION", &id);
    if (rc) return rc;
    if (!a->reason) return cli_usage_error(ctx, "--reason is missing");
    fow_db *db;
    if ((rc = cli_open_db(ctx, false, &db))) return rc;
    office o = office_of();
    fow_redemption r;
    if (fow_redemption_refund(db, id, a->reason, o.actor, (int64_t)time(NULL), &o.err) ||
        fow_redemption_get(db, id, &r, &o.err))
        rc = cli_fail(ctx, &o.err);
    else
        rc = redemption_result(ctx, &r, "refunded to its voucher");
    fow_db_close(db);
    return rc;
}

static int voucher_claims(cli_context *ctx, voucher_args *a) {
    int rc;
    fow_error err;
    fow_error_clear(&err);
    if (a->n_pos >= 1) {
        if (strcmp(a->pos[0], "settle") != 0) return cli_usage_error(ctx, "unknown claims action '%s': use settle", a->pos[0]);
        voucher_env e;
        if ((rc = env_open(ctx, &e, false))) return rc;
        size_t payable = 0, refunded = 0;
        if (fow_voucher_claims_settle(e.db, &e.who, e.actor, (int64_t)time(NULL), &payable, &refunded, &err))
            rc = cli_fail(ctx, &err);
        else if (ctx->json) {
            fow_jw w;
            cli_writer_init(&w);
            fow_result_claims_settlement(&w, payable, refunded);
            rc = cli_print_written(&w);
        } else
            printf("%zu claim%s became payable; %zu went back to their vouchers (attendance below the minimum).\n",
                   payable, payable == 1 ? "" : "s", refunded);
        env_close(&e);
        return rc;
    }
    int64_t provider = 0;
    if ((rc = option_id(ctx, a->provider, "--provider", "a provider's", &provider))) return rc;
    fow_db *db;
    if ((rc = cli_open_db(ctx, true, &db))) return rc;
    fow_redemption *list = NULL;
    size_t n = 0;
    if (fow_redemptions_list(db, provider, a->status, 0, &list, &n, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_result_voucher_claims(&w, list, n);
        rc = cli_print_written(&w);
    } else if (n == 0) {
        printf("No claims%s.\n", a->provider || a->status ? " match" : " yet");
    } else {
        printf("%6s %-23s %8s %7s %-12s %12s %s %-9s %s\n", "id", "voucher", "provider", "cohort", "module", "amount",
               "cur", "status", "note");
        for (size_t i = 0; i < n; i++) {
            char m[32];
            printf("%6" PRId64 " %-23s %8" PRId64 " %7" PRId64 " %-12s %12s %s %-9s %s\n", list[i].id,
                   list[i].voucher_code, list[i].provider_id, list[i].cohort_id, list[i].module,
                   fow_money_format(list[i].amount_minor, m, sizeof m), list[i].currency, list[i].status,
                   list[i].note);
        }
    }
    free(list);
    fow_db_close(db);
    return rc;
}

static int batch_result(cli_context *ctx, const fow_payment_batch *b) {
    if (ctx->json) {
        return print_json_item(write_batch, b);
    }
    char m[32], lab[48] = "";
    if (b->lab_charges)
        snprintf(lab, sizeof lab, " and %" PRId64 " lab charge%s", b->lab_charges, b->lab_charges == 1 ? "" : "s");
    printf("Payment batch %" PRId64 ": %" PRId64 " claim%s%s, %s %s, %s.\n", b->id, b->claims,
           b->claims == 1 ? "" : "s", lab, fow_money_format(b->total_minor, m, sizeof m), b->currency, b->status);
    return 0;
}

/* fow voucher pay show: the batch with its claims and lab charges (the
 * document of GET /api/v1/payment-batches/{batch}). */
static int batch_show(cli_context *ctx, fow_db *db, int64_t id, fow_error *err) {
    fow_payment_batch b;
    fow_redemption *claims = NULL;
    size_t n = 0;
    fow_voucher_lab_charge *charges = NULL;
    size_t n_charges = 0;
    int64_t now = (int64_t)time(NULL);
    int rc = 0;
    if (fow_payment_batch_get(db, id, &b, err) || fow_redemptions_list(db, 0, NULL, id, &claims, &n, err) ||
        fow_voucher_lab_charges_list(db, 0, id, NULL, now, &charges, &n_charges, err)) {
        rc = cli_fail(ctx, err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_result_payment_batch(&w, &b, claims, n, charges, n_charges, now);
        rc = cli_print_written(&w);
    } else {
        batch_result(ctx, &b);
        char m[32];
        for (size_t i = 0; i < n; i++)
            printf("  claim %" PRId64 "       provider %" PRId64 "  %s %s  %s  %s\n", claims[i].id,
                   claims[i].provider_id, fow_money_format(claims[i].amount_minor, m, sizeof m), claims[i].currency,
                   claims[i].module, claims[i].status);
        for (size_t i = 0; i < n_charges; i++)
            printf("  lab charge %" PRId64 "  provider %" PRId64 "  %s %s  lab booking %" PRId64 "  %s\n",
                   charges[i].id, charges[i].provider_id, fow_money_format(charges[i].amount_minor, m, sizeof m),
                   charges[i].currency, charges[i].booking_id, fow_voucher_lab_charge_state(&charges[i], now));
    }
    free(claims);
    free(charges);
    return rc;
}

static int voucher_pay(cli_context *ctx, voucher_args *a) {
    if (a->n_pos < 1) return cli_usage_error(ctx, "say batch, approve, show, list or export");
    fow_db *db;
    office o = office_of();
    int rc;
    int64_t id = 0;
    const char *action = a->pos[0];
    fow_payment_batch b;
    if (strcmp(action, "batch") == 0) {
        if ((rc = cli_open_db(ctx, false, &db))) return rc;
        bool replayed = false;
        if (fow_payment_batch_build(db, a->currency ? a->currency : "RON", a->key, o.actor, (int64_t)time(NULL), &id,
                                    &replayed, &o.err) ||
            fow_payment_batch_get(db, id, &b, &o.err))
            rc = cli_fail(ctx, &o.err);
        else
            rc = batch_result(ctx, &b);
        if (!rc && replayed && !ctx->json && !ctx->quiet)
            fprintf(stderr, "Key '%s' built payment batch %" PRId64 " before: nothing more was gathered.\n", a->key,
                    id);
        fow_db_close(db);
        return rc;
    }
    if (strcmp(action, "show") == 0) {
        if ((rc = positional_id(ctx, a, 1, "BATCH", &id))) return rc;
        if ((rc = cli_open_db(ctx, true, &db))) return rc;
        rc = batch_show(ctx, db, id, &o.err);
        fow_db_close(db);
        return rc;
    }
    if (strcmp(action, "approve") == 0 || strcmp(action, "export") == 0) {
        if ((rc = positional_id(ctx, a, 1, "BATCH", &id))) return rc;
        bool approve = action[0] == 'a';
        if (a->format && strcmp(a->format, "csv") != 0 && strcmp(a->format, "sepa") != 0)
            return cli_usage_error(ctx, "unknown --format '%s': use csv or sepa", a->format);
        if (!approve && (!a->format || strcmp(a->format, "sepa") != 0) && (a->debtor_name || a->debtor_iban))
            return cli_usage_error(ctx, "--debtor-name and --debtor-iban go with --format sepa");
        if ((rc = cli_open_db(ctx, !approve, &db))) return rc;
        if (approve) {
            if (fow_payment_batch_approve(db, id, o.actor, (int64_t)time(NULL), &o.err) ||
                fow_payment_batch_get(db, id, &b, &o.err))
                rc = cli_fail(ctx, &o.err);
            else
                rc = batch_result(ctx, &b);
        } else {
            batch_export e = {.id = id,
                              .sepa = a->format && strcmp(a->format, "sepa") == 0,
                              .debtor = {.name = a->debtor_name, .iban = a->debtor_iban, .bic = a->debtor_bic}};
            rc = export_to(ctx, a->output, export_batch, db, &e);
        }
        fow_db_close(db);
        return rc;
    }
    if (strcmp(action, "list") != 0)
        return cli_usage_error(ctx, "unknown pay action '%s': use batch, approve, show, list or export", action);
    if ((rc = cli_open_db(ctx, true, &db))) return rc;
    fow_payment_batch *list = NULL;
    size_t n = 0;
    if (fow_payment_batches_list(db, &list, &n, &o.err)) {
        rc = cli_fail(ctx, &o.err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_result_payment_batches(&w, list, n);
        rc = cli_print_written(&w);
    } else if (n == 0) {
        printf("No payment batches yet: fow voucher pay batch gathers the payable claims and lab charges.\n");
    } else {
        for (size_t i = 0; i < n; i++) batch_result(ctx, &list[i]);
    }
    free(list);
    fow_db_close(db);
    return rc;
}

/* fow voucher lab-charges: the document of GET /api/v1/voucher-lab-charges. */
static int voucher_lab_charges(cli_context *ctx, voucher_args *a) {
    int64_t provider = 0, batch = 0;
    int rc = option_id(ctx, a->provider, "--provider", "a provider's", &provider);
    if (!rc) rc = option_id(ctx, a->batch, "--batch", "a payment batch's", &batch);
    if (rc) return rc;
    fow_db *db;
    if ((rc = cli_open_db(ctx, true, &db))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_voucher_lab_charge *list = NULL;
    size_t n = 0;
    int64_t now = (int64_t)time(NULL);
    if (fow_voucher_lab_charges_list(db, provider, batch, a->state, now, &list, &n, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_result_voucher_lab_charges(&w, list, n, now);
        rc = cli_print_written(&w);
    } else if (n == 0) {
        printf("No lab charges%s%s.\n", a->state ? " in state " : "", a->state ? a->state : "");
    } else {
        char m[32], from[32];
        printf("%-6s %-9s %-9s %-8s %14s %-4s %-17s %s\n", "id", "state", "provider", "booking", "amount", "cur",
               "payable from", "batch");
        for (size_t i = 0; i < n; i++) {
            time_t t = (time_t)list[i].payable_from;
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(from, sizeof from, "%Y-%m-%d %H:%MZ", &tm);
            printf("%-6" PRId64 " %-9s %-9" PRId64 " %-8" PRId64 " %14s %-4s %-17s ", list[i].id,
                   fow_voucher_lab_charge_state(&list[i], now), list[i].provider_id, list[i].booking_id,
                   fow_money_format(list[i].amount_minor, m, sizeof m), list[i].currency, from);
            if (list[i].batch_id) printf("%" PRId64 "\n", list[i].batch_id);
            else printf("-\n");
        }
    }
    free(list);
    fow_db_close(db);
    return rc;
}

static int provider_bank(cli_context *ctx, voucher_args *a) {
    int64_t id = 0;
    int rc = positional_id(ctx, a, 0, "PROVIDER", &id);
    if (rc) return rc;
    if (a->bic && !a->iban) return cli_usage_error(ctx, "--bic goes with --iban");
    fow_db *db;
    if ((rc = cli_open_db(ctx, !a->iban, &db))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_provider_bank b;
    if ((a->iban && fow_training_provider_set_bank(db, id, a->iban, a->bic, &err)) ||
        fow_training_provider_bank(db, id, &b, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_jw_object(&w);
        fow_jw_kint(&w, "provider_id", (long long)b.provider_id);
        fow_jw_kstring(&w, "name", b.name);
        fow_jw_key(&w, "iban");
        if (b.iban[0]) fow_jw_string(&w, b.iban);
        else fow_jw_null(&w);
        fow_jw_key(&w, "bic");
        if (b.bic[0]) fow_jw_string(&w, b.bic);
        else fow_jw_null(&w);
        fow_jw_object_end(&w);
        rc = cli_print_written(&w);
    } else {
        printf("Provider %" PRId64 " (%s): IBAN %s, BIC %s%s\n", b.provider_id, b.name, b.iban[0] ? b.iban : "none",
               b.bic[0] ? b.bic : "none", a->iban ? " (recorded)" : "");
    }
    fow_db_close(db);
    return rc;
}

/* true when origin is an http:// or https:// address without a trailing '/', query or fragment. */
static bool origin_ok(const char *origin) {
    size_t n = strlen(origin);
    bool scheme = strncmp(origin, "http://", 7) == 0 || strncmp(origin, "https://", 8) == 0;
    return scheme && n > 8 && n <= 200 && origin[n - 1] != '/' && !strpbrk(origin, "?#\"<> \t\r\n");
}

static int voucher_qr(cli_context *ctx, voucher_args *a) {
    if (a->n_pos < 1) return cli_usage_error(ctx, "VOUCHER (an id or a code) is missing");
    bool pbm = a->format && strcmp(a->format, "pbm") == 0;
    if (a->format && !pbm && strcmp(a->format, "svg") != 0)
        return cli_usage_error(ctx, "--format must be svg or pbm, not '%s'", a->format);
    if (a->origin && !origin_ok(a->origin))
        return cli_usage_error(ctx, "--origin must be an http:// or https:// address without a trailing '/', not '%s'",
                               a->origin);
    fow_db *db;
    int rc = cli_open_db(ctx, true, &db);
    if (rc) return rc;
    fow_voucher v;
    fow_error err;
    fow_error_clear(&err);
    char url[FOW_CREDENTIAL_URL_MAX + 64];
    if (!(rc = find_voucher(ctx, db, a->pos[0], &v))) {
        fow_credential_issuer issuer;
        fow_credentials *creds = NULL;
        if (!a->origin && fow_credentials_open(db, NULL, false, &creds, &err)) rc = cli_fail(ctx, &err);
        if (!rc && creds) fow_credentials_issuer(creds, &issuer);
        fow_credentials_close(creds);
        if (!rc) snprintf(url, sizeof url, "%.200s/#/redeem?code=%s", a->origin ? a->origin : issuer.url, v.code);
    }
    fow_qr qr = {0};
    if (!rc && fow_qr_make(url, &qr, &err)) rc = cli_fail(ctx, &err);
    FILE *out = stdout;
    if (!rc && a->output && !(out = fopen(a->output, pbm ? "wb" : "w")))
        rc = cli_usage_error(ctx, "cannot write %s (--output)", a->output);
    if (!rc && pbm && fow_qr_write_pbm(&qr, 8, out, &err)) rc = cli_fail(ctx, &err);
    if (!rc && !pbm) {
        size_t len = 0;
        char *svg = fow_qr_svg(&qr, url, &len);
        if (!svg || fwrite(svg, 1, len, out) != len) rc = cli_usage_error(ctx, "cannot write the QR code");
        free(svg);
    }
    if (out && out != stdout && fclose(out) != 0 && !rc) rc = cli_usage_error(ctx, "cannot write %s (--output)", a->output);
    if (!rc && a->output && !ctx->quiet)
        fprintf(stderr, "Wrote the QR code (version %d, %d modules a side) of %s to %s.\n", qr.version, qr.width, url,
                a->output);
    fow_qr_free(&qr);
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
        {"issue", "voucher issue", 2},
        {"show", "voucher show", 1},
        {"list", "voucher list", 0},
        {"activate", "voucher activate", 1},
        {"cancel", "voucher cancel", 1},
        {"expire", "voucher expire", 0},
        {"redeem", "voucher redeem", 2},
        {"refund", "voucher refund", 1},
        {"claims", "voucher claims", 1},
        {"pay", "voucher pay", 2},
        {"provider-bank", "voucher provider-bank", 1},
        {"lab-charges", "voucher lab-charges", 0},
        {"qr", "voucher qr", 1},
    };
    ctx->command = "voucher";
    if (argc == 0 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        fputs(voucher_help, argc == 0 ? stderr : stdout);
        return argc == 0 ? CLI_EXIT_USER : 0;
    }
    if (strcmp(argv[0], "report") == 0) return cli_voucher_report(ctx, argc - 1, argv + 1);
    int sub = -1;
    for (int s = 0; s < (int)(sizeof subs / sizeof subs[0]); s++)
        if (strcmp(argv[0], subs[s].name) == 0) sub = s;
    if (sub < 0) return cli_usage_error(ctx, "unknown subcommand '%s': use fund, line, issue, show, list, activate, cancel, "
                                                  "expire, redeem, refund, claims, pay, lab-charges, provider-bank, ledger, report "
                                                  "or qr",
                                             argv[0]);
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
                                  {"--value", &a.value, NULL},
                                  {"--valid-from", &a.valid_from, NULL},
                                  {"--valid-until", &a.valid_until, NULL},
                                  {"--providers", &a.providers, NULL},
                                  {"--modules", &a.modules, NULL},
                                  {"--min-attendance", &a.min_attendance, NULL},
                                  {"--award", &a.award, NULL},
                                  {"--note", &a.note, NULL},
                                  {"--person", &a.person, NULL},
                                  {"--enterprise", &a.enterprise, NULL},
                                  {"--code", &a.enterprise_code, NULL},
                                  {"--line", &a.line, NULL},
                                  {"--status", &a.status, NULL},
                                  {"--as-of", &a.as_of, NULL},
                                  {"--reason", &a.reason, NULL},
                                  {"--provider", &a.provider, NULL},
                                  {"--state", &a.state, NULL},
                                  {"--batch", &a.batch, NULL},
                                  {"--format", &a.format, NULL},
                                  {"--debtor-name", &a.debtor_name, NULL},
                                  {"--debtor-iban", &a.debtor_iban, NULL},
                                  {"--debtor-bic", &a.debtor_bic, NULL},
                                  {"--iban", &a.iban, NULL},
                                  {"--bic", &a.bic, NULL},
                                  {"--origin", &a.origin, NULL},
                                  {"--active", NULL, &a.active},
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
    case 2: return ledger_command(ctx, &a);
    case 3: return voucher_issue(ctx, &a);
    case 4: return voucher_show(ctx, &a);
    case 5: return voucher_list(ctx, &a);
    case 6: return voucher_change(ctx, &a, false);
    case 7: return voucher_change(ctx, &a, true);
    case 8: return voucher_expire(ctx, &a);
    case 9: return voucher_redeem(ctx, &a);
    case 10: return voucher_refund(ctx, &a);
    case 11: return voucher_claims(ctx, &a);
    case 12: return voucher_pay(ctx, &a);
    case 13: return provider_bank(ctx, &a);
    case 14: return voucher_lab_charges(ctx, &a);
    default: return voucher_qr(ctx, &a);
    }
}
