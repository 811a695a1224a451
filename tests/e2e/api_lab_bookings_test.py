#!/usr/bin/python3
"""Bookings of the CREIC labs over HTTP (src/http/api_lab_bookings.c, docs/labs-bookings.md).

    python3 api_lab_bookings_test.py FOW_BINARY [REPO_ROOT]

Builds the demo database with a user of every role (api_race_test.demo_with_users), adds a lab
"test-lab" (Mon-Fri 09:00-18:00) with a machine "test-laser" (60-minute slots, 5000 bani an hour
for residents, free for schools) and a space "test-room" (capacity 20), starts `fow serve`, and:

1. availability: the public shape (days, open, busy, free), the range limits (400 and 62 days);
2. 100 threads ask for the same slot at once: exactly one 201, every other answer a 409 whose
   refusal is labs.slot_taken, and the availability shows the slot busy;
3. refusals carry their message object (misaligned 422, outside hours 409, in the past 422);
4. a lab_time voucher worth one hour, used by 40 threads booking 40 different slots: charged
   exactly once, its balance 0 (never negative), `fow check` passes;
5. cancellation (the voucher refunded), the waiting list's offer and acceptance, a teacher's
   weekly series (preview with a conflict, then confirm skipping it), the day's bookings for staff
   only, check-in refused before its time and to a person.
The lab's rows are written with sqlite3 as a fixture: the catalogue's own commands are src/labs'
(fow_labs.h), tested in tests/unit/test_labs.c. Standard library only."""

import json
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, request, run_fow  # noqa: E402
from api_race_test import ORGANISATION, PASSWORD, USERS, Session, demo_with_users, person_add  # noqa: E402

c = Checks("lab bookings")
check, equal = c.check, c.equal


def call(port, session, method, path, value=None):
    headers = dict(session.headers) if session else {}
    body = None
    if value is not None:
        body = json.dumps(value).encode()
        headers["Content-Type"] = "application/json"
    return request(port, method, path, body, headers)


def body(r):
    try:
        return r.json()
    except Exception:
        return {}


def refusal(r):
    return (body(r).get("error") or {}).get("refusal") or {}


def balance_of(fow, db, code):
    """The voucher's balance_minor as `fow voucher show CODE --json` gives it."""
    def find(x):
        if isinstance(x, dict):
            if "balance_minor" in x:
                return x["balance_minor"]
            for v in x.values():
                found = find(v)
                if found is not None:
                    return found
        return None
    return find(json.loads(run_fow(fow, db, "voucher", "show", code, "--json")))


