/* cli_occupation.c — `fow occupation KEY` and `fow risk`. */
#include <math.h>
#include <string.h>

#include "cli/cli.h"
#include "service/fow_json.h"
#include "service/fow_result.h"
#include "service/fow_world.h"
#include "taxonomy/fow_occupation.h"

static const char occupation_help[] =
    "Usage: fow occupation ID|URI|CODE|LABEL [--json]\n"
    "\n"
    "Shows one occupation: its ISCO-08 path, labels in every imported language, essential and\n"
    "optional skills, automation risk under each model with its source and how it was obtained\n"
    "(own estimate, inherited from a broader occupation, or reached through a crosswalk), the\n"
    "model's estimates for its ISCO groups, attributes, and broader and narrower occupations.\n"
    "LABEL ignores case and accents: fow occupation 'software developer'.\n";

static const char risk_help[] =
    "Usage: fow risk [--model mcc|frey-osborne] [--limit N] [--own] [--json]\n"
    "\n"
    "Lists the occupations at the highest risk of automation under a model (default mcc:\n"
    "Nesta Mapping Career Causeways, 1 = minimal .. 5 = maximal; frey-osborne: probability of\n"
    "computerisation 0..1), with how each value was obtained.\n"
    "\n"
    "Options:\n"
    "  --model M   mcc or frey-osborne (default mcc)\n"
    "  --limit N   how many, 1..10000 (default 10)\n"
    "  --own       only the model's own estimates (no inherited or crosswalk values)\n"
    "  --db PATH  --json  --help\n";

static void print_method(const char *method, const char *detail, const fow_occupation_ref *from) {
    if (strcmp(method, "own") == 0) printf("own estimate");
    else if (strcmp(method, "inherited") == 0) {
        printf("inherited from %s (%s)", from->label, from->code[0] ? from->code : from->uri);
        if (detail[0]) printf(", where: %s", detail);
    }
    else printf("%s", detail);
}

static void detail_text(const fow_occupation_detail *d) {
    printf("%s\n", d->self.label);
    printf("  id %lld, code %s, %s\n", (long long)d->self.id, d->self.code[0] ? d->self.code : "-", d->self.uri);
    printf("  from %s %s\n", d->source_name, d->source_version);
    if (d->n_isco_path) {
        printf("\nISCO-08\n");
        for (size_t i = 0; i < d->n_isco_path; i++)
            printf("  %*s%-4s %s\n", (int)i * 2, "", d->isco_path[i].code,
                   d->isco_path[i].label[0] ? d->isco_path[i].label : "(group not imported)");
    }
    if (d->n_labels > 1) {
        printf("\nLabels\n");
        for (size_t i = 0; i < d->n_labels; i++)
            printf("  [%s] %s%s\n", d->labels[i].lang, d->labels[i].label, d->labels[i].preferred ? " (preferred)" : "");
    }
    printf("\nAutomation risk\n");
    if (!d->n_risks && !d->n_group_risks) printf("  no estimate imported\n");
    for (size_t i = 0; i < d->n_risks; i++) {
        const fow_risk_estimate *r = &d->risks[i];
        if (strcmp(r->model, "mcc") == 0)
            printf("  MCC risk %.2f on 1..5%s%s%s", r->risk, r->category[0] ? ", " : "", r->category,
                   isnan(r->prevalence) ? "" : "");
        else
            printf("  Frey & Osborne probability %.2f%s", r->risk, r->risk >= 0.7 ? " (high risk: 0.7 or more)" : "");
        if (!isnan(r->prevalence)) printf(", bottleneck-task prevalence %.2f", r->prevalence);
        printf("\n    ");
        print_method(r->method, r->detail, &r->from);
        printf("; source: %s, %s\n", r->source_name, r->source_version);
    }
    for (size_t i = 0; i < d->n_group_risks; i++) {
        const fow_group_risk *g = &d->group_risks[i];
        printf("  ISCO %s average under %s: %.2f%s%s (%s)\n", g->isco_code, g->model, g->risk, g->category[0] ? ", " : "",
               g->category, g->source_name);
    }
    const fow_occupation_attributes *a = &d->attributes;
    if (a->present) {
        printf("\nAttributes (");
        print_method(a->method, "", &a->from);
        printf("; source: %s, %s)\n", a->source_name, a->source_version);
        if (!isnan(a->job_zone)) printf("  job zone (preparation, 1..5)          %.0f\n", a->job_zone);
        if (!isnan(a->education_level)) printf("  education level (1..12)               %.1f\n", a->education_level);
        if (!isnan(a->annual_earnings_gbp)) printf("  indicative UK annual earnings (GBP)   %.0f\n", a->annual_earnings_gbp);
        if (!isnan(a->remote_labor_index)) printf("  remote work index (0..1)              %.2f\n", a->remote_labor_index);
        if (!isnan(a->physical_proximity)) printf("  physical proximity (0..1)             %.2f\n", a->physical_proximity);
        if (a->skills_sector[0]) printf("  skills cluster                        %s / %s\n", a->skills_sector, a->skills_subsector);
    }
    size_t n_essential = 0;
    for (size_t i = 0; i < d->n_skills; i++) n_essential += d->skills[i].essential;
    printf("\nEssential skills (%zu)\n", n_essential);
    for (size_t i = 0; i < d->n_skills; i++)
        if (d->skills[i].essential) printf("  - %s\n", d->skills[i].label);
    printf("\nOptional skills (%zu)\n", d->n_skills - n_essential);
    for (size_t i = 0; i < d->n_skills; i++)
        if (!d->skills[i].essential) printf("  - %s\n", d->skills[i].label);
    if (d->n_parents) {
        printf("\nBroader occupation\n");
        for (size_t i = 0; i < d->n_parents; i++) printf("  %s (%s)\n", d->parents[i].label, d->parents[i].code);
    }
    if (d->n_children) {
        printf("\nNarrower occupations (%zu)\n", d->n_children);
        for (size_t i = 0; i < d->n_children; i++) printf("  %s (%s)\n", d->children[i].label, d->children[i].code);
    }
    if (d->description[0]) printf("\n%s\n", d->description);
}

