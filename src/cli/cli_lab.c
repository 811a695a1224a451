/* cli_lab.c — `fow lab ...`: the CREIC labs' catalogue (src/labs,
 * docs/labs.md): labs, spaces and machines, opening hours, public
 * holidays, closures and maintenance, what unlocks a machine, prices, who
 * may use what, in-lab inductions. Like `fow cohort`, the command line
 * runs on the server's machine with its database and acts as the labs'
 * manager, named "cli:LOGIN".
 *
 * The subcommands of other files (bookings, usage, feeds) go into the
 * table lab_subcommands below: one line each, with the function of their
 * own file (declared in cli.h), which gets the words after its name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "labs/fow_labs.h"
#include "service/fow_world.h"
#include "vouchers/fow_vouchers.h"

static const char lab_help[] =
    "Usage: fow lab list\n"
    "       fow lab show LAB\n"
    "       fow lab import FILE\n"
    "       fow lab add CODE --name-en TEXT --name-ro TEXT [--description-en TEXT] [--description-ro TEXT]\n"
    "                   [--address TEXT] [--cancel-deadline-hours N] [--late-cancel-fee-percent N]\n"
    "                   [--offer-hours N]\n"
    "       fow lab edit LAB [the options of add]\n"
    "       fow lab resource add LAB CODE --kind space|machine --name-en TEXT --name-ro TEXT\n"
    "                   [--capacity N] [--slot-minutes 15|30|60|120|240] [--max-slots N]\n"
    "                   [--description-en TEXT] [--description-ro TEXT] [--safety-en TEXT]\n"
    "                   [--safety-ro TEXT] [--photo PATH]\n"
    "       fow lab resource edit RESOURCE [the options of resource add] [--active yes|no]\n"
    "       fow lab resource show RESOURCE\n"
    "       fow lab hours LAB [DAY=HH:MM-HH:MM ...] [--closed]\n"
    "       fow lab closure add LAB --kind closure|maintenance --start YYYY-MM-DDTHH:MM\n"
    "                   --end YYYY-MM-DDTHH:MM [--resource RESOURCE] [--reason TEXT]\n"
    "       fow lab closure delete ID\n"
    "       fow lab holidays import FILE\n"
    "       fow lab holidays [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "       fow lab require RESOURCE [module:CODE | skill:URI ...] [--none]\n"
    "       fow lab price RESOURCE [CATEGORY=AMOUNT ...] [--currency CUR]\n"
    "       fow lab access PERSON [RESOURCE]\n"
    "       fow lab induction RESOURCE PERSON [--module CODE]\n"
    "       fow lab usage --from YYYY-MM-DD --to YYYY-MM-DD [--lab LAB] [--resource RESOURCE]\n"
    "                   [--by week|resource|category] [--csv]\n"
    "       fow lab projects [--lab LAB] [--csv] | projects add --lab LAB (--person ID | --enterprise CUI)\n"
    "                   --title TEXT [--summary TEXT] [--outcome TEXT]\n"
    "       fow lab feed resource RESOURCE | feed lab LAB | feed token ACCOUNT\n"
    "\n"
    "The CREIC labs (docs/labs.md): each lab has spaces and machines (resources), booked on a grid\n"
    "of slot_minutes. Times are local times of Europe/Bucharest (EET/EEST). The command line acts\n"
    "as the labs' manager, named cli:LOGIN.\n"
    "\n"
    "  list           the labs and their resources.\n"
    "  show           a lab: hours, resources, closures to come, the holidays of the next 12 months.\n"
    "  import         loads a labs file (JSON, docs/labs.md; data/demo/labs.json): labs and resources\n"
    "                 added or changed by code, their hours, requirements and prices replaced; all or\n"
    "                 nothing.\n"
    "  add, edit      a lab; its cancellation policy: cancelling at least --cancel-deadline-hours\n"
    "                 (default 24) before the start is free, later --late-cancel-fee-percent (default\n"
    "                 50) of the price is kept; a waiting-list offer stays open --offer-hours (12).\n"
    "  resource       a space (capacity: people) or a machine (capacity 1); --max-slots is the longest\n"
    "                 booking in slots.\n"
    "  hours          sets LAB's opening hours, replacing them: DAY is mon..sun or 1..7, e.g.\n"
    "                 mon=09:00-18:00 sat=10:00-14:00 (a day may have several intervals; 24:00\n"
    "                 closes at midnight); --closed: no hours at all. Without DAY=: prints them.\n"
    "  closure        a closure of the whole lab or of one resource (--resource), or a maintenance\n"
    "                 window; delete removes one by its id.\n"
    "  holidays       imports the public holidays (CSV day,name_en,name_ro,source; every lab is\n"
    "                 closed then: data/holidays-ro.csv), or lists them.\n"
    "  require        what unlocks RESOURCE, replacing it: module:CODE (a module of the catalogue)\n"
    "                 or skill:URI (taught by a module); a person needs a valid, unrevoked credential\n"
    "                 for each. --none: nothing required. Without arguments: prints them.\n"
    "  price          the price per hour of RESOURCE, replacing them: CATEGORY is school, university,\n"
    "                 enterprise, resident or culturepreneur; AMOUNT in major units (120 or 120.50)\n"
    "                 of --currency (default RON). Without arguments: prints them.\n"
    "  access         whether PERSON may use each resource (or RESOURCE), and the trainings missing.\n"
    "  induction      records that PERSON was inducted on RESOURCE in the lab: a passed completion of\n"
    "                 the induction module (--module, when RESOURCE requires several), which issues\n"
    "                 the credential as every completion does.\n"
    "  usage          hours booked and used, no-shows, utilisation (hours booked / hours open) by ISO\n"
    "                 week, resource or price category; people counts under 10 suppressed\n"
    "                 (docs/labs-usage.md; fow lab usage --help).\n"
    "  projects       the projects carried out in the labs, or records one.\n"
    "  feed           the iCalendar feed of a resource or a lab (busy times, no person), or a new\n"
    "                 secret address of ACCOUNT's own bookings.\n"
    "\n"
    "Options for every command:\n"
    "  --db PATH  --json  --help\n";

typedef struct lab_args {
    const char *name_en, *name_ro, *description_en, *description_ro, *address, *cancel_deadline_hours,
        *late_cancel_fee_percent, *offer_hours, *kind, *capacity, *slot_minutes, *max_slots, *safety_en, *safety_ro,
        *photo, *active, *start, *end, *resource, *reason, *from, *to, *currency, *module;
    bool closed, none;
    const char *pos[24];
    int n_pos;
} lab_args;

static const cli_field_flag lab_field_flags[] = {{"start", "--start"}, {"end", "--end"}, {NULL, NULL}};

static int parse_int_option(cli_context *ctx, const char *name, const char *text, long lo, long hi, int *out)
{
    *out = -1;
    if (!text)
        return 0;
    long v = 0;
    int rc = cli_parse_size(ctx, name, text, lo, hi, &v);
    if (!rc)
        *out = (int)v;
    return rc;
}

static int print_document(cli_context *ctx, fow_code (*fn)(fow_jw *, fow_db *, const char *, fow_error *),
                          fow_db *db, const char *code)
{
    fow_jw w;
    cli_writer_init(&w);
    fow_error err;
    fow_error_clear(&err);
    if (fn(&w, db, code, &err)) {
        fow_jw_free(&w);
        return cli_fail(ctx, &err);
    }
    return cli_print_written(&w);
}

/* ---- list, show, import ------------------------------------------------------ */

