/* cli_credential.c — `fow credential ...`: issuing, listing, revoking and
 * verifying verifiable credentials (src/credentials/fow_credentials.h,
 * docs/credentials.md). Like `fow person`, the command line acts on the
 * server's machine as an administrator named "cli:LOGIN". */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "accounts/fow_accounts.h"
#include "credentials/fow_credentials.h"
#include "people/fow_people.h"
#include "service/fow_world.h"

static const char credential_help[] =
    "Usage: fow credential issue --person ID --module ID [--completion ID] [--completed-on DATE]\n"
    "                            [--result TEXT] [--valid-days N] [--out FILE]\n"
    "       fow credential list [--person ID]\n"
    "       fow credential show ID [--out FILE]\n"
    "       fow credential revoke ID --reason TEXT\n"
    "       fow credential verify FILE [--jwks FILE] [--status-list FILE] [--at TIME]\n"
    "       fow credential present FILE --person ID\n"
    "       fow credential issuer [--url URL] [--name NAME]\n"
    "       fow credential jwks\n"
    "       fow credential status-list [N] [--out FILE]\n"
    "\n"
    "Verifiable credentials of completed modules (docs/credentials.md): Open Badges 3.0\n"
    "OpenBadgeCredentials signed as VC-JWT with Ed25519. The issuer's secret key is in the file\n"
    "DB.issuer.key next to the database (made on first use, mode 0600: back it up apart from the\n"
    "database); its public key is published at URL/.well-known/jwks.json by fow serve.\n"
    "\n"
    "  issue     issues a credential to a person (who consented to training) for a module of the\n"
    "            catalogue; prints its id and writes the VC-JWT to --out FILE (or prints it).\n"
    "  list      the credentials issued (all, or one person's), newest first.\n"
    "  show      one credential with its status, and its VC-JWT (to --out FILE).\n"
    "  revoke    sets the credential's bit in the revocation status list (the command line acts as\n"
    "            an administrator; in fow serve only the module's provider, the person's counsellors,\n"
    "            the programme manager or an admin may). Erasing a person revokes theirs.\n"
    "  verify    checks a credential (a file holding the VC-JWT; - reads standard input) offline:\n"
    "            format, JOSE header (alg EdDSA, typ vc+jwt, kid), Ed25519 signature against the\n"
    "            database's issuer key or the keys of --jwks FILE, structure, dates, and revocation\n"
    "            against --status-list FILE (a saved status list credential) or this database's\n"
    "            lists. Nothing is fetched from the network: without either, the status is reported\n"
    "            'unchecked'. Exit 0 when valid, 1 when a check failed (its name and why on stderr).\n"
    "  present   verifies a credential and adds its skills to the person's profile with the\n"
    "            provenance 'credential' (it must have been issued to that person).\n"
    "  issuer    shows or sets the issuer's base URL (where fow serve is reached; default\n"
    "            http://127.0.0.1:8080) and name; credentials issued afterwards carry them.\n"
    "  jwks      the issuer's public keys as a JWK Set.\n"
    "  status-list  the signed status list credential N (default 1), as served.\n"
    "\n"
    "Options:\n"
    "  --completed-on DATE   YYYY-MM-DD (default: today)\n"
    "  --result TEXT         the assessment's result, e.g. passed\n"
    "  --valid-days N        the credential expires N days after issue (default: never)\n"
    "  --at TIME             verify as of TIME (YYYY-MM-DDTHH:MM:SSZ) instead of now\n"
    "  --db PATH  --json  --help\n";

typedef struct credential_args {
    const char *person, *module, *completion, *completed_on, *result, *valid_days, *out, *reason, *jwks,
        *status_list, *at, *url, *name;
    const char *pos[2];
    int n_pos;
} credential_args;

/* The database (for writing when signing) and the credentials. */
typedef struct credential_env {
    fow_db *db;
    fow_credentials *creds;
    fow_people *people;
    fow_world *world;
    fow_people_staff staff;
    char actor[FOW_PERSON_ACTOR_MAX + 1];
} credential_env;

