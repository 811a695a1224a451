#!/usr/bin/env bash
# The voucher office's reports from the command line (fow voucher report; docs/vouchers.md
# "Reports"): a ledger made here (two funds' lines, three vouchers, redemptions at enrolment,
# a completed and credentialed module paid, a failed one refunded, a cancellation and an
# expiry), then the amounts per fund, line, call, provider and month checked against the
# ledger's own accounts (fow voucher ledger accounts), the identity allocated = available +
# committed + redeemed, the costs per completion and per credential, the outstanding vouchers,
# CSV (RFC 4180) and --output, and errors naming the flag.
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work

"$FOW" --quiet import bundle "$DEMO" > /dev/null || { echo "demo import failed"; exit 1; }
# an empty ledger: rows for nothing, and a clear table
expect 0 "$FOW" voucher report
contains "$WORK/out" "no money has moved yet"
"$FOW" --quiet import modules "$DEMO/modules.csv" > /dev/null || { echo "modules import failed"; exit 1; }
"$FOW" cohort load "$DEMO/cohorts.csv" > /dev/null || { echo "cohorts load failed"; exit 1; }
"$FOW" voucher fund add "CEV 2027" --currency RON > /dev/null
"$FOW" voucher fund add "Lab fund" --currency RON > /dev/null
"$FOW" voucher line add 1 --purpose learning_module --year 2027 --amount 50000 > /dev/null
"$FOW" voucher line add 2 --purpose lab_time --year 2027 --amount 3000 > /dev/null
person() {
  local p
  p=$("$FOW" person add --organisation Demo | sed 's/Added person \(.*\)\./\1/')
  "$FOW" person consent "$p" training --text-version v1 > /dev/null
  "$FOW" person consent "$p" vouchers --text-version v1 > /dev/null
  echo "$p"
}
p1=$(person); p2=$(person); p3=$(person)
c1=$("$FOW" voucher issue 1 "$p1" --value 1500 --valid-from 2026-11-01 --valid-until 2027-12-31 --active --key k1)
c2=$("$FOW" voucher issue 1 "$p2" --value 800 --valid-from 2026-11-01 --valid-until 2027-10-31 --active --key k2)
c3=$("$FOW" voucher issue 2 "$p3" --value 1000 --valid-from 2026-11-01 --valid-until 2027-06-30 --active --key k3)
# p1: CP-BIZ cohort 1 (500.00, completed, passed: payable, paid; a credential) and W40-DATA cohort 6 (failed: refunded)
expect 0 "$FOW" voucher redeem "$c1" 1 --key r1 --amount 500
expect 0 "$FOW" voucher redeem "$c1" 6 --key r2
for s in 1 2 3 4 5 6; do "$FOW" cohort attend 1 "$p1" $s > /dev/null; done
"$FOW" cohort attend 6 "$p1" 1 > /dev/null
"$FOW" cohort complete 1 "$p1" --passed > "$WORK/completed.txt"
contains "$WORK/completed.txt" "Credential"
"$FOW" cohort complete 6 "$p1" --failed --completed-on 2027-02-26 > /dev/null
# p2: CP-BIZ (300.00), not completed yet: waiting
expect 0 "$FOW" voucher redeem "$c2" 1 --key r3 --amount 300
expect 0 "$FOW" voucher claims settle
"$FOW" voucher pay batch > /dev/null
"$FOW" voucher pay approve 1 > /dev/null
# p3's voucher cancelled; p2's expires (its last day 2027-10-31)
"$FOW" voucher cancel "$c3" --reason "moved away" > /dev/null
expect 0 "$FOW" voucher expire --as-of 2027-11-01
contains "$WORK/out" "Expired 1 voucher"
expect 0 "$FOW" check

expect 0 "$FOW" voucher report
contains "$WORK/out" "Voucher amounts by fund"
contains "$WORK/out" "CEV 2027"
contains "$WORK/out" "cached balances that differ from the sums: 0"
expect 0 "$FOW" voucher ledger accounts
save accounts.txt
for by in fund line call provider month; do
  expect 0 "$FOW" voucher report --by $by --json
  save "report-$by.json"
