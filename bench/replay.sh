#!/usr/bin/env bash
# `shop replay` on a month of a busy center's log: about 1 million rows
# (30 days of a line taking ~2,100 calls an hour for 16 hours), written by
# `shop run --log`, then replayed through the same design. Prints the rows,
# the wall time, rows per second and the peak memory (/usr/bin/time -v) of
# the replay, and of a replay of the first 3 days alone (memory must not grow
# with the log's length).
#
#   bench/replay.sh              # 30 days, 1 replication
#   DAYS=10 REPS=2 bench/replay.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DAYS=${DAYS:-30}
REPS=${REPS:-1}
cargo build --release --quiet
SHOP=$PWD/target/release/shop
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/busy.yaml" <<YAML
name: A busy center, a month of days
seed: 7
replications: $DAYS
horizon: 16h
opens: "06:00"
start: menu
callers:
  retail:
    arrivals: 1500/h
    reasons: { sales: 0.4, service: 0.6 }
    patience: lognormal(3m, 2m)
  business:
    arrivals: 600/h
    reasons: { sales: 0.4, service: 0.6 }
    patience: exp(5m)
    priority: 1
menu:
  menu:
    prompt: "For sales, press 1. For service, press 2."
    options:
      "1": { for: [sales], to: sales }
      "2": { for: [service], to: service }
queues:
  sales: { pools: [sales_team, all_round] }
  service: { pools: [service_team, { pool: all_round, after: 20s }] }
pools:
  sales_team: { agents: 56, handle: "gamma(2, 4m)" }
  service_team: { agents: 86, handle: "lognormal(4m, 3m)" }
  all_round: { agents: 10, handle: exp(5m) }
YAML
"$SHOP" validate "$dir/busy.yaml" >/dev/null
"$SHOP" run "$dir/busy.yaml" --log "$dir/month.csv" --format json --out "$dir/run.json"
rows=$(($(wc -l < "$dir/month.csv") - 1))
echo "log: $rows rows over $DAYS days ($(du -h "$dir/month.csv" | cut -f1))"
measure() { # label, then the replay's arguments
  local label=$1; shift
  /usr/bin/time -v "$SHOP" replay "$@" --replications "$REPS" --format json --out "$dir/replay.json" 2> "$dir/time.txt"
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$dir/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$dir/time.txt")
  echo "$label: ${wall}s wall, peak ${rss} MB"
}
measure "replay of all $DAYS days ($rows rows, $REPS replication(s))" "$dir/month.csv" "$dir/busy.yaml" --threads 1
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$dir/time.txt")
echo "rows per second (1 thread): $(awk -v r="$rows" -v w="$wall" 'BEGIN { printf "%.0f", r / w }')"
measure "replay of all $DAYS days, 2 threads" "$dir/month.csv" "$dir/busy.yaml"
measure "replay of the last 3 days" "$dir/month.csv" "$dir/busy.yaml" --last 3d --threads 1
python3 - "$dir/run.json" "$dir/replay.json" <<'PY' || true
import json, sys
run = json.load(open(sys.argv[1]))["overall"]
print(f"run: abandon {run['abandon_rate']:.4f}, mean wait {run['wait']['mean']:.1f}s")
PY