static void env_close(credential_env *e) {
    fow_credentials_close(e->creds);
    fow_people_close(e->people);
    fow_db_close(e->db);
    fow_world_release(e->world);
}

static int env_open(cli_context *ctx, credential_env *e, bool signing, bool with_people, bool with_world) {
    memset(e, 0, sizeof *e);
    cli_actor_name(e->actor, sizeof e->actor);
    e->staff = (fow_people_staff){.name = e->actor, .organisation = "", .all_organisations = true};
    fow_error err;
    fow_error_clear(&err);
    int rc = cli_open_db(ctx, !signing, &e->db);
    if (rc) return rc;
    char key_path[4096];
    fow_code code = FOW_OK;
    if (signing) code = fow_credentials_key_path(ctx->db_path, key_path, sizeof key_path, &err);
    if (!code) code = fow_credentials_open(e->db, signing ? key_path : NULL, signing, &e->creds, &err);
    if (!code && with_people) {
        code = fow_people_key_path(ctx->db_path, key_path, sizeof key_path, &err);
        if (!code) code = fow_people_open(e->db, key_path, &e->people, &err);
    }
    if (!code && with_world) code = fow_world_open(ctx->db_path, &(fow_world_options){.quick = true}, &e->world, &err);
    if (code) {
        env_close(e);
        return cli_fail(ctx, &err);
    }
    return 0;
}

/* Reads a whole file (or standard input for "-") of at most max bytes into
 * a malloc'd, NUL-terminated *out. */
