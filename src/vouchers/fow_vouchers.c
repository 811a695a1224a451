/* fow_vouchers.c — vouchers: issue, activation, cancellation, expiry;
 * redemption at enrolment, claims, refunds and payment batches
 * (fow_vouchers.h). Every movement of money is a ledger transfer
 * (fow_ledger.h) in the same transaction as the rows it changes. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vouchers/fow_calls.h"
#include "accounts/fow_accounts.h"
#include "vouchers/fow_ledger.h"
#include "vouchers/fow_vouchers.h"
#include "vouchers/vouchers_store.h"

/* ---- codes ---- */

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
#define CODE_DATA 15 /* random characters; a 16th is the check character */

/* The value 0..31 of a code character (O, I, L read as 0, 1, 1), or -1. */
static int code_value(char c) {
    if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    const char *p = c ? strchr(crockford, c) : NULL;
    return p ? (int)(p - crockford) : -1;
}

/* Luhn mod 32 check value of the n values. */
static int luhn32_check(const int *values, int n) {
    int factor = 2, sum = 0;
    for (int i = n - 1; i >= 0; i--) {
        int addend = factor * values[i];
        factor = factor == 2 ? 1 : 2;
        sum += addend / 32 + addend % 32;
    }
    return (32 - sum % 32) % 32;
}

static void code_format(const int values[CODE_DATA + 1], char code[FOW_VOUCHER_CODE_CHARS + 1]) {
    char *p = code;
    memcpy(p, "CEV", 3);
    p += 3;
    for (int i = 0; i <= CODE_DATA; i++) {
        if (i % 4 == 0) *p++ = '-';
        *p++ = crockford[values[i]];
    }
    *p = '\0';
}

static void code_new(char code[FOW_VOUCHER_CODE_CHARS + 1]) {
    int values[CODE_DATA + 1];
    for (int i = 0; i < CODE_DATA; i++) values[i] = (int)randombytes_uniform(32);
    values[CODE_DATA] = luhn32_check(values, CODE_DATA);
    code_format(values, code);
}

int fow_voucher_code_normalise(const char *typed, char code[FOW_VOUCHER_CODE_CHARS + 1]) {
    if (!typed) return -1;
    const char *p = typed;
    while (*p == ' ') p++;
    if ((p[0] == 'C' || p[0] == 'c') && (p[1] == 'E' || p[1] == 'e') && (p[2] == 'V' || p[2] == 'v')) p += 3;
    int values[CODE_DATA + 1], n = 0;
    for (; *p; p++) {
        if (*p == '-' || *p == ' ') continue;
        int v = code_value(*p);
        if (v < 0 || n > CODE_DATA) return -1;
        values[n++] = v;
    }
    if (n != CODE_DATA + 1 || luhn32_check(values, CODE_DATA) != values[CODE_DATA]) return -1;
    code_format(values, code);
    return 0;
}

/* ---- small checks ---- */

static bool valid_date(const char *s) {
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
    int max = days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return d <= max;
}

static void date_of(int64_t now, char out[11]) {
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    if (strftime(out, 11, "%Y-%m-%d", &tm) != 10) snprintf(out, 11, "0000-00-00");
}

static bool text_ok(const char *s, size_t max) {
    if (!s) return true;
    if (strlen(s) > max) return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f) return false;
    return true;
}

static fow_code check_actor(const char *actor, fow_error *err) {
    if (!actor || !*actor || !text_ok(actor, FOW_LEDGER_ACTOR_MAX))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "actor", "who acts is 1 to %d bytes",
                                FOW_LEDGER_ACTOR_MAX);
    return FOW_OK;
}

/* Posts a transfer of amount (> 0) of kind between two accounts ensured
 * for their owners, inside the caller's transaction. */
static fow_code move(fow_db *db, const char *kind, fow_ledger_account_kind from_kind, int64_t from_owner,
                     fow_ledger_account_kind to_kind, int64_t to_owner, const char *currency, int64_t amount,
                     const char *key, const char *actor, const char *reason, int64_t now, fow_error *err) {
    int64_t from, to;
    fow_code rc = fow_ledger_account_ensure(db, from_kind, from_owner, currency, &from, err);
    if (!rc) rc = fow_ledger_account_ensure(db, to_kind, to_owner, currency, &to, err);
    if (rc) return rc;
    fow_ledger_transfer_in in = {.key = key,
                                 .kind = kind,
                                 .from_account = from,
                                 .to_account = to,
                                 .amount_minor = amount,
                                 .actor = actor,
                                 .reason = reason,
                                 .at = now};
    return fow_ledger_post(db, &in, NULL, NULL, err);
}

static fow_code voucher_or_not_found(fow_db *db, int64_t id, fow_voucher *out, fow_error *err) {
    bool found;
    fow_code rc = vstore_voucher_get(db, id, out, &found, err);
    if (!rc && !found) rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "voucher", "no voucher %" PRId64, id);
    return rc;
}

/* ---- issue ---- */

static fow_code check_issue(fow_db *db, const fow_training_catalogue *catalogue, const fow_voucher_issue_in *in,
                            fow_error *err) {
    if (in->value_minor <= 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "value",
                                "a voucher's value is a positive amount of minor units, not %" PRId64, in->value_minor);
    if (!valid_date(in->valid_from))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "valid_from", "valid_from is a date YYYY-MM-DD, not '%s'",
                                in->valid_from ? in->valid_from : "");
    if (!valid_date(in->valid_until) || strcmp(in->valid_until, in->valid_from) < 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "valid_until",
                                "valid_until is a date YYYY-MM-DD not before valid_from (%s), not '%s'",
                                in->valid_from, in->valid_until ? in->valid_until : "");
    if (in->min_attendance_percent < -1 || in->min_attendance_percent > 100)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "min_attendance_percent",
                                "the minimum attendance is 0 to 100 percent, not %d", in->min_attendance_percent);
    if (!text_ok(in->note, 256))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "note", "a note is at most 256 bytes, one line");
    if (!text_ok(in->award_ref, 64))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "award_ref", "an award reference is at most 64 bytes");
    if (in->key && (!*in->key || !text_ok(in->key, FOW_LEDGER_KEY_MAX - 6)))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "key", "an idempotency key is 1 to %d bytes, one line",
                                FOW_LEDGER_KEY_MAX - 6);
    if (in->n_providers > FOW_VOUCHER_MAX_ALLOWED || in->n_modules > FOW_VOUCHER_MAX_ALLOWED)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, in->n_providers > FOW_VOUCHER_MAX_ALLOWED ? "providers" : "modules",
                                "a voucher names at most %d providers and %d modules", FOW_VOUCHER_MAX_ALLOWED,
                                FOW_VOUCHER_MAX_ALLOWED);
    for (size_t i = 0; i < in->n_providers; i++) {
        char name[256];
        fow_code rc = fow_training_provider_name(db, in->providers[i], name, sizeof name, err);
        if (rc == FOW_ENOTFOUND)
            return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "providers", "no training provider %" PRId64,
                                    in->providers[i]);
        if (rc) return rc;
    }
    for (size_t i = 0; i < in->n_modules; i++)
        if (!catalogue || !fow_training_module_by_code(catalogue, in->modules[i]))
            return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "modules", "no module with code '%s'",
                                    in->modules[i]);
    return FOW_OK;
}

/* Who the voucher is for: a person's id, or an enterprise's valid
 * registration code and name (no database). */
