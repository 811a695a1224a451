/* bench_credentials.c — issuing and verifying verifiable credentials per
 * second, against a peer doing the same Ed25519 VC-JWT work in the same run.
 *
 *   bench_credentials [DEMO_DIR] [--rounds R] [--n N]
 *
 * Set-up: a temporary database with the demo taxonomy and learning
 * catalogue (DEMO_DIR, default data/demo), a person with consent to
 * training, one credential issued to read its payload.
 * Measured, R interleaved rounds of N operations each (medians printed):
 *   fow sign     fow_credentials_sign of the credential's payload (base64url,
 *                Ed25519 with libsodium): the JWT work alone
 *   fow verify   fow_credential_verify of the credential: format, header,
 *                key, signature, structure, dates (status left unchecked)
 *   fow issue    fow_credential_issue: the whole issuance (catalogue read,
 *                badge JSON, status list position, signing, the row written
 *                in its own transaction) — N/10 of them per round
 *   peer         bench/peers/vcjwt_peer.mjs under node: the same payload
 *                signed and the JWT verified with Node.js's crypto (OpenSSL
 *                Ed25519), timed inside the process
 * Ratios are fow / peer operations per second (above 1: fow is faster). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "credentials/fow_credentials.h"
#include "people/fow_people.h"
#include "training/fow_training.h"

static char *base64url_decode_text(const char *text, size_t len) {
    char *out = bench_xmalloc(len + 1);
    size_t n = 0;
    if (sodium_base642bin((unsigned char *)out, len, text, len, NULL, &n, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
        fprintf(stderr, "bench: the payload is not base64url\n");
        exit(1);
    }
    out[n] = '\0';
    return out;
}

int main(int argc, char **argv) {
    const char *demo = "data/demo";
    long rounds = 7, n = 2000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 1, 1000, &rounds)) return fprintf(stderr, "bad --rounds\n"), 2;
        } else if (strcmp(argv[i], "--n") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 10, 10000000, &n)) return fprintf(stderr, "bad --n\n"), 2;
        } else
            demo = argv[i];
    }
    char dir[] = "/tmp/fow-bench-creds-XXXXXX";
    if (!mkdtemp(dir)) return perror("mkdtemp"), 1;
    char db_path[256], key_path[300], people_key[300], bundle[1024], modules[1024], payload_path[300];
    snprintf(db_path, sizeof db_path, "%s/fow.db", dir);
    snprintf(bundle, sizeof bundle, "%s", demo);
    snprintf(modules, sizeof modules, "%s/modules.csv", demo);
    snprintf(payload_path, sizeof payload_path, "%s/payload.json", dir);
    fow_error err;
    fow_error_clear(&err);
    fow_db *db = NULL;
    fow_import_report report;
    fow_import_options opt = {0};
    if (fow_db_open(&db, db_path, false, &err)) bench_die("fow_db_open", &err);
    if (fow_import_bundle(db, bundle, &opt, &report, &err)) bench_die("fow_import_bundle", &err);
    if (fow_import_modules(db, modules, &opt, &report, &err)) bench_die("fow_import_modules", &err);
    fow_people *people = NULL;
    fow_credentials *creds = NULL;
    if (fow_people_key_path(db_path, people_key, sizeof people_key, &err) ||
        fow_people_open(db, people_key, &people, &err))
        bench_die("fow_people_open", &err);
    if (fow_credentials_key_path(db_path, key_path, sizeof key_path, &err) ||
        fow_credentials_open(db, key_path, true, &creds, &err))
        bench_die("fow_credentials_open", &err);
    fow_people_staff staff = {.name = "bench", .organisation = "bench", .all_organisations = true};
    char person[FOW_PERSON_ID_CHARS + 1];
    long long now = (long long)time(NULL);
    fow_person_input in = {.organisation = "bench"};
    if (fow_people_add(people, &staff, NULL, &in, now, person, &err) ||
        fow_people_consent_give(people, &staff, person, FOW_PURPOSE_TRAINING, "v1", now, &err))
        bench_die("fow_people_add", &err);
    fow_training_catalogue cat;
    if (fow_training_load(db, &cat, &err) || cat.n_modules == 0) bench_die("fow_training_load", &err);
    int64_t module_id = cat.modules[0].id;
    fow_training_free(&cat);
    fow_credential_request req = {.person_id = person, .module_id = module_id, .result = "passed",
                                  .issued_by = "bench"};
    fow_credential_row row;
    if (fow_credential_issue(creds, people, &staff, &req, now, &row, &err)) bench_die("fow_credential_issue", &err);
    const char *dot1 = strchr(row.jwt, '.'), *dot2 = strchr(dot1 + 1, '.');
    char *payload = base64url_decode_text(dot1 + 1, (size_t)(dot2 - dot1 - 1));
    size_t payload_len = strlen(payload);
    FILE *pf = fopen(payload_path, "w");
    if (!pf || fputs(payload, pf) < 0 || fclose(pf) != 0) return perror(payload_path), 1;
    fow_credential_issuer issuer;
    fow_credentials_issuer(creds, &issuer);
    char seed_hex[65] = "";
    {
        FILE *kf = fopen(key_path, "r");
        char line[256];
        while (kf && fgets(line, sizeof line, kf))
            if (strncmp(line, "ed25519-seed=", 13) == 0) snprintf(seed_hex, sizeof seed_hex, "%.64s", line + 13);
        if (kf) fclose(kf);
    }
    fow_credential_keys keys;
    if (fow_credentials_keys(creds, &keys, &err)) bench_die("fow_credentials_keys", &err);
    size_t jwt_len = strlen(row.jwt);

    double *sign_rate = bench_xmalloc((size_t)rounds * sizeof(double));
    double *verify_rate = bench_xmalloc((size_t)rounds * sizeof(double));
    double *issue_rate = bench_xmalloc((size_t)rounds * sizeof(double));
    double *peer_sign = bench_xmalloc((size_t)rounds * sizeof(double));
    double *peer_verify = bench_xmalloc((size_t)rounds * sizeof(double));
    int have_peer = system("node --version > /dev/null 2>&1") == 0;
    char peer_cmd[2048];
    snprintf(peer_cmd, sizeof peer_cmd, "node \"%s/../../bench/peers/vcjwt_peer.mjs\" %s \"%s\" \"%s\" %ld", demo,
             seed_hex, payload_path, issuer.kid, n);
    long issues = n / 10 > 0 ? n / 10 : 1;
    for (long r = 0; r < rounds; r++) {
        double t0 = bench_now_ms();
        for (long i = 0; i < n; i++) {
            char *jwt = NULL;
            if (fow_credentials_sign(creds, payload, payload_len, &jwt, &err)) bench_die("sign", &err);
            free(jwt);
        }
        sign_rate[r] = n / ((bench_now_ms() - t0) / 1e3);
        t0 = bench_now_ms();
        for (long i = 0; i < n; i++) {
            fow_verification v;
            if (fow_credential_verify(row.jwt, jwt_len, &keys, NULL, now, &v, &err)) bench_die("verify", &err);
            if (!v.valid) {
                fprintf(stderr, "bench: the credential did not verify: %s\n", v.failed_field);
                return 1;
            }
            fow_verification_free(&v);
        }
        verify_rate[r] = n / ((bench_now_ms() - t0) / 1e3);
        if (have_peer) {
            FILE *p = popen(peer_cmd, "r");
            char line[512] = "";
            if (!p || !fgets(line, sizeof line, p) || pclose(p) != 0 ||
                sscanf(line, "{\"sign_per_s\":%lf,\"verify_per_s\":%lf", &peer_sign[r], &peer_verify[r]) != 2) {
                fprintf(stderr, "bench: the peer failed (%s): %s\n", peer_cmd, line);
                have_peer = 0;
            }
        }
        t0 = bench_now_ms();
        for (long i = 0; i < issues; i++) {
            fow_credential_row issued;
            if (fow_credential_issue(creds, people, &staff, &req, now, &issued, &err)) bench_die("issue", &err);
            free(issued.jwt);
        }
        issue_rate[r] = issues / ((bench_now_ms() - t0) / 1e3);
    }
    double s = bench_median(sign_rate, (size_t)rounds), v = bench_median(verify_rate, (size_t)rounds),
           is = bench_median(issue_rate, (size_t)rounds);
    printf("bench_credentials: %ld interleaved rounds of %ld operations (issue: %ld), medians; payload %zu bytes, "
           "JWT %zu bytes\n",
           rounds, n, issues, payload_len, jwt_len);
    printf("  %-58s %12.0f /s\n", "fow sign (fow_credentials_sign, libsodium Ed25519)", s);
    printf("  %-58s %12.0f /s\n", "fow verify (fow_credential_verify: all checks but status)", v);
    printf("  %-58s %12.0f /s\n", "fow issue (fow_credential_issue: whole, with its write)", is);
    if (have_peer) {
        double ps = bench_median(peer_sign, (size_t)rounds), pv = bench_median(peer_verify, (size_t)rounds);
        printf("  %-58s %12.0f /s\n", "peer sign (Node.js crypto, OpenSSL Ed25519)", ps);
        printf("  %-58s %12.0f /s\n", "peer verify (Node.js crypto: split, parse, signature)", pv);
        printf("  ratio sign fow/peer %.2f, verify fow/peer %.2f\n", s / ps, v / pv);
    } else
        printf("  peer: node is not installed; no ratio\n");
    free(row.jwt);
    free(payload);
    fow_credential_keys_free(&keys);
    fow_credentials_close(creds);
    fow_people_close(people);
    fow_db_close(db);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf \"%s\"", dir);
    if (system(cmd) != 0) fprintf(stderr, "bench: could not remove %s\n", dir);
    free(sign_rate);
    free(verify_rate);
    free(issue_rate);
    free(peer_sign);
    free(peer_verify);
    return 0;
}
