#!/usr/bin/env bash
# From a gap to modules on the demo data: fow plan from an occupation and
# from a person's skills, prerequisites first, languages, --essential-only,
# the JSON's figures agreeing with each other; fow commission for the demo
# area; bad arguments refused naming the flag.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work

import_demo
expect 0 "$FOW" --quiet import employment "$DEMO/employment.csv" --area Cluj-Napoca --illustrative \
  --source "fow demo employment" --version 2026.11 --licence CC0-1.0

# an empty catalogue: a plan with no module, every skill untaught
expect 0 "$FOW" plan 4222.D1 3512.D1
contains "$WORK/out" "The learning catalogue is empty"
expect 0 "$FOW" plan 4222.D1 3512.D1 --json
check "empty catalogue" 'assert d["modules"] == [] and all(s["status"] == "not_taught" for s in d["skills"]), d["skills"]'

expect 0 "$FOW" --quiet import modules "$DEMO/modules.csv"
expect 0 "$FOW" cohort load "$DEMO/cohorts.csv"

# call centre agent -> helpdesk technician: IT support for users
expect 0 "$FOW" plan "call centre agent" "helpdesk technician"
contains "$WORK/out" "1. [7] W40-SUPPORT  IT support for users"
contains "$WORK/out" "Total: 1 module, 60 hours, 1200.00 RON per participant"
contains "$WORK/out" "information security principles"
contains "$WORK/out" "next start: 2027-02-08 (20 seats left; cohort"
expect 0 "$FOW" plan 4222.D1 3512.D1 --json
check "plan JSON" '
m = d["modules"]
assert [x["code"] for x in m] == ["W40-SUPPORT"], m
assert m[0]["next_start"] == "2027-02-08" and m[0]["seats_left"] == 20 and m[0]["cohort_id"] > 0, m[0]
assert m[0]["cost"] == {"minor_units": 120000, "currency": "RON", "amount": "1200.00"}
assert m[0]["counted_cost"]["minor_units"] == 120000 + 60 * 2000
cov = d["coverage"]
covered = [s for s in d["skills"] if s["status"] == "covered"]
assert cov["covered"] == len(covered) == sum(x["covers_count"] for x in m)
assert cov["weight_covered"] == sum(s["weight"] for s in covered)
assert cov["weight"] == sum(s["weight"] for s in d["skills"])
assert [s["label"] for s in d["not_taught"]] == [s["label"] for s in d["skills"] if s["status"] == "not_taught"]
assert d["totals"] == {"modules": 1, "hours": 60, "cost": {"minor_units": 120000, "currency": "RON", "amount": "1200.00"}}
assert d["solver"]["used"] == "exact" and d["solver"]["guarantee"] == 1
assert d["solver"]["objective"]["minor_units"] <= d["solver"]["greedy_objective"]["minor_units"]
assert d["cohorts"]["code"] == "plan.cohorts" and d["parameters"]["starts_after"] is None
assert d["to_learn_count"] == sum(1 for s in d["skills"] if s["essential"])
'

# call centre agent -> data entry clerk: W40-DATA needs the skill "use spreadsheets software",
# which the agent lacks: the spreadsheets module comes first
expect 0 "$FOW" plan 4222.D1 4132.D1 --essential-only
contains "$WORK/out" "1. [6] W40-SHEETS"
contains "$WORK/out" "needed first for W40-DATA"
contains "$WORK/out" "2. [5] W40-DATA"
contains "$WORK/out" "Total: 2 modules, 44 hours, 750.00 RON"
lacks "$WORK/out" "(optional)"
# a person who has the skill: W40-DATA alone
expect 0 "$FOW" plan --skills "use spreadsheets software; communicate with customers" 4132.D1 --essential-only --json
check "prerequisite skill held" 'assert [x["code"] for x in d["modules"]] == ["W40-DATA"], d["modules"]; assert d["from"]["recognised"]'
# dates: from 2027-02-01 on, the data modules have no open cohort (theirs start in January)
expect 0 "$FOW" plan 4222.D1 4132.D1 --essential-only --starts-after 2027-02-01 --json
check "starts after" '
why = {x["code"]: x["reason"] for x in d["excluded"]}
assert why.get("W40-DATA") == "no_cohort" and why.get("W40-SHEETS") == "no_cohort", why
assert d["modules"] == [] and d["parameters"]["starts_after"] == "2027-02-01" and d["cohorts"]["code"] == "plan.cohorts_filtered"
'
expect 0 "$FOW" plan 4222.D1 3512.D1 --starts-after 2027-01-01
contains "$WORK/out" "next start: 2027-02-08"
expect 1 "$FOW" plan 4222.D1 3512.D1 --starts-after 2027-13-01
contains "$WORK/err" "(--starts-after)"
# only English: the Romanian modules are excluded with the reason, nothing is left
expect 0 "$FOW" plan 4222.D1 4132.D1 --lang en
contains "$WORK/out" "Excluded:"
contains "$WORK/out" "W40-DATA: taught in 'ro', not a language asked for (--lang)"
expect 0 "$FOW" plan 4222.D1 4132.D1 --lang en --json
check "language" '
assert d["modules"] == [] and d["parameters"]["languages"] == ["en"]
why = {x["code"]: x["reason"] for x in d["excluded"]}
assert why == {"W40-DATA": "language", "W40-SHEETS": "language", "W40-SQL": "prerequisite_skill"}, why
assert {s["status"] for s in d["skills"]} == {"only_excluded", "not_taught"}
'
# greedy and exact agree on the demo
expect 0 "$FOW" plan 4222.D1 4132.D1 --solver greedy --json
save greedy
expect 0 "$FOW" plan 4222.D1 4132.D1 --solver exact --json
check "greedy vs exact" 'g = load("greedy"); assert d["solver"]["used"] == "exact" and g["solver"]["used"] == "greedy"; assert d["solver"]["objective"]["minor_units"] <= g["solver"]["objective"]["minor_units"]'
# values: with skills worth little, nothing is worth a module
expect 0 "$FOW" plan 4222.D1 4132.D1 --skill-value 1 --json
check "not worth" 'assert d["modules"] == [] and all(s["status"] in ("not_worth", "not_taught") for s in d["skills"])'

