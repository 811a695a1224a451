#!/usr/bin/python3
"""The access matrix of every route and role, once (the pass `make soak` repeats for a
minute, in tests/e2e/api_race_test.py --matrix, here on its own for `make test`), and the
rows each role may reach.

    python3 access_matrix_test.py FOW_BINARY [REPO_ROOT]

Builds the demo database (with the learning catalogue) in a temporary folder, adds a
user of every role (admin, analyst, counsellor, programme_manager, provider, person, juror,
voucher_office),
starts `fow serve --listen 127.0.0.1:0 --rate-limit 0` with an access log, and:

1. checks that the permissions declared in api_race_test.ROLE_PERMISSIONS (by hand, from
   docs/roles.md) are those of the code (role_permissions in src/accounts/fow_accounts.c);
2. asks every route of the route tables (src/http/*.c, read at run time, so routes added
   later are in) as nobody and as each role, and every write route again as each role
   with a wrong CSRF token: a public route must never answer 401 or 403; a route for
   signed-in users must answer 401 to nobody; a route that needs a permission must answer
   403 to a role without it and neither to a role with it (but a 403 asking a role with it for a
   fresh confirmation, error.code auth.confirmation_*, on the voucher office's money routes: point
   2b checks that exactly those ask); a wrong CSRF token is a 403
   (but on routes exempt from it); no answer may be a 5xx. Every case is counted;
2b. the voucher office's write routes as every role: refused at the door without manage_vouchers,
   a confirm_password asked (and a wrong one refused) exactly on the routes that move money;
3. rows: a provider writes, submits and sees its own modules, and another provider's
   module is "not found" to it (read, change, delete, submit); a programme manager
   approves or rejects (with a reason) and the public catalogue lists approved modules
   only; a person reads their own record, skills and credentials (and downloads their
   VC-JWT) and nobody else's; a counsellor sees
   only the people of their organisation; a provider runs the cohorts of its own modules (adds
   them, sets their status, sees who is enrolled, records attendance and completion), not another
   provider's, and does not enrol; a credential is revoked by its module's provider, the counsellors
   of the person's organisation or the programme manager, and refused to others;
4. vouchers (issue 14): a person lists their own vouchers and sees their own voucher's QR code,
   not another person's; a provider is told "not valid here" of a voucher for another provider,
   redeems a voucher only for its own cohorts, and lists only its own claims;
5. no name, contact or person id of a people record is in the access log.
Standard library only."""

import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, request, route_table, run_fow  # noqa: E402
from api_race_test import (ORGANISATION, PASSWORD, ROLE_PERMISSIONS, USERS, Session, Tally, access_table,  # noqa: E402
                           check_declared_permissions, demo_with_users, matrix_cases, matrix_round, person_add)

c = Checks("access matrix")
check, equal = c.check, c.equal

NAME = "Zamfira Quixotescu-Fictiva"
CONTACT = "zamfira.fictiva@example.invalid"
OTHER_NAME = "Ostap Nemaivazut-Fictiv"


def call(port, session, method, path, value=None):
    headers = dict(session.headers) if session else {}
    body = None
    if value is not None:
        body = json.dumps(value).encode()
        headers["Content-Type"] = "application/json"
    return request(port, method, path, body, headers, timeout=30)


def module_body(code, title):
    return {"code": code, "title": {"ro": title + " (ro)", "en": title}, "hours": 12, "mode": "online",
            "language": "ro", "cost_minor": 45000, "currency": "RON",
            "skills": ["urn:fow:demo:skill:customer-service"]}


