#!/usr/bin/env bash
# Remakes tests/pcaps/classroom.pcap and tests/pcaps/classroom-server.pcap: a beginner's network
# lesson on real traffic. A student's laptop joins a LAN by DHCP, pings a neighbour on the same
# LAN (ARP for the neighbour itself), then asks a DNS server and a web server on another LAN,
# through the router (ARP for the gateway, not for the server).
#
# Five network namespaces made here and removed by a trap on any exit:
#
#   client LAN 192.168.1.0/24 (private, class C's reserved block)      server LAN 198.51.100.0/24
#                                                                     (TEST-NET-2, RFC 5737)
#   client  va 00:1b:21:0a:00:01 (Intel)  DHCP ---+
#   peer    pa dc:a6:32:0a:00:14 (Raspberry Pi) 192.168.1.20 ---+ switch (bridge br0)
#   router  ra 00:1e:7a:0a:00:01 (Cisco) 192.168.1.1 ---------+
#   router  rb 00:1e:7a:0b:00:01 (Cisco) 198.51.100.1 -------- sa 00:50:56:0b:00:0a (VMware)
#                                                              server 198.51.100.10
#
#   router  ip_forward on; dnsmasq (DHCP only) on ra hands out 192.168.1.100-150, mask
#           255.255.255.0, router 192.168.1.1, DNS server 198.51.100.10, lease 1 h
#   server  dnsmasq (DNS only) answering www.example A 198.51.100.10; python3 -m http.server
#   client  dhclient -sf /bin/true (it configures nothing, as in make-dhcp.sh); the script then
#           does what dhclient-script would: the leased address /24 and the default route
#
# The lesson, in order: DHCP DISCOVER/OFFER/REQUEST/ACK; ping -c 2 192.168.1.20 (ARP for the
# neighbour, same subnet); a DNS query for www.example to 198.51.100.10 (UDP, ARP for the gateway
# 192.168.1.1 first); an HTTP GET to the address the DNS answer gave (TCP through the router; a
# browser-like User-Agent, so that the browser/server lesson has something to show).
# classroom.pcap is captured on the client's own interface (what a student's laptop sees);
# classroom-server.pcap on the server's (the same conversations after the router: the router's
# MAC as source, TTL one lower, the router's ARP for the server).
#
# IPv6 is off everywhere (no router solicitations or MLD reports: a small IPv4 lesson). Every
# step is bounded in time; only the processes started here are stopped, by their PIDs.
#
# Needs root, iproute2, tcpdump, dnsmasq (dnsmasq-base), dhclient (isc-dhcp-client), python3,
# curl and ping; they are only needed to remake the captures, which are committed.
#
# Usage: sudo tests/pcaps/make-classroom.sh     (OUT=DIR to write elsewhere)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE}
TAG="psc$$"
NC="$TAG-c" # the student's laptop
NP="$TAG-p" # a neighbour on the client LAN
NW="$TAG-w" # the switch of the client LAN
NR="$TAG-r" # the router
NS="$TAG-s" # the server on the server LAN
ALL_NS=("$NC" "$NP" "$NW" "$NR" "$NS")
WORK=$(mktemp -d)
PIDS=()

if [ "$(id -u)" -ne 0 ]; then
  echo "make-classroom.sh: needs root (network namespaces and tcpdump); run it with sudo" >&2
  exit 2
fi
for t in ip tcpdump dnsmasq dhclient python3 curl ping; do
  command -v "$t" >/dev/null || {
    echo "make-classroom.sh: '$t' is missing (apt-get install iproute2 tcpdump dnsmasq-base isc-dhcp-client python3 curl iputils-ping)" >&2
    exit 2
  }
done

ME=make-classroom.sh
. "$HERE/lib-netns.sh"
cleanup() {
  local p
  # dhclient went to the background by itself: its PID is in its pid file.
  if [ -s "$WORK/dhclient.pid" ]; then
    p=$(cat "$WORK/dhclient.pid")
    case $p in '' | *[!0-9]*) ;; *) kill "$p" 2>/dev/null || true ;; esac
  fi
  netns_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT TERM

