#!/usr/bin/env bash
# From a fresh Debian 12 machine: install, build, and run every test (GL tests need Xvfb), then
# the sanitizer and fuzz run (scripts/sanitize.sh: ASan + UBSan tests of core, media and the CLI,
# each libFuzzer target for FUZZ_SECONDS, default 20).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
cd "$root/build"
export OPENBLAS_NUM_THREADS=1
xvfb-run -a -s "-screen 0 1280x1024x24" ctest --output-on-failure
"$root/scripts/sanitize.sh"
