/* test_observe.c — the local economy observatory (src/observatory/fow_observe.c),
 * transitions at scale and scenarios (src/observatory/fow_scenario.c) and their
 * JSON forms, on a tiny taxonomy and employment tables written by the test
 * itself into a temporary folder, small enough that every expected value is
 * worked out by hand in the comment next to it.
 *
 * The taxonomy (model index = file order, checked by test_fixture_shape):
 *
 *   index occupation     ISCO  MCC own risk / category   F&O own   parent
 *   0     agent          4222  4.0 High risk             0.9       -
 *   1     operator       4222  3.0 Other                 0.7       -
 *   2     inbound        4222  (inherits 4.0 High)       (0.9)     agent
 *   3     bookkeeper     4311  4.2 High risk             0.3       -
 *   4     typist         4132  5.0 High risk             1.0       -
 *   5     writer         2641  2.0 Low risk              0.1       -
 *   6     carpenter      7115  2.6 Low risk              0.69      -
 *   7     switchboard    4223  -                         -         -
 *   8     joiner         7115  -                         -         -
 *   9     roofer         7115  -                         -         -
 *   10    chat agent     4222  -                         -         -
 *
 * MCC's own ISCO-3 estimates: 431 2.2 Low risk, 711 2.8 Other, 961 3.9
 * High risk (961 has no occupation at all), 234 3.47 Other, 411 3.62 High
 * risk (no occupations either). No F&O ISCO estimates.
 *
 * Exposure levels of MCC's categories (1 - prevalence, averaged over the
 * occupations with MCC's own values; inbound inherits, so is left out):
 * High (0.8 + 0.9 + 0.95) / 3, Other 0.7 (operator), Low (0.4 + 0.5) / 2.
 *
 * Estimates by code (own first, else the unweighted mean of the own — not
 * inherited — occupation estimates inside the code, categories as a split):
 *   MCC 4222: (4.0 + 3.0) / 2 = 3.5, High .5 / Other .5, 2 occupations
 *           (inbound only inherits: left out); bins: 4.0 -> bin 19
 *           (clamped), 3.0 -> bin floor(0.5 / 1.5 * 20) = 6, .5 each
 *   MCC 42:  the same as 4222;  MCC 43 and 4311: 4.2 High, 1 occupation
 *   MCC 431: own 2.2 Low;  MCC 711: own 2.8 Other;  MCC 7115: 2.6 Low
 *   MCC 4:   (4.0 + 3.0 + 4.2 + 5.0) / 4 = 4.05, High .75 / Other .25
 *   MCC 4223, 9611: none;  961: own 3.9 High
 *   F&O 4222: (0.9 + 0.7) / 2 = 0.8, both high (0.7 is high: >= 0.7)
 *   F&O 4311: 0.3, medium (0.3 is medium: >= 0.3);  F&O 711: 0.69 medium
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sys/stat.h>

#include "service/fow_importers.h"
#include "test_support.h"

#include "observatory/fow_observe.h"
#include "observatory/fow_observe_json.h"
#include "observatory/fow_scenario.h"
#include "transitions/fow_similarity.h"
#include "taxonomy/fow_model.h"

#define EPS 1e-9
/* the prevalences are stored as floats */
#define LEVEL_HIGH (((1 - (double)0.2f) + (1 - (double)0.1f) + (1 - (double)0.05f)) / 3)
#define LEVEL_OTHER (1 - (double)0.3f)
#define LEVEL_LOW (((1 - (double)0.6f) + (1 - (double)0.5f)) / 2)
/* their quartiles (between order statistics): High of 0.8, 0.9, 0.95 at 0.5 and 1.5;
 * Low of 0.4, 0.5 at 0.25 and 0.75; Other has one value */
#define HIGH_Q1 ((1 - (double)0.2f) + 0.5 * ((double)0.2f - (double)0.1f))
#define HIGH_Q3 ((1 - (double)0.1f) + 0.5 * ((double)0.1f - (double)0.05f))
#define LOW_Q1 ((1 - (double)0.6f) + 0.25 * ((double)0.6f - (double)0.5f))
#define LOW_Q3 ((1 - (double)0.6f) + 0.75 * ((double)0.6f - (double)0.5f))
#define OBS_OCC "urn:test:obs:occupation:"

enum { AGENT, OPERATOR, INBOUND, BOOKKEEPER, TYPIST, WRITER, CARPENTER, SWITCHBOARD, JOINER, ROOFER, CHAT, N_OCC };

static const char *const occupation_slugs[N_OCC] = {"agent",     "operator",    "inbound", "bookkeeper",
                                                    "typist",    "writer",      "carpenter", "switchboard",
                                                    "joiner",    "roofer",      "chat-agent"};

/* ---- the data, written at set-up ------------------------------------------ */

static const char isco_groups_csv[] =
    "code,label\n"
    "2,Test professionals\n23,Test teaching professionals\n234,Test primary school teachers\n"
    "26,Test cultural professionals\n264,Test authors\n2641,Test writers\n"
    "4,Test clerks\n41,Test keyboard clerks\n411,Test general office clerks\n413,Test keyboard operators\n"
    "4132,Test typists\n"
    "42,Test customer clerks\n421,Test tellers\n422,Test client information workers\n"
    "4222,Test contact centre clerks\n4223,Test switchboard operators\n"
    "43,Test numerical clerks\n431,Test numerical clerks\n4311,Test bookkeepers\n"
    "7,Test craft workers\n71,Test building workers\n711,Test building frame workers\n7115,Test carpenters\n"
    "9,Test elementary workers\n96,Test refuse workers\n961,Test refuse collectors\n9611,Test garbage collectors\n";

static const char occupations_csv[] =
    "uri,code,isco_group,label\n" OBS_OCC "agent,4222.1,4222,call centre agent\n" OBS_OCC
    "operator,4222.2,4222,phone operator\n" OBS_OCC "inbound,4222.1.1,4222,inbound agent\n" OBS_OCC
    "bookkeeper,4311.1,4311,bookkeeper\n" OBS_OCC "typist,4132.1,4132,typist\n" OBS_OCC
    "writer,2641.1,2641,writer\n" OBS_OCC "carpenter,7115.1,7115,carpenter\n" OBS_OCC
    "switchboard,4223.1,4223,switchboard operator\n" OBS_OCC "joiner,7115.2,7115,joiner\n" OBS_OCC
    "roofer,7115.3,7115,roofer\n" OBS_OCC "chat-agent,4222.3,4222,chat agent\n";

static const char parents_csv[] = "occupation_uri,parent_uri\n" OBS_OCC "inbound," OBS_OCC "agent\n";

static const char skills_csv[] = "label,skill_type\n"
                                 "communicate with customers,skill/competence\n"
                                 "use a telephone,skill/competence\n"
                                 "use crm software,skill/competence\n"
                                 "type texts,skill/competence\n"
                                 "use spreadsheets,skill/competence\n"
                                 "keep accounts,skill/competence\n"
                                 "write texts,skill/competence\n"
                                 "work wood,skill/competence\n"
                                 "use hand tools,skill/competence\n";

static const char occupation_skills_csv[] =
    "occupation_uri,relation,skill_label\n"
    OBS_OCC "agent,essential,communicate with customers\n" OBS_OCC "agent,essential,use a telephone\n"
    OBS_OCC "agent,essential,use crm software\n" OBS_OCC "agent,optional,type texts\n"
    OBS_OCC "operator,essential,communicate with customers\n" OBS_OCC "operator,essential,use a telephone\n"
    OBS_OCC "operator,essential,type texts\n"
    OBS_OCC "inbound,essential,communicate with customers\n" OBS_OCC "inbound,essential,use a telephone\n"
    OBS_OCC "inbound,essential,use crm software\n"
    OBS_OCC "bookkeeper,essential,use spreadsheets\n" OBS_OCC "bookkeeper,essential,keep accounts\n"
    OBS_OCC "bookkeeper,essential,type texts\n" OBS_OCC "bookkeeper,optional,communicate with customers\n"
    OBS_OCC "typist,essential,type texts\n" OBS_OCC "typist,essential,use spreadsheets\n"
    OBS_OCC "typist,optional,communicate with customers\n"
    OBS_OCC "writer,essential,write texts\n" OBS_OCC "writer,essential,type texts\n"
    OBS_OCC "writer,essential,communicate with customers\n"
    OBS_OCC "carpenter,essential,work wood\n" OBS_OCC "carpenter,essential,use hand tools\n"
    OBS_OCC "switchboard,essential,use a telephone\n" OBS_OCC "switchboard,essential,communicate with customers\n"
    OBS_OCC "switchboard,optional,type texts\n"
    OBS_OCC "joiner,essential,work wood\n" OBS_OCC "roofer,essential,use hand tools\n"
    OBS_OCC "chat-agent,essential,communicate with customers\n" OBS_OCC "chat-agent,essential,type texts\n";

static const char source_csv[] = "name,version,licence,url,language\n"
                                 "fow observe test bundle,1.0,CC0-1.0,https://example.test/fow-observe,en\n";

static const char risk_mcc_csv[] = "occupation_uri,risk,prevalence,risk_category\n"
                                   OBS_OCC "agent,4.0,0.2,High risk\n" OBS_OCC "operator,3.0,0.3,Other\n"
                                   OBS_OCC "bookkeeper,4.2,0.1,High risk\n" OBS_OCC "typist,5.0,0.05,High risk\n"
                                   OBS_OCC "writer,2.0,0.6,Low risk\n" OBS_OCC "carpenter,2.6,0.5,Low risk\n";

static const char risk_mcc_isco3_csv[] = "isco_code,risk,prevalence,risk_category\n"
                                         "431,2.2,0.5,Low risk\n711,2.8,0.4,Other\n961,3.9,0.1,High risk\n"
                                         "234,3.47,0.5,Other\n411,3.62,0.35,High risk\n";

static const char risk_fo_csv[] = "occupation_uri,probability\n" OBS_OCC "agent,0.9\n" OBS_OCC "operator,0.7\n"
                                  OBS_OCC "bookkeeper,0.3\n" OBS_OCC "typist,1.0\n" OBS_OCC "writer,0.1\n"
                                  OBS_OCC "carpenter,0.69\n";

static const char attributes_csv[] = "occupation_uri,job_zone,annual_earnings_gbp\n"
                                     OBS_OCC "agent,2,22000\n" OBS_OCC "operator,2,21000\n"
                                     OBS_OCC "bookkeeper,3,26000\n" OBS_OCC "typist,2,20000\n"
                                     OBS_OCC "writer,3,27000\n" OBS_OCC "carpenter,2,25000\n"
                                     OBS_OCC "switchboard,2,20000\n" OBS_OCC "chat-agent,2,21000\n";

/* Employment tables, one per area (see each test for what it checks). */
static const char emp_a_csv[] = "isco_code,year,employed\n"
                                "4311,2024,100\n2641,2024,300\n711,2024,600\n"
                                "4311,2023,200\n2641,2023,300\n711,2023,300\n";
static const char emp_b_csv[] = "isco_code,year,employed\n4311,2024,50\n2641,2024,50\n";
static const char emp_n_csv[] = "isco_code,year,employed\n"
                                "42,2021,100\n421,2021,30\n422,2021,50\n"
                                "42,2022,100\n421,2022,30\n422,2022,x\n"
                                "42,2023,100\n422,2023,x\n4222,2023,40\n"
                                "4222,2024,50\n"
                                "42,2025,10\n422,2025,30\n";
static const char emp_g_csv[] = "isco_code,year,sector,employed\n"
                                "4222,2024,C,100\n4311,2024,C,200\n42,2024,C,500\n"
                                "2641,2024,J,50\n26,2024,J,80\n711,2024,F,400\n";
