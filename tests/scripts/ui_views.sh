#!/usr/bin/env bash
# TUI views on a real HTTP exchange (80x24, tmux): the connections table, the ladder of the
# connection (SYN, SYN-ACK, ACK, the data, the four-way close, both endpoints' RFC 9293 states),
# saving it as Mermaid, follow stream (text and hex), statistics and the generated help.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
PCAP=$SRCDIR/tests/pcaps/http-get.pcap
[ -r "$PCAP" ] || { echo "SKIP: $PCAP missing"; exit 77; }

. "$(dirname "$0")/lib/tmux-ui.sh"

cd "$WORK" || exit 1
T -f /dev/null new-session -d -s ui -x 80 -y 24 -c "$WORK" \
    "TERM=screen '$PKTSCOPE' -r '$PCAP'; echo EXIT=\$?; sleep 60"
wait_for '14 packets'

# Connections: one TCP connection from the client to port 80.
keys c
wait_for 'Connections: 1, sorted by ID'
# At 80 columns the columns that matter most: widths follow the data, the sort column is
# marked, the rule that told client from server (ROLE, as --conns) is shown, and the least
# important (endpoint states, server name) give way.
expect '^ID\^ PROTO CLIENT +SERVER +SERVICE ROLE STATE PKTS BYTES DURATION$'
expect '^ +0 tcp +10\.0\.0\.1:53448 +10\.0\.0\.2:80 +http +syn +SF +12 +300 +0\.010582$'
keys '>'
wait_for 'sorted by PROTO'
expect '^ID PROTO\^ CLIENT'
# Sideways by whole columns, the ID column staying: PROTO leaves, then CLIENT, and the endpoint
# states come in.
keys l
expect '^ID CLIENT +SERVER +SERVICE ROLE STATE PKTS BYTES DURATION'
keys l
expect '^ID SERVER +SERVICE ROLE STATE ENDPOINTS +PKTS BYTES DURATION'
expect '^ 0 10\.0\.0\.2:80 .* SF +CLOSED/TIME-WAIT +12 +300'
keys h h
# The sort is kept when the view is closed and opened again.
keys q
keys c
wait_for 'Connections: 1, sorted by PROTO'
keys '<'
wait_for 'sorted by ID'

# Its ladder: the handshake, the data and the four-way close with both endpoints' states.
keys L
wait_for 'Ladder: TCP stream 0, 12 arrows'
expect '\|-+ SYN seq=0 .*->\|'
expect '\|<-+ SYN,ACK seq=0 ack=1 '
expect '\|-+ ACK seq=1 ack=1 '
expect 'SYN-SENT +SYN-RECEIVED'
expect 'ESTABLISHED'
expect 'PSH,ACK seq=1 ack=1 .*len=81'
expect 'FIN,ACK'
expect 'CLOSE-WAIT +FIN-WAIT-1'
expect 'LAST-ACK +TIME-WAIT'
expect 'CLOSED'
# Selecting an arrow selects its packet: go to the SYN-ACK and press Enter.
# The cursor starts on the first line of the diagram (screen line 3).
n=$(screen | grep -n 'SYN,ACK seq=0' | head -1 | cut -d: -f1)
[ -n "$n" ] || fail "no SYN,ACK arrow"
T send-keys -t ui -N $((n - 3)) j
for ((k = 0; k < 50; k++)); do
    T capture-pane -p -e -t ui | grep -a 'SYN,ACK seq=0' | grep -aq $'\e\\[[0-9;]*7m' && break
    sleep 0.1
done
keys Enter
wait_for 'Frame 4: 74 bytes'
keys L
wait_for 'Ladder: TCP stream 0'
keys M
wait_for 'Save the ladder \(Mermaid\) as \(Esc cancels\): pktscope-tcp-stream-0\.mmd'
keys Enter
wait_for 'saved the ladder as pktscope-tcp-stream-0\.mmd'
[ -s "$WORK/pktscope-tcp-stream-0.mmd" ] || fail "no Mermaid file written"
grep -q 'sequenceDiagram' "$WORK/pktscope-tcp-stream-0.mmd" || fail "not a Mermaid sequence diagram"
keys q

# Follow the stream: the request and the response, then as hex.
keys F
wait_for 'Follow TCP stream 0 \(text\)'
expect '^GET /hello\.txt HTTP/1\.1'
expect '^HTTP/1\.0 200 OK'
expect '>> frame 6, 81 bytes'
keys x
wait_for 'Follow TCP stream 0 \(hex\)'
expect '^00000000  47 45 54 20 2f 68 65 6c 6c 6f'
keys q

# Statistics and help.
keys s
wait_for 'Statistics \(14 packets\)'
expect 'Protocol hierarchy'
expect '^ +eth +14 '
keys q
keys '?'
wait_for 'keys \(q or Esc closes this help\)'
expect '^ +Q +quit pktscope'
keys NPage
wait_for '^ +/ +search packets'
keys q
wait_for 'Layers \(OSI model\)'

keys Q
wait_for '^EXIT=0'
echo PASS