def rows(port, sessions, other_provider, other_person):
    prue, quinn, pam, pat, bob = (sessions[k] for k in ("provider", "quinn", "programme_manager", "person", "counsellor"))
    skills = json.loads(request(port, "GET", "/api/v1/modules").body)["modules"][0]["skills"]
    body = module_body("ROLE-T1", "Access test module")
    body["skills"] = [skills[0]["uri"]]
    r = call(port, prue, "POST", "/api/v1/modules", body)
    equal(r.status, 201, "a provider writes a module: %r" % r)
    mine = r.json()["id"] if r.status == 201 else 0
    equal(r.json().get("status") if r.status == 201 else None, "draft", "a new module is a draft")
    # the other provider cannot see, change, submit or delete it; its own provider_id elsewhere is refused
    for method, path, value in [("PUT", "/api/v1/modules/%d" % mine, body), ("DELETE", "/api/v1/modules/%d" % mine, None),
                                ("POST", "/api/v1/modules/%d/submit" % mine, None)]:
        r = call(port, quinn, method, path, value)
        equal(r.status, 404, "another provider's module is not found to %s %s: %r" % (method, path, r))
    listed = json.loads(call(port, quinn, "GET", "/api/v1/provider-modules").body)["modules"]
    check(all(m["id"] != mine for m in listed), "another provider's module is not in my modules")
    listed = json.loads(call(port, prue, "GET", "/api/v1/provider-modules").body)["modules"]
    check(any(m["id"] == mine for m in listed), "a provider's own module is in its modules")
    check(all(m["provider"]["id"] == listed[0]["provider"]["id"] for m in listed), "only its own provider's")
    forged = dict(body, code="ROLE-T2", provider_id=other_provider)
    equal(call(port, prue, "POST", "/api/v1/modules", forged).status, 403,
          "a provider cannot write a module for another provider")
    # not public until approved
    public = lambda: [m["id"] for m in json.loads(request(port, "GET", "/api/v1/modules").body)["modules"]]  # noqa
    check(mine not in public(), "a draft is not in the public catalogue")
    equal(request(port, "GET", "/api/v1/modules/%d" % mine).status, 404, "a draft is not found publicly")
    equal(call(port, pam, "POST", "/api/v1/modules/%d/review" % mine, {"decision": "approve"}).status, 409,
          "a draft cannot be approved before it is submitted")
    equal(call(port, prue, "POST", "/api/v1/modules/%d/submit" % mine).status, 200, "its provider submits it")
    queue = json.loads(call(port, pam, "GET", "/api/v1/module-reviews").body)["modules"]
    check(any(m["id"] == mine for m in queue), "a submitted module is in the programme manager's queue")
    equal(call(port, prue, "POST", "/api/v1/modules/%d/review" % mine, {"decision": "approve"}).status, 403,
          "a provider cannot approve its own module")
    r = call(port, pam, "POST", "/api/v1/modules/%d/review" % mine, {"decision": "reject"})
    equal(r.status, 400, "a rejection needs a reason: %r" % r)
    r = call(port, pam, "POST", "/api/v1/modules/%d/review" % mine, {"decision": "reject", "reason": "hours?"})
    equal((r.status, r.json().get("status"), r.json().get("review", {}).get("reason")), (200, "rejected", "hours?"),
          "a programme manager rejects with a reason")
    equal(call(port, prue, "POST", "/api/v1/modules/%d/submit" % mine).status, 200, "resubmitted")
    r = call(port, pam, "POST", "/api/v1/modules/%d/review" % mine, {"decision": "approve"})
    equal((r.status, r.json().get("status")), (200, "approved"), "a programme manager approves")
    check(mine in public(), "an approved module is in the public catalogue")
    r = call(port, prue, "PUT", "/api/v1/modules/%d" % mine, dict(body, hours=14))
    equal((r.status, r.json().get("status"), r.json().get("hours")), (200, "draft", 14.0),
          "a change makes it a draft again")
    check(mine not in public(), "a changed module leaves the public catalogue until approved again")
    imported = next(m for m in listed if m["source"]["written_by"] is None)
    equal(call(port, prue, "PUT", "/api/v1/modules/%d" % imported["id"], body).status, 400,
          "an imported module changes only by importing its file again")
    equal(call(port, prue, "DELETE", "/api/v1/modules/%d" % mine).status, 200, "its provider deletes it")

    # a person: their own record and skills, nobody else's
    r = call(port, pat, "GET", "/api/v1/me/person")
    equal(r.status, 200, "a person reads their own record: %r" % r)
    me = r.json().get("person", {}) if r.status == 200 else {}
    equal(me.get("name"), NAME, "their own name")
    equal(call(port, pat, "GET", "/api/v1/people/%s" % other_person).status, 403, "a person reads no other record")
    equal(call(port, pat, "GET", "/api/v1/people/%s" % me.get("id")).status, 403,
          "a person reads their record only as their own (/me), not as staff")
    equal(call(port, pat, "GET", "/api/v1/me/skills").status, 409, "their skills need their counselling consent")
    # their credentials: theirs listed and downloadable, another person's "not found"
    admin = sessions["admin"]
    module = json.loads(request(port, "GET", "/api/v1/modules").body)["modules"][0]["id"]
    issued = {}
    for who in (me.get("id"), other_person):
        equal(call(port, admin, "POST", "/api/v1/people/%s/consents" % who,
                   {"purpose": "training", "text_version": "v1"}).status, 201, "training consent")
        r = call(port, admin, "POST", "/api/v1/credentials", {"person": who, "module": module})
        equal(r.status, 201, "a credential is issued: %r" % r)
        issued[who] = (r.json().get("credential") or r.json()).get("id") if r.status == 201 else "none"
    r = call(port, pat, "GET", "/api/v1/me/credentials")
    equal(r.status, 200, "a person lists their own credentials: %r" % r)
    listed = [x["id"] for x in r.json().get("credentials", [])] if r.status == 200 else []
    equal(listed, [issued[me.get("id")]], "their own credential and no other")
    r = call(port, pat, "GET", "/api/v1/me/credentials/%s?format=jwt" % issued[me.get("id")])
    equal((r.status, r.body.count(b".")), (200, 2), "a person downloads their own VC-JWT")
    for path in ("/api/v1/me/credentials/%s", "/api/v1/me/credentials/%s?format=jwt"):
        equal(call(port, pat, "GET", path % issued[other_person]).status, 404,
              "another person's credential is not found to a person: " + path)
    equal(call(port, pat, "GET", "/api/v1/credentials?person=%s" % other_person).status, 403,
          "a person cannot list credentials as staff")
    equal(call(port, sessions["counsellor"], "GET", "/api/v1/me/credentials").status, 403,
          "a counsellor has no credentials of their own")
    # revoking: a counsellor the credentials of their organisation's people only; the programme manager any
    other_revoke = "/api/v1/credentials/%s/revoke" % issued[other_person]
    equal(call(port, bob, "POST", other_revoke, {"reason": "not ours"}).status, 403,
          "a counsellor cannot revoke the credential of another organisation's person")
    equal(call(port, sessions["analyst"], "POST", other_revoke, {"reason": "x"}).status, 403, "nor an analyst")
    r = call(port, pam, "POST", other_revoke, {"reason": "accreditation withdrawn"})
    equal(r.status, 200, "the programme manager revokes any credential: %r" % r)
    r = call(port, bob, "POST", "/api/v1/credentials/%s/revoke" % issued[me.get("id")], {"reason": "mistake"})
    equal(r.status, 200, "a counsellor revokes the credential of a person of their organisation: %r" % r)
    provider_cohorts(port, sessions, me.get("id"), other_person)
    # a counsellor: their organisation's people only
    ids = [p["id"] for p in json.loads(call(port, bob, "GET", "/api/v1/people").body)["people"]]
    check(me.get("id") in ids and other_person not in ids, "a counsellor lists their organisation's people only")
    equal(call(port, bob, "GET", "/api/v1/people/%s?reason=test" % other_person).status, 404,
          "another organisation's person is not found to a counsellor")
    equal(call(port, bob, "GET", "/api/v1/people/%s?reason=test" % me.get("id")).status, 200,
          "a counsellor reads a person of their organisation")
    # changing a record (PATCH): the counsellor of the person's organisation, not another's, not the person, not a
    # provider
    equal(call(port, bob, "PATCH", "/api/v1/people/%s" % other_person, {"area": "Turda"}).status, 404,
          "another organisation's person cannot be changed by a counsellor")
    r = call(port, bob, "PATCH", "/api/v1/people/%s" % me.get("id"), {"area": "Turda"})
    equal((r.status, (r.json().get("person") or {}).get("area") if r.status == 200 else None), (200, "Turda"),
          "a counsellor changes a person of their organisation: %r" % r)
    for role in ("person", "provider", "programme_manager", "analyst"):
        equal(call(port, sessions[role], "PATCH", "/api/v1/people/%s" % me.get("id"), {"area": "x"}).status, 403,
              "a %s changes no record" % role)
    r = call(port, sessions["admin"], "PATCH", "/api/v1/people/%s" % other_person, {"employment_status": "student"})
    equal(r.status, 200, "an admin changes any organisation's person: %r" % r)
    # a person's enrolments: their counsellor's organisation only, not a provider (who sees its cohorts' lists)
    equal(call(port, bob, "GET", "/api/v1/people/%s/enrolments" % other_person).status, 404,
          "another organisation's person's enrolments are not found to a counsellor")
    equal(call(port, sessions["provider"], "GET", "/api/v1/people/%s/enrolments" % me.get("id")).status, 403,
          "a provider does not read a person's enrolments across cohorts")
    r = call(port, bob, "GET", "/api/v1/people/%s/enrolments" % me.get("id"))
    equal((r.status, [e["enrolment"]["status"] for e in r.json().get("enrolments", [])] if r.status == 200 else None),
          (200, ["completed"]), "the counsellor reads the enrolments of their person: the provider's cohort, completed")
    r = call(port, bob, "POST", "/api/v1/people/find", {"name": NAME, "reason": "test"})
    equal(r.status, 200, "a counsellor looks a name up (in the body)")
    # a gap from a person's stored profile: the id is in the query string, which the access log leaves out
    r = call(port, bob, "GET", "/api/v1/gap?person=%s&to=helpdesk%%20technician" % me.get("id"))
    equal(r.status, 409, "the profile needs counselling consent: %r" % r)
    equal(call(port, bob, "GET", "/api/v1/plan?person=%s&to=helpdesk%%20technician" % other_person).status, 404,
          "another organisation's person is not found as an origin")
    equal(request(port, "GET", "/api/v1/plan?person=%s&to=helpdesk%%20technician" % other_person).status, 401,
          "a stored profile needs a session")
    return me.get("id")

