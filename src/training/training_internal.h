/* training_internal.h — what the files of src/training share and no other
 * module uses: the taxonomy's skills by key (skill_keys.c), for the
 * importer (fow_training.c) and the editor of modules (training_edit.c). */
#ifndef FOW_TRAINING_INTERNAL_H
#define FOW_TRAINING_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/fow_arena.h"
#include "base/fow_error.h"
#include "base/fow_strmap.h"
#include "store/fow_db.h"

/* The skills of the taxonomy: by URI, by short id (the URI's last segment,
 * e.g. ESCO's UUID) and by folded label; uri and label by skill id. */
typedef struct skill_keys {
    fow_strmap by_uri, by_short, by_label;
    fow_arena text;
    const char **uri, **label; /* by id, for what is stored */
    size_t cap;
} skill_keys;

/* Reads every skill of the taxonomy of db into *k (free with
 * skill_keys_free, also after a failure). */
fow_code skill_keys_load(fow_db *db, skill_keys *k, fow_error *err);

/* Frees what skill_keys_load made. */
void skill_keys_free(skill_keys *k);

/* The id of the skill named by key: its URI, its short id, else its label
 * in any case and accents; 0 when none. */
int64_t skill_keys_find(const skill_keys *k, const char *key);

#endif