static fow_code check_beneficiary(const fow_voucher_issue_in *in, fow_error *err) {
    if (in->beneficiary == FOW_BENEFICIARY_ENTERPRISE) {
        if (in->person && *in->person)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person",
                                    "an enterprise's voucher names no person");
        if (!in->enterprise_code || strlen(in->enterprise_code) > FOW_VOUCHER_ENTERPRISE_CODE_CHARS ||
            !fow_registration_code_valid(in->enterprise_code))
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "enterprise_code",
                                    "'%s' is not a Romanian registration code (CUI) with a valid control digit",
                                    in->enterprise_code ? in->enterprise_code : "");
        if (!in->enterprise_name || !*in->enterprise_name ||
            !text_ok(in->enterprise_name, FOW_VOUCHER_ENTERPRISE_NAME_CHARS))
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "enterprise_name",
                                    "an enterprise's name is 1 to %d bytes, one line",
                                    FOW_VOUCHER_ENTERPRISE_NAME_CHARS);
        return FOW_OK;
    }
    if (in->beneficiary != FOW_BENEFICIARY_PERSON)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "beneficiary", "a voucher is for a person or an enterprise");
    if (!in->person || !*in->person || strlen(in->person) > FOW_VOUCHER_PERSON_CHARS)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person", "a voucher is issued to a person's id");
    return FOW_OK;
}

/* The same beneficiary as in: the same person, or the same enterprise. */
static bool same_beneficiary(const fow_voucher *v, const fow_voucher_issue_in *in) {
    if (in->beneficiary == FOW_BENEFICIARY_ENTERPRISE)
        return strcmp(v->beneficiary_kind, "enterprise") == 0 && strcmp(v->enterprise_code, in->enterprise_code) == 0;
    return strcmp(v->beneficiary_kind, "person") == 0 && strcmp(v->person, in->person) == 0;
}

/* The voucher of in, inside the open write transaction: the one issued
 * under key before (a retry), or a new one with its transfer "issue". */
static fow_code issue_within(fow_db *db, const fow_voucher_issue_in *in, const char *key, const char *actor,
                             int64_t now, fow_voucher *out, fow_error *err) {
    int64_t existing = 0;
    fow_code rc = vstore_voucher_id_by_issue_key(db, key, &existing, err);
    if (!rc && existing) {
        rc = voucher_or_not_found(db, existing, out, err);
        if (!rc && (out->line_id != in->line_id || !same_beneficiary(out, in) || out->value_minor != in->value_minor))
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "key",
                                  "idempotency key '%s' issued voucher %" PRId64 " (line %" PRId64 ", value %" PRId64
                                  "), not this one",
                                  key + 6, existing, out->line_id, out->value_minor);
        return rc;
    }
    fow_budget_line line;
    bool found = false;
    if (!rc) rc = fow_budget_line_get(db, in->line_id, &line, err);
    if (!rc && in->beneficiary == FOW_BENEFICIARY_ENTERPRISE && !fow_voucher_purpose_for_enterprise(line.purpose))
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "purpose",
                              "budget line %" PRId64 " is for %s: an enterprise's voucher is for business_support or "
                              "lab_time",
                              line.id, line.purpose);
    if (!rc && line.available_minor < in->value_minor) {
        char have[32], want[32];
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "value",
                              "budget line %" PRId64 " has %s %s available, less than the voucher's %s", line.id,
                              fow_money_format(line.available_minor, have, sizeof have), line.currency,
                              fow_money_format(in->value_minor, want, sizeof want));
    }
    fow_voucher v;
    memset(&v, 0, sizeof v);
    if (!rc) {
        do {
            code_new(v.code);
            rc = vstore_code_exists(db, v.code, &found, err);
        } while (!rc && found);
    }
    int64_t id = 0;
    if (!rc) {
        bool enterprise = in->beneficiary == FOW_BENEFICIARY_ENTERPRISE;
        v.line_id = line.id;
        snprintf(v.purpose, sizeof v.purpose, "%s", line.purpose);
        snprintf(v.beneficiary_kind, sizeof v.beneficiary_kind, "%s", enterprise ? "enterprise" : "person");
        snprintf(v.person, sizeof v.person, "%s", enterprise ? "" : in->person);
        snprintf(v.enterprise_code, sizeof v.enterprise_code, "%s", enterprise ? in->enterprise_code : "");
        snprintf(v.enterprise_name, sizeof v.enterprise_name, "%s", enterprise ? in->enterprise_name : "");
        v.value_minor = in->value_minor;
        snprintf(v.currency, sizeof v.currency, "%s", line.currency);
        snprintf(v.valid_from, sizeof v.valid_from, "%s", in->valid_from);
        snprintf(v.valid_until, sizeof v.valid_until, "%s", in->valid_until);
        snprintf(v.status, sizeof v.status, "%s", in->active ? "active" : "issued");
        v.min_attendance_percent = in->min_attendance_percent < 0 ? 80 : in->min_attendance_percent;
        snprintf(v.award_ref, sizeof v.award_ref, "%s", in->award_ref ? in->award_ref : "");
        v.issued_at = now;
        snprintf(v.issued_by, sizeof v.issued_by, "%s", actor);
        snprintf(v.note, sizeof v.note, "%s", in->note ? in->note : "");
        rc = vstore_voucher_insert(db, &v, key, &id, err);
    }
    for (size_t i = 0; !rc && i < in->n_providers; i++) rc = vstore_voucher_allow_provider(db, id, in->providers[i], err);
    for (size_t i = 0; !rc && i < in->n_modules; i++) rc = vstore_voucher_allow_module(db, id, in->modules[i], err);
    if (!rc) {
        char reason[96];
        snprintf(reason, sizeof reason, "voucher %" PRId64 " issued from budget line %" PRId64, id, line.id);
        rc = move(db, "issue", FOW_ACCOUNT_AVAILABLE, line.id, FOW_ACCOUNT_VOUCHER, id, line.currency, in->value_minor,
                  key, actor, reason, now, err);
    }
    if (!rc) rc = voucher_or_not_found(db, id, out, err);
    return rc;
}

fow_code fow_voucher_issue_in_transaction(fow_db *db, fow_people *people, const fow_people_staff *staff,
                                         const fow_training_catalogue *catalogue, const fow_voucher_issue_in *in,
                                         const char *actor, int64_t now, fow_voucher *out, fow_error *err) {
    if (!fow_db_in_transaction(db))
        return fow_error_set(err, FOW_EINTERNAL, "a voucher is issued inside the caller's write transaction");
    if (sodium_init() < 0) return fow_error_set(err, FOW_EINTERNAL, "libsodium could not be initialised");
    fow_code rc = check_actor(actor, err);
    if (!rc) rc = check_issue(db, catalogue, in, err);
    if (!rc) rc = check_beneficiary(in, err);
    if (!rc && in->beneficiary == FOW_BENEFICIARY_PERSON) {
        if (!people) return fow_error_set(err, FOW_EINTERNAL, "issuing a person's voucher needs the people register");
        /* read in this transaction: a withdrawal committed before is never missed */
        rc = fow_people_require_consent(people, staff, in->person, FOW_PURPOSE_VOUCHERS, err);
    }
    if (rc) return rc;
    char key[FOW_LEDGER_KEY_MAX + 1];
    if (in->key) {
        snprintf(key, sizeof key, "issue:%s", in->key);
    } else {
        unsigned char random[16];
        char hex[33];
        randombytes_buf(random, sizeof random);
        sodium_bin2hex(hex, sizeof hex, random, sizeof random);
        snprintf(key, sizeof key, "issue:%s", hex);
    }
    return issue_within(db, in, key, actor, now, out, err);
}

fow_code fow_voucher_issue(fow_db *db, fow_people *people, const fow_people_staff *staff,
                           const fow_training_catalogue *catalogue, const fow_voucher_issue_in *in, const char *actor,
                           int64_t now, fow_voucher *out, fow_error *err) {
    fow_code rc = fow_db_begin(db, err);
    if (rc) return rc;
    rc = fow_voucher_issue_in_transaction(db, people, staff, catalogue, in, actor, now, out, err);
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) fow_db_rollback(db);
    return rc;
}

