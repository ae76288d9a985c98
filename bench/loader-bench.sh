#!/usr/bin/env bash
# The training data path side by side in one run on this machine: a Flickr-layout folder
# (frames/<id>.jpg + audio/<id>.wav) made into shards by `heardmap data shards`, then the shard
# loader (heardmap-shard-bench: loader alone, batches on the device, training steps) next to a
# PyTorch DataLoader over the same frames + wavs with the official preprocessing
# (bench/dataloader_bench.py) and PyTorch's own training step of the same model
# (bench/pytorch_train_loop.py). Debian's python3-torch (/usr/bin/python3). Prints one table.
# Usage: bench/loader-bench.sh DATA_DIR [BUILD_DIR] [BATCH] [STEPS]
set -euo pipefail
data=${1:?usage: bench/loader-bench.sh DATA_DIR [BUILD_DIR] [BATCH] [STEPS]}
build=${2:-build}
batch=${3:-16}
steps=${4:-10}
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
start=$(date +%s.%N)
"$build/bin/heardmap" data shards --data "$data" --pairs --out "$scratch/shards" > "$scratch/shards.log" 2>&1
seconds=$(echo "$(date +%s.%N) - $start" | bc)
samples=$(grep -o '([0-9]* samples)' "$scratch/shards.log" | tr -dc 0-9)
"$build/bin/heardmap-shard-bench" --shards "$scratch/shards" --pack "$build/data/asset-pack.safetensors" \
  --batch "$batch" --steps "$steps" --runs 3 > "$scratch/ours.txt"
head -1 "$scratch/ours.txt"
echo "| stage (batch $batch) | samples/s |"
echo "|---|---:|"
printf "| heardmap data shards: decode + resize + write, once (%s samples) | %.0f |\n" "$samples" \
  "$(echo "$samples / $seconds" | bc -l)"
tail -n +4 "$scratch/ours.txt"
/usr/bin/python3 "$here/dataloader_bench.py" "$data" --batch "$batch" --steps "$steps" --workers 0,2
/usr/bin/python3 "$here/pytorch_train_loop.py" --methods ezvsl --variant compact --batch "$batch" \
  --steps "$steps" --runs 3 --precision fp32 | grep '^| ezvsl' |
  awk -F'|' '{printf "| PyTorch training step, ezvsl compact, random inputs |%s|\n", $6}'
