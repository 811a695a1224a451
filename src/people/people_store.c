/* people_store.c — every SQL statement of people_key, people,
 * person_consents, person_skills and person_audit (people_store.h). */
#include "people/people_store.h"

#include "store/fow_db_args.h"

#include <stdlib.h>
#include <string.h>

static void copy_text(sqlite3_stmt *st, int col, char *dst, size_t n) {
    snprintf(dst, n, "%s", fow_db_column_text(st, col));
}

static void copy_blob(sqlite3_stmt *st, int col, unsigned char *dst, size_t cap, size_t *len) {
    const void *b = sqlite3_column_blob(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    *len = 0;
    if (!b || n == 0 || n > cap) return;
    memcpy(dst, b, n);
    *len = n;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *text) {
    if (text && *text) sqlite3_bind_text(st, i, text, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}


fow_code people_store_key_check(fow_db *db, char check[PEOPLE_LOOKUP_HEX + 1], bool *found, fow_error *err) {
    *found = false;
    check[0] = '\0';
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT key_check FROM people_key WHERE id = 1", &st, err);
    if (rc) return rc;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        copy_text(st, 0, check, PEOPLE_LOOKUP_HEX + 1);
        *found = true;
    } else if (r != SQLITE_DONE) {
        rc = fow_db_error(db, err, "reading the people key check");
    }
    sqlite3_finalize(st);
    return rc;
}

fow_code people_store_key_check_put(fow_db *db, const char *check, long long now, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO people_key (id, key_check, created_at) VALUES (1, ?1, ?2) "
                                 "ON CONFLICT (id) DO NOTHING",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, check, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    return fow_db_step_done(db, st, "storing the people key check", err);
}

fow_code people_store_insert(fow_db *db, const people_row *row, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO people (id, name_box, contact_box, name_lookup, contact_lookup, "
                                 "birth_year, area, occupation_uri, employment_status, organisation, created_at, "
                                 "created_by, sex) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, row->id, -1, SQLITE_STATIC);
    if (row->name_box_len) sqlite3_bind_blob(st, 2, row->name_box, (int)row->name_box_len, SQLITE_STATIC);
    else sqlite3_bind_null(st, 2);
    if (row->contact_box_len) sqlite3_bind_blob(st, 3, row->contact_box, (int)row->contact_box_len, SQLITE_STATIC);
    else sqlite3_bind_null(st, 3);
    bind_text_or_null(st, 4, row->name_lookup);
    bind_text_or_null(st, 5, row->contact_lookup);
    if (row->birth_year) sqlite3_bind_int(st, 6, row->birth_year);
    else sqlite3_bind_null(st, 6);
    bind_text_or_null(st, 7, row->area);
    bind_text_or_null(st, 8, row->occupation_uri);
    sqlite3_bind_text(st, 9, row->employment_status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, row->organisation, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 11, row->created_at);
    sqlite3_bind_text(st, 12, row->created_by, -1, SQLITE_STATIC);
    bind_text_or_null(st, 13, row->sex);
    return fow_db_step_done(db, st, "adding a person", err);
}

fow_code people_store_update(fow_db *db, const people_row *row, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "UPDATE people SET name_box = ?2, contact_box = ?3, name_lookup = ?4, "
                                 "contact_lookup = ?5, birth_year = ?6, area = ?7, occupation_uri = ?8, "
                                 "employment_status = ?9, sex = ?10 WHERE id = ?1 AND erased_at IS NULL",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, row->id, -1, SQLITE_STATIC);
    if (row->name_box_len) sqlite3_bind_blob(st, 2, row->name_box, (int)row->name_box_len, SQLITE_STATIC);
    else sqlite3_bind_null(st, 2);
    if (row->contact_box_len) sqlite3_bind_blob(st, 3, row->contact_box, (int)row->contact_box_len, SQLITE_STATIC);
    else sqlite3_bind_null(st, 3);
    bind_text_or_null(st, 4, row->name_lookup);
    bind_text_or_null(st, 5, row->contact_lookup);
    if (row->birth_year) sqlite3_bind_int(st, 6, row->birth_year);
    else sqlite3_bind_null(st, 6);
    bind_text_or_null(st, 7, row->area);
    bind_text_or_null(st, 8, row->occupation_uri);
    sqlite3_bind_text(st, 9, row->employment_status, -1, SQLITE_STATIC);
    bind_text_or_null(st, 10, row->sex);
    if ((rc = fow_db_step_done(db, st, "changing a person", err))) return rc;
    if (fow_db_changes(db) == 0)
        return fow_error_set_at(err, FOW_ENOTFOUND, NULL, 0, 0, "person", "no person %s", row->id);
    return FOW_OK;
}

#define ROW_COLUMNS                                                                                                  \
    "id, name_box, contact_box, name_lookup, contact_lookup, coalesce(birth_year, 0), area, occupation_uri, "       \
    "employment_status, organisation, created_at, created_by, coalesce(erased_at, 0), sex"

static void read_row(sqlite3_stmt *st, people_row *row) {
    memset(row, 0, sizeof *row);
    copy_text(st, 0, row->id, sizeof row->id);
    copy_blob(st, 1, row->name_box, sizeof row->name_box, &row->name_box_len);
    copy_blob(st, 2, row->contact_box, sizeof row->contact_box, &row->contact_box_len);
    copy_text(st, 3, row->name_lookup, sizeof row->name_lookup);
    copy_text(st, 4, row->contact_lookup, sizeof row->contact_lookup);
    row->birth_year = sqlite3_column_int(st, 5);
    copy_text(st, 6, row->area, sizeof row->area);
    copy_text(st, 7, row->occupation_uri, sizeof row->occupation_uri);
    copy_text(st, 8, row->employment_status, sizeof row->employment_status);
    copy_text(st, 9, row->organisation, sizeof row->organisation);
    row->created_at = sqlite3_column_int64(st, 10);
    copy_text(st, 11, row->created_by, sizeof row->created_by);
    row->erased_at = sqlite3_column_int64(st, 12);
    copy_text(st, 13, row->sex, sizeof row->sex);
}

fow_code people_store_get(fow_db *db, const char *id, people_row *row, bool *found, fow_error *err) {
    *found = false;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT " ROW_COLUMNS " FROM people WHERE id = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        read_row(st, row);
        *found = true;
    } else if (r != SQLITE_DONE) {
        rc = fow_db_error(db, err, "reading a person");
    }
    sqlite3_finalize(st);
    return rc;
}

