/* cli_sources.c — `fow sources` and `fow stats`. */
#include <stdlib.h>

#include "cli/cli.h"
#include "taxonomy/fow_import.h"
#include "taxonomy/fow_occupation.h"
#include "service/fow_result.h"
#include "service/fow_world.h"

static const char sources_help[] =
    "Usage: fow sources [--json]\n"
    "\n"
    "Lists every data set imported into the database: what it is (data set key), its name,\n"
    "version, licence, where it comes from, the path imported, the rows it holds, when it was\n"
    "imported and a fingerprint of its files.\n";

static const char stats_help[] =
    "Usage: fow stats [--json]\n"
    "\n"
    "Counts what the database holds: occupations, skills, relations, ISCO groups, nested\n"
    "occupations, labels and languages, risk values per model, attributes, sources.\n";

int cli_sources(cli_context *ctx, int argc, char **argv) {
    const char *pos[1];
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, NULL, pos, 0, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(sources_help, stdout);
        return 0;
    }
    fow_db *db;
    if ((rc = cli_open_db(ctx, true, &db))) return rc;
    fow_source_info *s;
    size_t n;
    fow_error err;
    fow_error_clear(&err);
    fow_code code = fow_sources_list(db, &s, &n, &err);
    fow_db_close(db);
    if (code) return cli_fail(ctx, &err);
    if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_result_sources(&w, s, n);
        free(s);
        return cli_print_written(&w);
    }
    if (n == 0) printf("No data imported yet. Try: make run (the demo), or fow import --help.\n");
    for (size_t i = 0; i < n; i++) {
        printf("%s\n", s[i].dataset);
        printf("  %s, version %s\n", s[i].name, s[i].version);
        printf("  licence:  %s\n", s[i].licence);
        if (s[i].url[0]) printf("  from:     %s\n", s[i].url);
        printf("  imported: %s from %s (%lld rows, fingerprint %s)\n", s[i].imported_at, s[i].path, s[i].rows,
               s[i].fingerprint);
    }
    free(s);
    return 0;
}

int cli_stats(cli_context *ctx, int argc, char **argv) {
    const char *pos[1];
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, NULL, pos, 0, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(stats_help, stdout);
        return 0;
    }
    fow_db *db;
    if ((rc = cli_open_db(ctx, true, &db))) return rc;
    fow_db_stats st;
    fow_error err;
    fow_error_clear(&err);
    fow_code code = fow_db_stats_load(db, &st, &err);
    fow_db_close(db);
    if (code) return cli_fail(ctx, &err);
    if (ctx->json) {
        fow_world *world; /* the model's counts and the sources' labels */
        if (fow_world_open(ctx->db_path, &(fow_world_options){.quick = true}, &world, &err)) return cli_fail(ctx, &err);
        const fow_world_sources *src = fow_world_sources_of(world);
        fow_result_context c = {fow_world_model(world), NULL, {src->risk[0], src->risk[1]}, src->attributes, NULL,
                                src->taxonomy};
        fow_jw w;
        cli_writer_init(&w);
        fow_result_stats_at(&w, &c, fow_world_counts(world), -1, fow_world_data_version(world)); /* one state */
        fow_world_release(world);
        return cli_print_written(&w);
    }
    printf("%-40s %10lld\n", "occupations", st.occupations);
    printf("%-40s %10lld\n", "skills", st.skills);
    printf("%-40s %10lld\n", "occupation-skill relations", st.relations);
    printf("%-40s %10lld\n", "ISCO-08 groups", st.isco_groups);
    printf("%-40s %10lld\n", "nested occupation links", st.parents);
    printf("%-40s %10lld (%lld languages)\n", "labels", st.labels, st.languages);
    printf("%-40s %10lld\n", "occupations with MCC risk", st.risk_mcc);
    printf("%-40s %10lld\n", "occupations with Frey & Osborne risk", st.risk_frey_osborne);
    printf("%-40s %10lld\n", "occupations with attributes", st.attributes);
    printf("%-40s %10lld (fow sources lists them)\n", "data sources", st.sources);
    return 0;
}
