#!/usr/bin/env bash
# `make run`: shows caravan working on its embedded default. Until the agent
# lands (orchestrator issue) this is the job-file toolchain: it validates the
# example jobs, shows an error as a user would see it, and prints one job as
# Nomad JSON.
set -euo pipefail
bin=${1:-build/release/caravan}
cd "$(dirname "$0")/.."

echo "== $("$bin" version)"
for f in examples/*.nomad.hcl; do
  printf '== caravan job validate %s\n' "$f"
  "$bin" job validate "$f"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'job "typo" {\n  group "web" {\n    cont = 3\n  }\n}\n' > "$tmp/typo.nomad.hcl"
echo "== caravan job validate typo.nomad.hcl (a deliberate mistake)"
"$bin" job validate "$tmp/typo.nomad.hcl" || echo "(exit code $?)"

first=$(ls examples/*.nomad.hcl | head -n 1)
echo "== caravan job inspect $first (Nomad JSON, defaults applied)"
"$bin" job inspect "$first" | head -n 40
echo "..."
