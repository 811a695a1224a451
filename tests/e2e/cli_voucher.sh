#!/usr/bin/env bash
# Cluj Experimentation Vouchers from the command line: funds and budget lines, the voucher
# journey (issue with consent and an idempotency key, activation, redemption at enrolment,
# both or neither, claims settled by attendance, a payment batch and its CSV, expiry), the
# ledger's export (JSON and CSV) verified by an independent Python script
# (tests/e2e/verify_ledger.py), which fails after one byte of the export is changed;
# fow check finds a transfer changed behind the triggers' back; errors naming the flag.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work

expect 1 "$FOW" voucher fund list
contains "$WORK/err" "no database"
"$FOW" --quiet import bundle "$DEMO" > /dev/null || { echo "demo import failed"; exit 1; }
expect 0 "$FOW" voucher fund list
contains "$WORK/out" "No funds yet"
expect 0 "$FOW" voucher fund add "CEV 2027" --currency RON --description "Cluj Experimentation Vouchers"
equals "$(cat "$WORK/out")" "1" "fund id"
expect 1 "$FOW" voucher fund add "CEV 2027" --currency RON
contains "$WORK/err" "a fund named 'CEV 2027' exists"
expect 1 "$FOW" voucher fund add "Other" --currency lei
contains "$WORK/err" "(--currency)"
expect 0 "$FOW" voucher line add 1 --purpose learning_module --year 2027 --amount 50000 --name "Modules"
equals "$(cat "$WORK/out")" "1" "line id"
expect 0 "$FOW" voucher line add 1 --purpose lab_time --year 2027 --amount 1000.50
expect 1 "$FOW" voucher line add 1 --purpose haircuts --year 2027 --amount 1
contains "$WORK/err" "(--purpose)"
expect 1 "$FOW" voucher line add 1 --purpose lab_time --year 2027 --amount 1.234
contains "$WORK/err" "(--amount)"
expect 1 "$FOW" voucher line add 9 --purpose business_support --year 2027 --amount 1
contains "$WORK/err" "no fund 9"
expect 0 "$FOW" voucher line top-up 2 --amount 10 --key topup-1
expect 0 "$FOW" voucher line top-up 2 --amount 10 --key topup-1 --json
check "a retried top-up moves nothing more" '
d = json.load(open(f"{work}/out"))
assert d["amounts"]["available_minor"] == 101050, d
assert d["purpose"] == "lab_time" and d["currency"] == "RON", d
'
expect 1 "$FOW" voucher line top-up 2 --amount 11 --key topup-1
contains "$WORK/err" "(--key)"
expect 0 "$FOW" voucher line list
contains "$WORK/out" "learning_module"
contains "$WORK/out" "50000.00"

# the export, verified by another program, in both formats
expect 0 "$FOW" voucher ledger export --json --output "$WORK/ledger.json"
expect 0 "$PY" "$E2E/verify_ledger.py" "$WORK/ledger.json"
contains "$WORK/out" "ok: 3 transfers, 3 accounts"
expect 0 "$FOW" voucher ledger export --csv
save ledger.csv
expect 0 "$PY" "$E2E/verify_ledger.py" "$WORK/ledger.csv"
contains "$WORK/out" "ok: 3 transfers"
expect 1 "$FOW" voucher ledger export
contains "$WORK/err" "--json or --csv"

# one byte changed (a digit of an amount) and the verifier fails, in each format
for f in ledger.json ledger.csv; do
  "$PY" - "$WORK/$f" <<'PY'
import sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
at = data.index(b"5000000", data.index(b"allocate"))
data[at] = ord("6")
open(path, "wb").write(bytes(data))
PY
  expect 1 "$PY" "$E2E/verify_ledger.py" "$WORK/$f"
  contains "$WORK/out" "does not hash to its hash"
done

