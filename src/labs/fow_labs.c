/* fow_labs.c — the labs catalogue, what unlocks a machine, in-lab
 * inductions (fow_labs.h). SQL is in labs_store.c. */
#include "labs/fow_labs.h"

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accounts/fow_accounts.h"
#include "base/fow_csv.h"
#include "credentials/fow_credentials.h"
#include "labs/labs_internal.h"
#include "labs/labs_store.h"
#include "training/fow_training.h"

/* ---- names ------------------------------------------------------------------ */

static const char *const CATEGORY_NAMES[FOW_LAB_CATEGORY_COUNT] = {"school", "university", "enterprise", "resident",
                                                                   "culturepreneur"};

const char *fow_lab_category_name(fow_lab_category category)
{
    return (unsigned)category < FOW_LAB_CATEGORY_COUNT ? CATEGORY_NAMES[category] : "?";
}

int fow_lab_category_parse(const char *text, fow_lab_category *out)
{
    for (int i = 0; text && i < FOW_LAB_CATEGORY_COUNT; i++)
        if (strcmp(text, CATEGORY_NAMES[i]) == 0) {
            *out = (fow_lab_category)i;
            return 0;
        }
    return -1;
}

const char *fow_lab_resource_kind_name(fow_lab_resource_kind kind)
{
    return kind == FOW_LAB_SPACE ? "space" : "machine";
}

const char *fow_lab_closure_kind_name(fow_lab_closure_kind kind)
{
    return kind == FOW_LAB_MAINTENANCE ? "maintenance" : "closure";
}

const char *fow_lab_requirement_kind_name(fow_lab_requirement_kind kind)
{
    return kind == FOW_LAB_REQUIRES_SKILL ? "skill" : "module";
}

/* ---- transactions ----------------------------------------------------------- */

/* A write of this file runs in its own transaction, or, inside the
 * caller's (fow_labs_import loads a whole file in one), in a savepoint of
 * it: all or nothing either way. */
static fow_code write_begin(fow_db *db, bool *own, fow_error *err)
{
    *own = !fow_db_in_transaction(db);
    return *own ? fow_db_begin(db, err) : labs_store_savepoint(db, err);
}

static fow_code write_commit(fow_db *db, bool own, fow_error *err)
{
    return own ? fow_db_commit(db, err) : labs_store_savepoint_release(db, err);
}

static void write_rollback(fow_db *db, bool own)
{
    if (own)
        fow_db_rollback(db);
    else
        labs_store_savepoint_rollback(db);
}

/* Ends a write of write_begin: committed when rc is FOW_OK, else (or when
 * the commit fails) rolled back. Returns rc, or the commit's error. */
static fow_code write_end(fow_db *db, bool own, fow_code rc, fow_error *err)
{
    if (!rc)
        rc = write_commit(db, own, err);
    if (rc)
        write_rollback(db, own);
    return rc;
}

/* ---- checks ------------------------------------------------------------------ */

static fow_code check_code(const char *code, const char *field, fow_error *err)
{
    size_t n = code ? strlen(code) : 0;
    if (n < 2 || n > FOW_LAB_CODE_MAX)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s: a code of 2 to %d characters is required",
                                field, FOW_LAB_CODE_MAX);
    for (size_t i = 0; i < n; i++) {
        char c = code[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field,
                                    "%s: \"%.64s\" may hold only lower-case letters a-z, digits and '-'", field, code);
    }
    if (code[0] == '-' || code[n - 1] == '-')
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s: \"%.64s\" may not begin or end with '-'",
                                field, code);
    return FOW_OK;
}

/* Copies text into out (size bytes) when it is not NULL, checking its
 * length (at most max bytes) and, when required, that it is not empty. */
static fow_code set_text(char *out, size_t size, const char *text, size_t max, bool required, const char *field,
                         fow_error *err)
{
    if (!text) {
        if (required && !out[0])
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s is required", field);
        return FOW_OK;
    }
    size_t n = strlen(text);
    if (n > max)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s is %zu bytes long, at most %zu are allowed",
                                field, n, max);
    if (required) {
        size_t i = 0;
        while (i < n && isspace((unsigned char)text[i]))
            i++;
        if (i == n)
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s is required", field);
    }
    if (fow_utf8_first_invalid((const unsigned char *)text, n) != n)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s is not valid UTF-8 text", field);
    snprintf(out, size, "%s", text);
    return FOW_OK;
}

static fow_code set_int(int *out, int value, int lowest, int highest, const char *field, fow_error *err)
{
    if (value < 0)
        return FOW_OK;
    if (value < lowest || value > highest)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s must be from %d to %d, not %d", field, lowest,
                                highest, value);
    *out = value;
    return FOW_OK;
}

/* An error of entry i of a list (list[i], or list[i].member when member is
 * not NULL): the entry is the error's field, and its message is the entry
 * followed by fmt ("hours[2].opens must be ..."). Returns code. */
