#!/usr/bin/env bash
# bench_http.sh — `fow serve` under load, against nginx serving the same bytes.
#
#   bench/bench_http.sh [DATA] [--rounds R] [--duration S] [--rss-duration S] [--connections N]
#                       [--wrk-threads N] [--fow-threads N] [--no-cache] [--ids N] [--passing-only]
#                       [--fow PATH] [--peer-fow PATH] [--nginx PATH] [--query-bench PATH]
#
# Imports the full public data (ESCO v1.2.0 bundle, Nesta MCC risk and attributes, as
# bench_util.h's bench_full_import does) into a temporary database, starts
# `fow serve --threads 2 --rate-limit 0 --access-log none` on a free loopback port, and
# an nginx of its own (temporary config, pid, logs and temp folders, the current user,
# 2 workers) on another, serving static files with the same bytes as fow's answers.
# Then, with wrk on loopback (64 connections, 2 threads, --latency, a Lua script that
# cycles through the ids): GET /api/v1/occupations/{id}/transitions?limit=20 for
# --duration seconds on fow, then the same paths on nginx, then the route's query itself
# in process (build/bench_query_rate: resolve the id, rank the top 20 and, when no move
# passes, the nearest moves and the upskilling route, as the route does, on the same
# database, ids and number of threads), --rounds times one after the other, so that each
# round's ratios compare runs made under the same load of the machine. Reports for each
# run requests/s, p50 and p99 latency, errors (non-2xx answers, socket errors) and the
# requests (queries) per CPU second of fow serve (of bench_query_rate); then the medians,
# the ratio fow/in-process (goal with --no-cache: >= 0.75: what the HTTP layer and the
# writing of the answer cost on top of the query), the same ratio per CPU second (steadier
# when other work shares the machine), and fow/nginx (goal >= 0.5).
# Then a --rss-duration run on fow alone while its resident memory (VmRSS of
# /proc/PID/status) is sampled every 5 s: the samples and max/min (goal: flat, <= 1.10).
# Every process and temporary file is removed on exit. With --passing-only, the ids whose
# answer has no passing move (where the route's fallback, far costlier than the ranking,
# runs) are left out and named: the ratio then shows what HTTP and the answer's writing cost.
# With --peer-fow PATH (e.g. a build of main), a second fow serve of that build runs on the
# same database and is measured in every round right after the first (its answers must be
# byte-identical), so that before and after compare under the same load; each fow run also
# reports the share of its CPU time spent in the kernel (system time: the sockets).
#
# DATA: the first argument, else $FOW_SHARED_DATA, else ../shared/data. Needs curl and
# python3; uses wrk (Debian package wrk) when installed, else build/bench_http_load (the
# same kind of load: keep-alive connections, one request in flight on each); and nginx
# (nginx-light) when installed, else the nginx lines are left out.
set -u

DATA="" ROUNDS=3 DURATION=10 RSS_DURATION=60 CONNECTIONS=64 WRK_THREADS=2 N_IDS=8 FOW_THREADS=2 FOW_CACHE=""
PASSING_ONLY=0
HERE=$(cd "$(dirname "$0")" && pwd)
FOW="$HERE/../build/fow"
PEER_FOW=""
QUERY_BENCH="$HERE/../build/bench_query_rate"
LOAD="$HERE/../build/bench_http_load"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
usage() { sed -n '2,38p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --rss-duration) RSS_DURATION="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --wrk-threads) WRK_THREADS="$2"; shift 2 ;;
    --fow-threads) FOW_THREADS="$2"; shift 2 ;;
    --no-cache) FOW_CACHE="--no-cache"; shift ;;
    --ids) N_IDS="$2"; shift 2 ;;
    --passing-only) PASSING_ONLY=1; shift ;;
    --fow) FOW="$2"; shift 2 ;;
    --peer-fow) PEER_FOW="$2"; shift 2 ;;
    --nginx) NGINX="$2"; shift 2 ;;
    --query-bench) QUERY_BENCH="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    -*) echo "bench_http: unknown option '$1'" >&2; usage 1 ;;
    *) DATA="$1"; shift ;;
  esac