static const char emp_s_csv[] = "isco_code,year,employed\n"
                                "4222,2024,200\n4311,2024,100\n4,2024,400\n961,2024,70\n9611,2024,50\n";
static const char emp_e_csv[] = "occupation_uri,year,employed\n" OBS_OCC "operator,2024,30\n" OBS_OCC
                                "chat-agent,2024,10\n";
/* sex given both as totals (T) and broken down (F, M), with nesting and a masked cell */
static const char emp_l_csv[] = "isco_code,year,sex,employed\n"
                                "4222,2024,T,100\n4222,2024,F,60\n4222,2024,M,40\n"
                                "42,2024,Total,150\n42,2024,F,x\n42,2024,M,70\n";
/* one row of typists (MCC 5.0 High risk, F&O 1.0) */
static const char emp_x_csv[] = "isco_code,year,employed\n4132,2024,1000\n";
/* teachers and clerks, as many of each (MCC's own ISCO-3 estimates: 234 Other, 411 High risk) */
static const char emp_t_csv[] = "isco_code,year,employed\n234,2024,1000\n411,2024,1000\n";

typedef struct obs_state {
    ts_db d;
    ts_tmp files;
    fow_db *ro;
    fow_model *m;
    fow_risk_estimates *est;
    fow_similarity_index *index;
    fow_move_profiles *profiles[2]; /* all occupations, k = 5, per model */
} obs_state;

/* Writes text as dir/name and imports it as the registry's kind (with the
 * options model and area when not NULL). */
static void import_file(fow_db *db, const char *dir, const char *name, const char *text, const char *kind,
                        const char *model, const char *area) {
    char path[TS_PATH_MAX];
    ts_write_string(dir, name, text, path, sizeof path);
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    fow_import_settings settings;
    assert_fow_ok(fow_import_settings_init(&settings, kind, &err), &err);
    if (model) assert_fow_ok(fow_import_settings_set(&settings, "model", model, &err), &err);
    if (area) assert_fow_ok(fow_import_settings_set(&settings, "area", area, &err), &err);
    assert_fow_ok(fow_import_run(db, &settings, path, NULL, NULL, &r, &err), &err);
}

static int setup(void **state) {
    obs_state *s = calloc(1, sizeof *s);
    if (!s) return -1;
    *state = s;
    ts_db_fresh(&s->d);
    ts_tmp_make(&s->files);
    fow_db *db = s->d.db;
    char bundle[TS_PATH_MAX];
    ts_join(bundle, sizeof bundle, s->files.dir, "bundle");
    if (mkdir(bundle, 0700) != 0) return -1;
    ts_write_string(bundle, "isco_groups.csv", isco_groups_csv, NULL, 0);
    ts_write_string(bundle, "occupations.csv", occupations_csv, NULL, 0);
    ts_write_string(bundle, "occupation_parents.csv", parents_csv, NULL, 0);
    ts_write_string(bundle, "skills.csv", skills_csv, NULL, 0);
    ts_write_string(bundle, "occupation_skills.csv", occupation_skills_csv, NULL, 0);
    ts_write_string(bundle, "source.csv", source_csv, NULL, 0);
    fow_import_report r;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_import_bundle(db, bundle, NULL, &r, &err), &err);
    const char *dir = s->files.dir;
    import_file(db, dir, "risk-mcc.csv", risk_mcc_csv, "risk", "mcc", NULL);
    import_file(db, dir, "risk-mcc-isco3.csv", risk_mcc_isco3_csv, "risk", "mcc", NULL);
    import_file(db, dir, "risk-fo.csv", risk_fo_csv, "risk", "frey-osborne", NULL);
    import_file(db, dir, "attributes.csv", attributes_csv, "attributes", NULL, NULL);
    import_file(db, dir, "a.csv", emp_a_csv, "employment", NULL, "A");
    import_file(db, dir, "b.csv", emp_b_csv, "employment", NULL, "B");
    import_file(db, dir, "n.csv", emp_n_csv, "employment", NULL, "N");
    import_file(db, dir, "g.csv", emp_g_csv, "employment", NULL, "G");
    import_file(db, dir, "s.csv", emp_s_csv, "employment", NULL, "S");
    import_file(db, dir, "e.csv", emp_e_csv, "employment", NULL, "E");
    import_file(db, dir, "x.csv", emp_x_csv, "employment", NULL, "X");
    import_file(db, dir, "t.csv", emp_t_csv, "employment", NULL, "T");
    import_file(db, dir, "l.csv", emp_l_csv, "employment", NULL, "L");
    /* An ISCO-4 row with an ESCO occupation inside it, in one area and
     * year. The importer takes either isco_code or occupation_uri per file
     * and a file replaces the area's years, so such a table cannot be
     * imported today: the row is added directly, to test the counting. */
    assert_fow_ok(fow_db_exec(db,
                              "INSERT INTO employment(area, year, isco_code, occupation_id, employed, masked, line, "
                              "source_id) SELECT 'N', 2024, '', o.id, 20, 0, 99, "
                              "(SELECT source_id FROM employment WHERE area = 'N' AND year = 2024) "
                              "FROM occupations o WHERE o.uri = '" OBS_OCC "agent'",
                              &err),
                  &err);
    assert_fow_ok(fow_db_open(&s->ro, s->d.path, true, &err), &err);
    assert_fow_ok(fow_model_load(s->ro, &s->m, &err), &err);
    assert_fow_ok(fow_risk_estimates_load(s->ro, s->m, &s->est, &err), &err);
    fow_similarity_params p;
    fow_similarity_params_default(&p);
    p.viable = 0.3f; /* so that the tiny taxonomy has moves */
    assert_fow_ok(fow_similarity_index_build(s->m, &p, &s->index, &err), &err);
    for (int m = 0; m < 2; m++)
        assert_fow_ok(fow_move_profiles_build(s->index, (fow_risk_model)m, NULL, 0, 5, 1, &s->profiles[m], &err),
                      &err);
    return 0;
}

static int teardown(void **state) {
    obs_state *s = *state;
    if (!s) return 0;
    for (int m = 0; m < 2; m++) fow_move_profiles_free(s->profiles[m]);
    fow_similarity_index_free(s->index);
    fow_risk_estimates_free(s->est);
    fow_model_free(s->m);
    fow_db_close(s->ro);
    ts_tmp_remove(&s->files);
    ts_db_free(&s->d);
    free(s);
    return 0;
}

/* ---- helpers ------------------------------------------------------------------ */

typedef struct observed {
    fow_employment emp;
    fow_observation obs;
} observed;

static void observe(const obs_state *s, const char *area, int year, fow_risk_model model, fow_observe_by by,
                    observed *o) {
    fow_error err;
    fow_error_clear(&err);
    memset(o, 0, sizeof *o);
    assert_fow_ok(fow_employment_load(s->ro, s->m, area, year, &o->emp, &err), &err);
    assert_fow_ok(fow_observe(s->est, &o->emp, model, by, &o->obs, &err), &err);
}

static void observed_free(observed *o) {
    fow_observation_free(&o->obs);
    fow_employment_free(&o->emp);
}

/* The row of emp with ISCO code isco (occupation FOW_NO_INDEX) or for
 * occupation occ (isco NULL). */
static const fow_employment_row *row_of(const fow_employment *emp, const char *isco, uint32_t occ) {
    for (uint32_t i = 0; i < emp->n_rows; i++) {
        const fow_employment_row *r = &emp->rows[i];
        if (isco ? (r->occupation == FOW_NO_INDEX && strcmp(r->isco, isco) == 0) : r->occupation == occ) return r;
    }
    fail_msg("no row %s/%u in %s %d", isco ? isco : "-", occ, emp->area, emp->year);
    return NULL;
}

static double counted(const fow_employment *emp, const char *isco) { return row_of(emp, isco, FOW_NO_INDEX)->counted; }

static const fow_observe_cell *cell_of(const fow_observation *obs, const char *key) {
    for (uint32_t i = 0; i < obs->n_cells; i++)
        if (strcmp(obs->cells[i].key, key) == 0) return &obs->cells[i];
    fail_msg("no cell '%s'", key);
    return NULL;
}

/* The cells of a breakdown add up to the total, in persons and in each category. */
static void assert_cells_add_up(const fow_observation *obs) {
    double employed = 0, with = 0, cat[FOW_N_CATS] = {0, 0, 0}, risk = 0;
    for (uint32_t i = 0; i < obs->n_cells; i++) {
        employed += obs->cells[i].employed;
        with += obs->cells[i].with_estimate;
        risk += obs->cells[i].risk_sum;
        for (int c = 0; c < FOW_N_CATS; c++) cat[c] += obs->cells[i].category[c];
    }
    assert_near(employed, obs->total.employed, EPS);
    assert_near(with, obs->total.with_estimate, EPS);
    assert_near(risk, obs->total.risk_sum, 1e-6);
    for (int c = 0; c < FOW_N_CATS; c++) assert_near(cat[c], obs->total.category[c], EPS);
}

static void assert_shares(const fow_observe_cell *c, double low, double middle, double high) {
    assert_near(fow_observe_share(c, FOW_CAT_LOW), low, EPS);
    assert_near(fow_observe_share(c, FOW_CAT_MIDDLE), middle, EPS);
    assert_near(fow_observe_share(c, FOW_CAT_HIGH), high, EPS);
    assert_near(fow_observe_share(c, FOW_CAT_LOW) + fow_observe_share(c, FOW_CAT_MIDDLE) +
                    fow_observe_share(c, FOW_CAT_HIGH),
                1.0, EPS);
}

static void assert_estimate(const fow_code_estimate *e, fow_estimate_method method, double risk, double low,
                            double middle, double high, uint32_t n_occupations) {
    assert_int_equal(e->method, method);
    assert_near(e->risk, risk, EPS);
    assert_near(e->share[FOW_CAT_LOW], low, EPS);
    assert_near(e->share[FOW_CAT_MIDDLE], middle, EPS);
    assert_near(e->share[FOW_CAT_HIGH], high, EPS);
    assert_int_equal(e->n_occupations, n_occupations);
    double bins = 0;
    for (int b = 0; b < FOW_RISK_BINS; b++) bins += e->bins[b];
    assert_near(bins, 1.0, EPS);
}

static void assert_no_estimate(const fow_code_estimate *e) {
    assert_int_equal(e->method, FOW_EST_NONE);
    assert_true(isnan(e->risk));
    assert_near(e->share[0] + e->share[1] + e->share[2], 0.0, 0);
}

/* ---- the fixture ------------------------------------------------------------- */

static void test_fixture_shape(void **state) {
    obs_state *s = *state;
    assert_int_equal(s->m->n_occupations, N_OCC);
    for (uint32_t o = 0; o < N_OCC; o++) {
        char uri[200];
        snprintf(uri, sizeof uri, OBS_OCC "%s", occupation_slugs[o]);
        assert_string_equal(s->m->occupations[o].uri, uri);
    }
    assert_int_equal(s->m->occupations[INBOUND].parent, AGENT);
    /* operator (1) and chat agent (10) share a unit group and their indexes
     * start alike: the case of test_nested_occupation_rows */
    assert_int_equal(OPERATOR, 1);
    assert_int_equal(CHAT, 10);
    assert_string_equal(s->m->occupations[OPERATOR].isco_group, s->m->occupations[CHAT].isco_group);
}

/* ---- (c) estimates by ISCO code ---------------------------------------------- */

