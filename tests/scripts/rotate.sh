#!/usr/bin/env bash
# Issue 14 item 4: -w split as tcpdump's -C, -G and -W do. Every file reads back with tcpdump
# -r and their packets add up to the capture's; -C files are tcpdump's own byte for byte
# (NAME, NAME1...; -W: NAME0... in a ring that keeps COUNT files); -G splits by the capture's
# time (strftime names, each file within its interval), and with -W stops after COUNT files;
# a rotated .pcapng name stays pcapng; a planted symbolic link is not followed.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
. "$(dirname "$0")/lib/skip.sh"
command -v tcpdump >/dev/null || skip "tcpdump is not installed (it reads the files back)"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}halt_on_error=1:abort_on_error=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:abort_on_error=1"
PCAP=$SRCDIR/tests/pcaps/zeekbytes-download.pcap
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
chmod 777 "$D" # root gives up its privileges (nobody) before the files are made, as tcpdump -C
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
count() { tcpdump -r "$1" 2>/dev/null | wc -l; }
total=$(count "$PCAP")
[ "$total" -gt 50 ] || bad "the test capture reads as $total packets"

# -C: NAME, NAME1, NAME2...; each file but the last over the size, all adding up.
"$PKTSCOPE" -r "$PCAP" -C 30k -w "$D/c.pcap" 2>"$D/err" || bad "-C: exit $?: $(cat "$D/err")"
sum=0 n=0
for f in "$D/c.pcap" "$D"/c.pcap[0-9]*; do
    [ -e "$f" ] || continue
    k=$(count "$f") || bad "$f does not read back"
    [ "$k" -gt 0 ] || bad "$f holds no packet"
    sum=$((sum + k)) n=$((n + 1))
done
[ "$sum" -eq "$total" ] || bad "-C: the files hold $sum packets, the capture $total"
[ "$n" -ge 4 ] || bad "-C 30k made $n files of a 133 kB capture"
[ -e "$D/c.pcap1" ] && [ ! -e "$D/c.pcap0" ] || bad "-C names: $(ls "$D")"
for i in $(seq 1 $((n - 2))); do
    [ "$(stat -c %s "$D/c.pcap$i")" -gt 30720 ] || bad "c.pcap$i is not over 30 KiB"
done

# -C -W 3: a ring of c0, c1, c2 holding the newest packets.
"$PKTSCOPE" -r "$PCAP" -C 30k -W 3 -w "$D/r" 2>"$D/err" || bad "-W ring: exit $?: $(cat "$D/err")"
[ "$(ls "$D" | grep -c '^r')" -eq 3 ] || bad "-W 3 left $(ls "$D" | grep '^r' | tr '\n' ' ')"
last=$(ls "$D"/c.pcap* | sort -V | tail -1)
# The ring's files are the last three -C files: the same bytes, whatever slot each landed in.
for f in "$D"/r?; do
    found=0
    for g in "$D"/c.pcap*; do cmp -s "$f" "$g" && found=1; done
    [ $found -eq 1 ] || bad "-W ring file $f is none of the -C files"
done
cmp -s "$last" "$D/r$(((n - 1) % 3))" || bad "-W ring: the newest packets are not in r$(((n - 1) % 3))"

# tcpdump's own files, byte for byte (a public capture over 1 MB: -C 1, as tcpdump takes it).
BIG=${SHARED_PCAPS:-/nonexistent}/tcptrace_dsack.pcap
if [ -r "$BIG" ]; then
    z=()
    [ "$(id -u)" -eq 0 ] && z=(-Z root)
    (cd "$D" && tcpdump "${z[@]}" -r "$BIG" -C 1 -W 2 -w td 2>/dev/null) || bad "tcpdump -C failed"
    "$PKTSCOPE" -r "$BIG" -C 1 -W 2 -w "$D/ps" 2>"$D/err" || bad "-C 1 -W 2: $(cat "$D/err")"
    for i in 0 1; do
        cmp "$D/td$i" "$D/ps$i" || bad "-C 1 -W 2: file $i differs from tcpdump's"
    done
    # -G by the capture's own time: 18:09:26, 18:10:26, 18:11:26 (UTC), each file in its minute.
    "$PKTSCOPE" -r "$BIG" -G 60 -w "$D/g-%H%M%S.pcap" 2>"$D/err" || bad "-G: $(cat "$D/err")"
    [ "$(cd "$D" && ls g-*)" = "$(printf 'g-180926.pcap\ng-181026.pcap\ng-181126.pcap')" ] ||
        bad "-G 60 names: $(cd "$D" && ls g-* | tr '\n' ' ')"
    sum=0
    for f in "$D"/g-*; do
        sum=$((sum + $(count "$f")))
        start=$(basename "$f" .pcap | sed 's/g-//')
        out=$(tcpdump -tt -r "$f" 2>/dev/null | awk -v s="$(date -u -d "1996-08-22 ${start:0:2}:${start:2:2}:${start:4:2}" +%s)" \
            '{ if ($1 < s || $1 >= s + 60) bad++ } END { print bad + 0 }')
        [ "$out" -eq 0 ] || bad "$f holds $out packets outside its minute"
    done
    [ "$sum" -eq "$(count "$BIG")" ] || bad "-G: the files hold $sum packets"
    # -G -W 2: two files, then tcpdump's message and exit 0.
    "$PKTSCOPE" -r "$BIG" -G 60 -W 2 -w "$D/s-%H%M.pcap" 2>"$D/err" || bad "-G -W exit $?"
    grep -q 'Maximum file limit reached: 2' "$D/err" || bad "-G -W 2: $(cat "$D/err")"
    [ "$(ls "$D" | grep -c '^s-')" -eq 2 ] || bad "-G -W 2 made $(ls "$D" | grep '^s-' | tr '\n' ' ')"
fi

# A rotated pcapng name keeps the format (its name no longer ends in .pcapng).
"$PKTSCOPE" -r "$PCAP" -C 60k -w "$D/n.pcapng" 2>"$D/err" || bad "pcapng -C: $(cat "$D/err")"
for f in "$D"/n.pcapng*; do
    [ "$(head -c4 "$f" | od -An -tx1 | tr -d ' ')" = 0a0d0d0a ] || bad "$f is not pcapng"
    count "$f" >/dev/null || bad "$f does not read back"
done

# A planted symbolic link at the next name: refused, the target untouched.
printf 'SECRET\n' >"$D/secret"
ln -s "$D/secret" "$D/l.pcap1"
"$PKTSCOPE" -r "$PCAP" -C 30k -w "$D/l.pcap" >/dev/null 2>"$D/err"
rc=$?
[ "$rc" -eq 2 ] || bad "a symlink at l.pcap1: exit $rc, wanted 2"
grep -q 'l.pcap1.*symbolic link' "$D/err" || bad "a symlink at l.pcap1: $(cat "$D/err")"
[ "$(cat "$D/secret")" = SECRET ] || bad "the rotation followed a symlink"

# Usage: -C without -w, -W alone.
"$PKTSCOPE" -r "$PCAP" -C 1 --stats >/dev/null 2>&1
[ $? -eq 2 ] || bad "-C without -w accepted"
"$PKTSCOPE" -r "$PCAP" -W 3 -w "$D/x" >/dev/null 2>&1
[ $? -eq 2 ] || bad "-W without -C or -G accepted"

[ "$fails" -eq 0 ] || exit 1
echo "PASS: rotate"
