#!/usr/bin/env bash
# TUI finding things (80x24, tmux): a Wireshark display filter, a BPF one (used when the text is
# not a display filter), an invalid one explained with a caret and the old one kept, a connection filter from the connections view, search by text, hex bytes and regex
# with n/N, go to packet, marks.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
PCAP=$SRCDIR/tests/pcaps/http-get.pcap
[ -r "$PCAP" ] || { echo "SKIP: $PCAP missing"; exit 77; }

. "$(dirname "$0")/lib/tmux-ui.sh"
# The number of the selected packet (the list row in reverse video).
selected() {
    local e=$'\e'
    T capture-pane -p -e -t ui |
        grep -a -E "^($e\[[0-9;]*m)*$e\[[0-9;]*7m($e\[[0-9;]*m)* *\*?[0-9]" | head -1 |
        sed "s/$e\[[0-9;]*m//g" | awk '{print $1}'
}

# sel_is N: the selected packet is N (within 5 s)
sel_is() {
    for ((j = 0; j < 50; j++)); do
        [ "$(selected)" = "$1" ] && return 0
        sleep 0.1
    done
    fail "selected packet is '$(selected)', not '$1'"
}

T -f /dev/null new-session -d -s ui -x 80 -y 24 \
    "NO_COLOR=1 TERM=screen '$PKTSCOPE' -r '$PCAP'; echo EXIT=\$?; sleep 60"
wait_for '14 packets'

# A Wireshark display filter.
keys f
wait_for 'Filter \(display filter or BPF; empty clears\):'
type_line 'arp'
wait_for "Display filter 'arp': 2 of 14 packets"
expect '14 packets, 2 shown \| filter: arp'
reject '^ +3 '
keys f
keys C-u
type_line 'tcp.len > 0 && ip.src == 10.0.0.1'
wait_for "Display filter 'tcp.len > 0 && ip.src == 10.0.0.1': 1 of 14 packets"
expect '^ +6 '
reject '^ +8 '
# Text that is not a display filter is BPF, and says so.
keys f
keys C-u
type_line 'tcp[tcpflags] & tcp-syn != 0'
wait_for "BPF filter 'tcp\[tcpflags\] & tcp-syn != 0': 2 of 14 packets"
expect '2 shown \| BPF: tcp'
keys f
keys C-u
type_line 'arp'
wait_for "Display filter 'arp': 2 of 14 packets"
# An invalid filter is explained, with a caret under the bad token, and the old one stays.
keys f
keys C-u
type_line 'ip.adr == 10.0.0.1'
wait_for 'Filter not applied \(the old one is kept\)'
# (At 80 columns the message wraps instead of being cut: the hints go on the next line.)
expect 'ip.adr" is neither a field nor a protocol; did you mean$'
expect '^ip\.addr, ip\.id\?$'
expect '^  ip\.adr == 10\.0\.0\.1'
expect '^  \^~~~~~'
keys Escape
expect '2 shown \| filter: arp'
# Esc puts the message away first (above), then clears the filter.
keys Escape
wait_for 'No filter: 14 packets'
keys f
keys C-u
type_line 'arp'
wait_for "Display filter 'arp': 2 of 14 packets"
# Clearing it.
keys f
keys C-u
keys Enter
wait_for 'No filter: 14 packets'
# tcp.stream == N from the connections view (Enter on a connection).
keys c
wait_for 'Connections: 1'
keys Enter
wait_for "Display filter 'tcp.stream == 0': 12 of 14 packets"
reject '^ +1 0\.000000'
keys f
keys C-u
keys Enter
wait_for 'No filter: 14 packets'

# Search: text in the info line, then in the bytes, hex bytes, regex; n and N.
keys g
keys /
wait_for 'Search \(text, x:hex, r:regex\):'
type_line 'GET /hello'
wait_for "Found 'GET /hello' in packet 6"
sel_is 6
keys /
type_line 'Hello from pktscope'
wait_for "Found 'Hello from pktscope' in packet 10"
keys /
type_line 'x:48 54 54 50 2f 31 2e 30 20 32 30 30'
wait_for "in packet 8"
keys /
type_line 'r:^1[0-9] .*FIN'
wait_for "Found .* in packet 12"
keys n
wait_for "Found .* in packet 13"
keys N
wait_for "Found .* in packet 12"
keys /
type_line 'no such text anywhere'
wait_for "Not found: 'no such text anywhere'"

# Go to a packet, mark it and another, jump between marks.
keys :
wait_for 'Go to packet:'
type_line '4'
sel_is 4
keys m
wait_for 'packet 4 marked'
expect '^ +\*4 '
keys :
type_line '9'
keys m
keys g
keys ']'
sel_is '*4'
keys ']'
sel_is '*9'
keys '['
sel_is '*4'
keys :
type_line '99'
wait_for 'there is no packet 99'

keys Q
wait_for '^EXIT=0'

# -Y on the command line is the list's first display filter, as in the batch outputs; the
# user may change or clear it. With a BPF filter as well, BPF decides what is read at all.
T kill-session -t ui
T -f /dev/null new-session -d -s ui -x 80 -y 24 \
    "NO_COLOR=1 TERM=screen '$PKTSCOPE' -r '$PCAP' -Y 'tcp.len > 0'; echo EXIT=\$?; sleep 60"
wait_for '14 packets, 3 shown \| filter: tcp.len > 0'
reject '^ +1 0\.000000'
keys f
keys C-u
keys Enter
wait_for 'No filter: 14 packets'
keys Q
wait_for '^EXIT=0'
T kill-session -t ui
T -f /dev/null new-session -d -s ui -x 80 -y 24 \
    "NO_COLOR=1 TERM=screen '$PKTSCOPE' -r '$PCAP' -Y 'tcp.len > 0' tcp; echo EXIT=\$?; sleep 60"
wait_for '12 packets, 3 shown \| filter: tcp.len > 0'
keys Q
wait_for '^EXIT=0'
# A -Y that does not compile stops before the screen is taken, with the reason.
T kill-session -t ui
T -f /dev/null new-session -d -s ui -x 80 -y 24 \
    "NO_COLOR=1 TERM=screen '$PKTSCOPE' -r '$PCAP' -Y 'ip.adr == 1'; echo EXIT=\$?; sleep 60"
wait_for 'is neither a field nor a protocol'
wait_for '^EXIT=2'
# A header filter typed once the capture is analysed reads each packet dissected on its own,
# but an IP fragment as reassembly made it: frame 2 completes the UDP datagram frame 1 began
# (on its own it is a fragment without UDP), so `udp` shows it, as -Y udp does.
T kill-session -t ui
T -f /dev/null new-session -d -s ui -x 80 -y 24 \
    "NO_COLOR=1 TERM=screen '$PKTSCOPE' -r '$SRCDIR/tests/pcaps/crafted/ipv4-fragments.pcap'; echo EXIT=\$?; sleep 60"
wait_for '^pktscope ipv4-fragments\.pcap \| 2 packets'
for ((j = 0; j < 50; j++)); do screen | grep -q 'analysing' || break; sleep 0.1; done
reject 'analysing'
keys f
wait_for 'Filter \(display filter or BPF; empty clears\):'
type_line 'udp'
wait_for "Display filter 'udp': 1 of 2 packets"
expect '^ +2 .* UDP '
reject '^ +1 0\.000000'
keys Q
wait_for '^EXIT=0'
echo PASS
