/* cli_serve.c — `fow serve`: runs the HTTP server until SIGTERM or SIGINT. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "accounts/fow_accounts.h"
#include "http/fow_serve.h"

/* Where the web app is looked for when --web is not given (CMakeLists.txt
 * sets them): installed next to the program (the folder relative to the
 * program's own folder), the source tree the program was built from, and
 * the installation folder chosen when it was configured. */
#ifndef FOW_WEB_DIR_FROM_BIN
#define FOW_WEB_DIR_FROM_BIN "../share/fow/web"
#endif
#ifndef FOW_WEB_DIR_SOURCE
#define FOW_WEB_DIR_SOURCE "web"
#endif
#ifndef FOW_WEB_DIR_INSTALLED
#define FOW_WEB_DIR_INSTALLED "/usr/local/share/fow/web"
#endif

static const char serve_help[] =
    "Usage: fow serve [--listen HOST:PORT] [--db PATH] [--threads N] [options]\n"
    "\n"
    "Serves the JSON API under /api/v1 (docs/api/openapi.yaml) and the web app under /.\n"
    "The model is loaded once and shared by the worker threads; an import (through the API, or\n"
    "SIGHUP after a 'fow import') swaps in a new one without stopping the server. SIGTERM or\n"
    "SIGINT stop it gracefully: requests in flight finish first; so does closing the terminal\n"
    "it was started on.\n"
    "\n"
    "Options:\n"
    "  --listen HOST:PORT  the address to listen on (default 127.0.0.1:8080; port 0: any free one)\n"
    "  --threads N         worker threads, 1..256 (default: the number of cores)\n"
    "  --web DIR           the web app's folder (default: the one installed with fow, in\n"
    "                      ../share/fow/web next to the program; for a program in a build tree,\n"
    "                      the web/ folder of its source tree)\n"
    "  --rate-limit R      requests per second allowed per client address, with bursts of 2R;\n"
    "                      0 turns the limit off (default 50)\n"
    "  --access-log FILE   where the access log goes, one JSON line per request; '-' for\n"
    "                      standard output, 'none' for no log. Default: when standard output is\n"
    "                      a terminal, the file NAME-access.log next to the database NAME.db\n"
    "                      (./fow-access.log for ./fow.db); otherwise standard error\n"
    "  --client-connections N  connections open at once from one client address, 1..1024\n"
    "                      (default 64); more are refused, so that one client cannot take them all\n"
    "  --trusted-proxy ADDR  the IPv4 address of a reverse proxy (nginx, docs/deploy.md) whose\n"
    "                      X-Forwarded-Proto is believed: with 'https' the session cookie is Secure\n"
    "  --no-cache          compute every answer; by default public GET answers of the API are\n"
    "                      kept (4,096 at most) until the model changes, since they depend on\n"
    "                      nothing else\n"
    "  --token-max-days N  the longest life of an API token made through the API, 1..3650\n"
    "                      (default 365; a token lives 90 days unless asked)\n"
    "  --db PATH  --quiet  --help\n";

/* Whether dir holds the web app (its index.html). */
static bool holds_web_app(const char *dir) {
    char index[4096];
    int n = snprintf(index, sizeof index, "%s/index.html", dir);
    return n > 0 && (size_t)n < sizeof index && access(index, R_OK) == 0;
}

/* The web app's folder when --web is not given: the first of the places
 * above that holds it (in buf when it is the one next to the program), or
 * NULL when none does. */
static const char *default_web_root(char *buf, size_t size) {
    char program[4096];
    ssize_t len = readlink("/proc/self/exe", program, sizeof program - 1);
    if (len > 0) {
        program[len] = '\0';
        char *slash = strrchr(program, '/');
        if (slash) {
            *slash = '\0';
            int n = snprintf(buf, size, "%s/%s", program, FOW_WEB_DIR_FROM_BIN);
            if (n > 0 && (size_t)n < size && holds_web_app(buf)) return buf;
        }
    }
    if (holds_web_app(FOW_WEB_DIR_SOURCE)) return FOW_WEB_DIR_SOURCE;
    if (holds_web_app(FOW_WEB_DIR_INSTALLED)) return FOW_WEB_DIR_INSTALLED;
    return NULL;
}

/* Whether the terminal on standard output has hung up (closed): a SIGHUP
 * that comes from it, not from 'kill -HUP'. */
static bool terminal_hung_up(void) {
    struct termios settings;
    return tcgetattr(STDOUT_FILENO, &settings) != 0 && errno == EIO;
}

/* The default access log file of the database db_path: NAME-access.log
 * next to NAME.db (a name without .db keeps its whole name). */
static void default_access_log_path(const char *db_path, char *buf, size_t size) {
    size_t len = strlen(db_path);
    if (len > 3 && strcmp(db_path + len - 3, ".db") == 0) len -= 3;
    snprintf(buf, size, "%.*s-access.log", (int)len, db_path);
}

