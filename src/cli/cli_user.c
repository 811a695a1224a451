/* cli_user.c — `fow user add|list|passwd|remove|token|tokens|revoke-token`: the accounts of
 * `fow serve` (src/accounts/fow_accounts.h). */
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "accounts/fow_accounts.h"

static const char user_help[] =
    "Usage: fow user add NAME --role ROLE [--provider ID | --person ID] [--display-name TEXT]\n"
    "                    [--password-file F | --password-stdin]\n"
    "       fow user list [--json]\n"
    "       fow user passwd NAME [--password-file F | --password-stdin]\n"
    "       fow user remove NAME\n"
    "       fow user token NAME --name LABEL [--scope ROLE] [--days N] [--json]\n"
    "       fow user tokens NAME [--json]\n"
    "       fow user revoke-token NAME ID\n"
    "       fow user organisation NAME [ORGANISATION]\n"
    "\n"
    "The accounts of the web app and the HTTP API (fow serve).\n"
    "\n"
    "  add      adds a user. NAME: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter\n"
    "           or digit (unique, ignoring case). ROLE: admin (everything, including imports and\n"
    "           accounts), analyst or counsellor (read personal data), programme_manager (approves\n"
    "           modules; aggregates only), provider (writes the modules of the training provider\n"
    "           --provider ID: fow modules --json shows provider ids) or person (sees only the people\n"
    "           record --person ID). docs/roles.md lists who may do what.\n"
    "  list     the users: role, display name, last login.\n"
    "  passwd   sets a new password; ends the user's sessions and revokes their API tokens.\n"
    "  remove   removes a user with their sessions and API tokens.\n"
    "  token    makes an API token for scripts (\"Authorization: Bearer fow_...\"). It is printed\n"
    "           once, on standard output, and only its hash is kept: store it now. It acts with\n"
    "           the role --scope (default: the user's role; never wider) and expires after\n"
    "           --days days (default 90, at most 3650).\n"
    "  tokens   the user's API tokens: id, name, scope, expiry, last use, revoked (no secrets).\n"
    "  revoke-token  revokes the user's API token with id ID at once.\n"
    "  organisation  sets the organisation of the user (none when left out): a counsellor sees\n"
    "           only the people of their organisation (fow person --help, docs/people.md).\n"
    "\n"
    "Passwords: 8 to 1024 bytes, not the user name. --password-file F reads it from F (one line);\n"
    "--password-stdin reads one line from standard input. Without either, on a terminal, fow asks\n"
    "twice without echoing. Passwords are stored as argon2id hashes (libsodium), never in clear.\n"
    "Accounts are never locked: fow serve delays repeated failed sign-ins per name and address.\n"
    "\n"
    "Options:\n"
    "  --role ROLE           admin, analyst, counsellor, programme_manager, provider, person, juror,\n"
    "                        voucher_office, lab_manager, lab_staff or teacher (add; docs/roles.md)\n"
    "  --provider ID         the training provider a provider account works for (add)\n"
    "  --person ID           the people record a person account belongs to (add)\n"
    "  --organisation ORG    the organisation whose people a counsellor sees (add)\n"
    "  --display-name TEXT   the name shown in the web app (add)\n"
    "  --password-file F     read the password from file F\n"
    "  --password-stdin      read the password from standard input\n"
    "  --name LABEL          what the API token is for, e.g. 'nightly export' (token)\n"
    "  --scope ROLE          the role the token acts with, no wider than the user's (token)\n"
    "  --days N              how long the token lives, 1..3650 days (token; default 90)\n"
    "  --db PATH  --json  --help\n";

/* ---- reading passwords ------------------------------------------------------ */

/* room for the longest password, a CR LF, and one byte more to notice a
 * longer one */
#define PW_CAP (FOW_PASSWORD_MAX + 4)

/* Removes a final LF or CR LF from buf (length n); returns the new length. */
static size_t chop_line_end(char *buf, size_t n) {
    if (n > 0 && buf[n - 1] == '\n') buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '\r') buf[--n] = '\0';
    return n;
}

