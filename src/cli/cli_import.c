/* cli_import.c — `fow import KIND PATH [options]`: the kinds, their options
 * and their help come from libfow's importer registry (fow_importers.h). */
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "service/fow_importers.h"
#include "service/fow_world.h"

#define HELP_WIDTH 100

/* Prints text wrapped at HELP_WIDTH, its lines from column indent; the
 * cursor is at column indent already when at_indent, else at column 0. */
static void print_wrapped(FILE *out, const char *text, int indent, bool at_indent) {
    int column = indent;
    if (!at_indent) fprintf(out, "%*s", indent, "");
    while (*text) {
        size_t word = strcspn(text, " ");
        if (column > indent && column + 1 + (int)word > HELP_WIDTH) {
            fprintf(out, "\n%*s", indent, "");
            column = indent;
        } else if (column > indent) {
            fputc(' ', out);
            column++;
        }
        fprintf(out, "%.*s", (int)word, text);
        column += (int)word;
        text += word;
        while (*text == ' ') text++;
    }
    fputc('\n', out);
}

/* "--skip-unknown" for "skip_unknown". */
static const char *flag_name(const fow_import_option *o, char *buf, size_t n) {
    snprintf(buf, n, "--%s", o->name);
    for (char *p = buf + 2; *p; p++)
        if (*p == '_') *p = '-';
    return buf;
}

/* Whether every kind takes option o. */
static bool common_option(const fow_import_option *o) {
    size_t n;
    const fow_importer *kinds = fow_importers(&n);
    for (size_t k = 0; k < n; k++)
        if (!fow_importer_option(&kinds[k], o->name, NULL)) return false;
    return true;
}

/* The help, from the registry. */
static void print_help(FILE *out) {
    size_t n_kinds, n_options;
    const fow_importer *kinds = fow_importers(&n_kinds);
    const fow_import_option *options[64];
    n_options = fow_import_all_options(options, sizeof options / sizeof *options);
    char flag[64];
    fputs("Usage: fow import KIND PATH [options]\n\nKinds:\n", out);
    for (size_t k = 0; k < n_kinds; k++) {
        const fow_importer *kind = &kinds[k];
        char usage[400];
        size_t used = (size_t)snprintf(usage, sizeof usage, "  %s %s", kind->name,
                                       kind->input == FOW_IMPORT_FOLDER ? "DIR" : "FILE");
        for (size_t i = 0; i < kind->n_options && used < sizeof usage; i++) {
            const fow_import_kind_option *ko = &kind->options[i];
            if (!ko->required && common_option(ko->option)) continue;
            int w = snprintf(usage + used, sizeof usage - used, " %s%s%s%s%s", ko->required ? "" : "[",
                             flag_name(ko->option, flag, sizeof flag), ko->option->value_name ? " " : "",
                             ko->option->value_name ? ko->option->value_name : "", ko->required ? "" : "]");
            if (w > 0) used += (size_t)w;
        }
        fprintf(out, "%s\n", usage);
        print_wrapped(out, kind->description, 6, false);
    }
    char header[400] = "Options (";
    size_t n_common = 0, used = strlen(header);
    for (size_t i = 0; i < n_options; i++) n_common += common_option(options[i]);
    for (size_t i = 0, c = 0; i < n_options && used < sizeof header; i++)
        if (common_option(options[i])) {
            c++;
            int w = snprintf(header + used, sizeof header - used, "%s%s", c == 1 ? "" : c == n_common ? " and " : ", ",
                             flag_name(options[i], flag, sizeof flag));
            if (w > 0) used += (size_t)w;
        }
    if (used < sizeof header)
        snprintf(header + used, sizeof header - used, " apply to every kind, the others to the kinds shown with them):");
    fputc('\n', out);
    print_wrapped(out, header, 0, false);
    for (size_t i = 0; i < n_options; i++) {
        const fow_import_option *o = options[i];
        char left[80];
        snprintf(left, sizeof left, "  %s%s%s", flag_name(o, flag, sizeof flag), o->value_name ? " " : "",
                 o->value_name ? o->value_name : "");
        fprintf(out, "%-22s", left);
        if (strlen(left) >= 22) fputc('\n', out);
        print_wrapped(out, o->description, 22, strlen(left) < 22);
    }
    fputs("  --db PATH  --json  --quiet  --help\n"
          "\n"
          "Each import is one transaction: a malformed file stops it with file:line:column and leaves the\n"
          "database as it was. Importing the same files again changes nothing; a newer version of a data set\n"
          "replaces the older. A progress bar is shown on a terminal; a summary is printed at the end.\n"
          "\n"
          "Where a data set comes from (fow sources): --source, --version, --licence and --url beat what the\n"
          "files say (a bundle's source.csv). Without them:\n"
          "  esco        \"ESCO\", ESCO's licence and address\n"
          "  bundle      source.csv's; without it \"ESCO\" with ESCO's licence when every occupation has an\n"
          "              ESCO URI (http://data.europa.eu/esco/...), else the folder's name\n"
          "  risk, attributes, crosswalk\n"
          "              the published data set they read (Nesta's, Frey and Osborne's, the BLS's), with\n"
          "              its version, licence and address\n"
          "  employment  \"employment by occupation\", unversioned, licence as published by the source\n"
          "The version of ESCO's files, or of a bundle without source.csv, is the number in the folder's\n"
          "name (esco-1.2.0, \"ESCO dataset - v1.2.0 - en - csv\"), else \"unversioned\". A --source of\n"
          "your own drops the built-in version, licence and address: give --version and --licence too.\n"
          "Files uploaded to fow serve (the admin page) must give their source, version and licence.\n"
          "The file formats are in docs/data-formats.md.\n",
          out);
}

