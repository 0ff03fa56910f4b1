#!/usr/bin/env bash
# How often `shop check` gives each verdict, over many seeds, on three changes to
# scenarios/support_line.yaml with the default gates:
#   prompt+4s     a 4-second welcome sentence before the menu (should pass every time)
#   one_agent     one billing agent fewer all day (should fail every time)
#   at_tolerance  a 10-second welcome sentence: time_to_answer.p95 moves by its
#                 +10s tolerance (should not flip between pass and fail)
#
#   bench/check_verdicts.sh            # seeds 1..50
#   SEEDS=10 bench/check_verdicts.sh   # fewer
#
# Prints pass / fail / inconclusive counts per change and the replications used.
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS=${SEEDS:-50}
cargo build --release --quiet
SHOP=target/release/shop
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
base=scenarios/support_line.yaml
welcome() { # a welcome node of $1 seconds before the menu
  sed -e 's/^start: main$/start: welcome/' -e "s/^menu:$/menu:\n  welcome:\n    prompt: \"Calls may be recorded for quality and training.\"\n    duration: $1\n    then: main/" "$base"
}
welcome 4s > "$dir/prompt+4s.yaml"
welcome 10s > "$dir/at_tolerance.yaml"
awk '/^  billing_team:/ { b = 1 } b && /agents: 9/ { sub(/agents: 9/, "agents: 8"); b = 0 } { print }' "$base" > "$dir/one_agent.yaml"
grep -q "agents: 8$" "$dir/one_agent.yaml"

printf "%-14s %5s %5s %13s %s\n" change pass fail inconclusive "replications (min/median/max)"
for change in prompt+4s one_agent at_tolerance; do
  pass=0 fail=0 inc=0 reps=()
  for seed in $(seq 1 "$SEEDS"); do
    out=$("$SHOP" check "$base" "$dir/$change.yaml" --seed "$seed" --format json || true)
    result=$(sed -n 's/^  "result": "\(.*\)",$/\1/p' <<<"$out")
    reps+=("$(sed -n 's/^  "replications": \([0-9]*\),$/\1/p' <<<"$out")")
    case $result in pass) pass=$((pass + 1)) ;; fail) fail=$((fail + 1)) ;; inconclusive) inc=$((inc + 1)) ;;
      *) echo "seed $seed: no verdict" >&2; exit 2 ;; esac
  done
  sorted=$(printf "%s\n" "${reps[@]}" | sort -n)
  printf "%-14s %5d %5d %13d %s\n" "$change" "$pass" "$fail" "$inc" \
    "$(head -1 <<<"$sorted")/$(sed -n "$(((SEEDS + 1) / 2))p" <<<"$sorted")/$(tail -1 <<<"$sorted")"
done
