/* vouchers_json.c — the JSON documents of funds, budget lines, vouchers,
 * redemptions and payment batches (fow_vouchers.h), the same for the
 * command line and the API. Flat members are written from a table of
 * fields (key, type, place in the struct), so that each document is its
 * list of members rather than a run of writer calls. */
#include <stddef.h>
#include <string.h>

#include "vouchers/fow_vouchers.h"

typedef enum field_type { FIELD_INT64, FIELD_INT, FIELD_TEXT } field_type;

typedef struct json_field {
    const char *key;
    field_type type;
    size_t offset;
} json_field;

/* Each entry's type is checked against its member's at compile time (a
 * comparison of distinct pointer types is an error with -Werror). */
#define F_INT64(T, member, key) {key, FIELD_INT64, offsetof(T, member) + 0 * sizeof(&((T *)0)->member == (int64_t *)0)}
#define F_INT(T, member, key) {key, FIELD_INT, offsetof(T, member) + 0 * sizeof(&((T *)0)->member == (int *)0)}
#define F_TEXT(T, member, key) {key, FIELD_TEXT, offsetof(T, member) + 0 * sizeof(&((T *)0)->member[0] == (char *)0)}
#define N_FIELDS(table) (sizeof(table) / sizeof((table)[0]))

/* Writes fields[0..n) of item as members of the open object. */
static void write_fields(fow_jw *w, const void *item, const json_field *fields, size_t n) {
    const char *base = item;
    for (size_t i = 0; i < n; i++) {
        const void *at = base + fields[i].offset;
        switch (fields[i].type) {
        case FIELD_INT64: fow_jw_kint(w, fields[i].key, *(const int64_t *)at); break;
        case FIELD_INT: fow_jw_kint(w, fields[i].key, *(const int *)at); break;
        case FIELD_TEXT: fow_jw_kstring(w, fields[i].key, (const char *)at); break;
        }
    }
}

/* "key": {fields} */
static void write_group(fow_jw *w, const char *key, const void *item, const json_field *fields, size_t n) {
    fow_jw_key(w, key);
    fow_jw_object(w);
    write_fields(w, item, fields, n);
    fow_jw_object_end(w);
}

static const json_field fund_fields[] = {
    F_INT64(fow_voucher_fund, id, "id"),
    F_TEXT(fow_voucher_fund, name, "name"),
    F_TEXT(fow_voucher_fund, currency, "currency"),
    F_TEXT(fow_voucher_fund, description, "description"),
    F_INT64(fow_voucher_fund, created_at, "created_at"),
    F_TEXT(fow_voucher_fund, created_by, "created_by"),
    F_INT64(fow_voucher_fund, allocated_minor, "allocated_minor"),
};

void fow_voucher_fund_write(fow_jw *w, const fow_voucher_fund *f) {
    fow_jw_object(w);
    write_fields(w, f, fund_fields, N_FIELDS(fund_fields));
    fow_jw_object_end(w);
}

static const json_field line_fields[] = {
    F_TEXT(fow_budget_line, purpose, "purpose"),
    F_INT(fow_budget_line, year, "year"),
    F_TEXT(fow_budget_line, name, "name"),
    F_TEXT(fow_budget_line, currency, "currency"),
    F_INT64(fow_budget_line, created_at, "created_at"),
    F_TEXT(fow_budget_line, created_by, "created_by"),
};

static const json_field line_amounts[] = {
    F_INT64(fow_budget_line, allocated_minor, "allocated_minor"),
    F_INT64(fow_budget_line, available_minor, "available_minor"),
    F_INT64(fow_budget_line, committed_minor, "committed_minor"),
    F_INT64(fow_budget_line, redeemed_minor, "redeemed_minor"),
    F_INT64(fow_budget_line, returned_minor, "returned_minor"),
};