static int lab_list(cli_context *ctx, fow_db *db)
{
    fow_error err;
    fow_error_clear(&err);
    if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        if (fow_lab_result_list(&w, db, &err)) {
            fow_jw_free(&w);
            return cli_fail(ctx, &err);
        }
        return cli_print_written(&w);
    }
    fow_lab *labs = NULL;
    size_t n = 0;
    fow_lab_resource *res = NULL;
    size_t n_res = 0;
    if (fow_labs_list(db, &labs, &n, &err) || fow_lab_resources(db, NULL, &res, &n_res, &err)) {
        free(labs);
        free(res);
        return cli_fail(ctx, &err);
    }
    if (n == 0)
        printf("No labs yet: fow lab import data/demo/labs.json, or fow lab add.\n");
    for (size_t i = 0; i < n; i++) {
        printf("%s  %s / %s\n", labs[i].code, labs[i].name_en, labs[i].name_ro);
        for (size_t k = 0; k < n_res; k++) {
            if (res[k].lab_id != labs[i].id)
                continue;
            printf("    %-22s %-7s ", res[k].code, fow_lab_resource_kind_name(res[k].kind));
            cli_print_cell(stdout, res[k].name_en, 34);
            printf(" %3d min slots%s\n", res[k].slot_minutes, res[k].active ? "" : "  (inactive)");
        }
    }
    free(labs);
    free(res);
    return 0;
}

