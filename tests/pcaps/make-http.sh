#!/usr/bin/env bash
# Remakes the HTTP/1.x and DNS-over-TCP captures (tests/pcaps/http-*.pcap, dns-tcp.pcap): real
# programs in two network namespaces joined by a veth pair whose MTU is 600, so that request
# headers and response bodies span several TCP segments.
#
#   http-keepalive.pcap  curl fetching two URLs on one connection from a small HTTP/1.1 server:
#                        a Content-Length body (/a.txt, ~1.4 KB) then a chunked one (/chunked)
#   http-pipeline.pcap   a python client writing two GET requests in one send() (pipelining),
#                        the server answering both (one with 204, one with 200)
#   dns-tcp.pcap         two DNS queries on one TCP connection, and one over UDP, answered by
#                        a small python responder
#   http-long.pcap       curl fetching a 48 KB body (/long) in some 90 segments: a message of
#                        more segments than the 64 that its completing frame lists as tcp.segment
#
# Needs root, iproute2, tcpdump, python3, curl; ethtool if present. Same style as
# make-pcaps.sh: every wait bounded, only our own PIDs killed, namespaces removed on exit.
# Usage: sudo tests/pcaps/make-http.sh [NAME...]   (default: every capture)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE}
TAG="psh$$"
NA="$TAG-a"
NB="$TAG-b"
WORK=$(mktemp -d)
PIDS=()

if [ "$(id -u)" -ne 0 ]; then
  echo "make-http.sh: needs root (network namespaces and tcpdump); run it with sudo" >&2
  exit 2
fi
for t in ip tcpdump python3 curl; do
  command -v "$t" >/dev/null || { echo "make-http.sh: '$t' is missing" >&2; exit 2; }
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

setup_pair() {
  ip netns add "$NA"
  ip netns add "$NB"
  ina ip link set lo up
  inb ip link set lo up
  ip link add va netns "$NA" address 00:1b:21:0a:00:01 type veth peer name vb netns "$NB" \
    address 02:42:0a:00:00:02
  if command -v ethtool >/dev/null; then
    ina ethtool -K va tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
    inb ethtool -K vb tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
  fi
  ina ip addr add 10.0.0.1/24 dev va
  inb ip addr add 10.0.0.2/24 dev vb
  ina ip link set va mtu 600 up
  inb ip link set vb mtu 600 up
  ina ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1 || true   # ARP resolved before the capture
}

teardown_pair() {
  ip netns del "$NA" 2>/dev/null || true
  ip netns del "$NB" 2>/dev/null || true
  sleep 0.2
}

bg() { # ns cmd...
  local ns=$1
  shift
  ip netns exec "$ns" "$@" >/dev/null 2>&1 &
  PIDS+=("$!")
  LAST_PID=$!
}

wait_port() { # ns port [udp]
  local i opt=-Hltn
  [ "${3:-tcp}" = udp ] && opt=-Hlun
  for i in $(seq 50); do
    ip netns exec "$1" ss $opt "sport = :$2" | grep -q . && return 0
    sleep 0.1
  done
  echo "make-http.sh: nothing listens on port $2" >&2
  exit 1
}

cap_start() { # ns ifname file filter...
  local ns=$1 ifc=$2 file=$3 i
  shift 3
  rm -f "$file"
  ip netns exec "$ns" tcpdump -n -U --immediate-mode -i "$ifc" -w "$file" "$@" 2>"$WORK/tcpdump.err" &
  CAP_PID=$!
  PIDS+=("$CAP_PID")
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

# The programs: an HTTP/1.1 server (Content-Length, chunked, 204), a pipelining client, a DNS
# responder over UDP and TCP and its client. Deterministic bodies; every socket has a timeout.
cat >"$WORK/progs.py" <<'PY'
import socket, socketserver, struct, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer

BODY = b"".join(b"line %02d of the keep-alive body ...............\n" % i for i in range(28))
LONG_BODY = b"".join(b"line %04d of the long body ....................\n" % i for i in range(1000))

class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "pktscope-test/1.0"
    sys_version = ""
    def log_message(self, *a):
        pass
    def do_GET(self):
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"first chunk\n", b"second, longer chunk of the body\n" * 3, b"end\n"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                self.wfile.flush()
                time.sleep(0.02)
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/long":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(LONG_BODY)))
            self.end_headers()
            self.wfile.write(LONG_BODY)
        elif self.path == "/empty":
            self.send_response(204)
            self.end_headers()
        else:
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(BODY)))
            self.send_header("Last-Modified", "Tue, 24 Nov 2026 19:46:50 GMT")
            self.send_header("Set-Cookie", "session=abc123; Path=/")
            self.end_headers()
            self.wfile.write(BODY)

