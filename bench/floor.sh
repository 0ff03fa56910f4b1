#!/usr/bin/env bash
# The reference workload beside its floor (bench/floor.rs): calls per second
# of `shop run bench/reference.yaml` (one thread, JSON report) and of a bare
# FIFO multi-server Lindley recursion over the same kind of draws.
# Usage: bench/floor.sh [SHOP_BINARY]   (default target/release/shop)
set -euo pipefail
cd "$(dirname "$0")/.."
shop=${1:-target/release/shop}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rustc -C opt-level=3 -C target-cpu=native -o "$out/floor" bench/floor.rs
"$out/floor"
start=$(date +%s.%N)
calls=$("$shop" run bench/reference.yaml --format json --threads 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["overall"]["calls"])')
end=$(date +%s.%N)
python3 -c "s=$end-$start; print(f'shop: {$calls} calls in {s:.3f} s = {$calls/s/1e6:.2f} M calls/s (whole process: load, simulate, report)')"
