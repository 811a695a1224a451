#!/usr/bin/python3
"""Reloads, API imports and readers racing on one `fow serve` (issue 11, finding 2),
and, with --matrix, the access matrix of every route and role.

    python3 api_race_test.py FOW_BINARY [REPO_ROOT] [--seconds N] [--matrix]

Builds the demo database in a temporary folder, adds an administrator, starts
`fow serve --listen 127.0.0.1:0 --rate-limit 0`, and for N seconds (default 6):

- an importer uploads, as the administrator, the files of a taxonomy bundle and
  imports them, alternating the demo bundle (56 occupations, "fow demo data
  (2026.11)") and a variant of it (58 occupations: two more with the skills of the
  call centre agent, "fow demo data (race)");
- a signaller sends SIGHUP every 20 to 300 ms (so some land during imports);
- readers ask GET /api/v1/stats and the transitions of the call centre agent.

Every answer must belong to one state: in /api/v1/stats the occupation count, the
taxonomy source and the data version must be one import's (a data version stamp
is never seen with two different contents), and a transitions answer must show
the variant's occupations exactly when the stats of its model (the same ETag
generation) say 58. The data versions one reader sees never go back. After the
race, once the last import is done and the last SIGHUP handled, the state in
service must be the database's (its data_version row and its occupation count).
No answer may be a 5xx, every import job must finish "done".

--matrix also asks every route of the route tables (src/http/*.c) as nobody, a
counsellor, an analyst and an administrator, and checks 401 / 403 / allowed against
the route's access and the roles' permissions, once per second of the run.

Prints the counts; exits 1 on a failure. `make soak SOAK_SECONDS=60` runs it long
with --matrix. Standard library only."""

import json
import os
import random
import re
import shutil
import signal
import sqlite3
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, fill_pattern, import_demo, request, route_table, run_fow  # noqa: E402

PASSWORD = "correct horse battery"
BUNDLE_FILES = ["source.csv", "isco_groups.csv", "occupations.csv", "occupation_labels.csv",
                "occupation_parents.csv", "skills.csv", "skill_labels.csv", "occupation_skills.csv"]
EXTRA = ["urn:fow:demo:occupation:race-agent-%d" % i for i in (1, 2)]
PROBE = "urn:fow:demo:occupation:call-centre-agent"
STATES = {56: "fow demo data (2026.11)", 58: "fow demo data (race)"}

c = Checks("race")
check, equal = c.check, c.equal


def read_bundle(folder):
    files = {}
    for name in BUNDLE_FILES:
        with open(os.path.join(folder, name), "rb") as f:
            files[name] = f.read()
    return files


def variant_of(demo_files):
    """The demo bundle with two more occupations (the call centre agent's skills), version "race"."""
    files = dict(demo_files)
    lines = demo_files["source.csv"].decode().split("\n")
    fields = lines[1].split(",")
    fields[1] = "race"
    lines[1] = ",".join(fields)
    files["source.csv"] = "\n".join(lines).encode()
    occ = demo_files["occupations.csv"].decode().rstrip("\n")
    skills = demo_files["occupation_skills.csv"].decode().rstrip("\n")
    probe_skills = [x for x in skills.split("\n") if x.startswith(PROBE + ",")]
    for i, uri in enumerate(EXTRA, 1):
        occ += "\n%s,4222.R%d,4222,race agent %d,"  % (uri, i, i)
        skills += "\n" + "\n".join(uri + x[len(PROBE):] for x in probe_skills)
    files["occupations.csv"] = (occ + "\n").encode()
    files["occupation_skills.csv"] = (skills + "\n").encode()
    return files


