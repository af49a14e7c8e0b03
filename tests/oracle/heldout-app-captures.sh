#!/usr/bin/env bash
# tests/oracle/heldout-app-captures.sh OUTDIR: captures of the application protocols of issue 10
# (HTTP, TLS, DNS over UDP and TCP, DHCP, FTP, SMTP, POP3, IMAP) that no test contains, for a
# held-out run of the oracle with reassembly on:
#   ORACLE_REASSEMBLY=1 PKTSCOPE=build/pktscope tests/scripts/oracle.sh OUTDIR
# Not part of ctest; needs root. Two network namespaces joined by a veth pair (made here, removed
# at the end) whose MTU is 620, so that HTTP headers, TLS certificates and DNS answers over TCP
# span segments. The server side runs dnsmasq (DHCP and DNS), python3's http.server, openssl
# s_server (TLS 1.2 and 1.3, with SNI and ALPN) and tests/pcaps/textservers.py (FTP, SMTP,
# POP3, IMAP); the client side runs dhclient, curl, openssl s_client and python3. tcpdump on the
# client end writes OUTDIR/heldapp.pcap. Every wait is bounded; only processes started here are
# ended, by PID.
set -u
OUT=${1:?usage: heldout-app-captures.sh OUTDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
SRV="$HERE/../pcaps/textservers.py"
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd) || exit 1
WORK=$(mktemp -d)
A=hpa$$
B=hpb$$
PIDS=()
cleanup() {
    local p
    [ -s "$WORK/dhclient.pid" ] && kill "$(cat "$WORK/dhclient.pid")" 2>/dev/null
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    ip netns del $A 2>/dev/null
    ip netns del $B 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
ina() { ip netns exec $A "$@"; }
inb() { ip netns exec $B "$@"; }
# A server in the server namespace, in the background: ip netns exec execs it under the PID $!
# gives, so that cleanup's kill reaches it (through a function such as inb, $! would be a
# subshell's, and the server would outlive the script).
bg_server() {
    ip netns exec $B "$@" >/dev/null 2>&1 &
    PIDS+=($!)
    LAST=$!
}
wait_listen() { # PORT PROTO(t|u): until the server namespace listens, at most 5 s
    local i
    for ((i = 0; i < 50; i++)); do
        inb ss -Hl"$2"n "sport = :$1" | grep -q . && return 0
        sleep 0.1
    done
    echo "heldout-app-captures.sh: nothing listens on port $1" >&2
}
wait_pid() { # PID: until it ends, at most 10 s
    local i
    for ((i = 0; i < 100; i++)); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.1
    done
    kill "$1" 2>/dev/null
}

ip netns add $A
ip netns add $B
ip link add va netns $A address 00:16:3e:5a:00:01 type veth peer name vb netns $B address 00:16:3e:5a:00:02
for ns in $A $B; do
    ip -n $ns link set lo up
    ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip netns exec $ns ethtool -K "$([ $ns = $A ] && echo va || echo vb)" tx off rx off tso off gso off gro off >/dev/null 2>&1
done
ip -n $A link set va mtu 620 up
ip -n $B link set vb mtu 620 up
ip -n $B addr add 172.20.5.1/24 dev vb

cd "$WORK" || exit 1
openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -days 1 \
    -subj "/C=NL/O=Held Out Lab/CN=shop.heldout.test" 2>/dev/null
head -c 150000 /dev/urandom >photo.jpg
printf '<html><body>%s</body></html>\n' "$(head -c 3000 /dev/zero | tr '\0' 'w')" >index.html
printf 'Subject: held out\r\n\r\nA message that no test has seen.\r\n' >mail.txt

bg_server dnsmasq --keep-in-foreground --conf-file=/dev/null --user=root --group=root \
    --interface=vb --bind-interfaces --dhcp-authoritative --no-ping --no-resolv --no-hosts \
    --pid-file="$WORK/dnsmasq.pid" --dhcp-leasefile="$WORK/leases" \
    --dhcp-range=172.20.5.60,172.20.5.60,255.255.255.0,30m \
    --dhcp-option=option:router,172.20.5.254 --dhcp-option=option:dns-server,172.20.5.1 \
    --dhcp-option=option:domain-name,heldout.test \
    --host-record=shop.heldout.test,172.20.5.1 \
    --txt-record=long.heldout.test,"$(head -c 200 /dev/zero | tr '\0' 'a')","$(head -c 200 /dev/zero | tr '\0' 'b')","$(head -c 200 /dev/zero | tr '\0' 'c')"
wait_listen 67 u
wait_listen 53 u
bg_server bash -c "cd '$WORK' && exec python3 -m http.server 8080 --bind 172.20.5.1"
bg_server openssl s_server -accept 8443 -cert c.pem -key k.pem -www -quiet -alpn h2,http/1.1
bg_server python3 "$SRV" ftp 172.20.5.1 21 1
FTP_PID=$LAST
bg_server python3 "$SRV" smtp 172.20.5.1 25 1
SMTP_PID=$LAST
bg_server python3 "$SRV" pop3 172.20.5.1 110 1
POP_PID=$LAST
bg_server python3 "$SRV" imap 172.20.5.1 143 1
IMAP_PID=$LAST
for p in 8080 8443 21 25 110 143; do wait_listen $p t; done

# Not through ina(): a function run in the background is a subshell of its own, $! would be that
# subshell's PID, and the SIGINT that ends the capture below (ignored by a background subshell)
# would never reach tcpdump, leaving `wait` for ever. ip netns exec execs tcpdump in its place.
ip netns exec $A tcpdump -n -U -i va -s 0 -w "$OUT/heldapp.pcap" 2>/dev/null &
TCPDUMP=$!
PIDS+=($TCPDUMP)
sleep 1

# DHCP: discover, offer, request, ack; then a release.
cat >dhclient.conf <<'EOF'
send host-name "heldout-laptop";
request subnet-mask, broadcast-address, routers, domain-name, domain-name-servers, dhcp-lease-time;
EOF
timeout 15 ip netns exec $A dhclient -4 -1 -sf /bin/true -cf "$WORK/dhclient.conf" -lf "$WORK/dhclient.leases" \
    -pf "$WORK/dhclient.pid" va >"$WORK/dhclient.log" 2>&1 || cat "$WORK/dhclient.log" >&2
ina ip addr add 172.20.5.60/24 dev va 2>/dev/null # what the lease says; -sf /bin/true sets nothing
# DNS over UDP and, with a long answer, over TCP.
ina python3 - <<'EOF'
import socket, struct
def q(name, qtype, tcp, tid):
    body = struct.pack(">HHHHHH", tid, 0x0100, 1, 0, 0, 0)
    for part in name.split("."):
        body += bytes([len(part)]) + part.encode()
    body += b"\0" + struct.pack(">HH", qtype, 1)
    if tcp:
        s = socket.create_connection(("172.20.5.1", 53), timeout=2)
        s.sendall(struct.pack(">H", len(body)) + body)
        try:
            s.recv(65535)
        except OSError:
            pass
        s.close()
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(2)
        s.sendto(body, ("172.20.5.1", 53))
        try:
            s.recvfrom(65535)
        except OSError:
            pass
q("shop.heldout.test", 1, False, 0x1111)
q("nowhere.heldout.test", 28, False, 0x2222)
q("long.heldout.test", 16, True, 0x3333)
q("shop.heldout.test", 1, True, 0x4444)
EOF
# HTTP: one keep-alive connection with three requests, a POST with a body, a 404, a download.
ina curl -s -o /dev/null -o /dev/null -o /dev/null --max-time 5 \
    -H "User-Agent: Mozilla/5.0 (X11; Linux x86_64; held-out) Firefox/128.0" \
    -H "Accept-Language: nl-NL,nl;q=0.9,en;q=0.5" -H "X-Long: $(head -c 900 /dev/zero | tr '\0' 'h')" \
    http://172.20.5.1:8080/ http://172.20.5.1:8080/index.html http://172.20.5.1:8080/missing
ina curl -s -o /dev/null --max-time 5 -d "name=held&value=$(head -c 1500 /dev/zero | tr '\0' 'p')" \
    http://172.20.5.1:8080/form
ina curl -s -o /dev/null --max-time 5 http://172.20.5.1:8080/photo.jpg
# TLS 1.2 and 1.3 with a server name and ALPN.
for v in -tls1_2 -tls1_3; do
    printf 'GET / HTTP/1.0\r\n\r\n' | timeout 5 ip netns exec $A openssl s_client $v \
        -connect 172.20.5.1:8443 -servername shop.heldout.test -alpn http/1.1 -quiet >/dev/null 2>&1
done
# FTP, SMTP, POP3, IMAP.
ina curl -s -o /dev/null --max-time 5 --disable-epsv ftp://u:p@172.20.5.1/hello.txt
wait_pid $FTP_PID
ina curl -s --max-time 5 smtp://172.20.5.1/laptop.heldout.test --mail-from carol@heldout.test \
    --mail-rcpt dave@heldout.test -T mail.txt
wait_pid $SMTP_PID
ina curl -s -o /dev/null --max-time 5 -u carol:pw pop3://172.20.5.1/1
wait_pid $POP_PID
ina curl -s -o /dev/null --max-time 5 -u carol:pw 'imap://172.20.5.1/INBOX;UID=1'
wait_pid $IMAP_PID
timeout 10 ip netns exec $A dhclient -4 -r -sf /bin/true -cf "$WORK/dhclient.conf" -lf "$WORK/dhclient.leases" \
    -pf "$WORK/dhclient.pid" va >/dev/null 2>&1
sleep 1
kill -INT $TCPDUMP
wait $TCPDUMP 2>/dev/null
ls -la "$OUT/heldapp.pcap"
