#!/usr/bin/env bash
# --threads: the text outputs formatted on several threads, and --conns and --stats with the
# connections shared among several workers, are byte for byte one thread's.
#  - every capture of tests/pcaps (with tests/pcaps/crafted) and of ../shared/pcaps, through
#    --json and --print with a dump in the modes the threads take (-x -X -A with -e -v -q, --time,
#    -Y, -c), --print without a dump (with -e -v -q, --time, -Y), and --conns in its three forms
#    and --stats in its two, with and without -Y, with --threads 1 and 3: the same standard
#    output, standard error and exit status;
#  - on a capture of more packets than the threads' batches hold at once (made here by
#    repeating a test capture), so that batches are formatted out of order and written in
#    order, and -c stops in the middle of a batch;
#  - --conns, --stats and --print on a capture of 300 host pairs made here, whose connections
#    end by timeouts at other workers' frames, whose streams are numbered across workers and
#    whose FTP data connections are often another worker's than their control's, and on
#    one of 40 host pairs at once, whose messages are reassembled at the same time in several
#    workers (reassembly's peak is one thread's);
#  - --print stopped by Ctrl-C writes every frame up to where it stopped, with no gap;
#  - the threads really run: strace sees pktscope start them for --json, --print (with -x, with
#    -Y), --conns and --stats (with -Y too), and not for --threads 1 or for the modes that stay on
#    one thread (-V, --print -Y with --time=delta, a -Y that names a stream number or a DHCP
#    exchange, -Y with --conns=zeek).
# Under build-tsan (scripts/test.sh: PKTSCOPE_SANITIZE_THREADS) ThreadSanitizer checks every
# run. Exit status: 0 pass, 1 fail, 77 skipped (no strace).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PKTSCOPE=${PKTSCOPE:-$SRCDIR/build/pktscope}
SHARED_PCAPS=${SHARED_PCAPS:-$SRCDIR/../shared/pcaps}
export TZ=UTC LC_ALL=C
. "$SRCDIR/tests/scripts/lib/skip.sh"
[ -x "$PKTSCOPE" ] || { echo "threads: no pktscope binary at $PKTSCOPE" >&2; exit 1; }
command -v strace >/dev/null 2>&1 || skip "threads: no strace"
# A race seen by ThreadSanitizer ends the run with status 66, which no comparison accepts.
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
runs=0

# run_on file|pipe CAPTURE ARGS...: pktscope reading the capture by its name or from a pipe
run_on() {
    local how=$1 cap=$2
    shift 2
    if [ "$how" = pipe ]; then
        cat "$cap" | "$PKTSCOPE" -r - "$@"
    else
        "$PKTSCOPE" -r "$cap" "$@"
    fi
}
# compare file|pipe "THREADS..." CAPTURE ARGS...: --threads 1 against each of THREADS
compare() {
    local how=$1 threads=$2 cap=$3
    shift 3
    run_on "$how" "$cap" "$@" --threads 1 >"$tmp/one.out" 2>"$tmp/one.err"
    local want=$?
    for t in $threads; do
        run_on "$how" "$cap" "$@" --threads $t >"$tmp/many.out" 2>"$tmp/many.err"
        local got=$?
        runs=$((runs + 1))
        if [ $got -ne $want ] || ! cmp -s "$tmp/one.out" "$tmp/many.out" ||
            ! cmp -s "$tmp/one.err" "$tmp/many.err"; then
            echo "FAIL: ($how) $cap $* --threads $t: status $got (one thread: $want)"
            diff "$tmp/one.out" "$tmp/many.out" | head -5
            diff "$tmp/one.err" "$tmp/many.err" | head -5
            fail=1
        fi
    done
}
same() { compare file "$@"; }

