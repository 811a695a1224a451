/* training_store.c — the SQL of the learning catalogue (the training_ tables). */
#include "training/training_store.h"

#include <stdio.h>
#include <string.h>

fow_code training_store_clear_source(fow_db *db, int64_t source_id, fow_error *err) {
    static const char *const deletes[] = {
        "DELETE FROM training_prerequisites WHERE source_id = ?1",
        "DELETE FROM training_module_skills WHERE source_id = ?1",
        "DELETE FROM training_modules WHERE source_id = ?1",
        "DELETE FROM training_programmes WHERE source_id = ?1",
    };
    for (size_t i = 0; i < sizeof deletes / sizeof *deletes; i++) {
        sqlite3_stmt *st;
        fow_code rc = fow_db_prepare(db, deletes[i], &st, err);
        if (rc) return rc;
        sqlite3_bind_int64(st, 1, source_id);
        if ((rc = fow_db_step_done(db, st, "clearing the learning catalogue", err))) return rc;
    }
    return FOW_OK;
}

fow_code training_store_prune_providers(fow_db *db, int64_t source_id, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "DELETE FROM training_providers WHERE source_id = ?1 AND NOT EXISTS "
                                 "(SELECT 1 FROM training_modules m WHERE m.provider_id = training_providers.id)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, source_id);
    return fow_db_step_done(db, st, "removing training providers no module names", err);
}

