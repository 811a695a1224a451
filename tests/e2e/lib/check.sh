# check.sh — the assertions of the command-line test scripts (sourced, not run).
# The script sets WORK (a temporary folder) and FOW_DB before using them; each
# check adds to $passed or $failed, and the script ends with a summary.
passed=0
failed=0

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# expect CODE CMD... : runs CMD, checks the exit code; output in $WORK/out, $WORK/err
expect() {
  local want="$1"; shift
  "$@" > "$WORK/out" 2> "$WORK/err"
  local got=$?
  if [ "$got" = "$want" ]; then ok; else fail "exit $got (wanted $want): $* -- $(head -c 400 "$WORK/err")"; fi
}
# contains FILE TEXT
contains() { if grep -qF -- "$2" "$1"; then ok; else fail "$1 lacks '$2': $(head -c 600 "$1")"; fi; }
# a digest of the whole database, to show that a failure changed nothing
snapshot() { sqlite3 "$FOW_DB" .dump | sha256sum; }
