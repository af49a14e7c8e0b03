#!/usr/bin/env bash
# --shard I/N over every capture of tests/pcaps (and tests/pcaps/crafted), for N = 2 and 3:
#  - every frame is in exactly one shard (the frame numbers of -T fields, shard by shard, are
#    disjoint and together the unsharded run's), and --stats' packet counts add up;
#  - the union of the shards' --conns=json rows, as (uid, community_id), is the unsharded
#    run's, and no uid is in two shards: the uid and the Community ID join shards, whatever
#    the shards' own stream numbers;
#  - -w with --shard writes exactly the shard's packets.
# Exit status: 0 pass, 1 fail.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PKTSCOPE=${PKTSCOPE:-$SRCDIR/build/pktscope}
export TZ=UTC LC_ALL=C
[ -x "$PKTSCOPE" ] || { echo "shard: no pktscope binary at $PKTSCOPE" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "shard: no python3; skipped"; exit 77; }

exec python3 - "$PKTSCOPE" "$SRCDIR" <<'PY'
import glob, json, os, subprocess, sys, tempfile

pktscope, srcdir = sys.argv[1:3]
caps = sorted(glob.glob(os.path.join(srcdir, "tests/pcaps/*.pcap"))
              + glob.glob(os.path.join(srcdir, "tests/pcaps/crafted/*.pcap*")))


def run(args):
    r = subprocess.run([pktscope] + args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       timeout=120)
    return r.returncode, r.stdout.decode("utf-8", "replace")


def frames(cap, extra):
    rc, out = run(["-r", cap, "-T", "fields", "-e", "frame.number"] + extra)
    return rc, [l for l in out.splitlines() if l]


def conns(cap, extra):
    rc, out = run(["-r", cap, "--conns=json"] + extra)
    rows = []
    for line in out.splitlines():
        c = json.loads(line)
        rows.append((c["uid"], c["community_id"]))
    return rows


def packets(cap, extra):
    rc, out = run(["-r", cap, "--stats=json"] + extra)
    try:
        return json.loads(out)["capture"]["packets"]
    except (ValueError, KeyError):
        return None


fail = 0
checked = 0
tmp = tempfile.mkdtemp()
for cap in caps:
    base = os.path.basename(cap)
    rc0, whole = frames(cap, [])
    if rc0 == 2:
        continue  # not a capture: nothing to shard
    whole_conns = sorted(conns(cap, []))
    whole_pkts = packets(cap, [])
    for n in (2, 3):
        seen = []
        rows = []
        pkts = 0
        for i in range(n):
            arg = ["--shard", "%d/%d" % (i, n)]
            rc, fr = frames(cap, arg)
            if rc != rc0:
                print("FAIL %s %d/%d: exit %d, unsharded %d" % (base, i, n, rc, rc0))
                fail = 1
            seen += fr
            part = conns(cap, arg)
            uids = {u for u, _ in part}
            clash = uids & {u for u, _ in rows}
            if clash:
                print("FAIL %s %d/%d: uid in two shards: %s" % (base, i, n, sorted(clash)[:3]))
                fail = 1
            rows += part
            p = packets(cap, arg)
            if p is not None:
                pkts += p
            if n == 2:
                w = os.path.join(tmp, "s.pcapng")  # a pcap holds one link type
                run(["-r", cap, "-w", w] + arg + ["--stats"])
                _, wf = frames(w, []) if os.path.exists(w) else (0, [])
                if len(wf) != len(fr):
                    print("FAIL %s %d/%d: -w wrote %d packets, the shard has %d"
                          % (base, i, n, len(wf), len(fr)))
                    fail = 1
                if os.path.exists(w):
                    os.unlink(w)
        if sorted(seen, key=int) != whole:
            dup = len(seen) - len(set(seen))
            print("FAIL %s N=%d: shards hold %d frames (%d twice), the whole %d"
                  % (base, n, len(seen), dup, len(whole)))
            fail = 1
        if whole_pkts is not None and pkts != whole_pkts:
            print("FAIL %s N=%d: --stats packets add up to %d, the whole has %d"
                  % (base, n, pkts, whole_pkts))
            fail = 1
        if sorted(rows) != whole_conns:
            print("FAIL %s N=%d: (uid, community_id) rows differ: shards %d, whole %d; "
                  "only in shards %s, only whole %s"
                  % (base, n, len(rows), len(whole_conns),
                     sorted(set(rows) - set(whole_conns))[:2],
                     sorted(set(whole_conns) - set(rows))[:2]))
            fail = 1
        checked += 1

# the usage errors
for bad in ("2/2", "0/0", "1", "0/1025", "-1/2", "a/b", "0/2x"):
    rc, _ = run(["-r", caps[0], "--shard", bad, "--stats"])
    if rc != 2:
        print("FAIL --shard %s: exit %d, want 2 (usage)" % (bad, rc))
        fail = 1
print("shard: %d captures x N=2,3 checked" % (checked // 2))
sys.exit(fail)
PY
