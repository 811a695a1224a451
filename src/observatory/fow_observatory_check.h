/* fow_observatory_check.h — the consistency checks of the observatory's
 * employment table (`fow check`). */
#ifndef FOW_OBSERVATORY_CHECK_H
#define FOW_OBSERVATORY_CHECK_H

#include "base/fow_check.h"
#include "base/fow_error.h"
#include "store/fow_db.h"

/* Runs the observatory's checks on db and adds one result each to report:
 *   observatory.references  every employment row names an existing occupation (when it names one) and source
 *   observatory.employment  each row is counted at an ISCO-08 code of 1 to 4 digits or at an occupation,
 *                           not both; a masked cell has no count and any other a count of 0 or more;
 *                           wages are 0 or more; no two rows share an area, year, occupation and breakdown
 * A problem found is a result, not an error: the function still returns
 * FOW_OK. Reads only. Fails with FOW_EDB, FOW_ENOMEM. */
fow_code fow_observatory_check(fow_db *db, fow_check_report *report, fow_error *err);

#endif
