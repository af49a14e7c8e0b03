#!/usr/bin/env bash
# Remakes the small captures of real traffic in tests/pcaps/ (the committed .pcap files).
#
# Every capture is made inside network namespaces that this script creates and removes (a trap
# removes them on any exit), joined by a veth pair; nothing touches the host's own interfaces.
# The traffic comes from real programs and the real Linux TCP/IP stack: curl against
# `python3 -m http.server`, ping, and the small socket programs of netprogs.py (dig is used for
# one query when it is installed). tcpdump runs inside the namespace with -U -w and is stopped
# by its own PID; every step is bounded in time.
#
# Needs root, iproute2, tcpdump, python3, curl, iputils-ping; ethtool if present (turns off
# checksum and segmentation offload so the captured packets carry real checksums and real
# segment sizes). CI does not run this script: the captures it made are committed, and the
# golden files in tests/golden/ describe them. After remaking a capture, regenerate and
# re-review its golden files (README.md, "Golden tests").
#
# Usage: sudo tests/pcaps/make-pcaps.sh [NAME...]     (default: every capture)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE}
PROGS="$HERE/netprogs.py"
TAG="psk$$"
NA="$TAG-a"          # client namespace
NB="$TAG-b"          # server namespace
NM="$TAG-m"          # middle namespace (only for the userspace impairment bridge)
WORK=$(mktemp -d)
PIDS=()

if [ "$(id -u)" -ne 0 ]; then
  echo "make-pcaps.sh: needs root (network namespaces and tcpdump); run it with sudo" >&2
  exit 2
fi
for t in ip tcpdump python3 curl ping; do
  command -v "$t" >/dev/null || { echo "make-pcaps.sh: '$t' is missing (apt-get install iproute2 tcpdump python3 curl iputils-ping)" >&2; exit 2; }
done

cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  ip netns del "$NA" 2>/dev/null || true
  ip netns del "$NB" 2>/dev/null || true
  ip netns del "$NM" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ina() { ip netns exec "$NA" "$@"; }
inb() { ip netns exec "$NB" "$@"; }

# Fixed MAC addresses so that the captures show one vendor OUI (Intel, 00:1b:21) and one
# locally administered address (02:...), and so that a remade capture differs little.
MAC_A=00:1b:21:0a:00:01
MAC_B=02:42:0a:00:00:02

no_offload() { # ns ifname
  if command -v ethtool >/dev/null; then
    ip netns exec "$1" ethtool -K "$2" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
  fi
}

# Two namespaces joined by veth va (in A) <-> vb (in B).
# IPv4 10.0.0.1/24 (A) and 10.0.0.2/24 (B); IPv6 2001:db8::1 and ::2 (documentation prefix).
setup_pair() { # [dad]
  ip netns add "$NA"
  ip netns add "$NB"
  ina ip link set lo up
  inb ip link set lo up
  if [ "${1:-}" != dad ]; then   # no duplicate address detection chatter in the captures
    ina sysctl -qw net.ipv6.conf.default.accept_dad=0
    inb sysctl -qw net.ipv6.conf.default.accept_dad=0
  fi
  ip link add va netns "$NA" address "$MAC_A" type veth peer name vb netns "$NB" address "$MAC_B"
  no_offload "$NA" va
  no_offload "$NB" vb
  if [ "${1:-}" != dad ]; then
    ina ip addr add 10.0.0.1/24 dev va
    inb ip addr add 10.0.0.2/24 dev vb
    ina ip -6 addr add 2001:db8::1/64 dev va nodad
    inb ip -6 addr add 2001:db8::2/64 dev vb nodad
    ina ip link set va up
    inb ip link set vb up
  fi
}

teardown_pair() {
  ip netns del "$NA" 2>/dev/null || true
  ip netns del "$NB" 2>/dev/null || true
  ip netns del "$NM" 2>/dev/null || true
  sleep 0.2
}

