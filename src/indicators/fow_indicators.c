/* fow_indicators.c — the programme indicators from the records, with
 * small-cell suppression (fow_indicators.h, docs/indicators.md). */
#include "indicators/fow_indicators.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/fow_suppress.h"
#include "labs/fow_lab_usage.h"
#include "vouchers/fow_voucher_reports.h"

static const char *const by_names[] = {"total", "programme", "cohort", "sex", "age"};
static const char *const column_names[FOW_IND_COLUMNS] = {"served", "enrolled", "completed", "passed",
                                                          "skills_gained"};
static const char *const sex_groups[] = {"female", "male", "other", "not_stated"};
static const char *const age_groups[] = {"under 15", "15-24", "25-34", "35-44", "45-54", "55-64", "65+", "unknown"};

const char *fow_indicators_by_name(fow_indicators_by by) {
    return (unsigned)by < sizeof by_names / sizeof *by_names ? by_names[by] : "?";
}

int fow_indicators_by_parse(const char *text, fow_indicators_by *out) {
    for (size_t i = 0; text && i < sizeof by_names / sizeof *by_names; i++)
        if (strcmp(text, by_names[i]) == 0) {
            *out = (fow_indicators_by)i;
            return 0;
        }
    return -1;
}

const char *fow_indicator_column_name(fow_indicator_column c) {
    return (unsigned)c < FOW_IND_COLUMNS ? column_names[c] : "?";
}

/* A counted person: the index into the people list, and their groups. */
typedef struct counted {
    const char *id;
    int sex_group, age_group;
} counted;

static int cmp_counted(const void *a, const void *b) {
    return strcmp(((const counted *)a)->id, ((const counted *)b)->id);
}

/* What one person did in one group. */
enum { DID_SERVED = 1, DID_ENROLLED = 2, DID_COMPLETED = 4, DID_PASSED = 8 };

/* A skill gained by a person in a group (the index of the group: so that
 * pairs are counted per group). */
typedef struct gained {
    size_t group;
    size_t person;
    const char *skill;
} gained;

static int cmp_gained(const void *a, const void *b) {
    const gained *x = a, *y = b;
    if (x->group != y->group) return x->group < y->group ? -1 : 1;
    if (x->person != y->person) return x->person < y->person ? -1 : 1;
    return strcmp(x->skill, y->skill);
}

static int age_group_of(int birth_year, int year) {
    if (!birth_year) return 7;
    int age = year - birth_year;
    if (age < 15) return 0;
    if (age >= 65) return 6;
    return 1 + (age - 15) / 10;
}

static int sex_group_of(const char *sex) {
    for (int i = 0; i < 3; i++)
        if (strcmp(sex, sex_groups[i]) == 0) return i;
    return 3;
}

static void set_text(char *dst, size_t cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, cap, fmt, ap);
    va_end(ap);
}

void fow_indicators_free(fow_indicators *ind) {
    if (!ind) return;
    free(ind->rows);
    ind->rows = NULL;
    ind->n_rows = 0;
}

/* Primary suppression of one row. */
static void suppress_row(fow_indicator_row *r) {
    for (int c = 0; c < FOW_IND_SKILLS_GAINED; c++) r->suppressed[c] = fow_suppress_small(r->value[c]);
    r->suppressed[FOW_IND_SKILLS_GAINED] = r->suppressed[FOW_IND_PASSED];
}

/* Complementary suppression of column c over rows (src/base/fow_suppress.h). */
static fow_code complement_column(fow_indicators *ind, int c, fow_error *err) {
    fow_suppress_cell *cells = ind->n_rows ? calloc(ind->n_rows, sizeof *cells) : NULL;
    if (ind->n_rows && !cells) return fow_error_set(err, FOW_ENOMEM, "out of memory suppressing small cells");
    for (size_t i = 0; i < ind->n_rows; i++)
        cells[i] = (fow_suppress_cell){.value = ind->rows[i].value[c], .suppressed = &ind->rows[i].suppressed[c],
                                       .complementary = &ind->rows[i].complementary[c]};
    fow_suppress_complement(cells, ind->n_rows, ind->total.suppressed[c]);
    free(cells);
    return FOW_OK;
}

