/* cli.h — the fow command-line front end: shared parsing and output.
 * The front end only parses arguments, calls libfow and formats results. */
#ifndef FOW_CLI_H
#define FOW_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "base/fow_error.h"
#include "base/fow_jw.h"
#include "people/fow_people.h"
#include "store/fow_db.h"

enum { CLI_EXIT_OK = 0, CLI_EXIT_USER = 1, CLI_EXIT_INTERNAL = 2 };

/* An option a command accepts. Exactly one of value / flag is set. */
typedef struct cli_option {
    const char *name;    /* "--limit" */
    const char **value;  /* receives the argument of an option that takes one */
    bool *flag;          /* set to true by a flag */
} cli_option;

/* A library field whose flag is not "--" + the field with '-' for '_'. */
typedef struct cli_field_flag {
    const char *field; /* "web_root" */
    const char *flag;  /* "--web" */
} cli_field_flag;

/* Global state every command sees. */
typedef struct cli_context {
    const char *command;  /* "search", "import esco", ... */
    const char *db_path;  /* --db, FOW_DB, or ./fow.db */
    bool json;            /* --json */
    bool help;            /* --help */
    bool quiet;           /* --quiet: no progress bar */
    const cli_option *options;          /* the running command's options (set by cli_parse) */
    const cli_field_flag *field_flags;  /* its fields named otherwise, NULL-terminated; may be NULL */
} cli_context;

/* Parses argv (after the command words) into options and positionals.
 * The global options --db, --json, --help, --quiet are always accepted.
 * Positionals go to pos (at most max_pos; more is an error). Returns 0, or
 * prints a located error to stderr and returns CLI_EXIT_USER. */
int cli_parse(cli_context *ctx, int argc, char **argv, const cli_option *options, const char **pos,
              int max_pos, int *n_pos);

/* The flag of the running command that sets the library's field (an
 * option name such as "model" or "skip_unknown"): the one ctx->field_flags
 * names for it, else "--" + field with '-' for '_' when the command takes
 * that option. Written into buf (n bytes); NULL when no flag sets it. */
const char *cli_flag_for_field(const cli_context *ctx, const char *field, char *buf, size_t n);

/* Prints err to stderr as "fow CMD: file:line:column: message" and returns
 * the exit code for it (1 user error, 2 internal). When the error names a
 * field that a flag of the command sets (and not a line of a file), the flag
 * follows the message: "... (--model)". */
int cli_fail(const cli_context *ctx, const fow_error *err);

