#!/usr/bin/env bash
# `shop fit` on a log of about 40,000 rows, without and with --calibrate, on
# 2 threads: the design is a busy center (agents on the phones 75% of their
# time, five chained days a replication), its log written by `shop run --log`.
#
#   bench/fit.sh                  # release build, best of 3
#   SHOP=target/debug/shop bench/fit.sh
#
# Prints the rows and the seconds of each; copy them into BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${SHOP:-}" ]]; then
  echo "building shop (release)..." >&2
  cargo build --release --quiet
  SHOP=target/release/shop
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/center.yaml" <<'YAML'
name: busy center, 40,000 calls
seed: 11
replications: 2
days: 5
horizon: 8h
start: q
callers:
  c: { arrivals: [{ from: 0h, rate: 420/h }, { from: 3h, rate: 700/h }, { from: 6h, rate: 380/h }], patience: exp(2m) }
queues:
  q: { pools: [team] }
pools:
  team: { agents: [{ from: 0h, agents: 25 }, { from: 3h, agents: 41 }, { from: 6h, agents: 23 }], handle: exp(3m), availability: 0.75 }
YAML
"$SHOP" run "$dir/center.yaml" --log "$dir/calls.csv" --format json > /dev/null
rows=$(($(wc -l < "$dir/calls.csv") - 1))
best() { # best of 3 wall-clock seconds of "$@"
  local b=999999
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N); "$@" > /dev/null 2>&1; t1=$(date +%s.%N)
    b=$(awk -v a="$b" -v d="$(awk -v x="$t0" -v y="$t1" 'BEGIN{print y-x}')" 'BEGIN{print (d<a)?d:a}')
  done
  echo "$b"
}
fit=$(best "$SHOP" fit "$dir/calls.csv" --out "$dir/f.yaml")
cal=$(best "$SHOP" fit "$dir/calls.csv" --out "$dir/c.yaml" --calibrate --threads 2)
calh=$(best "$SHOP" fit "$dir/calls.csv" --out "$dir/h.yaml" --calibrate --holdout 2d --threads 2)
echo "rows: $rows"
echo "fit:                          ${fit}s"
echo "fit --calibrate:              ${cal}s"
echo "fit --calibrate --holdout 2d: ${calh}s"
grep -m1 "^# Calibrated" -A2 "$dir/c.yaml" || true
