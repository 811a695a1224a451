#!/usr/bin/python3
"""The access matrix of every route and role, once (the pass `make soak` repeats for a
minute, in tests/e2e/api_race_test.py --matrix, here on its own for `make test`).

    python3 access_matrix_test.py FOW_BINARY [REPO_ROOT]

Builds the demo database in a temporary folder, adds an administrator, a counsellor
and an analyst, starts `fow serve --listen 127.0.0.1:0 --rate-limit 0`, and asks every
route of the route tables (src/http/*.c) as nobody and as each of them: a public
route must never answer 401 or 403; a route for signed-in users must answer 401 to
nobody; a route that needs a permission must answer 403 to a role without it and not
401 / 403 to a role with it; no answer may be a 5xx. Every case is counted: the pass
fails unless every route was asked in every role it applies to. Standard library only."""

import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, route_table  # noqa: E402
from api_race_test import (ONLY_ANONYMOUS, USERS, Session, Tally, access_table, demo_with_users,  # noqa: E402
                           matrix_round)

c = Checks("access matrix")
check, equal = c.check, c.equal


def main():
    args = sys.argv[1:]
    fow = os.path.abspath(args[0])
    root = os.path.abspath(args[1]) if len(args) > 1 else os.path.abspath(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    demo = os.environ.get("FOW_DEMO") or os.path.join(root, "data", "demo")
    work = tempfile.mkdtemp(prefix="fow-matrix-test-")
    s = None
    try:
        db = demo_with_users(fow, demo, work)
        s = Server(fow, db, work, "matrix", rate_limit=0)
        sessions = {role: Session(s.port, name) for role, name in USERS.items()}
        table = access_table(root)
        equal(len(table), len(route_table(root)), "the access matrix has every route of the route tables")
        check(len(table) > 20, "the route tables were read: %d routes" % len(table))
        t = Tally()
        matrix_round(s.port, table, sessions, t)
        for p in t.problems:
            check(False, p)
        cases = sum(1 + (0 if (m, p) in ONLY_ANONYMOUS else len(sessions)) for m, p, _, _ in table)
        equal(t.n.get("matrix requests", 0), cases, "every route was asked in every role")
        equal(t.n.get("matrix cases passed", 0), cases, "every case of the access matrix passed")
        print("access matrix: %d routes, %d cases, %d passed, %d failed" %
              (len(table), cases, t.n.get("matrix cases passed", 0), t.n.get("matrix cases failed", 0)), flush=True)
    finally:
        if s:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
