#!/usr/bin/python3
"""A voucher seen by its beneficiary and redeemed by a training provider over HTTP (issue 14,
points 4, 5 and 10; docs/vouchers.md "The beneficiary's and the provider's side").

    python3 api_voucher_sides_test.py FOW_BINARY [REPO_ROOT]

The demo data with a user of every role (api_race_test.demo_with_users), a second provider's
account (quinn) and a second person. Vouchers issued from the command line: A to the person
(any provider), B to the person for quinn's provider only, C to the person not yet active,
D to the other person.

1. The person lists their own vouchers (GET /api/v1/me/vouchers): A, B and C with balances,
   validity, where to spend them; never D. The QR code of A (GET .../qr.svg) is an SVG of
   <origin>/#/redeem?code=A for the person and the counsellor; D's is "not found" to the
   person, A's to the analyst and the provider.
2. The provider (prue) sees A's offer (GET /api/v1/provider/vouchers/A): the balance and its
   own open cohort, not quinn's; B, C, an unknown code, and A for quinn when restricted: all
   the same "not valid here" answer, word for word, and no balance.
3. prue redeems A for its own cohort (201), not for quinn's cohort (403), and not B or C (the
   same "not valid here"); the person and the analyst may not redeem (403). prue's claims
   (GET /api/v1/provider/claims) list the claim; quinn's do not; the person sees the
   redemption and the new balance; no voucher code or person id in the access log.
Prints "api-voucher-sides: N passed, M failed"; exits 1 on a failure. Standard library only."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, request, run_fow  # noqa: E402
from api_race_test import PASSWORD, Session, demo_with_users, person_add  # noqa: E402

c = Checks("api-voucher-sides")
check, equal = c.check, c.equal


def call(port, session, method, path, value=None):
    headers = dict(session.headers) if session else {}
    body = None
    if value is not None:
        body = json.dumps(value).encode()
        headers["Content-Type"] = "application/json"
    elif method == "POST":
        body = b""
    return request(port, method, path, body, headers, timeout=60)


def fow(binary, db, *args):
    return run_fow(binary, db, *args).strip()


def error_of(r):
    try:
        return r.json().get("error", {})
    except Exception:  # noqa: BLE001 - not JSON: no error object
        return {}


def main():
    binary = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", ".."))
    demo = os.environ.get("FOW_DEMO") or os.path.join(root, "data", "demo")
    work = tempfile.mkdtemp(prefix="fow-voucher-sides-")
    server = None
    try:
        db = demo_with_users(binary, demo, work)
        modules = json.loads(run_fow(binary, db, "modules", "--json"))["modules"]
        providers = sorted({m["provider"]["id"] for m in modules})
        prue_provider, quinn_provider = providers[0], providers[1]
        run_fow(binary, db, "user", "add", "quinn", "--role", "provider", "--provider", str(quinn_provider),
                "--password-file", os.path.join(work, "pw"))
        run_fow(binary, db, "user", "add", "olga", "--role", "voucher_office", "--password-file", os.path.join(work, "pw"))
        users = json.loads(run_fow(binary, db, "user", "list", "--json"))
        person = next(u for u in users if u["role"] == "person")["person_id"]
        other = person_add(binary, db, "--organisation", "Other Org")
        for who in (person, other):
            for purpose in ("training", "vouchers"):
                fow(binary, db, "person", "consent", who, purpose, "--text-version", "v1")
        prue_module = next(m for m in modules if m["provider"]["id"] == prue_provider)
        # a module without a stated cost is redeemed for an amount given
        amount = prue_module["cost"]["minor_units"] or 30000
        quinn_module = next(m for m in modules if m["provider"]["id"] == quinn_provider)
        prue_cohort = int(fow(binary, db, "cohort", "add", prue_module["code"], "--starts-on", "2027-03-01",
                              "--ends-on", "2027-03-31", "--capacity", "5"))
        quinn_cohort = int(fow(binary, db, "cohort", "add", quinn_module["code"], "--starts-on", "2027-04-01",
                               "--ends-on", "2027-04-30", "--capacity", "5"))
        fund = fow(binary, db, "voucher", "fund", "add", "CEV 2027 (sides)", "--currency", "RON")
        line = fow(binary, db, "voucher", "line", "add", fund, "--purpose", "learning_module", "--year", "2031",
                   "--amount", "100000")
        dates = ["--valid-from", "2026-01-01", "--valid-until", "2030-12-31"]
        a = fow(binary, db, "voucher", "issue", line, person, "--value", "5000", *dates, "--active")
        b = fow(binary, db, "voucher", "issue", line, person, "--value", "5000", *dates, "--active",
                "--providers", str(quinn_provider))
        cc = fow(binary, db, "voucher", "issue", line, person, "--value", "5000", *dates)
        d = fow(binary, db, "voucher", "issue", line, other, "--value", "5000", *dates, "--active")
        for code in (a, b, cc, d):
            check(re.fullmatch(r"CEV(-[0-9A-Z]{4}){4}", code) is not None, "a voucher code: %r" % code)
        log = os.path.join(work, "access.log")
        server = Server(binary, db, work, "sides", rate_limit=0, access_log=log)
        port = server.port
        pat, prue, quinn, bob, erin = (Session(port, n) for n in ("pat", "prue", "quinn", "bob", "erin"))

        # 1. the beneficiary
        r = call(port, pat, "GET", "/api/v1/me/vouchers")
        equal(r.status, 200, "the person lists their vouchers: %r" % r)
        mine = {v["voucher"]["code"]: v for v in (r.json() or {}).get("vouchers", [])} if r.status == 200 else {}
        equal(sorted(mine), sorted([a, b, cc]), "their own three vouchers, not the other person's")
        if a in mine:
            equal(mine[a]["voucher"]["amounts"]["balance_minor"], 500000, "A holds 5000.00")
            equal(mine[a]["usable"], True, "A can be spent")
            equal(mine[a]["where"]["any_provider"], True, "A: any provider")
            equal(mine[a]["redemptions"], [], "nothing redeemed yet")
        if b in mine:
            equal([p["id"] for p in mine[b]["where"]["providers"]], [quinn_provider], "B: quinn's provider only")
            check(mine[b]["where"]["providers"][0]["name"], "B's provider is named")
        if cc in mine:
            equal(mine[cc]["usable"], False, "C (issued, not active) cannot be spent yet")
        r = call(port, pat, "GET", "/api/v1/vouchers/%s/qr.svg" % a)
        equal(r.status, 200, "the person's QR code of A: %r" % r)
        equal(dict((k.lower(), v) for k, v in r.headers).get("content-type", "").split(";")[0], "image/svg+xml",
              "an SVG image")
        check(("/#/redeem?code=%s" % a) in r.body.decode("utf-8", "replace"), "its title names the redeem address")
        check(r.body.count(b"M") > 50 and b"<path" in r.body, "it draws modules")
        equal(call(port, bob, "GET", "/api/v1/vouchers/%s/qr.svg" % a).status, 200, "the counsellor's (office) too")
        equal(call(port, Session(port, "olga"), "GET", "/api/v1/vouchers/%s/qr.svg" % a).status, 200,
              "the voucher office's too")
        for who, name in ((erin, "the analyst"), (prue, "a provider")):
            equal(call(port, who, "GET", "/api/v1/vouchers/%s/qr.svg" % a).status, 404, "not to %s" % name)
        equal(call(port, pat, "GET", "/api/v1/vouchers/%s/qr.svg" % d).status, 404, "not another person's voucher")
        equal(call(port, None, "GET", "/api/v1/vouchers/%s/qr.svg" % a).status, 401, "nobody: 401")
        equal(call(port, prue, "GET", "/api/v1/me/vouchers").status, 403, "a provider has no vouchers of its own")

        # 2. the provider's look before redeeming
        r = call(port, prue, "GET", "/api/v1/provider/vouchers/%s" % a.lower().replace("-", ""))
        equal(r.status, 200, "prue sees A's offer, its code typed loosely: %r" % r)
        offer = r.json() if r.status == 200 else {}
        equal(offer.get("balance_minor"), 500000, "the balance left")
        cohorts = [x["cohort_id"] for x in offer.get("cohorts", [])]
        check(prue_cohort in cohorts, "prue's open cohort is offered: %r" % cohorts)
        check(quinn_cohort not in cohorts, "quinn's cohort is not")
        check("person" not in json.dumps(offer), "the offer names no person")
        refusals = [(prue, b, "B (for quinn only)"), (prue, cc, "C (not active)"),
                    (prue, "CEV-0000-0000-0000-0000", "an unknown code")]
        texts = set()
        for who, code, what in refusals:
            r = call(port, who, "GET", "/api/v1/provider/vouchers/%s" % code)
            equal(r.status, 404, "%s: not valid here: %r" % (what, r))
            equal(error_of(r).get("field"), "voucher", "%s names voucher" % what)
            check(b"balance" not in r.body and b"500000" not in r.body, "%s: no balance shown" % what)
            texts.add(error_of(r).get("message"))
        equal(texts, {"this voucher is not valid here"}, "every refusal is worded the same")
        bad = a[:-1] + ("0" if a[-1] != "0" else "1")
        equal(call(port, prue, "GET", "/api/v1/provider/vouchers/%s" % bad).status, 400, "a typing error: 400")
        equal(call(port, pat, "GET", "/api/v1/provider/vouchers/%s" % a).status, 403, "a person: 403")
        equal(call(port, bob, "GET", "/api/v1/provider/vouchers/%s" % a).status, 400, "a counsellor has no provider")

        # 3. the redemption by the provider, and its claim
        path = "/api/v1/vouchers/%s/redemptions"
        r = call(port, prue, "POST", path % b, {"cohort_id": prue_cohort, "key": "prue-b"})
        equal((r.status, error_of(r).get("message")), (404, "this voucher is not valid here"), "B for prue: %r" % r)
        r = call(port, prue, "POST", path % cc, {"cohort_id": prue_cohort, "key": "prue-c"})
        equal((r.status, error_of(r).get("message")), (404, "this voucher is not valid here"), "C for prue: %r" % r)
        r = call(port, prue, "POST", path % "CEV-0000-0000-0000-0000", {"cohort_id": prue_cohort, "key": "prue-x"})
        equal((r.status, error_of(r).get("message")), (404, "this voucher is not valid here"), "unknown: %r" % r)
        r = call(port, prue, "POST", path % a, {"cohort_id": quinn_cohort, "key": "prue-q"})
        equal(r.status, 403, "prue does not enrol into quinn's cohort: %r" % r)
        equal(call(port, pat, "POST", path % a, {"cohort_id": prue_cohort, "key": "pat"}).status, 403,
              "the person does not redeem")
        equal(call(port, erin, "POST", path % a, {"cohort_id": prue_cohort, "key": "erin"}).status, 403,
              "the analyst does not redeem")
        r = call(port, prue, "POST", path % a, {"cohort_id": prue_cohort, "key": "prue-a", "provider_id": quinn_provider,
                                       "amount_minor": amount})
        equal(r.status, 201, "prue redeems A for its own cohort (a provider_id in the body does not count): %r" % r)
        red = (r.json() or {}).get("redemption", {}) if r.status == 201 else {}
        equal(red.get("provider_id"), prue_provider, "the claim is prue's provider's")
        equal(red.get("amount_minor"), amount, "the amount redeemed")
        r = call(port, prue, "POST", path % a, {"cohort_id": prue_cohort, "key": "prue-a", "amount_minor": amount})
        equal(r.status, 200, "the same key again: the first redemption")
        r = call(port, quinn, "POST", path % a, {"cohort_id": quinn_cohort, "key": "prue-a"})
        equal(r.status, 409, "prue's key by quinn: another request's key, nothing about it: %r" % r)
        check(a.encode() not in r.body, "quinn is not told A's code back")
        r = call(port, prue, "GET", "/api/v1/provider/claims")
        equal(r.status, 200, "prue's claims")
        claims = (r.json() or {}).get("claims", []) if r.status == 200 else []
        equal([x.get("id") for x in claims], [red.get("id")], "prue's one claim")
        equal((r.json() or {}).get("totals_minor", {}).get("redeemed"), amount, "its total")
        r = call(port, quinn, "GET", "/api/v1/provider/claims")
        equal((r.json() or {}).get("count"), 0, "quinn has none")
        equal(call(port, prue, "GET", "/api/v1/provider/claims?status=nonsense").status, 400, "a bad status: 400")
        equal(call(port, bob, "GET", "/api/v1/provider/claims").status, 400, "a counsellor has no provider claims")
        equal(call(port, pat, "GET", "/api/v1/provider/claims").status, 403, "a person: 403")
        alice = Session(port, "alice")
        r = call(port, alice, "GET", "/api/v1/provider/claims?provider=%d" % prue_provider)
        equal((r.json() or {}).get("count"), 1, "an admin sees prue's provider's claims, naming it")
        r = call(port, pat, "GET", "/api/v1/me/vouchers")
        after = {v["voucher"]["code"]: v for v in (r.json() or {}).get("vouchers", [])} if r.status == 200 else {}
        if a in after:
            equal(after[a]["voucher"]["amounts"]["balance_minor"], 500000 - amount,
                  "A's balance after the redemption")
            equal([x["cohort_id"] for x in after[a]["redemptions"]], [prue_cohort], "the person sees the redemption")
            equal(after[a]["redemptions"][0]["provider"], prue_module["provider"]["name"], "with the provider's name")
        r = call(port, prue, "GET", "/api/v1/cohorts/%d/enrolments" % prue_cohort)
        if r.status == 200:
            equal(len(r.json().get("enrolments", [])), 1, "the person is enrolled in prue's cohort")
        server.stop()
        server = None
        with open(log, encoding="utf-8") as f:
            text = f.read()
        check("/api/v1/provider/vouchers/{code}" in text and "/api/v1/vouchers/{code}/qr.svg" in text,
              "the access log has the routes' patterns")
        for code in (a, b, cc, d):
            check(code not in text and code.lower().replace("-", "") not in text, "no voucher code in the access log")
        check(not re.search(r"p[a-z2-7]{26}", text), "no person id in the access log")
        r = subprocess.run([binary, "--db", db, "check"], capture_output=True, text=True, timeout=300)
        equal(r.returncode, 0, "fow check passes: " + r.stdout[-400:])
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