# the voucher office's routes that move money (docs/vouchers.md, "Fresh confirmation"): a 403
# auth.confirmation_required to a caller with manage_vouchers who gives no password
MONEY_ROUTES = {"/api/v1/voucher-lines", "/api/v1/voucher-lines/{line}/top-ups", "/api/v1/vouchers",
                "/api/v1/vouchers/{code}/cancellation", "/api/v1/vouchers/expiry", "/api/v1/redemptions/{id}/refund",
                "/api/v1/claims/settlement", "/api/v1/payment-batches/{batch}/approval",
                "/api/v1/providers/{provider}/bank-account"}


def office_confirmation(port, table, sessions):
    """Every POST of manage_vouchers, as every role with {}: a role without the permission is refused at the
    door (403 forbidden, never a confirmation asked); the office and an admin are asked for confirm_password
    exactly on MONEY_ROUTES, and with a wrong one (once per account) are refused as auth.confirmation_failed."""
    office = [(m, p) for m, p, a, perm, _ in table if perm == "FOW_PERM_MANAGE_VOUCHERS" and m == "POST"]
    check(len(office) >= 12, "the office's write routes were read: %d" % len(office))
    equal({p for _, p in office} >= MONEY_ROUTES, True, "every money route is an office route")
    asked = set()
    for _, pattern in office:
        path = pattern.replace("{line}", "1").replace("{code}", "CEV-0000-0000-0000-0000").replace(
            "{id}", "1").replace("{batch}", "1").replace("{provider}", "1")
        for role in sorted(sessions):
            r = call(port, sessions[role], "POST", path, {})
            code = ((r.json() or {}).get("error") or {}).get("code") if r.status >= 400 else None
            if "FOW_PERM_MANAGE_VOUCHERS" not in ROLE_PERMISSIONS[role]:
                equal((r.status, code), (403, "forbidden"), "%s refused to %s at the door" % (pattern, role))
            elif pattern in MONEY_ROUTES:
                equal((r.status, code), (403, "auth.confirmation_required"), "%s asks %s to confirm" % (pattern, role))
                if (role, "wrong") in asked:
                    continue  # one wrong password per account: more would wait out the sign-in throttle
                asked.add((role, "wrong"))
                r = call(port, sessions[role], "POST", path, {"confirm_password": "not " + PASSWORD})
                code = ((r.json() or {}).get("error") or {}).get("code")
                equal((r.status, code), (403, "auth.confirmation_failed"), "%s: a wrong password, %s" % (pattern, role))
            else:
                check(r.status not in (401, 403) and r.status < 500,
                      "%s needs no confirmation from %s: %r" % (pattern, role, r))