fow_code training_store_add_provider(fow_db *db, int64_t source_id, const char *name, const char *accreditation,
                                     const char *valid_until, int64_t *id, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO training_providers(name, accreditation, accreditation_valid_until, "
                                 "source_id) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (source_id, name) DO UPDATE SET "
                                 "accreditation = excluded.accreditation, "
                                 "accreditation_valid_until = excluded.accreditation_valid_until",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, accreditation, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, valid_until, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, source_id);
    if ((rc = fow_db_step_done(db, st, "writing a training provider", err))) return rc;
    if ((rc = fow_db_prepare(db, "SELECT id FROM training_providers WHERE source_id = ?1 AND name = ?2", &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, source_id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
    else rc = fow_db_error(db, err, "reading a training provider");
    sqlite3_finalize(st);
    return rc;
}

fow_code training_store_add_programme(fow_db *db, int64_t source_id, const char *name, int64_t *id, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "INSERT INTO training_programmes(name, source_id) VALUES (?1, ?2)", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, source_id);
    if ((rc = fow_db_step_done(db, st, "writing a training programme", err))) return rc;
    *id = fow_db_last_insert_id(db);
    return FOW_OK;
}

fow_code training_store_add_module(fow_db *db, const training_module_row *m, int64_t *id, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO training_modules(code, provider_id, programme_id, title_ro, title_en, "
                                 "description_ro, description_en, hours, mode, language, place, cost_minor, currency, "
                                 "eligibility, line, source_id, status, written_by, updated_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
                                 "?18, ?19)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, m->code, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, m->provider_id);
    if (m->programme_id) sqlite3_bind_int64(st, 3, m->programme_id);
    sqlite3_bind_text(st, 4, m->title_ro, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, m->title_en, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, m->description_ro, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, m->description_en, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 8, m->hours);
    sqlite3_bind_text(st, 9, m->mode, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, m->language, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, m->place, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 12, m->cost_minor);
    sqlite3_bind_text(st, 13, m->currency, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 14, m->eligibility, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 15, m->line);
    sqlite3_bind_int64(st, 16, m->source_id);
    sqlite3_bind_text(st, 17, m->status ? m->status : "approved", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 18, m->written_by ? m->written_by : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 19, m->updated_at);
    int r = sqlite3_step(st);
    bool taken = r == SQLITE_CONSTRAINT && sqlite3_extended_errcode(db->sql) == SQLITE_CONSTRAINT_UNIQUE;
    sqlite3_finalize(st);
    if (taken)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "code", "the code '%.60s' is taken by another module",
                                m->code);
    if (r != SQLITE_DONE) return fow_db_error(db, err, "writing a training module");
    *id = fow_db_last_insert_id(db);
    return FOW_OK;
}

fow_code training_store_add_link(fow_db *db, int64_t source_id, int position, const training_link_row *l,
                                 fow_error *err) {
    bool teaches = strcmp(l->kind, "teaches") == 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 teaches ? "INSERT INTO training_module_skills(module_id, position, skill_id, skill_uri, "
                                           "skill_label, source_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                                         : "INSERT INTO training_prerequisites(module_id, position, skill_id, skill_uri, "
                                           "label, source_id, kind, required_module_id) "
                                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, l->module_id);
    sqlite3_bind_int(st, 2, position);
    if (l->skill_id) sqlite3_bind_int64(st, 3, l->skill_id);
    sqlite3_bind_text(st, 4, l->skill_uri, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, l->label, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, source_id);
    if (!teaches) {
        sqlite3_bind_text(st, 7, l->kind, -1, SQLITE_STATIC);
        if (l->required_module_id) sqlite3_bind_int64(st, 8, l->required_module_id);
    }
    return fow_db_step_done(db, st, "writing a module's skills", err);
}

fow_code training_store_update_module(fow_db *db, int64_t id, const training_module_row *m, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "UPDATE training_modules SET programme_id = ?2, title_ro = ?3, title_en = ?4, "
                                 "description_ro = ?5, description_en = ?6, hours = ?7, mode = ?8, language = ?9, "
                                 "place = ?10, cost_minor = ?11, currency = ?12, eligibility = ?13, status = ?14, "
                                 "review_reason = '', written_by = ?15, updated_at = ?16 WHERE id = ?1",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    if (m->programme_id) sqlite3_bind_int64(st, 2, m->programme_id);
    sqlite3_bind_text(st, 3, m->title_ro, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, m->title_en, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, m->description_ro, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, m->description_en, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 7, m->hours);
    sqlite3_bind_text(st, 8, m->mode, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, m->language, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, m->place, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 11, m->cost_minor);
    sqlite3_bind_text(st, 12, m->currency, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 13, m->eligibility, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 14, m->status ? m->status : "draft", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 15, m->written_by ? m->written_by : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 16, m->updated_at);
    if ((rc = fow_db_step_done(db, st, "rewriting a training module", err))) return rc;
    static const char *const deletes[] = {"DELETE FROM training_module_skills WHERE module_id = ?1",
                                          "DELETE FROM training_prerequisites WHERE module_id = ?1"};
    for (size_t i = 0; !rc && i < sizeof deletes / sizeof *deletes; i++) {
        if ((rc = fow_db_prepare(db, deletes[i], &st, err))) return rc;
        sqlite3_bind_int64(st, 1, id);
        rc = fow_db_step_done(db, st, "rewriting a module's skills", err);
    }
    return rc;
}

fow_code training_store_delete_module(fow_db *db, int64_t id, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "DELETE FROM training_modules WHERE id = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    return fow_db_step_done(db, st, "deleting a training module", err);
}

fow_code training_store_set_status(fow_db *db, int64_t id, const char *const *from, const char *status,
                                   const char *reason, const char *by, long long at, bool *changed, fow_error *err) {
    *changed = false;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "UPDATE training_modules SET status = ?2, review_reason = ?3, reviewed_by = ?4, "
                                 "reviewed_at = ?5 WHERE id = ?1 AND status IN (?6, ?7, ?8)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, at);
    for (int i = 0; i < 3 && from[i]; i++) sqlite3_bind_text(st, 6 + i, from[i], -1, SQLITE_STATIC);
    if ((rc = fow_db_step_done(db, st, "changing a module's status", err))) return rc;
    *changed = fow_db_changes(db) > 0;
    return FOW_OK;
}

fow_code training_store_module_owner(fow_db *db, int64_t id, int64_t *provider_id, char *status, size_t cap,
                                     bool *written, bool *found, fow_error *err) {
    *found = false;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT provider_id, status, CASE WHEN written_by = '' THEN 0 ELSE 1 END "
                                 "FROM training_modules WHERE id = ?1",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *found = true;
        *provider_id = sqlite3_column_int64(st, 0);
        snprintf(status, cap, "%s", fow_db_column_text(st, 1));
        *written = sqlite3_column_int(st, 2) != 0;
    } else if (r != SQLITE_DONE) {
        rc = fow_db_error(db, err, "reading a training module");
    }
    sqlite3_finalize(st);
    return rc;
}

fow_code training_store_module_code(fow_db *db, int64_t id, char *code, size_t cap, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT code FROM training_modules WHERE id = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int r = sqlite3_step(st);
    snprintf(code, cap, "%s", r == SQLITE_ROW ? fow_db_column_text(st, 0) : "");
    if (r != SQLITE_ROW && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading a training module");
    sqlite3_finalize(st);
    return rc;
}

fow_code training_store_provider_of_code(fow_db *db, const char *code, int64_t *provider_id, fow_error *err) {
    *provider_id = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT MIN(provider_id), MAX(provider_id) FROM training_modules WHERE code = ?1",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL &&
        sqlite3_column_int64(st, 0) == sqlite3_column_int64(st, 1))
        *provider_id = sqlite3_column_int64(st, 0);
    else if (r != SQLITE_ROW && r != SQLITE_DONE)
        rc = fow_db_error(db, err, "reading the provider of a module");
    sqlite3_finalize(st);
    return rc;
}

fow_code training_store_provider_name(fow_db *db, int64_t id, char *name, size_t cap, bool *found, fow_error *err) {
    *found = false;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT name FROM training_providers WHERE id = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *found = true;
        snprintf(name, cap, "%s", fow_db_column_text(st, 0));
    } else if (r != SQLITE_DONE) {
        rc = fow_db_error(db, err, "reading a training provider");
    }
    sqlite3_finalize(st);
    return rc;
}

