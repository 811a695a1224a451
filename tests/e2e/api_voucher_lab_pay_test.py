#!/usr/bin/python3
"""Lab time paid with a voucher, paid out to the lab's operator, over HTTP (src/http/api_voucher_office.c,
docs/vouchers.md "Lab time").

    python3 api_voucher_lab_pay_test.py FOW_BINARY [REPO_ROOT]

On the demo database with a user of every role (api_race_test.demo_with_users) and the fixture lab of
api_lab_bookings_test (a machine at 5000 bani an hour for residents, operated by the catalogue's first
provider), the person books three hours with a lab_time voucher and cancels one in time; then:

1. GET /api/v1/voucher-lab-charges for the voucher office: two pending, one refunded, with totals per
   state and a source; 403 for the person; 400 for an unknown state;
2. POST /api/v1/payment-batches before the slots end: 409 claims (nothing payable);
3. the slots end (the two live charges' payable_from moved an hour into the past with sqlite3, as
   time would: a booking must start in the future), and 10 parallel POSTs with one idempotency key
   build one batch: one 201, nine 200, all the same id, the two charges in it; a build without a key
   then finds nothing (409);
4. the person's cancellation of a batched booking: 409 lab_charge, the booking stays confirmed;
5. the approval (password confirmed): the charges paid by one transfer each, a second approval 409;
6. the report per provider and per call: lab time charged, paid and outstanding;
7. `fow voucher lab-charges --json` and `fow voucher pay show --json` are the API's documents;
   `fow check` passes after each part. Standard library only."""

import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, request, run_fow  # noqa: E402
from api_lab_bookings_test import add_lab, body, book, call, parallel  # noqa: E402
from api_race_test import PASSWORD, USERS, Session, demo_with_users  # noqa: E402

c = Checks("voucher lab payments")
check, equal = c.check, c.equal


def err(r):
    return body(r).get("error") or {}


