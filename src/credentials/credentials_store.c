/* credentials_store.c — the SQL of verifiable credentials (the credential_
 * tables and credentials). */
#include "credentials/credentials_internal.h"
#include "credentials/credentials_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_text(sqlite3_stmt *st, int col, char *dst, size_t cap) {
    const char *t = (const char *)sqlite3_column_text(st, col);
    snprintf(dst, cap, "%s", t ? t : "");
}

static fow_code step_done(fow_db *db, sqlite3_stmt *st, const char *what, fow_error *err) {
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? FOW_OK : fow_db_error(db, err, what);
}

fow_code credentials_store_issuer(fow_db *db, char *url, char *name, size_t cap, bool *found, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT url, name FROM credential_issuer WHERE id = 1", &st, err);
    if (rc) return rc;
    int r = sqlite3_step(st);
    *found = r == SQLITE_ROW;
    if (*found) {
        copy_text(st, 0, url, cap);
        copy_text(st, 1, name, cap);
    }
    sqlite3_finalize(st);
    return r == SQLITE_ROW || r == SQLITE_DONE ? FOW_OK : fow_db_error(db, err, "reading the credential issuer");
}

fow_code credentials_store_issuer_put(fow_db *db, const char *url, const char *name, long long now, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO credential_issuer(id, url, name, updated_at) VALUES (1, ?1, ?2, ?3) "
                                 "ON CONFLICT (id) DO UPDATE SET url = excluded.url, name = excluded.name, "
                                 "updated_at = excluded.updated_at",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    return step_done(db, st, "writing the credential issuer", err);
}

fow_code credentials_store_key(fow_db *db, char *kid, char *public_key, size_t cap, long long *created_at,
                               bool *found, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "SELECT kid, public_key, created_at FROM credential_issuer_keys "
                                 "ORDER BY created_at DESC, kid LIMIT 1",
                                 &st, err);
    if (rc) return rc;
    int r = sqlite3_step(st);
    *found = r == SQLITE_ROW;
    if (*found) {
        copy_text(st, 0, kid, cap);
        copy_text(st, 1, public_key, cap);
        *created_at = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    return r == SQLITE_ROW || r == SQLITE_DONE ? FOW_OK : fow_db_error(db, err, "reading the issuer key");
}

