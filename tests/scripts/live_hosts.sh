#!/usr/bin/env bash
# --hosts on a live capture (issue 15 deliverable 1): the subnet comes from the capturing
# interface's address and mask (pcap_findalldevs), labelled "interface"; --subnet comes first.
# Two network namespaces made and removed here, joined by a veth pair; A pings B twice while
# pktscope captures on A's end for 4 packets (ARP and ICMP). Needs root; every wait is bounded.
set -u
P=${PKTSCOPE:?PKTSCOPE names the binary}
[ "$(id -u)" -eq 0 ] || { echo "skip: needs root for network namespaces"; exit 77; }
for tool in ip ping timeout jq; do
    command -v "$tool" >/dev/null || { echo "skip: $tool not installed"; exit 77; }
done
A=pshA$$
B=pshB$$
VA=phva$$
VB=phvb$$
NAMESPACES=("$A" "$B")
T_NAME=hosts
. "$(dirname "$0")/lib/netns.sh"
veth_pair "$A" "$VA" 10.123.46.1/24 "$B" "$VB" 10.123.46.2/24

capture() { # out extra-args...: 4 packets on A's end while A pings B
    local out=$1 pid
    shift
    timeout 20 ip netns exec "$A" "$P" -i "$VA" -c 4 --hosts=json "$@" 'icmp or arp' \
        >"$out" 2>"$T/err" &
    pid=$!
    PIDS+=("$pid")
    # pktscope says nothing when it starts: ping until it has its 4 packets (at most 5 times;
    # the neighbour entry is flushed each time, so every round has its ARP).
    local i
    sleep 0.5
    for i in 1 2 3 4 5; do
        ip -n "$A" neigh flush dev "$VA" 2>/dev/null
        ip netns exec "$A" ping -c 2 -i 0.3 -W 1 10.123.46.2 >/dev/null 2>&1
        kill -0 "$pid" 2>/dev/null || break
    done
    wait_exit "$pid" 15 || fail "pktscope did not stop after 4 packets: $(head -c 300 "$T/err")"
}

capture "$T/i.json"
if jq -e '.subnets[0] | .subnet == "10.123.46.0/24" and .source == "interface"' "$T/i.json" >/dev/null; then
    ok "the interface's subnet"
else
    fail "interface subnet: $(head -c 400 "$T/i.json") / $(head -c 300 "$T/err")"
fi
jq -e '[.hosts[] | select(.ipv4[0].addr == "10.123.46.2") | .local] == [true]' "$T/i.json" \
    >/dev/null && ok "B is local" || fail "B: $(head -c 400 "$T/i.json")"
capture "$T/g.json" --subnet 10.123.0.0/16
jq -e '.subnets[0] | .subnet == "10.123.0.0/16" and .source == "given"' "$T/g.json" \
    >/dev/null && ok "--subnet first" || fail "--subnet: $(head -c 400 "$T/g.json")"
[ "$fails" = 0 ] || exit 1
