/* cli_calls.c — `fow call ...`: calls for applications of the voucher
 * programme, applications, the jury, ranking and awards
 * (src/vouchers/fow_calls.h, docs/vouchers-calls.md). Like `fow person`,
 * the command line runs on the server's machine with its database and
 * people key file and acts as an administrator named "cli:LOGIN"; a juror's
 * actions are taken in the name given with --juror. */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "taxonomy/fow_model.h"
#include "vouchers/fow_calls.h"

static const char call_help[] =
    "Usage: fow call add FILE\n"
    "       fow call list\n"
    "       fow call show CALL\n"
    "       fow call rules CALL FILE\n"
    "       fow call eligibility CALL PERSON\n"
    "       fow call apply CALL --person ID [--plan PLAN] [--amount A] --proposal TEXT\n"
    "       fow call apply CALL --enterprise NAME --code CUI [--amount A] --proposal TEXT\n"
    "       fow call applications CALL [--juror NAME]\n"
    "       fow call application APPLICATION [--juror NAME]\n"
    "       fow call mine PERSON\n"
    "       fow call juror CALL NAME\n"
    "       fow call jurors CALL\n"
    "       fow call conflict APPLICATION --juror NAME --reason TEXT\n"
    "       fow call score APPLICATION --juror NAME --scores CODE=N[,CODE=N...] [--comment TEXT]\n"
    "       fow call rank CALL\n"
    "       fow call award APPLICATION --decision award|reject|waitlist --reason TEXT [--amount A]\n"
    "\n"
    "Calls for applications of the voucher programme (docs/vouchers-calls.md): a call draws on\n"
    "a budget line (fow voucher line), has voucher values per kind of applicant, criteria the\n"
    "jury scores with weights, and eligibility rules as data, which fow evaluates for each\n"
    "applicant and explains rule by rule. Amounts are major units with at most two decimals\n"
    "(1500 or 1500.50), kept in minor units (bani). The command line acts as an administrator\n"
    "(cli:LOGIN); --juror NAME acts as that juror.\n"
    "\n"
    "  add           adds a call from its definition, a JSON file (- for standard input):\n"
    "                budget_line, title {en, ro}, opens_on, closes_on, values, criteria, rules,\n"
    "                and optionally voucher {valid_months, active, min_attendance_percent}, the\n"
    "                terms of the vouchers its awards issue; prints its id.\n"
    "  list, show    the calls; one call with its values, criteria and rules explained.\n"
    "  rules         replaces a call's rules by the JSON list in FILE (only before any\n"
    "                application).\n"
    "  eligibility   evaluates the call's rules for PERSON (needs their vouchers consent) without\n"
    "                applying, rule by rule.\n"
    "  apply         applies for a person (from their plan with --plan) or an enterprise (name and\n"
    "                registration code, CUI); the eligibility is evaluated at once and kept.\n"
    "  applications  a call's applications (as the office, or as juror NAME: no person ids).\n"
    "  application   one application with its eligibility, scores, decision and history.\n"
    "  mine          a person's applications with their status and decision.\n"
    "  juror, jurors adds account NAME (role juror) to a call's jury; lists the jury.\n"
    "  conflict      juror NAME declares a conflict of interest: they can no longer score it.\n"
    "  score         juror NAME scores an application on the call's criteria (0 to each one's\n"
    "                max_score).\n"
    "  rank          the ranking by weighted score, with its tie-breaks and what fits the budget.\n"
    "  award         decides: award (within the budget line's available amount; --amount below\n"
    "                the requested value), reject or waitlist, with a reason. An award issues the\n"
    "                voucher at once, to the applicant, on the call's voucher terms (default: valid\n"
    "                12 months, active at once), and prints its code; when it cannot be issued (no\n"
    "                vouchers consent, an enterprise on a line not for business support or lab\n"
    "                time) nothing is awarded.\n"
    "\n"
    "Options:\n"
    "  --person ID         a person's id (fow person list)\n"
    "  --plan PLAN         the person's plan the application comes from\n"
    "  --enterprise NAME   an enterprise's name;  --code CUI  its registration code\n"
    "  --amount A          the value asked (apply; default: the call's) or awarded (award)\n"
    "  --proposal TEXT     what the voucher is for (up to 4000 bytes)\n"
    "  --juror NAME        act as this juror (an account of role juror on the call's jury)\n"
    "  --scores LIST       CODE=N pairs, comma-separated, one per criterion\n"
    "  --comment TEXT      a comment kept with each score\n"
    "  --decision D        award, reject or waitlist\n"
    "  --reason TEXT       why (conflict, award; up to 500 bytes)\n"
    "  --db PATH  --json  --help\n";

