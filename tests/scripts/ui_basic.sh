#!/usr/bin/env bash
# TUI: open a capture in an 80x24 terminal (tmux), scroll, select a packet, check its layers
# on the OSI model and the TCP/IP model, and that moving in the bytes selects the field that
# owns them with those bytes highlighted; quit and check the terminal is restored.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
PCAP=$SRCDIR/tests/pcaps/http-get.pcap
[ -r "$PCAP" ] || { echo "SKIP: $PCAP missing"; exit 77; }

. "$(dirname "$0")/lib/tmux-ui.sh"

T -f /dev/null new-session -d -s ui -x 80 -y 24 \
    "NO_COLOR=1 TERM=screen '$PKTSCOPE' -r '$PCAP'; echo EXIT=\$?; sleep 60"

# First screen: the list with its header and the first packets.
wait_for '14 packets'
# Text cut at the right edge ends in an ellipsis ('~' without UTF-8), after a whole word: an
# address is never cut. At 80 columns the info keeps 27, so the time gives way to the MAC
# addresses, whole.
expect 'No\. +Source +Destination +Proto +Phase +Info'
expect '^ +1 00:1b:21:0a:00:01 +Broadcast +ARP +Who has 10\.0\.0\.2\? Tell~$'
expect '^ +3 10\.0\.0\.1 +10\.0\.0\.2 +TCP +hshk +[0-9]+ -> 80 \[SYN\] Seq=0~$'
expect 'Layers \(OSI model\)'

# Scroll down to the SYN-ACK (packet 4); its layers, folded, are the OSI stack.
keys j j j
keys Enter
keys z
wait_for 'Frame 4: 74 bytes on the wire'
expect '^\+ L2 Data link - Ethernet II'
expect '^\+ L3 Network - Internet Protocol Version 4'
expect '^\+ L4 Transport - Transmission Control Protocol'
expect 'Connection \(pktscope tracker\): tcp\.stream 0'
# Open the IPv4 layer.
keys j j
keys Space
wait_for '^- L3 Network - Internet Protocol Version 4'
# The TTL's hop count is on screen (the source address is a few lines below it at 80x24).
expect 'Hops: TTL 64: no router'
keys o
wait_for 'Layers \(TCP/IP model\)'
expect 'L3 Network \(Internet\) - Internet Protocol Version 4'
keys o
keys z

# The bytes pane: byte 26 is the first byte of the IPv4 source address.
keys Tab
wait_for 'Bytes +cursor 0x000e \(14\) +marked \[14, 60\]'
keys g
wait_for 'Bytes +cursor 0x0000'
T send-keys -t ui -N 26 l
sleep 0.3
wait_for 'field: Source address \(ip\.src\) +marked \[26, 4\]'
# The four address bytes are highlighted (reverse video without colours).
line=$(T capture-pane -p -e -t ui | grep -a '^.*0010 ' | head -1)
printf '%s' "$line" | grep -aq $'\e\\[[0-9;]*7m0a' || fail "byte 26 not highlighted: $line"
printf '%s' "$line" | grep -aq '00 00 02' || fail "address bytes missing: $line"
# And the layers pane moved to that field.
keys BTab
keys z
wait_for '^ +Source address: 10\.0\.0\.2 +\[26, 4\]'
keys z

# Paging and the ends of the list.
keys Tab
keys Tab
keys G
wait_for '^ +14 '
keys g
# (At 80 columns the time column gives way to whole MAC addresses: the message says so.)
keys t
wait_for 'time: time of day, UTC \(the list has no room'
keys t
wait_for 'time: seconds since the previous packet'
keys t

# Quit: the alternate screen is left and mouse reporting is off. (One q: a second one, sent
# while pktscope exits, would reach the shell and stand before EXIT=0 on a loaded machine.)
keys q
wait_for 'EXIT=0$'
[ "$(T display -p -t ui '#{alternate_on}')" = 0 ] || fail "alternate screen still on"
[ "$(T display -p -t ui '#{mouse_any_flag}')" = 0 ] || fail "mouse reporting still on"
echo PASS
