/* api_indicators.c — GET /api/v1/indicators?by=programme|cohort|sex|age
 * [&format=csv]: the programme indicators (src/indicators/fow_indicators.h,
 * docs/indicators.md), the same JSON as `fow indicators --json` and the same
 * CSV as `--csv`. Aggregates only, with cells under 10 people suppressed;
 * counted over every organisation, for those who read the programme's
 * aggregates (FOW_PERM_READ_PROGRAMME: admin, analyst, programme manager). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/fow_accounts.h"
#include "http/http.h"
#include "indicators/fow_indicators.h"
#include "people/fow_people.h"
#include "training/fow_cohort.h"
#include "training/fow_training.h"

static void indicators(http_request *req, http_response *res) {
    static const char *const bys[] = {"total", "programme", "cohort", "sex", "age", NULL};
    static const char *const formats[] = {"json", "csv", NULL};
    const char *by_text = NULL, *format = NULL;
    if (http_query_choice(req, res, "by", bys, "total", &by_text) ||
        http_query_choice(req, res, "format", formats, "json", &format))
        return;
    res->cacheable = false;
    fow_indicators_by by = FOW_INDICATORS_TOTAL;
    (void)fow_indicators_by_parse(by_text, &by);
    /* the counting reads every organisation's records; only aggregates leave */
    fow_cohort_actor who = {.staff = {.name = req->who.name, .organisation = "", .all_organisations = true},
                            .role = FOW_ROLE_ADMIN};
    fow_error err;
    fow_error_clear(&err);
    fow_db *db = NULL;
    fow_people *people = NULL;
    fow_training_catalogue catalogue;
    bool has_catalogue = false;
    fow_indicators ind;
    memset(&ind, 0, sizeof ind);
    char key_path[4096];
    fow_code rc = fow_db_open(&db, req->services->db_path, false, &err);
    if (!rc) rc = fow_people_key_path(req->services->db_path, key_path, sizeof key_path, &err);
    if (!rc) rc = fow_people_open(db, key_path, &people, &err);
    if (!rc) {
        rc = fow_training_load(db, &catalogue, &err);
        has_catalogue = true;
    }
    if (!rc) rc = fow_indicators_compute(db, people, &who, &catalogue, by, (long long)time(NULL), &ind, &err);
    if (rc) {
        http_error(res, 500, NULL, "the indicators could not be computed: %s", err.message);
    } else if (strcmp(format, "csv") == 0) {
        char name[64];
        snprintf(name, sizeof name, "fow-indicators-%s.csv", fow_indicators_by_name(by));
        http_csv(res, fow_indicators_csv(&ind), name);
    } else {
        fow_jw *w = http_writer();
        if (w) fow_indicators_write(w, &ind);
        http_json_written(res, 200, w);
    }
    fow_indicators_free(&ind);
    if (has_catalogue) fow_training_free(&catalogue);
    fow_people_close(people);
    fow_db_close(db);
}

static const http_route routes[] = {
    {.method = "GET", .pattern = "/api/v1/indicators", .handler = indicators, .access = HTTP_PERMISSION,
     .permission = FOW_PERM_READ_PROGRAMME, .uncached = true},
};
HTTP_ROUTE_TABLE(api_indicators_routes, routes);
