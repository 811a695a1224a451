/* fow_labs.h — the CREIC labs (issue 15; docs/labs.md): labs with their
 * spaces and machines (resources), opening hours per ISO weekday, public
 * holidays (every lab closed), closures and maintenance windows, what
 * unlocks a machine (requirements: modules of the learning catalogue or
 * skills taught by one, all required), prices per category and the
 * cancellation policy; whether a person may use a machine (from their
 * valid, unrevoked credentials, read through fow_credentials.h); in-lab
 * inductions recorded by staff as completions (fow_cohort.h), which issue
 * the credential as every completion does.
 *
 * Labs and resources are addressed by their code (lower-case letters,
 * digits and '-', 2..64 bytes: "cgi-vfx", "laser-cutter-1"). Times are
 * Unix seconds UTC in storage and in these functions; local times of
 * Europe/Bucharest are converted by fow_lab_time.h. Money is integer minor
 * units with the currency (RON: bani). Errors name the field that is wrong
 * (e.g. "code", "name_en", "slot_minutes", "hours[2].closes", "category");
 * a function that fails writes nothing (one transaction). Functions that
 * write run their own transaction: not inside one of yours.
 */
#ifndef FOW_LABS_H
#define FOW_LABS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fow_error.h"
#include "base/fow_jw.h"
#include "labs/fow_lab_time.h"
#include "people/fow_people.h"
#include "store/fow_db.h"
#include "taxonomy/fow_model.h"
#include "training/fow_cohort.h"

#define FOW_LAB_CODE_MAX 64
#define FOW_LAB_NAME_MAX 200
#define FOW_LAB_TEXT_MAX 2000      /* descriptions, safety notes */
#define FOW_LAB_ADDRESS_MAX 300
#define FOW_LAB_PHOTO_MAX 300
#define FOW_LAB_REASON_MAX 300
#define FOW_LAB_ACTOR_MAX 80
#define FOW_LAB_REF_MAX 256         /* a module code or a skill URI */
#define FOW_LAB_REQUIREMENTS_MAX 16 /* per resource */
#define FOW_LAB_HOURS_MAX 21        /* opening intervals per lab (up to 3 a day) */

/* ---- categories ------------------------------------------------------- */

typedef enum fow_lab_category {
    FOW_LAB_SCHOOL = 0,
    FOW_LAB_UNIVERSITY,
    FOW_LAB_ENTERPRISE,
    FOW_LAB_RESIDENT,
    FOW_LAB_CULTUREPRENEUR,
    FOW_LAB_CATEGORY_COUNT
} fow_lab_category;

/* "school", "university", "enterprise", "resident", "culturepreneur"; "?"
 * out of range. */
const char *fow_lab_category_name(fow_lab_category category);

/* Parses a category name into *out: 0, or -1 for anything else. */
int fow_lab_category_parse(const char *text, fow_lab_category *out);

/* ---- labs ------------------------------------------------------------- */

typedef struct fow_lab {
    int64_t id;
    char code[FOW_LAB_CODE_MAX + 1];
    char name_en[FOW_LAB_NAME_MAX + 1], name_ro[FOW_LAB_NAME_MAX + 1];
    char description_en[FOW_LAB_TEXT_MAX + 1], description_ro[FOW_LAB_TEXT_MAX + 1];
    char address[FOW_LAB_ADDRESS_MAX + 1];
    char timezone[41];             /* always "Europe/Bucharest" */
    int64_t provider_id;           /* the lab's operator as a training provider (src/training); 0 none */
    int cancel_deadline_hours;     /* cancelling at least this long before the start is free (0..720) */
    int late_cancel_fee_percent;   /* later: this percent of the price is kept as a fee (0..100) */
    int offer_hours;               /* a waiting-list offer stays open this long (1..168) */
    long long created_at, updated_at;
} fow_lab;

/* What a lab is written from. On add, NULL texts are "" (code, name_en and
 * name_ro are required) and negative numbers take the defaults (24 hours,
 * 50 %, 12 hours); on update, NULL and negative leave a value unchanged.
 * provider_id is the operator, a training provider's id (0 none; -1
 * unchanged on update; an unknown provider is FOW_ENOTFOUND, field
 * "provider"). */
typedef struct fow_lab_input {
    const char *code;
    const char *name_en, *name_ro, *description_en, *description_ro, *address;
    int64_t provider_id;
    int cancel_deadline_hours, late_cancel_fee_percent, offer_hours;
} fow_lab_input;

/* Adds a lab (*id its id, may be NULL). FOW_EINPUT naming the field (a
 * code already used: field "code"). */