/* The days of month m (0..11) of year y. */
static int month_days(int y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return days[m] + (m == 1 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

int fow_voucher_validity_end(const char *valid_from, int months, char until[11]) {
    if (!valid_date(valid_from) || months < 1 || months > 600) return -1;
    int y = atoi(valid_from), m = atoi(valid_from + 5) - 1 + months, d = atoi(valid_from + 8);
    y += m / 12;
    m %= 12;
    if (d > month_days(y, m)) { /* no such date that month: the validity ends on its last day */
        snprintf(until, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)(m + 1) % 100u,
                 (unsigned)month_days(y, m) % 100u);
        return 0;
    }
    if (--d == 0) { /* the day before the 1st: the last of the month before */
        if (--m < 0) {
            m = 11;
            y--;
        }
        d = month_days(y, m);
    }
    if (y > 9999) return -1;
    snprintf(until, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)(m + 1) % 100u, (unsigned)d % 100u);
    return 0;
}

fow_code fow_vouchers_issue_award(fow_db *db, const fow_calls_award *a, long long *voucher_id, fow_error *err) {
    *voucher_id = 0;
    char from[11], until[11], key[48];
    date_of(a->now, from);
    int months = a->voucher_valid_months > 0 ? a->voucher_valid_months : FOW_CALL_VOUCHER_MONTHS_DEFAULT;
    if (fow_voucher_validity_end(from, months, until) != 0)
        return fow_error_set(err, FOW_EINTERNAL, "no validity of %d months from %s", months, from);
    snprintf(key, sizeof key, "award:%lld", a->award_id);
    bool enterprise = a->kind == FOW_APPLICANT_ENTERPRISE;
    fow_voucher_issue_in in = {.line_id = a->budget_line_id,
                               .beneficiary = enterprise ? FOW_BENEFICIARY_ENTERPRISE : FOW_BENEFICIARY_PERSON,
                               .person = enterprise ? NULL : a->person,
                               .enterprise_code = enterprise ? a->registration_code : NULL,
                               .enterprise_name = enterprise ? a->enterprise_name : NULL,
                               .value_minor = a->value_minor,
                               .valid_from = from,
                               .valid_until = until,
                               .min_attendance_percent = a->voucher_min_attendance,
                               .award_ref = key,
                               .key = key,
                               .active = a->voucher_active};
    /* the award is the programme's decision: its consent read sees every organisation */
    fow_people_staff office = {.name = a->actor, .organisation = "", .all_organisations = true};
    fow_voucher *v = malloc(sizeof *v);
    if (!v) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    fow_code rc = fow_voucher_issue_in_transaction(db, a->people, &office, NULL, &in, a->actor, a->now, v, err);
    if (!rc) *voucher_id = v->id;
    free(v);
    return rc;
}

void fow_vouchers_attach_calls(void) { fow_calls_set_issuer(fow_vouchers_issue_award); }

fow_code fow_voucher_get(fow_db *db, int64_t id, fow_voucher *out, fow_error *err) {
    return voucher_or_not_found(db, id, out, err);
}

fow_code fow_voucher_by_code(fow_db *db, const char *typed, fow_voucher *out, fow_error *err) {
    char code[FOW_VOUCHER_CODE_CHARS + 1];
    if (fow_voucher_code_normalise(typed, code) != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "code",
                                "'%s' is not a voucher code (CEV- and 16 characters, the last a check character): "
                                "check it for a typing error",
                                typed ? typed : "");
    int64_t id;
    fow_code rc = vstore_voucher_id_by_code(db, code, &id, err);
    if (!rc && !id) rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "voucher", "no voucher %s", code);
    if (!rc) rc = voucher_or_not_found(db, id, out, err);
    return rc;
}

fow_code fow_vouchers_list(fow_db *db, const char *person, int64_t line_id, const char *status, fow_voucher **out,
                           size_t *n, fow_error *err) {
    fow_code rc = vstore_vouchers_list(db, person, line_id, status, out, n, err);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* ---- activation, cancellation, expiry ---- */

fow_code fow_voucher_activate(fow_db *db, int64_t id, const char *actor, int64_t now, fow_error *err) {
    fow_code rc = check_actor(actor, err);
    if (rc || (rc = fow_db_begin(db, err))) return rc;
    fow_voucher v;
    rc = voucher_or_not_found(db, id, &v, err);
    if (!rc && strcmp(v.status, "issued") == 0) rc = vstore_voucher_set_status(db, id, "active", actor, now, err);
    else if (!rc && strcmp(v.status, "active") != 0)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "voucher", "voucher %" PRId64 " is %s: it cannot be activated",
                              id, v.status);
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) fow_db_rollback(db);
    return rc;
}

/* Ends voucher v (issued or active) as status (expired or cancelled),
 * returning its rest to its line (transfer of kind kind). In the caller's
 * transaction. */
static fow_code end_voucher(fow_db *db, const fow_voucher *v, const char *status, const char *kind, const char *reason,
                            const char *actor, int64_t now, fow_error *err) {
    fow_code rc = vstore_voucher_set_status(db, v->id, status, actor, now, err);
    if (!rc && v->balance_minor > 0) {
        char key[64];
        snprintf(key, sizeof key, "voucher:%" PRId64 ":%s", v->id, kind);
        rc = move(db, kind, FOW_ACCOUNT_VOUCHER, v->id, FOW_ACCOUNT_AVAILABLE, v->line_id, v->currency,
                  v->balance_minor, key, actor, reason, now, err);
    }
    return rc;
}

fow_code fow_voucher_cancel(fow_db *db, int64_t id, const char *reason, const char *actor, int64_t now,
                            fow_error *err) {
    fow_code rc = check_actor(actor, err);
    if (!rc && (!reason || !*reason || !text_ok(reason, FOW_LEDGER_REASON_MAX)))
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "reason", "a cancellation needs a reason of 1 to %d bytes",
                              FOW_LEDGER_REASON_MAX);
    if (rc || (rc = fow_db_begin(db, err))) return rc;
    fow_voucher v;
    rc = voucher_or_not_found(db, id, &v, err);
    if (!rc && strcmp(v.status, "issued") != 0 && strcmp(v.status, "active") != 0)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "voucher", "voucher %" PRId64 " is already %s", id, v.status);
    if (!rc) rc = end_voucher(db, &v, "cancelled", "cancel", reason, actor, now, err);
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) fow_db_rollback(db);
    return rc;
}

fow_code fow_vouchers_expire(fow_db *db, const char *as_of, const char *actor, int64_t now, size_t *expired,
                             int64_t *returned_minor, fow_error *err) {
    if (expired) *expired = 0;
    if (returned_minor) *returned_minor = 0;
    fow_code rc = check_actor(actor, err);
    if (!rc && !valid_date(as_of))
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "as_of", "as_of is a date YYYY-MM-DD, not '%s'",
                              as_of ? as_of : "");
    if (rc || (rc = fow_db_begin(db, err))) return rc;
    int64_t *ids = NULL;
    size_t n = 0, done = 0;
    int64_t returned = 0;
    rc = vstore_vouchers_expiring(db, as_of, &ids, &n, err);
    for (size_t i = 0; !rc && i < n; i++) {
        fow_voucher v;
        rc = voucher_or_not_found(db, ids[i], &v, err);
        char reason[96];
        snprintf(reason, sizeof reason, "voucher %" PRId64 " expired: last day %s, run as of %s", v.id, v.valid_until,
                 as_of);
        if (!rc) rc = end_voucher(db, &v, "expired", "expire", reason, actor, now, err);
        if (!rc) {
            done++;
            returned += v.balance_minor;
        }
    }
    free(ids);
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) {
        fow_db_rollback(db);
        return rc;
    }
    if (expired) *expired = done;
    if (returned_minor) *returned_minor = returned;
    return FOW_OK;
}

/* ---- redemption ---- */

static bool allows_provider(const fow_voucher *v, int64_t provider) {
    if (v->n_providers == 0) return true;
    for (size_t i = 0; i < v->n_providers; i++)
        if (v->providers[i] == provider) return true;
    return false;
}

static bool allows_module(const fow_voucher *v, const char *code) {
    if (v->n_modules == 0) return true;
    for (size_t i = 0; i < v->n_modules; i++)
        if (strcmp(v->modules[i], code) == 0) return true;
    return false;
}

