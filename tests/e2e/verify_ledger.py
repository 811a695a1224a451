#!/usr/bin/env python3
"""verify_ledger.py — checks an export of fow's voucher ledger on its own,
without fow's code: `fow voucher ledger export --json` or `--csv`
(docs/vouchers.md, "The ledger export").

It recomputes, from the file alone:
  - the hash chain: transfer ids run 1, 2, 3 ...; each transfer's prev_hash is
    the hash of the one before it (64 zeros for the first), and its hash is
    the SHA-256 of its canonical encoding: the fields "fow-ledger-1", id, key,
    kind, from_account, to_account, amount_minor, currency, actor, at, reason,
    prev_hash, each written as <length in bytes of its UTF-8>:<bytes>\\n;
  - every transfer: a positive whole amount between two different accounts
    that exist and hold the transfer's currency;
  - every account's balance (received minus given) and number of transfers,
    compared with the balance the export states; the balances of each
    currency sum to zero; no account but a fund's is below zero.

Usage: verify_ledger.py FILE   (the format is found from the content)
Exit 0 when everything holds, 1 with one line per problem otherwise.
"""
import csv
import hashlib
import io
import json
import sys

ZERO_HASH = "0" * 64


def canonical(t):
    fields = ["fow-ledger-1", str(t["id"]), t["key"], t["kind"], str(t["from_account"]), str(t["to_account"]),
              str(t["amount_minor"]), t["currency"], t["actor"], str(t["at"]), t["reason"], t["prev_hash"]]
    out = bytearray()
    for f in fields:
        b = f.encode("utf-8")
        out += str(len(b)).encode("ascii") + b":" + b + b"\n"
    return bytes(out)


def load(text):
    if text.lstrip().startswith("{"):
        doc = json.loads(text)
        if doc.get("format") != "fow-ledger-1":
            raise ValueError("not a fow-ledger-1 export")
        return doc["accounts"], doc["transfers"]
    accounts, transfers = [], []
    rows = csv.DictReader(io.StringIO(text, newline=""))
    for r in rows:
        if r["record"] == "account":
            accounts.append({"id": int(r["id"]), "kind": r["kind"], "owner_id": int(r["owner_id"]),
                             "currency": r["currency"], "may_go_negative": r["may_go_negative"] == "1",
                             "balance_minor": int(r["balance_minor"]), "transfers": int(r["transfers"])})
        elif r["record"] == "transfer":
            transfers.append({"id": int(r["id"]), "key": r["key"], "kind": r["kind"],
                              "from_account": int(r["from_account"]), "to_account": int(r["to_account"]),
                              "amount_minor": int(r["amount_minor"]), "currency": r["currency"], "actor": r["actor"],
                              "at": int(r["at"]), "reason": r["reason"], "prev_hash": r["prev_hash"],
                              "hash": r["hash"]})
        else:
            raise ValueError(f"line {rows.line_num}: record is '{r['record']}', not account or transfer")
    return accounts, transfers


def verify(accounts, transfers):
    problems = []
    by_id = {a["id"]: a for a in accounts}
    computed = {a["id"]: 0 for a in accounts}
    moved = {a["id"]: 0 for a in accounts}
    prev = ZERO_HASH
    for i, t in enumerate(transfers, start=1):
        tid = t["id"]
        if tid != i:
            problems.append(f"transfer {tid}: expected id {i} (missing or reordered transfer)")
        if t["prev_hash"] != prev:
            problems.append(f"transfer {tid}: prev_hash is not the hash of the transfer before it")
        h = hashlib.sha256(canonical(t)).hexdigest()
        if h != t["hash"]:
            problems.append(f"transfer {tid}: its content does not hash to its hash (changed)")
        prev = t["hash"]
        amount = t["amount_minor"]
        if not isinstance(amount, int) or amount <= 0:
            problems.append(f"transfer {tid}: amount {amount} is not a positive whole number")
            continue
        src, dst = by_id.get(t["from_account"]), by_id.get(t["to_account"])
        if src is None or dst is None or src is dst:
            problems.append(f"transfer {tid}: accounts {t['from_account']} -> {t['to_account']} are not two existing, "
                            "different accounts")
            continue
        if src["currency"] != t["currency"] or dst["currency"] != t["currency"]:
            problems.append(f"transfer {tid}: {t['currency']} between accounts of {src['currency']} and "
                            f"{dst['currency']}")
        computed[src["id"]] -= amount
        computed[dst["id"]] += amount
        moved[src["id"]] += 1
        moved[dst["id"]] += 1
    totals = {}
    for a in accounts:
        aid = a["id"]
        if computed[aid] != a["balance_minor"] or moved[aid] != a["transfers"]:
            problems.append(f"account {aid} ({a['kind']} {a['owner_id']}): stated balance {a['balance_minor']} after "
                            f"{a['transfers']} transfers, the transfers give {computed[aid]} after {moved[aid]}")
        if a["kind"] != "fund" and computed[aid] < 0:
            problems.append(f"account {aid} ({a['kind']} {a['owner_id']}): negative balance {computed[aid]}")
        if a["may_go_negative"] != (a["kind"] == "fund"):
            problems.append(f"account {aid}: a {a['kind']} account with may_go_negative {a['may_go_negative']}")
        totals[a["currency"]] = totals.get(a["currency"], 0) + computed[aid]
    for cur, total in sorted(totals.items()):
        if total != 0:
            problems.append(f"{cur}: the balances sum to {total}, not zero")
    return problems


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-3], file=sys.stderr)
        return 2
    try:
        with open(argv[1], "rb") as f:
            text = f.read().decode("utf-8")
        accounts, transfers = load(text)
    except (OSError, ValueError, KeyError, UnicodeDecodeError, TypeError) as e:
        print(f"{argv[1]}: not a readable ledger export: {e}")
        return 1
    problems = verify(accounts, transfers)
    for p in problems:
        print(p)
    if problems:
        print(f"FAILED: {len(problems)} problem(s) in {len(transfers)} transfers, {len(accounts)} accounts")
        return 1
    print(f"ok: {len(transfers)} transfers, {len(accounts)} accounts, chain and balances verified")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
