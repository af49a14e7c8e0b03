#!/usr/bin/env bash
# Remakes the TLS captures in tests/pcaps/ (the committed tls-*.pcap files).
#
# openssl s_server and s_client talk across a veth pair between two network namespaces that this
# script creates and removes (a trap removes them on any exit); nothing touches the host's own
# interfaces. The certificates are made here: a small CA (CN pktscope test CA) signs the server's
# RSA certificate (CN pktscope.test), and the server sends both, so the Certificate message of
# TLS 1.2 shows two certificates in clear with different subject and issuer names. The server
# runs with -rev (it answers each line with the line reversed), the client sends one line,
# reads the answer, then ends its input, so it sends close_notify and closes.
#
#   tls12.pcap      TLS 1.2 (ECDHE-RSA), SNI pktscope.test, ALPN http/1.1, MTU 1500
#   tls13.pcap      TLS 1.3, SNI pktscope.test, ALPN h2 and http/1.1, MTU 1500
#   tls12-jumbo.pcap as tls12.pcap with MTU 9000, so that every record is whole in its segment
#                   (the loopback interface would do, but its checksums are left to offload)
#   tls12-mss.pcap  as tls12.pcap with the server's MSS at 536 (route advmss), so that the
#                   Certificate message spans several segments (the input of TCP reassembly)
#   tls12-fragments.pcap as tls12-mss.pcap with the server's records at most 512 bytes long
#                   (-max_send_frag, OpenSSL's least), so that its Certificate message spans
#                   records: handshake fragments, in one frame and across frames
#   tls12-fragments-jumbo.pcap as tls12-fragments.pcap with MTU 9000, so that all of a
#                   message's records, several of them, are in one frame
#
# Needs root, iproute2, tcpdump, openssl; ethtool if present (turns off checksum and
# segmentation offload so packets carry real checksums and real segment sizes).
# Usage: sudo tests/pcaps/make-tls.sh [NAME...]     (default: every capture)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE}
TAG="pst$$"
NA="$TAG-a" # client namespace
NB="$TAG-b" # server namespace
WORK=$(mktemp -d)
PIDS=()
PORT=443

if [ "$(id -u)" -ne 0 ]; then
  echo "make-tls.sh: needs root (network namespaces and tcpdump); run it with sudo" >&2
  exit 2
fi
for t in ip tcpdump openssl timeout; do
  command -v "$t" >/dev/null || { echo "make-tls.sh: '$t' is missing (apt-get install iproute2 tcpdump openssl coreutils)" >&2; exit 2; }
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

no_offload() { # ns ifname
  if command -v ethtool >/dev/null; then
    local f # one at a time: lo refuses some, and one refusal must not undo the others
    for f in tx rx tso gso gro; do
      ip netns exec "$1" ethtool -K "$2" "$f" off >/dev/null 2>&1 || true
    done
  fi
}

setup_pair() { # [advmss]
  ip netns add "$NA"
  ip netns add "$NB"
  ina ip link set lo up
  inb ip link set lo up
  ina sysctl -qw net.ipv6.conf.all.disable_ipv6=1
  inb sysctl -qw net.ipv6.conf.all.disable_ipv6=1
  ip link add va netns "$NA" address 00:1b:21:0a:00:01 type veth peer name vb netns "$NB" \
    address 02:42:0a:00:00:02
  no_offload "$NA" va
  no_offload "$NB" vb
  ina ip addr add 10.0.0.1/24 dev va
  inb ip addr add 10.0.0.2/24 dev vb
  ina ip link set va mtu "${MTU:-1500}" up
  inb ip link set vb mtu "${MTU:-1500}" up
  if [ -n "${1:-}" ]; then # the server advertises a small MSS: its segments stay small too
    inb ip route replace 10.0.0.0/24 dev vb advmss "$1"
    ina ip route replace 10.0.0.0/24 dev va advmss "$1"
  fi
}

teardown_pair() {
  ip netns del "$NA" 2>/dev/null || true
  ip netns del "$NB" 2>/dev/null || true
}