shopt -s nullglob
caps=("$SRCDIR"/tests/pcaps/*.pcap* "$SRCDIR"/tests/pcaps/crafted/*.pcap* "$SHARED_PCAPS"/*.pcap*)
[ ${#caps[@]} -gt 60 ] || { echo "FAIL: only ${#caps[@]} captures found"; exit 1; }
for cap in "${caps[@]}"; do
    same 3 "$cap" --json
    same 3 "$cap" --conns=zeek
    # ThreadSanitizer makes each run slow: there one mode a capture is enough to take the
    # threads through a partial batch and the end of the file on each.
    [ "${PKTSCOPE_SANITIZED_THREADS:-0}" = 1 ] && continue
    same 3 "$cap" --print -x -e -v --time=delta
    same 3 "$cap" --print -A -q -Y 'tcp || dns'
    # -Y in the workers: frame.time_* read the whole capture's clock, not a worker's frames.
    same 3 "$cap" --print -e -v --time=delta
    same 3 "$cap" -q -Y 'tcp || dns || frame.time_delta > 0.5'
    same 3 "$cap" --conns -Y 'tcp.port == 80 || dns || frame.time_delta > 0.5'
    same 3 "$cap" --stats -Y 'http || icmp || frame.time_relative < 0.01'
    # Under AddressSanitizer (several times slower) the forms below add only other text to
    # what the runs above take through the workers.
    [ "${PKTSCOPE_SANITIZED:-0}" = 1 ] && continue
    same 3 "$cap" --print
    same 3 "$cap" --print --time=date -Y 'tcp.len > 0 || ftp || tcp.flags.syn == 1'
    same 3 "$cap" --conns
    same 3 "$cap" --conns=json
    same 3 "$cap" --stats
    same 3 "$cap" --stats=json
done

# A bigger capture: one test capture's packets 400 times over (about 19,000 frames, 300
# batches), written as pcap by pktscope itself.
src="$SRCDIR/tests/pcaps/http-get.pcap"
python3 - "$src" "$tmp/big.pcap" <<'PY' || { echo "FAIL: could not make the big capture"; exit 1; }
import struct, sys
data = open(sys.argv[1], "rb").read()
head, body = data[:24], data[24:]
open(sys.argv[2], "wb").write(head + body * 400)
PY
same "2 5" "$tmp/big.pcap" --json
same "2 5" "$tmp/big.pcap" --print -XX --time=date
same "2 5" "$tmp/big.pcap" --print -x -c 1000
same "2 5" "$tmp/big.pcap" --json -c 6401
for t in 1 2 5; do
    "$PKTSCOPE" -r "$tmp/big.pcap" --json --threads $t | head -c 100000 >"$tmp/head.$t"
done
cmp -s "$tmp/head.1" "$tmp/head.2" && cmp -s "$tmp/head.1" "$tmp/head.5" ||
    { echo "FAIL: --json | head differs with threads"; fail=1; }

# --conns shares the connections among its workers (by address pair, TCP by connection): a
# capture of many host pairs, so that every worker has some, whose connections end by timeout at
# frames of other workers (TCP 5 s after its end, UDP and ICMP after 60 s idle) and whose streams
# are numbered across workers. Made here from test captures of TCP, UDP, ICMP, IPv4 and IPv6: 300 copies,
# each 4 s after the one before (with a pause halfway), each with addresses of its own.
python3 - "$SRCDIR/tests/pcaps" "$tmp/hosts.pcap" <<'PY' ||
import struct, sys
src, out = sys.argv[1], sys.argv[2]
def records(name):
    d = open(f"{src}/{name}", "rb").read()
    assert d[:4] == b"\xd4\xc3\xb2\xa1" and struct.unpack("<I", d[20:24])[0] == 1
    pos, recs = 24, []
    while pos + 16 <= len(d):
        sec, usec, cap, wire = struct.unpack("<IIII", d[pos:pos + 16])
        recs.append((sec + usec / 1e6, wire, bytearray(d[pos + 16:pos + 16 + cap])))
        pos += 16 + cap
    t0 = recs[0][0]
    return [(t - t0, w, b) for t, w, b in recs]
bases = [records(n) for n in ("http-get.pcap", "dns.pcap", "ping.pcap", "ftp.pcap",
                              "lossy.pcap", "http-ipv6.pcap")]
def rewrite(b, k, seen):
    def addr(old):
        i = seen.setdefault(bytes(old), len(seen))
        return bytes([10, k // 250, k % 250, i + 1]) if len(old) == 4 else \
            bytes([0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, k // 250, k % 250, i + 1])
    t = b[12:14]
    if t == b"\x08\x00" and len(b) >= 34:
        b[26:30], b[30:34] = addr(b[26:30]), addr(b[30:34])
    elif t == b"\x86\xdd" and len(b) >= 54:
        b[22:38], b[38:54] = addr(b[22:38]), addr(b[38:54])
    elif t == b"\x08\x06" and len(b) >= 42:
        b[28:32], b[38:42] = addr(b[28:32]), addr(b[38:42])
    return b
def write(path, recs):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for ts, wire, b in recs:
            f.write(struct.pack("<IIII", int(ts), int(ts % 1 * 1e6), len(b), wire) + b)
# And 40 copies at once, 0.5 ms apart, their packets in time order: reassembly holds messages
# of several workers at the same time, so that one thread's peak is not any worker's.
together = []
slow = [records(n) for n in ("smtp-pieces.pcap", "imap-pieces.pcap", "tls12-mss.pcap")]
for k in range(40):
    seen = {}
    for n, recs in enumerate(bases + slow):
        for t, wire, b in recs:
            together.append((1_700_000_000 + n + t + k * 0.0005, wire,
                             rewrite(bytearray(b), k, seen)))
write(out.replace(".pcap", "-together.pcap"), sorted(together, key=lambda r: r[0]))
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for k in range(300):
        # A quiet minute and a half halfway: at the frame after it every worker ends many
        # connections of several kinds at once, to be merged in one tracker's order.
        start, seen = 1_700_000_000 + 4 * k + (90 if k >= 150 else 0), {}
        for n, recs in enumerate(bases):
            for t, wire, b in recs:
                ts = start + n * 0.5 + min(t, 0.4)
                b = rewrite(bytearray(b), k, seen)
                f.write(struct.pack("<IIII", int(ts), int(ts % 1 * 1e6), len(b), wire) + b)
PY
    { echo "FAIL: could not make the capture of many hosts"; exit 1; }
for form in "" =json =zeek; do
    same "2 5" "$tmp/hosts.pcap" --conns$form
done
same "2 3 5" "$tmp/hosts.pcap" --print
same 3 "$tmp/hosts.pcap" -q -e -Y 'ftp || ftp-data || tcp.len > 100'
# --print: a data connection's lines say FTP-DATA as one tracker's announcements have it, not as
# its worker's own table does. With 3 to 7 workers ftp.pcap's data connections are not all
# their control connection's worker's (that worker's table alone marks them: 0 or 1 line).
for t in 3 5 7; do
    ftpdata=$("$PKTSCOPE" -r "$SRCDIR/tests/pcaps/ftp.pcap" --print --threads $t | grep -c ' FTP-DATA ')
    [ "$ftpdata" = 2 ] || { echo "FAIL: ftp.pcap --threads $t: $ftpdata FTP-DATA lines, not 2"; fail=1; }
done
for cap in "$tmp/hosts.pcap" "$tmp/hosts-together.pcap"; do
    same "2 5" "$cap" --stats
    same 3 "$cap" --stats=json
    same 3 "$cap" --conns=json -Y 'frame.time_delta > 0.0001 && !arp'
    same 3 "$cap" --stats -Y 'tcp.analysis.flags || dns.time > 0.0002'
done
# A filter that reads the services and vendor tables, which are loaded on first use: under
# ThreadSanitizer this fails if workers could load them at once.
same 3 "$tmp/hosts.pcap" --stats -Y 'pktscope.service == "http" || pktscope.vendor.src'
# Reassembly's peak over the workers is one thread's: not the sum of theirs (the copies one
# after another), nor the largest of them (40 copies at once).
peak() { "$PKTSCOPE" -r "$1" --stats --threads "$2" | sed -n 's/^  Peak memory (bytes) *//p'; }
[ "$(peak "$tmp/hosts.pcap" 1)" = 2048 ] && [ "$(peak "$tmp/hosts-together.pcap" 1)" = 81920 ] ||
    { echo "FAIL: reassembly's peak: $(peak "$tmp/hosts.pcap" 1), $(peak "$tmp/hosts-together.pcap" 1)"; fail=1; }
same 2 "$tmp/hosts.pcap" --conns 'tcp or icmp'
same "2 5" "$tmp/big.pcap" --conns=zeek
# Every worker had connections of its own: streams numbered across workers come out in order.
"$PKTSCOPE" -r "$tmp/hosts.pcap" --conns --threads 1 >"$tmp/hosts.conns"
rows=$(grep -c ' tcp \| udp \| icmp' "$tmp/hosts.conns")
[ "$rows" -gt 2000 ] || { echo "FAIL: only $rows rows from the capture of many hosts"; fail=1; }
"$PKTSCOPE" -r "$tmp/hosts.pcap" --conns=zeek --threads 3 | grep -v '^#' | cut -f3 | sort -u |
    cut -d. -f1-3 | sort -u | wc -l >"$tmp/nets"
[ "$(cat "$tmp/nets")" -ge 300 ] || { echo "FAIL: $(cat "$tmp/nets") /24s, not 300"; fail=1; }

# A TCP segment goes to the worker of its connection, not of its address pair, so that a
# capture between two hosts is shared too: 160 connections between two IPv4 hosts and two
# IPv6 hosts, a quarter of whose requests come in three IP fragments (Fragment headers for
# IPv6), in order or last first; and 16 in an IP-in-IP tunnel, fragmented inside it. Every
# worker reassembles every datagram and only the worker of its connection goes on with it: sent
# to the fragments' pair's worker instead, 29 rows differ; the tunnel's datagrams are its pair's
# worker's alone (asked whose they are, rows differ; counted as every worker's, 40 of 56 are).
python3 - "$SRCDIR/tests/pcaps" "$tmp/two.pcap" <<'PY' ||
import struct, sys
sys.path.insert(0, sys.argv[1])
from craft import eth, ipv4, ipv6, pcap, tcp
V4 = (bytes([10, 1, 0, 1]), bytes([10, 1, 0, 2]))
V6 = (bytes.fromhex("fd00" + "00" * 13 + "01"), bytes.fromhex("fd00" + "00" * 13 + "02"))
T = (bytes([10, 9, 0, 1]), bytes([10, 9, 0, 2]))
frames, tunnelled = [], False
def add(frame, etype):
    if tunnelled:  # in IP-in-IP between T's hosts, the same way round as the packet inside
        outer = T if frame[12:16] == V4[0] else T[::-1]
        frame, etype = ipv4(4, frame, outer[0], outer[1], len(frames)), 0x0800
    frames.append((1_700_000_000, 100 * len(frames), eth(frame, etype)))
def send(v6, c2s, sp, dp, seq, ack, flags, data, ident, frag):
    src, dst = (V6 if v6 else V4)[:: 1 if c2s else -1]
    seg = tcp(sp, dp, seq, ack, flags, data, src=src, dst=dst, v6=v6)
    if not frag:
        add(ipv6(6, seg, src, dst) if v6 else ipv4(6, seg, src, dst, ident), 0x86DD if v6 else 0x0800)
        return
    size = (len(seg) // 3 + 7) // 8 * 8  # three fragments, last first when frag == "reverse"
    pieces = [(o, seg[o:o + size]) for o in range(0, len(seg), size)]
    for o, p in pieces[::-1] if frag == "reverse" else pieces:
        more = o + len(p) < len(seg)
        if v6:
            add(ipv6(44, struct.pack("!BBHI", 6, 0, o | more, ident) + p, src, dst), 0x86DD)
        else:
            add(ipv4(6, p, src, dst, ident, flags=(0x2000 if more else 0) | o // 8), 0x0800)
for k in range(160):
    v6, c, s = k % 2 == 1, 20000 + k, 80 if k % 3 else 8080
    cs, ss = 1000 * k, 500000 + 7 * k
    frag = None if k % 4 else ("reverse" if k % 8 == 0 else "order")
    req = b"GET /%d HTTP/1.1\r\nHost: two.test\r\nX-Pad: %s\r\n\r\n" % (k, b"p" * (200 + k))
    resp = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789"
    q, r = len(req), len(resp)
    send(v6, True, c, s, cs, 0, 0x02, b"", 4 * k, None)
    send(v6, False, s, c, ss, cs + 1, 0x12, b"", 4 * k, None)
    send(v6, True, c, s, cs + 1, ss + 1, 0x10, b"", 4 * k + 1, None)
    send(v6, True, c, s, cs + 1, ss + 1, 0x18, req, 4 * k + 2, frag)
    send(v6, False, s, c, ss + 1, cs + 1 + q, 0x18, resp, 4 * k + 1, None)
    send(v6, True, c, s, cs + 1 + q, ss + 1 + r, 0x11, b"", 4 * k + 3, None)
    send(v6, False, s, c, ss + 1 + r, cs + 2 + q, 0x11, b"", 4 * k + 2, None)
    send(v6, True, c, s, cs + 2 + q, ss + 2 + r, 0x10, b"", 4 * k + 4, None)
# And 16 more inside an IP-in-IP tunnel between two other hosts, every request in fragments
# inside it: the tunnel's frames are its pair's worker's, which goes on with what it reassembles.
tunnelled = True
for k in range(160, 176):
    c, s, cs, ss = 20000 + k, 80, 1000 * k, 500000 + 7 * k
    req = b"GET /%d HTTP/1.1\r\nHost: two.test\r\nX-Pad: %s\r\n\r\n" % (k, b"p" * (200 + k))
    q = len(req)
    send(False, True, c, s, cs, 0, 0x02, b"", 4 * k, None)
    send(False, False, s, c, ss, cs + 1, 0x12, b"", 4 * k, None)
    send(False, True, c, s, cs + 1, ss + 1, 0x18, req, 4 * k + 2, "order")
    send(False, False, s, c, ss + 1, cs + 1 + q, 0x11, b"", 4 * k + 1, None)
    send(False, True, c, s, cs + 1 + q, ss + 2, 0x11, b"", 4 * k + 3, None)
open(sys.argv[2], "wb").write(pcap(frames))
PY
    { echo "FAIL: could not make the capture of two hosts"; exit 1; }
for args in --conns --conns=zeek --stats --stats=json "--conns --no-reassembly" \
    "--stats --no-reassembly" "--conns -Y http.request"; do
    # shellcheck disable=SC2086
    same "2 3 5" "$tmp/two.pcap" $args
done
compare pipe 3 "$tmp/two.pcap" --stats
[ "$("$PKTSCOPE" -r "$tmp/two.pcap" --stats --threads 3 | sed -n 's/^  IP datagrams reassembled *//p')" = 56 ] ||
    { echo "FAIL: two.pcap: not 56 datagrams reassembled with 3 threads"; fail=1; }

# From a pipe, which only one can read, the reading thread hands each frame to its worker
# (as for a capture whose first frames nearly all go to one worker, below). That way, on the
# made captures through a pipe:
same_pipe() { compare pipe "$@"; }
same_pipe "2 5" "$tmp/hosts.pcap" --conns
same_pipe 3 "$tmp/hosts.pcap" --conns=zeek
same_pipe "2 3" "$tmp/hosts.pcap" --print -e
same_pipe "2 3" "$tmp/hosts-together.pcap" --stats
same_pipe 3 "$tmp/hosts.pcap" --stats -Y 'tcp.analysis.flags || dns.time > 0.0002'
# Packet comments stay with the frames handed over (they had been left out).
same_pipe 3 "$SHARED_PCAPS/ppp_pcapng-example.pcapng" --stats -Y 'frame.comment'
same_pipe 3 "$SHARED_PCAPS/ppp_pcapng-example.pcapng" --conns -Y 'frame.comment contains "a"'
# --json and --print read the frames where the pipe's reading buffers hold them, and those
# buffers go on to the next ones only once the batches that read them are written.
same_pipe "2 5" "$tmp/big.pcap" --json
same_pipe 3 "$tmp/big.pcap" --print -x -c 9000
same_pipe 3 "$SHARED_PCAPS/ppp_pcapng-example.pcapng" --json
same_pipe 3 "$SHARED_PCAPS/ppp_pcapng-example.pcapng" --print -x -e

# Ctrl-C: each --print worker stops at a frame of its own in its last block; what is written
# stops at the first of them, with no frame left out before it. The capture of many hosts five
# times over, 2000 s apart (300,000 frames, about 0.15 s on two threads here), interrupted at
# 0.05 s, three times: with every line of the workers' last blocks written, each run had a gap
# a few hundred frames before its end. A run that ends before the signal, or is stopped before
# its first block is written (slowly, under a sanitizer), has no gap either.
python3 - "$tmp/hosts.pcap" "$tmp/bigger.pcap" <<'PY' || { echo "FAIL: could not make the bigger capture"; exit 1; }
import struct, sys
d = open(sys.argv[1], "rb").read()
recs, pos = [], 24
while pos + 16 <= len(d):
    sec, usec, cap, wire = struct.unpack("<IIII", d[pos:pos + 16])
    recs.append((sec, usec, d[pos + 16:pos + 16 + cap], wire))
    pos += 16 + cap
with open(sys.argv[2], "wb") as f:
    f.write(d[:24])
    for k in range(5):
        for sec, usec, b, wire in recs:
            f.write(struct.pack("<IIII", sec + 2000 * k, usec, len(b), wire) + b)
PY
for k in 1 2 3; do
    "$PKTSCOPE" -r "$tmp/bigger.pcap" --print --threads 2 >"$tmp/int.out" 2>/dev/null &
    pid=$!
    sleep 0.05
    kill -INT $pid 2>/dev/null
    wait $pid
    gap=$(awk '{ if ($1 != NR) { print NR; exit } }' "$tmp/int.out")
    [ -z "$gap" ] || { echo "FAIL: --print --threads 2 after Ctrl-C: frame $gap missing"; fail=1; }
done
rm -f "$tmp/bigger.pcap"
# opens_of CAPTURE ARGS...: how many times a run opens the capture it reads. --conns and
# --stats on several workers open it once more to look at its first frames; when these go
# to several workers each worker past the first opens it again to read it itself, and when
# nine in ten go to one (a capture of one connection) the reading thread hands the frames over.
opens_of() {
    local cap=$1
    shift
    strace -f -qq -e trace=openat -o "$tmp/strace.open" "$PKTSCOPE" -r "$cap" "$@" >/dev/null 2>&1
    grep -c "$(basename "$cap")\"" "$tmp/strace.open"
}
opens() {
    local want=$1
    shift
    local got
    got=$(opens_of "$@")
    [ "$got" = "$want" ] || { echo "FAIL: $* opened the capture $got times, not $want"; fail=1; }
}
opens 1 "$tmp/hosts.pcap" --conns --threads 1
opens 4 "$tmp/hosts.pcap" --conns --threads 3
opens 5 "$tmp/hosts.pcap" --stats --threads 4
opens 1 "$tmp/hosts.pcap" --json --threads 2
opens 2 "$SRCDIR/tests/pcaps/http-keepalive.pcap" --conns --threads 3
opens 4 "$tmp/two.pcap" --conns --threads 3

# threads_started ARGS...: how many threads (clone with CLONE_THREAD) a run starts
threads_started() {
    strace -f -qq -e trace=clone,clone3 -o "$tmp/strace" "$PKTSCOPE" -r "$tmp/big.pcap" "$@" \
        >/dev/null 2>&1
    grep -c 'CLONE_THREAD' "$tmp/strace"
}
# started COUNT ARGS...: pktscope started COUNT threads of its own. ThreadSanitizer starts one
# more of its own along with the first.
started() {
    local want=$1
    shift
    local got
    got=$(threads_started "$@")
    if [ "${PKTSCOPE_SANITIZED_THREADS:-0}" = 1 ] && [ "$got" -gt 0 ]; then
        got=$((got - 1))
    fi
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $* started $got threads, not $want"
        fail=1
    fi
}
started 1 --json --threads 2
started 4 --print -x --threads 5
started 4 --print --threads 4
started 2 -q -Y tcp --threads 2
started 0 --print -Y tcp --time=delta --threads 4
started 0 --print -V -x --threads 4
started 4 --stats --threads 4
started 3 --conns --threads 3
started 3 --conns -Y tcp --threads 3
started 3 --stats -Y 'frame.time_delta > 0' --threads 3
started 0 --conns -Y 'tcp.stream == 1' --threads 3
started 0 --stats -Y 'udp.stream == 1 || pktscope.dhcp.exchange' --threads 3
started 0 --conns=zeek -Y tcp --threads 3
started 0 --conns --threads 1

[ $fail -eq 0 ] && echo "threads: $runs runs with several threads, each the same as one thread's"
exit $fail