static int read_text_file(cli_context *ctx, const char *path, size_t max, char **out, size_t *len) {
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) return cli_usage_error(ctx, "cannot open %s: %s", path, strerror(errno));
    char *buf = malloc(max + 2);
    size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
    bool bad = !buf || ferror(f);
    if (f != stdin) fclose(f);
    if (bad) {
        free(buf);
        return cli_usage_error(ctx, "cannot read %s", path);
    }
    if (n > max) {
        free(buf);
        return cli_usage_error(ctx, "%s is over %zu bytes: not a credential this verifier reads", path, max);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

/* Writes text and a new line to path (mode 0600: it names a person's credential). */
static int write_text_file(cli_context *ctx, const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return cli_usage_error(ctx, "cannot write %s: %s", path, strerror(errno));
    size_t n = strlen(text);
    bool ok = write(fd, text, n) == (ssize_t)n && write(fd, "\n", 1) == 1;
    ok = close(fd) == 0 && ok;
    return ok ? 0 : cli_usage_error(ctx, "cannot write %s: %s", path, strerror(errno));
}

static void time_text(long long t, char *buf, size_t n) {
    if (t <= 0) {
        snprintf(buf, n, "-");
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    strftime(buf, n, "%Y-%m-%d %H:%M", gmtime_r(&tt, &tm));
}

static int print_row(cli_context *ctx, const credential_env *e, const fow_credential_row *r, bool jwt_printed) {
    if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_credential_write_row(&w, e->creds, r);
        return cli_print_written(&w);
    }
    char issued[32], revoked[32];
    time_text(r->issued_at, issued, sizeof issued);
    time_text(r->revoked_at, revoked, sizeof revoked);
    printf("credential  %s\nperson      %s (in the credential only as %s)\nmodule      [%lld] %s  %s\n", r->id,
           r->person_id, r->subject, (long long)r->module_id, r->module_code, r->title_en);
    printf("completed   %s%s%s%s%s\n", r->completed_on, r->completion_id[0] ? " (completion " : "", r->completion_id,
           r->completion_id[0] ? ")" : "", r->result[0] ? "" : "");
    if (r->result[0]) printf("result      %s\n", r->result);
    printf("issued      %s UTC by %s\n", issued, r->issued_by);
    if (r->valid_until) {
        char until[32];
        time_text(r->valid_until, until, sizeof until);
        printf("valid until %s UTC\n", until);
    }
    printf("status      list %d, index %ld: %s", r->status_list, r->status_index, r->revoked_at ? "REVOKED" : "valid");
    if (r->revoked_at) printf(" at %s UTC by %s (%s)", revoked, r->revoked_by, r->revoked_reason);
    printf("\n");
    if (r->jwt && !jwt_printed) printf("\n%s\n", r->jwt);
    return 0;
}

static int credential_issue(cli_context *ctx, credential_args *a) {
    if (a->n_pos) return cli_usage_error(ctx, "takes no positional argument: give --person ID --module ID");
    if (!a->person) return cli_usage_error(ctx, "needs --person ID (fow person list)");
    if (!a->module) return cli_usage_error(ctx, "needs --module ID (fow modules)");
    long module = 0, days = 0;
    int rc = cli_parse_size(ctx, "--module", a->module, 1, 0x7fffffffL, &module);
    if (!rc && a->valid_days) rc = cli_parse_size(ctx, "--valid-days", a->valid_days, 1, 36600, &days);
    if (rc) return rc;
    credential_env e;
    if ((rc = env_open(ctx, &e, true, true, false))) return rc;
    fow_credential_request req = {.person_id = a->person, .module_id = module, .completion_id = a->completion,
                                  .completed_on = a->completed_on, .result = a->result, .valid_days = (int)days,
                                  .issued_by = e.actor};
    fow_credential_row row;
    fow_error err;
    fow_error_clear(&err);
    if (fow_credential_issue(e.creds, e.people, &e.staff, &req, (long long)time(NULL), &row, &err)) {
        rc = cli_fail(ctx, &err);
    } else {
        if (a->out) rc = write_text_file(ctx, a->out, row.jwt);
        if (!rc) {
            if (!ctx->json && a->out) printf("Issued credential %s; its VC-JWT is in %s.\n", row.id, a->out);
            else if (!ctx->json) printf("Issued credential %s:\n", row.id);
            rc = print_row(ctx, &e, &row, a->out != NULL);
        }
        free(row.jwt);
    }
    env_close(&e);
    return rc;
}

static int credential_list(cli_context *ctx, credential_args *a) {
    if (a->n_pos) return cli_usage_error(ctx, "takes no ID (fow credential show ID shows one)");
    credential_env e;
    int rc = env_open(ctx, &e, false, false, false);
    if (rc) return rc;
    fow_credential_row *rows = NULL;
    size_t n = 0;
    fow_error err;
    fow_error_clear(&err);
    if (fow_credential_list(e.creds, a->person, &rows, &n, &err)) rc = cli_fail(ctx, &err);
    else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_jw_object(&w);
        fow_jw_key(&w, "credentials");
        fow_jw_array(&w);
        for (size_t i = 0; i < n; i++) fow_credential_write_row(&w, e.creds, &rows[i]);
        fow_jw_array_end(&w);
        fow_jw_kint(&w, "total", (long long)n);
        fow_jw_object_end(&w);
        rc = cli_print_written(&w);
    } else if (n == 0)
        printf("No credentials issued%s. Issue one with: fow credential issue --person ID --module ID\n",
               a->person ? " to this person" : "");
    else {
        printf("%-45s %-27s %-12s %-10s %s\n", "ID", "PERSON", "MODULE", "STATUS", "ISSUED");
        for (size_t i = 0; i < n; i++) {
            char issued[32];
            time_text(rows[i].issued_at, issued, sizeof issued);
            printf("%-45s %-27s ", rows[i].id, rows[i].person_id);
            cli_print_cell(stdout, rows[i].module_code, 12);
            printf(" %-10s %s\n", rows[i].revoked_at ? "revoked" : "valid", issued);
        }
        printf("\n%zu credential%s.\n", n, n == 1 ? "" : "s");
    }
    free(rows);
    env_close(&e);
    return rc;
}

