/* credentials_verify.c — verifying a VC-JWT OpenBadgeCredential: format,
 * JOSE header, key, Ed25519 signature, structure, dates and revocation
 * status (fow_credentials.h), and presenting a verified credential's skills
 * for a person's profile. */
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "credentials/credentials_internal.h"
#include "credentials/credentials_store.h"

#define CLOCK_SKEW_SECONDS 300 /* a credential issued by a clock this far ahead is still valid */
#define STATUS_LIST_MAX_BYTES ((size_t)16 * 1024 * 1024)

const char *fow_verify_check_name(fow_verify_check check) {
    static const char *const names[] = {"format", "header", "key", "signature", "structure", "dates", "status"};
    return (unsigned)check < FOW_VERIFY_CHECK_COUNT ? names[check] : "?";
}

const char *fow_verify_outcome_name(fow_verify_outcome o) {
    static const char *const names[] = {"not_run", "passed", "failed", "unchecked"};
    return (unsigned)o <= FOW_VERIFY_UNCHECKED ? names[o] : "?";
}

/* A parameter of a check's message, as text (fow_verification.params). */
typedef struct vparam {
    const char *name;
    const char *value;
} vparam;

/* The parameters of a message: VP({"name", value}, ...) or NO_PARAMS. */
#define VP(...) (const vparam[]){__VA_ARGS__}, sizeof((const vparam[]){__VA_ARGS__}) / sizeof(vparam)
#define NO_PARAMS NULL, 0

/* x as text in buf. */
static const char *num(char buf[24], long long x) {
    snprintf(buf, 24, "%lld", x);
    return buf;
}

/* The message of check: its code ("credential.<name>", worded by the web
 * app as msg.<code>), its parameters and its English text. */
static void set_message(fow_verification *v, fow_verify_check check, const char *code, const vparam *params, size_t n,
                        const char *fmt, va_list ap) {
    vsnprintf(v->message[check], sizeof v->message[check], fmt, ap);
    credentials_copy(v->code[check], sizeof v->code[check], code);
    v->n_params[check] = 0;
    for (size_t i = 0; i < n && i < FOW_VERIFY_PARAMS_MAX; i++) {
        fow_verify_param *p = &v->params[check][v->n_params[check]++];
        credentials_copy(p->name, sizeof p->name, params[i].name);
        credentials_copy(p->value, sizeof p->value, params[i].value ? params[i].value : "");
    }
}