class Session:
    """A signed-in user: the session cookie and its CSRF token."""

    def __init__(self, port, name):
        r = request(port, "POST", "/api/v1/auth/login", ('{"name":"%s","password":"%s"}' % (name, PASSWORD)).encode(),
                    {"Content-Type": "application/json"})
        if r.status != 200:
            raise RuntimeError("login as %s: %r" % (name, r))
        cookie = next(v for k, v in r.headers if k.lower() == "set-cookie" and v.startswith("fow_session="))
        self.headers = {"Cookie": cookie.split(";")[0], "X-CSRF-Token": r.json()["csrf"]}


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.n = {}
        self.serial_state = {}   # ETag generation -> occupations, from /api/v1/stats
        self.stamp_state = {}    # data version stamp -> (occupations, taxonomy source)
        self.transitions = []    # (ETag generation, shows the variant's occupations)
        self.relations_of = {}   # occupations -> occupation_skill_relations
        self.problems = []

    def add(self, key, k=1):
        with self.lock:
            self.n[key] = self.n.get(key, 0) + k

    def problem(self, text):
        with self.lock:
            self.n["problems"] = self.n.get("problems", 0) + 1
            if len(self.problems) < 20:
                self.problems.append(text)


def etag_serial(r):
    m = re.match(r'"g(\d+)-', r.header("ETag") or "")
    return int(m.group(1)) if m else None


def stats_reader(port, stop, t):
    last = -1
    while not stop.is_set():
        r = request(port, "GET", "/api/v1/stats", timeout=20)
        t.add("stats")
        if r.status >= 500 or r.status != 200:
            t.problem("GET /api/v1/stats: %r" % r)
            continue
        j = r.json() or {}
        n, source, dv = j.get("occupations"), j.get("taxonomy_source"), j.get("data_version") or {}
        rel = j.get("occupation_skill_relations")  # counted from the database, with the model
        with t.lock:
            first = t.relations_of.setdefault(n, rel)
        if rel is not None and first != rel:
            t.add("mixed")
            t.problem("stats mix %r occupations with %r and %r relations" % (n, first, rel))
        if STATES.get(n) != source:
            t.add("mixed")
            t.problem("stats mix %r occupations with the source %r" % (n, source))
        with t.lock:
            seen = t.stamp_state.setdefault(dv["stamp"], (n, source)) if dv.get("stamp") else (n, source)
            serial = etag_serial(r)
            if serial is not None:
                t.serial_state.setdefault(serial, n)
                if t.serial_state[serial] != n:
                    t.problem("generation %d served %r and %r occupations" % (serial, t.serial_state[serial], n))
        if seen != (n, source):
            t.add("mixed")
            t.problem("data version %r served %r and %r" % (dv, seen, (n, source)))
        if j.get("generation") != etag_serial(r):
            t.problem("stats generation %r, ETag %r" % (j.get("generation"), r.header("ETag")))
        g = dv.get("generation", -1)
        if g < last:
            t.add("backwards")
            t.problem("the data version went back from %d to %d" % (last, g))
        last = g


def transitions_reader(port, stop, t):
    while not stop.is_set():
        r = request(port, "GET", "/api/v1/occupations/4222.D1/transitions?limit=50&min_similarity=0.5", timeout=20)
        t.add("transitions")
        if r.status != 200:
            t.problem("GET transitions: %r" % r)
            continue
        shows = any(u in r.body.decode(errors="replace") for u in EXTRA)
        with t.lock:
            t.transitions.append((etag_serial(r), shows))


def importer(s, port, admin, bundles, stop, t):
    k = 0
    while not stop.is_set():
        files = bundles[k % 2]
        k += 1
        ids = []
        for name in BUNDLE_FILES:
            r = request(port, "POST", "/api/v1/imports/files?name=" + name, files[name],
                        dict(admin.headers, **{"Content-Type": "text/csv"}), timeout=60)
            if r.status != 201:
                t.problem("upload %s: %r" % (name, r))
                return
            ids.append(r.json()["upload"])
        r = request(port, "POST", "/api/v1/imports", ('{"kind":"bundle","files":%s}' % str(ids).replace("'", '"'))
                    .encode(), dict(admin.headers, **{"Content-Type": "application/json"}), timeout=60)
        if r.status != 202:
            t.problem("start the import: %r" % r)
            return
        job = r.json()["job"]
        t.add("imports started")
        state = {}
        deadline = time.time() + 60
        while time.time() < deadline:
            r = request(port, "GET", "/api/v1/imports/" + job, None, admin.headers)
            state = r.json() or {}
            if state.get("state") in ("done", "failed"):
                break
            time.sleep(0.02)
        if state.get("state") == "done":
            t.add("imports done")
        else:
            t.problem("import job %s: %r" % (job, state))


