"""Shared helpers of the HTTP API tests (api_test.py, api_full_test.py): running
`fow serve`, plain HTTP requests, assertions that count, and the readers of the
route table (src/http/server.c, src/http/auth.h) and of docs/api/openapi.yaml.

Python standard library only (/usr/bin/python3)."""

import http.client
import json
import os
import re
import select
import signal
import subprocess
import sys
import time
import urllib.parse

# ---- assertions ----------------------------------------------------------------


class Checks:
    """Counts assertions; a failed one prints its message and goes on."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0

    def check(self, cond, message):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: %s" % message, file=sys.stderr, flush=True)
        return bool(cond)

    def equal(self, got, want, message):
        return self.check(got == want, "%s: got %r, wanted %r" % (message, got, want))

    def expect(self, r, status, what):
        """r answered status; otherwise a failure naming what and the start of the body."""
        return self.check(r.status == status, "%s: status %d, wanted %d: %r" % (what, r.status, status, r.body[:300]))

    def expect_error(self, r, status, field, what):
        """r answered status with a JSON error naming field and saying why."""
        if not self.expect(r, status, what):
            return False
        e = r.error()
        return self.check(e.get("field") == field and e.get("message"), "%s: error %r should name %r" % (what, e, field))

    def login(self, s, name, password):
        """Signs name in on server s; the headers of its session (cookie, CSRF token), {} when it fails."""
        r = s.post_json("/api/v1/auth/login", {"name": name, "password": password})
        if not self.expect(r, 200, "login as %s" % name):
            return {}
        token = None
        for v in r.all_headers("Set-Cookie"):
            m = re.match(r"fow_session=([^;]*)", v)
            if m:
                token = m.group(1)
        return {"Cookie": "fow_session=%s" % token, "X-CSRF-Token": (r.json() or {}).get("csrf", "")}

    def summary(self):
        print("%s: %d passed, %d failed" % (self.name, self.passed, self.failed), flush=True)
        return 0 if self.failed == 0 else 1


# ---- the fow command and server ---------------------------------------------------


def run_fow(fow, db, *args, stdin=None):
    """Runs `fow --db DB --quiet ARGS`; raises with its stderr when it fails."""
    p = subprocess.run([fow, "--db", db, "--quiet"] + list(args), input=stdin, capture_output=True, timeout=600)
    if p.returncode != 0:
        raise RuntimeError("fow %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr.decode(errors="replace")))
    return p.stdout.decode(errors="replace")


def call(s, who, method, path, body=None):
    """method path on server s with the session headers who (None: no session) and body as JSON."""
    h = dict(who or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    elif method in ("POST", "DELETE"):
        data = b""
    return s.request(method, path, data, h)


DEMO_AREA = "Cluj-Napoca"


def import_demo(fow, db, demo):
    """The imports of the Makefile's demo-db target."""
    run_fow(fow, db, "import", "bundle", demo)
    run_fow(fow, db, "import", "risk", os.path.join(demo, "risk.csv"), "--model", "mcc", "--source",
            "fow demo data: illustrative automation risk (invented, not measured)", "--version", "2026.11",
            "--licence", "CC0-1.0")
    run_fow(fow, db, "import", "attributes", os.path.join(demo, "attributes.csv"), "--source",
            "fow demo data: illustrative occupation attributes (invented, not measured)", "--version", "2026.11",
            "--licence", "CC0-1.0")
    employment = os.path.join(demo, "employment.csv")
    if os.path.exists(employment):  # the observatory's demo area
        run_fow(fow, db, "import", "employment", employment, "--area", DEMO_AREA, "--illustrative", "--source",
                "fow demo data: illustrative employment for Cluj-Napoca (invented, not measured)", "--version",
                "2026.11", "--licence", "CC0-1.0")


SERVING = re.compile(r"fow is serving .* on http://127\.0\.0\.1:(\d+)/")


