#!/usr/bin/env bash
# Every file in $SHARED_PCAPS (malformed ones included), every file in tests/pcaps, and a few
# hundred damaged copies of them made with a fixed seed, through every output mode (--print,
# -V, -x, --json, --stats, --conns): no crash, no hang (60 s per run), no sanitizer report, the
# expected exit status, no raw control bytes on standard output. Details, and the reasons for
# the exceptions to the expected statuses: tests/oracle/sweep.py.
# Under the sanitizer build (scripts/test.sh) any report aborts the run and fails it.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PKTSCOPE=${PKTSCOPE:-$SRCDIR/build/pktscope}
SHARED_PCAPS=${SHARED_PCAPS:-$SRCDIR/../shared/pcaps}
export TZ=UTC LC_ALL=C
# A sanitizer report must end the run with a signal, whatever the caller set.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}halt_on_error=1:abort_on_error=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:abort_on_error=1:print_stacktrace=1"

if ! command -v python3 >/dev/null 2>&1; then
    echo "sweep: python3 is not installed; skipped"
    exit 77
fi
if [ ! -x "$PKTSCOPE" ]; then
    echo "sweep: no pktscope binary at $PKTSCOPE" >&2
    exit 1
fi
if [ ! -d "$SHARED_PCAPS" ] && [ ! -d "$SRCDIR/tests/pcaps" ]; then
    echo "sweep: neither $SHARED_PCAPS nor tests/pcaps exists; skipped"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# tshark (expected statuses of tests/pcaps) gets a private HOME: no user profile.
HOME=$work python3 "$SRCDIR/tests/oracle/sweep.py" --pktscope "$PKTSCOPE" \
    --shared "$SHARED_PCAPS" --own "$SRCDIR/tests/pcaps" --workdir "$work/mutants" \
    ${SWEEP_VERBOSE:+--verbose}
rc=$?
if [ $rc -eq 1 ] && [ -n "${BUILDDIR:-}" ] && [ -d "$BUILDDIR" ]; then
    # Keep the damaged copies that failed, to reproduce: they are made again identically, but
    # only from the same inputs.
    rm -rf "$BUILDDIR/sweep-mutants"
    mv "$work/mutants" "$BUILDDIR/sweep-mutants" && echo "sweep: mutants kept in $BUILDDIR/sweep-mutants"
fi
exit $rc