bool fow_voucher_allows(const fow_voucher *v, int64_t provider, const char *module) {
    return allows_provider(v, provider) && (!module || allows_module(v, module));
}

static fow_code redemption_or_not_found(fow_db *db, int64_t id, fow_redemption *out, fow_error *err) {
    bool found;
    fow_code rc = vstore_redemption_get(db, id, out, &found, err);
    if (!rc && !found)
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "redemption", "no redemption %" PRId64, id);
    return rc;
}

/* A replay of key: FOW_OK with *out when it names the same voucher and
 * cohort, FOW_EINPUT (field "key") otherwise. */
static fow_code replay(fow_db *db, int64_t id, const char *code, int64_t cohort_id, const char *key,
                       fow_redemption *out, fow_error *err) {
    fow_code rc = redemption_or_not_found(db, id, out, err);
    if (!rc && (strcmp(out->voucher_code, code) != 0 || out->cohort_id != cohort_id))
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "key",
                              "idempotency key '%s' redeemed voucher %s for cohort %" PRId64 ", not this request", key,
                              out->voucher_code, out->cohort_id);
    return rc;
}

/* A provider's account redeems as the bearer of the code: it must not learn
 * anything about a voucher it cannot take beyond "not valid here". */
static bool redeems_as_provider(const fow_cohort_actor *who) { return who->role == FOW_ROLE_PROVIDER; }

static fow_code not_valid_here(fow_error *err) {
    return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "voucher", "%s", FOW_VOUCHER_NOT_VALID_HERE);
}

/* For a provider's account, a refusal about the voucher itself (unknown,
 * not active, out of its dates, not for this provider or module, the
 * holder's vouchers consent) becomes "not valid here". */
static fow_code hide_from_provider(bool provider, fow_code rc, fow_error *err) {
    if (!provider || !rc) return rc;
    if (strcmp(err->field, "voucher") == 0 || strcmp(err->field, "consent") == 0 ||
        strcmp(err->field, "person") == 0)
        return not_valid_here(err);
    return rc;
}

fow_code fow_voucher_redeem(fow_db *db, fow_people *people, const fow_cohort_actor *who,
                            const fow_training_catalogue *catalogue, const fow_redeem_in *in, int64_t now,
                            fow_redemption *out, bool *replayed, fow_error *err) {
    if (replayed) *replayed = false;
    fow_code rc = check_actor(who->staff.name, err);
    if (rc) return rc;
    if (!in->key || !*in->key || !text_ok(in->key, FOW_LEDGER_KEY_MAX - 7))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "key",
                                "a redemption needs an idempotency key of 1 to %d bytes, one line",
                                FOW_LEDGER_KEY_MAX - 7);
    char code[FOW_VOUCHER_CODE_CHARS + 1];
    if (fow_voucher_code_normalise(in->code, code) != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "code",
                                "'%s' is not a voucher code (CEV- and 16 characters, the last a check character): "
                                "check it for a typing error",
                                in->code ? in->code : "");
    const bool provider = redeems_as_provider(who);
    if (provider && who->provider_id <= 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "role", "this account works for no training provider");
    const int64_t provider_id = provider ? who->provider_id : in->provider_id;
    int64_t existing;
    if ((rc = vstore_redemption_id_by_key(db, in->key, &existing, err))) return rc;
    if (existing) {
        rc = replay(db, existing, code, in->cohort_id, in->key, out, err);
        if (provider && (rc ? strcmp(err->field, "key") == 0 : out->provider_id != provider_id))
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "key",
                                  "idempotency key '%s' was used for another request: send a new key", in->key);
        rc = hide_from_provider(provider, rc, err);
        if (!rc && replayed) *replayed = true;
        return rc;
    }
    fow_voucher v;
    if ((rc = hide_from_provider(provider, fow_voucher_by_code(db, code, &v, err), err))) return rc;
    if (strcmp(v.beneficiary_kind, "enterprise") == 0)
        return hide_from_provider(provider,
                                  fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "voucher",
                                                   "voucher %s is enterprise %s's (%s): it pays for %s, not for an "
                                                   "enrolment",
                                                   v.code, v.enterprise_code, v.enterprise_name, v.purpose),
                                  err);
    fow_cohort *cohort = malloc(sizeof *cohort);
    if (!cohort) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    rc = fow_cohort_get(db, in->cohort_id, cohort, err);
    const fow_training_module *m = NULL;
    if (!rc && !(m = fow_training_module_by_code(catalogue, cohort->module)))
        rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "module",
                              "cohort %" PRId64 "'s module %s is not in the catalogue", in->cohort_id, cohort->module);
    free(cohort);
    if (rc) return rc;
    char today[11];
    date_of(now, today);
    if (strcmp(m->status, "approved") != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "module",
                                "module %s is %s, not approved: vouchers pay for approved modules only", m->code,
                                m->status);
    if (m->accreditation_valid_until[0] && strcmp(m->accreditation_valid_until, today) < 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "provider",
                                "%s's accreditation %s ended on %s", m->provider, m->accreditation,
                                m->accreditation_valid_until);
    if (provider && m->provider_id != provider_id)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "role",
                                "cohort %" PRId64 "'s module %s belongs to another training provider: this account "
                                "may not enrol in it",
                                in->cohort_id, m->code);
    if (provider_id && m->provider_id != provider_id)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "provider",
                                "module %s is run by provider %" PRId64 ", not by provider %" PRId64, m->code,
                                m->provider_id, provider_id);
    /* the provider learns the voucher's balance only when it may take it */
    if (provider && (strcmp(v.status, "active") != 0 || strcmp(today, v.valid_from) < 0 ||
                     strcmp(today, v.valid_until) > 0 || !allows_provider(&v, m->provider_id) ||
                     !allows_module(&v, m->code) || v.balance_minor <= 0))
        return not_valid_here(err);
    int64_t amount = in->amount_minor ? in->amount_minor : m->cost_minor;
    char have[32], want[32];
    if (amount <= 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "amount",
                                "module %s states no cost: give the amount to redeem", m->code);
    if (m->cost_minor > 0 && amount > m->cost_minor)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "amount",
                                "%s is more than module %s costs (%s %s)", fow_money_format(amount, want, sizeof want),
                                m->code, fow_money_format(m->cost_minor, have, sizeof have), m->currency);
    if (m->cost_minor > 0 && strcmp(m->currency, v.currency) != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "module", "module %s costs %s, the voucher holds %s",
                                m->code, m->currency, v.currency);
    /* a provider reaches the holder through the code they presented */
    const fow_people_staff bearer = {.name = who->staff.name, .organisation = "", .all_organisations = true};
    rc = fow_people_require_consent(people, provider ? &bearer : &who->staff, v.person, FOW_PURPOSE_VOUCHERS, err);
    if ((rc = hide_from_provider(provider, rc, err))) return rc;
    fow_enrol_ticket ticket;
    if (provider) rc = fow_cohort_enrol_prepare_bearer(db, people, who, in->cohort_id, v.person, now, &ticket, err);
    else rc = fow_cohort_enrol_prepare(people, who, in->cohort_id, v.person, now, &ticket, err);
    if (rc) return rc;

    /* the checks of money, the enrolment, the claim and the transfer: one
     * BEGIN IMMEDIATE transaction, so concurrent redemptions of one voucher
     * see each other's balance and no more than it holds is ever redeemed */
    if ((rc = fow_db_begin(db, err))) return rc;
    rc = vstore_redemption_id_by_key(db, in->key, &existing, err);
    if (!rc && existing) {
        rc = replay(db, existing, code, in->cohort_id, in->key, out, err);
        fow_db_rollback(db);
        if (!rc && replayed) *replayed = true;
        return rc;
    }
    if (!rc) rc = voucher_or_not_found(db, v.id, &v, err);
    if (!rc && strcmp(v.status, "active") != 0)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "voucher", "voucher %s is %s, not active%s", v.code,
                              v.status, strcmp(v.status, "issued") == 0 ? ": activate it first" : "");
    if (!rc && (strcmp(today, v.valid_from) < 0 || strcmp(today, v.valid_until) > 0))
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "voucher", "voucher %s is valid from %s to %s, not on %s",
                              v.code, v.valid_from, v.valid_until, today);
    if (!rc && !allows_provider(&v, m->provider_id))
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "provider",
                              "voucher %s is not for provider %" PRId64 " (%s)", v.code, m->provider_id, m->provider);
    if (!rc && !allows_module(&v, m->code))
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "module", "voucher %s is not for module %s", v.code,
                              m->code);
    if (rc && provider &&
        (strcmp(err->field, "voucher") == 0 || strcmp(err->field, "provider") == 0 ||
         strcmp(err->field, "module") == 0))
        rc = not_valid_here(err);
    if (!rc && v.balance_minor < amount)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "amount", "voucher %s holds %s %s, less than %s", v.code,
                              fow_money_format(v.balance_minor, have, sizeof have), v.currency,
                              fow_money_format(amount, want, sizeof want));
    fow_enrolment enrolment;
    bool created = false;
    if (!rc) rc = fow_cohort_enrol_in_transaction(db, &ticket, now, &enrolment, &created, err);
    if (!rc && enrolment.status != FOW_ENROLMENT_ENROLLED)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "cohort",
                              "cohort %" PRId64 " has no seat left for this enrolment (%s): nothing was redeemed",
                              in->cohort_id, fow_enrolment_status_name(enrolment.status));
    if (!rc && !created) {
        int64_t other;
        rc = vstore_redemption_id_by_enrolment(db, enrolment.id, &other, err);
        if (!rc && other)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "cohort",
                                  "the enrolment in cohort %" PRId64 " was already paid by redemption %" PRId64,
                                  in->cohort_id, other);
    }
    fow_redemption r;
    memset(&r, 0, sizeof r);
    int64_t id = 0;
    if (!rc) {
        r.voucher_id = v.id;
        r.provider_id = m->provider_id;
        r.enrolment_id = enrolment.id;
        r.cohort_id = in->cohort_id;
        snprintf(r.module, sizeof r.module, "%s", m->code);
        r.amount_minor = amount;
        snprintf(r.currency, sizeof r.currency, "%s", v.currency);
        snprintf(r.status, sizeof r.status, "redeemed");
        snprintf(r.key, sizeof r.key, "%s", in->key);
        r.redeemed_at = now;
        snprintf(r.redeemed_by, sizeof r.redeemed_by, "%s", who->staff.name);
        rc = vstore_redemption_insert(db, &r, &id, err);
    }
    if (!rc) {
        char key[FOW_LEDGER_KEY_MAX + 1], reason[128];
        snprintf(key, sizeof key, "redeem:%s", in->key);
        snprintf(reason, sizeof reason, "voucher %" PRId64 " redeemed for enrolment %" PRId64 " in cohort %" PRId64
                 " (%s)", v.id, enrolment.id, in->cohort_id, m->code);
        rc = move(db, "redeem", FOW_ACCOUNT_VOUCHER, v.id, FOW_ACCOUNT_CLAIM, id, v.currency, amount, key,
                  who->staff.name, reason, now, err);
    }
    if (!rc) rc = redemption_or_not_found(db, id, out, err);
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) fow_db_rollback(db);
    return rc;
}

