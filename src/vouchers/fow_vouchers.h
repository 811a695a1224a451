/* fow_vouchers.h — Cluj Experimentation Vouchers (issue 14; docs/vouchers.md):
 * funds and their budget lines, vouchers, redemptions at enrolment, the
 * providers' claims and payment batches. Every movement of money is a
 * transfer of the ledger (fow_ledger.h); amounts are integer minor units
 * (bani for RON) with the currency stated, never floating point.
 *
 * Every writing function takes who acts (actor) and the time (now, Unix
 * seconds), so tests simulate time. Errors name the field that is wrong.
 */
#ifndef FOW_VOUCHERS_H
#define FOW_VOUCHERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <stdio.h>

#include "base/fow_error.h"
#include "base/fow_jw.h"
#include "people/fow_people.h"
#include "store/fow_db.h"
#include "training/fow_cohort.h"
#include "training/fow_training.h"
#include "vouchers/fow_ledger.h"

struct fow_calls_award; /* fow_calls.h */

/* ---- money ----------------------------------------------------------- */

/* Parses an amount written in major units with at most two decimals
 * ("1500", "1500.5", "1500.50"; no sign, no thousands separator) into
 * minor units (150050), with whole numbers only, no floating point.
 * FOW_EINPUT (field field) otherwise or above 10^15 minor units. */
fow_code fow_money_parse(const char *text, const char *field, int64_t *minor, fow_error *err);

/* Writes minor units as major units with two decimals ("1500.50",
 * "-0.05") into buf (at least 32 bytes); returns buf. */
char *fow_money_format(int64_t minor, char *buf, size_t n);

/* ---- purposes -------------------------------------------------------- */

typedef enum fow_voucher_purpose {
    FOW_VOUCHER_LEARNING_MODULE,
    FOW_VOUCHER_LAB_TIME,
    FOW_VOUCHER_COMMUNITY_FACILITATION,
    FOW_VOUCHER_BUSINESS_SUPPORT,
    FOW_VOUCHER_PURPOSE_COUNT
} fow_voucher_purpose;

/* "learning_module", "lab_time", "community_facilitation",
 * "business_support". Never NULL for a valid purpose. */
const char *fow_voucher_purpose_name(fow_voucher_purpose purpose);

/* Parses a purpose name into *out: 0, or -1 for anything else. */
int fow_voucher_purpose_parse(const char *text, fow_voucher_purpose *out);

/* true when an enterprise's voucher may have purpose (a purpose name):
 * business_support and lab_time (an enterprise does not enrol in a
 * learning module; lab time is redeemed with the labs, src/labs, next). */
bool fow_voucher_purpose_for_enterprise(const char *purpose);

/* ---- funds ----------------------------------------------------------- */

typedef struct fow_voucher_fund {
    int64_t id;
    char name[129];
    char currency[4];      /* ISO 4217, upper case, e.g. RON */
    char description[513];
    int64_t created_at;
    char created_by[65];
    int64_t allocated_minor; /* given to its budget lines, net of what came back */
} fow_voucher_fund;

/* Creates a fund named name (1..128 bytes, unique) holding money in
 * currency (three upper-case letters), with a description (may be NULL,
 * at most 512 bytes); its id into *id. FOW_EINPUT naming the field
 * ("name", "currency", "description") for a bad or duplicate value;
 * FOW_EDB. */
fow_code fow_voucher_fund_create(fow_db *db, const char *name, const char *currency, const char *description,
                                 const char *actor, int64_t now, int64_t *id, fow_error *err);

/* Fund id into *out. FOW_ENOTFOUND (field "fund"). */
fow_code fow_voucher_fund_get(fow_db *db, int64_t id, fow_voucher_fund *out, fow_error *err);

/* Every fund, by id, into a new array *out (*n of them; free() it). */
fow_code fow_voucher_funds_list(fow_db *db, fow_voucher_fund **out, size_t *n, fow_error *err);

/* ---- budget lines ---------------------------------------------------- */

typedef struct fow_budget_line {
    int64_t id;
    int64_t fund_id;
    char fund_name[129];
    char purpose[32];        /* fow_voucher_purpose_name */
    int year;
    char name[129];
    char currency[4];        /* the fund's */
    int64_t created_at;
    char created_by[65];
    int64_t allocated_minor; /* given to it by its fund (allocations) */
    int64_t available_minor; /* not committed: what new vouchers can take */
    int64_t committed_minor; /* in its vouchers, not yet redeemed */
    int64_t redeemed_minor;  /* redeemed from its vouchers (claims, payable, paid), net of refunds */
    int64_t returned_minor;  /* came back from its vouchers (expired, cancelled) */
} fow_budget_line;

