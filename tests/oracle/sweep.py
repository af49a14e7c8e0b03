#!/usr/bin/env python3
"""Every capture through every output mode: no crash, no hang, no sanitizer report, the expected
exit status, and no raw control bytes on standard output (issue 2 item 6).

Inputs
  * every file in the shared captures directory (MANIFEST.tsv included: it is not a capture),
    malformed ones too, and every file under tests/pcaps except the scripts that make them;
  * mutants: damaged copies of the small captures, made here with a fixed seed (the same files
    on every run): the file cut at some byte, and bytes of the records overwritten. They are
    the "hundreds of malformed captures" of the issue; their exit status only has to be one of
    pktscope's (0, 1, 2). Mutants run after the real captures, and only while the time budget
    (--budget) lasts: a slow machine (the sanitizer build under load) sweeps fewer of them
    rather than running into ctest's timeout; the number skipped is printed.

Expected exit status (DESIGN.md: 0 clean, 1 damaged input, 2 not a capture / open error)
  * shared captures, from MANIFEST.tsv column tshark_read: "clean" -> 0; an ERROR -> 1 (every
    such file starts with a pcap or pcapng magic number, so pktscope reads it as a capture and
    reports the damage); a file not in the manifest -> 2 (not a capture).
  * tests/pcaps: from tshark on the same file when tshark is installed: rc 0 -> 0; "isn't a
    capture file" -> 2; any other error -> 1. Without tshark: any of 0, 1, 2.
  * EXCEPTIONS below, each with its reason.

Checks per run
  * terminated by a signal (a crash, or a sanitizer's abort: run with ASAN_OPTIONS /
    UBSAN_OPTIONS halt_on_error=1 abort_on_error=1) or a sanitizer report on stderr: failure;
  * still running after --timeout seconds: failure (a hang);
  * standard output must be UTF-8 without C0 control characters other than tab and newline,
    without DEL and without C1 controls (U+0080..U+009F): packet bytes never reach a terminal
    raw; in JSON they are escapes (\\u001b), which are plain text.

Exit status: 0 pass, 1 fail, 77 nothing to sweep.
"""

import argparse
import concurrent.futures
import csv
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

MODES = [
    ["--print"],
    ["-V"],
    ["-x"],
    ["--json"],
    ["--stats"],
    ["--conns"],
    ["--conns=json"],
    ["--conns=zeek"],
]
# Mutants go through the modes that walk every field and the tracker.
MUTANT_MODES = [["-V"], ["--json"], ["--conns=zeek"]]

# Files whose exit status differs from the rule above, and why.
EXCEPTIONS = {
    # tshark reads an empty file as a capture with no packet; nothing in it says it is a
    # capture at all, so pktscope calls it "not a pcap or pcapng file".
    "empty.pcap": 2,
}

SKIP_NAMES = (".py", ".sh", ".md", ".txt.in")
MUTANTS_PER_FILE = 2
MUTANT_MAX_SOURCE = 100 * 1024  # bytes: mutate small captures only (runtime under ASan)

SANITIZER_RE = re.compile(rb"(AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|"
                          rb"MemorySanitizer|runtime error:|SUMMARY: \w+Sanitizer)")
# C0 controls except \t \n, DEL, C1 controls.
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def manifest(d):
    rows = {}
    path = os.path.join(d, "MANIFEST.tsv")
    if os.path.isfile(path):
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                rows[row["file"]] = (row.get("tshark_read") or "").strip()
    return rows


