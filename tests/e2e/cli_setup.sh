#!/usr/bin/env bash
# What a new user meets: `fow serve` on a terminal prints one line and writes its
# access log to a file (on a pipe, to standard error; `--access-log -` to standard
# output); `fow help --man` is the manual page made from the --help texts; the
# installation (cmake --install, as `make install` runs it, into a DESTDIR) holds
# fow, its web app and fow.1, and the installed fow serves the installed web app.
# Usage: bash cli_setup.sh path/to/fow (in its build folder)
set -u
FOW="$1"
. "$(dirname "$0")/lib/setup.sh"
make_work
BUILD=$(cd "$(dirname "$FOW")" && pwd)
SRC=$(cd "$E2E/../.." && pwd)
expect 0 "$FOW" --quiet import bundle "$DEMO"

# get URL FILE: the body of a GET of URL into FILE
get() { "$PY" -c 'import sys, urllib.request; open(sys.argv[2], "wb").write(urllib.request.urlopen(sys.argv[1], timeout=10).read())' "$1" "$2"; }

# wait_line FILE: waits (20 s at most) until FILE holds the start line; prints the port
wait_line() {
  local i
  for i in $(seq 1 200); do
    if grep -q 'fow is serving .* on http://127\.0\.0\.1:[0-9]*/' "$1" 2> /dev/null; then
      sed -n 's|.*fow is serving .* on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$1" | head -1
      return 0
    fi
    sleep 0.1
  done
  return 1
}

# stop PID: SIGTERM, then waits for it (10 s at most)
stop() {
  kill -TERM "$1" 2> /dev/null
  local i
  for i in $(seq 1 100); do kill -0 "$1" 2> /dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2> /dev/null
}

# ---- on a terminal: one line, the access log in NAME-access.log next to NAME.db ----------
if command -v script > /dev/null; then
  script -qfec "cd '$WORK' && echo \$\$ > '$WORK/tty.pid' && exec '$FOW' serve --listen 127.0.0.1:0" \
    "$WORK/typescript" > /dev/null 2>&1 < /dev/null &
  script_pid=$!
  disown "$script_pid" # killed below on purpose: no job report
  if port=$(wait_line "$WORK/typescript"); then
    ok
    for path in / /api/v1/stats /api/v1/search?q=agent; do get "http://127.0.0.1:$port$path" "$WORK/body" || fail "GET $path"; done
    sleep 0.3
    grep -v '^Script ' "$WORK/typescript" | tr -d '\r' | grep -v '^$' > "$WORK/terminal"
    equals "$(wc -l < "$WORK/terminal")" 1 "lines on the terminal after a start and 3 requests: $(cat "$WORK/terminal")"
    contains "$WORK/terminal" "access log: $WORK/fow-access.log); Ctrl-C stops it"
    lacks "$WORK/terminal" '"path"'
    equals "$(grep -c '"path":' "$WORK/fow-access.log" 2> /dev/null)" 3 "JSON lines in fow-access.log"
    contains "$WORK/fow-access.log" '"path":"/api/v1/stats"'
  else
    fail "fow serve on a terminal did not print its line: $(cat "$WORK/typescript" 2> /dev/null)"
  fi
  # kill -HUP reloads; closing the terminal stops it
  if [ -s "$WORK/tty.pid" ]; then
    fow_pid=$(cat "$WORK/tty.pid")
    kill -HUP "$fow_pid"
    sleep 0.5
    if kill -0 "$fow_pid" 2> /dev/null; then ok; else fail "kill -HUP stopped fow serve"; fi
    # nothing changed since the start: the reload finds the model in service current
    contains "$WORK/typescript" "the model in service is current for"
    kill -KILL "$script_pid"
    for i in $(seq 1 50); do kill -0 "$fow_pid" 2> /dev/null || break; sleep 0.1; done
    if kill -0 "$fow_pid" 2> /dev/null; then fail "fow serve outlived its terminal"; stop "$fow_pid"; else ok; fi
  else
    fail "no process id from the terminal run"
  fi
else
  echo "NOTE: no 'script' (util-linux): the terminal run of fow serve is not checked" >&2
fi

# ---- on a pipe: the access log on standard error, as before; --access-log - on standard output ----
"$FOW" serve --listen 127.0.0.1:0 > "$WORK/pipe.out" 2> "$WORK/pipe.err" < /dev/null &
pid=$!
if port=$(wait_line "$WORK/pipe.out"); then
  get "http://127.0.0.1:$port/api/v1/stats" "$WORK/body"
  sleep 0.3
  equals "$(wc -l < "$WORK/pipe.out")" 1 "lines on standard output (a pipe)"
  contains "$WORK/pipe.out" "access log: standard error)"
  contains "$WORK/pipe.err" '"path":"/api/v1/stats"'
else
  fail "fow serve on a pipe did not print its line: $(cat "$WORK/pipe.out" "$WORK/pipe.err")"
fi
stop $pid
"$FOW" serve --listen 127.0.0.1:0 --access-log - > "$WORK/dash.out" 2> "$WORK/dash.err" < /dev/null &
pid=$!
if port=$(wait_line "$WORK/dash.out"); then
  get "http://127.0.0.1:$port/api/v1/stats" "$WORK/body"
  sleep 0.3
  contains "$WORK/dash.out" "access log: standard output)"
  contains "$WORK/dash.out" '"path":"/api/v1/stats"'
  lacks "$WORK/dash.err" '"path"'
else
  fail "fow serve --access-log - did not print its line: $(cat "$WORK/dash.out" "$WORK/dash.err")"