fow_code fow_redemption_get(fow_db *db, int64_t id, fow_redemption *out, fow_error *err) {
    return redemption_or_not_found(db, id, out, err);
}

fow_code fow_redemptions_list(fow_db *db, int64_t provider_id, const char *status, int64_t batch_id,
                              fow_redemption **out, size_t *n, fow_error *err) {
    fow_code rc = vstore_redemptions_list(db, provider_id, status, batch_id, out, n, err);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* Refunds claim r (status redeemed) inside the caller's transaction. */
static fow_code refund_in(fow_db *db, const fow_redemption *r, const char *reason, int attendance, const char *actor,
                          int64_t now, fow_error *err) {
    char key[64];
    snprintf(key, sizeof key, "redemption:%" PRId64 ":refund", r->id);
    fow_code rc = move(db, "refund", FOW_ACCOUNT_CLAIM, r->id, FOW_ACCOUNT_VOUCHER, r->voucher_id, r->currency,
                       r->amount_minor, key, actor, reason, now, err);
    if (!rc) rc = vstore_redemption_update(db, r->id, "refunded", reason, attendance, 0, -1, actor, now, err);
    fow_voucher v;
    if (!rc) rc = voucher_or_not_found(db, r->voucher_id, &v, err);
    bool ended = !rc && (strcmp(v.status, "expired") == 0 || strcmp(v.status, "cancelled") == 0);
    if (ended) {
        /* the voucher can no longer be used: the money goes on to its line */
        const char *kind = strcmp(v.status, "expired") == 0 ? "expire" : "cancel";
        snprintf(key, sizeof key, "redemption:%" PRId64 ":return", r->id);
        rc = move(db, kind, FOW_ACCOUNT_VOUCHER, v.id, FOW_ACCOUNT_AVAILABLE, v.line_id, v.currency, r->amount_minor,
                  key, actor, "refund of a redemption of a voucher no longer usable", now, err);
    }
    return rc;
}

fow_code fow_redemption_refund(fow_db *db, int64_t id, const char *reason, const char *actor, int64_t now,
                               fow_error *err) {
    fow_code rc = check_actor(actor, err);
    if (!rc && (!reason || !*reason || !text_ok(reason, FOW_LEDGER_REASON_MAX)))
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "reason", "a refund needs a reason of 1 to %d bytes",
                              FOW_LEDGER_REASON_MAX);
    if (rc || (rc = fow_db_begin(db, err))) return rc;
    fow_redemption r;
    rc = redemption_or_not_found(db, id, &r, err);
    if (!rc && strcmp(r.status, "redeemed") != 0)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "redemption",
                              "redemption %" PRId64 " is %s: only a claim not yet payable is refunded", id, r.status);
    if (!rc) rc = refund_in(db, &r, reason, -1, actor, now, err);
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) fow_db_rollback(db);
    return rc;
}

/* ---- claims and payments ---- */

fow_code fow_voucher_claims_settle(fow_db *db, const fow_cohort_actor *who, const char *actor, int64_t now,
                                   size_t *payable, size_t *refunded, fow_error *err) {
    if (payable) *payable = 0;
    if (refunded) *refunded = 0;
    fow_code rc = check_actor(actor, err);
    /* the voucher office (manage_vouchers) settles without reading people records: it reads the
     * attendance of the enrolments its own claims name, by pseudonymous id, as an office of every
     * organisation; else the staff who enrol (admin, counsellor) */
    bool office = who && fow_role_allows((fow_role)who->role, FOW_PERM_MANAGE_VOUCHERS);
    if (!rc && !office) rc = fow_cohort_authorise(who, FOW_COHORT_ENROL, -1, err);
    if (rc) return rc;
    fow_cohort_actor reader = *who;
    if (office) {
        reader.role = FOW_ROLE_ADMIN;
        reader.staff.all_organisations = true;
        reader.provider_id = 0;
    }
    who = &reader;
    fow_redemption *claims = NULL;
    size_t n = 0;
    if ((rc = fow_redemptions_list(db, 0, "redeemed", 0, &claims, &n, err))) return rc;
    for (size_t i = 0; !rc && i < n; i++) {
        fow_redemption *r = &claims[i];
        fow_enrolment *list = NULL;
        size_t n_list = 0;
        if ((rc = fow_cohort_enrolments(db, who, r->cohort_id, &list, &n_list, err))) break;
        const fow_enrolment *e = NULL;
        for (size_t k = 0; k < n_list; k++)
            if (list[k].id == r->enrolment_id) e = &list[k];
        if (!e || e->status != FOW_ENROLMENT_COMPLETED) {
            free(list);
            continue;
        }
        size_t present = 0;
        for (size_t s = 0; s < e->n_sessions; s++) present += e->attendance[s] == 1;
        int percent = e->n_sessions ? (int)(present * 100 / e->n_sessions) : 100;
        size_t n_sessions = e->n_sessions;
        free(list);
        if ((rc = fow_db_begin(db, err))) break;
        fow_redemption now_r;
        fow_voucher v;
        rc = redemption_or_not_found(db, r->id, &now_r, err);
        if (!rc) rc = voucher_or_not_found(db, r->voucher_id, &v, err);
        if (!rc && strcmp(now_r.status, "redeemed") == 0) {
            char note[160];
            if (percent >= v.min_attendance_percent) {
                snprintf(note, sizeof note, "completed; attended %zu of %zu sessions (%d%%), at least %d%%", present,
                         n_sessions, percent, v.min_attendance_percent);
                char key[64];
                snprintf(key, sizeof key, "redemption:%" PRId64 ":complete", r->id);
                rc = move(db, "complete", FOW_ACCOUNT_CLAIM, r->id, FOW_ACCOUNT_PAYABLE, r->provider_id, r->currency,
                          r->amount_minor, key, actor, note, now, err);
                if (!rc) rc = vstore_redemption_update(db, r->id, "payable", note, percent, now, -1, actor, now, err);
                if (!rc && payable) (*payable)++;
            } else {
                snprintf(note, sizeof note, "attended %zu of %zu sessions (%d%%), less than the %d%% required",
                         present, n_sessions, percent, v.min_attendance_percent);
                rc = refund_in(db, r, note, percent, actor, now, err);
                if (!rc && refunded) (*refunded)++;
            }
        }
        if (!rc) rc = fow_db_commit(db, err);
        if (rc) fow_db_rollback(db);
    }
    free(claims);
    return rc;
}

