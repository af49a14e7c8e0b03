#!/usr/bin/env bash
# Issue 13, attack 8: a limit of the -w file must not cut the analysis short. A pcapng with
# 5,000 interfaces (one packet each) read with -w x.pcapng --stats: all 5,000 packets are
# analysed, the file holds the 4,096 the writer describes and reads back cleanly, one message
# says why the rest were left out and one how many, and the exit status is 1 (output
# incomplete). The same for a pcap -w of a file with two link types.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
. "$(dirname "$0")/lib/skip.sh"
command -v python3 >/dev/null || skip "python3 not installed"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}halt_on_error=1:abort_on_error=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:abort_on_error=1"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

python3 - "$W/ifaces.pcapng" <<'PY'
import struct, sys
def block(t, body):
    body += b"\0" * (-len(body) % 4)
    return struct.pack("<II", t, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))
frame = b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + b"\x45" + b"\0" * 39
out = [block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))]
out += [block(1, struct.pack("<HHI", 1, 0, 65535)) for _ in range(5000)]
out += [block(6, struct.pack("<IIIII", i, 0, i, len(frame), len(frame)) + frame) for i in range(5000)]
open(sys.argv[1], "wb").write(b"".join(out))
PY

"$PKTSCOPE" -r "$W/ifaces.pcapng" -w "$W/x.pcapng" --stats >"$W/out" 2>"$W/err"
rc=$?
[ "$rc" -eq 1 ] || fail "exit status $rc, wanted 1; stderr: $(head -c 600 "$W/err")"
grep -Eq 'Packets +5000$' "$W/out" || fail "not all 5000 packets analysed: $(grep Packets "$W/out")"
[ "$(wc -l <"$W/err")" -eq 2 ] || fail "wanted two messages, got: $(cat "$W/err")"
grep -q 'cannot write packet 4097 to .*x.pcapng.* 4096' "$W/err" || fail "no reason given: $(cat "$W/err")"
grep -q 'x.pcapng is incomplete: 904 of the packets' "$W/err" || fail "no count given: $(cat "$W/err")"
"$PKTSCOPE" -r "$W/x.pcapng" --stats >"$W/back" 2>"$W/err2" || fail "the written file does not read back: $(cat "$W/err2")"
grep -Eq 'Packets +4096$' "$W/back" || fail "the written file holds $(grep Packets "$W/back")"

# pcap holds one link type: the packets of the other are left out, the rest analysed.
TWO=$SRCDIR/tests/pcaps/crafted/ng-two-linktypes.pcapng
"$PKTSCOPE" -r "$TWO" -w "$W/y.pcap" --stats >"$W/out" 2>"$W/err"
rc=$?
[ "$rc" -eq 1 ] || fail "pcap: exit status $rc, wanted 1; stderr: $(head -c 600 "$W/err")"
grep -Eq 'Packets +4$' "$W/out" || fail "pcap: not all 4 packets analysed: $(grep Packets "$W/out")"
grep -q 'write .pcapng instead' "$W/err" || fail "pcap: no reason given: $(cat "$W/err")"
grep -q 'y.pcap is incomplete: 2 of the packets' "$W/err" || fail "pcap: no count: $(cat "$W/err")"
"$PKTSCOPE" -r "$W/y.pcap" --stats >"$W/back" 2>&1 || fail "pcap: does not read back"
grep -Eq 'Packets +2$' "$W/back" || fail "pcap: the written file holds $(grep Packets "$W/back")"
echo "write_limits: ok"