def signaller(s, stop, t):
    while not stop.is_set():
        time.sleep(random.uniform(0.02, 0.3))
        s.signal(signal.SIGHUP)
        t.add("SIGHUPs")


# ---- the access matrix ------------------------------------------------------------------------------------------

# Who may call which route: declared here, by hand, from docs/roles.md, and compared with the one table of the
# code (role_permissions in src/accounts/fow_accounts.c) by check_declared_permissions, so that a permission changed
# in the code without its declaration here (or the other way round) fails the test.
ROLE_PERMISSIONS = {
    "admin": {"FOW_PERM_READ_PERSONAL", "FOW_PERM_IMPORT", "FOW_PERM_MANAGE_USERS", "FOW_PERM_IMPORT_EMPLOYMENT",
              "FOW_PERM_MANAGE_PEOPLE", "FOW_PERM_MANAGE_MODULES", "FOW_PERM_APPROVE_MODULES",
              "FOW_PERM_READ_PROGRAMME", "FOW_PERM_MANAGE_CALLS", "FOW_PERM_RUN_COHORTS", "FOW_PERM_REVOKE_CREDENTIALS",
              "FOW_PERM_MANAGE_VOUCHERS", "FOW_PERM_MANAGE_LABS", "FOW_PERM_STAFF_LABS", "FOW_PERM_BOOK_GROUPS"},
    "analyst": {"FOW_PERM_READ_PERSONAL", "FOW_PERM_IMPORT_EMPLOYMENT", "FOW_PERM_READ_PROGRAMME"},
    "counsellor": {"FOW_PERM_READ_PERSONAL", "FOW_PERM_MANAGE_PEOPLE", "FOW_PERM_RUN_COHORTS",
                   "FOW_PERM_REVOKE_CREDENTIALS"},
    "programme_manager": {"FOW_PERM_APPROVE_MODULES", "FOW_PERM_READ_PROGRAMME", "FOW_PERM_MANAGE_CALLS",
                          "FOW_PERM_REVOKE_CREDENTIALS"},
    "provider": {"FOW_PERM_MANAGE_MODULES", "FOW_PERM_RUN_COHORTS", "FOW_PERM_REVOKE_CREDENTIALS"},
    "person": {"FOW_PERM_READ_OWN_RECORD"},
    "juror": {"FOW_PERM_SCORE_APPLICATIONS"},
    "voucher_office": {"FOW_PERM_MANAGE_VOUCHERS", "FOW_PERM_READ_PROGRAMME"},
    "lab_manager": {"FOW_PERM_MANAGE_LABS", "FOW_PERM_STAFF_LABS", "FOW_PERM_BOOK_GROUPS"},
    "lab_staff": {"FOW_PERM_STAFF_LABS"},
    "teacher": {"FOW_PERM_BOOK_GROUPS"},
}
USERS = {"admin": "alice", "counsellor": "bob", "analyst": "erin", "programme_manager": "pam", "provider": "prue",
         "person": "pat", "juror": "jules", "voucher_office": "vera",
         "lab_manager": "lara", "lab_staff": "stan", "teacher": "tess"}
ORGANISATION = "AJOFM Demo"
# routes that would end the session or change what the run relies on: asked as nobody only
ONLY_ANONYMOUS = {("POST", "/api/v1/auth/logout")}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def code_permissions(root):
    """{role: {FOW_PERM_...}} as role_permissions in src/accounts/fow_accounts.c gives them."""
    with open(os.path.join(root, "src", "accounts", "fow_accounts.c"), encoding="utf-8") as f:
        text = f.read()
    table = re.search(r"role_permissions\[[^]]*\]\s*=\s*\{(.*?)\n\};", text, re.S).group(1)
    out = {}
    for role, perms in re.findall(r"\[FOW_ROLE_(\w+)\]\s*=\s*([^\[]*?)(?=,\s*\[FOW_ROLE_|,?\s*$)", table, re.S):
        if role != "NONE":
            out[role.lower()] = set(re.findall(r"PERM\((FOW_PERM_\w+)\)", perms))
    return out


