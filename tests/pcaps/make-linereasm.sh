#!/usr/bin/env bash
# Remakes the captures of SMTP, POP3 and IMAP messages split across TCP segments in
# tests/pcaps/: smtp-pieces.pcap, pop3-pieces.pcap, imap-pieces.pcap (TCP reassembly of the
# line-based protocols, issue 10), and from them smtp-hole.pcap and imap-hole.pcap: the same
# conversations with segments left out (SMTP: the first piece of a cut command and a piece of the
# DATA body; IMAP: the middle of a literal), where parsing must resume after the hole.
#
# As in make-textproto.sh, each capture is made on a veth pair between two network namespaces
# this script creates and removes (a trap removes them on any exit): the client in A (10.0.0.1),
# the server in B (10.0.0.2), checksum and segmentation offload off. Both ends are
# linepieces.py, which writes each line, multi-line reply and message body in pieces with
# TCP_NODELAY and short sleeps, so that they are split across segments. tcpdump and the peers
# are stopped by their own PIDs; every step is bounded in time.
#
# Needs root, iproute2, tcpdump, ethtool, python3.
# CI does not run this script: the captures are committed with their golden files.
#
# Usage: sudo tests/pcaps/make-linereasm.sh [NAME...]     (default: smtp pop3 imap holes)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE}
PEER="$HERE/linepieces.py"
NA="psk$$-la"
NB="psk$$-lb"
WORK=$(mktemp -d)
PIDS=()

if [ "$(id -u)" -ne 0 ]; then
  echo "make-linereasm.sh: needs root (network namespaces and tcpdump); run it with sudo" >&2
  exit 2
fi
for t in ip tcpdump ping ethtool python3; do
  command -v "$t" >/dev/null || { echo "make-linereasm.sh: '$t' is missing (apt-get install iproute2 tcpdump iputils-ping ethtool python3)" >&2; exit 2; }
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

setup() {
  ip netns add "$NA"
  ip netns add "$NB"
  ina ip link set lo up
  inb ip link set lo up
  ip link add va netns "$NA" address 00:1b:21:0a:00:01 type veth peer name vb netns "$NB" \
    address 02:42:0a:00:00:02
  local ns ifc
  for ns in "$NA:va" "$NB:vb"; do
    ifc=${ns#*:}
    ip netns exec "${ns%%:*}" ethtool -K "$ifc" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
  done
  ina ip addr add 10.0.0.1/24 dev va
  inb ip addr add 10.0.0.2/24 dev vb
  ina ip link set va up
  inb ip link set vb up
  ina ping -c 1 -W 2 10.0.0.2 >/dev/null   # ARP resolved before the capture starts
}

teardown() {
  ip netns del "$NA" 2>/dev/null || true
  ip netns del "$NB" 2>/dev/null || true
  sleep 0.2
}

wait_port() { # port
  local i
  for i in $(seq 50); do
    inb ss -Hltn "sport = :$1" | grep -q . && return 0
    sleep 0.1
  done
  echo "make-linereasm.sh: nothing listens on tcp port $1" >&2
  exit 1
}

wait_pid() { # pid seconds
  local i
  for i in $(seq $(($2 * 10))); do
    kill -0 "$1" 2>/dev/null || { wait "$1" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

mk() { # proto port file
  local file="$OUT/$3"
  setup
  ip netns exec "$NB" python3 "$PEER" server "$1" 10.0.0.2 "$2" &
  local srv=$!
  PIDS+=("$srv")
  wait_port "$2"
  rm -f "$file"
  ip netns exec "$NB" tcpdump -n -U --immediate-mode -i vb -w "$file" tcp 2>"$WORK/tcpdump.err" &
  local cap=$!
  PIDS+=("$cap")
  local i
  for i in $(seq 50); do
    grep -q "listening on" "$WORK/tcpdump.err" 2>/dev/null && break
    sleep 0.1
  done
  grep -q "listening on" "$WORK/tcpdump.err" || { cat "$WORK/tcpdump.err" >&2; exit 1; }
  sleep 0.2
  ina timeout 20 python3 "$PEER" client "$1" 10.0.0.2 "$2"
  wait_pid "$srv" 5
  sleep 0.5
  kill -INT "$cap" 2>/dev/null || true
  wait "$cap" 2>/dev/null || true
  echo "  $3: $(tcpdump -r "$file" 2>/dev/null | wc -l) packets, $(stat -c %s "$file") bytes"
  teardown
}

# The frame numbers are those of the captures as they were made and committed: remaking them
# may number differently, so check the dropped frames still are the pieces named above.
holes() {
  python3 "$PEER" drop "$OUT/smtp-pieces.pcap" "$OUT/smtp-hole.pcap" 8 32
  python3 "$PEER" drop "$OUT/imap-pieces.pcap" "$OUT/imap-hole.pcap" 29
  echo "  smtp-hole.pcap, imap-hole.pcap: $(stat -c %s "$OUT/smtp-hole.pcap") and $(stat -c %s "$OUT/imap-hole.pcap") bytes"
}

ALL="smtp pop3 imap holes"
for name in ${@:-$ALL}; do
  echo "making $name"
  case $name in
    smtp) mk smtp 25 smtp-pieces.pcap ;;
    pop3) mk pop3 110 pop3-pieces.pcap ;;
    imap) mk imap 143 imap-pieces.pcap ;;
    holes) holes ;;
    *) echo "make-linereasm.sh: unknown capture '$name' (known: $ALL)" >&2; exit 2 ;;
  esac
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  PIDS=()
done
