/* test_msg.c — message objects {code, params, text} (src/service/fow_msg.h):
 * the streaming and the jansson writers give the same document, parameters
 * of every kind, nested messages, and the checks of codes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#include "service/fow_msg.h"

static const fow_msg_param params[] = {
    FOW_MSG_R("min_similarity", 0.3),
    FOW_MSG_N("safety", "transitions.safety.safe", ", safe"),
    FOW_MSG_I("line", 12),
    FOW_MSG_B("desirable", true),
    FOW_MSG_S("file", "risk.csv"),
    FOW_MSG_S("field", NULL),
};
#define N_PARAMS (sizeof params / sizeof params[0])

static const char expected[] =
    "{\"code\":\"transitions.filters\",\"params\":{\"min_similarity\":0.3,\"safety\":{\"code\":"
    "\"transitions.safety.safe\",\"params\":{},\"text\":\", safe\"},\"line\":12,\"desirable\":true,"
    "\"file\":\"risk.csv\",\"field\":null},\"text\":\"similarity >= 0.30, safe\"}";

static void test_written_message(void **state) {
    (void)state;
    fow_jw w;
    fow_jw_init(&w, 0);
    fow_jw_set_precision(&w, 6);
    fow_msg_write(&w, "transitions.filters", "similarity >= 0.30, safe", params, N_PARAMS);
    assert_false(fow_jw_failed(&w));
    assert_string_equal(fow_jw_text(&w, NULL), expected);
    fow_jw_free(&w);
}

static void test_jansson_message_is_the_same(void **state) {
    (void)state;
    json_t *m = fow_msg_json("transitions.filters", "similarity >= 0.30, safe", params, N_PARAMS);
    assert_non_null(m);
    char *text = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    assert_string_equal(text, expected);
    free(text);
    json_decref(m);
    /* no parameters, no text: an empty params object and a null text */
    m = fow_msg_json("import.stage.queued", NULL, NULL, 0);
    text = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(text, "{\"code\":\"import.stage.queued\",\"params\":{},\"text\":null}");
    free(text);
    json_decref(m);
    /* a real that is not a number is null, as fow_jw writes it */
    const fow_msg_param nan_param[] = {FOW_MSG_R("share", NAN)};
    m = fow_msg_json("a.b", "x", nan_param, 1);
    assert_true(json_is_null(json_object_get(json_object_get(m, "params"), "share")));
    json_decref(m);
}

static void test_codes(void **state) {
    (void)state;
    assert_true(fow_msg_code_valid("transitions.filters"));
    assert_true(fow_msg_code_valid("risk_model.frey-osborne"));
    assert_true(fow_msg_code_valid("a"));
    assert_false(fow_msg_code_valid(NULL));
    assert_false(fow_msg_code_valid(""));
    assert_false(fow_msg_code_valid("Transitions.filters"));
    assert_false(fow_msg_code_valid("1.x"));
    assert_false(fow_msg_code_valid("a..b"));
    assert_false(fow_msg_code_valid("a."));
    assert_false(fow_msg_code_valid("a b"));
    assert_false(fow_msg_code_valid("a.{b}"));
    char long_code[80];
    memset(long_code, 'a', sizeof long_code - 1);
    long_code[sizeof long_code - 1] = '\0';
    assert_false(fow_msg_code_valid(long_code));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_written_message),
        cmocka_unit_test(test_jansson_message_is_the_same),
        cmocka_unit_test(test_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
