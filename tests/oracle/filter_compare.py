#!/usr/bin/env python3
"""tshark is the oracle for display filters: every expression in a list runs through
`tshark -Y EXPR -T fields -e frame.number` and `pktscope -Y EXPR --json`, and the sets of frame
numbers matched must be the same.

tshark starts in about a second, so running each filter on each capture would take an hour; the
captures are concatenated instead (mergecap -a) into one pcapng with one interface per link type,
and each filter runs once over it. Both tools read the same file, so the comparison is exact; the
concatenation only means that a connection in one capture can meet a 5-tuple of another, which
both tools then handle their own way (a difference of that kind is listed, with its reason).

Usage: filter_compare.py --pktscope BIN --filters FILE [--differences FILE] [--jobs N]
                         [--min-filters N --min-fields N] CAPTURE_OR_DIR...
Exit status: 0 all agree (or only listed differences), 1 otherwise, 77 nothing to compare.
"""
import argparse
import concurrent.futures
import fnmatch
import json
import os
import re
import subprocess
import sys
import tempfile

# Left out of the concatenation:
#  - not-a-capture.txt: not a capture;
#  - *-snap*.pcap, *-cut.pcap, *-hole.pcap: cut copies of other test captures (the last with
#    segments dropped); concatenated after their originals they would replay the same
#    connections, which is a different test;
#  - crafted/: byte-level edge cases of the file formats, most of them the same few packets
#    (192.0.2.1:40000 -> 198.51.100.7:80) again and again; concatenated, each would continue the
#    last one's connection. The field oracle (compare.py) runs on them one by one.
#  - ng-blocks.pcapng: it holds pcapng Custom Blocks, which tshark numbers as frames and pktscope
#    skips, so every later frame number would differ by one (compare.py renumbers for this).
#  - classroom-server.pcap: the connections of classroom.pcap seen from the server's LAN, the
#    same addresses, ports and sequence numbers; concatenated, one side's segments read as the
#    other's retransmissions. The field oracle runs on both.
SKIP_NAMES = {"not-a-capture.txt", "ng-blocks.pcapng", "classroom-server.pcap"}
SKIP_RE = re.compile(r"-(snap[0-9]+|cut|hole)\.pcapn?g?$")

# Both tools leave IPv4/TCP/UDP checksums as they do by default (unverified; ICMP's verified),
# so the filters on checksum statuses see what a user sees. Unless --reassembly, tshark runs with
# no IP or TCP reassembly (pktscope then runs with --no-reassembly), as compare.py does.
TSHARK_OPTS = []
NO_REASSEMBLY = ["-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
                 "-o", "tcp.desegment_tcp_streams:FALSE"]
# --reassembly: both sides with reassembly (tshark's defaults, pktscope's default).
REASSEMBLY = False


