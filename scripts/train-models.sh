#!/usr/bin/env bash
# Trains one compact model per method on the synthetic benchmark and writes fp16 checkpoints (the
# shipped models) plus their test-split tables. Runs wherever heardmap-train is built: on the
# GPU machine build the trainer alone against PyTorch's LibTorch first:
#   cmake -S . -B build-gpu -G Ninja -DHEARDMAP_BUILD_APP=OFF \
#         -DCMAKE_PREFIX_PATH="$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')"
#   cmake --build build-gpu --target heardmap-train
# Usage: scripts/train-models.sh TRAINER PACK OUTDIR STEPS [BATCH]
#   env: METHODS (default "ezvsl lvs marginnce fnac sslsan sspl"), EVAL_PER_CONDITION (default 500),
#        LR (default 1e-4), DATA_THREADS (scene synthesis threads, default 8)
set -euo pipefail
trainer=${1:?usage: train-models.sh TRAINER PACK OUTDIR STEPS [BATCH]}
pack=${2:?pack}
out=${3:?outdir}
steps=${4:?steps}
batch=${5:-128}
methods=${METHODS:-"ezvsl lvs marginnce fnac sslsan sspl"}
evalPerCondition=${EVAL_PER_CONDITION:-500}
lr=${LR:-1e-4}
dataThreads=${DATA_THREADS:-8}
mkdir -p "$out"
table="$out/models-table.md"
: > "$table"
for method in $methods; do
  extra=()
  # FNAC's false-negative terms start after a warm-up of a tenth of the run.
  [ "$method" = fnac ] && extra=(--warmup-steps $((steps / 10)))
  start=$(date +%s)
  "$trainer" --pack "$pack" --method "$method" --variant compact --steps "$steps" \
    --batch "$batch" --lr "$lr" --eval-per-condition "$evalPerCondition" --half \
    --data-threads "$dataThreads" \
    --checkpoint-every $((steps / 10 > 0 ? steps / 10 : 1)) "${extra[@]}" \
    --out "$out/$method-compact.safetensors" | tee "$out/$method.log"
  echo "$method: $(( $(date +%s) - start )) s" | tee -a "$out/timings.txt"
  # The end-of-run evaluation table of this method.
  { echo "### $method"; sed -n '/^eval at step/,$p' "$out/$method.log" | tail -n +2; echo; } >> "$table"
done
echo "wrote $(ls "$out"/*-compact.safetensors | wc -l) checkpoints and $table"
