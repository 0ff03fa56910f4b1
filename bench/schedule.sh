#!/usr/bin/env bash
# `shop schedule` on scenarios/support_line.yaml with examples/support_line_rules.yaml
# (8h30m shifts with two 15-minute breaks and a 30-minute lunch; 4-hour part-time
# shifts, at most 30%): the requirement computed inside (`shop staff`'s search, 20
# replications), the covering LP and its rounding, the simulation and the
# confirming run on a fresh seed; the roster written and run.
#
#   bench/schedule.sh              # 3 timed runs, release build
#   RUNS=1 bench/schedule.sh
#
# Prints wall and CPU seconds per run, then the paid hours against the LP bound,
# the gap, the repairs, and the confirming run's verdicts.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
cargo build --release --quiet
SHOP=target/release/shop
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
args=(schedule scenarios/support_line.yaml --rules examples/support_line_rules.yaml --write "$dir/rostered.yaml" --format json)
for i in $(seq "$RUNS"); do
  /usr/bin/time -f "run $i: wall %e s, user %U s, sys %S s, max RSS %M KB" "$SHOP" "${args[@]}" > "$dir/out.json"
done
python3 - "$dir/out.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
r, b = j["roster"], j["lp_bound"]
print(f"shifts {r['agents']}, paid hours {r['paid_hours']:.1f}, LP bound {b['paid_hours']:.1f} paid hours "
      f"({100 * (r['paid_hours'] / b['paid_hours'] - 1):+.1f}%), cost gap {100 * r['gap']:+.1f}%")
print(f"covering before the simulation: {j['covering']['paid_hours']:.1f} paid hours; repairs: {len(j['repairs'])}")
c = j["confirmed"]
print(f"confirmed on seed {c['seed']}: met {c['met']}, within noise {c['within_noise']}, missed {c['missed']}")
for x in c["intervals"]:
    if x["verdict"] == "missed":
        print(f"  MISSED {x['label']} {x['target']}: {x['figure']}")
print("short intervals:", [s["label"] for s in j["short"]] or "none")
PY
"$SHOP" run "$dir/rostered.yaml" --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print("shop run on the roster: service level %.1f%%" % (100*d["overall"]["service_level"]))'
