/* cli_training.c — `fow modules` and `fow module`: the learning catalogue. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "training/fow_training.h"

static const char modules_help[] =
    "Usage: fow modules [TEXT] [--skill SKILL] [--json]\n"
    "\n"
    "Lists the learning catalogue: the approved modules, those imported with 'fow import modules\n"
    "FILE' and those providers wrote in the web app that a programme manager approved\n"
    "(docs/training.md), by programme, each with its provider, hours, mode, language, cost per\n"
    "participant and the skills it teaches.\n"
    "\n"
    "Options:\n"
    "  TEXT           only modules with every word of TEXT in their code, titles, provider or\n"
    "                 programme (case and accents ignored)\n"
    "  --skill SKILL  only modules teaching SKILL: a skill URI, or its label (any case)\n"
    "  --db PATH  --json  --help\n";

static const char module_help[] =
    "Usage: fow module ID [--json]\n"
    "\n"
    "Shows one approved module of the learning catalogue, by the id 'fow modules' lists: its ro\n"
    "and en titles and descriptions, provider and accreditation, the skills it teaches (with their\n"
    "URIs), hours, mode, language, place, cost per participant, prerequisites and eligibility.\n"
    "\n"
    "Options:\n"
    "  --db PATH  --json  --help\n";

static int load(cli_context *ctx, fow_training_catalogue *c) {
    fow_db *db;
    int rc = cli_open_db(ctx, true, &db);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_code code = fow_training_load(db, c, &err);
    fow_db_close(db);
    if (code) {
        fow_training_free(c);
        return cli_fail(ctx, &err);
    }
    return 0;
}

static void print_cost(const fow_training_module *m) {
    if (m->cost_minor == 0) printf("free");
    else printf("%lld.%02lld %s", m->cost_minor / 100, m->cost_minor % 100, m->currency);
}

static void print_skills(const fow_training_module *m, fow_training_link_kind kind, const char *head) {
    bool first = true;
    for (size_t i = 0; i < m->n_links; i++) {
        if (m->links[i].kind != kind) continue;
        printf("%s%s", first ? head : "; ", m->links[i].label);
        first = false;
    }
    if (!first) printf("\n");
}

int cli_modules(cli_context *ctx, int argc, char **argv) {
    const char *skill = NULL;
    const cli_option options[] = {{"--skill", &skill, NULL}, {NULL, NULL, NULL}};
    const char *pos[1];
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, options, pos, 1, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(modules_help, stdout);
        return 0;
    }
    fow_training_catalogue c;
    if ((rc = load(ctx, &c))) return rc;
    fow_training_query q = {.skill = skill, .text = n_pos ? pos[0] : NULL};
    size_t *idx = NULL, n = 0;
    fow_error err;
    fow_error_clear(&err);
    if (fow_training_find(&c, &q, &idx, &n, &err)) {
        fow_training_free(&c);
        return cli_fail(ctx, &err);
    }
    if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_training_result_modules(&w, &c, idx, n, &q);
        free(idx);
        fow_training_free(&c);
        return cli_print_written(&w);
    }
    if (c.n_modules == 0)
        printf("The learning catalogue is empty. Import one with: fow import modules FILE (docs/training.md).\n");
    else if (n == 0) printf("No module matches.\n");
    const char *programme = NULL;
    for (size_t i = 0; i < n; i++) {
        const fow_training_module *m = &c.modules[idx[i]];
        if (!programme || strcmp(programme, m->programme) != 0) {
            printf("%s%s\n", i ? "\n" : "", *m->programme ? m->programme : "(no programme)");
            programme = m->programme;
        }
        printf("  [%lld] %s  %s\n", (long long)m->id, m->code, m->title_en);
        printf("       %s; %g h, %s, %s; ", m->provider, m->hours, m->mode, m->language);
        print_cost(m);
        printf(" per participant\n");
        print_skills(m, FOW_TRAINING_TEACHES, "       teaches: ");
    }
    if (n) printf("\n%zu of %zu modules. Details: fow module ID.\n", n, c.n_modules);
    free(idx);
    fow_training_free(&c);
    return 0;
}

int cli_module(cli_context *ctx, int argc, char **argv) {
    const char *pos[1];
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, NULL, pos, 1, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(module_help, stdout);
        return 0;
    }
    if (n_pos != 1) return cli_usage_error(ctx, "needs the ID of a module (fow modules lists them)");
    long id;
    if ((rc = cli_parse_size(ctx, "ID", pos[0], 1, 0x7fffffffL, &id))) return rc;
    fow_training_catalogue c;
    if ((rc = load(ctx, &c))) return rc;
    const fow_training_module *m = fow_training_module_by_id(&c, id);
    if (!m) {
        fow_training_free(&c);
        fow_error err;
        fow_error_clear(&err);
        fow_error_set(&err, FOW_ENOTFOUND, "no module with id %ld in the learning catalogue", id);
        return cli_fail(ctx, &err);
    }
    if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_training_result_module(&w, &c, m);
        fow_training_free(&c);
        return cli_print_written(&w);
    }
    printf("%s  %s\n  ro: %s\n", m->code, m->title_en, m->title_ro);
    if (*m->description_en) printf("  %s\n", m->description_en);
    printf("provider:     %s", m->provider);
    if (*m->accreditation)
        printf(" (accreditation %s%s%s)", m->accreditation, *m->accreditation_valid_until ? ", valid until " : "",
               m->accreditation_valid_until);
    printf("\n");
    if (*m->programme) printf("programme:    %s\n", m->programme);
    printf("hours:        %g\nmode:         %s\nlanguage:     %s\n", m->hours, m->mode, m->language);
    if (*m->place) printf("place:        %s\n", m->place);
    printf("cost:         ");
    print_cost(m);
    printf(" per participant\n");
    print_skills(m, FOW_TRAINING_TEACHES, "teaches:      ");
    print_skills(m, FOW_TRAINING_NEEDS_SKILL, "needs skills: ");
    print_skills(m, FOW_TRAINING_NEEDS_MODULE, "needs module: ");
    if (*m->eligibility) printf("eligibility:  %s\n", m->eligibility);
    fow_training_free(&c);
    return 0;
}
