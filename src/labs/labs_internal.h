/* labs_internal.h — what the files of src/labs share and nobody else
 * calls. */
#ifndef LABS_INTERNAL_H
#define LABS_INTERNAL_H

#include "labs/fow_labs.h"
#include "training/fow_training.h"

/* fow_lab_requirements_set with the catalogue loaded by the caller (every
 * status), so that it can run inside the caller's write transaction
 * (loading the catalogue opens a read transaction of its own). */
fow_code labs_requirements_set_in(fow_db *db, const fow_training_catalogue *catalogue, const char *resource_code,
                                  const fow_lab_requirement *reqs, size_t n, fow_error *err);

#endif
