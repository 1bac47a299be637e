#!/usr/bin/env bash
# `make run`: starts `caravan agent -dev` (server, client and ingress in one
# process, state in a temporary directory) and shows it working: the example
# jobs are planned and run, their status printed, an instance of the web job
# answers on its dynamic port, the catalog lists its healthy instances, the
# ingress on port 8080 routes to them by path and by host, and a task's logs
# are read back. The agent then keeps running (API on http://127.0.0.1:4646,
# ingress on http://127.0.0.1:8080) until Ctrl-C.
set -euo pipefail
bin=${1:-build/release/src/caravan}
cd "$(dirname "$0")/.."
export CARAVAN_ADDR=${CARAVAN_ADDR:-http://127.0.0.1:4646}

echo "== $("$bin" version)"
log=$(mktemp)
"$bin" agent -dev >"$log" 2>&1 &
agent=$!
cleanup() {
  kill -TERM "$agent" 2>/dev/null || true
  wait "$agent" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

for _ in $(seq 100); do
  curl -fs "$CARAVAN_ADDR/v1/agent/self" >/dev/null 2>&1 && break
  if ! kill -0 "$agent" 2>/dev/null; then cat "$log"; exit 1; fi
  sleep 0.1
done
for _ in $(seq 100); do
  [ "$(curl -fs "$CARAVAN_ADDR/v1/nodes")" != "[]" ] && break
  sleep 0.1
done
echo "== caravan agent -dev is up at $CARAVAN_ADDR"
"$bin" node status

echo; echo "== caravan job plan examples/web.nomad.hcl"
"$bin" job plan examples/web.nomad.hcl || true
for f in examples/web.nomad.hcl examples/batch.nomad.hcl examples/system.nomad.hcl; do
  echo; echo "== caravan job run $f"
  "$bin" job run "$f" || echo "(exit code $?)"
done

sleep 2
echo; echo "== caravan job status web"
"$bin" job status web

port=$(curl -fs "$CARAVAN_ADDR/v1/job/web/allocations" |
  python3 -c 'import json,sys
for a in json.load(sys.stdin):
    if a["ClientStatus"] == "running":
        print(a["AllocatedResources"]["Shared"]["Ports"][0]["Value"]); break')
echo; echo "== curl http://127.0.0.1:$port/ (an instance of web on its dynamic port)"
curl -fs "http://127.0.0.1:$port/" | head -n 5 || echo "(not answering yet)"

echo; echo "== caravan service info web (the catalog: instances and their check status)"
for _ in $(seq 100); do
  [ "$(curl -fs "$CARAVAN_ADDR/v1/health/service/web?passing" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -ge 1 ] && break
  sleep 0.1
done
"$bin" service info web || true
echo; echo "== curl http://127.0.0.1:8080/web/ (the ingress: Fabio tag urlprefix-/web)"
curl -fs "http://127.0.0.1:8080/web/" | head -n 3 || echo "(the ingress does not answer yet)"
echo; echo "== curl -H 'Host: web.localhost' http://127.0.0.1:8080/ (Traefik tag Host(\`web.localhost\`))"
curl -fs -H "Host: web.localhost" "http://127.0.0.1:8080/" | head -n 3 || echo "(the ingress does not answer yet)"

batch=$(curl -fs "$CARAVAN_ADDR/v1/job/hello-batch/allocations" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["ID"])')
sleep 3
echo; echo "== caravan alloc logs ${batch:0:8}"
"$bin" alloc logs "${batch:0:8}" || true

echo
echo "== The agent keeps running: try 'caravan job status', 'caravan service list',"
echo "   'curl $CARAVAN_ADDR/v1/jobs', 'curl http://127.0.0.1:8080/web/'."
echo "   Ctrl-C stops it."
wait "$agent"
