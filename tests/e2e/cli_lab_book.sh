#!/usr/bin/env bash
# Bookings of the CREIC labs from the command line (issue 15; docs/labs-bookings.md): on the
# demo's labs (loaded as make demo-db loads them) the availability of a machine and of a lab,
# a refusal for missing training, an in-lab induction, then a booking paid by invoice, the
# refusals (slot taken, off the grid, the price not paid), the day's bookings, a cancellation,
# a teacher's weekly series (preview, confirm); and 20 `fow lab book` processes started together
# for one slot: exactly one booking. fow check passes after each part.
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

expect 0 "$FOW" lab availability printer-3d-1 --from 2027-03-01 --to 2027-03-07
contains "$WORK/out" "2027-03-01 Mon  free 09:00-18:00"
contains "$WORK/out" "2027-03-07 Sun  closed (outside)"
expect 0 "$FOW" lab availability --lab design-dev --from 2027-05-01 --to 2027-05-01
contains "$WORK/out" "closed (holiday: Labour Day)"
expect 0 "$FOW" lab availability printer-3d-1 --from 2027-03-01 --to 2027-03-31 --json
check "the availability document" '
d = json.load(open(f"{work}/out"))
assert d["resource"] == "printer-3d-1" and d["timezone"] == "Europe/Bucharest", d
assert len(d["days"]) == 31 and d["days"][0]["free"] == [["09:00", "18:00"]], d["days"][0]'
expect 1 "$FOW" lab availability printer-3d-1 --from 2027-01-01 --to 2028-06-01
contains "$WORK/err" "at most 400 days"
contains "$WORK/err" "(--to)"

P=$("$FOW" person add --organisation CREIC --area Cluj-Napoca | grep -o 'p[a-z2-7]\{26\}' | head -1)
"$FOW" --quiet person consent "$P" training --text-version v1 > /dev/null
# an unknown person is named as such, not as someone who needs training (on a machine with and without requirements)
expect 1 "$FOW" lab book printer-3d-1 2027-03-01T10:00 --minutes 120 --category school --person pzzzzzzzzzzzzzzzzzzzzzzzzzz --invoice S-1
contains "$WORK/err" "unknown person 'pzzzzzzzzzzzzzzzzzzzzzzzzzz'"
contains "$WORK/err" "(--person)"
lacks "$WORK/err" "needs training"
expect 1 "$FOW" lab book printer-3d-1 2027-03-01T10:00 --minutes 120 --category school --person nobody --invoice S-1
contains "$WORK/err" "unknown person 'nobody'"
expect 1 "$FOW" lab book printer-3d-1 2027-03-01T10:00 --minutes 120 --category school --person "$P" --invoice S-1
contains "$WORK/err" "needs training first"
contains "$WORK/err" "labs.training_missing"
equals "$(sql 'SELECT count(*) FROM lab_bookings')" "0" "a refusal books nothing"
expect 0 "$FOW" lab induction printer-3d-1 "$P"
expect 1 "$FOW" lab book printer-3d-1 2027-03-01T10:00 --minutes 120 --category school --person "$P"
contains "$WORK/err" "pay by voucher or invoice (--payment)"
expect 0 "$FOW" lab book printer-3d-1 2027-03-01T10:00 --minutes 120 --category school --person "$P" --invoice S-1
contains "$WORK/out" "booking 1  printer-3d-1  2027-03-01T10:00+02:00 .. 12:00+02:00  confirmed"
expect 1 "$FOW" lab book printer-3d-1 2027-03-01T11:00 --minutes 60 --category school --person "$P" --invoice S-2
contains "$WORK/err" "labs.slot_taken"
expect 1 "$FOW" lab book printer-3d-1 2027-03-01T12:30 --minutes 60 --category school --person "$P" --invoice S-2
contains "$WORK/err" "labs.misaligned"
expect 0 "$FOW" lab bookings design-dev --date 2027-03-01
contains "$WORK/out" "printer-3d-1         confirmed"
expect 0 "$FOW" lab availability printer-3d-1 --from 2027-03-01 --to 2027-03-01
contains "$WORK/out" "free 09:00-10:00, 12:00-18:00"
expect 0 "$FOW" lab cancel 1 --reason "plans changed" --json
check "the cancelled booking" '
b = json.load(open(f"{work}/out"))["booking"]
assert b["status"] == "cancelled" and b["sequence"] == 1 and b["fee_minor"] == 0, b'
expect 1 "$FOW" lab checkin 1
contains "$WORK/err" "only a confirmed booking is checked in"
expect 0 "$FOW" check
contains "$WORK/out" "checks passed"

