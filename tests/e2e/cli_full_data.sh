#!/usr/bin/env bash
# Every import command on the full public data in ../shared/data, then the
# reading commands on the result. Skipped (exit 77), loudly, without the data.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
need_shared_data
make_work
json_value() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval("d"+sys.argv[2]))' "$WORK/out" "$1"; }

expect 0 "$FOW" --json import bundle "$D/esco-1.2.0" --source ESCO --version 1.2.0 \
  --licence "© European Union, reuse authorised under Commission Decision 2011/833/EU"
equals "$(json_value '["files"][2]["rows_imported"]')" 129004 "relations imported"
expect 0 "$FOW" --json import risk "$D/risk/mcc_risk_esco.csv" --model mcc
equals "$(json_value '["files"][0]["rows_read"]')" 1627 "MCC rows read"
equals "$(json_value '["files"][0]["rows_imported"]')" 1625 "MCC rows imported"
equals "$(json_value '["files"][0]["rows_rejected"]')" 2 "MCC rows not in ESCO v1.2.0"
expect 0 "$FOW" import risk "$D/risk/mcc_risk_isco4.csv" --model mcc
expect 0 "$FOW" import risk "$D/risk/mcc_risk_isco3.csv" --model mcc
expect 0 "$FOW" import risk "$D/risk/frey_osborne_soc2010.csv" --model frey-osborne
expect 0 "$FOW" import attributes "$D/occupations/mcc_attributes.csv"
expect 0 "$FOW" import crosswalk "$D/crosswalks/isco08_soc2010.csv"
expect 0 "$FOW" import crosswalk "$D/crosswalks/esco_onet.csv"
# a wrong model for a file is refused with the value's position
expect 1 "$FOW" import risk "$D/risk/frey_osborne_soc2010.csv" --model mcc
contains "$WORK/err" "frey_osborne_soc2010.csv:2:9: column 'probability': 0.015 is outside 1..5"

expect 0 "$FOW" stats --json
equals "$(json_value '["occupations"]')" 3039 occupations
equals "$(json_value '["skills"]')" 13492 skills
equals "$(json_value '["occupation_skill_relations"]')" 129004 relations
equals "$(json_value '["isco_groups"]')" 619 "ISCO groups"
equals "$(json_value '["nested_occupations"]')" 1248 "nested occupations"
expect 0 "$FOW" sources
contains "$WORK/out" "ESCO, version 1.2.0"
contains "$WORK/out" "risk:mcc:isco4"

expect 0 "$FOW" occupation "technical director" --json
equals "$(json_value '["code"]')" 2654.1.7 "technical director's code"
equals "$(json_value '["isco_path"][3]["code"]')" 2654 "technical director's ISCO group"
equals "$(json_value '["risk"][0]["method"]')" inherited "technical director's MCC risk is inherited"
expect 0 "$FOW" search "softw" --kind occupation --limit 5
contains "$WORK/out" "software developer"
expect 0 "$FOW" search "DESIGNERS’ WORK" --kind skill
contains "$WORK/out" "adapt designers’ work to the performance venue"
expect 0 "$FOW" risk --own --limit 5
contains "$WORK/out" "1625 occupations have a value"

# a bundle that would take away good data (issue 11, finding 3): a
# header-only occupation_skills.csv would remove all 129,004 relations, a
# header-only occupation_parents.csv the 1,248 nestings and with them the
# inherited risk and attributes; each is refused, naming --allow-shrink,
# with the database exactly as it was
ESCO_AGAIN=(--source ESCO --version 1.2.0 --licence "© European Union, reuse authorised under Commission Decision 2011/833/EU")
mkdir -p "$WORK/cut" && cp -r "$D/esco-1.2.0" "$WORK/cut/"
head -n 1 "$D/esco-1.2.0/occupation_skills.csv" > "$WORK/cut/esco-1.2.0/occupation_skills.csv"
before=$(snapshot)
expect 1 "$FOW" import bundle "$WORK/cut/esco-1.2.0" "${ESCO_AGAIN[@]}"
contains "$WORK/err" "would leave taxonomy:ESCO with 0 of its 129004 rows in occupation_skills (none left)"
contains "$WORK/err" "(--allow-shrink)"
equals "$(snapshot)" "$before" "refused: the relations stay"
cp "$D/esco-1.2.0/occupation_skills.csv" "$WORK/cut/esco-1.2.0/"
head -n 1 "$D/esco-1.2.0/occupation_parents.csv" > "$WORK/cut/esco-1.2.0/occupation_parents.csv"
equals "$(sql "select count(*) from occupation_risk")|$(sql "select count(*) from occupation_attributes")" "5771|2857" \
  "risk and attributes before"
expect 1 "$FOW" import bundle "$WORK/cut/esco-1.2.0" "${ESCO_AGAIN[@]}"
contains "$WORK/err" "would leave taxonomy:ESCO with 0 of its 1248 rows in occupation_parents (none left)"
equals "$(snapshot)" "$before" "refused: the nesting and the inherited values stay"
# asked for, the smaller taxonomy goes in (in a copy), and the inherited values go with the nesting
cp "$FOW_DB" "$WORK/shrunk.db"
expect 0 "$FOW" --db "$WORK/shrunk.db" import bundle "$WORK/cut/esco-1.2.0" "${ESCO_AGAIN[@]}" --allow-shrink
equals "$(sqlite3 "$WORK/shrunk.db" "select count(*) from occupation_risk")|$(sqlite3 "$WORK/shrunk.db" "select count(*) from occupation_attributes")" \
  "4532|1625" "risk and attributes after the nesting went"
# the same files under another version: only the source's description changes
expect 0 "$FOW" import bundle "$D/esco-1.2.0" --source ESCO --version 1.2.0-rev2 --licence "${ESCO_AGAIN[4]}"
contains "$WORK/out" "only the source's description was updated"
contains "$WORK/out" "version '1.2.0' is now '1.2.0-rev2'"
equals "$(sql "select version from sources where dataset='taxonomy:ESCO'")" "1.2.0-rev2" "the new version is recorded"
equals "$(sql "select count(*) from occupation_skills")" "129004" "the data is not written again"

# the ESCO portal layout, into a fresh database
export FOW_DB="$WORK/official.db"
expect 0 "$FOW" import esco "$D/esco-1.2.0-official" --lang en --version 1.2.0
contains "$WORK/out" "skills_en.csv not found (optional)"
expect 0 "$FOW" stats --json
equals "$(json_value '["occupations"]')" 3039 "occupations from the ESCO portal files"
equals "$(json_value '["nested_occupations"]')" 1248 "nesting from broaderRelationsOccPillar"
expect 0 "$FOW" occupation 2654.1.7
contains "$WORK/out" "technical director"

echo "cli_full_data: $passed passed, $failed failed"
[ "$failed" = 0 ]
