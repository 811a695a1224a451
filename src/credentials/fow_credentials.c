/* fow_credentials.c — the issuer (key file, profile, JWK Set), issuing and
 * revoking credentials, and the status lists (fow_credentials.h). Every SQL
 * statement is in credentials_store.c. */
#include "credentials/fow_credentials.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "accounts/fow_accounts.h"
#include "credentials/credentials_internal.h"
#include "credentials/credentials_store.h"
#include "training/fow_training.h"

#define KEY_FILE_MAX 1024

struct fow_credentials {
    fow_db *db;
    bool signing;
    unsigned char secret[crypto_sign_SECRETKEYBYTES]; /* seed + public key (libsodium's form) */
    unsigned char subject_key[32];                    /* keyed hash of person ids (pseudonyms) */
    unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
    fow_credential_issuer issuer;
};

/* ---- base64url ----------------------------------------------------------------- */

char *fow_base64url_encode(const unsigned char *data, size_t n) {
    size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = malloc(cap);
    if (out) sodium_bin2base64(out, cap, data, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

bool credentials_base64url_decode(const char *text, size_t len, unsigned char *out, size_t cap, size_t *n) {
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
              ch == '_'))
            return false;
    }
    const char *end = NULL;
    return sodium_base642bin(out, cap, text, len, NULL, n, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 &&
           end == text + len;
}

void credentials_copy(char *dst, size_t cap, const char *src) {
    size_t n = strlen(src);
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* ---- times ----------------------------------------------------------------------- */

void credentials_format_time(long long t, char out[32]) {
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Days from 1970-01-01 of a civil date (proleptic Gregorian). */
static long long days_from_civil(long long y, unsigned m, unsigned d) {
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

static bool two_digits(const char *s, unsigned *v) {
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9') return false;
    *v = (unsigned)((s[0] - '0') * 10 + (s[1] - '0'));
    return true;
}

bool credentials_parse_date(const char *s, long long *days) {
    unsigned y1, y2, m, d;
    if (strlen(s) < 10 || s[4] != '-' || s[7] != '-' || !two_digits(s, &y1) || !two_digits(s + 2, &y2) ||
        !two_digits(s + 5, &m) || !two_digits(s + 8, &d) || m < 1 || m > 12 || d < 1)
        return false;
    static const unsigned month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned y = y1 * 100 + y2;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > month_days[m - 1] || (m == 2 && d == 29 && !leap)) return false;
    *days = days_from_civil(y, m, d);
    return true;
}

bool credentials_parse_time(const char *s, long long *t) {
    long long days;
    unsigned hh, mm, ss;
    size_t n = strlen(s);
    if (n < 20 || !credentials_parse_date(s, &days) || s[10] != 'T' || !two_digits(s + 11, &hh) || s[13] != ':' ||
        !two_digits(s + 14, &mm) || s[16] != ':' || !two_digits(s + 17, &ss) || hh > 23 || mm > 59 || ss > 60)
        return false;
    const char *rest = s + 19;
    if (*rest == '.') { /* fractions of a second are ignored */
        rest++;
        if (*rest < '0' || *rest > '9') return false;
        while (*rest >= '0' && *rest <= '9') rest++;
    }
    long long offset = 0;
    if (*rest == 'Z' && rest[1] == '\0') offset = 0;
    else if ((*rest == '+' || *rest == '-') && strlen(rest) == 6 && rest[3] == ':') {
        unsigned oh, om;
        if (!two_digits(rest + 1, &oh) || !two_digits(rest + 4, &om) || oh > 23 || om > 59) return false;
        offset = (long long)(oh * 3600 + om * 60) * (*rest == '+' ? 1 : -1);
    } else
        return false;
    *t = days * 86400 + hh * 3600 + mm * 60 + ss - offset;
    return true;
}

bool fow_credential_parse_time(const char *text, long long *t) { return text && credentials_parse_time(text, t); }

/* ---- the key file ------------------------------------------------------------------ */

fow_code fow_credentials_key_path(const char *db_path, char *buf, size_t cap, fow_error *err) {
    int n = snprintf(buf, cap, "%s%s", db_path ? db_path : "", FOW_CREDENTIAL_KEY_SUFFIX);
    if (!db_path || !db_path[0] || n < 0 || (size_t)n >= cap)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "key",
                                "the database path is empty or too long for its issuer key file");
    return FOW_OK;
}

static fow_code read_key_file(fow_credentials *c, const char *path, fow_error *err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fow_error_set_at(err, FOW_EIO, path, 0, 0, "key", "cannot open the issuer key file: %s",
                                strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return fow_error_set_at(err, FOW_EIO, path, 0, 0, "key", "the issuer key file is not a regular file");
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        close(fd);
        return fow_error_set_at(err, FOW_EINPUT, path, 0, 0, "key",
                                "the issuer key file may be read by others (mode %03o): make it readable by its "
                                "owner only (chmod 600)",
                                (unsigned)(st.st_mode & 0777));
    }
    char text[KEY_FILE_MAX + 1];
    ssize_t n = read(fd, text, KEY_FILE_MAX);
    close(fd);
    if (n < 0)
        return fow_error_set_at(err, FOW_EIO, path, 0, 0, "key", "cannot read the issuer key file: %s",
                                strerror(errno));
    text[n] = '\0';
    bool have_seed = false;
    unsigned char seed[crypto_sign_SEEDBYTES];
    fow_code rc = FOW_OK;
    long line_no = 0;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line && !rc; line = strtok_r(NULL, "\n", &save)) {
        line_no++;
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r') line[--len] = '\0';
        if (len == 0 || line[0] == '#') continue;
        size_t got = 0;
        if (strncmp(line, "ed25519-seed=", 13) != 0 || strlen(line + 13) != 2 * sizeof seed ||
            sodium_hex2bin(seed, sizeof seed, line + 13, 2 * sizeof seed, NULL, &got, NULL) != 0 ||
            got != sizeof seed)
            rc = fow_error_set_at(err, FOW_EINPUT, path, line_no, 1, "key",
                                  "the issuer key file is malformed: it holds one line ed25519-seed=HEX "
                                  "(64 hexadecimal digits)");
        else
            have_seed = true;
    }
    sodium_memzero(text, sizeof text);
    if (!rc && !have_seed)
        rc = fow_error_set_at(err, FOW_EINPUT, path, 0, 0, "key", "the issuer key file lacks its ed25519-seed= line");
    if (!rc) crypto_sign_seed_keypair(c->public_key, c->secret, seed);
    sodium_memzero(seed, sizeof seed);
    return rc;
}

