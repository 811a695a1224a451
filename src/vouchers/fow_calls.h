/* fow_calls.h — calls for applications of the voucher programme, the
 * applications, the jury and the awards (issue 14, points 2 and 3;
 * docs/vouchers-calls.md).
 *
 * A call draws on one budget line (fow_vouchers.h: its purpose, year and
 * currency are the call's), has a title in Romanian and English, opening
 * and closing dates (YYYY-MM-DD, both days included, in UTC), a voucher
 * value per kind of applicant (fixed, or up to a cap; a kind without one
 * may not apply), criteria the jury scores (each with a weight and a
 * maximum score) and eligibility rules as data (fow_eligibility.h). Calls
 * are public: anyone may list and read them.
 *
 * An application is made by a person for themselves (with the vouchers
 * consent), by a counsellor for a person (optionally from the person's
 * plan), or for an enterprise (its name and Romanian registration code,
 * CUI, checked with its control digit). Only ids are kept about a person
 * (their pseudonymous id, src/people); the eligibility of a person is
 * evaluated from their record, read through fow_people_get (audited). The
 * statuses: submitted -> eligible | ineligible (evaluated at once, the
 * evaluation kept rule by rule) -> scored (every juror of the call without
 * a conflict has scored every criterion) -> awarded | rejected |
 * waitlisted (a waitlisted application may be awarded or rejected later).
 * Every change is in the application's history (who, when, what).
 *
 * The jury: accounts with the role juror, added to a call by the office.
 * A juror declares conflicts of interest with applications, with a reason;
 * a juror with a conflict cannot score that application (FOW_EINPUT, field
 * "conflict"), and declaring one after scoring withdraws their scores.
 * Ranking (fow_calls_rank_write): by weighted score, then the stated
 * tie-breaks. An award records the value and never takes a call beyond
 * its budget line's available amount (checked inside the award's
 * write transaction, so parallel awards cannot overspend).
 *
 * Errors name fields: "call", "application", "title", "opens_on",
 * "closes_on", "budget_line", "values", "criteria", "rules", "applicant",
 * "person", "enterprise", "registration_code", "plan", "amount",
 * "proposal", "juror", "conflict", "criterion", "score", "decision",
 * "reason", "consent", "status", "budget".
 * Functions that write run their own transaction: not inside one of yours.
 */
#ifndef FOW_CALLS_H
#define FOW_CALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fow_check.h"
#include "base/fow_error.h"
#include "base/fow_jw.h"
#include "people/fow_people.h"
#include "store/fow_db.h"
#include "taxonomy/fow_model.h"
#include "vouchers/fow_eligibility.h"

#define FOW_CALL_TITLE_MAX 200        /* bytes of UTF-8 */
#define FOW_CALL_CRITERIA_MAX 10
#define FOW_CALL_CRITERION_CODE_MAX 32
#define FOW_CALL_SCORE_MAX 100        /* the largest max_score a criterion may have */
#define FOW_CALL_PROPOSAL_MAX 4000    /* bytes of UTF-8 */
#define FOW_CALL_REASON_MAX 500
#define FOW_ENTERPRISE_NAME_MAX 200
#define FOW_ENTERPRISE_CODE_MAX 12    /* "RO" and up to 10 digits */
#define FOW_CALL_ACTOR_MAX 80
#define FOW_CALL_VOUCHER_MONTHS_DEFAULT 12     /* an awarded voucher's validity when the call says none */
#define FOW_CALL_VOUCHER_MONTHS_MAX 60
#define FOW_CALL_VOUCHER_ATTENDANCE_DEFAULT 80 /* percent */

/* Who acts, on which database, and when. people and staff are needed by
 * the functions that read a person (apply, eligibility); model by the
 * occupation_risk rule (NULL: that rule's outcome is unknown). actor: an
 * account name or "cli:LOGIN" (1..80 bytes) — the juror, for the jury's
 * functions. */
typedef struct fow_calls_ctx {
    fow_db *db;
    fow_people *people;
    const fow_people_staff *staff;
    const fow_model *model;
    const char *actor;
    long long now;
} fow_calls_ctx;

/* ---- calls ------------------------------------------------------------------ */

