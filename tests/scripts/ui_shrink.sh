#!/usr/bin/env bash
# Issue 13, attack 3: the capture shrinks under the TUI (tcpdump -w restarting on the same name
# truncates it). A 50,000-flow capture made here is opened in the TUI, cut to 100,000 bytes from
# outside, and G goes to the last packet, whose bytes are gone: pktscope must say the file
# shrank and stay usable (or exit with a message), never die of SIGBUS (status 135) or a
# sanitizer report. Then the same through a read of packets in the middle (Enter on one).
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
. "$(dirname "$0")/lib/skip.sh"
command -v python3 >/dev/null || skip "python3 not installed"
. "$(dirname "$0")/lib/tmux-ui.sh"

PCAP=$WORK/flows.pcap
python3 - "$PCAP" <<'PY'
import struct, sys
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
out = [struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)]
for i in range(50000):
    src = bytes([10, 1, i >> 8 & 0xff, i & 0xff]); dst = bytes([10, 2, 0, 1])
    tcp = struct.pack("!HHIIBBHHH", 1024 + i % 60000, 80, i, 0, 5 << 4, 2, 1024, 0, 0)
    c = csum(src + dst + struct.pack("!BBH", 0, 6, 20) + tcp)
    tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, i & 0xffff, 0, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    frame = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00" + ip + tcp
    out.append(struct.pack("<IIII", 1700000000 + i // 1000, i % 1000 * 1000, len(frame), len(frame)) + frame)
open(sys.argv[1], "wb").write(b"".join(out))
PY
[ -s "$PCAP" ] || fail "could not make the capture"

T -f /dev/null new-session -d -s ui -x 100 -y 30 -c "$WORK" \
    "NO_COLOR=1 TERM=screen '$PKTSCOPE' -r '$PCAP' 2>'$WORK/err'; echo EXIT=\$?; sleep 60"
# Analysed whole (the title without "analysing"): G then re-reads a packet it read before.
wait_for 'flows\.pcap \| 50000 packets *$' 300
truncate -s 100000 "$PCAP"
keys G
sleep 1
screen | grep -q 'EXIT=' || expect 'file shrank'
keys k
keys k
sleep 1
# Either still running (the TUI says what happened) or ended with a message; never a signal.
if screen | grep -q 'EXIT='; then
    st=$(screen | sed -n 's/.*EXIT=\([0-9]*\).*/\1/p' | head -1)
    [ "$st" -lt 128 ] || fail "pktscope died of signal $((st - 128)); stderr: $(head -c 600 "$WORK/err")"
    grep -q 'shrank' "$WORK/err" || fail "exit $st without saying the file shrank: $(head -c 600 "$WORK/err")"
else
    # Still usable: the packets before the cut read as before.
    keys g
    expect '^ +1 +0\.000000 +10\.1\.0\.0 +10\.2\.0\.1 +TCP'
    keys Q
    wait_for 'EXIT=[0-9]+'
    st=$(screen | sed -n 's/.*EXIT=\([0-9]*\).*/\1/p' | head -1)
    [ "$st" -lt 128 ] || fail "pktscope died of signal $((st - 128)) at exit"
fi
grep -Eq 'Sanitizer|runtime error' "$WORK/err" && fail "sanitizer report: $(head -c 600 "$WORK/err")"
echo "ui_shrink: ok"
