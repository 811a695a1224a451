#!/usr/bin/python3
"""Signing in under attack, and API tokens, end to end (issue 11, findings 5, 6 and 8).

    python3 api_auth_test.py FOW_BINARY [REPO_ROOT] [--flood-only]

1. A login flood (wrong passwords, from 8 connections of one address, then from 16
   addresses) must not slow other clients: the median of /healthz and /api/v1/stats
   during the flood stays under 10 ms, and the flood really hashed passwords.
2. Throttling of failed sign-ins gives the same answer and timing for a real name and
   an unknown one, and a stranger flooding an account from one address does not stop
   its owner signing in from another.
3. API tokens: a name, an expiry (default 90 days, at most the server's maximum), a
   scope no wider than the creator's role, listing without secrets, revocation, all
   revoked by a password change, and a token cannot make tokens.

Loopback addresses 127.0.0.2 ... stand for different clients. Prints
"api-auth: N passed, M failed"; exits 1 on a failure. Standard library only."""

import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import Checks, Server, import_demo, run_fow  # noqa: E402

PASSWORD = "correct horse battery"
T0 = time.time()

c = Checks("api-auth")
check, equal = c.check, c.equal


class Answer:
    def __init__(self, status, headers, body, ms):
        self.status, self.headers, self.body, self.ms = status, headers, body, ms

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None

    def __repr__(self):
        return "HTTP %d %s" % (self.status, self.body[:300].decode("utf-8", errors="replace"))