void fow_budget_line_write(fow_jw *w, const fow_budget_line *l) {
    fow_jw_object(w);
    fow_jw_kint(w, "id", l->id);
    fow_jw_kref(w, "fund", l->fund_id, "name", l->fund_name);
    write_fields(w, l, line_fields, N_FIELDS(line_fields));
    write_group(w, "amounts", l, line_amounts, N_FIELDS(line_amounts));
    fow_jw_kstring(w, "source",
                   "the ledger (voucher_transfers): allocated = allocations to the line; available = its account's "
                   "balance; committed = its vouchers' balances; redeemed = redemptions from its vouchers less "
                   "refunds; returned = expiries and cancellations of its vouchers; minor units");
    fow_jw_object_end(w);
}

static const json_field voucher_head[] = {
    F_INT64(fow_voucher, id, "id"),
    F_TEXT(fow_voucher, code, "code"),
    F_INT64(fow_voucher, line_id, "line_id"),
    F_TEXT(fow_voucher, purpose, "purpose"),
    F_TEXT(fow_voucher, person, "person"),
    F_TEXT(fow_voucher, currency, "currency"),
};

static const json_field voucher_amounts[] = {
    F_INT64(fow_voucher, value_minor, "value_minor"),
    F_INT64(fow_voucher, balance_minor, "balance_minor"),
    F_INT64(fow_voucher, redeemed_minor, "redeemed_minor"),
    F_INT64(fow_voucher, returned_minor, "returned_minor"),
};

static const json_field voucher_validity[] = {
    F_TEXT(fow_voucher, valid_from, "valid_from"),
    F_TEXT(fow_voucher, valid_until, "valid_until"),
    F_TEXT(fow_voucher, status, "status"),
    F_INT(fow_voucher, min_attendance_percent, "min_attendance_percent"),
};

static const json_field voucher_tail[] = {
    F_TEXT(fow_voucher, award_ref, "award_ref"),
    F_INT64(fow_voucher, issued_at, "issued_at"),
    F_TEXT(fow_voucher, issued_by, "issued_by"),
    F_INT64(fow_voucher, changed_at, "changed_at"),
    F_TEXT(fow_voucher, changed_by, "changed_by"),
    F_TEXT(fow_voucher, note, "note"),
};

void fow_voucher_write(fow_jw *w, const fow_voucher *v) {
    fow_jw_object(w);
    write_fields(w, v, voucher_head, N_FIELDS(voucher_head));
    fow_jw_key(w, "beneficiary");
    fow_jw_object(w);
    fow_jw_kstring(w, "kind", v->beneficiary_kind);
    if (strcmp(v->beneficiary_kind, "enterprise") == 0) {
        fow_jw_kstring(w, "registration_code", v->enterprise_code);
        fow_jw_kstring(w, "name", v->enterprise_name);
    } else {
        fow_jw_kstring(w, "person", v->person);
    }
    fow_jw_object_end(w);
    write_group(w, "amounts", v, voucher_amounts, N_FIELDS(voucher_amounts));
    write_fields(w, v, voucher_validity, N_FIELDS(voucher_validity));
    fow_jw_key(w, "allowed");
    fow_jw_object(w);
    fow_jw_key(w, "providers");
    fow_jw_array(w);
    for (size_t i = 0; i < v->n_providers; i++) fow_jw_int(w, v->providers[i]);
    fow_jw_array_end(w);
    fow_jw_key(w, "modules");
    fow_jw_array(w);
    for (size_t i = 0; i < v->n_modules; i++) fow_jw_string(w, v->modules[i]);
    fow_jw_array_end(w);
    fow_jw_object_end(w);
    write_fields(w, v, voucher_tail, N_FIELDS(voucher_tail));
    fow_jw_object_end(w);
}