static int credential_show(cli_context *ctx, credential_args *a) {
    if (a->n_pos != 1) return cli_usage_error(ctx, "needs the ID of a credential (fow credential list)");
    credential_env e;
    int rc = env_open(ctx, &e, false, false, false);
    if (rc) return rc;
    fow_credential_row row;
    fow_error err;
    fow_error_clear(&err);
    if (fow_credential_get(e.creds, a->pos[0], &row, &err)) rc = cli_fail(ctx, &err);
    else {
        if (a->out) rc = write_text_file(ctx, a->out, row.jwt);
        if (!rc) rc = print_row(ctx, &e, &row, a->out != NULL);
        free(row.jwt);
    }
    env_close(&e);
    return rc;
}

static int credential_revoke(cli_context *ctx, credential_args *a) {
    if (a->n_pos != 1) return cli_usage_error(ctx, "needs the ID of a credential (fow credential list)");
    credential_env e;
    int rc = env_open(ctx, &e, true, false, false);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    fow_credential_revoker who = {.name = e.actor, .role = FOW_ROLE_ADMIN}; /* the command line acts as admin */
    if (fow_credential_revoke(e.creds, &who, a->pos[0], a->reason, (long long)time(NULL), &err))
        rc = cli_fail(ctx, &err);
    else if (ctx->json) rc = cli_print_json(json_pack("{s:s, s:b}", "credential", a->pos[0], "revoked", 1));
    else printf("Revoked credential %s: its bit in the status list is set.\n", a->pos[0]);
    env_close(&e);
    return rc;
}

/* Verifies a->pos[0]; *v is filled (free it). e may have no database (jwks given, none there). */
static int verify_file(cli_context *ctx, credential_args *a, credential_env *e, fow_verification *v) {
    memset(v, 0, sizeof *v);
    long long now = (long long)time(NULL);
    if (a->at) {
        if (!fow_credential_parse_time(a->at, &now))
            return cli_usage_error(ctx, "--at must be a time YYYY-MM-DDTHH:MM:SSZ, not '%s'", a->at);
    }
    char *jwt = NULL, *jwks = NULL, *list = NULL;
    size_t jwt_len = 0, jwks_len = 0, list_len = 0;
    int rc = read_text_file(ctx, a->pos[0], FOW_CREDENTIAL_JWT_MAX, &jwt, &jwt_len);
    if (!rc && a->jwks) rc = read_text_file(ctx, a->jwks, 64 * 1024, &jwks, &jwks_len);
    if (!rc && a->status_list) rc = read_text_file(ctx, a->status_list, 4 * 1024 * 1024, &list, &list_len);
    fow_credential_keys keys = {0};
    fow_error err;
    fow_error_clear(&err);
    if (!rc) {
        fow_code code = jwks ? fow_credential_keys_parse(jwks, jwks_len, &keys, &err)
                             : (e->creds ? fow_credentials_keys(e->creds, &keys, &err) : FOW_OK);
        if (code) {
            snprintf(err.file, sizeof err.file, "%s", a->jwks ? a->jwks : "");
            rc = cli_fail(ctx, &err);
        }
    }
    if (!rc) {
        fow_verify_status_source src = {.local = e->creds, .list_jwt = list, .list_len = list_len};
        if (fow_credential_verify(jwt, jwt_len, &keys, &src, now, v, &err)) rc = cli_fail(ctx, &err);
    }
    fow_credential_keys_free(&keys);
    free(jwt);
    free(jwks);
    free(list);
    return rc;
}