# Starts tcpdump in namespace $1 on interface $2 writing $3; extra tcpdump options follow.
# Waits (bounded) until tcpdump says it is listening. Sets CAP_PID.
cap_start() {
  local ns=$1 ifc=$2 file=$3
  shift 3
  rm -f "$file"
  ip netns exec "$ns" tcpdump -n -U --immediate-mode -i "$ifc" -w "$file" "$@" 2>"$WORK/tcpdump.err" &
  CAP_PID=$!
  PIDS+=("$CAP_PID")
  local i
  for i in $(seq 50); do
    grep -q "listening on" "$WORK/tcpdump.err" 2>/dev/null && break
    sleep 0.1
  done
  grep -q "listening on" "$WORK/tcpdump.err" || { cat "$WORK/tcpdump.err" >&2; exit 1; }
  sleep 0.2
}

cap_stop() {
  sleep 0.5
  kill -INT "$CAP_PID" 2>/dev/null || true
  wait "$CAP_PID" 2>/dev/null || true
  echo "  $(basename "$1"): $(tcpdump -r "$1" 2>/dev/null | wc -l) packets, $(stat -c %s "$1") bytes"
}

# Starts a background program in a namespace; remembers its PID for cleanup.
bg() { # ns cmd...
  local ns=$1
  shift
  ip netns exec "$ns" "$@" >/dev/null 2>&1 &
  PIDS+=("$!")
  LAST_PID=$!
}

# Waits (bounded) until something listens on port $2 (tcp|udp $3) in namespace $1.
wait_port() {
  local ns=$1 port=$2 proto=${3:-tcp} i opt=-Hltn
  [ "$proto" = udp ] && opt=-Hlun
  for i in $(seq 50); do
    ip netns exec "$ns" ss $opt "sport = :$port" | grep -q . && return 0
    sleep 0.1
  done
  echo "make-pcaps.sh: nothing listens on $proto port $port" >&2
  exit 1
}

