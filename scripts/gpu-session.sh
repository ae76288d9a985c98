#!/usr/bin/env bash
# The whole GPU-machine session in one command. The device tool lends about 15 minutes of device
# time per task and runs one command for at most 10, so this does everything in one call, against
# a wall-clock budget: build the trainer against the machine's PyTorch LibTorch (no Qt, FFmpeg or
# PortAudio there), measure training speed (scene rendering; the C++ model step against the same
# model in PyTorch), try every method for 2 steps (falling back to fp32, then to CPU-rendered
# scenes, for a method that fails), then train the shipped model of every method, all six at once
# on the one GPU, for the time that is left.
#
# From the session (the asset pack cannot be built there: no FFmpeg; nor is nlohmann-json there:
# first scripts/stage-header-libraries.sh, which fills build/header-libraries):
#   run  command: scripts/gpu-session.sh
#        carry: ["build/data/asset-pack.safetensors", "build/header-libraries"]
#        timeout_s: 600
# Everything comes back in $OUT (the tool returns at most 8 files of at most 16 MiB):
#   <method>-small.safetensors  the six shipped checkpoints (fp16, --ship), for resources/models
#   report.md                   machine, build time, speed tables, each run's end-of-run table
#   logs.txt                    the tail of every log (the build log when the build fails)
# Then, on the project machine: docs/models.md from `heardmap eval` of the six (see that file).
#
# env: BUDGET_S (wall seconds for the whole script, default 560), PACK, BATCH (default 128),
#      LR (default 5e-4: on the CPU, 1e-4 was still at chance after 700 steps of batch 32 where
#      5e-4 had started to learn), METHODS (default all six), EVAL_PER_CONDITION (default 200),
#      PADDING (visual trunk padding, default circular: see docs/models.md, "What the CPU
#      experiments say"; the speed tables use it too),
#      EXTRA (more heardmap-train flags for every run, e.g. "--layer4-stride 1"),
#      INIT (the checkpoint that the methods in INIT_METHODS fine-tune, default the repository's
#      EZ-VSL model) and INIT_METHODS (default "lvs marginnce fnac": from scratch FNAC's 0.9
#      image dropout kept its base loss at chance and it collapsed, MarginNCE's margin left a
#      from-scratch model little gradient and LVS learned slowest, while all three learned from
#      the EZ-VSL model, see docs/models.md; LVS fine-tunes on its own stride-1 trunk;
#      INIT_METHODS= trains every method from scratch, "lvs marginnce fnac sslsan sspl" all five
#      from the base),
#      SKIP_BENCH=1 (train only), PYTHON (default python3), TORCH_PREFIX (default: the Python
#      torch package's CMake prefix; a dry run on the project machine leaves it to Debian's),
#      SHARDS (a shards folder made by `heardmap data shards`, carried: every run trains on it
#      instead of synthetic scenes, the loader's speed joins the report, and two processes over
#      Gloo train 4 steps on the one GPU as a check of the data-parallel path on CUDA),
#      NPROC (processes per training run, started with torchrun: one per GPU on a machine with
#      several; default 1)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$(date +%s)
budget=${BUDGET_S:-560}
deadline=$((start + budget))
pack=${PACK:-build/data/asset-pack.safetensors}
batch=${BATCH:-128}
lr=${LR:-5e-4}
methods=${METHODS:-"ezvsl lvs marginnce fnac sslsan sspl"}
evalPerCondition=${EVAL_PER_CONDITION:-200}
padding=${PADDING:-circular}
initBase=${INIT-resources/models/ezvsl-small.safetensors}
initMethods=${INIT_METHODS-"lvs marginnce fnac"}
shards=${SHARDS:-}
nproc=${NPROC:-1}
out=${OUT:-$root/gpu-session-out}
python=${PYTHON:-python3}
mkdir -p "$out"
work=$(mktemp -d)
report="$out/report.md"
logs="$out/logs.txt"
: > "$logs"
elapsed() { echo $(($(date +%s) - start)); }
left() { echo $((deadline - $(date +%s))); }
note() { echo "[$(elapsed) s] $*" | tee -a "$logs"; }
finish() {
  # Only the checkpoints go back (their Adam moments stay: too large, and 8 files at most).
  for f in "$work"/*-small.safetensors; do
    [ -f "$f" ] && cp "$f" "$out/"
  done
  # The training runs' logs whole (heardmap curves logs.txt draws them, a run per section), the
  # others' tails.
  for f in "$work"/*.log; do
    [ -f "$f" ] || continue
    if [ -f "${f%.log}-small.safetensors" ]; then
      { echo "===== $(basename "$f")"; cat "$f"; } >> "$logs"
    else
      { echo "===== $(basename "$f") (last 60 lines)"; tail -n 60 "$f"; } >> "$logs"
    fi
  done
  note "done; $(ls "$out"/*.safetensors 2>/dev/null | wc -l) checkpoints in $out"
  rm -rf "$work"
}
trap finish EXIT

{
  echo "# GPU session $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo '```'
  command -v nvidia-smi > /dev/null &&
    nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1
  $python -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda)" 2>&1
  echo "cores: $(nproc)"
  echo '```'
} > "$report"
[ -f "$pack" ] || { note "no asset pack at $pack: carry build/data/asset-pack.safetensors"; exit 1; }

# 1. Build heardmap-train and heardmap-train-bench against PyTorch's LibTorch.
prefix=${TORCH_PREFIX-$($python -c "import torch; print(torch.utils.cmake_prefix_path)")}
note "building against $prefix"
buildLimit=$(($(left) - 200))  # leave at least 200 s for the speed tables and training
[ "$buildLimit" -ge 60 ] || buildLimit=60
if ! timeout "$buildLimit" bash -c "
    cmake -S . -B build-gpu -G Ninja -DHEARDMAP_BUILD_APP=OFF -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH='$prefix' -DHEARDMAP_HEADER_LIBRARIES='$root/build/header-libraries' &&
    cmake --build build-gpu --target heardmap-train heardmap-train-bench heardmap-shard-bench \
      -j$(nproc)" \
    > "$work/build.log" 2>&1; then
  note "build failed"
  { echo; echo "**Build failed** after $(elapsed) s: see logs.txt."; } >> "$report"
  exit 1
fi
note "built"
{ echo; echo "Build: $(elapsed) s (configure + 3 targets, $(nproc) jobs)."; } >> "$report"
trainer=build-gpu/bin/heardmap-train
bench=build-gpu/bin/heardmap-train-bench

# GPU memory in use, sampled while the runs train.
(trap - EXIT  # a subshell runs the EXIT trap too: only the script may finish
  while sleep 15; do
  command -v nvidia-smi > /dev/null &&
    nvidia-smi --query-gpu=memory.used,utilization.gpu --format=csv,noheader >> "$work/gpu.log" 2>&1
done) &
sampler=$!

# 2. Speed: scene rendering, then the model step in C++ and in PyTorch (same model, batch,
#    precision, device), in both memory layouts, each bounded in time. The layout whose C++
#    EZ-VSL step is faster trains the models.
layout=()
if [ "${SKIP_BENCH:-0}" != 1 ]; then
  {
    echo
    echo "## Speed"
    echo
    timeout 60 "$bench" --pack "$pack" --scenes --batch 256 --steps 4 --runs 3 \
      --data-threads "$(nproc)" --threads 4 2>> "$work/bench.log"
  } >> "$report"
  for format in "" --channels-last; do
    timeout 90 "$bench" --model-only --variant small --batch "$batch" --steps 15 --runs 2 \
      --precision bf16 --methods "$methods" --image-padding "$padding" $format \
      > "$work/cpp$format.md" 2>> "$work/bench.log"
    timeout 90 $python bench/pytorch_train_loop.py --variant small --batch "$batch" --steps 15 \
      --runs 2 --precision bf16 --methods "$methods" --image-padding "$padding" $format \
      > "$work/py$format.md" \
      2>> "$work/bench.log"
    { echo; cat "$work/cpp$format.md"; echo; cat "$work/py$format.md"; } >> "$report"
  done
  rate() { awk -F'|' '$2 ~ /^ ezvsl / {gsub(/ /, "", $6); print $6}' "$1"; }
  plain=$(rate "$work/cpp.md")
  nhwc=$(rate "$work/cpp--channels-last.md")
  if awk -v a="${plain:-0}" -v b="${nhwc:-0}" 'BEGIN { exit !(b > 1.05 * a) }'; then
    layout=(--channels-last)
  fi
  { echo; echo "Training layout: ${layout[*]:-contiguous} (C++ EZ-VSL step ${plain:-?} vs ${nhwc:-?} samples/s channels-last)."; } >> "$report"
  if [ -n "$shards" ]; then
    { echo; timeout 90 build-gpu/bin/heardmap-shard-bench --shards "$shards" --pack "$pack" \
        --batch "$batch" --steps 10 --runs 2 --variant small 2>> "$work/bench.log"; } >> "$report"
  fi
  note "bench done"
fi

# 2b. The data-parallel path on CUDA: two processes over Gloo on the one GPU, 4 steps.
if [ -n "$shards" ] && [ "$(left)" -gt 240 ]; then
  ddp=ok
  for rank in 0 1; do
    RANK=$rank WORLD_SIZE=2 LOCAL_RANK=0 MASTER_ADDR=127.0.0.1 MASTER_PORT=29533 \
      timeout 120 "build-gpu/bin/heardmap-train" --pack "$pack" --shards "$shards" --steps 4 \
      --batch 16 --backend gloo --eval-per-condition 1 --out "$work/ddp.safetensors" \
      > "$work/ddp-$rank.log" 2>&1 &
    ddpPid[$rank]=$!
  done
  wait "${ddpPid[0]}" || ddp=failed
  wait "${ddpPid[1]}" || ddp=failed
  { echo; echo "Two processes over Gloo on the GPU, 4 steps from the shards: $ddp."
    grep -h -E "^step 4/|trained|heardmap-train:" "$work"/ddp-*.log; } >> "$report"
  rm -f "$work"/ddp.safetensors*
  note "data-parallel check: $ddp"
fi

# The heardmap-train flags a method's preflight and its training run share (into the array
# runFlags): data, size, batch, lr, layout, padding and its --init flags.
runFlagsFor() {
  runFlags=(--pack "$pack" --method "$1" --variant small --batch "$batch" --lr "$lr" --threads 2
    "${layout[@]}" --image-padding "$padding")
  [ -n "$shards" ] && runFlags+=(--shards "$shards")
  if [ -n "$initBase" ] && [[ " $initMethods " == *" $1 "* ]]; then
    runFlags+=(--init "$initBase")
    [ "$1" = fnac ] && runFlags+=(--warmup-steps 0)
    [ "$1" = lvs ] && runFlags+=(--layer4-stride 1)  # its own trunk (the base's is stride 2)
  fi
}

# 3. Preflight: 2 steps of every method with its training flags, all at once. A method that fails
#    tries again in fp32, then with its scenes rendered on the CPU; one that still fails is left
#    out of the training (its preflight log, in logs.txt, says why). A few seconds each.
declare -A fallbackFor
pending=($methods)
for fallback in "" "--precision fp32" "--precision fp32 --synthesis cpu"; do
  [ ${#pending[@]} -gt 0 ] || break
  # A retry only where there is time to train after it.
  [ -z "$fallback" ] || [ "$(left)" -gt 240 ] || break
  declare -A preflightPid=()
  for method in "${pending[@]}"; do
    runFlagsFor "$method"
    timeout 90 "$trainer" "${runFlags[@]}" --steps 2 --eval-per-condition 1 \
      --out "$work/preflight-$method.safetensors" ${EXTRA:-} $fallback \
      > "$work/preflight-$method.log" 2>&1 &
    preflightPid[$method]=$!
  done
  failed=()
  for method in "${pending[@]}"; do
    if wait "${preflightPid[$method]}"; then
      fallbackFor[$method]=$fallback
      [ -n "$fallback" ] && note "$method passes its preflight with $fallback"
      rm -f "$work/preflight-$method.log"
    else
      failed+=("$method")
      note "$method failed its preflight${fallback:+ with $fallback}"
    fi
  done
  pending=("${failed[@]}")
done
rm -f "$work"/preflight-*.safetensors*
trained=""
for method in $methods; do
  [[ -v fallbackFor[$method] ]] && trained+="${trained:+ }$method"
done
{
  echo
  echo "Preflight (2 steps each): training ${trained:-nothing}${pending[*]:+; left out: ${pending[*]}}."
  for method in $trained; do
    [ -n "${fallbackFor[$method]}" ] && echo "- $method trains with ${fallbackFor[$method]}"
  done
} >> "$report"
note "preflight done: ${trained:-nothing} to train"

[ -n "$trained" ] || exit 1

# 4. Train every method at once until 70 s before the deadline (final evaluation and save).
minutes=$(awk -v s="$(left)" 'BEGIN { m = (s - 70) / 60; printf "%.2f", m < 0.5 ? 0.5 : m }')
note "training $trained for $minutes min each, batch $batch, lr $lr, $padding padding"
pids=()
port=29600
for method in $trained; do
  runFlagsFor "$method"
  [[ " ${runFlags[*]} " == *" --init "* ]] && note "$method fine-tunes $initBase"
  launcher=()
  if [ "$nproc" -gt 1 ]; then  # torchrun: one process per GPU, rank 0 writes the checkpoint
    launcher=($python -m torch.distributed.run --nproc_per_node "$nproc" --master_port "$port"
      --no_python)
    port=$((port + 1))
  fi
  "${launcher[@]}" "$trainer" "${runFlags[@]}" --ship --steps 100000000 --max-minutes "$minutes" \
    --eval-per-condition "$evalPerCondition" --checkpoint-every 250 \
    --out "$work/$method-small.safetensors" ${EXTRA:-} ${fallbackFor[$method]} \
    > "$work/$method.log" 2>&1 &
  pids+=($!)
done
# A run that outlives the deadline is asked to stop (it saves its checkpoint on SIGTERM).
grace=$(($(left) - 15))
(trap - EXIT; sleep $((grace > 5 ? grace : 5)); kill -TERM "${pids[@]}" 2> /dev/null) &
watchdog=$!
status=0
for pid in "${pids[@]}"; do
  wait "$pid" || status=1
done
kill "$watchdog" "$sampler" 2> /dev/null
note "training done (status $status)"

{
  echo
  echo "## Training (all runs at once on one GPU, $minutes min each)"
  echo
  [ -f "$work/gpu.log" ] &&
    echo "GPU memory used / utilisation, sampled every 15 s: $(tr '\n' ';' < "$work/gpu.log")"
  for method in $trained; do
    echo
    echo "### $method"
    echo
    grep -E "^step |stopped" "$work/$method.log" | tail -n 2
    echo
    # The last test-split table of the run.
    awk '/^eval at step/ {table = ""} {table = table $0 "\n"} END {printf "%s", table}' \
      "$work/$method.log" | sed -n '/^eval at step/,$p'
  done
} >> "$report"
exit $status