/* Reads the password file f (named what) into buf (PW_CAP bytes): one line,
 * its end of line removed. A longer text, a NUL byte or a second line is an
 * error. */
static int read_password_file(const cli_context *ctx, FILE *f, const char *what, char *buf) {
    size_t n = fread(buf, 1, PW_CAP - 1, f);
    if (ferror(f)) return cli_usage_error(ctx, "cannot read %s", what);
    buf[n] = '\0';
    if (n == PW_CAP - 1 && fgetc(f) != EOF)
        return cli_usage_error(ctx, "the password in %s is longer than %d bytes", what, FOW_PASSWORD_MAX);
    if (strlen(buf) != n) return cli_usage_error(ctx, "%s holds a NUL byte", what);
    chop_line_end(buf, n);
    if (strchr(buf, '\n')) return cli_usage_error(ctx, "%s must hold one line: the password", what);
    return 0;
}

/* Reads one line from f (standard input or the terminal) into buf (PW_CAP
 * bytes), its end of line removed. */
static int read_password_line(const cli_context *ctx, FILE *f, const char *what, char *buf) {
    if (!fgets(buf, PW_CAP, f)) return cli_usage_error(ctx, "no password given on %s", what);
    size_t n = strlen(buf);
    if (n == PW_CAP - 1 && buf[n - 1] != '\n') {
        int c;
        while ((c = fgetc(f)) != EOF && c != '\n') {}
        return cli_usage_error(ctx, "the password on %s is longer than %d bytes", what, FOW_PASSWORD_MAX);
    }
    chop_line_end(buf, n);
    return 0;
}

static struct termios saved_termios;
static volatile sig_atomic_t echo_off;

/* Restores the terminal when the user interrupts the prompt, then dies of
 * the same signal. */
static void restore_terminal(int sig) {
    if (echo_off) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Asks for a line on the terminal without echo. */
static int prompt_hidden(const cli_context *ctx, const char *prompt, char *buf) {
    if (tcgetattr(STDIN_FILENO, &saved_termios) != 0) return cli_usage_error(ctx, "cannot read the terminal");
    struct sigaction sa, old_int, old_term, old_hup, old_quit;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = restore_terminal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);
    sigaction(SIGQUIT, &sa, &old_quit);
    struct termios quiet = saved_termios;
    quiet.c_lflag &= (tcflag_t)~ECHO;
    quiet.c_lflag |= ECHONL;
    echo_off = 1;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    /* the prompt only once echo is off: what is typed after it is kept */
    fputs(prompt, stderr);
    fflush(stderr);
    int rc = read_password_line(ctx, stdin, "the terminal", buf);
    tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_termios);
    echo_off = 0;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    return rc;
}

/* The password for user name into buf (PW_CAP bytes): from file, from
 * standard input, or asked twice on the terminal. */
static int get_password(const cli_context *ctx, const char *name, const char *file, bool from_stdin, char *buf) {
    if (file && from_stdin) return cli_usage_error(ctx, "give --password-file or --password-stdin, not both");
    if (file) {
        FILE *f = fopen(file, "rb");
        if (!f) return cli_usage_error(ctx, "cannot open the password file %s", file);
        int rc = read_password_file(ctx, f, file, buf);
        fclose(f);
        return rc;
    }
    if (from_stdin) return read_password_line(ctx, stdin, "standard input", buf);
    if (!isatty(STDIN_FILENO))
        return cli_usage_error(ctx, "no password given: use --password-file F or --password-stdin "
                                    "(on a terminal fow asks for it)");
    char prompt[128];
    snprintf(prompt, sizeof prompt, "New password for %s: ", name);
    int rc = prompt_hidden(ctx, prompt, buf);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    if (fow_accounts_check_password(buf, name, &err) != FOW_OK) return cli_fail(ctx, &err);
    char again[PW_CAP];
    rc = prompt_hidden(ctx, "The same password again: ", again);
    if (!rc && strcmp(buf, again) != 0) rc = cli_usage_error(ctx, "the two passwords differ; nothing changed");
    sodium_memzero(again, sizeof again);
    return rc;
}

