#!/usr/bin/env bash
# Remakes tests/pcaps/snmp.pcap: SNMP v1, v2c and v3 from the real net-snmp programs.
#
# Two network namespaces joined by a veth pair (10.0.0.1 manager, 10.0.0.2 agent), created and
# removed by this script (a trap removes them on any exit); nothing touches the host's own
# interfaces. snmpd answers on UDP 161 in the agent's namespace, snmptrapd listens on UDP 162 in
# the manager's; the clients (snmpget, snmpgetnext, snmpwalk, snmpbulkget, snmpset, snmptrap,
# snmpinform) run in the manager's namespace with numeric OIDs only (Debian ships no MIB files).
# tcpdump runs in the agent's namespace and is stopped by its PID; every client has a timeout
# and one try, so every step is bounded in time.
#
# Needs root, iproute2, tcpdump and Debian's snmpd, snmp and snmptrapd packages (only to remake
# the capture; the capture itself is committed).
#
# Usage: sudo tests/pcaps/make-snmp.sh [OUTDIR]
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE}
TAG="pss$$"
NA="$TAG-a" # manager: clients and snmptrapd
NB="$TAG-b" # agent: snmpd
WORK=$(mktemp -d)
PIDS=()

if [ "$(id -u)" -ne 0 ]; then
  echo "make-snmp.sh: needs root (network namespaces and tcpdump); run it with sudo" >&2
  exit 2
fi
for t in ip tcpdump snmpd snmptrapd snmpget snmpbulkget snmpset snmptrap snmpinform; do
  command -v "$t" >/dev/null || { echo "make-snmp.sh: '$t' is missing (apt-get install iproute2 tcpdump snmpd snmp snmptrapd)" >&2; exit 2; }
done

cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  ip netns del "$NA" 2>/dev/null || true
  ip netns del "$NB" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ina() { ip netns exec "$NA" "$@"; }
inb() { ip netns exec "$NB" "$@"; }

ip netns add "$NA"
ip netns add "$NB"
ina ip link set lo up
inb ip link set lo up
ina sysctl -qw net.ipv6.conf.default.disable_ipv6=1
inb sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip link add va netns "$NA" address 00:1b:21:0a:00:01 type veth peer name vb netns "$NB" address 02:42:0a:00:00:02
if command -v ethtool >/dev/null; then
  ina ethtool -K va tx off rx off >/dev/null 2>&1 || true
  inb ethtool -K vb tx off rx off >/dev/null 2>&1 || true
fi
ina ip addr add 10.0.0.1/24 dev va
inb ip addr add 10.0.0.2/24 dev vb
ina ip link set va up
inb ip link set vb up

# The agent (its address is given on the command line; an agentAddress line as well would make
# it open the endpoint twice and fail): read-only "public", read-write "private", one USM user for the v3 exchange.
# sysContact is set here, which makes it read-only; sysName is not, so a set of it succeeds.
mkdir -p "$WORK/agent" "$WORK/mgr"
cat >"$WORK/snmpd.conf" <<EOF
rocommunity public 10.0.0.0/24
rwcommunity private 10.0.0.0/24
sysLocation pktscope test lab
sysContact admin@example.com
sysDescr pktscope SNMP test agent
createUser pktuser SHA pktauthpass AES pktprivpass
rouser pktuser priv
EOF
cat >"$WORK/snmptrapd.conf" <<EOF
disableAuthorization yes
authCommunity log public
EOF

wait_udp() { # ns port
  local i
  for i in $(seq 50); do
    ip netns exec "$1" ss -Hlun "sport = :$2" | grep -q . && return 0
    sleep 0.1
  done
  echo "make-snmp.sh: nothing listens on udp port $2" >&2
  exit 1
}

ip netns exec "$NB" env SNMP_PERSISTENT_DIR="$WORK/agent" MIBS= MIBDIRS=/nonexistent snmpd -f -C -c "$WORK/snmpd.conf" -Lf "$WORK/snmpd.log" \
  -p "$WORK/snmpd.pid" udp:10.0.0.2:161 &
PIDS+=("$!")
ip netns exec "$NA" env SNMP_PERSISTENT_DIR="$WORK/mgr" MIBS= MIBDIRS=/nonexistent snmptrapd -f -C -c "$WORK/snmptrapd.conf" -Lf "$WORK/trapd.log" \
  udp:10.0.0.1:162 &