fow_code training_store_provider_bank(fow_db *db, int64_t id, char *name, size_t name_cap, char *iban,
                                      size_t iban_cap, char *bic, size_t bic_cap, bool *found, fow_error *err) {
    *found = false;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT name, iban, bic FROM training_providers WHERE id = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *found = true;
        snprintf(name, name_cap, "%s", fow_db_column_text(st, 0));
        snprintf(iban, iban_cap, "%s", fow_db_column_text(st, 1));
        snprintf(bic, bic_cap, "%s", fow_db_column_text(st, 2));
    } else if (r != SQLITE_DONE) {
        rc = fow_db_error(db, err, "reading a training provider's bank account");
    }
    sqlite3_finalize(st);
    return rc;
}

fow_code training_store_set_provider_bank(fow_db *db, int64_t id, const char *iban, const char *bic, bool *found,
                                          fow_error *err) {
    *found = false;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "UPDATE training_providers SET iban = ?2, bic = ?3 WHERE id = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, iban, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, bic, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE) rc = fow_db_error(db, err, "writing a training provider's bank account");
    else *found = fow_db_changes(db) > 0;
    sqlite3_finalize(st);
    return rc;
}

fow_code training_store_count_modules(fow_db *db, int64_t source_id, long long *n, fow_error *err) {
    *n = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT count(*) FROM training_modules WHERE source_id = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, source_id);
    if (sqlite3_step(st) == SQLITE_ROW) *n = sqlite3_column_int64(st, 0);
    else rc = fow_db_error(db, err, "counting training modules");
    sqlite3_finalize(st);
    return rc;
}

fow_code training_store_each_module(fow_db *db,
                                    fow_code (*visit)(void *ctx, const training_module_row *row, fow_error *err),
                                    void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(
        db,
        "SELECT m.id, m.code, p.id, p.name, p.accreditation, p.accreditation_valid_until, g.id, g.name, m.title_ro, "
        "m.title_en, m.description_ro, m.description_en, m.hours, m.mode, m.language, m.place, m.cost_minor, "
        "m.currency, m.eligibility, m.line, m.source_id, m.status, m.review_reason, m.reviewed_by, m.reviewed_at, "
        "m.written_by, m.updated_at "
        "FROM training_modules m JOIN training_providers p ON p.id = m.provider_id "
        "LEFT JOIN training_programmes g ON g.id = m.programme_id "
        "ORDER BY CASE WHEN g.id IS NULL THEN 1 ELSE 0 END, g.name, m.source_id, m.line, m.id",
        &st, err);
    if (rc) return rc;
    int r;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        training_module_row row = {
            .id = sqlite3_column_int64(st, 0),
            .code = fow_db_column_text(st, 1),
            .provider_id = sqlite3_column_int64(st, 2),
            .provider = fow_db_column_text(st, 3),
            .accreditation = fow_db_column_text(st, 4),
            .accreditation_valid_until = fow_db_column_text(st, 5),
            .programme_id = sqlite3_column_int64(st, 6),
            .programme = fow_db_column_text(st, 7),
            .title_ro = fow_db_column_text(st, 8),
            .title_en = fow_db_column_text(st, 9),
            .description_ro = fow_db_column_text(st, 10),
            .description_en = fow_db_column_text(st, 11),
            .hours = sqlite3_column_double(st, 12),
            .mode = fow_db_column_text(st, 13),
            .language = fow_db_column_text(st, 14),
            .place = fow_db_column_text(st, 15),
            .cost_minor = sqlite3_column_int64(st, 16),
            .currency = fow_db_column_text(st, 17),
            .eligibility = fow_db_column_text(st, 18),
            .line = (long)sqlite3_column_int64(st, 19),
            .source_id = sqlite3_column_int64(st, 20),
            .status = fow_db_column_text(st, 21),
            .review_reason = fow_db_column_text(st, 22),
            .reviewed_by = fow_db_column_text(st, 23),
            .reviewed_at = sqlite3_column_int64(st, 24),
            .written_by = fow_db_column_text(st, 25),
            .updated_at = sqlite3_column_int64(st, 26),
        };
        rc = visit(ctx, &row, err);
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading the learning catalogue");
    sqlite3_finalize(st);
    return rc;
}

fow_code training_store_each_link(fow_db *db,
                                  fow_code (*visit)(void *ctx, const training_link_row *link, fow_error *err),
                                  void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(
        db,
        "SELECT module_id, 'teaches', skill_id, skill_uri, skill_label, 0, 0, position FROM training_module_skills "
        "UNION ALL "
        "SELECT module_id, kind, skill_id, skill_uri, label, required_module_id, 1, position "
        "FROM training_prerequisites "
        "ORDER BY 1, 7, 8",
        &st, err);
    if (rc) return rc;
    int r;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        training_link_row link = {
            .module_id = sqlite3_column_int64(st, 0),
            .kind = fow_db_column_text(st, 1),
            .skill_id = sqlite3_column_int64(st, 2),
            .skill_uri = fow_db_column_text(st, 3),
            .label = fow_db_column_text(st, 4),
            .required_module_id = sqlite3_column_int64(st, 5),
        };
        rc = visit(ctx, &link, err);
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading the learning catalogue");
    sqlite3_finalize(st);
    return rc;
}
