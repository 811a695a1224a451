#!/usr/bin/python3
"""Vouchers over HTTP (issue 14, points 5 and 7; docs/vouchers.md).

    python3 api_vouchers_test.py FOW_BINARY [REPO_ROOT]

1. "200 redemptions of a voucher worth 3": a person with training and vouchers consent, a
   voucher worth 300.00 RON issued and activated from the command line, 200 cohorts of
   CP-BIZ; 200 redemption requests of 100.00 at once, each for its own cohort, each on its
   own connection. Exactly 3 answer 201, the 197 others 409 naming amount; exactly 3
   enrolments exist; the voucher holds 0; `fow check` passes and the ledger export is
   verified by tests/e2e/verify_ledger.py.
2. The same key again answers 200 with the first redemption; a code with a wrong check
   character 400 naming code; an unknown voucher 404; the budget lines for an analyst,
   not for a counsellor (403); nobody 401; no voucher code or person id in the access log.

Prints "api-vouchers: N passed, M failed"; exits 1 on a failure. Standard library only."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, import_demo, run_fow  # noqa: E402

PASSWORD = "correct horse battery"
RACERS = 200
c = Checks("api-vouchers")
check, equal = c.check, c.equal
expect = c.expect


def call(s, who, method, path, body=None):
    h = dict(who or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    elif method in ("POST", "DELETE"):
        data = b""
    return s.request(method, path, data, h, timeout=180)


def fow_out(fow, db, *args):
    r = subprocess.run([fow, "--db", db, *args], capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError("fow %s: %s" % (" ".join(args), r.stderr))
    return r.stdout.strip()


def race(s, carla, code, cohorts):
    answers = [None] * len(cohorts)
    start = threading.Barrier(len(cohorts))

    def one(i):
        try:
            start.wait(timeout=120)
            answers[i] = call(s, carla, "POST", "/api/v1/vouchers/%s/redemptions" % code,
                              {"cohort_id": cohorts[i], "key": "race-%d" % i, "amount_minor": 10000})
        except Exception as e:  # noqa: BLE001 - reported as a failed check
            answers[i] = e
    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(cohorts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    answered = [a for a in answers if hasattr(a, "status")]
    equal(len(answered), len(cohorts), "every request answered: %r" % [a for a in answers if not hasattr(a, "status")][:3])
    created = [a for a in answered if a.status == 201]
    refused = [a for a in answered if a.status == 409 and (a.json() or {}).get("error", {}).get("field") == "amount"]
    equal(len(created), 3, "exactly 3 redemptions of the voucher worth 3")
    equal(len(refused), len(cohorts) - 3, "every other request refused naming amount: %r" %
          [(a.status, a.body[:200]) for a in answered if a.status not in (201, 409)][:3])
    return [a.json()["redemption"] for a in created]


def main():
    fow = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", ".."))
    demo = os.environ.get("FOW_DEMO") or os.path.join(root, "data", "demo")
    work = tempfile.mkdtemp(prefix="fow-api-vouchers-")
    server = None
    try:
        db = os.path.join(work, "fow.db")
        import_demo(fow, db, demo)
        run_fow(fow, db, "import", "modules", os.path.join(demo, "modules.csv"))
        pw = os.path.join(work, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        for name, role, org in [("carla", "counsellor", "Demo"), ("erin", "analyst", None)]:
            args = ["user", "add", name, "--role", role, "--password-file", pw]
            if org:
                args += ["--organisation", org]
            run_fow(fow, db, *args)
        person = fow_out(fow, db, "person", "add", "--organisation", "Demo").split()[-1].rstrip(".")
        for purpose in ("training", "vouchers"):
            fow_out(fow, db, "person", "consent", person, purpose, "--text-version", "v1")
        fow_out(fow, db, "voucher", "fund", "add", "CEV 2027", "--currency", "RON")
        fow_out(fow, db, "voucher", "line", "add", "1", "--purpose", "learning_module", "--year", "2027",
                "--amount", "10000")
        code = fow_out(fow, db, "voucher", "issue", "1", person, "--value", "300", "--valid-from", "2026-01-01",
                       "--valid-until", "2030-12-31", "--active")
        check(re.fullmatch(r"CEV(-[0-9A-Z]{4}){4}", code) is not None, "a voucher code: %r" % code)
        cohorts = []
        for _ in range(RACERS):
            out = fow_out(fow, db, "cohort", "add", "CP-BIZ", "--starts-on", "2027-03-01", "--ends-on", "2027-03-31",
                          "--capacity", "5")
            cohorts.append(int(out))
        log = os.path.join(work, "access.log")
        server = Server(fow, db, work, "vouchers", rate_limit=0, access_log=log, extra=["--client-connections", "256"])
        carla = c.login(server, "carla", PASSWORD)
        erin = c.login(server, "erin", PASSWORD)
        made = race(server, carla, code, cohorts)
        # the same key again: the first redemption, 200
        if made:
            first = made[0]
            i = int(first["key"].split("-")[1])
            r = call(server, carla, "POST", "/api/v1/vouchers/%s/redemptions" % code,
                     {"cohort_id": cohorts[i], "key": first["key"], "amount_minor": 10000})
            expect(r, 200, "the same key again")
            equal((r.json() or {}).get("redemption", {}).get("id"), first["id"], "the first redemption")
            equal((r.json() or {}).get("created"), False, "created false")
        r = call(server, carla, "GET", "/api/v1/vouchers/%s" % code.lower().replace("-", ""))
        expect(r, 200, "the voucher, its code typed loosely")
        equal((r.json() or {}).get("amounts", {}).get("balance_minor"), 0, "the voucher holds nothing more")
        equal((r.json() or {}).get("amounts", {}).get("redeemed_minor"), 30000, "300.00 redeemed")
        bad = code[:-1] + ("0" if code[-1] != "0" else "1")
        r = call(server, carla, "GET", "/api/v1/vouchers/%s" % bad)
        expect(r, 400, "a code with a wrong check character")
        equal((r.json() or {}).get("error", {}).get("field"), "code", "names code")
        r = call(server, carla, "GET", "/api/v1/vouchers/CEV-0000-0000-0000-0000")
        expect(r, 404, "an unknown voucher")
        r = call(server, carla, "POST", "/api/v1/vouchers/%s/redemptions" % code, {"key": "x"})
        expect(r, 400, "a redemption without a cohort")
        expect(call(server, None, "GET", "/api/v1/voucher-lines"), 401, "nobody")
        expect(call(server, carla, "GET", "/api/v1/voucher-lines"), 403, "a counsellor does not read the budget")
        r = call(server, erin, "GET", "/api/v1/voucher-lines")
        expect(r, 200, "an analyst reads the budget lines")
        line = ((r.json() or {}).get("lines") or [{}])[0]
        equal(line.get("amounts", {}).get("redeemed_minor"), 30000, "the line's redeemed amount")
        expect(call(server, erin, "GET", "/api/v1/vouchers/%s" % code), 403, "an analyst reads no voucher")
        server.stop()
        server = None
        enrolments = fow_out(fow, db, "voucher", "claims", "--json")
        equal(json.loads(enrolments)["count"], 3, "three claims")
        r = subprocess.run([fow, "--db", db, "check"], capture_output=True, text=True)
        equal(r.returncode, 0, "fow check passes: " + r.stdout[-400:])
        export = os.path.join(work, "ledger.json")
        fow_out(fow, db, "voucher", "ledger", "export", "--json", "--output", export)
        r = subprocess.run([sys.executable, os.path.join(root, "tests", "e2e", "verify_ledger.py"), export],
                           capture_output=True, text=True)
        equal(r.returncode, 0, "the export verifies: " + r.stdout[-400:])
        with open(log, encoding="utf-8") as f:
            text = f.read()
        check("/api/v1/vouchers/{code}/redemptions" in text, "the access log has the route's pattern")
        check(code not in text and code.lower().replace("-", "") not in text, "no voucher code in the access log")
        check(not re.search(r"p[a-z2-7]{26}", text), "no person id in the access log")
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
