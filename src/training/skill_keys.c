/* skill_keys.c — the taxonomy's skills by URI, short id and label, for the
 * importer and the editor of modules (training_internal.h). */
#include <stdlib.h>
#include <string.h>

#include "base/fow_text.h"
#include "taxonomy/taxonomy_store.h"
#include "training/training_internal.h"

/* The skills of the taxonomy: by URI, and by folded label. */
static fow_code collect_skill(void *ctx, const taxonomy_model_skill *s, fow_error *err) {
    skill_keys *k = ctx;
    if ((size_t)s->id >= k->cap) {
        size_t ncap = k->cap ? k->cap : 256;
        while (ncap <= (size_t)s->id) ncap *= 2;
        const char **u = realloc(k->uri, ncap * sizeof *u);
        if (u) k->uri = u;
        const char **l = realloc(k->label, ncap * sizeof *l);
        if (l) k->label = l;
        if (!u || !l) return fow_error_set(err, FOW_ENOMEM, "out of memory");
        memset(k->uri + k->cap, 0, (ncap - k->cap) * sizeof *u);
        memset(k->label + k->cap, 0, (ncap - k->cap) * sizeof *l);
        k->cap = ncap;
    }
    k->uri[s->id] = fow_arena_strdup(&k->text, s->uri);
    k->label[s->id] = fow_arena_strdup(&k->text, s->label);
    char folded[600];
    long len = fow_text_fold_into(s->label, strlen(s->label), folded, sizeof folded, err);
    if (!k->uri[s->id] || !k->label[s->id] || len < 0) return err->code ? err->code : fow_error_set(err, FOW_ENOMEM, "out of memory");
    const char *slash = strrchr(s->uri, '/');
    if (slash && slash[1] && fow_strmap_put(&k->by_short, slash + 1, strlen(slash + 1), s->id) != 0)
        return fow_error_set(err, FOW_ENOMEM, "out of memory");
    if ((*s->uri && fow_strmap_put(&k->by_uri, s->uri, strlen(s->uri), s->id) != 0) ||
        fow_strmap_put(&k->by_label, folded, (size_t)len, s->id) != 0)
        return fow_error_set(err, FOW_ENOMEM, "out of memory");
    return FOW_OK;
}

fow_code skill_keys_load(fow_db *db, skill_keys *k, fow_error *err) {
    memset(k, 0, sizeof *k);
    fow_strmap_init(&k->by_uri);
    fow_strmap_init(&k->by_label);
    fow_strmap_init(&k->by_short);
    fow_arena_init(&k->text, 1 << 14);
    return taxonomy_store_each_model_skill(db, collect_skill, k, err);
}

void skill_keys_free(skill_keys *k) {
    fow_strmap_free(&k->by_uri);
    fow_strmap_free(&k->by_label);
    fow_strmap_free(&k->by_short);
    fow_arena_free(&k->text);
    free(k->uri);
    free(k->label);
}


int64_t skill_keys_find(const skill_keys *k, const char *key) {
    int64_t id = 0;
    if (fow_strmap_get(&k->by_uri, key, strlen(key), &id)) return id;
    if (fow_strmap_get(&k->by_short, key, strlen(key), &id)) return id;
    char folded[600];
    fow_error ignored;
    fow_error_clear(&ignored);
    long len = fow_text_fold_into(key, strlen(key), folded, sizeof folded, &ignored);
    if (len >= 0 && fow_strmap_get(&k->by_label, folded, (size_t)len, &id)) return id;
    return 0;
}
