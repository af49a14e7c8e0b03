#!/usr/bin/env bash
# tshark is the oracle for display filters: every expression in tests/oracle/filters.txt (at least
# 80, over at least 50 fields, every operator and every field type) runs through
# `tshark -Y EXPR` and `pktscope -Y EXPR` on the test captures (tests/pcaps and the shared ones
# tshark reads), and the frames each matches must be the same, except where
# tests/oracle-filter-differences.txt says why not. How: tests/oracle/filter_compare.py.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PKTSCOPE=${PKTSCOPE:-$SRCDIR/build/pktscope}
SHARED_PCAPS=${SHARED_PCAPS:-$SRCDIR/../shared/pcaps}
export TZ=UTC LC_ALL=C
. "$(dirname "$0")/lib/skip.sh"

for tool in tshark mergecap capinfos python3; do
    command -v "$tool" >/dev/null 2>&1 || skip "oracle_filter: $tool is not installed (scripts/install-deps.sh installs it)"
done
[ -x "$PKTSCOPE" ] || { echo "oracle_filter: no pktscope binary at $PKTSCOPE" >&2; exit 1; }
paths=("$SRCDIR/tests/pcaps")
[ -d "$SHARED_PCAPS" ] && paths+=("$SHARED_PCAPS")

# A private HOME: preferences in the user's Wireshark profile must not change the oracle.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
HOME=$home python3 "$SRCDIR/tests/oracle/filter_compare.py" \
    --pktscope "$PKTSCOPE" --filters "$SRCDIR/tests/oracle/filters.txt" \
    --differences "$SRCDIR/tests/oracle-filter-differences.txt" \
    --min-filters 80 --min-fields 50 --jobs "$(nproc 2>/dev/null || echo 2)" \
    ${ORACLE_VERBOSE:+--verbose} "${paths[@]}"
