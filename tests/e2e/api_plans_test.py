#!/usr/bin/python3
"""The worker's plan over HTTP, end to end (issue 13, point 7; docs/plans.md).

    python3 api_plans_test.py FOW_BINARY [REPO_ROOT]

1. The journey: a counsellor makes a plan with a person (409 without counselling
   consent), adds the move to helpdesk technician (the gap snapshot with its date and
   data version, the modules of the match with cohort, hours, cost), edits modules,
   cohorts and milestones, sets the status; every change is in the history.
2. Access: no session 401, an analyst 403, a counsellor of another organisation 404 on
   every plan route, an admin 200.
3. Bad input: 400 / 404 naming the field.
4. The person's export holds the plan; after erasure the plan is 404.
5. The person's stored profile as the origin of /api/v1/plan and /api/v1/gap (person=ID):
   the same gap as their skills typed in, the same modules as the plan's move; who may.

Prints "api-plans: N passed, M failed"; exits 1 on a failure. Standard library only."""

import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, call, import_demo, run_fow  # noqa: E402

PASSWORD = "correct horse battery"
c = Checks("api-plans")
check, equal = c.check, c.equal
expect = c.expect
expect_error = c.expect_error


def module_in_romanian(s):
    """GET /api/v1/modules/{id}?lang=ro: the module's skills with their Romanian labels, as an occupation's."""
    mods = call(s, None, "GET", "/api/v1/modules").json()
    taught = next(m for m in mods["modules"] if any(k["in_taxonomy"] for k in m["skills"]))
    mod = call(s, None, "GET", "/api/v1/modules/%d" % taught["id"]).json()
    c.check(all("label_local" not in k for k in mod["skills"]), "module: no label_local without lang")
    mod_ro = call(s, None, "GET", "/api/v1/modules/%d?lang=ro" % taught["id"]).json()
    c.check(mod_ro["skills"] and all("label_local" in k for k in mod_ro["skills"] + mod_ro["prerequisites"]["skills"]),
            "module lang=ro: every skill has label_local")
    c.check(any(k["in_taxonomy"] and k["label_local"] and k["label_local"] != k["label"] for k in mod_ro["skills"]),
            "module lang=ro: a taxonomy skill's Romanian label: %s" % mod_ro["skills"])


def login(s, name):
    return c.login(s, name, PASSWORD)