static void finish_rate(fow_indicator_row *r) {
    r->rate_suppressed = r->suppressed[FOW_IND_COMPLETED] || r->suppressed[FOW_IND_ENROLLED];
    r->completion_rate = r->value[FOW_IND_ENROLLED]
                             ? 100.0 * (double)r->value[FOW_IND_COMPLETED] / (double)r->value[FOW_IND_ENROLLED]
                             : 0;
}

/* The voucher figures of the counted people (persons, sorted by id). */
static fow_code voucher_figures(fow_db *db, const counted *persons, size_t n_persons, fow_indicator_vouchers *v,
                                fow_error *err) {
    memset(v, 0, sizeof *v);
    fow_voucher_person_figures *figures = NULL;
    size_t n = 0;
    fow_code rc = fow_voucher_people_figures(db, &figures, &n, err);
    if (rc) return rc;
    bool mixed = false;
    for (size_t i = 0; i < n; i++) {
        counted key = {.id = figures[i].person};
        if (!n_persons || !bsearch(&key, persons, n_persons, sizeof *persons, cmp_counted)) continue;
        v->value[FOW_IND_V_BENEFICIARIES]++;
        v->value[FOW_IND_V_VOUCHERS] += (long)figures[i].vouchers;
        v->value[FOW_IND_V_REDEEMED] += figures[i].redeemed;
        if (!figures[i].completed_after) continue;
        v->value[FOW_IND_V_COMPLETED_AFTER]++;
        v->completions += figures[i].completions;
        v->completion_minor += figures[i].completion_minor;
        if (!v->currency[0]) set_text(v->currency, sizeof v->currency, "%s", figures[i].currency);
        else if (strcmp(v->currency, figures[i].currency) != 0) mixed = true;
    }
    free(figures);
    for (int c = 0; c < FOW_IND_V_CELLS; c++) {
        /* the vouchers issued count vouchers: they follow the beneficiaries they come from */
        long people_count = v->value[c == FOW_IND_V_VOUCHERS ? FOW_IND_V_BENEFICIARIES : c];
        v->suppressed[c] = fow_suppress_small(people_count);
    }
    v->has_cost = v->completions > 0 && !mixed;
    if (v->has_cost) v->cost_per_completion_minor = (v->completion_minor + v->completions / 2) / v->completions;
    v->cost_suppressed = v->suppressed[FOW_IND_V_COMPLETED_AFTER];
    if (mixed) v->currency[0] = '\0';
    return FOW_OK;
}

/* The labs' figures of the counted people (src/labs). */
static fow_code lab_figures(fow_db *db, const counted *persons, size_t n_persons, fow_indicator_labs *l,
                            fow_error *err) {
    memset(l, 0, sizeof *l);
    const char **ids = n_persons ? calloc(n_persons, sizeof *ids) : NULL;
    if (n_persons && !ids) return fow_error_set(err, FOW_ENOMEM, "out of memory counting the labs' figures");
    for (size_t i = 0; i < n_persons; i++) ids[i] = persons[i].id;
    fow_lab_people_figures f;
    fow_code rc = fow_lab_people_figures_of(db, ids, n_persons, &f, err);
    free(ids);
    if (rc) return rc;
    l->value[FOW_IND_L_USERS] = f.users;
    l->value[FOW_IND_L_USED] = f.used;
    l->value[FOW_IND_L_PROJECTS] = f.with_project;
    l->minutes_used = f.minutes_used;
    for (int c = 0; c < FOW_IND_L_CELLS; c++) l->suppressed[c] = fow_suppress_small(l->value[c]);
    return FOW_OK;
}

