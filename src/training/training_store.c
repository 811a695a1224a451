/* training_store.c — the SQL of the learning catalogue (the training_ tables). */
#include "training/training_store.h"

#include <stdio.h>
#include <string.h>

static const char *text_at(sqlite3_stmt *st, int col) {
    const char *t = (const char *)sqlite3_column_text(st, col);
    return t ? t : "";
}

/* Runs a prepared statement that returns no rows, then finalizes it. */
static fow_code step_done(fow_db *db, sqlite3_stmt *st, const char *what, fow_error *err) {
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? FOW_OK : fow_db_error(db, err, what);
}

fow_code training_store_clear_source(fow_db *db, int64_t source_id, fow_error *err) {
    static const char *const deletes[] = {
        "DELETE FROM training_prerequisites WHERE source_id = ?1",
        "DELETE FROM training_module_skills WHERE source_id = ?1",
        "DELETE FROM training_modules WHERE source_id = ?1",
        "DELETE FROM training_programmes WHERE source_id = ?1",
        "DELETE FROM training_providers WHERE source_id = ?1",
    };
    for (size_t i = 0; i < sizeof deletes / sizeof *deletes; i++) {
        sqlite3_stmt *st;
        fow_code rc = fow_db_prepare(db, deletes[i], &st, err);
        if (rc) return rc;
        sqlite3_bind_int64(st, 1, source_id);
        if ((rc = step_done(db, st, "clearing the learning catalogue", err))) return rc;
    }
    return FOW_OK;
}

fow_code training_store_add_provider(fow_db *db, int64_t source_id, const char *name, const char *accreditation,
                                     const char *valid_until, int64_t *id, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO training_providers(name, accreditation, accreditation_valid_until, "
                                 "source_id) VALUES (?1, ?2, ?3, ?4)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, accreditation, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, valid_until, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, source_id);
    if ((rc = step_done(db, st, "writing a training provider", err))) return rc;
    *id = fow_db_last_insert_id(db);
    return FOW_OK;
}

fow_code training_store_add_programme(fow_db *db, int64_t source_id, const char *name, int64_t *id, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "INSERT INTO training_programmes(name, source_id) VALUES (?1, ?2)", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, source_id);
    if ((rc = step_done(db, st, "writing a training programme", err))) return rc;
    *id = fow_db_last_insert_id(db);
    return FOW_OK;
}

fow_code training_store_add_module(fow_db *db, const training_module_row *m, int64_t *id, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO training_modules(code, provider_id, programme_id, title_ro, title_en, "
                                 "description_ro, description_en, hours, mode, language, place, cost_minor, currency, "
                                 "eligibility, line, source_id) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
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
    if ((rc = step_done(db, st, "writing a training module", err))) return rc;
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
    return step_done(db, st, "writing a module's skills", err);
}

fow_code training_store_each_module(fow_db *db,
                                    fow_code (*visit)(void *ctx, const training_module_row *row, fow_error *err),
                                    void *ctx, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(
        db,
        "SELECT m.id, m.code, p.id, p.name, p.accreditation, p.accreditation_valid_until, g.id, g.name, m.title_ro, "
        "m.title_en, m.description_ro, m.description_en, m.hours, m.mode, m.language, m.place, m.cost_minor, "
        "m.currency, m.eligibility, m.line, m.source_id "
        "FROM training_modules m JOIN training_providers p ON p.id = m.provider_id "
        "LEFT JOIN training_programmes g ON g.id = m.programme_id "
        "ORDER BY CASE WHEN g.id IS NULL THEN 1 ELSE 0 END, g.name, m.source_id, m.line, m.id",
        &st, err);
    if (rc) return rc;
    int r;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        training_module_row row = {
            .id = sqlite3_column_int64(st, 0),
            .code = text_at(st, 1),
            .provider_id = sqlite3_column_int64(st, 2),
            .provider = text_at(st, 3),
            .accreditation = text_at(st, 4),
            .accreditation_valid_until = text_at(st, 5),
            .programme_id = sqlite3_column_int64(st, 6),
            .programme = text_at(st, 7),
            .title_ro = text_at(st, 8),
            .title_en = text_at(st, 9),
            .description_ro = text_at(st, 10),
            .description_en = text_at(st, 11),
            .hours = sqlite3_column_double(st, 12),
            .mode = text_at(st, 13),
            .language = text_at(st, 14),
            .place = text_at(st, 15),
            .cost_minor = sqlite3_column_int64(st, 16),
            .currency = text_at(st, 17),
            .eligibility = text_at(st, 18),
            .line = (long)sqlite3_column_int64(st, 19),
            .source_id = sqlite3_column_int64(st, 20),
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
            .kind = text_at(st, 1),
            .skill_id = sqlite3_column_int64(st, 2),
            .skill_uri = text_at(st, 3),
            .label = text_at(st, 4),
            .required_module_id = sqlite3_column_int64(st, 5),
        };
        rc = visit(ctx, &link, err);
    }
    if (!rc && r != SQLITE_DONE) rc = fow_db_error(db, err, "reading the learning catalogue");
    sqlite3_finalize(st);
    return rc;
}