fow_code fow_lab_add(fow_db *db, const fow_lab_input *in, long long now, int64_t *id, fow_error *err);

/* Changes lab code (in->code is ignored: a code never changes).
 * FOW_ENOTFOUND (field "lab") when unknown. */
fow_code fow_lab_update(fow_db *db, const char *code, const fow_lab_input *in, long long now, fow_error *err);

/* Reads lab code into *out. FOW_ENOTFOUND (field "lab") when unknown. */
fow_code fow_lab_get(fow_db *db, const char *code, fow_lab *out, fow_error *err);

/* Reads the lab of id into *out. FOW_ENOTFOUND (field "lab") when unknown. */
fow_code fow_lab_get_by_id(fow_db *db, int64_t id, fow_lab *out, fow_error *err);

/* Every lab by code: malloc'd *out (free it; NULL when none) of *n. */
fow_code fow_labs_list(fow_db *db, fow_lab **out, size_t *n, fow_error *err);

/* ---- resources: spaces and machines ------------------------------------ */

typedef enum fow_lab_resource_kind { FOW_LAB_SPACE = 0, FOW_LAB_MACHINE } fow_lab_resource_kind;

typedef struct fow_lab_resource {
    int64_t id;
    int64_t lab_id;
    char lab_code[FOW_LAB_CODE_MAX + 1];
    char code[FOW_LAB_CODE_MAX + 1];
    fow_lab_resource_kind kind;
    char name_en[FOW_LAB_NAME_MAX + 1], name_ro[FOW_LAB_NAME_MAX + 1];
    char description_en[FOW_LAB_TEXT_MAX + 1], description_ro[FOW_LAB_TEXT_MAX + 1];
    char safety_en[FOW_LAB_TEXT_MAX + 1], safety_ro[FOW_LAB_TEXT_MAX + 1];
    char photo[FOW_LAB_PHOTO_MAX + 1]; /* a path under web/ or an https URL; "" none */
    int capacity;                      /* people (1 for a machine), 1..500 */
    int slot_minutes;                  /* 15, 30, 60, 120 or 240: the booking grid */
    int max_slots;                     /* the longest booking, in slots, 1..96 */
    bool active;
    long long created_at, updated_at;
} fow_lab_resource;

/* "space" or "machine". */
const char *fow_lab_resource_kind_name(fow_lab_resource_kind kind);

/* What a resource is written from: as fow_lab_input (NULL / negative: the
 * default on add — kind machine, capacity 1, slot 60, 4 slots, active — or
 * unchanged on update). kind is "space" or "machine" (NULL default). */
typedef struct fow_lab_resource_input {
    const char *code;
    const char *kind;
    const char *name_en, *name_ro, *description_en, *description_ro, *safety_en, *safety_ro, *photo;
    int capacity, slot_minutes, max_slots;
    int active; /* 0 or 1; negative: default (1) or unchanged */
} fow_lab_resource_input;

/* Adds a resource to lab lab_code (FOW_ENOTFOUND, field "lab"). A machine
 * has capacity 1 (field "capacity"). */
fow_code fow_lab_resource_add(fow_db *db, const char *lab_code, const fow_lab_resource_input *in, long long now,
                              int64_t *id, fow_error *err);

/* Changes resource code. FOW_ENOTFOUND (field "resource") when unknown. */
fow_code fow_lab_resource_update(fow_db *db, const char *code, const fow_lab_resource_input *in, long long now,
                                 fow_error *err);

/* Reads resource code into *out. FOW_ENOTFOUND (field "resource"). */
fow_code fow_lab_resource_get(fow_db *db, const char *code, fow_lab_resource *out, fow_error *err);

/* Reads the resource of id into *out. FOW_ENOTFOUND (field "resource"). */
fow_code fow_lab_resource_get_by_id(fow_db *db, int64_t id, fow_lab_resource *out, fow_error *err);

/* The resources of lab_code (NULL: of every lab), by lab then code,
 * inactive ones too: malloc'd *out (free it) of *n. Unknown lab:
 * FOW_ENOTFOUND (field "lab"). */
fow_code fow_lab_resources(fow_db *db, const char *lab_code, fow_lab_resource **out, size_t *n, fow_error *err);

/* ---- opening hours ------------------------------------------------------ */

/* One opening interval of a weekday, local time: [opens_minute,
 * closes_minute) minutes after local midnight. */
typedef struct fow_lab_hours {
    int weekday;        /* ISO 1 Monday .. 7 Sunday */
    int opens_minute;   /* 0..1439 */
    int closes_minute;  /* opens_minute+1 .. 1440 */
} fow_lab_hours;