static const cli_field_flag call_field_flags[] = {{"registration_code", "--code"},
                                                  {"enterprise", "--enterprise"},
                                                  {"budget", "--amount"},
                                                  {"score", "--scores"},
                                                  {"criterion", "--scores"},
                                                  {NULL, NULL}};
/* fow call juror CALL NAME: the juror is the positional NAME */
static const cli_field_flag juror_field_flags[] = {{"juror", "NAME"}, {NULL, NULL}};

typedef struct call_env {
    fow_db *db;
    fow_people *people;
    fow_model *model;
    fow_people_staff staff;
    char actor[FOW_PERSON_ACTOR_MAX + 1];
    fow_calls_ctx c;
} call_env;

static void env_close(call_env *e) {
    fow_people_close(e->people);
    fow_model_free(e->model);
    fow_db_close(e->db);
}

static int env_open(cli_context *ctx, call_env *e, bool with_people, bool with_model) {
    memset(e, 0, sizeof *e);
    fow_error err;
    fow_error_clear(&err);
    const char *login = getenv("USER");
    struct passwd *pw = (!login || !login[0]) ? getpwuid(geteuid()) : NULL;
    if (pw) login = pw->pw_name;
    snprintf(e->actor, sizeof e->actor, "cli:%.60s", login && login[0] ? login : "unknown");
    e->staff = (fow_people_staff){.name = e->actor, .organisation = "", .all_organisations = true};
    int rc = cli_open_db(ctx, false, &e->db);
    if (rc) return rc;
    char key_path[4096];
    if ((with_people && (fow_people_key_path(ctx->db_path, key_path, sizeof key_path, &err) ||
                         fow_people_open(e->db, key_path, &e->people, &err))) ||
        (with_model && fow_model_load(e->db, &e->model, &err))) {
        env_close(e);
        return cli_fail(ctx, &err);
    }
    e->c = (fow_calls_ctx){.db = e->db, .people = e->people, .staff = &e->staff, .model = e->model,
                           .actor = e->actor, .now = (long long)time(NULL)};
    return 0;
}

static int parse_id(cli_context *ctx, const char *name, const char *text, long long *out) {
    long v;
    int rc = cli_parse_size(ctx, name, text, 1, 2000000000L, &v);
    if (!rc) *out = v;
    return rc;
}

/* Major units with at most two decimals into minor units. */
static int parse_amount(cli_context *ctx, const char *text, long long *minor) {
    long long whole = 0;
    int decimals = 0, cents = 0;
    const char *p = text;
    if (!*p) return cli_usage_error(ctx, "--amount must be a number of major units, e.g. 1500 or 1500.50");
    for (; *p >= '0' && *p <= '9'; p++) {
        whole = whole * 10 + (*p - '0');
        if (whole > 1000000000LL) return cli_usage_error(ctx, "--amount '%s' is too large", text);
    }
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9' && decimals < 3; p++, decimals++) cents = cents * 10 + (*p - '0');
    if (*p || p == text || decimals > 2)
        return cli_usage_error(ctx, "--amount must be a number of major units with at most two decimals, not '%s'",
                               text);
    if (decimals == 1) cents *= 10;
    *minor = whole * 100 + cents;
    return 0;
}

static char *read_input(const char *path, size_t max) {
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) return NULL;
    char *buf = malloc(max + 1);
    size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
    if (f != stdin) fclose(f);
    if (!buf || n > max) {
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    return buf;
}

static json_t *as_json(fow_jw *w) {
    json_error_t jerr;
    json_t *doc = json_loads(fow_jw_text(w, NULL), 0, &jerr);
    fow_jw_free(w);
    return doc;
}

static const char *s(json_t *obj, const char *key) {
    const char *v = json_string_value(json_object_get(obj, key));
    return v ? v : "";
}

static long long i(json_t *obj, const char *key) { return (long long)json_integer_value(json_object_get(obj, key)); }

static void print_money(json_t *money) {
    long long m = i(money, "minor_units");
    printf("%lld.%02lld %s", m / 100, (m < 0 ? -m : m) % 100, s(money, "currency"));
}

