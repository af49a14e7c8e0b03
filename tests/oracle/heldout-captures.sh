#!/usr/bin/env bash
# tests/oracle/heldout-captures.sh OUTDIR: makes captures the tests have never seen, for a
# held-out run of the oracle (tests/scripts/oracle.sh OUTDIR). Not part of ctest; needs root.
# Two network namespaces joined by a veth pair (made here, removed at the end) carry: a 3 MB
# HTTP download, HTTP over IPv6, a 404, a TLS handshake (openssl s_server/s_client), pings of
# 3000 bytes over IPv4 and IPv6 (fragments), UDP echo over IPv6 of 10/1400/5000 bytes, a DNS
# query to a closed port (ICMP port unreachable quoting it) and a TCP connect to a closed port
# (RST). tcpdump on one end writes OUTDIR/held.pcap (microseconds) and OUTDIR/held-nsec.pcap.
set -u
OUT=${1:?usage: heldout-captures.sh OUTDIR}
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd) && cd "$OUT" || exit 1
A=hoa$$; B=hob$$
trap 'ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null' EXIT
ip netns add $A; ip netns add $B
ip link add va$$ netns $A type veth peer name vb$$ netns $B
ip -n $A addr add 10.99.0.1/24 dev va$$; ip -n $B addr add 10.99.0.2/24 dev vb$$
ip -n $A addr add fd99::1/64 dev va$$ nodad; ip -n $B addr add fd99::2/64 dev vb$$ nodad
ip -n $A link set va$$ up; ip -n $B link set vb$$ up; ip -n $A link set lo up; ip -n $B link set lo up
head -c 3000000 /dev/urandom > big.bin
openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -days 1 -subj /CN=t 2>/dev/null
ip netns exec $B bash -c "cd '$OUT' && exec python3 -m http.server 8000 --bind ::" >/dev/null 2>&1 & P1=$!
ip netns exec $B openssl s_server -accept 4433 -cert c.pem -key k.pem -www -quiet >/dev/null 2>&1 & P2=$!
ip netns exec $B python3 -c '
import socket
s=socket.socket(socket.AF_INET6,socket.SOCK_DGRAM); s.bind(("::",7007))
s.settimeout(20)
try:
  while True:
    d,a=s.recvfrom(65535); s.sendto(d,a)
except Exception: pass' & P3=$!
# The servers may take seconds to start on a loaded machine: wait (bounded) until both listen.
for ((i = 0; i < 100; i++)); do
    ip netns exec $B ss -ltn | grep -q ':8000 ' && ip netns exec $B ss -ltn | grep -q ':4433 ' && break
    sleep 0.1
done
ip netns exec $A tcpdump -i va$$ -w held.pcap -s 0 2>/dev/null & T1=$!
ip netns exec $A tcpdump -i va$$ -w held-nsec.pcap --time-stamp-precision=nano -s 0 2>/dev/null & T2=$!
sleep 1
ip netns exec $A curl -s -o /dev/null http://10.99.0.2:8000/big.bin
ip netns exec $A curl -s -o /dev/null "http://[fd99::2]:8000/"
ip netns exec $A curl -s -o /dev/null http://10.99.0.2:8000/nonexistent
timeout 5 ip netns exec $A openssl s_client -connect 10.99.0.2:4433 -quiet </dev/null >/dev/null 2>&1
ip netns exec $A ping -c 3 -i 0.2 -s 3000 10.99.0.2 >/dev/null
ip netns exec $A ping -6 -c 3 -i 0.2 -s 3000 fd99::2 >/dev/null
ip netns exec $A python3 -c '
import socket
s=socket.socket(socket.AF_INET6,socket.SOCK_DGRAM); s.settimeout(1)
for n in (10, 1400, 5000):
  s.sendto(b"x"*n, ("fd99::2",7007))
  try: s.recvfrom(65535)
  except Exception: pass
u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
u.sendto(b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x03com\x00\x00\x01\x00\x01", ("10.99.0.2",53))
import time; time.sleep(0.3)
t=socket.socket(); t.settimeout(1)
try: t.connect(("10.99.0.2",22))
except Exception: pass
'
sleep 1
kill -INT $T1 $T2; wait $T1 $T2 2>/dev/null
kill $P1 $P2 $P3 2>/dev/null; wait 2>/dev/null
rm -f big.bin k.pem c.pem
ls -la held.pcap held-nsec.pcap
