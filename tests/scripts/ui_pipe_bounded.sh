#!/usr/bin/env bash
# Issue 13, attack 5: the TUI reading a stream (-r -) honours --max-packets as a live capture
# does. 1,000,000 empty records (16 MB, made here) on standard input with --max-packets 1000:
# the title says only the newest are listed, at most 1000, and the peak RSS stays below 64 MB
# (a stream was held in memory: about 86 bytes per packet, 1 GiB of records reached 5.77 GB).
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
. "$(dirname "$0")/lib/skip.sh"
command -v python3 >/dev/null || skip "python3 not installed"
[ -r /proc/self/status ] || skip "no /proc to read the peak RSS from"
. "$(dirname "$0")/lib/tmux-ui.sh"

python3 - "$WORK/empty.pcap" <<'PY'
import struct, sys
rec = b"".join(struct.pack("<IIII", 1700000000, i, 0, 0) for i in range(1000))
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for _ in range(1000):
        f.write(rec)
PY

# Standard input is the file: a stream without random access, as a pipe is.
T -f /dev/null new-session -d -s ui -x 100 -y 30 -c "$WORK" \
    "sh -c 'echo \$\$ >\"$WORK/pid\"; NO_COLOR=1 TERM=screen exec \"$PKTSCOPE\" -r - --max-packets 1000 <\"$WORK/empty.pcap\" 2>\"$WORK/err\"'; echo EXIT=\$?; sleep 60"
wait_for '1000000 packets \(newest [0-9]+ listed\)' 600
n=$(screen | sed -n 's/.*(newest \([0-9]*\) listed).*/\1/p' | head -1)
[ "$n" -le 1000 ] || fail "$n packets listed, --max-packets was 1000"
pid=$(cat "$WORK/pid")
hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
echo "peak RSS: ${hwm} kB"
[ -n "$hwm" ] && [ "$hwm" -lt $((64 * 1024)) ] || fail "peak RSS ${hwm} kB >= 64 MB"
keys Q
wait_for 'EXIT=0'
grep -Eq 'Sanitizer|runtime error' "$WORK/err" && fail "sanitizer report: $(head -c 600 "$WORK/err")"
echo "ui_pipe_bounded: ok"
