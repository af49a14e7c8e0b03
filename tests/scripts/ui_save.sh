#!/usr/bin/env bash
# Issue 12 item 5: the TUI's saves go through a file-name prompt (80x24... here 120x30, tmux).
# On ping.pcap: w in the packet list writes the displayed (filtered) packets to pcap or pcapng
# by the name's extension, read back with --print; an existing name is kept unless the user
# answers y, Esc cancels; w in the connections view writes the selected connection's packets;
# the ICMP ladder is the one --ladder=icmp:0 draws, S saves it as SVG at the prompt's default
# name, a second S is refused without y, and M onto a planted symbolic link is refused.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
PCAP=$SRCDIR/tests/pcaps/ping.pcap
[ -r "$PCAP" ] || { echo "SKIP: $PCAP missing"; exit 77; }
export TZ=UTC LC_ALL=C

. "$(dirname "$0")/lib/tmux-ui.sh"

cd "$WORK" || exit 1
echo SECRET >"$WORK/secret"
ln -s "$WORK/secret" "$WORK/pktscope-icmp-stream-0.mmd"
T -f /dev/null new-session -d -s ui -x 120 -y 30 -c "$WORK" \
    "NO_COLOR=1 TERM=screen '$PKTSCOPE' -r '$PCAP'; echo EXIT=\$?; sleep 60"
wait_for '14 packets'

# magic FILE: the first four bytes in hex, as written (host order)
magic() { od -An -tx1 -N4 "$1" | tr -d ' \n'; }
# The echo requests only: 3, 5, 7 and the 2000-byte one, which the list shows, as tshark does
# with reassembly on, on the fragment that completes it (frame 10): that frame is what is
# written, and read back alone it is the datagram's last fragment.
keys f
type_line 'icmp.type == 8'
expect '4 of 14 packets|4/14'
keys w
wait_for 'Save the displayed packets as \(Esc cancels\): pktscope-packets\.pcapng'
keys C-u
type_line echo.pcap
wait_for 'wrote 4 packets to echo\.pcap'
[ "$(magic echo.pcap)" = 4d3cb2a1 ] || [ "$(magic echo.pcap)" = a1b23c4d ] ||
    fail "echo.pcap is not a nanosecond pcap file: $(magic echo.pcap)"
"$PKTSCOPE" -r echo.pcap --print >echo.txt || fail "pktscope cannot read echo.pcap back"
[ "$(wc -l <echo.txt)" -eq 4 ] || fail "echo.pcap holds $(wc -l <echo.txt) packets, wanted 4"
for want in '^ +1 .*Echo \(ping\) request .*seq=1/256' '^ +2 .*Echo \(ping\) request .*seq=2/512' \
    '^ +3 .*Echo \(ping\) request .*seq=3/768' '^ +4 .*Fragmented IP protocol \(proto=ICMP 1, off=1480, ID=c453\)'; do
    grep -Eq -- "$want" echo.txt || fail "echo.pcap: no line /$want/: $(cat echo.txt)"
done
# The same packets as pcapng, by the extension.
keys w
keys C-u
type_line echo.pcapng
wait_for 'wrote 4 packets to echo\.pcapng'
[ "$(magic echo.pcapng)" = 0a0d0d0a ] || fail "echo.pcapng is not pcapng: $(magic echo.pcapng)"
[ "$("$PKTSCOPE" -r echo.pcapng --print | wc -l)" -eq 4 ] || fail "echo.pcapng does not hold 4 packets"

# An existing name: kept on n, replaced on y; Esc cancels.
sum=$(cksum <echo.pcap)
keys w
keys C-u
type_line echo.pcap
wait_for 'echo\.pcap exists; overwrite\? y/n'
keys n
wait_for 'not saved: echo\.pcap exists and was kept'
[ "$(cksum <echo.pcap)" = "$sum" ] || fail "echo.pcap changed although n was answered"
keys f
keys C-u
type_line 'icmp.type == 0'
expect '4 of 14 packets|4/14'
keys w
keys C-u
type_line echo.pcap
wait_for 'echo\.pcap exists; overwrite\? y/n'
keys y
wait_for 'wrote 4 packets to echo\.pcap'
[ "$("$PKTSCOPE" -r echo.pcap --print | grep -c 'Echo (ping) reply')" -eq 3 ] ||
    fail "echo.pcap was not replaced by the replies"
keys w
wait_for 'Save the displayed packets as'
keys Escape
sleep 0.3
[ ! -e pktscope-packets.pcapng ] || fail "Esc at the save prompt wrote pktscope-packets.pcapng"
keys f
keys C-u
keys Enter
expect '14 packets'

# The connections view: w writes the selected connection's packets (ICMP stream 0: 6).
keys c
wait_for 'Connections: 4'
keys g
keys w
wait_for 'Save the connection.s packets as \(Esc cancels\): pktscope-icmp-stream-0\.pcapng'
keys Enter
wait_for 'wrote 6 packets to pktscope-icmp-stream-0\.pcapng'
"$PKTSCOPE" -r pktscope-icmp-stream-0.pcapng --print >conn.txt || fail "cannot read the connection back"
[ "$(grep -c 'Echo (ping)' conn.txt)" -eq 6 ] && [ "$(wc -l <conn.txt)" -eq 6 ] ||
    fail "the connection's file is not its 6 echo packets: $(cat conn.txt)"

# Its ladder: the arrows --ladder=icmp:0 draws.
keys L
wait_for 'Ladder: ICMP stream 0, 6 arrows'
"$PKTSCOPE" -r "$PCAP" --ladder=icmp:0 | grep -F -- '|' >batch.txt
screen | grep -F -- 'ICMP type=' | sed 's/ *$//' >tui.txt
diff <(sed 's/ *$//' batch.txt) tui.txt >/dev/null || fail "the TUI's ICMP ladder differs from --ladder=icmp:0: $(diff batch.txt tui.txt)"
keys S
wait_for 'Save the ladder \(SVG\) as \(Esc cancels\): pktscope-icmp-stream-0\.svg'
keys Enter
wait_for 'saved the ladder as pktscope-icmp-stream-0\.svg'
grep -q '<svg' pktscope-icmp-stream-0.svg || fail "the SVG was not written"
sum=$(cksum <pktscope-icmp-stream-0.svg)
keys S
keys Enter
wait_for 'pktscope-icmp-stream-0\.svg exists; overwrite\? y/n'
keys Escape
wait_for 'not saved: pktscope-icmp-stream-0\.svg exists and was kept'
[ "$(cksum <pktscope-icmp-stream-0.svg)" = "$sum" ] || fail "the SVG changed without y"
keys M
keys Enter
wait_for 'not saved: pktscope-icmp-stream-0\.mmd is a symbolic link'
[ "$(cat secret)" = SECRET ] || fail "the save followed the planted symbolic link"
[ -L pktscope-icmp-stream-0.mmd ] || fail "the planted symbolic link was replaced"
keys Q
wait_for 'EXIT=0'
echo PASS
