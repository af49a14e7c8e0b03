#!/usr/bin/env bash
# Issue 12 item 7 in the TUI (tmux, 120x30, http-get.pcap): C opens the column chooser, a adds a
# registry field (a typo is refused with the nearest name offered), the packet list shows it
# with tshark's value, d removes and < > move a column; the settings file is written
# ($XDG_CONFIG_HOME/pktscope/config, atomically, directory 0700) with the columns, t's time
# format and the connection view's sort, and the next start reads it (and --no-config does
# not). A broken file is told on the message line and the TUI still starts.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
PCAP=$SRCDIR/tests/pcaps/http-get.pcap
[ -r "$PCAP" ] || { echo "SKIP: $PCAP missing"; exit 77; }
export TZ=UTC LC_ALL=C

. "$(dirname "$0")/lib/tmux-ui.sh"

CONF=$XDG_CONFIG_HOME/pktscope/config
start() { # extra options
    T kill-session -t ui 2>/dev/null
    T -f /dev/null new-session -d -s ui -x 120 -y 30 -c "$WORK" \
        "NO_COLOR=1 TERM=screen '$PKTSCOPE' -r '$PCAP' $*; echo EXIT=\$?; sleep 60"
    wait_for '14 packets'
}

start
expect 'No\. +Time +Source +Destination +Proto'
keys C
wait_for 'Columns of the packet list'
expect ' 1  No\. +built-in'
expect ' 8  Info +built-in'
# After Destination (the 4th): a typo first, then the field.
keys j j j
keys a
wait_for 'Add column'
type_line ip.tll
expect "unknown column 'ip.tll'.*did you mean ip.ttl"
keys a
type_line ip.ttl
expect 'column ip\.ttl added'
expect ' 5  ip\.ttl +field'
[ -f "$CONF" ] || fail "no settings file written at $CONF"
grep -qx 'columns = no,time,source,destination,ip.ttl,protocol,length,phase,info' "$CONF" ||
    fail "settings file: $(cat "$CONF")"
[ "$(stat -c %a "$XDG_CONFIG_HOME/pktscope")" = 700 ] || fail "the settings directory is not 0700"
ls "$XDG_CONFIG_HOME/pktscope" | grep -q tmp && fail "a temporary file was left behind"
# Move it right past Proto, then remove Len.
keys '>'
expect ' 6  ip\.ttl +field'
keys j
expect ' 7  Len'
keys d
reject ' [0-9]+  Len +built-in'
keys q
# The list: the header and frame 3's TTL (tshark: 64), no Len column.
expect 'No\. +Time +Source +Destination +Proto +ip\.ttl +Phase +Info'
expect '^ +3 +0\.000023 +10\.0\.0\.1 +10\.0\.0\.2 +TCP +64 +handshake'
# t is saved; so is the connections' sort.
keys t
expect 'time: time of day'
grep -qx 'time = abs' "$CONF" || fail "time not saved: $(cat "$CONF")"
keys c
expect 'ID'
keys '>'
keys q
grep -qx 'conns-sort = proto asc' "$CONF" || fail "conns sort not saved: $(cat "$CONF")"

# The next start reads it all.
start
expect 'No\. +Time \(UTC\) +Source +Destination +Proto +ip\.ttl +Phase +Info'
reject 'Len '
# --no-config: today's columns, and nothing written.
cp "$CONF" "$WORK/before"
start --no-config
expect 'No\. +Time +Source +Destination +Proto +Len +Phase'
keys t
cmp -s "$CONF" "$WORK/before" || fail "--no-config wrote the settings file"

# A broken file: told, and the TUI starts with the rest.
printf 'columns = no,ip.ttl,info\nwhat\n' >"$CONF"
start
expect 'config:2: not .key = value'
expect 'No\. +Time +ip\.ttl|No\. +ip\.ttl +Info'
T kill-session -t ui
echo "ui_chooser: all passed"
