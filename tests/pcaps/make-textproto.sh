#!/usr/bin/env bash
# Remakes the captures of the line-based application protocols in tests/pcaps/: ftp.pcap,
# smtp.pcap, pop3.pcap, imap.pcap, telnet.pcap, ssh.pcap.
#
# Each capture is made on a veth pair between two network namespaces this script creates and
# removes (a trap removes them on any exit): the client in A (10.0.0.1), the server in B
# (10.0.0.2), checksum and segmentation offload off so the packets carry real checksums. The clients are real programs: curl (FTP in
# passive and active mode, SMTP, POP3, IMAP), the telnet client and the OpenSSH client. The
# servers are sshd (OpenSSH, with a throw-away host key) and the small scripted servers of
# textservers.py, which answer as real FTP/SMTP/POP3/IMAP/Telnet servers do. tcpdump is stopped
# by its own PID; every step is bounded in time.
#
# Needs root, iproute2, tcpdump, python3, curl, telnet, openssh-client, openssh-server.
# CI does not run this script: the captures are committed with their golden files.
#
# Usage: sudo tests/pcaps/make-textproto.sh [NAME...]     (default: every capture)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE}
SRV="$HERE/textservers.py"
NA="psk$$-ta"
NB="psk$$-tb"
WORK=$(mktemp -d)
PIDS=()

if [ "$(id -u)" -ne 0 ]; then
  echo "make-textproto.sh: needs root (network namespaces and tcpdump); run it with sudo" >&2
  exit 2
fi
for t in ip tcpdump ping ethtool python3 curl telnet ssh /usr/sbin/sshd ssh-keygen; do
  command -v "$t" >/dev/null || { echo "make-textproto.sh: '$t' is missing (apt-get install iproute2 tcpdump python3 curl telnet openssh-client openssh-server)" >&2; exit 2; }
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

cap_start() { # file
  rm -f "$1"
  ip netns exec "$NB" tcpdump -n -U --immediate-mode -i vb -w "$1" tcp 2>"$WORK/tcpdump.err" &
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

bg() { # cmd... (in the server namespace)
  ip netns exec "$NB" "$@" >/dev/null 2>&1 &
  PIDS+=("$!")
  LAST_PID=$!
}

wait_port() { # port
  local i
  for i in $(seq 50); do
    inb ss -Hltn "sport = :$1" | grep -q . && return 0
    sleep 0.1
  done
  echo "make-textproto.sh: nothing listens on tcp port $1" >&2
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

server() { # mode port [connections]
  bg python3 "$SRV" "$1" 10.0.0.2 "$2" "${3:-1}"
  SRV_PID=$LAST_PID
  wait_port "$2"
}

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

# FTP: a passive download (PASV, then the data connection to the announced port) and an
# active one (PORT: the server connects to the client's announced port).
mk_ftp() {
  setup
  server ftp 21 2
  cap_start "$OUT/ftp.pcap"
  ina curl -s -o /dev/null --max-time 5 --disable-epsv ftp://u:p@10.0.0.2/hello.txt
  ina curl -s -o /dev/null --max-time 5 --disable-eprt -P - ftp://u:p@10.0.0.2/hello.txt
  wait_pid "$SRV_PID" 5
  cap_stop "$OUT/ftp.pcap"
  teardown
}

mk_smtp() {
  setup
  server smtp 25
  printf 'From: alice@example.org\r\nTo: bob@example.org\r\nSubject: hello\r\n\r\nHello Bob.\r\n' \
    >"$WORK/mail.txt"
  cap_start "$OUT/smtp.pcap"
  ina curl -s --max-time 5 smtp://10.0.0.2/client.example.org --mail-from alice@example.org \
    --mail-rcpt bob@example.org -T "$WORK/mail.txt"
  wait_pid "$SRV_PID" 5
  cap_stop "$OUT/smtp.pcap"
  teardown
}

mk_pop3() {
  setup
  server pop3 110
  cap_start "$OUT/pop3.pcap"
  ina curl -s -o /dev/null --max-time 5 -u bob:secret pop3://10.0.0.2/1
  wait_pid "$SRV_PID" 5
  cap_stop "$OUT/pop3.pcap"
  teardown
}

mk_imap() {
  setup
  server imap 143
  cap_start "$OUT/imap.pcap"
  ina curl -s -o /dev/null --max-time 5 -u bob:secret 'imap://10.0.0.2/INBOX;UID=1'
  wait_pid "$SRV_PID" 5
  cap_stop "$OUT/imap.pcap"
  teardown
}

mk_telnet() {
  setup
  server telnet 23
  cap_start "$OUT/telnet.pcap"
  (sleep 1.5; printf 'bob\r\n'; sleep 1) | ina timeout 5 telnet 10.0.0.2 23 >/dev/null 2>&1 || true
  wait_pid "$SRV_PID" 5
  cap_stop "$OUT/telnet.pcap"
  teardown
}

# SSH: the OpenSSH client against sshd up to the failed authentication (no keys in batch
# mode): banners, KEXINIT, ECDH, NEWKEYS, then encrypted packets.
mk_ssh() {
  setup
  ssh-keygen -q -t ed25519 -N '' -f "$WORK/hostkey"
  mkdir -p /run/sshd
  bg /usr/sbin/sshd -D -e -f /dev/null -h "$WORK/hostkey" -o ListenAddress=10.0.0.2 \
    -o Port=22 -o PidFile=none -o UsePAM=no
  local sshd_pid=$LAST_PID
  wait_port 22
  cap_start "$OUT/ssh.pcap"
  ina timeout 5 ssh -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    -o KexAlgorithms=curve25519-sha256 -o HostKeyAlgorithms=ssh-ed25519 \
    -o Ciphers=aes128-ctr -o MACs=hmac-sha2-256 -o IdentityFile=/dev/null \
    -o IdentitiesOnly=yes nobody@10.0.0.2 true >/dev/null 2>&1 || true
  cap_stop "$OUT/ssh.pcap"
  kill "$sshd_pid" 2>/dev/null || true
  wait "$sshd_pid" 2>/dev/null || true
  teardown
}

ALL="ftp smtp pop3 imap telnet ssh"
for name in ${@:-$ALL}; do
  echo "making $name.pcap"
  case $name in
    ftp) mk_ftp ;;
    smtp) mk_smtp ;;
    pop3) mk_pop3 ;;
    imap) mk_imap ;;
    telnet) mk_telnet ;;
    ssh) mk_ssh ;;
    *) echo "make-textproto.sh: unknown capture '$name' (known: $ALL)" >&2; exit 2 ;;
  esac
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  PIDS=()
done
