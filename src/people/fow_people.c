/* fow_people.c — people records: checks, access, consent, encryption, the
 * key file, the audit log (fow_people.h). Every SQL statement is in
 * people_store.c. */
#include "people/fow_people.h"
#include "accounts/fow_accounts.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/fow_text.h"
#include "people/people_store.h"
#include "transitions/fow_resolve.h"

#define KEY_BYTES 32
#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define KEY_FILE_MAX 1024

struct fow_people {
    fow_db *db;
    unsigned char secret[KEY_BYTES]; /* XChaCha20-Poly1305 key of names and contacts */
    unsigned char lookup[KEY_BYTES]; /* BLAKE2b key of the look-up hashes */
};

/* ---- names ------------------------------------------------------------------ */

static const char *const purpose_names[FOW_PURPOSE_COUNT] = {"counselling", "training", "vouchers", "statistics"};
static const char *const provenance_names[FOW_SKILL_PROVENANCE_COUNT] = {"declared", "counsellor", "occupation",
                                                                         "assessment", "credential"};
const char *const fow_employment_statuses[] = {"employed", "self-employed", "unemployed", "inactive",
                                               "student",  "unknown",       NULL};

const char *fow_purpose_name(fow_purpose purpose) {
    return (int)purpose >= 0 && purpose < FOW_PURPOSE_COUNT ? purpose_names[purpose] : "?";
}

int fow_purpose_parse(const char *text, fow_purpose *out) {
    for (int i = 0; text && i < FOW_PURPOSE_COUNT; i++)
        if (strcmp(text, purpose_names[i]) == 0) {
            *out = (fow_purpose)i;
            return 0;
        }
    return -1;
}

const char *fow_skill_provenance_name(fow_skill_provenance p) {
    return (int)p >= 0 && p < FOW_SKILL_PROVENANCE_COUNT ? provenance_names[p] : "?";
}

int fow_skill_provenance_parse(const char *text, fow_skill_provenance *out) {
    for (int i = 0; text && i < FOW_SKILL_PROVENANCE_COUNT; i++)
        if (strcmp(text, provenance_names[i]) == 0) {
            *out = (fow_skill_provenance)i;
            return 0;
        }
    return -1;
}

/* ---- checks ------------------------------------------------------------------ */

static fow_code bad(fow_error *err, const char *field, const char *fmt, const char *a, long b) {
    char message[256];
    snprintf(message, sizeof message, fmt, a, b);
    return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s", message);
}

/* The length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_sequence(const unsigned char *s) {
    if (s[0] < 0x80) return 1;
    size_t need = s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    for (size_t i = 1; i < need; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    if (need == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0))) return 0;
    if (need == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))) return 0;
    return need;
}

/* FOW_OK when text (NULL: "") is at most max bytes of UTF-8 without
 * control characters, and not empty when required. */
static fow_code check_text(const char *text, size_t max, bool required, const char *field, fow_error *err) {
    if (!text) text = "";
    size_t n = strlen(text);
    if (required && n == 0) return bad(err, field, "%s is required", field, 0);
    if (n > max) return bad(err, field, "%s must be at most %ld bytes", field, (long)max);
    for (size_t i = 0; i < n;) {
        const unsigned char *s = (const unsigned char *)text + i;
        size_t len = utf8_sequence(s);
        if (len == 0) return bad(err, field, "%s is not valid UTF-8 at byte %ld", field, (long)i + 1);
        if (*s < 0x20 || *s == 0x7f) return bad(err, field, "%s holds a control character at byte %ld", field, (long)i + 1);
        i += len;
    }
    return FOW_OK;
}

static bool is_base32(char c) { return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'); }

static fow_code check_id(const char *id, fow_error *err) {
    bool ok = id && strlen(id) == FOW_PERSON_ID_CHARS && id[0] == 'p';
    for (int i = 1; ok && i < FOW_PERSON_ID_CHARS; i++) ok = is_base32(id[i]);
    if (!ok)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person",
                                "a person id is 'p' and 26 lower-case letters and digits 2-7, as fow gave it");
    return FOW_OK;
}

static bool is_self(const fow_people_staff *staff) { return staff && staff->self && staff->self[0]; }

/* Checks who acts; a person on their own record (staff->self) only when
 * reading. */
static fow_code check_actor(const fow_people_staff *staff, bool reading, fow_error *err) {
    if (!staff || !staff->name || !staff->name[0] || strlen(staff->name) > FOW_PERSON_ACTOR_MAX)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "staff", "who acts must be named (1 to %d bytes)",
                                FOW_PERSON_ACTOR_MAX);
    if (is_self(staff) && staff->all_organisations)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "role", "a person acting on their own record is not staff");
    if (is_self(staff))
        return reading ? FOW_OK
                       : fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "role",
                                          "a person may read their own record, not change it or see others");
    if (!staff->all_organisations && (!staff->organisation || !staff->organisation[0]))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "organisation",
                                "the account %s has no organisation: an administrator must give it one before it "
                                "can see people",
                                staff->name);
    return FOW_OK;
}

static fow_code check_staff(const fow_people_staff *staff, fow_error *err) { return check_actor(staff, false, err); }

static fow_code check_reader(const fow_people_staff *staff, fow_error *err) { return check_actor(staff, true, err); }

static fow_code check_reason(const char *reason, fow_error *err) {
    return check_text(reason, FOW_PERSON_REASON_MAX, true, "reason", err);
}

static fow_code not_found(const char *id, fow_error *err) {
    return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "person", "no person %s among the people you may see", id);
}

/* Reads person id into *row when the staff may see it (not erased, their
 * organisation unless all); else FOW_ENOTFOUND. */
static fow_code load_visible(fow_people *p, const fow_people_staff *staff, const char *id, people_row *row,
                             fow_error *err) {
    bool found;
    fow_code rc = people_store_get(p->db, id, row, &found, err);
    if (rc) return rc;
    bool visible = is_self(staff) ? strcmp(id, staff->self) == 0
                                  : staff->all_organisations || strcmp(row->organisation, staff->organisation) == 0;
    if (!found || row->erased_at || !visible) return not_found(id, err);
    return FOW_OK;
}

/* ---- keys --------------------------------------------------------------------- */

fow_code fow_people_key_path(const char *db_path, char *buf, size_t cap, fow_error *err) {
    int n = snprintf(buf, cap, "%s%s", db_path ? db_path : "", FOW_PEOPLE_KEY_SUFFIX);
    if (!db_path || !db_path[0] || n < 0 || (size_t)n >= cap)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "key", "the database path is empty or too long for its key file");
    return FOW_OK;
}

static void to_hex(const unsigned char *bytes, size_t n, char *hex) { sodium_bin2hex(hex, n * 2 + 1, bytes, n); }