# the voucher journey on the demo catalogue and cohorts
"$FOW" --quiet import modules "$DEMO/modules.csv" > /dev/null || { echo "modules import failed"; exit 1; }
"$FOW" cohort load "$DEMO/cohorts.csv" > /dev/null || { echo "cohorts load failed"; exit 1; }
p=$("$FOW" person add --organisation Demo | sed 's/Added person \(.*\)\./\1/')
"$FOW" person consent "$p" training --text-version v1 > /dev/null
expect 1 "$FOW" voucher issue 1 "$p" --value 1500 --valid-from 2026-11-01 --valid-until 2027-12-31
contains "$WORK/err" "consent to vouchers"
"$FOW" person consent "$p" vouchers --text-version v1 > /dev/null
expect 1 "$FOW" voucher issue 1 "$p" --value 1500 --valid-from 2026-11-01 --valid-until 2027-02-30
contains "$WORK/err" "(--valid-until)"
expect 1 "$FOW" voucher issue 1 "$p" --value 999999 --valid-from 2026-11-01 --valid-until 2027-12-31
contains "$WORK/err" "available, less than the voucher's 999999.00 (--value)"
expect 0 "$FOW" voucher issue 1 "$p" --value 1500 --valid-from 2026-11-01 --valid-until 2027-12-31 \
  --modules CP-BIZ,W40-DATA --key award-1
code=$(cat "$WORK/out")
expect 0 "$FOW" voucher issue 1 "$p" --value 1500 --valid-from 2026-11-01 --valid-until 2027-12-31 \
  --modules CP-BIZ,W40-DATA --key award-1
equals "$(cat "$WORK/out")" "$code" "the same key issues the same voucher"
equals "$(sql "select count(*) from vouchers")" "1" "one voucher"
expect 1 "$FOW" voucher redeem "$code" 6 --key r1
contains "$WORK/err" "is issued, not active: activate it first"
expect 0 "$FOW" voucher activate "$code"
contains "$WORK/out" "active"
expect 0 "$FOW" voucher redeem "$code" 6 --key r1
contains "$WORK/out" "Redemption 1 made: 450.00 RON"
expect 0 "$FOW" voucher redeem "$(echo "$code" | tr 'A-Z' 'a-z' | tr -d -)" 6 --key r1
contains "$WORK/out" "was already made with this key"
expect 1 "$FOW" voucher redeem "$code" 7 --key r2 --amount 100
contains "$WORK/err" "is not for module W40-SHEETS"
expect 1 "$FOW" voucher redeem "$code" 1 --key r3 --amount 2000
contains "$WORK/err" "holds 1050.00 RON, less than 2000.00 (--amount)"
equals "$(sql "select count(*) from training_enrolments where cohort_id = 1")" "0" "no enrolment without its redemption"
expect 0 "$FOW" voucher redeem "$code" 1 --key r3 --amount 500 --json
check "the redemption's document" '
d = json.load(open(f"{work}/out"))
assert d["amount_minor"] == 50000 and d["status"] == "redeemed" and d["module"] == "CP-BIZ", d
'
bad="${code%?}"; last="${code: -1}"; [ "$last" = "0" ] && bad="${bad}1" || bad="${bad}0"
expect 1 "$FOW" voucher redeem "$bad" 1 --key r4
contains "$WORK/err" "check it for a typing error"
for s in 1 2 3 4 5 6; do "$FOW" cohort attend 1 "$p" $s > /dev/null; done
"$FOW" cohort attend 6 "$p" 1 > /dev/null
"$FOW" cohort complete 1 "$p" --passed --completed-on 2027-03-12 > /dev/null
"$FOW" cohort complete 6 "$p" --failed --completed-on 2027-02-26 > /dev/null
expect 0 "$FOW" voucher claims settle
contains "$WORK/out" "1 claim became payable; 1 went back"
expect 0 "$FOW" voucher claims --status refunded
contains "$WORK/out" "less than the 80% required"
expect 0 "$FOW" voucher pay batch
contains "$WORK/out" "Payment batch 1: 1 claim, 500.00 RON, draft."
expect 0 "$FOW" voucher pay approve 1
contains "$WORK/out" "paid"
expect 1 "$FOW" voucher pay approve 1
contains "$WORK/err" "already paid"
expect 0 "$FOW" voucher pay export 1
contains "$WORK/out" "batch,provider_id,provider,claims,amount_minor,amount,currency,status,approved_at"
contains "$WORK/out" ",1,50000,500.00,RON,paid,"
expect 0 "$FOW" voucher show "$code" --json
check "the voucher after it all" '
d = json.load(open(f"{work}/out"))
assert d["amounts"] == {"value_minor": 150000, "balance_minor": 100000, "redeemed_minor": 50000, "returned_minor": 0}, d
'
expect 0 "$FOW" voucher expire --as-of 2028-01-01
contains "$WORK/out" "Expired 1 voucher whose last day was before 2028-01-01; 1000.00 went back"
expect 0 "$FOW" voucher expire --as-of 2028-01-01
contains "$WORK/out" "Expired 0 vouchers"
expect 0 "$FOW" voucher line show 1 --json
check "the line adds up" '
a = json.load(open(f"{work}/out"))["amounts"]
assert a["allocated_minor"] == 5000000 and a["redeemed_minor"] == 50000 and a["returned_minor"] == 100000, a
assert a["available_minor"] + a["committed_minor"] + a["redeemed_minor"] == a["allocated_minor"], a
'
expect 0 "$FOW" check
expect 0 "$FOW" voucher ledger export --json --output "$WORK/ledger2.json"
expect 0 "$PY" "$E2E/verify_ledger.py" "$WORK/ledger2.json"
contains "$WORK/out" "chain and balances verified"