static void read_row_item(sqlite3_stmt *st, void *item) { read_row(st, item); }

fow_code people_store_list(fow_db *db, const char *organisation, people_row **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT id, NULL, NULL, NULL, NULL, coalesce(birth_year, 0), area, occupation_uri, "
                                 "employment_status, organisation, created_at, created_by, 0, sex FROM people "
                                 "WHERE erased_at IS NULL AND (?1 IS NULL OR organisation = ?1) "
                                 "ORDER BY created_at DESC, id",
                                 &st, err);
    if (rc) return rc;
    if (organisation) sqlite3_bind_text(st, 1, organisation, -1, SQLITE_STATIC);
    return fow_db_collect(db, st, (void **)out, n, sizeof **out, read_row_item, "listing people", err);
}

fow_code people_store_find(fow_db *db, const char *organisation, int which, const char *lookup,
                           char (*ids)[FOW_PERSON_ID_CHARS + 1], size_t max, size_t *n, fow_error *err) {
    *n = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 which == 0 ? "SELECT id FROM people WHERE name_lookup = ?1 AND erased_at IS NULL "
                                              "AND (?2 IS NULL OR organisation = ?2) ORDER BY id"
                                            : "SELECT id FROM people WHERE contact_lookup = ?1 AND erased_at IS NULL "
                                              "AND (?2 IS NULL OR organisation = ?2) ORDER BY id",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, lookup, -1, SQLITE_STATIC);
    if (organisation) sqlite3_bind_text(st, 2, organisation, -1, SQLITE_STATIC);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n < max) copy_text(st, 0, ids[*n], FOW_PERSON_ID_CHARS + 1);
        (*n)++;
    }
    if (r != SQLITE_DONE) rc = fow_db_error(db, err, "finding people");
    if (*n > max) *n = max;
    sqlite3_finalize(st);
    return rc;
}

/* Runs a statement on id alone; its changes into *changed. */
static fow_code exec_on_id(fow_db *db, const char *sql, const char *id, long long now, size_t *changed,
                           const char *what, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, sql, &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_bind_parameter_count(st) >= 2) sqlite3_bind_int64(st, 2, now);
    if ((rc = fow_db_step_done(db, st, what, err))) return rc;
    if (changed) *changed = (size_t)fow_db_changes(db);
    return FOW_OK;
}

fow_code people_store_erase(fow_db *db, const char *id, long long now, size_t *consents, size_t *skills,
                            fow_error *err) {
    fow_code rc = exec_on_id(db, "DELETE FROM person_consents WHERE person_id = ?1", id, now, consents,
                             "erasing consents", err);
    if (!rc) rc = exec_on_id(db, "DELETE FROM person_skills WHERE person_id = ?1", id, now, skills, "erasing skills", err);
    if (!rc)
        rc = exec_on_id(db,
                        "UPDATE people SET name_box = NULL, contact_box = NULL, name_lookup = NULL, "
                        "contact_lookup = NULL, birth_year = NULL, sex = NULL, area = NULL, occupation_uri = NULL, "
                        "employment_status = NULL, created_by = '', erased_at = ?2 WHERE id = ?1",
                        id, now, NULL, "erasing a person", err);
    return rc;
}

