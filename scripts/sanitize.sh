#!/usr/bin/env bash
# The sanitizer and fuzz run: an ASan + UBSan build (clang) of core, media and the CLI with their
# tests, then every libFuzzer target of tests/fuzz for FUZZ_SECONDS each (default 20) from seeds
# made by the project's own writers and the test fixtures. Needs the main build's fixtures
# (scripts/test.sh runs this after the main suite). Exits non-zero on any sanitizer report, test
# failure or fuzz crash; a crash input is kept in build-asan/fuzz-crashes/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fixtures="$root/build/tests/fixtures"
[ -f "$fixtures/matrix/matrix.tsv" ] || { echo "sanitize: run scripts/test.sh first (fixtures)"; exit 2; }
"$root/scripts/install-deps.sh"
build="$root/build-asan"
mkdir -p "$build"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DHEARDMAP_SANITIZE=ON -DHEARDMAP_FUZZ=ON > "$build/configure.log" 2>&1 ||
  { cat "$build/configure.log"; exit 1; }
tests=(tst_Json tst_Pth tst_Safetensors tst_Spectrogram tst_Heatmap tst_Metrics tst_Annotations tst_Media tst_PilMatch
       tst_MediaMatrix tst_Datasets tst_Render tst_OfficialSspl tst_Shards)
fuzzers=(fuzz_safetensors fuzz_pth fuzz_json fuzz_annotations fuzz_dataset_index fuzz_media fuzz_shards)
cmake --build "$build" -j"$(nproc)" --target "${tests[@]}" "${fuzzers[@]}" heardmap-headless \
  heardmap-fuzz-seeds

export ASAN_OPTIONS="exitcode=86:detect_leaks=0:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export HEARDMAP_FIXTURES="$fixtures" HEARDMAP_TEST_SOURCES="$root/tests"
export HEARDMAP_BINARY="$build/bin/heardmap-headless" HEARDMAP_NO_AUDIO=1
export HEARDMAP_MODELS="$build/no-shipped-models" OPENBLAS_NUM_THREADS=1 OMP_WAIT_POLICY=passive
passed=0
failed=0
for t in "${tests[@]}"; do
  if "$build/tests/$t" -silent > "$build/$t.log" 2>&1; then
    passed=$((passed + 1)); echo "sanitize: $t passed"
  else
    failed=$((failed + 1)); echo "sanitize: $t FAILED"; tail -40 "$build/$t.log"
  fi
done

seconds=${FUZZ_SECONDS:-20}
corpus="$build/fuzz-corpus"
mkdir -p "$build/fuzz-crashes"
"$build/fuzz/heardmap-fuzz-seeds" "$corpus"
mkdir -p "$corpus/dataset_index" "$corpus/media" "$corpus/pth"
seed() { { printf "\\x$(printf %02x "$1")"; cat "$2"; } > "$corpus/dataset_index/$3"; }
seed 0 "$fixtures/datasets/flickr/Annotations/f1.xml" flickr
for f in "$fixtures"/datasets/*/*.json "$fixtures"/datasets/*/*/*.json; do
  [ -f "$f" ] || continue
  case "$(basename "$f")" in
    vggss.json) seed 1 "$f" vggss ;; s4_box.json|ms3_box.json) seed 2 "$f" avsbench ;;
    synthetic3240_bbox.json) seed 3 "$f" is3 ;; boxes.json) seed 4 "$f" folder ;;
  esac
done
for f in size-17x9.mkv c.mp4 c.webm c.avi c.mpg raw-pal8.avi truncated.mkv; do
  cp "$fixtures/matrix/$f" "$corpus/media/"
done
for f in "$fixtures"/pth/*.pth; do  # torch.save's files; resnet18 (46 MB) is too big a seed
  [ "$(stat -c %s "$f")" -lt 65536 ] || continue
  { printf '\x00'; cat "$f"; } > "$corpus/pth/$(basename "$f").raw"
  { printf '\x01'; cat "$f"; } > "$corpus/pth/$(basename "$f").crc"
done
for t in "${fuzzers[@]}"; do
  dir="$corpus/${t#fuzz_}"
  mkdir -p "$dir"
  # Inputs that once crashed a target stay in its corpus (tests/fuzz/regressions/<target>/).
  cp "$root"/tests/fuzz/regressions/"${t#fuzz_}"/* "$dir/" 2>/dev/null || true
  if "$build/fuzz/$t" "$dir" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3000 \
       -max_len=262144 -artifact_prefix="$build/fuzz-crashes/$t-" -print_final_stats=1 \
       > "$build/$t.log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/$t.log" | grep -o '[0-9]*$')
    passed=$((passed + 1)); echo "sanitize: $t passed ($runs executions in ${seconds} s)"
  else
    failed=$((failed + 1)); echo "sanitize: $t FAILED"; tail -40 "$build/$t.log"
  fi
done
echo "sanitize: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
