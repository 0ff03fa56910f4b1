#!/usr/bin/env bash
# Speed beside peer simulators, measured in one run on this machine:
# shop (release build) against SimPy and Ciw on the reference workload
# (M/M/7, 2 calls a minute, exponential 3-minute talk time).
#
#   bench/compare.sh            # full: 4M calls in shop, 200k in SimPy, 50k in Ciw,
#                               # then the richest bundled scenario, threads and memory
#   QUICK=1 bench/compare.sh    # smaller Python runs
#
# Installs SimPy and Ciw from the Python package index into bench/.venv.
# Prints calls per second for each and the ratios; copy the table into BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

SIMPY_CALLS=${SIMPY_CALLS:-200000}
CIW_CALLS=${CIW_CALLS:-50000}
if [[ -n "${QUICK:-}" ]]; then SIMPY_CALLS=50000; CIW_CALLS=10000; fi

echo "building shop (release)..." >&2
cargo build --release --quiet
SHOP=target/release/shop

if [[ ! -x bench/.venv/bin/python ]]; then
  echo "installing simpy and ciw into bench/.venv..." >&2
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet simpy ciw
fi
PY=bench/.venv/bin/python

calc() { awk "BEGIN{print $1}"; }

best_of() { # best_of N CMD... : prints the fastest "calls seconds" of N runs
  local n=$1; shift
  local best=""
  for _ in $(seq "$n"); do
    local line; line=$("$@")
    if [[ -z "$best" ]] || awk -v a="$line" -v b="$best" 'BEGIN{split(a,x," ");split(b,y," ");exit !(x[2]<y[2])}'; then best=$line; fi
  done
  echo "$best"
}

shop_run() { # calls seconds, end to end: load, simulate, write the report (timed alone)
  local threads=$1 file=$2
  local start end calls
  local out="${TMPDIR:-/tmp}/shop-bench.json"
  start=$(date +%s.%N)
  "$SHOP" run "$file" --format json --threads "$threads" > "$out"
  end=$(date +%s.%N)
  calls=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["overall"]["calls"])' "$out")
  echo "$calls $(calc "$end - $start")"
}

shop_run_rich() { # calls seconds for support_line.yaml with 1000 days on N threads
  local threads=$1 start end calls
  local out="${TMPDIR:-/tmp}/shop-bench.json"
  start=$(date +%s.%N)
  "$SHOP" run scenarios/support_line.yaml --replications 1000 --format json --threads "$threads" > "$out"
  end=$(date +%s.%N)
  calls=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["overall"]["calls"])' "$out")
  echo "$calls $(calc "$end - $start")"
}

echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores" >&2
shop_line=$(best_of 5 shop_run 1 bench/reference.yaml)
simpy_line=$(best_of 3 "$PY" bench/simpy_mmc.py "$SIMPY_CALLS")
ciw_line=$(best_of 1 "$PY" bench/ciw_mmc.py "$CIW_CALLS")

rate() { awk -v l="$1" 'BEGIN{split(l,x," "); printf "%.0f", x[1]/x[2]}'; }
shop_rate=$(rate "$shop_line"); simpy_rate=$(rate "$simpy_line"); ciw_rate=$(rate "$ciw_line")

printf '| simulator | calls | seconds | calls per second | shop is faster by |\n|---|---:|---:|---:|---:|\n'
for name in shop simpy ciw; do
  line_var="${name}_line"; rate_var="${name}_rate"
  read -r calls secs _ <<<"${!line_var}"
  printf '| %s | %s | %.2f | %s | %sx |\n' "$name" "$calls" "$secs" "${!rate_var}" \
    "$(awk -v a="$shop_rate" -v b="${!rate_var}" 'BEGIN{printf "%.0f", a/b}')"
done

echo
echo "richest bundled scenario (scenarios/support_line.yaml: menus, self-service, shifts, overflow, transfers, redials), 1000 days:"
rich_1=$(best_of 3 shop_run_rich 1)
rich_2=$(best_of 3 shop_run_rich 2)
printf '| threads | calls | seconds | calls per second |\n|---:|---:|---:|---:|\n'
for t in 1 2; do
  v="rich_$t"; read -r calls secs <<<"${!v}"
  printf '| %s | %s | %.2f | %.0f |\n' "$t" "$calls" "$secs" "$(calc "$calls / $secs")"
done
read -r _ s1 <<<"$rich_1"; read -r _ s2 <<<"$rich_2"
printf 'speed-up on %s cores: %.2fx\n' "$(nproc)" "$(calc "$s1 / $s2")"

echo
echo "peak memory (maximum resident set), one replication:"
sed 's/^horizon: .*/horizon: 83334h/' bench/reference.yaml > "${TMPDIR:-/tmp}/shop-10m.yaml"
for f in bench/reference.yaml "${TMPDIR:-/tmp}/shop-10m.yaml"; do
  /usr/bin/time -f "%M" -o "${TMPDIR:-/tmp}/shop-rss" "$SHOP" run "$f" --format json --threads 1 \
    | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["overall"]["calls"], "calls:", end=" ")'
  echo "$(( $(cat "${TMPDIR:-/tmp}/shop-rss") / 1024 )) MB"
done
