#!/usr/bin/env bash
# The real-video dev set (issue 20): hand-drawn boxes of the sounding objects on 32 frames of the
# 11 real clips in ../shared/media (bench/real-dev/boxes.json; the clips themselves are never in
# the repository). Evaluates the given checkpoints, or by default the shipped models, the untrained
# model, the centre prior and random maps, with `heardmap eval --format folder`.
#   scripts/eval-real-dev.sh [--media DIR] [--out DIR] [--only CLIP,CLIP...]
#                            [--checkpoint FILE|untrained|centre-prior|random]...
# --only keeps the frames of those clips (a held-out split when a model was trained on the others).
# Needs a build (scripts/build.sh). Exit 3 and a plain message when the clips are not there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
media="$root/../shared/media"
out="$root/build/real-dev-eval"
checkpoints=()
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --media) media="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --checkpoint) checkpoints+=("$1" "$2"); shift 2 ;;
    *) echo "usage: $0 [--media DIR] [--out DIR] [--only CLIP,...] [--checkpoint FILE|untrained|centre-prior|random]..." >&2; exit 2 ;;
  esac
done
boxes="$root/bench/real-dev/boxes.json"
heardmap="$root/build/bin/heardmap"
[ -x "$heardmap" ] || { echo "$0: no $heardmap; build first (scripts/build.sh)" >&2; exit 2; }
# The index, or its entries of the --only clips (an unknown name is an error).
index=$(/usr/bin/python3 -c '
import json, sys
boxes = json.load(open(sys.argv[1]))
only = [c for c in sys.argv[2].split(",") if c]
unknown = [c for c in only if c not in boxes]
if unknown:
    print("--only: not clips of the dev set: " + ", ".join(unknown), file=sys.stderr)
    sys.exit(2)
print(json.dumps({c: v for c, v in boxes.items() if not only or c in only}, indent=1))
' "$boxes" "$only")
mapfile -t clips < <(/usr/bin/python3 -c 'import json, sys; print("\n".join(json.loads(sys.argv[1])))' "$index")
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
printf '%s\n' "$index" > "$data/boxes.json"
for clip in "${clips[@]}"; do
  ln -s "$(cd "$media" && pwd)/$clip" "$data/$clip"
done
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
"$heardmap" eval --data "$data" --format folder --gallery 0 --out "$out" "${checkpoints[@]}"
