#!/usr/bin/env bash
# Remakes tests/pcaps/dhcp.pcap: one real DHCP lease, DISCOVER / OFFER / REQUEST / ACK, then
# the client's RELEASE (RFC 2131 3.1, 4.4.6).
#
# Two network namespaces made here and removed by a trap on any exit, joined by a veth pair:
#   server  dnsmasq on vb (10.0.0.2/24), handing out 10.0.0.100-150 with mask 255.255.255.0,
#           router 10.0.0.1, DNS servers 10.0.0.2 and 10.0.0.3, domain lab.example, lease 1 h
#   client  dhclient (isc-dhcp-client) on va, which has no address until the lease
# dhclient runs with -sf /bin/true so that it configures nothing (no resolv.conf, no routes: the
# namespaces share the host's file system), with its own config, lease and pid files in a
# temporary directory. tcpdump captures on the server's side. Every step is bounded in time;
# only the processes started here are stopped, by their PIDs.
#
# Needs root, iproute2, tcpdump, dnsmasq (dnsmasq-base) and dhclient (isc-dhcp-client); they are
# only needed to remake the capture, which is committed.
#
# Usage: sudo tests/pcaps/make-dhcp.sh     (OUT=DIR to write elsewhere)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE}
TAG="psd$$"
NC="$TAG-c" # client namespace
NS="$TAG-s" # server namespace
WORK=$(mktemp -d)
PIDS=()

if [ "$(id -u)" -ne 0 ]; then
  echo "make-dhcp.sh: needs root (network namespaces and tcpdump); run it with sudo" >&2
  exit 2
fi
for t in ip tcpdump dnsmasq dhclient; do
  command -v "$t" >/dev/null || {
    echo "make-dhcp.sh: '$t' is missing (apt-get install iproute2 tcpdump dnsmasq-base isc-dhcp-client)" >&2
    exit 2
  }
done

cleanup() {
  local p
  # dhclient went to the background by itself: its PID is in its pid file.
  if [ -s "$WORK/dhclient.pid" ]; then
    p=$(cat "$WORK/dhclient.pid")
    case $p in '' | *[!0-9]*) ;; *) kill "$p" 2>/dev/null || true ;; esac
  fi
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  ip netns del "$NC" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

inc() { ip netns exec "$NC" "$@"; }
ins() { ip netns exec "$NS" "$@"; }

# The same fixed MAC addresses as make-pcaps.sh: an Intel OUI client, a local server address.
MAC_C=00:1b:21:0a:00:01
MAC_S=02:42:0a:00:00:02

ip netns add "$NC"
ip netns add "$NS"
inc ip link set lo up
ins ip link set lo up
ip link add va netns "$NC" address "$MAC_C" type veth peer name vb netns "$NS" address "$MAC_S"
if command -v ethtool >/dev/null; then
  inc ethtool -K va tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
  ins ethtool -K vb tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
fi
inc sysctl -qw net.ipv6.conf.all.disable_ipv6=1 # no router solicitations in the capture
ins sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ins ip addr add 10.0.0.2/24 dev vb
ins ip link set vb up
inc ip link set va up

# dnsmasq: DHCP only (port=0 turns its DNS server off), in the foreground, no system config.
ins dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --group=root \
  --interface=vb --bind-interfaces --dhcp-authoritative --no-ping \
  --pid-file="$WORK/dnsmasq.pid" --dhcp-leasefile="$WORK/dnsmasq.leases" \
  --dhcp-range=10.0.0.100,10.0.0.150,255.255.255.0,1h \
  --dhcp-option=option:router,10.0.0.1 \
  --dhcp-option=option:dns-server,10.0.0.2,10.0.0.3 \
  --dhcp-option=option:domain-name,lab.example \
  >"$WORK/dnsmasq.log" 2>&1 &
PIDS+=("$!")
for i in $(seq 50); do
  ins ss -Hlun "sport = :67" | grep -q . && break
  sleep 0.1
done
ins ss -Hlun "sport = :67" | grep -q . || { cat "$WORK/dnsmasq.log" >&2; exit 1; }

# dhclient: what it sends is set here, not taken from the host's dhclient.conf (which would send
# the host's name).
cat >"$WORK/dhclient.conf" <<'EOF'
send host-name "pktscope-client";
send vendor-class-identifier "pktscope-test";
send dhcp-client-identifier 1:00:1b:21:0a:00:01;
send dhcp-max-message-size 1400;
request subnet-mask, broadcast-address, routers, domain-name, domain-name-servers, host-name,
        dhcp-lease-time, dhcp-renewal-time, dhcp-rebinding-time;
EOF
DHC=(dhclient -4 -sf /bin/true -cf "$WORK/dhclient.conf" -lf "$WORK/dhclient.leases"
  -pf "$WORK/dhclient.pid")

rm -f "$OUT/dhcp.pcap"
ins tcpdump -n -U --immediate-mode -i vb -w "$OUT/dhcp.pcap" udp port 67 or udp port 68 \
  2>"$WORK/tcpdump.err" &
CAP_PID=$!
PIDS+=("$CAP_PID")
for i in $(seq 50); do
  grep -q "listening on" "$WORK/tcpdump.err" 2>/dev/null && break
  sleep 0.1
done
grep -q "listening on" "$WORK/tcpdump.err" || { cat "$WORK/tcpdump.err" >&2; exit 1; }
sleep 0.2

# -1: one try; dhclient goes to the background once it has the lease (at most 20 s here).
timeout 20 ip netns exec "$NC" "${DHC[@]}" -1 va >"$WORK/dhclient.log" 2>&1 || {
    exit 1
}
grep -q "fixed-address" "$WORK/dhclient.leases" || { echo "make-dhcp.sh: no lease" >&2; exit 1; }
# What dhclient-script would do with the lease: the address on va, so that the RELEASE
# (unicast from the leased address to the server, RFC 2131 4.4.6) can be sent.
ADDR=$(sed -n 's/^ *fixed-address \([0-9.]*\);.*/\1/p' "$WORK/dhclient.leases" | tail -n 1)
inc ip addr add "$ADDR/24" dev va
sleep 0.5
# -r: stops the background dhclient (its pid file) and sends DHCPRELEASE.
timeout 10 ip netns exec "$NC" "${DHC[@]}" -r va >>"$WORK/dhclient.log" 2>&1 || true
sleep 0.5
kill -INT "$CAP_PID" 2>/dev/null || true
wait "$CAP_PID" 2>/dev/null || true
echo "  dhcp.pcap: $(tcpdump -r "$OUT/dhcp.pcap" 2>/dev/null | wc -l) packets, $(stat -c %s "$OUT/dhcp.pcap") bytes"
