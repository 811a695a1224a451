#!/usr/bin/python3
"""The labs' calendar feeds, usage and projects over HTTP (issue 15, points 5 and 6;
docs/labs-usage.md), every feed parsed by an independent iCalendar parser: Debian's
python3-icalendar (a test package of the Makefile).

    python3 api_lab_usage_test.py FOW_BINARY [REPO_ROOT]

Checks: the public feeds of a machine and a lab parse, list every live booking with its
stable UID, say "Booked" and nothing of who (no person id, account or note), carry an
ETag (a 304 on If-None-Match) and Last-Modified; after a change the UID stays and SEQUENCE
rises, after a cancellation STATUS is CANCELLED; a person's secret feed (POST
/api/v1/me/lab-calendar) lists their own bookings with the note, a new address stops the
old one, and the access log never holds the secret; the usage by resource, week and
category (JSON and CSV) for a lab manager and an analyst, 403 for a counsellor, 401 for
nobody, 400 naming the field for bad dates; projects added by staff (201), refused to an
analyst (403), listed for the manager, a bad one 400 naming the field.

The labs, hours and bookings are written as rows of migration 18's tables before the
server starts, and changed the same way while it runs: the test is of what the feeds
and the usage make of them.

Prints "api-lab-usage: N passed, M failed"; exits 1 on a failure."""

import datetime
import json
import os
import shutil
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, call, run_fow  # noqa: E402

try:
    import icalendar  # Debian's python3-icalendar
except ImportError:
    print("api-lab-usage: python3-icalendar is missing (apt-get install python3-icalendar; make test installs it)",
          file=sys.stderr)
    sys.exit(1)

PASSWORD = "correct horse battery"
c = Checks("api-lab-usage")
check, equal = c.check, c.equal

BUCHAREST_WINTER = datetime.timezone(datetime.timedelta(hours=2))


def utc(local):
    """Unix seconds of a local "YYYY-MM-DDTHH:MM" in March 2027 (EET, +02:00, before the change)."""
    return int(datetime.datetime.strptime(local, "%Y-%m-%dT%H:%M").replace(tzinfo=BUCHAREST_WINTER).timestamp())