/* Adds to fund fund_id the budget line for purpose (a purpose name) and
 * year (2000..2100), named name (may be NULL or "", at most 128 bytes), and
 * allocates amount_minor (>= 0) from the fund to it: one ledger transfer
 * "allocate" (none for 0) with the idempotency key "line:<id>:allocate".
 * Its id into *id. One transaction. FOW_EINPUT naming the field
 * ("purpose", "year", "amount", "name"; "purpose" also when the fund
 * already has a line for that purpose and year); FOW_ENOTFOUND ("fund");
 * FOW_EDB. */
fow_code fow_budget_line_add(fow_db *db, int64_t fund_id, const char *purpose, int year, int64_t amount_minor,
                             const char *name, const char *actor, int64_t now, int64_t *id, fow_error *err);

/* Allocates amount_minor (> 0) more from line id's fund to the line: one
 * ledger transfer "allocate" under the idempotency key key (1..128 bytes;
 * a retry with the same key and amount does nothing more). FOW_EINPUT
 * ("amount", "key"); FOW_ENOTFOUND ("line"); FOW_EDB. */
fow_code fow_budget_line_top_up(fow_db *db, int64_t id, int64_t amount_minor, const char *key, const char *actor,
                                int64_t now, fow_error *err);

/* Budget line id, with its fund's name and currency and its amounts from
 * the ledger, into *out. FOW_ENOTFOUND (field "line"). */
fow_code fow_budget_line_get(fow_db *db, int64_t id, fow_budget_line *out, fow_error *err);

/* The budget lines of fund fund_id (0: of every fund), by fund, year and
 * purpose, into a new array *out (*n; free() it). */
fow_code fow_budget_lines_list(fow_db *db, int64_t fund_id, fow_budget_line **out, size_t *n, fow_error *err);

/* ---- vouchers ---------------------------------------------------------- */

/* A voucher's code: "CEV-" and 16 characters of Crockford's base 32
 * (0-9, A-Z without I, L, O, U) in groups of four, the last a check
 * character (Luhn mod 32 over the other 15, which are random: 75 bits from
 * libsodium). Typed back, case, spaces and hyphens do not matter and O, I, L
 * read as 0, 1, 1. */
#define FOW_VOUCHER_CODE_CHARS 23  /* "CEV-XXXX-XXXX-XXXX-XXXX" */
#define FOW_VOUCHER_MAX_ALLOWED 32 /* allowed providers, allowed modules */
#define FOW_VOUCHER_PERSON_CHARS 64
#define FOW_VOUCHER_ENTERPRISE_CODE_CHARS 12 /* CUI: "RO" and up to 10 digits */
#define FOW_VOUCHER_ENTERPRISE_NAME_CHARS 200

/* Whom a voucher is for (from schema 16): a person, or an enterprise. */
typedef enum fow_voucher_beneficiary {
    FOW_BENEFICIARY_PERSON = 0,
    FOW_BENEFICIARY_ENTERPRISE
} fow_voucher_beneficiary;

/* Normalises a typed code into code (its canonical form) and checks its
 * check character. 0, or -1 when it is not a well-formed code. */
int fow_voucher_code_normalise(const char *typed, char code[FOW_VOUCHER_CODE_CHARS + 1]);

typedef enum fow_voucher_status {
    FOW_VOUCHER_ISSUED,    /* issued, money committed; not yet usable */
    FOW_VOUCHER_ACTIVE,    /* activated by its beneficiary or the office: redeemable */
    FOW_VOUCHER_EXPIRED,   /* past its last day; the rest went back to its budget line */
    FOW_VOUCHER_CANCELLED  /* cancelled by the office; the rest went back to its budget line */
} fow_voucher_status;

typedef struct fow_voucher {
    int64_t id;
    char code[FOW_VOUCHER_CODE_CHARS + 1];
    int64_t line_id;
    char purpose[32];
    char beneficiary_kind[12];                  /* person, enterprise */
    char person[FOW_VOUCHER_PERSON_CHARS + 1]; /* pseudonymous (src/people); "" for an enterprise */
    char enterprise_code[FOW_VOUCHER_ENTERPRISE_CODE_CHARS + 1]; /* its CUI; "" for a person */
    char enterprise_name[FOW_VOUCHER_ENTERPRISE_NAME_CHARS + 1];
    int64_t value_minor;                        /* as issued */
    int64_t balance_minor;                      /* left to redeem: its ledger account */
    int64_t redeemed_minor;                     /* redeemed, net of refunds */
    int64_t returned_minor;                     /* went back to the line (expiry, cancellation) */
    char currency[4];
    char valid_from[11], valid_until[11];       /* YYYY-MM-DD, both redeemable */
    char status[12];                            /* issued, active, expired, cancelled */
    int min_attendance_percent;                 /* a claim becomes payable at or above it */
    char award_ref[65];
    int64_t issued_at;
    char issued_by[65];
    int64_t changed_at;
    char changed_by[65];
    char note[257];
    int64_t providers[FOW_VOUCHER_MAX_ALLOWED]; /* allowed training providers; none: any */
    size_t n_providers;
    char modules[FOW_VOUCHER_MAX_ALLOWED][65];  /* allowed module codes; none: any */
    size_t n_modules;
} fow_voucher;

