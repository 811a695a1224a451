#!/usr/bin/env bash
# fow person plan on the demo data (issue 13, point 7; docs/plans.md): a plan needs
# counselling consent; a move computes the gap and the modules with their cohorts;
# modules, cohorts, milestones and status are edited; the history lists every
# change; the export holds the plan and the erasure removes it; bad arguments are
# refused naming what is wrong; fow plan --person plans from the stored profile.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work

import_demo
expect 0 "$FOW" --quiet import modules "$DEMO/modules.csv"
expect 0 "$FOW" cohort load "$DEMO/cohorts.csv"
expect 0 "$FOW" person add --organisation Demo --occupation "call centre agent"
p=$(sed -n 's/^Added person \(p[a-z2-7]*\)\..*/\1/p' "$WORK/out")
[ -n "$p" ] || fail "no person id in: $(cat "$WORK/out")"

expect 0 "$FOW" person plan --help
contains "$WORK/out" "Usage: fow person plan new PERSON --title TEXT"
expect 1 "$FOW" person plan new "$p" --title "Spre helpdesk"
contains "$WORK/err" "consent"
expect 0 "$FOW" person consent "$p" counselling --text-version v1
expect 0 "$FOW" person skills infer "$p"
expect 0 "$FOW" person plan new "$p" --title "Spre helpdesk"
equals "$(cat "$WORK/out")" "1" "the new plan's id"
expect 0 "$FOW" person plan move 1 "helpdesk technician"
contains "$WORK/out" "Move 1 to helpdesk technician"
contains "$WORK/out" "W40-SUPPORT  60 h  1200.00 RON  IT support for users, starts 2027-02-08"
contains "$WORK/out" "Totals: 1 module, 60 hours, 1200.00 RON"
expect 0 "$FOW" person plan module 1 1 CP-BIZ
cp_cohort=$(sql "select id from training_cohorts where module_code = 'CP-BIZ' order by starts_on limit 1")
expect 0 "$FOW" person plan cohort 1 1 CP-BIZ --cohort "$cp_cohort"
w40_cohort=$(sql "select id from training_cohorts where module_code = 'W40-SUPPORT' order by starts_on limit 1")
expect 1 "$FOW" person plan cohort 1 1 CP-BIZ --cohort "$w40_cohort"
contains "$WORK/err" "is a run of W40-SUPPORT, not of CP-BIZ"
expect 0 "$FOW" person plan drop 1 1 CP-BIZ
expect 0 "$FOW" person plan milestone 1 --title "Începe W40-SUPPORT" --due 2027-02-08
expect 0 "$FOW" person plan milestone 1 1 --status in_progress
expect 0 "$FOW" person plan status 1 active
expect 0 "$FOW" --json person plan show 1
check "plan JSON" '
assert d["status"] == "active" and d["person"].startswith("p"), d
mv = d["moves"][0]
assert mv["occupation"]["label"] == "helpdesk technician"
assert mv["gap"]["to_learn_count"] == len(mv["gap"]["to_learn"]) > 0
assert mv["data_version"]["stamp"] and mv["gap_at"]
assert [m["code"] for m in mv["modules"]] == ["W40-SUPPORT"]
assert mv["modules"][0]["cost"] == {"minor_units": 120000, "currency": "RON"}
assert d["milestones"] == [{"id": 1, "title": "Începe W40-SUPPORT", "due": "2027-02-08", "status": "in_progress"}]
assert [h["action"] for h in d["history"]] == ["create", "add_move", "add_module", "set_cohort", "remove_module",
    "add_milestone", "set_milestone", "set_status"], d["history"]
'
expect 0 "$FOW" person plan list "$p"
contains "$WORK/out" "Spre helpdesk (moves: 1)"

# the labels in the reader's language, looked up when the plan is read (the stored ones stay)
expect 0 "$FOW" person plan show 1 --lang ro
contains "$WORK/out" "Move 1 to tehnician helpdesk"
contains "$WORK/out" "Asistență tehnică pentru utilizatori"
expect 0 "$FOW" person plan show 1 --lang de
contains "$WORK/out" "Move 1 to helpdesk technician [en]"
expect 0 "$FOW" --json person plan show 1 --lang ro
check "plan JSON in Romanian" '
mv = d["moves"][0]
assert mv["occupation"]["label"] == "helpdesk technician" and mv["occupation"]["label_local"] == "tehnician helpdesk", mv["occupation"]
assert mv["gap"]["judged_as"]["label_local"] == "agent call center", mv["gap"]["judged_as"]
assert any(s["label_local"] for s in mv["gap"]["to_learn"]), mv["gap"]["to_learn"]
'
expect 0 "$FOW" person plan list "$p" --lang ro
contains "$WORK/out" "to tehnician helpdesk"
expect 1 "$FOW" person plan show 1 --lang Romanian
contains "$WORK/err" "--lang must be a language code such as ro or en, not 'Romanian'"
expect 1 "$FOW" person plan status 1 active --lang ro
contains "$WORK/err" "--lang goes with show and list only"