static int credential_verify(cli_context *ctx, credential_args *a) {
    if (a->n_pos != 1) return cli_usage_error(ctx, "needs the FILE holding the credential (- for standard input)");
    credential_env e;
    memset(&e, 0, sizeof e);
    int rc = 0;
    /* the database is optional when the keys come from --jwks */
    if (!a->jwks && access(ctx->db_path, F_OK) != 0)
        return cli_usage_error(ctx, "no database at %s to take the issuer's key from: give the issuer's public keys "
                                    "with --jwks FILE (a saved /.well-known/jwks.json), or --db PATH",
                               ctx->db_path);
    if (!a->jwks || access(ctx->db_path, F_OK) == 0)
        if ((rc = env_open(ctx, &e, false, false, false))) return rc;
    fow_verification v;
    if ((rc = verify_file(ctx, a, &e, &v))) {
        fow_verification_free(&v);
        env_close(&e);
        return rc;
    }
    if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_verification_write(&w, &v);
        rc = cli_print_written(&w);
    } else {
        for (int i = 0; i < FOW_VERIFY_CHECK_COUNT; i++)
            printf("%-10s %-9s %s\n", fow_verify_check_name((fow_verify_check)i),
                   fow_verify_outcome_name(v.outcome[i]), v.message[i]);
        if (v.valid) {
            printf("\nVALID: %s\n  %s (%s)\n  issued by %s to %s, valid from %s%s%s\n", v.id, v.achievement_name,
                   v.achievement_id, v.issuer_name[0] ? v.issuer_name : v.issuer_id, v.subject, v.valid_from,
                   v.valid_until[0] ? " until " : "", v.valid_until);
            for (size_t i = 0; i < v.n_skills; i++)
                printf("  skill: %s%s%s\n", v.skills[i].name, v.skills[i].uri[0] ? "  " : "", v.skills[i].uri);
        }
    }
    if (!rc && !v.valid) {
        fow_error err;
        fow_verification_error(&v, &err);
        fprintf(stderr, "fow credential verify: %s is NOT valid: %s\n", a->pos[0], err.message);
        rc = CLI_EXIT_USER;
    }
    fow_verification_free(&v);
    env_close(&e);
    return rc;
}

static int credential_present(cli_context *ctx, credential_args *a) {
    if (a->n_pos != 1) return cli_usage_error(ctx, "needs the FILE holding the credential");
    if (!a->person) return cli_usage_error(ctx, "needs --person ID: whose profile the skills enter");
    credential_env e;
    int rc = env_open(ctx, &e, true, true, true);
    if (rc) return rc;
    fow_verification v;
    if (!(rc = verify_file(ctx, a, &e, &v))) {
        size_t added = 0, skipped = 0;
        fow_error err;
        fow_error_clear(&err);
        if (fow_credential_present(e.creds, e.people, &e.staff, fow_world_model(e.world), a->person, &v,
                                   (long long)time(NULL), &added, &skipped, &err))
            rc = cli_fail(ctx, &err);
        else if (ctx->json)
            rc = cli_print_json(json_pack("{s:s, s:s, s:I, s:I}", "person", a->person, "credential", v.id, "added",
                                          (json_int_t)added, "skipped", (json_int_t)skipped));
        else
            printf("Credential %s is valid: %zu skill%s entered the profile of %s with provenance 'credential'%s.\n",
                   v.id, added, added == 1 ? "" : "s", a->person,
                   skipped ? " (skills the taxonomy does not know were left out)" : "");
    }
    fow_verification_free(&v);
    env_close(&e);
    return rc;
}

static int credential_issuer(cli_context *ctx, credential_args *a) {
    if (a->n_pos) return cli_usage_error(ctx, "takes no positional argument");
    credential_env e;
    bool set = a->url || a->name;
    int rc = env_open(ctx, &e, set, false, false);
    if (rc) return rc;
    fow_error err;
    fow_error_clear(&err);
    if (set && fow_credentials_set_issuer(e.creds, a->url, a->name, (long long)time(NULL), &err)) {
        rc = cli_fail(ctx, &err);
    } else if (ctx->json) {
        fow_jw w;
        cli_writer_init(&w);
        fow_credentials_write_profile(e.creds, &w);
        rc = cli_print_written(&w);
    } else {
        fow_credential_issuer is;
        fow_credentials_issuer(e.creds, &is);
        printf("issuer   %s\nurl      %s\nprofile  %s/api/v1/credential-issuer\njwks     %s/.well-known/jwks.json\n"
               "key id   %s\n",
               is.name, is.url, is.url, is.url, is.kid[0] ? is.kid : "(none yet: made when the first credential is issued)");
    }
    env_close(&e);
    return rc;
}

