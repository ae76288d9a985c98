#!/usr/bin/env bash
# From a fresh Debian 12 machine: install, build, and launch the app on the built-in demo clip.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
export OPENBLAS_NUM_THREADS=1
exec "$root/build/bin/heardmap" --demo --play "$@"
