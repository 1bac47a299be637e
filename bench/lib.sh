# Shared pieces of the proxy benchmarks (sourced, not run): bench/ingress/run.sh
# and bench/proxy/run_engine_bench.sh. The layout is the one of HOST-NOTES.md:
# an nginx backend serving a fixed 45-byte body and wrk on cpu1, the proxy
# under test on cpu0, one thread each, keep-alive to the backend, no access log.
#
# The caller sets BENCH_DIR (a scratch directory), BACKEND_PORT, PROXY_PORT
# and BENCH_THREADS (worker threads of every proxy, default 1), then calls
# bench_backend_start and bench_write_configs.

BENCH_THREADS=${BENCH_THREADS:-1}
BENCH_PROXY_CPUS=${BENCH_PROXY_CPUS:-0}   # where the proxy runs
BENCH_LOAD_CPUS=${BENCH_LOAD_CPUS:-1}     # where the backend and wrk run
BENCH_BODY="0123456789012345678901234567890123456789abcd"   # + "\n" = 45 bytes
BENCH_HZ=$(getconf CLK_TCK)

bench_die() { echo "bench: $*" >&2; exit 1; }

bench_require() {  # command...
  local c
  for c in "$@"; do command -v "$c" >/dev/null || bench_die "$c not found (run: bash scripts/deps.sh bench)"; done
}

bench_port_free() {  # port → true if nothing listens on 127.0.0.1:port
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

bench_wait_port() {  # port [seconds] → waits until something listens
  local i
  for i in $(seq 1 $(( ${2:-10} * 20 ))); do
    bench_port_free "$1" || return 0
    sleep 0.05
  done
  bench_die "nothing listens on 127.0.0.1:$1"
}

# nginx prefix with every temp path inside it; $1 = directory, $2 = the http{} body.
_bench_nginx_conf() {
  local d=$1
  mkdir -p "$d"
  cat > "$d/nginx.conf" <<CONF
worker_processes $BENCH_THREADS; daemon off; pid $d/nginx.pid; error_log $d/error.log;
worker_rlimit_nofile 19000;
events { worker_connections 10240; }
http { access_log off; keepalive_requests 1000000; keepalive_timeout 300s;
  client_body_temp_path $d; proxy_temp_path $d; fastcgi_temp_path $d;
  uwsgi_temp_path $d; scgi_temp_path $d;
$2
}
CONF
}

bench_write_configs() {
  # Backend: one nginx worker answering every request with the 45-byte body.
  BENCH_BACKEND_CONF=$BENCH_DIR/backend/nginx.conf
  _bench_nginx_conf "$BENCH_DIR/backend" \
    "  server { listen 127.0.0.1:$BACKEND_PORT; location / { return 200 \"$BENCH_BODY\n\"; } }"
  # nginx as a proxy: keep-alive upstream (HTTP/1.1, empty Connection header).
  BENCH_NGINX_CONF=$BENCH_DIR/nginxproxy/nginx.conf
  _bench_nginx_conf "$BENCH_DIR/nginxproxy" \
"  upstream b { server 127.0.0.1:$BACKEND_PORT; keepalive 256; }
  server { listen 127.0.0.1:$PROXY_PORT; location / { proxy_pass http://b; proxy_http_version 1.1;
    proxy_set_header Connection \"\"; } }"
  # HAProxy: maxconn 9000 is the largest that starts under the 20000 open-files limit.
  BENCH_HAPROXY_CONF=$BENCH_DIR/haproxy.cfg
  cat > "$BENCH_HAPROXY_CONF" <<CONF
global
  nbthread $BENCH_THREADS
  maxconn 9000
defaults
  mode http
  maxconn 9000
  timeout connect 5s
  timeout client 300s
  timeout server 30s
  timeout http-keep-alive 300s
  http-reuse always
frontend f
  bind 127.0.0.1:$PROXY_PORT
  default_backend b
backend b
  server s1 127.0.0.1:$BACKEND_PORT
CONF
}

bench_backend_start() {
  bench_port_free "$BACKEND_PORT" || bench_die "port $BACKEND_PORT is in use"
  taskset -c "$BENCH_LOAD_CPUS" nginx -p "$BENCH_DIR/backend" -c "$BENCH_BACKEND_CONF" \
    > "$BENCH_DIR/backend/out" 2>&1 &
  BENCH_BACKEND_PID=$!
  bench_wait_port "$BACKEND_PORT"
}

# Starts a proxy on cpu0: bench_proxy_start NAME COMMAND...
# Sets BENCH_PROXY_PID (the process started) and BENCH_MEASURED_PID (the one doing
# the work: nginx's worker, else the process itself). NAME "direct" starts nothing.
bench_proxy_start() {
  local name=$1; shift
  BENCH_PROXY_NAME=$name
  if [ "$name" = direct ]; then
    BENCH_PROXY_PID=""; BENCH_MEASURED_PID=""; BENCH_URL="http://127.0.0.1:$BACKEND_PORT/"
    return
  fi
  bench_port_free "$PROXY_PORT" || bench_die "port $PROXY_PORT is in use before starting $name"
  taskset -c "$BENCH_PROXY_CPUS" "$@" > "$BENCH_DIR/$name.out" 2>&1 &
  BENCH_PROXY_PID=$!
  bench_wait_port "$PROXY_PORT"
  BENCH_MEASURED_PID=$BENCH_PROXY_PID
  if [ "$name" = nginx ]; then
    local i
    for i in $(seq 1 50); do
      BENCH_MEASURED_PID=$(pgrep -P "$BENCH_PROXY_PID" | head -1 || true)
      [ -n "$BENCH_MEASURED_PID" ] && break
      sleep 0.05
    done
    [ -n "$BENCH_MEASURED_PID" ] || bench_die "nginx started no worker"
  fi
  BENCH_URL="http://127.0.0.1:$PROXY_PORT/"
}

bench_proxy_stop() {
  [ -n "$BENCH_PROXY_PID" ] || return 0
  kill "$BENCH_PROXY_PID" 2>/dev/null || true
  wait "$BENCH_PROXY_PID" 2>/dev/null || true
  local i
  for i in $(seq 1 100); do bench_port_free "$PROXY_PORT" && break; sleep 0.05; done
  BENCH_PROXY_PID=""
}

bench_cleanup() {  # for `trap bench_cleanup EXIT`: ends what the script started
  local p
  for p in $(jobs -p); do kill "$p" 2>/dev/null || true; done
  sleep 0.3
  [ -n "${BENCH_DIR:-}" ] && rm -rf "$BENCH_DIR"
}

bench_cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }   # utime+stime, all threads
bench_rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
bench_fds() { ls "/proc/$1/fd" | wc -l; }

# wrk latency ("812.00us", "3.21ms", "1.02s") → milliseconds.
_bench_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000;
    printf "%.3f", n }'
}