/* Makes a new key file (O_EXCL, 0600); *exists when another process won. */
static fow_code create_key_file(const char *path, bool *exists, fow_error *err) {
    *exists = false;
    unsigned char seed[crypto_sign_SEEDBYTES];
    randombytes_buf(seed, sizeof seed);
    char hex[2 * sizeof seed + 1], text[KEY_FILE_MAX];
    sodium_bin2hex(hex, sizeof hex, seed, sizeof seed);
    sodium_memzero(seed, sizeof seed);
    int len = snprintf(text, sizeof text,
                       "# fow credential issuer key: signs the credentials of the database next to it (Ed25519).\n"
                       "# Keep it secret, readable by its owner only, and back it up apart from the database:\n"
                       "# without it no credential can be issued or revoked under this issuer (docs/credentials.md).\n"
                       "ed25519-seed=%s\n",
                       hex);
    sodium_memzero(hex, sizeof hex);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        sodium_memzero(text, sizeof text);
        if (errno == EEXIST) {
            *exists = true;
            return FOW_OK;
        }
        return fow_error_set_at(err, FOW_EIO, path, 0, 0, "key", "cannot make the issuer key file: %s",
                                strerror(errno));
    }
    bool ok = write(fd, text, (size_t)len) == len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    sodium_memzero(text, sizeof text);
    if (!ok) {
        unlink(path);
        return fow_error_set_at(err, FOW_EIO, path, 0, 0, "key", "cannot write the issuer key file: %s",
                                strerror(errno));
    }
    return FOW_OK;
}

/* The RFC 7638 thumbprint of an Ed25519 public key, base64url. */
static void key_thumbprint(const unsigned char pk[32], char kid[FOW_CREDENTIAL_KID_CHARS + 1]) {
    char x[48];
    sodium_bin2base64(x, sizeof x, pk, 32, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char canonical[128];
    int n = snprintf(canonical, sizeof canonical, "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"%s\"}", x);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)canonical, (unsigned long long)n);
    sodium_bin2base64(kid, FOW_CREDENTIAL_KID_CHARS + 1, h, sizeof h, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static fow_code load_issuer(fow_credentials *c, fow_error *err) {
    char url[256], name[256];
    bool found;
    fow_code rc = credentials_store_issuer(c->db, url, name, sizeof url, &found, err);
    if (rc) return rc;
    credentials_copy(c->issuer.url, sizeof c->issuer.url, found ? url : FOW_CREDENTIAL_DEFAULT_URL);
    credentials_copy(c->issuer.name, sizeof c->issuer.name, found ? name : FOW_CREDENTIAL_DEFAULT_NAME);
    char kid[128], pk[128];
    rc = credentials_store_key(c->db, kid, pk, sizeof kid, &c->issuer.key_created_at, &found, err);
    if (rc) return rc;
    c->issuer.kid[0] = c->issuer.public_key[0] = '\0';
    if (found) {
        credentials_copy(c->issuer.kid, sizeof c->issuer.kid, kid);
        credentials_copy(c->issuer.public_key, sizeof c->issuer.public_key, pk);
    }
    return FOW_OK;
}

fow_code fow_credentials_open(fow_db *db, const char *key_path, bool signing, fow_credentials **out,
                              fow_error *err) {
    *out = NULL;
    if (sodium_init() < 0) return fow_error_set(err, FOW_EINTERNAL, "libsodium could not be initialised");
    if (signing && db->read_only)
        return fow_error_set(err, FOW_EINTERNAL, "issuing credentials needs the database opened for writing");
    fow_credentials *c = sodium_malloc(sizeof *c);
    if (!c) return fow_error_set(err, FOW_ENOMEM, "out of memory opening the credentials");
    memset(c, 0, sizeof *c);
    c->db = db;
    c->signing = signing;
    fow_code rc = load_issuer(c, err);
    if (!rc && signing) {
        bool has_key = c->issuer.kid[0] != '\0';
        if (!key_path || !key_path[0])
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "key", "the issuer key file's path is required");
        else if (access(key_path, F_OK) != 0) {
            if (has_key)
                rc = fow_error_set_at(err, FOW_EIO, key_path, 0, 0, "key",
                                      "the issuer key file is missing, and this database's credentials were signed "
                                      "with it: restore it from its backup (docs/credentials.md)");
            else {
                bool exists;
                rc = create_key_file(key_path, &exists, err);
            }
        }
        if (!rc) rc = read_key_file(c, key_path, err);
        if (!rc) {
            char kid[FOW_CREDENTIAL_KID_CHARS + 1];
            key_thumbprint(c->public_key, kid);
            if (!has_key) {
                char *pk = fow_base64url_encode(c->public_key, sizeof c->public_key);
                if (!pk) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
                else {
                    rc = fow_db_begin(db, err);
                    if (!rc) rc = credentials_store_key_put(db, kid, pk, (long long)time(NULL), err);
                    if (!rc) rc = fow_db_commit(db, err);
                    else fow_db_rollback(db);
                    free(pk);
                }
                if (!rc) rc = load_issuer(c, err);
            } else if (strcmp(kid, c->issuer.kid) != 0)
                rc = fow_error_set_at(err, FOW_EINPUT, key_path, 0, 0, "key",
                                      "this issuer key file is not the key of this database's credentials (key id "
                                      "%s, the database's is %s): use the key file kept with this database",
                                      kid, c->issuer.kid);
        }
        if (!rc) {
            static const char context[] = "fow credential subject pseudonyms, version 1";
            crypto_generichash(c->subject_key, sizeof c->subject_key, (const unsigned char *)context,
                               sizeof context - 1, c->secret, crypto_sign_SEEDBYTES);
        }
    } else if (!rc && c->issuer.public_key[0]) {
        size_t n = 0;
        if (!credentials_base64url_decode(c->issuer.public_key, strlen(c->issuer.public_key), c->public_key,
                                          sizeof c->public_key, &n) ||
            n != sizeof c->public_key)
            rc = fow_error_set(err, FOW_EDB, "the issuer's public key in the database is damaged");
    }
    if (rc) {
        fow_credentials_close(c);
        return rc;
    }
    *out = c;
    return FOW_OK;
}

