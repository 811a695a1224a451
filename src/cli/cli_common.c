#include <errno.h>
#include <math.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "service/fow_json.h"

int cli_usage_error(const cli_context *ctx, const char *fmt, ...) {
    fprintf(stderr, "fow %s: ", ctx->command);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'fow %s --help')\n", ctx->command);
    return CLI_EXIT_USER;
}

int cli_parse(cli_context *ctx, int argc, char **argv, const cli_option *options, const char **pos,
              int max_pos, int *n_pos) {
    *n_pos = 0;
    ctx->options = options;
    bool only_positionals = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (only_positionals || a[0] != '-' || strcmp(a, "-") == 0) {
            if (*n_pos >= max_pos)
                return cli_usage_error(ctx, "unexpected argument '%s' (argument %d)", a, i + 1);
            pos[(*n_pos)++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_positionals = true;
            continue;
        }
        char name[64];
        const char *inline_value = NULL;
        const char *eq = strchr(a, '=');
        if (eq && a[1] == '-') {
            snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
            inline_value = eq + 1;
        } else {
            snprintf(name, sizeof name, "%s", a);
        }
        if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
            ctx->help = true;
            continue;
        }
        if (strcmp(name, "--json") == 0) {
            ctx->json = true;
            continue;
        }
        if (strcmp(name, "--quiet") == 0 || strcmp(name, "-q") == 0) {
            ctx->quiet = true;
            continue;
        }
        const cli_option *found = NULL;
        static const char *db_value;
        static const cli_option db_option = {"--db", &db_value, NULL};
        if (strcmp(name, "--db") == 0) found = &db_option;
        for (const cli_option *o = options; !found && o && o->name; o++)
            if (strcmp(o->name, name) == 0) found = o;
        if (!found) return cli_usage_error(ctx, "unknown option '%s' (argument %d)", name, i + 1);
        if (found->flag) {
            if (inline_value) return cli_usage_error(ctx, "option '%s' takes no value", name);
            *found->flag = true;
            continue;
        }
        const char *value = inline_value;
        if (!value) {
            if (i + 1 >= argc) return cli_usage_error(ctx, "option '%s' needs a value", name);
            value = argv[++i];
        }
        *found->value = value;
        if (found == &db_option) {
            if (!*value) return cli_usage_error(ctx, "option '--db' needs a path");
            ctx->db_path = value;
        }
    }
    return 0;
}

const char *cli_flag_for_field(const cli_context *ctx, const char *field, char *buf, size_t n) {
    if (!field || !*field || n == 0) return NULL;
    for (const cli_field_flag *f = ctx->field_flags; f && f->field; f++)
        if (strcmp(f->field, field) == 0) return snprintf(buf, n, "%s", f->flag) >= 0 ? buf : NULL;
    int w = snprintf(buf, n, "--%s", field);
    if (w < 0 || (size_t)w >= n) return NULL;
    for (char *p = buf + 2; *p; p++)
        if (*p == '_') *p = '-';
    for (const cli_option *o = ctx->options; o && o->name; o++)
        if (strcmp(o->name, buf) == 0) return buf;
    return NULL;
}

int cli_fail(const cli_context *ctx, const fow_error *err) {
    char buf[2048], flag[64];
    fow_error_format(err, buf, sizeof buf);
    /* a field of a file's line is a column there, not an option */
    const char *f = err->line == 0 ? cli_flag_for_field(ctx, err->field, flag, sizeof flag) : NULL;
    fprintf(stderr, "fow %s: %s%s%s%s\n", ctx->command, buf, f ? " (" : "", f ? f : "", f ? ")" : "");
    return fow_code_is_user_error(err->code) ? CLI_EXIT_USER : CLI_EXIT_INTERNAL;
}

int cli_open_db(const cli_context *ctx, bool read_only, fow_db **db) {
    fow_error err;
    fow_error_clear(&err);
    if (fow_db_open(db, ctx->db_path, read_only, &err) != FOW_OK) return cli_fail(ctx, &err);
    return 0;
}

int cli_parse_size(const cli_context *ctx, const char *name, const char *text, long min, long max, long *out) {
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (!*text || *end || errno || v < min || v > max)
        return cli_usage_error(ctx, "%s must be a whole number from %ld to %ld, not '%s'", name, min, max, text);
    *out = v;
    return 0;
}

int cli_print_json(json_t *json) {
    int rc = json_dumpf(json, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(json);
    if (rc != 0 || fputc('\n', stdout) == EOF) return CLI_EXIT_INTERNAL;
    return 0;
}


void cli_print_cell(FILE *out, const char *text, int width) {
    int chars = 0;
    const unsigned char *p = (const unsigned char *)text;
    const unsigned char *cut = NULL;
    for (const unsigned char *q = p; *q; q++) {
        if ((*q & 0xC0) != 0x80) {
            if (chars == width - 1 && !cut) cut = q;
            chars++;
        }
    }
    if (chars <= width) {
        fputs(text, out);
        for (int i = chars; i < width; i++) fputc(' ', out);
    } else {
        fwrite(text, 1, (size_t)(cut - p), out);
        fputs("…", out);
    }
}

void cli_writer_init(fow_jw *w) { fow_jw_init(w, 2); }

int cli_print_written(fow_jw *w) {
    size_t len;
    const char *text = fow_jw_text(w, &len);
    int rc = !text || fwrite(text, 1, len, stdout) != len || fputc('\n', stdout) == EOF ? CLI_EXIT_INTERNAL : 0;
    fow_jw_free(w);
    return rc;
}

void cli_actor_name(char *buf, size_t n) {
    const char *login = getenv("USER");
    struct passwd *pw = (!login || !login[0]) ? getpwuid(geteuid()) : NULL;
    if (pw) login = pw->pw_name;
    snprintf(buf, n, "cli:%.60s", login && login[0] ? login : "unknown");
}

int cli_open_people(const cli_context *ctx, char actor[FOW_PERSON_ACTOR_MAX + 1], fow_people_staff *staff,
                    fow_db **db, fow_people **people) {
    *db = NULL;
    *people = NULL;
    cli_actor_name(actor, FOW_PERSON_ACTOR_MAX + 1);
    *staff = (fow_people_staff){.name = actor, .organisation = "", .all_organisations = true};
    int rc = cli_open_db(ctx, false, db);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    char key_path[4096];
    if (fow_people_key_path(ctx->db_path, key_path, sizeof key_path, &err) ||
        fow_people_open(*db, key_path, people, &err)) {
        fow_db_close(*db);
        *db = NULL;
        return cli_fail(ctx, &err);
    }
    return 0;
}
