#!/usr/bin/env bash
# --follow on a capture file that another program is still writing: tcpdump -U -w on the
# loopback of a network namespace this test creates, pktscope --follow -r reading that file.
#   1. pktscope starts before the file exists (it waits), stops by itself after -c 6.
#   2. pktscope streams through a pipe and is stopped by SIGINT; packets show while it runs.
# What --follow printed equals what a plain read of the finished file gives.
# Needs root, `ip netns` and tcpdump; exits 77 (skipped) otherwise. Every wait is bounded.
set -u
P=${PKTSCOPE:?PKTSCOPE names the binary}
[ "$(id -u)" -eq 0 ] || { echo "skip: needs root for network namespaces"; exit 77; }
for tool in ip tcpdump python3 timeout; do
    command -v "$tool" >/dev/null || { echo "skip: $tool not installed"; exit 77; }
done

NS=pslf$$
UPORT=5555
NAMESPACES=("$NS")
T_NAME=follow
. "$(dirname "$0")/lib/netns.sh"
# Sends COUNT UDP datagrams to 127.0.0.1:UPORT (a socket in the same process receives them).
send_udp() { # count tag
    ip netns exec "$NS" timeout 20 python3 -c '
import socket, sys, time
n, tag, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
r.bind(("127.0.0.1", port))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(n):
    s.sendto(("%s %d" % (tag, i)).encode(), ("127.0.0.1", port))
    r.recv(100)
    time.sleep(0.05)
' "$1" "$2" "$UPORT"
}

F=$T/growing.pcap
# 1. pktscope first, on a file that does not exist yet.
"$P" --follow -r "$F" --json -c 6 >"$T/f1.json" 2>"$T/f1.err" &
PF=$!
PIDS+=("$PF")
sleep 0.3
kill -0 "$PF" 2>/dev/null && ok "--follow waits for the file to appear" || fail "--follow gave up: $(cat "$T/f1.err")"
tcpdump_to "$NS" "$F" "udp port $UPORT"
send_udp 4 first
# Only 4 of 6 packets so far: pktscope shows them and keeps waiting at the end of the file.
wait_for 50 sh -c "[ \$(wc -l <'$T/f1.json') -ge 4 ]"
sleep 0.3
kill -0 "$PF" 2>/dev/null && ok "--follow keeps waiting at the end of the file" \
    || fail "--follow ended at the end of the growing file: $(cat "$T/f1.err")"
[ "$(wc -l <"$T/f1.json")" -eq 4 ] && ok "the 4 packets so far are shown" || fail "$(wc -l <"$T/f1.json") of 4 shown"
send_udp 4 second
wait_exit "$PF" 20
[ "$wrc" -eq 0 ] && ok "--follow -c 6 ended by itself, exit 0" || fail "--follow -c 6: exit $wrc $(cat "$T/f1.err")"
[ "$(wc -l <"$T/f1.json")" -eq 6 ] && ok "6 packets" || fail "$(wc -l <"$T/f1.json") packets, wanted 6"
n5555=$(grep -c "\"udp.dstport\":$UPORT" "$T/f1.json")
[ "$n5555" -eq 6 ] && ok "all 6 are the UDP datagrams" || fail "$n5555 of 6 to port $UPORT"

# 2. Streaming through a pipe, stopped by SIGINT.
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/f2.txt" &
PC=$!
PIDS+=("$PC")
"$P" --follow -r "$F" --print >"$T/fifo" 2>"$T/f2.err" &
PF2=$!
PIDS+=("$PF2")
# Everything already in the file shows at once...
wait_for 100 sh -c "[ \$(wc -l <'$T/f2.txt') -ge 8 ]" && ok "--follow shows the packets already there" \
    || fail "--follow printed $(wc -l <"$T/f2.txt") of 8 existing packets"
# ...and new ones while it runs.
send_udp 3 third
wait_for 100 sh -c "[ \$(wc -l <'$T/f2.txt') -ge 11 ]" && ok "--follow streams new packets" \
    || fail "--follow printed $(wc -l <"$T/f2.txt") of 11 while running"
kill -INT "$PF2"
wait_exit "$PF2" 10
[ "$wrc" -eq 0 ] && ok "SIGINT ends --follow, exit 0" || fail "SIGINT: exit $wrc $(cat "$T/f2.err")"
wait_exit "$PC" 10

kill -INT "$TD"
wait_exit "$TD" 10
# The finished file, read plainly, gives the same lines.
timeout 60 "$P" -r "$F" --print >"$T/plain.txt" 2>"$T/plain.err"
[ "$(wc -l <"$T/plain.txt")" -eq 11 ] && ok "the file holds 11 packets" || fail "file holds $(wc -l <"$T/plain.txt")"
cmp -s "$T/plain.txt" "$T/f2.txt" && ok "--follow printed what a plain read prints" \
    || fail "--follow differs: $(diff "$T/plain.txt" "$T/f2.txt" | head -5)"
timeout 60 "$P" -r "$F" --json -c 6 | cmp -s - "$T/f1.json" && ok "--follow -c 6 JSON equals a plain read" \
    || fail "--follow JSON differs"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
