#!/usr/bin/env bash
# Golden tests: every capture in the list below goes through the batch outputs (--print, -V,
# --json; --hex, tcpdump's -x -X -A and --stats for a few) under TZ=UTC LC_ALL=C, and each
# output is diffed against its reviewed expected file tests/golden/<name>.<mode>. The exit
# status and standard error of each capture are kept in tests/golden/<name>.status and checked
# too: a damaged file must exit 1 with exactly one message naming the file and the byte
# offset; a file that is not a capture exits 2.
#
# Regenerate after a deliberate change, then READ the diff (`git diff tests/golden`) and check
# the values against tshark before committing:
#     REGEN=1 tests/scripts/golden.sh [NAME...]     or     tests/scripts/golden.sh --regen [NAME...]
# PKTSCOPE defaults to build/pktscope; NAME is a golden name such as http-get or crafted-qinq.
set -u
SRC=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
P=${PKTSCOPE:-$SRC/build/pktscope}
export TZ=UTC LC_ALL=C
unset NO_COLOR
GOLD=$SRC/tests/golden
PCAPS=$SRC/tests/pcaps
regen=${REGEN:-0}
if [ "${1:-}" = "--regen" ]; then
  regen=1
  shift
fi
[ -x "$P" ] || { echo "golden.sh: no pktscope binary at $P (set PKTSCOPE)"; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/pktscope-golden.XXXXXX")
trap 'rm -rf "$T"' EXIT
# The user's settings file must not change what the goldens see (it could set columns).
export XDG_CONFIG_HOME=$T/config

# name | file (relative to tests/pcaps) | expected exit status | modes
CASES="
http-get|http-get.pcap|0|print V json x stats
http-ipv6|http-ipv6.pcap|0|print V json
refused|refused.pcap|0|print V json
half-close|half-close.pcap|0|print V json
rst-abort|rst-abort.pcap|0|print V json
lossy|lossy.pcap|0|print json stats
many-short|many-short.pcap|0|print stats
dns|dns.pcap|0|print V json
ping|ping.pcap|0|print V json x
udp|udp.pcap|0|print V json
vlan|vlan.pcap|0|print V json
sll|sll.pcap|0|print V json
sll2|sll2.pcap|0|print V json
ipv6-nd|ipv6-nd.pcap|0|print V json stats
simopen|simopen.pcap|0|print V json
simclose|simclose.pcap|0|print json
keepalive|keepalive.pcap|0|print json
zerowin|zerowin.pcap|0|print json stats
crafted-pcap-nsec|crafted/pcap-nsec.pcap|0|print json
crafted-pcap-be|crafted/pcap-be.pcap|0|print json
crafted-pcap-be-nsec|crafted/pcap-be-nsec.pcap|0|print json
crafted-pcap-v22-swapped|crafted/pcap-v22-swapped.pcap|0|print json
crafted-pcap-linktype-fcs-bits|crafted/pcap-linktype-fcs-bits.pcap|0|print
crafted-caplen-gt-snaplen|crafted/caplen-gt-snaplen.pcap|0|print json
crafted-snaplen-short|crafted/snaplen-short.pcap|0|print V json
crafted-ng-two-sections|crafted/ng-two-sections.pcapng|0|print json stats
crafted-ng-two-linktypes|crafted/ng-two-linktypes.pcapng|0|print V json stats
crafted-ng-tsresol|crafted/ng-tsresol.pcapng|0|print json
crafted-ng-ts-wrap|crafted/ng-ts-wrap.pcapng|0|print stats
crafted-ng-spb-obsolete|crafted/ng-spb-obsolete.pcapng|0|print json
crafted-ng-comments|crafted/ng-comments.pcapng|0|print V
crafted-ng-blocks|crafted/ng-blocks.pcapng|0|print stats
crafted-ipv4-options|crafted/ipv4-options.pcap|0|print V json x
crafted-ipv4-fragments|crafted/ipv4-fragments.pcap|0|print V json
crafted-frag-overlap|crafted/frag-overlap.pcap|0|print V json stats
crafted-tcp-out-of-order|crafted/tcp-out-of-order.pcap|0|print stats
crafted-frag6-reverse|crafted/frag6-reverse.pcap|0|print V json x
crafted-frag-past-max|crafted/frag-past-max.pcap|0|print json
crafted-rare-bits|crafted/rare-bits.pcap|0|print V json
crafted-icmp-quotes|crafted/icmp-quotes.pcap|0|V json
crafted-frag-incomplete|crafted/frag-incomplete.pcap|0|print stats
# checksums (issue 12): unverified by default as in Wireshark (ICMP's verified); with --checksums
# (the *cs modes) real damage is bad and a checksum left to the NIC is tcp/udp.checksum_offload
crafted-bad-checksums|crafted/bad-checksums.pcap|0|print V json stats printcs Vcs jsoncs
loopback-offload|loopback-offload.pcap|0|print V json printcs Vcs jsoncs statscs
crafted-tcp-truncated|crafted/tcp-truncated.pcap|0|print V json stats
crafted-qinq|crafted/qinq.pcap|0|print V json
crafted-llc|crafted/llc.pcap|0|print V json
crafted-ntp|crafted/ntp.pcap|0|print V json
# tsharkhabits: -T fields, tcpdump -e, -z conv, io,phs, follow (READ against tshark/tcpdump;
# the http-get phs has no data-text-lines: pktscope does not decode the body's media type;
# lossy's follow is in capture order, tshark's in sequence order once the gap is filled)
habits-http-get|http-get.pcap|0|fields e conv phs follow followhex
habits-vlan|vlan.pcap|0|e
habits-sll|sll.pcap|0|e
habits-crafted-llc|crafted/llc.pcap|0|e
habits-dns|dns.pcap|0|fields conv phs followudp
habits-lossy|lossy.pcap|0|conv follow
# end tsharkhabits
# TLS (tls.c)
tls12|tls12.pcap|0|print V json
tls13|tls13.pcap|0|print V json
tls12-mss|tls12-mss.pcap|0|print json
# the server's Certificate over four records of at most 512 bytes, in three frames (READ against
# tshark: frame 8 [Certificate Fragment], frame 10's Info empty, frame 12 the reassembled message
# with its fragments in frames 8, 10, 12, 12; -2: tls.handshake.reassembled_in 12 on 8, 10, 12)
tls12-fragments|tls12-fragments.pcap|0|print V json
two-pass-tls12-fragments|tls12-fragments.pcap|0|twopasstls
# with MTU 9000: the Certificate's four records in one frame (READ against tshark: -2 says frame 6
# three times, once for each record but the last, byte for byte tshark -2's)
tls12-fragments-jumbo|tls12-fragments-jumbo.pcap|0|print
two-pass-tls12-fragments-jumbo|tls12-fragments-jumbo.pcap|0|twopasstls
# handshake messages spanning records at their edges (craft.py; READ against tshark: Info of
# every frame, and -2 byte for byte): a header split across records, a fragment that is not the
# record's first message, one of unknown type, one continued after a ChangeCipherSpec
crafted-tls-fragments|crafted/tls-fragments.pcap|0|print V json
# an HTTP response of 66,000 bytes in two segments (craft.py; READ against tshark -V: the
# reassembled data and the body's data of 66000 and 65918 bytes, not cut at 65535)
crafted-http-64k|crafted/http-64k.pcap|0|print V
two-pass-crafted-tls-fragments|crafted/tls-fragments.pcap|0|twopasstls
tls12-jumbo|tls12-jumbo.pcap|0|print V json
crafted-tls|crafted/tls.pcap|0|print V json
dhcp|dhcp.pcap|0|print V json
crafted-dhcp|crafted/dhcp.pcap|0|print V json
# issue 15 (explain): ARP asked again, its reply, probe, announcement, gratuitous reply; UDP,
# port unreachable and time exceeded with their quotes; ping across 8 routers; classes A-D
crafted-explain|crafted/explain.pcap|0|print V json
ftp|ftp.pcap|0|print V json
smtp|smtp.pcap|0|print V json
pop3|pop3.pcap|0|print V json
imap|imap.pcap|0|print V json
telnet|telnet.pcap|0|print V json
ssh|ssh.pcap|0|print V json
crafted-textproto|crafted/textproto.pcap|0|print V json
# SMTP, POP3 and IMAP split across segments (tests/pcaps/make-linereasm.sh); printnr: the
# per-segment view of --no-reassembly
smtp-pieces|smtp-pieces.pcap|0|print V json printnr
pop3-pieces|pop3-pieces.pcap|0|print V json
imap-pieces|imap-pieces.pcap|0|print V json printnr
smtp-hole|smtp-hole.pcap|0|print json
imap-hole|imap-hole.pcap|0|print json
crafted-null-le|crafted/null-le.pcap|0|print json
crafted-null-be|crafted/null-be.pcap|0|print json
crafted-null-swapped|crafted/null-swapped.pcap|0|print json
crafted-loop|crafted/loop.pcap|0|print json
crafted-raw-228|crafted/raw-228.pcap|0|print json
crafted-raw-229|crafted/raw-229.pcap|0|print json
crafted-raw-101|crafted/raw-101.pcap|0|print V
crafted-raw-12|crafted/raw-12.pcap|0|print
crafted-linktype-unknown|crafted/linktype-unknown.pcap|0|print V
crafted-http-get-snap64|crafted/http-get-snap64.pcap|0|print V json
crafted-dns-snap60|crafted/dns-snap60.pcap|0|print V json
# HTTP/1.x in full and request/response pairing (tests/pcaps/make-http.sh, craft.py)
http-keepalive|http-keepalive.pcap|0|print V json
http-pipeline|http-pipeline.pcap|0|print V json
dns-tcp|dns-tcp.pcap|0|print V json
crafted-http|crafted/http.pcap|0|print V json
# HTTP found by content on port 18080, headers and body in separate segments (READ against tshark:
# frames 6 and 7 are segments of the response that frame 8 completes; without reassembly frame 6
# is the response and 7, 8 continuations)
crafted-http-by-content|crafted/http-by-content.pcap|0|print printnr json
crafted-ipv6-nd-snap70|crafted/ipv6-nd-snap70.pcap|0|print json
crafted-http-get-cut|crafted/http-get-cut.pcap|1|print json
crafted-trunc-record-header|crafted/trunc-record-header.pcap|1|print json
crafted-trunc-record-data|crafted/trunc-record-data.pcap|1|print json
crafted-caplen-huge|crafted/caplen-huge.pcap|1|print
crafted-caplen-gt-len|crafted/caplen-gt-len.pcap|0|print json
crafted-ng-trunc-block|crafted/ng-trunc-block.pcapng|1|print
crafted-ng-bad-block-len|crafted/ng-bad-block-len.pcapng|1|print
crafted-ng-bad-trailer|crafted/ng-bad-trailer.pcapng|1|print
crafted-ng-epb-unknown-iface|crafted/ng-epb-unknown-iface.pcapng|1|print
crafted-trunc-file-header|crafted/trunc-file-header.pcap|1|print
crafted-not-a-capture|crafted/not-a-capture.txt|2|print
crafted-empty|crafted/empty.pcap|2|print
snmp|snmp.pcap|0|print V json
crafted-snmp|crafted/snmp.pcap|0|print V json
# tcpdump habits: -x -xx -X -XX -A -q -v -tttt --stats=json (tests/scripts/tcpdump_habits.sh
# compares the dumps, -v's IP header and -tttt with tcpdump's; stats_json.sh the JSON's numbers
# with the text's)
vlan-dumps|vlan.pcap|0|dx dxx dX dXX dA
crafted-llc-dumps|crafted/llc.pcap|0|dx dXX dA
http-get-dumps|http-get.pcap|0|dX dA q v
http-ipv6-tcpdump|http-ipv6.pcap|0|q v
dns-tcpdump|dns.pcap|0|q tttt
crafted-ipv4-fragments-tcpdump|crafted/ipv4-fragments.pcap|0|q v
crafted-bad-checksums-tcpdump|crafted/bad-checksums.pcap|0|v vcs
crafted-frag6-reverse-tcpdump|crafted/frag6-reverse.pcap|0|q v
lossy-tcpdump|lossy.pcap|0|statsjson
crafted-frag-overlap-tcpdump|crafted/frag-overlap.pcap|0|statsjson
# end tcpdump habits
# colorrules: --print --color=always, each row in its Wireshark colouring rule's colour (READ
# against tshark -n -r FILE --color on a terminal: the same rule for every row)
colors-rst-abort|rst-abort.pcap|0|color
colors-refused|refused.pcap|0|color
colors-ping|ping.pcap|0|color
colors-lossy|lossy.pcap|0|color
colors-ipv6-nd|ipv6-nd.pcap|0|color
colors-dns|dns.pcap|0|color
colors-crafted-bad-checksums|crafted/bad-checksums.pcap|0|color colorcs
colors-loopback-offload|loopback-offload.pcap|0|color colorcs
colors-crafted-llc|crafted/llc.pcap|0|color
# end colorrules
# columns: --print --columns, tab-separated (READ the field cells against tshark -T fields -e
# with the same names: they must agree)
columns-http-get|http-get.pcap|0|columns
columns-dns|dns.pcap|0|columns
columns-lossy|lossy.pcap|0|columnstcp
# end columns
# -2: where earlier fragments and segments were reassembled (READ against tshark -2)
two-pass-ping|ping.pcap|0|twopass
two-pass-tls12-mss|tls12-mss.pcap|0|twopassfields
# answered: where requests were answered (READ against tshark -2 -T fields -e http.response_in
# -e dns.response_in -e icmp.resp_in -e icmpv6.resp_in; pktscope.arp.reply_in is pktscope's own)
two-pass-answers-ping|ping.pcap|0|twopassanswers twopassV
two-pass-answers-dns|dns.pcap|0|twopassanswers twopassV
two-pass-answers-http-keepalive|http-keepalive.pcap|0|twopassanswers
two-pass-answers-ipv6-nd|ipv6-nd.pcap|0|twopassanswers
# -2 --json: the ARP request carries who answered with which MAC (a late field's MAC)
two-pass-answers-classroom|classroom.pcap|0|twopassjson
two-pass-answers-dns-noreasm|dns.pcap|0|twopassanswersnr
# end answered
# hosts (issue 15): hosts, subnets (DHCP, inferred), the gateway and its evidence, the ARP table
hosts-classroom|classroom.pcap|0|hosts hostsjson
hosts-classroom-server|classroom-server.pcap|0|hosts hostsjson
hosts-ping|ping.pcap|0|hosts hostsjson
hosts-dhcp|dhcp.pcap|0|hosts
hosts-ipv6-nd|ipv6-nd.pcap|0|hosts
hosts-sll|sll.pcap|0|hosts
hosts-crafted-arp-conflict|crafted/arp-conflict.pcap|0|hosts hostsjson
# The subnet test in -V (issue 15 item 3): the addresses and mask in binary, the ANDs, the
# verdict tied to the destination MAC's ARP (READ each verdict against the capture: the subnet
# from DHCP in classroom.pcap, given with --subnet for the others)
subnet-classroom|classroom.pcap|0|V
subnet-classroom-server|classroom-server.pcap|0|Vsubnet
subnet-ping|ping.pcap|0|Vsubnet
# IPv6 (classroom6.pcap, make-classroom6.sh): the prefix from the RA in frame 1, the MACs from
# neighbour discovery (NA in frame 3 for the neighbour, the RA for the router); multicast and
# link-local explained; a wrong /32 given: the same verdicts no longer match the MACs
subnet-classroom6|classroom6.pcap|0|V
subnet-classroom6-32|classroom6.pcap|0|Vsubnet32
hosts-classroom6|classroom6.pcap|0|hosts hostsjson
# end hosts
# quiz (issue 15): the worksheet and its answers, two seeds (quiz_oracle.sh checks the answers
# against tshark)
quiz-classroom|classroom.pcap|0|quiz quizanswers quiz7 quizanswers7
# end quiz
"

fails=0
checked=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

mode_args() {
  case $1 in
    print) echo --print ;;
    printnr) echo --print --no-reassembly ;;
    V) echo -V ;;
    x) echo --hex ;;
    # tcpdump habits
    dx) echo -x ;;
    dxx) echo -xx ;;
    dX) echo -X ;;
    dXX) echo -XX ;;
    dA) echo -A ;;
    q) echo -q ;;
    v) echo -v ;;
    tttt) echo -tttt ;;
    statsjson) echo --stats=json ;;
    # end tcpdump habits
    json) echo --json ;;
    stats) echo --stats ;;
    # tsharkhabits: tshark's -T fields and -z, tcpdump's -e
    fields) echo -T fields -E header=y -e frame.number -e frame.time_relative -e eth.src \
      -e eth.type -e ip.src -e ip.dst -e ip.flags -e tcp.stream -e tcp.seq -e tcp.flags \
      -e tcp.option_kind -e http.request.line -e http.response.code -e dns.qry.name -e dns.a ;;
    e) printf '%s\n' -e ;;
    conv) echo -q -z conv,tcp -z conv,udp -z conv,ip -z conv,ipv6 -z conv,eth ;;
    phs) echo -q -z io,phs ;;
    follow) echo -q -z follow,tcp,ascii,0 ;;
    followhex) echo -q -z follow,tcp,hex,0 ;;
    followudp) echo -q -z follow,udp,raw,0 ;;
    # end tsharkhabits
    color) echo --print --color=always ;; # colorrules
    # columns
    columns) echo --print --columns=no,time,source,destination,ip.ttl,tcp.flags.syn,tcp.stream,http.host,dns.qry.name,dns.a,length,info ;;
    columnstcp) echo --print --time=delta --columns=No.,TIME,Protocol,tcp.stream,tcp.seq,tcp.ack,tcp.len,tcp.analysis.retransmission,phase,Info ;;
    # end columns
    # checksums verified (tshark's -o ip/tcp/udp.check_checksum:TRUE)
    printcs) echo --print --checksums ;;
    Vcs) echo -V --checksums ;;
    jsoncs) echo --json --checksums ;;
    statscs) echo --stats --checksums ;;
    vcs) echo -v --checksums ;;
    colorcs) echo --print --color=always --checksums ;;
    twopass) echo -2 --print ;;
    hosts) echo --hosts ;;          # hosts
    hostsjson) echo --hosts=json ;; # hosts
    Vsubnet) echo -V --subnet 10.0.0.0/24 --subnet 198.51.100.0/24 ;;
    Vsubnet32) echo -V --subnet 2001:db8::/32 ;;
    # quiz
    quiz) echo --quiz ;;
    quizanswers) echo --quiz --answers ;;
    quiz7) echo --quiz --seed 7 ;;
    quizanswers7) echo --quiz --answers --seed 7 ;;
    # end quiz
    twopassfields) echo -2 -T fields -e frame.number -e ip.reassembled_in -e tcp.reassembled_in -e tcp.segment -e tcp.reassembled.length ;;
    twopasstls) echo -2 -T fields -E header=y -e frame.number -e tcp.reassembled_in \
      -e tls.handshake.reassembled_in -e tls.handshake.fragment -e tls.handshake.fragment.count ;;
    # answered
    twopassanswers) echo -2 -T fields -E header=y -e frame.number -e http.response_in -e dns.response_in \
      -e icmp.resp_in -e icmpv6.resp_in -e pktscope.arp.reply_in -e pktscope.response_time \
      -e http.request_in -e dns.response_to -e icmp.resp_to -e icmpv6.resp_to -e pktscope.arp.request_in ;;
    twopassanswersnr) echo -2 --no-reassembly -T fields -E header=y -e frame.number -e dns.response_in \
      -e pktscope.response_time -e dns.response_to ;;
    twopassV) echo -2 -V ;;
    twopassjson) echo -2 --json ;;
    # end answered
  esac
}

