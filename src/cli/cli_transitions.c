/* cli_transitions.c — `fow transitions`, `fow similar`, `fow gap`,
 * `fow upskill`: the career transitions engine from the command line. */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "service/fow_json.h"
#include "service/fow_result.h"
#include "service/fow_world.h"
#include "transitions/fow_resolve.h"
#include "transitions/fow_similarity.h"
#include "transitions/fow_transitions.h"
#include "training/fow_match.h"
#include "training/fow_training.h"
#include "taxonomy/fow_import.h"
#include "taxonomy/fow_model.h"

static const char transitions_help[] =
    "Usage: fow transitions OCCUPATION [options]\n"
    "       fow transitions --skills \"LABEL; LABEL; ...\" | --skills-file FILE [options]\n"
    "       fow transitions --group ISCO_CODE [options]\n"
    "       fow transitions --all --out FILE.csv [--limit K] [options]\n"
    "\n"
    "Occupations one can move to: ranked by similarity (0..1: skills, work context and ISCO group\n"
    "combined; docs/transitions.md), each judged viable (similarity >= 0.30 and at most half of the\n"
    "destination's essential skills to learn, the origin's probable skills counting as held; highly\n"
    "viable >= 0.50), desirable (keeps >= 75% of earnings, job zone within 1) and safe (not at high\n"
    "risk, and risk lower by at least the model's margin: 0.09 MCC, 0.16 Frey & Osborne). 'unknown'\n"
    "where data is missing: never guessed.\n"
    "When no move passes, the nearest safe and desirable ones are shown with what they lack, and\n"
    "the skill that would open the most moves.\n"
    "OCCUPATION is a URI, the last part of a URI, an ESCO code or a label.\n"
    "\n"
    "From a person's skills (labels or URIs, separated by ';' or new lines): the occupations the\n"
    "person fits best, then moves from there (judged against the best fit, or --as OCCUPATION).\n"
    "--group: the destinations reached by the most occupations of an ISCO-08 group (1-4 digits).\n"
    "--all: the top K destinations of every occupation to a CSV file.\n"
    "\n"
    "Options:\n"
    "  --safe               only safe moves          --strict   only strictly safe moves (also a\n"
    "  --desirable          only desirable moves                higher share of bottleneck tasks)\n"
    "  --min-similarity X   only destinations at least X similar, 0..1 (default 0.30, viable; below\n"
    "                       0.30 moves that are not viable are listed too; with --all: 0, so that\n"
    "                       every occupation gets its top K)\n"
    "  --safe-rule R        margin (default: risk lower by the model's margin) or lower (MCC's own\n"
    "                       rule: any lower risk)\n"
    "  --limit N            at most N destinations (default 20)\n"
    "  --model M            risk model for safety: mcc (default) or frey-osborne\n"
    "  --as OCCUPATION      with --skills: judge desirability and safety against this occupation\n"
    "  --csv                CSV on stdout instead of a table\n"
    "  --out FILE           with --all: the CSV file to write\n"
    "  --db PATH  --json  --help\n";

static const char similar_help[] =
    "Usage: fow similar OCCUPATION [--limit N] [--json|--csv]\n"
    "\n"
    "The occupations most similar to OCCUPATION by skills (how much of each one's requirements\n"
    "OCCUPATION covers; docs/transitions.md), without judging risk or pay, next to plain Jaccard\n"
    "overlap of the two skill sets for comparison.\n"
    "\n"
    "Options:\n"
    "  --limit N   at most N occupations (default 20)\n"
    "  --csv       CSV on stdout\n"
    "  --db PATH  --json  --help\n";

static const char gap_help[] =
    "Usage: fow gap FROM TO [--limit N] [--model M] [--safe-rule R] [--json]\n"
    "       fow gap --skills \"LABEL; ...\" [--as OCCUPATION] TO\n"
    "       fow gap --person ID [--as OCCUPATION] TO\n"
    "\n"
    "The skill gap of a move: the destination's essential skills the origin has to learn, most\n"
    "important first (importance: the share of the destination's requirements the skill stands for,\n"
    "less what a related skill of the origin already covers), and the skills that transfer, exactly\n"
    "or through a related skill. From an occupation, the essential skills it probably has though\n"
    "ESCO does not list them (see 'fow probable-skills') are shown apart, as \"probably held -\n"
    "confirm\", not to learn. The move is viable when at most half of the essential skills are to\n"
    "learn (docs/transitions.md, \"Viable\").\n"
    "\n"
    "Options:\n"
    "  --skills TEXT       the origin is a person with these skills (all taken as held)\n"
    "  --skills-file FILE  the same, read from a file\n"
    "  --person ID         the origin is a person's stored skills profile (fow person skills ID:\n"
    "                      every provenance), judged as their occupation; needs their counselling\n"
    "                      consent, and the read is in the audit log\n"
    "  --as OCCUPATION     with --skills or --person: judge desirability and safety against this\n"
    "                      occupation\n"
    "  --limit N           list at most N skills of each kind (default all)\n"
    "  --model M           risk model for safety: mcc (default) or frey-osborne\n"
    "  --safe-rule R       margin (default: risk lower by the model's margin) or lower (MCC's own\n"
    "                      rule: any lower risk)\n"
    "  --db PATH  --json  --help\n";

static const char skill_help[] =
    "Usage: fow skill URI|LABEL [--json]\n"
    "\n"
    "One skill: its type and flags (green, digital, transversal, language), its weight in the\n"
    "similarity measure, the occupations it is essential and optional for, its related skills\n"
    "(co-occurrence and shared words; docs/transitions.md) and its labels. The skill is named by\n"
    "its URI, the last part of its URI, or a label.\n"
    "\n"
    "Options:\n"
    "  --db PATH  --json  --help\n";

static const char upskill_help[] =
    "Usage: fow upskill OCCUPATION [options]\n"
    "       fow upskill --group ISCO_CODE [options]\n"
    "       fow upskill --skills \"LABEL; ...\" [--as OCCUPATION] [options]\n"
    "\n"
    "Which single skill, once learned, opens the most new safe and desirable viable moves, with the\n"
    "count for each. Candidates: the skills of the safe and desirable destinations not yet viable,\n"
    "the --candidates with the most potential; each is evaluated exactly. --group sums the counts\n"
    "over all occupations of an ISCO-08 group (1-4 digits), e.g. 4222 contact centre clerks.\n"
    "--skills: for a worker known by skills (labels, URIs or their last segments), whose moves are\n"
    "judged against --as, their current occupation (without it, safety and desirability are unknown\n"
    "and only --any finds skills).\n"
    "\n"
    "Options:\n"
    "  --skills TEXT     the worker's skills, separated by ';' (or --skills-file FILE)\n"
    "  --as OCCUPATION   with --skills: the occupation moves are judged against\n"
    "  --limit N         at most N skills (default 10)\n"
    "  --candidates N    skills evaluated per occupation, 1..10000 (default 100)\n"
    "  --any             count every viable move, not only safe and desirable ones\n"
    "  --strict          count strictly safe moves only\n"
    "  --model M         risk model: mcc (default) or frey-osborne\n"
    "  --safe-rule R     margin (default: risk lower by the model's margin) or lower (any lower risk)\n"
    "  --min-similarity X  similarity a move needs (default 0.30, viable: also at most half of the\n"
    "                    destination's essential skills missing)\n"
    "  --csv  --db PATH  --json  --help\n";

/* ---- the engine, loaded once per command ------------------------------- */

typedef struct engine {
    fow_world *world;
    const fow_model *model;
    const fow_similarity_index *index;
    fow_similarity_workspace *ws;
    char risk_source[2][300];
    char attributes_source[300];
} engine;

static void engine_close(engine *e) {
    if (e->world) fow_world_workspace_return(e->world, e->ws);
    fow_world_release(e->world);
}

static int engine_open(cli_context *ctx, engine *e) {
    memset(e, 0, sizeof *e);
    fow_error err;
    fow_error_clear(&err);
    if (fow_world_open(ctx->db_path, &(fow_world_options){.quick = true}, &e->world, &err)) return cli_fail(ctx, &err);
    e->model = fow_world_model(e->world);
    e->index = fow_world_index(e->world);
    const fow_world_sources *sources = fow_world_sources_of(e->world);
    const char *none[2] = {"no MCC risk imported", "no Frey & Osborne risk imported"};
    for (int m = 0; m < 2; m++)
        snprintf(e->risk_source[m], sizeof e->risk_source[m], "%s", sources->risk[m][0] ? sources->risk[m] : none[m]);
    snprintf(e->attributes_source, sizeof e->attributes_source, "%s",
             sources->attributes[0] ? sources->attributes : "no occupation attributes imported");
    if (e->model->n_occupations == 0) {
        engine_close(e);
        fow_error_set(&err, FOW_ENOTFOUND, "the database holds no occupations: import a taxonomy first (fow import --help)");
        return cli_fail(ctx, &err);
    }
    if (!(e->ws = fow_world_workspace_borrow(e->world))) {
        engine_close(e);
        fow_error_set(&err, FOW_ENOMEM, "out of memory");
        return cli_fail(ctx, &err);
    }
    return 0;
}

static int resolve_occupation(cli_context *ctx, const engine *e, const char *key, uint32_t *index) {
    fow_error err;
    fow_error_clear(&err);
    if (fow_resolve_occupation(e->model, key, index, &err)) return cli_fail(ctx, &err);
    return 0;
}

static int parse_similarity(cli_context *ctx, const char *text, float *out) {
    if (!*text || strspn(text, "0123456789.") != strlen(text))
        return cli_usage_error(ctx, "--min-similarity must be a number from 0 to 1, not '%s'", text);
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end || !(v >= 0.0 && v <= 1.0))
        return cli_usage_error(ctx, "--min-similarity must be a number from 0 to 1, not '%s'", text);
    *out = (float)v;
    return 0;
}

