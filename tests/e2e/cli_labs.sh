#!/usr/bin/env bash
# The CREIC labs from the command line (issue 15; docs/labs.md): the demo's labs file and the
# public holidays loaded as make demo-db loads them, then fow check passes; listing and showing
# labs and machines; hours, closures (a local time the clocks skip refused, naming the flag),
# requirements and prices written and refused with clear errors and nothing half-written; what
# a person may use, an in-lab induction issuing the credential that unlocks the laser cutter,
# and its revocation taking the right away at once.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work
ROOT=$(dirname "$DEMO")/..

expect 1 "$FOW" lab list
contains "$WORK/err" "no database"
"$FOW" --quiet import bundle "$DEMO" > /dev/null || { echo "demo import failed"; exit 1; }
"$FOW" --quiet import modules "$DEMO/modules.csv" > /dev/null || { echo "modules import failed"; exit 1; }
expect 0 "$FOW" lab list
contains "$WORK/out" "No labs yet"
# the labs need the CREIC induction modules in the catalogue
expect 1 "$FOW" lab import "$DEMO/labs.json"
contains "$WORK/err" "labs[0]"
equals "$(sql 'SELECT count(*) FROM labs')" "0" "a failed import writes nothing"
expect 0 "$FOW" --quiet import modules "$DEMO/modules_creic.csv" --source "CREIC labs demo"
expect 0 "$FOW" lab import "$DEMO/labs.json"
contains "$WORK/out" "Loaded 3 labs with 14 resources"
expect 0 "$FOW" lab holidays import "$ROOT/data/holidays-ro.csv"
contains "$WORK/out" "Imported 33 public holidays"
expect 0 "$FOW" check
contains "$WORK/out" "checks passed"

expect 0 "$FOW" lab list
contains "$WORK/out" "laser-cutter-1"
contains "$WORK/out" "Laboratorul Work 4.0 & Machine Learning"
expect 0 "$FOW" lab list --json
check "the list names every lab and machine" '
d = json.load(open(f"{work}/out"))
assert d["count"] == 3, d["count"]
codes = {r["code"] for lab in d["labs"] for r in lab["resources"]}
assert {"render-node-1", "mocap-stage", "printer-3d-1", "laser-cutter-1", "cnc-router-1", "robot-arm-1",
        "gpu-workstation-1"} <= codes, codes
'
expect 0 "$FOW" lab show design-dev
contains "$WORK/out" "Sat 10:00-14:00"
contains "$WORK/out" "free until 24 hours before the start"
expect 1 "$FOW" lab show nowhere
contains "$WORK/err" "no lab with the code \"nowhere\""
expect 0 "$FOW" lab resource show laser-cutter-1
contains "$WORK/out" "module:CREIC-LASER-IND  Laser cutter induction"
contains "$WORK/out" "enterprise      120.00 RON"
expect 0 "$FOW" lab holidays --from 2027-04-01 --to 2027-05-31
contains "$WORK/out" "2027-05-02  Orthodox Easter Sunday"
expect 1 "$FOW" lab holidays --from 2027-02-30
contains "$WORK/err" "from"

# bad input names what is wrong, and writes nothing
before=$(snapshot)
expect 1 "$FOW" lab hours design-dev mon=09:00-18:00 mon=17:00-19:00
contains "$WORK/err" "hours[1] overlaps hours[0]"
expect 1 "$FOW" lab hours design-dev funday=09:00-18:00
contains "$WORK/err" "is not a weekday"
expect 1 "$FOW" lab closure add design-dev --kind maintenance --resource laser-cutter-1 \
  --start 2027-03-28T03:30 --end 2027-03-28T05:00
contains "$WORK/err" "does not exist in Europe/Bucharest"
contains "$WORK/err" "(--start)"
expect 1 "$FOW" lab closure add design-dev --kind maintenance --resource robot-arm-1 \
  --start 2027-03-01T10:00 --end 2027-03-01T12:00
contains "$WORK/err" "is not in the lab"
expect 1 "$FOW" lab require laser-cutter-1 module:NO-SUCH-MODULE
contains "$WORK/err" "no module \"NO-SUCH-MODULE\""
expect 1 "$FOW" lab price laser-cutter-1 pupils=10
contains "$WORK/err" "is not a category"
expect 1 "$FOW" lab resource add design-dev bench-2 --kind machine --name-en B --name-ro B --capacity 3
contains "$WORK/err" "capacity of a machine is 1"
contains "$WORK/err" "(--capacity)"
expect 1 "$FOW" lab add Bad_Code --name-en X --name-ro Y
contains "$WORK/err" "lower-case letters"
equals "$(snapshot)" "$before" "refused writes leave the database as it was"

