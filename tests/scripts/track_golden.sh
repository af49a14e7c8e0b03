#!/usr/bin/env bash
# Golden tests of the connection tracker's outputs: --conns (text, json, zeek), --ladder
# (text; Mermaid and PlantUML for one capture) and --flow (every format) on the captures of real
# traffic in tests/pcaps
# (and two public ones from $SHARED_PCAPS when present), compared with the reviewed expected
# files in tests/golden/track/. The SVG ladder is checked by an XML parser (xmllint) and
# rendered to PNG headlessly (rsvg-convert).
#
# Regenerate after a deliberate change, then review every diff:
#   TRACK_GOLDEN_UPDATE=1 PKTSCOPE=build/pktscope tests/scripts/track_golden.sh
# Exit status: 0 pass, 1 fail, 77 when no capture is available.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PKTSCOPE=${PKTSCOPE:-$SRCDIR/build/pktscope}
SHARED_PCAPS=${SHARED_PCAPS:-$SRCDIR/../shared/pcaps}
GOLDEN=$SRCDIR/tests/golden/track
export TZ=UTC LC_ALL=C

[ -x "$PKTSCOPE" ] || { echo "track_golden: no pktscope binary at $PKTSCOPE" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail=0
checked=0

# check NAME ARGS...: runs pktscope ARGS, compares standard output with $GOLDEN/NAME.
check() {
    local name=$1
    shift
    local out=$WORK/$name
    if ! timeout 60 "$PKTSCOPE" "$@" >"$out" 2>"$WORK/stderr"; then
        echo "FAIL $name: pktscope $* exited with an error: $(head -c 300 "$WORK/stderr")"
        fail=1
        return
    fi
    if [ "${TRACK_GOLDEN_UPDATE:-}" = 1 ]; then
        mkdir -p "$GOLDEN"
        cp "$out" "$GOLDEN/$name"
        echo "updated $name"
    elif [ ! -f "$GOLDEN/$name" ]; then
        echo "FAIL $name: no expected file $GOLDEN/$name"
        fail=1
    elif ! diff -u "$GOLDEN/$name" "$out" >"$WORK/diff"; then
        echo "FAIL $name: output differs from the expected file:"
        head -40 "$WORK/diff"
        fail=1
    fi
    checked=$((checked + 1))
}

# The captures: name -> file. Ours are committed; the shared ones may be absent.
declare -a caps=()
for n in http-get refused half-close rst-abort lossy many-short udp ping http-ipv6 ftp tls13; do
    [ -f "$SRCDIR/tests/pcaps/$n.pcap" ] && caps+=("$n=$SRCDIR/tests/pcaps/$n.pcap")
done
for f in tcpdump_print-flags.pcap ppp_one_http_stream_fin.pcap; do
    [ -f "$SHARED_PCAPS/$f" ] && caps+=("${f%.pcap}=$SHARED_PCAPS/$f")
done
if [ ${#caps[@]} -eq 0 ]; then
    echo "track_golden: no capture found; skipped"
    exit 77
fi

for entry in "${caps[@]}"; do
    n=${entry%%=*}
    f=${entry#*=}
    check "$n.conns.txt" -r "$f" --conns
    check "$n.conns.json" -r "$f" --conns=json
    check "$n.conns.zeek" -r "$f" --conns=zeek
    case $n in
    many-short | ping | udp) ;; # their interest is the table
    *) check "$n.ladder.txt" -r "$f" --ladder=0 ;;
    esac
done
if [ -f "$SRCDIR/tests/pcaps/http-get.pcap" ]; then
    check http-get.ladder.mermaid -r "$SRCDIR/tests/pcaps/http-get.pcap" --ladder=0 --format=mermaid
    check http-get.ladder.plantuml -r "$SRCDIR/tests/pcaps/http-get.pcap" --ladder=0 --format=plantuml
    check udp.ladder.txt -r "$SRCDIR/tests/pcaps/udp.pcap" --ladder=udp:0
    check ftp-data.ladder.txt -r "$SRCDIR/tests/pcaps/ftp.pcap" --ladder=1
fi
# ladderfiles: --ladder draws ICMP and ICMPv6 streams as the TUI's ladder view does.
if [ -f "$SRCDIR/tests/pcaps/ping.pcap" ]; then
    check ping.ladder-icmp0.txt -r "$SRCDIR/tests/pcaps/ping.pcap" --ladder=icmp:0
    check ping.ladder-icmp2.txt -r "$SRCDIR/tests/pcaps/ping.pcap" --ladder=icmp:2
fi
if [ -f "$SRCDIR/tests/pcaps/ipv6-nd.pcap" ]; then
    check ipv6-nd.ladder-icmpv6-10.txt -r "$SRCDIR/tests/pcaps/ipv6-nd.pcap" --ladder=icmpv6:10
fi
# end ladderfiles

# clientserver (issue 15): client and server by name, with the rule that told. DNS over TCP
# (the SYN) and over UDP (the query); a simultaneous open (the first SYN's sender is called the
# client); a refused connection; an SVG ladder with its roles; a browser's connection (B/S,
# its User-Agent) when the shared capture is there.
if [ -f "$SRCDIR/tests/pcaps/dns.pcap" ]; then
    check dns.conns.txt -r "$SRCDIR/tests/pcaps/dns.pcap" --conns
    check dns.conns.json -r "$SRCDIR/tests/pcaps/dns.pcap" --conns=json
    check dns.ladder-udp0.txt -r "$SRCDIR/tests/pcaps/dns.pcap" --ladder=udp:0
    # --compare: DNS over TCP beside DNS over UDP (compare_oracle.sh checks the numbers)
    check dns.compare.txt -r "$SRCDIR/tests/pcaps/dns.pcap" --compare tcp:0 udp:0
fi
if [ -f "$SRCDIR/tests/pcaps/simopen.pcap" ]; then
    check simopen.conns.txt -r "$SRCDIR/tests/pcaps/simopen.pcap" --conns
    check simopen.ladder.txt -r "$SRCDIR/tests/pcaps/simopen.pcap" --ladder=0
fi
if [ -f "$SRCDIR/tests/pcaps/half-close.pcap" ]; then
    check half-close.ladder.svg -r "$SRCDIR/tests/pcaps/half-close.pcap" --ladder=0 --format=svg
fi
if [ -f "$SHARED_PCAPS/tcptrace_http.pcap" ]; then
    check tcptrace_http.conns.txt -r "$SHARED_PCAPS/tcptrace_http.pcap" --conns
    check tcptrace_http.ladder.txt -r "$SHARED_PCAPS/tcptrace_http.pcap" --ladder=0
fi
# end clientserver

# flow (issue 15): the half-close in every format of the ladder, as the text marks it; --frames
# on --ladder; --flow on the classroom capture in every format, narrowed by -Y and --frames.
if [ -f "$SRCDIR/tests/pcaps/half-close.pcap" ]; then
    check half-close.ladder.mermaid -r "$SRCDIR/tests/pcaps/half-close.pcap" --ladder=0 --format=mermaid
    check half-close.ladder.plantuml -r "$SRCDIR/tests/pcaps/half-close.pcap" --ladder=0 --format=plantuml
fi
if [ -f "$SRCDIR/tests/pcaps/classroom.pcap" ]; then
    cr=$SRCDIR/tests/pcaps/classroom.pcap
    check classroom.ladder-frames.txt -r "$cr" --ladder=0 --frames 20-
    check classroom.flow.txt -r "$cr" --flow
    check classroom.flow.mermaid -r "$cr" --flow --format=mermaid
    check classroom.flow.plantuml -r "$cr" --flow --format=plantuml
    check classroom.flow.svg -r "$cr" --flow --format=svg
    check classroom.flow-arp-dns.txt -r "$cr" --flow -Y 'arp or dns'
    check classroom.flow-frames.txt -r "$cr" --flow --frames 5-14
    check classroom.flow-frames-bpf.mermaid -r "$cr" --flow --frames -14 --format=mermaid icmp
    # --frames: no packet of the stream in the range is an error that says so.
    "$PKTSCOPE" -r "$cr" --ladder=0 --frames 1-3 >/dev/null 2>"$WORK/err"
    st=$?
    if [ $st -ne 2 ] || ! grep -q "no packet of TCP stream 0 in frames 1-3" "$WORK/err"; then
        echo "FAIL --ladder=0 --frames 1-3: status $st, stderr: $(cat "$WORK/err")"
        fail=1
    fi
    for bad in 0 5-3 x 3-x - 1-2-3; do
        if "$PKTSCOPE" -r "$cr" --flow --frames "$bad" >/dev/null 2>&1; then
            echo "FAIL --frames '$bad' was accepted"
            fail=1
        fi
    done
    if "$PKTSCOPE" -r "$cr" --conns --frames 1-3 >/dev/null 2>&1; then
        echo "FAIL --frames was accepted without --ladder or --flow"
        fail=1
    fi
    # The SVG flow: well-formed, one arrow per packet.
    "$PKTSCOPE" -r "$cr" --flow --format=svg >"$WORK/flow.svg"
    if command -v xmllint >/dev/null 2>&1 && ! xmllint --noout "$WORK/flow.svg" 2>"$WORK/xml"; then
        echo "FAIL classroom flow svg: xmllint: $(head -5 "$WORK/xml")"
        fail=1
    fi
    arrows=$(grep -c 'marker-end="url(#head)"' "$WORK/flow.svg")
    [ "$arrows" = 26 ] || { echo "FAIL classroom flow svg: $arrows arrows for 26 packets"; fail=1; }
fi
# More hosts than lanes: 16 named, the rest in "others", counted (when the shared capture is here).
if [ -f "$SHARED_PCAPS/ppp_IcmpPackets.pcapng" ]; then
    check ppp_IcmpPackets.flow.txt -r "$SHARED_PCAPS/ppp_IcmpPackets.pcapng" --flow
fi
# end flow

# A stream that does not exist: exit status 2 and a message naming what exists.
if [ -f "$SRCDIR/tests/pcaps/http-get.pcap" ]; then
    "$PKTSCOPE" -r "$SRCDIR/tests/pcaps/http-get.pcap" --ladder=7 >/dev/null 2>"$WORK/err"
    st=$?
    if [ $st -ne 2 ] || ! grep -q "no TCP stream 7" "$WORK/err"; then
        echo "FAIL --ladder=7 on a one-stream capture: status $st, stderr: $(cat "$WORK/err")"
        fail=1
    fi
fi

# The bounded flow table: with --max-flows 2 the 20 sequential connections of many-short still
# get 20 stream numbers (and the same table), and --stats counts the 18 evictions.
if [ -f "$SRCDIR/tests/pcaps/many-short.pcap" ]; then
    ms=$SRCDIR/tests/pcaps/many-short.pcap
    "$PKTSCOPE" -r "$ms" --stats --max-flows 2 >"$WORK/stats" 2>&1
    ev=$(awk '/Flows evicted \(table full\)/ {print $NF}' "$WORK/stats")
    act=$(awk '/Flows in table at the end/ {print $NF}' "$WORK/stats")
    tcpn=$(awk '/TCP connections/ {print $NF}' "$WORK/stats")
    if [ "$ev" != 18 ] || [ "$act" != 2 ] || [ "$tcpn" != 20 ]; then
        echo "FAIL --max-flows 2: evicted '$ev' (want 18), in table '$act' (want 2), TCP '$tcpn' (want 20)"
        fail=1
    fi
    if ! "$PKTSCOPE" -r "$ms" --conns --max-flows 2 | diff -u "$GOLDEN/many-short.conns.txt" - >"$WORK/diff"; then
        echo "FAIL --max-flows 2 changed the connection table:"
        head -20 "$WORK/diff"
        fail=1
    fi
fi

# SVG: well-formed XML, a standalone <svg> root, rendered to a PNG.
svg_checked=0
for entry in "${caps[@]}"; do
    n=${entry%%=*}
    f=${entry#*=}
    case $n in http-get | lossy | rst-abort) ;; *) continue ;; esac
    svg=$WORK/$n.svg
    "$PKTSCOPE" -r "$f" --ladder=0 --format=svg >"$svg" || { echo "FAIL $n.svg: pktscope failed"; fail=1; continue; }
    if ! head -2 "$svg" | grep -q '<svg xmlns="http://www.w3.org/2000/svg"'; then
        echo "FAIL $n.svg: not a standalone SVG document"
        fail=1
    fi
    if command -v xmllint >/dev/null 2>&1; then
        if ! xmllint --noout "$svg" 2>"$WORK/xml"; then
            echo "FAIL $n.svg: xmllint: $(head -5 "$WORK/xml")"
            fail=1
        fi
        # One arrow (line with a marker) per packet of the stream.
        arrows=$(grep -c 'marker-end="url(#head)"' "$svg")
        pkts=$("$PKTSCOPE" -r "$f" --ladder=0 | grep -c '^ *[0-9]*\.[0-9]*|')
        if [ "$arrows" != "$pkts" ]; then
            echo "FAIL $n.svg: $arrows arrows for $pkts packets"
            fail=1
        fi
    else
        echo "note: xmllint missing, XML check skipped"
    fi
    if command -v rsvg-convert >/dev/null 2>&1; then
        if ! timeout 60 rsvg-convert -o "$WORK/$n.png" "$svg" 2>"$WORK/rsvg"; then
            echo "FAIL $n.svg: rsvg-convert: $(head -5 "$WORK/rsvg")"
            fail=1
        elif [ "$(head -c 8 "$WORK/$n.png" | od -An -tx1 | tr -d ' \n')" != 89504e470d0a1a0a ] ||
            [ "$(wc -c <"$WORK/$n.png")" -lt 2000 ]; then
            echo "FAIL $n.svg: rsvg-convert did not produce a plausible PNG"
            fail=1
        fi
    else
        echo "note: rsvg-convert missing, rendering skipped"
    fi
    svg_checked=$((svg_checked + 1))
done

echo "track_golden: $checked outputs compared, $svg_checked SVG ladders checked"
exit $fail
