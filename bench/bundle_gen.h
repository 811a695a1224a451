/* bundle_gen.h — synthetic fow bundles N times the size of ESCO, for the
 * benchmarks (bench/gen_bundle.c writes one from the command line;
 * bench_import_memory generates its own).
 *
 * Input: the compact ESCO v1.2.0 bundle of the shared data (esco-1.2.0/:
 * occupations, skills, occupation_skills, isco_groups, occupation_parents;
 * see ../shared/data/README.md). Output: a fow bundle (docs/data-formats.md)
 * holding scale copies of it:
 *
 * - copy 0 is ESCO itself, row for row (so scale 1 is ESCO with a
 *   source.csv naming the synthetic data set);
 * - copy k >= 1 is a variant taxonomy: every occupation and every skill again,
 *   with its own URI (http://fow.example/synthetic/vK/..., the ESCO UUID kept
 *   as the last segment; skills without a URI stay without one) and its label
 *   (and alternative labels) followed by a qualifier, " (regional)",
 *   " (senior)", ..., then " (variant K)" past the list, so that every URI and
 *   label is unique;
 * - a copy's occupation keeps its ESCO code (with ".vK" appended) and ISCO group,
 *   and its parent is the same copy of its ESCO parent, so every copy
 *   keeps ESCO's nesting;
 * - its skill set is its original's, perturbed: each relation is dropped
 *   with probability 0.10 and then replaced by a relation of another
 *   occupation of the same ISCO group (a skill that plausibly belongs), its
 *   essential/optional flag flipped with probability 0.05, and every skill
 *   that copy k "specialises" (decided once per skill and copy, probability
 *   0.5) replaced by copy k of that skill. Occupations of one copy therefore
 *   overlap each other about as their originals do, and overlap their ESCO
 *   original in the unspecialised skills, so transitions stay realistic;
 * - ISCO groups are not copied: ISCO-08 has a fixed set of codes, and all
 *   copies place their occupations in ESCO's groups (isco_groups.csv is
 *   written once; it is 0.15% of the bundle).
 *
 * bundle_gen_write_extras adds extras/risk_mcc.csv and extras/attributes.csv
 * (MCC's values of the original for every copy; not part of the bundle).
 *
 * Deterministic: the same input, scale and seed give byte-identical files
 * (splitmix64 seeded from seed, copy and occupation, never from the clock).
 * Header-only (static functions); not part of libfow.
 */
#ifndef FOW_BENCH_BUNDLE_GEN_H
#define FOW_BENCH_BUNDLE_GEN_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "base/fow_csv.h"
#include "base/fow_strmap.h"
#include "bench_util.h"

#define BUNDLE_GEN_DROP_PERCENT 10
#define BUNDLE_GEN_FLIP_PERCENT 5
#define BUNDLE_GEN_SPECIALISE_PERCENT 50

typedef struct bundle_gen_occupation {
    const char *uri, *code, *isco_group, *label, *alt_labels;
    size_t group;                  /* index of its ISCO group among the occupations' groups */
    size_t first_rel, n_rel;       /* its relations in the sorted relation array */
} bundle_gen_occupation;

typedef struct bundle_gen_skill {
    const char *label, *uri, *skill_type, *reuse_level, *green, *digital, *transversal, *language;
} bundle_gen_skill;

typedef struct bundle_gen_relation {
    size_t occupation, skill;
    int essential;
    size_t line; /* input order, to keep ESCO's order in copy 0 */
} bundle_gen_relation;

typedef struct bundle_gen_input {
    fow_csv *files[5];
    bundle_gen_occupation *occ;
    size_t n_occ;
    bundle_gen_skill *skill;
    size_t n_skill;
    bundle_gen_relation *rel; /* sorted by occupation, then input order */
    size_t n_rel;
    size_t (*parent)[2];      /* child, parent (occupation indices) */
    size_t n_parent;
    const char *(*group_rows)[2]; /* isco_groups.csv: code, label */
    size_t n_group_rows;
    size_t *group_members;    /* occupation indices grouped by ISCO group */
    size_t *group_first, *group_count;
    size_t n_groups;
    fow_strmap occ_by_uri;    /* ESCO URI -> occupation index */
} bundle_gen_input;

static inline void *bundle_gen_alloc(size_t n) {
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return p;
}

