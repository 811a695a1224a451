#!/usr/bin/env bash
# Cluj Experimentation Vouchers from the command line: funds and budget lines, the
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

# the database refuses to change a transfer; behind its back, fow check finds it
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