done
[ -n "$DATA" ] || DATA="${FOW_SHARED_DATA:-../shared/data}"
for n in "$ROUNDS" "$DURATION" "$RSS_DURATION" "$CONNECTIONS" "$WRK_THREADS" "$N_IDS"; do
  case "$n" in ''|*[!0-9]*) echo "bench_http: '$n' is not a whole number" >&2; exit 1 ;; esac
done
[ "$RSS_DURATION" -ge 5 ] || { echo "bench_http: --rss-duration must be at least 5" >&2; exit 1; }
[ -x "$FOW" ] || { echo "bench_http: no fow binary at $FOW (make build, or --fow PATH)" >&2; exit 1; }
[ -z "$PEER_FOW" ] || [ -x "$PEER_FOW" ] || { echo "bench_http: no fow binary at $PEER_FOW" >&2; exit 1; }
[ -x "$QUERY_BENCH" ] || { echo "bench_http: no bench_query_rate at $QUERY_BENCH (make build)" >&2; exit 1; }
[ -d "$DATA/esco-1.2.0" ] || { echo "bench_http: the public data is not at '$DATA'" >&2; exit 1; }
for tool in curl python3; do
  command -v "$tool" > /dev/null || { echo "bench_http: needs $tool" >&2; exit 1; }
done
HAVE_WRK=1 HAVE_NGINX=1
command -v wrk > /dev/null || HAVE_WRK=0
command -v "$NGINX" > /dev/null || HAVE_NGINX=0
[ "$HAVE_WRK" = 1 ] || [ -x "$LOAD" ] || { echo "bench_http: needs wrk or build/bench_http_load" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fow-bench-http-XXXXXX")
FOW_PID="" PEER_PID="" NGINX_PID="" WRK_PID=""
cleanup() {
  for pid in $WRK_PID $FOW_PID $PEER_PID $NGINX_PID; do
    kill -TERM "$pid" 2> /dev/null
  done
  for pid in $WRK_PID $FOW_PID $PEER_PID $NGINX_PID; do
    for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
now_ms() { date +%s%3N; }

echo "bench_http: fow serve vs nginx on loopback, $(nproc) cores, $(uname -srm)"
echo "  fow: $FOW"
[ -n "$PEER_FOW" ] && echo "  peer fow: $PEER_FOW"
if [ "$HAVE_NGINX" = 1 ]; then echo "  $("$NGINX" -v 2>&1)"; else echo "  nginx: not installed, no static peer"; fi
if [ "$HAVE_WRK" = 1 ]; then echo "  $(wrk -v 2>&1 | head -1 | sed 's/ Copyright.*//')"; else echo "  load: $LOAD (wrk not installed)"; fi
echo "  data: $DATA"

# ---- the database: the three imports of bench_full_import ------------------------------
DB="$WORK/fow.db"
t0=$(now_ms)
"$FOW" --db "$DB" --quiet import bundle "$DATA/esco-1.2.0" > /dev/null &&
  "$FOW" --db "$DB" --quiet import risk "$DATA/risk/mcc_risk_esco.csv" --model mcc > /dev/null &&
  "$FOW" --db "$DB" --quiet import attributes "$DATA/occupations/mcc_attributes.csv" > /dev/null ||
  { echo "bench_http: the import failed" >&2; exit 1; }
echo "  imported the full data in $(( $(now_ms) - t0 )) ms"

# ---- fow serve --------------------------------------------------------------------------
# wrk's connections all come from 127.0.0.1: allow it as many as the server takes
"$FOW" --db "$DB" serve --listen 127.0.0.1:0 --threads "$FOW_THREADS" $FOW_CACHE --rate-limit 0 --access-log none \
  --client-connections 1024 > "$WORK/fow.out" 2> "$WORK/fow.err" &
FOW_PID=$!
FOW_PORT=""
for _ in $(seq 300); do
  FOW_PORT=$(sed -n 's|^fow is serving .* on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$WORK/fow.out" | head -1)
  [ -n "$FOW_PORT" ] && break
  kill -0 "$FOW_PID" 2> /dev/null || break
  sleep 0.1
done
[ -n "$FOW_PORT" ] || { echo "bench_http: fow serve did not start: $(cat "$WORK/fow.err")" >&2; exit 1; }
FOW_URL="http://127.0.0.1:$FOW_PORT"
if [ -n "$PEER_FOW" ]; then
  "$PEER_FOW" --db "$DB" serve --listen 127.0.0.1:0 --threads "$FOW_THREADS" $FOW_CACHE --rate-limit 0 \
    --access-log none --client-connections 1024 > "$WORK/peer.out" 2> "$WORK/peer.err" &
  PEER_PID=$!
  PEER_PORT=""
  for _ in $(seq 300); do
    PEER_PORT=$(sed -n 's|^fow is serving .* on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$WORK/peer.out" | head -1)
    [ -n "$PEER_PORT" ] && break
    kill -0 "$PEER_PID" 2> /dev/null || break
    sleep 0.1
  done
  [ -n "$PEER_PORT" ] || { echo "bench_http: the peer fow serve did not start: $(cat "$WORK/peer.err")" >&2; exit 1; }
  PEER_URL="http://127.0.0.1:$PEER_PORT"
fi

# the ids: call centre agent (by ESCO code) and its most similar occupations
# (with --passing-only, those with a passing move: total > 0 in their answer)
python3 - "$FOW_URL" "$N_IDS" "$PASSING_ONLY" > "$WORK/ids" << 'PY' || { echo "bench_http: could not pick the ids" >&2; exit 1; }
import json, sys, urllib.parse, urllib.request
base, n, passing_only = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
q = urllib.parse.quote("call centre agent", safe="")
with urllib.request.urlopen("%s/api/v1/occupations/%s/similar?limit=%d" % (base, q, max(n - 1, 1))) as r:
    d = json.load(r)
codes = [d["origin"]["code"]] + [x["code"] for x in d["similar"]]
codes = codes[:n]
if passing_only:
    kept = []
    for code in codes:
        with urllib.request.urlopen("%s/api/v1/occupations/%s/transitions?limit=20" % (base, code)) as r:
            if json.load(r)["total"] > 0:
                kept.append(code)
            else:
                print("  left out %s: no move passes (the route's fallback runs)" % code, file=sys.stderr)
    codes = kept
print("\n".join(codes))
PY

# ---- nginx with the same bytes ----------------------------------------------------------
mkdir -p "$WORK/www" "$WORK/nginx/tmp" "$WORK/nginx/logs"
PATHS=()
bytes_total=0
while read -r id; do
  path="/api/v1/occupations/$id/transitions?limit=20"
  mkdir -p "$WORK/www/api/v1/occupations/$id"
  file="$WORK/www/api/v1/occupations/$id/transitions"
  code=$(curl -s -o "$file" -w '%{http_code}' "$FOW_URL$path")
  [ "$code" = 200 ] || { echo "bench_http: $path answered $code" >&2; exit 1; }
  bytes_total=$(( bytes_total + $(stat -c %s "$file") ))
  PATHS+=("$path")
done < "$WORK/ids"
N_PATHS=${#PATHS[@]}
for path in "${PATHS[@]}"; do
  if [ -n "$PEER_FOW" ] && ! cmp -s <(curl -s "$FOW_URL$path") <(curl -s "$PEER_URL$path"); then
    echo "bench_http: the two builds of fow answer $path with different bytes" >&2
    exit 1
  fi
done
[ "$N_PATHS" -gt 0 ] || { echo "bench_http: no ids" >&2; exit 1; }
if [ "$HAVE_NGINX" = 1 ]; then
NGINX_PORT=$(free_port)
USER_LINE=""
[ "$(id -u)" = 0 ] && USER_LINE="user $(id -un) $(id -gn);"
cat > "$WORK/nginx/nginx.conf" << EOF
$USER_LINE
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/tmp/body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
    scgi_temp_path $WORK/nginx/tmp/scgi;
    default_type application/json;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000000;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/www;
        location / { try_files \$uri =404; }
    }
}
EOF
"$NGINX" -p "$WORK/nginx" -e "$WORK/nginx/logs/error.log" -c "$WORK/nginx/nginx.conf" \
  > "$WORK/nginx/logs/stdout" 2>&1 &
NGINX_PID=$!
NGINX_URL="http://127.0.0.1:$NGINX_PORT"
for _ in $(seq 100); do
  curl -s -o /dev/null "$NGINX_URL${PATHS[0]}" && break
  kill -0 "$NGINX_PID" 2> /dev/null || break
  sleep 0.1
done
for path in "${PATHS[@]}"; do
  if ! cmp -s <(curl -s "$FOW_URL$path") <(curl -s "$NGINX_URL$path"); then
    echo "bench_http: nginx does not serve fow's bytes for $path: $(cat "$WORK/nginx/logs/error.log")" >&2
    exit 1
  fi
done
fi
echo "  $N_PATHS paths (mean answer $(( bytes_total / N_PATHS )) bytes), the same bytes from both:"
printf '    %s\n' "${PATHS[@]}"

# the wrk script: each thread cycles through the paths, from its own start
{
  echo "local paths = {"
  for path in "${PATHS[@]}"; do echo "  \"$path\","; done
  echo "}"
  cat << 'LUA'
local i = 0
local counter = 0
function setup(thread)
  thread:set("start", counter)
  counter = counter + 1
end
function init(args)
  i = (start or 0) % #paths
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA
} > "$WORK/paths.lua"

# ---- wrk runs -----------------------------------------------------------------------------
# run_wrk NAME URL SECONDS: wrk's output in $WORK/NAME.wrk
run_wrk() {
  if [ "$HAVE_WRK" = 1 ]; then
    wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "${3}s" --latency -s "$WORK/paths.lua" "$2" > "$WORK/$1.wrk" 2>&1 &
  else
    local hostport=${2#http://}
    "$LOAD" "${hostport%:*}" "${hostport##*:}" --threads "$WRK_THREADS" --connections "$CONNECTIONS" \
      --seconds "$3" "${PATHS[@]}" > "$WORK/$1.wrk" 2>&1 &
  fi
  WRK_PID=$!
  wait "$WRK_PID"
  local rc=$?
  WRK_PID=""
  [ "$rc" = 0 ] || { echo "bench_http: wrk failed on $2: $(cat "$WORK/$1.wrk")" >&2; exit 1; }
}
# parse NAME: "rps p50_ms p99_ms non2xx socket_errors requests"
parse() {
  python3 - "$WORK/$1.wrk" << 'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(v, unit):
    return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
lat = {p: ms(v, u) for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)}
m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
non2xx = int(m.group(1)) if m else 0
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
sock = sum(int(x) for x in m.groups()) if m else 0
reqs = int(re.search(r"(\d+) requests in", text).group(1))
print("%.1f %.3f %.3f %d %d %d" % (rps, lat.get("50", -1), lat.get("99", -1), non2xx, sock, reqs))
PY
}

echo
echo "== GET /api/v1/occupations/{id}/transitions?limit=20: $CONNECTIONS connections, $WRK_THREADS wrk threads," \
  "$ROUNDS rounds of ${DURATION} s each"
run_wrk warm-fow "$FOW_URL" 3
[ -n "$PEER_FOW" ] && run_wrk warm-peer "$PEER_URL" 3
[ "$HAVE_NGINX" = 1 ] && run_wrk warm-nginx "$NGINX_URL" 3
# Rounds of fow, nginx and the in-process query one after the other, so that each ratio
# compares runs made under the same load of the machine; the medians of the rounds are
# reported.
# CPU time (user and system, in clock ticks) of a process so far
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
sys_ticks() { awk '{ print $15 }' "/proc/$1/stat"; }
# measure_fow NAME URL PID LABEL: one wrk run on a fow serve; sets M_RPS, M_CPU (requests per
# CPU second) and M_SYS (the kernel's share of its CPU time) and prints the row
measure_fow() {
  local cpu0 cpu1 sys0 sys1 p50 p99 non2xx sock reqs
  cpu0=$(cpu_ticks "$3") sys0=$(sys_ticks "$3")
  run_wrk "$1" "$2" "$DURATION"
  cpu1=$(cpu_ticks "$3") sys1=$(sys_ticks "$3")
  read -r M_RPS p50 p99 non2xx sock reqs <<< "$(parse "$1")"
  M_CPU=$(python3 -c "print('%.1f' % ($reqs / (($cpu1 - $cpu0) / $CLK_TCK)))")
  M_SYS=$(python3 -c "print('%.2f' % (($sys1 - $sys0) / max($cpu1 - $cpu0, 1)))")
  printf '  %-28s %12s %10s %10s %10s %14s %10s %12s %8s\n' "$round: $4" "$M_RPS" "$p50" "$p99" "$reqs" "$non2xx" \
    "$sock" "$M_CPU" "$M_SYS"
  F_ERRORS=$(( F_ERRORS + non2xx + sock ))
}
printf '  %-28s %12s %10s %10s %10s %14s %10s %12s %8s\n' "round: server" "requests/s" "p50 ms" "p99 ms" "requests" \
  "non-2xx" "socket err" "per CPU s" "kernel"
F_ALL="" N_ALL="" Q_ALL="" FQ_ALL="" FN_ALL="" FQC_ALL="" F_ERRORS=0 FS_ALL=""
P_ALL="" PQ_ALL="" PQC_ALL="" PS_ALL="" FP_ALL=""
for ((round = 1; round <= ROUNDS; round++)); do
  measure_fow fow "$FOW_URL" "$FOW_PID" "fow serve ($FOW_THREADS threads)"
  F_RPS=$M_RPS F_CPU=$M_CPU FS_ALL="$FS_ALL $M_SYS"
  if [ -n "$PEER_FOW" ]; then
    measure_fow peer "$PEER_URL" "$PEER_PID" "peer fow ($FOW_THREADS threads)"
    P_RPS=$M_RPS P_CPU=$M_CPU PS_ALL="$PS_ALL $M_SYS"
  fi
  if [ "$HAVE_NGINX" = 1 ]; then
    run_wrk nginx "$NGINX_URL" "$DURATION"
    read -r N_RPS N_P50 N_P99 N_NON2XX N_SOCK N_REQS <<< "$(parse nginx)"
    printf '  %-28s %12s %10s %10s %10s %14s %10s\n' "$round: nginx (2 workers)" "$N_RPS" "$N_P50" "$N_P99" "$N_REQS" \
      "$N_NON2XX" "$N_SOCK"
    N_ALL="$N_ALL $N_RPS" FN_ALL="$FN_ALL $(python3 -c "print($F_RPS / $N_RPS)")"
  fi
  "$QUERY_BENCH" "$DB" --threads "$FOW_THREADS" --seconds "$DURATION" --runs 1 $(cat "$WORK/ids") > "$WORK/query.out" 2>&1 ||
    { echo "bench_http: bench_query_rate failed: $(cat "$WORK/query.out")" >&2; exit 1; }
  Q_RPS=$(sed -n 's/^median \([0-9.]*\) queries.*/\1/p' "$WORK/query.out")
  Q_CPU=$(sed -n 's/^cpu median \([0-9.]*\) queries.*/\1/p' "$WORK/query.out")
  printf '  %-28s %12s %10s %10s %10s %14s %10s %12s\n' "$round: in process ($FOW_THREADS thr.)" "$Q_RPS" "" "" "" "" "" \
    "$Q_CPU"
  F_ALL="$F_ALL $F_RPS" Q_ALL="$Q_ALL $Q_RPS" FQ_ALL="$FQ_ALL $(python3 -c "print($F_RPS / $Q_RPS)")"
  FQC_ALL="$FQC_ALL $(python3 -c "print($F_CPU / $Q_CPU)")"
  if [ -n "$PEER_FOW" ]; then
    P_ALL="$P_ALL $P_RPS" PQ_ALL="$PQ_ALL $(python3 -c "print($P_RPS / $Q_RPS)")"
    PQC_ALL="$PQC_ALL $(python3 -c "print($P_CPU / $Q_CPU)")" FP_ALL="$FP_ALL $(python3 -c "print($F_CPU / $P_CPU)")"
  fi
done
median() { python3 -c "import statistics, sys; print('%.2f' % statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }
echo "  medians of $ROUNDS rounds:"
echo "    fow serve $(median $F_ALL) requests/s; in process $(median $Q_ALL) queries/s${N_ALL:+; nginx $(median $N_ALL) requests/s}"
Q_RATIO=$(median $FQ_ALL)
Q_GOAL=$(python3 -c "print('met' if $Q_RATIO >= 0.75 else 'NOT met')")
echo "    ratio fow/in-process (median of the rounds' ratios): $Q_RATIO  (goal with --no-cache >= 0.75: $Q_GOAL)"
echo "    ratio fow/in-process per CPU second (median of the rounds' ratios): $(median $FQC_ALL)" \
  "(the same comparison by the CPU time each side used: steadier when other work shares the cores)"
echo "    kernel share of fow serve's CPU time (median): $(median $FS_ALL)"
if [ -n "$PEER_FOW" ]; then
  echo "    peer fow $(median $P_ALL) requests/s; peer/in-process $(median $PQ_ALL) by wall clock," \
    "$(median $PQC_ALL) per CPU second; kernel share $(median $PS_ALL)"
  echo "    fow/peer per CPU second (median of the rounds' ratios): $(median $FP_ALL)"
fi
if [ "$HAVE_NGINX" = 1 ]; then
  RATIO=$(median $FN_ALL)
  GOAL=$(python3 -c "print('met' if $RATIO >= 0.5 else 'NOT met')")
  echo "    ratio fow/nginx (median of the rounds' ratios): $RATIO  (goal >= 0.5: $GOAL)"
fi
[ "$F_ERRORS" = 0 ] || echo "  WARNING: fow had $F_ERRORS errors (non-2xx answers and socket errors)"

# ---- resident memory under load -------------------------------------------------------------
echo
echo "== fow serve's resident memory (VmRSS) under the same load, sampled every 5 s for ${RSS_DURATION} s"
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$FOW_PID/status"; }
if [ "$HAVE_WRK" = 1 ]; then
  wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "${RSS_DURATION}s" --latency -s "$WORK/paths.lua" "$FOW_URL" \
    > "$WORK/rss.wrk" 2>&1 &
else
  "$LOAD" 127.0.0.1 "$FOW_PORT" --threads "$WRK_THREADS" --connections "$CONNECTIONS" --seconds "$RSS_DURATION" \
    "${PATHS[@]}" > "$WORK/rss.wrk" 2>&1 &
fi
WRK_PID=$!
SAMPLES=()
start=$(now_ms)
for ((t = 0; t <= RSS_DURATION; t += 5)); do
  # sleep until t seconds after the start
  wait_ms=$(( start + t * 1000 - $(now_ms) ))
  [ "$wait_ms" -gt 0 ] && sleep "$(python3 -c "print($wait_ms / 1000)")"
  kb=$(rss_kb)
  SAMPLES+=("$kb")
  printf '  t=%3d s  VmRSS %8d kB  (%.1f MB)\n' "$t" "$kb" "$(python3 -c "print($kb / 1024)")"
done
wait "$WRK_PID"
WRK_PID=""
read -r R_RPS R_P50 R_P99 R_NON2XX R_SOCK R_REQS <<< "$(parse rss)"
python3 - "${SAMPLES[@]}" << 'PY'
import sys
s = [int(x) for x in sys.argv[1:]]
r = max(s) / min(s)
print("  min %.1f MB, max %.1f MB, max/min %.3f  (goal: flat, <= 1.10: %s)"
      % (min(s) / 1024, max(s) / 1024, r, "met" if r <= 1.10 else "NOT met"))
PY
echo "  during that run: $R_RPS requests/s, p50 $R_P50 ms, p99 $R_P99 ms, non-2xx $R_NON2XX, socket errors $R_SOCK"
kill -0 "$FOW_PID" 2> /dev/null || { echo "bench_http: fow serve died: $(cat "$WORK/fow.err")" >&2; exit 1; }