int cli_serve(cli_context *ctx, int argc, char **argv) {
    const char *listen = "127.0.0.1:8080", *threads_text = NULL, *web = NULL, *rate_text = NULL,
               *log_path = NULL, *token_days_text = NULL, *proxy = NULL, *per_client_text = NULL;
    bool no_cache = false;
    const cli_option options[] = {{"--listen", &listen, NULL},         {"--threads", &threads_text, NULL},
                                  {"--web", &web, NULL},               {"--rate-limit", &rate_text, NULL},
                                  {"--access-log", &log_path, NULL},   {"--no-cache", NULL, &no_cache},
                                  {"--token-max-days", &token_days_text, NULL}, {"--trusted-proxy", &proxy, NULL},
                                  {"--client-connections", &per_client_text, NULL}, {NULL, NULL, NULL}};
    static const cli_field_flag field_flags[] = {
        {"web_root", "--web"},
        {"token_max_days", "--token-max-days"},
        {"trusted_proxy", "--trusted-proxy"},
        {"client_connections", "--client-connections"},
        {NULL, NULL}};
    ctx->field_flags = field_flags;
    const char *pos[1];
    int n_pos;
    int rc = cli_parse(ctx, argc, argv, options, pos, 0, &n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(serve_help, stdout);
        return 0;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long threads = cores > 0 ? cores : 2, rate = 50, per_client = 64;
    if (threads_text && (rc = cli_parse_size(ctx, "--threads", threads_text, 1, 256, &threads))) return rc;
    if (rate_text && (rc = cli_parse_size(ctx, "--rate-limit", rate_text, 0, 1000000, &rate))) return rc;
    if (per_client_text && (rc = cli_parse_size(ctx, "--client-connections", per_client_text, 1, 1024, &per_client)))
        return rc;
    long token_days = FOW_TOKEN_MAX_DAYS;
    if (token_days_text &&
        (rc = cli_parse_size(ctx, "--token-max-days", token_days_text, 1, FOW_TOKEN_LIMIT_DAYS, &token_days)))
        return rc;
    if (access(ctx->db_path, F_OK) != 0)
        return cli_usage_error(ctx, "the database %s does not exist: import data first (see 'fow import --help'), "
                                    "or run 'make run' for the demo",
                               ctx->db_path);
    char web_buf[4096];
    if (!web && !(web = default_web_root(web_buf, sizeof web_buf)))
        return cli_usage_error(ctx, "the web app is not where it was installed or built (%s next to this program, "
                                    "%s, %s): give its folder with --web DIR",
                               FOW_WEB_DIR_FROM_BIN, FOW_WEB_DIR_SOURCE, FOW_WEB_DIR_INSTALLED);
    /* the access log: on a terminal to a file, so that the terminal shows only what a person reads */
    char log_buf[4096];
    const char *log_shown = log_path;
    bool on_terminal = isatty(STDOUT_FILENO);
    if (!log_path && on_terminal) {
        default_access_log_path(ctx->db_path, log_buf, sizeof log_buf);
        log_path = log_shown = log_buf;
    }
    FILE *log = stderr;
    bool close_log = false;
    if (!log_path) log_shown = "standard error";
    else if (strcmp(log_path, "-") == 0) log = stdout, log_shown = "standard output";
    else if (strcmp(log_path, "none") == 0) log = NULL, log_shown = "none";
    else {
        log = fopen(log_path, "a");
        if (!log)
            return cli_usage_error(ctx, "cannot open the access log %s: %s (choose another with --access-log FILE)",
                                   log_path, strerror(errno));
        close_log = true;
    }
    /* the worker threads inherit this mask: only this thread takes the signals */
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    fow_serve_options o = {.listen = listen, .db_path = ctx->db_path, .web_root = web, .threads = (unsigned)threads,
                           .rate_limit = (double)rate, .access_log = log, .cache = !no_cache,
                           .token_max_days = (unsigned)token_days, .trusted_proxy = proxy,
                           .client_connections = (unsigned)per_client};
    http_server *server;
    fow_error err;
    fow_error_clear(&err);
    if (fow_serve_start(&o, &server, &err) != FOW_OK) {
        if (close_log) fclose(log);
        return cli_fail(ctx, &err);
    }
    char host[64];
    const char *colon = strrchr(listen, ':');
    snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
    if (!ctx->quiet) {
        /* one line per start: tests and scripts read the port from it */
        printf("fow is serving %s on http://%s:%u/ (API /api/v1/, %ld threads, access log: %s); Ctrl-C stops it\n",
               ctx->db_path, host, (unsigned)fow_serve_port(server), threads, log_shown);
        fflush(stdout);
    }
    for (;;) {
        int sig = 0;
        if (sigwait(&signals, &sig) != 0) continue;
        if (sig == SIGHUP && !(on_terminal && terminal_hung_up())) {
            fow_world_offer outcome;
            if (fow_serve_reload(server, &outcome, &err) != FOW_OK) {
                char buf[700];
                fprintf(stderr, "fow serve: reload failed: %s\n", fow_error_format(&err, buf, sizeof buf));
            } else if (!ctx->quiet) {
                fprintf(stderr, "fow serve: %s %s (%d models in memory)\n",
                        outcome == FOW_WORLD_PUBLISHED  ? "reloaded the model from"
                        : outcome == FOW_WORLD_SAME_STATE ? "the model in service is current for"
                                                          : "a newer model is in service already for",
                        ctx->db_path, fow_world_live());
            }
            continue;
        }
        if (!ctx->quiet) fprintf(stderr, "fow serve: stopping (signal %d), finishing requests in flight\n", sig);
        break;
    }
    fow_serve_stop(server);
    if (close_log) fclose(log);
    return 0;
}