typedef struct progress_state {
    bool enabled;
    char last_stage[512];
    int last_percent;
} progress_state;

static void show_progress(void *ctx, const char *stage, size_t done, size_t total) {
    progress_state *p = ctx;
    if (!p->enabled || total == 0) return;
    int percent = (int)(done * 100 / total);
    if (percent == p->last_percent && strcmp(stage, p->last_stage) == 0) return;
    const char *name = strrchr(stage, '/');
    name = name ? name + 1 : stage;
    int filled = percent * 30 / 100;
    fprintf(stderr, "\r  %-36.36s [", name);
    for (int i = 0; i < 30; i++) fputc(i < filled ? '#' : ' ', stderr);
    fprintf(stderr, "] %3d%%", percent);
    if (done == total) fputc('\n', stderr);
    fflush(stderr);
    p->last_percent = percent;
    snprintf(p->last_stage, sizeof p->last_stage, "%s", stage);
}

static void report_text(const fow_import_report *r) {
    if (r->unchanged && r->description_updated) {
        printf("%s %s: the same content was already imported; only the source's description was updated\n",
               r->source_name, r->version);
        for (size_t i = 0; i < r->n_notes; i++) printf("  note: %s\n", r->notes[i]);
        return;
    }
    if (r->unchanged) {
        printf("%s %s: already imported with the same content; nothing changed.\n", r->source_name, r->version);
        return;
    }
    printf("Imported %s, version %s%s\n", r->source_name, r->version, r->replaced ? " (replacing the earlier import)" : "");
    printf("  %-52s %9s %9s %9s\n", "file", "read", "imported", "rejected");
    for (size_t i = 0; i < r->n_files; i++) {
        const fow_import_file_report *f = &r->files[i];
        const char *name = strrchr(f->file, '/');
        printf("  ");
        cli_print_cell(stdout, name ? name + 1 : f->file, 52);
        printf(" %9ld %9ld %9ld\n", f->rows_read, f->rows_imported, f->rows_rejected);
        for (size_t k = 0; k < f->n_reasons; k++)
            printf("      %ld rejected: %s\n", f->reasons[k].count, f->reasons[k].text);
    }
    for (size_t i = 0; i < r->n_notes; i++) printf("  note: %s\n", r->notes[i]);
}