/* Replaces the opening hours of lab_code with hours[0..n) (n 0: closed
 * every day; at most FOW_LAB_HOURS_MAX). Checks each interval (field
 * "hours[i].weekday", "hours[i].opens", "hours[i].closes") and that two
 * intervals of one weekday do not overlap (field "hours[i]"). */
fow_code fow_lab_hours_set(fow_db *db, const char *lab_code, const fow_lab_hours *hours, size_t n, fow_error *err);

/* The opening hours of lab id lab_id by weekday then opening: malloc'd
 * *out (free it; NULL when none) of *n. */
fow_code fow_lab_hours_get(fow_db *db, int64_t lab_id, fow_lab_hours **out, size_t *n, fow_error *err);

/* Parses a day's hours "Mon 09:00-18:00" style, as the command line and
 * the demo file write them: weekday (a number 1..7 or mon..sun, any case),
 * then "HH:MM-HH:MM" into *out. FOW_EINPUT naming field otherwise. */
fow_code fow_lab_hours_parse(const char *weekday, const char *interval, const char *field, fow_lab_hours *out,
                             fow_error *err);

/* ---- public holidays ---------------------------------------------------- */

typedef struct fow_lab_holiday {
    char day[11];      /* YYYY-MM-DD */
    char name_en[121];
    char name_ro[121];
    char source[121];  /* where the day comes from, e.g. "Codul muncii, art. 139" */
} fow_lab_holiday;

/* Writes holidays[0..n) (replacing the rows of their days) in one
 * transaction; each checked (field "holidays[i].day", ".name_en",
 * ".name_ro", ".source": a source is required). */
fow_code fow_lab_holidays_put(fow_db *db, const fow_lab_holiday *holidays, size_t n, fow_error *err);

/* Reads the CSV file path (header day,name_en,name_ro,source; docs/labs.md)
 * and writes its holidays as fow_lab_holidays_put, all or nothing; a bad
 * row is FOW_EINPUT at its file, line and column name. *count (may be
 * NULL) how many. */
fow_code fow_lab_holidays_import(fow_db *db, const char *path, size_t *count, fow_error *err);

/* The holidays from first to last (YYYY-MM-DD, inclusive), by day:
 * malloc'd *out (free it; NULL when none) of *n. */
fow_code fow_lab_holidays(fow_db *db, const char *first, const char *last, fow_lab_holiday **out, size_t *n,
                          fow_error *err);

/* ---- closures and maintenance ------------------------------------------ */

typedef enum fow_lab_closure_kind { FOW_LAB_CLOSURE = 0, FOW_LAB_MAINTENANCE } fow_lab_closure_kind;

/* "closure" or "maintenance". */
const char *fow_lab_closure_kind_name(fow_lab_closure_kind kind);

typedef struct fow_lab_closure {
    int64_t id;
    int64_t lab_id;
    int64_t resource_id;                        /* 0: the whole lab */
    char resource_code[FOW_LAB_CODE_MAX + 1];   /* "" for the whole lab */
    fow_lab_closure_kind kind;
    int64_t starts_at, ends_at;                 /* UTC, ends_at > starts_at */
    char reason[FOW_LAB_REASON_MAX + 1];
    long long created_at;
    char created_by[FOW_LAB_ACTOR_MAX + 1];
} fow_lab_closure;

/* Adds a closure or maintenance window to lab_code: kind "closure" or
 * "maintenance" (field "kind"), resource_code NULL or "" for the whole lab
 * or a resource of that lab (field "resource"), [starts_at, ends_at) with
 * ends_at > starts_at (field "end") and at most 366 days long, reason
 * (field "reason", at most FOW_LAB_REASON_MAX bytes), by actor. Existing
 * bookings are not touched (the booking module refuses new ones). */
fow_code fow_lab_closure_add(fow_db *db, const char *lab_code, const char *kind, const char *resource_code,
                             int64_t starts_at, int64_t ends_at, const char *reason, const char *actor,
                             long long now, int64_t *id, fow_error *err);

/* Deletes closure id. FOW_ENOTFOUND (field "closure") when unknown. */
fow_code fow_lab_closure_delete(fow_db *db, int64_t id, fow_error *err);

/* The closures of lab lab_id that overlap [from, to): those of the whole
 * lab and, when resource_id > 0, those of that resource only (0: every
 * resource's too), by start: malloc'd *out (free it) of *n. */
