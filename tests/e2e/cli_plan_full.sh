#!/usr/bin/env bash
# From a gap to modules on the full ESCO data: a catalogue of 400 modules
# generated here from the real ESCO skills (in the test's temporary folder,
# never kept), imported with fow import modules; fow plan for moves between
# real occupations, whose JSON must hold together: every covered skill is
# taught by the module that covers it, the totals are the modules' sums, the
# exact objective is no more than the greedy's, prerequisites come first.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
need_shared_data
make_work
expect 0 "$FOW" --quiet import bundle "$D/esco-1.2.0" --source ESCO --version 1.2.0
expect 0 "$FOW" --quiet import risk "$D/risk/mcc_risk_esco.csv" --model mcc
expect 0 "$FOW" --quiet import attributes "$D/occupations/mcc_attributes.csv"

# the catalogue: each module teaches 2 to 5 skills of one occupation; every tenth needs the one before
"$PY" - "$D/esco-1.2.0/occupation_skills.csv" "$WORK/modules.csv" <<'PY'
import csv, random, sys
random.seed(20261202)
by_occ = {}
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        by_occ.setdefault(row["occupation_uri"], []).append(row["skill_label"])
occs = sorted(o for o, s in by_occ.items() if len(s) >= 5)
cols = ["provider", "module", "title_ro", "title_en", "skills", "hours", "mode", "language", "cost", "currency",
        "prerequisite_modules"]
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(cols)
    for i in range(400):
        skills = sorted(set(random.sample(by_occ[random.choice(occs)], random.randint(2, 5))))
        pre = "G%03d" % (i - 1) if i % 10 == 9 else ""
        w.writerow(["Generated provider (test)", "G%03d" % i, "Modul %d" % i, "Module %d" % i, "; ".join(skills),
                    random.randint(4, 80), "online", random.choice(["ro", "ro", "en"]), random.randint(0, 800) * 500,
                    "RON", pre])
PY
expect 0 "$FOW" --quiet import modules "$WORK/modules.csv" --source "generated test catalogue"
equals "$(sql "select count(*) from training_modules")" "400" "the generated catalogue"

CHECK_HELPERS='
def holds_together(d):
    by_id = {m["id"]: m for m in d["modules"]}
    pos = {m["id"]: i for i, m in enumerate(d["modules"])}
    covered = [s for s in d["skills"] if s["status"] == "covered"]
    for s in covered:
        m = by_id[s["covered_by"]["id"]]
        assert s["label"] in [c["label"] for c in m["covers"]], (s, m["code"])
    assert d["coverage"]["covered"] == len(covered) == sum(m["covers_count"] for m in d["modules"])
    assert d["totals"]["cost"]["minor_units"] == sum(m["cost"]["minor_units"] for m in d["modules"])
    assert near(d["totals"]["hours"], sum(m["hours"] for m in d["modules"]))
    assert d["solver"]["objective"]["minor_units"] <= d["solver"]["greedy_objective"]["minor_units"]
    for m in d["modules"]:
        if m["required_by"]:
            assert pos[m["id"]] < pos[m["required_by"]["id"]], "a prerequisite after its module"
    assert d["to_learn_count"] == sum(1 for s in d["skills"] if s["essential"])
'
for pair in "4222.1 5244.1" "5223.1 3322.1" "4311.1 4312.1" "2512.4 2511.6"; do
  set -- $pair
  expect 0 "$FOW" plan "$1" "$2" --json
  check "plan $1 -> $2" 'holds_together(d); assert d["catalogue"]["modules"] == 400'
  expect 0 "$FOW" plan "$1" "$2" --solver greedy --json
  check "greedy plan $1 -> $2" 'holds_together(d); assert d["solver"]["used"] == "greedy"'
done
expect 0 "$FOW" plan 4222.1 5244.1 --lang en --json
check "English only" 'holds_together(d); assert all(m["language"] == "en" for m in d["modules"])'
expect 0 "$FOW" plan "call centre agent" "customer service representative"
contains "$WORK/out" "Coverage:"
echo "cli_plan_full: $passed passed, $failed failed"
[ "$failed" = 0 ]