wait_pid() { # pid seconds: waits for a background program, killing it after the deadline
  local i
  for i in $(seq $(($2 * 10))); do
    kill -0 "$1" 2>/dev/null || { wait "$1" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

web_root() {
  mkdir -p "$WORK/www"
  printf 'Hello from pktscope test server.\n' >"$WORK/www/hello.txt"
  local i
  for i in $(seq 0 511); do       # 32 KiB of text: about 23 full-size segments
    printf 'line %04d of the lossy transfer ...............................\n' "$i"
  done >"$WORK/www/big.bin"
}

http_server() { # ns bind port
  bg "$1" python3 -m http.server --bind "$2" --directory "$WORK/www" "$3"
  HTTP_PID=$LAST_PID
  wait_port "$1" "$3"
}

# ---------------------------------------------------------------------------------------
mk_http_get() {
  setup_pair
  http_server "$NB" 10.0.0.2 80
  ina ip neigh flush dev va
  cap_start "$NB" vb "$OUT/http-get.pcap" arp or ip
  ina curl -s -o /dev/null --max-time 5 http://10.0.0.2/hello.txt
  cap_stop "$OUT/http-get.pcap"
  teardown_pair
}

mk_http_ipv6() {
  setup_pair
  http_server "$NB" 2001:db8::2 80
  cap_start "$NB" vb "$OUT/http-ipv6.pcap"
  ina curl -s -o /dev/null --max-time 5 -g 'http://[2001:db8::2]/hello.txt'
  cap_stop "$OUT/http-ipv6.pcap"
  teardown_pair
}

mk_refused() {
  setup_pair
  ina ping -c 1 -W 1 10.0.0.2 >/dev/null     # resolve ARP first: the capture shows SYN -> RST only
  cap_start "$NB" vb "$OUT/refused.pcap" tcp
  ina curl -s -o /dev/null --max-time 3 http://10.0.0.2:81/ || true
  cap_stop "$OUT/refused.pcap"
  teardown_pair
}

mk_half_close() {
  setup_pair
  bg "$NB" python3 "$PROGS" half-close-server 10.0.0.2 7000
  wait_port "$NB" 7000
  cap_start "$NB" vb "$OUT/half-close.pcap" tcp
  ina python3 "$PROGS" half-close-client 10.0.0.2 7000 40001
  wait_pid "$LAST_PID" 5
  cap_stop "$OUT/half-close.pcap"
  teardown_pair
}

mk_rst_abort() {
  setup_pair
  bg "$NB" python3 "$PROGS" rst-server 10.0.0.2 7001
  wait_port "$NB" 7001
  cap_start "$NB" vb "$OUT/rst-abort.pcap" tcp
  ina python3 "$PROGS" rst-client 10.0.0.2 7001 40002
  wait_pid "$LAST_PID" 5
  cap_stop "$OUT/rst-abort.pcap"
  teardown_pair
}

# True when the kernel has the netem qdisc (tried in a throwaway namespace).
have_netem() {
  local ok=1
  ip netns add "$TAG-p"
  ip -n "$TAG-p" link set lo up
  tc -n "$TAG-p" qdisc add dev lo root netem loss 1% 2>/dev/null && ok=0
  ip netns del "$TAG-p"
  return $ok
}

# The pair of setup_pair, with a delay of DELAY_MS each way and, on the server -> client
# direction, LOSS and REORDER (fractions). With netem: qdiscs on the two veth ends. Without
# (containers without sch_netem): netprogs.py impair-bridge does the same in user space in a
# middle namespace between two veth pairs (A va <-> m0 [bridge] m1 <-> vb B).
setup_impaired() { # delay_ms loss reorder
  local delay=$1 loss=$2 reorder=$3
  if have_netem; then
    setup_pair
    ina tc qdisc add dev va root netem delay "${delay}ms"
    inb tc qdisc add dev vb root netem delay "${delay}ms" reorder "$(python3 -c "print(int($reorder*100))")%" 50% \
      loss "$(python3 -c "print(int($loss*100))")%"
    return
  fi
  ip netns add "$NA"; ip netns add "$NB"; ip netns add "$NM"
  ip netns exec "$NM" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ina ip link set lo up; inb ip link set lo up
  ip link add va netns "$NA" address "$MAC_A" type veth peer name m0 netns "$NM"
  ip link add vb netns "$NB" address "$MAC_B" type veth peer name m1 netns "$NM"
  no_offload "$NA" va; no_offload "$NB" vb; no_offload "$NM" m0; no_offload "$NM" m1
  ina ip addr add 10.0.0.1/24 dev va; inb ip addr add 10.0.0.2/24 dev vb
  ip -n "$NM" link set m0 up; ip -n "$NM" link set m1 up
  ina ip link set va up; inb ip link set vb up
  bg "$NM" python3 "$PROGS" impair-bridge m1 m0 "$loss" "$reorder" 7 30 "$delay"
  sleep 0.5
}

# A 32 KiB HTTP download with 10 % loss and 25 % reordering of the data segments.
mk_lossy() {
  setup_impaired 0 0.10 0.25
  http_server "$NB" 10.0.0.2 80
  ina ping -c 1 -W 2 10.0.0.2 >/dev/null || true
  cap_start "$NA" va "$OUT/lossy.pcap" tcp
  ina curl -s -o /dev/null --max-time 15 http://10.0.0.2/big.bin || true
  cap_stop "$OUT/lossy.pcap"
  teardown_pair
}

# Simultaneous open (RFC 9293 figure 8): both ends connect() to each other at the same
# instant; the 50 ms delay each way makes the SYNs cross.
mk_simopen() {
  setup_impaired 50 0 0
  ina ping -c 1 -W 2 10.0.0.2 >/dev/null || true
  cap_start "$NA" va "$OUT/simopen.pcap" tcp
  local at
  at=$(python3 -c "import time; print('%.3f' % (time.time() + 1.0))")
  bg "$NB" python3 "$PROGS" simopen 10.0.0.2 6000 10.0.0.1 5000 "$at"
  local other=$LAST_PID
  ina python3 "$PROGS" simopen 10.0.0.1 5000 10.0.0.2 6000 "$at" || true
  wait_pid "$other" 5
  cap_stop "$OUT/simopen.pcap"
  teardown_pair
}

# Simultaneous close: both ends shut down their sending side at one agreed instant; with the
# delay, the FINs cross (both endpoints pass through CLOSING).
mk_simclose() {
  setup_impaired 50 0 0
  bg "$NB" python3 "$PROGS" simclose-server 10.0.0.2 7002
  local srv=$LAST_PID
  wait_port "$NB" 7002
  ina ping -c 1 -W 2 10.0.0.2 >/dev/null || true
  cap_start "$NA" va "$OUT/simclose.pcap" tcp
  ina python3 "$PROGS" simclose-client 10.0.0.2 7002 40003 || true
  wait_pid "$srv" 5
  cap_stop "$OUT/simclose.pcap"
  teardown_pair
}

# TCP keep-alive: an idle connection with a 1 s keep-alive time sends probes and gets ACKs.
mk_keepalive() {
  setup_pair
  bg "$NB" python3 "$PROGS" keepalive-server 10.0.0.2 7003
  local srv=$LAST_PID
  wait_port "$NB" 7003
  ina ping -c 1 -W 1 10.0.0.2 >/dev/null
  cap_start "$NB" vb "$OUT/keepalive.pcap" tcp
  ina python3 "$PROGS" keepalive-client 10.0.0.2 7003 40004 3.5 || true
  wait_pid "$srv" 5
  cap_stop "$OUT/keepalive.pcap"
  teardown_pair
}

# Zero window: the server's receive buffer is tiny and it does not read for 2 s; the window
# closes, the client sends zero-window probes, then the server drains everything.
mk_zerowin() {
  setup_pair
  bg "$NB" python3 "$PROGS" zerowin-server 10.0.0.2 7004 2
  local srv=$LAST_PID
  wait_port "$NB" 7004
  ina ping -c 1 -W 1 10.0.0.2 >/dev/null
  cap_start "$NB" vb "$OUT/zerowin.pcap" tcp
  ina python3 "$PROGS" zerowin-client 10.0.0.2 7004 40005 12000 || true
  wait_pid "$srv" 8
  cap_stop "$OUT/zerowin.pcap"
  teardown_pair
}

mk_many_short() {
  setup_pair
  http_server "$NB" 10.0.0.2 80
  ina ping -c 1 -W 1 10.0.0.2 >/dev/null
  cap_start "$NB" vb "$OUT/many-short.pcap" tcp
  local i
  for i in $(seq 20); do
    ina curl -s -o /dev/null --max-time 3 http://10.0.0.2/hello.txt
  done
  cap_stop "$OUT/many-short.pcap"
  teardown_pair
}

mk_dns() {
  setup_pair
  bg "$NB" python3 "$PROGS" dns-server 10.0.0.2 53 9
  local srv=$LAST_PID
  wait_port "$NB" 53
  ina ping -c 1 -W 1 10.0.0.2 >/dev/null
  cap_start "$NB" vb "$OUT/dns.pcap" port 53
  ina python3 "$PROGS" dns-client 10.0.0.2 53 5300
  if command -v dig >/dev/null; then
    ina dig +tries=1 +time=2 @10.0.0.2 www.example.com A >/dev/null || true
  fi
  wait_pid "$srv" 3
  cap_stop "$OUT/dns.pcap"
  teardown_pair
}

mk_ping() {
  setup_pair
  ina ip neigh flush dev va
  cap_start "$NB" vb "$OUT/ping.pcap" arp or ip
  ina ping -c 3 -i 0.2 -W 1 10.0.0.2 >/dev/null
  ina ping -c 1 -W 1 -s 2000 10.0.0.2 >/dev/null    # fragmented echo (MTU 1500)
  ina python3 "$PROGS" udp-probe 10.0.0.2 9999 40009 # closed port: ICMP port unreachable
  cap_stop "$OUT/ping.pcap"
  teardown_pair
}

mk_udp() {
  setup_pair
  bg "$NB" python3 "$PROGS" udp-echo-server 10.0.0.2 7 5
  local srv=$LAST_PID
  wait_port "$NB" 7 udp
  ina ping -c 1 -W 1 10.0.0.2 >/dev/null
  # nanosecond timestamps, so that the committed captures cover both pcap magic numbers
  cap_start "$NB" vb "$OUT/udp.pcap" --time-stamp-precision=nano udp
  ina python3 "$PROGS" udp-echo-client 10.0.0.2 7 40007 5
  wait_pid "$srv" 3
  cap_stop "$OUT/udp.pcap"
  teardown_pair
}

# 802.1Q VLAN 100 on the veth, and 802.1ad QinQ (outer S-tag 300, inner C-tag 10).
mk_vlan() {
  setup_pair
  if ! ina ip link add link va name va.100 type vlan id 100 2>/dev/null; then
    mk_vlan_userspace
    return
  fi
  inb ip link add link vb name vb.100 type vlan id 100
  ina ip link add link va name va.300 type vlan proto 802.1ad id 300
  inb ip link add link vb name vb.300 type vlan proto 802.1ad id 300
  ina ip link add link va.300 name va.300.10 type vlan id 10
  inb ip link add link vb.300 name vb.300.10 type vlan id 10
  ina ip addr add 10.0.100.1/24 dev va.100
  inb ip addr add 10.0.100.2/24 dev vb.100
  ina ip addr add 10.0.10.1/24 dev va.300.10
  inb ip addr add 10.0.10.2/24 dev vb.300.10
  local d
  for d in va.100 va.300 va.300.10; do ina ip link set "$d" up; done
  for d in vb.100 vb.300 vb.300.10; do inb ip link set "$d" up; done
  bg "$NB" python3 "$PROGS" udp-echo-server 10.0.100.2 7 2
  local srv=$LAST_PID
  wait_port "$NB" 7 udp
  sleep 2                        # let the new interfaces' IPv6 start-up chatter pass
  cap_start "$NB" vb "$OUT/vlan.pcap" vlan
  ina ping -c 2 -i 0.2 -W 1 10.0.100.2 >/dev/null
  ina python3 "$PROGS" udp-echo-client 10.0.100.2 7 40100 2
  ina ping -c 2 -i 0.2 -W 1 10.0.10.2 >/dev/null
  wait_pid "$srv" 3
  cap_stop "$OUT/vlan.pcap"
  teardown_pair
}

# Without the kernel's 8021q module: the same real exchange captured untagged, then the tags
# put into the captured frames by netprogs.py pcap-vlan (802.1Q VID 100; the last ping
# exchange in 802.1ad S-VID 300 / C-VID 10).
mk_vlan_userspace() {
  bg "$NB" python3 "$PROGS" udp-echo-server 10.0.0.2 7 2
  local srv=$LAST_PID
  wait_port "$NB" 7 udp
  ina ip neigh flush dev va
  cap_start "$NB" vb "$WORK/plain.pcap" arp or ip
  ina ping -c 2 -i 0.2 -W 1 10.0.0.2 >/dev/null
  ina python3 "$PROGS" udp-echo-client 10.0.0.2 7 40100 2
  ina ping -c 2 -i 0.2 -W 1 10.0.0.2 >/dev/null
  wait_pid "$srv" 3
  cap_stop "$WORK/plain.pcap"
  python3 "$PROGS" pcap-vlan "$WORK/plain.pcap" "$OUT/vlan.pcap" 100 4 300 10
  teardown_pair
}

# The "any" device: Linux cooked headers v1 and v2 (the latter names the interface index).
mk_sll() { # name linktype
  setup_pair
  bg "$NB" python3 "$PROGS" udp-echo-server 10.0.0.2 7 1
  local srv=$LAST_PID
  wait_port "$NB" 7 udp
  ina ping -c 1 -W 1 10.0.0.2 >/dev/null
  cap_start "$NA" any "$OUT/$1.pcap" -y "$2" not ip6
  ina ping -c 2 -i 0.2 -W 1 10.0.0.2 >/dev/null
  ina ping -c 1 -W 1 127.0.0.1 >/dev/null
  ina python3 "$PROGS" udp-echo-client 10.0.0.2 7 40200 1
  wait_pid "$srv" 3
  cap_stop "$OUT/$1.pcap"
  teardown_pair
}

# IPv6 neighbour discovery from the moment the link comes up: MLD reports, duplicate
# address detection, router solicitations, then neighbour solicitation/advertisement
# before an echo to a global and to a link-local address.
mk_ipv6_nd() {
  setup_pair dad
  inb ip link set vb up
  cap_start "$NB" vb "$OUT/ipv6-nd.pcap" ip6
  ina ip link set va up
  ina ip -6 addr add 2001:db8::1/64 dev va
  inb ip -6 addr add 2001:db8::2/64 dev vb
  sleep 2.5                      # DAD takes about one second
  ina ping -6 -c 2 -i 0.2 -W 1 2001:db8::2 >/dev/null || true
  ina ping -6 -c 1 -W 1 fe80::42:aff:fe00:2%va >/dev/null || true
  cap_stop "$OUT/ipv6-nd.pcap"
  teardown_pair
}

# Checksum offload as the sending host sees it: TCP and UDP over IPv4 and IPv6 on the loopback
# interface, whose offload is left on (Linux CHECKSUM_PARTIAL). Every TCP/UDP checksum field
# holds only the pseudo-header's sum, which the NIC would complete: pktscope --checksums names
# it dissect's "checksum left to the NIC" (tcp.checksum_offloaded) rather than damage.
mk_loopback_offload() {
  ip netns add "$NA"
  ina ip link set lo up
  http_server "$NA" 127.0.0.1 80
  bg "$NA" python3 -m http.server --bind ::1 --directory "$WORK/www" 8080
  wait_port "$NA" 8080
  bg "$NA" python3 "$PROGS" udp-echo-server 127.0.0.1 7 2
  local srv=$LAST_PID
  wait_port "$NA" 7 udp
  cap_start "$NA" lo "$OUT/loopback-offload.pcap" tcp or udp
  ina curl -s -o /dev/null --max-time 5 http://127.0.0.1/hello.txt
  ina python3 "$PROGS" udp-echo-client 127.0.0.1 7 40007 2
  ina curl -s -o /dev/null --max-time 5 -g 'http://[::1]:8080/hello.txt'
  wait_pid "$srv" 3
  cap_stop "$OUT/loopback-offload.pcap"
  teardown_pair
}

ALL="http-get http-ipv6 refused half-close rst-abort lossy many-short dns ping udp vlan sll sll2 ipv6-nd
  simopen simclose keepalive zerowin textproto loopback-offload"
ALL="$ALL dhcp" # DHCP (make-dhcp.sh)
# HTTP keep-alive, pipelining, chunked and DNS over TCP: tests/pcaps/make-http.sh
web_root
for name in ${@:-$ALL}; do
  echo "making $name.pcap"
  case $name in
    http-get) mk_http_get ;;
    http-ipv6) mk_http_ipv6 ;;
    refused) mk_refused ;;
    half-close) mk_half_close ;;
    rst-abort) mk_rst_abort ;;
    lossy) mk_lossy ;;
    many-short) mk_many_short ;;
    dns) mk_dns ;;
    ping) mk_ping ;;
    udp) mk_udp ;;
    vlan) mk_vlan ;;
    sll) mk_sll sll LINUX_SLL ;;
    sll2) mk_sll sll2 LINUX_SLL2 ;;
    ipv6-nd) mk_ipv6_nd ;;
    simopen) mk_simopen ;;
    simclose) mk_simclose ;;
    keepalive) mk_keepalive ;;
    zerowin) mk_zerowin ;;
    loopback-offload) mk_loopback_offload ;;
    # SNMP: its own script (needs Debian's snmpd, snmp, snmptrapd); not in ALL
    snmp) bash "$HERE/make-snmp.sh" "$OUT" ;;
    dhcp) OUT="$OUT" "$HERE/make-dhcp.sh" ;; # DHCP: a script of its own (dnsmasq, dhclient)
    textproto) OUT="$OUT" "$HERE/make-textproto.sh" ;; # ftp smtp pop3 imap telnet ssh
    *) echo "make-pcaps.sh: unknown capture '$name' (known: $ALL)" >&2; exit 2 ;;
  esac
  # The background programs of one capture are gone with its namespaces.
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  PIDS=()
done
