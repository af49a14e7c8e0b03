#!/usr/bin/env bash
# Reading a file as root: once the input and the -w output are open, a batch run drops to nobody
# (or -Z USER) before the first packet is parsed, as a live capture does after opening its
# interface (issue 13, attack 6). Checked on a running process (--follow keeps it reading):
# its real, effective, saved and filesystem uids are nobody's, and the -w file it opened first,
# in a directory only root may write, was still written.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
. "$(dirname "$0")/lib/skip.sh"
[ "$(id -u)" -eq 0 ] || skip "file_privs: needs root (it checks that root is given up)"
id nobody >/dev/null 2>&1 || skip "file_privs: there is no user nobody"
T=$(mktemp -d "${TMPDIR:-/tmp}/pktscope-privs.XXXXXX") # 0700, root's
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
cp "$SRCDIR/tests/pcaps/http-get.pcap" "$T/in.pcap"
nobody_uid=$(id -u nobody)

"$PKTSCOPE" -r "$T/in.pcap" --follow --print -w "$T/out.pcap" >"$T/stdout" 2>"$T/stderr" &
pid=$!
# Bounded wait: until the 14 packets are printed (the drop happens before the first).
for ((i = 0; i < 100; i++)); do
    [ "$(wc -l <"$T/stdout")" -ge 14 ] && break
    sleep 0.1
done
uids=$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$pid/status" 2>/dev/null)
[ "$uids" = "$nobody_uid $nobody_uid $nobody_uid $nobody_uid" ] \
    && echo "ok: reading as nobody ($uids)" || fail "uids of the reader: '$uids', wanted $nobody_uid"
kill "$pid"
wait "$pid" 2>/dev/null
pid=
[ "$(wc -l <"$T/stdout")" -eq 14 ] && echo "ok: 14 packets printed" || fail "printed $(wc -l <"$T/stdout") packets"
n=$("$PKTSCOPE" -r "$T/out.pcap" --print 2>/dev/null | wc -l)
[ "$n" -eq 14 ] && echo "ok: -w (opened as root in a root-only directory) holds 14 packets" \
    || fail "-w file holds $n packets"
# -Z names the user to become.
"$PKTSCOPE" -r "$T/in.pcap" -Z nobody --stats >/dev/null 2>"$T/stderr" && echo "ok: -Z nobody with -r" \
    || fail "-Z nobody with -r: $(cat "$T/stderr")"
echo "$fails failure(s)"
[ "$fails" -eq 0 ]
