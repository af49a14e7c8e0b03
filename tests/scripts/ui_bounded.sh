#!/usr/bin/env bash
# TUI memory bound for captures that never end (--max-packets): a file that grows (--follow,
# the same loop as a live capture) lists only its newest packets, the numbers keep counting,
# every packet still listed is the right one (checked against tshark), marks and the selection
# survive the oldest packets being let go, and a packet let go says where it went. A file read
# without --follow is always listed whole.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
command -v tshark >/dev/null || { echo "SKIP: tshark not installed"; exit 77; }
PCAP=$SRCDIR/tests/pcaps/many-short.pcap # 240 packets, 24 TCP connections
[ -r "$PCAP" ] || { echo "SKIP: $PCAP missing"; exit 77; }

. "$(dirname "$0")/lib/tmux-ui.sh"

# What tshark says frame N is: "LEN SRCPORT DSTPORT".
frame_facts() {
    tshark -r "$PCAP" -Y "frame.number == $1" -T fields -e frame.len -e tcp.srcport \
        -e tcp.dstport 2>/dev/null | tr '\t' ' '
}

# The first 150 packets now, the other 90 later (split at record boundaries).
python3 - "$PCAP" "$WORK/grow.pcap" "$WORK/rest" <<'PY' || fail "cannot split the capture"
import struct, sys
data = open(sys.argv[1], 'rb').read()
end = '<' if data[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
off, n = 24, 0
while n < 150:
    off += 16 + struct.unpack(end + 'I', data[off + 8:off + 12])[0]
    n += 1
open(sys.argv[2], 'wb').write(data[:off])
open(sys.argv[3], 'wb').write(data[off:])
PY

# --max-packets 100 lets the oldest 24 go each time the list reaches 100: after 150 packets,
# 72 are gone (three times) and 78 are listed.
T -f /dev/null new-session -d -s ui -x 100 -y 30 \
    "TERM=screen '$PKTSCOPE' --tui --follow --max-packets 100 -r '$WORK/grow.pcap'; echo EXIT=\$?; sleep 60"
wait_for '150 packets \(newest 78 listed\)'
wait_for '^ *150 '
# The top of the list is packet 73, and it is tshark's packet 73.
keys g
read -r len sport dport <<<"$(frame_facts 73)"
wait_for "Frame 73: $len bytes"
wait_for "^ +73 .*TCP +$len "
# Mark packet 150 (the packets after it come later) and 80 (let go by then).
keys :
type_line 150
wait_for 'Frame 150: '
keys m
wait_for 'packet 150 marked'
keys :
type_line 80
keys m
wait_for 'packet 80 marked'
# The rest arrives: 240 packets, 144 let go, 96 listed.
cat "$WORK/rest" >>"$WORK/grow.pcap"
wait_for '240 packets \(newest 96 listed\)'
# Packet 150 is still marked, and still packet 150; 80 is gone.
keys g
wait_for 'Frame 145: '
keys ']'
wait_for 'Frame 150: '
screen | grep -Eq '^ *\*150 ' || fail "packet 150 lost its mark"
screen | grep -E '^ *\*[0-9]' | grep -vq '\*150 ' && fail "a mark moved to another packet"
read -r len sport dport <<<"$(frame_facts 150)"
screen | grep -q "Frame 150: $len bytes" || fail "packet 150 is not tshark's packet 150"
# Packets let go say where they are; packets still listed are the right ones.
keys :
type_line 10
wait_for 'packet 10 is no longer listed \(--max-packets 100\); it is still in the capture file'
keys :
type_line 200
read -r len sport dport <<<"$(frame_facts 200)"
wait_for "Frame 200: $len bytes"
# (packet 200 is the body segment of an HTTP response: with reassembly, as tshark, it carries
# the whole response; without, it is a Continuation)
wait_for "^ *200 .*(TCP +$len .*$sport -> $dport |HTTP +$len .*(Continuation|HTTP/1\.[01] 200))"
# The ladder of packet 200's connection opens on what is still listed.
keys L
wait_for 'Ladder: TCP stream [0-9]+, [0-9]+ arrows'
keys q
keys Q
wait_for '^EXIT=0'

# Without --follow the file is listed whole, whatever --max-packets says.
T kill-session -t ui
T -f /dev/null new-session -d -s ui -x 100 -y 30 \
    "TERM=screen '$PKTSCOPE' --tui --max-packets 100 -r '$PCAP'; echo EXIT=\$?; sleep 60"
wait_for '\| 240 packets'
screen | grep -q 'listed' && fail "a file read whole was cut"
keys g
wait_for 'Frame 1: '
keys Q
wait_for '^EXIT=0'

# The option is checked.
out=$("$PKTSCOPE" --max-packets 5 -r "$PCAP" 2>&1) && fail "--max-packets 5 was accepted"
echo "$out" | grep -q -- '--max-packets wants 0 (no limit) or a number from 100' ||
    fail "unclear message for --max-packets 5: $out"
echo "PASS"
