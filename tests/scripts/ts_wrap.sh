#!/usr/bin/env bash
# Issue 13, attacks 1 and 2: timestamps at the edge of 64 bits (tests/pcaps/crafted/
# ng-ts-wrap.pcapng: if_tsresol 0 with EPBs at 2^64-1 and 2^63-1 s, an if_tsoffset of -2^63, and
# a TCP connection lasting from the earliest to the latest). Every place that subtracts, adds or
# negates times runs on it: --print in each time format, -V, --json, --stats, --conns in three
# formats, the ladder, --print --replay, and the TUI with --replay, its connections sorted by
# duration. No sanitizer report, exit 0, no "--" double sign, no negative time span.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
. "$(dirname "$0")/lib/skip.sh"
export TZ=UTC LC_ALL=C
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}halt_on_error=1:abort_on_error=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:abort_on_error=1:print_stacktrace=1"
PCAP=$SRCDIR/tests/pcaps/crafted/ng-ts-wrap.pcapng
[ -r "$PCAP" ] || { echo "FAIL: $PCAP missing (python3 tests/pcaps/craft.py)"; exit 1; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

run() { # label args...
    local label=$1
    shift
    timeout 60 "$PKTSCOPE" -r "$PCAP" "$@" >"$OUT/out" 2>"$OUT/err" </dev/null
    local rc=$?
    [ "$rc" -eq 0 ] || bad "$label: exit status $rc; stderr: $(head -c 600 "$OUT/err")"
    [ -s "$OUT/err" ] && bad "$label: wrote to stderr: $(head -c 600 "$OUT/err")"
    grep -q -- '--[0-9]' "$OUT/out" && bad "$label: a doubled minus sign: $(grep -m1 -- '--[0-9]' "$OUT/out")"
    grep -Eq 'Time span +-' "$OUT/out" && bad "$label: a negative time span: $(grep -m1 'Time span' "$OUT/out")"
    return 0
}

for t in rel abs delta epoch; do run "--print --time=$t" --print --time=$t; done
run "-V" -V
run "--json" --json
run "--stats" --stats
grep -Eq 'Time span +9223372036\.854775 s' "$OUT/out" || bad "--stats: the span is not saturated: $(grep 'Time span' "$OUT/out")"
for f in text json zeek; do run "--conns=$f" --conns=$f; done
run "--ladder=0" --ladder=0
run "--print --replay" --print --replay=1000000 # a span of centuries waits at most 10 s

# The TUI: --replay paces by the (saturated) times; the connections sorted by duration.
if command -v tmux >/dev/null; then
    . "$(dirname "$0")/lib/tmux-ui.sh"
    trap 'cleanup; rm -rf "$OUT"' EXIT
    # --replay: the replay clock subtracts the capture's times (12 s: one 10 s wait).
    T -f /dev/null new-session -d -s ui -x 120 -y 30 -c "$WORK" \
        "NO_COLOR=1 TERM=screen '$PKTSCOPE' -r '$PCAP' --replay=1000000 2>'$WORK/err'; echo EXIT=\$?; sleep 60"
    wait_for 'packet [0-9]+ of 69' 300
    sleep 12
    keys Q
    wait_for 'EXIT=0'
    [ -s "$WORK/err" ] && bad "TUI --replay: stderr: $(head -c 600 "$WORK/err")"
    T kill-session -t ui
    # Sorting by duration compares a span of centuries with the others.
    T -f /dev/null new-session -d -s ui -x 120 -y 30 -c "$WORK" \
        "NO_COLOR=1 TERM=screen '$PKTSCOPE' -r '$PCAP' 2>'$WORK/err'; echo EXIT=\$?; sleep 60"
    wait_for '69 packets' 300
    keys c
    wait_for 'sorted by ID'
    keys '<' # the sort goes round: SERVER NAME, then DURATION
    keys '<'
    wait_for 'sorted by DURATION'
    expect '^ +0 tcp '
    keys r
    wait_for 'sorted by DURATION \(reversed\)'
    keys q
    keys Q
    wait_for 'EXIT=0'
    [ -s "$WORK/err" ] && bad "TUI: stderr: $(head -c 600 "$WORK/err")"
else
    skip "tmux not installed: the TUI half of this test did not run"
fi
[ "$fails" -eq 0 ] || exit 1
echo "ts_wrap: ok"