typedef struct fow_voucher_issue_in {
    int64_t line_id;
    fow_voucher_beneficiary beneficiary; /* person (the default) or enterprise */
    const char *person;          /* person: a people id with the "vouchers" consent in force */
    const char *enterprise_code; /* enterprise: its CUI (fow_registration_code_valid) */
    const char *enterprise_name; /* enterprise: 1..200 bytes */
    int64_t value_minor;         /* > 0, at most the line's available amount */
    const char *valid_from;      /* YYYY-MM-DD */
    const char *valid_until;     /* YYYY-MM-DD, not before valid_from */
    const int64_t *providers;    /* allowed training providers (each must exist); may be NULL */
    size_t n_providers;
    const char *const *modules;  /* allowed module codes (each in the catalogue); may be NULL */
    size_t n_modules;
    int min_attendance_percent;  /* 0..100; -1: 80 */
    const char *award_ref;       /* may be NULL */
    const char *note;            /* may be NULL */
    const char *key;             /* idempotency key; NULL: a new random one */
    bool active;                 /* issue it active at once */
} fow_voucher_issue_in;

/* Issues a voucher to in->person, committing in->value_minor from budget
 * line in->line_id (ledger transfer "issue" from the line's available
 * account to the voucher's), with a new random code; into *out. The
 * person's "vouchers" consent is checked through people (staff must be
 * able to see them) before the transaction. A retry with the same key
 * returns the voucher issued the first time (same line, person and value;
 * else FOW_EINPUT, field "key"). Never commits more than is available:
 * FOW_EINPUT (field "value") naming what the line holds. Errors name the
 * fields "line", "person", "consent", "value", "valid_from",
 * "valid_until", "providers", "modules", "min_attendance_percent",
 * "note", "key". catalogue may be NULL when no module is named. */
fow_code fow_voucher_issue(fow_db *db, fow_people *people, const fow_people_staff *staff,
                           const fow_training_catalogue *catalogue, const fow_voucher_issue_in *in, const char *actor,
                           int64_t now, fow_voucher *out, fow_error *err);

/* fow_voucher_issue inside the caller's write transaction (BEGIN
 * IMMEDIATE, open on db: else FOW_EINTERNAL), which it neither begins nor
 * ends: the same checks, the same ledger transfer "issue" and the same
 * idempotency (a retry with in->key returns the voucher issued the first
 * time). A person's "vouchers" consent is read in that transaction; an
 * enterprise (in->beneficiary) needs no consent, a valid registration code
 * (field "enterprise_code") and a name (field "enterprise_name"), and a
 * line whose purpose is one for enterprises
 * (fow_voucher_purpose_for_enterprise; else FOW_EINPUT, field "purpose").
 * On failure the caller rolls its transaction back. */
fow_code fow_voucher_issue_in_transaction(fow_db *db, fow_people *people, const fow_people_staff *staff,
                                         const fow_training_catalogue *catalogue, const fow_voucher_issue_in *in,
                                         const char *actor, int64_t now, fow_voucher *out, fow_error *err);

/* The issuer of the calls' awards (fow_calls_set_issuer, fow_calls.h):
 * issues the voucher of award a inside the award's transaction with
 * fow_voucher_issue_in_transaction: to the applicant (a person, whose
 * vouchers consent is read then, or an enterprise), from the call's budget
 * line, worth the value awarded, under the idempotency key
 * "award:<award id>"; valid from the date of the award for the call's
 * voucher_valid_months (to the day before the same date that many months
 * later), active at once when the call says so (the default), with the
 * call's minimum attendance; award_ref "award:<award id>". The voucher's
 * id into *voucher_id. Any failure fails the award, which is rolled back.
 * The consent is read as the voucher office (every organisation): the
 * award is the programme's decision. */
fow_code fow_vouchers_issue_award(fow_db *db, const struct fow_calls_award *a, long long *voucher_id,
                                  fow_error *err);

