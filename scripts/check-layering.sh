#!/usr/bin/env bash
# Enforces the design rules: core/ and trainer/ include no Qt, FFmpeg or PortAudio; torch appears
# only in core/ml and trainer torch translation units (and the trainer's benches and its test
# probes); no file that
# includes Qt includes torch; and the libraries depend in one direction, which the folders show:
#   core -> trainer (its own process)
#   core -> app/media (FFmpeg, PortAudio) -> app/pipeline (the frame job, no Qt)
#        -> app/plots (Qt Gui inside, Qt-free headers) -> app/cli (headless commands, no Qt)
#        -> ui (Qt widgets) -> app/main.cpp
# A library includes only what is left of it.
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
      core/ml/*|trainer/*|bench/train_bench.cpp|bench/shard_loader_bench.cpp|tests/trainer/TrainerProbes.cpp) ;;
      *) fail "$f includes torch outside core/ml and trainer" ;;
    esac
    grep -qE '#include <Q' "$f" && fail "$f includes both torch and Qt"
  fi
done
# The dependency order: each folder includes project headers only from the folders left of it.
allowed_of() {
  case "$1" in
    core/*) echo "core" ;;
    trainer/*) echo "core trainer" ;;
    app/media/*) echo "core app/media" ;;
    app/pipeline/*) echo "core app/media app/pipeline" ;;
    app/plots/*) echo "core app/plots" ;;
    app/cli/*) echo "core app/media app/pipeline app/plots app/cli" ;;
    ui/*) echo "core app/media app/pipeline app/plots app/cli ui" ;;
    *) echo "*" ;;
  esac
}
for f in $(git ls-files 'core/*' 'trainer/*' 'app/*' 'ui/*' | grep -E '\.(cpp|h)$'); do
  allowed=$(allowed_of "$f")
  [ "$allowed" = "*" ] && continue
  while IFS= read -r include; do
    top=$(echo "$include" | sed -E 's#^(app/[a-z]+|[a-z]+)/.*#\1#')
    case " $allowed " in *" $top "*) ;; *) fail "$f includes $include (its layer may use: $allowed)" ;; esac
  done < <(grep -oE '#include "(core|trainer|app/[a-z]+|ui)/[^"]+"' "$f" | sed -E 's/#include "(.*)"/\1/')
done
# Inside core, the metrics come before the data they score: core/eval includes nothing of
# core/data (scenes build their targets with evalTargetOf, in core/data).
for f in $(git ls-files 'core/eval/*'); do
  grep -qE '#include "core/data/' "$f" && fail "$f includes core/data (eval comes first)"
done
# No Qt in the headless commands and the media layer, nor in the plots' headers.
for f in $(git ls-files 'app/cli/*' 'app/media/*' 'app/pipeline/*' 'app/plots/*.h'); do
  grep -qE '#include <Q' "$f" && fail "$f includes Qt (the headless layers stay Qt-free)"
done
# One include style: a header of the same folder by its name, any other project header from the
# project's root ("core/Json.h"), never by a path that climbs ("../Json.h").
for f in $(git ls-files '*.cpp' '*.h'); do
  grep -qE '#include "\.\./' "$f" && fail "$f includes by a relative path up (use the path from the root)"
done
# Public ml headers stay torch-free (EzvslNet.h, SsplVggNet.h and *Torch.h are the internal
# exceptions: only torch translation units include them).
for f in $(git ls-files 'core/ml/*.h' 'trainer/*.h'); do
  case "$f" in core/ml/EzvslNet.h|core/ml/SsplVggNet.h|trainer/*Torch.h) continue ;; esac
  grep -qE '#include [<"](torch/|ATen/|c10/)' "$f" && fail "$f is a public header but includes torch"
done
[ $status -eq 0 ] && echo "layering: core/trainer free of Qt/FFmpeg/PortAudio; torch only in core/ml and trainer; core -> media -> pipeline -> plots -> cli -> ui in one direction"
exit $status