fow_code fow_payment_batch_build(fow_db *db, const char *currency, const char *key, const char *actor, int64_t now,
                                 int64_t *id, bool *replayed, fow_error *err) {
    *id = 0;
    if (replayed) *replayed = false;
    fow_code rc = check_actor(actor, err);
    if (!rc && (!currency || strlen(currency) != 3))
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "currency", "a currency is three letters, not '%s'",
                              currency ? currency : "");
    if (!rc && key && *key && !text_ok(key, 128))
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "key", "a batch's key is 1 to 128 printable bytes");
    if (rc || (rc = fow_db_begin(db, err))) return rc;
    if (key && *key) {
        fow_payment_batch earlier;
        bool found = false;
        rc = vstore_batch_by_key(db, key, &earlier, &found, err);
        if (!rc && found && strcmp(earlier.currency, currency) != 0)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "key",
                                  "key '%s' built payment batch %" PRId64 " in %s, not in %s", key, earlier.id,
                                  earlier.currency, currency);
        if (!rc && found) {
            fow_db_rollback(db);
            *id = earlier.id;
            if (replayed) *replayed = true;
            return FOW_OK;
        }
        if (rc) {
            fow_db_rollback(db);
            return rc;
        }
    }
    fow_redemption *claims = NULL;
    size_t n = 0;
    fow_voucher_lab_charge *charges = NULL;
    size_t n_charges = 0;
    rc = vstore_redemptions_list(db, 0, "payable", 0, &claims, &n, err);
    if (!rc) rc = vstore_lab_charges_list(db, 0, 0, "payable", now, &charges, &n_charges, err);
    int64_t total = 0, count = 0, lab_count = 0;
    for (size_t i = 0; !rc && i < n; i++)
        if (strcmp(claims[i].currency, currency) == 0) {
            total += claims[i].amount_minor;
            count++;
        }
    for (size_t i = 0; !rc && i < n_charges; i++)
        if (strcmp(charges[i].currency, currency) == 0) {
            total += charges[i].amount_minor;
            lab_count++;
        }
    if (!rc && count + lab_count == 0) {
        /* say what is waiting: lab charges whose booked slot has not ended yet */
        fow_voucher_lab_charge *pending = NULL;
        size_t n_pending = 0, waiting = 0;
        rc = vstore_lab_charges_list(db, 0, 0, "pending", now, &pending, &n_pending, err);
        for (size_t i = 0; !rc && i < n_pending; i++) waiting += strcmp(pending[i].currency, currency) == 0;
        free(pending);
        if (!rc && waiting)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "claims",
                                  "no payable claim or lab charge in %s to put in a batch (%zu lab charge%s pending: "
                                  "payable once the booked time is over)",
                                  currency, waiting, waiting == 1 ? " is" : "s are");
        else if (!rc)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "claims",
                                  "no payable claim or lab charge in %s to put in a batch", currency);
    }
    if (!rc) {
        fow_payment_batch b = {.total_minor = total, .claims = count, .lab_charges = lab_count, .created_at = now};
        snprintf(b.currency, sizeof b.currency, "%s", currency);
        snprintf(b.status, sizeof b.status, "draft");
        snprintf(b.created_by, sizeof b.created_by, "%s", actor);
        snprintf(b.key, sizeof b.key, "%s", key ? key : "");
        rc = vstore_batch_insert(db, &b, id, err);
    }
    for (size_t i = 0; !rc && i < n; i++)
        if (strcmp(claims[i].currency, currency) == 0)
            rc = vstore_redemption_update(db, claims[i].id, "batched", NULL, -1, 0, *id, actor, now, err);
    for (size_t i = 0; !rc && i < n_charges; i++)
        if (strcmp(charges[i].currency, currency) == 0)
            rc = vstore_lab_charge_set_batch(db, charges[i].id, *id, actor, now, err);
    free(claims);
    free(charges);
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) {
        fow_db_rollback(db);
        *id = 0;
    }
    return rc;
}

fow_code fow_payment_batch_create(fow_db *db, const char *currency, const char *actor, int64_t now, int64_t *id,
                                  fow_error *err) {
    return fow_payment_batch_build(db, currency, NULL, actor, now, id, NULL, err);
}

static fow_code batch_or_not_found(fow_db *db, int64_t id, fow_payment_batch *out, fow_error *err) {
    bool found;
    fow_code rc = vstore_batch_get(db, id, out, &found, err);
    if (!rc && !found) rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "batch", "no payment batch %" PRId64, id);
    return rc;
}

fow_code fow_payment_batch_approve(fow_db *db, int64_t id, const char *actor, int64_t now, fow_error *err) {
    fow_code rc = check_actor(actor, err);
    if (rc || (rc = fow_db_begin(db, err))) return rc;
    fow_payment_batch b;
    rc = batch_or_not_found(db, id, &b, err);
    if (!rc && strcmp(b.status, "draft") != 0)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "batch", "payment batch %" PRId64 " is already %s", id,
                              b.status);
    fow_redemption *claims = NULL;
    size_t n = 0;
    if (!rc) rc = vstore_redemptions_list(db, 0, "batched", id, &claims, &n, err);
    int64_t total = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        char key[64], reason[96];
        snprintf(key, sizeof key, "redemption:%" PRId64 ":pay", claims[i].id);
        snprintf(reason, sizeof reason, "payment batch %" PRId64 ", claim %" PRId64, id, claims[i].id);
        rc = move(db, "pay", FOW_ACCOUNT_PAYABLE, claims[i].provider_id, FOW_ACCOUNT_PAID, claims[i].provider_id,
                  claims[i].currency, claims[i].amount_minor, key, actor, reason, now, err);
        if (!rc) rc = vstore_redemption_update(db, claims[i].id, "paid", NULL, -1, 0, -1, actor, now, err);
        total += claims[i].amount_minor;
    }
    fow_voucher_lab_charge *charges = NULL;
    size_t n_charges = 0;
    if (!rc) rc = vstore_lab_charges_list(db, 0, id, NULL, now, &charges, &n_charges, err);
    for (size_t i = 0; !rc && i < n_charges; i++) {
        const fow_voucher_lab_charge *c = &charges[i];
        if (strcmp(c->status, "charged") != 0 || c->paid_at != 0) {
            rc = fow_error_set(err, FOW_EINTERNAL, "lab charge %" PRId64 " of payment batch %" PRId64 " is %s%s",
                               c->id, id, c->status, c->paid_at ? " and paid" : "");
            break;
        }
        char key[64], reason[128];
        snprintf(key, sizeof key, "lab-charge:%" PRId64 ":pay", c->id);
        snprintf(reason, sizeof reason, "payment batch %" PRId64 ", lab charge %" PRId64 " (lab booking %" PRId64 ")",
                 id, c->id, c->booking_id);
        rc = move(db, "pay", FOW_ACCOUNT_PAYABLE, c->provider_id, FOW_ACCOUNT_PAID, c->provider_id, c->currency,
                  c->amount_minor, key, actor, reason, now, err);
        if (!rc) rc = vstore_lab_charge_set_paid(db, c->id, actor, now, err);
        total += c->amount_minor;
    }
    if (!rc && (total != b.total_minor || (int64_t)n != b.claims || (int64_t)n_charges != b.lab_charges))
        rc = fow_error_set(err, FOW_EINTERNAL,
                           "payment batch %" PRId64 " holds %zu claims and %zu lab charges of %" PRId64
                           ", not the %" PRId64 " and %" PRId64 " of %" PRId64 " it was made with",
                           id, n, n_charges, total, b.claims, b.lab_charges, b.total_minor);
    free(claims);
    free(charges);
    if (!rc) rc = vstore_batch_approve(db, id, actor, now, err);
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) fow_db_rollback(db);
    return rc;
}