fow_code people_store_consent_add(fow_db *db, const char *id, fow_purpose purpose, const char *text_version,
                                  long long now, const char *by, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO person_consents (person_id, purpose, text_version, given_at, given_by) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, fow_purpose_name(purpose), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, text_version, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_text(st, 5, by, -1, SQLITE_STATIC);
    return fow_db_step_done(db, st, "recording a consent", err);
}

fow_code people_store_consent_withdraw(fow_db *db, const char *id, fow_purpose purpose, long long now,
                                       const char *by, long long *changed, fow_error *err) {
    *changed = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "UPDATE person_consents SET withdrawn_at = ?3, withdrawn_by = ?4 "
                                 "WHERE person_id = ?1 AND purpose = ?2 AND withdrawn_at IS NULL",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, fow_purpose_name(purpose), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_text(st, 4, by, -1, SQLITE_STATIC);
    if ((rc = fow_db_step_done(db, st, "withdrawing a consent", err))) return rc;
    *changed = fow_db_changes(db);
    return FOW_OK;
}

static void read_consent(sqlite3_stmt *st, void *item) {
    fow_consent *c = item;
    char purpose[32];
    copy_text(st, 0, purpose, sizeof purpose);
    if (fow_purpose_parse(purpose, &c->purpose) != 0) c->purpose = FOW_PURPOSE_COUNT;
    copy_text(st, 1, c->text_version, sizeof c->text_version);
    c->given_at = sqlite3_column_int64(st, 2);
    copy_text(st, 3, c->given_by, sizeof c->given_by);
    c->withdrawn_at = sqlite3_column_int64(st, 4);
    copy_text(st, 5, c->withdrawn_by, sizeof c->withdrawn_by);
}

fow_code people_store_consents(fow_db *db, const char *id, fow_consent **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT purpose, text_version, given_at, given_by, coalesce(withdrawn_at, 0), "
                                 "coalesce(withdrawn_by, '') FROM person_consents WHERE person_id = ?1 ORDER BY id",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return fow_db_collect(db, st, (void **)out, n, sizeof **out, read_consent, "reading consents", err);
}

fow_code people_store_skill_put(fow_db *db, const char *id, const char *skill, fow_skill_provenance provenance,
                                const char *detail, long long now, const char *by, bool *added, fow_error *err) {
    *added = false;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT count(*) FROM person_skills WHERE person_id = ?1 AND skill = ?2 "
                                 "AND provenance = ?3",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, skill, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, fow_skill_provenance_name(provenance), -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r != SQLITE_ROW) rc = fow_db_error(db, err, "reading a skill of a profile");
    else *added = sqlite3_column_int64(st, 0) == 0;
    sqlite3_finalize(st);
    if (rc) return rc;
    if ((rc = fow_db_prepare(db,
                             "INSERT INTO person_skills (person_id, skill, provenance, detail, recorded_at, "
                             "recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                             "ON CONFLICT (person_id, skill, provenance) DO UPDATE SET detail = excluded.detail, "
                             "recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by",
                             &st, err)))
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, skill, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, fow_skill_provenance_name(provenance), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, detail ? detail : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, now);
    sqlite3_bind_text(st, 6, by, -1, SQLITE_STATIC);
    return fow_db_step_done(db, st, "adding a skill to a profile", err);
}

fow_code people_store_skill_remove(fow_db *db, const char *id, const char *skill, fow_skill_provenance provenance,
                                   long long *removed, fow_error *err) {
    *removed = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "DELETE FROM person_skills WHERE person_id = ?1 AND skill = ?2 "
                                 "AND (?3 IS NULL OR provenance = ?3)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, skill, -1, SQLITE_STATIC);
    if (provenance < FOW_SKILL_PROVENANCE_COUNT)
        sqlite3_bind_text(st, 3, fow_skill_provenance_name(provenance), -1, SQLITE_STATIC);
    if ((rc = fow_db_step_done(db, st, "removing a skill from a profile", err))) return rc;
    *removed = fow_db_changes(db);
    return FOW_OK;
}

static void read_skill(sqlite3_stmt *st, void *item) {
    fow_person_skill *s = item;
    s->index = FOW_NO_INDEX;
    copy_text(st, 0, s->skill, sizeof s->skill);
    char provenance[32];
    copy_text(st, 1, provenance, sizeof provenance);
    if (fow_skill_provenance_parse(provenance, &s->provenance) != 0) s->provenance = FOW_SKILL_PROVENANCE_COUNT;
    copy_text(st, 2, s->detail, sizeof s->detail);
    s->recorded_at = sqlite3_column_int64(st, 3);
    copy_text(st, 4, s->recorded_by, sizeof s->recorded_by);
}