done
check "the totals are the ledger's account balances, the same for every dimension" '
import re
bal = {}
for line in open(f"{work}/accounts.txt").read().splitlines()[1:]:
    f = line.split()
    kind, amount = f[1], int(f[4].replace(".", ""))
    bal[kind] = bal.get(kind, 0) + amount
totals = None
for by in ["fund", "line", "call", "provider", "month"]:
    d = json.load(open(f"{work}/report-{by}.json"))
    assert d["by"] == by and d["source"]["mismatched_accounts"] == 0, d["source"]
    assert d["method"]["code"] == "voucher_report.method_" + by and "ledger" in d["method"]["text"], d["method"]
    assert d["source"]["transfers"] > 0 and len(d["source"]["last_hash"]) == 64, d["source"]
    t = d["totals"][0]["amounts"]
    if totals is None: totals = t
    assert t == totals, (by, t, totals)
a = totals
assert a["allocated_minor"] == -bal["fund"] == 5300000, (a, bal)
assert a["available_minor"] == bal["available"], (a, bal)
assert a["committed_minor"] == bal.get("voucher", 0), (a, bal)
assert a["redeemed_minor"] == bal.get("claim", 0) + bal.get("payable", 0) + bal["paid"], (a, bal)
assert a["paid_minor"] == bal["paid"] == 50000, (a, bal)
assert a["issued_minor"] == 330000 and a["expired_minor"] == 50000 + 100000, a
assert a["committed_minor"] == 100000 and a["redeemed_minor"] == 80000, a
assert a["available_minor"] + a["committed_minor"] + a["redeemed_minor"] == a["allocated_minor"], a
'
check "per fund and per line: every figure, and they add up to the totals" '
d = json.load(open(f"{work}/report-fund.json"))
rows = {r["label"]: r for r in d["rows"]}
cev, lab = rows["CEV 2027"]["amounts"], rows["Lab fund"]["amounts"]
assert cev == {"allocated_minor": 5000000, "issued_minor": 230000, "committed_minor": 100000, "redeemed_minor": 80000,
               "paid_minor": 50000, "expired_minor": 50000, "available_minor": 4820000, "lab_charged_minor": 0,
               "lab_paid_minor": 0, "lab_outstanding_minor": 0}, cev
assert lab == {"allocated_minor": 300000, "issued_minor": 100000, "committed_minor": 0, "redeemed_minor": 0,
               "paid_minor": 0, "expired_minor": 100000, "available_minor": 300000, "lab_charged_minor": 0,
               "lab_paid_minor": 0, "lab_outstanding_minor": 0}, lab
assert rows["CEV 2027"]["vouchers"] == 2 and rows["CEV 2027"]["redemptions"] == 2, rows["CEV 2027"]
assert rows["CEV 2027"]["formatted"]["allocated"] == "50000.00 RON", rows["CEV 2027"]["formatted"]
l = json.load(open(f"{work}/report-line.json"))
assert [r["amounts"]["allocated_minor"] for r in l["rows"]] == [5000000, 300000], l["rows"]
assert "learning_module 2027" in l["rows"][0]["label"], l["rows"][0]
'
check "per call, provider and month: what applies, null otherwise" '
c = json.load(open(f"{work}/report-call.json"))
assert [r["key"] for r in c["rows"]] == ["none"], c["rows"]
assert c["rows"][0]["amounts"]["allocated_minor"] is None and c["rows"][0]["amounts"]["available_minor"] is None
assert c["rows"][0]["amounts"]["issued_minor"] == 330000, c["rows"][0]
p = json.load(open(f"{work}/report-provider.json"))
assert sum(r["amounts"]["redeemed_minor"] for r in p["rows"]) == 80000, p["rows"]
assert sum(r["amounts"]["paid_minor"] for r in p["rows"]) == 50000, p["rows"]
assert all(r["amounts"]["committed_minor"] is None and r["vouchers"] is None for r in p["rows"]), p["rows"]
m = json.load(open(f"{work}/report-month.json"))
last = m["rows"][-1]["amounts"]
t = m["totals"][0]["amounts"]
assert last["committed_minor"] == t["committed_minor"] and last["available_minor"] == t["available_minor"], (last, t)
assert sum(r["amounts"]["issued_minor"] for r in m["rows"]) == t["issued_minor"], m["rows"]
'

