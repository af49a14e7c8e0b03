#!/usr/bin/env bash
# Remakes tests/pcaps/classroom6.pcap: the IPv6 half of the classroom lesson (make-classroom.sh is
# the IPv4 half), on real traffic. Neighbour discovery does what ARP does in IPv4; the router
# announces the /64 prefix and its own MAC in a Router Advertisement; the /64 comparison decides
# whether a packet goes to the host's own MAC or to the router's.
#
# Four network namespaces made here and removed by a trap on any exit:
#
#   client LAN 2001:db8:1::/64                          server LAN 2001:db8:2::/64
#   client  va 00:1b:21:0a:00:01 (Intel) 2001:db8:1::100 ---+
#   peer    pa dc:a6:32:0a:00:14 (Raspberry Pi) 2001:db8:1::20 ---+ switch (bridge br0)
#   router  ra 00:1e:7a:0a:00:01 (Cisco) 2001:db8:1::1 ----------+
#   router  rb 00:1e:7a:0b:00:01 (Cisco) 2001:db8:2::1 --------- sa 00:50:56:0b:00:0a (VMware)
#                                                              server 2001:db8:2::10
#
# radvd is usually not installed: the router's Router Advertisement (RFC 4861 4.2: the prefix
# information option for 2001:db8:1::/64, the source link-layer address) is sent by python on a
# raw ICMPv6 socket; the client's default route goes via the router's link-local address, as an
# RA would install it (the client's accept_ra is off so that the kernel adds nothing of its own).
# Addresses are static (nodad: no duplicate address detection in the lesson).
#
# The lesson, in order: the router's RA to all nodes; ping -6 -c 2 2001:db8:1::20 (NS/NA for the
# neighbour, same prefix); an HTTP GET to [2001:db8:2::10] (NS/NA for the router's link-local
# address, then TCP through the router: the destination MAC is the router's).
# classroom6.pcap is captured on the client's own interface.
#
# Every step is bounded in time; only the processes started here are stopped, by their PIDs.
# Needs root, iproute2, tcpdump, python3, curl and ping.
#
# Usage: sudo tests/pcaps/make-classroom6.sh     (OUT=DIR to write elsewhere)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE}
TAG="ps6$$"
NC="$TAG-c"
NP="$TAG-p"
NW="$TAG-w"
NR="$TAG-r"
NS="$TAG-s"
ALL_NS=("$NC" "$NP" "$NW" "$NR" "$NS")
WORK=$(mktemp -d)
PIDS=()

if [ "$(id -u)" -ne 0 ]; then
  echo "make-classroom6.sh: needs root (network namespaces and tcpdump); run it with sudo" >&2
  exit 2
fi
for t in ip tcpdump python3 curl ping; do
  command -v "$t" >/dev/null || {
    echo "make-classroom6.sh: '$t' is missing (apt-get install iproute2 tcpdump python3 curl iputils-ping)" >&2
    exit 2
  }
done

ME=make-classroom6.sh
. "$HERE/lib-netns.sh"
trap netns_cleanup EXIT
trap 'exit 130' INT TERM

MAC_C=00:1b:21:0a:00:01
MAC_P=dc:a6:32:0a:00:14
MAC_RA=00:1e:7a:0a:00:01
MAC_RB=00:1e:7a:0b:00:01
MAC_S=00:50:56:0b:00:0a
LL_RA=fe80::21e:7aff:fe0a:1 # the router's link-local address (EUI-64 of MAC_RA)
LL_RB=fe80::21e:7aff:fe0b:1

for n in "${ALL_NS[@]}"; do
  ip netns add "$n"
  # No router solicitations, no autoconfiguration, no DAD: only the lesson's packets.
  in_ns "$n" sysctl -qw net.ipv6.conf.default.accept_ra=0 net.ipv6.conf.default.router_solicitations=0 \
    net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.dad_transmits=0
  in_ns "$n" ip link set lo up
done
ip link add va netns "$NC" address "$MAC_C" type veth peer name pc netns "$NW"
ip link add pa netns "$NP" address "$MAC_P" type veth peer name pp netns "$NW"
ip link add ra netns "$NR" address "$MAC_RA" type veth peer name pr netns "$NW"
ip link add rb netns "$NR" address "$MAC_RB" type veth peer name sa netns "$NS" address "$MAC_S"
if command -v ethtool >/dev/null; then
  for d in "$NC va" "$NP pa" "$NR ra" "$NR rb" "$NS sa"; do
    set -- $d
    in_ns "$1" ethtool -K "$2" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
  done
