#!/usr/bin/env python3
"""tshark as the oracle for pktscope --json (DESIGN.md, issue 2 item 6).

For every capture given (files, or directories searched recursively for *.pcap / *.pcapng /
*.cap), runs

    tshark -n -r F -T fields -E header=y -E separator=/t -E occurrence=a -e frame.number -e ...
    pktscope --json -r F

and compares the two field by field, packet by packet (matched by frame.number).

Which fields
  Every field `pktscope --list-fields` prints (the registry, dissect/fields_*.def), except those
  in EXCLUDED below, each with its reason (pktscope's own fields, fields tshark names or shapes
  differently). A registered field that tshark does not know (tshark -G fields) and that is not
  excluded is an error: the list cannot silently drift from the registry.

How values are compared
  * Every occurrence: pktscope's JSON writes a field that occurs several times in a packet (the
    quoted IP header of an ICMP error, DNS answers, TCP option kinds) as an array of every value
    in order (format/json.c); tshark prints every occurrence, joined by the aggregator. We set
    the aggregator to the ASCII record separator (0x1e) instead of tshark's default ',' so that
    a comma inside a value (a DNS name may hold one) cannot split it, and compare the two lists
    element by element (same length, same values in the same order).
  * A field of type FT_NONE (tcp.options.sack_perm) has no value in pktscope's JSON (true);
    tshark prints its bytes. Only the number of occurrences is compared.
  * Numbers are compared as integers: tshark prints BASE_HEX fields as 0x.. (eth.type, ip.id,
    tcp.flags, dns.flags), pktscope's JSON as plain numbers.
  * frame.protocols: tshark names application protocols that pktscope does not decode (tls,
    nbns, ssdp, ...), where pktscope says "data" (as Wireshark's own data dissector would). Both
    lists are compared up to the first protocol that is not in pktscope's protocol table
    (dissect/protos.def) or is "data", so a protocol pktscope DOES decode must still agree.
  * tshark writes the control characters of a text field as C escapes (\t, \001) but leaves
    a backslash as it is, so pktscope's text is escaped the same way before comparing.
  * A field present on one side only is a disagreement; absent on both is not counted.
  * tshark shows a pcapng Custom Block (copying allowed) as a frame of its own; pktscope skips
    custom blocks, so those records (frame.cb_pen set) are dropped and the others renumbered.

tshark is run the way pktscope works: one packet at a time, no reassembly of IP fragments or TCP
streams (pktscope does not reassemble; with reassembly tshark moves the transport/application
fields of a fragmented datagram or a segmented HTTP request to the packet that completes it),
and with the IPv4, TCP and UDP checksums verified on both sides (tshark's -o
ip/tcp/udp.check_checksum:TRUE, pktscope's --checksums; both leave them unverified by default),
so that the verified ip/tcp/udp.checksum.status values are compared. --defaults compares the
defaults instead (tshark without those preferences, pktscope without --checksums: every status
2, Unverified; ICMP's still verified by both); tests/scripts/oracle_defaults.sh runs it.
-n: no name resolution, no DNS queries from a test.

Known, principled differences are listed in tests/oracle-differences.txt (one per line:
capture-glob, field-glob, optional tshark=GLOB / pktscope=GLOB on the values (first occurrence,
as printed; "(absent)" when a side has no value), and the reason). A disagreement matching an entry is reported as "known"; any
other disagreement fails the run, as does overall agreement below --min (default 99.5 %).

Fields of the connection tracker (tcp.stream, tcp.seq, tcp.ack, udp.stream, ...) are compared
only where pktscope's JSON has them, reported separately, and do not fail the run: the tracker's
own oracle test holds them.

Exit status: 0 pass, 1 fail, 77 no capture to compare (skip), 2 usage error.
"""

import argparse
import concurrent.futures
import csv
import datetime
import fnmatch
import json
import os
import re
import subprocess
import sys
import time

AGG = "\x1e"