static fow_code entry_error(fow_error *err, fow_code code, const char *list, size_t i, const char *member,
                            const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static fow_code entry_error(fow_error *err, fow_code code, const char *list, size_t i, const char *member,
                            const char *fmt, ...)
{
    char field[64], rest[sizeof err->message];
    snprintf(field, sizeof field, "%s[%zu]%s%s", list, i, member ? "." : "", member ? member : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rest, sizeof rest, fmt, ap);
    va_end(ap);
    return fow_error_set_at(err, code, NULL, 0, 0, field, "%s%s", field, rest);
}

/* ---- the members of a record written from its input ----------------------------- */

/* A member that an input (fow_lab_input, fow_lab_resource_input) sets in
 * its record (fow_lab, fow_lab_resource), with set_text's or set_int's
 * checks: a text (the input's const char * into the record's char array,
 * at most max bytes, required or not) or a number (the input's int, from
 * lowest to highest, into the record's int). */
typedef struct input_field {
    const char *name;
    bool text;
    size_t in, out, size; /* offsets in the input and in the record; size: the record's text member's */
    size_t max;           /* text: at most this many bytes */
    bool required;        /* text: not empty */
    int lowest, highest;  /* number: the range */
} input_field;

/* Entries checked at compile time against their members' types (a
 * comparison of distinct pointer types is an error with -Werror). */
#define INPUT_TEXT(IN, OUT, member, max, required)                                                                \
    {#member, true, offsetof(IN, member) + 0 * sizeof(&((IN *)0)->member == (const char **)0),                  \
     offsetof(OUT, member) + 0 * sizeof(&((OUT *)0)->member[0] == (char *)0), sizeof((OUT *)0)->member, (max),   \
     (required), 0, 0}
#define INPUT_INT(IN, OUT, member, lowest, highest)                                                               \
    {#member, false, offsetof(IN, member) + 0 * sizeof(&((IN *)0)->member == (int *)0),                          \
     offsetof(OUT, member) + 0 * sizeof(&((OUT *)0)->member == (int *)0), 0, 0, false, (lowest), (highest)}

/* Sets fields[0..n) of record from input, in order; FOW_EINPUT naming the
 * first that is wrong (the record is then partly set). */
static fow_code apply_fields(void *record, const void *input, const input_field *fields, size_t n, fow_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const input_field *f = &fields[i];
        char *out = (char *)record + f->out;
        const char *in = (const char *)input + f->in;
        fow_code rc = f->text ? set_text(out, f->size, *(const char *const *)in, f->max, f->required, f->name, err)
                              : set_int((int *)out, *(const int *)in, f->lowest, f->highest, f->name, err);
        if (rc)
            return rc;
    }
    return FOW_OK;
}

/* ---- labs ------------------------------------------------------------------- */

#define LAB_TEXT(member, max, required) INPUT_TEXT(fow_lab_input, fow_lab, member, max, required)
#define LAB_INT(member, lowest, highest) INPUT_INT(fow_lab_input, fow_lab, member, lowest, highest)

static const input_field LAB_FIELDS[] = {
    LAB_TEXT(name_en, FOW_LAB_NAME_MAX, true),         LAB_TEXT(name_ro, FOW_LAB_NAME_MAX, true),
    LAB_TEXT(description_en, FOW_LAB_TEXT_MAX, false), LAB_TEXT(description_ro, FOW_LAB_TEXT_MAX, false),
    LAB_TEXT(address, FOW_LAB_ADDRESS_MAX, false),     LAB_INT(cancel_deadline_hours, 0, 720),
    LAB_INT(late_cancel_fee_percent, 0, 100),          LAB_INT(offer_hours, 1, 168),
};

static fow_code apply_lab_input(fow_db *db, fow_lab *lab, const fow_lab_input *in, fow_error *err)
{
    fow_code rc = apply_fields(lab, in, LAB_FIELDS, sizeof LAB_FIELDS / sizeof *LAB_FIELDS, err);
    if (rc)
        return rc;
    if (in->provider_id > 0) {
        char name[256];
        rc = fow_training_provider_name(db, in->provider_id, name, sizeof name, err);
        if (rc == FOW_ENOTFOUND)
            snprintf(err->field, sizeof err->field, "provider");
        if (rc)
            return rc;
        lab->provider_id = in->provider_id;
    } else if (in->provider_id == 0) {
        lab->provider_id = 0;
    }
    return FOW_OK;
}

fow_code fow_lab_add(fow_db *db, const fow_lab_input *in, long long now, int64_t *id, fow_error *err)
{
    fow_code rc = check_code(in->code, "code", err);
    if (rc)
        return rc;
    fow_lab lab;
    memset(&lab, 0, sizeof lab);
    snprintf(lab.code, sizeof lab.code, "%s", in->code);
    snprintf(lab.timezone, sizeof lab.timezone, "%s", FOW_LAB_TIMEZONE);
    lab.cancel_deadline_hours = 24;
    lab.late_cancel_fee_percent = 50;
    lab.offer_hours = 12;
    lab.created_at = lab.updated_at = now;
    fow_lab_input copy = *in;
    if (copy.provider_id < 0)
        copy.provider_id = 0;
    if ((rc = apply_lab_input(db, &lab, &copy, err)))
        return rc;
    bool own = false;
    if ((rc = write_begin(db, &own, err)))
        return rc;
    bool found = false;
    fow_lab existing;
    rc = labs_store_lab_get(db, lab.code, 0, &existing, &found, err);
    if (!rc && found)
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "code", "code: a lab \"%s\" exists already", lab.code);
    int64_t new_id = 0;
    if (!rc)
        rc = labs_store_lab_insert(db, &lab, &new_id, err);
    if ((rc = write_end(db, own, rc, err)))
        return rc;
    if (id)
        *id = new_id;
    return FOW_OK;
}

/* rc of a store read, or, when it found no row, FOW_ENOTFOUND naming field:
 * "no <noun> with the code "<code>"", or with the id when code is NULL. */
static fow_code unless_missing(fow_code rc, bool found, const char *field, const char *noun, const char *code,
                               int64_t id, fow_error *err)
{
    if (rc || found)
        return rc;
    if (code)
        return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, field, "no %s with the code \"%.64s\"", noun, code);
    return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, field, "no %s with the id %lld", noun, (long long)id);
}

fow_code fow_lab_get(fow_db *db, const char *code, fow_lab *out, fow_error *err)
{
    bool found = false;
    fow_code rc = labs_store_lab_get(db, code ? code : "", 0, out, &found, err);
    return unless_missing(rc, found, "lab", "lab", code ? code : "", 0, err);
}

fow_code fow_lab_get_by_id(fow_db *db, int64_t id, fow_lab *out, fow_error *err)
{
    bool found = false;
    fow_code rc = labs_store_lab_get(db, NULL, id, out, &found, err);
    return unless_missing(rc, found, "lab", "lab", NULL, id, err);
}

fow_code fow_lab_update(fow_db *db, const char *code, const fow_lab_input *in, long long now, fow_error *err)
{
    fow_lab *lab = malloc(sizeof *lab);
    if (!lab)
        return fow_error_set(err, FOW_ENOMEM, "out of memory changing a lab");
    bool own = false;
    fow_code rc = write_begin(db, &own, err);
    if (!rc)
        rc = fow_lab_get(db, code, lab, err);
    if (!rc)
        rc = apply_lab_input(db, lab, in, err);
    if (!rc) {
        lab->updated_at = now;
        rc = labs_store_lab_update(db, lab, err);
    }
    rc = write_end(db, own, rc, err);
    free(lab);
    return rc;
}

