#!/usr/bin/env bash
# Community ID against tshark 4.0's communityid post-dissector (--enable-protocol communityid,
# prefs communityid.seed and communityid.do_base64): for every capture of tests/pcaps and a few
# of $SHARED_PCAPS (IPv6, ICMPv6, VLAN, fragments), pktscope -T fields -e communityid and tshark's
# must agree, frame by frame, with seed 0 and with seed 4711, wherever the two dissected the frame
# alike (the same frame.protocols). Every ID pktscope writes must be tshark's. tshark also writes
# one where pktscope writes none on
#  - IP fragments (a port-less ID of addresses and protocol: the spec defines none for a TCP,
#    UDP or ICMP packet without its ports; pktscope writes it on the reassembled packet), and
#  - IP protocols pktscope tracks no flow of (IGMP, GRE, ...: the spec's port-less form), and
#  - source-routed IPv4 (tshark hashes the route option's last address as ip.dst, pktscope the
#    header's destination, as Zeek does);
# those are counted and named, not failures. Any other difference fails.
# Then --conns=json: each connection's community_id is the one tshark gives its first packet.
# Exit status: 0 pass, 1 fail, 77 skipped (no tshark or python3).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PKTSCOPE=${PKTSCOPE:-$SRCDIR/build/pktscope}
SHARED_PCAPS=${SHARED_PCAPS:-$SRCDIR/../shared/pcaps}
export TZ=UTC LC_ALL=C

command -v tshark >/dev/null 2>&1 || { echo "oracle_communityid: no tshark; skipped"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "oracle_communityid: no python3; skipped"; exit 77; }
[ -x "$PKTSCOPE" ] || { echo "oracle_communityid: no pktscope binary at $PKTSCOPE" >&2; exit 1; }

exec python3 - "$PKTSCOPE" "$SRCDIR" "$SHARED_PCAPS" <<'PY'
import glob, json, os, subprocess, sys

pktscope, srcdir, shared = sys.argv[1:4]
caps = sorted(glob.glob(os.path.join(srcdir, "tests/pcaps/*.pcap")))
for name in ("tcpdump_icmpv6-RFC2894-RR.pcap", "zeek_icmp_dot1q.pcap", "ppp_VlanPackets.pcap",
             "tcptrace_ipfrags.pcap", "ppp_frag_http_req.pcap", "ppp_ipv4-options.pcap",
             "zeek_ipv4_fragmented-1.pcap", "ppp_three_http_streams.pcap",
             "tcpdump_dns_udp.pcap", "ppp_DnsPackets.pcap"):
    p = os.path.join(shared, name)
    if os.path.exists(p):
        caps.append(p)

FIELDS = ["frame.number", "frame.protocols", "ip.frag_offset", "ip.flags.mf",
          "ipv6.fragment", "ip.dst", "communityid"]
# The second seed on a few captures only (each tshark run costs seconds): ICMP, ICMPv6, TCP, UDP.
SEEDED = {"ping.pcap", "ipv6-nd.pcap", "http-ipv6.pcap", "dns.pcap", "zeek_icmp_dot1q.pcap",
          "tcpdump_icmpv6-RFC2894-RR.pcap"}
TRACKED = {"tcp", "udp", "icmp", "icmpv6"}


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=300)
    return r.stdout.decode("utf-8", "replace").splitlines()


def table(lines):
    out = {}
    for line in lines:
        f = line.split("\t")
        f += [""] * (len(FIELDS) - len(f))
        out[f[0]] = dict(zip(FIELDS, f))
    return out


fail = 0
compared = ids = 0
known = {}
conns_checked = 0
for cap in caps:
    base = os.path.basename(cap)
    for seed in (0, 4711) if base in SEEDED else (0,):
        ef = []
        for f in FIELDS:
            ef += ["-e", f]
        ours = table(run([pktscope, "-r", cap, "--community-id-seed", str(seed), "-T", "fields"]
                         + ef))
        theirs = table(run(["tshark", "-r", cap, "--enable-protocol", "communityid", "-o",
                            "communityid.seed:%d" % seed, "-o", "communityid.do_base64:TRUE",
                            "-T", "fields"] + ef))
        for num, o in ours.items():
            t = theirs.get(num)
            if not t or t["frame.protocols"] != o["frame.protocols"]:
                continue  # dissected differently: another oracle's business
            compared += 1
            oc, tc = o["communityid"], t["communityid"]
            if oc:
                ids += 1
            if oc == tc:
                continue
            layers = o["frame.protocols"].split(":")
            frag = (o["ip.frag_offset"] not in ("", "0") or o["ip.flags.mf"] == "1"
                    or o["ipv6.fragment"] != "")
            if t["ip.dst"] != o["ip.dst"]:
                # a source-routed packet: tshark's ip.dst is the route's last address
                known["ip.dst differs"] = known.get("ip.dst differs", 0) + 1
                continue
            if not oc and tc and (frag or not TRACKED & set(layers)):
                why = "IP fragment" if frag else "untracked protocol " + layers[-1]
                known[why] = known.get(why, 0) + 1
                continue
            print("FAIL %s seed %d frame %s (%s): pktscope %r, tshark %r"
                  % (base, seed, num, o["frame.protocols"], oc, tc))
            fail = 1
        # each connection's community_id is its first packet's
        for line in run([pktscope, "-r", cap, "--community-id-seed", str(seed), "--conns=json"]):
            c = json.loads(line)
            num = str(c["pktscope.first_frame"])
            t, o = theirs.get(num), ours.get(num)
            if (not t or not o or not t["communityid"] or t["ip.dst"] != o["ip.dst"]
                    or t["frame.protocols"] != o["frame.protocols"]):
                continue
            conns_checked += 1
            if t["communityid"] != c["community_id"]:
                print("FAIL %s seed %d connection %s: community_id %s, tshark's first packet %s"
                      % (base, seed, c["uid"], c["community_id"], t["communityid"]))
                fail = 1

print("oracle_communityid: %d captures, %d frames compared (%d with an ID), %d connections; "
      "tshark alone: %s" % (len(caps), compared, ids, conns_checked,
                            ", ".join("%s %d" % kv for kv in sorted(known.items())) or "none"))
if ids == 0:
    print("FAIL: no Community ID was compared")
    fail = 1
sys.exit(fail)
PY
