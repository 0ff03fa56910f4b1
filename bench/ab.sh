#!/usr/bin/env bash
# Times two builds of shop on the same command in alternation, as whole
# processes (/usr/bin/time), and prints each pair and the median ratio
# new / old of CPU seconds (user + sys) and of peak memory.
#
#   bash bench/ab.sh OLD_BINARY NEW_BINARY [PAIRS] [ARGS...]
#   bash bench/ab.sh /tmp/shop-old target/release/shop 9
#       # default ARGS: run bench/reference.yaml --format json --threads 1
#
# Alternating old and new, pair by pair, keeps a drift of the machine's speed
# out of the ratio. Outputs go to /dev/null; compare them with `cmp` apart.
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1 new=$2 pairs=${3:-9}
shift $(( $# < 3 ? $# : 3 ))
args=("$@")
[[ ${#args[@]} -gt 0 ]] || args=(run bench/reference.yaml --format json --threads 1)
one() { # one BINARY: "cpu_seconds peak_kB" of one run
  /usr/bin/time -f '%U %S %M' -o /tmp/shop-ab.$$ "$1" "${args[@]}" > /dev/null
  awk '{printf "%.3f %d\n", $1 + $2, $3}' /tmp/shop-ab.$$
}
"$old" "${args[@]}" > /dev/null; "$new" "${args[@]}" > /dev/null # warm-up
ratios=() mem=()
for i in $(seq "$pairs"); do
  read -r oc om < <(one "$old"); read -r nc nm < <(one "$new")
  r=$(awk -v a="$oc" -v b="$nc" 'BEGIN{printf "%.3f", (a > 0 ? b / a : 0)}')
  ratios+=("$r"); mem+=("$om $nm")
  echo "pair $i: old ${oc}s ${om} kB, new ${nc}s ${nm} kB, new/old ${r}"
done
rm -f /tmp/shop-ab.$$
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
echo "CPU new/old: median $(median "${ratios[@]}") (min $(printf '%s\n' "${ratios[@]}" | sort -n | head -1), max $(printf '%s\n' "${ratios[@]}" | sort -n | tail -1))"
echo "peak kB: old median $(median $(printf '%s\n' "${mem[@]}" | awk '{print $1}')), new median $(median $(printf '%s\n' "${mem[@]}" | awk '{print $2}'))"
