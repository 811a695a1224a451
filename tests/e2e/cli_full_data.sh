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