listening() { in_ns "$1" ss "-Hl$2" "sport = :$3" | grep -q .; } # ns t|u port

MAC_C=00:1b:21:0a:00:01  # Intel: the student's laptop
MAC_P=dc:a6:32:0a:00:14  # Raspberry Pi: the neighbour
MAC_RA=00:1e:7a:0a:00:01 # Cisco: the router, client LAN side
MAC_RB=00:1e:7a:0b:00:01 # Cisco: the router, server LAN side
MAC_S=00:50:56:0b:00:0a  # VMware: the server

for n in "${ALL_NS[@]}"; do
  ip netns add "$n"
  in_ns "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  in_ns "$n" ip link set lo up
done
ip link add va netns "$NC" address "$MAC_C" type veth peer name pc netns "$NW"
ip link add pa netns "$NP" address "$MAC_P" type veth peer name pp netns "$NW"
ip link add ra netns "$NR" address "$MAC_RA" type veth peer name pr netns "$NW"
ip link add rb netns "$NR" address "$MAC_RB" type veth peer name sa netns "$NS" address "$MAC_S"
if command -v ethtool >/dev/null; then # real segment sizes and checksums in the capture
  for d in "$NC va" "$NP pa" "$NR ra" "$NR rb" "$NS sa"; do
    set -- $d
    in_ns "$1" ethtool -K "$2" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
  done
fi

# The switch: a bridge without STP (it would send BPDUs into the capture) and without delay.
in_ns "$NW" ip link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
for p in pc pp pr; do
  in_ns "$NW" ip link set "$p" master br0
  in_ns "$NW" ip link set "$p" up
done
in_ns "$NW" ip link set br0 up

in_ns "$NP" ip addr add 192.168.1.20/24 dev pa
in_ns "$NP" ip link set pa up
in_ns "$NR" ip addr add 192.168.1.1/24 dev ra
in_ns "$NR" ip addr add 198.51.100.1/24 dev rb
in_ns "$NR" ip link set ra up
in_ns "$NR" ip link set rb up
in_ns "$NR" sysctl -qw net.ipv4.ip_forward=1
in_ns "$NS" ip addr add 198.51.100.10/24 dev sa
in_ns "$NS" ip link set sa up
in_ns "$NS" ip route add default via 198.51.100.1
in_ns "$NC" ip link set va up

# The router's DHCP server: DHCP only (port=0 turns its DNS server off), no system config.
ip netns exec "$NR" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --group=root \
  --interface=ra --bind-interfaces --dhcp-authoritative --no-ping \
  --pid-file="$WORK/dhcp.pid" --dhcp-leasefile="$WORK/dnsmasq.leases" \
  --dhcp-range=192.168.1.100,192.168.1.150,255.255.255.0,1h \
  --dhcp-option=option:router,192.168.1.1 \
  --dhcp-option=option:dns-server,198.51.100.10 \
  --dhcp-option=option:domain-name,lab.example \
  >"$WORK/dhcp.log" 2>&1 &
PIDS+=("$!")
wait_for "the DHCP server" listening "$NR" u 67

# The server's DNS server: one name, nothing forwarded (no resolv.conf, no hosts file).
ip netns exec "$NS" dnsmasq --keep-in-foreground --conf-file=/dev/null --user=root --group=root \
  --interface=sa --bind-interfaces --no-resolv --no-hosts --pid-file="$WORK/dns.pid" \
  --host-record=www.example,198.51.100.10 >"$WORK/dns.log" 2>&1 &
PIDS+=("$!")
wait_for "the DNS server" listening "$NS" u 53

mkdir -p "$WORK/www"
printf '<!doctype html>\n<title>Hello, class</title>\n<p>This page crossed a router.</p>\n' \
  >"$WORK/www/index.html"
