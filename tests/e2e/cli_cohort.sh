#!/usr/bin/env bash
# Cohorts from the command line on the demo catalogue: fow cohort load of the demo
# cohorts (and a bad file refused at file:line:column, nothing written), add with
# sessions, list, show, enrol (a seat, the waiting list, the same person twice),
# cancel promoting the first waiting, attend, complete adding skills with provenance
# assessment, status; errors naming the flag.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work

"$FOW" --quiet import bundle "$DEMO" > /dev/null || { echo "demo import failed"; exit 1; }
"$FOW" --quiet import modules "$DEMO/modules.csv" > /dev/null || { echo "modules import failed"; exit 1; }

expect 0 "$FOW" cohort list
contains "$WORK/out" "No cohorts yet"
expect 0 "$FOW" cohort load "$DEMO/cohorts.csv"
contains "$WORK/out" "Added 9 cohorts"
equals "$(sql "select count(*) from training_cohorts")" "9" "demo cohorts"
equals "$(sql "select count(distinct module_code) from training_cohorts")" "8" "every demo module but FIC-CRM"
expect 0 "$FOW" cohort list --module CP-BIZ
contains "$WORK/out" "2027-02-01..2027-03-12"
contains "$WORK/out" "planned"

# a bad file: refused whole, located
printf 'module,starts_on,ends_on,capacity\nCP-BIZ,2027-01-01,2027-01-05,3\nCP-BIZ,2027-01-01,2027-01-05,zero\n' > "$WORK/bad.csv"
before=$(snapshot)
expect 1 "$FOW" cohort load "$WORK/bad.csv"
contains "$WORK/err" "bad.csv:3:30: capacity must be a whole number"
equals "$(snapshot)" "$before" "nothing written by a bad file"

expect 0 "$FOW" cohort add CP-AV --starts-on 2027-06-01 --ends-on 2027-06-30 --capacity 2 \
  --sessions "2027-06-01 10:00-12:00; 2027-06-08 10:00-12:00 @ Lab 2"
id=$(cat "$WORK/out")
expect 1 "$FOW" cohort add CP-AV --starts-on 2027-06-01 --ends-on 2027-05-30 --capacity 2
contains "$WORK/err" "(--ends-on)"
expect 1 "$FOW" cohort add NOPE --starts-on 2027-06-01 --ends-on 2027-06-30 --capacity 2
contains "$WORK/err" "no module with code 'NOPE'"

person() { "$FOW" person add --organisation "Demo" | sed 's/Added person \(.*\)\./\1/'; }
a=$(person); b=$(person); c=$(person)
for p in "$a" "$b" "$c"; do "$FOW" person consent "$p" training --text-version v1 > /dev/null; done
"$FOW" person consent "$a" counselling --text-version v1 > /dev/null
nc=$(person)
expect 1 "$FOW" cohort enrol "$id" "$nc"
contains "$WORK/err" "consent"

expect 0 "$FOW" cohort enrol "$id" "$a"
contains "$WORK/out" "is enrolled"
expect 0 "$FOW" cohort enrol "$id" "$a"
contains "$WORK/out" "was already enrolled"
expect 0 "$FOW" cohort enrol "$id" "$b"
expect 0 "$FOW" cohort enrol "$id" "$c" --json
equals "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["created"], d["enrolment"]["status"], d["enrolment"]["position"])' "$WORK/out")" "True waiting 1" "the third waits"
equals "$(sql "select count(*) from training_enrolments where cohort_id = $id")" "3" "no duplicate"

expect 0 "$FOW" cohort attend "$id" "$a" 2
expect 1 "$FOW" cohort attend "$id" "$a" 3
contains "$WORK/err" "session must be 1 to 2"
expect 0 "$FOW" cohort complete "$id" "$a" --passed --score 80 --completed-on 2027-06-30
contains "$WORK/out" "passed cohort $id (CP-AV) on 2027-06-30"
contains "$WORK/out" "4 of the 4 the module teaches"
equals "$(sql "select count(*) from person_skills where person_id = '$a' and provenance = 'assessment'")" "4" "skills with provenance assessment"
expect 1 "$FOW" cohort complete "$id" "$b"
contains "$WORK/err" "--passed or --failed"

expect 0 "$FOW" cohort cancel "$id" "$b"
contains "$WORK/out" "$c, first on the waiting list, takes the seat"
expect 0 "$FOW" cohort show "$id"
contains "$WORK/out" "seats 2: 1 enrolled, 1 completed (1 passed), 0 left; 0 waiting, 1 cancelled"
contains "$WORK/out" "session 2: 2027-06-08 10:00-12:00 Lab 2"
if grep -q ' $' "$WORK/out"; then fail "cohort show: a line ends with a space: $(grep -n ' $' "$WORK/out" | head -2)"; else ok; fi
expect 0 "$FOW" cohort status "$id" closed
expect 1 "$FOW" cohort enrol "$id" "$b"
contains "$WORK/err" "is closed: it takes no enrolments"
expect 0 "$FOW" cohort --help
contains "$WORK/out" "fow cohort enrol ID PERSON"

echo "cli_cohort: $passed passed, $failed failed"
[ "$failed" = 0 ]