def person(n):
    return "pabcdefghijklmnopqrstuvwx" + chr(97 + n // 26) + chr(97 + n % 26)


def fixture(db, now):
    con = sqlite3.connect(db)
    con.executescript("""
        INSERT INTO labs (id, code, name_en, name_ro, created_at, updated_at) VALUES
          (1, 'design', 'Design Development', 'Dezvoltare de design', 0, 0);
        INSERT INTO lab_resources (id, lab_id, code, kind, name_en, name_ro, created_at, updated_at) VALUES
          (1, 1, 'laser-cutter-1', 'machine', 'Laser cutter', 'Tăietor laser', 0, 0),
          (2, 1, 'printer-1', 'machine', '3D printer, large; PLA', 'Imprimantă 3D', 0, 0);
        INSERT INTO lab_opening_hours (lab_id, weekday, opens_minute, closes_minute) VALUES
          (1, 1, 540, 1080), (1, 2, 540, 1080), (1, 3, 540, 1080), (1, 4, 540, 1080), (1, 5, 540, 1080);
    """)
    rows = [
        # uid, resource, start, end, status, person, booked_by, category, in, out, note
        ("uid-a@fow", 1, "2027-03-01T10:00", "2027-03-01T12:00", "completed", person(0), "lara", "resident",
         "2027-03-01T10:00", "2027-03-01T11:30", "ș and ț, a long note that folds past seventy-five octets: "
         "tăietor laser, lemn de tei"),
        ("uid-b@fow", 1, "2027-03-02T10:00", "2027-03-02T11:00", "no_show", person(1), "stan", "resident",
         None, None, ""),
        ("uid-c@fow", 2, "2027-03-03T09:00", "2027-03-03T12:00", "confirmed", None, "tess", "school",
         None, None, "class 9B"),
    ]
    for i in range(12):
        rows.append(("uid-u%d@fow" % i, 2, "2027-03-04T%02d:00" % (9 + i % 8) if i < 8 else
                     "2027-03-05T%02d:00" % (9 + i % 8),
                     "2027-03-04T%02d:00" % (10 + i % 8) if i < 8 else "2027-03-05T%02d:00" % (10 + i % 8),
                     "confirmed", person(10 + i), "lara", "university", None, None, ""))
    for uid, res, start, end, status, who, by, cat, cin, cout, note in rows:
        con.execute(
            "INSERT INTO lab_bookings (uid, resource_id, starts_at, ends_at, status, person_id, booked_by, category,"
            " group_name, group_size, payment, sequence, checked_in_at, checked_out_at, created_at, changed_at,"
            " changed_by, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'free', 0, ?, ?, ?, ?, ?, ?)",
            (uid, res, utc(start), utc(end), status, who, by, cat, "9B" if who is None else "",
             20 if who is None else 1, utc(cin) if cin else 0, utc(cout) if cout else 0, now - 7200, now - 3600,
             by, note))
    con.commit()
    con.close()


def change(db, uid, **values):
    con = sqlite3.connect(db, timeout=30)
    sets = ", ".join("%s = ?" % k for k in values)
    con.execute("UPDATE lab_bookings SET %s, sequence = sequence + 1 WHERE uid = ?" % sets,
                list(values.values()) + [uid])
    con.commit()
    con.close()


def parse(r, what):
    """The VEVENTs of an iCalendar answer, by UID, parsed by python3-icalendar."""
    check(r.status == 200, "%s: status %d %r" % (what, r.status, r.body[:200]))
    check((r.header("Content-Type") or "").startswith("text/calendar"), "%s: text/calendar" % what)
    body = r.body
    check(all(len(line) <= 75 for line in body.split(b"\r\n")), "%s: lines of at most 75 octets" % what)
    check(b"\n" not in body.replace(b"\r\n", b""), "%s: every line ends with CRLF" % what)
    try:
        cal = icalendar.Calendar.from_ical(body)
    except Exception as e:  # noqa: BLE001 - any parse failure is the finding
        check(False, "%s: python3-icalendar cannot parse it: %s" % (what, e))
        return None, {}
    equal(str(cal.get("VERSION")), "2.0", "%s: VERSION" % what)
    equal(str(cal.get("METHOD")), "PUBLISH", "%s: METHOD" % what)
    check(cal.get("PRODID") and cal.get("X-WR-CALNAME"), "%s: PRODID and X-WR-CALNAME" % what)
    events = {}
    for ev in cal.walk("VEVENT"):
        for key in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "SUMMARY"):
            check(ev.get(key) is not None, "%s: %s has %s" % (what, ev.get("UID"), key))
        start = ev.decoded("DTSTART")
        check(isinstance(start, datetime.datetime) and start.utcoffset() == datetime.timedelta(0),
              "%s: DTSTART in UTC" % what)
        events[str(ev.get("UID"))] = ev
    return cal, events


