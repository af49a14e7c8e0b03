#!/usr/bin/env bash
# The TUI's flow view (D) on the classroom capture (tmux): at 80x24 the legend, the lane letters
# and one arrow per packet as --flow draws them (labels cut after a whole word, never inside an
# address); the selected packet highlighted; Enter goes to the packet; it follows the display
# filter; T saves the text --flow prints and S an SVG through the save prompt. At 60x20 the lanes
# narrow and stepping (. and ,) moves the highlight. Then the ladder of a long download saved
# with its folded runs folded, in every format.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
PCAP=$SRCDIR/tests/pcaps/classroom.pcap
[ -r "$PCAP" ] || { echo "SKIP: $PCAP missing"; exit 77; }
export TZ=UTC LC_ALL=C

. "$(dirname "$0")/lib/tmux-ui.sh"

# highlighted REGEX: the row in reverse video (the cursor) matches
highlighted() {
    T capture-pane -p -e -t ui | grep -aE $'\e\\[(0;)?7m' | sed 's/\x1b\[[0-9;]*m//g' | grep -Eq -- "$1"
}

cd "$WORK" || exit 1
T -f /dev/null new-session -d -s ui -x 80 -y 24 -c "$WORK" \
    "TERM=screen '$PKTSCOPE' -r '$PCAP'; echo EXIT=\$?; sleep 60"
wait_for '26 packets'
keys D
wait_for 'Flow: 26 arrows, 9 lanes'
expect '^Flow: 26 packets, 9 lanes, frames 1-26; time runs down$'
expect '^  A 0\.0\.0\.0   B broadcast   C 192\.168\.1\.1   D 192\.168\.1\.130$'
expect '^  E 00:1b:21:0a:00:01 \(192\.168\.1\.130\)   F dc:a6:32:0a:00:14 \(192\.168\.1\.20\)$'
expect '^ frame  A  B  C  D  E  F  G  H  I$'
# Lanes 3 columns apart at 80 columns; the label cut after a whole word, not inside the MAC.
expect '^     1  \|->\|  \|  \|  \|  \|  \|  \|  \|  DHCP Discover - Transaction ID 0x612d2c5c$'
expect '^     5  \|  \|<-------\|  \|  \|  \|  \|  ARP Who has 192\.168\.1\.20\? Tell 192\.168\.1\.130$'
expect '^     6  \|  \|  \|  \|  \|<-\|  \|  \|  \|  ARP 192\.168\.1\.20 is at dc:a6:32:0a:00:14$'
expect '^    13  \|  \|  \|  \|------------->\|  DNS Standard query 0x1d0c A www\.example$'
expect '^    14  \|  \|  \|  \|<-------------\|  DNS Standard query response 0x1d0c A\.\.\.$'
highlighted '^     1  ' || fail "the selected packet (1) is not highlighted"
# The screen's arrows are --flow's, lane for lane (the text a file gets, 4 columns apart).
"$PKTSCOPE" -r "$PCAP" --flow >batch.txt
screen | grep -E '^ +[0-9]+  \|' | awk '{print $1}' >shown
[ "$(wc -l <shown)" -ge 14 ] || fail "only $(wc -l <shown) arrows on the screen"
grep -E '^ +[0-9]+  \|' batch.txt | awk '{print $1}' | head -n "$(wc -l <shown)" | diff - shown >/dev/null ||
    fail "the frames on the screen are not --flow's"
# Moving selects the packet; Enter goes to it in the list.
keys j j j j
highlighted '^     5  ' || fail "the cursor did not move to frame 5"
keys Enter
wait_for '^\+ Frame 5: 42 bytes'
reject 'Flow: 26 arrows'
# T saves the flow as text: what --flow prints. S saves an SVG.
keys D
wait_for 'Flow: 26 arrows'
keys T
wait_for 'pktscope-flow\.txt'
keys Enter
wait_for 'saved the flow as pktscope-flow\.txt'
diff -u batch.txt pktscope-flow.txt >/dev/null || fail "the saved text is not --flow's: $(diff batch.txt pktscope-flow.txt | head -5)"
keys S
wait_for 'pktscope-flow\.svg'
keys Enter
wait_for 'saved the flow as pktscope-flow\.svg'
if command -v xmllint >/dev/null; then
    xmllint --noout pktscope-flow.svg || fail "the saved SVG is not well-formed"
