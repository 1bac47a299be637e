#!/bin/bash
# The ingress next to HAProxy 2.6 and nginx 1.22, on one machine, in one run:
# the same nginx backend (45-byte body) measured directly, through HAProxy,
# through nginx as a proxy and through the real `caravan ingress` process (an
# ingress file with one listener and one service with static servers; the
# catalog address points nowhere, so the ingress serves the file's routes).
#
# Layout (HOST-NOTES.md): backend and wrk on cpu1, the proxy on cpu0, every
# proxy with BENCH_THREADS worker threads (1), keep-alive to the backend, no
# access log. Per round, the contenders run in a rotated order; each runs
# `wrk -t1 -c<C> -d<SECS>s --latency` for every C in CONNS after a 1 s warm-up.
# CPU per request = utime+stime of the proxy process (nginx: its worker) from
# /proc/PID/stat over the wrk run / requests. Then, on a freshly started proxy,
# IDLE_CONNS idle keep-alive client connections (one request each, then
# nothing) and the proxy's VmRSS before and after. The tables give medians.
#
#   bench/ingress/run.sh [path/to/caravan]      (default build/release/src/caravan)
#   env: CONTENDERS="direct haproxy nginx caravan" ROUNDS=3 SECS=10 CONNS="64 256" IDLE_CONNS=8000 BENCH_THREADS=1
#        BACKEND_PORT=18080 PROXY_PORT=18081 CATALOG_PORT=18089
# The last line is `rps_ratio_vs_haproxy=X p99_ratio_vs_haproxy=Y` (caravan /
# HAProxy, medians at the first CONNS value).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
source "$HERE/../lib.sh"

CARAVAN=${1:-build/release/src/caravan}
ROUNDS=${ROUNDS:-3}
SECS=${SECS:-10}
CONNS=${CONNS:-64 256}
IDLE_CONNS=${IDLE_CONNS:-8000}
BACKEND_PORT=${BACKEND_PORT:-18080}
PROXY_PORT=${PROXY_PORT:-18081}
CATALOG_PORT=${CATALOG_PORT:-18089}
read -r -a CONTENDERS <<< "${CONTENDERS:-direct haproxy nginx caravan}"

bench_require wrk haproxy nginx taskset python3
if [[ " ${CONTENDERS[*]} " == *" caravan "* ]]; then
  [ -x "$CARAVAN" ] || bench_die "$CARAVAN is not an executable (make bench-ingress builds it)"
  CARAVAN=$(cd "$(dirname "$CARAVAN")" && pwd)/$(basename "$CARAVAN")
fi
bench_port_free "$CATALOG_PORT" || bench_die "port $CATALOG_PORT (the catalog nobody runs) is in use"

BENCH_DIR=$(mktemp -d /tmp/caravan-ingress-bench-XXXXXX)
trap bench_cleanup EXIT
RESULTS=$BENCH_DIR/results      # round contender conns rps p50 p99 cpu
MEMORY=$BENCH_DIR/memory        # round contender before after kib/conn open fds+

bench_write_configs
cat > "$BENCH_DIR/ingress.hcl" <<CONF
listener {
  port    = $PROXY_PORT
  address = "127.0.0.1"
  service "bench" {
    servers = ["127.0.0.1:$BACKEND_PORT"]
  }
}
CONF

proxy_start() {  # contender
  case $1 in
    direct)  bench_proxy_start direct ;;
    haproxy) bench_proxy_start haproxy haproxy -f "$BENCH_HAPROXY_CONF" ;;
    nginx)   bench_proxy_start nginx nginx -p "$BENCH_DIR/nginxproxy" -c "$BENCH_NGINX_CONF" ;;
    caravan) bench_proxy_start caravan "$CARAVAN" ingress -config "$BENCH_DIR/ingress.hcl" \
               -admin-port -1 -threads "$BENCH_THREADS" -address "http://127.0.0.1:$CATALOG_PORT" ;;
  esac
}

throughput() {  # round contender
  proxy_start "$2"
  bench_warmup 64
  local c
  for c in $CONNS; do
    bench_wrk "$c" "$SECS"
    echo "$1 $2 $c $BENCH_RPS $BENCH_P50_MS $BENCH_P99_MS $BENCH_CPU_US" >> "$RESULTS"
    printf "  round %d  %-8s c=%-4s %8s req/s  p50 %7s ms  p99 %7s ms  cpu %6s us/req  %s\n" \
      "$1" "$2" "$c" "$BENCH_RPS" "$BENCH_P50_MS" "$BENCH_P99_MS" "$BENCH_CPU_US" "$BENCH_ERRORS"
  done
  bench_proxy_stop
}