static void test_estimates_mcc(void **state) {
    obs_state *s = *state;
    const fow_risk_model M = FOW_RISK_MODEL_MCC;
    /* aggregated: the mean of agent 4.0 (High) and operator 3.0 (Other);
     * inbound only inherits and chat agent has none: left out */
    const fow_code_estimate *e = fow_risk_estimate_isco(s->est, M, "4222");
    assert_estimate(e, FOW_EST_AGGREGATED, 3.5, 0, 0.5, 0.5, 2);
    assert_near(e->bins[19], 0.5, EPS); /* 4.0 is beyond 2.5..4.0's last bin edge: the last bin */
    assert_near(e->bins[6], 0.5, EPS);  /* 3.0: floor(0.5 / 1.5 * 20) = 6 */
    assert_estimate(fow_risk_estimate_isco(s->est, M, "422"), FOW_EST_AGGREGATED, 3.5, 0, 0.5, 0.5, 2);
    assert_estimate(fow_risk_estimate_isco(s->est, M, "42"), FOW_EST_AGGREGATED, 3.5, 0, 0.5, 0.5, 2);
    /* the model's own ISCO-3 estimate beats the aggregate of bookkeeper (4.2 High) */
    e = fow_risk_estimate_isco(s->est, M, "431");
    assert_estimate(e, FOW_EST_ISCO_OWN, 2.2, 1, 0, 0, 0);
    assert_near(e->bins[0], 1.0, EPS); /* 2.2 < 2.5: the first bin */
    /* ... but only for its own code: the finer and the coarser codes aggregate */
    assert_estimate(fow_risk_estimate_isco(s->est, M, "4311"), FOW_EST_AGGREGATED, 4.2, 0, 0, 1, 1);
    assert_estimate(fow_risk_estimate_isco(s->est, M, "43"), FOW_EST_AGGREGATED, 4.2, 0, 0, 1, 1);
    assert_estimate(fow_risk_estimate_isco(s->est, M, "711"), FOW_EST_ISCO_OWN, 2.8, 0, 1, 0, 0);
    assert_estimate(fow_risk_estimate_isco(s->est, M, "7115"), FOW_EST_AGGREGATED, 2.6, 1, 0, 0, 1);
    assert_estimate(fow_risk_estimate_isco(s->est, M, "7"), FOW_EST_AGGREGATED, 2.6, 1, 0, 0, 1);
    /* major group 4: agent 4.0 H, operator 3.0 O, bookkeeper 4.2 H, typist 5.0 H */
    assert_estimate(fow_risk_estimate_isco(s->est, M, "4"), FOW_EST_AGGREGATED, 4.05, 0, 0.25, 0.75, 4);
    assert_estimate(fow_risk_estimate_isco(s->est, M, "961"), FOW_EST_ISCO_OWN, 3.9, 0, 0, 1, 0);
    /* no estimate: nobody inside with one, not a group, not a code */
    assert_no_estimate(fow_risk_estimate_isco(s->est, M, "4223"));
    assert_no_estimate(fow_risk_estimate_isco(s->est, M, "9611"));
    assert_no_estimate(fow_risk_estimate_isco(s->est, M, "5"));
    assert_no_estimate(fow_risk_estimate_isco(s->est, M, "12345"));
    assert_no_estimate(fow_risk_estimate_isco(s->est, M, "42a"));
    assert_no_estimate(fow_risk_estimate_isco(s->est, M, ""));
    /* occupations: own, inherited, none */
    assert_estimate(fow_risk_estimate_occupation(s->est, M, AGENT), FOW_EST_OCCUPATION, 4.0, 0, 0, 1, 0);
    assert_estimate(fow_risk_estimate_occupation(s->est, M, INBOUND), FOW_EST_OCCUPATION, 4.0, 0, 0, 1, 0);
    assert_estimate(fow_risk_estimate_occupation(s->est, M, OPERATOR), FOW_EST_OCCUPATION, 3.0, 0, 1, 0, 0);
    assert_no_estimate(fow_risk_estimate_occupation(s->est, M, SWITCHBOARD));
    assert_no_estimate(fow_risk_estimate_occupation(s->est, M, N_OCC));
    /* labels, names, sources */
    assert_string_equal(fow_isco_label(s->est, "4222"), "Test contact centre clerks");
    assert_string_equal(fow_isco_label(s->est, "5"), "");
    assert_string_equal(fow_estimate_method_name(FOW_EST_AGGREGATED), "aggregated");
    assert_string_equal(fow_estimate_method_name(FOW_EST_ISCO_OWN), "isco-own");
    assert_true(strlen(fow_risk_estimates_source(s->est, M)) > 0);
    assert_ptr_equal(fow_risk_estimates_model(s->est), s->m);
}

static void test_estimates_frey_osborne(void **state) {
    obs_state *s = *state;
    const fow_risk_model F = FOW_RISK_MODEL_FREY_OSBORNE;
    /* 0.7 is high (>= 0.7, Frey & Osborne's threshold), 0.69 is medium, 0.3 medium, 0.1 low */
    assert_estimate(fow_risk_estimate_occupation(s->est, F, OPERATOR), FOW_EST_OCCUPATION, 0.7, 0, 0, 1, 0);
    assert_estimate(fow_risk_estimate_occupation(s->est, F, CARPENTER), FOW_EST_OCCUPATION, 0.69, 0, 1, 0, 0);
    assert_estimate(fow_risk_estimate_occupation(s->est, F, BOOKKEEPER), FOW_EST_OCCUPATION, 0.3, 0, 1, 0, 0);
    assert_estimate(fow_risk_estimate_occupation(s->est, F, WRITER), FOW_EST_OCCUPATION, 0.1, 1, 0, 0, 0);
    assert_estimate(fow_risk_estimate_occupation(s->est, F, INBOUND), FOW_EST_OCCUPATION, 0.9, 0, 0, 1, 0);
    /* no ISCO estimates of its own: everything aggregates */
    assert_estimate(fow_risk_estimate_isco(s->est, F, "4222"), FOW_EST_AGGREGATED, 0.8, 0, 0, 1, 2);
    assert_estimate(fow_risk_estimate_isco(s->est, F, "4311"), FOW_EST_AGGREGATED, 0.3, 0, 1, 0, 1);
    assert_estimate(fow_risk_estimate_isco(s->est, F, "431"), FOW_EST_AGGREGATED, 0.3, 0, 1, 0, 1);
    assert_estimate(fow_risk_estimate_isco(s->est, F, "711"), FOW_EST_AGGREGATED, 0.69, 0, 1, 0, 1);
    /* (0.9 + 0.7 + 0.3 + 1.0) / 4 = 0.725; agent, operator, typist high, bookkeeper medium */
    assert_estimate(fow_risk_estimate_isco(s->est, F, "4"), FOW_EST_AGGREGATED, 0.725, 0, 0.25, 0.75, 4);
    assert_no_estimate(fow_risk_estimate_isco(s->est, F, "961"));
    fow_exposure_levels lv;
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_exposure_levels_calibrate(s->m, &lv, &err), &err);
    assert_near(lv.low[FOW_CAT_HIGH], HIGH_Q1, EPS);
    assert_near(lv.high[FOW_CAT_HIGH], HIGH_Q3, EPS);
    assert_near(lv.low[FOW_CAT_MIDDLE], LEVEL_OTHER, EPS);
    assert_near(lv.high[FOW_CAT_MIDDLE], LEVEL_OTHER, EPS);
    assert_near(lv.low[FOW_CAT_LOW], LOW_Q1, EPS);
    assert_near(lv.high[FOW_CAT_LOW], LOW_Q3, EPS);
    assert_near(lv.level[FOW_CAT_HIGH], LEVEL_HIGH, EPS);
    assert_near(lv.level[FOW_CAT_MIDDLE], LEVEL_OTHER, EPS);
    assert_near(lv.level[FOW_CAT_LOW], LEVEL_LOW, EPS);
    assert_int_equal(lv.n[FOW_CAT_HIGH], 3);
    assert_int_equal(lv.n[FOW_CAT_MIDDLE], 1);
    assert_int_equal(lv.n[FOW_CAT_LOW], 2);
    assert_near(fow_exposure(F, &lv, fow_risk_estimate_isco(s->est, F, "4222")), 0.8, EPS);
    /* MCC 4222: half High, half Other */
    assert_near(fow_exposure(FOW_RISK_MODEL_MCC, &lv, fow_risk_estimate_isco(s->est, FOW_RISK_MODEL_MCC, "4222")),
                (LEVEL_HIGH + LEVEL_OTHER) / 2, EPS);
    assert_true(isnan(fow_exposure(F, &lv, fow_risk_estimate_isco(s->est, F, "961"))));
    /* the ranges: MCC's quartiles weighted by the split, F&O's probability itself */
    fow_range r4222 = fow_exposure_range(FOW_RISK_MODEL_MCC, &lv, fow_risk_estimate_isco(s->est, FOW_RISK_MODEL_MCC, "4222"));
    assert_near(r4222.low, (HIGH_Q1 + LEVEL_OTHER) / 2, EPS);
    assert_near(r4222.high, (HIGH_Q3 + LEVEL_OTHER) / 2, EPS);
    fow_range f4222 = fow_exposure_range(F, &lv, fow_risk_estimate_isco(s->est, F, "4222"));
    assert_near(f4222.low, 0.8, EPS);
    assert_near(f4222.high, 0.8, EPS);
    assert_true(isnan(fow_exposure_range(F, &lv, fow_risk_estimate_isco(s->est, F, "961")).low));
    /* a model without MCC values keeps the published levels */
    fow_model empty;
    memset(&empty, 0, sizeof empty);
    assert_fow_ok(fow_exposure_levels_calibrate(&empty, &lv, &err), &err);
    assert_near(lv.level[FOW_CAT_HIGH], FOW_EXPOSURE_LEVEL_HIGH, 0);
    assert_near(lv.level[FOW_CAT_LOW], FOW_EXPOSURE_LEVEL_LOW, 0);
    assert_int_equal(lv.n[FOW_CAT_HIGH], 0);
}

static void test_occupations_in(void **state) {
    obs_state *s = *state;
    const uint32_t *in;
    uint32_t n = fow_risk_estimates_occupations_in(s->est, "4222", &in);
    assert_int_equal(n, 4);
    uint32_t want4222[] = {AGENT, OPERATOR, INBOUND, CHAT};
    for (uint32_t i = 0; i < n; i++) assert_int_equal(in[i], want4222[i]);
    /* ISCO order, then index order: 4132 typist, 4222 ..., 4223 switchboard, 4311 bookkeeper */
    n = fow_risk_estimates_occupations_in(s->est, "4", &in);
    uint32_t want4[] = {TYPIST, AGENT, OPERATOR, INBOUND, CHAT, SWITCHBOARD, BOOKKEEPER};
    assert_int_equal(n, 7);
    for (uint32_t i = 0; i < n; i++) assert_int_equal(in[i], want4[i]);
    assert_int_equal(fow_risk_estimates_occupations_in(s->est, "961", &in), 0);
    assert_int_equal(fow_risk_estimates_occupations_in(s->est, "4x", &in), 0);
    assert_int_equal(fow_risk_estimates_occupations_in(s->est, "", &in), 0);
}

/* ---- (a) shares and mean ------------------------------------------------------ */

