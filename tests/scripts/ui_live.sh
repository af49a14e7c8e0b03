#!/usr/bin/env bash
# TUI with packets arriving while it runs: a capture file that grows (--follow). The list
# follows the newest packet, the connections view and the ladder grow with the connection, and
# 'a' stops following. (Live interfaces use the same loop; tests/scripts/live_* cover capture.)
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
PCAP=$SRCDIR/tests/pcaps/http-get.pcap
[ -r "$PCAP" ] || { echo "SKIP: $PCAP missing"; exit 77; }

. "$(dirname "$0")/lib/tmux-ui.sh"

# Split the capture into its first 4 packets (the ARP pair and the SYN, SYN-ACK) and the rest,
# at record boundaries (classic pcap: 24-byte file header, 16-byte record headers).
python3 - "$PCAP" "$WORK/grow.pcap" "$WORK/rest" <<'PY' || fail "cannot split the capture"
import struct, sys
data = open(sys.argv[1], 'rb').read()
magic = data[:4]
end = '<' if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
off, n = 24, 0
while n < 4:
    incl = struct.unpack(end + 'I', data[off + 8:off + 12])[0]
    off += 16 + incl
    n += 1
open(sys.argv[2], 'wb').write(data[:off])
open(sys.argv[3], 'wb').write(data[off:])
PY

T -f /dev/null new-session -d -s ui -x 80 -y 24 \
    "TERM=screen '$PKTSCOPE' --tui --follow -r '$WORK/grow.pcap'; echo EXIT=\$?; sleep 60"
wait_for 'grow\.pcap \(following the file\) \| 4 packets'
expect '^ +4 10\.0\.0\.2 +10\.0\.0\.1 +TCP'
# The ladder of the connection so far: SYN and SYN-ACK only.
keys L
wait_for 'Ladder: TCP stream 0, 2 arrows'
# The rest arrives: the ladder grows to the whole connection.
cat "$WORK/rest" >> "$WORK/grow.pcap"
wait_for 'Ladder: TCP stream 0, 12 arrows'
expect 'LAST-ACK +TIME-WAIT'
keys q
# The list followed the newest packet.
wait_for '14 packets'
wait_for '^ +14 10\.0\.0\.2 +10\.0\.0\.1'
wait_for 'Frame 14: 66 bytes'
# 'a' stops following; g goes to the top and stays there.
keys a
wait_for 'follow newest packet: off'
keys g
wait_for 'Frame 1: 42 bytes'
keys Q
wait_for '^EXIT=0'

# --step: the capture starts paused; '.' lets one packet in; 'p' lets the rest flow. The title
# counts the packet shown of the file's.
T kill-session -t ui
T -f /dev/null new-session -d -s ui -x 80 -y 24 \
    "TERM=screen '$PKTSCOPE' --tui --step -r '$PCAP'; echo EXIT=\$?; sleep 60"
wait_for '\| before packet 1 of 14 \| PAUSED'
keys .
keys .
keys .
wait_for '\| packet 3 of 14 \| PAUSED'
expect '^ +3 10\.0\.0\.1 +10\.0\.0\.2 +TCP +hshk'
wait_for 'Frame 3: 74 bytes'
keys p
wait_for '\| packet 14 of 14'
keys Q
wait_for '^EXIT=0'
echo PASS