/* ---- output ----------------------------------------------------------------- */

static json_t *time_json(long long t) {
    if (t <= 0) return json_null();
    char buf[32];
    return json_string(fow_accounts_format_time(t, buf, sizeof buf));
}

static json_t *user_json(const fow_user *u) {
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)u->id, "name", u->name,
                     "display_name", u->display_name, "role", u->role_name, "organisation", u->organisation,
                     "provider_id", u->provider_id ? json_integer(u->provider_id) : json_null(), "person_id",
                     u->person_id[0] ? json_string(u->person_id) : json_null(),
                     "created_at", time_json(u->created_at),
                     "password_changed_at", time_json(u->password_changed_at), "last_login_at",
                     time_json(u->last_login_at));
}

static json_t *token_json(const fow_api_token *t, long long now) {
    return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:b, s:o, s:b}", "id", (json_int_t)t->id, "name", t->name,
                     "scope", t->scope_name, "created_at", time_json(t->created_at), "expires_at",
                     time_json(t->expires_at), "last_used_at", time_json(t->last_used_at), "revoked", t->revoked,
                     "revoked_at", time_json(t->revoked_at), "expired", now >= t->expires_at);
}

/* ---- the subcommands ---------------------------------------------------------- */

typedef struct user_args {
    const char *role, *display_name, *password_file, *label, *scope, *days, *organisation, *provider, *person;
    bool password_stdin;
    const char *pos[2];
    int n_pos;
} user_args;

static int user_add(cli_context *ctx, user_args *a) {
    fow_error err;
    fow_error_clear(&err);
    if (a->n_pos != 1) return cli_usage_error(ctx, "needs the user NAME");
    if (!a->role) return cli_usage_error(ctx, "needs --role (admin, analyst, counsellor, programme_manager, provider, person, juror, "
                                                  "voucher_office, lab_manager, lab_staff or teacher)");
    if (fow_accounts_check_name(a->pos[0], &err) != FOW_OK) return cli_fail(ctx, &err);
    fow_role role = fow_role_parse(a->role);
    if (role == FOW_ROLE_NONE)
        return cli_usage_error(ctx, "unknown role '%s': use admin, analyst, counsellor, programme_manager, provider, "
                                    "person, juror, voucher_office, lab_manager, lab_staff or teacher", a->role);
    if (role == FOW_ROLE_PROVIDER && !a->provider)
        return cli_usage_error(ctx, "a provider account needs --provider ID (the training provider it works for)");
    if (role == FOW_ROLE_PERSON && !a->person)
        return cli_usage_error(ctx, "a person account needs --person ID (the people record it belongs to)");
    if (a->provider && role != FOW_ROLE_PROVIDER)
        return cli_usage_error(ctx, "--provider goes with --role provider only");
    if (a->person && role != FOW_ROLE_PERSON) return cli_usage_error(ctx, "--person goes with --role person only");
    fow_user_links links = {0, a->person};
    if (a->provider) {
        char *end = NULL;
        long long v = strtoll(a->provider, &end, 10);
        if (!*a->provider || *end || v < 1)
            return cli_usage_error(ctx, "--provider takes a provider's number (fow modules --json shows them), not '%s'",
                                   a->provider);
        links.provider_id = v;
    }
    fow_db *db;
    int rc = cli_open_db(ctx, false, &db);
    if (rc) return rc;
    fow_user u;
    if (fow_accounts_user_get(db, a->pos[0], &u, &err) == FOW_OK) {
        fow_db_close(db);
        return cli_usage_error(ctx, "a user named '%s' already exists", u.name);
    }
    char password[PW_CAP];
    rc = get_password(ctx, a->pos[0], a->password_file, a->password_stdin, password);
    if (!rc) {
        long long now = (long long)time(NULL);
        if (fow_accounts_user_add_linked(db, a->pos[0], a->display_name, a->role, &links, password, now, &u, &err) !=
                FOW_OK ||
            (a->organisation && (fow_accounts_user_set_organisation(db, a->pos[0], a->organisation, &err) != FOW_OK ||
                                 fow_accounts_user_get(db, a->pos[0], &u, &err) != FOW_OK)))
            rc = cli_fail(ctx, &err);
        else if (ctx->json)
            rc = cli_print_json(user_json(&u));
        else
            printf("Added user %s (%s).\n", u.name, u.role_name);
    }
    sodium_memzero(password, sizeof password);
    fow_db_close(db);
    return rc;
}