static void test_shares_and_mean(void **state) {
    obs_state *s = *state;
    observed o;
    /* A 2024: 4311 100 (4.2 High, aggregated), 2641 300 (2.0 Low, aggregated),
     * 711 600 (2.8 Other, MCC's own) */
    observe(s, "A", 2024, FOW_RISK_MODEL_MCC, FOW_BY_NONE, &o);
    const fow_observe_cell *t = &o.obs.total;
    assert_int_equal(o.emp.n_rows, 3);
    assert_int_equal(o.emp.n_masked, 0);
    assert_near(o.emp.given, 1000, EPS);
    assert_near(o.emp.counted, 1000, EPS);
    assert_near(t->employed, 1000, EPS);
    assert_near(t->with_estimate, 1000, EPS);
    assert_near(t->category[FOW_CAT_HIGH], 100, EPS);
    assert_near(t->category[FOW_CAT_MIDDLE], 600, EPS);
    assert_near(t->category[FOW_CAT_LOW], 300, EPS);
    assert_shares(t, 0.3, 0.6, 0.1);
    /* (100 x 4.2 + 300 x 2.0 + 600 x 2.8) / 1000 = 2.7 */
    assert_near(fow_observe_mean(t), 2.7, EPS);
    assert_int_equal(t->rows, 3);
    assert_int_equal(o.obs.n_units, 3);
    assert_int_equal(o.obs.n_cells, 0);
    assert_near(o.obs.by_method[FOW_EST_AGGREGATED], 400, EPS);
    assert_near(o.obs.by_method[FOW_EST_ISCO_OWN], 600, EPS);
    assert_near(o.obs.by_level[3], 600, EPS);
    assert_near(o.obs.by_level[4], 400, EPS);
    double bins = 0;
    for (int b = 0; b < FOW_RISK_BINS; b++) bins += t->bins[b];
    assert_near(bins, 1000, EPS);
    assert_near(t->bins[0], 300, EPS);   /* 2.0, below the range */
    assert_near(t->bins[19], 100, EPS);  /* 4.2, above it */
    observed_free(&o);

    /* Frey & Osborne: 0.3 (medium), 0.1 (low), 0.69 (medium, from carpenter) */
    observe(s, "A", 2024, FOW_RISK_MODEL_FREY_OSBORNE, FOW_BY_NONE, &o);
    t = &o.obs.total;
    assert_shares(t, 0.3, 0.7, 0.0);
    assert_near(fow_observe_mean(t), (100 * 0.3 + 300 * 0.1 + 600 * 0.69) / 1000, EPS);
    assert_near(o.obs.by_method[FOW_EST_AGGREGATED], 1000, EPS);
    observed_free(&o);

    /* S 2024: persons without an estimate count as employed, not in the shares */
    observe(s, "S", 2024, FOW_RISK_MODEL_MCC, FOW_BY_NONE, &o);
    t = &o.obs.total;
    /* 4222 200, 4311 100, 4 400 - 300 = 100, 961 70 - 50 = 20, 9611 50 */
    assert_near(t->employed, 470, EPS);
    assert_near(t->with_estimate, 420, EPS);
    assert_near(o.obs.by_method[FOW_EST_NONE], 50, EPS);
    /* high: 200 x .5 + 100 + 100 x .75 + 20 = 295 */
    assert_near(t->category[FOW_CAT_HIGH], 295, EPS);
    assert_near(fow_observe_share(t, FOW_CAT_HIGH), 295.0 / 420, EPS);
    /* mean: (200 x 3.5 + 100 x 4.2 + 100 x 4.05 + 20 x 3.9) / 420 */
    assert_near(fow_observe_mean(t), (700 + 420 + 405 + 78) / 420.0, EPS);
    observed_free(&o);

    /* an ISCO row with an aggregated estimate and an ESCO occupation inside it (N 2024):
     * 4222 counts 50 - 20 = 30 split .5/.5, agent 20 all High: 35 of 50 high */
    observe(s, "N", 2024, FOW_RISK_MODEL_MCC, FOW_BY_NONE, &o);
    t = &o.obs.total;
    assert_near(t->employed, 50, EPS);
    assert_near(t->category[FOW_CAT_HIGH], 35, EPS);
    assert_near(t->category[FOW_CAT_MIDDLE], 15, EPS);
    assert_near(fow_observe_mean(t), (30 * 3.5 + 20 * 4.0) / 50, EPS);
    assert_near(o.obs.by_method[FOW_EST_AGGREGATED], 30, EPS);
    assert_near(o.obs.by_method[FOW_EST_OCCUPATION], 20, EPS);
    assert_near(o.obs.by_level[0], 20, EPS);
    assert_near(o.obs.by_level[4], 30, EPS);
    observed_free(&o);
}

/* ---- (b) nested rows ----------------------------------------------------------- */

/* A dimension given twice: totals for every view but its own breakdown. */
static void test_layers(void **state) {
    obs_state *s = *state;
    observed o;
    observe(s, "L", 2024, FOW_RISK_MODEL_MCC, FOW_BY_NONE, &o);
    assert_int_equal(o.emp.layered[1], 1); /* sex */
    assert_int_equal(o.emp.layered[0], 0);
    /* T and Total are stored as totals ("") */
    assert_int_equal(o.emp.n_rows, 6);
    uint32_t totals = 0;
    for (uint32_t i = 0; i < o.emp.n_rows; i++) totals += !*o.emp.rows[i].sex;
    assert_int_equal(totals, 2);
    /* the totals: 42 150 holds 4222 100 -> 50 + 100 */
    assert_int_equal(o.obs.left_out, 4);
    assert_near(o.obs.total.employed, 150, EPS);
    assert_near(o.emp.counted, 150, EPS);
    observed_free(&o);
    observe(s, "L", 2024, FOW_RISK_MODEL_MCC, FOW_BY_MAJOR, &o);
    assert_near(o.obs.total.employed, 150, EPS);
    assert_cells_add_up(&o.obs);
    observed_free(&o);
    /* by sex, the breakdown: F: 42 masked holds 4222 60 -> 60; M: 42 70 holds 4222 40 -> 30 + 40 */
    observe(s, "L", 2024, FOW_RISK_MODEL_MCC, FOW_BY_SEX, &o);
    assert_int_equal(o.obs.left_out, 2);
    assert_near(o.obs.total.employed, 130, EPS);
    assert_int_equal(o.obs.n_cells, 2);
    assert_near(cell_of(&o.obs, "F")->employed, 60, EPS);
    assert_int_equal(cell_of(&o.obs, "F")->masked, 1);
    assert_near(cell_of(&o.obs, "M")->employed, 70, EPS);
    assert_string_equal(cell_of(&o.obs, "M")->label, "men");
    assert_cells_add_up(&o.obs);
    observed_free(&o);
}

static void test_nested_rows(void **state) {
    obs_state *s = *state;
    observed o;
    /* 42 100 with 421 30 and 422 50 inside: 42 counts 20, the total is 100 */
    observe(s, "N", 2021, FOW_RISK_MODEL_MCC, FOW_BY_NONE, &o);
    assert_near(counted(&o.emp, "42"), 20, EPS);
    assert_near(counted(&o.emp, "421"), 30, EPS);
    assert_near(counted(&o.emp, "422"), 50, EPS);
    assert_near(o.emp.given, 180, EPS);
    assert_near(o.emp.counted, 100, EPS);
    assert_near(o.obs.total.employed, 100, EPS);
    /* 421 has no estimate (no occupation inside): 20 + 50 have one */
    assert_near(o.obs.total.with_estimate, 70, EPS);
    observed_free(&o);
    /* 42 100 with 421 30 and 422 masked: 42 counts 70; the masked row is unknown, not 0 */
    observe(s, "N", 2022, FOW_RISK_MODEL_MCC, FOW_BY_NONE, &o);
    assert_near(counted(&o.emp, "42"), 70, EPS);
    assert_near(counted(&o.emp, "421"), 30, EPS);
    const fow_employment_row *masked = row_of(&o.emp, "422", FOW_NO_INDEX);
    assert_true(isnan(masked->employed));
    assert_near(masked->counted, 0, 0);
    assert_int_equal(o.emp.n_masked, 1);
    assert_int_equal(o.obs.total.masked, 1);
    assert_int_equal(o.obs.total.rows, 3);
    assert_near(o.emp.given, 130, EPS);
    assert_near(o.obs.total.employed, 100, EPS);
    assert_int_equal(o.obs.n_units, 2); /* the masked row is no unit */
    observed_free(&o);
    /* a masked row passes on what its own nested rows know: 42 100, 422 x, 4222 40 -> 60 + 40 */
    observe(s, "N", 2023, FOW_RISK_MODEL_MCC, FOW_BY_NONE, &o);
    assert_near(counted(&o.emp, "42"), 60, EPS);
    assert_near(counted(&o.emp, "4222"), 40, EPS);
    assert_near(o.obs.total.employed, 100, EPS);
    observed_free(&o);
    /* an ESCO occupation inside its unit group: 4222 50 with agent 20 -> 30 + 20 */
    observe(s, "N", 2024, FOW_RISK_MODEL_MCC, FOW_BY_NONE, &o);
    assert_near(counted(&o.emp, "4222"), 30, EPS);
    assert_near(row_of(&o.emp, NULL, AGENT)->counted, 20, EPS);
    assert_near(o.obs.total.employed, 50, EPS);
    observed_free(&o);
    /* never below 0: 42 10 with 422 30 inside -> 0 + 30, and 42 is no unit */
    observe(s, "N", 2025, FOW_RISK_MODEL_MCC, FOW_BY_NONE, &o);
    assert_near(counted(&o.emp, "42"), 0, 0);
    assert_near(counted(&o.emp, "422"), 30, EPS);
    assert_near(o.obs.total.employed, 30, EPS);
    assert_int_equal(o.obs.n_units, 1);
    observed_free(&o);
}

/* Two ESCO occupations of one unit group never contain each other, whatever
 * their indexes (operator is 1, chat agent 10). */
static void test_nested_occupation_rows(void **state) {
    obs_state *s = *state;
    observed o;
    observe(s, "E", 2024, FOW_RISK_MODEL_MCC, FOW_BY_GROUP, &o);
    assert_near(row_of(&o.emp, NULL, OPERATOR)->counted, 30, EPS);
    assert_near(row_of(&o.emp, NULL, CHAT)->counted, 10, EPS);
    assert_near(o.emp.counted, 40, EPS);
    assert_near(o.obs.total.employed, 40, EPS);
    /* chat agent has no estimate; operator is Other */
    assert_near(o.obs.total.with_estimate, 30, EPS);
    /* an ESCO occupation row belongs to a group by its unit group (4222: back-office) */
    assert_near(cell_of(&o.obs, "back-office")->employed, 40, EPS);
    assert_near(cell_of(&o.obs, "cultural")->employed, 0, 0);
    assert_int_equal(o.obs.n_cells, 2); /* no row for "other" */
    observed_free(&o);
}

/* ---- (d) breakdowns ------------------------------------------------------------ */