static void passed(fow_verification *v, fow_verify_check check, const char *code, const vparam *params, size_t n,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static bool failed(fow_verification *v, fow_verify_check check, const char *field, const char *code,
                   const vparam *params, size_t n, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
static void unchecked(fow_verification *v, const char *code, const vparam *params, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void passed(fow_verification *v, fow_verify_check check, const char *code, const vparam *params, size_t n,
                   const char *fmt, ...) {
    v->outcome[check] = FOW_VERIFY_PASSED;
    va_list ap;
    va_start(ap, fmt);
    set_message(v, check, code, params, n, fmt, ap);
    va_end(ap);
}

/* The status was not checked (no list at hand, or none named). */
static void unchecked(fow_verification *v, const char *code, const vparam *params, size_t n, const char *fmt, ...) {
    v->outcome[FOW_VERIFY_STATUS] = FOW_VERIFY_UNCHECKED;
    va_list ap;
    va_start(ap, fmt);
    set_message(v, FOW_VERIFY_STATUS, code, params, n, fmt, ap);
    va_end(ap);
}

/* Records a failed check; returns false so callers can `return failed(...)`. */
static bool failed(fow_verification *v, fow_verify_check check, const char *field, const char *code,
                   const vparam *params, size_t n, const char *fmt, ...) {
    v->outcome[check] = FOW_VERIFY_FAILED;
    va_list ap;
    va_start(ap, fmt);
    set_message(v, check, code, params, n, fmt, ap);
    va_end(ap);
    if (!v->failed_field[0]) credentials_copy(v->failed_field, sizeof v->failed_field, field);
    v->valid = false;
    return false;
}

/* A JWT split into its three parts. */
typedef struct jwt_parts {
    const char *header, *payload, *signature;
    size_t header_len, payload_len, signature_len;
} jwt_parts;

static bool split_jwt(const char *jwt, size_t len, jwt_parts *p) {
    const char *end = jwt + len;
    const char *dot1 = memchr(jwt, '.', len);
    if (!dot1) return false;
    const char *dot2 = memchr(dot1 + 1, '.', (size_t)(end - dot1 - 1));
    if (!dot2 || memchr(dot2 + 1, '.', (size_t)(end - dot2 - 1))) return false;
    *p = (jwt_parts){jwt, dot1 + 1, dot2 + 1, (size_t)(dot1 - jwt), (size_t)(dot2 - dot1 - 1),
                     (size_t)(end - dot2 - 1)};
    return p->header_len && p->payload_len && p->signature_len;
}

/* The JSON object encoded in one base64url part, or NULL with why in msg. */
static json_t *decode_json_part(const char *text, size_t len, char *msg, size_t cap) {
    size_t max = len * 3 / 4 + 3;
    unsigned char *raw = malloc(max + 1);
    size_t n = 0;
    if (!raw) {
        snprintf(msg, cap, "out of memory");
        return NULL;
    }
    if (!credentials_base64url_decode(text, len, raw, max, &n)) {
        free(raw);
        snprintf(msg, cap, "is not base64url (letters, digits, '-' and '_' without padding)");
        return NULL;
    }
    json_error_t je;
    json_t *value = json_loadb((const char *)raw, n, JSON_REJECT_DUPLICATES, &je);
    free(raw);
    if (!value) {
        snprintf(msg, cap, "is not JSON (line %d, column %d: %s)", je.line, je.column, je.text);
        return NULL;
    }
    if (!json_is_object(value)) {
        json_decref(value);
        snprintf(msg, cap, "is JSON but not an object");
        return NULL;
    }
    return value;
}

static const char *string_of(const json_t *obj, const char *key) {
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool array_has_string(const json_t *a, const char *s) {
    if (json_is_string(a)) return strcmp(json_string_value(a), s) == 0;
    size_t i;
    const json_t *x;
    json_array_foreach(a, i, x) if (json_is_string(x) && strcmp(json_string_value(x), s) == 0) return true;
    return false;
}

/* Checks header, key and signature of parts p against keys. */
static bool check_signed(fow_verification *v, const jwt_parts *p, const json_t *header, const fow_credential_keys *keys,
                         bool status_list) {
    const char *alg = string_of(header, "alg"), *typ = string_of(header, "typ"), *kid = string_of(header, "kid");
    const char *what = status_list ? "the status list's " : "";
    char count[24];
#define SIGNED_CODE(name) (status_list ? "credential.status_list_" name : "credential." name)
    fow_verify_check hc = FOW_VERIFY_HEADER, kc = FOW_VERIFY_KEY, sc = FOW_VERIFY_SIGNATURE;
    if (status_list) hc = kc = sc = FOW_VERIFY_STATUS;
    if (!alg) return failed(v, hc, "alg", SIGNED_CODE("header_no_alg"), NO_PARAMS, "%sJOSE header has no alg", what);
    if (strcmp(alg, "EdDSA") != 0)
        return failed(v, hc, "alg", SIGNED_CODE("header_alg"), VP({"alg", alg}),
                      "%sJOSE header's alg is '%.40s': only EdDSA (Ed25519) is accepted", what, alg);
    if (typ && strcmp(typ, "vc+jwt") != 0 && strcmp(typ, "vc+ld+json+jwt") != 0)
        return failed(v, hc, "typ", SIGNED_CODE("header_typ"), VP({"typ", typ}),
                      "%sJOSE header's typ is '%.40s', not vc+jwt", what, typ);
    if (json_object_get(header, "crit"))
        return failed(v, hc, "header", SIGNED_CODE("header_crit"), NO_PARAMS,
                      "%sJOSE header has crit parameters, which this verifier does not know", what);
    if (!kid || !kid[0])
        return failed(v, hc, "kid", SIGNED_CODE("header_no_kid"), NO_PARAMS,
                      "%sJOSE header has no kid naming the signing key", what);
    if (!status_list) {
        credentials_copy(v->kid, sizeof v->kid, kid);
        passed(v, hc, "credential.header_ok", VP({"typ", typ ? typ : "-"}, {"kid", kid}), "alg EdDSA, typ %s, kid %.60s",
               typ ? typ : "(none)", kid);
    }
    const unsigned char *key = NULL;
    for (size_t i = 0; keys && i < keys->n; i++)
        if (strcmp(keys->keys[i].kid, kid) == 0) key = keys->keys[i].key;
    if (!key)
        return failed(v, kc, "kid", SIGNED_CODE("key_unknown"),
                      VP({"kid", kid}, {"count", num(count, keys ? (long long)keys->n : 0)}),
                      "%skid %.60s is not among the %zu trusted key(s) of the issuer", what, kid, keys ? keys->n : 0);
    if (!status_list) passed(v, kc, "credential.key_ok", VP({"kid", kid}), "an Ed25519 key of kid %.60s is trusted", kid);
    unsigned char sig[crypto_sign_BYTES + 4];
    size_t n = 0;
    if (!credentials_base64url_decode(p->signature, p->signature_len, sig, sizeof sig, &n) || n != crypto_sign_BYTES)
        return failed(v, sc, "signature", SIGNED_CODE("signature_size"), NO_PARAMS,
                      "%ssignature is not 64 bytes of base64url", what);
    size_t signed_len = p->header_len + 1 + p->payload_len;
    if (crypto_sign_verify_detached(sig, (const unsigned char *)p->header, signed_len, key) != 0)
        return failed(v, sc, "signature", SIGNED_CODE("signature_mismatch"), NO_PARAMS,
                      "%sEd25519 signature does not match: the credential was changed after signing, or signed by "
                      "another key",
                      what);
    if (!status_list)
        passed(v, sc, "credential.signature_ok", NO_PARAMS, "the Ed25519 signature over header and payload is right");
    return true;
#undef SIGNED_CODE
}

static bool check_structure(fow_verification *v, const json_t *vc) {
    const json_t *ctx = json_object_get(vc, "@context");
    const json_t *first = json_array_get(ctx, 0);
    if (!json_is_array(ctx) || !json_is_string(first) ||
        strcmp(json_string_value(first), "https://www.w3.org/ns/credentials/v2") != 0)
        return failed(v, FOW_VERIFY_STRUCTURE, "@context", "credential.context_vc", NO_PARAMS,
                      "@context must be an array whose first entry is https://www.w3.org/ns/credentials/v2 "
                      "(Verifiable Credentials 2.0)");
    bool ob = false;
    size_t i;
    const json_t *x;
    json_array_foreach(ctx, i, x) if (json_is_string(x) &&
                                      strncmp(json_string_value(x), "https://purl.imsglobal.org/spec/ob/v3p0/context",
                                              47) == 0) ob = true;
    if (!ob)
        return failed(v, FOW_VERIFY_STRUCTURE, "@context", "credential.context_ob", NO_PARAMS, "@context lacks the Open Badges 3.0 context");
    const json_t *type = json_object_get(vc, "type");
    if (!array_has_string(type, "VerifiableCredential") || !array_has_string(type, "OpenBadgeCredential"))
        return failed(v, FOW_VERIFY_STRUCTURE, "type", "credential.type", NO_PARAMS, "type must hold VerifiableCredential and OpenBadgeCredential");
    const char *id = string_of(vc, "id");
    if (id) credentials_copy(v->id, sizeof v->id, id);
    const json_t *issuer = json_object_get(vc, "issuer");
    const char *issuer_id = json_is_string(issuer) ? json_string_value(issuer) : string_of(issuer, "id");
    if (!issuer_id)
        return failed(v, FOW_VERIFY_STRUCTURE, "issuer", "credential.issuer", NO_PARAMS, "issuer must be a URL or an object with an id");
    credentials_copy(v->issuer_id, sizeof v->issuer_id, issuer_id);
    const char *issuer_name = string_of(issuer, "name");
    if (issuer_name) credentials_copy(v->issuer_name, sizeof v->issuer_name, issuer_name);
    const char *from = string_of(vc, "validFrom");
    long long t;
    if (!from || !credentials_parse_time(from, &t))
        return failed(v, FOW_VERIFY_STRUCTURE, "validFrom", "credential.valid_from_format", NO_PARAMS, "validFrom must be a date and time such as "
                                                            "2026-05-01T10:00:00Z");
    credentials_copy(v->valid_from, sizeof v->valid_from, from);
    const char *until = string_of(vc, "validUntil");
    if (json_object_get(vc, "validUntil") && (!until || !credentials_parse_time(until, &t)))
        return failed(v, FOW_VERIFY_STRUCTURE, "validUntil", "credential.valid_until_format", NO_PARAMS,
                      "validUntil must be a date and time");
    if (until) credentials_copy(v->valid_until, sizeof v->valid_until, until);
    const json_t *subject = json_object_get(vc, "credentialSubject");
    if (!json_is_object(subject))
        return failed(v, FOW_VERIFY_STRUCTURE, "credentialSubject", "credential.subject", NO_PARAMS,
                      "credentialSubject must be an object");
    const char *sid = string_of(subject, "id");
    if (sid) credentials_copy(v->subject, sizeof v->subject, sid);
    const json_t *a = json_object_get(subject, "achievement");
    if (!json_is_object(a))
        return failed(v, FOW_VERIFY_STRUCTURE, "achievement", "credential.achievement_object", NO_PARAMS,
                      "credentialSubject.achievement must be an object");
    const char *aid = string_of(a, "id"), *aname = string_of(a, "name");
    if (!aid || !aname || !array_has_string(json_object_get(a, "type"), "Achievement"))
        return failed(v, FOW_VERIFY_STRUCTURE, "achievement", "credential.achievement_parts", NO_PARAMS,
                      "the achievement needs an id, a name and the type Achievement");
    credentials_copy(v->achievement_id, sizeof v->achievement_id, aid);
    credentials_copy(v->achievement_name, sizeof v->achievement_name, aname);
    const char *ro = string_of(a, "nameRo");
    if (ro) credentials_copy(v->achievement_name_ro, sizeof v->achievement_name_ro, ro);
    const json_t *hours = json_object_get(a, "hours");
    if (json_is_number(hours)) v->hours = json_number_value(hours);
    const json_t *alignment = json_object_get(a, "alignment");
    if (alignment && !json_is_array(alignment))
        return failed(v, FOW_VERIFY_STRUCTURE, "alignment", "credential.alignment_array", NO_PARAMS,
                      "the achievement's alignment must be an array");
    size_t n = json_array_size(alignment);
    if (n) {
        v->skills = calloc(n, sizeof *v->skills);
        if (!v->skills)
            return failed(v, FOW_VERIFY_STRUCTURE, "alignment", "credential.out_of_memory", NO_PARAMS, "out of memory");
    }
    json_array_foreach(alignment, i, x) {
        const char *name = string_of(x, "targetName"), *url = string_of(x, "targetUrl");
        if (!name) {
            char at[24];
            return failed(v, FOW_VERIFY_STRUCTURE, "alignment", "credential.alignment_name",
                          VP({"number", num(at, (long long)i + 1)}), "alignment %zu has no targetName", i + 1);
        }
        fow_verified_skill *s = &v->skills[v->n_skills++];
        credentials_copy(s->name, sizeof s->name, name);
        credentials_copy(s->uri, sizeof s->uri, url && strncmp(url, "urn:fow:skill:", 14) != 0 ? url : "");
    }
    const json_t *status = json_object_get(vc, "credentialStatus");
    if (status) {
        const char *stype = string_of(status, "type"), *purpose = string_of(status, "statusPurpose"),
                   *index = string_of(status, "statusListIndex"), *list = string_of(status, "statusListCredential");
        char *end = NULL;
        long idx = index ? strtol(index, &end, 10) : -1;
        if (!stype || strcmp(stype, "BitstringStatusListEntry") != 0 || !purpose || !list || !index || !*index ||
            *end || idx < 0)
            return failed(v, FOW_VERIFY_STRUCTURE, "credentialStatus", "credential.status_entry", NO_PARAMS,
                          "credentialStatus must be a BitstringStatusListEntry with statusPurpose, a numeric "
                          "statusListIndex and statusListCredential");
        v->status_index = idx;
        credentials_copy(v->status_list_url, sizeof v->status_list_url, list);
    }
    char skills[24];
    passed(v, FOW_VERIFY_STRUCTURE, "credential.structure_ok",
           VP({"achievement", aid}, {"skills", num(skills, (long long)v->n_skills)}),
           "an OpenBadgeCredential (VC 2.0) for achievement %.80s with %zu aligned skill(s)", aid, v->n_skills);
    return true;
}

static bool check_dates(fow_verification *v, const json_t *vc, long long now) {
    long long from = 0, until = 0;
    credentials_parse_time(v->valid_from, &from);
    char t[32];
    if (from > now + CLOCK_SKEW_SECONDS)
        return failed(v, FOW_VERIFY_DATES, "validFrom", "credential.not_yet_valid", VP({"from", v->valid_from}),
                      "not valid yet: valid from %s", v->valid_from);
    if (v->valid_until[0] && credentials_parse_time(v->valid_until, &until) && until <= now) {
        credentials_format_time(now, t);
        return failed(v, FOW_VERIFY_DATES, "validUntil", "credential.expired", VP({"until", v->valid_until}, {"now", t}),
                      "expired: valid until %s, and it is %s", v->valid_until, t);
    }
    const json_t *nbf = json_object_get(vc, "nbf"), *exp = json_object_get(vc, "exp");
    if (nbf && (!json_is_integer(nbf) || json_integer_value(nbf) > now + CLOCK_SKEW_SECONDS))
        return failed(v, FOW_VERIFY_DATES, "nbf", "credential.nbf", NO_PARAMS, "the JWT claim nbf is not a time already past");
    if (exp && (!json_is_integer(exp) || json_integer_value(exp) <= now))
        return failed(v, FOW_VERIFY_DATES, "exp", "credential.exp", NO_PARAMS, "expired: the JWT claim exp is past");
    if (v->valid_until[0])
        passed(v, FOW_VERIFY_DATES, "credential.dates_ok", VP({"from", v->valid_from}, {"until", v->valid_until}),
               "valid from %s until %s", v->valid_from, v->valid_until);
    else
        passed(v, FOW_VERIFY_DATES, "credential.dates_ok_no_end", VP({"from", v->valid_from}),
               "valid from %s, no end", v->valid_from);
    return true;
}

/* The bit at index of the GZIP-compressed, multibase base64url encodedList. */
static bool status_bit(fow_verification *v, const char *encoded, long index, bool *revoked) {
    if (encoded[0] == 'u') encoded++; /* multibase prefix of base64url */
    size_t len = strlen(encoded);
    unsigned char *gz = malloc(len * 3 / 4 + 3);
    size_t n = 0;
    if (!gz || !credentials_base64url_decode(encoded, len, gz, len * 3 / 4 + 3, &n)) {
        free(gz);
        return failed(v, FOW_VERIFY_STATUS, "encodedList", "credential.encoded_list_base64", NO_PARAMS,
                      "the status list's encodedList is not base64url");
    }
    unsigned char *bits = malloc(STATUS_LIST_MAX_BYTES);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    bool ok = bits && inflateInit2(&zs, 15 + 16) == Z_OK;
    size_t got = 0;
    if (ok) {
        zs.next_in = gz;
        zs.avail_in = (uInt)n;
        zs.next_out = bits;
        zs.avail_out = (uInt)STATUS_LIST_MAX_BYTES;
        ok = inflate(&zs, Z_FINISH) == Z_STREAM_END;
        got = zs.total_out;
        inflateEnd(&zs);
    }
    free(gz);
    if (!ok) {
        free(bits);
        return failed(v, FOW_VERIFY_STATUS, "encodedList", "credential.encoded_list_gzip", NO_PARAMS,
                      "the status list's encodedList is not GZIP data of at most 16 MiB");
    }
    if ((size_t)index / 8 >= got) {
        free(bits);
        char at[24], bits_n[24];
        return failed(v, FOW_VERIFY_STATUS, "statusListIndex", "credential.index_beyond",
                      VP({"index", num(at, index)}, {"bits", num(bits_n, (long long)got * 8)}),
                      "statusListIndex %ld is beyond the list's %zu bits", index, got * 8);
    }
    *revoked = (bits[index / 8] >> (7 - index % 8)) & 1u;
    free(bits);
    return true;
}

static void note_local_bit(void *ctx, long position) {
    long *want = ctx;
    if (position == want[0]) want[1] = 1;
}

static fow_code check_status(fow_verification *v, const fow_credential_keys *keys,
                             const fow_verify_status_source *src, long long now, fow_error *err) {
    if (v->status_index < 0) {
        unchecked(v, "credential.no_status", NO_PARAMS, "the credential has no credentialStatus");
        return FOW_OK;
    }
    char index[24];
    num(index, v->status_index);
    if (src && src->list_jwt) {
        jwt_parts p;
        char msg[200];
        size_t len = src->list_len;
        while (len && (src->list_jwt[len - 1] == '\n' || src->list_jwt[len - 1] == ' ' || src->list_jwt[len - 1] == '\r'))
            len--;
        if (!split_jwt(src->list_jwt, len, &p)) {
            failed(v, FOW_VERIFY_STATUS, "status_list", "credential.status_list_not_jwt", NO_PARAMS,
                   "the status list given is not a JWT (three parts)");
            return FOW_OK;
        }
        json_t *header = decode_json_part(p.header, p.header_len, msg, sizeof msg);
        json_t *payload = header ? decode_json_part(p.payload, p.payload_len, msg, sizeof msg) : NULL;
        if (!payload) {
            json_decref(header);
            failed(v, FOW_VERIFY_STATUS, "status_list", "credential.status_list_json", VP({"detail", msg}),
                   "the status list given %s", msg);
            return FOW_OK;
        }
        if (check_signed(v, &p, header, keys, true)) {
            const char *id = string_of(payload, "id");
            const json_t *subject = json_object_get(payload, "credentialSubject");
            const char *encoded = string_of(subject, "encodedList"), *purpose = string_of(subject, "statusPurpose");
            const char *until = string_of(payload, "validUntil");
            long long t;
            bool revoked = false;
            if (!id || strcmp(id, v->status_list_url) != 0)
                failed(v, FOW_VERIFY_STATUS, "status_list", "credential.status_list_other",
                       VP({"given", id ? id : "-"}, {"url", v->status_list_url}),
                       "the status list given is %.80s, not this credential's %.80s", id ? id : "(no id)",
                       v->status_list_url);
            else if (!array_has_string(json_object_get(payload, "type"), "BitstringStatusListCredential") ||
                     !encoded || !purpose || strcmp(purpose, "revocation") != 0)
                failed(v, FOW_VERIFY_STATUS, "status_list", "credential.status_list_type", NO_PARAMS,
                       "the status list given is not a BitstringStatusListCredential for revocation");
            else if (until && credentials_parse_time(until, &t) && t <= now)
                failed(v, FOW_VERIFY_STATUS, "status_list", "credential.status_list_expired", VP({"until", until}),
                       "the status list given expired at %s", until);
            else if (status_bit(v, encoded, v->status_index, &revoked)) {
                if (revoked)
                    failed(v, FOW_VERIFY_STATUS, "credentialStatus", "credential.revoked",
                           VP({"index", index}, {"url", v->status_list_url}), "revoked: bit %ld of %.80s is set",
                           v->status_index, v->status_list_url);
                else {
                    const char *dated = string_of(payload, "validFrom");
                    passed(v, FOW_VERIFY_STATUS, "credential.not_revoked_list",
                           VP({"index", index}, {"url", v->status_list_url}, {"dated", dated ? dated : "-"}),
                           "not revoked: bit %ld of the signed status list %.80s is 0 (%s)", v->status_index,
                           v->status_list_url, dated ? dated : "undated");
                }
            }
        }
        json_decref(header);
        json_decref(payload);
        return FOW_OK;
    }
    if (src && src->local) {
        char prefix[FOW_CREDENTIAL_URL_MAX + 64];
        credentials_status_url(src->local, 0, prefix, sizeof prefix);
        size_t plen = strlen(prefix) - 1; /* without the "0" */
        char *end = NULL;
        long list = strncmp(v->status_list_url, prefix, plen) == 0 ? strtol(v->status_list_url + plen, &end, 10) : 0;
        if (list > 0 && end && !*end) {
            long want[2] = {v->status_index, 0};
            bool any = false;
            fow_db *db = credentials_db(src->local);
            fow_code rc = fow_db_read_begin(db, err);
            if (!rc) {
                rc = credentials_store_each_revoked(db, (int)list, note_local_bit, want, &any, err);
                fow_db_read_end(db);
            }
            if (rc) return rc;
            if (!any)
                failed(v, FOW_VERIFY_STATUS, "status_list", "credential.no_such_list",
                       VP({"list", num(index, list)}), "this issuer has no status list %ld", list);
            else if (want[1])
                failed(v, FOW_VERIFY_STATUS, "credentialStatus", "credential.revoked",
                       VP({"index", index}, {"url", v->status_list_url}), "revoked: bit %ld of %.80s is set",
                       v->status_index, v->status_list_url);
            else
                passed(v, FOW_VERIFY_STATUS, "credential.not_revoked_here",
                       VP({"index", index}, {"url", v->status_list_url}),
                       "not revoked: bit %ld of %.80s is 0 in this issuer's database", v->status_index,
                       v->status_list_url);
            return FOW_OK;
        }
    }
    unchecked(v, "credential.status_unchecked", VP({"url", v->status_list_url}),
              "not checked: no copy of the status list %.120s was at hand", v->status_list_url);
    return FOW_OK;
}

fow_code fow_credential_verify(const char *jwt, size_t len, const fow_credential_keys *keys,
                               const fow_verify_status_source *status, long long now, fow_verification *v,
                               fow_error *err) {
    memset(v, 0, sizeof *v);
    v->status_index = -1;
    while (len && (*jwt == ' ' || *jwt == '\n' || *jwt == '\r' || *jwt == '\t')) jwt++, len--;
    while (len && (jwt[len - 1] == ' ' || jwt[len - 1] == '\n' || jwt[len - 1] == '\r' || jwt[len - 1] == '\t'))
        len--;
    v->valid = true;
    jwt_parts p;
    char msg[200];
    if (len == 0) {
        failed(v, FOW_VERIFY_FORMAT, "jwt", "credential.empty", NO_PARAMS, "the credential is empty");
        return FOW_OK;
    }
    if (len > FOW_CREDENTIAL_JWT_MAX) {
        char bytes[24], max[24];
        failed(v, FOW_VERIFY_FORMAT, "jwt", "credential.too_long",
               VP({"bytes", num(bytes, (long long)len)}, {"max", num(max, FOW_CREDENTIAL_JWT_MAX)}),
               "the credential is %zu bytes: at most %zu are read", len, (size_t)FOW_CREDENTIAL_JWT_MAX);
        return FOW_OK;
    }
    if (!split_jwt(jwt, len, &p)) {
        failed(v, FOW_VERIFY_FORMAT, "jwt", "credential.not_compact", NO_PARAMS,
               "not a compact JWT: it must be three non-empty base64url parts joined by '.' (header.payload.signature)");
        return FOW_OK;
    }
    json_t *header = decode_json_part(p.header, p.header_len, msg, sizeof msg);
    if (!header) {
        failed(v, FOW_VERIFY_FORMAT, "header", "credential.header_json", VP({"detail", msg}),
               "the JOSE header (first part) %s", msg);
        return FOW_OK;
    }
    json_t *payload = decode_json_part(p.payload, p.payload_len, msg, sizeof msg);
    if (!payload) {
        json_decref(header);
        failed(v, FOW_VERIFY_FORMAT, "payload", "credential.payload_json", VP({"detail", msg}),
               "the payload (second part) %s", msg);
        return FOW_OK;
    }
    char bytes[24];
    passed(v, FOW_VERIFY_FORMAT, "credential.format_ok", VP({"bytes", num(bytes, (long long)len)}),
           "a compact JWT of %zu bytes with a JSON header and payload", len);
    fow_code rc = FOW_OK;
    if (check_signed(v, &p, header, keys, false) && check_structure(v, payload) && check_dates(v, payload, now))
        rc = check_status(v, keys, status, now, err);
    json_decref(header);
    json_decref(payload);
    return rc;
}

void fow_verification_free(fow_verification *v) {
    if (!v) return;
    free(v->skills);
    v->skills = NULL;
    v->n_skills = 0;
}

fow_code fow_verification_error(const fow_verification *v, fow_error *err) {
    fow_error_clear(err);
    if (v->valid) return FOW_OK;
    for (int i = 0; i < FOW_VERIFY_CHECK_COUNT; i++)
        if (v->outcome[i] == FOW_VERIFY_FAILED)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, v->failed_field, "%s: %s",
                                    fow_verify_check_name((fow_verify_check)i), v->message[i]);
    return fow_error_set(err, FOW_EINTERNAL, "a verification failed without a failed check");
}

fow_code fow_credential_present(fow_credentials *c, fow_people *people, const fow_people_staff *staff,
                                const fow_model *model, const char *person_id, const fow_verification *v,
                                long long now, size_t *added, size_t *skipped, fow_error *err) {
    if (added) *added = 0;
    if (skipped) *skipped = 0;
    fow_code rc = fow_verification_error(v, err);
    if (rc) return rc;
    if (!credentials_can_sign(c))
        return fow_error_set(err, FOW_EINTERNAL, "presenting needs the issuer key (the pseudonyms are keyed)");
    if (!person_id || strlen(person_id) != FOW_PERSON_ID_CHARS)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person",
                                "person must be a person's id (p and 26 letters and digits)");
    char mine[FOW_CREDENTIAL_SUBJECT_CHARS + 1];
    credentials_subject_of(c, person_id, mine);
    if (strcmp(mine, v->subject) != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "subject",
                                "the credential was issued to another person (its subject is not %s's)", person_id);
    size_t n_added = 0, n_skipped = 0;
    for (size_t i = 0; i < v->n_skills; i++) {
        const char *key = v->skills[i].uri[0] ? v->skills[i].uri : v->skills[i].name;
        fow_error e;
        fow_error_clear(&e);
        rc = fow_people_skill_add(people, staff, model, person_id, key, FOW_SKILL_CREDENTIAL, v->id, now, &e);
        if (rc == FOW_ENOTFOUND && strcmp(e.field, "skill") == 0) {
            n_skipped++;
            continue;
        }
        if (rc) {
            *err = e;
            return rc;
        }
        n_added++;
    }
    if (added) *added = n_added;
    if (skipped) *skipped = n_skipped;
    return FOW_OK;
}

fow_code fow_credential_keys_parse(const char *text, size_t len, fow_credential_keys *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    if (len > 64 * 1024)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "jwks", "the JWK Set is over 64 KiB");
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    if (!root)
        return fow_error_set_at(err, FOW_EINPUT, NULL, je.line, je.column, "jwks", "the JWK Set is not JSON: %s",
                                je.text);
    const json_t *keys = json_object_get(root, "keys");
    if (!json_is_array(keys)) {
        json_decref(root);
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "jwks", "a JWK Set is an object with an array 'keys'");
    }
    out->keys = calloc(json_array_size(keys) + 1, sizeof *out->keys);
    if (!out->keys) {
        json_decref(root);
        return fow_error_set(err, FOW_ENOMEM, "out of memory reading a JWK Set");
    }
    size_t i;
    const json_t *k;
    json_array_foreach(keys, i, k) {
        const char *kty = string_of(k, "kty"), *crv = string_of(k, "crv"), *x = string_of(k, "x"),
                   *kid = string_of(k, "kid");
        size_t n = 0;
        struct fow_credential_key *dst = &out->keys[out->n];
        if (!kty || !crv || !x || !kid || strcmp(kty, "OKP") != 0 || strcmp(crv, "Ed25519") != 0 ||
            strlen(kid) >= sizeof dst->kid || !credentials_base64url_decode(x, strlen(x), dst->key, 32, &n) || n != 32)
            continue;
        credentials_copy(dst->kid, sizeof dst->kid, kid);
        out->n++;
    }
    json_decref(root);
    if (out->n == 0) {
        fow_credential_keys_free(out);
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "jwks",
                                "the JWK Set has no Ed25519 key (kty OKP, crv Ed25519, x, kid)");
    }
    return FOW_OK;
}
