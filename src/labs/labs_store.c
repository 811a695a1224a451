#include "labs/labs_store.h"

#include <stdio.h>
#include <string.h>

#include "store/fow_db_args.h"

static void copy_text(sqlite3_stmt *st, int column, char *out, size_t size)
{
    const unsigned char *text = sqlite3_column_text(st, column);
    snprintf(out, size, "%s", text ? (const char *)text : "");
}

fow_code labs_store_holiday_put(fow_db *db, const labs_holiday *holiday, fow_error *err)
{
    return fow_db_run(db,
                      "INSERT INTO lab_holidays (day, name_en, name_ro, source) VALUES (?1, ?2, ?3, ?4)"
                      " ON CONFLICT (day) DO UPDATE SET name_en = excluded.name_en, name_ro = excluded.name_ro,"
                      " source = excluded.source",
                      FOW_DB_ARGS(FOW_ARG_TEXT(holiday->day), FOW_ARG_TEXT(holiday->name_en),
                                  FOW_ARG_TEXT(holiday->name_ro), FOW_ARG_TEXT(holiday->source)),
                      "writing a public holiday", err);
}

static void read_holiday(sqlite3_stmt *st, void *item)
{
    labs_holiday *holiday = item;
    copy_text(st, 0, holiday->day, sizeof holiday->day);
    copy_text(st, 1, holiday->name_en, sizeof holiday->name_en);
    copy_text(st, 2, holiday->name_ro, sizeof holiday->name_ro);
    copy_text(st, 3, holiday->source, sizeof holiday->source);
}

fow_code labs_store_holidays(fow_db *db, const char *first, const char *last, labs_holiday **out, size_t *count,
                             fow_error *err)
{
    return fow_db_rows(db,
                       "SELECT day, name_en, name_ro, source FROM lab_holidays WHERE day BETWEEN ?1 AND ?2"
                       " ORDER BY day",
                       FOW_DB_ARGS(FOW_ARG_TEXT(first), FOW_ARG_TEXT(last)), read_holiday, (void **)out, count,
                       sizeof **out, "reading the public holidays", err);
}