static const char *weekday_name(int weekday)
{
    static const char *const names[8] = {"?", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    return weekday >= 1 && weekday <= 7 ? names[weekday] : names[0];
}

static int print_hours(cli_context *ctx, fow_db *db, const fow_lab *lab)
{
    fow_error err;
    fow_error_clear(&err);
    fow_lab_hours *hours = NULL;
    size_t n = 0;
    if (fow_lab_hours_get(db, lab->id, &hours, &n, &err))
        return cli_fail(ctx, &err);
    char a[8], b[8];
    printf("Opening hours (%s):%s\n", FOW_LAB_TIMEZONE, n ? "" : " closed every day");
    for (size_t i = 0; i < n; i++)
        printf("  %s %s-%s\n", weekday_name(hours[i].weekday), fow_lab_format_minute(hours[i].opens_minute, a, sizeof a),
               fow_lab_format_minute(hours[i].closes_minute, b, sizeof b));
    free(hours);
    return 0;
}

static int lab_show(cli_context *ctx, fow_db *db, const char *code)
{
    fow_error err;
    fow_error_clear(&err);
    long long now = (long long)time(NULL);
    if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        if (fow_lab_result_show(&w, db, code, now, &err)) {
            fow_jw_free(&w);
            return cli_fail(ctx, &err);
        }
        return cli_print_written(&w);
    }
    fow_lab lab;
    if (fow_lab_get(db, code, &lab, &err))
        return cli_fail(ctx, &err);
    printf("%s — %s / %s\n", lab.code, lab.name_en, lab.name_ro);
    if (lab.address[0])
        printf("Address: %s\n", lab.address);
    if (lab.description_en[0])
        printf("%s\n", lab.description_en);
    printf("Cancellation: free until %d hours before the start, then %d%% of the price; waiting-list offers stay "
           "open %d hours.\n",
           lab.cancel_deadline_hours, lab.late_cancel_fee_percent, lab.offer_hours);
    int rc = print_hours(ctx, db, &lab);
    if (rc)
        return rc;
    fow_lab_resource *res = NULL;
    size_t n = 0;
    fow_lab_closure *closures = NULL;
    size_t n_closures = 0;
    if (fow_lab_resources(db, code, &res, &n, &err) ||
        fow_lab_closures(db, lab.id, 0, now, now + 366LL * 86400, &closures, &n_closures, &err)) {
        free(res);
        return cli_fail(ctx, &err);
    }
    printf("Resources:\n");
    for (size_t i = 0; i < n; i++)
        printf("  %-22s %-7s capacity %-3d slots of %d min, at most %d  %s\n", res[i].code,
               fow_lab_resource_kind_name(res[i].kind), res[i].capacity, res[i].slot_minutes, res[i].max_slots,
               res[i].name_en);
    printf("Closures and maintenance to come:%s\n", n_closures ? "" : " none");
    for (size_t i = 0; i < n_closures; i++) {
        char a[FOW_LAB_ISO_SIZE], b[FOW_LAB_ISO_SIZE];
        printf("  #%lld %-11s %s .. %s  %s%s%s\n", (long long)closures[i].id,
               fow_lab_closure_kind_name(closures[i].kind), fow_lab_format_utc(closures[i].starts_at, a, sizeof a),
               fow_lab_format_utc(closures[i].ends_at, b, sizeof b),
               closures[i].resource_id ? closures[i].resource_code : "whole lab", closures[i].reason[0] ? ": " : "",
               closures[i].reason);
    }
    free(res);
    free(closures);
    return 0;
}

static int lab_import(cli_context *ctx, fow_db *db, const char *path)
{
    fow_error err;
    fow_error_clear(&err);
    size_t labs = 0, resources = 0;
    if (fow_labs_import(db, path, (long long)time(NULL), &labs, &resources, &err))
        return cli_fail(ctx, &err);
    if (ctx->json) {
        json_t *doc = json_pack("{s:I, s:I}", "labs", (json_int_t)labs, "resources", (json_int_t)resources);
        return cli_print_json(doc);
    }
    printf("Loaded %zu labs with %zu resources from %s.\n", labs, resources, path);
    return 0;
}

/* ---- add, edit ----------------------------------------------------------------- */

static int lab_write(cli_context *ctx, fow_db *db, const lab_args *a, bool add)
{
    fow_lab_input in = {.code = a->pos[0],
                        .name_en = a->name_en,
                        .name_ro = a->name_ro,
                        .description_en = a->description_en,
                        .description_ro = a->description_ro,
                        .address = a->address,
                        .provider_id = -1};
    int rc = parse_int_option(ctx, "--cancel-deadline-hours", a->cancel_deadline_hours, 0, 720,
                              &in.cancel_deadline_hours);
    if (!rc)
        rc = parse_int_option(ctx, "--late-cancel-fee-percent", a->late_cancel_fee_percent, 0, 100,
                              &in.late_cancel_fee_percent);
    if (!rc)
        rc = parse_int_option(ctx, "--offer-hours", a->offer_hours, 1, 168, &in.offer_hours);
    if (rc)
        return rc;
    fow_error err;
    fow_error_clear(&err);
    long long now = (long long)time(NULL);
    fow_code code = add ? fow_lab_add(db, &in, now, NULL, &err) : fow_lab_update(db, a->pos[0], &in, now, &err);
    if (code)
        return cli_fail(ctx, &err);
    if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        if (fow_lab_result_show(&w, db, a->pos[0], now, &err)) {
            fow_jw_free(&w);
            return cli_fail(ctx, &err);
        }
        return cli_print_written(&w);
    }
    printf("Lab %s %s.\n", a->pos[0], add ? "added" : "changed");
    return 0;
}