class Server:
    """`fow serve --listen 127.0.0.1:0` on db; the port is read from its first line."""

    def __init__(self, fow, db, workdir, name, rate_limit="0", access_log=None, threads=None, extra=()):
        self.log_path = access_log
        self.stderr_path = os.path.join(workdir, name + ".stderr")
        args = [fow, "--db", db, "serve", "--listen", "127.0.0.1:0", "--rate-limit", str(rate_limit),
                "--access-log", access_log or "none"]
        if threads:
            args += ["--threads", str(threads)]
        args += list(extra)
        self.stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.stderr)
        self.port = None
        first = b""
        deadline = time.time() + 60
        while time.time() < deadline and self.port is None:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                line = self.proc.stdout.readline()
                if not line:
                    break
                first += line
                m = SERVING.search(line.decode(errors="replace"))
                if m:
                    self.port = int(m.group(1))
            elif self.proc.poll() is not None:
                break
        if self.port is None:
            self.stop()
            raise RuntimeError("fow serve did not start: %r %s" % (first, self.stderr_text()))
        # the sockets it holds with no client connected: the listening one
        self.idle_sockets = self.sockets()

    def sockets(self):
        """The inodes of the sockets the server process holds open now (Linux /proc)."""
        found = set()
        fd_dir = "/proc/%d/fd" % self.proc.pid
        try:
            names = os.listdir(fd_dir)
        except OSError:
            return found
        for name in names:
            try:
                target = os.readlink(os.path.join(fd_dir, name))
            except OSError:  # closed meanwhile
                continue
            if target.startswith("socket:["):
                found.add(target)
        return found

    def wait_connections_closed(self, timeout=120):
        """Waits until the server has closed every connection a client opened (its sockets are the
        idle ones again); returns the connections still open (0 when all are closed).

        A connection its client has closed still counts against the server's limit of connections per
        client address (--client-connections, 64) until a server thread has read the close and freed
        it; libmicrohttpd frees the count before it closes the descriptor, so a closed descriptor means
        a freed place. On a loaded machine that takes a while, and a client that opens its next
        connections at once can find more than 64 of its own counted and some of them refused."""
        deadline = time.time() + timeout
        while True:
            left = len(self.sockets() - self.idle_sockets)
            if left == 0 or time.time() > deadline:
                return left
            time.sleep(0.02)

    def stderr_text(self):
        self.stderr.flush()
        with open(self.stderr_path, "rb") as f:
            return f.read().decode(errors="replace")

    def signal(self, sig):
        self.proc.send_signal(sig)

    def wait(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            if self.wait(15) is None:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        self.stderr.close()

    # ---- requests ----

    def request(self, method, path, body=None, headers=None, timeout=30):
        return request(self.port, method, path, body, headers, timeout)

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def json(self, path, headers=None):
        r = self.get(path, headers)
        return r, r.json()

    def post_json(self, path, value, headers=None):
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        body = value if isinstance(value, (bytes, str)) else json.dumps(value)
        if isinstance(body, str):
            body = body.encode()
        return self.request("POST", path, body, h)


class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers  # list of (name, value)
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def all_headers(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None

    def error(self):
        """The error object of an error answer, or {}."""
        j = self.json()
        if isinstance(j, dict) and isinstance(j.get("error"), dict):
            return j["error"]
        return {}

    def __repr__(self):
        return "HTTP %d %s" % (self.status, self.body[:300].decode("utf-8", errors="replace"))


def request(port, method, path, body=None, headers=None, timeout=30):
    """One request on a new connection; path is sent as is (it may hold %XX escapes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
        headers = dict(headers or {})
        if body is not None and not any(k.lower() in ("content-length", "transfer-encoding") for k in headers):
            headers["Content-Length"] = str(len(body))
        for k, v in headers.items():
            conn.putheader(k, v)
        if body is not None and headers.get("Transfer-Encoding") == "chunked":
            conn.endheaders()
            step = 16384
            for i in range(0, len(body), step):
                chunk = body[i:i + step]
                conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            conn.send(b"0\r\n\r\n")
        else:
            conn.endheaders(body)
        r = conn.getresponse()
        data = r.read()
        return Response(r.status, r.reason, r.getheaders(), data)
    finally:
        conn.close()


def raw_request(port, data, timeout=10):
    """Sends bytes as they are; returns (status or None, the whole answer)."""
    import socket
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
        out = b""
        while True:
            try:
                c = s.recv(65536)
            except socket.timeout:
                break
            if not c:
                break
            out += c
    finally:
        s.close()
    m = re.match(rb"HTTP/1\.[01] (\d{3})", out)
    return (int(m.group(1)) if m else None), out


def q(text):
    """URL-encodes one path segment or query value."""
    return urllib.parse.quote(text, safe="")


# ---- the route table and the OpenAPI paths -------------------------------------------

ROUTE_ROW = re.compile(r'\{\s*\.method\s*=\s*"(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)"\s*,\s*'
                       r'\.pattern\s*=\s*"([^"]+)"')


def route_table(root):
    """The (METHOD, pattern) rows of every route table in src/http: each handler file
    defines `static const http_route NAME[] = {...};` and exports it with
    HTTP_ROUTE_TABLE(table, NAME); server.c must list every exported table."""
    hdir = os.path.join(root, "src/http")
    rows, exported = [], []
    for name in sorted(os.listdir(hdir)):
        if not name.endswith(".c"):
            continue
        with open(os.path.join(hdir, name), encoding="utf-8") as f:
            text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
        text = re.sub(r"//[^\n]*", "", text)
        arrays = dict(re.findall(r"const\s+http_route\s+(\w+)\s*\[\s*\]\s*=\s*\{(.*?)\n\};", text, re.S))
        for table, array in re.findall(r"^HTTP_ROUTE_TABLE\(\s*(\w+)\s*,\s*(\w+)\s*\)", text, re.M):
            if array not in arrays:
                raise RuntimeError("%s: HTTP_ROUTE_TABLE(%s, %s) names no http_route array" % (name, table, array))
            rows += ROUTE_ROW.findall(arrays[array])
            exported.append(table)
    if not rows:
        raise RuntimeError("no route table in src/http")
    with open(os.path.join(hdir, "server.c"), encoding="utf-8") as f:
        server = f.read()
    listed = re.search(r"route_tables\[\]\s*=\s*\{(.*?)\};", server, re.S)
    for table in exported:
        if not listed or not re.search(r"&%s\b" % table, listed.group(1)):
            raise RuntimeError("the route table %s is not in route_tables of src/http/server.c" % table)
    return rows


METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _strip_comment(line):
    """The line without a trailing # comment (outside quotes)."""
    quote = None
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
    return line


def _key(text):
    """The key of a 'key: value' or 'key:' line (quotes removed), or None."""
    text = text.strip()
    if not text or text.startswith("- "):
        return None
    if text[0] in "'\"":
        end = text.find(text[0], 1)
        if end < 0 or not text[end + 1:].lstrip().startswith(":"):
            return None
        return text[1:end]
    if text[0] in "{[":
        return None
    m = re.match(r"(.+?):(\s|$)", text)
    return m.group(1).strip() if m else None


def openapi_operations(path):
    """The (METHOD, path) pairs under `paths:` of an OpenAPI YAML file: a minimal block
    YAML reader (indentation, comments, quoted keys); flow-style path items are refused."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    ops = []
    in_paths = False
    path_indent = method_indent = None
    current = None
    block_indent = None  # inside a block scalar (| or >) deeper than this
    for number, raw in enumerate(lines, 1):
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise RuntimeError("%s:%d: a tab in the indentation" % (path, number))
        line = _strip_comment(raw).rstrip()
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if block_indent is not None:
            if indent > block_indent:
                continue
            block_indent = None
        key = _key(line)
        value = line.split(":", 1)[1].strip() if key is not None and ":" in line else ""
        if indent == 0:
            in_paths = key == "paths"
            path_indent = method_indent = current = None
            continue
        if not in_paths:
            continue
        if value in ("|", ">", "|-", ">-", "|+", ">+"):
            block_indent = indent
        if path_indent is None:
            path_indent = indent
        if indent == path_indent:
            if key is None or not key.startswith("/"):
                raise RuntimeError("%s:%d: expected a path under paths:" % (path, number))
            if value:
                raise RuntimeError("%s:%d: write the path item as a block, not '%s'" % (path, number, value))
            current = key
            method_indent = None
        elif indent < path_indent:
            raise RuntimeError("%s:%d: bad indentation" % (path, number))
        elif current is not None:
            if method_indent is None:
                method_indent = indent
            if indent == method_indent and key is not None and key.lower() in METHODS:
                ops.append((key.upper(), current))
            elif indent == method_indent and key == "$ref":
                raise RuntimeError("%s:%d: a $ref path item: cannot check its methods" % (path, number))
    return ops


def fill_pattern(pattern, values):
    """The pattern with each {name} replaced by values[name] (or 'x')."""
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "x"), pattern)
