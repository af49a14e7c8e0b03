#!/usr/bin/env python3
"""Writes tests/fuzz/packets.h: a few frames of the test captures as C arrays, the fixed packets
that fuzz_filter.c evaluates compiled filters against. Run from the repository root:
    python3 tests/fuzz/make-packets.py > tests/fuzz/packets.h && clang-format -i tests/fuzz/packets.h
"""
import struct
import sys

# (capture, frame numbers from 1): ARP, a TCP handshake and HTTP GET, DNS query and answer, a
# TLS 1.3 handshake to the Client Hello, SNMP, ICMP echo, ICMPv6 ND, 802.1Q, Linux SLL, UDP.
PICK = [
    ("http-get.pcap", [1, 3, 4, 5, 6]),
    ("dns.pcap", [1, 2]),
    ("tls13.pcap", [1, 2, 3, 4]),
    ("snmp.pcap", [1]),
    ("ping.pcap", [3, 4]),
    ("ipv6-nd.pcap", [5]),
    ("vlan.pcap", [3]),
    ("sll.pcap", [1]),
    ("udp.pcap", [1]),
]


def frames(path):
    with open(path, "rb") as f:
        b = f.read()
    magic = b[:4]
    order = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    nsec = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(order + "I", b[20:24])[0] & 0xFFFFFFF
    at = 24
    while at + 16 <= len(b):
        sec, frac, incl, orig = struct.unpack(order + "IIII", b[at:at + 16])
        yield linktype, sec, frac if nsec else frac * 1000, b[at + 16:at + 16 + incl], orig
        at += 16 + incl


def main():
    out = sys.stdout
    out.write("/* Made by tests/fuzz/make-packets.py from tests/pcaps; do not edit. */\n")
    out.write("#ifndef PKTSCOPE_TESTS_FUZZ_PACKETS_H\n#define PKTSCOPE_TESTS_FUZZ_PACKETS_H\n\n")
    out.write("#include <stdint.h>\n\n")
    rows = []
    for name, numbers in PICK:
        for i, (lt, sec, ns, data, orig) in enumerate(frames("tests/pcaps/" + name), 1):
            if i not in numbers:
                continue
            var = "pkt_%s_%d" % (name.split(".")[0].replace("-", "_"), i)
            out.write("static const uint8_t %s[%d] = {\n" % (var, len(data)))
            for k in range(0, len(data), 16):
                out.write("    " + ", ".join("0x%02x" % c for c in data[k:k + 16]) + ",\n")
            out.write("};\n")
            rows.append((var, lt, sec, ns, len(data), orig))
    out.write("\nstruct fuzz_packet {\n    const uint8_t *data;\n    uint32_t caplen, len, "
              "linktype;\n    int64_t ts_sec;\n    uint32_t ts_nsec;\n};\n\n")
    out.write("static const struct fuzz_packet fuzz_packets[] = {\n")
    for var, lt, sec, ns, n, orig in rows:
        out.write("    {%s, %d, %d, %d, %d, %d},\n" % (var, n, orig, lt, sec, ns))
    out.write("};\n\n#endif\n")


main()
