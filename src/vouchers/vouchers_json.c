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