/* ---- a person's skills ------------------------------------------------ */

#define MAX_PERSON_SKILLS 500

typedef struct person {
    char *text;
    char *items[MAX_PERSON_SKILLS];
    uint32_t n_items;
    fow_skill_resolution res[MAX_PERSON_SKILLS];
    uint32_t skills[MAX_PERSON_SKILLS];
    uint32_t n_skills;
    uint32_t n_unresolved;
} person;

static int read_file_text(cli_context *ctx, const char *path, char **out) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fow_error err;
        fow_error_set_at(&err, FOW_EIO, path, 0, 0, "--skills-file", "cannot open: %s", strerror(errno));
        return cli_fail(ctx, &err);
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += r;
        if (len > (1u << 20)) {
            fclose(f);
            free(buf);
            return cli_usage_error(ctx, "--skills-file %s is larger than 1 MB", path);
        }
        if (cap - len - 1 == 0) {
            char *grown = realloc(buf, cap * 2);
            if (!grown) free(buf);
            buf = grown, cap *= 2;
        }
    }
    fclose(f);
    if (!buf) return cli_usage_error(ctx, "out of memory reading %s", path);
    buf[len] = '\0';
    *out = buf;
    return 0;
}

/* Resolves the person's skills; fails only when none is recognised. */
static int person_resolve(cli_context *ctx, const engine *e, const char *skills_text, const char *skills_file,
                          person *p) {
    memset(p, 0, sizeof *p);
    int rc;
    if (skills_file) {
        if ((rc = read_file_text(ctx, skills_file, &p->text))) return rc;
    } else {
        p->text = strdup(skills_text);
        if (!p->text) return cli_usage_error(ctx, "out of memory");
    }
    uint32_t n = fow_resolve_split(p->text, p->items, MAX_PERSON_SKILLS);
    if (n > MAX_PERSON_SKILLS)
        return cli_usage_error(ctx, "at most %d skills, not %u", MAX_PERSON_SKILLS, n);
    if (n == 0) return cli_usage_error(ctx, "no skills given (separate labels with ';' or new lines)");
    p->n_items = n;
    for (uint32_t i = 0; i < n; i++) {
        /* a URI, its last segment or a label */
        uint32_t key = fow_resolve_skill_key(e->model, p->items[i]);
        if (key != FOW_NO_INDEX) memset(&p->res[i], 0, sizeof p->res[i]), p->res[i].skill = key;
        else fow_resolve_skill(e->model, p->items[i], &p->res[i]);
        if (p->res[i].skill == FOW_NO_INDEX) p->n_unresolved++;
        else p->skills[p->n_skills++] = p->res[i].skill;
    }
    /* unresolved items are always reported, on stderr, whatever the format */
    for (uint32_t i = 0; i < n; i++) {
        if (p->res[i].skill != FOW_NO_INDEX) continue;
        char list[600];
        fow_resolve_format_suggestions(e->model, 1, p->res[i].suggestions, p->res[i].n_suggestions, list, sizeof list);
        fprintf(stderr, "fow %s: skill %u '%s' is not an ESCO skill label or URI%s%s\n", ctx->command, i + 1,
                p->items[i], p->res[i].n_suggestions ? "; close matches: " : " (no close match)", list);
    }
    if (p->n_skills == 0) {
        fow_error err;
        fow_error_set_at(&err, FOW_EINPUT, NULL, 0, 0, skills_file ? "--skills-file" : "--skills",
                         "none of the %u skills given is known (see above); try: fow search --kind skill TEXT", n);
        return cli_fail(ctx, &err);
    }
    return 0;
}

static void person_free(person *p) { free(p->text); }

/* The person as libfow's documents take it. */
static fow_result_person result_person(const person *p) {
    fow_result_person r = {.inputs = (const char *const *)p->items, .resolutions = p->res, .n = p->n_items};
    return r;
}

/* What libfow's documents read from the engine. */
static fow_result_context result_context(const engine *e) {
    fow_result_context c = {e->model, e->index, {e->risk_source[0], e->risk_source[1]}, e->attributes_source, NULL, NULL};
    return c;
}

/* ---- output helpers --------------------------------------------------- */

