#!/usr/bin/env bash
# Copies the header-only libraries the build needs (nlohmann-json, Eigen, CLI11) from this Debian machine into
# a folder, for a machine that has LibTorch, CMake and a compiler but no such package (the GPU
# machine): there, configure with -DHEARDMAP_HEADER_LIBRARIES=<that folder>.
# Usage: scripts/stage-header-libraries.sh [DIR]   (default build/header-libraries)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/build/header-libraries}
for need in /usr/include/nlohmann/json.hpp /usr/include/eigen3/Eigen/Core /usr/include/CLI/CLI.hpp; do
  [ -f "$need" ] ||
    { echo "stage-header-libraries: $need missing: run scripts/install-deps.sh" >&2; exit 1; }
done
mkdir -p "$dir"
rm -rf "$dir/nlohmann" "$dir/eigen3" "$dir/CLI"
cp -r /usr/include/nlohmann /usr/include/CLI "$dir/"
# Eigen's own headers and the FFT module, without its documentation and the rest of unsupported/.
mkdir -p "$dir/eigen3/unsupported/Eigen/src"
cp -r /usr/include/eigen3/Eigen /usr/include/eigen3/signature_of_eigen3_matrix_library "$dir/eigen3/"
cp /usr/include/eigen3/unsupported/Eigen/FFT "$dir/eigen3/unsupported/Eigen/"
cp -r /usr/include/eigen3/unsupported/Eigen/src/FFT "$dir/eigen3/unsupported/Eigen/src/"
echo "stage-header-libraries: nlohmann-json, Eigen and CLI11 in $dir ($(du -sh "$dir" | cut -f1))"