void fow_credentials_close(fow_credentials *c) {
    if (c) sodium_free(c); /* sodium_free wipes the memory */
}

fow_db *credentials_db(const fow_credentials *c) { return c->db; }

void fow_credentials_issuer(const fow_credentials *c, fow_credential_issuer *out) { *out = c->issuer; }

static bool plain_text(const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f) return false;
    return true;
}

fow_code fow_credentials_set_issuer(fow_credentials *c, const char *url, const char *name, long long now,
                                    fow_error *err) {
    if (c->db->read_only) return fow_error_set(err, FOW_EINTERNAL, "the database is opened read-only");
    if (url) {
        size_t n = strlen(url);
        bool scheme = strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0;
        const char *host = scheme ? strstr(url, "//") + 2 : url;
        if (!scheme || !*host || n > FOW_CREDENTIAL_URL_MAX || url[n - 1] == '/' || strpbrk(url, "?# \"\\<>") ||
            !plain_text(url))
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "url",
                                    "the issuer URL must be http:// or https:// and a host, without a query, "
                                    "fragment, spaces or a trailing '/', up to %d bytes: '%.80s'",
                                    FOW_CREDENTIAL_URL_MAX, url);
    }
    if (name && (!name[0] || strlen(name) > FOW_CREDENTIAL_NAME_MAX || !plain_text(name)))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "name",
                                "the issuer name must be 1 to %d bytes without control characters",
                                FOW_CREDENTIAL_NAME_MAX);
    fow_code rc = fow_db_begin(c->db, err);
    if (rc) return rc;
    rc = credentials_store_issuer_put(c->db, url ? url : c->issuer.url, name ? name : c->issuer.name, now, err);
    if (!rc) rc = fow_db_commit(c->db, err);
    else fow_db_rollback(c->db);
    if (!rc) rc = load_issuer(c, err);
    return rc;
}

/* ---- signing ------------------------------------------------------------------------ */

fow_code fow_credentials_sign(const fow_credentials *c, const char *payload, size_t len, char **jwt,
                              fow_error *err) {
    *jwt = NULL;
    if (!c->signing) return fow_error_set(err, FOW_EINTERNAL, "the credentials were opened without the issuer key");
    char header[160];
    int hn = snprintf(header, sizeof header, "{\"alg\":\"EdDSA\",\"typ\":\"vc+jwt\",\"kid\":\"%s\"}", c->issuer.kid);
    char *h64 = fow_base64url_encode((const unsigned char *)header, (size_t)hn);
    char *p64 = fow_base64url_encode((const unsigned char *)payload, len);
    size_t hl = h64 ? strlen(h64) : 0, pl = p64 ? strlen(p64) : 0;
    size_t sig_chars = sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = (h64 && p64) ? malloc(hl + 1 + pl + 1 + sig_chars) : NULL;
    if (!out) {
        free(h64);
        free(p64);
        return fow_error_set(err, FOW_ENOMEM, "out of memory signing a credential");
    }
    memcpy(out, h64, hl);
    out[hl] = '.';
    memcpy(out + hl + 1, p64, pl);
    size_t signed_len = hl + 1 + pl;
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, (const unsigned char *)out, signed_len, c->secret);
    out[signed_len] = '.';
    sodium_bin2base64(out + signed_len + 1, sig_chars, sig, sizeof sig, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    free(h64);
    free(p64);
    *jwt = out;
    return FOW_OK;
}

/* ---- pseudonyms, ids -------------------------------------------------------------------- */

void credentials_subject_of(const fow_credentials *c, const char *person_id,
                            char out[FOW_CREDENTIAL_SUBJECT_CHARS + 1]) {
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)person_id, strlen(person_id), c->subject_key,
                       sizeof c->subject_key);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(out, FOW_CREDENTIAL_SUBJECT_CHARS + 1, "urn:fow:subject:%s", hex);
}

bool credentials_can_sign(const fow_credentials *c) { return c->signing; }