/* Opens dir/name and binds the columns; exits with the located message
 * on a read error (the input is the shared data, not the user's). */
static inline fow_csv *bundle_gen_open(const char *dir, const char *name, const fow_csv_column *cols, size_t n, int *ix) {
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    fow_csv *csv;
    fow_error err = {0};
    if (fow_csv_open(&csv, path, &err) || fow_csv_bind_header(csv, cols, n, ix, &err)) {
        fprintf(stderr, "%s\n", err.message);
        exit(2);
    }
    return csv;
}

static inline int bundle_gen_next(fow_csv *csv) {
    fow_error err = {0};
    int r = fow_csv_next(csv, &err);
    if (r < 0) {
        fprintf(stderr, "%s\n", err.message);
        exit(2);
    }
    return r;
}

static inline const char *bundle_gen_field(fow_csv *csv, int ix) { return ix < 0 ? "" : fow_csv_field(csv, (size_t)ix, NULL); }

static inline int bundle_gen_cmp_rel(const void *a, const void *b) {
    const bundle_gen_relation *x = a, *y = b;
    if (x->occupation != y->occupation) return x->occupation < y->occupation ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

/* Reads ESCO's compact bundle at esco_dir; exits on bad input. */
static inline void bundle_gen_read(bundle_gen_input *in, const char *esco_dir) {
    memset(in, 0, sizeof *in);
    fow_strmap skill_by_label, group_by_code;
    fow_strmap_init(&in->occ_by_uri);
    fow_strmap_init(&skill_by_label);
    fow_strmap_init(&group_by_code);
    size_t cap;
    int ix[8];

    static const fow_csv_column occ_cols[] = {
        {"uri", true}, {"code", false}, {"isco_group", false}, {"label", true}, {"alt_labels", false}};
    fow_csv *csv = in->files[0] = bundle_gen_open(esco_dir, "occupations.csv", occ_cols, 5, ix);
    cap = 4096;
    in->occ = bundle_gen_alloc(cap * sizeof *in->occ);
    while (bundle_gen_next(csv) > 0) {
        if (in->n_occ == cap) {
            in->occ = realloc(in->occ, (cap *= 2) * sizeof *in->occ);
            if (!in->occ) exit(1);
        }
        bundle_gen_occupation *o = &in->occ[in->n_occ];
        memset(o, 0, sizeof *o);
        o->uri = bundle_gen_field(csv, ix[0]);
        o->code = bundle_gen_field(csv, ix[1]);
        o->isco_group = bundle_gen_field(csv, ix[2]);
        o->label = bundle_gen_field(csv, ix[3]);
        o->alt_labels = bundle_gen_field(csv, ix[4]);
        int64_t g;
        if (!fow_strmap_get(&group_by_code, o->isco_group, strlen(o->isco_group), &g)) {
            g = (int64_t)in->n_groups++;
            if (fow_strmap_put(&group_by_code, o->isco_group, strlen(o->isco_group), g)) exit(1);
        }
        o->group = (size_t)g;
        if (fow_strmap_put(&in->occ_by_uri, o->uri, strlen(o->uri), (int64_t)in->n_occ)) exit(1);
        in->n_occ++;
    }

    static const fow_csv_column skill_cols[] = {{"label", true},       {"uri", false},     {"skill_type", false},
                                                {"reuse_level", false}, {"green", false},   {"digital", false},
                                                {"transversal", false}, {"language", false}};
    csv = in->files[1] = bundle_gen_open(esco_dir, "skills.csv", skill_cols, 8, ix);
    cap = 16384;
    in->skill = bundle_gen_alloc(cap * sizeof *in->skill);
    while (bundle_gen_next(csv) > 0) {
        if (in->n_skill == cap) {
            in->skill = realloc(in->skill, (cap *= 2) * sizeof *in->skill);
            if (!in->skill) exit(1);
        }
        bundle_gen_skill *s = &in->skill[in->n_skill];
        s->label = bundle_gen_field(csv, ix[0]);
        s->uri = bundle_gen_field(csv, ix[1]);
        s->skill_type = bundle_gen_field(csv, ix[2]);
        s->reuse_level = bundle_gen_field(csv, ix[3]);
        s->green = bundle_gen_field(csv, ix[4]);
        s->digital = bundle_gen_field(csv, ix[5]);
        s->transversal = bundle_gen_field(csv, ix[6]);
        s->language = bundle_gen_field(csv, ix[7]);
        if (fow_strmap_put(&skill_by_label, s->label, strlen(s->label), (int64_t)in->n_skill)) exit(1);
        in->n_skill++;
    }

    static const fow_csv_column rel_cols[] = {{"occupation_uri", true}, {"relation", true}, {"skill_label", true}};
    csv = in->files[2] = bundle_gen_open(esco_dir, "occupation_skills.csv", rel_cols, 3, ix);
    cap = 1 << 17;
    in->rel = bundle_gen_alloc(cap * sizeof *in->rel);
    while (bundle_gen_next(csv) > 0) {
        const char *ou = bundle_gen_field(csv, ix[0]), *sl = bundle_gen_field(csv, ix[2]);
        int64_t o, s;
        if (!fow_strmap_get(&in->occ_by_uri, ou, strlen(ou), &o) || !fow_strmap_get(&skill_by_label, sl, strlen(sl), &s)) {
            fprintf(stderr, "%s:%ld: unknown occupation or skill\n", fow_csv_name(csv), fow_csv_record_line(csv));
            exit(2);
        }
        if (in->n_rel == cap) {
            in->rel = realloc(in->rel, (cap *= 2) * sizeof *in->rel);
            if (!in->rel) exit(1);
        }
        in->rel[in->n_rel] = (bundle_gen_relation){(size_t)o, (size_t)s,
                                                   strcmp(bundle_gen_field(csv, ix[1]), "essential") == 0, in->n_rel};
        in->n_rel++;
    }
    qsort(in->rel, in->n_rel, sizeof *in->rel, bundle_gen_cmp_rel);
    for (size_t i = 0; i < in->n_rel; i++) {
        bundle_gen_occupation *o = &in->occ[in->rel[i].occupation];
        if (o->n_rel++ == 0) o->first_rel = i;
    }

    static const fow_csv_column group_cols[] = {{"code", true}, {"label", true}};
    csv = in->files[3] = bundle_gen_open(esco_dir, "isco_groups.csv", group_cols, 2, ix);
    cap = 1024;
    in->group_rows = bundle_gen_alloc(cap * sizeof *in->group_rows);
    while (bundle_gen_next(csv) > 0) {
        if (in->n_group_rows == cap) {
            in->group_rows = realloc(in->group_rows, (cap *= 2) * sizeof *in->group_rows);
            if (!in->group_rows) exit(1);
        }
        in->group_rows[in->n_group_rows][0] = bundle_gen_field(csv, ix[0]);
        in->group_rows[in->n_group_rows][1] = bundle_gen_field(csv, ix[1]);
        in->n_group_rows++;
    }

    static const fow_csv_column parent_cols[] = {{"occupation_uri", true}, {"parent_uri", true}};
    csv = in->files[4] = bundle_gen_open(esco_dir, "occupation_parents.csv", parent_cols, 2, ix);
    cap = 2048;
    in->parent = bundle_gen_alloc(cap * sizeof *in->parent);
    while (bundle_gen_next(csv) > 0) {
        const char *c = bundle_gen_field(csv, ix[0]), *p = bundle_gen_field(csv, ix[1]);
        int64_t ci, pi;
        if (!fow_strmap_get(&in->occ_by_uri, c, strlen(c), &ci) || !fow_strmap_get(&in->occ_by_uri, p, strlen(p), &pi)) {
            fprintf(stderr, "%s:%ld: unknown occupation\n", fow_csv_name(csv), fow_csv_record_line(csv));
            exit(2);
        }
        if (in->n_parent == cap) {
            in->parent = realloc(in->parent, (cap *= 2) * sizeof *in->parent);
            if (!in->parent) exit(1);
        }
        in->parent[in->n_parent][0] = (size_t)ci;
        in->parent[in->n_parent][1] = (size_t)pi;
        in->n_parent++;
    }

    /* occupations by ISCO group, for replacement skills */
    in->group_first = bundle_gen_alloc(in->n_groups * sizeof *in->group_first);
    in->group_count = bundle_gen_alloc(in->n_groups * sizeof *in->group_count);
    in->group_members = bundle_gen_alloc(in->n_occ * sizeof *in->group_members);
    for (size_t i = 0; i < in->n_occ; i++) in->group_count[in->occ[i].group]++;
    for (size_t g = 1; g < in->n_groups; g++) in->group_first[g] = in->group_first[g - 1] + in->group_count[g - 1];
    size_t *fill = bundle_gen_alloc(in->n_groups * sizeof *fill);
    for (size_t i = 0; i < in->n_occ; i++) {
        size_t g = in->occ[i].group;
        in->group_members[in->group_first[g] + fill[g]++] = i;
    }
    free(fill);
    fow_strmap_free(&skill_by_label);
    fow_strmap_free(&group_by_code);
}

static inline void bundle_gen_free(bundle_gen_input *in) {
    for (size_t i = 0; i < 5; i++) fow_csv_close(in->files[i]);
    free(in->occ);
    free(in->skill);
    free(in->rel);
    free(in->parent);
    free(in->group_rows);
    free(in->group_members);
    free(in->group_first);
    free(in->group_count);
    fow_strmap_free(&in->occ_by_uri);
    memset(in, 0, sizeof *in);
}

/* The qualifier of copy k >= 1, into buf. */
static inline const char *bundle_gen_qualifier(size_t k, char *buf, size_t n) {
    static const char *const names[] = {"regional", "senior", "junior", "industrial", "public sector",
                                        "digital",  "green",  "freelance", "lead"};
    if (k - 1 < sizeof names / sizeof names[0]) snprintf(buf, n, "%s", names[k - 1]);
    else snprintf(buf, n, "variant %zu", k);
    return buf;
}

/* One CSV field: a, then b when not NULL; quoted when it has to be. sep is
 * written before it (',' or 0 for none). */
static inline void bundle_gen_put(FILE *f, char sep, const char *a, const char *b) {
    if (sep) fputc(sep, f);
    int quote = strpbrk(a, ",\"\r\n") || (b && strpbrk(b, ",\"\r\n"));
    if (!quote) {
        fputs(a, f);
        if (b) fputs(b, f);
        return;
    }
    fputc('"', f);
    for (int part = 0; part < 2; part++) {
        const char *s = part ? b : a;
        for (; s && *s; s++) {
            if (*s == '"') fputc('"', f);
            fputc(*s, f);
        }
    }
    fputc('"', f);
}

/* A URI of copy k: http://fow.example/synthetic/vK/KIND/ + the last path
 * segment of the original. */
static inline void bundle_gen_uri(char *out, size_t n, size_t k, const char *kind, const char *orig) {
    const char *tail = strrchr(orig, '/');
    snprintf(out, n, "http://fow.example/synthetic/v%zu/%s/%s", k, kind, tail ? tail + 1 : orig);
}

/* Whether copy k specialises skill s (replaces it by its own copy). */
static inline int bundle_gen_specialises(uint64_t seed, size_t k, size_t s) {
    uint64_t st = seed ^ (0x5bd1e995ULL * (k + 1)) ^ (0x9E3779B97F4A7C15ULL * (s + 1));
    return bench_splitmix64(&st) % 100 < BUNDLE_GEN_SPECIALISE_PERCENT;
}

static inline FILE *bundle_gen_create(const char *dir, const char *name) {
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        exit(1);
    }
    return f;
}

