#!/bin/sh
# Sharded `shop run` on Slurm: a job array of 10 shards (task K simulates
# replications K*1000 .. K*1000+999), then a merge that starts when every
# shard has succeeded. Submit with: sh examples/slurm-shards.sh
# `shop` talks to no scheduler: Slurm hands each task SLURM_ARRAY_TASK_ID.
set -eu
mkdir -p shards
shards=$(sbatch --parsable --array=0-9 --cpus-per-task=4 --job-name=shop-shards \
  --output=shards/slurm-%A_%a.log --wrap='
    per=1000
    a=$((SLURM_ARRAY_TASK_ID * per)); b=$((a + per))
    shop run support_line.yaml --seed 2024 --replications "$a..$b" \
      --threads "$SLURM_CPUS_PER_TASK" --format shard --out "shards/part-$SLURM_ARRAY_TASK_ID.json"')
# A backtest shards the same way (every task reads the whole log; the merge
# prints backtest's report of all the replications):
#   shop backtest calls.csv fitted.yaml --replications "$a..$b" \
#     --threads "$SLURM_CPUS_PER_TASK" --format shard --out "shards/part-$SLURM_ARRAY_TASK_ID.json"
sbatch --dependency=afterok:"$shards" --job-name=shop-merge --output=shards/merge.log \
  --wrap='shop merge shards/part-*.json --format json --out report.json'
