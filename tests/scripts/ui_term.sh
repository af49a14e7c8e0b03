#!/usr/bin/env bash
# TUI terminal manners (tmux): the layout follows resizes (80x24 -> 200x60), a clear message
# below the minimum size, TERM=vt100 without colours, a capture read from standard input
# (keys then come from the terminal), and the terminal restored after q, Ctrl-C and SIGTERM.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
PCAP=$SRCDIR/tests/pcaps/http-get.pcap
[ -r "$PCAP" ] || { echo "SKIP: $PCAP missing"; exit 77; }

. "$(dirname "$0")/lib/tmux-ui.sh"
restored() {
    [ "$(T display -p -t ui '#{alternate_on}')" = 0 ] || fail "$1: alternate screen still on"
    [ "$(T display -p -t ui '#{mouse_any_flag}')" = 0 ] || fail "$1: mouse reporting still on"
}
start() { # start WIDTH HEIGHT COMMAND
    T kill-session -t ui 2>/dev/null
    T -f /dev/null new-session -d -s ui -x "$1" -y "$2" "$3; echo EXIT=\$?; sleep 60"
}

# Resizing: 80x24, then 200x60 (wider columns, more rows), too small, and back.
start 80 24 "TERM=screen '$PKTSCOPE' -r '$PCAP'"
wait_for '14 packets'
expect '^ +8 10\.0\.0\.2 '
T resize-window -t ui -x 200 -y 60
wait_for '^ +14 0\.010605 +10\.0\.0\.2 +10\.0\.0\.1 +TCP +66 teardown'
expect 'Layers \(OSI model\)'
T resize-window -t ui -x 40 -y 10
wait_for 'pktscope needs at least 60x16; this'
T resize-window -t ui -x 80 -y 24
wait_for '^ +3 10\.0\.0\.1'
keys q
wait_for '^EXIT=0'
restored q

# Ctrl-C quits cleanly.
start 80 24 "TERM=screen '$PKTSCOPE' -r '$PCAP'"
wait_for '14 packets'
keys C-c
wait_for '^EXIT=0'
restored Ctrl-C

# SIGTERM too (the pane's shell is ours; pktscope is its only child).
start 80 24 "TERM=screen '$PKTSCOPE' -r '$PCAP'"
wait_for '14 packets'
shell=$(T display -p -t ui '#{pane_pid}')
pid=$(pgrep -P "$shell" | head -1)
[ -n "$pid" ] || fail "cannot find the pktscope process"
kill -TERM "$pid"
wait_for '^EXIT=0'
restored SIGTERM

# vt100: no colours, still usable; a capture from standard input.
start 80 24 "cat '$PCAP' | TERM=vt100 '$PKTSCOPE' --tui -r -"
wait_for '14 packets'
expect '^ +3 10\.0\.0\.1'
keys G
keys Enter
keys z
wait_for 'Frame 14: 66 bytes'
keys Q
wait_for '^EXIT=0'
restored vt100
echo PASS