expect 0 "$FOW" voucher report --costs --json
check "cost per completion and per credential" '
d = json.load(open(f"{work}/out"))
t = d["totals"][0]
assert t["completions"] == 1 and t["completion_minor"] == 50000 and t["cost_per_completion_minor"] == 50000, t
assert t["waiting"] == 1 and t["waiting_minor"] == 30000, t
assert d["credentials_read"] and t["credentials"] == 1 and t["cost_per_credential_minor"] == 50000, t
assert d["method"]["code"] == "voucher_report.method_costs", d["method"]
row = [r for r in d["rows"] if r["module"] == "CP-BIZ"][0]
assert row["completions"] == 1 and row["formatted"]["cost_per_completion"] == "500.00 RON", row
'
expect 0 "$FOW" voucher report --costs
contains "$WORK/out" "CP-BIZ"

expect 0 "$FOW" voucher report --outstanding --json
check "outstanding: p1 only, by month of its last day, with the list" '
d = json.load(open(f"{work}/out"))
assert d["by_month"] == [{"month": "2027-12", "currency": "RON", "vouchers": 1, "amount_minor": 100000,
                          "amount": "1000.00 RON", "past_last_day": d["by_month"][0]["past_last_day"]}], d["by_month"]
assert len(d["vouchers"]) == 1 and d["vouchers"][0]["valid_until"] == "2027-12-31", d["vouchers"]
assert d["vouchers"][0]["balance_minor"] == 100000 and d["vouchers"][0]["status"] == "active", d["vouchers"]
'
expect 0 "$FOW" voucher report --outstanding
contains "$WORK/out" "2027-12"

# CSV: RFC 4180 (CRLF; a label with a comma quoted), to a file
"$FOW" voucher fund add 'Fund, "quoted"' --currency EUR > /dev/null
"$FOW" voucher line add 3 --purpose business_support --year 2027 --amount 10 > /dev/null
expect 0 "$FOW" voucher report --by fund --csv --output "$WORK/fund.csv"
check "the CSV" '
import csv
raw = open(f"{work}/fund.csv", "rb").read()
assert raw.count(b"\r\n") == len(raw.splitlines()), raw
rows = list(csv.DictReader(open(f"{work}/fund.csv", newline="")))
cev = [r for r in rows if r["key"] == "1"][0]
assert cev["by"] == "fund" and cev["allocated_minor"] == "5000000" and cev["allocated"] == "50000.00", cev
eur = [r for r in rows if r["currency"] == "EUR" and r["key"] != "total"][0]
assert eur["label"] == "Fund, \"quoted\"" and eur["allocated_minor"] == "1000", eur
totals = [r for r in rows if r["key"] == "total"]
assert sorted(r["currency"] for r in totals) == ["EUR", "RON"], totals
'
expect 0 "$FOW" voucher report --by provider --csv
contains "$WORK/out" "provider"
expect 0 "$FOW" voucher report --outstanding --csv
contains "$WORK/out" "month,currency,vouchers,amount_minor,amount,past_last_day"
expect 0 "$FOW" voucher report --costs --csv
contains "$WORK/out" "cost_per_completion_minor"

# errors name the flag
expect 1 "$FOW" voucher report --by week
contains "$WORK/err" "--by must be fund, line, call, provider or month, not 'week'"
expect 1 "$FOW" voucher report --costs --outstanding
contains "$WORK/err" "one of --by, --costs and --outstanding"
expect 1 "$FOW" voucher report --csv --json
contains "$WORK/err" "--csv or --json"
expect 1 "$FOW" voucher report --output "$WORK/x"
contains "$WORK/err" "--output"
expect 0 "$FOW" voucher report --help
contains "$WORK/out" "--outstanding"
expect 0 "$FOW" voucher --help
contains "$WORK/out" "fow voucher report"

echo "cli_voucher_report: $passed passed, $failed failed"
[ "$failed" = 0 ]