fow_code people_store_skills(fow_db *db, const char *id, fow_person_skill **out, size_t *n, fow_error *err) {
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT skill, provenance, detail, recorded_at, recorded_by FROM person_skills "
                                 "WHERE person_id = ?1 ORDER BY skill, provenance",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return fow_db_collect(db, st, (void **)out, n, sizeof **out, read_skill, "reading a skills profile", err);
}

fow_code people_store_audit_add(fow_db *db, long long now, const char *actor, const char *action,
                                const char *person, const char *reason, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO person_audit (at, actor, action, person_id, reason) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_text(st, 2, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, person ? person : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, reason ? reason : "", -1, SQLITE_STATIC);
    return fow_db_step_done(db, st, "writing the audit log", err);
}

static void read_audit(sqlite3_stmt *st, void *item) {
    fow_audit_entry *e = item;
    e->id = sqlite3_column_int64(st, 0);
    e->at = sqlite3_column_int64(st, 1);
    copy_text(st, 2, e->actor, sizeof e->actor);
    copy_text(st, 3, e->action, sizeof e->action);
    copy_text(st, 4, e->person, sizeof e->person);
    copy_text(st, 5, e->reason, sizeof e->reason);
}

fow_code people_store_audit(fow_db *db, const char *person, size_t limit, fow_audit_entry **out, size_t *n,
                            fow_error *err) {
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT id, at, actor, action, person_id, reason FROM person_audit "
                                 "WHERE ?1 IS NULL OR person_id = ?1 ORDER BY id DESC LIMIT ?2",
                                 &st, err);
    if (rc) return rc;
    if (person) sqlite3_bind_text(st, 1, person, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (long long)limit);
    return fow_db_collect(db, st, (void **)out, n, sizeof **out, read_audit, "reading the audit log", err);
}

static void read_count(sqlite3_stmt *st, void *item) {
    fow_people_count *c = item;
    copy_text(st, 0, c->organisation, sizeof c->organisation);
    c->served = sqlite3_column_int64(st, 1);
    c->erased = sqlite3_column_int64(st, 2);
}

fow_code people_store_counts(fow_db *db, const char *organisation, fow_people_count **out, size_t *n,
                             fow_error *err) {
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT organisation, count(*), "
                                 "sum(CASE WHEN erased_at IS NULL THEN 0 ELSE 1 END) FROM people "
                                 "WHERE ?1 IS NULL OR organisation = ?1 GROUP BY organisation ORDER BY organisation",
                                 &st, err);
    if (rc) return rc;
    if (organisation) sqlite3_bind_text(st, 1, organisation, -1, SQLITE_STATIC);
    if ((rc = fow_db_collect(db, st, (void **)out, n, sizeof **out, read_count, "counting people", err))) return rc;
    int r;
    /* active people with consent in force, per organisation and purpose */
    if ((rc = fow_db_prepare(db,
                             "SELECT p.organisation, c.purpose, count(DISTINCT p.id) FROM people p "
                             "JOIN person_consents c ON c.person_id = p.id "
                             "WHERE p.erased_at IS NULL AND c.withdrawn_at IS NULL "
                             "AND (?1 IS NULL OR p.organisation = ?1) GROUP BY p.organisation, c.purpose",
                             &st, err)))
        return rc;
    if (organisation) sqlite3_bind_text(st, 1, organisation, -1, SQLITE_STATIC);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        char org[FOW_PERSON_ORGANISATION_MAX + 1], purpose_text[32];
        copy_text(st, 0, org, sizeof org);
        copy_text(st, 1, purpose_text, sizeof purpose_text);
        fow_purpose purpose;
        if (fow_purpose_parse(purpose_text, &purpose) != 0) continue;
        for (size_t i = 0; i < *n; i++)
            if (strcmp((*out)[i].organisation, org) == 0) (*out)[i].consenting[purpose] = sqlite3_column_int64(st, 2);
    }
    if (r != SQLITE_DONE) rc = fow_db_error(db, err, "counting consents");
    sqlite3_finalize(st);
    return rc;
}

fow_code people_store_known(fow_db *db, const char *id, bool *known, fow_error *err) {
    int64_t found = 0;
    fow_code rc = fow_db_int(db, "SELECT 1 FROM people WHERE id = ?1 AND erased_at IS NULL",
                             FOW_DB_ARGS(FOW_ARG_TEXT(id)), 0, &found, "finding a person", err);
    *known = rc == FOW_OK && found == 1;
    return rc;
}