/* ---- resources ------------------------------------------------------------------ */

static int resource_write(cli_context *ctx, fow_db *db, const lab_args *a, bool add)
{
    const char *code = add ? a->pos[2] : a->pos[1];
    fow_lab_resource_input in = {.code = code,
                                 .kind = a->kind,
                                 .name_en = a->name_en,
                                 .name_ro = a->name_ro,
                                 .description_en = a->description_en,
                                 .description_ro = a->description_ro,
                                 .safety_en = a->safety_en,
                                 .safety_ro = a->safety_ro,
                                 .photo = a->photo,
                                 .active = -1};
    int rc = parse_int_option(ctx, "--capacity", a->capacity, 1, 500, &in.capacity);
    if (!rc)
        rc = parse_int_option(ctx, "--slot-minutes", a->slot_minutes, 1, 1440, &in.slot_minutes);
    if (!rc)
        rc = parse_int_option(ctx, "--max-slots", a->max_slots, 1, 96, &in.max_slots);
    if (rc)
        return rc;
    if (a->active) {
        if (strcmp(a->active, "yes") == 0)
            in.active = 1;
        else if (strcmp(a->active, "no") == 0)
            in.active = 0;
        else
            return cli_usage_error(ctx, "--active must be yes or no, not '%s'", a->active);
    }
    fow_error err;
    fow_error_clear(&err);
    long long now = (long long)time(NULL);
    fow_code c = add ? fow_lab_resource_add(db, a->pos[1], &in, now, NULL, &err)
                     : fow_lab_resource_update(db, code, &in, now, &err);
    if (c)
        return cli_fail(ctx, &err);
    if (ctx->json)
        return print_document(ctx, fow_lab_resource_result, db, code);
    printf("Resource %s %s.\n", code, add ? "added" : "changed");
    return 0;
}

static void print_requirements_of(const fow_lab_requirement *reqs, size_t n)
{
    if (n == 0)
        printf("  nothing: anyone may book it\n");
    for (size_t i = 0; i < n; i++)
        printf("  %s:%s%s%s\n", fow_lab_requirement_kind_name(reqs[i].kind), reqs[i].ref,
               reqs[i].title_en[0] ? "  " : "", reqs[i].title_en);
}

static int resource_show(cli_context *ctx, fow_db *db, const char *code)
{
    if (ctx->json)
        return print_document(ctx, fow_lab_resource_result, db, code);
    fow_error err;
    fow_error_clear(&err);
    fow_lab_resource r;
    fow_lab_requirement *reqs = NULL;
    size_t n_reqs = 0;
    fow_lab_price *prices = NULL;
    size_t n_prices = 0;
    if (fow_lab_resource_get(db, code, &r, &err) || fow_lab_requirements(db, r.id, &reqs, &n_reqs, &err) ||
        fow_lab_prices(db, r.id, &prices, &n_prices, &err)) {
        free(reqs);
        return cli_fail(ctx, &err);
    }
    printf("%s — %s / %s (%s of lab %s%s)\n", r.code, r.name_en, r.name_ro, fow_lab_resource_kind_name(r.kind),
           r.lab_code, r.active ? "" : ", inactive");
    if (r.description_en[0])
        printf("%s\n", r.description_en);
    printf("Capacity %d; bookings of %d-minute slots, at most %d slots.\n", r.capacity, r.slot_minutes, r.max_slots);
    if (r.safety_en[0])
        printf("Safety: %s\n", r.safety_en);
    printf("Requires:\n");
    print_requirements_of(reqs, n_reqs);
    printf("Prices per hour:%s\n", n_prices ? "" : " none set");
    for (size_t i = 0; i < n_prices; i++) {
        char money[32];
        printf("  %-15s %s %s\n", fow_lab_category_name(prices[i].category),
               fow_money_format(prices[i].per_hour_minor, money, sizeof money), prices[i].currency);
    }
    free(reqs);
    free(prices);
    return 0;
}

/* ---- hours ----------------------------------------------------------------------- */