# the database refuses to change a transfer; behind its back, fow check finds it
# an award issues its voucher (docs/vouchers-calls.md): a person's on the learning line, an
# enterprise's on a business_support line, on the call's voucher terms
printf 'correct horse battery\n' > "$WORK/pw"
"$FOW" user add jana --role juror --password-file "$WORK/pw" > /dev/null
expect 0 "$FOW" voucher line add 1 --purpose business_support --year 2027 --amount 5000
support=$(cat "$WORK/out")
cat > "$WORK/call.json" <<EOF
{"budget_line": 1, "title": {"en": "Learning vouchers", "ro": "Vouchere de învățare"},
 "opens_on": "2000-01-01", "closes_on": "2100-12-31",
 "values": [{"applicant": "person", "mode": "up_to", "amount": 100000},
            {"applicant": "enterprise", "mode": "fixed", "amount": 200000}],
 "criteria": [{"code": "relevance", "title": {"en": "Relevance", "ro": "Relevanță"}, "weight": 100, "max_score": 10}],
 "rules": [], "voucher": {"valid_months": 6, "min_attendance_percent": 90}}
EOF
expect 0 "$FOW" call add "$WORK/call.json"
call=$(cat "$WORK/out")
expect 0 "$FOW" call show "$call"
contains "$WORK/out" "valid 6 months from the award, active at once; claims payable at 90% attendance"
"$FOW" call juror "$call" jana > /dev/null
expect 0 "$FOW" call apply "$call" --person "$p" --amount 500 --proposal "Customer data module"
app=$(sed -n 's/^application \([0-9]*\)$/\1/p' "$WORK/out")
expect 0 "$FOW" call apply "$call" --enterprise "Atelier SRL" --code RO14399840 --proposal "Prototype support"
firm=$(sed -n 's/^application \([0-9]*\)$/\1/p' "$WORK/out")
"$FOW" call score "$app" --juror jana --scores relevance=8 > /dev/null
"$FOW" call score "$firm" --juror jana --scores relevance=9 > /dev/null
expect 0 "$FOW" call award "$app" --decision award --reason "first in the ranking"
contains "$WORK/out" "Voucher: CEV-"
code=$(sed -n 's/^Voucher: \(CEV-[0-9A-Z-]*\) .*/\1/p' "$WORK/out")
expect 0 "$FOW" voucher show "$code" --json
check "the awarded voucher: the person's, the value awarded, the call's terms" '
import datetime
d = json.load(open(f"{work}/out"))
assert d["beneficiary"]["kind"] == "person" and d["amounts"]["value_minor"] == 50000, d
assert d["status"] == "active" and d["min_attendance_percent"] == 90, d
assert d["valid_from"] == datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"), d
assert d["award_ref"].startswith("award:"), d
'
# the enterprise's award on a learning line issues nothing and is not made
expect 1 "$FOW" call award "$firm" --decision award --reason "best"
contains "$WORK/err" "an enterprise's voucher is for business_support or lab_time"
expect 0 "$FOW" call application "$firm" --json
check "the refused award left the application scored" '
d = json.load(open(f"{work}/out"))
assert d["status"] == "scored" and d["decision"] is None and d["voucher"] is None, d
'
sed "s/\"budget_line\": 1,/\"budget_line\": $support,/" "$WORK/call.json" > "$WORK/call2.json"
expect 0 "$FOW" call add "$WORK/call2.json"
call2=$(cat "$WORK/out")
"$FOW" call juror "$call2" jana > /dev/null
expect 0 "$FOW" call apply "$call2" --enterprise "Atelier SRL" --code RO14399840 --proposal "Prototype support"
firm2=$(sed -n 's/^application \([0-9]*\)$/\1/p' "$WORK/out")
"$FOW" call score "$firm2" --juror jana --scores relevance=9 > /dev/null
expect 0 "$FOW" call award "$firm2" --decision award --reason "best" --json
check "the enterprise's voucher, in the decision's answer" '
d = json.load(open(f"{work}/out"))
assert d["status"] == "awarded" and d["voucher"]["code"].startswith("CEV-"), d
'
code2=$("$FOW" call application "$firm2" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["voucher"]["code"])')
expect 0 "$FOW" voucher show "$code2"
contains "$WORK/out" "enterprise Atelier SRL (CUI 14399840), budget line $support (business_support)"
expect 1 "$FOW" voucher redeem "$code2" 1 --key ent-1
contains "$WORK/err" "not for an enrolment"
expect 0 "$FOW" check
contains "$WORK/out" "calls.award_vouchers     ok"

