#!/usr/bin/env bash
# Issue 13, attack 6: output files never follow a planted name. In a sticky world-writable
# directory (as /tmp is): -w onto a symbolic link to a root-only file is refused with a message
# naming the file, and the target is untouched; -w onto a file of another user is refused; -w
# onto our own file still overwrites it. The TUI's ladder save (S) onto a planted
# pktscope-tcp-stream-0.svg symlink is refused with a message, leaving the link and its target
# alone; another name typed at the prompt saves.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
. "$(dirname "$0")/lib/skip.sh"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}halt_on_error=1:abort_on_error=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:abort_on_error=1"
PCAP=$SRCDIR/tests/pcaps/http-get.pcap
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
chmod 1777 "$D"
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
printf 'SECRET\n' >"$D/secret"
chmod 600 "$D/secret"

# A planted symlink.
ln -s "$D/secret" "$D/out.pcap"
"$PKTSCOPE" -r "$PCAP" -w "$D/out.pcap" --stats >/dev/null 2>"$D/err"
rc=$?
[ "$rc" -eq 2 ] || bad "-w onto a symlink: exit status $rc, wanted 2"
grep -q "out.pcap.*symbolic link" "$D/err" || bad "-w onto a symlink: no clear message: $(cat "$D/err")"
[ "$(cat "$D/secret")" = SECRET ] || bad "-w followed the symlink and overwrote its target"

# Our own file: overwritten as before.
printf 'old contents, longer than nothing\n' >"$D/mine.pcap"
"$PKTSCOPE" -r "$PCAP" -w "$D/mine.pcap" --stats >/dev/null 2>"$D/err" || bad "-w onto our own file failed: $(cat "$D/err")"
"$PKTSCOPE" -r "$D/mine.pcap" --stats >/dev/null 2>&1 || bad "-w onto our own file: the result does not read back"

# Another user's file (root can make one; others skip this part).
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
    printf 'theirs\n' >"$D/theirs.pcap"
    chown nobody "$D/theirs.pcap"
    "$PKTSCOPE" -r "$PCAP" -w "$D/theirs.pcap" --stats >/dev/null 2>"$D/err"
    rc=$?
    [ "$rc" -eq 2 ] || bad "-w onto another user's file: exit status $rc, wanted 2"
    grep -q "theirs.pcap.*another user" "$D/err" || bad "-w onto another user's file: $(cat "$D/err")"
    [ "$(cat "$D/theirs.pcap")" = theirs ] || bad "-w overwrote another user's file"
    other_user_checked=1
fi

# The TUI's ladder save.
if command -v tmux >/dev/null; then
    . "$(dirname "$0")/lib/tmux-ui.sh"
    trap 'cleanup; rm -rf "$D"' EXIT
    ln -s "$D/secret" "$D/pktscope-tcp-stream-0.svg"
    T -f /dev/null new-session -d -s ui -x 120 -y 30 -c "$D" \
        "NO_COLOR=1 TERM=screen '$PKTSCOPE' -r '$PCAP' 2>'$WORK/err'; echo EXIT=\$?; sleep 60"
    wait_for '14 packets'
    keys c
    wait_for 'Connections: 1'
    keys L
    wait_for 'Ladder: TCP stream 0'
    # The default name is the planted link: refused, saying why; another name saves.
    keys S
    wait_for 'Save the ladder \(SVG\) as .*: pktscope-tcp-stream-0\.svg'
    keys Enter
    wait_for 'not saved: pktscope-tcp-stream-0\.svg is a symbolic link'
    keys S
    keys C-u
    type_line pktscope-tcp-stream-0-2.svg
    wait_for 'saved the ladder as pktscope-tcp-stream-0-2\.svg'
    keys Q
    wait_for 'EXIT=0'
    [ "$(cat "$D/secret")" = SECRET ] || bad "the ladder save followed the planted symlink"
    [ -L "$D/pktscope-tcp-stream-0.svg" ] || bad "the planted symlink was replaced"
    grep -q '<svg' "$D/pktscope-tcp-stream-0-2.svg" || bad "the ladder was not saved as SVG"
else
    skip "tmux not installed: the ladder save was not checked"
fi
[ "$fails" -eq 0 ] || exit 1
[ -n "${other_user_checked:-}" ] || skip "not root: -w onto another user's file was not checked"
echo "write_safety: ok"