def main():
    fow = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="fow-api-lab-usage-")
    server = None
    try:
        db = os.path.join(work, "fow.db")
        pw = os.path.join(work, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        for name, role in [("lara", "lab_manager"), ("stan", "lab_staff"), ("erin", "analyst"),
                           ("carla", "counsellor")]:
            args = ["user", "add", name, "--role", role, "--password-file", pw]
            if role == "counsellor":
                args += ["--organisation", "demo-centre"]
            run_fow(fow, db, *args)
        now = int(datetime.datetime.now(datetime.timezone.utc).timestamp())
        fixture(db, now)
        # a lab made with `fow lab`, open every day, free for enterprises: booked through the API below
        run_fow(fow, db, "lab", "add", "live", "--name-en", "Live lab", "--name-ro", "Laborator viu")
        run_fow(fow, db, "lab", "resource", "add", "live", "live-printer", "--kind", "machine", "--name-en",
                "Live printer", "--name-ro", "Imprimantă vie")
        run_fow(fow, db, "lab", "hours", "live", *["%s=00:00-24:00" % d for d in
                                                  ("mon", "tue", "wed", "thu", "fri", "sat", "sun")])
        run_fow(fow, db, "lab", "price", "live-printer", "enterprise=0")
        log = os.path.join(work, "access.log")
        server = Server(fow, db, work, "lab-usage", access_log=log)
        who = {n: c.login(server, n, PASSWORD) for n in ("lara", "stan", "erin", "carla")}

        # ---- public feeds
        r = server.get("/api/v1/lab-resources/laser-cutter-1/calendar.ics")
        _, events = parse(r, "the laser cutter's feed")
        equal(sorted(events), ["uid-a@fow", "uid-b@fow"], "the laser cutter's bookings")
        equal({str(e.get("SUMMARY")) for e in events.values()}, {"Booked"}, "public events say Booked")
        for secret in (person(0).encode(), b"lara", b"stan", "tei".encode()):
            check(secret not in r.body, "the public feed holds no person, account or note (%r)" % secret)
        etag, modified = r.header("ETag"), r.header("Last-Modified")
        check(etag and modified, "the feed has an ETag and Last-Modified: %r %r" % (etag, modified))
        r2 = server.request("GET", "/api/v1/lab-resources/laser-cutter-1/calendar.ics", None,
                            {"If-None-Match": etag or ""})
        equal(r2.status, 304, "If-None-Match gives 304")
        equal(events["uid-a@fow"].decoded("DTSTART"),
              datetime.datetime(2027, 3, 1, 8, 0, tzinfo=datetime.timezone.utc), "10:00 in Bucharest is 08:00Z")
        r = server.get("/api/v1/labs/design/calendar.ics")
        _, lab_events = parse(r, "the lab's feed")
        equal(len(lab_events), 15, "the lab's feed lists its 15 bookings")
        check(str(lab_events["uid-c@fow"].get("SUMMARY")).startswith("Booked: 3D printer, large; PLA"),
              "the lab feed names the resource (escaped , and ; come back)")
        equal(server.get("/api/v1/labs/nolab/calendar.ics").status, 404, "an unknown lab")
        equal(server.get("/api/v1/lab-resources/nothing/calendar.ics").status, 404, "an unknown resource")

        equal(server.get("/api/v1/labs/design/calendar.ics").body.decode(),
              run_fow(fow, db, "lab", "feed", "lab", "design"), "the lab's feed is `fow lab feed lab design`'s")

        # ---- a change and a cancellation
        before = int(events["uid-a@fow"].get("SEQUENCE"))
        change(db, "uid-a@fow", starts_at=utc("2027-03-01T13:00"), ends_at=utc("2027-03-01T15:00"),
               changed_at=now + 1)
        change(db, "uid-b@fow", status="cancelled", changed_at=now + 2)
        r = server.get("/api/v1/lab-resources/laser-cutter-1/calendar.ics")
        _, after = parse(r, "the feed after a change")
        equal(sorted(after), ["uid-a@fow", "uid-b@fow"], "the UIDs stay the same")
        check(int(after["uid-a@fow"].get("SEQUENCE")) > before, "SEQUENCE rises after a change")
        equal(after["uid-a@fow"].decoded("DTSTART"),
              datetime.datetime(2027, 3, 1, 11, 0, tzinfo=datetime.timezone.utc), "the new start")
        equal(str(after["uid-b@fow"].get("STATUS")), "CANCELLED", "a cancellation stays as CANCELLED")
        equal(str(after["uid-a@fow"].get("STATUS")), "CONFIRMED", "a live booking is CONFIRMED")
        check(r.header("ETag") != etag, "the ETag changes with the feed")

        # ---- the same through the bookings' own routes (src/labs/fow_bookings.h): book, change, cancel
        day = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3)).strftime("%Y-%m-%d")
        r = call(server, who["lara"], "POST", "/api/v1/lab-bookings",
                 {"resource": "live-printer", "start": day + "T10:00", "minutes": 60, "category": "enterprise",
                  "payment": "free", "enterprise_code": "12345678", "note": "a; b, c"})
        equal(r.status, 201, "a booking through POST /api/v1/lab-bookings: %r" % r.body[:300])
        booked = r.json() or {}
        booked = booked.get("booking", booked)
        uid, bid = booked.get("uid"), booked.get("id")
        _, live = parse(server.get("/api/v1/lab-resources/live-printer/calendar.ics"), "the live printer's feed")
        check(uid in live, "the new booking is in the feed under its uid %r" % uid)
        first_sequence = int(live[uid].get("SEQUENCE")) if uid in live else -1
        r = call(server, who["lara"], "PATCH", "/api/v1/lab-bookings/%s" % bid, {"start": day + "T12:00"})
        equal(r.status, 200, "the booking moved: %r" % r.body[:300])
        moved = r.json() or {}
        moved = moved.get("booking", moved)
        _, live = parse(server.get("/api/v1/lab-resources/live-printer/calendar.ics"), "the feed after the move")
        check(uid in live and int(live[uid].get("SEQUENCE")) > first_sequence, "the same UID, SEQUENCE risen")
        if uid in live:
            equal(int(live[uid].decoded("DTSTART").timestamp()), moved.get("starts_at"),
                  "DTSTART is the new start")
            check(str(moved.get("start", "")).startswith(day + "T12:00"), "moved to 12:00 local: %r" % moved.get("start"))
        r = call(server, who["lara"], "POST", "/api/v1/lab-bookings/%s/cancellation" % bid, {"reason": "test"})
        equal(r.status, 200, "the booking cancelled: %r" % r.body[:300])
        _, live = parse(server.get("/api/v1/lab-resources/live-printer/calendar.ics"), "the feed after cancelling")
        equal(str(live.get(uid, {}).get("STATUS")), "CANCELLED", "STATUS:CANCELLED after a cancellation")

        # ---- a person's secret feed
        equal(call(server, None, "POST", "/api/v1/me/lab-calendar").status, 401, "a feed address needs a sign-in")
        r = call(server, who["lara"], "POST", "/api/v1/me/lab-calendar")
        equal(r.status, 201, "lara makes her feed address")
        url = (r.json() or {}).get("url", "")
        check(url.startswith("/api/v1/lab-feeds/") and url.endswith(".ics"), "the address: %r" % url)
        _, mine = parse(server.get(url), "lara's feed")
        equal(sorted(mine), sorted(["uid-a@fow", uid] + ["uid-u%d@fow" % i for i in range(12)]), "lara's bookings")
        desc = str(mine["uid-a@fow"].get("DESCRIPTION"))
        check("ș and ț" in desc and "lemn de tei" in desc, "the note comes back whole through folding: %r" % desc)
        r = call(server, who["lara"], "POST", "/api/v1/me/lab-calendar")
        second = (r.json() or {}).get("url", "")
        check(second and second != url, "a new address")
        equal(server.get(url).status, 404, "the old address stops")
        equal(server.get(second).status, 200, "the new one works")
        equal(server.get(second[:-4]).status, 404, "an address without .ics")
        equal(server.get("/api/v1/lab-feeds/%s.ics" % ("0" * 64)).status, 404, "an unknown token")

        # ---- usage
        q = "/api/v1/lab-usage?lab=design&from=2027-03-01&to=2027-03-07"
        equal(server.get(q).status, 401, "usage: nobody signed in")
        equal(server.get(q, who["carla"]).status, 403, "usage: a counsellor")
        r = server.get(q + "&by=resource", who["lara"])
        equal(r.status, 200, "usage by resource: the lab manager")
        doc = r.json() or {}
        rows = {row["group"]: row for row in doc.get("rows", [])}
        laser = rows.get("laser-cutter-1", {})
        equal(laser.get("bookings"), 1, "the laser's live bookings (one cancelled)")
        equal(laser.get("cancelled"), 1, "the laser's cancellation")
        equal(laser.get("hours_booked"), 2.0, "hours booked")
        equal(laser.get("hours_used"), 1.5, "hours used: check-in to check-out")
        equal(laser.get("hours_open"), 45.0, "hours open: Monday to Friday, 9 hours")
        equal(laser.get("utilisation_percent"), 4.4, "utilisation = 2 / 45")
        equal(doc.get("threshold"), 10, "the threshold")
        check((doc.get("method") or {}).get("code") == "labs.usage_method", "the method is a message")
        check((doc.get("source") or {}).get("text"), "the source is said")
        equal(laser.get("people"), {"value": None, "suppressed": True, "complementary": False},
              "one person on the laser: suppressed")
        equal(rows.get("printer-1", {}).get("people"), {"value": None, "suppressed": True, "complementary": True},
              "12 people on the printer, hidden too: else the laser's = total - printer's")
        equal(rows.get("printer-1", {}).get("hours_booked"), 15.0, "by resource the hours stay shown")
        equal(doc.get("total", {}).get("people", {}).get("suppressed"), False, "13 people in total: shown")
        for by in ("week", "resource", "category"):
            api = server.get(q + "&by=" + by, who["lara"]).json() or {}
            cli = json.loads(run_fow(fow, db, "lab", "usage", "--lab", "design", "--from", "2027-03-01", "--to",
                                     "2027-03-07", "--by", by, "--json"))
            api.pop("computed_at", None)
            cli.pop("computed_at", None)
            equal(api, cli, "by %s: the API's JSON is `fow lab usage --json`'s" % by)
            api_csv = server.get(q + "&by=%s&format=csv" % by, who["lara"]).body.decode()
            cli_csv = run_fow(fow, db, "lab", "usage", "--lab", "design", "--from", "2027-03-01", "--to", "2027-03-07",
                              "--by", by, "--csv")
            equal(api_csv, cli_csv, "by %s: the API's CSV is `fow lab usage --csv`'s" % by)
        r = server.get(q + "&by=category", who["erin"])
        equal(r.status, 200, "usage by category: an analyst")
        cats = {row["group"]: row for row in (r.json() or {}).get("rows", [])}
        equal(cats.get("resident", {}).get("people", {}).get("value"), None, "one resident: suppressed")
        equal(cats.get("resident", {}).get("hours_booked"), None, "with every figure of the row")
        equal(cats.get("university", {}).get("people", {}).get("complementary"), True, "complementary suppression")
        equal(cats.get("school", {}).get("group_seats"), 20, "a class's seats")
        r = server.get(q + "&by=week&format=csv", who["lara"])
        equal(r.status, 200, "usage as CSV")
        check((r.header("Content-Type") or "").startswith("text/csv"), "text/csv")
        lines = r.body.decode().split("\r\n")
        check(lines[0].startswith("group,label,lab,bookings,hours_booked,hours_used"), "the CSV header")
        check(lines[1].startswith('"2027-W09"'), "the week's row: %r" % lines[1:2])
        c.expect_error(server.get("/api/v1/lab-usage?from=2027-02-30&to=2027-03-01", who["lara"]), 400, "from",
                       "a bad date")
        c.expect_error(server.get("/api/v1/lab-usage?from=2027-03-01&to=2027-03-01&lab=x", who["lara"]), 404, "lab",
                       "an unknown lab")
        c.expect_error(server.get("/api/v1/lab-usage?from=2027-03-01", who["lara"]), 400, "to", "no end")
        c.expect_error(server.get(q + "&by=colour", who["lara"]), 400, "by", "a bad breakdown")

        # ---- projects
        body = {"lab": "design", "person": person(0), "title": "Lămpi de lemn", "outcome": "a start-up"}
        equal(call(server, who["erin"], "POST", "/api/v1/lab-projects", body).status, 403, "an analyst adds none")
        r = call(server, who["stan"], "POST", "/api/v1/lab-projects", body)
        equal(r.status, 201, "lab staff add a project")
        equal((r.json() or {}).get("title"), "Lămpi de lemn", "the project's title")
        c.expect_error(call(server, who["stan"], "POST", "/api/v1/lab-projects", {"lab": "design", "title": "x"}),
                       400, "person", "a project of nobody")
        c.expect_error(call(server, who["stan"], "POST", "/api/v1/lab-projects",
                            {"lab": "design", "enterprise_code": "12x", "title": "x"}), 400, "enterprise_code",
                       "a bad CUI")
        c.expect_error(call(server, who["stan"], "POST", "/api/v1/lab-projects",
                            {"lab": "design", "enterprise_code": "123", "title": "x", "colour": 1}), 400, "colour",
                       "an unknown field")
        equal(server.get("/api/v1/lab-projects", who["stan"]).status, 403, "staff do not list projects")
        r = server.get("/api/v1/lab-projects?lab=design", who["lara"])
        equal(r.status, 200, "the manager lists the projects")
        equal((r.json() or {}).get("count"), 1, "one project")
        equal((server.get("/api/v1/lab-projects", who["lara"]).json() or {}),
              json.loads(run_fow(fow, db, "lab", "projects", "--json")), "the projects: the API's JSON is the CLI's")
        r = server.get("/api/v1/lab-projects?format=csv", who["lara"])
        check(r.status == 200 and "Lămpi de lemn" in r.body.decode(), "projects as CSV")
    finally:
        if server:
            server.stop()
    if os.path.exists(os.path.join(work, "access.log")):
        text = open(os.path.join(work, "access.log"), encoding="utf-8", errors="replace").read()
        check("/api/v1/lab-feeds/{token}" in text, "the access log writes the feed's pattern")
        check("/api/v1/lab-feeds/" + "0" * 64 not in text and ".ics " not in text.replace("calendar.ics ", ""),
              "no secret address in the access log")
    shutil.rmtree(work, ignore_errors=True)
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
