#!/usr/bin/env bash
# bench_redeem_http.sh — voucher redemptions per second over HTTP under contention, with the
# exactness check, against the same redemptions in process through the library in the same
# run (build/bench_redeem_http does the measuring), then `fow check` on the ledger.
#
#   bench/bench_redeem_http.sh [--rounds R] [--people P] [--cover K] [--hot N] [--fow-threads T] [--fow PATH]
#
# Builds a temporary database from the demo data (data/demo: the taxonomy bundle and the learning
# catalogue), adds P + 1 people (default 50 + 1) with their training and vouchers consents, an
# administrator and an API token of theirs, and starts `fow serve --rate-limit 0 --access-log none
# --client-connections 1024` (T worker threads, default fow's) on a free loopback port. Each of R
# rounds (default 5): P vouchers worth K redemptions each (default 3), each asked for K + 1 cohorts
# at once, and one voucher worth 3 asked for N cohorts at once (default 200), over HTTP and then in
# process; exact when each voucher has exactly K (or 3) successes and every other request is
# refused for its amount. Ends with `fow check` (the ledger's chain, balances and sums). Every
# process and temporary file is removed on exit. Needs python3 (to read the token and ids).
set -u
ROUNDS=5 PEOPLE=50 COVER=3 HOT=200 FOW_THREADS=""
HERE=$(cd "$(dirname "$0")" && pwd)
FOW="$HERE/../build/fow"
BENCH="$HERE/../build/bench_redeem_http"
DEMO="$HERE/../data/demo"
usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --people) PEOPLE="$2"; shift 2 ;;
    --cover) COVER="$2"; shift 2 ;;
    --hot) HOT="$2"; shift 2 ;;
    --fow-threads) FOW_THREADS="$2"; shift 2 ;;
    --fow) FOW="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "bench_redeem_http.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
[ -x "$FOW" ] && [ -x "$BENCH" ] || { echo "bench_redeem_http.sh: build first (make build): $FOW, $BENCH" >&2; exit 2; }

WORK=$(mktemp -d)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
DB="$WORK/fow.db"
f() { "$FOW" --db "$DB" --quiet "$@"; }
f import bundle "$DEMO" > /dev/null && f import modules "$DEMO/modules.csv" > /dev/null || exit 2
printf 'bench password 1234\n' > "$WORK/pw"
f user add bench --role admin --password-file "$WORK/pw" > /dev/null || exit 2
TOKEN=$(f user token bench --name bench --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])') || exit 2
: > "$WORK/people"
for _ in $(seq 0 "$PEOPLE"); do
  id=$(f --json person add --organisation Bench | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])') || exit 2
  f person consent "$id" training --text-version bench > /dev/null || exit 2
  f person consent "$id" vouchers --text-version bench > /dev/null || exit 2
  echo "$id" >> "$WORK/people"
done

# N connections at once from one address: above the default limit of connections per client (64)
args=(--db "$DB" serve --listen 127.0.0.1:0 --rate-limit 0 --access-log none --client-connections 1024)
[ -n "$FOW_THREADS" ] && args+=(--threads "$FOW_THREADS")
"$FOW" "${args[@]}" > "$WORK/serve.out" 2> "$WORK/serve.err" &
SERVER=$!
PORT=""
for _ in $(seq 1 100); do
  PORT=$(sed -n 's/.*http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$WORK/serve.out" | head -1)
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { echo "fow serve did not start: $(cat "$WORK/serve.err")" >&2; exit 2; }
echo "fow serve on port $PORT ($(nproc) cores)"
"$BENCH" --db "$DB" --port "$PORT" --token "$TOKEN" --people "$WORK/people" --rounds "$ROUNDS" --cover "$COVER" --hot "$HOT"
rc=$?
kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
SERVER=""
echo
echo "fow check on the ledger after the benchmark:"
f check | grep -E '^vouchers|checks passed|FAILED' || rc=1
f check > /dev/null || rc=1
exit $rc
