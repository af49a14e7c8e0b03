#!/usr/bin/env bash
# bench/make-real.sh OUT.pcap MB: a capture of real programs' traffic for the benchmark (issue 11
# asks for one beside the generated capture), about MB megabytes.
#
# Two network namespaces joined by a veth pair (MTU 1500, offloads off so that the capture holds
# the segments as sent): the server side runs python3's http.server (files of 2 KB, 40 KB,
# 400 KB and 4 MB), openssl s_server -www (TLS 1.3) and dnsmasq (DNS for bench.test); the client
# side runs four loops of curl, each fetching a random file by name (a DNS query, a TCP
# connection with its handshake, data and close, over HTTP or HTTPS), and ping. tcpdump on the
# client's veth writes OUT until it holds MB megabytes (or 600 s pass). Needs root, ip, tcpdump,
# curl, python3, openssl, dnsmasq and ethtool; every process started here is ended by its PID and
# the namespaces are removed at the end.
set -euo pipefail
OUT=${1:?out.pcap}
MB=${2:?megabytes}
for tool in ip tcpdump curl python3 openssl dnsmasq ethtool; do
    command -v "$tool" >/dev/null || { echo "make-real.sh: $tool is missing" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "make-real.sh: needs root (network namespaces)" >&2; exit 2; }
A=pktbench-cli-$$
B=pktbench-srv-$$
WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    sleep 0.3
    ip netns del "$A" 2>/dev/null || true
    ip netns del "$B" 2>/dev/null || true
    rm -rf "$WORK" "/etc/netns/$A"
}
trap cleanup EXIT
ina() { ip netns exec "$A" "$@"; }
inb() { ip netns exec "$B" "$@"; }

ip netns add "$A"
ip netns add "$B"
ip link add va netns "$A" type veth peer name vb netns "$B"
for ns in "$A" "$B"; do
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
ina ethtool -K va tx off rx off tso off gso off gro off >/dev/null 2>&1
inb ethtool -K vb tx off rx off tso off gso off gro off >/dev/null 2>&1
ip -n "$A" addr add 172.21.0.2/24 dev va
ip -n "$B" addr add 172.21.0.1/24 dev vb
ip -n "$A" link set va up
ip -n "$B" link set vb up
# ip netns exec bind-mounts this over /etc/resolv.conf: the client's names go to dnsmasq.
mkdir -p "/etc/netns/$A"
echo "nameserver 172.21.0.1" >"/etc/netns/$A/resolv.conf"

cd "$WORK"
for kb in 2 40 400 4000; do head -c $((kb * 1024)) /dev/urandom >"f$kb.bin"; done
openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -days 1 \
    -subj "/CN=www.bench.test" 2>/dev/null
ip netns exec "$B" dnsmasq --keep-in-foreground --conf-file=/dev/null --user=root --group=root \
    --interface=vb --bind-interfaces --no-resolv --no-hosts --port=53 \
    --host-record=www.bench.test,172.21.0.1 --host-record=files.bench.test,172.21.0.1 \
    --host-record=tls.bench.test,172.21.0.1 &
PIDS+=($!)
ip netns exec "$B" python3 -m http.server 8080 --bind 172.21.0.1 >/dev/null 2>&1 &
PIDS+=($!)
ip netns exec "$B" openssl s_server -accept 8443 -cert c.pem -key k.pem -www -quiet >/dev/null 2>&1 &
PIDS+=($!)
sleep 1

ip netns exec "$A" tcpdump -n -U -i va -s 0 -w "$OUT" 2>/dev/null &
TCPDUMP=$!
PIDS+=($TCPDUMP)
sleep 1
ip netns exec "$A" ping -q -i 0.2 172.21.0.1 >/dev/null 2>&1 &
PIDS+=($!)
for w in 1 2 3 4; do
    (
        hosts=(www.bench.test files.bench.test)
        sizes=(2 2 40 40 400 4000)
        for ((i = 0; i < 200000; i++)); do
            if ((i % 7 == 3)); then
                ina curl -sk -o /dev/null --max-time 5 "https://tls.bench.test:8443/" || true
            else
                ina curl -s -o /dev/null --max-time 10 \
                    "http://${hosts[i % 2]}:8080/f${sizes[(i * w) % 6]}.bin" || true
            fi
        done
    ) &
    PIDS+=($!)
done
want=$((MB * 1000 * 1000))
for ((t = 0; t < 1200; t++)); do
    [ "$(stat -c %s "$OUT" 2>/dev/null || echo 0)" -ge "$want" ] && break
    sleep 0.5
done
kill -INT "$TCPDUMP" 2>/dev/null || true
for ((t = 0; t < 50; t++)); do kill -0 "$TCPDUMP" 2>/dev/null || break; sleep 0.1; done
echo "make-real.sh: $(stat -c %s "$OUT") bytes in $OUT" >&2
