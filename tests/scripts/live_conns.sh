#!/usr/bin/env bash
# --conns streams on a growing capture: tcpdump -U -w on the loopback of a network namespace
# this test creates, two pktscope --follow -r readers (--conns=json through a pipe, and
# --conns=zeek into a file), real TCP traffic (curl against python3 -m http.server).
#   1. A finished connection's row shows while pktscope is still running (bounded wait).
#   2. A connection still open at SIGINT is printed at the end; every row exactly once;
#      Zeek's header once at the top and #close at the bottom.
#   3. The streamed row of the finished connection equals a plain read of the final file.
# Needs root, `ip netns`, tcpdump, curl, python3; exits 77 (skipped) otherwise. Waits are bounded.
set -u
P=${PKTSCOPE:?PKTSCOPE names the binary}
[ "$(id -u)" -eq 0 ] || { echo "skip: needs root for network namespaces"; exit 77; }
for tool in ip tcpdump python3 curl timeout jq; do
    command -v "$tool" >/dev/null || { echo "skip: $tool not installed"; exit 77; }
done

NS=pslc$$
HPORT=8000
NAMESPACES=("$NS")
T_NAME=conns
. "$(dirname "$0")/lib/netns.sh"
rows() { grep -c '"id.resp_p"' "$1" 2>/dev/null; }

mkdir "$T/www"
echo "hello from the namespace" >"$T/www/index.html"
ip netns exec "$NS" timeout 60 python3 -m http.server "$HPORT" --bind 127.0.0.1 \
    --directory "$T/www" >"$T/http.log" 2>&1 &
PH=$!
PIDS+=("$PH")

F=$T/growing.pcap
tcpdump_to "$NS" "$F" "tcp port $HPORT"

mkfifo "$T/fifo"
cat "$T/fifo" >"$T/c.json" &
PC=$!
PIDS+=("$PC")
"$P" --follow -r "$F" --conns=json >"$T/fifo" 2>"$T/c.err" &
PJ=$!
PIDS+=("$PJ")
"$P" --follow -r "$F" --conns=zeek >"$T/c.zeek" 2>"$T/z.err" &
PZ=$!
PIDS+=("$PZ")

# The server is up when it answers; the probes before that are refused (RST, no capture of
# interest: they are connections too, so count them from the capture afterwards).
wait_for 100 ip netns exec "$NS" curl -s -o /dev/null "http://127.0.0.1:$HPORT/" \
    || { fail "http.server did not answer: $(cat "$T/http.log")"; exit 1; }
body=$(ip netns exec "$NS" timeout 10 curl -s "http://127.0.0.1:$HPORT/index.html")
[ "$body" = "hello from the namespace" ] || fail "curl got '$body'"

# 1. The finished connections show while pktscope still runs (≤ 15 s).
if wait_for 150 sh -c "grep -q '\"conn_state\":\"SF\"' '$T/c.json'"; then
    ok "a finished connection's row is printed before pktscope stops"
else
    fail "no SF row while running: $(cat "$T/c.json" "$T/c.err")"
fi
kill -0 "$PJ" 2>/dev/null && ok "pktscope --follow still running" || fail "pktscope ended early: $(cat "$T/c.err")"
nsf=$(grep -c '"conn_state":"SF"' "$T/c.json")

# 2. A connection left open: its row only comes at the end.
ip netns exec "$NS" timeout 30 python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
time.sleep(25)
' "$HPORT" &
PO=$!
PIDS+=("$PO")
# Its handshake reaches the file and the readers (the tcpdump -U writer flushes each packet).
wait_for 100 sh -c "[ \$(timeout 10 '$P' -r '$F' --conns=json | grep -c '\"conn_state\":\"S1\"') -ge 1 ]" \
    || fail "the open connection's handshake did not reach the capture"
sleep 1
s1_early=$(grep -c '"conn_state":"S1"' "$T/c.json")
[ "$s1_early" -eq 0 ] && ok "an open connection is not printed while open" \
    || fail "open connection printed early: $(cat "$T/c.json")"
kill -INT "$PJ" "$PZ"
wait_exit "$PJ" 10
[ "$wrc" -eq 0 ] && ok "SIGINT ends --follow --conns=json, exit 0" || fail "json: exit $wrc $(cat "$T/c.err")"
wait_exit "$PZ" 10
[ "$wrc" -eq 0 ] && ok "SIGINT ends --follow --conns=zeek, exit 0" || fail "zeek: exit $wrc $(cat "$T/z.err")"
wait_exit "$PC" 10
kill -INT "$TD"
wait_exit "$TD" 10

# The plain read of the file the readers saw, for the expected totals.
timeout 60 "$P" -r "$F" --conns=json >"$T/plain.json" 2>"$T/plain.err"
want=$(rows "$T/plain.json")
got=$(rows "$T/c.json")
[ "$want" -ge 2 ] || fail "the capture holds $want connections, wanted at least 2"
[ "$got" -eq "$want" ] && ok "$got rows, one per connection" || fail "$got rows streamed, the file has $want"
dups=$(jq -r .uid "$T/c.json" | sort | uniq -d | wc -l)
[ "$dups" -eq 0 ] && ok "every row printed once" || fail "$dups uid(s) printed twice"
[ "$(tail -n 1 "$T/c.json" | jq -r .conn_state)" = "S1" ] && ok "the open connection comes last, as S1" \
    || fail "last row: $(tail -n 1 "$T/c.json")"
[ "$nsf" -ge 1 ] || fail "no SF row"

# 3. Each finished row streamed equals the plain read's row of the same connection.
same=0
while IFS= read -r line; do
    uid=$(printf '%s\n' "$line" | jq -r .uid)
    grep -qxF "$line" "$T/plain.json" && same=$((same + 1)) || fail "row $uid differs from a plain read"
done < <(grep '"conn_state":"SF"' "$T/c.json")
[ "$same" -eq "$nsf" ] && ok "$same finished row(s) equal a plain read's"

# Zeek: one header, the same number of rows, #close last.
[ "$(grep -c '^#fields' "$T/c.zeek")" -eq 1 ] && ok "zeek header once" || fail "zeek headers: $(grep -c '^#fields' "$T/c.zeek")"
[ "$(head -n 1 "$T/c.zeek")" = '#separator \x09' ] && ok "zeek header first" || fail "zeek first line: $(head -n 1 "$T/c.zeek")"
zr=$(grep -vc '^#' "$T/c.zeek")
[ "$zr" -eq "$want" ] && ok "zeek: $zr rows" || fail "zeek: $zr rows, wanted $want"
tail -n 1 "$T/c.zeek" | grep -q '^#close' && ok "zeek #close last" || fail "zeek last line: $(tail -n 1 "$T/c.zeek")"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