static void new_uuid(char out[FOW_CREDENTIAL_ID_CHARS + 1]) {
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, FOW_CREDENTIAL_ID_CHARS + 1,
             "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3],
             b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* "urn:uuid:" + 36, or the 36 alone, into the stored form; false when neither. */
bool credentials_normalise_id(const char *id, char out[FOW_CREDENTIAL_ID_CHARS + 1]) {
    if (!id) return false;
    if (strncmp(id, "urn:uuid:", 9) == 0) id += 9;
    if (strlen(id) != 36) return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        char ch = id[i];
        if (dash ? ch != '-' : !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
    }
    snprintf(out, FOW_CREDENTIAL_ID_CHARS + 1, "urn:uuid:%s", id);
    return true;
}

void credentials_status_url(const fow_credentials *c, int list, char *out, size_t cap) {
    snprintf(out, cap, "%s/api/v1/credential-status/%d", c->issuer.url, list);
}

void credentials_profile_url(const fow_credentials *c, char *out, size_t cap) {
    snprintf(out, cap, "%s/api/v1/credential-issuer", c->issuer.url);
}

/* ---- issuing ---------------------------------------------------------------------------- */

static void write_contexts(fow_jw *w, bool badge) {
    fow_jw_key(w, "@context");
    fow_jw_array(w);
    fow_jw_string(w, "https://www.w3.org/ns/credentials/v2");
    if (badge) {
        fow_jw_string(w, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
        /* the terms fow adds to an Achievement, defined inline (VC 2.0 allows context objects) */
        fow_jw_object(w);
        fow_jw_kstring(w, "fow", "https://fow.city/ns/credentials#");
        fow_jw_kstring(w, "hours", "fow:hours");
        fow_jw_kstring(w, "nameRo", "fow:nameRo");
        fow_jw_kstring(w, "descriptionRo", "fow:descriptionRo");
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
}

static void write_issuer(fow_jw *w, const fow_credentials *c) {
    char profile[FOW_CREDENTIAL_URL_MAX + 64];
    credentials_profile_url(c, profile, sizeof profile);
    fow_jw_key(w, "issuer");
    fow_jw_object(w);
    fow_jw_kstring(w, "id", profile);
    fow_jw_key(w, "type");
    fow_jw_array(w);
    fow_jw_string(w, "Profile");
    fow_jw_array_end(w);
    fow_jw_kstring(w, "name", c->issuer.name);
    fow_jw_object_end(w);
}

/* The OpenBadgeCredential of row r for module m, as compact JSON into w. */
static void write_badge(fow_jw *w, const fow_credentials *c, const fow_credential_row *r,
                        const fow_training_module *m) {
    char t[32], status_url[FOW_CREDENTIAL_URL_MAX + 64];
    fow_jw_object(w);
    write_contexts(w, true);
    fow_jw_kstring(w, "id", r->id);
    fow_jw_key(w, "type");
    fow_jw_array(w);
    fow_jw_string(w, "VerifiableCredential");
    fow_jw_string(w, "OpenBadgeCredential");
    fow_jw_array_end(w);
    fow_jw_kstring(w, "name", m->title_en);
    write_issuer(w, c);
    credentials_format_time(r->issued_at, t);
    fow_jw_kstring(w, "validFrom", t);
    if (r->valid_until) {
        credentials_format_time(r->valid_until, t);
        fow_jw_kstring(w, "validUntil", t);
    }
    fow_jw_key(w, "credentialSubject");
    fow_jw_object(w);
    fow_jw_kstring(w, "id", r->subject);
    fow_jw_key(w, "type");
    fow_jw_array(w);
    fow_jw_string(w, "AchievementSubject");
    fow_jw_array_end(w);
    fow_jw_kstring(w, "activityEndDate", r->completed_on);
    if (r->result[0]) {
        fow_jw_key(w, "result");
        fow_jw_array(w);
        fow_jw_object(w);
        fow_jw_key(w, "type");
        fow_jw_array(w);
        fow_jw_string(w, "Result");
        fow_jw_array_end(w);
        fow_jw_kstring(w, "value", r->result);
        fow_jw_object_end(w);
        fow_jw_array_end(w);
    }
    fow_jw_key(w, "achievement");
    fow_jw_object(w);
    char achievement_id[160];
    snprintf(achievement_id, sizeof achievement_id, "urn:fow:module:%s", m->code);
    fow_jw_kstring(w, "id", achievement_id);
    fow_jw_key(w, "type");
    fow_jw_array(w);
    fow_jw_string(w, "Achievement");
    fow_jw_array_end(w);
    fow_jw_kstring(w, "achievementType", "Course");
    fow_jw_kstring(w, "humanCode", m->code);
    fow_jw_kstring(w, "name", m->title_en);
    fow_jw_kstring(w, "nameRo", m->title_ro);
    fow_jw_kstring(w, "description", m->description_en[0] ? m->description_en : m->title_en);
    fow_jw_kstring(w, "descriptionRo", m->description_ro[0] ? m->description_ro : m->title_ro);
    fow_jw_kreal(w, "hours", m->hours);
    fow_jw_kstring(w, "inLanguage", m->language);
    fow_jw_key(w, "criteria");
    fow_jw_object(w);
    char narrative[600];
    snprintf(narrative, sizeof narrative, "Completed the %g-hour module %s (%s) of %s%s%s.", m->hours, m->code,
             m->mode, m->provider, r->result[0] ? ", assessed: " : "", r->result);
    fow_jw_kstring(w, "narrative", narrative);
    fow_jw_object_end(w);
    fow_jw_key(w, "creator");
    fow_jw_object(w);
    char provider_id[300];
    snprintf(provider_id, sizeof provider_id, "urn:fow:provider:%s", m->provider);
    for (char *p = provider_id; *p; p++)
        if (*p == ' ') *p = '_';
    fow_jw_kstring(w, "id", provider_id);
    fow_jw_key(w, "type");
    fow_jw_array(w);
    fow_jw_string(w, "Profile");
    fow_jw_array_end(w);
    fow_jw_kstring(w, "name", m->provider);
    fow_jw_object_end(w);
    fow_jw_key(w, "alignment");
    fow_jw_array(w);
    for (size_t i = 0; i < m->n_links; i++) {
        const fow_training_link *l = &m->links[i];
        if (l->kind != FOW_TRAINING_TEACHES) continue;
        fow_jw_object(w);
        fow_jw_key(w, "type");
        fow_jw_array(w);
        fow_jw_string(w, "Alignment");
        fow_jw_array_end(w);
        fow_jw_kstring(w, "targetName", l->label);
        if (l->uri && l->uri[0]) {
            bool esco = strncmp(l->uri, "http://data.europa.eu/esco/", 27) == 0;
            fow_jw_kstring(w, "targetUrl", l->uri);
            fow_jw_kstring(w, "targetFramework", esco ? "ESCO" : "fow taxonomy");
            if (esco) fow_jw_kstring(w, "targetType", "ext:ESCOSkill");
        } else {
            char own[300];
            snprintf(own, sizeof own, "urn:fow:skill:%s", l->label);
            for (char *p = own; *p; p++)
                if (*p == ' ') *p = '_';
            fow_jw_kstring(w, "targetUrl", own);
            fow_jw_kstring(w, "targetFramework", "fow city skills");
        }
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_object_end(w); /* achievement */
    fow_jw_object_end(w); /* credentialSubject */
    credentials_status_url(c, r->status_list, status_url, sizeof status_url);
    fow_jw_key(w, "credentialStatus");
    fow_jw_object(w);
    char entry_id[FOW_CREDENTIAL_URL_MAX + 96];
    snprintf(entry_id, sizeof entry_id, "%s#%ld", status_url, r->status_index);
    fow_jw_kstring(w, "id", entry_id);
    fow_jw_kstring(w, "type", "BitstringStatusListEntry");
    fow_jw_kstring(w, "statusPurpose", "revocation");
    char index_text[24];
    snprintf(index_text, sizeof index_text, "%ld", r->status_index);
    fow_jw_kstring(w, "statusListIndex", index_text);
    fow_jw_kstring(w, "statusListCredential", status_url);
    fow_jw_object_end(w);
    /* the JWT claims of the same facts, for JWT libraries */
    credentials_profile_url(c, status_url, sizeof status_url);
    fow_jw_kstring(w, "iss", status_url);
    fow_jw_kstring(w, "jti", r->id);
    fow_jw_kstring(w, "sub", r->subject);
    fow_jw_kint(w, "iat", r->issued_at);
    fow_jw_kint(w, "nbf", r->issued_at);
    if (r->valid_until) fow_jw_kint(w, "exp", r->valid_until);
    fow_jw_object_end(w);
}

/* A random free position of the last list (a new list when it is full). */
static fow_code choose_position(fow_credentials *c, int *list, long *index, fow_error *err) {
    fow_code rc = credentials_store_last_list(c->db, list, err);
    if (rc) return rc;
    if (*list == 0) *list = 1;
    long long used;
    if ((rc = credentials_store_list_count(c->db, *list, &used, err))) return rc;
    /* a list is closed at three quarters full, so that a random free position is found quickly */
    if (used >= (long long)FOW_CREDENTIAL_STATUS_LIST_BITS * 3 / 4) (*list)++;
    for (int attempt = 0; attempt < 64; attempt++) {
        long candidate = (long)randombytes_uniform(FOW_CREDENTIAL_STATUS_LIST_BITS);
        bool taken;
        if ((rc = credentials_store_position_taken(c->db, *list, candidate, &taken, err))) return rc;
        if (!taken) {
            *index = candidate;
            return FOW_OK;
        }
    }
    return fow_error_set(err, FOW_EINTERNAL, "no free position found in status list %d", *list);
}

static bool safe_token(const char *s, size_t max) {
    size_t n = strlen(s);
    if (n > max) return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
              ch == '_' || ch == '.' || ch == ':'))
            return false;
    }
    return true;
}

fow_code fow_credential_issue(fow_credentials *c, fow_people *people, const fow_people_staff *staff,
                              const fow_credential_request *req, long long now, fow_credential_row *out,
                              fow_error *err) {
    if (out) memset(out, 0, sizeof *out);
    if (!c->signing) return fow_error_set(err, FOW_EINTERNAL, "the credentials were opened without the issuer key");
    fow_credential_row r;
    memset(&r, 0, sizeof r);
    if (!req->person_id || strlen(req->person_id) != FOW_PERSON_ID_CHARS)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person",
                                "person must be a person's id (p and 26 letters and digits)");
    if (people) {
        fow_code rc = fow_people_require_consent(people, staff, req->person_id, FOW_PURPOSE_TRAINING, err);
        if (rc) return rc;
    }
    const char *completion = req->completion_id ? req->completion_id : "";
    if (!safe_token(completion, 64))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "completion",
                                "completion must be up to 64 letters, digits, '-', '_', '.' or ':'");
    const char *result = req->result ? req->result : "";
    if (strlen(result) > 64 || !plain_text(result))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "result",
                                "result must be up to 64 bytes without control characters");
    if (req->valid_days < 0 || req->valid_days > 36600)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "valid_days",
                                "valid days must be 0 (no end) to 36600, not %d", req->valid_days);
    char today[32];
    credentials_format_time(now, today);
    today[10] = '\0';
    const char *completed_on = req->completed_on && req->completed_on[0] ? req->completed_on : today;
    long long days;
    if (strlen(completed_on) != 10 || !credentials_parse_date(completed_on, &days))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "completed_on",
                                "the completion date must be a date YYYY-MM-DD, not '%.40s'", completed_on);
    if (days * 86400 > now)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "completed_on",
                                "the completion date %s is in the future", completed_on);
    fow_training_catalogue cat;
    fow_code rc = fow_training_load(c->db, &cat, err);
    if (rc) {
        fow_training_free(&cat);
        return rc;
    }
    const fow_training_module *m = fow_training_module_by_id(&cat, req->module_id);
    if (!m) {
        fow_training_free(&cat);
        return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "module",
                                "no module with id %lld in the learning catalogue", (long long)req->module_id);
    }
    new_uuid(r.id);
    credentials_copy(r.person_id, sizeof r.person_id, req->person_id);
    credentials_subject_of(c, req->person_id, r.subject);
    r.module_id = m->id;
    credentials_copy(r.module_code, sizeof r.module_code, m->code);
    credentials_copy(r.title_en, sizeof r.title_en, m->title_en);
    credentials_copy(r.title_ro, sizeof r.title_ro, m->title_ro);
    credentials_copy(r.completion_id, sizeof r.completion_id, completion);
    credentials_copy(r.completed_on, sizeof r.completed_on, completed_on);
    credentials_copy(r.result, sizeof r.result, result);
    r.issued_at = now;
    credentials_copy(r.issued_by, sizeof r.issued_by, req->issued_by ? req->issued_by : "");
    r.valid_until = req->valid_days ? now + (long long)req->valid_days * 86400 : 0;
    if ((rc = fow_db_begin(c->db, err))) {
        fow_training_free(&cat);
        return rc;
    }
    /* the consent again, inside the write transaction: a withdrawal committed since the check above is seen */
    if (people) rc = fow_people_require_consent(people, staff, req->person_id, FOW_PURPOSE_TRAINING, err);
    if (!rc) rc = choose_position(c, &r.status_list, &r.status_index, err);
    if (!rc) {
        fow_jw w;
        fow_jw_init(&w, 0);
        write_badge(&w, c, &r, m);
        size_t len;
        const char *payload = fow_jw_text(&w, &len);
        if (fow_jw_failed(&w) || !payload) rc = fow_error_set(err, FOW_ENOMEM, "out of memory writing a credential");
        else rc = fow_credentials_sign(c, payload, len, &r.jwt, err);
        fow_jw_free(&w);
    }
    fow_training_free(&cat);
    if (!rc) rc = credentials_store_add(c->db, &r, c->issuer.kid, err);
    if (!rc) rc = fow_db_commit(c->db, err);
    else fow_db_rollback(c->db);
    if (rc) {
        free(r.jwt);
        return rc;
    }
    if (out) *out = r;
    else free(r.jwt);
    return FOW_OK;
}