# Registered fields that are not compared, each with its reason. A glob ending in * covers
# a prefix. Keep the reasons honest: "pktscope is wrong here" belongs in a fix, not here.
EXCLUDED = {
    "pktscope.*": "pktscope's own fields; tshark has no such field",
    "frame.number": "the key both sides are matched by",
    "communityid": "tshark's communityid post-dissector is off by default (it needs "
                   "--enable-protocol communityid); tests/scripts/oracle_communityid.sh compares it",
    "frame.time_epoch": "tshark prints it with 9 decimals as a float; not a dissector field",
    "frame.comment": "tshark 4.0 has no frame.comment field (pkt_comment / frame.comment.*)",
    "tcp.options.sack_le": "pktscope writes the raw edge (its label says so); tshark writes it "
                           "relative to the peer's initial sequence number, a tracker value",
    "tcp.options.sack_re": "as tcp.options.sack_le",
    "ieee8021ah.etype": "tshark registers it for 802.1ah (PBB) frames only; pktscope uses it "
                        "for the EtherType after an 802.1ad tag, where tshark uses vlan.etype",
    # Registered for display filters (dissect/fields_track.def), not written by --json: the
    # filter oracle (oracle_filter) compares them through tshark -Y instead.
    "frame.time_relative": "a display-filter field; --json carries frame.time_epoch",
    "frame.time_delta": "a display-filter field; --json carries frame.time_epoch",
    "http.request": "Wireshark's hidden marker of a request line, for display filters; --json "
                    "has http.request.method",
    "http.response": "Wireshark's hidden marker of a status line, for display filters; --json "
                     "has http.response.code",
    "ip.addr": "either-side alias of ip.src and ip.dst, for display filters",
    "ipv6.addr": "either-side alias of ipv6.src and ipv6.dst, for display filters",
    "eth.addr": "either-side alias of eth.src and eth.dst, for display filters",
    "tcp.port": "either-side alias of tcp.srcport and tcp.dstport, for display filters",
    "udp.port": "either-side alias of udp.srcport and udp.dstport, for display filters",
    "tcp.analysis.*": "the tracker's analysis: tests/scripts/oracle_track.sh compares it",
    "tcp.stream": "the tracker's: compared separately (TRACK_FIELDS) and by oracle_track",
    "tcp.seq": "the tracker's: compared separately (TRACK_FIELDS) and by oracle_track",
    "tcp.ack": "the tracker's: compared separately (TRACK_FIELDS) and by oracle_track",
    "tcp.window_size": "the tracker's (scaled window): oracle_track compares it",
    "udp.stream": "the tracker's: compared separately (TRACK_FIELDS) and by oracle_track",
    "icmp.resptime": "the tracker's echo pairing; not a value of the packet alone",
    "icmpv6.resptime": "the tracker's echo pairing; not a value of the packet alone",
}

# Filled in main() from `pktscope --list-fields` minus EXCLUDED.
FIELDS = []
FIELD_TYPES = {}

# Tracker fields: compared only when pktscope writes them; informational.
TRACK_FIELDS = ["tcp.stream", "tcp.seq", "tcp.ack", "udp.stream"]

# Without --reassembly: one packet at a time on both sides. With it, tshark's defaults.
NO_REASSEMBLY_PREFS = [
    "-o", "ip.defragment:FALSE",
    "-o", "ipv6.defragment:FALSE",
    "-o", "tcp.desegment_tcp_streams:FALSE",
]
TSHARK_PREFS = [
    "-o", "ip.check_checksum:TRUE",
    "-o", "tcp.check_checksum:TRUE",
    "-o", "udp.check_checksum:TRUE",
]

REASSEMBLY = False  # --reassembly
DEFAULTS = False  # --defaults: neither side verifies IPv4/TCP/UDP checksums

CAPTURE_EXT = (".pcap", ".pcapng", ".cap", ".pcap.gz", ".pcapng.gz")

NUM_RE = re.compile(r"^-?[0-9]+$")
HEX_RE = re.compile(r"^0x[0-9a-fA-F]+$")
FLOAT_RE = re.compile(r"^-?[0-9]+\.[0-9]+$")