static inline void bundle_gen_close(FILE *f, const char *name) {
    if (ferror(f) | fclose(f)) {
        fprintf(stderr, "%s: write failed\n", name);
        exit(1);
    }
}

/* Writes the bundle of scale copies of in into out_dir (created when
 * missing; its bundle files are overwritten). */
static inline void bundle_gen_write(const bundle_gen_input *in, size_t scale, uint64_t seed, const char *out_dir) {
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "%s: %s\n", out_dir, strerror(errno));
        exit(1);
    }
    char q[64], suffix[80], uri[1024];

    FILE *f = bundle_gen_create(out_dir, "source.csv");
    fprintf(f, "name,version,licence,url,language\n");
    fprintf(f, "ESCO x%zu (synthetic),1.2.0-x%zu-seed%llu,\"derived from ESCO v1.2.0, (c) European Union, "
               "Decision 2011/833/EU\",,en\n",
            scale, scale, (unsigned long long)seed);
    bundle_gen_close(f, "source.csv");

    f = bundle_gen_create(out_dir, "occupations.csv");
    fputs("uri,code,isco_group,label,alt_labels\n", f);
    for (size_t k = 0; k < scale; k++) {
        if (k) snprintf(suffix, sizeof suffix, " (%s)", bundle_gen_qualifier(k, q, sizeof q));
        for (size_t i = 0; i < in->n_occ; i++) {
            const bundle_gen_occupation *o = &in->occ[i];
            if (!k) {
                bundle_gen_put(f, 0, o->uri, NULL);
                bundle_gen_put(f, ',', o->code, NULL);
                bundle_gen_put(f, ',', o->isco_group, NULL);
                bundle_gen_put(f, ',', o->label, NULL);
                bundle_gen_put(f, ',', o->alt_labels, NULL);
                fputc('\n', f);
                continue;
            }
            bundle_gen_uri(uri, sizeof uri, k, "occupation", o->uri);
            bundle_gen_put(f, 0, uri, NULL);
            char code[96];
            snprintf(code, sizeof code, ".v%zu", k);
            bundle_gen_put(f, ',', o->code, *o->code ? code : NULL);
            bundle_gen_put(f, ',', o->isco_group, NULL);
            bundle_gen_put(f, ',', o->label, suffix);
            /* every alternative label gets the suffix too */
            size_t need = 1, alen = strlen(o->alt_labels);
            for (size_t j = 0; j < alen; j++) need += o->alt_labels[j] == '|';
            char *alts = bundle_gen_alloc(alen + need * strlen(suffix) + 1);
            char *w = alts;
            const char *s = o->alt_labels;
            while (*s) {
                const char *bar = strchr(s, '|');
                size_t len = bar ? (size_t)(bar - s) : strlen(s);
                if (w != alts) *w++ = '|';
                memcpy(w, s, len);
                w += len;
                if (len) w += sprintf(w, "%s", suffix);
                s += len + (bar != NULL);
            }
            *w = '\0';
            bundle_gen_put(f, ',', alts, NULL);
            free(alts);
            fputc('\n', f);
        }
    }
    bundle_gen_close(f, "occupations.csv");

    f = bundle_gen_create(out_dir, "skills.csv");
    fputs("label,uri,skill_type,reuse_level,green,digital,transversal,language\n", f);
    for (size_t k = 0; k < scale; k++) {
        if (k) snprintf(suffix, sizeof suffix, " (%s)", bundle_gen_qualifier(k, q, sizeof q));
        for (size_t i = 0; i < in->n_skill; i++) {
            const bundle_gen_skill *s = &in->skill[i];
            bundle_gen_put(f, 0, s->label, k ? suffix : NULL);
            if (k && *s->uri) bundle_gen_uri(uri, sizeof uri, k, "skill", s->uri);
            bundle_gen_put(f, ',', k && *s->uri ? uri : s->uri, NULL);
            bundle_gen_put(f, ',', s->skill_type, NULL);
            bundle_gen_put(f, ',', s->reuse_level, NULL);
            bundle_gen_put(f, ',', s->green, NULL);
            bundle_gen_put(f, ',', s->digital, NULL);
            bundle_gen_put(f, ',', s->transversal, NULL);
            bundle_gen_put(f, ',', s->language, NULL);
            fputc('\n', f);
        }
    }
    bundle_gen_close(f, "skills.csv");

    f = bundle_gen_create(out_dir, "occupation_skills.csv");
    fputs("occupation_uri,relation,skill_label\n", f);
    /* copy 0: ESCO's rows in ESCO's order */
    bundle_gen_relation *by_line = bundle_gen_alloc(in->n_rel * sizeof *by_line);
    for (size_t i = 0; i < in->n_rel; i++) by_line[in->rel[i].line] = in->rel[i];
    for (size_t i = 0; i < in->n_rel; i++) {
        bundle_gen_put(f, 0, in->occ[by_line[i].occupation].uri, NULL);
        fputs(by_line[i].essential ? ",essential" : ",optional", f);
        bundle_gen_put(f, ',', in->skill[by_line[i].skill].label, NULL);
        fputc('\n', f);
    }
    free(by_line);
    /* a skill is written at most once per copied occupation: stamp[skill] */
    size_t *stamp = bundle_gen_alloc(2 * in->n_skill * sizeof *stamp);
    size_t stamp_now = 0;
    for (size_t k = 1; k < scale; k++) {
        snprintf(suffix, sizeof suffix, " (%s)", bundle_gen_qualifier(k, q, sizeof q));
        for (size_t i = 0; i < in->n_occ; i++) {
            const bundle_gen_occupation *o = &in->occ[i];
            uint64_t st = seed ^ (0xD1B54A32D192ED03ULL * k) ^ (0x8CB92BA72F3D8DD7ULL * (i + 1));
            bundle_gen_uri(uri, sizeof uri, k, "occupation", o->uri);
            stamp_now++;
            for (size_t j = 0; j < o->n_rel; j++) {
                const bundle_gen_relation *r = &in->rel[o->first_rel + j];
                size_t skill = r->skill;
                int essential = r->essential;
                if (bench_splitmix64(&st) % 100 < BUNDLE_GEN_DROP_PERCENT) {
                    /* replaced by a relation of another occupation of the group */
                    size_t members = in->group_count[o->group];
                    if (members < 2) continue;
                    size_t peer = in->group_members[in->group_first[o->group] + bench_splitmix64(&st) % members];
                    if (peer == i || in->occ[peer].n_rel == 0) continue;
                    const bundle_gen_relation *pr =
                        &in->rel[in->occ[peer].first_rel + bench_splitmix64(&st) % in->occ[peer].n_rel];
                    skill = pr->skill;
                    essential = pr->essential;
                }
                if (bench_splitmix64(&st) % 100 < BUNDLE_GEN_FLIP_PERCENT) essential = !essential;
                int own = bundle_gen_specialises(seed, k, skill);
                size_t slot = skill * 2 + (size_t)own;
                if (stamp[slot] == stamp_now) continue;
                stamp[slot] = stamp_now;
                bundle_gen_put(f, 0, uri, NULL);
                fputs(essential ? ",essential" : ",optional", f);
                bundle_gen_put(f, ',', in->skill[skill].label, own ? suffix : NULL);
                fputc('\n', f);
            }
        }
    }
    free(stamp);
    bundle_gen_close(f, "occupation_skills.csv");

    f = bundle_gen_create(out_dir, "isco_groups.csv");
    fputs("code,label\n", f);
    for (size_t i = 0; i < in->n_group_rows; i++) {
        bundle_gen_put(f, 0, in->group_rows[i][0], NULL);
        bundle_gen_put(f, ',', in->group_rows[i][1], NULL);
        fputc('\n', f);
    }
    bundle_gen_close(f, "isco_groups.csv");

    f = bundle_gen_create(out_dir, "occupation_parents.csv");
    fputs("occupation_uri,parent_uri\n", f);
    char parent_uri[1024];
    for (size_t k = 0; k < scale; k++) {
        for (size_t i = 0; i < in->n_parent; i++) {
            const char *c = in->occ[in->parent[i][0]].uri, *p = in->occ[in->parent[i][1]].uri;
            if (k) {
                bundle_gen_uri(uri, sizeof uri, k, "occupation", c);
                bundle_gen_uri(parent_uri, sizeof parent_uri, k, "occupation", p);
                c = uri;
                p = parent_uri;
            }
            bundle_gen_put(f, 0, c, NULL);
            bundle_gen_put(f, ',', p, NULL);
            fputc('\n', f);
        }
    }
    bundle_gen_close(f, "occupation_parents.csv");
}