static void test_breakdowns(void **state) {
    obs_state *s = *state;
    observed o;
    /* G 2024: C: 4222 100, 4311 200, 42 500 (counts 400: 4222 is inside);
     * J: 2641 50, 26 80 (counts 30); F: 711 400. Total 1180. */
    observe(s, "G", 2024, FOW_RISK_MODEL_MCC, FOW_BY_MAJOR, &o);
    assert_near(o.obs.total.employed, 1180, EPS);
    assert_int_equal(o.obs.n_cells, 3);
    assert_string_equal(o.obs.cells[0].key, "2");
    assert_string_equal(o.obs.cells[1].key, "4");
    assert_string_equal(o.obs.cells[2].key, "7");
    assert_string_equal(o.obs.cells[1].label, "Test clerks");
    assert_near(cell_of(&o.obs, "2")->employed, 80, EPS);
    const fow_observe_cell *c4 = cell_of(&o.obs, "4");
    assert_near(c4->employed, 700, EPS);
    assert_int_equal(c4->rows, 3);
    /* high: 100 x .5 + 200 + 400 x .5 = 450; mean (100 x 3.5 + 200 x 4.2 + 400 x 3.5) / 700 = 3.7 */
    assert_near(c4->category[FOW_CAT_HIGH], 450, EPS);
    assert_shares(c4, 0, 250.0 / 700, 450.0 / 700);
    assert_near(fow_observe_mean(c4), 3.7, EPS);
    assert_near(cell_of(&o.obs, "7")->employed, 400, EPS);
    assert_cells_add_up(&o.obs);
    observed_free(&o);

    observe(s, "G", 2024, FOW_RISK_MODEL_MCC, FOW_BY_SUBMAJOR, &o);
    assert_int_equal(o.obs.n_cells, 4);
    assert_near(cell_of(&o.obs, "26")->employed, 80, EPS);
    assert_near(cell_of(&o.obs, "42")->employed, 500, EPS);
    assert_near(cell_of(&o.obs, "43")->employed, 200, EPS);
    assert_near(cell_of(&o.obs, "71")->employed, 400, EPS);
    assert_cells_add_up(&o.obs);
    observed_free(&o);

    observe(s, "G", 2024, FOW_RISK_MODEL_MCC, FOW_BY_SECTOR, &o);
    assert_int_equal(o.obs.n_cells, 3);
    assert_string_equal(o.obs.cells[0].key, "C");
    assert_near(cell_of(&o.obs, "C")->employed, 700, EPS);
    assert_near(cell_of(&o.obs, "F")->employed, 400, EPS);
    assert_near(cell_of(&o.obs, "J")->employed, 80, EPS);
    assert_cells_add_up(&o.obs);
    observed_free(&o);

    /* groups: back-office = 4222 + 4311 (431 is on the list) = 300; 42 contains
     * 4222 and 4223 but also others: partial (its 400), counted under other.
     * cultural = 2641 (264 is on the list) = 50; 26 is partial (its 30).
     * other = 711 400 + 42 400 + 26 30 = 830. */
    observe(s, "G", 2024, FOW_RISK_MODEL_MCC, FOW_BY_GROUP, &o);
    assert_int_equal(o.obs.n_cells, 3);
    assert_string_equal(o.obs.cells[0].key, "back-office");
    assert_string_equal(o.obs.cells[1].key, "cultural");
    assert_string_equal(o.obs.cells[2].key, "other");
    const fow_observe_cell *bo = cell_of(&o.obs, "back-office"), *cu = cell_of(&o.obs, "cultural"),
                           *ot = cell_of(&o.obs, "other");
    assert_near(bo->employed, 300, EPS);
    assert_near(bo->partial, 400, EPS);
    assert_near(bo->category[FOW_CAT_HIGH], 250, EPS);
    assert_near(cu->employed, 50, EPS);
    assert_near(cu->partial, 30, EPS);
    assert_shares(cu, 1, 0, 0);
    assert_near(ot->employed, 830, EPS);
    assert_near(ot->partial, 0, 0);
    assert_cells_add_up(&o.obs);
    observed_free(&o);

    observe(s, "G", 2024, FOW_RISK_MODEL_MCC, FOW_BY_NONE, &o);
    assert_int_equal(o.obs.n_cells, 0);
    observed_free(&o);

    /* a 1-digit row stays under its digit with --by submajor */
    observe(s, "S", 2024, FOW_RISK_MODEL_MCC, FOW_BY_SUBMAJOR, &o);
    assert_near(cell_of(&o.obs, "4")->employed, 100, EPS);
    assert_near(cell_of(&o.obs, "42")->employed, 200, EPS);
    assert_cells_add_up(&o.obs);
    observed_free(&o);

    /* names */
    fow_observe_by by;
    const char *names[] = {"none", "major", "submajor", "sector", "sex", "age", "education", "group"};
    for (int i = 0; i < 8; i++) {
        assert_int_equal(fow_observe_by_parse(names[i], &by), 0);
        assert_int_equal(by, i);
        assert_string_equal(fow_observe_by_name(by), names[i]);
    }
    assert_int_equal(fow_observe_by_parse("nonsense", &by), -1);
    assert_non_null(fow_occupation_group_find("cultural"));
    assert_non_null(fow_occupation_group_find("back-office"));
    assert_null(fow_occupation_group_find("nonsense"));
}

/* ---- over time, between places, JSON and CSV ----------------------------------- */

static json_t *jpath(json_t *j, const char *a, const char *b) {
    json_t *x = json_object_get(j, a);
    if (b) x = json_object_get(x, b);
    if (!x) fail_msg("no %s.%s", a, b ? b : "");
    return x;
}

static void test_compare_and_reference(void **state) {
    obs_state *s = *state;
    observed now, then, ref;
    /* A 2024: high .1, mean 2.7, 1000 persons; A 2023: 4311 200, 2641 300,
     * 711 300: high .25, mean (840 + 600 + 840) / 800 = 2.85; B 2024: 4311 50,
     * 2641 50: high .5 */
    observe(s, "A", 2024, FOW_RISK_MODEL_MCC, FOW_BY_MAJOR, &now);
    observe(s, "A", 2023, FOW_RISK_MODEL_MCC, FOW_BY_MAJOR, &then);
    observe(s, "B", 2024, FOW_RISK_MODEL_MCC, FOW_BY_MAJOR, &ref);
    json_t *j = fow_json_observation(s->est, &now.obs, &then.obs, &ref.obs, NULL);
    assert_non_null(j);
    json_t *change = jpath(j, "total", "change");
    assert_near(json_real_value(json_object_get(change, "share_high_change_pp")), -15, EPS);
    assert_near(json_real_value(json_object_get(change, "employed_change")), 200, EPS);
    assert_near(json_real_value(json_object_get(change, "mean_risk_change")), 2.7 - 2.85, EPS);
    json_t *lq = jpath(j, "total", "lq");
    assert_near(json_real_value(json_object_get(lq, "lq_high_risk")), 0.1 / 0.5, EPS);
    assert_near(json_real_value(json_object_get(lq, "reference_share_high")), 0.5, EPS);
    assert_int_equal(json_integer_value(json_object_get(j, "compare_year")), 2023);
    assert_string_equal(json_string_value(jpath(j, "reference", "area")), "B");
    /* the breakdown: major 4 is 100 of 1000 here and 50 of 100 in B */
    json_t *breakdown = json_object_get(j, "breakdown");
    assert_int_equal(json_array_size(breakdown), 3);
    json_t *c4 = json_array_get(breakdown, 1);
    assert_string_equal(json_string_value(json_object_get(c4, "key")), "4");
    assert_near(json_real_value(json_object_get(c4, "share_of_employment")), 0.1, EPS);
    assert_near(json_real_value(jpath(c4, "lq", "lq_employment")), 0.1 / 0.5, EPS);
    /* major 7 is not in B: no quotient */
    json_t *c7 = json_array_get(breakdown, 2);
    assert_true(json_is_null(json_object_get(c7, "lq")));
    /* shares in the JSON sum to 1 */
    json_t *total = json_object_get(j, "total");
    assert_near(json_real_value(json_object_get(total, "share_low")) +
                    json_real_value(json_object_get(total, "share_middle")) +
                    json_real_value(json_object_get(total, "share_high")),
                1.0, EPS);
    /* the summary only, unless the units are asked for (issue 16): their
     * number, not them */
    assert_null(json_object_get(j, "units"));
    assert_null(json_object_get(j, "units_offset"));
    assert_int_equal(json_integer_value(json_object_get(j, "n_units")), 3);
    fow_units_request all = {true, 0, 0}, none = {false, 1, 1}, page = {true, 1, 1}, past = {true, 5, 2},
                      rest = {true, 1, 0};
    json_t *with = fow_json_observation(s->est, &now.obs, NULL, NULL, &all);
    assert_int_equal(json_array_size(json_object_get(with, "units")), 3);
    assert_int_equal(json_integer_value(json_object_get(with, "n_units")), 3);
    assert_int_equal(json_integer_value(json_object_get(with, "units_offset")), 0);
    /* the summary is the same with the units or without */
    json_t *without = fow_json_observation(s->est, &now.obs, NULL, NULL, &none);
    assert_null(json_object_get(without, "units"));
    json_t *summary = json_deep_copy(with);
    json_object_del(summary, "units");
    json_object_del(summary, "units_offset");
    assert_true(json_equal(summary, without));
    json_decref(summary);
    json_decref(without);
    /* a page: the second unit only, and the same as the second of all */
    json_t *second = fow_json_observation(s->est, &now.obs, NULL, NULL, &page);
    assert_int_equal(json_array_size(json_object_get(second, "units")), 1);
    assert_int_equal(json_integer_value(json_object_get(second, "units_offset")), 1);
    assert_true(json_equal(json_array_get(json_object_get(second, "units"), 0),
                           json_array_get(json_object_get(with, "units"), 1)));
    json_decref(second);
    /* from the second to the end; past the end, none */
    json_t *tail = fow_json_observation(s->est, &now.obs, NULL, NULL, &rest);
    assert_int_equal(json_array_size(json_object_get(tail, "units")), 2);
    json_decref(tail);
    json_t *beyond = fow_json_observation(s->est, &now.obs, NULL, NULL, &past);
    assert_int_equal(json_array_size(json_object_get(beyond, "units")), 0);
    assert_int_equal(json_integer_value(json_object_get(beyond, "n_units")), 3);
    json_decref(beyond);
    json_decref(with);
    /* the breakdown as CSV: a header and one line per cell */
    char *csv = fow_json_table_csv(breakdown);
    assert_non_null(csv);
    assert_true(strncmp(csv, "key,label,employed,", 19) == 0);
    int lines = 0;
    for (const char *p = csv; *p; p++) lines += *p == '\n';
    assert_int_equal(lines, 4);
    free(csv);
    json_decref(j);
    observed_free(&now);
    observed_free(&then);
    observed_free(&ref);

    /* CSV quoting: commas and quotes quoted, quotes doubled, null empty */
    json_t *t = json_pack("[{s:s, s:f, s:n, s:b, s:[]}]", "a", "x,\"y\"", "b", 1.5, "c", "d", 1, "nested");
    csv = fow_json_table_csv(t);
    assert_string_equal(csv, "a,b,c,d\r\n\"x,\"\"y\"\"\",1.5,,true\r\n");
    free(csv);
    json_decref(t);
    assert_null(fow_json_table_csv(NULL));
}

static void test_not_found(void **state) {
    obs_state *s = *state;
    fow_employment emp;
    fow_error err;
    fow_error_clear(&err);
    assert_int_equal(fow_employment_load(s->ro, s->m, "Z", 2024, &emp, &err), FOW_ENOTFOUND);
    assert_contains(err.message, "the areas are: A, B, E, G, L, N, S, T, X");
    fow_employment_free(&emp);
    fow_error_clear(&err);
    assert_int_equal(fow_employment_load(s->ro, s->m, "A", 1999, &emp, &err), FOW_ENOTFOUND);
    assert_contains(err.message, "it has the years 2023, 2024");
    fow_employment_free(&emp);
    json_t *areas = fow_employment_areas_json(s->ro, &err);
    assert_non_null(areas);
    assert_int_equal(json_array_size(areas), 9);
    json_t *a = json_array_get(areas, 0);
    assert_string_equal(json_string_value(json_object_get(a, "area")), "A");
    assert_int_equal(json_array_size(json_object_get(a, "years")), 2);
    json_t *n = json_array_get(areas, 5);
    assert_string_equal(json_string_value(json_object_get(n, "area")), "N");
    json_t *n2022 = json_array_get(json_object_get(n, "years"), 1);
    assert_int_equal(json_integer_value(json_object_get(n2022, "masked")), 1);
    json_decref(areas);
}

/* ---- (f) transitions at scale --------------------------------------------------- */