# Runs wrk against $BENCH_URL: bench_wrk CONNECTIONS SECONDS.
# Sets BENCH_RPS, BENCH_P50_MS, BENCH_P99_MS, BENCH_CPU_US (CPU µs of the measured
# process per request, "-" for direct) and BENCH_ERRORS (wrk's non-2xx/socket errors).
bench_wrk() {
  local conns=$1 secs=$2 out=$BENCH_DIR/$BENCH_PROXY_NAME.c$1.wrk before=0 after=0
  [ -n "$BENCH_MEASURED_PID" ] && before=$(bench_cpu_ticks "$BENCH_MEASURED_PID")
  taskset -c "$BENCH_LOAD_CPUS" wrk -t1 -c"$conns" -d"${secs}s" --latency "$BENCH_URL" > "$out"
  [ -n "$BENCH_MEASURED_PID" ] && after=$(bench_cpu_ticks "$BENCH_MEASURED_PID")
  local reqs
  reqs=$(awk '/requests in/ {print $1}' "$out")
  BENCH_RPS=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$out")
  BENCH_P50_MS=$(_bench_ms "$(awk '$1=="50%" {print $2}' "$out")")
  BENCH_P99_MS=$(_bench_ms "$(awk '$1=="99%" {print $2}' "$out")")
  if [ -n "$BENCH_MEASURED_PID" ]; then
    BENCH_CPU_US=$(awk -v t=$((after - before)) -v r="$reqs" -v hz="$BENCH_HZ" \
      'BEGIN {printf "%.1f", t * 1e6 / hz / r}')
  else
    BENCH_CPU_US="-"
  fi
  BENCH_ERRORS=$(awk '/Non-2xx|Socket errors/ {sub(/^ +/, ""); printf "%s; ", $0}' "$out")
}

bench_warmup() { taskset -c "$BENCH_LOAD_CPUS" wrk -t1 -c"${1:-64}" -d1s "$BENCH_URL" > /dev/null; }