fow_code fow_indicators_compute(fow_db *db, fow_people *people, const fow_cohort_actor *who,
                                const fow_training_catalogue *catalogue, fow_indicators_by by, long long now,
                                fow_indicators *out, fow_error *err) {
    memset(out, 0, sizeof *out);
    out->by = by;
    out->computed_at = now;
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    out->year = tm.tm_year + 1900;
    if ((unsigned)by > FOW_INDICATORS_BY_AGE)
        return fow_error_set_at(err, FOW_EINPUT, NULL, 0, 0, "by", "the breakdown must be programme, cohort, sex or age");
    fow_code rc = fow_cohort_authorise(who, FOW_COHORT_SEE_PEOPLE, -1, err);
    if (rc) return rc;

    fow_person *list = NULL;
    size_t n_list = 0;
    fow_cohort *cohorts = NULL;
    size_t n_cohorts = 0;
    counted *persons = NULL;
    unsigned char *did = NULL; /* groups x persons; the last "group" is the total */
    gained *gains = NULL;
    size_t n_gains = 0, cap_gains = 0;
    const char **programmes = NULL;
    size_t n_groups = 0, n_persons = 0;

    if ((rc = fow_people_list(people, &who->staff, now, &list, &n_list, err))) goto done;
    persons = calloc(n_list ? n_list : 1, sizeof *persons);
    if (!persons) {
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n_list; i++) {
        if (!list[i].consent[FOW_PURPOSE_STATISTICS]) {
            out->without_consent++;
            continue;
        }
        persons[n_persons++] = (counted){.id = list[i].id, .sex_group = sex_group_of(list[i].sex),
                                         .age_group = age_group_of(list[i].birth_year, out->year)};
    }
    qsort(persons, n_persons, sizeof *persons, cmp_counted);
    if ((rc = fow_cohorts_list(db, NULL, &cohorts, &n_cohorts, err))) goto done;

    /* the groups */
    programmes = calloc(catalogue->n_modules + 1, sizeof *programmes);
    if (!programmes) {
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        goto done;
    }
    size_t n_programmes = 0;
    for (size_t m = 0; m < catalogue->n_modules; m++) {
        const char *p = catalogue->modules[m].programme[0] ? catalogue->modules[m].programme : "(no programme)";
        size_t k = 0;
        while (k < n_programmes && strcmp(programmes[k], p) != 0) k++;
        if (k == n_programmes) programmes[n_programmes++] = p;
    }
    switch (by) {
    case FOW_INDICATORS_BY_PROGRAMME: n_groups = n_programmes; break;
    case FOW_INDICATORS_BY_COHORT: n_groups = n_cohorts; break;
    case FOW_INDICATORS_BY_SEX: n_groups = 4; break;
    case FOW_INDICATORS_BY_AGE: n_groups = 8; break;
    default: n_groups = 0; break;
    }
    out->rows = calloc(n_groups ? n_groups : 1, sizeof *out->rows);
    did = calloc((n_groups + 1) * (n_persons ? n_persons : 1), 1);
    if (!out->rows || !did) {
        rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
        goto done;
    }
    out->n_rows = n_groups;
    for (size_t g = 0; g < n_groups; g++) {
        fow_indicator_row *r = &out->rows[g];
        switch (by) {
        case FOW_INDICATORS_BY_PROGRAMME:
            set_text(r->group, sizeof r->group, "%s", programmes[g]);
            set_text(r->label, sizeof r->label, "%s", programmes[g]);
            break;
        case FOW_INDICATORS_BY_COHORT:
            set_text(r->group, sizeof r->group, "%lld", (long long)cohorts[g].id);
            set_text(r->label, sizeof r->label, "%s from %s", cohorts[g].module, cohorts[g].starts_on);
            break;
        case FOW_INDICATORS_BY_SEX:
            set_text(r->group, sizeof r->group, "%s", sex_groups[g]);
            set_text(r->label, sizeof r->label, "%s", sex_groups[g]);
            break;
        default:
            set_text(r->group, sizeof r->group, "%s", age_groups[g]);
            set_text(r->label, sizeof r->label, "%s", age_groups[g]);
            break;
        }
    }
    set_text(out->total.group, sizeof out->total.group, "total");
    set_text(out->total.label, sizeof out->total.label, "total");
    unsigned char *total_did = did + n_groups * n_persons;
    for (size_t i = 0; i < n_persons; i++) {
        total_did[i] |= DID_SERVED;
        if (by == FOW_INDICATORS_BY_SEX) did[(size_t)persons[i].sex_group * n_persons + i] |= DID_SERVED;
        if (by == FOW_INDICATORS_BY_AGE) did[(size_t)persons[i].age_group * n_persons + i] |= DID_SERVED;
    }

    /* the enrolments */
    for (size_t c = 0; c < n_cohorts && !rc; c++) {
        fow_enrolment *e = NULL;
        size_t n_e = 0;
        if ((rc = fow_cohort_enrolments(db, who, cohorts[c].id, &e, &n_e, err))) break;
        const fow_training_module *module = fow_training_module_by_code(catalogue, cohorts[c].module);
        size_t programme = n_programmes;
        if (module) {
            const char *p = module->programme[0] ? module->programme : "(no programme)";
            for (size_t k = 0; k < n_programmes; k++)
                if (strcmp(programmes[k], p) == 0) programme = k;
        }
        for (size_t j = 0; j < n_e && !rc; j++) {
            counted key = {.id = e[j].person};
            counted *found = bsearch(&key, persons, n_persons, sizeof *persons, cmp_counted);
            if (!found) continue; /* no statistics consent, or erased */
            size_t i = (size_t)(found - persons);
            unsigned char bits = DID_SERVED;
            if (e[j].status == FOW_ENROLMENT_ENROLLED || e[j].status == FOW_ENROLMENT_COMPLETED) bits |= DID_ENROLLED;
            if (e[j].status == FOW_ENROLMENT_COMPLETED) bits |= DID_COMPLETED | (e[j].passed ? DID_PASSED : 0);
            size_t group = n_groups; /* none */
            if (by == FOW_INDICATORS_BY_PROGRAMME) group = programme;
            else if (by == FOW_INDICATORS_BY_COHORT) group = c;
            else if (by == FOW_INDICATORS_BY_SEX) group = (size_t)found->sex_group;
            else if (by == FOW_INDICATORS_BY_AGE) group = (size_t)found->age_group;
            total_did[i] |= bits;
            bool in_group = group < n_groups;
            if (in_group) did[group * n_persons + i] |= bits;
            if (!(bits & DID_PASSED) || !module) continue;
            for (size_t s = 0; s < module->n_links; s++) {
                if (module->links[s].kind != FOW_TRAINING_TEACHES) continue;
                for (int pass = 0; pass < (in_group ? 2 : 1); pass++) {
                    if (n_gains == cap_gains) {
                        size_t cap = cap_gains ? 2 * cap_gains : 256;
                        gained *more = realloc(gains, cap * sizeof *gains);
                        if (!more) {
                            rc = fow_error_set(err, FOW_ENOMEM, "out of memory");
                            break;
                        }
                        gains = more;
                        cap_gains = cap;
                    }
                    const char *skill = module->links[s].uri[0] ? module->links[s].uri : module->links[s].label;
                    gains[n_gains++] = (gained){.group = pass ? group : n_groups, .person = i, .skill = skill};
                }
            }
        }
        free(e);
    }
    if (rc) goto done;

    /* the counts */
    for (size_t g = 0; g <= n_groups; g++) {
        fow_indicator_row *r = g < n_groups ? &out->rows[g] : &out->total;
        const unsigned char *d = did + g * n_persons;
        for (size_t i = 0; i < n_persons; i++) {
            r->value[FOW_IND_SERVED] += (d[i] & DID_SERVED) != 0;
            r->value[FOW_IND_ENROLLED] += (d[i] & DID_ENROLLED) != 0;
            r->value[FOW_IND_COMPLETED] += (d[i] & DID_COMPLETED) != 0;
            r->value[FOW_IND_PASSED] += (d[i] & DID_PASSED) != 0;
        }
    }
    if (n_gains) qsort(gains, n_gains, sizeof *gains, cmp_gained);
    for (size_t k = 0; k < n_gains; k++) {
        if (k > 0 && cmp_gained(&gains[k - 1], &gains[k]) == 0) continue;
        fow_indicator_row *r = gains[k].group < n_groups ? &out->rows[gains[k].group] : &out->total;
        r->value[FOW_IND_SKILLS_GAINED]++;
    }

    if ((rc = voucher_figures(db, persons, n_persons, &out->vouchers, err))) goto done;
    if ((rc = lab_figures(db, persons, n_persons, &out->labs, err))) goto done;

    /* suppression */
    out->without_consent_suppressed = fow_suppress_small(out->without_consent);
    suppress_row(&out->total);
    for (size_t g = 0; g < n_groups; g++) suppress_row(&out->rows[g]);
    for (int c = 0; c < FOW_IND_COLUMNS && !rc; c++) rc = complement_column(out, c, err);
    if (rc) goto done;
    for (size_t g = 0; g < n_groups; g++) /* skills follow passed, also when passed was complemented */
        if (out->rows[g].suppressed[FOW_IND_PASSED]) out->rows[g].suppressed[FOW_IND_SKILLS_GAINED] = true;
    if ((rc = complement_column(out, FOW_IND_SKILLS_GAINED, err))) goto done;
    finish_rate(&out->total);
    for (size_t g = 0; g <= n_groups; g++) {
        fow_indicator_row *r = g < n_groups ? &out->rows[g] : &out->total;
        if (g < n_groups) finish_rate(r);
        for (int c = 0; c < FOW_IND_COLUMNS; c++) {
            out->suppressed_cells += r->suppressed[c];
            out->complementary_cells += r->complementary[c];
        }
    }

done:
    free(gains);
    free(did);
    free(programmes);
    free(persons);
    free(cohorts);
    free(list);
    if (rc) fow_indicators_free(out);
    return rc;
}

