#!/usr/bin/env bash
# The TUI lists a file whole before it analyses it (ui/ingest.c): a second reader outlines every
# record (file_source_index, headers only), then the analysis (dissection with tracking and
# reassembly) goes through the packets in order. A packet past the analysis is shown on its own,
# its Phase column saying "pending" and its layers saying so, read back through the outlining
# reader (a pcapng reader's read_at() knows only the interfaces it has passed); once the
# analysis reaches it, it is shown with its connection. A filter on header fields typed
# meanwhile answers for every packet at once, each dissected on its own, but for IP fragments,
# which the analysis answers for once it has reassembled them.
#
# The capture is made here: 1,500,000 raw-IPv4 TCP segments on interface 0 (100 connections),
# then a second interface (Ethernet) whose description block comes only after them, a UDP
# datagram in two fragments and 100 UDP datagrams on it. The analysis of a million and a half
# packets takes over a second, the outline a few hundredths: the screen is read while the
# analysis runs.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
. "$(dirname "$0")/lib/skip.sh"
command -v python3 >/dev/null || skip "python3 not installed"
. "$(dirname "$0")/lib/tmux-ui.sh"

python3 - "$WORK/big.pcapng" <<'EOF' || fail "cannot make the capture"
import struct, sys

TCP_PACKETS, FLOWS, UDP_PACKETS = 1_500_000, 100, 100


def block(kind, body):
    body += b'\0' * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack('<II', kind, n) + body + struct.pack('<I', n)


def idb(linktype):
    return block(1, struct.pack('<HHI', linktype, 0, 65535))


def epb(ifc, usec, frame):
    return block(6, struct.pack('<IIIII', ifc, usec >> 32, usec & 0xffffffff, len(frame),
                                len(frame)) + frame)


def ipv4(src, dst, proto, l4):
    return struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(l4), 0, 0x4000, 64, proto, 0,
                       bytes(src), bytes(dst)) + l4


t0 = 1_700_000_000_000_000
out = open(sys.argv[1], 'wb')
out.write(block(0x0a0d0d0a, struct.pack('<IHHq', 0x1a2b3c4d, 1, 0, -1)))
out.write(idb(101))  # LINKTYPE_RAW: IPv4 with no link header
# Each connection's segments carry one byte more each time (seq grows), acknowledged as one.
chunk = []
for i in range(TCP_PACKETS):
    f = i % FLOWS
    seq = (i // FLOWS) & 0xffffffff
    tcp = struct.pack('!HHIIBBHHH', 40000 + f, 80, seq, 1, 0x50, 0x18, 64240, 0, 0) + b'x'
    chunk.append(epb(0, t0 + i, ipv4([10, 0, 0, 1], [10, 0, 0, 2], 6, tcp)))
    if len(chunk) == 65536:
        out.write(b''.join(chunk))
        chunk = []
out.write(b''.join(chunk))
out.write(idb(1))  # Ethernet, described only here
eth = b'\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00'
# A UDP datagram to port 9 in two IPv4 fragments (16 bytes at offset 0 with MF, 8 at 16): on
# its own the first reads as UDP and the second as data; reassembled, the second carries it.
dgram = struct.pack('!HHHH', 5000, 9, 24, 0) + b'fragmented=1;ok!'
for off, more, part in ((0, 0x2000, dgram[:16]), (2, 0, dgram[16:])):
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(part), 0x1234, more | off, 64, 17, 0,
                     bytes([10, 9, 9, 9]), bytes([10, 9, 9, 8])) + part
    out.write(epb(1, t0 + TCP_PACKETS, eth + ip))
for k in range(UDP_PACKETS):
    udp = struct.pack('!HHHH', 5000, 9, 12, 0) + b'ping'
    out.write(epb(1, t0 + TCP_PACKETS + k, eth + ipv4([10, 9, 9, 9], [10, 9, 9, 8], 17, udp)))
out.close()
EOF