def check_declared_permissions(root):
    """A list of the differences between ROLE_PERMISSIONS and the code's table (empty when they agree)."""
    code = code_permissions(root)
    problems = []
    for role in sorted(set(code) | set(ROLE_PERMISSIONS)):
        if code.get(role) != ROLE_PERMISSIONS.get(role):
            problems.append("role %s: the code allows %s, the test declares %s" %
                            (role, sorted(code.get(role, ())), sorted(ROLE_PERMISSIONS.get(role, ()))))
    if set(USERS) != set(ROLE_PERMISSIONS):
        problems.append("USERS has no user of every role: %s" % sorted(set(ROLE_PERMISSIONS) - set(USERS)))
    return problems


def person_add(fow, db, *args):
    """`fow person add ARGS`: the new person's id."""
    return re.search(r"\bp[a-z2-7]{26}\b", run_fow(fow, db, "person", "add", *args)).group(0)


def demo_with_users(fow, demo, work):
    """work/fow.db: the demo data (as `make demo-db` imports it, with the learning catalogue), a person of
    ORGANISATION and a user of each role of USERS with the password PASSWORD: the counsellor of ORGANISATION,
    the provider's account linked to the catalogue's first provider, the person's to that person. Returns its
    path."""
    db = os.path.join(work, "fow.db")
    import_demo(fow, db, demo)
    run_fow(fow, db, "import", "modules", os.path.join(demo, "modules.csv"), "--source", "fow demo data: modules")
    modules = json.loads(run_fow(fow, db, "modules", "--json"))["modules"]
    provider = min(m["provider"]["id"] for m in modules)
    person = person_add(fow, db, "--organisation", ORGANISATION, "--area", "Cluj-Napoca")
    pw = os.path.join(work, "pw")
    with open(pw, "w") as f:
        f.write(PASSWORD + "\n")
    links = {"provider": ["--provider", str(provider)], "person": ["--person", person],
             "counsellor": ["--organisation", ORGANISATION]}
    for role, name in USERS.items():
        run_fow(fow, db, "user", "add", name, "--role", role, "--password-file", pw, *links.get(role, []))
    return db


def access_table(root):
    """(method, pattern, access, permission, csrf_exempt) of every row of the route tables in src/http."""
    rows = []
    hdir = os.path.join(root, "src", "http")
    for name in sorted(os.listdir(hdir)):
        if not name.endswith(".c"):
            continue
        with open(os.path.join(hdir, name), encoding="utf-8") as f:
            text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
        for row in re.findall(r"\{\s*\.method\s*=.*?\}\s*,?\s*\n", text, re.S):
            m = re.search(r'\.method\s*=\s*"(\w+)"', row)
            p = re.search(r'\.pattern\s*=\s*"([^"]+)"', row)
            a = re.search(r"\.access\s*=\s*(\w+)", row)
            if m and p and a:
                perm = re.search(r"\.permission\s*=\s*(\w+)", row)
                also = re.search(r"\.also_permission\s*=\s*(\w+)", row)  # either of two permissions opens it
                perms = "|".join(x.group(1) for x in (perm, also) if x) or None
                exempt = re.search(r"\.csrf_exempt\s*=\s*true", row) is not None
                rows.append((m.group(1), p.group(1), a.group(1), perms, exempt))
    return rows


def expected(access, perm, role):
    """What a route of access and permission must answer role ("nobody" for no session): "401", "403" or
    "allowed" (neither, nor a 5xx)."""
    if access == "HTTP_PUBLIC":
        return "allowed"
    if role == "nobody":
        return "401"
    if access == "HTTP_SIGNED_IN" or set((perm or "").split("|")) & ROLE_PERMISSIONS[role]:
        return "allowed"
    return "403"