fow_code fow_payment_batch_get(fow_db *db, int64_t id, fow_payment_batch *out, fow_error *err) {
    return batch_or_not_found(db, id, out, err);
}

fow_code fow_payment_batches_list(fow_db *db, fow_payment_batch **out, size_t *n, fow_error *err) {
    fow_code rc = vstore_batches_list(db, out, n, err);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

static void csv_text(FILE *out, const char *text) {
    if (!strpbrk(text, ",\"\r\n")) {
        fputs(text, out);
        return;
    }
    fputc('"', out);
    for (const char *p = text; *p; p++) {
        if (*p == '"') fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

/* One payee of a batch: its claims and lab charges. */
typedef struct batch_payee {
    int64_t provider_id;
    int64_t claims, lab_charges;
    int64_t amount_minor, lab_minor;
} batch_payee;

/* The payees of batch id, in order of first appearance (claims by id, then
 * lab charges by id), into a new array *out (*n; free() it). */
static fow_code batch_payees(fow_db *db, int64_t id, batch_payee **out, size_t *n_out, fow_error *err) {
    *out = NULL;
    *n_out = 0;
    fow_redemption *claims = NULL;
    size_t n = 0;
    fow_voucher_lab_charge *charges = NULL;
    size_t n_charges = 0;
    fow_code rc = fow_redemptions_list(db, 0, NULL, id, &claims, &n, err);
    if (!rc) rc = vstore_lab_charges_list(db, 0, id, NULL, 0, &charges, &n_charges, err);
    batch_payee *payees = NULL;
    if (!rc && n + n_charges && !(payees = calloc(n + n_charges, sizeof *payees)))
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
    size_t m = 0;
    for (size_t i = 0; !rc && i < n + n_charges; i++) {
        bool lab = i >= n;
        int64_t provider = lab ? charges[i - n].provider_id : claims[i].provider_id;
        int64_t amount = lab ? charges[i - n].amount_minor : claims[i].amount_minor;
        size_t k = 0;
        while (k < m && payees[k].provider_id != provider) k++;
        if (k == m) payees[m++].provider_id = provider;
        payees[k].amount_minor += amount;
        if (lab) {
            payees[k].lab_charges++;
            payees[k].lab_minor += amount;
        } else {
            payees[k].claims++;
        }
    }
    free(claims);
    free(charges);
    if (rc) {
        free(payees);
        return rc;
    }
    *out = payees;
    *n_out = m;
    return FOW_OK;
}

fow_code fow_payment_batch_export(fow_db *db, int64_t id, FILE *out, fow_error *err) {
    fow_payment_batch b;
    fow_code rc = batch_or_not_found(db, id, &b, err);
    if (rc) return rc;
    batch_payee *payees = NULL;
    size_t n = 0;
    if ((rc = batch_payees(db, id, &payees, &n, err))) return rc;
    fputs("batch,provider_id,provider,claims,amount_minor,amount,currency,status,approved_at,lab_charges,lab_minor\r\n",
          out);
    for (size_t i = 0; !rc && i < n; i++) {
        const batch_payee *p = &payees[i];
        char name[256] = "", amount[32];
        if ((rc = fow_training_provider_name(db, p->provider_id, name, sizeof name, err)) == FOW_ENOTFOUND) {
            fow_error_clear(err);
            rc = FOW_OK;
            snprintf(name, sizeof name, "(provider %" PRId64 " no longer in the catalogue)", p->provider_id);
        }
        if (rc) break;
        fprintf(out, "%" PRId64 ",%" PRId64 ",", id, p->provider_id);
        csv_text(out, name);
        fprintf(out, ",%" PRId64 ",%" PRId64 ",%s,%s,%s,%" PRId64 ",%" PRId64 ",%" PRId64 "\r\n", p->claims,
                p->amount_minor, fow_money_format(p->amount_minor, amount, sizeof amount), b.currency, b.status,
                b.approved_at, p->lab_charges, p->lab_minor);
    }
    free(payees);
    if (!rc && (fflush(out) != 0 || ferror(out))) rc = fow_error_set(err, FOW_EIO, "could not write the batch export");
    return rc;
}

/* ---- lab time (src/labs) ---- */

fow_code fow_voucher_lab_charge_in_transaction(fow_db *db, const fow_voucher_lab_charge_in *in, const char *actor,
                                               int64_t now, int64_t *charge_id, int64_t *balance_minor,
                                               fow_error *err) {
    if (charge_id) *charge_id = 0;
    if (balance_minor) *balance_minor = 0;
    if (!fow_db_in_transaction(db))
        return fow_error_set(err, FOW_EINTERNAL, "a lab charge runs inside the booking's transaction");
    fow_code rc = check_actor(actor, err);
    if (rc) return rc;
    if (!in->key || !*in->key || !text_ok(in->key, 100))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "key", "a lab charge needs a key of 1 to 100 bytes");
    if (in->amount_minor <= 0 || in->booking_id <= 0 || in->provider_id <= 0 || in->payable_from <= 0)
        return fow_error_set(err, FOW_EINTERNAL,
                             "a lab charge needs a booking, its end, a provider and a positive amount");
    char code[FOW_VOUCHER_CODE_CHARS + 1];
    if (!in->code || fow_voucher_code_normalise(in->code, code) != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "voucher_code",
                                "'%s' is not a voucher code (CEV- and 16 characters, the last a check character)",
                                in->code ? in->code : "");
    vstore_lab_charge existing;
    bool found = false;
    if ((rc = vstore_lab_charge_by_key(db, in->key, &existing, &found, err))) return rc;
    if (found) {
        if (existing.booking_id != in->booking_id)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "key",
                                    "lab charge key '%s' was used for another booking", in->key);
        if (charge_id) *charge_id = existing.id;
        return FOW_OK;
    }
    int64_t vid = 0;
    if ((rc = vstore_voucher_id_by_code(db, code, &vid, err))) return rc;
    if (!vid) return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "voucher_code", "no voucher %s", code);
    fow_voucher v;
    if ((rc = voucher_or_not_found(db, vid, &v, err))) return rc;
    char today[11];
    date_of(now, today);
    const char *person = in->person ? in->person : "", *enterprise = in->enterprise_code ? in->enterprise_code : "";
    if (strcmp(v.purpose, "lab_time") != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "voucher_code",
                                "voucher %s pays for %s, not for lab time", v.code, v.purpose);
    bool theirs = strcmp(v.beneficiary_kind, "enterprise") == 0
                      ? (*enterprise && strcmp(v.enterprise_code, enterprise) == 0)
                      : (*person && strcmp(v.person, person) == 0);
    if (!theirs)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "voucher_code",
                                "voucher %s is not the booking's person's or enterprise's", v.code);
    if (strcmp(v.status, "active") != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "voucher_code", "voucher %s is %s, not active", v.code,
                                v.status);
    if (strcmp(today, v.valid_from) < 0 || strcmp(today, v.valid_until) > 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "voucher_code",
                                "voucher %s is valid from %s to %s, not on %s", v.code, v.valid_from, v.valid_until,
                                today);
    if (!allows_provider(&v, in->provider_id))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "voucher_code",
                                "voucher %s is not for provider %" PRId64 ", the lab's operator", v.code,
                                in->provider_id);
    if (in->currency && strcmp(in->currency, v.currency) != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "voucher_code", "the price is in %s, voucher %s holds %s",
                                in->currency, v.code, v.currency);
    if (v.balance_minor < in->amount_minor) {
        char have[32], want[32];
        if (balance_minor) *balance_minor = v.balance_minor;
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "voucher_balance", "voucher %s holds %s %s, less than %s",
                                v.code, fow_money_format(v.balance_minor, have, sizeof have), v.currency,
                                fow_money_format(in->amount_minor, want, sizeof want));
    }
    vstore_lab_charge c = {.voucher_id = v.id,
                           .booking_id = in->booking_id,
                           .provider_id = in->provider_id,
                           .amount_minor = in->amount_minor,
                           .payable_from = in->payable_from};
    snprintf(c.currency, sizeof c.currency, "%s", v.currency);
    snprintf(c.key, sizeof c.key, "%s", in->key);
    int64_t id = 0;
    if ((rc = vstore_lab_charge_insert(db, &c, actor, now, &id, err))) return rc;
    char key[FOW_LEDGER_KEY_MAX + 1], reason[128];
    snprintf(key, sizeof key, "lab:%s", in->key);
    snprintf(reason, sizeof reason, "voucher %" PRId64 " charged for lab booking %" PRId64, v.id, in->booking_id);
    rc = move(db, "redeem", FOW_ACCOUNT_VOUCHER, v.id, FOW_ACCOUNT_PAYABLE, in->provider_id, v.currency,
              in->amount_minor, key, actor, reason, now, err);
    if (!rc && charge_id) *charge_id = id;
    return rc;
}