fi
stop $pid
expect 1 "$FOW" serve --listen 127.0.0.1:0 --access-log "$WORK/no/such/folder/log"
contains "$WORK/err" "cannot open the access log $WORK/no/such/folder/log"
expect 1 "$FOW" serve --listen 127.0.0.1:0 --web "$WORK/no-web"
contains "$WORK/err" "the web app folder does not exist"

# ---- the manual page: the --help texts, one section per command ----------------------------------
expect 0 "$FOW" help --man; save fow.1
expect 0 "$FOW" help serve; save help-serve
expect 0 "$FOW" serve --help
equals "$(cat "$WORK/out")" "$(cat "$WORK/help-serve")" "fow help serve is fow serve --help"
expect 1 "$FOW" help frobnicate;                 contains "$WORK/err" "give one command"
for c in $(sed -n 's/^\.SS //p' "$WORK/fow.1"); do "$FOW" "$c" --help > "$WORK/help-$c.txt"; done
expect 0 "$FOW" --help; save usage.txt
CHECK_ARGS=("$FOW")
check "the manual page holds every command's --help text, as it is" '
import re
page = text("fow.1")
unescape = lambda t: re.sub(r"\\\[u([0-9A-F]{4,6})\]", lambda m: chr(int(m.group(1), 16)),
                            t.replace("\\-", "-").replace("\\e", "\\").replace("\\&", ""))
sections = re.findall(r"^\.SS (\S+)\n\.nf\n(.*?)\n\.fi$", page, re.S | re.M)
usage = text("usage.txt")
listed = set()
block = usage.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
for line in block.split("\n"):
    if re.match(r"  [a-z]", line):
        listed.add(line.split()[0])
listed.discard("help")
assert {name for name, _ in sections} == listed, (sorted(name for name, _ in sections), sorted(listed))
for name, body in sections:
    assert unescape(body) + "\n" == text("help-%s.txt" % name), name
assert page.startswith(".\\\""), page[:80]
assert ".TH FOW 1 " in page and "\n.SH NAME\nfow \\- the Future of Work platform of a city\n" in page
'
if command -v groff > /dev/null; then
  groff -man -Tutf8 -ww -z "$WORK/fow.1" 2> "$WORK/groff.err"
  empty "$WORK/groff.err"
fi

# ---- the installation into a DESTDIR ---------------------------------------------------------------
if [ ! -f "$BUILD/CMakeCache.txt" ] || [ ! -f "$BUILD/fow.1" ]; then
  fail "$BUILD is not a build folder with fow.1 (build the target fow-man): the installation is not checked"
else
  DEST="$WORK/dest"
  expect 0 env DESTDIR="$DEST" cmake --install "$BUILD" --prefix /opt/fow-test
  P="$DEST/opt/fow-test"
  for f in bin/fow share/man/man1/fow.1 share/fow/web/index.html share/fow/web/favicon.svg share/fow/web/js/main.js \
           share/fow/web/css/app.css share/fow/web/i18n/ro.json share/fow/web/i18n/en.json; do
    if [ -f "$P/$f" ]; then ok; else fail "the installation lacks $f"; fi
  done
  if [ -x "$P/bin/fow" ]; then ok; else fail "the installed fow is not executable"; fi
  equals "$(cd "$SRC/web" && find js css i18n -type f | sort | sha256sum)" \
         "$(cd "$P/share/fow/web" && find js css i18n -type f | sort | sha256sum)" "the web app's files, all installed"
  if [ -d "$SRC/web/node_modules/echarts/dist" ]; then
    if [ -f "$P/share/fow/web/node_modules/echarts/dist/echarts.min.js" ]; then ok; else fail "echarts.min.js not installed"; fi
  fi
  lacks <(ls "$P/share/fow/web") "package"
  if cmp -s "$P/share/man/man1/fow.1" "$WORK/fow.1"; then ok; else fail "the installed fow.1 is not what fow help --man prints (is $BUILD/fow.1 up to date? build the target fow-man)"; fi
  # the installed fow serves the installed web app (marked here), not the source tree's
  echo '<!-- the installed copy -->' >> "$P/share/fow/web/index.html"
  "$P/bin/fow" serve --listen 127.0.0.1:0 --access-log none > "$WORK/inst.out" 2> "$WORK/inst.err" < /dev/null &
  pid=$!
  if port=$(wait_line "$WORK/inst.out"); then
    get "http://127.0.0.1:$port/" "$WORK/index.html" && contains "$WORK/index.html" "the installed copy"
    get "http://127.0.0.1:$port/js/main.js" "$WORK/main.js" && ok
  else
    fail "the installed fow serve did not start: $(cat "$WORK/inst.out" "$WORK/inst.err")"
  fi
  stop $pid
  # copied elsewhere without its web app, it falls back to the source tree it was built from
  mkdir -p "$WORK/elsewhere" && cp "$P/bin/fow" "$WORK/elsewhere/fow"
  if [ -f "$SRC/web/index.html" ]; then
    "$WORK/elsewhere/fow" serve --listen 127.0.0.1:0 --access-log none > "$WORK/else.out" 2> "$WORK/else.err" < /dev/null &
    pid=$!
    if wait_line "$WORK/else.out" > /dev/null; then ok; else fail "a moved fow did not fall back to the source tree: $(cat "$WORK/else.err")"; fi
    stop $pid
  fi
  if command -v man > /dev/null; then
    MANWIDTH=100 man -l "$P/share/man/man1/fow.1" > "$WORK/man.txt" 2> "$WORK/man.err"
    contains "$WORK/man.txt" "--access-log FILE"
    contains "$WORK/man.txt" "Usage: fow import KIND PATH"
  fi
fi

echo "cli_setup: $passed passed, $failed failed"
[ "$failed" = 0 ]
