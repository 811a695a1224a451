#!/usr/bin/env bash
# The voucher report by call with real awards (docs/vouchers.md "Reports"): three calls on two
# budget lines, the vouchers issued by `fow call award` (two persons' on a learning call, an
# enterprise's on a business-support call, one waitlisted application that issues nothing), a
# call without awards, and a voucher the office issued directly (the row "none"); one awarded
# voucher partly redeemed at enrolment, another cancelled. Each call's row sums the ledger's
# transfers of the vouchers its awards issued: issued, committed, redeemed, expired, the counts;
# allocated and available stay null (they belong to lines); the rows add up to the totals, in
# JSON and CSV, and fow check passes.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work

"$FOW" --quiet import bundle "$DEMO" > /dev/null || { echo "demo import failed"; exit 1; }
"$FOW" --quiet import modules "$DEMO/modules.csv" > /dev/null || { echo "modules import failed"; exit 1; }
"$FOW" cohort load "$DEMO/cohorts.csv" > /dev/null || { echo "cohorts load failed"; exit 1; }
"$FOW" voucher fund add "CEV 2027" --currency RON > /dev/null
learning=$("$FOW" voucher line add 1 --purpose learning_module --year 2027 --amount 50000)
support=$("$FOW" voucher line add 1 --purpose business_support --year 2027 --amount 5000)
printf 'correct horse battery\n' > "$WORK/pw"
"$FOW" user add jana --role juror --password-file "$WORK/pw" > /dev/null

# call LINE APPLICANT MODE AMOUNT TITLE_EN TITLE_RO: a call open today, scored on one criterion
call() {
  cat > "$WORK/call.json" <<EOF
{"budget_line": $1, "title": {"en": "$5", "ro": "$6"},
 "opens_on": "2000-01-01", "closes_on": "2100-12-31",
 "values": [{"applicant": "$2", "mode": "$3", "amount": $4}],
 "criteria": [{"code": "relevance", "title": {"en": "Relevance", "ro": "Relevanță"}, "weight": 100, "max_score": 10}],
 "rules": [], "voucher": {"valid_months": 12}}
EOF
  "$FOW" call add "$WORK/call.json"
}
modules_call=$(call "$learning" person up_to 100000 "Learning vouchers" "Vouchere de învățare")
firms_call=$(call "$support" enterprise fixed 200000 "Business support vouchers" "Vouchere pentru afaceri")
empty_call=$(call "$learning" person up_to 50000 "A call nobody was awarded" "Un apel fără decizii")
for c in "$modules_call" "$firms_call" "$empty_call"; do "$FOW" call juror "$c" jana > /dev/null; done

person() {
  local p
  p=$("$FOW" person add --organisation Demo | sed 's/Added person \(.*\)\./\1/')
  "$FOW" person consent "$p" training --text-version v1 > /dev/null
  "$FOW" person consent "$p" vouchers --text-version v1 > /dev/null
  echo "$p"
}
# apply CALL ARGS...: applies and scores; prints the application's id
apply() {
  local c=$1 app
  shift
  app=$("$FOW" call apply "$c" "$@" --proposal "a proposal" | sed -n 's/^application \([0-9]*\)$/\1/p')
  "$FOW" call score "$app" --juror jana --scores relevance=8 > /dev/null
  echo "$app"
}
# award APP: awards it; prints the voucher's code
award() {
  "$FOW" call award "$1" --decision award --reason "within the budget" | sed -n 's/^Voucher: \(CEV-[0-9A-Z-]*\) .*/\1/p'
}
p1=$(person); p2=$(person); p3=$(person)
a1=$(apply "$modules_call" --person "$p1" --amount 600)
a2=$(apply "$modules_call" --person "$p2" --amount 400)
a3=$(apply "$modules_call" --person "$p3" --amount 900)
firm=$(apply "$firms_call" --enterprise "Atelier SRL" --code RO14399840)
apply "$empty_call" --person "$p3" --amount 100 > /dev/null
v1=$(award "$a1"); v2=$(award "$a2"); vf=$(award "$firm")
expect 0 "$FOW" call award "$a3" --decision waitlist --reason "next in the ranking"
for v in "$v1" "$v2" "$vf"; do
  case "$v" in CEV-*) ;; *) echo "FAIL: an award printed no voucher code ('$v')"; failed=$((failed + 1)) ;; esac
