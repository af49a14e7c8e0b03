#!/usr/bin/env bash
# --stats and --conns dissect lean (dissect_options.lean: no per-bit detail fields such as
# tcp.flags.syn), unless the display filter names one. On real captures, a -Y on a detail field
# keeps in --stats exactly the packets it keeps in --print (which always dissects in full), and a
# -Y on other fields does the same; --conns -Y keeps a row for each TCP stream the filter keeps a
# packet of (-T fields -e tcp.stream, in full). With -2, the frames told where they were
# reassembled are the same in --stats and --conns as in --print.
set -u
P=${PKTSCOPE:?PKTSCOPE names the binary}
SRC=${SRCDIR:?}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

stats_packets() { "$P" -r "$1" --stats -Y "$2" | awk '$1 == "Packets" { print $2; exit }'; }
print_packets() { "$P" -r "$1" --print -Y "$2" | wc -l; }
conns_rows() { "$P" -r "$1" --conns=json -Y "$2" | wc -l; }
stream_count() { "$P" -r "$1" -T fields -e tcp.stream -Y "$2" | sort -u | wc -l; }

checked=0
for cap in http-get.pcap lossy.pcap many-short.pcap rst-abort.pcap http-ipv6.pcap; do
    f=$SRC/tests/pcaps/$cap
    for expr in 'tcp.flags.syn == 1' 'tcp.flags.fin == 1 || tcp.flags.reset == 1' \
        'ip.flags.df == 1' 'ipv6.tclass.dscp == 0' 'eth.src.ig == 0 && tcp.flags.ack == 1' \
        'tcp.port == 80'; do
        want=$(print_packets "$f" "$expr")
        got=$(stats_packets "$f" "$expr")
        [ "$got" = "$want" ] || fail "$cap: --stats -Y '$expr' counts $got packets, --print $want"
        checked=$((checked + 1))
    done
done
for cap in http-get.pcap lossy.pcap many-short.pcap; do
    f=$SRC/tests/pcaps/$cap
    for expr in 'tcp.flags.push == 1' 'tcp.flags.syn == 1 && tcp.flags.ack == 0' \
        'tcp.flags.push == 1 && tcp.flags.syn == 1'; do
        want=$(stream_count "$f" "$expr")
        got=$(conns_rows "$f" "$expr")
        [ "$got" = "$want" ] || fail "$cap: --conns -Y '$expr' gives $got rows, $want streams"
        checked=$((checked + 1))
    done
done
# -2: the first pass learns from the IP and TCP layers' fields (ip.fragment, tcp.segment), which
# --stats' and --conns' headerless dissection leaves out; it must record them all the same.
for cap in http-keepalive.pcap imap-pieces.pcap ping.pcap crafted/frag6-reverse.pcap; do
    f=$SRC/tests/pcaps/$cap
    expr='tcp.reassembled_in || ip.reassembled_in || ipv6.reassembled.in'
    want=$("$P" -2 -r "$f" --print -Y "$expr" | wc -l)
    [ "$want" -gt 0 ] || fail "$cap: -2 tells no frame where it was reassembled"
    got=$("$P" -2 -r "$f" --stats -Y "$expr" | awk '$1 == "Packets" { print $2; exit }')
    [ "$got" = "$want" ] || fail "$cap: --stats -2 -Y '$expr' counts $got packets, --print $want"
    want=$("$P" -2 -r "$f" -T fields -e tcp.stream -Y "$expr" | grep . | sort -u | wc -l)
    got=$("$P" -2 -r "$f" --conns=json -Y "$expr" | grep -c '"proto":"tcp"')
    [ "$got" = "$want" ] || fail "$cap: --conns -2 -Y '$expr' gives $got TCP rows, $want streams"
    checked=$((checked + 3))
done
# Not vacuous: the detail filters keep packets on these captures.
n=$(stats_packets "$SRC/tests/pcaps/http-get.pcap" 'tcp.flags.syn == 1')
[ "$n" -gt 0 ] || fail "no SYN counted in http-get.pcap"
[ "$(conns_rows "$SRC/tests/pcaps/many-short.pcap" 'tcp.flags.push == 1')" -gt 1 ] ||
    fail "no --conns row for pushed data in many-short.pcap"
echo "lean_filter: $checked comparisons, $fails failures"
[ "$fails" -eq 0 ]
