#!/usr/bin/env bash
# bench_http_instructions.sh — instructions per request of `fow serve --no-cache`, counted by
# callgrind: a steady figure where wall-clock rates depend on what else shares the machine.
#
#   bench/bench_http_instructions.sh [DATA] [--requests N] [--fow PATH] [--peer-fow PATH]
#                                    [--access-log] [--profile FILE] [--passing-only]
#
# Imports the full public data (as bench_http.sh does) into a temporary database, starts
# `fow serve --threads 2 --no-cache --rate-limit 0 --access-log none` under valgrind's callgrind,
# sends 200 requests to warm it up, zeroes the counts, then sends N (default 2000) requests
# GET /api/v1/occupations/{id}/transitions?limit=20 one after the other on one keep-alive
# connection, cycling through the ids bench_http.sh uses (call centre agent and its 7 most
# similar occupations), and dumps the counts. Reports the instructions per request of the whole
# server (user space: the kernel's work is not counted) and of its parts, from the inclusive
# costs of the profile: the query (fow_transitions_from_occupation: what bench_query_rate runs),
# the writing of the answer (fow_result_transitions), and the rest (HTTP, libmicrohttpd, the
# response). With --peer-fow, the same for another build (e.g. main) on the same database, run
# after, and the ratios. With --access-log, both servers write their access log to a file.
# With --passing-only, the ids whose answer has no passing move (where the route's fallback,
# far costlier than the ranking, runs) are left out. The query's count includes the fallback
# (fow_transitions_fallback) when it runs, as bench_query_rate's does. With --profile FILE,
# the callgrind_annotate listing of fow (exclusive costs per function, then inclusive ones) is
# kept in FILE, to see where the instructions go.
# Needs valgrind (callgrind_control, callgrind_annotate), curl and python3.
set -u

DATA="" N=2000 HERE=$(cd "$(dirname "$0")" && pwd) PEER="" LOG=0 PROFILE="" PASSING_ONLY=0
FOW="$HERE/../build/fow"
usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --requests) N="$2"; shift 2 ;;
    --fow) FOW="$2"; shift 2 ;;
    --peer-fow) PEER="$2"; shift 2 ;;
    --access-log) LOG=1; shift ;;
    --profile) PROFILE="$2"; shift 2 ;;
    --passing-only) PASSING_ONLY=1; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "bench_http_instructions: unknown option '$1'" >&2; usage 1 ;;
    *) DATA="$1"; shift ;;
  esac
done
[ -n "$DATA" ] || DATA="${FOW_SHARED_DATA:-../shared/data}"
case "$N" in ''|*[!0-9]*) echo "bench_http_instructions: '$N' is not a whole number" >&2; exit 1 ;; esac
[ "$N" -ge 100 ] || { echo "bench_http_instructions: --requests must be at least 100" >&2; exit 1; }
for f in "$FOW" ${PEER:+"$PEER"}; do
  [ -x "$f" ] || { echo "bench_http_instructions: no fow binary at $f" >&2; exit 1; }
