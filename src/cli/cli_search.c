/* cli_search.c — `fow search TEXT`. */
#include <string.h>

#include "cli/cli.h"
#include "service/fow_world.h"
#include "taxonomy/fow_model.h"
#include "taxonomy/fow_search.h"
#include "service/fow_result.h"

static const char search_help[] =
    "Usage: fow search TEXT [--kind occupation|skill] [--limit N] [--json]\n"
    "\n"
    "Finds occupations and skills by their preferred and alternative labels, in every imported\n"
    "language. Case, accents (ș ş ț ţ ă â î ...) and typographic apostrophes are ignored; TEXT may\n"
    "be the first letters of a label, and its words may come in any order. Best first (the\n"
    "\"matched\" column):\n"
    "  exact   the whole label\n"
    "  prefix  a label that starts with TEXT\n"
    "  word    a label with a later word that starts with TEXT\n"
    "  words   every word of TEXT starts a word of its own in the label, in any order, or through\n"
    "          a spelling variant the labels show (centre/center): \"agent call center\"\n"
    "  typo    the same with one typo in words of 5 letters or more, when nothing else matches\n"
    "then preferred before alternative labels, shorter before longer. docs/search.md has the rules.\n"
    "\n"
    "Options:\n"
    "  --kind K    occupation or skill (default: both)\n"
    "  --limit N   at most N results, 1..1000 (default 10)\n"
    "  --db PATH  --json  --help\n";

int cli_search(cli_context *ctx, int argc, char **argv) {
    const char *kind_text = NULL, *limit_text = NULL;
    const cli_option options[] = {{"--kind", &kind_text, NULL}, {"--limit", &limit_text, NULL}, {NULL, NULL, NULL}};
    const char *pos[1];
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, options, pos, 1, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(search_help, stdout);
        return 0;
    }
    if (n_pos != 1) return cli_usage_error(ctx, "needs the TEXT to search for");
    fow_kind kind = FOW_KIND_ANY;
    if (kind_text) {
        if (strcmp(kind_text, "occupation") == 0) kind = FOW_KIND_OCCUPATION;
        else if (strcmp(kind_text, "skill") == 0) kind = FOW_KIND_SKILL;
        else return cli_usage_error(ctx, "--kind must be 'occupation' or 'skill', not '%s'", kind_text);
    }
    long limit = 10;
    if (limit_text && (rc = cli_parse_size(ctx, "--limit", limit_text, 1, FOW_SEARCH_MAX_HITS, &limit))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_world *world;
    if (fow_world_open(ctx->db_path, &(fow_world_options){.quick = true}, &world, &err) != FOW_OK)
        return cli_fail(ctx, &err);
    const fow_model *model = fow_world_model(world);
    fow_search_hit hits[FOW_SEARCH_MAX_HITS];
    long n = fow_search(model, pos[0], kind, hits, FOW_SEARCH_MAX_HITS, &err);
    if (n < 0) {
        fow_world_release(world);
        return cli_fail(ctx, &err);
    }
    if (ctx->json) {
        fow_result_context c = {model, NULL, {NULL, NULL}, NULL, NULL, NULL};
        fow_result_page page = {n, 0, limit};
        fow_jw w;
        cli_writer_init(&w);
        fow_result_search(&w, &c, pos[0], hits, n, &page);
        fow_world_release(world);
        return cli_print_written(&w);
    }
    if (n > limit) n = limit;
    if (n == 0) {
        printf("No occupation or skill matches '%s'.\n", pos[0]);
    } else {
        printf("%-10s %-8s %-46s %s\n", "kind", "id", "label", "matched");
        for (long i = 0; i < n; i++) {
            const fow_search_hit *h = &hits[i];
            const fow_model_term *t = &model->terms[h->term];
            bool occ = h->kind == FOW_KIND_OCCUPATION;
            const char *label = occ ? model->occupations[h->entity].label : model->skills[h->entity].label;
            printf("%-10s %-8lld ", occ ? "occupation" : "skill",
                   (long long)(occ ? model->occupations[h->entity].id : model->skills[h->entity].id));
            cli_print_cell(stdout, label, 46);
            const char *matched = fow_model_text(model, t->label);
            if (strcmp(matched, label) != 0 || strcmp(t->lang, "en") != 0)
                printf(" %s \"%s\" (%s)\n", fow_match_name(h->match), matched, t->lang);
            else
                printf(" %s\n", fow_match_name(h->match));
        }
    }
    fow_world_release(world);
    return 0;
}
