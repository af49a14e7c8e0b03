#!/usr/bin/env bash
# tshark 4.0 is the oracle for the colouring rules (format/colorrules.c): every packet of every
# capture in tests/pcaps, and of the crafted bad checksums, falls in the same rule in
# pktscope --print --color=always as in tshark --color (tests/oracle/colors.py). Both leave
# IPv4/TCP/UDP checksums unverified by default, so Checksum Errors fires on neither there (and
# not on loopback-offload.pcap, whose checksums were left to the NIC). The rest of crafted/ is
# the file-format edge cases, the same few packets again and again.
# Exit status: 0 pass, 1 fail, 77 skipped (no tshark or script(1); a failure under CI=true).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
P=${PKTSCOPE:-$SRCDIR/build/pktscope}
. "$SRCDIR/tests/scripts/lib/skip.sh"
command -v tshark >/dev/null 2>&1 || skip "oracle_colors: no tshark"
command -v script >/dev/null 2>&1 || skip "oracle_colors: no script(1)"
[ -x "$P" ] || { echo "oracle_colors: no pktscope binary at $P" >&2; exit 1; }
python3 "$SRCDIR/tests/oracle/colors.py" "$P" "$SRCDIR"/tests/pcaps/*.pcap \
    "$SRCDIR/tests/pcaps/crafted/bad-checksums.pcap"
