#!/usr/bin/env bash
# Times a gambit command on synthetic models of growing size and prints wall time, peak
# memory and the growth exponent between sizes (log time ratio / log size ratio).
#   scripts/scale.sh validate            # gambit validate
#   scripts/scale.sh analyze --format json
# Builds release binaries first. Models are written to $TMPDIR (default /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
# Target flags select only those targets, so the binary and the generator build apart.
cargo build --release -q -p gambit-cli
cargo build --release -q -p gambit-model --features synth --example synth
tmp=${TMPDIR:-/tmp}
prev_n="" prev_t=""
for n in 1000 10000 100000; do
  model="$tmp/gambit-synth-$n.yaml"
  [ -f "$model" ] || target/release/examples/synth "$n" > "$model"
  best=""
  for _ in 1 2 3; do
    /usr/bin/time -o "$tmp/gambit-time" -f "%e %M" target/release/gambit "$@" "$model" > /dev/null 2>&1 || true
    out=$(tail -1 "$tmp/gambit-time")
    t=${out% *}; m=${out#* }
    if [ -z "$best" ] || awk "BEGIN{exit !($t < ${best% *})}"; then best="$t $m"; fi
  done
  t=${best% *}; m=${best#* }
  line="$n components: ${t}s, peak $((m / 1024)) MiB"
  if [ -n "$prev_n" ]; then
    line="$line, exponent $(awk "BEGIN{printf \"%.2f\", log($t/$prev_t)/log($n/$prev_n)}")"
  fi
  echo "$line"
  prev_n=$n prev_t=$t
done