static void print_message_list(json_t *rules, const char *indent) {
    size_t k;
    json_t *r;
    json_array_foreach(rules, k, r) {
        const char *outcome = s(r, "outcome");
        printf("%s%lld. %s%s%s\n", indent, i(r, "position"), outcome[0] ? outcome : "",
               outcome[0] ? ": " : "", s(json_object_get(r, "message"), "text"));
    }
}

static void print_call(json_t *doc) {
    json_t *t = json_object_get(doc, "title");
    printf("Call %lld: %s / %s\n", i(doc, "id"), s(t, "en"), s(t, "ro"));
    printf("  %s, %s to %s; purpose %s, %lld, budget line %lld (%s)\n", s(doc, "state"), s(doc, "opens_on"),
           s(doc, "closes_on"), s(doc, "purpose"), i(doc, "year"), i(json_object_get(doc, "budget_line"), "id"),
           s(json_object_get(doc, "budget_line"), "fund"));
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(doc, "values"), k, v) {
        printf("  %s: %s ", s(v, "applicant"), strcmp(s(v, "mode"), "fixed") == 0 ? "a voucher of" : "up to");
        print_money(json_object_get(v, "amount"));
        printf("\n");
    }
    json_t *criteria = json_object_get(doc, "criteria");
    if (criteria) {
        printf("Criteria (weight, maximum score):\n");
        json_array_foreach(criteria, k, v)
            printf("  %-16s %3lld%%  0-%lld  %s\n", s(v, "code"), i(v, "weight"), i(v, "max_score"),
                   s(json_object_get(v, "title"), "en"));
        printf("Eligibility rules:\n");
        if (!json_array_size(json_object_get(doc, "rules"))) printf("  none: everyone may apply\n");
        print_message_list(json_object_get(doc, "rules"), "  ");
    }
    json_t *terms = json_object_get(doc, "voucher");
    if (json_is_object(terms))
        printf("An award issues its voucher at once: valid %lld month%s from the award, %s; claims payable at %lld%% "
               "attendance\n",
               i(terms, "valid_months"), i(terms, "valid_months") == 1 ? "" : "s",
               json_is_true(json_object_get(terms, "active")) ? "active at once" : "to be activated",
               i(terms, "min_attendance_percent"));
}

static void print_application(json_t *doc) {
    json_t *ap = json_object_get(doc, "applicant");
    printf("Application %lld to call %lld (%s): %s\n", i(doc, "id"), i(json_object_get(doc, "call"), "id"),
           s(json_object_get(json_object_get(doc, "call"), "title"), "en"), s(doc, "status"));
    if (strcmp(s(ap, "kind"), "person") == 0)
        printf("  a person%s%s\n", s(ap, "person")[0] ? " " : "", s(ap, "person"));
    else
        printf("  enterprise %s (CUI %s)\n", s(json_object_get(ap, "enterprise"), "name"),
               s(json_object_get(ap, "enterprise"), "registration_code"));
    printf("  requested ");
    print_money(json_object_get(doc, "requested"));
    printf(", submitted %s\n  proposal: %s\n", s(doc, "submitted_at"), s(doc, "proposal"));
    json_t *ev = json_object_get(doc, "eligibility");
    printf("Eligibility (%s, evaluated %s):\n", json_is_true(json_object_get(ev, "eligible")) ? "eligible" : "not eligible",
           s(ev, "evaluated_at"));
    print_message_list(json_object_get(ev, "rules"), "  ");
    size_t k;
    json_t *v;
    json_t *scores = json_object_get(doc, "scores");
    if (json_array_size(scores)) printf("Scores:\n");
    json_array_foreach(scores, k, v)
        printf("  %-12s %-16s %lld  %s\n", s(v, "juror"), s(v, "criterion"), i(v, "score"), s(v, "comment"));
    json_t *d = json_object_get(doc, "decision");
    if (json_is_object(d)) {
        printf("Decision: %s", s(d, "decision"));
        if (json_object_get(d, "value")) {
            printf(", ");
            print_money(json_object_get(d, "value"));
        }
        printf(" (%s, %s): %s\n", s(d, "decided_by"), s(d, "decided_at"), s(d, "reason"));
    }
    json_t *voucher = json_object_get(doc, "voucher");
    if (json_is_object(voucher))
        printf("Voucher: %s (%s, valid %s to %s)\n", s(voucher, "code"), s(voucher, "status"), s(voucher, "valid_from"),
               s(voucher, "valid_until"));
    printf("History:\n");
    json_array_foreach(json_object_get(doc, "history"), k, v)
        printf("  %s  %-10s %s%s%s\n", s(v, "at"), s(v, "status"), s(v, "detail"), s(v, "actor")[0] ? " — " : "",
               s(v, "actor"));
}