# writes
expect 0 "$FOW" lab add maker-space --name-en "Maker space" --name-ro "Spațiu maker" --cancel-deadline-hours 48
expect 0 "$FOW" lab edit maker-space --late-cancel-fee-percent 30 --json
check "the policy columns are written and read back" '
d = json.load(open(f"{work}/out"))["lab"]
assert d["policy"] == {"cancel_deadline_hours": 48, "late_cancel_fee_percent": 30, "offer_hours": 12}, d["policy"]
'
expect 0 "$FOW" lab resource add maker-space sewing-1 --kind machine --name-en "Sewing machine" \
  --name-ro "Mașină de cusut" --slot-minutes 30 --max-slots 4
expect 0 "$FOW" lab hours maker-space mon=09:00-12:00 mon=13:00-18:00 sat=10:00-14:00
contains "$WORK/out" "Mon 13:00-18:00"
expect 0 "$FOW" lab price sewing-1 school=5 enterprise=40.50
contains "$WORK/out" "enterprise      40.50 RON"
DAY=$(date -u -d "+60 days" +%Y-%m-%d)
NEXT=$(date -u -d "+61 days" +%Y-%m-%d)
expect 0 "$FOW" lab closure add maker-space --kind closure --start "${DAY}T09:00" --end "${NEXT}T09:00" \
  --reason "inventory"
contains "$WORK/out" "Closure #1 added."
expect 0 "$FOW" lab show maker-space --json
CHECK_ARGS=("$DAY")
check "the closure is shown in local time with its offset" '
d = json.load(open(f"{work}/out"))["lab"]
start = d["closures"][0]["start"]
assert start in (args[0] + "T09:00+02:00", args[0] + "T09:00+03:00"), d["closures"]
assert d["closures"][0]["resource"] is None
'
CHECK_ARGS=()
expect 0 "$FOW" lab closure delete 1
expect 1 "$FOW" lab closure delete 1
contains "$WORK/err" "no lab closure with the id 1"

# a person, their access, an induction, a revocation
P=$("$FOW" person add --organisation creic --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["id"])')
expect 0 "$FOW" person consent "$P" training --text-version v1
expect 0 "$FOW" lab access "$P" laser-cutter-1
contains "$WORK/out" "missing: module:CREIC-LASER-IND (Laser cutter induction)"
expect 0 "$FOW" lab induction laser-cutter-1 "$P" --json
check "the induction issues the credential" '
d = json.load(open(f"{work}/out"))
assert d["induction"]["module"] == "CREIC-LASER-IND", d
assert d["result"]["completion"]["result"] == "passed", d
assert d["result"]["credential"]["id"].startswith("urn:uuid:"), d
open(f"{work}/credential", "w").write(d["result"]["credential"]["id"])
'
expect 0 "$FOW" lab access "$P" laser-cutter-1 --json
check "the credential unlocks the laser cutter" '
d = json.load(open(f"{work}/out"))
assert d["allowed"] is True and d["met"][0]["credential"] == open(f"{work}/credential").read(), d
'
expect 1 "$FOW" lab induction laser-cutter-1 "$P"
contains "$WORK/err" "already completed"
expect 0 "$FOW" credential revoke "$(cat "$WORK/credential")" --reason "unsafe use"
expect 0 "$FOW" lab access "$P" --json
check "a revoked credential removes the right at once" '
d = json.load(open(f"{work}/out"))
laser = next(r for r in d["resources"] if r["resource"] == "laser-cutter-1")
assert laser["allowed"] is False and laser["missing"][0]["ref"] == "CREIC-LASER-IND", laser
gpu = next(r for r in d["resources"] if r["resource"] == "gpu-workstation-1")
assert gpu["allowed"] is True and gpu["required"] == 0, gpu
'
expect 0 "$FOW" check
contains "$WORK/out" "checks passed"

expect 0 "$FOW" lab --help
contains "$WORK/out" "fow lab induction RESOURCE PERSON"
expect 1 "$FOW" lab frobnicate
contains "$WORK/err" "unknown subcommand 'frobnicate'"

echo "cli_labs: $passed passed, $failed failed"
[ "$failed" = 0 ]