fow_code fow_labs_list(fow_db *db, fow_lab **out, size_t *n, fow_error *err)
{
    *out = NULL;
    *n = 0;
    return labs_store_labs(db, out, n, err);
}

/* ---- resources ---------------------------------------------------------------- */

static bool allowed_slot(int minutes)
{
    return minutes == 15 || minutes == 30 || minutes == 60 || minutes == 120 || minutes == 240;
}

#define RESOURCE_TEXT(member, max, required) \
    INPUT_TEXT(fow_lab_resource_input, fow_lab_resource, member, max, required)
#define RESOURCE_INT(member, lowest, highest) INPUT_INT(fow_lab_resource_input, fow_lab_resource, member, lowest, highest)

static const input_field RESOURCE_FIELDS[] = {
    RESOURCE_TEXT(name_en, FOW_LAB_NAME_MAX, true),         RESOURCE_TEXT(name_ro, FOW_LAB_NAME_MAX, true),
    RESOURCE_TEXT(description_en, FOW_LAB_TEXT_MAX, false), RESOURCE_TEXT(description_ro, FOW_LAB_TEXT_MAX, false),
    RESOURCE_TEXT(safety_en, FOW_LAB_TEXT_MAX, false),      RESOURCE_TEXT(safety_ro, FOW_LAB_TEXT_MAX, false),
    RESOURCE_TEXT(photo, FOW_LAB_PHOTO_MAX, false),         RESOURCE_INT(capacity, 1, 500),
    RESOURCE_INT(max_slots, 1, 96),
};

static fow_code apply_resource_input(fow_lab_resource *r, const fow_lab_resource_input *in, fow_error *err)
{
    fow_code rc;
    if (in->kind) {
        if (strcmp(in->kind, "space") == 0)
            r->kind = FOW_LAB_SPACE;
        else if (strcmp(in->kind, "machine") == 0)
            r->kind = FOW_LAB_MACHINE;
        else
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "kind",
                                    "kind must be \"space\" or \"machine\", not \"%.40s\"", in->kind);
    }
    if ((rc = apply_fields(r, in, RESOURCE_FIELDS, sizeof RESOURCE_FIELDS / sizeof *RESOURCE_FIELDS, err)))
        return rc;
    if (in->photo && in->photo[0] && (strstr(in->photo, "..") || strchr(in->photo, ' ') ||
                                      (strncmp(in->photo, "https://", 8) != 0 && in->photo[0] == '/')))
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "photo",
                                "photo must be a relative path under web/ or an https:// URL");
    if (in->slot_minutes >= 0) {
        if (!allowed_slot(in->slot_minutes))
            return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "slot_minutes",
                                    "slot_minutes must be 15, 30, 60, 120 or 240, not %d", in->slot_minutes);
        r->slot_minutes = in->slot_minutes;
    }
    if (in->active >= 0)
        r->active = in->active != 0;
    if (r->kind == FOW_LAB_MACHINE && r->capacity != 1)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "capacity",
                                "capacity of a machine is 1 (one user at a time), not %d", r->capacity);
    return FOW_OK;
}

fow_code fow_lab_resource_add(fow_db *db, const char *lab_code, const fow_lab_resource_input *in, long long now,
                              int64_t *id, fow_error *err)
{
    fow_code rc = check_code(in->code, "code", err);
    if (rc)
        return rc;
    fow_lab_resource *r = calloc(1, sizeof *r);
    fow_lab *lab = malloc(sizeof *lab);
    if (!r || !lab) {
        free(r);
        free(lab);
        return fow_error_set(err, FOW_ENOMEM, "out of memory adding a resource");
    }
    snprintf(r->code, sizeof r->code, "%s", in->code);
    r->kind = FOW_LAB_MACHINE;
    r->capacity = 1;
    r->slot_minutes = 60;
    r->max_slots = 4;
    r->active = true;
    r->created_at = r->updated_at = now;
    int64_t new_id = 0;
    rc = apply_resource_input(r, in, err);
    bool own = false;
    if (!rc)
        rc = write_begin(db, &own, err);
    if (!rc) {
        rc = fow_lab_get(db, lab_code, lab, err);
        bool found = false;
        fow_lab_resource *existing = malloc(sizeof *existing);
        if (!rc && !existing)
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory adding a resource");
        if (!rc)
            rc = labs_store_resource_get(db, r->code, 0, existing, &found, err);
        free(existing);
        if (!rc && found)
            rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "code", "code: a resource \"%s\" exists already",
                                  r->code);
        if (!rc) {
            r->lab_id = lab->id;
            rc = labs_store_resource_insert(db, r, &new_id, err);
        }
        rc = write_end(db, own, rc, err);
    }
    free(r);
    free(lab);
    if (!rc && id)
        *id = new_id;
    return rc;
}

fow_code fow_lab_resource_get(fow_db *db, const char *code, fow_lab_resource *out, fow_error *err)
{
    bool found = false;
    fow_code rc = labs_store_resource_get(db, code ? code : "", 0, out, &found, err);
    return unless_missing(rc, found, "resource", "lab resource", code ? code : "", 0, err);
}

fow_code fow_lab_resource_get_by_id(fow_db *db, int64_t id, fow_lab_resource *out, fow_error *err)
{
    bool found = false;
    fow_code rc = labs_store_resource_get(db, NULL, id, out, &found, err);
    return unless_missing(rc, found, "resource", "lab resource", NULL, id, err);
}

fow_code fow_lab_resource_update(fow_db *db, const char *code, const fow_lab_resource_input *in, long long now,
                                 fow_error *err)
{
    fow_lab_resource *r = malloc(sizeof *r);
    if (!r)
        return fow_error_set(err, FOW_ENOMEM, "out of memory changing a resource");
    bool own = false;
    fow_code rc = write_begin(db, &own, err);
    if (!rc)
        rc = fow_lab_resource_get(db, code, r, err);
    if (!rc)
        rc = apply_resource_input(r, in, err);
    if (!rc) {
        r->updated_at = now;
        rc = labs_store_resource_update(db, r, err);
    }
    rc = write_end(db, own, rc, err);
    free(r);
    return rc;
}

