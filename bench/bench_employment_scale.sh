#!/bin/sh
# bench_employment_scale.sh — issue 16, point 1: does importing one area's employment cost
# the rows it imports, or the rows already stored?
#
#   bench/bench_employment_scale.sh [--areas N] [--codes N] [--years N] [--data DIR] [--keep]
#                                   LABEL=FOW_BINARY [LABEL=FOW_BINARY ...]
#
# Generates N area files with build/gen_employment (default 50 areas of 436 ISCO-08 codes x 10
# years x 21 NACE sections x 2 sexes = 183,120 rows each), then imports them one by one, area 1
# to N, into one new database per binary, interleaved (area i into every database before area
# i+1, so that the machine's load falls on all of them alike), each with
#   FOW --db DB import employment area-NN.csv --area "Area NN" --source "generated (bench)" ...
# (after a one-row import that creates the database) and prints each import's wall time, then per binary: the first and the last import, their
# ratio, the ratio of the medians of the last five to the first five, the fitted growth exponent
# k of t(i) = a * i^k (least squares of log t on log i; 0 = the same cost for every area), and
# the total. Compare two builds in one run, e.g. main's and this branch's:
#   bench/bench_employment_scale.sh before=/tmp/build-main/fow after=build/fow
# The generated files go to a temporary folder (or --data DIR, kept), deleted at the end
# unless --keep. Nothing is committed: the data is generated, for timing only.
set -eu

areas=50 codes=436 years=10 data="" keep=0
here=$(cd "$(dirname "$0")/.." && pwd)
gen="$here/build/gen_employment"
while [ $# -gt 0 ]; do
  case "$1" in
    --areas) areas=$2; shift 2 ;;
    --codes) codes=$2; shift 2 ;;
    --years) years=$2; shift 2 ;;
    --data) data=$2; keep=1; shift 2 ;;
    --keep) keep=1; shift ;;
    --gen) gen=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    --*) echo "bench_employment_scale: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "bench_employment_scale: give at least one LABEL=FOW_BINARY" >&2; exit 2; }
[ -x "$gen" ] || { echo "bench_employment_scale: $gen is missing: make build first" >&2; exit 2; }

work=$(mktemp -d /tmp/fow-bench-employment.XXXXXX)
[ -n "$data" ] || data="$work/data"
cleanup() {
  rm -rf "$work"
  [ "$keep" = 1 ] || rm -rf "$data"
}
trap cleanup EXIT INT TERM

if [ ! -f "$data/area-$(printf %02d "$areas").csv" ]; then
  "$gen" --out "$data" --areas "$areas" --codes "$codes" --years "$years"
fi
rows=$(($(wc -l < "$data/area-01.csv") - 1))

# each database is created (its migrations run) by a one-row import before the timed ones
printf 'isco_code,year,employed\n1000,2014,1\n' > "$work/warm-up.csv"
labels=""
for spec in "$@"; do
  label=${spec%%=*}
  bin=${spec#*=}
  [ -x "$bin" ] || { echo "bench_employment_scale: $bin is not a program" >&2; exit 2; }
  labels="$labels $label"
  echo "$bin" > "$work/$label.bin"
  : > "$work/$label.times"
  "$bin" --db "$work/$label.db" import employment "$work/warm-up.csv" --area "Warm-up" > /dev/null
done

printf 'area  rows/area'
for label in $labels; do printf '  %21s' "$label wall/cpu"; done
printf '\n'
i=1
while [ "$i" -le "$areas" ]; do
  n=$(printf %02d "$i")
  printf '%4d  %9d' "$i" "$rows"
  for label in $labels; do
    bin=$(cat "$work/$label.bin")
    /usr/bin/time -f '%e %U %S' -o "$work/time" \
      "$bin" --db "$work/$label.db" import employment "$data/area-$n.csv" --area "Area $n" \
      --source "generated employment (bench)" --version 1 --licence "generated for benchmarks" > /dev/null
    read -r wall user sys < "$work/time"
    cpu=$(echo "$user $sys" | awk '{printf "%.2f", $1 + $2}')
    echo "$i $wall $cpu" >> "$work/$label.times"
    printf '  %9ss %9ss' "$wall" "$cpu"
  done
  printf '\n'
  i=$((i + 1))
done

echo
echo "(cpu = user + system time of the import, less disturbed than wall time by other work on the machine)"
echo "label    time   first     last  last/first  median(last 5)/median(first 5)  exponent k   total"
for label in $labels; do
 for column in 2 3; do
  awk -v label="$label" -v col="$column" '
    function median(a, n,   i, j, t, b) {
      for (i = 1; i <= n; i++) b[i] = a[i]
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (b[j] < b[i]) { t = b[i]; b[i] = b[j]; b[j] = t }
      return n % 2 ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
    }
    { n++; v = $col < 0.01 ? 0.01 : $col; t[n] = v; total += v; x = log($1); y = log(v); sx += x; sy += y; sxx += x * x; sxy += x * y }
    END {
      k = n > 1 ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : 0
      m = n < 5 ? n : 5
      for (i = 1; i <= m; i++) { f[i] = t[i]; l[i] = t[n - m + i] }
      printf "%-8s %4s %6.2fs  %6.2fs  %9.2fx  %30.2fx  %10.2f  %6.1fs\n", label, col == 2 ? "wall" : "cpu",
             t[1], t[n], t[n] / t[1], median(l, m) / median(f, m), k, total
    }' "$work/$label.times"
 done
done