static const json_field redemption_fields[] = {
    F_TEXT(fow_redemption, person, "person"),
    F_INT64(fow_redemption, provider_id, "provider_id"),
    F_INT64(fow_redemption, enrolment_id, "enrolment_id"),
    F_INT64(fow_redemption, cohort_id, "cohort_id"),
    F_TEXT(fow_redemption, module, "module"),
    F_INT64(fow_redemption, amount_minor, "amount_minor"),
    F_TEXT(fow_redemption, currency, "currency"),
    F_TEXT(fow_redemption, status, "status"),
    F_TEXT(fow_redemption, key, "key"),
    F_INT64(fow_redemption, redeemed_at, "redeemed_at"),
    F_TEXT(fow_redemption, redeemed_by, "redeemed_by"),
    F_INT(fow_redemption, attendance_percent, "attendance_percent"),
    F_INT64(fow_redemption, payable_at, "payable_at"),
    F_TEXT(fow_redemption, note, "note"),
    F_INT64(fow_redemption, batch_id, "batch_id"),
    F_INT64(fow_redemption, changed_at, "changed_at"),
    F_TEXT(fow_redemption, changed_by, "changed_by"),
};

void fow_redemption_write(fow_jw *w, const fow_redemption *r) {
    fow_jw_object(w);
    fow_jw_kint(w, "id", r->id);
    fow_jw_kref(w, "voucher", r->voucher_id, "code", r->voucher_code);
    write_fields(w, r, redemption_fields, N_FIELDS(redemption_fields));
    fow_jw_object_end(w);
}

static const json_field batch_fields[] = {
    F_INT64(fow_payment_batch, id, "id"),
    F_TEXT(fow_payment_batch, currency, "currency"),
    F_INT64(fow_payment_batch, total_minor, "total_minor"),
    F_INT64(fow_payment_batch, claims, "claims"),
    F_INT64(fow_payment_batch, lab_charges, "lab_charges"),
    F_TEXT(fow_payment_batch, status, "status"),
    F_INT64(fow_payment_batch, created_at, "created_at"),
    F_TEXT(fow_payment_batch, created_by, "created_by"),
    F_INT64(fow_payment_batch, approved_at, "approved_at"),
    F_TEXT(fow_payment_batch, approved_by, "approved_by"),
};

void fow_payment_batch_write(fow_jw *w, const fow_payment_batch *b) {
    fow_jw_object(w);
    write_fields(w, b, batch_fields, N_FIELDS(batch_fields));
    if (b->key[0]) fow_jw_kstring(w, "key", b->key);
    else fow_jw_knull(w, "key");
    fow_jw_object_end(w);
}

static const json_field lab_charge_fields[] = {
    F_INT64(fow_voucher_lab_charge, booking_id, "booking_id"),
    F_INT64(fow_voucher_lab_charge, provider_id, "provider_id"),
    F_INT64(fow_voucher_lab_charge, amount_minor, "amount_minor"),
    F_TEXT(fow_voucher_lab_charge, currency, "currency"),
    F_TEXT(fow_voucher_lab_charge, status, "status"),
};

static const json_field lab_charge_trail[] = {
    F_INT64(fow_voucher_lab_charge, payable_from, "payable_from"),
    F_INT64(fow_voucher_lab_charge, charged_at, "charged_at"),
    F_TEXT(fow_voucher_lab_charge, charged_by, "charged_by"),
    F_TEXT(fow_voucher_lab_charge, note, "note"),
};

void fow_voucher_lab_charge_write(fow_jw *w, const fow_voucher_lab_charge *c, int64_t now) {
    fow_jw_object(w);
    fow_jw_kint(w, "id", c->id);
    fow_jw_kref(w, "voucher", c->voucher_id, "code", c->voucher_code);
    write_fields(w, c, lab_charge_fields, N_FIELDS(lab_charge_fields));
    fow_jw_kstring(w, "state", fow_voucher_lab_charge_state(c, now));
    write_fields(w, c, lab_charge_trail, N_FIELDS(lab_charge_trail));
    if (c->batch_id) fow_jw_kint(w, "batch_id", c->batch_id);
    else fow_jw_knull(w, "batch_id");
    if (c->paid_at) fow_jw_kint(w, "paid_at", c->paid_at);
    else fow_jw_knull(w, "paid_at");
    fow_jw_object_end(w);
}
