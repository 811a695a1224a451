#!/usr/bin/python3
"""Calls for applications over HTTP, end to end (issue 14, points 2 and 3; docs/vouchers-calls.md).

    python3 api_calls_test.py FOW_BINARY [REPO_ROOT]

1. The office (a programme manager) adds a call on a budget line (made with `fow voucher`);
   anyone lists and reads it, with its rules explained as messages; bad definitions are 400
   naming the JSON member.
2. A person (role person) sees their eligibility rule by rule (409 without their vouchers
   consent) and applies; a counsellor applies for another person and for an enterprise; a
   counsellor of another organisation gets 404.
3. The jury: only accounts of role juror; a juror not on the jury is 403; a juror who declared a
   conflict is 403 on scoring (field conflict) and sees no person ids.
4. Ranking, awards within the budget line (409 field budget beyond it), the person sees their
   status and award.
5. Parallel awards over HTTP: 16 scored applications of 100000 each on a line with 300000
   available, 16 decisions sent at once from 16 threads: exactly 3 are awarded, 13 are 409.

Prints "api-calls: N passed, M failed"; exits 1 on a failure. Standard library only."""

import json
import os
import re
import shutil
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, call, import_demo, run_fow  # noqa: E402

PASSWORD = "correct horse battery"
c = Checks("api-calls")
check, equal = c.check, c.equal
expect = c.expect
expect_error = c.expect_error


def login(s, name):
    return c.login(s, name, PASSWORD)


def definition(line, amount_person=120000, rules=None):
    return {"budget_line": line,
            "title": {"en": "Learning vouchers", "ro": "Vouchere de învățare"},
            "opens_on": "2000-01-01", "closes_on": "2100-12-31",
            "values": [{"applicant": "person", "mode": "up_to", "amount": amount_person},
                       {"applicant": "enterprise", "mode": "fixed", "amount": 150000}],
            "criteria": [{"code": "relevance", "title": {"en": "Relevance", "ro": "Relevanță"}, "weight": 60,
                          "max_score": 10},
                         {"code": "feasibility", "title": {"en": "Feasibility", "ro": "Fezabilitate"}, "weight": 40,
                          "max_score": 5}],
            "rules": rules if rules is not None else
            [{"kind": "residence_area", "areas": ["Cluj-Napoca"]}, {"kind": "age", "min": 18, "max": 64},
             {"kind": "occupation_risk", "model": "mcc"}, {"kind": "no_earlier_award"}]}


def person_add(fow_cli, *args):
    return re.search(r"\bp[a-z2-7]{26}\b", fow_cli("person", "add", *args)).group(0)