/* The check value of the keys: a keyed hash of a fixed text, as hex. */
static void key_check_value(const fow_people *p, char check[PEOPLE_LOOKUP_HEX + 1]) {
    static const char text[] = "fow people key check, version 1";
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)text, sizeof text - 1, p->secret, KEY_BYTES);
    to_hex(h, sizeof h, check);
}

/* Reads "NAME=HEX" for the two keys from the key file's text. */
static fow_code parse_key_file(fow_people *p, char *text, const char *path, fow_error *err) {
    bool have_secret = false, have_lookup = false;
    char *cursor = NULL; /* strtok_r: people are opened from many threads at once */
    for (char *line = strtok_r(text, "\n", &cursor); line; line = strtok_r(NULL, "\n", &cursor)) {
        size_t n = strlen(line);
        if (n && line[n - 1] == '\r') line[--n] = '\0';
        if (n == 0 || line[0] == '#') continue;
        unsigned char *dst = NULL;
        if (strncmp(line, "secret=", 7) == 0) dst = p->secret, have_secret = true;
        else if (strncmp(line, "lookup=", 7) == 0) dst = p->lookup, have_lookup = true;
        size_t got = 0;
        if (!dst || strlen(line + 7) != KEY_BYTES * 2 ||
            sodium_hex2bin(dst, KEY_BYTES, line + 7, KEY_BYTES * 2, NULL, &got, NULL) != 0 || got != KEY_BYTES)
            return fow_error_set_at(err, FOW_EINPUT, path, 0, 0, "key",
                                    "the key file is malformed: it holds lines secret=HEX and lookup=HEX "
                                    "(64 hexadecimal digits each)");
    }
    if (!have_secret || !have_lookup)
        return fow_error_set_at(err, FOW_EINPUT, path, 0, 0, "key", "the key file lacks its %s line",
                                have_secret ? "lookup=" : "secret=");
    return FOW_OK;
}

static fow_code read_key_file(fow_people *p, const char *path, fow_error *err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fow_error_set_at(err, FOW_EIO, path, 0, 0, "key", "cannot open the key file: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return fow_error_set_at(err, FOW_EIO, path, 0, 0, "key", "the key file is not a regular file");
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        close(fd);
        return fow_error_set_at(err, FOW_EINPUT, path, 0, 0, "key",
                                "the key file may be read by others (mode %03o): make it readable by its owner only "
                                "(chmod 600)",
                                (unsigned)(st.st_mode & 0777));
    }
    char text[KEY_FILE_MAX + 1];
    ssize_t n = read(fd, text, KEY_FILE_MAX);
    close(fd);
    if (n < 0) return fow_error_set_at(err, FOW_EIO, path, 0, 0, "key", "cannot read the key file: %s", strerror(errno));
    text[n] = '\0';
    fow_code rc = parse_key_file(p, text, path, err);
    sodium_memzero(text, sizeof text);
    return rc;
}

/* Makes a new key file at path, mode 0600, whole or not at all: the text is
 * written to a temporary file beside it, which is then linked to path (link
 * fails if path exists, so two processes never both make one, and a reader
 * never sees half a file). FOW_OK with *exists true when another process
 * made it first. */
static fow_code create_key_file(fow_people *p, const char *path, bool *exists, fow_error *err) {
    *exists = false;
    randombytes_buf(p->secret, KEY_BYTES);
    randombytes_buf(p->lookup, KEY_BYTES);
    char secret_hex[KEY_BYTES * 2 + 1], lookup_hex[KEY_BYTES * 2 + 1], text[KEY_FILE_MAX];
    to_hex(p->secret, KEY_BYTES, secret_hex);
    to_hex(p->lookup, KEY_BYTES, lookup_hex);
    int len = snprintf(text, sizeof text,
                       "# fow people key: encrypts the names and contacts of people in the database next to it.\n"
                       "# Keep it secret, readable by its owner only, and back it up apart from the database:\n"
                       "# without it those names and contacts cannot be read (docs/people.md).\n"
                       "secret=%s\nlookup=%s\n",
                       secret_hex, lookup_hex);
    sodium_memzero(secret_hex, sizeof secret_hex);
    sodium_memzero(lookup_hex, sizeof lookup_hex);
    char temp[4096];
    int n = snprintf(temp, sizeof temp, "%s.XXXXXX", path); /* mkstemp's template */
    if (n < 0 || (size_t)n >= sizeof temp) {
        sodium_memzero(text, sizeof text);
        return fow_error_set_at(err, FOW_EINPUT, path, 0, 0, "key", "the key file's path is too long");
    }
    int fd = mkstemp(temp); /* mode 0600 */
    if (fd < 0) {
        sodium_memzero(text, sizeof text);
        return fow_error_set_at(err, FOW_EIO, path, 0, 0, "key", "cannot make the key file: %s", strerror(errno));
    }
    bool ok = write(fd, text, (size_t)len) == len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    sodium_memzero(text, sizeof text);
    int saved = errno;
    if (ok && link(temp, path) != 0) {
        saved = errno;
        ok = false;
        if (saved == EEXIST) *exists = true;
    }
    unlink(temp);
    if (*exists) return FOW_OK;
    if (!ok) return fow_error_set_at(err, FOW_EIO, path, 0, 0, "key", "cannot write the key file: %s", strerror(saved));
    return FOW_OK;
}

fow_code fow_people_open(fow_db *db, const char *key_path, fow_people **out, fow_error *err) {
    *out = NULL;
    if (sodium_init() < 0) return fow_error_set(err, FOW_EINTERNAL, "libsodium could not be initialised");
    if (db->read_only)
        return fow_error_set(err, FOW_EINPUT, "people records need the database opened for writing (reads are audited)");
    fow_people *p = calloc(1, sizeof *p);
    if (!p) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    p->db = db;
    char stored[PEOPLE_LOOKUP_HEX + 1], mine[PEOPLE_LOOKUP_HEX + 1];
    bool has_check = false;
    fow_code rc = fow_db_set_secure_delete(db, true, err);
    if (!rc) rc = people_store_key_check(db, stored, &has_check, err);
    if (!rc && access(key_path, F_OK) != 0) {
        if (has_check) {
            rc = fow_error_set_at(err, FOW_EIO, key_path, 0, 0, "key",
                                  "the people key file is missing, and this database's people were encrypted with "
                                  "it: restore it from a backup (docs/people.md)");
        } else {
            bool exists;
            rc = create_key_file(p, key_path, &exists, err);
            if (!rc && exists) rc = read_key_file(p, key_path, err);
        }
    } else if (!rc) {
        rc = read_key_file(p, key_path, err);
    }
    if (!rc) {
        key_check_value(p, mine);
        if (!has_check) {
            if (!(rc = fow_db_begin(db, err))) {
                rc = people_store_key_check_put(db, mine, (long long)time(NULL), err);
                if (!rc) rc = people_store_key_check(db, stored, &has_check, err);
                if (!rc) rc = fow_db_commit(db, err);
                else fow_db_rollback(db);
            }
        }
        if (!rc && sodium_memcmp(stored, mine, PEOPLE_LOOKUP_HEX) != 0)
            rc = fow_error_set_at(err, FOW_EINPUT, key_path, 0, 0, "key",
                                  "this key file is not the key this database's people were encrypted with "
                                  "(the key check differs): use the key file kept with this database");
    }
    if (rc) {
        fow_people_close(p);
        return rc;
    }
    *out = p;
    return FOW_OK;
}