static void csv_field(FILE *out, const char *s) {
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void csv_number(FILE *out, double v, const char *fmt) {
    if (!isnan(v)) fprintf(out, fmt, v);
}

static void format_number(char *buf, size_t n, double v, const char *fmt) {
    if (isnan(v)) snprintf(buf, n, "?");
    else snprintf(buf, n, fmt, v);
}

static void print_provenance(const engine *e, fow_risk_model model) {
    const fow_similarity_params *p = &e->index->params;
    printf("\nSimilarity: %.2f x skill coverage + %.2f x work context + %.2f x shared ISCO digits (docs/transitions.md);\n"
           "viable from %.2f with at most %.0f%% of the essential skills missing, highly viable from %.2f.\n",
           (double)(1.0f - p->context_weight - p->isco_weight), (double)p->context_weight, (double)p->isco_weight,
           (double)p->viable, 100.0 * (double)p->viable_missing_share, (double)p->highly_viable);
    printf("Risk: %s.\n", e->risk_source[model == FOW_RISK_MODEL_FREY_OSBORNE]);
    printf("Earnings and job zones: %s.\n", e->attributes_source);
}

static const char *viable_text(const fow_transition *t) {
    return t->highly_viable ? "high" : t->viable ? "yes" : "no";
}

static const char csv_header[] =
    "origin_uri,destination_uri,rank,similarity,viable,desirable,safe,highly_viable,safe_strict,"
    "origin_risk,destination_risk,earnings_ratio,job_zone_difference,essential_missing,essential_total,"
    "destination_code,destination_label\n";

static void transition_csv(FILE *out, const engine *e, const char *origin_uri, const fow_transition *t,
                           uint32_t rank) {
    const fow_model_occupation *d = &e->model->occupations[t->destination];
    csv_field(out, origin_uri);
    fputc(',', out);
    csv_field(out, d->uri);
    fprintf(out, ",%u,%.6f,%s,%s,%s,%s,%s,", rank, (double)t->similarity, t->viable ? "yes" : "no",
            fow_tristate_name(t->desirable), fow_tristate_name(t->safe), t->highly_viable ? "yes" : "no",
            fow_tristate_name(t->safe_strict));
    csv_number(out, t->origin_risk, "%.9g"); /* every digit of the float: close risks stay apart */
    fputc(',', out);
    csv_number(out, t->destination_risk, "%.9g");
    fputc(',', out);
    csv_number(out, t->earnings_ratio, "%.3f");
    fputc(',', out);
    csv_number(out, t->job_zone_difference, "%.2g");
    fprintf(out, ",%u,%u,", t->essential_missing, t->essential_total);
    csv_field(out, d->code);
    fputc(',', out);
    csv_field(out, d->label);
    fputc('\n', out);
}

static void transitions_table(const engine *e, const fow_transition *t, uint32_t n) {
    printf("%3s  %-42s %5s %-6s %-9s %-7s %5s %5s %6s\n", "#", "destination", "sim", "viable", "desirable", "safe",
           "risk", "pay", "to learn");
    for (uint32_t i = 0; i < n; i++) {
        char risk[16], pay[16];
        format_number(risk, sizeof risk, t[i].destination_risk, "%.2f");
        format_number(pay, sizeof pay, t[i].earnings_ratio, "%.2f");
        printf("%3u  ", i + 1);
        cli_print_cell(stdout, e->model->occupations[t[i].destination].label, 42);
        printf(" %5.2f %-6s %-9s %-7s %5s %5s %3u/%-3u\n", (double)t[i].similarity, viable_text(&t[i]),
               fow_tristate_name(t[i].desirable), fow_tristate_name(t[i].safe), risk, pay, t[i].essential_missing,
               t[i].essential_total);
    }
}

static void origin_line(const engine *e, uint32_t o, fow_risk_model model) {
    const fow_model_occupation *oc = &e->model->occupations[o];
    char risk[32], pay[32], zone[16];
    float r = model == FOW_RISK_MODEL_FREY_OSBORNE ? oc->risk_frey_osborne : oc->risk_mcc;
    format_number(risk, sizeof risk, r, "%.2f");
    format_number(pay, sizeof pay, oc->earnings, "%.0f");
    format_number(zone, sizeof zone, oc->job_zone, "%.0f");
    printf("%s (%s)\n  risk %s %s%s%s, earnings %s GBP (indicative), job zone %s\n", oc->label,
           oc->code[0] ? oc->code : oc->uri, fow_risk_model_name(model), risk,
           model == FOW_RISK_MODEL_MCC && oc->mcc_category ? ", " : "",
           model == FOW_RISK_MODEL_MCC ? fow_risk_category_name(oc->mcc_category) : "", pay, zone);
}

static void filters_text(const fow_transition_query *q, char *buf, size_t n) {
    float margin = fow_safe_margin(q->model, q->safe_rule);
    char safe_text[120] = "";
    if (q->safe)
        snprintf(safe_text, sizeof safe_text, ", %s (risk lower by %s%.2f)", q->safe >= 2 ? "strictly safe" : "safe",
                 margin > 0.0f ? "at least " : "more than ", (double)margin);
    snprintf(buf, n, "similarity >= %.2f%s%s%s (risk model %s)", (double)q->min_similarity,
             q->viable_only ? ", viable (at most half of the essential skills missing)" : "", safe_text,
             q->desirable ? ", desirable" : "", fow_risk_model_name(q->model));
}

/* What a worker can do when no move passes (fow_transitions_fallback). */
static void fallback_text(const engine *e, const fow_transition_query *q, const fow_transition_fallback *fb) {
    /* the nearest moves keep q's safety and desirability filters
     * (fow_transitions_fallback), and only those */
    const char *kept = q->safe && q->desirable ? "that pass the safety and desirability filters"
                       : q->safe               ? "that pass the safety filter"
                       : q->desirable          ? "that pass the desirability filter"
                                               : "at any similarity";
    const char *none = q->safe && q->desirable ? "is safe and desirable"
                       : q->safe               ? "is safe"
                       : q->desirable          ? "is desirable"
                                               : "exists";
    printf("No move passes these filters. The nearest moves %s,\n"
           "with the essential skills they lack most:\n\n", kept);
    if (!fb->n_nearest) printf("  (none: no destination %s for this origin)\n", none);
    for (uint32_t i = 0; i < fb->n_nearest; i++) {
        const fow_transition *t = &fb->nearest[i];
        printf("%3u. %s: similarity %.2f, %u of %u essential skills to learn\n", i + 1,
               e->model->occupations[t->destination].label, (double)t->similarity, t->essential_missing,
               t->essential_total);
        for (uint32_t k = 0; k < fb->n_lacking[i]; k++) printf("       - %s\n", e->model->skills[fb->lacking[i][k]].label);
    }
    if (fb->has_route)
        printf("\nThe skill that opens the most doors: learning \"%s\" makes %u move%s pass these filters\n"
               "(for example %s). See: fow upskill\n",
               e->model->skills[fb->route.skill].label, fb->route.new_transitions,
               fb->route.new_transitions == 1 ? "" : "s",
               fb->route.example != FOW_NO_INDEX ? e->model->occupations[fb->route.example].label : "-");
    else if (fb->n_nearest)
        printf("\nNo single skill makes one of these moves viable.\n");
    if (fb->common_gap != FOW_NO_INDEX)
        printf("The first skill to learn: \"%s\", which %u of these %u moves lack.\n",
               e->model->skills[fb->common_gap].label, fb->common_gap_count, fb->n_nearest);
}

/* ---- fow transitions -------------------------------------------------- */

typedef struct transitions_args {
    const char *skills, *skills_file, *group, *as, *out, *limit, *min_similarity, *model, *safe_rule;
    bool safe, strict, desirable, all, csv;
} transitions_args;

static int parse_query(cli_context *ctx, const engine *e, const transitions_args *a, fow_transition_query *q,
                       long default_limit) {
    fow_transition_query_default(e->index, q);
    q->safe = a->strict ? 2 : a->safe ? 1 : 0;
    q->desirable = a->desirable;
    if (a->model && fow_risk_model_parse(a->model, &q->model) != 0)
        return cli_usage_error(ctx, "--model must be 'mcc' or 'frey-osborne', not '%s'", a->model);
    if (a->min_similarity && parse_similarity(ctx, a->min_similarity, &q->min_similarity)) return CLI_EXIT_USER;
    if (a->safe_rule && fow_safe_rule_parse(a->safe_rule, &q->safe_rule) != 0)
        return cli_usage_error(ctx, "--safe-rule must be 'margin' or 'lower', not '%s'", a->safe_rule);
    q->viable_only = q->min_similarity >= e->index->params.viable;
    long limit = default_limit;
    int rc;
    if (a->limit && (rc = cli_parse_size(ctx, "--limit", a->limit, 1, 100000, &limit))) return rc;
    q->limit = (uint32_t)limit;
    return 0;
}

/* The moves as CSV, as JSON (judged against judge_as, or from the person
 * p when not NULL, with the occupations p fits best) or as a table. */
static int output_transitions(cli_context *ctx, const engine *e, const transitions_args *a,
                              const fow_transition_query *q, uint32_t judge_as, const char *origin_uri,
                              const fow_transition *t, uint32_t n, uint32_t n_matching, const person *p,
                              const fow_transition *fits, uint32_t n_fits, const fow_transition_fallback *fb) {
    if (a->csv) {
        fputs(csv_header, stdout);
        for (uint32_t i = 0; i < n; i++) transition_csv(stdout, e, origin_uri, &t[i], i + 1);
        return 0;
    }
    if (ctx->json) {
        fow_result_context rc = result_context(e);
        fow_result_page page = {n_matching, 0, q->limit};
        fow_jw w;
        cli_writer_init(&w);
        if (p) {
            fow_result_person given = result_person(p);
            fow_result_person_transitions(&w, &rc, &given, fits, n_fits, judge_as, q, t, n, &page, fb);
        } else {
            fow_result_transitions(&w, &rc, judge_as, q, t, n, &page, fb);
        }
        return cli_print_written(&w);
    }
    char filters[200];
    filters_text(q, filters, sizeof filters);
    printf("Filters: %s. %u destination%s match%s; %u shown.\n\n", filters, n_matching, n_matching == 1 ? "" : "s",
           n_matching == 1 ? "es" : "", n);
    if (n) transitions_table(e, t, n);
    else if (fb) fallback_text(e, q, fb);
    else printf("No destination passes these filters.\n");
    printf("\nsim: similarity 0..1; viable: yes / high; risk: the destination's; pay: earnings ratio;\n"
           "to learn: essential skills of the destination the origin lacks / all its essential skills.\n"
           "See one move's gap with: fow gap FROM TO\n");
    print_provenance(e, q->model);
    return 0;
}

static int transitions_all(cli_context *ctx, engine *e, const transitions_args *a, const fow_transition_query *q) {
    if (!a->out) return cli_usage_error(ctx, "--all needs --out FILE.csv");
    FILE *out = fopen(a->out, "w");
    if (!out) {
        fow_error err;
        fow_error_set_at(&err, FOW_EIO, a->out, 0, 0, "--out", "cannot write: %s", strerror(errno));
        return cli_fail(ctx, &err);
    }
    fow_transition *t = malloc(q->limit * sizeof *t);
    if (!t) {
        fclose(out);
        return cli_usage_error(ctx, "out of memory");
    }
    fputs(csv_header, out);
    uint64_t rows = 0;
    for (uint32_t o = 0; o < e->model->n_occupations; o++) {
        uint32_t n;
        fow_transitions_from_occupation(e->ws, o, q, t, q->limit, &n, NULL);
        for (uint32_t i = 0; i < n; i++) transition_csv(out, e, e->model->occupations[o].uri, &t[i], i + 1);
        rows += n;
    }
    free(t);
    int bad = ferror(out);
    if (fclose(out) != 0 || bad) {
        fow_error err;
        fow_error_set_at(&err, FOW_EIO, a->out, 0, 0, "--out", "writing failed");
        return cli_fail(ctx, &err);
    }
    if (ctx->json)
        return cli_print_json(json_pack("{s:s, s:I, s:I}", "out", a->out, "origins",
                                        (json_int_t)e->model->n_occupations, "rows", (json_int_t)rows));
    printf("Wrote %llu transitions of %u occupations to %s\n", (unsigned long long)rows, e->model->n_occupations,
           a->out);
    return 0;
}

static int transitions_group(cli_context *ctx, engine *e, const transitions_args *a, const fow_transition_query *q) {
    fow_error err;
    fow_error_clear(&err);
    uint32_t *origins, n_origins;
    if (fow_occupations_in_group(e->model, a->group, &origins, &n_origins, &err)) return cli_fail(ctx, &err);
    fow_group_destination *dest = malloc(q->limit * sizeof *dest);
    uint32_t n = 0, reached = 0;
    fow_code code = dest ? fow_transitions_group(e->ws, origins, n_origins, q, dest, q->limit, &n, &reached, &err)
                         : fow_error_set(&err, FOW_ENOMEM, "out of memory");
    free(origins);
    if (code) {
        free(dest);
        return cli_fail(ctx, &err);
    }
    char filters[200];
    filters_text(q, filters, sizeof filters);
    int rc = 0;
    if (a->csv) {
        printf("group,destination_uri,rank,origins,origins_in_group,mean_similarity,destination_in_group,"
               "destination_code,destination_label\n");
        for (uint32_t i = 0; i < n; i++) {
            const fow_model_occupation *d = &e->model->occupations[dest[i].destination];
            printf("%s,", a->group);
            csv_field(stdout, d->uri);
            printf(",%u,%u,%u,%.4f,%s,", i + 1, dest[i].origins, n_origins, (double)dest[i].mean_similarity,
                   dest[i].in_group ? "yes" : "no");
            csv_field(stdout, d->code);
            putchar(',');
            csv_field(stdout, d->label);
            putchar('\n');
        }
    } else if (ctx->json) {
        fow_result_context c = result_context(e);
        fow_result_page page = {reached, 0, q->limit};
        fow_jw w;
        cli_writer_init(&w);
        fow_result_group_transitions(&w, &c, a->group, n_origins, q, dest, n, &page);
        rc = cli_print_written(&w);
    } else {
        printf("ISCO group %s: %u occupations. Filters: %s.\n%u destinations reached; the %u reached by the most:\n\n",
               a->group, n_origins, filters, reached, n);
        printf("%3s  %-50s %8s %6s %s\n", "#", "destination", "origins", "sim", "in group");
        for (uint32_t i = 0; i < n; i++) {
            printf("%3u  ", i + 1);
            cli_print_cell(stdout, e->model->occupations[dest[i].destination].label, 50);
            printf(" %4u/%-3u %6.2f %s\n", dest[i].origins, n_origins, (double)dest[i].mean_similarity,
                   dest[i].in_group ? "yes" : "no");
        }
        printf("\norigins: occupations of the group that reach the destination; sim: their mean similarity.\n");
        print_provenance(e, q->model);
    }
    free(dest);
    return rc;
}

static int transitions_person(cli_context *ctx, engine *e, const transitions_args *a, const fow_transition_query *q) {
    person p;
    int rc = person_resolve(ctx, e, a->skills, a->skills_file, &p);
    if (rc) {
        person_free(&p);
        return rc;
    }
    /* the occupations the person fits best */
    fow_transition_query fit_q = *q;
    fit_q.safe = 0, fit_q.desirable = 0, fit_q.min_similarity = 0.0f, fit_q.limit = 5, fit_q.viable_only = 0;
    fow_transition fits[5];
    uint32_t n_fits = 0;
    fow_similarity_origin_skills(e->ws, p.skills, p.n_skills);
    fow_transitions_rank(e->ws, FOW_NO_INDEX, FOW_NO_INDEX, &fit_q, fits, 5, &n_fits, NULL);
    uint32_t judge_as = n_fits ? fits[0].destination : FOW_NO_INDEX;
    if (a->as && (rc = resolve_occupation(ctx, e, a->as, &judge_as))) {
        person_free(&p);
        return rc;
    }
    /* the worker's own occupation: its work context and ISCO group count */
    if (a->as) fow_similarity_origin_context(e->ws, judge_as);
    fow_transition *t = malloc(q->limit * sizeof *t);
    if (!t) {
        person_free(&p);
        return cli_usage_error(ctx, "out of memory");
    }
    uint32_t n = 0, matching = 0;
    fow_transitions_rank(e->ws, judge_as, judge_as, q, t, q->limit, &n, &matching);
    fow_transition_fallback fb;
    fow_error err;
    fow_error_clear(&err);
    if (!matching && !a->csv && fow_transitions_fallback(e->ws, judge_as, judge_as, FOW_NO_INDEX, q, &fb, &err)) {
        free(t);
        person_free(&p);
        return cli_fail(ctx, &err);
    }
    if (!ctx->json && !a->csv) {
        printf("Skills recognised: %u of %u", p.n_skills, p.n_items);
        if (p.n_unresolved) printf(" (%u not recognised: see the messages above)", p.n_unresolved);
        printf("\n\nOccupations this person fits best (share of each one's requirements covered):\n");
        for (uint32_t i = 0; i < n_fits; i++) {
            printf("  %u. ", i + 1);
            cli_print_cell(stdout, e->model->occupations[fits[i].destination].label, 50);
            printf(" %.2f\n", (double)fits[i].similarity);
        }
        printf("\nMoves from these skills, judged for pay and risk against ");
        if (judge_as != FOW_NO_INDEX) origin_line(e, judge_as, q->model);
        else printf("no occupation\n");
    }
    rc = output_transitions(ctx, e, a, q, judge_as, "person", t, n, matching, &p, fits, n_fits,
                            matching || a->csv ? NULL : &fb);
    free(t);
    person_free(&p);
    return rc;
}

int cli_transitions(cli_context *ctx, int argc, char **argv) {
    transitions_args a = {0};
    const cli_option options[] = {
        {"--skills", &a.skills, NULL},   {"--skills-file", &a.skills_file, NULL},
        {"--group", &a.group, NULL},     {"--as", &a.as, NULL},
        {"--out", &a.out, NULL},         {"--limit", &a.limit, NULL},
        {"--min-similarity", &a.min_similarity, NULL},
        {"--model", &a.model, NULL},     {"--safe", NULL, &a.safe},
        {"--safe-rule", &a.safe_rule, NULL},
        {"--strict", NULL, &a.strict},   {"--desirable", NULL, &a.desirable},
        {"--all", NULL, &a.all},         {"--csv", NULL, &a.csv},
        {NULL, NULL, NULL}};
    const char *pos[1];
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, options, pos, 1, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(transitions_help, stdout);
        return 0;
    }
    int modes = (n_pos == 1) + (a.skills || a.skills_file) + (a.group != NULL) + a.all;
    if (modes != 1)
        return cli_usage_error(ctx, "give exactly one origin: an OCCUPATION, --skills/--skills-file, --group or --all");
    if (a.skills && a.skills_file) return cli_usage_error(ctx, "give --skills or --skills-file, not both");
    if (a.as && !(a.skills || a.skills_file)) return cli_usage_error(ctx, "--as goes with --skills or --skills-file");
    if (a.out && !a.all) return cli_usage_error(ctx, "--out goes with --all");
    if (a.csv && ctx->json) return cli_usage_error(ctx, "give --csv or --json, not both");
    if (a.csv && a.all) return cli_usage_error(ctx, "--all always writes CSV to --out; --csv is for the other modes");
    engine e;
    if ((rc = engine_open(ctx, &e))) return rc;
    fow_transition_query q;
    if ((rc = parse_query(ctx, &e, &a, &q, 20))) goto done;
    /* --all writes the top K of every occupation: no similarity floor unless asked */
    if (a.all && !a.min_similarity) q.min_similarity = 0.0f, q.viable_only = 0;
    if (a.all) {
        rc = transitions_all(ctx, &e, &a, &q);
    } else if (a.group) {
        rc = transitions_group(ctx, &e, &a, &q);
    } else if (a.skills || a.skills_file) {
        rc = transitions_person(ctx, &e, &a, &q);
    } else {
        uint32_t origin;
        if ((rc = resolve_occupation(ctx, &e, pos[0], &origin))) goto done;
        fow_transition *t = malloc(q.limit * sizeof *t);
        if (!t) {
            rc = cli_usage_error(ctx, "out of memory");
            goto done;
        }
        uint32_t n, matching;
        fow_transitions_from_occupation(e.ws, origin, &q, t, q.limit, &n, &matching);
        fow_transition_fallback fb;
        fow_error err;
        fow_error_clear(&err);
        if (!matching && !a.csv && fow_transitions_fallback(e.ws, origin, origin, origin, &q, &fb, &err)) {
            free(t);
            rc = cli_fail(ctx, &err);
            goto done;
        }
        if (!ctx->json && !a.csv) {
            printf("Transitions from ");
            origin_line(&e, origin, q.model);
        }
        rc = output_transitions(ctx, &e, &a, &q, origin, e.model->occupations[origin].uri, t, n, matching, NULL, NULL,
                                0, matching || a.csv ? NULL : &fb);
        free(t);
    }
done:
    engine_close(&e);
    return rc;
}

