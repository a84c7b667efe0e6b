#!/usr/bin/env bash
# Installs what is missing, builds and runs every test: the release build, the MPI build under
# mpirun, the same suite under AddressSanitizer + UndefinedBehaviorSanitizer, the threaded parts
# under ThreadSanitizer, each libFuzzer target for a bounded time, and the formatting check.
# This is what .ci/run runs.
#
#   scripts/test.sh            FUZZ_SECONDS=N (default 60) sets each fuzz target's time
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=$(nproc)
step() { printf '\n==== %s (%ds)\n' "$*" "$SECONDS"; }

step "dependencies"
scripts/install-deps.sh --test
scripts/install-peers.sh build/peers >/dev/null
export W2V_PEERS_DIR="$root/build/peers"  # one install of the reference tools for every build

step "formatting (clang-format)"
git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

step "release build + tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DW2V_TESTS=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs" --timeout 900

# The demo's answers must hold for any seed, not for one lucky run (README.md, "The demo").
step "demo answers with three more seeds"
for seed in 2 3 4; do
  SEED=$seed W2V="$root/build/w2v" scripts/demo.sh "build/demo-seed-$seed" >"build/demo-seed-$seed.log" 2>&1 ||
    { cat "build/demo-seed-$seed.log"; echo "demo answers failed with seed $seed" >&2; exit 1; }
  grep '^== check' "build/demo-seed-$seed.log"
done

# Every example command README.md shows, run as written.
step "README examples"
scripts/readme-examples.sh build

# README: `cmake --install build --prefix ~/.local` puts w2v on a user's PATH.
step "cmake --install"
rm -rf build/install-check
cmake --install build --prefix build/install-check >/dev/null
build/install-check/bin/w2v --version

# The same w2v built with Open MPI: the tests start it under mpirun with 2 ranks, and compare one
# rank's output with the default build's byte for byte.
step "MPI build (-DW2V_MPI=ON) + tests under mpirun -np 2"
cmake -S . -B build-mpi -DCMAKE_BUILD_TYPE=Release -DW2V_MPI=ON \
  -DW2V_REFERENCE_BINARY="$root/build/w2v" >/dev/null
cmake --build build-mpi -j "$jobs" --target w2v w2v_mpi_tests
ctest --test-dir build-mpi --output-on-failure --timeout 900 -R '^Mpi'

# README's MPI block, run as written (mpirun -np 4 with a hostfile, then two inputs at -np 2).
step "README MPI examples"
scripts/readme-mpi-examples.sh

step "clang-tidy (bugprone, performance, a few readability checks; .clang-tidy)"
run-clang-tidy -p build -quiet -j "$jobs" "$root/(src|apps)/" >build/clang-tidy.log 2>&1 ||
  { grep -E "warning:|error:" build/clang-tidy.log | sort -u; exit 1; }

step "AddressSanitizer + UndefinedBehaviorSanitizer build + tests"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DW2V_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" --timeout 1800

# The MPI code (vocabulary merge, model sync, fault handling) under the sanitizers too, compared
# with the sanitized plain build. Open MPI keeps some allocations until exit: tests/lsan-mpi.supp
# names its libraries (full unwinding and no dlclose make their frames visible).
step "MPI build under AddressSanitizer + UndefinedBehaviorSanitizer + the MPI tests"
cmake -S . -B build-mpi-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DW2V_SANITIZE=ON -DW2V_MPI=ON \
  -DW2V_REFERENCE_BINARY="$root/build-asan/w2v" >/dev/null
cmake --build build-mpi-asan -j "$jobs" --target w2v w2v_mpi_tests
OMPI_MCA_mca_base_component_disable_dlclose=1 \
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0 \
  LSAN_OPTIONS=suppressions=$root/tests/lsan-mpi.supp \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-mpi-asan --output-on-failure --timeout 1800 -R '^Mpi'

# GCC's OpenMP runtime is not built for TSan, so OpenMP regions (training, init) give false
# reports; the parts that must be race-free without OpenMP run here: parallel counting, the
# reader, error capture and the stop flag. The Hogwild matrix updates are racy by design. The
# Korean segmenter learns its splits in OpenMP loops, so its corpus test stays out of this run too.
step "ThreadSanitizer: the threaded parts"
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DW2V_TSAN=ON >/dev/null
cmake --build build-tsan -j "$jobs" --target w2v_tests
TSAN_OPTIONS="halt_on_error=1 suppressions=$root/tests/tsan.supp" \
  build-tsan/w2v_tests --gtest_filter='Threads.Parallel*:Threads.Reader*:Threads.StopRequestDuringLoading*:Corpus*:-Corpus.Korean*'

step "fuzzing"
scripts/fuzz.sh build-fuzz "${FUZZ_SECONDS:-60}"

step "all tests passed"