static void print_rank(json_t *doc) {
    printf("Ranking of call %lld; available ", i(doc, "call"));
    print_money(json_object_get(doc, "available"));
    printf(" (%s)\n", s(json_object_get(doc, "available_explained"), "text"));
    printf("%s\n", s(json_object_get(doc, "method"), "text"));
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(doc, "tie_breaks"), k, v) printf("%s\n", s(v, "text"));
    printf("\n rank  application  score      requested        status      fits\n");
    json_array_foreach(json_object_get(doc, "ranked"), k, v) {
        printf(" %4lld  %11lld  %9.6f  ", i(v, "rank"), i(v, "id"), json_real_value(json_object_get(v, "weighted_score")));
        print_money(json_object_get(v, "requested"));
        json_t *fits = json_object_get(v, "fits");
        printf("  %-10s  %s\n", s(v, "status"), json_is_null(fits) ? "-" : json_is_true(fits) ? "yes" : "no");
    }
    json_array_foreach(json_object_get(doc, "unranked"), k, v)
        printf(" not ranked: application %lld (%s): %s\n", i(v, "id"), s(v, "status"),
               s(json_object_get(v, "why"), "text"));
}

/* Parses "a=1,b=2" into scores (at most max); the texts point into buf. */
static int parse_scores(cli_context *ctx, char *buf, const char *comment, fow_score_input *out, size_t max,
                        size_t *n) {
    *n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq || eq == tok || *n >= max)
            return cli_usage_error(ctx, "--scores takes CODE=N pairs separated by commas, not '%s'", tok);
        *eq = 0;
        char *end;
        long v = strtol(eq + 1, &end, 10);
        if (*end || end == eq + 1 || v < 0 || v > 1000)
            return cli_usage_error(ctx, "--scores: the score of %s must be a whole number, not '%s'", tok, eq + 1);
        out[(*n)++] = (fow_score_input){.criterion = tok, .score = (int)v, .comment = comment};
    }
    if (*n == 0) return cli_usage_error(ctx, "--scores needs at least one CODE=N");
    return 0;
}

