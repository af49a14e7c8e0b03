#!/usr/bin/env bash
# The TUI tells a request where it was answered, as Wireshark's window (and tshark -2) does
# (pipeline/later_facts.h): on tests/pcaps/ping.pcap, learnt from the replies as it indexes,
# echo request 3's layers carry icmp.resp_in (frame 4) and its notes say it was answered there;
# ARP request 1's say frame 2 answered it (pktscope.arp.reply_in). The same with
# --no-reassembly: the answers need no reassembly. And every segment of a long message and every
# fragment of a datagram says where it was reassembled, not only the 64 the completing frame
# lists.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
PCAP=$SRCDIR/tests/pcaps/ping.pcap
[ -r "$PCAP" ] || { echo "SKIP: $PCAP missing"; exit 77; }

. "$(dirname "$0")/lib/tmux-ui.sh"
cd "$WORK" || exit 1

# layers_of FRAME: frame FRAME's layers, zoomed and expanded, from the top.
layers_of() {
    keys :
    type_line "$1"
    expect "Frame $1: "
    keys Tab
    keys z
    keys e
}

for opt in "" --no-reassembly; do
    T -f /dev/null new-session -d -s ui -x 200 -y 60 -c "$WORK" \
        "TERM=screen LC_ALL=C '$PKTSCOPE' $opt -r '$PCAP'; echo EXIT=\$?; sleep 60"
    wait_for '14 packets'
    layers_of 3
    keys G
    expect '^ +Response frame: 4$'
    expect '^ +Answered by the response in frame: 4, 0\.000034000 s later \(icmp\.resp_in, pktscope\.response_time\)'
    expect 'Why: echo request with id 25055, seq 1: the reply carries the same pair; answered in frame 4 \(0\.034 ms later: the round trip\)'
    keys E
    keys z
    keys Tab
    keys Tab
    layers_of 1
    keys G
    expect '^ +Frame of the ARP reply that answers this request: 2$'
    expect '^ +Answered by the response in frame: 2, 0\.000031000 s later \(pktscope\.arp\.reply_in'
    expect 'only the owner replies; answered in frame 2 \(0\.031 ms later\)'
    # A reply says what it answers, never where it was answered.
    keys E
    keys z
    keys Tab
    keys Tab
    layers_of 4
    keys G
    expect 'Reply to the echo request in frame: 3'
    reject 'Answered by the response'
    T kill-session -t ui
done
# Where a part was reassembled, past the 64 the completing frame lists: all 88 earlier segments
# of http-long.pcap's 89-segment response (frame 112) and all 99 earlier fragments of
# crafted/frag-many.pcap's 100-fragment datagram (frame 100), as tshark -2 says.
for case in "http-long.pcap 116 tcp.reassembled_in==112 88" \
    "crafted/frag-many.pcap 100 ip.reassembled_in==100 99"; do
    set -- $case
    T -f /dev/null new-session -d -s ui -x 200 -y 60 -c "$WORK" \
        "TERM=screen LC_ALL=C '$PKTSCOPE' -r '$SRCDIR/tests/pcaps/$1'; echo EXIT=\$?; sleep 60"
    wait_for "$2 packets"
    keys f
    type_line "$3"
    expect "$2 packets, $4 shown"
    T kill-session -t ui
done
echo "ui_answered: ok"
