#!/usr/bin/env bash
# Issue 14 item 3: -i IFACE --workers 2, two capture processes in one PACKET_FANOUT hash group,
# on a veth between two namespaces this test creates. B sends a bounded burst of UDP over 300
# flows (5 datagrams each, plus 10 datagrams too big for the MTU, sent as fragments) to A,
# where pktscope captures with -w. Checked: each worker wrote its own file (x.w0.pcap,
# x.w1.pcap) that tcpdump reads; no 5-tuple is in both (whole flows per worker); both got
# some; together they hold every datagram sent, each once (the fragments met in one worker:
# the fanout's defragmentation hands it the datagram whole); each worker's --conns-log rows
# are in its own conn.<time>.wN.log; the workers ran as nobody; the
# parent's counters per worker and in total; SIGINT ends all workers with exit 0. A second run:
# a worker killed with SIGKILL is reported by the parent, which ends with status 1 once the
# other is stopped by SIGTERM. A third: workers end when their parent is killed outright.
# Needs root and `ip netns`; exits 77 (skipped) otherwise. Every wait is bounded.
set -u
P=${PKTSCOPE:?PKTSCOPE names the binary}
[ "$(id -u)" -eq 0 ] || { echo "skip: needs root for network namespaces"; exit 77; }
for tool in ip python3 tcpdump timeout pgrep; do
    command -v "$tool" >/dev/null || { echo "skip: $tool not installed"; exit 77; }
done
getent passwd nobody >/dev/null || { echo "skip: no user nobody"; exit 77; }

A=pswa$$
B=pswb$$
VA=pwa$$
VB=pwb$$
IPA=10.123.46.1
IPB=10.123.46.2
NAMESPACES=("$A" "$B")
T_NAME=workers
. "$(dirname "$0")/lib/netns.sh"
veth_pair "$A" "$VA" "$IPA/24" "$B" "$VB" "$IPB/24"
ip netns exec "$B" ip neigh replace "$IPA" lladdr "$(ip -n "$A" -br link show "$VA" | awk '{print $3}')" dev "$VB"
chmod 0711 "$T"
mkdir -m 0777 "$T/out"
uid_of() { awk '/^Uid:/ { print $2 " " $3 " " $4 " " $5 }' "/proc/$1/status" 2>/dev/null; }
nobody_uid=$(id -u nobody)

# Starts two workers capturing UDP to A's port 9000 into $T/out/$1.pcap; $PW is the parent.
start_workers() {
    ip netns exec "$A" "$P" -i "$VA" --workers 2 -w "$T/out/$1.pcap" --conns=json \
        --conns-log "$T/out/$1.log" 'udp dst port 9000' \
        2>"$T/$1.err" &
    PW=$!
    PIDS+=("$PW")
    wait_for 100 grep -q '2 workers capturing' "$T/$1.err" || fail "$1: the workers did not start: $(cat "$T/$1.err")"
}

start_workers x
kids=$(pgrep -P "$PW" | tr '\n' ' ')
[ "$(echo $kids | wc -w)" -eq 2 ] || fail "the parent has children: $kids"
for k in $kids; do
    [ "$(uid_of "$k")" = "$nobody_uid $nobody_uid $nobody_uid $nobody_uid" ] || fail "worker $k runs as $(uid_of "$k")"
done

# 300 flows x 5 datagrams, each carrying its flow and sequence; 10 datagrams of 3000 bytes.
ip netns exec "$B" timeout 30 python3 -c '
import socket, sys, time
dst = (sys.argv[1], 9000)
socks = []
for i in range(300):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((sys.argv[2], 20000 + i))
    socks.append(s)
for r in range(5):
    for i, s in enumerate(socks):
        s.sendto(b"flow %d seq %d" % (i, r), dst)
    time.sleep(0.05)
big = socks[0]
for k in range(10):
    big.sendto(b"F%02d" % k + b"x" * 2997, dst)