/* ---- fow similar ------------------------------------------------------ */

int cli_similar(cli_context *ctx, int argc, char **argv) {
    const char *limit_text = NULL;
    bool csv = false;
    const cli_option options[] = {{"--limit", &limit_text, NULL}, {"--csv", NULL, &csv}, {NULL, NULL, NULL}};
    const char *pos[1];
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, options, pos, 1, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(similar_help, stdout);
        return 0;
    }
    if (n_pos != 1) return cli_usage_error(ctx, "needs the OCCUPATION");
    long limit = 20;
    if (limit_text && (rc = cli_parse_size(ctx, "--limit", limit_text, 1, 100000, &limit))) return rc;
    if (csv && ctx->json) return cli_usage_error(ctx, "give --csv or --json, not both");
    engine e;
    if ((rc = engine_open(ctx, &e))) return rc;
    uint32_t origin;
    if ((rc = resolve_occupation(ctx, &e, pos[0], &origin))) goto done;
    fow_transition_query q;
    fow_transition_query_default(e.index, &q);
    q.min_similarity = 0.0f;
    q.viable_only = 0;
    q.limit = (uint32_t)limit;
    fow_transition *t = malloc(q.limit * sizeof *t);
    if (!t) {
        rc = cli_usage_error(ctx, "out of memory");
        goto done;
    }
    uint32_t n, matching;
    fow_transitions_from_occupation(e.ws, origin, &q, t, q.limit, &n, &matching);
    const fow_model_occupation *oc = &e.model->occupations[origin];
    if (csv) {
        printf("origin_uri,destination_uri,rank,similarity,jaccard,destination_code,destination_label\n");
        for (uint32_t i = 0; i < n; i++) {
            const fow_model_occupation *d = &e.model->occupations[t[i].destination];
            csv_field(stdout, oc->uri);
            putchar(',');
            csv_field(stdout, d->uri);
            printf(",%u,%.4f,%.4f,", i + 1, (double)t[i].similarity,
                   (double)fow_similarity_jaccard(e.model, origin, t[i].destination));
            csv_field(stdout, d->code);
            putchar(',');
            csv_field(stdout, d->label);
            putchar('\n');
        }
    } else if (ctx->json) {
        fow_result_context c = result_context(&e);
        fow_result_page page = {matching, 0, limit};
        fow_jw w;
        cli_writer_init(&w);
        fow_result_similar(&w, &c, origin, t, n, &page);
        rc = cli_print_written(&w);
    } else {
        printf("Occupations most similar to %s (%s):\n\n", oc->label, oc->code[0] ? oc->code : oc->uri);
        printf("%3s  %-50s %5s %7s\n", "#", "occupation", "sim", "jaccard");
        for (uint32_t i = 0; i < n; i++) {
            printf("%3u  ", i + 1);
            cli_print_cell(stdout, e.model->occupations[t[i].destination].label, 50);
            printf(" %5.2f %7.2f\n", (double)t[i].similarity,
                   (double)fow_similarity_jaccard(e.model, origin, t[i].destination));
        }
        printf("\nsim: fow similarity, skills with work context and ISCO group (docs/transitions.md); jaccard: plain\n"
               "overlap of the skill sets.\n");
    }
    free(t);
done:
    engine_close(&e);
    return rc;
}

/* The stored skills profile of person id as the origin of a move
 * (fow_people_profile_origin), read as the command line's administrator
 * (the read is audited). 0, or the exit code after printing the error. */
static int profile_origin(cli_context *ctx, const fow_model *model, const char *id, fow_person_origin *o) {
    fow_error err;
    fow_error_clear(&err);
    char actor[FOW_PERSON_ACTOR_MAX + 1];
    fow_people_staff staff;
    fow_db *db = NULL;
    fow_people *people = NULL;
    int rc = cli_open_people(ctx, actor, &staff, &db, &people);
    if (rc) return rc;
    fow_code code = fow_people_profile_origin(people, &staff, model, id, "the command line: the gap from the skills profile",
                                              (long long)time(NULL), o, &err);
    fow_people_close(people);
    fow_db_close(db);
    return code ? cli_fail(ctx, &err) : 0;
}