# the office issues an enterprise's voucher directly: its name and CUI (with or without RO), on a
# business_support line only; the same key again issues nothing more
expect 0 "$FOW" voucher issue "$support" --enterprise "Studioul Demo SRL" --code RO18547290 --value 700 \
  --valid-from 2027-01-01 --valid-until 2027-12-31 --active --key firm-direct-1
firm_code=$(cat "$WORK/out")
expect 0 "$FOW" voucher issue "$support" --enterprise "Studioul Demo SRL" --code RO18547290 --value 700 \
  --valid-from 2027-01-01 --valid-until 2027-12-31 --active --key firm-direct-1
equals "$(cat "$WORK/out")" "$firm_code" "the same key issues the same enterprise voucher"
expect 0 "$FOW" voucher show "$firm_code" --json
check "the enterprise voucher issued by the office" '
d = json.load(open(f"{work}/out"))
assert d["beneficiary"] == {"kind": "enterprise", "registration_code": "RO18547290", "name": "Studioul Demo SRL"}, d
assert d["person"] == "" and d["purpose"] == "business_support" and d["status"] == "active", d
assert d["amounts"]["value_minor"] == 70000 and d["amounts"]["balance_minor"] == 70000, d
'
expect 0 "$FOW" voucher list --line "$support"
contains "$WORK/out" "CUI RO18547290"
expect 1 "$FOW" voucher issue "$support" --enterprise "Studioul Demo SRL" --code 18547291 --value 1 \
  --valid-from 2027-01-01 --valid-until 2027-12-31
contains "$WORK/err" "not a Romanian registration code (CUI) with a valid control digit (--code)"
expect 1 "$FOW" voucher issue 1 --enterprise "Studioul Demo SRL" --code 18547290 --value 1 \
  --valid-from 2027-01-01 --valid-until 2027-12-31
contains "$WORK/err" "an enterprise's voucher is for business_support or lab_time"
expect 1 "$FOW" voucher issue "$support" --code 18547290 --value 1 --valid-from 2027-01-01 --valid-until 2027-12-31
contains "$WORK/err" "needs --enterprise NAME"
expect 1 "$FOW" voucher issue "$support" --enterprise "Studioul Demo SRL" --value 1 --valid-from 2027-01-01 --valid-until 2027-12-31
contains "$WORK/err" "needs --code CUI"
expect 1 "$FOW" voucher issue "$support" "$p" --enterprise "Studioul Demo SRL" --code 18547290 --value 1 \
  --valid-from 2027-01-01 --valid-until 2027-12-31
contains "$WORK/err" "not both"
expect 1 "$FOW" voucher issue "$support" --enterprise "" --code 18547290 --value 1 --valid-from 2027-01-01 --valid-until 2027-12-31
contains "$WORK/err" "(--enterprise)"
expect 0 "$FOW" check
lacks "$WORK/out" "FAILED"

expect 0 "$FOW" check
contains "$WORK/out" "vouchers.chain"
expect 19 sqlite3 "$FOW_DB" "UPDATE voucher_transfers SET amount_minor = 1 WHERE id = 1"
contains "$WORK/err" "append-only"
sqlite3 "$FOW_DB" "DROP TRIGGER voucher_transfers_no_update; UPDATE voucher_transfers SET amount_minor = 4999999 WHERE id = 1"
expect 1 "$FOW" check
contains "$WORK/out" "vouchers.chain           FAILED"
contains "$WORK/out" "vouchers.balances        FAILED"
contains "$WORK/out" "the transfer was changed"

expect 0 "$FOW" voucher --help
contains "$WORK/out" "fow voucher ledger export"

echo "cli_voucher: $passed passed, $failed failed"
[ "$failed" = 0 ]