# bad input, naming what is wrong
expect 1 "$FOW" person plan status 1 paused
contains "$WORK/err" "STATUS must be draft, active, completed or cancelled, not 'paused'"
expect 1 "$FOW" person plan milestone 1 --title x --due 2027-02-30
contains "$WORK/err" "due"
expect 1 "$FOW" person plan milestone 1 --title x
contains "$WORK/err" "a new milestone needs --title and --due"
expect 1 "$FOW" person plan module 1 1 NOPE-1
contains "$WORK/err" "no module NOPE-1"
expect 1 "$FOW" person plan show 99
contains "$WORK/err" "no plan 99"
expect 1 "$FOW" person plan show abc
expect 1 "$FOW" person plan frobnicate 1
contains "$WORK/err" "unknown subcommand 'frobnicate'"
expect 1 "$FOW" person plan move 1 "zzzz no such job"

# fow plan --person: the stored profile is the origin, judged as the person's occupation; the same modules as the
# plan's move, the same gap as the same skills typed in; every read audited
expect 0 "$FOW" plan --person "$p" "helpdesk technician"
contains "$WORK/out" "from the skills profile of $p"
contains "$WORK/out" "judged as call centre agent"
contains "$WORK/out" "W40-SUPPORT  IT support for users"
expect 0 "$FOW" plan --person "$p" "helpdesk technician" --json
check "plan --person" 'assert d["from"]["person"] and d["from"]["source"] == "profile" and all(x["provenance"] == "occupation" for x in d["from"]["recognised"]) and d["judged_as"]["label"] == "call centre agent" and [m["code"] for m in d["modules"]] == ["W40-SUPPORT"], d["from"]'
cp "$WORK/out" "$WORK/profile.json"
skills=$(python3 -c 'import json,sys; print(";".join(x["uri"] for x in json.load(open(sys.argv[1]))["from"]["recognised"]))' "$WORK/profile.json")
expect 0 "$FOW" plan --skills "$skills" --as "call centre agent" "helpdesk technician" --json
equals "$(python3 -c 'import json,sys; a, b = (json.load(open(f)) for f in sys.argv[1:]); print(a["similarity"] == b["similarity"] and a["modules"] == b["modules"] and a["to_learn_count"] == b["to_learn_count"])' "$WORK/profile.json" "$WORK/out")" "True" "the profile's plan is the plan of its skills typed in"
equals "$(sql "select count(*) from person_audit where person_id = '$p' and reason = 'the command line: the gap from the skills profile'")" "4" "two runs, each reading the record and the profile, audited"
expect 0 "$FOW" gap --person "$p" "helpdesk technician" --json
cp "$WORK/out" "$WORK/gap_profile.json"
expect 0 "$FOW" gap --skills "$skills" --as "call centre agent" "helpdesk technician" --json
equals "$(python3 -c 'import json,sys; a, b = (json.load(open(f)) for f in sys.argv[1:]); print(a["from"]["person"] != "" and a["similarity"] == b["similarity"] and a["missing"] == b["missing"] and a["judged_as"] == b["judged_as"])' "$WORK/gap_profile.json" "$WORK/out")" "True" "the profile's gap is the gap of its skills typed in"
expect 0 "$FOW" gap --person "$p" "helpdesk technician"
contains "$WORK/out" "From the skills profile of $p to helpdesk technician"
expect 1 "$FOW" gap --person "$p" "call centre agent" "helpdesk technician"
contains "$WORK/err" "needs the destination TO"
expect 1 "$FOW" plan --person "$p" --skills "x" "helpdesk technician"
contains "$WORK/err" "give one of --skills, --skills-file and --person"
expect 1 "$FOW" plan --person p2222222222222222222222222a "helpdesk technician"
contains "$WORK/err" "(--person)"

# the export holds the plan; the erasure removes it
expect 0 "$FOW" person export "$p" --reason "copy for the person"
check "export" 'assert [x["id"] for x in d["plans"]] == [1] and d["plans"][0]["history"], d.get("plans")'
expect 0 "$FOW" person erase "$p" --reason "the person asked"
equals "$(sql "select count(*) from plans") $(sql "select count(*) from plan_history") $(sql "select count(*) from plan_modules")" "0 0 0" "no plan rows after erasure"
expect 1 "$FOW" person plan show 1
echo "cli_person_plan: $passed passed, $failed failed"
[ "$failed" = 0 ]