def readable(path):
    """capinfos reads the whole file without dissecting: a file it rejects would make mergecap
    (and so the whole run) fail, and the damaged-file cases are the reader tests' business."""
    r = subprocess.run(["capinfos", "-c", path], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    return r.returncode == 0


def manifest_unreadable(d):
    """Shared captures whose MANIFEST.tsv row says tshark cannot read them, or that use a link
    type pktscope does not decode (PPP: tshark would find IP inside, pktscope only bytes)."""
    out = set()
    path = os.path.join(d, "MANIFEST.tsv")
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            if (row.get("tshark_read") or "").strip() != "clean":
                out.add(row.get("file", ""))
            if "PPP(" in (row.get("link_type") or ""):
                out.add(row.get("file", ""))
    return out


def collect(paths):
    files = []
    for p in paths:
        if os.path.isfile(p):
            files.append(p)
            continue
        skip = manifest_unreadable(p)
        for root, _dirs, names in sorted(os.walk(p)):
            for n in sorted(names):
                if n in SKIP_NAMES or n in skip or SKIP_RE.search(n) or \
                        os.sep + "crafted" in root:
                    continue
                if not n.endswith((".pcap", ".pcapng", ".cap")):
                    continue
                files.append(os.path.join(root, n))
    return [f for f in files if readable(f)]


def load_filters(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            out.append(line)
    return out


def load_differences(path):
    """Lines: EXPR-glob <TAB> capture-glob <TAB> reason: frames of a matching capture may be
    matched by one tool and not the other for a matching expression."""
    out = []
    if not path or not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or not parts[2].strip():
                sys.exit("differences file: every line needs EXPR, capture and a reason: %r"
                         % line)
            out.append((parts[0], parts[1]))
    return out


def listed(allowed, expr, capture):
    base = os.path.basename(capture)
    return any(fnmatch.fnmatchcase(expr, e) and fnmatch.fnmatchcase(base, c)
               for e, c in allowed)


def capture_ranges(files):
    """(first frame, last frame, capture) of each capture in the concatenation."""
    out = []
    seen = 0
    for f in files:
        c = subprocess.run(["capinfos", "-c", "-M", "-T", "-r", f], capture_output=True,
                           text=True).stdout.split()
        n = int(c[-1]) if c and c[-1].isdigit() else 0
        out.append((seen + 1, seen + n, f))
        seen += n
    return out


def where(ranges, frame):
    for a, b, f in ranges:
        if a <= frame <= b:
            return f, frame - a + 1
    return "?", frame


def run_tshark(cap, expr, env):
    opts = TSHARK_OPTS + ([] if REASSEMBLY else NO_REASSEMBLY)
    r = subprocess.run(["tshark", "-n"] + opts + ["-r", cap, "-Y", expr, "-T", "fields",
                        "-e", "frame.number"], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        return None, r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "error"
    return {int(x) for x in r.stdout.split()}, None


def run_pktscope(binary, cap, expr):
    mode = [] if REASSEMBLY else ["--no-reassembly"]
    r = subprocess.run([binary] + mode + ["-r", cap, "-Y", expr, "--json"],
                       capture_output=True,
                       text=True)
    if r.returncode not in (0, 1):
        return None, r.stderr.strip()
    got = set()
    for line in r.stdout.splitlines():
        got.add(json.loads(line)["frame.number"])
    return got, None


def frame_rows(cmd, env=None):
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return r.stdout.splitlines()


def first_misaligned(binary, merged, env):
    """The first frame number at which tshark and pktscope see different packets (by length and
    captured length), or None."""
    t = frame_rows(["tshark", "-n", "-r", merged, "-T", "fields", "-e", "frame.len",
                    "-e", "frame.cap_len"], env)
    p = []
    r = subprocess.run([binary, "-r", merged, "--json"], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        o = json.loads(line)
        p.append("%d\t%d" % (o["frame.len"], o["frame.cap_len"]))
    for i in range(max(len(t), len(p))):
        if i >= len(t) or i >= len(p) or t[i] != p[i]:
            return i + 1
    return None


def source_of(files, frame):
    """The capture that frame (1-based) of the concatenation came from (capinfos counts)."""
    seen = 0
    for f in files:
        out = subprocess.run(["capinfos", "-c", "-M", "-T", "-r", f], capture_output=True,
                             text=True).stdout.split()
        seen += int(out[-1]) if out and out[-1].isdigit() else 0
        if frame <= seen:
            return f
    return files[-1]


FIELD_RE = re.compile(r"\b([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\b")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pktscope", required=True)
    ap.add_argument("--filters", required=True)
    ap.add_argument("--differences")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--min-filters", type=int, default=0)
    ap.add_argument("--min-fields", type=int, default=0)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--reassembly", action="store_true",
                    help="tshark with its default reassembly, pktscope with its own")
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args()
    global REASSEMBLY
    REASSEMBLY = a.reassembly

    filters = load_filters(a.filters)
    fields = set()
    for e in filters:
        fields.update(m for m in FIELD_RE.findall(e) if not re.match(r"^[0-9a-f.:]+$", m))
    if len(filters) < a.min_filters or len(fields) < a.min_fields:
        print("filters: the list has %d expressions over %d fields; at least %d and %d are "
              "required" % (len(filters), len(fields), a.min_filters, a.min_fields))
        return 1

    files = collect(a.paths)
    if not files:
        print("filters: no capture to compare; skipped")
        return 77
    allowed = load_differences(a.differences)
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        merged = os.path.join(tmp, "all.pcapng")
        # mergecap cannot copy some files it reads (a pcapng with several sections whose
        # interfaces collide): such a file is named in its message and left out.
        for _ in range(len(files)):
            r = subprocess.run(["mergecap", "-a", "-F", "pcapng", "-w", merged] + files,
                               capture_output=True, text=True)
            m = re.search(r'of file "([^"]+)"', r.stderr)
            if r.returncode == 0 and not m:
                break
            if not m or m.group(1) not in files:
                print("filters: mergecap failed: %s" % r.stderr.strip())
                return 1
            print("filters: left out %s (mergecap: %s)" % (m.group(1),
                                                           r.stderr.strip().splitlines()[-1]))
            files.remove(m.group(1))
        # Frame numbers must mean the same packet to both tools. A capture that the two number
        # differently (a block one counts and the other skips) would shift every later frame,
        # so the first packet where they part is traced to its capture, which is left out.
        for _ in range(len(files)):
            bad = first_misaligned(a.pktscope, merged, env)
            if bad is None:
                break
            src = source_of(files, bad)
            print("filters: left out %s (the tools number its frames differently from frame %d "
                  "of the concatenation)" % (src, bad))
            files.remove(src)
            subprocess.run(["mergecap", "-a", "-F", "pcapng", "-w", merged] + files, check=True,
                           capture_output=True)
        npk = subprocess.run(["capinfos", "-c", "-M", "-T", "-r", merged], capture_output=True,
                             text=True).stdout.split()
        print("filters: %d expressions over %d distinct fields, on %d captures concatenated "
              "(%s packets)" % (len(filters), len(fields), len(files), npk[-1] if npk else "?"))

        def one(expr):
            ts, terr = run_tshark(merged, expr, env)
            ps, perr = run_pktscope(a.pktscope, merged, expr)
            return expr, ts, terr, ps, perr

        ranges = capture_ranges(files)
        failed = 0
        agree = 0
        nlisted = 0
        with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
            for expr, ts, terr, ps, perr in pool.map(one, filters):
                if terr is not None and perr is not None:
                    # Both refuse it: the error path agrees too.
                    agree += 1
                    if a.verbose:
                        print("ok   %s (both reject it)" % expr)
                    continue
                if terr is not None:
                    print("FAIL %s: tshark rejects it: %s" % (expr, terr))
                    failed += 1
                    continue
                if perr is not None:
                    print("FAIL %s: pktscope rejects it: %s" % (expr, perr))
                    failed += 1
                    continue
                diff = ts ^ ps
                if not diff:
                    agree += 1
                    if a.verbose:
                        print("ok   %s (%d frames)" % (expr, len(ts)))
                    continue
                unlisted = [fr for fr in sorted(diff)
                            if not listed(allowed, expr, where(ranges, fr)[0])]
                if not unlisted:
                    nlisted += 1
                    print("list %s: %d frames differ, as listed" % (expr, len(diff)))
                    continue
                failed += 1
                shown = ["%s:%d(%s)" % (os.path.basename(where(ranges, fr)[0]),
                                        where(ranges, fr)[1], "tshark" if fr in ts else "pktscope")
                         for fr in unlisted[:8]]
                print("FAIL %s: tshark %d frames, pktscope %d; %d differ, unlisted: %s"
                      % (expr, len(ts), len(ps), len(unlisted), " ".join(shown)))
        print("filters: %d agree, %d differ as listed, %d fail" % (agree, nlisted, failed))
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