fow_code fow_credential_issue_completion(const char *db_path, const fow_completion *done, const char *issued_by,
                                         long long now, fow_completion_credential *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    fow_code rc = FOW_OK;
    if (!done->passed)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "result", "a failed assessment earns no credential");
    fow_db *db = NULL;
    fow_credentials *c = NULL;
    fow_training_catalogue cat;
    memset(&cat, 0, sizeof cat);
    char key_path[4096];
    if (!rc) rc = fow_db_open(&db, db_path, false, err);
    if (!rc) rc = fow_credentials_key_path(db_path, key_path, sizeof key_path, err);
    if (!rc) rc = fow_credentials_open(db, key_path, true, &c, err);
    if (!rc) rc = fow_training_load(db, &cat, err);
    const fow_training_module *m = rc ? NULL : fow_training_module_by_code(&cat, done->module);
    if (!rc && !m)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "module",
                              "module %s is no longer in the learning catalogue", done->module);
    if (!rc) {
        char completion[64], result[64];
        snprintf(completion, sizeof completion, "cohort:%lld:enrolment:%lld", (long long)done->cohort_id,
                 (long long)done->enrolment_id);
        if (done->has_score) snprintf(result, sizeof result, "passed (score %g of 100)", done->score);
        else snprintf(result, sizeof result, "passed");
        fow_credential_request req = {.person_id = done->person, .module_id = m->id, .completion_id = completion,
                                      .completed_on = done->completed_on, .result = result,
                                      .issued_by = issued_by};
        fow_credential_row row;
        rc = fow_credential_issue(c, NULL, NULL, &req, now, &row, err);
        if (!rc) {
            out->issued = true;
            credentials_copy(out->id, sizeof out->id, row.id);
            snprintf(out->verify_url, sizeof out->verify_url, "%.200s/#/credential/%.36s", c->issuer.url,
                     row.id + 9);
            free(row.jwt);
        }
    }
    if (rc) credentials_copy(out->message, sizeof out->message, err->message);
    fow_training_free(&cat);
    fow_credentials_close(c);
    fow_db_close(db);
    return rc;
}