static int credential_jwks(cli_context *ctx, credential_args *a) {
    if (a->n_pos) return cli_usage_error(ctx, "takes no positional argument");
    credential_env e;
    int rc = env_open(ctx, &e, false, false, false);
    if (rc) return rc;
    fow_jw w;
    cli_writer_init(&w);
    fow_credentials_write_jwks(e.creds, &w);
    rc = cli_print_written(&w);
    env_close(&e);
    return rc;
}

static int credential_status_list(cli_context *ctx, credential_args *a) {
    long list = 1;
    int rc = a->n_pos ? cli_parse_size(ctx, "N", a->pos[0], 1, 1000000, &list) : 0;
    if (rc) return rc;
    credential_env e;
    if ((rc = env_open(ctx, &e, true, false, false))) return rc;
    char *jwt = NULL;
    fow_error err;
    fow_error_clear(&err);
    if (fow_credentials_status_list(e.creds, (int)list, (long long)time(NULL), &jwt, &err)) rc = cli_fail(ctx, &err);
    else if (a->out) {
        rc = write_text_file(ctx, a->out, jwt);
        if (!rc && !ctx->json) printf("Wrote status list %ld (a signed VC-JWT) to %s.\n", list, a->out);
    } else
        printf("%s\n", jwt);
    free(jwt);
    env_close(&e);
    return rc;
}

int cli_credential(cli_context *ctx, int argc, char **argv) {
    static const struct {
        const char *name, *command;
        int max_pos;
        int (*run)(cli_context *, credential_args *);
    } subs[] = {
        {"issue", "credential issue", 0, credential_issue},
        {"list", "credential list", 0, credential_list},
        {"show", "credential show", 1, credential_show},
        {"revoke", "credential revoke", 1, credential_revoke},
        {"verify", "credential verify", 1, credential_verify},
        {"present", "credential present", 1, credential_present},
        {"issuer", "credential issuer", 0, credential_issuer},
        {"jwks", "credential jwks", 0, credential_jwks},
        {"status-list", "credential status-list", 1, credential_status_list},
    };
    ctx->command = "credential";
    if (argc == 0 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        fputs(credential_help, argc == 0 ? stderr : stdout);
        return argc == 0 ? CLI_EXIT_USER : 0;
    }
    int sub = -1;
    for (int s = 0; s < (int)(sizeof subs / sizeof subs[0]); s++)
        if (strcmp(argv[0], subs[s].name) == 0) sub = s;
    if (sub < 0)
        return cli_usage_error(ctx, "unknown subcommand '%s': use issue, list, show, revoke, verify, present, issuer, "
                                    "jwks or status-list",
                               argv[0]);
    ctx->command = subs[sub].command;
    credential_args a = {0};
    const cli_option options[] = {
        {"--person", &a.person, NULL},          {"--module", &a.module, NULL},
        {"--completion", &a.completion, NULL},  {"--completed-on", &a.completed_on, NULL},
        {"--result", &a.result, NULL},          {"--valid-days", &a.valid_days, NULL},
        {"--out", &a.out, NULL},                {"--reason", &a.reason, NULL},
        {"--jwks", &a.jwks, NULL},              {"--status-list", &a.status_list, NULL},
        {"--at", &a.at, NULL},                  {"--url", &a.url, NULL},
        {"--name", &a.name, NULL},              {NULL, NULL, NULL}};
    int rc = cli_parse(ctx, argc - 1, argv + 1, options, a.pos, subs[sub].max_pos, &a.n_pos);
    if (rc) return rc;
    if (ctx->help) {
        fputs(credential_help, stdout);
        return 0;
    }
    return subs[sub].run(ctx, &a);
}
