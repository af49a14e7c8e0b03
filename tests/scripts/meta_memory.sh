#!/usr/bin/env bash
# Issue 13, attack 4: memory must not grow with file metadata. 100 pcapng sections, each with
# 1 MB of section comments (16 options of 64 KB, the most one option holds), 8 interfaces whose
# name and description are 60 KB each, and one packet, piped to --stats and to -w: peak RSS
# stays below 64 MB (it was about 100 MB, growing with the stream: every section comment and
# interface string was kept until exit). The capture is made here, in a pipe: nothing
# big is committed or written to disk.
set -u
: "${PKTSCOPE:?}" "${SRCDIR:?}"
. "$(dirname "$0")/lib/skip.sh"
command -v python3 >/dev/null || skip "python3 not installed"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}halt_on_error=1:abort_on_error=1:quarantine_size_mb=4"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:abort_on_error=1"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
LIMIT_KB=$((64 * 1024))

cat >"$W/gen.py" <<'PY'
import struct, sys
def pad(b): return b + b"\0" * (-len(b) % 4)
def opt(c, v): return struct.pack("<HH", c, len(v)) + pad(v)
def block(t, body):
    body = pad(body)
    return struct.pack("<II", t, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))
frame = b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + b"\x45" + b"\0" * 39
out = sys.stdout.buffer
for i in range(100):
    comment = (b"section %d " % i) * (1000000 // 12)
    comment = comment[:0xfff0] * 16  # one option holds at most 65535 bytes: 16 options
    opts = b"".join(opt(1, comment[k:k + 0xfff0]) for k in range(0, len(comment), 0xfff0))
    out.write(block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + opts + opt(0, b"")))
    big = b"n" * 60000
    for _ in range(8):
        out.write(block(1, struct.pack("<HHI", 1, 0, 65535) + opt(2, big) + opt(3, big) + opt(0, b"")))
    out.write(block(6, struct.pack("<IIIII", 0, 0, i, len(frame), len(frame)) + pad(frame)))
PY

peak() { # label args...: peak RSS in KB of pktscope reading the generated stream
    local label=$1
    shift
    python3 "$W/gen.py" | /usr/bin/time -f '%M' -o "$W/rss" "$PKTSCOPE" -r - "$@" >"$W/out" 2>"$W/err"
    local rc=${PIPESTATUS[1]}
    [ "$rc" -eq 0 ] || { echo "FAIL: $label: exit status $rc: $(head -c 600 "$W/err")"; exit 1; }
    local kb
    kb=$(tail -1 "$W/rss")
    echo "$label: peak RSS $kb KB (limit $LIMIT_KB KB)"
    [ "$kb" -lt "$LIMIT_KB" ] || { echo "FAIL: $label: peak RSS $kb KB >= $LIMIT_KB KB"; exit 1; }
}

if [ ! -x /usr/bin/time ]; then
    skip "/usr/bin/time is not installed (GNU time measures the peak RSS)"
fi
peak "--stats" --stats
grep -Eq 'Packets +100$' "$W/out" || { echo "FAIL: --stats did not count 100 packets: $(head -5 "$W/out")"; exit 1; }
peak "-w out.pcapng --stats" -w "$W/out.pcapng" --stats
echo "meta_memory: ok"
