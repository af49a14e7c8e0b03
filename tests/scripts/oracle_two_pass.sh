#!/usr/bin/env bash
# -2 (two passes) against tshark -2: on every capture of tests/pcaps (crafted ones too) and the
# public ones of $SHARED_PCAPS read in place, the frames that carry ip.reassembled_in,
# ipv6.reassembled.in and tcp.reassembled_in, and those of the requests that say where they were
# answered (http.response_in, dns.response_in, icmp.resp_in, icmpv6.resp_in), and their values,
# are tshark's: every segment of a message and every fragment of a datagram, also past the 64
# that the completing frame lists as tcp.segment or ip.fragment (http-long.pcap: 89 segments;
# crafted/frag-many.pcap: 100 fragments). A disagreement listed in
# tests/oracle-differences.txt (the field oracle's reviewed list, read with its own parser) is
# allowed. Exit status: 0 pass, 1 fail, 77 skipped (no tshark).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PKTSCOPE=${PKTSCOPE:-$SRCDIR/build/pktscope}
SHARED_PCAPS=${SHARED_PCAPS:-$SRCDIR/../shared/pcaps}
export TZ=UTC LC_ALL=C
command -v tshark >/dev/null 2>&1 || { echo "oracle_two_pass: no tshark; skipped"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "oracle_two_pass: no python3; skipped"; exit 77; }
exec python3 - "$PKTSCOPE" "$SRCDIR" "$SHARED_PCAPS" <<'PY'
import glob, subprocess, sys
pktscope, srcdir, shared = sys.argv[1:4]
sys.path.insert(0, srcdir + "/tests/oracle")
import compare  # load_differences, match_difference
entries = compare.load_differences(srcdir + "/tests/oracle-differences.txt")
F = ["ip.reassembled_in", "ipv6.reassembled.in", "tcp.reassembled_in",
     "http.response_in", "dns.response_in", "icmp.resp_in", "icmpv6.resp_in"]
files = sorted(glob.glob(srcdir + "/tests/pcaps/*.pcap*") + glob.glob(srcdir + "/tests/pcaps/crafted/*.pcap*") +
               glob.glob(shared + "/*.pcap*"))

def fields(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=300)
    rows = {}
    for line in r.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) != 1 + len(F) or not parts[0].isdigit():
            continue
        rows[int(parts[0])] = tuple(p.split(",")[0] for p in parts[1:])
    return r.returncode, rows

def args(tool):
    out = ["-T", "fields", "-E", "occurrence=f"]
    for f in ["frame.number"] + F:
        out += ["-e", f]
    return out

checked = told = answered = differ = longest = most_frags = 0
for f in files:
    rc_t, t = fields(["tshark", "-2", "-n", "-r", f] + args("t"))
    if rc_t != 0 or not t:
        continue  # tshark cannot read it: nothing to compare
    rc_p, p = fields([pktscope, "-2", "-r", f] + args("p"))
    # The most segments a message has and fragments a datagram has (one of each over 64 must be
    # compared: not vacuous).
    r = subprocess.run(["tshark", "-n", "-r", f, "-T", "fields", "-e", "tcp.segment.count",
                        "-e", "ip.fragment.count"],
                       capture_output=True, text=True, errors="replace", timeout=300)
    for line in r.stdout.splitlines():
        seg, _, frag = line.partition("\t")
        longest = max([longest] + [int(x) for x in seg.split(",") if x.isdigit()])
        most_frags = max([most_frags] + [int(x) for x in frag.split(",") if x.isdigit()])
    checked += 1
    for n, tv in t.items():
        pv = p.get(n, ("",) * len(F))
        if any(tv[:3]):
            told += 1
        if any(tv[3:]):
            answered += 1
        unexplained = [k for k in range(len(F)) if tv[k] != pv[k] and not compare.match_difference(
            entries, f, F[k], tv[k] or None, pv[k] or None)]
        if unexplained:
            differ += 1
            if differ <= 20:
                print(f"{f}: frame {n}: tshark -2 {dict(zip(F, tv))}, pktscope -2 {dict(zip(F, pv))}")
print(f"oracle_two_pass: {checked} captures, {told} frames told where they were reassembled, "
      f"{answered} where they were answered, {differ} differ; the longest message "
      f"{longest} segments, the most fragmented datagram {most_frags} fragments")
if longest <= 64 or most_frags <= 64:
    print("oracle_two_pass: no message of over 64 segments or datagram of over 64 fragments")
sys.exit(1 if differ or longest <= 64 or most_frags <= 64 else 0)
PY
