/* cli_lab_book.c — `fow lab availability|book|cancel|bookings|checkin|checkout|waitlist|series`:
 * availability and bookings of the CREIC labs (src/labs/fow_bookings.h;
 * docs/labs-bookings.md). Called by `fow lab`'s dispatcher (cli_lab.c) with
 * the words from the subcommand on. The command line acts as an
 * administrator under its actor name (cli_actor_name); a booking names the
 * person who uses the resource (--person). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/fow_accounts.h"
#include "cli/cli.h"
#include "labs/fow_bookings.h"
#include "vouchers/fow_vouchers.h"

const char cli_lab_book_help[] =
    "\nBookings (docs/labs-bookings.md):\n"
    "       fow lab availability RESOURCE --from DATE --to DATE   (free slots; at most 400 days)\n"
    "       fow lab availability --lab LAB --from DATE --to DATE  (every resource; at most 62 days)\n"
    "       fow lab book RESOURCE START --minutes N --category C --person PERSON\n"
    "                    [--payment free|voucher|invoice] [--voucher CODE] [--invoice REF]\n"
    "                    [--group NAME --group-size N] [--enterprise CUI] [--note TEXT] [--key KEY]\n"
    "       fow lab cancel BOOKING [--reason TEXT]\n"
    "       fow lab bookings LAB --date DATE       (the day's bookings)\n"
    "       fow lab checkin BOOKING [--no-show]\n"
    "       fow lab checkout BOOKING\n"
    "       fow lab waitlist add RESOURCE START --minutes N --category C [--person PERSON]\n"
    "       fow lab waitlist list | accept ENTRY [--payment ...] | withdraw ENTRY\n"
    "       fow lab series RESOURCE --weekday N --time HH:MM --minutes N --from DATE --to DATE\n"
    "                      --group NAME --group-size N [--category C] [--confirm [--skip-conflicts]]\n"
    "       fow lab series list                     (the series, with their upcoming bookings)\n"
    "       fow lab series cancel SERIES [--reason TEXT]\n"
    "                      (its upcoming bookings cancelled under the lab's policy; the past kept)\n"
    "START is a local time of the labs (Europe/Bucharest), YYYY-MM-DDTHH:MM; DATE is YYYY-MM-DD.\n";

typedef struct book_args {
    const char *from, *to, *lab, *minutes, *category, *person, *payment, *voucher, *invoice, *group, *group_size,
        *enterprise, *note, *key, *reason, *date, *weekday, *time;
    bool no_show, confirm, skip_conflicts;
    const char *pos[3];
    int n_pos;
} book_args;

static const cli_field_flag book_field_flags[] = {{"voucher_code", "--voucher"},   {"invoice_ref", "--invoice"},
                                                  {"group_name", "--group"},       {"enterprise_code", "--enterprise"},
                                                  {"start_time", "--time"},        {"first_day", "--from"},
                                                  {"last_day", "--to"},            {"start", "START"},
                                                  {"voucher_balance", "--voucher"}, {NULL, NULL}};

static int parse_int(cli_context *ctx, const char *name, const char *text, long min, long max, int *out) {
    long v = 0;
    *out = 0;
    if (!text) return 0;
    int rc = cli_parse_size(ctx, name, text, min, max, &v);
    if (!rc) *out = (int)v;
    return rc;
}

static int parse_id(cli_context *ctx, const char *what, const char *text, int64_t *id) {
    char *end = NULL;
    long long v = text ? strtoll(text, &end, 10) : 0;
    if (!text || !*text || *end || v <= 0) return cli_usage_error(ctx, "%s is a number, not '%s'", what, text ? text : "");
    *id = v;
    return 0;
}

static fow_lab_actor cli_actor(char *name, size_t n) {
    cli_actor_name(name, n);
    return (fow_lab_actor){.account = name, .role = FOW_ROLE_ADMIN, .person_id = ""};
}

/* A refusal: the message, and its code for scripts. */
static int refused(cli_context *ctx, const fow_error *err, const fow_lab_refusal *why) {
    if (ctx->json && why && why->code[0]) {
        fow_jw w;
        cli_writer_init(&w);
        fow_jw_object(&w);
        fow_jw_key(&w, "refusal");
        fow_lab_refusal_write(&w, why, err->message, NULL);
        fow_jw_object_end(&w);
        cli_print_written(&w);
    }
    int rc = cli_fail(ctx, err);
    if (why && why->code[0]) fprintf(stderr, "fow %s: refused: %s\n", ctx->command, why->code);
    return rc;
}