T -f /dev/null new-session -d -s ui -x 120 -y 40 -c "$WORK" \
    "sh -c 'TMPDIR=\"$WORK\" NO_COLOR=1 TERM=screen exec \"$PKTSCOPE\" -r big.pcapng 2>err'; echo EXIT=\$?; sleep 60"
# Outlined: every packet counted and listed while the analysis runs.
wait_for '^pktscope big\.pcapng \| 1500102 packets .*analysing' 600
# A filter on header fields, typed at once (the analysis has barely begun, and waits while the
# filter is applied), answers for every packet ahead of the analysis, each dissected on its
# own, but for the two fragments, which wait for it (reassembled, the second is UDP).
keys f
type_line 'udp'
wait_for "Display filter 'udp': 100 of 1500102 packets \\(IP fragments wait for the analysis\\)" 600
# The last packet, on the interface described past the analysis, shown from the outline.
keys G
expect '^ *1500102 .* pending '
expect 'Not analysed yet'
expect 'link type 1 \(Ethernet\)'
expect 'User Datagram Protocol'
reject 'Connection \(pktscope tracker\)'
# The analysis ends: the last packet shown again, tracked; the filter found the 100 datagrams
# and the reassembled one, as the batch output does.
wait_for '^pktscope big\.pcapng \| 1500102 packets, 101 shown \| filter: udp *$' 1200
n=$("$PKTSCOPE" -r "$WORK/big.pcapng" -Y udp --print 2>/dev/null | wc -l)
[ "$n" = 101 ] || fail "pktscope -Y udp --print gives $n packets, not 101"
keys :
type_line 1500002
expect '^ *1500002 .*UDP'
expect '^Reassembled \(24 bytes\):'
expect ' 5000 (->|→) 9 Len=16 *$'
expect 'Connection \(pktscope tracker\): udp\.stream 0'
reject 'Not analysed yet'
reject ' pending '
# Back to no filter: every packet, tracked, the TCP ones in their 100 connections.
keys f
keys C-u
keys Enter
wait_for 'No filter: 1500102 packets'
keys :
type_line 1499999
expect 'Connection \(pktscope tracker\): tcp\.stream 98\b'
reject ' pending '
keys Q
wait_for 'EXIT=0'
grep -Eq 'Sanitizer|runtime error' "$WORK/err" && fail "sanitizer report: $(head -c 600 "$WORK/err")"

# The file cut to half its size while the analysis runs (a rotation truncating it): the analysis
# ends at the cut, and the list ends where it did, not at the outline's 1,500,102 packets that
# can no longer be read.
T kill-session -t ui
cp "$WORK/big.pcapng" "$WORK/cut.pcapng"
half=$(($(stat -c %s "$WORK/cut.pcapng") / 2))
T -f /dev/null new-session -d -s ui -x 120 -y 40 -c "$WORK" \
    "sh -c 'TMPDIR=\"$WORK\" NO_COLOR=1 TERM=screen exec \"$PKTSCOPE\" -r cut.pcapng 2>err'; echo EXIT=\$?; sleep 60"
wait_for '^pktscope cut\.pcapng \| 1500102 packets .*analysing' 600
truncate -s "$half" "$WORK/cut.pcapng"
wait_for 'file ends in the middle of a' 1200
wait_for '^pktscope cut\.pcapng \| [0-9]+ packets *$' 100
listed=$(screen | sed -n 's/^pktscope cut\.pcapng | \([0-9]*\) packets *$/\1/p')
[ "$listed" -gt 0 ] && [ "$listed" -lt 1500102 ] || fail "listed $listed packets after the cut"
keys G
expect "^ *$listed .*TCP"
expect 'Connection \(pktscope tracker\): tcp\.stream'
reject ' pending '
reject 'cannot re-read'
# A damaged file ends with status 1, as in every mode.
keys Q
wait_for 'EXIT=1'
grep -Eq 'Sanitizer|runtime error' "$WORK/err" && fail "sanitizer report: $(head -c 600 "$WORK/err")"
echo "ui_outline: ok"
