#!/usr/bin/env bash
# The progress line of a batch run over a large file (main/progress.c): on a terminal's
# standard error (a pty made by script(1)) it shows percent, packets per second and time left
# and is erased at the end; with standard error in a pipe or a file, or for a small file, there
# is none.
set -u
P=${PKTSCOPE:?PKTSCOPE names the binary}
SRC=${SRCDIR:?}
. "$SRC/tests/scripts/lib/skip.sh"
command -v python3 >/dev/null || skip "python3 is not installed"
command -v script >/dev/null || skip "script (bsdutils) is not installed"
T=$(mktemp -d "${TMPDIR:-/tmp}/pktscope-progress.XXXXXX")
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# 52 MB: one 1442-byte UDP packet 35,666 times (over the 50 MB threshold).
python3 - "$T/big.pcap" <<'PY'
import struct, sys
eth = bytes.fromhex('02420a000002001b210a00010800')
ip = bytes.fromhex('4500') + struct.pack('>H', 1428) + bytes.fromhex('0001400040110000') \
    + bytes([10, 0, 0, 1, 10, 0, 0, 2])
udp = struct.pack('>HHHH', 40000, 9, 1408, 0) + b'x' * 1400
pkt = eth + ip + udp
with open(sys.argv[1], 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
    for i in range(35666):
        f.write(struct.pack('<IIII', 1700000000 + i // 1000, (i % 1000) * 1000, len(pkt), len(pkt)))
        f.write(pkt)
PY
[ "$(stat -c %s "$T/big.pcap")" -gt 50000000 ] || fail "the test capture is not over 50 MB"

# Standard error into a file: nothing but what the run has to say (here: nothing).
timeout 120 "$P" -r "$T/big.pcap" -V -x >/dev/null 2>"$T/err"
[ ! -s "$T/err" ] && ok "no progress line when stderr is not a terminal" \
  || fail "stderr in a file got: $(head -c 200 "$T/err" | cat -v)"

# Under a pty, standard output into a pipe: the line is drawn, then erased. The reader at the
# pipe's end takes the 3 MB of summary lines at 1.6 MB a second, so that the run lasts about two
# seconds however fast the machine is (the time left is given from half a second in; a fast
# machine got through this file with -V -x in that time).
export PS_BIG=$T/big.pcap PS_P=$P
export PS_SLOW_READER='import sys, time
while sys.stdin.buffer.read1(16384):
    time.sleep(0.01)'
timeout 120 script -qec '"$PS_P" -r "$PS_BIG" --print | python3 -c "$PS_SLOW_READER"' "$T/tty" \
    </dev/null >/dev/null 2>&1
if grep -aq 'reading .*%.*packets/s' "$T/tty"; then
  ok "progress line on a terminal: $(grep -ao 'reading [^[:cntrl:]]*' "$T/tty" | tail -n 1)"
else
  fail "no progress line under a pty: $(head -c 300 "$T/tty" | cat -v)"
fi
grep -aq 'left' "$T/tty" && ok "it says the time left" || fail "no time left in: $(head -c 300 "$T/tty" | cat -v)"
# After the last drawing comes the erasing "\r ESC[K" (script(1) may add its own lines).
python3 - "$T/tty" <<'PY' && ok "erased at the end" || fail "not erased at the end"
import sys
t = open(sys.argv[1], 'rb').read()
last = t.rfind(b'reading ')
sys.exit(0 if last >= 0 and t.find(b'\r\x1b[K', last) > 0 else 1)
PY

# A small file, or stdout on the terminal too: no line.
export PS_SMALL=$SRC/tests/pcaps/http-get.pcap
timeout 60 script -qec '"$PS_P" -r "$PS_SMALL" -V -x >/dev/null' "$T/tty2" </dev/null >/dev/null 2>&1
grep -aq 'reading' "$T/tty2" && fail "progress line for a small file" || ok "none for a small file"
timeout 120 script -qec '"$PS_P" -r "$PS_BIG" -c 40000 --print' "$T/tty3" </dev/null >/dev/null 2>&1
grep -aq 'reading ' "$T/tty3" && fail "progress line while packets go to the same terminal" \
  || ok "none when standard output is the terminal"

echo "progress: $fails failures"
[ "$fails" -eq 0 ]
