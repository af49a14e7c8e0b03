#!/usr/bin/env bash
# Zeek's TCP byte counts, checked independently of track/tcp.c: for every TCP connection of the
# captures below, orig_bytes, resp_bytes and missed_bytes of `pktscope --conns=json` against
# what this script computes in Python from tshark's per-packet fields (tcp.stream, addresses,
# ports, raw seq and ack, length, SYN/FIN/RST/ACK), by Zeek's definition
# (TCP_Endpoint::Size() and content gaps):
#   a side's size = (highest seq + len it sent, SYN and FIN counting 1, or the peer's highest
#   ACK if further) - its start (its SYN's seq, or its first seq - 1) - 1 for the SYN octet
#   - 1 once it sent a FIN; RSTs carry no bytes, after a RST its seqs are not trusted, a SYN
#   or RST jumping by over 1 MB is not trusted, ACKs sent before the side's first packet and
#   ACKs in RSTs do not count; 32-bit wraps unwrapped;
#   missed_bytes = the bytes of both sides' counted range that no packet carried.
# Captures: tests/pcaps/lossy.pcap and zeekbytes-*.pcap (netns transfers with loss, of known
# sizes: 1,000,000 bytes down, 300,000 up, also checked as such), the crafted
# tests/pcaps/crafted/zeekbytes-*.pcap (a hole never filled, a retransmission, a seq wrap), and
# the lossy ones of $SHARED_PCAPS read in place (MANIFEST.tsv categories tcp-retrans, tcp-sack).
# Exit status: 0 pass, 1 fail, 77 skipped (no tshark or python3).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PKTSCOPE=${PKTSCOPE:-$SRCDIR/build/pktscope}
SHARED_PCAPS=${SHARED_PCAPS:-$SRCDIR/../shared/pcaps}
export TZ=UTC LC_ALL=C

command -v tshark >/dev/null 2>&1 || { echo "zeek_bytes: no tshark; skipped"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "zeek_bytes: no python3; skipped"; exit 77; }
[ -x "$PKTSCOPE" ] || { echo "zeek_bytes: no pktscope binary at $PKTSCOPE" >&2; exit 1; }

exec python3 - "$PKTSCOPE" "$SRCDIR" "$SHARED_PCAPS" <<'PY'
import csv, glob, json, os, subprocess, sys

pktscope, srcdir, shared = sys.argv[1:4]
M32 = 1 << 32
TOO_LARGE = 1 << 20


def s32(x):
    x %= M32
    return x - M32 if x >= 1 << 31 else x


class Side:
    def __init__(self):
        self.init = False
        self.start = self.end = self.ack = 0
        self.fin = self.rst = False
        self.seen = []  # [a, b) sequence ranges carried, relative to start

    def unwrap(self, raw):
        return self.end + s32((raw - self.start) - self.end)

    def result(self):
        if not self.init:
            return 0, 0
        top = max(self.end, self.ack)
        size = top - 1 if top > 0 else 0
        if self.fin and size:
            size -= 1
        covered, pos = 0, 1
        for a, b in sorted(self.seen):
            a, b = max(a, pos), min(b, top)
            if b > a:
                covered += b - a
                pos = b
        missed = max(0, top - 1 - covered) if top > 0 else 0
        return size, min(missed, size)


def expected(path):
    out = subprocess.run(
        ["tshark", "-n", "-r", path, "-Y", "tcp", "-T", "fields", "-E", "separator=\t",
         "-o", "tcp.analyze_sequence_numbers:TRUE",
         "-e", "tcp.stream", "-e", "ip.src", "-e", "ipv6.src", "-e", "tcp.srcport",
         "-e", "tcp.seq_raw", "-e", "tcp.ack_raw", "-e", "tcp.len", "-e", "tcp.flags.syn",
         "-e", "tcp.flags.fin", "-e", "tcp.flags.reset", "-e", "tcp.flags.ack"],
        capture_output=True, text=True, check=True).stdout
    conns = {}
    for line in out.splitlines():
        f = line.split("\t")
        if len(f) < 11 or not f[0] or not f[4]:
            continue
        stream = int(f[0].split(",")[0])
        src = (f[1] or f[2]).split(",")[-1], int(f[3].split(",")[0])
        seq, ack, ln = int(f[4].split(",")[0]), int((f[5] or "0").split(",")[0]), int(f[6] or 0)
        syn, fin, rst, ackf = (x.split(",")[0] in ("1", "True") for x in f[7:11])
        c = conns.setdefault(stream, {})
        if src not in c:
            c[src] = Side()
        me = c[src]
        peer = [s for k, s in c.items() if k != src]
        if ackf and not rst and peer and peer[0].init:
            a = peer[0].unwrap(ack)
            if a > peer[0].ack:
                peer[0].ack = a
        if not me.init:
            me.init = True
            me.start = seq if syn else (seq - 1) % M32
            me.end, me.ack = 1, 0
        if me.rst:
            continue
        n = 0 if rst else ln
        a = me.unwrap(seq)
        b = a + n + (1 if syn else 0) + (1 if fin else 0)
        trusted = not (syn or rst) or abs(b - me.end) <= TOO_LARGE
        me.fin |= fin
        me.rst |= rst
        if not trusted:
            continue
        me.end = max(me.end, b)
        if b > max(a, 1):
            me.seen.append((max(a, 1), b))
    return conns