int cli_occupation(cli_context *ctx, int argc, char **argv) {
    const char *pos[1];
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, NULL, pos, 1, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(occupation_help, stdout);
        return 0;
    }
    if (n_pos != 1) return cli_usage_error(ctx, "needs an occupation: its id, URI, code or label");
    fow_db *db;
    if ((rc = cli_open_db(ctx, true, &db))) return rc;
    fow_error err;
    fow_error_clear(&err);
    int64_t id;
    fow_occupation_detail d;
    memset(&d, 0, sizeof d);
    fow_world *world = NULL;
    fow_code code = fow_occupation_find(db, pos[0], &id, &err);
    if (!code) code = fow_occupation_detail_load(db, id, &d, &err);
    fow_db_close(db);
    if (!code && ctx->json) /* the summary is the model's */
        code = fow_world_open(ctx->db_path, &(fow_world_options){.quick = true}, &world, &err);
    if (code) {
        fow_occupation_detail_free(&d);
        fow_world_release(world);
        return cli_fail(ctx, &err);
    }
    if (ctx->json) {
        const fow_model *model = fow_world_model(world);
        uint32_t o = 0;
        while (o < model->n_occupations && model->occupations[o].id != id) o++;
        fow_result_context c = {model, NULL, {NULL, NULL}, NULL, NULL, NULL};
        fow_jw w;
        cli_writer_init(&w);
        fow_result_occupation(&w, &c, &d, o < model->n_occupations ? o : FOW_NO_INDEX);
        rc = cli_print_written(&w);
    } else {
        detail_text(&d);
    }
    fow_occupation_detail_free(&d);
    fow_world_release(world);
    return rc;
}

int cli_risk(cli_context *ctx, int argc, char **argv) {
    const char *model = "mcc", *limit_text = NULL;
    bool own = false;
    const cli_option options[] = {{"--model", &model, NULL}, {"--limit", &limit_text, NULL}, {"--own", NULL, &own},
                                  {NULL, NULL, NULL}};
    const char *pos[1];
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, options, pos, 0, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(risk_help, stdout);
        return 0;
    }
    long limit = 10;
    if (limit_text && (rc = cli_parse_size(ctx, "--limit", limit_text, 1, 10000, &limit))) return rc;
    if (strcmp(model, "mcc") != 0 && strcmp(model, "frey-osborne") != 0)
        return cli_usage_error(ctx, "--model must be 'mcc' or 'frey-osborne', not '%s'", model);
    fow_db *db;
    if ((rc = cli_open_db(ctx, true, &db))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_risk_ranking ranking;
    fow_code code = fow_risk_ranking_load(db, model, (size_t)limit, own, &ranking, &err);
    fow_db_close(db);
    if (code) {
        fow_risk_ranking_free(&ranking);
        return cli_fail(ctx, &err);
    }
    if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_result_risk_ranking(&w, model, &ranking);
        rc = cli_print_written(&w);
    } else if (ranking.n_rows == 0) {
        printf("No %s risk values imported yet (fow import risk FILE --model %s).\n", model, model);
    } else {
        printf("Highest automation risk, %s (%s); %zu occupations have a value.\n",
               strcmp(model, "mcc") == 0 ? "Nesta Mapping Career Causeways" : "Frey & Osborne", fow_risk_scale(model),
               ranking.n_total);
        if (ranking.source_name) printf("Source: %s, %s\n", ranking.source_name, ranking.source_version);
        printf("\n  %6s  %-44s %-5s %-10s %s\n", "risk", "occupation", "ISCO", "category", "how");
        for (size_t i = 0; i < ranking.n_rows; i++) {
            const fow_risk_row *r = &ranking.rows[i];
            printf("  %6.2f  ", r->risk);
            cli_print_cell(stdout, r->occupation.label, 44);
            printf(" %-5s %-10s %s\n", r->isco_group, r->category[0] ? r->category : "-", r->method);
        }
    }
    fow_risk_ranking_free(&ranking);
    return rc;
}