/* The origin of a move for gap and plan: an occupation (FROM), skills typed
 * in (--skills, --skills-file) or a person's stored profile (--person). */
typedef struct move_origin {
    person typed;
    fow_person_origin profile;
    fow_result_person given;  /* the person of the result, when not an occupation */
    const uint32_t *skills;   /* a person's skills */
    uint32_t n_skills;
    uint32_t from;            /* the occupation, or FOW_NO_INDEX */
    uint32_t judge_as;        /* what the move is judged against */
    const char *person_id;    /* --person */
    bool of_person;           /* skills or a profile, not an occupation */
} move_origin;

/* Checks the origin options of gap and plan: one of --skills,
 * --skills-file and --person at most, --as only with one of them, and the
 * positional FROM TO (or TO alone after them). 0, or the exit code. */
static int move_origin_check(cli_context *ctx, const char *skills, const char *skills_file, const char *person_id,
                             const char *as_text, int n_pos) {
    int given = (skills != NULL) + (skills_file != NULL) + (person_id != NULL);
    if (given > 1) return cli_usage_error(ctx, "give one of --skills, --skills-file and --person");
    if (as_text && !given) return cli_usage_error(ctx, "--as goes with --skills, --skills-file or --person");
    if (n_pos != (given ? 1 : 2))
        return cli_usage_error(ctx, given ? "needs the destination TO" : "needs FROM and TO occupations");
    return 0;
}

/* Resolves the origin into *o (move_origin_close frees it, also after a
 * failure): the occupation from_text, or the skills, or the person's
 * profile (judged as their occupation), then --as. 0, or the exit code. */
static int move_origin_open(cli_context *ctx, const engine *e, const char *skills, const char *skills_file,
                            const char *person_id, const char *from_text, const char *as_text, move_origin *o) {
    memset(o, 0, sizeof *o);
    o->from = o->judge_as = FOW_NO_INDEX;
    o->person_id = person_id;
    int rc;
    if (person_id) {
        if ((rc = profile_origin(ctx, e->model, person_id, &o->profile))) return rc;
        if (!fow_result_person_from_origin(&o->profile, &o->given)) return cli_usage_error(ctx, "out of memory");
        o->skills = o->profile.skills, o->n_skills = o->profile.n, o->judge_as = o->profile.judge_as;
        o->of_person = true;
    } else if (skills || skills_file) {
        if ((rc = person_resolve(ctx, e, skills, skills_file, &o->typed))) return rc;
        o->given = result_person(&o->typed);
        o->skills = o->typed.skills, o->n_skills = o->typed.n_skills;
        o->of_person = true;
    } else {
        if ((rc = resolve_occupation(ctx, e, from_text, &o->from))) return rc;
        o->judge_as = o->from;
    }
    if (as_text && (rc = resolve_occupation(ctx, e, as_text, &o->judge_as))) return rc;
    return 0;
}

static void move_origin_close(move_origin *o) {
    person_free(&o->typed);
    if (o->person_id) fow_result_person_free(&o->given);
    fow_person_origin_free(&o->profile);
}

/* "these skills", "the skills profile of ID" or the occupation's label. */
static void move_origin_name(const move_origin *o, const engine *e, char *buf, size_t n) {
    if (o->person_id) snprintf(buf, n, "the skills profile of %s", o->person_id);
    else if (o->of_person) snprintf(buf, n, "these skills");
    else snprintf(buf, n, "%s", e->model->occupations[o->from].label);
}

/* ---- fow gap ---------------------------------------------------------- */

int cli_gap(cli_context *ctx, int argc, char **argv) {
    const char *skills = NULL, *skills_file = NULL, *limit_text = NULL, *model_text = NULL, *as_text = NULL;
    const char *rule_text = NULL, *person_id = NULL;
    static const cli_field_flag flags[] = {{"person", "--person"}, {NULL, NULL}};
    const cli_option options[] = {{"--skills", &skills, NULL},
                                  {"--skills-file", &skills_file, NULL},
                                  {"--person", &person_id, NULL},
                                  {"--as", &as_text, NULL},
                                  {"--limit", &limit_text, NULL},
                                  {"--model", &model_text, NULL},
                                  {"--safe-rule", &rule_text, NULL},
                                  {NULL, NULL, NULL}};
    const char *pos[2];
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, options, pos, 2, &n_pos);
    if (rc) return rc;
    ctx->field_flags = flags;
    if (ctx->help) {
        fputs(gap_help, stdout);
        return 0;
    }
    if ((rc = move_origin_check(ctx, skills, skills_file, person_id, as_text, n_pos))) return rc;
    int from_person = skills || skills_file || person_id;
    long limit = 100000;
    if (limit_text && (rc = cli_parse_size(ctx, "--limit", limit_text, 1, 100000, &limit))) return rc;
    fow_risk_model model = FOW_RISK_MODEL_MCC;
    if (model_text && fow_risk_model_parse(model_text, &model) != 0)
        return cli_usage_error(ctx, "--model must be 'mcc' or 'frey-osborne', not '%s'", model_text);
    fow_safe_rule rule = FOW_SAFE_RULE_MARGIN;
    if (rule_text && fow_safe_rule_parse(rule_text, &rule) != 0)
        return cli_usage_error(ctx, "--safe-rule must be 'margin' or 'lower', not '%s'", rule_text);
    engine e;
    if ((rc = engine_open(ctx, &e))) return rc;
    move_origin o;
    uint32_t to;
    if ((rc = move_origin_open(ctx, &e, skills, skills_file, person_id, pos[0], as_text, &o))) goto done;
    if ((rc = resolve_occupation(ctx, &e, pos[from_person ? 0 : 1], &to))) goto done;
    uint32_t from = o.from, judge_as = o.judge_as;
    char origin_name[200];
    move_origin_name(&o, &e, origin_name, sizeof origin_name);
    if (from_person) {
        fow_similarity_origin_skills(e.ws, o.skills, o.n_skills);
        if (judge_as != FOW_NO_INDEX) fow_similarity_origin_context(e.ws, judge_as);
    } else {
        fow_similarity_origin_occupation(e.ws, from);
    }
    fow_gap gap;
    fow_error err;
    fow_error_clear(&err);
    if (fow_gap_compute(e.ws, to, &gap, &err)) {
        fow_gap_free(&gap);
        rc = cli_fail(ctx, &err);
        goto done;
    }
    fow_transition t;
    fow_transition_assess(e.ws, judge_as, to, gap.similarity, model, rule, &t);
    assert(t.essential_missing == gap.n_missing);
    uint32_t n_missing = gap.n_missing < (uint32_t)limit ? gap.n_missing : (uint32_t)limit;
    uint32_t n_probable = gap.n_probably_held < (uint32_t)limit ? gap.n_probably_held : (uint32_t)limit;
    uint32_t n_transfers = gap.n_transfers < (uint32_t)limit ? gap.n_transfers : (uint32_t)limit;
    const fow_model_occupation *dto = &e.model->occupations[to];
    if (ctx->json) {
        fow_result_context c = result_context(&e);
        fow_jw w;
        cli_writer_init(&w);
        fow_result_gap(&w, &c, from, from_person ? &o.given : NULL, judge_as, to, &gap, &t, model, rule,
                       (uint32_t)limit);
        rc = cli_print_written(&w);
    } else {
        printf("From %s to %s (%s)\n", origin_name, dto->label, dto->code[0] ? dto->code : dto->uri);
        if (person_id)
            printf("(%u skills of the taxonomy in the profile, every provenance; judged as %s)\n", o.n_skills,
                   judge_as != FOW_NO_INDEX ? e.model->occupations[judge_as].label : "no occupation");
        printf("Similarity %.2f (%s); desirable: %s; safe (%s, %s): %s\n\n", (double)gap.similarity,
               t.highly_viable ? "highly viable" : t.viable ? "viable" : "not viable", fow_tristate_name(t.desirable),
               model == FOW_RISK_MODEL_MCC ? "MCC" : "Frey & Osborne",
               rule == FOW_SAFE_RULE_LOWER ? "any lower risk" : "lower by the model's margin",
               fow_tristate_name(t.safe));
        printf("To learn: %u of %u essential skill%s (most important first)\n", gap.n_missing, t.essential_total,
               t.essential_total == 1 ? "" : "s");
        for (uint32_t i = 0; i < n_missing; i++) {
            const fow_gap_skill *g = &gap.missing[i];
            printf("  %5.1f%%  %s", 100.0 * g->importance, e.model->skills[g->skill].label);
            if (g->via != FOW_NO_INDEX)
                printf("   (partly covered by: %s)", e.model->skills[g->via].label);
            if (g->narrower != FOW_NO_INDEX)
                printf("   (has the narrower skill: %s)", e.model->skills[g->narrower].label);
            putchar('\n');
        }
        if (gap.n_optional_missing)
            printf("  and %u optional skill%s not covered at all\n", gap.n_optional_missing,
                   gap.n_optional_missing == 1 ? "" : "s");
        if (gap.n_probably_held) {
            printf("\nProbably held - confirm: %u essential skill%s not listed for %s\n", gap.n_probably_held,
                   gap.n_probably_held == 1 ? "" : "s", origin_name);
            for (uint32_t i = 0; i < n_probable; i++) {
                const fow_gap_skill *g = &gap.probable[i];
                if (g->status == FOW_SKILL_PROBABLE)
                    printf("  %5.1f%%  %s   (probability score %.2f)\n", 100.0 * g->importance,
                           e.model->skills[g->skill].label, (double)g->probability);
                else if (g->status == FOW_SKILL_NARROWER)
                    printf("  %5.1f%%  %s   (likely held because of the narrower skill: %s)\n", 100.0 * g->importance,
                           e.model->skills[g->skill].label, e.model->skills[g->narrower].label);
                else
                    printf("  %5.1f%%  %s   (related %.2f to: %s)\n", 100.0 * g->importance,
                           e.model->skills[g->skill].label, (double)g->probability, e.model->skills[g->via].label);
            }
        }
        printf("\nTransfers: %u skill%s (%u held exactly)\n", gap.n_transfers, gap.n_transfers == 1 ? "" : "s",
               gap.n_transfer_exact);
        for (uint32_t i = 0; i < n_transfers; i++) {
            const fow_gap_skill *g = &gap.transfers[i];
            printf("  %s %-9s %s", g->held ? "=" : "~", g->essential ? "essential" : "optional",
                   e.model->skills[g->skill].label);
            if (!g->held) printf("   (through: %s)", e.model->skills[g->via].label);
            putchar('\n');
        }
        printf("\n%%: the share of the destination's requirements the skill stands for (IDF-weighted),\n"
               "less what a related skill already covers. '=' held exactly, '~' through a related skill.\n");
        if (gap.n_probably_held)
            printf("Probably held: not listed by ESCO for the origin, but essential for most of its nearest\n"
                   "occupations (probability score), or strongly related to a skill it holds (docs/transitions.md,\n"
                   "\"Viable\"). They count as held for viability; confirm them with the worker.\n");
        print_provenance(&e, model);
    }
    fow_gap_free(&gap);