void fow_people_close(fow_people *p) {
    if (!p) return;
    sodium_memzero(p, sizeof *p);
    free(p);
}

/* ---- encryption and look-up --------------------------------------------------- */

/* The associated data of a box: the person id and the field. */
static size_t box_ad(const char *id, const char *field, unsigned char *ad, size_t cap) {
    int n = snprintf((char *)ad, cap, "%s/%s", id, field);
    return n < 0 ? 0 : (size_t)n;
}

static void seal(const fow_people *p, const char *id, const char *field, const char *text, unsigned char *box,
                 size_t *box_len) {
    unsigned char ad[64];
    size_t ad_len = box_ad(id, field, ad, sizeof ad);
    randombytes_buf(box, NONCE_BYTES);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(box + NONCE_BYTES, &clen, (const unsigned char *)text, strlen(text), ad,
                                               ad_len, NULL, box, p->secret);
    *box_len = NONCE_BYTES + (size_t)clen;
}

static fow_code open_box(const fow_people *p, const char *id, const char *field, const unsigned char *box,
                         size_t box_len, char *text, size_t cap, fow_error *err) {
    text[0] = '\0';
    if (box_len == 0) return FOW_OK;
    unsigned char ad[64];
    size_t ad_len = box_ad(id, field, ad, sizeof ad);
    unsigned long long mlen = 0;
    if (box_len < NONCE_BYTES + TAG_BYTES || box_len - NONCE_BYTES - TAG_BYTES >= cap ||
        crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)text, &mlen, NULL, box + NONCE_BYTES,
                                                   box_len - NONCE_BYTES, ad, ad_len, box, p->secret) != 0) {
        text[0] = '\0';
        return fow_error_set_at(err, FOW_EDB, NULL, 0, 0, field,
                                "the %s of person %s cannot be decrypted: the key file is not this database's, or "
                                "the record is damaged",
                                field, id);
    }
    text[mlen] = '\0';
    return FOW_OK;
}

/* The keyed hash of text folded (case, accents, spaces), as hex, into
 * lookup; field keeps names and contacts apart. */
static fow_code lookup_hash(const fow_people *p, const char *field, const char *text, char lookup[PEOPLE_LOOKUP_HEX + 1],
                            fow_error *err) {
    size_t n = 0;
    char *folded = fow_text_fold(text, strlen(text), &n, err);
    if (!folded) return err ? err->code : FOW_EINPUT;
    crypto_generichash_state st;
    unsigned char h[32];
    crypto_generichash_init(&st, p->lookup, KEY_BYTES, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)field, strlen(field) + 1);
    crypto_generichash_update(&st, (const unsigned char *)folded, n);
    crypto_generichash_final(&st, h, sizeof h);
    sodium_memzero(folded, n);
    free(folded);
    to_hex(h, sizeof h, lookup);
    return FOW_OK;
}

static void new_id(char id[FOW_PERSON_ID_CHARS + 1]) {
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    unsigned char bytes[17] = {0};
    randombytes_buf(bytes, 16);
    id[0] = 'p';
    /* 26 groups of 5 bits of the 128 random bits (the last group padded) */
    for (int i = 0; i < 26; i++) {
        int bit = i * 5, byte = bit / 8, shift = bit % 8;
        unsigned v = ((unsigned)bytes[byte] << 8 | bytes[byte + 1]) >> (11 - shift);
        id[1 + i] = alphabet[v & 31];
    }
    id[FOW_PERSON_ID_CHARS] = '\0';
}

static int year_of(long long now) {
    time_t t = (time_t)now;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) return 2100;
    return tm.tm_year + 1900;
}

/* ---- transactions ---------------------------------------------------------------- */

static fow_code finish(fow_people *p, fow_code rc, fow_error *err) {
    if (rc) {
        fow_db_rollback(p->db);
        return rc;
    }
    return fow_db_commit(p->db, err);
}

static fow_code audit(fow_people *p, const fow_people_staff *staff, long long now, const char *action,
                      const char *person, const char *reason, fow_error *err) {
    return people_store_audit_add(p->db, now, staff->name, action, person, reason, err);
}

static void fill_consents(fow_person *person, const fow_consent *c, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (c[i].purpose < FOW_PURPOSE_COUNT) person->consent[c[i].purpose] = c[i].withdrawn_at == 0;
}

static void row_to_person(const people_row *row, fow_person *out) {
    memset(out, 0, sizeof *out);
    snprintf(out->id, sizeof out->id, "%s", row->id);
    out->birth_year = row->birth_year;
    snprintf(out->sex, sizeof out->sex, "%s", row->sex);
    snprintf(out->area, sizeof out->area, "%s", row->area);
    snprintf(out->occupation_uri, sizeof out->occupation_uri, "%s", row->occupation_uri);
    snprintf(out->employment_status, sizeof out->employment_status, "%s", row->employment_status);
    snprintf(out->organisation, sizeof out->organisation, "%s", row->organisation);
    out->created_at = row->created_at;
    snprintf(out->created_by, sizeof out->created_by, "%s", row->created_by);
}

/* ---- records ------------------------------------------------------------------------ */

/* Checks the values of a record (NULL, "" or 0: not given) against their
 * rules; FOW_EINPUT naming the field. */
static fow_code check_values(const fow_person_input *in, long long now, fow_error *err) {
    fow_code rc;
    if ((rc = check_text(in->name, FOW_PERSON_NAME_MAX, false, "name", err)) ||
        (rc = check_text(in->contact, FOW_PERSON_CONTACT_MAX, false, "contact", err)) ||
        (rc = check_text(in->area, FOW_PERSON_AREA_MAX, false, "area", err)) ||
        (rc = check_text(in->organisation, FOW_PERSON_ORGANISATION_MAX, false, "organisation", err)))
        return rc;
    int this_year = year_of(now);
    if (in->birth_year && (in->birth_year < FOW_PERSON_BIRTH_YEAR_MIN || in->birth_year > this_year))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "birth_year", "birth_year must be from %d to %d, not %d",
                                FOW_PERSON_BIRTH_YEAR_MIN, this_year, in->birth_year);
    const char *sex = in->sex && in->sex[0] ? in->sex : "";
    if (sex[0] && strcmp(sex, "female") != 0 && strcmp(sex, "male") != 0 && strcmp(sex, "other") != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "sex",
                                "sex must be female, male or other (or not given), not '%.40s'", sex);
    const char *status = in->employment_status && in->employment_status[0] ? in->employment_status : "unknown";
    bool known_status = false;
    for (int i = 0; fow_employment_statuses[i]; i++) known_status |= strcmp(status, fow_employment_statuses[i]) == 0;
    if (!known_status)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "employment_status",
                                "employment_status must be employed, self-employed, unemployed, inactive, student or "
                                "unknown, not '%.40s'",
                                status);
    return FOW_OK;
}

