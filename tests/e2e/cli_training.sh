#!/usr/bin/env bash
# The learning catalogue on the demo taxonomy: fow import modules of the demo
# catalogue, fow modules (all, --skill by label and URI, words), fow module ID
# in text and JSON, and bad files refused with file:line:column and the
# column's name, the database unchanged.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work

"$FOW" --quiet import bundle "$DEMO" > /dev/null || { echo "demo import failed"; exit 1; }

expect 0 "$FOW" modules
contains "$WORK/out" "The learning catalogue is empty"
expect 0 "$FOW" import modules "$DEMO/modules.csv"
contains "$WORK/out" "modules.csv"
equals "$(sql "select count(*) from training_modules")" "9" "modules imported"
equals "$(sql "select count(*) from training_providers")" "3" "providers"
equals "$(sql "select count(*) from training_programmes")" "2" "programmes"

expect 0 "$FOW" modules
contains "$WORK/out" "Culturepreneurs"
contains "$WORK/out" "Gamification"
contains "$WORK/out" "Innovative Audiovisual Contents"
contains "$WORK/out" "Custom Design"
contains "$WORK/out" "450.00 RON per participant"
contains "$WORK/out" "9 of 9 modules"

expect 0 "$FOW" modules --skill "Use Ticketing Systems"
contains "$WORK/out" "W40-SUPPORT"
contains "$WORK/out" "1 of 9 modules"
expect 0 "$FOW" modules --skill urn:fow:demo:skill:use-game-engines --json
equals "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["count"], d["modules"][0]["code"])' "$WORK/out")" "1 CP-GAME" "by URI, JSON"
expect 0 "$FOW" modules "business essentials"
contains "$WORK/out" "CP-BIZ"
expect 1 "$FOW" modules --skill "juggle torches"
contains "$WORK/err" "'juggle torches' (--skill)"

id=$(sql "select id from training_modules where code='W40-SQL'")
expect 0 "$FOW" module "$id"
contains "$WORK/out" "needs module: W40-SHEETS"
contains "$WORK/out" "accreditation ANC-DEMO-0042, valid until 2027-12-31"
expect 0 "$FOW" module "$id" --json
equals "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["cost"]["minor_units"], d["cost"]["amount"], d["prerequisites"]["modules"][0]["code"])' "$WORK/out")" "150000 1500.00 W40-SHEETS" "module JSON"
expect 1 "$FOW" module 9999
contains "$WORK/err" "no module with id 9999"
expect 0 "$FOW" modules --help
contains "$WORK/out" "Usage: fow modules"

# bad files: located, named, nothing written
head -1 "$DEMO/modules.csv" > "$WORK/head.csv"
before=$(snapshot)
{ cat "$WORK/head.csv"; echo 'P,,,,M1,T,T,,,use CRM software,10,online,ro,,-100,RON,,,'; } > "$WORK/neg.csv"
expect 1 "$FOW" import modules "$WORK/neg.csv"
contains "$WORK/err" "neg.csv:2:"
contains "$WORK/err" "cost must be a whole number of minor units"
{ cat "$WORK/head.csv"; echo 'P,,,,M1,T,T,,,use CRM software,10,online,ro,,0,RON,,,'; echo 'P,,,,M2,T,T,,,fly a kite,10,online,ro,,0,RON,,,'; } > "$WORK/unknown.csv"
expect 1 "$FOW" import modules "$WORK/unknown.csv"
contains "$WORK/err" "unknown.csv:3:"
contains "$WORK/err" "unknown skill 'fly a kite' in skills"
{ cat "$WORK/head.csv"; echo 'P,,,,M1,,T,,,use CRM software,10,online,ro,,0,RON,,,'; } > "$WORK/notitle.csv"
expect 1 "$FOW" import modules "$WORK/notitle.csv"
contains "$WORK/err" "notitle.csv:2:"
contains "$WORK/err" "title_ro is empty"
equals "$(snapshot)" "$before" "bad files change nothing"
echo "cli_training: $passed passed, $failed failed"
[ "$failed" = 0 ]
