#!/usr/bin/env bash
# --compare tcp:N udp:M checked against tshark (issue 15, deliverable 6): for each case below,
# every number of `pktscope --compare=json` is recomputed here in Python from tshark's
# per-packet fields (frame.len, tcp.len, the SYN/ACK/FIN/RST flags, tcp.analysis.*
# retransmission flags, udp.length), by the rules format/compare.h states:
#   setup     every SYN, and packets without payload (no FIN/RST) until the client's ACK that
#             completes the handshake (that ACK included);
#   teardown  every FIN or RST, and every packet without payload after the first of them;
#   data      every other packet with payload; pure ACK every other packet;
#   headers   frame.len - tcp.len (UDP: - (udp.length - 8)); retransmissions: tshark's
#             tcp.analysis.retransmission, fast_ or spurious_retransmission;
#   first data byte: the first packet with payload, and its time since the stream's first.
# Cases: tests/pcaps/dns.pcap (DNS over TCP and over UDP, both streams of TCP) and lossy.pcap
# merged with udp.pcap by mergecap (a TCP connection with retransmissions).
# Also: the text form names both streams, and a stream that does not exist exits 2.
# Exit status: 0 pass, 1 fail, 77 skipped (no tshark, mergecap or python3).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PKTSCOPE=${PKTSCOPE:-$SRCDIR/build/pktscope}
export TZ=UTC LC_ALL=C

for t in tshark mergecap python3; do
    command -v $t >/dev/null 2>&1 || { echo "compare_oracle: no $t; skipped"; exit 77; }
