#!/usr/bin/env bash
# bench_enrol.sh — enrolment throughput over HTTP under contention, with the exactness
# check, against two peers in the same run (build/bench_enrol does the measuring).
#
#   bench/bench_enrol.sh [--rounds R] [--people N] [--seats S] [--fow-threads T] [--fow PATH]
#
# Builds a temporary database from the demo data (data/demo: the taxonomy bundle and the
# learning catalogue), adds N people (default 100) of the organisation "Bench" with their
# training consent, a counsellor of that organisation and an API token of theirs, and starts
# `fow serve --rate-limit 0 --access-log none --client-connections 1024` (T worker threads,
# default fow's) on a free loopback port. Then bench_enrol runs R rounds (default 5) of: N enrolment requests at once
# for a new cohort of S seats (default 20) — checked exact: S enrolled, N-S waiting, every
# repeat idempotent —, the same N threads reading the cohort (a plain public GET, the peer of
# the HTTP layer), and the same N enrolments in process through the library (the peer of the
# count and insert without HTTP). Prints each run, the medians and the ratios. Every process
# and temporary file is removed on exit. Needs python3 (to read the port).
set -u
ROUNDS=5 PEOPLE=100 SEATS=20 FOW_THREADS=""
HERE=$(cd "$(dirname "$0")" && pwd)
FOW="$HERE/../build/fow"
BENCH="$HERE/../build/bench_enrol"
DEMO="$HERE/../data/demo"
usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --people) PEOPLE="$2"; shift 2 ;;
    --seats) SEATS="$2"; shift 2 ;;
    --fow-threads) FOW_THREADS="$2"; shift 2 ;;
    --fow) FOW="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "bench_enrol.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
[ -x "$FOW" ] && [ -x "$BENCH" ] || { echo "bench_enrol.sh: build first (make build): $FOW, $BENCH" >&2; exit 2; }

WORK=$(mktemp -d)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
DB="$WORK/fow.db"
f() { "$FOW" --db "$DB" --quiet "$@"; }
f import bundle "$DEMO" > /dev/null && f import modules "$DEMO/modules.csv" > /dev/null || exit 2
printf 'bench password 1234\n' > "$WORK/pw"
f user add bench --role counsellor --organisation Bench --password-file "$WORK/pw" > /dev/null || exit 2
TOKEN=$(f user token bench --name bench --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])') || exit 2
: > "$WORK/people"
for _ in $(seq 1 "$PEOPLE"); do
  id=$(f --json person add --organisation Bench | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])') || exit 2
  f person consent "$id" training --text-version bench > /dev/null || exit 2
  echo "$id" >> "$WORK/people"
done

# N connections at once from one address stand for N people: above the default limit
# of connections per client address (64)
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
echo "fow serve on port $PORT ($(nproc) cores), $PEOPLE people, $SEATS seats"
"$BENCH" --db "$DB" --port "$PORT" --token "$TOKEN" --people "$WORK/people" --rounds "$ROUNDS" --seats "$SEATS"
