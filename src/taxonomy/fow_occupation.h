/* fow_occupation.h — everything fow knows about one occupation, and lists
 * of occupations by risk. Read from the database; every value carries its
 * source (name, version) and how it was obtained. */
#ifndef FOW_OCCUPATION_H
#define FOW_OCCUPATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fow_arena.h"
#include "base/fow_error.h"
#include "store/fow_db.h"

typedef struct fow_occupation_ref {
    int64_t id;
    const char *uri;
    const char *code;
    const char *label;
} fow_occupation_ref;

typedef struct fow_isco_level {
    const char *code;
    const char *label; /* "" when the group is not imported */
} fow_isco_level;

typedef struct fow_occupation_skill {
    int64_t id;
    const char *uri;
    const char *label;
    const char *skill_type;
    bool essential;
} fow_occupation_skill;

/* A risk value of the occupation under one model. */
typedef struct fow_risk_estimate {
    const char *model;    /* "mcc" or "frey-osborne" */
    double risk;          /* mcc: 1..5; frey-osborne: probability 0..1 */
    double prevalence;    /* NAN when unknown */
    const char *category; /* "" when unknown */
    const char *method;   /* own, inherited, crosswalk-onet, crosswalk-isco */
    const char *detail;   /* how it was reached ("" when own) */
    fow_occupation_ref from; /* inherited: the ancestor it comes from (id 0 otherwise) */
    const char *source_name, *source_version, *source_licence;
} fow_risk_estimate;

/* The model's own estimate for an ISCO group the occupation belongs to. */
typedef struct fow_group_risk {
    const char *model;
    const char *isco_code;
    double risk, prevalence;
    const char *category;
    const char *source_name, *source_version;
} fow_group_risk;

typedef struct fow_occupation_attributes {
    bool present;
    double job_zone, education_level, related_work_experience, on_the_job_training,
        annual_earnings_gbp, remote_labor_index, physical_proximity; /* NAN when unknown */
    const char *skills_sector, *skills_subsector;
    const char *method;
    fow_occupation_ref from;
    const char *source_name, *source_version;
} fow_occupation_attributes;

typedef struct fow_label {
    const char *lang;
    const char *label;
    bool preferred;
} fow_label;

typedef struct fow_occupation_detail {
    fow_occupation_ref self;
    const char *isco_group;
    const char *lang;
    const char *description;
    const char *source_name, *source_version;
    fow_label *labels; size_t n_labels;                 /* every label, every language */
    fow_isco_level isco_path[4]; size_t n_isco_path;    /* 1-digit .. 4-digit */
    fow_occupation_skill *skills; size_t n_skills;      /* essential first, then by label */
    fow_risk_estimate *risks; size_t n_risks;
    fow_group_risk *group_risks; size_t n_group_risks;
    fow_occupation_attributes attributes;
    fow_occupation_ref *parents; size_t n_parents;
    fow_occupation_ref *children; size_t n_children;
    fow_arena arena; /* owns everything above */
} fow_occupation_detail;

/* Finds an occupation by key: its database id (digits), URI, ESCO code, or
 * a label (any language; case and accents ignored). Sets *id. A key that
 * matches no occupation gives FOW_ENOTFOUND; a label shared by several
 * occupations gives FOW_EINPUT naming two of them. */
fow_code fow_occupation_find(fow_db *db, const char *key, int64_t *id, fow_error *err);

/* Loads everything about occupation id into *out (free with
 * fow_occupation_detail_free, also after a failure). FOW_ENOTFOUND when
 * there is no such occupation. */
fow_code fow_occupation_detail_load(fow_db *db, int64_t id, fow_occupation_detail *out, fow_error *err);

void fow_occupation_detail_free(fow_occupation_detail *detail);

/* One row of a ranking of occupations by risk. */
typedef struct fow_risk_row {
    fow_occupation_ref occupation;
    const char *isco_group;
    double risk, prevalence;
    const char *category, *method;
} fow_risk_row;

typedef struct fow_risk_ranking {
    fow_risk_row *rows; size_t n_rows;
    size_t n_total;       /* occupations with a value under the model */
    const char *source_name, *source_version;
    fow_arena arena;
} fow_risk_ranking;

/* The limit occupations with the highest risk under model ("mcc" or
 * "frey-osborne"), highest first (ties by label). own_only leaves out
 * inherited and crosswalk values. Free with fow_risk_ranking_free. */
fow_code fow_risk_ranking_load(fow_db *db, const char *model, size_t limit, bool own_only,
                               fow_risk_ranking *out, fow_error *err);

void fow_risk_ranking_free(fow_risk_ranking *ranking);

/* Counts of what the database holds. */
typedef struct fow_db_stats {
    long long occupations, skills, relations, isco_groups, parents, labels, languages,
        risk_mcc, risk_frey_osborne, attributes, sources;
} fow_db_stats;

fow_code fow_db_stats_load(fow_db *db, fow_db_stats *out, fow_error *err);

#endif
