/* fow_msg.c — message objects {code, params, text} (fow_msg.h). */
#include "service/fow_msg.h"

#include <assert.h>
#include <math.h>
#include <string.h>

bool fow_msg_code_valid(const char *code) {
    if (!code) return false;
    size_t n = strlen(code);
    if (n == 0 || n > 64 || !(code[0] >= 'a' && code[0] <= 'z')) return false;
    for (size_t i = 0; i < n; i++) {
        char c = code[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
        if (!ok) return false;
        if (c == '.' && (i + 1 == n || code[i + 1] == '.')) return false;
    }
    return true;
}

void fow_msg_write(fow_jw *w, const char *code, const char *text, const fow_msg_param *params, size_t n) {
    assert(fow_msg_code_valid(code));
    fow_jw_object(w);
    fow_jw_kstring(w, "code", code);
    fow_jw_key(w, "params");
    fow_jw_object(w);
    for (size_t k = 0; k < n; k++) {
        const fow_msg_param *p = &params[k];
        fow_jw_key(w, p->name);
        switch (p->kind) {
        case FOW_MSG_STRING: fow_jw_string(w, p->s); break;
        case FOW_MSG_INT: fow_jw_int(w, p->i); break;
        case FOW_MSG_REAL: fow_jw_real(w, p->r); break;
        case FOW_MSG_BOOL: fow_jw_bool(w, p->b); break;
        case FOW_MSG_NESTED: fow_msg_write(w, p->s, p->nested_text, NULL, 0); break;
        }
    }
    fow_jw_object_end(w);
    fow_jw_kstring(w, "text", text);
    fow_jw_object_end(w);
}

static json_t *param_json(const fow_msg_param *p) {
    switch (p->kind) {
    case FOW_MSG_STRING: return p->s ? json_string(p->s) : json_null();
    case FOW_MSG_INT: return json_integer((json_int_t)p->i);
    case FOW_MSG_REAL: return isnan(p->r) || isinf(p->r) ? json_null() : json_real(p->r);
    case FOW_MSG_BOOL: return json_boolean(p->b);
    case FOW_MSG_NESTED: return fow_msg_json(p->s, p->nested_text, NULL, 0);
    }
    return json_null();
}

json_t *fow_msg_json(const char *code, const char *text, const fow_msg_param *params, size_t n) {
    assert(fow_msg_code_valid(code));
    json_t *o = json_object(), *ps = json_object();
    bool ok = o && ps;
    for (size_t k = 0; ok && k < n; k++) {
        json_t *v = param_json(&params[k]);
        ok = v && json_object_set_new(ps, params[k].name, v) == 0;
    }
    ok = ok && json_object_set_new(o, "code", json_string(code)) == 0;
    if (ok) {
        ok = json_object_set_new(o, "params", ps) == 0;
        ps = NULL; /* json_object_set_new took it, even when it failed */
    }
    ok = ok && json_object_set_new(o, "text", text ? json_string(text) : json_null()) == 0;
    if (!ok) {
        json_decref(ps);
        json_decref(o);
        return NULL;
    }
    return o;
}
