#!/usr/bin/env bash
# Remakes zeekbytes-download.pcap and zeekbytes-upload.pcap: TCP transfers of a known size over
# a veth pair between network namespaces, with 3 % of the sender's data segments lost (netem,
# or a userspace bridge without it), captured on the client's side with snaplen 96 (headers only). The server of the download sends exactly
# 1,000,000 bytes then closes; the client of the upload sends exactly 300,000 bytes then closes.
# Zeek counts them as resp_bytes 1000000 and orig_bytes 300000 however many segments were lost
# and resent (tests/scripts/zeek_bytes.sh checks pktscope --conns against that).
# Needs root, iproute2 (tc netem), tcpdump, python3.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE}
TAG="pzb$$"
NA="$TAG-a"
NB="$TAG-b"
WORK=$(mktemp -d)
PIDS=()

if [ "$(id -u)" -ne 0 ]; then
  echo "make-zeekbytes.sh: needs root (network namespaces, tc, tcpdump)" >&2
  exit 2
fi
for t in ip tc tcpdump python3; do
  command -v "$t" >/dev/null || { echo "make-zeekbytes.sh: '$t' is missing" >&2; exit 2; }
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

PROGS="$HERE/netprogs.py"
NM="$TAG-m"

have_netem() {
  local ok=1
  ip netns add "$TAG-p"
  ip -n "$TAG-p" link set lo up
  tc -n "$TAG-p" qdisc add dev lo root netem loss 1% 2>/dev/null && ok=0
  ip netns del "$TAG-p"
  return $ok
}

no_offload() { # ns ifname
  if command -v ethtool >/dev/null; then
    ip netns exec "$1" ethtool -K "$2" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
  fi
}

# Client 10.0.0.1 (va) and server 10.0.0.2 (vb), 3 % of the data segments lost on the way
# from `lossy` (client or server). With netem: a veth pair, netem on the lossy side's egress.
# Without (a kernel without sch_netem): a middle namespace whose userspace bridge
# (netprogs.py impair-bridge, seeded) drops them.
setup() { # lossy
  ip netns add "$NA"
  ip netns add "$NB"
  ina ip link set lo up
  inb ip link set lo up
  if [ "$NETEM" = yes ]; then
    ip link add va netns "$NA" address 00:1b:21:0a:00:01 type veth peer name vb netns "$NB" \
      address 02:42:0a:00:00:02
    no_offload "$NA" va
    no_offload "$NB" vb
    if [ "$1" = server ]; then inb tc qdisc add dev vb root netem loss 3%; fi
    if [ "$1" = client ]; then ina tc qdisc add dev va root netem loss 3%; fi
  else
    ip netns add "$NM"
    ip link add va netns "$NA" address 00:1b:21:0a:00:01 type veth peer name m0 netns "$NM"
    ip link add vb netns "$NB" address 02:42:0a:00:00:02 type veth peer name m1 netns "$NM"
    no_offload "$NA" va; no_offload "$NB" vb; no_offload "$NM" m0; no_offload "$NM" m1
    ip -n "$NM" link set m0 up
    ip -n "$NM" link set m1 up
    local from=m1 to=m0
    if [ "$1" = client ]; then from=m0; to=m1; fi
    ip netns exec "$NM" timeout 40 python3 "$PROGS" impair-bridge "$from" "$to" 0.03 0 11 30 1 \
      >/dev/null 2>&1 &
    PIDS+=($!)
  fi
  ina ip addr add 10.0.0.1/24 dev va
  inb ip addr add 10.0.0.2/24 dev vb
  ina ip link set va up
  inb ip link set vb up
  sleep 0.5
}

teardown() {
  ip netns del "$NA" 2>/dev/null || true
  ip netns del "$NB" 2>/dev/null || true
  ip netns del "$NM" 2>/dev/null || true
  sleep 0.2
}

# The server: port 9001 sends 1,000,000 bytes and closes; port 9002 reads to EOF and closes.
# It serves one connection and exits within 30 s.
server() { # port
  inb timeout 30 python3 -c '
import socket, sys
port = int(sys.argv[1])
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.0.0.2", port)); s.listen(1)
c, _ = s.accept()
if port == 9001:
    c.sendall(bytes(i % 251 for i in range(1000000)))
else:
    while c.recv(65536):
        pass
c.close()
' "$1" &
  PIDS+=($!)
  sleep 0.5
}

NETEM=no
if have_netem; then NETEM=yes; fi

capture() { # file port mode
  local file=$1 port=$2 mode=$3 cap i
  rm -f "$file"
  ip netns exec "$NA" tcpdump -n -U -s 96 -i va -w "$file" tcp port "$port" 2>"$WORK/tcpdump.err" &
  cap=$!
  PIDS+=("$cap")
  for i in $(seq 50); do
    grep -q "listening on" "$WORK/tcpdump.err" 2>/dev/null && break
    sleep 0.1
  done
  ina timeout 30 python3 -c '
import socket, sys
port, mode = int(sys.argv[1]), sys.argv[2]
c = socket.create_connection(("10.0.0.2", port), timeout=20)
if mode == "down":
    n = 0
    while True:
        b = c.recv(65536)
        if not b:
            break
        n += len(b)
    assert n == 1000000, n
else:
    c.sendall(bytes(i % 251 for i in range(300000)))
    c.shutdown(socket.SHUT_WR)
    c.recv(1)
c.close()
' "$port" "$mode"
  sleep 1
  kill -INT "$cap" 2>/dev/null || true
  wait "$cap" 2>/dev/null || true
  echo "  $(basename "$file"): $(tcpdump -r "$file" 2>/dev/null | wc -l) packets, $(stat -c %s "$file") bytes"
}

setup server
server 9001
capture "$OUT/zeekbytes-download.pcap" 9001 down
teardown
setup client
server 9002
capture "$OUT/zeekbytes-upload.pcap" 9002 up
teardown
