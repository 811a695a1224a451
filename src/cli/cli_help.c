/* cli_help.c — `fow help --man`: the manual page fow(1), made from the same
 * texts as `fow --help` and `fow COMMAND --help`, so that the two never drift. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

/* Runs `fow NAME --help` in this process and returns what it printed on
 * standard output (malloc'd, NUL-terminated), or NULL when it could not be
 * captured. Standard output is pointed at a temporary file for the call. */
static char *captured_help(const cli_command *command) {
    FILE *captured = tmpfile();
    if (!captured) return NULL;
    fflush(stdout);
    int saved_stdout = dup(STDOUT_FILENO);
    if (saved_stdout < 0 || dup2(fileno(captured), STDOUT_FILENO) < 0) {
        if (saved_stdout >= 0) close(saved_stdout);
        fclose(captured);
        return NULL;
    }
    cli_context ctx = {.command = command->name, .db_path = "fow.db"};
    char help_flag[] = "--help";
    char *argv[] = {help_flag, NULL};
    int rc = command->run(&ctx, 1, argv);
    fflush(stdout);
    dup2(saved_stdout, STDOUT_FILENO);
    close(saved_stdout);
    char *text = NULL;
    long size = -1;
    if (rc == 0 && fseek(captured, 0, SEEK_END) == 0 && (size = ftell(captured)) > 0 && fseek(captured, 0, SEEK_SET) == 0 &&
        (text = malloc((size_t)size + 1)) != NULL) {
        if (fread(text, 1, (size_t)size, captured) != (size_t)size) {
            free(text);
            text = NULL;
        } else {
            text[size] = '\0';
        }
    }
    fclose(captured);
    return text;
}

/* The code point of the UTF-8 sequence at s (at most n bytes) and its
 * length in *len; 0 when the sequence is not valid UTF-8. */
static unsigned long utf8_code_point(const unsigned char *s, size_t n, size_t *len) {
    size_t need = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : 0;
    if (!need || need > n) return 0;
    unsigned long cp = s[0] & (0x7F >> need);
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    static const unsigned long smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < smallest[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    *len = need;
    return cp;
}

/* Writes the len bytes of one line of text for troff: backslashes and
 * hyphens escaped, a leading '.' or '\'' kept from being read as a
 * request, and every character beyond ASCII as \[uXXXX] (so that any troff
 * reads it, whatever its input encoding); a byte that is not UTF-8 as '?'. */
static void put_troff_line(FILE *out, const char *line, size_t len) {
    if (len > 0 && (line[0] == '.' || line[0] == '\'')) fputs("\\&", out);
    const unsigned char *bytes = (const unsigned char *)line;
    for (size_t i = 0; i < len; i++) {
        if (bytes[i] == '\\') fputs("\\e", out);
        else if (bytes[i] == '-') fputs("\\-", out);
        else if (bytes[i] < 0x80) fputc(bytes[i], out);
        else {
            size_t used = 1;
            unsigned long cp = utf8_code_point(bytes + i, len - i, &used);
            if (cp) fprintf(out, "\\[u%04lX]", cp);
            else fputc('?', out);
            i += used - 1;
        }
    }
    fputc('\n', out);
}

/* Writes the len bytes of text as lines kept as they are (.nf ... .fi). */
static void put_verbatim(FILE *out, const char *text, size_t len) {
    const char *end_of_text = text + len;
    while (end_of_text > text && end_of_text[-1] == '\n') end_of_text--; /* no empty lines at the end */
    fputs(".nf\n", out);
    while (text < end_of_text) {
        const char *end = memchr(text, '\n', (size_t)(end_of_text - text));
        if (!end) end = end_of_text;
        put_troff_line(out, text, (size_t)(end - text));
        text = end + 1;
    }
    fputs(".fi\n", out);
}

int cli_write_man_page(FILE *out, const char *usage, const cli_command *commands, size_t n_commands) {
    /* usage: "fow — WHAT\n\nUsage: SYNOPSIS\n\nTHE REST" */
    static const char dash_text[] = " — ", usage_text[] = "Usage: ";
    const char *first_end = strchr(usage, '\n');
    const char *dash = strstr(usage, dash_text);
    const char *synopsis = strstr(usage, usage_text);
    if (!first_end || !dash || dash > first_end || !synopsis) {
        fputs("fow help: the text of 'fow --help' must start with 'fow — WHAT' and have a 'Usage: ' line\n", stderr);
        return CLI_EXIT_INTERNAL;
    }
    const char *what = dash + strlen(dash_text);
    synopsis += strlen(usage_text);
    const char *synopsis_end = strchr(synopsis, '\n');
    if (!synopsis_end) synopsis_end = synopsis + strlen(synopsis);
    const char *description = synopsis_end;
    while (*description == '\n') description++;

    fputs(".\\\" fow(1), made by 'fow help --man' from the texts of 'fow --help' and\n"
          ".\\\" 'fow COMMAND --help': change those, not this file.\n",
          out);
    fprintf(out, ".TH FOW 1 \"\" \"fow %s\" \"fow manual\"\n", FOW_VERSION);
    fputs(".SH NAME\nfow \\- ", out);
    put_troff_line(out, what, (size_t)(first_end - what));
    fputs(".SH SYNOPSIS\n", out);
    put_verbatim(out, synopsis, (size_t)(synopsis_end - synopsis));
    fputs(".SH DESCRIPTION\n", out);
    put_verbatim(out, description, strlen(description));
    fputs(".SH COMMANDS\n", out);
    for (size_t c = 0; c < n_commands; c++) {
        char *help = captured_help(&commands[c]);
        if (!help) {
            fprintf(stderr, "fow help: could not read the text of 'fow %s --help'\n", commands[c].name);
            return CLI_EXIT_INTERNAL;
        }
        fprintf(out, ".SS %s\n", commands[c].name);
        put_verbatim(out, help, strlen(help));
        free(help);
    }
    fputs(".SH SEE ALSO\n"
          "The README and the docs/ folder of the source tree: docs/data-formats.md (the files fow\n"
          "imports), docs/api/openapi.yaml (the HTTP API of fow serve), docs/transitions.md,\n"
          "docs/observatory.md and docs/scenarios.md (the methods).\n",
          out);
    return fflush(out) == 0 && !ferror(out) ? CLI_EXIT_OK : CLI_EXIT_INTERNAL;
}