static int lab_hours(cli_context *ctx, fow_db *db, const lab_args *a)
{
    fow_error err;
    fow_error_clear(&err);
    fow_lab lab;
    if (fow_lab_get(db, a->pos[0], &lab, &err))
        return cli_fail(ctx, &err);
    size_t n = (size_t)(a->n_pos - 1);
    if (n == 0 && !a->closed)
        return print_hours(ctx, db, &lab);
    if (n > 0 && a->closed)
        return cli_usage_error(ctx, "give either DAY=HH:MM-HH:MM arguments or --closed, not both");
    fow_lab_hours hours[FOW_LAB_HOURS_MAX];
    if (n > FOW_LAB_HOURS_MAX)
        return cli_usage_error(ctx, "at most %d intervals", FOW_LAB_HOURS_MAX);
    for (size_t i = 0; i < n; i++) {
        const char *arg = a->pos[i + 1];
        const char *eq = strchr(arg, '=');
        char day[16];
        if (!eq || (size_t)(eq - arg) >= sizeof day)
            return cli_usage_error(ctx, "'%s' is not DAY=HH:MM-HH:MM (e.g. mon=09:00-18:00)", arg);
        memcpy(day, arg, (size_t)(eq - arg));
        day[eq - arg] = '\0';
        char field[32];
        snprintf(field, sizeof field, "hours[%zu]", i);
        if (fow_lab_hours_parse(day, eq + 1, field, &hours[i], &err))
            return cli_fail(ctx, &err);
    }
    if (fow_lab_hours_set(db, lab.code, hours, n, &err))
        return cli_fail(ctx, &err);
    if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        if (fow_lab_result_show(&w, db, lab.code, (long long)time(NULL), &err)) {
            fow_jw_free(&w);
            return cli_fail(ctx, &err);
        }
        return cli_print_written(&w);
    }
    return print_hours(ctx, db, &lab);
}

/* ---- closures ------------------------------------------------------------------- */

static int parse_local(cli_context *ctx, const char *flag, const char *field, const char *text, int64_t *utc)
{
    if (!text)
        return cli_usage_error(ctx, "%s YYYY-MM-DDTHH:MM is required", flag);
    fow_error err;
    fow_error_clear(&err);
    fow_lab_local local;
    if (fow_lab_parse_datetime(text, field, &local, &err) || fow_lab_local_to_utc(&local, field, utc, &err))
        return cli_fail(ctx, &err);
    return 0;
}

static int closure_command(cli_context *ctx, fow_db *db, const lab_args *a)
{
    fow_error err;
    fow_error_clear(&err);
    if (strcmp(a->pos[0], "delete") == 0) {
        if (a->n_pos != 2)
            return cli_usage_error(ctx, "usage: fow lab closure delete ID");
        long id = 0;
        int rc = cli_parse_size(ctx, "ID", a->pos[1], 1, 2147483647L, &id);
        if (rc)
            return rc;
        if (fow_lab_closure_delete(db, id, &err))
            return cli_fail(ctx, &err);
        if (ctx->json)
            return cli_print_json(json_pack("{s:I}", "deleted", (json_int_t)id));
        printf("Closure #%ld deleted.\n", id);
        return 0;
    }
    if (strcmp(a->pos[0], "add") != 0 || a->n_pos != 2)
        return cli_usage_error(ctx, "usage: fow lab closure add LAB --kind K --start T --end T | closure delete ID");
    if (!a->kind)
        return cli_usage_error(ctx, "--kind closure|maintenance is required");
    int64_t start = 0, end = 0;
    int rc = parse_local(ctx, "--start", "start", a->start, &start);
    if (!rc)
        rc = parse_local(ctx, "--end", "end", a->end, &end);
    if (rc)
        return rc;
    char actor[FOW_PERSON_ACTOR_MAX + 1];
    cli_actor_name(actor, sizeof actor);
    int64_t id = 0;
    if (fow_lab_closure_add(db, a->pos[1], a->kind, a->resource, start, end, a->reason, actor, (long long)time(NULL),
                            &id, &err))
        return cli_fail(ctx, &err);
    if (ctx->json)
        return cli_print_json(json_pack("{s:I}", "id", (json_int_t)id));
    printf("Closure #%lld added.\n", (long long)id);
    return 0;
}

/* ---- holidays ------------------------------------------------------------------- */

static int holidays_command(cli_context *ctx, fow_db *db, const lab_args *a)
{
    fow_error err;
    fow_error_clear(&err);
    if (a->n_pos >= 1) {
        if (strcmp(a->pos[0], "import") != 0 || a->n_pos != 2)
            return cli_usage_error(ctx, "usage: fow lab holidays import FILE | holidays [--from D] [--to D]");
        size_t count = 0;
        if (fow_lab_holidays_import(db, a->pos[1], &count, &err))
            return cli_fail(ctx, &err);
        if (ctx->json)
            return cli_print_json(json_pack("{s:I}", "holidays", (json_int_t)count));
        printf("Imported %zu public holidays from %s.\n", count, a->pos[1]);
        return 0;
    }
    fow_lab_local d;
    if ((a->from && fow_lab_parse_date(a->from, "from", &d, &err)) ||
        (a->to && fow_lab_parse_date(a->to, "to", &d, &err)))
        return cli_fail(ctx, &err);
    fow_lab_holiday *list = NULL;
    size_t n = 0;
    if (fow_lab_holidays(db, a->from ? a->from : "0000-00-00", a->to ? a->to : "9999-99-99", &list, &n, &err))
        return cli_fail(ctx, &err);
    if (ctx->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "day", list[i].day, "name_en",
                                                 list[i].name_en, "name_ro", list[i].name_ro, "source",
                                                 list[i].source));
        free(list);
        return cli_print_json(json_pack("{s:o, s:I}", "holidays", arr, "count", (json_int_t)n));
    }
    if (n == 0)
        printf("No public holidays: fow lab holidays import data/holidays-ro.csv\n");
    for (size_t i = 0; i < n; i++)
        printf("%s  %s (%s)  [%s]\n", list[i].day, list[i].name_en, list[i].name_ro, list[i].source);
    free(list);
    return 0;
}