def main():
    fow = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", ".."))
    demo = os.environ.get("FOW_DEMO") or os.path.join(root, "data", "demo")
    work = tempfile.mkdtemp(prefix="fow-api-calls-")
    server = None
    try:
        db = os.path.join(work, "fow.db")
        import_demo(fow, db, demo)
        fow_cli = lambda *a: run_fow(fow, db, *a)  # noqa: E731
        fow_cli("voucher", "fund", "add", "CEV 2026", "--currency", "RON")
        fow_cli("voucher", "line", "add", "1", "--purpose", "learning_module", "--year", "2026", "--amount", "3000")
        fow_cli("voucher", "line", "add", "1", "--purpose", "lab_time", "--year", "2026", "--amount", "3000")
        # an enterprise's voucher is for business support or lab time: the journey's call, with one, is on line 3
        fow_cli("voucher", "line", "add", "1", "--purpose", "business_support", "--year", "2026", "--amount", "3000")
        pw = os.path.join(work, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        ana = person_add(fow_cli, "--organisation", "AJOFM Cluj", "--area", "Cluj-Napoca", "--birth-year", "1990",
                         "--occupation", "call centre agent", "--employment-status", "employed")
        old = person_add(fow_cli, "--organisation", "AJOFM Cluj", "--area", "Cluj-Napoca", "--birth-year", "1950",
                         "--occupation", "call centre agent")
        for name, role, extra in [("alice", "admin", []), ("pam", "programme_manager", []),
                                  ("carla", "counsellor", ["--organisation", "AJOFM Cluj"]),
                                  ("ion", "counsellor", ["--organisation", "AJOFM Iasi"]),
                                  ("ana", "person", ["--person", ana]), ("jana", "juror", []), ("jon", "juror", []),
                                  ("jules", "juror", []), ("erin", "analyst", [])]:
            fow_cli("user", "add", name, "--role", role, "--password-file", pw, *extra)
        server = Server(fow, db, work, "calls", rate_limit=0)
        who = {n: login(server, n) for n in ("alice", "pam", "carla", "ion", "ana", "jana", "jon", "jules", "erin")}
        journey(server, who, fow_cli, ana, old)
        parallel_awards(server, who, fow_cli)
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return c.summary()


def journey(s, who, fow_cli, ana, old):
    pam, carla, ion, person, erin = who["pam"], who["carla"], who["ion"], who["ana"], who["erin"]
    # the office adds a call; bad definitions name the member
    bad = definition(3)
    bad["criteria"][0]["weight"] = 50
    expect_error(call(s, pam, "POST", "/api/v1/calls", bad), 400, "criteria", "the weights must sum to 100")
    bad = definition(3, rules=[{"kind": "age", "min": 3}])
    expect_error(call(s, pam, "POST", "/api/v1/calls", bad), 400, "rules[0].min", "an age below the minimum")
    expect(call(s, erin, "POST", "/api/v1/calls", definition(3)), 403, "an analyst adds no call")
    expect(call(s, None, "POST", "/api/v1/calls", definition(3)), 401, "nobody adds no call")
    r = call(s, pam, "POST", "/api/v1/calls", definition(3))
    expect(r, 201, "a programme manager adds a call")
    cid = (r.json() or {}).get("id", 0)
    # public
    r = call(s, None, "GET", "/api/v1/calls")
    expect(r, 200, "anyone lists the calls")
    equal([x["id"] for x in (r.json() or {}).get("calls", [])], [cid], "the call is listed")
    r = call(s, None, "GET", "/api/v1/calls/%d" % cid)
    expect(r, 200, "anyone reads a call")
    rules = (r.json() or {}).get("rules", [])
    equal([x["message"]["code"] for x in rules],
          ["calls.requires.residence_area", "calls.requires.age", "calls.requires.occupation_risk",
           "calls.requires.no_earlier_award"], "each rule explained as a message")
    expect_error(call(s, None, "GET", "/api/v1/calls/999"), 404, "call", "an unknown call")

    # a person: eligibility needs the vouchers consent
    expect_error(call(s, person, "GET", "/api/v1/me/calls/%d/eligibility" % cid), 409, "consent",
                 "no eligibility without the vouchers consent")
    for pid in (ana, old):
        expect(call(s, carla, "POST", "/api/v1/people/%s/consents" % pid, {"purpose": "vouchers", "text_version": "v1"}),
               201, "the counsellor records the vouchers consent")
    r = call(s, person, "GET", "/api/v1/me/calls/%d/eligibility" % cid)
    expect(r, 200, "a person sees their eligibility")
    ev = r.json() or {}
    check(ev.get("eligible") is True, "eligible: %r" % ev)
    equal([x["outcome"] for x in ev.get("rules", [])], ["passed"] * 4, "rule by rule")
    r = call(s, carla, "GET", "/api/v1/calls/%d/eligibility/%s" % (cid, old))
    expect(r, 200, "a counsellor sees a person's eligibility")
    outcomes = [x["outcome"] for x in (r.json() or {}).get("rules", [])]
    equal(outcomes[1], "failed", "the age rule fails for a person born in 1950")
    expect(call(s, ion, "GET", "/api/v1/calls/%d/eligibility/%s" % (cid, old)), 404,
           "another organisation's counsellor does not see the person")

    r = call(s, person, "POST", "/api/v1/me/calls/%d/applications" % cid,
             {"amount": 100000, "proposal": "A module on customer data"})
    expect(r, 201, "a person applies")
    a_ana = (r.json() or {}).get("id", 0)
    equal((r.json() or {}).get("status"), "eligible", "eligible at once")
    check("scores" not in (r.json() or {}), "an applicant sees no scores")
    expect_error(call(s, person, "POST", "/api/v1/me/calls/%d/applications" % cid, {"proposal": "again"}), 400,
                 "applicant", "a second application")
    r = call(s, carla, "POST", "/api/v1/calls/%d/applications" % cid, {"person": old, "proposal": "late career"})
    expect(r, 201, "a counsellor applies for a person")
    a_old = (r.json() or {}).get("id", 0)
    equal((r.json() or {}).get("status"), "ineligible", "ineligible: too old for the call")
    expect(call(s, ion, "POST", "/api/v1/calls/%d/applications" % cid, {"person": old, "proposal": "x"}), 404,
           "a counsellor of another organisation cannot apply for them")
    expect_error(call(s, carla, "POST", "/api/v1/calls/%d/applications" % cid,
                      {"enterprise": "Atelier SRL", "registration_code": "RO14399841", "proposal": "lab"}),
                 400, "registration_code", "a CUI with a wrong control digit")
    r = call(s, carla, "POST", "/api/v1/calls/%d/applications" % cid,
             {"enterprise": "Atelier SRL", "registration_code": "RO14399840", "proposal": "lab time"})
    expect(r, 201, "a counsellor applies for an enterprise")
    a_ent = (r.json() or {}).get("id", 0)
    r = call(s, person, "GET", "/api/v1/me/applications")
    equal([x["id"] for x in (r.json() or {}).get("applications", [])], [a_ana], "a person lists their own only")
    expect(call(s, person, "GET", "/api/v1/me/applications/%d" % a_old), 404, "another's application is not found")
    r = call(s, carla, "GET", "/api/v1/people/%s/applications" % ana)
    expect(r, 200, "a counsellor lists a person's applications")
    equal([x["id"] for x in (r.json() or {}).get("applications", [])], [a_ana], "the person's applications")
    expect(call(s, ion, "GET", "/api/v1/people/%s/applications" % ana), 404,
           "another organisation's counsellor does not see them")

    # the jury
    expect_error(call(s, pam, "POST", "/api/v1/calls/%d/jurors" % cid, {"juror": "erin"}), 400, "juror",
                 "an analyst cannot sit on a jury")
    for j in ("jana", "jon"):
        expect(call(s, pam, "POST", "/api/v1/calls/%d/jurors" % cid, {"juror": j}), 201, "juror %s added" % j)
    jana, jon, jules = who["jana"], who["jon"], who["jules"]
    expect_error(call(s, jules, "GET", "/api/v1/jury/calls/%d/applications" % cid), 403, "juror",
                 "a juror not on the jury")
    expect(call(s, pam, "POST", "/api/v1/jury/applications/%d/scores" % a_ana,
                {"scores": [{"criterion": "relevance", "score": 5}]}), 403, "the office does not score")
    r = call(s, jon, "GET", "/api/v1/jury/calls/%d/applications" % cid)
    expect(r, 200, "a juror lists the call's applications")
    listed = (r.json() or {}).get("applications", [])
    check(all("person" not in x["applicant"] for x in listed), "a juror sees no person ids")
    check(a_old not in [x["id"] for x in listed], "nor ineligible applications")
    expect(call(s, jon, "POST", "/api/v1/jury/applications/%d/conflict" % a_ent, {"reason": "I advise them"}), 201,
           "jon declares a conflict")
    expect_error(call(s, jon, "POST", "/api/v1/jury/applications/%d/scores" % a_ent,
                      {"scores": [{"criterion": "relevance", "score": 9}]}), 403, "conflict",
                 "a juror with a conflict cannot score")
    expect_error(call(s, jana, "POST", "/api/v1/jury/applications/%d/scores" % a_ana,
                      {"scores": [{"criterion": "relevance", "score": 11}]}), 400, "score", "a score above the maximum")
    sc = lambda j, a, r_, f_: call(s, j, "POST", "/api/v1/jury/applications/%d/scores" % a,  # noqa: E731
                                   {"scores": [{"criterion": "relevance", "score": r_},
                                               {"criterion": "feasibility", "score": f_, "comment": "ok"}]})
    expect(sc(jana, a_ana, 8, 4), 200, "jana scores ana's")
    r = sc(jon, a_ana, 6, 4)
    expect(r, 200, "jon scores ana's")
    equal((r.json() or {}).get("status"), "scored", "scored by both")
    r = sc(jana, a_ent, 10, 5)
    equal((r.json() or {}).get("status"), "scored", "the enterprise's: jana alone, jon is conflicted")

    r = call(s, pam, "GET", "/api/v1/calls/%d/ranking" % cid)
    expect(r, 200, "the ranking")
    ranked = (r.json() or {}).get("ranked", [])
    equal([x["id"] for x in ranked], [a_ent, a_ana], "ranked by weighted score")
    equal([x["weighted_score"] for x in ranked], [100.0, 74.0], "the weighted scores")
    equal((r.json() or {}).get("available", {}).get("minor_units"), 300000, "available on the line")
    expect(call(s, jana, "GET", "/api/v1/calls/%d/ranking" % cid), 403, "a juror does not see the ranking")

    expect_error(call(s, pam, "POST", "/api/v1/applications/%d/decision" % a_ana, {"decision": "award"}), 400,
                 "reason", "a decision needs a reason")
    expect_error(call(s, pam, "POST", "/api/v1/applications/%d/decision" % a_old,
                      {"decision": "award", "reason": "x"}), 400, "status", "an ineligible one is not awarded")
    r = call(s, pam, "POST", "/api/v1/applications/%d/decision" % a_ent, {"decision": "award", "reason": "first"})
    expect(r, 200, "the first is awarded")
    code = ((r.json() or {}).get("voucher") or {}).get("code", "")
    equal(bool(re.fullmatch(r"CEV(-[0-9A-Z]{4}){4}", code)), True, "the award answers with its voucher's code")
    award = ((call(s, pam, "GET", "/api/v1/applications/%d" % a_ent).json() or {}).get("decision") or {}).get("id", 0)
    v = json.loads(fow_cli("voucher", "show", code or "none", "--json") if code else "{}")
    equal((v.get("beneficiary"), v.get("amounts", {}).get("value_minor"), v.get("status"), v.get("award_ref")),
          ({"kind": "enterprise", "registration_code": "14399840", "name": "Atelier SRL"}, 150000, "active",
           "award:%d" % award),
          "the enterprise's voucher: its beneficiary, the value awarded, active at once, the award named")
    # the person's consent withdrawn after applying: the award fails and leaves nothing behind
    expect(call(s, carla, "DELETE", "/api/v1/people/%s/consents/vouchers" % ana), 200,
           "the counsellor withdraws ana's vouchers consent")
    ledger_before = fow_cli("voucher", "ledger", "export", "--json")
    expect_error(call(s, pam, "POST", "/api/v1/applications/%d/decision" % a_ana,
                      {"decision": "award", "reason": "second", "amount": 90000}), 409, "consent",
                 "no award without the vouchers consent")
    r = call(s, pam, "GET", "/api/v1/applications/%d" % a_ana)
    equal(((r.json() or {}).get("status"), (r.json() or {}).get("voucher"), (r.json() or {}).get("decision")),
          ("scored", None, None), "the refused award is rolled back: still scored, no decision, no voucher")
    equal(fow_cli("voucher", "ledger", "export", "--json"), ledger_before, "and the ledger unchanged")
    expect(call(s, carla, "POST", "/api/v1/people/%s/consents" % ana, {"purpose": "vouchers", "text_version": "v1"}),
           201, "the consent given again")
    r = call(s, pam, "POST", "/api/v1/applications/%d/decision" % a_ana,
             {"decision": "award", "reason": "second", "amount": 90000})
    expect(r, 200, "the second is awarded less than asked")
    r = call(s, person, "GET", "/api/v1/me/applications/%d" % a_ana)
    d = (r.json() or {}).get("decision") or {}
    equal((d.get("decision"), d.get("value", {}).get("minor_units")), ("awarded", 90000), "the person sees their award")
    equal(bool(((r.json() or {}).get("voucher") or {}).get("code")), True, "and their voucher's code")
    mine = [x for x in (call(s, person, "GET", "/api/v1/me/applications").json() or {}).get("applications", [])
            if x["id"] == a_ana]
    equal([(x.get("voucher") or {}).get("code") for x in mine], [(r.json() or {})["voucher"]["code"]],
          "the person's list of applications names the voucher the award issued (the web app links to it)")
    # a second call on the same line: what is awarded and not issued counts against it
    r = call(s, pam, "POST", "/api/v1/calls", definition(3, rules=[]))
    cid2 = (r.json() or {}).get("id", 0)
    r = call(s, pam, "GET", "/api/v1/calls/%d/ranking" % cid2)
    equal((r.json() or {}).get("available", {}).get("minor_units"), 300000 - 150000 - 90000,
          "the line's available amount less the awards")
    r = call(s, pam, "GET", "/api/v1/calls/%d/ranking" % cid)
    equal((r.json() or {}).get("available", {}).get("minor_units"), 60000, "and on the first call's ranking too")


def parallel_awards(s, who, fow_cli):
    pam, carla = who["pam"], who["carla"]
    n, value = 16, 100000
    d = definition(2, amount_person=value, rules=[])
    d["values"] = [{"applicant": "person", "mode": "fixed", "amount": value}]
    r = call(s, pam, "POST", "/api/v1/calls", d)
    expect(r, 201, "a call on the lab-time line (3000.00 RON)")
    cid = (r.json() or {}).get("id", 0)
    expect(call(s, pam, "POST", "/api/v1/calls/%d/jurors" % cid, {"juror": "jules"}), 201, "jules on its jury")
    apps = []
    for i in range(n):
        pid = person_add(fow_cli, "--organisation", "AJOFM Cluj", "--area", "Cluj-Napoca")
        call(s, carla, "POST", "/api/v1/people/%s/consents" % pid, {"purpose": "vouchers", "text_version": "v1"})
        r = call(s, carla, "POST", "/api/v1/calls/%d/applications" % cid, {"person": pid, "proposal": "lab time %d" % i})
        a = (r.json() or {}).get("id", 0)
        r = call(s, who["jules"], "POST", "/api/v1/jury/applications/%d/scores" % a,
                 {"scores": [{"criterion": "relevance", "score": 1 + i % 10}, {"criterion": "feasibility", "score": 3}]})
        apps.append(a)
    equal(len([a for a in apps if a]), n, "%d applications scored" % n)
    results = [None] * n
    start = threading.Barrier(n)

    def decide(i):
        start.wait()
        results[i] = call(s, pam, "POST", "/api/v1/applications/%d/decision" % apps[i],
                          {"decision": "award", "reason": "parallel"}).status

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    equal(sorted(results), [200] * 3 + [409] * (n - 3),
          "%d parallel awards of 1000.00 RON on 3000.00 RON: exactly 3 awarded" % n)
    r = call(s, pam, "GET", "/api/v1/calls/%d/applications" % cid)
    awarded = [x for x in (r.json() or {}).get("applications", []) if x["status"] == "awarded"]
    equal(len(awarded), 3, "3 applications awarded")
    r = call(s, pam, "GET", "/api/v1/calls/%d/ranking" % cid)
    equal((r.json() or {}).get("available", {}).get("minor_units"), 0, "nothing left on the line")


if __name__ == "__main__":
    sys.exit(main())
