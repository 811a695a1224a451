#!/usr/bin/env bash
# fow indicators on people loaded by fow journeys: cells of 9 and 10 people
# (suppressed / shown), complementary suppression, people without statistics
# consent left out, the completion rate, CSV and JSON the same figures; and the
# demo's journeys (data/demo/journeys.csv) load with unsuppressed cells.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work

"$FOW" --quiet import bundle "$DEMO" > /dev/null || { echo "demo import failed"; exit 1; }
"$FOW" --quiet import modules "$DEMO/modules.csv" > /dev/null || { echo "modules import failed"; exit 1; }
"$FOW" --quiet cohort load "$DEMO/cohorts_past.csv" > /dev/null || { echo "cohorts failed"; exit 1; }

# 10 women (all enrolled, 5 completed: 4 passed, 1 failed), 9 men enrolled,
# 1 more man without statistics consent, 12 people of sex not stated not enrolled
{
  echo "name,sex,birth_year,organisation,consents,module,starts_on,attended,result,score"
  for i in $(seq 1 10); do
    r=""; [ "$i" -le 4 ] && r=passed; [ "$i" = 5 ] && r=failed
    echo "Test Woman $i,female,1990,t,training;statistics,W40-DATA,2026-09-14,6,$r,"
  done
  for i in $(seq 1 9); do echo "Test Man $i,male,1980,t,training;statistics,W40-DATA,2026-09-14,3,,"; done
  echo "Test Man 10,male,1980,t,training,W40-DATA,2026-09-14,3,,"
  for i in $(seq 1 12); do echo "Test Unstated $i,,2001,t,statistics,,,,,"; done
} > "$WORK/people.csv"
expect 0 "$FOW" journeys "$WORK/people.csv"
contains "$WORK/out" "Added 32 people; 20 enrolled, 4 passed"

expect 0 "$FOW" indicators --by sex --json
save sex.json
expect 0 "$FOW" indicators --by sex --csv
save sex.csv
check "suppression by sex" '
d = load("sex.json")
rows = {r["group"]: r for r in d["rows"]}
assert d["threshold"] == 10
assert d["without_statistics_consent"]["suppressed"] is True, d["without_statistics_consent"]  # 1 person
assert d["total"]["served"]["value"] == 31, d["total"]
f, m, n, o = rows["female"], rows["male"], rows["not_stated"], rows["other"]
assert m["served"]["value"] is None and m["served"]["suppressed"]            # 9 (the 10th has no consent)
assert m["served"]["complementary"] is False
assert sorted(r["group"] for r in d["rows"] if r["served"]["suppressed"]) == ["female", "male"]
assert o["served"]["value"] == 0                                             # nobody: 0 shown
assert o["completion_rate"] is None and o["completion_rate_suppressed"] is False  # no rate, not suppressed
# enrolled: female 10 shown, male 9 suppressed -> complementary on female (the only other non-zero)
assert f["enrolled"]["suppressed"] and f["enrolled"]["complementary"], f["enrolled"]
assert d["total"]["enrolled"]["value"] == 19
# completed 5, passed 4: under 10, suppressed in the row and the total
assert f["completed"]["suppressed"] and d["total"]["completed"]["suppressed"]
assert d["total"]["completion_rate"] is None
'
check "served: 9 suppressed alone, so the smallest other non-zero (10) too; 12 shown" '
d = load("sex.json")
rows = {r["group"]: r for r in d["rows"]}
# served column: female 10, male 9 (suppressed), not_stated 12: one suppressed -> the smallest other (female)
assert rows["female"]["served"]["complementary"] is True
assert rows["not_stated"]["served"]["value"] == 12
'
check "CSV and JSON hold the same figures" '
import csv, io
d = load("sex.json")
table = list(csv.DictReader(io.StringIO(open(work + "/sex.csv").read())))
byg = {r["group"]: r for r in d["rows"]}
byg["total"] = d["total"]
assert [t["group"] for t in table] == [r["group"] for r in d["rows"]] + ["total"]
for t in table:
    r = byg[t["group"]]
    for c in ["served", "enrolled", "completed", "passed", "skills_gained"]:
        want = "suppressed" if r[c]["suppressed"] else str(r[c]["value"])
        assert t[c] == want, (t, c)
    want = ("suppressed" if r["completion_rate_suppressed"]
            else "" if r["enrolled"]["value"] == 0 else "%.1f" % r["completion_rate"])
    assert t["completion_rate"] == want, t
'

# one more completed woman of the 10 and 6 more: the rate 50.0 when shown
{
  echo "name,sex,birth_year,organisation,consents,module,starts_on,attended,result,score"
  for i in $(seq 1 10); do echo "More Woman $i,female,1991,t,training;statistics,CP-BIZ,2026-09-07,6,passed,80"; done
  for i in $(seq 1 10); do echo "More Man $i,male,1981,t,training;statistics,CP-BIZ,2026-09-07,6,,"; done
} > "$WORK/more.csv"
expect 0 "$FOW" journeys "$WORK/more.csv"
expect 0 "$FOW" indicators --by cohort --json
save cohort.json
check "rates and skills by cohort" '
d = load("cohort.json")
rows = {r["label"]: r for r in d["rows"]}
cp = rows["CP-BIZ from 2026-09-07"]
assert cp["enrolled"]["value"] == 20, cp
# W40-DATA completed 5 (suppressed) alone: CP-BIZ 10 is its complement, the rate with it
assert cp["completed"]["complementary"] and cp["completion_rate"] is None, cp
t = d["total"]
assert t["enrolled"]["value"] == 39 and t["completed"]["value"] == 15, t
assert t["completion_rate"] == 38.5, t["completion_rate"]   # 15 / 39
assert t["skills_gained"]["value"] > 0
'
expect 1 "$FOW" indicators --by colour
contains "$WORK/err" "--by must be programme, cohort, sex or age"
expect 0 "$FOW" indicators --help
contains "$WORK/out" "fow indicators [--by programme|cohort|sex|age] [--csv]"

# the demo's people
rm -f "$FOW_DB" "$FOW_DB.key" "$FOW_DB.issuer.key"
"$FOW" --quiet import bundle "$DEMO" > /dev/null
"$FOW" --quiet import modules "$DEMO/modules.csv" > /dev/null
"$FOW" --quiet cohort load "$DEMO/cohorts.csv" > /dev/null
"$FOW" --quiet cohort load "$DEMO/cohorts_past.csv" > /dev/null
expect 0 "$FOW" journeys "$DEMO/journeys.csv"
contains "$WORK/out" "Added 74 people"
expect 0 "$FOW" indicators --by programme --json
save demo.json
check "the demo shows unsuppressed cells per programme" '
d = load("demo.json")
rows = {r["group"]: r for r in d["rows"]}
for p in ["Culturepreneurs", "Work 4.0"]:
    assert rows[p]["completed"]["value"] >= 10, rows[p]
    assert rows[p]["completion_rate"] is not None
'
printf 'name,organisation,consents\nX,t,statistics;holidays\n' > "$WORK/bad.csv"
expect 1 "$FOW" journeys "$WORK/bad.csv"
contains "$WORK/err" "unknown purpose 'holidays'"

echo "cli_indicators: $passed passed, $failed failed"
[ "$failed" = 0 ]