static int user_list(cli_context *ctx, user_args *a) {
    if (a->n_pos != 0) return cli_usage_error(ctx, "takes no NAME");
    /* an existing database is opened for writing, so that one from before
     * the accounts gets its schema upgrade; a missing one is not created */
    fow_db *db;
    int rc = cli_open_db(ctx, access(ctx->db_path, F_OK) != 0, &db);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_user *users;
    size_t n;
    fow_code code = fow_accounts_user_list(db, &users, &n, &err);
    fow_db_close(db);
    if (code) return cli_fail(ctx, &err);
    if (ctx->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) json_array_append_new(arr, user_json(&users[i]));
        free(users);
        return cli_print_json(arr);
    }
    if (n == 0) printf("No users yet. Add one with: fow user add NAME --role admin\n");
    else printf("%-24s %-17s %-28s %s\n", "NAME", "ROLE", "DISPLAY NAME", "LAST LOGIN");
    for (size_t i = 0; i < n; i++) {
        const fow_user *u = &users[i];
        char last[32] = "never";
        if (u->last_login_at > 0) fow_accounts_format_time(u->last_login_at, last, sizeof last);
        cli_print_cell(stdout, u->name, 24);
        putchar(' ');
        cli_print_cell(stdout, u->role_name, 17);
        putchar(' ');
        cli_print_cell(stdout, u->display_name, 28);
        printf(" %s\n", last);
    }
    free(users);
    return 0;
}

static int user_passwd(cli_context *ctx, user_args *a) {
    if (a->n_pos != 1) return cli_usage_error(ctx, "needs the user NAME");
    fow_db *db;
    int rc = cli_open_db(ctx, false, &db);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_user u;
    if (fow_accounts_user_get(db, a->pos[0], &u, &err) != FOW_OK) {
        fow_db_close(db);
        return cli_fail(ctx, &err);
    }
    char password[PW_CAP];
    rc = get_password(ctx, u.name, a->password_file, a->password_stdin, password);
    if (!rc) {
        if (fow_accounts_user_set_password(db, u.name, password, (long long)time(NULL), &err) != FOW_OK)
            rc = cli_fail(ctx, &err);
        else if (ctx->json)
            rc = cli_print_json(json_pack("{s:s, s:b}", "name", u.name, "password_changed", 1));
        else
            printf("Changed the password of %s; their sessions have ended.\n", u.name);
    }
    sodium_memzero(password, sizeof password);
    fow_db_close(db);
    return rc;
}

static int user_remove(cli_context *ctx, user_args *a) {
    if (a->n_pos != 1) return cli_usage_error(ctx, "needs the user NAME");
    fow_db *db;
    int rc = cli_open_db(ctx, false, &db);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_user u;
    fow_code code = fow_accounts_user_get(db, a->pos[0], &u, &err);
    if (!code) code = fow_accounts_user_remove(db, u.name, &err);
    fow_db_close(db);
    if (code) return cli_fail(ctx, &err);
    if (ctx->json) return cli_print_json(json_pack("{s:s, s:b}", "name", u.name, "removed", 1));
    printf("Removed user %s with their sessions and API tokens.\n", u.name);
    return 0;
}

