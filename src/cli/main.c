/* main.c — `fow`: the command-line front end of libfow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "credentials/fow_credentials.h"
#include "vouchers/fow_calls.h"
#include "vouchers/fow_vouchers.h"
#include "plans/fow_plans.h"
#include "service/fow_importers.h"

static const char usage_head[] =
    "fow — the Future of Work platform of a city\n"
    "\n"
    "Usage: fow [--db PATH] COMMAND [ARGS] [--json] [--help]\n"
    "\n"
    "Commands:\n";

/* after the import line, which names the kinds of the importer registry */
static const char usage[] =
    "  search TEXT [--kind K] [--limit N]  find occupations and skills as you type\n"
    "  occupation ID|URI|CODE|LABEL     everything about one occupation\n"
    "  risk [--model M] [--limit N]     occupations at the highest risk of automation\n"
    "  transitions OCCUPATION           safe and desirable moves, ranked by skill similarity\n"
    "      [--safe|--strict] [--desirable] [--min-similarity X] [--limit N] [--model M] [--csv]\n"
    "  transitions --skills \"A; B\"      the same from a person's own skills (or --skills-file F)\n"
    "  transitions --group ISCO_CODE    the destinations reached by the most occupations of a group\n"
    "  transitions --all --out F.csv    the top destinations of every occupation, as CSV\n"
    "  similar OCCUPATION [--limit N]   the most similar occupations by skills\n"
    "  gap FROM TO                      what transfers and what to learn for one move\n"
    "  upskill OCCUPATION|--group CODE  the single skills that open the most new safe moves\n"
    "  probable-skills OCCUPATION       skills it very likely involves though ESCO does not list them\n"
    "  skill URI|LABEL                  one skill: where it is needed, related skills, labels\n"
    "  occupation-groups                the occupation groups of the observatory (ISCO codes)\n"
    "  areas                            the areas with employment, and their years\n"
    "  observe AREA --year Y [--by B]   the share of an area's employment at risk of automation\n"
    "      [--model M] [--compare-year Y0] [--reference AREA2] [--csv]\n"
    "  at-scale AREA --year Y           safe moves, destinations and skill gaps of high-risk workers\n"
    "  scenario AREA --year Y           displaced jobs, training demand and voucher budget over time\n"
    "      [--adoption slow|medium|fast|custom] [--cost-per-hour EUR] [--csv]\n"
    "  serve [--listen HOST:PORT]       the HTTP API and the web app (see 'fow serve --help')\n"
    "  user add NAME --role R           add an account for fow serve (R: see 'fow user --help')\n"
    "  user list|passwd|remove|token    list accounts, set a password, remove one, make an API token\n"
    "  person add|show|list|consent ... people served: records, consent, skills, export, erasure\n"
    "  credential issue|verify|revoke   verifiable credentials of completed modules (Open Badges 3.0)\n"
    "  call add|list|show|apply|rank .. voucher calls: eligibility rule by rule, applications, jury, awards\n"
    "  modules [TEXT] [--skill S]       the learning catalogue: modules, their skills, hours and cost\n"
    "  cohort add|list|show|enrol ...   cohorts of a module: seats, waiting list, attendance, completion\n"
    "  module ID                        one module of the learning catalogue\n"
    "  voucher fund|line|issue|redeem.. Cluj Experimentation Vouchers: funds, vouchers, claims, the ledger\n"
    "  lab list|show|add|resource|hours the CREIC labs: machines, hours, holidays, closures, what unlocks them,\n"
    "      |closure|require|price|...   prices, inductions (see 'fow lab --help')\n"
    "  indicators [--by B] [--csv]      programme indicators (people served, completed ...), small cells suppressed\n"
    "  journeys FILE                    loads people with their consents, enrolments and results (demo data)\n"
    "  plan FROM TO [--lang ro,en]      the modules that close a move's gap at the least cost\n"
    "  commission AREA --year Y         skills the area's at-risk workers lack that no module teaches\n"
    "  sources                          the data sets imported, with versions and licences\n"
    "  stats                            what the database holds\n"
    "  check                            the consistency checks of the database (references, derived values)\n"
    "  tour                             a short guided tour of the data\n"
    "  help [COMMAND | --man]           this text, a command's help, or the manual page fow(1)\n"
    "\n"
    "Options for every command:\n"
    "  --db PATH   the database (default: $FOW_DB, else ./fow.db)\n"
    "  --json      machine-readable output on stdout\n"
    "  --quiet     no progress bar\n"
    "  --help      help for the command\n"
    "\n"
    "Exit codes: 0 ok, 1 bad input or not found, 2 internal error. Errors go to stderr.\n"
    "Run 'fow COMMAND --help' for a command's options.\n";

/* The usage, with the kinds of import from libfow's registry. */
static void print_usage(FILE *out) {
    char kinds[200];
    fputs(usage_head, out);
    fprintf(out, "  import KIND PATH [options]       import a data set (see 'fow import --help'); KIND is one of\n"
                 "                                   %s\n",
            fow_importer_names(kinds, sizeof kinds));
    fputs(usage, out);
}