done
# the office's own voucher, issued without a call
expect 0 "$FOW" voucher issue "$learning" "$p3" --value 300 --valid-from 2026-11-01 --valid-until 2027-12-31 --active --key direct
# p1 spends 500 of 600 lei at enrolment (CP-BIZ, cohort 1); p2's voucher is cancelled (400 lei back to the line)
expect 0 "$FOW" voucher redeem "$v1" 1 --key r1 --amount 500
expect 0 "$FOW" voucher cancel "$v2" --reason "moved away"
expect 0 "$FOW" check
lacks "$WORK/out" "FAILED"

expect 0 "$FOW" voucher report --by call --json
save call.json
check "by call: each call's row sums the vouchers its awards issued" "
d = json.load(open(f'{work}/call.json'))
assert d['by'] == 'call' and d['source']['mismatched_accounts'] == 0, d['source']
rows = {r['key']: r for r in d['rows']}
assert sorted(rows) == sorted(['$modules_call', '$firms_call', '$empty_call', 'none']), sorted(rows)
assert [r['key'] for r in d['rows']][-1] == 'none', 'none last'
m = rows['$modules_call']
assert m['label'] == 'Learning vouchers' and m['label_ro'] == 'Vouchere de învățare', m
assert m['amounts'] == {'allocated_minor': None, 'issued_minor': 100000, 'committed_minor': 10000,
                        'redeemed_minor': 50000, 'paid_minor': 0, 'expired_minor': 40000,
                        'available_minor': None, 'lab_charged_minor': 0, 'lab_paid_minor': 0,
                        'lab_outstanding_minor': 0}, m['amounts']
assert m['vouchers'] == 2 and m['redemptions'] == 1, m
f = rows['$firms_call']
assert f['amounts']['issued_minor'] == 200000 and f['amounts']['committed_minor'] == 200000, f['amounts']
assert f['amounts']['redeemed_minor'] == 0 and f['vouchers'] == 1 and f['redemptions'] == 0, f
e = rows['$empty_call']
assert e['label'] == 'A call nobody was awarded' and e['vouchers'] == 0, e
assert all(not e['amounts'][k] for k in e['amounts']), e['amounts']
n = rows['none']
assert n['amounts']['issued_minor'] == 30000 and n['vouchers'] == 1 and n['label_ro'] == 'emise fără apel', n
t = d['totals'][0]
for k in ('issued_minor', 'committed_minor', 'redeemed_minor', 'expired_minor'):
    assert sum(r['amounts'][k] or 0 for r in d['rows']) == t['amounts'][k], (k, t)
assert sum(r['vouchers'] for r in d['rows']) == t['vouchers'] == 4, t
"
# the waitlisted application issued nothing: p3 holds only the office's voucher
expect 0 "$FOW" voucher list --person "$p3" --json
check "a waitlisted application issues no voucher" '
d = json.load(open(f"{work}/out"))
vs = d["vouchers"] if isinstance(d, dict) else d
assert len(vs) == 1 and vs[0]["award_ref"] == "", vs
'
expect 0 "$FOW" voucher report --by call --csv --output "$WORK/call.csv"
check "by call, CSV: the same rows" "
import csv
rows = {r['key']: r for r in csv.DictReader(open(f'{work}/call.csv', newline=''))}
assert rows['$modules_call']['issued_minor'] == '100000' and rows['$modules_call']['expired_minor'] == '40000', rows
assert rows['$firms_call']['committed_minor'] == '200000' and rows['none']['issued_minor'] == '30000', rows
assert rows['$modules_call']['allocated_minor'] == '', rows['$modules_call']
assert rows['total']['issued_minor'] == '330000', rows['total']
"
expect 0 "$FOW" voucher report --by call
contains "$WORK/out" "Learning vouchers"
contains "$WORK/out" "Business support vouchers"

echo "cli_voucher_report_calls: $passed passed, $failed failed"
[ "$failed" = 0 ]