fi

in_ns "$NW" ip link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
for p in pc pp pr; do
  in_ns "$NW" sysctl -qw "net.ipv6.conf.$p.disable_ipv6=1" 2>/dev/null || true
  in_ns "$NW" ip link set "$p" master br0
  in_ns "$NW" ip link set "$p" up
done
in_ns "$NW" sysctl -qw net.ipv6.conf.br0.disable_ipv6=1 2>/dev/null || true
in_ns "$NW" ip link set br0 up

in_ns "$NP" ip addr add 2001:db8:1::20/64 dev pa nodad
in_ns "$NP" ip link set pa up
in_ns "$NR" sysctl -qw net.ipv6.conf.all.forwarding=1
in_ns "$NR" ip addr add 2001:db8:1::1/64 dev ra nodad
in_ns "$NR" ip addr add 2001:db8:2::1/64 dev rb nodad
in_ns "$NR" ip link set ra up
in_ns "$NR" ip link set rb up
in_ns "$NS" ip addr add 2001:db8:2::10/64 dev sa nodad
in_ns "$NS" ip link set sa up
in_ns "$NS" ip -6 route add default via "$LL_RB" dev sa
in_ns "$NC" ip addr add 2001:db8:1::100/64 dev va nodad
in_ns "$NC" ip link set va up
in_ns "$NC" ip -6 route add default via "$LL_RA" dev va
wait_for "the link-local addresses" in_ns "$NR" ip -6 addr show dev ra scope link

mkdir -p "$WORK/www"
printf '<!doctype html>\n<title>Hello, class</title>\n<p>This page crossed an IPv6 router.</p>\n' \
  >"$WORK/www/index.html"
ip netns exec "$NS" python3 -m http.server --bind 2001:db8:2::10 --directory "$WORK/www" 80 \
  >"$WORK/http.log" 2>&1 &
PIDS+=("$!")
wait_for "the web server" sh -c "ip netns exec $NS ss -Hlt 'sport = :80' | grep -q ."

for n in "${ALL_NS[@]}"; do in_ns "$n" ip -6 neigh flush all 2>/dev/null || true; done
rm -f "$OUT/classroom6.pcap"
ip netns exec "$NC" tcpdump -n -U --immediate-mode -i va -w "$OUT/classroom6.pcap" 2>"$WORK/tcpdump.err" &
CAP=$!
PIDS+=("$CAP")
wait_for "tcpdump on va" grep -q "listening on" "$WORK/tcpdump.err"
sleep 0.3

# 1. The router's Router Advertisement to all nodes (RFC 4861 4.2, 4.6.1, 4.6.2).
in_ns "$NR" timeout 10 python3 - "$MAC_RA" <<'EOF'
import socket, struct, sys
mac = bytes(int(x, 16) for x in sys.argv[1].split(":"))
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, socket.if_nametoindex("ra"))
# type 134, code 0, checksum (the kernel fills it), cur hop limit 64, flags 0, lifetime 1800 s,
# reachable time 0, retrans timer 0
ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 1800, 0, 0)
ra += struct.pack("!BB", 1, 1) + mac  # source link-layer address
# prefix information: /64, L (on-link) and A (autonomous), lifetimes 1 day and 4 hours
ra += struct.pack("!BBBBIII", 3, 4, 64, 0xC0, 86400, 14400, 0)
ra += socket.inet_pton(socket.AF_INET6, "2001:db8:1::")
s.sendto(ra, ("ff02::1", 0, 0, socket.if_nametoindex("ra")))
EOF
sleep 0.5

# 2. A neighbour with the same /64: NS/NA for 2001:db8:1::20 itself, then two echoes.
in_ns "$NC" ping -6 -n -c 2 -i 0.3 -W 2 2001:db8:1::20 >"$WORK/ping.log"
sleep 0.5

# 3. HTTP across the router (TCP): NS/NA for the router's link-local address, not the server's.
in_ns "$NC" curl -s -o /dev/null --max-time 5 \
  -A "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0" \
  "http://[2001:db8:2::10]/"
sleep 0.5

kill -TERM "$CAP" 2>/dev/null || true
wait "$CAP" 2>/dev/null || true
echo "  classroom6.pcap: $(tcpdump -r "$OUT/classroom6.pcap" 2>/dev/null | wc -l) packets, $(stat -c %s "$OUT/classroom6.pcap") bytes"
