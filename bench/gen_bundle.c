/* gen_bundle.c — writes a synthetic fow bundle N times the size of ESCO
 * v1.2.0 (bundle_gen.h says how it is made).
 *
 *   ./build/gen_bundle [DATA] --scale N --out DIR [--seed S]
 *
 * DATA is the shared data folder (default $FOW_SHARED_DATA, else
 * ../shared/data); its esco-1.2.0/ is read. DIR is created when missing (put
 * it under /tmp, never in the repository); S defaults to 20261202. The same
 * DATA, N and S always give the same files. Then:
 *
 *   ./build/fow --db /tmp/x10.db import bundle DIR
 *
 * DIR/extras/ gets the MCC risk estimates and attributes of every copy
 * (not part of the bundle; its size is not counted in the bundle's):
 *
 *   ./build/fow --db /tmp/x10.db import risk DIR/extras/risk_mcc.csv --model mcc
 *   ./build/fow --db /tmp/x10.db import attributes DIR/extras/attributes.csv
 */
#include <stdio.h>
#include <string.h>

#include "bench_util.h"
#include "bundle_gen.h"

static void usage(void) {
    fprintf(stderr, "usage: gen_bundle [DATA] --scale N --out DIR [--seed S]\n");
    exit(2);
}

int main(int argc, char **argv) {
    const char *data_arg = NULL, *out = NULL;
    long scale = 0, seed = 20261202;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 1, 1000, &scale)) usage();
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            if (bench_parse_count(argv[++i], 0, 0x7fffffffL, &seed)) usage();
        } else if (argv[i][0] != '-' && !data_arg) {
            data_arg = argv[i];
        } else {
            usage();
        }
    }
    if (!out || scale < 1) usage();
    const char *data = bench_data_dir(data_arg);
    bench_check_data(data);
    char esco[4096];
    bench_join(esco, sizeof esco, data, "esco-1.2.0");
    bundle_gen_input in;
    bundle_gen_read(&in, esco);
    double t0 = bench_now_ms();
    bundle_gen_write(&in, (size_t)scale, (uint64_t)seed, out);
    bundle_gen_write_extras(&in, (size_t)scale, (uint64_t)seed, data, out);
    printf("%s: ESCO x%ld (seed %ld): %zu occupations, %zu skills, from %zu relations and %zu parents each; "
           "%.1f MB in %.0f ms\n",
           out, scale, seed, in.n_occ * (size_t)scale, in.n_skill * (size_t)scale, in.n_rel, in.n_parent,
           (double)bundle_gen_dir_bytes(out) / 1e6, bench_now_ms() - t0);
    printf("and %s/extras/: risk_mcc.csv (import risk --model mcc) and attributes.csv (import attributes)\n", out);
    bundle_gen_free(&in);
    return 0;
}
