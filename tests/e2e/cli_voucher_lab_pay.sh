#!/usr/bin/env bash
# Lab time paid with a voucher, then paid out to the lab's operator (docs/vouchers.md, "Lab
# time"), from the command line as a new user would run it: on the demo's labs, three hours of
# the laser cutter booked with a lab_time voucher (one cancelled: refunded, never paid), the lab
# charges listed by state (pending until their slot has ended), a payment batch that gathers them
# once the slots have ended (`pay batch --key`: the same key again returns the same batch), a
# cancellation refused while its charge is in the batch (the booking stays), the approval (ledger
# transfers payable -> paid), the batch's CSV and SEPA-free listing, the report per provider and
# per call with lab time charged, paid and outstanding, and fow check after each part.
#
# A booking must start in the future, so its charge cannot be payable while the test runs: the
# test moves the two live charges' payable_from (the end of their slots) an hour into the past
# with SQL, as the passing of time would. The unit test (test_voucher_lab_payments.c) runs the
# same rules on simulated time.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work
ROOT=$(dirname "$DEMO")/..

"$FOW" --quiet import bundle "$DEMO" > /dev/null || { echo "demo import failed"; exit 1; }
"$FOW" --quiet import modules "$DEMO/modules.csv" > /dev/null || { echo "modules import failed"; exit 1; }
"$FOW" --quiet import modules "$DEMO/modules_creic.csv" --source "CREIC labs demo" > /dev/null || exit 1
"$FOW" --quiet lab import "$DEMO/labs.json" > /dev/null || { echo "labs import failed"; exit 1; }
"$FOW" --quiet lab holidays import "$ROOT/data/holidays-ro.csv" > /dev/null || exit 1

FUND=$("$FOW" voucher fund add "CEV" --currency RON)
LINE=$("$FOW" voucher line add "$FUND" --purpose lab_time --year 2027 --amount 5000)
P=$("$FOW" person add --organisation CREIC --area Cluj-Napoca | grep -o 'p[a-z2-7]\{26\}' | head -1)
"$FOW" --quiet person consent "$P" training --text-version v1 > /dev/null
"$FOW" --quiet person consent "$P" vouchers --text-version v1 > /dev/null
FROM=$(date -u +%F)
UNTIL=$(date -u -d "+400 days" +%F)
CODE=$("$FOW" voucher issue "$LINE" "$P" --value 3000 --valid-from "$FROM" --valid-until "$UNTIL" --active --key lab-pay)
expect 0 "$FOW" lab induction laser-cutter-1 "$P"

# three Mondays ahead at 10:00 (a week apart, none a holiday: the first free ones)
booked=0
week=3
while [ "$booked" -lt 3 ] && [ "$week" -lt 30 ]; do
  day=$(date -d "+$((7 * week)) days" +%F)
  day=$(date -d "$day + $(( (8 - $(date -d "$day" +%u)) % 7 )) days" +%F)
  if "$FOW" --quiet lab book laser-cutter-1 "${day}T10:00" --minutes 60 --category culturepreneur --person "$P" \
       --payment voucher --voucher "$CODE" --key "lab-pay-$week" > /dev/null 2>&1; then
    booked=$((booked + 1))
  fi
  week=$((week + 1))
done
equals "$booked" "3" "three bookings paid by the voucher"
B1=$(sql "SELECT min(id) FROM lab_bookings")
B3=$(sql "SELECT max(id) FROM lab_bookings")
B2=$(sql "SELECT id FROM lab_bookings WHERE id NOT IN ($B1, $B3)")
PRICE=$(sql "SELECT amount_minor FROM voucher_lab_charges WHERE booking_id = $B1")
OPERATOR=$(sql "SELECT provider_id FROM voucher_lab_charges WHERE booking_id = $B1")

# the third is cancelled in time: refunded to the voucher, never to be paid
expect 0 "$FOW" lab cancel "$B3" --reason "plans changed"
expect 0 "$FOW" voucher lab-charges
contains "$WORK/out" "pending"
contains "$WORK/out" "refunded"
lacks "$WORK/out" "payable   "
expect 0 "$FOW" voucher lab-charges --json
CHECK_ARGS=("$PRICE")
check "the lab charges before their slots end" '
d = json.load(open(f"{work}/out"))
price = int(args[0])
assert d["count"] == 3, d
states = sorted(c["state"] for c in d["lab_charges"])
assert states == ["pending", "pending", "refunded"], states
totals = {t["state"]: (t["count"], t["amount_minor"]) for t in d["totals"]}
assert totals == {"pending": (2, 2 * price), "refunded": (1, price)}, totals
assert all(c["batch_id"] is None and c["paid_at"] is None for c in d["lab_charges"]), d
assert d["source"]["code"] == "voucher_lab_charges.source", d["source"]'
expect 1 "$FOW" voucher lab-charges --state owed
contains "$WORK/err" "pending, payable, batched, paid or refunded"
contains "$WORK/err" "--state"

