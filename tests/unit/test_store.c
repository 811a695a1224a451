/* test_store.c — the store functions other subjects call instead of SQL on
 * tables they do not own: the sources (fow_sources.h), and the employment
 * store's lists that error messages quote. */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "observatory/employment_store.h"
#include "store/fow_sources.h"

static fow_source_record record(const char *dataset, const char *kind, const char *name, const char *fingerprint) {
    return (fow_source_record){dataset, kind, name, "1.0", "CC0-1.0", "", "/data/x.csv", fingerprint,
                               "2026-12-02T10:00:00Z"};
}

/* Collects the datasets fow_sources_each visits, in order, joined by '|'. */
static fow_code collect_dataset(void *ctx, const fow_source_row *row, fow_error *err) {
    (void)err;
    char *buf = ctx;
    size_t used = strlen(buf);
    snprintf(buf + used, 400 - used, "%s%s", used ? "|" : "", row->dataset);
    return FOW_OK;
}

static fow_code stop_at_first(void *ctx, const fow_source_row *row, fow_error *err) {
    (void)ctx;
    return fow_error_set(err, FOW_EINPUT, "stopped at %s", row->dataset);
}

static void sources_write_find_get_each(void **state) {
    (void)state;
    ts_db d;
    ts_db_fresh(&d);
    fow_error err;
    fow_error_clear(&err);
    long long id_b, id_a, again;
    fow_source_record b = record("risk:mcc:occupation", "risk", "MCC", "aaaa");
    fow_source_record a = record("employment:Cluj:2024", "employment", "jobs", "bbbb");
    assert_fow_ok(fow_source_write(d.db, 0, &b, &id_b, &err), &err);
    assert_fow_ok(fow_source_write(d.db, 0, &a, &id_a, &err), &err);
    assert_true(id_b > 0 && id_a > 0 && id_a != id_b);

    /* found by dataset, with whether the fingerprint is the same */
    long long found;
    bool same;
    assert_fow_ok(fow_source_find(d.db, "risk:mcc:occupation", "aaaa", &found, &same, &err), &err);
    assert_int_equal(found, id_b);
    assert_true(same);
    assert_fow_ok(fow_source_find(d.db, "risk:mcc:occupation", "cccc", &found, &same, &err), &err);
    assert_int_equal(found, id_b);
    assert_false(same);
    assert_fow_ok(fow_source_find(d.db, "no such dataset", "aaaa", &found, &same, &err), &err);
    assert_int_equal(found, 0);
    assert_false(same);

    /* rewriting keeps the id and resets the row count */
    assert_fow_ok(fow_source_set_rows(d.db, id_b, 42, &err), &err);
    fow_source_record b2 = record("risk:mcc:occupation", "risk", "MCC 2", "cccc");
    assert_fow_ok(fow_source_write(d.db, id_b, &b2, &again, &err), &err);
    assert_int_equal(again, id_b);
    fow_arena arena;
    fow_arena_init(&arena, 256);
    fow_source_text text;
    assert_fow_ok(fow_source_get(d.db, id_b, &arena, &text, &err), &err);
    assert_string_equal(text.name, "MCC 2");
    assert_string_equal(text.kind, "risk");
    assert_int_equal(text.rows, 0);
    assert_fow_ok(fow_source_set_rows(d.db, id_b, 7, &err), &err);
    assert_fow_ok(fow_source_get(d.db, id_b, &arena, &text, &err), &err);
    assert_int_equal(text.rows, 7);

    /* a long name comes back whole (no fixed buffer on the way) */
    char long_name[700];
    memset(long_name, 'n', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    fow_source_record c = record("attributes:occupation", "attributes", long_name, "dddd");
    long long id_c;
    assert_fow_ok(fow_source_write(d.db, 0, &c, &id_c, &err), &err);
    assert_fow_ok(fow_source_get(d.db, id_c, &arena, &text, &err), &err);
    assert_int_equal(strlen(text.name), sizeof long_name - 1);

    /* every source, or those of one kind, by dataset */
    char seen[400] = "";
    assert_fow_ok(fow_sources_each(d.db, NULL, collect_dataset, seen, &err), &err);
    assert_string_equal(seen, "attributes:occupation|employment:Cluj:2024|risk:mcc:occupation");
    seen[0] = '\0';
    assert_fow_ok(fow_sources_each(d.db, "risk", collect_dataset, seen, &err), &err);
    assert_string_equal(seen, "risk:mcc:occupation");
    /* a visitor's error stops the walk and comes back as it is */
    assert_int_equal(fow_sources_each(d.db, NULL, stop_at_first, NULL, &err), FOW_EINPUT);
    assert_string_equal(err.message, "stopped at attributes:occupation");
    fow_error_clear(&err);

    long long count;
    assert_fow_ok(fow_sources_count(d.db, &count, &err), &err);
    assert_int_equal(count, 3);
    assert_fow_ok(fow_source_delete(d.db, id_a, &err), &err);
    assert_fow_ok(fow_source_delete(d.db, id_a, &err), &err); /* gone already: not an error */
    assert_fow_ok(fow_sources_count(d.db, &count, &err), &err);
    assert_int_equal(count, 2);
    assert_int_equal(fow_source_get(d.db, id_a, &arena, &text, &err), FOW_ENOTFOUND);

    fow_arena_free(&arena);
    ts_db_free(&d);
}

/* The texts an error message quotes: years and areas in order, distinct,
 * cut at the buffer's size like snprintf of the whole list. */
static void employment_lists_for_messages(void **state) {
    (void)state;
    ts_db d;
    ts_db_fresh(&d);
    fow_error err;
    fow_error_clear(&err);
    fow_source_record src = record("employment:x", "employment", "jobs", "eeee");
    long long source_id;
    assert_fow_ok(fow_db_begin(d.db, &err), &err);
    assert_fow_ok(fow_source_write(d.db, 0, &src, &source_id, &err), &err);
    employment_writer *w;
    assert_fow_ok(employment_writer_open(d.db, &w, &err), &err);
    static const char *const areas[] = {"Timis", "Cluj", "Timis", "Arad", "Cluj"};
    static const int years[] = {2024, 2022, 2019, 2024, 2022};
    for (int i = 0; i < 5; i++) {
        employment_stored_row row = {areas[i], years[i], "2", 0, {"", "", "", ""}, true, 10.0 * (i + 1),
                                     false, false, 0, i + 2, source_id};
        assert_fow_ok(employment_writer_add(w, &row, &err), &err);
    }
    employment_writer_close(w);
    /* the summaries the importer records with the rows (employment_years):
     * the lists and counts below are read from them */
    const employment_year_summary summaries[] = {{"Timis", 2024, 1, 0, 10, source_id},
                                                 {"Cluj", 2022, 2, 0, 70, source_id},
                                                 {"Timis", 2019, 1, 0, 30, source_id},
                                                 {"Arad", 2024, 1, 0, 40, source_id}};
    for (size_t i = 0; i < sizeof summaries / sizeof *summaries; i++)
        assert_fow_ok(employment_store_year_record(d.db, &summaries[i], &err), &err);
    assert_fow_ok(fow_db_commit(d.db, &err), &err);

    char buf[64];
    assert_fow_ok(employment_store_years_text(d.db, "Timis", buf, sizeof buf, &err), &err);
    assert_string_equal(buf, "2019, 2024");
    assert_fow_ok(employment_store_years_text(d.db, "Nowhere", buf, sizeof buf, &err), &err);
    assert_string_equal(buf, "");
    assert_fow_ok(employment_store_areas_text(d.db, buf, sizeof buf, &err), &err);
    assert_string_equal(buf, "Arad, Cluj, Timis");
    char small[9];
    assert_fow_ok(employment_store_areas_text(d.db, small, sizeof small, &err), &err);
    assert_string_equal(small, "Arad, Cl"); /* what snprintf of "Arad, Cluj, Timis" keeps */
    int latest;
    assert_fow_ok(employment_store_latest_year(d.db, "Cluj", &latest, &err), &err);
    assert_int_equal(latest, 2022);
    assert_fow_ok(employment_store_latest_year(d.db, "Nowhere", &latest, &err), &err);
    assert_int_equal(latest, 0);
    long long held;
    assert_fow_ok(employment_store_count_source(d.db, source_id, &held, &err), &err);
    assert_int_equal(held, 5);
    ts_db_free(&d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sources_write_find_get_each),
        cmocka_unit_test(employment_lists_for_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
