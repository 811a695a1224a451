# setup.sh — the common start of the command-line test scripts (sourced, not
# run): `. "$(dirname "$0")/lib/setup.sh"` brings lib/check.sh and the
# functions below. CMakeLists.txt runs each script as
#   bash tests/e2e/cli_NAME.sh path/to/fow
# from the build folder, with FOW_DEMO (data/demo) and FOW_SHARED_DATA
# (../shared/data) in the environment; by hand, from a fresh clone, the same
# line works, FOW_DEMO defaulting to this clone's data/demo.
#   E2E_LIB  this folder;  E2E  tests/e2e;  PY  python3;  DEMO (= FOW_DEMO)  the demo data
E2E_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E=$(dirname "$E2E_LIB")
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
export FOW_DEMO="${FOW_DEMO:-$(dirname "$(dirname "$E2E")")/data/demo}"
DEMO="$FOW_DEMO"
. "$E2E_LIB/check.sh"

# make_work: a temporary folder $WORK, removed on exit, with the database
# FOW_DB in it
make_work() {
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  export FOW_DB="$WORK/fow.db"
}

# have_shared_data [FILE...]: D is the public data (FOW_SHARED_DATA); true when
# it holds ESCO v1.2.0 and every FILE (a path inside it)
have_shared_data() {
  D="${FOW_SHARED_DATA:-}"
  [ -n "$D" ] && [ -d "$D/esco-1.2.0" ] || return 1
  local f
  for f in "$@"; do [ -f "$D/$f" ] || return 1; done
}
# need_shared_data [FILE...]: the same, or the script is skipped (exit 77), loudly
need_shared_data() {
  if ! have_shared_data "$@"; then
    echo "SKIPPED: the public data is not at '$D' (../shared/data): $(basename "$0" .sh) did not run" >&2
    exit 77
  fi
}

# import_demo: the demo database, as make demo-db imports it (without its
# employment), into $FOW_DB; each import a check
import_demo() {
  expect 0 "$FOW" --quiet import bundle "$DEMO"
  expect 0 "$FOW" --quiet import risk "$DEMO/risk.csv" --model mcc --source "fow demo risk" --version 2026.11 --licence CC0-1.0
  expect 0 "$FOW" --quiet import attributes "$DEMO/attributes.csv" --source "fow demo attributes" --version 2026.11 --licence CC0-1.0
}

# import_full_data [--mcc-isco]: the public data D into $FOW_DB, each import a
# check: ESCO v1.2.0, Nesta MCC risk by ESCO occupation (with --mcc-isco also
# MCC's own ISCO-4 and ISCO-3 estimates), the MCC attributes, the BLS and
# O*NET crosswalks, and Frey & Osborne through them
import_full_data() {
  expect 0 "$FOW" --quiet import bundle "$D/esco-1.2.0" --source ESCO --version 1.2.0
  expect 0 "$FOW" --quiet import risk "$D/risk/mcc_risk_esco.csv" --model mcc
  if [ "${1:-}" = --mcc-isco ]; then
    expect 0 "$FOW" --quiet import risk "$D/risk/mcc_risk_isco4.csv" --model mcc
    expect 0 "$FOW" --quiet import risk "$D/risk/mcc_risk_isco3.csv" --model mcc
  fi
  expect 0 "$FOW" --quiet import attributes "$D/occupations/mcc_attributes.csv"
  expect 0 "$FOW" --quiet import crosswalk "$D/crosswalks/isco08_soc2010.csv"
  expect 0 "$FOW" --quiet import crosswalk "$D/crosswalks/esco_onet.csv"
  expect 0 "$FOW" --quiet import risk "$D/risk/frey_osborne_soc2010.csv" --model frey-osborne
}
