#!/usr/bin/python3
"""Cohorts and enrolment over HTTP (issue 13, point 5; docs/training.md).

    python3 api_cohorts_test.py FOW_BINARY [REPO_ROOT]

1. "Only 20 of 100 can have it": 100 people (training consent given) and a cohort of 20
   seats; 100 enrolment requests at once, each on its own connection, plus 20 repeats of
   some of them in the same burst. Exactly 20 are enrolled and 80 wait, every person holds
   one enrolment (the repeats got the one they held: 200, created false), the waiting
   positions are 1..80 with no gap, and the public counts say the same.
2. Cancellation promotes the first person waiting at once; attendance; a passed completion
   adds the module's skills to the profile with provenance "assessment".
3. Access: nobody 401, an analyst 403, a counsellor of another organisation 404 for the
   people of this one, no training consent 409 naming consent, a closed cohort 409; the
   public routes never name a person; the access log holds no person id.

Prints "api-cohorts: N passed, M failed"; exits 1 on a failure. Standard library only."""

import json
import os
import re
import shutil
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, import_demo, run_fow  # noqa: E402

PASSWORD = "correct horse battery"
SEATS, PEOPLE, REPEATS = 20, 100, 20
c = Checks("api-cohorts")
check, equal = c.check, c.equal
expect = c.expect


def login(s, name):
    return c.login(s, name, PASSWORD)