static const cli_command commands[] = {
    {"import", cli_import},     {"search", cli_search}, {"occupation", cli_occupation},
    {"risk", cli_risk},         {"sources", cli_sources}, {"stats", cli_stats},
    {"tour", cli_tour},         {"transitions", cli_transitions}, {"similar", cli_similar},
    {"gap", cli_gap},           {"plan", cli_plan},           {"upskill", cli_upskill},       {"serve", cli_serve},
    {"user", cli_user},         {"areas", cli_areas},           {"observe", cli_observe},
    {"at-scale", cli_at_scale}, {"commission", cli_commission}, {"scenario", cli_scenario},   {"check", cli_check},
    {"skill", cli_skill},       {"occupation-groups", cli_occupation_groups},
    {"probable-skills", cli_probable_skills}, {"person", cli_person},
    {"modules", cli_modules},   {"module", cli_module}, {"cohort", cli_cohort}, {"voucher", cli_voucher},
    {"credential", cli_credential}, {"call", cli_call}, {"indicators", cli_indicators}, {"journeys", cli_journeys},
    {"lab", cli_lab},
};
enum { N_COMMANDS = sizeof commands / sizeof commands[0] };

static const cli_command *find_command(const char *name) {
    for (size_t c = 0; c < N_COMMANDS; c++)
        if (strcmp(commands[c].name, name) == 0) return &commands[c];
    return NULL;
}

/* `fow help`, `fow help COMMAND` (as `fow COMMAND --help`), `fow help --man`. */
static int help(cli_context *ctx, int argc, char **argv) {
    if (argc == 0 || (argc == 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0))) {
        print_usage(stdout);
        return CLI_EXIT_OK;
    }
    if (argc == 1 && strcmp(argv[0], "--man") == 0) {
        /* the whole text of fow --help, as print_usage writes it */
        char *text = NULL;
        size_t len = 0;
        FILE *usage_text = open_memstream(&text, &len);
        if (!usage_text) {
            fputs("fow help: out of memory\n", stderr);
            return CLI_EXIT_INTERNAL;
        }
        print_usage(usage_text);
        int rc = fclose(usage_text) == 0 ? cli_write_man_page(stdout, text, commands, N_COMMANDS) : CLI_EXIT_INTERNAL;
        free(text);
        return rc;
    }
    const cli_command *command = argc == 1 ? find_command(argv[0]) : NULL;
    if (!command) {
        fprintf(stderr, "fow help: give one command (see 'fow --help') or --man, not '%s'\n", argv[0]);
        return CLI_EXIT_USER;
    }
    ctx->command = command->name;
    char help_flag[] = "--help";
    char *help_argv[] = {help_flag, NULL};
    return command->run(ctx, 1, help_argv);
}

int main(int argc, char **argv) {
    cli_context ctx = {.command = "", .db_path = getenv("FOW_DB")};
    if (!ctx.db_path || !*ctx.db_path) ctx.db_path = "fow.db";
    /* plans, credentials and voucher applications travel with a person's export; their erasure removes the
     * plans, revokes the credentials and blanks the applications' proposals (the decisions stay) */
    if (fow_plans_attach(NULL) || fow_credentials_attach(NULL) || fow_calls_attach(NULL)) return CLI_EXIT_INTERNAL;
    /* an award issues its voucher in the award's transaction (fow call award, the API's decision route) */
    fow_vouchers_attach_calls();
    int i = 1;
    /* global options before the command */
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_usage(stdout);
            return 0;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("fow %s (schema %d)\n", FOW_VERSION, FOW_SCHEMA_VERSION);
            return 0;
        }
        if (strcmp(argv[i], "--json") == 0) {
            ctx.json = true;
            continue;
        }
        if (strcmp(argv[i], "--quiet") == 0) {
            ctx.quiet = true;
            continue;
        }
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            ctx.db_path = argv[++i];
            continue;
        }
        if (strncmp(argv[i], "--db=", 5) == 0) {
            ctx.db_path = argv[i] + 5;
            continue;
        }
        fprintf(stderr, "fow: unknown option '%s' (argument %d); see 'fow --help'\n", argv[i], i);
        return CLI_EXIT_USER;
    }
    if (i >= argc) {
        print_usage(stderr);
        return CLI_EXIT_USER;
    }
    if (strcmp(argv[i], "help") == 0) {
        ctx.command = "help";
        return help(&ctx, argc - i - 1, argv + i + 1);
    }
    const cli_command *command = find_command(argv[i]);
    if (command) {
        ctx.command = command->name;
        return command->run(&ctx, argc - i - 1, argv + i + 1);
    }
    fprintf(stderr, "fow: unknown command '%s'; see 'fow --help'\n", argv[i]);
    return CLI_EXIT_USER;
}