static void print_booking(const fow_lab_booking *b) {
    char price[32], fee[32];
    printf("booking %lld  %s  %s .. %s  %s\n", (long long)b->id, b->resource, b->start_local, b->end_local + 11,
           b->status);
    printf("  for %s%s%s, %s, %s %s by %s%s%s\n", b->group_name[0] ? b->group_name : b->person_id,
           b->enterprise_code[0] ? " / " : "", b->enterprise_code, b->category,
           fow_money_format(b->price_minor, price, sizeof price), b->currency, b->payment,
           b->voucher_code[0] ? " " : "", b->voucher_code);
    if (b->fee_minor) printf("  cancellation fee %s %s\n", fow_money_format(b->fee_minor, fee, sizeof fee), b->currency);
    printf("  uid %s, sequence %d\n", b->uid, b->sequence);
}

static int booking_out(cli_context *ctx, const fow_lab_booking *b) {
    if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_jw_object(&w);
        fow_jw_key(&w, "booking");
        fow_lab_booking_write(&w, b);
        fow_jw_object_end(&w);
        return cli_print_written(&w);
    }
    print_booking(b);
    return 0;
}

static int availability(cli_context *ctx, book_args *a) {
    if (!a->from || !a->to) return cli_usage_error(ctx, "--from and --to (YYYY-MM-DD) are required");
    if (!a->lab && a->n_pos < 1) return cli_usage_error(ctx, "RESOURCE (a code) or --lab LAB is missing");
    fow_db *db = NULL;
    int rc = cli_open_db(ctx, false, &db); /* an offer past its time is passed on as the slot is read */
    if (rc) return rc;
    fow_jw w;
    cli_writer_init(&w);
    fow_error err;
    fow_error_clear(&err);
    int64_t now = (int64_t)time(NULL);
    fow_code code = a->lab ? fow_lab_availability_lab_write(db, a->lab, a->from, a->to, now, NULL, &w, &err)
                           : fow_lab_availability_write(db, a->pos[0], a->from, a->to, now, NULL, &w, &err);
    fow_db_close(db);
    if (code) {
        fow_jw_free(&w);
        return cli_fail(ctx, &err);
    }
    if (ctx->json) return cli_print_written(&w);
    /* the text form is read back from the same document */
    json_t *doc = json_loads(fow_jw_text(&w, NULL), 0, NULL);
    fow_jw_free(&w);
    if (!doc) return CLI_EXIT_INTERNAL;
    json_t *resources = json_object_get(doc, "resources"), *one = NULL;
    if (!resources) {
        one = json_array();
        json_array_append(one, doc);
        resources = one;
    }
    static const char *const weekdays[] = {"", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    size_t i, k;
    json_t *r, *day;
    json_array_foreach(resources, i, r) {
        printf("%s (slots of %lld minutes, Europe/Bucharest)\n", json_string_value(json_object_get(r, "resource")),
               json_integer_value(json_object_get(r, "slot_minutes")));
        json_array_foreach(json_object_get(r, "days"), k, day) {
            json_t *closed = json_object_get(day, "closed");
            long long wd = json_integer_value(json_object_get(day, "weekday"));
            printf("  %s %s  ", json_string_value(json_object_get(day, "date")), wd >= 1 && wd <= 7 ? weekdays[wd] : "");
            if (!json_is_null(closed)) {
                const char *name = json_string_value(json_object_get(closed, "name"));
                printf("closed (%s%s%s)\n", json_string_value(json_object_get(closed, "reason")),
                       name && *name ? ": " : "", name ? name : "");
                continue;
            }
            json_t *free_ranges = json_object_get(day, "free");
            if (!json_array_size(free_ranges)) printf("fully booked");
            size_t j;
            json_t *f;
            json_array_foreach(free_ranges, j, f) printf("%s%s-%s", j ? ", " : "free ", json_string_value(json_array_get(f, 0)),
                                                         json_string_value(json_array_get(f, 1)));
            printf("\n");
        }
    }
    json_decref(one ? one : doc);
    return 0;
}

static int book(cli_context *ctx, book_args *a) {
    if (a->n_pos < 2) return cli_usage_error(ctx, "RESOURCE and START (YYYY-MM-DDTHH:MM) are required");
    int minutes = 0, group_size = 0;
    int rc = parse_int(ctx, "--minutes", a->minutes, 1, 1440, &minutes);
    if (!rc) rc = parse_int(ctx, "--group-size", a->group_size, 1, 500, &group_size);
    if (rc) return rc;
    if (!a->minutes) return cli_usage_error(ctx, "--minutes is required");
    if (!a->category) return cli_usage_error(ctx, "--category is required (school, university, enterprise, resident, "
                                                  "culturepreneur)");
    char name[80];
    fow_lab_actor who = cli_actor(name, sizeof name);
    fow_lab_booking_in in = {.resource = a->pos[0], .start = a->pos[1], .minutes = minutes, .category = a->category,
                             .payment = a->payment ? a->payment : (a->voucher ? "voucher" : a->invoice ? "invoice" : NULL),
                             .voucher_code = a->voucher, .invoice_ref = a->invoice, .person = a->person,
                             .enterprise_code = a->enterprise, .group_name = a->group, .group_size = group_size,
                             .note = a->note, .key = a->key};
    fow_db *db = NULL;
    if ((rc = cli_open_db(ctx, false, &db))) return rc;
    fow_lab_booking b;
    fow_lab_refusal why;
    fow_error err;
    fow_error_clear(&err);
    bool replayed = false;
    if (fow_lab_book(db, NULL, &who, &in, (int64_t)time(NULL), &b, &replayed, &why, &err)) rc = refused(ctx, &err, &why);
    else rc = booking_out(ctx, &b);
    fow_db_close(db);
    return rc;
}

static int cancel(cli_context *ctx, book_args *a) {
    int64_t id = 0;
    int rc = parse_id(ctx, "BOOKING", a->n_pos ? a->pos[0] : NULL, &id);
    if (rc) return rc;
    char name[80];
    fow_lab_actor who = cli_actor(name, sizeof name);
    fow_db *db = NULL;
    if ((rc = cli_open_db(ctx, false, &db))) return rc;
    fow_lab_booking b;
    fow_error err;
    fow_error_clear(&err);
    if (fow_lab_booking_cancel(db, &who, id, a->reason, (int64_t)time(NULL), &b, &err)) rc = cli_fail(ctx, &err);
    else rc = booking_out(ctx, &b);
    fow_db_close(db);
    return rc;
}

static int attend(cli_context *ctx, book_args *a, fow_lab_attendance what) {
    int64_t id = 0;
    int rc = parse_id(ctx, "BOOKING", a->n_pos ? a->pos[0] : NULL, &id);
    if (rc) return rc;
    char name[80];
    fow_lab_actor who = cli_actor(name, sizeof name);
    fow_db *db = NULL;
    if ((rc = cli_open_db(ctx, false, &db))) return rc;
    fow_lab_booking b;
    fow_error err;
    fow_error_clear(&err);
    if (fow_lab_booking_attend(db, &who, id, what, (int64_t)time(NULL), &b, &err)) rc = cli_fail(ctx, &err);
    else rc = booking_out(ctx, &b);
    fow_db_close(db);
    return rc;
}

static int day_bookings(cli_context *ctx, book_args *a) {
    if (a->n_pos < 1) return cli_usage_error(ctx, "LAB (a code) is missing");
    if (!a->date) return cli_usage_error(ctx, "--date (YYYY-MM-DD) is required");
    fow_db *db = NULL;
    int rc = cli_open_db(ctx, true, &db);
    if (rc) return rc;
    fow_lab_booking *list = NULL;
    size_t n = 0;
    fow_error err;
    fow_error_clear(&err);
    if (fow_lab_bookings_day(db, a->pos[0], a->date, &list, &n, &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_jw_object(&w);
        fow_jw_kstring(&w, "lab", a->pos[0]);
        fow_jw_kstring(&w, "date", a->date);
        fow_jw_key(&w, "bookings");
        fow_jw_array(&w);
        for (size_t i = 0; i < n; i++) fow_lab_booking_write_staff(&w, &list[i]);
        fow_jw_array_end(&w);
        fow_jw_kint(&w, "count", (long long)n);
        fow_jw_object_end(&w);
        rc = cli_print_written(&w);
    } else if (n == 0) {
        printf("No bookings in %s on %s.\n", a->pos[0], a->date);
    } else {
        printf("%-6s %-5s %-5s %-20s %-11s %s\n", "id", "from", "to", "resource", "status", "who");
        for (size_t i = 0; i < n; i++)
            printf("%-6lld %-5.5s %-5.5s %-20s %-11s %s\n", (long long)list[i].id, list[i].start_local + 11,
                   list[i].end_local + 11, list[i].resource, list[i].status,
                   list[i].group_name[0] ? list[i].group_name : list[i].person_id);
    }
    free(list);
    fow_db_close(db);
    return rc;
}

static int waitlist(cli_context *ctx, book_args *a) {
    if (a->n_pos < 1) return cli_usage_error(ctx, "add, list, accept or withdraw is missing");
    char name[80];
    fow_lab_actor who = cli_actor(name, sizeof name);
    if (a->person) who.person_id = a->person;
    fow_db *db = NULL;
    int rc = cli_open_db(ctx, false, &db);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_lab_refusal why;
    int64_t now = (int64_t)time(NULL);
    const char *sub = a->pos[0];
    if (strcmp(sub, "add") == 0) {
        int minutes = 0;
        if (a->n_pos < 3) rc = cli_usage_error(ctx, "RESOURCE and START are required");
        else if (!(rc = parse_int(ctx, "--minutes", a->minutes, 1, 1440, &minutes))) {
            fow_lab_wait e;
            if (fow_lab_wait_add(db, &who, a->pos[1], a->pos[2], minutes, a->category, now, &e, &why, &err))
                rc = refused(ctx, &err, &why);
            else if (ctx->json) {
                fow_jw w;
                cli_writer_init(&w);
                fow_lab_wait_write(&w, &e);
                rc = cli_print_written(&w);
            } else {
                printf("waiting-list entry %lld: %s %s, position %ld\n", (long long)e.id, e.resource, e.start_local,
                       e.position);
            }
        }
    } else if (strcmp(sub, "list") == 0) {
        fow_lab_wait *list = NULL;
        size_t n = 0;
        if (fow_lab_waits_mine(db, &who, now, &list, &n, &err)) rc = cli_fail(ctx, &err);
        else if (ctx->json) {
            fow_jw w;
            cli_writer_init(&w);
            fow_jw_object(&w);
            fow_jw_key(&w, "entries");
            fow_jw_array(&w);
            for (size_t i = 0; i < n; i++) fow_lab_wait_write(&w, &list[i]);
            fow_jw_array_end(&w);
            fow_jw_object_end(&w);
            rc = cli_print_written(&w);
        } else {
            if (!n) printf("No waiting-list entries of %s.\n", name);
            for (size_t i = 0; i < n; i++)
                printf("%lld  %s %s  %s%s\n", (long long)list[i].id, list[i].resource, list[i].start_local,
                       list[i].status, strcmp(list[i].status, "offered") == 0 ? " (accept it before it ends)" : "");
        }
        free(list);
    } else if (strcmp(sub, "accept") == 0 || strcmp(sub, "withdraw") == 0) {
        int64_t id = 0;
        if (!(rc = parse_id(ctx, "ENTRY", a->n_pos > 1 ? a->pos[1] : NULL, &id))) {
            if (strcmp(sub, "withdraw") == 0) {
                if (fow_lab_wait_withdraw(db, &who, id, now, &err)) rc = cli_fail(ctx, &err);
                else if (!ctx->json) printf("withdrew waiting-list entry %lld\n", (long long)id);
            } else {
                fow_lab_booking_in pay = {.payment = a->payment, .voucher_code = a->voucher, .invoice_ref = a->invoice,
                                          .person = a->person, .note = a->note, .key = a->key};
                fow_lab_booking b;
                if (fow_lab_wait_accept(db, NULL, &who, id, &pay, now, &b, &why, &err)) rc = refused(ctx, &err, &why);
                else rc = booking_out(ctx, &b);
            }
        }
    } else {
        rc = cli_usage_error(ctx, "unknown waitlist action '%s': use add, list, accept or withdraw", sub);
    }
    fow_db_close(db);
    return rc;
}

static void print_series(const fow_lab_series *s) {
    static const char *const weekdays[] = {"", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    printf("series %lld  %s  %s %s for %d minutes, %s .. %s  %s\n", (long long)s->id, s->resource,
           s->weekday >= 1 && s->weekday <= 7 ? weekdays[s->weekday] : "?", s->start_time, s->minutes, s->first_day,
           s->last_day, s->status);
    printf("  %s%s%ld upcoming, %ld held, %ld cancelled\n", s->group_name, s->group_name[0] ? ": " : "", s->upcoming,
           s->held, s->cancelled);
}

/* `fow lab series list` and `fow lab series cancel SERIES`. */
static int series_manage(cli_context *ctx, book_args *a) {
    char name[80];
    fow_lab_actor who = cli_actor(name, sizeof name);
    fow_db *db = NULL;
    bool list_them = strcmp(a->pos[0], "list") == 0;
    int64_t id = 0;
    int rc = list_them ? 0 : parse_id(ctx, "SERIES", a->n_pos > 1 ? a->pos[1] : NULL, &id);
    if (rc || (rc = cli_open_db(ctx, list_them, &db))) return rc;
    fow_error err;
    fow_error_clear(&err);
    int64_t now = (int64_t)time(NULL);
    if (list_them) {
        fow_lab_series *list = NULL;
        size_t n = 0;
        if (fow_lab_series_list(db, &who, now, &list, &n, &err)) {
            rc = cli_fail(ctx, &err);
        } else if (ctx->json) {
            fow_jw w;
            cli_writer_init(&w);
            fow_jw_object(&w);
            fow_jw_key(&w, "series");
            fow_jw_array(&w);
            for (size_t i = 0; i < n; i++) fow_lab_series_item_write(&w, &list[i]);
            fow_jw_array_end(&w);
            fow_jw_kint(&w, "count", (long long)n);
            fow_jw_object_end(&w);
            rc = cli_print_written(&w);
        } else {
            if (!n) printf("No series.\n");
            for (size_t i = 0; i < n; i++) print_series(&list[i]);
        }
        free(list);
    } else {
        fow_lab_series s;
        fow_lab_booking *cancelled = NULL;
        size_t n = 0;
        if (fow_lab_series_cancel(db, &who, id, a->reason, now, &s, &cancelled, &n, &err)) {
            rc = cli_fail(ctx, &err);
        } else if (ctx->json) {
            fow_jw w;
            cli_writer_init(&w);
            fow_lab_series_cancel_write(&w, &s, cancelled, n);
            rc = cli_print_written(&w);
        } else {
            char money[32];
            int64_t fee = 0;
            for (size_t i = 0; i < n; i++) fee += cancelled[i].fee_minor;
            print_series(&s);
            if (fee)
                printf("cancelled %zu upcoming booking%s, late fees %s %s\n", n, n == 1 ? "" : "s",
                       fow_money_format(fee, money, sizeof money), cancelled[0].currency);
            else
                printf("cancelled %zu upcoming booking%s\n", n, n == 1 ? "" : "s");
        }
        free(cancelled);
    }
    fow_db_close(db);
    return rc;
}

static int series(cli_context *ctx, book_args *a) {
    if (a->n_pos < 1) return cli_usage_error(ctx, "RESOURCE (a space's code) is missing");
    if (strcmp(a->pos[0], "list") == 0 || strcmp(a->pos[0], "cancel") == 0) return series_manage(ctx, a);
    if (a->n_pos > 1) return cli_usage_error(ctx, "one RESOURCE, not '%s' too", a->pos[1]);
    int weekday = 0, minutes = 0, group_size = 0;
    int rc = parse_int(ctx, "--weekday", a->weekday, 1, 7, &weekday);
    if (!rc) rc = parse_int(ctx, "--minutes", a->minutes, 1, 1440, &minutes);
    if (!rc) rc = parse_int(ctx, "--group-size", a->group_size, 1, 500, &group_size);
    if (rc) return rc;
    char name[80];
    fow_lab_actor who = cli_actor(name, sizeof name);
    fow_lab_series_in in = {.resource = a->pos[0], .weekday = weekday, .start_time = a->time, .minutes = minutes,
                            .first_day = a->from, .last_day = a->to, .category = a->category, .group_name = a->group,
                            .group_size = group_size, .invoice_ref = a->invoice, .skip_conflicts = a->skip_conflicts};
    fow_db *db = NULL;
    if ((rc = cli_open_db(ctx, false, &db))) return rc;
    fow_lab_occurrence *o = NULL;
    size_t n = 0;
    int64_t series_id = 0;
    fow_lab_refusal why;
    memset(&why, 0, sizeof why);
    fow_error err;
    fow_error_clear(&err);
    int64_t now = (int64_t)time(NULL);
    fow_code code = a->confirm ? fow_lab_series_confirm(db, &who, &in, now, &series_id, &o, &n, &why, &err)
                               : fow_lab_series_preview(db, &who, &in, now, &o, &n, &err);
    if (code) {
        rc = refused(ctx, &err, &why);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_lab_series_write(&w, in.resource, series_id, o, n, NULL);
        rc = cli_print_written(&w);
    } else {
        size_t conflicts = 0;
        for (size_t i = 0; i < n; i++) {
            if (o[i].conflict.code[0]) conflicts++;
            printf("  %s  %s%s%s\n", o[i].date,
                   o[i].conflict.code[0] ? "conflict: " : (o[i].booking_id ? "booked" : "free"),
                   o[i].conflict.code[0] ? o[i].conflict.code : "", o[i].conflict.code[0] ? "" : "");
        }
        if (series_id) printf("series %lld: %zu booked, %zu skipped\n", (long long)series_id, n - conflicts, conflicts);
        else printf("%zu occurrences, %zu free, %zu in conflict (nothing booked: add --confirm)\n", n, n - conflicts,
                    conflicts);
    }
    free(o);
    fow_db_close(db);
    return rc;
}

static int run_sub(cli_context *ctx, int argc, char **argv) {
    static const struct {
        const char *name, *command;
        int max_pos;
    } subs[] = {
        {"availability", "lab availability", 1}, {"book", "lab book", 2},         {"cancel", "lab cancel", 1},
        {"bookings", "lab bookings", 1},         {"checkin", "lab checkin", 1},   {"checkout", "lab checkout", 1},
        {"waitlist", "lab waitlist", 3},         {"series", "lab series", 2},
    };
    int sub = -1;
    for (int s = 0; argc > 0 && s < (int)(sizeof subs / sizeof subs[0]); s++)
        if (strcmp(argv[0], subs[s].name) == 0) sub = s;
    if (sub < 0) return -1;
    ctx->command = subs[sub].command;
    ctx->field_flags = book_field_flags;
    book_args a;
    memset(&a, 0, sizeof a);
    const cli_option options[] = {{"--from", &a.from, NULL},
                                  {"--to", &a.to, NULL},
                                  {"--lab", &a.lab, NULL},
                                  {"--minutes", &a.minutes, NULL},
                                  {"--category", &a.category, NULL},
                                  {"--person", &a.person, NULL},
                                  {"--payment", &a.payment, NULL},
                                  {"--voucher", &a.voucher, NULL},
                                  {"--invoice", &a.invoice, NULL},
                                  {"--group", &a.group, NULL},
                                  {"--group-size", &a.group_size, NULL},
                                  {"--enterprise", &a.enterprise, NULL},
                                  {"--note", &a.note, NULL},
                                  {"--key", &a.key, NULL},
                                  {"--reason", &a.reason, NULL},
                                  {"--date", &a.date, NULL},
                                  {"--weekday", &a.weekday, NULL},
                                  {"--time", &a.time, NULL},
                                  {"--no-show", NULL, &a.no_show},
                                  {"--confirm", NULL, &a.confirm},
                                  {"--skip-conflicts", NULL, &a.skip_conflicts},
                                  {NULL, NULL, NULL}};
    int rc = cli_parse(ctx, argc - 1, argv + 1, options, a.pos, subs[sub].max_pos, &a.n_pos);
    if (rc) return rc;
    if (ctx->help) {
        printf("Usage: fow lab ...\n%s", cli_lab_book_help);
        return 0;
    }
    switch (sub) {
    case 0: return availability(ctx, &a);
    case 1: return book(ctx, &a);
    case 2: return cancel(ctx, &a);
    case 3: return day_bookings(ctx, &a);
    case 4: return attend(ctx, &a, a.no_show ? FOW_LAB_NO_SHOW : FOW_LAB_CHECK_IN);
    case 5: return attend(ctx, &a, FOW_LAB_CHECK_OUT);
    case 6: return waitlist(ctx, &a);
    default: return series(ctx, &a);
    }
}

int cli_lab_book(cli_context *ctx, int argc, char **argv) { return run_sub(ctx, argc, argv); }

/* The dispatcher of `fow lab` passes the words after the subcommand's name. */
static int with_name(const char *name, cli_context *ctx, int argc, char **argv) {
    char **words = malloc(((size_t)argc + 2) * sizeof *words);
    if (!words) return CLI_EXIT_INTERNAL;
    words[0] = (char *)name;
    for (int i = 0; i < argc; i++) words[i + 1] = argv[i];
    words[argc + 1] = NULL;
    int rc = run_sub(ctx, argc + 1, words);
    free(words);
    return rc;
}

int cli_lab_availability(cli_context *ctx, int argc, char **argv) { return with_name("availability", ctx, argc, argv); }
int cli_lab_bookit(cli_context *ctx, int argc, char **argv) { return with_name("book", ctx, argc, argv); }
int cli_lab_cancel(cli_context *ctx, int argc, char **argv) { return with_name("cancel", ctx, argc, argv); }
int cli_lab_bookings(cli_context *ctx, int argc, char **argv) { return with_name("bookings", ctx, argc, argv); }
int cli_lab_checkin(cli_context *ctx, int argc, char **argv) { return with_name("checkin", ctx, argc, argv); }
int cli_lab_checkout(cli_context *ctx, int argc, char **argv) { return with_name("checkout", ctx, argc, argv); }
int cli_lab_waitlist(cli_context *ctx, int argc, char **argv) { return with_name("waitlist", ctx, argc, argv); }
int cli_lab_series(cli_context *ctx, int argc, char **argv) { return with_name("series", ctx, argc, argv); }