fow_code fow_voucher_lab_refund_in_transaction(fow_db *db, int64_t booking_id, int64_t keep_minor,
                                               const char *reason, const char *actor, int64_t now, fow_error *err) {
    if (!fow_db_in_transaction(db))
        return fow_error_set(err, FOW_EINTERNAL, "a lab refund runs inside the booking's transaction");
    fow_code rc = check_actor(actor, err);
    if (rc) return rc;
    if (!reason || !*reason || !text_ok(reason, FOW_LEDGER_REASON_MAX))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "reason", "a refund needs a reason of 1 to %d bytes",
                                FOW_LEDGER_REASON_MAX);
    vstore_lab_charge c;
    bool found = false;
    if ((rc = vstore_lab_charge_live(db, booking_id, &c, &found, err)) || !found) return rc;
    if (keep_minor < 0 || keep_minor > c.amount_minor)
        return fow_error_set(err, FOW_EINTERNAL, "a lab refund keeps 0 to the charge's amount");
    int64_t back = c.amount_minor - keep_minor;
    if (back == 0) return FOW_OK;
    if (c.batch_id) {
        fow_payment_batch b;
        bool in_batch = false;
        if ((rc = vstore_batch_get(db, c.batch_id, &b, &in_batch, err))) return rc;
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "lab_charge",
                                "lab charge %" PRId64 " of booking %" PRId64 " is in payment batch %" PRId64
                                " (%s): the lab's operator %s; it cannot be refunded to the voucher",
                                c.id, booking_id, c.batch_id, in_batch ? b.status : "?",
                                c.paid_at ? "has been paid" : "is being paid");
    }
    int64_t n = 0;
    if ((rc = vstore_lab_charge_refunds(db, c.id, &n, err))) return rc;
    char key[FOW_LEDGER_KEY_MAX + 1];
    snprintf(key, sizeof key, "lab-refund:%" PRId64 ":%" PRId64, c.id, n + 1);
    rc = move(db, "refund", FOW_ACCOUNT_PAYABLE, c.provider_id, FOW_ACCOUNT_VOUCHER, c.voucher_id, c.currency, back,
              key, actor, reason, now, err);
    char note[320];
    snprintf(note, sizeof note, "%s: %" PRId64 " refunded", reason, back);
    if (!rc)
        rc = vstore_lab_charge_update(db, c.id, keep_minor ? "charged" : "refunded",
                                      keep_minor ? keep_minor : c.amount_minor, note, actor, now, err);
    fow_voucher v;
    if (!rc) rc = voucher_or_not_found(db, c.voucher_id, &v, err);
    if (!rc && (strcmp(v.status, "expired") == 0 || strcmp(v.status, "cancelled") == 0)) {
        const char *kind = strcmp(v.status, "expired") == 0 ? "expire" : "cancel";
        snprintf(key, sizeof key, "lab-refund:%" PRId64 ":%" PRId64 ":return", c.id, n + 1);
        rc = move(db, kind, FOW_ACCOUNT_VOUCHER, v.id, FOW_ACCOUNT_AVAILABLE, v.line_id, v.currency, back, key, actor,
                  "refund of a lab charge of a voucher no longer usable", now, err);
    }
    return rc;
}

fow_code fow_voucher_lab_charge_reschedule_in_transaction(fow_db *db, int64_t booking_id, int64_t payable_from,
                                                          const char *actor, int64_t now, fow_error *err) {
    if (!fow_db_in_transaction(db))
        return fow_error_set(err, FOW_EINTERNAL, "a lab charge is moved inside the booking's transaction");
    if (payable_from <= 0) return fow_error_set(err, FOW_EINTERNAL, "a lab charge is payable from a booking's end");
    fow_code rc = check_actor(actor, err);
    if (rc) return rc;
    vstore_lab_charge c;
    bool found = false;
    if ((rc = vstore_lab_charge_live(db, booking_id, &c, &found, err)) || !found) return rc;
    if (c.payable_from == payable_from) return FOW_OK;
    if (c.batch_id)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "lab_charge",
                                "lab charge %" PRId64 " of booking %" PRId64 " is in payment batch %" PRId64
                                ": the booking it paid for cannot change",
                                c.id, booking_id, c.batch_id);
    return vstore_lab_charge_set_payable_from(db, c.id, payable_from, actor, now, err);
}

fow_code fow_voucher_lab_charge_of_booking(fow_db *db, int64_t booking_id, bool *found, int64_t *amount_minor,
                                           int64_t *voucher_id, fow_error *err) {
    vstore_lab_charge c;
    fow_code rc = vstore_lab_charge_live(db, booking_id, &c, found, err);
    if (!rc && *found) {
        if (amount_minor) *amount_minor = c.amount_minor;
        if (voucher_id) *voucher_id = c.voucher_id;
    }
    return rc;
}

const char *fow_voucher_lab_charge_state(const fow_voucher_lab_charge *c, int64_t now) {
    if (strcmp(c->status, "refunded") == 0) return "refunded";
    if (c->paid_at > 0) return "paid";
    if (c->batch_id) return "batched";
    return c->payable_from <= now ? "payable" : "pending";
}

fow_code fow_voucher_lab_charges_list(fow_db *db, int64_t provider_id, int64_t batch_id, const char *state,
                                      int64_t now, fow_voucher_lab_charge **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    static const char *const states[] = {"pending", "payable", "batched", "paid", "refunded"};
    bool known = !state;
    for (size_t i = 0; !known && i < sizeof states / sizeof states[0]; i++) known = strcmp(state, states[i]) == 0;
    if (!known)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "state",
                                "a lab charge is pending, payable, batched, paid or refunded, not '%s'", state);
    fow_code rc = vstore_lab_charges_list(db, provider_id, batch_id, state, now, out, n, err);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}
