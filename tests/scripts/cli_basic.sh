#!/usr/bin/env bash
# The command line as a user meets it: --help, --version, exit statuses and their messages,
# -c, -r - from a pipe, a BPF expression after the options, -F, -w then reading back (pcap and
# pcapng) gives the same packets, tcpdump's -t family, NO_COLOR and --color, and --json's
# writes to a full disk (an error) and to a pipe closed early (not one), on one thread and two.
set -u
P=${PKTSCOPE:?PKTSCOPE names the binary}
SRC=${SRCDIR:?}
PC=$SRC/tests/pcaps/http-get.pcap
[ -r "$PC" ] || { echo "missing $PC"; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/pktscope-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# run CMD...: sets rc, out (stdout) and err (stderr); bounded in time.
run() {
    timeout 60 "$@" >"$T/out" 2>"$T/err" </dev/null
    rc=$?
    out=$(cat "$T/out")
    err=$(cat "$T/err")
}
expect_rc() { # want description
    if [ "$rc" -eq "$1" ]; then ok "$2 (exit $rc)"; else fail "$2: exit $rc, wanted $1; stderr: $err"; fi
}
expect_err() { # regex description
    if grep -Eq -- "$1" "$T/err"; then ok "$2"; else fail "$2: stderr lacks /$1/: $err"; fi
}

run "$P" --help
expect_rc 0 "--help"
grep -q "^Usage: pktscope" "$T/out" && grep -q -- "--json" "$T/out" && grep -q "Exit status" "$T/out" \
    && ok "--help text" || fail "--help text incomplete"
[ -z "$err" ] || fail "--help wrote to stderr"
[ "$(awk 'length > 80' "$T/out" | wc -l)" -eq 0 ] && ok "--help fits 80 columns" || fail "--help is wider than 80 columns"
run "$P" -h
expect_rc 0 "-h"
# Every long option --help names is documented in the manual page, and the page is clean.
MAN=$SRC/doc/pktscope.1
if [ -r "$MAN" ]; then
    missing=""
    for opt in $("$P" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" "$MAN" || missing="$missing $opt"
    done
    [ -z "$missing" ] && ok "the man page documents every option" || fail "man page lacks:$missing"
    if command -v groff >/dev/null; then
        w=$(groff -man -Tutf8 -ww "$MAN" 2>&1 >/dev/null)
        [ -z "$w" ] && ok "groff -ww: no warnings" || fail "groff: $w"
    fi
else
    fail "no $MAN"
fi

run "$P" --version
expect_rc 0 "--version"
echo "$out" | grep -Eq '^pktscope [0-9]+\.[0-9]+\.[0-9]+$' && ok "--version text" || fail "--version: $out"

run "$P" --no-such-option -r "$PC"
expect_rc 2 "unknown long option"
expect_err "unknown option --no-such-option" "unknown option named"
expect_err "pktscope --help" "unknown option points at --help"
run "$P" -Q -r "$PC"
expect_rc 2 "unknown short option"
run "$P" -r
expect_rc 2 "missing value"
expect_err "needs a value" "missing value message"
run "$P" -r "$PC" -c zero --print
expect_rc 2 "bad -c"
expect_err "-c wants a packet count" "bad -c message"
run "$P" -r "$PC" --json --stats
expect_rc 2 "two output modes"
expect_err "cannot be used together" "two output modes message"
run "$P" -r "$PC" -i lo
expect_rc 2 "-r with -i"
run "$P" --print
expect_rc 2 "no input"
expect_err "no input" "no input message"

run "$P" -r "$T/does-not-exist.pcap" --print
expect_rc 2 "missing file"
expect_err "does-not-exist.pcap: cannot open: No such file" "missing file message names the file"

printf 'this is not a capture file\n' >"$T/text.txt"
run "$P" -r "$T/text.txt" --print
expect_rc 2 "not a capture"
expect_err "text.txt: not a pcap or pcapng file" "not a capture message"

run "$P" -r "$PC" --print tcp port
expect_rc 2 "invalid filter"
expect_err 'filter expression "tcp port"' "invalid filter message quotes the expression"
[ -z "$out" ] || fail "invalid filter printed packets"

# The reference output.
run "$P" -r "$PC" --print
expect_rc 0 "--print"
cp "$T/out" "$T/all.txt"
total=$(wc -l <"$T/all.txt")
[ "$total" -ge 10 ] && ok "--print shows $total packets" || fail "--print shows only $total lines"

run "$P" -r "$PC" --print -c 3
expect_rc 0 "-c 3"
[ "$(wc -l <"$T/out")" -eq 3 ] && ok "-c 3 prints 3" || fail "-c 3 printed $(wc -l <"$T/out")"
head -3 "$T/all.txt" | cmp -s - "$T/out" && ok "-c 3 prints the first 3" || fail "-c 3 differs"

# A filter after the options: only TCP, numbered as in the file; tshark agrees on the count.
run "$P" -r "$PC" --print tcp
expect_rc 0 "filter tcp"
ntcp=$(wc -l <"$T/out")
grep -q " ARP " "$T/out" && fail "filter tcp let ARP through" || ok "filter tcp removes ARP"
if command -v tshark >/dev/null; then
    want=$(timeout 60 tshark -r "$PC" -Y tcp 2>/dev/null | wc -l)
    [ "$ntcp" -eq "$want" ] && ok "filter tcp: $ntcp packets as tshark" || fail "filter tcp: $ntcp, tshark $want"
fi
# The same filter from a file (-F), with a comment.
printf '# only TCP\ntcp\n' >"$T/filter.txt"
run "$P" -r "$PC" --print -F "$T/filter.txt"
expect_rc 0 "-F"
[ "$(wc -l <"$T/out")" -eq "$ntcp" ] && ok "-F gives the same packets" || fail "-F differs"
run "$P" -r "$PC" --print -c 2 tcp
[ "$(wc -l <"$T/out")" -eq 2 ] && ok "-c counts after the filter" || fail "-c with filter"

# -r - from a pipe gives exactly what the file gives.
timeout 60 cat "$PC" | timeout 60 "$P" -r - --print >"$T/pipe.txt" 2>"$T/err"
rc=$?
[ "$rc" -eq 0 ] && cmp -s "$T/pipe.txt" "$T/all.txt" && ok "-r - from a pipe" || fail "-r - from a pipe (exit $rc)"
timeout 60 cat "$PC" | timeout 60 "$P" -r - --print -c 2 >"$T/pipe2.txt" 2>"$T/err"
[ "$(wc -l <"$T/pipe2.txt")" -eq 2 ] && ok "-r - with -c" || fail "-r - with -c"

# -w then read back: the same packets, for pcap and pcapng, and tshark reads both.
for ext in pcap pcapng; do
    run "$P" -r "$PC" --print -w "$T/copy.$ext"
    expect_rc 0 "-w copy.$ext"
    cmp -s "$T/out" "$T/all.txt" && ok "-w does not change --print" || fail "-w changed --print"
    run "$P" -r "$T/copy.$ext" --print
    cmp -s "$T/out" "$T/all.txt" && ok "copy.$ext reads back the same" || fail "copy.$ext reads back differently"
    run "$P" -r "$T/copy.$ext" --json
    "$P" -r "$PC" --json >"$T/orig.json" 2>/dev/null
    cmp -s "$T/out" "$T/orig.json" && ok "copy.$ext: same --json" || fail "copy.$ext: --json differs"
    if command -v tshark >/dev/null; then
        n=$(timeout 60 tshark -r "$T/copy.$ext" 2>/dev/null | wc -l)
        [ "$n" -eq "$total" ] && ok "tshark reads copy.$ext ($n)" || fail "tshark reads $n of $total from copy.$ext"
    fi
done
# A filtered copy holds only the filtered packets.
run "$P" -r "$PC" --stats -w "$T/tcp.pcap" tcp
run "$P" -r "$T/tcp.pcap" --print
[ "$(wc -l <"$T/out")" -eq "$ntcp" ] && ok "-w with a filter writes the matches" || fail "-w with filter"
# -w - writes the capture to standard output: a pipe into another reader.
timeout 60 "$P" -r "$PC" -w - 2>"$T/err" | timeout 60 "$P" -r - --print >"$T/wpipe.txt" 2>>"$T/err"
cmp -s "$T/wpipe.txt" "$T/all.txt" && ok "-w - | -r -" || fail "-w - | -r - differs: $(cat "$T/err")"
run "$P" -r "$PC" -w - --json
expect_rc 2 "-w - with --json"
run "$P" -r "$PC" --print -w /nonexistent-dir/x.pcap
expect_rc 2 "-w into a missing directory"
expect_err "/nonexistent-dir/x.pcap" "-w error names the file"

# tcpdump's -tt (epoch) and --time=epoch agree; -t alone is refused with advice.
run "$P" -r "$PC" --print -tt -c 1
a=$out
run "$P" -r "$PC" --print --time=epoch -c 1
[ -n "$a" ] && [ "$a" = "$out" ] && ok "-tt is --time=epoch" || fail "-tt differs from --time=epoch"
echo "$a" | grep -Eq '^ *1 +1[0-9]{9}\.[0-9]{6} ' && ok "-tt prints epoch seconds" || fail "-tt: $a"
run "$P" -r "$PC" --print -t
expect_rc 2 "-t alone"

# Colour: never in a file by default, never with NO_COLOR, on with --color=always.
esc=$(printf '\033')
run "$P" -r "$PC" --print -c 5
grep -q "$esc" "$T/out" && fail "colour in a file" || ok "no colour in a file"
run "$P" -r "$PC" --print -c 5 --color=always
grep -q "$esc\[" "$T/out" && ok "--color=always colours" || fail "--color=always has no colour"
sed "s/$esc\[[0-9;]*m//g" "$T/out" | cmp -s - <(head -5 "$T/all.txt") && ok "colour changes nothing but colour" \
    || fail "coloured text differs from plain"
# Under a terminal (script(1) gives one) NO_COLOR turns auto colour off.
if command -v script >/dev/null; then
    NO_COLOR=1 timeout 60 script -qec "$P -r $PC --print -c 5" /dev/null >"$T/tty.txt" 2>&1 </dev/null
    grep -q "$esc\[[0-9;]*m" "$T/tty.txt" && fail "NO_COLOR ignored on a terminal" || ok "NO_COLOR on a terminal"
    TERM=xterm timeout 60 script -qec "env -u NO_COLOR $P -r $PC --print -c 5" /dev/null >"$T/tty2.txt" 2>&1 </dev/null
    grep -q "$esc\[[0-9;]*m" "$T/tty2.txt" && ok "colour on a terminal by default" || fail "no colour on a terminal"
fi

# Options that only make sense live are refused with -r.
run "$P" -r "$PC" --print -s 64
expect_rc 2 "-s with -r"
run "$P" --follow --print
expect_rc 2 "--follow without -r"
run "$P" --follow -r - --print
expect_rc 2 "--follow on standard input"
run "$P" -i lo --replay --print
expect_rc 2 "--replay with -i"
run "$P" -i lo -K --checksums --print
expect_rc 2 "-K with --checksums"


# -Y: a display filter narrows every batch mode; a bad one exits 2 with a caret.
run "$P" -r "$PC" -Y 'tcp.len > 0 && ip.src == 10.0.0.1' --print
expect_rc 0 "-Y with --print"
[ "$(printf '%s\n' "$out" | awk '{print $1}' | tr '\n' ' ')" = "6 " ] && ok "-Y keeps packet 6 only" \
    || fail "-Y kept: $out"
run "$P" -r "$PC" -Y arp --stats
expect_rc 0 "-Y with --stats"
grep -Eq "^ *Packets: *2\b|Packets *2\b|2 packets" "$T/out" && ok "-Y --stats counts the 2 ARP packets" \
    || fail "-Y --stats: $(head -5 "$T/out")"
run "$P" -r "$PC" -Y udp --conns
expect_rc 0 "-Y with --conns"
[ "$(grep -c ' tcp ' "$T/out")" -eq 0 ] && ok "-Y udp leaves the TCP connection out of --conns" \
    || fail "-Y udp --conns: $out"
run "$P" -r "$PC" -Y 'ip.adr == 10.0.0.1' --print
expect_rc 2 "-Y with an unknown field"
expect_err 'did you mean ip.addr' "-Y suggests the nearest field"
expect_err '^  \^~~~~~$' "-Y puts a caret under the bad token"
run "$P" -r "$PC" --ladder=0 -Y udp
expect_rc 2 "--ladder with a filter that matches none of its packets"
expect_err "no packet of TCP stream 0 matches the display filter" "--ladder -Y message"
run "$P" --list-fields
expect_rc 0 "--list-fields"
grep -q "	tcp.analysis.retransmission	" "$T/out" && grep -q "	ip.addr	" "$T/out" \
    && ok "--list-fields lists the tracker's and the either-side fields" || fail "--list-fields"

# --json's own writes (one thread: gathered and written by write(2); several: each batch by the
# thread that has it): a full disk is an error with its reason, a reader that stops early is not.
for threads in 1 2; do
    timeout 60 "$P" -r "$PC" --json --threads $threads >/dev/full 2>"$T/err" </dev/null
    rc=$?
    expect_rc 2 "--json --threads $threads to a full disk"
    expect_err "error writing the output: No space left on device" "--json --threads $threads says why"
    timeout 60 "$P" -r "$PC" --json --threads $threads 2>"$T/err" </dev/null | head -c 100 >/dev/null
    rc=${PIPESTATUS[0]}
    expect_rc 0 "--json --threads $threads into a pipe closed early"
done

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