/* The URI of occupation (a key of model: URI, ESCO code or label) into
 * uri; "" when occupation is NULL or "". */
static fow_code occupation_uri_of(const fow_model *model, const char *occupation, char uri[FOW_PERSON_URI_MAX + 1],
                                  fow_error *err) {
    uri[0] = '\0';
    if (!occupation || !occupation[0]) return FOW_OK;
    if (!model)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "occupation", "no taxonomy is loaded to find the occupation in");
    uint32_t occ;
    fow_code rc = fow_resolve_occupation(model, occupation, &occ, err);
    if (!rc) snprintf(uri, FOW_PERSON_URI_MAX + 1, "%s", model->occupations[occ].uri);
    return rc;
}

fow_code fow_people_add(fow_people *p, const fow_people_staff *staff, const fow_model *model,
                        const fow_person_input *in, long long now, char id_out[FOW_PERSON_ID_CHARS + 1],
                        fow_error *err) {
    id_out[0] = '\0';
    fow_code rc = check_staff(staff, err);
    if (!rc) rc = check_values(in, now, err);
    if (rc) return rc;
    const char *sex = in->sex && in->sex[0] ? in->sex : "";
    const char *status = in->employment_status && in->employment_status[0] ? in->employment_status : "unknown";
    const char *organisation = in->organisation && in->organisation[0] ? in->organisation : staff->organisation;
    if (!organisation || !organisation[0])
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "organisation",
                                "organisation is required: the organisation that serves the person");
    if (!staff->all_organisations && strcmp(organisation, staff->organisation) != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "organisation",
                                "a counsellor adds people only to their own organisation (%s)", staff->organisation);
    people_row *row = calloc(1, sizeof *row);
    if (!row) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    rc = occupation_uri_of(model, in->occupation, row->occupation_uri, err);
    if (!rc) {
        new_id(row->id);
        if (in->name && in->name[0]) {
            seal(p, row->id, "name", in->name, row->name_box, &row->name_box_len);
            rc = lookup_hash(p, "name", in->name, row->name_lookup, err);
        }
        if (!rc && in->contact && in->contact[0]) {
            seal(p, row->id, "contact", in->contact, row->contact_box, &row->contact_box_len);
            rc = lookup_hash(p, "contact", in->contact, row->contact_lookup, err);
        }
        row->birth_year = in->birth_year;
        snprintf(row->sex, sizeof row->sex, "%s", sex);
        snprintf(row->area, sizeof row->area, "%s", in->area ? in->area : "");
        snprintf(row->employment_status, sizeof row->employment_status, "%s", status);
        snprintf(row->organisation, sizeof row->organisation, "%s", organisation);
        row->created_at = now;
        snprintf(row->created_by, sizeof row->created_by, "%s", staff->name);
    }
    if (!rc && !(rc = fow_db_begin(p->db, err))) {
        rc = people_store_insert(p->db, row, err);
        if (!rc) rc = audit(p, staff, now, "add", row->id, "", err);
        rc = finish(p, rc, err);
    }
    if (!rc) snprintf(id_out, FOW_PERSON_ID_CHARS + 1, "%s", row->id);
    sodium_memzero(row, sizeof *row);
    free(row);
    return rc;
}

/* Appends field to the list of changed fields in list (cap bytes). */
static void note_field(char *list, size_t cap, const char *field) {
    size_t n = strlen(list);
    snprintf(list + n, cap - n, "%s%s", n ? ", " : "", field);
}

fow_code fow_people_update(fow_people *p, const fow_people_staff *staff, const fow_model *model, const char *id,
                           const fow_person_update *u, long long now, fow_error *err) {
    fow_code rc = check_staff(staff, err);
    if (!rc) rc = check_id(id, err);
    if (rc) return rc;
    const fow_person_input *in = &u->values;
    if (!(u->name || u->contact || u->birth_year || u->sex || u->area || u->occupation || u->employment_status))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person",
                                "nothing to change: give name, contact, birth_year, sex, area, occupation or "
                                "employment_status");
    /* only the fields changed are checked (the others are NULL, "" or 0 here: valid) */
    fow_person_input checked = {.name = u->name ? in->name : NULL,
                                .contact = u->contact ? in->contact : NULL,
                                .birth_year = u->birth_year ? in->birth_year : 0,
                                .sex = u->sex ? in->sex : NULL,
                                .area = u->area ? in->area : NULL,
                                .employment_status = u->employment_status ? in->employment_status : NULL};
    if ((rc = check_values(&checked, now, err))) return rc;
    char occupation_uri[FOW_PERSON_URI_MAX + 1] = "";
    if (u->occupation && (rc = occupation_uri_of(model, in->occupation, occupation_uri, err))) return rc;
    people_row *row = calloc(1, sizeof *row);
    if (!row) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    char changed[160] = "";
    if ((rc = fow_db_begin(p->db, err))) {
        free(row);
        return rc;
    }
    rc = load_visible(p, staff, id, row, err);
    if (!rc && u->name) {
        row->name_box_len = 0;
        row->name_lookup[0] = '\0';
        if (in->name && in->name[0]) {
            seal(p, row->id, "name", in->name, row->name_box, &row->name_box_len);
            rc = lookup_hash(p, "name", in->name, row->name_lookup, err);
        }
        note_field(changed, sizeof changed, "name");
    }
    if (!rc && u->contact) {
        row->contact_box_len = 0;
        row->contact_lookup[0] = '\0';
        if (in->contact && in->contact[0]) {
            seal(p, row->id, "contact", in->contact, row->contact_box, &row->contact_box_len);
            rc = lookup_hash(p, "contact", in->contact, row->contact_lookup, err);
        }
        note_field(changed, sizeof changed, "contact");
    }
    if (!rc) {
        if (u->birth_year) {
            row->birth_year = in->birth_year;
            note_field(changed, sizeof changed, "birth_year");
        }
        if (u->sex) {
            snprintf(row->sex, sizeof row->sex, "%s", in->sex ? in->sex : "");
            note_field(changed, sizeof changed, "sex");
        }
        if (u->area) {
            snprintf(row->area, sizeof row->area, "%s", in->area ? in->area : "");
            note_field(changed, sizeof changed, "area");
        }
        if (u->occupation) {
            snprintf(row->occupation_uri, sizeof row->occupation_uri, "%s", occupation_uri);
            note_field(changed, sizeof changed, "occupation");
        }
        if (u->employment_status) {
            snprintf(row->employment_status, sizeof row->employment_status, "%s",
                     in->employment_status && in->employment_status[0] ? in->employment_status : "unknown");
            note_field(changed, sizeof changed, "employment_status");
        }
        rc = people_store_update(p->db, row, err);
    }
    /* the audit names the fields changed, never their values */
    char reason[FOW_PERSON_REASON_MAX + 1];
    snprintf(reason, sizeof reason, "changed: %s", changed);
    if (!rc) rc = audit(p, staff, now, "update", id, reason, err);
    rc = finish(p, rc, err);
    sodium_memzero(row, sizeof *row);
    free(row);
    return rc;
}