fow_code fow_lab_resources(fow_db *db, const char *lab_code, fow_lab_resource **out, size_t *n, fow_error *err)
{
    *out = NULL;
    *n = 0;
    int64_t lab_id = 0;
    if (lab_code) {
        fow_lab *lab = malloc(sizeof *lab);
        if (!lab)
            return fow_error_set(err, FOW_ENOMEM, "out of memory listing resources");
        fow_code rc = fow_lab_get(db, lab_code, lab, err);
        lab_id = lab->id;
        free(lab);
        if (rc)
            return rc;
    }
    return labs_store_resources(db, lab_id, out, n, err);
}

/* ---- lists that replace the rows of a lab or a resource ---------------------------- */

/* The id of lab (of_lab) or resource code into *id, read into scratch (a
 * fow_lab or a fow_lab_resource). FOW_ENOTFOUND when unknown. */
static fow_code lab_or_resource_id(fow_db *db, bool of_lab, const char *code, void *scratch, int64_t *id,
                                   fow_error *err)
{
    fow_code rc = of_lab ? fow_lab_get(db, code, scratch, err) : fow_lab_resource_get(db, code, scratch, err);
    if (!rc)
        *id = of_lab ? ((fow_lab *)scratch)->id : ((fow_lab_resource *)scratch)->id;
    return rc;
}

/* The store's functions that clear the rows of one lab or resource (its
 * id: owner_id) and insert one row. */
typedef fow_code (*rows_clear)(fow_db *db, int64_t owner_id, fow_error *err);
typedef fow_code (*row_insert)(fow_db *db, int64_t owner_id, const void *row, fow_error *err);

/* A list that replaces the rows of a lab or a resource (opening hours,
 * requirements, prices): its owner, its n rows of size bytes each, the
 * store's functions, and what the work is called in an out of memory
 * error ("setting prices"). */
typedef struct row_replacement {
    bool of_lab; /* code names a lab; else a resource */
    const char *code;
    const void *rows;
    size_t n, size;
    rows_clear clear;
    row_insert insert;
    const char *what;
} row_replacement;

/* Replaces the owner's rows by r's in one write: all or nothing.
 * FOW_ENOTFOUND (field "lab" or "resource") when the owner is unknown. */
static fow_code replace_rows(fow_db *db, const row_replacement *r, fow_error *err)
{
    void *owner = malloc(r->of_lab ? sizeof(fow_lab) : sizeof(fow_lab_resource));
    if (!owner)
        return fow_error_set(err, FOW_ENOMEM, "out of memory %s", r->what);
    bool own = false;
    int64_t id = 0;
    fow_code rc = write_begin(db, &own, err);
    if (!rc) {
        rc = lab_or_resource_id(db, r->of_lab, r->code, owner, &id, err);
        if (!rc)
            rc = r->clear(db, id, err);
        for (size_t i = 0; !rc && i < r->n; i++)
            rc = r->insert(db, id, (const char *)r->rows + i * r->size, err);
        rc = write_end(db, own, rc, err);
    }
    free(owner);
    return rc;
}

/* ---- opening hours --------------------------------------------------------------- */

static fow_code check_hours(const fow_lab_hours *hours, size_t n, fow_error *err)
{
    if (n > FOW_LAB_HOURS_MAX)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "hours", "hours: at most %d intervals, not %zu",
                                FOW_LAB_HOURS_MAX, n);
    for (size_t i = 0; i < n; i++) {
        const fow_lab_hours *h = &hours[i];
        if (h->weekday < 1 || h->weekday > 7)
            return entry_error(err, FOW_EINPUT, "hours", i, "weekday", " must be 1 (Monday) to 7 (Sunday), not %d",
                               h->weekday);
        if (h->opens_minute < 0 || h->opens_minute > 1439)
            return entry_error(err, FOW_EINPUT, "hours", i, "opens", " must be 00:00 to 23:59");
        if (h->closes_minute <= h->opens_minute || h->closes_minute > 1440)
            return entry_error(err, FOW_EINPUT, "hours", i, "closes",
                               " must be after the opening time and at most 24:00");
        for (size_t j = 0; j < i; j++)
            if (hours[j].weekday == h->weekday && hours[j].opens_minute < h->closes_minute &&
                h->opens_minute < hours[j].closes_minute)
                return entry_error(err, FOW_EINPUT, "hours", i, NULL, " overlaps hours[%zu] on weekday %d", j,
                                   h->weekday);
    }
    return FOW_OK;
}

static fow_code insert_hours(fow_db *db, int64_t lab_id, const void *row, fow_error *err)
{
    return labs_store_hours_insert(db, lab_id, row, err);
}

fow_code fow_lab_hours_set(fow_db *db, const char *lab_code, const fow_lab_hours *hours, size_t n, fow_error *err)
{
    fow_code rc = check_hours(hours, n, err);
    if (rc)
        return rc;
    row_replacement r = {.of_lab = true, .code = lab_code, .rows = hours, .n = n, .size = sizeof *hours,
                         .clear = labs_store_hours_delete, .insert = insert_hours, .what = "setting hours"};
    return replace_rows(db, &r, err);
}

fow_code fow_lab_hours_get(fow_db *db, int64_t lab_id, fow_lab_hours **out, size_t *n, fow_error *err)
{
    *out = NULL;
    *n = 0;
    return labs_store_hours(db, lab_id, out, n, err);
}

