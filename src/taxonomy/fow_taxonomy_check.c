/* fow_taxonomy_check.c — the expensive consistency checks of the taxonomy
 * (fow_taxonomy_check.h). Plain SQL of the portable subset (NOT EXISTS,
 * EXCEPT, WITH RECURSIVE ... UNION, ||) and the same derivation and
 * folding code that the imports run. */
#include "taxonomy/fow_taxonomy_check.h"

#include <stdio.h>
#include <string.h>

#include "store/fow_db_check.h"
#include "taxonomy/fow_import.h"

#define OOM(err) fow_error_set(err, FOW_ENOMEM, "out of memory checking the taxonomy")

/* How a row of each table is named in a problem (x is the row). */
#define ROW_OCCUPATION "'id ' || x.id || ', uri ' || x.uri"
#define ROW_SKILL "'id ' || x.id || ', label ' || x.label"
#define ROW_GROUP "'code ' || x.code"
#define ROW_RELATION "'occupation_id ' || x.occupation_id || ', skill_id ' || x.skill_id || ', essential ' || x.essential"
#define ROW_PARENT "'occupation_id ' || x.occupation_id || ', parent_id ' || x.parent_id"
#define ROW_OCC_LABEL "'occupation_id ' || x.occupation_id || ', lang ' || x.lang || ', label ' || x.label"
#define ROW_SKILL_LABEL "'skill_id ' || x.skill_id || ', lang ' || x.lang || ', label ' || x.label"
#define ROW_OCC_RISK "'occupation_id ' || x.occupation_id || ', model ' || x.model"
#define ROW_ISCO_RISK "'isco_code ' || x.isco_code || ', model ' || x.model"
#define ROW_SOC_RISK "'soc_code ' || x.soc_code || ', model ' || x.model"
#define ROW_ATTRIBUTES "'occupation_id ' || x.occupation_id"
#define ROW_XW_ISCO "'isco_code ' || x.isco_code || ', soc_code ' || x.soc_code"
#define ROW_XW_ONET "'occupation_uri ' || x.occupation_uri || ', onet_code ' || x.onet_code"

static fow_code check_references(fow_db *db, fow_check_report *report, const char *name, const char *what,
                                 const fow_db_reference *rules, size_t n_rules, fow_check_result **out,
                                 fow_error *err) {
    fow_check_result *c = fow_check_begin(report, name, what);
    if (!c) return OOM(err);
    fow_code rc = FOW_OK;
    for (size_t i = 0; i < n_rules && !rc; i++) rc = fow_db_check_reference(db, c, &rules[i], err);
    if (out) *out = c;
    return rc;
}

/* ---- references -------------------------------------------------------------- */

static const fow_db_reference relation_rules[] = {
    {"occupation_skills", ROW_RELATION, "occupation_id", "occupations", "id"},
    {"occupation_skills", ROW_RELATION, "skill_id", "skills", "id"},
};

static const fow_db_reference parent_rules[] = {
    {"occupation_parents", ROW_PARENT, "occupation_id", "occupations", "id"},
    {"occupation_parents", ROW_PARENT, "parent_id", "occupations", "id"},
};

static const fow_db_reference label_rules[] = {
    {"occupation_labels", ROW_OCC_LABEL, "occupation_id", "occupations", "id"},
    {"skill_labels", ROW_SKILL_LABEL, "skill_id", "skills", "id"},
};

static const fow_db_reference value_rules[] = {
    {"occupation_risk", ROW_OCC_RISK, "occupation_id", "occupations", "id"},
    {"occupation_risk", ROW_OCC_RISK, "from_occupation_id", "occupations", "id"},
    {"occupation_attributes", ROW_ATTRIBUTES, "occupation_id", "occupations", "id"},
    {"occupation_attributes", ROW_ATTRIBUTES, "from_occupation_id", "occupations", "id"},
};