/* Installs fow_vouchers_issue_award as the calls' issuer, so that every
 * award issues its voucher. Call once at start-up (the command line and
 * fow serve do, in src/cli/main.c). */
void fow_vouchers_attach_calls(void);

/* The last day of a validity of months (1..600) from valid_from
 * ("YYYY-MM-DD") into until: the day before the same date that many
 * months later (2026-11-29 and 12: 2027-11-28), or the last day of that
 * month when it has no such date (2027-01-31 and 1: 2027-02-28). -1 for a
 * malformed valid_from or months out of range. Pure. */
int fow_voucher_validity_end(const char *valid_from, int months, char until[11]);

/* Voucher id, or the voucher with a typed code, into *out (with its
 * balance from the ledger). FOW_ENOTFOUND (field "voucher"); a malformed
 * code or a wrong check character: FOW_EINPUT (field "code"). */
fow_code fow_voucher_get(fow_db *db, int64_t id, fow_voucher *out, fow_error *err);
fow_code fow_voucher_by_code(fow_db *db, const char *typed, fow_voucher *out, fow_error *err);

/* The vouchers of person (NULL: any), of line_id (0: any) and with status
 * (NULL: any), newest first, into a new array *out (*n; free() it). */
fow_code fow_vouchers_list(fow_db *db, const char *person, int64_t line_id, const char *status, fow_voucher **out,
                           size_t *n, fow_error *err);

/* Activates voucher id (issued -> active). Already active: nothing to do
 * (FOW_OK). Expired or cancelled: FOW_EINPUT (field "voucher"). */
fow_code fow_voucher_activate(fow_db *db, int64_t id, const char *actor, int64_t now, fow_error *err);

/* Cancels voucher id (issued or active): what is left goes back to its
 * budget line (ledger transfer "cancel"); redemptions already made stay.
 * reason (1..256 bytes) is kept with the transfer. Expired or cancelled
 * already: FOW_EINPUT (field "voucher"). */
fow_code fow_voucher_cancel(fow_db *db, int64_t id, const char *reason, const char *actor, int64_t now,
                            fow_error *err);

/* Expires every voucher (issued or active) whose last day is before
 * as_of (YYYY-MM-DD; field "as_of"): status expired, and what is left goes
 * back to its budget line (ledger transfer "expire", key
 * "voucher:ID:expire"), all in one transaction. Running it again finds
 * nothing more. *expired (vouchers) and *returned_minor (sum; a run may
 * span currencies, so it is given per voucher in the ledger) may be NULL. */
fow_code fow_vouchers_expire(fow_db *db, const char *as_of, const char *actor, int64_t now, size_t *expired,
                             int64_t *returned_minor, fow_error *err);

/* ---- redemption at enrolment, claims, payments ------------------------- */

typedef struct fow_redemption {
    int64_t id;
    int64_t voucher_id;
    char voucher_code[FOW_VOUCHER_CODE_CHARS + 1];
    char person[FOW_VOUCHER_PERSON_CHARS + 1];
    int64_t provider_id;
    int64_t enrolment_id, cohort_id;
    char module[65];
    int64_t amount_minor;
    char currency[4];
    char status[12];          /* redeemed, payable, batched, paid, refunded */
    char key[FOW_LEDGER_KEY_MAX + 1];
    int64_t redeemed_at;
    char redeemed_by[65];
    int attendance_percent;   /* when the claim was settled */
    int64_t payable_at;
    char note[257];
    int64_t batch_id;         /* 0: in no batch */
    int64_t changed_at;
    char changed_by[65];
} fow_redemption;

typedef struct fow_redeem_in {
    const char *code;         /* the voucher's code as typed */
    int64_t cohort_id;        /* the cohort the beneficiary is enrolled in */
    int64_t provider_id;      /* the provider redeeming: must run the cohort's module; 0: the office, any */
    int64_t amount_minor;     /* 0: the module's cost; never above it when it has one */
    const char *key;          /* idempotency key (1..128 bytes), required */
} fow_redeem_in;

/* Redeems a voucher for the enrolment of its beneficiary in a cohort, in
 * one transaction or not at all: the enrolment (fow_cohort_enrol's rules:
 * the person's training consent, an open cohort; a seat, not the waiting
 * list) and the ledger transfer "redeem" from the voucher to a new claim
 * account. The voucher must be active, within its dates on today (the date
 * of now, UTC), hold at least the amount, and allow the provider and the
 * module; the module must be approved in the catalogue and its provider's
 * accreditation, when dated, not past. The beneficiary's "vouchers" consent
 * is checked through people. A retry with the same key returns the first
 * redemption (*replayed true; may be NULL). Errors name "code", "voucher",
 * "cohort", "provider", "module", "amount", "key", "consent", "person".
 *
 * A provider's account (who->role provider) redeems as the bearer of the
 * code: only for a cohort of its own modules (in->provider_id is ignored;
 * who->provider_id counts), it enrols the voucher's holder without the
 * right to enrol people otherwise (fow_cohort_enrol_prepare_bearer), and
 * every refusal about the voucher itself is FOW_ENOTFOUND, field
 * "voucher", FOW_VOUCHER_NOT_VALID_HERE; it learns the balance ("amount")
 * only of a voucher it may take. */