# a weekly series of the workshop room
expect 0 "$FOW" lab series design-workshop --weekday 3 --time 09:00 --minutes 120 --from 2027-04-01 --to 2027-04-30 \
  --group 10A --group-size 12 --category school
contains "$WORK/out" "4 occurrences, 4 free, 0 in conflict"
expect 0 "$FOW" lab series design-workshop --weekday 3 --time 09:00 --minutes 120 --from 2027-04-01 --to 2027-04-30 \
  --group 10A --group-size 12 --category school --invoice UNI-7 --confirm
contains "$WORK/out" "4 booked, 0 skipped"
equals "$(sql "SELECT count(*) FROM lab_bookings WHERE group_name = '10A'")" "4" "the series' bookings"
# the series as a whole: listed, cancelled (all four are ahead), again with nothing left, audited on each booking
expect 0 "$FOW" lab series list
contains "$WORK/out" "series 1  design-workshop  Wed 09:00 for 120 minutes, 2027-04-01 .. 2027-04-30  active"
contains "$WORK/out" "10A: 4 upcoming, 0 held, 0 cancelled"
expect 0 "$FOW" lab series cancel 1 --reason "the class moved"
contains "$WORK/out" "cancelled 4 upcoming bookings"
contains "$WORK/out" "10A: 0 upcoming, 0 held, 4 cancelled"
equals "$(sql "SELECT count(*) FROM lab_bookings WHERE series_id = 1 AND status = 'cancelled' AND sequence = 1 AND cancel_reason = 'the class moved' AND changed_by <> ''")" "4" "each booking cancelled as a single one is"
equals "$(sql "SELECT status FROM lab_series WHERE id = 1")" "cancelled" "the series is cancelled"
expect 0 "$FOW" lab series cancel 1 --json
check "cancelling again" '
d = json.load(open(f"{work}/out"))
assert d["count"] == 0 and d["cancelled"] == [] and d["series"]["status"] == "cancelled", d
assert d["series"]["bookings"] == {"upcoming": 0, "held": 0, "cancelled": 4}, d'
expect 1 "$FOW" lab series cancel 99
contains "$WORK/err" "no lab series 99"
expect 1 "$FOW" lab series cancel
contains "$WORK/err" "SERIES is a number"

# 20 processes for one slot: exactly one booking
for i in $(seq 1 20); do
  "$FOW" --quiet lab book printer-3d-1 2027-03-03T10:00 --minutes 60 --category school --person "$P" --invoice R \
    > "$WORK/race.$i.out" 2> "$WORK/race.$i.err" &
done
wait
equals "$(grep -l 'confirmed' "$WORK"/race.*.out | wc -l | tr -d ' ')" "1" "one of 20 processes books the slot"
equals "$(grep -l 'labs.slot_taken' "$WORK"/race.*.err | wc -l | tr -d ' ')" "19" "the 19 others are refused slot_taken"
equals "$(sql "SELECT count(*) FROM lab_bookings WHERE starts_at = (SELECT min(starts_at) FROM lab_bookings WHERE note = '' AND invoice_ref = 'R')")" "1" "one row"
expect 0 "$FOW" check

echo "cli_lab_book: $passed passed, $failed failed"
[ "$failed" = 0 ]
