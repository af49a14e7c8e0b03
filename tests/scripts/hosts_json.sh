#!/usr/bin/env bash
# --hosts=json checked with jq (issue 15 deliverable 1): the keys every host has, the subnet and
# its source (DHCP, --subnet, inferred), the gateway and its evidence, remote hosts reached
# through it, -Y narrowing the hosts but not the subnet, the ARP conflict, and --subnet's
# usage errors. The golden files (golden.sh hosts-*) hold the whole outputs.
set -u
SRC=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
P=${PKTSCOPE:-$SRC/build/pktscope}
PCAPS=$SRC/tests/pcaps
export TZ=UTC LC_ALL=C
command -v jq >/dev/null || { echo "SKIP: jq is not installed"; exit 77; }
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
T=$(mktemp -d "${TMPDIR:-/tmp}/pktscope-hosts.XXXXXX")
trap 'rm -rf "$T"' EXIT

expect() { # description file jq-expression: the expression must print true
  local got
  got=$(jq -e "$3" "$2" 2>&1) || { fail "$1: jq '$3' gave ${got:-nothing}"; return; }
}

run() { # out args...
  local out=$1
  shift
  "$P" "$@" >"$out" 2>"$T/err" </dev/null || fail "pktscope $*: exit $?: $(head -c 300 "$T/err")"
}

# The classroom: DHCP names the subnet and the router, the router carries the remote server.
run "$T/c.json" -r "$PCAPS/classroom.pcap" --hosts=json
expect "every host has the keys" "$T/c.json" \
  '[.hosts[] | has("mac") and has("vendor") and has("ipv4") and has("ipv6") and has("roles") and has("local")] | all'
expect "roles are client/server/gateway" "$T/c.json" \
  '[.hosts[].roles[] | IN("client", "server", "gateway")] | all'
expect "subnet from DHCP" "$T/c.json" \
  '.subnets == [{"subnet":"192.168.1.0/24","source":"dhcp","frame":4,"assigned":"192.168.1.130","router":"192.168.1.1","how":.subnets[0].how}]'
expect "one gateway, the router" "$T/c.json" \
  '[.hosts[] | select(.roles | index("gateway")) | .mac] == ["00:1e:7a:0a:00:01"]'
expect "gateway evidence" "$T/c.json" \
  '.hosts[] | select(.mac == "00:1e:7a:0a:00:01") | .gateway | .carries == 1 and .arp_frame == 12 and .dhcp_router_frame == 4 and .address == "192.168.1.1"'
expect "the server is remote, through the router" "$T/c.json" \
  '.hosts[] | select(.ipv4[0].addr == "198.51.100.10") | .mac == null and .local == false and .via == "00:1e:7a:0a:00:01" and (.roles == ["server"])'
expect "the client is a client of http and dns" "$T/c.json" \
  '.hosts[] | select(.mac == "00:1b:21:0a:00:01") | [.client_of[] | select(.peer == "198.51.100.10") | .service] == ["domain", "http"]'
expect "the neighbour is local, answered ARP in frame 6" "$T/c.json" \
  '(.hosts[] | select(.mac == "dc:a6:32:0a:00:14") | .local) and (.arp[] | select(.ip == "192.168.1.20") | .frame == 6)'
expect "no conflict, nothing evicted" "$T/c.json" '.arp_conflicts == 0 and .evicted == 0'

# -Y narrows the hosts; the DHCP lease still names the subnet.
run "$T/y.json" -r "$PCAPS/classroom.pcap" --hosts=json -Y icmp
expect "-Y icmp: two hosts" "$T/y.json" \
  '[.hosts[].mac] == ["00:1b:21:0a:00:01", "dc:a6:32:0a:00:14"] and .subnets[0].source == "dhcp" and .arp == []'

# --subnet wins over inference; IPv6 too.
run "$T/s.json" -r "$PCAPS/ping.pcap" --hosts=json --subnet 10.0.0.0/30
expect "--subnet given" "$T/s.json" '.subnets == [{"subnet":"10.0.0.0/30","source":"given","how":"given with --subnet"}]'
run "$T/i.json" -r "$PCAPS/ping.pcap" --hosts=json
expect "inferred from ARP" "$T/i.json" '.subnets[0].subnet == "10.0.0.0/24" and .subnets[0].source == "inferred"'
run "$T/6.json" -r "$PCAPS/ipv6-nd.pcap" --hosts=json --subnet 2001:db8::1/64
expect "--subnet IPv6, host bits cleared" "$T/6.json" \
  '.subnets[0].subnet == "2001:db8::/64" and ([.hosts[].local] | all)'

# The ARP-spoofing lesson: two MACs for 192.0.2.1, the second one carries the traffic.
run "$T/a.json" -r "$PCAPS/crafted/arp-conflict.pcap" --hosts=json
expect "conflict flagged" "$T/a.json" \
  '.arp_conflicts == 1 and ([.arp[] | select(.conflict) | .mac] == ["00:1e:7a:0a:00:01", "02:de:ad:be:ef:01"])'
expect "the spoofer is the gateway by its traffic" "$T/a.json" \
  '[.hosts[] | select(.roles | index("gateway")) | .mac] == ["02:de:ad:be:ef:01"]'

# Usage errors.
for bad in 192.0.2.0 192.0.2.0/33 2001:db8::/129 nonsense/8 /24; do
  "$P" -r "$PCAPS/ping.pcap" --hosts --subnet "$bad" >/dev/null 2>"$T/err"
  rc=$?
  [ "$rc" = 2 ] || fail "--subnet $bad: exit $rc, wanted 2"
  grep -q "^pktscope: --subnet: '$bad' is not a subnet" "$T/err" || fail "--subnet $bad: $(cat "$T/err")"
done
"$P" -r "$PCAPS/ping.pcap" --hosts=xml >/dev/null 2>"$T/err"
[ $? = 2 ] && grep -q "hosts wants text or json" "$T/err" || fail "--hosts=xml: $(cat "$T/err")"
"$P" -r "$PCAPS/ping.pcap" --hosts --conns >/dev/null 2>"$T/err"
[ $? = 2 ] || fail "--hosts --conns should be a usage error"

[ "$fails" = 0 ] && echo "ok: --hosts=json" || exit 1
