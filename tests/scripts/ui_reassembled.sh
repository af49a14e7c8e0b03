#!/usr/bin/env bash
# The TUI keeps the dissection of a frame that completes a reassembled message (kept.c), and
# for a capture file it keeps the message's bytes as the pieces of the frames they came from,
# put together again from the file when the frame is shown (pipeline/dstore.h). On
# tests/pcaps/http-pipeline.pcap, and on the same packets as pcapng, alone and as the second
# section after ping.pcap's (frame 26 there; that section also big-endian), frame 12 completes an HTTP response of 1,530
# bytes from frames 8, 10, 11 and 12: it shows the reassembly's fields, the response's headers
# and its body, as tshark does, with no "dissected on its own"; the statistics view says the
# frame was kept as pieces. A display filter that reads the response finds it; one on the frames'
# own bytes matches what -Y matches.
# With --no-reassembly nothing is kept.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
. "$(dirname "$0")/lib/skip.sh"
command -v python3 >/dev/null || skip "python3 not installed"
PCAP=$SRCDIR/tests/pcaps/http-pipeline.pcap
[ -r "$PCAP" ] || skip "$PCAP missing"

. "$(dirname "$0")/lib/tmux-ui.sh"
cd "$WORK" || exit 1
"$PKTSCOPE" -q -r "$PCAP" -w "$WORK/http-pipeline.pcapng" >/dev/null ||
    fail "could not write the pcapng copy"
# Two sections: ping.pcap's 14 packets, then these 18 (frame 12 is then frame 26).
"$PKTSCOPE" -q -r "$SRCDIR/tests/pcaps/ping.pcap" -w "$WORK/ping.pcapng" >/dev/null ||
    fail "could not write ping.pcapng"
# The second section big-endian: read through the first section's byte order and interfaces
# (as a reader that did not index its way through the file would), its records are not those
# packets at all. Written here from the little-endian copy: block type, lengths, the SHB's and
# IDB's fields and each EPB's header swapped, options left out (microsecond timestamps then).
python3 - "$WORK/http-pipeline.pcapng" "$WORK/http-pipeline-be.pcapng" <<'PY' ||
import struct, sys
src = open(sys.argv[1], "rb").read()
out = bytearray()
def block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    out.extend(struct.pack(">II", btype, n) + body + struct.pack(">I", n))
off = 0
while off < len(src):
    btype, n = struct.unpack_from("<II", src, off)
    body = src[off + 8:off + n - 4]
    if btype == 0x0A0D0D0A:  # SHB: BOM, version 1.0, section length unknown
        block(btype, struct.pack(">IHHq", 0x1A2B3C4D, 1, 0, -1))
    elif btype == 1:  # IDB: link type, snaplen
        link, _, snap = struct.unpack_from("<HHI", body)
        block(btype, struct.pack(">HHI", link, 0, snap))
    elif btype == 6:  # EPB: interface, time (ns written, us read: scaled), lengths, data
        ifc, hi, lo, cap, wire = struct.unpack_from("<IIIII", body)
        us = ((hi << 32) | lo) // 1000
        block(btype, struct.pack(">IIIII", ifc, us >> 32, us & 0xFFFFFFFF, cap, wire) +
              body[20:20 + cap])
    else:
        sys.exit("unexpected block type %d" % btype)
    off += n
open(sys.argv[2], "wb").write(out)
PY
    fail "could not write the big-endian pcapng copy"
cat "$WORK/ping.pcapng" "$WORK/http-pipeline.pcapng" >"$WORK/two-sections.pcapng"
cat "$WORK/ping.pcapng" "$WORK/http-pipeline-be.pcapng" >"$WORK/two-sections-be.pcapng"

for capture in "$PCAP" "$WORK/http-pipeline.pcapng" "$WORK/two-sections.pcapng" \
    "$WORK/two-sections-be.pcapng"; do
    total=18 frame=12
    [[ $capture == *two-sections* ]] && total=32 frame=26
    T -f /dev/null new-session -d -s ui -x 200 -y 60 -c "$WORK" \
        "TERM=screen LC_ALL=C '$PKTSCOPE' -r '$capture'; echo EXIT=\$?; sleep 60"
    wait_for "\\| $total packets"
    keys :
    type_line $frame
    expect "Frame $frame: 286 bytes"
    keys Tab
    keys z
    keys e
    keys G
    expect '^ +Reassembled TCP segments  \[286, 1530\]$'
    expect "^ +Segment in frame: $((frame - 2))\$"
    expect '^ +Reassembled TCP data: 485454502f312e3120323030204f4b0d0a5365727665723a\.\.\. \(1530 bytes\)'
    expect '^ +Content-Length: "1316"  \[394, 20\]$'
    expect '^ +Set-Cookie: "session=abc123; Path=/"  \[462, 34\]$'
    expect 'File Data: "line 00 of the keep-alive body'
    reject 'dissected on its own|cannot be read|no longer'
    keys E
    keys z
    # The bytes pane's end: the reassembled bytes' last row, the body's end (frame 12's own).
    keys Tab
    keys G
    expect 'cursor: reassembled 0x05f9 \(1529\)'
    expect '^05f0  2e 2e 2e 2e 2e 2e 2e 2e  2e 0a  '
    keys Tab
    keys s
    keys G
    expect 'Packets reassembly changed, kept for the views'
    expect '^    as pieces of frames +1  \(read again when shown\)'
    keys q
    # Display filters over every packet: one that reads the HTTP layer, which lies in the
    # reassembled bytes, finds the frame that completes the response, its bytes read again from
    # the file; one on the frames' own bytes (which then are all that is read of a kept frame,
    # ui_dissect_to_match) matches the six packets `-Y` and tshark match.
    keys f
    keys C-u
    type_line 'http contains "Set-Cookie: session=abc123"'
    expect '1 shown \| filter: http contains'
    keys f
    keys C-u
    type_line 'tcp.port == 80 and tcp.len > 0'
    expect '6 shown \| filter: tcp\.port == 80'
    keys Q
    wait_for '^EXIT=0'
    T kill-session -t ui
done

# Without reassembly nothing is kept, and the statistics say nothing of it.
T -f /dev/null new-session -d -s ui -x 200 -y 60 -c "$WORK" \
    "TERM=screen LC_ALL=C '$PKTSCOPE' --no-reassembly -r '$PCAP'; echo EXIT=\$?; sleep 60"
wait_for '\| 18 packets'
keys s
expect 'Statistics'
reject 'Packets reassembly changed'
keys q
keys Q
wait_for '^EXIT=0'
echo "ui_reassembled: ok"