def provider_cohorts(port, sessions, person, other_person):
    """A provider runs the cohorts of its own modules (adds them, sets their status, sees who is enrolled, records
    attendance and completion) and nothing of another provider's; enrolling stays the counsellors'. person and
    other_person have training consent."""
    prue, quinn, bob = sessions["provider"], sessions["quinn"], sessions["counsellor"]
    modules = json.loads(request(port, "GET", "/api/v1/modules").body)["modules"]
    own = json.loads(call(port, prue, "GET", "/api/v1/provider-modules").body)["modules"]
    own_ids = {m["provider"]["id"] for m in own}
    mine = next(m["code"] for m in modules if m["provider"]["id"] in own_ids)
    theirs = next(m["code"] for m in modules if m["provider"]["id"] not in own_ids)
    body = {"module": mine, "starts_on": "2031-03-02", "ends_on": "2031-03-30", "capacity": 3,
            "sessions": [{"date": "2031-03-02", "starts_at": "09:00", "ends_at": "12:00"}]}
    equal(call(port, quinn, "POST", "/api/v1/cohorts", body).status, 403,
          "a provider cannot add a cohort of another provider's module")
    equal(call(port, prue, "POST", "/api/v1/cohorts", dict(body, module=theirs)).status, 403,
          "nor of a module that is not its own")
    r = call(port, prue, "POST", "/api/v1/cohorts", body)
    equal(r.status, 201, "a provider adds a cohort of its own module: %r" % r)
    cohort = r.json().get("id") if r.status == 201 else 0
    base = "/api/v1/cohorts/%s" % cohort
    equal(call(port, quinn, "POST", base + "/status", {"status": "closed"}).status, 403,
          "another provider cannot change its status")
    r = call(port, prue, "POST", base + "/status", {"status": "open"})
    equal((r.status, r.json().get("status")), (200, "open"), "its provider sets its status")
    equal(call(port, prue, "POST", base + "/enrolments", {"person": person}).status, 403,
          "a provider does not enrol people (the counsellors do)")
    equal(call(port, bob, "POST", base + "/enrolments", {"person": person}).status, 201, "a counsellor enrols")
    r = call(port, prue, "GET", base + "/enrolments")
    equal(r.status, 200, "its provider sees who is enrolled: %r" % r)
    equal([e["person"] for e in r.json().get("enrolments", [])] if r.status == 200 else [], [person],
          "the enrolments of its cohort, by pseudonymous id")
    equal(call(port, quinn, "GET", base + "/enrolments").status, 403, "another provider does not")
    attendance = {"person": person, "session": 1, "present": True}
    equal(call(port, quinn, "POST", base + "/attendance", attendance).status, 403,
          "another provider cannot record attendance")
    equal(call(port, prue, "POST", base + "/attendance", attendance).status, 200, "its provider records attendance")
    equal(call(port, prue, "POST", base + "/attendance", dict(attendance, person=other_person)).status, 404,
          "someone not enrolled in its cohort is not found to a provider")
    completion = {"person": person, "result": "passed", "score": 80}
    equal(call(port, quinn, "POST", base + "/completions", completion).status, 403,
          "another provider cannot record a completion")
    r = call(port, prue, "POST", base + "/completions", completion)
    equal((r.status, (r.json().get("completion") or {}).get("recorded_by")), (200, USERS["provider"]),
          "its provider records the completion: %r" % r)
    # the credential of that completion: its module's provider may revoke it, another provider not
    credential = (r.json().get("credential") or {}).get("id") if r.status == 200 else None
    check(credential, "the passed completion issued a credential: %r" % r)
    revoke = "/api/v1/credentials/%s/revoke" % credential
    equal(call(port, quinn, "POST", revoke, {"reason": "not ours"}).status, 403,
          "another provider cannot revoke a credential of this provider's module")
    equal(call(port, sessions["person"], "POST", revoke, {"reason": "mine"}).status, 403, "a person cannot revoke")
    r = call(port, prue, "POST", revoke, {"reason": "assessment repeated"})
    equal((r.status, (r.json().get("status") or {}).get("revoked")), (200, True),
          "the module's provider revokes its credential: %r" % r)