int cli_import(cli_context *ctx, int argc, char **argv) {
    ctx->command = "import";
    if (argc == 0 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        print_help(argc == 0 ? stderr : stdout);
        return argc == 0 ? CLI_EXIT_USER : 0;
    }
    fow_error err;
    fow_error_clear(&err);
    static fow_import_settings settings; /* a few kilobytes: off the stack */
    if (fow_import_settings_init(&settings, argv[0], &err) != FOW_OK) {
        char names[200];
        return cli_usage_error(ctx, "unknown kind '%s': use %s", argv[0], fow_importer_names(names, sizeof names));
    }
    const fow_importer *kind = settings.kind;
    /* every option of every kind is parsed, so that one given to the wrong
     * kind is refused by name (by the registry) rather than as unknown */
    const fow_import_option *all[FOW_IMPORT_MAX_OPTIONS * 4];
    size_t n_all = fow_import_all_options(all, sizeof all / sizeof *all);
    char flags[sizeof all / sizeof *all][64];
    const char *values[sizeof all / sizeof *all] = {0};
    bool set[sizeof all / sizeof *all] = {0};
    cli_option options[sizeof all / sizeof *all + 1];
    for (size_t i = 0; i < n_all; i++) {
        options[i].name = flag_name(all[i], flags[i], sizeof flags[i]);
        options[i].value = all[i]->type == FOW_OPTION_BOOLEAN ? NULL : &values[i];
        options[i].flag = all[i]->type == FOW_OPTION_BOOLEAN ? &set[i] : NULL;
    }
    options[n_all] = (cli_option){NULL, NULL, NULL};
    const char *pos[1];
    int n_pos;
    int rc = cli_parse(ctx, argc - 1, argv + 1, options, pos, 1, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        print_help(stdout);
        return 0;
    }
    if (n_pos != 1)
        return cli_usage_error(ctx, "'import %s' needs a %s", kind->name,
                               kind->input == FOW_IMPORT_FOLDER ? "folder (DIR)" : "file (FILE)");
    fow_code code = FOW_OK;
    for (size_t i = 0; i < n_all && !code; i++)
        if (values[i] || set[i]) code = fow_import_settings_set(&settings, all[i]->name, set[i] ? "true" : values[i], &err);
    if (!code) code = fow_import_settings_check(&settings, &err);
    if (code) return cli_fail(ctx, &err);
    progress_state progress = {.enabled = !ctx->quiet && isatty(STDERR_FILENO), .last_percent = -1};
    fow_db *db;
    if ((rc = cli_open_db(ctx, false, &db))) return rc;
    static fow_import_report report; /* large: off the stack */
    code = fow_import_run(db, &settings, pos[0], show_progress, &progress, &report, &err);
    fow_db_close(db);
    if (progress.enabled && progress.last_percent >= 0 && progress.last_percent < 100) fputc('\n', stderr);
    if (code != FOW_OK) {
        rc = cli_fail(ctx, &err);
        fprintf(stderr, "fow import: nothing was imported; the database is unchanged.\n");
        return rc;
    }
    /* the snapshot of the world follows the import; the import stands
     * even when it cannot be saved (the next query rebuilds it) */
    if (fow_world_refresh(ctx->db_path, &err) != FOW_OK)
        fprintf(stderr, "fow import: note: the snapshot of the world was not updated: %s\n", err.message);
    if (ctx->json) {
        json_t *json = fow_import_report_json(kind->name, &report, NULL);
        if (!json) return cli_fail(ctx, &(fow_error){.code = FOW_ENOMEM, .message = "out of memory"});
        return cli_print_json(json);
    }
    report_text(&report);
    return 0;
}
