#!/usr/bin/env bash
# tcpdump's habits (doc/pktscope.1): -x -xx -X -XX -A print the byte ranges tcpdump prints, on
# every test capture tcpdump reads as pktscope does (the packet dumps compared byte for byte by
# lib/tcpdump_dumps.py, each in its own layout), -v's IP header is tcpdump -v's and -q's
# ports and lengths tcpdump -q's (lib/tcpdump_verbose.py), -tttt's time is tcpdump -tttt's.
set -u
P=${PKTSCOPE:?PKTSCOPE names the binary}
SRC=${SRCDIR:?}
. "$SRC/tests/scripts/lib/skip.sh"
command -v tcpdump >/dev/null || skip "tcpdump is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# Left out, as tcpdump's reader sees other packets than pktscope's (not a dump question):
# caplen-gt-len and caplen-gt-snaplen (tcpdump stops, or cuts at the snaplen), ng-ts-wrap,
# ng-two-linktypes and ng-two-sections (libpcap reads one section and one link type).
caps=()
cd "$SRC/tests/pcaps" || exit 1
for f in *.pcap crafted/*.pcap crafted/*.pcapng; do
  case $f in
    crafted/caplen-gt-len.pcap | crafted/caplen-gt-snaplen.pcap | crafted/ng-ts-wrap.pcapng | \
      crafted/ng-two-linktypes.pcapng | crafted/ng-two-sections.pcapng) continue ;;
  esac
  caps+=("$f")
done
timeout 600 python3 "$SRC/tests/scripts/lib/tcpdump_dumps.py" "$P" "${caps[@]}" || fail "dumps differ from tcpdump's"
timeout 300 python3 "$SRC/tests/scripts/lib/tcpdump_verbose.py" "$P" "${caps[@]}" \
  || fail "-v's IP header or -q's ports differ from tcpdump's"

# -tttt: the date and time column is tcpdump -tttt's (both in UTC here), nanosecond files too.
for f in http-get.pcap crafted/pcap-nsec.pcap crafted/ng-tsresol.pcapng; do
  want=$(TZ=UTC timeout 60 tcpdump -tttt -nr "$f" 2>/dev/null | cut -c1-26)
  got=$(timeout 60 "$P" -r "$f" --print -tttt | cut -c7-32)
  alt=$(timeout 60 "$P" -r "$f" --print --time=date | cut -c7-32)
  if [ -n "$want" ] && [ "$want" = "$got" ] && [ "$got" = "$alt" ]; then
    echo "ok: -tttt and --time=date print tcpdump -tttt's time on $f"
  else
    fail "-tttt on $f: $(diff <(echo "$want") <(echo "$got") | head -5)"
  fi
done

echo "tcpdump_habits: $fails failures"
[ "$fails" -eq 0 ]
