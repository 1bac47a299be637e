#!/usr/bin/env bash
# Runs every libFuzzer target in a fuzz build for N seconds each, starting from
# its corpus in fuzz/corpus/<target>/. New inputs go to a scratch directory so
# the committed corpus only grows by hand (copy reproducers of fixed crashes in).
set -euo pipefail
build=${1:?usage: fuzz.sh BUILD_DIR SECONDS}
seconds=${2:-30}
cd "$(dirname "$0")/.."
status=0
for target in "$build"/fuzz/*_fuzz; do
  [ -x "$target" ] || continue
  name=$(basename "$target" _fuzz)
  scratch=$(mktemp -d)
  echo "== fuzz $name for ${seconds}s"
  if ! "$target" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix=fuzz/ "$scratch" "fuzz/corpus/$name" \
       > "$build/fuzz-$name.log" 2>&1; then
    echo "fuzz $name FAILED; see $build/fuzz-$name.log"; tail -n 40 "$build/fuzz-$name.log"
    status=1
  else
    grep -E 'stat::number_of_executed_units|Done [0-9]+ runs' "$build/fuzz-$name.log" | tail -n 2
  fi
  rm -rf "$scratch"
done
exit $status