fow_code fow_lab_hours_parse(const char *weekday, const char *interval, const char *field, fow_lab_hours *out,
                             fow_error *err)
{
    static const char *const days[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    int day = 0;
    if (weekday && strlen(weekday) == 1 && weekday[0] >= '1' && weekday[0] <= '7')
        day = weekday[0] - '0';
    for (int i = 0; weekday && !day && i < 7; i++) {
        if (strlen(weekday) >= 3 && strncasecmp(weekday, days[i], 3) == 0) {
            /* "mon" or a full English name: "monday" */
            static const char *const full[7] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                                "sunday"};
            if (strlen(weekday) == 3 || strcasecmp(weekday, full[i]) == 0)
                day = i + 1;
        }
    }
    if (!day)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field,
                                "%s: \"%.20s\" is not a weekday (1..7 or mon, tue, wed, thu, fri, sat, sun)", field,
                                weekday ? weekday : "");
    char opens[6], closes[6];
    if (!interval || strlen(interval) != 11 || interval[5] != '-')
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field,
                                "%s: \"%.20s\" is not an interval of the form HH:MM-HH:MM", field,
                                interval ? interval : "");
    memcpy(opens, interval, 5);
    opens[5] = '\0';
    memcpy(closes, interval + 6, 5);
    closes[5] = '\0';
    int o, c;
    fow_code rc = fow_lab_parse_time(opens, field, 0, &o, err);
    if (!rc)
        rc = fow_lab_parse_time(closes, field, 1, &c, err);
    if (rc)
        return rc;
    if (c <= o)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, field, "%s: %s closes before it opens", field, interval);
    out->weekday = day;
    out->opens_minute = o;
    out->closes_minute = c;
    return FOW_OK;
}

/* ---- holidays --------------------------------------------------------------------- */

static fow_code check_holiday(const fow_lab_holiday *h, size_t i, fow_error *err)
{
    char field[64];
    fow_lab_local day;
    snprintf(field, sizeof field, "holidays[%zu].day", i);
    fow_code rc = fow_lab_parse_date(h->day, field, &day, err);
    if (rc)
        return rc;
    struct {
        const char *text, *name;
    } texts[] = {{h->name_en, "name_en"}, {h->name_ro, "name_ro"}, {h->source, "source"}};
    for (size_t k = 0; k < 3; k++) {
        snprintf(field, sizeof field, "holidays[%zu].%s", i, texts[k].name);
        char scratch[121] = "";
        if ((rc = set_text(scratch, sizeof scratch, texts[k].text, 120, true, field, err)))
            return rc;
    }
    return FOW_OK;
}

fow_code fow_lab_holidays_put(fow_db *db, const fow_lab_holiday *holidays, size_t n, fow_error *err)
{
    for (size_t i = 0; i < n; i++) {
        fow_code rc = check_holiday(&holidays[i], i, err);
        if (rc)
            return rc;
    }
    bool own = false;
    fow_code rc = write_begin(db, &own, err);
    for (size_t i = 0; !rc && i < n; i++)
        rc = labs_store_holiday_put(db, &holidays[i], err);
    rc = write_end(db, own, rc, err);
    return rc;
}

fow_code fow_lab_holidays_import(fow_db *db, const char *path, size_t *count, fow_error *err)
{
    fow_csv *csv = NULL;
    fow_code rc = fow_csv_open(&csv, path, err);
    if (rc)
        return rc;
    static const fow_csv_column columns[] = {
        {"day", true}, {"name_en", true}, {"name_ro", true}, {"source", true}};
    int index[4];
    rc = fow_csv_bind_header(csv, columns, 4, index, err);
    fow_lab_holiday *list = NULL;
    size_t n = 0, cap = 0;
    int got;
    while (!rc && (got = fow_csv_next(csv, err)) == 1) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            fow_lab_holiday *grown = realloc(list, ncap * sizeof *grown);
            if (!grown) {
                rc = fow_error_set(err, FOW_ENOMEM, "out of memory reading holidays");
                break;
            }
            list = grown;
            cap = ncap;
        }
        fow_lab_holiday *h = &list[n];
        memset(h, 0, sizeof *h);
        const char *values[4];
        for (int k = 0; k < 4; k++)
            values[k] = fow_csv_field(csv, (size_t)index[k], NULL);
        fow_lab_local day;
        if (fow_lab_parse_date(values[0], "day", &day, err)) {
            rc = fow_csv_error_at(csv, (size_t)index[0], err, "%s", err->message);
            break;
        }
        char *outs[4] = {h->day, h->name_en, h->name_ro, h->source};
        size_t sizes[4] = {sizeof h->day, sizeof h->name_en, sizeof h->name_ro, sizeof h->source};
        for (int k = 1; k < 4 && !rc; k++) {
            if (!values[k][0] || strlen(values[k]) >= sizes[k])
                rc = fow_csv_error_at(csv, (size_t)index[k], err, "%s must be 1 to %zu bytes", columns[k].name,
                                      sizes[k] - 1);
        }
        if (rc)
            break;
        for (int k = 0; k < 4; k++)
            snprintf(outs[k], sizes[k], "%s", values[k]);
        n++;
    }
    if (!rc && got < 0)
        rc = err->code ? err->code : FOW_EINPUT;
    if (!rc)
        rc = fow_lab_holidays_put(db, list, n, err);
    fow_csv_close(csv);
    free(list);
    if (!rc && count)
        *count = n;
    return rc;
}

fow_code fow_lab_holidays(fow_db *db, const char *first, const char *last, fow_lab_holiday **out, size_t *n,
                          fow_error *err)
{
    *out = NULL;
    *n = 0;
    return labs_store_holidays(db, first, last, out, n, err);
}

/* ---- closures ------------------------------------------------------------------------ */

