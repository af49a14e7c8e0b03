#!/usr/bin/env bash
# Issue 14 item 4: --conns-log DIR writes the --conns rows as Zeek's rotated logs,
# conn.YYYY-MM-DD-HH-MM-SS.log per -G interval (its start, UTC). Checked on test captures, in
# zeek and json: the files' rows are exactly --conns's rows; each row is in the file of the
# interval its connection ended in (ts + duration); every zeek file has Zeek's header with
# #open at its interval's start, and #close; nothing goes to standard output; a planted
# symbolic link is not followed.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}halt_on_error=1:abort_on_error=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:abort_on_error=1"
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
chmod 777 "$D" # root reading a file gives up its privileges (nobody) before writing
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

for pcap in classroom.pcap dns.pcap lossy.pcap http-keepalive.pcap; do
    for fmt in zeek json; do
        out=$D/$pcap.$fmt
        mkdir -m 777 "$out"
        "$PKTSCOPE" -r "$SRCDIR/tests/pcaps/$pcap" --conns=$fmt --conns-log "$out" -G 1 \
            >"$D/stdout" 2>"$D/err" || bad "$pcap $fmt: exit $?: $(cat "$D/err")"
        [ -s "$D/stdout" ] && bad "$pcap $fmt: standard output: $(head -3 "$D/stdout")"
        "$PKTSCOPE" -r "$SRCDIR/tests/pcaps/$pcap" --conns=$fmt >"$D/whole" 2>/dev/null
        python3 - "$out" "$D/whole" "$fmt" <<'PY' || bad "$pcap $fmt: see above"
import calendar, glob, json, os, sys, time
d, whole, fmt = sys.argv[1:4]
def rows(lines):
    return sorted(l for l in lines if l and not l.startswith("#"))
want = rows(open(whole).read().split("\n"))
got, ok = [], True
files = sorted(glob.glob(os.path.join(d, "*")))
if not files:
    print("no files"); sys.exit(1)
for f in files:
    name = os.path.basename(f)
    if not (name.startswith("conn.") and name.endswith(".log")):
        print("bad name", name); ok = False; continue
    start = calendar.timegm(time.strptime(name[5:-4], "%Y-%m-%d-%H-%M-%S"))
    lines = open(f).read().split("\n")
    if fmt == "zeek":
        if lines[0] != "#separator \\x09" or ("#open\t" + name[5:-4]) not in lines \
                or not any(l.startswith("#close\t") for l in lines):
            print("header/close of", name, lines[:6]); ok = False
    for l in rows(lines):
        got.append(l)
        if fmt == "zeek":
            c = l.split("\t"); ts, dur = float(c[0]), c[8]
        else:
            j = json.loads(l); ts, dur = float(j["ts"]), j.get("duration", "-")
        end = ts + (float(dur) if dur not in ("-", None) else 0)
        if not (start <= int(end) < start + 1):
            print(name, "holds a row that ended at", end); ok = False
if sorted(got) != want:
    print("rows differ: %d in files, %d in --conns" % (len(got), len(want))); ok = False
sys.exit(0 if ok else 1)
PY
    done
done

# A planted symbolic link under the first file's name.
mkdir -m 777 "$D/planted"
printf 'SECRET\n' >"$D/secret"
first=$(ls "$D/classroom.pcap.zeek" | head -1)
ln -s "$D/secret" "$D/planted/$first"
"$PKTSCOPE" -r "$SRCDIR/tests/pcaps/classroom.pcap" --conns=zeek --conns-log "$D/planted" -G 1 \
    >/dev/null 2>"$D/err"
rc=$?
[ "$rc" -eq 2 ] || bad "a planted link: exit $rc, wanted 2"
grep -q "symbolic link" "$D/err" || bad "a planted link: $(cat "$D/err")"
[ "$(cat "$D/secret")" = SECRET ] || bad "--conns-log followed a symbolic link"

"$PKTSCOPE" -r "$SRCDIR/tests/pcaps/dns.pcap" --conns --conns-log "$D/x" >/dev/null 2>&1
[ $? -eq 2 ] || bad "--conns-log with --conns=text accepted"

[ "$fails" -eq 0 ] || exit 1
echo "PASS: conns_log"
