# check.sh — the assertions of the command-line test scripts (sourced, not run;
# lib/setup.sh sources it). The script sets WORK (a temporary folder) and FOW_DB
# before using them; each check adds to $passed or $failed, and the script ends
# with a summary.
passed=0
failed=0

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# expect CODE CMD... : runs CMD with nothing on standard input, checks the exit
# code; output in $WORK/out, $WORK/err
expect() {
  local want="$1"; shift
  "$@" > "$WORK/out" 2> "$WORK/err" < /dev/null
  local got=$?
  if [ "$got" = "$want" ]; then ok; else fail "exit $got (wanted $want): $* -- $(head -c 400 "$WORK/err")"; fi
}
# expect_in CODE INPUT CMD... : the same with INPUT on standard input
expect_in() {
  local want="$1" input="$2"; shift 2
  printf '%s' "$input" | "$@" > "$WORK/out" 2> "$WORK/err"
  local got=$?
  if [ "$got" = "$want" ]; then ok; else fail "exit $got (wanted $want): $* -- $(head -c 400 "$WORK/err")"; fi
}
# contains FILE TEXT, lacks FILE TEXT, empty FILE
contains() { if grep -qF -- "$2" "$1"; then ok; else fail "$(basename "$1") lacks '$2': $(head -c 800 "$1")"; fi; }
lacks() { if grep -qF -- "$2" "$1"; then fail "$(basename "$1") has '$2': $(head -c 600 "$1")"; else ok; fi; }
empty() { if [ -s "$1" ]; then fail "$(basename "$1") is not empty: $(head -c 300 "$1")"; else ok; fi; }
# equals GOT WANTED WHAT
equals() { if [ "$1" = "$2" ]; then ok; else fail "$3: got '$1', wanted '$2'"; fi; }
# valid_json: $WORK/out is JSON
valid_json() {
  if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/out" 2>/dev/null; then ok; else fail "not JSON: $(head -c 300 "$WORK/out")"; fi
}
# save NAME: keeps the last output as $WORK/NAME
save() { cp "$WORK/out" "$WORK/$1"; }
# a digest of the whole database, to show that a failure changed nothing
snapshot() { sqlite3 "$FOW_DB" .dump | sha256sum; }
# sql QUERY: its result on the database
sql() { sqlite3 "$FOW_DB" "$1"; }

# check DESCRIPTION PYTHON: runs PYTHON (assert statements) after lib/check.py
# (what it defines: see there) and the script's own python helpers in
# $CHECK_HELPERS, with the arguments in the array CHECK_ARGS as `args`
check() {
  if { cat "$E2E_LIB/check.py"; printf '%s\n' "${CHECK_HELPERS:-}" 'exec(code)'; } |
       "$PY" - "$WORK" "$2" ${CHECK_ARGS[@]+"${CHECK_ARGS[@]}"} > "$WORK/py" 2>&1
  then ok; else fail "$1: $(tail -c 900 "$WORK/py")"; fi
}