# nothing is payable before the slots end
expect 1 "$FOW" voucher pay batch
contains "$WORK/err" "no payable claim or lab charge in RON"
contains "$WORK/err" "(2 lab charges are pending: payable once the booked time is over)"
equals "$(sql 'SELECT count(*) FROM voucher_payment_batches')" "0" "no batch"

# the slots have ended (the charges' payable_from an hour ago)
sql "UPDATE voucher_lab_charges SET payable_from = CAST(strftime('%s', 'now') AS INTEGER) - 3600 WHERE status = 'charged'"
expect 0 "$FOW" voucher lab-charges --state payable
contains "$WORK/out" "payable"
expect 0 "$FOW" voucher pay batch --key office-2027-03
contains "$WORK/out" "Payment batch 1: 0 claims and 2 lab charges"
contains "$WORK/out" "draft."
# the same build again: the same batch, nothing more
expect 0 "$FOW" voucher pay batch --key office-2027-03
contains "$WORK/out" "Payment batch 1: 0 claims and 2 lab charges"
contains "$WORK/err" "Key 'office-2027-03' built payment batch 1 before"
expect 1 "$FOW" voucher pay batch
contains "$WORK/err" "no payable claim or lab charge"
equals "$(sql 'SELECT count(*) FROM voucher_payment_batches')" "1" "one batch"
equals "$(sql 'SELECT count(*) FROM voucher_lab_charges WHERE batch_id = 1')" "2" "both live charges in it"

# a booking whose charge is being paid is not cancelled: a clear error, nothing changed
before=$(snapshot)
expect 1 "$FOW" lab cancel "$B2" --reason "too late"
contains "$WORK/err" "is in payment batch 1 (draft)"
contains "$WORK/err" "cannot be refunded"
equals "$(snapshot)" "$before" "the refused cancellation changed nothing"
equals "$(sql "SELECT status FROM lab_bookings WHERE id = $B2")" "confirmed" "the booking stays"

expect 0 "$FOW" voucher pay approve 1
contains "$WORK/out" "Payment batch 1: 0 claims and 2 lab charges"
contains "$WORK/out" "paid."
expect 1 "$FOW" voucher pay approve 1
contains "$WORK/err" "already paid"
equals "$(sql "SELECT count(*) FROM voucher_transfers WHERE kind = 'pay' AND idempotency_key LIKE 'lab-charge:%'")" "2" \
  "one pay transfer per charge"
expect 1 "$FOW" lab cancel "$B1" --reason "after payment"
contains "$WORK/err" "has been paid"

expect 0 "$FOW" voucher pay show 1
contains "$WORK/out" "lab charge 1"
contains "$WORK/out" "lab charge 2"
lacks "$WORK/out" "lab charge 3"
expect 0 "$FOW" voucher pay show 1 --json
CHECK_ARGS=("$PRICE" "$OPERATOR")
check "the paid batch" '
d = json.load(open(f"{work}/out"))
price, operator = int(args[0]), int(args[1])
b = d["batch"]
assert b["status"] == "paid" and b["lab_charges"] == 2 and b["claims"] == 0, b
assert b["total_minor"] == 2 * price and b["key"] == "office-2027-03", b
assert d["count"] == 0 and d["lab_count"] == 2, d
assert all(c["state"] == "paid" and c["provider_id"] == operator and c["batch_id"] == 1 for c in d["lab_charges"]), d'
expect 0 "$FOW" voucher pay export 1
contains "$WORK/out" "batch,provider_id,provider,claims,amount_minor,amount,currency,status,approved_at,lab_charges,lab_minor"
contains "$WORK/out" ",0,$((2 * PRICE)),"
contains "$WORK/out" ",2,$((2 * PRICE))"

expect 0 "$FOW" voucher report --by provider --json
CHECK_ARGS=("$PRICE" "$OPERATOR")
check "the report per provider: lab time charged and paid" '
d = json.load(open(f"{work}/out"))
price, operator = int(args[0]), int(args[1])
row = [r for r in d["rows"] if r["key"] == str(operator)][0]
a = row["amounts"]
assert a["lab_charged_minor"] == 2 * price and a["lab_paid_minor"] == 2 * price, a
assert a["lab_outstanding_minor"] == 0 and a["paid_minor"] == 2 * price and a["redeemed_minor"] == 2 * price, a
assert "lab_outstanding" in d["columns"], d["columns"]'
expect 0 "$FOW" voucher report --by call --csv
contains "$WORK/out" "lab_charged_minor,lab_charged,lab_paid_minor,lab_paid,lab_outstanding_minor,lab_outstanding"
contains "$WORK/out" "call,none,issued without a call,RON,1,0"
expect 0 "$FOW" voucher line show "$LINE" --json
CHECK_ARGS=("$PRICE")
check "the budget line: the refunded hour back on the voucher, two spent" '
l = json.load(open(f"{work}/out"))
price = int(args[0])
assert l["amounts"]["redeemed_minor"] == 2 * price, l["amounts"]'
expect 0 "$FOW" check
contains "$WORK/out" "checks passed"

echo "cli_voucher_lab_pay: $passed passed, $failed failed"
[ "$failed" = 0 ]