fow_code fow_lab_closure_add(fow_db *db, const char *lab_code, const char *kind, const char *resource_code,
                             int64_t starts_at, int64_t ends_at, const char *reason, const char *actor,
                             long long now, int64_t *id, fow_error *err)
{
    fow_lab_closure c;
    memset(&c, 0, sizeof c);
    if (kind && strcmp(kind, "closure") == 0)
        c.kind = FOW_LAB_CLOSURE;
    else if (kind && strcmp(kind, "maintenance") == 0)
        c.kind = FOW_LAB_MAINTENANCE;
    else
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "kind",
                                "kind must be \"closure\" or \"maintenance\", not \"%.40s\"", kind ? kind : "");
    if (ends_at <= starts_at)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "end", "end must be after start");
    if (ends_at - starts_at > 366LL * 86400)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "end", "a closure lasts at most 366 days");
    fow_code rc = set_text(c.reason, sizeof c.reason, reason ? reason : "", FOW_LAB_REASON_MAX, false, "reason", err);
    if (rc)
        return rc;
    snprintf(c.created_by, sizeof c.created_by, "%s", actor ? actor : "");
    c.starts_at = starts_at;
    c.ends_at = ends_at;
    c.created_at = now;
    fow_lab *lab = malloc(sizeof *lab);
    fow_lab_resource *r = malloc(sizeof *r);
    if (!lab || !r) {
        free(lab);
        free(r);
        return fow_error_set(err, FOW_ENOMEM, "out of memory adding a closure");
    }
    int64_t new_id = 0;
    bool own = false;
    rc = write_begin(db, &own, err);
    if (!rc) {
        rc = fow_lab_get(db, lab_code, lab, err);
        if (!rc) {
            c.lab_id = lab->id;
            if (resource_code && resource_code[0]) {
                rc = fow_lab_resource_get(db, resource_code, r, err);
                if (!rc && r->lab_id != lab->id)
                    rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "resource",
                                          "resource \"%s\" is not in the lab \"%s\"", r->code, lab->code);
                if (!rc)
                    c.resource_id = r->id;
            }
        }
        if (!rc)
            rc = labs_store_closure_insert(db, &c, &new_id, err);
        rc = write_end(db, own, rc, err);
    }
    free(lab);
    free(r);
    if (!rc && id)
        *id = new_id;
    return rc;
}

fow_code fow_lab_closure_delete(fow_db *db, int64_t id, fow_error *err)
{
    bool deleted = false;
    fow_code rc = labs_store_closure_delete(db, id, &deleted, err);
    return unless_missing(rc, deleted, "closure", "lab closure", NULL, id, err);
}

fow_code fow_lab_closures(fow_db *db, int64_t lab_id, int64_t resource_id, int64_t from, int64_t to,
                          fow_lab_closure **out, size_t *n, fow_error *err)
{
    *out = NULL;
    *n = 0;
    return labs_store_closures(db, lab_id, resource_id, from, to, out, n, err);
}

/* ---- requirements ---------------------------------------------------------------------- */

static bool module_teaches(const fow_training_catalogue *cat, int64_t module_id, const char *uri)
{
    for (size_t i = 0; i < cat->n_modules; i++) {
        const fow_training_module *m = &cat->modules[i];
        if (m->id != module_id)
            continue;
        for (size_t k = 0; k < m->n_links; k++)
            if (m->links[k].kind == FOW_TRAINING_TEACHES && strcmp(m->links[k].uri, uri) == 0)
                return true;
    }
    return false;
}

static const char *skill_label(const fow_training_catalogue *cat, const char *uri)
{
    for (size_t i = 0; i < cat->n_links; i++)
        if (cat->links[i].kind == FOW_TRAINING_TEACHES && strcmp(cat->links[i].uri, uri) == 0)
            return cat->links[i].label;
    return NULL;
}

/* Fills the titles of r from the catalogue (all statuses). */
static void title_requirement(const fow_training_catalogue *cat, fow_lab_requirement *r)
{
    if (r->kind == FOW_LAB_REQUIRES_MODULE) {
        const fow_training_module *m = fow_training_module_by_code(cat, r->ref);
        if (m) {
            snprintf(r->title_en, sizeof r->title_en, "%s", m->title_en);
            snprintf(r->title_ro, sizeof r->title_ro, "%s", m->title_ro);
        }
    } else {
        const char *label = skill_label(cat, r->ref);
        if (label) {
            snprintf(r->title_en, sizeof r->title_en, "%s", label);
            snprintf(r->title_ro, sizeof r->title_ro, "%s", label);
        }
    }
}

static fow_code insert_requirement(fow_db *db, int64_t resource_id, const void *row, fow_error *err)
{
    return labs_store_requirement_insert(db, resource_id, row, err);
}

fow_code labs_requirements_set_in(fow_db *db, const fow_training_catalogue *catalogue, const char *resource_code,
                                  const fow_lab_requirement *reqs, size_t n, fow_error *err)
{
    if (n > FOW_LAB_REQUIREMENTS_MAX)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "requirements", "requirements: at most %d, not %zu",
                                FOW_LAB_REQUIREMENTS_MAX, n);
    const fow_training_catalogue *cat = catalogue;
    fow_code rc = FOW_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        const fow_lab_requirement *r = &reqs[i];
        size_t len = strnlen(r->ref, sizeof r->ref);
        if (len == 0 || len > FOW_LAB_REF_MAX)
            rc = entry_error(err, FOW_EINPUT, "requirements", i, "ref", " is required");
        else if (r->kind == FOW_LAB_REQUIRES_MODULE) {
            if (!fow_training_module_by_code(cat, r->ref))
                rc = entry_error(err, FOW_ENOTFOUND, "requirements", i, "ref",
                                 ": no module \"%s\" in the learning catalogue", r->ref);
        } else if (r->kind == FOW_LAB_REQUIRES_SKILL) {
            if (!strchr(r->ref, ':') || strchr(r->ref, ' '))
                rc = entry_error(err, FOW_EINPUT, "requirements", i, "ref",
                                 ": a skill is named by its URI (e.g. http://data.europa.eu/esco/skill/...)");
            else if (!skill_label(cat, r->ref))
                rc = entry_error(err, FOW_EINPUT, "requirements", i, "ref",
                                 ": no module of the catalogue teaches the skill %s, so nobody could meet it", r->ref);
        } else {
            rc = entry_error(err, FOW_EINPUT, "requirements", i, "kind", " must be \"module\" or \"skill\"");
        }
        for (size_t j = 0; !rc && j < i; j++)
            if (reqs[j].kind == r->kind && strcmp(reqs[j].ref, r->ref) == 0)
                rc = entry_error(err, FOW_EINPUT, "requirements", i, "ref", " repeats requirements[%zu]", j);
    }
    if (rc)
        return rc;
    row_replacement rows = {.code = resource_code, .rows = reqs, .n = n, .size = sizeof *reqs,
                            .clear = labs_store_requirements_delete, .insert = insert_requirement,
                            .what = "setting requirements"};
    return replace_rows(db, &rows, err);
}

fow_code fow_lab_requirements_set(fow_db *db, const char *resource_code, const fow_lab_requirement *reqs, size_t n,
                                  fow_error *err)
{
    fow_training_catalogue cat;
    memset(&cat, 0, sizeof cat);
    fow_code rc = fow_training_load_any(db, true, &cat, err);
    if (!rc)
        rc = labs_requirements_set_in(db, &cat, resource_code, reqs, n, err);
    fow_training_free(&cat);
    return rc;
}

