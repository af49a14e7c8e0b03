#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz harnesses, tests/fuzz/corpus/NAME/ (replayed by ctest as
fuzz_replay.NAME). Run from the repository root: python3 tests/fuzz/make-corpus.py
Seeds made by this script are named seed-*; inputs found by fuzzing (crashes that were fixed,
inputs that add coverage) are committed beside them under other names and are kept.
"""
import glob
import os
import struct

ROOT = "tests/fuzz/corpus"
CAP_MAX = 4096  # bytes of a capture seed


def put(harness, name, data):
    d = os.path.join(ROOT, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def pcap_records(b):
    """(header, [(record header, data)], order) of a pcap file, or None for anything else."""
    if len(b) < 24 or b[:4] not in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4",
                                      b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d"):
        return None
    order = "<" if b[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    recs, at = [], 24
    while at + 16 <= len(b):
        incl = struct.unpack(order + "I", b[at + 8:at + 12])[0]
        if incl > 262144 or at + 16 + incl > len(b):
            break
        recs.append((b[at:at + 16], b[at + 16:at + 16 + incl]))
        at += 16 + incl
    return b[:24], recs, order


def captures():
    for path in sorted(glob.glob("tests/pcaps/*.pcap") + glob.glob("tests/pcaps/crafted/*")):
        name = os.path.basename(path)
        if name.endswith((".py", ".sh")):
            continue
        with open(path, "rb") as f:
            b = f.read()
        parsed = pcap_records(b)
        if parsed and len(b) > CAP_MAX:
            hdr, recs, _ = parsed
            out = bytearray(hdr)
            for rh, data in recs:
                if len(out) + len(rh) + len(data) > CAP_MAX:
                    break
                out += rh + data
            b = bytes(out)
        elif len(b) > CAP_MAX:
            b = b[:CAP_MAX]  # pcapng: cut, a damaged file is a case too
        yield name, b, parsed


LINKTYPES = [1, 113, 276, 12, 14, 101, 228, 229, 0, 108, 147]  # fuzz_dissect.c's table


def reasm_seeds():
    def pkt(kind, flags, seq, payload, ack=0, time=0, eth=True, part=False):
        n = len(payload)
        h5 = (n >> 8) & 7 | (8 if part else 0) | (0x10 if eth else 0) | (time << 5)
        return bytes([kind, flags, seq >> 8 & 255, seq & 255, n & 255, h5,
                      ack >> 8 & 255, ack & 255]) + payload

    SYN, ACK, PSH, FIN, RST = 0x02, 0x10, 0x08, 0x01, 0x04
    SRV = 8
    def tcp_open(kind):
        return (pkt(kind, SYN, 0, b"") + pkt(kind | SRV, SYN | ACK, 0, b"", 1) +
                pkt(kind, ACK, 1, b"", 1))

    http = b"GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: fuzz\r\n\r\n"
    # HTTP (port bits 01) over IPv4, the request in three segments, one retransmitted, FIN.
    k = 0x10
    s = tcp_open(k) + pkt(k, PSH | ACK, 1, http[:20], 1) + pkt(k, PSH | ACK, 41, http[40:], 1)
    s += pkt(k, PSH | ACK, 21, http[20:40], 1) + pkt(k, PSH | ACK, 21, http[20:40], 1)
    s += pkt(k | SRV, PSH | ACK, 1, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
             1 + len(http))
    s += pkt(k, FIN | ACK, 1 + len(http), b"", 40) + pkt(k | SRV, RST, 40, b"")
    put("reasm", "http-segments", bytes([0x1b]) + s)
    put("reasm", "http-segments-default", bytes([0x80]) + s)
    # TLS (port 443, bits 00): a record header announcing 300 bytes, sent in pieces with a hole.
    rec = bytes([22, 3, 1, 1, 44, 1, 0, 1, 40, 3, 3]) + bytes(range(256)) + bytes(38)
    k = 0x00
    s = tcp_open(k) + pkt(k, PSH | ACK, 1, rec[:5], 1) + pkt(k, PSH | ACK, 6, rec[5:100], 1)
    s += pkt(k, PSH | ACK, 150, rec[149:], 1, time=1) + pkt(k, PSH | ACK, 101, rec[100:149], 1)
    put("reasm", "tls-pieces", bytes([0x12]) + s)
    # The same over IPv6 (kind 2), server sequence numbers wrapping.
    k = 0x02
    s = tcp_open(k) + pkt(k | SRV, PSH | ACK, 1, rec[:150], 1) + pkt(k | SRV, PSH | ACK, 151,
                                                                    rec[150:], 1)
    put("reasm", "tls-ipv6-wrap", bytes([0x07]) + s)
    # DNS over TCP (port 53, bits 10): two length-prefixed messages split across segments.
    q = bytes.fromhex("10000100000100000000000003777777076578616d706c6503636f6d0000010001")
    m = struct.pack(">H", len(q)) + q
    k = 0x20
    s = tcp_open(k) + pkt(k, PSH | ACK, 1, m + m[:10], 1) + pkt(k, PSH | ACK, 1 + len(m) + 10,
                                                                m[10:], 1)
    put("reasm", "dns-tcp", bytes([0x05]) + s)
    # IPv4 fragments of a UDP datagram to 53 (kind 1, fragment bit 4), overlapping, duplicate,
    # out of order; and IPv6 fragments (kind 3).
    udp_payload = q + bytes(80)
    for kind, name in ((0x25, "frag4-udp"), (0x27, "frag6-udp")):
        f0 = pkt(kind, (1 << 1) | 1, 0, udp_payload[:32])      # offset 0: UDP header + 32
        f1 = pkt(kind, (1 << 1) | 1, 0x0005, udp_payload[32:72])  # offset 40 bytes
        f1b = pkt(kind, (1 << 1) | 1, 0x0005, udp_payload[32:72])
        f2 = pkt(kind, (1 << 1), 0x0009, udp_payload[64:])     # overlaps, last
        put("reasm", name, bytes([0x0a]) + f1 + f0 + f1b + f2)
    # Fragments of a TCP segment (kind 0|4), then a datagram that never completes and a timeout.
    k = 0x04 | 0x10
    s = tcp_open(0x10) + pkt(k, (2 << 1) | 1, 0, http[:40]) + pkt(k, 2 << 1, 0x0006, http[28:])
    s += pkt(k, (3 << 1) | 1, 0, http[:16]) + pkt(0x10, ACK, 1, b"", 1, time=6)
    put("reasm", "frag4-tcp-timeout", bytes([0x00]) + s)
    # Many flows (client port bits), so the flow and stream caps evict.
    s = b""
    for c in range(4):
        k = (c << 6) | 0x10
        s += pkt(k, SYN, 0, b"") + pkt(k, PSH | ACK, 1, http[:30], 1)
    put("reasm", "many-flows", bytes([0x40]) + s)
    # A partly captured segment, raw IP link.
    put("reasm", "snaplen", bytes([0x03]) + tcp_open(0x10) +
        pkt(0x10, PSH | ACK, 1, http, 1, eth=False, part=True))


def args_seeds():
    sets = [
        ["-r", "x.pcap", "--print", "-V", "-x", "--time=delta", "tcp port 80"],
        ["-r", "x.pcap", "--json", "-Y", "tcp.port == 443 && tls"],
        ["-r", "x.pcap", "--conns=zeek", "--max-flows", "100"],
        ["-r", "x.pcap", "--ladder=udp:3", "--format", "svg"],
        ["-i", "eth0", "-c", "10", "-s", "96", "-B", "4096", "-p", "-w", "out.pcapng", "-U"],
        ["-r", "x.pcap", "-F", "f", "--stats"],
        ["-r", "-", "--follow", "-tttt"],
        ["--tui", "-r", "x.pcap", "--replay=2.5", "--step", "--max-packets", "0"],
        ["-r", "x.pcap", "--color=always", "--no-reassembly", "-K", "--checksums", "-l"],
        ["--help"],
        ["--version"],
        ["-D", "-Z", "nobody"],
        ["-r", "x.pcap", "--conns", "--ladder=1"],
        ["-r"],
        ["--time"],
    ]
    for i, a in enumerate(sets):
        data = b"\0".join(x.encode() for x in a)
        if "-F" in a:
            data += b"\n--F--\n" + b"# web only\ntcp port 80\n\tor udp port 53 # dns\n"
        put("args", "%02d" % i, data)


def main():
    for name, b, parsed in captures():
        put("outputs", name, b)
        put("reader", name, b)
        if parsed:
            hdr, recs, order = parsed
            lt = struct.unpack(order + "I", hdr[20:24])[0] & 0xFFFFFFF
            if lt in LINKTYPES:
                for i, (rh, data) in enumerate(recs[:3]):
                    orig = struct.unpack(order + "I", rh[12:16])[0]
                    extra = max(0, min(orig - len(data), 65535))
                    put("dissect", "%s-%d" % (name, i + 1),
                        bytes([LINKTYPES.index(lt), extra >> 8, extra & 255]) + data)
    reasm_seeds()
    n = 0
    with open("tests/oracle/filters.txt") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                put("filter", "%03d" % n, line.encode())
                n += 1
    for extra in ["tcp.flags.syn == 1 and !(ip.src in {10.0.0.0/8 192.168.1.1..192.168.1.9})",
                  'http.request.uri matches "(?-i)^/hello" || dns.qry.name contains "exa"',
                  "frame.len >= 0x40 xor eth.dst[0:3] == ff:ff:ff", "tcp.port === 80",
                  'tls.handshake.extensions_server_name ~ "example"', "snmp.name"]:
        put("filter", "%03d" % n, extra.encode())
        n += 1
    args_seeds()


main()