fow_code fow_voucher_redeem(fow_db *db, fow_people *people, const fow_cohort_actor *who,
                            const fow_training_catalogue *catalogue, const fow_redeem_in *in, int64_t now,
                            fow_redemption *out, bool *replayed, fow_error *err);

/* What a provider's account is told about a voucher it may not take
 * (unknown, not active, out of its dates, not for it or its modules,
 * nothing left, the holder's consent withdrawn): nothing more. */
#define FOW_VOUCHER_NOT_VALID_HERE "this voucher is not valid here"

/* true when voucher v may be spent with training provider provider on
 * module (a code; NULL: any of the provider's): its allowed providers and
 * modules (none named: any). Not its status, dates or balance. */
bool fow_voucher_allows(const fow_voucher *v, int64_t provider, const char *module);

/* ---- lab time: a booking of the CREIC labs paid by voucher (src/labs) --- */

typedef struct fow_voucher_lab_charge_in {
    const char *code;            /* the voucher's code as typed */
    const char *person;          /* the booking's person (pseudonymous id); NULL or "" for none */
    const char *enterprise_code; /* the booking's enterprise (CUI); NULL or "" for none */
    int64_t booking_id;          /* lab_bookings.id (src/labs) */
    int64_t provider_id;         /* the lab's operator: the charge is payable to it */
    int64_t amount_minor;        /* the booking's price, > 0 */
    const char *currency;        /* the price's currency */
    const char *key;             /* idempotency key, 1..100 bytes */
    int64_t payable_from;        /* the booking's end (Unix seconds, > 0): from then on the charge is payable */
} fow_voucher_lab_charge_in;

/* Charges a lab_time voucher for a lab booking inside the caller's write
 * transaction (fow_db_begin; FOW_EINTERNAL when none is open), which it
 * neither begins nor ends: the ledger transfer "redeem" (key "lab:<key>")
 * from the voucher's account to the provider's payable account and a
 * voucher_lab_charges row, *charge_id (may be NULL). The charge becomes
 * payable at in->payable_from (the booking's end; FOW_EINTERNAL when not
 * > 0): a payment batch built from then on gathers it (fow_payment_batch_build).
 * A retry with the same
 * key and booking returns the first charge. Refusals, FOW_EINPUT: field
 * "voucher_code" for a malformed or unknown code (FOW_ENOTFOUND), a
 * voucher whose purpose is not lab_time, that is not the person's or the
 * enterprise's, not active, or outside its dates on the date of now (UTC);
 * field "voucher_balance" when its balance is below the amount, with the
 * balance in *balance_minor (may be NULL). On failure the caller rolls
 * back. */
fow_code fow_voucher_lab_charge_in_transaction(fow_db *db, const fow_voucher_lab_charge_in *in, const char *actor,
                                               int64_t now, int64_t *charge_id, int64_t *balance_minor,
                                               fow_error *err);

/* Refunds the live charge of booking_id inside the caller's write
 * transaction, keeping keep_minor (0..amount; a late cancellation's fee):
 * the rest goes back from the provider's payable account to the voucher
 * (ledger transfer "refund", key "lab-refund:<charge id>:<n>"), and on to
 * its budget line when the voucher has ended. With nothing kept the charge
 * becomes "refunded"; else its amount becomes keep_minor (what the
 * provider is owed). No live charge: nothing to do (FOW_OK). reason
 * 1..256 bytes. A charge already gathered into a payment batch (draft or
 * paid) is never refunded: FOW_EINPUT, field "lab_charge", naming the
 * charge, the batch and its status (the money has left, or is leaving,
 * the payable account); keeping the whole amount changes nothing and is
 * FOW_OK. */
fow_code fow_voucher_lab_refund_in_transaction(fow_db *db, int64_t booking_id, int64_t keep_minor,
                                               const char *reason, const char *actor, int64_t now, fow_error *err);

/* Moves the time from which the live charge of booking_id is payable to
 * payable_from (> 0; the booking's new end) inside the caller's write
 * transaction (a changed booking). No live charge: nothing to do (FOW_OK).
 * A charge already in a payment batch: FOW_EINPUT, field "lab_charge". */
