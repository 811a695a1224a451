#!/usr/bin/python3
"""The voucher office's reports over HTTP (issue 14, point 8; docs/vouchers.md "Reports").

    python3 api_voucher_reports_test.py FOW_BINARY [REPO_ROOT]

On the demo with a small ledger made here through the command line (a fund and its line, two
vouchers, a redemption completed and paid, one waiting, an expiry): GET /api/v1/voucher-reports
answers the same JSON as `fow voucher report --by B --json` for every dimension, and the same
CSV as `--csv`; /costs and /outstanding the same as `--costs` and `--outstanding`. Access:
nobody 401; a counsellor, a provider and a person 403 (no read_programme); an analyst and a
programme manager 200 without the office's list of vouchers (null), an administrator 200 with
it. A bad dimension or format is a 400 naming the parameter. No person id in any answer.

Prints "api-voucher-reports: N passed, M failed"; exits 1 on a failure. Standard library only."""

import csv
import io
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, run_fow  # noqa: E402

PASSWORD = "correct horse battery"
c = Checks("api-voucher-reports")
check, equal = c.check, c.equal


def login(s, name):
    r = s.post_json("/api/v1/auth/login", {"name": name, "password": PASSWORD})
    check(r.status == 200, "login as %s: %d" % (name, r.status))
    for v in r.all_headers("Set-Cookie"):
        m = re.match(r"fow_session=([^;]*)", v)
        if m:
            return {"Cookie": "fow_session=%s" % m.group(1)}
    return {}


def without_time(doc):
    doc = dict(doc)
    doc.pop("computed_at", None)
    return doc


def person(fow, db):
    out = run_fow(fow, db, "person", "add", "--organisation", "Demo")
    p = re.search(r"Added person (\S+)\.", out).group(1)
    run_fow(fow, db, "person", "consent", p, "training", "--text-version", "v1")
    run_fow(fow, db, "person", "consent", p, "vouchers", "--text-version", "v1")
    return p


def ledger(fow, db, demo):
    run_fow(fow, db, "import", "bundle", demo)
    run_fow(fow, db, "import", "modules", os.path.join(demo, "modules.csv"))
    run_fow(fow, db, "cohort", "load", os.path.join(demo, "cohorts.csv"))
    run_fow(fow, db, "voucher", "fund", "add", "CEV 2027", "--currency", "RON")
    run_fow(fow, db, "voucher", "line", "add", "1", "--purpose", "learning_module", "--year", "2027", "--amount", "20000")
    p1, p2 = person(fow, db), person(fow, db)
    v1 = run_fow(fow, db, "voucher", "issue", "1", p1, "--value", "1500", "--valid-from", "2026-11-01",
                 "--valid-until", "2027-12-31", "--active", "--key", "k1").strip()
    v2 = run_fow(fow, db, "voucher", "issue", "1", p2, "--value", "700", "--valid-from", "2026-11-01",
                 "--valid-until", "2027-09-30", "--active", "--key", "k2").strip()
    run_fow(fow, db, "voucher", "redeem", v1, "1", "--key", "r1", "--amount", "500")
    run_fow(fow, db, "voucher", "redeem", v2, "1", "--key", "r2", "--amount", "200")
    for s in range(1, 7):
        run_fow(fow, db, "cohort", "attend", "1", p1, str(s))
    run_fow(fow, db, "cohort", "complete", "1", p1, "--passed")
    run_fow(fow, db, "voucher", "claims", "settle")
    run_fow(fow, db, "voucher", "pay", "batch")
    run_fow(fow, db, "voucher", "pay", "approve", "1")
    run_fow(fow, db, "voucher", "expire", "--as-of", "2027-10-01")
    return p1, p2