def dns_answer(q):
    tid = q[:2]
    i = 12
    while q[i]:
        i += 1 + q[i]
    question = q[12:i + 5]
    return (tid + b"\x81\x80" + struct.pack("!HHHH", 1, 1, 0, 0) + question +
            b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x01\x2c\x00\x04\xc0\x00\x02\x01")

def dns_query(tid, name):
    q = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
    return struct.pack("!HHHHHH", tid, 0x0100, 1, 0, 0, 0) + q + b"\x00\x01\x00\x01"

def recv_exact(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise EOFError
        b += c
    return b

cmd = sys.argv[1]
if cmd == "http-server":
    HTTPServer((sys.argv[2], 80), H).serve_forever()
elif cmd == "pipeline-client":
    s = socket.create_connection((sys.argv[2], 80), timeout=5)
    s.sendall(b"GET /empty HTTP/1.1\r\nHost: 10.0.0.2\r\n\r\n"
              b"GET /a.txt HTTP/1.1\r\nHost: 10.0.0.2\r\nConnection: close\r\n\r\n")
    while s.recv(4096):
        pass
    s.close()
elif cmd == "dns-server":
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((sys.argv[2], 53))
    t = socket.socket()
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((sys.argv[2], 53))
    t.listen(1)
    import select
    while True:
        r, _, _ = select.select([u, t], [], [], 30)
        if not r:
            break
        if u in r:
            q, a = u.recvfrom(512)
            u.sendto(dns_answer(q), a)
        if t in r:
            c, _ = t.accept()
            c.settimeout(5)
            try:
                while True:
                    n = struct.unpack("!H", recv_exact(c, 2))[0]
                    a = dns_answer(recv_exact(c, n))
                    c.sendall(struct.pack("!H", len(a)) + a)
            except (EOFError, OSError):
                pass
            c.close()
elif cmd == "dns-client":
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(5)
    u.sendto(dns_query(0x1a2b, "udp.example.com"), (sys.argv[2], 53))
    u.recvfrom(512)
    s = socket.create_connection((sys.argv[2], 53), timeout=5)
    for tid, name in ((0x0101, "one.example.com"), (0x0202, "two.example.com")):
        q = dns_query(tid, name)
        s.sendall(struct.pack("!H", len(q)) + q)
        n = struct.unpack("!H", recv_exact(s, 2))[0]
        recv_exact(s, n)
    s.close()
PY

mk_http_keepalive() {
  setup_pair
  bg "$NB" python3 "$WORK/progs.py" http-server 10.0.0.2
  wait_port "$NB" 80
  cap_start "$NB" vb "$OUT/http-keepalive.pcap" tcp
  ina curl -s -o /dev/null -o /dev/null --max-time 5 \
    -H "Accept-Language: en-GB,en;q=0.9" -H "Referer: http://10.0.0.2/index.html" \
    -H "Cookie: session=abc123; theme=dark" \
    -H "X-Padding: $(printf 'p%.0s' $(seq 500))" \
    http://10.0.0.2/a.txt http://10.0.0.2/chunked
  cap_stop "$OUT/http-keepalive.pcap"
  teardown_pair
}

mk_http_long() {
  setup_pair
  bg "$NB" python3 "$WORK/progs.py" http-server 10.0.0.2
  wait_port "$NB" 80
  cap_start "$NB" vb "$OUT/http-long.pcap" tcp
  ina curl -s -o /dev/null --max-time 5 http://10.0.0.2/long
  cap_stop "$OUT/http-long.pcap"
  teardown_pair
}

mk_http_pipeline() {
  setup_pair
  bg "$NB" python3 "$WORK/progs.py" http-server 10.0.0.2
  wait_port "$NB" 80
  cap_start "$NB" vb "$OUT/http-pipeline.pcap" tcp
  timeout 10 ip netns exec "$NA" python3 "$WORK/progs.py" pipeline-client 10.0.0.2
  cap_stop "$OUT/http-pipeline.pcap"
  teardown_pair
}

mk_dns_tcp() {
  setup_pair
  bg "$NB" python3 "$WORK/progs.py" dns-server 10.0.0.2
  wait_port "$NB" 53
  wait_port "$NB" 53 udp
  cap_start "$NB" vb "$OUT/dns-tcp.pcap" port 53
  timeout 10 ip netns exec "$NA" python3 "$WORK/progs.py" dns-client 10.0.0.2
  cap_stop "$OUT/dns-tcp.pcap"
  teardown_pair
}

ALL="http-keepalive http-pipeline dns-tcp http-long"
for name in ${@:-$ALL}; do
  echo "making $name.pcap"
  case $name in
    http-keepalive) mk_http_keepalive ;;
    http-pipeline) mk_http_pipeline ;;
    dns-tcp) mk_dns_tcp ;;
    http-long) mk_http_long ;;
    *) echo "make-http.sh: unknown capture '$name' (known: $ALL)" >&2; exit 2 ;;
  esac
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  PIDS=()
done