fow_code fow_lab_requirements(fow_db *db, int64_t resource_id, fow_lab_requirement **out, size_t *n, fow_error *err)
{
    *out = NULL;
    *n = 0;
    fow_code rc = labs_store_requirements(db, resource_id, out, n, err);
    if (rc || *n == 0)
        return rc;
    fow_training_catalogue cat;
    memset(&cat, 0, sizeof cat);
    rc = fow_training_load_any(db, true, &cat, err);
    for (size_t i = 0; !rc && i < *n; i++)
        title_requirement(&cat, &(*out)[i]);
    fow_training_free(&cat);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* ---- access --------------------------------------------------------------------------- */

static fow_code access_of(fow_db *db, const fow_training_catalogue *cat, const fow_lab_resource *res,
                          const fow_credential_row *held, size_t n_held, fow_lab_access_result *out, fow_error *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->resource, sizeof out->resource, "%s", res->code);
    fow_lab_requirement *reqs = NULL;
    size_t n = 0;
    fow_code rc = labs_store_requirements(db, res->id, &reqs, &n, err);
    if (rc) {
        free(reqs);
        return rc;
    }
    out->n_required = n;
    for (size_t i = 0; i < n && i < FOW_LAB_REQUIREMENTS_MAX; i++) {
        fow_lab_requirement *r = &reqs[i];
        title_requirement(cat, r);
        const char *by = NULL;
        for (size_t k = 0; !by && k < n_held; k++) {
            if (r->kind == FOW_LAB_REQUIRES_MODULE ? strcmp(held[k].module_code, r->ref) == 0
                                                   : module_teaches(cat, held[k].module_id, r->ref))
                by = held[k].id;
        }
        if (by) {
            out->met[out->n_met].requirement = *r;
            snprintf(out->met[out->n_met].credential_id, sizeof out->met[out->n_met].credential_id, "%s", by);
            out->n_met++;
        } else {
            out->missing[out->n_missing++] = *r;
        }
    }
    out->allowed = out->n_missing == 0;
    free(reqs);
    return FOW_OK;
}

static fow_code check_person(const char *person_id, fow_error *err)
{
    size_t n = person_id ? strlen(person_id) : 0;
    if (n == 0 || n > FOW_PERSON_ID_CHARS)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "person", "person: a person's id is required");
    return FOW_OK;
}

fow_code fow_lab_access(fow_db *db, const char *resource_code, const char *person_id, long long now,
                        fow_lab_access_result *out, fow_error *err)
{
    fow_code rc = check_person(person_id, err);
    if (rc)
        return rc;
    fow_lab_resource *res = malloc(sizeof *res);
    if (!res)
        return fow_error_set(err, FOW_ENOMEM, "out of memory checking access");
    rc = fow_lab_resource_get(db, resource_code, res, err);
    fow_credential_row *held = NULL;
    size_t n_held = 0;
    fow_training_catalogue cat;
    memset(&cat, 0, sizeof cat);
    if (!rc)
        rc = fow_credentials_valid_of(db, person_id, now, &held, &n_held, err);
    if (!rc)
        rc = fow_training_load_any(db, true, &cat, err);
    if (!rc)
        rc = access_of(db, &cat, res, held, n_held, out, err);
    fow_training_free(&cat);
    free(held);
    free(res);
    return rc;
}

fow_code fow_lab_access_all(fow_db *db, const char *person_id, long long now, fow_lab_access_result **out, size_t *n,
                            fow_error *err)
{
    *out = NULL;
    *n = 0;
    fow_code rc = check_person(person_id, err);
    if (rc)
        return rc;
    fow_lab_resource *list = NULL;
    size_t count = 0;
    fow_credential_row *held = NULL;
    size_t n_held = 0;
    fow_training_catalogue cat;
    memset(&cat, 0, sizeof cat);
    rc = labs_store_resources(db, 0, &list, &count, err);
    if (!rc)
        rc = fow_credentials_valid_of(db, person_id, now, &held, &n_held, err);
    if (!rc)
        rc = fow_training_load_any(db, true, &cat, err);
    fow_lab_access_result *results = NULL;
    if (!rc && count) {
        results = calloc(count, sizeof *results);
        if (!results)
            rc = fow_error_set(err, FOW_ENOMEM, "out of memory checking access");
    }
    size_t kept = 0;
    for (size_t i = 0; !rc && i < count; i++) {
        if (!list[i].active)
            continue;
        rc = access_of(db, &cat, &list[i], held, n_held, &results[kept], err);
        if (!rc)
            kept++;
    }
    fow_training_free(&cat);
    free(held);
    free(list);
    if (rc) {
        free(results);
        return rc;
    }
    *out = results;
    *n = kept;
    return FOW_OK;
}

/* ---- inductions --------------------------------------------------------------------------- */