done
[ -x "$PKTSCOPE" ] || { echo "compare_oracle: no pktscope binary at $PKTSCOPE" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PCAPS=$SRCDIR/tests/pcaps
mergecap -F pcap -w "$WORK/lossy-udp.pcap" "$PCAPS/lossy.pcap" "$PCAPS/udp.pcap" || exit 1

fail=0
"$PKTSCOPE" -r "$PCAPS/dns.pcap" --compare tcp:9 udp:0 >/dev/null 2>"$WORK/err"
st=$?
if [ $st -ne 2 ] || ! grep -q "no such TCP stream" "$WORK/err"; then
    echo "FAIL --compare tcp:9 on dns.pcap: status $st (want 2), stderr: $(cat "$WORK/err")"
    fail=1
fi
if ! "$PKTSCOPE" -r "$PCAPS/dns.pcap" --compare tcp:1 udp:0 | grep -q "TCP: tcp.stream 1 .*UDP: udp.stream 0"; then
    echo "FAIL --compare tcp:1 udp:0: the text does not name the two streams"
    fail=1
fi

python3 - "$PKTSCOPE" "$PCAPS/dns.pcap" 0 0 "$PCAPS/dns.pcap" 1 0 "$WORK/lossy-udp.pcap" 0 0 <<'PY' || fail=1
import json, subprocess, sys

pktscope = sys.argv[1]
cases = [(sys.argv[i], int(sys.argv[i + 1]), int(sys.argv[i + 2])) for i in range(2, len(sys.argv), 3)]
FIELDS = ["frame.number", "frame.time_epoch", "frame.len", "tcp.stream", "tcp.len", "tcp.flags.syn",
          "tcp.flags.ack", "tcp.flags.fin", "tcp.flags.reset", "tcp.analysis.retransmission",
          "tcp.analysis.fast_retransmission", "tcp.analysis.spurious_retransmission",
          "udp.stream", "udp.length", "ip.src", "tcp.srcport"]


def ns(epoch):
    sec, _, frac = epoch.partition(".")
    return int(sec) * 10**9 + int((frac + "000000000")[:9])


def tshark_rows(path):
    out = subprocess.run(["tshark", "-n", "-r", path, "-T", "fields", "-E", "occurrence=f"]
                         + sum((["-e", f] for f in FIELDS), []),
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        yield dict(zip(FIELDS, line.split("\t")))


def flag(r, k):
    return r.get(k, "") in ("1", "True")


def expect(path, tcp_stream, udp_stream):
    tcp = dict(packets=0, bytes=0, payload_bytes=0, setup_packets=0, setup_bytes=0,
               teardown_packets=0, teardown_bytes=0, pure_ack_packets=0, pure_ack_bytes=0,
               data_packets=0, data_bytes=0, retransmitted_packets=0, retransmitted_bytes=0)
    udp = dict(packets=0, bytes=0, payload_bytes=0, data_packets=0, data_bytes=0,
               setup_packets=0, teardown_packets=0, pure_ack_packets=0)
    t_first = u_first = None
    client = None
    synack = done = closing = False
    for r in tshark_rows(path):
        flen = int(r["frame.len"])
        if r["tcp.stream"] == str(tcp_stream):
            plen = int(r["tcp.len"] or 0)
            syn, ack = flag(r, "tcp.flags.syn"), flag(r, "tcp.flags.ack")
            fin, rst = flag(r, "tcp.flags.fin"), flag(r, "tcp.flags.reset")
            sender = (r["ip.src"], r["tcp.srcport"])
            if t_first is None:
                t_first = ns(r["frame.time_epoch"])
            if syn and not ack and client is None:
                client = sender
            tcp["packets"] += 1
            tcp["bytes"] += flen
            tcp["payload_bytes"] += plen
            if syn:
                kind = "setup"
                synack = synack or ack
            elif fin or rst:
                kind = "teardown"
                closing = True
            elif closing:
                kind = "teardown" if plen == 0 else "data"
            elif client is not None and not done and plen == 0:
                kind = "setup"
                done = synack and sender == client
            else:
                done = done or plen > 0
                kind = "data" if plen else "pure_ack"
            tcp[kind + "_packets"] += 1
            tcp[kind + "_bytes"] += flen
            if any(flag(r, k) for k in ("tcp.analysis.retransmission",
                                        "tcp.analysis.fast_retransmission",
                                        "tcp.analysis.spurious_retransmission")):
                tcp["retransmitted_packets"] += 1
                tcp["retransmitted_bytes"] += flen
            if plen and "first_data_frame" not in tcp:
                tcp["first_data_frame"] = int(r["frame.number"])
                tcp["time_to_first_data"] = ns(r["frame.time_epoch"]) - t_first
        elif r["udp.stream"] == str(udp_stream) and r["udp.length"]:
            plen = int(r["udp.length"]) - 8
            if u_first is None:
                u_first = ns(r["frame.time_epoch"])
            udp["packets"] += 1
            udp["bytes"] += flen
            udp["payload_bytes"] += plen
            udp["data_packets"] += 1
            udp["data_bytes"] += flen
            if plen and "first_data_frame" not in udp:
                udp["first_data_frame"] = int(r["frame.number"])
                udp["time_to_first_data"] = ns(r["frame.time_epoch"]) - u_first
    for side in (tcp, udp):
        side["header_bytes"] = side["bytes"] - side["payload_bytes"]
    return tcp, udp


fails = 0
for path, ts, us in cases:
    # Decimals kept as text: a time in ns must not go through a float.
    got = json.loads(subprocess.run([pktscope, "-r", path, "--compare=json", "tcp:%d" % ts, "udp:%d" % us],
                                    capture_output=True, text=True, check=True).stdout,
                     parse_float=str)
    want_tcp, want_udp = expect(path, ts, us)
    for name, want, have in (("tcp", want_tcp, got["tcp"]), ("udp", want_udp, got["udp"])):
        if "time_to_first_data" in have:
            have = dict(have, time_to_first_data=ns(have["time_to_first_data"]))
        for k, v in want.items():
            if have.get(k) != v:
                print("FAIL %s %s:%d %s: pktscope %r, tshark %r" % (path.split("/")[-1], name, ts if name == "tcp" else us, k, have.get(k), v))
                fails += 1
    print("compare_oracle: %s tcp:%d udp:%d: %d TCP and %d UDP numbers checked, %d TCP retransmissions"
          % (path.split("/")[-1], ts, us, len(want_tcp), len(want_udp), want_tcp["retransmitted_packets"]))
sys.exit(1 if fails else 0)
PY
[ $fail -eq 0 ] && echo "compare_oracle: ok"
exit $fail