fow_code fow_lab_closures(fow_db *db, int64_t lab_id, int64_t resource_id, int64_t from, int64_t to,
                          fow_lab_closure **out, size_t *n, fow_error *err);

/* ---- what unlocks a machine -------------------------------------------- */

typedef enum fow_lab_requirement_kind { FOW_LAB_REQUIRES_MODULE = 0, FOW_LAB_REQUIRES_SKILL } fow_lab_requirement_kind;

/* "module" or "skill". */
const char *fow_lab_requirement_kind_name(fow_lab_requirement_kind kind);

typedef struct fow_lab_requirement {
    fow_lab_requirement_kind kind;
    char ref[FOW_LAB_REF_MAX + 1];  /* a module code, or an ESCO skill URI */
    char title_en[201], title_ro[201]; /* the module's titles or the skill's label; "" when unknown */
} fow_lab_requirement;

/* Replaces what resource_code requires with reqs[0..n) (n 0: nothing; at
 * most FOW_LAB_REQUIREMENTS_MAX; titles ignored). A module must be in the
 * catalogue (FOW_ENOTFOUND, field "requirements[i].ref"); a skill must be
 * a URI (ESCO's, or the demo's urn:) taught by some module of the catalogue (else nobody could
 * meet it: FOW_EINPUT, same field). */
fow_code fow_lab_requirements_set(fow_db *db, const char *resource_code, const fow_lab_requirement *reqs, size_t n,
                                  fow_error *err);

/* What resource id requires, by kind then ref, with titles from the
 * catalogue: malloc'd *out (free it) of *n. */
fow_code fow_lab_requirements(fow_db *db, int64_t resource_id, fow_lab_requirement **out, size_t *n,
                              fow_error *err);

/* Whether a person may use a resource: every requirement met by a
 * credential of theirs that is valid at now (issued, not expired) and not
 * revoked (fow_credentials_held). A module requirement is met by a
 * credential of that module code; a skill requirement by a credential of
 * a module that teaches that skill. */
typedef struct fow_lab_access_result {
    char resource[FOW_LAB_CODE_MAX + 1];
    bool allowed;
    size_t n_required;
    size_t n_missing;
    fow_lab_requirement missing[FOW_LAB_REQUIREMENTS_MAX];
    /* per met requirement, the credential that meets it */
    size_t n_met;
    struct fow_lab_access_met {
        fow_lab_requirement requirement;
        char credential_id[64];
    } met[FOW_LAB_REQUIREMENTS_MAX];
} fow_lab_access_result;

/* May person_id use resource_code at now? Into *out. Unknown resource:
 * FOW_ENOTFOUND (field "resource"); a malformed person id FOW_EINPUT
 * (field "person"). No access check (the caller decides who may ask) and
 * no personal data read but the person's credentials. */
fow_code fow_lab_access(fow_db *db, const char *resource_code, const char *person_id, long long now,
                        fow_lab_access_result *out, fow_error *err);

/* fow_lab_access for every active machine and space with requirements
 * (and those without, allowed), by lab then code: malloc'd *out (free it)
 * of *n. */
fow_code fow_lab_access_all(fow_db *db, const char *person_id, long long now, fow_lab_access_result **out,
                            size_t *n, fow_error *err);

/* ---- in-lab inductions -------------------------------------------------- */

typedef struct fow_lab_induction {
    char resource[FOW_LAB_CODE_MAX + 1];
    char module[FOW_COHORT_CODE_MAX + 1];
    int64_t cohort_id;
    fow_completion completion;
    fow_completion_skills skills;
    fow_completion_credential credential;
} fow_lab_induction;

/* Records that staff (a user with FOW_PERM_STAFF_LABS; the caller checks
 * it) inducted person_id on resource_code in the lab: a passed completion,
 * dated the local day of now, of the module the resource requires (module:
 * its code, or NULL when the resource requires exactly one module; field
 * "module"), in the lab's induction cohort of that module for that day
 * (added when missing: place "<lab name>: in-lab induction", one day), the
 * person enrolled there first (their training consent is required: field
 * "consent"), through fow_cohort.h; then the credential is issued by
 * fow_credential_issue_completion on the database at db_path, as every
 * completion does (when it cannot be, out->credential says why and the
 * completion stays). model may be NULL (no skill added to the profile).
 * Already completed that day: FOW_EINPUT (field "person"). */
fow_code fow_lab_induction_record(fow_db *db, const char *db_path, fow_people *people, const fow_model *model,
                                  const char *staff, const char *resource_code, const char *module,
                                  const char *person_id, long long now, fow_lab_induction *out, fow_error *err);

