#!/usr/bin/python3
"""People records over HTTP, end to end (issue 13, points 1 and 2; docs/people.md).

    python3 api_people_test.py FOW_BINARY [REPO_ROOT]

1. Every /api/v1/people route x every caller: no session (401), an analyst (403),
   a session without or with a wrong CSRF token on a write (403), a counsellor of
   another organisation (404), a counsellor without an organisation (400), the
   counsellor of the person's organisation and an admin (2xx); the audit log is
   for admins only.
2. The journey: add (name and contact encrypted), consent, skills with provenance,
   inferred skills, moves from the profile, withdrawal (409 naming consent), export,
   erasure (then 404; counts keep the person as served), the audit log.
3. Bad input: 400 naming the field.
4. The access log holds neither names nor person ids.

Prints "api-people: N passed, M failed"; exits 1 on a failure. Standard library only."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, call, fill_pattern, import_demo, route_table, run_fow  # noqa: E402

PASSWORD = "correct horse battery"
NAME = "Zyxquorn Flibbertigibbet"
CONTACT = "zyxquorn@example.invalid"
NAME2 = "Zyxquorn Quibblewort-Flibbertigibbet"
c = Checks("api-people")
check, equal = c.check, c.equal
expect = c.expect
expect_error = c.expect_error


def login(s, name):
    return c.login(s, name, PASSWORD)


def main():
    fow = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", ".."))
    demo = os.environ.get("FOW_DEMO") or os.path.join(root, "data", "demo")
    work = tempfile.mkdtemp(prefix="fow-api-people-")
    server = None
    try:
        db = os.path.join(work, "fow.db")
        import_demo(fow, db, demo)
        pw = os.path.join(work, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        STATE.update(fow=fow, db=db, pw=pw)
        for name, role, org in [("alice", "admin", None), ("carla", "counsellor", "AJOFM Cluj"),
                                ("ion", "counsellor", "AJOFM Iasi"), ("nora", "counsellor", None),
                                ("erin", "analyst", None)]:
            args = ["user", "add", name, "--role", role, "--password-file", pw]
            if org:
                args += ["--organisation", org]
            run_fow(fow, db, *args)
        log = os.path.join(work, "access.log")
        server = Server(fow, db, work, "people", rate_limit=0, access_log=log)
        s = server
        who = {n: login(s, n) for n in ("alice", "carla", "ion", "nora", "erin")}
        journey(s, who)
        matrix(s, who, root)
        bad_input(s, who)
        server.stop()
        server = None
        with open(log, encoding="utf-8") as f:
            text = f.read()
        check("/api/v1/people" in text, "the access log has the people routes")
        check(NAME not in text and "Zyxquorn" not in text and CONTACT not in text, "no name or contact in the access log")
        check(not re.search(r"/api/v1/people/p[a-z2-7]{26}", text), "no person id in the access log")
        check('"path":"/api/v1/people/{id}"' in text, "the access log writes the pattern of a person's route")
        # the database keeps no name in clear; the key file is owner-only
        with open(db, "rb") as f:
            check(NAME.encode() not in f.read(), "the name is not in the database file in clear")
        equal(oct(os.stat(db + ".key").st_mode & 0o777), "0o600", "the key file's mode")
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return c.summary()


STATE = {}


def journey(s, who):
    carla, alice, ion = who["carla"], who["alice"], who["ion"]
    r = call(s, carla, "POST", "/api/v1/people", {"name": NAME, "contact": CONTACT, "birth_year": 1979,
                                                  "area": "Cluj-Napoca", "occupation": "call centre agent",
                                                  "employment_status": "employed"})
    expect(r, 201, "carla adds a person")
    pid = (r.json() or {}).get("id", "")
    STATE["id"] = pid
    check(re.fullmatch(r"p[a-z2-7]{26}", pid or "") is not None, "a pseudonymous id: %r" % pid)
    equal(r.header("Location"), "/api/v1/people/%s" % pid, "Location of the new person")
    r = call(s, carla, "GET", "/api/v1/people")
    expect(r, 200, "carla lists")
    people = (r.json() or {}).get("people", [])
    check([p["id"] for p in people] == [pid] and "name" not in people[0], "the list: ids without names: %r" % people)
    r = call(s, ion, "GET", "/api/v1/people")
    equal((r.json() or {}).get("people"), [], "ion (another organisation) lists nobody")
    r = call(s, carla, "GET", "/api/v1/people/%s?reason=first+meeting" % pid)
    expect(r, 200, "carla reads the record")
    person = (r.json() or {}).get("person", {})
    equal(person.get("name"), NAME, "the name, decrypted")
    equal(person.get("contact"), CONTACT, "the contact")
    equal((person.get("occupation") or {}).get("label"), "call centre agent", "the occupation, resolved")
    expect_error(call(s, ion, "GET", "/api/v1/people/%s?reason=curious" % pid), 404, "person", "ion reads carla's person")
    r = call(s, carla, "POST", "/api/v1/people/find", {"name": "zyxquorn flibbertigibbet", "reason": "look-up"})
    equal((r.json() or {}).get("ids"), [pid], "find by name (case ignored)")
    r = call(s, ion, "POST", "/api/v1/people/find", {"name": NAME, "reason": "look-up"})
    equal((r.json() or {}).get("ids"), [], "ion finds nobody")
    # the record changed (PATCH): the fields given change, null clears one, the others stay
    r = call(s, carla, "PATCH", "/api/v1/people/%s" % pid, {"occupation": "customer support agent", "area": None,
                                                            "employment_status": "unemployed", "birth_year": 1980})
    expect(r, 200, "carla changes the record")
    changed = (r.json() or {}).get("person", {})
    equal(((changed.get("occupation") or {}).get("label"), changed.get("area"), changed.get("employment_status"),
           changed.get("birth_year"), changed.get("name"), changed.get("contact")),
          ("customer support agent", None, "unemployed", 1980, NAME, CONTACT),
          "the occupation, area, status and year changed; name and contact kept")
    r = call(s, carla, "GET", "/api/v1/people/%s?reason=after+the+change" % pid)
    equal(((r.json() or {}).get("person", {}).get("occupation") or {}).get("label"), "customer support agent",
          "the change is stored")
    expect_error(call(s, ion, "PATCH", "/api/v1/people/%s" % pid, {"area": "Iasi"}), 404, "person",
                 "ion changes carla's person")
    # a new name: sealed again, found by it, not by the old one
    expect(call(s, carla, "PATCH", "/api/v1/people/%s" % pid, {"name": NAME2}), 200, "a new name")
    r = call(s, carla, "POST", "/api/v1/people/find", {"name": NAME2, "reason": "look-up"})
    equal((r.json() or {}).get("ids"), [pid], "found by the new name")
    r = call(s, carla, "POST", "/api/v1/people/find", {"name": NAME, "reason": "look-up"})
    equal((r.json() or {}).get("ids"), [], "not by the old one")
    expect(call(s, carla, "PATCH", "/api/v1/people/%s" % pid, {"name": NAME, "occupation": "call centre agent",
                                                               "area": "Cluj-Napoca"}), 200, "changed back")
    r = call(s, alice, "GET", "/api/v1/people-audit?person=%s" % pid)
    updates = [e for e in (r.json() or {}).get("entries", []) if e["action"] == "update"]
    equal([e["reason"] for e in updates], ["changed: name, area, occupation", "changed: name",
                                           "changed: birth_year, area, occupation, employment_status"],
          "each change audited with the fields' names, newest first")
    check(all(NAME not in e["reason"] and NAME2 not in e["reason"] and "Cluj" not in e["reason"] for e in updates),
          "the audit holds no value")
    # the profile needs counselling consent
    expect_error(call(s, carla, "GET", "/api/v1/people/%s/skills" % pid), 409, "consent", "skills without consent")
    expect(call(s, carla, "POST", "/api/v1/people/%s/consents" % pid, {"purpose": "counselling",
                                                                       "text_version": "2026-1"}), 201, "consent")
    expect_error(call(s, carla, "POST", "/api/v1/people/%s/consents" % pid,
                      {"purpose": "counselling", "text_version": "2026-1"}), 400, "purpose", "consent twice")
    r = call(s, carla, "POST", "/api/v1/people/%s/skills/infer" % pid)
    expect(r, 200, "infer skills")
    check((r.json() or {}).get("added", 0) > 3, "skills inferred from the occupation: %r" % r.json())
    expect(call(s, carla, "POST", "/api/v1/people/%s/skills" % pid,
                {"skill": "use spreadsheets software", "provenance": "assessment", "detail": "test 2026"}), 201,
           "add an assessed skill")
    expect_error(call(s, carla, "POST", "/api/v1/people/%s/skills" % pid, {"skill": "juggling fire"}), 404, "skill",
                 "an unknown skill")
    r = call(s, carla, "GET", "/api/v1/people/%s/skills" % pid)
    skills = (r.json() or {}).get("skills", [])
    provs = {x["provenance"] for x in skills}
    check(provs == {"occupation", "assessment"}, "provenances: %r" % provs)
    languages(s, who, pid, skills)
    r = call(s, carla, "GET", "/api/v1/people/%s/transitions?limit=5" % pid)
    expect(r, 200, "moves from the profile")
    j = r.json() or {}
    equal((j.get("origin") or {}).get("label"), "call centre agent", "judged as the person's occupation")
    moves = j.get("transitions", [])
    check(0 < len(moves) <= 5 and all(m.get("destination", {}).get("label") != "call centre agent" for m in moves),
          "moves: %r" % moves[:2])
    expect(call(s, carla, "DELETE", "/api/v1/people/%s/skills?skill=use+spreadsheets+software" % pid), 200,
           "remove a skill")
    # withdrawal stops the purpose at once
    expect(call(s, carla, "DELETE", "/api/v1/people/%s/consents/counselling" % pid), 200, "withdraw")
    expect_error(call(s, carla, "GET", "/api/v1/people/%s/skills" % pid), 409, "consent", "skills after withdrawal")
    expect_error(call(s, carla, "GET", "/api/v1/people/%s/transitions" % pid), 409, "consent", "moves after withdrawal")
    # export whole
    r = call(s, carla, "GET", "/api/v1/people/%s/export?reason=subject+access+request" % pid)
    expect(r, 200, "export")
    j = r.json() or {}
    equal(j.get("person", {}).get("name"), NAME, "export: the name")
    equal(len(j.get("consents", [])), 1, "export: the consent history")
    check(len(j.get("skills", [])) > 3, "export: the skills")
    check(any(e["action"] == "export" for e in j.get("audit", [])), "export: the audit trail")
    # erasure
    expect_error(call(s, carla, "POST", "/api/v1/people/%s/erase" % pid, {}), 400, "reason", "erase without a reason")
    r = call(s, carla, "POST", "/api/v1/people/%s/erase" % pid, {"reason": "the person asked"})
    expect(r, 200, "erase")
    check((r.json() or {}).get("erased") is True, "erase answer: %r" % r.json())
    expect_error(call(s, alice, "GET", "/api/v1/people/%s?reason=check" % pid), 404, "person", "an erased person")
    r = call(s, alice, "GET", "/api/v1/people-counts")
    orgs = {o["organisation"]: o for o in (r.json() or {}).get("organisations", [])}
    equal((orgs.get("AJOFM Cluj") or {}).get("served"), 1, "counts: still served")
    equal((orgs.get("AJOFM Cluj") or {}).get("erased"), 1, "counts: erased")
    r = call(s, alice, "GET", "/api/v1/people-audit?person=%s" % pid)
    entries = (r.json() or {}).get("entries", [])
    actions = [e["action"] for e in entries]
    check(actions and actions[0] == "erase" and "read" in actions and "add" in actions, "audit: %r" % actions)
    check(all(e["actor"] in ("carla", "alice", "zed") for e in entries), "audit actors (zed: the person, on their own record)")
    # a live person for the matrix
    r = call(s, carla, "POST", "/api/v1/people", {"occupation": "call centre agent"})
    STATE["live"] = (r.json() or {}).get("id", "")
    call(s, carla, "POST", "/api/v1/people/%s/consents" % STATE["live"], {"purpose": "counselling", "text_version": "1"})


# Each route: method, pattern, a body, and the status the person's counsellor gets.
def languages(s, who, pid, skills):
    """The record and the profile in the reader's language (?lang=, as the worker's plan): label_local from the
    taxonomy, or null with label_lang naming the language of the stored label; the stored label unchanged."""
    carla = who["carla"]
    check(all("label_local" not in x for x in skills), "no label_local without ?lang=")
    r = call(s, carla, "GET", "/api/v1/people/%s?reason=in+romanian&lang=ro" % pid)
    occ = ((r.json() or {}).get("person") or {}).get("occupation") or {}
    equal((occ.get("label"), occ.get("label_local"), "label_lang" in occ), ("call centre agent", "agent call center", False),
          "the occupation in Romanian from the taxonomy, the stored label kept")
    r = call(s, carla, "GET", "/api/v1/people/%s/skills?lang=ro" % pid)
    local = {x["label"]: x.get("label_local") for x in (r.json() or {}).get("skills", [])}
    equal(local.get("use spreadsheets software"), "utilizarea programelor de calcul tabelar", "a skill in Romanian")
    check(len(local) > 3 and all(local.values()), "every demo skill has its Romanian label: %r" % local)
    r = call(s, carla, "GET", "/api/v1/people/%s?reason=in+german&lang=de" % pid)
    occ = ((r.json() or {}).get("person") or {}).get("occupation") or {}
    equal((occ.get("label_local"), occ.get("label_lang")), (None, "en"),
          "no German label: label_local null, label_lang says the label shown is English")
    r = call(s, carla, "GET", "/api/v1/people/%s/skills?lang=de" % pid)
    check(all(x.get("label_local") is None and x.get("label_lang") == "en" for x in (r.json() or {}).get("skills", [])),
          "the skills' labels marked English for a German reader")
    r = call(s, carla, "GET", "/api/v1/people?lang=ro")
    equal([((p.get("occupation") or {}).get("label_local")) for p in (r.json() or {}).get("people", [])],
          ["agent call center"], "the list too")
    # the person's own record and profile (GET /api/v1/me/person, /api/v1/me/skills)
    run_fow(STATE["fow"], STATE["db"], "user", "add", "zed", "--role", "person", "--person", pid,
            "--password-file", STATE["pw"])
    zed = login(s, "zed")
    r = call(s, zed, "GET", "/api/v1/me/person?lang=ro")
    expect(r, 200, "the person reads their own record")
    equal((((r.json() or {}).get("person") or {}).get("occupation") or {}).get("label_local"), "agent call center",
          "their occupation in Romanian")
    r = call(s, zed, "GET", "/api/v1/me/skills?lang=ro")
    equal({x["label"]: x.get("label_local") for x in (r.json() or {}).get("skills", [])}, local,
          "their skills in Romanian, as their counsellor reads them")
    expect_error(call(s, zed, "GET", "/api/v1/me/skills?lang=Romanian!"), 400, "lang", "a bad language code")


def routes_to_try():
    return [
        ("GET", "/api/v1/people", None, 200),
        ("POST", "/api/v1/people", {"area": "Cluj"}, 201),
        ("GET", "/api/v1/people-counts", None, 200),
        ("POST", "/api/v1/people/find", {"contact": "nobody@example.invalid", "reason": "x"}, 200),
        ("GET", "/api/v1/people/{id}?reason=check", None, 200),
        ("PATCH", "/api/v1/people/{id}", {"area": "Turda"}, 200),
        ("GET", "/api/v1/people/{id}/enrolments", None, 200),
        ("POST", "/api/v1/people/{id}/consents", {"purpose": "training", "text_version": "1"}, 201),
        ("DELETE", "/api/v1/people/{id}/consents/{purpose}", None, 200),
        ("GET", "/api/v1/people/{id}/export?reason=check", None, 200),
        ("GET", "/api/v1/people/{id}/skills", None, 200),
        ("POST", "/api/v1/people/{id}/skills", {"skill": "handle phone calls"}, 201),
        ("DELETE", "/api/v1/people/{id}/skills?skill=handle+phone+calls", None, 200),
        ("POST", "/api/v1/people/{id}/skills/infer", None, 200),
        ("GET", "/api/v1/people/{id}/transitions", None, 200),
        ("POST", "/api/v1/people/{id}/erase", {"reason": "end of test"}, 200),
    ]


def matrix(s, who, root):
    # a person's plans (/api/v1/people/{id}/plans) and voucher applications (/api/v1/people/{id}/applications)
    # have their own tests, api_plans_test.py and api_calls_test.py
    table = {(m, p) for m, p in route_table(root)
             if p.startswith("/api/v1/people") and "/plans" not in p and "/applications" not in p}
    tried = {(m, p.split("?")[0]) for m, p, _, _ in routes_to_try()} | {("GET", "/api/v1/people-audit")}
    equal(sorted(table - tried), [], "every people route is in the matrix")
    pid = STATE["live"]
    bad_csrf = dict(who["carla"], **{"X-CSRF-Token": "A" * 43})
    no_csrf = {"Cookie": who["carla"]["Cookie"]}
    for method, pattern, body, ok in routes_to_try():
        path = fill_pattern(pattern, {"id": pid, "purpose": "training"})
        what = "%s %s" % (method, pattern)
        expect_error(call(s, None, method, path, body), 401, "session", what + " without a session")
        expect_error(call(s, who["erin"], method, path, body), 403, "role", what + " as an analyst")
        if method != "GET":
            expect(call(s, bad_csrf, method, path, body), 403, what + " with a wrong CSRF token")
            expect(call(s, no_csrf, method, path, body), 403, what + " without the CSRF token")
        if "{id}" in pattern:
            expect_error(call(s, who["ion"], method, path, body), 404, "person", what + " by another organisation")
        else:
            r = call(s, who["nora"], method, path, body)
            expect_error(r, 400, "organisation", what + " by a counsellor without an organisation")
        expect(call(s, who["carla"], method, path, body), ok, what + " by the person's counsellor")
    # the admin sees every organisation (the live person was erased last: a new one)
    r = call(s, who["carla"], "POST", "/api/v1/people", {})
    other = (r.json() or {}).get("id", "")
    expect(call(s, who["alice"], "GET", "/api/v1/people/%s?reason=supervision" % other), 200, "admin reads any person")
    expect_error(call(s, who["carla"], "GET", "/api/v1/people-audit"), 403, "role", "the audit log as a counsellor")
    expect_error(call(s, None, "GET", "/api/v1/people-audit"), 401, "session", "the audit log without a session")
    expect(call(s, who["alice"], "GET", "/api/v1/people-audit?limit=5"), 200, "the audit log as an admin")


def bad_input(s, who):
    carla = who["carla"]
    for body, field in [({"birth_year": "1980"}, "birth_year"), ({"birth_year": 1700}, "birth_year"),
                        ({"employment_status": "retired"}, "employment_status"), ({"name": 5}, "name"),
                        ({"name": "a\u0001b"}, "name"), ({"occupation": "astronaut of the deep"}, "occupation"),
                        ({"organisation": "AJOFM Iasi"}, "organisation"), ({"shoe_size": 44}, "shoe_size"),
                        ({"area": "x" * 65}, "area")]:
        r = call(s, carla, "POST", "/api/v1/people", body)
        expect_error(r, 404 if field == "occupation" else 400, field, "add with %r" % body)
    expect_error(call(s, carla, "GET", "/api/v1/people/p123?reason=x"), 400, "person", "a malformed id")
    r = call(s, carla, "POST", "/api/v1/people", {"area": "Cluj"})
    target = (r.json() or {}).get("id", "")
    for body, status, field in [({"birth_year": "1980"}, 400, "birth_year"), ({"birth_year": 1700}, 400, "birth_year"),
                                ({"employment_status": "retired"}, 400, "employment_status"),
                                ({"name": 5}, 400, "name"), ({"contact": "a\u0001b"}, 400, "contact"),
                                ({"occupation": "astronaut of the deep"}, 404, "occupation"),
                                ({"organisation": "AJOFM Iasi"}, 400, "organisation"),
                                ({"sex": "unknown"}, 400, "sex"), ({"shoe_size": 44}, 400, "shoe_size"),
                                ({"area": "x" * 65}, 400, "area"), ({}, 400, "person")]:
        expect_error(call(s, carla, "PATCH", "/api/v1/people/%s" % target, body), status, field,
                     "change with %r" % body)
    r = call(s, carla, "GET", "/api/v1/people/%s?reason=check" % target)
    equal((r.json() or {}).get("person", {}).get("area"), "Cluj", "a refused change changes nothing")
    expect_error(call(s, carla, "PATCH", "/api/v1/people/p123", {"area": "x"}), 400, "person", "change: a malformed id")
    r = call(s, carla, "POST", "/api/v1/people", {})
    pid = (r.json() or {}).get("id", "")
    expect_error(call(s, carla, "GET", "/api/v1/people/%s" % pid), 400, "reason", "a read without a reason")
    expect_error(call(s, carla, "POST", "/api/v1/people/%s/consents" % pid, {"purpose": "marketing", "text_version": "1"}),
                 400, "purpose", "an unknown purpose")
    expect_error(call(s, carla, "POST", "/api/v1/people/%s/consents" % pid, {"purpose": "training", "text_version": "v 1"}),
                 400, "text_version", "a bad text version")
    expect_error(call(s, carla, "DELETE", "/api/v1/people/%s/consents/training" % pid), 400, "purpose",
                 "withdrawing a consent never given")
    expect_error(call(s, carla, "POST", "/api/v1/people/find", {"reason": "x"}), 400, "name", "find with nothing")
    expect_error(call(s, carla, "GET", "/api/v1/people/%s/transitions?limit=0" % pid), 400, "limit", "limit 0")


if __name__ == "__main__":
    sys.exit(main())