def matrix_cases(table, roles):
    """Every case of the matrix: (method, pattern, access, perm, role, wrong_csrf, want). Each route is asked
    as nobody and as each role; each write route again as each role with a wrong CSRF token, which must be a 403
    unless the route is exempt from CSRF (then it is judged as with the right token)."""
    cases = []
    for method, pattern, access, perm, exempt in table:
        for role in ["nobody"] + sorted(roles):
            if role != "nobody" and (method, pattern) in ONLY_ANONYMOUS:
                continue
            cases.append((method, pattern, access, perm, role, False, expected(access, perm, role)))
        if method in WRITE_METHODS:
            for role in sorted(roles):
                want = expected(access, perm, role) if exempt else "403"
                cases.append((method, pattern, access, perm, role, True, want))
    return cases


def confirmation_code(r):
    """True when r is the refusal of a fresh confirmation (error.code auth.confirmation_required or
    auth.confirmation_failed), which only a caller allowed by the route's permission can reach."""
    try:
        code = (json.loads(r.body or b"{}").get("error") or {}).get("code") or ""
    except ValueError:
        return False
    return code in ("auth.confirmation_required", "auth.confirmation_failed")


def matrix_round(port, table, sessions, t):
    for method, pattern, access, perm, role, wrong_csrf, want in matrix_cases(table, sessions):
        path = fill_pattern(pattern, {"id": "4222.D1", "code": "4222", "name": "nobody-here", "job": "j999999"})
        body = b"{}" if method in ("POST", "PUT", "PATCH") else None
        if pattern == "/api/v1/imports/files":
            body = b""  # an empty upload: refused after the access check, nothing kept
        headers = {"Content-Type": "application/json"}
        if role != "nobody":
            headers.update(sessions[role].headers)
        if wrong_csrf:
            headers["X-CSRF-Token"] = "A" * 43
        r = request(port, method, path, body, headers, timeout=20)
        t.add("matrix requests")
        # a route that moves money asks the caller who passed its door for their password again: a 403 whose
        # error code is auth.confirmation_* is that, not a refusal of the role (docs/vouchers.md)
        confirming = r.status == 403 and confirmation_code(r)
        if want == "allowed":
            ok = r.status not in (401, 403) or (confirming and not wrong_csrf)
        else:
            ok = r.status == int(want) and not confirming
        if r.status >= 500:
            ok = False
        if ok:
            t.add("matrix cases passed")
        else:
            t.add("matrix cases failed")
            t.problem("access: %s %s as %s%s: %d, wanted %s" % (method, path, role,
                                                                 " with a wrong CSRF token" if wrong_csrf else "",
                                                                 r.status, want))


