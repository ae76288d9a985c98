#!/usr/bin/env bash
# Data-parallel overhead on this machine: one process with T threads against two processes with
# T/2 threads each (Gloo, loopback), the same global batch from the same shards, run alternately
# RUNS times in one go; prints the median samples/s of each and their ratio.
# Usage: bench/ddp-bench.sh SHARDS [BUILD_DIR] [BATCH] [STEPS] [RUNS] [THREADS]
set -euo pipefail
shards=${1:?usage: bench/ddp-bench.sh SHARDS [BUILD_DIR] [BATCH] [STEPS] [RUNS] [THREADS]}
build=${2:-build}
batch=${3:-16}
steps=${4:-20}
runs=${5:-3}
threads=${6:-2}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
flags=(--pack "$build/data/asset-pack.safetensors" --shards "$shards" --steps "$steps"
  --batch "$batch" --eval-per-condition 0 --checkpoint-every $((steps + 1)))
rate() { grep -o '([0-9.]* samples/s)' "$1" | tr -dc '0-9.'; }
one=()
two=()
for run in $(seq "$runs"); do
  "$build/bin/heardmap-train" "${flags[@]}" --threads "$threads" --out "$scratch/one.safetensors" \
    > /dev/null 2> "$scratch/one.log"
  one+=("$(rate "$scratch/one.log")")
  port=$((29700 + run))
  for rank in 0 1; do
    RANK=$rank WORLD_SIZE=2 LOCAL_RANK=$rank MASTER_ADDR=127.0.0.1 MASTER_PORT=$port \
      "$build/bin/heardmap-train" "${flags[@]}" --threads $((threads / 2 > 0 ? threads / 2 : 1)) \
      --out "$scratch/two.safetensors" > /dev/null 2> "$scratch/two-$rank.log" &
  done
  wait
  two+=("$(rate "$scratch/two-0.log")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
m1=$(median "${one[@]}")
m2=$(median "${two[@]}")
echo "| setup (batch $batch, $steps steps, median of $runs alternating runs) | samples/s |"
echo "|---|---:|"
echo "| 1 process, $threads threads | $m1 |"
echo "| 2 processes (Gloo, loopback), $((threads / 2 > 0 ? threads / 2 : 1)) thread(s) each | $m2 |"
printf "| ratio 2 processes / 1 | %.3f |\n" "$(echo "$m2 / $m1" | bc -l)"
