#!/usr/bin/env bash
# tshark is the oracle for the connection tracker: on every capture in tests/pcaps (recursively)
# and in $SHARED_PCAPS that tshark reads (MANIFEST.tsv column tshark_read = clean), compares
# pktscope --json with `tshark -T fields` packet by packet for
#   tcp.stream, udp.stream, tcp.seq, tcp.ack (relative), tcp.window_size (scaled)  -- identity
#   tcp.analysis.* flags, tcp.analysis.duplicate_ack_num and _frame                 -- analysis
# and prints the agreement of each.
#
# Thresholds, and why:
#   identity fields: 100 %. They are arithmetic (stream numbering, ISN subtraction, shifts) with
#     no heuristic in Wireshark's rules, so any difference is a bug -- unless the packet is
#     listed in tests/oracle-differences-track.txt with its reason.
#   analysis flags: >= 98 % of TCP packets with identical flag sets (the issue's bar). Wireshark's
#     rules have time thresholds (out-of-order within the handshake RTT, fast retransmission
#     within 20 ms) and per-frame state, and pktscope follows them rule by rule, so agreement is
#     expected to be near 100 %; 98 % leaves room for the disputed cases that are listed.
# Listed differences (capture-glob <TAB> frame <TAB> field-glob <TAB> reason) are reported as
# "known" and not counted against the thresholds.
#
# tshark runs without IP defragmentation or TCP reassembly, and pktscope with --no-reassembly;
# tshark with -n.
# pcapng Custom Blocks, which tshark shows as frames and pktscope skips, are dropped and the
# other frames renumbered. Packets whose transport layer sits inside an ICMP error are not compared (tshark dissects the
# quoted header as TCP/UDP; pktscope links the error to the quoted connection instead).
# Exit status: 0 pass, 1 fail, 77 skipped (no tshark, no python3, no capture).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PKTSCOPE=${PKTSCOPE:-$SRCDIR/build/pktscope}
SHARED_PCAPS=${SHARED_PCAPS:-$SRCDIR/../shared/pcaps}
export TZ=UTC LC_ALL=C

command -v tshark >/dev/null 2>&1 || { echo "oracle_track: no tshark; skipped"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "oracle_track: no python3; skipped"; exit 77; }
[ -x "$PKTSCOPE" ] || { echo "oracle_track: no pktscope binary at $PKTSCOPE" >&2; exit 1; }

exec python3 - "$PKTSCOPE" "$SRCDIR" "$SHARED_PCAPS" "$@" <<'PY'
import csv, fnmatch, json, os, subprocess, sys

pktscope, srcdir, shared = sys.argv[1], sys.argv[2], sys.argv[3]
extra = sys.argv[4:]

IDENT = ["tcp.stream", "udp.stream", "tcp.seq", "tcp.ack", "tcp.window_size"]
FLAGS = ["retransmission", "fast_retransmission", "spurious_retransmission", "out_of_order",
         "duplicate_ack", "lost_segment", "ack_lost_segment", "zero_window",
         "zero_window_probe", "zero_window_probe_ack", "keep_alive", "keep_alive_ack",
         "window_update", "window_full", "reused_ports"]
FLAG_FIELDS = ["tcp.analysis." + f for f in FLAGS]
ALL = ["frame.number", "frame.protocols", "frame.cb_pen"] + IDENT + FLAG_FIELDS + [
    "tcp.analysis.duplicate_ack_num", "tcp.analysis.duplicate_ack_frame"]

def captures():
    out = []
    if extra:
        roots = extra
    else:
        roots = [os.path.join(srcdir, "tests", "pcaps")]
    for r in roots:
        if os.path.isfile(r):
            out.append(r)
            continue
        for dp, _, fs in os.walk(r):
            for f in sorted(fs):
                if f.endswith((".pcap", ".pcapng", ".cap")):
                    out.append(os.path.join(dp, f))
    if not extra:
        man = os.path.join(shared, "MANIFEST.tsv")
        if os.path.exists(man):
            with open(man, newline="") as fh:
                for row in csv.DictReader(fh, delimiter="\t"):
                    if row.get("tshark_read") == "clean":
                        p = os.path.join(shared, row["file"])
                        if os.path.exists(p):
                            out.append(p)
    return sorted(set(out))

def load_known():
    known = []
    p = os.path.join(srcdir, "tests", "oracle-differences-track.txt")
    if os.path.exists(p):
        for line in open(p):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) >= 4:
                known.append((parts[0], parts[1], parts[2], parts[3]))
    return known