done:
    move_origin_close(&o);
    engine_close(&e);
    return rc;
}

/* ---- fow plan ---------------------------------------------------------- */

static const char plan_help[] =
    "Usage: fow plan FROM TO [options]\n"
    "       fow plan --skills \"LABEL; ...\" [--as OCCUPATION] TO [options]\n"
    "       fow plan --person ID [--as OCCUPATION] TO [options]\n"
    "\n"
    "The modules of the learning catalogue that close the gap of a move (see 'fow gap') at the\n"
    "least cost: each module counts its price plus the learner's hours at --hour-value; a skill\n"
    "left uncovered counts its value (--skill-value times its weight: essential 3, optional 1).\n"
    "Exact (branch and bound) up to 20 useful candidates, else greedy within H(d) of the best.\n"
    "Prerequisite modules come first; modules in another language or currency, or whose\n"
    "prerequisites cannot be met, are listed with the reason. Skills no module teaches are\n"
    "listed: courses to commission (docs/training.md, \"From a gap to modules\").\n"
    "\n"
    "Options:\n"
    "  --skills TEXT       the origin is a person with these skills (all taken as held)\n"
    "  --skills-file FILE  the same, read from a file\n"
    "  --person ID         the origin is a person's stored skills profile (fow person skills ID:\n"
    "                      every provenance), judged as their occupation; needs their counselling\n"
    "                      consent, and the read is in the audit log\n"
    "  --as OCCUPATION     with --skills or --person: judge the move against this occupation\n"
    "  --lang LIST         teaching languages accepted, e.g. ro,en (default: any)\n"
    "  --currency CODE     the plan's currency (default: the catalogue's most common)\n"
    "  --essential-only    only the essential skills to learn (default: optional ones too)\n"
    "  --hour-value N      minor units an hour of learning counts for (default 2000)\n"
    "  --skill-value N     minor units a skill of weight 1 is worth (default 100000)\n"
    "  --solver S          auto (default), greedy or exact\n"
    "  --starts-after DATE only modules with an open cohort starting on or after DATE (YYYY-MM-DD);\n"
    "                      without it, each module's next cohort from today is shown\n"
    "  --db PATH  --json  --help\n";

static void print_money(long long minor, const char *currency) {
    if (minor == 0) printf("free");
    else printf("%lld.%02lld %s", minor / 100, minor % 100, currency);
}

int cli_plan(cli_context *ctx, int argc, char **argv) {
    const char *skills = NULL, *skills_file = NULL, *as_text = NULL, *lang = NULL, *currency = NULL,
               *hour_text = NULL, *value_text = NULL, *solver_text = NULL, *starts_after = NULL, *person_id = NULL;
    bool essential_only = false;
    const cli_option options[] = {{"--skills", &skills, NULL},         {"--skills-file", &skills_file, NULL},
                                  {"--person", &person_id, NULL},
                                  {"--as", &as_text, NULL},            {"--lang", &lang, NULL},
                                  {"--currency", &currency, NULL},     {"--hour-value", &hour_text, NULL},
                                  {"--skill-value", &value_text, NULL}, {"--solver", &solver_text, NULL},
                                  {"--starts-after", &starts_after, NULL},
                                  {"--essential-only", NULL, &essential_only}, {NULL, NULL, NULL}};
    static const cli_field_flag flags[] = {{"languages", "--lang"}, {"person", "--person"}, {NULL, NULL}};
    const char *pos[2];
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, options, pos, 2, &n_pos);
    if (rc) return rc;
    ctx->field_flags = flags;
    if (ctx->help) {
        fputs(plan_help, stdout);
        return 0;
    }
    if ((rc = move_origin_check(ctx, skills, skills_file, person_id, as_text, n_pos))) return rc;
    int from_person = skills || skills_file || person_id;
    fow_match_params params;
    fow_match_params_default(&params);
    char lang_buf[200];
    fow_error err;
    fow_error_clear(&err);
    if (lang && fow_match_params_languages(&params, lang, lang_buf, sizeof lang_buf, &err)) return cli_fail(ctx, &err);
    params.currency = currency;
    long value;
    if (hour_text) {
        if ((rc = cli_parse_size(ctx, "--hour-value", hour_text, 0, 1000000, &value))) return rc;
        params.hour_value = value;
    }
    if (value_text) {
        if ((rc = cli_parse_size(ctx, "--skill-value", value_text, 1, 2000000000L, &value))) return rc;
        params.skill_value = value;
    }
    if (solver_text && fow_match_solver_parse(solver_text, &params.solver) != 0)
        return cli_usage_error(ctx, "--solver must be auto, greedy or exact, not '%s'", solver_text);
    if (fow_match_params_check(&params, &err)) return cli_fail(ctx, &err);
    engine e;
    if ((rc = engine_open(ctx, &e))) return rc;
    move_origin o;
    fow_training_catalogue cat;
    memset(&cat, 0, sizeof cat);
    fow_match_index *x = NULL;
    fow_match_plan plan;
    memset(&plan, 0, sizeof plan);
    fow_db *db = NULL;
    uint8_t *cohort_flags = NULL;
    fow_match_start *starts = NULL;
    char today[11];
    fow_match_today(today);
    const char *date = starts_after ? starts_after : today;
    uint32_t to;
    if ((rc = move_origin_open(ctx, &e, skills, skills_file, person_id, pos[0], as_text, &o))) goto done;
    if ((rc = resolve_occupation(ctx, &e, pos[from_person ? 0 : 1], &to))) goto done;
    /* an occupation judges itself: fow_match_plan_compute takes FOW_NO_INDEX then */
    uint32_t from = o.from, judge_as = from_person ? o.judge_as : FOW_NO_INDEX;
    if ((rc = cli_open_db(ctx, true, &db))) goto done;
    fow_code code = fow_training_load(db, &cat, &err);
    if (!code && starts_after) {
        code = fow_match_cohort_flags(db, &cat, starts_after, &cohort_flags, &err);
        params.has_cohort = cohort_flags;
        params.starts_after = starts_after;
    }
    if (!code) code = fow_match_index_build(&cat, &x, &err);
    if (!code)
        code = fow_match_plan_compute(e.ws, x, from, o.skills, o.n_skills, judge_as, to, !essential_only, &params,
                                      &plan, &err);
    if (!code && !(starts = calloc(plan.result.n_chosen + 1, sizeof *starts)))
        code = fow_error_set(&err, FOW_ENOMEM, "out of memory");
    if (!code) code = fow_match_starts(db, &cat, &plan.result, date, starts, &err);
    if (code) {
        rc = cli_fail(ctx, &err);
        goto done;
    }
    const fow_match_result *r = &plan.result;
    if (ctx->json) {
        fow_result_context c = result_context(&e);
        fow_jw w;
        cli_writer_init(&w);
        fow_result_plan(&w, &c, from_person ? &o.given : NULL, x, &plan, &params, starts, date);
        rc = cli_print_written(&w);
        goto done;
    }
    const fow_model_occupation *dto = &e.model->occupations[to];
    char origin_name[200];
    move_origin_name(&o, &e, origin_name, sizeof origin_name);
    printf("Modules that close the gap from %s to %s (%s)\n", origin_name, dto->label,
           dto->code[0] ? dto->code : dto->uri);
    if (person_id)
        printf("(%u skills of the taxonomy in the profile, every provenance; judged as %s)\n", o.n_skills,
               judge_as != FOW_NO_INDEX ? e.model->occupations[judge_as].label : "no occupation");
    uint32_t essential = 0, essential_covered = 0;
    for (size_t i = 0; i < plan.n_needs; i++)
        if (plan.needs[i].essential) essential++, essential_covered += r->needs[i].status == FOW_MATCH_COVERED;
    printf("To learn: %u essential skill%s", essential, essential == 1 ? "" : "s");
    if (plan.with_optional) printf(" and %zu optional", plan.n_needs - essential);
    if (plan.gap.n_probably_held) printf(" (%u more probably held, not counted)", plan.gap.n_probably_held);
    printf("\n\n");
    if (cat.n_modules == 0)
        printf("The learning catalogue is empty. Import one with: fow import modules FILE (docs/training.md).\n");
    else if (r->n_chosen == 0)
        printf("No module of the catalogue (%zu modules) teaches a skill to learn at a cost below its value.\n",
               cat.n_modules);
    for (size_t i = 0; i < r->n_chosen; i++) {
        const fow_match_choice *ch = &r->chosen[i];
        const fow_training_module *m = &cat.modules[ch->module];
        printf("%2zu. [%lld] %s  %s\n", i + 1, (long long)m->id, m->code, m->title_en);
        printf("      %s; %g h, %s, %s; ", m->provider, m->hours, m->mode, m->language);
        print_money(m->cost_minor, m->currency);
        printf("\n");
        if (ch->required_by >= 0)
            printf("      needed first for %s\n", cat.modules[r->chosen[ch->required_by].module].code);
        bool first = true;
        for (size_t k = 0; k < plan.n_needs; k++) {
            if (r->needs[k].covered_by != (int32_t)i) continue;
            printf("%s%s%s", first ? "      teaches: " : "; ", plan.needs[k].label,
                   plan.needs[k].essential ? "" : " (optional)");
            first = false;
        }
        if (!first) printf("\n");
        if (starts[i].found && starts[i].seats_left > 0)
            printf("      next start: %s (%ld seat%s left; cohort %lld)\n", starts[i].next_start, starts[i].seats_left,
                   starts[i].seats_left == 1 ? "" : "s", (long long)starts[i].cohort_id);
        else if (starts[i].found)
            printf("      next start: %s (full: waiting list; cohort %lld)\n", starts[i].next_start,
                   (long long)starts[i].cohort_id);
        else printf("      next start: no open cohort from %s\n", date);
    }
    if (r->n_chosen) {
        printf("\nTotal: %zu module%s, %g hours, ", r->n_chosen, r->n_chosen == 1 ? "" : "s", r->hours);
        print_money(r->price_minor, r->currency);
        printf(" per participant\n");
    }
    printf("Coverage: %u of %zu skills to learn (essential: %u of %u); weighted %u of %u", r->covered, plan.n_needs,
           essential_covered, essential, r->weight_covered, r->weight_needed);
    if (r->weight_needed) printf(" = %.0f%%", 100.0 * r->weight_covered / r->weight_needed);
    printf("\n");
    bool first = true;
    for (size_t k = 0; k < plan.n_needs; k++) {
        if (r->needs[k].status != FOW_MATCH_NOT_TAUGHT || !plan.needs[k].essential) continue;
        printf("%s%s", first ? "\nNo module teaches these essential skills (courses to commission):\n  " : "; ",
               plan.needs[k].label);
        first = false;
    }
    if (!first) printf("\n");
    size_t not_worth = 0, only_excluded = 0, not_taught = 0;
    for (size_t k = 0; k < plan.n_needs; k++) {
        not_worth += r->needs[k].status == FOW_MATCH_NOT_WORTH;
        only_excluded += r->needs[k].status == FOW_MATCH_ONLY_EXCLUDED;
        not_taught += r->needs[k].status == FOW_MATCH_NOT_TAUGHT && !plan.needs[k].essential;
    }
    if (not_taught) printf("  and %zu optional skill%s no module teaches\n", not_taught, not_taught == 1 ? "" : "s");
    first = true;
    for (size_t k = 0; k < plan.n_needs; k++) {
        if (r->needs[k].status != FOW_MATCH_NOT_WORTH) continue;
        printf("%s%s", first ? "\nTaught only at a cost above the skill's value (--skill-value):\n  " : "; ",
               plan.needs[k].label);
        first = false;
    }
    if (!first) printf("\n");
    (void)not_worth;
    if (only_excluded)
        printf("%zu skill%s taught only by excluded modules\n", only_excluded, only_excluded == 1 ? " is" : "s are");
    for (size_t i = 0; i < r->n_excluded; i++) {
        const fow_match_exclusion *ex = &r->excluded[i];
        const fow_training_module *m = &cat.modules[ex->module];
        printf("%s%s: ", i ? "  " : "\nExcluded:\n  ", m->code);
        switch (ex->reason) {
        case FOW_MATCH_EXCLUDED_LANGUAGE: printf("taught in '%s', not a language asked for (--lang)\n", ex->detail); break;
        case FOW_MATCH_EXCLUDED_CURRENCY: printf("priced in %s, not %s (--currency)\n", ex->detail, r->currency); break;
        case FOW_MATCH_EXCLUDED_PREREQUISITE_SKILL:
            printf("needs the skill '%s', lacking and taught by no usable module\n", ex->detail);
            break;
        case FOW_MATCH_EXCLUDED_NO_COHORT: printf("no open cohort starts on or after %s (--starts-after)\n", ex->detail); break;
        default: printf("needs the module %s first, which cannot be taken\n", ex->detail); break;
        }
    }
    printf("\nMethod: a module counts its price plus %lld.%02lld %s per hour; a skill left uncovered counts\n"
           "%lld.%02lld %s per unit of weight (essential %u, optional %u); the plan has the least sum",
           params.hour_value / 100, params.hour_value % 100, r->currency, params.skill_value / 100,
           params.skill_value % 100, r->currency, params.essential_weight, params.optional_weight);
    if (r->solver_used == FOW_MATCH_SOLVER_EXACT)
        printf(" (exact, %u candidate%s).\n", r->candidates, r->candidates == 1 ? "" : "s");
    else
        printf(" within %.2f times (greedy, %u candidate%s%s).\n", fow_match_harmonic(r->max_set), r->candidates,
               r->candidates == 1 ? "" : "s", r->exact_gave_up ? "; the exact search stopped at its limit" : "");
    printf("Next start: each module's next open cohort from %s, the earliest with a free seat. docs/training.md\n", date);
    rc = 0;