def main():
    args = sys.argv[1:]
    fow = os.path.abspath(args[0])
    root = os.path.abspath(args[1]) if len(args) > 1 else os.path.abspath(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    demo = os.environ.get("FOW_DEMO") or os.path.join(root, "data", "demo")
    work = tempfile.mkdtemp(prefix="fow-voucher-lab-pay-test-")
    s = None
    try:
        db = demo_with_users(fow, demo, work)
        modules = json.loads(run_fow(fow, db, "modules", "--json"))["modules"]
        operator = min(m["provider"]["id"] for m in modules)
        add_lab(db, operator)
        users = json.loads(run_fow(fow, db, "user", "list", "--json"))
        person = next(u for u in users if u["name"] == USERS["person"])["person_id"]
        fund = run_fow(fow, db, "voucher", "fund", "add", "Lab fund", "--currency", "RON").strip()
        line = run_fow(fow, db, "voucher", "line", "add", fund, "--purpose", "lab_time", "--year", "2027",
                       "--amount", "1000").strip()
        run_fow(fow, db, "person", "consent", person, "vouchers", "--text-version", "v1")
        code = run_fow(fow, db, "voucher", "issue", line, person, "--valid-from", "2026-01-01", "--valid-until",
                       "2030-12-31", "--active", "--value", "150").strip()
        s = Server(fow, db, work, "lab-pay", rate_limit=0, threads=8, extra=("--client-connections", "64"))
        port = s.port
        pat, vera = Session(port, USERS["person"]), Session(port, USERS["voucher_office"])

        ids = []
        # weekdays; 2027-04-06 is the fixture lab's test holiday (api_lab_bookings_test.add_lab)
        for start in ("2027-04-05T10:00", "2027-04-07T10:00", "2027-04-08T10:00"):
            r = book(port, pat, start, category="resident", payment="voucher", voucher_code=code)
            equal(r.status, 201, "a booking paid by the voucher: %r" % r)
            ids.append(body(r).get("booking", {}).get("id"))
        r = call(port, pat, "POST", "/api/v1/lab-bookings/%s/cancellation" % ids[2], {"reason": "plans changed"})
        equal((r.status, body(r).get("fee_minor")), (200, 0), "cancelled in time: no fee")
        run_fow(fow, db, "check")

        # 1. the lab charges, for the office only
        r = call(port, vera, "GET", "/api/v1/voucher-lab-charges")
        equal(r.status, 200, "the lab charges: %r" % r)
        d = body(r)
        equal(d.get("count"), 3, "three charges")
        equal(sorted(x["state"] for x in d.get("lab_charges", [])), ["pending", "pending", "refunded"],
              "pending until their slots end; the cancelled one refunded")
        equal({(t["state"], t["count"], t["amount_minor"]) for t in d.get("totals", [])},
              {("pending", 2, 10000), ("refunded", 1, 5000)}, "the totals per state")
        equal({x["provider_id"] for x in d.get("lab_charges", [])}, {operator}, "payable to the lab's operator")
        equal((d.get("source") or {}).get("code"), "voucher_lab_charges.source", "with its source")
        equal(call(port, pat, "GET", "/api/v1/voucher-lab-charges").status, 403, "not for a person")
        r = call(port, vera, "GET", "/api/v1/voucher-lab-charges?state=owed")
        equal((r.status, err(r).get("field")), (400, "state"), "an unknown state names state")
        equal(len(body(call(port, vera, "GET", "/api/v1/voucher-lab-charges?state=pending")).get("lab_charges", [])), 2,
              "?state=pending")

        # 2. nothing payable yet
        r = call(port, vera, "POST", "/api/v1/payment-batches", {"currency": "RON"})
        equal((r.status, err(r).get("field")), (409, "claims"), "no batch before the slots end: %r" % r)

        # 3. the slots have ended; ten builds at once with one key: one batch
        con = sqlite3.connect(db)
        with con:
            con.execute("UPDATE voucher_lab_charges SET payable_from = ? WHERE status = 'charged'",
                        (int(time.time()) - 3600,))
        con.close()
        answers = parallel(10, lambda i: call(port, vera, "POST", "/api/v1/payment-batches",
                                              {"currency": "RON", "key": "office-april"}))
        statuses = sorted(getattr(x, "status", None) for x in answers)
        equal(statuses, [200] * 9 + [201], "one build, nine replays: %r" % statuses)
        batches = {body(x).get("batch", {}).get("id") for x in answers if hasattr(x, "status")}
        equal(len(batches), 1, "all the same batch: %r" % batches)
        batch = batches.pop() if len(batches) == 1 else 0
        first = body(answers[0])
        equal((first.get("batch") or {}).get("lab_charges"), 2, "two lab charges in it")
        equal((first.get("batch") or {}).get("total_minor"), 10000, "their sum")
        equal((first.get("batch") or {}).get("key"), "office-april", "its key")
        equal(first.get("lab_count"), 2, "listed")
        equal({x["state"] for x in first.get("lab_charges", [])}, {"batched"}, "batched")
        r = call(port, vera, "POST", "/api/v1/payment-batches", {"currency": "RON"})
        equal((r.status, err(r).get("field")), (409, "claims"), "nothing left to gather")
        r = call(port, vera, "POST", "/api/v1/payment-batches", {"currency": "EUR", "key": "office-april"})
        equal((r.status, err(r).get("field")), (409, "key"), "the key in another currency: a conflict")
        equal(len(body(call(port, vera, "GET", "/api/v1/payment-batches")).get("batches", [])), 1, "one batch")
        run_fow(fow, db, "check")

        # 4. a booking whose charge is being paid is not cancelled
        r = call(port, pat, "POST", "/api/v1/lab-bookings/%s/cancellation" % ids[1], {"reason": "too late"})
        equal((r.status, err(r).get("field")), (409, "lab_charge"), "refused: %r" % r)
        check("payment batch %s" % batch in err(r).get("message", ""), "naming the batch: %r" % err(r))
        equal(body(call(port, pat, "GET", "/api/v1/lab-bookings/%s" % ids[1])).get("booking", {}).get("status"),
              "confirmed", "the booking stays")

        # 5. the approval pays each charge once
        approve = "/api/v1/payment-batches/%s/approval" % batch
        equal(err(call(port, vera, "POST", approve, {})).get("code"), "auth.confirmation_required",
              "money moves only with the password")
        r = call(port, vera, "POST", approve, {"confirm_password": PASSWORD})
        equal(r.status, 200, "approved: %r" % r)
        equal((body(r).get("batch") or {}).get("status"), "paid", "paid")
        equal({x["state"] for x in body(r).get("lab_charges", [])}, {"paid"}, "the charges paid")
        r = call(port, vera, "POST", approve, {"confirm_password": PASSWORD})
        equal((r.status, err(r).get("field")), (409, "batch"), "approving twice: a conflict")
        con = sqlite3.connect(db)
        pays = con.execute("SELECT count(*), count(DISTINCT idempotency_key), sum(amount_minor) FROM voucher_transfers "
                           "WHERE kind = 'pay' AND idempotency_key LIKE 'lab-charge:%'").fetchone()
        con.close()
        equal(pays, (2, 2, 10000), "one pay transfer per charge")
        r = call(port, vera, "GET", "/api/v1/payment-batches/%s/export" % batch)
        check(b",lab_charges,lab_minor\r\n" in r.body and b",2,10000\r\n" in r.body, "the CSV's lab columns")
        run_fow(fow, db, "check")

        # 6. the reports
        r = call(port, vera, "GET", "/api/v1/voucher-reports?by=provider")
        row = next((x for x in body(r).get("rows", []) if x["key"] == str(operator)), {})
        a = row.get("amounts", {})
        equal((a.get("lab_charged_minor"), a.get("lab_paid_minor"), a.get("lab_outstanding_minor")), (10000, 10000, 0),
              "per provider: lab time charged, paid, outstanding")
        r = call(port, vera, "GET", "/api/v1/voucher-reports?by=call")
        row = next((x for x in body(r).get("rows", []) if x["key"] == "none"), {})
        equal(row.get("amounts", {}).get("lab_paid_minor"), 10000, "per call (issued without one): paid")

        # 7. the command line's documents are the API's
        for argv, path in [(["voucher", "lab-charges"], "/api/v1/voucher-lab-charges"),
                           (["voucher", "lab-charges", "--state", "paid"], "/api/v1/voucher-lab-charges?state=paid"),
                           (["voucher", "pay", "show", str(batch)], "/api/v1/payment-batches/%s" % batch)]:
            equal(json.loads(run_fow(fow, db, *argv, "--json")), body(call(port, vera, "GET", path)),
                  "fow %s --json is GET %s" % (" ".join(argv), path))
    finally:
        if s:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