' "$IPA" "$IPB" || fail "the sender failed"
SENT=$((300 * 5 + 10))
sleep 1
kill -INT "$PW"
wait_exit "$PW" 15 && [ "$wrc" -eq 0 ] && ok "SIGINT: all workers ended, exit 0" || fail "SIGINT: exit $wrc; $(cat "$T/x.err")"

for i in 0 1; do
    f=$T/out/x.w$i.pcap
    tcpdump -nn -r "$f" 2>/dev/null >"$T/w$i.txt" || fail "tcpdump cannot read $f"
    # "IP 10.123.46.2.20007 > 10.123.46.1.9000: UDP, length 14"
    awk '{print $3, $5}' "$T/w$i.txt" | sort -u >"$T/flows$i"
    [ -s "$T/flows$i" ] && ok "worker $i: $(wc -l <"$T/w$i.txt") packets of $(wc -l <"$T/flows$i") flows" || fail "worker $i captured no flow"
done
both=$(comm -12 "$T/flows0" "$T/flows1" | wc -l)
[ "$both" -eq 0 ] && ok "no 5-tuple in both workers' files" || fail "$both flows are in both files"
total=$(($(wc -l <"$T/w0.txt") + $(wc -l <"$T/w1.txt")))
[ "$total" -eq "$SENT" ] && ok "together: $total packets, all sent" || fail "together $total packets, $SENT sent"
# The 3000-byte datagrams: each once, whole (length 3000), though they crossed the veth in pieces.
big=$(cat "$T/w0.txt" "$T/w1.txt" | grep -c 'UDP, length 3000')
[ "$big" -eq 10 ] && ok "the 10 fragmented datagrams each met in one worker" || fail "fragmented datagrams: $big of 10 whole"
# Each worker's connection rows in its own conn.<time>.wN.log: 300 flows, each once.
rows=$(cat "$T"/out/x.log/conn.*.w[01].log 2>/dev/null | wc -l)
n0=$(ls "$T"/out/x.log/ | grep -c '\.w0\.log$')
[ "$rows" -eq 300 ] && [ "$n0" -ge 1 ] && ok "--conns-log: 300 rows in the workers' files" ||
    fail "--conns-log: $rows rows in $(ls "$T/out/x.log" | tr '\n' ' ')"
grep -q '^worker 0: [0-9]* packets captured' "$T/x.err" && grep -q '^worker 1: ' "$T/x.err" ||
    fail "no per-worker counters: $(cat "$T/x.err")"
grep -q "^$SENT packets captured" "$T/x.err" && ok "the parent's total: $SENT captured" ||
    fail "the parent's total: $(cat "$T/x.err")"

# A worker that dies is reported; the other goes on and ends on SIGTERM.
start_workers y
victim=$(pgrep -P "$PW" | tail -1)
kill -KILL "$victim"
wait_for 50 grep -q 'died, killed by signal 9' "$T/y.err" && ok "a killed worker is reported" ||
    fail "a killed worker: $(cat "$T/y.err")"
kill -TERM "$PW"
wait_exit "$PW" 15
[ "$wrc" -eq 1 ] && ok "exit 1 after a worker died" || fail "exit $wrc after a worker died"

# A parent killed outright takes its workers with it (PR_SET_PDEATHSIG).
start_workers z
kids=$(pgrep -P "$PW" | tr '\n' ' ')
{ kill -KILL "$PW"; wait "$PW"; } 2>/dev/null
gone() { for k in $kids; do kill -0 "$k" 2>/dev/null && return 1; done; return 0; }
wait_for 50 gone && ok "workers end with their parent" || fail "workers $kids outlived their parent"

# Usage: --workers without -i, or with output to standard output.
"$P" -r "${SRCDIR:-.}/tests/pcaps/dns.pcap" --workers 2 -w "$T/z.pcap" >/dev/null 2>&1
[ $? -eq 2 ] || fail "--workers with -r accepted"
ip netns exec "$A" "$P" -i "$VA" --workers 2 --json >/dev/null 2>&1
[ $? -eq 2 ] || fail "--workers --json accepted"

[ "$fails" -eq 0 ] || exit 1
echo "PASS: live_workers"