/* Reads person id (visible to staff) whole, decrypted, with its consents
 * in force; inside the caller's transaction. */
static fow_code read_person(fow_people *p, const fow_people_staff *staff, const char *id, fow_person *out,
                            fow_error *err) {
    people_row *row = calloc(1, sizeof *row);
    if (!row) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    fow_code rc = load_visible(p, staff, id, row, err);
    if (!rc) {
        row_to_person(row, out);
        rc = open_box(p, row->id, "name", row->name_box, row->name_box_len, out->name, sizeof out->name, err);
        if (!rc)
            rc = open_box(p, row->id, "contact", row->contact_box, row->contact_box_len, out->contact,
                          sizeof out->contact, err);
    }
    fow_consent *c = NULL;
    size_t n = 0;
    if (!rc && !(rc = people_store_consents(p->db, id, &c, &n, err))) fill_consents(out, c, n);
    free(c);
    sodium_memzero(row, sizeof *row);
    free(row);
    return rc;
}

fow_code fow_people_get(fow_people *p, const fow_people_staff *staff, const char *id, const char *reason,
                        long long now, fow_person *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    fow_code rc = check_reader(staff, err);
    if (!rc) rc = check_id(id, err);
    if (!rc) rc = check_reason(reason, err);
    if (rc || (rc = fow_db_begin(p->db, err))) return rc;
    rc = read_person(p, staff, id, out, err);
    if (!rc) rc = audit(p, staff, now, "read", id, reason, err);
    rc = finish(p, rc, err);
    if (rc) sodium_memzero(out, sizeof *out);
    return rc;
}

fow_code fow_people_list(fow_people *p, const fow_people_staff *staff, long long now, fow_person **out, size_t *n,
                         fow_error *err) {
    *out = NULL;
    *n = 0;
    fow_code rc = check_staff(staff, err);
    if (rc || (rc = fow_db_begin(p->db, err))) return rc;
    people_row *rows = NULL;
    size_t n_rows = 0;
    rc = people_store_list(p->db, staff->all_organisations ? NULL : staff->organisation, &rows, &n_rows, err);
    if (!rc && n_rows && !(*out = calloc(n_rows, sizeof **out))) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n_rows; i++) {
        row_to_person(&rows[i], &(*out)[i]);
        fow_consent *c = NULL;
        size_t nc = 0;
        if (!(rc = people_store_consents(p->db, rows[i].id, &c, &nc, err))) fill_consents(&(*out)[i], c, nc);
        free(c);
    }
    free(rows);
    if (!rc) rc = audit(p, staff, now, "list", "", "list of people", err);
    rc = finish(p, rc, err);
    if (rc) {
        free(*out);
        *out = NULL;
    } else {
        *n = n_rows;
    }
    return rc;
}

fow_code fow_people_find(fow_people *p, const fow_people_staff *staff, int which, const char *text,
                         const char *reason, long long now, char (*ids)[FOW_PERSON_ID_CHARS + 1], size_t max,
                         size_t *n, fow_error *err) {
    *n = 0;
    const char *field = which == 0 ? "name" : "contact";
    fow_code rc = check_staff(staff, err);
    if (!rc) rc = check_text(text, which == 0 ? FOW_PERSON_NAME_MAX : FOW_PERSON_CONTACT_MAX, true, field, err);
    if (!rc) rc = check_reason(reason, err);
    char lookup[PEOPLE_LOOKUP_HEX + 1];
    if (!rc) rc = lookup_hash(p, field, text, lookup, err);
    if (rc || (rc = fow_db_begin(p->db, err))) return rc;
    rc = people_store_find(p->db, staff->all_organisations ? NULL : staff->organisation, which, lookup, ids, max, n,
                           err);
    for (size_t i = 0; !rc && i < *n; i++) rc = audit(p, staff, now, "find", ids[i], reason, err);
    rc = finish(p, rc, err);
    if (rc) *n = 0;
    return rc;
}

/* ---- consent ----------------------------------------------------------------------- */

static fow_code check_purpose(fow_purpose purpose, fow_error *err) {
    if ((int)purpose < 0 || purpose >= FOW_PURPOSE_COUNT)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "purpose",
                                "purpose must be counselling, training, vouchers or statistics");
    return FOW_OK;
}

/* Whether person id's consent to purpose is in force; *withdrawn_at the
 * last withdrawal (0 none). */
static fow_code consent_state(fow_people *p, const char *id, fow_purpose purpose, bool *in_force,
                              long long *withdrawn_at, fow_error *err) {
    *in_force = false;
    *withdrawn_at = 0;
    fow_consent *c = NULL;
    size_t n = 0;
    fow_code rc = people_store_consents(p->db, id, &c, &n, err);
    for (size_t i = 0; !rc && i < n; i++) {
        if (c[i].purpose != purpose) continue;
        if (c[i].withdrawn_at == 0) *in_force = true;
        else if (c[i].withdrawn_at > *withdrawn_at) *withdrawn_at = c[i].withdrawn_at;
    }
    free(c);
    return rc;
}

static fow_code require_in_transaction(fow_people *p, const char *id, fow_purpose purpose, fow_error *err) {
    bool in_force;
    long long withdrawn_at;
    fow_code rc = consent_state(p, id, purpose, &in_force, &withdrawn_at, err);
    if (rc || in_force) return rc;
    if (withdrawn_at) {
        char when[32];
        time_t t = (time_t)withdrawn_at;
        struct tm tm;
        strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime_r(&t, &tm));
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "consent",
                                "person %s withdrew consent to %s on %s: nothing may be done for that purpose", id,
                                fow_purpose_name(purpose), when);
    }
    return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "consent",
                            "person %s has not given consent to %s: record it first", id, fow_purpose_name(purpose));
}