def tshark_time(v):
    """tshark's FT_ABSOLUTE_TIME text ("Nov 14, 2023 22:13:20.500000000 UTC") as --json writes
    an FT_TIME: seconds since 1970 with 9 decimals; NULL (a zero NTP timestamp) as None."""
    if v == "NULL":
        return None
    m = re.match(r"^(\w{3}\s+\d+, \d+ \d+:\d+:\d+)\.(\d{9}) UTC$", v)
    if not m:
        return v
    t = datetime.datetime.strptime(m.group(1), "%b %d, %Y %H:%M:%S")
    sec = int(t.replace(tzinfo=datetime.timezone.utc).timestamp())
    return "%d.%s" % (sec, m.group(2))


def norm(v):
    """A canonical text for a value from either side."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (list, dict)):
        return json.dumps(v, sort_keys=True)
    s = str(v)
    if len(s) > 40:
        # Not a number a field holds (bytes written as digits, a long string): compared as
        # written, and never through int(), which Python 3.11 refuses past 4300 digits.
        return s
    if HEX_RE.match(s):
        return str(int(s, 16))
    if NUM_RE.match(s):
        return str(int(s))
    if FLOAT_RE.match(s):
        # tshark's FT_RELATIVE_TIME ("0.000959000", http.time, dns.time) against the
        # JSON number pktscope writes for it.
        return repr(float(s))
    return s


# Text fields (type FT_STRING in --list-fields): tshark -T fields writes their control
# characters as C escapes (\t, \001 in octal) and leaves a backslash as it is; pktscope's JSON
# carries the characters themselves.
C_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
             "\t": "\\t", "\v": "\\v"}


def tshark_escape(s):
    """pktscope's text as tshark -T fields would print it."""
    out = []
    for ch in s:
        if ch in C_ESCAPES:
            out.append(C_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7f:
            out.append("\\%03o" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def excluded(field):
    for pat, reason in EXCLUDED.items():
        if fnmatch.fnmatchcase(field, pat):
            return reason
    return None


def registry_fields(pktscope, tshark):
    """The fields to compare: pktscope's registry minus EXCLUDED; errors for unknown ones."""
    p = subprocess.run([pktscope, "--list-fields"], stdout=subprocess.PIPE, check=True)
    fields, types = [], {}
    for line in p.stdout.decode("utf-8").split("\n"):
        cols = line.split("\t")
        if len(cols) >= 4 and cols[0] == "F":
            types[cols[2]] = cols[3]
            if cols[2] not in fields:
                fields.append(cols[2])
    t = subprocess.run([tshark, "-G", "fields"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    known = set()
    for line in t.stdout.decode("utf-8", "replace").split("\n"):
        cols = line.split("\t")
        if len(cols) >= 3:
            known.add(cols[2])
    unknown = [f for f in fields if not excluded(f) and f not in known]
    if unknown:
        sys.stderr.write("oracle: registered fields tshark does not know, neither compared nor "
                         "in EXCLUDED (tests/oracle/compare.py) with a reason: %s\n"
                         % " ".join(unknown))
        sys.exit(2)
    return [f for f in fields if not excluded(f)], types


def known_protocols(srcdir):
    """Short names in dissect/protos.def, the protocols pktscope decodes."""
    names = set()
    path = os.path.join(srcdir, "dissect", "protos.def")
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = re.match(r'\s*PROTO\(\s*\w+\s*,\s*"([^"]*)"', line)
                if m and m.group(1):
                    names.add(m.group(1))
    except OSError:
        pass
    names.discard("data")
    return names


def protocols_prefix(value, known):
    out = []
    for p in value.split(":"):
        if p not in known:
            break
        out.append(p)
    return ":".join(out)


def load_differences(path):
    entries = []
    if not path or not os.path.exists(path):
        return entries
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split()
            if len(parts) < 3:
                sys.stderr.write("%s:%d: want 'capture-glob field-glob [tshark=GLOB] "
                                 "[pktscope=GLOB] reason'\n" % (path, n))
                sys.exit(2)
            e = {"capture": parts[0], "field": parts[1], "tshark": "*", "pktscope": "*",
                 "line": n, "used": 0}
            rest = parts[2:]
            while rest and rest[0].split("=", 1)[0] in ("tshark", "pktscope") and "=" in rest[0]:
                k, v = rest.pop(0).split("=", 1)
                e[k] = v
            if not rest:
                sys.stderr.write("%s:%d: an entry needs a reason\n" % (path, n))
                sys.exit(2)
            e["reason"] = " ".join(rest)
            entries.append(e)
    return entries


def shown(v):
    """A value as a difference entry's value glob sees it (occurrences joined by ',')."""
    if v is None:
        return "(absent)"
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, list):
        return ",".join(shown(x) for x in v)
    return str(v).replace(AGG, ",")


def match_difference(entries, capture, field, tv, pv):
    base = os.path.basename(capture)
    for e in entries:
        if (fnmatch.fnmatchcase(base, e["capture"]) or fnmatch.fnmatchcase(capture, e["capture"])) \
                and fnmatch.fnmatchcase(field, e["field"]) \
                and fnmatch.fnmatchcase(shown(tv), e["tshark"]) \
                and fnmatch.fnmatchcase(shown(pv), e["pktscope"]):
            e["used"] += 1
            return e
    return None


def manifest_unreadable(dirs):
    """Files whose MANIFEST.tsv row says tshark cannot read them (column tshark_read)."""
    skip = {}
    for d in dirs:
        path = os.path.join(d, "MANIFEST.tsv")
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                state = (row.get("tshark_read") or "").strip()
                if state and state != "clean":
                    skip[os.path.join(d, row["file"])] = state.split(":")[0]
    return skip


def find_captures(paths):
    files, dirs = [], []
    for p in paths:
        if os.path.isdir(p):
            dirs.append(p)
            for root, _, names in os.walk(p):
                for n in sorted(names):
                    if n.lower().endswith(CAPTURE_EXT):
                        files.append(os.path.join(root, n))
        elif os.path.isfile(p):
            files.append(p)
    # every directory that may hold a MANIFEST.tsv
    for f in files:
        d = os.path.dirname(f)
        if d not in dirs:
            dirs.append(d)
    return sorted(set(files)), dirs


def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return None, b"", b"timeout"


def tshark_packets(tshark, capture, fields, timeout):
    prefs = ([] if DEFAULTS else TSHARK_PREFS) + ([] if REASSEMBLY else NO_REASSEMBLY_PREFS)
    cmd = [tshark, "-n", "-r", capture] + prefs + [
        "-T", "fields", "-E", "header=y", "-E", "separator=/t", "-E", "occurrence=a",
        "-E", "aggregator=" + AGG, "-E", "quote=n", "-e", "frame.number", "-e", "frame.cb_pen"]
    for f in fields:
        cmd += ["-e", f]
    rc, out, err = run(cmd, timeout)
    packets = {}
    lines = out.decode("utf-8", "replace").split("\n")
    if not lines or not lines[0].startswith("frame.number"):
        return rc, packets, err
    header = lines[0].split("\t")
    number = 0
    for line in lines[1:]:
        if not line:
            continue
        cols = line.split("\t")
        if len(cols) != len(header):
            continue
        rec = {}
        for name, val in zip(header[1:], cols[1:]):
            if val != "":
                rec[name] = val
        if "frame.cb_pen" in rec:
            # A pcapng Custom Block, which tshark numbers as a frame; pktscope skips custom
            # blocks (issue 2: "custom blocks skipped safely"), so the packets are renumbered.
            continue
        number += 1
        packets[number] = rec
    return rc, packets, err


def pktscope_packets(pktscope, capture, timeout):
    mode = ([] if REASSEMBLY else ["--no-reassembly"]) + ([] if DEFAULTS else ["--checksums"])
    rc, out, err = run([pktscope] + mode + ["--json", "-r", capture], timeout)
    packets = {}
    bad = 0
    for line in out.decode("utf-8", "replace").split("\n"):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            packets[int(obj["frame.number"])] = obj
        except (ValueError, KeyError, TypeError):
            bad += 1
    return rc, packets, err, bad


class Tally:
    def __init__(self):
        self.agree = {}
        self.disagree = {}
        self.known = {}

    def add(self, field, kind):
        d = {"agree": self.agree, "disagree": self.disagree, "known": self.known}[kind]
        d[field] = d.get(field, 0) + 1


def compare_capture(capture, ts, ps, known_protos, entries, tally, track_tally, examples,
                    max_examples):
    numbers = sorted(set(ts) | set(ps))
    for num in numbers:
        t = ts.get(num)
        p = ps.get(num)
        for field in FIELDS + TRACK_FIELDS:
            is_track = field in TRACK_FIELDS
            tv = t.get(field) if t is not None else None
            pv = p.get(field) if p is not None else None
            if is_track and (p is None or field not in p):
                continue
            if tv is None and pv is None:
                continue
            tl = tv.split(AGG) if tv is not None else None
            pl = (pv if isinstance(pv, list) else [pv]) if pv is not None else None
            ftype = FIELD_TYPES.get(field)
            if ftype == "FT_STRING" and pl is not None:
                pl = [tshark_escape(x) if isinstance(x, str) else x for x in pl]
            if ftype == "FT_ABSOLUTE_TIME" and tl is not None:
                tl = [tshark_time(x) for x in tl]
            if ftype == "FT_NONE":
                # no value of its own: the number of occurrences is what is compared
                a = None if tl is None else str(len(tl))
                b = None if pl is None else str(len(pl))
            else:
                a = None if tl is None else [norm(x) for x in tl]
                b = None if pl is None else [norm(x) for x in pl]
            if field == "frame.protocols" and a is not None and b is not None:
                a = [protocols_prefix(a[0], known_protos)]
                b = [protocols_prefix(b[0], known_protos)]
            target = track_tally if is_track else tally
            if a == b:
                target.add(field, "agree")
                continue
            e = None if is_track else match_difference(entries, capture, field, tv, pv)
            target.add(field, "known" if e else "disagree")
            if not e:
                key = (field, is_track)
                lst = examples.setdefault(key, [])
                if len(lst) < max_examples:
                    lst.append("%s #%d: tshark=%r pktscope=%r" % (
                        os.path.basename(capture), num, tv, pv))


def report_table(title, tally, fields, out):
    total_a = total_d = total_k = 0
    out.write("%s\n" % title)
    out.write("  %-28s %8s %8s %8s %9s\n" % ("field", "agree", "known", "differ", "agree%"))
    for f in fields:
        a = tally.agree.get(f, 0)
        k = tally.known.get(f, 0)
        d = tally.disagree.get(f, 0)
        n = a + k + d
        total_a, total_k, total_d = total_a + a, total_k + k, total_d + d
        if n == 0:
            continue
        out.write("  %-28s %8d %8d %8d %8.2f%%\n" % (f, a, k, d, 100.0 * a / n))
    n = total_a + total_k + total_d
    pct = 100.0 * total_a / n if n else 100.0
    out.write("  %-28s %8d %8d %8d %8.3f%%\n" % ("TOTAL", total_a, total_k, total_d, pct))
    return total_a, total_k, total_d, pct


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pktscope", required=True)
    ap.add_argument("--tshark", default="tshark")
    ap.add_argument("--srcdir", default=".")
    ap.add_argument("--differences", default=None)
    ap.add_argument("--min", type=float, default=99.5, help="minimum overall agreement, %%")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=120, help="per command, seconds")
    ap.add_argument("--examples", type=int, default=5, help="examples shown per field")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--reassembly", action="store_true",
                    help="tshark with its default reassembly, pktscope with its own (default: "
                    "both one packet at a time)")
    ap.add_argument("--defaults", action="store_true",
                    help="checksums as both tools leave them by default (IPv4/TCP/UDP "
                    "unverified); without it both verify them")
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    global REASSEMBLY, DEFAULTS
    REASSEMBLY = args.reassembly
    DEFAULTS = args.defaults

    fields, types = registry_fields(args.pktscope, args.tshark)
    # the tracker's fields, once registered, stay in their own informational table
    FIELDS[:] = [f for f in fields if f not in TRACK_FIELDS]
    FIELD_TYPES.update(types)
    captures, dirs = find_captures(args.paths)
    unreadable = manifest_unreadable(dirs)
    known_protos = known_protocols(args.srcdir)
    entries = load_differences(args.differences)
    out = sys.stdout
    t0 = time.time()

    todo = [c for c in captures if c not in unreadable]
    for c in captures:
        if c in unreadable:
            if args.verbose:
                out.write("skip %s (MANIFEST tshark_read: %s)\n" % (c, unreadable[c]))
    if not todo:
        out.write("oracle: no capture to compare\n")
        return 77

    def work(capture):
        trc, tpk, terr = tshark_packets(args.tshark, capture, FIELDS + TRACK_FIELDS,
                                        args.timeout)
        prc, ppk, perr, bad = pktscope_packets(args.pktscope, capture, args.timeout)
        return capture, trc, tpk, terr, prc, ppk, perr, bad

    tally, track_tally = Tally(), Tally()
    examples = {}
    compared = skipped = 0
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        for capture, trc, tpk, terr, prc, ppk, perr, bad in ex.map(work, todo):
            if trc is None:
                failures.append("%s: tshark timed out" % capture)
                continue
            if not tpk:
                # tshark read no packet: not a capture it can read (or an empty one).
                skipped += 1
                if args.verbose:
                    out.write("skip %s (tshark read no packet, rc %s)\n" % (capture, trc))
                continue
            if prc is None:
                failures.append("%s: pktscope timed out" % capture)
                continue
            if prc < 0 or prc > 2:
                failures.append("%s: pktscope exit status %d" % (capture, prc))
            if bad:
                failures.append("%s: %d lines of pktscope --json are not JSON objects"
                                % (capture, bad))
            compared += 1
            before = sum(tally.disagree.values())
            compare_capture(capture, tpk, ppk, known_protos, entries, tally, track_tally,
                            examples, args.examples)
            if args.verbose:
                out.write("%-60s %5d packets, %d unlisted differences\n" % (
                    capture, len(tpk), sum(tally.disagree.values()) - before))

    out.write("oracle: %d captures compared, %d skipped, %.1f s\n"
              % (compared, skipped + len(captures) - len(todo), time.time() - t0))
    a, k, d, pct = report_table("registered fields (gating; %d fields, every occurrence):"
                                % len(FIELDS), tally, FIELDS, out)
    ta, tk, td, tpct = report_table("tracker fields, where pktscope writes them "
                                    "(informational):", track_tally, TRACK_FIELDS, out)
    if examples:
        out.write("unlisted differences (first %d per field):\n" % args.examples)
        for (field, is_track), lst in sorted(examples.items()):
            out.write("  %s%s\n" % (field, " (tracker, informational)" if is_track else ""))
            for line in lst:
                out.write("    %s\n" % line)
    unused = [e for e in entries if not e["used"]]
    for e in unused:
        out.write("note: oracle-differences.txt line %d (%s %s) matched nothing\n"
                  % (e["line"], e["capture"], e["field"]))

    ok = True
    if compared == 0:
        out.write("oracle: no capture that tshark reads\n")
        return 77
    if d:
        out.write("FAIL: %d unlisted disagreements\n" % d)
        ok = False
    if pct < args.min:
        out.write("FAIL: agreement %.3f%% is below %.1f%%\n" % (pct, args.min))
        ok = False
    for f in failures:
        out.write("FAIL: %s\n" % f)
        ok = False
    out.write("oracle: agreement %.3f%% over %d field values (%d known differences)\n"
              % (pct, a + k + d, k))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