/* Creates a call from its definition, a JSON document:
 *   {"budget_line": 3, "title": {"en": "...", "ro": "..."},
 *    "opens_on": "2026-01-10", "closes_on": "2026-02-28",
 *    "values": [{"applicant": "person", "mode": "fixed", "amount": 150000},
 *               {"applicant": "enterprise", "mode": "up_to", "amount": 500000}],
 *    "criteria": [{"code": "relevance", "title": {"en": "...", "ro": "..."},
 *                  "weight": 60, "max_score": 10}, ...],
 *    "rules": [ ...fow_eligibility.h... ],
 *    "voucher": {"valid_months": 12, "active": true, "min_attendance_percent": 80}}
 * amounts in minor units of the budget line's currency; "voucher" (optional,
 * each member too; the defaults shown) gives the terms of the vouchers the
 * call's awards issue: valid for valid_months (1..60) from the award,
 * active at once or not, and the attendance (0..100) that makes a claim
 * payable; weights are
 * positive integers summing to 100; at least one value and one criterion;
 * rules may be empty. Errors name the JSON member ("criteria[1].weight").
 * The new call's id into *call_id. */
fow_code fow_calls_create(const fow_calls_ctx *c, const char *definition, long long *call_id, fow_error *err);

/* Replaces the rules of call_id by the JSON array rules_json. Refused once
 * the call has an application (FOW_EINPUT, field "rules"): the rules an
 * application was judged by do not change under it. */
fow_code fow_calls_set_rules(const fow_calls_ctx *c, long long call_id, const char *rules_json, fow_error *err);

/* Public. Writes {calls: [{id, title {en, ro}, purpose, year, currency,
 * budget_line, opens_on, closes_on, state (upcoming, open, closed; on the
 * date of now), values [{applicant, mode, amount {minor_units, currency}}],
 * rules (how many), applications (how many)}]}, newest first. */
fow_code fow_calls_list_write(const fow_calls_ctx *c, fow_jw *w, fow_error *err);

/* Public. Writes the call with its values, criteria and rules (each with
 * its explanation as a message {code, params, text}):
 * {id, title, purpose, year, currency, budget_line, opens_on, closes_on,
 * state, values, criteria [{code, title, weight, max_score}], rules
 * [{position, rule, message}], created_at, created_by}. Unknown call:
 * FOW_ENOTFOUND (field "call"). */
fow_code fow_calls_write(const fow_calls_ctx *c, long long call_id, fow_jw *w, fow_error *err);

/* ---- eligibility ------------------------------------------------------------ */

/* Evaluates call_id's rules for person (their record read with
 * fow_people_get, audited, reason "eligibility for call N"; needs the
 * vouchers consent) without applying, and writes the evaluation
 * (fow_eligibility_write). *eligible (may be NULL) says the outcome. */
fow_code fow_calls_eligibility(const fow_calls_ctx *c, long long call_id, const char *person, fow_jw *w,
                               bool *eligible, fow_error *err);

/* ---- applications ------------------------------------------------------------ */

typedef enum fow_application_status {
    FOW_APP_SUBMITTED = 0,
    FOW_APP_ELIGIBLE,
    FOW_APP_INELIGIBLE,
    FOW_APP_SCORED,
    FOW_APP_AWARDED,
    FOW_APP_REJECTED,
    FOW_APP_WAITLISTED,
    FOW_APP_STATUS_COUNT
} fow_application_status;

/* "submitted", "eligible", "ineligible", "scored", "awarded", "rejected",
 * "waitlisted"; "?" out of range. */
const char *fow_application_status_name(fow_application_status s);
/* Parses a status name into *out: 0, or -1. */
int fow_application_status_parse(const char *text, fow_application_status *out);

/* What an application holds. */
typedef struct fow_application_input {
    fow_applicant_kind kind;
    const char *person;            /* a person's id (kind person) */
    long long plan_id;             /* 0: none; else a plan of that person (a counsellor applying from it) */
    const char *enterprise_name;   /* kind enterprise: 1..200 bytes */
    const char *registration_code; /* kind enterprise: CUI, 2..10 digits with a valid control digit, "RO" allowed */
    long long requested_minor;     /* 0: the call's value for the kind (fixed, or its cap); else <= the cap */
    const char *proposal;          /* what the voucher is for: 1..4000 bytes */
} fow_application_input;

/* true when code is a valid Romanian registration code (CUI): optional
 * "RO", then 2..10 digits whose last is the control digit of the others
 * (weights 7,5,3,2,1,7,5,3,2 from the right, sum times 10 modulo 11, 10
 * counting as 0). Pure. */
bool fow_registration_code_valid(const char *code);

