#!/bin/bash
# Proxied requests/s, latency and CPU per request of the caravan ingress engine
# next to HAProxy 2.6 and nginx 1.22 as proxies, in the shape of HOST-NOTES.md:
# an nginx backend serving 45 bytes on cpu1, the proxy on cpu0 (one thread),
# `wrk -t1 -c64` on cpu1. CPU = utime+stime of the proxy process from /proc.
#   bench/proxy/run_engine_bench.sh [build/release/bench/engine_bench] [seconds] [rounds]
set -euo pipefail
BIN=${1:-build/release/bench/engine_bench}
SECS=${2:-10}
ROUNDS=${3:-3}
DIR=$(mktemp -d /tmp/caravan-engine-bench-XXXXXX)
BACKEND=18080
PROXY=18081
trap 'kill $(jobs -p) 2>/dev/null || true; sleep 0.2; rm -rf "$DIR"' EXIT

mkdir -p "$DIR/backend" "$DIR/nginxproxy"
cat > "$DIR/backend/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $DIR/backend/nginx.pid; error_log $DIR/backend/error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  client_body_temp_path $DIR/backend; proxy_temp_path $DIR/backend; fastcgi_temp_path $DIR/backend;
  uwsgi_temp_path $DIR/backend; scgi_temp_path $DIR/backend;
  server { listen 127.0.0.1:$BACKEND; location / { return 200 "0123456789012345678901234567890123456789abcd\n"; } } }
CONF
cat > "$DIR/nginxproxy/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $DIR/nginxproxy/nginx.pid; error_log $DIR/nginxproxy/error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  client_body_temp_path $DIR/nginxproxy; proxy_temp_path $DIR/nginxproxy; fastcgi_temp_path $DIR/nginxproxy;
  uwsgi_temp_path $DIR/nginxproxy; scgi_temp_path $DIR/nginxproxy;
  upstream b { server 127.0.0.1:$BACKEND; keepalive 128; }
  server { listen 127.0.0.1:$PROXY; location / { proxy_pass http://b; proxy_http_version 1.1;
    proxy_set_header Connection ""; } } }
CONF
cat > "$DIR/haproxy.cfg" <<CONF
global
  nbthread 1
  maxconn 9000
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  http-reuse always
frontend f
  bind 127.0.0.1:$PROXY
  default_backend b
backend b
  server s1 127.0.0.1:$BACKEND
CONF

taskset -c 1 nginx -p "$DIR/backend" -c "$DIR/backend/nginx.conf" &
sleep 0.5

cpu_ticks() { awk '{print $14+$15}' /proc/$1/stat; }

run_one() {  # name, command...
  local name=$1; shift
  taskset -c 0 "$@" > "$DIR/$name.out" 2>&1 &
  local pid=$!
  sleep 0.5
  # nginx forks a worker: measure the worker.
  if [ "$name" = nginx ]; then pid=$(pgrep -P $pid | head -1); fi
  taskset -c 1 wrk -t1 -c64 -d1s "http://127.0.0.1:$PROXY/" > /dev/null  # warm up
  local before; before=$(cpu_ticks $pid)
  taskset -c 1 wrk -t1 -c64 -d${SECS}s --latency "http://127.0.0.1:$PROXY/" > "$DIR/$name.wrk"
  local after; after=$(cpu_ticks $pid)
  local reqs; reqs=$(awk '/requests in/ {print $1}' "$DIR/$name.wrk")
  local rps; rps=$(awk '/Requests\/sec/ {print $2}' "$DIR/$name.wrk")
  local p99; p99=$(awk '$1=="99%" {print $2}' "$DIR/$name.wrk")
  local hz; hz=$(getconf CLK_TCK)
  local us; us=$(awk -v t=$((after-before)) -v r=$reqs -v hz=$hz 'BEGIN {printf "%.1f", t*1e6/hz/r}')
  local errs; errs=$(grep -E "Non-2xx|Socket errors" "$DIR/$name.wrk" | tr '\n' ' ' || true)
  printf "%-8s %10s req/s  p99 %-8s cpu/req %6s us  %s\n" "$name" "$rps" "$p99" "$us" "$errs"
  kill $! 2>/dev/null || true
  wait $! 2>/dev/null || true
  sleep 0.3
}

echo "# $0 $* ($(date -u +%FT%TZ), $(nproc) cpus)"
for round in $(seq 1 "$ROUNDS"); do
  run_one caravan "$BIN" --listen 127.0.0.1:$PROXY --backend 127.0.0.1:$BACKEND --threads 1
  if command -v haproxy >/dev/null; then run_one haproxy haproxy -f "$DIR/haproxy.cfg"; fi
  run_one nginx nginx -p "$DIR/nginxproxy" -c "$DIR/nginxproxy/nginx.conf"
done
