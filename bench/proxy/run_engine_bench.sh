#!/bin/bash
# Proxied requests/s, latency and CPU per request of the caravan ingress engine
# (the standalone engine_bench binary, no routing) next to HAProxy 2.6 and
# nginx 1.22 as proxies, in the shape of HOST-NOTES.md: an nginx backend
# serving 45 bytes on cpu1, the proxy on cpu0 (one thread), `wrk -t1 -c64` on
# cpu1. CPU = utime+stime of the proxy process from /proc. The setup is shared
# with bench/ingress/run.sh (bench/lib.sh), which measures the real
# `caravan ingress` process.
#   bench/proxy/run_engine_bench.sh [build/release/bench/engine_bench] [seconds] [rounds]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
source "$HERE/../lib.sh"
BIN=${1:-build/release/bench/engine_bench}
SECS=${2:-10}
ROUNDS=${3:-3}
BACKEND_PORT=${BACKEND_PORT:-18080}
PROXY_PORT=${PROXY_PORT:-18081}

bench_require wrk nginx taskset
[ -x "$BIN" ] || bench_die "$BIN is not an executable"
BENCH_DIR=$(mktemp -d /tmp/caravan-engine-bench-XXXXXX)
trap bench_cleanup EXIT
bench_write_configs
bench_backend_start

run_one() {  # name, command...
  bench_proxy_start "$@"
  bench_warmup 64
  bench_wrk 64 "$SECS"
  printf "%-8s %10s req/s  p99 %-8s cpu/req %6s us  %s\n" \
    "$1" "$BENCH_RPS" "${BENCH_P99_MS}ms" "$BENCH_CPU_US" "$BENCH_ERRORS"
  bench_proxy_stop
}

echo "# $0 $* ($(date -u +%FT%TZ), $(nproc) cpus)"
for round in $(seq 1 "$ROUNDS"); do
  run_one caravan "$BIN" --listen 127.0.0.1:$PROXY_PORT --backend 127.0.0.1:$BACKEND_PORT \
    --threads "$BENCH_THREADS"
  if command -v haproxy >/dev/null; then run_one haproxy haproxy -f "$BENCH_HAPROXY_CONF"; fi
  run_one nginx nginx -p "$BENCH_DIR/nginxproxy" -c "$BENCH_NGINX_CONF"
done