def call(s, who, method, path, body=None):
    h = dict(who or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    elif method in ("POST", "DELETE"):
        data = b""
    return s.request(method, path, data, h, timeout=120)


def add_person(s, who, training=True, counselling=False):
    r = call(s, who, "POST", "/api/v1/people", {"area": "Cluj-Napoca"})
    expect(r, 201, "add a person")
    pid = (r.json() or {}).get("id", "")
    for purpose, wanted in (("training", training), ("counselling", counselling)):
        if wanted:
            expect(call(s, who, "POST", "/api/v1/people/%s/consents" % pid,
                        {"purpose": purpose, "text_version": "v1"}), 201, "consent %s" % purpose)
    return pid


def add_cohort(s, who, module, capacity, sessions=()):
    r = call(s, who, "POST", "/api/v1/cohorts", {"module": module, "starts_on": "2027-03-01", "ends_on": "2027-04-30",
                                                 "capacity": capacity, "sessions": list(sessions)})
    expect(r, 201, "add a cohort of %s" % module)
    return (r.json() or {}).get("id", 0)


def race(s, carla):
    cohort = add_cohort(s, carla, "W40-DATA", SEATS)
    people = [add_person(s, carla) for _ in range(PEOPLE)]
    requests = people + [people[i * 5] for i in range(REPEATS)]
    answers = [None] * len(requests)
    start = threading.Barrier(len(requests))

    def one(i):
        try:
            start.wait(timeout=60)
            answers[i] = call(s, carla, "POST", "/api/v1/cohorts/%d/enrolments" % cohort, {"person": requests[i]})
        except Exception as e:  # noqa: BLE001 - reported as a failed check
            answers[i] = e

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(requests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    failed = [a for a in answers if not hasattr(a, "status") or a.status not in (200, 201)]
    check(not failed, "every enrolment request answered 200 or 201: %r" % failed[:3])
    created = [a.json() for a in answers if hasattr(a, "status") and a.status == 201]
    repeated = [a.json() for a in answers if hasattr(a, "status") and a.status == 200]
    equal(len(created), PEOPLE, "one 201 per person")
    equal(len(repeated), REPEATS, "one 200 per repeat")
    check(all(j["created"] for j in created) and not any(j["created"] for j in repeated), "created says which")
    enrolled = [j for j in created if j["enrolment"]["status"] == "enrolled"]
    waiting = [j for j in created if j["enrolment"]["status"] == "waiting"]
    equal(len(enrolled), SEATS, "exactly %d enrolled" % SEATS)
    equal(len(waiting), PEOPLE - SEATS, "exactly %d waiting" % (PEOPLE - SEATS))
    equal(len({j["enrolment"]["person"] for j in created}), PEOPLE, "no person twice")
    # the list, as staff see it
    r = call(s, carla, "GET", "/api/v1/cohorts/%d/enrolments" % cohort)
    expect(r, 200, "the enrolments")
    lst = (r.json() or {}).get("enrolments", [])
    equal(len(lst), PEOPLE, "%d enrolments stored" % PEOPLE)
    equal(sorted(e["position"] for e in lst if e["status"] == "waiting"), list(range(1, PEOPLE - SEATS + 1)),
          "waiting positions 1..%d" % (PEOPLE - SEATS))
    first_waiting = min((e for e in lst if e["status"] == "waiting"), key=lambda e: e["id"])
    check(max(e["id"] for e in lst if e["status"] == "enrolled") < first_waiting["id"],
          "the seats went to the first %d requests written" % SEATS)
    r = call(s, None, "GET", "/api/v1/cohorts/%d" % cohort)
    seats = (r.json() or {}).get("seats", {})
    equal((seats.get("enrolled"), seats.get("waiting"), seats.get("left")), (SEATS, PEOPLE - SEATS, 0),
          "the public counts")
    check(not re.search(r"p[a-z2-7]{26}", r.body.decode()), "the public cohort names nobody")
    # cancel a seat: the first waiting takes it at once
    holder = enrolled[0]["enrolment"]["person"]
    r = call(s, carla, "DELETE", "/api/v1/cohorts/%d/enrolments/%s" % (cohort, holder))
    expect(r, 200, "cancel a seat")
    equal((r.json() or {}).get("promoted"), first_waiting["person"], "the first waiting is promoted")
    r = call(s, carla, "POST", "/api/v1/cohorts/%d/enrolments" % cohort, {"person": first_waiting["person"]})
    expect(r, 200, "the promoted person asks again")
    equal((r.json() or {}).get("enrolment", {}).get("status"), "enrolled", "now enrolled")
    return cohort, people


def expect_error_field(r, status, field, what):
    if expect(r, status, what):
        equal(((r.json() or {}).get("error") or {}).get("field"), field, what + ": the error names " + field)


def journey(s, who, cohort_full, people):
    carla, ion, erin, alice = who["carla"], who["ion"], who["erin"], who["alice"]
    cohort = add_cohort(s, carla, "CP-BIZ", 2, [{"date": "2027-03-01", "starts_at": "09:00", "ends_at": "13:00"},
                                                 {"date": "2027-03-08", "starts_at": "09:00", "ends_at": "13:00",
                                                  "place": "CREIC Room 2"}])
    p = add_person(s, carla, training=True, counselling=True)
    no_consent = add_person(s, carla, training=False)
    expect(call(s, carla, "POST", "/api/v1/cohorts/%d/enrolments" % cohort, {"person": p}), 201, "enrol")
    r = call(s, carla, "POST", "/api/v1/cohorts/%d/enrolments" % cohort, {"person": no_consent})
    if expect(r, 409, "no training consent"):
        equal(r.json()["error"]["field"], "consent", "the 409 names consent")
    r = call(s, ion, "POST", "/api/v1/cohorts/%d/enrolments" % cohort, {"person": p})
    expect(r, 404, "a counsellor of another organisation does not see the person")
    expect(call(s, erin, "POST", "/api/v1/cohorts/%d/enrolments" % cohort, {"person": p}), 403, "an analyst")
    expect(call(s, None, "POST", "/api/v1/cohorts/%d/enrolments" % cohort, {"person": p}), 401, "nobody")
    expect(call(s, {"Cookie": carla.get("Cookie", "")}, "POST", "/api/v1/cohorts/%d/enrolments" % cohort,
                {"person": p}), 403, "a session without its CSRF token")
    r = call(s, ion, "GET", "/api/v1/cohorts/%d/enrolments" % cohort)
    expect(r, 200, "ion lists")
    equal((r.json() or {}).get("enrolments"), [], "ion sees none of carla's people")
    r = call(s, alice, "GET", "/api/v1/cohorts/%d/enrolments" % cohort)
    equal((r.json() or {}).get("shown"), "all", "the admin sees all")
    # attendance and completion
    r = call(s, carla, "POST", "/api/v1/cohorts/%d/attendance" % cohort, {"person": p, "session": 2})
    expect(r, 200, "attendance")
    equal([a["present"] for a in (r.json() or {}).get("enrolment", {}).get("attendance", [])], [None, True],
          "attendance per session")
    r = call(s, carla, "POST", "/api/v1/cohorts/%d/attendance" % cohort, {"person": p, "session": 3})
    if expect(r, 400, "a session the cohort lacks"):
        equal(r.json()["error"]["field"], "session", "the 400 names session")
    r = call(s, carla, "POST", "/api/v1/cohorts/%d/completions" % cohort,
             {"person": p, "result": "passed", "score": 88, "completed_on": "2027-04-30"})
    expect(r, 200, "completion")
    j = r.json() or {}
    equal(j.get("completion", {}).get("result"), "passed", "the result")
    check(j.get("skills", {}).get("added", 0) >= 2 and j["skills"]["added"] == j["skills"]["taught"],
          "the module's skills added: %r" % j.get("skills"))
    r = call(s, carla, "GET", "/api/v1/people/%s/skills?reason=check" % p)
    skills = (r.json() or {}).get("skills", [])
    check(sum(1 for x in skills if x.get("provenance") == "assessment") == j.get("skills", {}).get("added"),
          "the profile holds them with provenance assessment: %r" % skills[:2])
    r = call(s, carla, "POST", "/api/v1/cohorts/%d/completions" % cohort, {"person": p, "result": "maybe"})
    if expect(r, 400, "a bad result"):
        equal(r.json()["error"]["field"], "result", "the 400 names result")
    # a closed cohort takes no enrolment
    expect(call(s, carla, "POST", "/api/v1/cohorts/%d/status" % cohort, {"status": "closed"}), 200, "close")
    other = add_person(s, carla)
    r = call(s, carla, "POST", "/api/v1/cohorts/%d/enrolments" % cohort, {"person": other})
    if expect(r, 409, "a closed cohort"):
        equal(r.json()["error"]["field"], "cohort", "the 409 names cohort")
    # a person's enrolments in one request: p holds the completion of `cohort`; the first of the race waits or sits
    r = call(s, carla, "GET", "/api/v1/people/%s/enrolments" % p)
    expect(r, 200, "a person's enrolments")
    j = r.json() or {}
    rows = [(e["cohort"]["id"], e["enrolment"]["status"], e["enrolment"]["result"], e["cohort"]["module"]["code"])
            for e in j.get("enrolments", [])]
    equal((j.get("person"), j.get("count"), rows), (p, 1, [(cohort, "completed", "passed", "CP-BIZ")]),
          "the completed enrolment with its cohort")
    equal(len(((j.get("enrolments") or [{}])[0].get("enrolment") or {}).get("attendance", [])), 2,
          "with its attendance per session")
    waiting = next((x for x in people if x), None)
    r = call(s, carla, "GET", "/api/v1/people/%s/enrolments" % waiting)
    listed = {e["cohort"]["id"]: e["enrolment"] for e in (r.json() or {}).get("enrolments", [])}
    by_cohort = call(s, carla, "GET", "/api/v1/cohorts/%d/enrolments" % cohort_full).json() or {}
    same = [e for e in by_cohort.get("enrolments", []) if e["person"] == waiting]
    equal([listed.get(cohort_full)], same, "the same enrolment, status and waiting position as the cohort's list")
    expect_error_field(call(s, ion, "GET", "/api/v1/people/%s/enrolments" % p), 404, "person",
                       "another organisation's person")
    expect(call(s, erin, "GET", "/api/v1/people/%s/enrolments" % p), 403, "an analyst")
    expect(call(s, None, "GET", "/api/v1/people/%s/enrolments" % p), 401, "nobody")
    expect_error_field(call(s, carla, "GET", "/api/v1/people/p123/enrolments"), 400, "person", "a malformed id")
    r = call(s, alice, "GET", "/api/v1/people/%s/enrolments" % no_consent)
    equal(((r.json() or {}).get("count"), r.status), (0, 200), "the admin: a person enrolled nowhere")
    # public list of a module: no person
    r = call(s, None, "GET", "/api/v1/cohorts?module=CP-BIZ")
    expect(r, 200, "public list")
    equal([x["id"] for x in (r.json() or {}).get("cohorts", [])], [cohort], "the module's cohorts")
    check(r.header("ETag") is None, "no ETag: counts change without a data version")
    expect(call(s, None, "GET", "/api/v1/cohorts/999999"), 404, "no such cohort")
    expect(call(s, None, "GET", "/api/v1/cohorts/abc"), 400, "a cohort that is not a number")
    r = call(s, carla, "POST", "/api/v1/cohorts", {"module": "NOPE", "starts_on": "2027-01-01",
                                                   "ends_on": "2027-01-02", "capacity": 3})
    expect(r, 404, "an unknown module")
    r = call(s, carla, "POST", "/api/v1/cohorts", {"module": "CP-BIZ", "starts_on": "2027-13-01",
                                                   "ends_on": "2027-01-02", "capacity": 3})
    if expect(r, 400, "a bad date"):
        equal(r.json()["error"]["field"], "starts_on", "the 400 names starts_on")


def main():
    fow = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", ".."))
    demo = os.environ.get("FOW_DEMO") or os.path.join(root, "data", "demo")
    work = tempfile.mkdtemp(prefix="fow-api-cohorts-")
    server = None
    try:
        db = os.path.join(work, "fow.db")
        import_demo(fow, db, demo)
        run_fow(fow, db, "import", "modules", os.path.join(demo, "modules.csv"))
        pw = os.path.join(work, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        for name, role, org in [("alice", "admin", None), ("carla", "counsellor", "AJOFM Cluj"),
                                ("ion", "counsellor", "AJOFM Iasi"), ("erin", "analyst", None)]:
            args = ["user", "add", name, "--role", role, "--password-file", pw]
            if org:
                args += ["--organisation", org]
            run_fow(fow, db, *args)
        log = os.path.join(work, "access.log")
        # 120 requests at once from one address stand for 100 people's browsers: above the
        # default limit of connections per client address (64), which would reset the rest
        server = Server(fow, db, work, "cohorts", rate_limit=0, access_log=log, extra=["--client-connections", "256"])
        who = {n: login(server, n) for n in ("alice", "carla", "ion", "erin")}
        cohort, people = race(server, who["carla"])
        journey(server, who, cohort, people)
        server.stop()
        server = None
        with open(log, encoding="utf-8") as f:
            text = f.read()
        check("/api/v1/cohorts" in text, "the access log has the cohort routes")
        check(not re.search(r"p[a-z2-7]{26}", text), "no person id in the access log")
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
