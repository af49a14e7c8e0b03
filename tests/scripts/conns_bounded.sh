#!/usr/bin/env bash
# --conns keeps at most TRACKER_MAX_CONNS (16,384) connection summaries per protocol beyond
# those of tracked flows; the oldest finished ones are let go, and each row is printed when its
# connection ends, before its summary goes. Here a file of 130,000 one-packet UDP
# conversations, one a second, each a new 5-tuple, plus one that sends every 10 s throughout, is
# read with --follow --conns (the live path) and stopped by SIGINT: every stream number from 0
# to 130,000 must be printed exactly once, numbered as a plain read of the file numbers it, and
# the long conversation's row (kept while 4,096-row batches go) must count all its packets.
# (A 5-tuple that comes back after its row was written gets a second row: memory_bounded.sh.)
set -u
P=${PKTSCOPE:?PKTSCOPE names the binary}
command -v python3 >/dev/null || { echo "skip: python3 not installed"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/pktscope-conns.XXXXXX")
PID=
cleanup() {
    [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

python3 - "$T/many.pcap" <<'PY' || fail "cannot write the capture"
import struct, sys
N = 130000
out = open(sys.argv[1], 'wb')
out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))

def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def udp(sec, sport, dport, net=0):
    payload = b'bounded'
    u = struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(u), 0, 0, 64, 17, 0,
                     bytes([10, 0, net, 1]), bytes([10, 0, 0, 2]))
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    frame = b'\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00' + ip + u
    out.write(struct.pack('<IIII', sec, 0, len(frame), len(frame)) + frame)

t0 = 1700000000
for i in range(N):
    if i % 10 == 0:
        udp(t0 + i, 999, 53)              # the long conversation: stream 0
    udp(t0 + i, 1024 + i % 60000, 7, 1 + i // 60000)  # every 5-tuple new
out.close()
PY

# The reference: a plain read numbers the streams (no summary is let go for a file).
"$P" --conns=json -r "$T/many.pcap" >"$T/ref.json" || fail "plain --conns failed"
"$P" --conns=json --follow -r "$T/many.pcap" >"$T/follow.json" 2>"$T/err" &
PID=$!
# Wait (bounded: 3 minutes) until the whole file has been read. Rows come as flows time out
# (all but the last minute's, about 60) and are flushed when pktscope has caught up with the
# file, so: at least 129,000 rows, and no more for a second.
prev=-1
for _ in $(seq 360); do
    sleep 0.5
    n=$(wc -l <"$T/follow.json")
    [ "$n" -ge 129000 ] && [ "$n" -eq "$prev" ] && break
    prev=$n
done
kill -INT "$PID"
for _ in $(seq 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$PID" 2>/dev/null && fail "pktscope did not stop on SIGINT"
PID=

python3 - "$T/ref.json" "$T/follow.json" <<'PY' || exit 1
import json, sys
def rows(path):
    return [json.loads(l) for l in open(path) if l.strip()]
ref, got = rows(sys.argv[1]), rows(sys.argv[2])
key = lambda r: (r['proto'], r['pktscope.stream'])
ids = [key(r) for r in got]
bad = []
if len(ids) != len(set(ids)):
    bad.append("a stream was printed twice")
if sorted(ids) != sorted(key(r) for r in ref):
    bad.append("printed %d streams, a plain read has %d" % (len(set(ids)), len(ref)))
byid = {key(r): r for r in got}
for r in ref:
    g = byid.get(key(r))
    if g is None:
        continue
    for f in ('id.orig_p', 'id.resp_p', 'orig_pkts', 'resp_pkts', 'pktscope.first_frame'):
        if f in r and g.get(f) != r[f]:
            bad.append("stream %s: %s %r, a plain read says %r" % (key(r), f, g.get(f), r[f]))
            break
    if len(bad) > 5:
        break
if bad:
    print("FAIL: " + "; ".join(bad))
    sys.exit(1)
print("ok: %d streams printed once each, as a plain read numbers them" % len(ids))
PY
echo "PASS"
