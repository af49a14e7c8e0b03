#!/usr/bin/env bash
# The packet index keeps each packet's tracking (track_info, 88 bytes) in blocks of 4,096 that go
# to a temporary file once full, and reads them back through a cache of eight blocks (ui/index.c).
# The other TUI tests have too few packets to fill a block; this one has 60,000 one-packet TCP
# connections (bench/gen_flows.py: packet i is tcp.stream i-1, from 10.0.x.y), so that the
# layers pane, a display filter over every packet and a stream filter read tracking back from
# the file, across evicted cache blocks, and must find each packet's own stream.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
. "$(dirname "$0")/lib/skip.sh"
command -v python3 >/dev/null || skip "python3 not installed"
. "$(dirname "$0")/lib/tmux-ui.sh"

python3 "$SRCDIR/bench/gen_flows.py" "$WORK/syn.pcap" 60000 tcp || fail "cannot make the capture"
T -f /dev/null new-session -d -s ui -x 120 -y 40 -c "$WORK" \
    "sh -c 'TMPDIR=\"$WORK\" NO_COLOR=1 TERM=screen exec \"$PKTSCOPE\" -r syn.pcap 2>err'; echo EXIT=\$?; sleep 60"
wait_for '^pktscope syn.pcap \| 60000 packets *$' 600
# Packet 50,001 (block 12, on disk): its own stream.
keys :
type_line 50001
expect 'tcp\.stream 50000'
# Back to packet 3 (block 0), then the last one (the block still in memory).
keys :
type_line 3
expect 'tcp\.stream 2\b'
keys G
expect 'tcp\.stream 59999'
# A display filter on tracking over all 60,000 packets: exactly one of them, the right one.
keys f
type_line 'tcp.stream == 41234'
expect '1 shown \| filter: tcp\.stream == 41234'
expect '10\.0\.161\.18 '
keys f
keys C-u
type_line 'tcp.stream >= 59990'
expect '10 shown \| filter'
keys Q
wait_for 'EXIT=0'
grep -Eq 'Sanitizer|runtime error' "$WORK/err" && fail "sanitizer report: $(head -c 600 "$WORK/err")"
echo "ui_index_store: ok"
