#!/usr/bin/env bash
# --threads: the text outputs formatted on several threads are byte for byte one thread's.
#  - every capture of tests/pcaps (with tests/pcaps/crafted) and of ../shared/pcaps, through
#    --json and --print with a dump in the modes the threads take (-x -X -A with -e -v -q, --time,
#    -Y, -c), with
#    --threads 1 and 3: the same standard output, standard error and exit status;
#  - on a capture of more packets than the threads' batches hold at once (made here by
#    repeating a test capture), so that batches are formatted out of order and written in
#    order, and -c stops in the middle of a batch;
#  - the threads really run: strace sees pktscope start them for --json and --print -x, and not
#    for --threads 1 or for the modes that stay on one thread (--print without a dump, -V,
#    --stats).
# Under build-tsan (scripts/test.sh: PKTSCOPE_SANITIZE_THREADS) ThreadSanitizer checks every
# run. Exit status: 0 pass, 1 fail, 77 skipped (no strace).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PKTSCOPE=${PKTSCOPE:-$SRCDIR/build/pktscope}
SHARED_PCAPS=${SHARED_PCAPS:-$SRCDIR/../shared/pcaps}
export TZ=UTC LC_ALL=C
. "$SRCDIR/tests/scripts/lib/skip.sh"
[ -x "$PKTSCOPE" ] || { echo "threads: no pktscope binary at $PKTSCOPE" >&2; exit 1; }
command -v strace >/dev/null 2>&1 || skip "threads: no strace"
# A race seen by ThreadSanitizer ends the run with status 66, which no comparison accepts.
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
runs=0

# same "THREADS..." CAPTURE ARGS...: --threads 1 against each of THREADS
same() {
    local threads=$1 cap=$2
    shift 2
    "$PKTSCOPE" -r "$cap" "$@" --threads 1 >"$tmp/one.out" 2>"$tmp/one.err"
    local want=$?
    for t in $threads; do
        "$PKTSCOPE" -r "$cap" "$@" --threads $t >"$tmp/many.out" 2>"$tmp/many.err"
        local got=$?
        runs=$((runs + 1))
        if [ $got -ne $want ] || ! cmp -s "$tmp/one.out" "$tmp/many.out" ||
            ! cmp -s "$tmp/one.err" "$tmp/many.err"; then
            echo "FAIL: $cap $* --threads $t: status $got (one thread: $want)"
            diff "$tmp/one.out" "$tmp/many.out" | head -5
            diff "$tmp/one.err" "$tmp/many.err" | head -5
            fail=1
        fi
    done
}

shopt -s nullglob
caps=("$SRCDIR"/tests/pcaps/*.pcap* "$SRCDIR"/tests/pcaps/crafted/*.pcap* "$SHARED_PCAPS"/*.pcap*)
[ ${#caps[@]} -gt 60 ] || { echo "FAIL: only ${#caps[@]} captures found"; exit 1; }
for cap in "${caps[@]}"; do
    same 3 "$cap" --json
    # ThreadSanitizer makes each run slow: there one mode a capture is enough to take the
    # threads through a partial batch and the end of the file on each.
    [ "${PKTSCOPE_SANITIZED_THREADS:-0}" = 1 ] && continue
    same 3 "$cap" --print -x -e -v --time=delta
    same 3 "$cap" --print -A -q -Y 'tcp || dns'
done

# A bigger capture: one test capture's packets 400 times over (about 19,000 frames, 300
# batches), written as pcap by pktscope itself.
src="$SRCDIR/tests/pcaps/http-get.pcap"
python3 - "$src" "$tmp/big.pcap" <<'PY' || { echo "FAIL: could not make the big capture"; exit 1; }
import struct, sys
data = open(sys.argv[1], "rb").read()
head, body = data[:24], data[24:]
open(sys.argv[2], "wb").write(head + body * 400)
PY
same "2 5" "$tmp/big.pcap" --json
same "2 5" "$tmp/big.pcap" --print -XX --time=date
same "2 5" "$tmp/big.pcap" --print -x -c 1000
same "2 5" "$tmp/big.pcap" --json -c 6401
for t in 1 2 5; do
    "$PKTSCOPE" -r "$tmp/big.pcap" --json --threads $t | head -c 100000 >"$tmp/head.$t"
done
cmp -s "$tmp/head.1" "$tmp/head.2" && cmp -s "$tmp/head.1" "$tmp/head.5" ||
    { echo "FAIL: --json | head differs with threads"; fail=1; }

# threads_started ARGS...: how many threads (clone with CLONE_THREAD) a run starts
threads_started() {
    strace -f -qq -e trace=clone,clone3 -o "$tmp/strace" "$PKTSCOPE" -r "$tmp/big.pcap" "$@" \
        >/dev/null 2>&1
    grep -c 'CLONE_THREAD' "$tmp/strace"
}
# started COUNT ARGS...: pktscope started COUNT threads of its own. ThreadSanitizer starts one
# more of its own along with the first.
started() {
    local want=$1
    shift
    local got
    got=$(threads_started "$@")
    if [ "${PKTSCOPE_SANITIZED_THREADS:-0}" = 1 ] && [ "$got" -gt 0 ]; then
        got=$((got - 1))
    fi
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $* started $got threads, not $want"
        fail=1
    fi
}
started 1 --json --threads 2
started 4 --print -x --threads 5
started 0 --print --threads 4
started 0 --print -V -x --threads 4
started 0 --stats --threads 4

[ $fail -eq 0 ] && echo "threads: $runs runs with several threads, each the same as one thread's"
exit $fail
