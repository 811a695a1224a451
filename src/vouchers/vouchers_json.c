/* vouchers_json.c — the JSON documents of funds, budget lines, vouchers,
 * redemptions and payment batches (fow_vouchers.h), the same for the
 * command line and the API. */
#include "vouchers/fow_vouchers.h"

void fow_voucher_fund_write(fow_jw *w, const fow_voucher_fund *f) {
    fow_jw_object(w);
    fow_jw_kint(w, "id", f->id);
    fow_jw_kstring(w, "name", f->name);
    fow_jw_kstring(w, "currency", f->currency);
    fow_jw_kstring(w, "description", f->description);
    fow_jw_kint(w, "created_at", f->created_at);
    fow_jw_kstring(w, "created_by", f->created_by);
    fow_jw_kint(w, "allocated_minor", f->allocated_minor);
    fow_jw_object_end(w);
}

void fow_budget_line_write(fow_jw *w, const fow_budget_line *l) {
    fow_jw_object(w);
    fow_jw_kint(w, "id", l->id);
    fow_jw_key(w, "fund");
    fow_jw_object(w);
    fow_jw_kint(w, "id", l->fund_id);
    fow_jw_kstring(w, "name", l->fund_name);
    fow_jw_object_end(w);
    fow_jw_kstring(w, "purpose", l->purpose);
    fow_jw_kint(w, "year", l->year);
    fow_jw_kstring(w, "name", l->name);
    fow_jw_kstring(w, "currency", l->currency);
    fow_jw_kint(w, "created_at", l->created_at);
    fow_jw_kstring(w, "created_by", l->created_by);
    fow_jw_key(w, "amounts");
    fow_jw_object(w);
    fow_jw_kint(w, "allocated_minor", l->allocated_minor);
    fow_jw_kint(w, "available_minor", l->available_minor);
    fow_jw_kint(w, "committed_minor", l->committed_minor);
    fow_jw_kint(w, "redeemed_minor", l->redeemed_minor);
    fow_jw_kint(w, "returned_minor", l->returned_minor);
    fow_jw_object_end(w);
    fow_jw_kstring(w, "source",
                   "the ledger (voucher_transfers): allocated = allocations to the line; available = its account's "
                   "balance; committed = its vouchers' balances; redeemed = redemptions from its vouchers less "
                   "refunds; returned = expiries and cancellations of its vouchers; minor units");
    fow_jw_object_end(w);
}

void fow_voucher_write(fow_jw *w, const fow_voucher *v) {
    fow_jw_object(w);
    fow_jw_kint(w, "id", v->id);
    fow_jw_kstring(w, "code", v->code);
    fow_jw_kint(w, "line_id", v->line_id);
    fow_jw_kstring(w, "purpose", v->purpose);
    fow_jw_kstring(w, "person", v->person);
    fow_jw_kstring(w, "currency", v->currency);
    fow_jw_key(w, "amounts");
    fow_jw_object(w);
    fow_jw_kint(w, "value_minor", v->value_minor);
    fow_jw_kint(w, "balance_minor", v->balance_minor);
    fow_jw_kint(w, "redeemed_minor", v->redeemed_minor);
    fow_jw_kint(w, "returned_minor", v->returned_minor);
    fow_jw_object_end(w);
    fow_jw_kstring(w, "valid_from", v->valid_from);
    fow_jw_kstring(w, "valid_until", v->valid_until);
    fow_jw_kstring(w, "status", v->status);
    fow_jw_kint(w, "min_attendance_percent", v->min_attendance_percent);
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
    fow_jw_kstring(w, "award_ref", v->award_ref);
    fow_jw_kint(w, "issued_at", v->issued_at);
    fow_jw_kstring(w, "issued_by", v->issued_by);
    fow_jw_kint(w, "changed_at", v->changed_at);
    fow_jw_kstring(w, "changed_by", v->changed_by);
    fow_jw_kstring(w, "note", v->note);
    fow_jw_object_end(w);
}

void fow_redemption_write(fow_jw *w, const fow_redemption *r) {
    fow_jw_object(w);
    fow_jw_kint(w, "id", r->id);
    fow_jw_key(w, "voucher");
    fow_jw_object(w);
    fow_jw_kint(w, "id", r->voucher_id);
    fow_jw_kstring(w, "code", r->voucher_code);
    fow_jw_object_end(w);
    fow_jw_kstring(w, "person", r->person);
    fow_jw_kint(w, "provider_id", r->provider_id);
    fow_jw_kint(w, "enrolment_id", r->enrolment_id);
    fow_jw_kint(w, "cohort_id", r->cohort_id);
    fow_jw_kstring(w, "module", r->module);
    fow_jw_kint(w, "amount_minor", r->amount_minor);
    fow_jw_kstring(w, "currency", r->currency);
    fow_jw_kstring(w, "status", r->status);
    fow_jw_kstring(w, "key", r->key);
    fow_jw_kint(w, "redeemed_at", r->redeemed_at);
    fow_jw_kstring(w, "redeemed_by", r->redeemed_by);
    fow_jw_kint(w, "attendance_percent", r->attendance_percent);
    fow_jw_kint(w, "payable_at", r->payable_at);
    fow_jw_kstring(w, "note", r->note);
    fow_jw_kint(w, "batch_id", r->batch_id);
    fow_jw_kint(w, "changed_at", r->changed_at);
    fow_jw_kstring(w, "changed_by", r->changed_by);
    fow_jw_object_end(w);
}

void fow_payment_batch_write(fow_jw *w, const fow_payment_batch *b) {
    fow_jw_object(w);
    fow_jw_kint(w, "id", b->id);
    fow_jw_kstring(w, "currency", b->currency);
    fow_jw_kint(w, "total_minor", b->total_minor);
    fow_jw_kint(w, "claims", b->claims);
    fow_jw_kstring(w, "status", b->status);
    fow_jw_kint(w, "created_at", b->created_at);
    fow_jw_kstring(w, "created_by", b->created_by);
    fow_jw_kint(w, "approved_at", b->approved_at);
    fow_jw_kstring(w, "approved_by", b->approved_by);
    fow_jw_object_end(w);
}
