#!/usr/bin/env bash
# Regenerates bench/symbol-order.txt: the functions `shop` runs, in the order
# they first run, the reference workload's first. build.rs hands the file to
# the linker (LLD's --symbol-ordering-file), which lays those functions out
# together at the start of .text: a run then maps a few hundred kB of code
# instead of most of the binary's 7 MB (the kernel maps the pages around each
# page fault), and its peak memory drops by about 3 MB (BENCHMARKS.md,
# "Part 3, sixth session").
#
#   bash bench/symbol-order.sh      # needs valgrind; about two minutes
#
# Run it again after large changes to the engine or the reports: functions
# missing from the list still link, after the listed ones, and the saving
# shrinks as the list goes stale. Symbols carry a hash of the crate and the
# compiler version, so the file is for this project's toolchain
# (`rustc --version` is written at its top, as a comment LLD ignores).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind > /dev/null || { echo "error: bench/symbol-order.sh needs valgrind" >&2; exit 2; }
cargo build --release --quiet < /dev/null
SHOP=target/release/shop
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's/^horizon: .*/horizon: 300h/' bench/reference.yaml > "$tmp/reference.yaml"
n=0
trace() { # trace ARGS...: one callgrind profile of `shop ARGS`, mangled names
  n=$((n + 1))
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$tmp/$(printf %02d $n).out" \
    "$SHOP" "$@" > /dev/null 2>&1 || true
}
# The reference workload first: its functions lead the file.
trace run "$tmp/reference.yaml" --format json --threads 1
trace run "$tmp/reference.yaml" --threads 1
trace run "$tmp/reference.yaml"
for format in json markdown csv html; do
  trace run scenarios/support_line.yaml --replications 2 --format "$format"
done
trace run scenarios/support_line.yaml --replications 2
trace compare scenarios/short_menu.yaml scenarios/long_menu.yaml --replications 2
trace check scenarios/short_menu.yaml scenarios/long_menu.yaml --replications 2
trace validate scenarios/support_line.yaml
trace erlang --rate 120/h --handle 3m --agents 7
trace --version
{
  echo "# $(rustc --version): bench/symbol-order.sh, $(date -u +%Y-%m-%d)"
  cat "$tmp"/*.out | sed -n 's/^c\{0,1\}fn=([0-9]*) //p' | grep -v '^#' | awk '!seen[$0]++'
} > bench/symbol-order.txt
echo "bench/symbol-order.txt: $(($(wc -l < bench/symbol-order.txt) - 1)) functions" >&2