/* ---- JSON and CSV ------------------------------------------------------------------ */

static void write_cell(fow_jw *w, const char *key, long value, bool suppressed, bool complementary) {
    fow_jw_key(w, key);
    fow_jw_object(w);
    fow_jw_key(w, "value");
    if (suppressed) fow_jw_null(w);
    else fow_jw_int(w, value);
    fow_jw_kbool(w, "suppressed", suppressed);
    fow_jw_kbool(w, "complementary", complementary);
    fow_jw_object_end(w);
}

static double rounded_rate(const fow_indicator_row *r) {
    return (double)(long long)(r->completion_rate * 10 + 0.5) / 10;
}

static void write_row(fow_jw *w, const fow_indicator_row *r) {
    fow_jw_object(w);
    fow_jw_kstring(w, "group", r->group);
    fow_jw_kstring(w, "label", r->label);
    for (int c = 0; c < FOW_IND_COLUMNS; c++)
        write_cell(w, column_names[c], r->value[c], r->suppressed[c], r->complementary[c]);
    fow_jw_key(w, "completion_rate");
    if (r->rate_suppressed || r->value[FOW_IND_ENROLLED] == 0) fow_jw_null(w);
    else fow_jw_real(w, rounded_rate(r));
    fow_jw_kbool(w, "completion_rate_suppressed", r->rate_suppressed);
    fow_jw_object_end(w);
}