done:
    free(starts);
    free(cohort_flags);
    fow_db_close(db);
    fow_match_plan_free(&plan);
    fow_match_index_free(x);
    fow_training_free(&cat);
    move_origin_close(&o);
    engine_close(&e);
    return rc;
}

/* ---- fow probable-skills ---------------------------------------------- */

static const char probable_help[] =
    "Usage: fow probable-skills OCCUPATION [--limit N] [--json]\n"
    "\n"
    "The skills an occupation very likely involves though ESCO does not list them: skills essential\n"
    "for most of its most similar occupations (weighted by similarity; its ESCO parent and nested\n"
    "occupations count too) or strongly related to a skill it lists. Each has a score from 0 to 1;\n"
    "those from 0.40 are shown, most probable first, with the occupations that list them. Validated\n"
    "by hiding 20% of every occupation's essential skills and counting how many come back\n"
    "(docs/transitions.md, \"Probable skills\"). A gap from the occupation ('fow gap') shows these\n"
    "as \"probably held - confirm\", and they count as held when a move's viability is judged.\n"
    "\n"
    "Options:\n"
    "  --limit N   at most N skills, 1..50 (default 20)\n"
    "  --db PATH  --json  --help\n";

int cli_probable_skills(cli_context *ctx, int argc, char **argv) {
    const char *limit_text = NULL;
    const cli_option options[] = {{"--limit", &limit_text, NULL}, {NULL, NULL, NULL}};
    const char *pos[1];
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, options, pos, 1, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(probable_help, stdout);
        return 0;
    }
    if (n_pos != 1) return cli_usage_error(ctx, "needs one OCCUPATION");
    fow_infer_params params;
    fow_infer_params_default(&params);
    long limit = params.limit;
    if (limit_text && (rc = cli_parse_size(ctx, "--limit", limit_text, 1, FOW_INFER_MAX, &limit))) return rc;
    params.limit = (uint32_t)limit;
    engine e;
    if ((rc = engine_open(ctx, &e))) return rc;
    uint32_t o;
    if ((rc = resolve_occupation(ctx, &e, pos[0], &o))) goto done;
    fow_probable_skill found[FOW_INFER_MAX];
    uint32_t n = 0;
    fow_error err;
    fow_error_clear(&err);
    if (fow_infer_occupation(e.ws, &params, o, found, FOW_INFER_MAX, &n, &err)) {
        rc = cli_fail(ctx, &err);
        goto done;
    }
    const fow_model *m = e.model;
    if (ctx->json) {
        fow_result_context c = result_context(&e);
        fow_jw w;
        cli_writer_init(&w);
        fow_result_probable_skills(&w, &c, o, &params, found, n);
        rc = cli_print_written(&w);
        goto done;
    }
    const fow_model_occupation *oc = &m->occupations[o];
    uint32_t n_ess = 0, n_opt = 0;
    for (uint32_t a = m->occ_offsets[o]; a < m->occ_offsets[o + 1]; a++) {
        if (m->occ_links[a].essential) n_ess++;
        else n_opt++;
    }
    printf("%s (%s): ESCO lists %u essential and %u optional skill%s\n\n", oc->label, oc->code[0] ? oc->code : oc->uri,
           n_ess, n_opt, n_opt == 1 ? "" : "s");
    if (!n) {
        printf("No probable skill: no skill it does not list scores %.2f or more.\n", (double)params.min_score);
    } else {
        printf("Probable skills (%u), most probable first:\n", n);
        printf("  score  nearest listing it  skill\n");
        for (uint32_t i = 0; i < n; i++) {
            const fow_probable_skill *x = &found[i];
            printf("  %.2f   %2u of %-2u            %s", (double)x->score, x->neighbours_listing, params.neighbours,
                   m->skills[x->skill].label);
            if (x->example != FOW_NO_INDEX) printf("   (e.g. %s)", m->occupations[x->example].label);
            else if (x->via != FOW_NO_INDEX) printf("   (related to: %s)", m->skills[x->via].label);
            putchar('\n');
        }
    }
    printf("\nScore: %.0f%% the similarity-weighted share of the %u most similar occupations (and the ESCO\n"
           "parent and nested ones) that list the skill as essential, %.0f%% its relatedness to a skill the\n"
           "occupation lists; probable from %.2f (docs/transitions.md, \"Probable skills\").\n",
           100.0 * (1.0 - params.related_weight), params.neighbours, 100.0 * params.related_weight,
           (double)params.min_score);
done:
    engine_close(&e);
    return rc;
}