PIDS+=("$!")
wait_udp "$NB" 161
wait_udp "$NA" 162
ina ping -c 1 -W 1 10.0.0.2 >/dev/null # resolve ARP before the capture starts

rm -f "$OUT/snmp.pcap"
ip netns exec "$NB" tcpdump -n -U --immediate-mode -i vb -w "$OUT/snmp.pcap" udp 2>"$WORK/tcpdump.err" &
CAP_PID=$!
PIDS+=("$CAP_PID")
for i in $(seq 50); do
  grep -q "listening on" "$WORK/tcpdump.err" 2>/dev/null && break
  sleep 0.1
done
sleep 0.2

# Every client: one try, 2 s timeout, numeric OIDs, no MIB files, its own persistent dir.
export SNMP_PERSISTENT_DIR="$WORK/mgr" MIBS= MIBDIRS=/nonexistent
C=(-r 0 -t 2 -On -m "")
A=10.0.0.2
q() { ina "$@" >>"$WORK/clients.log" 2>&1 || true; }

# v1 get: sysDescr.0, sysUpTime.0
q snmpget "${C[@]}" -v1 -c public $A 1.3.6.1.2.1.1.1.0 1.3.6.1.2.1.1.3.0
# v2c get of many value types: OctetString, OID, TimeTicks, Integer, IpAddress, Counter64, Gauge32
q snmpget "${C[@]}" -v2c -c public $A 1.3.6.1.2.1.1.1.0 1.3.6.1.2.1.1.2.0 1.3.6.1.2.1.1.3.0 \
  1.3.6.1.2.1.2.1.0 1.3.6.1.2.1.4.20.1.1.10.0.0.2 1.3.6.1.2.1.31.1.1.1.6.1 1.3.6.1.2.1.2.2.1.5.1
# v2c exceptions: noSuchObject, noSuchInstance
q snmpget "${C[@]}" -v2c -c public $A 1.3.6.1.2.1.1.99.0 1.3.6.1.2.1.1.1.1
# getnext: the next of sysDescr, and endOfMibView past the last OID
q snmpgetnext "${C[@]}" -v2c -c public $A 1.3.6.1.2.1.1.1 2.1
# walk of ifDescr (2 interfaces: 3 getnext exchanges)
q snmpwalk "${C[@]}" -v2c -c public -Cc $A 1.3.6.1.2.1.2.2.1.2
# getBulk: 1 non-repeater (sysUpTime), 3 repetitions of ifInOctets (Counter32)
q snmpbulkget "${C[@]}" -v2c -c public -Cn1 -Cr3 $A 1.3.6.1.2.1.1.3 1.3.6.1.2.1.2.2.1.10
# sets: sysName.0 (writable), sysUpTime.0 (notWritable), v1 set with the read-only community
q snmpset "${C[@]}" -v2c -c private $A 1.3.6.1.2.1.1.5.0 s pktscope-agent
q snmpset "${C[@]}" -v2c -c private $A 1.3.6.1.2.1.1.3.0 t 5
q snmpset "${C[@]}" -v1 -c private $A 1.3.6.1.2.1.1.4.0 s nobody
# notifications to the manager: v1 trap (from the agent's side), v2c trap, v2c inform
T=10.0.0.1:162
q ip netns exec "$NB" snmptrap "${C[@]}" -v1 -c public $T 1.3.6.1.4.1.8072.2.3 10.0.0.2 6 17 1234 \
  1.3.6.1.2.1.1.5.0 s pktscope-agent
q ip netns exec "$NB" snmptrap "${C[@]}" -v2c -c public $T 4321 1.3.6.1.6.3.1.1.5.3 \
  1.3.6.1.2.1.2.2.1.1.2 i 2
q ip netns exec "$NB" snmpinform "${C[@]}" -v2c -c public $T 5678 1.3.6.1.6.3.1.1.5.4 \
  1.3.6.1.2.1.2.2.1.1.2 i 2
# v3: engine discovery (report), then an authPriv get whose PDU is encrypted
q snmpget "${C[@]}" -v3 -u pktuser -l authPriv -a SHA -A pktauthpass -x AES -X pktprivpass $A \
  1.3.6.1.2.1.1.5.0

sleep 0.5
kill -INT "$CAP_PID" 2>/dev/null || true
wait "$CAP_PID" 2>/dev/null || true
echo "  snmp.pcap: $(tcpdump -r "$OUT/snmp.pcap" 2>/dev/null | wc -l) packets, $(stat -c %s "$OUT/snmp.pcap") bytes"
