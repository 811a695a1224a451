#!/usr/bin/env bash
# `fow check`: the consistency checks pass on the demo data and on the full
# public data (when present), in text and JSON; a database broken with raw SQL
# fails with exit code 1 and a line naming the table and the row (employment
# too); the database
# is never changed; an empty database passes; help and bad usage.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work

CHECKS="taxonomy.relations taxonomy.parents taxonomy.groups taxonomy.labels taxonomy.values taxonomy.sources taxonomy.inherited taxonomy.search_index observatory.references observatory.employment vouchers.chain vouchers.transfers vouchers.balances vouchers.negative vouchers.rows calls.award_vouchers calls.award_fits calls.conflicts calls.budget"

# help, and `fow --help` lists it
expect 0 "$FOW" --help;                    contains "$WORK/out" "check "
expect 0 "$FOW" check --help;              contains "$WORK/out" "Usage: fow check [--json]"
contains "$WORK/out" "taxonomy.search_index"
expect 1 "$FOW" check extra;               contains "$WORK/err" "fow check"

# no database: said, and none is made
expect 1 "$FOW" check;                     contains "$WORK/err" "no database at $FOW_DB"
[ ! -e "$FOW_DB" ] && ok || fail "fow check made a database at $FOW_DB"

# the demo data, with an area's employment
import_demo
expect 0 "$FOW" --quiet import employment "$DEMO/employment.csv" --area Cluj-Napoca --illustrative
before=$(snapshot)
expect 0 "$FOW" check
for c in $CHECKS; do contains "$WORK/out" "$c"; done
contains "$WORK/out" "All 19 checks passed."
lacks "$WORK/out" "FAILED"
expect 0 "$FOW" --json check;              valid_json
CHECK_ARGS=($CHECKS)
check "the JSON report of the demo" '
d = load("out")
assert d["ok"] is True, d
assert [c["name"] for c in d["checks"]] == args, d
for c in d["checks"]:
    assert c["ok"] is True and c["problems"] == 0 and c["examples"] == [], c
    assert c["what"], c
    assert c["checked"] > 0 or c["name"].startswith(("vouchers.", "calls.")), c  # the demo has no vouchers, no calls
'
equals "$(snapshot)" "$before" "fow check leaves the demo database as it was"

# broken with raw SQL: a relation to a skill that does not exist, an edited
# inherited risk
cp "$FOW_DB" "$WORK/broken.db"
sqlite3 "$WORK/broken.db" "PRAGMA foreign_keys=OFF;
  INSERT INTO occupation_skills VALUES ((SELECT min(id) FROM occupations), 987654, 1, 1);
  UPDATE occupation_risk SET risk = 4.75 WHERE method = 'inherited'
    AND occupation_id = (SELECT min(occupation_id) FROM occupation_risk WHERE method = 'inherited');"
occ=$(sqlite3 "$WORK/broken.db" "SELECT min(id) FROM occupations")
inh=$(sqlite3 "$WORK/broken.db" "SELECT min(occupation_id) FROM occupation_risk WHERE method = 'inherited'")
broken_before=$(sqlite3 "$WORK/broken.db" .dump | sha256sum)
expect 1 "$FOW" --db "$WORK/broken.db" check
contains "$WORK/out" "taxonomy.relations       FAILED"
contains "$WORK/out" "occupation_skills (occupation_id $occ, skill_id 987654, essential 1): skill_id 987654 is not in skills"
contains "$WORK/out" "taxonomy.inherited       FAILED"
contains "$WORK/out" "occupation_risk (occupation_id $inh, model mcc): stored risk 4.75"
contains "$WORK/out" "taxonomy.parents         ok"
contains "$WORK/out" "2 of 19 checks failed."
contains "$WORK/out" "observatory.employment   ok"
expect 1 "$FOW" --db "$WORK/broken.db" --json check; valid_json
CHECK_ARGS=("$occ")
check "the JSON report of the broken database" '
d = load("out")
assert d["ok"] is False, d
by = {c["name"]: c for c in d["checks"]}
r = by["taxonomy.relations"]
assert r["ok"] is False and r["problems"] == 1, r
assert r["examples"] == ["occupation_skills (occupation_id %s, skill_id 987654, essential 1): skill_id 987654 is not in skills" % args[0]], r
assert by["taxonomy.inherited"]["problems"] == 1, by["taxonomy.inherited"]
assert [n for n, c in by.items() if not c["ok"]] == ["taxonomy.relations", "taxonomy.inherited"], by
assert by["observatory.employment"]["checked"] > 100, by["observatory.employment"]
'
CHECK_ARGS=()
equals "$(sqlite3 "$WORK/broken.db" .dump | sha256sum)" "$broken_before" "fow check leaves a broken database as it was"

# an employment count made negative, a row twice
cp "$FOW_DB" "$WORK/broken2.db"
sqlite3 "$WORK/broken2.db" "UPDATE employment SET employed = -12 WHERE line = 2;
  INSERT INTO employment SELECT area, year, isco_code, occupation_id, sector, sex, age_group, education, employed,
    masked, median_wage, 9999, source_id FROM employment WHERE line = 3;"
expect 1 "$FOW" --db "$WORK/broken2.db" check
contains "$WORK/out" "observatory.employment   FAILED"
contains "$WORK/out" "employment (area Cluj-Napoca, year 2022, line 2): a count of employed people cannot be negative (-12.0)"
contains "$WORK/out" "employment (area Cluj-Napoca, year 2022, lines 3 and 9999): 2 rows for the same occupation and breakdown"
contains "$WORK/out" "1 of 19 checks failed."

# the full public data
if have_shared_data risk/mcc_risk_esco.csv occupations/mcc_attributes.csv crosswalks/esco_onet.csv; then
  export FOW_DB="$WORK/full.db"
  import_full_data --mcc-isco
  for c in ita fra uk; do
    if [ -f "$D/employment/${c}_isco3_thousands.csv" ]; then
      expect 0 "$FOW" --quiet import employment "$D/employment/${c}_isco3_thousands.csv" --area "$c"
    fi
  done
  expect 0 "$FOW" check
  contains "$WORK/out" "All 19 checks passed."
  contains "$WORK/out" "taxonomy.relations       ok"
  expect 0 "$FOW" --json check; valid_json
else
  echo "cli_check: the public data is not at '${FOW_SHARED_DATA:-}': the full-data part did not run" >&2
fi

echo "cli_check: $passed passed, $failed failed"
[ "$failed" = 0 ]