/* ---- prices and policy --------------------------------------------------- */

typedef struct fow_lab_price {
    fow_lab_category category;
    int64_t per_hour_minor;  /* >= 0 */
    char currency[4];        /* ISO 4217, e.g. "RON" */
} fow_lab_price;

/* Replaces the prices of resource_code with prices[0..n) (one per
 * category at most: field "prices[i].category"; per_hour_minor >= 0 and
 * at most 10^9: ".per_hour_minor"; currency three upper-case letters:
 * ".currency"). */
fow_code fow_lab_prices_set(fow_db *db, const char *resource_code, const fow_lab_price *prices, size_t n,
                            fow_error *err);

/* The prices of resource id by category: malloc'd *out (free it) of *n. */
fow_code fow_lab_prices(fow_db *db, int64_t resource_id, fow_lab_price **out, size_t *n, fow_error *err);

/* The price per hour of resource id for category into *out; *found false
 * when the resource has no price for it (the booking module refuses a
 * paid booking then). */
fow_code fow_lab_price_of(fow_db *db, int64_t resource_id, fow_lab_category category, fow_lab_price *out,
                          bool *found, fow_error *err);

/* The price of minutes of a resource at per_hour_minor, rounded half up
 * to a minor unit: per_hour_minor * minutes / 60. */
int64_t fow_lab_price_for(int64_t per_hour_minor, int minutes);

/* ---- the demo file ------------------------------------------------------ */

/* Loads the labs of the JSON file path (docs/labs.md, "The labs file";
 * data/demo/labs.json): {labs: [{code, name_en, ..., provider_module (a
 * module code whose one provider operates the lab, optional), policy:
 * {cancel_deadline_hours, ...},
 * hours: [{weekday, opens, closes}], resources: [{code, kind, ...,
 * requirements: [{kind, ref}], prices: [{category, per_hour_minor,
 * currency}]}]}]}: labs and resources added or updated by code, hours,
 * requirements and prices replaced; all in one transaction, nothing
 * written on a bad entry (FOW_EINPUT with the file and the JSON path as
 * field, e.g. "labs[1].resources[0].slot_minutes"). *labs and *resources
 * (may be NULL) how many. */
fow_code fow_labs_import(fow_db *db, const char *path, long long now, size_t *labs, size_t *resources,
                         fow_error *err);

/* ---- JSON (labs_json.c; the same documents for the command line and the API) */

/* {labs: [{code, name_en, name_ro, description_en, description_ro,
 * address, timezone, resources: [resource summary: {code, kind, name_en,
 * name_ro, slot_minutes, capacity, photo, active}]}], count}. Public. */
fow_code fow_lab_result_list(fow_jw *w, fow_db *db, fow_error *err);

/* {lab: {... as in the list, policy: {cancel_deadline_hours,
 * late_cancel_fee_percent, offer_hours}, hours: [{weekday, opens, closes}],
 * resources: [summary...], closures: [{id, kind, resource (code or null),
 * start, end (local, with offset), reason}] (from now on, those not over),
 * holidays: [{day, name_en, name_ro, source}] (the next 12 months)}}.
 * Public. FOW_ENOTFOUND (field "lab"). */
fow_code fow_lab_result_show(fow_jw *w, fow_db *db, const char *lab_code, long long now, fow_error *err);

/* {resource: {code, lab, kind, name_en, name_ro, description_en,
 * description_ro, safety_en, safety_ro, photo, capacity, slot_minutes,
 * max_slots, active, requirements: [{kind, ref, title_en, title_ro}],
 * prices: [{category, per_hour_minor, currency}]}}. Public.
 * FOW_ENOTFOUND (field "resource"). */
fow_code fow_lab_resource_result(fow_jw *w, fow_db *db, const char *resource_code, fow_error *err);

/* One access result: {resource, allowed, required, missing: [{kind, ref,
 * title_en, title_ro}], met: [{kind, ref, credential}]}. */
void fow_lab_access_write(fow_jw *w, const fow_lab_access_result *a);

/* {person, resources: [access...], count}. */
void fow_lab_access_result_all(fow_jw *w, const char *person_id, const fow_lab_access_result *list, size_t n);

/* {induction: {resource, module, cohort_id}, completion..., credential...}
 * as fow_cohort_result_completion writes them, inside {"induction": {...}}. */
void fow_lab_induction_write(fow_jw *w, const fow_lab_induction *ind);

/* A requirement {kind, ref, title_en, title_ro}. */
void fow_lab_requirement_write(fow_jw *w, const fow_lab_requirement *r);

#endif