fi
# A second T: the file exists, so the prompt asks before replacing it.
keys T
wait_for 'pktscope-flow\.txt'
keys Enter
wait_for 'exists; overwrite\? y/n'
keys n
# The display filter narrows the flow: the ARP and DNS packets only.
keys q
wait_for '26 packets'
keys f
type_line 'arp or dns'
expect '6 of 26 packets|6/26'
keys D
wait_for 'Flow: 6 arrows, 6 lanes, filtered'
expect '^    14  \|'
reject '^     7  \|'
keys q q
wait_for 'EXIT=0'
echo "ok: the flow view at 80x24"

# 60x20, stepping: the flow grows with the packets let in, the highlight moves with . and ,.
T kill-session -t ui
T -f /dev/null new-session -d -s ui -x 60 -y 20 -c "$WORK" \
    "TERM=screen '$PKTSCOPE' -r '$PCAP' --step; echo EXIT=\$?; sleep 60"
wait_for 'packet 1 of 26'
# (the first . may only take the step --step starts with: step until packet 7, one at a time)
for _ in 1 2 3 4 5 6 7 8; do
    screen | grep -q 'packet 7 of 26' && break
    keys .
    sleep 0.3
done
wait_for 'packet 7 of 26'
keys D
wait_for 'Flow: 7 arrows, 7 lanes'
expect '^ frame  A B C D E F G$'
expect '^     7  \| \| \| \|---->\|  ICMP Echo \(ping\) request\.\.\.$'
highlighted '^     7  ' || fail "stepping: packet 7 is not highlighted"
keys .
wait_for 'Flow: 8 arrows'
keys .
wait_for 'Flow: 9 arrows'
highlighted '^     9  ' || fail "a step forward did not move the highlight to 9"
keys ,
expect '^ Flow: 8 arrows'
highlighted '^     8  ' || fail "a step back did not move the highlight to 8"
reject '^     9  \|'
keys q q
wait_for 'EXIT=0'
echo "ok: the flow view at 60x20 while stepping"

# The ladder saved from the TUI keeps its folded runs folded, in every format.
DL=$SRCDIR/tests/pcaps/zeekbytes-download.pcap
if [ -r "$DL" ]; then
    T kill-session -t ui
    T -f /dev/null new-session -d -s ui -x 80 -y 24 -c "$WORK" \
        "TERM=screen '$PKTSCOPE' -r '$DL'; echo EXIT=\$?; sleep 60"
    wait_for '1234 packets'
    keys L
    wait_for '42 data segments, 30\.4 KB \(frames 4-45\), Space unfolds'
    for k in T S M U; do
        keys "$k"
        wait_for 'pktscope-tcp-stream-0\.'
        keys Enter
        wait_for 'saved the ladder as pktscope-tcp-stream-0\.'
    done
    for f in txt svg mmd puml; do
        [ "$(grep -c '42 data segments, 30\.4 KB (frames 4-45), folded' "pktscope-tcp-stream-0.$f")" = 1 ] ||
            fail "pktscope-tcp-stream-0.$f does not carry the folded run"
        grep -q 'ESTABLISHED' "pktscope-tcp-stream-0.$f" || fail "pktscope-tcp-stream-0.$f lost the states"
    done
    if command -v xmllint >/dev/null; then
        xmllint --noout pktscope-tcp-stream-0.svg || fail "the saved ladder SVG is not well-formed"
    fi
    # Unfolded, the text is --ladder's again.
    keys e
    keys T
    wait_for 'pktscope-tcp-stream-0\.txt'
    keys Enter
    wait_for 'overwrite\? y/n'
    keys y
    wait_for 'saved the ladder as'
    "$PKTSCOPE" -r "$DL" --ladder=0 | diff - pktscope-tcp-stream-0.txt >/dev/null ||
        fail "the unfolded ladder saved is not --ladder's"
    keys q q
    wait_for 'EXIT=0'
    echo "ok: the ladder's folds in every saved format"
fi