static void check_scale_bookkeeping(const fow_move_profiles *p, const fow_scale_result *r) {
    double origins = 0, with_n = 0, none = 0, moving = 0, placed = 0;
    for (uint32_t i = 0; i < r->n_origins; i++) {
        const fow_scale_origin *o = &r->origins[i];
        origins += o->workers;
        placed += o->placed;
        assert_true(o->placed <= o->workers + EPS);
        if (o->moves >= r->min_moves) with_n += o->workers;
        if (o->moves == 0) {
            none += o->workers;
            assert_near(o->placed, 0, 0);
        }
        if (p->computed[o->occupation] && p->n_moves[o->occupation]) moving += o->workers;
        if (i) assert_true(r->origins[i - 1].workers >= o->workers);
    }
    assert_true(r->with_min_moves <= r->high_risk_workers + EPS);
    assert_near(origins + r->no_occupation, r->high_risk_workers, EPS);
    assert_near(with_n, r->with_min_moves, EPS);
    assert_near(none, r->without_moves, EPS);
    /* placed + unplaced = the workers who move, for every reason */
    assert_near(r->placed + r->unplaced, r->high_risk_workers, 1e-6);
    assert_near(r->unplaced, r->without_moves + r->no_occupation + r->no_room, 1e-6);
    assert_near(placed, r->placed, 1e-6);
    assert_near(moving, r->placed + r->no_room, 1e-6);
    /* no destination takes in more than its room; a worker wanted there is counted once */
    double dest = 0, wanted = 0;
    for (uint32_t i = 0; i < r->n_destinations; i++) {
        const fow_scale_destination *d = &r->destinations[i];
        assert_true(d->placed <= d->capacity * (1 + 1e-9) + 1e-9);
        assert_near(d->capacity, d->employment * r->capacity.share * r->capacity.years, 1e-9 * (1 + d->capacity));
        dest += d->placed;
        wanted += d->wanted;
        if (i) assert_true(r->destinations[i - 1].placed >= d->placed);
    }
    assert_near(dest, r->placed, 1e-6);
    assert_near(wanted, moving, 1e-6);
    double learners = 0;
    for (uint32_t i = 0; i < r->n_skills; i++) learners += r->skills[i].workers;
    assert_true(r->placed > 0 || learners == 0);
}

static void test_transitions_at_scale(void **state) {
    obs_state *s = *state;
    observed o;
    fow_error err;
    fow_error_clear(&err);
    observe(s, "S", 2024, FOW_RISK_MODEL_MCC, FOW_BY_NONE, &o);
    /* the origins of the high-risk workers: High occupations inside their rows' codes;
     * 961 has no occupation at all */
    uint32_t *origins, n_origins;
    assert_fow_ok(fow_observation_origins(s->est, &o.obs, 1, &origins, &n_origins, &err), &err);
    uint32_t want[] = {AGENT, INBOUND, BOOKKEEPER, TYPIST};
    assert_int_equal(n_origins, 4);
    for (uint32_t i = 0; i < n_origins; i++) assert_int_equal(origins[i], want[i]);
    fow_move_profiles *mine = NULL;
    assert_fow_ok(fow_move_profiles_build(s->index, FOW_RISK_MODEL_MCC, origins, n_origins, 5, 0, &mine, &err), &err);
    free(origins);
    /* a tiny check that the profiles have a move to spread workers over:
     * agent -> operator (Other, 3.0 < 4.0; earnings 21000 / 22000, same job zone) */
    assert_true(mine->computed[AGENT]);
    assert_false(mine->computed[OPERATOR]);
    bool to_operator = false;
    for (uint32_t r = 0; r < mine->n_moves[AGENT]; r++)
        to_operator |= mine->moves[mine->first[AGENT] + r].destination == OPERATOR;
    assert_true(to_operator);

    fow_scale_result r;
    const fow_capacity unlimited = {1, 50}; /* 50 times each destination's employment */
    assert_fow_ok(fow_transitions_at_scale(s->est, &o.obs, mine, 1, &unlimited, &r, &err), &err);
    /* 4222 200 x .5 = 100 over agent and inbound; 4311 100 to bookkeeper;
     * 4 100 x .75 = 75 over agent, inbound, bookkeeper, typist; 961 20, nowhere to go */
    assert_near(r.high_risk_workers, 295, EPS);
    assert_near(r.no_occupation, 20, EPS);
    assert_int_equal(r.n_origins, 4);
    assert_int_equal(r.origins[0].occupation, BOOKKEEPER);
    assert_near(r.origins[0].workers, 118.75, EPS);
    assert_int_equal(r.origins[1].occupation, AGENT);
    assert_near(r.origins[1].workers, 68.75, EPS);
    assert_int_equal(r.origins[2].occupation, INBOUND);
    assert_near(r.origins[2].workers, 68.75, EPS);
    assert_int_equal(r.origins[3].occupation, TYPIST);
    assert_near(r.origins[3].workers, 18.75, EPS);
    assert_true(r.n_destinations > 0);
    assert_true(r.with_min_moves > 0);
    check_scale_bookkeeping(mine, &r);
    /* the same with profiles of every occupation */
    fow_scale_result all;
    assert_fow_ok(fow_transitions_at_scale(s->est, &o.obs, s->profiles[FOW_RISK_MODEL_MCC], 1, &unlimited, &all, &err), &err);
    assert_near(all.with_min_moves, r.with_min_moves, EPS);
    assert_int_equal(all.n_destinations, r.n_destinations);
    for (uint32_t i = 0; i < r.n_destinations; i++) {
        assert_int_equal(all.destinations[i].occupation, r.destinations[i].occupation);
        assert_near(all.destinations[i].placed, r.destinations[i].placed, EPS);
    }
    fow_scale_result_free(&all);
    fow_scale_result_free(&r);
    /* more moves than anyone has: nobody */
    assert_fow_ok(fow_transitions_at_scale(s->est, &o.obs, mine, 10000, NULL, &r, &err), &err);
    assert_near(r.with_min_moves, 0, 0);
    check_scale_bookkeeping(mine, &r);
    fow_scale_result_free(&r);
    fow_move_profiles_free(mine);
    observed_free(&o);

    /* the other model and the other tables */
    const char *areas[] = {"A", "G", "N", "E", "X"};
    int years[] = {2024, 2024, 2021, 2024, 2024};
    const fow_capacity tight = {0.01, 1}, *caps[3] = {NULL, &unlimited, &tight};
    for (int m = 0; m < 2; m++)
        for (int a = 0; a < 5; a++) {
            observe(s, areas[a], years[a], (fow_risk_model)m, FOW_BY_NONE, &o);
            for (uint32_t n = 0; n <= 3; n++) {
                assert_fow_ok(fow_transitions_at_scale(s->est, &o.obs, s->profiles[m], n, caps[n % 3], &r, &err), &err);
                check_scale_bookkeeping(s->profiles[m], &r);
                fow_scale_result_free(&r);
            }
            observed_free(&o);
        }
    /* moves per worker out of range */
    fow_move_profiles *bad = NULL;
    assert_int_equal(fow_move_profiles_build(s->index, FOW_RISK_MODEL_MCC, NULL, 0, 0, 1, &bad, &err), FOW_EINPUT);
    assert_null(bad);
    assert_int_equal(fow_move_profiles_build(s->index, FOW_RISK_MODEL_MCC, NULL, 0, 51, 1, &bad, &err), FOW_EINPUT);
}

/* Capacity: with unlimited room everyone with a move is placed; with none,
 * nobody; in between no destination takes more than its room, and a
 * limit that binds places fewer. Bad limits are refused, naming them. */
static void test_scale_capacity(void **state) {
    obs_state *s = *state;
    observed o;
    fow_error err;
    fow_error_clear(&err);
    observe(s, "S", 2024, FOW_RISK_MODEL_MCC, FOW_BY_NONE, &o);
    const fow_move_profiles *p = s->profiles[FOW_RISK_MODEL_MCC];
    fow_scale_result all, none, some;
    const fow_capacity unlimited = {1, 50}, zero = {0, 10}, tight = {0.02, 1};
    assert_fow_ok(fow_transitions_at_scale(s->est, &o.obs, p, 1, &unlimited, &all, &err), &err);
    check_scale_bookkeeping(p, &all);
    assert_true(all.placed > 0);
    assert_near(all.no_room, 0, 1e-9);
    /* only destinations with no employment in the area (no room at all) are full */
    for (uint32_t i = 0; i < all.n_destinations; i++)
        if (all.destinations[i].employment > 0) assert_true(all.destinations[i].placed < all.destinations[i].capacity);
    assert_fow_ok(fow_transitions_at_scale(s->est, &o.obs, p, 1, &zero, &none, &err), &err);
    check_scale_bookkeeping(p, &none);
    assert_near(none.placed, 0, 0);
    assert_near(none.no_room, all.placed, 1e-9);
    assert_fow_ok(fow_transitions_at_scale(s->est, &o.obs, p, 1, &tight, &some, &err), &err);
    check_scale_bookkeeping(p, &some);
    assert_true(some.placed > 0 && some.placed < all.placed);
    assert_true(some.full_destinations > 0);
    /* the room of a destination: 2% of its employment, spread from the rows'
     * codes: operator has 200 / 4 (4222: agent, operator, inbound, chat) +
     * 100 / 7 (the rest of row 4 over its 7 occupations) */
    for (uint32_t i = 0; i < some.n_destinations; i++)
        if (some.destinations[i].occupation == OPERATOR) {
            assert_near(some.destinations[i].employment, 200.0 / 4 + 100.0 / 7, 1e-9);
            assert_near(some.destinations[i].capacity, 0.02 * (200.0 / 4 + 100.0 / 7), 1e-9);
        }
    /* the default limit */
    fow_scale_result dflt;
    assert_fow_ok(fow_transitions_at_scale(s->est, &o.obs, p, 1, NULL, &dflt, &err), &err);
    assert_near(dflt.capacity.share, FOW_CAPACITY_SHARE_DEFAULT, 0);
    assert_int_equal(dflt.capacity.years, FOW_CAPACITY_YEARS_DEFAULT);
    check_scale_bookkeeping(p, &dflt);
    fow_scale_result_free(&dflt);
    fow_scale_result_free(&all);
    fow_scale_result_free(&none);
    fow_scale_result_free(&some);
    /* bad limits */
    static const struct {
        double share;
        int years;
        const char *field;
    } bad[] = {{-0.01, 10, "capacity_share"}, {1.01, 10, "capacity_share"}, {NAN, 10, "capacity_share"},
               {0.05, 0, "capacity_years"},   {0.05, 51, "capacity_years"}, {0.05, -3, "capacity_years"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fow_capacity c = {bad[i].share, bad[i].years};
        fow_scale_result r;
        fow_error_clear(&err);
        assert_int_equal(fow_transitions_at_scale(s->est, &o.obs, p, 1, &c, &r, &err), FOW_EINPUT);
        assert_string_equal(err.field, bad[i].field);
        assert_contains(err.message, bad[i].field);
        assert_null(r.destinations);
        fow_error_clear(&err);
        assert_int_equal(fow_capacity_check(&c, &err), FOW_EINPUT);
    }
    observed_free(&o);
}

/* ---- (e) scenarios ---------------------------------------------------------------- */

static void run_scenario(const obs_state *s, const observed *o, const fow_scenario_params *p, fow_scenario_result *r) {
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_scenario_run(s->est, &o->obs, s->profiles[o->obs.model], p, r, &err), &err);
}

static void custom(fow_scenario_params *p, double ceiling, double speed, double midpoint, int years) {
    fow_scenario_preset("medium", p);
    snprintf(p->adoption, sizeof p->adoption, "custom");
    p->ceiling = ceiling;
    p->speed = speed;
    p->midpoint = midpoint;
    p->years = years;
}

