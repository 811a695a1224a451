/* fow_funds.c — funds and their budget lines (fow_vouchers.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vouchers/fow_ledger.h"
#include "vouchers/fow_vouchers.h"
#include "vouchers/vouchers_store.h"

static const char *const purposes[FOW_VOUCHER_PURPOSE_COUNT] = {"learning_module", "lab_time",
                                                                "community_facilitation", "business_support"};

const char *fow_voucher_purpose_name(fow_voucher_purpose purpose) {
    return (unsigned)purpose < FOW_VOUCHER_PURPOSE_COUNT ? purposes[purpose] : "unknown";
}

bool fow_voucher_purpose_for_enterprise(const char *purpose) {
    return purpose && (strcmp(purpose, "business_support") == 0 || strcmp(purpose, "lab_time") == 0);
}

int fow_voucher_purpose_parse(const char *text, fow_voucher_purpose *out) {
    for (int i = 0; text && i < FOW_VOUCHER_PURPOSE_COUNT; i++)
        if (strcmp(text, purposes[i]) == 0) {
            *out = (fow_voucher_purpose)i;
            return 0;
        }
    return -1;
}

static bool valid_actor(const char *actor) { return actor && *actor && strlen(actor) <= FOW_LEDGER_ACTOR_MAX; }

static bool has_control(const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f) return true;
    return false;
}

fow_code fow_voucher_fund_create(fow_db *db, const char *name, const char *currency, const char *description,
                                 const char *actor, int64_t now, int64_t *id, fow_error *err) {
    if (!name || !*name || strlen(name) > 128 || has_control(name))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "name",
                                "a fund's name is 1 to 128 bytes without control characters");
    if (!currency || strlen(currency) != 3 || strspn(currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "currency",
                                "a currency is an ISO 4217 code of three upper-case letters (RON, EUR), not '%s'",
                                currency ? currency : "");
    if (description && strlen(description) > 512)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "description", "a description is at most 512 bytes");
    if (!valid_actor(actor))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "actor", "who acts is 1 to %d bytes",
                                FOW_LEDGER_ACTOR_MAX);
    fow_code rc = fow_db_begin(db, err);
    if (rc) return rc;
    bool found;
    rc = vstore_fund_by_name(db, name, &found, err);
    if (!rc && found) rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "name", "a fund named '%s' exists", name);
    if (!rc) rc = vstore_fund_insert(db, name, currency, description ? description : "", actor, now, id, err);
    int64_t account;
    if (!rc) rc = fow_ledger_account_ensure(db, FOW_ACCOUNT_FUND, *id, currency, &account, err);
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) fow_db_rollback(db);
    return rc;
}

fow_code fow_voucher_fund_get(fow_db *db, int64_t id, fow_voucher_fund *out, fow_error *err) {
    bool found;
    fow_code rc = vstore_fund_get(db, id, out, &found, err);
    if (!rc && !found) rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "fund", "no fund %" PRId64, id);
    return rc;
}

fow_code fow_voucher_funds_list(fow_db *db, fow_voucher_fund **out, size_t *n, fow_error *err) {
    fow_code rc = vstore_funds_list(db, out, n, err);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* Moves amount from line's fund to its available account (inside the
 * caller's transaction). */
static fow_code allocate(fow_db *db, const fow_budget_line *line, int64_t amount, const char *key, const char *actor,
                         int64_t now, fow_error *err) {
    int64_t fund_account, line_account;
    fow_code rc = fow_ledger_account_ensure(db, FOW_ACCOUNT_FUND, line->fund_id, line->currency, &fund_account, err);
    if (!rc) rc = fow_ledger_account_ensure(db, FOW_ACCOUNT_AVAILABLE, line->id, line->currency, &line_account, err);
    if (rc) return rc;
    char reason[160];
    snprintf(reason, sizeof reason, "allocation to budget line %" PRId64 " (%s %d)", line->id, line->purpose,
             line->year);
    fow_ledger_transfer_in in = {.key = key,
                                 .kind = "allocate",
                                 .from_account = fund_account,
                                 .to_account = line_account,
                                 .amount_minor = amount,
                                 .actor = actor,
                                 .reason = reason,
                                 .at = now};
    return fow_ledger_post(db, &in, NULL, NULL, err);
}