static int user_token(cli_context *ctx, user_args *a) {
    if (a->n_pos != 1) return cli_usage_error(ctx, "needs the user NAME");
    if (!a->label) return cli_usage_error(ctx, "needs --name LABEL (what the token is for)");
    fow_db *db;
    int rc = cli_open_db(ctx, false, &db);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_user u;
    char token[FOW_API_TOKEN_CHARS + 1];
    fow_api_token info;
    long days = 0;
    if (a->days && (rc = cli_parse_size(ctx, "--days", a->days, 1, FOW_TOKEN_LIMIT_DAYS, &days))) {
        fow_db_close(db);
        return rc;
    }
    /* on the server's machine the administrator may go up to the limit */
    fow_token_spec spec = {.name = a->label, .scope = a->scope, .days = days, .max_days = FOW_TOKEN_LIMIT_DAYS};
    if (!days) spec.days = FOW_TOKEN_DEFAULT_DAYS;
    long long now = (long long)time(NULL);
    fow_code code = fow_accounts_user_get(db, a->pos[0], &u, &err);
    if (!code) code = fow_accounts_token_create(db, u.id, &spec, now, token, &info, &err);
    fow_db_close(db);
    if (code) return cli_fail(ctx, &err);
    if (ctx->json) {
        json_t *j = token_json(&info, now);
        json_object_set_new(j, "user", json_string(u.name));
        json_object_set_new(j, "token", json_string(token));
        rc = cli_print_json(j);
    } else {
        char until[32];
        printf("%s\n", token);
        if (fflush(stdout) != 0) rc = CLI_EXIT_INTERNAL;
        fprintf(stderr, "API token '%s' (id %lld, scope %s, until %s) for %s: shown only now, store it safely.\n",
                a->label, info.id, info.scope_name, fow_accounts_format_time(info.expires_at, until, sizeof until),
                u.name);
    }
    sodium_memzero(token, sizeof token);
    return rc;
}

static int user_tokens(cli_context *ctx, user_args *a) {
    if (a->n_pos != 1) return cli_usage_error(ctx, "needs the user NAME");
    fow_db *db;
    int rc = cli_open_db(ctx, false, &db);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_user u;
    fow_api_token *tokens = NULL;
    size_t n = 0;
    fow_code code = fow_accounts_user_get(db, a->pos[0], &u, &err);
    if (!code) code = fow_accounts_token_list(db, u.id, &tokens, &n, &err);
    fow_db_close(db);
    if (code) return cli_fail(ctx, &err);
    long long now = (long long)time(NULL);
    if (ctx->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) json_array_append_new(arr, token_json(&tokens[i], now));
        free(tokens);
        return cli_print_json(arr);
    }
    if (n == 0) printf("%s has no API tokens.\n", u.name);
    else printf("%-6s %-24s %-11s %-21s %-21s %s\n", "ID", "NAME", "SCOPE", "EXPIRES", "LAST USED", "STATUS");
    for (size_t i = 0; i < n; i++) {
        const fow_api_token *t = &tokens[i];
        char expires[32], used[32] = "never";
        fow_accounts_format_time(t->expires_at, expires, sizeof expires);
        if (t->last_used_at > 0) fow_accounts_format_time(t->last_used_at, used, sizeof used);
        printf("%-6lld ", t->id);
        cli_print_cell(stdout, t->name, 24);
        putchar(' ');
        cli_print_cell(stdout, t->scope_name, 11);
        printf(" %-21s %-21s %s\n", expires, used, t->revoked ? "revoked" : now >= t->expires_at ? "expired" : "active");
    }
    free(tokens);
    return 0;
}

static int user_organisation(cli_context *ctx, user_args *a) {
    if (a->n_pos < 1) return cli_usage_error(ctx, "needs the user NAME (and the ORGANISATION, or none to clear it)");
    fow_db *db;
    int rc = cli_open_db(ctx, false, &db);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_user u;
    const char *organisation = a->n_pos > 1 ? a->pos[1] : "";
    fow_code code = fow_accounts_user_get(db, a->pos[0], &u, &err);
    if (!code) code = fow_accounts_user_set_organisation(db, u.name, organisation, &err);
    fow_db_close(db);
    if (code) return cli_fail(ctx, &err);
    if (ctx->json) return cli_print_json(json_pack("{s:s, s:s}", "name", u.name, "organisation", organisation));
    if (organisation[0]) printf("%s now belongs to the organisation %s.\n", u.name, organisation);
    else printf("%s now belongs to no organisation.\n", u.name);
    return 0;
}

