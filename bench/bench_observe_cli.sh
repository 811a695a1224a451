#!/bin/sh
# bench_observe_cli.sh — issue 16, point 2: what `fow observe` costs, from the command line
# (the model loaded, the area-year read, the result built and written), in each format.
#
#   bench/bench_observe_cli.sh [--rounds N] --area AREA --year Y LABEL=FOW_BINARY:DB [...]
#
# For each LABEL (a build of fow and a database it reads), runs
#   fow observe AREA --year Y            (text)
#   fow observe AREA --year Y --csv
#   fow observe AREA --year Y --json
#   fow observe AREA --year Y --json --units     (builds that know --units)
#   fow scenario AREA --year Y --json
# N rounds (default 11), the commands interleaved within each round (so that the machine's load
# falls on all alike), and prints for each the median wall time, the median CPU time (user +
# system, from /usr/bin/time) and the size of its output.
# The world snapshot (DB.world) is made before by one untimed run of each command.
# Make a database with the 91,560-row area-year of issue 16 (bench/gen_employment.c):
#   build/gen_employment --out /tmp/obs --areas 1 --years 1 --first-year 2018 --age-groups 5 \
#     --isco-groups ../shared/data/esco-1.2.0/isco_groups.csv
#   fow --db obs.db import bundle ../shared/data/esco-1.2.0
#   fow --db obs.db import risk ../shared/data/risk/mcc_risk_esco.csv --model mcc
#   fow --db obs.db import employment /tmp/obs/area-01.csv --area "Area 01" --source gen --version 1 --licence gen
set -eu

rounds=11 area="" year=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --area) area=$2; shift 2 ;;
    --year) year=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    --*) echo "bench_observe_cli: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ -n "$area" ] && [ -n "$year" ] && [ $# -gt 0 ] || { echo "bench_observe_cli: give --area, --year and LABEL=FOW:DB" >&2; exit 2; }

work=$(mktemp -d /tmp/fow-bench-observe.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

# the cases: one line each, "label|name|fow|db|arguments after the area"
: > "$work/cases"
for spec in "$@"; do
  label=${spec%%=*}
  rest=${spec#*=}
  bin=${rest%%:*}
  db=${rest#*:}
  [ -x "$bin" ] && [ -f "$db" ] || { echo "bench_observe_cli: $bin or $db is missing" >&2; exit 2; }
  for fmt in "text|" "csv|--csv" "json|--json" "json --units|--json --units" "scenario json|--json"; do
    name=${fmt%%|*}
    args=${fmt#*|}
    if [ "$name" = "json --units" ] && ! "$bin" observe --help 2>&1 | grep -q -- '--units'; then continue; fi
    echo "$label|$name|$bin|$db|$args" >> "$work/cases"
  done
done

run_case() { # label name bin db args -> output in $work/out
  if [ "$2" = "scenario json" ]; then
    # shellcheck disable=SC2086
    "$3" --db "$4" scenario "$area" --year "$year" $5 > "$work/out"
  else
    # shellcheck disable=SC2086
    "$3" --db "$4" observe "$area" --year "$year" $5 > "$work/out"
  fi
}

# the command line of a case, quoted for sh -c
declare_case() { # name bin db args
  what=observe
  [ "$1" = "scenario json" ] && what=scenario
  printf "'%s' --db '%s' %s '%s' --year '%s' %s" "$2" "$3" "$what" "$area" "$year" "$4"
}

i=0
while IFS='|' read -r label name bin db args; do
  i=$((i + 1))
  run_case "$label" "$name" "$bin" "$db" "$args"
  wc -c < "$work/out" > "$work/size.$i"
  : > "$work/times.$i"
done < "$work/cases"

r=1
while [ "$r" -le "$rounds" ]; do
  i=0
  while IFS='|' read -r label name bin db args; do
    i=$((i + 1))
    /usr/bin/time -f '%e %U %S' -o "$work/time" sh -c "$(declare_case "$name" "$bin" "$db" "$args")" > "$work/out"
    read -r wall user sys < "$work/time"
    echo "$wall $user $sys" | awk '{printf "%.3f %.3f\n", $1, $2 + $3}' >> "$work/times.$i"
  done < "$work/cases"
  r=$((r + 1))
done

median() { # column of times.N
  awk -v c="$1" '{print $c}' "$2" | sort -n |
    awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
echo "(cpu = user + system time: on a loaded machine the wall time is mostly waiting for a core)"
printf '%-8s %-14s %11s %11s %14s\n' label command "median wall" "median cpu" output
i=0
while IFS='|' read -r label name bin db args; do
  i=$((i + 1))
  printf '%-8s %-14s %10.3fs %10.3fs %12s B\n' "$label" "$name" "$(median 1 "$work/times.$i")" \
    "$(median 2 "$work/times.$i")" "$(cat "$work/size.$i")"
done < "$work/cases"