idle_memory() {  # round contender
  proxy_start "$2"
  sleep 0.5
  local pid=$BENCH_MEASURED_PID ready=$BENCH_DIR/idle.ready
  local rss0 fd0 rss1 fd1 holder i
  rss0=$(bench_rss_kib "$pid"); fd0=$(bench_fds "$pid")
  rm -f "$ready"
  taskset -c "$BENCH_LOAD_CPUS" python3 "$HERE/idle_clients.py" 127.0.0.1 "$PROXY_PORT" \
    "$IDLE_CONNS" "$ready" &
  holder=$!
  for i in $(seq 1 1200); do [ -f "$ready" ] && break; sleep 0.1; done
  [ -f "$ready" ] || bench_die "idle_clients.py did not finish opening connections"
  sleep 1
  rss1=$(bench_rss_kib "$pid"); fd1=$(bench_fds "$pid")
  local open; open=$(sed -n 's/^open=\([0-9]*\).*/\1/p' "$ready")
  # The proxy closes first, so the client's ports are not left in TIME_WAIT.
  bench_proxy_stop
  kill "$holder" 2>/dev/null || true
  wait "$holder" 2>/dev/null || true
  local per; per=$(awk -v a="$rss0" -v b="$rss1" -v n="$open" 'BEGIN {printf "%.2f", n ? (b - a) / n : 0}')
  echo "$1 $2 $rss0 $rss1 $per $open $((fd1 - fd0))" >> "$MEMORY"
  printf "  round %d  %-8s idle: RSS %6s -> %6s KiB  %6s KiB/conn  (%s, proxy fds +%d)\n" \
    "$1" "$2" "$rss0" "$rss1" "$per" "$(cat "$ready")" $((fd1 - fd0))
}

median() {  # numbers on stdin → their median ("-" if none)
  sort -g | awk '{v[NR] = $1} END { if (NR == 0) { print "-"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m }'
}
col_median() {  # file contender-field-match column
  awk -v m="$2" -v k="$3" '$0 ~ m && $k != "-" {print $k}' "$1" | median
}

echo "# command: $0 $*  (ROUNDS=$ROUNDS SECS=$SECS CONNS=\"$CONNS\" IDLE_CONNS=$IDLE_CONNS BENCH_THREADS=$BENCH_THREADS)"
echo "# date: $(date -u +%FT%TZ)  host: $(nproc) cpus, load average $(cut -d' ' -f1-3 /proc/loadavg), open files $(ulimit -Hn)"
echo "# $(haproxy -v | head -1)"
echo "# $(nginx -v 2>&1)"
echo "# $(wrk -v 2>&1 | head -1)"
echo "# caravan: $CARAVAN ($(git -C "$HERE" rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo "# layout: backend nginx (45-byte body) + wrk on cpu$BENCH_LOAD_CPUS, proxy on cpu$BENCH_PROXY_CPUS, $BENCH_THREADS proxy thread(s)"

bench_backend_start
for round in $(seq 1 "$ROUNDS"); do
  n=${#CONTENDERS[@]}
  for k in $(seq 0 $((n - 1))); do
    name=${CONTENDERS[$(( (k + round - 1) % n ))]}
    throughput "$round" "$name"
    [ "$name" = direct ] || idle_memory "$round" "$name"
  done
done

echo
echo "== Throughput: medians of $ROUNDS rounds (wrk -t1 -d${SECS}s --latency; cpu = proxy process utime+stime / request)"
printf "%-9s %6s %10s %9s %9s %12s   %s\n" contender conns "req/s" "p50 ms" "p99 ms" "cpu us/req" "req/s per round"
for c in $CONNS; do
  for name in "${CONTENDERS[@]}"; do
    m="^[0-9]+ $name $c "
    printf "%-9s %6s %10s %9s %9s %12s   %s\n" "$name" "$c" \
      "$(col_median "$RESULTS" "$m" 4)" "$(col_median "$RESULTS" "$m" 5)" \
      "$(col_median "$RESULTS" "$m" 6)" "$(col_median "$RESULTS" "$m" 7)" \
      "$(awk -v m="$m" '$0 ~ m {printf "%s ", $4}' "$RESULTS")"
  done
done
echo
echo "== Memory per idle keep-alive client connection: $IDLE_CONNS connections, one request each then idle (VmRSS, medians)"
printf "%-9s %15s %15s %10s   %s\n" contender "RSS before KiB" "RSS after KiB" "KiB/conn" "KiB/conn per round"
for name in "${CONTENDERS[@]}"; do
  [ "$name" = direct ] && continue
  m="^[0-9]+ $name "
  printf "%-9s %15s %15s %10s   %s\n" "$name" "$(col_median "$MEMORY" "$m" 3)" \
    "$(col_median "$MEMORY" "$m" 4)" "$(col_median "$MEMORY" "$m" 5)" \
    "$(awk -v m="$m" '$0 ~ m {printf "%s ", $5}' "$MEMORY")"
done
echo
first=${CONNS%% *}
awk -v cr="$(col_median "$RESULTS" "^[0-9]+ caravan $first " 4)" \
    -v hr="$(col_median "$RESULTS" "^[0-9]+ haproxy $first " 4)" \
    -v cp="$(col_median "$RESULTS" "^[0-9]+ caravan $first " 6)" \
    -v hp="$(col_median "$RESULTS" "^[0-9]+ haproxy $first " 6)" \
    'function r(a, b) { return (a == "-" || b == "-" || b + 0 == 0) ? "n/a" : sprintf("%.2f", a / b) }
     BEGIN {printf "rps_ratio_vs_haproxy=%s p99_ratio_vs_haproxy=%s\n", r(cr, hr), r(cp, hp)}'
