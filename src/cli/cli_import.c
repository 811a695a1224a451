/* cli_import.c — `fow import esco|bundle|risk|attributes|crosswalk`. */
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "service/fow_world.h"
#include "taxonomy/fow_import.h"

static const char import_help[] =
    "Usage: fow import KIND PATH [options]\n"
    "\n"
    "Kinds:\n"
    "  esco DIR [--lang XX]   the ESCO portal's CSV files: occupations_XX.csv (required), skills_XX.csv,\n"
    "                         occupationSkillRelations_XX.csv, ISCOGroups_XX.csv,\n"
    "                         broaderRelationsOccPillar_XX.csv and the skill collections (optional).\n"
    "                         The first language imported defines the taxonomy; another adds labels.\n"
    "  bundle DIR             fow's CSV bundle (docs/data-formats.md): occupations.csv and optional\n"
    "                         skills, relations, ISCO groups, parents, translated labels, source.csv\n"
    "  risk FILE --model M    automation risk, M = mcc (Nesta Mapping Career Causeways, 1..5) or\n"
    "                         frey-osborne (probability 0..1); keyed by occupation_uri, isco_code or soc2010\n"
    "  attributes FILE        occupation attributes keyed by occupation_uri\n"
    "  crosswalk FILE         isco08,soc2010 or occupation_uri,onet_code[,confidence]\n"
    "  employment FILE --area NAME [--year Y] [--skip-unknown] [--illustrative]\n"
    "                         employment by occupation: isco_code (ISCO-08, 1-4 digits) or\n"
    "                         occupation_uri; year (or --year); employed or employed_thousands;\n"
    "                         optional sector (NACE Rev. 2), sex, age_group, education, median_wage.\n"
    "                         Masked cells (x, :, empty) stay unknown, never zero. Unknown codes are\n"
    "                         listed with their lines and nothing is imported, unless --skip-unknown.\n"
    "                         The file replaces the area's counts for the years it holds.\n"
    "                         --illustrative marks invented counts (demonstrations): fow says so\n"
    "                         next to every figure made from them.\n"
    "\n"
    "Options:\n"
    "  --lang XX         language of the ESCO files (default en)\n"
    "  --model M         risk model: mcc or frey-osborne\n"
    "  --source NAME     name of the data set (default: from the files, or the known source)\n"
    "  --version V       version of the data set, e.g. 1.2.0\n"
    "  --licence L       licence of the data set\n"
    "  --url URL         where the data set comes from\n"
    "  --db PATH  --json  --quiet  --help\n"
    "\n"
    "Each import is one transaction: a malformed file stops it with file:line:column and leaves the\n"
    "database as it was. Importing the same files again changes nothing; a newer version of a data set\n"
    "replaces the older. A progress bar is shown on a terminal; a summary is printed at the end.\n";

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

static json_t *report_json(const char *kind, const fow_import_report *r) {
    json_t *files = json_array();
    for (size_t i = 0; i < r->n_files; i++) {
        const fow_import_file_report *f = &r->files[i];
        json_t *reasons = json_array();
        for (size_t k = 0; k < f->n_reasons; k++)
            json_array_append_new(reasons, json_pack("{s:s, s:I}", "reason", f->reasons[k].text, "rows",
                                                     (json_int_t)f->reasons[k].count));
        json_array_append_new(files, json_pack("{s:s, s:I, s:I, s:I, s:o}", "file", f->file, "rows_read",
                                               (json_int_t)f->rows_read, "rows_imported", (json_int_t)f->rows_imported,
                                               "rows_rejected", (json_int_t)f->rows_rejected, "rejected_because", reasons));
    }
    json_t *notes = json_array();
    for (size_t i = 0; i < r->n_notes; i++) json_array_append_new(notes, json_string(r->notes[i]));
    return json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:o, s:o}", "kind", kind, "dataset", r->dataset, "source",
                     r->source_name, "version", r->version, "unchanged", r->unchanged, "replaced", r->replaced,
                     "files", files, "notes", notes);
}

static void report_text(const fow_import_report *r) {
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
    static const char *kinds[] = {"esco", "bundle", "risk", "attributes", "crosswalk", "employment"};
    ctx->command = "import";
    if (argc == 0 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        fputs(import_help, argc == 0 ? stderr : stdout);
        return argc == 0 ? CLI_EXIT_USER : 0;
    }
    int kind = -1;
    for (int k = 0; k < 6; k++)
        if (strcmp(argv[0], kinds[k]) == 0) kind = k;
    if (kind < 0)
        return cli_usage_error(ctx, "unknown kind '%s': use esco, bundle, risk, attributes, crosswalk or employment",
                               argv[0]);
    fow_import_options opt = {0};
    const char *year_text = NULL;
    bool skip_unknown = false, illustrative = false;
    const cli_option options[] = {{"--lang", &opt.lang, NULL},       {"--model", &opt.model, NULL},
                                  {"--source", &opt.source_name, NULL}, {"--version", &opt.version, NULL},
                                  {"--licence", &opt.licence, NULL}, {"--url", &opt.url, NULL},
                                  {"--area", &opt.area, NULL},       {"--year", &year_text, NULL},
                                  {"--skip-unknown", NULL, &skip_unknown}, {"--illustrative", NULL, &illustrative},
                                  {NULL, NULL, NULL}};
    const char *pos[1];
    int n_pos;
    int rc = cli_parse(ctx, argc - 1, argv + 1, options, pos, 1, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(import_help, stdout);
        return 0;
    }
    if (n_pos != 1)
        return cli_usage_error(ctx, "'import %s' needs a %s", kinds[kind], kind <= 1 ? "folder (DIR)" : "file (FILE)");
    if (opt.lang && kind != 0 && kind != 1) return cli_usage_error(ctx, "--lang applies to 'import esco' and 'import bundle' only");
    if (opt.model && kind != 2) return cli_usage_error(ctx, "--model applies to 'import risk' only");
    if (kind == 2 && !opt.model) return cli_usage_error(ctx, "'import risk' needs --model mcc or --model frey-osborne");
    if ((opt.area || year_text || skip_unknown || illustrative) && kind != 5)
        return cli_usage_error(ctx, "--area, --year, --skip-unknown and --illustrative apply to 'import employment' only");
    if (kind == 5 && !opt.area) return cli_usage_error(ctx, "'import employment' needs --area NAME");
    long year = 0;
    if (year_text && (rc = cli_parse_size(ctx, "--year", year_text, 1900, 2100, &year))) return rc;
    opt.year = (int)year;
    opt.skip_unknown = skip_unknown;
    opt.illustrative = illustrative;
    progress_state progress = {.enabled = !ctx->quiet && isatty(STDERR_FILENO), .last_percent = -1};
    opt.progress = show_progress;
    opt.progress_ctx = &progress;
    fow_db *db;
    if ((rc = cli_open_db(ctx, false, &db))) return rc;
    fow_import_report report;
    fow_error err;
    fow_error_clear(&err);
    fow_code code;
    switch (kind) {
    case 0: code = fow_import_esco(db, pos[0], &opt, &report, &err); break;
    case 1: code = fow_import_bundle(db, pos[0], &opt, &report, &err); break;
    case 2: code = fow_import_risk(db, pos[0], &opt, &report, &err); break;
    case 3: code = fow_import_attributes(db, pos[0], &opt, &report, &err); break;
    case 4: code = fow_import_crosswalk(db, pos[0], &opt, &report, &err); break;
    default: code = fow_import_employment(db, pos[0], &opt, &report, &err); break;
    }
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
    if (ctx->json) return cli_print_json(report_json(kinds[kind], &report));
    report_text(&report);
    return 0;
}