/* Inside the revocation's transaction: FOW_OK when who may revoke row
 * (fow_credential_revoke says who), else FOW_EINPUT, field "role". */
static fow_code may_revoke(fow_credentials *c, const fow_credential_revoker *who, const fow_credential_row *row,
                           fow_error *err) {
    fow_role role = who ? (fow_role)who->role : FOW_ROLE_NONE;
    if (!fow_role_allows(role, FOW_PERM_REVOKE_CREDENTIALS))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "role", "this role may not revoke credentials");
    if (role == FOW_ROLE_ADMIN || role == FOW_ROLE_PROGRAMME_MANAGER) return FOW_OK;
    if (role == FOW_ROLE_PROVIDER) {
        int64_t provider = 0;
        fow_code rc = fow_training_provider_of_code(c->db, row->module_code, &provider, err);
        if (rc) return rc;
        if (fow_access_provider(role, who->provider_id, provider)) return FOW_OK;
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "role",
                                "credential %s is for a module of another training provider: its staff, the programme "
                                "manager or an administrator may revoke it",
                                row->id);
    }
    if (role == FOW_ROLE_COUNSELLOR && who->people && who->staff) {
        fow_error inner;
        fow_error_clear(&inner);
        fow_code rc = fow_people_visible(who->people, who->staff, row->person_id, &inner);
        if (rc == FOW_OK) return FOW_OK;
        if (rc != FOW_ENOTFOUND) {
            if (err) *err = inner;
            return rc;
        }
    }
    return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "role",
                            "credential %s is of a person another organisation serves: their counsellors, the "
                            "programme manager or an administrator may revoke it",
                            row->id);
}