ip netns exec "$NS" python3 -m http.server --bind 198.51.100.10 --directory "$WORK/www" 80 \
  >"$WORK/http.log" 2>&1 &
PIDS+=("$!")
wait_for "the web server" listening "$NS" t 80

cap_start() { # ns iface file
  rm -f "$3"
  ip netns exec "$1" tcpdump -n -U --immediate-mode -i "$2" -w "$3" 2>"$WORK/tcpdump-$2.err" &
  PIDS+=("$!")
  CAP_PIDS+=("$!")
  wait_for "tcpdump on $2" grep -q "listening on" "$WORK/tcpdump-$2.err"
}
# Every ARP of the lesson happens in the captures, whatever the set-up above resolved.
for n in "${ALL_NS[@]}"; do in_ns "$n" ip neigh flush all; done
CAP_PIDS=()
cap_start "$NC" va "$OUT/classroom.pcap"
cap_start "$NS" sa "$OUT/classroom-server.pcap"
sleep 0.3

# 1. DHCP. dhclient sends what is set here, not the host's dhclient.conf (the host's name).
cat >"$WORK/dhclient.conf" <<'EOF'
send host-name "student-laptop";
send dhcp-client-identifier 1:00:1b:21:0a:00:01;
request subnet-mask, broadcast-address, routers, domain-name, domain-name-servers,
        dhcp-lease-time, dhcp-renewal-time, dhcp-rebinding-time;
EOF
timeout 20 ip netns exec "$NC" dhclient -4 -1 -sf /bin/true -cf "$WORK/dhclient.conf" \
  -lf "$WORK/dhclient.leases" -pf "$WORK/dhclient.pid" va >"$WORK/dhclient.log" 2>&1
ADDR=$(sed -n 's/^ *fixed-address \([0-9.]*\);.*/\1/p' "$WORK/dhclient.leases" | tail -n 1)
case $ADDR in 192.168.1.*) ;; *) echo "make-classroom.sh: no lease" >&2; exit 1 ;; esac
# What dhclient-script would do with the lease (mask and router are the ones configured above).
in_ns "$NC" ip addr add "$ADDR/24" dev va
in_ns "$NC" ip route add default via 192.168.1.1
sleep 0.5

# 2. A neighbour on the same LAN: ARP for 192.168.1.20 itself, then two echoes.
in_ns "$NC" ping -n -c 2 -i 0.3 -W 2 192.168.1.20 >"$WORK/ping.log"
sleep 0.5

# 3. DNS across the router (UDP): ARP for the gateway, then the query to the server's address.
WWW=$(in_ns "$NC" timeout 10 python3 - <<'EOF'
import socket, struct
q = struct.pack("!HHHHHH", 0x1d0c, 0x0100, 1, 0, 0, 0)  # id, RD, one question
q += b"\x03www\x07example\x00" + struct.pack("!HH", 1, 1)  # www.example A IN
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(q, ("198.51.100.10", 53))
r, _ = s.recvfrom(512)
ancount = struct.unpack("!H", r[6:8])[0]
# The one answer follows the echoed question; its last 4 bytes are the address.
assert ancount == 1, "no answer"
print(".".join(str(b) for b in r[-4:]))
EOF
)
[ "$WWW" = 198.51.100.10 ] || { echo "make-classroom.sh: DNS answered '$WWW'" >&2; exit 1; }
sleep 0.5

# 4. HTTP across the router (TCP), to the address DNS gave.
in_ns "$NC" curl -s -o /dev/null --max-time 5 -H "Host: www.example" \
  -A "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0" "http://$WWW/"
sleep 0.5

for p in "${CAP_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
for p in "${CAP_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
for f in classroom.pcap classroom-server.pcap; do
  echo "  $f: $(tcpdump -r "$OUT/$f" 2>/dev/null | wc -l) packets, $(stat -c %s "$OUT/$f") bytes"
done
