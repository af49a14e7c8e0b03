#!/usr/bin/env bash
# Builds pktscope twice (optimised, and with AddressSanitizer + UBSan) and runs the whole test
# suite on both with ctest; then builds it with ThreadSanitizer and runs the --threads test
# (tests/scripts/threads.sh) on that. Exit status is ctest's.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DPKTSCOPE_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"

export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
echo "== tests, optimised build"
(cd build && ctest --output-on-failure -j"$jobs") || status=1
echo "== tests, sanitizer build"
# The oracle tests compare values with tshark, which the optimised run has already done; most of
# their time is tshark's. Under the sanitizers what matters is that every capture goes through every
# mode without a report, which sweep.sh covers, so they are left out here.
(cd build-asan && ctest --output-on-failure -j"$jobs" -E '^oracle') || status=1
echo "== --threads under ThreadSanitizer"
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
    -DPKTSCOPE_SANITIZE_THREADS=ON >/dev/null
cmake --build build-tsan -j"$jobs" --target pktscope
(cd build-tsan && ctest --output-on-failure -R '^threads$') || status=1
exit $status