void fow_indicators_write(fow_jw *w, const fow_indicators *ind) {
    fow_jw_object(w);
    fow_jw_kstring(w, "by", fow_indicators_by_name(ind->by));
    fow_jw_kint(w, "year", ind->year);
    fow_jw_key(w, "computed_at");
    fow_people_write_time(w, ind->computed_at);
    fow_jw_kint(w, "threshold", FOW_INDICATORS_K);
    fow_jw_kstring(w, "method",
                   "Counted from the records when asked (people, cohorts, enrolments, completions, the catalogue): "
                   "only people with statistics consent in force; each person once per group. A cell of fewer "
                   "than 10 people is suppressed, and in each column a second cell when one alone would be "
                   "recoverable from the total (docs/indicators.md).");
    write_cell(w, "counted_people", ind->total.value[FOW_IND_SERVED], ind->total.suppressed[FOW_IND_SERVED], false);
    write_cell(w, "without_statistics_consent", ind->without_consent, ind->without_consent_suppressed, false);
    fow_jw_kint(w, "suppressed_cells", (long long)ind->suppressed_cells);
    fow_jw_kint(w, "complementary_cells", (long long)ind->complementary_cells);
    fow_jw_key(w, "columns");
    fow_jw_array(w);
    for (int c = 0; c < FOW_IND_COLUMNS; c++) fow_jw_string(w, column_names[c]);
    fow_jw_string(w, "completion_rate");
    fow_jw_array_end(w);
    fow_jw_key(w, "total");
    write_row(w, &ind->total);
    fow_jw_key(w, "rows");
    fow_jw_array(w);
    for (size_t i = 0; i < ind->n_rows; i++) write_row(w, &ind->rows[i]);
    fow_jw_array_end(w);
    const fow_indicator_vouchers *v = &ind->vouchers;
    static const char *const voucher_cells[FOW_IND_V_CELLS] = {"beneficiaries", "vouchers_issued", "redeemed",
                                                               "completed_after_redemption"};
    fow_jw_key(w, "vouchers");
    fow_jw_object(w);
    for (int c = 0; c < FOW_IND_V_CELLS; c++) write_cell(w, voucher_cells[c], v->value[c], v->suppressed[c], false);
    fow_jw_key(w, "cost_per_completion");
    fow_jw_object(w);
    fow_jw_key(w, "value_minor");
    if (v->has_cost && !v->cost_suppressed) fow_jw_int(w, v->cost_per_completion_minor);
    else fow_jw_null(w);
    fow_jw_kstring(w, "currency", v->currency);
    fow_jw_kbool(w, "suppressed", v->cost_suppressed);
    fow_jw_object_end(w);
    fow_jw_kstring(w, "method",
                   "Cluj Experimentation Vouchers of the same counted people, in total: beneficiaries (issued a "
                   "voucher), the vouchers issued to them, those who redeemed one (not refunded), those whose "
                   "redeemed enrolment was completed with its claim payable or paid, and the money paid or payable "
                   "for those completions over their number (from the voucher ledger, docs/vouchers.md). Cells of "
                   "fewer than 10 people are suppressed; the vouchers and the cost follow the people they come "
                   "from.");
    fow_jw_object_end(w);
    const fow_indicator_labs *l = &ind->labs;
    static const char *const lab_cells[FOW_IND_L_CELLS] = {"lab_users", "used_a_lab", "with_project"};
    fow_jw_key(w, "labs");
    fow_jw_object(w);
    for (int c = 0; c < FOW_IND_L_CELLS; c++) write_cell(w, lab_cells[c], l->value[c], l->suppressed[c], false);
    fow_jw_key(w, "hours_used");
    fow_jw_object(w);
    fow_jw_key(w, "value");
    if (l->suppressed[FOW_IND_L_USED]) fow_jw_null(w);
    else fow_jw_real(w, (double)(l->minutes_used * 100 / 60) / 100.0);
    fow_jw_kbool(w, "suppressed", l->suppressed[FOW_IND_L_USED]);
    fow_jw_object_end(w);
    fow_jw_kstring(w, "method",
                   "The CREIC labs' figures of the same counted people, in total: those with a lab booking not "
                   "cancelled, those checked in to a booking by the lab staff, those with a project recorded in a "
                   "lab, and the hours from their check-ins to their check-outs (from the labs' bookings and "
                   "projects, docs/labs-usage.md). Cells of fewer than 10 people are suppressed; the hours follow "
                   "the people checked in.");
    fow_jw_object_end(w);
    fow_jw_object_end(w);
}