fow_code fow_people_consent_give(fow_people *p, const fow_people_staff *staff, const char *id, fow_purpose purpose,
                                 const char *text_version, long long now, fow_error *err) {
    fow_code rc = check_staff(staff, err);
    if (!rc) rc = check_id(id, err);
    if (!rc) rc = check_purpose(purpose, err);
    if (!rc && (!text_version || !text_version[0] || strlen(text_version) > FOW_PERSON_TEXT_VERSION_MAX ||
                strspn(text_version, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
                    strlen(text_version)))
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "text_version",
                              "text_version must name the version of the consent text the person agreed to: 1 to %d "
                              "letters, digits, '.', '_' or '-'",
                              FOW_PERSON_TEXT_VERSION_MAX);
    if (rc || (rc = fow_db_begin(p->db, err))) return rc;
    people_row row;
    rc = load_visible(p, staff, id, &row, err);
    bool in_force = false;
    long long withdrawn_at;
    if (!rc) rc = consent_state(p, id, purpose, &in_force, &withdrawn_at, err);
    if (!rc && in_force)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "purpose", "person %s's consent to %s is already in force",
                              id, fow_purpose_name(purpose));
    if (!rc) rc = people_store_consent_add(p->db, id, purpose, text_version, now, staff->name, err);
    if (!rc) rc = audit(p, staff, now, "consent", id, fow_purpose_name(purpose), err);
    sodium_memzero(&row, sizeof row);
    return finish(p, rc, err);
}

fow_code fow_people_consent_withdraw(fow_people *p, const fow_people_staff *staff, const char *id,
                                     fow_purpose purpose, long long now, fow_error *err) {
    fow_code rc = check_staff(staff, err);
    if (!rc) rc = check_id(id, err);
    if (!rc) rc = check_purpose(purpose, err);
    if (rc || (rc = fow_db_begin(p->db, err))) return rc;
    people_row row;
    rc = load_visible(p, staff, id, &row, err);
    long long changed = 0;
    if (!rc) rc = people_store_consent_withdraw(p->db, id, purpose, now, staff->name, &changed, err);
    if (!rc && changed == 0)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "purpose", "person %s has no consent to %s in force", id,
                              fow_purpose_name(purpose));
    if (!rc) rc = audit(p, staff, now, "withdraw", id, fow_purpose_name(purpose), err);
    sodium_memzero(&row, sizeof row);
    return finish(p, rc, err);
}

fow_code fow_people_visible(fow_people *p, const fow_people_staff *staff, const char *id, fow_error *err) {
    fow_code rc = check_reader(staff, err);
    if (!rc) rc = check_id(id, err);
    bool own = !fow_db_in_transaction(p->db);
    if (rc || (own && (rc = fow_db_read_begin(p->db, err)))) return rc;
    people_row row;
    rc = load_visible(p, staff, id, &row, err);
    if (own) fow_db_read_end(p->db);
    sodium_memzero(&row, sizeof row);
    return rc;
}

fow_code fow_people_known(fow_db *db, const char *id, bool *known, fow_error *err) {
    *known = false;
    if (check_id(id, NULL) != FOW_OK) return FOW_OK;
    return people_store_known(db, id, known, err);
}

fow_code fow_people_consents(fow_people *p, const fow_people_staff *staff, const char *id, fow_consent **out,
                             size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    fow_code rc = check_reader(staff, err);
    if (!rc) rc = check_id(id, err);
    if (rc || (rc = fow_db_read_begin(p->db, err))) return rc;
    people_row row;
    rc = load_visible(p, staff, id, &row, err);
    if (!rc) rc = people_store_consents(p->db, id, out, n, err);
    fow_db_read_end(p->db);
    sodium_memzero(&row, sizeof row);
    return rc;
}

fow_code fow_people_require_consent(fow_people *p, const fow_people_staff *staff, const char *id,
                                    fow_purpose purpose, fow_error *err) {
    fow_code rc = check_staff(staff, err);
    if (!rc) rc = check_id(id, err);
    if (!rc) rc = check_purpose(purpose, err);
    /* inside the caller's transaction when there is one: a write
     * transaction (BEGIN IMMEDIATE) then sees every withdrawal committed
     * before it, and none can commit until it ends */
    bool own = !fow_db_in_transaction(p->db);
    if (rc || (own && (rc = fow_db_read_begin(p->db, err)))) return rc;
    people_row row;
    rc = load_visible(p, staff, id, &row, err);
    if (!rc) rc = require_in_transaction(p, id, purpose, err);
    if (own) fow_db_read_end(p->db);
    sodium_memzero(&row, sizeof row);
    return rc;
}

/* ---- the skills profile ---------------------------------------------------------------- */

/* Begins a write transaction on person id for a skills change: visible
 * and with counselling consent in force. */
static fow_code begin_profile(fow_people *p, const fow_people_staff *staff, bool reading, const char *id,
                              people_row *row, fow_error *err) {
    fow_code rc = check_actor(staff, reading, err);
    if (!rc) rc = check_id(id, err);
    if (rc || (rc = fow_db_begin(p->db, err))) return rc;
    rc = load_visible(p, staff, id, row, err);
    if (!rc) rc = require_in_transaction(p, id, FOW_PURPOSE_COUNSELLING, err);
    if (rc) fow_db_rollback(p->db);
    return rc;
}

/* The stored key of the skill named by key in model: its URI, or its label
 * when it has none. FOW_ENOTFOUND (field "skill") with close matches. */
static fow_code skill_key(const fow_model *model, const char *key, uint32_t *index, fow_error *err) {
    if (!key || !key[0]) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "skill", "skill is required");
    if (!model) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "skill", "no taxonomy is loaded to find the skill in");
    *index = fow_resolve_skill_key(model, key);
    if (*index != FOW_NO_INDEX) return FOW_OK;
    fow_skill_resolution res;
    fow_resolve_skill(model, key, &res);
    if (res.skill != FOW_NO_INDEX) {
        *index = res.skill;
        return FOW_OK;
    }
    char close[512];
    fow_resolve_format_suggestions(model, 1, res.suggestions, res.n_suggestions, close, sizeof close);
    return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "skill", "no skill '%.100s'%s%s", key,
                            res.n_suggestions ? "; close: " : "", res.n_suggestions ? close : "");
}

static const char *stored_skill(const fow_model *model, uint32_t index) {
    const fow_model_skill *s = &model->skills[index];
    return s->uri[0] ? s->uri : s->label;
}

fow_code fow_people_skill_add(fow_people *p, const fow_people_staff *staff, const fow_model *model, const char *id,
                              const char *skill, fow_skill_provenance provenance, const char *detail, long long now,
                              fow_error *err) {
    uint32_t index;
    fow_code rc = skill_key(model, skill, &index, err);
    if (!rc && ((int)provenance < 0 || provenance >= FOW_SKILL_PROVENANCE_COUNT))
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "provenance",
                              "provenance must be declared, counsellor, occupation, assessment or credential");
    if (!rc) rc = check_text(detail, FOW_PERSON_DETAIL_MAX, false, "detail", err);
    people_row row;
    if (rc || (rc = begin_profile(p, staff, false, id, &row, err))) return rc;
    bool added;
    rc = people_store_skill_put(p->db, id, stored_skill(model, index), provenance, detail, now, staff->name, &added, err);
    if (!rc) rc = audit(p, staff, now, "skill-add", id, fow_skill_provenance_name(provenance), err);
    sodium_memzero(&row, sizeof row);
    return finish(p, rc, err);
}