/* What holds for every result: the years add up, never more displaced than
 * employed, training follows the displaced, everyone retraining goes
 * somewhere or is counted as without moves. */
static void check_scenario(const fow_scenario_result *r) {
    const fow_scenario_params *p = &r->params;
    assert_int_equal(r->n_years, p->years);
    double displaced = 0, retraining = 0, hours = 0, budget = 0, previous = 0;
    for (uint32_t i = 0; i < r->n_years; i++) {
        const fow_scenario_year *y = &r->years[i];
        assert_int_equal(y->year, r->start_year + (int)i + 1);
        assert_true(y->displaced >= 0);
        assert_true(y->adoption >= previous - 1e-15 && y->adoption <= p->ceiling + 1e-15);
        previous = y->adoption;
        displaced += y->displaced;
        assert_near(y->cumulative, displaced, 1e-9 * (1 + r->employed));
        assert_true(y->cumulative <= r->employed + 1e-9);
        assert_true(y->cumulative <= r->exposed + 1e-9);
        assert_near(y->retraining, y->displaced * p->retrain_share, 1e-9 * (1 + r->employed));
        assert_near(y->budget, y->hours * p->cost_per_hour, 1e-6 * (1 + y->budget));
        /* every figure inside its band */
        const fow_range *bands[] = {&y->displaced_band, &y->cumulative_band, &y->retraining_band, &y->hours_band,
                                    &y->budget_band};
        const double values[] = {y->displaced, y->cumulative, y->retraining, y->hours, y->budget};
        for (int b = 0; b < 5; b++) {
            assert_true(bands[b]->low <= values[b] * (1 + 1e-12) + 1e-9);
            assert_true(bands[b]->high >= values[b] * (1 - 1e-12) - 1e-9);
        }
        assert_true(y->cumulative_band.high <= r->employed + 1e-9);
        retraining += y->retraining;
        hours += y->hours;
        budget += y->budget;
    }
    assert_near(r->displaced, displaced, 1e-9 * (1 + r->employed));
    assert_near(r->retraining, retraining, 1e-9 * (1 + r->employed));
    assert_near(r->hours, hours, 1e-6 * (1 + hours));
    assert_near(r->budget, budget, 1e-6 * (1 + budget));
    double dest = 0, learners = 0, units = 0;
    double wanted = 0;
    for (uint32_t i = 0; i < r->n_destinations; i++) {
        const fow_weighted *d = &r->destinations[i];
        dest += d->workers;
        wanted += d->wanted;
        /* no destination takes in more than its room; the placed within their band */
        assert_true(d->workers <= d->capacity * (1 + 1e-9) + 1e-9);
        assert_true(d->low <= d->workers + 1e-9 && d->workers <= d->high + 1e-9);
        if (i) assert_true(r->destinations[i - 1].workers >= d->workers);
    }
    for (uint32_t i = 0; i < r->n_skills; i++) learners += r->skills[i].workers;
    for (uint32_t i = 0; i < r->n_units; i++) units += r->units[i].displaced;
    /* every retraining worker is placed, finds no room, or has no move */
    assert_near(wanted + r->without_moves, r->retraining, 1e-9 * (1 + r->employed));
    assert_near(dest, r->placed, 1e-6 * (1 + r->employed));
    assert_near(r->placed + r->no_room + r->without_moves, r->retraining, 1e-6 * (1 + r->employed));
    assert_true(r->placed_band.low <= r->placed + 1e-9 && r->placed <= r->placed_band.high + 1e-9);
    assert_near(learners * p->hours_per_skill, r->hours, 1e-6 * (1 + r->hours));
    assert_near(units, r->displaced, 1e-9 * (1 + r->employed));
    assert_true(r->displaced_band.low <= r->displaced + 1e-9 && r->displaced <= r->displaced_band.high + 1e-9);
    assert_true(r->budget_band.low <= r->budget + 1e-6 && r->budget <= r->budget_band.high + 1e-6);

    for (uint32_t i = 0; i < r->n_units; i++) {
        const fow_scenario_unit *u = &r->units[i];
        if (isnan(u->exposure)) continue;
        assert_true(u->exposure_band.low <= u->exposure && u->exposure <= u->exposure_band.high);
        assert_true(u->exposure_band.low >= 0 && u->exposure_band.high <= 1);
    }
}

static void test_scenario_params(void **state) {
    (void)state;
    fow_scenario_params p;
    assert_int_equal(fow_scenario_preset("slow", &p), 0);
    assert_string_equal(p.adoption, "slow");
    assert_near(p.ceiling, 0.15, 0);
    assert_int_equal(p.years, 20);
    assert_near(p.retrain_share, 1, 0);
    assert_near(p.hours_per_skill, 40, 0);
    assert_near(p.cost_per_hour, 10, 0);
    assert_near(p.capacity_share, FOW_CAPACITY_SHARE_DEFAULT, 0);
    assert_int_equal(fow_scenario_preset("fast", &p), 0);
    assert_near(p.ceiling, 0.5, 0);
    assert_int_equal(fow_scenario_preset("bogus", &p), -1);
    assert_string_equal(p.adoption, "medium");
    assert_near(p.ceiling, 0.3, 0);
    fow_error err;
    fow_error_clear(&err);
    assert_fow_ok(fow_scenario_params_check(&p, &err), &err);
    /* A(0) = 0; with ceiling 1, speed 1, midpoint 0: A(t) = 2 L(t) - 1 = tanh(t / 2) */
    custom(&p, 1, 1, 0, 20);
    assert_near(fow_scenario_adoption(&p, 0), 0, 0);
    assert_near(fow_scenario_adoption(&p, 1), tanh(0.5), 1e-12);
    assert_near(fow_scenario_adoption(&p, 4), tanh(2), 1e-12);
    custom(&p, 0, 1, 0, 20);
    assert_near(fow_scenario_adoption(&p, 10), 0, 0);
    /* every parameter out of range is rejected, naming it */
    static const struct {
        const char *field;
        double value;
    } bad[] = {{"ceiling", -0.01}, {"ceiling", 1.01},       {"ceiling", NAN},       {"speed", 0},
               {"speed", -1},      {"speed", 10.5},         {"speed", NAN},         {"midpoint", -1},
               {"midpoint", 201},  {"years", 0},            {"years", 101},         {"retrain_share", -0.1},
               {"retrain_share", 1.5}, {"hours_per_skill", 0}, {"hours_per_skill", 10001},
               {"cost_per_hour", -1}, {"cost_per_hour", 2e6}, {"cost_per_hour", NAN},
               {"capacity_share", -0.01}, {"capacity_share", 1.01}, {"capacity_share", NAN}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fow_scenario_preset("medium", &p);
        const char *f = bad[i].field;
        double v = bad[i].value;
        if (!strcmp(f, "ceiling")) p.ceiling = v;
        else if (!strcmp(f, "speed")) p.speed = v;
        else if (!strcmp(f, "midpoint")) p.midpoint = v;
        else if (!strcmp(f, "years")) p.years = (int)v;
        else if (!strcmp(f, "retrain_share")) p.retrain_share = v;
        else if (!strcmp(f, "hours_per_skill")) p.hours_per_skill = v;
        else if (!strcmp(f, "capacity_share")) p.capacity_share = v;
        else p.cost_per_hour = v;
        fow_error_clear(&err);
        if (fow_scenario_params_check(&p, &err) != FOW_EINPUT) fail_msg("%s = %g was accepted", f, v);
        assert_string_equal(err.field, f);
        assert_contains(err.message, f);
    }
    /* the edges are allowed */
    custom(&p, 0, 10, 200, 100);
    p.retrain_share = 0;
    p.cost_per_hour = 0;
    assert_fow_ok(fow_scenario_params_check(&p, &err), &err);
    custom(&p, 1, 1e-6, 0, 1);
    p.hours_per_skill = 10000;
    p.cost_per_hour = 1e6;
    assert_fow_ok(fow_scenario_params_check(&p, &err), &err);
}

static void test_scenario_by_hand(void **state) {
    obs_state *s = *state;
    observed o;
    observe(s, "S", 2024, FOW_RISK_MODEL_MCC, FOW_BY_NONE, &o);
    /* exposures (MCC category levels H, O): 4222 (H + O) / 2, 4311 H, 4 .75 H + .25 O, 961 H,
     * 9611 none; the other model (F&O) gives 4222 .8, 4311 .3, 4 .725, 961 and 9611 none */
    const double H = LEVEL_HIGH, O = LEVEL_OTHER;
    const double x4222 = (H + O) / 2, x4 = 0.75 * H + 0.25 * O;
    const double jobs = 200 * x4222 + 100 * H + 100 * x4 + 20 * H;
    /* bands: the envelope of MCC's quartile range and F&O's value of each row */
    const double lo4222 = fmin(x4222, (HIGH_Q1 + O) / 2), hi4222 = fmax(0.8, (HIGH_Q3 + O) / 2);
    const double lo4 = fmin(0.725, 0.75 * HIGH_Q1 + 0.25 * O), hi4 = fmax(0.725, 0.75 * HIGH_Q3 + 0.25 * O);
    const double jobs_low = 200 * lo4222 + 100 * 0.3 + 100 * lo4 + 20 * HIGH_Q1;
    const double jobs_high = 200 * hi4222 + 100 * HIGH_Q3 + 100 * hi4 + 20 * HIGH_Q3;
    fow_scenario_params p;
    custom(&p, 1, 1, 0, 3);
    p.retrain_share = 0.5;
    p.hours_per_skill = 20;
    p.cost_per_hour = 7;
    fow_scenario_result r;
    run_scenario(s, &o, &p, &r);
    assert_int_equal(r.start_year, 2024);
    assert_near(r.employed, 470, EPS);
    assert_near(r.exposed, 420, EPS);
    assert_near(r.both_models, 400, EPS); /* 961's 20 have no F&O estimate */
    assert_near(r.mean_exposure, jobs / 420, EPS);
    assert_near(r.mean_exposure_band.low, jobs_low / 420, EPS);
    assert_near(r.mean_exposure_band.high, jobs_high / 420, EPS);
    assert_int_equal(r.years[0].year, 2025);
    assert_near(r.years[0].adoption, tanh(0.5), 1e-12);
    assert_near(r.years[0].displaced, jobs * tanh(0.5), 1e-9);
    assert_near(r.years[0].displaced_band.low, jobs_low * tanh(0.5), 1e-9);
    assert_near(r.years[0].displaced_band.high, jobs_high * tanh(0.5), 1e-9);
    assert_near(r.years[1].displaced, jobs * (tanh(1) - tanh(0.5)), 1e-9);
    assert_near(r.years[2].cumulative, jobs * tanh(1.5), 1e-9);
    assert_near(r.retraining, 0.5 * jobs * tanh(1.5), 1e-9);
    assert_near(r.retraining_band.high, 0.5 * jobs_high * tanh(1.5), 1e-9);
    /* 961's 20 x H exposed jobs have no ESCO occupation to move from */
    assert_true(r.without_moves >= 0.5 * 20 * H * tanh(1.5) - 1e-9);
    /* units: most displaced first; 9611 (no estimate) last, nothing displaced */
    assert_int_equal(r.n_units, 5);
    assert_near(r.units[0].displaced, 200 * x4222 * tanh(1.5), 1e-9);
    assert_near(r.units[0].other_exposure, 0.8, EPS);
    assert_near(r.units[0].exposure_band.low, lo4222, EPS);
    assert_near(r.units[0].exposure_band.high, hi4222, EPS);
    assert_true(isnan(r.units[4].exposure));
    assert_near(r.units[4].displaced, 0, 0);
    check_scenario(&r);
    /* JSON: every parameter shown with its value */
    json_t *j = fow_json_scenario(s->est, &o.obs, s->profiles[0], &r, 0, NULL);
    assert_non_null(j);
    json_t *params = json_object_get(j, "parameters");
    assert_string_equal(json_string_value(json_object_get(params, "adoption")), "custom");
    assert_near(json_real_value(json_object_get(params, "ceiling")), 1, 0);
    assert_near(json_real_value(json_object_get(params, "cost_per_hour")), 7, 0);
    assert_int_equal(json_array_size(json_object_get(j, "years")), 3);
    json_decref(j);
    fow_scenario_result_free(&r);
    /* the capacity: with none, nobody is placed; with room for all, everyone with a move */
    fow_scenario_result none, all;
    p.capacity_share = 0;
    run_scenario(s, &o, &p, &none);
    check_scenario(&none);
    assert_near(none.placed, 0, 0);
    assert_near(none.no_room, r.placed + r.no_room, 1e-9);
    p.capacity_share = 1;
    run_scenario(s, &o, &p, &all);
    check_scenario(&all);
    assert_true(all.placed >= r.placed - 1e-9);
    fow_scenario_result_free(&none);
    fow_scenario_result_free(&all);
    /* a bad parameter fails the run */
    fow_error err;
    fow_error_clear(&err);
    p.capacity_share = 1.5;
    assert_int_equal(fow_scenario_run(s->est, &o.obs, s->profiles[0], &p, &none, &err), FOW_EINPUT);
    assert_string_equal(err.field, "capacity_share");
    p.capacity_share = 0.05;
    p.ceiling = 2;
    fow_error_clear(&err);
    assert_int_equal(fow_scenario_run(s->est, &o.obs, s->profiles[0], &p, &r, &err), FOW_EINPUT);
    assert_string_equal(err.field, "ceiling");
    observed_free(&o);
}

