/* fow_taxonomy_check.h — the expensive consistency checks of the taxonomy
 * and the reference data imported with it (`fow check`). */
#ifndef FOW_TAXONOMY_CHECK_H
#define FOW_TAXONOMY_CHECK_H

#include "base/fow_check.h"
#include "base/fow_error.h"
#include "store/fow_db.h"

/* Runs the taxonomy's checks on db and adds one result each to report:
 *   taxonomy.relations     every occupation-skill relation names an existing occupation and skill
 *   taxonomy.parents       every nesting names existing occupations, and no occupation is its own ancestor
 *   taxonomy.groups        ISCO-08 codes of groups and occupations are 1 to 4 digits
 *   taxonomy.labels        every label belongs to an existing occupation or skill
 *   taxonomy.risk          risk rows name existing occupations and stay on their model's scale
 *   taxonomy.sources       every row of the taxonomy's tables names an existing source
 *   taxonomy.inherited     inherited and crosswalked values equal a fresh derivation
 *   taxonomy.search_index  the search index equals the labels folded again
 * A problem found is a result, not an error: the function still returns
 * FOW_OK. The last two recompute inside a transaction that is rolled back,
 * so db must be open for writing (it is left unchanged); they wait for a
 * running import. Fails with FOW_EDB, FOW_ENOMEM (the report keeps the
 * results added so far). */
fow_code fow_taxonomy_check(fow_db *db, fow_check_report *report, fow_error *err);

#endif
