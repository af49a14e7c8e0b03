#!/usr/bin/env bash
# The TUI keeps the dissection of a frame that completes a reassembled message (kept.c), and
# for a capture file it keeps the message's bytes as the pieces of the frames they came from,
# put together again from the file when the frame is shown (pipeline/dstore.h). On
# tests/pcaps/http-pipeline.pcap, and on the same packets as pcapng, alone and as the second
# section after ping.pcap's (frame 26 there), frame 12 completes an HTTP response of 1,530
# bytes from frames 8, 10, 11 and 12: it shows the reassembly's fields, the response's headers
# and its body, as tshark does, with no "dissected on its own"; the statistics view says the
# frame was kept as pieces.
# With --no-reassembly nothing is kept.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
command -v tmux >/dev/null || { echo "SKIP: tmux not installed"; exit 77; }
PCAP=$SRCDIR/tests/pcaps/http-pipeline.pcap
[ -r "$PCAP" ] || { echo "SKIP: $PCAP missing"; exit 77; }

. "$(dirname "$0")/lib/tmux-ui.sh"
cd "$WORK" || exit 1
"$PKTSCOPE" -q -r "$PCAP" -w "$WORK/http-pipeline.pcapng" >/dev/null ||
    fail "could not write the pcapng copy"
# Two sections: ping.pcap's 14 packets, then these 18 (frame 12 is then frame 26).
"$PKTSCOPE" -q -r "$SRCDIR/tests/pcaps/ping.pcap" -w "$WORK/ping.pcapng" >/dev/null ||
    fail "could not write ping.pcapng"
cat "$WORK/ping.pcapng" "$WORK/http-pipeline.pcapng" >"$WORK/two-sections.pcapng"

for capture in "$PCAP" "$WORK/http-pipeline.pcapng" "$WORK/two-sections.pcapng"; do
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