fow_code fow_voucher_lab_charge_reschedule_in_transaction(fow_db *db, int64_t booking_id, int64_t payable_from,
                                                          const char *actor, int64_t now, fow_error *err);

/* The live ("charged") charge of booking_id: *found, its amount and
 * voucher id (either may be NULL). */
fow_code fow_voucher_lab_charge_of_booking(fow_db *db, int64_t booking_id, bool *found, int64_t *amount_minor,
                                           int64_t *voucher_id, fow_error *err);

/* A lab charge as the office sees it (voucher_lab_charges). */
typedef struct fow_voucher_lab_charge {
    int64_t id;
    int64_t voucher_id;
    char voucher_code[FOW_VOUCHER_CODE_CHARS + 1];
    int64_t booking_id;   /* lab_bookings.id (src/labs) */
    int64_t provider_id;  /* the payee: the lab's operator */
    int64_t amount_minor; /* what the operator is owed (a late cancellation: the fee kept) */
    char currency[4];
    char status[12];      /* charged, refunded */
    char key[FOW_LEDGER_KEY_MAX + 1];
    int64_t payable_from; /* the booking's end */
    int64_t batch_id;     /* 0: in no batch */
    int64_t paid_at;      /* 0: not paid */
    int64_t charged_at;
    char charged_by[65];
    int64_t changed_at;
    char note[321];
} fow_voucher_lab_charge;

/* Where a lab charge stands at time now: "refunded", "pending" (charged,
 * its slot not yet ended: it may still be cancelled and refunded),
 * "payable" (its slot has ended, in no batch), "batched" (in a draft
 * batch), "paid". Never NULL. */
const char *fow_voucher_lab_charge_state(const fow_voucher_lab_charge *c, int64_t now);

/* The lab charges of provider_id (0: any), of batch_id (0: any), in state
 * (a fow_voucher_lab_charge_state name at now; NULL: any), by id, into a
 * new array *out (*n; free() it). FOW_EINPUT (field "state") for an
 * unknown state; FOW_EDB. */
fow_code fow_voucher_lab_charges_list(fow_db *db, int64_t provider_id, int64_t batch_id, const char *state,
                                      int64_t now, fow_voucher_lab_charge **out, size_t *n, fow_error *err);

/* {id, voucher: {id, code}, booking_id, provider_id, amount_minor,
 * currency, status, state (fow_voucher_lab_charge_state at now),
 * payable_from, batch_id (null: none), paid_at (null: not paid), charged_at,
 * charged_by, note} */
void fow_voucher_lab_charge_write(fow_jw *w, const fow_voucher_lab_charge *c, int64_t now);

/* ---- the provider's and the beneficiary's side (docs/vouchers.md) ----- */

typedef struct fow_voucher_offer_cohort {
    int64_t cohort_id;
    char module[65];
    char title_en[257], title_ro[257];
    char starts_on[11], ends_on[11];
    char place[FOW_COHORT_PLACE_MAX + 1];
    long seats_left;
    int64_t cost_minor; /* the module's cost per participant; 0: not stated */
    bool covered;       /* the voucher's balance covers the cost */
} fow_voucher_offer_cohort;

typedef struct fow_voucher_offer {
    char code[FOW_VOUCHER_CODE_CHARS + 1];
    char currency[4];
    int64_t balance_minor;
    char valid_until[11];
    fow_voucher_offer_cohort *cohorts; /* malloc'd; fow_voucher_offer_free */
    size_t n_cohorts;
} fow_voucher_offer;

/* What training provider provider_id (> 0) may know of the voucher with
 * the typed code on the date of now (UTC) before redeeming it: its
 * balance, currency and last day, and the open cohorts of the provider's
 * approved modules in catalogue that the voucher may pay for (by start
 * date). Only when the voucher is active, within its dates, holds money
 * and may be spent on at least one approved module of the provider; else
 * FOW_ENOTFOUND (field "voucher", FOW_VOUCHER_NOT_VALID_HERE) whatever the
 * reason. A malformed code: FOW_EINPUT (field "code"). Free *out with
 * fow_voucher_offer_free, also after a failure. */
fow_code fow_voucher_offer_get(fow_db *db, const fow_training_catalogue *catalogue, const char *typed,
                               int64_t provider_id, int64_t now, fow_voucher_offer *out, fow_error *err);
void fow_voucher_offer_free(fow_voucher_offer *o);

/* {code, currency, balance_minor, valid_until, cohorts: [{cohort_id,
 * module, title: {en, ro}, starts_on, ends_on, place, seats_left,
 * cost_minor, covered}], source} */