def main():
    fow = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", ".."))
    demo = os.environ.get("FOW_DEMO") or os.path.join(root, "data", "demo")
    work = tempfile.mkdtemp(prefix="fow-api-voucher-reports-")
    server = None
    try:
        db = os.path.join(work, "fow.db")
        people = ledger(fow, db, demo)
        pw = os.path.join(work, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        users = [("ada", "admin", None), ("erin", "analyst", None), ("carla", "counsellor", "Demo"),
                 ("pia", "programme_manager", None), ("pat", "person", None)]
        for name, role, org in users:
            args = ["user", "add", name, "--role", role, "--password-file", pw]
            if org:
                args += ["--organisation", org]
            if role == "person":
                args += ["--person", people[0]]
            run_fow(fow, db, *args)
        server = Server(fow, db, work, "voucher-reports", rate_limit=0)
        who = {n: login(server, n) for n, _, _ in users}
        for path in ("/api/v1/voucher-reports", "/api/v1/voucher-reports/costs", "/api/v1/voucher-reports/outstanding"):
            equal(server.get(path).status, 401, "%s: nobody signed in" % path)
            for n in ("carla", "pat"):
                equal(server.get(path, who[n]).status, 403, "%s: %s may not read it" % (path, n))
            for n in ("erin", "pia", "ada"):
                equal(server.get(path, who[n]).status, 200, "%s: %s reads it" % (path, n))
        r = server.get("/api/v1/voucher-reports?by=week", who["erin"])
        equal(r.status, 400, "a bad dimension")
        equal((r.json() or {}).get("error", {}).get("field"), "by", "the 400 names by")
        r = server.get("/api/v1/voucher-reports/costs?format=xml", who["erin"])
        equal(r.status, 400, "a bad format")
        equal((r.json() or {}).get("error", {}).get("field"), "format", "the 400 names format")

        for by in ("fund", "line", "call", "provider", "month"):
            r = server.get("/api/v1/voucher-reports?by=%s" % by, who["erin"])
            equal(r.status, 200, "by %s" % by)
            api = r.json() or {}
            cli = json.loads(run_fow(fow, db, "voucher", "report", "--by", by, "--json"))
            equal(without_time(api), without_time(cli), "by %s: the API's JSON is the CLI's" % by)
            body = r.body.decode()
            check(not any(p in body for p in people), "by %s: no person id" % by)
            r = server.get("/api/v1/voucher-reports?by=%s&format=csv" % by, who["erin"])
            equal(r.status, 200, "by %s as CSV" % by)
            check((r.header("Content-Type") or "").startswith("text/csv"), "by %s: text/csv" % by)
            equal(r.body.decode(), run_fow(fow, db, "voucher", "report", "--by", by, "--csv"),
                  "by %s: the API's CSV is the CLI's" % by)
        _, doc = server.json("/api/v1/voucher-reports?by=fund", who["erin"])
        t = doc["totals"][0]["amounts"]
        equal((t["allocated_minor"], t["issued_minor"], t["redeemed_minor"], t["paid_minor"], t["expired_minor"],
               t["committed_minor"], t["available_minor"]),
              (2000000, 220000, 70000, 50000, 50000, 100000, 1830000), "the totals of the ledger made here")
        check(doc["method"]["code"] == "voucher_report.method_fund" and doc["source"]["mismatched_accounts"] == 0,
              "method and source")

        r, costs = server.json("/api/v1/voucher-reports/costs", who["pia"])
        cli = json.loads(run_fow(fow, db, "voucher", "report", "--costs", "--json"))
        equal(without_time(costs), without_time(cli), "costs: the API's JSON is the CLI's")
        total = costs["totals"][0]
        equal((total["completions"], total["cost_per_completion_minor"], total["credentials"], total["waiting"]),
              (1, 50000, 1, 1), "costs: one completion with its credential, one waiting")
        r = server.get("/api/v1/voucher-reports/costs?format=csv", who["pia"])
        rows = list(csv.DictReader(io.StringIO(r.body.decode())))
        equal([x["module"] for x in rows], ["CP-BIZ", "total"], "costs as CSV")

        r, out_admin = server.json("/api/v1/voucher-reports/outstanding", who["ada"])
        cli = json.loads(run_fow(fow, db, "voucher", "report", "--outstanding", "--json"))
        equal(without_time(out_admin), without_time(cli), "outstanding: the administrator's JSON is the CLI's")
        equal([v["balance_minor"] for v in out_admin["vouchers"]], [100000], "the office's list")
        _, out_analyst = server.json("/api/v1/voucher-reports/outstanding", who["erin"])
        check(out_analyst["vouchers"] is None, "an analyst gets the counts, not the list")
        equal(out_analyst["by_month"], out_admin["by_month"], "the same counts")
        r = server.get("/api/v1/voucher-reports/outstanding?format=csv", who["erin"])
        check(r.body.decode().startswith("month,currency,vouchers,amount_minor,amount,past_last_day\r\n2027-12,RON,1,"),
              "outstanding as CSV: %r" % r.body[:120])
        server.stop()
        server = None
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
