#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/*_fuzz.cpp) with Debian's clang and runs each for a bounded
# time on a copy of its committed seed corpus (fuzz/corpus/<target>/).
#
#   scripts/fuzz.sh [BUILD_DIR] [SECONDS_PER_TARGET] [TARGET...]
#   defaults: build-fuzz, 60 s, every target
#
# Exits non-zero if a target fails to build or finds a crash, a leak, a timeout (>10 s on one
# input) or an out-of-memory (>2 GB). The failing input is kept as
# BUILD_DIR/fuzz-artifacts/<target>-crash-* and printed; turn it into a regression test.
# Needs: clang, libclang-rt-14-dev (libFuzzer + sanitizer runtimes), libomp-14-dev (OpenMP for
# clang).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build-fuzz}
seconds=${2:-60}
shift $(( $# > 2 ? 2 : $# )) || true
case "$build" in /*) ;; *) build="$root/$build" ;; esac

# The library is compiled with coverage instrumentation (fuzzer-no-link) so that libFuzzer sees
# the code under test, not only the small target files; everything links the sanitizer runtimes.
# -march=native: clang ignores the `#pragma GCC target` of the per-ISA kernel files, whose
# intrinsics then fail to compile; building for this machine sidesteps that (fuzz builds are
# never shipped).
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DW2V_FUZZ=ON -DW2V_TESTS=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -march=native" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for src in "$root"/fuzz/*_fuzz.cpp; do targets+=("$(basename "$src" .cpp)"); done
fi
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}"

artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"
status=0
for t in "${targets[@]}"; do
  seeds="$root/fuzz/corpus/$t"
  work="$build/fuzz-corpus/$t"  # grows while fuzzing; the committed seeds stay unchanged
  mkdir -p "$work"
  echo "== $t: ${seconds} s"
  log="$build/fuzz-$t.log"
  if "$build/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$artifacts/$t-" "$work" "$seeds" >"$log" 2>&1; then
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|^#[0-9]+.*DONE" "$log" || true
  else
    status=1
    echo "!! $t failed; last lines of $log:"
    tail -n 40 "$log"
    ls -1 "$artifacts"/"$t"-* 2>/dev/null || true
  fi
done
exit $status