done
[ -d "$DATA/esco-1.2.0" ] || { echo "bench_http_instructions: the public data is not at '$DATA'" >&2; exit 1; }
for tool in valgrind callgrind_control callgrind_annotate curl python3; do
  command -v "$tool" > /dev/null || { echo "bench_http_instructions: needs $tool (Debian: valgrind)" >&2; exit 1; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fow-bench-instr-XXXXXX")
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill -TERM "$PID" 2> /dev/null; wait "$PID" 2> /dev/null; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DB="$WORK/fow.db"
"$FOW" --db "$DB" --quiet import bundle "$DATA/esco-1.2.0" > /dev/null &&
  "$FOW" --db "$DB" --quiet import risk "$DATA/risk/mcc_risk_esco.csv" --model mcc > /dev/null &&
  "$FOW" --db "$DB" --quiet import attributes "$DATA/occupations/mcc_attributes.csv" > /dev/null ||
  { echo "bench_http_instructions: the import failed" >&2; exit 1; }

cat > "$WORK/client.py" << 'PY'
import http.client, json, sys
# port n ids_file passing_only: with passing_only 1 (the warm-up), the ids whose answer has a
# passing move are written to ids_file; with 0, the ids are read from it
port, n, ids_file, passing_only = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"
c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
ids = open(ids_file).read().split()
if passing_only:
    kept = []
    for i in ids:
        c.request("GET", "/api/v1/occupations/%s/transitions?limit=20" % i)
        if json.loads(c.getresponse().read())["total"] > 0:
            kept.append(i)
    ids = kept
    open(ids_file, "w").write(" ".join(ids))
size = 0
for i in range(n):
    c.request("GET", "/api/v1/occupations/%s/transitions?limit=20" % ids[i % len(ids)])
    r = c.getresponse()
    size += len(r.read())
    if r.status != 200:
        sys.exit("answer %d" % r.status)
print(size // n)
PY

# measure NAME FOW: "total query json bytes" per request into $WORK/NAME.counts
measure() {
  local name=$1 fow=$2 port log=none
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  [ "$LOG" = 1 ] && log="$WORK/$name-access.log"
  valgrind --tool=callgrind --callgrind-out-file="$WORK/$name.cg" --dump-instr=no \
    "$fow" --db "$DB" serve --listen "127.0.0.1:$port" --threads 2 --no-cache --rate-limit 0 --access-log "$log" \
    --client-connections 1024 > "$WORK/$name.out" 2> "$WORK/$name.err" &
  PID=$!
  for _ in $(seq 1200); do
    curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break
    kill -0 "$PID" 2> /dev/null || { echo "bench_http_instructions: $fow did not start: $(tail -3 "$WORK/$name.err")" >&2; exit 1; }
    sleep 0.25
  done
  echo "5244.1 4222.1.1 5223.1 3512.1 5249.2 4225.1 5249.3 5223.5" > "$WORK/ids"
  python3 "$WORK/client.py" "$port" 200 "$WORK/ids" "$PASSING_ONLY" > /dev/null || exit 1
  callgrind_control -z "$PID" > /dev/null 2>&1
  local bytes
  bytes=$(python3 "$WORK/client.py" "$port" "$N" "$WORK/ids" 0) || exit 1
  callgrind_control -d "$PID" > /dev/null 2>&1
  kill -TERM "$PID"
  wait "$PID" 2> /dev/null
  PID=""
  local dump
  dump=$(ls "$WORK/$name.cg".* 2> /dev/null | head -1)
  [ -n "$dump" ] || { echo "bench_http_instructions: callgrind wrote no dump for $fow" >&2; exit 1; }
  callgrind_annotate --inclusive=yes --auto=no --threshold=100 "$dump" > "$WORK/$name.txt" 2> /dev/null
  if [ -n "$PROFILE" ] && [ "$name" = fow ]; then
    { callgrind_annotate --inclusive=no --auto=no --threshold=99.5 "$dump"; cat "$WORK/$name.txt"; } > "$PROFILE" 2> /dev/null
  fi
  python3 - "$WORK/$name.txt" "$N" "$bytes" > "$WORK/$name.counts" << 'PY'
import re, sys
text, n, size = open(sys.argv[1]).read(), int(sys.argv[2]), sys.argv[3]
def cost(pattern):
    m = re.search(r"^\s*([\d,]+) \([^)]*\)\s+\S*" + pattern, text, re.M)
    return int(m.group(1).replace(",", "")) / n if m else 0.0
total = cost(r"PROGRAM TOTALS") or float(re.search(r"^\s*([\d,]+) \(100", text, re.M).group(1).replace(",", "")) / n
query = cost(r":fow_transitions_from_occupation ") + cost(r":fow_transitions_fallback ")
print("%.0f %.0f %.0f %s" % (total, query, cost(r":fow_result_transitions "), size))
PY
  rm -f "$WORK/$name.cg"*
}

echo "bench_http_instructions: fow serve --no-cache under callgrind, $N requests of" \
  "GET /api/v1/occupations/{id}/transitions?limit=20 after 200 to warm up ($(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg))"
[ "$PASSING_ONLY" = 1 ] && echo "  only the ids with a passing move (no fallback)"
[ "$LOG" = 1 ] && echo "  with the access log written to a file"
report() { # NAME LABEL
  read -r T Q J B < "$WORK/$1.counts"
  printf '  %-10s %10.0f instructions per request: query %.0f, answer written %.0f, HTTP and the rest %.0f (mean answer %s bytes)\n' \
    "$2" "$T" "$Q" "$J" "$(python3 -c "print($T - $Q - $J)")" "$B"
  python3 -c "print('             the server runs %.2f instructions per instruction of the query alone' % ($T / $Q if $Q else 0))"
}
measure fow "$FOW"
echo "  fow: $FOW"
report fow "fow"
if [ -n "$PEER" ]; then
  measure peer "$PEER"
  echo "  peer: $PEER"
  report peer "peer"
  read -r T1 _ _ _ < "$WORK/fow.counts"
  read -r T2 _ _ _ < "$WORK/peer.counts"
  python3 -c "print('  fow / peer: %.3f (%+.1f%% instructions per request)' % ($T1 / $T2, 100 * ($T1 / $T2 - 1)))"
fi