void fow_voucher_offer_write(fow_jw *w, const fow_voucher_offer *o);

/* The redemptions of voucher voucher_id, by id, into a new array *out (*n;
 * free() it). */
fow_code fow_voucher_redemptions(fow_db *db, int64_t voucher_id, fow_redemption **out, size_t *n, fow_error *err);

/* A beneficiary's view of their voucher v: {voucher: fow_voucher_write,
 * usable: whether it can be spent today (the date of now), where:
 * {providers: [{id, name}], modules: [{code, title: {en, ro}, provider}],
 * any_provider, any_module}, redemptions: [{id, module, cohort_id,
 * amount_minor, currency, status, redeemed_at}]} with the names from
 * catalogue (a provider or module no longer in it: its id or code only). */
void fow_voucher_holder_write(fow_jw *w, const fow_voucher *v, const fow_redemption *r, size_t n_redemptions,
                              const fow_training_catalogue *catalogue, int64_t now);

/* Redemption id into *out. FOW_ENOTFOUND (field "redemption"). */
fow_code fow_redemption_get(fow_db *db, int64_t id, fow_redemption *out, fow_error *err);

/* The redemptions (claims) of provider_id (0: any), with status (NULL:
 * any), of batch_id (0: any), by id, into a new array *out (*n; free()). */
fow_code fow_redemptions_list(fow_db *db, int64_t provider_id, const char *status, int64_t batch_id,
                              fow_redemption **out, size_t *n, fow_error *err);

/* Refunds redemption id (still "redeemed": not yet payable): the amount
 * goes back to the voucher (ledger transfer "refund"), and on to the budget
 * line when the voucher is no longer usable (expired or cancelled:
 * transfer "expire" or "cancel"). The enrolment is not touched. reason
 * 1..256 bytes. FOW_EINPUT (field "redemption") in another status. */
fow_code fow_redemption_refund(fow_db *db, int64_t id, const char *reason, const char *actor, int64_t now,
                               fow_error *err);

/* Settles every "redeemed" claim whose enrolment is completed: with the
 * person's attendance (sessions present over the cohort's sessions, whole
 * percent rounded down) at or above the voucher's min_attendance_percent
 * the claim becomes payable (ledger transfer "complete" from the claim to
 * the provider's payable account); below it, it is refunded to the voucher
 * as fow_redemption_refund does, with the attendance as its reason.
 * Enrolments not completed are left. who: the voucher office
 * (FOW_PERM_MANAGE_VOUCHERS: it reads the attendance of the enrolments
 * its claims name, as an office of every organisation, without any people
 * record) or staff who enrol (admin, counsellor; else FOW_EINPUT, field
 * "role"). *payable and *refunded (may be NULL)
 * count what changed. */
fow_code fow_voucher_claims_settle(fow_db *db, const fow_cohort_actor *who, const char *actor, int64_t now,
                                   size_t *payable, size_t *refunded, fow_error *err);

typedef struct fow_payment_batch {
    int64_t id;
    char currency[4];
    int64_t total_minor; /* its claims and its lab charges */
    int64_t claims;      /* course claims (voucher_redemptions) */
    int64_t lab_charges; /* lab charges (voucher_lab_charges) */
    char status[8];    /* draft, paid */
    int64_t created_at;
    char created_by[65];
    int64_t approved_at;
    char approved_by[65];
    char key[129];     /* the idempotency key it was built with; "" none */
} fow_payment_batch;

/* Gathers, in one write transaction, every payable claim in currency and
 * every lab charge in currency payable at now (charged, its slot ended, in
 * no batch: fow_voucher_lab_charge_state "payable") into a new draft batch
 * (claims become "batched", lab charges take the batch's id); its id into
 * *id, and *replayed (may be NULL) false. key (NULL or "": none; else 1..128
 * bytes of printable text) is the build's idempotency key: a build retried
 * with the key of an earlier one returns that batch's id with *replayed
 * true and gathers nothing (in another currency: FOW_EINPUT, field "key").
 * Two builds running at once are serialised by the transaction: each claim
 * and each charge lands in one batch. Nothing payable: FOW_EINPUT (field
 * "claims"). */
fow_code fow_payment_batch_build(fow_db *db, const char *currency, const char *key, const char *actor, int64_t now,
                                 int64_t *id, bool *replayed, fow_error *err);

/* fow_payment_batch_build without a key. */
fow_code fow_payment_batch_create(fow_db *db, const char *currency, const char *actor, int64_t now, int64_t *id,
                                  fow_error *err);