fow_code fow_people_skill_remove(fow_people *p, const fow_people_staff *staff, const fow_model *model,
                                 const char *id, const char *skill, fow_skill_provenance provenance, long long now,
                                 fow_error *err) {
    uint32_t index;
    fow_code rc = skill_key(model, skill, &index, err);
    people_row row;
    if (rc || (rc = begin_profile(p, staff, false, id, &row, err))) return rc;
    long long removed = 0;
    rc = people_store_skill_remove(p->db, id, stored_skill(model, index), provenance, &removed, err);
    if (!rc && removed == 0)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "skill", "person %s's profile has no skill '%.100s'%s%s",
                              id, model->skills[index].label, provenance < FOW_SKILL_PROVENANCE_COUNT ? " as " : "",
                              provenance < FOW_SKILL_PROVENANCE_COUNT ? fow_skill_provenance_name(provenance) : "");
    if (!rc) rc = audit(p, staff, now, "skill-remove", id, "", err);
    sodium_memzero(&row, sizeof row);
    return finish(p, rc, err);
}

fow_code fow_people_skills_infer(fow_people *p, const fow_people_staff *staff, const fow_model *model,
                                 const char *id, long long now, size_t *added, fow_error *err) {
    if (added) *added = 0;
    if (!model) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "occupation", "no taxonomy is loaded");
    people_row row;
    fow_code rc = begin_profile(p, staff, false, id, &row, err);
    if (rc) return rc;
    uint32_t occ = row.occupation_uri[0]
                       ? fow_model_occupation_by_key(model, true, row.occupation_uri, strlen(row.occupation_uri))
                       : FOW_NO_INDEX;
    if (!row.occupation_uri[0])
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "occupation", "person %s has no occupation recorded", id);
    else if (occ == FOW_NO_INDEX)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "occupation",
                              "person %s's occupation %s is not in the loaded taxonomy", id, row.occupation_uri);
    size_t count = 0;
    for (uint32_t k = occ == FOW_NO_INDEX ? 0 : model->occ_offsets[occ];
         !rc && occ != FOW_NO_INDEX && k < model->occ_offsets[occ + 1]; k++) {
        if (!model->occ_links[k].essential) continue;
        bool is_new;
        rc = people_store_skill_put(p->db, id, stored_skill(model, model->occ_links[k].index), FOW_SKILL_OCCUPATION,
                                    row.occupation_uri, now, staff->name, &is_new, err);
        count += is_new;
    }
    if (!rc) rc = audit(p, staff, now, "skill-infer", id, "occupation", err);
    sodium_memzero(&row, sizeof row);
    rc = finish(p, rc, err);
    if (!rc && added) *added = count;
    return rc;
}

/* Sets each skill's index in model. */
static void index_skills(const fow_model *model, fow_person_skill *s, size_t n) {
    for (size_t i = 0; i < n; i++) s[i].index = model ? fow_resolve_skill_key(model, s[i].skill) : FOW_NO_INDEX;
    if (!model) return;
    for (size_t i = 0; i < n; i++) {
        if (s[i].index != FOW_NO_INDEX) continue;
        fow_skill_resolution res;
        fow_resolve_skill(model, s[i].skill, &res);
        s[i].index = res.skill;
    }
}

fow_code fow_people_skills(fow_people *p, const fow_people_staff *staff, const fow_model *model, const char *id,
                           const char *reason, long long now, fow_person_skill **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    if (reason && (check_text(reason, FOW_PERSON_REASON_MAX, false, "reason", err))) return err ? err->code : FOW_EINPUT;
    people_row row;
    fow_code rc = begin_profile(p, staff, true, id, &row, err);
    if (rc) return rc;
    rc = people_store_skills(p->db, id, out, n, err);
    if (!rc) rc = audit(p, staff, now, "skills", id, reason && reason[0] ? reason : "skills profile", err);
    sodium_memzero(&row, sizeof row);
    rc = finish(p, rc, err);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    } else {
        index_skills(model, *out, *n);
    }
    return rc;
}

/* The distinct skills of skills[0..n) that model holds, in profile order,
 * into held (room for n), with the entry each came from first (from; may
 * be NULL); their number in *used. FOW_EINPUT (field "skills") when none. */
static fow_code distinct_known(const fow_model *model, const fow_person_skill *skills, size_t n, uint32_t *held,
                               size_t *from, uint32_t *used, fow_error *err) {
    *used = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t s = skills[i].index;
        if (s == FOW_NO_INDEX || s >= model->n_skills) continue;
        bool seen = false;
        for (uint32_t j = 0; j < *used && !seen; j++) seen = held[j] == s;
        if (seen) continue;
        if (from) from[*used] = i;
        held[(*used)++] = s;
    }
    if (*used == 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "skills",
                                "the skills profile holds no skill of the loaded taxonomy: add skills first");
    return FOW_OK;
}

/* The person's occupation in model, FOW_NO_INDEX when none or unknown. */
static uint32_t occupation_in(const fow_model *model, const char *occupation_uri) {
    if (!occupation_uri || !occupation_uri[0]) return FOW_NO_INDEX;
    return fow_model_occupation_by_key(model, true, occupation_uri, strlen(occupation_uri));
}

fow_code fow_people_profile_origin(fow_people *p, const fow_people_staff *staff, const fow_model *model,
                                   const char *id, const char *reason, long long now, fow_person_origin *out,
                                   fow_error *err) {
    memset(out, 0, sizeof *out);
    out->judge_as = FOW_NO_INDEX;
    if (!model) return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "skills", "no taxonomy is loaded");
    fow_person *person = calloc(1, sizeof *person);
    if (!person) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    fow_code rc = fow_people_get(p, staff, id, reason, now, person, err);
    if (!rc) rc = fow_people_skills(p, staff, model, id, reason, now, &out->entries, &out->n_profile, err);
    size_t n = out->n_profile ? out->n_profile : 1;
    size_t *from = NULL;
    if (!rc && (!(out->skills = calloc(n, sizeof *out->skills)) || !(out->keys = calloc(n, sizeof *out->keys)) ||
                !(out->provenance = calloc(n, sizeof *out->provenance)) || !(from = calloc(n, sizeof *from))))
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    if (!rc) rc = distinct_known(model, out->entries, out->n_profile, out->skills, from, &out->n, err);
    for (uint32_t i = 0; !rc && i < out->n; i++) {
        out->keys[i] = out->entries[from[i]].skill;
        out->provenance[i] = out->entries[from[i]].provenance;
    }
    if (!rc) {
        out->judge_as = occupation_in(model, person->occupation_uri);
        snprintf(out->person, sizeof out->person, "%s", person->id);
    }
    free(from);
    sodium_memzero(person, sizeof *person);
    free(person);
    return rc;
}

