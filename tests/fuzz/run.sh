#!/usr/bin/env bash
# Runs one libFuzzer harness (doc/fuzzing.md):
#   [FUZZ_JOBS=N] tests/fuzz/run.sh NAME [SECONDS] [RUNS]
# NAME is outputs, reasm, filter, args, dissect or reader; the run stops after SECONDS (default
# 600) or RUNS executions (default 10000000), whichever comes first. It configures build-fuzz
# (clang, -DPKTSCOPE_FUZZ=ON) once and builds the harness on every run, starts from the committed
# corpus tests/fuzz/corpus/NAME plus
# what earlier runs found (build-fuzz/corpus-NAME, where new inputs go), at the lowest priority,
# and writes crashes to build-fuzz/artifacts-NAME/. FUZZ_JOBS (default 1) is the number of fuzzing
# processes, each on its own core, each with its own limits; process K's log is
# build-fuzz/run-NAME/fuzz-K.log, and the last lines of each (executions, exec/s, cov, ft) are
# printed at the end. A run's executions are the sum of its processes' number_of_executed_units.
set -euo pipefail
cd "$(dirname "$0")/../.."
name=${1:?usage: tests/fuzz/run.sh NAME [SECONDS] [RUNS]}
secs=${2:-600}
runs=${3:-10000000}
jobs=${FUZZ_JOBS:-1}
case $jobs in
[1-9] | [1-9][0-9]) ;;
*) echo "run.sh: FUZZ_JOBS must be a number of processes, 1 to 99" >&2; exit 2 ;;
esac
case $name in
outputs | reasm | filter | args | dissect | reader) ;;
*) echo "run.sh: unknown harness '$name'" >&2; exit 2 ;;
esac
# Configured once; built every time (up to date in a moment), so that a run never fuzzes a
# harness older than the code: with the build only when the binary was missing, a later run
# went on fuzzing the first build's code.
if [ ! -f build-fuzz/CMakeCache.txt ]; then
    cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
        -DPKTSCOPE_FUZZ=ON >/dev/null
fi
nice -n 19 cmake --build build-fuzz --target fuzz_$name -j2 >/dev/null || exit 2
mkdir -p build-fuzz/corpus-$name build-fuzz/artifacts-$name
# Inputs are capped: the capture harnesses get 64 KiB (a few dozen packets), the others 8 KiB.
case $name in
outputs | reader | reasm) max_len=65536 ;;
*) max_len=8192 ;;
esac
# A 16 MB quarantine instead of 256: freed memory is reused sooner (a use after free long after
# is missed), but every input no longer faults in fresh pages (a third faster). -entropic=0:
# the entropic scheduler's bookkeeping over pktscope's ~30,000 features took 60 % of the time.
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:allocator_may_return_null=1:quarantine_size_mb=16
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
top=$PWD
# -jobs=N -workers=N: N fuzzing processes sharing the corpus directory (each reads it at its
# start, and writes what it finds into it); libFuzzer writes process K's log to fuzz-K.log in the
# current directory, so each harness runs in its own, cleared first so that no old log is counted.
mkdir -p build-fuzz/run-$name
rm -f build-fuzz/run-$name/fuzz-*.log
status=0
# stdin from /dev/null: no harness reads the terminal.
(cd build-fuzz/run-$name &&
    nice -n 19 "$top"/build-fuzz/tests/fuzz_$name -jobs="$jobs" -workers="$jobs" -entropic=0 -runs="$runs" \
        -max_total_time="$secs" -max_len=$max_len -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$top"/build-fuzz/artifacts-$name/ \
        "$top"/build-fuzz/corpus-$name "$top"/tests/fuzz/corpus/$name </dev/null \
        >"$top"/build-fuzz/run-$name/parent.log 2>&1) || status=$?
for log in build-fuzz/run-$name/fuzz-*.log; do
    [ "$jobs" -eq 1 ] || echo "== $log"
    grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -1 || true
    grep -E '^stat::' "$log" || true
done
if [ "$jobs" -gt 1 ]; then
    cat build-fuzz/run-$name/fuzz-*.log |
        awk '/^stat::number_of_executed_units:/ { n += $2 } END { print "executions in all: " n }'
fi
if [ $status -ne 0 ]; then
    echo "run.sh: fuzz_$name stopped with status $status: see build-fuzz/run-$name/ and build-fuzz/artifacts-$name/" >&2
fi
exit $status