/* ---- requirements and prices ------------------------------------------------------ */

static int require_command(cli_context *ctx, fow_db *db, const lab_args *a)
{
    fow_error err;
    fow_error_clear(&err);
    size_t n = (size_t)(a->n_pos - 1);
    if (n == 0 && !a->none)
        return resource_show(ctx, db, a->pos[0]);
    if (n > 0 && a->none)
        return cli_usage_error(ctx, "give either requirements or --none, not both");
    if (n > FOW_LAB_REQUIREMENTS_MAX)
        return cli_usage_error(ctx, "at most %d requirements", FOW_LAB_REQUIREMENTS_MAX);
    fow_lab_requirement reqs[FOW_LAB_REQUIREMENTS_MAX];
    memset(reqs, 0, sizeof reqs);
    for (size_t i = 0; i < n; i++) {
        const char *arg = a->pos[i + 1];
        if (strncmp(arg, "module:", 7) == 0) {
            reqs[i].kind = FOW_LAB_REQUIRES_MODULE;
            arg += 7;
        } else if (strncmp(arg, "skill:", 6) == 0) {
            reqs[i].kind = FOW_LAB_REQUIRES_SKILL;
            arg += 6;
        } else {
            return cli_usage_error(ctx, "'%s' is not module:CODE or skill:URI", arg);
        }
        if (strlen(arg) > FOW_LAB_REF_MAX)
            return cli_usage_error(ctx, "'%.40s...' is longer than %d bytes", arg, FOW_LAB_REF_MAX);
        snprintf(reqs[i].ref, sizeof reqs[i].ref, "%s", arg);
    }
    if (fow_lab_requirements_set(db, a->pos[0], reqs, n, &err))
        return cli_fail(ctx, &err);
    return resource_show(ctx, db, a->pos[0]);
}

static int price_command(cli_context *ctx, fow_db *db, const lab_args *a)
{
    fow_error err;
    fow_error_clear(&err);
    size_t n = (size_t)(a->n_pos - 1);
    if (n == 0)
        return resource_show(ctx, db, a->pos[0]);
    if (n > FOW_LAB_CATEGORY_COUNT)
        return cli_usage_error(ctx, "at most %d prices, one per category", FOW_LAB_CATEGORY_COUNT);
    fow_lab_price prices[FOW_LAB_CATEGORY_COUNT];
    memset(prices, 0, sizeof prices);
    const char *currency = a->currency ? a->currency : "RON";
    if (strlen(currency) != 3)
        return cli_usage_error(ctx, "--currency must be a three-letter code such as RON, not '%s'", currency);
    for (size_t i = 0; i < n; i++) {
        const char *arg = a->pos[i + 1];
        const char *eq = strchr(arg, '=');
        char category[32];
        if (!eq || (size_t)(eq - arg) >= sizeof category)
            return cli_usage_error(ctx, "'%s' is not CATEGORY=AMOUNT (e.g. enterprise=120)", arg);
        memcpy(category, arg, (size_t)(eq - arg));
        category[eq - arg] = '\0';
        if (fow_lab_category_parse(category, &prices[i].category))
            return cli_usage_error(ctx, "'%s' is not a category: school, university, enterprise, resident or "
                                        "culturepreneur", category);
        if (fow_money_parse(eq + 1, category, &prices[i].per_hour_minor, &err))
            return cli_fail(ctx, &err);
        snprintf(prices[i].currency, sizeof prices[i].currency, "%s", currency);
    }
    if (fow_lab_prices_set(db, a->pos[0], prices, n, &err))
        return cli_fail(ctx, &err);
    return resource_show(ctx, db, a->pos[0]);
}

/* ---- access and inductions --------------------------------------------------------- */

static void print_access(const fow_lab_access_result *r)
{
    if (r->allowed) {
        printf("  %-22s allowed%s\n", r->resource, r->n_required ? "" : " (nothing required)");
        return;
    }
    printf("  %-22s missing:", r->resource);
    for (size_t i = 0; i < r->n_missing; i++)
        printf("%s %s:%s%s%s%s", i ? "," : "", fow_lab_requirement_kind_name(r->missing[i].kind), r->missing[i].ref,
               r->missing[i].title_en[0] ? " (" : "", r->missing[i].title_en, r->missing[i].title_en[0] ? ")" : "");
    printf("\n");
}