# bad input
expect 1 "$FOW" plan 4222.D1 4132.D1 --lang RO
contains "$WORK/err" "'RO'"
contains "$WORK/err" "(--lang)"
expect 1 "$FOW" plan 4222.D1 4132.D1 --solver best
contains "$WORK/err" "--solver must be auto, greedy or exact"
expect 1 "$FOW" plan 4222.D1 4132.D1 --hour-value -5
contains "$WORK/err" "--hour-value"
expect 1 "$FOW" plan 4222.D1
contains "$WORK/err" "needs FROM and TO"
expect 1 "$FOW" plan 4222.D1 "no such job"
contains "$WORK/err" "no such job"
expect 1 "$FOW" plan 4222.D1 4132.D1 --as 4222.D1
contains "$WORK/err" "--as goes with --skills"
expect 0 "$FOW" plan --help
contains "$WORK/out" "Usage: fow plan FROM TO"

# courses to commission
expect 0 "$FOW" commission Cluj-Napoca --year 2024
contains "$WORK/out" "Courses to commission:"
# counts inside a sentence are not padded like a column
if grep -Eq "for [0-9][0-9,]* learners" "$WORK/out" && grep -Eq "skills, [0-9][0-9,]* learners" "$WORK/out"; then ok
else fail "commission: a count inside a sentence is padded: $(grep -E 'learners' "$WORK/out" | head -2)"; fi
# a scenario's range cells give both ends in one format (never "[7398-10k]")
expect 0 "$FOW" scenario Cluj-Napoca --year 2024 --adoption medium
if grep -Eq '\[[0-9]+-[0-9.]+(k|M|bn)\]|\[[0-9.]+(k|M|bn)-[0-9]+\]|\[[0-9.]+k-[0-9.]+(M|bn)\]|\[[0-9.]+M-[0-9.]+bn\]' "$WORK/out"; then
  fail "scenario: a range mixes formats: $(grep -Eo '\[[0-9]+-[0-9.]+(k|M|bn)\]|\[[0-9.]+k-[0-9.]+M\]' "$WORK/out" | head -3)"
else ok; fi
contains "$WORK/out" "ILLUSTRATIVE DATA"
expect 0 "$FOW" commission Cluj-Napoca --year 2024 --limit 0 --json
check "commission JSON" '
assert d["demand"]["skills"] == len(d["skills"])
assert d["covered"]["skills"] == sum(1 for s in d["skills"] if s["modules"])
assert d["to_commission_count"] == len(d["to_commission"]) == d["demand"]["skills"] - d["covered"]["skills"]
assert near(d["covered"]["learners"], sum(s["learners"] for s in d["skills"] if s["modules"]))
assert near(d["demand"]["learners"], sum(s["learners"] for s in d["skills"]))
l = [s["learners"] for s in d["to_commission"]]; assert l == sorted(l, reverse=True)
assert all(s["cheapest_module"] for s in d["skills"] if s["modules"])
assert 0 < d["covered"]["skills"] < d["demand"]["skills"]
'
expect 0 "$FOW" commission Cluj-Napoca --year 2024 --lang hu --json
check "commission in Hungarian: nothing covered" 'assert d["covered"]["skills"] == 0 and d["languages"] == ["hu"]'
expect 1 "$FOW" commission Cluj-Napoca --year 2024 --lang x
contains "$WORK/err" "(--lang)"
expect 1 "$FOW" commission Nowhere --year 2024
expect 0 "$FOW" commission --help
contains "$WORK/out" "Usage: fow commission AREA"
echo "cli_plan: $passed passed, $failed failed"
[ "$failed" = 0 ]
