#!/usr/bin/env bash
# `fow person`: people records from the command line (docs/people.md) — add, list,
# show (audited, with a reason), find, consent and withdraw, the skills profile and
# the moves from it, export to a private file, erasure, counts, the audit log; bad
# input with exit code 1 naming the flag; the key file made with mode 0600.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work
import_demo

# help
expect 0 "$FOW" person --help;                  contains "$WORK/out" "Usage: fow person add"
for sub in add list show find consent withdraw export erase audit counts skills moves; do
  expect 0 "$FOW" person $sub --help;           contains "$WORK/out" "Usage: fow person"
done
expect 1 "$FOW" person;                         contains "$WORK/err" "Usage: fow person"
expect 1 "$FOW" person frobnicate;              contains "$WORK/err" "unknown subcommand 'frobnicate'"
expect 0 "$FOW" --help;                         contains "$WORK/out" "person add|show|list|consent"

# add: the key file is made, owner-only; the name is not in the database in clear
expect 0 "$FOW" person add --name "Vexlorind Quarmby" --contact "+40 799 000 111" --birth-year 1981 \
  --area Cluj-Napoca --occupation "call centre agent" --employment-status employed --organisation "AJOFM Cluj" --json
valid_json
ID=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/out")
equals "$(stat -c %a "$FOW_DB.key")" "600" "the key file's mode"
equals "$(grep -c "Vexlorind" "$FOW_DB" || true)" "0" "the name in the database in clear"
expect 1 "$FOW" person add --birth-year 1700 --organisation X; contains "$WORK/err" "birth_year must be from 1900"
contains "$WORK/err" "(--birth-year)"
expect 1 "$FOW" person add --employment-status retired --organisation X; contains "$WORK/err" "(--employment-status)"
expect 1 "$FOW" person add --occupation "astronaut of the deep" --organisation X; contains "$WORK/err" "(--occupation)"
expect 1 "$FOW" person add;                     contains "$WORK/err" "organisation is required"

# list and show
expect 0 "$FOW" person list;                    contains "$WORK/out" "$ID"; lacks "$WORK/out" "Vexlorind"
expect 1 "$FOW" person show "$ID";              contains "$WORK/err" "reason is required (--reason)"
expect 1 "$FOW" person show p123 --reason x;    contains "$WORK/err" "a person id is 'p'"
expect 0 "$FOW" person show "$ID" --reason "first meeting"
contains "$WORK/out" "Vexlorind Quarmby"; contains "$WORK/out" "call centre agent"
expect 0 "$FOW" person find --name "VEXLORIND quarmby" --reason look-up; contains "$WORK/out" "$ID"
# the name as a word, not an option: the answer says how to give it
expect 1 "$FOW" person find "Demo Person 70" --reason look-up
contains "$WORK/err" "give --name 'Demo Person 70'"

# update: the fields given change, '' clears one, the others stay; audited by field names
expect 0 "$FOW" person update "$ID" --occupation "customer support agent" --area "" --birth-year 1980
contains "$WORK/out" "Changed person $ID"
expect 0 "$FOW" person show "$ID" --reason "after the change" --json
check "the record as changed" '
p = load("out")["person"]
assert (p["occupation"]["label"], p["area"], p["birth_year"], p["name"], p["employment_status"]) == \
    ("customer support agent", None, 1980, "Vexlorind Quarmby", "employed"), p'
expect 1 "$FOW" person update "$ID" --birth-year 1700;    contains "$WORK/err" "(--birth-year)"
expect 1 "$FOW" person update "$ID" --occupation "astronaut of the deep"; contains "$WORK/err" "(--occupation)"
expect 1 "$FOW" person update "$ID";                       contains "$WORK/err" "update needs a field to change"
expect 1 "$FOW" person update "$ID" --organisation X;      contains "$WORK/err" "--organisation does not go with"
expect 1 "$FOW" person update p123 --area x;               contains "$WORK/err" "a person id is 'p'"
expect 0 "$FOW" person audit --person "$ID" --limit 5
contains "$WORK/out" "changed: birth_year, area, occupation"; lacks "$WORK/out" "1980"
expect 0 "$FOW" person update "$ID" --occupation "call centre agent" --area Cluj-Napoca

# consent and the skills profile
expect 1 "$FOW" person skills "$ID";            contains "$WORK/err" "has not given consent to counselling"
expect 1 "$FOW" person consent "$ID" marketing --text-version 1; contains "$WORK/err" "PURPOSE must be"
expect 0 "$FOW" person consent "$ID" counselling --text-version 2026-1
expect 0 "$FOW" person skills infer "$ID";      contains "$WORK/out" "inferred from"
expect 0 "$FOW" person skills add "$ID" "use spreadsheets software" --provenance assessment --detail "test 2026"
expect 1 "$FOW" person skills add "$ID" "juggling fire"; contains "$WORK/err" "no skill 'juggling fire'"
expect 1 "$FOW" person skills add "$ID" "handle phone calls" --provenance rumour; contains "$WORK/err" "--provenance must be"
expect 0 "$FOW" person skills "$ID" --json;     valid_json
check "the profile's provenances" '
d = load("out")
assert {s["provenance"] for s in d["skills"]} == {"occupation", "assessment"}, d'
expect 0 "$FOW" person moves "$ID" --limit 3;   contains "$WORK/out" "judged for pay and risk as call centre agent"
expect 0 "$FOW" person withdraw "$ID" counselling
expect 1 "$FOW" person moves "$ID";             contains "$WORK/err" "withdrew consent to counselling"

# export, erase, counts, audit
expect 0 "$FOW" person export "$ID" --reason "subject access request" --out "$WORK/export.json"
equals "$(stat -c %a "$WORK/export.json")" "600" "the export's mode"
contains "$WORK/export.json" "Vexlorind Quarmby"
expect 1 "$FOW" person erase "$ID";             contains "$WORK/err" "reason is required"
expect 0 "$FOW" person erase "$ID" --reason "the person asked"; contains "$WORK/out" "Erased $ID"
expect 1 "$FOW" person show "$ID" --reason x;   contains "$WORK/err" "no person $ID"
equals "$(grep -c "Vexlorind" "$FOW_DB" "$FOW_DB-wal" 2>/dev/null | awk -F: '{s += $2} END {print s + 0}')" "0" "the name after erasure"
expect 0 "$FOW" person counts --json
check "counts after erasure" '
d = load("out")
o = d["organisations"][0]
assert (o["organisation"], o["served"], o["erased"], o["active"]) == ("AJOFM Cluj", 1, 1, 0), d'
expect 0 "$FOW" person audit --person "$ID";    contains "$WORK/out" "erase"; contains "$WORK/out" "the person asked"
contains "$WORK/out" "first meeting"

# a user's organisation
PW="$WORK/pw"; printf 'first secret pass\n' > "$PW"
expect 0 "$FOW" user add carla --role counsellor --organisation "AJOFM Cluj" --password-file "$PW" --json
contains "$WORK/out" '"organisation": "AJOFM Cluj"'
expect 0 "$FOW" user organisation carla "AJOFM Iasi"; contains "$WORK/out" "carla now belongs to the organisation AJOFM Iasi"
expect 1 "$FOW" user organisation nobody X;     contains "$WORK/err" "no user named 'nobody'"
echo "cli_person: $passed passed, $failed failed"
[ "$failed" = 0 ]