fow_code fow_credential_revoke(fow_credentials *c, const fow_credential_revoker *who, const char *id,
                               const char *reason, long long now, fow_error *err) {
    const char *by = who && who->name ? who->name : "";
    char norm[FOW_CREDENTIAL_ID_CHARS + 1];
    if (!credentials_normalise_id(id, norm))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "credential",
                                "a credential id is urn:uuid: and 36 lower-case hex digits and dashes, not '%.60s'",
                                id ? id : "");
    if (!reason || !reason[0] || strlen(reason) > 200 || !plain_text(reason))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "reason",
                                "a reason (1 to 200 bytes, no control characters) is required to revoke");
    fow_code rc = fow_db_begin(c->db, err);
    if (rc) return rc;
    fow_credential_row row;
    bool found = false, changed = false;
    rc = credentials_store_get(c->db, norm, false, &row, &found, err);
    if (!rc && !found)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "credential", "no credential %s was issued here", norm);
    if (!rc) rc = may_revoke(c, who, &row, err);
    if (!rc) rc = credentials_store_revoke(c->db, norm, by, reason, now, &changed, err);
    if (!rc && !changed) {
        char t[32];
        credentials_format_time(row.revoked_at, t);
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "credential", "credential %s was revoked already, at %s",
                              norm, t);
    }
    if (!rc) rc = fow_db_commit(c->db, err);
    else fow_db_rollback(c->db);
    return rc;
}

fow_code fow_credential_get(fow_credentials *c, const char *id, fow_credential_row *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    char norm[FOW_CREDENTIAL_ID_CHARS + 1];
    if (!credentials_normalise_id(id, norm))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "credential",
                                "a credential id is urn:uuid: and 36 lower-case hex digits and dashes, not '%.60s'",
                                id ? id : "");
    bool found;
    fow_code rc = credentials_store_get(c->db, norm, true, out, &found, err);
    if (!rc && !found)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "credential", "no credential %s was issued here", norm);
    return rc;
}

fow_code fow_credential_list(fow_credentials *c, const char *person_id, fow_credential_row **out, size_t *n,
                             fow_error *err) {
    return credentials_store_list(c->db, person_id, out, n, err);
}

fow_code fow_credentials_valid_of(fow_db *db, const char *person_id, long long now, fow_credential_row **out,
                                  size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    if (!person_id || !*person_id) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person", "a person is required");
    fow_credential_row *all = NULL;
    size_t count = 0;
    fow_code rc = credentials_store_list(db, person_id, &all, &count, err);
    if (rc) return rc;
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        const fow_credential_row *r = &all[i];
        if (r->revoked_at != 0 || r->issued_at > now || (r->valid_until != 0 && r->valid_until <= now)) continue;
        if (kept != i) all[kept] = *r;
        kept++;
    }
    if (kept == 0) {
        free(all);
        all = NULL;
    }
    *out = all;
    *n = kept;
    return FOW_OK;
}

/* ---- publication ------------------------------------------------------------------------- */