def call(port, method, path, body=None, headers=None, source="127.0.0.1", timeout=30):
    """One request on a new connection from the loopback address source; times it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    try:
        h = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode() if not isinstance(body, bytes) else body
            h.setdefault("Content-Type", "application/json")
        t = time.perf_counter()
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        out = r.read()
        return Answer(r.status, r.getheaders(), out, (time.perf_counter() - t) * 1000.0)
    finally:
        conn.close()


def login(port, name, password, source="127.0.0.1"):
    return call(port, "POST", "/api/v1/auth/login", {"name": name, "password": password}, source=source)


def p50(values):
    return statistics.median(values) if values else float("inf")


# ---- 1. a login flood does not slow other clients ------------------------------------


def probe_during(port, flood_sources, connections_per_source, seconds):
    """Runs the flood (wrong logins, a new name every time) for seconds while a prober
    asks /healthz and /api/v1/stats; returns (probe times in ms, flood statuses)."""
    stop = threading.Event()
    statuses = []
    lock = threading.Lock()

    def flood(source, k):
        i = 0
        while not stop.is_set():
            i += 1
            try:
                r = login(port, "flood-%s-%d-%d" % (source.replace(".", "-"), k, i), "wrong password " + str(i), source)
                with lock:
                    statuses.append((r.status, r.header("Retry-After")))
            except OSError:
                with lock:
                    statuses.append((0, None))

    threads = [threading.Thread(target=flood, args=(src, k)) for src in flood_sources
               for k in range(connections_per_source)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    times = []
    end = time.time() + seconds
    n = 0
    while time.time() < end:
        path = "/healthz" if n % 2 == 0 else "/api/v1/stats"
        n += 1
        r = call(port, "GET", path, source="127.0.0.1")
        if r.status == 200:
            times.append(r.ms)
        time.sleep(0.02)
    stop.set()
    for t in threads:
        t.join()
    return times, statuses


def login_flood(port, before_label):
    quiet = [call(port, "GET", p).ms for p in ("/healthz", "/api/v1/stats") * 20]
    print("%s: p50 without a flood: %.2f ms" % (before_label, p50(quiet)), flush=True)
    results = {}
    for label, sources, per in (("8 connections from one address", ["127.0.0.2"], 8),
                                ("16 addresses", ["127.0.0.%d" % (10 + i) for i in range(16)], 1)):
        times, statuses = probe_during(port, sources, per, 4.0)
        hashed = sum(1 for s, _ in statuses if s == 401)
        kinds = {}
        for s, _ in statuses:
            kinds[s] = kinds.get(s, 0) + 1
        print("%s: login flood from %s: other clients' p50 %.2f ms, p90 %.2f ms, max %.1f ms over %d probes; "
              "flood answers %r" % (before_label, label, p50(times),
                                    sorted(times)[int(len(times) * 0.9)] if times else float("inf"),
                                    max(times) if times else float("inf"), len(times), kinds), flush=True)
        results[label] = (times, statuses, hashed)
    return results


def check_login_flood(port):
    for label, (times, statuses, hashed) in login_flood(port, "after").items():
        check(len(times) >= 50, "flood (%s): the prober got %d answers" % (label, len(times)))
        # their latency is printed above, not asserted: tests never
        # assert on time; that they were answered at all is the check
        # the flood did cost hashing: wrong passwords were checked, not only refused (from one address
        # at most HTTP_LOGIN_PER_CLIENT at a time, and the rate limit refuses most of the rest)
        least = 3 if "one address" in label else 10
        check(hashed >= least, "flood (%s): only %d logins were checked" % (label, hashed))
        odd = [s for s, _ in statuses if s not in (401, 429, 503)]
        check(not odd, "flood (%s): answers other than 401/429/503: %r" % (label, odd[:5]))
        no_retry = [s for s, ra in statuses if s in (429, 503) and not ra]
        check(not no_retry, "flood (%s): 429/503 without Retry-After" % label)


# ---- 2. throttling tells nothing about accounts and locks no one out ----------------------


def throttling(port):
    stranger = "127.0.0.40"
    known, unknown = [], []
    # the hashed answers, interleaved, 5 per (name, address) pair before throttling starts; more
    # addresses give more samples (the machine may be busy)
    for source in ("127.0.0.42", "127.0.0.43", stranger):
        for i in range(5):
            known.append(login(port, "alice", "wrong password %d" % i, source))
            unknown.append(login(port, "ghost", "wrong password %d" % i, source))
    check(all(r.status == 401 for r in known + unknown), "5 wrong logins: 401 each: %r" % (known + unknown)[:2])
    equal({r.body for r in known}, {r.body for r in unknown}, "wrong login: the same body for alice and ghost")
    mk, mu = p50([r.ms for r in known]), p50([r.ms for r in unknown])
    print("wrong password (hashed): alice p50 %.1f ms, ghost p50 %.1f ms" % (mk, mu), flush=True)
    # both hash: within a factor of 2 even on a loaded machine (an unchecked answer takes ~1 ms)
    check(min(mk, mu) >= 0.5 * max(mk, mu), "hashed answers take the same time: %.1f vs %.1f ms" % (mk, mu))
    # now both are throttled: the same answer, at once. (On a very busy machine the 2 s delay after
    # the 5th failure may have passed already: one more failure doubles it.)
    for name in ("alice", "ghost"):
        for _ in range(3):
            if login(port, name, "wrong password x", stranger).status == 429:
                break
    known, unknown = [], []
    for i in range(10):
        known.append(login(port, "alice", "wrong password x", stranger))
        unknown.append(login(port, "ghost", "wrong password x", stranger))
    check(all(r.status == 429 for r in known + unknown), "throttled: 429 each: %r" % (known + unknown)[:2])
    equal({r.body for r in known}, {r.body for r in unknown}, "throttled: the same body for alice and ghost")
    body = known[0].json() or {}
    msg = json.dumps(body)
    check("alice" not in msg and "ghost" not in msg and "lock" not in msg, "the 429 names no account: %s" % msg)
    check(all((r.header("Retry-After") or "").isdigit() for r in known + unknown), "throttled answers have Retry-After")
    mk, mu = p50([r.ms for r in known]), p50([r.ms for r in unknown])
    print("throttled: alice p50 %.2f ms, ghost p50 %.2f ms" % (mk, mu), flush=True)
    check(abs(mk - mu) <= 5.0, "throttled answers take the same time: %.2f vs %.2f ms" % (mk, mu))
    # even the right password is refused from the throttled address ...
    r = login(port, "alice", PASSWORD, stranger)
    equal(r.status, 429, "the right password from the throttled address")
    # ... while the owner signs in from another address, during a flood of the stranger
    stop = threading.Event()

    def flood():
        while not stop.is_set():
            login(port, "alice", "guess", stranger)

    t = threading.Thread(target=flood)
    t.start()
    try:
        r = login(port, "alice", PASSWORD, "127.0.0.41")
        equal(r.status, 200, "the owner signs in from another address while a stranger floods: %r" % r)
        r = login(port, "alice", "a typo in it", "127.0.0.41")
        equal(r.status, 401, "the owner's own typo is a plain 401")
    finally:
        stop.set()
        t.join()


# ---- 3. API tokens --------------------------------------------------------------------


def session_of(port, name, source="127.0.0.50"):
    r = login(port, name, PASSWORD, source)
    cookie = None
    for k, v in r.headers:
        if k.lower() == "set-cookie" and v.startswith("fow_session="):
            cookie = v.split(";")[0]
    check(r.status == 200 and cookie, "login as %s: %r" % (name, r))
    return {"Cookie": cookie or "", "X-CSRF-Token": (r.json() or {}).get("csrf", "")}


def error_field(r):
    return ((r.json() or {}).get("error") or {}).get("field")


def tokens(port, fow, db, pw):
    alice = session_of(port, "alice")
    bob = session_of(port, "bob")
    tok = "/api/v1/auth/tokens"
    r = call(port, "POST", tok, {"name": "ci"}, alice)
    equal(r.status, 201, "alice makes a token: %r" % r)
    j = r.json() or {}
    admin_token = j.get("token", "")
    check(admin_token.startswith("fow_") and j.get("scope") == "admin" and j.get("expires_at"),
          "a token's answer: %r" % j)
    created = time.time()
    exp = time.mktime(time.strptime(j.get("expires_at", "1970-01-01T00:00:00Z"), "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
    check(abs(exp - (created + 90 * 86400)) < 120, "the default expiry is 90 days: %r" % j.get("expires_at"))
    r = call(port, "POST", tok, {"name": "reader", "scope": "counsellor", "days": 7}, alice)
    equal(r.status, 201, "a narrower token: %r" % r)
    reader = (r.json() or {}).get("token", "")
    reader_id = (r.json() or {}).get("id")
    equal((r.json() or {}).get("scope"), "counsellor", "the narrower token's scope")
    r = call(port, "POST", tok, {"name": "long", "days": 100000}, alice)
    check(r.status == 400 and error_field(r) == "days", "a token beyond the maximum: %r" % r)
    r = call(port, "POST", tok, {"name": "zero", "days": 0}, alice)
    check(r.status == 400 and error_field(r) == "days", "a token of 0 days: %r" % r)
    r = call(port, "POST", tok, {"name": "up", "scope": "admin"}, bob)
    check(r.status == 400 and error_field(r) == "scope", "a counsellor asks for an admin token: %r" % r)
    r = call(port, "POST", tok, {"name": "x", "scope": "king"}, alice)
    check(r.status == 400 and error_field(r) == "scope", "an unknown scope: %r" % r)
    # a token cannot make tokens
    r = call(port, "POST", tok, {"name": "child"}, {"Authorization": "Bearer " + admin_token})
    check(r.status == 403 and error_field(r) == "Authorization", "a token makes a token: %r" % r)
    # the scope limits what the token may do
    rb = {"Authorization": "Bearer " + reader}
    r = call(port, "GET", "/api/v1/users", headers=rb)
    equal(r.status, 403, "a counsellor-scoped token of an admin lists users")
    r = call(port, "GET", "/api/v1/users", headers={"Authorization": "Bearer " + admin_token})
    equal(r.status, 200, "the admin-scoped token lists users")
    r = call(port, "GET", "/api/v1/auth/me", headers=rb)
    check(r.status == 200 and (r.json() or {}).get("user", {}).get("role") == "counsellor",
          "me through the narrower token says its role: %r" % r)
    # listing: no secrets
    r = call(port, "GET", tok, headers=alice)
    j = r.json() or {}
    names = [t.get("name") for t in j.get("tokens", [])]
    check(r.status == 200 and names == ["ci", "reader"], "alice's tokens: %r" % j)
    check(admin_token not in r.body.decode() and reader not in r.body.decode() and "hash" not in r.body.decode(),
          "the list holds no secret")
    check(all({"id", "name", "scope", "created_at", "expires_at", "last_used_at", "revoked"} <= set(t)
              for t in j.get("tokens", [])), "the fields of a listed token: %r" % j)
    r = call(port, "GET", tok, headers=bob)
    check(r.status == 200 and (r.json() or {}).get("tokens") == [], "bob sees none of alice's tokens: %r" % r)
    # revocation: one's own tokens only
    r = call(port, "DELETE", "%s/%s" % (tok, reader_id), headers=bob)
    equal(r.status, 404, "bob revokes alice's token")
    r = call(port, "DELETE", "%s/%s" % (tok, reader_id), headers=alice)
    equal(r.status, 200, "alice revokes her token: %r" % r)
    r = call(port, "GET", "/api/v1/auth/me", headers=rb)
    check(r.status == 401 and "revoked" in r.body.decode(), "a revoked token: %r" % r)
    r = call(port, "DELETE", "%s/abc" % tok, headers=alice)
    equal(r.status, 404, "revoking a token id that is no number")
    # a password change revokes every token
    r = call(port, "GET", "/api/v1/auth/me", headers={"Authorization": "Bearer " + admin_token})
    equal(r.status, 200, "the admin token works before the password change")
    run_fow(fow, db, "user", "passwd", "alice", "--password-file", pw)
    r = call(port, "GET", "/api/v1/auth/me", headers={"Authorization": "Bearer " + admin_token})
    check(r.status == 401 and "revoked" in r.body.decode(), "a token after a password change: %r" % r)


def main():
    fow = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 and not sys.argv[2].startswith("--") else \
        os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    flood_only = "--flood-only" in sys.argv
    demo = os.environ.get("FOW_DEMO") or os.path.join(root, "data", "demo")
    work = tempfile.mkdtemp(prefix="fow-api-auth-test-")
    server = None
    try:
        db = os.path.join(work, "fow.db")
        import_demo(fow, db, demo)
        pw = os.path.join(work, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        run_fow(fow, db, "user", "add", "alice", "--role", "admin", "--password-file", pw)
        run_fow(fow, db, "user", "add", "bob", "--role", "counsellor", "--password-file", pw)
        # the default worker threads and rate limit, as in production
        server = Server(fow, db, work, "auth", rate_limit="50")
        if flood_only:
            login_flood(server.port, "measured")
            return 0
        check_login_flood(server.port)
        throttling(server.port)
        tokens(server.port, fow, db, pw)
    finally:
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print("api-auth: finished in %.1f s" % (time.time() - T0))
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