int cli_call(cli_context *ctx, int argc, char **argv) {
    ctx->command = "call";
    if (argc == 0 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        fputs(call_help, argc == 0 ? stderr : stdout);
        return argc == 0 ? CLI_EXIT_USER : 0;
    }
    static const char *const subs[] = {"add",   "list",  "show",     "rules",  "eligibility", "apply",
                                       "applications", "application", "mine", "juror",  "jurors",
                                       "conflict", "score", "rank", "award", NULL};
    static const int needed[] = {1, 0, 1, 2, 2, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1};
    int sub = -1;
    for (int k = 0; subs[k]; k++)
        if (strcmp(argv[0], subs[k]) == 0) sub = k;
    if (sub < 0)
        return cli_usage_error(ctx, "unknown subcommand '%s': use add, list, show, rules, eligibility, apply, "
                                    "applications, application, mine, juror, jurors, conflict, score, rank or award",
                               argv[0]);
    const char *person = NULL, *plan = NULL, *enterprise = NULL, *code = NULL, *amount = NULL, *proposal = NULL,
               *juror = NULL, *scores = NULL, *comment = NULL, *decision = NULL, *reason = NULL, *pos[2];
    int n_pos = 0;
    const cli_option options[] = {{"--person", &person, NULL},     {"--plan", &plan, NULL},
                                  {"--enterprise", &enterprise, NULL}, {"--code", &code, NULL},
                                  {"--amount", &amount, NULL},     {"--proposal", &proposal, NULL},
                                  {"--juror", &juror, NULL},       {"--scores", &scores, NULL},
                                  {"--comment", &comment, NULL},   {"--decision", &decision, NULL},
                                  {"--reason", &reason, NULL},     {NULL, NULL, NULL}};
    ctx->field_flags = call_field_flags;
    int rc = cli_parse(ctx, argc - 1, argv + 1, options, pos, 2, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(call_help, stdout);
        return 0;
    }
    if (sub == 9) ctx->field_flags = juror_field_flags;
    if (n_pos != needed[sub])
        return cli_usage_error(ctx, "%s needs %d argument%s (see fow call --help)", subs[sub], needed[sub],
                               needed[sub] == 1 ? "" : "s");
    long long id = 0, plan_id = 0, amount_minor = 0;
    if (sub != 0 && sub != 1 && sub != 8 && (rc = parse_id(ctx, sub >= 11 && sub != 13 ? "APPLICATION" : "CALL",
                                                           pos[0], &id)))
        return rc;
    if (sub == 7 && (rc = parse_id(ctx, "APPLICATION", pos[0], &id))) return rc;
    if (plan && (rc = parse_id(ctx, "--plan", plan, &plan_id))) return rc;
    if (amount && (rc = parse_amount(ctx, amount, &amount_minor))) return rc;
    if ((sub == 11 || sub == 12) && !juror) return cli_usage_error(ctx, "%s needs --juror NAME", subs[sub]);
    if (sub == 11 && !reason) return cli_usage_error(ctx, "conflict needs --reason TEXT");
    if (sub == 12 && !scores) return cli_usage_error(ctx, "score needs --scores CODE=N[,CODE=N...]");
    fow_award_decision dec = FOW_DECISION_AWARD;
    if (sub == 14) {
        if (!decision || fow_award_decision_parse(decision, &dec) != 0)
            return cli_usage_error(ctx, "award needs --decision award, reject or waitlist");
        if (!reason) return cli_usage_error(ctx, "award needs --reason TEXT");
    }
    fow_application_input in = {.kind = FOW_APPLICANT_PERSON};
    if (sub == 5) {
        if (!proposal) return cli_usage_error(ctx, "apply needs --proposal TEXT");
        if (!!person == !!enterprise) return cli_usage_error(ctx, "apply needs either --person ID or --enterprise NAME");
        if (enterprise && !code) return cli_usage_error(ctx, "an enterprise's application needs --code CUI");
        in = (fow_application_input){.kind = person ? FOW_APPLICANT_PERSON : FOW_APPLICANT_ENTERPRISE,
                                     .person = person,
                                     .plan_id = plan_id,
                                     .enterprise_name = enterprise,
                                     .registration_code = code,
                                     .requested_minor = amount_minor,
                                     .proposal = proposal};
    }
    char *file = NULL;
    if (sub == 0 || sub == 3) {
        const char *path = pos[sub == 0 ? 0 : 1];
        if (!(file = read_input(path, 1 << 20)))
            return cli_usage_error(ctx, "cannot read %s (or it is larger than 1 MiB)", path);
    }
    call_env e;
    bool people = sub == 4 || sub == 5 || sub == 8 || sub == 14; /* 14: an award's voucher reads the consent */
    if ((rc = env_open(ctx, &e, people, sub == 4 || sub == 5))) {
        free(file);
        return rc;
    }
    if (juror) e.c.actor = juror;
    fow_calls_viewer viewer = juror ? FOW_CALLS_VIEW_JUROR : FOW_CALLS_VIEW_OFFICE;
    fow_error err;
    fow_error_clear(&err);
    fow_code code_rc = FOW_OK;
    fow_jw w;
    cli_writer_init(&w);
    bool wrote = false;
    long long new_id = 0;
    switch (sub) {
    case 0:
        if (!(code_rc = fow_calls_create(&e.c, file, &new_id, &err))) printf("%lld\n", new_id);
        break;
    case 1: wrote = !(code_rc = fow_calls_list_write(&e.c, &w, &err)); break;
    case 2: wrote = !(code_rc = fow_calls_write(&e.c, id, &w, &err)); break;
    case 3:
        if (!(code_rc = fow_calls_set_rules(&e.c, id, file, &err))) printf("rules of call %lld replaced\n", id);
        break;
    case 4: wrote = !(code_rc = fow_calls_eligibility(&e.c, id, pos[1], &w, NULL, &err)); break;
    case 5:
        if (!(code_rc = fow_calls_apply(&e.c, id, &in, &new_id, &err))) {
            wrote = !(code_rc = fow_calls_application_write(&e.c, new_id, FOW_CALLS_VIEW_OFFICE, &w, &err));
            if (!ctx->json && wrote) printf("application %lld\n", new_id);
        }
        break;
    case 6: wrote = !(code_rc = fow_calls_applications_write(&e.c, id, viewer, &w, &err)); break;
    case 7: wrote = !(code_rc = fow_calls_application_write(&e.c, id, viewer, &w, &err)); break;
    case 8: wrote = !(code_rc = fow_calls_person_applications_write(&e.c, pos[0], &w, &err)); break;
    case 9:
        if (!(code_rc = fow_calls_juror_add(&e.c, id, pos[1], &err))) printf("%s is on the jury of call %lld\n", pos[1], id);
        break;
    case 10: wrote = !(code_rc = fow_calls_jurors_write(&e.c, id, &w, &err)); break;
    case 11:
        if (!(code_rc = fow_calls_conflict_declare(&e.c, id, reason, &err)))
            printf("conflict of %s with application %lld declared\n", juror, id);
        break;
    case 12: {
        char *buf = strdup(scores);
        fow_score_input list[FOW_CALL_CRITERIA_MAX];
        size_t n = 0;
        if (!buf) {
            code_rc = fow_error_set(&err, FOW_ENOMEM, "out of memory");
        } else if ((rc = parse_scores(ctx, buf, comment, list, FOW_CALL_CRITERIA_MAX, &n)) == 0 &&
                   !(code_rc = fow_calls_score(&e.c, id, list, n, &err))) {
            wrote = !(code_rc = fow_calls_application_write(&e.c, id, FOW_CALLS_VIEW_JUROR, &w, &err));
            if (!ctx->json && wrote) printf("scored; application %lld:\n", id);
        }
        free(buf);
        break;
    }
    case 13: wrote = !(code_rc = fow_calls_rank_write(&e.c, id, &w, &err)); break;
    default:
        if (!(code_rc = fow_calls_decide(&e.c, id, dec, amount_minor, reason, &new_id, &err)))
            wrote = !(code_rc = fow_calls_application_write(&e.c, id, FOW_CALLS_VIEW_OFFICE, &w, &err));
        break;
    }
    if (code_rc) {
        rc = cli_fail(ctx, &err);
    } else if (wrote && ctx->json) {
        rc = cli_print_written(&w);
        wrote = false;
    } else if (wrote) {
        json_t *doc = as_json(&w);
        wrote = false;
        if (!doc) {
            rc = CLI_EXIT_INTERNAL;
        } else {
            size_t k;
            json_t *v;
            switch (sub) {
            case 1:
                json_array_foreach(json_object_get(doc, "calls"), k, v) {
                    print_call(v);
                    printf("  rules: %lld, applications: %lld\n", i(v, "rules"), i(v, "applications"));
                }
                if (!json_array_size(json_object_get(doc, "calls"))) printf("no calls\n");
                break;
            case 2: print_call(doc); break;
            case 4:
                printf("%s for call %lld:\n", json_is_true(json_object_get(doc, "eligible")) ? "Eligible" : "Not eligible",
                       id);
                print_message_list(json_object_get(doc, "rules"), "  ");
                break;
            case 6:
                json_array_foreach(json_object_get(doc, "applications"), k, v) {
                    json_t *ap = json_object_get(v, "applicant");
                    printf("%lld  %-10s  ", i(v, "id"), s(v, "status"));
                    print_money(json_object_get(v, "requested"));
                    printf("  %s %s  scored by %lld%s\n", s(ap, "kind"),
                           strcmp(s(ap, "kind"), "person") == 0 ? s(ap, "person")
                                                                : s(json_object_get(ap, "enterprise"), "name"),
                           i(v, "scored_by"), json_is_true(json_object_get(v, "conflict")) ? "  (your conflict)" : "");
                }
                if (!json_array_size(json_object_get(doc, "applications"))) printf("no applications\n");
                break;
            case 8:
                json_array_foreach(json_object_get(doc, "applications"), k, v) {
                    printf("%lld  call %lld %s: %s", i(v, "id"), i(json_object_get(v, "call"), "id"),
                           s(json_object_get(json_object_get(v, "call"), "title"), "en"), s(v, "status"));
                    json_t *d = json_object_get(v, "decision");
                    if (json_object_get(d, "value")) {
                        printf(", ");
                        print_money(json_object_get(d, "value"));
                    }
                    printf("\n");
                }
                if (!json_array_size(json_object_get(doc, "applications"))) printf("no applications\n");
                break;
            case 10:
                json_array_foreach(json_object_get(doc, "jurors"), k, v)
                    printf("%-20s added %s by %s; scored %lld, conflicts %lld\n", s(v, "juror"), s(v, "added_at"),
                           s(v, "added_by"), i(v, "scored"), i(v, "conflicts"));
                if (!json_array_size(json_object_get(doc, "jurors"))) printf("no jurors\n");
                break;
            case 13: print_rank(doc); break;
            default: print_application(doc); break;
            }
            json_decref(doc);
        }
    }
    fow_jw_free(&w);
    free(file);
    env_close(&e);
    return rc;
}
