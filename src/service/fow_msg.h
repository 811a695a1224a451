/* fow_msg.h — messages meant for display, as data: a code the web app words
 * in the page's language, the values it fills in, and the English wording
 * for the command line and API users:
 *
 *   {"code": "transitions.filters", "params": {"min_similarity": 0.3, ...},
 *    "text": "similarity >= 0.30 (risk model mcc)"}
 *
 * The web app looks the code up as the i18n key "msg.<code>" (placeholders
 * "{name}" filled from params) and shows text when it has no such key. A
 * parameter may itself be a message (kind FOW_MSG_NESTED: a code without
 * parameters, such as the name of a risk model), worded the same way.
 * docs/api/openapi.yaml describes the object as the schema Message. */
#ifndef FOW_MSG_H
#define FOW_MSG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/fow_jw.h"

typedef enum fow_msg_kind {
    FOW_MSG_STRING, /* s, written as a string (NULL: null) */
    FOW_MSG_INT,    /* i */
    FOW_MSG_REAL,   /* r (NaN: null) */
    FOW_MSG_BOOL,   /* b */
    FOW_MSG_NESTED  /* a message without parameters: code s, English text nested_text */
} fow_msg_kind;

typedef struct fow_msg_param {
    const char *name;
    fow_msg_kind kind;
    const char *s;
    long long i;
    double r;
    bool b;
    const char *nested_text;
} fow_msg_param;

/* Parameter constructors, for the arrays given to fow_msg_write. */
#define FOW_MSG_S(n, v) ((fow_msg_param){.name = (n), .kind = FOW_MSG_STRING, .s = (v)})
#define FOW_MSG_I(n, v) ((fow_msg_param){.name = (n), .kind = FOW_MSG_INT, .i = (v)})
#define FOW_MSG_R(n, v) ((fow_msg_param){.name = (n), .kind = FOW_MSG_REAL, .r = (v)})
#define FOW_MSG_B(n, v) ((fow_msg_param){.name = (n), .kind = FOW_MSG_BOOL, .b = (v)})
#define FOW_MSG_N(n, code, text) ((fow_msg_param){.name = (n), .kind = FOW_MSG_NESTED, .s = (code), .nested_text = (text)})

/* Writes the message object {code, params, text} as the next value of w
 * (after a key, or in an array). code: "area.name" (lower case, digits,
 * '_', '-' and '.'); params: n parameters (params may be NULL when n is 0);
 * text: the English wording (NULL writes null). Cannot fail: running out of
 * memory is remembered by w (fow_jw_failed). */
void fow_msg_write(fow_jw *w, const char *code, const char *text, const fow_msg_param *params, size_t n);

/* The same message as a new jansson object (the caller owns the
 * reference), for documents built with jansson; NULL when out of memory. */
json_t *fow_msg_json(const char *code, const char *text, const fow_msg_param *params, size_t n);

/* true when code is a well-formed message code: 1..64 characters of
 * [a-z0-9_.-], starting with a letter, no empty part between dots. */
bool fow_msg_code_valid(const char *code);

#endif
