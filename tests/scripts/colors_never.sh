#!/usr/bin/env bash
# The colouring rules never colour what should stay plain: on a terminal (script(1) lends one)
# --color=never and NO_COLOR=1 give no SGR at all, on captures where every row has a rule (RST,
# SYN/FIN, ARP, ICMP, ICMP errors, UDP, bad TCP); --color=always still colours under NO_COLOR
# (asked for explicitly); and the coloured text is the plain text once the SGRs are removed.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
P=${PKTSCOPE:-$SRCDIR/build/pktscope}
. "$SRCDIR/tests/scripts/lib/skip.sh"
command -v script >/dev/null 2>&1 || skip "colors_never: no script(1)"
T=$(mktemp -d "${TMPDIR:-/tmp}/pktscope-colors.XXXXXX")
trap 'rm -rf "$T"' EXIT
export TZ=UTC LC_ALL=C
fails=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
esc=$(printf '\033')
for c in refused ping lossy; do
    f=$SRCDIR/tests/pcaps/$c.pcap
    TERM=xterm timeout 60 script -qec "env -u NO_COLOR $P -r $f --print --color=never" /dev/null \
        >"$T/never" 2>&1 </dev/null
    grep -q "$esc\[[0-9;]*m" "$T/never" && fail "$c: --color=never coloured on a terminal" \
        || ok "$c: --color=never, no colour"
    TERM=xterm NO_COLOR=1 timeout 60 script -qec "$P -r $f --print" /dev/null >"$T/nc" 2>&1 </dev/null
    grep -q "$esc\[[0-9;]*m" "$T/nc" && fail "$c: NO_COLOR=1 coloured on a terminal" \
        || ok "$c: NO_COLOR=1, no colour"
    TERM=xterm NO_COLOR=1 timeout 60 script -qec "$P -r $f --print --color=always" /dev/null \
        >"$T/always" 2>&1 </dev/null
    grep -q "$esc\[[0-9;]*m" "$T/always" && ok "$c: --color=always colours under NO_COLOR" \
        || fail "$c: --color=always under NO_COLOR has no colour"
    "$P" -r "$f" --print >"$T/plain" 2>/dev/null
    "$P" -r "$f" --print --color=always 2>/dev/null | sed "s/$esc\[[0-9;]*m//g" >"$T/stripped"
    cmp -s "$T/plain" "$T/stripped" && ok "$c: colour changes nothing but colour" \
        || fail "$c: coloured text differs from plain"
done
[ "$fails" -eq 0 ] || exit 1
echo PASS