def is_known(known, cap, frame, field):
    b = os.path.basename(cap)
    for g, fr, fg, _ in known:
        if fnmatch.fnmatch(b, g) and (fr == "*" or fr == str(frame)) and fnmatch.fnmatch(field, fg):
            return True
    return False

def tshark(cap):
    cmd = ["tshark", "-n", "-r", cap, "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
           "-o", "tcp.desegment_tcp_streams:FALSE", "-T", "fields", "-E", "occurrence=f",
           "-E", "separator=/t"]
    for f in ALL:
        cmd += ["-e", f]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=300)
    rows = {}
    n = 0
    for line in r.stdout.decode("utf-8", "replace").splitlines():
        v = line.split("\t")
        if len(v) < len(ALL):
            v += [""] * (len(ALL) - len(v))
        d = dict(zip(ALL, v))
        # tshark shows a pcapng Custom Block as a frame; pktscope skips it: renumber.
        if d["frame.cb_pen"] != "":
            continue
        n += 1
        rows[n] = d
    return rows

def ours(cap):
    r = subprocess.run([pktscope, "--no-reassembly", "--json", "-r", cap], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, timeout=300)
    rows = {}
    for line in r.stdout.decode("utf-8", "replace").splitlines():
        try:
            o = json.loads(line)
        except ValueError:
            continue
        rows[o.get("frame.number")] = o
    return rows

known = load_known()
caps = captures()
if not caps:
    print("oracle_track: no capture; skipped")
    sys.exit(77)

stat = {f: [0, 0, 0] for f in IDENT}  # agree, disagree, known
flag_pk = [0, 0, 0]                    # TCP packets: flags agree, disagree, known
fails = []
import concurrent.futures
def both(cap):
    return cap, tshark(cap), ours(cap)
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
    results = list(ex.map(both, caps))
for cap, ts, ps in results:
    for n, t in sorted(ts.items()):
        protos = t["frame.protocols"].split(":")
        if "icmp" in protos or "icmpv6" in protos:
            continue
        p = ps.get(n, {})
        for f in IDENT:
            tv = t[f]
            pv = p.get(f)
            pv = "" if pv is None else str(pv)
            if tv == "" and pv == "":
                continue
            if tv == pv:
                stat[f][0] += 1
            elif is_known(known, cap, n, f):
                stat[f][2] += 1
            else:
                stat[f][1] += 1
                fails.append("%s frame %d %s: tshark %r pktscope %r" % (os.path.basename(cap), n, f, tv, pv))
        if "tcp" not in protos:
            continue
        tset = {x for x in FLAGS if t["tcp.analysis." + x] != ""}
        pset = {x for x in FLAGS if p.get("tcp.analysis." + x) is True}
        if "duplicate_ack" in tset and "duplicate_ack" in pset:
            if t["tcp.analysis.duplicate_ack_num"] != str(p.get("tcp.analysis.duplicate_ack_num", "")):
                tset.add("dup_ack_num=" + t["tcp.analysis.duplicate_ack_num"])
            if t["tcp.analysis.duplicate_ack_frame"] != str(p.get("tcp.analysis.duplicate_ack_frame", "")):
                tset.add("dup_ack_frame=" + t["tcp.analysis.duplicate_ack_frame"])
        if tset == pset:
            flag_pk[0] += 1
        elif all(is_known(known, cap, n, "tcp.analysis." + x) for x in tset ^ pset):
            flag_pk[2] += 1
        else:
            flag_pk[1] += 1
            fails.append("%s frame %d analysis: tshark %s pktscope %s" % (
                os.path.basename(cap), n, sorted(tset), sorted(pset)))

def pct(a, b):
    return 100.0 * a / b if b else 100.0

ok = True
print("oracle_track: %d captures" % len(caps))
for f in IDENT:
    a, d, k = stat[f]
    print("  %-16s %6d agree %4d disagree %4d known  %.3f %%" % (f, a, d, k, pct(a, a + d)))
    if d:
        ok = False
a, d, k = flag_pk
fp = pct(a, a + d)
print("  %-16s %6d agree %4d disagree %4d known  %.3f %% of TCP packets (need >= 98 %%)" % (
    "analysis flags", a, d, k, fp))
if fp < 98.0:
    ok = False
for line in fails[:60]:
    print("  DIFF " + line)
if len(fails) > 60:
    print("  ... %d more" % (len(fails) - 60))
sys.exit(0 if ok else 1)
PY