static void test_scenario_invariants(void **state) {
    obs_state *s = *state;
    const char *areas[] = {"A", "G", "N", "S", "X", "E"};
    int years[] = {2024, 2024, 2022, 2024, 2024, 2024};
    for (int m = 0; m < 2; m++)
        for (int a = 0; a < 6; a++) {
            observed o;
            observe(s, areas[a], years[a], (fow_risk_model)m, FOW_BY_NONE, &o);
            fow_scenario_params p;
            fow_scenario_result r;
            /* no adoption, no displacement */
            custom(&p, 0, 0.5, 5, 20);
            run_scenario(s, &o, &p, &r);
            for (uint32_t i = 0; i < r.n_years; i++) {
                assert_near(r.years[i].displaced, 0, 0);
                assert_near(r.years[i].cumulative, 0, 0);
                assert_near(r.years[i].hours, 0, 0);
                assert_near(r.years[i].budget, 0, 0);
            }
            assert_int_equal(r.n_destinations, 0);
            assert_int_equal(r.n_skills, 0);
            check_scenario(&r);
            fow_scenario_result_free(&r);
            /* extreme: everything exposed automated at once, never more than employed */
            custom(&p, 1, 10, 0, 100);
            run_scenario(s, &o, &p, &r);
            check_scenario(&r);
            double exposed_jobs = r.mean_exposure * r.exposed;
            if (r.exposed > 0) assert_near(r.years[r.n_years - 1].cumulative, exposed_jobs, 1e-6);
            fow_scenario_result_free(&r);
            /* slow <= medium <= fast, cumulative, every year (20 and 100 years) */
            for (int horizon = 20; horizon <= 100; horizon += 80) {
                fow_scenario_result res[3];
                const char *presets[] = {"slow", "medium", "fast"};
                for (int k = 0; k < 3; k++) {
                    assert_int_equal(fow_scenario_preset(presets[k], &p), 0);
                    p.years = horizon;
                    run_scenario(s, &o, &p, &res[k]);
                    check_scenario(&res[k]);
                }
                for (int y = 0; y < horizon; y++) {
                    assert_true(res[0].years[y].cumulative <= res[1].years[y].cumulative + 1e-9);
                    assert_true(res[1].years[y].cumulative <= res[2].years[y].cumulative + 1e-9);
                    assert_true(res[0].years[y].adoption <= res[1].years[y].adoption);
                    assert_true(res[1].years[y].adoption <= res[2].years[y].adoption);
                }
                for (int k = 0; k < 3; k++) fow_scenario_result_free(&res[k]);
            }
            observed_free(&o);
        }
    /* X: 1000 persons with exposure 1 (typist, F&O 1.0): the extreme scenario displaces all of them, no more */
    observed o;
    observe(s, "X", 2024, FOW_RISK_MODEL_FREY_OSBORNE, FOW_BY_NONE, &o);
    fow_scenario_params p;
    fow_scenario_result r;
    custom(&p, 1, 10, 0, 100);
    run_scenario(s, &o, &p, &r);
    assert_near(r.mean_exposure, 1, EPS);
    assert_near(r.years[0].cumulative, 1000 * tanh(5), 1e-9);
    assert_near(r.years[99].cumulative, 1000, 1e-6);
    assert_true(r.years[99].cumulative <= 1000);
    fow_scenario_result_free(&r);
    observed_free(&o);
}

/* Clerks above teachers: the exposure of MCC's High risk category (general
 * office clerks, 411) is above that of Other (primary school teachers,
 * 234), so are the jobs displaced. The linear (risk - 1) / 4 gave them
 * 0.655 and 0.6175, nearly the same. */
static void test_scenario_ordering(void **state) {
    obs_state *s = *state;
    observed o;
    observe(s, "T", 2024, FOW_RISK_MODEL_MCC, FOW_BY_NONE, &o);
    fow_scenario_params p;
    fow_scenario_preset("medium", &p);
    fow_scenario_result r;
    run_scenario(s, &o, &p, &r);
    check_scenario(&r);
    double clerks = NAN, teachers = NAN, clerks_displaced = 0, teachers_displaced = 0;
    for (uint32_t i = 0; i < r.n_units; i++) {
        const fow_employment_row *row = o.obs.units[r.units[i].unit].row;
        if (!strcmp(row->isco, "411")) clerks = r.units[i].exposure, clerks_displaced = r.units[i].displaced;
        if (!strcmp(row->isco, "234")) teachers = r.units[i].exposure, teachers_displaced = r.units[i].displaced;
    }
    assert_near(clerks, LEVEL_HIGH, EPS);
    assert_near(teachers, LEVEL_OTHER, EPS);
    assert_true(clerks > teachers);
    assert_true(clerks_displaced > teachers_displaced);
    assert_string_equal(o.obs.units[r.units[0].unit].row->isco, "411"); /* the clerks displace most */
    /* no F&O estimate for either: the band is MCC's quartile range of each
     * category (Other has a single occupation in the fixture); the clerks'
     * band lies wholly above the teachers' */
    assert_near(r.both_models, 0, 0);
    double final = fow_scenario_adoption(&p, p.years);
    assert_near(r.displaced_band.low, 1000 * (HIGH_Q1 + LEVEL_OTHER) * final, 1e-9);
    assert_near(r.displaced_band.high, 1000 * (HIGH_Q3 + LEVEL_OTHER) * final, 1e-9);
    for (uint32_t i = 0; i < r.n_units; i++)
        if (!strcmp(o.obs.units[r.units[i].unit].row->isco, "411"))
            assert_true(r.units[i].exposure_band.low > LEVEL_OTHER);
    fow_scenario_result_free(&r);
    observed_free(&o);
}

static void test_scenario_reproducible(void **state) {
    obs_state *s = *state;
    for (int m = 0; m < 2; m++) {
        observed o;
        observe(s, "S", 2024, (fow_risk_model)m, FOW_BY_NONE, &o);
        /* profiles built again from the scenario's own origins, on several threads */
        uint32_t *origins, n_origins;
        fow_error err;
        fow_error_clear(&err);
        assert_fow_ok(fow_observation_origins(s->est, &o.obs, 0, &origins, &n_origins, &err), &err);
        fow_move_profiles *again = NULL;
        assert_fow_ok(
            fow_move_profiles_build(s->index, (fow_risk_model)m, origins, n_origins, 5, 4, &again, &err), &err);
        free(origins);
        fow_scenario_params p;
        fow_scenario_preset("fast", &p);
        fow_scenario_result a, b;
        run_scenario(s, &o, &p, &a);
        assert_fow_ok(fow_scenario_run(s->est, &o.obs, again, &p, &b, &err), &err);
        /* field by field: the structs have padding */
        assert_int_equal(a.n_years, b.n_years);
        for (uint32_t i = 0; i < a.n_years; i++) {
            const fow_scenario_year *x = &a.years[i], *y = &b.years[i];
            assert_true(x->year == y->year && x->adoption == y->adoption && x->displaced == y->displaced &&
                        x->cumulative == y->cumulative && x->retraining == y->retraining && x->hours == y->hours &&
                        x->budget == y->budget);
        }
        assert_int_equal(a.n_destinations, b.n_destinations);
        for (uint32_t i = 0; i < a.n_destinations; i++)
            assert_true(a.destinations[i].index == b.destinations[i].index &&
                        a.destinations[i].workers == b.destinations[i].workers &&
                        a.destinations[i].origins == b.destinations[i].origins);
        assert_int_equal(a.n_skills, b.n_skills);
        for (uint32_t i = 0; i < a.n_skills; i++)
            assert_true(a.skills[i].index == b.skills[i].index && a.skills[i].workers == b.skills[i].workers &&
                        a.skills[i].origins == b.skills[i].origins);
        assert_int_equal(a.n_units, b.n_units);
        for (uint32_t i = 0; i < a.n_units; i++)
            assert_true(a.units[i].unit == b.units[i].unit && a.units[i].displaced == b.units[i].displaced &&
                        (a.units[i].exposure == b.units[i].exposure ||
                         (isnan(a.units[i].exposure) && isnan(b.units[i].exposure))));
        assert_true(a.displaced == b.displaced && a.hours == b.hours && a.budget == b.budget &&
                    (a.without_moves == b.without_moves));
        /* and the JSON, byte for byte */
        json_t *ja = fow_json_scenario(s->est, &o.obs, s->profiles[m], &a, 0, NULL);
        json_t *jb = fow_json_scenario(s->est, &o.obs, again, &b, 0, NULL);
        char *ta = json_dumps(ja, JSON_SORT_KEYS), *tb = json_dumps(jb, JSON_SORT_KEYS);
        assert_string_equal(ta, tb);
        free(ta);
        free(tb);
        json_decref(ja);
        json_decref(jb);
        fow_scenario_result_free(&a);
        fow_scenario_result_free(&b);
        fow_move_profiles_free(again);
        observed_free(&o);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_shape),
        cmocka_unit_test(test_estimates_mcc),
        cmocka_unit_test(test_estimates_frey_osborne),
        cmocka_unit_test(test_occupations_in),
        cmocka_unit_test(test_shares_and_mean),
        cmocka_unit_test(test_nested_rows),
        cmocka_unit_test(test_layers),
        cmocka_unit_test(test_nested_occupation_rows),
        cmocka_unit_test(test_breakdowns),
        cmocka_unit_test(test_compare_and_reference),
        cmocka_unit_test(test_not_found),
        cmocka_unit_test(test_transitions_at_scale),
        cmocka_unit_test(test_scale_capacity),
        cmocka_unit_test(test_scenario_params),
        cmocka_unit_test(test_scenario_by_hand),
        cmocka_unit_test(test_scenario_invariants),
        cmocka_unit_test(test_scenario_ordering),
        cmocka_unit_test(test_scenario_reproducible),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
