#!/usr/bin/env bash
# Fails when a tracked C++ file differs from .clang-format's layout.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.cpp' '*.h')
clang-format --dry-run -Werror $files
echo "clang-format: $(echo "$files" | wc -w) files clean"