static const fow_db_reference source_rules[] = {
    {"isco_groups", ROW_GROUP, "source_id", "sources", "id"},
    {"occupations", ROW_OCCUPATION, "source_id", "sources", "id"},
    {"skills", ROW_SKILL, "source_id", "sources", "id"},
    {"occupation_labels", ROW_OCC_LABEL, "source_id", "sources", "id"},
    {"skill_labels", ROW_SKILL_LABEL, "source_id", "sources", "id"},
    {"occupation_skills", ROW_RELATION, "source_id", "sources", "id"},
    {"occupation_parents", ROW_PARENT, "source_id", "sources", "id"},
    {"occupation_risk", ROW_OCC_RISK, "source_id", "sources", "id"},
    {"isco_risk", ROW_ISCO_RISK, "source_id", "sources", "id"},
    {"soc_risk", ROW_SOC_RISK, "source_id", "sources", "id"},
    {"occupation_attributes", ROW_ATTRIBUTES, "source_id", "sources", "id"},
    {"crosswalk_isco_soc", ROW_XW_ISCO, "source_id", "sources", "id"},
    {"crosswalk_esco_onet", ROW_XW_ONET, "source_id", "sources", "id"},
};

#define N_RULES(rules) (sizeof(rules) / sizeof((rules)[0]))

/* No occupation is its own ancestor: a cycle would make inheritance
 * depend on where it is entered. */
static fow_code check_parent_cycles(fow_db *db, fow_check_result *c, fow_error *err) {
    return fow_db_check_rows(db, c,
                       "WITH RECURSIVE up(start, node) AS ("
                       "  SELECT occupation_id, parent_id FROM occupation_parents"
                       "  UNION SELECT up.start, p.parent_id FROM up"
                       "  JOIN occupation_parents p ON p.occupation_id = up.node) "
                       "SELECT 'occupation_id ' || start, start FROM up WHERE node = start ORDER BY start",
                       "occupation_parents", "occupation %s is its own ancestor (a cycle of parents)", err);
}