/* ---- fow upskill ------------------------------------------------------ */

int cli_upskill(cli_context *ctx, int argc, char **argv) {
    const char *group = NULL, *limit_text = NULL, *cand_text = NULL, *model = NULL, *min_sim = NULL, *rule = NULL;
    const char *skills = NULL, *skills_file = NULL, *as_text = NULL;
    bool any = false, strict = false, csv = false;
    const cli_option options[] = {{"--group", &group, NULL},        {"--limit", &limit_text, NULL},
                                  {"--skills", &skills, NULL},      {"--skills-file", &skills_file, NULL},
                                  {"--as", &as_text, NULL},         {"--safe-rule", &rule, NULL},
                                  {"--candidates", &cand_text, NULL}, {"--model", &model, NULL},
                                  {"--min-similarity", &min_sim, NULL}, {"--any", NULL, &any},
                                  {"--strict", NULL, &strict},      {"--csv", NULL, &csv},
                                  {NULL, NULL, NULL}};
    const char *pos[1];
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, options, pos, 1, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(upskill_help, stdout);
        return 0;
    }
    int from_person = skills || skills_file;
    if (skills && skills_file) return cli_usage_error(ctx, "give --skills or --skills-file, not both");
    if ((n_pos == 1) + (group != NULL) + (from_person != 0) != 1)
        return cli_usage_error(ctx, "give an OCCUPATION, --group ISCO_CODE or --skills");
    if (as_text && !from_person) return cli_usage_error(ctx, "--as goes with --skills or --skills-file");
    if (any && strict) return cli_usage_error(ctx, "give --any or --strict, not both");
    if (csv && ctx->json) return cli_usage_error(ctx, "give --csv or --json, not both");
    long limit = 10, candidates = 100;
    if (limit_text && (rc = cli_parse_size(ctx, "--limit", limit_text, 1, 10000, &limit))) return rc;
    if (cand_text && (rc = cli_parse_size(ctx, "--candidates", cand_text, 1, 10000, &candidates))) return rc;
    engine e;
    if ((rc = engine_open(ctx, &e))) return rc;
    fow_transition_query q;
    fow_transition_query_default(e.index, &q);
    q.safe = any ? 0 : strict ? 2 : 1;
    q.desirable = !any;
    q.limit = (uint32_t)limit;
    uint32_t *origins = NULL, n_origins = 0, one = FOW_NO_INDEX;
    fow_error err;
    fow_error_clear(&err);
    fow_upskill_result res = {0};
    person p = {0};
    if (model && fow_risk_model_parse(model, &q.model) != 0) {
        rc = cli_usage_error(ctx, "--model must be 'mcc' or 'frey-osborne', not '%s'", model);
        goto done;
    }
    if (min_sim && (rc = parse_similarity(ctx, min_sim, &q.min_similarity))) goto done;
    if (rule && fow_safe_rule_parse(rule, &q.safe_rule) != 0) {
        rc = cli_usage_error(ctx, "--safe-rule must be 'margin' or 'lower', not '%s'", rule);
        goto done;
    }
    if (from_person) {
        if ((rc = person_resolve(ctx, &e, skills, skills_file, &p))) goto done;
        if (as_text && (rc = resolve_occupation(ctx, &e, as_text, &one))) goto done;
        if (fow_upskill_skills(e.ws, p.skills, p.n_skills, one, &q, (uint32_t)candidates, &res, &err)) {
            rc = cli_fail(ctx, &err);
            goto done;
        }
        n_origins = 1;
    } else if (group) {
        if (fow_occupations_in_group(e.model, group, &origins, &n_origins, &err)) {
            rc = cli_fail(ctx, &err);
            goto done;
        }
    } else {
        if ((rc = resolve_occupation(ctx, &e, pos[0], &one))) goto done;
        origins = malloc(sizeof *origins);
        if (!origins) {
            rc = cli_usage_error(ctx, "out of memory");
            goto done;
        }
        origins[0] = one, n_origins = 1;
    }
    if (!from_person && fow_upskill_occupations(e.ws, origins, n_origins, &q, (uint32_t)candidates, &res, &err)) {
        rc = cli_fail(ctx, &err);
        goto done;
    }
    char filters[200];
    filters_text(&q, filters, sizeof filters);
    if (csv) {
        printf("rank,skill_uri,skill_label,new_transitions,origins,example_destination_uri,example_destination_label\n");
        for (uint32_t i = 0; i < res.n_options; i++) {
            const fow_upskill_option *o = &res.options[i];
            printf("%u,", i + 1);
            csv_field(stdout, e.model->skills[o->skill].uri);
            putchar(',');
            csv_field(stdout, e.model->skills[o->skill].label);
            printf(",%u,%u,", o->new_transitions, o->origins);
            if (o->example != FOW_NO_INDEX) {
                csv_field(stdout, e.model->occupations[o->example].uri);
                putchar(',');
                csv_field(stdout, e.model->occupations[o->example].label);
            } else {
                putchar(',');
            }
            putchar('\n');
        }
    } else if (ctx->json) {
        fow_result_context c = result_context(&e);
        fow_jw w;
        cli_writer_init(&w);
        if (from_person) {
            fow_result_person given = result_person(&p);
            fow_result_person_upskill(&w, &c, &given, one, &q, &res);
        } else {
            fow_result_upskill(&w, &c, group ? FOW_NO_INDEX : one, group, n_origins, &q, &res);
        }
        rc = cli_print_written(&w);
    } else {
        if (group) printf("Upskilling for ISCO group %s: %u occupations\n", group, n_origins);
        else if (from_person && one == FOW_NO_INDEX)
            printf("Upskilling for these %u skills (no occupation to judge safety and pay against: --as)\n",
                   p.n_skills);
        else if (from_person) {
            printf("Upskilling for these %u skills, judged as ", p.n_skills);
            origin_line(&e, one, q.model);
        } else {
            printf("Upskilling for ");
            origin_line(&e, one, q.model);
        }
        printf("Counting moves with %s: %u now%s; %u candidate skills evaluated.\n\n", filters, res.current,
               group ? " (summed over the occupations)" : "", res.candidates);
        if (!res.n_options) {
            printf("No single skill adds such a move.\n");
        } else {
            printf("%3s  %-52s %5s %s\n", "#", "skill to learn", "+moves", group ? "origins  example" : "example");
            for (uint32_t i = 0; i < res.n_options; i++) {
                const fow_upskill_option *o = &res.options[i];
                printf("%3u  ", i + 1);
                cli_print_cell(stdout, e.model->skills[o->skill].label, 52);
                printf(" %5u ", o->new_transitions);
                if (group) printf(" %5u   ", o->origins);
                printf(" %s\n", o->example != FOW_NO_INDEX ? e.model->occupations[o->example].label : "");
            }
        }
        printf("\n+moves: safe%s and desirable moves that become viable once the skill is learned%s.\n",
               strict ? " (strictly)" : "", group ? ", summed over the group" : "");
        print_provenance(&e, q.model);
    }
done:
    fow_upskill_result_free(&res);
    free(origins);
    if (from_person) person_free(&p);
    engine_close(&e);
    return rc;
}

/* ---- fow skill -------------------------------------------------------- */

int cli_skill(cli_context *ctx, int argc, char **argv) {
    const char *pos[1];
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, NULL, pos, 1, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(skill_help, stdout);
        return 0;
    }
    if (n_pos != 1) return cli_usage_error(ctx, "needs the skill: its URI or a label");
    engine e;
    if ((rc = engine_open(ctx, &e))) return rc;
    uint32_t s = fow_resolve_skill_key(e.model, pos[0]);
    if (s == FOW_NO_INDEX) {
        fow_skill_resolution r;
        fow_resolve_skill(e.model, pos[0], &r);
        char list[600];
        fow_resolve_format_suggestions(e.model, 1, r.suggestions, r.n_suggestions, list, sizeof list);
        fow_error err;
        fow_error_set(&err, FOW_ENOTFOUND, "no skill has the URI or label '%.100s'%s%s", pos[0],
                      r.n_suggestions ? "; close matches: " : "", list);
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        fow_result_context c = result_context(&e);
        fow_jw w;
        cli_writer_init(&w);
        fow_result_skill(&w, &c, s);
        rc = cli_print_written(&w);
    } else {
        const fow_model *m = e.model;
        const fow_model_skill *sk = &m->skills[s];
        printf("%s (%s)\n  %s", sk->label, sk->uri, sk->is_knowledge ? "knowledge" : "skill/competence");
        if (sk->flags & FOW_SKILL_GREEN) printf(", green");
        if (sk->flags & FOW_SKILL_DIGITAL) printf(", digital");
        if (sk->flags & FOW_SKILL_TRANSVERSAL) printf(", transversal");
        if (sk->flags & FOW_SKILL_LANGUAGE) printf(", language");
        printf("; weight %.2f\n", (double)e.index->skill_weight[s]);
        for (int essential = 1; essential >= 0; essential--) {
            uint32_t count = 0;
            for (uint32_t a = m->skill_offsets[s]; a < m->skill_offsets[s + 1]; a++)
                count += (m->skill_links[a].essential != 0) == (essential != 0);
            printf("\n%s for %u occupation%s\n", essential ? "Essential" : "Optional", count, count == 1 ? "" : "s");
            for (uint32_t a = m->skill_offsets[s]; a < m->skill_offsets[s + 1]; a++)
                if ((m->skill_links[a].essential != 0) == (essential != 0))
                    printf("  - %s\n", m->occupations[m->skill_links[a].index].label);
        }
        printf("\nRelated skills\n");
        for (uint32_t r = e.index->related_offsets[s]; r < e.index->related_offsets[s + 1]; r++)
            printf("  %.2f  %s\n", (double)e.index->related[r].strength, m->skills[e.index->related[r].skill].label);
    }
    engine_close(&e);
    return rc;
}
