#!/usr/bin/env python3
"""gen_flows.py: a capture of N distinct one-packet flows, for the memory bounds of issue 13.

    gen_flows.py OUT.pcap N tcp|udp

Each packet is a new 5-tuple (10.x.y.z:port -> 192.0.2.1:80 for TCP SYNs, :53 for UDP), one
microsecond apart, checksums correct. Nothing ever ends these flows: the tracker has to let them
go by its own bounds.
"""
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def main():
    out_path, n, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    proto = 6 if kind == 'tcp' else 17
    dst = bytes([192, 0, 2, 1])
    eth = b'\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00'
    with open(out_path, 'wb') as out:
        out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i in range(n):
            src = bytes([10, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff])
            sport = 1024 + (i % 50000)
            if proto == 6:
                l4 = struct.pack('!HHIIBBHHH', sport, 80, (i * 7919) & 0xffffffff, 0, 0x50, 0x02, 64240, 0, 0)
            else:
                l4 = struct.pack('!HHHH', sport, 53, 8 + 4, 0) + b'\0\1\0\0'
            pseudo = src + dst + struct.pack('!BBH', 0, proto, len(l4))
            c = csum(pseudo + l4)
            off = 16 if proto == 6 else 6
            l4 = l4[:off] + struct.pack('!H', c if proto == 6 or c else 0xffff) + l4[off + 2:]
            ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(l4), i & 0xffff, 0, 64, proto, 0,
                             src, dst)
            ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
            frame = eth + ip + l4
            t = 1_700_000_000_000_000 + i
            out.write(struct.pack('<IIII', t // 1_000_000, t % 1_000_000, len(frame), len(frame)))
            out.write(frame)


if __name__ == '__main__':
    main()
