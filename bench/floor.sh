#!/usr/bin/env bash
# The reference workload beside its floor (issue 25): calls per second of
# `shop run bench/reference.yaml` (one thread, JSON report, the whole process)
# and of a bare FIFO multi-server Lindley recursion on the same calls, in two
# versions:
#   - same draws (benches/floor.rs, the issue's definition): shop's own
#     ChaCha8 arrival stream, portable ln and per-caller talk-time stream, in
#     the release profile; its mean wait equals shop's to the microsecond;
#   - strict (bench/floor.rs): SplitMix64 and the platform's ln, built with
#     -C target-cpu=native: what no engine drawing shop's streams can reach.
# Runs ROUNDS rounds (default 5) in alternation and prints each one's median.
# Usage: bench/floor.sh [SHOP_BINARY]   (default target/release/shop)
set -euo pipefail
cd "$(dirname "$0")/.."
shop=${1:-target/release/shop}
rounds=${ROUNDS:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rustc -C opt-level=3 -C target-cpu=native -o "$out/strict" bench/floor.rs
cargo build --release --quiet --bench floor
same=$(ls -t target/release/deps/floor-* | grep -v '\.d$' | head -1)
for _ in $(seq "$rounds"); do
  "$out/strict" | sed -E 's/.* calls in ([0-9.]+) s.*/\1/' >> "$out/strict.t"
  "$same" | sed -E 's/.* calls in ([0-9.]+) s.*/\1/' >> "$out/same.t"
  start=$(date +%s.%N)
  "$shop" run bench/reference.yaml --format json --threads 1 > "$out/shop.json"
  end=$(date +%s.%N)
  python3 -c "print($end - $start)" >> "$out/shop.t"
done
"$same" | sed 's/ in [0-9.]* s.*;/;/'
python3 - "$out" <<'PY'
import json, statistics, sys
d = sys.argv[1]
calls = json.load(open(f"{d}/shop.json"))["overall"]["calls"]
med = {k: statistics.median(float(x) for x in open(f"{d}/{k}.t")) for k in ("strict", "same", "shop")}
rate = {k: calls / v / 1e6 for k, v in med.items()}
print(f"shop: {calls} calls; median of {len(open(f'{d}/shop.t').readlines())} rounds")
for k, name in (("same", "floor, same draws"), ("strict", "floor, strict"), ("shop", "shop (whole process)")):
    print(f"  {name:22} {med[k]:.3f} s  {rate[k]:6.2f} M calls/s")
print(f"shop at {100 * rate['shop'] / rate['same']:.0f}% of the same-draws floor, {100 * rate['shop'] / rate['strict']:.0f}% of the strict floor")
PY