fow_code fow_lab_induction_record(fow_db *db, const char *db_path, fow_people *people, const fow_model *model,
                                  const char *staff, const char *resource_code, const char *module,
                                  const char *person_id, long long now, fow_lab_induction *out, fow_error *err)
{
    memset(out, 0, sizeof *out);
    fow_code rc = check_person(person_id, err);
    if (rc)
        return rc;
    if (!staff || !*staff)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "staff", "staff: who records the induction is required");
    fow_lab_resource *res = malloc(sizeof *res);
    fow_lab *lab = malloc(sizeof *lab);
    fow_cohort *cohorts = NULL;
    size_t n_cohorts = 0;
    fow_lab_requirement *reqs = NULL;
    size_t n_reqs = 0;
    fow_training_catalogue cat;
    memset(&cat, 0, sizeof cat);
    if (!res || !lab) {
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory recording an induction");
        goto done;
    }
    if ((rc = fow_lab_resource_get(db, resource_code, res, err)) || (rc = fow_lab_get_by_id(db, res->lab_id, lab, err)))
        goto done;
    snprintf(out->resource, sizeof out->resource, "%s", res->code);
    if ((rc = labs_store_requirements(db, res->id, &reqs, &n_reqs, err)))
        goto done;
    /* which module: the one named, which the resource must require, or its only one */
    const char *chosen = NULL;
    size_t n_modules = 0;
    for (size_t i = 0; i < n_reqs; i++) {
        if (reqs[i].kind != FOW_LAB_REQUIRES_MODULE)
            continue;
        n_modules++;
        if (module && strcmp(module, reqs[i].ref) == 0)
            chosen = reqs[i].ref;
        if (!module)
            chosen = reqs[i].ref;
    }
    if (module && !chosen) {
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "module", "module: %s does not require the module \"%.64s\"",
                              res->code, module);
        goto done;
    }
    if (!module && n_modules != 1) {
        rc = fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "module",
                              n_modules ? "module: %s requires %zu modules; name the one inducted"
                                        : "module: %s requires no module, so there is no induction to record",
                              res->code, n_modules);
        goto done;
    }
    snprintf(out->module, sizeof out->module, "%s", chosen);
    if ((rc = fow_training_load(db, &cat, err)))
        goto done;
    /* the lab's staff acts for the lab's operator: authorised here by
     * FOW_PERM_STAFF_LABS (checked by the caller), on this lab's induction
     * modules only; the person's training consent is still read by the
     * cohort functions */
    fow_cohort_actor actor = {.staff = {.name = staff, .organisation = "", .all_organisations = true},
                              .role = FOW_ROLE_ADMIN};
    fow_lab_local today;
    fow_lab_utc_to_local(now, &today, NULL);
    char day[11];
    fow_lab_format_date(&today, day, sizeof day);
    char place[FOW_COHORT_PLACE_MAX + 1];
    snprintf(place, sizeof place, "%.150s: in-lab induction", lab->name_en);
    /* the consent first, so that a refused induction adds no cohort either
     * (the enrolment and the completion read it again) */
    if ((rc = fow_people_require_consent(people, &actor.staff, person_id, FOW_PURPOSE_TRAINING, err)))
        goto done;
    if ((rc = fow_cohorts_list(db, out->module, &cohorts, &n_cohorts, err)))
        goto done;
    int64_t cohort_id = 0;
    for (size_t i = 0; i < n_cohorts; i++)
        if (strcmp(cohorts[i].starts_on, day) == 0 && strcmp(cohorts[i].place, place) == 0 &&
            cohorts[i].status == FOW_COHORT_OPEN)
            cohort_id = cohorts[i].id;
    if (!cohort_id) {
        fow_cohort_input in = {.module = out->module,
                               .starts_on = day,
                               .ends_on = day,
                               .place = place,
                               .capacity = FOW_COHORT_CAPACITY_MAX,
                               .status = "open"};
        if ((rc = fow_cohort_add(db, &actor, &cat, &in, now, &cohort_id, err)))
            goto done;
    }
    out->cohort_id = cohort_id;
    fow_enrolment enrolment;
    bool created = false;
    if ((rc = fow_cohort_enrol(db, people, &actor, cohort_id, person_id, now, &enrolment, &created, err)))
        goto done;
    if ((rc = fow_cohort_complete(db, people, &actor, model, &cat, cohort_id, person_id, true, false, 0, day, now,
                                  &out->completion, &out->skills, err)))
        goto done;
    fow_error cred_err;
    fow_error_clear(&cred_err);
    if (db_path)
        fow_credential_issue_completion(db_path, &out->completion, staff, now, &out->credential, &cred_err);
    else
        snprintf(out->credential.message, sizeof out->credential.message,
                 "no database path: the credential is issued later");
done:
    fow_training_free(&cat);
    free(cohorts);
    free(reqs);
    free(res);
    free(lab);
    return rc;
}

/* ---- prices ------------------------------------------------------------------------------- */

static fow_code insert_price(fow_db *db, int64_t resource_id, const void *row, fow_error *err)
{
    return labs_store_price_insert(db, resource_id, row, err);
}

fow_code fow_lab_prices_set(fow_db *db, const char *resource_code, const fow_lab_price *prices, size_t n,
                            fow_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const fow_lab_price *p = &prices[i];
        if ((unsigned)p->category >= FOW_LAB_CATEGORY_COUNT)
            return entry_error(err, FOW_EINPUT, "prices", i, "category", " is not a price category");
        for (size_t j = 0; j < i; j++)
            if (prices[j].category == p->category)
                return entry_error(err, FOW_EINPUT, "prices", i, "category", ": %s is priced twice",
                                   fow_lab_category_name(p->category));
        if (p->per_hour_minor < 0 || p->per_hour_minor > 1000000000LL)
            return entry_error(err, FOW_EINPUT, "prices", i, "per_hour_minor", " must be 0 to 1000000000 minor units");
        if (strlen(p->currency) != 3 || !isupper((unsigned char)p->currency[0]) ||
            !isupper((unsigned char)p->currency[1]) || !isupper((unsigned char)p->currency[2]))
            return entry_error(err, FOW_EINPUT, "prices", i, "currency",
                               " must be an ISO 4217 code of three capital letters, e.g. RON");
    }
    row_replacement rows = {.code = resource_code, .rows = prices, .n = n, .size = sizeof *prices,
                            .clear = labs_store_prices_delete, .insert = insert_price, .what = "setting prices"};
    return replace_rows(db, &rows, err);
}

fow_code fow_lab_prices(fow_db *db, int64_t resource_id, fow_lab_price **out, size_t *n, fow_error *err)
{
    *out = NULL;
    *n = 0;
    return labs_store_prices(db, resource_id, out, n, err);
}

fow_code fow_lab_price_of(fow_db *db, int64_t resource_id, fow_lab_category category, fow_lab_price *out,
                          bool *found, fow_error *err)
{
    fow_lab_price *list = NULL;
    size_t n = 0;
    *found = false;
    fow_code rc = labs_store_prices(db, resource_id, &list, &n, err);
    for (size_t i = 0; !rc && i < n; i++)
        if (list[i].category == category) {
            *out = list[i];
            *found = true;
        }
    free(list);
    return rc;
}

int64_t fow_lab_price_for(int64_t per_hour_minor, int minutes)
{
    return (per_hour_minor * minutes + 30) / 60;
}