static int access_command(cli_context *ctx, fow_db *db, const lab_args *a)
{
    fow_error err;
    fow_error_clear(&err);
    long long now = (long long)time(NULL);
    const char *person = a->pos[0];
    if (a->n_pos == 2) {
        fow_lab_access_result r;
        if (fow_lab_access(db, a->pos[1], person, now, &r, &err))
            return cli_fail(ctx, &err);
        if (ctx->json) {
            fow_jw w;
            cli_writer_init(&w);
            fow_lab_access_write(&w, &r);
            return cli_print_written(&w);
        }
        print_access(&r);
        return 0;
    }
    fow_lab_access_result *list = NULL;
    size_t n = 0;
    if (fow_lab_access_all(db, person, now, &list, &n, &err))
        return cli_fail(ctx, &err);
    int rc = 0;
    if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_lab_access_result_all(&w, person, list, n);
        rc = cli_print_written(&w);
    } else {
        printf("What %s may use (valid, unrevoked credentials):\n", person);
        for (size_t i = 0; i < n; i++)
            print_access(&list[i]);
    }
    free(list);
    return rc;
}

static int induction_command(cli_context *ctx, const lab_args *a)
{
    char actor[FOW_PERSON_ACTOR_MAX + 1];
    fow_people_staff staff;
    fow_db *db = NULL;
    fow_people *people = NULL;
    int rc = cli_open_people(ctx, actor, &staff, &db, &people);
    if (rc)
        return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_world *world = NULL;
    if (fow_world_open(ctx->db_path, &(fow_world_options){.quick = true}, &world, &err)) {
        world = NULL; /* no taxonomy: the completion is recorded, no skill added to the profile */
        fow_error_clear(&err);
    }
    fow_lab_induction ind;
    if (fow_lab_induction_record(db, ctx->db_path, people, world ? fow_world_model(world) : NULL, actor, a->pos[0],
                                 a->module, a->pos[1], (long long)time(NULL), &ind, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_lab_induction_write(&w, &ind);
        rc = cli_print_written(&w);
    } else {
        printf("Induction of %s on %s recorded: module %s passed on %s (cohort %lld).\n", ind.completion.person,
               ind.resource, ind.module, ind.completion.completed_on, (long long)ind.cohort_id);
        if (ind.credential.issued)
            printf("Credential %s issued (verify at %s).\n", ind.credential.id, ind.credential.verify_url);
        else
            printf("No credential was issued: %s (fow credential issue can issue it later).\n",
                   ind.credential.message);
    }
    fow_world_release(world);
    fow_people_close(people);
    fow_db_close(db);
    return rc;
}

/* ---- the dispatcher ----------------------------------------------------------------- */

/* The subcommands written in other files (h-book: availability, book,
 * cancel, bookings, checkin, checkout, waitlist, series; h-labfeeds:
 * usage, projects, feed): each gets ctx and the words after its name, and
 * parses them itself. Add a line {"name", cli_lab_xxx} here. */
static const struct {
    const char *name;
    int (*run)(cli_context *ctx, int argc, char **argv);
} lab_subcommands[] = {
    {"availability", cli_lab_availability},
    {"book", cli_lab_bookit},
    {"cancel", cli_lab_cancel},
    {"bookings", cli_lab_bookings},
    {"checkin", cli_lab_checkin},
    {"checkout", cli_lab_checkout},
    {"waitlist", cli_lab_waitlist},
    {"series", cli_lab_series},
    {"usage", cli_lab_usage},       /* cli_lab_usage.c */
    {"projects", cli_lab_projects}, /* cli_lab_usage.c */
    {"feed", cli_lab_feed},         /* cli_lab_usage.c */
    {NULL, NULL}, /* the end; the lines of other files go above */
};

int cli_lab(cli_context *ctx, int argc, char **argv)
{
    static const struct {
        const char *name, *command;
        int min_pos, max_pos;
        bool reads_only;
    } subs[] = {
        {"list", "lab list", 0, 0, true},
        {"show", "lab show", 1, 1, true},
        {"import", "lab import", 1, 1, false},
        {"add", "lab add", 1, 1, false},
        {"edit", "lab edit", 1, 1, false},
        {"resource", "lab resource", 2, 3, false},
        {"hours", "lab hours", 1, 1 + FOW_LAB_HOURS_MAX, false},
        {"closure", "lab closure", 2, 2, false},
        {"holidays", "lab holidays", 0, 2, false},
        {"require", "lab require", 1, 1 + FOW_LAB_REQUIREMENTS_MAX, false},
        {"price", "lab price", 1, 1 + FOW_LAB_CATEGORY_COUNT, false},
        {"access", "lab access", 1, 2, true},
        {"induction", "lab induction", 2, 2, false},
    };
    ctx->command = "lab";
    if (argc == 0 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        fputs(lab_help, argc == 0 ? stderr : stdout);
        fputs(cli_lab_book_help, argc == 0 ? stderr : stdout);
        return argc == 0 ? CLI_EXIT_USER : 0;
    }
    for (size_t i = 0; lab_subcommands[i].name; i++)
        if (strcmp(argv[0], lab_subcommands[i].name) == 0)
            return lab_subcommands[i].run(ctx, argc - 1, argv + 1);
    int sub = -1;
    for (int s = 0; s < (int)(sizeof subs / sizeof subs[0]); s++)
        if (strcmp(argv[0], subs[s].name) == 0)
            sub = s;
    if (sub < 0)
        return cli_usage_error(ctx,
                               "unknown subcommand '%s': use list, show, import, add, edit, resource, hours, closure, "
                               "holidays, require, price, access or induction (fow lab --help)",
                               argv[0]);
    ctx->command = subs[sub].command;
    ctx->field_flags = lab_field_flags;
    lab_args a;
    memset(&a, 0, sizeof a);
    const cli_option options[] = {{"--name-en", &a.name_en, NULL},
                                  {"--name-ro", &a.name_ro, NULL},
                                  {"--description-en", &a.description_en, NULL},
                                  {"--description-ro", &a.description_ro, NULL},
                                  {"--address", &a.address, NULL},
                                  {"--cancel-deadline-hours", &a.cancel_deadline_hours, NULL},
                                  {"--late-cancel-fee-percent", &a.late_cancel_fee_percent, NULL},
                                  {"--offer-hours", &a.offer_hours, NULL},
                                  {"--kind", &a.kind, NULL},
                                  {"--capacity", &a.capacity, NULL},
                                  {"--slot-minutes", &a.slot_minutes, NULL},
                                  {"--max-slots", &a.max_slots, NULL},
                                  {"--safety-en", &a.safety_en, NULL},
                                  {"--safety-ro", &a.safety_ro, NULL},
                                  {"--photo", &a.photo, NULL},
                                  {"--active", &a.active, NULL},
                                  {"--start", &a.start, NULL},
                                  {"--end", &a.end, NULL},
                                  {"--resource", &a.resource, NULL},
                                  {"--reason", &a.reason, NULL},
                                  {"--from", &a.from, NULL},
                                  {"--to", &a.to, NULL},
                                  {"--currency", &a.currency, NULL},
                                  {"--module", &a.module, NULL},
                                  {"--closed", NULL, &a.closed},
                                  {"--none", NULL, &a.none},
                                  {NULL, NULL, NULL}};
    int rc = cli_parse(ctx, argc - 1, argv + 1, options, a.pos, subs[sub].max_pos, &a.n_pos);
    if (rc)
        return rc;
    if (ctx->help) {
        fputs(lab_help, stdout);
        return 0;
    }
    if (a.n_pos < subs[sub].min_pos)
        return cli_usage_error(ctx, "missing arguments: see fow lab --help");
    if (sub == 12)
        return induction_command(ctx, &a);
    fow_db *db = NULL;
    rc = cli_open_db(ctx, subs[sub].reads_only, &db);
    if (rc)
        return rc;
    switch (sub) {
    case 0: rc = lab_list(ctx, db); break;
    case 1: rc = lab_show(ctx, db, a.pos[0]); break;
    case 2: rc = lab_import(ctx, db, a.pos[0]); break;
    case 3: rc = lab_write(ctx, db, &a, true); break;
    case 4: rc = lab_write(ctx, db, &a, false); break;
    case 5:
        if (strcmp(a.pos[0], "add") == 0 && a.n_pos == 3)
            rc = resource_write(ctx, db, &a, true);
        else if (strcmp(a.pos[0], "edit") == 0 && a.n_pos == 2)
            rc = resource_write(ctx, db, &a, false);
        else if (strcmp(a.pos[0], "show") == 0 && a.n_pos == 2)
            rc = resource_show(ctx, db, a.pos[1]);
        else
            rc = cli_usage_error(ctx, "usage: fow lab resource add LAB CODE ... | edit RESOURCE ... | show RESOURCE");
        break;
    case 6: rc = lab_hours(ctx, db, &a); break;
    case 7: rc = closure_command(ctx, db, &a); break;
    case 8: rc = holidays_command(ctx, db, &a); break;
    case 9: rc = require_command(ctx, db, &a); break;
    case 10: rc = price_command(ctx, db, &a); break;
    case 11: rc = access_command(ctx, db, &a); break;
    default: rc = CLI_EXIT_INTERNAL; break;
    }
    fow_db_close(db);
    return rc;
}