/* Copies the per-occupation CSV file src (a header with occupation_uri)
 * to dst for every copy: copy 0 as it is, copy k >= 1 for the rows naming
 * an ESCO occupation, with that copy's URI and, when the file has
 * annual_earnings_gbp, the earnings times a factor in 0.9..1.1 (so that
 * copies differ in pay as they do in skills). */
static inline void bundle_gen_copy_by_occupation(const bundle_gen_input *in, size_t scale, uint64_t seed, const char *src,
                                          const char *dst_dir, const char *dst_name) {
    fow_csv *csv;
    fow_error err = {0};
    if (fow_csv_open(&csv, src, &err)) {
        fprintf(stderr, "%s\n", err.message);
        exit(2);
    }
    FILE *f = bundle_gen_create(dst_dir, dst_name);
    int uri_col = -1, pay_col = -1;
    size_t fields = 0;
    if (bundle_gen_next(csv) > 0) {
        fields = fow_csv_field_count(csv);
        for (size_t i = 0; i < fields; i++) {
            const char *h = fow_csv_field(csv, i, NULL);
            if (strcmp(h, "occupation_uri") == 0) uri_col = (int)i;
            if (strcmp(h, "annual_earnings_gbp") == 0) pay_col = (int)i;
            bundle_gen_put(f, i ? ',' : 0, h, NULL);
        }
        fputc('\n', f);
    }
    if (uri_col < 0) {
        fprintf(stderr, "%s: no occupation_uri column\n", src);
        exit(2);
    }
    /* the rows, kept to be written once per copy */
    size_t n_rows = 0, cap = 4096;
    const char **cells = bundle_gen_alloc(cap * fields * sizeof *cells);
    while (bundle_gen_next(csv) > 0) {
        if (n_rows == cap) {
            cells = realloc(cells, (cap *= 2) * fields * sizeof *cells);
            if (!cells) exit(1);
        }
        for (size_t i = 0; i < fields; i++) cells[n_rows * fields + i] = fow_csv_field(csv, i, NULL);
        n_rows++;
    }
    char uri[1024], pay[64];
    for (size_t k = 0; k < scale; k++) {
        for (size_t r = 0; r < n_rows; r++) {
            const char **row = &cells[r * fields];
            int64_t occ;
            if (k && !fow_strmap_get(&in->occ_by_uri, row[uri_col], strlen(row[uri_col]), &occ)) continue;
            for (size_t i = 0; i < fields; i++) {
                const char *v = row[i];
                if (k && (int)i == uri_col) {
                    bundle_gen_uri(uri, sizeof uri, k, "occupation", v);
                    v = uri;
                } else if (k && (int)i == pay_col && *v) {
                    uint64_t st = seed ^ (0xA0761D6478BD642FULL * k) ^ (0xE7037ED1A0B428DBULL * ((uint64_t)occ + 1));
                    double factor = 0.9 + 0.2 * (double)(bench_splitmix64(&st) % 1001) / 1000.0;
                    snprintf(pay, sizeof pay, "%.2f", strtod(v, NULL) * factor);
                    v = pay;
                }
                bundle_gen_put(f, i ? ',' : 0, v, NULL);
            }
            fputc('\n', f);
        }
    }
    free(cells);
    fow_csv_close(csv);
    bundle_gen_close(f, dst_name);
}