/* Applies to call_id: the call must be open on the date of now
 * (FOW_EINPUT, field "call"), accept the applicant's kind (field
 * "applicant") and not have an application of the same person or
 * registration code already (field "applicant"). A person applying for
 * themselves acts as staff->self; anyone else as staff (a counsellor of
 * the person's organisation). A person needs the vouchers consent (field
 * "consent"). In one transaction the application is stored as submitted,
 * its eligibility evaluated and kept, and its status set to eligible or
 * ineligible (two history rows). Its id into *application_id. */
fow_code fow_calls_apply(const fow_calls_ctx *c, long long call_id, const fow_application_input *in,
                         long long *application_id, fow_error *err);

/* Who reads applications, which decides what they see. */
typedef enum fow_calls_viewer {
    FOW_CALLS_VIEW_OFFICE = 0, /* everything: applicants' ids, every score, history */
    FOW_CALLS_VIEW_JUROR,      /* c->actor, on the call's jury: no person id; their own scores and conflicts */
    FOW_CALLS_VIEW_APPLICANT   /* the person themselves (staff->self): their own applications only */
} fow_calls_viewer;

/* Writes the applications of call_id as viewer sees them: {call, viewer,
 * applications: [{id, applicant {kind, person (office), enterprise {name,
 * registration_code}}, requested {minor_units, currency}, status,
 * submitted_at, eligible, scores (office: [{juror, criterion, score}];
 * juror: theirs), conflict (juror: bool), scored_by (how many jurors)}]}.
 * A juror not on the call's jury: FOW_EINPUT (field "juror"). */
fow_code fow_calls_applications_write(const fow_calls_ctx *c, long long call_id, fow_calls_viewer viewer, fow_jw *w,
                                      fow_error *err);

/* Writes one application as viewer sees it, with its eligibility
 * evaluation, history and award: {id, call {id, title}, applicant,
 * requested, proposal, status, eligibility, history [{at, actor, status,
 * detail}], award {decision, value, reason, decided_at} | null, voucher
 * {id, code, status, valid_from, valid_until} | null (the voucher the
 * award issued; not shown to a juror), scores}.
 * An applicant sees only their own (others: FOW_ENOTFOUND, field
 * "application"); a juror no personal id. */
fow_code fow_calls_application_write(const fow_calls_ctx *c, long long application_id, fow_calls_viewer viewer,
                                     fow_jw *w, fow_error *err);

/* Writes a person's own applications, newest first: {person,
 * applications: [{id, call {id, title}, status, requested, submitted_at,
 * decision | null, voucher {id, code, status, valid_from, valid_until} |
 * null (the voucher the award issued)}]}. The person must be visible to staff (themselves, or a
 * counsellor's). */
fow_code fow_calls_person_applications_write(const fow_calls_ctx *c, const char *person, fow_jw *w, fow_error *err);

/* ---- the jury ---------------------------------------------------------------- */

/* Adds the account juror (it must exist and have the role juror: FOW_EINPUT
 * or FOW_ENOTFOUND, field "juror") to call_id's jury. Already there:
 * FOW_EINPUT (field "juror"). */
fow_code fow_calls_juror_add(const fow_calls_ctx *c, long long call_id, const char *juror, fow_error *err);

/* Writes {call, jurors: [{juror, added_at, added_by, conflicts, scored}]}. */
fow_code fow_calls_jurors_write(const fow_calls_ctx *c, long long call_id, fow_jw *w, fow_error *err);

/* Juror c->actor (on the application's call's jury: else FOW_EINPUT, field
 * "juror") declares a conflict of interest with application_id, with
 * reason (1..500 bytes). Their scores of it, if any, are withdrawn (the
 * history says so). Declared already: FOW_EINPUT (field "conflict"). */
fow_code fow_calls_conflict_declare(const fow_calls_ctx *c, long long application_id, const char *reason,
                                    fow_error *err);

/* One criterion's score. */
typedef struct fow_score_input {
    const char *criterion; /* the criterion's code */
    int score;             /* 0..its max_score */
    const char *comment;   /* may be NULL; up to 500 bytes */
} fow_score_input;

/* Juror c->actor scores application_id on scores[0..n) (a criterion given
 * again replaces their earlier score). The juror must be on the call's
 * jury (field "juror") and have no conflict with it (FOW_EINPUT, field
 * "conflict"); the application must be eligible or scored (field
 * "status"); unknown criterion or a score out of range: field "criterion"
 * / "score". When every juror without a conflict has scored every
 * criterion, the application becomes scored. One transaction. */
fow_code fow_calls_score(const fow_calls_ctx *c, long long application_id, const fow_score_input *scores, size_t n,
                         fow_error *err);