static int user_revoke_token(cli_context *ctx, user_args *a) {
    if (a->n_pos != 2) return cli_usage_error(ctx, "needs the user NAME and the token ID (see 'fow user tokens NAME')");
    long id = 0;
    int rc = cli_parse_size(ctx, "ID", a->pos[1], 1, LONG_MAX, &id);
    if (rc) return rc;
    fow_db *db;
    if ((rc = cli_open_db(ctx, false, &db))) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_user u;
    fow_code code = fow_accounts_user_get(db, a->pos[0], &u, &err);
    if (!code) code = fow_accounts_token_revoke(db, u.id, id, (long long)time(NULL), &err);
    fow_db_close(db);
    if (code) return cli_fail(ctx, &err);
    if (ctx->json) return cli_print_json(json_pack("{s:s, s:I, s:b}", "user", u.name, "id", (json_int_t)id, "revoked", 1));
    printf("Revoked API token %ld of %s.\n", id, u.name);
    return 0;
}

int cli_user(cli_context *ctx, int argc, char **argv) {
    static const struct {
        const char *name, *command;
        int (*run)(cli_context *, user_args *);
    } subs[] = {
        {"add", "user add", user_add},          {"list", "user list", user_list},
        {"passwd", "user passwd", user_passwd}, {"remove", "user remove", user_remove},
        {"token", "user token", user_token},    {"tokens", "user tokens", user_tokens},
        {"revoke-token", "user revoke-token", user_revoke_token},
        {"organisation", "user organisation", user_organisation},
    };
    ctx->command = "user";
    if (argc == 0 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        fputs(user_help, argc == 0 ? stderr : stdout);
        return argc == 0 ? CLI_EXIT_USER : 0;
    }
    int sub = -1;
    for (int s = 0; s < (int)(sizeof subs / sizeof subs[0]); s++)
        if (strcmp(argv[0], subs[s].name) == 0) sub = s;
    if (sub < 0) return cli_usage_error(ctx, "unknown subcommand '%s': use add, list, passwd, remove, token, tokens, revoke-token or organisation",
                                          argv[0]);
    ctx->command = subs[sub].command;
    user_args a = {0};
    bool on_add = sub == 0, takes_password = sub == 0 || sub == 2, on_token = sub == 4;
    cli_option options[10];
    int k = 0;
    if (on_add) {
        options[k++] = (cli_option){"--role", &a.role, NULL};
        options[k++] = (cli_option){"--display-name", &a.display_name, NULL};
        options[k++] = (cli_option){"--organisation", &a.organisation, NULL};
        options[k++] = (cli_option){"--provider", &a.provider, NULL};
        options[k++] = (cli_option){"--person", &a.person, NULL};
    }
    if (takes_password) {
        options[k++] = (cli_option){"--password-file", &a.password_file, NULL};
        options[k++] = (cli_option){"--password-stdin", NULL, &a.password_stdin};
    }
    if (on_token) {
        options[k++] = (cli_option){"--name", &a.label, NULL};
        options[k++] = (cli_option){"--scope", &a.scope, NULL};
        options[k++] = (cli_option){"--days", &a.days, NULL};
    }
    options[k] = (cli_option){NULL, NULL, NULL};
    int rc = cli_parse(ctx, argc - 1, argv + 1, options, a.pos, sub == 6 || sub == 7 ? 2 : 1, &a.n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(user_help, stdout);
        return 0;
    }
    fow_error err;
    fow_error_clear(&err);
    if (fow_accounts_init(&err) != FOW_OK) return cli_fail(ctx, &err);
    return subs[sub].run(ctx, &a);
}
