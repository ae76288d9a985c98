#!/usr/bin/env bash
# Enforces the design rules: core/ and trainer/ include no Qt, FFmpeg or PortAudio; torch appears
# only in core/ml and trainer torch translation units (and the trainer's bench); no file that
# includes Qt includes torch.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
fail() { echo "layering: $*"; status=1; }
for f in $(git ls-files 'core/*' 'trainer/*' | grep -E '\.(cpp|h)$'); do
  grep -qE '#include <(Q[A-Za-z]+|libav[a-z]+/|portaudio)' "$f" && fail "$f includes Qt, FFmpeg or PortAudio"
done
for f in $(git ls-files '*.cpp' '*.h'); do
  if grep -qE '#include [<"](torch/|ATen/|c10/)' "$f"; then
    case "$f" in
      core/ml/*|trainer/*|bench/train_bench.cpp) ;;
      *) fail "$f includes torch outside core/ml and trainer" ;;
    esac
    grep -qE '#include <Q' "$f" && fail "$f includes both torch and Qt"
  fi
done
# Public ml headers stay torch-free (EzvslNet.h, SsplVggNet.h and *Torch.h are the internal
# exceptions: only torch translation units include them).
for f in $(git ls-files 'core/ml/*.h' 'trainer/*.h'); do
  case "$f" in core/ml/EzvslNet.h|core/ml/SsplVggNet.h|trainer/*Torch.h) continue ;; esac
  grep -qE '#include [<"](torch/|ATen/|c10/)' "$f" && fail "$f is a public header but includes torch"
done
[ $status -eq 0 ] && echo "layering: core/trainer free of Qt/FFmpeg/PortAudio; torch only in core/ml and trainer"
exit $status