void fow_credentials_write_jwks(const fow_credentials *c, fow_jw *w) {
    fow_jw_object(w);
    fow_jw_key(w, "keys");
    fow_jw_array(w);
    if (c->issuer.kid[0]) {
        fow_jw_object(w);
        fow_jw_kstring(w, "kty", "OKP");
        fow_jw_kstring(w, "crv", "Ed25519");
        fow_jw_kstring(w, "x", c->issuer.public_key);
        fow_jw_kstring(w, "kid", c->issuer.kid);
        fow_jw_kstring(w, "alg", "EdDSA");
        fow_jw_kstring(w, "use", "sig");
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_object_end(w);
}

void fow_credentials_write_profile(const fow_credentials *c, fow_jw *w) {
    char profile[FOW_CREDENTIAL_URL_MAX + 64], jwks[FOW_CREDENTIAL_URL_MAX + 64];
    credentials_profile_url(c, profile, sizeof profile);
    snprintf(jwks, sizeof jwks, "%s/.well-known/jwks.json", c->issuer.url);
    fow_jw_object(w);
    fow_jw_key(w, "@context");
    fow_jw_array(w);
    fow_jw_string(w, "https://www.w3.org/ns/credentials/v2");
    fow_jw_string(w, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
    fow_jw_array_end(w);
    fow_jw_kstring(w, "id", profile);
    fow_jw_key(w, "type");
    fow_jw_array(w);
    fow_jw_string(w, "Profile");
    fow_jw_array_end(w);
    fow_jw_kstring(w, "name", c->issuer.name);
    fow_jw_kstring(w, "url", c->issuer.url);
    fow_jw_kstring(w, "jwks_uri", jwks);
    fow_jw_object_end(w);
}

static void set_bit(void *ctx, long position) {
    unsigned char *bits = ctx;
    if (position >= 0 && (unsigned long)position < FOW_CREDENTIAL_STATUS_LIST_BITS)
        bits[position / 8] |= (unsigned char)(0x80u >> (position % 8));
}

/* GZIP of data into a malloc'd buffer. */
static fow_code gzip_bytes(const unsigned char *data, size_t n, unsigned char **out, size_t *out_len, fow_error *err) {
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return fow_error_set(err, FOW_ENOMEM, "zlib could not start compressing");
    size_t cap = deflateBound(&zs, (uLong)n);
    *out = malloc(cap);
    if (!*out) {
        deflateEnd(&zs);
        return fow_error_set(err, FOW_ENOMEM, "out of memory compressing a status list");
    }
    zs.next_in = (Bytef *)data;
    zs.avail_in = (uInt)n;
    zs.next_out = *out;
    zs.avail_out = (uInt)cap;
    int r = deflate(&zs, Z_FINISH);
    *out_len = zs.total_out;
    deflateEnd(&zs);
    if (r != Z_STREAM_END) {
        free(*out);
        *out = NULL;
        return fow_error_set(err, FOW_EINTERNAL, "zlib could not compress a status list");
    }
    return FOW_OK;
}

fow_code fow_credentials_status_list(fow_credentials *c, int list, long long now, char **jwt, fow_error *err) {
    *jwt = NULL;
    if (list < 1)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "status_list", "status lists are numbered from 1");
    unsigned char *bits = calloc(FOW_CREDENTIAL_STATUS_LIST_BITS / 8, 1);
    if (!bits) return fow_error_set(err, FOW_ENOMEM, "out of memory building a status list");
    bool any = false;
    fow_code rc = fow_db_read_begin(c->db, err);
    if (!rc) {
        rc = credentials_store_each_revoked(c->db, list, set_bit, bits, &any, err);
        fow_db_read_end(c->db);
    }
    if (!rc && !any)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "status_list", "no status list %d here", list);
    unsigned char *gz = NULL;
    size_t gz_len = 0;
    if (!rc) rc = gzip_bytes(bits, FOW_CREDENTIAL_STATUS_LIST_BITS / 8, &gz, &gz_len, err);
    free(bits);
    if (rc) return rc;
    char *encoded = fow_base64url_encode(gz, gz_len);
    free(gz);
    if (!encoded) return fow_error_set(err, FOW_ENOMEM, "out of memory building a status list");
    char url[FOW_CREDENTIAL_URL_MAX + 64], t[32], subject[FOW_CREDENTIAL_URL_MAX + 80];
    credentials_status_url(c, list, url, sizeof url);
    credentials_format_time(now, t);
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_jw_object(&w);
    write_contexts(&w, false);
    fow_jw_kstring(&w, "id", url);
    fow_jw_key(&w, "type");
    fow_jw_array(&w);
    fow_jw_string(&w, "VerifiableCredential");
    fow_jw_string(&w, "BitstringStatusListCredential");
    fow_jw_array_end(&w);
    write_issuer(&w, c);
    fow_jw_kstring(&w, "validFrom", t);
    fow_jw_key(&w, "credentialSubject");
    fow_jw_object(&w);
    snprintf(subject, sizeof subject, "%s#list", url);
    fow_jw_kstring(&w, "id", subject);
    fow_jw_kstring(&w, "type", "BitstringStatusList");
    fow_jw_kstring(&w, "statusPurpose", "revocation");
    fow_jw_key(&w, "encodedList");
    size_t elen = strlen(encoded);
    char *multibase = malloc(elen + 2);
    bool written = multibase != NULL;
    if (multibase) {
        multibase[0] = 'u'; /* multibase prefix of base64url without padding */
        memcpy(multibase + 1, encoded, elen + 1);
        fow_jw_string(&w, multibase);
        free(multibase);
    }
    free(encoded);
    fow_jw_object_end(&w);
    credentials_profile_url(c, subject, sizeof subject);
    fow_jw_kstring(&w, "iss", subject);
    fow_jw_kint(&w, "iat", now);
    fow_jw_object_end(&w);
    size_t len;
    const char *payload = fow_jw_text(&w, &len);
    if (!written || fow_jw_failed(&w) || !payload) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    else rc = fow_credentials_sign(c, payload, len, jwt, err);
    fow_jw_free(&w);
    return rc;
}

fow_code fow_credentials_keys(const fow_credentials *c, fow_credential_keys *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    if (!c->issuer.kid[0]) return FOW_OK;
    out->keys = calloc(1, sizeof *out->keys);
    if (!out->keys) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    credentials_copy(out->keys[0].kid, sizeof out->keys[0].kid, c->issuer.kid);
    memcpy(out->keys[0].key, c->public_key, 32);
    out->n = 1;
    return FOW_OK;
}

void fow_credential_keys_free(fow_credential_keys *k) {
    if (!k) return;
    free(k->keys);
    k->keys = NULL;
    k->n = 0;
}

/* ---- people's hook: export and erasure ----------------------------------------------- */

static fow_code export_person(fow_db *db, const char *id, fow_jw *w, fow_error *err) {
    fow_credentials *c = NULL;
    fow_credential_row *rows = NULL;
    size_t n = 0;
    fow_code rc = fow_credentials_open(db, NULL, false, &c, err); /* reads the issuer: no key, no write */
    if (!rc) rc = credentials_store_list(db, id, &rows, &n, err);
    if (!rc) {
        fow_jw_array(w);
        for (size_t i = 0; i < n; i++) fow_credential_write_row(w, c, &rows[i]);
        fow_jw_array_end(w);
    }
    free(rows);
    fow_credentials_close(c);
    return rc;
}

/* The erasure's time is not passed to the hook: the revocation is dated
 * by the clock, within the same transaction as the erasure. */
static fow_code erase_person(fow_db *db, const char *id, size_t *revoked, fow_error *err) {
    return credentials_store_revoke_person(db, id, "erasure", "erased", (long long)time(NULL), revoked, err);
}

static const fow_people_attachment credentials_attachment = {"credentials", export_person, erase_person};

fow_code fow_credentials_attach(fow_error *err) { return fow_people_attach(&credentials_attachment, err); }