/* ---- ranking and awards ------------------------------------------------------ */

/* Writes the ranking of call_id: {call, currency, available {minor_units}
 * (the budget line's available amount less the values awarded and not yet
 * issued), method (message), tie_breaks [messages], ranked: [{rank, id,
 * weighted_score (0..100, 6 decimals), criteria [{code, mean, max_score,
 * weight}], jurors, requested, status, fits (the requested values of the
 * ranks above and this one fit what is available)}], unranked: [{id,
 * status, why (message)}]}. The weighted score is the sum over criteria of
 * weight x (the mean of the jurors' scores / max_score); ties are broken
 * by the criteria in order of weight (heaviest first, then by position),
 * then the earlier submission, then the lower id. */
fow_code fow_calls_rank_write(const fow_calls_ctx *c, long long call_id, fow_jw *w, fow_error *err);

typedef enum fow_award_decision { FOW_DECISION_AWARD = 0, FOW_DECISION_REJECT, FOW_DECISION_WAITLIST } fow_award_decision;

/* Parses "award", "reject" or "waitlist" into *out: 0, or -1. */
int fow_award_decision_parse(const char *text, fow_award_decision *out);

/* Decides application_id (status scored or waitlisted; a reject also from
 * eligible) with reason (1..500 bytes). An award records value_minor (0:
 * the requested value; else 1..the requested value) and, in the same
 * BEGIN IMMEDIATE transaction, checks that it fits what the call's budget
 * line has available (its available amount less the values awarded and
 * not yet issued as vouchers): FOW_EINPUT (field "budget") saying both
 * amounts when it does not; then calls the issuer (fow_calls_set_issuer),
 * when one is set, in the same transaction (c->people is handed to it: a
 * person's voucher needs it), and keeps the voucher's id with the award;
 * a failure of the issuer rolls the whole decision back. The rank and
 * weighted score at the decision are recorded. *award_id (may be NULL):
 * the award row's id. */
fow_code fow_calls_decide(const fow_calls_ctx *c, long long application_id, fow_award_decision decision,
                          long long value_minor, const char *reason, long long *award_id, fow_error *err);

/* What the issuer of vouchers is told about an award. */
typedef struct fow_calls_award {
    long long award_id, application_id, call_id, budget_line_id;
    fow_applicant_kind kind;
    const char *person;             /* kind person: their id */
    const char *registration_code;  /* kind enterprise */
    const char *enterprise_name;    /* kind enterprise */
    long long value_minor;
    const char *currency;
    const char *purpose;            /* the budget line's */
    int voucher_valid_months;       /* the call's voucher terms (fow_calls_create's "voucher") */
    bool voucher_active;
    int voucher_min_attendance;
    fow_people *people;             /* the deciding context's (may be NULL: a person's voucher then fails) */
    const char *actor;
    long long now;
} fow_calls_award;

/* Issues the voucher of an award, inside the award's write transaction on
 * db (it must not begin or end one): the voucher's id into *voucher_id (0:
 * none issued, e.g. for an enterprise when vouchers go to persons only). A
 * failure rolls the award back. */
typedef fow_code (*fow_calls_issuer)(fow_db *db, const fow_calls_award *award, long long *voucher_id,
                                     fow_error *err);

/* Sets the issuer every award calls (NULL: none; awards then only record
 * their value, counted against the budget line until a voucher is issued
 * for them). The hook between the calls and the vouchers of
 * fow_vouchers.h. Not thread-safe: call at start-up. */
void fow_calls_set_issuer(fow_calls_issuer issuer);

/* The calls' checks for fow check (src/service/fow_checks.c), added to
 * report: calls.award_vouchers (every award with a voucher has exactly
 * one, worth the value awarded, issued under the award's key),
 * calls.award_fits (no award exceeded its line's available amount at the
 * time, less the values awarded before it and never issued),
 * calls.conflicts (no juror scored an application they declared a
 * conflict with), calls.budget (each call's awarded total within its
 * budget line's allocation). Reads in one snapshot (its own, or the
 * caller's transaction). FOW_OK when they ran, whatever they found. */
fow_code fow_calls_check(fow_db *db, fow_check_report *report, fow_error *err);

/* Registers calls with people (fow_people_attach): a person's export
 * includes their applications; their erasure blanks the proposals of their
 * applications and keeps the rest (the award decisions are records of
 * public money). Call once at start-up. */
fow_code fow_calls_attach(fow_error *err);

#endif