cap_start() { # file
  rm -f "$1"
  ip netns exec "$NA" tcpdump -n -U --immediate-mode -i "$IFC" -w "$1" "tcp port $PORT" 2>"$WORK/tcpdump.err" &
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

cap_stop() { # file
  sleep 0.5
  kill -INT "$CAP_PID" 2>/dev/null || true
  wait "$CAP_PID" 2>/dev/null || true
  echo "  $(basename "$1"): $(tcpdump -r "$1" 2>/dev/null | wc -l) packets, $(stat -c %s "$1") bytes"
}

wait_port() { # ns port
  local i
  for i in $(seq 50); do
    ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q . && return 0
    sleep 0.1
  done
  echo "make-tls.sh: nothing listens on tcp port $2" >&2
  exit 1
}

make_certs() {
  local q=(-nodes -days 3650 -sha256)
  openssl req -x509 -newkey rsa:2048 "${q[@]}" -keyout "$WORK/ca.key" -out "$WORK/ca.pem" \
    -subj "/CN=pktscope test CA" 2>/dev/null
  openssl req -new -newkey rsa:2048 -nodes -keyout "$WORK/srv.key" -out "$WORK/srv.csr" \
    -subj "/CN=pktscope.test" 2>/dev/null
  printf 'subjectAltName=DNS:pktscope.test\n' >"$WORK/ext.cnf"
  openssl x509 -req -in "$WORK/srv.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" \
    -CAcreateserial -days 3650 -sha256 -extfile "$WORK/ext.cnf" -out "$WORK/srv.pem" 2>/dev/null
}

# One conversation: server options in $1, client options in $2 (word-split on purpose).
converse() { # file server-opts client-opts
  ip netns exec "$SRV_NS" openssl s_server -accept "$PORT" -naccept 1 -rev -cert "$WORK/srv.pem" \
    -key "$WORK/srv.key" -cert_chain "$WORK/ca.pem" $2 >/dev/null 2>&1 &
  PIDS+=("$!")
  local srv=$!
  wait_port "$SRV_NS" "$PORT"
  cap_start "$1"
  # The client sends one line, waits for the reversed answer, then its input ends: s_client
  # sends close_notify and closes.
  (printf 'hello pktscope\n'; sleep 1) |
    timeout 10 ip netns exec "$NA" openssl s_client -connect "$SRV_ADDR:$PORT" \
      -servername pktscope.test -CAfile "$WORK/ca.pem" -quiet -no_ign_eof $3 >/dev/null 2>&1 || true
  sleep 0.5
  kill "$srv" 2>/dev/null || true
  wait "$srv" 2>/dev/null || true
  cap_stop "$1"
}

make_certs
ALL="tls12 tls13 tls12-mss tls12-jumbo tls12-fragments tls12-fragments-jumbo"
IFC=va SRV_NS=$NB SRV_ADDR=10.0.0.2
for name in ${@:-$ALL}; do
  echo "making $name.pcap"
  case $name in
    tls12) setup_pair; converse "$OUT/tls12.pcap" "" "-tls1_2 -alpn http/1.1" ;;
    tls13) setup_pair; converse "$OUT/tls13.pcap" "" "-tls1_3 -alpn h2,http/1.1" ;;
    tls12-mss) setup_pair 536; converse "$OUT/tls12-mss.pcap" "" "-tls1_2 -alpn http/1.1" ;;
    tls12-jumbo) MTU=9000 setup_pair; converse "$OUT/tls12-jumbo.pcap" "" "-tls1_2 -alpn http/1.1" ;;
    tls12-fragments)
      setup_pair 536
      converse "$OUT/tls12-fragments.pcap" "-max_send_frag 512" "-tls1_2 -alpn http/1.1"
      ;;
    tls12-fragments-jumbo)
      MTU=9000 setup_pair
      converse "$OUT/tls12-fragments-jumbo.pcap" "-max_send_frag 512" "-tls1_2 -alpn http/1.1"
      ;;
    *) echo "make-tls.sh: unknown capture '$name' (known: $ALL)" >&2; exit 2 ;;
  esac
  teardown_pair
  PIDS=()
done