/* Prints "fow CMD: message" to stderr and returns CLI_EXIT_USER. */
int cli_usage_error(const cli_context *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The name the command line acts under in the records it writes and the
 * audit log: "cli:LOGIN" ($USER, else the user of the process; "unknown"
 * when neither), into buf (n bytes, at least 68). Can't fail. */
void cli_actor_name(char *buf, size_t n);

/* The context's people records (src/people) on its database opened for
 * writing, the command line acting as an administrator: the actor's name
 * (cli_actor_name) into actor, *staff acting under it (every organisation),
 * *db and *people opened (close the people, then the database). 0, or the
 * exit code after printing the error (then nothing is left open). */
int cli_open_people(const cli_context *ctx, char actor[FOW_PERSON_ACTOR_MAX + 1], fow_people_staff *staff,
                    fow_db **db, fow_people **people);

/* Opens the context's database (read_only for reading commands). On
 * failure prints the error and returns its exit code; else 0. */
int cli_open_db(const cli_context *ctx, bool read_only, fow_db **db);

/* Parses a whole number in [min, max] given for option name. */
int cli_parse_size(const cli_context *ctx, const char *name, const char *text, long min, long max, long *out);

/* Prints json to stdout (indented), then frees it. Returns 0, or 2 when
 * writing failed. */
int cli_print_json(json_t *json);

/* A new JSON writer for --json output: indented by 2, as cli_print_json. */
void cli_writer_init(fow_jw *w);

/* Prints the document written into w and a new line to stdout, then frees
 * w's buffer. Returns 0, or 2 when writing failed (out of memory, or the
 * output could not be written). */
int cli_print_written(fow_jw *w);


/* Prints text with width characters (UTF-8 aware), padding or cutting with "…". */
void cli_print_cell(FILE *out, const char *text, int width);

/* A command of fow: its name and what runs it (argc/argv: the words after
 * the name). */
typedef struct cli_command {
    const char *name;
    int (*run)(cli_context *ctx, int argc, char **argv);
} cli_command;

/* Writes the manual page fow(1) in troff to out: its name, synopsis and
 * description from usage (the text of `fow --help`, which starts with
 * "fow — WHAT" and has a "Usage: " line), then a section per command with
 * the text that `fow COMMAND --help` prints, captured by running each
 * command with --help. Returns 0, or CLI_EXIT_INTERNAL after a message on
 * stderr when a text cannot be read or out cannot be written. */
int cli_write_man_page(FILE *out, const char *usage, const cli_command *commands, size_t n_commands);

/* The commands: argc/argv are the words after the command name. */
int cli_import(cli_context *ctx, int argc, char **argv);
int cli_search(cli_context *ctx, int argc, char **argv);
int cli_occupation(cli_context *ctx, int argc, char **argv);
int cli_sources(cli_context *ctx, int argc, char **argv);
int cli_stats(cli_context *ctx, int argc, char **argv);
int cli_check(cli_context *ctx, int argc, char **argv);
int cli_voucher(cli_context *ctx, int argc, char **argv);

/* `fow voucher report ...` (cli_voucher_report.c): the voucher office's
 * reports; argv holds the words after "report". */
int cli_voucher_report(cli_context *ctx, int argc, char **argv);
int cli_risk(cli_context *ctx, int argc, char **argv);
int cli_tour(cli_context *ctx, int argc, char **argv);
int cli_transitions(cli_context *ctx, int argc, char **argv);
int cli_similar(cli_context *ctx, int argc, char **argv);
int cli_gap(cli_context *ctx, int argc, char **argv);
int cli_plan(cli_context *ctx, int argc, char **argv);
int cli_upskill(cli_context *ctx, int argc, char **argv);
int cli_probable_skills(cli_context *ctx, int argc, char **argv);
int cli_skill(cli_context *ctx, int argc, char **argv);
int cli_occupation_groups(cli_context *ctx, int argc, char **argv);
int cli_user(cli_context *ctx, int argc, char **argv);
int cli_serve(cli_context *ctx, int argc, char **argv);
int cli_areas(cli_context *ctx, int argc, char **argv);
int cli_observe(cli_context *ctx, int argc, char **argv);
int cli_at_scale(cli_context *ctx, int argc, char **argv);
int cli_commission(cli_context *ctx, int argc, char **argv);
int cli_scenario(cli_context *ctx, int argc, char **argv);
int cli_person(cli_context *ctx, int argc, char **argv);
int cli_modules(cli_context *ctx, int argc, char **argv);
int cli_module(cli_context *ctx, int argc, char **argv);
int cli_cohort(cli_context *ctx, int argc, char **argv);
int cli_indicators(cli_context *ctx, int argc, char **argv);
/* `fow lab usage`, `fow lab projects [add]`, `fow lab feed` (cli_lab_usage.c), called by `fow lab`:
 * argv holds the words after the subcommand's name. */
int cli_lab_usage(cli_context *ctx, int argc, char **argv);
int cli_lab_projects(cli_context *ctx, int argc, char **argv);
int cli_lab_feed(cli_context *ctx, int argc, char **argv);
int cli_journeys(cli_context *ctx, int argc, char **argv);
int cli_credential(cli_context *ctx, int argc, char **argv);
/* `fow lab ...` (cli_lab.c): the CREIC labs; its table lab_subcommands
 * calls the subcommands of other files (bookings, usage), declared here. */
int cli_lab(cli_context *ctx, int argc, char **argv);
/* `fow call ...` (cli_calls.c): calls for applications of the voucher programme. */
int cli_call(cli_context *ctx, int argc, char **argv);
/* `fow lab availability|book|cancel|bookings|checkin|checkout|waitlist|series ...`
 * (cli_lab_book.c): argv from the subcommand on. Returns -1 (nothing
 * printed) when argv[0] is none of these, for the dispatcher of `fow lab`
 * to try its own; cli_lab_book_help lists their usage lines. */
int cli_lab_book(cli_context *ctx, int argc, char **argv);
extern const char cli_lab_book_help[];
/* The same, one per subcommand, for the table of `fow lab`'s dispatcher
 * (argv: the words after the subcommand's name). */
int cli_lab_availability(cli_context *ctx, int argc, char **argv);
int cli_lab_bookit(cli_context *ctx, int argc, char **argv);
int cli_lab_cancel(cli_context *ctx, int argc, char **argv);
int cli_lab_bookings(cli_context *ctx, int argc, char **argv);
int cli_lab_checkin(cli_context *ctx, int argc, char **argv);
int cli_lab_checkout(cli_context *ctx, int argc, char **argv);
int cli_lab_waitlist(cli_context *ctx, int argc, char **argv);
int cli_lab_series(cli_context *ctx, int argc, char **argv);
/* `fow person plan ...` (cli_plans.c): argv after "plan". */
int cli_person_plan(cli_context *ctx, int argc, char **argv);

#endif
