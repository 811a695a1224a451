/* gen_employment.c — writes the national-scale employment data set of
 * issue 16 in the documented employment format (docs/data-formats.md,
 * "Employment by occupation"): one file per area, each with every ISCO-08
 * unit group code × year × NACE Rev. 2 section (A to U) × sex (M, F).
 * With the defaults (50 areas, 436 codes, 10 years) a file has 183,120
 * rows and the set 9.16 M. With --years 1 --age-groups 5 a file is one
 * area-year of 91,560 rows (436 × 21 × 2 × 5), the observe benchmark's.
 *
 *   gen_employment --out DIR [--areas N] [--codes N] [--years N] [--first-year Y] [--age-groups N]
 *
 * The files are DIR/area-01.csv, DIR/area-02.csv, ...; each is meant for
 * `fow import employment FILE --area "Area 01"`. Codes are 4-digit ISCO-08
 * unit group codes: those of --isco-groups FILE (the `code` column of a
 * taxonomy's isco_groups.csv, its 4-digit codes in file order) or, without
 * it, 4-digit codes made up in a fixed pattern (a database without ISCO
 * groups checks codes for their form only, so both import the same way).
 * Counts are pseudo-random and reproducible (a fixed seed per area); about
 * one cell in 40 is masked (`x`), as small cells are in survey tables. The
 * data is generated, not real: it is for timing, never for figures. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_CODES 1000

static const char usage[] =
    "usage: gen_employment --out DIR [--areas N] [--codes N] [--years N] [--first-year Y] [--age-groups N]\n"
    "                      [--isco-groups FILE]\n"
    "  writes DIR/area-NN.csv: isco_code,year,sector,sex[,age_group],employed, one row per ISCO-08 unit\n"
    "  group code, year, NACE section (A..U), sex (M, F) and, with --age-groups N (1..5), age group\n"
    "  (15-24, 25-34, ...); defaults: 50 areas, 436 codes, 10 years from 2014, no age groups\n";

/* A small reproducible generator (xorshift64*). */
static uint64_t next_random(uint64_t *state) {
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static long parse_count(const char *flag, const char *text, long lo, long hi) {
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || *end || v < lo || v > hi) {
        fprintf(stderr, "gen_employment: %s must be a whole number from %ld to %ld, not '%s'\n", flag, lo, hi, text);
        exit(2);
    }
    return v;
}

/* Reads the 4-digit codes of an isco_groups.csv (first column `code`)
 * into codes; returns how many, at most max. Exits on a read error. */
static int read_isco_groups(const char *path, char codes[][5], int max) {
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "gen_employment: cannot read %s: %s\n", path, strerror(errno));
        exit(1);
    }
    char line[4096];
    int n = 0;
    bool header = true;
    while (n < max && fgets(line, sizeof line, f)) {
        if (header) {
            header = false;
            if (strncmp(line, "code,", 5) != 0) {
                fprintf(stderr, "gen_employment: %s: line 1: the first column must be 'code'\n", path);
                exit(1);
            }
            continue;
        }
        size_t len = strspn(line, "0123456789");
        if (len == 4 && line[4] == ',') {
            memcpy(codes[n], line, 4);
            codes[n++][4] = 0;
        }
    }
    fclose(f);
    return n;
}

int main(int argc, char **argv) {
    const char *out = NULL, *groups = NULL;
    long areas = 50, n_codes = 436, years = 10, first_year = 2014, ages = 0;
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if (!v) {
            fprintf(stderr, "gen_employment: %s needs a value\n%s", a, usage);
            return 2;
        }
        if (strcmp(a, "--out") == 0) out = v;
        else if (strcmp(a, "--areas") == 0) areas = parse_count(a, v, 1, 999);
        else if (strcmp(a, "--codes") == 0) n_codes = parse_count(a, v, 1, MAX_CODES);
        else if (strcmp(a, "--years") == 0) years = parse_count(a, v, 1, 100);
        else if (strcmp(a, "--first-year") == 0) first_year = parse_count(a, v, 1900, 2100);
        else if (strcmp(a, "--age-groups") == 0) ages = parse_count(a, v, 1, 5);
        else if (strcmp(a, "--isco-groups") == 0) groups = v;
        else {
            fprintf(stderr, "gen_employment: unknown option %s\n%s", a, usage);
            return 2;
        }
    }
    if (!out) {
        fprintf(stderr, "gen_employment: --out DIR is required\n%s", usage);
        return 2;
    }
    if (first_year + years - 1 > 2100) {
        fprintf(stderr, "gen_employment: the years would go past 2100\n");
        return 2;
    }
    static char codes[MAX_CODES][5];
    int have = 0;
    if (groups) {
        have = read_isco_groups(groups, codes, (int)n_codes);
        if (have < n_codes) {
            fprintf(stderr, "gen_employment: %s has %d 4-digit codes, fewer than --codes %ld\n", groups, have,
                    n_codes);
            return 1;
        }
    } else {
        /* distinct 4-digit codes whose first digit (the major group) runs 1..9 */
        for (have = 0; have < n_codes; have++)
            snprintf(codes[have], sizeof codes[have], "%d%03d", 1 + have % 9, (have / 9) * 7 % 1000);
    }
    if (mkdir(out, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "gen_employment: cannot create %s: %s\n", out, strerror(errno));
        return 1;
    }
    static const char sections[] = "ABCDEFGHIJKLMNOPQRSTU"; /* NACE Rev. 2: 21 sections */
    static const char *const sexes[] = {"M", "F"};
    static const char *const age_groups[] = {"15-24", "25-34", "35-44", "45-54", "55-64"};
    long n_ages = ages ? ages : 1;
    long long total = 0;
    for (long a = 1; a <= areas; a++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/area-%02ld.csv", out, a);
        FILE *f = fopen(path, "w");
        if (!f) {
            fprintf(stderr, "gen_employment: cannot write %s: %s\n", path, strerror(errno));
            return 1;
        }
        uint64_t state = 0x9E3779B97F4A7C15ULL ^ (uint64_t)a * 0xBF58476D1CE4E5B9ULL;
        fputs(ages ? "isco_code,year,sector,sex,age_group,employed\n" : "isco_code,year,sector,sex,employed\n", f);
        for (long y = 0; y < years; y++)
            for (int c = 0; c < n_codes; c++)
                for (int s = 0; s < 21; s++)
                    for (int x = 0; x < 2; x++)
                        for (long g = 0; g < n_ages; g++) {
                            uint64_t r = next_random(&state);
                            fprintf(f, "%s,%ld,%c,%s,", codes[c], first_year + y, sections[s], sexes[x]);
                            if (ages) fprintf(f, "%s,", age_groups[g]);
                            if (r % 40 == 0) fputs("x\n", f);
                            else fprintf(f, "%llu\n", (unsigned long long)(20 + (r >> 8) % 2000));
                            total++;
                        }
        if (fclose(f) != 0) {
            fprintf(stderr, "gen_employment: writing %s failed\n", path);
            return 1;
        }
    }
    printf("gen_employment: %ld areas x %ld codes x %ld years x 21 sections x 2 sexes x %ld age groups = %lld rows "
           "in %s\n",
           areas, n_codes, years, n_ages, total, out);
    return 0;
}
