/* cli_lab_usage.c — `fow lab usage`, `fow lab projects` and `fow lab feed`:
 * the labs' usage and outcomes and their calendar feeds
 * (src/labs/fow_lab_usage.h, docs/labs-usage.md). Called from the `fow lab`
 * dispatcher of cli_lab.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "labs/fow_lab_usage.h"
#include "service/fow_result_labs.h"

static const char usage_help[] =
    "Usage: fow lab usage --from YYYY-MM-DD --to YYYY-MM-DD [--lab CODE] [--resource CODE]\n"
    "                     [--by week|resource|category] [--csv]\n"
    "\n"
    "The labs' usage over the local days from .. to (at most 731 days), by ISO week (default),\n"
    "resource or price category: bookings, hours booked and used (check-in to check-out),\n"
    "no-shows, cancellations, hours open (the lab's hours less holidays, closures and\n"
    "maintenance), utilisation (hours booked / hours open), distinct people, enterprises and\n"
    "group seats. A count of fewer than 10 people shows 'suppressed' (and a second one when\n"
    "the total would give it back); by category a suppressed row hides all its figures.\n"
    "\n"
    "Options:\n"
    "  --from D --to D  the local days (Europe/Bucharest), inclusive\n"
    "  --lab CODE       one lab (default: every lab)\n"
    "  --resource CODE  one machine or space\n"
    "  --by B           week, resource or category\n"
    "  --csv            the table as CSV (the same figures as --json)\n"
    "  --db PATH  --json  --help\n";

static const char projects_help[] =
    "Usage: fow lab projects [--lab CODE] [--csv]\n"
    "       fow lab projects add --lab CODE (--person ID | --enterprise CUI) --title TEXT\n"
    "                            [--summary TEXT] [--outcome TEXT] [--label-ref REF] [--startup-ref REF]\n"
    "\n"
    "The projects carried out in the labs, newest first; or records one, linked to a person\n"
    "(a people id) or an enterprise (its CUI), with what came of it (a product, a label, a\n"
    "start-up).\n"
    "\n"
    "Options:\n"
    "  --lab CODE       the lab (to list: default every lab)\n"
    "  --csv            the list as CSV\n"
    "  --db PATH  --json  --help\n";

static const char feed_help[] =
    "Usage: fow lab feed resource CODE\n"
    "       fow lab feed lab CODE\n"
    "       fow lab feed token ACCOUNT\n"
    "\n"
    "Writes the iCalendar (RFC 5545) feed of a machine or space, or of a lab, to standard output:\n"
    "the busy times, without who booked them, as served at /api/v1/lab-resources/CODE/calendar.ics\n"
    "and /api/v1/labs/CODE/calendar.ics. 'token' makes a new secret address for the calendar of\n"
    "ACCOUNT's own bookings and prints it (the previous address stops working).\n"
    "\n"
    "Options:\n"
    "  --db PATH  --json  --help\n";

static void hours_cell(long long minutes, bool hidden, int width) {
    if (hidden) printf(" %*s", width, "suppr.");
    else printf(" %*.2f", width, (double)minutes / 60.0);
}

static void usage_row(const fow_lab_usage_row *r) {
    bool hidden = r->row_suppressed;
    printf("%-38.38s", r->label_en);
    if (hidden) printf(" %8s", "suppr.");
    else printf(" %8lld", r->bookings);
    hours_cell(r->minutes_booked, hidden, 9);
    hours_cell(r->minutes_used, hidden, 9);
    if (hidden) printf(" %8s %9s", "suppr.", "suppr.");
    else printf(" %8lld %9lld", r->no_shows, r->cancelled);
    if (r->has_open) hours_cell(r->minutes_open, false, 9);
    else printf(" %9s", "-");
    if (!hidden && r->has_open && r->minutes_open > 0)
        printf(" %6.1f%%", (double)(long long)(1000.0 * (double)r->minutes_booked / (double)r->minutes_open + 0.5) / 10);
    else printf(" %7s", "-");
    if (r->people_suppressed) printf(" %7s\n", "suppr.");
    else printf(" %7lld\n", r->people);
}

int cli_lab_usage(cli_context *ctx, int argc, char **argv) {
    ctx->command = "lab usage";
    const char *from = NULL, *to = NULL, *lab = NULL, *resource = NULL, *by_text = NULL;
    bool csv = false;
    const cli_option options[] = {{"--from", &from, NULL},         {"--to", &to, NULL},   {"--lab", &lab, NULL},
                                  {"--resource", &resource, NULL}, {"--by", &by_text, NULL}, {"--csv", NULL, &csv},
                                  {NULL, NULL, NULL}};
    const char *pos[1];
    int n_pos = 0;
    int rc = cli_parse(ctx, argc, argv, options, pos, 0, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(usage_help, stdout);
        return 0;
    }
    fow_lab_usage_query q;
    memset(&q, 0, sizeof q);
    if (by_text && fow_lab_usage_by_parse(by_text, &q.by))
        return cli_usage_error(ctx, "--by must be week, resource or category, not '%s'", by_text);
    if (!from || !to) return cli_usage_error(ctx, "--from and --to (YYYY-MM-DD) are required");
    if (csv && ctx->json) return cli_usage_error(ctx, "give --csv or --json, not both");
    if (strlen(from) >= sizeof q.from || strlen(to) >= sizeof q.to)
        return cli_usage_error(ctx, "--from and --to are dates YYYY-MM-DD");
    if ((lab && strlen(lab) >= sizeof q.lab) || (resource && strlen(resource) >= sizeof q.resource))
        return cli_usage_error(ctx, "a lab's or resource's code has at most %zu characters", sizeof q.lab - 1);
    snprintf(q.from, sizeof q.from, "%s", from);
    snprintf(q.to, sizeof q.to, "%s", to);
    snprintf(q.lab, sizeof q.lab, "%s", lab ? lab : "");
    snprintf(q.resource, sizeof q.resource, "%s", resource ? resource : "");
    fow_db *db = NULL;
    if ((rc = cli_open_db(ctx, true, &db))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_lab_usage u;
    if (fow_lab_usage_compute(db, &q, (long long)time(NULL), &u, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (csv) {
        char *text = fow_lab_usage_csv(&u);
        if (text) fputs(text, stdout);
        else rc = CLI_EXIT_INTERNAL;
        free(text);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_result_lab_usage(&w, &u);
        rc = cli_print_written(&w);
    } else {
        printf("Lab usage by %s, %s to %s (%s)%s%s\n\n", fow_lab_usage_by_name(q.by), q.from, q.to,
               "Europe/Bucharest", q.lab[0] ? ", lab " : "", q.lab);
        printf("%-38s %8s %9s %9s %8s %9s %9s %7s %7s\n", "", "bookings", "h booked", "h used", "no-shows",
               "cancelled", "h open", "use", "people");
        for (size_t i = 0; i < u.n_rows; i++) usage_row(&u.rows[i]);
        usage_row(&u.total);
        printf("\nUtilisation: hours booked / hours open. Counts of 1 to 9 people are suppressed"
               " (%ld cells).\n", u.suppressed_cells);
    }
    fow_lab_usage_free(&u);
    fow_db_close(db);
    return rc;
}

static const cli_field_flag project_field_flags[] = {{"enterprise_code", "--enterprise"}, {NULL, NULL}};

static int project_add(cli_context *ctx, int argc, char **argv) {
    ctx->command = "lab projects add";
    ctx->field_flags = project_field_flags;
    const char *lab = NULL, *person = NULL, *enterprise = NULL, *title = NULL, *summary = NULL, *outcome = NULL,
               *label_ref = NULL, *startup_ref = NULL;
    const cli_option options[] = {{"--lab", &lab, NULL},         {"--person", &person, NULL},
                                  {"--enterprise", &enterprise, NULL}, {"--title", &title, NULL},
                                  {"--summary", &summary, NULL}, {"--outcome", &outcome, NULL},
                                  {"--label-ref", &label_ref, NULL}, {"--startup-ref", &startup_ref, NULL},
                                  {NULL, NULL, NULL}};
    const char *pos[1];
    int n_pos = 0;
    int rc = cli_parse(ctx, argc, argv, options, pos, 0, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(projects_help, stdout);
        return 0;
    }
    if (!lab) return cli_usage_error(ctx, "--lab is required");
    fow_lab_project *p = calloc(1, sizeof *p);
    if (!p) return CLI_EXIT_INTERNAL;
    struct {
        const char *value;
        char *out;
        size_t cap;
        const char *flag;
    } fields[] = {{lab, p->lab, sizeof p->lab, "--lab"},
                  {person, p->person_id, sizeof p->person_id, "--person"},
                  {enterprise, p->enterprise_code, sizeof p->enterprise_code, "--enterprise"},
                  {title, p->title, sizeof p->title, "--title"},
                  {summary, p->summary, sizeof p->summary, "--summary"},
                  {outcome, p->outcome, sizeof p->outcome, "--outcome"},
                  {label_ref, p->label_ref, sizeof p->label_ref, "--label-ref"},
                  {startup_ref, p->startup_ref, sizeof p->startup_ref, "--startup-ref"}};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        if (fields[i].value && strlen(fields[i].value) >= fields[i].cap) {
            free(p);
            return cli_usage_error(ctx, "%s is too long (at most %zu bytes)", fields[i].flag, fields[i].cap - 1);
        }
        snprintf(fields[i].out, fields[i].cap, "%s", fields[i].value ? fields[i].value : "");
    }
    cli_actor_name(p->created_by, sizeof p->created_by);
    fow_db *db = NULL;
    if ((rc = cli_open_db(ctx, false, &db))) {
        free(p);
        return rc;
    }
    fow_error err;
    fow_error_clear(&err);
    if (fow_lab_project_add(db, p, (long long)time(NULL), &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_result_lab_project(&w, p);
        rc = cli_print_written(&w);
    } else {
        printf("Project %lld recorded in the lab %s: %s\n", p->id, p->lab, p->title);
    }
    fow_db_close(db);
    free(p);
    return rc;
}

int cli_lab_projects(cli_context *ctx, int argc, char **argv) {
    if (argc > 0 && strcmp(argv[0], "add") == 0) return project_add(ctx, argc - 1, argv + 1);
    ctx->command = "lab projects";
    const char *lab = NULL;
    bool csv = false;
    const cli_option options[] = {{"--lab", &lab, NULL}, {"--csv", NULL, &csv}, {NULL, NULL, NULL}};
    const char *pos[1];
    int n_pos = 0;
    int rc = cli_parse(ctx, argc, argv, options, pos, 0, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(projects_help, stdout);
        return 0;
    }
    if (csv && ctx->json) return cli_usage_error(ctx, "give --csv or --json, not both");
    fow_db *db = NULL;
    if ((rc = cli_open_db(ctx, true, &db))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_lab_project *rows = NULL;
    size_t n = 0;
    if (fow_lab_projects_list(db, lab ? lab : "", &rows, &n, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (csv) {
        char *text = fow_lab_projects_csv(rows, n);
        if (text) fputs(text, stdout);
        else rc = CLI_EXIT_INTERNAL;
        free(text);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_result_lab_projects(&w, lab, rows, n);
        rc = cli_print_written(&w);
    } else if (n == 0) {
        printf("No project is recorded%s%s.\n", lab ? " in the lab " : "", lab ? lab : "");
    } else {
        for (size_t i = 0; i < n; i++)
            printf("%5lld  %-12.12s %-28.28s %s\n", rows[i].id, rows[i].lab,
                   rows[i].person_id[0] ? rows[i].person_id : rows[i].enterprise_code, rows[i].title);
    }
    free(rows);
    fow_db_close(db);
    return rc;
}

static const cli_field_flag feed_field_flags[] = {{"resource", "CODE"}, {"lab", "CODE"}, {NULL, NULL}};

int cli_lab_feed(cli_context *ctx, int argc, char **argv) {
    ctx->command = "lab feed";
    ctx->field_flags = feed_field_flags;
    const cli_option options[] = {{NULL, NULL, NULL}};
    const char *pos[2];
    int n_pos = 0;
    int rc = cli_parse(ctx, argc, argv, options, pos, 2, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(feed_help, stdout);
        return 0;
    }
    if (n_pos != 2) return cli_usage_error(ctx, "give 'resource CODE', 'lab CODE' or 'token ACCOUNT'");
    bool token = strcmp(pos[0], "token") == 0;
    fow_lab_feed_kind kind = strcmp(pos[0], "lab") == 0 ? FOW_LAB_FEED_LAB : FOW_LAB_FEED_RESOURCE;
    if (!token && strcmp(pos[0], "lab") != 0 && strcmp(pos[0], "resource") != 0)
        return cli_usage_error(ctx, "the feed is of a 'resource', a 'lab', or a new 'token', not '%s'", pos[0]);
    fow_db *db = NULL;
    if ((rc = cli_open_db(ctx, !token, &db))) return rc;
    fow_error err;
    fow_error_clear(&err);
    if (token) {
        char secret[65];
        if (fow_lab_feed_token_new(db, pos[1], (long long)time(NULL), secret, &err)) rc = cli_fail(ctx, &err);
        else if (ctx->json) printf("{\"url\": \"/api/v1/lab-feeds/%s.ics\"}\n", secret);
        else printf("/api/v1/lab-feeds/%s.ics\n", secret);
    } else {
        fow_lab_feed feed;
        if (fow_lab_feed_public(db, kind, pos[1], (long long)time(NULL), &feed, &err)) rc = cli_fail(ctx, &err);
        else fputs(feed.ics, stdout);
        fow_lab_feed_free(&feed);
    }
    fow_db_close(db);
    return rc;
}
