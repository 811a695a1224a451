"""How `fow serve` holds against a hostile client (issue 11, findings 1, 4, 7, 9, 10):

- uploads: no body is read before the caller is known and allowed (401 / 403 at once, connection
  closed, nothing written), per-role quotas, the uploads folder next to the database emptied of
  what crashed servers left, and a full device named as such (507);
- framing: Content-Length with Transfer-Encoding, differing Content-Lengths, unknown transfer
  encodings and HTTP/1.1 without Host are refused at once, and no request smuggled in their body
  is served;
- slow connections: 1,100 connections from one address sending a header line every few seconds
  do not stop service for another address;
- headers: the content security policy and its companions, Secure cookies behind a trusted proxy.

Raw sockets (python3 standard library only). Usage: http_hardening_test.py FOW REPO_ROOT"""

import fcntl
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_common import SERVING, Checks, Server, run_fow  # noqa: E402

FOW = os.path.abspath(sys.argv[1])
ROOT = os.path.abspath(sys.argv[2])
WEB = os.path.join(ROOT, "web")
T = Checks("http_hardening")
check, equal = T.check, T.equal

PASSWORD = "a-long-test-password-11"
UPLOAD = "/api/v1/imports/files?name=a.csv"
# not anchored to a line: a second answer follows the first one's body directly
STATUS_LINE = re.compile(rb"HTTP/1\.[01] (\d{3}) ")


# ---- raw connections -------------------------------------------------------------------------


def connect(port, source="127.0.0.1", timeout=10):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    return s


def read_all(s, timeout=10):
    """What the server sends until it closes (closed True) or timeout seconds pass."""
    s.settimeout(timeout)
    out, closed = b"", False
    try:
        while True:
            c = s.recv(65536)
            if not c:
                closed = True
                break
            out += c
    except socket.timeout:
        pass
    except OSError:
        closed = True
    return out, closed


def exchange(port, data, timeout=10):
    """Sends data, reads until the server closes: (statuses of every answer, bytes, closed)."""
    s = connect(port, timeout=timeout)
    try:
        s.sendall(data)
        out, closed = read_all(s, timeout)
    finally:
        s.close()
    return [int(m) for m in STATUS_LINE.findall(out)], out, closed


def push(s, total, piece=1 << 20):
    """Sends up to total zero bytes; returns how many the kernel took before the server refused."""
    block, sent = b"\0" * piece, 0
    s.settimeout(5)
    try:
        while sent < total:
            n = s.send(block[: min(piece, total - sent)])
            if n <= 0:
                break
            sent += n
    except OSError:
        pass
    return sent