# ---- the run ----------------------------------------------------------------------------------------------------


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def database_state(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        try:
            gen, stamp = con.execute("SELECT generation, stamp FROM data_version WHERE id = 1").fetchone()
        except sqlite3.OperationalError:  # a database before schema version 4 (to run this on old servers)
            gen, stamp = -1, None
        n = con.execute("SELECT count(*) FROM occupations").fetchone()[0]
    finally:
        con.close()
    return gen, stamp, n


def main():
    args = sys.argv[1:]
    seconds, matrix = 6.0, False
    if "--seconds" in args:
        i = args.index("--seconds")
        seconds = float(args[i + 1])
        del args[i:i + 2]
    if "--matrix" in args:
        matrix = True
        args.remove("--matrix")
    fow = os.path.abspath(args[0])
    root = os.path.abspath(args[1]) if len(args) > 1 else os.path.abspath(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    demo = os.environ.get("FOW_DEMO") or os.path.join(root, "data", "demo")
    work = tempfile.mkdtemp(prefix="fow-race-test-")
    s = None
    try:
        db = demo_with_users(fow, demo, work)
        s = Server(fow, db, work, "race", rate_limit=0)
        sessions = {role: Session(s.port, name) for role, name in USERS.items()}
        demo_files = read_bundle(demo)
        bundles = [variant_of(demo_files), demo_files]
        table = access_table(root) if matrix else []
        if matrix:
            equal(len(table), len(route_table(root)), "the access matrix has every route of the route tables")
        rss_start = rss_kib(s.proc.pid)
        t = Tally()
        stop = threading.Event()
        threads = [threading.Thread(target=importer, args=(s, s.port, sessions["admin"], bundles, stop, t)),
                   threading.Thread(target=signaller, args=(s, stop, t))]
        threads += [threading.Thread(target=stats_reader, args=(s.port, stop, t)) for _ in range(2)]
        threads += [threading.Thread(target=transitions_reader, args=(s.port, stop, t)) for _ in range(2)]
        for th in threads:
            th.start()
        end = time.time() + seconds
        next_matrix = time.time()
        while time.time() < end:
            if matrix and time.time() >= next_matrix:
                matrix_round(s.port, table, sessions, t)
                t.add("matrix rounds")
                next_matrix = time.time() + 1.0
            time.sleep(0.05)
        stop.set()
        for th in threads:
            th.join(120)
            check(not th.is_alive(), "a racing thread ended")
        # settle: the importer's last job is done and a last SIGHUP is handled
        s.signal(signal.SIGHUP)
        time.sleep(0.5)
        gen, stamp, n = database_state(db)
        r = request(s.port, "GET", "/api/v1/stats")
        j = r.json() or {}
        if stamp is not None:
            equal((j.get("data_version") or {}).get("stamp"), stamp, "after the race the data version in service is "
                  "the database's (generation %d)" % gen)
        equal(j.get("occupations"), n, "after the race the occupations in service are the database's")
        equal(j.get("taxonomy_source"), STATES.get(n), "after the race the taxonomy source is the database's")
        # a `fow import` behind the server's back: the answers stay those of the model in service
        # (its own counts too) until a SIGHUP, then they are all the database's
        other = bundles[0] if j.get("occupations") == 56 else bundles[1]
        folder = os.path.join(work, "other-bundle")
        os.makedirs(folder, exist_ok=True)
        for name, data in other.items():
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data)
        run_fow(fow, db, "import", "bundle", folder)
        # signed in: not from the server's cache of public answers
        after = request(s.port, "GET", "/api/v1/stats", None, sessions["admin"].headers).json() or {}
        for key in ("occupations", "occupation_skill_relations", "taxonomy_source", "data_version"):
            equal(after.get(key), j.get(key), "after a fow import without SIGHUP, stats %s is still the model's" % key)
        s.signal(signal.SIGHUP)
        gen, stamp, n = database_state(db)
        for _ in range(100):
            time.sleep(0.05)
            after = request(s.port, "GET", "/api/v1/stats").json() or {}
            if after.get("occupations") == n:
                break
        equal(after.get("occupations"), n, "after the SIGHUP the occupations are the database's")
        if stamp is not None:
            equal((after.get("data_version") or {}).get("stamp"), stamp, "after the SIGHUP the data version is the "
                  "database's")
        equal(after.get("occupation_skill_relations"), t.relations_of.get(n), "after the SIGHUP the relations are "
              "those of the state with %d occupations" % n)
        # transitions agree with the stats of the same generation
        disagree = [(g, shows) for g, shows in t.transitions
                    if g in t.serial_state and shows != (t.serial_state[g] == 58)]
        check(not disagree, "every transitions answer agrees with its generation's stats: %r" % disagree[:5])
        rss_end = rss_kib(s.proc.pid)
        for p in t.problems:
            check(False, p)
        check(t.n.get("imports done", 0) >= 2, "at least two imports finished: %r" % t.n)
        check(t.n.get("stats", 0) > 0 and t.n.get("transitions", 0) > 0, "the readers were answered: %r" % t.n)
        states = {}
        for n_occ, _ in t.stamp_state.values():
            states[n_occ] = states.get(n_occ, 0) + 1
        print("race: %.0f s; %s; data versions seen %d (%s); generations seen %d; transitions checked %d; "
              "server RSS %s -> %s KiB" % (seconds, ", ".join("%s %d" % kv for kv in sorted(t.n.items())),
                                           len(t.stamp_state), ", ".join("%d occupations: %d" % kv
                                                                       for kv in sorted(states.items())),
                                           len(t.serial_state), len(t.transitions), rss_start, rss_end), flush=True)
    finally:
        if s:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
