#!/usr/bin/env bash
# Runs two gambit binaries over every example with every command and format and prints
# the outputs (stdout, stderr, exit code) that differ. For proving a refactoring changes
# no output:  scripts/compare-outputs.sh OLD_BINARY NEW_BINARY [OUT_DIR]
set -uo pipefail
old=$1 new=$2 out=${3:-$(mktemp -d)}
cd "$(dirname "$0")/.."
mkdir -p "$out/old" "$out/new"
run() { # name, args...
  local name=$1; shift
  for side in old new; do
    local bin=$old; [ $side = new ] && bin=$new
    "$bin" --color never "$@" > "$out/$side/$name.out" 2> "$out/$side/$name.err"
    echo $? > "$out/$side/$name.code"
  done
}
for model in examples/*.yaml examples/multi-file/main.yaml; do
  m=$(echo "$model" | tr '/' '-')
  jewel=$(awk '/^assets:/{a=1;next} a&&/^[a-z]/{a=0} a&&/^  [a-z0-9-]+:/{gsub(/[: ]/,"");print;exit}' "$model")
  component=$("$new" analyze "$model" --format json 2>/dev/null | grep -m1 '"target":' | sed 's/.*: "\(.*\)".*/\1/')
  run "$m-validate" validate "$model"
  run "$m-validate-json" validate "$model" --format json
  for f in text json markdown html sarif csv; do run "$m-analyze-$f" analyze "$model" --format "$f"; done
  run "$m-analyze-dread" analyze "$model" --format json --scoring dread --today 2026-06-01
  run "$m-check" check "$model"
  run "$m-check-low" check "$model" --fail-on low
  for f in text json dot mermaid; do
    run "$m-paths-$f" paths "$model" --format "$f"
    run "$m-tree-$f" tree "$model" --goal "$jewel" --format "$f"
  done
  for f in text json; do
    run "$m-exposure-$f" exposure "$model" --format "$f"
    run "$m-chokepoints-$f" chokepoints "$model" --format "$f"
    run "$m-blast-$f" blast-radius "$model" "${component%%->*}" --format "$f"
    run "$m-diff-$f" diff "$model" examples/acme-shop.yaml --format "$f"
  done
  for f in dot mermaid svg; do
    run "$m-diagram-$f" diagram "$model" --format "$f"
    run "$m-diagram-path-$f" diagram "$model" --format "$f" --path 1
  done
done
run rules-list rules list
run rules-list-json rules list --format json
run rules-explain rules explain ssrf
run rules-explain-unknown rules explain nosuch
run schema schema
run paths-bad-attacker paths examples/acme-shop.yaml --attacker nobody
run tree-bad-goal tree examples/acme-shop.yaml --goal nosuch
run blast-bad blast-radius examples/acme-shop.yaml nosuch
echo "outputs in $out"
diff -rq "$out/old" "$out/new" && echo "no difference"