typedef struct text_buf {
    char *s;
    size_t n, cap;
    bool failed;
} text_buf;

static void put(text_buf *b, const char *fmt, ...) {
    if (b->failed) return;
    va_list ap;
    va_start(ap, fmt);
    char tmp[512];
    int len = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (len < 0 || (size_t)len >= sizeof tmp) {
        b->failed = true;
        return;
    }
    if (b->n + (size_t)len + 1 > b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 1024;
        while (cap < b->n + (size_t)len + 1) cap *= 2;
        char *more = realloc(b->s, cap);
        if (!more) {
            b->failed = true;
            return;
        }
        b->s = more;
        b->cap = cap;
    }
    memcpy(b->s + b->n, tmp, (size_t)len + 1);
    b->n += (size_t)len;
}

/* A CSV field: quoted, with quotes doubled. */
static void put_field(text_buf *b, const char *text) {
    put(b, "\"");
    for (const char *p = text; *p; p++) put(b, *p == '"' ? "\"\"" : "%c", *p);
    put(b, "\"");
}

static void put_row(text_buf *b, const fow_indicator_row *r) {
    put_field(b, r->group);
    put(b, ",");
    put_field(b, r->label);
    for (int c = 0; c < FOW_IND_COLUMNS; c++) {
        if (r->suppressed[c]) put(b, ",suppressed");
        else put(b, ",%ld", r->value[c]);
    }
    if (r->rate_suppressed) put(b, ",suppressed\r\n");
    else if (r->value[FOW_IND_ENROLLED] == 0) put(b, ",\r\n"); /* nobody enrolled: no rate */
    else put(b, ",%.1f\r\n", rounded_rate(r));
}

char *fow_indicators_csv(const fow_indicators *ind) {
    text_buf b = {0};
    put(&b, "group,label");
    for (int c = 0; c < FOW_IND_COLUMNS; c++) put(&b, ",%s", column_names[c]);
    put(&b, ",completion_rate\r\n");
    for (size_t i = 0; i < ind->n_rows; i++) put_row(&b, &ind->rows[i]);
    put_row(&b, &ind->total);
    if (b.failed) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