def actual(path):
    out = subprocess.run([pktscope, "-r", path, "--conns=json"], capture_output=True,
                         text=True, check=True).stdout
    rows = {}
    for line in out.splitlines():
        d = json.loads(line)
        if d.get("proto") == "tcp":
            rows.setdefault(d["pktscope.stream"], []).append(d)
    return rows


files = sorted(glob.glob(os.path.join(srcdir, "tests/pcaps/lossy.pcap")) +
               glob.glob(os.path.join(srcdir, "tests/pcaps/zeekbytes-*.pcap")) +
               glob.glob(os.path.join(srcdir, "tests/pcaps/crafted/zeekbytes-*.pcap")))
manifest = os.path.join(shared, "MANIFEST.tsv")
if os.path.exists(manifest):
    with open(manifest) as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            if r.get("category") in ("tcp-retrans", "tcp-sack") and r.get("tshark_read") == "clean":
                p = os.path.join(shared, r["file"])
                if os.path.exists(p):
                    files.append(p)
if not files:
    print("zeek_bytes: no capture; skipped")
    sys.exit(77)

# The transfers of known size (make-zeekbytes.sh): Zeek's numbers whatever was lost.
known = {"zeekbytes-download.pcap": ("resp_bytes", 1000000),
         "zeekbytes-upload.pcap": ("orig_bytes", 300000)}

# Known differences, with the reason: capture, stream -> the reason. Not counted as failures.
KNOWN = {
    # 42 packets of a long transfer: most of the data was not captured, and more holes are open
    # at once than track/tcp.c keeps (TCP_SQ_HOLES): the ones past it are taken as filled, so
    # pktscope's missed_bytes is low (19101 of 23283), its sizes right.
    ("tcptrace_long_rtt.pcap", 0): "more holes open at once than TCP_SQ_HOLES",
}

bad = total = known_n = 0
for path in files:
    exp, act = expected(path), actual(path)
    name = os.path.basename(path)
    for stream in sorted(exp):
        sides = exp[stream]
        rows = act.get(stream, [])
        if len(rows) != 1:
            print(f"FAIL {name} stream {stream}: {len(rows)} --conns rows")
            bad += 1
            continue
        d = rows[0]
        o = sides.get((d["id.orig_h"], d["id.orig_p"]), Side())
        r = sides.get((d["id.resp_h"], d["id.resp_p"]), Side())
        (ob, om), (rb, rm) = o.result(), r.result()
        want = {"orig_bytes": ob, "resp_bytes": rb, "missed_bytes": om + rm}
        got = {k: d[k] for k in want}
        total += 1
        if got != want:
            if (name, stream) in KNOWN and got["orig_bytes"] == ob and got["resp_bytes"] == rb:
                known_n += 1
                print(f"known {name} stream {stream}: missed_bytes {got['missed_bytes']}, "
                      f"expected {want['missed_bytes']} ({KNOWN[(name, stream)]})")
            else:
                bad += 1
                print(f"FAIL {name} stream {stream}: pktscope {got}, expected {want}")
        if name in known:
            k, v = known[name]
            if d[k] != v:
                bad += 1
                print(f"FAIL {name} stream {stream}: {k} {d[k]}, the transfer was {v}")
    print(f"  {name}: {len(exp)} TCP connections")
print(f"zeek_bytes: {total - bad - known_n}/{total} TCP connections agree, {known_n} known "
      f"differences ({len(files)} captures)")
sys.exit(1 if bad else 0)
PY
