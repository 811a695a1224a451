#!/usr/bin/env bash
# The demo's vouchers (data/demo/vouchers.sh, loaded by make demo-db after the demo's people):
# the fund and its four 2027 budget lines, the Culturepreneurs call with its jury, nine
# applications (one ineligible, one with a juror's conflict), six awards each with a voucher
# redeemed at enrolment in a Culturepreneurs cohort, a waitlisted and a rejected application, the
# lab-time voucher (unspent here: the labs are not loaded; make demo-db books an hour of the laser cutter with it); then `fow check` passes on the demo database and the exported ledger
# verifies on its own (tests/e2e/verify_ledger.py).
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work

# the imports of make demo-db that the vouchers need: taxonomy, catalogue, cohorts, people
import_demo
expect 0 "$FOW" --quiet import modules "$DEMO/modules.csv" --source "fow demo modules" --version 2026.12 --licence CC0-1.0
expect 0 "$FOW" --quiet cohort load "$DEMO/cohorts.csv"
expect 0 "$FOW" --quiet cohort load "$DEMO/cohorts_past.csv"
expect 0 "$FOW" --quiet journeys "$DEMO/journeys.csv"
expect 0 sh "$DEMO/vouchers.sh" "$FOW" "$FOW_DB"
empty "$WORK/err"

expect 0 "$FOW" check
contains "$WORK/out" "vouchers.chain"
lacks "$WORK/out" "FAILED"
expect 0 "$FOW" voucher ledger export --json --output "$WORK/ledger.json"
expect 0 "$PY" "$E2E/verify_ledger.py" "$WORK/ledger.json"

expect 0 "$FOW" voucher fund list --json
save funds.json
expect 0 "$FOW" voucher line list --json
save lines.json
expect 0 "$FOW" call applications 1 --json
save applications.json
expect 0 "$FOW" voucher list --json
save vouchers.json
expect 0 "$FOW" voucher claims --json
save claims.json
expect 0 "$FOW" call jurors 1 --json
save jurors.json
expect 0 "$FOW" call rank 1 --json
save rank.json
check "the demo's vouchers" '
funds = load("funds.json")
names = [f["name"] for f in (funds["funds"] if isinstance(funds, dict) else funds)]
assert names == ["Grantul programului Viitorul Muncii Cluj"], names
lines = load("lines.json")
lines = lines["lines"] if isinstance(lines, dict) else lines
# the texts the office pages show are in Romanian (the programme runs in Cluj)
assert sorted(l["name"] for l in lines) == ["Facilitare comunitară 2027", "Module de învățare 2027",
    "Sprijin pentru afaceri 2027", "Timp în laboratoarele CREIC 2027"], [l["name"] for l in lines]
by = {l["purpose"]: l for l in lines}
assert sorted(by) == ["business_support", "community_facilitation", "lab_time", "learning_module"], sorted(by)
assert all(l["year"] == 2027 and l["currency"] == "RON" for l in lines), lines
learning = by["learning_module"]["amounts"]
# six vouchers of 1800, 1800, 1800, 1500, 1200, 1200 lei, each redeemed whole at enrolment
assert learning["allocated_minor"] == 6000000 and learning["redeemed_minor"] == 930000, learning
assert learning["committed_minor"] == 0 and learning["available_minor"] == 6000000 - 930000, learning
lab = by["lab_time"]["amounts"]
assert lab["committed_minor"] == 200000 and lab["redeemed_minor"] == 0, lab
apps = load("applications.json")["applications"]
status = sorted(a["status"] for a in apps)
assert status == ["awarded"] * 6 + ["ineligible", "rejected", "waitlisted"], status
assert any(a["conflicts"] for a in apps), "no declared conflict"
vouchers = load("vouchers.json")
vouchers = vouchers["vouchers"] if isinstance(vouchers, dict) else vouchers
assert len(vouchers) == 7 and all(v["status"] == "active" for v in vouchers), vouchers
spent = [v for v in vouchers if v["purpose"] == "learning_module"]
assert len(spent) == 6 and all(v["amounts"]["balance_minor"] == 0 for v in spent), spent
lab_v = [v for v in vouchers if v["purpose"] == "lab_time"]
assert len(lab_v) == 1 and lab_v[0]["amounts"]["balance_minor"] == 200000, lab_v
claims = load("claims.json")["claims"]
assert len(claims) == 6 and {c["module"] for c in claims} == {"CP-BIZ", "CP-DESIGN", "CP-AV", "CP-GAME"}, claims
assert all(c["status"] == "redeemed" for c in claims), claims
# each award issued its voucher: nothing awarded waits to be issued
rank = load("rank.json")
assert rank["available_explained"]["params"]["unissued"] == 0, rank["available_explained"]
assert rank["available"]["minor_units"] == 6000000 - 930000, rank["available"]
jurors = load("jurors.json")
assert "demo-juror-ana" in json.dumps(jurors) and "demo-juror-mihai" in json.dumps(jurors), jurors
'

echo "cli_demo_vouchers: $passed passed, $failed failed"
[ "$failed" = 0 ]