def voucher_report_rows(port, sessions):
    """The voucher reports: the programme's readers (read_programme) get the money aggregates; the list of
    outstanding vouchers is the office's (an administrator, a role with manage_vouchers), null for the others;
    every other role is refused."""
    office = {"admin", "voucher_office"}
    readers = {role for role, perms in ROLE_PERMISSIONS.items() if "FOW_PERM_READ_PROGRAMME" in perms}
    for role in sorted(r for r in sessions if r in ROLE_PERMISSIONS or r == "voucher_office"):
        for path in ("/api/v1/voucher-reports?by=provider", "/api/v1/voucher-reports/costs",
                     "/api/v1/voucher-reports/outstanding"):
            r = call(port, sessions[role], "GET", path)
            if role not in readers:
                equal(r.status, 403, "%s: refused to %s" % (path, role))
                continue
            equal(r.status, 200, "%s: read by %s" % (path, role))
            if path.endswith("outstanding") and r.status == 200:
                listed = r.json().get("vouchers")
                if role in office:
                    check(isinstance(listed, list), "the office's list of outstanding vouchers reaches %s" % role)
                else:
                    check(listed is None, "the list of outstanding vouchers does not reach %s" % role)


def voucher_rows(fow, db, port, sessions, person, other_person, providers):
    """Row 4: the beneficiary's and the provider's side of a voucher."""
    prue, quinn, pat = sessions["provider"], sessions["quinn"], sessions["person"]
    for who in (person, other_person):
        for purpose in ("training", "vouchers"):
            try:
                run_fow(fow, db, "person", "consent", who, purpose, "--text-version", "v1")
            except RuntimeError as e:  # given already by an earlier row
                check("already in force" in str(e), "consent: %s" % e)
    modules = json.loads(run_fow(fow, db, "modules", "--json"))["modules"]
    own = next(m["code"] for m in modules if m["provider"]["id"] == providers[0])
    theirs = next(m["code"] for m in modules if m["provider"]["id"] == providers[1])
    cohorts = [int(run_fow(fow, db, "cohort", "add", code, "--starts-on", "2027-05-03", "--ends-on", "2027-05-28",
                           "--capacity", "4").strip()) for code in (own, theirs)]
    fund = run_fow(fow, db, "voucher", "fund", "add", "Matrix fund", "--currency", "RON").strip()
    line = run_fow(fow, db, "voucher", "line", "add", fund, "--purpose", "learning_module", "--year", "2031",
                   "--amount", "9000").strip()
    dates = ["--valid-from", "2026-01-01", "--valid-until", "2030-12-31", "--active", "--value", "900"]
    mine = run_fow(fow, db, "voucher", "issue", line, person, *dates, "--providers", str(providers[0])).strip()
    other = run_fow(fow, db, "voucher", "issue", line, other_person, *dates).strip()
    r = call(port, pat, "GET", "/api/v1/me/vouchers")
    codes = [v["voucher"]["code"] for v in r.json().get("vouchers", [])] if r.status == 200 else []
    equal(codes, [mine], "a person lists their own voucher only: %r" % r)
    equal(call(port, pat, "GET", "/api/v1/vouchers/%s/qr.svg" % mine).status, 200, "a person's own voucher's QR code")
    equal(call(port, pat, "GET", "/api/v1/vouchers/%s/qr.svg" % other).status, 404, "not another person's")
    r = call(port, quinn, "GET", "/api/v1/provider/vouchers/%s" % mine)
    equal((r.status, (r.json() or {}).get("error", {}).get("message")), (404, "this voucher is not valid here"),
          "another provider is told 'not valid here': %r" % r)
    path = "/api/v1/vouchers/%s/redemptions" % mine
    equal(call(port, quinn, "POST", path, {"cohort_id": cohorts[1], "key": "m-q", "amount_minor": 100}).status, 404,
          "another provider cannot redeem it")
    equal(call(port, prue, "POST", path, {"cohort_id": cohorts[1], "key": "m-p1", "amount_minor": 100}).status, 403,
          "a provider does not redeem for another provider's cohort")
    r = call(port, prue, "POST", path, {"cohort_id": cohorts[0], "key": "m-p2", "amount_minor": 100})
    equal(r.status, 201, "a provider redeems for its own cohort: %r" % r)
    claims = lambda who: [x["id"] for x in json.loads(call(port, who, "GET", "/api/v1/provider/claims").body)["claims"]]
    made = r.json()["redemption"]["id"] if r.status == 201 else None
    equal(claims(prue), [made], "the provider lists its claim")
    equal(claims(quinn), [], "the other provider does not")