def add_lab(db, provider):
    """The fixture lab (see the module's text)."""
    now = int(time.time())
    con = sqlite3.connect(db)
    with con:
        cur = con.execute("INSERT INTO labs (code, name_en, name_ro, provider_id, created_at, updated_at) "
                          "VALUES ('test-lab', 'Test lab', 'Laborator de test', ?, ?, ?)", (provider, now, now))
        lab = cur.lastrowid
        for code, kind, capacity, slot, most in (("test-laser", "machine", 1, 60, 4), ("test-room", "space", 20, 120, 2)):
            rid = con.execute("INSERT INTO lab_resources (lab_id, code, kind, name_en, name_ro, capacity, slot_minutes, "
                              "max_slots, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              (lab, code, kind, code, code, capacity, slot, most, now, now)).lastrowid
            for category, price in (("resident", 5000), ("school", 0)):
                con.execute("INSERT INTO lab_prices (resource_id, category, per_hour_minor, currency) "
                            "VALUES (?, ?, ?, 'RON')", (rid, category, price))
        for weekday in range(1, 6):
            con.execute("INSERT INTO lab_opening_hours (lab_id, weekday, opens_minute, closes_minute) "
                        "VALUES (?, ?, 540, 1080)", (lab, weekday))
        con.execute("INSERT INTO lab_holidays (day, name_en, name_ro, source) VALUES "
                    "('2027-04-06', 'Test Holiday', 'Sărbătoare de test', 'test')")
    con.close()


def book(port, session, start, minutes=60, **extra):
    value = {"resource": "test-laser", "start": start, "minutes": minutes, "category": "school", "payment": "free"}
    value.update(extra)
    return call(port, session, "POST", "/api/v1/lab-bookings", value)


def parallel(n, fn):
    results = [None] * n
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        try:
            results[i] = fn(i)
        except Exception as e:  # a failed connection is a result too
            results[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def main():
    args = sys.argv[1:]
    fow = os.path.abspath(args[0])
    root = os.path.abspath(args[1]) if len(args) > 1 else os.path.abspath(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    demo = os.environ.get("FOW_DEMO") or os.path.join(root, "data", "demo")
    work = tempfile.mkdtemp(prefix="fow-lab-bookings-test-")
    s = None
    try:
        db = demo_with_users(fow, demo, work)
        modules = json.loads(run_fow(fow, db, "modules", "--json"))["modules"]
        provider = min(m["provider"]["id"] for m in modules)
        add_lab(db, provider)
        users = json.loads(run_fow(fow, db, "user", "list", "--json"))
        person = next(u for u in users if u["name"] == USERS["person"])["person_id"]
        # a second person's account, to wait for a slot
        other = person_add(fow, db, "--organisation", ORGANISATION, "--area", "Cluj-Napoca")
        with open(os.path.join(work, "pw"), "w") as f:
            f.write(PASSWORD + "\n")
        run_fow(fow, db, "user", "add", "pia", "--role", "person", "--person", other, "--password-file",
                os.path.join(work, "pw"))
        s = Server(fow, db, work, "labs", rate_limit=0, threads=8, extra=("--client-connections", "200"))
        port = s.port
        pat, lara, stan, tess = (Session(port, USERS[r]) for r in ("person", "lab_manager", "lab_staff", "teacher"))
        pia = Session(port, "pia")

        # 1. availability, public
        r = request(port, "GET", "/api/v1/lab-resources/test-laser/availability?from=2027-03-01&to=2027-03-07")
        equal(r.status, 200, "availability of a week: %r" % r)
        a = body(r)
        equal(len(a.get("days", [])), 7, "seven days")
        mon = a["days"][0] if a.get("days") else {}
        equal(mon.get("open"), [["09:00", "18:00"]], "Monday's hours")
        equal(mon.get("free"), [["09:00", "18:00"]], "Monday free")
        equal((a["days"][6].get("closed") or {}).get("reason") if a.get("days") else None, "outside", "Sunday closed")
        equal(request(port, "GET", "/api/v1/lab-resources/test-laser/availability?from=2027-01-01&to=2028-03-01").status,
              400, "more than 400 days: 400")
        equal(request(port, "GET", "/api/v1/lab-resources/nope/availability?from=2027-01-01&to=2027-01-02").status, 404,
              "unknown resource: 404")
        r = request(port, "GET", "/api/v1/labs/test-lab/availability?from=2027-03-01&to=2027-03-31")
        equal(r.status, 200, "a lab's month")
        equal([x["resource"] for x in body(r).get("resources", [])], ["test-laser", "test-room"], "both resources")
        equal(request(port, "GET", "/api/v1/labs/test-lab/availability?from=2027-03-01&to=2027-05-31").status, 400,
              "more than 62 days of a lab: 400")
        # a holiday's name in the reader's language (?lang=), next to the English one
        r = request(port, "GET", "/api/v1/lab-resources/test-laser/availability?from=2027-04-06&to=2027-04-06&lang=ro")
        closed = body(r)["days"][0].get("closed") or {}
        equal((closed.get("name"), closed.get("name_local")), ("Test Holiday", "Sărbătoare de test"),
              "the holiday in Romanian with ?lang=ro")
        r = request(port, "GET", "/api/v1/labs/test-lab/availability?from=2027-04-06&to=2027-04-06&lang=en")
        equal(((body(r)["resources"][0]["days"][0].get("closed") or {}).get("name_local")), "Test Holiday",
              "and in English with ?lang=en")

        # 2. 100 parallel requests for one slot: exactly one booking
        answers = parallel(100, lambda i: book(port, pat, "2027-03-01T10:00"))
        statuses = [getattr(x, "status", None) for x in answers]
        for x in answers:
            if not hasattr(x, "status"):
                print("lab bookings: %r" % x)
        equal(statuses.count(201), 1, "exactly one of 100 parallel requests books the slot: %r" % sorted(set(map(str, statuses))))
        equal(statuses.count(409), 99, "the 99 others are refused with 409")
        codes = {refusal(x).get("code") for x in answers if getattr(x, "status", None) == 409}
        equal(codes, {"labs.slot_taken"}, "their refusal is labs.slot_taken")
        r = request(port, "GET", "/api/v1/lab-resources/test-laser/availability?from=2027-03-01&to=2027-03-01")
        equal(body(r)["days"][0]["free"], [["09:00", "10:00"], ["11:00", "18:00"]], "the slot is busy now")
        mine = body(call(port, pat, "GET", "/api/v1/me/lab-bookings")).get("bookings", [])
        equal(len(mine), 1, "the person has the one booking")
        first = mine[0] if mine else {}
        equal(first.get("person"), person, "for their own person")
        equal(first.get("start"), "2027-03-01T10:00+02:00", "its local start with the offset")

        # 3. refusals
        r = book(port, pat, "2027-03-01T10:30")
        equal((r.status, refusal(r).get("code")), (422, "labs.misaligned"), "off the grid: %r" % r)
        r = book(port, pat, "2027-03-01T17:00", 120)
        equal((r.status, refusal(r).get("code")), (409, "labs.outside_hours"), "past closing")
        r = book(port, pat, "2026-01-05T10:00")
        equal((r.status, refusal(r).get("code")), (422, "labs.in_past"), "in the past")
        check(refusal(r).get("text"), "the refusal has its English text")
        r = call(port, pat, "POST", "/api/v1/lab-bookings?lang=ro",
                 {"resource": "test-laser", "start": "2027-04-06T10:00", "minutes": 60, "category": "school",
                  "payment": "free"})
        params = refusal(r).get("params") or {}
        equal((r.status, refusal(r).get("code"), params.get("name"), params.get("name_local")),
              (409, "labs.closed", "Test Holiday", "Sărbătoare de test"), "a holiday's refusal names it in Romanian: %r" % r)
        equal(call(port, None, "POST", "/api/v1/lab-bookings", {"resource": "test-laser"}).status, 401,
              "nobody may book")
        # a manager booking for a person fow does not know: "unknown person", not "needs training"
        r = call(port, lara, "POST", "/api/v1/lab-bookings",
                 {"resource": "test-laser", "start": "2027-03-02T10:00", "minutes": 60, "category": "school",
                  "payment": "free", "person": "pzzzzzzzzzzzzzzzzzzzzzzzzzz"})
        err = body(r).get("error", {})
        equal((r.status, err.get("field")), (404, "person"), "an unknown person: 404 naming the field: %r" % r)
        check("unknown person" in err.get("message", "") and "refusal" not in err,
              "worded as an unknown person, no training refusal: %r" % err)

        # 4. a voucher worth one hour, 40 parallel bookings of different slots
        fund = run_fow(fow, db, "voucher", "fund", "add", "Lab fund", "--currency", "RON").strip()
        line = run_fow(fow, db, "voucher", "line", "add", fund, "--purpose", "lab_time", "--year", "2027",
                       "--amount", "1000").strip()
        run_fow(fow, db, "person", "consent", person, "vouchers", "--text-version", "v1")
        code = run_fow(fow, db, "voucher", "issue", line, person, "--valid-from", "2026-01-01", "--valid-until",
                       "2030-12-31", "--active", "--value", "50").strip()
        # (not 10 March: the staff part below counts that day's bookings, and any one of the 40 may win)
        slots = ["2027-03-%02dT%02d:00" % (day, hour) for day in (2, 3, 4, 5, 8, 9, 11, 12, 15, 16)
                 for hour in (9, 12, 14, 16)]
        answers = parallel(len(slots), lambda i: book(port, pat, slots[i], category="resident", payment="voucher",
                                                      voucher_code=code))
        statuses = [getattr(x, "status", None) for x in answers]
        equal(statuses.count(201), 1, "a voucher worth one booking pays exactly one: %r" % sorted(set(map(str, statuses))))
        codes = {refusal(x).get("code") for x in answers if getattr(x, "status", None) == 409}
        equal(codes, {"labs.voucher_insufficient"}, "the others: labs.voucher_insufficient")
        short = next((refusal(x) for x in answers if getattr(x, "status", None) == 409), {})
        equal((short.get("params") or {}).get("balance"), 0, "with the balance 0")
        equal((short.get("params") or {}).get("price"), 5000, "and the price")
        equal(balance_of(fow, db, code), 0, "the voucher's balance is 0, not below")
        paid = next((body(x)["booking"] for x in answers if getattr(x, "status", None) == 201), {})
        equal(paid.get("payment"), "voucher", "the booking is paid by voucher")
        run_fow(fow, db, "check")
        # cancelled early: the voucher is refunded
        r = call(port, pat, "POST", "/api/v1/lab-bookings/%s/cancellation" % paid.get("id"), {"reason": "test"})
        equal(r.status, 200, "the person cancels: %r" % r)
        equal(body(r).get("fee_minor"), 0, "early: no fee")
        equal(balance_of(fow, db, code), 5000, "the voucher is refunded")
        run_fow(fow, db, "check")

        # 5. the waiting list: pia waits for pat's slot, pat cancels, pia is offered it and accepts
        r = call(port, pia, "POST", "/api/v1/lab-waitlist",
                 {"resource": "test-laser", "start": "2027-03-01T10:00", "minutes": 60, "category": "school"})
        equal(r.status, 201, "waiting for a taken slot: %r" % r)
        entry = body(r).get("entry", {})
        equal(entry.get("position"), 1, "first in line")
        equal(call(port, pat, "POST", "/api/v1/lab-bookings/%s/cancellation" % first.get("id"), {}).status, 200,
              "the slot's booking is cancelled")
        offers = body(call(port, pia, "GET", "/api/v1/me/lab-waitlist")).get("entries", [])
        equal([e["status"] for e in offers], ["offered"], "the first waiting is offered the slot")
        equal(book(port, pat, "2027-03-01T10:00").status, 409, "an offered slot is not booked by others")
        equal(call(port, pat, "POST", "/api/v1/lab-waitlist/%s/acceptance" % entry.get("id"), {}).status, 404,
              "not someone else's offer")
        r = call(port, pia, "POST", "/api/v1/lab-waitlist/%s/acceptance" % entry.get("id"),
                 {"payment": "invoice", "invoice_ref": "INV-1"})
        equal(r.status, 201, "accepting books it: %r" % r)

        # a teacher's weekly series of the room, with a conflict shown first
        equal(call(port, tess, "POST", "/api/v1/lab-bookings",
                   {"resource": "test-room", "start": "2027-03-10T09:00", "minutes": 120, "category": "school",
                    "payment": "free", "group_name": "9B", "group_size": 18}).status, 201, "a group booking")
        series = {"resource": "test-room", "weekday": 3, "start_time": "09:00", "minutes": 120,
                  "first_day": "2027-03-01", "last_day": "2027-03-31", "group_name": "10A", "group_size": 20}
        r = call(port, tess, "POST", "/api/v1/lab-series/preview", series)
        equal(r.status, 200, "preview: %r" % r)
        p = body(r)
        equal((p.get("count"), p.get("conflicts")), (5, 1), "five Wednesdays, one taken")
        equal(call(port, pat, "POST", "/api/v1/lab-series/preview", series).status, 403, "a person may not")
        r = call(port, tess, "POST", "/api/v1/lab-series", series)
        equal((r.status, refusal(r).get("code")), (409, "labs.series_conflicts"), "a conflict books nothing")
        series["skip_conflicts"] = True
        r = call(port, tess, "POST", "/api/v1/lab-series", series)
        equal(r.status, 201, "skipping the conflict: %r" % r)
        equal(sum(1 for o in body(r).get("occurrences", []) if o.get("booking_id")), 4, "four booked")
        series_id = body(r).get("series_id")
        # the series as a whole: listed for its teacher, cancelled by her only, again with nothing left
        listed = body(call(port, tess, "GET", "/api/v1/me/lab-series")).get("series", [])
        equal([(x["id"], x["bookings"]["upcoming"], x["status"]) for x in listed], [(series_id, 4, "active")],
              "the teacher's series with its four upcoming bookings")
        equal(body(call(port, pat, "GET", "/api/v1/me/lab-series")).get("count"), 0, "a person has none")
        equal(call(port, None, "GET", "/api/v1/me/lab-series").status, 401, "nobody: 401")
        equal(call(port, pat, "POST", "/api/v1/lab-series/%s/cancellation" % series_id, {}).status, 404,
              "not a person's to cancel")
        r = call(port, tess, "POST", "/api/v1/lab-series/%s/cancellation" % series_id, {"reason": "class moved"})
        equal(r.status, 200, "the teacher cancels the series: %r" % r)
        equal((body(r).get("count"), body(r)["series"]["status"], body(r)["series"]["bookings"]),
              (4, "cancelled", {"upcoming": 0, "held": 0, "cancelled": 4}), "its four bookings cancelled")
        check(all(b["status"] == "cancelled" and b["sequence"] == 1 and b["cancel_reason"] == "class moved"
                  for b in body(r).get("cancelled", [])), "each cancelled as a single booking is")
        r = call(port, tess, "POST", "/api/v1/lab-series/%s/cancellation" % series_id, {})
        equal((r.status, body(r).get("count")), (200, 0), "again: 200, nothing left to cancel")
        equal(call(port, tess, "POST", "/api/v1/lab-series/99999/cancellation", {}).status, 404, "an unknown series: 404")
        equal(call(port, tess, "POST", "/api/v1/lab-bookings",
                   {"resource": "test-room", "start": "2027-03-12T09:00", "minutes": 120, "category": "school",
                    "payment": "free", "group_name": "9B", "group_size": 25}).status, 422, "over capacity: 422")

        # staff
        r = call(port, stan, "GET", "/api/v1/labs/test-lab/bookings?date=2027-03-10")
        equal(r.status, 200, "the day's bookings for staff")
        equal(body(r).get("count"), 1, "one booking that day")
        check(all("voucher_code" not in b and "booked_by" not in b for b in body(r).get("bookings", [])),
              "staff see no voucher code and no account name in the day's list")
        equal(call(port, pat, "GET", "/api/v1/labs/test-lab/bookings?date=2027-03-10").status, 403, "not for a person")
        bid = body(r)["bookings"][0]["id"] if body(r).get("bookings") else 0
        equal(call(port, pat, "POST", "/api/v1/lab-bookings/%s/check-in" % bid).status, 403, "a person checks no one in")
        equal(call(port, stan, "POST", "/api/v1/lab-bookings/%s/check-in" % bid).status, 409,
              "check-in months before the start: 409")
        equal(call(port, lara, "GET", "/api/v1/lab-bookings/%s" % bid).status, 200, "the manager reads it")
        equal(call(port, pat, "GET", "/api/v1/lab-bookings/%s" % bid).status, 404, "another person does not")
        run_fow(fow, db, "check")
    finally:
        if s:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