# Compares (or, regenerating, writes) one expected file.
check() { # got expected-file label
  checked=$((checked + 1))
  if [ "$regen" = 1 ]; then
    cp "$1" "$2"
    return
  fi
  if [ ! -f "$2" ]; then
    fail "$3: no expected file $2 (run with REGEN=1, then review it)"
  elif ! diff -u "$2" "$1" >"$T/diff"; then
    fail "$3: output differs from $2"
    head -n 40 "$T/diff"
  fi
}

selected() { # name: true when the name is among the names given on the command line
  local want
  for want in "${ARGS[@]}"; do [ "$want" = "$1" ] && return 0; done
  return 1
}
ARGS=("$@")

mkdir -p "$GOLD"
while IFS='|' read -r name file want modes; do
  [ -n "$name" ] || continue
  [ ${#ARGS[@]} -eq 0 ] || selected "$name" || continue
  if [ ! -r "$PCAPS/$file" ]; then
    fail "$name: missing capture tests/pcaps/$file"
    continue
  fi
  first=1
  for m in $modes; do
    # Run from tests/pcaps with a relative path, so messages name the file the same everywhere.
    (cd "$PCAPS" && timeout 60 "$P" -r "$file" $(mode_args "$m") >"$T/out" 2>"$T/err" </dev/null)
    rc=$?
    if [ "$rc" -ne "$want" ]; then
      fail "$name --$m: exit status $rc, wanted $want; stderr: $(head -c 400 "$T/err")"
    fi
    check "$T/out" "$GOLD/$name.$m" "$name ($m)"
    if [ $first = 1 ]; then
      first=0
      { echo "exit $rc"; cat "$T/err"; } >"$T/status"
      check "$T/status" "$GOLD/$name.status" "$name (exit status and messages)"
      nerr=$(wc -l <"$T/err")
      case $want in
        0) [ "$nerr" -eq 0 ] || fail "$name: a good capture wrote to stderr: $(head -c 400 "$T/err")" ;;
        1) # one message naming the file and the byte offset of the damage
          [ "$nerr" -eq 1 ] || fail "$name: damaged file gave $nerr messages, wanted 1"
          grep -q -- "$file" "$T/err" || fail "$name: the message does not name $file"
          grep -Eq 'byte [0-9]+|offset [0-9]+|[0-9]+ of [0-9]+ bytes' "$T/err" || fail "$name: the message gives no byte offset" ;;
        2) [ "$nerr" -ge 1 ] && grep -q -- "$file" "$T/err" \
             || fail "$name: the open error does not name $file" ;;
      esac
    fi
  done
done <<EOF
$CASES
EOF

if [ "$regen" = 1 ]; then
  echo "regenerated $checked expected files in tests/golden: review them (git diff tests/golden) before committing"
  exit 0
fi
echo "golden: $checked outputs compared, $fails failures"
[ "$fails" -eq 0 ]
