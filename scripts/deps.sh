#!/usr/bin/env bash
# Installs every Debian package that building and testing caravan needs.
# Idempotent and quiet when everything is already there; called by `make run`
# and `make test`, so a fresh Debian 12 machine needs nothing done by hand.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  clang-14 libclang-rt-14-dev          # fuzz targets (libFuzzer) and the clang build
  libgtest-dev libgmock-dev libbenchmark-dev
  libasio-dev libssl-dev nlohmann-json3-dev libfmt-dev libspdlog-dev
  libsqlite3-dev libre2-dev libxxhash-dev
  default-jre-headless openjdk-17-jdk-headless  # java driver; javac + jar build its test jar
  python3-consul                       # a Consul client library reads the catalog in tests
)
# `scripts/deps.sh bench` adds the peers and the load generator bench/ needs.
if [ "${1:-}" = bench ]; then
  packages+=(wrk haproxy nginx-light python3)   # python3: bench/ingress/idle_clients.py
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
