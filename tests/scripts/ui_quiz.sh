#!/usr/bin/env bash
# The TUI's quiz (P) at 80x24 (tmux), stepping through http-get.pcap: the class predicts the
# next packet before it is shown. The right answers are read here from `pktscope --json` for
# the same frames (tcp.flags, tcp.seq, tcp.ack; tshark shows the same values), never written
# into the test: packet 3 (the SYN) answered all right, packet 4 (the SYN-ACK) with its ack
# wrong; the marks, the reason for the wrong one and the score per kind are checked; a typed
# answer that is not one is refused; q leaves the list at the last packet revealed.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
PCAP=$SRCDIR/tests/pcaps/http-get.pcap
[ -r "$PCAP" ] || { echo "SKIP: $PCAP missing"; exit 77; }

. "$(dirname "$0")/lib/tmux-ui.sh"

# The answers for frames 3 and 4: "FRAME SENDER FLAGS SEQ ACK" (ACK "none" without the flag).
"$PKTSCOPE" -r "$PCAP" --json >"$WORK/json" || fail "--json failed"
python3 - "$WORK/json" >"$WORK/answers" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o["frame.number"] not in (3, 4):
        continue
    f = o["tcp.flags"]
    letters = "".join(l for bit, l in ((2, "S"), (16, "A"), (1, "F"), (4, "R"), (8, "P")) if f & bit)
    ack = o["tcp.ack"] if f & 16 else "none"
    print(o["frame.number"], o["ip.src"], letters, o["tcp.seq"], ack)
PY
read -r _ src3 flags3 seq3 ack3 < <(sed -n 1p "$WORK/answers")
read -r _ src4 flags4 seq4 ack4 < <(sed -n 2p "$WORK/answers")
[ "$flags3" = S ] && [ "$ack3" = none ] && [ "$flags4" = SA ] || fail "unexpected frames: $(cat "$WORK/answers")"

cd "$WORK" || exit 1
T -f /dev/null new-session -d -s ui -x 80 -y 24 -c "$WORK" \
    "TERM=screen LC_ALL=C.UTF-8 '$PKTSCOPE' -r '$PCAP' --step --no-config; echo EXIT=\$?; sleep 60"
wait_for 'of 14'
keys . .
wait_for '\| packet 2 of 14'
keys P
wait_for 'The next packet \(3\) is in TCP stream 0, between:'
expect '^  1: 10\.0\.0\.1:53448 \(client\)$'
expect '^  2: 10\.0\.0\.2:80 \(server\)$'
expect '^Who sends it\? 1 or 2'
# Not revealed yet: no line of packet 3 on the screen.
reject 'Packet 3:|\[SYN\]|Seq=0'
# The client (end 1) sends the SYN: all four right.
end3=1; [ "$src3" = 10.0.0.1 ] || end3=2
type_line "$end3"
expect '^Its flags'
type_line 'x'
expect "'x' is not an answer to \"flags\""
type_line "$(echo "$flags3" | tr 'A-Z' 'a-z')"
type_line "$seq3"
type_line ""
expect '^Packet 3: 10\.0\.0\.1 -> 10\.0\.0\.2 TCP 53448 → 80 \[SYN\]'
expect "^\\[right\\] who sends it: $end3\\. sent by 10\\.0\\.0\\.1:53448, the client"
expect "^\\[right\\] flags: $flags3\\. SYN: the client opens the connection"
expect "^\\[right\\] seq: $seq3\\. seq 0 is the sender's initial sequence number"
expect '^\[right\] ack: none\. no ACK flag: the first SYN has nothing to acknowledge'
expect '^Score: who 1/1, flags 1/1, seq 1/1, ack 1/1, all 4/4$'
echo "ok: a prediction all right"

# The SYN-ACK: the server answers (Right arrow: end 2), its ack predicted one too low.
keys .
wait_for 'The next packet \(4\) is in TCP stream 0'
reject 'Packet 4:'
end4=Right; [ "$src4" = 10.0.0.1 ] && end4=Left
keys "$end4"
expect '^Its flags'
type_line "$flags4"
type_line "$seq4"
type_line "$((ack4 - 1))"
expect '^Packet 4: 10\.0\.0\.2 -> 10\.0\.0\.1 TCP 80 → 53448 \[SYN, ACK\]'
expect '^\[right\] who sends it: 2\. sent by 10\.0\.0\.2:80, the server'
expect "^\\[right\\] flags: $flags4\\. SYN\\+ACK: the server answers the client's SYN"
expect "^\\[wrong\\] ack: $ack4, not $((ack4 - 1))\\. ack 1 = the other end's ISN \\(0\\) \\+ 1, because a SYN takes"
expect '^ +up one sequence number; an acknowledgement names the next byte expected'
expect '^Why: handshake: SYN-ACK answers the SYN'
expect '^Score: who 2/2, flags 2/2, seq 2/2, ack 1/2, all 7/8$'
echo "ok: a prediction wrong, with why, and the score"

keys q
wait_for '\| packet 4 of 14'
reject 'Quiz: predict'
keys Q
wait_for 'EXIT=0'
echo "ok: q leaves the list at the packet revealed"
