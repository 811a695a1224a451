/* api_voucher_reports.c — the voucher office's reports
 * (src/vouchers/fow_voucher_reports.h, docs/vouchers.md "Reports"):
 *   GET /api/v1/voucher-reports?by=fund|line|call|provider|month[&format=csv]
 *   GET /api/v1/voucher-reports/costs[?format=csv]
 *   GET /api/v1/voucher-reports/outstanding[?format=csv]
 * the same JSON as `fow voucher report ... --json` (fow_result_voucher_*)
 * and the same CSV as `--csv`. Money aggregates of the programme
 * (FOW_PERM_READ_PROGRAMME: admin, analyst, programme manager, voucher
 * office). The list of outstanding vouchers (one row per voucher, no
 * person) is the voucher office's: it comes to a role that may manage
 * vouchers (FOW_PERM_MANAGE_VOUCHERS) or to an administrator, and is null
 * for the others. Computed
 * from the ledger on every request: never cached. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/fow_accounts.h"
#include "http/http.h"
#include "service/fow_result.h"
#include "training/fow_training.h"
#include "vouchers/fow_voucher_reports.h"

/* true when role may see the office's list of vouchers: an administrator, or a role that manages
 * vouchers (the voucher office). */
static bool office_role(int role) {
    return role == FOW_ROLE_ADMIN || fow_role_allows((fow_role)role, FOW_PERM_MANAGE_VOUCHERS);
}

/* The request's format (json or csv); false after a 400. */
static bool format_of(http_request *req, http_response *res, bool *csv) {
    static const char *const formats[] = {"json", "csv", NULL};
    const char *format = NULL;
    if (http_query_choice(req, res, "format", formats, "json", &format)) return false;
    *csv = strcmp(format, "csv") == 0;
    res->cacheable = false;
    return true;
}

static fow_db *open_db(http_request *req, http_response *res) {
    fow_db *db = NULL;
    fow_error err;
    fow_error_clear(&err);
    if (fow_db_open(&db, req->services->db_path, true, &err)) {
        http_error(res, 500, NULL, "the voucher reports are not available: %s", err.message);
        return NULL;
    }
    return db;
}

static void amounts(http_request *req, http_response *res) {
    static const char *const bys[] = {"fund", "line", "call", "provider", "month", NULL};
    const char *by_text = NULL;
    bool csv = false;
    if (http_query_choice(req, res, "by", bys, "fund", &by_text) || !format_of(req, res, &csv)) return;
    fow_voucher_report_by by = FOW_VREPORT_FUND;
    (void)fow_voucher_report_by_parse(by_text, &by);
    fow_db *db = open_db(req, res);
    if (!db) return;
    fow_error err;
    fow_error_clear(&err);
    fow_voucher_report r;
    if (fow_voucher_report_compute(db, by, (int64_t)time(NULL), &r, &err)) {
        http_error(res, 500, NULL, "the voucher report could not be computed: %s", err.message);
    } else if (csv) {
        char name[64];
        snprintf(name, sizeof name, "fow-voucher-report-%s.csv", fow_voucher_report_by_name(by));
        http_csv(res, fow_voucher_report_csv(&r), name);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_result_voucher_report(w, &r);
        http_json_written(res, 200, w);
    }
    fow_voucher_report_free(&r);
    fow_db_close(db);
}

static void costs(http_request *req, http_response *res) {
    bool csv = false;
    if (!format_of(req, res, &csv)) return;
    fow_db *db = open_db(req, res);
    if (!db) return;
    fow_error err;
    fow_error_clear(&err);
    fow_training_catalogue catalogue;
    fow_voucher_costs c;
    memset(&c, 0, sizeof c);
    fow_code rc = fow_training_load(db, &catalogue, &err);
    bool has_catalogue = rc == FOW_OK;
    if (!rc) rc = fow_voucher_costs_compute(db, &catalogue, (int64_t)time(NULL), &c, &err);
    if (rc) {
        http_error(res, 500, NULL, "the voucher costs could not be computed: %s", err.message);
    } else if (csv) {
        http_csv(res, fow_voucher_costs_csv(&c), "fow-voucher-costs.csv");
    } else {
        fow_jw *w = http_writer();
        if (w) fow_result_voucher_costs(w, &c);
        http_json_written(res, 200, w);
    }
    fow_voucher_costs_free(&c);
    if (has_catalogue) fow_training_free(&catalogue);
    fow_db_close(db);
}

static void outstanding(http_request *req, http_response *res) {
    bool csv = false;
    if (!format_of(req, res, &csv)) return;
    fow_db *db = open_db(req, res);
    if (!db) return;
    fow_error err;
    fow_error_clear(&err);
    fow_voucher_outstanding o;
    if (fow_voucher_outstanding_compute(db, (int64_t)time(NULL), &o, &err)) {
        http_error(res, 500, NULL, "the outstanding vouchers could not be computed: %s", err.message);
    } else if (csv) {
        http_csv(res, fow_voucher_outstanding_csv(&o), "fow-vouchers-outstanding.csv");
    } else {
        fow_jw *w = http_writer();
        if (w) fow_result_voucher_outstanding(w, &o, office_role(req->who.role));
        http_json_written(res, 200, w);
    }
    fow_voucher_outstanding_free(&o);
    fow_db_close(db);
}

static const http_route routes[] = {
    {.method = "GET", .pattern = "/api/v1/voucher-reports", .handler = amounts, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_READ_PROGRAMME, .uncached = true},
    {.method = "GET", .pattern = "/api/v1/voucher-reports/costs", .handler = costs, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_READ_PROGRAMME, .uncached = true},
    {.method = "GET", .pattern = "/api/v1/voucher-reports/outstanding", .handler = outstanding,
     .access = HTTP_PERMISSION, .permission = FOW_PERM_READ_PROGRAMME, .uncached = true},
};
HTTP_ROUTE_TABLE(api_voucher_reports_routes, routes);