def head(method, path, headers, version="HTTP/1.1"):
    lines = ["%s %s %s" % (method, path, version)] + ["%s: %s" % kv for kv in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def files_in(folder):
    """Every file under folder (relative paths), without the servers' lock files."""
    found = []
    for d, _, names in os.walk(folder):
        for n in names:
            if n != "lock":
                found.append(os.path.relpath(os.path.join(d, n), folder))
    return sorted(found)


def bytes_in(folder):
    return sum(os.path.getsize(os.path.join(d, n)) for d, _, names in os.walk(folder) for n in names)


# ---- accounts ----------------------------------------------------------------------------------


def login(s, name):
    """(the session's headers with its CSRF token, the Set-Cookie header)."""
    r = s.post_json("/api/v1/auth/login", {"name": name, "password": PASSWORD})
    check(r.status == 200, "login %s: %r" % (name, r))
    cookie = r.header("Set-Cookie") or ""
    m = re.match(r"fow_session=([^;]*)", cookie)
    token = m.group(1) if m else ""
    return [("Cookie", "fow_session=" + token), ("X-CSRF-Token", (r.json() or {}).get("csrf", ""))], cookie


# ---- finding 1 and 10: uploads ----------------------------------------------------------------


def uploads(s, db):
    folder = db + ".uploads"
    port = s.port
    host = [("Host", "127.0.0.1")]
    check(os.path.isdir(folder), "the uploads folder is next to the database: %s" % folder)

    # nobody: 401 before the body, the connection closed, nothing written
    c = connect(port)
    c.sendall(head("POST", UPLOAD, host + [("Content-Length", "300000000")]))
    out, closed = read_all(c, 10)
    statuses = [int(m) for m in STATUS_LINE.findall(out)]
    equal(statuses, [401], "an upload without credentials is refused before its body")
    check(closed, "and the connection is closed after the answer")
    sent = push(c, 300000000)
    c.close()
    check(sent < 32 << 20, "the server took no 300 MB body: %d bytes went out before it refused" % sent)
    equal(files_in(folder), [], "nothing was written for it")

    # the same, the body sent right behind the headers (as a client that does not wait would)
    c = connect(port)
    c.sendall(head("POST", UPLOAD, host + [("Content-Length", "300000000")]))
    result = {}
    pusher = threading.Thread(target=lambda: result.update(sent=push(c, 300000000)))
    pusher.start()
    pusher.join(60)
    c.close()
    check(result.get("sent", 1 << 40) < 64 << 20,
          "a body streamed behind the headers is cut off: %r bytes of 300 MB went out" % result.get("sent"))
    equal(files_in(folder), [], "nothing was written for the streamed body")
    check(bytes_in(folder) == 0, "the uploads folder holds %d bytes" % bytes_in(folder))

    # chunked, without credentials
    statuses, out, closed = exchange(port, head("POST", UPLOAD, host + [("Transfer-Encoding", "chunked")]) +
                                     b"100000\r\n" + b"\0" * 4096)
    equal(statuses, [401], "a chunked upload without credentials: 401 at once")
    check(closed, "the chunked one's connection is closed too")

    admin, _ = login(s, "admin")
    analyst, _ = login(s, "analyst")
    counsellor, _ = login(s, "counsellor")

    # the wrong role: 403 before the body
    statuses, out, closed = exchange(port, head("POST", UPLOAD, host + counsellor + [("Content-Length", "300000000")]))
    equal(statuses, [403], "a counsellor's upload is refused before its body")
    check(b'"role"' in out and closed, "the 403 names the role and closes: %r" % out[-200:])
    # a session without its CSRF token: 403 before the body
    statuses, out, closed = exchange(port, head("POST", UPLOAD, host + analyst[:1] + [("Content-Length", "300000000")]))
    equal(statuses, [403], "an upload without the CSRF token is refused before its body")
    check(b"X-CSRF-Token" in out and closed, "the 403 names the CSRF token: %r" % out[-200:])
    # a body too large for the route: 413 before it
    statuses, out, closed = exchange(port, head("POST", UPLOAD, host + admin + [("Content-Length", "600000000")]))
    equal(statuses, [413], "an upload larger than the largest accepted: 413 before its body")
    equal(files_in(folder), [], "no file for the refused uploads")

    # an allowed upload lands in the server's folder next to the database
    body = b"code,label\n1,a\n"
    statuses, out, _ = exchange(port, head("POST", UPLOAD, host + admin + [("Content-Length", str(len(body))),
                                                                           ("Connection", "close")]) + body)
    equal(statuses, [201], "an admin's upload is kept: %r" % out[-200:])
    kept = files_in(folder)
    check(len(kept) == 1 and kept[0].startswith("server-") and kept[0].endswith("-a.csv"),
          "the upload is in <db>.uploads/server-*/: %r" % kept)

    # quotas: an analyst may have 1 GiB arriving and waiting; two 500 MB uploads in flight leave no room
    held = []
    for _ in range(2):
        c = connect(port)
        c.sendall(head("POST", UPLOAD, host + analyst + [("Content-Length", "500000000")]))
        held.append(c)
    time.sleep(0.3)
    statuses, out, closed = exchange(port, head("POST", UPLOAD, host + analyst + [("Content-Length", "100000000")]))
    equal(statuses, [413], "a third upload beyond the analyst's quota: 413 at once")
    check(b"quota" in out and b"analyst" in out, "the 413 names the quota and the role: %r" % out[-300:])
    # another user's quota is their own
    statuses, out, _ = exchange(port, head("POST", UPLOAD, host + admin + [("Content-Length", "3"),
                                                                           ("Connection", "close")]) + b"a,b")
    equal(statuses, [201], "the admin uploads while the analyst is at the quota")
    for c in held:
        c.close()
    # the aborted uploads give their reservation back: the server then waits for the body
    ok = False
    for _ in range(50):
        c = connect(port)
        c.sendall(head("POST", UPLOAD, host + analyst + [("Content-Length", "100000000")]))
        out, closed = read_all(c, 0.5)
        c.close()
        if not out and not closed:
            ok = True
            break
        time.sleep(0.1)
    check(ok, "after the aborted uploads the analyst has room again: %r" % out[-200:])
    for _ in range(50):
        if not [f for f in files_in(folder) if "incoming" in f]:
            break
        time.sleep(0.1)
    check(not [f for f in files_in(folder) if "incoming" in f], "no half uploads left: %r" % files_in(folder))


def leftovers(fow, db, workdir):
    """A crashed server's folder, stray files, and the folder of a server still running."""
    folder = db + ".uploads"
    s = Server(fow, db, workdir, "crashing", extra=("--web", WEB))
    admin, _ = login(s, "admin")
    statuses, _, _ = exchange(s.port, head("POST", UPLOAD, [("Host", "x")] + admin +
                                           [("Content-Length", "4"), ("Connection", "close")]) + b"a,b\n")
    equal(statuses, [201], "an upload before the crash")
    crashed = [n for n in os.listdir(folder) if n.startswith("server-")]
    s.proc.kill()
    s.proc.wait()
    s.stop()
    check(len(crashed) == 1 and files_in(os.path.join(folder, crashed[0])),
          "the killed server left its folder with the upload: %r" % crashed)
    # an old folder without a lock, a stray file, and a folder whose lock is held (a live server)
    os.makedirs(os.path.join(folder, "server-old"))
    with open(os.path.join(folder, "server-old", "u1-x.csv"), "w") as f:
        f.write("x")
    with open(os.path.join(folder, "incoming-stray"), "w") as f:
        f.write("y")
    live = os.path.join(folder, "server-live")
    os.makedirs(live)
    lock = open(os.path.join(live, "lock"), "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    with open(os.path.join(live, "u2-y.csv"), "w") as f:
        f.write("z")
    s2 = Server(fow, db, workdir, "after-crash", extra=("--web", WEB))
    try:
        left = sorted(os.listdir(folder))
        check(crashed[0] not in left, "the crashed server's folder is removed at start: %r" % left)
        check("server-old" not in left and "incoming-stray" not in left, "old folders and stray files too: %r" % left)
        check("server-live" in left and os.path.exists(os.path.join(live, "u2-y.csv")),
              "a folder whose lock is held (a server still running) stays: %r" % left)
        equal(len([n for n in left if n.startswith("server-")]), 2, "the live one and the new server's own")
    finally:
        s2.stop()
        lock.close()
    left = sorted(os.listdir(folder))
    check("server-live" in left and len(left) == 1, "a server removes its own folder when it stops: %r" % left)
    shutil.rmtree(live)


def disk_full(fow, db, workdir):
    """The uploads on a device of 3 MB (a tmpfs in a mount namespace of its own): 507 naming the cause."""
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    if probe.returncode != 0:
        print("NOTE: unshare -rm is not allowed here: the full-device case did not run (%s)" %
              probe.stderr.decode(errors="replace").strip(), flush=True)
        return
    small = os.path.join(workdir, "small")
    os.makedirs(small)
    script = ('mount -t tmpfs -o size=3m fow-small "$1" && cp "$2" "$1/fow.db" && '
              'exec "$3" --db "$1/fow.db" serve --listen 127.0.0.1:0 --web "$4" --rate-limit 0 --access-log none')
    proc = subprocess.Popen(["unshare", "-rm", "sh", "-c", script, "sh", small, db, fow, WEB],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        port = None
        deadline = time.time() + 30
        while port is None and time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            m = SERVING.search(line.decode(errors="replace"))
            port = int(m.group(1)) if m else None
        if not check(port, "the server on a small device started: %r" % proc.stderr.read(2000) if port is None else ""):
            return

        class At:
            pass

        at = At()
        at.port = port
        at.post_json = lambda path, value, headers=None: Server.post_json(at, path, value, headers)
        at.request = lambda *a, **k: Server.request(at, *a, **k)
        admin, _ = login(at, "admin")
        host = [("Host", "x")]
        four_mb = 4 << 20
        statuses, out, closed = exchange(port, head("POST", UPLOAD, host + admin + [("Content-Length", str(four_mb))]))
        equal(statuses, [507], "4 MB announced for a device with less free: 507 at once")
        check(b"no space left on the device" in out and b"larger than" not in out,
              "the answer names the full device, not a size limit: %r" % out[-300:])
        # chunked: the device fills while it arrives
        body = b"".join(b"%x\r\n%s\r\n" % (65536, b"\0" * 65536) for _ in range(four_mb // 65536)) + b"0\r\n\r\n"
        statuses, out, _ = exchange(port, head("POST", UPLOAD, host + admin + [("Transfer-Encoding", "chunked"),
                                                                               ("Connection", "close")]) + body, 30)
        equal(statuses, [507], "a chunked 4 MB upload filling the device: 507")
        check(b"no space left on the device" in out, "naming the full device: %r" % out[-300:])
        # what it wrote is gone: a small upload fits again
        statuses, out, _ = exchange(port, head("POST", UPLOAD, host + admin + [("Content-Length", "4"),
                                                                               ("Connection", "close")]) + b"a,b\n")
        equal(statuses, [201], "after the failed upload its bytes are freed: %r" % out[-200:])
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


# ---- finding 9: framing ----------------------------------------------------------------------------

SMUGGLED = b"GET /api/v1/smuggled HTTP/1.1\r\nHost: x\r\n\r\n"


def framing(s):
    port = s.port
    cases = [
        ("Content-Length and Transfer-Encoding", 400,
         b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n"
         b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED),
        ("Transfer-Encoding and Content-Length", 400,
         b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 45\r\n"
         b"Content-Type: application/json\r\n\r\n0\r\n\r\n" + SMUGGLED),
        ("a GET with both", 400,
         b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
         SMUGGLED),
        ("two different Content-Lengths", 400,
         b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
         b"Content-Length: 46\r\n\r\n{}" + SMUGGLED),
        ("a list as Content-Length", 400,
         b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2, 46\r\n"
         b"\r\n{}" + SMUGGLED),
        ("a signed Content-Length", 400,
         b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: +2\r\n"
         b"\r\n{}" + SMUGGLED),
        ("HTTP/1.1 without Host", 400, b"GET /healthz HTTP/1.1\r\n\r\n" + SMUGGLED),
        ("two Host headers", 400, b"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" + SMUGGLED),
        ("Transfer-Encoding: gzip", 501,
         b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         b"Transfer-Encoding: gzip\r\n\r\n{}" + SMUGGLED),
        ("Transfer-Encoding: gzip, chunked", 501,
         b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         b"Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" + SMUGGLED),
        ("two Transfer-Encoding headers", 501,
         b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         b"Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n" + SMUGGLED),
    ]
    for name, want, data in cases:
        started = time.time()
        statuses, out, closed = exchange(port, data, timeout=10)
        took = time.time() - started
        # libmicrohttpd answers a Content-Length that is not a number itself, its status line twice
        check(statuses and set(statuses) == {want}, "%s: only %d: got %r" % (name, want, statuses))
        check(closed and took < 10, "%s: answered and closed at once (%.2f s)" % (name, took))
        check(b"smuggled" not in out, "%s: the smuggled request is not served" % name)
    # the counting sees a second request where there is one: two pipelined requests, two answers
    statuses, out, _ = exchange(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + SMUGGLED.replace(
        b"HTTP/1.1\r\n", b"HTTP/1.1\r\nConnection: close\r\n", 1), timeout=10)
    equal(statuses, [200, 404], "pipelined requests are both answered (the check can fail)")
    # what is allowed still works: HTTP/1.0 without Host, a plain chunked body
    statuses, _, _ = exchange(port, b"GET /healthz HTTP/1.0\r\n\r\n")
    equal(statuses, [200], "HTTP/1.0 without Host")
    statuses, out, _ = exchange(port, b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                      b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
    equal(statuses, [400], "a chunked body is read (the login then asks for its fields): %r" % out[-200:])
    check(b'"name"' in out, "the chunked body reached the handler: %r" % out[-200:])
    r = s.get("/api/v1/smuggled")
    equal(r.status, 404, "control: the smuggled path is a 404, so a served one would have shown")


# ---- finding 4: slow connections ----------------------------------------------------------------


def slow_connections(fow, db, workdir):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 1100
    if soft < 1500:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(4096, hard), hard))
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft < 1300:
        want = max(100, soft - 200)
        print("NOTE: only %d file descriptors: %d slow connections instead of 1,100" % (soft, want), flush=True)
    s = Server(fow, db, workdir, "slow", extra=("--web", WEB))
    slow = []
    try:
        for i in range(want):
            try:
                c = connect(s.port, "127.0.0.1", timeout=5)
                c.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                slow.append(c)
            except OSError as e:
                print("NOTE: connection %d of the slow client failed: %s" % (i, e), flush=True)
                break
        check(len(slow) >= min(want, 1000), "the slow client opened %d connections" % len(slow))
        latencies, answered = [], 0
        start = time.time()
        rounds = 0
        while time.time() - start < 20:
            time.sleep(4)
            rounds += 1
            for c in slow:
                try:
                    c.send(b"X-Slow: %d\r\n" % rounds)
                except OSError:
                    pass
            t = time.time()
            try:
                p = connect(s.port, "127.0.0.2", timeout=5)
                p.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                out, _ = read_all(p, 5)
                p.close()
                if out.startswith(b"HTTP/1.1 200"):
                    answered += 1
                    latencies.append(time.time() - t)
            except OSError:
                pass
        equal(answered, rounds, "another address is answered every time during the slow connections")
        worst = max(latencies) if latencies else None
        check(worst is not None and worst < 1.0, "each answer in under 1 s (slowest %r s)" % worst)
        print("slow connections: %d from 127.0.0.1; %d probes from 127.0.0.2 answered, slowest %.1f ms" %
              (len(slow), answered, (worst or 0) * 1000), flush=True)
        # the server kept at most its per-address limit of them, and closed those past the header deadline
        still_open = 0
        for c in slow:
            c.setblocking(False)
            try:
                if c.recv(1) == b"":
                    continue
            except BlockingIOError:
                still_open += 1
                continue
            except OSError:
                continue
        equal(still_open, 0, "after 20 s every slow connection was closed (the per-address limit and the header "
                             "deadline)")
    finally:
        for c in slow:
            c.close()
        s.stop()


# ---- finding 7: headers ---------------------------------------------------------------------------------


def headers(fow, db, workdir, s):
    for path in ("/", "/js/main.js", "/api/v1/stats", "/api/v1/no-such"):
        r = s.get(path)
        csp = r.header("Content-Security-Policy") or ""
        check("script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0] and
              "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, "%s: the policy: %r" % (path, csp))
        equal(r.header("X-Content-Type-Options"), "nosniff", "%s: nosniff" % path)
        equal(r.header("X-Frame-Options"), "DENY", "%s: no frames" % path)
        equal(r.header("Referrer-Policy"), "same-origin", "%s: Referrer-Policy" % path)
    # request headers of 8 KB (a long cookie) are taken, request after request on a kept-alive
    # connection (the connection's memory is smaller than libmicrohttpd's default: HTTP_CONNECTION_MEMORY),
    # and far longer ones are refused with 431, the connection then closed
    big = head("GET", "/api/v1/stats", [("Host", "x"), ("Cookie", "c=" + "a" * 8190)])
    statuses, out, _ = exchange(s.port, big * 3 + head("GET", "/healthz", [("Host", "x"), ("Connection", "close")]))
    equal(statuses, [200, 200, 200, 200], "8 KB of request headers, three times on one connection: %r" % out[:200])
    statuses, _, closed = exchange(s.port, head("GET", "/api/v1/stats", [("Host", "x"), ("Cookie", "c=" + "a" * 32768)]))
    check(statuses == [431] and closed, "32 KB of request headers: 431 and the connection closed (%r)" % statuses)
    # no inline script or handler in the pages themselves
    for d, _, names in os.walk(WEB):
        if "node_modules" in d:
            continue
        for n in names:
            if n.endswith(".html"):
                text = open(os.path.join(d, n), encoding="utf-8").read()
                check(not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "%s: a <script> without src" % n)
                check(not re.search(r"\son[a-z]+\s*=", text), "%s: an on… handler attribute" % n)
                check(not re.search(r"\sstyle\s*=", text), "%s: a style attribute" % n)
    _, cookie = login(s, "admin")
    check(cookie and "Secure" not in cookie, "over plain HTTP the cookie is not Secure: %r" % cookie)
    _, cookie = login(_Forwarded(s), "admin")
    check(cookie and "Secure" not in cookie, "X-Forwarded-Proto from an untrusted client is ignored: %r" % cookie)
    p = Server(fow, db, workdir, "proxied", extra=("--web", WEB, "--trusted-proxy", "127.0.0.1"))
    try:
        _, cookie = login(_Forwarded(p), "admin")
        check("Secure" in cookie and "HttpOnly" in cookie, "behind the trusted proxy saying https: Secure: %r" % cookie)
        _, cookie = login(p, "admin")
        check(cookie and "Secure" not in cookie, "the trusted proxy without https: not Secure: %r" % cookie)
    finally:
        p.stop()
    bad = subprocess.run([fow, "--db", db, "serve", "--listen", "127.0.0.1:0", "--web", WEB, "--trusted-proxy",
                          "proxy.example"], capture_output=True, timeout=30)
    check(bad.returncode != 0 and b"--trusted-proxy" in bad.stderr, "a bad --trusted-proxy: %r" % bad.stderr[-200:])


class _Forwarded:
    """A server whose requests say X-Forwarded-Proto: https."""

    def __init__(self, s):
        self.s = s

    def post_json(self, path, value, headers=None):
        h = {"X-Forwarded-Proto": "https"}
        h.update(headers or {})
        return self.s.post_json(path, value, h)


def main():
    work = tempfile.mkdtemp(prefix="fow-hardening-")
    try:
        db = os.path.join(work, "fow.db")
        for name, role in (("admin", "admin"), ("analyst", "analyst"), ("counsellor", "counsellor")):
            run_fow(FOW, db, "user", "add", name, "--role", role, "--password-stdin", stdin=(PASSWORD + "\n").encode())
        s = Server(FOW, db, work, "main", extra=("--web", WEB))
        try:
            uploads(s, db)
            framing(s)
            headers(FOW, db, work, s)
        finally:
            s.stop()
        leftovers(FOW, db, work)
        disk_full(FOW, db, work)
        slow_connections(FOW, db, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return T.summary()


if __name__ == "__main__":
    sys.exit(main())
