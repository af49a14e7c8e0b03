#!/usr/bin/env bash
# The settings file ($XDG_CONFIG_HOME/pktscope/config) in the batch outputs: its time format and
# columns are used, the command line wins over it, --no-config and a missing file leave today's
# output, and a broken or unreadable file gives ONE warning naming the file and line while the
# rest of it is used and the exit status stays what it was. An unknown --columns name is a usage
# error (exit 2) naming it.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
P=${PKTSCOPE:-$SRCDIR/build/pktscope}
T=$(mktemp -d "${TMPDIR:-/tmp}/pktscope-config.XXXXXX")
trap 'rm -rf "$T"' EXIT
export TZ=UTC LC_ALL=C XDG_CONFIG_HOME=$T/xdg
unset NO_COLOR
F=$SRCDIR/tests/pcaps/http-get.pcap
fails=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
C=$XDG_CONFIG_HOME/pktscope/config

"$P" -r "$F" --print >"$T/plain" 2>"$T/plain.err"
[ -s "$T/plain.err" ] && fail "no settings file, yet stderr: $(cat "$T/plain.err")" \
    || ok "a missing settings file is silent"

mkdir -p "$XDG_CONFIG_HOME/pktscope"
printf '# mine\ntime = delta\ncolumns = no, time, ip.ttl, info\n' >"$C"
"$P" -r "$F" --print >"$T/out" 2>"$T/err"
st=$?
line3=$(sed -n 3p "$T/out")
[ "$st" = 0 ] && [ ! -s "$T/err" ] && [ "$line3" = "$(printf '3\t0.000006\t64\t')$(cut -f4 <<<"$line3")" ] \
    && ok "the file's time format and columns are used" \
    || fail "file's settings not used (exit $st): $line3 / $(cat "$T/err")"
"$P" -r "$F" --print --time=rel --columns=no,time >"$T/out" 2>&1
[ "$(sed -n 3p "$T/out")" = "$(printf '3\t0.000023')" ] && ok "the command line wins over the file" \
    || fail "the command line did not win: $(sed -n 3p "$T/out")"
"$P" --no-config -r "$F" --print >"$T/out" 2>&1
cmp -s "$T/out" "$T/plain" && ok "--no-config: today's output" || fail "--no-config changed the output"

printf 'time = delta\nwhat is this\nbogus = 1\ncolumns = no,ip.tll\ncolor = sometimes\n' >"$C"
"$P" -r "$F" --print >"$T/out" 2>"$T/err"
st=$?
n=$(wc -l <"$T/err")
[ "$st" = 0 ] && [ "$n" = 1 ] && grep -q "$C:2: " "$T/err" && grep -q "and 3 more problems" "$T/err" \
    && ok "a broken file: one warning with file and line, exit 0" \
    || fail "broken file (exit $st, $n lines): $(cat "$T/err")"
[ "$(sed -n 3p "$T/out" | awk '{print $2}')" = "0.000006" ] && ok "the good lines of a broken file are used" \
    || fail "the good line (time = delta) was not used: $(sed -n 3p "$T/out")"

# A damaged capture keeps its exit status (1) with a broken settings file.
"$P" -r "$SRCDIR/tests/pcaps/crafted/http-get-cut.pcap" --print >/dev/null 2>"$T/err"
st=$?
[ "$st" = 1 ] && ok "exit status unchanged on damage (1)" || fail "exit $st on a damaged capture"

chmod 000 "$C"
if [ "$(id -u)" != 0 ]; then
    "$P" -r "$F" --print >/dev/null 2>"$T/err"
    st=$?
    [ "$st" = 0 ] && grep -q "cannot read it" "$T/err" && ok "an unreadable file: a warning, exit 0" \
        || fail "unreadable file (exit $st): $(cat "$T/err")"
fi
rm -f "$C"
mkdir "$C"
"$P" -r "$F" --print >/dev/null 2>"$T/err"
st=$?
[ "$st" = 0 ] && grep -q "not a regular file" "$T/err" && ok "a directory in its place: a warning, exit 0" \
    || fail "directory as config (exit $st): $(cat "$T/err")"
rmdir "$C"

"$P" -r "$F" --print --columns=no,ip.tll >/dev/null 2>"$T/err"
st=$?
[ "$st" = 2 ] && grep -q "unknown column 'ip.tll'" "$T/err" && grep -q "ip.ttl" "$T/err" \
    && grep -q -- "--list-fields" "$T/err" && ok "an unknown --columns name: exit 2, named, nearest given" \
    || fail "unknown column (exit $st): $(cat "$T/err")"
"$P" -r "$F" --json --columns=no >/dev/null 2>"$T/err"
[ $? = 2 ] && ok "--columns with --json is a usage error" || fail "--columns --json accepted"

[ "$fails" = 0 ] || { echo "$fails failed"; exit 1; }
echo "config_file: all passed"