fow_code credentials_store_key_put(fow_db *db, const char *kid, const char *public_key, long long now,
                                   fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(
        db, "INSERT INTO credential_issuer_keys(kid, public_key, created_at) VALUES (?1, ?2, ?3)", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, kid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, public_key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    return step_done(db, st, "writing the issuer key", err);
}

fow_code credentials_store_add(fow_db *db, const fow_credential_row *r, const char *kid, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "INSERT INTO credentials(id, person_id, subject, module_id, module_code, title_en, "
                                 "title_ro, completion_id, completed_on, result, kid, issued_at, issued_by, "
                                 "valid_until, jwt) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->person_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->subject, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, r->module_id);
    sqlite3_bind_text(st, 5, r->module_code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r->title_en, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, r->title_ro, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, r->completion_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, r->completed_on, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, r->result, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, kid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 12, r->issued_at);
    sqlite3_bind_text(st, 13, r->issued_by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 14, r->valid_until);
    sqlite3_bind_text(st, 15, r->jwt, -1, SQLITE_STATIC);
    if ((rc = step_done(db, st, "writing a credential", err))) return rc;
    if ((rc = fow_db_prepare(db,
                             "INSERT INTO credential_status_entries(list, position, credential_id) "
                             "VALUES (?1, ?2, ?3)",
                             &st, err)))
        return rc;
    sqlite3_bind_int(st, 1, r->status_list);
    sqlite3_bind_int64(st, 2, r->status_index);
    sqlite3_bind_text(st, 3, r->id, -1, SQLITE_STATIC);
    return step_done(db, st, "writing a credential's status entry", err);
}

fow_code credentials_store_position_taken(fow_db *db, int list, long index, bool *taken, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(
        db, "SELECT 1 FROM credential_status_entries WHERE list = ?1 AND position = ?2", &st, err);
    if (rc) return rc;
    sqlite3_bind_int(st, 1, list);
    sqlite3_bind_int64(st, 2, index);
    int r = sqlite3_step(st);
    *taken = r == SQLITE_ROW;
    sqlite3_finalize(st);
    return r == SQLITE_ROW || r == SQLITE_DONE ? FOW_OK : fow_db_error(db, err, "reading the status list");
}

fow_code credentials_store_list_count(fow_db *db, int list, long long *n, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT count(*) FROM credential_status_entries WHERE list = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int(st, 1, list);
    int r = sqlite3_step(st);
    *n = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return r == SQLITE_ROW ? FOW_OK : fow_db_error(db, err, "counting a status list");
}

fow_code credentials_store_last_list(fow_db *db, int *list, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT max(list) FROM credential_status_entries", &st, err);
    if (rc) return rc;
    int r = sqlite3_step(st);
    *list = r == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return r == SQLITE_ROW ? FOW_OK : fow_db_error(db, err, "reading the status lists");
}

#define ROW_COLUMNS                                                                                              \
    "SELECT c.id, c.person_id, c.subject, c.module_id, c.module_code, c.title_en, c.title_ro, c.completion_id, "  \
    "c.completed_on, c.result, c.issued_at, c.issued_by, c.valid_until, s.list, s.position, s.revoked_at, "      \
    "s.revoked_by, s.reason, c.jwt FROM credentials c JOIN credential_status_entries s ON s.credential_id = c.id "

static void read_row(sqlite3_stmt *st, fow_credential_row *r, bool with_jwt) {
    memset(r, 0, sizeof *r);
    copy_text(st, 0, r->id, sizeof r->id);
    copy_text(st, 1, r->person_id, sizeof r->person_id);
    copy_text(st, 2, r->subject, sizeof r->subject);
    r->module_id = sqlite3_column_int64(st, 3);
    copy_text(st, 4, r->module_code, sizeof r->module_code);
    copy_text(st, 5, r->title_en, sizeof r->title_en);
    copy_text(st, 6, r->title_ro, sizeof r->title_ro);
    copy_text(st, 7, r->completion_id, sizeof r->completion_id);
    copy_text(st, 8, r->completed_on, sizeof r->completed_on);
    copy_text(st, 9, r->result, sizeof r->result);
    r->issued_at = sqlite3_column_int64(st, 10);
    copy_text(st, 11, r->issued_by, sizeof r->issued_by);
    r->valid_until = sqlite3_column_int64(st, 12);
    r->status_list = sqlite3_column_int(st, 13);
    r->status_index = (long)sqlite3_column_int64(st, 14);
    r->revoked_at = sqlite3_column_int64(st, 15);
    copy_text(st, 16, r->revoked_by, sizeof r->revoked_by);
    copy_text(st, 17, r->revoked_reason, sizeof r->revoked_reason);
    if (with_jwt) {
        const char *j = (const char *)sqlite3_column_text(st, 18);
        r->jwt = j ? strdup(j) : NULL;
    }
}

fow_code credentials_store_get(fow_db *db, const char *id, bool with_jwt, fow_credential_row *out, bool *found,
                               fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, ROW_COLUMNS "WHERE c.id = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    *found = r == SQLITE_ROW;
    if (*found) {
        read_row(st, out, with_jwt);
        if (with_jwt && !out->jwt) {
            sqlite3_finalize(st);
            return fow_error_set(err, FOW_ENOMEM, "out of memory reading a credential");
        }
    }
    sqlite3_finalize(st);
    return r == SQLITE_ROW || r == SQLITE_DONE ? FOW_OK : fow_db_error(db, err, "reading a credential");
}

fow_code credentials_store_list(fow_db *db, const char *person_id, fow_credential_row **out, size_t *n,
                                fow_error *err) {
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, ROW_COLUMNS "WHERE ?1 IS NULL OR c.person_id = ?1 ORDER BY c.issued_at DESC, c.id",
                                 &st, err);
    if (rc) return rc;
    if (person_id) sqlite3_bind_text(st, 1, person_id, -1, SQLITE_STATIC);
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            fow_credential_row *grown = realloc(*out, ncap * sizeof *grown);
            if (!grown) {
                sqlite3_finalize(st);
                free(*out);
                *out = NULL;
                *n = 0;
                return fow_error_set(err, FOW_ENOMEM, "out of memory listing credentials");
            }
            *out = grown;
            cap = ncap;
        }
        read_row(st, &(*out)[(*n)++], false);
    }
    sqlite3_finalize(st);
    if (r != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return fow_db_error(db, err, "listing credentials");
    }
    return FOW_OK;
}

fow_code credentials_store_revoke(fow_db *db, const char *id, const char *by, const char *reason, long long now,
                                  bool *changed, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "UPDATE credential_status_entries SET revoked_at = ?2, revoked_by = ?3, reason = ?4 "
                                 "WHERE credential_id = ?1 AND revoked_at = 0",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_text(st, 3, by, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
    if ((rc = step_done(db, st, "revoking a credential", err))) return rc;
    *changed = fow_db_changes(db) > 0;
    return FOW_OK;
}

fow_code credentials_store_revoke_person(fow_db *db, const char *person_id, const char *by, const char *reason,
                                         long long now, size_t *revoked, fow_error *err) {
    *revoked = 0;
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db,
                                 "UPDATE credential_status_entries SET revoked_at = ?2, revoked_by = ?3, reason = ?4 "
                                 "WHERE revoked_at = 0 AND credential_id IN "
                                 "(SELECT id FROM credentials WHERE person_id = ?1)",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, person_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_text(st, 3, by, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
    if ((rc = step_done(db, st, "revoking a person's credentials", err))) return rc;
    *revoked = (size_t)fow_db_changes(db);
    return FOW_OK;
}

fow_code credentials_store_each_revoked(fow_db *db, int list, void (*visit)(void *ctx, long position), void *ctx,
                                        bool *any, fow_error *err) {
    sqlite3_stmt *st;
    fow_code rc = fow_db_prepare(db, "SELECT position, revoked_at FROM credential_status_entries WHERE list = ?1",
                                 &st, err);
    if (rc) return rc;
    sqlite3_bind_int(st, 1, list);
    *any = false;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        *any = true;
        if (sqlite3_column_int64(st, 1) != 0) visit(ctx, (long)sqlite3_column_int64(st, 0));
    }
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? FOW_OK : fow_db_error(db, err, "reading a status list");
}
