/* fow_checks.c — every module's consistency checks, and their JSON. */
#include "service/fow_checks.h"

#include "observatory/fow_observatory_check.h"
#include "taxonomy/fow_taxonomy_check.h"
#include "vouchers/fow_calls.h"
#include "vouchers/fow_ledger.h"

fow_code fow_checks_run(fow_db *db, fow_check_report *report, fow_error *err) {
    fow_code rc = fow_taxonomy_check(db, report, err);
    if (!rc) rc = fow_observatory_check(db, report, err);
    if (!rc) rc = fow_vouchers_check(db, report, err);
    if (!rc) rc = fow_calls_check(db, report, err);
    return rc;
}

json_t *fow_checks_json(const fow_check_report *report) {
    json_t *checks = json_array();
    for (size_t i = 0; checks && i < report->n_results; i++) {
        const fow_check_result *c = &report->results[i];
        json_t *examples = json_array();
        for (size_t k = 0; examples && k < c->n_examples; k++) json_array_append_new(examples, json_string(c->examples[k]));
        json_t *o = json_pack("{s:s, s:s, s:b, s:I, s:I, s:o*}", "name", c->name, "what", c->what, "ok",
                              c->problems == 0, "checked", (json_int_t)c->checked, "problems",
                              (json_int_t)c->problems, "examples", examples);
        if (!o || json_array_append_new(checks, o) != 0) {
            json_decref(checks);
            return NULL;
        }
    }
    return checks ? json_pack("{s:b, s:o}", "ok", fow_check_report_ok(report), "checks", checks) : NULL;
}