void fow_person_origin_free(fow_person_origin *o) {
    if (!o) return;
    free(o->skills);
    free(o->keys);
    free(o->provenance);
    free(o->entries);
    memset(o, 0, sizeof *o);
    o->judge_as = FOW_NO_INDEX;
}

fow_code fow_people_transitions(fow_similarity_workspace *ws, const char *occupation_uri,
                                const fow_person_skill *skills, size_t n, const fow_transition_query *q,
                                fow_transition *out, uint32_t cap, uint32_t *n_out, uint32_t *n_matching,
                                uint32_t *judge_as, uint32_t *n_used, fow_error *err) {
    const fow_model *model = ws->index->model;
    *n_out = 0;
    if (n_matching) *n_matching = 0;
    *judge_as = FOW_NO_INDEX;
    *n_used = 0;
    uint32_t *held = malloc((n ? n : 1) * sizeof *held);
    if (!held) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    uint32_t used = 0;
    fow_code rc = distinct_known(model, skills, n, held, NULL, &used, err);
    if (rc) {
        free(held);
        return rc;
    }
    *judge_as = occupation_in(model, occupation_uri);
    fow_similarity_origin_skills(ws, held, used);
    if (*judge_as != FOW_NO_INDEX) fow_similarity_origin_context(ws, *judge_as); /* work context and ISCO parts */
    fow_transitions_rank(ws, *judge_as, *judge_as, q, out, cap, n_out, n_matching);
    *n_used = used;
    free(held);
    return FOW_OK;
}

/* ---- export, erasure, audit, counts ------------------------------------------------------ */

static const fow_people_attachment *attachments[FOW_PEOPLE_ATTACHMENTS_MAX];
static size_t n_attachments;

fow_code fow_people_attach(const fow_people_attachment *a, fow_error *err) {
    for (size_t i = 0; i < n_attachments; i++)
        if (attachments[i] == a) return FOW_OK;
    if (n_attachments == FOW_PEOPLE_ATTACHMENTS_MAX)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "key", "too many subjects attached to people");
    attachments[n_attachments++] = a;
    return FOW_OK;
}

fow_code fow_people_export(fow_people *p, const fow_people_staff *staff, const char *id, const char *reason,
                           long long now, fow_jw *w, fow_error *err) {
    fow_code rc = check_reader(staff, err);
    if (!rc) rc = check_id(id, err);
    if (!rc) rc = check_reason(reason, err);
    if (rc || (rc = fow_db_begin(p->db, err))) return rc;
    fow_person *person = calloc(1, sizeof *person);
    fow_consent *consents = NULL;
    fow_person_skill *skills = NULL;
    fow_audit_entry *entries = NULL;
    size_t n_consents = 0, n_skills = 0, n_entries = 0;
    if (!person) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    if (!rc) rc = read_person(p, staff, id, person, err);
    if (!rc) rc = people_store_consents(p->db, id, &consents, &n_consents, err);
    if (!rc) rc = people_store_skills(p->db, id, &skills, &n_skills, err);
    if (!rc) rc = audit(p, staff, now, "export", id, reason, err);
    if (!rc) rc = people_store_audit(p->db, id, 100000, &entries, &n_entries, err);
    rc = finish(p, rc, err);
    if (!rc) {
        fow_jw_object(w);
        fow_jw_kstring(w, "format", "fow-person-export/1");
        fow_jw_key(w, "exported_at");
        fow_people_write_time(w, now);
        fow_jw_kstring(w, "exported_by", staff->name);
        fow_jw_key(w, "person");
        fow_people_write_person(w, person, NULL, NULL, true);
        fow_jw_key(w, "consents");
        fow_people_write_consents(w, consents, n_consents);
        fow_jw_key(w, "skills");
        fow_people_write_skills(w, skills, n_skills, NULL, NULL);
        fow_jw_key(w, "audit");
        fow_people_write_audit(w, entries, n_entries);
        if (n_attachments && !(rc = fow_db_read_begin(p->db, err))) {
            for (size_t i = 0; i < n_attachments && !rc; i++) {
                fow_jw_key(w, attachments[i]->key);
                rc = attachments[i]->export_fn(p->db, id, w, err);
            }
            fow_db_read_end(p->db);
        }
        fow_jw_object_end(w);
        if (fow_jw_failed(w)) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    }
    if (person) sodium_memzero(person, sizeof *person);
    free(person);
    free(consents);
    free(skills);
    free(entries);
    return rc;
}

fow_code fow_people_erase(fow_people *p, const fow_people_staff *staff, const char *id, const char *reason,
                          long long now, fow_erasure *out, fow_error *err) {
    fow_erasure result = {0};
    if (out) *out = result;
    fow_code rc = check_staff(staff, err);
    if (!rc) rc = check_id(id, err);
    if (!rc) rc = check_reason(reason, err);
    if (rc || (rc = fow_db_begin(p->db, err))) return rc;
    people_row *row = calloc(1, sizeof *row);
    if (!row) rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    if (!rc) rc = load_visible(p, staff, id, row, err);
    if (!rc) rc = people_store_erase(p->db, id, now, &result.consents, &result.skills, err);
    for (size_t i = 0; i < n_attachments && !rc; i++) {
        size_t removed = 0;
        rc = attachments[i]->erase_fn(p->db, id, &removed, err);
        result.attached += removed;
    }
    if (!rc) rc = fow_accounts_disable_person(p->db, id, now, &result.accounts_disabled, err);
    if (!rc) rc = audit(p, staff, now, "erase", id, reason, err);
    if (row) sodium_memzero(row, sizeof *row);
    free(row);
    if ((rc = finish(p, rc, err))) return rc;
    /* the pages written before the erasure may still be in the WAL */
    if ((rc = fow_db_checkpoint_truncate(p->db, &result.wal_cleared, err))) return rc;
    if (out) *out = result;
    return FOW_OK;
}

fow_code fow_people_audit(fow_people *p, const fow_people_staff *staff, const char *person, size_t limit,
                          fow_audit_entry **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    fow_code rc = check_staff(staff, err);
    if (rc) return rc;
    if (!staff->all_organisations)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "role", "only an administrator reads the audit log");
    if (person && person[0] && (rc = check_id(person, err))) return rc;
    if ((rc = fow_db_read_begin(p->db, err))) return rc;
    rc = people_store_audit(p->db, person && person[0] ? person : NULL, limit ? limit : 1000, out, n, err);
    fow_db_read_end(p->db);
    return rc;
}

fow_code fow_people_counts(fow_people *p, const fow_people_staff *staff, fow_people_count **out, size_t *n,
                           fow_error *err) {
    *out = NULL;
    *n = 0;
    fow_code rc = check_staff(staff, err);
    if (rc || (rc = fow_db_read_begin(p->db, err))) return rc;
    rc = people_store_counts(p->db, staff->all_organisations ? NULL : staff->organisation, out, n, err);
    fow_db_read_end(p->db);
    return rc;
}