def main():
    fow = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", ".."))
    demo = os.environ.get("FOW_DEMO") or os.path.join(root, "data", "demo")
    work = tempfile.mkdtemp(prefix="fow-api-plans-")
    server = None
    try:
        db = os.path.join(work, "fow.db")
        import_demo(fow, db, demo)
        run_fow(fow, db, "--quiet", "import", "modules", os.path.join(demo, "modules.csv"))
        run_fow(fow, db, "cohort", "load", os.path.join(demo, "cohorts.csv"))
        pw = os.path.join(work, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        for name, role, org in [("alice", "admin", None), ("carla", "counsellor", "AJOFM Cluj"),
                                ("ion", "counsellor", "AJOFM Iasi"), ("erin", "analyst", None)]:
            args = ["user", "add", name, "--role", role, "--password-file", pw]
            if org:
                args += ["--organisation", org]
            run_fow(fow, db, *args)
        server = Server(fow, db, work, "plans", rate_limit=0)
        who = {n: login(server, n) for n in ("alice", "carla", "ion", "erin")}
        journey(server, who, lambda *a: run_fow(fow, db, *a), pw)
        module_in_romanian(server)
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return c.summary()


def person_reads_own_plan(s, who, fow_cli, pw, pid, pl, base):
    """A person account linked to the person reads their plans, read-only; another
    person's account does not see them."""
    fow_cli("user", "add", "petra", "--role", "person", "--person", pid, "--password-file", pw)
    carla = who["carla"]
    r = call(s, carla, "POST", "/api/v1/people", {"area": "Cluj-Napoca"})
    other = (r.json() or {}).get("id", "")
    fow_cli("user", "add", "otto", "--role", "person", "--person", other, "--password-file", pw)
    petra, otto = login(s, "petra"), login(s, "otto")
    r = call(s, petra, "GET", "/api/v1/me/plans")
    expect(r, 200, "a person lists their plans")
    equal([p["id"] for p in (r.json() or {}).get("plans", [])], [pl], "their own plan")
    r = call(s, petra, "GET", "/api/v1/me/plans/%d" % pl)
    expect(r, 200, "a person reads their plan")
    equal((r.json() or {}).get("person"), pid, "the plan is theirs")
    expect(call(s, petra, "GET", base), 403, "a person uses /me, not the staff route")
    expect(call(s, petra, "POST", base + "/status", {"status": "cancelled"}), 403, "a person changes nothing")
    expect_error(call(s, otto, "GET", "/api/v1/me/plans/%d" % pl), 404, "plan", "another person's plan")
    r = call(s, otto, "GET", "/api/v1/me/plans")
    equal((r.json() or {}).get("plans"), [], "another person has no plans")
    expect(call(s, carla, "GET", "/api/v1/me/plans"), 403, "a counsellor has no /me plans")


def profile_as_origin(s, who, pid, move_modules):
    """GET /api/v1/plan and /api/v1/gap with person=ID: the person's stored skills profile is the origin, judged
    as their occupation; the same moves and modules as the same skills typed in, and as the plan's move."""
    carla, ion, erin = who["carla"], who["ion"], who["erin"]
    to = "helpdesk%20technician"
    r = call(s, carla, "GET", "/api/v1/plan?person=%s&to=%s" % (pid, to))
    expect(r, 200, "the modules from the person's profile")
    doc = r.json() or {}
    origin = doc.get("from") or {}
    equal((origin.get("person"), origin.get("source")), (pid, "profile"), "the origin is the person's profile")
    recognised = origin.get("recognised", [])
    check(recognised and all(x.get("provenance") == "occupation" for x in recognised),
          "each skill with its provenance (inferred from the occupation): %r" % recognised[:2])
    equal((doc.get("judged_as") or {}).get("label"), "call centre agent", "judged as the person's occupation")
    equal([m["code"] for m in doc.get("modules", [])], move_modules, "the same modules as the plan's move")
    # the same as the skills typed in: one engine, two ways in
    skills = ";".join(x["uri"] for x in recognised)
    typed = call(s, None, "GET", "/api/v1/gap?skills=%s&as=call%%20centre%%20agent&to=%s" % (skills, to))
    expect(typed, 200, "the gap from the same skills typed in")
    r = call(s, carla, "GET", "/api/v1/gap?person=%s&to=%s" % (pid, to))
    expect(r, 200, "the gap from the person's profile")
    gap = r.json() or {}
    equal(((gap.get("from") or {}).get("person"), gap.get("similarity"), gap.get("to_learn_count")),
          (pid, (typed.json() or {}).get("similarity"), (typed.json() or {}).get("to_learn_count")),
          "the profile's gap is the gap of its skills")
    check(r.header("ETag") is None, "an answer about a person is not cached")
    # who may: the person themselves, their counsellor, an admin; nobody else
    expect(call(s, login(s, "petra"), "GET", "/api/v1/plan?person=%s&to=%s" % (pid, to)), 200,
           "the person plans from their own profile")
    expect(call(s, who["alice"], "GET", "/api/v1/gap?person=%s&to=%s" % (pid, to)), 200, "an admin")
    for path in ("/api/v1/plan?person=%s&to=%s", "/api/v1/gap?person=%s&to=%s"):
        path = path % (pid, to)
        expect_error(call(s, None, "GET", path), 401, "person", "no session: " + path)
        expect_error(call(s, erin, "GET", path), 403, "role", "an analyst: " + path)
        expect_error(call(s, login(s, "otto"), "GET", path), 403, "role", "another person: " + path)
        expect_error(call(s, ion, "GET", path), 404, "person", "another organisation's counsellor: " + path)
    expect_error(call(s, carla, "GET", "/api/v1/plan?person=%s&from=clerk&to=%s" % (pid, to)), 400, "person",
                 "person and from together")


def journey(s, who, fow_cli, pw):
    carla, ion, alice, erin = who["carla"], who["ion"], who["alice"], who["erin"]
    r = call(s, carla, "POST", "/api/v1/people", {"occupation": "call centre agent", "area": "Cluj-Napoca"})
    expect(r, 201, "add a person")
    pid = (r.json() or {}).get("id", "")
    expect_error(call(s, carla, "POST", "/api/v1/people/%s/plans" % pid, {"title": "Spre helpdesk"}), 409, "consent",
                 "a plan needs counselling consent")
    expect(call(s, carla, "POST", "/api/v1/people/%s/consents" % pid,
                {"purpose": "counselling", "text_version": "v1"}), 201, "consent")
    expect(call(s, carla, "POST", "/api/v1/people/%s/skills/infer" % pid), 200, "infer skills")
    r = call(s, carla, "POST", "/api/v1/people/%s/plans" % pid, {"title": "Spre helpdesk"})
    expect(r, 201, "create a plan")
    plan = r.json() or {}
    pl = plan.get("id", 0)
    equal(r.header("Location"), "/api/v1/plans/%d" % pl, "Location of the plan")
    equal((plan.get("status"), plan.get("person"), plan.get("organisation")), ("draft", pid, "AJOFM Cluj"),
          "a new plan: draft, the person's, their organisation")
    base = "/api/v1/plans/%d" % pl

    r = call(s, carla, "POST", base + "/moves", {"occupation": "helpdesk technician"})
    expect(r, 200, "add the move")
    plan = r.json() or {}
    moves = plan.get("moves", [])
    equal(len(moves), 1, "one move")
    mv = moves[0] if moves else {}
    mid = mv.get("id", 0)
    gap = mv.get("gap") or {}
    equal((mv.get("occupation") or {}).get("label"), "helpdesk technician", "the move's occupation")
    check(gap.get("to_learn_count", 0) > 0 and len(gap.get("to_learn", [])) == gap.get("to_learn_count"),
          "the gap snapshot lists the skills to learn: %r" % gap)
    check(mv.get("gap_at") and (mv.get("data_version") or {}).get("stamp"), "the snapshot's date and data version")
    codes = [m["code"] for m in mv.get("modules", [])]
    equal(codes, ["W40-SUPPORT"], "the modules of the match")
    m0 = (mv.get("modules") or [{}])[0]
    equal(m0.get("cost"), {"minor_units": 120000, "currency": "RON"}, "the module's cost in minor units")
    check(m0.get("cohort_id") and m0.get("starts_on") == "2027-02-08", "the next cohort chosen: %r" % m0)
    equal((plan.get("totals") or {}).get("hours"), 60, "total hours")
    expect_error(call(s, carla, "POST", base + "/moves", {"occupation": "helpdesk technician"}), 400, "occupation",
                 "the same move twice")

    # edit: add a module, choose its cohort, remove it
    r = call(s, carla, "POST", base + "/moves/%d/modules" % mid, {"module": "CP-BIZ"})
    expect(r, 200, "add a module")
    r = call(s, alice, "GET", "/api/v1/cohorts?module=CP-BIZ")
    cohorts = (r.json() or {}).get("cohorts", [])
    cp = cohorts[0]["id"] if cohorts else 0
    r = call(s, carla, "POST", base + "/moves/%d/modules/CP-BIZ/cohort" % mid, {"cohort_id": cp})
    expect(r, 200, "choose the cohort")
    mods = {m["code"]: m for m in ((r.json() or {}).get("moves") or [{}])[0].get("modules", [])}
    equal((mods.get("CP-BIZ") or {}).get("cohort_id"), cp, "the cohort chosen")
    w40 = m0.get("cohort_id")
    expect_error(call(s, carla, "POST", base + "/moves/%d/modules/CP-BIZ/cohort" % mid, {"cohort_id": w40}), 400,
                 "cohort", "a cohort of another module")
    expect(call(s, carla, "DELETE", base + "/moves/%d/modules/CP-BIZ" % mid), 200, "remove the module")
    expect_error(call(s, carla, "DELETE", base + "/moves/%d/modules/CP-BIZ" % mid), 404, "module",
                 "remove it again")

    # milestones and status
    r = call(s, carla, "POST", base + "/milestones", {"title": "Începe W40-SUPPORT", "due": "2027-02-08"})
    expect(r, 200, "add a milestone")
    ms = (r.json() or {}).get("milestones", [])
    msid = ms[0]["id"] if ms else 0
    equal([(m["status"], m["due"]) for m in ms], [("planned", "2027-02-08")], "the milestone")
    r = call(s, carla, "POST", base + "/milestones/%d" % msid, {"status": "in_progress"})
    expect(r, 200, "milestone in progress")
    expect(call(s, carla, "POST", base + "/status", {"status": "active"}), 200, "plan active")
    r = call(s, carla, "POST", base + "/status", {"status": "completed"})
    expect(r, 200, "plan completed")
    expect_error(call(s, carla, "POST", base + "/milestones", {"title": "late", "due": "2027-03-01"}), 400, "status",
                 "a completed plan changes no more")
    r = call(s, carla, "GET", base)
    expect(r, 200, "read the plan")
    hist = [h["action"] for h in (r.json() or {}).get("history", [])]
    equal(hist, ["create", "add_move", "add_module", "set_cohort", "remove_module", "add_milestone", "set_milestone",
                 "set_status", "set_status"], "every change in the history, in order")
    check(all(h["actor"] == "carla" for h in (r.json() or {}).get("history", [])), "the history names who")
    r = call(s, carla, "GET", "/api/v1/people/%s/plans" % pid)
    equal([p["id"] for p in (r.json() or {}).get("plans", [])], [pl], "the person's plans")

    # access
    for method, path, body in [("GET", base, None), ("POST", base + "/status", {"status": "active"}),
                               ("POST", base + "/milestones", {"title": "x", "due": "2027-01-01"}),
                               ("POST", base + "/moves", {"occupation": "helpdesk technician"}),
                               ("DELETE", base + "/moves/%d" % mid, None),
                               ("GET", "/api/v1/people/%s/plans" % pid, None),
                               ("POST", "/api/v1/people/%s/plans" % pid, {"title": "x"})]:
        r = call(s, ion, method, path, body)
        check(r.status == 404, "%s %s by another organisation's counsellor: %d, wanted 404" % (method, path, r.status))
        r = call(s, erin, method, path, body)
        check(r.status == 403, "%s %s by an analyst: %d, wanted 403" % (method, path, r.status))
        r = call(s, None, method, path, body)
        check(r.status == 401, "%s %s with no session: %d, wanted 401" % (method, path, r.status))
    expect(call(s, alice, "GET", base), 200, "an admin reads the plan")
    person_reads_own_plan(s, who, fow_cli, pw, pid, pl, base)
    profile_as_origin(s, who, pid, codes)

    # bad input, by field
    expect(call(s, carla, "POST", base + "/status", {"status": "active"}), 200, "active again")
    expect_error(call(s, carla, "POST", "/api/v1/people/%s/plans" % pid, {}), 400, "title", "no title")
    expect_error(call(s, carla, "POST", "/api/v1/people/%s/plans" % pid, {"title": "x" * 201}), 400, "title",
                 "a title too long")
    expect_error(call(s, carla, "POST", "/api/v1/people/%s/plans" % pid, {"title": 7}), 400, "title",
                 "a title not a string")
    expect_error(call(s, carla, "POST", base + "/milestones", {"title": "x", "due": "2027-02-30"}), 400, "due",
                 "a date that does not exist")
    expect_error(call(s, carla, "POST", base + "/milestones", {"title": "x", "due": "tomorrow"}), 400, "due",
                 "a date not written YYYY-MM-DD")
    expect_error(call(s, carla, "POST", base + "/milestones/%d" % msid, {"status": "finished"}), 400, "status",
                 "a milestone status unknown")
    expect_error(call(s, carla, "POST", base + "/milestones/999", {"status": "done"}), 404, "milestone",
                 "an unknown milestone")
    expect_error(call(s, carla, "POST", base + "/status", {"status": "paused"}), 400, "status", "a plan status unknown")
    expect_error(call(s, carla, "POST", base + "/moves", {"occupation": "zzzz no such job"}), 404, "occupation",
                 "an unknown occupation")
    expect_error(call(s, carla, "POST", base + "/moves/%d/modules" % mid, {"module": "NOPE-1"}), 404, "module",
                 "an unknown module")
    expect_error(call(s, carla, "POST", base + "/moves/%d/modules" % mid, {"module": "W40-SUPPORT"}), 400, "module",
                 "a module already in the move")
    expect_error(call(s, carla, "POST", base + "/moves/%d/modules" % mid, {"module": "CP-BIZ", "cohort_id": -3}), 400,
                 "cohort_id", "a negative cohort")
    expect_error(call(s, carla, "POST", base + "/moves/999/modules", {"module": "CP-BIZ"}), 404, "move",
                 "an unknown move")
    expect_error(call(s, carla, "GET", "/api/v1/plans/abc"), 404, "plan", "a plan id not a number")
    expect_error(call(s, carla, "GET", "/api/v1/plans/99999"), 404, "plan", "an unknown plan")
    expect_error(call(s, carla, "POST", base + "/status", {"status": "active", "extra": 1}), 400, "extra",
                 "an unknown member")

    # export and erasure
    r = call(s, carla, "GET", "/api/v1/people/%s/export?reason=copy+for+the+person" % pid)
    expect(r, 200, "export")
    plans = (r.json() or {}).get("plans", [])
    equal([p["id"] for p in plans], [pl], "the export holds the plan")
    check(plans and plans[0].get("history"), "with its history")
    expect(call(s, carla, "POST", "/api/v1/people/%s/erase" % pid, {"reason": "the person asked"}), 200, "erase")
    expect_error(call(s, carla, "GET", base), 404, "plan", "the plan is gone after erasure")
    expect_error(call(s, alice, "GET", base), 404, "plan", "for an admin too")


if __name__ == "__main__":
    sys.exit(main())