/* Approves draft batch id as paid: one ledger transfer "pay" per claim from
 * its provider's payable account to its paid account (key
 * "redemption:<id>:pay"), and one per lab charge from its lab operator's
 * payable account to its paid account (key "lab-charge:<id>:pay"), the
 * claims "paid" and the lab charges' paid_at set, in one transaction. Not a
 * draft: FOW_EINPUT (field "batch"). */
fow_code fow_payment_batch_approve(fow_db *db, int64_t id, const char *actor, int64_t now, fow_error *err);

/* Batch id into *out; FOW_ENOTFOUND (field "batch"). */
fow_code fow_payment_batch_get(fow_db *db, int64_t id, fow_payment_batch *out, fow_error *err);

/* Every batch, newest first, into a new array *out (*n; free() it). */
fow_code fow_payment_batches_list(fow_db *db, fow_payment_batch **out, size_t *n, fow_error *err);

/* Writes batch id for the city's accounting to out as CSV (RFC 4180,
 * CRLF): a header, then one row per payee (a training provider, or a lab's
 * operator, which is one too): batch, provider_id, provider (its name in
 * the catalogue's providers), claims, amount_minor, amount (major units,
 * two decimals), currency, status, approved_at, lab_charges, lab_minor
 * (the part of amount_minor that pays lab charges).
 * FOW_ENOTFOUND (field "batch"); FOW_EIO when writing fails. */
fow_code fow_payment_batch_export(fow_db *db, int64_t id, FILE *out, fow_error *err);

/* Who pays a SEPA-style payment file: the city's account the payments
 * leave from. */
typedef struct fow_sepa_debtor {
    const char *name; /* 1..70 bytes (field "debtor_name") */
    const char *iban; /* fow_iban_check (field "debtor_iban") */
    const char *bic;  /* fow_bic_check (field "debtor_bic"); NULL or "": not given ("NOTPROVIDED") */
} fow_sepa_debtor;

/* Writes approved (paid) batch id as an ISO 20022 credit transfer
 * initiation, pain.001.001.03 (UTF-8 XML; docs/vouchers.md, "Payment
 * files"): one payment information block from debtor's account in the
 * batch's currency (service level SEPA and charges SLEV when it is EUR;
 * charges SHAR otherwise), executed on the date of now (UTC), with one
 * credit transfer per provider of the batch (the sum of its claims and lab
 * charges, to the IBAN and BIC recorded for it:
 * fow_training_provider_set_bank; the claim ids, and the lab charge ids
 * after "lab", in the remittance text), and the number of transactions and the
 * control sum (major units, two decimals) in the group header and the
 * block. Everything is checked before anything is written. A draft batch:
 * FOW_EINPUT (field "batch"); a provider without an IBAN: FOW_EINPUT
 * (field "iban") naming the provider; a bad debtor: FOW_EINPUT naming its
 * field; FOW_ENOTFOUND (field "batch"); FOW_EIO when writing fails. */
fow_code fow_payment_batch_export_sepa(fow_db *db, int64_t id, const fow_sepa_debtor *debtor, int64_t now,
                                       FILE *out, fow_error *err);

/* ---- JSON (the same documents for the command line and the API) ---- */

/* {id, name, currency, description, created_at, created_by,
 * allocated_minor} */
void fow_voucher_fund_write(fow_jw *w, const fow_voucher_fund *f);

/* {id, fund: {id, name}, purpose, year, name, currency, created_at,
 * created_by, amounts: {allocated_minor, available_minor,
 * committed_minor, redeemed_minor, returned_minor}, source: how the
 * amounts are computed} */
void fow_budget_line_write(fow_jw *w, const fow_budget_line *l);

/* {id, code, line_id, purpose, person, beneficiary: {kind, person} |
 * {kind, registration_code, name}, currency, amounts: {value_minor,
 * balance_minor, redeemed_minor, returned_minor}, valid_from, valid_until,
 * status, min_attendance_percent, allowed: {providers: [], modules: []},
 * award_ref, issued_at, issued_by, changed_at, changed_by, note} */
void fow_voucher_write(fow_jw *w, const fow_voucher *v);

/* {id, voucher: {id, code}, person, provider_id, enrolment_id, cohort_id,
 * module, amount_minor, currency, status, key, redeemed_at, redeemed_by,
 * attendance_percent, payable_at, note, batch_id, changed_at, changed_by} */
void fow_redemption_write(fow_jw *w, const fow_redemption *r);

/* {id, currency, total_minor, claims, lab_charges, status, created_at,
 * created_by, approved_at, approved_by, key (null: none)} */
void fow_payment_batch_write(fow_jw *w, const fow_payment_batch *b);

#endif