def tshark_expectation(tshark, path, timeout):
    try:
        p = subprocess.run([tshark, "-n", "-r", path, "-T", "fields", "-e", "frame.number"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if p.returncode == 0:
        return {0}
    err = p.stderr.decode("utf-8", "replace")
    if "isn't a capture file" in err or "unknown file format" in err.lower():
        return {2}
    return {1}


def make_mutants(sources, outdir, seed):
    """Damaged copies of small captures: cut short, and record bytes overwritten."""
    mutants = []
    for src in sources:
        try:
            data = open(src, "rb").read()
        except OSError:
            continue
        if len(data) < 40 or len(data) > MUTANT_MAX_SOURCE:
            continue
        rnd = random.Random("%d:%s" % (seed, os.path.basename(src)))
        base = os.path.basename(src).replace(".", "_")
        first_kind = rnd.randrange(3)
        for i in range(MUTANTS_PER_FILE):
            buf = bytearray(data)
            kind = (first_kind + i) % 3
            if kind == 0:
                # cut somewhere after the file header
                buf = buf[:rnd.randrange(24, len(buf))]
            elif kind == 1:
                # overwrite a few bytes of the records (the dissectors' input)
                for _ in range(rnd.randint(1, 8)):
                    pos = rnd.randrange(24, len(buf))
                    buf[pos] = rnd.choice([0x00, 0xff, 0x7f, 0x80, rnd.randrange(256)])
            else:
                # overwrite a run of bytes anywhere (lengths, headers, block types)
                pos = rnd.randrange(8, len(buf))
                for j in range(pos, min(len(buf), pos + rnd.randint(1, 16))):
                    buf[j] = rnd.randrange(256)
            name = os.path.join(outdir, "%s.m%d%s" % (base, i, os.path.splitext(src)[1]))
            with open(name, "wb") as f:
                f.write(buf)
            mutants.append(name)
    return mutants


def check_output(out):
    try:
        text = out.decode("utf-8")
    except UnicodeDecodeError as e:
        return "stdout is not UTF-8 (byte 0x%02x at %d)" % (out[e.start], e.start)
    m = CONTROL_RE.search(text)
    if m:
        return "stdout has control character U+%04X at %d" % (ord(m.group(0)), m.start())
    return None


def run_one(pktscope, path, mode, expect, timeout):
    cmd = [pktscope] + mode + ["-r", path]
    t0 = time.time()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "%s: hang (no exit within %d s)" % (" ".join(cmd), timeout)
    took = time.time() - t0
    problems = []
    if p.returncode < 0:
        problems.append("killed by signal %d" % -p.returncode)
    elif p.returncode not in expect:
        problems.append("exit status %d, expected %s" % (
            p.returncode, " or ".join(str(x) for x in sorted(expect))))
    m = SANITIZER_RE.search(p.stderr)
    if m:
        problems.append("sanitizer report (%s)" % m.group(0).decode())
    bad = check_output(p.stdout)
    if bad:
        problems.append(bad)
    if problems:
        tail = p.stderr.decode("utf-8", "replace").strip().splitlines()[-6:]
        return "%s: %s (%.1f s)%s" % (" ".join(cmd), "; ".join(problems), took,
                                      "".join("\n      " + t for t in tail))
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pktscope", required=True)
    ap.add_argument("--tshark", default=shutil.which("tshark"))
    ap.add_argument("--shared", default=None, help="the shared captures directory")
    ap.add_argument("--own", default=None, help="tests/pcaps")
    ap.add_argument("--workdir", default=None, help="where mutants are written")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--budget", type=int, default=420,
                    help="seconds after which no new run of a mutant starts")
    ap.add_argument("--seed", type=int, default=20261124)
    ap.add_argument("--no-mutants", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    t0 = time.time()
    cases = []  # (path, expected statuses)
    if args.shared and os.path.isdir(args.shared):
        rows = manifest(args.shared)
        for name in sorted(os.listdir(args.shared)):
            path = os.path.join(args.shared, name)
            if not os.path.isfile(path):
                continue
            state = rows.get(name)
            if name in EXCEPTIONS:
                expect = {EXCEPTIONS[name]}
            elif state is None:
                expect = {2}
            elif state == "clean":
                expect = {0}
            else:
                expect = {1}
            cases.append((path, expect))
    own = []
    if args.own and os.path.isdir(args.own):
        for root, _, names in os.walk(args.own):
            for name in sorted(names):
                if name.endswith(SKIP_NAMES):
                    continue
                own.append(os.path.join(root, name))
    own.sort()

    def own_case(path):
        name = os.path.basename(path)
        if name in EXCEPTIONS:
            return path, {EXCEPTIONS[name]}
        if args.tshark:
            e = tshark_expectation(args.tshark, path, args.timeout)
            if e is not None:
                return path, e
        return path, {0, 1, 2}

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        cases += list(ex.map(own_case, own))

    if not cases:
        print("sweep: no capture to sweep")
        return 77

    mutants = []
    tmp = None
    if not args.no_mutants:
        workdir = args.workdir
        if not workdir:
            tmp = tempfile.mkdtemp(prefix="pktscope-sweep-")
            workdir = tmp
        os.makedirs(workdir, exist_ok=True)
        sources = [p for p, e in cases if e != {2}]
        mutants = make_mutants(sources, workdir, args.seed)

    runs = [(p, m, e, False) for p, e in cases for m in MODES]
    runs += [(p, m, {0, 1, 2}, True) for p in mutants for m in MUTANT_MODES]

    # The real captures always run; runs of mutants not started within the time budget are
    # skipped (and counted), so that a slow machine makes the sweep smaller, never a timeout.
    deadline = t0 + args.budget
    skipped = [0]

    def job(p, m, e, is_mutant):
        if is_mutant and time.time() > deadline:
            skipped[0] += 1
            return None
        return run_one(args.pktscope, p, m, e, args.timeout)

    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futs = [ex.submit(job, p, m, e, mu) for p, m, e, mu in runs]
        for f in futs:
            r = f.result()
            if r:
                failures.append(r)
                if args.verbose:
                    print("FAIL " + r, flush=True)

    if tmp and not failures:
        shutil.rmtree(tmp, ignore_errors=True)
    print("sweep: %d files (%d shared/own, %d mutants), %d runs, %.1f s" % (
        len(cases) + len(mutants), len(cases), len(mutants), len(runs) - skipped[0],
        time.time() - t0))
    if skipped[0]:
        print("sweep: %d runs of mutants skipped: the %d s budget was spent" % (
            skipped[0], args.budget))
    if failures:
        for r in failures[:50]:
            print("FAIL " + r)
        if len(failures) > 50:
            print("... and %d more" % (len(failures) - 50))
        if tmp:
            print("sweep: the mutants are kept in %s" % tmp)
        return 1
    print("sweep: every run ended with the expected status, no crash, hang, sanitizer report "
          "or raw control byte")
    return 0


if __name__ == "__main__":
    sys.exit(main())
