/* derive.c — values fow computes from imported data: risk and attributes
 * inherited by nested occupations, Frey & Osborne probabilities reached
 * through the crosswalks. Recomputed whole after every import. */
#include <stdio.h>

#include "taxonomy/fow_import.h"

/* Copies each model's value from the nearest ancestor that has one to the
 * occupations that have none, one generation per statement. */
static const char inherit_risk_sql[] =
    "INSERT INTO occupation_risk(occupation_id, model, risk, prevalence, category, risk_nonphysical, "
    "  prevalence_nonphysical, onet_code, method, from_occupation_id, detail, source_id) "
    "SELECT p.occupation_id, r.model, r.risk, r.prevalence, r.category, r.risk_nonphysical, "
    "  r.prevalence_nonphysical, r.onet_code, 'inherited', "
    "  CASE WHEN r.method = 'inherited' THEN r.from_occupation_id ELSE r.occupation_id END, r.detail, r.source_id "
    "FROM occupation_parents p JOIN occupation_risk r ON r.occupation_id = p.parent_id "
    "WHERE NOT EXISTS (SELECT 1 FROM occupation_risk x WHERE x.occupation_id = p.occupation_id AND x.model = r.model) "
    "ORDER BY p.occupation_id, p.parent_id "
    "ON CONFLICT DO NOTHING";

static const char inherit_attributes_sql[] =
    "INSERT INTO occupation_attributes(occupation_id, job_zone, education_level, related_work_experience, "
    "  on_the_job_training, annual_earnings_gbp, remote_labor_index, physical_proximity, skills_sector, "
    "  skills_subsector, method, from_occupation_id, source_id) "
    "SELECT p.occupation_id, a.job_zone, a.education_level, a.related_work_experience, a.on_the_job_training, "
    "  a.annual_earnings_gbp, a.remote_labor_index, a.physical_proximity, a.skills_sector, a.skills_subsector, "
    "  'inherited', CASE WHEN a.method = 'inherited' THEN a.from_occupation_id ELSE a.occupation_id END, a.source_id "
    "FROM occupation_parents p JOIN occupation_attributes a ON a.occupation_id = p.parent_id "
    "WHERE NOT EXISTS (SELECT 1 FROM occupation_attributes x WHERE x.occupation_id = p.occupation_id) "
    "ORDER BY p.occupation_id, p.parent_id "
    "ON CONFLICT DO NOTHING";

static fow_code repeat_until_stable(fow_db *db, const char *sql, fow_error *err) {
    /* each pass reaches one level deeper; ESCO nests a few levels at most,
     * and a cycle in the parents stops adding rows, so this ends */
    for (int depth = 0; depth < 64; depth++) {
        fow_code rc = fow_db_exec(db, sql, err);
        if (rc) return rc;
        if (sqlite3_changes(db->sql) == 0) break;
    }
    return FOW_OK;
}

fow_code fow_derive_values(fow_db *db, fow_error *err) {
    fow_code rc = fow_db_exec(db,
                              "DELETE FROM occupation_risk WHERE method <> 'own';"
                              "DELETE FROM occupation_attributes WHERE method <> 'own';",
                              err);
    /* Frey & Osborne through the occupation's own O*NET code: an O*NET-SOC
     * code's first 7 characters are its SOC 2010 code. The most confident
     * mapping wins. */
    if (!rc)
        rc = fow_db_exec(
            db,
            "INSERT INTO occupation_risk(occupation_id, model, risk, onet_code, method, detail, source_id) "
            "SELECT o.id, s.model, s.probability, c.onet_code, 'crosswalk-onet', "
            "  'O*NET-SOC ' || c.onet_code || ' to SOC 2010 ' || s.soc_code || coalesce(' (' || s.title || ')', ''), "
            "  s.source_id "
            "FROM occupations o JOIN crosswalk_esco_onet c ON c.occupation_uri = o.uri "
            "JOIN soc_risk s ON s.soc_code = substr(c.onet_code, 1, 7) "
            "WHERE NOT EXISTS (SELECT 1 FROM occupation_risk x WHERE x.occupation_id = o.id AND x.model = s.model) "
            "ORDER BY o.id, c.confidence DESC, c.onet_code "
            "ON CONFLICT DO NOTHING",
            err);
    if (!rc) rc = repeat_until_stable(db, inherit_risk_sql, err);
    /* what is still missing: the mean over the SOC codes that the BLS
     * crosswalk maps the occupation's ISCO-08 unit group to */
    /* (the unit group first; where the crosswalk only has the minor
     * group, that) */
    for (int digits = 4; digits >= 3 && !rc; digits--) {
        char sql[1200];
        snprintf(sql, sizeof sql,
                 "INSERT INTO occupation_risk(occupation_id, model, risk, method, detail, source_id) "
                 "SELECT o.id, s.model, avg(s.probability), 'crosswalk-isco', "
                 "  'mean of ' || count(*) || ' SOC 2010 codes mapped from ISCO-08 ' || x.isco_code, "
                 "  min(s.source_id) "
                 "FROM occupations o JOIN crosswalk_isco_soc x ON x.isco_code = substr(o.isco_group, 1, %d) "
                 "JOIN soc_risk s ON s.soc_code = x.soc_code "
                 "WHERE NOT EXISTS (SELECT 1 FROM occupation_risk r WHERE r.occupation_id = o.id "
                 "  AND r.model = s.model) "
                 "GROUP BY o.id, s.model",
                 digits);
        rc = fow_db_exec(db, sql, err);
    }
    if (!rc) rc = repeat_until_stable(db, inherit_attributes_sql, err);
    return rc;
}
