#!/usr/bin/env bash
# TUI colouring rules (format/colorrules.c, tmux capture-pane -e keeps the SGR colours): an ARP
# row, an ICMP error row and a TCP RST row each take their rule's colour and the colours differ;
# the cursor row stays in reverse video; NO_COLOR=1 or --color=never gives no colour at all.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
PING=$SRCDIR/tests/pcaps/ping.pcap
REFUSED=$SRCDIR/tests/pcaps/refused.pcap
[ -r "$PING" ] && [ -r "$REFUSED" ] || { echo "SKIP: captures missing"; exit 77; }

. "$(dirname "$0")/lib/tmux-ui.sh"

# row_sgr N: the colour state (fg bg bold reverse) at the start of packet row N. tmux writes an
# SGR only when the state changes, so the state is followed from the top of the screen.
row_sgr() {
    T capture-pane -p -e -t ui | python3 -c '
import re, sys
want = sys.argv[1]
st = {}
def apply(codes):
    global st
    for c in (codes or "0").split(";"):
        c = int(c or 0)
        if c == 0: st = {"fg": "-", "bg": "-", "bold": 0, "rev": 0}
        elif c == 1: st["bold"] = 1
        elif c == 7: st["rev"] = 1
        elif 30 <= c <= 37: st["fg"] = str(c)
        elif c == 39: st["fg"] = "-"
        elif 40 <= c <= 47: st["bg"] = str(c)
        elif c == 49: st["bg"] = "-"
apply("0")
for line in sys.stdin.read().split("\n"):
    m = re.match(r"\s*\*?(\d+)\s", re.sub(r"\x1b\[[0-9;]*m", "", line))
    if m and m.group(1) == want:
        # the state at the row number: the SGRs before its first non-blank character
        for mm in re.finditer(r"\x1b\[([0-9;]*)m|([^\x1b])", line):
            if mm.group(2) is None:
                apply(mm.group(1))
            elif mm.group(2) != " ":
                break
        print("fg=%s bg=%s bold=%d rev=%d" % (st["fg"], st["bg"], st["bold"], st["rev"]))
        break
    for mm in re.finditer(r"\x1b\[([0-9;]*)m", line):
        apply(mm.group(1))
' "$1"
}

# Colours: ping.pcap, the cursor moved to row 4 so rows 1 (ARP) and 14 are not under it.
T -f /dev/null new-session -d -s ui -x 100 -y 40 \
    "TERM=screen '$PKTSCOPE' -r '$PING'; echo EXIT=\$?; sleep 60"
wait_for '14 packets'
keys j j j
sleep 0.3
arp=$(row_sgr 1)
icmp=$(row_sgr 5)
icmperr=$(row_sgr 14)
cur=$(row_sgr 4)
[ "$arp" = "fg=33 bg=- bold=0 rev=0" ] || fail "ARP row 1 is '$arp', not yellow"
[ "$icmp" = "fg=35 bg=- bold=0 rev=0" ] || fail "ICMP row 5 is '$icmp', not magenta"
[ "$icmperr" = "fg=32 bg=40 bold=1 rev=0" ] || fail "ICMP error row 14 is '$icmperr', not bold green on black"
case "$cur" in *rev=1) ;; *) fail "the cursor row 4 is '$cur', not in reverse video" ;; esac
echo "ok: ARP, ICMP, ICMP error rows in their rules' colours; cursor row in reverse"
T kill-session -t ui

# refused.pcap: row 2 is the RST (row 1, the SYN, has the cursor).
T -f /dev/null new-session -d -s ui -x 100 -y 40 \
    "TERM=screen '$PKTSCOPE' -r '$REFUSED'; echo EXIT=\$?; sleep 60"
wait_for '2 packets'
sleep 0.3
rst=$(row_sgr 2)
[ "$rst" = "fg=33 bg=41 bold=1 rev=0" ] || fail "RST row 2 is '$rst', not bold yellow on red"
[ "$rst" != "$arp" ] || fail "the RST and ARP rows have the same colour"
echo "ok: RST row bold yellow on red, unlike the ARP row"
T kill-session -t ui

# NO_COLOR=1: not one colour on the screen (bold, reverse and underline stay).
T -f /dev/null new-session -d -s ui -x 100 -y 40 \
    "NO_COLOR=1 TERM=screen '$PKTSCOPE' -r '$PING'; echo EXIT=\$?; sleep 60"
wait_for '14 packets'
keys j j j
sleep 0.3
e=$'\e'
if T capture-pane -p -e -t ui | grep -a -E -q "$e\[([0-9;]*;)?(3[0-7]|4[0-7])(;[0-9;]*)?m"; then
    fail "NO_COLOR=1 still shows colours"
fi
echo "ok: NO_COLOR=1 shows no colour"
keys Q
# --color=never: the same, without the environment variable.
T kill-session -t ui
T -f /dev/null new-session -d -s ui -x 100 -y 40 \
    "TERM=screen '$PKTSCOPE' -r '$PING' --color=never; echo EXIT=\$?; sleep 60"
wait_for '14 packets'
keys j j j
sleep 0.3
if T capture-pane -p -e -t ui | grep -a -E -q "$e\[([0-9;]*;)?(3[0-7]|4[0-7])(;[0-9;]*)?m"; then
    fail "--color=never still shows colours"
fi
echo "ok: --color=never shows no colour"
echo "PASS"