/* Writes out_dir/extras/risk_mcc.csv and extras/attributes.csv: Nesta's MCC
 * risk estimates and attributes (data_dir/risk/mcc_risk_esco.csv,
 * data_dir/occupations/mcc_attributes.csv) for every copy, so that the safe
 * and desirable filters of transitions work on the synthetic taxonomy.
 * They are not part of the bundle: import them with `fow import risk
 * ... --model mcc` and `fow import attributes ...`. */
static inline void bundle_gen_write_extras(const bundle_gen_input *in, size_t scale, uint64_t seed, const char *data_dir,
                                    const char *out_dir) {
    char extras[8192], src[8192];
    snprintf(extras, sizeof extras, "%s/extras", out_dir);
    if (mkdir(extras, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "%s: %s\n", extras, strerror(errno));
        exit(1);
    }
    snprintf(src, sizeof src, "%s/risk/mcc_risk_esco.csv", data_dir);
    bundle_gen_copy_by_occupation(in, scale, seed, src, extras, "risk_mcc.csv");
    snprintf(src, sizeof src, "%s/occupations/mcc_attributes.csv", data_dir);
    bundle_gen_copy_by_occupation(in, scale, seed, src, extras, "attributes.csv");
}

/* Total size in bytes of the regular files directly in dir (0 when it
 * can't be read). */
static inline unsigned long long bundle_gen_dir_bytes(const char *dir) {
    static const char *const names[] = {"source.csv",   "occupations.csv",        "skills.csv",
                                        "occupation_skills.csv", "isco_groups.csv", "occupation_parents.csv",
                                        "occupation_labels.csv", "skill_labels.csv"};
    unsigned long long total = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[8192];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) total += (unsigned long long)st.st_size;
    }
    return total;
}

#endif
