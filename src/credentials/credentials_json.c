/* credentials_json.c — the JSON of credentials and verifications, written
 * once for the command line and the API (fow_credentials.h). */
#include <stdio.h>

#include "credentials/credentials_internal.h"
#include "service/fow_msg.h"

static void write_time_or_null(fow_jw *w, const char *key, long long t) {
    fow_jw_key(w, key);
    if (!t) {
        fow_jw_null(w);
        return;
    }
    char text[32];
    credentials_format_time(t, text);
    fow_jw_string(w, text);
}

void fow_credential_write_row(fow_jw *w, const fow_credentials *c, const fow_credential_row *r) {
    fow_credential_issuer issuer;
    fow_credentials_issuer(c, &issuer);
    fow_jw_object(w);
    fow_jw_kstring(w, "id", r->id);
    fow_jw_kstring(w, "person", r->person_id);
    fow_jw_kstring(w, "subject", r->subject);
    fow_jw_key(w, "module");
    fow_jw_object(w);
    fow_jw_kint(w, "id", r->module_id);
    fow_jw_kstring(w, "code", r->module_code);
    fow_jw_key(w, "title");
    fow_jw_object(w);
    fow_jw_kstring(w, "en", r->title_en);
    fow_jw_kstring(w, "ro", r->title_ro);
    fow_jw_object_end(w);
    fow_jw_object_end(w);
    fow_jw_kstring(w, "completion", r->completion_id);
    fow_jw_kstring(w, "completed_on", r->completed_on);
    fow_jw_kstring(w, "result", r->result);
    write_time_or_null(w, "issued_at", r->issued_at);
    fow_jw_kstring(w, "issued_by", r->issued_by);
    write_time_or_null(w, "valid_until", r->valid_until);
    fow_jw_key(w, "status");
    fow_jw_object(w);
    char url[FOW_CREDENTIAL_URL_MAX + 64];
    credentials_status_url(c, r->status_list, url, sizeof url);
    fow_jw_kstring(w, "list", url);
    fow_jw_kint(w, "index", r->status_index);
    fow_jw_kbool(w, "revoked", r->revoked_at != 0);
    write_time_or_null(w, "revoked_at", r->revoked_at);
    fow_jw_kstring(w, "revoked_by", r->revoked_by);
    fow_jw_kstring(w, "reason", r->revoked_reason);
    fow_jw_object_end(w);
    char verify[FOW_CREDENTIAL_URL_MAX + 80];
    snprintf(verify, sizeof verify, "%.200s/#/credential/%.36s", issuer.url, r->id + 9);
    fow_jw_kstring(w, "verify_url", verify);
    if (r->jwt) fow_jw_kstring(w, "jwt", r->jwt);
    fow_jw_object_end(w);
}

void fow_verification_write(fow_jw *w, const fow_verification *v) {
    fow_jw_object(w);
    fow_jw_kbool(w, "valid", v->valid);
    fow_jw_key(w, "checks");
    fow_jw_array(w);
    for (int i = 0; i < FOW_VERIFY_CHECK_COUNT; i++) {
        fow_jw_object(w);
        fow_jw_kstring(w, "check", fow_verify_check_name((fow_verify_check)i));
        fow_jw_kstring(w, "outcome", fow_verify_outcome_name(v->outcome[i]));
        fow_jw_key(w, "message");
        if (v->code[i][0]) {
            fow_msg_param params[FOW_VERIFY_PARAMS_MAX];
            for (size_t k = 0; k < v->n_params[i]; k++) params[k] = FOW_MSG_S(v->params[i][k].name, v->params[i][k].value);
            fow_msg_write(w, v->code[i], v->message[i], params, v->n_params[i]);
        } else {
            fow_jw_null(w);
        }
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_kstring(w, "failed_field", v->failed_field);
    fow_jw_key(w, "credential");
    fow_jw_object(w);
    fow_jw_kstring(w, "id", v->id);
    fow_jw_kstring(w, "kid", v->kid);
    fow_jw_key(w, "issuer");
    fow_jw_object(w);
    fow_jw_kstring(w, "id", v->issuer_id);
    fow_jw_kstring(w, "name", v->issuer_name);
    fow_jw_object_end(w);
    fow_jw_kstring(w, "subject", v->subject);
    fow_jw_key(w, "achievement");
    fow_jw_object(w);
    fow_jw_kstring(w, "id", v->achievement_id);
    fow_jw_kstring(w, "name", v->achievement_name);
    fow_jw_kstring(w, "name_ro", v->achievement_name_ro);
    if (v->hours > 0) fow_jw_kreal(w, "hours", v->hours);
    else fow_jw_knull(w, "hours");
    fow_jw_key(w, "skills");
    fow_jw_array(w);
    for (size_t i = 0; i < v->n_skills; i++) {
        fow_jw_object(w);
        fow_jw_kstring(w, "uri", v->skills[i].uri);
        fow_jw_kstring(w, "name", v->skills[i].name);
        fow_jw_object_end(w);
    }
    fow_jw_array_end(w);
    fow_jw_object_end(w);
    fow_jw_kstring(w, "valid_from", v->valid_from);
    fow_jw_kstring(w, "valid_until", v->valid_until);
    fow_jw_key(w, "status");
    fow_jw_object(w);
    fow_jw_kstring(w, "list", v->status_list_url);
    if (v->status_index >= 0) fow_jw_kint(w, "index", v->status_index);
    else fow_jw_knull(w, "index");
    fow_jw_object_end(w);
    fow_jw_object_end(w);
    fow_jw_object_end(w);
}

void fow_credential_write_public(fow_jw *w, const fow_credentials *c, const fow_credential_row *r,
                                 const fow_verification *v) {
    fow_credential_issuer issuer;
    fow_credentials_issuer(c, &issuer);
    fow_jw_object(w);
    fow_jw_key(w, "credential");
    fow_jw_object(w);
    fow_jw_kstring(w, "id", r->id);
    fow_jw_key(w, "module");
    fow_jw_object(w);
    fow_jw_kstring(w, "code", r->module_code);
    fow_jw_key(w, "title");
    fow_jw_object(w);
    fow_jw_kstring(w, "en", r->title_en);
    fow_jw_kstring(w, "ro", r->title_ro);
    fow_jw_object_end(w);
    fow_jw_object_end(w);
    write_time_or_null(w, "issued_at", r->issued_at);
    write_time_or_null(w, "valid_until", r->valid_until);
    fow_jw_key(w, "status");
    fow_jw_object(w);
    fow_jw_kbool(w, "revoked", r->revoked_at != 0);
    write_time_or_null(w, "revoked_at", r->revoked_at);
    fow_jw_object_end(w);
    char verify[FOW_CREDENTIAL_URL_MAX + 80];
    snprintf(verify, sizeof verify, "%.200s/#/credential/%.36s", issuer.url, r->id + 9);
    fow_jw_kstring(w, "verify_url", verify);
    fow_jw_object_end(w);
    if (r->jwt) fow_jw_kstring(w, "jwt", r->jwt);
    fow_jw_key(w, "verification");
    fow_verification_write(w, v);
    fow_jw_object_end(w);
}
