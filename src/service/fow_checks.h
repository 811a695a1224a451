/* fow_checks.h — every module's consistency checks, run together
 * (`fow check`), and their report as JSON. */
#ifndef FOW_CHECKS_H
#define FOW_CHECKS_H

#include <jansson.h>

#include "base/fow_check.h"
#include "base/fow_error.h"
#include "store/fow_db.h"

/* Runs the checks of every module on db (open for writing; left
 * unchanged) into report (initialised by the caller, freed by the caller
 * in any case): the taxonomy's (fow_taxonomy_check.h), the
 * observatory's (fow_observatory_check.h), the vouchers' ledger
 * (fow_vouchers_check, fow_ledger.h) and the calls' awards
 * (fow_calls_check, fow_calls.h). A new module
 * adds its own check function here. Returns FOW_OK when every check ran,
 * whatever they found (fow_check_report_ok says); FOW_EDB / FOW_ENOMEM
 * when one could not run. */
fow_code fow_checks_run(fow_db *db, fow_check_report *report, fow_error *err);

/* {"ok": bool, "checks": [{"name", "what", "ok", "checked", "problems",
 * "examples": [text, ...]}, ...]} as a new JSON object; NULL when out of
 * memory. */
json_t *fow_checks_json(const fow_check_report *report);

#endif
