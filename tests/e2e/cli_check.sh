#!/usr/bin/env bash
# `fow check`: the consistency checks pass on the demo data and on the full
# public data (when present), in text and JSON; a database broken with raw SQL
# fails with exit code 1 and a line naming the table and the row; the database
# is never changed; an empty database passes; help and bad usage.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work

CHECKS="taxonomy.relations taxonomy.parents taxonomy.groups taxonomy.labels taxonomy.values taxonomy.sources taxonomy.inherited taxonomy.search_index"

# help, and `fow --help` lists it
expect 0 "$FOW" --help;                    contains "$WORK/out" "check "
expect 0 "$FOW" check --help;              contains "$WORK/out" "Usage: fow check [--json]"
contains "$WORK/out" "taxonomy.search_index"
expect 1 "$FOW" check extra;               contains "$WORK/err" "fow check"

# no database: said, and none is made
expect 1 "$FOW" check;                     contains "$WORK/err" "no database at $FOW_DB"
[ ! -e "$FOW_DB" ] && ok || fail "fow check made a database at $FOW_DB"

# the demo data
import_demo
before=$(snapshot)
expect 0 "$FOW" check
for c in $CHECKS; do contains "$WORK/out" "$c"; done
contains "$WORK/out" "All 8 checks passed."
lacks "$WORK/out" "FAILED"
expect 0 "$FOW" --json check;              valid_json
CHECK_ARGS=($CHECKS)
check "the JSON report of the demo" '
d = load("out")
assert d["ok"] is True, d
assert [c["name"] for c in d["checks"]] == args, d
for c in d["checks"]:
    assert c["ok"] is True and c["problems"] == 0 and c["examples"] == [], c
    assert c["checked"] > 0 and c["what"], c
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
contains "$WORK/out" "2 of 8 checks failed."
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
'
CHECK_ARGS=()
equals "$(sqlite3 "$WORK/broken.db" .dump | sha256sum)" "$broken_before" "fow check leaves a broken database as it was"

# the full public data
if have_shared_data risk/mcc_risk_esco.csv occupations/mcc_attributes.csv crosswalks/esco_onet.csv; then
  export FOW_DB="$WORK/full.db"
  import_full_data --mcc-isco
  expect 0 "$FOW" check
  contains "$WORK/out" "All 8 checks passed."
  contains "$WORK/out" "taxonomy.relations       ok"
  expect 0 "$FOW" --json check; valid_json
else
  echo "cli_check: the public data is not at '${FOW_SHARED_DATA:-}': the full-data part did not run" >&2
fi

echo "cli_check: $passed passed, $failed failed"
[ "$failed" = 0 ]
