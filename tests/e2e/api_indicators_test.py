#!/usr/bin/python3
"""The programme indicators over HTTP (issue 13, point 8; docs/indicators.md).

    python3 api_indicators_test.py FOW_BINARY [REPO_ROOT]

On the demo with its people (data/demo/journeys.csv loaded by `fow journeys`):
GET /api/v1/indicators answers the same figures as `fow indicators --json` (JSON) and
`--csv` (CSV) for every breakdown; nobody signed in 401, a counsellor 403 (no
read_programme), an analyst and a programme manager 200; a bad breakdown 400 naming by;
no person id in any answer.

Prints "api-indicators: N passed, M failed"; exits 1 on a failure. Standard library only."""

import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, import_demo, run_fow  # noqa: E402

PASSWORD = "correct horse battery"
c = Checks("api-indicators")
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


def main():
    fow = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", ".."))
    demo = os.environ.get("FOW_DEMO") or os.path.join(root, "data", "demo")
    work = tempfile.mkdtemp(prefix="fow-api-indicators-")
    server = None
    try:
        db = os.path.join(work, "fow.db")
        import_demo(fow, db, demo)
        run_fow(fow, db, "import", "modules", os.path.join(demo, "modules.csv"))
        run_fow(fow, db, "cohort", "load", os.path.join(demo, "cohorts_past.csv"))
        run_fow(fow, db, "journeys", os.path.join(demo, "journeys.csv"))
        pw = os.path.join(work, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        for name, role, org in [("erin", "analyst", None), ("carla", "counsellor", "demo-centre"),
                                ("pia", "programme_manager", None)]:
            args = ["user", "add", name, "--role", role, "--password-file", pw]
            if org:
                args += ["--organisation", org]
            run_fow(fow, db, *args)
        server = Server(fow, db, work, "indicators", rate_limit=0)
        who = {n: login(server, n) for n in ("erin", "carla", "pia")}
        equal(server.get("/api/v1/indicators").status, 401, "nobody signed in")
        equal(server.get("/api/v1/indicators", who["carla"]).status, 403, "a counsellor")
        equal(server.get("/api/v1/indicators", who["pia"]).status, 200, "a programme manager")
        r = server.get("/api/v1/indicators?by=colour", who["erin"])
        equal(r.status, 400, "a bad breakdown")
        equal((r.json() or {}).get("error", {}).get("field"), "by", "the 400 names by")
        for by in ("total", "programme", "cohort", "sex", "age"):
            r = server.get("/api/v1/indicators?by=%s" % by, who["erin"])
            equal(r.status, 200, "by %s" % by)
            api = r.json() or {}
            cli = json.loads(run_fow(fow, db, "indicators", "--by", by, "--json") if by != "total"
                             else run_fow(fow, db, "indicators", "--json"))
            equal(without_time(api), without_time(cli), "by %s: the API's JSON is the CLI's" % by)
            check(not re.search(r"p[a-z2-7]{26}", r.body.decode()), "by %s: no person id" % by)
            r = server.get("/api/v1/indicators?by=%s&format=csv" % by, who["erin"])
            equal(r.status, 200, "by %s as CSV" % by)
            check((r.header("Content-Type") or "").startswith("text/csv"), "by %s: text/csv" % by)
            cli_csv = run_fow(fow, db, "indicators", "--csv", *(["--by", by] if by != "total" else []))
            equal(r.body.decode(), cli_csv, "by %s: the API's CSV is the CLI's" % by)
        _, doc = server.json("/api/v1/indicators?by=programme", who["erin"])
        rows = {row["group"]: row for row in doc.get("rows", [])}
        for p in ("Culturepreneurs", "Work 4.0"):
            check(p in rows and rows[p]["completed"]["value"] is not None, "the demo shows %s's completions" % p)
        server.stop()
        server = None
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
