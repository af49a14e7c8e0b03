#!/usr/bin/env bash
# tshark is the oracle (DESIGN.md): pktscope --json is compared with `tshark -T fields`, field by
# field, on every capture in tests/pcaps (recursively, crafted/ included) and in $SHARED_PCAPS
# that tshark reads (MANIFEST.tsv column tshark_read). Fails on any disagreement not listed in
# tests/oracle-differences.txt, or when overall agreement is below 99.5 %.
# The comparison itself, and why tshark runs with the options it does: tests/oracle/compare.py.
#
# ORACLE_REASSEMBLY=1 (tests/scripts/oracle_reassembly.sh) compares with reassembly on both sides:
# tshark's default preferences against pktscope's default. Without it, one packet at a time.
# Other captures can be compared by hand:  PKTSCOPE=build/pktscope tests/scripts/oracle.sh DIR...
# Exit status 77 (skipped) when tshark or python3 is missing, or there is no capture.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PKTSCOPE=${PKTSCOPE:-$SRCDIR/build/pktscope}
SHARED_PCAPS=${SHARED_PCAPS:-$SRCDIR/../shared/pcaps}
export TZ=UTC LC_ALL=C

if ! command -v tshark >/dev/null 2>&1; then
    echo "oracle: tshark is not installed (scripts/install-deps.sh installs it); skipped"
    exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "oracle: python3 is not installed; skipped"
    exit 77
fi
if [ ! -x "$PKTSCOPE" ]; then
    echo "oracle: no pktscope binary at $PKTSCOPE" >&2
    exit 1
fi

if [ $# -gt 0 ]; then
    paths=("$@")
else
    paths=()
    [ -d "$SRCDIR/tests/pcaps" ] && paths+=("$SRCDIR/tests/pcaps")
    [ -d "$SHARED_PCAPS" ] && paths+=("$SHARED_PCAPS")
    if [ ${#paths[@]} -eq 0 ]; then
        echo "oracle: neither tests/pcaps nor $SHARED_PCAPS exists; skipped"
        exit 77
    fi
fi

# A private HOME: preferences in the user's Wireshark profile must not change the oracle.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
HOME=$home python3 "$SRCDIR/tests/oracle/compare.py" ${ORACLE_REASSEMBLY:+--reassembly} \
    --pktscope "$PKTSCOPE" --srcdir "$SRCDIR" \
    --differences "$SRCDIR/tests/oracle-differences.txt" \
    ${ORACLE_VERBOSE:+--verbose} "${paths[@]}"
