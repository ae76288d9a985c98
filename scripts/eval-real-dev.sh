#!/usr/bin/env bash
# The real-video dev set (issue 20): hand-drawn boxes of the sounding objects on 32 frames of the
# 11 real clips in ../shared/media (bench/real-dev/boxes.json; the clips themselves are never in
# the repository). Evaluates the given checkpoints, or by default the shipped models, the untrained
# model, the centre prior and random maps, with `heardmap eval --format folder`.
#   scripts/eval-real-dev.sh [--media DIR] [--out DIR] [--checkpoint FILE|untrained|centre-prior|random]...
# Needs a build (scripts/build.sh). Exit 3 and a plain message when the clips are not there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
media="$root/../shared/media"
out="$root/build/real-dev-eval"
checkpoints=()
while [ $# -gt 0 ]; do
  case "$1" in
    --media) media="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --checkpoint) checkpoints+=("$1" "$2"); shift 2 ;;
    *) echo "usage: $0 [--media DIR] [--out DIR] [--checkpoint FILE|untrained|centre-prior|random]..." >&2; exit 2 ;;
  esac
done
boxes="$root/bench/real-dev/boxes.json"
heardmap="$root/build/bin/heardmap"
[ -x "$heardmap" ] || { echo "$0: no $heardmap; build first (scripts/build.sh)" >&2; exit 2; }
mapfile -t clips < <(/usr/bin/python3 -c 'import json, sys; print("\n".join(json.load(open(sys.argv[1]))))' "$boxes")
missing=()
for clip in "${clips[@]}"; do
  [ -f "$media/$clip" ] || missing+=("$clip")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "$0: the real-video dev set needs the clips of $media, and ${#missing[@]} are not there" \
       "(${missing[*]}); nothing evaluated" >&2
  exit 3
fi
if [ ${#checkpoints[@]} -eq 0 ]; then
  for model in "$root"/resources/models/*.safetensors; do
    checkpoints+=(--checkpoint "$model")
  done
  checkpoints+=(--checkpoint untrained --checkpoint centre-prior --checkpoint random)
fi
# The folder layout wants the clips beside boxes.json: links in a scratch folder.
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
cp "$boxes" "$data/boxes.json"
for clip in "${clips[@]}"; do
  ln -s "$(cd "$media" && pwd)/$clip" "$data/$clip"
done
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
"$heardmap" eval --data "$data" --format folder --gallery 0 --out "$out" "${checkpoints[@]}"