def main():
    args = sys.argv[1:]
    fow = os.path.abspath(args[0])
    root = os.path.abspath(args[1]) if len(args) > 1 else os.path.abspath(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    demo = os.environ.get("FOW_DEMO") or os.path.join(root, "data", "demo")
    work = tempfile.mkdtemp(prefix="fow-matrix-test-")
    s = None
    try:
        for p in check_declared_permissions(root):
            check(False, p)
        check(not check_declared_permissions(root), "the declared permissions are the code's")
        db = demo_with_users(fow, demo, work)
        # a second provider and a person of another organisation, for the rows
        modules = json.loads(run_fow(fow, db, "modules", "--json"))["modules"]
        providers = sorted({m["provider"]["id"] for m in modules})
        check(len(providers) >= 2, "the demo catalogue has two providers or more")
        run_fow(fow, db, "user", "add", "quinn", "--role", "provider", "--provider", str(providers[1]),
                "--password-file", os.path.join(work, "pw"))
        other_person = person_add(fow, db, "--name", OTHER_NAME, "--organisation", "Other Org")
        person = json.loads(run_fow(fow, db, "user", "list", "--json"))
        pat = next(u for u in person if u["name"] == USERS["person"])
        # the person's record gets a name and contact to look for in the log: a new record in place of the demo's
        log = os.path.join(work, "access.log")
        s = Server(fow, db, work, "matrix", rate_limit=0, access_log=log)
        sessions = {role: Session(s.port, name) for role, name in USERS.items()}
        table = access_table(root)
        equal(len(table), len(route_table(root)), "the access matrix has every route of the route tables")
        check(len(table) > 20, "the route tables were read: %d routes" % len(table))
        writes = [r for r in table if r[0] in ("POST", "PUT", "PATCH", "DELETE")]
        check(len(writes) > 10, "the write routes were read: %d" % len(writes))
        t = Tally()
        matrix_round(s.port, table, sessions, t)
        for p in t.problems:
            check(False, p)
        cases = len(matrix_cases(table, sessions))
        equal(t.n.get("matrix requests", 0), cases, "every route was asked in every role")
        equal(t.n.get("matrix cases passed", 0), cases, "every case of the access matrix passed")
        print("access matrix: %d routes (%d that write), %d roles, %d cases, %d passed, %d failed" %
              (len(table), len(writes), len(sessions), cases, t.n.get("matrix cases passed", 0),
               t.n.get("matrix cases failed", 0)), flush=True)

        office_confirmation(s.port, table, sessions)

        sessions["quinn"] = Session(s.port, "quinn")
        # the person's own record: named and reachable by contact, so that the log test has something to miss
        admin = sessions["admin"]
        equal(pat["role"], "person", "the person's account")
        r = call(s.port, admin, "POST", "/api/v1/people",
                 {"name": NAME, "contact": CONTACT, "organisation": ORGANISATION})
        equal(r.status, 201, "an admin adds a named person: %r" % r)
        named = r.json().get("id") if r.status == 201 else None
        run_fow(fow, db, "user", "add", "pat2", "--role", "person", "--person", named, "--password-file",
                os.path.join(work, "pw"))
        sessions["person"] = Session(s.port, "pat2")
        mine = rows(s.port, sessions, providers[1], other_person)
        voucher_report_rows(s.port, sessions)
        equal(mine, named, "the person read is the account's own")
        voucher_rows(fow, db, s.port, sessions, named, other_person, providers)
        call(s.port, admin, "GET", "/api/v1/people/%s/export?reason=test" % named)
        s.stop()
        s = None
        with open(log, encoding="utf-8", errors="replace") as f:
            text = f.read()
        check(text.count("\n") > 500, "the access log has a line per request: %d" % text.count("\n"))
        for secret in (NAME, CONTACT, OTHER_NAME, named, other_person, "Quixotescu", "zamfira"):
            check(secret and secret.lower() not in text.lower(), "the access log holds no %r" % secret)
        check("/api/v1/people/{id}" in text, "the access log names personal routes by their pattern")
    finally:
        if s:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
