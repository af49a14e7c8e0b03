#!/usr/bin/env bash
# tshark 4.0 is the oracle for pktscope's tshark habits (main/main.c "tsharkhabits"): where the
# output is meant to be identical, it is compared byte for byte with tshark's on the same capture.
#   -T fields -e ... [-E ...]  a set of fields whose values both decode alike, with the -E
#                              options (header, separator, quote, occurrence, aggregator)
#   -q -z conv,tcp|udp|ip|ipv6|eth  the conversation tables (several -z: tshark's order)
#   -q -z io,phs               protocol hierarchy, on captures whose frame.protocols agree with
#                              tshark's (elsewhere pktscope says "data" where tshark names echo,
#                              data-text-lines, ...: the field oracle lists those differences)
#   -q -z follow,tcp|udp,ascii|hex|raw,N  a stream's payload, on captures without lost or
#                              reordered segments (tshark's follow reorders by sequence number
#                              and waits for a gap to fill; pktscope writes capture order)
# Unknown -e names and bad -z/-E/-T arguments are usage errors (exit 2).
# Exit status: 0 pass, 1 fail, 77 skipped (no tshark; a failure under CI=true).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
P=${PKTSCOPE:-$SRCDIR/build/pktscope}
PCAPS=$SRCDIR/tests/pcaps
export TZ=UTC LC_ALL=C
. "$SRCDIR/tests/scripts/lib/skip.sh"
command -v tshark >/dev/null 2>&1 || skip "oracle_tshark_habits: no tshark"
[ -x "$P" ] || { echo "oracle_tshark_habits: no pktscope binary at $P" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/pktscope-habits.XXXXXX")
trap 'rm -rf "$T"' EXIT
fails=0 checked=0

same() { # label, then the arguments both programs get after -r FILE (FILE is $cap)
  local label=$1
  shift
  checked=$((checked + 1))
  (cd "$PCAPS" && "$P" -r "$cap" "$@" >"$T/ps" 2>"$T/ps.err")
  (cd "$PCAPS" && tshark -n -r "$cap" "$@" >"$T/ts" 2>/dev/null)
  if ! cmp -s "$T/ps" "$T/ts"; then
    echo "FAIL: $cap $label: pktscope and tshark differ (< pktscope, > tshark)"
    diff "$T/ps" "$T/ts" | head -n 10
    head -c 300 "$T/ps.err"
    fails=$((fails + 1))
  fi
}

# Fields both decode alike on these captures (the field oracle, compare.py, holds the others).
FIELDS="frame.number frame.time_epoch frame.time_relative frame.time_delta frame.len frame.cap_len
eth.src eth.dst eth.type vlan.id vlan.etype sll.pkttype arp.opcode arp.src.proto_ipv4
ip.src ip.dst ip.id ip.flags ip.flags.df ip.ttl ip.proto ip.checksum ip.dsfield ipv6.src
ipv6.dst ipv6.nxt ipv6.tclass ipv6.flow icmp.type icmp.seq icmpv6.type tcp.srcport tcp.dstport
tcp.stream tcp.seq tcp.ack tcp.len tcp.flags tcp.flags.syn tcp.flags.ack tcp.window_size_value
tcp.option_kind tcp.options.sack_perm tcp.options.mss_val udp.srcport udp.dstport udp.length
udp.stream dns.id dns.flags dns.qry.name dns.qry.type dns.a dns.aaaa http.request.method
http.request.uri http.request.line http.response.code http.host"
E=()
for f in $FIELDS; do E+=(-e "$f"); done

for cap in http-get.pcap http-ipv6.pcap dns.pcap lossy.pcap ping.pcap vlan.pcap sll.pcap \
           ipv6-nd.pcap udp.pcap refused.pcap; do
  same "-T fields (all)" -T fields "${E[@]}"
done
cap=http-get.pcap
same "-E header=y separator=, quote=d" -T fields "${E[@]}" -E header=y -E separator=, -E quote=d
same "-E occurrence=f" -T fields -e frame.number -e tcp.option_kind -e http.request.line -E occurrence=f
same "-E occurrence=l aggregator=/s separator=/s" -T fields -e frame.number -e tcp.option_kind \
  -e http.request.line -E occurrence=l -E aggregator=/s -E separator=/s
same "-E occurrence=f quote=s" -T fields -e tcp.option_kind -e ip.src -E occurrence=f -E quote=s
same "-T fields -Y" -Y "tcp.len > 0" -T fields -e frame.number -e tcp.stream -e tcp.seq -e tcp.len

# Checksum statuses as both leave them by default (issue 12): IPv4/TCP/UDP 2 (Unverified) on a
# capture whose checksums the sender left to its NIC, and ICMP's verified, on real damage too.
CSUMS="-e frame.number -e ip.checksum.status -e tcp.checksum.status -e udp.checksum.status
-e icmp.checksum.status -e icmpv6.checksum.status"
for cap in loopback-offload.pcap crafted/bad-checksums.pcap ping.pcap; do
  # shellcheck disable=SC2086
  same "-T fields checksum statuses" -T fields $CSUMS
  same "-Y tcp/udp.checksum.status == 2" -Y "tcp.checksum.status == 2 || udp.checksum.status == 2" \
    -T fields -e frame.number
done

for cap in http-get.pcap dns.pcap lossy.pcap http-ipv6.pcap many-short.pcap vlan.pcap \
           udp.pcap ping.pcap; do
  same "-z conv,tcp" -q -z conv,tcp
  same "-z conv,udp -z conv,ip" -q -z conv,udp -z conv,ip
  same "-z conv,eth -z conv,ipv6" -q -z conv,eth -z conv,ipv6
done

for cap in dns.pcap ipv6-nd.pcap; do
  same "-z io,phs" -q -z io,phs
done
cap=dns.pcap
same "-z conv,udp -z io,phs -z conv,ip (order)" -q -z conv,udp -z io,phs -z conv,ip
same "-z io,phs -z conv,tcp (order)" -q -z io,phs -z conv,tcp

for cap in http-get.pcap http-keepalive.pcap http-pipeline.pcap dns-tcp.pcap ftp.pcap \
           smtp.pcap imap.pcap tls12.pcap; do
  for m in ascii hex raw; do
    same "-z follow,tcp,$m,0" -q -z follow,tcp,$m,0
  done
done
for cap in dns.pcap udp.pcap; do
  for m in ascii hex raw; do
    same "-z follow,udp,$m,0" -q -z follow,udp,$m,0
  done
done
cap=ftp.pcap
same "-z follow,tcp,ascii,1" -q -z follow,tcp,ascii,1
same "-z follow,tcp,ascii,99 (no such stream)" -q -z follow,tcp,ascii,99
cap=dns-tcp.pcap
same "-z conv,udp -z follow,tcp,ascii,0 -z io,phs -z conv,ip (order)" -q -z conv,udp \
  -z follow,tcp,ascii,0 -z io,phs -z conv,ip

# Usage errors: exit 2 with one message (and the nearest names for a misspelt field).
checked=$((checked + 1))
"$P" -r "$PCAPS/http-get.pcap" -T fields -e ip.srcx >/dev/null 2>"$T/err"
rc=$?
if [ $rc -ne 2 ] || ! grep -q "did you mean ip.src" "$T/err"; then
  echo "FAIL: -e ip.srcx: exit $rc, wanted 2 with a suggestion; got: $(cat "$T/err")"
  fails=$((fails + 1))
fi
for bad in "-T fields" "-T ek -e ip.src" "-T fields -e ip.src -E quote=x" "-z conv,sctp" \
            "-T fields -e ip.src -E occurrence=2" "-z io,phs,ip" "-z follow,sctp,ascii,0" \
            "-z follow,tcp,ebcdic,0" "-z follow,tcp,ascii" "-z follow,tcp,ascii,x" \
            "-T fields -e ip" "-E header=y"; do
  checked=$((checked + 1))
  # shellcheck disable=SC2086
  "$P" -r "$PCAPS/http-get.pcap" $bad >/dev/null 2>"$T/err"
  rc=$?
  if [ $rc -ne 2 ] || [ ! -s "$T/err" ]; then
    echo "FAIL: '$bad': exit $rc, wanted 2 with a message"
    fails=$((fails + 1))
  fi
done

echo "oracle_tshark_habits: $checked checks, $fails failures"
[ $fails -eq 0 ]
