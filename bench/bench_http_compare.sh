#!/usr/bin/env bash
# bench_http_compare.sh — the answers of two fow builds compared byte for byte, for every
# occupation of the full data: a check that a change of the writing path changed no byte.
#
#   bench/bench_http_compare.sh [DATA] --peer-fow PATH [--fow PATH] [--routes LIST]
#
# Imports the full public data (as bench_http.sh does) into a temporary database, starts
# `fow serve --no-cache` of both builds on it, and for every occupation (by its id, from
# GET /api/v1/occupations/{id} of each id the model has) fetches from both
#   /api/v1/occupations/{id}/transitions?limit=20   (the benchmark's route)
#   /api/v1/occupations/{id}/transitions?limit=20&lang=ro
#   /api/v1/occupations/{id}/similar?limit=20
# (--routes: a comma-separated subset of transitions,transitions-ro,similar), and compares the
# statuses (200 expected), bodies byte for byte, and the ETag and Content-Type headers. Prints the number of answers compared, their
# bytes, and every difference (at most 10 shown); exits 1 when one differs. Needs curl and
# python3.
set -u

DATA="" HERE=$(cd "$(dirname "$0")" && pwd) PEER="" ROUTES="transitions,transitions-ro,similar"
FOW="$HERE/../build/fow"
usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --fow) FOW="$2"; shift 2 ;;
    --peer-fow) PEER="$2"; shift 2 ;;
    --routes) ROUTES="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    -*) echo "bench_http_compare: unknown option '$1'" >&2; usage 1 ;;
    *) DATA="$1"; shift ;;
  esac
done
[ -n "$DATA" ] || DATA="${FOW_SHARED_DATA:-../shared/data}"
[ -n "$PEER" ] || { echo "bench_http_compare: --peer-fow PATH is needed (the build to compare with)" >&2; exit 1; }
for f in "$FOW" "$PEER"; do
  [ -x "$f" ] || { echo "bench_http_compare: no fow binary at $f" >&2; exit 1; }
done
[ -d "$DATA/esco-1.2.0" ] || { echo "bench_http_compare: the public data is not at '$DATA'" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fow-bench-compare-XXXXXX")
PIDS=""
cleanup() {
  for pid in $PIDS; do kill -TERM "$pid" 2> /dev/null; wait "$pid" 2> /dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DB="$WORK/fow.db"
"$FOW" --db "$DB" --quiet import bundle "$DATA/esco-1.2.0" > /dev/null &&
  "$FOW" --db "$DB" --quiet import risk "$DATA/risk/mcc_risk_esco.csv" --model mcc > /dev/null &&
  "$FOW" --db "$DB" --quiet import attributes "$DATA/occupations/mcc_attributes.csv" > /dev/null ||
  { echo "bench_http_compare: the import failed" >&2; exit 1; }

# start NAME FOW: starts it (its pid kept in PIDS, for cleanup) and sets PORT
start() {
  "$2" --db "$DB" serve --listen 127.0.0.1:0 --threads 2 --no-cache --rate-limit 0 --access-log none \
    > "$WORK/$1.out" 2> "$WORK/$1.err" &
  PIDS="$PIDS $!"
  PORT=""
  for _ in $(seq 300); do
    PORT=$(sed -n 's|^fow is serving .* on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$WORK/$1.out" | head -1)
    [ -n "$PORT" ] && break
    sleep 0.1
  done
  [ -n "$PORT" ] || { echo "bench_http_compare: $2 did not start: $(cat "$WORK/$1.err")" >&2; exit 1; }
}
start fow "$FOW"
P1=$PORT
start peer "$PEER"
P2=$PORT

python3 - "$P1" "$P2" "$ROUTES" "$FOW" "$PEER" "$DATA/esco-1.2.0/occupations.csv" << 'PY'
import csv, http.client, json, sys, urllib.parse
p1, p2, routes, fow, peer = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].split(","), sys.argv[4], sys.argv[5]
c1, c2 = http.client.HTTPConnection("127.0.0.1", p1, timeout=600), http.client.HTTPConnection("127.0.0.1", p2, timeout=600)
def get(c, path):
    c.request("GET", path)
    r = c.getresponse()
    return r.status, r.read(), r.getheader("ETag"), r.getheader("Content-Type")
status, body, _, _ = get(c1, "/api/v1/stats")
n_occ = json.loads(body)["occupations"]
# every occupation, by its ESCO code (the {id} of the routes takes a code; the codes are unique)
with open(sys.argv[6], newline="", encoding="utf-8") as f:
    ids = [urllib.parse.quote(row["code"], safe="") for row in csv.DictReader(f)]
if len(set(ids)) != len(ids):
    sys.exit("bench_http_compare: the occupations' codes are not unique")
paths = {"transitions": "/api/v1/occupations/%s/transitions?limit=20",
         "transitions-ro": "/api/v1/occupations/%s/transitions?limit=20&lang=ro",
         "similar": "/api/v1/occupations/%s/similar?limit=20"}
compared, size, diffs = 0, 0, []
for r in routes:
    if r not in paths:
        sys.exit("bench_http_compare: unknown route '%s'" % r)
    for occ in ids:
        path = paths[r] % occ
        a, b = get(c1, path), get(c2, path)
        compared += 1
        size += len(a[1])
        if a != b or a[0] != 200:
            diffs.append("%s (%d, %d)" % (path, a[0], b[0]))
print("bench_http_compare: %d occupations (of %d in the model), %d answers compared, %d bytes from %s" %
      (len(ids), n_occ, compared, size, fow))
print("  against %s: %s" % (peer, "every answer byte-identical, with the same ETag and Content-Type" if not diffs else "%d answers differ" % len(diffs)))
for d in diffs[:10]:
    print("    differs: %s" % d)
sys.exit(1 if diffs or len(ids) < n_occ else 0)
PY