/* An ISCO-08 code: 1 to 4 digits. */
static bool is_isco_code(const char *s) {
    size_t n = strlen(s);
    if (n < 1 || n > 4) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static fow_code check_groups(fow_db *db, fow_check_report *report, fow_error *err) {
    fow_check_result *c = fow_check_begin(report, "taxonomy.groups",
                                          "ISCO-08 codes of groups and of occupations are 1 to 4 digits");
    if (!c) return OOM(err);
    static const struct {
        const char *table, *sql;
    } sources[] = {
        {"isco_groups", "SELECT 'code ' || code, code FROM isco_groups ORDER BY code"},
        {"occupations", "SELECT 'id ' || id || ', uri ' || uri, isco_group FROM occupations "
                        "WHERE isco_group IS NOT NULL AND isco_group <> '' ORDER BY id"},
    };
    for (size_t k = 0; k < sizeof sources / sizeof *sources; k++) {
        sqlite3_stmt *st;
        fow_code rc = fow_db_prepare(db, sources[k].sql, &st, err);
        if (rc) return rc;
        int r;
        while ((r = sqlite3_step(st)) == SQLITE_ROW) {
            const char *code = (const char *)sqlite3_column_text(st, 1);
            c->checked++;
            if (!code || !is_isco_code(code))
                fow_check_problem(c, "%s (%s): ISCO-08 code '%s' is not 1 to 4 digits", sources[k].table,
                                  (const char *)sqlite3_column_text(st, 0), code ? code : "NULL");
        }
        if (r != SQLITE_DONE) rc = fow_db_error(db, err, sources[k].table);
        sqlite3_finalize(st);
        if (rc) return rc;
    }
    return FOW_OK;
}

/* Risk values stay on their model's scale (mcc 1..5, frey-osborne 0..1),
 * shares on 0..1: what the risk import accepts. */
static fow_code check_value_ranges(fow_db *db, fow_check_result *c, fow_error *err) {
    static const struct {
        const char *table, *sql, *format;
    } rules[] = {
        {"occupation_risk",
         "SELECT " ROW_OCC_RISK ", x.risk FROM occupation_risk x WHERE NOT ((x.model = 'mcc' AND x.risk BETWEEN 1 AND 5) "
         "OR (x.model = 'frey-osborne' AND x.risk BETWEEN 0 AND 1))",
         "risk %s is not on the scale of its model (mcc 1 to 5, frey-osborne 0 to 1)"},
        {"occupation_risk",
         "SELECT " ROW_OCC_RISK ", x.prevalence FROM occupation_risk x WHERE x.prevalence IS NOT NULL "
         "AND NOT (x.prevalence BETWEEN 0 AND 1)",
         "prevalence %s is not a share from 0 to 1"},
        {"isco_risk",
         "SELECT " ROW_ISCO_RISK ", x.risk FROM isco_risk x WHERE NOT ((x.model = 'mcc' AND x.risk BETWEEN 1 AND 5) "
         "OR (x.model = 'frey-osborne' AND x.risk BETWEEN 0 AND 1))",
         "risk %s is not on the scale of its model (mcc 1 to 5, frey-osborne 0 to 1)"},
        {"soc_risk", "SELECT " ROW_SOC_RISK ", x.probability FROM soc_risk x WHERE NOT (x.probability BETWEEN 0 AND 1)",
         "probability %s is not from 0 to 1"},
    };
    long long n = 0;
    fow_code rc = fow_db_query_int(db,
                                   "SELECT (SELECT count(*) FROM isco_risk) + (SELECT count(*) FROM soc_risk)", &n,
                                   err);
    if (rc) return rc;
    c->checked += (uint64_t)n; /* occupation_risk rows are counted by the references */
    for (size_t i = 0; i < sizeof rules / sizeof *rules && !rc; i++)
        rc = fow_db_check_rows(db, c, rules[i].sql, rules[i].table, rules[i].format, err);
    return rc;
}

/* ---- derived values: compared with a fresh derivation ---------------------- */

/* The columns of the derived tables, as compared. */
#define RISK_COLUMNS                                                                                               \
    "occupation_id, model, risk, prevalence, category, risk_nonphysical, prevalence_nonphysical, onet_code, "    \
    "method, from_occupation_id, detail, source_id"
#define ATTRIBUTE_COLUMNS                                                                                          \
    "occupation_id, job_zone, education_level, related_work_experience, on_the_job_training, "                    \
    "annual_earnings_gbp, remote_labor_index, physical_proximity, skills_sector, skills_subsector, method, "       \
    "from_occupation_id, source_id"
#define TERM_COLUMNS "folded, kind, entity_id, lang, preferred, label"

/* One derived table, compared by every column: its rows are copied into
 * the temporary table stored before the derivation runs again, and into
 * fresh after it; both get an index on key_columns, the row's identity. */
typedef struct derived_table {
    const char *table;       /* as the user knows it */
    const char *columns;
    const char *stored;      /* the temporary table of the rows before */
    const char *fresh;       /* the temporary table of the rows derived again */
    const char *select;      /* SELECT of the table's derived rows */
    const char *key_columns; /* the identity of a row */
    const char *key;         /* the join of s (stored) and f (fresh) on identity */
    const char *row_s, *row_f;     /* a row's name, as s or f */
    const char *value_s, *value_f; /* what to show of a row */
} derived_table;

/* Copies the derived rows of d into into (a new temporary table) with an
 * index on its identity. */
static fow_code copy_derived(fow_db *db, const derived_table *d, const char *into, fow_error *err) {
    char sql[1200];
    snprintf(sql, sizeof sql, "CREATE TEMP TABLE %s AS %s; CREATE INDEX %s_key ON %s(%s);", into, d->select, into,
             into, d->key_columns);
    return fow_db_exec(db, sql, err);
}

/* Problems of d: stored rows that differ from the fresh ones or are not
 * derived again, then fresh rows that were not stored. */
static fow_code compare_derived(fow_db *db, fow_check_result *c, const derived_table *d, fow_error *err) {
    char sql[2000];
    long long n = 0;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", d->fresh);
    fow_code rc = fow_db_query_int(db, sql, &n, err);
    if (rc) return rc;
    c->checked += (uint64_t)n;
    snprintf(sql, sizeof sql,
             "SELECT %s, %s, (SELECT %s FROM %s f WHERE %s) FROM "
             "(SELECT %s FROM %s EXCEPT SELECT %s FROM %s) s",
             d->row_s, d->value_s, d->value_f, d->fresh, d->key, d->columns, d->stored, d->columns, d->fresh);
    sqlite3_stmt *st;
    if ((rc = fow_db_prepare(db, sql, &st, err))) return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *fresh = (const char *)sqlite3_column_text(st, 2);
        fow_check_problem(c, "%s (%s): stored %s, but a fresh derivation gives %s", d->table,
                          (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                          fresh ? fresh : "no such row");
    }
    if (r != SQLITE_DONE) rc = fow_db_error(db, err, d->table);
    sqlite3_finalize(st);
    if (rc) return rc;
    snprintf(sql, sizeof sql, "SELECT %s, %s FROM %s f WHERE NOT EXISTS (SELECT 1 FROM %s s WHERE %s)", d->row_f,
             d->value_f, d->fresh, d->stored, d->key);
    if ((rc = fow_db_prepare(db, sql, &st, err))) return rc;
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        fow_check_problem(c, "%s (%s): missing; a fresh derivation gives %s", d->table,
                          (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));
    if (r != SQLITE_DONE) rc = fow_db_error(db, err, d->table);
    sqlite3_finalize(st);
    return rc;
}

static const derived_table derived_risk = {
    "occupation_risk", RISK_COLUMNS, "fow_check_risk", "fow_check_risk_fresh",
    "SELECT " RISK_COLUMNS " FROM occupation_risk WHERE method <> 'own'", "occupation_id, model",
    "s.occupation_id = f.occupation_id AND s.model = f.model",
    "'occupation_id ' || s.occupation_id || ', model ' || s.model",
    "'occupation_id ' || f.occupation_id || ', model ' || f.model",
    "'risk ' || coalesce(CAST(s.risk AS TEXT), 'NULL') || ' (' || s.method || coalesce(' from occupation_id ' || s.from_occupation_id, '') || ')'",
    "'risk ' || coalesce(CAST(f.risk AS TEXT), 'NULL') || ' (' || f.method || coalesce(' from occupation_id ' || f.from_occupation_id, '') || ')'",
};

static const derived_table derived_attributes = {
    "occupation_attributes", ATTRIBUTE_COLUMNS, "fow_check_attributes", "fow_check_attributes_fresh",
    "SELECT " ATTRIBUTE_COLUMNS " FROM occupation_attributes WHERE method <> 'own'", "occupation_id",
    "s.occupation_id = f.occupation_id",
    "'occupation_id ' || s.occupation_id",
    "'occupation_id ' || f.occupation_id",
    "'job zone ' || coalesce(CAST(s.job_zone AS TEXT), 'NULL') || ', earnings ' || coalesce(CAST(s.annual_earnings_gbp AS TEXT), 'NULL') || ' ('"
    " || s.method || coalesce(' from occupation_id ' || s.from_occupation_id, '') || ')'",
    "'job zone ' || coalesce(CAST(f.job_zone AS TEXT), 'NULL') || ', earnings ' || coalesce(CAST(f.annual_earnings_gbp AS TEXT), 'NULL') || ' ('"
    " || f.method || coalesce(' from occupation_id ' || f.from_occupation_id, '') || ')'",
};

static const derived_table derived_terms = {
    "search_terms", TERM_COLUMNS, "fow_check_terms", "fow_check_terms_fresh",
    "SELECT " TERM_COLUMNS " FROM search_terms", "kind, entity_id, lang, label",
    "s.kind = f.kind AND s.entity_id = f.entity_id AND s.lang = f.lang AND s.label = f.label",
    "CASE s.kind WHEN 0 THEN 'occupation_id ' ELSE 'skill_id ' END || s.entity_id || ', lang ' || s.lang || "
    "', label ' || s.label",
    "CASE f.kind WHEN 0 THEN 'occupation_id ' ELSE 'skill_id ' END || f.entity_id || ', lang ' || f.lang || "
    "', label ' || f.label",
    "'folded ''' || s.folded || ''', preferred ' || s.preferred",
    "'folded ''' || f.folded || ''', preferred ' || f.preferred",
};

/* Copies the derived rows, derives them again (the code every import
 * runs), compares, and rolls everything back. */
static fow_code check_derived(fow_db *db, fow_check_report *report, fow_error *err) {
    fow_check_result *inherited = fow_check_begin(
        report, "taxonomy.inherited",
        "inherited and crosswalked risk and attributes equal a fresh derivation from the imported values");
    if (!inherited) return OOM(err);
    fow_check_result *search = fow_check_begin(report, "taxonomy.search_index",
                                               "the search index equals every label folded again");
    if (!search) return OOM(err);
    inherited = search - 1; /* the report may have moved */
    fow_code rc = fow_db_begin(db, err);
    if (rc) return rc;
    static const derived_table *const tables[] = {&derived_risk, &derived_attributes, &derived_terms};
    for (size_t i = 0; i < 3 && !rc; i++) rc = copy_derived(db, tables[i], tables[i]->stored, err);
    if (!rc) rc = fow_derive_values(db, err);
    if (!rc) rc = fow_search_index_rebuild(db, err);
    for (size_t i = 0; i < 3 && !rc; i++) rc = copy_derived(db, tables[i], tables[i]->fresh, err);
    if (!rc) rc = compare_derived(db, inherited, &derived_risk, err);
    if (!rc) rc = compare_derived(db, inherited, &derived_attributes, err);
    if (!rc) rc = compare_derived(db, search, &derived_terms, err);
    fow_db_rollback(db); /* the temporary tables and the fresh rows go too */
    return rc;
}

/* ---- all of them --------------------------------------------------------------- */

fow_code fow_taxonomy_check(fow_db *db, fow_check_report *report, fow_error *err) {
    fow_check_result *parents = NULL, *values = NULL;
    fow_code rc = check_references(db, report, "taxonomy.relations",
                                   "every occupation-skill relation names an existing occupation and skill",
                                   relation_rules, N_RULES(relation_rules), NULL, err);
    if (!rc)
        rc = check_references(db, report, "taxonomy.parents",
                              "every nesting of occupations names existing occupations, and none is its own ancestor",
                              parent_rules, N_RULES(parent_rules), &parents, err);
    if (!rc) rc = check_parent_cycles(db, parents, err);
    if (!rc) rc = check_groups(db, report, err);
    if (!rc)
        rc = check_references(db, report, "taxonomy.labels",
                              "every label belongs to an existing occupation or skill", label_rules,
                              N_RULES(label_rules), NULL, err);
    if (!rc)
        rc = check_references(db, report, "taxonomy.values",
                              "risk and attribute rows name existing occupations, and values stay on their scales",
                              value_rules, N_RULES(value_rules), &values, err);
    if (!rc) rc = check_value_ranges(db, values, err);
    if (!rc)
        rc = check_references(db, report, "taxonomy.sources",
                              "every row of the taxonomy and its reference data names an existing source",
                              source_rules, N_RULES(source_rules), NULL, err);
    if (!rc) rc = check_derived(db, report, err);
    return rc;
}