fow_code fow_budget_line_add(fow_db *db, int64_t fund_id, const char *purpose, int year, int64_t amount_minor,
                             const char *name, const char *actor, int64_t now, int64_t *id, fow_error *err) {
    fow_voucher_purpose p;
    if (fow_voucher_purpose_parse(purpose, &p) != 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "purpose",
                                "a budget line's purpose is learning_module, lab_time, community_facilitation or "
                                "business_support, not '%s'",
                                purpose ? purpose : "");
    if (year < 2000 || year > 2100)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "year", "a budget line's year is 2000 to 2100, not %d",
                                year);
    if (amount_minor < 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "amount",
                                "an amount is zero or more minor units, not %" PRId64, amount_minor);
    if (name && (strlen(name) > 128 || has_control(name)))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "name",
                                "a budget line's name is at most 128 bytes without control characters");
    if (!valid_actor(actor))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "actor", "who acts is 1 to %d bytes",
                                FOW_LEDGER_ACTOR_MAX);
    fow_code rc = fow_db_begin(db, err);
    if (rc) return rc;
    fow_voucher_fund fund;
    bool found;
    rc = vstore_fund_get(db, fund_id, &fund, &found, err);
    if (!rc && !found) rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "fund", "no fund %" PRId64, fund_id);
    if (!rc) rc = vstore_line_exists(db, fund_id, purpose, year, &found, err);
    if (!rc && found)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "purpose",
                              "fund %" PRId64 " already has a budget line for %s in %d", fund_id, purpose, year);
    if (!rc) rc = vstore_line_insert(db, fund_id, purpose, year, name ? name : "", actor, now, id, err);
    fow_budget_line line;
    if (!rc) rc = vstore_line_get(db, *id, &line, &found, err);
    int64_t account;
    if (!rc) rc = fow_ledger_account_ensure(db, FOW_ACCOUNT_AVAILABLE, *id, line.currency, &account, err);
    if (!rc && amount_minor > 0) {
        char key[64];
        snprintf(key, sizeof key, "line:%" PRId64 ":allocate", *id);
        rc = allocate(db, &line, amount_minor, key, actor, now, err);
    }
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) fow_db_rollback(db);
    return rc;
}

fow_code fow_budget_line_top_up(fow_db *db, int64_t id, int64_t amount_minor, const char *key, const char *actor,
                                int64_t now, fow_error *err) {
    if (amount_minor <= 0)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "amount",
                                "a top-up is a positive amount of minor units, not %" PRId64, amount_minor);
    fow_code rc = fow_db_begin(db, err);
    if (rc) return rc;
    fow_budget_line line;
    bool found;
    rc = vstore_line_get(db, id, &line, &found, err);
    if (!rc && !found) rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "line", "no budget line %" PRId64, id);
    char ledger_key[FOW_LEDGER_KEY_MAX + 16];
    snprintf(ledger_key, sizeof ledger_key, "topup:%s", key ? key : "");
    if (!rc && (!key || !*key || strlen(key) > FOW_LEDGER_KEY_MAX - 6))
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "key", "a top-up's idempotency key is 1 to %d bytes",
                              FOW_LEDGER_KEY_MAX - 6);
    if (!rc) rc = allocate(db, &line, amount_minor, ledger_key, actor, now, err);
    if (!rc) rc = fow_db_commit(db, err);
    if (rc) fow_db_rollback(db);
    return rc;
}

fow_code fow_budget_line_get(fow_db *db, int64_t id, fow_budget_line *out, fow_error *err) {
    bool found;
    fow_code rc = vstore_line_get(db, id, out, &found, err);
    if (!rc && !found) rc = fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "line", "no budget line %" PRId64, id);
    return rc;
}

fow_code fow_budget_lines_list(fow_db *db, int64_t fund_id, fow_budget_line **out, size_t *n, fow_error *err) {
    fow_code rc = vstore_lines_list(db, fund_id, out, n, err);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* ---- money ---- */

fow_code fow_money_parse(const char *text, const char *field, int64_t *minor, fow_error *err) {
    const char *p = text ? text : "";
    int64_t major = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        if (major > 10000000000000LL)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "amount '%s' is too large", text);
        major = major * 10 + (*p++ - '0');
        digits++;
    }
    int64_t cents = 0;
    int decimals = 0;
    if (*p == '.' && digits > 0) {
        p++;
        while (*p >= '0' && *p <= '9' && decimals < 3) {
            cents = cents * 10 + (*p++ - '0');
            decimals++;
        }
        if (decimals == 0 || decimals > 2)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field,
                                    "an amount has one or two decimals, not '%s'", text);
        if (decimals == 1) cents *= 10;
    }
    if (digits == 0 || *p != '\0')
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field,
                                "an amount is a number of major units with at most two decimals (1500 or 1500.50), "
                                "not '%s'",
                                text ? text : "");
    *minor = major * 100 + cents;
    if (*minor > 1000000000000000LL)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "amount '%s' is too large", text);
    return FOW_OK;
}

char *fow_money_format(int64_t minor, char *buf, size_t n) {
    uint64_t abs = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    snprintf(buf, n, "%s%" PRIu64 ".%02u", minor < 0 ? "-" : "", abs / 100, (unsigned)(abs % 100));
    return buf;
}
