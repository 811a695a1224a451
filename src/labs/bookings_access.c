/* bookings_access.c — may a person use the resource they book? Asks
 * fow_lab_access (fow_labs.h: their valid, unrevoked credentials) and words
 * a refusal as labs.training_missing with the missing list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labs/bookings_internal.h"
#include "labs/fow_labs.h"

fow_code bookings_access(fow_db *db, struct fow_people *people, const bstore_resource *r, const char *person,
                         int64_t now, fow_lab_refusal *refusal, fow_error *err) {
    (void)people; /* fow_lab_access reads credentials only, no people record */
    fow_lab_access_result *a = calloc(1, sizeof *a);
    if (!a) return fow_error_set(err, FOW_ENOMEM, "out of memory");
    fow_code rc = fow_lab_access(db, r->code, person, now, a, err);
    if (!rc && !a->allowed) {
        char list[300] = "";
        size_t used = 0;
        for (size_t i = 0; i < a->n_missing; i++) {
            const fow_lab_requirement *m = &a->missing[i];
            if (refusal && refusal->n_missing < FOW_LAB_MISSING_MAX) {
                fow_lab_missing *x = &refusal->missing[refusal->n_missing++];
                snprintf(x->kind, sizeof x->kind, "%s", fow_lab_requirement_kind_name(m->kind));
                snprintf(x->ref, sizeof x->ref, "%s", m->ref);
                snprintf(x->title, sizeof x->title, "%s", m->title_en);
                snprintf(x->title_ro, sizeof x->title_ro, "%s", m->title_ro);
            }
            if (used < sizeof list) {
                int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                 m->title_en[0] ? m->title_en : m->ref);
                if (w > 0) used += (size_t)w;
            }
        }
        rc = bookings_refuse(refusal, err, "labs.training_missing", 409, "person",
                             "%s needs training first: %s", r->code, list);
    }
    free(a);
    return rc;
}
